#!/usr/bin/env bats
# Debian's CVE patches applied by default (PATCHES), and the per-CVE
# statements (security.txt, vex.cdx.json) decided from what each patch
# changes and what the link map says is in the binary.
load helpers

setup() {
	O="$B/test-out"
}

# make for linux/amd64 with the given list and PATCHES
mk() { # LIST PATCHES
	make -C "$TOP" --no-print-directory QUIET=1 LIST="$1" PLATFORMS=linux/amd64 OUT="$O" PATCHES="$2"
}

# a PATCHES=DIR's tree key, as make computes it
dirkey() { (cd "$1" || exit 1; sha256sum -- * | LC_ALL=C sort | sha256sum | cut -c1-16); }

state() { # OUTDIR CVE -> its state in security.txt
	awk -v id="$2" '$1 == id { print $2 }' "$1/security.txt"
}

@test "PATCHES=security: Debian's eight CVE patches in series order, on a copy; the pristine tree untouched" {
	run "$BBKIT" fetch -q --version "$V" --patches security
	[ "$status" -eq 0 ]
	t="$CACHE/src/busybox-$V+security"
	[ "$output" = "$t" ]
	# the patches that claim a CVE (file name or DEP-3 CVE: field), in series order
	[ "$(grep -v '^#' "$t/.bbkit-patches" | cut -f1 | tr '\n' ' ')" = "awk.c-fix-CVE-2023-42366-bug-15874.patch wget-disallow-control-chars-in-URLs-CVE-2025-60876.patch archival-libarchive-sanitize-filenames-on-output-CVE-2025-46394-2.patch netstat-sanitize-argv0-for-p-CVE-2024-58251.patch ash-fix-out-of-bounds-read-in-ifsbreakup-CVE-2026-38754.patch ash-fix-stack-overflow-in-evalfun-CVE-2026-38755.patch awk-fix-stack-overflow-in-evaluate-CVE-2026-38752.patch awk-fix-use-after-free-in-awk_sub-CVE-2026-38753.patch " ]
	# the copy differs from the pristine tree in exactly the patched files
	run diff -rq -x .bbkit-files -x .bbkit-patches -x .bbkit-patches.d "$CACHE/src/busybox-$V" "$t"
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ print $2 }' | sed "s|$CACHE/src/busybox-$V/||" | sort | tr '\n' ' ')" = "archival/libarchive/header_verbose_list.c editors/awk.c networking/netstat.c networking/wget.c shell/ash.c " ]
	# and the pristine tree is still what was extracted
	run "$BBKIT" fetch -q --version "$V" --verify-tree
	[ "$status" -eq 0 ]
}

@test "PATCHES=DIR given relative to where bbkit runs: its patches apply (patch runs in the tree)" {
	mkdir -p "$BATS_TEST_TMPDIR/w/rel"
	printf -- '--- /dev/null\n+++ b/bbkit-relative-patch-test\n@@ -0,0 +1 @@\n+relative\n' >"$BATS_TEST_TMPDIR/w/rel/01-new.patch"
	cd "$BATS_TEST_TMPDIR/w"
	run "$BBKIT" fetch -q --version "$V" --patches rel
	[ "$status" -eq 0 ]
	[ "$(cat "$output/bbkit-relative-patch-test")" = relative ]
}

@test "a PATCHES=DIR edited while make waits for the build dirs' lock is refused, never built under another key" {
	p="$BATS_TEST_TMPDIR/edit"
	mkdir -p "$p"
	printf -- '--- /dev/null\n+++ b/bbkit-edit-test\n@@ -0,0 +1 @@\n+one\n' >"$p/01-new.patch"
	lock="$B/bb/$V+local-$(dirkey "$p")/smoke/.lock"
	mkdir -p "$(dirname "$lock")"
	exec 9>"$lock"
	flock 9
	make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$O/edit" PATCHES="$p" >"$BATS_TEST_TMPDIR/m.log" 2>&1 9>&- &
	m=$!
	sleep 2 # make (not holding fd 9: 9>&-) has read DIR's key and waits for the lock
	printf -- '--- /dev/null\n+++ b/bbkit-edit-test\n@@ -0,0 +1 @@\n+two\n' >"$p/01-new.patch"
	exec 9>&-
	rc=0
	wait "$m" || rc=$?
	cat "$BATS_TEST_TMPDIR/m.log"
	[ "$rc" -ne 0 ]
	grep -q "PATCHES: its patches changed while make ran" "$BATS_TEST_TMPDIR/m.log"
}

@test "VEX: with awk, wget and tar the fixes are resolved; without them not_affected; PATCHES=none leaves them open" {
	mk tests/lists/smoke.list security
	[ "$(state "$O/smoke/linux-amd64" CVE-2026-38754)" = resolved ]    # ash
	[ "$(state "$O/smoke/linux-amd64" CVE-2023-42366)" = not_affected ] # awk: not built
	[ "$(state "$O/smoke/linux-amd64" CVE-2025-60876)" = not_affected ] # wget: not built
	[ "$(head -1 "$O/smoke/linux-amd64/security.txt")" = "security: 2 fixes applied (ash 2), 6 not applicable (applet not built)" ]
	mk tests/lists/cve.list security
	d="$O/cve/linux-amd64"
	[ "$(head -1 "$d/security.txt")" = "security: 8 fixes applied (ash 2, awk 3, netstat 1, shared 1, wget 1), 0 not applicable (applet not built)" ]
	[ "$(state "$d" CVE-2024-58251)" = resolved ] # netstat
	mk tests/lists/cve.list none
	[ "$(head -1 "$d/security.txt")" = "security: 0 fixes applied, 0 not applicable (applet not built), 8 open (ash 2, awk 3, netstat 1, shared 1, wget 1: code in the binary, fix not applied)" ]
	[ "$(state "$d" CVE-2023-42366)" = exploitable ]
	# the CycloneDX document says the same, per CVE
	run jq -r '.specVersion, .metadata.component.cpe, (.vulnerabilities[] | select(.id == "CVE-2023-42366") | .analysis.state)' "$d/vex.cdx.json"
	[ "$output" = "1.5
cpe:2.3:a:busybox:busybox:$V:*:*:*:*:*:*:*
exploitable" ]
	run jq -r '.vulnerabilities[] | select(.id == "CVE-2024-58251") | .analysis.justification' "$O/smoke/linux-amd64/vex.cdx.json"
	[ "$output" = code_not_present ]
}

@test "the fixes are in the binary: wget refuses a control character in a URL; tar -tv and netstat -p print no escape" {
	mk tests/lists/cve.list none
	mkdir "$BATS_TEST_TMPDIR/none"
	cp "$O/cve/linux-amd64/busybox" "$BATS_TEST_TMPDIR/none/busybox"
	pristine="$BATS_TEST_TMPDIR/none/busybox"
	# the same OUT again with the patches: the binary follows PATCHES
	mk tests/lists/cve.list security
	fixed="$O/cve/linux-amd64/busybox"
	run -1 cmp -s "$pristine" "$fixed"
	# wget (CVE-2025-60876): a space in the URL would smuggle a header
	run "$pristine" wget -q -O /dev/null 'http://127.0.0.1:1/a b'
	[ "$status" -ne 0 ]
	[ -z "$(printf '%s\n' "$output" | grep -F 'Unencoded control character')" ]
	run "$fixed" wget -q -O /dev/null 'http://127.0.0.1:1/a b'
	[ "$status" -eq 1 ]
	has_line "wget: Unencoded control character found in the URL!"
	# tar (CVE-2025-46394): a member name with an escape sequence, listed
	mkdir "$BATS_TEST_TMPDIR/t"
	touch "$BATS_TEST_TMPDIR/t/$(printf 'a\033[2Jb')"
	tar -cf "$BATS_TEST_TMPDIR/evil.tar" -C "$BATS_TEST_TMPDIR/t" .
	"$pristine" tar -tvf "$BATS_TEST_TMPDIR/evil.tar" >"$BATS_TEST_TMPDIR/before"
	"$fixed" tar -tvf "$BATS_TEST_TMPDIR/evil.tar" >"$BATS_TEST_TMPDIR/after"
	grep -q "$(printf '\033')" "$BATS_TEST_TMPDIR/before"
	[ -z "$(grep "$(printf '\033')" "$BATS_TEST_TMPDIR/after")" ]
	grep -q 'a?\[2Jb' "$BATS_TEST_TMPDIR/after"
	# netstat -p (CVE-2024-58251): a listener whose argv[0] holds an escape
	port=$((20000 + RANDOM % 20000))
	(exec -a "busybox$(printf '\033')[2J" "$fixed" nc -l -p "$port" </dev/null >/dev/null 2>&1) &
	nc_pid=$!
	for _ in $(seq 50); do
		if "$fixed" netstat -ltnp 2>/dev/null | grep -q ":$port "; then break; fi
		sleep 0.1
	done
	"$pristine" netstat -ltnp >"$BATS_TEST_TMPDIR/before" 2>/dev/null
	"$fixed" netstat -ltnp >"$BATS_TEST_TMPDIR/after" 2>/dev/null
	kill "$nc_pid" 2>/dev/null || true
	grep ":$port " "$BATS_TEST_TMPDIR/before" | grep -q "$(printf '\033')"
	[ -z "$(grep ":$port " "$BATS_TEST_TMPDIR/after" | grep "$(printf '\033')")" ]
	grep ":$port " "$BATS_TEST_TMPDIR/after" | grep -q "/busybox?\[2J"
}

@test "a patch that does not apply stops make naming it and its hunk; the outputs stay" {
	mk tests/lists/smoke.list security
	sum=$(sha256sum "$O/smoke/linux-amd64/busybox")
	p="$BATS_TEST_TMPDIR/mine"
	mkdir "$p"
	rm -rf "$CACHE/src/busybox-$V+local-"* # of an earlier run of this test
	# a local patch against text that is not there
	cat >"$p/01-doctored.patch" <<'PATCH'
--- a/coreutils/echo.c
+++ b/coreutils/echo.c
@@ -1,3 +1,3 @@
-this line is not in echo.c
+nor is this one
 and neither is this
 or this
PATCH
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$O" PATCHES="$p"
	[ "$status" -ne 0 ]
	has_line "bbkit: fetch: $p/01-doctored.patch: the local patch does not apply cleanly: Hunk #1 FAILED at 1."
	[ "$(sha256sum "$O/smoke/linux-amd64/busybox")" = "$sum" ]
	[ -z "$(find "$CACHE/src" -maxdepth 1 -name "busybox-$V+local-*" -type d)" ]
	# a good one of one's own is applied after Debian's, in a tree of its own
	cat >"$p/01-doctored.patch" <<'PATCH'
--- a/coreutils/true.c
+++ b/coreutils/true.c
@@ -35,4 +35,4 @@
 int true_main(int argc UNUSED_PARAM, char **argv UNUSED_PARAM)
 {
-	return EXIT_SUCCESS;
+	return 42;
 }
PATCH
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$O/mine" PATCHES="$p"
	[ "$status" -eq 0 ]
	run "$O/mine/smoke/linux-amd64/busybox" true
	[ "$status" -eq 42 ]
	key=$(dirkey "$p")
	[ "$(tail -1 "$CACHE/src/busybox-$V+local-$key/.bbkit-patches" | cut -f1,3)" = "$(printf '01-doctored.patch\tlocal')" ]
}

@test "a corrupted debian.tar.xz is refused and removed; nothing is extracted" {
	C="$BATS_TEST_TMPDIR/cache"
	mkdir -p "$C/dl"
	f=$(awk -F'\t' -v v="$V" '$1 == "debian" && $2 == v { print $5 }' "$TOP/pins.tsv")
	head -c 4096 /dev/urandom >"$C/dl/$f"
	# a cached download is checked before use: said, removed, fetched again
	# (here there is no mirror to fetch it from)
	run "$BBKIT" fetch --cache "$C" --debian --version "$V" --apt-etc "$TOP/tests/fixtures/apt-none"
	[ "$status" -eq 3 ]
	has_line "bbkit: fetch: $C/dl/$f: sha256 mismatch for busybox $V: expected $(awk -F'\t' -v v="$V" '$1 == "debian" && $2 == v { print $3 }' "$TOP/pins.tsv"), got "
	has_line "the download was removed from the cache"
	has_line "no apt source serves Debian"
	[ ! -e "$C/dl/$f" ]
	[ ! -e "$C/src/busybox-$V-debian" ]
}

@test "a patched debug-shell passes busybox's testsuite as the baseline says, on amd64 and on arm64 under qemu" {
	run make -C "$TOP" --no-print-directory QUIET=1 PLATFORMS="linux/amd64 linux/arm64" OUT="$BATS_TEST_TMPDIR/out" check-upstream
	[ "$status" -eq 0 ] || { printf '%s\n' "${lines[@]}" | tail -20; false; }
	# the counts of the pristine 1.38.0 debug-shell: Debian's eight patches change none
	has_line "linux/amd64: 581 passed, 6 failed (6 known, in the baseline), 101 skipped; 53 applets in "
	has_line "linux/arm64: 581 passed, 6 failed (6 known, in the baseline), 101 skipped; 53 applets in "
	[ "$(head -1 "$BATS_TEST_TMPDIR/out/debug-shell/linux-arm64/security.txt")" = "security: 8 fixes applied (ash 2, awk 3, netstat 1, shared 1, wget 1), 0 not applicable (applet not built)" ]
}

@test "VEX from the code: a local revert of a fix is exploitable naming it; prose claims nothing; a claim that changes no code is in triage" {
	p="$BATS_TEST_TMPDIR/vexp"
	mkdir -p "$p" "$BATS_TEST_TMPDIR/rv/shell"
	sec="$CACHE/src/busybox-$V+security"
	# a patch that takes Debian's CVE-2026-38754 fix back out of shell/ash.c
	cp "$sec/shell/ash.c" "$BATS_TEST_TMPDIR/rv/shell/ash.c"
	patch -s -R -p1 -d "$BATS_TEST_TMPDIR/rv" <"$sec/.bbkit-patches.d/$(awk -F'\t' '$1 ~ /CVE-2026-38754/ { print $2 }' "$sec/.bbkit-patches")"
	diff -u --label a/shell/ash.c --label b/shell/ash.c "$sec/shell/ash.c" "$BATS_TEST_TMPDIR/rv/shell/ash.c" >"$p/10-local-ash-tweak.patch" || true
	grep -q '^@@' "$p/10-local-ash-tweak.patch"
	# prose naming a CVE, on a patch that changes only a comment
	cat >"$p/20-comment.patch" <<'PATCH'
Description: This is NOT a fix for CVE-2024-99999; it only rewords a comment.
--- a/coreutils/true.c
+++ b/coreutils/true.c
@@ -1,5 +1,5 @@
 /* vi: set sw=4 ts=4: */
 /*
- * Mini true implementation for busybox
+ * Mini true implementation for busybox (reworded)
  *
  * Copyright (C) 1999-2004 by Erik Andersen <andersen@codepoet.org>
PATCH
	# a claim by file name on a patch that changes no code
	cat >"$p/30-fix-CVE-2099-12345.patch" <<'PATCH'
--- a/README
+++ b/README
@@ -1,2 +1,3 @@
+CVE-2099-12345 is fixed.
 Please see the LICENSE file for details on copying and usage.
 Please refer to the INSTALL file for instructions on how to build.
PATCH
	printf '10-local-ash-tweak.patch\n20-comment.patch\n30-fix-CVE-2099-12345.patch\n' >"$p/series"
	run make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$O/vexp" PATCHES="$p"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	d="$O/vexp/smoke/linux-amd64"
	[ "$(state "$d" CVE-2026-38754)" = exploitable ]
	run grep '^CVE-2026-38754' "$d/security.txt"
	has_line "is not in the tree this binary was compiled from, changed after it by ash-fix-stack-overflow-in-evalfun-CVE-2026-38755.patch, 10-local-ash-tweak.patch (PATCHES=local)"
	run -1 grep -c 'CVE-2024-99999' "$d/security.txt" "$d/vex.cdx.json"
	[ "$(state "$d" CVE-2099-12345)" = in_triage ]
	run jq -r '.vulnerabilities[] | select(.id == "CVE-2099-12345") | .analysis.state + " " + .analysis.detail' "$d/vex.cdx.json"
	[ "$output" = "in_triage 30-fix-CVE-2099-12345.patch claims it but changes no code (README): nothing compiled into this binary shows it fixed or absent (PATCHES=local)" ]
	[[ "$(head -1 "$d/security.txt")" = *", 1 open (ash 1: code in the binary, fix not applied), 1 in triage (claimed by a patch that changes no code)" ]]
	# the same statements as OpenVEX 0.2.0, all four states here: fixed,
	# not_affected, affected, under_investigation, the same detail as notes
	run sh "$TOP/tests/openvex-validate.sh" "$d/vex.openvex.json"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	m='{"resolved": "fixed", "not_affected": "not_affected", "exploitable": "affected", "in_triage": "under_investigation"}'
	[ "$(jq -r --argjson m "$m" '.vulnerabilities[] | .id + " " + $m[.analysis.state] + " " + .analysis.detail' "$d/vex.cdx.json")" = \
		"$(jq -r '.statements[] | .vulnerability.name + " " + .status + " " + .status_notes' "$d/vex.openvex.json")" ]
	[ "$(jq -r '[.statements[].status] | unique | join(" ")' "$d/vex.openvex.json")" = "affected fixed not_affected under_investigation" ]
	[ "$(jq -r '[.statements[] | select(.status == "not_affected") | .justification] | unique | join(" ")' "$d/vex.openvex.json")" = vulnerable_code_not_present ]
	[ "$(jq -r '.statements[] | select(.status == "affected") | .vulnerability.name + ": " + .action_statement' "$d/vex.openvex.json")" = \
		"CVE-2026-38754: build with the fix in the compiled tree (ash-fix-out-of-bounds-read-in-ifsbreakup-CVE-2026-38754.patch: PATCHES=security applies Debian's, and no later patch may undo it), or leave its code out (ash)" ]
	# busybox by the SBOM's purl; bbkit, SOURCE_DATE_EPOCH's time
	[ "$(jq -r '[.statements[].products[] | .["@id"], .identifiers.purl] | unique | join(" ")' "$d/vex.openvex.json")" = "$(jq -r .metadata.component.purl "$d/sbom.cdx.json")" ]
	[ "$(jq -r '[.["@context"], .author, .timestamp, .version] | join(" ")' "$d/vex.openvex.json")" = "https://openvex.dev/ns/v0.2.0 bbkit 2000-01-01T00:00:00Z 1" ]
	# @id: the sha256 of the rest (keys sorted, compact), no random UUID
	[ "$(jq -r '.["@id"]' "$d/vex.openvex.json")" = "urn:bbkit:openvex:sha256:$(jq -jcS 'del(.["@id"])' "$d/vex.openvex.json" | sha256sum | cut -d' ' -f1)" ]
	# the checker does refuse what the schema refuses
	jq '(.statements[] | select(.status == "affected")) |= del(.action_statement)' "$d/vex.openvex.json" >"$BATS_TEST_TMPDIR/noaction.json"
	run sh "$TOP/tests/openvex-validate.sh" "$BATS_TEST_TMPDIR/noaction.json"
	[ "$status" -eq 1 ]
	jq '.statements[0].status = "resolved"' "$d/vex.openvex.json" >"$BATS_TEST_TMPDIR/cdxstate.json"
	run sh "$TOP/tests/openvex-validate.sh" "$BATS_TEST_TMPDIR/cdxstate.json"
	[ "$status" -eq 1 ]
	jq '(.statements[] | select(.status == "not_affected")) |= (.impact_statement = "x")' "$d/vex.openvex.json" >"$BATS_TEST_TMPDIR/both.json"
	run sh "$TOP/tests/openvex-validate.sh" "$BATS_TEST_TMPDIR/both.json"
	[ "$status" -eq 1 ]
	jq '.statements = []' "$d/vex.openvex.json" >"$BATS_TEST_TMPDIR/none.json"
	run sh "$TOP/tests/openvex-validate.sh" "$BATS_TEST_TMPDIR/none.json"
	[ "$status" -eq 1 ]
}

@test "two makes of one profile with different PATCHES at once, 10 rounds: each time every output is of one patch set" {
	for s in a b; do
		mkdir -p "$BATS_TEST_TMPDIR/p$s"
		if [ "$s" = a ]; then code=42; else code=43; fi
		cat >"$BATS_TEST_TMPDIR/p$s/fix-CVE-2099-000$code.patch" <<PATCH
--- a/coreutils/true.c
+++ b/coreutils/true.c
@@ -35,4 +35,4 @@
 int true_main(int argc UNUSED_PARAM, char **argv UNUSED_PARAM)
 {
-	return EXIT_SUCCESS;
+	return $code;
 }
PATCH
	done
	d="$O/race/smoke/linux-amd64"
	for round in 1 2 3 4 5 6 7 8 9 10; do
		make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$O/race" PATCHES="$BATS_TEST_TMPDIR/pa" >"$BATS_TEST_TMPDIR/a.log" 2>&1 &
		a=$!
		make -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$O/race" PATCHES="$BATS_TEST_TMPDIR/pb" >"$BATS_TEST_TMPDIR/b.log" 2>&1 &
		b=$!
		wait "$a" || { cat "$BATS_TEST_TMPDIR/a.log"; false; }
		wait "$b" || { cat "$BATS_TEST_TMPDIR/b.log"; false; }
		# the binary, the rootfs's binary, the SBOM and the VEX all name one set
		run "$d/busybox" true
		code=$status
		tar -xOf "$d/rootfs.tar" bin/busybox | cmp - "$d/busybox"
		if [ "$code" = 42 ]; then s=a; else s=b; fi
		sum=$(sha256sum <"$BATS_TEST_TMPDIR/p$s/fix-CVE-2099-000$code.patch" | cut -c1-64)
		jq -e --arg v "local fix-CVE-2099-000$code.patch $sum" '[.metadata.component.properties[] | select(.name == "bbkit:patch") | .value] | index($v) != null' "$d/sbom.cdx.json" >/dev/null ||
			{ echo "round $round: busybox true exits $code, the SBOM has another patch set"; false; }
		[ "$(state "$d" "CVE-2099-000$code")" = resolved ] || { echo "round $round: VEX of another patch set"; false; }
	done
}
