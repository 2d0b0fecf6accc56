/* Explaining: why a request does not hold (the final check says it per
 * request), the notes, and bbkit resolve --explain and --print-symbols.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"

#include <stdlib.h>
#include <string.h>

static void add_str(void *data, const char *s)
{
	sb_add(data, s);
}

static void expr_text(struct sbuf *b, struct expr *e)
{
	expr_print(e, add_str, b, E_NONE);
}

static void collect_syms(struct expr *e, struct symbol **v, int *n, int max)
{
	if (!e)
		return;
	switch (e->type) {
	case E_SYMBOL:
	case E_EQUAL:
	case E_UNEQUAL:
		for (int k = 0; k < 2; k++) {
			struct symbol *s = k ? (e->type == E_SYMBOL ? NULL : e->right.sym) : e->left.sym;
			int dup = 0;
			if (!s || !real_symbol(s))
				continue;
			for (int i = 0; i < *n; i++)
				dup |= v[i] == s;
			if (!dup && *n < max)
				v[(*n)++] = s;
		}
		break;
	case E_NOT:
		collect_syms(e->left.expr, v, n, max);
		break;
	case E_AND:
	case E_OR:
		collect_syms(e->left.expr, v, n, max);
		collect_syms(e->right.expr, v, n, max);
		break;
	default:
		break;
	}
}

/* "A=y (list:3: A), B=n (not in the list)" for the symbols of e. */
static void sym_values(struct resolver *rs, struct sbuf *b, struct expr *e)
{
	struct symbol *v[32];
	int n = 0;
	collect_syms(e, v, &n, 32);
	for (int i = 0; i < n; i++) {
		struct req *r = rv_req_for(rs, v[i]);
		sb_addf(b, "%s%s=%s", i ? ", " : "", v[i]->name, val_of(v[i]));
		if (r && r->ent)
			sb_addf(b, " (%s:%d: %s)", r->ent->file, r->ent->line, r->ent->text);
		else if (r && r->implied_by && r->implied_by->ent)
			sb_addf(b, " (turned on for %s:%d: %s)", r->implied_by->ent->file,
				r->implied_by->ent->line,
				r->implied_by->ent->text);
		else if (v[i]->rev_dep.tri != no)
			sb_addf(b, " (selected)");
		else
			sb_addf(b, " (not in the list)");
	}
}

void rv_why_not(struct resolver *rs, struct req *r, struct sbuf *b)
{
	struct symbol *s = r->sym;
	struct expr *dep = dep_of(s);
	int want_on = r->val || r->tri == yes;
	if (want_on && !prompt_of(s)) {
		sb_addf(b, "%s cannot be set by hand (it has no prompt)", s->name);
		if (s->rev_dep.expr) {
			sb_add(b, "; it is on when selected by: ");
			expr_text(b, s->rev_dep.expr);
			sb_add(b, "; values: ");
			sym_values(rs, b, s->rev_dep.expr);
		}
		return;
	}
	if (want_on && dep && expr_calc_value(dep) == no) {
		sb_addf(b, "unmet dependency: %s depends on ", s->name);
		expr_text(b, dep);
		sb_add(b, "; values: ");
		sym_values(rs, b, dep);
		return;
	}
	if (r->val && !rv_in_range(s, r->val)) {
		/* a symbolic bound, checked with its final value */
		char *range = rv_range_text(s);
		sb_addf(b, "out of range: %s is an integer (default %s%s); write %s=<number>", s->name,
			rv_default_text(s), range, s->name);
		free(range);
		return;
	}
	if (!want_on && s->rev_dep.tri != no) {
		sb_addf(b, "%s cannot be off: it is selected by ", s->name);
		expr_text(b, s->rev_dep.expr);
		sb_add(b, "; values: ");
		sym_values(rs, b, s->rev_dep.expr);
		return;
	}
	sb_addf(b, "%s ended as %s", s->name, val_of(s));
	if (sym_is_choice_value(s)) {
		struct symbol *cs = prop_get_symbol(sym_get_choice_prop(s));
		struct symbol *cur = cs ? (struct symbol *)cs->curr.val : NULL;
		if (cur)
			sb_addf(b, "; its choice holds %s", cur->name);
	}
}

/* Every symbol of e has a line in the input: the input decided its value. */
static int decided(struct resolver *rs, struct expr *e)
{
	struct symbol *v[32];
	int n = 0;
	collect_syms(e, v, &n, 32);
	for (int i = 0; i < n; i++) {
		struct req *r = rv_req_for(rs, v[i]);
		if (!r || !r->ent)
			return 0;
	}
	return n > 0 && n < 32;
}

/* A value (int, hex, string) whose symbol's dependency the input itself
 * turns off: kconfig writes such values into every .config
 * (CONFIG_FEATURE_HTTPD_PORT_DEFAULT=80 under # CONFIG_HTTPD is not set),
 * and busybox's oldconfig ignores them. So does bbkit, with a note. */
static int leftover(struct resolver *rs, struct req *r)
{
	struct expr *dep = dep_of(r->sym);
	return r->val && !is_bool(r->sym) && dep && expr_calc_value(dep) == no &&
	       decided(rs, dep);
}

void rv_check_all(struct resolver *rs)
{
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *r = rs->reqs[i];
		struct sbuf b;
		if (r->bad || !r->ent)
			continue;
		if ((r->out_of_range || !rv_satisfied(r)) && leftover(rs, r)) {
			r->ignored = 1;
			continue;
		}
		if (r->out_of_range) {
			rv_type_problem(rs, r, "out of range");
			continue;
		}
		if (r->app && r->tri == yes) {
			/* the applet must be in the table under the final config */
			int found = 0;
			for (size_t k = 0; k < rs->apps.n && !found; k++)
				if (!strcmp(rs->apps.v[k].name, r->ent->name))
					found = bk_applet_enabled(&rs->apps.v[k], rv_applet_on, NULL) ||
						(!strcmp(r->ent->name, "busybox") && rv_satisfied(r));
			if (found)
				continue;
		} else if (rv_satisfied(r))
			continue;
		sb_init(&b);
		if (!rv_satisfied(r))
			rv_why_not(rs, r, &b);
		else {
			sb_addf(&b, "%s is on, but the applet table also needs ", r->sym->name);
			for (size_t c = 1; c < r->app->ncond; c++)
				sb_addf(&b, "%s%s%s=%s", c > 1 ? ", " : "", r->app->cond[c].neg ? "!" : "",
					r->app->cond[c].sym,
					sym_find(r->app->cond[c].sym) ? val_of(sym_find(r->app->cond[c].sym)) : "?");
		}
		rv_problem(rs, r, "%s", b.s);
		sb_free(&b);
	}
	/* implied dependencies that did not come on */
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *r = rs->reqs[i];
		if (!r->ent && !r->bad && !rv_satisfied(r))
			r->bad = 1;
	}
	/* whatever turned it on (a select, a default), an applet the input does
	 * not name is never built quietly */
	for (size_t k = 0; k < rs->apps.n; k++) {
		const struct applet *a = &rs->apps.v[k];
		if (strcmp(a->name, "busybox") && bk_applet_enabled(a, rv_applet_on, NULL) &&
		    !rv_named(rs, a))
			bk_problem(rs->e,
				   "applet %s is on (%s=y) but the input does not name it; add '%s' "
				   "to the list, or !%s",
				   a->name, a->cond[0].sym, a->name, a->cond[0].sym);
	}
}

void resolver_notes(struct resolver *rs)
{
	struct sbuf ign;
	size_t nign = 0;
	sb_init(&ign);
	sb_add(&ign, "");
	for (size_t i = 0; i < rs->nreqs; i++)
		if (rs->reqs[i]->ignored)
			sb_addf(&ign, "%s%s", nign++ ? ", " : "", rs->reqs[i]->ent->text);
	if (nign)
		bk_say(&rs->say, BK_SAY_NOTE,
		       "%zu value%s ignored, as busybox's oldconfig ignores "
		       "them: the input turns their symbols' dependencies off: %s",
		       nign, nign == 1 ? "" : "s", ign.s);
	sb_free(&ign);
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *r = rs->reqs[i];
		if (!r->ent && r->implied_by && r->implied_by->ent && !r->bad)
			bk_say(&rs->say, BK_SAY_NOTE, "%s=y turned on for %s:%d: %s (its dependency)", r->sym->name,
			       r->implied_by->ent->file, r->implied_by->ent->line, r->implied_by->ent->text);
	}
	/* STATIC off is accepted (busybox's allnoconfig, Debian's deb config and
	 * every config bbkit wrote say so) but said: it is not what is built */
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *r = rs->reqs[i];
		if (r->ent && r->sym && !r->bad && r->tri == no && !strcmp(r->sym->name, "STATIC")) {
			bk_say(&rs->say, BK_SAY_NOTE,
			       "%s:%d: %s: bbkit links busybox statically whatever STATIC says (its "
			       "wrapper passes -static); the binary is a static executable",
			       r->ent->file, r->ent->line, r->ent->text);
			break;
		}
	}
}

void resolver_symbols(struct resolver *rs, struct sbuf *out)
{
	struct symbol *s;
	int i;
	(void)rs;
	for_all_symbols(i, s)
	{
		struct property *p, *d;
		struct symbol *ds;
		if (!real_symbol(s))
			continue;
		p = prompt_of(s);
		d = first_prop(s, P_DEFAULT);
		ds = d ? prop_get_symbol(d) : NULL;
		sb_addf(out, "%s\t%s\t%s\t", s->name, sym_type_name(sym_get_type(s)),
			ds && ds->name ? ds->name : "none");
		for (const char *t = p && p->text ? p->text : ""; *t; t++)
			sb_addf(out, "%c", *t == '\t' || *t == '\n' ? ' ' : *t);
		if (p && p->file)
			sb_addf(out, "\t%s:%d\n", p->file->name, p->lineno);
		else
			sb_addf(out, "\t-\n");
	}
}

void resolver_explain(struct resolver *rs, const char *name, struct sbuf *out)
{
	struct symbol *s = sym_find(name);
	struct property *p;
	struct sbuf b;
	if (!strncmp(name, "CONFIG_", 7))
		s = sym_find(name + 7);
	if (!real_symbol(s))
		for (size_t k = 0; k < rs->apps.n; k++)
			if (!strcmp(rs->apps.v[k].name, name)) {
				const struct applet *a = &rs->apps.v[k];
				sb_addf(out, "applet %s: %s %s%s/%s; table entry needs", name,
				       bk_applet_enabled(a, rv_applet_on, NULL) ? "enabled," : "not enabled,",
				       "installed as ", a->dir, a->name);
				for (size_t c = 0; c < a->ncond; c++)
					sb_addf(out, " %s%s=%s", a->cond[c].neg ? "!" : "", a->cond[c].sym,
					       sym_find(a->cond[c].sym) ? val_of(sym_find(a->cond[c].sym)) : "?");
				sb_addf(out, "\n");
				if (!real_symbol(s))
					s = sym_find(a->cond[0].sym);
			}
	if (!real_symbol(s)) {
		sb_addf(out, "%s: not a symbol or applet of busybox %s\n", name, rs->version);
		return;
	}
	sb_init(&b);
	sb_add(&b, "");
	sb_addf(out, "%s=%s (%s)\n", s->name, val_of(s), sym_type_name(sym_get_type(s)));
	p = prompt_of(s);
	if (p)
		sb_addf(out, "  prompt: \"%s\" (%s:%d)\n", p->text, p->file ? p->file->name : "?", p->lineno);
	else
		sb_addf(out, "  no prompt: only 'select' or its default set it\n");
	{
		struct req *r = rv_req_for(rs, s);
		if (r && r->ent && r->ignored)
			sb_addf(out, "  ignored: %s:%d: %s (the input turns its dependency off; busybox's "
			       "oldconfig ignores such a value too)\n",
			       r->ent->file, r->ent->line, r->ent->text);
		else if (r && r->ent)
			sb_addf(out, "  requested: %s:%d: %s\n", r->ent->file, r->ent->line,
				r->ent->text);
		else if (r && r->implied_by && r->implied_by->ent)
			sb_addf(out, "  turned on as a dependency of %s:%d: %s\n",
				r->implied_by->ent->file, r->implied_by->ent->line,
			       r->implied_by->ent->text);
		else
			sb_addf(out, "  not in the list: value comes from allnoconfig, a default or select\n");
	}
	if (dep_of(s)) {
		sb_add(&b, "");
		expr_text(&b, dep_of(s));
		sb_add(&b, " = ");
		sb_add(&b, tri_name(expr_calc_value(dep_of(s))));
		sb_add(&b, "; ");
		sym_values(rs, &b, dep_of(s));
		sb_addf(out, "  depends on: %s\n", b.s);
	}
	if (s->rev_dep.expr) {
		sb_free(&b);
		sb_add(&b, "");
		expr_text(&b, s->rev_dep.expr);
		sb_addf(&b, " = %s; ", tri_name(s->rev_dep.tri));
		sym_values(rs, &b, s->rev_dep.expr);
		sb_addf(out, "  selected by: %s\n", b.s);
	}
	if (sym_get_default_prop(s))
		sb_addf(out, "  default: %s%s\n", rv_default_text(s), sym_has_value(s) ? " (overridden)" : " (in effect)");
	sb_free(&b);
}
