#!/usr/bin/env bats
# make archive: one single-platform `docker save` archive per platform (what
# RouterOS, docker load and podman load take), read back with skopeo, podman
# and buildah; the router recipe of docs/images.md followed; the flash and download
# figures and their budgets. The smoke build dirs of image.bats and pack.bats
# serve: a relink and a UPX pack, no compile.
load helpers

SMOKE=tests/lists/smoke.list

setup_file() {
	O="$B/test-out/archive"
	rm -rf "$O"
	# docs/images.md's router recipe: one platform, packed
	make -C "$TOP" --no-print-directory QUIET=1 LIST="$SMOKE" PLATFORMS=linux/arm64 COMPRESS=upx-lzma \
		OUT="$O" archive >"$BATS_FILE_TMPDIR/make.log" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/rc"
	# and amd64, whose /bin/sh runs here
	make -C "$TOP" --no-print-directory QUIET=1 LIST="$SMOKE" PLATFORMS=linux/amd64 COMPRESS=upx-lzma \
		OUT="$O" archive >>"$BATS_FILE_TMPDIR/make.log" 2>&1
	echo $? >>"$BATS_FILE_TMPDIR/rc"
}

setup() {
	O="$B/test-out/archive"
	A="$O/smoke/linux-arm64/image.tar"
	[ "$(cat "$BATS_FILE_TMPDIR/rc" | tr '\n' ' ')" = "0 0 " ] || { tail -30 "$BATS_FILE_TMPDIR/make.log"; false; }
	st="$BATS_TEST_TMPDIR/storage" rr="$BATS_TEST_TMPDIR/run"
	P="podman --root $st --runroot $rr --storage-driver vfs --events-backend file --cgroup-manager cgroupfs"
	BA="buildah --storage-driver vfs --root $st --runroot $rr"
	# the revision label make puts in the config (this checkout's)
	REV=""
	if [ -e "$TOP/.git" ]; then REV=$(git -C "$TOP" rev-parse --short=12 HEAD); fi
}

@test "the recipe: make archive PLATFORMS=linux/arm64 COMPRESS=upx-lzma writes one file; skopeo reads arm64, RepoTags bbkit/smoke:V, the layer rootfs.tar, the layout's config" {
	run skopeo inspect "docker-archive:$A"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.Os + "/" + .Architecture' <<<"$output")" = linux/arm64 ]
	run tar -xOf "$A" manifest.json
	[ "$(jq -c '[length, .[0].RepoTags, (.[0].Layers | length)]' <<<"$output")" = "[1,[\"bbkit/smoke:$V\"],1]" ]
	layer=$(jq -r '.[0].Layers[0]' <<<"$output")
	cfg=$(jq -r '.[0].Config' <<<"$output")
	tar -xOf "$A" "$layer" | cmp - "$O/smoke/linux-arm64/rootfs.tar"
	# what ships in it is the packed busybox
	tar -xOf "$O/smoke/linux-arm64/rootfs.tar" bin/busybox | cmp - "$O/smoke/linux-arm64/busybox"
	# the config: the same document, byte for byte, as the OCI layout's
	"$BBKIT" image -q --out "$BATS_TEST_TMPDIR/layout" --ref smoke --version "$V" ${REV:+--revision $REV} \
		linux/arm64="$O/smoke/linux-arm64/rootfs.tar"
	skopeo inspect --raw --config --override-arch arm64 "oci:$BATS_TEST_TMPDIR/layout:smoke" >"$BATS_TEST_TMPDIR/cfg"
	tar -xOf "$A" "$cfg" | cmp - "$BATS_TEST_TMPDIR/cfg"
	[ "$(sha256sum <"$BATS_TEST_TMPDIR/cfg" | cut -d' ' -f1).json" = "$cfg" ]
	[ "$(jq -c '[.architecture, .config.Cmd]' "$BATS_TEST_TMPDIR/cfg")" = '["arm64",["/bin/sh"]]' ]
}

@test "podman load takes it (vfs, no daemon); another project's Dockerfile takes it as a stage (COPY --from)" {
	run $P load -i "$A"
	[ "$status" -eq 0 ]
	has_line "Loaded image: localhost/bbkit/smoke:$V"
	[ "$($P image inspect --format '{{.Os}}/{{.Architecture}}' "localhost/bbkit/smoke:$V")" = linux/arm64 ]
	# the recipe's Dockerfile: busybox and its links from the stage
	mkdir "$BATS_TEST_TMPDIR/ctx"
	sed -n '/^FROM bbkit/,/^```/p' "$TOP/docs/images.md" | sed '$d' >"$BATS_TEST_TMPDIR/ctx/Dockerfile"
	grep -q 'COPY --from=busybox' "$BATS_TEST_TMPDIR/ctx/Dockerfile"
	# (the recipe's profile is router; here the smoke build's)
	sed -i "s|^FROM bbkit/router:[0-9.]*|FROM localhost/bbkit/smoke:$V|" "$BATS_TEST_TMPDIR/ctx/Dockerfile"
	run $P build --isolation chroot --arch arm64 -t localhost/mine:1 "$BATS_TEST_TMPDIR/ctx"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output" | tail -5; false; }
	$P save --format docker-archive -o "$BATS_TEST_TMPDIR/mine.tar" localhost/mine:1
	l=$(tar -xOf "$BATS_TEST_TMPDIR/mine.tar" manifest.json | jq -r '.[0].Layers[-1]')
	tar -xOf "$BATS_TEST_TMPDIR/mine.tar" "$l" >"$BATS_TEST_TMPDIR/top.tar"
	tar -xOf "$BATS_TEST_TMPDIR/top.tar" bin/busybox | cmp - "$O/smoke/linux-arm64/busybox"
	[ "$(tar -tvf "$BATS_TEST_TMPDIR/top.tar" bin/sh | awk '{print $NF}')" = busybox ]
}

@test "buildah runs /bin/sh -c in the amd64 archive (chroot isolation)" {
	ctr=$($BA from "docker-archive:$O/smoke/linux-amd64/image.tar")
	run $BA run --isolation chroot "$ctr" /bin/sh -c 'echo ok; echo $PATH'
	$BA rm "$ctr" >/dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = ok ]
	[ "${lines[1]}" = /usr/sbin:/usr/bin:/sbin:/bin ]
}

@test "reproducible: bbkit image --archive gives the same bytes; make archive again changes nothing (mtimes too) and sums up flash and download" {
	t=$(stat -c %Y "$A")
	"$BBKIT" image -q --archive "$BATS_TEST_TMPDIR/again.tar" --ref smoke --version "$V" ${REV:+--revision $REV} \
		linux/arm64="$O/smoke/linux-arm64/rootfs.tar"
	cmp "$A" "$BATS_TEST_TMPDIR/again.tar"
	run make -C "$TOP" --no-print-directory LIST="$SMOKE" PLATFORMS=linux/arm64 COMPRESS=upx-lzma OUT="$O" archive
	[ "$status" -eq 0 ]
	[ "$(stat -c %Y "$A")" = "$t" ]
	f=$(jq .flash_bytes "$O/smoke/linux-arm64/size.json")
	d=$(jq .download_bytes "$O/smoke/linux-arm64/size.json")
	l=$(jq .loadable_bytes "$O/smoke/linux-arm64/size.json")
	is_line "bbkit: linux/arm64: flash $f bytes (rootfs extracted, 4096-byte blocks), download $d bytes (gzip'd layer), busybox $l loadable bytes (packed: see above)"
}

@test "size: flash is the rootfs extracted in 4096-byte blocks (files rounded up, directories one block, short symlinks none); download the layout's layer" {
	s="$O/smoke/linux-arm64/size.json"
	want=$(python3 - "$O/smoke/linux-arm64/rootfs.tar" <<'EOF'
import sys, tarfile
b, n = 4096, 4096  # the root
for m in tarfile.open(sys.argv[1]):
    if m.name in ('.', './'):
        continue
    if m.isfile():
        n += -(-m.size // b) * b
    elif m.isdir():
        n += b
    elif m.issym() and len(m.linkname) >= 60:
        n += b
print(n)
EOF
)
	[ "$(jq .flash_bytes "$s")" = "$want" ]
	[ "$(jq .flash_block_size "$s")" = 4096 ]
	"$BBKIT" image -q --out "$BATS_TEST_TMPDIR/layout" --ref smoke --version "$V" linux/arm64="$O/smoke/linux-arm64/rootfs.tar"
	run skopeo inspect --raw --override-arch arm64 "oci:$BATS_TEST_TMPDIR/layout:smoke"
	m=$(jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest' <<<"$output")
	[ "$(jq .download_bytes "$s")" = "$(jq '.layers[0].size' "$BATS_TEST_TMPDIR/layout/blobs/sha256/${m#sha256:}")" ]
	# another block size, for another filesystem
	run "$BBKIT" size --builddir "$B/bb/$V/smoke/linux-arm64" --rootfs "$O/smoke/linux-arm64/rootfs.tar" --block-size 1024
	[ "$status" -eq 0 ]
	has_line "in 1024-byte blocks"
	run "$BBKIT" size --builddir "$B/bb/$V/smoke/linux-arm64" --rootfs "$O/smoke/linux-arm64/rootfs.tar" --block-size 1000
	[ "$status" -eq 2 ]
}

@test "budget flash / budget download: over it fails naming the list's line, and a failed budget publishes nothing" {
	state() { (cd "$O/smoke/linux-arm64" || exit 1; sha256sum -- *; stat -c '%n %Y' -- *); }
	before=$(state)
	f="$BATS_TEST_TMPDIR/flash.list"
	printf '# a router with little flash\nbudget flash 8k\n' >"$f"
	run make -C "$TOP" --no-print-directory QUIET=1 LIST="$SMOKE" PLATFORMS=linux/arm64 COMPRESS=upx-lzma OUT="$O" \
		FRAGMENTS="$f" archive
	[ "$status" -ne 0 ]
	has_line "bbkit: size: $f:2: the rootfs extracted (flash) is $(jq .flash_bytes "$O/smoke/linux-arm64/size.json") bytes, over the budget of 8192 (budget flash); drop applets or features, or raise it"
	[ "$(state)" = "$before" ]
	printf 'budget download 1k\nbudget 10m\n' >"$f"
	run "$BBKIT" size --builddir "$B/bb/$V/smoke/linux-arm64" --rootfs "$O/smoke/linux-arm64/rootfs.tar" --list "$f"
	[ "$status" -eq 1 ]
	has_line "bbkit: size: $f:1: the download (gzip'd layer) is $(jq .download_bytes "$O/smoke/linux-arm64/size.json") bytes, over the budget of 1024 (budget download); drop applets or features, or raise it"
	# without a rootfs there is nothing to measure
	run "$BBKIT" size --builddir "$B/bb/$V/smoke/linux-arm64" --list "$f"
	[ "$status" -eq 1 ]
	has_line "bbkit: size: $f:1: a flash or download budget, and no rootfs to measure: give --rootfs ROOTFS.tar (make does)"
	# and the binary's own budget is what it was
	printf 'budget flash 10m\nbudget download 10m\nbudget 1k\n' >"$f"
	run "$BBKIT" size --builddir "$B/bb/$V/smoke/linux-arm64" --rootfs "$O/smoke/linux-arm64/rootfs.tar" --list "$f"
	[ "$status" -eq 1 ]
	has_line "loadable bytes, over the budget of 1024"
}

@test "a rootfs without /bin/sh: the archive's config has no Cmd, and bbkit image says so" {
	r="$BATS_TEST_TMPDIR/r"
	mkdir -p "$r/bin"
	tar -xf "$O/smoke/linux-amd64/rootfs.tar" -C "$r" bin/busybox
	tar -cf "$BATS_TEST_TMPDIR/nosh.tar" -C "$r" .
	run "$BBKIT" image --archive "$BATS_TEST_TMPDIR/nosh-image.tar" --ref nosh --version "$V" linux/amd64="$BATS_TEST_TMPDIR/nosh.tar"
	[ "$status" -eq 0 ]
	is_line "bbkit: image: note: $BATS_TEST_TMPDIR/nosh-image.tar: no bin/sh in $BATS_TEST_TMPDIR/nosh.tar, so the image config has no Cmd: give the command to run (docker run IMAGE CMD, podman run, RouterOS /container add cmd=...)"
	run skopeo inspect --config "docker-archive:$BATS_TEST_TMPDIR/nosh-image.tar"
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.config.Cmd, .config.Env]' <<<"$output")" = '[null,["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]]' ]
	run tar -xOf "$BATS_TEST_TMPDIR/nosh-image.tar" manifest.json
	[ "$(jq -c '.[0].RepoTags' <<<"$output")" = "[\"bbkit/nosh:$V\"]" ]
}

@test "a symlink at the archive's path is replaced, never followed; a tag without :TAG is :latest" {
	echo precious >"$BATS_TEST_TMPDIR/precious"
	ln -s "$BATS_TEST_TMPDIR/precious" "$BATS_TEST_TMPDIR/link.tar"
	run "$BBKIT" image -q --archive "$BATS_TEST_TMPDIR/link.tar" --tag registry.example:5000/me/bb --ref smoke --version "$V" \
		linux/amd64="$O/smoke/linux-amd64/rootfs.tar"
	[ "$status" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/precious")" = precious ]
	[ ! -L "$BATS_TEST_TMPDIR/link.tar" ]
	[ "$(tar -xOf "$BATS_TEST_TMPDIR/link.tar" manifest.json | jq -c '.[0].RepoTags')" = '["registry.example:5000/me/bb:latest"]' ]
}

@test "two make archive runs at once: one after the other under the profile's lock; image.tar whole, of one of them; nothing half-written" {
	for t in one/x:1 two/x:2; do
		make -C "$TOP" --no-print-directory QUIET=1 LIST="$SMOKE" PLATFORMS=linux/arm64 COMPRESS=upx-lzma OUT="$O" \
			TAG="$t" archive >"$BATS_TEST_TMPDIR/${t%%/*}.log" 2>&1 &
	done
	rc=0
	wait %1 || rc=1
	wait %2 || rc=1
	cat "$BATS_TEST_TMPDIR"/*.log
	[ "$rc" = 0 ]
	run skopeo inspect "docker-archive:$A"
	[ "$status" -eq 0 ]
	tag=$(tar -xOf "$A" manifest.json | jq -r '.[0].RepoTags[0]')
	[[ "$tag" = one/x:1 || "$tag" = two/x:2 ]]
	[ -z "$(find "$O" "$B/bb/$V/smoke/linux-arm64/stage" -name '*.tmp*')" ]
	# the default tag again for whoever runs after
	make -C "$TOP" --no-print-directory QUIET=1 LIST="$SMOKE" PLATFORMS=linux/arm64 COMPRESS=upx-lzma OUT="$O" archive
	[ "$(tar -xOf "$A" manifest.json | jq -r '.[0].RepoTags[0]')" = "bbkit/smoke:$V" ]
}

@test "make archive image publishes once, with image.tar; a plain make afterwards publishes the directory without it" {
	run make -C "$TOP" --no-print-directory QUIET=1 LIST="$SMOKE" PLATFORMS=linux/arm64 COMPRESS=upx-lzma OUT="$O" archive image
	[ "$status" -eq 0 ]
	[ -f "$A" ]
	[ -f "$O/smoke/image/oci-layout" ]
	# (the outputs of one run: an archive left from an earlier one would not be)
	run make -C "$TOP" --no-print-directory QUIET=1 LIST="$SMOKE" PLATFORMS=linux/arm64 COMPRESS=upx-lzma OUT="$O"
	[ "$status" -eq 0 ]
	[ ! -e "$A" ]
	[ -f "$O/smoke/linux-arm64/rootfs.tar" ]
}
