#!/bin/sh
# make sources: what a distributor of a GPL-2.0 busybox must be able to hand
# over, in one directory with a SHA256SUMS file: the busybox source tarball
# as fetched, the patches applied to it (Debian's, one's own), the resolved
# config of every platform, the applet lists, and bbkit's own source (git
# archive of HEAD). Written to a temp dir and renamed into place.
# usage: scripts/sources.sh OUTDIR SRCTREE TARBALL LIST... -- CONFIG...
#   (env PATCHES_DIR: the directory of one's own patches, when PATCHES is one)
set -eu
out=$1 tree=$2 tarball=$3
shift 3
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$out.tmp.$$
trap 'rm -rf "$tmp" "$tmp.sums"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp/lists" "$tmp/configs" "$tmp/patches"
cp "$tarball" "$tmp/"
while [ $# -gt 0 ] && [ "$1" != -- ]; do cp "$1" "$tmp/lists/"; shift; done
[ $# -gt 0 ] && shift
for c in "$@"; do
	# out/<profile>/<slug>/busybox.config -> configs/<slug>.config
	cp "$c" "$tmp/configs/$(basename "$(dirname "$c")").config"
done
# the patches the tree was made with, in the order applied: the tree's own
# copies (what was applied, even if the patch directory changed since)
if [ -f "$tree/.bbkit-patches" ]; then
	grep -v '^#' "$tree/.bbkit-patches" | while IFS="$(printf '\t')" read -r name sum _; do
		case $name in */*) mkdir -p "$tmp/patches/${name%/*}" ;; esac
		cp "$tree/.bbkit-patches.d/$sum" "$tmp/patches/$name"
		echo "$name" >>"$tmp/patches/series"
	done
fi
# bbkit's own checkout (its .git), never a repository around a copy of it
if [ -e "$top/.git" ] && git -C "$top" rev-parse HEAD >/dev/null 2>&1; then
	git -C "$top" archive --format=tar.gz --prefix=bbkit/ -o "$tmp/bbkit-src.tar.gz" HEAD
else
	echo "bbkit: sources: $top is not a git checkout: bbkit's own source cannot be archived; use a clone" >&2
	exit 1
fi
(cd "$tmp" && find . -type f | sed 's,^\./,,' | LC_ALL=C sort | xargs sha256sum) >"$tmp.sums"
mv "$tmp.sums" "$tmp/SHA256SUMS"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "bbkit: sources: $out ($(wc -l <"$out/SHA256SUMS") files, SHA256SUMS)" >&2
