#!/bin/bash
# What the toolchain cannot build, found by building busybox's own
# allyesconfig: per VERSION and PLATFORM, busybox's `make allyesconfig` in a
# prepared build dir, given to bbkit as the list (so musl.list and the
# per-version toolchain lists apply); the lines bbkit refuses because of a
# toolchain list (and what depends on them) are dropped and counted, the
# rest is built. One line per pair: dropped lines, links, bytes, or the
# first compile error (a candidate for applet-lists/toolchain/).
# usage: bench/allyes-sweep.sh "VERSION..." "PLATFORM..."   (from the top)
set -u
versions=${1:-1.38.0}
platforms=${2:-linux/amd64 linux/arm64}
w=${B:-$PWD/_build}/allyes-sweep
mkdir -p "$w"
printf '| version | platform | lines dropped (toolchain) | links | busybox bytes | wall s | result |\n|---|---|---:|---:|---:|---:|---|\n'
for v in $versions; do
	make -s --no-print-directory QUIET=1 BUSYBOX_VERSION="$v" PROFILE=_lock PLATFORMS=linux/amd64 prepare resolver >/dev/null || exit 3
	src=$(ls -d "${CACHE:-$PWD/.cache}/src/busybox-$v+security" "${CACHE:-$PWD/.cache}/src/busybox-$v" 2>/dev/null | head -1)
	d="$w/bd-$v"
	rm -rf "$d"
	cp -a "${B:-$PWD/_build}/bb/$v/_lock/linux-amd64" "$d"
	make -s -C "$src" O="$d" ARCH=x86_64 HOSTCC=gcc allyesconfig >/dev/null 2>&1 || exit 3
	for p in $platforms; do
		slug=$(echo "$p" | tr / -)
		in="$w/allyes-$v-$slug.config"
		grep -e '^CONFIG_' -e '^# CONFIG_.* is not set$' "$d/.config" >"$in"
		dropped=0
		for round in 1 2 3 4 5 6; do
			out=$(make -s --no-print-directory QUIET=1 BUSYBOX_VERSION="$v" LIST="$in" PLATFORMS="$p" \
				OUT="$w/out" config 2>&1) && break
			lines=$(printf '%s\n' "$out" | grep -F "$in:" | grep -F 'toolchain/' |
				sed "s|^bbkit: resolve: $in:\([0-9]*\):.*|\1|" | sort -un)
			[ -n "$lines" ] || { printf '%s\n' "$out" | head -5 >&2; break; }
			sed -i "$(printf '%sd;' $lines)" "$in"
			dropped=$((dropped + $(echo "$lines" | wc -w)))
		done
		t0=$(date +%s)
		if make -s --no-print-directory QUIET=1 BUSYBOX_VERSION="$v" LIST="$in" PLATFORMS="$p" OUT="$w/out" \
			>"$w/build-$v-$slug.log" 2>&1; then
			o="$w/out/allyes-$v-$slug/$slug"
			res="builds"
			links=$(wc -l <"$o/busybox.links")
			bytes=$(stat -c %s "$o/busybox")
		else
			links=- bytes=-
			res="fails: $(grep -m1 -E 'error:|Error [0-9]' "$w/build-$v-$slug.log" | cut -c1-120)"
		fi
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$v" "$p" "$dropped" "$links" "$bytes" "$(($(date +%s) - t0))" "$res"
	done
done
