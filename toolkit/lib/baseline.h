/* Known upstream-testsuite failures: a committed baseline per busybox version.
 *
 * One entry per line, four TAB-separated fields:
 *     WHEN <TAB> APPLET <TAB> TEST NAME <TAB> REASON
 * WHEN is a space-separated list of terms: "*" (every platform) or platform
 * names (the entry applies on any of them), and optionally CONFIG_X (applies
 * only when the config has CONFIG_X=y) or !CONFIG_X (only when it has not);
 * config terms must all hold. TEST NAME is exactly what runtest prints after
 * "FAIL: "; REASON is one line, required. '#' starts a comment line.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_BASELINE_H
#define BBKIT_BASELINE_H

#include "applets.h"

struct baseline_entry {
	char **plat; /* platform names; none: every platform */
	size_t nplat;
	char **cond; /* "CONFIG_X" or "!CONFIG_X" */
	size_t ncond;
	char *applet;
	char *test;
	char *reason;
	int line;
};

struct baseline {
	char *path;
	struct baseline_entry *v;
	size_t n;
};

/* Parse baseline text; every bad line is a problem (file:line) and the
 * return is BK_REQUEST. */
int bk_baseline_parse(const char *path, const char *buf, size_t len, struct baseline *b,
		      struct bkerr *e);
int bk_baseline_load(const char *path, struct baseline *b, struct bkerr *e);
/* Does the entry cover this platform and config (NULL: every CONFIG_X
 * counts as not set)? */
int bk_baseline_applies(const struct baseline_entry *x, const char *platform,
			const struct dotconfig *config);
/* The entry for (platform, config, applet, test), or NULL. */
const struct baseline_entry *bk_baseline_find(const struct baseline *b, const char *platform,
					      const struct dotconfig *config, const char *applet,
					      const char *test);
void bk_baseline_free(struct baseline *b);

#endif
