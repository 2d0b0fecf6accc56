# The test gate: runs TAP suites and adds up their results, trusting none of
# them to report its own death. Sourced by tests/run.sh (and by
# tests/bats/runner.bats, which proves it on fake suites).
#
#   gate_init                 start a run
#   gate_watch DIR...         fail any suite that makes, changes or deletes
#                             a file under DIR (run.sh: the checkout's out/)
#   gate_suite NAME CMD...    run one suite, its output shown as it comes
#   gate_summary              the closing "N passed, N failed, N skipped" line;
#                             returns 1 when anything failed or nothing passed
#
# A suite counts only when it kept its word: it printed a plan (1..N, N > 0),
# exactly N results, and exited 0, or 1 with at least one "not ok". Anything
# else (a missing runner, a crash or a signal, an exit before the plan or
# after part of it, a plan with more or fewer results, a non-zero exit with no
# failed test) adds one "not ok - suite NAME: why" line to the count; so do
# a second plan, a "Bail out!", a test number given twice or outside the
# plan, and a suite still running after SUITE_TIMEOUT seconds (default 1800:
# then it is killed with its whole process group). Bash: PIPESTATUS keeps the
# suite's exit status through tee.

gate_init() {
	GATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bbkit-gate.XXXXXX")
	GATE_PLANNED=0 GATE_PASSED=0 GATE_FAILED=0 GATE_SKIPPED=0 GATE_SUITES=0 GATE_OWN=0
	GATE_WATCH=()
}

gate_watch() { # DIR...
	GATE_WATCH=("$@")
}

# every path under the watched directories: type, mtime, size, mode (a
# missing directory lists as nothing, so making it is a change too)
gate_state() { # DIR
	find "$1" -printf '%p %y %T@ %s %m\n' 2>/dev/null | LC_ALL=C sort
}

# one failed line of the gate itself, counted like a test's
gate_fail() { # NAME WHY
	GATE_FAILED=$((GATE_FAILED + 1))
	GATE_OWN=$((GATE_OWN + 1))
	echo "not ok - suite $1: $2"
}

gate_count() { # PATTERN FILE
	grep -c -- "$1" "$2" | tr -d ' '
}

# CMD in a process group of its own, killed whole (TERM, then KILL 10 s
# later) when it runs past SUITE_TIMEOUT seconds; prints CMD's exit status
# on fd 3, or "timeout" (a command of the group that leaves it, as a job of
# a shell with job control does, is not reached)
gate_run() { # SECONDS CMD...
	local limit=$1 pid w rc
	shift
	set -m
	"$@" </dev/null 2>&1 &
	pid=$!
	# the watchdog, in a group of its own too: killed whole, its sleep with it
	(
		sleep "$limit"
		echo timeout >"$GATE_DIR/timeout.$pid"
		kill -TERM -- "-$pid" 2>/dev/null || { rm -f "$GATE_DIR/timeout.$pid"; exit 0; }
		sleep 10
		kill -KILL -- "-$pid" 2>/dev/null
	) </dev/null >/dev/null 2>&1 &
	w=$!
	set +m
	# the suite is not in the terminal's process group: a ^C reaches it here
	trap 'kill -INT -- "-$pid" 2>/dev/null' INT
	trap 'kill -TERM -- "-$pid" 2>/dev/null' TERM
	wait "$pid"
	rc=$?
	# (a wait cut short by a forwarded signal: wait for the suite's end)
	while kill -0 "$pid" 2>/dev/null; do
		wait "$pid"
		rc=$?
	done
	trap - INT TERM
	kill -TERM -- "-$w" 2>/dev/null
	wait "$w" 2>/dev/null
	if [ -e "$GATE_DIR/timeout.$pid" ]; then
		rm -f "$GATE_DIR/timeout.$pid"
		echo timeout >&3
	else
		echo "$rc" >&3
	fi
}

# GATE_CPU: the CPU seconds (user + sys) of this shell's waited-for
# children so far, from `times` (run here, not in a $(...) subshell, whose
# children are its own)
gate_cpu() {
	local f="$GATE_DIR/times.$BASHPID"
	times >"$f"
	GATE_CPU=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.1f\n", t }' "$f")
}

# suite K's files in $GATE_DIR: K.tap (its output), K.name, K.cmd, K.rc
# (exit status or "timeout"), K.secs, K.cpu; a missing runner or a bad
# SUITE_TIMEOUT is K.refused (one line: why) and nothing runs
gate_new() { # NAME CMD...: sets GATE_K
	GATE_SUITES=$((GATE_SUITES + 1))
	GATE_K=$GATE_SUITES
	echo "$1" >"$GATE_DIR/$GATE_K.name"
	shift
	echo "$*" >"$GATE_DIR/$GATE_K.cmd"
}

gate_exec() { # K TEE(0|1) CMD...: runs suite K; its output to the terminal too when TEE=1
	local k=$1 tee=$2 out="$GATE_DIR/$1" limit=${SUITE_TIMEOUT:-1800} t0 c0
	shift 2
	if ! command -v -- "$1" >/dev/null 2>&1; then
		echo "runner '$1' not found (not installed or not built); nothing of this suite ran" >"$out.refused"
		return
	fi
	if ! [[ $limit =~ ^[0-9]{1,8}$ ]] || [ "$((10#$limit))" -eq 0 ]; then
		echo "SUITE_TIMEOUT=$limit: not a number of seconds (1 or more); nothing of this suite ran" >"$out.refused"
		return
	fi
	gate_cpu
	t0=$(date +%s) c0=$GATE_CPU
	if [ "$tee" = 1 ]; then
		{ gate_run "$limit" "$@" | tee "$out.tap"; } 3>"$out.rc"
	else
		gate_run "$limit" "$@" >"$out.tap" 3>"$out.rc"
	fi
	echo "$(($(date +%s) - t0))" >"$out.secs"
	gate_cpu
	awk -v a="$c0" -v b="$GATE_CPU" 'BEGIN { printf "%.1f\n", b - a }' >"$out.cpu"
}

# judges suite K from its files and adds it up
gate_check() { # K
	local k=$1 name out="$GATE_DIR/$1.tap" rc plan ok notok skip limit=${SUITE_TIMEOUT:-1800} n
	name=$(cat "$GATE_DIR/$k.name")
	if [ -e "$GATE_DIR/$k.refused" ]; then
		gate_fail "$name" "$(cat "$GATE_DIR/$k.refused")"
		return
	fi
	rc=$(cat "$GATE_DIR/$k.rc")
	echo "# suite $name: exit $rc, $(cat "$GATE_DIR/$k.secs") s, cpu $(cat "$GATE_DIR/$k.cpu") s"
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)\( *#.*\)\{0,1\}$/\1/p' "$out" | head -1)
	ok=$(gate_count '^ok ' "$out")
	notok=$(gate_count '^not ok ' "$out")
	skip=$(gate_count '^ok .*# [Ss][Kk][Ii][Pp]' "$out")
	GATE_PASSED=$((GATE_PASSED + ok - skip))
	GATE_SKIPPED=$((GATE_SKIPPED + skip))
	GATE_FAILED=$((GATE_FAILED + notok))
	GATE_PLANNED=$((GATE_PLANNED + ${plan:-0}))
	if [ "$rc" = timeout ]; then
		gate_fail "$name" "timed out after $limit s (SUITE_TIMEOUT=$limit): killed with its process group after $((ok + notok)) results"
		return
	fi
	# what TAP forbids, whatever the counts: a second plan, a bail out, a
	# number twice or outside the plan
	n=$(grep -c '^1\.\.[0-9]' "$out")
	[ "$n" -le 1 ] || gate_fail "$name" "$n plans (1..N); a suite prints one"
	n=$(grep -m1 '^Bail out!' "$out") && gate_fail "$name" "$n"
	for n in $(sed -n 's/^\(not \)\{0,1\}ok \([0-9][0-9]*\).*/\2/p' "$out" | sort -n | uniq -d); do
		gate_fail "$name" "test number $n reported $(grep -cE "^(not )?ok $n( |$)" "$out") times"
	done
	for n in $(sed -n 's/^\(not \)\{0,1\}ok \([0-9][0-9]*\).*/\2/p' "$out" | sort -un); do
		if [ -n "$plan" ] && { [ "$n" -lt 1 ] || [ "$n" -gt "$plan" ]; }; then
			gate_fail "$name" "test number $n outside the plan 1..$plan"
		fi
	done
	if [ "$rc" -gt 128 ]; then
		gate_fail "$name" "killed by signal $((rc - 128)) after $((ok + notok)) results"
	elif [ -z "$plan" ]; then
		gate_fail "$name" "no TAP plan (1..N); exit $rc after $((ok + notok)) results"
	elif [ "$plan" -eq 0 ]; then
		gate_fail "$name" "plan 1..0: ran no test"
	elif [ "$((ok + notok))" -ne "$plan" ]; then
		gate_fail "$name" "plan 1..$plan but $((ok + notok)) results (exit $rc)"
	elif [ "$rc" -ne 0 ] && { [ "$rc" -ne 1 ] || [ "$notok" -eq 0 ]; }; then
		gate_fail "$name" "exit $rc with $notok failed tests"
	fi
}

# the watched directories' state before (gate_watch_save) and the check
# after (gate_watch_check WHO), WHO naming the suite or suites that ran
gate_watch_save() {
	local n
	for n in "${!GATE_WATCH[@]}"; do gate_state "${GATE_WATCH[$n]}" >"$GATE_DIR/watch$n"; done
}
gate_watch_check() { # WHO
	local n
	for n in "${!GATE_WATCH[@]}"; do
		gate_state "${GATE_WATCH[$n]}" | diff "$GATE_DIR/watch$n" - >"$GATE_DIR/watch.diff" ||
			gate_fail "$1" "changed ${GATE_WATCH[$n]}, which tests must leave alone (give make an OUT of the test's own): $(sed -n 's/^[<>] \([^ ]*\) .*/\1/p' "$GATE_DIR/watch.diff" | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')"
	done
}

gate_suite() { # NAME CMD...: one suite, its output shown as it comes
	local k name=$1
	gate_new "$@"
	k=$GATE_K
	shift
	echo "# suite $name: $*"
	gate_watch_save
	gate_exec "$k" 1 "$@"
	gate_check "$k"
	gate_watch_check "$name"
}

# gate_lanes JOBS ITEM...: the suites of every ITEM (a line "NAME CMD..."
# per suite; the suites of one ITEM run one after the other, in one lane)
# on JOBS lanes at once, each lane taking the next ITEM when it is free
# (give them longest first). Lane J > 0 first calls gate_lane_env J (a
# function of the caller's: what the lane must not share, e.g. its build
# directory). A suite's output is shown whole when it ends; the counts and
# the verdicts come after every lane has ended, in ITEM order.
gate_lanes() { # JOBS ITEM...
	local jobs=$1 i j k line ks=() items=() pids=()
	shift
	items=("$@")
	for i in "${!items[@]}"; do
		ks[i]=""
		while IFS= read -r line; do
			[ -n "$line" ] || continue
			# shellcheck disable=SC2086
			gate_new $line
			ks[i]="${ks[i]} $GATE_K"
		done <<<"${items[i]}"
	done
	gate_watch_save
	for ((j = 0; j < jobs; j++)); do
		(
			[ "$j" -eq 0 ] || gate_lane_env "$j"
			for i in "${!items[@]}"; do
				mkdir "$GATE_DIR/claim.$i" 2>/dev/null || continue
				for k in ${ks[i]}; do
					# shellcheck disable=SC2046
					gate_exec "$k" 0 $(cat "$GATE_DIR/$k.cmd")
					{
						flock 9
						echo "# suite $(cat "$GATE_DIR/$k.name"): $(cat "$GATE_DIR/$k.cmd")   (lane $j)"
						[ ! -e "$GATE_DIR/$k.tap" ] || cat "$GATE_DIR/$k.tap"
					} 9>"$GATE_DIR/print.lock"
				done
			done
		) &
		pids+=($!)
	done
	trap 'kill -INT "${pids[@]}" 2>/dev/null' INT
	trap 'kill -TERM "${pids[@]}" 2>/dev/null' TERM
	for j in "${pids[@]}"; do
		while kill -0 "$j" 2>/dev/null; do wait "$j"; done
	done
	trap - INT TERM
	for i in "${!items[@]}"; do
		for k in ${ks[i]}; do gate_check "$k"; done
	done
	gate_watch_check "a suite of this run"
}

# the ten slowest tests of the run, from bats --timing's "in Nms" (as TAP
# comments, so the summary line stays last)
gate_slowest() {
	local f
	for f in "$GATE_DIR"/*.tap; do
		[ -e "$f" ] || continue
		sed -n 's/^\(not \)\{0,1\}ok [0-9][0-9]* \(.*\) in \([0-9][0-9]*\)ms$/\3 \2/p' "$f" |
			sed "s|\$| ($(sed 's/[|&\\]/_/g; s|.*/||' "${f%.tap}.name"))|"
	done | sort -rn | head -10 >"$GATE_DIR/slowest"
	[ -s "$GATE_DIR/slowest" ] || return 0
	echo "# slowest tests:"
	awk '{ printf "#   %6.1f s  ", $1 / 1000; $1 = ""; sub(/^ /, ""); print }' "$GATE_DIR/slowest"
}

gate_summary() {
	# every result the suites printed, against the sum of their plans (a
	# suite that broke its plan has already failed the run)
	local tests=$((GATE_PASSED + GATE_SKIPPED + GATE_FAILED - GATE_OWN))
	if [ "$GATE_OWN" -eq 0 ] && [ "$tests" -ne "$GATE_PLANNED" ]; then
		gate_fail "all" "the plans add up to $GATE_PLANNED tests but $tests results came"
	fi
	[ "$GATE_SUITES" -gt 0 ] || gate_fail "all" "no suite ran"
	gate_slowest
	echo "$GATE_PASSED passed, $GATE_FAILED failed, $GATE_SKIPPED skipped"
	rm -rf "$GATE_DIR"
	[ "$GATE_FAILED" -eq 0 ] && [ "$GATE_PASSED" -gt 0 ]
}
