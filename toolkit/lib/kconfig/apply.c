/* Applying: the requests into kconfig until nothing changes, with the
 * dependencies that are the only way to them, and the policy for what the
 * list does not name (minimal or defaults).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"

#include <stdlib.h>
#include <string.h>

/* Symbols that must be turned on to make e true, when that is the only
 * way (a conjunction of plain symbols); returns 0 when ambiguous. */
static int needed(struct resolver *rs, struct expr *e, struct symbol **out, int *n, int max)
{
	if (!e || expr_calc_value(e) == yes)
		return 1;
	switch (e->type) {
	case E_AND:
		return needed(rs, e->left.expr, out, n, max) && needed(rs, e->right.expr, out, n, max);
	case E_SYMBOL: {
		struct symbol *s = e->left.sym;
		struct req *r = rv_req_for(rs, s);
		if (!real_symbol(s) || !is_bool(s) || sym_is_choice_value(s) || *n >= max)
			return 0;
		if (r && r->tri == no)
			return 0;
		out[(*n)++] = s;
		return 1;
	}
	default:
		return 0;
	}
}

static int apply_one(struct req *r)
{
	struct symbol *s = r->sym;
	if (r->out_of_range)
		return 0;
	if (r->val) {
		if (!strcmp(val_of(s), r->val))
			return 0;
		if (!sym_set_string_value(s, r->val))
			return 0;
		/* kconfig skips its recalculation when the user value is already
		 * this one (an invisible symbol's "" from the baseline): the value
		 * it shows is then stale, so recalculate, and count only a change */
		sym_clear_all_valid();
		return !strcmp(val_of(s), r->val);
	}
	if (tri_of(s) == r->tri)
		return 0;
	return sym_set_tristate_value(s, r->tri) ? 1 : 0;
}

int rv_satisfied(struct req *r)
{
	if (r->val)
		return !strcmp(val_of(r->sym), r->val);
	return tri_of(r->sym) == r->tri;
}

int rv_applet_requested(struct resolver *rs, const struct applet *a)
{
	/* sh for a listed ash counts as asked for: /bin/sh comes with the shell */
	return rv_listed_applet(rs, a->name) || rv_listed_applet(rs, a->main);
}

static int cmp_own(const void *a, const void *b)
{
	const struct applet *x = *(const struct applet *const *)a, *y = *(const struct applet *const *)b;
	int c = strcmp(x->cond[0].sym, y->cond[0].sym);
	return c ? c : (x > y) - (x < y); /* table order among equals */
}

/* The applet whose own symbol (first of its table entry's IF_ chain) s is;
 * a sorted index of the table, made once, as this is asked per symbol. */
const struct applet *rv_applet_of(struct resolver *rs, struct symbol *s)
{
	size_t lo = 0, hi;
	if (!rs->by_own && rs->apps.n) {
		rs->by_own = bk_xmalloc(rs->apps.n * sizeof *rs->by_own);
		for (size_t k = 0; k < rs->apps.n; k++) {
			const struct applet *a = &rs->apps.v[k];
			if (a->ncond && !a->cond[0].neg && strcmp(a->name, "busybox"))
				rs->by_own[rs->nby_own++] = a;
		}
		qsort(rs->by_own, rs->nby_own, sizeof *rs->by_own, cmp_own);
	}
	for (hi = rs->nby_own; lo < hi;) { /* the first entry with that symbol */
		size_t mid = (lo + hi) / 2;
		if (strcmp(rs->by_own[mid]->cond[0].sym, s->name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rs->nby_own && !strcmp(rs->by_own[lo]->cond[0].sym, s->name) ? rs->by_own[lo]
										 : NULL;
}

/* The input names applet a: by its name, by its symbol, by an alias of it
 * (sh names ash, [ names test: the alias is that applet's code), or a is
 * such an alias of a named applet (a listed ash brings /bin/sh, as
 * applet_requested says). */
int rv_named(struct resolver *rs, const struct applet *a)
{
	if (rv_listed_applet(rs, a->name) || rv_listed_symbol(rs, a->cond[0].sym) ||
	    rv_applet_requested(rs, a))
		return 1;
	for (size_t k = 0; k < rs->apps.n; k++) {
		const struct applet *b = &rs->apps.v[k];
		if (!strcmp(b->main, a->name) && strcmp(b->name, a->name) &&
		    rv_listed_applet(rs, b->name))
			return 1;
	}
	return 0;
}

static int enable_deps(struct resolver *rs, struct req *r)
{
	struct symbol *need[32];
	int n = 0, changed = 0;
	if (!needed(rs, dep_of(r->sym), need, &n, 32))
		return 0;
	for (int i = 0; i < n; i++) {
		struct req *d;
		const struct applet *a;
		if (rv_req_for(rs, need[i]))
			continue;
		/* no applet comes on behind the input's back */
		if ((a = rv_applet_of(rs, need[i])) && !rv_named(rs, a)) {
			struct req *root = r;
			while (!root->ent && root->implied_by)
				root = root->implied_by;
			rv_problem(rs, root,
				"needs the applet %s (%s), which the input does not name; add '%s' "
				"to the list",
				a->name, need[i]->name, a->name);
			return changed;
		}
		d = rv_add_req(rs, NULL, need[i]);
		d->implied_by = r;
		d->tri = yes;
		changed = 1;
	}
	return changed;
}

/* Symbol menus are visited as kconfig does; a feature is a bool whose
 * prompt depends on an enabled requested symbol. */
static int reset_features(struct resolver *rs, struct symbol *owner)
{
	struct symbol *s;
	int i, changed = 0;
	for_all_symbols(i, s)
	{
		struct expr *d;
		/* features only: an applet's default never turns it on */
		if (!real_symbol(s) || s == owner || rv_req_for(rs, s) || !sym_has_value(s) ||
		    sym_is_choice_value(s) || sym_is_choice(s) || rv_applet_of(rs, s))
			continue;
		d = dep_of(s);
		if (d && expr_contains_symbol(d, owner)) {
			s->flags |= SYMBOL_NEW;
			changed = 1;
		}
	}
	if (changed)
		sym_clear_all_valid();
	return changed;
}

int rv_applet_on(const char *sym, void *ctx)
{
	struct symbol *s = sym_find(sym);
	(void)ctx;
	return s && real_symbol(s) && tri_of(s) == yes;
}

/* minimal: a choice the list does not touch keeps no applet the list did
 * not ask for (allnoconfig picks sh=ash, for instance). */
static int quiet_choices(struct resolver *rs)
{
	struct symbol *s;
	int i, changed = 0;
	for_all_symbols(i, s)
	{
		struct property *p;
		struct expr *m;
		struct symbol *cur, *alt = NULL;
		int brings = 0;
		if (!sym_is_choice(s) || tri_of(s) == no)
			continue;
		p = sym_get_choice_prop(s);
		cur = (struct symbol *)s->curr.val;
		if (!cur || rv_req_for(rs, cur))
			continue;
		for (m = p->expr; m; m = m->left.expr)
			if (rv_req_for(rs, m->right.sym))
				break;
		if (m)
			continue;
		for (size_t k = 0; k < rs->apps.n; k++) {
			const struct applet *a = &rs->apps.v[k];
			for (size_t c = 0; c < a->ncond; c++)
				if (!strcmp(a->cond[c].sym, cur->name) && !rv_applet_requested(rs, a))
					brings = 1;
		}
		if (!brings)
			continue;
		for (m = p->expr; m && !alt; m = m->left.expr) {
			int any = 0;
			for (size_t k = 0; k < rs->apps.n && !any; k++)
				for (size_t c = 0; c < rs->apps.v[k].ncond; c++)
					any |= !strcmp(rs->apps.v[k].cond[c].sym, m->right.sym->name);
			if (!any && m->right.sym->visible != no)
				alt = m->right.sym;
		}
		if (alt && sym_set_tristate_value(alt, yes))
			changed = 1;
	}
	return changed;
}

/* minimal: a bool that became visible without a value (conf_read drops the
 * values of invisible symbols) stays off unless requested. defaults: the
 * same for applets only (READAHEAD defaults to y once LFS is on). */
static int minimal_off(struct resolver *rs, int only_applets)
{
	struct symbol *s;
	int i, changed = 0;
	for_all_symbols(i, s)
	{
		if (!real_symbol(s) || !is_bool(s) || sym_has_value(s) || sym_is_choice_value(s) ||
		    sym_is_choice(s) || rv_req_for(rs, s) || (only_applets && !rv_applet_of(rs, s)))
			continue;
		sym_calc_value(s);
		if (s->visible != no && sym_set_tristate_value(s, no))
			changed = 1;
	}
	return changed;
}

void rv_apply_all(struct resolver *rs)
{
	for (int round = 0; round < 64; round++) {
		int changed = 0;
		for (int pass = 0; pass < 16; pass++) {
			int c = 0;
			for (size_t i = 0; i < rs->nreqs; i++)
				if (!rs->reqs[i]->bad)
					c |= apply_one(rs->reqs[i]);
			if (!c)
				break;
			changed = 1;
		}
		for (size_t i = 0; i < rs->nreqs; i++) {
			struct req *r = rs->reqs[i];
			if (!r->bad && !rv_satisfied(r) && (r->val || r->tri == yes))
				changed |= enable_deps(rs, r);
		}
		if (rs->defaults)
			for (size_t i = 0; i < rs->nreqs; i++) {
				struct req *r = rs->reqs[i];
				if (!r->bad && !r->val && r->tri == yes && tri_of(r->sym) == yes)
					changed |= reset_features(rs, r->sym);
			}
		changed |= minimal_off(rs, rs->defaults);
		/* either policy: a choice the input leaves alone brings no applet */
		changed |= quiet_choices(rs);
		if (!changed)
			break;
	}
}
