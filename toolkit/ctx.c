/* What every command calls on its context: progress lines, notes and
 * usage errors in the one format, the cache made absolute, what an engine
 * is handed (struct bk_env).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/cache.h"
#include "lib/run.h"
#include "lib/toolchain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int ctx_ccache(struct ctx *c, const struct ccache_opts *o, struct bk_ccache *cc,
	       struct bkerr *e)
{
	memset(cc, 0, sizeof *cc);
	if (o->dir && *o->dir != '/')
		return usage_error(c, "--ccache %s: give an absolute directory", o->dir);
	if (o->off)
		return 0;
	if (!(cc->program = bk_which("ccache")))
		return bk_fail(e, BK_ENV,
			       "ccache: not found in PATH; install ccache (make does, as root) "
			       "or compile without a compiler cache (CCACHE=0, --no-ccache)");
	cc->dir = o->dir ? o->dir : (cc->owned_dir = bk_cache_ccache(c->cache));
	cc->remote = o->remote;
	return 0;
}

void ctx_ccache_free(struct bk_ccache *cc)
{
	free(cc->program);
	free(cc->owned_dir);
	memset(cc, 0, sizeof *cc);
}
