#!/usr/bin/env bats
# Make variables refused before anything is resolved or built, all cheap
# (make -n, direct bbkit calls): SOURCE_DATE_EPOCH's one rule (make and every
# command), JOBS's bounds, PLATFORMS's names, PROFILE's grammar (the OCI ref
# bbkit image writes), what make clean/distclean may delete, make sources.
load helpers

mk() { run make -C "$TOP" --no-print-directory CACHE="$CACHE" B="$B" "$@"; }
# make refuses VAR=VALUE (exit 2, before any rule) with a line ending in MSG
refused() { # VAR=VALUE MSG [target]
	mk -n "$1" "${3:-help}"
	[ "$status" -eq 2 ] || { echo "accepted: $1"; printf '%s\n' "$output"; return 1; }
	has_line "*** bbkit: make: $1: $2.  Stop."
}
accepted() { # VAR=VALUE
	mk -n "$1" help
	[ "$status" -eq 0 ] || { echo "refused: $1"; printf '%s\n' "$output"; return 1; }
}
EPOCH_MSG="seconds since 1970 as digits only, 0 to 253402300799 (9999-12-31)"
CMD_EPOCH_MSG="not a time: want seconds since 1970 as digits only, 0 to 253402300799 (9999-12-31); set such a number, or unset it for 946684800 (2000-01-01, make's default)"

@test "SOURCE_DATE_EPOCH: make takes digits from 0 to year 9999, refuses more, a sign, or 2^63-1" {
	for v in 0 946684800 8589934592 253402300799 000000000000000000001; do
		accepted SOURCE_DATE_EPOCH=$v || return 1
	done
	for v in 253402300800 9223372036854775807 18446744073709551617 -1 abc 1e9; do
		refused SOURCE_DATE_EPOCH=$v "$EPOCH_MSG" || return 1
	done
}

@test "SOURCE_DATE_EPOCH: every command applies make's rule, exit 2 naming the value" {
	for v in 9223372036854775807 253402300800 abc -1 '' ' 1' +1; do
		for cmd in rootfs image sbom vex manifest platforms; do
			run env SOURCE_DATE_EPOCH="$v" "$BBKIT" "$cmd" --help
			[ "$status" -eq 2 ] || { echo "$cmd took SOURCE_DATE_EPOCH=[$v]: $status"; return 1; }
			is_line "bbkit: $cmd: SOURCE_DATE_EPOCH=$v: $CMD_EPOCH_MSG"
		done
		run env SOURCE_DATE_EPOCH="$v" "$BBKIT" resolve --help
		[ "$status" -eq 2 ] || { echo "resolve took SOURCE_DATE_EPOCH=[$v]"; return 1; }
	done
}

# a rootfs of the test build dir (one applet) and an image of it
rootfs_and_image() { # EPOCH-or-unset
	l=$(list <<<ls)
	run "$BBKIT" resolve -q --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/r.config" "$l"
	[ "$status" -eq 0 ] || return 1
	run env ${1:+SOURCE_DATE_EPOCH=$1} "$BBKIT" rootfs -q --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/r.config" \
		--binary "$BBKIT" --out "$BATS_TEST_TMPDIR/r.tar"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output"; return 1; }
	rm -rf "$BATS_TEST_TMPDIR/img"
	run env ${1:+SOURCE_DATE_EPOCH=$1} "$BBKIT" image -q --out "$BATS_TEST_TMPDIR/img" --ref t --version "$V" \
		linux/amd64="$BATS_TEST_TMPDIR/r.tar"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output"; return 1; }
}
image_created() {
	local m c
	m=$(jq -r '.manifests[0].digest' "$BATS_TEST_TMPDIR/img/index.json")
	m=$(jq -r '.manifests[0].digest' "$BATS_TEST_TMPDIR/img/blobs/sha256/${m#sha256:}")
	m=$(jq -r '.config.digest' "$BATS_TEST_TMPDIR/img/blobs/sha256/${m#sha256:}")
	jq -r .created "$BATS_TEST_TMPDIR/img/blobs/sha256/${m#sha256:}"
}

@test "SOURCE_DATE_EPOCH unset: rootfs, image and the banner's date all say 2000-01-01, make's default" {
	unset SOURCE_DATE_EPOCH
	rootfs_and_image ""
	[ "$(tar tvf "$BATS_TEST_TMPDIR/r.tar" --utc bin/busybox | awk '{ print $4, $5 }')" = "2000-01-01 00:00" ]
	[ "$(image_created)" = 2000-01-01T00:00:00Z ]
	bd="$BATS_TEST_TMPDIR/bd"
	cp -a "$TEST_BD" "$bd"
	run "$BBKIT" resolve -q --src "$BBKIT_SRC" --builddir "$bd" "$(list <<<ls)"
	[ "$status" -eq 0 ]
	grep -qx '#define AUTOCONF_TIMESTAMP "2000-01-01 00:00:00 GMT"' "$bd/include/autoconf.h"
}

@test "SOURCE_DATE_EPOCH=253402300799 (the last second of 9999): the rootfs and the image carry it" {
	rootfs_and_image 253402300799
	run python3 -c 'import sys, tarfile; print(sorted({int(m.mtime) for m in tarfile.open(sys.argv[1])}))' "$BATS_TEST_TMPDIR/r.tar"
	[ "$output" = "[253402300799]" ]
	[ "$(image_created)" = 9999-12-31T23:59:59Z ]
}

@test "JOBS: 1 to 1024, digits without a leading zero; 00, 0, 07, 1025, 70000 refused with a message" {
	for v in 1 2 1024; do accepted JOBS=$v || return 1; done
	for v in 00 0 07 1025 70000 99999999999999999999 -1 2x; do
		refused JOBS=$v "a number of job slots from 1 to 1024, digits without a leading zero" || return 1
	done
}

@test "PLATFORMS: a duplicate, an alias or a misspelling is refused before anything resolves" {
	refused "PLATFORMS=linux/amd64 linux/amd64" "linux/amd64 named 2 times; name each platform once" config
	refused "PLATFORMS=linux/arm64 linux/amd64 linux/arm64" "linux/arm64 named 2 times; name each platform once" config
	for p in linux/arm/7 linux/arm64/v8 linux/x86_64 linux/arm % "linux/%"; do
		refused "PLATFORMS=linux/amd64 $p" "$p: not a platform bbkit builds; use one of: $("$BBKIT" platforms --names | tr '\n' ' ' | sed 's/ $//')" config || return 1
	done
}

@test "make's platform names are the platform table's (bbkit platforms --names)" {
	mk -pn help
	[ "$status" -eq 0 ]
	is_line "KNOWN_PLATFORMS := $("$BBKIT" platforms --names | tr '\n' ' ' | sed 's/ $//')"
}

@test "PROFILE: make takes exactly the names bbkit image takes as its ref, before any build" {
	msg="a profile name is letters and digits with one of . _ - (or --) between two of them (the OCI ref name bbkit image writes)"
	for p in x_ _x .x -x a..b a-.b a_-b a---b a. x-; do
		refused PROFILE=$p "$msg; rename it" config || return 1
		run "$BBKIT" image --out "$BATS_TEST_TMPDIR/i" --ref "$p" --version "$V" linux/amd64=/nonexistent.tar
		has_line "not an OCI reference name"
	done
	for p in a a-b a--b a.b a_b A9 debug-shell x.y_z-1; do
		accepted PROFILE=$p || return 1
		run "$BBKIT" image --out "$BATS_TEST_TMPDIR/i" --ref "$p" --version "$V" linux/amd64=/nonexistent.tar
		[[ "$output" != *"not an OCI reference name"* ]] || return 1
	done
	l="$BATS_TEST_TMPDIR/x_.list"
	echo ls >"$l"
	mk -n LIST="$l" config
	[ "$status" -eq 2 ]
	has_line "*** bbkit: make: PROFILE=x_: $msg (LIST's basename without .list); rename the list.  Stop."
}

@test "make clean/distclean never delete /, \$HOME, the checkout or a directory above one; exit 2" {
	for a in OUT=. OUT=.. B=/ OUT=/ B="$TOP" OUT="$HOME" B="$TOP/.." OUT="$TOP/./"; do
		mk -n "$a" clean
		[ "$status" -eq 2 ] || { echo "make clean $a: $status"; return 1; }
		has_line "*** bbkit: make: clean: $a resolves to" || return 1
	done
	mk -n CACHE=/ distclean
	[ "$status" -eq 2 ]
	has_line "*** bbkit: make: distclean: CACHE=/ resolves to /, which is / or above it: make distclean deletes only a directory bbkit made, never that; set CACHE to one.  Stop."
}

@test "make clean deletes only what bbkit made (.bbkit-dir): a user's directory is refused and kept" {
	t=$BATS_TEST_TMPDIR
	mkdir -p "$t/mine"
	echo precious >"$t/mine/notes"
	mk -n B="$t/b" OUT="$t/mine" clean
	[ "$status" -eq 2 ]
	has_line "*** bbkit: make: clean: OUT=$t/mine: $t/mine has no .bbkit-dir: bbkit did not make it, so make clean leaves it; delete it yourself if it holds only bbkit's files.  Stop."
	mk B="$t/b" OUT="$t/mine" clean
	[ "$status" -eq 2 ]
	[ "$(cat "$t/mine/notes")" = precious ]
	# directories make made: marked, and deleted
	mk B="$t/b" CACHE="$t/c" OUT="$t/mine" setup
	[ "$status" -eq 0 ]
	[ -f "$t/b/.bbkit-dir" ]
	[ -f "$t/c/.bbkit-dir" ]
	sh "$TOP/scripts/dirs.sh" mark "$t/o" "$t/mine"
	[ ! -e "$t/mine/.bbkit-dir" ]
	mk B="$t/b" OUT="$t/o" CACHE="$t/c" distclean
	[ "$status" -eq 0 ]
	[ ! -e "$t/o" ]
	[ ! -e "$t/b" ]
	[ ! -e "$t/c" ]
}

# a listing of every file and directory under the checkout, B, CACHE and
# OUT: name, type, mtime, size, mode
tree_state() { # DIR...
	find "$@" -printf '%p %y %T@ %s %m\n' 2>/dev/null | LC_ALL=C sort
}

@test "make -n writes nothing: no file made or changed under the checkout, B, CACHE or OUT, whatever the target" {
	# a list newer than its build (as after an edit): every rule would run,
	# the busybox build ('+' for the jobserver) and all's sub-make included;
	# OUT/<profile> there as after an earlier make (flock made its lock file)
	o="$BATS_TEST_TMPDIR/out"
	sh "$TOP/scripts/dirs.sh" mark "$o"
	mkdir -p "$o/smoke" "$BATS_TEST_TMPDIR/l"
	cp "$TOP/tests/lists/smoke.list" "$BATS_TEST_TMPDIR/l/smoke.list"
	tree_state "$TOP" "$B" "$CACHE" "$o" >"$BATS_TEST_TMPDIR/before"
	for t in all image archive "archive image" config sources "list CONFIG=$TOP/configs/minimal-$V.config" fetch prepare resolve \
		check-upstream check-defconfig lock check-lock repro fuzz clean test setup setup-test resolver outputs publish \
		suid-check "SUID=1 all" "COMPRESS=upx all" help; do
		# (word splitting: "list CONFIG=..." is a target and a variable)
		mk -n OUT="$o" LIST="$BATS_TEST_TMPDIR/l/smoke.list" PLATFORMS=linux/amd64 JOBS=1 $t
		[ "$status" -eq 0 ] || { echo "make -n $t: exit $status"; printf '%s\n' "$output" | tail -5; return 1; }
	done
	tree_state "$TOP" "$B" "$CACHE" "$o" >"$BATS_TEST_TMPDIR/after"
	diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
}

@test "the makes tests run run the sanitizer build: every bbkit and resolver command is BBKIT_BIN's" {
	# make test sets BBKIT_BIN to the ASan+UBSan bbkit (helpers.bash too)
	[ "$BBKIT_BIN" = "$BBKIT" ]
	grep -q __asan_init "$BBKIT_BIN"
	grep -q __ubsan_handle "$BBKIT_BIN"
	grep -q __asan_init "$(dirname "$BBKIT_BIN")/bbkit-$V"
	o="$BATS_TEST_TMPDIR/out"
	# every command of a whole make, image, archive, sources and check-upstream
	for t in image archive sources check-upstream; do
		mk -n OUT="$o" LIST="$TOP/tests/lists/smoke.list" PLATFORMS="linux/amd64 linux/arm64" SUID=1 COMPRESS=upx $t
		[ "$status" -eq 0 ] || { printf '%s\n' "$output" | tail -5; return 1; }
		printf '%s\n' "$output" | grep -o "[^ =]*/bbkit[-0-9.]* [a-z]*" | sort -u >"$BATS_TEST_TMPDIR/cmds"
		# (which commands a dry run lists depends on what earlier tests built:
		# publish always runs; every one listed must be the ASan bbkit)
		for c in publish; do
			grep -qx "$BBKIT_BIN $c" "$BATS_TEST_TMPDIR/cmds" || { echo "make $t: no '$BBKIT_BIN $c'"; cat "$BATS_TEST_TMPDIR/cmds"; return 1; }
		done
		grep -qx "$(dirname "$BBKIT_BIN")/bbkit-$V resolve" "$BATS_TEST_TMPDIR/cmds"
		# and no other bbkit
		run grep -vx -e "$BBKIT_BIN [a-z]*" -e "$(dirname "$BBKIT_BIN")/bbkit-$V resolve" "$BATS_TEST_TMPDIR/cmds"
		[ "$status" -eq 1 ] || { echo "make $t runs another bbkit: $output"; return 1; }
	done
	mk -n OUT="$o" LIST="$TOP/tests/lists/smoke.list" PLATFORMS=linux/amd64 image
	has_line "$BBKIT_BIN image "
	# a path make would pass on unquoted is refused like any other
	mk -n BBKIT_BIN='/tmp/my bbkit' help
	[ "$status" -eq 2 ]
	has_line "*** bbkit: make: BBKIT_BIN=/tmp/my bbkit: a path here may hold only letters"
}

@test "make -n config is a dry run: it exits 0 and writes no build dir, lock or output" {
	l="$BATS_TEST_TMPDIR/dryrun-only.list"
	echo ls >"$l"
	mk -n LIST="$l" PLATFORMS=linux/amd64 OUT="$BATS_TEST_TMPDIR/o" config
	[ "$status" -eq 0 ]
	[ ! -e "$B/bb/$V/dryrun-only" ]
	[ ! -e "$BATS_TEST_TMPDIR/o" ]
}

@test "make sources hands over every list resolve read: the fragments, and 1.37.0's list for non-x86" {
	l="$BATS_TEST_TMPDIR/src.list"
	f="$BATS_TEST_TMPDIR/tiny.cfg"
	echo ls >"$l"
	echo cat >"$f"
	# -o all: only the sources recipe, printed
	mk -n -o all LIST="$l" FRAGMENTS="$f" PLATFORMS=linux/amd64 OUT="$BATS_TEST_TMPDIR/o" sources
	[ "$status" -eq 0 ]
	[[ "$output" = *" applet-lists/toolchain/musl.list $l $f "* ]]
	mk -n -o all BUSYBOX_VERSION=1.37.0 LIST="$l" PLATFORMS="linux/amd64 linux/arm64" OUT="$BATS_TEST_TMPDIR/o" sources
	[ "$status" -eq 0 ]
	[[ "$output" = *" applet-lists/toolchain/musl.list applet-lists/toolchain/busybox-1.37.0-non-x86.list $l "* ]]
}

@test "TAG: make archive's RepoTag is a docker reference; spaces, quotes, upper case, '..' or '\$' refused before any build" {
	msg="a docker reference: a lowercase repository path (letters, digits and . _ - between them, components separated by /), then an optional :TAG; no spaces, quotes, upper case or '..'"
	for t in "bbkit/x y:1" "bbkit/x'y" 'bbkit/x"y' "Bbkit/x:1" "bbkit/X" "bbkit/../x" "a..b" "x;y" "x*" "x~"; do
		refused "TAG=$t" "$msg" archive || return 1
	done
	for t in bbkit/x:1 x registry.example:5000/a/b:v1.2 a_b/c-d:latest; do accepted "TAG=$t" || return 1; done
	# the default: bbkit/<profile, lower case>:<version>
	mk -pn PROFILE=Debug-Shell help
	is_line "TAG := bbkit/debug-shell:$V"
	# and bbkit image applies the whole grammar (what make's character check lets through)
	run "$BBKIT" image --archive "$BATS_TEST_TMPDIR/i.tar" --tag "bbkit/x-:1" --ref x --version "$V" linux/amd64=/nonexistent.tar
	[ "$status" -eq 2 ]
}

@test "OUT that is a symlink: refused before any build, naming where it points; a dangling one too" {
	ln -s "$BATS_TEST_TMPDIR/real" "$BATS_TEST_TMPDIR/link"
	refused "OUT=$BATS_TEST_TMPDIR/link" "a symlink (to $BATS_TEST_TMPDIR/real): bbkit swaps directories under OUT and make clean deletes it, so OUT is a real directory or absent; give the directory itself (OUT=$BATS_TEST_TMPDIR/real)" archive
	mkdir "$BATS_TEST_TMPDIR/real"
	refused "OUT=$BATS_TEST_TMPDIR/link/" "a symlink (to $BATS_TEST_TMPDIR/real): bbkit swaps directories under OUT and make clean deletes it, so OUT is a real directory or absent; give the directory itself (OUT=$BATS_TEST_TMPDIR/real)"
	[ ! -e "$BATS_TEST_TMPDIR/real/.bbkit-dir" ]
	accepted "OUT=$BATS_TEST_TMPDIR/real"
}

@test "a make with another B (make test's second lane) can make the ASan resolver beside BBKIT_BIN, for any version" {
	# make test's lane 1 runs makes with B=<B>/lane-1 and BBKIT_BIN in
	# make test's own ASan dir: a resolver missing there had no rule (the
	# rule was for <B>/lane-1/asan), and a version first asked for in that
	# lane failed with "No rule to make target"
	a="$BATS_TEST_TMPDIR/asan"
	mkdir -p "$a"
	cp "$BBKIT_BIN" "$a/bbkit"
	run make -n -C "$TOP" --no-print-directory CACHE="$CACHE" B="$BATS_TEST_TMPDIR/b" BBKIT_BIN="$a/bbkit" \
		BBKIT_ASAN="$a" PLATFORMS=linux/amd64 config
	[ "$status" -eq 0 ]
	[[ "$output" = *" -o $a/bbkit-$V.tmp."* ]]
}

@test "a make with a fresh B compiles nothing of the bbkit it runs: BBKIT_BIN's objects do not depend on B" {
	# the generated headers were B's (B/gen): a test's fresh B made them new,
	# so each such make compiled make test's ASan bbkit and resolver again
	# (~25 CPU s each, some 20 times a run), two lanes at once
	run make -n -C "$TOP" --no-print-directory CACHE="$CACHE" B="$BATS_TEST_TMPDIR/b" BBKIT_BIN="$BBKIT_ASAN/bbkit" \
		BBKIT_ASAN="$BBKIT_ASAN" PLATFORMS=linux/amd64 config
	[ "$status" -eq 0 ]
	[[ "$output" = *"resolve"* ]]
	[[ "$output" != *"-fsanitize"* ]]
	[[ "$output" != *"$BBKIT_ASAN/obj"* ]]
}

@test "make test compiles its own library objects through that cache: relative to the checkout, debug paths mapped, none of the user's CCACHE_*; CCACHE=0: plain" {
	b="$BATS_TEST_TMPDIR/b"
	run env -u BBKIT_ASAN make -C "$TOP" --no-print-directory -n CACHE="$CACHE" B="$b" CCACHE=/d/cc test
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "${lines[@]}" | grep -m1 'BBKIT_SELF_CCACHE=1')
	[ -n "$line" ]
	[[ "$line" == *" CCACHE_DIR=/d/cc CCACHE_CONFIGPATH=/dev/null CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1 make "* ]]
	# the objects of bbkit, its ASan build and the fuzzers go through it
	for o in "$b/obj/lib/fs.o" "$b/asan/obj/lib/fs.o" "$b/fuzz/obj/lib/fs.o"; do
		printf '%s\n' "${lines[@]}" | grep -q "^ccache \(gcc\|clang\) .* -fdebug-prefix-map=$TOP=\. -c -o $o\.tmp\.\\$\\$ toolkit/lib/fs\.c && "
	done
	# the user's CCACHE_* are dropped: the env line's own expansion of them
	drop=${line#env }
	drop=${drop%% CCACHE_DIR=*}
	[ "$(env -i CCACHE_SLOPPINESS=time_macros CCACHE_RECACHE=1 PATH="$PATH" sh -c "echo $drop")" = "-u CCACHE_SLOPPINESS -u CCACHE_RECACHE" ]
	run env -u BBKIT_ASAN make -C "$TOP" --no-print-directory -n CACHE="$CACHE" B="$b" CCACHE=0 test
	[ "$status" -eq 0 ]
	run grep -c 'BBKIT_SELF_CCACHE\|^ccache ' <<<"$output"
	[ "$output" = 0 ]
}

@test "make test's compiler cache is the user's, shared by checkouts; CACHE's where HOME gives no path make can pass on" {
	HOME=/h XDG_CACHE_HOME= mk -pn CCACHE=1 help
	[ "$status" -eq 0 ]
	is_line "CCACHE_SHARED := /h/.cache/bbkit/test-ccache"
	HOME=/h XDG_CACHE_HOME=/x/c mk -pn CCACHE=1 help
	is_line "CCACHE_SHARED := /x/c/bbkit/test-ccache"
	HOME="/a b" XDG_CACHE_HOME= mk -pn CCACHE=1 help
	is_line "CCACHE_SHARED := $CACHE/ccache"
	HOME= XDG_CACHE_HOME=rel mk -pn CCACHE=1 help
	is_line "CCACHE_SHARED := $CACHE/ccache"
	mk -pn CCACHE=0 help
	is_line "CCACHE_SHARED := 0"
	mk -pn CCACHE=/d/cc help
	is_line "CCACHE_SHARED := /d/cc"
	# HOME and XDG_CACHE_HOME are data: make code in them is never run
	HOME='/h$(shell touch '"$BATS_TEST_TMPDIR"'/ran)' XDG_CACHE_HOME= mk -pn CCACHE=1 help
	[ "$status" -eq 0 ]
	is_line "CCACHE_SHARED := $CACHE/ccache"
	HOME=/h XDG_CACHE_HOME='$(shell touch '"$BATS_TEST_TMPDIR"'/ran)' mk -pn CCACHE=1 help
	is_line "CCACHE_SHARED := $CACHE/ccache"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}
