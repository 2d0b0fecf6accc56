/* Reading include/applets.h and .config.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "applets.h"
#include "fs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *trimdup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

/* Split "a, b, IF_X(c) IF_Y(d))" at top-level commas up to the closing
 * paren; returns pointer after it or NULL. */
static const char *split_args(const char *p, char **args, int max, int *nargs)
{
	int depth = 0, n = 0;
	const char *start = p;
	for (; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		else if ((*p == ',' || *p == ')') && depth == 0) {
			if (n < max)
				args[n++] = trimdup(start, (size_t)(p - start));
			if (*p == ')') {
				*nargs = n;
				return p + 1;
			}
			start = p + 1;
		}
	}
	for (int i = 0; i < n; i++)
		free(args[i]);
	return NULL;
}

static char *dir_of(const char *l)
{
	/* BB_DIR_USR_SBIN -> /usr/sbin, BB_DIR_ROOT -> "" (like applets/busybox.mkll) */
	char *d;
	if (strncmp(l, "BB_DIR_", 7))
		return NULL;
	if (!strcmp(l + 7, "ROOT"))
		return bk_xstrdup("");
	d = bk_xasprintf("/%s", l + 7);
	for (char *p = d; *p; p++)
		*p = *p == '_' ? '/' : (char)tolower((unsigned char)*p);
	return d;
}

int bk_applet_parse_line(const char *line, struct applet *a)
{
	const char *p = line;
	char *args[5];
	int nargs = 0;
	memset(a, 0, sizeof *a);
	while (!strncmp(p, "IF_", 3)) {
		const char *open = strchr(p, '(');
		struct applet_cond c;
		if (!open)
			return -1;
		c.neg = !strncmp(p, "IF_NOT_", 7);
		c.sym = strndup(p + (c.neg ? 7 : 3), (size_t)(open - p - (c.neg ? 7 : 3)));
		a->cond = bk_xrealloc(a->cond, (a->ncond + 1) * sizeof *a->cond);
		a->cond[a->ncond++] = c;
		p = open + 1;
		while (isspace((unsigned char)*p))
			p++;
	}
	if (strncmp(p, "APPLET", 6))
		return -1;
	p = strchr(p, '(');
	if (!p || !split_args(p + 1, args, 5, &nargs))
		return -1;
	if (nargs == 3) {
		a->name = args[0];
		a->main = bk_xstrdup(args[0]);
		a->dir = dir_of(args[1]);
		a->suid = args[2];
		free(args[1]);
	} else if (nargs == 5) {
		a->name = args[0];
		a->main = args[1];
		a->dir = dir_of(args[2]);
		a->suid = args[3];
		free(args[2]);
		free(args[4]);
	} else {
		for (int i = 0; i < nargs; i++)
			free(args[i]);
		return -1;
	}
	return a->dir ? 0 : -1;
}

void bk_applet_free(struct applet *a)
{
	free(a->name);
	free(a->main);
	free(a->dir);
	free(a->suid);
	for (size_t i = 0; i < a->ncond; i++)
		free(a->cond[i].sym);
	free(a->cond);
}

int bk_applets_load(const char *path, struct applets *out, struct bkerr *e)
{
	char *text;
	int lineno = 0, r = bk_read_file(path, &text, NULL, e);
	if (r)
		return bk_fail(e, BK_ENV, "%s; run 'bbkit prepare' (allnoconfig) for this build dir",
			       e->msg);
	memset(out, 0, sizeof *out);
	for (char *line = text, *next; line; line = next) {
		struct applet a;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		if (strncmp(line, "IF_", 3))
			continue;
		if (bk_applet_parse_line(line, &a)) {
			bk_applet_free(&a);
			r = bk_fail(e, BK_ENV, "%s:%d: cannot read this applet entry: %s", path,
				    lineno, line);
			break;
		}
		a.line = lineno;
		out->v = bk_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		out->v[out->n++] = a;
	}
	free(text);
	if (!r && out->n == 0)
		r = bk_fail(e, BK_ENV, "%s: no applet entries found", path);
	if (r)
		bk_applets_free(out);
	return r;
}

void bk_applets_free(struct applets *a)
{
	for (size_t i = 0; i < a->n; i++)
		bk_applet_free(&a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

int bk_applet_enabled(const struct applet *a, sym_is_on_fn on, void *ctx)
{
	for (size_t i = 0; i < a->ncond; i++)
		if ((!on(a->cond[i].sym, ctx)) != a->cond[i].neg)
			return 0;
	return 1;
}

const char *bk_applet_suid(const struct applet *a, sym_is_on_fn on, void *ctx)
{
	static const char *kinds[] = {"BB_SUID_REQUIRE", "BB_SUID_MAYBE", "BB_SUID_DROP"};
	const char *p = a->suid;
	/* Plain value, or "IF_X(V1) IF_NOT_X(V2)": take the branch that holds. */
	while ((p = strstr(p, "IF_"))) {
		int neg = !strncmp(p, "IF_NOT_", 7);
		const char *s = p + (neg ? 7 : 3), *open = strchr(s, '(');
		char *sym;
		int hold;
		if (!open)
			break;
		sym = strndup(s, (size_t)(open - s));
		hold = (!on(sym, ctx)) == neg;
		free(sym);
		if (hold) {
			for (int k = 0; k < 3; k++)
				if (!strncmp(open + 1, kinds[k], strlen(kinds[k])))
					return kinds[k];
		}
		p = open;
	}
	for (int k = 0; k < 3; k++)
		if (strstr(a->suid, kinds[k]))
			return kinds[k];
	return "BB_SUID_DROP";
}

int bk_config_load(const char *path, struct dotconfig *c, struct bkerr *e)
{
	char *text;
	int r = bk_read_file(path, &text, NULL, e);
	memset(c, 0, sizeof *c);
	if (r)
		return r;
	for (char *line = text, *next; line; line = next) {
		char *eq;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (strncmp(line, "CONFIG_", 7) || !(eq = strchr(line, '=')))
			continue;
		*eq = 0;
		c->v = bk_xrealloc(c->v, (c->n + 1) * sizeof *c->v);
		c->v[c->n].key = bk_xstrdup(line + 7);
		c->v[c->n].val = bk_xstrdup(eq + 1);
		c->n++;
	}
	free(text);
	return 0;
}

const char *bk_config_get(const struct dotconfig *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return c->v[i].val;
	return NULL;
}

int bk_config_is_on(const char *sym, void *config)
{
	const char *v = bk_config_get(config, sym);
	return v && !strcmp(v, "y");
}

void bk_config_free(struct dotconfig *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].val);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

char *bk_config_version(const char *config)
{
	char *text, *p, *v = NULL;
	if (bk_read_file(config, &text, NULL, NULL))
		return bk_xstrdup("unknown");
	p = strstr(text, "# Busybox version: ");
	if (p) {
		p += 19;
		v = strndup(p, strcspn(p, "\n"));
	}
	free(text);
	return v ? v : bk_xstrdup("unknown");
}
