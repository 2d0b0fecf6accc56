#!/bin/bash
# Reproducibility: build every platform twice from clean, from two copies of
# the project at different paths, with different OUT and cache dirs, umask,
# TZ and LC_ALL, and compare sha256 of busybox and rootfs.tar.
# usage: scripts/repro.sh WORKDIR PLATFORM...   (make repro / make test)
# PROFILE (default debug-shell) or LIST choose what is built; COMPRESS and
# PATCHES too (the packed busybox is what is compared). Without AGAINST,
# `make image` runs as well and the two OCI layouts must be the same bytes.
# AGAINST=OUTDIR: build once (umask 077, another TZ and locale, fresh cache,
# other path) and compare with an existing clean build's OUTDIR instead of
# building twice (make test does this with the build its make tests made).
# BBKIT: a built bbkit (for the platforms' output dir names).
set -euo pipefail
PROFILE=${PROFILE:-debug-shell}
LIST=${LIST:-}
if [ -n "$LIST" ]; then PROFILE=$(basename "$LIST" .list); fi
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(realpath -m "$1")
shift
rm -rf "$work"
mkdir -p "$work"
variant() { # N UMASK TZ LC_ALL PLATFORM...
	local n=$1 um=$2 tz=$3 lc=$4
	shift 4
	local d="$work/build-path-$n-$RANDOM"
	mkdir -p "$d/project"
	# (-p: the copy's sources no newer than the bbkit a make test build
	# runs, BBKIT_BIN, which the copy's make would otherwise compile again)
	(cd "$top" && git ls-files -z | xargs -0 cp -p --parents -t "$d/project")
	(
		cd "$d/project"
		umask "$um"
		export TZ="$tz" LC_ALL="$lc"
		make -s QUIET=1 PROFILE="$PROFILE" ${LIST:+LIST="$LIST"} ${COMPRESS:+COMPRESS="$COMPRESS"} \
			${PATCHES:+PATCHES="$PATCHES"} PLATFORMS="$*" OUT="$d/out-$n" CACHE="$d/cache-$n" \
			B="$d/b-$n" ${WANT_IMAGE:+image} >"$d/log" 2>&1 || { tail -30 "$d/log" >&2; exit 1; }
	) || return 1
	echo "$d/out-$n"
}
shift_args=("$@")
if [ -z "${AGAINST:-}" ]; then WANT_IMAGE=1; fi
if [ -n "${AGAINST:-}" ]; then
	o1=$(realpath "$AGAINST")
else
	o1=$(variant 1 022 UTC C "${shift_args[@]}")
fi
o2=$(variant 2 077 Pacific/Kiritimati C.UTF-8 "${shift_args[@]}")
bad=0
printf '%-14s %-12s %-64s %s\n' platform file sha256 same
for p in "$@"; do
	s=$("${BBKIT:?a built bbkit, e.g. _build/bbkit}" platforms --field slug "$p")
	for f in busybox rootfs.tar; do
		a=$(sha256sum <"$o1/$PROFILE/$s/$f" | cut -d' ' -f1)
		b=$(sha256sum <"$o2/$PROFILE/$s/$f" | cut -d' ' -f1)
		same=yes
		[ "$a" = "$b" ] || { same="NO ($b)"; bad=1; }
		printf '%-14s %-12s %-64s %s\n' "$p" "$f" "$a" "$same"
	done
done
if [ -n "${WANT_IMAGE:-}" ]; then
	same=yes
	diff -r "$o1/$PROFILE/image" "$o2/$PROFILE/image" >/dev/null || { same=NO; bad=1; }
	printf '%-14s %-12s %-64s %s\n' all image "$(sha256sum <"$o1/$PROFILE/image/index.json" | cut -d' ' -f1)" "$same"
fi
[ "$bad" = 0 ] && echo "bbkit: repro: ${#shift_args[@]} platform(s) reproduced bit for bit" ||
	{ echo "bbkit: repro: builds differ" >&2; exit 1; }
