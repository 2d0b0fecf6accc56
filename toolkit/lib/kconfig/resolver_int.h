/* The resolver engine's own header: what its files (resolver.c, names.c,
 * map.c, values.c, apply.c, explain.c, oldconfig.c, write.c, shortest.c)
 * share. Only they include it; commands see resolver.h, where struct
 * resolver is opaque.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_RESOLVER_INT_H
#define BBKIT_RESOLVER_INT_H

#include "resolver.h"

#include "lkc.h"

/* not in lkc_proto.h of every busybox release */
struct property *sym_get_range_prop(struct symbol *sym);

struct req {
	const struct list_entry *ent; /* NULL for implied requests */
	struct symbol *sym;
	tristate tri;            /* bool targets */
	const char *val;         /* int/hex/string targets */
	const struct applet *app;/* applet entries: the chosen table entry */
	struct req *implied_by;  /* dependency turned on for this request */
	int bad;                 /* cannot be honoured */
	int out_of_range;        /* a value outside its range: reported at the end,
				    unless it is a leftover (see leftover()) */
	int ignored;             /* a leftover value, ignored as oldconfig does */
	char *msg;               /* why (first reason found) */
	struct req *next_same;   /* the next request for the same symbol */
	size_t pos;              /* its place among the requests */
};

/* Requests by symbol, and the list's names, found in O(1)/O(log n): a
 * 50,000-line list must not make resolve quadratic. */
struct by_sym {
	struct symbol *sym;
	struct req *head, *tail;
	/* find_conflicts: the first line of each kind that holds */
	struct req *first[2]; /* tri: first no, first yes */
	struct req **vals;    /* values: the first line of each value */
	size_t nvals;
};

struct resolver {
	struct bk_say say;  /* progress and notes */
	struct bkerr *e;
	char *version;       /* of the tree, checked against the engine's */
	char *builddir;      /* absolute */
	char *basefile;      /* the allnoconfig baseline (or --base) */
	struct applet_list list;
	size_t input_start;  /* list entries from here are the input (a .config,
			      * its fragments merged); before: toolchain lists */
	struct applets apps;
	struct req **reqs;
	size_t nreqs;
	int defaults;
	long long epoch;     /* the banner's date (SOURCE_DATE_EPOCH, checked) */
	char *names_dir;
	struct by_sym *index;  /* open addressing, icap a power of two */
	size_t icap, iused;
	char **applets, **symbols; /* listed (not negated), sorted */
	size_t napplets, nsymbols;
	const struct applet **by_own; /* table entries by their own symbol, sorted */
	size_t nby_own;
};

/* ---- small kconfig helpers every file uses ---- */

static inline const char *tri_name(tristate t)
{
	return t == yes ? "y" : t == mod ? "m" : "n";
}

static inline int is_bool(struct symbol *s)
{
	enum symbol_type t = sym_get_type(s);
	return t == S_BOOLEAN || t == S_TRISTATE;
}

static inline tristate tri_of(struct symbol *s)
{
	sym_calc_value(s);
	return sym_get_tristate_value(s);
}

static inline const char *val_of(struct symbol *s)
{
	sym_calc_value(s);
	return sym_get_string_value(s);
}

static inline int real_symbol(struct symbol *s)
{
	return s && s->name && s->type != S_UNKNOWN && s->type != S_OTHER &&
	       (s->prop || s->rev_dep.expr); /* a hidden bool may only be selected */
}

/* First property of a type whatever its visibility (messages must name the
 * range and default even while the symbol is hidden). */
static inline struct property *first_prop(struct symbol *s, enum prop_type t)
{
	struct property *p;
	for_all_properties(s, p, t) return p;
	return NULL;
}

static inline struct property *prompt_of(struct symbol *s)
{
	struct property *p;
	for_all_prompts(s, p) return p;
	return NULL;
}

static inline struct expr *dep_of(struct symbol *s)
{
	struct property *p = prompt_of(s);
	return p ? p->visible.expr : NULL;
}

/* ---- resolver.c: the steps ---- */
/* r cannot be honoured: why (the first reason found is kept). */
void rv_problem(struct resolver *rs, struct req *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rv_forget(struct resolver *rs); /* no requests, no list; table stays */

/* ---- names.c: names of this and other versions, for unknown names ---- */
void rv_save_names(struct resolver *rs);
void rv_unknown(struct resolver *rs, struct req *r, int applet);

/* ---- map.c: list entries to requests, the index, conflicts ---- */
struct by_sym *rv_slot_of(struct resolver *rs, struct symbol *sym);
struct req *rv_add_req(struct resolver *rs, const struct list_entry *ent, struct symbol *sym);
struct req *rv_req_for(struct resolver *rs, struct symbol *sym); /* first not bad */
int rv_listed_applet(struct resolver *rs, const char *name);
int rv_listed_symbol(struct resolver *rs, const char *name);
void rv_find_conflicts(struct resolver *rs);
void rv_map(struct resolver *rs); /* rs->list to requests */

/* ---- values.c: a symbol line to a request of its type, checked ---- */
void rv_map_symbol(struct resolver *rs, const struct list_entry *ent);
char *rv_range_text(struct symbol *s); /* ", range lo..hi" or "" (heap) */
int rv_in_range(struct symbol *s, const char *v);
const char *rv_default_text(struct symbol *s);
void rv_type_problem(struct resolver *rs, struct req *r, const char *what);

/* ---- apply.c: requests into kconfig ---- */
int rv_satisfied(struct req *r); /* the request holds in kconfig now */
int rv_applet_requested(struct resolver *rs, const struct applet *a);
const struct applet *rv_applet_of(struct resolver *rs, struct symbol *s);
int rv_named(struct resolver *rs, const struct applet *a);
int rv_applet_on(const char *sym, void *ctx); /* for bk_applet_enabled */
void rv_apply_all(struct resolver *rs);

/* ---- explain.c: why a request does not hold; the final check ---- */
void rv_why_not(struct resolver *rs, struct req *r, struct sbuf *b);
void rv_check_all(struct resolver *rs);

/* ---- write.c: kconfig's conf_write into a directory ---- */
int rv_conf_write_in(const char *dir, const char *out, long long epoch, struct bkerr *e);

#endif
