#!/usr/bin/env bats
# The test gate itself (tests/tap-gate.sh), on fake suites: every way a suite
# can die or lie must fail the run, and only an honest suite passes it.
load helpers

# run the gate over fake suites: each argument is NAME=SHELL-CODE
gate() {
	local d="$BATS_TEST_TMPDIR/suites" a
	mkdir -p "$d"
	{
		echo ". '$TOP/tests/tap-gate.sh'"
		echo "gate_init"
		[ -z "${GATE_WATCH_DIRS:-}" ] || echo "gate_watch '$GATE_WATCH_DIRS'"
		for a in "$@"; do
			case $a in
			missing=*) echo "gate_suite missing ${a#missing=}" ;;
			*)
				printf '%s\n' "${a#*=}" >"$d/${a%%=*}"
				chmod +x "$d/${a%%=*}"
				echo "gate_suite ${a%%=*} '$d/${a%%=*}'"
				;;
			esac
		done
		echo "gate_summary"
	} >"$d/driver"
	run bash "$d/driver"
}

good='#!/bin/sh
echo 1..2; echo "ok 1 - a"; echo "ok 2 - b # SKIP not here"'

@test "gate: honest suites pass and are added up, skips apart" {
	gate good="$good" good2="$good"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "2 passed, 0 failed, 2 skipped" ]
}

@test "gate: a suite with a failed test fails the run, counted once" {
	gate good="$good" bad='#!/bin/sh
echo 1..2; echo "ok 1 - a"; echo "not ok 2 - b"; exit 1'
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "2 passed, 1 failed, 1 skipped" ]
}

@test "gate: a unit binary that exits 99 (sanitizer) before its plan fails the run" {
	gate good="$good" leak='#!/bin/sh
echo "ok 1 - a"; exit 99'
	[ "$status" -eq 1 ]
	has_line "not ok - suite leak: no TAP plan (1..N); exit 99 after 1 results"
	[ "${lines[-1]}" = "2 passed, 1 failed, 1 skipped" ]
}

@test "gate: a segfaulting suite fails the run" {
	gate good="$good" segv='#!/bin/bash
echo 1..3; echo "ok 1 - a"; kill -SEGV $$'
	[ "$status" -eq 1 ]
	has_line "not ok - suite segv: killed by signal 11 after 1 results"
}

@test "gate: a test killed by SIGKILL (fewer results than planned) fails the run" {
	gate killed='#!/bin/sh
echo 1..3; echo "ok 1 - a"; echo "ok 2 - b"'
	[ "$status" -eq 1 ]
	has_line "not ok - suite killed: plan 1..3 but 2 results (exit 0)"
	[ "${lines[-1]}" = "2 passed, 1 failed, 0 skipped" ]
}

@test "gate: a suite dying right after its plan (fuzz.sh after 1..3) fails the run" {
	gate fuzz='#!/bin/sh
echo 1..3; exit 2'
	[ "$status" -eq 1 ]
	has_line "not ok - suite fuzz: plan 1..3 but 0 results (exit 2)"
}

@test "gate: more results than planned fail the run" {
	gate many='#!/bin/sh
echo 1..1; echo "ok 1 - a"; echo "ok 2 - b"'
	[ "$status" -eq 1 ]
	has_line "not ok - suite many: plan 1..1 but 2 results (exit 0)"
}

@test "gate: a missing runner (bats not installed, unit binary not built) fails the run" {
	gate good="$good" missing=bbkit-no-such-runner
	[ "$status" -eq 1 ]
	has_line "not ok - suite missing: runner 'bbkit-no-such-runner' not found (not installed or not built); nothing of this suite ran"
	gate good="$good" missing=/nonexistent/unit
	[ "$status" -eq 1 ]
	has_line "not ok - suite missing: runner '/nonexistent/unit' not found"
}

@test "gate: a non-zero exit with every test passed, or a plan of 1..0, fails the run" {
	gate liar='#!/bin/sh
echo 1..1; echo "ok 1 - a"; exit 1'
	[ "$status" -eq 1 ]
	has_line "not ok - suite liar: exit 1 with 0 failed tests"
	gate none='#!/bin/sh
echo 1..0'
	[ "$status" -eq 1 ]
	has_line "not ok - suite none: plan 1..0: ran no test"
}

@test "gate: a failed test that also crashes is reported twice over, never hidden" {
	gate crash='#!/bin/sh
echo 1..2; echo "ok 1 - a"; echo "not ok 2 - b"; exit 134'
	[ "$status" -eq 1 ]
	has_line "not ok - suite crash: killed by signal 6 after 2 results"
	[ "${lines[-1]}" = "1 passed, 2 failed, 0 skipped" ]
}

@test "gate: the real unit binary dying mid-run (exit 99) keeps what it printed and fails the run" {
	# _exit skips stdio's flush: only line buffering gets these lines out
	run bash -c "BBKIT_UNIT_EXIT_AFTER=3 '$UNIT' | cat; exit \${PIPESTATUS[0]}"
	[ "$status" -eq 99 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" = "ok 3 "* ]]
	gate missing="env BBKIT_UNIT_EXIT_AFTER=3 $UNIT"
	[ "$status" -eq 1 ]
	has_line "not ok - suite missing: no TAP plan (1..N); exit 99 after 3 results"
}

@test "lint-bats: flags a mid-test '!' and 'a && b', passes what can fail" {
	# (printf: a line starting with @test would be a test of this file)
	printf '%s\n' '@test "x" {' '	! false' '	[ 1 = 1 ] && [ 2 = 2 ]' '	run ! false' \
		'	[ 1 = 1 ] || return 1' '	(cd / && true)' '	! false' '}' >"$BATS_TEST_TMPDIR/t.bats"
	run bash "$TOP/tests/lint-bats.sh" "$BATS_TEST_TMPDIR/t.bats"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[2]}" = "# $BATS_TEST_TMPDIR/t.bats:2: ! false" ]
	[ "${lines[3]}" = "# $BATS_TEST_TMPDIR/t.bats:3: [ 1 = 1 ] && [ 2 = 2 ]" ]
}

@test "gate: two results with one number fail the run, even when the count matches the plan" {
	gate dup='#!/bin/sh
echo 1..3; echo "ok 1 - a"; echo "ok 2 - b"; echo "ok 2 - b again"'
	[ "$status" -eq 1 ]
	has_line "not ok - suite dup: test number 2 reported 2 times"
}

@test "gate: a second plan fails the run" {
	gate twoplans='#!/bin/sh
echo 1..1; echo "ok 1 - a"; echo 1..1; echo "ok 1 - a"'
	[ "$status" -eq 1 ]
	has_line "not ok - suite twoplans: 2 plans (1..N); a suite prints one"
	gate late='#!/bin/sh
echo 1..2; echo "ok 1 - a"; echo "ok 2 - b"; echo 1..2'
	[ "$status" -eq 1 ]
	has_line "not ok - suite late: 2 plans (1..N); a suite prints one"
}

@test "gate: 'Bail out!' fails the run, even with every planned result and exit 0" {
	gate bail='#!/bin/sh
echo 1..1; echo "ok 1 - a"; echo "Bail out! the database is gone"'
	[ "$status" -eq 1 ]
	has_line "not ok - suite bail: Bail out! the database is gone"
}

@test "gate: a result numbered outside its plan fails the run" {
	gate far='#!/bin/sh
echo 1..2; echo "ok 1 - a"; echo "ok 7 - b"'
	[ "$status" -eq 1 ]
	has_line "not ok - suite far: test number 7 outside the plan 1..2"
}

@test "gate: a suite past SUITE_TIMEOUT is killed with every process it started, and fails the run" {
	SUITE_TIMEOUT=2 gate good="$good" slow='#!/bin/sh
echo 1..1; sleep 20.4244 & sleep 20.4245; echo "ok 1 - a"'
	[ "$status" -eq 1 ]
	has_line "not ok - suite slow: timed out after 2 s (SUITE_TIMEOUT=2): killed with its process group"
	[ "${lines[-1]}" = "1 passed, 1 failed, 1 skipped" ]
	run pgrep -f "sleep 20[.]424[45]"
	[ "$status" -eq 1 ]
}

@test "gate: SUITE_TIMEOUT must be a number of seconds" {
	for t in soon 0 000 -5 1e3 123456789; do
		SUITE_TIMEOUT=$t gate good="$good"
		[ "$status" -eq 1 ]
		is_line "not ok - suite good: SUITE_TIMEOUT=$t: not a number of seconds (1 or more); nothing of this suite ran"
	done
	SUITE_TIMEOUT=0600 gate good="$good"
	[ "$status" -eq 0 ]
}

@test "gate: a suite that makes or changes a file under a watched directory (the checkout's out/) fails the run" {
	w="$BATS_TEST_TMPDIR/checkout-out"
	gate good="$good" \
		maker='#!/bin/sh
echo 1..1; mkdir -p '"$w"'/debug-shell; echo x >'"$w"'/debug-shell/busybox; echo "ok 1 - a"' \
		good2="$good"
	# (without a watch: nothing to say)
	[ "$status" -eq 0 ]
	GATE_WATCH_DIRS="$w" gate good="$good" maker='#!/bin/sh
echo 1..1; mkdir -p '"$w"'/debug-shell; echo y >'"$w"'/debug-shell/busybox; echo "ok 1 - a"' good2="$good"
	[ "$status" -eq 1 ]
	is_line "not ok - suite maker: changed $w, which tests must leave alone (give make an OUT of the test's own): $w/debug-shell/busybox"
	[ "${lines[-1]}" = "3 passed, 1 failed, 2 skipped" ]
	# an existing file rewritten counts too
	touch -d @0 "$w/debug-shell/busybox"
	GATE_WATCH_DIRS="$w" gate toucher='#!/bin/sh
echo 1..1; touch '"$w"'/debug-shell/busybox; echo "ok 1 - a"'
	[ "$status" -eq 1 ]
	is_line "not ok - suite toucher: changed $w, which tests must leave alone (give make an OUT of the test's own): $w/debug-shell/busybox"
}

# the same on JOBS lanes (gate_lanes): each argument is NAME=SHELL-CODE, or
# GROUP: NAME=CODE NAME=CODE ... for suites that share one lane, in order
gate_par() { # JOBS ARG...
	local d="$BATS_TEST_TMPDIR/suites" arg jobs=$1 item n
	shift
	mkdir -p "$d"
	{
		echo ". '$TOP/tests/tap-gate.sh'"
		echo "gate_init"
		[ -z "${GATE_WATCH_DIRS:-}" ] || echo "gate_watch '$GATE_WATCH_DIRS'"
		echo "gate_lane_env() { export LANE=\$1; }"
		printf 'gate_lanes %s' "$jobs"
		for arg in "$@"; do
			item=""
			for n in $arg; do
				[ "$n" != "GROUP:" ] || continue
				printf '%s\n' "${!n}" >"$d/$n"
				chmod +x "$d/$n"
				item="$item$n $d/$n"$'\n'
			done
			printf ' %q' "$item"
		done
		echo
		echo "gate_summary"
	} >"$d/driver"
	run bash "$d/driver"
}

@test "gate on lanes: two suites run at once, lane 1 with its own environment; verdicts as one by one, in order" {
	r="$BATS_TEST_TMPDIR/rendezvous"
	mkdir -p "$r"
	# each waits (10 s at most) for the other: only suites that run at once pass
	alpha='#!/bin/sh
echo 1..1; touch '"$r"'/a; i=0; while [ ! -e '"$r"'/b ]; do [ $i -lt 100 ] || break; sleep 0.1; i=$((i+1)); done
if [ -e '"$r"'/b ]; then echo "ok 1 - alpha met beta, lane ${LANE:-0}"; else echo "not ok 1 - alpha alone"; fi'
	beta='#!/bin/sh
echo 1..1; touch '"$r"'/b; i=0; while [ ! -e '"$r"'/a ]; do [ $i -lt 100 ] || break; sleep 0.1; i=$((i+1)); done
if [ -e '"$r"'/a ]; then echo "ok 1 - beta met alpha, lane ${LANE:-0}"; else echo "not ok 1 - beta alone"; fi'
	bad='#!/bin/sh
echo 1..2; echo "ok 1 - x"; kill -SEGV $$'
	gate_par 2 alpha beta bad
	[ "$status" -eq 1 ]
	# each lane took one (which one is a race), lane 1 in its environment
	[ "$(printf '%s\n' "${lines[@]}" | sed -n 's/^ok 1 - [a-z]* met [a-z]*, lane \([01]\)$/\1/p' | sort | tr -d '\n')" = 01 ]
	has_line "not ok - suite bad: killed by signal 11 after 1 results"
	[ "${lines[-1]}" = "3 passed, 1 failed, 0 skipped" ]
	# the verdict lines in the order given
	[ "$(printf '%s\n' "${lines[@]}" | sed -n 's/^# suite \([a-z]*\): exit .*/\1/p' | tr '\n' ' ')" = "alpha beta bad " ]
	printf '%s\n' "${lines[@]}" | grep -E '^# suite alpha: exit 0, [0-9]+ s, cpu [0-9]+\.[0-9] s$'
}

@test "gate on lanes: the suites of one group run one after the other, never at once" {
	r="$BATS_TEST_TMPDIR/group"
	mkdir -p "$r"
	one='#!/bin/sh
echo 1..1; touch '"$r"'/one; sleep 1
if [ -e '"$r"'/two ]; then echo "not ok 1 - two ran beside one"; else echo "ok 1 - one alone"; fi; rm '"$r"'/one'
	two='#!/bin/sh
echo 1..1; if [ -e '"$r"'/one ]; then echo "not ok 1 - two ran beside one"; else echo "ok 1 - two after one"; fi; touch '"$r"'/two'
	gate_par 2 "GROUP: one two"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "2 passed, 0 failed, 0 skipped" ]
}

@test "gate on lanes: a broken plan or a watched directory changed fails the run as one by one" {
	w="$BATS_TEST_TMPDIR/checkout-out"
	maker='#!/bin/sh
echo 1..1; mkdir -p '"$w"'; echo x >'"$w"'/busybox; echo "ok 1 - a"'
	short='#!/bin/sh
echo 1..3; echo "ok 1 - a"'
	GATE_WATCH_DIRS="$w" gate_par 2 good maker short
	[ "$status" -eq 1 ]
	is_line "not ok - suite short: plan 1..3 but 1 results (exit 0)"
	is_line "not ok - suite a suite of this run: changed $w, which tests must leave alone (give make an OUT of the test's own): $w $w/busybox"
	[ "${lines[-1]}" = "3 passed, 2 failed, 1 skipped" ]
}

@test "applets_agree (pack.bats): a crash, SIGILL, exec format error, another status or output than the reference's fails" {
	d=$BATS_TEST_TMPDIR
	mkdir -p "$d/ref/bin" "$d/root/bin"
	printf '/bin/a\n/bin/b\n' >"$d/links"
	printf '#!/bin/sh\necho "usage: ${0##*/}"; exit 1\n' >"$d/ref/bin/busybox"
	cp "$d/ref/bin/busybox" "$d/root/bin/busybox"
	chmod +x "$d/ref/bin/busybox" "$d/root/bin/busybox"
	for r in ref root; do ln -s busybox "$d/$r/bin/a"; ln -s busybox "$d/$r/bin/b"; done
	applets_agree "$d/links" "$d/root" "$d/ref"
	# (a qemu-like runner in front)
	applets_agree "$d/links" "$d/root" "$d/ref" env
	for bad in 'kill -SEGV $$' 'kill -ILL $$' 'exit 0' 'echo "usage: other"; exit 1'; do
		printf '#!/bin/sh\n%s\n' "$bad" >"$d/root/bin/busybox"
		run applets_agree "$d/links" "$d/root" "$d/ref"
		[ "$status" -eq 1 ] || { echo "accepted: $bad"; return 1; }
		has_line "/bin/a --help: exit "
	done
	# a binary of another machine: exec format error (126)
	printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\377\377' >"$d/root/bin/busybox"
	run applets_agree "$d/links" "$d/root" "$d/ref"
	[ "$status" -eq 1 ]
	has_line "/bin/a --help: exit 126"
	# a reference that crashes too proves nothing
	printf '#!/bin/sh\nkill -SEGV $$\n' >"$d/root/bin/busybox"
	cp "$d/root/bin/busybox" "$d/ref/bin/busybox"
	run applets_agree "$d/links" "$d/root" "$d/ref"
	[ "$status" -eq 1 ]
	has_line "/bin/a --help: exit 139"
}
