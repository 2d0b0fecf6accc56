#!/usr/bin/env bats
# make sources (scripts/sources.sh) on synthetic inputs, in a git checkout of
# its own: lists keep their relative paths (includes, the toolchain list, a
# user's list of the same name), patches of any name, a dirty checkout
# refused unless SOURCES_DIRTY=1, and an earlier sources/ replaced only when
# it is bbkit's.
load helpers

setup() {
	t=$BATS_TEST_TMPDIR
	R=$t/bbkit
	mkdir -p "$R/scripts" "$R/applet-lists/toolchain"
	cp "$TOP/scripts/sources.sh" "$R/scripts/"
	printf 'FEATURE_X\n' >"$R/applet-lists/toolchain/musl.list"
	git -C "$R" init -q
	git -C "$R" add -A
	git -C "$R" -c user.name=t -c user.email=t@t commit -qm init
	# the user's list: the toolchain's name, and an include one level up
	mkdir -p "$t/u/lists" "$t/u/common"
	printf 'include ../common/base.list # shared\nls\n' >"$t/u/lists/musl.list"
	printf 'sh\n' >"$t/u/common/base.list"
	# a tree with its patches' record and copies (names with spaces, a dir)
	T=$t/tree
	mkdir -p "$T/.bbkit-patches.d"
	printf 'one\n' >"$T/.bbkit-patches.d/$(printf 'one\n' | sha256sum | cut -c1-64)"
	printf 'two\n' >"$T/.bbkit-patches.d/$(printf 'two\n' | sha256sum | cut -c1-64)"
	printf '# name\tsha256\n%s\t%s\tx\n%s\t%s\tx\n' \
		"fix the thing.patch" "$(printf 'one\n' | sha256sum | cut -c1-64)" \
		"debian/CVE 1.patch" "$(printf 'two\n' | sha256sum | cut -c1-64)" >"$T/.bbkit-patches"
	echo tarball >"$t/busybox_1.orig.tar.bz2"
	mkdir -p "$t/out/p/linux-amd64"
	echo '# config' >"$t/out/p/linux-amd64/busybox.config"
}
sources() { # [env...]
	run env "$@" sh "$R/scripts/sources.sh" "$t/out/p/sources" "$T" "$t/busybox_1.orig.tar.bz2" \
		"$R/applet-lists/toolchain/musl.list" "$t/u/lists/musl.list" -- "$t/out/p/linux-amd64/busybox.config"
}

@test "make sources: lists at their relative paths with their includes, patches of any name, all in SHA256SUMS" {
	sources
	[ "$status" -eq 0 ]
	S=$t/out/p/sources
	# the deepest directory all lists share is $t: paths below it
	[ "$(cat "$S/lists/bbkit/applet-lists/toolchain/musl.list")" = FEATURE_X ]
	[ "$(cat "$S/lists/u/lists/musl.list")" = "$(cat "$t/u/lists/musl.list")" ]
	[ "$(cat "$S/lists/u/common/base.list")" = sh ]
	[ "$(cat "$S/lists/ORDER")" = "$(printf 'bbkit/applet-lists/toolchain/musl.list\nu/lists/musl.list')" ]
	[ "$(cat "$S/patches/fix the thing.patch")" = one ]
	[ "$(cat "$S/patches/debian/CVE 1.patch")" = two ]
	[ "$(cat "$S/patches/series")" = "$(printf 'fix the thing.patch\ndebian/CVE 1.patch')" ]
	[ -f "$S/bbkit-src.tar.gz" ]
	[ ! -e "$S/bbkit-src.diff" ]
	run bash -c "cd '$S' && sha256sum -c --quiet SHA256SUMS"
	[ "$status" -eq 0 ]
	# every file but the marker is summed
	[ "$(grep -c . "$S/SHA256SUMS")" = "$(find "$S" -type f ! -name SHA256SUMS ! -name .bbkit-dir | wc -l)" ]
}

@test "make sources: a dirty bbkit checkout is refused; SOURCES_DIRTY=1 adds the diff" {
	echo changed >>"$R/applet-lists/toolchain/musl.list"
	sources
	[ "$status" -eq 1 ]
	has_line "bbkit: sources: $R: bbkit's checkout has uncommitted changes (1 files, e.g. applet-lists/toolchain/musl.list): an archive of HEAD is not the bbkit that built this; commit them, or run make sources SOURCES_DIRTY=1 to add their diff (bbkit-src.diff)"
	[ ! -e "$t/out/p/sources" ]
	sources SOURCES_DIRTY=1
	[ "$status" -eq 0 ]
	grep -qx '+changed' "$t/out/p/sources/bbkit-src.diff"
}

@test "make sources: an earlier sources/ is replaced only when it is bbkit's" {
	mkdir -p "$t/out/p/sources"
	echo precious >"$t/out/p/sources/notes"
	sources
	[ "$status" -eq 1 ]
	has_line "bbkit: sources: $t/out/p/sources: exists and is not bbkit's (no .bbkit-dir in it): bbkit replaces only its own sources/, never deletes yours; move it away or choose another OUT"
	[ "$(cat "$t/out/p/sources/notes")" = precious ]
	rm -r "$t/out/p/sources"
	sources
	[ "$status" -eq 0 ]
	echo stale >"$t/out/p/sources/stale"
	sources
	[ "$status" -eq 0 ]
	[ ! -e "$t/out/p/sources/stale" ]
	[ -z "$(ls -d "$t"/out/p/sources.* 2>/dev/null)" ]
}
