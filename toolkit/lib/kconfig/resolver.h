/* The resolver engine (resolver.c): busybox's own kconfig, linked once per
 * busybox version, applies an applet list and checks every request.
 * A command calls: resolver_setup, loads rs->list, then resolver_map and
 * resolver_check (or resolver_run for both), resolver_problems, and
 * resolver_write / resolver_explain / resolver_shortest_list; resolver_free.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_RESOLVER_H
#define BBKIT_RESOLVER_H

#include "../applets.h"
#include "../bk.h"
#include "../list.h"

#include "lkc.h"

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
	const char *version; /* of the tree, checked against the engine's */
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

/* The applet table, the kconfig tree and its baseline, read once. */
int resolver_setup(struct resolver *rs, const char *src, const char *builddir, const char *base,
		   const char *cache, struct bkerr *e);
void resolver_map(struct resolver *rs);   /* each list entry to requests */
void resolver_check(struct resolver *rs); /* conflicts, apply, check */
void resolver_run(struct resolver *rs);   /* map + check */
/* Every request that cannot be honoured, as a problem line; their count. */
size_t resolver_problems(struct resolver *rs, struct bkerr *e);
void resolver_notes(struct resolver *rs); /* through rs->say */
/* "file:line<TAB>entry<TAB>SYMBOL<TAB>value" per mapped request. */
void resolver_requests(struct resolver *rs, struct sbuf *out);
/* Every symbol of the kconfig tree, one a line (bbkit bump-report diffs two
 * versions' lists): "NAME<TAB>type<TAB>first default<TAB>prompt<TAB>file:line"
 * ("none" when it has no default, an empty prompt and "-" when none). */
void resolver_symbols(struct resolver *rs, struct sbuf *out);
void resolver_explain(struct resolver *rs, const char *name, struct sbuf *out);
/* The shortest list that, after the base lists, gives the config rs holds. */
int resolver_shortest_list(struct resolver *rs, const char *const *base, int nbase,
			   const char *from, struct sbuf *out, struct bkerr *e);
/* The depfile (when given), then .config (and autoconf.h into the build
 * dir when out is NULL), atomically. */
int resolver_write(struct resolver *rs, const char *out, const char *depfile,
		   const char *const *dep_targets, int ndep_targets, struct bkerr *e);
int resolver_satisfied(struct req *r); /* the request holds in kconfig now */
/* Whether file (one of the lists) is a busybox .config rather than a list. */
int resolver_is_config(struct resolver *rs, const char *file);
/* file is a .config: every symbol whose value differs from what busybox's
 * `yes "" | make oldconfig` gives for file's lines, named in one note (with
 * why: not named, the toolchain list, busybox dropped it), applets first; a
 * "# oldconfig: ..." line each to comment (may be NULL). strict: the
 * difference is a problem (BK_REQUEST) instead of a note. rs's values are
 * as before. */
int resolver_oldconfig(struct resolver *rs, const char *file, int strict,
		       struct sbuf *comment, struct bkerr *e);
void resolver_forget(struct resolver *rs); /* no requests, no list; table stays */
void resolver_free(struct resolver *rs);

#endif
