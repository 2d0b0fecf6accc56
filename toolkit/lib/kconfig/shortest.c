/* The shortest list for a config (make list CONFIG=FILE).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"

#include <stdlib.h>
#include <string.h>

/* Every symbol with a prompt, in menu order, with the title of the menu it
 * is in (for the list's comments). */
struct menu_sym {
	struct symbol *sym;
	const char *title;
	char *want; /* its value in the config to reproduce */
	int shown;  /* visible there: a value ("" too) that a line can set */
	int line;   /* 0: not in the list; 1: an applet line; 2: a symbol line */
};

static void menu_walk(struct menu *m, const char *title, struct menu_sym **v, size_t *n)
{
	for (; m; m = m->next) {
		const char *t = title;
		if (m->sym && real_symbol(m->sym) && m->prompt) {
			size_t k;
			for (k = 0; k < *n && (*v)[k].sym != m->sym; k++)
				;
			if (k == *n) {
				*v = bk_xrealloc(*v, (*n + 1) * sizeof **v);
				memset(&(*v)[*n], 0, sizeof **v);
				(*v)[*n].sym = m->sym;
				(*v)[*n].title = title;
				(*n)++;
			}
		}
		if (!m->sym && m->prompt && m->prompt->text && m->list)
			t = m->prompt->text;
		if (m->list)
			menu_walk(m->list, t, v, n);
	}
}

/* The list line that gives s the value v. */
static char *line_for(struct symbol *s, const char *v)
{
	if (is_bool(s))
		return strcmp(v, "n") ? bk_xstrdup(s->name) : bk_xasprintf("!%s", s->name);
	if (sym_get_type(s) == S_STRING) {
		struct sbuf b;
		sb_init(&b);
		sb_addf(&b, "%s=\"", s->name);
		for (const char *p = v; *p; p++)
			sb_addf(&b, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
		sb_add(&b, "\"");
		return b.s;
	}
	return bk_xasprintf("%s=%s", s->name, v);
}

/* Resolve base lists + the candidate; returns the number of problems. */
static size_t try_list(struct resolver *rs, const char *const *base, int nbase,
		       const char *text, struct bkerr *e)
{
	struct bkerr pe = {0, "", NULL, 0};
	size_t bad = 0;
	resolver_reset(rs);
	for (int i = 0; i < nbase; i++)
		bk_list_load(base[i], &rs->list, &pe);
	if (*text)
		bk_list_parse("(the list)", text, strlen(text), &rs->list, &pe);
	if (bk_nproblems(&pe) || pe.msg[0]) {
		/* the first problem line says what */
		if (pe.more)
			pe.more[strcspn(pe.more, "\n")] = 0;
		bk_fail(e, BK_REQUEST, "%s", pe.more ? pe.more : pe.msg);
		free(pe.more);
		return 1;
	}
	free(pe.more);
	rv_map(rs);
	resolver_check(rs);
	for (size_t i = 0; i < rs->nreqs; i++)
		bad += rs->reqs[i]->bad && rs->reqs[i]->ent;
	return bad;
}

/* Every prompted symbol with its value now (the config to reproduce); an
 * applet's own symbol gets its line by name. */
static struct menu_sym *wanted(struct resolver *rs, size_t *n)
{
	struct menu_sym *v = NULL;
	*n = 0;
	menu_walk(rootmenu.list, "", &v, n);
	for (size_t k = 0; k < *n; k++) {
		v[k].want = bk_xstrdup(val_of(v[k].sym));
		v[k].shown = v[k].sym->visible != no;
	}
	/* the applets: one line each, by name */
	for (size_t a = 0; a < rs->apps.n; a++) {
		const struct applet *ap = &rs->apps.v[a];
		if (!strcmp(ap->name, "busybox") || !bk_applet_enabled(ap, rv_applet_on, NULL))
			continue;
		for (size_t k = 0; k < *n; k++)
			if (!strcmp(v[k].sym->name, ap->cond[0].sym) && !v[k].line &&
			    rv_applet_of(rs, v[k].sym))
				v[k].line = 1;
	}
	return v;
}

/* m's list line, if it has one. */
static void add_line(struct resolver *rs, const struct menu_sym *m, struct sbuf *b)
{
	if (m->line == 1) {
		sb_addf(b, "%s\n", rv_applet_of(rs, m->sym)->name);
	} else if (m->line == 2) {
		char *l = line_for(m->sym, m->want);
		sb_addf(b, "%s\n", l);
		free(l);
	}
}

/* After resolving the candidate: a line for what still differs, bools
 * first (the values under them follow: an int under a menu that is off has
 * no value to write). How many were added. */
static size_t add_differing(struct menu_sym *v, size_t n)
{
	size_t added = 0;
	for (int pass = 0; pass < 2 && !added; pass++)
		for (size_t k = 0; k < n; k++)
			if ((!is_bool(v[k].sym)) == pass && strcmp(val_of(v[k].sym), v[k].want) &&
			    v[k].line != 2 && (v[k].line == 0 || pass == 0) &&
			    (pass == 0 || v[k].shown)) {
				v[k].line = 2;
				added++;
			}
	return added;
}

/* Lines added until the candidate resolves to every wanted value. */
static int converge(struct resolver *rs, const char *const *base, int nbase, const char *from,
		    struct menu_sym *v, size_t n, struct bkerr *e)
{
	int r = 0;
	for (int round = 0; round < 32 && !r; round++) {
		struct sbuf text;
		sb_init(&text);
		sb_add(&text, "");
		for (size_t k = 0; k < n; k++)
			add_line(rs, &v[k], &text);
		if (try_list(rs, base, nbase, text.s, e)) {
			const struct req *q = NULL;
			for (size_t i = 0; i < rs->nreqs && !q; i++)
				if (rs->reqs[i]->bad && rs->reqs[i]->ent && rs->reqs[i]->msg)
					q = rs->reqs[i];
			r = bk_fail(e, BK_REQUEST, "%s: no list of applets and values reproduces it: %s%s%s",
				    from, q ? q->ent->text : "", q ? ": " : "", q ? q->msg : e->msg);
		} else if (!add_differing(v, n)) {
			for (size_t k = 0; k < n && !r; k++)
				if (strcmp(val_of(v[k].sym), v[k].want))
					r = bk_fail(e, BK_REQUEST,
						    "%s: %s is \"%s\" there, and no list line gets it "
						    "from \"%s\"; resolve it as a list to see why",
						    from, v[k].sym->name, v[k].want, val_of(v[k].sym));
			sb_free(&text);
			break;
		}
		sb_free(&text);
	}
	return r;
}

/* Print the shortest list that, after the base lists, resolves to the
 * config rs now holds: applet names for the applets, then symbols and
 * values only where the result still differs, added until it does not.
 * Lines under the titles of busybox's menus, as comments. */
int resolver_shortest_list(struct resolver *rs, const char *const *base, int nbase,
			   const char *from, struct sbuf *out, struct bkerr *e)
{
	size_t n;
	struct menu_sym *v = wanted(rs, &n);
	int r = converge(rs, base, nbase, from, v, n, e);
	if (!r) {
		const char *title = NULL;
		sb_addf(out, "# the shortest list for %s (busybox %s): make LIST=this-file\n", from,
			rs->version);
		for (size_t k = 0; k < n; k++) {
			if (!v[k].line)
				continue;
			if (!title || strcmp(title, v[k].title)) {
				title = v[k].title;
				sb_addf(out, "\n# %s\n", *title ? title : "BusyBox");
			}
			add_line(rs, &v[k], out);
		}
	}
	for (size_t k = 0; k < n; k++)
		free(v[k].want);
	free(v);
	return r;
}
