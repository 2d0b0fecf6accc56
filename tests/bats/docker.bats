#!/usr/bin/env bats
# The Dockerfile's artifact target (FROM scratch + ADD rootfs.tar, no
# compiler, no registry) built with buildah for linux/arm64: the image's
# filesystem equals rootfs.tar.
load helpers

listing() { # DIR -> one line per entry: path type mode owner link-target mtime
	(cd "$1" && find . -mindepth 1 -printf '%P %y %m %U:%G %l %T@\n' | sort)
}

@test "artifact target for linux/arm64: image filesystem equals rootfs.tar" {
	O="$B/test-out"
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/arm64 OUT="$O"
	ctx="$BATS_TEST_TMPDIR/ctx"
	mkdir -p "$ctx/out/smoke/linux-arm64"
	cp "$TOP/Dockerfile" "$TOP/.dockerignore" "$ctx/"
	cp "$O/smoke/linux-arm64/rootfs.tar" "$ctx/out/smoke/linux-arm64/"
	BA="buildah --storage-driver vfs --root $BATS_TEST_TMPDIR/storage --runroot $BATS_TEST_TMPDIR/run"
	run $BA bud --platform linux/arm64 --target artifact --build-arg PROFILE=smoke -t bbkit-test:arm64 "$ctx"
	[ "$status" -eq 0 ]
	run $BA inspect --format '{{.OCIv1.OS}}/{{.OCIv1.Architecture}}' bbkit-test:arm64
	[ "${lines[-1]}" = "linux/arm64" ]
	ctr=$($BA from bbkit-test:arm64)
	mnt=$($BA mount "$ctr")
	mkdir "$BATS_TEST_TMPDIR/tar"
	tar -xpf "$O/smoke/linux-arm64/rootfs.tar" -C "$BATS_TEST_TMPDIR/tar"
	listing "$mnt" >"$BATS_TEST_TMPDIR/image"
	listing "$BATS_TEST_TMPDIR/tar" >"$BATS_TEST_TMPDIR/tarball"
	cmp -s "$mnt/bin/busybox" "$BATS_TEST_TMPDIR/tar/bin/busybox"
	$BA umount "$ctr" >/dev/null
	$BA rm "$ctr" >/dev/null
	$BA rmi -a -f >/dev/null 2>&1 || true
	diff "$BATS_TEST_TMPDIR/tarball" "$BATS_TEST_TMPDIR/image"
	# bin/busybox, the smoke list's 12 links and the directories they need
	[ "$(wc -l <"$BATS_TEST_TMPDIR/image")" -eq "$(tar tf "$O/smoke/linux-arm64/rootfs.tar" | wc -l)" ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/image")" -eq 17 ]
}
