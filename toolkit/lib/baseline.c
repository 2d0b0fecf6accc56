/* Baseline of known upstream-testsuite failures (see baseline.h).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "baseline.h"
#include "fs.h"
#include "tables.h"

#include <stdlib.h>
#include <string.h>

static void push(char ***v, size_t *n, const char *s, size_t len)
{
	*v = bk_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = strndup(s, len);
}

static int symbol_ok(const char *s)
{
	if (strncmp(s, "CONFIG_", 7) || !s[7])
		return 0;
	for (s += 7; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int config_set(const struct dotconfig *config, const char *sym)
{
	return config && bk_config_is_on(sym + strlen("CONFIG_"), (void *)config);
}

int bk_baseline_applies(const struct baseline_entry *x, const char *platform,
			const struct dotconfig *config)
{
	int on = !x->nplat;
	for (size_t i = 0; i < x->nplat && !on; i++)
		on = !strcmp(x->plat[i], platform);
	for (size_t i = 0; i < x->ncond && on; i++) {
		const char *c = x->cond[i];
		on = c[0] == '!' ? !config_set(config, c + 1) : config_set(config, c);
	}
	return on;
}

/* Could both entries apply at once? Same conditions and a shared platform. */
static int overlap(const struct baseline_entry *a, const struct baseline_entry *b)
{
	int shared = !a->nplat || !b->nplat;
	if (a->ncond != b->ncond)
		return 0;
	for (size_t i = 0; i < a->ncond; i++)
		if (strcmp(a->cond[i], b->cond[i]))
			return 0;
	for (size_t i = 0; i < a->nplat && !shared; i++)
		for (size_t j = 0; j < b->nplat && !shared; j++)
			shared = !strcmp(a->plat[i], b->plat[j]);
	return shared;
}

static void entry_free(struct baseline_entry *x)
{
	for (size_t i = 0; i < x->nplat; i++)
		free(x->plat[i]);
	for (size_t i = 0; i < x->ncond; i++)
		free(x->cond[i]);
	free(x->plat);
	free(x->cond);
	free(x->applet);
	free(x->test);
	free(x->reason);
}

/* WHEN field: terms separated by spaces or commas. */
static int parse_when(const char *s, struct baseline_entry *x, const char *path, int lineno,
		      struct bkerr *e)
{
	int star = 0;
	while (*s) {
		size_t n;
		char *t;
		s += strspn(s, " ,");
		if (!(n = strcspn(s, " ,")))
			break;
		t = strndup(s, n);
		s += n;
		if (!strcmp(t, "*")) {
			star = 1;
		} else if (symbol_ok(t + (t[0] == '!'))) {
			push(&x->cond, &x->ncond, t, n);
		} else if (bk_platform_find(t)) {
			push(&x->plat, &x->nplat, t, n);
		} else {
			bk_problem(e, "%s:%d: %s: neither a platform nor CONFIG_X/!CONFIG_X; platforms: * %s",
				   path, lineno, t, bk_platform_names());
			free(t);
			return -1;
		}
		free(t);
	}
	if (!star && !x->nplat) {
		bk_problem(e, "%s:%d: no platform in the first field; write * for every platform",
			   path, lineno);
		return -1;
	}
	if (star && x->nplat) {
		bk_problem(e, "%s:%d: * and platform names together; use one or the other", path,
			   lineno);
		return -1;
	}
	return 0;
}

int bk_baseline_parse(const char *path, const char *buf, size_t len, struct baseline *b,
		      struct bkerr *e)
{
	size_t cap = 0;
	int lineno = 0, bad = 0;
	memset(b, 0, sizeof *b);
	b->path = bk_xstrdup(path);
	if (memchr(buf, 0, len)) {
		bk_problem(e, "%s: contains a NUL byte; a baseline is a text file", path);
		return bk_fail(e, BK_REQUEST, "%s: not a valid baseline", path);
	}
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, n), *f[5] = {0};
		int nf = 0;
		struct baseline_entry x = {0};
		p += n + (nl != NULL);
		lineno++;
		if (n && line[n - 1] == '\r')
			line[--n] = 0;
		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#') {
			free(line);
			continue;
		}
		for (char *s = line, *t; nf < 5; s = t + 1) {
			f[nf++] = s;
			if (!(t = strchr(s, '\t')))
				break;
			*t = 0;
		}
		x.line = lineno;
		if (nf != 4) {
			bk_problem(e, "%s:%d: %d TAB-separated field%s, want 4: WHEN<TAB>APPLET<TAB>TEST<TAB>REASON",
				   path, lineno, nf, nf == 1 ? "" : "s");
			bad++;
		} else if (parse_when(f[0], &x, path, lineno, e)) {
			bad++;
		} else if (!*f[1] || !*f[2]) {
			bk_problem(e, "%s:%d: empty %s; write it as runtest prints it", path, lineno,
				   *f[1] ? "test name" : "applet");
			bad++;
		} else if (!f[3][strspn(f[3], " ")]) {
			bk_problem(e, "%s:%d: %s: %s: no reason given; every known failure needs one",
				   path, lineno, f[1], f[2]);
			bad++;
		} else {
			x.applet = bk_xstrdup(f[1]);
			x.test = bk_xstrdup(f[2]);
			x.reason = bk_xstrdup(f[3] + strspn(f[3], " "));
			for (size_t i = 0; i < b->n; i++) {
				if (!strcmp(b->v[i].applet, x.applet) && !strcmp(b->v[i].test, x.test) &&
				    overlap(&b->v[i], &x)) {
					bk_problem(e, "%s:%d: %s: %s: already listed at line %d for an overlapping platform set",
						   path, lineno, x.applet, x.test, b->v[i].line);
					bad++;
					entry_free(&x);
					memset(&x, 0, sizeof x);
					break;
				}
			}
			if (x.applet) {
				if (b->n == cap) {
					cap = cap ? 2 * cap : 32;
					b->v = bk_xrealloc(b->v, cap * sizeof *b->v);
				}
				b->v[b->n++] = x;
				memset(&x, 0, sizeof x);
			}
		}
		entry_free(&x);
		free(line);
	}
	if (bad)
		return bk_fail(e, BK_REQUEST, "%s: %d bad line%s", path, bad, bad == 1 ? "" : "s");
	return 0;
}

int bk_baseline_load(const char *path, struct baseline *b, struct bkerr *e)
{
	char *data;
	size_t len;
	int r;
	memset(b, 0, sizeof *b);
	if (bk_read_file(path, &data, &len, e))
		return e->code;
	r = bk_baseline_parse(path, data, len, b, e);
	free(data);
	return r;
}

const struct baseline_entry *bk_baseline_find(const struct baseline *b, const char *platform,
					      const struct dotconfig *config, const char *applet,
					      const char *test)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].applet, applet) && !strcmp(b->v[i].test, test) &&
		    bk_baseline_applies(&b->v[i], platform, config))
			return &b->v[i];
	return NULL;
}

void bk_baseline_free(struct baseline *b)
{
	for (size_t i = 0; i < b->n; i++)
		entry_free(&b->v[i]);
	free(b->v);
	free(b->path);
	memset(b, 0, sizeof *b);
}
