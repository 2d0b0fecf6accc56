#!/usr/bin/env bats
# Interrupted and concurrent runs: SIGINT and SIGKILL at each stage, then a
# rerun gives the same outputs as an uninterrupted build; two makes of
# different profiles sharing one fresh cache both succeed.
load helpers

# make in its own process group (job control on), so a signal reaches
# make and every child like a ^C does
start_make() { # LIST OUTDIR
	set -m
	make -C "$TOP" --no-print-directory QUIET=1 LIST="$1" PLATFORMS=linux/amd64 \
		OUT="$2" CACHE="$C" B="$PB" BUSYBOX_TARBALL="$CACHE/dl/busybox_${V}.orig.tar.bz2" \
		>>"$BATS_TEST_TMPDIR/make.log" 2>&1 &
	MAKE_PID=$!
	set +m
}

wait_for() { # GLOB-TEST-COMMAND... (up to 240 s)
	for i in $(seq 1 2400); do
		if eval "$1"; then return 0; fi
		kill -0 "$MAKE_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

hit() { # SIGNAL
	kill "-$1" -- "-$MAKE_PID" 2>/dev/null || true
	wait "$MAKE_PID" || true
}

setup() {
	C="$BATS_TEST_TMPDIR/cache"
	PB="$BATS_TEST_TMPDIR/b"
}

# Two makes of different profiles on one fresh cache, at once; the first's
# outputs are also the uninterrupted reference build for the test below.
setup_file() {
	FC="$BATS_FILE_TMPDIR/cache"
	FB="$BATS_FILE_TMPDIR/b"
	for l in a b; do
		(make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/quick-$l.list PLATFORMS=linux/amd64 \
			OUT="$BATS_FILE_TMPDIR/o-$l" CACHE="$FC" B="$FB" \
			BUSYBOX_TARBALL="$CACHE/dl/busybox_${V}.orig.tar.bz2" >"$BATS_FILE_TMPDIR/make-$l.log" 2>&1
		echo $? >"$BATS_FILE_TMPDIR/rc-$l") &
	done
	wait
}

@test "SIGINT/SIGKILL during fetch, sysroot, build and rootfs; the rerun equals a clean build" {
	O="$BATS_TEST_TMPDIR/out"
	D="$O/quick-a/linux-amd64"
	start_make tests/lists/quick-a.list "$O"
	wait_for 'ls -d "$C"/src/.tmp-busybox-* >/dev/null 2>&1'
	hit INT
	[ ! -e "$C/src/busybox-$V" ] || [ -f "$C/src/busybox-$V/Makefile" ]

	start_make tests/lists/quick-a.list "$O"
	wait_for 'ls -d "$C"/sysroot/.tmp-* >/dev/null 2>&1'
	hit KILL
	[ ! -e "$C/sysroot/amd64" ] || [ -f "$C/sysroot/amd64/usr/lib/x86_64-linux-musl/libc.a" ]

	start_make tests/lists/quick-a.list "$O"
	wait_for 'grep -q " CC " "$PB"/bb/*/quick-a/linux-amd64/build.log 2>/dev/null'
	hit INT
	[ ! -e "$D/busybox" ]

	start_make tests/lists/quick-a.list "$O"
	wait_for 'grep -q " LINK \| CC " "$PB"/bb/*/quick-a/linux-amd64/build.log 2>/dev/null && [ -e "$PB"/bb/'"$V"'/quick-a/linux-amd64/busybox_unstripped ]'
	hit KILL

	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/quick-a.list PLATFORMS=linux/amd64 \
		OUT="$O" CACHE="$C" B="$PB" BUSYBOX_TARBALL="$CACHE/dl/busybox_${V}.orig.tar.bz2"
	[ "$status" -eq 0 ]
	# the reference: the uninterrupted build of the same list (setup_file)
	R="$BATS_FILE_TMPDIR/o-a/quick-a/linux-amd64"
	[ "$(cat "$BATS_FILE_TMPDIR/rc-a")" = 0 ]
	for f in busybox busybox.config busybox.links manifest.json rootfs.tar; do
		cmp "$D/$f" "$R/$f"
	done
	left=$(find "$O" "$C/src" "$C/sysroot" -name '*.tmp*' -o -name '.tmp-*')
	[ -z "$left" ] || { echo "left behind: $left"; false; }
}

@test "two concurrent makes of different profiles sharing one fresh cache both succeed" {
	[ "$(cat "$BATS_FILE_TMPDIR/rc-a")" = 0 ] || { tail -40 "$BATS_FILE_TMPDIR/make-a.log"; false; }
	[ "$(cat "$BATS_FILE_TMPDIR/rc-b")" = 0 ] || { tail -40 "$BATS_FILE_TMPDIR/make-b.log"; false; }
	A="$BATS_FILE_TMPDIR/o-a/quick-a/linux-amd64"
	Bq="$BATS_FILE_TMPDIR/o-b/quick-b/linux-amd64"
	"$A/busybox" echo hi | "$A/busybox" cat | grep -qx hi
	"$Bq/busybox" yes | head -1 | grep -qx y
	[ "$(sort "$A/busybox.links" | tr '\n' ' ')" = "/bin/cat /bin/echo /bin/true " ]
	[ "$(sort "$Bq/busybox.links" | tr '\n' ' ')" = "/bin/false /bin/ls /usr/bin/yes " ]
	# the pristine tree, Debian's packaging and the copy with its security patches
	[ "$(ls "$BATS_FILE_TMPDIR/cache/src" | tr '\n' ' ')" = "busybox-$V busybox-$V+security busybox-$V-debian " ]
}

# SIGINT at the very moment manifest or rootfs would rename its output into
# place (strace fails the rename with EINTR and delivers the signal): the
# previous output stays byte for byte, no temp file is left, and the next
# run writes the same output as an uninterrupted one.
interrupt_at_rename() { # OUTPUT COMMAND...
	local out=$1 before
	shift
	before=$(sha256sum <"$out")
	run strace -f -qq -o /dev/null -e trace=rename,renameat,renameat2 \
		-e inject=rename,renameat,renameat2:error=EINTR:signal=SIGINT "$@" --out "$out"
	[ "$status" -eq 130 ]
	[ "$(sha256sum <"$out")" = "$before" ]
	[ -z "$(find "$(dirname "$out")" -name '*.tmp*')" ]
	run "$@" --out "$out"
	[ "$status" -eq 0 ]
	[ "$(sha256sum <"$out")" = "$before" ]
}

@test "SIGINT during manifest and rootfs leaves the previous outputs and no temp files" {
	[ "$(cat "$BATS_FILE_TMPDIR/rc-a")" = 0 ]
	R="$BATS_FILE_TMPDIR/o-a/quick-a/linux-amd64"
	bd="$BATS_FILE_TMPDIR/b/bb/$V/quick-a/linux-amd64"
	interrupt_at_rename "$R/rootfs.tar" "$BBKIT" rootfs -q --builddir "$bd" --binary "$R/busybox"
	interrupt_at_rename "$R/manifest.json" "$BBKIT" manifest -q --builddir "$bd" --platform linux/amd64 --format json
	interrupt_at_rename "$R/busybox.links" "$BBKIT" manifest -q --builddir "$bd" --format links
}
