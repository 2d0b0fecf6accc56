/* The resolver engine (lib/kconfig/): busybox's own kconfig, linked once per
 * busybox version, applies an applet list and checks every request.
 * A command calls: resolver_open, resolver_map with its lists, then
 * resolver_check (or resolver_run for both), resolver_problems, and
 * resolver_write / resolver_explain / resolver_shortest_list (or
 * resolver_answer for what bbkit resolve asks); resolver_free.
 * kconfig's state is global: one resolver per process.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_RESOLVER_H
#define BBKIT_RESOLVER_H

#include "../applets.h"
#include "../bk.h"
#include "../list.h"

struct resolver; /* opaque: resolver_int.h */

struct resolver_opts {
	const char *src;      /* the busybox tree (its version is the engine's) */
	const char *builddir; /* an allnoconfig'd build dir (bbkit prepare) */
	const char *base;     /* the starting config; NULL: the build dir's allnoconfig */
	const char *cache;    /* NULL: no names of other versions for unknown names */
	const char *version;  /* the tree's */
	int defaults;         /* --features defaults (else minimal) */
	long long epoch;      /* the banner's date (SOURCE_DATE_EPOCH, checked) */
	struct bk_say say;    /* progress and notes */
};

/* The applet table, the kconfig tree and its baseline, read once; NULL with
 * e set when they cannot be. Problems of the requests are added to e. */
struct resolver *resolver_open(const struct resolver_opts *o, struct bkerr *e);
const struct applets *resolver_applets(const struct resolver *rs);
const char *resolver_builddir(const struct resolver *rs); /* absolute */
size_t resolver_nentries(const struct resolver *rs); /* of the list mapped */
void resolver_set_defaults(struct resolver *rs, int defaults);
/* Each entry of list to requests; the resolver takes list over (*list is
 * left empty). Entries from input_start on are the input (a .config and its
 * fragments); before: toolchain lists. */
void resolver_map(struct resolver *rs, struct applet_list *list, size_t input_start);
void resolver_check(struct resolver *rs); /* conflicts, apply, check */
void resolver_run(struct resolver *rs, struct applet_list *list); /* map + check */
/* Every request that cannot be honoured, as a problem line; their count. */
size_t resolver_problems(struct resolver *rs, struct bkerr *e);
/* Requests of the input reported as honoured that do not hold in kconfig:
 * none unless the engine is wrong (the fuzzer checks it). */
size_t resolver_unheld(struct resolver *rs);
void resolver_notes(struct resolver *rs); /* through the say of the options */
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
/* What bbkit resolve asks once the requests are checked. */
struct resolver_ask {
	const char *const *lists; /* every list given, the last the input */
	int nlists;
	const char *explain;      /* --explain NAME, or NULL */
	int want_list, strict;    /* --print-list, --strict */
	const char *out;          /* the .config named when nothing is written */
	const char *version;      /* the tree's, for messages */
};
/* The problems into e (and a .config input's oldconfig differences: a
 * note, or with strict problems); then --explain's text, or (no problem)
 * --print-list's shortest list after the .config's "# oldconfig:" lines,
 * into text (NULL s: none). BK_REQUEST when a request cannot be honoured,
 * naming the .config that was not written. */
int resolver_answer(struct resolver *rs, const struct resolver_ask *a, struct sbuf *text,
		    struct bkerr *e);
/* No requests, no list, kconfig back at the baseline (the table stays). */
void resolver_reset(struct resolver *rs);
void resolver_free(struct resolver *rs);

#endif
