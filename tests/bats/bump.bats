#!/usr/bin/env bats
# make bump-report / bbkit bump-report on the real cached 1.37.0 and 1.38.0
# trees and a small list; nothing is compiled (NO_BUILD=1, or a stage of
# fake size.json and VEX documents).
load helpers

bump() { # LIST FROM TO [make args...]
	local l=$1 f=$2 t=$3
	shift 3
	run make -C "$TOP" --no-print-directory QUIET=1 CACHE="$CACHE" bump-report LIST="$l" FROM="$f" TO="$t" \
		PLATFORMS=linux/amd64 OUT="$BATS_TEST_TMPDIR/out" "$@"
}

@test "1.37.0 -> 1.38.0 --no-build: clean, the new symbols and the links, md and json written" {
	l=$(printf 'ls\ncat\nsh\n' | list bumpsmall)
	bump "$l" 1.37.0 1.38.0 NO_BUILD=1
	[ "$status" -eq 0 ]
	has_line '# busybox 1.37.0 → 1.38.0: bumpsmall'
	has_line '| `LSBLK` | lsblk (2.5 kb) | y | no | lsblk |  |'
	has_line '| `UUIDGEN` |'
	has_line '0 removed, 13 added (1.37.0 → 1.38.0).'
	has_line '| linux/amd64 | '
	[ -s "$BATS_TEST_TMPDIR/out/bumpsmall/bump-1.37.0-1.38.0.md" ]
	run jq -r '.clean, (.symbols_added | length), .to.version' "$BATS_TEST_TMPDIR/out/bumpsmall/bump-1.37.0-1.38.0.json"
	[ "$output" = "true
13
1.38.0" ]
}

@test "a request honoured on FROM but not on TO: exit 1 naming file:line, the report written anyway" {
	# no symbol is gone from 1.37.0 to 1.38.0 (their Kconfig differ only by
	# 13 additions), so the real case is the way back: lsblk is new in 1.38.0
	l=$(printf 'ls\nlsblk\n' | list back)
	bump "$l" 1.38.0 1.37.0 NO_BUILD=1
	[ "$status" -eq 2 ] # make's own code for a failed recipe; bbkit's is 1:
	has_line "bbkit: bump-report: $l:2: lsblk: unknown applet in busybox 1.37.0"
	has_line "| $l:2 | 1.37.0 (new) | \`linux/amd64\` | lsblk: unknown applet in busybox 1.37.0"
	has_line '13 removed, 0 added (1.38.0 → 1.37.0).'
	run jq -r '.clean, .requests[0].where, .requests[0].honoured_on_from' "$BATS_TEST_TMPDIR/out/back/bump-1.38.0-1.37.0.json"
	[ "$output" = "false
$l:2
true" ]
	# shellcheck disable=SC2046 # the args files are word lists on purpose
	run "$BBKIT" bump-report -q --cache "$CACHE" --no-build --list "$l" --out "$BATS_TEST_TMPDIR/direct" \
		$(cat "$B/bump/back/from.args" "$B/bump/back/to.args")
	[ "$status" -eq 1 ]
	has_line "bbkit: bump-report: $l:2: lsblk: unknown applet in busybox 1.37.0"
	[ -s "$BATS_TEST_TMPDIR/direct/bump-1.38.0-1.37.0.md" ]
}

@test "FROM_LIST: two lists on one version, links added and removed" {
	a=$(printf 'ls\ncat\n' | list old)
	b=$(printf 'ls\nhead\n' | list new)
	run make -C "$TOP" --no-print-directory QUIET=1 CACHE="$CACHE" bump-report LIST="$b" FROM_LIST="$a" \
		PLATFORMS=linux/amd64 OUT="$BATS_TEST_TMPDIR/out" NO_BUILD=1
	[ "$status" -eq 0 ]
	has_line '| linux/amd64 | 2 → 2 | `/usr/bin/head` | `/bin/cat` |'
	[ -s "$BATS_TEST_TMPDIR/out/new/bump-old-new.json" ]
}

@test "with builds: bytes per applet and CVE states from each stage that holds this config" {
	l=$(printf 'ls\ncat\n' | list built)
	bump "$l" 1.37.0 1.38.0 NO_BUILD=1
	[ "$status" -eq 0 ]
	# fake stages: the resolved config, a size.json and a VEX document per side
	for v in 1.37.0 1.38.0; do
		bd="$BATS_TEST_TMPDIR/bd-$v"
		cp -a "$B/bb/$v/built/linux-amd64" "$bd"
		mkdir -p "$bd/stage"
		"$(dirname "$BBKIT")/bbkit-$v" resolve -q --src "$CACHE/src/busybox-$v+security" --builddir "$bd" \
			--out "$bd/stage/busybox.config" -- "$TOP/applet-lists/toolchain/musl.list" "$l"
	done
	cat >"$BATS_TEST_TMPDIR/bd-1.37.0/stage/size.json" <<-'EOF'
	{"loadable_bytes": 1000, "groups": [{"applet": "ls", "names": "ls", "bytes": 600}, {"applet": "cat", "names": "cat", "bytes": 100}]}
	EOF
	cat >"$BATS_TEST_TMPDIR/bd-1.38.0/stage/size.json" <<-'EOF'
	{"loadable_bytes": 1100, "groups": [{"applet": "ls", "names": "ls", "bytes": 700}, {"applet": "cat", "names": "cat", "bytes": 100}]}
	EOF
	echo '{"vulnerabilities": [{"id": "CVE-2023-1", "analysis": {"state": "exploitable"}}]}' >"$BATS_TEST_TMPDIR/bd-1.37.0/stage/vex.cdx.json"
	echo '{"vulnerabilities": [{"id": "CVE-2023-1", "analysis": {"state": "resolved"}}, {"id": "CVE-2024-2", "analysis": {"state": "not_affected"}}]}' >"$BATS_TEST_TMPDIR/bd-1.38.0/stage/vex.cdx.json"
	run "$BBKIT" bump-report -q --cache "$CACHE" --from-src "$CACHE/src/busybox-1.37.0+security" \
		--to-src "$CACHE/src/busybox-1.38.0+security" --list "$l" --out "$BATS_TEST_TMPDIR/r" \
		"from:linux/amd64:$BATS_TEST_TMPDIR/bd-1.37.0:$TOP/applet-lists/toolchain/musl.list" \
		"to:linux/amd64:$BATS_TEST_TMPDIR/bd-1.38.0:$TOP/applet-lists/toolchain/musl.list"
	[ "$status" -eq 0 ]
	has_line 'Total loadable bytes: 1000 → 1100'
	is_line '| ls | 600 | 700 | +100 |'
	is_line '| CVE-2023-1 | exploitable | resolved |'
	is_line '| CVE-2024-2 | (none) | not_affected |'
	# a stage built from another config says nothing: the make that builds it instead
	echo 'CONFIG_OTHER=y' >>"$BATS_TEST_TMPDIR/bd-1.38.0/stage/busybox.config"
	run "$BBKIT" bump-report -q --cache "$CACHE" --from-src "$CACHE/src/busybox-1.37.0+security" \
		--to-src "$CACHE/src/busybox-1.38.0+security" --list "$l" --out "$BATS_TEST_TMPDIR/r" \
		"from:linux/amd64:$BATS_TEST_TMPDIR/bd-1.37.0:$TOP/applet-lists/toolchain/musl.list" \
		"to:linux/amd64:$BATS_TEST_TMPDIR/bd-1.38.0:$TOP/applet-lists/toolchain/musl.list"
	[ "$status" -eq 0 ]
	has_line 'need a current build: `make PROFILE=built PLATFORMS=linux/amd64 BUSYBOX_VERSION=1.38.0`'
	run grep -c 'Total loadable bytes' "$BATS_TEST_TMPDIR/r/bump-1.37.0-1.38.0.md"
	[ "$output" = 0 ]
}

@test "make bump-report: FROM=TO, no FROM, a missing list are usage errors" {
	bump "$TOP/applet-lists/minimal.list" 1.38.0 1.38.0 NO_BUILD=1
	[ "$status" -eq 2 ]
	has_line 'bbkit: make: bump-report: FROM=1.38.0 and TO=1.38.0 are one version: nothing to compare; give two versions, or FROM_LIST=LIST to compare two lists'
	run make -C "$TOP" --no-print-directory CACHE="$CACHE" bump-report TO=1.38.0
	[ "$status" -eq 2 ]
	has_line 'needs FROM=VERSION TO=VERSION'
	bump "$BATS_TEST_TMPDIR/nosuch.list" 1.37.0 1.38.0 NO_BUILD=1
	[ "$status" -eq 2 ]
	has_line "bbkit: make: bump-report: $BATS_TEST_TMPDIR/nosuch.list: no such list (PROFILE=nosuch or LIST=)"
}
