#!/bin/sh
# Resolve every profile (applet-lists/*.list) on every supported busybox
# version into DIR/<profile>-<version>.config; where a profile cannot be
# honoured on a version, DIR/<profile>-<version>.problems says precisely what
# is missing there (the resolver's messages, paths relative to the repo).
# usage: scripts/lock.sh DIR VERSION...   (called by make lock / check-lock)
# Environment from make: MAKE, B, CACHE, RESOLVER_DIR (where the resolvers
# bbkit-<version> make runs are: beside BBKIT_BIN, default B).
set -eu
dir=$1
shift
mkdir -p "$dir"
for v in "$@"; do
	# (the resolver this runs, not `make resolver`'s plain pair in B too:
	# under make test, that is the ASan one beside BBKIT_BIN)
	$MAKE -s --no-print-directory QUIET=1 BUSYBOX_VERSION="$v" PROFILE=_lock PLATFORMS=linux/amd64 \
		prepare "${RESOLVER_DIR:-$B}/bbkit-$v"
	bd="$B/bb/$v/_lock/linux-amd64"
	for list in applet-lists/*.list; do
		p=$(basename "$list" .list)
		rm -f "$dir/$p-$v.config" "$dir/$p-$v.problems"
		if "${RESOLVER_DIR:-$B}/bbkit-$v" resolve -q --cache "$CACHE" --src "$CACHE/src/busybox-$v" --builddir "$bd" \
			--out "$dir/$p-$v.config" applet-lists/toolchain/musl.list "$list" 2>"$dir/.err"; then
			:
		else
			grep -v -e ' cannot be honoured on busybox ' -e 'problems\? in the list' "$dir/.err" |
				sed 's/^bbkit: resolve: //' >"$dir/$p-$v.problems"
			[ -s "$dir/$p-$v.problems" ] || cp "$dir/.err" "$dir/$p-$v.problems"
		fi
	done
done
rm -f "$dir/.err"
