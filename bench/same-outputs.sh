#!/bin/sh
# Same outputs: build the profiles at two commits and compare every output
# byte for byte (busybox, config, links, manifest, rootfs.tar, size, SBOM,
# VEX, and the OCI image layout). The proof a reshape must give (#31): the
# code moved, nothing a user receives changed.
#
# usage: bench/same-outputs.sh BASE [HEAD]   (commits; HEAD defaults to HEAD)
#   PROFILES="debug-shell minimal rescue"  PLATFORMS="linux/amd64 linux/arm64 linux/arm/v7"
#   CACHE=<bbkit cache, shared by both sides>  WORK=<scratch dir, default a temp dir>
# Each side is a clone of this repository at its commit with its own build
# dirs; the git revision written into the image is pinned (REVISION) so the
# two sides can only differ by what the code does. The compiler cache is
# shared, so the second side's compiles are cache hits when nothing
# changed. Exit 0: every file the same; 1: a difference (listed); 3: a
# side failed to build.
# SPDX-License-Identifier: GPL-2.0-only
set -u
top=$(cd "$(dirname "$0")/.." && pwd) || exit 3
[ $# -ge 1 ] || { echo "usage: bench/same-outputs.sh BASE [HEAD]" >&2; exit 2; }
base=$(git -C "$top" rev-parse --verify "$1^{commit}") || exit 2
head=$(git -C "$top" rev-parse --verify "${2:-HEAD}^{commit}") || exit 2
profiles=${PROFILES:-debug-shell minimal rescue}
plats=${PLATFORMS:-linux/amd64 linux/arm64 linux/arm/v7}
cache=${CACHE:-$top/.cache}
work=${WORK:-$(mktemp -d /tmp/same-outputs.XXXXXX)} || exit 3

side() { # name commit
	d=$work/$1
	rm -rf "$d"
	git clone -q --no-checkout "$top" "$d/src" && git -C "$d/src" checkout -q "$2" || return 3
	for p in $profiles; do
		t0=$(date +%s)
		make -C "$d/src" --no-print-directory QUIET=1 CACHE="$cache" PROFILE="$p" PLATFORMS="$plats" \
			OUT="$d/out" REVISION=000000000000 image >"$d/$p.log" 2>&1 ||
			{ echo "$1 ($2): make PROFILE=$p failed; see $d/$p.log" >&2; return 3; }
		echo "$1: $p built in $(($(date +%s) - t0)) s"
	done
}
side base "$base" || exit 3
side head "$head" || exit 3

n=0 bad=0
for f in $(cd "$work/base/out" && find . -type f ! -name '.lock*' | sort); do
	n=$((n + 1))
	cmp -s "$work/base/out/$f" "$work/head/out/$f" || { echo "differs: $f"; bad=$((bad + 1)); }
done
for f in $(cd "$work/head/out" && find . -type f ! -name '.lock*' | sort); do
	[ -e "$work/base/out/$f" ] || { echo "only in head: $f"; bad=$((bad + 1)); }
done
echo "$n files compared ($profiles x $plats, image layouts included): $bad differ"
[ "$bad" -eq 0 ]
