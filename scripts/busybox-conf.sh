#!/bin/sh
# busybox's own kconfig front end as its `make oldconfig`, `make defconfig`
# and `make allyesconfig` run it (their recipes: scripts/kconfig/conf -o,
# -d, -y Config.in in the build dir, with what kbuild exports), without the
# rest of those makes: a parse of busybox's Makefile, gen_build_files again
# and the recipes' `sleep 1` (MTIME_IS_COARSE), ~5 s a call and all of
# them the same every time. DIR is a prepared build dir (its conf program
# and generated Config.in files, made from SRC); answers come from stdin.
# usage: scripts/busybox-conf.sh SRC VERSION DIR -o|-d|-y   (x86_64)
# SPDX-License-Identifier: GPL-2.0-only
set -eu
src=$1 v=$2 dir=$3 opt=$4
case $opt in -o | -d | -y) ;; *) echo "busybox-conf.sh: $opt: give -o, -d or -y" >&2; exit 2 ;; esac
cd "$dir"
exec env srctree="$src" ARCH=x86_64 KERNELVERSION="$v" KCONFIG_NOTIMESTAMP=1 scripts/kconfig/conf "$opt" Config.in
