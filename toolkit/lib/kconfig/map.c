/* Mapping: each list entry to requests (an applet to its table entry's
 * symbol; a symbol line through values.c), indexed by symbol; then the
 * lines that contradict each other.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"
#include "../fs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct by_sym *rv_slot_of(struct resolver *rs, struct symbol *sym)
{
	uintptr_t x = (uintptr_t)sym;
	size_t i;
	x ^= x >> 17;
	x *= (uintptr_t)0x9E3779B97F4A7C15ULL;
	for (i = (size_t)(x >> 7) & (rs->icap - 1); rs->index[i].sym && rs->index[i].sym != sym;
	     i = (i + 1) & (rs->icap - 1))
		;
	return &rs->index[i];
}

static void index_add(struct resolver *rs, struct req *r)
{
	struct by_sym *s;
	if (2 * (rs->iused + 1) > rs->icap) { /* grow: rehash every head */
		struct by_sym *old = rs->index;
		size_t n = rs->icap;
		rs->icap = n ? 2 * n : 1024;
		rs->index = calloc(rs->icap, sizeof *rs->index);
		if (!rs->index)
			abort();
		for (size_t i = 0; i < n; i++)
			if (old[i].sym)
				*rv_slot_of(rs, old[i].sym) = old[i];
		free(old);
	}
	s = rv_slot_of(rs, r->sym);
	if (!s->sym) {
		s->sym = r->sym;
		s->head = s->tail = r;
		rs->iused++;
		return;
	}
	s->tail->next_same = r;
	s->tail = r;
}

struct req *rv_add_req(struct resolver *rs, const struct list_entry *ent, struct symbol *sym)
{
	struct req *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	r->ent = ent;
	r->sym = sym;
	r->tri = yes;
	rs->reqs = bk_xrealloc(rs->reqs, (rs->nreqs + 1) * sizeof *rs->reqs);
	r->pos = rs->nreqs;
	rs->reqs[rs->nreqs++] = r;
	if (sym)
		index_add(rs, r);
	return r;
}

/* The first request for sym that is not bad. */
struct req *rv_req_for(struct resolver *rs, struct symbol *sym)
{
	if (!rs->icap)
		return NULL;
	for (struct req *r = rv_slot_of(rs, sym)->head; r; r = r->next_same)
		if (!r->bad)
			return r;
	return NULL;
}

/* ---- mapping entries to requests ---- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list's applet names and symbols (not negated), sorted, once. */
static void index_list(struct resolver *rs)
{
	rs->applets = bk_xmalloc((rs->list.n + 1) * sizeof *rs->applets);
	rs->symbols = bk_xmalloc((rs->list.n + 1) * sizeof *rs->symbols);
	for (size_t i = 0; i < rs->list.n; i++) {
		const struct list_entry *e = &rs->list.v[i];
		if (e->negate)
			continue;
		if (e->applet)
			rs->applets[rs->napplets++] = e->name;
		else
			rs->symbols[rs->nsymbols++] = e->name;
	}
	qsort(rs->applets, rs->napplets, sizeof *rs->applets, cmp_name);
	qsort(rs->symbols, rs->nsymbols, sizeof *rs->symbols, cmp_name);
}

int rv_listed_applet(struct resolver *rs, const char *name)
{
	return rs->napplets && bsearch(&name, rs->applets, rs->napplets, sizeof *rs->applets, cmp_name);
}

int rv_listed_symbol(struct resolver *rs, const char *name)
{
	return rs->nsymbols && bsearch(&name, rs->symbols, rs->nsymbols, sizeof *rs->symbols, cmp_name);
}

static void map_applet(struct resolver *rs, const struct list_entry *ent)
{
	const struct applet *alt[8];
	size_t n = 0, pick = 0;
	for (size_t i = 0; i < rs->apps.n && n < 8; i++)
		if (!strcmp(rs->apps.v[i].name, ent->name) && rs->apps.v[i].ncond &&
		    !rs->apps.v[i].cond[0].neg)
			alt[n++] = &rs->apps.v[i];
	if (!n) {
		struct req *r = rv_add_req(rs, ent, NULL);
		rv_unknown(rs, r, 1);
		return;
	}
	if (ent->negate) {
		/* !applet: every entry of that name off */
		for (size_t i = 0; i < n; i++) {
			struct req *r = rv_add_req(rs, ent, sym_find(alt[i]->cond[0].sym));
			r->tri = no;
			r->app = alt[i];
		}
		return;
	}
	/* Several table entries (sh: ash or hush): the one whose implementation
	 * the list names, else the first (ash). */
	for (size_t i = 0; i < n; i++)
		if (rv_listed_symbol(rs, alt[i]->cond[0].sym) ||
		    (strcmp(alt[i]->main, ent->name) && rv_listed_applet(rs, alt[i]->main))) {
			pick = i;
			break;
		}
	{
		struct symbol *s = sym_find(alt[pick]->cond[0].sym);
		struct req *r = rv_add_req(rs, ent, s);
		r->app = alt[pick];
		if (!s)
			rv_problem(rs, r, "applet table names %s, which busybox %s's Kconfig lacks",
				alt[pick]->cond[0].sym, rs->version);
	}
}

/* Two lines that cannot both hold: the same symbol on and off, or given two
 * values; two alternatives of one choice. Each later line is reported
 * against the earliest line it contradicts, as a pairwise check would, but
 * in one pass: per symbol (in its index slot) and per choice, the earliest
 * line of each kind. */
struct seen_choice {
	struct symbol *choice;
	struct req *first[2]; /* the first yes, the first yes of another symbol */
};

static struct seen_choice *choice_for(struct seen_choice **v, size_t *n, struct symbol *cs)
{
	for (size_t i = 0; i < *n; i++) /* a list touches a handful of choices */
		if ((*v)[i].choice == cs)
			return &(*v)[i];
	*v = bk_xrealloc(*v, (*n + 1) * sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].choice = cs;
	return &(*v)[(*n)++];
}

/* The comment after '#' on line `line` of file (heap), or NULL. */
static char *line_comment(const char *file, int line)
{
	char *text, *res = NULL;
	struct bkerr e = {0, "", NULL, 0};
	if (!bk_read_file(file, &text, NULL, &e)) {
		char *p = text;
		for (int n = 1; p && n < line; n++)
			if ((p = strchr(p, '\n')))
				p++;
		if (p) {
			char *end = p + strcspn(p, "\n"), *hash = memchr(p, '#', (size_t)(end - p));
			if (hash) {
				hash++;
				while (hash < end && (*hash == ' ' || *hash == '\t'))
					hash++;
				if (hash < end)
					res = strndup(hash, (size_t)(end - hash));
			}
		}
		free(text);
	}
	free(e.more);
	return res;
}

void rv_find_conflicts(struct resolver *rs)
{
	struct seen_choice *choices = NULL, *ch;
	size_t nchoices = 0;
	for (size_t k = 0; k < rs->nreqs; k++) {
		struct req *b = rs->reqs[k], *a = NULL, *c = NULL;
		struct by_sym *s;
		struct symbol *cs = NULL;
		const char *why = "contradicts";
		if (b->bad || !b->ent || !b->sym)
			continue;
		s = rv_slot_of(rs, b->sym);
		ch = NULL;
		if (b->val) {
			for (size_t i = 0; i < s->nvals && !a; i++)
				if (strcmp(s->vals[i]->val, b->val) && s->vals[i]->ent != b->ent)
					a = s->vals[i];
			why = "asks for another value of";
		} else {
			a = s->first[b->tri == yes ? 0 : 1];
			if (a && a->ent == b->ent)
				a = NULL;
		}
		if (sym_is_choice_value(b->sym) && b->tri == yes) {
			cs = prop_get_symbol(sym_get_choice_prop(b->sym));
			ch = choice_for(&choices, &nchoices, cs);
			c = ch->first[0] && ch->first[0]->sym != b->sym ? ch->first[0] : ch->first[1];
		}
		if (a && (!c || a->pos < c->pos) && strstr(a->ent->file, "toolchain/")) {
			/* what the toolchain cannot build: its reason, and the way out */
			char *reason = line_comment(a->ent->file, a->ent->line);
			rv_problem(rs, b, "%s %s:%d (%s) about %s%s%s; the toolchain cannot have it: drop the line",
				why, a->ent->file, a->ent->line, a->ent->text, a->sym->name,
				reason ? ": " : "", reason ? reason : "");
			free(reason);
		} else if (a && (!c || a->pos < c->pos))
			rv_problem(rs, b, "%s %s:%d (%s) about %s", why, a->ent->file, a->ent->line,
				a->ent->text, a->sym->name);
		else if (c) {
			struct property *p = cs ? prompt_of(cs) : NULL;
			rv_problem(rs, b,
				"conflicts with %s:%d (%s): %s and %s are alternatives of one choice "
				"(\"%s\"); keep one",
				c->ent->file, c->ent->line, c->ent->text, c->sym->name, b->sym->name,
				p && p->text ? p->text : "choice");
		} else {
			/* b holds: it is the earliest of its kind */
			if (b->val) {
				int have = 0;
				for (size_t i = 0; i < s->nvals; i++)
					have |= !strcmp(s->vals[i]->val, b->val);
				if (!have) {
					s->vals = bk_xrealloc(s->vals, (s->nvals + 1) * sizeof *s->vals);
					s->vals[s->nvals++] = b;
				}
			} else if (!s->first[b->tri == yes])
				s->first[b->tri == yes] = b; /* in order: the first is the earliest */
			if (ch) {
				if (!ch->first[0])
					ch->first[0] = b;
				else if (ch->first[0]->sym != b->sym && !ch->first[1])
					ch->first[1] = b;
			}
		}
	}
	for (size_t i = 0; i < rs->icap; i++) {
		free(rs->index[i].vals);
		rs->index[i].vals = NULL;
		rs->index[i].nvals = 0;
	}
	free(choices);
}

/* One resolve of rs->list from the baseline, its first step. */
void rv_map(struct resolver *rs)
{
	index_list(rs);
	for (size_t i = 0; i < rs->list.n; i++) {
		if (rs->list.v[i].applet)
			map_applet(rs, &rs->list.v[i]);
		else
			rv_map_symbol(rs, &rs->list.v[i]);
	}
}
