/* Errors, strings, allocation, edit distance.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bk.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Formats into a local buffer first: callers add context to an earlier
 * error by passing e->msg itself as an argument. */
static void set_msg(struct bkerr *e, const char *fmt, va_list ap)
{
	char buf[sizeof e->msg];
	vsnprintf(buf, sizeof buf, fmt, ap);
	memcpy(e->msg, buf, sizeof buf);
}

int bk_fail(struct bkerr *e, int code, const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return code;
	va_start(ap, fmt);
	set_msg(e, fmt, ap);
	va_end(ap);
	e->code = code;
	return code;
}

int bk_fail_errno(struct bkerr *e, int code, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;
	if (!e)
		return code;
	va_start(ap, fmt);
	set_msg(e, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(saved));
	e->code = code;
	return code;
}

void bk_problem(struct bkerr *e, const char *fmt, ...)
{
	va_list ap;
	char *line;
	size_t old;
	if (bk_nproblems(e) >= BK_MAX_PROBLEMS) {
		e->dropped++;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	old = e->more ? strlen(e->more) : 0;
	e->more = bk_xrealloc(e->more, old + strlen(line) + 2);
	memcpy(e->more + old, line, strlen(line));
	e->more[old + strlen(line)] = '\n';
	e->more[old + strlen(line) + 1] = 0;
	free(line);
}

size_t bk_nproblems(const struct bkerr *e)
{
	size_t n = e->dropped;
	for (const char *p = e->more; p && *p; p++)
		n += *p == '\n';
	return n;
}

void *bk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

void *bk_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *bk_xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

char *bk_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		abort();
	va_end(ap);
	return p;
}

void sb_init(struct sbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = bk_xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void sb_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;
	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	sb_addn(b, p, (size_t)n);
	free(p);
}

void bk_strv_add_unique(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	*v = bk_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = bk_xstrdup(s);
}

void bk_vec_push(struct bk_vec *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = bk_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

void bk_vec_free(struct bk_vec *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void sb_add_shell_word(struct sbuf *b, const char *s)
{
	sb_add(b, "'");
	for (; *s; s++)
		if (*s == '\'')
			sb_add(b, "'\\''");
		else
			sb_addn(b, s, 1);
	sb_add(b, "'");
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	sb_init(b);
}

int bk_levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *prev, *cur, r;
	if (la > 64 || lb > 64)
		return 1000;
	prev = bk_xmalloc((lb + 1) * sizeof *prev);
	cur = bk_xmalloc((lb + 1) * sizeof *cur);
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof *prev);
	}
	r = prev[lb];
	free(prev);
	free(cur);
	return r;
}

double bk_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int bk_epoch_parse(const char *s, long long *out, struct bkerr *e)
{
	long long v = 0;
	const char *p = s;
	*out = BK_EPOCH_DEFAULT;
	if (!s)
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > BK_EPOCH_MAX)
			break;
	}
	if (!*s || *p)
		return bk_fail(e, BK_USAGE,
			       "SOURCE_DATE_EPOCH=%.40s%s: not a time: want seconds since 1970 as digits "
			       "only, 0 to %lld (9999-12-31); set such a number, or unset it for %lld "
			       "(2000-01-01, make's default)",
			       s, strlen(s) > 40 ? "..." : "", BK_EPOCH_MAX, BK_EPOCH_DEFAULT);
	*out = v;
	return 0;
}

void bk_say(const struct bk_say *s, int kind, const char *fmt, ...)
{
	va_list ap;
	char *text;
	if (!s || !s->fn)
		return;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (text)
		s->fn(s->arg, kind, text);
	free(text);
}

void bk_say_waiting(void *arg)
{
	const struct bk_wait *w = arg;
	bk_say(w->say, BK_SAY_PROGRESS, "%s: another bbkit is working in %s; waiting for it", w->plat,
	       w->dir);
}

void bk_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int bk_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *bk_strv_join(char *const *v, size_t n, const char *sep)
{
	struct sbuf b = {0};
	sb_add(&b, "");
	for (size_t i = 0; i < n; i++)
		sb_addf(&b, "%s%s", i ? sep : "", v[i]);
	return b.s;
}
