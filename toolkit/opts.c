/* The option parser every command shares: argv against the command's rows
 * (bbkit.h), plus -q, --cache and --help; the rows' rules are optrules.c's,
 * the generated --help opthelp.c's.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The row a word names, and its attached value ("--opt=V", "-xV"). */
static const struct opt *find_opt(const struct opt *opts, const char *a, const char **val)
{
	for (const struct opt *o = opts; o && o->name; o++) {
		size_t len = strlen(o->name);
		int lng = o->name[1] == '-';
		if (strncmp(a, o->name, len))
			continue;
		*val = NULL;
		if (!a[len])
			return o;
		if (o->kind == OPT_FLAG)
			continue;
		if (lng && a[len] == '=') {
			*val = a + len + 1;
			return o;
		}
		if (!lng) {
			*val = a + len;
			return o;
		}
	}
	return NULL;
}

/* v is one of the words in "a|b|c". */
static int one_of(const char *list, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = list; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
		if (!strncmp(p, v, n) && (p[n] == '|' || !p[n]))
			return n > 0;
	return 0;
}

/* An OPT_INT's value: digits only (no sign, space or leading zero), in
 * the row's range. */
static int take_int(struct ctx *c, const struct opt *o, const char *v)
{
	long n = 0;
	const char *p = v;
	for (; *p >= '0' && *p <= '9' && n <= o->hi; p++)
		n = n * 10 + (*p - '0');
	if (!*v || *p || (v[0] == '0' && v[1]) || n < o->lo || n > o->hi)
		return usage_error(c, "%s %s: want a number from %ld to %ld", o->name, v, o->lo,
				   o->hi);
	*(int *)o->dst = (int)n;
	return 0;
}

static int take(struct ctx *c, const struct opt *o, const char *v)
{
	if (o->kind == OPT_FLAG)
		*(int *)o->dst = 1;
	else if (o->kind == OPT_INT)
		return take_int(c, o, v);
	else if (o->kind == OPT_VALUE && o->oneof && !one_of(o->oneof, v)) {
		char *list = opt_either(o->oneof);
		int r = usage_error(c, "%s %s: use %s", o->name, v, list);
		free(list);
		return r;
	} else if (o->kind == OPT_VALUE)
		*(const char **)o->dst = v;
	else if (*o->count >= o->max)
		return usage_error(c, "%s: at most %d of them", o->name, o->max);
	else
		((const char **)o->dst)[(*o->count)++] = v;
	return 0;
}

/* The options every command takes: *taken says whether argv[*i] is one
 * (*i moves past its value); -1 when --help was printed, or a usage error. */
static int shared_opt(struct ctx *c, int argc, char **argv, int *i, const struct opt *opts,
		      const char *usage, int *taken)
{
	const char *a = argv[*i];
	*taken = 1;
	if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		fputs(usage, stdout);
		print_options(stdout, opts);
		fputs(BBKIT_EXIT_CODES, stdout);
		return -1;
	}
	if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
		c->quiet = 1;
		return 0;
	}
	if (strcmp(a, "--cache") && strncmp(a, "--cache=", 8)) {
		*taken = 0;
		return 0;
	}
	if (a[7] != '=' && *i + 1 >= argc)
		return usage_error(c, "--cache needs a value");
	a = a[7] == '=' ? a + 8 : argv[++*i];
	/* "" would make the working directory the cache */
	if (!*a)
		return usage_error(c, "--cache: an empty directory; give the cache's directory, or "
				      "leave --cache out ($BBKIT_CACHE, else ./.cache)");
	ctx_set_cache(c, a);
	return 0;
}

/* An unknown word, or a flag given "=V". */
static int unknown_opt(struct ctx *c, const struct opt *opts, const char *a)
{
	size_t n = strcspn(a, "=");
	for (const struct opt *o = opts; a[n] && o && o->name; o++)
		if (o->kind == OPT_FLAG && strlen(o->name) == n && !strncmp(a, o->name, n))
			return usage_error(c, "%s: %s takes no value", a, o->name);
	return usage_error(c, "%s: unknown option", a);
}

int parse_args(struct ctx *c, int argc, char **argv, const struct opt *opts, const char *usage,
	       struct args *pos)
{
	int only_pos = 0, taken, given[OPT_MAX_ROWS] = {0};
	if (pos)
		pos->n = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		const struct opt *o;
		int r;
		if (!only_pos && !strcmp(a, "--")) { /* the rest are arguments: -dash.list */
			only_pos = 1;
			continue;
		}
		if (only_pos || a[0] != '-' || !a[1]) {
			if (!pos || pos->n >= pos->max)
				return usage_error(c, "%s: unexpected argument", a);
			pos->v[pos->n++] = a;
			continue;
		}
		if ((r = shared_opt(c, argc, argv, &i, opts, usage, &taken)))
			return r;
		if (taken)
			continue;
		if (!(o = find_opt(opts, a, &v)))
			return unknown_opt(c, opts, a);
		if (o->kind != OPT_FLAG && !v) {
			if (i + 1 >= argc)
				return usage_error(c, "%s needs a value", o->name);
			v = argv[++i];
		}
		if ((r = take(c, o, v)))
			return r;
		if (o - opts < OPT_MAX_ROWS)
			given[o - opts] = 1;
	}
	return opt_check_rules(c, opts, given, pos);
}
