#!/bin/sh
# Profile table from built outputs: applets (links + /bin/busybox) and the
# stripped size per platform. usage: bench/profiles.sh [OUT]  (after make PROFILE=...)
out=${1:-out}
plats=$(ls "$out"/*/ | grep -v : | sort -u | grep .)
printf '| profile | applets |'
for p in $plats; do printf ' %s |' "$(echo "$p" | sed 's/^linux-//; s/-/\//')"; done
printf '\n|---|---:|'
for p in $plats; do printf -- '---:|'; done
printf '\n'
for prof in $(ls "$out"); do
	first=$(ls "$out/$prof" | head -1)
	printf '| %s | %s |' "$prof" "$(wc -l <"$out/$prof/$first/busybox.links")"
	for p in $plats; do
		f="$out/$prof/$p/busybox"
		if [ -f "$f" ]; then printf ' %s |' "$(stat -c %s "$f")"; else printf ' — |'; fi
	done
	printf '\n'
done
