#!/bin/bash
# 'bbkit scan' on real corpora nobody here wrote (tests/corpora/: Debian's
# initramfs-tools and live-boot, pinned by sha256 and fetched with a private
# apt configuration into CACHE/corpus/; busybox's own examples/ and its
# Debian udhcpc default.script) and on our router entrypoint fixture. Per
# corpus: files, lines, scan time (best of 3: wall, and CPU with shfmt's),
# the explained list's lines and applets against the debug-shell profile's,
# and commands not busybox / dynamic. The applets a corpus needs are given
# as a share of a built busybox's links: ALLYES_LINKS and DEFCONFIG_LINKS
# (default: bench/README's allyesconfig 424 and defconfig 408, 1.38.0
# linux/amd64).
# usage: bench/scan.sh [BBKIT [SRC]]   (defaults: _build/bbkit, the cached 1.38.0 tree)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bbkit=${1:-$top/_build/bbkit}
cache=${CACHE:-$top/.cache}
src=${2:-$cache/src/busybox-1.38.0+security}
allyes=${ALLYES_LINKS:-424} defconfig=${DEFCONFIG_LINKS:-408}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bbkit-bench-scan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
declare -A dir
for c in initramfs-tools live-boot; do
	dir[$c]=$("$top/tests/corpora/fetch.sh" "$bbkit" "$cache" "$c") || exit 3
done
dir[busybox-examples]=$src
dir[busybox-debian]=$("$bbkit" fetch -q --cache "$cache" --debian --version 1.38.0)
dir[router]=
ds=$(grep -v '^[[:space:]]*#' "$top/applet-lists/debug-shell.list" | grep -c .)
dsa=$(grep -v '^[[:space:]]*#' "$top/applet-lists/debug-shell.list" | grep -c '^[a-z[]')
echo "debug-shell profile: $ds lines, $dsa applets; builds compared: allyesconfig $allyes links, defconfig $defconfig"
printf '%-17s %5s %6s %8s %7s %10s %8s %6s %7s %s\n' corpus files lines "scan s" "cpu s" "list lines" applets "%allyes" "%defcfg" "not busybox / dynamic"
for c in initramfs-tools live-boot busybox-examples busybox-debian router; do
	mapfile -t f < <("$top/tests/corpora/files.sh" "$c" "${dir[$c]}")
	lines=$(cat "${f[@]}" | wc -l)
	best="" cpu=""
	for _ in 1 2 3; do
		# wall and CPU (user + sys, shfmt's included) seconds
		read -r t u <<<"$( { TIMEFORMAT='%R %U %S'; time "$bbkit" scan --src "$src" "${f[@]}" >"$tmp/need.list"; } 2>&1)"
		u=$(echo "$u" | awk '{ print $1 + $2 }')
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
		if [ -z "$cpu" ] || [ "$(echo "$u < $cpu" | bc)" = 1 ]; then cpu=$u; fi
	done
	n=$(grep -v '^#' "$tmp/need.list" | grep -c .)
	a=$(grep -v '^#' "$tmp/need.list" | grep -c '^[a-z[]')
	printf '%-17s %5d %6d %8.2f %7.2f %10d %8d %6.0f%% %6.0f%% %d / %d\n' "$c" "${#f[@]}" "$lines" "$best" "$cpu" "$n" "$a" \
		"$(echo "100 * $a / $allyes" | bc -l)" "$(echo "100 * $a / $defconfig" | bc -l)" \
		"$(grep -c '^# not busybox' "$tmp/need.list")" "$(grep -c '^# cannot be known' "$tmp/need.list")"
done
