#!/bin/bash
# Runs the C unit tests, the bad-input corpus, the fuzzers, the bats lint and
# every bats file, all TAP, through the gate (tests/tap-gate.sh): a suite
# that crashes, is missing or breaks its plan fails the run. Ends with one
# line "N passed, N failed, N skipped"; exit status 1 when anything failed.
# usage: tests/run.sh [name...]   (unit, bad-input, fuzz, lint-bats, or names
# of tests/bats/<name>.bats)
# SUITE_TIMEOUT=seconds (default 1800): a suite running longer is killed
# with its process group and fails the run.
# TEST_JOBS=N (default: 2 on a machine with 2 or more cores, else 1): suites
# run on N lanes at once, longest first. Lane J > 0 has a build directory of
# its own (B=$B/lane-J: its own build dirs and test outputs, the
# same CACHE and compiler cache, whose locks make sharing safe), so suites
# that build one profile into $B never meet; the suites that drive one
# container store (archive, docker, image) run one after the other in one
# lane. TEST_JOBS=1 runs them one by one with their output as it comes.
set -u
cd "$(dirname "$0")/.." || exit 3
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
. tests/tap-gate.sh
gate_init
# the user's own outputs: no test may touch them (each gives make its OUT)
gate_watch "$PWD/out"

# the order lanes take suites in: the longest first (measured: the suite
# lines of a run give seconds and CPU seconds); pack and platforms run one
# after the other in one lane, so platforms finds the nine smoke builds
# pack made in that lane's B up to date instead of building them again in
# the other lane's (~6 CPU s each, every compile a cache hit); a suite not named here
# comes after them, in name order. A suite marked ! runs alone, before the
# lanes start: makevars proves that make -n writes nothing anywhere under
# the checkout, B and CACHE, which a suite on another lane writes to;
# repair damages the shared CACHE's source tree and sysroot on purpose.
ORDER="!makevars !repair pack+platforms variables archive+docker+image upstream security ccache scan resolve make
interrupt repro fuzz manifest readme bad-input fetch bump runner cli sources unit lint-bats"

suite_cmd() { # NAME: the suite's command line
	case $1 in
	unit) echo "${UNIT:-unit}" ;;
	bad-input) echo "bash tests/bad-input/run.sh" ;;
	fuzz) echo "sh scripts/fuzz.sh ${FUZZ_SECONDS:-30} --tap" ;;
	lint-bats) echo "bash tests/lint-bats.sh $(echo tests/bats/*.bats)" ;;
	*) echo "bats --tap --timing tests/bats/$1.bats" ;;
	esac
}
suite_name() { # NAME: as the run names it
	case $1 in unit | bad-input | fuzz | lint-bats) echo "$1" ;; *) echo "tests/bats/$1.bats" ;; esac
}

gate_lane_env() { # J: B as make test leaves it, in B/lane-J
	local top=$B
	export B="$B/lane-$1"
	sh scripts/dirs.sh mark "$B" || exit 3
	# what make test records in B before the run (platforms.bats reads it)
	if [ -e "$top/foreign-architectures.before" ]; then
		cp "$top/foreign-architectures.before" "$B/" || exit 3
	fi
	# (no bbkit of its own: every make there runs make test's BBKIT_BIN, and
	# `make resolver` makes the lane's resolver when a test asks for it)
}

if [ $# -gt 0 ]; then
	want=" $* "
else
	want=" unit bad-input fuzz lint-bats $(for f in tests/bats/*.bats; do basename "$f" .bats; done | tr '\n' ' ') "
fi
items=()
alone=()
seen=" "
for group in $ORDER $(echo $want); do
	item="" names=""
	for n in ${group//+/ }; do
		if [ "${n#!}" != "$n" ]; then
			n=${n#!}
			case $want in *" $n "*) ;; *) continue ;; esac
			seen="$seen$n "
			alone+=("$(suite_name "$n") $(suite_cmd "$n")")
			continue
		fi
		case $want in *" $n "*) ;; *) continue ;; esac
		case $seen in *" $n "*) continue ;; esac
		seen="$seen$n "
		names="$names $n"
		item="$item$(suite_name "$n") $(suite_cmd "$n")"$'\n'
	done
	[ -z "$item" ] || items+=("$item")
done

jobs=${TEST_JOBS:-}
if [ -z "$jobs" ]; then
	jobs=1
	[ "$(nproc 2>/dev/null || echo 1)" -lt 2 ] || jobs=2
fi
if ! [[ $jobs =~ ^[1-9]$ ]]; then
	echo "tests/run.sh: TEST_JOBS=$jobs: give a number of lanes from 1 to 9" >&2
	exit 2
fi
for line in "${alone[@]}"; do
	# shellcheck disable=SC2086
	gate_suite $line
done
if [ "$jobs" -eq 1 ] || [ "${#items[@]}" -le 1 ]; then
	for item in "${items[@]}"; do
		while IFS= read -r line; do
			[ -n "$line" ] || continue
			# shellcheck disable=SC2086
			gate_suite $line
		done <<<"$item"
	done
else
	gate_lanes "$jobs" "${items[@]}"
fi
gate_summary
