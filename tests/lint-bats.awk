# tests/lint-bats.sh's reader: prints "LINE: statement" for each statement
# whose failure cannot fail a bats test (see there).

# the statement that starts on a line, continuation lines joined
function flush(   s) {
	if (stmt == "") return
	s = stmt; stmt = ""
	sub(/^[ \t]+/, "", s)
	raw = s
	# quoted text is data, not commands
	gsub(/'[^']*'/, "Q", s)
	gsub(/"([^"\\]|\\.)*"/, "Q", s)
	if (s ~ /^(if|elif|while|until|return|local|echo|printf|#)[ \t]/ || s ~ /^[a-zA-Z_]+\(\)/) return
	if (s ~ /\|\| *(return|false|exit|\{)/ || s ~ /&& *(break|continue)/) return
	# a subshell's status is its last list's: ( a && b ) fails when a does
	if (s ~ /^\([^()]*\)[ \t]*([<>]+[ \t]*[^ \t]+)?[ \t]*$/ && s !~ /^\([^()]*;/) return
	if (s ~ /^! / || s ~ /[;{(] *! / || s ~ /&&/) pending = start ": " raw
}
heredoc != "" { if ($0 ~ "^[ \t]*" heredoc "$") heredoc = ""; next }
{
	line = $0
	if (pending != "") {
		if (line ~ /^[ \t]*$/ || line ~ /^[ \t]*#/) next
		if (line !~ /^[ \t]*}/) print pending
		pending = ""
	}
	if (stmt == "") start = FNR
	stmt = stmt " " line
	if (match(line, /<<-?[ \t]*['"]?[A-Za-z_]+/)) {
		heredoc = substr(line, RSTART, RLENGTH)
		gsub(/[<'" \t-]/, "", heredoc)
		flush()
		next
	}
	if (line ~ /(\\|&&|\|)[ \t]*$/) next
	flush()
}
END { flush(); if (pending != "") print pending }
