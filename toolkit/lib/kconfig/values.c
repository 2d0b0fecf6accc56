/* Values: a symbol line to a request of its type, checked (a bool's y or
 * n, a number that fits busybox's C int and its range, a string that stays
 * data in busybox's make and shell), and the messages that name a symbol's
 * type, default and range.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"
#include "../flags.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct expr *range_of(struct symbol *s)
{
	struct property *p = first_prop(s, P_RANGE);
	return p && p->expr && p->expr->type == E_RANGE ? p->expr : NULL;
}

/* A range bound is a number or a symbol (FIRST_SYSTEM_ID: range 0
 * LAST_ID); a symbol bound counts with its current value, as kconfig's own
 * sym_validate_range takes it. */
static int literal_bound(struct symbol *b)
{
	/* "range 0 LAST_ID": kconfig's parser looks the 0 up as a symbol too;
	 * one that no config defines is its own name */
	return (b->flags & SYMBOL_CONST) || b->type == S_UNKNOWN;
}

static const char *bound_value(struct symbol *b)
{
	if (literal_bound(b))
		return b->name;
	sym_calc_value(b);
	return sym_get_string_value(b);
}

static char *bound_text(struct symbol *b)
{
	if (literal_bound(b))
		return bk_xstrdup(b->name);
	return bk_xasprintf("%s (now %s)", b->name, bound_value(b));
}

char *rv_range_text(struct symbol *s)
{
	struct expr *r = range_of(s);
	char *lo, *hi, *t;
	if (!r)
		return bk_xstrdup("");
	lo = bound_text(r->left.sym);
	hi = bound_text(r->right.sym);
	t = bk_xasprintf(", range %s..%s", lo, hi);
	free(lo);
	free(hi);
	return t;
}

/* The value as the C number busybox's code gets (#define CONFIG_X v, used
 * as an int): one that does not fit is refused, range or no range. */
static int parse_number(struct symbol *s, const char *v, long long *x)
{
	int hex = sym_get_type(s) == S_HEX;
	char *end;
	errno = 0;
	*x = strtoll(v, &end, hex ? 16 : 10);
	if (errno || *end)
		return -1;
	return hex ? (*x < 0 || *x > 0xffffffffLL ? -1 : 0)
		   : (*x < -2147483647LL - 1 || *x > 2147483647LL ? -1 : 0);
}

static int symbolic_range(struct symbol *s)
{
	struct expr *r = range_of(s);
	return r && !(literal_bound(r->left.sym) && literal_bound(r->right.sym));
}

int rv_in_range(struct symbol *s, const char *v)
{
	struct expr *r = range_of(s);
	long long x, lo, hi;
	if (parse_number(s, v, &x))
		return 0;
	if (!r)
		return 1;
	if (parse_number(s, bound_value(r->left.sym), &lo) ||
	    parse_number(s, bound_value(r->right.sym), &hi))
		return 1; /* kconfig ignores a bound that is not a number */
	return x >= lo && x <= hi;
}

const char *rv_default_text(struct symbol *s)
{
	struct property *p = sym_get_default_prop(s);
	struct symbol *d;
	if (!p)
		p = first_prop(s, P_DEFAULT);
	d = p ? prop_get_symbol(p) : NULL;
	return d && d->name ? d->name : "none";
}

void rv_type_problem(struct resolver *rs, struct req *r, const char *what)
{
	struct symbol *s = r->sym;
	const char *tn = sym_type_name(sym_get_type(s));
	char *range = rv_range_text(s);
	const char *how = sym_get_type(s) == S_STRING ? "\"text\""
			  : sym_get_type(s) == S_HEX  ? "0x<hex digits>"
						      : "<number>";
	rv_problem(rs, r, "%s: %s is %s %s (default %s%s); write %s=%s", what, s->name,
		sym_get_type(s) == S_INT ? "an" : "a", tn, rv_default_text(s), range, s->name, how);
	free(range);
}

/* busybox's build includes .config as make text and passes some values to
 * the shell: a list's string is data and must stay data there. */
static void check_string(struct resolver *rs, struct req *r)
{
	static const char *const toolchain[] = {"CROSS_COMPILER_PREFIX", "SYSROOT"};
	static const char *const flags[] = {"EXTRA_CFLAGS", "EXTRA_LDFLAGS", "EXTRA_LDLIBS"};
	const char *name = r->sym->name, *v = r->ent->value;
	for (size_t i = 0; i < sizeof toolchain / sizeof toolchain[0]; i++)
		if (!strcmp(name, toolchain[i]) && *v) {
			rv_problem(rs, r,
				"%s is bbkit's: the platform table sets the toolchain (clang --target, "
				"the private sysroot); remove the line (an empty value is fine)",
				name);
			return;
		}
	if (strpbrk(v, "$`")) {
		/* every string, not only those the Makefiles use: busybox's
		 * scripts/trylink, generate_BUFSIZ.sh and embedded_scripts run
		 * `. ./.config`, where "$(cmd)" and `cmd` inside double quotes are
		 * command substitutions (kconfig writes them unescaped) */
		rv_problem(rs, r,
			"a string may not hold '$' or '`': busybox's build reads .config as make "
			"text and sources it as shell (scripts/trylink, generate_BUFSIZ.sh), where "
			"%s would run as a command on the build machine; give a fixed value, or "
			"change %s's default in the source with your own patch (PATCHES=DIR)",
			strchr(v, '`') ? "`...`" : "$(...)", name);
		return;
	}
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		char *bad;
		const char *why;
		if (strcmp(name, flags[i]))
			continue;
		if (strpbrk(v, ";|&<>()'\\\"#\n")) {
			rv_problem(rs, r,
				"%s goes to the compiler's command line through make and the shell: "
				"write options only, without ; | & < > ( ) quotes, backslash or #",
				name);
			return;
		}
		if (bk_flags_check(i == 2 ? BK_FLAGS_LIBS : BK_FLAGS_CC, v, &bad, &why)) {
			rv_problem(rs, r, "%s may not hold '%.64s%s': %s", name, bad,
				strlen(bad) > 64 ? "..." : "", why);
			free(bad);
		}
		return;
	}
}

/* Bools whose "y" bbkit's build cannot honour: the wrapper links one static
 * executable (-static, ET_EXEC), so a PIE or a shared libbusybox would be
 * written into the config and silently not be what was built. */
static int build_refuses(struct resolver *rs, struct req *r)
{
	if (!strcmp(r->sym->name, "PIE")) {
		rv_problem(rs, r,
			"bbkit builds a static executable that is not position independent (ET_EXEC: "
			"its wrapper links with -static), so PIE cannot be honoured; remove the line "
			"or write !PIE");
		return 1;
	}
	if (!strcmp(r->sym->name, "BUILD_LIBBUSYBOX")) {
		rv_problem(rs, r,
			"bbkit builds and ships one static busybox executable (its wrapper links with "
			"-static), never a shared libbusybox or binaries linked against it; remove the "
			"line or write !BUILD_LIBBUSYBOX");
		return 1;
	}
	return 0;
}

void rv_map_symbol(struct resolver *rs, const struct list_entry *ent)
{
	struct symbol *s = sym_find(ent->name);
	struct req *r;
	if (!real_symbol(s)) {
		r = rv_add_req(rs, ent, NULL);
		rv_unknown(rs, r, 0);
		return;
	}
	r = rv_add_req(rs, ent, s);
	if (ent->negate) {
		if (!is_bool(s))
			rv_type_problem(rs, r, "!NAME turns a bool off");
		else
			r->tri = no;
		return;
	}
	if (is_bool(s)) {
		if ((!ent->value || !strcmp(ent->value, "y")) && build_refuses(rs, r))
			return;
		if (!ent->value || !strcmp(ent->value, "y"))
			r->tri = yes;
		else if (!strcmp(ent->value, "n"))
			r->tri = no;
		else
			rv_problem(rs, r, "%s is a bool; write %s, !%s, %s=y or %s=n", s->name, s->name,
				s->name, s->name, s->name);
		return;
	}
	if (!ent->value) {
		rv_type_problem(rs, r, "no value given");
		return;
	}
	if (sym_get_type(s) == S_STRING) {
		if (!ent->quoted)
			rv_problem(rs, r, "%s is a string; write %s=\"%s\"", s->name, s->name, ent->value);
		else
			check_string(rs, r);
		r->val = ent->value;
		return;
	}
	if (ent->quoted || !sym_string_valid(s, ent->value)) {
		rv_type_problem(rs, r, !strcmp(ent->value, "y") || !strcmp(ent->value, "n")
					    ? "not a bool"
					    : "malformed value");
		return;
	}
	{
		long long x;
		if (parse_number(s, ent->value, &x)) {
			rv_type_problem(rs, r,
				     sym_get_type(s) == S_HEX
					     ? "does not fit the C number busybox makes of it (0..0xffffffff)"
					     : "does not fit the C int busybox makes of it "
					       "(-2147483648..2147483647)");
			return;
		}
	}
	/* a bound that is a symbol is checked after all values are set (rv_why_not),
	 * when the bound has its final value; a value out of a fixed range is
	 * reported at the end too, as it may be a leftover (rv_check_all) */
	r->out_of_range = !symbolic_range(s) && !rv_in_range(s, ent->value);
	r->val = ent->value;
}

/* Two requests for one symbol, or for two members of one choice. */
