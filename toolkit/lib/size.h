/* Size attribution (bbkit size): every input section of the lld link map
 * to an applet or "shared", the rootfs figures (flash, download), the
 * lists' budgets, and size.json written and read through jansson.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_SIZE_H
#define BBKIT_SIZE_H

#include "applets.h"
#include "builddir.h"
#include "bk.h"

struct bk_size_group {
	char *key;   /* applet main name, or "shared" */
	char *names; /* applet names, space separated */
	long long bytes;
};

struct bk_size_report {
	struct bk_size_group *v; /* biggest first (after attribution) */
	size_t n;
	long long total;           /* loadable bytes: sum of PT_LOAD memory sizes */
	long long packed;          /* the packed file's bytes (COMPRESS), or 0 */
	long long flash, download; /* rootfs extracted, gzip'd layer; or 0 */
	long long block;           /* flash's block size */
};

/* Attributes a link map's text (modified) to groups: each object's bytes
 * to the applet of its source file's first enabled //applet: line (under
 * src), the rest of total to "shared". rep is filled from scratch. */
void bk_size_attribute(char *map, long long total, const char *src, const struct dotconfig *cfg,
		       const struct applets *apps, struct bk_size_report *rep);
/* The same for an O= build dir: busybox_unstripped.map and its binary. */
int bk_size_of_builddir(struct bk_builddir *bd, struct bk_size_report *rep, struct bkerr *e);
/* rep->flash (in rep->block-byte blocks) and rep->download of a rootfs.tar. */
int bk_size_rootfs(const char *tar, struct bk_size_report *rep, struct bkerr *e);
/* Every 'budget' of the lists against rep: over one is BK_REQUEST. */
int bk_size_budgets(const char *const *lists, int nlists, const struct bk_size_report *rep,
		    struct bkerr *e);

/* size.txt and size.json (appended to b) */
void bk_size_txt(const struct bk_size_report *rep, struct sbuf *b);
int bk_size_json(const struct bk_size_report *rep, struct sbuf *b, struct bkerr *e);
/* size.json back: loadable_bytes and each group's applet, names, bytes. */
int bk_size_json_parse(const char *path, const char *text, struct bk_size_report *rep,
		       struct bkerr *e);
int bk_size_json_load(const char *path, struct bk_size_report *rep, struct bkerr *e);
/* A against B per applet (appended to out). */
void bk_size_diff(const struct bk_size_report *a, const struct bk_size_report *b, struct sbuf *out);
void bk_size_free(struct bk_size_report *rep);

#endif
