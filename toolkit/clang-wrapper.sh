#!/bin/sh
# The compiler wrapper bbkit build installs as <build dir>/toolchain/<triple>-clang.
# bbkit prepends the platform's lines (embedded into bbkit at compile time):
#   set -- <--target, --sysroot, -isystem/-L/-B and the row's flags> "$@"
#   id=<identity of clang and the linker>   p=<probe cache dir>
#
# busybox's Makefile runs the same ~32 compiler probes (cc-option,
# -dumpmachine, a -lcrypt link) on each of its parses, two per build, at ~90
# ms of clang start-up each; every build after a list change pays them again.
# A probe (output to /dev/null, or -dumpmachine; never stdin, dependency
# files, temps or link maps) is answered from $p after its first run, keyed
# on every argument, the content of every file argument, the directory,
# clang's path variables and the identity (path, size, mtime) of clang and
# the linker, so an upgraded compiler misses. When the cache cannot be
# written the probe simply runs.
# SPDX-License-Identifier: GPL-2.0-only
: "${id:?set by bbkit}" "${p:?set by bbkit}"
case " $* " in
*" - "* | *" -Wp,"* | *" -MD "* | *" -MMD "* | *" -MF"* | *" -save-temps"* | *",-Map"*)
	exec clang "$@" ;;
*" -o /dev/null "* | *" -dumpmachine "*) ;;
*) exec clang "$@" ;;
esac
h=$({
	printf '%s\n' "$id" "$PWD" "${CPATH-}" "${C_INCLUDE_PATH-}" "${LIBRARY_PATH-}" "${COMPILER_PATH-}"
	for a; do
		printf '%s\n' "$a"
		if [ -f "$a" ]; then cat -- "$a"; fi
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
