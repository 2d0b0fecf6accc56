#!/bin/bash
# Where a cold build's time goes: wall and CPU per phase of one make for
# several platforms, so speed work is chosen by measurement (issue 35).
#   - every bbkit command make runs is timed (a BBKIT_BIN that wraps the
#     real one): prepare (host tools, allnoconfig), resolve, sysroot,
#     build, manifest, rootfs, size, vex, sbom, publish
#   - the build is split by running it again: with nothing to do (kbuild's
#     two parses, strip and ELF checks), and with only the link to do;
#     compile = cold build - relink, link = relink - nothing to do
# Cold: a fresh build dir and a fresh compiler cache (CCACHE=<new dir>);
# sources and sysroots cached (the first make fetches them, untimed).
# usage: bench/profile.sh [PROFILE] [PLATFORM...]
#   default: debug-shell linux/amd64 linux/arm64 linux/arm/v7
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${1:-debug-shell}
shift || true
PLATFORMS=${*:-linux/amd64 linux/arm64 linux/arm/v7}
V=${BUSYBOX_VERSION:-$(awk -F'\t' '$1 == "busybox" && $5 == "default" { print $2 }' pins.tsv)}
TOP=$PWD
W=$TOP/_build/profile
rm -rf "$W"
mkdir -p "$W/bin"
B=$W/b
TICK=$(getconf CLK_TCK)

# untimed: bbkit and its resolver in B, sources, sysroots
make -s QUIET=1 B="$B" PLATFORMS="$PLATFORMS" BUSYBOX_VERSION="$V" PROFILE="$PROFILE" \
	"$B/bbkit" resolver fetch >/dev/null
for p in $PLATFORMS; do "$B/bbkit" sysroot -q "$p" >/dev/null; done

# the timing BBKIT_BIN (and the resolver beside it, which make finds there)
for prog in bbkit "bbkit-$V"; do
	cat >"$W/bin/$prog" <<EOF
#!/bin/bash
t0=\$(date +%s%N)
"$B/$prog" "\$@"
rc=\$?
t1=\$(date +%s%N)
read -r cu cs < <(awk '{ print \$16, \$17 }' /proc/\$\$/stat)
plat=-
for a in "\$@"; do case \$a in linux/*) plat=\$a; break ;; esac; done
echo "\$1 \$plat \$(( (t1 - t0) / 1000000 )) \$(( (cu + cs) * 1000 / $TICK ))" >>"$W/times"
exit \$rc
EOF
	chmod +x "$W/bin/$prog"
done

now() { date +%s%N; }
cpu() { awk '{ print ($16 + $17) * 1000 / '"$TICK"' }' /proc/$$/stat; }

: >"$W/times"
t0=$(now) c0=$(cpu)
make -s QUIET=1 B="$B" BBKIT_BIN="$W/bin/bbkit" CCACHE="$W/ccache" PROFILE="$PROFILE" \
	PLATFORMS="$PLATFORMS" BUSYBOX_VERSION="$V" OUT="$W/out" >"$W/make.log" 2>&1
t1=$(now) c1=$(cpu)
total_wall=$(( (t1 - t0) / 1000000 )) total_cpu=$(( ${c1%.*} - ${c0%.*} ))
cp "$W/times" "$W/times.cold"
grep -h "compiler cache" "$B"/bb/"$V"/"$PROFILE"/*/build.log >"$W/ccache.cold" || true

# the build again: nothing to do, then only the link to do
: >"$W/times"
for p in $PLATFORMS; do
	bd=$B/bb/$V/$PROFILE/$(echo "$p" | tr / -)
	src=$TOP/.cache/src/busybox-$V+security # (make's default PATCHES=security)
	"$W/bin/bbkit" build -q "$p" --src "$src" --builddir "$bd" --out "$W/noop.bin" --ccache "$W/ccache"
	sed -i '$ s/^build /noop /' "$W/times"
	rm -f "$bd/busybox_unstripped" "$bd/busybox"
	"$W/bin/bbkit" build -q "$p" --src "$src" --builddir "$bd" --out "$W/relink.bin" --ccache "$W/ccache"
	sed -i '$ s/^build /relink /' "$W/times"
done
cat "$W/times" >>"$W/times.cold"

# one row per phase: summed over platforms (make runs platforms at once,
# so the walls overlap; the CPU adds up)
awk -v total_wall="$total_wall" -v total_cpu="$total_cpu" -v plats="$PLATFORMS" '
	{ wall[$1] += $3; cpu[$1] += $4 }
	END {
		n = split("prepare resolve sysroot fetch build manifest rootfs size vex sbom publish", order, " ")
		printf "| phase | wall s (sum of platforms) | CPU s |\n|---|---:|---:|\n"
		printf "| whole make, %s (cold build dirs and compiler cache) | %.1f (elapsed) | %.1f |\n", plats, total_wall / 1000, total_cpu / 1000
		for (i = 1; i <= n; i++) {
			k = order[i]
			if (!(k in wall)) continue
			if (k == "build") {
				printf "| build: compile (cold - relink) | %.1f | %.1f |\n", (wall["build"] - wall["relink"]) / 1000, (cpu["build"] - cpu["relink"]) / 1000
				printf "| build: link (relink - nothing to do) | %.1f | %.1f |\n", (wall["relink"] - wall["noop"]) / 1000, (cpu["relink"] - cpu["noop"]) / 1000
				printf "| build: kbuild parses, strip, ELF checks (nothing to do) | %.1f | %.1f |\n", wall["noop"] / 1000, cpu["noop"] / 1000
				continue
			}
			printf "| %s | %.1f | %.1f |\n", k, wall[k] / 1000, cpu[k] / 1000
		}
	}' "$W/times.cold"
echo
sed 's/^/    /' "$W/ccache.cold"
