#!/bin/sh
# Code shape: lines per C file and the longest functions (body lines between
# a column-0 "{" and its column-0 "}"), for the toolkit's sources.
# usage: bench/code-shape.sh [N]   (N longest functions, default 10)
cd "$(dirname "$0")/.." || exit 3
n=${1:-10}
echo "# lines per file"
wc -l toolkit/*.c toolkit/*.h toolkit/*.sh toolkit/lib/*.c toolkit/lib/*.h toolkit/lib/kconfig/*.c toolkit/lib/kconfig/*.h toolkit/lib/scan/*.c toolkit/lib/scan/*.h | sort -n
echo "# longest functions"
for f in toolkit/*.c toolkit/lib/*.c toolkit/lib/kconfig/*.c toolkit/lib/scan/*.c; do
	awk -v f="$f" '
		/^[A-Za-z].*\(/ { sig = $0; sub(/\(.*/, "", sig); nsig = split(sig, w, /[ *]+/); name = w[nsig] }
		/^\{/ { start = NR; fn = name }
		/^\}/ && start { print NR - start - 1, f ":" start, fn; start = 0 }
	' "$f"
done | sort -rn | head -"$n"
