#!/bin/bash
# The bad-input corpus: each directory NN-name/ holds
#   cmd      shell commands run in a scratch copy of the case directory, with
#            $BBKIT, $SRC (busybox tree), $BD (allnoconfig'd build dir), $OUT
#            (a directory holding previous outputs) and $TOP set
#   expect   line 1: the exit code; line 2: a fragment the error must contain
#   inputs   any other files (lists, tarballs) the command reads
# Every case must exit as expected with a message naming the input, leave the
# previous outputs byte-identical and leave no temporary files. TAP output.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${BBKIT:?}" "${BBKIT_SRC:?}" "${TEST_BD:?}"
n=0
cases=$(ls -d "$TOP"/tests/bad-input/*/)
echo "1..$(echo "$cases" | wc -l)"
for c in $cases; do
	n=$((n + 1))
	name=$(basename "$c")
	work=$(mktemp -d /tmp/bbkit-bad.XXXXXX)
	cp -a "$c/." "$work/"
	mkdir -p "$work/out"
	printf 'previous config\n' >"$work/out/out.config"
	printf '/bin/previous\n' >"$work/out/busybox.links"
	printf 'previous tar\n' >"$work/out/rootfs.tar"
	before=$(cd "$work/out" && sha256sum $(ls -A))
	(cd "$work" && BBKIT="$BBKIT" SRC="$BBKIT_SRC" BD="$TEST_BD" OUT="$work/out" TOP="$TOP" \
		bash ./cmd) >"$work/.stdout" 2>"$work/.stderr"
	rc=$?
	want_rc=$(sed -n 1p "$c/expect")
	want_msg=$(sed -n 2p "$c/expect")
	why=""
	[ "$rc" = "$want_rc" ] || why="exit $rc, expected $want_rc"
	[ "$rc" != 0 ] || why="${why:+$why; }exit 0"
	grep -qF -- "$want_msg" "$work/.stderr" || why="${why:+$why; }message lacks: $want_msg"
	after=$(cd "$work/out" && sha256sum $(ls -A))
	[ "$before" = "$after" ] || why="${why:+$why; }previous outputs changed"
	left=$(find "$work" -name '*.tmp*' -o -name '.tmp-*' -o -name '.bbkit-resolve-*' -o -name '*.part.*' | head -3)
	[ -z "$left" ] || why="${why:+$why; }temp files left: $left"
	if [ -z "$why" ]; then
		echo "ok $n - bad input: $name"
	else
		echo "not ok $n - bad input: $name"
		echo "# $why"
		sed 's/^/# stderr: /' "$work/.stderr" | head -8
	fi
	umount "$work/out" 2>/dev/null || true
	rm -rf "$work"
done
