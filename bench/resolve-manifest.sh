#!/bin/bash
# Times (median of 21 runs, wall clock, ms):
#   resolve: a 150-entry list (the first 150 entries of debug-shell.list)
#   manifest: busybox's allyesconfig (every applet, ~436 links), json format
# usage: bench/resolve-manifest.sh   (after make; BUSYBOX_VERSION to pick)
set -euo pipefail
cd "$(dirname "$0")/.."
V=${BUSYBOX_VERSION:-1.38.0}
B=$PWD/_build
SRC=$PWD/.cache/src/busybox-$V
make -s QUIET=1 BUSYBOX_VERSION="$V" PROFILE=bench-prep PLATFORMS=linux/amd64 prepare resolver >/dev/null
BD=$B/bb/$V/bench-prep/linux-amd64
W=$B/bench
mkdir -p "$W"
grep -v '^#' applet-lists/debug-shell.list | grep -v '^$' | head -150 >"$W/150.list"
rm -rf "$W/allyes" && cp -a "$BD" "$W/allyes"
make -s -C "$SRC" O="$W/allyes" ARCH=x86_64 HOSTCC=gcc allyesconfig >/dev/null 2>&1

median() { # command... -> median ms of 21 runs
	local t=()
	for i in $(seq 21); do
		local a=$(date +%s%N)
		"$@" >/dev/null
		local b=$(date +%s%N)
		t+=($(((b - a) / 1000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n 11p | awk '{ printf "%.1f", $1 / 1000 }'
}
r=$(median "$B/bbkit-$V" resolve -q --src "$SRC" --builddir "$BD" --out "$W/r.config" "$W/150.list")
n=$("$B/bbkit" manifest --builddir "$W/allyes" | wc -l)
m=$(median "$B/bbkit" manifest --builddir "$W/allyes" --format json)
echo "| measurement | median of 21 |"
echo "|---|---:|"
echo "| resolve, 150-entry list, busybox $V | $r ms |"
echo "| manifest, allyesconfig ($n applets), json | $m ms |"
