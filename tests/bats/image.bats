#!/usr/bin/env bats
# make image: a multi-platform OCI image layout written by bbkit (no daemon),
# read back with skopeo and buildah; the SBOM and VEX documents valid
# CycloneDX 1.5; make sources; reproducible; a failed platform writes none.
load helpers

setup_file() {
	O="$B/test-out"
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list \
		PLATFORMS="linux/amd64 linux/arm64 linux/arm/v7" OUT="$O" SOURCES_DIRTY=1 image sources \
		>"$BATS_FILE_TMPDIR/make.log" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/rc"
}

setup() {
	O="$B/test-out"
	I="$O/smoke/image"
	[ "$(cat "$BATS_FILE_TMPDIR/rc")" = 0 ] || { tail -30 "$BATS_FILE_TMPDIR/make.log"; false; }
}

@test "skopeo reads the layout: every platform under the profile's ref, os/architecture/variant, PATH, Cmd, labels" {
	run skopeo inspect --raw "oci:$I:smoke"
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.manifests[] | select(.platform) | .platform | [.os, .architecture, .variant // ""] | join("/")] | join(" ")' <<<"$output")" = "linux/amd64/ linux/arm64/ linux/arm/v7" ]
	# and each platform's SBOM, attached as an OCI 1.1 artifact whose subject is its image
	[ "$(jq '[.manifests[] | select(.artifactType == "application/vnd.cyclonedx+json")] | length' <<<"$output")" -eq 3 ]
	run skopeo inspect --override-arch arm --override-variant v7 --config "oci:$I:smoke"
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.architecture, .variant, .config.Env, .config.Cmd, .created]' <<<"$output")" = '["arm","v7",["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],["/bin/sh"],"2000-01-01T00:00:00Z"]' ]
	[ "$(jq -r '.config.Labels["org.opencontainers.image.licenses"], .config.Labels["org.opencontainers.image.version"], .config.Labels["org.opencontainers.image.ref.name"]' <<<"$output" | tr '\n' ' ')" = "GPL-2.0-only $V smoke " ]
	run skopeo inspect --override-arch arm64 --config "oci:$I:smoke"
	[ "$(jq -r .architecture <<<"$output")" = arm64 ]
}

@test "a rootfs without /bin/sh gets no Cmd (docker run needs a command); an earlier layout is replaced, a user's directory never" {
	r="$BATS_TEST_TMPDIR/r"
	mkdir -p "$r/bin"
	tar -xf "$O/smoke/linux-amd64/rootfs.tar" -C "$r" bin/busybox
	tar -cf "$BATS_TEST_TMPDIR/nosh.tar" -C "$r" .
	l="$BATS_TEST_TMPDIR/layout"
	cp -a "$I" "$l"
	run "$BBKIT" image -q --out "$l" --ref nosh --version "$V" linux/amd64="$BATS_TEST_TMPDIR/nosh.tar"
	[ "$status" -eq 0 ]
	run skopeo inspect --config "oci:$l:nosh"
	[ "$status" -eq 0 ]
	[ "$(jq -c '.config.Cmd' <<<"$output")" = null ]
	[ "$(jq -c '.config.Env' <<<"$output")" = '["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]' ]
	mkdir -p "$BATS_TEST_TMPDIR/mine"
	echo precious >"$BATS_TEST_TMPDIR/mine/notes"
	run "$BBKIT" image -q --out "$BATS_TEST_TMPDIR/mine" --ref nosh --version "$V" linux/amd64="$BATS_TEST_TMPDIR/nosh.tar"
	[ "$status" -eq 1 ]
	[ "$(cat "$BATS_TEST_TMPDIR/mine/notes")" = precious ]
}

@test "skopeo copy: the amd64 layer is rootfs.tar byte for byte (names, modes, owners, link targets, bytes)" {
	d="$BATS_TEST_TMPDIR/dir"
	run skopeo copy --override-arch amd64 "oci:$I:smoke" "dir:$d"
	[ "$status" -eq 0 ]
	l=$(jq -r '.layers[0].digest' "$d/manifest.json")
	[ "$(jq -r '.layers[0].mediaType' "$d/manifest.json")" = application/vnd.oci.image.layer.v1.tar+gzip ]
	gzip -dc "$d/${l#sha256:}" | cmp - "$O/smoke/linux-amd64/rootfs.tar"
	# copy --all takes the SBOMs along
	run skopeo copy --all "oci:$I:smoke" "dir:$BATS_TEST_TMPDIR/all"
	[ "$status" -eq 0 ]
	grep -l '"bomFormat":"CycloneDX"\|"bomFormat": "CycloneDX"' "$BATS_TEST_TMPDIR/all"/* | grep -q .
}

@test "buildah runs /bin/sh from the layout (amd64, chroot isolation)" {
	st="$BATS_TEST_TMPDIR/storage" rr="$BATS_TEST_TMPDIR/run"
	BA="buildah --storage-driver vfs --root $st --runroot $rr"
	# buildah names an oci: image after its path (here with '_' and upper
	# case: refused), so skopeo puts it into buildah's storage under a name
	skopeo copy -q "oci:$I:smoke" "containers-storage:[vfs@$st+$rr]localhost/smoke:latest"
	ctr=$($BA from localhost/smoke:latest)
	run $BA run --isolation chroot "$ctr" /bin/sh -c 'echo ok; echo $PATH'
	$BA rm "$ctr" >/dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "ok
/usr/sbin:/usr/bin:/sbin:/bin" ]
}

# bbkit image in work dir N with a umask and TZ of its own
mk_image() { # N UMASK TZ
	local a="$O/smoke/linux-amd64" b="$O/smoke/linux-arm64"
	cd "$BATS_TEST_TMPDIR/w$1" || return 1
	umask "$2"
	TZ=$3 SOURCE_DATE_EPOCH=946684800 "$BBKIT" image -q --out img --ref smoke --version "$V" \
		--sbom "$a/sbom.cdx.json" --sbom "$b/sbom.cdx.json" \
		linux/amd64="$a/rootfs.tar" linux/arm64="$b/rootfs.tar"
}

@test "the image is reproducible: bbkit image twice, other paths, umask and TZ, the same bytes" {
	for n in 1 2; do
		mkdir -p "$BATS_TEST_TMPDIR/w$n"
		(mk_image "$n" 0$((n * 2 + 20)) "UTC$n")
		sleep 1.1 # another second: a time written anywhere would show
	done
	diff -r "$BATS_TEST_TMPDIR/w1/img" "$BATS_TEST_TMPDIR/w2/img"
	[ "$(ls "$BATS_TEST_TMPDIR/w1/img/blobs/sha256" | wc -l)" -eq 12 ]
	# no gzip header carries a time (MTIME, bytes 4-7, is 0)
	for b in $(jq -r '.manifests[] | select(.platform) | .digest' "$BATS_TEST_TMPDIR/w1/img/blobs/sha256/$(jq -r '.manifests[0].digest' "$BATS_TEST_TMPDIR/w1/img/index.json" | cut -d: -f2)" | cut -d: -f2); do
		l=$(jq -r '.layers[0].digest' "$BATS_TEST_TMPDIR/w1/img/blobs/sha256/$b" | cut -d: -f2)
		[ "$(od -A n -t x1 -j 4 -N 4 "$BATS_TEST_TMPDIR/w1/img/blobs/sha256/$l" | tr -d ' ')" = 00000000 ]
	done
	# a blob is named by its content
	for b in "$BATS_TEST_TMPDIR"/w1/img/blobs/sha256/*; do
		[ "$(sha256sum <"$b" | cut -d' ' -f1)" = "$(basename "$b")" ]
	done
}

@test "SBOM and VEX are valid CycloneDX 1.5 (the official schema) and name what went in" {
	d="$O/smoke/linux-arm64"
	run sh "$TOP/tests/cdx-validate.sh" "$CACHE" "$d/sbom.cdx.json" "$d/vex.cdx.json" "$O/smoke/linux-arm-v7/sbom.cdx.json"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	# the validator does refuse a bad document
	jq '.vulnerabilities[0].analysis.state = "fine"' "$d/vex.cdx.json" >"$BATS_TEST_TMPDIR/bad.json"
	run sh "$TOP/tests/cdx-validate.sh" "$CACHE" "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 1 ]
	# busybox: cpe, the tarball's pinned sha256, the config's, 8 patches with their CVEs
	sha=$(awk -F'\t' -v v="$V" '$1 == "busybox" && $2 == v { print $3 }' "$TOP/pins.tsv")
	[ "$(jq -r '.metadata.component | .cpe, .externalReferences[0].hashes[0].content, (.pedigree.patches | length), (.properties[] | select(.name == "bbkit:config:sha256") | .value)' "$d/sbom.cdx.json" | tr '\n' ' ')" = \
		"cpe:2.3:a:busybox:busybox:$V:*:*:*:*:*:*:* $sha 8 $(sha256sum <"$d/busybox.config" | cut -d' ' -f1) " ]
	# the same component in both documents
	[ "$(jq -r '.metadata.component["bom-ref"]' "$d/sbom.cdx.json")" = "$(jq -r '.vulnerabilities[0].affects[0].ref' "$d/vex.cdx.json")" ]
	# arm64: Debian's musl-dev; arm/v7 too; libgcc and the UAPI headers from the -cross packages
	[ "$(jq -r '[.components[].name] | join(" ")' "$d/sbom.cdx.json")" = "libgcc-12-dev-arm64-cross linux-libc-dev-arm64-cross musl-dev" ]
	[ "$(jq -r '[.metadata.tools.components[].name] | join(" ")' "$d/sbom.cdx.json")" = "bbkit clang ld.lld llvm-strip" ]
}

@test "make sources: the tarball as fetched, the patches, the configs, the lists and bbkit's source, with SHA256SUMS" {
	s="$O/smoke/sources"
	(cd "$s" && sha256sum -c --quiet SHA256SUMS)
	cmp "$s/busybox_$V.orig.tar.bz2" "$CACHE/dl/busybox_$V.orig.tar.bz2"
	cmp "$s/configs/linux-arm-v7.config" "$O/smoke/linux-arm-v7/busybox.config"
	# at their paths below the directory they share (the checkout)
	cmp "$s/lists/tests/lists/smoke.list" "$TOP/tests/lists/smoke.list"
	cmp "$s/lists/applet-lists/toolchain/musl.list" "$TOP/applet-lists/toolchain/musl.list"
	[ "$(wc -l <"$s/patches/series")" -eq 8 ]
	tar -tzf "$s/bbkit-src.tar.gz" | grep -qx bbkit/toolkit/bbkit.c
}

@test "make image with a platform that fails writes no layout; the previous one stays" {
	o="$BATS_TEST_TMPDIR/o"
	printf 'ls\nnosuchapplet\n' >"$BATS_TEST_TMPDIR/bad.list"
	run make -C "$TOP" --no-print-directory QUIET=1 LIST="$BATS_TEST_TMPDIR/bad.list" PLATFORMS=linux/amd64 OUT="$o" image
	[ "$status" -ne 0 ]
	[ ! -e "$o/bad/image" ]
	# a list of the same profile name that cannot be honoured: the layout stays
	sum=$(sha256sum <"$I/index.json")
	mkdir "$BATS_TEST_TMPDIR/x"
	printf 'include %s\nnosuchapplet\n' "$TOP/tests/lists/smoke.list" >"$BATS_TEST_TMPDIR/x/smoke.list"
	run make -C "$TOP" --no-print-directory QUIET=1 LIST="$BATS_TEST_TMPDIR/x/smoke.list" \
		PLATFORMS="linux/amd64 linux/arm64 linux/arm/v7" OUT="$O" image
	[ "$status" -ne 0 ]
	[ "$(sha256sum <"$I/index.json")" = "$sum" ]
}
