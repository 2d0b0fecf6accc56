#!/usr/bin/env bats
# Reproducibility: linux/amd64 built from clean in two places: this
# checkout, and a copy of the project at another path with other OUT and
# cache dirs, umask 077, TZ and LC_ALL: busybox and rootfs.tar are bit for
# bit the same.
# (make repro PLATFORMS="..." does the same for any platforms.)
load helpers

@test "two clean builds of linux/amd64 are bit for bit identical" {
	# one more clean build of the smoke list (other path, fresh cache and OUT,
	# umask 077, TZ Pacific/Kiritimati, LC_ALL C.UTF-8) against the clean one
	# the make tests made here (umask 022, the checkout's cache); make repro
	# builds the default profile twice
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$B/test-out"
	touch "$BATS_TEST_TMPDIR/stamp"
	run env AGAINST="$B/test-out" BBKIT="$BBKIT_REAL" LIST=tests/lists/smoke.list bash "$TOP/scripts/repro.sh" "$B/repro-test" linux/amd64
	echo "$output"
	[ "$status" -eq 0 ]
	has_line "bbkit: repro: 1 platform(s) reproduced bit for bit"
	# the copy's make ran the bbkit make test built, as it was: its copied
	# sources (times kept) are no reason to compile it or the resolver again
	[ "$BBKIT_BIN" -ot "$BATS_TEST_TMPDIR/stamp" ]
	[ "$(dirname "$BBKIT_BIN")/bbkit-$V" -ot "$BATS_TEST_TMPDIR/stamp" ]
	rm -rf "$B/repro-test"
}
