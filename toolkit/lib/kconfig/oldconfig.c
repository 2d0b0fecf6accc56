/* What busybox's own oldconfig would make of a .config input, compared
 * with what bbkit made of it.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"
#include "../fs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* file's entries as a .config busybox's conf_read reads (what the resolver
 * parsed: CRLF, a BOM and long lines are already dealt with) */
static char *entries_as_config(struct resolver *rs)
{
	struct sbuf b;
	sb_init(&b);
	sb_add(&b, "");
	for (size_t i = 0; i < rs->list.n; i++) {
		const struct list_entry *e = &rs->list.v[i];
		if (i < rs->input_start) /* the input: the .config and its fragments */
			continue;
		if (e->applet) { /* an applet name: its own symbol */
			for (size_t k = 0; k < rs->nreqs; k++)
				if (rs->reqs[k]->ent == e && rs->reqs[k]->app)
					sb_addf(&b, e->negate ? "# CONFIG_%s is not set\n" : "CONFIG_%s=y\n",
						rs->reqs[k]->app->cond[0].sym);
			continue;
		}
		if (e->negate || (e->value && !strcmp(e->value, "n") && !e->quoted))
			sb_addf(&b, "# CONFIG_%s is not set\n", e->name);
		else if (e->quoted) {
			sb_addf(&b, "CONFIG_%s=\"", e->name);
			for (const char *c = e->value; *c; c++)
				sb_addf(&b, "%s%c", *c == '"' || *c == '\\' ? "\\" : "", *c);
			sb_add(&b, "\"\n");
		} else
			sb_addf(&b, "CONFIG_%s=%s\n", e->name, e->value ? e->value : "y");
	}
	return b.s;
}

/* Whether file is a busybox .config (its entries are CONFIG_ lines), not a
 * list: only for those is oldconfig the yardstick. */
int resolver_is_config(struct resolver *rs, const char *file)
{
	size_t n = 0, cfg = 0;
	for (size_t i = 0; i < rs->list.n; i++) {
		const struct list_entry *e = &rs->list.v[i];
		if (strcmp(e->file, file))
			continue;
		n++;
		cfg += !strncmp(e->text, "CONFIG_", 7) || !strncmp(e->text, "# CONFIG_", 9);
	}
	return n && cfg * 2 > n;
}

static int run_conf_read(const char *path)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY | O_CLOEXEC), bad;
	fflush(stderr);
	if (null >= 0)
		dup2(null, 2); /* its warnings are the resolver's problems already */
	bad = conf_read(path);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	if (null >= 0)
		close(null);
	return bad;
}

struct odiff {
	struct symbol *sym;
	char *mine, *theirs;
	int applet, toolchain, named;
};

static int cmp_odiff(const void *a, const void *b)
{
	const struct odiff *x = a, *y = b;
	if (x->applet != y->applet)
		return y->applet - x->applet;
	return strcmp(x->sym->name, y->sym->name);
}

struct odiffs {
	struct odiff *v;
	size_t n, cap;
};

/* sym is mine in bbkit's result and theirs in oldconfig's. */
static void odiff_add(struct resolver *rs, struct odiffs *d, struct symbol *sym,
		      const char *mine, const char *theirs, const char *file)
{
	struct odiff *x;
	struct req *q;
	if (d->n == d->cap)
		d->v = bk_xrealloc(d->v, (d->cap = d->cap ? 2 * d->cap : 32) * sizeof *d->v);
	x = &d->v[d->n++];
	x->sym = sym;
	x->mine = bk_xstrdup(mine);
	x->theirs = bk_xstrdup(theirs);
	x->applet = rv_applet_of(rs, sym) != NULL;
	x->toolchain = x->named = 0;
	for (q = rv_req_for(rs, sym); q; q = q->next_same)
		if (q->ent) {
			x->named = 1;
			x->toolchain |= strcmp(q->ent->file, file) != 0;
		}
}

/* bbkit's values, then oldconfig's of the same input (in): every symbol
 * with a prompt whose value differs. kconfig holds oldconfig's after. */
static int diff_oldconfig(struct resolver *rs, const char *file, const char *in,
			  struct odiffs *d, struct bkerr *e)
{
	size_t nsym = 0;
	struct symbol **syms = NULL, *sym;
	char **vals = NULL;
	int i, r = 0;
	for_all_symbols(i, sym) if (real_symbol(sym) && prompt_of(sym))
	{
		syms = bk_xrealloc(syms, (nsym + 1) * sizeof *syms);
		vals = bk_xrealloc(vals, (nsym + 1) * sizeof *vals);
		syms[nsym] = sym;
		vals[nsym++] = bk_xstrdup(val_of(sym));
	}
	if (run_conf_read(in))
		r = bk_fail(e, BK_ENV, "%s: busybox's conf_read refused it", in);
	for (size_t k = 0; !r && k < nsym; k++) {
		const char *theirs = val_of(syms[k]);
		if (strcmp(theirs, vals[k]))
			odiff_add(rs, d, syms[k], vals[k], theirs, file);
	}
	for (size_t k = 0; k < nsym; k++)
		free(vals[k]);
	free(vals);
	free(syms);
	return r;
}

/* The differences in one note (one problem when strict), a comment line
 * each. */
static int report_odiffs(struct resolver *rs, const char *file, int strict,
			 const struct odiffs *d, struct sbuf *comment, struct bkerr *e)
{
	struct sbuf b;
	size_t napp = 0, nd = d->n;
	int r = 0;
	sb_init(&b);
	for (size_t k = 0; k < nd; k++)
		napp += d->v[k].applet;
	sb_addf(&b, "%zu symbol%s differ%s from what busybox's oldconfig makes of %s", nd,
		nd == 1 ? "" : "s", nd == 1 ? "s" : "", file);
	if (napp)
		sb_addf(&b, " (%zu applet%s)", napp, napp == 1 ? "" : "s");
	sb_add(&b, ":");
	for (size_t k = 0; k < nd; k++) {
		const struct odiff *x = &d->v[k];
		const char *why = x->toolchain ? "another input (the toolchain list) sets it"
				  : x->named	 ? "the input names it, busybox drops it"
				  : rs->defaults ? "a dependency the input does not name"
						 : "not named, so bbkit leaves it off";
		if (k < 40)
			sb_addf(&b, "%s %s%s=%s (oldconfig: %s; %s)", k ? "," : "",
				x->applet ? "applet " : "", x->sym->name, x->mine, x->theirs, why);
		else if (k == 40)
			sb_addf(&b, ", and %zu more (make list CONFIG= names them all)", nd - 40);
		if (comment)
			sb_addf(comment, "# oldconfig: %s%s=%s here, %s in busybox's oldconfig (%s)\n",
				x->applet ? "applet " : "", x->sym->name, x->mine, x->theirs, why);
	}
	sb_add(&b, strict ? "; STRICT=1 refuses any difference: add the lines to the input "
			    "(or a fragment) for oldconfig's values, or drop STRICT"
			  : "; to get oldconfig's value add the line SYMBOL=value (an applet: its "
			    "name) to the input or a fragment; STRICT=1 makes this an error");
	if (strict) {
		bk_problem(rs->e ? rs->e : e, "%s: %s", file, b.s);
		r = BK_REQUEST;
	} else
		bk_say(&rs->say, BK_SAY_NOTE, "%s", b.s);
	sb_free(&b);
	return r;
}

int resolver_oldconfig(struct resolver *rs, const char *file, int strict,
		       struct sbuf *comment, struct bkerr *e)
{
	char *tmpl = bk_xasprintf("%s/.bbkit-oldconfig-XXXXXX", rs->builddir), *in, *mine;
	char *text = entries_as_config(rs);
	struct odiffs d = {NULL, 0, 0};
	int r = 0;
	if (!mkdtemp(tmpl)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot create a temporary directory", rs->builddir);
		free(tmpl);
		free(text);
		return r;
	}
	mine = bk_xasprintf("%s/.config", tmpl);
	in = bk_xasprintf("%s/input.config", tmpl);
	/* bbkit's result, kept to be read back after oldconfig's */
	if (!(r = rv_conf_write_in(tmpl, mine, rs->epoch, e)) &&
	    !(r = bk_write_atomic(in, text, strlen(text), 0644, 0, NULL, e))) {
		r = diff_oldconfig(rs, file, in, &d, e);
		/* back to bbkit's result */
		if (run_conf_read(mine) && !r)
			r = bk_fail(e, BK_ENV, "%s: cannot read bbkit's own result back", mine);
		if (!r && d.n) {
			qsort(d.v, d.n, sizeof *d.v, cmp_odiff);
			r = report_odiffs(rs, file, strict, &d, comment, e);
		}
	}
	for (size_t k = 0; k < d.n; k++) {
		free(d.v[k].mine);
		free(d.v[k].theirs);
	}
	free(d.v);
	bk_rmtree(tmpl);
	free(tmpl);
	free(mine);
	free(in);
	free(text);
	return r;
}
