/* busybox's kbuild in an O= build dir (kbuild.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_KBUILD_H
#define BBKIT_KBUILD_H

#include "bk.h"

/* The name kbuild knows the source tree by: OBJ/.bbkit-src, a link to it,
 * given to kbuild relative to OBJ. Every path of the tree in a compile
 * command, a dependency list and OBJ/Makefile's KERNELSRC is then
 * ".bbkit-src/...", whichever cache, patch set or build dir the tree and
 * OBJ are in: the compiler cache finds the compiles of another build dir,
 * CACHE or machine, and a patch set recompiles only the files it changes. */
#define BK_KBUILD_SRC ".bbkit-src"

/* OBJ/NAME made a link to TARGET (absolute); when it was something else
 * (another tree or sysroot), kbuild's records of the commands it ran in
 * OBJ are removed first, so that everything is compiled and linked again:
 * kbuild sees neither a newer file nor another command line when only a
 * link moved. */
int bk_kbuild_link(const char *obj, const char *name, const char *target, struct bkerr *e);

/* bk_kbuild_setup points OBJ/.bbkit-src at SRC (bk_kbuild_link), runs
 * SRC/scripts/gen_build_files.sh for OBJ (output to log) unless the source
 * tree and the script's outputs are as its last run left them (*ran says
 * whether it ran), and puts an empty top-level Kbuild in OBJ.
 * bk_kbuild_argv is the make busybox's Makefile would start in OBJ for
 * `make -C SRC O=OBJ VARS GOAL`, with the tree as .bbkit-src, told that
 * gen_build_files is done; jobs may be NULL. SRC and OBJ absolute. Free
 * with bk_argv_free. */
int bk_kbuild_setup(const char *src, const char *obj, const char *log, int *ran,
		    struct bkerr *e);
char **bk_kbuild_argv(const char *obj, const char *const *vars,
		      const char *goal, const char *jobs);
/* What kbuild cannot see, made stale in OBJ by hand: the link when the
 * sysroot (SYSROOT/.bbkit-files) is newer, libbb/messages.o when
 * include/autoconf.h is (see kbuild.c). */
void bk_kbuild_relink(const char *sysroot, const char *obj);
/* DIR/include/autoconf.h's empty AUTOCONF_TIMESTAMP (KCONFIG_NOTIMESTAMP)
 * given the date of epoch, as busybox's kconfig would write it from
 * SOURCE_DATE_EPOCH; *stamped (when not NULL) says whether it was empty. */
int bk_autoconf_stamp(const char *dir, long long epoch, int *stamped, struct bkerr *e);

#endif
