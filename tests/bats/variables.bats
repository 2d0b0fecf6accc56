#!/usr/bin/env bats
# Make variables through make itself: each one validated before anything
# runs (no shell or make code gets through), each one that changes an output
# a dependency of it (SUID, LAYOUT, FEATURES, a list's budget), QUIET and
# JOBS, a default make, the other pinned busybox versions, ELF checks.
load helpers

O() { echo "$B/test-out"; }
mk() { run make -C "$TOP" --no-print-directory "$@"; }

@test "bad make variables stop make before anything runs, naming the variable; none runs code" {
	rm -f "$BATS_TEST_TMPDIR/p"
	p="$BATS_TEST_TMPDIR/p"
	while IFS='|' read -r var msg; do
		mk -n PLATFORMS=linux/amd64 "$var"
		[ "$status" -eq 2 ] || { echo "accepted: $var"; false; }
		has_line "*** bbkit: make: $var: $msg"
	done <<EOT
FEATURES=bogus|use minimal or defaults.  Stop.
SUID=yes|use 0 or 1.  Stop.
SUID=2|use 0 or 1.  Stop.
LAYOUT=canonical;touch $p;|use canonical or flat.  Stop.
SOURCE_DATE_EPOCH=abc|seconds since 1970 as digits only, 0 to 253402300799 (9999-12-31).  Stop.
PLATFORMS=|empty; name at least one platform (bbkit platforms --names).  Stop.
JOBS=0|a number of job slots from 1 to 1024, digits without a leading zero.  Stop.
QUIET=yes|use 1 (no progress lines) or leave it empty.  Stop.
PROFILE=../../x|a profile name is letters and digits with one of . _ - (or --) between two of them (the OCI ref name bbkit image writes); rename it.  Stop.
LIST=x\`touch $p\`.list|a path here may hold only letters, digits and . _ - / + @ (no spaces, quotes, ~ or shell/make characters): bbkit's make rules pass it on unquoted; rename or move it.  Stop.
LIST=it's.list|a path here may hold only letters, digits and . _ - / + @ (no spaces, quotes, ~ or shell/make characters): bbkit's make rules pass it on unquoted; rename or move it.  Stop.
OUT=$BATS_TEST_TMPDIR/s p|a path here may hold only letters, digits and . _ - / + @ (no spaces, quotes, ~ or shell/make characters): bbkit's make rules pass it on unquoted; rename or move it.  Stop.
OUT=\$(shell touch $p)|a '\$' makes a value make code, not data; bbkit refuses it.  Stop.
COMPRESS=upx;touch $p;|use none, upx or upx-lzma.  Stop.
PATCHES=my patches|a path here may hold only letters, digits and . _ - / + @ (no spaces, quotes, ~ or shell/make characters): bbkit's make rules pass it on unquoted; rename or move it.  Stop.
PATCHES=x\`touch $p\`|a path here may hold only letters, digits and . _ - / + @ (no spaces, quotes, ~ or shell/make characters): bbkit's make rules pass it on unquoted; rename or move it.  Stop.
PATCHES=\$(shell touch $p)|a '\$' makes a value make code, not data; bbkit refuses it.  Stop.
OUT=~|a path here may hold only letters, digits and . _ - / + @ (no spaces, quotes, ~ or shell/make characters): bbkit's make rules pass it on unquoted; rename or move it.  Stop.
CACHE=~root/x|a path here may hold only letters, digits and . _ - / + @ (no spaces, quotes, ~ or shell/make characters): bbkit's make rules pass it on unquoted; rename or move it.  Stop.
EOT
	# from the environment too
	run env SUID='$(shell touch '"$p"')' make -C "$TOP" -n
	[ "$status" -eq 2 ]
	[ ! -e "$p" ]
	[ ! -e "$TOP/s" ]
}

@test "SUID=1 LAYOUT=flat JOBS=1 QUIET=1: busybox 4755, every link in /bin, suid classes in manifest.json; no progress lines" {
	mk QUIET=1 JOBS=1 SUID=1 LAYOUT=flat LIST=tests/lists/suid.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	D="$(O)/suid/linux-amd64"
	run tar tvf "$D/rootfs.tar" bin/busybox
	[[ "$output" = "-rwsr-xr-x root/root "* ]]
	[ -z "$(grep -v '^/bin/' "$D/busybox.links")" ]
	grep -qx /bin/su "$D/busybox.links"
	# manifest.json as JSON, not grepped
	run python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
a = {x["name"]: x for x in m["applets"]}
print(a["su"]["suid"], a["ping"]["suid"], a["echo"]["suid"], a["su"]["path"], len(a))
' "$D/manifest.json"
	[ "$status" -eq 0 ]
	[ "$output" = "require maybe drop /bin/su $(wc -l <"$D/busybox.links")" ]
	run python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["binary_mode"], m["setuid"])' "$D/manifest.json"
	[ "$output" = "4755 {'feature_suid': True, 'suid_config': False, 'installer': False}" ]
}

# the uids the kernel reports for a process: real, effective, saved
uids_of() { awk '/^Uid:/ { print $2, $3, $4 }' "/proc/$1/status"; }
# run "$@" (an applet that waits on stdin, e.g. su at its password prompt) in
# the background on a fifo held open by fd 7; its pid in WAIT_PID (a
# function given must exec, so that the pid is the applet's)
start_waiting() {
	local f="$BATS_TEST_TMPDIR/fifo.$RANDOM"
	mkfifo "$f"
	"$@" <"$f" >/dev/null 2>&1 &
	WAIT_PID=$!
	exec 7>"$f"
	sleep 1
}

@test "SUID=1 as an unprivileged user (amd64, a real setuid exec): applets that drop run as that user, su keeps root" {
	D="$(O)/suid/linux-amd64"
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R"
	chmod 755 "$BATS_TEST_TMPDIR" "$R"
	tar -xpf "$D/rootfs.tar" -C "$R" bin/busybox
	[ "$(stat -c %a "$R/bin/busybox")" = 4755 ]
	as_nobody() { exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	# the kernel's setuid exec happened: without FEATURE_SUID this was 0 0 0
	run as_nobody "$R/bin/busybox" cat /proc/self/status
	[ "$status" -eq 0 ]
	is_line "$(printf 'Uid:\t65534\t65534\t65534\t65534')"
	run as_nobody "$R/bin/busybox" sh -c 'id -u; echo x | sed s/x/y/'
	[ "$output" = "$(printf '65534\ny')" ]
	start_waiting as_nobody "$R/bin/busybox" su root
	run uids_of "$WAIT_PID"
	kill "$WAIT_PID"
	exec 7>&-
	[ "$output" = "65534 0 0" ]
}

@test "SUID=1 on arm64 under qemu (the setuid exec's uids given to qemu): the same drops and keeps" {
	mk QUIET=1 SUID=1 LIST=tests/lists/suid.list PLATFORMS=linux/arm64 OUT="$(O)"
	[ "$status" -eq 0 ]
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R"
	chmod 755 "$BATS_TEST_TMPDIR" "$R"
	tar -xpf "$(O)/suid/linux-arm64/rootfs.tar" -C "$R" bin/busybox
	[ "$(stat -c %a "$R/bin/busybox")" = 4755 ]
	# qemu-user is the program exec'd, so the kernel ignores the bit: give
	# it what a setuid-root exec by uid 65534 gives (real 65534, effective
	# and saved 0); busybox sees the same uids as on the device
	as_setuid() { exec setpriv --ruid=65534 --euid=0 --rgid=65534 --egid=65534 --clear-groups qemu-aarch64-static "$@"; }
	run as_setuid "$R/bin/busybox" cat /proc/self/status
	[ "$status" -eq 0 ]
	is_line "$(printf 'Uid:\t65534\t65534\t65534\t65534')"
	start_waiting as_setuid "$R/bin/busybox" su root
	run uids_of "$WAIT_PID"
	kill "$WAIT_PID"
	exec 7>&-
	[ "$output" = "65534 0 0" ]
}

@test "SUID=1 is refused before anything compiles when busybox would not drop root, or has --install" {
	l="$BATS_TEST_TMPDIR/nodrop.list"
	printf 'sh\nsu\n' >"$l"
	mk QUIET=1 SUID=1 LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 2 ]
	has_line "/nodrop/linux-amd64/.config: SUID=1 (setuid root for su) with CONFIG_FEATURE_SUID off: busybox would never drop root, so every applet, the shell included, would run as root for any user; add the line FEATURE_SUID to the list, or build with SUID=0"
	[ ! -e "$B/bb/$V/nodrop/linux-amd64/busybox_unstripped" ]
	[ ! -e "$(O)/nodrop" ]
	printf 'sh\nsu\nFEATURE_SUID\nFEATURE_INSTALLER\n' >"$l"
	mk QUIET=1 SUID=1 LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 2 ]
	has_line "SUID=1 with CONFIG_FEATURE_INSTALLER on: \`busybox --install DIR\` runs before busybox drops root, so any user could write links as root anywhere; drop FEATURE_INSTALLER from the list, or build with SUID=0"
}

@test "SUID and LAYOUT changed back: links, manifest and rootfs are remade, the binary is not" {
	D="$(O)/suid/linux-amd64"
	bin=$(stat -c %Y "$D/busybox")
	mk QUIET=1 LIST=tests/lists/suid.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	[ "$(stat -c %Y "$D/busybox")" = "$bin" ]
	run tar tvf "$D/rootfs.tar" bin/busybox
	[[ "$output" = "-rwxr-xr-x root/root "* ]]
	grep -qx /usr/bin/env "$D/busybox.links"
	run python3 -c 'import json, sys; print({x["name"]: x["path"] for x in json.load(open(sys.argv[1]))["applets"]}["env"])' "$D/manifest.json"
	[ "$output" = /usr/bin/env ]
}

@test "FEATURES=defaults re-resolves and rebuilds; FEATURES=minimal gives the first config back" {
	D="$(O)/suid/linux-amd64"
	first=$(sha256sum <"$D/busybox.config")
	mk QUIET=1 FEATURES=defaults LIST=tests/lists/suid.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	[ "$(sha256sum <"$D/busybox.config")" != "$first" ]
	# ping's default features: FEATURE_FANCY_PING is default y
	grep -qx CONFIG_FEATURE_FANCY_PING=y "$D/busybox.config"
	mk QUIET=1 FEATURES=minimal LIST=tests/lists/suid.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	[ "$(sha256sum <"$D/busybox.config")" = "$first" ]
}

@test "size --diff of two different builds names what only one has" {
	mk QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	run "$BBKIT" size --diff "$(O)/smoke/linux-amd64/size.json" "$(O)/suid/linux-amd64/size.json"
	[ "$status" -eq 0 ]
	has_line " su (only in B)"
	has_line " ping (only in B)"
	a=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["loadable_bytes"])' "$(O)/smoke/linux-amd64/size.json")
	b=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["loadable_bytes"])' "$(O)/suid/linux-amd64/size.json")
	[ "$b" -gt "$a" ]
	[[ "${lines[-1]}" =~ ^\ *$a\ +$b\ +\+$((b - a))\ \ total\ loadable\ bytes$ ]]
}

@test "a budget is enforced by make on every make, and an empty list fails at resolve" {
	O() { echo "$BATS_TEST_TMPDIR/o"; } # a fresh OUT: nothing of an earlier run
	l="$BATS_TEST_TMPDIR/budget.list"
	printf 'budget 10k\ninclude %s\n' "$TOP/tests/lists/smoke.list" >"$l"
	for i in 1 2; do
		mk QUIET=1 LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
		[ "$status" -ne 0 ]
		has_line "bbkit: size: $l:1: busybox is "
		has_line ", over the budget of 10240; the biggest applets: "
		[ ! -e "$(O)/budget/linux-amd64/size.txt" ]
	done
	# a budget edited in an included list is seen too
	printf 'include inc.list\n' >"$l"
	printf 'budget 10k\ninclude %s\n' "$TOP/tests/lists/smoke.list" >"$BATS_TEST_TMPDIR/inc.list"
	mk QUIET=1 LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -ne 0 ]
	has_line "bbkit: size: $BATS_TEST_TMPDIR/inc.list:1: busybox is "
	sed -i 's/^budget 10k$/budget 2m/' "$BATS_TEST_TMPDIR/inc.list"
	mk QUIET=1 LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	[ -s "$(O)/budget/linux-amd64/size.txt" ]
	# comments only: refused at resolve, twice, nothing built
	e="$BATS_TEST_TMPDIR/empty.list"
	printf '# nothing here\n' >"$e"
	for i in 1 2; do
		mk QUIET=1 LIST="$e" PLATFORMS=linux/amd64 OUT="$(O)"
		[ "$status" -ne 0 ]
		has_line "bbkit: resolve: $e: the list has no entries; add applet names or symbols"
		[ ! -e "$(O)/empty" ]
	done
}

@test "a budget in a fragment is enforced too, even from a fragment older than the outputs" {
	O() { echo "$BATS_TEST_TMPDIR/o"; }
	l="$BATS_TEST_TMPDIR/budget.list"
	printf 'budget 2m\ninclude %s\n' "$TOP/tests/lists/smoke.list" >"$l"
	mk QUIET=1 LIST="$l" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	f="$BATS_TEST_TMPDIR/tiny.cfg"
	printf 'budget 10k\necho\n' >"$f"
	touch -d 2001-01-01 "$f" # cp -p, tar, rsync: an old time
	for i in 1 2; do
		mk QUIET=1 LIST="$l" FRAGMENTS="$f" PLATFORMS=linux/amd64 OUT="$(O)"
		[ "$status" -ne 0 ]
		has_line "bbkit: size: $f:1: busybox is "
		has_line ", over the budget of 10240; the biggest applets: "
	done
}

@test "two makes of two lists of one name at once, 3 rounds: each OUT has its own list's applets, binary and links agreeing" {
	mkdir -p "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	# (two applets each: a busybox of one applet runs it whatever its name)
	printf 'busybox\necho\ntrue\n' >"$BATS_TEST_TMPDIR/a/twin.list"
	printf 'busybox\necho\nfalse\n' >"$BATS_TEST_TMPDIR/b/twin.list"
	for round in 1 2 3; do
		make -C "$TOP" --no-print-directory QUIET=1 LIST="$BATS_TEST_TMPDIR/a/twin.list" PLATFORMS=linux/amd64 OUT="$BATS_TEST_TMPDIR/oa" >"$BATS_TEST_TMPDIR/a.log" 2>&1 &
		a=$!
		make -C "$TOP" --no-print-directory QUIET=1 LIST="$BATS_TEST_TMPDIR/b/twin.list" PLATFORMS=linux/amd64 OUT="$BATS_TEST_TMPDIR/ob" >"$BATS_TEST_TMPDIR/b.log" 2>&1 &
		b=$!
		wait "$a" || { cat "$BATS_TEST_TMPDIR/a.log"; false; }
		wait "$b" || { cat "$BATS_TEST_TMPDIR/b.log"; false; }
		for s in a b; do
			if [ "$s" = a ]; then want=true; else want=false; fi
			d="$BATS_TEST_TMPDIR/o$s/twin/linux-amd64"
			[ "$(grep -x -e /bin/true -e /bin/false "$d/busybox.links")" = "/bin/$want" ] || { echo "round $round: OUT $s has the links $(cat "$d/busybox.links")"; false; }
			[ "$("$d/busybox" --list | grep -x -e true -e false)" = "$want" ] || { echo "round $round: OUT $s has a binary of another list"; false; }
		done
	done
}

# every file under DIR with its sha256 and mode, sorted
snapshot() { (cd "$1" || exit 1; find . -type f -printf '%p %m\n' | LC_ALL=C sort; find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }

@test "a run where one platform fails to compile, or a budget fails, publishes nothing: every previous output stays" {
	o="$BATS_TEST_TMPDIR/o"
	l="$BATS_TEST_TMPDIR/pub.list"
	printf 'include %s\n' "$TOP/tests/lists/smoke.list" >"$l"
	mk QUIET=1 LIST="$l" PLATFORMS="linux/amd64 linux/arm64" OUT="$o"
	[ "$status" -eq 0 ]
	before=$(snapshot "$o")
	# a patch that breaks the arm64 compile only: amd64 builds, and is not
	# published without arm64
	p="$BATS_TEST_TMPDIR/p"
	mkdir "$p"
	cat >"$p/01-no-arm64.patch" <<'PATCH'
--- a/coreutils/true.c
+++ b/coreutils/true.c
@@ -35,4 +35,7 @@
 int true_main(int argc UNUSED_PARAM, char **argv UNUSED_PARAM)
 {
+#ifdef __aarch64__
+#error no arm64 today
+#endif
 	return EXIT_SUCCESS;
 }
PATCH
	mk QUIET=1 LIST="$l" PLATFORMS="linux/amd64 linux/arm64" OUT="$o" PATCHES="$p"
	[ "$status" -ne 0 ]
	has_line "error: no arm64 today"
	[ -x "$B/bb/$V+local-$(cd "$p"; sha256sum -- * | LC_ALL=C sort | sha256sum | cut -c1-16)/pub/linux-amd64/stage/busybox" ]
	[ "$(snapshot "$o")" = "$before" ]
	# a budget that fails after both platforms built: nothing published
	printf 'budget 10k\ninclude %s\ncat\n' "$TOP/tests/lists/smoke.list" >"$l"
	mk QUIET=1 LIST="$l" PLATFORMS="linux/amd64 linux/arm64" OUT="$o"
	[ "$status" -ne 0 ]
	has_line ", over the budget of 10240; the biggest applets: "
	[ "$(snapshot "$o")" = "$before" ]
	# within budget: both published, cat in both
	sed -i 's/^budget 10k$/budget 2m/' "$l"
	mk QUIET=1 LIST="$l" PLATFORMS="linux/amd64 linux/arm64" OUT="$o"
	[ "$status" -eq 0 ]
	grep -qx /bin/cat "$o/pub/linux-amd64/busybox.links"
	grep -qx /bin/cat "$o/pub/linux-arm64/busybox.links"
	tar -xOf "$o/pub/linux-arm64/rootfs.tar" bin/busybox | cmp - "$o/pub/linux-arm64/busybox"
}

@test "a file of the user's in an output directory stops the publish, named; nothing is replaced or lost" {
	o="$BATS_TEST_TMPDIR/o"
	mk QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o"
	[ "$status" -eq 0 ]
	echo mine >"$o/smoke/linux-amd64/notes.txt"
	rm "$o/smoke/linux-amd64/size.txt"
	before=$(snapshot "$o")
	mk QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o"
	[ "$status" -ne 0 ]
	is_line "bbkit: publish: $o/smoke/linux-amd64/notes.txt: not an output of bbkit, and this directory is replaced whole when the run's outputs are published; move it elsewhere, or use another OUT"
	[ "$(snapshot "$o")" = "$before" ]
	rm "$o/smoke/linux-amd64/notes.txt"
	mk QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o"
	[ "$status" -eq 0 ]
	[ -s "$o/smoke/linux-amd64/size.txt" ]
}

@test "two lists of one name in two directories, the second older (cp -p): each make builds the list it is given" {
	o="$BATS_TEST_TMPDIR/o"
	mkdir -p "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	printf 'sh\nls\n' >"$BATS_TEST_TMPDIR/a/twin.list"
	printf 'sh\ncat\n' >"$BATS_TEST_TMPDIR/b/twin.list"
	touch -d '2001-01-01' "$BATS_TEST_TMPDIR/a/twin.list"
	mk QUIET=1 LIST="$BATS_TEST_TMPDIR/b/twin.list" PLATFORMS=linux/amd64 OUT="$o" config
	[ "$status" -eq 0 ]
	grep -qx /bin/cat "$o/twin/config/linux-amd64/busybox.links"
	mk QUIET=1 LIST="$BATS_TEST_TMPDIR/a/twin.list" PLATFORMS=linux/amd64 OUT="$o" config
	[ "$status" -eq 0 ]
	grep -qx /bin/ls "$o/twin/config/linux-amd64/busybox.links"
	run grep -c /bin/cat "$o/twin/config/linux-amd64/busybox.links"
	[ "$output" = 0 ]
}

@test "an include whose name has make's special characters works, and is a dependency" {
	d="$BATS_TEST_TMPDIR/inc"
	mkdir -p "$d"
	printf 'include we:ird#1 a=b.list\ninclude %s\n' "$TOP/tests/lists/smoke.list" >"$d/weird.list"
	printf 'cal\n' >"$d/we:ird#1 a=b.list"
	for i in 1 2; do
		mk QUIET=1 LIST="$d/weird.list" PLATFORMS=linux/amd64 OUT="$(O)"
		[ "$status" -eq 0 ]
	done
	grep -qx /usr/bin/cal "$(O)/weird/linux-amd64/busybox.links"
	printf '!cal\n' >"$d/we:ird#1 a=b.list"
	mk QUIET=1 LIST="$d/weird.list" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	run ! grep -q cal "$(O)/weird/linux-amd64/busybox.links"
	# an include that is gone does not stop make: the list says what is wrong
	sed -i '1d' "$d/weird.list"
	rm "$d/we:ird#1 a=b.list"
	mk QUIET=1 LIST="$d/weird.list" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	# '%' cannot be written as a make dependency: refused, naming the file
	printf 'include 100%%.list\n' >"$d/pc.list"
	printf 'cal\n' >"$d/100%.list"
	mk QUIET=1 LIST="$d/pc.list" PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -ne 0 ]
	[ ! -e "$B/bb/$V/pc/linux-amd64/.config" ]
	is_line "bbkit: resolve: $d/100%.list: a list file whose name holds '%' cannot be one of make's dependencies (--depfile); rename it"
}

@test "outputs get fixed modes whatever the umask: 0755 the binary, 0644 the rest" {
	o="$BATS_TEST_TMPDIR/o77"
	run bash -c "umask 077 && make -C '$TOP' --no-print-directory QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT='$o'"
	[ "$status" -eq 0 ]
	run stat -c '%a %n' "$o"/smoke/linux-amd64/*
	# busybox, its config, links, manifest, rootfs, two size reports, the
	# security text, CycloneDX VEX and SBOM, and OpenVEX
	[ "${#lines[@]}" -eq 11 ]
	for l in "${lines[@]}"; do
		case $l in
		*/busybox) [ "${l%% *}" = 755 ] ;;
		*) [ "${l%% *}" = 644 ] || { echo "$l"; false; } ;;
		esac
	done
}

@test "BUSYBOX_TARBALL is checked against the pin even when the source tree is cached" {
	echo "not busybox" >"$BATS_TEST_TMPDIR/fake.tar.bz2"
	mk QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)" BUSYBOX_TARBALL="$BATS_TEST_TMPDIR/fake.tar.bz2"
	[ "$status" -ne 0 ]
	has_line "bbkit: fetch: $BATS_TEST_TMPDIR/fake.tar.bz2: sha256 mismatch for busybox $V: expected "
	# the right one passes, and changes nothing
	before=$(stat -c %Y "$(O)/smoke/linux-amd64/busybox")
	mk QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)" BUSYBOX_TARBALL="$CACHE/dl/busybox_$V.orig.tar.bz2"
	[ "$status" -eq 0 ]
	[ "$(stat -c %Y "$(O)/smoke/linux-amd64/busybox")" = "$before" ]
}

@test "the ELF check refuses a dynamic and an unstripped binary" {
	run "$BBKIT" build linux/amd64 --check /bin/true
	[ "$status" -eq 3 ]
	has_line "bbkit: build: /bin/true: has PT_INTERP: not statically linked"
	run "$BBKIT" build linux/amd64 --check "$B/bb/$V/suid/linux-amd64/busybox_unstripped"
	[ "$status" -eq 3 ]
	has_line "bbkit: build: $B/bb/$V/suid/linux-amd64/busybox_unstripped: has a symbol table: not stripped"
	run "$BBKIT" build linux/amd64 --check "$(O)/suid/linux-amd64/busybox"
	[ "$status" -eq 0 ]
}

@test "busybox 1.35.0 and 1.37.0 build and run too (not only resolve)" {
	for v in 1.35.0 1.37.0; do
		mk QUIET=1 BUSYBOX_VERSION=$v LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)/v$v"
		[ "$status" -eq 0 ]
		run "$(O)/v$v/smoke/linux-amd64/busybox"
		[[ "${lines[0]}" = "BusyBox v$v "* ]]
		run "$(O)/v$v/smoke/linux-amd64/busybox" sh -c 'echo hi | sed s/hi/ok/'
		[ "$output" = ok ]
		[ "$(wc -l <"$(O)/v$v/smoke/linux-amd64/busybox.links")" -eq 12 ]
	done
}

# the rows "| NAME | NUMBER |" of the README table that follows the line
# starting with HEAD, as "NAME NUMBER LINE"
readme_table() { # HEAD
	awk -v head="$1" 'index($0, head) == 1 { on = 1; next }
		on == 0 { next }
		/^\|/ { seen = 1; split($0, f, "|"); gsub(/ /, "", f[2]); gsub(/ /, "", f[3])
			if (f[3] ~ /^[0-9]+$/) print f[2], f[3], FNR; next }
		seen { exit }' "$TOP/README.md"
}

@test "a default make with no variables (but OUT) builds debug-shell for the three default platforms, the sizes the README states" {
	o="$BATS_TEST_TMPDIR/out"
	mk OUT="$o"
	[ "$status" -eq 0 ]
	for p in linux/amd64 linux/arm64 linux/arm/v7; do
		s=$("$BBKIT" platforms --field slug "$p")
		for f in busybox busybox.config busybox.links manifest.json rootfs.tar size.txt size.json; do
			[ -s "$o/debug-shell/$s/$f" ] || { echo "missing $s/$f"; false; }
		done
		# one progress line per platform as its outputs are put in place
		# (built here, or by an earlier test into the same build dir's stage)
		has_line "bbkit: publish: $o/debug-shell/$s: published"
	done
	"$o/debug-shell/linux-amd64/busybox" sh -c 'ls / >/dev/null && awk "BEGIN { exit 0 }"'
	# the README's links, the same on every platform
	n=$(readme_table "Links per profile" | awk '$1 == "debug-shell" { print $2 }')
	[ "$n" -eq 106 ]
	for s in linux-amd64 linux-arm64 linux-arm-v7; do
		[ "$(wc -l <"$o/debug-shell/$s/busybox.links")" -eq "$n" ] || { echo "$s: not $n links"; return 1; }
	done
	# the README's size table: every platform of this build, and no other
	readme_table "Stripped size in bytes of the default build" >"$BATS_TEST_TMPDIR/sizes"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/sizes")" -eq 3 ]
	while read -r p n l; do
		s=$("$BBKIT" platforms --field slug "$p")
		[ "$n" -eq "$(stat -c %s "$o/debug-shell/$s/busybox")" ] ||
			{ echo "README.md:$l: $p: $n bytes; the build has $(stat -c %s "$o/debug-shell/$s/busybox")"; return 1; }
	done <"$BATS_TEST_TMPDIR/sizes"
}

@test "the README's links per profile are what make config gives, for every profile" {
	o="$BATS_TEST_TMPDIR/out"
	readme_table "Links per profile" >"$BATS_TEST_TMPDIR/links"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/links")" -eq "$(ls "$TOP"/applet-lists/*.list | wc -l)" ]
	while read -r prof n l; do
		mk QUIET=1 PROFILE="$prof" PLATFORMS=linux/amd64 OUT="$o" config
		[ "$status" -eq 0 ] || { printf '%s\n' "$output" | tail -5; return 1; }
		m=$(wc -l <"$o/$prof/config/linux-amd64/busybox.links")
		[ "$n" -eq "$m" ] || { echo "README.md:$l: $prof: $n links; make config gives $m"; return 1; }
	done <"$BATS_TEST_TMPDIR/links"
}

@test "every number the README states outside its code is a row of the links or sizes table variables.bats checks, or a constant named here (no other number to go stale)" {
	# the rows of the two tables the tests above check against builds
	tab=$( (readme_table "Links per profile"; readme_table "Stripped size in bytes of the default build") | awk '{ print $2 }')
	[ "$(wc -w <<<"$tab")" -eq 6 ]
	# not sizes or counts of a build: exit codes, SOURCE_DATE_EPOCH's default,
	# bounds and dates, the setuid mode, JOBS' range, FUZZ_SECONDS, OCI 1.1
	const="0 1 2 3 00 01 12 59 1.1 600 1024 2000 4755 9999 946684800 253402300799"
	# the debug-shell's history length, which its list sets
	grep -qx 'FEATURE_EDITING_HISTORY=1000' "$TOP/applet-lists/debug-shell.list"
	const="$const 1000"
	awk '/^```/ { c = !c; next } !c { print FNR ": " $0 }' "$TOP/README.md" >"$BATS_TEST_TMPDIR/prose"
	while IFS= read -r l; do
		# numbers as words: not the 64 of amd64, nor the parts of a date
		for n in $(grep -oP '(?<![\w./-])\d+(\.\d+)*(?!\w)' <<<"${l#*: }"); do
			case " $const $(echo $tab) " in *" $n "*) continue ;; esac
			echo "README.md:${l%%:*}: $n is neither in a checked table nor a known constant"
			return 1
		done
	done <"$BATS_TEST_TMPDIR/prose"
}

@test "two makes of one profile and OUT at once both succeed; a busy build dir is waited for, saying so" {
	l="$BATS_TEST_TMPDIR/twice.list"
	cp "$TOP/tests/lists/smoke.list" "$l"
	rm -rf "$B/bb/$V/twice"
	o="$BATS_TEST_TMPDIR/o"
	for i in 1 2; do
		(make -C "$TOP" --no-print-directory LIST="$l" PLATFORMS=linux/amd64 OUT="$o" >"$BATS_TEST_TMPDIR/m$i.log" 2>&1
		echo $? >"$BATS_TEST_TMPDIR/rc$i") &
	done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR/rc1")" = 0 ] || { tail -20 "$BATS_TEST_TMPDIR/m1.log"; false; }
	[ "$(cat "$BATS_TEST_TMPDIR/rc2")" = 0 ] || { tail -20 "$BATS_TEST_TMPDIR/m2.log"; false; }
	"$o/twice/linux-amd64/busybox" echo ok
	[ "$(wc -l <"$o/twice/linux-amd64/busybox.links")" -eq 12 ]
	# the lock held by someone else: one line, then the build goes on
	bd="$B/bb/$V/twice/linux-amd64"
	flock "$bd.lock" sleep 2 &
	sleep 0.5
	run "$BBKIT" build linux/amd64 --src "$BBKIT_SRC" --builddir "$bd" --out "$BATS_TEST_TMPDIR/bb"
	[ "$status" -eq 0 ]
	has_line "bbkit: build: linux/amd64: another bbkit is working in $bd; waiting for it"
	wait
}

@test "make config: config, links and manifest for every platform without compiling; a bad list fails alike" {
	o="$BATS_TEST_TMPDIR/o"
	l="$BATS_TEST_TMPDIR/cfgonly.list"
	printf 'include %s\ncal\n' "$TOP/tests/lists/smoke.list" >"$l"
	rm -rf "$B/bb/$V/cfgonly"
	mk QUIET=1 LIST="$l" PLATFORMS="linux/amd64 linux/arm64 linux/s390x" OUT="$o" config
	[ "$status" -eq 0 ]
	for s in linux-amd64 linux-arm64 linux-s390x; do
		# apart from a build's outputs: never beside an older binary
		[ "$(ls -A "$o/cfgonly/config/$s" | tr '\n' ' ')" = "busybox.config busybox.links manifest.json " ]
		grep -qx /usr/bin/cal "$o/cfgonly/config/$s/busybox.links"
		cmp "$o/cfgonly/config/$s/busybox.config" "$B/bb/$V/cfgonly/$s/.config"
		# nothing was compiled there
		[ ! -e "$B/bb/$V/cfgonly/$s/build.log" ]
	done
	# the same manifest a build writes
	mk QUIET=1 LIST="$l" PLATFORMS=linux/amd64 OUT="$o"
	[ "$status" -eq 0 ]
	"$o/cfgonly/linux-amd64/busybox" --list-full | sed 's,^,/,' | sort >"$BATS_TEST_TMPDIR/bin"
	sort "$o/cfgonly/config/linux-amd64/busybox.links" | cmp - "$BATS_TEST_TMPDIR/bin"
	l=$(printf 'ls\nlss\n' | list bad)
	mk QUIET=1 LIST="$l" PLATFORMS=linux/amd64 OUT="$o" config
	[ "$status" -ne 0 ]
	is_line "bbkit: resolve: $l:2: lss: unknown applet in busybox $V; closest: ls, less, ln"
	[ ! -e "$o/bad" ]
}

@test "make config after switching BUSYBOX_VERSION there and back gives the version asked for" {
	o="$BATS_TEST_TMPDIR/o"
	for v in 1.37.0 "$V" 1.37.0; do
		mk QUIET=1 BUSYBOX_VERSION="$v" LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o" config
		[ "$status" -eq 0 ]
		grep -qx "# Busybox version: $v" "$o/smoke/config/linux-amd64/busybox.config"
		run jq -r .busybox_version "$o/smoke/config/linux-amd64/manifest.json"
		[ "$output" = "$v" ]
	done
}

@test "make list CONFIG=FILE prints the shortest list; it resolves back to the same config, far shorter" {
	d="$BATS_TEST_TMPDIR/dc"
	cp -a "$TEST_BD" "$d"
	make -s -C "$BBKIT_SRC" O="$d" ARCH=x86_64 HOSTCC=gcc KCONFIG_NOTIMESTAMP=1 defconfig >/dev/null 2>&1
	for features in minimal defaults; do
		for c in "$TOP"/configs/*-"$V".config "$d/.config"; do
			run make -s -C "$TOP" --no-print-directory QUIET=1 FEATURES=$features PLATFORMS=linux/amd64 list CONFIG="$c"
			[ "$status" -eq 0 ] || { echo "$c: $output"; false; }
			printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/short.list"
			[ "${lines[0]}" = "# the shortest list for $c (busybox $V): make LIST=this-file" ]
			# both through the resolver as make runs it, under the same policy
			i=0
			for x in "$c" "$BATS_TEST_TMPDIR/short.list"; do
				i=$((i + 1))
				run "$BBKIT" resolve -q --features $features --src "$BBKIT_SRC" --builddir "$TEST_BD" \
					--out "$BATS_TEST_TMPDIR/$i.resolved" "$TOP/applet-lists/toolchain/musl.list" "$x"
				[ "$status" -eq 0 ]
			done
			cmp "$BATS_TEST_TMPDIR/1.resolved" "$BATS_TEST_TMPDIR/2.resolved"
			n=$(grep -vc -e '^#' -e '^$' "$BATS_TEST_TMPDIR/short.list")
			[ "$n" -lt $(($(wc -l <"$c") * 3 / 4)) ] || { echo "$c: $n lines"; false; }
		done
	done
	run make -s -C "$TOP" --no-print-directory list
	[ "$status" -ne 0 ]
	is_line "bbkit: make: list: needs CONFIG=FILE, a busybox .config to turn into a list"
}

@test "an unpinned version through make: BUSYBOX_VERSION, BUSYBOX_SHA256 and a tarball build end to end" {
	# a pinned tree repacked as 1.38.1: its Makefile and top directory say so
	t="$BATS_TEST_TMPDIR/t"
	mkdir -p "$t"
	tar -xjf "$CACHE/dl/busybox_$V.orig.tar.bz2" -C "$t"
	mv "$t/busybox-$V" "$t/busybox-1.38.1"
	sed -i 's/^SUBLEVEL = .*/SUBLEVEL = 1/' "$t/busybox-1.38.1/Makefile"
	tar -cjf "$BATS_TEST_TMPDIR/busybox-1.38.1.tar.bz2" -C "$t" busybox-1.38.1
	sum=$(sha256sum <"$BATS_TEST_TMPDIR/busybox-1.38.1.tar.bz2" | cut -d' ' -f1)
	o="$BATS_TEST_TMPDIR/o"
	# without the sum: the variable to set is named
	mk QUIET=1 BUSYBOX_VERSION=1.38.1 BUSYBOX_TARBALL="$BATS_TEST_TMPDIR/busybox-1.38.1.tar.bz2" \
		LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o"
	[ "$status" -ne 0 ]
	has_line "busybox 1.38.1: no pinned sha256 for this version (pinned: 1.35.0, 1.37.0, 1.38.0); pass --sha256 HEX (make: BUSYBOX_SHA256=HEX)"
	mk QUIET=1 BUSYBOX_VERSION=1.38.1 BUSYBOX_SHA256="$sum" BUSYBOX_TARBALL="$BATS_TEST_TMPDIR/busybox-1.38.1.tar.bz2" \
		LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o"
	[ "$status" -eq 0 ] || { echo "$output" | tail -20; false; }
	run "$o/smoke/linux-amd64/busybox"
	[[ "${lines[0]}" = "BusyBox v1.38.1 "* ]]
	# the version's resolver, the one make ran (beside BBKIT_BIN)
	[ -x "$(dirname "${BBKIT_BIN:-$B/bbkit}")/bbkit-1.38.1" ]
	# a sum that contradicts a pin is refused
	mk QUIET=1 BUSYBOX_VERSION=$V BUSYBOX_SHA256="$sum" LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o"
	[ "$status" -ne 0 ]
	has_line "bbkit: fetch: --sha256 $sum (make: BUSYBOX_SHA256) contradicts the pinned sha256 "
	mk -n BUSYBOX_SHA256='abc;id'
	[ "$status" -eq 2 ]
	has_line "*** bbkit: make: BUSYBOX_SHA256=abc;id: 64 lowercase hex digits.  Stop."
}

@test "the banner carries the date of SOURCE_DATE_EPOCH, in UTC whatever TZ" {
	mk QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	run "$(O)/smoke/linux-amd64/busybox"
	[ "${lines[0]}" = "BusyBox v$V (2000-01-01 00:00:00 GMT) multi-call binary." ]
	o="$BATS_TEST_TMPDIR/o"
	run env TZ=Asia/Tokyo make -C "$TOP" --no-print-directory QUIET=1 SOURCE_DATE_EPOCH=1700000000 \
		LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$o"
	[ "$status" -eq 0 ]
	run "$o/smoke/linux-amd64/busybox"
	[ "${lines[0]}" = "BusyBox v$V (2023-11-14 22:13:20 GMT) multi-call binary." ]
}

@test "the banner keeps its date when busybox's kbuild runs its own silentoldconfig (a .config newer than autoconf.h)" {
	# as after a source tree extracted again (new times) or a .config saved
	# again: kbuild rewrites autoconf.h itself, without the date
	mk QUIET=1 LIST=tests/lists/smoke.list PLATFORMS=linux/amd64 OUT="$(O)"
	[ "$status" -eq 0 ]
	d="$BATS_TEST_TMPDIR/bd"
	cp -a "$B/bb/$V/smoke/linux-amd64" "$d"
	touch "$d/.config"
	run env SOURCE_DATE_EPOCH=946684800 "$BBKIT" build -q linux/amd64 --src "$BBKIT_SRC" --builddir "$d" \
		--out "$BATS_TEST_TMPDIR/busybox"
	[ "$status" -eq 0 ]
	grep -qx '#define AUTOCONF_TIMESTAMP "2000-01-01 00:00:00 GMT"' "$d/include/autoconf.h"
	run "$BATS_TEST_TMPDIR/busybox"
	[ "${lines[0]}" = "BusyBox v$V (2000-01-01 00:00:00 GMT) multi-call binary." ]
	cmp "$BATS_TEST_TMPDIR/busybox" "$(O)/smoke/linux-amd64/busybox"
}
