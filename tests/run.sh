#!/bin/bash
# Runs the C unit tests, the bad-input corpus, the fuzzers, the bats lint and
# every bats file, all TAP, through the gate (tests/tap-gate.sh): a suite
# that crashes, is missing or breaks its plan fails the run. Ends with one
# line "N passed, N failed, N skipped"; exit status 1 when anything failed.
# usage: tests/run.sh [name...]   (bad-input, or names of tests/bats/<name>.bats)
# SUITE_TIMEOUT=seconds (default 1800): a suite running longer is killed
# with its process group and fails the run.
set -u
cd "$(dirname "$0")/.." || exit 3
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
. tests/tap-gate.sh
gate_init
# the user's own outputs: no test may touch them (each gives make its OUT)
gate_watch "$PWD/out"

if [ $# -gt 0 ]; then
	files=""
	for n in "$@"; do
		if [ "$n" = bad-input ]; then gate_suite bad-input bash tests/bad-input/run.sh; continue; fi
		files="$files tests/bats/$n.bats"
	done
else
	files=$(ls tests/bats/*.bats)
	gate_suite unit "${UNIT:-unit}"
	gate_suite bad-input bash tests/bad-input/run.sh
	gate_suite fuzz sh scripts/fuzz.sh "${FUZZ_SECONDS:-30}" --tap
	gate_suite lint-bats bash tests/lint-bats.sh tests/bats/*.bats
fi
for f in $files; do
	gate_suite "$f" bats --tap --timing "$f"
done
gate_summary
