/* What every command calls on its context: progress lines, notes and
 * usage errors in the one format, the cache made absolute, what an engine
 * is handed (struct bk_env).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void progress(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	if (c->quiet)
		return;
	fprintf(stderr, "bbkit: %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (%.1fs)\n", bk_now() - c->t0);
}

static void say_for_ctx(void *arg, int kind, const char *text)
{
	struct ctx *c = arg;
	if (kind == BK_SAY_PROGRESS)
		progress(c, "%s", text);
	else if (!c->quiet)
		fprintf(stderr, "bbkit: %s: note: %s\n", c->cmd, text);
}

struct bk_say ctx_say(struct ctx *c)
{
	struct bk_say s = {say_for_ctx, c};
	return s;
}

struct bk_env ctx_env(struct ctx *c)
{
	struct bk_env env = {ctx_say(c), c->cache, c->apt_etc};
	return env;
}

int usage_error(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bbkit: %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'bbkit %s --help'\n", c->cmd);
	return BK_USAGE;
}

void ctx_set_cache(struct ctx *c, const char *dir)
{
	/* apt and children run elsewhere: the cache path must be absolute */
	char *abs = NULL;
	if (dir[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		abs = bk_xasprintf("%s/%s", cwd ? cwd : ".", dir);
		free(cwd);
		dir = abs;
	}
	c->cache = dir;
	free(c->cache_buf);
	c->cache_buf = abs;
}

int ctx_usage(struct ctx *c, int r, struct bkerr *e)
{
	if (r != BK_USAGE || !e->msg[0])
		return r;
	usage_error(c, "%s", e->msg);
	e->msg[0] = 0;
	return r;
}
