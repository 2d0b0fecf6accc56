#!/bin/bash
# The oracle for whole-config input: a real .config (Debian's, busybox's
# own), resolved by bbkit as a list (make config), must give exactly what
# busybox's own `yes "" | make oldconfig` makes of the same input (its
# recipe, scripts/busybox-conf.sh -o). Debian's
# patch-only symbols (not in the version's Kconfig) are removed first, and the
# symbols of applet-lists/toolchain/musl.list are set (or unset) as it sets them in the
# input both sides get (what the musl toolchain requires is no difference).
# usage: scripts/oracle-config.sh VERSION CONFIG NAME
#   prints "ok"/"not ok" details on stderr, exits 0 when equal
# Environment from make test: B, CACHE; run from the top of the tree.
set -u
v=$1 in=$2 name=$3
w=$B/oracle/$v/$name
rm -rf "$w" && mkdir -p "$w"
# the version's resolver, and its names (saved by any resolve on it)
make -s --no-print-directory QUIET=1 BUSYBOX_VERSION="$v" PROFILE=_lock PLATFORMS=linux/amd64 prepare resolver >/dev/null ||
	{ echo "cannot prepare busybox $v" >&2; exit 3; }
names=$CACHE/names/busybox-$v.names
"$B/bbkit-$v" resolve -q --src "$CACHE/src/busybox-$v" --builddir "$B/bb/$v/_lock/linux-amd64" \
	--out "$w/names.config" applet-lists/minimal.list >/dev/null 2>&1
[ -s "$names" ] || { echo "no $names" >&2; exit 3; }
musl=$(grep -v '^#' applet-lists/toolchain/musl.list | awk 'NF { print $1 }')
# the input both sides get: known symbols only, musl's requirements set
awk -v names="$names" -v musl="$musl" '
	BEGIN {
		while ((getline l < names) > 0) if (l ~ /^S /) known[substr(l, 3)] = 1
		# musl.list turns a symbol on (SYM) or off (!SYM)
		n = split(musl, m, " ")
		for (i = 1; i <= n; i++) { s = m[i]; o = sub(/^!/, "", s); req[s] = 1; off[s] = o }
	}
	/^CONFIG_[A-Za-z0-9_]+=/ { s = $0; sub(/^CONFIG_/, "", s); sub(/=.*/, "", s) }
	/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { s = $2; sub(/^CONFIG_/, "", s) }
	!/^CONFIG_/ && !/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { print; next }
	(s in known) && !(s in req) { print }
	END { for (r in req) print off[r] ? "# CONFIG_" r " is not set" : "CONFIG_" r "=y" }
' "$in" >"$w/$name.config"
dropped=$(($(grep -c -e '^CONFIG_' -e '^# CONFIG_.* is not set$' "$in") + $(echo "$musl" | wc -w) - $(grep -c -e '^CONFIG_' -e '^# CONFIG_.* is not set$' "$w/$name.config")))
# bbkit: make config with the input as the list. What the toolchain turns
# off takes what depends on it along (allyesconfig's SELinux applets under
# !SELINUX): those lines, which bbkit names as unmet dependencies of the
# toolchain list, are dropped from the input both sides get, and it runs again
for round in 1 2 3 4 5; do
	if make -s --no-print-directory QUIET=1 BUSYBOX_VERSION="$v" LIST="$w/$name.config" PLATFORMS=linux/amd64 \
		OUT="$w/out" config >"$w/bbkit.log" 2>&1; then
		break
	fi
	lines=$(grep -F "$w/$name.config:" "$w/bbkit.log" | grep -F '(applet-lists/toolchain/' |
		sed "s|^bbkit: resolve: $w/$name.config:\([0-9]*\):.*|\1|" | sort -un)
	if [ -z "$lines" ] || [ "$round" = 5 ] || grep -F "$w/$name.config:" "$w/bbkit.log" | grep -qvF '(applet-lists/toolchain/'; then
		echo "make config failed:" >&2
		tail -20 "$w/bbkit.log" >&2
		exit 1
	fi
	sed -i "$(printf '%sd;' $lines)" "$w/$name.config"
	dropped=$((dropped + $(echo "$lines" | wc -w)))
done
# busybox: its own oldconfig of the same input, in a copy of the prepared dir
cp -a "$B/bb/$v/$name/linux-amd64" "$w/bd"
cp "$w/$name.config" "$w/bd/.config"
yes "" | sh scripts/busybox-conf.sh "$CACHE/src/busybox-$v" "$v" "$w/bd" -o >"$w/busybox.log" 2>&1 ||
	{ echo "busybox's oldconfig failed: $w/busybox.log" >&2; exit 3; }
if diff -u "$w/bd/.config" "$w/out/$name/config/linux-amd64/busybox.config" >"$w/diff"; then
	echo "$(grep -c '=y$' "$w/bd/.config") symbols on; $dropped input lines dropped (Debian's own symbols, musl's and what needs what musl's turn off)"
else
	echo "differs from busybox's oldconfig (- busybox, + bbkit):" >&2
	head -40 "$w/diff" >&2
	exit 1
fi
