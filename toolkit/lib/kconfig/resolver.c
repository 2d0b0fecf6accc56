/* The resolver engine: an applet list -> busybox .config, through busybox's
 * own kconfig engine (a kconfig frontend like scripts/kconfig/conf.c, linked
 * with that tree's zconf.tab.c once per busybox version). Never prints:
 * problems go to struct bkerr, progress and notes to rs->say, text that a
 * command shows (explain, the shortest list) to a struct sbuf.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver.h"
#include "../cache.h"
#include "../flags.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* not in lkc_proto.h of every busybox release */
struct property *sym_get_range_prop(struct symbol *sym);


/* conf_write() does not check fclose(); kconf_io.h routes it here. */
static int kconf_write_errno;
int bbkit_kconf_fclose(FILE *f)
{
	int bad = ferror(f);
	int r = fclose(f);
	if ((bad || r) && !kconf_write_errno)
		kconf_write_errno = errno ? errno : EIO;
	return r;
}

static const char *tri_name(tristate t)
{
	return t == yes ? "y" : t == mod ? "m" : "n";
}

static const char *where(const struct req *r)
{
	static char buf[4][600];
	static int k;
	k = (k + 1) % 4;
	if (r->ent)
		snprintf(buf[k], sizeof buf[k], "%s:%d", r->ent->file, r->ent->line);
	else
		buf[k][0] = 0;
	return buf[k];
}

static void problem(struct resolver *rs, struct req *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct resolver *rs, struct req *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	(void)rs;
	if (r->msg)
		free(msg);
	else
		r->msg = msg;
	r->bad = 1;
}

static struct by_sym *slot_of(struct resolver *rs, struct symbol *sym)
{
	uintptr_t x = (uintptr_t)sym;
	size_t i;
	x ^= x >> 17;
	x *= (uintptr_t)0x9E3779B97F4A7C15ULL;
	for (i = (size_t)(x >> 7) & (rs->icap - 1); rs->index[i].sym && rs->index[i].sym != sym;
	     i = (i + 1) & (rs->icap - 1))
		;
	return &rs->index[i];
}

static void index_add(struct resolver *rs, struct req *r)
{
	struct by_sym *s;
	if (2 * (rs->iused + 1) > rs->icap) { /* grow: rehash every head */
		struct by_sym *old = rs->index;
		size_t n = rs->icap;
		rs->icap = n ? 2 * n : 1024;
		rs->index = calloc(rs->icap, sizeof *rs->index);
		if (!rs->index)
			abort();
		for (size_t i = 0; i < n; i++)
			if (old[i].sym)
				*slot_of(rs, old[i].sym) = old[i];
		free(old);
	}
	s = slot_of(rs, r->sym);
	if (!s->sym) {
		s->sym = r->sym;
		s->head = s->tail = r;
		rs->iused++;
		return;
	}
	s->tail->next_same = r;
	s->tail = r;
}

static struct req *add_req(struct resolver *rs, const struct list_entry *ent, struct symbol *sym)
{
	struct req *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	r->ent = ent;
	r->sym = sym;
	r->tri = yes;
	rs->reqs = bk_xrealloc(rs->reqs, (rs->nreqs + 1) * sizeof *rs->reqs);
	r->pos = rs->nreqs;
	rs->reqs[rs->nreqs++] = r;
	if (sym)
		index_add(rs, r);
	return r;
}

/* The first request for sym that is not bad. */
static struct req *req_for(struct resolver *rs, struct symbol *sym)
{
	if (!rs->icap)
		return NULL;
	for (struct req *r = slot_of(rs, sym)->head; r; r = r->next_same)
		if (!r->bad)
			return r;
	return NULL;
}

static int is_bool(struct symbol *s)
{
	enum symbol_type t = sym_get_type(s);
	return t == S_BOOLEAN || t == S_TRISTATE;
}

static tristate tri_of(struct symbol *s)
{
	sym_calc_value(s);
	return sym_get_tristate_value(s);
}

static const char *val_of(struct symbol *s)
{
	sym_calc_value(s);
	return sym_get_string_value(s);
}

/* ---- names of this and other busybox versions, for unknown names ---- */

static int real_symbol(struct symbol *s)
{
	return s && s->name && s->type != S_UNKNOWN && s->type != S_OTHER &&
	       (s->prop || s->rev_dep.expr); /* a hidden bool may only be selected */
}

static char *names_text(struct resolver *rs)
{
	struct sbuf b;
	struct symbol *s;
	int i;
	sb_init(&b);
	sb_add(&b, "");
	for_all_symbols(i, s) if (real_symbol(s)) sb_addf(&b, "S %s\n", s->name);
	for (size_t k = 0; k < rs->apps.n; k++)
		sb_addf(&b, "A %s\n", rs->apps.v[k].name);
	return b.s;
}

/* Versions (other than ours) whose names file lists "<kind> <name>". */
static char *other_versions_with(struct resolver *rs, char kind, const char *name)
{
	struct sbuf b;
	char *needle = bk_xasprintf("\n%c %s\n", kind, name);
	sb_init(&b);
	sb_add(&b, "");
	for (const struct bk_version *v = bk_versions; v->version; v++) {
		char *path, *text;
		if (!strcmp(v->version, rs->version) || !rs->names_dir)
			continue;
		path = bk_xasprintf("%s/busybox-%s.names", rs->names_dir, v->version);
		if (!bk_read_file(path, &text, NULL, NULL)) {
			char *t = bk_xasprintf("\n%s", text);
			if (strstr(t, needle))
				sb_addf(&b, "%s%s", b.len ? ", " : "", v->version);
			free(t);
			free(text);
		}
		free(path);
	}
	free(needle);
	return b.s;
}

/* Every other pinned version's names are in the cache (each is saved the
 * first time that version resolves): "no version has it" can be said. */
static int other_versions_known(struct resolver *rs)
{
	for (const struct bk_version *v = bk_versions; v->version; v++) {
		char *path;
		int ok;
		if (!strcmp(v->version, rs->version))
			continue;
		if (!rs->names_dir)
			return 0;
		path = bk_xasprintf("%s/busybox-%s.names", rs->names_dir, v->version);
		ok = bk_exists(path);
		free(path);
		if (!ok)
			return 0;
	}
	return 1;
}

static void save_names(struct resolver *rs)
{
	char *text, *path;
	if (!rs->names_dir || bk_mkdirs(rs->names_dir, 0755, NULL))
		return;
	text = names_text(rs);
	path = bk_xasprintf("%s/busybox-%s.names", rs->names_dir, rs->version);
	bk_write_atomic(path, text, strlen(text), 0644, 1, NULL, NULL);
	free(path);
	free(text);
}

struct cand {
	int d;
	char name[128];
};

static void consider(struct cand *best, int nbest, const char *name, const char *shown,
		     const char *want)
{
	int d = bk_levenshtein(want, name);
	int limit = (int)strlen(want) / 3 + 1;
	if (d > limit || d > 2) /* a close spelling, not any name of that length */
		return;
	for (int i = 0; i < nbest; i++)
		if (!strcmp(best[i].name, shown))
			return;
	for (int i = 0; i < nbest; i++)
		if (d < best[i].d) {
			memmove(&best[i + 1], &best[i], (size_t)(nbest - i - 1) * sizeof *best);
			best[i].d = d;
			snprintf(best[i].name, sizeof best[i].name, "%s", shown);
			return;
		}
}

static char *suggest(struct resolver *rs, const char *name, int applet)
{
	struct cand best[3];
	struct symbol *s;
	struct sbuf b;
	int i;
	char lower[128];
	for (int k = 0; k < 3; k++)
		best[k].d = 1000, best[k].name[0] = 0;
	/* of the same kind only: an applet for an applet, a symbol for a symbol */
	for (size_t k = 0; applet && k < rs->apps.n; k++)
		consider(best, 3, rs->apps.v[k].name, rs->apps.v[k].name, name);
	if (!applet)
		for_all_symbols(i, s)
		{
			if (real_symbol(s) && strlen(s->name) < sizeof lower)
				consider(best, 3, s->name, s->name, name);
		}
	sb_init(&b);
	sb_add(&b, "");
	for (int k = 0; k < 3 && best[k].d < 1000; k++)
		sb_addf(&b, "%s%s", k ? ", " : "", best[k].name);
	return b.s;
}

/* "1.37.0" against "1.38.0": <0, 0, >0 by each number in turn */
static int vercmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
		if (ea == a && eb == b && !*a && !*b)
			break;
		if (!*ea && !*eb)
			break;
	}
	return 0;
}

static void unknown(struct resolver *rs, struct req *r, int applet)
{
	const char *name = r->ent->name;
	char *sug = suggest(rs, name, applet);
	char *other = other_versions_with(rs, applet ? 'A' : 'S', name);
	struct sbuf b;
	sb_init(&b);
	/* not a typo (nothing close), in no pinned version: a patch's symbol */
	if (!applet && !other[0] && !sug[0] && other_versions_known(rs)) {
		sb_addf(&b, "unknown config symbol: no pinned busybox (%s) has it, so it may come "
			    "from a distribution's patch (Debian's PLATFORM_LINUX is one); drop the "
			    "line",
			bk_pinned_names());
		problem(rs, r, "%s", b.s);
		sb_free(&b);
		free(sug);
		free(other);
		return;
	}
	sb_addf(&b, "unknown %s in busybox %s", applet ? "applet" : "config symbol", rs->version);
	if (other[0]) {
		/* which side of this version the ones that have it are */
		int newer = 0, older = 0;
		char *dup = bk_xstrdup(other), *save = NULL, *latest = NULL;
		for (char *v = strtok_r(dup, ", ", &save); v; v = strtok_r(NULL, ", ", &save)) {
			if (vercmp(v, rs->version) > 0) {
				newer++;
				if (!latest)
					latest = v; /* pins are in ascending order: the first newer */
			} else
				older++;
		}
		if (newer && !older)
			sb_addf(&b, " (new in busybox %s: use BUSYBOX_VERSION=%s)", latest, latest);
		else if (older && !newer)
			sb_addf(&b, " (busybox %s has it: removed or renamed after it)", other);
		else
			sb_addf(&b, " (busybox %s has it)", other);
		free(dup);
	}
	if (sug[0])
		sb_addf(&b, "; closest: %s", sug);
	else
		sb_addf(&b, "; no similar name (busybox's Config.in files and include/applets.h "
			    "list them)");
	problem(rs, r, "%s", b.s);
	sb_free(&b);
	free(sug);
	free(other);
}

/* ---- mapping entries to requests ---- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list's applet names and symbols (not negated), sorted, once. */
static void index_list(struct resolver *rs)
{
	rs->applets = bk_xmalloc((rs->list.n + 1) * sizeof *rs->applets);
	rs->symbols = bk_xmalloc((rs->list.n + 1) * sizeof *rs->symbols);
	for (size_t i = 0; i < rs->list.n; i++) {
		const struct list_entry *e = &rs->list.v[i];
		if (e->negate)
			continue;
		if (e->applet)
			rs->applets[rs->napplets++] = e->name;
		else
			rs->symbols[rs->nsymbols++] = e->name;
	}
	qsort(rs->applets, rs->napplets, sizeof *rs->applets, cmp_name);
	qsort(rs->symbols, rs->nsymbols, sizeof *rs->symbols, cmp_name);
}

static int listed_applet(struct resolver *rs, const char *name)
{
	return rs->napplets && bsearch(&name, rs->applets, rs->napplets, sizeof *rs->applets, cmp_name);
}

static int listed_symbol(struct resolver *rs, const char *name)
{
	return rs->nsymbols && bsearch(&name, rs->symbols, rs->nsymbols, sizeof *rs->symbols, cmp_name);
}

static void map_applet(struct resolver *rs, const struct list_entry *ent)
{
	const struct applet *alt[8];
	size_t n = 0, pick = 0;
	for (size_t i = 0; i < rs->apps.n && n < 8; i++)
		if (!strcmp(rs->apps.v[i].name, ent->name) && rs->apps.v[i].ncond &&
		    !rs->apps.v[i].cond[0].neg)
			alt[n++] = &rs->apps.v[i];
	if (!n) {
		struct req *r = add_req(rs, ent, NULL);
		unknown(rs, r, 1);
		return;
	}
	if (ent->negate) {
		/* !applet: every entry of that name off */
		for (size_t i = 0; i < n; i++) {
			struct req *r = add_req(rs, ent, sym_find(alt[i]->cond[0].sym));
			r->tri = no;
			r->app = alt[i];
		}
		return;
	}
	/* Several table entries (sh: ash or hush): the one whose implementation
	 * the list names, else the first (ash). */
	for (size_t i = 0; i < n; i++)
		if (listed_symbol(rs, alt[i]->cond[0].sym) ||
		    (strcmp(alt[i]->main, ent->name) && listed_applet(rs, alt[i]->main))) {
			pick = i;
			break;
		}
	{
		struct symbol *s = sym_find(alt[pick]->cond[0].sym);
		struct req *r = add_req(rs, ent, s);
		r->app = alt[pick];
		if (!s)
			problem(rs, r, "applet table names %s, which busybox %s's Kconfig lacks",
				alt[pick]->cond[0].sym, rs->version);
	}
}

/* First property of a type whatever its visibility (messages must name the
 * range and default even while the symbol is hidden). */
static struct property *first_prop(struct symbol *s, enum prop_type t)
{
	struct property *p;
	for_all_properties(s, p, t) return p;
	return NULL;
}

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

static char *range_text(struct symbol *s)
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

static int in_range(struct symbol *s, const char *v)
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

static const char *default_text(struct symbol *s)
{
	struct property *p = sym_get_default_prop(s);
	struct symbol *d;
	if (!p)
		p = first_prop(s, P_DEFAULT);
	d = p ? prop_get_symbol(p) : NULL;
	return d && d->name ? d->name : "none";
}

static void type_problem(struct resolver *rs, struct req *r, const char *what)
{
	struct symbol *s = r->sym;
	const char *tn = sym_type_name(sym_get_type(s));
	char *range = range_text(s);
	const char *how = sym_get_type(s) == S_STRING ? "\"text\""
			  : sym_get_type(s) == S_HEX  ? "0x<hex digits>"
						      : "<number>";
	problem(rs, r, "%s: %s is %s %s (default %s%s); write %s=%s", what, s->name,
		sym_get_type(s) == S_INT ? "an" : "a", tn, default_text(s), range, s->name, how);
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
			problem(rs, r,
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
		problem(rs, r,
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
			problem(rs, r,
				"%s goes to the compiler's command line through make and the shell: "
				"write options only, without ; | & < > ( ) quotes, backslash or #",
				name);
			return;
		}
		if (bk_flags_check(i == 2 ? BK_FLAGS_LIBS : BK_FLAGS_CC, v, &bad, &why)) {
			problem(rs, r, "%s may not hold '%.64s%s': %s", name, bad,
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
		problem(rs, r,
			"bbkit builds a static executable that is not position independent (ET_EXEC: "
			"its wrapper links with -static), so PIE cannot be honoured; remove the line "
			"or write !PIE");
		return 1;
	}
	if (!strcmp(r->sym->name, "BUILD_LIBBUSYBOX")) {
		problem(rs, r,
			"bbkit builds and ships one static busybox executable (its wrapper links with "
			"-static), never a shared libbusybox or binaries linked against it; remove the "
			"line or write !BUILD_LIBBUSYBOX");
		return 1;
	}
	return 0;
}

static void map_symbol(struct resolver *rs, const struct list_entry *ent)
{
	struct symbol *s = sym_find(ent->name);
	struct req *r;
	if (!real_symbol(s)) {
		r = add_req(rs, ent, NULL);
		unknown(rs, r, 0);
		return;
	}
	r = add_req(rs, ent, s);
	if (ent->negate) {
		if (!is_bool(s))
			type_problem(rs, r, "!NAME turns a bool off");
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
			problem(rs, r, "%s is a bool; write %s, !%s, %s=y or %s=n", s->name, s->name,
				s->name, s->name, s->name);
		return;
	}
	if (!ent->value) {
		type_problem(rs, r, "no value given");
		return;
	}
	if (sym_get_type(s) == S_STRING) {
		if (!ent->quoted)
			problem(rs, r, "%s is a string; write %s=\"%s\"", s->name, s->name, ent->value);
		else
			check_string(rs, r);
		r->val = ent->value;
		return;
	}
	if (ent->quoted || !sym_string_valid(s, ent->value)) {
		type_problem(rs, r, !strcmp(ent->value, "y") || !strcmp(ent->value, "n")
					    ? "not a bool"
					    : "malformed value");
		return;
	}
	{
		long long x;
		if (parse_number(s, ent->value, &x)) {
			type_problem(rs, r,
				     sym_get_type(s) == S_HEX
					     ? "does not fit the C number busybox makes of it (0..0xffffffff)"
					     : "does not fit the C int busybox makes of it "
					       "(-2147483648..2147483647)");
			return;
		}
	}
	/* a bound that is a symbol is checked after all values are set (why_not),
	 * when the bound has its final value; a value out of a fixed range is
	 * reported at the end too, as it may be a leftover (check_all) */
	r->out_of_range = !symbolic_range(s) && !in_range(s, ent->value);
	r->val = ent->value;
}

static struct property *prompt_of(struct symbol *s)
{
	struct property *p;
	for_all_prompts(s, p) return p;
	return NULL;
}

/* Two requests for one symbol, or for two members of one choice. */
/* Two lines that cannot both hold: the same symbol on and off, or given two
 * values; two alternatives of one choice. Each later line is reported
 * against the earliest line it contradicts, as a pairwise check would, but
 * in one pass: per symbol (in its index slot) and per choice, the earliest
 * line of each kind. */
struct seen_choice {
	struct symbol *choice;
	struct req *first[2]; /* the first yes, the first yes of another symbol */
};

static struct seen_choice *choice_for(struct seen_choice **v, size_t *n, struct symbol *cs)
{
	for (size_t i = 0; i < *n; i++) /* a list touches a handful of choices */
		if ((*v)[i].choice == cs)
			return &(*v)[i];
	*v = bk_xrealloc(*v, (*n + 1) * sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].choice = cs;
	return &(*v)[(*n)++];
}

/* The comment after '#' on line `line` of file (heap), or NULL. */
static char *line_comment(const char *file, int line)
{
	char *text, *res = NULL;
	struct bkerr e = {0, "", NULL, 0};
	if (!bk_read_file(file, &text, NULL, &e)) {
		char *p = text;
		for (int n = 1; p && n < line; n++)
			if ((p = strchr(p, '\n')))
				p++;
		if (p) {
			char *end = p + strcspn(p, "\n"), *hash = memchr(p, '#', (size_t)(end - p));
			if (hash) {
				hash++;
				while (hash < end && (*hash == ' ' || *hash == '\t'))
					hash++;
				if (hash < end)
					res = strndup(hash, (size_t)(end - hash));
			}
		}
		free(text);
	}
	free(e.more);
	return res;
}

static void find_conflicts(struct resolver *rs)
{
	struct seen_choice *choices = NULL, *ch;
	size_t nchoices = 0;
	for (size_t k = 0; k < rs->nreqs; k++) {
		struct req *b = rs->reqs[k], *a = NULL, *c = NULL;
		struct by_sym *s;
		struct symbol *cs = NULL;
		const char *why = "contradicts";
		if (b->bad || !b->ent || !b->sym)
			continue;
		s = slot_of(rs, b->sym);
		ch = NULL;
		if (b->val) {
			for (size_t i = 0; i < s->nvals && !a; i++)
				if (strcmp(s->vals[i]->val, b->val) && s->vals[i]->ent != b->ent)
					a = s->vals[i];
			why = "asks for another value of";
		} else {
			a = s->first[b->tri == yes ? 0 : 1];
			if (a && a->ent == b->ent)
				a = NULL;
		}
		if (sym_is_choice_value(b->sym) && b->tri == yes) {
			cs = prop_get_symbol(sym_get_choice_prop(b->sym));
			ch = choice_for(&choices, &nchoices, cs);
			c = ch->first[0] && ch->first[0]->sym != b->sym ? ch->first[0] : ch->first[1];
		}
		if (a && (!c || a->pos < c->pos) && strstr(a->ent->file, "toolchain/")) {
			/* what the toolchain cannot build: its reason, and the way out */
			char *reason = line_comment(a->ent->file, a->ent->line);
			problem(rs, b, "%s %s:%d (%s) about %s%s%s; the toolchain cannot have it: drop the line",
				why, a->ent->file, a->ent->line, a->ent->text, a->sym->name,
				reason ? ": " : "", reason ? reason : "");
			free(reason);
		} else if (a && (!c || a->pos < c->pos))
			problem(rs, b, "%s %s:%d (%s) about %s", why, a->ent->file, a->ent->line,
				a->ent->text, a->sym->name);
		else if (c) {
			struct property *p = cs ? prompt_of(cs) : NULL;
			problem(rs, b,
				"conflicts with %s:%d (%s): %s and %s are alternatives of one choice "
				"(\"%s\"); keep one",
				c->ent->file, c->ent->line, c->ent->text, c->sym->name, b->sym->name,
				p && p->text ? p->text : "choice");
		} else {
			/* b holds: it is the earliest of its kind */
			if (b->val) {
				int have = 0;
				for (size_t i = 0; i < s->nvals; i++)
					have |= !strcmp(s->vals[i]->val, b->val);
				if (!have) {
					s->vals = bk_xrealloc(s->vals, (s->nvals + 1) * sizeof *s->vals);
					s->vals[s->nvals++] = b;
				}
			} else if (!s->first[b->tri == yes])
				s->first[b->tri == yes] = b; /* in order: the first is the earliest */
			if (ch) {
				if (!ch->first[0])
					ch->first[0] = b;
				else if (ch->first[0]->sym != b->sym && !ch->first[1])
					ch->first[1] = b;
			}
		}
	}
	for (size_t i = 0; i < rs->icap; i++) {
		free(rs->index[i].vals);
		rs->index[i].vals = NULL;
		rs->index[i].nvals = 0;
	}
	free(choices);
}

/* ---- applying ---- */


static struct expr *dep_of(struct symbol *s)
{
	struct property *p = prompt_of(s);
	return p ? p->visible.expr : NULL;
}

/* Symbols that must be turned on to make e true, when that is the only
 * way (a conjunction of plain symbols); returns 0 when ambiguous. */
static int needed(struct resolver *rs, struct expr *e, struct symbol **out, int *n, int max)
{
	if (!e || expr_calc_value(e) == yes)
		return 1;
	switch (e->type) {
	case E_AND:
		return needed(rs, e->left.expr, out, n, max) && needed(rs, e->right.expr, out, n, max);
	case E_SYMBOL: {
		struct symbol *s = e->left.sym;
		struct req *r = req_for(rs, s);
		if (!real_symbol(s) || !is_bool(s) || sym_is_choice_value(s) || *n >= max)
			return 0;
		if (r && r->tri == no)
			return 0;
		out[(*n)++] = s;
		return 1;
	}
	default:
		return 0;
	}
}

static int apply_one(struct req *r)
{
	struct symbol *s = r->sym;
	if (r->out_of_range)
		return 0;
	if (r->val) {
		if (!strcmp(val_of(s), r->val))
			return 0;
		if (!sym_set_string_value(s, r->val))
			return 0;
		/* kconfig skips its recalculation when the user value is already
		 * this one (an invisible symbol's "" from the baseline): the value
		 * it shows is then stale, so recalculate, and count only a change */
		sym_clear_all_valid();
		return !strcmp(val_of(s), r->val);
	}
	if (tri_of(s) == r->tri)
		return 0;
	return sym_set_tristate_value(s, r->tri) ? 1 : 0;
}

int resolver_satisfied(struct req *r)
{
	if (r->val)
		return !strcmp(val_of(r->sym), r->val);
	return tri_of(r->sym) == r->tri;
}

static int applet_requested(struct resolver *rs, const struct applet *a)
{
	/* sh for a listed ash counts as asked for: /bin/sh comes with the shell */
	return listed_applet(rs, a->name) || listed_applet(rs, a->main);
}

static int cmp_own(const void *a, const void *b)
{
	const struct applet *x = *(const struct applet *const *)a, *y = *(const struct applet *const *)b;
	int c = strcmp(x->cond[0].sym, y->cond[0].sym);
	return c ? c : (x > y) - (x < y); /* table order among equals */
}

/* The applet whose own symbol (first of its table entry's IF_ chain) s is;
 * a sorted index of the table, made once, as this is asked per symbol. */
static const struct applet *applet_of(struct resolver *rs, struct symbol *s)
{
	size_t lo = 0, hi;
	if (!rs->by_own && rs->apps.n) {
		rs->by_own = bk_xmalloc(rs->apps.n * sizeof *rs->by_own);
		for (size_t k = 0; k < rs->apps.n; k++) {
			const struct applet *a = &rs->apps.v[k];
			if (a->ncond && !a->cond[0].neg && strcmp(a->name, "busybox"))
				rs->by_own[rs->nby_own++] = a;
		}
		qsort(rs->by_own, rs->nby_own, sizeof *rs->by_own, cmp_own);
	}
	for (hi = rs->nby_own; lo < hi;) { /* the first entry with that symbol */
		size_t mid = (lo + hi) / 2;
		if (strcmp(rs->by_own[mid]->cond[0].sym, s->name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rs->nby_own && !strcmp(rs->by_own[lo]->cond[0].sym, s->name) ? rs->by_own[lo]
										 : NULL;
}

/* The input names applet a: by its name, by its symbol, by an alias of it
 * (sh names ash, [ names test: the alias is that applet's code), or a is
 * such an alias of a named applet (a listed ash brings /bin/sh, as
 * applet_requested says). */
static int named(struct resolver *rs, const struct applet *a)
{
	if (listed_applet(rs, a->name) || listed_symbol(rs, a->cond[0].sym) ||
	    applet_requested(rs, a))
		return 1;
	for (size_t k = 0; k < rs->apps.n; k++) {
		const struct applet *b = &rs->apps.v[k];
		if (!strcmp(b->main, a->name) && strcmp(b->name, a->name) &&
		    listed_applet(rs, b->name))
			return 1;
	}
	return 0;
}

static int enable_deps(struct resolver *rs, struct req *r)
{
	struct symbol *need[32];
	int n = 0, changed = 0;
	if (!needed(rs, dep_of(r->sym), need, &n, 32))
		return 0;
	for (int i = 0; i < n; i++) {
		struct req *d;
		const struct applet *a;
		if (req_for(rs, need[i]))
			continue;
		/* no applet comes on behind the input's back */
		if ((a = applet_of(rs, need[i])) && !named(rs, a)) {
			struct req *root = r;
			while (!root->ent && root->implied_by)
				root = root->implied_by;
			problem(rs, root,
				"needs the applet %s (%s), which the input does not name; add '%s' "
				"to the list",
				a->name, need[i]->name, a->name);
			return changed;
		}
		d = add_req(rs, NULL, need[i]);
		d->implied_by = r;
		d->tri = yes;
		changed = 1;
	}
	return changed;
}

/* Symbol menus are visited as kconfig does; a feature is a bool whose
 * prompt depends on an enabled requested symbol. */
static int reset_features(struct resolver *rs, struct symbol *owner)
{
	struct symbol *s;
	int i, changed = 0;
	for_all_symbols(i, s)
	{
		struct expr *d;
		/* features only: an applet's default never turns it on */
		if (!real_symbol(s) || s == owner || req_for(rs, s) || !sym_has_value(s) ||
		    sym_is_choice_value(s) || sym_is_choice(s) || applet_of(rs, s))
			continue;
		d = dep_of(s);
		if (d && expr_contains_symbol(d, owner)) {
			s->flags |= SYMBOL_NEW;
			changed = 1;
		}
	}
	if (changed)
		sym_clear_all_valid();
	return changed;
}

static int applet_on(const char *sym, void *ctx)
{
	struct symbol *s = sym_find(sym);
	(void)ctx;
	return s && real_symbol(s) && tri_of(s) == yes;
}


/* minimal: a choice the list does not touch keeps no applet the list did
 * not ask for (allnoconfig picks sh=ash, for instance). */
static int quiet_choices(struct resolver *rs)
{
	struct symbol *s;
	int i, changed = 0;
	for_all_symbols(i, s)
	{
		struct property *p;
		struct expr *m;
		struct symbol *cur, *alt = NULL;
		int brings = 0;
		if (!sym_is_choice(s) || tri_of(s) == no)
			continue;
		p = sym_get_choice_prop(s);
		cur = (struct symbol *)s->curr.val;
		if (!cur || req_for(rs, cur))
			continue;
		for (m = p->expr; m; m = m->left.expr)
			if (req_for(rs, m->right.sym))
				break;
		if (m)
			continue;
		for (size_t k = 0; k < rs->apps.n; k++) {
			const struct applet *a = &rs->apps.v[k];
			for (size_t c = 0; c < a->ncond; c++)
				if (!strcmp(a->cond[c].sym, cur->name) && !applet_requested(rs, a))
					brings = 1;
		}
		if (!brings)
			continue;
		for (m = p->expr; m && !alt; m = m->left.expr) {
			int any = 0;
			for (size_t k = 0; k < rs->apps.n && !any; k++)
				for (size_t c = 0; c < rs->apps.v[k].ncond; c++)
					any |= !strcmp(rs->apps.v[k].cond[c].sym, m->right.sym->name);
			if (!any && m->right.sym->visible != no)
				alt = m->right.sym;
		}
		if (alt && sym_set_tristate_value(alt, yes))
			changed = 1;
	}
	return changed;
}

/* minimal: a bool that became visible without a value (conf_read drops the
 * values of invisible symbols) stays off unless requested. defaults: the
 * same for applets only (READAHEAD defaults to y once LFS is on). */
static int minimal_off(struct resolver *rs, int only_applets)
{
	struct symbol *s;
	int i, changed = 0;
	for_all_symbols(i, s)
	{
		if (!real_symbol(s) || !is_bool(s) || sym_has_value(s) || sym_is_choice_value(s) ||
		    sym_is_choice(s) || req_for(rs, s) || (only_applets && !applet_of(rs, s)))
			continue;
		sym_calc_value(s);
		if (s->visible != no && sym_set_tristate_value(s, no))
			changed = 1;
	}
	return changed;
}

static void apply_all(struct resolver *rs)
{
	for (int round = 0; round < 64; round++) {
		int changed = 0;
		for (int pass = 0; pass < 16; pass++) {
			int c = 0;
			for (size_t i = 0; i < rs->nreqs; i++)
				if (!rs->reqs[i]->bad)
					c |= apply_one(rs->reqs[i]);
			if (!c)
				break;
			changed = 1;
		}
		for (size_t i = 0; i < rs->nreqs; i++) {
			struct req *r = rs->reqs[i];
			if (!r->bad && !resolver_satisfied(r) && (r->val || r->tri == yes))
				changed |= enable_deps(rs, r);
		}
		if (rs->defaults)
			for (size_t i = 0; i < rs->nreqs; i++) {
				struct req *r = rs->reqs[i];
				if (!r->bad && !r->val && r->tri == yes && tri_of(r->sym) == yes)
					changed |= reset_features(rs, r->sym);
			}
		changed |= minimal_off(rs, rs->defaults);
		/* either policy: a choice the input leaves alone brings no applet */
		changed |= quiet_choices(rs);
		if (!changed)
			break;
	}
}

/* ---- explaining ---- */

static void add_str(void *data, const char *s)
{
	sb_add(data, s);
}

static void expr_text(struct sbuf *b, struct expr *e)
{
	expr_print(e, add_str, b, E_NONE);
}

static void collect_syms(struct expr *e, struct symbol **v, int *n, int max)
{
	if (!e)
		return;
	switch (e->type) {
	case E_SYMBOL:
	case E_EQUAL:
	case E_UNEQUAL:
		for (int k = 0; k < 2; k++) {
			struct symbol *s = k ? (e->type == E_SYMBOL ? NULL : e->right.sym) : e->left.sym;
			int dup = 0;
			if (!s || !real_symbol(s))
				continue;
			for (int i = 0; i < *n; i++)
				dup |= v[i] == s;
			if (!dup && *n < max)
				v[(*n)++] = s;
		}
		break;
	case E_NOT:
		collect_syms(e->left.expr, v, n, max);
		break;
	case E_AND:
	case E_OR:
		collect_syms(e->left.expr, v, n, max);
		collect_syms(e->right.expr, v, n, max);
		break;
	default:
		break;
	}
}

/* "A=y (list:3: A), B=n (not in the list)" for the symbols of e. */
static void sym_values(struct resolver *rs, struct sbuf *b, struct expr *e)
{
	struct symbol *v[32];
	int n = 0;
	collect_syms(e, v, &n, 32);
	for (int i = 0; i < n; i++) {
		struct req *r = req_for(rs, v[i]);
		sb_addf(b, "%s%s=%s", i ? ", " : "", v[i]->name, val_of(v[i]));
		if (r && r->ent)
			sb_addf(b, " (%s: %s)", where(r), r->ent->text);
		else if (r && r->implied_by && r->implied_by->ent)
			sb_addf(b, " (turned on for %s: %s)", where(r->implied_by),
				r->implied_by->ent->text);
		else if (v[i]->rev_dep.tri != no)
			sb_addf(b, " (selected)");
		else
			sb_addf(b, " (not in the list)");
	}
}

static void why_not(struct resolver *rs, struct req *r, struct sbuf *b)
{
	struct symbol *s = r->sym;
	struct expr *dep = dep_of(s);
	int want_on = r->val || r->tri == yes;
	if (want_on && !prompt_of(s)) {
		sb_addf(b, "%s cannot be set by hand (it has no prompt)", s->name);
		if (s->rev_dep.expr) {
			sb_add(b, "; it is on when selected by: ");
			expr_text(b, s->rev_dep.expr);
			sb_add(b, "; values: ");
			sym_values(rs, b, s->rev_dep.expr);
		}
		return;
	}
	if (want_on && dep && expr_calc_value(dep) == no) {
		sb_addf(b, "unmet dependency: %s depends on ", s->name);
		expr_text(b, dep);
		sb_add(b, "; values: ");
		sym_values(rs, b, dep);
		return;
	}
	if (r->val && !in_range(s, r->val)) {
		/* a symbolic bound, checked with its final value */
		char *range = range_text(s);
		sb_addf(b, "out of range: %s is an integer (default %s%s); write %s=<number>", s->name,
			default_text(s), range, s->name);
		free(range);
		return;
	}
	if (!want_on && s->rev_dep.tri != no) {
		sb_addf(b, "%s cannot be off: it is selected by ", s->name);
		expr_text(b, s->rev_dep.expr);
		sb_add(b, "; values: ");
		sym_values(rs, b, s->rev_dep.expr);
		return;
	}
	sb_addf(b, "%s ended as %s", s->name, val_of(s));
	if (sym_is_choice_value(s)) {
		struct symbol *cs = prop_get_symbol(sym_get_choice_prop(s));
		struct symbol *cur = cs ? (struct symbol *)cs->curr.val : NULL;
		if (cur)
			sb_addf(b, "; its choice holds %s", cur->name);
	}
}

/* Every symbol of e has a line in the input: the input decided its value. */
static int decided(struct resolver *rs, struct expr *e)
{
	struct symbol *v[32];
	int n = 0;
	collect_syms(e, v, &n, 32);
	for (int i = 0; i < n; i++) {
		struct req *r = req_for(rs, v[i]);
		if (!r || !r->ent)
			return 0;
	}
	return n > 0 && n < 32;
}

/* A value (int, hex, string) whose symbol's dependency the input itself
 * turns off: kconfig writes such values into every .config
 * (CONFIG_FEATURE_HTTPD_PORT_DEFAULT=80 under # CONFIG_HTTPD is not set),
 * and busybox's oldconfig ignores them. So does bbkit, with a note. */
static int leftover(struct resolver *rs, struct req *r)
{
	struct expr *dep = dep_of(r->sym);
	return r->val && !is_bool(r->sym) && dep && expr_calc_value(dep) == no &&
	       decided(rs, dep);
}

static void check_all(struct resolver *rs)
{
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *r = rs->reqs[i];
		struct sbuf b;
		if (r->bad || !r->ent)
			continue;
		if ((r->out_of_range || !resolver_satisfied(r)) && leftover(rs, r)) {
			r->ignored = 1;
			continue;
		}
		if (r->out_of_range) {
			type_problem(rs, r, "out of range");
			continue;
		}
		if (r->app && r->tri == yes) {
			/* the applet must be in the table under the final config */
			int found = 0;
			for (size_t k = 0; k < rs->apps.n && !found; k++)
				if (!strcmp(rs->apps.v[k].name, r->ent->name))
					found = bk_applet_enabled(&rs->apps.v[k], applet_on, NULL) ||
						(!strcmp(r->ent->name, "busybox") && resolver_satisfied(r));
			if (found)
				continue;
		} else if (resolver_satisfied(r))
			continue;
		sb_init(&b);
		if (!resolver_satisfied(r))
			why_not(rs, r, &b);
		else {
			sb_addf(&b, "%s is on, but the applet table also needs ", r->sym->name);
			for (size_t c = 1; c < r->app->ncond; c++)
				sb_addf(&b, "%s%s%s=%s", c > 1 ? ", " : "", r->app->cond[c].neg ? "!" : "",
					r->app->cond[c].sym,
					sym_find(r->app->cond[c].sym) ? val_of(sym_find(r->app->cond[c].sym)) : "?");
		}
		problem(rs, r, "%s", b.s);
		sb_free(&b);
	}
	/* implied dependencies that did not come on */
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *r = rs->reqs[i];
		if (!r->ent && !r->bad && !resolver_satisfied(r))
			r->bad = 1;
	}
	/* whatever turned it on (a select, a default), an applet the input does
	 * not name is never built quietly */
	for (size_t k = 0; k < rs->apps.n; k++) {
		const struct applet *a = &rs->apps.v[k];
		if (strcmp(a->name, "busybox") && bk_applet_enabled(a, applet_on, NULL) &&
		    !named(rs, a))
			bk_problem(rs->e,
				   "applet %s is on (%s=y) but the input does not name it; add '%s' "
				   "to the list, or !%s",
				   a->name, a->cond[0].sym, a->name, a->cond[0].sym);
	}
}

void resolver_notes(struct resolver *rs)
{
	struct sbuf ign;
	size_t nign = 0;
	sb_init(&ign);
	sb_add(&ign, "");
	for (size_t i = 0; i < rs->nreqs; i++)
		if (rs->reqs[i]->ignored)
			sb_addf(&ign, "%s%s", nign++ ? ", " : "", rs->reqs[i]->ent->text);
	if (nign)
		bk_say(&rs->say, BK_SAY_NOTE,
		       "%zu value%s ignored, as busybox's oldconfig ignores "
		       "them: the input turns their symbols' dependencies off: %s",
		       nign, nign == 1 ? "" : "s", ign.s);
	sb_free(&ign);
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *r = rs->reqs[i];
		if (!r->ent && r->implied_by && r->implied_by->ent && !r->bad)
			bk_say(&rs->say, BK_SAY_NOTE, "%s=y turned on for %s: %s (its dependency)",
			       r->sym->name, where(r->implied_by), r->implied_by->ent->text);
	}
	/* STATIC off is accepted (busybox's allnoconfig, Debian's deb config and
	 * every config bbkit wrote say so) but said: it is not what is built */
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *r = rs->reqs[i];
		if (r->ent && r->sym && !r->bad && r->tri == no && !strcmp(r->sym->name, "STATIC")) {
			bk_say(&rs->say, BK_SAY_NOTE,
			       "%s: %s: bbkit links busybox statically whatever STATIC says (its "
			       "wrapper passes -static); the binary is a static executable",
			       where(r), r->ent->text);
			break;
		}
	}
}

/* ---- what busybox's own oldconfig would make of a .config input ---- */

static int conf_write_in(const char *dir, const char *out, long long epoch, struct bkerr *e);

/* file's entries as a .config busybox's conf_read reads (what the resolver
 * parsed: CRLF, a BOM and long lines are already dealt with) */
static char *entries_as_config(struct resolver *rs)
{
	struct sbuf b;
	sb_init(&b);
	sb_add(&b, "");
	for (size_t i = 0; i < rs->list.n; i++) {
		const struct list_entry *e = &rs->list.v[i];
		if (i < rs->input_start) /* the input: the .config and its fragments */
			continue;
		if (e->applet) { /* an applet name: its own symbol */
			for (size_t k = 0; k < rs->nreqs; k++)
				if (rs->reqs[k]->ent == e && rs->reqs[k]->app)
					sb_addf(&b, e->negate ? "# CONFIG_%s is not set\n" : "CONFIG_%s=y\n",
						rs->reqs[k]->app->cond[0].sym);
			continue;
		}
		if (e->negate || (e->value && !strcmp(e->value, "n") && !e->quoted))
			sb_addf(&b, "# CONFIG_%s is not set\n", e->name);
		else if (e->quoted) {
			sb_addf(&b, "CONFIG_%s=\"", e->name);
			for (const char *c = e->value; *c; c++)
				sb_addf(&b, "%s%c", *c == '"' || *c == '\\' ? "\\" : "", *c);
			sb_add(&b, "\"\n");
		} else
			sb_addf(&b, "CONFIG_%s=%s\n", e->name, e->value ? e->value : "y");
	}
	return b.s;
}

/* Whether file is a busybox .config (its entries are CONFIG_ lines), not a
 * list: only for those is oldconfig the yardstick. */
int resolver_is_config(struct resolver *rs, const char *file)
{
	size_t n = 0, cfg = 0;
	for (size_t i = 0; i < rs->list.n; i++) {
		const struct list_entry *e = &rs->list.v[i];
		if (strcmp(e->file, file))
			continue;
		n++;
		cfg += !strncmp(e->text, "CONFIG_", 7) || !strncmp(e->text, "# CONFIG_", 9);
	}
	return n && cfg * 2 > n;
}

static int run_conf_read(const char *path)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY | O_CLOEXEC), bad;
	fflush(stderr);
	if (null >= 0)
		dup2(null, 2); /* its warnings are the resolver's problems already */
	bad = conf_read(path);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	if (null >= 0)
		close(null);
	return bad;
}

struct odiff {
	struct symbol *sym;
	char *mine, *theirs;
	int applet, toolchain, named;
};

static int cmp_odiff(const void *a, const void *b)
{
	const struct odiff *x = a, *y = b;
	if (x->applet != y->applet)
		return y->applet - x->applet;
	return strcmp(x->sym->name, y->sym->name);
}

int resolver_oldconfig(struct resolver *rs, const char *file, int strict,
		       struct sbuf *comment, struct bkerr *e)
{
	char *tmpl = bk_xasprintf("%s/.bbkit-oldconfig-XXXXXX", rs->builddir), *in = NULL, *mine;
	char *text = entries_as_config(rs);
	struct odiff *d = NULL;
	size_t nd = 0, cap = 0;
	struct symbol *sym;
	int i, r = 0;
	if (!mkdtemp(tmpl)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot create a temporary directory", rs->builddir);
		free(tmpl);
		free(text);
		return r;
	}
	mine = bk_xasprintf("%s/.config", tmpl);
	in = bk_xasprintf("%s/input.config", tmpl);
	/* bbkit's result, kept to be read back after oldconfig's */
	if ((r = conf_write_in(tmpl, mine, rs->epoch, e)) ||
	    (r = bk_write_atomic(in, text, strlen(text), 0644, 0, NULL, e)))
		goto out;
	{
		/* bbkit's values, then oldconfig's of the same input */
		size_t nsym = 0;
		struct symbol **syms = NULL;
		char **vals = NULL;
		for_all_symbols(i, sym) if (real_symbol(sym) && prompt_of(sym))
		{
			syms = bk_xrealloc(syms, (nsym + 1) * sizeof *syms);
			vals = bk_xrealloc(vals, (nsym + 1) * sizeof *vals);
			syms[nsym] = sym;
			vals[nsym++] = bk_xstrdup(val_of(sym));
		}
		if (run_conf_read(in))
			r = bk_fail(e, BK_ENV, "%s: busybox's conf_read refused it", in);
		for (size_t k = 0; !r && k < nsym; k++) {
			const char *theirs = val_of(syms[k]);
			struct req *q;
			if (!strcmp(theirs, vals[k]))
				continue;
			if (nd == cap)
				d = bk_xrealloc(d, (cap = cap ? 2 * cap : 32) * sizeof *d);
			d[nd].sym = syms[k];
			d[nd].mine = bk_xstrdup(vals[k]);
			d[nd].theirs = bk_xstrdup(theirs);
			d[nd].applet = applet_of(rs, syms[k]) != NULL;
			d[nd].toolchain = d[nd].named = 0;
			for (q = req_for(rs, syms[k]); q; q = q->next_same)
				if (q->ent) {
					d[nd].named = 1;
					d[nd].toolchain |= strcmp(q->ent->file, file) != 0;
				}
			nd++;
		}
		for (size_t k = 0; k < nsym; k++)
			free(vals[k]);
		free(vals);
		free(syms);
	}
	/* back to bbkit's result */
	if (run_conf_read(mine) && !r)
		r = bk_fail(e, BK_ENV, "%s: cannot read bbkit's own result back", mine);
	if (r || !nd)
		goto out;
	qsort(d, nd, sizeof *d, cmp_odiff);
	{
		struct sbuf b;
		size_t napp = 0;
		sb_init(&b);
		for (size_t k = 0; k < nd; k++)
			napp += d[k].applet;
		sb_addf(&b, "%zu symbol%s differ%s from what busybox's oldconfig makes of %s", nd,
			nd == 1 ? "" : "s", nd == 1 ? "s" : "", file);
		if (napp)
			sb_addf(&b, " (%zu applet%s)", napp, napp == 1 ? "" : "s");
		sb_add(&b, ":");
		for (size_t k = 0; k < nd; k++) {
			const char *why = d[k].toolchain ? "another input (the toolchain list) sets it"
					  : d[k].named	 ? "the input names it, busybox drops it"
					  : rs->defaults ? "a dependency the input does not name"
							 : "not named, so bbkit leaves it off";
			if (k < 40)
				sb_addf(&b, "%s %s%s=%s (oldconfig: %s; %s)", k ? "," : "",
					d[k].applet ? "applet " : "", d[k].sym->name, d[k].mine,
					d[k].theirs, why);
			else if (k == 40)
				sb_addf(&b, ", and %zu more (make list CONFIG= names them all)", nd - 40);
			if (comment)
				sb_addf(comment, "# oldconfig: %s%s=%s here, %s in busybox's oldconfig (%s)\n",
					d[k].applet ? "applet " : "", d[k].sym->name, d[k].mine,
					d[k].theirs, why);
		}
		sb_add(&b, strict ? "; STRICT=1 refuses any difference: add the lines to the input "
				    "(or a fragment) for oldconfig's values, or drop STRICT"
				  : "; to get oldconfig's value add the line SYMBOL=value (an applet: its "
				    "name) to the input or a fragment; STRICT=1 makes this an error");
		if (strict) {
			bk_problem(rs->e ? rs->e : e, "%s: %s", file, b.s);
			r = BK_REQUEST;
		} else
			bk_say(&rs->say, BK_SAY_NOTE, "%s", b.s);
		sb_free(&b);
	}
out:
	for (size_t k = 0; k < nd; k++) {
		free(d[k].mine);
		free(d[k].theirs);
	}
	free(d);
	bk_rmtree(tmpl);
	free(tmpl);
	free(mine);
	free(in);
	free(text);
	return r;
}

void resolver_symbols(struct resolver *rs, struct sbuf *out)
{
	struct symbol *s;
	int i;
	(void)rs;
	for_all_symbols(i, s)
	{
		struct property *p, *d;
		struct symbol *ds;
		if (!real_symbol(s))
			continue;
		p = prompt_of(s);
		d = first_prop(s, P_DEFAULT);
		ds = d ? prop_get_symbol(d) : NULL;
		sb_addf(out, "%s\t%s\t%s\t", s->name, sym_type_name(sym_get_type(s)),
			ds && ds->name ? ds->name : "none");
		for (const char *t = p && p->text ? p->text : ""; *t; t++)
			sb_addf(out, "%c", *t == '\t' || *t == '\n' ? ' ' : *t);
		if (p && p->file)
			sb_addf(out, "\t%s:%d\n", p->file->name, p->lineno);
		else
			sb_addf(out, "\t-\n");
	}
}

void resolver_explain(struct resolver *rs, const char *name, struct sbuf *out)
{
	struct symbol *s = sym_find(name);
	struct property *p;
	struct sbuf b;
	if (!strncmp(name, "CONFIG_", 7))
		s = sym_find(name + 7);
	if (!real_symbol(s))
		for (size_t k = 0; k < rs->apps.n; k++)
			if (!strcmp(rs->apps.v[k].name, name)) {
				const struct applet *a = &rs->apps.v[k];
				sb_addf(out, "applet %s: %s %s%s/%s; table entry needs", name,
				       bk_applet_enabled(a, applet_on, NULL) ? "enabled," : "not enabled,",
				       "installed as ", a->dir, a->name);
				for (size_t c = 0; c < a->ncond; c++)
					sb_addf(out, " %s%s=%s", a->cond[c].neg ? "!" : "", a->cond[c].sym,
					       sym_find(a->cond[c].sym) ? val_of(sym_find(a->cond[c].sym)) : "?");
				sb_addf(out, "\n");
				if (!real_symbol(s))
					s = sym_find(a->cond[0].sym);
			}
	if (!real_symbol(s)) {
		sb_addf(out, "%s: not a symbol or applet of busybox %s\n", name, rs->version);
		return;
	}
	sb_init(&b);
	sb_add(&b, "");
	sb_addf(out, "%s=%s (%s)\n", s->name, val_of(s), sym_type_name(sym_get_type(s)));
	p = prompt_of(s);
	if (p)
		sb_addf(out, "  prompt: \"%s\" (%s:%d)\n", p->text, p->file ? p->file->name : "?", p->lineno);
	else
		sb_addf(out, "  no prompt: only 'select' or its default set it\n");
	{
		struct req *r = req_for(rs, s);
		if (r && r->ent && r->ignored)
			sb_addf(out, "  ignored: %s: %s (the input turns its dependency off; busybox's "
			       "oldconfig ignores such a value too)\n",
			       where(r), r->ent->text);
		else if (r && r->ent)
			sb_addf(out, "  requested: %s: %s\n", where(r), r->ent->text);
		else if (r && r->implied_by && r->implied_by->ent)
			sb_addf(out, "  turned on as a dependency of %s: %s\n", where(r->implied_by),
			       r->implied_by->ent->text);
		else
			sb_addf(out, "  not in the list: value comes from allnoconfig, a default or select\n");
	}
	if (dep_of(s)) {
		sb_add(&b, "");
		expr_text(&b, dep_of(s));
		sb_add(&b, " = ");
		sb_add(&b, tri_name(expr_calc_value(dep_of(s))));
		sb_add(&b, "; ");
		sym_values(rs, &b, dep_of(s));
		sb_addf(out, "  depends on: %s\n", b.s);
	}
	if (s->rev_dep.expr) {
		sb_free(&b);
		sb_add(&b, "");
		expr_text(&b, s->rev_dep.expr);
		sb_addf(&b, " = %s; ", tri_name(s->rev_dep.tri));
		sym_values(rs, &b, s->rev_dep.expr);
		sb_addf(out, "  selected by: %s\n", b.s);
	}
	if (sym_get_default_prop(s))
		sb_addf(out, "  default: %s%s\n", default_text(s), sym_has_value(s) ? " (overridden)" : " (in effect)");
	sb_free(&b);
}

/* ---- output ---- */

/* conf_write(NULL) run in DIR writes .config and also what busybox's own
 * "make silentoldconfig" would write next from it: include/autoconf.h and
 * .kconfig.d. Into a build dir (no --out) write_config installs those after
 * .config (autoconf.h last, so it is not older) and kbuild skips
 * silentoldconfig, which costs every build after a list change a second
 * gen_build_files, a `sleep 1` and another parse of busybox's Makefile with
 * its ~30 compiler probes. Should anything there fail, .config is newer than
 * autoconf.h and kbuild runs silentoldconfig itself, as before. */
/* The banner's date: busybox's kconfig writes AUTOCONF_TIMESTAMP from
 * SOURCE_DATE_EPOCH (in UTC) only when it also stamps .config with the time,
 * which bbkit keeps out (KCONFIG_NOTIMESTAMP) so that a config that did not
 * change is the same file. So autoconf.h gets the date here, as busybox
 * would have written it: "BusyBox v1.38.0 (2000-01-01 00:00:00 GMT)". */
static int stamp_autoconf(const char *dir, long long epoch, struct bkerr *e)
{
	static const char empty[] = "#define AUTOCONF_TIMESTAMP \"\"\n";
	char *path = bk_xasprintf("%s/include/autoconf.h", dir), *text, *at, date[64];
	size_t len;
	int r;
	time_t t = (time_t)epoch;
	struct tm tm;
	/* epoch is in range (bk_epoch_parse): a year of four digits */
	if (!gmtime_r(&t, &tm) || !strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %Z", &tm)) {
		free(path);
		return bk_fail(e, BK_USAGE, "SOURCE_DATE_EPOCH=%lld: not a date", epoch);
	}
	if ((r = bk_read_file(path, &text, &len, e))) {
		free(path);
		return r;
	}
	if ((at = strstr(text, empty))) {
		struct sbuf b;
		sb_init(&b);
		sb_addn(&b, text, (size_t)(at - text));
		sb_addf(&b, "#define AUTOCONF_TIMESTAMP \"%s\"\n", date);
		sb_add(&b, at + sizeof empty - 1);
		r = bk_write_atomic(path, b.s, b.len, 0644, 0, NULL, e);
		sb_free(&b);
	}
	free(text);
	free(path);
	return r;
}

static int conf_write_in(const char *dir, const char *out, long long epoch, struct bkerr *e)
{
	char *inc = bk_xasprintf("%s/include", dir);
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), bad, r = 0;
	if (here < 0 || mkdir(inc, 0755) || chdir(dir)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot prepare a temporary directory", dir);
	} else {
		kconf_write_errno = 0;
		bad = conf_write(NULL);
		if (fchdir(here)) {
			r = bk_fail_errno(e, BK_ENV, "cannot return to the previous directory");
		} else if (bad || kconf_write_errno) {
			errno = kconf_write_errno ? kconf_write_errno : EIO;
			r = bk_fail_errno(e, BK_ENV,
					  "%s: cannot write the configuration (temporary in %s)", out,
					  dir);
		} else
			r = stamp_autoconf(dir, epoch, e);
	}
	if (here >= 0)
		close(here);
	free(inc);
	return r;
}

static int write_config(struct resolver *rs, const char *out, const char *builddir,
			struct bkerr *e)
{
	char *dir = bk_xstrdup(out), *slash = strrchr(dir, '/'), *tmpl, *tmpcfg;
	int r = 0, changed = 0;
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	tmpl = bk_xasprintf("%s/.bbkit-resolve-XXXXXX", dir);
	if (!mkdtemp(tmpl)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot create a temporary directory", dir);
		goto done;
	}
	if (!(r = conf_write_in(tmpl, out, rs->epoch, e))) {
		tmpcfg = bk_xasprintf("%s/.config", tmpl);
		r = bk_copy_atomic(tmpcfg, out, 0644, 1, &changed, e);
		free(tmpcfg);
	}
	/* after a new .config both files, autoconf.h last (not older); with the
	 * same .config, autoconf.h alone when it differs (the banner's date) */
	if (!r && builddir) {
		const char *kb[] = {".kconfig.d", "include/autoconf.h"};
		for (size_t i = changed ? 0 : 1; !r && i < sizeof kb / sizeof kb[0]; i++) {
			char *from = bk_xasprintf("%s/%s", tmpl, kb[i]);
			char *to = bk_xasprintf("%s/%s", builddir, kb[i]);
			r = bk_copy_atomic(from, to, 0644, !changed, NULL, e);
			free(from);
			free(to);
		}
	}
	bk_rmtree(tmpl);
	if (!r)
		bk_say(&rs->say, BK_SAY_PROGRESS, "busybox %s: %s %s", rs->version, out,
			 changed ? "written" : "unchanged");
done:
	free(tmpl);
	free(dir);
	return r;
}

/* A file name as make reads it in a rule: space, '#' and ':' take a
 * backslash, '$' is doubled, '=' (which no backslash hides) comes from a
 * variable the depfile defines. '%' cannot be written at all: the empty
 * rule that keeps a deleted list from stopping make would be a pattern. */
static void add_make_name(struct sbuf *b, const char *name)
{
	for (const char *p = name; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == ':' || *p == '\\')
			sb_addf(b, "\\%c", *p);
		else if (*p == '$')
			sb_add(b, "$$");
		else if (*p == '=')
			sb_add(b, "$(bbkit_eq)");
		else if (*p == '\t')
			sb_add(b, "$(bbkit_tab)");
		else
			sb_addf(b, "%c", *p);
	}
}

static int write_depfile(struct resolver *rs, const char *depfile, const char *const *extra,
			 int nextra, struct bkerr *e)
{
	struct sbuf b;
	size_t n = strlen(depfile);
	char *target = bk_xstrdup(depfile);
	int r;
	for (size_t i = 0; i < rs->list.nfiles; i++)
		if (strchr(rs->list.files[i], '%')) {
			free(target);
			return bk_fail(e, BK_REQUEST,
				       "%s: a list file whose name holds '%%' cannot be one of make's "
				       "dependencies (--depfile); rename it",
				       rs->list.files[i]);
		}
	if (n > 2 && !strcmp(target + n - 2, ".d"))
		target[n - 2] = 0;
	sb_init(&b);
	sb_add(&b, "bbkit_eq := =\nbbkit_tab := $(subst ,,\t)\n");
	add_make_name(&b, target);
	for (int i = 0; i < nextra; i++) {
		sb_add(&b, " ");
		add_make_name(&b, extra[i]);
	}
	sb_add(&b, ":");
	for (size_t i = 0; i < rs->list.nfiles; i++) {
		sb_add(&b, " ");
		add_make_name(&b, rs->list.files[i]);
	}
	sb_add(&b, "\n");
	for (size_t i = 0; i < rs->list.nfiles; i++) {
		add_make_name(&b, rs->list.files[i]);
		sb_add(&b, ":\n");
	}
	r = bk_write_atomic(depfile, b.s, b.len, 0644, 1, NULL, e);
	sb_free(&b);
	free(target);
	return r;
}

/* ---- the shortest list for a config (make list CONFIG=FILE) ---- */

/* One resolve of rs->list from the baseline: map, conflicts, apply, check. */
void resolver_map(struct resolver *rs)
{
	index_list(rs);
	for (size_t i = 0; i < rs->list.n; i++) {
		if (rs->list.v[i].applet)
			map_applet(rs, &rs->list.v[i]);
		else
			map_symbol(rs, &rs->list.v[i]);
	}
}

void resolver_check(struct resolver *rs)
{
	find_conflicts(rs);
	apply_all(rs);
	check_all(rs);
}

void resolver_run(struct resolver *rs)
{
	resolver_map(rs);
	resolver_check(rs);
}

/* Back to no requests and no list (the applet table stays). */
void resolver_forget(struct resolver *rs)
{
	for (size_t i = 0; i < rs->nreqs; i++) {
		free(rs->reqs[i]->msg);
		free(rs->reqs[i]);
	}
	free(rs->reqs);
	free(rs->index);
	free(rs->applets);
	free(rs->symbols);
	bk_list_free(&rs->list);
	rs->reqs = NULL;
	rs->nreqs = rs->icap = rs->iused = rs->napplets = rs->nsymbols = 0;
	rs->index = NULL;
	rs->applets = rs->symbols = NULL;
}

/* Every symbol with a prompt, in menu order, with the title of the menu it
 * is in (for the list's comments). */
struct menu_sym {
	struct symbol *sym;
	const char *title;
	char *want; /* its value in the config to reproduce */
	int shown;  /* visible there: a value ("" too) that a line can set */
	int line;   /* 0: not in the list; 1: an applet line; 2: a symbol line */
};

static void menu_walk(struct menu *m, const char *title, struct menu_sym **v, size_t *n)
{
	for (; m; m = m->next) {
		const char *t = title;
		if (m->sym && real_symbol(m->sym) && m->prompt) {
			size_t k;
			for (k = 0; k < *n && (*v)[k].sym != m->sym; k++)
				;
			if (k == *n) {
				*v = bk_xrealloc(*v, (*n + 1) * sizeof **v);
				memset(&(*v)[*n], 0, sizeof **v);
				(*v)[*n].sym = m->sym;
				(*v)[*n].title = title;
				(*n)++;
			}
		}
		if (!m->sym && m->prompt && m->prompt->text && m->list)
			t = m->prompt->text;
		if (m->list)
			menu_walk(m->list, t, v, n);
	}
}

/* The list line that gives s the value v. */
static char *line_for(struct symbol *s, const char *v)
{
	if (is_bool(s))
		return strcmp(v, "n") ? bk_xstrdup(s->name) : bk_xasprintf("!%s", s->name);
	if (sym_get_type(s) == S_STRING) {
		struct sbuf b;
		sb_init(&b);
		sb_addf(&b, "%s=\"", s->name);
		for (const char *p = v; *p; p++)
			sb_addf(&b, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
		sb_add(&b, "\"");
		return b.s;
	}
	return bk_xasprintf("%s=%s", s->name, v);
}

/* Resolve base lists + the candidate; returns the number of problems. */
static size_t try_list(struct resolver *rs, const char *const *base, int nbase,
		       const char *text, struct bkerr *e)
{
	struct bkerr pe = {0, "", NULL, 0};
	size_t bad = 0;
	resolver_forget(rs);
	conf_read(rs->basefile);
	for (int i = 0; i < nbase; i++)
		bk_list_load(base[i], &rs->list, &pe);
	if (*text)
		bk_list_parse("(the list)", text, strlen(text), &rs->list, &pe);
	if (bk_nproblems(&pe) || pe.msg[0]) {
		/* the first problem line says what */
		if (pe.more)
			pe.more[strcspn(pe.more, "\n")] = 0;
		bk_fail(e, BK_REQUEST, "%s", pe.more ? pe.more : pe.msg);
		free(pe.more);
		return 1;
	}
	free(pe.more);
	resolver_run(rs);
	for (size_t i = 0; i < rs->nreqs; i++)
		bad += rs->reqs[i]->bad && rs->reqs[i]->ent;
	return bad;
}

/* Print the shortest list that, after the base lists, resolves to the
 * config rs now holds: applet names for the applets, then symbols and
 * values only where the result still differs, added until it does not.
 * Lines under the titles of busybox's menus, as comments. */
int resolver_shortest_list(struct resolver *rs, const char *const *base, int nbase,
			   const char *from, struct sbuf *out, struct bkerr *e)
{
	struct menu_sym *v = NULL;
	size_t n = 0;
	struct sbuf text;
	int r = 0, round;
	menu_walk(rootmenu.list, "", &v, &n);
	for (size_t k = 0; k < n; k++) {
		v[k].want = bk_xstrdup(val_of(v[k].sym));
		v[k].shown = v[k].sym->visible != no;
	}
	/* the applets: one line each, by name */
	for (size_t a = 0; a < rs->apps.n; a++) {
		const struct applet *ap = &rs->apps.v[a];
		if (!strcmp(ap->name, "busybox") || !bk_applet_enabled(ap, applet_on, NULL))
			continue;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(v[k].sym->name, ap->cond[0].sym) && !v[k].line &&
			    applet_of(rs, v[k].sym))
				v[k].line = 1;
	}
	for (round = 0; round < 32; round++) {
		size_t added = 0;
		sb_init(&text);
		sb_add(&text, "");
		for (size_t k = 0; k < n; k++) {
			if (v[k].line == 1) {
				sb_addf(&text, "%s\n", applet_of(rs, v[k].sym)->name);
			} else if (v[k].line == 2) {
				char *l = line_for(v[k].sym, v[k].want);
				sb_addf(&text, "%s\n", l);
				free(l);
			}
		}
		if (try_list(rs, base, nbase, text.s, e)) {
			const struct req *q = NULL;
			for (size_t i = 0; i < rs->nreqs && !q; i++)
				if (rs->reqs[i]->bad && rs->reqs[i]->ent && rs->reqs[i]->msg)
					q = rs->reqs[i];
			r = bk_fail(e, BK_REQUEST, "%s: no list of applets and values reproduces it: %s%s%s",
				    from, q ? q->ent->text : "", q ? ": " : "", q ? q->msg : e->msg);
			break;
		}
		/* bools first: the values under them follow (an int under a menu
		 * that is off has no value to write) */
		for (int pass = 0; pass < 2 && !added; pass++)
			for (size_t k = 0; k < n; k++)
				if ((!is_bool(v[k].sym)) == pass && strcmp(val_of(v[k].sym), v[k].want) &&
				    v[k].line != 2 && (v[k].line == 0 || pass == 0) &&
				    (pass == 0 || v[k].shown)) {
					v[k].line = 2;
					added++;
				}
		if (!added) {
			for (size_t k = 0; k < n && !r; k++)
				if (strcmp(val_of(v[k].sym), v[k].want))
					r = bk_fail(e, BK_REQUEST,
						    "%s: %s is \"%s\" there, and no list line gets it "
						    "from \"%s\"; resolve it as a list to see why",
						    from, v[k].sym->name, v[k].want, val_of(v[k].sym));
			break;
		}
		sb_free(&text);
	}
	if (!r) {
		const char *title = NULL;
		sb_addf(out, "# the shortest list for %s (busybox %s): make LIST=this-file\n", from,
		       rs->version);
		for (size_t k = 0; k < n; k++) {
			if (!v[k].line)
				continue;
			if (!title || strcmp(title, v[k].title)) {
				title = v[k].title;
				sb_addf(out, "\n# %s\n", *title ? title : "BusyBox");
			}
			if (v[k].line == 1) {
				sb_addf(out, "%s\n", applet_of(rs, v[k].sym)->name);
			} else {
				char *l = line_for(v[k].sym, v[k].want);
				sb_addf(out, "%s\n", l);
				free(l);
			}
		}
		sb_free(&text);
	}
	for (size_t k = 0; k < n; k++)
		free(v[k].want);
	free(v);
	return r;
}


/* ---- the steps a command calls ---- */

int resolver_setup(struct resolver *rs, const char *src, const char *builddir, const char *base,
		   const char *cache, struct bkerr *e)
{
	char cwd[4096], *abssrc = NULL, *path;
	int r;
	rs->e = e;
	if (!(rs->builddir = realpath(builddir, NULL)))
		return bk_fail_errno(e, BK_ENV, "%s: build dir", builddir);
	path = bk_xasprintf("%s/include/applets.h", rs->builddir);
	r = bk_applets_load(path, &rs->apps, e);
	free(path);
	if (r)
		return r;
	abssrc = realpath(src, NULL);
	rs->basefile = base ? realpath(base, NULL)
			    : bk_xasprintf("%s/.config.allnoconfig", rs->builddir);
	if (!abssrc || !rs->basefile || !bk_exists(rs->basefile)) {
		r = bk_fail(e, BK_ENV, "%s: no allnoconfig baseline; run 'bbkit prepare' first",
			    rs->basefile ? rs->basefile : base);
		goto out;
	}
	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, ".");
	setenv("srctree", abssrc, 1);
	setenv("KERNELVERSION", rs->version, 1);
	setenv("KCONFIG_NOTIMESTAMP", "1", 1);
	if (chdir(rs->builddir)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot enter build dir", rs->builddir);
		goto out;
	}
	conf_parse("Config.in");
	if (conf_read(rs->basefile)) {
		r = bk_fail(e, BK_ENV, "%s: kconfig cannot read it", rs->basefile);
		goto out;
	}
	if (chdir(cwd)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot return to", cwd);
		goto out;
	}
	if (cache) {
		char *absc = realpath(cache, NULL);
		rs->names_dir = bk_cache_names(absc ? absc : cache);
		free(absc);
	}
	save_names(rs);
out:
	free(abssrc);
	return r;
}

void resolver_requests(struct resolver *rs, struct sbuf *out)
{
	for (size_t i = 0; i < rs->nreqs; i++) {
		struct req *q = rs->reqs[i];
		if (q->ent && q->sym)
			sb_addf(out, "%s\t%s\t%s\t%s\n", where(q), q->ent->text, q->sym->name,
				q->val ? q->val : tri_name(q->tri));
	}
}

size_t resolver_problems(struct resolver *rs, struct bkerr *e)
{
	for (size_t i = 0; i < rs->nreqs; i++)
		if (rs->reqs[i]->msg && rs->reqs[i]->ent)
			bk_problem(e, "%s: %s: %s", where(rs->reqs[i]), rs->reqs[i]->ent->text,
				   rs->reqs[i]->msg);
	return bk_nproblems(e);
}

int resolver_write(struct resolver *rs, const char *out, const char *depfile,
		   const char *const *dep_targets, int ndep_targets, struct bkerr *e)
{
	char *outfile = out ? bk_xstrdup(out) : bk_xasprintf("%s/.config", rs->builddir);
	/* the depfile first: one that cannot be written leaves no new config
	 * behind for make to take as done */
	int r = depfile ? write_depfile(rs, depfile, dep_targets, ndep_targets, e) : 0;
	if (!r)
		r = write_config(rs, outfile, out ? NULL : rs->builddir, e);
	free(outfile);
	return r;
}

void resolver_free(struct resolver *rs)
{
	resolver_forget(rs);
	free(rs->by_own);
	free(rs->names_dir);
	free(rs->basefile);
	free(rs->builddir);
	bk_applets_free(&rs->apps);
}
