#!/bin/sh
# The programs make test builds before its first suite (bbkit, the resolver,
# their ASan builds, the unit tests, the fuzzers), from an empty build
# directory, at two commits side by side: wall and CPU seconds of
# `make test`'s own build step (`make -jJOBS TEST_BINS BBKIT RESOLVER FUZZERS`).
#
# usage: bench/toolbuild.sh BASE [HEAD] [ROUNDS]   (ROUNDS pairs, default 2)
#   CACHE=<bbkit cache with the busybox source>  JOBS=<make -j, default nproc>
#   BASE_JOBS=<make -j of the base side, default JOBS> (1: as make test ran
#   it before it passed -j)
# SPDX-License-Identifier: GPL-2.0-only
set -u
top=$(cd "$(dirname "$0")/.." && pwd) || exit 3
[ $# -ge 1 ] || { echo "usage: bench/toolbuild.sh BASE [HEAD] [ROUNDS]" >&2; exit 2; }
cache=${CACHE:-$top/.cache}
jobs=${JOBS:-$(nproc)}
work=$(mktemp -d /tmp/toolbuild.XXXXXX) || exit 3
for side in base head; do
	c=$1
	[ $side = head ] && c=${2:-HEAD}
	git clone -q --no-checkout "$top" "$work/$side" && git -C "$work/$side" checkout -q "$c" || exit 3
done
one() { # side jobs
	d=$work/$1
	rm -rf "$d/_build"
	b=$d/_build
	/usr/bin/time -f "%e %U %S" -o "$work/t" make -C "$d" -s --no-print-directory -j"$2" CACHE="$cache" \
		"$b/asan/bbkit" "$b/asan/bbkit-1.38.0" "$b/asan/unit" "$b/bbkit" "$b/bbkit-1.38.0" \
		"$b/fuzz/fuzz_list" "$b/fuzz/fuzz_resolve" "$b/fuzz/fuzz_baseline" >"$work/$1.log" 2>&1 ||
		{ echo "$1: build failed: $work/$1.log" >&2; exit 3; }
	read -r wall user sys <"$work/t"
	echo "$1 (-j$2): wall $wall s, CPU $(echo "$user + $sys" | bc) s ($user user + $sys sys)"
}
for r in $(seq "${3:-2}"); do
	one base "${BASE_JOBS:-$jobs}"
	one head "$jobs"
done
