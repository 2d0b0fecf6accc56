/* A busybox O= build dir, checked once and read on demand: what size, vex,
 * sbom, verify, manifest and rootfs take instead of a path each command
 * rediscovers. It owns every path in the dir; the config, applet table,
 * manifest and version are loaded at the first call and kept.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_BUILDDIR_H
#define BBKIT_BUILDDIR_H

#include "applets.h"
#include "bk.h"
#include "manifest.h"

struct platform;

struct bk_builddir {
	/* paths in the dir, read-only (BUILDDIR as given, then NAME) */
	const char *dir;
	char *config;     /* .config */
	char *autoconf;   /* include/autoconf.h */
	char *applets_h;  /* include/applets.h */
	char *binary;     /* busybox_unstripped */
	char *map;        /* busybox_unstripped.map */
	char *links;      /* busybox.links */
	char *build_log;  /* build.log */
	char *makefile;   /* Makefile: KERNELSRC names the source tree */
	char *srctree;    /* the source tree it was configured from */
	char *kbuild_src; /* the tree as kbuild names it in commands and
			   * dependency lists: KERNELSRC as written
			   * (.bbkit-src, or the tree's path) */
	const struct platform *p; /* as opened; NULL: not checked */
	/* loaded on demand: use the functions below */
	int loaded;       /* LOADED_* bits */
	struct dotconfig cfg;
	struct applets apps;
	struct manifest m;
	char *version;
};

/* Opens DIR: with p, it must hold a busybox built for p (busybox_unstripped's
 * ELF machine; without p the binary may be absent, as for make config); in
 * any case its Makefile must name the source tree (KERNELSRC), as busybox's
 * O= Makefile does. Errors name what to pass or run (BK_REQUEST, BK_ENV). */
int bk_builddir_open(const char *dir, const struct platform *p, struct bk_builddir **bd,
		     struct bkerr *e);
void bk_builddir_close(struct bk_builddir *bd);

/* BUILDDIR/DIR/.OBJ.cmd, the compile's dependency record of an object
 * ("coreutils/test.o"); caller frees. */
char *bk_builddir_cmd_file(const struct bk_builddir *bd, const char *obj);

/* Loaded at the first call, then the same (owned by bd). */
int bk_builddir_config(struct bk_builddir *bd, const struct dotconfig **cfg, struct bkerr *e);
int bk_builddir_applets(struct bk_builddir *bd, const struct applets **apps, struct bkerr *e);
/* The canonical manifest of .config (for another config or the flat layout:
 * bk_manifest_of_builddir). */
int bk_builddir_manifest(struct bk_builddir *bd, const struct manifest **m, struct bkerr *e);
/* busybox's version from the .config header ("unknown" without one). */
const char *bk_builddir_version(struct bk_builddir *bd);

#endif
