#!/usr/bin/env bats
# Reproducibility: linux/amd64 built twice from clean, from copies of the
# project at different paths, other OUT and cache dirs, umask 022 vs 077,
# TZ and LC_ALL: busybox and rootfs.tar are bit for bit the same.
# (make repro PLATFORMS="..." does the same for any platforms.)
load helpers

@test "two clean builds of linux/amd64 are bit for bit identical" {
	run bash "$TOP/scripts/repro.sh" "$B/repro-test" linux/amd64
	echo "$output"
	[ "$status" -eq 0 ]
	has_line "bbkit: repro: 1 platform(s) reproduced bit for bit"
	rm -rf "$B/repro-test"
}
