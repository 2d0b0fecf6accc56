#!/usr/bin/env bats
# busybox's own testsuite (bbkit verify / make check-upstream): the real
# testsuite natively and under qemu with the committed baseline, and the gate
# itself on a small fake testsuite: new failures, stale entries, platform and
# config conditions, timeouts, interruption.
load helpers

SMOKE_BD() { echo "$B/bb/$V/smoke/linux-amd64"; }
SMOKE_BIN() { echo "$B/test-out/smoke/linux-amd64/busybox"; }

setup() {
	# the smoke build the platform tests made (a no-op when it is there)
	make -s -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 \
		OUT="$B/test-out" >/dev/null
	# a fake source tree: upstream's runtest and testing.sh, our own cases
	F="$BATS_TEST_TMPDIR/src"
	mkdir -p "$F/testsuite"
	cp "$BBKIT_SRC/testsuite/runtest" "$BBKIT_SRC/testsuite/testing.sh" "$F/testsuite/"
	cat >"$F/testsuite/true.tests" <<'EOT'
#!/bin/sh
. ./testing.sh
testing "bbkit-fake passes" "true && echo ok" "ok\n" "" ""
testing "bbkit-fake fails" "echo no" "yes\n" "" ""
exit $FAILCOUNT
EOT
	chmod +x "$F/testsuite/true.tests"
}

verify_fake() { # BASELINE-TEXT [args...]
	printf '%b' "$1" >"$BATS_TEST_TMPDIR/baseline.txt"
	shift
	run "$BBKIT" verify -q --platform linux/amd64 --builddir "$(SMOKE_BD)" --binary "$(SMOKE_BIN)" \
		--src "$F" --baseline "$BATS_TEST_TMPDIR/baseline.txt" "$@"
}

@test "make check-upstream: the real testsuite on linux/amd64 and under qemu on linux/arm64 agrees with the baseline" {
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list \
		PLATFORMS="linux/amd64 linux/arm64" OUT="$B/test-out" check-upstream
	echo "$output"
	[ "$status" -eq 0 ]
	for p in linux/amd64 linux/arm64; do
		# the exact counts: the smoke list's 6 applets with tests, on both
		has_line "$p: 112 passed, 7 failed (7 known, in the baseline), 14 skipped; 6 applets in "
		r="$B/test-out/smoke/$("$BBKIT" platforms --field slug "$p")/upstream-tests.txt"
		grep -q $'^PASS\tsed\t' "$r"
		grep -q $'^FAIL\tsed\tsed nonexistent label$' "$r"
	done
	# same config, same tests: the emulated arm64 binary passes what amd64 passes
	diff <(grep -v '^#' "$B/test-out/smoke/linux-amd64/upstream-tests.txt") \
		<(grep -v '^#' "$B/test-out/smoke/linux-arm64/upstream-tests.txt")
}

@test "verify: a failure not in the baseline fails the run, naming the test and its log" {
	verify_fake '# nothing known\n' --applet true
	[ "$status" -eq 1 ]
	has_line "linux/amd64: 1 passed, 1 failed (0 known, in the baseline), 0 skipped; 1 applets"
	has_line "bbkit: verify: linux/amd64: true: FAIL: bbkit-fake fails (not in the baseline $BATS_TEST_TMPDIR/baseline.txt; log: $(SMOKE_BD)/verify/logs/true.log)"
	grep -qx 'FAIL: bbkit-fake fails' "$(SMOKE_BD)/verify/logs/true.log"
}

@test "verify: a listed failure passes the gate; an entry that passes now fails it" {
	verify_fake '*\ttrue\tbbkit-fake fails\ta reason\n' --applet true
	[ "$status" -eq 0 ]
	has_line "linux/amd64: 1 passed, 1 failed (1 known, in the baseline), 0 skipped"
	verify_fake '*\ttrue\tbbkit-fake fails\ta reason\n*\ttrue\tbbkit-fake passes\tstale\n' --applet true
	[ "$status" -eq 1 ]
	has_line "bbkit: verify: $BATS_TEST_TMPDIR/baseline.txt:2: true: bbkit-fake passes: passes now on linux/amd64; remove or narrow the entry"
}

@test "verify: baseline entries apply only on their platforms and config conditions" {
	verify_fake 'linux/arm64 linux/386\ttrue\tbbkit-fake fails\tnot here\n' --applet true
	[ "$status" -eq 1 ]
	verify_fake 'linux/amd64,linux/386\ttrue\tbbkit-fake fails\there\n' --applet true
	[ "$status" -eq 0 ]
	verify_fake '* !CONFIG_BUSYBOX\ttrue\tbbkit-fake fails\tonly without busybox\n' --applet true
	[ "$status" -eq 1 ]
	verify_fake '* CONFIG_BUSYBOX !CONFIG_NO_SUCH_THING\ttrue\tbbkit-fake fails\twith busybox\n' --applet true
	[ "$status" -eq 0 ]
}

@test "verify: a hanging test times out, and ^C stops every test process" {
	printf '#!/bin/sh\nsleep 4242\n' >"$F/testsuite/echo.tests"
	chmod +x "$F/testsuite/echo.tests"
	t0=$(date +%s)
	verify_fake '' --applet echo --timeout 2
	[ "$status" -eq 1 ]
	[ $(($(date +%s) - t0)) -lt 30 ]
	has_line "linux/amd64: echo: FAIL: (runtest timed out)"
	run ! pgrep -f "sleep 4242"

	printf '#!/bin/sh\nsleep 4243\n' >"$F/testsuite/echo.tests"
	"$BBKIT" verify -q --platform linux/amd64 --builddir "$(SMOKE_BD)" --binary "$(SMOKE_BIN)" \
		--src "$F" --applet echo >"$BATS_TEST_TMPDIR/v.log" 2>&1 &
	pid=$!
	for i in $(seq 100); do pgrep -f "sleep 4243" >/dev/null && break; sleep 0.1; done
	pgrep -f "sleep 4243" >/dev/null
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 3 ]
	grep -q "interrupted by signal 2" "$BATS_TEST_TMPDIR/v.log"
	! pgrep -f "sleep 4243"
}

@test "verify: usage and request errors" {
	verify_fake '' --applet ls
	[ "$status" -eq 1 ]
	has_line "bbkit: verify: --applet ls: not enabled in $(SMOKE_BD)/.config; test an applet the config has"
	verify_fake '' --jobs 0
	[ "$status" -eq 2 ]
	run "$BBKIT" verify --platform linux/arm64 --builddir "$(SMOKE_BD)" --binary "$(SMOKE_BIN)"
	[ "$status" -eq 1 ]
	has_line "$(SMOKE_BIN): ELF machine 62, class 2, data 1; linux/arm64 needs machine 183, class 2, data 1; pass --binary built for linux/arm64"
	run "$BBKIT" verify --platform linux/amd64 --builddir "$(SMOKE_BD)" --binary "$BATS_TEST_TMPDIR/nope"
	[ "$status" -eq 1 ]
	has_line "$BATS_TEST_TMPDIR/nope: no such binary; build it first (bbkit build, or make)"
	run "$BBKIT" verify --platform linux/sparc --builddir "$(SMOKE_BD)"
	[ "$status" -eq 1 ]
	has_line "linux/sparc: unknown platform"
	run "$BBKIT" verify --platform linux/amd64 --builddir "$(SMOKE_BD)" --src "$BATS_TEST_TMPDIR"
	[ "$status" -eq 3 ]
	has_line "no testsuite/runtest"
}
