#!/bin/sh
# Runs the libFuzzer harnesses: the list parser, resolve on the real busybox
# tree and the testsuite baseline parser, from the committed seed corpora
# (new inputs go to a work copy, never into the repo). SECONDS are split:
# half for resolve (each input resolves against busybox's whole Kconfig, some
# 20 inputs a second under ASan), a quarter for each parser. A harness fails
# when it crashes, when it never got through its seeds (no INITED line) or
# when it ran no more inputs than its seeds: a fuzzer that runs nothing
# proves nothing. Inputs up to 8192 bytes, so a line over the list parser's
# 4096-byte limit is reachable.
# usage: scripts/fuzz.sh SECONDS [--tap]    (make fuzz / make test)
# Environment from make: FUZZ (harness dir), BBKIT_SRC, TEST_BD.
set -u
secs=${1:-600}
tap=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
quarter=$((secs / 4))
[ "$quarter" -ge 1 ] || quarter=1
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
	seeds=$(ls "$top/tests/fuzz/corpus-$h" | wc -l)
	each=$quarter
	[ "$h" != resolve ] || each=$((secs - 2 * quarter))
	(cd "$work/scratch" && "$FUZZ/fuzz_$h" -max_total_time="$each" -max_len=8192 -timeout=10 \
		-artifact_prefix="$work/crashes/" "$work/corpus" >"$work/log" 2>&1)
	rc=$?
	execs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	crashes=$(ls "$work/crashes" | wc -l)
	bad=0
	if [ "$rc" != 0 ] || [ "$crashes" != 0 ]; then
		msg="not ok $n - fuzz $h: exit $rc, $crashes crash inputs in $work/crashes (log $work/log)"
	elif ! grep -q 'INITED' "$work/log"; then
		msg="not ok $n - fuzz $h: never got through its $seeds seeds in ${each}s (log $work/log)"
	elif [ "${execs:-0}" -le "$seeds" ]; then
		msg="not ok $n - fuzz $h: ${execs:-0} executions for $seeds seeds in ${each}s: nothing new was tried (log $work/log)"
	else
		msg="ok $n - fuzz $h: ${each}s, $execs executions past $seeds seeds, 0 crashes"
	fi
	case $msg in not*) bad=1 fail=1 ;; esac
	if [ -n "$tap" ]; then echo "$msg"; else echo "bbkit: fuzz: ${msg#* - }"; fi
	[ "$bad" = 0 ] || grep -A12 -e 'ERROR:' -e 'runtime error' "$work/log" | head -30 | sed 's/^/# /'
done
exit $fail
