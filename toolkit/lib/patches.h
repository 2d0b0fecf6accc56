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
	char **cves;   /* CVE-YYYY-N its file name or a DEP-3 CVE:/Bug-CVE: field names */
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

/* The content key of a patch directory (its tree is +local-<key>): the
 * first 16 hex digits of the sha256 of the lines "<sha256>  <name>" of its
 * regular files not starting with '.', sorted: what make computes with
 * `sha256sum -- * | LC_ALL=C sort | sha256sum` before it runs anything. */
int bk_patchdir_key(const char *dir, char key[17], struct bkerr *e);

/* A tree's .bbkit-patches read back (an empty set for a pristine tree);
 * each patch's path is the tree's own copy of it (.bbkit-patches.d/<sha256>). */
int bk_patchset_of_tree(const char *tree, struct bk_patchset *set, struct bkerr *e);

/* bbkit build's record in a build dir (.bbkit-built-from): the key of the
 * patch set of the tree it compiled from. */
int bk_built_from_write(const char *bdir, const char *tree, struct bkerr *e);
/* The patch set of the tree a build dir compiled from, refused (BK_REQUEST)
 * when the build dir has no record or the tree now holds another set. */
struct bk_builddir;
int bk_patchset_of_build(const struct bk_builddir *bd, struct bk_patchset *set, struct bkerr *e);

/* Whether a patch's change is in a tree, hunk by hunk: a hunk is there when
 * its new side (context and added lines) is a run of whole lines of the file
 * and, if it removes lines, its old side is not; a hunk of a deleted file
 * when the file is gone. */
struct bk_hunks {
	size_t total, found;
	char *missing_file; /* the first hunk not there: its file, */
	int missing_hunk;   /* its number among that file's hunks, */
	int missing_line;   /* and its @@ line in the patch */
};
/* With pristine (the tree the patch was applied on, before any patch), the
 * new side must occur more often in the tree's file than in the pristine
 * one (a hunk of removed lines only: they less often): its lines found
 * elsewhere in the file are not the change. A hunk of
 * context only changes nothing and is not counted (h->total). */
int bk_patch_in_tree(const char *patch, const char *tree, const char *pristine,
		     struct bk_hunks *h, struct bkerr *e);
void bk_hunks_free(struct bk_hunks *h);

#endif
