#!/bin/bash
# Time 'bbkit scan' on a real corpus nobody here wrote: Debian's
# initramfs-tools scripts (init, scripts/functions, hooks, mkinitramfs; every
# file whose first line is #!/bin/sh) plus busybox's examples/udhcp/simple.script.
# The packages are downloaded into a temp dir (apt-get download), never kept.
# usage: bench/scan.sh [BBKIT [SRC]]   (defaults: _build/bbkit, the cached 1.38.0 tree)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bbkit=${1:-$top/_build/bbkit}
src=${2:-${CACHE:-$top/.cache}/src/busybox-1.38.0+security}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bbkit-bench-scan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q initramfs-tools-core initramfs-tools >/dev/null 2>&1) || {
	echo "bench/scan.sh: apt-get download initramfs-tools failed (no network?)" >&2
	exit 3
}
for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$tmp/x"; done
files=()
while IFS= read -r f; do
	case "$(head -c 12 "$f")" in '#!/bin/sh'* | '#! /bin/sh'*) files+=("$f") ;; esac
done < <(find "$tmp/x/usr/share/initramfs-tools" "$tmp/x/usr/sbin" -type f | sort)
files+=("$tmp/x/usr/share/initramfs-tools/scripts/functions" "$src/examples/udhcp/simple.script")
lines=$(wc -l <"${files[@]:0:1}" >/dev/null; cat "${files[@]}" | wc -l)
t0=$(date +%s.%N)
"$bbkit" scan --src "$src" "${files[@]}" >"$tmp/need.list"
t1=$(date +%s.%N)
echo "scan: ${#files[@]} files, $lines lines: $(echo "$t1 - $t0" | bc) s;" \
	"list: $(grep -cv '^#' "$tmp/need.list") lines (applets: $(grep -v '^#' "$tmp/need.list" | grep -c '^[a-z[]'))," \
	"$(grep -c '^# not busybox' "$tmp/need.list") commands not busybox," \
	"$(grep -c '^# cannot be known' "$tmp/need.list") dynamic"
