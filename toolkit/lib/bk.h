/* bbkit shared library, the core every file needs: exit classes, errors
 * (struct bkerr), progress lines, strings, allocation. Library code never
 * prints, never exits; every failure is returned as an exit class plus a
 * message in struct bkerr. Prefix bk_ (not bb_, which reads like busybox's
 * own libbb). Each module's declarations are in the header beside its .c
 * (fs.h, run.h, apt.h, ...).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_BK_H
#define BBKIT_BK_H

#include <stddef.h>

/* Exit classes, shared by every command. */
enum {
	BK_OK = 0,     /* done */
	BK_REQUEST = 1,/* the request could not be honoured */
	BK_USAGE = 2,  /* bad command line */
	BK_ENV = 3,    /* environment or system problem */
};

/* Progress lines and notes from an engine: the command decides how (and
 * whether: -q) to show them. */
enum { BK_SAY_PROGRESS, BK_SAY_NOTE };
struct bk_say {
	void (*fn)(void *arg, int kind, const char *text);
	void *arg;
};
void bk_say(const struct bk_say *s, int kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* For bk_lock_or_wait: one progress line saying who waits where. */
struct bk_wait {
	const struct bk_say *say;
	const char *plat, *dir;
};
void bk_say_waiting(void *arg);

struct bkerr {
	int code;
	char msg[4096];
	char *more; /* further problem lines (heap, '\n'-separated), or NULL */
	size_t dropped; /* problems past BK_MAX_PROBLEMS, counted, not kept */
};

/* Problem lines kept (and printed); the rest are only counted: an input
 * that is not what it should be (a password file given as a list) never
 * has every line reported. */
#define BK_MAX_PROBLEMS 20

/* Record a failure; returns code so callers can `return bk_fail(...)`. */
int bk_fail(struct bkerr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, appending ": strerror(errno)". */
int bk_fail_errno(struct bkerr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add one more problem line (for commands that report every problem). */
void bk_problem(struct bkerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t bk_nproblems(const struct bkerr *e);

/* Growable string. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sb_init(struct sbuf *b);
void sb_add(struct sbuf *b, const char *s);
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as one shell word, in single quotes ('\'' for a quote in it). */
void sb_add_shell_word(struct sbuf *b, const char *s);
void sb_free(struct sbuf *b);

/* Append a copy of s to the string array (*v, *n) unless it is there. */
void bk_strv_add_unique(char ***v, size_t *n, const char *s);
/* qsort comparator for an array of strings. */
int bk_cmp_str(const void *a, const void *b);
/* v[0..n) joined with sep (caller frees; "" for none). */
char *bk_strv_join(char *const *v, size_t n, const char *sep);
/* A growing array of strings it owns (push takes a malloc'ed one). */
struct bk_vec {
	char **v;
	size_t n, cap;
};
void bk_vec_push(struct bk_vec *l, char *s);
void bk_vec_free(struct bk_vec *l);

/* Allocation that aborts on OOM is the only non-returning path (like xmalloc). */
void *bk_xmalloc(size_t n);
void *bk_xrealloc(void *p, size_t n);
char *bk_xstrdup(const char *s);
char *bk_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Free a NULL-terminated array of strings and the array (NULL: nothing). */
void bk_argv_free(char **argv);

/* Edit distance, for suggestions. */
int bk_levenshtein(const char *a, const char *b);
/* Seconds on the monotonic clock, for progress timing. */
double bk_now(void);

/* SOURCE_DATE_EPOCH, one rule for make and every command: digits only (no
 * sign, no space), 0 <= value <= BK_EPOCH_MAX (9999-12-31T23:59:59Z: a
 * four-digit year, what RFC 3339 readers such as skopeo take); NULL (unset)
 * is BK_EPOCH_DEFAULT, make's default too. Anything else is a BK_USAGE
 * error naming the value. */
#define BK_EPOCH_DEFAULT 946684800LL /* 2000-01-01T00:00:00Z */
#define BK_EPOCH_MAX 253402300799LL  /* 9999-12-31T23:59:59Z */
int bk_epoch_parse(const char *s, long long *out, struct bkerr *e);

#endif
