/* The resolver engine: an applet list -> busybox .config, through busybox's
 * own kconfig engine (a kconfig frontend like scripts/kconfig/conf.c, linked
 * with that tree's zconf.tab.c once per busybox version). Never prints:
 * problems go to struct bkerr, progress and notes to the say of the options,
 * text that a command shows (explain, the shortest list) to a struct sbuf.
 * This file: the steps a command calls. Its parts, behind resolver_int.h:
 * names.c (unknown names), map.c (entries to requests, conflicts),
 * values.c (a symbol line's value, checked), apply.c (requests into
 * kconfig), explain.c (why not; the final check; explain),
 * oldconfig.c (busybox's oldconfig of a .config input), write.c (.config,
 * autoconf.h, the depfile), shortest.c (the shortest list for a config).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"
#include "../cache.h"
#include "../fs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rv_problem(struct resolver *rs, struct req *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	(void)rs;
	if (r->msg)
		free(msg);
	else
		r->msg = msg;
	r->bad = 1;
}

/* The tree's kconfig parsed and its baseline read, from the build dir. */
static int setup(struct resolver *rs, const char *src, const char *builddir, const char *base,
		 const char *cache, struct bkerr *e)
{
	char cwd[4096], *abssrc = NULL, *path;
	int r;
	if (!(rs->builddir = realpath(builddir, NULL)))
		return bk_fail_errno(e, BK_ENV, "%s: build dir", builddir);
	path = bk_xasprintf("%s/include/applets.h", rs->builddir);
	r = bk_applets_load(path, &rs->apps, e);
	free(path);
	if (r)
		return r;
	abssrc = realpath(src, NULL);
	rs->basefile = base ? realpath(base, NULL)
			    : bk_xasprintf("%s/.config.allnoconfig", rs->builddir);
	if (!abssrc || !rs->basefile || !bk_exists(rs->basefile)) {
		r = bk_fail(e, BK_ENV, "%s: no allnoconfig baseline; run 'bbkit prepare' first",
			    rs->basefile ? rs->basefile : base);
		goto out;
	}
	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, ".");
	setenv("srctree", abssrc, 1);
	setenv("KERNELVERSION", rs->version, 1);
	setenv("KCONFIG_NOTIMESTAMP", "1", 1);
	if (chdir(rs->builddir)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot enter build dir", rs->builddir);
		goto out;
	}
	conf_parse("Config.in");
	if (conf_read(rs->basefile)) {
		r = bk_fail(e, BK_ENV, "%s: kconfig cannot read it", rs->basefile);
		goto out;
	}
	if (chdir(cwd)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot return to", cwd);
		goto out;
	}
	if (cache) {
		char *absc = realpath(cache, NULL);
		rs->names_dir = bk_cache_names(absc ? absc : cache);
		free(absc);
	}
	rv_save_names(rs);
out:
	free(abssrc);
	return r;
}

struct resolver *resolver_open(const struct resolver_opts *o, struct bkerr *e)
{
	struct resolver *rs = calloc(1, sizeof *rs);
	if (!rs)
		abort();
	rs->say = o->say;
	rs->e = e;
	rs->version = bk_xstrdup(o->version);
	rs->defaults = o->defaults;
	rs->epoch = o->epoch;
	if (setup(rs, o->src, o->builddir, o->base, o->cache, e)) {
		resolver_free(rs);
		return NULL;
	}
	return rs;
}

const struct applets *resolver_applets(const struct resolver *rs)
{
	return &rs->apps;
}

const char *resolver_builddir(const struct resolver *rs)
{
	return rs->builddir;
}

size_t resolver_nentries(const struct resolver *rs)
{
	return rs->list.n;
}

void resolver_set_defaults(struct resolver *rs, int defaults)
{
	rs->defaults = defaults;
}

void resolver_map(struct resolver *rs, struct applet_list *list, size_t input_start)
{
	bk_list_free(&rs->list);
	rs->list = *list;
	memset(list, 0, sizeof *list);
	rs->input_start = input_start;
	rv_map(rs);
}

void resolver_check(struct resolver *rs)
{
	rv_find_conflicts(rs);
	rv_apply_all(rs);
	rv_check_all(rs);
}

void resolver_run(struct resolver *rs, struct applet_list *list)
{
	resolver_map(rs, list, 0);
	resolver_check(rs);
}

void resolver_requests(struct resolver *rs, struct sbuf *out)
{
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *q = rs->reqs[i];
		if (q->ent && q->sym)
			sb_addf(out, "%s:%d\t%s\t%s\t%s\n", q->ent->file, q->ent->line, q->ent->text,
				q->sym->name, q->val ? q->val : tri_name(q->tri));
	}
}

size_t resolver_problems(struct resolver *rs, struct bkerr *e)
{
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *q = rs->reqs[i];
		if (q->msg && q->ent)
			bk_problem(e, "%s:%d: %s: %s", q->ent->file, q->ent->line, q->ent->text, q->msg);
	}
	return bk_nproblems(e);
}

size_t resolver_unheld(struct resolver *rs)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *q = rs->reqs[i];
		n += q->ent && !q->bad && !q->app && !q->ignored && !rv_satisfied(q);
	}
	return n;
}

/* Back to no requests and no list (the applet table stays). */
void rv_forget(struct resolver *rs)
{
	for (size_t i = 0; i < rs->nreqs; i++) {
		free(rs->reqs[i]->msg);
		free(rs->reqs[i]);
	}
	free(rs->reqs);
	free(rs->index);
	free(rs->applets);
	free(rs->symbols);
	bk_list_free(&rs->list);
	rs->reqs = NULL;
	rs->nreqs = rs->icap = rs->iused = rs->napplets = rs->nsymbols = 0;
	rs->index = NULL;
	rs->applets = rs->symbols = NULL;
}

void resolver_reset(struct resolver *rs)
{
	rv_forget(rs);
	conf_read(rs->basefile);
}

void resolver_free(struct resolver *rs)
{
	if (!rs)
		return;
	rv_forget(rs);
	free(rs->by_own);
	free(rs->names_dir);
	free(rs->basefile);
	free(rs->builddir);
	free(rs->version);
	bk_applets_free(&rs->apps);
	free(rs);
}
