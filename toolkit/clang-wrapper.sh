#!/bin/sh
# The compiler wrapper bbkit build installs as <build dir>/toolchain/<triple>-clang.
# bbkit prepends the platform's lines (embedded into bbkit at compile time):
#   set -- <--target, --sysroot, -isystem/-B and the row's flags> "$@"
#   id=<identity of clang and the linker>   p=<probe cache dir>
#   l1, l2=<the sysroot's library dirs>   b=<the build dir>
#   sr=<the sysroot>
# The sysroot is named by its link in the build dir (b/.bbkit-sysroot) and
# the source tree by kbuild as .bbkit-src: with CCACHE_BASEDIR=b the
# compiler cache sees the same paths from every build dir, CACHE and
# machine. -L (which ccache hashes as written) is given only to what is not
# a compile (-c).
#
# busybox's Makefile runs the same ~32 compiler probes (cc-option,
# -dumpmachine, a -lcrypt link) on each of its parses, two per build, at ~90
# ms of clang start-up each; every build after a list change pays them again.
# A probe (output to /dev/null, or -dumpmachine; never stdin, dependency
# files, temps or link maps) is answered from $p (CACHE/probes, shared by
# every build dir: a fresh one asks clang nothing it was asked before)
# after its first run, keyed on every argument but the build-dir-specific
# -ffile-prefix-map (it changes no probe's answer), whether each is a file
# and the content of every file argument, clang's path variables and the
# identity (path, size, mtime) of clang and the linker, so an upgraded
# compiler misses. When the cache cannot be written the probe simply runs.
#
# A compile (-c, not a probe) goes through ccache when bbkit gives its path
# (cc=; empty with CCACHE=0). The user's CCACHE_* settings are dropped
# (a sloppiness setting could hand back a stale object): ccache sees only
# what bbkit sets. Its hash already covers every argument (target,
# sysroot, flags) and every header read (sysroot, autoconf.h: the banner's
# date); the namespace adds the identity of clang and the linker and
# SOURCE_DATE_EPOCH. Depend mode: the key is read from the compiler's own
# -MD output, so a miss costs one compile, not a preprocessor run more
# (quick-a, cold: +8% over no cache instead of +50%). Each invocation's
# counts go to the build's stats log.
# SPDX-License-Identifier: GPL-2.0-only
: "${id:?set by bbkit}" "${p:?set by bbkit}" "${cc?set by bbkit}" "${ccd?set by bbkit}" "${ccr?set by bbkit}" "${ccs?set by bbkit}"
: "${l1:?set by bbkit}" "${l2:?set by bbkit}" "${b:?set by bbkit}" "${sr:?set by bbkit}"
compile() {
	if [ -n "${cc-}" ]; then
		# Found in export -p's text by pattern, not read line by line: dash's
		# read takes a pipe one byte a syscall, ~4 ms a compile in kbuild's
		# environment; this is one fork of the shell and no more.
		e="
$(export -p)"
		while :; do
			case $e in *"
export CCACHE_"*) ;; *) break ;; esac
			e=${e#*"
export CCACHE_"}
			v=${e%%"
"*}
			unset "CCACHE_${v%%=*}"
		done
		export CCACHE_DIR="$ccd" CCACHE_CONFIGPATH=/dev/null CCACHE_STATSLOG="$ccs" \
			CCACHE_NAMESPACE="$id epoch=${SOURCE_DATE_EPOCH-}" CCACHE_NOHASHDIR=1 CCACHE_DEPEND=1 \
			CCACHE_BASEDIR="$b"
		[ -z "$ccr" ] || export CCACHE_REMOTE_STORAGE="$ccr"
		exec "$cc" clang "$@"
	fi
	exec clang "$@"
}
probe=
case " $* " in
*" - "* | *" -Wp,"* | *" -MD "* | *" -MMD "* | *" -MF"* | *" -save-temps"* | *",-Map"*) ;;
*" -o /dev/null "* | *" -dumpmachine "*) probe=1 ;;
esac
case " $* " in
*" -c "*) [ -n "${probe-}" ] || compile "$@" ;;
*) set -- "-L$l1" "-L$l2" "$@" ;;
esac
[ -n "${probe-}" ] || exec clang "$@"
# keyed on the sysroot itself, not on the build dir that links to it
h=$({
	printf '%s\n' "$id" "${CPATH-}" "${C_INCLUDE_PATH-}" "${LIBRARY_PATH-}" "${COMPILER_PATH-}" "$sr"
	for a; do
		case $a in
		-ffile-prefix-map=*) continue ;;
		*"$b/"*) printf '%s\n' "${a%%"$b/"*}<b>/${a#*"$b/"}" ;;
		*) printf '%s\n' "$a" ;;
		esac
		if [ -f "$a" ]; then echo F; cat -- "$a"; else echo N; fi
	done
} | sha256sum)
h=${h%% *}
[ ${#h} -eq 64 ] || exec clang "$@"
k=$p/$h
if [ -f "$k.rc" ] && read -r rc <"$k.rc"; then
	if [ -s "$k.out" ]; then cat "$k.out"; fi
	if [ -s "$k.err" ]; then cat "$k.err" >&2; fi
	exit "$rc"
fi
{ mkdir -p "$p" && : >"$k.$$.out" && : >"$k.$$.err"; } 2>/dev/null || exec clang "$@"
trap 'rm -f "$k.$$.out" "$k.$$.err" "$k.$$.rc"; exit 130' HUP INT TERM
clang "$@" >"$k.$$.out" 2>"$k.$$.err"
rc=$?
cat "$k.$$.out"
cat "$k.$$.err" >&2
if [ $rc -lt 128 ] && mv -f "$k.$$.out" "$k.out" && mv -f "$k.$$.err" "$k.err" &&
	echo $rc >"$k.$$.rc"; then
	mv -f "$k.$$.rc" "$k.rc"
fi
rm -f "$k.$$.out" "$k.$$.err" "$k.$$.rc"
exit $rc
