/* Shell syntax busybox ash gates behind a config symbol or never parses:
 * which (read off ash.c) and where a script uses it (the AST's nodes).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"

#include <string.h>

/* Shell syntax busybox ash gates behind a config symbol, or never parses.
 * anchor: an ash.c #define name ("BASH_SUBSTR": its value's symbols), or
 * code text ("parsearith: {": the #if lines around it), or NULL (no ash
 * code for it at all). Which symbol is derived from the tree; a version
 * whose ash.c has no anchor does not support the syntax. */
static const struct syntax_row {
	const char *what, *anchor;
} syntax_table[SY_N] = {
	[SY_ARITH] = {"$((...)) arithmetic", "parsearith: {"},
	[SY_PATSUBST] = {"${var/a/b} substitution", "BASH_PATTERN_SUBST"},
	[SY_SUBSTR] = {"${var:N:M} substring", "BASH_SUBSTR"},
	[SY_DSQUOTE] = {"$'...' quoting", "BASH_DOLLAR_SQUOTE"},
	[SY_HERESTR] = {"<<< here-string", "np->type = NFROMSTR;"},
	[SY_REDIRALL] = {"&> redirection", "BASH_REDIR_OUTPUT"},
	[SY_FUNCTION] = {"function keyword", "BASH_FUNCTION"},
	[SY_PROCSUBST] = {"<(...) process substitution", "BASH_PROCESS_SUBST"},
	[SY_ARRAY] = {"arrays", NULL},
	[SY_BRACE] = {"brace expansion", NULL},
	[SY_ARITHCMD] = {"((...)) arithmetic command", NULL},
	[SY_APPENDALL] = {"&>> redirection", NULL},
	[SY_INDIRECT] = {"${!var} indirection", NULL},
	[SY_CASEMOD] = {"${var^^} case modification", NULL},
	[SY_EXTGLOB] = {"extended glob", NULL},
	[SY_SELECT] = {"select loop", NULL},
	[SY_COPROC] = {"coproc", NULL},
};

/* The #define of name in ash.c ("#define BASH_SUBSTR ENABLE_ASH_BASH_COMPAT",
 * "# define BASH_PROCESS_SUBST ..."): its value, or NULL. */
static const char *ash_define(const char *ash, const char *name)
{
	size_t n = strlen(name);
	for (const char *l = ash; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l;
		if (*p != '#')
			continue;
		p += 1 + strspn(p + 1, " \t");
		if (strncmp(p, "define", 6) || !strchr(" \t", p[6]))
			continue;
		p += 6 + strspn(p + 6, " \t");
		if (!strncmp(p, name, n) && (p[n] == ' ' || p[n] == '\t'))
			return p + n;
	}
	return NULL;
}

/* Each syntax_table row against this ash.c: parsed at all, and under
 * which symbols (the #define's value, or every #if open at the code). */
void sc_ash_syntax(struct db *d, const char *ash)
{
	for (size_t k = 0; k < SY_N; k++) {
		const char *a = syntax_table[k].anchor, *at, *v;
		struct syntax *sy = &d->syntax[k];
		if (!a)
			continue;
		if (!strchr(a, ' ') && (v = ash_define(ash, a))) {
			v += strspn(v, " \t");
			sy->ok = *v != '0';
			sc_cond_syms(ash, v, &sy->syms, 0);
		} else if ((at = strstr(ash, a))) {
			sy->ok = 1;
			sc_open_ifs(ash, at, &sy->syms);
		}
	}
}

/* Shell syntax ash gates behind a symbol (needs sh and it) or never parses. */
static void syntax(struct scanner *s, const struct src *f, int k, int line)
{
	if (s->db.syntax[k].ok) {
		sc_add_pending(s, P_SYNTAX, "sh", 1, NULL, f, line, bk_xasprintf("%s (ash)", syntax_table[k].what), k);
		return;
	}
	sc_add_pending(s, P_NOTE, syntax_table[k].what, 0, NULL, f, line, bk_xstrdup(syntax_table[k].what), SCAN_NO_ASH);
}

static int line_of(json_t *n, const char *key)
{
	return (int)json_integer_value(json_object_get(json_object_get(n, key), "Line"));
}

static const char *text_at(const struct src *f, json_t *n, const char *key)
{
	size_t off = (size_t)json_integer_value(json_object_get(json_object_get(n, key), "Offset"));
	return off < f->len ? f->text + off : "";
}

/* An unquoted literal with {a,b} or {1..3}: bash expands it, ash does not. */
static int brace_lit(const char *v)
{
	for (const char *p = v; (p = strchr(p, '{')); p++) {
		const char *c = p + 1 + strcspn(p + 1, "{}");
		if ((p > v && p[-1] == '\\') || *c != '}')
			continue;
		for (const char *q = p + 1; q < c; q++)
			if ((*q == ',' || (q[0] == '.' && q[1] == '.')) && q[-1] != '\\')
				return 1;
	}
	return 0;
}

/* The syntax of one AST node that is more than POSIX sh. */
void sc_node_syntax(struct scanner *s, const struct src *f, json_t *n, const char *t)
{
	json_t *v;
	size_t i;
	int line = sc_jline(n);
	if (json_object_get(n, "Array"))
		syntax(s, f, SY_ARRAY, line);
	if ((v = json_object_get(n, "Redirs"))) {
		json_t *r;
		json_array_foreach(v, i, r) {
			const char *op = text_at(f, r, "OpPos");
			if (!strncmp(op, "<<<", 3))
				syntax(s, f, SY_HERESTR, line_of(r, "OpPos"));
			else if (!strncmp(op, "&>>", 3))
				syntax(s, f, SY_APPENDALL, line_of(r, "OpPos"));
			else if (!strncmp(op, "&>", 2))
				syntax(s, f, SY_REDIRALL, line_of(r, "OpPos"));
		}
	}
	if ((!t || !strcmp(t, "Word")) && (v = json_object_get(n, "Parts"))) {
		/* a word (Args hold them untyped); DblQuoted's parts are quoted */
		json_t *pt;
		json_array_foreach(v, i, pt) {
			const char *pty = json_string_value(json_object_get(pt, "Type"));
			const char *val = json_string_value(json_object_get(pt, "Value"));
			if (pty && !strcmp(pty, "Lit") && val && brace_lit(val)) {
				syntax(s, f, SY_BRACE, sc_jline(pt) ? sc_jline(pt) : line_of(pt, "ValuePos"));
				break;
			}
		}
	}
	if (!t)
		return;
	if (!strcmp(t, "ArithmExp"))
		syntax(s, f, SY_ARITH, line);
	else if (!strcmp(t, "ArithmCmd"))
		syntax(s, f, SY_ARITHCMD, line);
	else if (!strcmp(t, "ProcSubst"))
		syntax(s, f, SY_PROCSUBST, line);
	else if (!strcmp(t, "ExtGlob"))
		syntax(s, f, SY_EXTGLOB, line);
	else if (!strcmp(t, "CoprocClause"))
		syntax(s, f, SY_COPROC, line);
	else if (!strcmp(t, "ForClause") && json_is_true(json_object_get(n, "Select")))
		syntax(s, f, SY_SELECT, line);
	else if (!strcmp(t, "FuncDecl") && json_is_true(json_object_get(n, "RsrvWord")))
		syntax(s, f, SY_FUNCTION, line);
	else if (!strcmp(t, "SglQuoted") && json_is_true(json_object_get(n, "Dollar")))
		syntax(s, f, SY_DSQUOTE, line);
	else if (!strcmp(t, "ParamExp")) {
		json_t *exp = json_object_get(n, "Exp");
		if (json_object_get(n, "Repl"))
			syntax(s, f, SY_PATSUBST, line);
		if (json_object_get(n, "Slice"))
			syntax(s, f, SY_SUBSTR, line);
		if (json_object_get(n, "Index"))
			syntax(s, f, SY_ARRAY, line);
		if (json_is_true(json_object_get(n, "Excl")))
			syntax(s, f, SY_INDIRECT, line);
		if (exp) { /* the operator as written after the name: ^ ^^ , ,, @ */
			const char *op = text_at(f, json_object_get(n, "Param"), "ValueEnd");
			if (*op == '^' || *op == ',' || *op == '@')
				syntax(s, f, SY_CASEMOD, line);
		}
	}
}

