#!/bin/sh
# A Debian bookworm base image (a rootfs tarball) made with mmdebstrap from
# this machine's own apt sources and settings, for the Dockerfile's build
# stage (BASE_IMAGE) where no registry is reachable. It carries the host's
# apt configuration as a user's own mirror settings would be: the source
# files that serve bookworm and the apt.conf.d files that set Acquire::
# options (a proxy, a mirror's relaxed Valid-Until).
# Cached as CACHE/base/bookworm-<key>.tar, keyed on those files; prints the
# path. usage: scripts/base-image.sh CACHE
set -eu
cache=${1:?usage: $0 CACHE}
etc=${BBKIT_APT_ETC:-/etc/apt}
sources=""
for f in "$etc/sources.list" "$etc"/sources.list.d/*.list "$etc"/sources.list.d/*.sources; do
	[ -f "$f" ] && grep -qs '^[^#]*bookworm' "$f" && sources="$sources $f"
done
[ -n "$sources" ] || {
	echo "bbkit: base-image: no apt source in $etc serves bookworm; add a Debian mirror" >&2
	exit 3
}
opts=""
for f in "$etc/apt.conf" "$etc"/apt.conf.d/*; do
	[ -f "$f" ] && grep -qs '^[[:space:]]*Acquire::' "$f" && opts="$opts $f"
done
include=ca-certificates,make
# shellcheck disable=SC2086 # file lists: paths from $etc, no spaces
key=$( { echo "$include"; cat $sources $opts; } | sha256sum | cut -c1-16)
out="$cache/base/bookworm-$key.tar"
if [ ! -s "$out" ]; then
	mkdir -p "$cache/base"
	tmp="$out.tmp.$$"
	trap 'rm -f "$tmp"' EXIT
	set -- --variant=minbase --include="$include" --quiet
	for f in $opts; do set -- "$@" --aptopt="$f"; done
	# shellcheck disable=SC2086
	mmdebstrap "$@" bookworm "$tmp" $sources >"$cache/base/log" 2>&1 || {
		tail -20 "$cache/base/log" >&2
		echo "bbkit: base-image: mmdebstrap failed; log $cache/base/log" >&2
		exit 3
	}
	mv "$tmp" "$out"
fi
echo "$out"
