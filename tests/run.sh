#!/bin/sh
# Runs the C unit tests and every bats file, all TAP, and ends with one line
# "N passed, N failed, N skipped". Exit status 1 when anything failed.
# usage: tests/run.sh [name...]   (names of tests/bats/<name>.bats)
set -u
cd "$(dirname "$0")/.." || exit 3
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [ $# -gt 0 ]; then
	files=""
	for n in "$@"; do
		if [ "$n" = bad-input ]; then bash tests/bad-input/run.sh | tee -a "$log"; continue; fi
		files="$files tests/bats/$n.bats"
	done
else
	files=$(ls tests/bats/*.bats)
	echo "# unit tests ($UNIT)"
	"$UNIT" | tee -a "$log"
	echo "# bad-input corpus"
	bash tests/bad-input/run.sh | tee -a "$log"
	echo "# fuzzing, ${FUZZ_SECONDS:-30} s in all"
	sh scripts/fuzz.sh "${FUZZ_SECONDS:-30}" --tap | tee -a "$log"
fi
for f in $files; do
	echo "# $f"
	t0=$(date +%s)
	bats --tap "$f" 2>&1 | tee -a "$log"
	echo "# $f: $(($(date +%s) - t0)) s"
done

passed=$(grep -c '^ok ' "$log" | tr -d ' ')
skipped=$(grep -c '^ok .*# [Ss][Kk][Ii][Pp]' "$log" | tr -d ' ')
failed=$(grep -c '^not ok ' "$log" | tr -d ' ')
passed=$((passed - skipped))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
