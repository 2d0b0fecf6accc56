#!/bin/bash
# make image on a warm build (the profile already built for three
# platforms): its wall and CPU time, best of 3, and the gzip layer per
# platform next to the official busybox:1.38.0-musl image's layers (886,160,
# 915,579 and 866,429 bytes for amd64, arm64 and arm/v7, 404 applets).
# usage: bench/image.sh [PROFILE]   (default debug-shell)
set -euo pipefail
cd "$(dirname "$0")/.."
P=${1:-debug-shell}
plats="linux/amd64 linux/arm64 linux/arm/v7"
make -s QUIET=1 PROFILE="$P" PLATFORMS="$plats" image >/dev/null # warm
best=""
for _ in 1 2 3; do
	TIMEFORMAT='%R %U %S'
	t=$( { time make -s QUIET=1 PROFILE="$P" PLATFORMS="$plats" image >/dev/null; } 2>&1 | tail -1)
	t=$(echo "$t" | awk '{ printf "%.2f %.2f", $1, $2 + $3 }')
	if [ -z "$best" ] || awk -v a="${t%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then best=$t; fi
done
echo "make image, $P, three platforms, warm: ${best%% *} s wall, ${best##* } s CPU (best of 3)"
echo
echo "| platform | bbkit $P layer (gzip) | official busybox:1.38.0-musl layer |"
echo "|---|---:|---:|"
idx=out/$P/image
n=$(jq -r '.manifests[0].digest' "$idx/index.json")
for p in $plats; do
	a=${p#linux/}
	m=$(jq -r --arg a "${a%%/*}" --arg v "$(echo "$a" | cut -s -d/ -f2)" \
		'.manifests[] | select(.platform.architecture == $a and (.platform.variant // "") == $v) | .digest' \
		"$idx/blobs/sha256/${n#sha256:}")
	size=$(jq -r '.layers[0].size' "$idx/blobs/sha256/${m#sha256:}")
	case $p in linux/amd64) off=886160 ;; linux/arm64) off=915579 ;; *) off=866429 ;; esac
	echo "| $p | $size | $off |"
done
