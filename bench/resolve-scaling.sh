#!/bin/bash
# Resolve time against list size: N-line lists made by repeating the
# debug-shell list's entries (duplicates are what a long generated or merged
# list has), and a whole busybox .config (allyesconfig) as a list. Best of 3
# runs each, wall and CPU; prints a markdown table. Also the time of
# `make config` (static outputs, no compile) for three platforms.
# usage: bench/resolve-scaling.sh [N...]   (default 10000 50000 100000 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
V=${BUSYBOX_VERSION:-1.38.0}
B=$PWD/_build
W=$B/bench-resolve
mkdir -p "$W"
make -s QUIET=1 BUSYBOX_VERSION="$V" PROFILE=bench-prep PLATFORMS=linux/amd64 prepare resolver >/dev/null
bd=$B/bb/$V/bench-prep/linux-amd64
grep -v -e '^include' -e '^budget' applet-lists/debug-shell.list | grep -v '^[[:space:]]*$' >"$W/entries"
best() { # CMD... -> "wall_ms cpu_ms" of the fastest of 3 runs (bash's time)
	local b="" t TIMEFORMAT='%R %U %S'
	for _ in 1 2 3; do
		t=$( { time "$@" >/dev/null 2>&1; } 2>&1 | tail -1)
		t=$(echo "$t" | awk '{ printf "%d %d", $1 * 1000, ($2 + $3) * 1000 }')
		if [ -z "$b" ] || [ "${t%% *}" -lt "${b%% *}" ]; then b=$t; fi
	done
	echo "$b"
}
resolve() { "$B/bbkit-$V" resolve -q --src ".cache/src/busybox-$V" --builddir "$bd" --out "$W/out.config" "$@"; }
echo "| input | lines | wall ms | CPU ms |"
echo "|---|---:|---:|---:|"
for n in ${*:-10000 50000 100000 200000}; do
	: >"$W/n.list"
	while [ "$(wc -l <"$W/n.list")" -lt "$n" ]; do cat "$W/entries" >>"$W/n.list"; done
	head -n "$n" "$W/n.list" >"$W/list-$n.list"
	read -r wall cpu <<<"$(best resolve applet-lists/toolchain/musl.list "$W/list-$n.list")"
	echo "| debug-shell entries repeated | $n | $wall | $cpu |"
done
rm -rf "$W/ay" && cp -a "$bd" "$W/ay"
make -s -C ".cache/src/busybox-$V" O="$W/ay" ARCH=x86_64 HOSTCC=gcc KCONFIG_NOTIMESTAMP=1 allyesconfig >/dev/null 2>&1
read -r wall cpu <<<"$(best resolve "$W/ay/.config")"
echo "| busybox allyesconfig as a list | $(wc -l <"$W/ay/.config") | $wall | $cpu |"
# make config: resolve and static outputs for three platforms, no compile
o=$W/out
make -s QUIET=1 BUSYBOX_VERSION="$V" PLATFORMS="linux/amd64 linux/arm64 linux/arm/v7" OUT="$o" config >/dev/null
read -r wall cpu <<<"$(best make -s QUIET=1 BUSYBOX_VERSION="$V" PLATFORMS="linux/amd64 linux/arm64 linux/arm/v7" OUT="$o" config)"
echo "| make config, debug-shell, three platforms (no change) | - | $wall | $cpu |"
touch applet-lists/debug-shell.list
read -r wall cpu <<<"$(best bash -c "touch applet-lists/debug-shell.list && make -s QUIET=1 BUSYBOX_VERSION=$V PLATFORMS='linux/amd64 linux/arm64 linux/arm/v7' OUT='$o' config")"
echo "| make config, debug-shell, three platforms (list touched: resolved again) | - | $wall | $cpu |"
