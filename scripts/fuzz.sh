#!/bin/sh
# Runs the libFuzzer harnesses: the list parser, resolve on the real busybox
# tree and the testsuite baseline parser, SECONDS split between them, from the committed seed corpora
# (new inputs go to a work copy, never into the repo).
# usage: scripts/fuzz.sh SECONDS [--tap]    (make fuzz / make test)
# Environment from make: FUZZ (harness dir), BBKIT_SRC, TEST_BD.
set -u
secs=${1:-600}
tap=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
each=$((secs / 3))
export ASAN_OPTIONS="detect_leaks=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
n=0
fail=0
[ -n "$tap" ] && echo "1..3"
for h in list resolve baseline; do
	n=$((n + 1))
	work="$FUZZ/work-$h"
	rm -rf "$work/crashes"
	mkdir -p "$work/corpus" "$work/scratch" "$work/crashes"
	cp "$top/tests/fuzz/corpus-$h/"* "$work/corpus/"
	(cd "$work/scratch" && "$FUZZ/fuzz_$h" -max_total_time="$each" -max_len=4096 -timeout=10 \
		-artifact_prefix="$work/crashes/" "$work/corpus" >"$work/log" 2>&1)
	rc=$?
	execs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	crashes=$(ls "$work/crashes" | wc -l)
	bad=0
	if [ "$rc" = 0 ] && [ "$crashes" = 0 ]; then
		msg="ok $n - fuzz $h: ${each}s, $execs executions, 0 crashes"
	else
		msg="not ok $n - fuzz $h: exit $rc, $crashes crash inputs in $work/crashes (log $work/log)"
		bad=1
		fail=1
	fi
	if [ -n "$tap" ]; then echo "$msg"; else echo "bbkit: fuzz: ${msg#* - }"; fi
	[ "$bad" = 0 ] || grep -A12 -e 'ERROR:' -e 'runtime error' "$work/log" | head -30 | sed 's/^/# /'
done
exit $fail
