# Shared by every bats file. The environment comes from `make test`:
# BBKIT (ASan+UBSan bbkit; BBKIT_BIN, the one make runs, is the same), BBKIT_SRC (busybox tree), BBKIT_VERSION, CACHE, B,
# TEST_BD (an allnoconfig'd linux/amd64 build dir, read-only for tests).
: "${BBKIT:?run through make test}"
: "${BBKIT_SRC:?run through make test}"
TOP=$(cd "$(dirname "$BATS_TEST_FILENAME")/../.." && pwd)
V=$BBKIT_VERSION
TEST_BD=${TEST_BD:-$B/bb/$V/_test/linux-amd64}
# every make a test runs runs this bbkit (and the resolver beside it): the
# sanitizer build, as make test sets it
export BBKIT_BIN=${BBKIT_BIN:-$BBKIT}

# resolve LIST... into $BATS_TEST_TMPDIR/out.config against the test build dir
resolve() {
	run "$BBKIT" resolve -q --cache "$CACHE" --src "$BBKIT_SRC" --builddir "$TEST_BD" \
		--out "$BATS_TEST_TMPDIR/out.config" "$@"
}

# write a list file from stdin; prints its path
list() {
	local f="$BATS_TEST_TMPDIR/${1:-t}.list"
	cat >"$f"
	echo "$f"
}

# the line of $output that contains $1, or fail showing the output
has_line() {
	if ! printf '%s\n' "$output" | grep -qF -- "$1"; then
		printf 'expected a line with:\n  %s\ngot:\n%s\n' "$1" "$output" >&2
		return 1
	fi
}

config_has() {
	grep -qx -- "$1" "$BATS_TEST_TMPDIR/out.config" || {
		echo "config lacks: $1" >&2
		grep -- "${1%%=*}" "$BATS_TEST_TMPDIR/out.config" >&2
		return 1
	}
}

# copy of the test build dir with a config, where busybox's own make can run
upstream_links() { # CONFIG -> prints busybox's own busybox.links
	local d="$BATS_TEST_TMPDIR/bd"
	rm -rf "$d"
	cp -a "$TEST_BD" "$d"
	cp "$1" "$d/.config"
	make -s -C "$BBKIT_SRC" O="$d" ARCH=x86_64 HOSTCC=gcc silentoldconfig >/dev/null 2>&1 &&
		rm -f "$d/busybox.links" &&
		make -s -C "$BBKIT_SRC" O="$d" ARCH=x86_64 HOSTCC=gcc busybox.links >/dev/null 2>&1 &&
		cat "$d/busybox.links"
}

# $output has a line that is exactly $1 (has_line accepts a part of a line)
is_line() {
	if ! printf '%s\n' "$output" | grep -qxF -- "$1"; then
		printf 'expected the whole line:\n  %s\ngot:\n%s\n' "$1" "$output" >&2
		return 1
	fi
}
bats_require_minimum_version 1.5.0

# every link in LINKS (busybox.links) run with --help from ROOT and from
# REF (two extracted rootfs: one with the binary under test, one with the
# reference, e.g. busybox.unpacked), through RUNNER... (qemu) if given:
# each must give the reference's exit status and output, and neither may
# be 126 or more (not executable, not found, killed by a signal: a
# segfault is 139, SIGILL 132)
applets_agree() { # LINKS ROOT REF [RUNNER...]
	local links=$1 root=$2 ref=$3 l n=0 rs ro
	shift 3
	while read -r l; do
		run "$@" "$ref$l" --help
		rs=$status ro=$output
		run "$@" "$root$l" --help
		if [ "$status" -ge 126 ] || [ "$rs" -ge 126 ] || [ "$status" -ne "$rs" ] || [ "$output" != "$ro" ]; then
			echo "$l --help: exit $status, output:"
			printf '%s\n' "$output" | head -3
			echo "the reference's: exit $rs, output:"
			printf '%s\n' "$ro" | head -3
			return 1
		fi
		n=$((n + 1))
	done <"$links"
	[ "$n" -gt 0 ] || { echo "$links: no links"; return 1; }
}
