#!/usr/bin/env bats
# The compiler cache (ccache, on by default): a hit is always the object a
# compile would give. The first tests go through the wrapper bbkit build
# installs, on a small C file; the last through make, with a cold cache of
# their own (make test's builds share one warm cache: CCACHE in the env).

load helpers

setup_file() {
	F=$BATS_FILE_TMPDIR
	# a cold cache of this file's own, and a remote store (ccache's file:
	# backend, as a fleet of CI machines would share one)
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/quick-a.list PLATFORMS=linux/amd64 \
		OUT="$F/o1" B="$F/b" CACHE="$CACHE" CCACHE="$F/cc1" CCACHE_REMOTE="file:$F/remote" \
		>"$F/make1.log" 2>&1
	echo $? >"$F/rc1"
}

setup() {
	F=$BATS_FILE_TMPDIR
	BD1="$F/b/bb/$V/quick-a/linux-amd64"
	[ "$(cat "$F/rc1")" = 0 ] || { cat "$F/make1.log"; false; }
	# the installed wrapper, pointed at a cache of this test's own
	W="$BATS_TEST_TMPDIR/w"
	mkdir -p "$W/inc"
	sed -e "s|^ccd=.*|ccd='$W/cc'|" -e "s|^ccs=.*|ccs='$W/stats'|" -e "s|^ccr=.*|ccr=''|" \
		"$BD1/toolchain/x86_64-linux-musl-clang" >"$W/clang"
	chmod +x "$W/clang"
	printf '#define GREETING "hello"\n' >"$W/inc/greeting.h"
	printf '#include <greeting.h>\nconst char *greeting(void) { return GREETING; }\n' >"$W/t.c"
}

# compile t.c through the wrapper; $output: hit or miss (ccache's stats log)
compile() { # [ENV=VALUE...] [-- CLANG-ARGS...]
	local envs=() extra=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	if [ $# -gt 0 ]; then shift; fi
	extra=("$@")
	rm -f "$W/stats"
	# (-Wp,-MD as kbuild compiles: ccache keys from it, in depend mode)
	(cd "$W" && env "${envs[@]}" ./clang -Wp,-MD,.t.o.d -isystem "$W/inc" -Os "${extra[@]}" -c -o t.o t.c) || return 1
	cp "$W/t.o" "$W/t.o.$((++N))"
	if grep -qx 'direct_cache_hit\|preprocessed_cache_hit' "$W/stats"; then
		output=hit
	elif grep -qx cache_miss "$W/stats"; then
		output=miss
	else
		output="neither: $(cat "$W/stats")"
	fi
}
N=0

@test "ccache: the same compile twice is a hit, the same object" {
	compile
	[ "$output" = miss ]
	compile
	[ "$output" = hit ]
	cmp "$W/t.o.1" "$W/t.o.2"
}

@test "ccache: a header that changed at the same path (a sysroot made again) misses, and the object differs" {
	compile
	compile
	[ "$output" = hit ]
	printf '#define GREETING "changed"\n' >"$W/inc/greeting.h"
	compile
	[ "$output" = miss ]
	run cmp -s "$W/t.o.2" "$W/t.o.3"
	[ "$status" -ne 0 ]
}

@test "ccache: another clang or linker (the wrapper's identity of them) misses; the object is the same" {
	compile
	sed -i "s|^id=.*|id='/usr/lib/llvm-99/bin/clang:1:2 /usr/bin/ld.lld:3:4'|" "$W/clang"
	compile
	[ "$output" = miss ]
	cmp "$W/t.o.1" "$W/t.o.2"
}

@test "ccache: another SOURCE_DATE_EPOCH misses; so does another flag" {
	compile SOURCE_DATE_EPOCH=946684800
	compile SOURCE_DATE_EPOCH=946684801
	[ "$output" = miss ]
	compile SOURCE_DATE_EPOCH=946684800
	[ "$output" = hit ]
	compile SOURCE_DATE_EPOCH=946684800 -- -O0
	[ "$output" = miss ]
	compile SOURCE_DATE_EPOCH=946684800 -- -fno-inline
	[ "$output" = miss ]
}

@test "ccache: the user's CCACHE_* settings do not reach it (no sloppiness, no other dir, no disable)" {
	compile
	printf '#define GREETING "changed"\n' >"$W/inc/greeting.h"
	touch -r "$W/t.c" "$W/inc/greeting.h"
	compile CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime,time_macros,file_stat_matches \
		CCACHE_COMPILERCHECK=none CCACHE_DIR="$W/elsewhere" CCACHE_NAMESPACE=x CCACHE_RECACHE=
	[ "$output" = miss ]
	[ ! -e "$W/elsewhere" ]
	compile CCACHE_DISABLE=1
	[ "$output" = hit ]
	# the wrapper finds them in export -p's text: a value over lines, one
	# looking like another export, is dropped whole and breaks nothing
	compile CCACHE_DISABLE=1 "CCACHE_EXTRAFILES=$W/t.c
export CCACHE_DISABLE=1"
	[ "$output" = hit ]
}

@test "ccache: a second CACHE at another path (another machine's checkout) sharing the first's remote store hits every compile; the binary is the one a build without the cache gives" {
	grep -q 'compiler cache .*: 0 hits, [1-9][0-9]* misses' "$BD1/build.log"
	# its own source tree and sysroot, at other paths: kbuild and the
	# wrapper name them through the build dir's links, so the compiles are
	# the same to the compiler cache (they all missed before)
	run make -C "$TOP" --no-print-directory LIST=tests/lists/quick-a.list PLATFORMS=linux/amd64 \
		OUT="$F/o2" B="$F/b2" CACHE="$F/other/cache" BUSYBOX_TARBALL="$CACHE/dl/busybox_${V}.orig.tar.bz2" \
		CCACHE="$F/cc2" CCACHE_REMOTE="file:$F/remote"
	[ "$status" -eq 0 ]
	has_line "linux/amd64: compiler cache: "
	misses=$(sed -n 's/.*compiler cache .*: \([0-9]*\) hits, \([0-9]*\) misses.*/\2/p' "$F/b2/bb/$V/quick-a/linux-amd64/build.log")
	hits=$(sed -n 's/.*compiler cache .*: \([0-9]*\) hits, \([0-9]*\) misses.*/\1/p' "$F/b2/bb/$V/quick-a/linux-amd64/build.log")
	[ "$misses" = 0 ]
	[ "$hits" -gt 50 ]
	grep -qx remote_storage_hit "$F/b2/bb/$V/quick-a/linux-amd64/ccache.stats"
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/quick-a.list PLATFORMS=linux/amd64 \
		OUT="$F/o3" B="$F/b3" CACHE="$CACHE" CCACHE=0
	[ "$status" -eq 0 ]
	run grep -c "compiler cache" "$F/b3/bb/$V/quick-a/linux-amd64/build.log"
	[ "$output" = 0 ]
	cmp "$F/o1/quick-a/linux-amd64/busybox" "$F/o3/quick-a/linux-amd64/busybox"
	cmp "$F/o2/quick-a/linux-amd64/busybox" "$F/o3/quick-a/linux-amd64/busybox"
}

@test "ccache: another patch set's tree compiles again only the files its patches change; the same binary (none of them is linked)" {
	# PATCHES=none: the pristine tree, not the security patches' copy
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/quick-a.list PLATFORMS=linux/amd64 \
		OUT="$F/o-none" B="$F/b" CACHE="$CACHE" CCACHE="$F/cc1" PATCHES=none
	[ "$status" -eq 0 ]
	bd="$F/b/bb/$V+none/quick-a/linux-amd64"
	# the compiles that missed are exactly those of files that differ
	# between the two trees (every compile missed before)
	awk '/^# /{ f = $2 } /^cache_miss$/{ print f }' "$bd/ccache.stats" | sort >"$BATS_TEST_TMPDIR/missed"
	run diff -rq "$CACHE/src/busybox-$V" "$CACHE/src/busybox-$V+security"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | sed -n "s|^Files $CACHE/src/busybox-$V/\(.*\) and .* differ\$|\1|p" >"$BATS_TEST_TMPDIR/differ"
	while read -r f; do
		if [ -e "$bd/${f%.c}.o" ]; then echo ".bbkit-src/$f"; fi
	done <"$BATS_TEST_TMPDIR/differ" | sort >"$BATS_TEST_TMPDIR/changed"
	[ -s "$BATS_TEST_TMPDIR/changed" ]
	diff "$BATS_TEST_TMPDIR/changed" "$BATS_TEST_TMPDIR/missed"
	grep -q "compiler cache $F/cc1: [1-9][0-9]* hits, $(wc -l <"$BATS_TEST_TMPDIR/changed") misses" "$bd/build.log"
	cmp "$F/o1/quick-a/linux-amd64/busybox" "$F/o-none/quick-a/linux-amd64/busybox"
	# the compiles named the tree by the build dir's link
	[ "$(readlink "$bd/.bbkit-src")" = "$CACHE/src/busybox-$V" ]
	grep -q ' \.bbkit-src/coreutils/echo\.c \\$' "$bd/coreutils/.echo.o.cmd"
}

# every compile of the run in $lines hit: its progress line "PREFIX:
# compiler cache: N of N compiles hit", N over MIN, and LOG's count line
all_hit() { # PREFIX MIN LOG CCACHE-DIR
	local n
	n=$(printf '%s\n' "${lines[@]}" | sed -n "s|^$1: compiler cache: \([0-9]*\) of \1 compiles hit .*|\1|p")
	[ -n "$n" ] || { echo "no line '$1: compiler cache: N of N compiles hit'"; return 1; }
	[ "$n" -gt "$2" ] || { echo "$1: $n hits, not over $2"; return 1; }
	grep -q "^bbkit: compiler cache $4: $n hits, 0 misses" "$3"
}

@test "ccache: musl built from source for a sysroot compiles through it too: another CACHE's sysroot hits every compile, the same libc.a" {
	# make test's shared cache (CCACHE=0 make test: one of this file's)
	cc=$CCACHE
	if [ "$cc" = 0 ]; then cc="$F/cc-musl"; fi
	# two CACHEs at two paths, each its own musl tree and build dir
	run "$BBKIT" sysroot -q linux/mips --cache "$F/musl/a" --ccache "$cc"
	[ "$status" -eq 0 ]
	sr=$output
	# (the second with the first's downloads: apt's lists and the tarball)
	mkdir -p "$F/musl/b"
	cp -a "$F/musl/a/apt-src" "$F/musl/a/apt-mips" "$F/musl/a/dl" "$F/musl/b/"
	run "$BBKIT" sysroot linux/mips --cache "$F/musl/b" --ccache "$cc"
	[ "$status" -eq 0 ]
	sr2="$F/musl/b/sysroot/mips-musl-1.2.3"
	all_hit "bbkit: sysroot: linux/mips: musl" 1000 "$sr2.log" "$cc"
	for f in libc.a crt1.o crti.o rcrt1.o; do
		cmp "$sr/usr/lib/mips-linux-musl/$f" "$sr2/usr/lib/mips-linux-musl/$f"
	done
}

@test "ccache: UPX built from source compiles through it too: another CACHE's UPX hits every compile, the same program" {
	cc=$CCACHE
	if [ "$cc" = 0 ]; then cc="$F/cc-upx"; fi
	bin="$F/o1/quick-a/linux-amd64/busybox"
	# two CACHEs at two paths, each its own UPX source tree and build dir
	run "$BBKIT" pack -q linux/amd64 --method upx --in "$bin" --out "$BATS_TEST_TMPDIR/p1" --cache "$F/upx/a" --ccache "$cc"
	[ "$status" -eq 0 ]
	mkdir -p "$F/upx/b"
	cp -a "$F/upx/a/apt-src" "$F/upx/a/dl" "$F/upx/b/"
	run "$BBKIT" pack linux/amd64 --method upx --in "$bin" --out "$BATS_TEST_TMPDIR/p2" --cache "$F/upx/b" --ccache "$cc"
	[ "$status" -eq 0 ]
	all_hit "bbkit: pack: UPX [0-9.]*" 50 "$(echo "$F"/upx/b/tools/upx-*.log)" "$cc"
	cmp "$F"/upx/a/tools/upx-*/upx "$F"/upx/b/tools/upx-*/upx
	cmp "$BATS_TEST_TMPDIR/p1" "$BATS_TEST_TMPDIR/p2"
}

# quick-a made in a B of the test's own (the shared CACHE): bd its build dir
quick_a_in_own_b() {
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/quick-a.list PLATFORMS=linux/amd64 \
		OUT="$BATS_TEST_TMPDIR/o" B="$BATS_TEST_TMPDIR/b" CACHE="$CACHE"
	[ "$status" -eq 0 ] || return 1
	bd="$BATS_TEST_TMPDIR/b/bb/$V/quick-a/linux-amd64"
}

@test "a build dir given another tree (bbkit build --src) compiles every file again: a file that differs at the same mtime is never the old object" {
	# (kbuild names the tree by the build dir's link, so neither its
	# command lines nor, here, the files' times tell it the tree changed)
	quick_a_in_own_b
	grep -qa "out of memory" "$BATS_TEST_TMPDIR/o/quick-a/linux-amd64/busybox"
	t="$BATS_TEST_TMPDIR/tree"
	cp -a "$BBKIT_SRC" "$t"
	sed -i 's/"out of memory"/"out of MEMORY"/' "$t/libbb/messages.c"
	touch -r "$BBKIT_SRC/libbb/messages.c" "$t/libbb/messages.c"
	run "$BBKIT" build linux/amd64 --cache "$CACHE" --src "$t" --builddir "$bd" --out "$BATS_TEST_TMPDIR/bb" -q
	[ "$status" -eq 0 ]
	grep -qa "out of MEMORY" "$BATS_TEST_TMPDIR/bb"
	# and back: the binary make built
	run "$BBKIT" build linux/amd64 --cache "$CACHE" --src "$BBKIT_SRC" --builddir "$bd" --out "$BATS_TEST_TMPDIR/bb2" -q
	[ "$status" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/o/quick-a/linux-amd64/busybox" "$BATS_TEST_TMPDIR/bb2"
}

@test "a build dir given another sysroot (another CACHE) compiles and links again: kbuild knows neither by more than a link" {
	quick_a_in_own_b
	# a second CACHE whose sysroot is older than the build dir's last link
	# (a copy keeps its times), so bbkit's own sysroot-newer check is quiet
	mkdir -p "$BATS_TEST_TMPDIR/c2/sysroot"
	cp -a "$(readlink "$bd/.bbkit-sysroot")" "$BATS_TEST_TMPDIR/c2/sysroot/"
	run "$BBKIT" build linux/amd64 --cache "$BATS_TEST_TMPDIR/c2" --src "$BBKIT_SRC" --builddir "$bd" \
		--out "$BATS_TEST_TMPDIR/bb" -q
	[ "$status" -eq 0 ]
	[ "$(readlink "$bd/.bbkit-sysroot")" = "$BATS_TEST_TMPDIR/c2/sysroot/amd64" ]
	grep -q '^  LINK    busybox_unstripped$' "$bd/build.log"
	[ "$(grep -c '^  CC ' "$bd/build.log")" -gt 100 ]
}

@test "ccache: CCACHE and CCACHE_REMOTE are checked before anything runs" {
	run make -C "$TOP" --no-print-directory -n CCACHE=yes
	[ "$status" -eq 2 ]
	has_line "CCACHE=yes: use 1 (the compiler cache in CACHE/ccache), 0 (none) or an absolute directory"
	run make -C "$TOP" --no-print-directory -n CCACHE=relative/dir
	[ "$status" -eq 2 ]
	run make -C "$TOP" --no-print-directory -n 'CCACHE_REMOTE=file:/x|read-only'
	[ "$status" -eq 2 ]
	has_line "CCACHE_REMOTE=file:/x|read-only: one ccache remote storage URL"
	run make -C "$TOP" --no-print-directory -n CCACHE=0 CCACHE_REMOTE=file:/x
	[ "$status" -eq 2 ]
	run "$BBKIT" build linux/amd64 --src "$BBKIT_SRC" --builddir "$BATS_TEST_TMPDIR" --out x --no-ccache --ccache /x
	[ "$status" -eq 2 ]
	is_line "bbkit: build: --ccache and --no-ccache cannot go together: choose one; see 'bbkit build --help'"
	# the commands that compile musl and UPX take the same options, checked
	# before anything is fetched or read
	run "$BBKIT" sysroot linux/mips --cache "$BATS_TEST_TMPDIR/c" --ccache rel/dir
	[ "$status" -eq 2 ]
	is_line "bbkit: sysroot: --ccache rel/dir: give an absolute directory; see 'bbkit sysroot --help'"
	[ ! -e "$BATS_TEST_TMPDIR/c" ]
	run "$BBKIT" pack linux/amd64 --method upx --in "$BATS_TEST_TMPDIR/none" --out "$BATS_TEST_TMPDIR/p" --ccache rel
	[ "$status" -eq 2 ]
	is_line "bbkit: pack: --ccache rel: give an absolute directory; see 'bbkit pack --help'"
}

@test "progress inside the compile: on a terminal, objects done of the objects to do; nothing more without one" {
	command -v script
	# all of libbb's objects (some 130) to compile again, without the cache
	# and one at a time: long enough for a line every 3 s on a fast machine
	rm -f "$BD1"/libbb/*.o
	run script -qec "$BBKIT build linux/amd64 --src $BBKIT_SRC --builddir $BD1 --out $BATS_TEST_TMPDIR/bb --no-ccache -j 1" /dev/null
	[ "$status" -eq 0 ]
	output=$(printf '%s\n' "$output" | tr -d '\r')
	has_line "bbkit: build: linux/amd64: compiling: "
	# the dry run's count is what make compiled (libbb's, and what depends
	# on them)
	total=$(printf '%s\n' "$output" | sed -n 's|^bbkit: build: linux/amd64: compiling: [0-9]*/\([0-9]*\) objects ([0-9.]*s)$|\1|p' | sort -u)
	[ "$total" -ge 100 ]
	# (at most two more: under -n, make takes a generated header such as
	# include/applet_tables.h for new, which the real run leaves as it was)
	cc=$(grep -c '^  CC ' "$BD1/build.log")
	[ "$total" -ge "$cc" ]
	[ "$total" -le $((cc + 2)) ]
	# not a terminal: the stage lines only
	ls "$BD1"/libbb/*.o | head -40 | xargs rm -f
	run "$BBKIT" build linux/amd64 --src "$BBKIT_SRC" --builddir "$BD1" --out "$BATS_TEST_TMPDIR/bb2" --no-ccache
	[ "$status" -eq 0 ]
	run grep -c "compiling:" <<<"$output"
	[ "$output" = 0 ]
}
