/* Options an applet accepts that help may not list: its getopt32() and
 * getopt32long() option strings, each byte with the IF_/#if symbol around it.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* seen: "app opt" keys of the options a getopt32 call gave already */
static int seen_key(struct bk_vec *seen, const char *app, const char *opt)
{
	char *k = bk_xasprintf("%s %s", app, opt);
	for (size_t i = 0; i < seen->n; i++)
		if (!strcmp(seen->v[i], k)) {
			free(k);
			return 1;
		}
	bk_vec_push(seen, k);
	return 0;
}

/* The bytes of a C expression of string literals, each with the IF_ symbol
 * around it: getopt32(argv, "^" "ab:" IF_FEATURE_X("c") "\0" ...). */
struct optstr {
	struct sbuf b;
	struct bk_vec syms; /* syms.v[i]: symbol of byte i, or "" */
	int bad;            /* a name it could not resolve: not static */
};

static void optstr_add(struct optstr *o, const char *bytes, size_t n, const char *sym)
{
	sb_addn(&o->b, bytes, n);
	for (size_t i = 0; i < n; i++)
		bk_vec_push(&o->syms, bk_xstrdup(sym ? sym : ""));
}

/* The definition of name: "#define name ..." or "static const char name[] ... =",
 * in text, else in libbb.h. */
static const char *c_definition(const char *text, const char *libbb, const char *name, size_t n)
{
	for (int k = 0; k < 2; k++) {
		const char *t = k ? libbb : text;
		for (const char *l = t; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
			const char *p = l + strspn(l, " \t"), *q;
			if (*p == '#') {
				p += 1 + strspn(p + 1, " \t");
				if (strncmp(p, "define", 6) || !strchr(" \t", p[6]))
					continue;
				p += 6 + strspn(p + 6, " \t");
				if (!strncmp(p, name, n) && strchr(" \t\\", p[n]))
					return p + n;
			} else if (!strncmp(p, "static const char ", 18)) {
				p += 18;
				if (!strncmp(p, name, n) && p[n] == '[' && (q = strchr(p, '=')) &&
				    q < p + strcspn(p, ";"))
					return q + 1;
			}
		}
	}
	return NULL;
}

static char *code_feature(const struct db *d, const char *text, const char *at);

/* Where optstr_expr is inside an expression: the IF_X( symbols open
 * with their paren depth, and the #if lines inside it. */
struct expr_at {
	const char *stack[16];
	char *pp[16];
	int depth[16], nst, npp, paren;
};

/* "# if ENABLE_SELINUX" inside long options: the line at p. */
static void expr_directive(struct optstr *o, const char *text, const char *p, struct expr_at *x)
{
	const char *q = p + 1 + strspn(p + 1, " \t");
	if (!strncmp(q, "if", 2) && x->npp < 16) {
		struct bk_vec v = {0};
		sc_cond_syms(text, q + 2, &v, 3);
		x->pp[x->npp++] = v.n == 1 ? bk_xstrdup(v.v[0]) : bk_xstrdup("");
		bk_vec_free(&v);
	} else if ((!strncmp(q, "el", 2)) && x->npp)
		free(x->pp[x->npp - 1]), x->pp[x->npp - 1] = bk_xstrdup("");
	else if (!strncmp(q, "endif", 5) && x->npp)
		free(x->pp[--x->npp]);
	else
		o->bad = 1;
}

/* The C string literal at p (its opening '"'), decoded into b; returns
 * what follows its closing quote. */
static const char *c_string(const char *p, struct sbuf *b)
{
	sb_addn(b, "", 0);
	for (p++; *p && *p != '"' && *p != '\n'; p++) {
		char c = *p;
		if (*p == '\\' && p[1]) {
			p++;
			if (*p >= '0' && *p <= '7') {
				int v = 0;
				for (int k = 0; k < 3 && *p >= '0' && *p <= '7'; k++, p++)
					v = v * 8 + (*p - '0');
				p--;
				c = (char)v;
			} else if (*p == 'x') {
				int v = 0;
				while (isxdigit((unsigned char)p[1]))
					p++, v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower(*p) - 'a' + 10));
				c = (char)v;
			} else
				c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
		}
		sb_addn(b, &c, 1);
	}
	return *p ? p + 1 : p;
}

static const char *optstr_expr(struct optstr *o, const struct db *d, const char *text, const char *p, int lvl);

/* A name of n characters at p, under symbol sym: IF_X( opens X's part;
 * No_argument and friends are has_arg values; another name is followed
 * to its #define or constant. */
static void expr_name(struct optstr *o, const struct db *d, const char *text, const char *p, size_t n,
		      const char *sym, int lvl)
{
	const char *def;
	if (n == 11 && !strncmp(p, "No_argument", n))
		optstr_add(o, "\0", 1, sym && *sym ? sym : NULL);
	else if (n == 17 && !strncmp(p, "Required_argument", n))
		optstr_add(o, "\001", 1, sym && *sym ? sym : NULL);
	else if (n == 17 && !strncmp(p, "Optional_argument", n))
		optstr_add(o, "\002", 1, sym && *sym ? sym : NULL);
	else if (n == 6 && !strncmp(p, "ALIGN1", n))
		;
	else if (lvl < 4 && (def = c_definition(text, d->libbb, p, n))) {
		size_t before = o->b.len;
		int in_text = def >= text && def < text + strlen(text);
		/* defined under #if ENABLE_LONG_OPTS: all of it is LONG_OPTS's */
		char *at_def = in_text ? code_feature(d, text, def) : NULL;
		optstr_expr(o, d, in_text ? text : d->libbb, def, lvl + 1);
		if (!(sym && *sym))
			sym = at_def;
		if (sym && *sym) /* a name inside IF_X(...): all of it is X's */
			for (size_t i = before; i < o->b.len; i++)
				if (!*o->syms.v[i])
					free(o->syms.v[i]), o->syms.v[i] = bk_xstrdup(sym);
		free(at_def);
	} else
		o->bad = 1;
}

/* Parse from p to the expression's end (a ',' ')' or ';' at depth 0, or
 * the end of a #define). Returns where it stopped. */
static const char *optstr_expr(struct optstr *o, const struct db *d, const char *text, const char *p, int lvl)
{
	struct expr_at x = {.nst = 0};
	int in_define = lvl > 0 && p[-1] != '=';
	while (*p) {
		const char *sym = NULL;
		if (*p == '\\' && p[1] == '\n') {
			p += 2;
			continue;
		}
		if (*p == '\n' && in_define)
			break;
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (!strncmp(p, "/*", 2)) {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
			continue;
		}
		if (!strncmp(p, "//", 2)) {
			p += strcspn(p, "\n");
			continue;
		}
		if (*p == '#') {
			expr_directive(o, text, p, &x);
			p += strcspn(p, "\n");
			continue;
		}
		for (int i = x.nst - 1; i >= 0 && !sym; i--)
			sym = x.stack[i];
		for (int i = x.npp - 1; i >= 0 && !sym; i--)
			sym = x.pp[i];
		if (*p == '"') {
			struct sbuf b;
			sb_init(&b);
			p = c_string(p, &b);
			optstr_add(o, b.s, b.len, sym && *sym ? sym : NULL);
			sb_free(&b);
			continue;
		}
		if (*p == '(') {
			x.paren++, p++;
			continue;
		}
		if (*p == ')' || *p == ',' || *p == ';') {
			if (*p != ')' || !x.paren)
				break;
			if (x.nst && x.depth[x.nst - 1] == x.paren)
				free((char *)x.stack[--x.nst]);
			x.paren--, p++;
			continue;
		}
		if (isalpha((unsigned char)*p) || *p == '_') {
			size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
			if (!strncmp(p, "IF_", 3) && p[n] == '(' && x.nst < 16) {
				/* IF_NOT_X("a"): there when X is off: no symbol needed */
				x.stack[x.nst] = strncmp(p + 3, "NOT_", 4) ? strndup(p + 3, n - 3) : bk_xstrdup("");
				x.depth[x.nst++] = ++x.paren;
				p += n + 1;
				continue;
			}
			expr_name(o, d, text, p, n, sym, lvl);
			p += n;
			continue;
		}
		o->bad = 1;
		p++;
	}
	while (x.nst)
		free((char *)x.stack[--x.nst]);
	while (x.npp)
		free(x.pp[--x.npp]);
	return p;
}

/* The innermost #if open at "at", unless in its #else: a symbol the code
 * there needs ("#if ENABLE_FEATURE_CP_LONG_OPTIONS"), one that is no
 * applet's own (#if ENABLE_MKFS_EXT2 in a file of several). */
static char *code_feature(const struct db *d, const char *text, const char *at)
{
	struct sc_if ifs[SC_MAX_IFS];
	int nif = sc_ifs_open(text, at, ifs);
	struct bk_vec v = {0};
	char *r = NULL;
	if (nif) {
		/* "#if ENABLE_X" or the #else of "#if !ENABLE_X": X; else none */
		const char *x = ifs[nif - 1].cond + strspn(ifs[nif - 1].cond, " \t");
		int neg = *x == '!';
		sc_cond_syms(text, x, &v, 3);
		size_t xl = strcspn(x, "\n");
		if (v.n == 1 && neg == ifs[nif - 1].elsed && !memchr(x, '|', xl) && !memchr(x, '&', xl))
			r = bk_xstrdup(v.v[0]);
		for (size_t a = 0; r && a < d->apps.n; a++) {
			const char *an = d->apps.v[a].name, *y = r;
			while (*an && *y && (toupper((unsigned char)*an) == *y || (strchr("-.", *an) && *y == '_')))
				an++, y++;
			if (!*an && !*y)
				free(r), r = NULL;
		}
	}
	bk_vec_free(&v);
	return r;
}

/* An option getopt32 accepts: added when help lacks it, with the source's
 * symbol (IF_X around it; none when any call accepts it without one). A
 * symbol help gives stays: sort accepts -k always, but only FEATURE_SORT_BIG
 * makes it sort by key. */
static void getopt_opt(struct db *d, const char *app, const char *opt, const char *sym, int arg, int seen_before)
{
	size_t n = strlen(opt);
	for (size_t i = 0; i < d->nopts; i++) {
		struct opt_info *o = &d->opts[i];
		if (strcmp(o->app, app) || strcmp(o->opt, opt))
			continue;
		if (o->help_sym)
			;
		else if (!seen_before) {
			free(o->sym);
			o->sym = sym ? bk_xstrdup(sym) : NULL;
		} else if (!sym && o->sym)
			free(o->sym), o->sym = NULL;
		if (opt[1] != '-')
			o->arg = arg;
		return;
	}
	sc_add_opt(d, app, opt, n, sym, arg, 0);
}

static void getopt_call(struct db *d, const char *app, const char *text, const char *at, int lng, struct bk_vec *seen)
{
	struct optstr o = {0}, l = {0};
	const char *p = strchr(at, '('), *end;
	char *outer = code_feature(d, text, at), *longsym = NULL;
	const char *decl = strstr(d->libbb, "getopt32long(char **argv");
	size_t i, stop;
	if (lng && decl)
		longsym = code_feature(d, d->libbb, decl);
	sb_init(&o.b), sb_init(&l.b);
	sb_addn(&o.b, "", 0), sb_addn(&l.b, "", 0);
	p = p ? strchr(p, ',') : NULL;
	if (!p)
		goto out;
	end = optstr_expr(&o, d, text, p + 1, 0);
	if (lng && *end == ',')
		optstr_expr(&l, d, text, end + 1, 0);
	if (o.bad || l.bad || !o.b.len)
		goto out; /* not static: help's options stand */
	i = o.b.s[0] == '^';
	stop = i ? strlen(o.b.s) : o.b.len;
	i += i < stop && (o.b.s[i] == '+' || o.b.s[i] == '-');
	for (; i < stop; i++) {
		unsigned char c = (unsigned char)o.b.s[i];
		const char *sym = *o.syms.v[i] ? o.syms.v[i] : outer;
		char one[3] = {'-', (char)c, 0};
		int arg = i + 1 < stop && strchr(":*+", o.b.s[i + 1]) && !(o.b.s[i + 1] == ':' && i + 2 < stop && o.b.s[i + 2] == ':');
		if (c < 0x21 || c >= 0x7f || strchr(":*+", c))
			continue;
		getopt_opt(d, app, one, sym, arg, seen_key(seen, app, one));
	}
	for (i = 0; i < l.b.len;) { /* "name\0" argtype val */
		size_t nl = strlen(l.b.s + i);
		const char *sym = *l.syms.v[i] ? l.syms.v[i] : outer;
		char *opt;
		if (!nl || i + nl + 2 >= l.b.len + 1)
			break;
		if (!sym) /* libbb.h: getopt32long is getopt32 without LONG_OPTS */
			sym = longsym;
		opt = bk_xasprintf("--%s", l.b.s + i);
		getopt_opt(d, app, opt, sym, l.b.s[i + nl + 1] == 1, seen_key(seen, app, opt));
		free(opt);
		i += nl + 3;
	}
out:
	free(outer), free(longsym);
	sb_free(&o.b), sb_free(&l.b);
	bk_vec_free(&o.syms), bk_vec_free(&l.syms);
}

/* Each getopt32()/getopt32long() call of a source file, for the applet
 * whose NAME_main it is in (else each applet of the file). */
void sc_getopt_text(struct db *d, const char *text, size_t app0)
{
	struct bk_vec seen = {0};
	for (const char *p = text; (p = strstr(p, "getopt32")); p += 8) {
		int lng = !strncmp(p + 8, "long(", 5);
		const char *fn = NULL, *l;
		char name[64] = "";
		if (!(lng || p[8] == '(') || (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
			continue;
		for (l = p; l > text; l--) /* the function around it: a line that starts with a letter */
			if (l[-1] == '\n' && isalpha((unsigned char)*l) && strchr(l, '(') < strchr(l, '\n')) {
				fn = strchr(l, '(');
				break;
			}
		if (fn) {
			const char *b = fn;
			while (b > l && (isalnum((unsigned char)b[-1]) || b[-1] == '_'))
				b--;
			if (fn - b > 5 && fn - b < 64 && !strncmp(fn - 5, "_main", 5))
				snprintf(name, sizeof name, "%.*s", (int)(fn - b - 5), b);
		}
		if (name[0]) { /* common_ping_main is no applet's: each of the file's */
			int any = 0;
			for (size_t a = app0; a < d->apps.n; a++)
				any |= !strcmp(d->apps.v[a].main, name);
			if (!any)
				name[0] = 0;
		}
		for (size_t a = app0; a < d->apps.n; a++) {
			const char *m = d->apps.v[a].main;
			int dup = 0;
			if (name[0] && strcmp(m, name))
				continue;
			for (size_t k = app0; k < a && !dup; k++)
				dup = !strcmp(d->apps.v[k].main, m);
			if (!dup)
				getopt_call(d, m, text, p, lng, &seen);
		}
	}
	bk_vec_free(&seen);
}

