#!/usr/bin/env bats
# bbkit scan on real inputs nobody here wrote (busybox's own examples/ and
# its Debian udhcpc script; Debian's initramfs-tools and live-boot, pinned in
# tests/corpora/corpora.tsv, fetched into CACHE/corpus/ with a private apt
# configuration, skipped without network) and on hostile ones.
# Each list the scan prints must resolve as is; nothing scanned is executed.
load helpers

scan() {
	run "$BBKIT" scan --src "$BBKIT_SRC" "$@"
}

@test "simple.script: applets, ash builtins' symbols, file:line; the list resolves as is" {
	scan "$BBKIT_SRC/examples/udhcp/simple.script"
	[ "$status" -eq 0 ]
	has_line "ifconfig                     # $BBKIT_SRC/examples/udhcp/simple.script:24 ifconfig"
	has_line 'ASH_ECHO                     # '
	has_line 'ASH_TEST                     # '
	has_line 'route '
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/need.list"
	resolve "$BATS_TEST_TMPDIR/need.list"
	[ "$status" -eq 0 ]
	run "$BBKIT" scan --src "$BBKIT_SRC" --check "$BATS_TEST_TMPDIR/out.config" "$BBKIT_SRC/examples/udhcp/simple.script"
	[ "$status" -eq 0 ]
	[ "$output" = "bbkit: scan: $BATS_TEST_TMPDIR/out.config has all 15 applets and features 1 file(s) need" ]
}

@test "wrappers, functions, options to features, dynamic words, not busybox" {
	f=$BATS_TEST_TMPDIR/w.sh
	printf '%s\n' '#!/bin/sh' 'find . -name x -exec rm {} \; -print' 'tar -xzf a.tgz' 'ls --color=auto' \
		'date -D %s -d 1' 'timeout 5 nice -n 3 env A=1 busybox wget -q http://x' \
		'xargs -0 sh -c "mount -t tmpfs x /y"' 'start-stop-daemon -S -x /usr/sbin/crond -- -f' \
		'f() { tailscale up; }' 'f' '$cmd x' 'eval "reboot"' 'ls -y' >"$f"
	scan --explain "$f"
	[ "$status" -eq 0 ]
	has_line "FEATURE_FIND_EXEC            # $f:2 find -exec"
	has_line "FEATURE_SEAMLESS_GZ          # $f:3 tar -z"
	has_line "FEATURE_LS_COLOR             # $f:4 ls --color"
	has_line "FEATURE_DATE_ISOFMT          # $f:5 date -D"
	has_line "BUSYBOX                      # $f:6 busybox"
	has_line "wget "
	has_line "mount                        # $f:7 mount"
	has_line "crond                        # $f:8 crond"
	has_line "rm "
	has_line "# not busybox: tailscale ($f:9)"
	has_line "# cannot be known statically: \$cmd ($f:11)"
	has_line "# cannot be known statically: eval ($f:12)"
	has_line "# option not in busybox's help for the applet (check it): ls -y ($f:13)"
	[[ $output != *"reboot "* ]]
}

@test "date -d needs no feature in 1.38.0 (its //usage: has it outside IF_FEATURE_DATE_ISOFMT)" {
	printf 'date -d 1\n' >"$BATS_TEST_TMPDIR/d.sh"
	scan "$BATS_TEST_TMPDIR/d.sh"
	[ "$status" -eq 0 ]
	[[ $output != *FEATURE_DATE_ISOFMT* ]]
}

@test "ash syntax: \$((..)), bash-isms to the symbol ash.c's #defines name; arrays, braces reported unsupported" {
	f=$BATS_TEST_TMPDIR/sx.sh
	printf '%s\n' 'echo $((1+2))' 'echo ${a/b/c} "${a:1:2}"' "echo \$'x' >&2" 'function f { :; }' \
		'a=(1 2); echo {a,b} "{c,d}"' '((i++))' 'diff <(ls) <(ls -a)' 'cat <<< x' >"$f"
	scan --explain "$f"
	[ "$status" -eq 0 ]
	has_line "FEATURE_SH_MATH              # $f:1 \$((...)) arithmetic (ash)"
	has_line "ASH_BASH_COMPAT              # $f:2 \${var/a/b} substitution (ash), $f:2 \${var:N:M} substring (ash), $f:3 \$'...' quoting (ash), $f:4 function keyword (ash), $f:7 <(...) process substitution (ash)"
	has_line "# not supported by busybox ash: arrays ($f:5)"
	has_line "# not supported by busybox ash: brace expansion ($f:5)"
	has_line "# not supported by busybox ash: ((...)) arithmetic command ($f:6)"
	[ "$(printf '%s\n' "$output" | grep -c 'brace expansion')" -eq 1 ]
	[[ $output == *"$f:8 <<< here-string (ash)"* ]]
	run "$BBKIT" scan --src "$CACHE/src/busybox-1.35.0+security" "$f"
	[ "$status" -eq 0 ]
	has_line "# not supported by busybox ash: <<< here-string ($f:8)"
}

@test "options busybox accepts but does not document come from getopt32 strings, with the IF_/#if symbol around them" {
	f=$BATS_TEST_TMPDIR/g.sh
	printf '%s\n' 'ls -k x' 'grep --color=auto x' 'cp --parents a b' 'mkdir --parents d' 'ls -y' 'ping -6 h' 'sync -f x' 'sort -k 2' >"$f"
	scan "$f"
	[ "$status" -eq 0 ]
	has_line "FEATURE_SYNC_FANCY           # $f:7 sync -f"
	has_line "FEATURE_SORT_BIG             # $f:8 sort -k"
	has_line "PING6                        # $f:6 ping -6"
	has_line "FEATURE_GREP_CONTEXT         # $f:2 grep --color"
	has_line "FEATURE_CP_LONG_OPTIONS      # $f:3 cp --parents"
	has_line "LONG_OPTS                    # $f:4 mkdir --parents"
	has_line "# option not in busybox's help for the applet (check it): ls -y ($f:5)"
	[[ $output != *"ls -k"* ]]
}

@test "--check: a list that lacks a need exits 1 naming file:line and the line to add" {
	printf 'ls --color\n' >"$BATS_TEST_TMPDIR/c.sh"
	l=$(printf 'ls\nsh\n' | list lsonly)
	resolve "$l"
	[ "$status" -eq 0 ]
	run "$BBKIT" scan --src "$BBKIT_SRC" --check "$BATS_TEST_TMPDIR/out.config" "$BATS_TEST_TMPDIR/c.sh"
	[ "$status" -eq 1 ]
	has_line "bbkit: scan: $BATS_TEST_TMPDIR/c.sh:1: ls --color needs FEATURE_LS_COLOR, which $BATS_TEST_TMPDIR/out.config lacks: add the line 'FEATURE_LS_COLOR' to the list"
}

@test "--dockerfile: shell form under SHELL, exec form, sh -c in exec form, HEALTHCHECK" {
	printf '%s\n' 'FROM x' 'SHELL ["/bin/ash", "-c"]' 'RUN apk add x && \' '    wget -q http://x' \
		'CMD ["sh","-c","exec crond -f"]' 'ENTRYPOINT ["/usr/bin/tini"]' 'HEALTHCHECK --interval=5s CMD nc -z h 80' \
		>"$BATS_TEST_TMPDIR/Dockerfile"
	run "$BBKIT" scan --src "$BBKIT_SRC" --dockerfile "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 0 ]
	has_line "ash                          # $BATS_TEST_TMPDIR/Dockerfile:3 ash (the Dockerfile's SHELL)"
	has_line "wget                         # $BATS_TEST_TMPDIR/Dockerfile:4 wget"
	has_line "crond                        # $BATS_TEST_TMPDIR/Dockerfile:5 crond"
	has_line "nc                           # $BATS_TEST_TMPDIR/Dockerfile:7 nc"
	has_line "# not busybox: tini ($BATS_TEST_TMPDIR/Dockerfile:6)"
}

@test "hostile: \$(reboot) in a string and a here-doc is never run; a 1 MB line is read" {
	m=$BATS_TEST_TMPDIR/marker
	printf 'echo "$(touch %s)"\ncat <<EOF\n$(touch %s.2)\nEOF\n' "$m" "$m" >"$BATS_TEST_TMPDIR/h.sh"
	python3 -c "print('echo ' + 'a' * 1000000)" >>"$BATS_TEST_TMPDIR/h.sh"
	scan "$BATS_TEST_TMPDIR/h.sh"
	[ "$status" -eq 0 ]
	has_line "touch                        # $BATS_TEST_TMPDIR/h.sh:1 touch"
	[ ! -e "$m" ]
	[ ! -e "$m.2" ]
}

@test "Debian's initramfs-tools scripts: scanned under a second, the list resolves, --check passes" {
	run "$TOP/tests/corpora/fetch.sh" "$BBKIT" "$CACHE" initramfs-tools
	[ "$status" -ne 3 ] || skip "$output"
	[ "$status" -eq 0 ]
	d=${output##*$'\n'}
	files=("$d/init" "$d/scripts/functions" "$d/scripts/local" "$d/hooks/fsck")
	scan "${files[@]}"
	[ "$status" -eq 0 ]
	has_line "run-init "
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/need.list"
	resolve "$BATS_TEST_TMPDIR/need.list"
	[ "$status" -eq 0 ]
	run "$BBKIT" scan --src "$BBKIT_SRC" --check "$BATS_TEST_TMPDIR/out.config" "${files[@]}"
	[ "$status" -eq 0 ]
}

@test "applets that run applets: ifup brings run-parts, ip, udhcpc (and sh) from ifupdown.c's literals" {
	printf '%s\n' 'ifup -a' 'su -c true' >"$BATS_TEST_TMPDIR/net.sh"
	scan "$BATS_TEST_TMPDIR/net.sh"
	[ "$status" -eq 0 ]
	has_line "run-parts                    # $BATS_TEST_TMPDIR/net.sh:1 ifup runs run-parts (networking/ifupdown.c:"
	has_line "ip                           # $BATS_TEST_TMPDIR/net.sh:1 ifup runs ip (networking/ifupdown.c:"
	has_line "udhcpc                       # $BATS_TEST_TMPDIR/net.sh:1 ifup runs udhcpc (networking/ifupdown.c:"
	has_line "sh                           # $BATS_TEST_TMPDIR/net.sh:1 udhcpc runs sh (its default script"
	[[ $output != *"ifconfig "* ]]
}

@test "init's inittab, inetd.conf, modprobe.conf (given or in --rootfs once the applet runs), mount helpers" {
	d=$BATS_TEST_TMPDIR
	mkdir -p "$d/r/etc" "$d/r/sbin"
	cp /bin/true "$d/r/sbin/mount.fuse.sshfs"
	printf '%s\n' '# boot' '::sysinit:/bin/hostname -F /etc/hostname' 'tty1::respawn:-/sbin/getty 38400 tty1' \
		'::shutdown:umount -a -r && swapoff -a' >"$d/r/etc/inittab"
	printf '%s\n' '# svc' 'ftp stream tcp nowait root /usr/sbin/ftpd ftpd -w /srv' 'echo stream tcp nowait root internal' >"$d/inetd.conf"
	printf '%s\n' 'alias eth0 e1000' 'install foo /sbin/modprobe --ignore-install foo && echo hi' >"$d/modprobe.conf"
	printf '%s\n' 'exec /sbin/init' 'mount "sshfs#u@h:/" /mnt' 'mount -t fuse.sshfs x /y' 'mount -t nfs a:/b /c' >"$d/e.sh"
	scan --explain --rootfs "$d/r" "$d/e.sh" "$d/inetd.conf" "$d/modprobe.conf"
	[ "$status" -eq 0 ]
	has_line "FEATURE_USE_INITTAB          # rootfs:/etc/inittab:1 init reads inittab (init/init.c:"
	has_line "hostname                     # rootfs:/etc/inittab:2 hostname"
	has_line "getty                        # rootfs:/etc/inittab:3 getty"
	has_line "swapoff                      # rootfs:/etc/inittab:4 swapoff"
	has_line "rootfs:/etc/inittab:4 init runs sh -c for a line with shell syntax (init/init.c:"
	has_line "ftpd                         # $d/inetd.conf:2 ftpd"
	has_line "# ignored by busybox: modprobe.conf 'install' commands (busybox modprobe reads only alias, options, include, blacklist: modutils/modprobe.c) ($d/modprobe.conf:2)"
	has_line "FEATURE_MOUNT_HELPERS        # $d/e.sh:2 mount runs sshfs (util-linux/mount.c:"
	has_line "$d/e.sh:3 mount -t fuse.sshfs runs mount.fuse.sshfs (util-linux/mount.c:"
	has_line "# not busybox: sshfs ($d/e.sh:2)"
	has_line "# provided by the rootfs: /sbin/mount.fuse.sshfs"
	[[ $output != *"mount.nfs"* ]]
	mkdir "$d/bin"
	printf '::sysinit:a\0b\n' >"$d/bin/inittab"
	scan "$d/bin/inittab"
	[ "$status" -eq 1 ]
	[[ $output == *"$d/bin/inittab: holds a NUL byte: not a config file init reads"* ]]
}

@test "--rootfs: a shell script run by its path (inittab's rcS, an entrypoint's exec) and udhcpc's default script are scanned there; an ELF is not" {
	d=$BATS_TEST_TMPDIR
	mkdir -p "$d/r/etc/init.d" "$d/r/usr/share/udhcpc" "$d/r/usr/local/bin"
	printf '%s\n' '::sysinit:/etc/init.d/rcS' >"$d/r/etc/inittab"
	printf '%s\n' '#!/bin/sh' 'mount -a' 'udhcpc -i eth0 -b' >"$d/r/etc/init.d/rcS"
	printf '%s\n' '#!/bin/busybox sh' 'case "$1" in bound) ifconfig "$interface" "$ip" ;; esac' \
		>"$d/r/usr/share/udhcpc/default.script"
	printf '%s\n' '#!/usr/bin/env ash' 'exec /sbin/init' >"$d/r/usr/local/bin/start.sh"
	cp /bin/true "$d/r/usr/local/bin/agent"
	printf '%s\n' '#!/usr/bin/python3' 'import os' >"$d/r/usr/local/bin/tool"
	printf '%s\n' '/usr/local/bin/agent &' '/usr/local/bin/tool' 'exec /usr/local/bin/start.sh' >"$d/entry.sh"
	scan --rootfs "$d/r" "$d/entry.sh"
	[ "$status" -eq 0 ]
	has_line "init                         # rootfs:/usr/local/bin/start.sh:2 init"
	has_line "mount                        # rootfs:/etc/init.d/rcS:2 mount"
	has_line "udhcpc                       # rootfs:/etc/init.d/rcS:3 udhcpc"
	has_line "ifconfig                     # rootfs:/usr/share/udhcpc/default.script:2 ifconfig"
	has_line "# provided by the rootfs: /usr/local/bin/agent"
	# a script of another interpreter is not read as shell
	[[ $output != *"rootfs:/usr/local/bin/tool"* ]]
}

@test "the table of what applets run holds for the source of every pinned version" {
	for v in 1.35.0 1.37.0 1.38.0; do
		run "$BBKIT" scan --src "$CACHE/src/busybox-$v+security" --verify-runs
		[ "$status" -eq 0 ]
	done
	d=$BATS_TEST_TMPDIR/tree
	mkdir -p "$d/miscutils" "$d/loginutils" "$d/networking/udhcp"
	cp "$BBKIT_SRC/loginutils/login.c" "$BBKIT_SRC/loginutils/su.c" "$d/loginutils/"
	cp "$BBKIT_SRC/networking/udhcp/Config.src" "$d/networking/udhcp/"
	printf 'int crond_main(void) { return execl("/bin/sh", 0); }\n' >"$d/miscutils/crond.c"
	run "$BBKIT" scan --src "$d" --verify-runs
	[ "$status" -eq 1 ]
	[[ $output == *"miscutils/crond.c: has no 'DEFAULT_SHELL': the scan table's row 'crond runs sh'"* ]]
	[[ $output == *"init/init.c: has no 'config_open2(\"': scan cannot derive what it runs"* ]]
}

@test "--rootfs DIR and TAR: its ELF programs provide commands, . /ABS is read there, links stay inside" {
	r=$BATS_TEST_TMPDIR/root
	mkdir -p "$r/usr/bin" "$r/bin" "$r/etc"
	cp /bin/true "$r/usr/bin/tailscale"
	printf '#!/bin/sh\necho not elf\n' >"$r/usr/bin/notelf"
	ln -s loop2 "$r/bin/loop1"
	ln -s loop1 "$r/bin/loop2"
	ln -s /bin/true "$r/bin/hosttrue"
	ln -s ../../../../../../bin/true "$r/bin/esc"
	ln -s ../usr/bin/tailscale "$r/bin/tsl"
	printf 'wget -q http://x\n. /etc/lib.sh\n' >"$r/etc/lib.sh"
	ln -s loop.sh "$r/etc/loop.sh"
	ln -s /etc/passwd "$r/etc/hostfile.sh"
	f=$BATS_TEST_TMPDIR/e.sh
	printf '%s\n' '. /etc/lib.sh' 'tailscale up' 'loop1' 'hosttrue' 'esc' 'notelf' 'tsl' '. /etc/loop.sh' \
		'. /etc/hostfile.sh' >"$f"
	tar -C "$r" -cf "$BATS_TEST_TMPDIR/root.tar" .
	for root in "$r" "$BATS_TEST_TMPDIR/root.tar"; do
		scan --rootfs "$root" "$f"
		[ "$status" -eq 0 ]
		has_line "wget                         # rootfs:/etc/lib.sh:1 wget"
		has_line "# provided by the rootfs: /usr/bin/tailscale"
		has_line "# provided by the rootfs: /bin/tsl"
		has_line "# not busybox: loop1 ($f:3)"
		has_line "# not busybox: hosttrue ($f:4)"
		has_line "# not busybox: esc ($f:5)"
		has_line "# not busybox: notelf ($f:6)"
		has_line "# runs a file not among the inputs: . /etc/loop.sh (a symlink loop in the rootfs) ($f:8)"
		has_line "# runs a file not among the inputs: . /etc/hostfile.sh ($f:9)"
	done
	run "$BBKIT" scan --src "$BBKIT_SRC" --rootfs "$BATS_TEST_TMPDIR/nope" "$f"
	[ "$status" -eq 1 ]
	[[ $output == *"--rootfs $BATS_TEST_TMPDIR/nope: cannot read"* ]]
}

@test "lines grouped under busybox's menu titles, menus in make list's order" {
	printf 'ifconfig eth0\necho x\nls --color\nbusybox true\n' >"$BATS_TEST_TMPDIR/g.sh"
	scan "$BATS_TEST_TMPDIR/g.sh"
	[ "$status" -eq 0 ]
	got=$(printf '%s\n' "$output" | grep -v '^$' | sed 's/ *#.*:[0-9]* .*//' | tail -n +2 | tr '\n' '|')
	[ "$got" = "# Settings|BUSYBOX|# Coreutils|ls|true|FEATURE_LS_COLOR|# Networking Utilities|ifconfig|# Shells|sh|ASH_ECHO|" ]
}

# ---- real corpora end to end, and what they found (keep these together) ----

@test "empty quoted words ('' and \"\") in a command are read as empty, not a crash" {
	printf "%s\n" "x '' b" 'y "" c' "'' z" 'grep -q "" f' >"$BATS_TEST_TMPDIR/e.sh"
	scan "$BATS_TEST_TMPDIR/e.sh"
	[ "$status" -eq 0 ]
	has_line "# not busybox: x ($BATS_TEST_TMPDIR/e.sh:1)"
	has_line "# not busybox: y ($BATS_TEST_TMPDIR/e.sh:2)"
	has_line "grep                         # $BATS_TEST_TMPDIR/e.sh:4 grep"
}

@test "--words: every command word, file:line, and what it is" {
	r=$BATS_TEST_TMPDIR/r
	mkdir -p "$r/usr/bin"
	cp /bin/true "$r/usr/bin/tailscale"
	f=$BATS_TEST_TMPDIR/w.sh
	printf '%s\n' 'f() { tailscale up; }' 'f' '$cmd x' 'env echo hi' 'echo hi' 'busybox ls' 'nft -f x' >"$f"
	run "$BBKIT" scan --src "$BBKIT_SRC" --rootfs "$r" --words "$f"
	[ "$status" -eq 0 ]
	[ "$output" = "$f:1	tailscale	rootfs
$f:2	f	function
$f:3	\$cmd	dynamic
$f:4	env	applet
$f:4	echo	applet
$f:5	echo	builtin
$f:6	busybox	busybox
$f:6	ls	applet
$f:7	nft	not-busybox" ]
	run "$BBKIT" scan --src "$BBKIT_SRC" --words --check x.config "$f"
	[ "$status" -eq 2 ]
	is_line "bbkit: scan: --check and --words cannot go together: choose one; see 'bbkit scan --help'"
}

@test "an applet's options come from its own usage, trivial usage too: killall -q (kill.c) is known" {
	printf '%s\n' 'killall -q crond' 'killall -z crond' >"$BATS_TEST_TMPDIR/k.sh"
	scan "$BATS_TEST_TMPDIR/k.sh"
	[ "$status" -eq 0 ]
	has_line "# option not in busybox's help for the applet (check it): killall -z ($BATS_TEST_TMPDIR/k.sh:2)"
	[[ $output != *"killall -q"* ]]
}

@test "env - NAME=\"\$V\" CMD: the lone - is env -i, NAME=\"\$V\" an assignment, CMD the command" {
	printf '%s\n' 'env - PATH="$PATH" HOME=$(pwd) ls /' >"$BATS_TEST_TMPDIR/env.sh"
	scan "$BATS_TEST_TMPDIR/env.sh"
	[ "$status" -eq 0 ]
	has_line "ls                           # $BATS_TEST_TMPDIR/env.sh:1 ls"
	[[ $output != *"# not busybox"* ]]
	[[ $output != *"# cannot be known statically"* ]]
}

@test "chpst's other names run their argument: softlimit setuidgid root udhcpc (busybox's runit examples)" {
	printf '%s\n' 'exec softlimit -m 100 setuidgid root udhcpc -f' 'envdir ./env envuidgid nobody crond -f' >"$BATS_TEST_TMPDIR/sl.sh"
	scan "$BATS_TEST_TMPDIR/sl.sh"
	[ "$status" -eq 0 ]
	has_line "udhcpc                       # $BATS_TEST_TMPDIR/sl.sh:1 udhcpc"
	has_line "crond                        # $BATS_TEST_TMPDIR/sl.sh:2 crond"
	[[ $output != *"# option not in"* ]]
}

@test "long options from getopt32long's tables: --foreground needs LONG_OPTS, diff --brief its feature" {
	printf '%s\n' 'udhcpc --foreground -i eth0' 'diff --brief a b' 'cpio --quiet -i' 'udhcpc --nosuch' \
		'modprobe --all x' >"$BATS_TEST_TMPDIR/lo.sh"
	scan "$BATS_TEST_TMPDIR/lo.sh"
	[ "$status" -eq 0 ]
	has_line "LONG_OPTS                    # $BATS_TEST_TMPDIR/lo.sh:1 udhcpc --foreground"
	has_line "FEATURE_DIFF_LONG_OPTIONS    # $BATS_TEST_TMPDIR/lo.sh:2 diff --brief"
	has_line "# option not in busybox's help for the applet (check it): udhcpc --nosuch ($BATS_TEST_TMPDIR/lo.sh:4)"
	has_line "# option not in busybox's help for the applet (check it): modprobe --all ($BATS_TEST_TMPDIR/lo.sh:5)"
	[[ $output != *"cpio --quiet ("* ]]
}

@test "subcommands a feature gives: ip link needs FEATURE_IP_LINK, ip addr FEATURE_IP_ADDRESS (ip.c's usage)" {
	printf '%s\n' 'ip link set eth0 up' 'ip -4 addr flush dev eth0' 'ip r' >"$BATS_TEST_TMPDIR/ip.sh"
	scan "$BATS_TEST_TMPDIR/ip.sh"
	[ "$status" -eq 0 ]
	has_line "FEATURE_IP_LINK              # $BATS_TEST_TMPDIR/ip.sh:1 ip link"
	has_line "FEATURE_IP_ADDRESS           # $BATS_TEST_TMPDIR/ip.sh:2 ip address"
	[[ $output != *"FEATURE_IP_ROUTE "* ]]
}

@test "hostile: \$(reboot) in strings, backquotes, here-docs, sh -c and a Dockerfile is read, never run" {
	m=$BATS_TEST_TMPDIR/rebooted
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\ntouch %s\n' "$m" >"$BATS_TEST_TMPDIR/bin/reboot"
	chmod +x "$BATS_TEST_TMPDIR/bin/reboot"
	f=$BATS_TEST_TMPDIR/h.sh
	printf '%s\n' 'echo "$(reboot)"' 'x=`reboot`' "echo '\$(reboot)'" 'cat <<EOF' '$(reboot)' 'EOF' \
		'sh -c "reboot"' 'eval "$(reboot)"' >"$f"
	printf '%s\n' 'FROM x' 'RUN echo "$(reboot)"' >"$BATS_TEST_TMPDIR/Dockerfile"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run "$BBKIT" scan --src "$BBKIT_SRC" --dockerfile "$BATS_TEST_TMPDIR/Dockerfile" "$f"
	[ "$status" -eq 0 ]
	has_line "reboot                       # $f:1 reboot"
	[ ! -e "$m" ]
}

@test "hostile: a rootfs whose directories loop (bin -> bin, usr/usr -> ../usr, usr/bin -> its own root) is read" {
	r=$BATS_TEST_TMPDIR/root
	mkdir -p "$r/usr" "$r/etc"
	ln -s bin "$r/bin"
	ln -s ../usr "$r/usr/usr"
	ln -s "$r" "$r/usr/bin"
	ln -s ../sbin "$r/sbin"
	printf '. /bin/x.sh\n. /usr/usr/usr/lib.sh\nls\n' >"$BATS_TEST_TMPDIR/s.sh"
	tar -C "$r" -cf "$BATS_TEST_TMPDIR/root.tar" .
	for root in "$r" "$BATS_TEST_TMPDIR/root.tar"; do
		scan --rootfs "$root" "$BATS_TEST_TMPDIR/s.sh"
		[ "$status" -eq 0 ]
		has_line "ls                           # $BATS_TEST_TMPDIR/s.sh:3 ls"
		has_line "# runs a file not among the inputs: . /bin/x.sh (a symlink loop in the rootfs) ($BATS_TEST_TMPDIR/s.sh:1)"
	done
}

# every command word of WORDS (scan --words of the corpus) is in the built
# busybox (OUT: busybox, busybox.links, busybox.config), a builtin of its
# ash, a function the corpus defines, or named in LIST (the corpus' scan)
words_hold() { # WORDS LIST OUT FILE...
	local words=$1 list=$2 out=$3 at w how bad=0
	shift 3
	while IFS=$'\t' read -r at w how; do
		case $how in
		applet) awk -F/ -v w="$w" '$NF == w { f = 1 } END { exit !f }' "$out/busybox.links" ;;
		builtin) [ "$(env -i PATH=/nonexistent "$out/busybox" sh -c 'command -v -- "$1"' sh "$w")" = "$w" ] ;;
		function) grep -qF -e "$w()" -e "$w ()" -- "$@" ;;
		busybox) grep -qx CONFIG_BUSYBOX=y "$out/busybox.config" ;;
		not-busybox) grep -qF -- "# not busybox: $w (" "$list" ;;
		dynamic) grep -qF -- "# cannot be known statically: $w (" "$list" ;;
		*) false ;;
		esac || {
			echo "$at: $w ($how): not so in the built busybox or the list"
			bad=1
		}
	done <"$words"
	return "$bad"
}

@test "real corpora: every command word is in the built busybox, its ash, a function or named; its ash parses every script" {
	local -A dir
	local c f all=()
	for c in initramfs-tools live-boot; do
		run "$TOP/tests/corpora/fetch.sh" "$BBKIT" "$CACHE" "$c"
		[ "$status" -ne 3 ] || skip "$output"
		[ "$status" -eq 0 ]
		dir[$c]=${output##*$'\n'}
	done
	run "$BBKIT" fetch -q --cache "$CACHE" --debian --version "$V"
	[ "$status" -eq 0 ]
	dir[busybox-debian]=${output##*$'\n'}
	dir[busybox-examples]=$BBKIT_SRC
	dir[router]=
	for c in initramfs-tools live-boot busybox-examples busybox-debian router; do
		"$TOP/tests/corpora/files.sh" "$c" "${dir[$c]}" >"$BATS_TEST_TMPDIR/$c.files"
		mapfile -t f <"$BATS_TEST_TMPDIR/$c.files"
		[ "${#f[@]}" -gt 0 ]
		all+=("${f[@]}")
		scan "${f[@]}"
		[ "$status" -eq 0 ]
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/$c.list"
		run "$BBKIT" scan --src "$BBKIT_SRC" --words "${f[@]}"
		[ "$status" -eq 0 ]
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/$c.words"
	done
	# one build for all of them: the list the union of the corpora needs
	scan "${all[@]}"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/scan-corpora.list"
	run make -C "$TOP" --no-print-directory QUIET=1 LIST="$BATS_TEST_TMPDIR/scan-corpora.list" \
		PLATFORMS=linux/amd64 OUT="$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	o=$BATS_TEST_TMPDIR/out/scan-corpora/linux-amd64
	for c in initramfs-tools live-boot busybox-examples busybox-debian router; do
		mapfile -t f <"$BATS_TEST_TMPDIR/$c.files"
		words_hold "$BATS_TEST_TMPDIR/$c.words" "$BATS_TEST_TMPDIR/$c.list" "$o" "${f[@]}"
		run "$BBKIT" scan --src "$BBKIT_SRC" --check "$o/busybox.config" "${f[@]}"
		[ "$status" -eq 0 ]
		for s in "${f[@]}"; do
			run "$o/busybox" sh -n "$s"
			[ "$status" -eq 0 ] || { echo "$s: the built ash: $output"; false; }
		done
	done
}
