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

@test "SIGINT/SIGKILL during fetch, sysroot, build and rootfs; the rerun equals a clean build" {
	O="$BATS_TEST_TMPDIR/out"
	D="$O/smoke/linux-amd64"
	start_make tests/lists/smoke.list "$O"
	wait_for 'ls -d "$C"/src/.tmp-busybox-* >/dev/null 2>&1'
	hit INT
	[ ! -e "$C/src/busybox-$V" ] || [ -f "$C/src/busybox-$V/Makefile" ]

	start_make tests/lists/smoke.list "$O"
	wait_for 'ls -d "$C"/sysroot/.tmp-* >/dev/null 2>&1'
	hit KILL
	[ ! -e "$C/sysroot/amd64" ] || [ -f "$C/sysroot/amd64/usr/lib/x86_64-linux-musl/libc.a" ]

	start_make tests/lists/smoke.list "$O"
	wait_for 'grep -q " CC " "$PB"/bb/*/smoke/linux-amd64/build.log 2>/dev/null'
	hit INT
	[ ! -e "$D/busybox" ]

	start_make tests/lists/smoke.list "$O"
	wait_for 'grep -q " LINK \| CC " "$PB"/bb/*/smoke/linux-amd64/build.log 2>/dev/null && [ -e "$PB"/bb/'"$V"'/smoke/linux-amd64/busybox_unstripped ]'
	hit KILL

	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 \
		OUT="$O" CACHE="$C" B="$PB" BUSYBOX_TARBALL="$CACHE/dl/busybox_${V}.orig.tar.bz2"
	[ "$status" -eq 0 ]
	# the reference: the platform tests' uninterrupted build of the same list
	R="$B/test-out/smoke/linux-amd64"
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$B/test-out"
	for f in busybox busybox.config busybox.links manifest.json rootfs.tar; do
		cmp "$D/$f" "$R/$f"
	done
	[ -z "$(find "$O" "$C/src" "$C/sysroot" -name '*.tmp*' -o -name '.tmp-*')" ]
}

@test "two concurrent makes of different profiles sharing one fresh cache both succeed" {
	start_make tests/lists/smoke.list "$BATS_TEST_TMPDIR/o1"
	p1=$MAKE_PID
	start_make tests/lists/tiny.list "$BATS_TEST_TMPDIR/o2"
	p2=$MAKE_PID
	wait "$p1" || { tail -40 "$BATS_TEST_TMPDIR/make.log"; false; }
	wait "$p2" || { tail -40 "$BATS_TEST_TMPDIR/make.log"; false; }
	"$BATS_TEST_TMPDIR/o1/smoke/linux-amd64/busybox" expr 6 \* 7 | grep -qx 42
	"$BATS_TEST_TMPDIR/o2/tiny/linux-amd64/busybox" sh -c 'echo hi | cat' | grep -qx hi
	[ "$(cat "$BATS_TEST_TMPDIR/o2/tiny/linux-amd64/busybox.links" | sort | tr '\n' ' ')" = "/bin/cat /bin/echo /bin/ls /bin/sh " ]
	[ "$(ls "$C/src")" = "busybox-$V" ]
}
