#!/usr/bin/env bats
# bbkit resolve on the real busybox tree: every reason a request cannot be
# honoured, with the exact message; values landing; upstream agreement.
load helpers

@test "unknown applet: closest names, exit 1, nothing written" {
	echo previous >"$BATS_TEST_TMPDIR/out.config"
	l=$(printf 'ls\nlss\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:2: lss: unknown applet in busybox $V; closest: ls, less, ln"
	is_line "bbkit: resolve: 1 request cannot be honoured on busybox $V; $BATS_TEST_TMPDIR/out.config was not written"
	[ "$(cat "$BATS_TEST_TMPDIR/out.config")" = previous ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep -v -e '^out.config$' -e '^t.list$')" ]
}

@test "unknown symbol: closest symbol" {
	l=$(printf 'ls\nFEATURE_LS_COLOUR\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:2: FEATURE_LS_COLOUR: unknown config symbol in busybox $V; closest: FEATURE_LS_COLOR"
}

@test "a symbol another busybox version has says so" {
	c="$BATS_TEST_TMPDIR/c"
	mkdir -p "$c/names"
	# a names file as the 1.35.0 resolver writes it into its cache
	printf 'S FEATURE_OLD_THING\nA oldapplet\n' >"$c/names/busybox-1.35.0.names"
	l=$(printf 'FEATURE_OLD_THING\noldapplet\n' | list)
	run "$BBKIT" resolve -q --cache "$c" --src "$BBKIT_SRC" --builddir "$TEST_BD" \
		--out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:1: FEATURE_OLD_THING: unknown config symbol in busybox $V (busybox 1.35.0 has it: removed or renamed after it); no similar name (busybox's Config.in files and include/applets.h list them)"
	is_line "bbkit: resolve: $l:2: oldapplet: unknown applet in busybox $V (busybox 1.35.0 has it: removed or renamed after it); no similar name (busybox's Config.in files and include/applets.h list them)"
	grep -qx 'S FEATURE_LS_COLOR' "$c/names/busybox-$V.names"
}

@test "a symbol only a newer pinned busybox has names that version; a suggestion is a close name of the same kind" {
	# this version's names in the cache (any resolve on it saves them)
	resolve "$TOP/applet-lists/minimal.list"
	[ -s "$CACHE/names/busybox-$V.names" ]
	l=$(printf 'FEATURE_PATH_TRAVERSAL_PROTECTION\nASH_SLEEP\nLSS\n' | list)
	run make -C "$TOP" --no-print-directory QUIET=1 BUSYBOX_VERSION=1.37.0 LIST="$l" PLATFORMS=linux/amd64 \
		OUT="$BATS_TEST_TMPDIR/o" config
	[ "$status" -ne 0 ]
	is_line "bbkit: resolve: $l:1: FEATURE_PATH_TRAVERSAL_PROTECTION: unknown config symbol in busybox 1.37.0 (new in busybox 1.38.0: use BUSYBOX_VERSION=1.38.0); no similar name (busybox's Config.in files and include/applets.h list them)"
	# ASH_SLEEP (commented out upstream) is no typo of ASH_HELP; LSS (a
	# symbol) is not offered the applet ls
	has_line "$l:2: ASH_SLEEP: unknown config symbol"
	run -1 grep -c "ASH_HELP\|closest: ls" <<<"$output"
}

@test "int given y, bare int, out of range: type, range, default, how to write" {
	l=$(printf 'FEATURE_EDITING\nFEATURE_EDITING_HISTORY=y\nFEATURE_EDITING_HISTORY\nFEATURE_EDITING_HISTORY=99999\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:2: FEATURE_EDITING_HISTORY=y: not a bool: FEATURE_EDITING_HISTORY is an integer (default 200, range 0..2000); write FEATURE_EDITING_HISTORY=<number>"
	is_line "bbkit: resolve: $l:3: FEATURE_EDITING_HISTORY: no value given: FEATURE_EDITING_HISTORY is an integer (default 200, range 0..2000); write FEATURE_EDITING_HISTORY=<number>"
	is_line "bbkit: resolve: $l:4: FEATURE_EDITING_HISTORY=99999: out of range: FEATURE_EDITING_HISTORY is an integer (default 200, range 0..2000); write FEATURE_EDITING_HISTORY=<number>"
	has_line "3 requests cannot be honoured"
}

@test "malformed int and unquoted string values (busybox has no hex symbol to try)" {
	l=$(printf 'ls\nCONFIG_FEATURE_COPYBUF_KB=12x\nBUSYBOX_EXEC_PATH=/proc/self/exe\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:2: CONFIG_FEATURE_COPYBUF_KB=12x: malformed value: FEATURE_COPYBUF_KB is an integer (default 4, range 1..1024); write FEATURE_COPYBUF_KB=<number>"
	is_line "bbkit: resolve: $l:3: BUSYBOX_EXEC_PATH=/proc/self/exe: BUSYBOX_EXEC_PATH is a string; write BUSYBOX_EXEC_PATH=\"/proc/self/exe\""
}

@test "unmet dependency: the expression, each value and the line that set it" {
	l=$(printf 'DESKTOP\nps\nFEATURE_PS_WIDE\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:3: FEATURE_PS_WIDE: unmet dependency: FEATURE_PS_WIDE depends on (PS || MINIPS) && !DESKTOP; values: PS=y ($l:2: ps), MINIPS=n (not in the list), DESKTOP=y ($l:1: DESKTOP)"
}

@test "two lines disagreeing about a symbol name both lines" {
	l=$(printf 'ls\nDESKTOP\n!DESKTOP\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:3: !DESKTOP: contradicts $l:2 (DESKTOP) about DESKTOP"
}

@test "choice conflict: sh as both ash and hush" {
	l=$(printf 'SH_IS_ASH\nSH_IS_HUSH\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:2: SH_IS_HUSH: conflicts with $l:1 (SH_IS_ASH): SH_IS_ASH and SH_IS_HUSH are alternatives of one choice (\"Choose which shell is aliased to 'sh' name\"); keep one"
}

@test "every problem is listed, in list order, not just the first" {
	l=$(printf 'lss\nls\nFEATURE_EDITING_HISTORY=y\nNOPE_NOT_A_SYMBOL\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$output" | grep -c "^bbkit: resolve: $l:")" -eq 3 ]
	printf '%s\n' "$output" | grep "^bbkit: resolve: $l:" | head -1 | grep -q ":1: lss"
}

@test "include cycle is an error naming the cycle" {
	printf 'ls\ninclude b.list\n' >"$BATS_TEST_TMPDIR/a.list"
	printf 'echo\ninclude a.list\n' >"$BATS_TEST_TMPDIR/b.list"
	resolve "$BATS_TEST_TMPDIR/a.list"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $BATS_TEST_TMPDIR/b.list:2: include a.list: include cycle: $BATS_TEST_TMPDIR/a.list -> $BATS_TEST_TMPDIR/b.list -> $BATS_TEST_TMPDIR/a.list; remove one of these includes"
}

@test "sh selects ash, or hush when the list picks hush" {
	l=$(printf 'sh\n' | list)
	resolve "$l"
	[ "$status" -eq 0 ]
	config_has CONFIG_SH_IS_ASH=y
	l=$(printf 'sh\nhush\n' | list h)
	resolve "$l"
	[ "$status" -eq 0 ]
	config_has CONFIG_SH_IS_HUSH=y
	config_has CONFIG_HUSH=y
}

@test "int, hex and string values land; !SYM wins over a default" {
	l=$(printf 'ls\n!FEATURE_LS_COLOR\nFEATURE_EDITING_HISTORY=321\nFEATURE_COPYBUF_KB=16\nBUSYBOX_EXEC_PATH="/bin/busybox"\nhttpd\nFEATURE_HTTPD_PORT_DEFAULT=8080\n' | list)
	run "$BBKIT" resolve -q --features defaults --src "$BBKIT_SRC" --builddir "$TEST_BD" \
		--out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 0 ]
	config_has CONFIG_FEATURE_EDITING_HISTORY=321
	config_has CONFIG_FEATURE_COPYBUF_KB=16
	config_has 'CONFIG_BUSYBOX_EXEC_PATH="/bin/busybox"'
	config_has CONFIG_FEATURE_HTTPD_PORT_DEFAULT=8080
	config_has '# CONFIG_FEATURE_LS_COLOR is not set'
	# with defaults, an unlisted ls feature that defaults to y is on
	config_has CONFIG_FEATURE_LS_FILETYPES=y
}

@test "minimal policy keeps unlisted features off" {
	l=$(printf 'ls\n' | list)
	resolve "$l"
	[ "$status" -eq 0 ]
	config_has CONFIG_LS=y
	config_has '# CONFIG_FEATURE_LS_FILETYPES is not set'
	config_has '# CONFIG_FEATURE_LS_COLOR is not set'
}

@test "awkward applet names map through the applet table and match busybox.links" {
	l=$(printf '[\n[[\nrun-parts\nstart-stop-daemon\nmkfs.ext2\nipaddr\nenv\nsh\n' | list)
	resolve "$l"
	[ "$status" -eq 0 ]
	run "$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config"
	[ "$status" -eq 0 ]
	ours=$output
	theirs=$(upstream_links "$BATS_TEST_TMPDIR/out.config")
	[ "$ours" = "$theirs" ]
	[ "$(printf '%s\n' "$ours" | sort | tr '\n' ' ')" = "/bin/run-parts /bin/sh /sbin/ipaddr /sbin/mkfs.ext2 /sbin/start-stop-daemon /usr/bin/[ /usr/bin/[[ /usr/bin/env " ]
}

@test "no applet comes on behind the list's back: a feature names the applet to add" {
	l=$(printf 'FEATURE_LS_COLOR\n' | list)
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:1: FEATURE_LS_COLOR: needs the applet ls (LS), which the input does not name; add 'ls' to the list"
	[ ! -e "$BATS_TEST_TMPDIR/out.config" ]
	# a dependency that is no applet is still turned on, with a note
	l=$(printf 'ls\nFEATURE_LS_SORTFILES\nFEATURE_LS_TIMESTAMPS\n' | list deps)
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 0 ]
	# sh names ash (the alias is ash's code); FEATURES=defaults brings no
	# applet either (READAHEAD defaults to y once LFS is on)
	l=$(printf 'LFS\nsh\ntest\n' | list sh)
	run "$BBKIT" resolve -q --features defaults --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 0 ]
	config_has CONFIG_SH_IS_ASH=y
	config_has "# CONFIG_READAHEAD is not set"
	config_has "# CONFIG_TEST1 is not set"
	run "$BBKIT" manifest --builddir "$TEST_BD" --config "$BATS_TEST_TMPDIR/out.config"
	[ "$(printf '%s\n' "$output" | sort | tr '\n' ' ')" = "/bin/sh /usr/bin/test " ]
}

@test "a whole .config: its own '# CONFIG_X is not set' lines, and values under a menu it turns off ignored" {
	l=$(printf 'ls\n# CONFIG_FEATURE_LS_COLOR is not set\n# just a comment\n#CONFIG_FEATURE_LS_WIDTH is not set\n' | list)
	run "$BBKIT" resolve --features defaults --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 0 ]
	# the exact form is an off switch that FEATURES=defaults does not undo;
	# any other comment is a comment (FEATURE_LS_WIDTH takes its default)
	config_has "# CONFIG_FEATURE_LS_COLOR is not set"
	config_has CONFIG_FEATURE_LS_WIDTH=y
	l=$(printf 'ls\n# CONFIG_HTTPD is not set\nCONFIG_FEATURE_HTTPD_PORT_DEFAULT=80\n# CONFIG_BEEP is not set\nCONFIG_FEATURE_BEEP_FREQ=0\n' | list left)
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 0 ]
	is_line "bbkit: resolve: note: 2 values ignored, as busybox's oldconfig ignores them: the input turns their symbols' dependencies off: CONFIG_FEATURE_HTTPD_PORT_DEFAULT=80, CONFIG_FEATURE_BEEP_FREQ=0"
	config_has "# CONFIG_HTTPD is not set"
	config_has "# CONFIG_BEEP is not set"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --explain FEATURE_BEEP_FREQ "$l"
	is_line "  ignored: $l:5: CONFIG_FEATURE_BEEP_FREQ=0 (the input turns its dependency off; busybox's oldconfig ignores such a value too)"
	# a value under a menu the input does not turn off is still an error:
	# here, that the applet is missing
	l=$(printf 'ls\nCONFIG_FEATURE_BEEP_FREQ=0\n' | list right)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:2: CONFIG_FEATURE_BEEP_FREQ=0: needs the applet beep (BEEP), which the input does not name; add 'beep' to the list"
}

@test "round trip: every committed config and busybox's defconfig and allyesconfig, resolved as lists, give themselves back" {
	for v in 1.35.0 1.37.0 1.38.0; do
		make -s -C "$TOP" --no-print-directory QUIET=1 BUSYBOX_VERSION=$v PROFILE=_lock PLATFORMS=linux/amd64 prepare resolver >/dev/null
		bd="$B/bb/$v/_lock/linux-amd64"
		# the committed configs and every config the tests' builds wrote
		for c in "$TOP"/configs/*-$v.config $(ls "$B"/test-out/*/linux-amd64/busybox.config 2>/dev/null | grep -v "^$B/test-out/v"); do
			[ "$v" = "$V" ] || [[ "$c" = "$TOP"/configs/* ]] || continue
			run "$B/bbkit-$v" resolve -q --src "$CACHE/src/busybox-$v" --builddir "$bd" --out "$BATS_TEST_TMPDIR/rt.config" "$c"
			[ "$status" -eq 0 ] || { echo "$c: $output"; false; }
			cmp "$c" "$BATS_TEST_TMPDIR/rt.config"
		done
	done
	for target in defconfig allyesconfig; do
		d="$BATS_TEST_TMPDIR/$target"
		cp -a "$TEST_BD" "$d"
		make -s -C "$BBKIT_SRC" O="$d" ARCH=x86_64 HOSTCC=gcc KCONFIG_NOTIMESTAMP=1 "$target" >/dev/null 2>&1
		resolve "$d/.config"
		[ "$status" -eq 0 ] || { echo "$output"; false; }
		cmp "$d/.config" "$BATS_TEST_TMPDIR/out.config"
	done
}

@test "rerun with an unchanged list leaves the .config and its mtime alone" {
	l=$(printf 'ls\necho\n' | list)
	resolve "$l"
	[ "$status" -eq 0 ]
	touch -d '2001-01-01' "$BATS_TEST_TMPDIR/out.config"
	before=$(stat -c %Y "$BATS_TEST_TMPDIR/out.config")
	resolve "$l"
	[ "$status" -eq 0 ]
	[ "$(stat -c %Y "$BATS_TEST_TMPDIR/out.config")" = "$before" ]
}

@test "into a build dir: autoconf.h and .kconfig.d as busybox's silentoldconfig writes them, not older than .config" {
	d="$BATS_TEST_TMPDIR/bd"
	cp -a "$TEST_BD" "$d"
	l=$(printf 'ls\nFEATURE_EDITING_HISTORY=300\nsh\n' | list)
	run "$BBKIT" resolve -q --cache "$CACHE" --src "$BBKIT_SRC" --builddir "$d" "$l"
	[ "$status" -eq 0 ]
	# kbuild runs silentoldconfig only when .config or .kconfig.d is newer
	[ ! "$d/.config" -nt "$d/include/autoconf.h" ]
	[ ! "$d/.kconfig.d" -nt "$d/include/autoconf.h" ]
	grep -qx '#define CONFIG_FEATURE_EDITING_HISTORY 300' "$d/include/autoconf.h"
	cp "$d/include/autoconf.h" "$BATS_TEST_TMPDIR/autoconf.h"
	cp "$d/.kconfig.d" "$BATS_TEST_TMPDIR/kconfig.d"
	cp "$d/.config" "$BATS_TEST_TMPDIR/config"
	[ -z "$(ls -A "$d" | grep bbkit-resolve)" ]
	# busybox's own silentoldconfig writes them anew: bbkit's are gone first,
	# so the comparison is with busybox's and never bbkit's with itself
	rm "$d/include/autoconf.h" "$d/.kconfig.d"
	touch "$d/.config"
	make -s -C "$BBKIT_SRC" O="$d" ARCH=x86_64 HOSTCC=gcc KCONFIG_NOTIMESTAMP=1 silentoldconfig >/dev/null 2>&1
	# all of it but the banner's date, which bbkit writes from
	# SOURCE_DATE_EPOCH in UTC (busybox writes it only with a time stamp in
	# .config too, and then in the local zone: ctime() reuses gmtime's tm)
	diff <(grep -v '^#define AUTOCONF_TIMESTAMP ' "$d/include/autoconf.h") \
		<(grep -v '^#define AUTOCONF_TIMESTAMP ' "$BATS_TEST_TMPDIR/autoconf.h")
	grep -qx '#define AUTOCONF_TIMESTAMP ""' "$d/include/autoconf.h"
	grep -qx "#define AUTOCONF_TIMESTAMP \"$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S') GMT\"" "$BATS_TEST_TMPDIR/autoconf.h"
	cmp "$d/.kconfig.d" "$BATS_TEST_TMPDIR/kconfig.d"
	cmp "$d/.config" "$BATS_TEST_TMPDIR/config"
}

@test "--explain says which line, dependency and default" {
	l=$(printf 'DESKTOP\nps\n' | list)
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --explain FEATURE_PS_WIDE "$l"
	[ "$status" -eq 0 ]
	has_line "FEATURE_PS_WIDE=n (boolean)"
	has_line "depends on: (PS || MINIPS) && !DESKTOP = n; PS=y ($l:2: ps), MINIPS=n (not in the list), DESKTOP=y ($l:1: DESKTOP)"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --explain ps "$l"
	has_line "requested: $l:2: ps"
}

@test "symbols that defconfig has: INCLUDE_SUSv2 (lower case) resolves; hidden SHELL_ASH names what selects it" {
	resolve "$(printf 'INCLUDE_SUSv2\n' | list susv2)"
	[ "$status" -eq 0 ]
	config_has "CONFIG_INCLUDE_SUSv2=y"
	l=$(printf 'SHELL_ASH\n' | list hidden)
	resolve "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:1: SHELL_ASH: SHELL_ASH cannot be set by hand (it has no prompt); it is on when selected by: ASH && !NOMMU || SH_IS_ASH && <choice> && !NOMMU || BASH_IS_ASH && <choice> && !NOMMU; values: ASH=n (not in the list), NOMMU=n (not in the list), SH_IS_ASH=n (not in the list), BASH_IS_ASH=n (not in the list)"
	resolve "$(printf 'ash\nSHELL_ASH\n' | list hidden-ok)"
	[ "$status" -eq 0 ]
	config_has "CONFIG_SHELL_ASH=y"
}

@test "reason: a symbol something selects cannot be off, with the selecting expression and values" {
	l=$(printf 'mount\nFEATURE_MTAB_SUPPORT\n!FEATURE_MOUNT_FAKE\n' | list)
	resolve "$l"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "bbkit: resolve: $l:3: !FEATURE_MOUNT_FAKE: FEATURE_MOUNT_FAKE cannot be off: it is selected by FEATURE_MTAB_SUPPORT && (MOUNT || UMOUNT); values: FEATURE_MTAB_SUPPORT=y ($l:2: FEATURE_MTAB_SUPPORT), MOUNT=y ($l:1: mount), UMOUNT=n (not in the list)" ]
}

@test "reason: an applet whose table entry has a condition the list leaves off" {
	# no 1.38.0 entry has such a condition beyond its own symbol (busybox's
	# own is special), so the applet table of a copy of the build dir gets one
	d="$BATS_TEST_TMPDIR/bd"
	cp -a "$TEST_BD" "$d"
	sed -i 's/^IF_CAL(APPLET_NOEXEC(cal, cal, BB_DIR_USR_BIN, BB_SUID_DROP, cal))$/IF_CAL(IF_FEATURE_EDITING(APPLET_NOEXEC(cal, cal, BB_DIR_USR_BIN, BB_SUID_DROP, cal)))/' "$d/include/applets.h"
	grep -q 'IF_CAL(IF_FEATURE_EDITING(' "$d/include/applets.h"
	l=$(printf 'cal\n' | list)
	run "$BBKIT" resolve -q --src "$BBKIT_SRC" --builddir "$d" --out "$BATS_TEST_TMPDIR/out.config" "$l"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "bbkit: resolve: $l:1: cal: CAL is on, but the applet table also needs FEATURE_EDITING=n" ]
}

@test "oracle: Debian's deb, static and udeb configs, busybox's defconfig and allyesconfig, through make config = busybox's own oldconfig; make list round-trips them" {
	for v in 1.35.0 1.37.0 1.38.0; do
		run "$BBKIT" fetch -q --debian --version "$v"
		[ "$status" -eq 0 ]
		deb=$output
		[ -s "$deb/.bbkit-files" ]
		# busybox's own, made by busybox's conf (its make's recipe) in a
		# copy of a prepared dir
		make -s -C "$TOP" --no-print-directory QUIET=1 BUSYBOX_VERSION=$v PROFILE=_lock PLATFORMS=linux/amd64 prepare >/dev/null
		for t in defconfig allyesconfig; do
			rm -rf "$BATS_TEST_TMPDIR/$t"
			cp -a "$B/bb/$v/_lock/linux-amd64" "$BATS_TEST_TMPDIR/$t"
			f=-d
			[ "$t" = defconfig ] || f=-y
			sh "$TOP/scripts/busybox-conf.sh" "$CACHE/src/busybox-$v" "$v" "$BATS_TEST_TMPDIR/$t" $f >/dev/null 2>&1
			cp "$BATS_TEST_TMPDIR/$t/.config" "$BATS_TEST_TMPDIR/$t-$v"
		done
		for n in deb static udeb defconfig allyesconfig; do
			in="$deb/config/pkg/$n"
			[ -e "$in" ] || in="$BATS_TEST_TMPDIR/$n-$v"
			run bash -c "cd '$TOP' && B='$B' CACHE='$CACHE' bash scripts/oracle-config.sh $v '$in' $n"
			[ "$status" -eq 0 ] || { echo "$v $n: $output"; false; }
			[[ "$output" = *" symbols on; "* ]]
			# the shortest list for it gives the same config, far shorter:
			# under minimal every feature that is on needs its line
			c="$B/oracle/$v/$n/$n.config"
			for f in minimal:8 defaults:5; do
				run make -s -C "$TOP" --no-print-directory QUIET=1 BUSYBOX_VERSION=$v FEATURES=${f%:*} \
					PLATFORMS=linux/amd64 list CONFIG="$c"
				[ "$status" -eq 0 ] || { echo "$v $n $f: $output"; false; }
				printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/$n.list"
				lines=$(grep -vc -e '^#' -e '^$' "$BATS_TEST_TMPDIR/$n.list")
				[ "$lines" -lt $(($(wc -l <"$c") * ${f#*:} / 10)) ] || { echo "$v $n $f: $lines lines"; false; }
				i=0
				for x in "$c" "$BATS_TEST_TMPDIR/$n.list"; do
					i=$((i + 1))
					run "$B/bbkit-$v" resolve -q --features ${f%:*} --src "$CACHE/src/busybox-$v" \
						--builddir "$B/bb/$v/_lock/linux-amd64" --out "$BATS_TEST_TMPDIR/$i.resolved" \
						"$TOP/applet-lists/toolchain/musl.list" "$x"
					[ "$status" -eq 0 ]
				done
				cmp "$BATS_TEST_TMPDIR/1.resolved" "$BATS_TEST_TMPDIR/2.resolved"
			done
		done
	done
}

@test "a config of an older busybox: every symbol oldconfig would turn on is named, applets first; --strict refuses; make list says it" {
	run "$BBKIT" fetch -q --debian --version 1.35.0
	[ "$status" -eq 0 ]
	c="$BATS_TEST_TMPDIR/deb-1.35.0.config"
	# without the lines bbkit cannot honour (named by their own tests)
	grep -v -e PLATFORM_LINUX -e '^CONFIG_EXTRA_COMPAT=' -e '^CONFIG_FEATURE_VI_REGEX_SEARCH=' \
		-e FEATURE_DI_ENV_HACK "$output/config/pkg/deb" >"$c"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/out.config" \
		"$TOP/applet-lists/toolchain/musl.list" "$c"
	[ "$status" -eq 0 ]
	has_line "bbkit: resolve: note: 18 symbols differ from what busybox's oldconfig makes of $c (9 applets): applet GETFATTR=n (oldconfig: y; not named, so bbkit leaves it off), applet LSBLK=n (oldconfig: y; not named, so bbkit leaves it off),"
	has_line ", TIME64=n (oldconfig: y; not named, so bbkit leaves it off), USE_BB_CRYPT_YES=n (oldconfig: y; not named, so bbkit leaves it off); to get oldconfig's value add the line SYMBOL=value (an applet: its name) to the input or a fragment; STRICT=1 makes this an error"
	cp "$BATS_TEST_TMPDIR/out.config" "$BATS_TEST_TMPDIR/first.config"
	# adding what the note names gives oldconfig's result: no note
	printf 'getfattr\nlsblk\nseedrng\nsha384sum\nssl_server\ntree\ntsort\nuuidgen\nvmstat\n' >>"$c"
	printf 'CONFIG_%s=y\n' FEATURE_FDISK_BLKSIZE FEATURE_FIND_EXEC_OK FEATURE_IP_LINK_CAN FEATURE_UDHCPD_BOOTP \
		FEATURE_VERSION SHA1_HWACCEL SHA256_HWACCEL TIME64 USE_BB_CRYPT_YES >>"$c"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/out.config" \
		"$TOP/applet-lists/toolchain/musl.list" "$c"
	[ "$status" -eq 0 ]
	[ -z "$(printf '%s\n' "$output" | grep 'oldconfig makes of')" ]
	# strict: the difference is an error, nothing written
	c1="$BATS_TEST_TMPDIR/one.config"
	grep -vx tree "$c" >"$c1"
	run "$BBKIT" resolve --strict --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/strict.config" \
		"$TOP/applet-lists/toolchain/musl.list" "$c1"
	[ "$status" -eq 1 ]
	has_line "bbkit: resolve: $c1: 1 symbol differs from what busybox's oldconfig makes of $c1 (1 applet): applet TREE=n (oldconfig: y; not named, so bbkit leaves it off); STRICT=1 refuses any difference"
	[ ! -e "$BATS_TEST_TMPDIR/strict.config" ]
	# resolving it did not change what bbkit writes: the same as without the comparison
	run "$BBKIT" resolve -q --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$BATS_TEST_TMPDIR/plain.config" \
		"$TOP/applet-lists/toolchain/musl.list" "$c1"
	[ "$status" -eq 0 ]
	run -1 grep -qx CONFIG_TREE=y "$BATS_TEST_TMPDIR/plain.config"
	# make list: the difference as a comment above the list
	run "$BBKIT" resolve -q --print-list --src "$BBKIT_SRC" --builddir "$TEST_BD" \
		"$TOP/applet-lists/toolchain/musl.list" "$c1"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "# oldconfig: applet TREE=n here, y in busybox's oldconfig (not named, so bbkit leaves it off)" ]
}

@test "what the toolchain cannot build is refused at resolve, with the toolchain list's reason and the way out" {
	l=$(printf 'sh\nSELINUX\nPAM\nWERROR\ninetd\nFEATURE_INETD_RPC\nmount\nFEATURE_MOUNT_NFS\nFEATURE_SHARED_BUSYBOX\n' | list tc)
	resolve "$TOP/applet-lists/toolchain/musl.list" "$l"
	[ "$status" -eq 1 ]
	is_line "bbkit: resolve: $l:2: SELINUX: contradicts $TOP/applet-lists/toolchain/musl.list:7 (!SELINUX) about SELINUX: needs libselinux, which the static musl sysroot has not: the build would fail; the toolchain cannot have it: drop the line"
	has_line "$l:3: PAM: contradicts $TOP/applet-lists/toolchain/musl.list:8 (!PAM) about PAM: needs libpam"
	has_line "$l:4: WERROR: contradicts"
	has_line "$l:6: FEATURE_INETD_RPC: contradicts"
	has_line "$l:8: FEATURE_MOUNT_NFS: contradicts"
	has_line "$l:9: FEATURE_SHARED_BUSYBOX: contradicts"
	[ ! -e "$BATS_TEST_TMPDIR/out.config" ]
}

@test "busybox 1.37.0's SHA1_HWACCEL, which does not compile off x86, is refused for arm64 only, before any compile" {
	l=$(printf 'sha1sum\nSHA1_HWACCEL\n' | list sha)
	run make -C "$TOP" --no-print-directory QUIET=1 BUSYBOX_VERSION=1.37.0 LIST="$l" PLATFORMS="linux/amd64 linux/arm64" \
		OUT="$BATS_TEST_TMPDIR/o" config
	[ "$status" -ne 0 ]
	is_line "bbkit: resolve: $l:2: SHA1_HWACCEL: contradicts applet-lists/toolchain/busybox-1.37.0-non-x86.list:4 (!SHA1_HWACCEL) about SHA1_HWACCEL: 1.37.0 calls the x86-only sha1_process_block64_shaNI on every platform (undeclared off x86; fixed in 1.38.0): the build would fail; the toolchain cannot have it: drop the line"
	run make -C "$TOP" --no-print-directory QUIET=1 BUSYBOX_VERSION=1.37.0 LIST="$l" PLATFORMS=linux/amd64 \
		OUT="$BATS_TEST_TMPDIR/o" config
	[ "$status" -eq 0 ]
	grep -qx CONFIG_SHA1_HWACCEL=y "$BATS_TEST_TMPDIR/o/sha/config/linux-amd64/busybox.config"
}

@test "fragments merge as merge_config.sh does: a later line wins, each override named; the toolchain list is never overridden" {
	d="$BATS_TEST_TMPDIR"
	printf 'CONFIG_LS=y\nCONFIG_CAT=y\n# CONFIG_SEQ is not set\nCONFIG_ASH=y\nCONFIG_FEATURE_EDITING=y\nCONFIG_FEATURE_EDITING_HISTORY=15\n' >"$d/base.config"
	printf '# CONFIG_CAT is not set\nCONFIG_SEQ=y\nCONFIG_FEATURE_EDITING_HISTORY=99\n' >"$d/a.cfg"
	printf 'CONFIG_FEATURE_EDITING_HISTORY=50\n' >"$d/b.cfg"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$d/out.config" \
		--fragment "$d/a.cfg" --fragment "$d/b.cfg" "$TOP/applet-lists/toolchain/musl.list" "$d/base.config"
	[ "$status" -eq 0 ]
	is_line "bbkit: resolve: note: $d/a.cfg:1: # CONFIG_CAT is not set replaces $d/base.config:2: CONFIG_CAT=y (a later line wins, as merge_config.sh does)"
	is_line "bbkit: resolve: note: $d/b.cfg:1: CONFIG_FEATURE_EDITING_HISTORY=50 replaces $d/a.cfg:3: CONFIG_FEATURE_EDITING_HISTORY=99 (a later line wins, as merge_config.sh does)"
	grep -qx CONFIG_FEATURE_EDITING_HISTORY=50 "$d/out.config"
	grep -qx '# CONFIG_CAT is not set' "$d/out.config"
	grep -qx CONFIG_SEQ=y "$d/out.config"
	grep -qx CONFIG_LS=y "$d/out.config"
	# a partial config meets oldconfig's defaults: the note is capped
	has_line ", and "
	has_line " more (make list CONFIG= names them all)"
	# what the toolchain refuses stays an error from a fragment too
	printf 'CONFIG_EXTRA_COMPAT=y\n' >>"$d/b.cfg"
	run "$BBKIT" resolve -q --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$d/out2.config" \
		--fragment "$d/a.cfg" --fragment "$d/b.cfg" "$TOP/applet-lists/toolchain/musl.list" "$d/base.config"
	[ "$status" -eq 1 ]
	has_line "bbkit: resolve: $d/b.cfg:2: CONFIG_EXTRA_COMPAT=y: contradicts $TOP/applet-lists/toolchain/musl.list:5 (!EXTRA_COMPAT)"
	[ ! -e "$d/out2.config" ]
	# the same from a list's own 'fragment FILE' lines (relative to the list)
	sed -i '$d' "$d/b.cfg"
	printf 'include base.config\nfragment a.cfg\nfragment b.cfg\n' >"$d/top.list"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$d/out3.config" \
		"$TOP/applet-lists/toolchain/musl.list" "$d/top.list"
	[ "$status" -eq 0 ]
	is_line "bbkit: resolve: note: $d/b.cfg:1: CONFIG_FEATURE_EDITING_HISTORY=50 replaces $d/a.cfg:3: CONFIG_FEATURE_EDITING_HISTORY=99 (a later line wins, as merge_config.sh does)"
	cmp "$d/out.config" "$d/out3.config"
	# through make: FRAGMENTS= for make config and make list
	run make -C "$TOP" --no-print-directory QUIET=1 LIST="$d/base.config" FRAGMENTS="$d/a.cfg $d/b.cfg" \
		PLATFORMS=linux/amd64 OUT="$d/o" config
	[ "$status" -eq 0 ]
	grep -qx CONFIG_FEATURE_EDITING_HISTORY=50 "$d/o/base/config/linux-amd64/busybox.config"
	run make -C "$TOP" --no-print-directory QUIET=1 CONFIG="$d/base.config" FRAGMENTS="$d/a.cfg $d/b.cfg" \
		PLATFORMS=linux/amd64 list
	[ "$status" -eq 0 ]
	is_line seq
	is_line FEATURE_EDITING_HISTORY=50
	run -1 grep -qx cat <<<"$output"
}

@test "fragments: an applet's name and its CONFIG_ line are lines for one symbol, the later one wins" {
	d="$BATS_TEST_TMPDIR"
	printf 'CONFIG_LS=y\n# CONFIG_CAT is not set\nCONFIG_ASH=y\n' >"$d/base.config"
	printf 'cat\n' >"$d/on.cfg"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$d/on.config" \
		--fragment "$d/on.cfg" "$TOP/applet-lists/toolchain/musl.list" "$d/base.config"
	[ "$status" -eq 0 ]
	is_line "bbkit: resolve: note: $d/on.cfg:1: cat replaces $d/base.config:2: # CONFIG_CAT is not set (a later line wins, as merge_config.sh does)"
	grep -qx CONFIG_CAT=y "$d/on.config"
	printf 'ls\ncat\nsh\n' >"$d/base.list"
	printf '# CONFIG_LS is not set\n' >"$d/off.cfg"
	run "$BBKIT" resolve --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$d/off.config" \
		--fragment "$d/off.cfg" "$TOP/applet-lists/toolchain/musl.list" "$d/base.list"
	[ "$status" -eq 0 ]
	is_line "bbkit: resolve: note: $d/off.cfg:1: # CONFIG_LS is not set replaces $d/base.list:1: ls (a later line wins, as merge_config.sh does)"
	grep -qx '# CONFIG_LS is not set' "$d/off.config"
	grep -qx CONFIG_CAT=y "$d/off.config"
}

@test "a fragment of comments only merges as nothing (merge_config.sh takes it), a config line in it still counts" {
	d="$BATS_TEST_TMPDIR"
	printf 'CONFIG_LS=y\nCONFIG_ASH=y\n' >"$d/base.config"
	printf '# everything of this fragment is off for now\n#CONFIG_CAT=y\n' >"$d/empty.cfg"
	run "$BBKIT" resolve -q --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$d/with.config" \
		--fragment "$d/empty.cfg" "$TOP/applet-lists/toolchain/musl.list" "$d/base.config"
	[ "$status" -eq 0 ]
	run "$BBKIT" resolve -q --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$d/without.config" \
		"$TOP/applet-lists/toolchain/musl.list" "$d/base.config"
	[ "$status" -eq 0 ]
	cmp "$d/with.config" "$d/without.config"
	# an empty list as the input itself is still refused
	run "$BBKIT" resolve -q --src "$BBKIT_SRC" --builddir "$TEST_BD" --out "$d/x.config" \
		"$TOP/applet-lists/toolchain/musl.list" "$d/empty.cfg"
	[ "$status" -eq 1 ]
	has_line "bbkit: resolve: $d/empty.cfg: the list has no entries; add applet names or symbols"
}

@test "fetch --debian: Debian's packaging by its pin; refused for an unpinned version or with a tarball" {
	run "$BBKIT" fetch --debian --version 1.99.0
	[ "$status" -eq 2 ]
	has_line "bbkit: fetch: --debian: no pinned Debian packaging of busybox 1.99.0 (pinned: 1.35.0, 1.37.0, 1.38.0)"
	run "$BBKIT" fetch --debian --version "$V" --tarball x
	[ "$status" -eq 2 ]
	run "$BBKIT" fetch -q --debian --version "$V"
	[ "$status" -eq 0 ]
	head -1 "$output/changelog" | grep -q "^busybox (1:$V-"
}
