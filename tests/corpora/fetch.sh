#!/bin/bash
# One corpus of tests/corpora/corpora.tsv, downloaded with a private apt
# configuration (own state under CACHE/apt-corpus-SUITE; the deb-src lines
# are those `bbkit fetch --print-sources` derives from the host's apt
# sources for the pinned busybox version of that suite; never /etc/apt's
# state, never apt-get install), sha256-checked against the table and
# unpacked into CACHE/corpus/NAME-SHA16/ (made in a temp dir, renamed).
# Prints that directory. Exit 3: cannot download (no network, the mirror no
# longer has the file); 1: the download's sha256 is not the pinned one.
# usage: tests/corpora/fetch.sh BBKIT CACHE NAME
set -eu
bbkit=${1:?usage: $0 BBKIT CACHE NAME} cache=${2:?} name=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
row=$(awk -F'\t' -v n="$name" '!/^#/ && $1 == n' "$here/corpora.tsv")
[ -n "$row" ] || { echo "tests/corpora/fetch.sh: $name: not in $here/corpora.tsv" >&2; exit 2; }
IFS=$'\t' read -r _ suite file sha <<<"$row"
out=$cache/corpus/$name-${sha:0:16}
[ -d "$out" ] && { echo "$out"; exit 0; }
pkg=${file%%_*}
bbver=$(awk -F'\t' -v s="$suite" '$1 == "busybox" && $4 == s { print $2; exit }' "$here/../../pins.tsv")
[ -n "$bbver" ] || { echo "tests/corpora/fetch.sh: $name: no busybox pin of suite $suite in pins.tsv" >&2; exit 2; }
apt=$cache/apt-corpus-$suite
mkdir -p "$apt/etc/sources.list.d" "$apt/etc/preferences.d" "$apt/lists/partial" "$apt/cache/archives/partial" "$cache/corpus"
"$bbkit" fetch -q --cache "$cache" --version "$bbver" --print-sources >"$apt/etc/sources.list.new"
mv "$apt/etc/sources.list.new" "$apt/etc/sources.list"
o=(-o "Dir::Etc::SourceList=$apt/etc/sources.list" -o "Dir::Etc::SourceParts=$apt/etc/sources.list.d"
	-o "Dir::Etc::Preferences=$apt/etc/preferences" -o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
	-o "Dir::State::Lists=$apt/lists" -o "Dir::State::status=/dev/null" -o "Dir::Cache=$apt/cache"
	-o "APT::Sandbox::User=root")
fail3() { echo "tests/corpora/fetch.sh: $name: $*" >&2; exit 3; }
dir=$(apt-cache "${o[@]}" showsrc "$pkg" 2>/dev/null | awk -v f="$file" '
	/^Package:/ { d = ""; hit = 0 } / / && $NF == f { hit = 1 } /^Directory:/ { d = $2 }
	/^$/ && hit && d != "" { print d; exit } END { if (hit && d != "") print d }' | head -1)
if [ -z "$dir" ]; then
	apt-get "${o[@]}" -q update >"$apt/log" 2>&1 || fail3 "apt-get update failed (log $apt/log)"
	dir=$(apt-cache "${o[@]}" showsrc "$pkg" 2>/dev/null | awk -v f="$file" '
		/^Package:/ { d = ""; hit = 0 } / / && $NF == f { hit = 1 } /^Directory:/ { d = $2 }
		/^$/ && hit && d != "" { print d; exit } END { if (hit && d != "") print d }' | head -1)
fi
[ -n "$dir" ] || fail3 "Debian's $suite source index has no $file (the pin may be older than the mirror; update tests/corpora/corpora.tsv)"
tmp=$(mktemp -d "$cache/corpus/.tmp-$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
got=""
while read -r uri; do
	/usr/lib/apt/apt-helper "${o[@]}" download-file "$uri/$dir/$file" "$tmp/$file" >>"$apt/log" 2>&1 && { got=1; break; }
done < <(awk '$1 == "deb-src" { print ($2 ~ /^\[/ ? $3 : $2) }' "$apt/etc/sources.list")
[ -n "$got" ] || fail3 "cannot download $file (log $apt/log)"
sum=$(sha256sum "$tmp/$file" | cut -d' ' -f1)
[ "$sum" = "$sha" ] || { echo "tests/corpora/fetch.sh: $name: $file: sha256 $sum, pinned $sha; refusing it" >&2; exit 1; }
mkdir "$tmp/x"
tar -xf "$tmp/$file" -C "$tmp/x" --strip-components=1 --no-same-owner
# another run may have put it in place meanwhile: then that one is used
mv -T "$tmp/x" "$out" 2>/dev/null || [ -d "$out" ]
echo "$out"
