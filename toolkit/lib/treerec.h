/* The record of an extracted tree, .bbkit-files (treerec.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_TREEREC_H
#define BBKIT_TREEREC_H

#include "bk.h"

/* A record of an extracted tree, kept in it as .bbkit-files (treerec.c):
 * written once the tree is complete; checked by lstat (cheap) or with every
 * file's sha256 (full). A failed check lists what differs, paths relative to
 * the tree; touch gives those paths the time now (so make rebuilds what was
 * built from them) and records the tree again. */
struct bk_damage {
	char **path, **why;
	size_t n;
};
int bk_tree_record(const char *dir, struct bkerr *e);
int bk_tree_check(const char *dir, int full, struct bk_damage *d, struct bkerr *e);
int bk_tree_touch(const char *dir, const struct bk_damage *d, struct bkerr *e);
void bk_damage_free(struct bk_damage *d);

#endif
