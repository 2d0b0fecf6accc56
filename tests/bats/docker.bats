#!/usr/bin/env bats
# The Dockerfile's two targets built with buildah for linux/arm64, no
# registry: artifact (FROM scratch + ADD rootfs.tar, no compiler): the
# image's filesystem equals rootfs.tar; image (the default: a Debian build
# stage that runs make, cross-building natively): its busybox is byte for
# byte make's, its links are the manifest's. Both carry PATH and labels.
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
	run $BA bud --platform linux/arm64 --target artifact --build-arg PROFILE=smoke \
		--build-arg BUSYBOX_VERSION="$V" -t bbkit-test:arm64 "$ctx"
	[ "$status" -eq 0 ]
	run $BA inspect --format '{{.OCIv1.OS}}/{{.OCIv1.Architecture}} {{.OCIv1.Config.Env}} {{.OCIv1.Config.Cmd}}' bbkit-test:arm64
	[ "${lines[-1]}" = "linux/arm64 [PATH=/usr/sbin:/usr/bin:/sbin:/bin] [/bin/sh]" ]
	run $BA inspect --format '{{index .OCIv1.Config.Labels "org.opencontainers.image.licenses"}} {{index .OCIv1.Config.Labels "org.opencontainers.image.version"}}' bbkit-test:arm64
	[ "${lines[-1]}" = "GPL-2.0-only $V" ]
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
	# bin/busybox, the smoke list's 12 links and the directories they need,
	# and etc/busybox-paths.d/busybox with its two directories
	[ "$(wc -l <"$BATS_TEST_TMPDIR/image")" -eq "$(tar tf "$O/smoke/linux-arm64/rootfs.tar" | wc -l)" ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/image")" -eq 20 ]
}

@test "image target (the default) for linux/arm64 with another project's list, built natively: busybox is make's" {
	O="$B/test-out"
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/arm64 OUT="$O"
	# a bookworm base from this machine's mirror, with its apt settings
	base=$(sh "$TOP/scripts/base-image.sh" "$CACHE")
	BA="buildah --storage-driver vfs --root $BATS_TEST_TMPDIR/storage --runroot $BATS_TEST_TMPDIR/run"
	ctr=$($BA from scratch)
	$BA add "$ctr" "$base" / >/dev/null
	$BA config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
	$BA commit -q "$ctr" localhost/bbkit-base:bookworm >/dev/null
	$BA rm "$ctr" >/dev/null
	# the build context as a clone has it
	ctx="$BATS_TEST_TMPDIR/ctx"
	mkdir -p "$ctx"
	(cd "$TOP" && git ls-files -z | xargs -0 cp --parents -t "$ctx")
	# a router project's own list, handed over as the named context "lists"
	mkdir "$BATS_TEST_TMPDIR/router"
	cp "$TOP/tests/lists/smoke.list" "$BATS_TEST_TMPDIR/router/router.list"
	# no OCI runtime here: RUN steps in a chroot (host network, the host's
	# mirror); buildah 1.28 does not define BUILDPLATFORM for FROM
	# --platform= by itself (empty: the stage would be linux/arm64 too)
	# buildah keeps RUN --mount=type=cache directories under TMPDIR: this
	# test's own, so the cache mounts start cold and can be looked at after
	mkdir "$BATS_TEST_TMPDIR/tmp"
	TMPDIR="$BATS_TEST_TMPDIR/tmp" run $BA bud --isolation chroot --pull=never --platform linux/arm64 --target image \
		--build-arg BUILDPLATFORM="linux/$(dpkg --print-architecture)" \
		--build-arg BASE_IMAGE=localhost/bbkit-base:bookworm \
		--build-context lists="$BATS_TEST_TMPDIR/router" --build-arg LIST=lists/router.list \
		--build-arg BUSYBOX_VERSION="$V" \
		-t bbkit-img:arm64 "$ctx"
	[ "$status" -eq 0 ] || { printf '%s\n' "${lines[@]}" | tail -40; false; }
	# the build stage ran on the (amd64-only) base, cross-building for arm64
	has_line "FROM localhost/bbkit-base:bookworm AS build"
	has_line "bbkit: publish: out/router/linux-arm64: published"
	# the build went through the compiler cache on the cache mount, which
	# the next build (another platform's stage, a rebuild) finds warm
	has_line "bbkit: build: linux/arm64: compiler cache: 0 of "
	ls -d "$BATS_TEST_TMPDIR"/tmp/buildah-cache*/bbkit-cache/ccache
	[ -n "$(find "$BATS_TEST_TMPDIR"/tmp/buildah-cache*/bbkit-cache/ccache -name '*R' -type f | head -1)" ]
	ls -d "$BATS_TEST_TMPDIR"/tmp/buildah-cache*/bbkit-cache/src/busybox-"$V"
	run $BA inspect --format '{{.OCIv1.OS}}/{{.OCIv1.Architecture}} {{.OCIv1.Config.Env}} {{.OCIv1.Config.Cmd}}' bbkit-img:arm64
	[ "${lines[-1]}" = "linux/arm64 [PATH=/usr/sbin:/usr/bin:/sbin:/bin] [/bin/sh]" ]
	run $BA inspect --format '{{index .OCIv1.Config.Labels "org.opencontainers.image.licenses"}} {{index .OCIv1.Config.Labels "org.opencontainers.image.version"}}' bbkit-img:arm64
	[ "${lines[-1]}" = "GPL-2.0-only $V" ]
	ctr=$($BA from bbkit-img:arm64)
	mnt=$($BA mount "$ctr")
	cmp "$mnt/bin/busybox" "$O/smoke/linux-arm64/busybox"
	(cd "$mnt" && find . -type l | sed 's,^\.,,' | sort) >"$BATS_TEST_TMPDIR/image-links"
	sort "$O/smoke/linux-arm64/busybox.links" >"$BATS_TEST_TMPDIR/manifest-links"
	$BA umount "$ctr" >/dev/null
	$BA rm "$ctr" >/dev/null
	$BA rmi -a -f >/dev/null 2>&1 || true
	diff "$BATS_TEST_TMPDIR/manifest-links" "$BATS_TEST_TMPDIR/image-links"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/image-links")" -eq 12 ]
}
