#!/bin/bash
# What COMPRESS costs and saves: debug-shell for every platform UPX packs,
# packed with NRV (upx) and LZMA (upx-lzma); the bytes and their ratio to the
# unpacked binary; the exec cost of `busybox true` (mean of N runs, packed vs
# unpacked, natively on amd64 and under qemu on arm64); and VmRSS of a shell.
# Prints markdown tables.
# usage: bench/upx.sh [N]   (default 300 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}
W=$PWD/_build/bench-upx
B=$PWD/_build
mkdir -p "$W"
plats=$(for p in $("$B/bbkit" platforms --names 2>/dev/null || true); do
	if [ "$("$B/bbkit" platforms --field upx "$p")" = yes ]; then echo "$p"; fi
done)
make -s QUIET=1 PLATFORMS="${plats//$'\n'/ }" OUT="$W/out" >/dev/null
echo "| platform | unpacked | upx (NRV) | ratio | upx-lzma | ratio |"
echo "|---|---:|---:|---:|---:|---:|"
for p in $plats; do
	s=$("$B/bbkit" platforms --field slug "$p")
	u="$W/out/debug-shell/$s/busybox"
	for m in upx upx-lzma; do
		"$B/bbkit" pack -q "$p" --method $m --in "$u" --out "$W/$s.$m" --log "$W/$s.$m.log"
	done
	a=$(stat -c %s "$u") n=$(stat -c %s "$W/$s.upx") l=$(stat -c %s "$W/$s.upx-lzma")
	awk -v p="$p" -v a="$a" -v n="$n" -v l="$l" \
		'BEGIN { printf "| %s | %d | %d | %.2f | %d | %.2f |\n", p, a, n, n / a, l, l / a }'
done
# mean wall time of N runs of `busybox true`, in ms
exec_ms() { # RUNNER... BINARY
	local t0 t1
	t0=$(date +%s%N)
	for _ in $(seq "$N"); do "$@" true; done
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" -v n="$N" 'BEGIN { printf "%.2f", (b - a) / n / 1e6 }'
}
rss() { # RUNNER... BINARY -> VmRSS of its shell, kB
	"$@" sh -c 'grep VmRSS /proc/self/status' | awk '{ print $2 }'
}
echo
echo "| platform | binary | exec of \`busybox true\`, ms (mean of $N) | VmRSS of sh, kB |"
echo "|---|---|---:|---:|"
for p in linux/amd64 linux/arm64; do
	s=$("$B/bbkit" platforms --field slug "$p")
	run=()
	if [ "$("$B/bbkit" platforms --field native "$p")" != yes ]; then run=("$("$B/bbkit" platforms --field qemu "$p")"); fi
	for v in unpacked upx upx-lzma; do
		b="$W/$s.$v"
		[ "$v" = unpacked ] && b="$W/out/debug-shell/$s/busybox"
		mkdir -p "$W/x" && cp "$b" "$W/x/busybox"
		echo "| $p | $v | $(exec_ms "${run[@]}" "$W/x/busybox") | $(rss "${run[@]}" "$W/x/busybox") |"
	done
done
