#!/usr/bin/env bats
# Every platform of the table: `make` builds the smoke list, the binary runs
# under qemu-user, the ELF is what the row says, and the static manifest
# equals what the binary itself reports with `busybox --list-full`.
load helpers

# All twelve in one make first: their busybox builds share one jobserver, so
# one platform's serial steps (kconfig, host tools, link) overlap with the
# others' compiles. That one make must succeed: each platform's test checks
# its exit status (and shows the platform's lines of its log), never a make
# of its own that could paper over a failure of the first.
setup_file() {
	# make -k: one platform's failure does not hide how the others fare
	make -k -C "$TOP" --no-print-directory QUIET=1 LIST=tests/lists/smoke.list OUT="$B/test-out" \
		PLATFORMS="$("$BBKIT" platforms --names | tr '\n' ' ')" \
		>"$BATS_FILE_TMPDIR/make.log" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/make.rc"
}

build_platform() { # PLATFORM
	slug=$("$BBKIT" platforms --field slug "$1")
	O="$B/test-out"
	D="$O/smoke/$slug"
	if [ "$(cat "$BATS_FILE_TMPDIR/make.rc")" != 0 ]; then
		echo "the twelve-platform make failed (exit $(cat "$BATS_FILE_TMPDIR/make.rc")); its lines for $1:"
		grep -F -e "$1" -e "$slug" "$BATS_FILE_TMPDIR/make.log" | tail -40
		return 1
	fi
	[ -s "$D/busybox" ]
	QEMU=$("$BBKIT" platforms --field qemu "$1")
	[ -n "$QEMU" ]
}

check_platform() { # PLATFORM ELF_MACHINE_TEXT
	build_platform "$1"
	# runs: echo, sh -c with a pipe, expr, sed
	run "$QEMU" "$D/busybox" sh -c 'echo hello | sed s/hello/world/; expr 6 \* 7; [ 1 = 1 ] && echo ok'
	[ "$status" -eq 0 ]
	[ "$output" = "world
42
ok" ]
	# ELF checks: the row's machine/class/byte order, static, stripped
	run "$BBKIT" build "$1" --check "$D/busybox"
	[ "$status" -eq 0 ]
	run llvm-readelf -h -l -S "$D/busybox"
	has_line "$2"
	[[ "$output" != *INTERP* ]]
	[[ "$output" != *.symtab* ]]
	# the manifest equals what the binary says (--list-full: no leading /)
	"$QEMU" "$D/busybox" --list-full | sed 's,^,/,' | sort >"$BATS_TEST_TMPDIR/binary"
	sort "$D/busybox.links" >"$BATS_TEST_TMPDIR/manifest"
	diff "$BATS_TEST_TMPDIR/manifest" "$BATS_TEST_TMPDIR/binary"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/manifest")" -eq 12 ]
}

@test "linux/amd64: builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/amd64 "Machine:                           Advanced Micro Devices X86-64"
}
@test "linux/386: builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/386 "Machine:                           Intel 80386"
}
@test "linux/arm64: builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/arm64 "Machine:                           AArch64"
}
# ARM build attributes of our own objects ("CPU_arch: ARM v7" ...); lld keeps
# the first input's attributes in the binary (musl's crt1.o), so we look at
# an object busybox compiled.
arm_attrs() { # SLUG
	run sh -c "llvm-readelf -A '$B/bb/$V/smoke/$1/applets/applets.o' |
		awk '/TagName:/ { t = \$2 } /Description:/ { sub(/.*Description: /, \"\"); print t \": \" \$0 }'"
}
@test "linux/arm/v7: builds (thumb-2, hard-float), runs, ELF checks, manifest = --list-full" {
	check_platform linux/arm/v7 "Machine:                           ARM"
	arm_attrs linux-arm-v7
	has_line "CPU_arch: ARM v7"
	has_line "THUMB_ISA_use: Thumb-2"
	has_line "ABI_VFP_args: AAPCS VFP"
	# Thumb code: function symbols have bit 0 set (odd addresses)
	run sh -c "llvm-readelf -s '$B/bb/$V/smoke/linux-arm-v7/busybox_unstripped' | awk '\$8 == \"main\" || \$8 == \"echo_main\" { print \$2 }'"
	[ "${#lines[@]}" -eq 2 ]
	for a in "${lines[@]}"; do [ $((0x$a & 1)) -eq 1 ]; done
}
@test "linux/arm/v6: builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/arm/v6 "Machine:                           ARM"
	arm_attrs linux-arm-v6
	has_line "CPU_arch: ARM v6"
	! printf '%s\n' "$output" | grep -q "ABI_VFP_args: AAPCS VFP"
}
@test "linux/arm/v5: builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/arm/v5 "Machine:                           ARM"
	arm_attrs linux-arm-v5
	has_line "CPU_arch: ARM v5TE"
}
@test "linux/ppc64le: builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/ppc64le "Machine:                           PowerPC64"
}
@test "linux/mips64le: builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/mips64le "Machine:                           MIPS R3000"
}
@test "linux/mipsle: builds, runs on qemu's default CPU, ELF checks, manifest = --list-full" {
	check_platform linux/mipsle "Machine:                           MIPS R3000"
}

# Debian has no musl-dev for riscv64 and big-endian mips: musl is built from
# its pinned source tarball with clang into the sysroot.
musl_from_source() { # PLATFORM MUSL_TRIPLE
	run "$BBKIT" sysroot -q "$1"
	[ "$status" -eq 0 ]
	sr=$output
	[ "$(basename "$sr")" = "$(echo "$1" | cut -d/ -f2)-musl-1.2.3" ]
	for f in crt1.o crti.o crtn.o libc.a; do [ -s "$sr/usr/lib/$2/$f" ]; done
	[ -s "$sr/usr/include/$2/stdio.h" ]
	# built by clang for the target, not taken from anywhere else
	run llvm-readelf -h "$sr/usr/lib/$2/crt1.o"
	has_line "$3"
	# (through the compiler cache when there is one: ccache.bats)
	grep -q "^checking for C compiler\.\.\. \(/[^ ]*/ccache \)\?clang --target=$2" "$sr.log"
}
@test "linux/riscv64: musl from source, builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/riscv64 "Machine:                           RISC-V"
	musl_from_source linux/riscv64 riscv64-linux-musl "Machine:                           RISC-V"
}
@test "linux/mips (big-endian mips32r2): musl from source, builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/mips "Machine:                           MIPS R3000"
	run llvm-readelf -h "$D/busybox"
	has_line "Data:                              2's complement, big endian"
	has_line "Flags:                             0x70001007, noreorder, pic, cpic, o32, mips32r2"
	musl_from_source linux/mips mips-linux-musl "Machine:                           MIPS R3000"
}
@test "linux/s390x: linked by the row's lld-19, builds, runs, ELF checks, manifest = --list-full" {
	check_platform linux/s390x "Machine:                           IBM S/390"
	run llvm-readelf -h "$D/busybox"
	has_line "Data:                              2's complement, big endian"
	grep -q -- "'-fuse-ld=lld' '--ld-path=$(command -v ld.lld-19)' " \
		"$B/bb/$V/smoke/linux-s390x/toolchain/s390x-linux-musl-clang"
	# lld 14 really cannot: the row's linker is not a preference
	run ld.lld -m elf64_s390 -o "$BATS_TEST_TMPDIR/x" "$B/bb/$V/smoke/linux-s390x/applets/applets.o"
	[ "$status" -ne 0 ]
	has_line "ld.lld: error: unknown emulation: elf64_s390"
}

@test "dpkg's foreign architectures are unchanged by all of it" {
	run dpkg --print-foreign-architectures
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$B/foreign-architectures.before")" ]
}
