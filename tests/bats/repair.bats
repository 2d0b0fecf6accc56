#!/usr/bin/env bats
# A damaged cache entry (a source tree, a sysroot) is found, named and made
# again. These tests damage the shared CACHE on purpose, so tests/run.sh runs
# this suite alone: a build on another lane reading that tree or sysroot
# while it is made again would fail (a cache entry is swapped whole, not
# locked for its readers).
load helpers

O() { echo "$B/test-out"; }
mk() { run make -C "$TOP" --no-print-directory "$@"; }

@test "a damaged cached source tree is found, named and extracted again; the build has the applet" {
	src="$CACHE/src/busybox-$V"
	[ -s "$src/.bbkit-files" ]
	# the damage comes before the first build of a profile with tty
	l="$BATS_TEST_TMPDIR/withtty.list"
	printf 'include %s\ntty\n' "$TOP/tests/lists/smoke.list" >"$l"
	: >"$src/coreutils/tty.c"
	mk LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	has_line "bbkit: fetch: busybox $V: $src/coreutils/tty.c: 0 bytes, extracted as "
	has_line "; extracting the tree again ("
	[ -s "$src/coreutils/tty.c" ]
	grep -qx /usr/bin/tty "$(O)/withtty/linux-amd64/busybox.links"
	run "$(O)/withtty/linux-amd64/busybox" tty </dev/null
	[ "$output" = "not a tty" ]
	# a same-size, same-time edit: only the full check sees it
	f="$src/README"
	cp -p "$f" "$BATS_TEST_TMPDIR/readme"
	sed -i '1s/^./X/' "$f"
	touch -r "$BATS_TEST_TMPDIR/readme" "$f"
	run "$BBKIT" fetch -q --version "$V"
	[ "$status" -eq 0 ]
	run "$BBKIT" fetch --version "$V" --verify-tree
	[ "$status" -eq 0 ]
	has_line "bbkit: fetch: busybox $V: $f: changed since it was extracted (time or contents); extracting the tree again ("
	cmp "$f" "$BATS_TEST_TMPDIR/readme"
	[ -z "$(ls -A "$CACHE/src" | grep '^\.tmp-')" ]
}

@test "a damaged sysroot is found, named and made again; the build links against it" {
	sr=$("$BBKIT" sysroot -q linux/amd64)
	h="$sr/usr/include/x86_64-linux-musl/stdio.h"
	[ -s "$h" ]
	rm "$h"
	mk LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	has_line "bbkit: sysroot: linux/amd64: $h: missing; making the sysroot again ("
	[ -s "$h" ]
	# made again after the last link: linked again
	grep -q ' LINK ' "$B/bb/$V/smoke/linux-amd64/build.log"
	"$(O)/smoke/linux-amd64/busybox" echo ok
}
