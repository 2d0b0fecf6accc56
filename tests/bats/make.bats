#!/usr/bin/env bats
# The front door: make with a bad list, a no-op second make, a one-entry
# change, the shared allnoconfig, the compiler wrapper's probe cache, the lock check,
# host setup without root, a failing busybox make.
load helpers

O() { echo "$B/test-out"; }

@test "a second make with nothing changed rebuilds nothing" {
	run make -C "$TOP" --no-print-directory LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	before=$(stat -c %Y "$(O)/smoke/linux-amd64/busybox" "$(O)/smoke/linux-amd64/rootfs.tar")
	run make -C "$TOP" --no-print-directory LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	run ! grep -q -e 'bbkit: build:' -e 'bbkit: rootfs:' -e 'bbkit: prepare:' <<<"$output"
	[ "$(stat -c %Y "$(O)/smoke/linux-amd64/busybox" "$(O)/smoke/linux-amd64/rootfs.tar")" = "$before" ]
}

@test "make LIST=<bad list> over a good build fails with the resolver's messages; the good outputs stay" {
	# a good build of the same profile first (the smoke list, named bad.list)
	good="$BATS_TEST_TMPDIR/good/bad.list"
	mkdir -p "$(dirname "$good")"
	cp "$TOP/tests/lists/smoke.list" "$good"
	run make -C "$TOP" --no-print-directory QUIET=1 LIST="$good" PLATFORMS=linux/amd64 OUT="$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	D="$BATS_TEST_TMPDIR/out/bad/linux-amd64"
	(cd "$D" && sha256sum busybox busybox.config busybox.links manifest.json rootfs.tar size.txt size.json \
		security.txt vex.cdx.json sbom.cdx.json) >"$BATS_TEST_TMPDIR/before"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/before")" -eq 10 ]
	stat -c '%n %Y' "$D"/* >"$BATS_TEST_TMPDIR/mtimes"
	l=$(printf 'ls\nlss\nFEATURE_EDITING_HISTORY=y\n' | list bad)
	run make -C "$TOP" --no-print-directory LIST="$l" PLATFORMS="linux/amd64 linux/arm64" OUT="$BATS_TEST_TMPDIR/out"
	[ "$status" -ne 0 ]
	has_line "bbkit: resolve: $l:2: lss: unknown applet in busybox $V; closest: ls, less, ln"
	has_line "bbkit: resolve: $l:3: FEATURE_EDITING_HISTORY=y: not a bool"
	(cd "$D" && sha256sum -c --quiet "$BATS_TEST_TMPDIR/before")
	[ "$(stat -c '%n %Y' "$D"/*)" = "$(cat "$BATS_TEST_TMPDIR/mtimes")" ]
	# nothing for the other platform, nothing half-written
	[ ! -e "$BATS_TEST_TMPDIR/out/bad/linux-arm64" ]
	[ -z "$(find "$BATS_TEST_TMPDIR/out" -name '*.tmp*')" ]
}

@test "one list entry added and removed: a few recompiles, no gen_build_files, the same binary again" {
	bd="$B/bb/$V/smoke/linux-amd64" # built by the test above
	bin="$(O)/smoke/linux-amd64/busybox"
	before=$(sha256sum <"$bin")
	l="$BATS_TEST_TMPDIR/smoke.list" # same profile name, same build dir
	cp "$TOP/tests/lists/smoke.list" "$l"
	echo cal >>"$l"
	touch "$BATS_TEST_TMPDIR/mark"
	run make -C "$TOP" --no-print-directory LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	new=$(find "$bd" -name '*.o' -newer "$BATS_TEST_TMPDIR/mark" | sed "s|^$bd/||" | sort)
	printf '%s\n' "$new" | grep -qx util-linux/cal.o
	[ "$(printf '%s\n' "$new" | wc -l)" -lt 15 ]
	"$bin" cal 1 2000 | grep -q "January 2000"
	cp "$TOP/tests/lists/smoke.list" "$l"
	run make -C "$TOP" --no-print-directory LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	[ "$(sha256sum <"$bin")" = "$before" ]
	# the build before this one ran it here at the latest
	grep -q "gen_build_files.sh not run: the source tree and its outputs are as its last run left them" "$bd/build.log"
}

@test "prepare --shared: a new build dir is a copy of the shared allnoconfig, equal to a plain prepare" {
	shared="$BATS_TEST_TMPDIR/shared" # made by the first copy
	run "$BBKIT" prepare linux/amd64 --src "$BBKIT_SRC" --builddir "$BATS_TEST_TMPDIR/plain"
	[ "$status" -eq 0 ]
	run "$BBKIT" prepare linux/arm64 --src "$BBKIT_SRC" --builddir "$BATS_TEST_TMPDIR/copy" --shared "$shared"
	[ "$status" -eq 0 ]
	has_line "bbkit: prepare: linux/arm64: allnoconfig in $BATS_TEST_TMPDIR/copy (a copy of $shared)"
	# the same files, the same contents (ARCH plays no part in allnoconfig),
	# except the log, the stamp (its outputs' mtimes) and the dir's own Makefile
	diff -r -x prepare.log -x .bbkit-gen_build_files -x Makefile "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/copy"
	grep -qx "KERNELOUTPUT := $BATS_TEST_TMPDIR/copy" "$BATS_TEST_TMPDIR/copy/Makefile"
	# the second copy does not run allnoconfig in the shared dir again
	run "$BBKIT" prepare linux/arm/v7 --src "$BBKIT_SRC" --builddir "$BATS_TEST_TMPDIR/copy2" --shared "$shared"
	[ "$status" -eq 0 ]
	grep -q "gen_build_files.sh not run" "$shared/prepare.log"
	[ "$(wc -l <"$shared/prepare.log")" -eq 1 ]
	diff -r -x prepare.log -x Makefile "$BATS_TEST_TMPDIR/copy" "$BATS_TEST_TMPDIR/copy2"
	[ -z "$(ls -a "$BATS_TEST_TMPDIR" | grep '\.tmp\.')" ]
	# a build dir that is not new is prepared in place
	run "$BBKIT" prepare linux/amd64 --src "$BBKIT_SRC" --builddir "$BATS_TEST_TMPDIR/plain" --shared "$shared"
	[ "$status" -eq 0 ]
	has_line "bbkit: prepare: linux/amd64: allnoconfig in $BATS_TEST_TMPDIR/plain ("
	[[ "$output" != *"a copy of"* ]]
	# a --shared that cannot be a directory: exit 3, named, the new dir left empty
	touch "$BATS_TEST_TMPDIR/file"
	run "$BBKIT" prepare linux/amd64 --src "$BBKIT_SRC" --builddir "$BATS_TEST_TMPDIR/new" --shared "$BATS_TEST_TMPDIR/file"
	[ "$status" -eq 3 ]
	has_line "bbkit: prepare: --shared: $BATS_TEST_TMPDIR/file: exists and is not a directory; it must be a directory bbkit can create and write"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/new")" ]
}

@test "make in a fresh B copies the tree's allnoconfig from CACHE: kbuild's host programs are compiled once per tree, not per B" {
	# it was B's (B/bb/<tree>/_allnoconfig): each test's own B, make test's
	# second lane and a B after make clean compiled them all again, ~4.5
	# CPU s a time
	t=$(basename "$BBKIT_SRC")
	for b in b1 b2; do
		run make -C "$TOP" --no-print-directory QUIET=1 CACHE="$CACHE" B="$BATS_TEST_TMPDIR/$b" \
			LIST=tests/lists/smoke.list PLATFORMS=linux/arm64 OUT="$BATS_TEST_TMPDIR/o" config
		[ "$status" -eq 0 ]
		grep -qx "bbkit: a copy of $CACHE/prepared/$t" "$BATS_TEST_TMPDIR/$b/bb/$V/smoke/linux-arm64/prepare.log"
		[ ! -e "$BATS_TEST_TMPDIR/$b/bb/$V/_allnoconfig" ]
	done
	# the second B compiled nothing: its host programs are the same files
	cmp "$BATS_TEST_TMPDIR/b2/bb/$V/smoke/linux-arm64/scripts/kconfig/conf" "$CACHE/prepared/$t/scripts/kconfig/conf"
	[ "$(stat -c %Y "$BATS_TEST_TMPDIR/b2/bb/$V/smoke/linux-arm64/scripts/basic/fixdep")" = "$(stat -c %Y "$CACHE/prepared/$t/scripts/basic/fixdep")" ]
}

@test "the compiler wrapper answers a repeated probe from its cache exactly as clang did" {
	bd="$B/bb/$V/smoke/linux-amd64" # built by the test above
	[ -n "$(ls "$CACHE/probes")" ]
	# a copy of the wrapper with its own cache
	p="$BATS_TEST_TMPDIR/probes" cc="$BATS_TEST_TMPDIR/x86_64-linux-musl-clang"
	sed "s|^p=.*|p=$p|" "$bd/toolchain/x86_64-linux-musl-clang" >"$cc"
	chmod +x "$cc"
	n() { ls "$p"/*.rc 2>/dev/null | wc -l; }
	for i in miss hit; do
		run "$cc" -fno-such-flag -S -o /dev/null -xc /dev/null
		[ "$status" -eq 1 ]
		has_line "unknown argument: '-fno-such-flag'"
		run "$cc" -Oz -S -o /dev/null -xc /dev/null
		[ "$status" -eq 0 ]
		[ -z "$output" ]
		run "$cc" -dumpmachine
		[ "$status" -eq 0 ]
		[ "$output" = x86_64-unknown-linux-musl ]
		[ "$(n)" -eq 3 ]
	done
	# another build dir (its own -ffile-prefix-map, and the sysroot by
	# its link there) is answered from the same cache: a fresh build dir
	# asks clang nothing asked before
	sed "s|$bd|/elsewhere/bd|g" "$cc" >"$cc.2"
	chmod +x "$cc.2"
	[ "$(grep -c "elsewhere/bd=/build" "$cc.2")" -eq 1 ]
	grep -q "^b='/elsewhere/bd'$" "$cc.2"
	grep -q "'--sysroot=/elsewhere/bd/.bbkit-sysroot'" "$cc.2"
	run "$cc.2" -Oz -S -o /dev/null -xc /dev/null
	[ "$status" -eq 0 ]
	[ "$(n)" -eq 3 ]
	# a hit is a replay of the cache, not a rerun: a doctored answer comes back
	o=$(grep -lx x86_64-unknown-linux-musl "$p"/*.out)
	[ "$(echo "$o" | wc -l)" -eq 1 ]
	echo doctored-by-the-test >"$o"
	run "$cc" -dumpmachine
	[ "$output" = doctored-by-the-test ]
	echo x86_64-unknown-linux-musl >"$o"
	# a file argument's content is part of the key
	echo 'int main(void){return 0;}' >"$BATS_TEST_TMPDIR/t.c"
	run "$cc" -o /dev/null "$BATS_TEST_TMPDIR/t.c"
	[ "$status" -eq 0 ]
	[ "$(n)" -eq 4 ]
	echo 'int main(void){return x;}' >"$BATS_TEST_TMPDIR/t.c"
	run "$cc" -o /dev/null "$BATS_TEST_TMPDIR/t.c"
	[ "$status" -eq 1 ]
	[ "$(n)" -eq 5 ]
	has_line "use of undeclared identifier 'x'"
	# never cached: stdin, real outputs, dependency files
	echo 'int x;' | "$cc" -xc - -c -o /dev/null
	"$cc" -c -o "$BATS_TEST_TMPDIR/t.o" -xc /dev/null
	"$cc" -Wp,-MD,"$BATS_TEST_TMPDIR/t.d" -c -o /dev/null -xc /dev/null
	echo 'int main(void){return 0;}' >"$BATS_TEST_TMPDIR/m.c"
	"$cc" -Wl,-Map,"$BATS_TEST_TMPDIR/t.map" -o /dev/null "$BATS_TEST_TMPDIR/m.c"
	[ -s "$BATS_TEST_TMPDIR/t.o" ]
	[ -s "$BATS_TEST_TMPDIR/t.d" ]
	[ -s "$BATS_TEST_TMPDIR/t.map" ]
	[ "$(n)" -eq 5 ]
	# another compiler identity is another key
	sed -i "s|^id='|id='upgraded |" "$cc"
	run "$cc" -dumpmachine
	[ "$output" = x86_64-unknown-linux-musl ]
	[ "$(n)" -eq 6 ]
	[ -z "$(ls "$p" | grep -v -e '\.rc$' -e '\.out$' -e '\.err$')" ]
}

@test "the compiler wrapper is a real file, shellcheck-clean, installed with the row's flags quoted" {
	bd="$B/bb/$V/smoke/linux-amd64" # built above
	w="$bd/toolchain/x86_64-linux-musl-clang"
	run shellcheck "$TOP/toolkit/clang-wrapper.sh"
	[ "$status" -eq 0 ]
	run shellcheck "$w"
	[ "$status" -eq 0 ]
	# the sysroot by the build dir's link to it
	[ "$(readlink "$bd/.bbkit-sysroot")" = "$CACHE/sysroot/amd64" ]
	run sed -n 3p "$w"
	[[ "$output" == "set -- '--target=x86_64-linux-musl' '--sysroot=$bd/.bbkit-sysroot' '-fuse-ld=lld' '-static' "* ]]
	[[ "$output" == *" '-Wno-unused-command-line-argument' \"\$@\"" ]]
	# no -L there: ccache would hash it as written
	[[ "$output" != *"'-L"* ]]
	# then the identity and the caches (probes, ccache: CACHE/ccache unless
	# CCACHE says otherwise), then the file itself
	run sed -n 5p "$w"
	[ "$output" = "p='$CACHE/probes'" ]
	run sed -n 6,13p "$w"
	[ "$output" = "l1='$bd/.bbkit-sysroot/usr/lib/x86_64-linux-musl'
l2='$bd/.bbkit-sysroot/usr/lib/gcc-cross/x86_64-linux-gnu/12'
b='$bd'
sr='$CACHE/sysroot/amd64'
cc='$(command -v ccache)'
ccd='${CCACHE:-$CACHE/ccache}'
ccr=''
ccs='$bd/ccache.stats'" ]
	cmp <(tail -n +14 "$w") <(tail -n +2 "$TOP/toolkit/clang-wrapper.sh")
}

@test "the toolchain's ar writes an empty new archive itself, llvm-ar's bytes; anything else is llvm-ar's" {
	bd="$B/bb/$V/smoke/linux-amd64" # built above
	ar="$bd/toolchain/x86_64-linux-musl-ar"
	run shellcheck "$ar"
	[ "$status" -eq 0 ]
	t="$BATS_TEST_TMPDIR"
	# what kbuild runs for a directory with nothing to link
	"$ar" rcs "$t/mine.a"
	llvm-ar rcs "$t/llvm.a"
	cmp "$t/mine.a" "$t/llvm.a"
	[ "$(stat -c %s "$t/mine.a")" -eq 8 ]
	# with members, and on an archive that exists: llvm-ar itself
	"$ar" rcs "$t/m1.a" "$bd/coreutils/echo.o" "$bd/coreutils/true.o"
	llvm-ar rcs "$t/m2.a" "$bd/coreutils/echo.o" "$bd/coreutils/true.o"
	cmp "$t/m1.a" "$t/m2.a"
	cp "$t/m1.a" "$t/m3.a"
	"$ar" rcs "$t/m1.a"
	llvm-ar rcs "$t/m3.a"
	cmp "$t/m1.a" "$t/m3.a"
	[ "$(stat -c %s "$t/m1.a")" -gt 8 ]
	# a dangling link in the way is llvm-ar's to handle, not written through
	ln -s "$t/nowhere/x.a" "$t/l.a"
	run "$ar" rcs "$t/l.a"
	[ ! -e "$t/nowhere" ]
	# and a smoke build used it: its empty built-in.o files are those bytes
	[ "$(find "$bd" -name built-in.o -size 8c | wc -l)" -gt 20 ]
}

@test "make check-lock passes on the committed configs and fails with a diff after a list edit" {
	c="$BATS_TEST_TMPDIR/clone"
	mkdir -p "$c"
	git -C "$TOP" ls-files -z >"$BATS_TEST_TMPDIR/files"
	# (-p: the copy's sources no newer than the binaries in B, which the
	# copy's make would rebuild, plain and ASan, for nothing it tests)
	(cd "$TOP" || exit 1; xargs -0 cp -p --parents -t "$c" <"$BATS_TEST_TMPDIR/files")
	touch "$BATS_TEST_TMPDIR/stamp"
	run make -C "$c" --no-print-directory B="$B" CACHE="$CACHE" check-lock
	[ "$status" -eq 0 ]
	has_line "bbkit: check-lock: configs/ matches the lists"
	# it makes the resolvers it runs (make test's, beside BBKIT_BIN), not
	# B's plain bbkit and resolvers too
	[ -z "$(find "$B" -maxdepth 1 -name 'bbkit*' -newer "$BATS_TEST_TMPDIR/stamp")" ]
	sed -i 's/^ls$/ls\nFEATURE_LS_COLOR/' "$c/applet-lists/minimal.list"
	run make -C "$c" --no-print-directory B="$B" CACHE="$CACHE" check-lock
	[ "$status" -ne 0 ]
	has_line "+CONFIG_FEATURE_LS_COLOR=y"
	has_line "-# CONFIG_FEATURE_LS_COLOR is not set"
	has_line "bbkit: check-lock: configs/ is out of date"
}

@test "host setup without root prints the exact apt-get command and exits 3" {
	run su nobody -s /bin/sh -c "BBKIT_SETUP_PKGS='make bbkit-no-such-pkg' sh '$TOP/scripts/host-setup.sh' build"
	[ "$status" -eq 3 ]
	has_line "bbkit: setup: missing host packages: bbkit-no-such-pkg"
	has_line "bbkit: setup: run as root: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bbkit-no-such-pkg"
}

@test "a failing busybox make is exit 3 with its log tail and path; the previous output stays" {
	f="$BATS_TEST_TMPDIR/src"
	mkdir -p "$f" "$BATS_TEST_TMPDIR/bd"
	printf 'busybox allnoconfig:\n\t@echo "bbkit-test: error: this tree does not build" >&2; exit 1\n' >"$f/Makefile"
	echo previous >"$BATS_TEST_TMPDIR/busybox"
	# first without busybox's scripts/gen_build_files.sh, which bbkit runs itself
	run "$BBKIT" build -q linux/amd64 --src "$f" --builddir "$BATS_TEST_TMPDIR/bd" --out "$BATS_TEST_TMPDIR/busybox"
	[ "$status" -eq 3 ]
	has_line "bbkit: build: linux/amd64: busybox's scripts/gen_build_files.sh failed; last 20 lines of $BATS_TEST_TMPDIR/bd/build.log:"
	has_line "bbkit: cannot run $f/scripts/gen_build_files.sh: No such file or directory"
	[ "$(cat "$BATS_TEST_TMPDIR/busybox")" = previous ]
	mkdir "$f/scripts"
	printf '#!/bin/sh\n' >"$f/scripts/gen_build_files.sh"
	chmod +x "$f/scripts/gen_build_files.sh"
	run "$BBKIT" build -q linux/amd64 --src "$f" --builddir "$BATS_TEST_TMPDIR/bd" --out "$BATS_TEST_TMPDIR/busybox"
	[ "$status" -eq 3 ]
	# the error lines first (under -j the one that matters is rarely in the tail)
	is_line "bbkit: build: linux/amd64: busybox build failed; the error lines of $BATS_TEST_TMPDIR/bd/build.log:"
	[ "$(printf '%s\n' "$output" | grep -c 'bbkit-test: error: this tree does not build')" -eq 2 ]
	is_line "last 40 lines:"
	has_line "bbkit-test: error: this tree does not build"
	has_line "full log: $BATS_TEST_TMPDIR/bd/build.log"
	[ "$(cat "$BATS_TEST_TMPDIR/busybox")" = previous ]
	[ -z "$(find "$BATS_TEST_TMPDIR" -maxdepth 1 -name 'busybox.tmp*')" ]
	run "$BBKIT" prepare -q linux/amd64 --src "$f" --builddir "$BATS_TEST_TMPDIR/bd"
	[ "$status" -eq 3 ]
	is_line "bbkit: prepare: linux/amd64: allnoconfig failed; the error lines of $BATS_TEST_TMPDIR/bd/prepare.log:"
	has_line "bbkit-test: error: this tree does not build"
}

@test "used from another repository as a submodule: make -C bbkit LIST=../busybox.list OUT=../out" {
	p="$BATS_TEST_TMPDIR/router"
	mkdir -p "$p/bbkit"
	git -C "$TOP" ls-files -z >"$BATS_TEST_TMPDIR/files"
	(cd "$TOP" || exit 1; xargs -0 cp -p --parents -t "$p/bbkit" <"$BATS_TEST_TMPDIR/files")
	printf '# the router project'"'"'s own list\nsh\necho\nip\n' >"$p/busybox.list"
	# the CI recipe: the static manifest first, for review, then the build
	run make -C "$p/bbkit" --no-print-directory QUIET=1 B="$B" CACHE="$CACHE" \
		LIST=../busybox.list OUT=../out PLATFORMS=linux/amd64 config
	[ "$status" -eq 0 ]
	grep -qx /sbin/ip "$p/out/busybox/config/linux-amd64/busybox.links"
	run make -C "$p/bbkit" --no-print-directory QUIET=1 B="$B" CACHE="$CACHE" \
		LIST=../busybox.list OUT=../out PLATFORMS=linux/amd64
	[ "$status" -eq 0 ]
	"$p/out/busybox/linux-amd64/busybox" echo ok
	[ "$(tar tf "$p/out/busybox/linux-amd64/rootfs.tar" | grep -c .)" -gt 4 ]
}
