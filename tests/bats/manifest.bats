#!/usr/bin/env bats
# Static manifest and rootfs: equal to busybox's own busybox.links and to
# what the built binary reports; reproducible tarball; chroot works.
load helpers

@test "manifest equals busybox's own busybox.links for the debug-shell list" {
	resolve "$TOP/applet-lists/toolchain/musl.list" "$TOP/applet-lists/debug-shell.list"
	[ "$status" -eq 0 ]
	run "$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config"
	[ "$status" -eq 0 ]
	# the profile's 106 links (README), all of them busybox's own
	[ "${#lines[@]}" -eq 106 ]
	[ "$output" = "$(upstream_links "$BATS_TEST_TMPDIR/out.config")" ]
}

@test "flat layout puts every link in /bin; json and sh forms agree with links" {
	l=$(printf '[\nenv\nrun-parts\nmkfs.ext2\n' | list)
	resolve "$l"
	run "$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config" --layout flat
	[ "$(printf '%s\n' "$output" | sort | tr '\n' ' ')" = "/bin/[ /bin/env /bin/mkfs.ext2 /bin/run-parts " ]
	run "$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config" --format json --platform linux/arm64
	[ "$status" -eq 0 ]
	has_line '"busybox_version": "'"$V"'"'
	has_line '"platform": "linux/arm64"'
	has_line '{"name": "[", "path": "/usr/bin/[", "target": "../../bin/busybox", "suid": "none", "symbol": "TEST1"}'
	has_line '{"name": "mkfs.ext2", "path": "/sbin/mkfs.ext2", "target": "../bin/busybox", "suid": "none", "symbol": "MKFS_EXT2"}'
	run "$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config" --format sh --out "$BATS_TEST_TMPDIR/links.sh"
	[ "$status" -eq 0 ]
	mkdir -p "$BATS_TEST_TMPDIR/root/bin"
	sh "$BATS_TEST_TMPDIR/links.sh" "$BATS_TEST_TMPDIR/root"
	[ "$(readlink "$BATS_TEST_TMPDIR/root/usr/bin/[")" = "../../bin/busybox" ]
	[ "$(readlink "$BATS_TEST_TMPDIR/root/sbin/mkfs.ext2")" = "../bin/busybox" ]
}

@test "busybox.links never lists /bin/busybox itself; /bin/sh is there with the shell" {
	l=$(printf 'busybox\nash\n' | list)
	resolve "$l"
	run "$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config"
	[ "$output" = "/bin/ash
/bin/sh" ] || [ "$output" = "/bin/sh
/bin/ash" ]
}

@test "manifest of the 400-applet allyesconfig equals busybox.links" {
	# every applet in the table, from busybox's own allyesconfig
	d="$BATS_TEST_TMPDIR/allyes"
	cp -a "$TEST_BD" "$d"
	make -s -C "$BBKIT_SRC" O="$d" ARCH=x86_64 HOSTCC=gcc allyesconfig >/dev/null 2>&1
	run "$BBKIT" manifest --builddir "$d"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 436 ]
	[ "$output" = "$(upstream_links "$d/.config")" ]
}

rootfs_of() { # OUTDIR UMASK TZ -> rootfs.tar of the smoke list, linux/amd64
	(umask "$2" && TZ="$3" make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list \
		PLATFORMS=linux/amd64 OUT="$1")
}

@test "two clean rootfs builds (other OUT, umask 022 vs 077, other TZ) are byte-identical" {
	rootfs_of "$BATS_TEST_TMPDIR/o1" 022 UTC
	rootfs_of "$BATS_TEST_TMPDIR/o2" 077 Asia/Tokyo
	a=$(sha256sum <"$BATS_TEST_TMPDIR/o1/smoke/linux-amd64/rootfs.tar")
	b=$(sha256sum <"$BATS_TEST_TMPDIR/o2/smoke/linux-amd64/rootfs.tar")
	[ "$a" = "$b" ]
	run tar tvf "$BATS_TEST_TMPDIR/o1/smoke/linux-amd64/rootfs.tar"
	has_line "-rwxr-xr-x root/root"
	has_line "bin/busybox"
	has_line "usr/bin/env -> ../../bin/busybox"
	has_line "2000-01-01 00:00"
	! printf '%s\n' "$output" | grep -v ' root/root ' | grep -q .
}

@test "the amd64 rootfs.tar runs env, [ and run-parts in a chroot" {
	[ "$(id -u)" = 0 ] || skip "chroot needs root"
	rootfs_of "$BATS_TEST_TMPDIR/o" 022 UTC
	r="$BATS_TEST_TMPDIR/chroot"
	mkdir -p "$r"
	tar xf "$BATS_TEST_TMPDIR/o/smoke/linux-amd64/rootfs.tar" -C "$r"
	mkdir -p "$r/dev"
	mknod "$r/dev/null" c 1 3
	run env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$r" sh -c 'env true && [ 1 = 1 ] && run-parts --help >/dev/null'
	[ "$status" -eq 0 ]
}

@test "--dir lays out the same tree as the tarball" {
	rootfs_of "$BATS_TEST_TMPDIR/o" 022 UTC
	bd="$B/bb/$V/smoke/linux-amd64"
	run "$BBKIT" rootfs --builddir "$bd" --binary "$BATS_TEST_TMPDIR/o/smoke/linux-amd64/busybox" --dir "$BATS_TEST_TMPDIR/tree"
	[ "$status" -eq 0 ]
	find "$BATS_TEST_TMPDIR/tree" -mindepth 1 -printf '%P\n' | sort >"$BATS_TEST_TMPDIR/a"
	tar tf "$BATS_TEST_TMPDIR/o/smoke/linux-amd64/rootfs.tar" | sed 's,/$,,' | sort >"$BATS_TEST_TMPDIR/b"
	diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

# a rootfs of the test build dir's config for LIST, the links' file read back
paths_rootfs() { # NAME ROOTFS-OPTION...
	local n=$1
	shift
	"$BBKIT" rootfs -q --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config" \
		--binary "$BATS_TEST_TMPDIR/busybox" --out "$BATS_TEST_TMPDIR/$n.tar" "$@" &&
		tar -xOf "$BATS_TEST_TMPDIR/$n.tar" etc/busybox-paths.d/busybox >"$BATS_TEST_TMPDIR/$n.paths"
}

@test "rootfs carries /etc/busybox-paths.d/busybox: busybox.links exactly, LAYOUT=flat too, SUID only the mode; bbkit image takes it" {
	l=$(printf 'env\n[\nmkfs.ext2\nash\nping\nFEATURE_SUID\n' | list)
	resolve "$l"
	[ "$status" -eq 0 ]
	# a bare amd64 ELF header as the binary: rootfs copies it, image checks it
	python3 "$TOP/tests/mkrootfs.py" "$BATS_TEST_TMPDIR/elf.tar" f:0755:busybox:elf=62,2,1
	tar -xf "$BATS_TEST_TMPDIR/elf.tar" -C "$BATS_TEST_TMPDIR" busybox
	paths_rootfs canon
	"$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config" --out "$BATS_TEST_TMPDIR/canon.links"
	cmp "$BATS_TEST_TMPDIR/canon.paths" "$BATS_TEST_TMPDIR/canon.links"
	"$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config" --format json --out "$BATS_TEST_TMPDIR/m.json"
	[ "$(jq -r '.applets[].path' "$BATS_TEST_TMPDIR/m.json")" = "$(cat "$BATS_TEST_TMPDIR/canon.paths")" ]
	grep -qx /usr/bin/env "$BATS_TEST_TMPDIR/canon.paths"
	run grep -c /bin/busybox "$BATS_TEST_TMPDIR/canon.paths"
	[ "$output" = 0 ]
	# a file like the others: root's, 0644, the epoch's time
	run tar -tvf "$BATS_TEST_TMPDIR/canon.tar"
	[ "$status" -eq 0 ]
	is_line "drwxr-xr-x root/root         0 2000-01-01 00:00 etc/"
	is_line "drwxr-xr-x root/root         0 2000-01-01 00:00 etc/busybox-paths.d/"
	is_line "-rw-r--r-- root/root        $(wc -c <"$BATS_TEST_TMPDIR/canon.links") 2000-01-01 00:00 etc/busybox-paths.d/busybox"
	# flat: the same applets, all in /bin, as busybox.links says
	paths_rootfs flat --layout flat
	"$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config" --layout flat --out "$BATS_TEST_TMPDIR/flat.links"
	cmp "$BATS_TEST_TMPDIR/flat.paths" "$BATS_TEST_TMPDIR/flat.links"
	grep -qx /bin/env "$BATS_TEST_TMPDIR/flat.paths"
	# --suid: the binary 4755, the list unchanged
	paths_rootfs suid --suid
	cmp "$BATS_TEST_TMPDIR/suid.paths" "$BATS_TEST_TMPDIR/canon.links"
	[ "$(tar -tvf "$BATS_TEST_TMPDIR/suid.tar" bin/busybox | cut -c1-10)" = -rwsr-xr-x ]
	# --dir writes it too
	"$BBKIT" rootfs -q --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config" \
		--binary "$BATS_TEST_TMPDIR/busybox" --dir "$BATS_TEST_TMPDIR/tree"
	cmp "$BATS_TEST_TMPDIR/tree/etc/busybox-paths.d/busybox" "$BATS_TEST_TMPDIR/canon.links"
	# bbkit image takes the rootfs with it, the file in the layer as written
	run "$BBKIT" image -q --out "$BATS_TEST_TMPDIR/img" --ref paths --version "$V" linux/amd64="$BATS_TEST_TMPDIR/canon.tar"
	[ "$status" -eq 0 ]
	m=$(jq -r '.manifests[0].digest' "$BATS_TEST_TMPDIR/img/index.json" | cut -d: -f2)
	m=$(jq -r '.manifests[0].digest' "$BATS_TEST_TMPDIR/img/blobs/sha256/$m" | cut -d: -f2)
	layer=$(jq -r '.layers[0].digest' "$BATS_TEST_TMPDIR/img/blobs/sha256/$m" | cut -d: -f2)
	gzip -dc "$BATS_TEST_TMPDIR/img/blobs/sha256/$layer" | tar -xOf - etc/busybox-paths.d/busybox | cmp - "$BATS_TEST_TMPDIR/canon.links"
}

@test "size report: applet totals plus shared equal the loadable bytes; --diff; budget" {
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/arm64 OUT="$B/test-out"
	D="$B/test-out/smoke/linux-arm64"
	# loadable bytes measured independently: sum of PT_LOAD MemSiz
	load=0
	for m in $(llvm-readelf -l "$D/busybox" | awk '$1 == "LOAD" { print $6 }'); do load=$((load + m)); done
	[ "$load" -gt 100000 ]
	sum=$(grep -o '"bytes": [0-9]*' "$D/size.json" | awk '{ s += $2 } END { print s }')
	[ "$sum" = "$load" ]
	grep -q "\"loadable_bytes\": $load" "$D/size.json"
	grep -q "^ *$load 100.0%  total loadable bytes$" "$D/size.txt"
	# the last line: the summary make prints per platform (flash, download, the binary)
	tail -1 "$D/size.txt" | grep -q "^flash [0-9]* bytes (rootfs extracted, 4096-byte blocks), download [0-9]* bytes (gzip'd layer), busybox $load loadable bytes$"
	grep -q ' sed$' "$D/size.txt"
	grep -q ' test (test \[ \[\[)$' "$D/size.txt" || grep -q ' test (\[ \[\[)$' "$D/size.txt"
	run "$BBKIT" size --diff "$D/size.json" "$D/size.json"
	[ "$status" -eq 0 ]
	has_line "+0  total loadable bytes"
	# a budget below the size fails, naming the biggest applets
	printf 'budget 10k\ninclude %s\n' "$TOP/tests/lists/smoke.list" >"$BATS_TEST_TMPDIR/b.list"
	run "$BBKIT" size -q --builddir "$B/bb/$V/smoke/linux-arm64" --list "$BATS_TEST_TMPDIR/b.list"
	[ "$status" -eq 1 ]
	has_line "$BATS_TEST_TMPDIR/b.list:1: busybox is $load loadable bytes, over the budget of 10240; the biggest applets: "
}
