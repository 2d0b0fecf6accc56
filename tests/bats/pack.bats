#!/usr/bin/env bats
# COMPRESS=upx|upx-lzma: UPX built from its pinned source, busybox packed
# and tested (upx -t), busybox.unpacked beside it; the packed binary checked
# the ways UPX-packed binaries have failed before (NOFORK applets, re-exec
# through /proc/self/exe, user namespaces and chroot), on amd64 and under
# qemu on arm64; platforms UPX cannot pack refused before anything is built.
load helpers

UPX() { "$CACHE/tools/upx-4.2.4/upx" "$@"; }

setup_file() {
	O="$B/test-out/pack"
	for c in none upx-lzma; do
		make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/packed.list \
			PLATFORMS="linux/amd64 linux/arm64" OUT="$O/$c" COMPRESS=$c >"$BATS_FILE_TMPDIR/make-$c.log" 2>&1
		echo $? >"$BATS_FILE_TMPDIR/rc-$c"
	done
}

setup() {
	O="$B/test-out/pack"
	for c in none upx-lzma; do
		[ "$(cat "$BATS_FILE_TMPDIR/rc-$c")" = 0 ] || { tail -30 "$BATS_FILE_TMPDIR/make-$c.log"; false; }
	done
}

@test "COMPRESS=upx-lzma: busybox is packed and passes upx -t; busybox.unpacked is make's binary; size.json adds the packed bytes" {
	for s in linux-amd64 linux-arm64; do
		d="$O/upx-lzma/packed/$s"
		cmp "$d/busybox.unpacked" "$O/none/packed/$s/busybox"
		cmp "$d/manifest.json" "$O/none/packed/$s/manifest.json"
		[ ! -e "$O/none/packed/$s/busybox.unpacked" ]
		run UPX -t "$d/busybox"
		[ "$status" -eq 0 ]
		p=$(stat -c %s "$d/busybox")
		u=$(stat -c %s "$d/busybox.unpacked")
		# the issue's goal for upx-lzma: at most 0.60 of the unpacked bytes
		[ $((p * 100)) -le $((u * 60)) ]
		[ "$(jq .packed_bytes "$d/size.json")" = "$p" ]
		[ "$(jq .loadable_bytes "$d/size.json")" = "$(jq .loadable_bytes "$O/none/packed/$s/size.json")" ]
		# what ships in rootfs.tar is the packed one
		tar -xOf "$d/rootfs.tar" bin/busybox | cmp - "$d/busybox"
		# the SBOM names both: the packed one by its hash, the unpacked by a property
		[ "$(jq -r '.metadata.component | .hashes[0].content + " " + (.properties[] | select(.name == "bbkit:unpacked:sha256") | .value)' "$d/sbom.cdx.json")" = \
			"$(sha256sum <"$d/busybox" | cut -d' ' -f1) $(sha256sum <"$d/busybox.unpacked" | cut -d' ' -f1)" ]
	done
}

@test "packed, busybox still passes its own testsuite like unpacked, on amd64 and on arm64 under qemu" {
	for p in linux/amd64 linux/arm64; do
		s=$("$BBKIT" platforms --field slug "$p")
		for c in none upx-lzma; do
			run "$BBKIT" verify -q --builddir "$B/bb/$V/packed/$s" --platform "$p" --src "$BBKIT_SRC" \
				--binary "$O/$c/packed/$s/busybox" --baseline "$TOP/tests/upstream/baseline-$V.txt" \
				--applet sed --applet echo --applet printf --applet cat --applet expr
			[ "$status" -eq 0 ]
			printf '%s\n' "${lines[@]}" | grep "^$p: " | sed 's/ in [0-9.]*s$//' >"$BATS_TEST_TMPDIR/$c"
		done
		cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/upx-lzma"
		[ "$(cat "$BATS_TEST_TMPDIR/none")" = "$p: 120 passed, 7 failed (7 known, in the baseline), 12 skipped; 5 applets" ]
	done
}

@test "packed: NOFORK/NOEXEC applets through command, pipelines, command substitution, applets without PATH" {
	b="$O/upx-lzma/packed/linux-amd64/busybox"
	qa="qemu-aarch64-static $O/upx-lzma/packed/linux-arm64/busybox"
	for bin in "$b" "$qa"; do
		run env -i $bin sh -c 'ls -d /; command printf "%s\n" pf; command echo cmd; command true;
			x=$(command printf sub); echo "[$x]"; echo a | cat | sed s/a/b/; if test 1 -eq 1; then echo t; fi'
		[ "$status" -eq 0 ]
		[ "$output" = "/
pf
cmd
[sub]
b
t" ]
	done
}

# extract OUT/rootfs.tar to ROOT, and again to ROOT.unpacked with OUT's
# busybox.unpacked as its busybox: the reference applets_agree compares with
unpack_roots() { # OUT ROOT
	mkdir "$2" "$2.unpacked"
	tar -xpf "$1/rootfs.tar" -C "$2"
	tar -xpf "$1/rootfs.tar" -C "$2.unpacked"
	cp "$1/busybox.unpacked" "$2.unpacked/bin/busybox"
}

@test "packed: every link runs as its applet; under unshare -r + chroot; re-exec through /proc/self/exe works as unpacked" {
	r="$BATS_TEST_TMPDIR/root"
	d="$O/upx-lzma/packed/linux-amd64"
	[ "$(wc -l <"$d/busybox.links")" -gt 12 ]
	# each link, packed, exits and prints as the unpacked binary does (no
	# signal: a segfault or SIGILL is not 'the applet runs')
	unpack_roots "$d" "$r"
	applets_agree "$d/busybox.links" "$r" "$r.unpacked"
	# arm64 under qemu too, each by its link name
	unpack_roots "$O/upx-lzma/packed/linux-arm64" "$BATS_TEST_TMPDIR/root64"
	applets_agree "$O/upx-lzma/packed/linux-arm64/busybox.links" "$BATS_TEST_TMPDIR/root64" \
		"$BATS_TEST_TMPDIR/root64.unpacked" qemu-aarch64-static
	# how containers run it: a user namespace and a chroot (upx/upx#721)
	run unshare -r chroot "$r" /bin/sh -c 'echo a | cat; command printf "%s\n" ok'
	[ "$status" -eq 0 ]
	[ "$output" = "a
ok" ]
	# FEATURE_SH_STANDALONE: with no PATH ash runs ls by re-executing
	# /proc/self/exe, the packed file (upx/upx#249): as the unpacked does
	mkdir "$r/proc"
	run unshare -r -p -f --mount-proc="$r/proc" chroot "$r" /bin/sh -c 'PATH=; ls -d /; echo a | cat'
	[ "$status" -eq 0 ]
	[ "$output" = "/
a" ]
	# without /proc neither finds it: busybox's own CONFIG_BUSYBOX_EXEC_PATH
	rmdir "$r/proc"
	# (a forked command execs it; a lone last one runs in place)
	run -127 unshare -r chroot "$r" /bin/sh -c 'PATH=; ls -d /; echo a | cat'
	has_line "/bin/sh: line 0: ls: not found"
	cp "$O/upx-lzma/packed/linux-amd64/busybox.unpacked" "$r/bin/busybox"
	run -127 unshare -r chroot "$r" /bin/sh -c 'PATH=; ls -d /; echo a | cat'
	has_line "/bin/sh: line 0: ls: not found"
}

@test "packing is reproducible, NRV and LZMA: twice from one binary, the same bytes" {
	u="$O/upx-lzma/packed/linux-arm64/busybox.unpacked"
	for m in upx upx-lzma; do
		"$BBKIT" pack -q linux/arm64 --method $m --in "$u" --out "$BATS_TEST_TMPDIR/a-$m"
		"$BBKIT" pack -q linux/arm64 --method $m --in "$u" --out "$BATS_TEST_TMPDIR/b-$m"
		cmp "$BATS_TEST_TMPDIR/a-$m" "$BATS_TEST_TMPDIR/b-$m"
	done
	cmp "$BATS_TEST_TMPDIR/a-upx-lzma" "$O/upx-lzma/packed/linux-arm64/busybox"
	run cmp -s "$BATS_TEST_TMPDIR/a-upx" "$BATS_TEST_TMPDIR/a-upx-lzma"
	[ "$status" -eq 1 ]
}

@test "pack refuses a wrong input as the request's error, naming it: packed already, unstripped; the output stays" {
	d="$O/upx-lzma/packed/linux-amd64"
	echo previous >"$BATS_TEST_TMPDIR/out"
	run "$BBKIT" pack -q linux/amd64 --method upx --in "$d/busybox" --out "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 1 ]
	is_line "bbkit: pack: $d/busybox: already packed with UPX; pack the unpacked binary (make keeps it as busybox.unpacked beside busybox)"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = previous ]
	# the build dir's busybox_unstripped: not what pack takes
	run "$BBKIT" pack -q linux/amd64 --method upx --in "$B/bb/$V/packed/linux-amd64/busybox_unstripped" \
		--out "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 1 ]
	is_line "bbkit: pack: --in $B/bb/$V/packed/linux-amd64/busybox_unstripped: has a symbol table: not stripped; pack takes the stripped static busybox built for linux/amd64"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = previous ]
	[ -z "$(find "$BATS_TEST_TMPDIR" -name 'out.tmp*')" ]
}

@test "COMPRESS=upx refuses platforms UPX cannot pack before building anything, naming them and those it packs" {
	o="$BATS_TEST_TMPDIR/o"
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list \
		PLATFORMS="linux/amd64 linux/s390x linux/riscv64" OUT="$o" COMPRESS=upx
	[ "$status" -ne 0 ]
	has_line "bbkit: pack: COMPRESS=upx: UPX 4.2.4 cannot pack linux/s390x, linux/riscv64 (UnknownExecutableFormatException); it packs linux/amd64, linux/386, linux/arm64, linux/arm/v7, linux/arm/v6, linux/arm/v5, linux/ppc64le, linux/mipsle, linux/mips"
	[ ! -e "$o" ]
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o" COMPRESS=gzip
	[ "$status" -ne 0 ]
	has_line "COMPRESS=gzip: use none, upx or upx-lzma"
	run "$BBKIT" platforms --field upx linux/mips64le
	[ "$output" = no ]
}

@test "every platform UPX packs: packed, the smoke busybox runs every link, a script and its testsuite's echo and sed" {
	plats=""
	for p in $("$BBKIT" platforms --names); do
		if [ "$("$BBKIT" platforms --field upx "$p")" = yes ]; then plats="$plats $p"; fi
	done
	[ "$(echo $plats | wc -w)" -eq 9 ]
	o="$B/test-out/pack-smoke"
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS="$plats" OUT="$o" COMPRESS=upx-lzma
	# the reference: amd64's unpacked binary
	run "$BBKIT" verify -q --builddir "$B/bb/$V/smoke/linux-amd64" --platform linux/amd64 --src "$BBKIT_SRC" \
		--binary "$o/smoke/linux-amd64/busybox.unpacked" --baseline "$TOP/tests/upstream/baseline-$V.txt" \
		--applet echo --applet sed
	[ "$status" -eq 0 ]
	ref=$(printf '%s\n' "${lines[@]}" | grep "^linux/amd64: " | sed -e "s|^linux/amd64: ||" -e 's/ in [0-9.]*s$//')
	[ -n "$ref" ]
	for p in $plats; do
		s=$("$BBKIT" platforms --field slug "$p")
		d="$o/smoke/$s"
		q=""
		if [ "$("$BBKIT" platforms --field native "$p")" = no ]; then q=$("$BBKIT" platforms --field qemu "$p"); fi
		run UPX -t "$d/busybox"
		[ "$status" -eq 0 ]
		r="$BATS_TEST_TMPDIR/$s"
		unpack_roots "$d" "$r"
		applets_agree "$d/busybox.links" "$r" "$r.unpacked" $q || { echo "$p: packed and unpacked disagree"; false; }
		run $q "$d/busybox" sh -c 'x=$(echo a | sed s/a/b/); if [ "$x" = b ]; then echo ok; fi; expr 2 + 3; true'
		[ "$output" = "ok
5" ] || { echo "$p: $output"; false; }
		run "$BBKIT" verify -q --builddir "$B/bb/$V/smoke/$s" --platform "$p" --src "$BBKIT_SRC" \
			--binary "$d/busybox" --baseline "$TOP/tests/upstream/baseline-$V.txt" --applet echo --applet sed
		[ "$status" -eq 0 ] || { printf '%s\n' "${lines[@]}" | tail -5; false; }
		c=$(printf '%s\n' "${lines[@]}" | grep "^$p: " | sed -e "s|^$p: ||" -e 's/ in [0-9.]*s$//')
		# the same counts on every platform, packed, as amd64 unpacked
		[ "$c" = "$ref" ] || { echo "$p: $c, not $ref"; false; }
	done
}
