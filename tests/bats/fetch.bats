#!/usr/bin/env bats
# bbkit fetch: pinned sha256, refusal leaves the cache clean, derived
# deb-src lines, interrupted runs.
load helpers

setup() {
	C="$BATS_TEST_TMPDIR/cache"
	TARBALL="$CACHE/dl/busybox_${V}.orig.tar.bz2"
}

@test "deb-src lines derived from one-line .list sources (fixture, no network)" {
	run "$BBKIT" fetch --print-sources --apt-etc "$TOP/tests/fixtures/apt-oneline" --version 1.38.0
	[ "$status" -eq 0 ]
	[ "$output" = "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example/debian sid main
deb-src http://other.example/debian sid main" ]
}

@test "deb-src lines derived from deb822 .sources (fixture, no network)" {
	run "$BBKIT" fetch --print-sources --apt-etc "$TOP/tests/fixtures/apt-deb822" --version 1.35.0
	[ "$status" -eq 0 ]
	[ "$output" = "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example/debian bookworm main" ]
	run "$BBKIT" fetch --print-sources --apt-etc "$TOP/tests/fixtures/apt-deb822" --version 9.9.9
	[ "${#lines[@]}" -eq 3 ]
	has_line "http://mirror.example/debian trixie main"
}

@test "unknown version without --sha256 is refused (exit 2)" {
	run "$BBKIT" fetch --cache "$C" --version 1.99.0
	[ "$status" -eq 2 ]
	has_line "busybox 1.99.0: no pinned sha256 for this version (pinned: 1.35.0, 1.37.0, 1.38.0); pass --sha256 HEX"
	[ ! -e "$C/src/busybox-1.99.0" ]
}

@test "--tarball of a wrong file is refused with both sums; cache stays clean" {
	echo "not busybox" >"$BATS_TEST_TMPDIR/fake.tar.bz2"
	run "$BBKIT" fetch -q --cache "$C" --version 1.38.0 --tarball "$BATS_TEST_TMPDIR/fake.tar.bz2"
	[ "$status" -eq 3 ]
	has_line "fake.tar.bz2: sha256 mismatch for busybox 1.38.0: expected 34f9ea6ff8636f2c9241153b9114eefa9e65674a45318ae1ef95bb5f31c53bb2, got "
	[ ! -e "$C/src/busybox-1.38.0" ]
	[ -z "$(ls -A "$C/src")" ]
}

@test "a downloaded file with the wrong sha256 is refused and removed" {
	echo "tampered" >"$BATS_TEST_TMPDIR/tampered.tar.bz2"
	# no Debian source (empty apt dir) -> falls back to --url, a file: URL here
	run "$BBKIT" fetch -q --cache "$C" --version 1.38.0 --apt-etc "$TOP/tests/fixtures/apt-none" \
		--url "file://$BATS_TEST_TMPDIR/tampered.tar.bz2"
	[ "$status" -eq 3 ]
	has_line "sha256 mismatch for busybox 1.38.0: expected 34f9ea6ff8636f2c9241153b9114eefa9e65674a45318ae1ef95bb5f31c53bb2, got"
	has_line "the download was removed from the cache"
	[ -z "$(ls -A "$C/dl")" ]
	[ ! -e "$C/src/busybox-1.38.0" ]
}

@test "--tarball with the right file extracts a tree and prints its path" {
	run "$BBKIT" fetch -q --cache "$C" --version "$V" --tarball "$TARBALL"
	[ "$status" -eq 0 ]
	[ "$output" = "$C/src/busybox-$V" ]
	[ -f "$C/src/busybox-$V/scripts/kconfig/zconf.tab.c_shipped" ]
}

@test "a fetch killed with SIGKILL mid-way leaves nothing trusted; a rerun succeeds" {
	"$BBKIT" fetch -q --cache "$C" --version "$V" --tarball "$TARBALL" >/dev/null &
	pid=$!
	# wait until extraction has started, then kill; a fetch that finished
	# first proves nothing, so that fails the test (ls -A: the temp dir is a
	# dot file, which plain ls never showed, so this test used to kill late)
	started=0
	for i in $(seq 1 500); do
		if ls -A "$C/src" 2>/dev/null | grep -q '^\.tmp-'; then started=1; break; fi
		sleep 0.01
	done
	kill -9 $pid 2>/dev/null || true
	rc=0
	wait $pid || rc=$?
	[ "$started" = 1 ]
	[ "$rc" -eq 137 ]
	[ ! -e "$C/src/busybox-$V" ] || [ -f "$C/src/busybox-$V/Makefile" ]
	run "$BBKIT" fetch -q --cache "$C" --version "$V" --tarball "$TARBALL"
	[ "$status" -eq 0 ]
	# the entry and its lock (.lock-NAME beside every cache entry), no temp
	[ "$(ls -A "$C/src" | tr '\n' ' ')" = ".lock-busybox-$V busybox-$V " ]
	# the same files (the records differ in the times of files make's cache
	# once repaired, so the record is compared by its sums alone)
	diff -r -x .bbkit-files "$CACHE/src/busybox-$V" "$C/src/busybox-$V"
	diff <(awk '{ print $1, $2, $4, $5 }' "$CACHE/src/busybox-$V/.bbkit-files") \
		<(awk '{ print $1, $2, $4, $5 }' "$C/src/busybox-$V/.bbkit-files")
}

@test "a cached tree is used without the network" {
	run "$BBKIT" fetch -q --cache "$C" --version "$V" --tarball "$TARBALL"
	run "$BBKIT" fetch --cache "$C" --version "$V" --apt-etc "$TOP/tests/fixtures/apt-none"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "$C/src/busybox-$V" ]
}

@test "sysroot: its private apt fetches the target architecture's index only, not the host's too" {
	C="$BATS_TEST_TMPDIR/c"
	run "$BBKIT" sysroot -q --cache "$C" linux/arm64
	[ "$status" -eq 0 ]
	[ -s "$output/usr/lib/aarch64-linux-musl/crt1.o" ]
	grep -q '^deb musl-dev [^ ]* arm64 ' "$output/.bbkit-sources"
	run ls "$C/apt-arm64/lists"
	[ "$(grep -c '_binary-[a-z0-9]*_Packages' <<<"$output")" = 1 ]
	grep -q '_binary-arm64_Packages' <<<"$output"
}

@test "sysroot: a failing musl-from-source build is exit 3 with its log tail; no sysroot, no temp dir" {
	# a clang that cannot compile: musl's configure fails
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "bbkit-test: this clang is broken" >&2\nexit 1\n' >"$BATS_TEST_TMPDIR/bin/clang"
	chmod +x "$BATS_TEST_TMPDIR/bin/clang"
	run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" "$BBKIT" sysroot --cache "$C" linux/riscv64
	[ "$status" -eq 3 ]
	is_line "bbkit: sysroot: linux/riscv64: building musl 1.2.3 failed; last 40 lines of $C/sysroot/riscv64-musl-1.2.3.log:"
	is_line "checking whether C compiler works... no; compiler output follows:"
	is_line "bbkit-test: this clang is broken"
	has_line "full log: $C/sysroot/riscv64-musl-1.2.3.log"
	[ ! -e "$C/sysroot/riscv64-musl-1.2.3" ]
	[ -z "$(find "$C/sysroot" -maxdepth 1 -name '.tmp-*')" ]
	# the Architecture: all -cross packages came from the host's own index
	grep -q "linux-libc-dev-riscv64-cross" "$C/apt-riscv64/log"
}

@test "sysroot: dpkg --print-architecture failing is exit 3 naming it; no sysroot, no temp dir" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "dpkg: error: bbkit-test: database locked" >&2\nexit 2\n' >"$BATS_TEST_TMPDIR/bin/dpkg"
	chmod +x "$BATS_TEST_TMPDIR/bin/dpkg"
	run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" "$BBKIT" sysroot --cache "$C" linux/mips
	[ "$status" -eq 3 ]
	has_line "bbkit: sysroot: linux/mips: the host's architecture is needed to fetch the Architecture: all -cross packages from its index, but 'dpkg --print-architecture' failed with exit status 2; check that dpkg works"
	has_line "bbkit-test: database locked"
	[ ! -e "$C/sysroot/mips-musl-1.2.3" ]
	[ -z "$(find "$C/sysroot" -maxdepth 1 -name '.tmp-*')" ]
}

@test "--apt-etc is one setting for every command that reaches apt: build's sysroot honours it too" {
	# a fresh cache: build needs a sysroot, made with apt from --apt-etc's
	# sources (none here), never /etc/apt's behind the caller's back
	run "$BBKIT" build linux/amd64 -q --cache "$C" --no-ccache --apt-etc "$TOP/tests/fixtures/apt-none" \
		--src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/busybox"
	[ "$status" -eq 3 ] || { printf '%s\n' "$output"; return 1; }
	has_line "bbkit: build: $TOP/tests/fixtures/apt-none: no apt source serves Debian"
}
