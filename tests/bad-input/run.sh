#!/bin/bash
# The bad-input corpus: each directory NN-name/ holds
#   cmd      shell commands run in a scratch copy of the case directory, with
#            $BBKIT, $SRC (busybox tree), $BD (allnoconfig'd build dir), $OUT
#            (a directory holding previous outputs), $TOP, $CACHE (make's
#            cache) and $V (the busybox version) set
#   expect   line 1: the exit code; line 2: a whole line the error output
#            must hold ("bbkit: <command>: <input>: <what>: <why>"), where
#            {W} stands for the case's scratch directory and {*} for any text
#   inputs   any other files (lists, tarballs) the command reads
# Every case must exit as expected with a message naming the input, leave the
# previous outputs byte-identical and leave no temporary files. TAP output.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${BBKIT:?}" "${BBKIT_SRC:?}" "${TEST_BD:?}" "${CACHE:?}" "${BBKIT_VERSION:?}"
# is the whole line $1 of the form $2 ({W}: $work, {*}: any text)?
line_is() {
	local g=${2//\{W\}/$work}
	g=${g//\\/\\\\}
	g=${g//\*/\\*}
	g=${g//\?/\\?}
	g=${g//\[/\\[}
	g=${g//\{\\\*\}/*}
	# shellcheck disable=SC2053 # the right side is a pattern on purpose
	[[ $1 == $g ]]
}
has_whole_line() { # FILE FORM
	local l
	while IFS= read -r l; do line_is "$l" "$2" && return 0; done <"$1"
	return 1
}

n=0
cases=$(ls -d "$TOP"/tests/bad-input/*/)
echo "1..$(echo "$cases" | wc -l)"
for c in $cases; do
	n=$((n + 1))
	name=$(basename "$c")
	work=$(mktemp -d /tmp/bbkit-bad.XXXXXX)
	cp -a "$c/." "$work/"
	mkdir -p "$work/out"
	printf 'previous config\n' >"$work/out/out.config"
	printf '/bin/previous\n' >"$work/out/busybox.links"
	printf 'previous tar\n' >"$work/out/rootfs.tar"
	before=$(cd "$work/out" && sha256sum $(ls -A))
	(cd "$work" && BBKIT="$BBKIT" SRC="$BBKIT_SRC" BD="$TEST_BD" OUT="$work/out" TOP="$TOP" \
		CACHE="$CACHE" V="$BBKIT_VERSION" \
		bash ./cmd) >"$work/.stdout" 2>"$work/.stderr"
	rc=$?
	want_rc=$(sed -n 1p "$c/expect")
	want_msg=$(sed -n 2p "$c/expect")
	why=""
	[ "$rc" = "$want_rc" ] || why="exit $rc, expected $want_rc"
	[ "$rc" != 0 ] || why="${why:+$why; }exit 0"
	has_whole_line "$work/.stderr" "$want_msg" || why="${why:+$why; }no whole line: $want_msg"
	after=$(cd "$work/out" && sha256sum $(ls -A))
	[ "$before" = "$after" ] || why="${why:+$why; }previous outputs changed"
	left=$(find "$work" -name '*.tmp*' -o -name '.tmp-*' -o -name '.bbkit-resolve-*' -o -name '*.part.*' | head -3)
	[ -z "$left" ] || why="${why:+$why; }temp files left: $left"
	if [ -z "$why" ]; then
		echo "ok $n - bad input: $name"
	else
		echo "not ok $n - bad input: $name"
		echo "# $why"
		sed 's/^/# stderr: /' "$work/.stderr" | head -8
	fi
	umount "$work/out" 2>/dev/null || true
	rm -rf "$work"
done
