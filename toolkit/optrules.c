/* The rules an option row declares besides its value, in one place both
 * ways: checked once every word is parsed (opt_check_rules) and said in
 * --help under the row (opt_row_rules), so the two cannot disagree.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "opts.h"

#include <stdlib.h>
#include <string.h>

char *opt_either(const char *list)
{
	struct sbuf b = {0};
	sb_init(&b);
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, "|");
		sb_addn(&b, p, n);
		p += n + (p[n] == '|');
		if (*p)
			sb_add(&b, strchr(p, '|') ? ", " : " or ");
	}
	return b.s ? b.s : bk_xstrdup("");
}

char *opt_row_rules(const struct opt *opts, const struct opt *o)
{
	struct sbuf b = {0}, excl = {0};
	sb_init(&b);
	if (o->need && !*o->need)
		sb_add(&b, "; required");
	else if (o->need)
		sb_addf(&b, "; required unless %s", o->need);
	if (o->with)
		sb_addf(&b, "; only with %s", o->with);
	sb_init(&excl);
	for (const struct opt *x = opts; o->group && x->name; x++)
		if (x != o && (x->group & o->group))
			sb_addf(&excl, "%s%s", excl.len ? "|" : "", x->name);
	if (excl.len) {
		char *v = opt_either(excl.s);
		sb_addf(&b, "; not with %s", v);
		free(v);
	}
	free(excl.s);
	if (o->kind == OPT_INT)
		sb_addf(&b, "; %ld to %ld", o->lo, o->hi);
	if (o->oneof) {
		char *v = opt_either(o->oneof);
		sb_addf(&b, "; %s", v);
		free(v);
	}
	if (o->kind == OPT_MANY)
		sb_addf(&b, "; repeatable, at most %d", o->max);
	return b.s ? b.s : bk_xstrdup("");
}

static int row_of(const struct opt *opts, const char *name)
{
	for (int i = 0; opts && opts[i].name; i++)
		if (!strcmp(opts[i].name, name))
			return i;
	return -1;
}

/* "--a or --b" when two options each stand in for the other. */
static int mutual(const struct opt *opts, int i, int other)
{
	return other >= 0 && opts[other].need && !strcmp(opts[other].need, opts[i].name);
}

/* Two given options that share a group bit, then an "only with" row given
 * without its option. */
static int check_pairs(struct ctx *c, const struct opt *opts, const int *given)
{
	for (int i = 0; opts && opts[i].name && i < OPT_MAX_ROWS; i++)
		for (int j = i + 1; opts[j].name && j < OPT_MAX_ROWS; j++)
			if ((opts[i].group & opts[j].group) && given[i] && given[j])
				return usage_error(c, "%s and %s cannot go together: choose one",
						   opts[i].name, opts[j].name);
	for (int i = 0; opts && opts[i].name && i < OPT_MAX_ROWS; i++) {
		int with = opts[i].with ? row_of(opts, opts[i].with) : -1;
		if (opts[i].with && given[i] && (with < 0 || !given[with]))
			return usage_error(c, "%s: only with %s", opts[i].name, opts[i].with);
	}
	return 0;
}

int opt_check_rules(struct ctx *c, const struct opt *opts, const int *given,
		    const struct args *pos)
{
	const char *miss[OPT_MAX_ROWS + 1];
	char *pairs[OPT_MAX_ROWS] = {0};
	struct sbuf b = {0};
	int n = 0, r;
	if ((r = check_pairs(c, opts, given)))
		return r;
	if (pos && pos->n < pos->min)
		miss[n++] = pos->what;
	for (int i = 0; opts && opts[i].name && i < OPT_MAX_ROWS; i++) {
		const char *need = opts[i].need;
		int other = need && *need ? row_of(opts, need) : -1;
		if (!need || given[i] || (other >= 0 && given[other]))
			continue;
		if (!mutual(opts, i, other))
			miss[n++] = opts[i].name;
		else if (other > i) /* said once, with its pair */
			miss[n++] = pairs[i] = bk_xasprintf("%s or %s", opts[i].name, need);
	}
	for (int i = 0; i < n; i++)
		sb_addf(&b, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", miss[i]);
	if (n)
		r = usage_error(c, "needs %s", b.s);
	free(b.s);
	for (int i = 0; i < OPT_MAX_ROWS; i++)
		free(pairs[i]);
	return r;
}
