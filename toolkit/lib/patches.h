/* Patch sets (patches.c): Debian's CVE patches of a busybox version and a
 * user's own patch directory, applied onto a copy of the pristine tree that
 * is its own cache entry; the pristine tree is never touched.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_PATCHES_H
#define BBKIT_PATCHES_H

#include "engine.h"

struct bk_patch {
	char *name;    /* as the series names it */
	char *path;    /* the file */
	char *origin;  /* "debian" or "local" */
	char sha256[65];
	char **cves;   /* CVE-YYYY-N named by its file name or DEP-3 header */
	size_t ncves;
	char **files;  /* the files it changes, relative to the tree */
	size_t nfiles;
};

struct bk_patchset {
	struct bk_patch *v;
	size_t n;
	char key[65]; /* sha256 over every patch's name and content, in order */
};

/* Debian's patches whose file name or DEP-3 header names a CVE, in the
 * order of debian/patches/series (debian_tree is the extracted debian/;
 * NULL: none), then every patch of local_dir (its series file, else name
 * order; NULL: none). */
int bk_patchset_load(const char *debian_tree, const char *local_dir, struct bk_patchset *set,
		     struct bkerr *e);
void bk_patchset_free(struct bk_patchset *set);

/* The pristine tree with set applied, as <pristine>+<label> (made when
 * missing, damaged or made from another set): each patch must apply with
 * no fuzz, else BK_ENV naming it and the first failing hunk. The tree
 * holds .bbkit-patches: one line per patch, "name<TAB>sha256<TAB>origin
 * <TAB>CVE,...<TAB>file,...", after a "# key <key>" line. */
int bk_patched_tree(const struct bk_env *env, const char *pristine, const struct bk_patchset *set,
		    const char *label, char **tree, struct bkerr *e);

/* A tree's .bbkit-patches read back (an empty set for a pristine tree). */
int bk_patchset_of_tree(const char *tree, struct bk_patchset *set, struct bkerr *e);

#endif
