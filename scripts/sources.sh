#!/bin/sh
# make sources: what a distributor of a GPL-2.0 busybox must be able to hand
# over, in one directory with a SHA256SUMS file: the busybox source tarball
# as fetched, the patches applied to it (Debian's, one's own), the resolved
# config of every platform, the applet lists, and bbkit's own source (git
# archive of HEAD). Written to a temp dir and renamed into place.
# usage: scripts/sources.sh OUTDIR SRCTREE TARBALL LIST... -- CONFIG...
#   lists/     every LIST and every file it includes, at its path below the
#              directory all of them share (includes still resolve; two
#              lists of one name never collide); lists/ORDER: the LISTs in
#              the order resolve reads them
#   patches/   the tree's own copies, under their names (any name: spaces,
#              subdirectories), and series, in the order applied
#   bbkit-src.tar.gz  git archive of bbkit's HEAD; a checkout with
#              uncommitted changes is refused unless SOURCES_DIRTY=1 (env),
#              which adds bbkit-src.diff (git diff HEAD)
# An existing OUTDIR is replaced only when it is bbkit's (.bbkit-dir in it).
# Exit: 0 ok, 1 not honoured (dirty checkout, OUTDIR not bbkit's), 3 system.
set -eu
out=$1 tree=$2 tarball=$3
shift 3
top=$(cd "$(dirname "$0")/.." && pwd)
MARK=.bbkit-dir
die() {
	echo "bbkit: sources: $2" >&2
	exit "$1"
}
if [ -e "$out" ] && [ ! -f "$out/$MARK" ]; then
	die 1 "$out: exists and is not bbkit's (no $MARK in it): bbkit replaces only its own sources/, never deletes yours; move it away or choose another OUT"
fi
# bbkit's own checkout (its .git), never a repository around a copy of it
if ! { [ -e "$top/.git" ] && git -C "$top" rev-parse HEAD >/dev/null 2>&1; }; then
	die 1 "$top is not a git checkout: bbkit's own source cannot be archived; use a clone"
fi
dirty=$(git -C "$top" status --porcelain --untracked-files=no)
if [ -n "$dirty" ] && [ "${SOURCES_DIRTY:-0}" != 1 ]; then
	die 1 "$top: bbkit's checkout has uncommitted changes ($(echo "$dirty" | wc -l) files, e.g. $(echo "$dirty" | head -1 | cut -c4-)): an archive of HEAD is not the bbkit that built this; commit them, or run make sources SOURCES_DIRTY=1 to add their diff (bbkit-src.diff)"
fi
tmp=$out.tmp.$$
trap 'rm -rf "$tmp" "$tmp.sums" "$tmp.old" "$tmp.lists" "$tmp.lists.inc"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp/lists" "$tmp/configs" "$tmp/patches"
printf 'bbkit made this directory (make sources); it replaces it on the next run\n' >"$tmp/$MARK"
cp "$tarball" "$tmp/"

# the lists and, transitively, what they include (the path relative to the
# including file, as bbkit reads it), each once, by its real path
includes() { # FILE -> the files it includes, one a line
	sed -n 's/^[[:space:]]*include[[:space:]]\{1,\}//p' "$1" |
		sed 's/[[:space:]]#.*$//; s/[[:space:]]*$//' | while IFS= read -r inc; do
		case $inc in
		/*) realpath -e -- "$inc" ;;
		*) realpath -e -- "$(dirname "$1")/$inc" ;;
		esac
	done
}
: >"$tmp.lists"
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	realpath -e -- "$1" >>"$tmp.lists"
	shift
done
[ $# -gt 0 ] && shift
order=$(cat "$tmp.lists")
n=0
while [ "$n" != "$(wc -l <"$tmp.lists")" ]; do
	n=$(wc -l <"$tmp.lists")
	while IFS= read -r f; do includes "$f"; done <"$tmp.lists" >"$tmp.lists.inc"
	LC_ALL=C sort -u -o "$tmp.lists" "$tmp.lists" "$tmp.lists.inc"
done
# the deepest directory every list is under
base=$(head -1 "$tmp.lists")
base=${base%/*}
while IFS= read -r f; do
	while case $f in "$base"/*) false ;; *) true ;; esac; do base=${base%/*}; done
done <"$tmp.lists"
while IFS= read -r f; do
	rel=${f#"$base"/}
	mkdir -p "$tmp/lists/$(dirname "$rel")"
	cp -- "$f" "$tmp/lists/$rel"
done <"$tmp.lists"
echo "$order" | while IFS= read -r f; do echo "${f#"$base"/}"; done >"$tmp/lists/ORDER"

for c in "$@"; do
	# out/<profile>/<slug>/busybox.config -> configs/<slug>.config
	cp "$c" "$tmp/configs/$(basename "$(dirname "$c")").config"
done
# the patches the tree was made with, in the order applied: the tree's own
# copies (what was applied, even if the patch directory changed since)
if [ -f "$tree/.bbkit-patches" ]; then
	grep -v '^#' "$tree/.bbkit-patches" | while IFS="$(printf '\t')" read -r name sum _; do
		case $name in */*) mkdir -p "$tmp/patches/${name%/*}" ;; esac
		cp -- "$tree/.bbkit-patches.d/$sum" "$tmp/patches/$name"
		printf '%s\n' "$name" >>"$tmp/patches/series"
	done
fi
git -C "$top" archive --format=tar.gz --prefix=bbkit/ -o "$tmp/bbkit-src.tar.gz" HEAD
[ -z "$dirty" ] || git -C "$top" diff --binary HEAD >"$tmp/bbkit-src.diff"
(cd "$tmp" && find . -type f ! -name "$MARK" -print0 | sed -z 's,^\./,,' | LC_ALL=C sort -z |
	xargs -0 sha256sum --) >"$tmp.sums"
mv "$tmp.sums" "$tmp/SHA256SUMS"
# the earlier one moves aside only when the new one is complete
[ ! -e "$out" ] || mv "$out" "$tmp.old"
mv "$tmp" "$out"
rm -rf "$tmp.old" "$tmp.lists" "$tmp.lists.inc"
trap - EXIT
echo "bbkit: sources: $out ($(wc -l <"$out/SHA256SUMS") files, SHA256SUMS)" >&2
