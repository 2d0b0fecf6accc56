#!/bin/bash
# Side-by-side: the classic shell loop vs bbkit, same list, same machine, one run.
#   classic: allnoconfig; every listed symbol switched from "# CONFIG_X is not set"
#            to CONFIG_X=y with sed (appended when absent; applet names become
#            their symbols, typed entries keep their value); yes "" | make oldconfig;
#            clang/lld with the target's default flags; llvm-strip.
#   bbkit:   make PLATFORMS=<p> from a cold build dir (source and sysroots cached).
# Prints a markdown table: stripped size, build time, resolve time, requests the
# classic method dropped silently.
# usage: bench/classic-vs-bbkit.sh [PROFILE] [PLATFORM...]
#   default: debug-shell linux/amd64 linux/arm64 linux/arm/v7
#   ROWS_ONLY=1: only the per-platform rows (no all-at-once and edit timings)
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${1:-debug-shell}
shift || true
PLATFORMS=${*:-linux/amd64 linux/arm64 linux/arm/v7}
V=${BUSYBOX_VERSION:-1.38.0}
B=$PWD/_build
CACHE=$PWD/.cache
SRC=$CACHE/src/busybox-$V
LIST=applet-lists/$PROFILE.list
W=$B/bench
mkdir -p "$W"
make -s QUIET=1 PLATFORMS="$PLATFORMS" BUSYBOX_VERSION="$V" PROFILE=bench-prep prepare resolver >/dev/null
for p in $PLATFORMS; do "$B/bbkit" sysroot -q "$p" >/dev/null; done

ms() { echo $(( ($2 - $1) / 1000000 )); }
# CPU ms of this shell's finished children so far
TICK=$(getconf CLK_TCK)
cpu() { awk '{ print int(($16 + $17) * 1000 / '"$TICK"') }' /proc/$$/stat; }
sec() { awk -v m="$1" 'BEGIN { printf "%.1f", m / 1000 }'; }

# what each entry of the list asks for (applets mapped to their symbols)
"$B/bbkit" resolve -q --src "$SRC" --builddir "$B/bb/$V/bench-prep/linux-amd64" --print-requests \
	applet-lists/toolchain/musl.list "$LIST" >"$W/requests.tsv"

printf '| platform | classic size | bbkit size | Δ size | classic build | bbkit build | bbkit resolve | classic: dropped requests |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
for p in $PLATFORMS; do
	slug=$(echo "$p" | tr / -)
	row=$("$B/bbkit" platforms | awk -v p="$p" '$1 == p')
	arch=$(echo "$row" | awk '{print $2}')
	triple=$(echo "$row" | awk '{print $3}')
	gnu=$(echo "$row" | awk '{print $5}')
	musl=$(echo "$row" | awk '{print $6}')
	linker=$(echo "$row" | awk '{print $9}')
	sysroot=$("$B/bbkit" sysroot -q "$p")
	# the row's linker when lld 14 cannot link the target (s390x)
	ldpath=
	[ "$linker" = ld.lld ] || ldpath="--ld-path=$(command -v "$linker")"

	# --- classic
	cd_="$W/classic-$slug"
	rm -rf "$cd_" && mkdir -p "$cd_/tc"
	cat >"$cd_/tc/$triple-clang" <<EOW
#!/bin/sh
exec clang --target=$triple --sysroot=$sysroot -fuse-ld=lld $ldpath -static \
  -isystem $sysroot/usr/include/$musl -isystem $sysroot/usr/$gnu/include \
  -L$sysroot/usr/lib/$musl -B$sysroot/usr/lib/$musl \
  -L$sysroot/usr/lib/gcc-cross/$gnu/12 -B$sysroot/usr/lib/gcc-cross/$gnu/12 \
  -Wno-unused-command-line-argument "\$@"
EOW
	chmod +x "$cd_/tc/$triple-clang"
	for t in ar:llvm-ar nm:llvm-nm strip:llvm-strip objcopy:llvm-objcopy objdump:llvm-objdump ranlib:llvm-ranlib; do
		ln -s "$(command -v "${t#*:}")" "$cd_/tc/$triple-${t%%:*}"
	done
	mk="make -s -C $SRC O=$cd_/o ARCH=$arch CROSS_COMPILE=$cd_/tc/$triple- CC=$cd_/tc/$triple-clang HOSTCC=gcc SKIP_STRIP=y"
	mkdir -p "$cd_/o"
	t0=$(date +%s%N)
	$mk allnoconfig >"$cd_/log" 2>&1
	# typed entries get their value (a classic list would carry CONFIG_X=1000),
	# everything else =y; '!X' lines are left alone (allnoconfig has them off)
	while IFS=$'\t' read -r where entry sym val; do
		[ "$val" = n ] && continue
		case "$val" in
		y | [0-9]* | 0x*) line="CONFIG_$sym=$val" ;;
		*) line="CONFIG_$sym=\"$val\"" ;;
		esac
		if grep -q "^# CONFIG_$sym is not set" "$cd_/o/.config"; then
			sed -i "s/^# CONFIG_$sym is not set/$line/" "$cd_/o/.config"
		elif grep -q "^CONFIG_$sym=" "$cd_/o/.config"; then
			sed -i "s/^CONFIG_$sym=.*/$line/" "$cd_/o/.config"
		else
			echo "$line" >>"$cd_/o/.config"
		fi
	done <"$W/requests.tsv"
	yes "" | $mk oldconfig >>"$cd_/log" 2>&1 || true
	$mk -j"$(nproc)" busybox >>"$cd_/log" 2>&1
	llvm-strip -o "$cd_/busybox" "$cd_/o/busybox"
	t1=$(date +%s%N)
	classic_ms=$(ms "$t0" "$t1")
	echo "$classic_ms" >"$cd_/time"
	classic_size=$(stat -c %s "$cd_/busybox")
	dropped=0
	while IFS=$'\t' read -r where entry sym val; do
		if [ "$val" = n ]; then continue; fi
		grep -qx "CONFIG_$sym=$( [ "$val" = y ] && echo y || echo "$val")" "$cd_/o/.config" || dropped=$((dropped + 1))
	done <"$W/requests.tsv"

	# --- bbkit, cold build dir (and no shared allnoconfig either), cold
	# compiler cache
	rm -rf "$B/bb/$V/$PROFILE/$slug" "$CACHE/prepared" "$W/out" "$W/ccache-$slug"
	t0=$(date +%s%N)
	make -s QUIET=1 PROFILE="$PROFILE" PLATFORMS="$p" BUSYBOX_VERSION="$V" OUT="$W/out" CCACHE="$W/ccache-$slug" \
		>"$W/bbkit-$slug.log" 2>&1
	t1=$(date +%s%N)
	bbkit_ms=$(ms "$t0" "$t1")
	bbkit_size=$(stat -c %s "$W/out/$PROFILE/$slug/busybox")
	r0=$(date +%s%N)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$B/bbkit-$V" resolve -q --src "$SRC" --builddir "$B/bb/$V/$PROFILE/$slug" --out "$W/r.config" \
			applet-lists/toolchain/musl.list "$LIST"
	done
	r1=$(date +%s%N)
	resolve_ms=$(( $(ms "$r0" "$r1") / 10 ))
	delta=$(awk -v a="$classic_size" -v b="$bbkit_size" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }')
	printf '| %s | %d | %d | %s | %.1f s | %.1f s | %d ms | %d of %d |\n' "$p" "$classic_size" "$bbkit_size" "$delta" \
		"$(awk -v m="$classic_ms" "BEGIN { print m / 1000 }")" "$(awk -v m="$bbkit_ms" "BEGIN { print m / 1000 }")" "$resolve_ms" "$dropped" \
		"$(grep -vc $'\tn$' "$W/requests.tsv")"
done

[ -z "${ROWS_ONLY:-}" ] || exit 0

# --- all platforms in one cold make (one jobserver) vs the classic loop's sum
classic_total=0
for p in $PLATFORMS; do
	slug=$(echo "$p" | tr / -)
	rm -rf "$B/bb/$V/$PROFILE/$slug"
done
rm -rf "$W/out" "$CACHE/prepared" "$W/ccache-all"
t0=$(date +%s%N) c0=$(cpu)
make -s QUIET=1 PROFILE="$PROFILE" PLATFORMS="$PLATFORMS" BUSYBOX_VERSION="$V" OUT="$W/out" CCACHE="$W/ccache-all" \
	>"$W/bbkit-all.log" 2>&1
t1=$(date +%s%N) c1=$(cpu)
cold_ms=$(ms "$t0" "$t1") cold_cpu=$((c1 - c0))
for p in $PLATFORMS; do classic_total=$((classic_total + $(cat "$W/classic-$(echo "$p" | tr / -)/time"))); done
echo
echo "All of '$PLATFORMS' cold (build dirs and compiler cache): classic $(sec "$classic_total") s (one after another, -j$(nproc) each); bbkit $(sec "$cold_ms") s, CPU $(sec "$cold_cpu") s (one make, shared jobserver): $(awk -v a="$cold_ms" -v b="$classic_total" 'BEGIN { printf "%.2f", a / b }')x"

# --- fresh build dirs, the compiler cache warm (a CI job, a Dockerfile stage)
for p in $PLATFORMS; do rm -rf "$B/bb/$V/$PROFILE/$(echo "$p" | tr / -)"; done
rm -rf "$W/out" "$CACHE/prepared"
t0=$(date +%s%N) c0=$(cpu)
make -s QUIET=1 PROFILE="$PROFILE" PLATFORMS="$PLATFORMS" BUSYBOX_VERSION="$V" OUT="$W/out" CCACHE="$W/ccache-all" \
	>"$W/bbkit-warm.log" 2>&1
t1=$(date +%s%N) c1=$(cpu)
echo "The same, fresh build dirs, warm compiler cache: $(sec "$(ms "$t0" "$t1")") s, CPU $(sec $((c1 - c0))) s: $(awk -v a="$(ms "$t0" "$t1")" -v b="$cold_ms" 'BEGIN { printf "%.2f", a / b }')x of cold"

# --- a one-entry list change, all platforms
cp "$LIST" "$W/edit.list"
echo "FEATURE_CATN" >>"$W/edit.list"
t0=$(date +%s%N)
make -s QUIET=1 LIST="$W/edit.list" PLATFORMS="$PLATFORMS" BUSYBOX_VERSION="$V" OUT="$W/out" >"$W/edit.log" 2>&1 || true
# first make of the copied list builds its own dirs: time the second edit only
echo "FEATURE_CATV" >>"$W/edit.list"
t0=$(date +%s%N) c0=$(cpu)
make -s QUIET=1 LIST="$W/edit.list" PLATFORMS="$PLATFORMS" BUSYBOX_VERSION="$V" OUT="$W/out" >>"$W/edit.log" 2>&1
t1=$(date +%s%N) c1=$(cpu)
echo "One list entry changed, rebuild of all of them: $(sec "$(ms "$t0" "$t1")") s, CPU $(sec $((c1 - c0))) s: $(awk -v a="$(ms "$t0" "$t1")" -v b="$cold_ms" 'BEGIN { printf "%.2f", a / b }')x of cold"
