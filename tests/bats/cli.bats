#!/usr/bin/env bats
# Every command has --help with exit codes; usage errors exit 2.
load helpers

@test "bbkit --help lists the commands and exit codes" {
	run "$BBKIT" --help
	[ "$status" -eq 0 ]
	for c in fetch platforms sysroot prepare resolve build manifest rootfs size verify vex sbom pack image; do
		has_line "  $c "
	done
	has_line "Exit codes: 0 ok, 1 request could not be honoured, 2 usage,"
}

@test "every command has --help naming its exit codes" {
	for c in fetch platforms sysroot prepare build manifest rootfs size verify vex sbom pack image; do
		run "$BBKIT" $c --help
		[ "$status" -eq 0 ]
		has_line "usage: bbkit $c"
		has_line "3 environment or system problem"
	done
	run "$BBKIT" resolve --src "$BBKIT_SRC" --help
	[ "$status" -eq 0 ]
	has_line "usage: bbkit resolve"
}

# --help's option rows that print a name and no text (a long name's text is
# on the next line, at the text column)
bare_rows() { awk '/^Options:/ { on = 1; next } on && row && !/^                        [^ (]/ { print row } { row = "" } on && /^  -/ && length($0) <= 24 { row = $0 }'; }

@test "--help's options come from the option rows: each has its text; each option of the synopsis is listed" {
	cmds=$("$BBKIT" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
	[ -n "$cmds" ]
	for c in $cmds; do
		if [ "$c" = resolve ]; then run "$BBKIT" resolve --src "$BBKIT_SRC" --help; else run "$BBKIT" "$c" --help; fi
		[ "$status" -eq 0 ] || { echo "$c --help: $status"; return 1; }
		has_line "Options:" || { echo "$c: no Options section"; return 1; }
		bare=$(printf '%s\n' "$output" | bare_rows)
		[ -z "$bare" ] || { echo "$c: rows without help: $bare"; return 1; }
		wide=$(printf '%s\n' "$output" | sed -n '/^Options:/,$p' | awk 'length($0) > 79')
		[ -z "$wide" ] || { echo "$c: rows over 79 columns: $wide"; return 1; }
		# the synopsis (up to the first blank line) names only listed options
		for o in $(printf '%s\n' "$output" | awk '/^$/ { exit } { print }' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
			printf '%s\n' "$output" | grep -qE -- "^  (-[a-z], )?$o( |$)" || { echo "$c: $o not in Options"; return 1; }
		done
	done
	# the table's rules are shown as the parser applies them
	run "$BBKIT" rootfs --help
	has_line "(required unless --dir; not with --dir)"
}

@test "declared values: int ranges and one-of lists are refused by the table with one message" {
	run "$BBKIT" verify --builddir x --platform y --jobs 0
	[ "$status" -eq 2 ]
	is_line "bbkit: verify: --jobs 0: want a number from 1 to 256; see 'bbkit verify --help'"
	run "$BBKIT" verify --builddir x --platform y --timeout 07
	[ "$status" -eq 2 ]
	is_line "bbkit: verify: --timeout 07: want a number from 1 to 86400; see 'bbkit verify --help'"
	run "$BBKIT" manifest --builddir x --format xml
	[ "$status" -eq 2 ]
	is_line "bbkit: manifest: --format xml: use links, json or sh; see 'bbkit manifest --help'"
	run "$BBKIT" platforms --names --field qemu linux/arm64
	[ "$status" -eq 2 ]
	is_line "bbkit: platforms: --names and --field cannot go together: choose one; see 'bbkit platforms --help'"
}

@test "declared pairs: 'only with' and overlapping exclusive groups are checked and said in --help" {
	# --block-size only with --rootfs: the row says so, before any other need
	run "$BBKIT" size --block-size 4096
	[ "$status" -eq 2 ]
	is_line "bbkit: size: --block-size: only with --rootfs; see 'bbkit size --help'"
	run "$BBKIT" size --help
	[ "$status" -eq 0 ]
	is_line "                        (only with --rootfs)"
	# --no-ccache excludes --ccache and --ccache-remote, which go together
	run "$BBKIT" build linux/amd64 --no-ccache --ccache-remote file:/x
	[ "$status" -eq 2 ]
	is_line "bbkit: build: --ccache-remote and --no-ccache cannot go together: choose one; see 'bbkit build --help'"
	run "$BBKIT" build linux/amd64 --ccache /x --ccache-remote file:/x
	[ "$status" -eq 2 ]
	is_line "bbkit: build: needs --src, --builddir and --out; see 'bbkit build --help'"
	run "$BBKIT" build --help
	[ "$status" -eq 0 ]
	is_line "                        (not with --ccache or --ccache-remote)"
}

@test "unknown command and unknown option are usage errors (exit 2)" {
	run "$BBKIT" frobnicate
	[ "$status" -eq 2 ]
	has_line "bbkit: frobnicate: unknown command"
	run "$BBKIT" fetch --frob
	[ "$status" -eq 2 ]
	has_line "bbkit: fetch: --frob: unknown option; see 'bbkit fetch --help'"
}

@test "options are declared once: needs, either-or, exclusive, -jN, --cache=DIR" {
	run "$BBKIT" build
	[ "$status" -eq 2 ]
	is_line "bbkit: build: needs PLATFORM (see 'bbkit platforms'), --src, --builddir and --out; see 'bbkit build --help'"
	# -j takes its value attached, as the help writes it
	run "$BBKIT" build -j4 linux/amd64 --src x
	[ "$status" -eq 2 ]
	is_line "bbkit: build: needs --builddir and --out; see 'bbkit build --help'"
	run "$BBKIT" rootfs --builddir x --binary y
	[ "$status" -eq 2 ]
	is_line "bbkit: rootfs: needs --out or --dir; see 'bbkit rootfs --help'"
	run "$BBKIT" rootfs --builddir x --binary y --out a --dir b
	[ "$status" -eq 2 ]
	is_line "bbkit: rootfs: --out and --dir cannot go together: choose one; see 'bbkit rootfs --help'"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir x
	[ "$status" -eq 2 ]
	is_line "bbkit: resolve: needs at least one LIST; see 'bbkit resolve --help'"
	run "$BBKIT" size --diff a
	[ "$status" -eq 2 ]
	is_line "bbkit: size: --diff needs two size.json files; see 'bbkit size --help'"
	run "$BBKIT" verify --cache
	[ "$status" -eq 2 ]
	is_line "bbkit: verify: --cache needs a value; see 'bbkit verify --help'"
	# --cache=DIR is one of the shared options, taken by the one parser
	run "$BBKIT" platforms --cache="$BATS_TEST_TMPDIR/c" --field qemu linux/arm64
	[ "$status" -eq 0 ]
	is_line "qemu-aarch64-static"
}

@test "unknown platform is exit 1 and lists the known platforms" {
	run "$BBKIT" sysroot linux/sparc
	[ "$status" -eq 1 ]
	has_line "bbkit: sysroot: linux/sparc: unknown platform; known platforms: linux/amd64, linux/386, linux/arm64, linux/arm/v7"
}

@test "platforms prints one row per platform" {
	run "$BBKIT" platforms --names
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 12 ]
	run "$BBKIT" platforms
	has_line "linux/arm/v7   arm     armv7a-linux-musleabihf"
	# where musl comes from and which linker, per row
	printf '%s\n' "${lines[@]}" | awk '$1 == "linux/riscv64" && $9 == "ld.lld" && $10 == "src-1.2.3" { ok = 1 } END { exit !ok }'
	printf '%s\n' "${lines[@]}" | awk '$1 == "linux/s390x" && $9 == "ld.lld-19" && $10 == "deb" { ok = 1 } END { exit !ok }'
	printf '%s\n' "${lines[@]}" | awk '$1 == "linux/mips" && $8 == "8/32/BE" && $10 == "src-1.2.3" { ok = 1 } END { exit !ok }' 
}

@test "a platform's own linker missing from PATH is exit 3 naming it and its package" {
	# a PATH with everything build needs except s390x's ld.lld-19
	d="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$d"
	for t in clang ld.lld llvm-strip llvm-ar make gcc; do ln -s "$(command -v "$t")" "$d/$t"; done
	echo previous >"$BATS_TEST_TMPDIR/busybox"
	run env PATH="$d" "$BBKIT" build -q linux/s390x --src "$BBKIT_SRC" --builddir "$BATS_TEST_TMPDIR" \
		--out "$BATS_TEST_TMPDIR/busybox"
	[ "$status" -eq 3 ]
	has_line "bbkit: build: ld.lld-19: not found in PATH; install clang, lld-19, llvm, make and gcc (make does, as root)"
	[ "$(cat "$BATS_TEST_TMPDIR/busybox")" = previous ]
}

@test "platforms --field: one field of one row for scripts; bad field or platform refused" {
	run "$BBKIT" platforms --field qemu linux/arm/v7
	[ "$status" -eq 0 ]
	[ "$output" = qemu-arm-static ]
	run "$BBKIT" platforms --field slug linux/arm/v7
	[ "$output" = linux-arm-v7 ]
	run "$BBKIT" platforms --field musl linux/riscv64
	[[ "$output" = src-* ]]
	run "$BBKIT" platforms --field elf-machine linux/arm64
	[ "$output" = 183 ]
	# native: what verify and the scripts use to decide on qemu
	run "$BBKIT" platforms --field native linux/arm64
	[ "$output" = no ]
	if [ "$(uname -m)" = x86_64 ]; then
		run "$BBKIT" platforms --field native linux/amd64
		[ "$output" = yes ]
	fi
	run "$BBKIT" platforms --field bogus linux/arm64
	[ "$status" -eq 2 ]
	has_line "bbkit: platforms: --field bogus: unknown field"
	run "$BBKIT" platforms --field qemu linux/sparc
	[ "$status" -eq 1 ]
	has_line "linux/sparc: unknown platform; known platforms: linux/amd64,"
	run "$BBKIT" platforms --field qemu
	[ "$status" -eq 2 ]
	# the table's rows and --names agree
	[ "$("$BBKIT" platforms --names | wc -l)" -eq "$(("$("$BBKIT" platforms | wc -l)" - 1))" ]
}

@test "pins.tsv is the one place versions are pinned: C, make and the messages read it" {
	run "$BBKIT" fetch --version 1.99.0
	has_line "(pinned: $(awk -F'\t' '$1 == "busybox" { printf "%s%s", s, $2; s = ", " }' "$TOP/pins.tsv"))"
	d=$(awk -F'\t' '$1 == "busybox" && $5 == "default" { print $2 }' "$TOP/pins.tsv")
	run "$BBKIT" fetch --help
	has_line "busybox version (default $d)"
	[ "$(make -s -C "$TOP" --no-print-directory -p -n help 2>/dev/null | sed -n 's/^LOCK_VERSIONS := //p' | head -1)" = \
		"$(awk -F'\t' '$1 == "busybox" { print $2 }' "$TOP/pins.tsv" | tr '\n' ' ' | sed 's/ $//')" ]
	# a malformed line stops the build naming file:line
	sed 's/^busybox\t1.37.0\t3311/busybox\t1.37.0\tXYZ/' "$TOP/pins.tsv" >"$BATS_TEST_TMPDIR/pins.tsv"
	run sh "$TOP/scripts/pins-h.sh" "$BATS_TEST_TMPDIR/pins.tsv"
	[ "$status" -ne 0 ]
	has_line "$BATS_TEST_TMPDIR/pins.tsv:$(grep -n "^busybox	1.37.0	" "$TOP/pins.tsv" | cut -d: -f1): sha256 XYZ"
}

@test "publish puts exactly the named files in place: what a killed recipe left in the stage is no output" {
	s="$BATS_TEST_TMPDIR/stage"
	o="$BATS_TEST_TMPDIR/out/p/linux-amd64"
	mkdir -p "$s"
	echo config >"$s/busybox.config"
	echo links >"$s/busybox.links"
	echo half >"$s/busybox.config.tmp.12345" # install ... $@.tmp.PID, then SIGKILL
	echo old >"$s/vex.openvex.json"          # an earlier bbkit's output
	run "$BBKIT" publish -q --files busybox.config,busybox.links "$s=$o"
	[ "$status" -eq 0 ]
	[ "$(ls -A "$o" | tr '\n' ' ')" = "busybox.config busybox.links " ]
	# and an output directory with an extra file is replaced by exactly them
	echo stray >"$o/upstream-tests.txt"
	run "$BBKIT" publish -q --files busybox.config,busybox.links "$s=$o"
	[ "$status" -eq 0 ]
	[ "$(ls -A "$o" | tr '\n' ' ')" = "busybox.config busybox.links " ]
}

@test "publish: killed while a later platform's outputs are copied, every platform keeps its previous outputs" {
	t="$BATS_TEST_TMPDIR"
	for p in a b; do
		mkdir -p "$t/s$p" "$t/o/$p"
		echo new >"$t/s$p/busybox"
		echo old >"$t/o/$p/busybox"
	done
	rm "$t/sb/busybox"
	mkfifo "$t/sb/busybox" # its copy blocks: the run is stopped there
	"$BBKIT" publish -q --files busybox "$t/sa=$t/o/a" "$t/sb=$t/o/b" &
	pid=$!
	for i in $(seq 1 100); do
		if [ -e "$t/o/b.tmp.$pid" ]; then break; fi
		sleep 0.1
	done
	sleep 0.3
	kill -TERM "$pid"
	wait "$pid" || true
	[ "$(cat "$t/o/a/busybox")" = old ]
	[ "$(cat "$t/o/b/busybox")" = old ]
}

@test "build -j is a number, refused before any work (make -j'' is unlimited, -jabc fails late)" {
	run "$BBKIT" build -jabc linux/amd64 --src x --builddir y --out z
	[ "$status" -eq 2 ]
	is_line "bbkit: build: -j abc: want a number from 1 to 1024; see 'bbkit build --help'"
	run "$BBKIT" build -j '' linux/amd64 --src x --builddir y --out z
	[ "$status" -eq 2 ]
	is_line "bbkit: build: -j : want a number from 1 to 1024; see 'bbkit build --help'"
	run "$BBKIT" build -j0 linux/amd64 --src x --builddir y --out z
	[ "$status" -eq 2 ]
	run "$BBKIT" build --help
	has_line "1 to 1024"
}

@test "image --tag's rule is the table's: said in --help, enforced by the parser" {
	run "$BBKIT" image --help
	[ "$status" -eq 0 ]
	has_line "(only with --archive)"
	run "$BBKIT" image --tag a/b:1 --out d --ref r --version 1 linux/amd64=x.tar
	[ "$status" -eq 2 ]
	is_line "bbkit: image: --tag: only with --archive; see 'bbkit image --help'"
}

@test "fetch: --debian excludes --print-sources and --patches, --patches-key only with --patches (they were ignored)" {
	run "$BBKIT" fetch --debian --print-sources
	[ "$status" -eq 2 ]
	is_line "bbkit: fetch: --print-sources and --debian cannot go together: choose one; see 'bbkit fetch --help'"
	run "$BBKIT" fetch --debian --patches security
	[ "$status" -eq 2 ]
	is_line "bbkit: fetch: --debian and --patches cannot go together: choose one; see 'bbkit fetch --help'"
	run "$BBKIT" fetch --patches-key 0123456789abcdef
	[ "$status" -eq 2 ]
	is_line "bbkit: fetch: --patches-key: only with --patches; see 'bbkit fetch --help'"
	run "$BBKIT" fetch --help
	has_line "(only with --patches)"
}

@test "--cache with an empty value is refused, not the working directory made the cache" {
	run "$BBKIT" platforms --cache=
	[ "$status" -eq 2 ]
	is_line "bbkit: platforms: --cache: an empty directory; give the cache's directory, or leave --cache out (\$BBKIT_CACHE, else ./.cache); see 'bbkit platforms --help'"
	run "$BBKIT" platforms --cache ''
	[ "$status" -eq 2 ]
}

@test "a flag given a value says it takes none, not that it is unknown" {
	run "$BBKIT" platforms --names=yes
	[ "$status" -eq 2 ]
	is_line "bbkit: platforms: --names=yes: --names takes no value; see 'bbkit platforms --help'"
}

@test "each progress and error line is one write, so lines of commands make runs side by side never interleave" {
	# make runs manifest and rootfs at once on one stderr: written a piece
	# at a time, their lines came out as "bbkit: manifest: bbkit: rootfs: ..."
	l=$(printf 'echo\nnot-an-applet\n' | list)
	# (LeakSanitizer cannot run under ptrace)
	run env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 4096 -e trace=write -o "$BATS_TEST_TMPDIR/w" "$BBKIT" resolve --cache "$CACHE" \
		--src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 1 ]
	has_line "bbkit: resolve: $l:2: not-an-applet: unknown applet in busybox $V; no similar name (busybox's Config.in files and include/applets.h list them)"
	# the writes to stderr: a progress line and the error, each whole
	grep -E '^[0-9]+ +write\(2, ' "$BATS_TEST_TMPDIR/w" >"$BATS_TEST_TMPDIR/w2"
	[ "$(grep -c 'bbkit: resolve: ' "$BATS_TEST_TMPDIR/w2")" -ge 2 ]
	run grep -vE '^[0-9]+ +write\(2, "bbkit: [^"]*\\n", [0-9]+\) = [0-9]+$' "$BATS_TEST_TMPDIR/w2"
	[ "$status" -eq 1 ]
}
