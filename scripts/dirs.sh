#!/bin/sh
# The directories bbkit makes (OUT, B, CACHE) and the only ones make clean
# and distclean delete.
#   scripts/dirs.sh mark DIR...        make each missing DIR, with the marker
#                                      .bbkit-dir in it (an existing DIR is
#                                      left alone: it is not bbkit's)
#   scripts/dirs.sh check|delete GOAL VAR=DIR...
#                                      check: every DIR may be deleted by make
#                                      GOAL (exit 2 naming the variable
#                                      otherwise); delete: check all, then
#                                      delete them
# A DIR may be deleted when it is missing, or holds .bbkit-dir, or is bbkit's
# default place in the checkout (_build, .cache, out: from before markers);
# never when it resolves to /, $HOME, the checkout or a directory above one
# of them, marker or not.
# SPDX-License-Identifier: GPL-2.0-only
set -u
MARK=.bbkit-dir
top=$(cd "$(dirname "$0")/.." && pwd -P)
what=$1
shift
if [ "$what" = mark ]; then
	for d; do
		[ -d "$d" ] && continue
		mkdir -p "$d" || exit 3
		printf 'bbkit made this directory; make clean/distclean may delete it\n' >"$d/$MARK" || exit 3
	done
	exit 0
fi
goal=$1
shift
# is $1 the path $2 or a directory above it?
above() { case $2/ in "$1"/*) return 0 ;; esac; [ "$1" = / ]; }
refuse() {
	echo "bbkit: make: $goal: $1" >&2
	exit 2
}
home=$(cd "${HOME:-/}" 2>/dev/null && pwd -P) || home=/
for a; do
	var=${a%%=*} d=${a#*=}
	[ -n "$d" ] || refuse "$var is empty: name the directory to delete"
	# what it resolves to (symlinks and .. included), missing tail or not
	abs=$(realpath -m -- "$d") || refuse "$var=$d: cannot resolve the path"
	for keep in / "$home" "$top"; do
		above "$abs" "$keep" &&
			refuse "$var=$d resolves to $abs, which is $keep or above it: make $goal deletes only a directory bbkit made, never that; set $var to one"
	done
	[ -e "$abs" ] || [ -L "$d" ] || continue
	[ -d "$abs" ] || refuse "$var=$d: $abs is not a directory: make $goal deletes only a directory bbkit made; remove it yourself"
	case $abs in "$top/_build" | "$top/.cache" | "$top/out") continue ;; esac
	[ -f "$abs/$MARK" ] ||
		refuse "$var=$d: $abs has no $MARK: bbkit did not make it, so make $goal leaves it; delete it yourself if it holds only bbkit's files"
done
[ "$what" = delete ] || exit 0
for a; do
	d=${a#*=}
	rm -rf -- "$d" || exit 3
done
