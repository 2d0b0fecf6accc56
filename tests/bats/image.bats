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
	# and its OpenVEX document, the same way
	[ "$(jq '[.manifests[] | select(.artifactType == "application/vnd.openvex+json")] | length' <<<"$output")" -eq 3 ]
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
	# with the links where apko and scanners look: busybox.links byte for byte
	gzip -dc "$d/${l#sha256:}" | tar -xOf - etc/busybox-paths.d/busybox | cmp - "$O/smoke/linux-amd64/busybox.links"
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
	# and the binary it describes: the busybox shipped, the one in rootfs.tar
	[ "$(jq -r '.metadata.component.hashes[0] | .alg + " " + .content' "$d/sbom.cdx.json")" = "SHA-256 $(sha256sum <"$d/busybox" | cut -d' ' -f1)" ]
	[ "$(tar -xOf "$d/rootfs.tar" bin/busybox | sha256sum | cut -d' ' -f1)" = "$(sha256sum <"$d/busybox" | cut -d' ' -f1)" ]
	# and the OpenVEX document (the rules of its 0.2.0 schema), every platform's
	run sh "$TOP/tests/openvex-validate.sh" "$d/vex.openvex.json" "$O/smoke/linux-amd64/vex.openvex.json" "$O/smoke/linux-arm-v7/vex.openvex.json"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
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

@test "sbom --binary: the binary's sha256 as the busybox hash; setuid applets listed only with FEATURE_SUID=y" {
	# the smoke build dir's files sbom reads, with ping (setuid "maybe") on
	s="$B/bb/$V/smoke/linux-amd64"
	bd="$BATS_TEST_TMPDIR/bd"
	mkdir -p "$bd/include"
	cp -a "$s/Makefile" "$s/.bbkit-src" "$s/.config" "$s/busybox_unstripped" "$s/.bbkit-built-from" "$bd/"
	cp "$s/include/applets.h" "$bd/include/"
	sed -i 's/^# CONFIG_PING is not set/CONFIG_PING=y/; s/^# CONFIG_FEATURE_SUID is not set/CONFIG_FEATURE_SUID=y/' "$bd/.config"
	grep -qx CONFIG_FEATURE_SUID=y "$bd/.config"
	BBKIT_CACHE="$CACHE" "$BBKIT" sbom -q --builddir "$bd" --platform linux/amd64 --binary "$bd/busybox_unstripped" --out "$BATS_TEST_TMPDIR/on.json"
	[ "$(jq -r '.metadata.component.hashes[0].content' "$BATS_TEST_TMPDIR/on.json")" = "$(sha256sum <"$bd/busybox_unstripped" | cut -d' ' -f1)" ]
	[ "$(jq -r '.metadata.component.properties[] | select(.name == "bbkit:setuid-applets") | .value' "$BATS_TEST_TMPDIR/on.json")" = ping ]
	[ "$(jq '[.metadata.component.properties[] | select(.name == "bbkit:unpacked:sha256")] | length' "$BATS_TEST_TMPDIR/on.json")" -eq 0 ]
	# packed (COMPRESS): the binary UPX packed is named too, by a property
	# (the hash stays the shipped binary's: what bbkit image matches)
	BBKIT_CACHE="$CACHE" "$BBKIT" sbom -q --builddir "$bd" --platform linux/amd64 --binary "$bd/busybox_unstripped" \
		--compress upx-lzma --unpacked "$s/stage/busybox" --out "$BATS_TEST_TMPDIR/packed.json"
	[ "$(jq -r '.metadata.component | (.hashes | length | tostring) + " " + .hashes[0].content + " " + (.properties[] | select(.name == "bbkit:unpacked:sha256") | .value)' "$BATS_TEST_TMPDIR/packed.json")" = \
		"1 $(sha256sum <"$bd/busybox_unstripped" | cut -d' ' -f1) $(sha256sum <"$s/stage/busybox" | cut -d' ' -f1)" ]
	run env BBKIT_CACHE="$CACHE" "$BBKIT" sbom -q --builddir "$bd" --platform linux/amd64 --unpacked "$s/stage/busybox" --out "$BATS_TEST_TMPDIR/x.json"
	[ "$status" -eq 2 ]
	is_line "bbkit: sbom: --unpacked: only with --compress; see 'bbkit sbom --help'"
	# without FEATURE_SUID busybox never drops privileges: no setuid evidence
	sed -i 's/^CONFIG_FEATURE_SUID=y/# CONFIG_FEATURE_SUID is not set/' "$bd/.config"
	BBKIT_CACHE="$CACHE" "$BBKIT" sbom -q --builddir "$bd" --platform linux/amd64 --binary "$bd/busybox_unstripped" --out "$BATS_TEST_TMPDIR/off.json"
	[ "$(jq '[.metadata.component.properties[] | select(.name == "bbkit:setuid-applets")] | length' "$BATS_TEST_TMPDIR/off.json")" -eq 0 ]
	# a binary of another platform is refused
	run env BBKIT_CACHE="$CACHE" "$BBKIT" sbom -q --builddir "$bd" --platform linux/amd64 --binary "$O/smoke/linux-arm64/busybox" --out "$BATS_TEST_TMPDIR/x.json"
	[ "$status" -eq 1 ]
	has_line "--binary $O/smoke/linux-arm64/busybox: ELF machine 183"
}

# --- synthetic inputs (no build): what bbkit image refuses and keeps -------

# rootfs.tar with a bare amd64 ELF header as bin/busybox, plus ENTRY...
# (tests/mkrootfs.py); prints its path
fake_rootfs() { # NAME ENTRY...
	local t="$BATS_TEST_TMPDIR/$1.tar"
	shift
	python3 "$TOP/tests/mkrootfs.py" "$t" d:0755:bin "$@" >&2 || return 1
	echo "$t"
}
# an SBOM as 'bbkit sbom --binary' writes it, for PLATFORM and TAR's
# bin/busybox, with bbkit:setuid-applets SETUID when given
fake_sbom() { # TAR PLATFORM [SETUID]
	jq -n --arg h "$(tar -xOf "$1" bin/busybox | sha256sum | cut -d' ' -f1)" --arg p "$2" --arg s "${3:-}" \
		'{bomFormat: "CycloneDX", specVersion: "1.5", version: 1,
		  metadata: {component: {name: "busybox", hashes: [{alg: "SHA-256", content: $h}],
		    properties: ([{name: "bbkit:platform", value: $p}] + if $s == "" then [] else [{name: "bbkit:setuid-applets", value: $s}] end)},
		  properties: [{name: "bbkit:platform", value: $p}]}}'
}

@test "image: setuid on anything but bin/busybox, a setuid busybox without evidence, a fifo, a name under a symlink: refused, nothing written" {
	cd "$BATS_TEST_TMPDIR"
	t=$(fake_rootfs suid-sh f:0755:bin/busybox:elf=62,2,1 f:4755:bin/sh:elf=62,2,1)
	run "$BBKIT" image --out img --ref x --version "$V" linux/amd64="$t"
	[ "$status" -eq 1 ]
	[ "$output" = "bbkit: image: $t: bin/sh: setuid (mode 4755): only bin/busybox may be setuid; give the rootfs.tar that make or 'bbkit rootfs --out' wrote" ]
	# 4755 busybox: only with an SBOM naming the applets that need it
	t=$(fake_rootfs suid f:4755:bin/busybox:elf=62,2,1)
	run "$BBKIT" image --out img --ref x --version "$V" linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "bin/busybox is setuid (mode 4755) and no --sbom names an applet that needs it"
	fake_sbom "$t" linux/amd64 >nosuid.json
	run "$BBKIT" image --out img --ref x --version "$V" --sbom nosuid.json linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "names no applet that needs setuid (bbkit:setuid-applets: only a busybox with FEATURE_SUID=y"
	[ ! -e img ]
	fake_sbom "$t" linux/amd64 "passwd su" >suid.json
	run "$BBKIT" image -q --out img --ref x --version "$V" --sbom suid.json linux/amd64="$t"
	[ "$status" -eq 0 ]
	rm -rf img
	# setuid to another user than root
	t=$(fake_rootfs suid-user f:4755/1000:bin/busybox:elf=62,2,1)
	fake_sbom "$t" linux/amd64 "passwd su" >suid-user.json
	run "$BBKIT" image --out img --ref x --version "$V" --sbom suid-user.json linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "$t: bin/busybox: setuid to uid 1000: a setuid busybox is root's (uid 0)"
	t=$(fake_rootfs fifo f:0755:bin/busybox:elf=62,2,1 p:0644:bin/initctl)
	run "$BBKIT" image --out img --ref x --version "$V" linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "$t: bin/initctl: a fifo: a rootfs holds only regular files, directories and symlinks"
	# etc -> /etc, then etc/passwd: unpacked, it lands in the host's /etc
	t=$(fake_rootfs under-link f:0755:bin/busybox:elf=62,2,1 l:0777:etc:/etc f:0644:etc/passwd:root::0:0::/:/bin/sh)
	run "$BBKIT" image --out img --ref x --version "$V" linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "$t: etc/passwd: under etc, a symlink"
	# an SBOM whose busybox has no hash (what bbkit sbom wrote before --binary)
	t=$(fake_rootfs plain f:0755:bin/busybox:elf=62,2,1)
	fake_sbom "$t" linux/amd64 | jq 'del(.metadata.component.hashes)' >nohash.json
	run "$BBKIT" image --out img --ref x --version "$V" --sbom nohash.json linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "no SHA-256 of the busybox binary (metadata.component.hashes)"
	# a second hash of another binary; a component of another platform
	fake_sbom "$t" linux/amd64 | jq '.metadata.component.hashes += [{alg: "SHA-256", content: "'"$(printf %064d 0)"'"}]' >twohash.json
	run "$BBKIT" image --out img --ref x --version "$V" --sbom twohash.json linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "the SBOM of another busybox (sha256 0000000000000000...)"
	fake_sbom "$t" linux/amd64 | jq '.metadata.component.properties[0].value = "linux/arm64"' >twoplat.json
	run "$BBKIT" image --out img --ref x --version "$V" --sbom twoplat.json linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "the SBOM of linux/arm64, given for linux/amd64"
	# a key twice: readers disagree on which one counts
	fake_sbom "$t" linux/amd64 | jq -c . | sed 's/"bomFormat":"CycloneDX",/&"metadata":{},/' >dupkey.json
	run "$BBKIT" image --out img --ref x --version "$V" --sbom dupkey.json linux/amd64="$t"
	[ "$status" -eq 1 ]
	has_line "not JSON (duplicate object key)"
	[ ! -e img ]
}

@test "image --openvex: the platform's OpenVEX attached beside its SBOM, subject its image; one per platform or none" {
	cd "$BATS_TEST_TMPDIR"
	t=$(fake_rootfs plain f:0755:bin/busybox:elf=62,2,1)
	fake_sbom "$t" linux/amd64 >sbom.json
	jq -n --arg p "pkg:generic/busybox@$V" '{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "urn:x", author: "bbkit",
		timestamp: "2000-01-01T00:00:00Z", version: 1,
		statements: [{vulnerability: {name: "CVE-2022-48174"}, products: [{"@id": $p}], status: "fixed"}]}' >vex.json
	run "$BBKIT" image -q --out img --ref x --version "$V" --sbom sbom.json --openvex vex.json linux/amd64="$t"
	[ "$status" -eq 0 ]
	idx=$(jq -r '.manifests[0].digest' img/index.json | cut -d: -f2)
	img=$(jq -r '.manifests[] | select(.platform) | .digest' "img/blobs/sha256/$idx")
	a=$(jq -r '.manifests[] | select(.artifactType == "application/vnd.openvex+json") | .digest' "img/blobs/sha256/$idx" | cut -d: -f2)
	[ "$(jq -r '.subject.digest + " " + .artifactType + " " + .layers[0].mediaType' "img/blobs/sha256/$a")" = \
		"$img application/vnd.openvex+json application/vnd.openvex+json" ]
	cmp vex.json "img/blobs/sha256/$(jq -r '.layers[0].digest' "img/blobs/sha256/$a" | cut -d: -f2)"
	[ "$(jq '[.manifests[] | select(.artifactType == "application/vnd.cyclonedx+json")] | length' "img/blobs/sha256/$idx")" -eq 1 ]
	# one per PLATFORM=ROOTFS.tar
	run "$BBKIT" image -q --out img2 --ref x --version "$V" --openvex vex.json --openvex vex.json linux/amd64="$t"
	[ "$status" -eq 2 ]
	has_line "--openvex: one per PLATFORM=ROOTFS.tar, in the same order (2 of 1)"
	[ ! -e img2 ]
}

@test "image --out STORE: other refs and the blobs they reach stay; the same ref is replaced; blobs no ref reaches go" {
	cd "$BATS_TEST_TMPDIR"
	a=$(fake_rootfs a f:0755:bin/busybox:elf=62,2,1 l:0777:bin/sh:busybox)
	b=$(fake_rootfs b f:0755:bin/busybox:elf=183,2,1)
	fake_sbom "$b" linux/arm64 >b.json
	"$BBKIT" image -q --out store --ref other --version 1 --sbom b.json linux/arm64="$b"
	# a store whose index also lists an image without a ref name (a referrer)
	jq '.manifests += [.manifests[0] | del(.annotations)]' store/index.json >i.json
	mv i.json store/index.json
	"$BBKIT" image -q --out store --ref mine --version 1 linux/amd64="$a"
	"$BBKIT" image -q --out store --ref mine --version 2 linux/amd64="$a"
	[ "$(jq -r '.manifests | map(.annotations["org.opencontainers.image.ref.name"] // "-") | join(" ")' store/index.json)" = "other - mine" ]
	run skopeo inspect --override-arch arm64 --raw oci:store:other
	[ "$status" -eq 0 ]
	[ "$(jq '[.manifests[] | select(.artifactType == "application/vnd.cyclonedx+json")] | length' <<<"$output")" -eq 1 ]
	run skopeo copy --all oci:store:other dir:other
	[ "$status" -eq 0 ]
	run skopeo inspect --config oci:store:mine
	[ "$status" -eq 0 ]
	[ "$(jq -r '.config.Labels["org.opencontainers.image.version"]' <<<"$output")" = 2 ]
	# other: layer, config, manifest, index, SBOM, empty config, artifact
	# manifest; mine: layer, config, manifest, index (version 1's config,
	# manifest and index reached by nothing: gone)
	[ "$(ls store/blobs/sha256 | wc -l)" -eq 11 ]
	# eight runs at once, each its own ref: every ref is there after
	for i in 1 2 3 4 5 6 7 8; do
		"$BBKIT" image -q --out store --ref "r$i" --version 1 linux/amd64="$a" &
	done
	wait
	[ "$(jq -r '.manifests | map(.annotations["org.opencontainers.image.ref.name"] // "-") | sort | join(" ")' store/index.json)" = "- mine other r1 r2 r3 r4 r5 r6 r7 r8" ]
}

@test "image: SIGTERM inside the directory swap leaves the old layout or the new one, never none" {
	cd "$BATS_TEST_TMPDIR"
	# a SIGTERM right after any rename of the layout directory
	cat >shim.c <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void hit(const char *a, const char *b)
{
	const char *t = getenv("SHIM_DIR"), *sig = getenv("SHIM_SIG");
	if (t && ((a && !strcmp(a, t)) || (b && !strcmp(b, t))))
		kill(getpid(), sig ? atoi(sig) : SIGTERM);
}
int rename(const char *a, const char *b)
{
	int (*real)(const char *, const char *) = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	int r = real(a, b);
	hit(a, b);
	return r;
}
int renameat2(int fa, const char *a, int fb, const char *b, unsigned fl)
{
	int (*real)(int, const char *, int, const char *, unsigned) =
		(int (*)(int, const char *, int, const char *, unsigned))dlsym(RTLD_NEXT, "renameat2");
	int r;
	if (getenv("SHIM_NOEXCHANGE")) { /* a file system without RENAME_EXCHANGE */
		errno = EINVAL;
		return -1;
	}
	r = real(fa, a, fb, b, fl);
	hit(a, b);
	return r;
}
C
	cc -shared -fPIC -o shim.so shim.c -ldl
	a=$(fake_rootfs a f:0755:bin/busybox:elf=62,2,1)
	"$BBKIT" image -q --out store --ref mine --version 1 linux/amd64="$a"
	run env SHIM_DIR=store LD_PRELOAD="$PWD/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
		"$BBKIT" image -q --out store --ref mine --version 2 linux/amd64="$a"
	[ "$status" -eq 143 ]
	run skopeo inspect --config oci:store:mine
	[ "$status" -eq 0 ]
	# the next run cleans up after the killed one
	"$BBKIT" image -q --out store --ref mine --version 3 linux/amd64="$a"
	[ "$(skopeo inspect --config oci:store:mine | jq -r '.config.Labels["org.opencontainers.image.version"]')" = 3 ]
	[ "$(ls -d store.* 2>/dev/null | wc -l)" -eq 0 ]
	# without RENAME_EXCHANGE: two renames, SIGTERM held between them
	run env SHIM_DIR=store SHIM_NOEXCHANGE=1 LD_PRELOAD="$PWD/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
		"$BBKIT" image -q --out store --ref mine --version 4 linux/amd64="$a"
	[ "$status" -eq 143 ]
	[ "$(skopeo inspect --config oci:store:mine | jq -r '.config.Labels["org.opencontainers.image.version"]')" = 4 ]
	# and SIGKILL, which nothing holds: the next run puts the old one back
	# (and keeps its ref)
	run env SHIM_DIR=store SHIM_NOEXCHANGE=1 SHIM_SIG=9 LD_PRELOAD="$PWD/shim.so" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
		"$BBKIT" image -q --out store --ref mine --version 5 linux/amd64="$a"
	[ "$status" -eq 137 ]
	[ ! -e store ]
	"$BBKIT" image -q --out store --ref other --version 1 linux/amd64="$a"
	[ "$(skopeo inspect --config oci:store:mine | jq -r '.config.Labels["org.opencontainers.image.version"]')" = 4 ]
	[ "$(ls -d store.* 2>/dev/null | wc -l)" -eq 0 ]
}
