#!/bin/bash
# What Debian's CVE patches cost: debug-shell built from clean with
# PATCHES=none and PATCHES=security, side by side in one run (each in its own
# build dir, the same cache), wall and CPU time of the make and the
# binary's size per platform; prints markdown tables.
# usage: bench/patches.sh [PLATFORM...]   (default linux/amd64 linux/arm64 linux/arm/v7)
set -euo pipefail
cd "$(dirname "$0")/.."
W=$PWD/_build/bench-patches
plats=${*:-linux/amd64 linux/arm64 linux/arm/v7}
rm -rf "$W"
mkdir -p "$W"
make -s QUIET=1 PLATFORMS="$plats" fetch >/dev/null # both trees' sources cached first
echo "| PATCHES | wall s | CPU s |"
echo "|---|---:|---:|"
for p in none security; do
	TIMEFORMAT='%R %U %S'
	t=$( { time make -s QUIET=1 PLATFORMS="$plats" PATCHES=$p B="$W/b-$p" OUT="$W/out-$p" >"$W/$p.log" 2>&1; } 2>&1 | tail -1)
	echo "$t" | awk -v p="$p" '{ printf "| %s | %.1f | %.1f |\n", p, $1, $2 + $3 }'
done
echo
echo "| platform | none bytes | security bytes | delta |"
echo "|---|---:|---:|---:|"
for pl in $plats; do
	s=$(echo "$pl" | tr / -)
	a=$(stat -c %s "$W/out-none/debug-shell/$s/busybox")
	b=$(stat -c %s "$W/out-security/debug-shell/$s/busybox")
	echo "| $pl | $a | $b | $((b - a)) |"
done
echo
head -1 "$W/out-security/debug-shell/linux-amd64/security.txt"
head -1 "$W/out-none/debug-shell/linux-amd64/security.txt"
