/* What a busybox version bump (or a list change) does to a profile, side by
 * side (bump.c): the requests of the list that no longer hold, the Kconfig
 * symbols gone and added, the applet links per platform, the security
 * patches, and from builds that exist the bytes per applet and the CVE
 * statements. Each version is resolved by its own resolver
 * (bbkit-<version>, busybox's kconfig); everything else is read as text.
 * The report is data (a jansson object, documented in docs/versions.md); the
 * markdown is made from it. Never prints.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_BUMP_H
#define BBKIT_BUMP_H

#include "engine.h"

#include <jansson.h>

enum { BUMP_FROM, BUMP_TO };

#define BUMP_MAX_TC 4

struct bump_side {
	const char *src;      /* the tree it builds from (+security: patched) */
	const char *list;     /* the user's list (or .config) */
	const char *baseline; /* the testsuite baseline of the version, or NULL */
};

struct bump_platform {
	const char *name;                  /* linux/amd64 */
	const char *bd[2];                 /* the prepared build dir per side */
	const char *tc[2][BUMP_MAX_TC];    /* toolchain lists before the list */
	int ntc[2];
};

struct bump_in {
	struct bump_side side[2];
	struct bump_platform *plat;
	size_t nplat;
	const char *profile;
	const char *features;     /* minimal | defaults */
	const char *layout;       /* canonical | flat */
	const char *resolver_dir; /* where bbkit-<version> are */
	const char *tmp;          /* a scratch dir the caller owns */
	int build;                /* sizes and CVE states from the build dirs' stage */
};

/* The report; *broken: how many requests hold on FROM but not on TO (the
 * bump is clean when 0). BK_ENV when a resolver is missing or fails
 * otherwise than on a request; BK_USAGE when both sides are the same. */
int bk_bump_run(const struct bk_env *env, const struct bump_in *in, json_t **report,
		size_t *broken, struct bkerr *e);
/* Why a symbol gone in TO and one added in it are probably one renamed
 * (the same prompt, its size note aside, or the same applet), or NULL:
 * the report says "probably renamed", it never maps one to the other. */
const char *bk_bump_rename_reason(const char *gone_prompt, const char *gone_applet,
				  const char *added_prompt, const char *added_applet);
/* The report as markdown: a table per section (caller frees). */
char *bk_bump_markdown(const json_t *report);
/* A side's name in the report's file name: its version when the versions
 * differ (bump), else the list's name without .list/.config (caller frees). */
char *bk_bump_name(const char *version, const char *list, int bump);
/* OUT/bump-<from>-<to>.md and .json, atomically: *md the markdown, *base
 * "bump-<from>-<to>" (caller frees both). */
int bk_bump_write(const char *out, const struct bump_in *in, const json_t *report, char **md,
		  char **base, struct bkerr *e);
/* One problem in e per request honoured on FROM but not on TO. */
void bk_bump_broken(const json_t *report, struct bkerr *e);
/* What the command's platform rows own. */
void bk_bump_platforms_free(struct bump_platform *pl, size_t n);

#endif
