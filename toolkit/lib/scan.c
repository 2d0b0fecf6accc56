/* bbkit scan engine: shell text -> shfmt's JSON AST -> command words ->
 * applets, ash builtins' symbols and option features of busybox's own
 * source. Nothing in a scanned file is executed: shfmt only parses it (the
 * text goes to its stdin through an anonymous file, never a command line).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan.h"
#include "fs.h"
#include "run.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_DEPTH 8       /* sh -c "sh -c '...'" nesting */
#define MAX_INPUT (16u << 20)

/* ---- what busybox's source says ---------------------------------------- */

struct opt_info {
	char *app;  /* applet's main ("ls", "find") */
	char *opt;  /* "-z", "--color", "-exec" */
	char *sym;  /* IF_ symbol around it, or NULL */
	int arg;    /* takes an argument ("-n N") */
	int help_sym; /* sym is help's (//usage: IF_X) */
};
/* An applet that runs another program: ifup runs run-parts. */
struct run {
	char *app, *prog;
	char *where; /* "networking/ifupdown.c:1195" or the table row's why */
};
struct builtin {
	char *name;
	struct bk_vec syms; /* ENABLE_ symbols of the #if around its entry */
};

/* Shell syntax busybox ash gates behind a config symbol, or never parses.
 * anchor: an ash.c #define name ("BASH_SUBSTR": its value's symbols), or
 * code text ("parsearith: {": the #if lines around it), or NULL (no ash
 * code for it at all). Which symbol is derived from the tree; a version
 * whose ash.c has no anchor does not support the syntax. */
enum { SY_ARITH, SY_PATSUBST, SY_SUBSTR, SY_DSQUOTE, SY_HERESTR, SY_REDIRALL, SY_FUNCTION, SY_PROCSUBST,
       SY_ARRAY, SY_BRACE, SY_ARITHCMD, SY_APPENDALL, SY_INDIRECT, SY_CASEMOD, SY_EXTGLOB, SY_SELECT,
       SY_COPROC, SY_N };
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
struct syntax {
	int ok;             /* this ash parses it */
	struct bk_vec syms; /* the symbols it needs */
};

/* Applets that run what a config file names (init: inittab, inetd:
 * inetd.conf, modprobe: modprobe.conf, mount: mount.TYPE helpers): each
 * fact read off a literal of the applet's source, where it is, the string
 * there (a path, a character set) and the symbols of the #if around it. */
enum { G_INITTAB, G_INITSH, G_INETD, G_INETD_EXEC, G_MODPROBE, G_MOUNT_HELPER, G_MOUNT_HASH, G_N };
static const struct gate_row {
	const char *file, *anchor; /* a C string literal follows a trailing '"' */
} gate_table[G_N] = {
	[G_INITTAB] = {"init/init.c", "config_open2(\""},
	[G_INITSH] = {"init/init.c", "strpbrk(command, \""},
	[G_INETD] = {"networking/inetd.c", "config_filename = \""},
	[G_INETD_EXEC] = {"networking/inetd.c", "BB_EXECVP(sep->se_program"},
	[G_MODPROBE] = {"modutils/modprobe.c", "\tread_config(\""},
	[G_MOUNT_HELPER] = {"util-linux/mount.c", "args[0] = xasprintf(\""},
	[G_MOUNT_HASH] = {"util-linux/mount.c", "strchr(mp->mnt_fsname, '#')"},
};
struct gate {
	char *where;        /* "init/init.c:674", NULL when the tree lacks it */
	char *value;        /* the literal after the anchor ("/etc/inittab") */
	struct bk_vec syms; /* #if lines open there and ENABLE_ on its line */
};
struct db {
	struct applets apps;
	struct builtin *bi;
	size_t nbi;
	struct syntax syntax[SY_N];
	struct gate gates[G_N];
	struct bk_vec modprobe_kw; /* the modprobe.conf keywords modprobe.c reads */
	char *libbb;               /* include/libbb.h (FILEUTILS_CP_OPTSTR, ...) */
	struct opt_info *opts;
	size_t nopts, capopts;
	struct bk_vec syms; /* every Kconfig symbol the tree defines */
	struct run *runs;   /* applets that run other programs */
	size_t nruns;
	struct bk_vec own_name, own_dir; /* applet or symbol -> its directory */
};

static void add_opt(struct db *d, const char *app, const char *opt, size_t n, const char *sym, int arg, int help)
{
	for (size_t i = 0; i < d->nopts; i++)
		if (!strcmp(d->opts[i].app, app) && strlen(d->opts[i].opt) == n &&
		    !strncmp(d->opts[i].opt, opt, n))
			return; /* the first (unconditional or outer) mention wins */
	if (d->nopts == d->capopts) {
		d->capopts = d->capopts ? 2 * d->capopts : 256;
		d->opts = bk_xrealloc(d->opts, d->capopts * sizeof *d->opts);
	}
	d->opts[d->nopts++] = (struct opt_info){bk_xstrdup(app), strndup(opt, n),
						sym ? bk_xstrdup(sym) : NULL, arg, help && sym};
}

/* Option lines of one decoded usage string: "\n\t-d TIME\t\tDisplay TIME". */
static void usage_string(struct db *d, const char *app, const char *s, const char *sym)
{
	for (const char *l = s; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l, *t;
		while (*p == ' ' || *p == '\t')
			p++;
		if (p > l && isalpha((unsigned char)*p) && p[1] == '\t') {
			/* tar's modes: "\tx\tExtract" is -x */
			char one[3] = {'-', *p, 0};
			add_opt(d, app, one, 2, sym, 0, 1);
			continue;
		}
		if (*p != '-' || !(isalnum((unsigned char)p[1]) || p[1] == '-'))
			continue;
		t = p + strcspn(p, " \t\n");
		/* "-a,-A" "-e/-E": each; "-I[SPEC]" "--color[=x]": the name */
		for (const char *q = p; q < t;) {
			size_t n = strcspn(q, ",/|[= \t\n<");
			if (q + n > t)
				n = (size_t)(t - q);
			if (n > 1 && q[0] == '-')
				add_opt(d, app, q, n, sym, t[0] == ' ' && t[1] && t[1] != ' ' && t[1] != '\t', 1);
			q += n;
			q += strcspn(q, ",/|");
			if (q < t)
				q++;
			else
				break;
		}
	}
}

/* Options a NAME_trivial_usage string names that its full usage may not
 * (kill.c: killall's "[-lq] [-SIG] PROCESS_NAME..." has -q only there):
 * "[-lq]" is -l and -q, "[-o PID]" is -o taking an argument, "[--color]". */
static void trivial_string(struct db *d, const char *app, const char *s, const char *sym)
{
	for (const char *p = s; *p; p++) {
		size_t n;
		/* a subcommand a feature gives: ip's IF_FEATURE_IP_LINK("link"),
		 * kept as " link" (no option starts with a space) */
		if (sym && islower((unsigned char)*p) && (p == s || strchr(" |[", p[-1]))) {
			char sub[32];
			n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
			if (n > 1 && n < sizeof sub - 1 && (!p[n] || strchr(" |]", p[n]))) {
				snprintf(sub, sizeof sub, " %.*s", (int)n, p);
				add_opt(d, app, sub, n + 1, sym, 0, 1);
			}
			p += n - 1;
			continue;
		}
		if (*p != '-' || (p > s && !strchr("[ |", p[-1])))
			continue;
		if (p[1] == '-') {
			n = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
			if (n > 2)
				add_opt(d, app, p, n, sym, p[n] == ' ' && isupper((unsigned char)p[n + 1]), 1);
			p += n - 1;
			continue;
		}
		n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		for (size_t k = 1; k <= n; k++) {
			char one[3] = {'-', p[k], 0};
			add_opt(d, app, one, 2, sym,
				n == 1 && p[2] == ' ' && isupper((unsigned char)p[3]), 1);
		}
		p += n;
	}
}

/* The //usage: text of one source file: each NAME_SUFFIX's strings
 * (NAME_full_usage: option lines; NAME_trivial_usage: what it names
 * besides), under the innermost IF_SYMBOL( ... ) around them. */
static void usage_text(struct db *d, const char *text, const char *suffix)
{
	size_t slen = strlen(suffix);
	char app[64] = "";
	char *stack[32];
	int depth[32], nst = 0, paren = 0;
	for (const char *p = text; *p; p++) {
		if (!strncmp(p, "#define ", 8)) {
			const char *n = p + 8, *u = strstr(n, suffix);
			size_t len = u ? (size_t)(u - n) : 0;
			app[0] = 0;
			if (u && len < sizeof app && len + slen == strcspn(n, " \t\n"))
				memcpy(app, n, len), app[len] = 0;
			while (nst)
				free(stack[--nst]);
			paren = 0;
			p = n + strcspn(n, "\n");
			if (!*p)
				break;
			continue;
		}
		if (!app[0])
			continue;
		if (!strncmp(p, "IF_", 3) && (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			size_t n = strspn(p + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
			if (p[3 + n] == '(' && nst < 32) {
				int neg = !strncmp(p + 3, "NOT_", 4);
				stack[nst] = neg ? NULL : strndup(p + 3, n);
				depth[nst++] = ++paren;
				p += 3 + n;
				continue;
			}
		}
		if (*p == '(')
			paren++;
		else if (*p == ')') {
			if (nst && depth[nst - 1] == paren)
				free(stack[--nst]);
			paren--;
		} else if (*p == '"') {
			struct sbuf s;
			const char *sym = NULL;
			sb_init(&s);
			sb_addn(&s, "", 0);
			for (p++; *p && *p != '"' && *p != '\n'; p++) {
				if (*p == '\\' && p[1]) {
					p++;
					sb_addn(&s, *p == 'n' ? "\n" : *p == 't' ? "\t" : p, 1);
				} else
					sb_addn(&s, p, 1);
			}
			for (int i = nst - 1; i >= 0 && !sym; i--)
				sym = stack[i];
			if (slen == 11)
				usage_string(d, app, s.s, sym);
			else
				trivial_string(d, app, s.s, sym);
			sb_free(&s);
			if (!*p)
				break;
		}
	}
	while (nst)
		free(stack[--nst]);
}

/* ---- getopt32 option strings ------------------------------------------- */

static void cond_syms(const char *ash, const char *expr, struct bk_vec *out, int level);

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

/* Parse from p to the expression's end (a ',' ')' or ';' at depth 0, or
 * the end of a #define). Returns where it stopped. */
static char *code_feature(const struct db *d, const char *text, const char *at);

static const char *optstr_expr(struct optstr *o, const struct db *d, const char *text, const char *p, int lvl)
{
	const char *stack[16];
	char *pp[16]; /* #if lines inside the expression */
	int depth[16], nst = 0, npp = 0, paren = 0;
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
		if (*p == '#') { /* "# if ENABLE_SELINUX" inside long options */
			const char *q = p + 1 + strspn(p + 1, " \t");
			if (!strncmp(q, "if", 2) && npp < 16) {
				struct bk_vec v = {0};
				cond_syms(text, q + 2, &v, 3);
				pp[npp++] = v.n == 1 ? bk_xstrdup(v.v[0]) : bk_xstrdup("");
				bk_vec_free(&v);
			} else if ((!strncmp(q, "el", 2)) && npp)
				free(pp[npp - 1]), pp[npp - 1] = bk_xstrdup("");
			else if (!strncmp(q, "endif", 5) && npp)
				free(pp[--npp]);
			else
				o->bad = 1;
			p += strcspn(p, "\n");
			continue;
		}
		for (int i = nst - 1; i >= 0 && !sym; i--)
			sym = stack[i];
		for (int i = npp - 1; i >= 0 && !sym; i--)
			sym = pp[i];
		if (*p == '"') {
			struct sbuf b;
			sb_init(&b);
			sb_addn(&b, "", 0);
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
				sb_addn(&b, &c, 1);
			}
			optstr_add(o, b.s, b.len, sym && *sym ? sym : NULL);
			sb_free(&b);
			if (*p)
				p++;
			continue;
		}
		if (*p == '(') {
			paren++, p++;
			continue;
		}
		if (*p == ')' || *p == ',' || *p == ';') {
			if (*p != ')' || !paren)
				break;
			if (nst && depth[nst - 1] == paren)
				free((char *)stack[--nst]);
			paren--, p++;
			continue;
		}
		if (isalpha((unsigned char)*p) || *p == '_') {
			size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
			const char *def;
			if (!strncmp(p, "IF_", 3) && p[n] == '(' && nst < 16) {
				/* IF_NOT_X("a"): there when X is off: no symbol needed */
				stack[nst] = strncmp(p + 3, "NOT_", 4) ? strndup(p + 3, n - 3) : bk_xstrdup("");
				depth[nst++] = ++paren;
				p += n + 1;
				continue;
			}
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
			p += n;
			continue;
		}
		o->bad = 1;
		p++;
	}
	while (nst)
		free((char *)stack[--nst]);
	while (npp)
		free(pp[--npp]);
	return p;
}

/* The innermost #if open at "at", unless in its #else: a symbol the code
 * there needs ("#if ENABLE_FEATURE_CP_LONG_OPTIONS"), one that is no
 * applet's own (#if ENABLE_MKFS_EXT2 in a file of several). */
static char *code_feature(const struct db *d, const char *text, const char *at)
{
	const char *ifs[32];
	int nif = 0, elsed[32];
	struct bk_vec v = {0};
	char *r = NULL;
	for (const char *l = text; l && l < at; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l + strspn(l, " \t");
		if (*p != '#')
			continue;
		p += 1 + strspn(p + 1, " \t");
		if (!strncmp(p, "if", 2) && nif < 32)
			elsed[nif] = 0, ifs[nif++] = p + 2 + strcspn(p + 2, " \t");
		else if ((!strncmp(p, "else", 4) || !strncmp(p, "elif", 4)) && nif)
			elsed[nif - 1] = 1;
		else if (!strncmp(p, "endif", 5) && nif)
			nif--;
	}
	if (nif) {
		/* "#if ENABLE_X" or the #else of "#if !ENABLE_X": X; else none */
		const char *x = ifs[nif - 1] + strspn(ifs[nif - 1], " \t");
		int neg = *x == '!';
		cond_syms(text, x, &v, 3);
		size_t xl = strcspn(x, "\n");
		if (v.n == 1 && neg == elsed[nif - 1] && !memchr(x, '|', xl) && !memchr(x, '&', xl))
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
	add_opt(d, app, opt, n, sym, arg, 0);
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
static void getopt_text(struct db *d, const char *text, size_t app0)
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

/* "#if ENABLE_ASH_TEST || BASH_TEST2": the ENABLE_ symbols, through ash.c's
 * own #defines of the other names (JOBS, BASH_TEST2). */
static void cond_syms(const char *ash, const char *expr, struct bk_vec *out, int level)
{
	for (const char *p = expr; *p && *p != '\n';) {
		size_t n;
		if (!(isalpha((unsigned char)*p) || *p == '_')) {
			p++;
			continue;
		}
		n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		if (!strncmp(p, "ENABLE_", 7) || !strncmp(p, "CONFIG_", 7)) {
			char *sym = strndup(p + 7, n - 7);
			size_t i;
			for (i = 0; i < out->n && strcmp(out->v[i], sym); i++)
				;
			if (i == out->n)
				bk_vec_push(out, sym);
			else
				free(sym);
		} else if (level < 3 && strncmp(p, "defined", n)) {
			/* "#define NAME value" in ash.c */
			for (const char *q = ash; (q = strstr(q, "#define")); q += 7) {
				const char *r = q + 7;
				r += strspn(r, " \t");
				if (!strncmp(r, p, n) && (r[n] == ' ' || r[n] == '\t')) {
					cond_syms(ash, r + n, out, level + 1);
					break;
				}
			}
		}
		p += n;
	}
}

/* ash's builtintab: each entry's name and the #if lines around it. */
static void ash_builtins(struct db *d, const char *ash)
{
	const char *p = strstr(ash, "builtintab[] = {"), *end;
	const char *ifs[16];
	int nif = 0;
	if (!p || !(end = strstr(p, "\n};")))
		return;
	for (p = strchr(p, '\n'); p && p < end; p = strchr(p + 1, '\n')) {
		const char *l = p + 1 + strspn(p + 1, " \t");
		if (!strncmp(l, "#if", 3) && nif < 16)
			ifs[nif++] = l + 3 + strcspn(l + 3, " \t");
		else if (!strncmp(l, "#endif", 6) && nif)
			nif--;
		else if (*l == '{') {
			const char *q = strchr(l, '"'), *r = q ? strchr(q + 1, '"') : NULL;
			struct builtin b = {0};
			if (!q || !r || r > strchr(l, '\n'))
				continue;
			b.name = strndup(q + 1, (size_t)(r - q - 1));
			for (int i = 0; i < nif; i++)
				cond_syms(ash, ifs[i], &b.syms, 0);
			d->bi = bk_xrealloc(d->bi, (d->nbi + 1) * sizeof *d->bi);
			d->bi[d->nbi++] = b;
		}
	}
}

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

static void open_ifs(const char *text, const char *at, struct bk_vec *out);

/* Each syntax_table row against this ash.c: parsed at all, and under
 * which symbols (the #define's value, or every #if open at the code). */
static void ash_syntax(struct db *d, const char *ash)
{
	for (size_t k = 0; k < SY_N; k++) {
		const char *a = syntax_table[k].anchor, *at, *v;
		struct syntax *sy = &d->syntax[k];
		if (!a)
			continue;
		if (!strchr(a, ' ') && (v = ash_define(ash, a))) {
			v += strspn(v, " \t");
			sy->ok = *v != '0';
			cond_syms(ash, v, &sy->syms, 0);
		} else if ((at = strstr(ash, a))) {
			sy->ok = 1;
			open_ifs(ash, at, &sy->syms);
		}
	}
}

/* The symbols of the #if lines open at position at of text. */
static void open_ifs(const char *text, const char *at, struct bk_vec *out)
{
	const char *ifs[32];
	int nif = 0;
	for (const char *l = text; l && l < at; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l + strspn(l, " \t");
		if (*p != '#')
			continue;
		p += 1 + strspn(p + 1, " \t");
		if (!strncmp(p, "if", 2) && nif < 32)
			ifs[nif++] = p + 2 + strcspn(p + 2, " \t");
		else if (!strncmp(p, "endif", 5) && nif)
			nif--;
	}
	for (int i = 0; i < nif; i++)
		cond_syms(text, ifs[i], out, 0);
}

/* A C string literal at p (after its opening quote), unescaped. */
static char *c_string(const char *p)
{
	struct sbuf b;
	sb_init(&b);
	sb_addn(&b, "", 0);
	for (; *p && *p != '"' && *p != '\n'; p++) {
		if (*p == '\\' && p[1])
			p++;
		sb_addn(&b, p, 1);
	}
	return b.s;
}

/* What init, inetd, modprobe and mount run, read off their source. */
static void conf_gates(struct db *d, const char *rel, const char *text)
{
	for (size_t k = 0; k < G_N; k++) {
		const struct gate_row *g = &gate_table[k];
		struct gate *gt = &d->gates[k];
		const char *at, *line;
		int lineno = 1;
		size_t al = strlen(g->anchor);
		if (strcmp(rel, g->file) || gt->where || !(at = strstr(text, g->anchor)))
			continue;
		for (const char *p = text; p < at; p++)
			lineno += *p == '\n';
		for (line = at; line > text && line[-1] != '\n'; line--)
			;
		gt->where = bk_xasprintf("%s:%d", rel, lineno);
		gt->value = g->anchor[al - 1] == '"' ? c_string(at + al) : NULL;
		if (k == G_MOUNT_HELPER) { /* under if (HELPERS_ALLOWED ...): its #define's #if */
			const char *def = strstr(text, "#define HELPERS_ALLOWED");
			if (def)
				open_ifs(text, def, &gt->syms);
		}
		open_ifs(text, at, &gt->syms);
		cond_syms(text, line, &gt->syms, 3); /* "if (ENABLE_X && ...)" */
	}
	if (!strcmp(rel, "modutils/modprobe.c"))
		for (const char *p = text; (p = strstr(p, "strcmp(tokens[0], \"")); p++)
			bk_vec_push(&d->modprobe_kw, c_string(p + 19));
}

/* "config NAME" / "menuconfig NAME" lines (after prefix): the symbols
 * that exist; an #if or IF_ on any other name is code never built. */
static void own(struct db *d, const char *name, size_t n, const char *rel)
{
	const char *sl = strrchr(rel, '/');
	bk_vec_push(&d->own_name, strndup(name, n));
	bk_vec_push(&d->own_dir, strndup(rel, sl ? (size_t)(sl - rel) : 0));
}

static void config_syms(struct db *d, const char *text, const char *prefix, const char *rel)
{
	size_t pl = strlen(prefix);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l;
		if (pl && strncmp(p, prefix, pl))
			continue;
		p += pl;
		p += strspn(p, " \t");
		if (!strncmp(p, "menuconfig ", 11))
			p += 11;
		else if (!strncmp(p, "config ", 7))
			p += 7;
		else
			continue;
		p += strspn(p, " \t");
		bk_vec_push(&d->syms, strndup(p, strcspn(p, " \t\n")));
		own(d, p, strcspn(p, " \t\n"), rel);
	}
}

static void add_run(struct db *d, const char *app, const char *prog, char *where)
{
	for (size_t i = 0; i < d->nruns; i++)
		if (!strcmp(d->runs[i].app, app) && !strcmp(d->runs[i].prog, prog)) {
			free(where);
			return;
		}
	d->runs = bk_xrealloc(d->runs, (d->nruns + 1) * sizeof *d->runs);
	d->runs[d->nruns++] = (struct run){bk_xstrdup(app), bk_xstrdup(prog), where};
}

/* What an applet's code runs, where a literal names the program:
 * execute("ip link ...") (ifupdown's templates, "[[" optional parts),
 * sprintf(buf, "run-parts ..."), execlp("runsv", BB_EXECLP("passwd".
 * Literals in an #else branch are the alternative of a feature (ifconfig
 * when FEATURE_IFUPDOWN_IP is off) and are left out. Filtered to applet
 * names once the applet table is complete. */
static void code_runs(struct db *d, const char *rel, const char *text, size_t app0)
{
	static const char *const calls[] = {"execute(\"", "sprintf(buf, \"", "execlp(\"", "BB_EXECLP(\""};
	char elsed[64] = {0}, fn[64] = "";
	int depth = 0, lineno = 0;
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l + strspn(l, " \t");
		lineno++;
		if (*p == '#') {
			p++;
			p += strspn(p, " \t");
			if (!strncmp(p, "if", 2) && depth < 63)
				elsed[++depth] = 0;
			else if (!strncmp(p, "else", 4) && depth)
				elsed[depth] = 1;
			else if (!strncmp(p, "elif", 4) && depth)
				elsed[depth] = 0;
			else if (!strncmp(p, "endif", 5) && depth)
				depth--;
			continue;
		}
		if (!strncmp(p, "//", 2) || !strncmp(p, "/*", 2) || *p == '*')
			continue;
		if (p == l && !strncmp(p, "static ", 7) && strchr(p, '(') && strchr(p, '(') < strchr(p, '\n')) {
			/* the function around it: "wvdial_up" says which method */
			const char *b = strchr(p, '(');
			size_t n = 0;
			while (b > p && (isalnum((unsigned char)b[-1]) || b[-1] == '_'))
				b--, n++;
			snprintf(fn, sizeof fn, "%.*s", (int)(n < 63 ? n : 63), b);
		}
		for (int k = 1; k <= depth; k++)
			if (elsed[k])
				goto next;
		for (size_t c = 0; c < sizeof calls / sizeof *calls; c++) {
			/* within the line only: a search to the end of the file
			 * for every line made loading the tree seconds long */
			const char *nl = strchr(p, '\n');
			const char *q = memmem(p, nl ? (size_t)(nl - p) : strlen(p), calls[c], strlen(calls[c]));
			size_t n;
			if (!q)
				continue;
			q += strlen(calls[c]);
			q += strspn(q, "[");
			n = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789-_");
			if (n && n < 64 && (q[n] == ' ' || q[n] == '"')) {
				char prog[64];
				memcpy(prog, q, n), prog[n] = 0;
				for (size_t a = app0; a < d->apps.n; a++)
					add_run(d, d->apps.v[a].name, prog,
					bk_xasprintf("%s:%d%s%s", rel, lineno, fn[0] ? " " : "", fn));
			}
		}
	next:;
	}
}

/* What the source cannot show by a literal (the program comes from
 * configuration or /etc/passwd at run time). Each row names the source
 * file and the text there that makes it true; bbkit scan --verify-runs
 * checks every row against a tree, and a test runs it on each pinned
 * version, so a row the source contradicts fails. */
static const struct run_row {
	const char *app, *prog, *file, *evidence, *why;
} run_table[] = {
	{"udhcpc", "sh", "networking/udhcp/Config.src", "default \"/usr/share/udhcpc/default.script\"",
	 "its default script (a shell script: examples/udhcp/simple.script)"},
	{"login", "sh", "loginutils/login.c", "exec_login_shell(pw->pw_shell)", "the user's login shell"},
	{"su", "sh", "loginutils/su.c", "exec_shell(opt_shell", "the user's shell"},
	{"crond", "sh", "miscutils/crond.c", "DEFAULT_SHELL", "each crontab line (sh -c)"},
};

int bk_scan_verify_runs(const char *src, struct bkerr *e)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof run_table / sizeof *run_table; i++) {
		const struct run_row *r = &run_table[i];
		char *path = bk_xasprintf("%s/%s", src, r->file), *text = NULL;
		size_t len;
		int ok = !bk_read_file(path, &text, &len, NULL) && strstr(text, r->evidence);
		if (!ok) {
			if (!bad++)
				bk_fail(e, BK_REQUEST, "%s: has no '%s': the scan table's row '%s runs %s' (%s) "
						      "does not hold for this tree; fix the row in toolkit/lib/scan.c",
					path, r->evidence, r->app, r->prog, r->why);
			else
				bk_problem(e, "%s: has no '%s': the scan table's row '%s runs %s' does not hold",
					   path, r->evidence, r->app, r->prog);
		}
		free(path);
		free(text);
	}
	for (size_t i = 0; i < G_N; i++) { /* the literals scan reads what init, inetd, ... run off */
		const struct gate_row *g = &gate_table[i];
		char *path = bk_xasprintf("%s/%s", src, g->file), *text = NULL;
		size_t len;
		if (bk_read_file(path, &text, &len, NULL) || !strstr(text, g->anchor)) {
			if (!bad++)
				bk_fail(e, BK_REQUEST, "%s: has no '%s': scan cannot derive what %s runs from this "
						      "tree; fix gate_table in toolkit/lib/scan.c",
					path, g->anchor, g->file);
			else
				bk_problem(e, "%s: has no '%s': scan cannot derive what it runs", path, g->anchor);
		}
		free(path);
		free(text);
	}
	return bad ? BK_REQUEST : 0;
}

static int db_has_sym(const struct db *d, const char *sym)
{
	return bsearch(&sym, d->syms.v, d->syms.n, sizeof *d->syms.v, bk_cmp_str) != NULL;
}

/* The symbol of the innermost "#if ENABLE_X" (one symbol alone) open at
 * pos in text, or NULL. */
static char *guard_at(const char *text, const char *pos)
{
	const char *stack[32];
	int n = 0;
	for (const char *l = text; l && l < pos; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l + strspn(l, " \t");
		if (*p != '#')
			continue;
		p += 1 + strspn(p + 1, " \t");
		if (!strncmp(p, "if", 2) && n < 32)
			stack[n++] = !strncmp(p, "if ENABLE_", 10) ? p + 10 : NULL;
		else if (!strncmp(p, "el", 2) && n)
			stack[n - 1] = NULL;
		else if (!strncmp(p, "endif", 5) && n)
			n--;
	}
	while (n--)
		if (stack[n]) {
			size_t k = strspn(stack[n], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
			const char *rest = stack[n] + k;
			rest += strspn(rest, " \t\r");
			return *rest == '\n' || !*rest || !strncmp(rest, "//", 2) || !strncmp(rest, "/*", 2)
				       ? strndup(stack[n], k)
				       : NULL;
		}
	return NULL;
}

/* Just after the name of the next getopt32long table defined in t:
 * "const char NAME_longopts[] =", cpio's "const char *long_opts =". */
static const char *next_table(const char *t)
{
	for (const char *a = t; (a = strstr(a, "long")); a += 4) {
		const char *e = a + 4 + (a[4] == '_'), *l = a;
		if (strncmp(e, "opts", 4) || isalnum((unsigned char)e[4]) || e[4] == '_')
			continue;
		e += 4;
		while (l > t && l[-1] != '\n')
			l--;
		if (memmem(l, (size_t)(a - l), "const char", 10) &&
		    (!strncmp(e, "[]", 2) || !strncmp(e, " =", 2)))
			return e;
	}
	return NULL;
}

/* getopt32long's tables (static const char NAME_longopts[] =
 * "name\0" No_argument "c" ...): each --name of the file's applets (of
 * NAME's alone when NAME is one of them). What a use needs: the IF_X( )
 * around the entry, else the #if ENABLE_X around the table, else
 * LONG_OPTS (without it getopt32long ignores the table). */
static void longopts(struct db *d, const char *text, size_t app0)
{
	static const char *const argtype[] = {"No_argument", "Required_argument", "Optional_argument"};
	for (const char *t = text; (t = next_table(t));) {
		const char *name = t - 4, *p = strchr(t, '='), *semi;
		char *guard = guard_at(text, t), *stack[16];
		int depth[16], nst = 0, paren = 0;
		struct sbuf b;
		struct bk_vec syms = {0};
		size_t own_app = 0;
		while (name > text && (isalnum((unsigned char)name[-1]) || name[-1] == '_'))
			name--;
		for (size_t a = app0; a < d->apps.n; a++)
			if (!strncmp(name, d->apps.v[a].name, strlen(d->apps.v[a].name)) &&
			    name[strlen(d->apps.v[a].name)] == '_')
				own_app = a + 1;
		if (!p || !(semi = strchr(p, ';')) || memchr(t, '\n', (size_t)(p - t))) {
			free(guard);
			continue;
		}
		sb_init(&b);
		sb_addn(&b, "", 0);
		for (p++; p < semi; p++) {
			if (!strncmp(p, "//", 2)) {
				p += strcspn(p, "\n");
			} else if (!strncmp(p, "/*", 2)) {
				const char *c = strstr(p + 2, "*/");
				p = c ? c + 1 : semi;
			} else if (*p == '"') {
				for (p++; p < semi && *p != '"'; p++) {
					char c = *p;
					if (*p == '\\' && p[1] == 'x') {
						char *end;
						c = (char)strtol(p + 2, &end, 16);
						p = end - 1;
					} else if (*p == '\\' && p[1] >= '0' && p[1] <= '7') {
						size_t k = 1;
						int v = 0;
						while (k < 4 && p[k] >= '0' && p[k] <= '7')
							v = v * 8 + (p[k++] - '0');
						c = (char)v, p += k - 1;
					} else if (*p == '\\' && p[1])
						c = *++p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
					sb_addn(&b, &c, 1);
					/* each byte's IF_ symbol, for the entry it starts */
					bk_vec_push(&syms, nst && stack[nst - 1] ? bk_xstrdup(stack[nst - 1]) : NULL);
				}
			} else if (isalpha((unsigned char)*p) || *p == '_') {
				size_t k = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
				for (int a = 0; a < 3; a++)
					if (k == strlen(argtype[a]) && !strncmp(p, argtype[a], k)) {
						char c = (char)a;
						sb_addn(&b, &c, 1);
						bk_vec_push(&syms, NULL);
					}
				if (p[k] == '(' && nst < 16) {
					stack[nst] = !strncmp(p, "IF_", 3) && strncmp(p, "IF_NOT_", 7) ? strndup(p + 3, k - 3) : NULL;
					depth[nst++] = ++paren;
					p += k;
				} else
					p += k - 1;
			} else if (*p == '(')
				paren++;
			else if (*p == ')') {
				if (nst && depth[nst - 1] == paren)
					free(stack[--nst]);
				paren--;
			}
		}
		while (nst)
			free(stack[--nst]);
		/* name NUL argtype short: the table ends at an empty name */
		for (size_t i = 0; i < b.len && b.s[i];) {
			size_t nl = strlen(b.s + i);
			if (i + nl + 2 < b.len) {
				char *opt = bk_xasprintf("--%s", b.s + i);
				const char *sym = syms.v[i] ? syms.v[i] : guard ? guard : "LONG_OPTS";
				int arg = b.s[i + nl + 1] == 1;
				for (size_t a = app0; a < d->apps.n; a++)
					if (!own_app || a + 1 == own_app)
						add_opt(d, d->apps.v[a].name, opt, strlen(opt), sym, arg, 0);
				free(opt);
			}
			i += nl + 3;
		}
		for (size_t i = 0; i < syms.n; i++)
			free(syms.v[i]);
		free(syms.v);
		sb_free(&b);
		free(guard);
	}
}

static int db_visit(const char *path, const char *rel, const struct stat *st, const char *name,
		    void *arg, struct bkerr *e)
{
	struct db *d = arg;
	char *text;
	size_t len, n, app0;
	struct sbuf u;
	(void)e;
	if (S_ISREG(st->st_mode) && (!strcmp(name, "Config.in") || !strcmp(name, "Config.src")) &&
	    !bk_read_file(path, &text, &len, NULL)) {
		config_syms(d, text, "", rel);
		free(text);
		return 0;
	}
	if (!S_ISREG(st->st_mode) || (n = strlen(name)) < 3 || strcmp(name + n - 2, ".c"))
		return 0;
	if (bk_read_file(path, &text, &len, NULL))
		return 0;
	if (!memchr(text, '/', len) || (!strstr(text, "//applet:") && !strstr(text, "//usage:"))) {
		if (strcmp(rel, "shell/ash.c")) {
			free(text);
			return 0;
		}
	}
	app0 = d->apps.n;
	sb_init(&u);
	sb_addn(&u, "", 0);
	for (char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (!strncmp(l, "//applet:", 9)) {
			char *nl = strchr(l, '\n'), *line = nl ? strndup(l + 9, (size_t)(nl - l - 9)) : bk_xstrdup(l + 9);
			struct applet a;
			if (!bk_applet_parse_line(line + strspn(line, " \t"), &a)) {
				d->apps.v = bk_xrealloc(d->apps.v, (d->apps.n + 1) * sizeof *d->apps.v);
				d->apps.v[d->apps.n++] = a;
			}
			free(line);
		} else if (!strncmp(l, "//usage:", 8)) {
			size_t ll = strcspn(l + 8, "\n");
			sb_addn(&u, l + 8, ll);
			sb_add(&u, "\n");
		}
	}
	config_syms(d, text, "//config:", rel);
	for (size_t a = app0; a < d->apps.n; a++)
		own(d, d->apps.v[a].name, strlen(d->apps.v[a].name), rel);
	if (d->apps.n > app0)
		code_runs(d, rel, text, app0);
	/* the full usage first: its option lines say which take an argument */
	usage_text(d, u.s, "_full_usage");
	usage_text(d, u.s, "_trivial_usage");
	if (d->apps.n > app0)
		longopts(d, text, app0);
	sb_free(&u);
	if (d->apps.n > app0)
		getopt_text(d, text, app0);
	conf_gates(d, rel, text);
	if (!strcmp(rel, "shell/ash.c")) {
		ash_builtins(d, text);
		ash_syntax(d, text);
	}
	free(text);
	return 0;
}

static const struct applet *db_applet(const struct db *d, const char *name);

static void db_free(struct db *d)
{
	bk_applets_free(&d->apps);
	for (size_t i = 0; i < d->nbi; i++)
		free(d->bi[i].name), bk_vec_free(&d->bi[i].syms);
	free(d->bi);
	for (size_t i = 0; i < SY_N; i++)
		bk_vec_free(&d->syntax[i].syms);
	for (size_t i = 0; i < G_N; i++)
		free(d->gates[i].where), free(d->gates[i].value), bk_vec_free(&d->gates[i].syms);
	bk_vec_free(&d->modprobe_kw);
	free(d->libbb);
	for (size_t i = 0; i < d->nopts; i++)
		free(d->opts[i].app), free(d->opts[i].opt), free(d->opts[i].sym);
	free(d->opts);
	bk_vec_free(&d->syms);
	for (size_t i = 0; i < d->nruns; i++)
		free(d->runs[i].app), free(d->runs[i].prog), free(d->runs[i].where);
	free(d->runs);
	bk_vec_free(&d->own_name);
	bk_vec_free(&d->own_dir);
	memset(d, 0, sizeof *d);
}

static int db_load(const char *src, struct db *d, struct bkerr *e)
{
	char *ash = bk_xasprintf("%s/shell/ash.c", src);
	int ok = bk_exists(ash);
	free(ash);
	memset(d, 0, sizeof *d);
	if (!ok)
		return bk_fail(e, BK_ENV, "%s: not a busybox source tree (no shell/ash.c); give --src "
					  "the tree 'bbkit fetch' made",
			       src);
	{
		char *h = bk_xasprintf("%s/include/libbb.h", src);
		size_t hl;
		if (bk_read_file(h, &d->libbb, &hl, NULL))
			d->libbb = bk_xstrdup("");
		free(h);
	}
	if (bk_walk(src, db_visit, d, e)) {
		db_free(d);
		return e->code;
	}
	qsort(d->syms.v, d->syms.n, sizeof *d->syms.v, bk_cmp_str);
	for (size_t i = 0; i < d->nbi; i++)
		for (size_t k = 0; k < d->bi[i].syms.n; k++)
			if (!db_has_sym(d, d->bi[i].syms.v[k]))
				d->bi[i].name[0] = 0; /* under an #if no Kconfig sets */
	for (size_t i = 0; i < SY_N + G_N; i++) { /* "#if HAVE_DEV_FD": no Kconfig symbol */
		struct bk_vec *v = i < SY_N ? &d->syntax[i].syms : &d->gates[i - SY_N].syms;
		for (size_t k = 0; k < v->n;)
			if (db_has_sym(d, v->v[k]))
				k++;
			else {
				free(v->v[k]);
				v->v[k] = v->v[--v->n];
			}
	}
	for (size_t i = 0; i < d->nopts; i++)
		if (d->opts[i].sym && !db_has_sym(d, d->opts[i].sym))
			free(d->opts[i].sym), d->opts[i].sym = NULL;
	for (size_t i = 0; i < sizeof run_table / sizeof *run_table; i++)
		add_run(d, run_table[i].app, run_table[i].prog, bk_xstrdup(run_table[i].why));
	for (size_t i = 0; i < d->nruns;) /* only programs that are applets */
		if (strcmp(d->runs[i].app, d->runs[i].prog) && db_applet(d, d->runs[i].prog) &&
		    db_applet(d, d->runs[i].app))
			i++;
		else {
			free(d->runs[i].app), free(d->runs[i].prog), free(d->runs[i].where);
			d->runs[i] = d->runs[--d->nruns];
		}
	if (!d->apps.n || !d->nbi) {
		db_free(d);
		return bk_fail(e, BK_ENV, "%s: no //applet: lines or no ash builtintab found: not a busybox "
					  "source tree bbkit knows",
			       src);
	}
	return 0;
}

static const struct applet *db_applet(const struct db *d, const char *name)
{
	for (size_t i = 0; i < d->apps.n; i++)
		if (!strcmp(d->apps.v[i].name, name))
			return &d->apps.v[i];
	return NULL;
}

static const struct builtin *db_builtin(const struct db *d, const char *name)
{
	for (size_t i = 0; i < d->nbi; i++)
		if (!strcmp(d->bi[i].name, name))
			return &d->bi[i];
	return NULL;
}

/* ---- walking the AST --------------------------------------------------- */

/* A use found in the text, resolved once every file is read (a function
 * defined in any scanned file is no applet). */
enum { P_COMMAND, P_OPTION, P_BADOPT, P_NOTE, P_SYNTAX };
struct pending {
	int kind, exec, note; /* note: P_NOTE's kind, P_SYNTAX's syntax_table row */
	char *name; /* command word (basename) */
	char *sym;  /* P_OPTION: the feature symbol */
	struct scan_use use;
};

struct scanner {
	const struct scan_opts *o;
	struct db db;
	struct pending *p;
	size_t np, capp;
	struct bk_vec funcs;
	struct scan_rootfs *root;
	struct bk_vec followed; /* rootfs files . FILE read already */
	struct bkerr *e;
	int failed;
};

struct src {
	const char *file;
	const char *text;
	size_t len;
	int lineoff, depth;
};

struct word {
	char *lit; /* literal value, or NULL */
	char *raw; /* the text as written (for messages) */
	int line;
};

static void add_pending(struct scanner *s, int kind, const char *name, int exec, const char *sym,
			const struct src *f, int line, char *what, int note)
{
	struct pending *p;
	if (s->np == s->capp) {
		s->capp = s->capp ? 2 * s->capp : 256;
		s->p = bk_xrealloc(s->p, s->capp * sizeof *s->p);
	}
	p = &s->p[s->np++];
	p->kind = kind;
	p->exec = exec;
	p->note = note;
	p->name = bk_xstrdup(name);
	p->sym = sym ? bk_xstrdup(sym) : NULL;
	p->use.file = bk_xstrdup(f->file);
	p->use.line = line + f->lineoff;
	p->use.what = what ? what : bk_xstrdup(name);
}

static int jline(json_t *n)
{
	return (int)json_integer_value(json_object_get(json_object_get(n, "Pos"), "Line"));
}

static void unescape(struct sbuf *b, const char *v, int dq)
{
	for (; *v; v++) {
		if (*v == '\\' && v[1]) {
			if (v[1] == '\n') {
				v++;
				continue;
			}
			if (!dq || strchr("\"\\$`", v[1]))
				v++;
		}
		sb_addn(b, v, 1);
	}
}

/* A part's Value: shfmt --to-json omits empty fields, so '' and "" have
 * none (a NULL here crashed the scan on any script with x '' y). */
static const char *value_of(json_t *part)
{
	const char *v = json_string_value(json_object_get(part, "Value"));
	return v ? v : "";
}

static void word_of(const struct src *f, json_t *w, struct word *out)
{
	json_t *parts = json_object_get(w, "Parts"), *pt;
	size_t i, off, end;
	struct sbuf b;
	int lit = 1;
	sb_init(&b);
	sb_addn(&b, "", 0);
	json_array_foreach(parts, i, pt) {
		const char *t = json_string_value(json_object_get(pt, "Type"));
		if (t && !strcmp(t, "Lit"))
			unescape(&b, value_of(pt), 0);
		else if (t && !strcmp(t, "SglQuoted") && !json_is_true(json_object_get(pt, "Dollar")))
			sb_add(&b, value_of(pt));
		else if (t && !strcmp(t, "DblQuoted")) {
			json_t *ip;
			size_t k;
			json_array_foreach(json_object_get(pt, "Parts"), k, ip) {
				const char *it = json_string_value(json_object_get(ip, "Type"));
				if (it && !strcmp(it, "Lit"))
					unescape(&b, value_of(ip), 1);
				else
					lit = 0;
			}
		} else
			lit = 0;
	}
	out->lit = lit ? b.s : (sb_free(&b), NULL);
	off = (size_t)json_integer_value(json_object_get(json_object_get(w, "Pos"), "Offset"));
	end = (size_t)json_integer_value(json_object_get(json_object_get(w, "End"), "Offset"));
	if (end > f->len || off > end)
		off = end = 0;
	out->raw = strndup(f->text + off, end - off > 60 ? 60 : end - off);
	out->line = jline(w);
}

static int scan_text(struct scanner *s, const char *file, const char *text, size_t len, int lineoff,
		     int depth);
static void command_at(struct scanner *s, const struct src *f, struct word *w, size_t i, size_t n,
		       int exec);
static void shebang(struct scanner *s, const char *file, const char *text);
static int is_func(struct scanner *s, const char *name);

/* Skip a wrapper's options; argopts: the ones that take an argument. */
static size_t skip_opts(struct word *w, size_t j, size_t n, const char *argopts)
{
	while (j < n && w[j].lit && w[j].lit[0] == '-' && w[j].lit[1]) {
		const char *o = w[j].lit;
		if (!strcmp(o, "--"))
			return j + 1;
		j++;
		if (o[1] == '-')
			continue;
		for (const char *c = o + 1; *c; c++)
			if (strchr(argopts, *c)) {
				if (!c[1])
					j++;
				break;
			}
	}
	return j;
}

static const char *base(const char *p)
{
	const char *b = strrchr(p, '/');
	return b ? b + 1 : p;
}

static int is_input(struct scanner *s, const char *path)
{
	for (size_t i = 0; i < s->o->nfiles; i++)
		if (!strcmp(s->o->files[i], path) || !strcmp(base(s->o->files[i]), base(path)))
			return 1;
	return 0;
}

/* Options an applet's words pass: the features they need, or unknown. */
/* The first operand as a subcommand a feature gives (" link" in the
 * applet's table): the one such word it starts, as busybox's
 * index_in_substrings takes "ip addr" for "ip address". */
static void subcommand(struct scanner *s, const struct src *f, const char *name, const char *app,
		       const struct word *w)
{
	const struct opt_info *hit = NULL;
	size_t l = strlen(w->lit);
	for (size_t k = 0; k < s->db.nopts; k++) {
		const struct opt_info *o = &s->db.opts[k];
		if (o->opt[0] != ' ' || strcmp(o->app, app) || strncmp(o->opt + 1, w->lit, l))
			continue;
		if (hit && strcmp(hit->sym, o->sym))
			return; /* "ip r": route or rule, busybox's order decides */
		hit = o;
	}
	if (hit && l)
		add_pending(s, P_OPTION, name, 0, hit->sym, f, w->line, bk_xasprintf("%s %s", name, hit->opt + 1), 0);
}

static void options(struct scanner *s, const struct src *f, const char *name, struct word *w, size_t i,
		    size_t n)
{
	const struct applet *a = db_applet(&s->db, name);
	const char *app = a ? a->main : NULL;
	size_t k, known = 0;
	if (!app || !strcmp(app, "test") || !strcmp(app, "expr") || !strcmp(app, "echo") ||
	    !strcmp(app, "printf"))
		return;
	/* the applet's own usage (killall's, not kill's, its main), else its main's */
	for (k = 0; k < s->db.nopts; k++)
		known += !strcmp(s->db.opts[k].app, a->name);
	if (known)
		app = a->name;
	for (k = 0; k < s->db.nopts && !known; k++)
		known += !strcmp(s->db.opts[k].app, app);
	if (!known)
		return;
	for (int operands = 0; i < n; i++) {
		const char *o = w[i].lit;
		const struct opt_info *hit = NULL;
		if (o && o[0] != '-' && !operands++) {
			subcommand(s, f, name, app, &w[i]);
			continue;
		}
		if (!o || o[0] != '-' || !o[1])
			continue;
		if (!strcmp(o, "--"))
			break;
		for (k = 0; k < s->db.nopts && !hit; k++) {
			size_t l = strcspn(o, "=");
			if (!strcmp(s->db.opts[k].app, app) && strlen(s->db.opts[k].opt) == l &&
			    !strncmp(s->db.opts[k].opt, o, l))
				hit = &s->db.opts[k];
		}
		if (!hit && !strcmp(app, "find"))
			continue; /* an expression: operators are not in its help */
		if (hit) {
			if (hit->sym)
				add_pending(s, P_OPTION, name, 0, hit->sym, f, w[i].line,
					    bk_xasprintf("%s %s", name, hit->opt), 0);
			i += hit->arg && !strchr(o, '=');
			continue;
		}
		if (o[1] == '-' || isdigit((unsigned char)o[1])) {
			if (o[1] == '-')
				add_pending(s, P_BADOPT, name, 0, NULL, f, w[i].line,
					    bk_xasprintf("%s %.*s", name, (int)strcspn(o, "="), o), 0);
			continue;
		}
		/* a cluster of short options: "-la", "-n5" */
		for (const char *c = o + 1; *c; c++) {
			char one[3] = {'-', *c, 0};
			hit = NULL;
			for (k = 0; k < s->db.nopts && !hit; k++)
				if (!strcmp(s->db.opts[k].app, app) && !strcmp(s->db.opts[k].opt, one))
					hit = &s->db.opts[k];
			if (!hit) {
				add_pending(s, P_BADOPT, name, 0, NULL, f, w[i].line,
					    bk_xasprintf("%s %s", name, one), 0);
				break;
			}
			if (hit->sym)
				add_pending(s, P_OPTION, name, 0, hit->sym, f, w[i].line,
					    bk_xasprintf("%s %s", name, one), 0);
			if (hit->arg) {
				i += !c[1];
				break;
			}
		}
	}
}

/* sh -c STRING and friends: parse the string too. */
static void shell_string(struct scanner *s, const struct src *f, struct word *w)
{
	if (!w->lit) {
		add_pending(s, P_NOTE, w->raw, 0, NULL, f, w->line,
			    bk_xasprintf("%s (a command string)", w->raw), SCAN_DYNAMIC);
		return;
	}
	if (f->depth >= MAX_DEPTH) {
		s->failed = bk_fail(s->e, BK_REQUEST, "%s:%d: shell strings nested more than %d deep",
				    f->file, w->line + f->lineoff, MAX_DEPTH);
		return;
	}
	scan_text(s, f->file, w->lit, strlen(w->lit), f->lineoff + w->line - 1, f->depth + 1);
}

/* A rootfs file read already (a script sourcing itself, run twice). */
static int was_followed(const struct scanner *s, const char *path)
{
	for (size_t k = 0; k < s->followed.n; k++)
		if (!strcmp(s->followed.v[k], path))
			return 1;
	return 0;
}

/* Does a scanned file run APP (as a command, not a function of its own)? */
static int runs_applet(struct scanner *s, const char *app)
{
	for (size_t i = 0; i < s->np; i++)
		if (s->p[i].kind == P_COMMAND && !strcmp(s->p[i].name, app) && !is_func(s, app))
			return 1;
	return 0;
}

/* . FILE with FILE in --rootfs: read it there (once); else a note. */
static void source_rootfs(struct scanner *s, const struct src *f, const char *name, struct word *w)
{
	char *text = NULL, *label;
	size_t len;
	int rc = ENOENT;
	const char *why = "";
	if (s->root && w->lit[0] == '/') {
		if (was_followed(s, w->lit))
			return; /* read already (or sources itself) */
		rc = bk_scan_rootfs_read(s->root, w->lit, &text, &len);
		why = rc == ELOOP ? " (a symlink loop in the rootfs)" : rc == EFBIG ? " (over 1 MB in the rootfs)"
			: rc == EINVAL ? " (not a text file in the rootfs)" : "";
	}
	if (rc || f->depth >= MAX_DEPTH) {
		add_pending(s, P_NOTE, w->lit, 0, NULL, f, w->line, bk_xasprintf("%s %s%s", name, w->lit, why),
			    SCAN_UNFOLLOWED);
		free(text);
		return;
	}
	bk_vec_push(&s->followed, bk_xstrdup(w->lit));
	label = bk_xasprintf("rootfs:%s", w->lit);
	if (!memchr(text, 0, len))
		shebang(s, label, text);
	scan_text(s, label, text, len, 0, f->depth + 1);
	free(label);
	free(text);
}

/* A shell script (its #! names sh, ash, bash, dash or hush, or busybox
 * sh/ash) at an absolute PATH of the rootfs, run as a command (inittab's
 * /etc/init.d/rcS, an entrypoint's exec /usr/local/bin/start.sh, udhcpc's
 * default script): scanned as it runs, once, as rootfs:PATH. Anything else
 * there (an ELF program, nothing) is left to the command word's own line. */
static int sh_interp(const char *text)
{
	static const char *const shells[] = {"sh", "ash", "bash", "dash", "hush"};
	char first[256], *tok, *save = NULL;
	size_t n;
	if (strncmp(text, "#!", 2))
		return 0;
	n = strcspn(text + 2, "\n");
	snprintf(first, sizeof first, "%.*s", (int)(n < sizeof first ? n : sizeof first - 1), text + 2);
	tok = strtok_r(first, " \t", &save);
	if (tok && !strcmp(base(tok), "env"))
		tok = strtok_r(NULL, " \t", &save);
	if (tok && !strcmp(base(tok), "busybox"))
		tok = strtok_r(NULL, " \t", &save);
	for (size_t k = 0; tok && k < sizeof shells / sizeof *shells; k++)
		if (!strcmp(base(tok), shells[k]))
			return 1;
	return 0;
}

static void run_rootfs_script(struct scanner *s, int depth, const char *path)
{
	char *text = NULL, *label;
	size_t len;
	if (!s->root || path[0] != '/' || depth >= MAX_DEPTH || was_followed(s, path))
		return;
	if (bk_scan_rootfs_read(s->root, path, &text, &len) || memchr(text, 0, len) || !sh_interp(text)) {
		free(text);
		return;
	}
	bk_vec_push(&s->followed, bk_xstrdup(path));
	label = bk_xasprintf("rootfs:%s", path);
	shebang(s, label, text);
	scan_text(s, label, text, len, 0, depth + 1);
	free(label);
	free(text);
}

/* NAME=... as written (the value may be anything: "$PATH", $(x)) */
static int is_assign(const char *raw)
{
	size_t n = strspn(raw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	return n && !isdigit((unsigned char)raw[0]) && raw[n] == '=';
}

static int is_shell(const char *n)
{
	return !strcmp(n, "sh") || !strcmp(n, "ash") || !strcmp(n, "bash") || !strcmp(n, "dash") ||
	       !strcmp(n, "hush");
}

static void gate_needs(struct scanner *s, const struct src *f, int g, const char *app, int line, const char *why);

/* mount's helpers: "mount 'sshfs#host:/ /mnt'" runs sshfs; "mount -t T"
 * runs the program mount.T (the literal of mount.c) when the kernel does
 * not mount it: with --rootfs, a mount.T there is one. */
static void mount_helpers(struct scanner *s, const struct src *f, struct word *w, size_t j, size_t n)
{
	const struct gate *hash = &s->db.gates[G_MOUNT_HASH], *help = &s->db.gates[G_MOUNT_HELPER];
	for (; j < n; j++) {
		const char *o = w[j].lit, *type = NULL;
		if (!o)
			continue;
		if (!strcmp(o, "-t") || !strcmp(o, "-o") || !strcmp(o, "-O")) {
			type = o[1] == 't' && j + 1 < n ? w[j + 1].lit : NULL;
			j++;
		} else if (!strncmp(o, "-t", 2))
			type = o + 2;
		else if (o[0] != '-' && strchr(o, '#') && o[0] != '#' && hash->where) {
			char *cmd = strndup(o, strcspn(o, "#")), *why = bk_xasprintf("mount runs %s", cmd);
			add_pending(s, P_COMMAND, base(cmd), 1, NULL, f, w[j].line, NULL, 0);
			gate_needs(s, f, G_MOUNT_HASH, "mount", w[j].line, why);
			free(cmd), free(why);
		}
		if (!type || !s->root || !help->where || !help->value || strcmp(help->value, "mount.%s"))
			continue;
		for (const char *t = type; *t; t += strcspn(t, ","), t += *t == ',') {
			size_t tl = strcspn(t, ",");
			char *prog = bk_xasprintf("mount.%.*s", (int)tl, t), *found;
			if (tl && strncmp(t, "no", 2) && (found = bk_scan_rootfs_program(s->root, prog))) {
				char *why = bk_xasprintf("mount -t %.*s runs %s", (int)tl, t, prog);
				add_pending(s, P_COMMAND, prog, 1, NULL, f, w[j].line,
					    bk_xasprintf("%s when the kernel does not mount it (%s)", why, help->where), 0);
				gate_needs(s, f, G_MOUNT_HELPER, "mount", w[j].line, why);
				free(why), free(found);
			}
			free(prog);
		}
	}
}

/* The command word at w[i] of words w[i..n), through wrappers that run
 * their argument as a command. exec: run by exec(), not as a builtin. */
static void command_at(struct scanner *s, const struct src *f, struct word *w, size_t i, size_t n,
		       int exec)
{
	while (i < n && !s->failed) {
		const char *name;
		size_t next = n, j;
		int nexec = 1;
		if (!w[i].lit) {
			add_pending(s, P_NOTE, w[i].raw, 0, NULL, f, w[i].line, bk_xstrdup(w[i].raw),
				    SCAN_DYNAMIC);
			return;
		}
		name = base(w[i].lit);
		if (!*name)
			return;
		add_pending(s, P_COMMAND, name, exec, NULL, f, w[i].line, NULL, 0);
		run_rootfs_script(s, f->depth, w[i].lit);
		if (!strcmp(name, "exec"))
			next = skip_opts(w, i + 1, n, "a");
		else if (!strcmp(name, "command")) {
			for (j = i + 1; j < n && w[j].lit && w[j].lit[0] == '-'; j++)
				if (strpbrk(w[j].lit, "vV"))
					return;
			next = skip_opts(w, i + 1, n, ""), nexec = 0;
		} else if (!strcmp(name, "nohup") || !strcmp(name, "setsid"))
			next = skip_opts(w, i + 1, n, "");
		else if (!strcmp(name, "nice"))
			next = skip_opts(w, i + 1, n, "n");
		else if (!strcmp(name, "time"))
			next = skip_opts(w, i + 1, n, "fo");
		else if (!strcmp(name, "chpst"))
			next = skip_opts(w, i + 1, n, "uUe/nlLmdopfcrt");
		/* chpst's other names (runit/chpst.c), as busybox's runit
		 * examples chain them: softlimit setuidgid root udhcpc ... */
		else if (!strcmp(name, "softlimit"))
			next = skip_opts(w, i + 1, n, "amdslfcrotp");
		else if (!strcmp(name, "setuidgid") || !strcmp(name, "envuidgid") || !strcmp(name, "envdir"))
			next = skip_opts(w, i + 1, n, "") + 1;
		else if (!strcmp(name, "timeout"))
			next = skip_opts(w, i + 1, n, "skt") + 1;
		else if (!strcmp(name, "chroot")) {
			next = skip_opts(w, i + 1, n, "") + 1;
		} else if (!strcmp(name, "env")) {
			/* "env - NAME=V cmd": a lone "-" is -i (an empty environment);
			 * NAME="$V" is an assignment too, though no literal */
			for (next = skip_opts(w, i + 1, n, "uC");
			     next < n && (is_assign(w[next].raw) || (w[next].lit && !strcmp(w[next].lit, "-")));)
				next++;
		} else if (!strcmp(name, "xargs")) {
			next = skip_opts(w, i + 1, n, "nsIEdPaL");
			if (next >= n)
				add_pending(s, P_COMMAND, "echo", 1, NULL, f, w[i].line,
					    bk_xstrdup("echo (xargs's default)"), 0);
		} else if (!strcmp(name, "flock")) {
			for (j = i + 1; j < n && w[j].lit && w[j].lit[0] == '-'; j++)
				if (!strcmp(w[j].lit, "-c") && j + 1 < n) {
					shell_string(s, f, &w[j + 1]);
					return;
				}
			next = skip_opts(w, i + 1, n, "w") + 1;
		} else if (!strcmp(name, "watch")) {
			struct sbuf b;
			struct word cmd;
			j = skip_opts(w, i + 1, n, "n");
			if (j >= n)
				return;
			sb_init(&b);
			for (; j < n && w[j].lit; j++)
				sb_add(&b, w[j].lit), sb_add(&b, " ");
			cmd = (struct word){j < n ? NULL : b.s, w[i + 1 < n ? i + 1 : i].raw, w[i].line};
			shell_string(s, f, &cmd);
			sb_free(&b);
			return;
		} else if (!strcmp(name, "busybox")) {
			next = i + 1;
			if (next < n && w[next].lit && w[next].lit[0] == '-')
				return;
		} else if (!strcmp(name, "find")) {
			for (j = i + 1; j < n; j++) {
				const char *o = w[j].lit;
				if (o && (!strcmp(o, "-exec") || !strcmp(o, "-execdir") || !strcmp(o, "-ok") ||
					  !strcmp(o, "-okdir"))) {
					size_t k = j + 1;
					while (k < n && !(w[k].lit && (!strcmp(w[k].lit, ";") || !strcmp(w[k].lit, "+"))))
						k++;
					options(s, f, name, w, j, j + 1);
					command_at(s, f, w, j + 1, k, 1);
					j = k;
				} else if (o)
					options(s, f, name, w, j, j + 1);
			}
			return;
		} else if (!strcmp(name, "start-stop-daemon")) {
			for (j = i + 1; j < n && w[j].lit && strcmp(w[j].lit, "--"); j++) {
				const char *o = w[j].lit;
				if ((!strcmp(o, "-x") || !strcmp(o, "--exec") || !strcmp(o, "-a") ||
				     !strcmp(o, "--startas")) && j + 1 < n)
					command_at(s, f, w, j + 1, j + 2, 1), j++;
				else if (!strncmp(o, "--exec=", 7) || !strncmp(o, "--startas=", 10)) {
					struct word x = {(char *)strchr(o, '=') + 1, w[j].raw, w[j].line};
					command_at(s, f, &x, 0, 1, 1);
				}
			}
			return;
		} else if (!strcmp(name, "su")) {
			for (j = i + 1; j + 1 < n; j++)
				if (w[j].lit && (!strcmp(w[j].lit, "-c") || !strcmp(w[j].lit, "--command"))) {
					shell_string(s, f, &w[j + 1]);
					break;
				}
			return;
		} else if (is_shell(name)) {
			int c = 0;
			for (j = i + 1; j < n && w[j].lit && w[j].lit[0] == '-' && strcmp(w[j].lit, "--"); j++)
				if (w[j].lit[1] != '-' && strchr(w[j].lit, 'c'))
					c = 1;
			j += j < n && w[j].lit && !strcmp(w[j].lit, "--");
			if (c && j < n)
				shell_string(s, f, &w[j]);
			else if (j < n && w[j].lit && !is_input(s, w[j].lit))
				add_pending(s, P_NOTE, w[j].lit, 0, NULL, f, w[j].line,
					    bk_xasprintf("%s %s", name, w[j].lit), SCAN_UNFOLLOWED);
			return;
		} else if (!strcmp(name, ".") || !strcmp(name, "source")) {
			if (i + 1 < n && w[i + 1].lit && !is_input(s, w[i + 1].lit))
				source_rootfs(s, f, name, &w[i + 1]);
			return;
		} else if (!strcmp(name, "mount")) {
			options(s, f, name, w, i + 1, n);
			mount_helpers(s, f, w, i + 1, n);
			return;
		} else if (!strcmp(name, "eval")) {
			add_pending(s, P_NOTE, "eval", 0, NULL, f, w[i].line, bk_xstrdup("eval"), SCAN_DYNAMIC);
			return;
		} else {
			options(s, f, name, w, i + 1, n);
			return;
		}
		options(s, f, name, w, i + 1, next < n ? next : n);
		i = next;
		exec = nexec;
	}
}

static void walk(struct scanner *s, const struct src *f, json_t *n);

static void call_expr(struct scanner *s, const struct src *f, json_t *n)
{
	json_t *args = json_object_get(n, "Args"), *a;
	size_t i, na = json_array_size(args);
	struct word *w;
	if (!na)
		return;
	w = bk_xmalloc(na * sizeof *w);
	json_array_foreach(args, i, a) word_of(f, a, &w[i]);
	command_at(s, f, w, 0, na, 0);
	for (i = 0; i < na; i++)
		free(w[i].lit), free(w[i].raw);
	free(w);
}

/* Shell syntax ash gates behind a symbol (needs sh and it) or never parses. */
static void syntax(struct scanner *s, const struct src *f, int k, int line)
{
	if (s->db.syntax[k].ok) {
		add_pending(s, P_SYNTAX, "sh", 1, NULL, f, line, bk_xasprintf("%s (ash)", syntax_table[k].what), k);
		return;
	}
	add_pending(s, P_NOTE, syntax_table[k].what, 0, NULL, f, line, bk_xstrdup(syntax_table[k].what), SCAN_NO_ASH);
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
static void node_syntax(struct scanner *s, const struct src *f, json_t *n, const char *t)
{
	json_t *v;
	size_t i;
	int line = jline(n);
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
				syntax(s, f, SY_BRACE, jline(pt) ? jline(pt) : line_of(pt, "ValuePos"));
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

static void walk(struct scanner *s, const struct src *f, json_t *n)
{
	const char *key, *t;
	json_t *v;
	size_t i;
	if (s->failed)
		return;
	if (json_is_array(n)) {
		json_array_foreach(n, i, v) walk(s, f, v);
		return;
	}
	if (!json_is_object(n))
		return;
	t = json_string_value(json_object_get(n, "Type"));
	node_syntax(s, f, n, t);
	if (t && !strcmp(t, "CallExpr"))
		call_expr(s, f, n);
	else if (t && !strcmp(t, "FuncDecl")) {
		const char *name = json_string_value(json_object_get(json_object_get(n, "Name"), "Value"));
		if (name)
			bk_strv_add_unique(&s->funcs.v, &s->funcs.n, name);
	} else if (t && !strcmp(t, "DeclClause")) {
		const char *name = json_string_value(json_object_get(json_object_get(n, "Variant"), "Value"));
		if (name)
			add_pending(s, P_COMMAND, name, 0, NULL, f, jline(n), NULL, 0);
	} else if (t && (!strcmp(t, "TestClause") || !strcmp(t, "LetClause") || !strcmp(t, "TimeClause")))
		add_pending(s, P_COMMAND, t[0] == 'T' ? (t[1] == 'e' ? "[[" : "time") : "let", 0, NULL, f,
			    jline(n), NULL, 0);
	json_object_foreach(n, key, v) {
		if (!strcmp(key, "Hdoc")) /* a here-document is data */
			continue;
		if (json_is_object(v) || json_is_array(v))
			walk(s, f, v);
	}
}

/* ---- parsing ----------------------------------------------------------- */

static int scan_text(struct scanner *s, const char *file, const char *text, size_t len, int lineoff,
		     int depth)
{
	const char *nul = memchr(text, 0, len);
	char *argv[] = {(char *)(s->o->shfmt ? s->o->shfmt : "shfmt"), "-ln", "bash", "--to-json", NULL};
	char *out = NULL, *err = NULL;
	int fd, st = 0, r;
	json_t *root;
	json_error_t je;
	struct src f = {file, text, len, lineoff, depth};
	if (nul) {
		int line = 1;
		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		return s->failed = bk_fail(s->e, BK_REQUEST, "%s:%d: holds a NUL byte: not a shell script "
							     "(scan reads scripts as text); give the script, not a binary",
					   file, line + lineoff);
	}
	if ((fd = memfd_create("bbkit-scan", MFD_CLOEXEC)) < 0)
		return s->failed = bk_fail_errno(s->e, BK_ENV, "memfd_create");
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return s->failed = bk_fail_errno(s->e, BK_ENV, "%s: cannot buffer for shfmt", file);
		}
		off += (size_t)w;
	}
	lseek(fd, 0, SEEK_SET);
	r = bk_run_filter(argv, fd, &out, &err, &st, s->e);
	close(fd);
	if (r)
		return s->failed = r;
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 127) {
		r = bk_fail(s->e, BK_ENV, "%s could not be run (%s); install Debian's shfmt (make scan "
					  "installs it)",
			    argv[0], *err ? strtok(err, "\n") : "killed");
	} else if (WEXITSTATUS(st)) {
		/* "3:7: reached EOF without closing quote \"" */
		int line = atoi(err);
		char *msg = strchr(err, ':');
		msg = msg ? strchr(msg + 1, ':') : NULL;
		msg = msg ? msg + 1 + strspn(msg + 1, " ") : err;
		msg[strcspn(msg, "\n")] = 0;
		r = bk_fail(s->e, BK_REQUEST, "%s:%d: does not parse as shell: %s (shfmt)", file,
			    (line > 0 ? line : 1) + lineoff, msg);
	} else if (!(root = json_loads(out, 0, &je)))
		r = bk_fail(s->e, BK_ENV, "%s: shfmt's JSON does not load: %s", file, je.text);
	else {
		walk(s, &f, root);
		json_decref(root);
		r = s->failed;
	}
	free(out);
	free(err);
	return s->failed = r;
}

/* "#!/bin/sh -e", "#!/usr/bin/env sh": the interpreter, which runs too. */
static void shebang(struct scanner *s, const char *file, const char *text)
{
	struct src f = {file, text, strlen(text), 0, 0};
	char *l, *p, *tok;
	if (strncmp(text, "#!", 2))
		return;
	l = strndup(text + 2, strcspn(text + 2, "\n"));
	p = l;
	tok = strtok(p, " \t");
	if (tok && !strcmp(base(tok), "env"))
		tok = strtok(NULL, " \t");
	if (tok && *base(tok))
		add_pending(s, P_COMMAND, base(tok), 1, NULL, &f, 1,
			    bk_xasprintf("%s (the script's interpreter)", base(tok)), 0);
	free(l);
}

/* ---- what init, inetd and modprobe read -------------------------------- */

enum { CONF_NONE, CONF_INITTAB, CONF_INETD, CONF_MODPROBE };
static const char *const conf_reader[] = {NULL, "init", "inetd", "modprobe"};
static const int conf_gate[] = {0, G_INITTAB, G_INETD, G_MODPROBE};

/* An input that is one of their config files, by its name. */
static int conf_kind(const char *path)
{
	const char *b = base(path);
	size_t n = strlen(b);
	if (!strcmp(b, "inittab"))
		return CONF_INITTAB;
	if (!strcmp(b, "inetd.conf"))
		return CONF_INETD;
	if (!strcmp(b, "modprobe.conf") || (strstr(path, "modprobe.d/") && n > 5 && !strcmp(b + n - 5, ".conf")))
		return CONF_MODPROBE;
	return CONF_NONE;
}

static void gate_needs(struct scanner *s, const struct src *f, int g, const char *app, int line, const char *why)
{
	const struct gate *gt = &s->db.gates[g];
	for (size_t k = 0; k < gt->syms.n; k++)
		add_pending(s, P_OPTION, app, 0, gt->syms.v[k], f, line, bk_xasprintf("%s (%s)", why, gt->where), 0);
}

/* inittab: each entry's process (id:runlevels:action:process) is a
 * command line; init runs it through sh -c "exec ..." when it holds one
 * of the characters init.c's strpbrk() looks for, else splits it on
 * blanks. inetd.conf: field 6 is the server program, field 7 its argv[0],
 * the rest its arguments ("internal": inetd's own). modprobe.conf: the
 * keywords modprobe.c compares; install/remove commands busybox does not
 * read are reported. One text of the commands, line for line, is parsed
 * once. */
static int scan_conf(struct scanner *s, const char *file, const char *text, size_t len, int kind, int depth)
{
	struct src f = {file, text, len, 0, depth};
	const struct gate *sh = &s->db.gates[G_INITSH];
	struct sbuf cmds;
	int line = 0, any = 0;
	if (memchr(text, 0, len))
		return s->failed = bk_fail(s->e, BK_REQUEST, "%s: holds a NUL byte: not a config file %s reads; give the text file", file,
					   conf_reader[kind]);
	if (kind == CONF_INITTAB)
		gate_needs(s, &f, G_INITTAB, "init", 1, "init reads inittab");
	sb_init(&cmds);
	sb_addn(&cmds, "", 0);
	for (const char *l = text; l && *l && !s->failed; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t ll = strcspn(l, "\n");
		char *ln = strndup(l, ll), *p = ln + strspn(ln, " \t"), *tok[16];
		int nt = 0;
		line++;
		if (kind == CONF_INITTAB && *p && *p != '#') {
			char *c = p;
			for (int k = 0; k < 3 && c; k++)
				c = strchr(c, ':'), c = c ? c + 1 : NULL;
			c = c ? c + (*c == '-') : NULL;
			if (c && *c) {
				if (sh->value && strpbrk(c, sh->value))
					add_pending(s, P_COMMAND, "sh", 1, NULL, &f, line,
						    bk_xasprintf("init runs sh -c for a line with shell syntax (%s)",
								 sh->where ? sh->where : "init/init.c"), 0);
				sb_add(&cmds, c);
				any = 1;
			}
		} else if (kind != CONF_INITTAB) {
			p[strcspn(p, "#")] = 0;
			for (char *t = strtok(p, " \t\r"); t && nt < 16; t = strtok(NULL, " \t\r"))
				tok[nt++] = t;
		}
		if (kind == CONF_INETD && nt >= 6 && strcmp(tok[5], "internal")) {
			struct word w[16];
			size_t n = 0;
			w[n++] = (struct word){tok[5], tok[5], line};
			for (int k = 7; k < nt; k++)
				w[n++] = (struct word){tok[k], tok[k], line};
			command_at(s, &f, w, 0, n, 1);
		} else if (kind == CONF_MODPROBE && nt && (!strcmp(tok[0], "install") || !strcmp(tok[0], "remove"))) {
			size_t k;
			for (k = 0; k < s->db.modprobe_kw.n && strcmp(s->db.modprobe_kw.v[k], tok[0]); k++)
				;
			if (k == s->db.modprobe_kw.n) {
				struct sbuf kw;
				sb_init(&kw);
				sb_addn(&kw, "", 0);
				for (k = 0; k < s->db.modprobe_kw.n; k++)
					sb_add(&kw, k ? ", " : ""), sb_add(&kw, s->db.modprobe_kw.v[k]);
				add_pending(s, P_NOTE, tok[0], 0, NULL, &f, line,
					    bk_xasprintf("modprobe.conf '%s' commands (busybox modprobe reads only %s: %s)",
							 tok[0], kw.s, gate_table[G_MODPROBE].file),
					    SCAN_IGNORED);
				sb_free(&kw);
			} else if (nt > 2) { /* a modprobe that runs them: system(), so sh */
				const char *c = l + (tok[2] - ln);
				add_pending(s, P_COMMAND, "sh", 1, NULL, &f, line,
					    bk_xasprintf("modprobe runs sh -c for '%s' (%s)", tok[0],
							 gate_table[G_MODPROBE].file), 0);
				sb_addn(&cmds, c, strcspn(c, "#\n"));
				any = 1;
			}
		}
		sb_add(&cmds, "\n");
		free(ln);
	}
	if (any && !s->failed)
		scan_text(s, file, cmds.s, strlen(cmds.s), 0, depth + 1);
	sb_free(&cmds);
	return s->failed;
}

/* With --rootfs: udhcpc's default script (the path its Config.src gives,
 * a row of run_table --verify-runs checks), scanned once udhcpc runs. */
static void rootfs_udhcpc_script(struct scanner *s)
{
	const char *ev = run_table[0].evidence, *q = strchr(ev, '"');
	char *path;
	if (!s->root || !q || !runs_applet(s, run_table[0].app))
		return;
	path = strndup(q + 1, strcspn(q + 1, "\""));
	run_rootfs_script(s, 0, path);
	free(path);
}

/* With --rootfs: the config files of init, inetd and modprobe, at the
 * paths their source names, once one of them is run. */
static void rootfs_confs(struct scanner *s)
{
	for (int round = 0, more = 1; s->root && more && round < 4 && !s->failed; round++) {
		more = 0;
		for (int kind = CONF_INITTAB; kind <= CONF_MODPROBE && !s->failed; kind++) {
			const char *path = s->db.gates[conf_gate[kind]].value;
			size_t len;
			char *text, *label;
			if (!path || path[0] != '/' || was_followed(s, path) || !runs_applet(s, conf_reader[kind]))
				continue;
			bk_vec_push(&s->followed, bk_xstrdup(path));
			if (bk_scan_rootfs_read(s->root, path, &text, &len))
				continue;
			label = bk_xasprintf("rootfs:%s", path);
			scan_conf(s, label, text, len, kind, 1);
			free(label);
			free(text);
			more = 1;
		}
	}
}

/* ---- Dockerfile -------------------------------------------------------- */

static void docker_exec(struct scanner *s, const struct src *f, json_t *arr, int line)
{
	size_t n = json_array_size(arr), i;
	struct word *w = bk_xmalloc((n ? n : 1) * sizeof *w);
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *str = json_string_value(v);
		w[i] = (struct word){str ? bk_xstrdup(str) : NULL, bk_xstrdup(str ? str : "?"), line};
	}
	command_at(s, f, w, 0, n, 1);
	for (i = 0; i < n; i++)
		free(w[i].lit), free(w[i].raw);
	free(w);
}

static int scan_dockerfile(struct scanner *s, const char *file)
{
	char *text, *shell0 = bk_xstrdup("/bin/sh");
	size_t len;
	int line = 1, r = 0;
	struct src f;
	if ((r = bk_read_file(file, &text, &len, s->e)))
		return s->failed = r == BK_ENV ? BK_REQUEST : r;
	if (memchr(text, 0, len)) {
		free(text), free(shell0);
		return s->failed = bk_fail(s->e, BK_REQUEST, "%s: holds a NUL byte: not a Dockerfile", file);
	}
	f = (struct src){file, text, len, 0, 0};
	for (char *p = text; *p && !s->failed;) {
		char *start = p, *end, *body, *kw;
		int first = line;
		size_t kl;
		/* one instruction: lines joined over a trailing backslash */
		for (end = p; *end; end++) {
			if (*end == '\n') {
				char *q = end;
				while (q > start && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
					q--;
				line++;
				if (q > start && q[-1] == '\\')
					continue;
				break;
			}
		}
		p = *end ? end + 1 : end;
		kw = start + strspn(start, " \t");
		if (*kw == '#' || *kw == '\n' || !*kw)
			continue;
		kl = strcspn(kw, " \t\n");
		body = kw + kl;
		body += strspn(body, " \t");
		if (!strncasecmp(kw, "HEALTHCHECK", kl) && kl == 11) {
			while (!strncmp(body, "--", 2))
				body += strcspn(body, " \t"), body += strspn(body, " \t");
			if (strncasecmp(body, "CMD", 3))
				continue;
			body += 3 + strspn(body + 3, " \t");
		} else if (kl == 3 && !strncasecmp(kw, "RUN", 3)) {
			while (!strncmp(body, "--", 2))
				body += strcspn(body, " \t"), body += strspn(body, " \t");
		} else if (!((kl == 3 && !strncasecmp(kw, "CMD", 3)) ||
			     (kl == 10 && !strncasecmp(kw, "ENTRYPOINT", 10)) ||
			     (kl == 5 && !strncasecmp(kw, "SHELL", 5))))
			continue;
		{
			char *txt = strndup(body, (size_t)(end - body));
			json_t *arr = *txt == '[' ? json_loads(txt, 0, NULL) : NULL;
			if (arr && !json_is_array(arr))
				json_decref(arr), arr = NULL;
			if (kl == 5 && !strncasecmp(kw, "SHELL", 5)) {
				const char *s0 = arr ? json_string_value(json_array_get(arr, 0)) : NULL;
				if (!s0)
					s->failed = bk_fail(s->e, BK_REQUEST, "%s:%d: SHELL needs the exec form "
										"[\"executable\", \"parameters\"]",
							    file, first);
				else
					free(shell0), shell0 = bk_xstrdup(s0);
			} else if (arr)
				docker_exec(s, &f, arr, first);
			else {
				add_pending(s, P_COMMAND, base(shell0), 1, NULL, &f, first,
					    bk_xasprintf("%s (the Dockerfile's SHELL)", base(shell0)), 0);
				if (is_shell(base(shell0)))
					scan_text(s, file, txt, strlen(txt), first - 1, 1);
			}
			json_decref(arr);
			free(txt);
		}
	}
	free(text);
	free(shell0);
	return s->failed;
}

/* ---- results ----------------------------------------------------------- */

static void need(struct scan_result *r, const char *word, int kind, const struct scan_use *u)
{
	struct scan_need *nd = NULL;
	for (size_t i = 0; i < r->nneeds && !nd; i++)
		if (!strcmp(r->needs[i].word, word))
			nd = &r->needs[i];
	if (!nd) {
		r->needs = bk_xrealloc(r->needs, (r->nneeds + 1) * sizeof *r->needs);
		nd = &r->needs[r->nneeds++];
		*nd = (struct scan_need){bk_xstrdup(word), kind, NULL, 0, NULL, 0};
	}
	for (size_t i = 0; i < nd->nuses; i++)
		if (nd->uses[i].line == u->line && !strcmp(nd->uses[i].file, u->file) &&
		    !strcmp(nd->uses[i].what, u->what))
			return;
	nd->uses = bk_xrealloc(nd->uses, (nd->nuses + 1) * sizeof *nd->uses);
	nd->uses[nd->nuses++] = (struct scan_use){bk_xstrdup(u->file), u->line, bk_xstrdup(u->what)};
}

static void word_is(struct scan_result *r, const char *word, const char *how, const struct scan_use *u)
{
	r->words = bk_xrealloc(r->words, (r->nwords + 1) * sizeof *r->words);
	r->words[r->nwords++] = (struct scan_word){
		bk_xstrdup(word), how, {bk_xstrdup(u->file), u->line, bk_xstrdup(u->what)}};
}

static void note(struct scan_result *r, int kind, const char *word, const struct scan_use *u)
{
	r->notes = bk_xrealloc(r->notes, (r->nnotes + 1) * sizeof *r->notes);
	r->notes[r->nnotes++] = (struct scan_note){
		kind, bk_xstrdup(word), {bk_xstrdup(u->file), u->line, bk_xstrdup(u->what)}};
}

/* An applet and, through what it runs, the applets it needs: "ifup runs
 * run-parts" at the use's file:line. */
static void need_applet(struct scanner *s, struct scan_result *r, const char *name, const struct scan_use *u,
			int depth)
{
	need(r, name, SCAN_APPLET, u);
	if (depth > 4)
		return;
	for (size_t i = 0; i < s->db.nruns; i++)
		if (!strcmp(s->db.runs[i].app, name)) {
			char *what = bk_xasprintf("%s runs %s (%s)", name, s->db.runs[i].prog, s->db.runs[i].where);
			struct scan_use v = {u->file, u->line, what};
			need_applet(s, r, s->db.runs[i].prog, &v, depth + 1);
			free(what);
		}
}

static int need_cmp(const void *a, const void *b)
{
	const struct scan_need *x = a, *y = b;
	return x->kind != y->kind ? x->kind - y->kind : strcmp(x->word, y->word);
}

static int is_func(struct scanner *s, const char *name)
{
	for (size_t i = 0; i < s->funcs.n; i++)
		if (!strcmp(s->funcs.v[i], name))
			return 1;
	return 0;
}

/* What a command word is, for --words (the order resolve_uses decides in). */
static const char *word_how(struct scanner *s, const struct pending *p)
{
	char *prog;
	if (is_func(s, p->name))
		return "function";
	if (!strcmp(p->name, "busybox"))
		return "busybox";
	if (!p->exec && db_builtin(&s->db, p->name))
		return "builtin";
	if (db_applet(&s->db, p->name))
		return "applet";
	prog = s->root ? bk_scan_rootfs_program(s->root, p->name) : NULL;
	if (!prog)
		return "not-busybox";
	free(prog);
	return "rootfs";
}

static void resolve_uses(struct scanner *s, struct scan_result *r)
{
	/* commands that resolve to applets (their option uses count then) */
	for (size_t i = 0; i < s->np; i++) {
		struct pending *p = &s->p[i];
		const struct builtin *b;
		if (p->kind == P_NOTE) {
			int dup = 0;
			if (p->note == SCAN_DYNAMIC)
				word_is(r, p->name, "dynamic", &p->use);
			for (size_t k = 0; p->note == SCAN_NO_ASH && k < r->nnotes && !dup; k++)
				dup = r->notes[k].kind == p->note && r->notes[k].use.line == p->use.line &&
				      !strcmp(r->notes[k].word, p->name) && !strcmp(r->notes[k].use.file, p->use.file);
			if (!dup) /* syntax: once per line */
				note(r, p->note, p->name, &p->use);
			continue;
		}
		if (p->kind == P_SYNTAX) {
			need(r, "sh", SCAN_APPLET, &p->use);
			for (size_t k = 0; k < s->db.syntax[p->note].syms.n; k++)
				need(r, s->db.syntax[p->note].syms.v[k], SCAN_SYMBOL, &p->use);
			continue;
		}
		if (p->kind == P_COMMAND)
			word_is(r, p->name, word_how(s, p), &p->use);
		if (is_func(s, p->name))
			continue;
		if (!strcmp(p->name, "busybox")) {
			/* the binary itself: "busybox APPLET" needs its busybox applet */
			if (p->kind == P_COMMAND)
				need(r, "BUSYBOX", SCAN_SYMBOL, &p->use);
			continue;
		}
		b = p->exec ? NULL : db_builtin(&s->db, p->name);
		if (p->kind == P_COMMAND && b) {
			char *what = bk_xasprintf("%s (ash builtin)", p->name);
			struct scan_use u = {p->use.file, p->use.line, what};
			need(r, "sh", SCAN_APPLET, &u);
			for (size_t k = 0; k < b->syms.n; k++)
				need(r, b->syms.v[k], SCAN_SYMBOL, &u);
			free(what);
		} else if (b)
			; /* options of a builtin: not the applet's */
		else if (!db_applet(&s->db, p->name)) {
			if (p->kind == P_COMMAND) {
				size_t k;
				char *prog = s->root ? bk_scan_rootfs_program(s->root, p->name) : NULL;
				int kind = prog ? SCAN_ROOTFS : SCAN_NOT_BUSYBOX;
				for (k = 0; k < r->nnotes; k++)
					if (r->notes[k].kind == kind && !strcmp(r->notes[k].word, p->name))
						break;
				if (k == r->nnotes && prog) {
					struct scan_use u = {p->use.file, p->use.line, prog};
					note(r, kind, p->name, &u);
				} else if (k == r->nnotes)
					note(r, kind, p->name, &p->use);
				free(prog);
			}
		} else if (p->kind == P_COMMAND)
			need_applet(s, r, p->name, &p->use, 0);
		else if (p->kind == P_OPTION)
			need(r, p->sym, SCAN_SYMBOL, &p->use);
		else
			note(r, SCAN_BAD_OPTION, p->name, &p->use);
	}
	qsort(r->needs, r->nneeds, sizeof *r->needs, need_cmp);
}

/* The title of the menu a directory's Config.src (or Config.in) opens,
 * walking up to the parent when it opens none ("networking/udhcp"), and
 * "Settings" at the top (BUSYBOX, libbb's options). */
static char *dir_title(const char *src, const char *dir)
{
	char *d = bk_xstrdup(dir);
	for (;;) {
		static const char *const names[] = {"Config.src", "Config.in"};
		char *title = NULL, *sl;
		for (size_t i = 0; i < 2 && *d && !title; i++) {
			char *path = bk_xasprintf("%s/%s/%s", src, d, names[i]), *text, *m;
			size_t len;
			if (!bk_read_file(path, &text, &len, NULL)) {
				if ((m = strstr(text, "\nmenu \"")) || (!strncmp(text, "menu \"", 6) && (m = text - 1)))
					title = strndup(m + 7, strcspn(m + 7, "\"\n"));
				free(text);
			}
			free(path);
		}
		if (title || !*d) {
			free(d);
			return title ? title : bk_xstrdup("Settings");
		}
		sl = strrchr(d, '/');
		*(sl ? sl : d) = 0;
	}
}

/* Order of the top directories as Config.in sources them: make list's. */
static int dir_order(const char *src, const char *dir)
{
	char *path = bk_xasprintf("%s/Config.in", src), *text;
	size_t len, top = strcspn(dir, "/");
	int k = 0, found = 0;
	if (*dir && !bk_read_file(path, &text, &len, NULL)) {
		for (const char *l = text; l && *l && !found; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
			if (!strncmp(l, "source ", 7)) {
				k++;
				found = !strncmp(l + 7, dir, top) && l[7 + top] == '/';
			}
		free(text);
	}
	free(path);
	return found ? k : 0;
}

static int group_cmp(const void *a, const void *b)
{
	const struct scan_need *x = a, *y = b;
	if (x->order != y->order)
		return x->order - y->order;
	if (strcmp(x->group, y->group))
		return strcmp(x->group, y->group);
	return need_cmp(a, b);
}

/* Each line under its menu's title, menus in make list's order. */
static void group(const struct db *d, const char *src, struct scan_result *r)
{
	for (size_t i = 0; i < r->nneeds; i++) {
		const char *dir = "";
		for (size_t k = 0; k < d->own_name.n; k++)
			if (!strcmp(d->own_name.v[k], r->needs[i].word)) {
				dir = d->own_dir.v[k];
				break;
			}
		r->needs[i].group = dir_title(src, dir);
		r->needs[i].order = dir_order(src, dir);
	}
	qsort(r->needs, r->nneeds, sizeof *r->needs, group_cmp);
}

int bk_scan(const struct scan_opts *o, struct scan_result *r, struct bkerr *e)
{
	struct scanner s = {0};
	int rc;
	memset(r, 0, sizeof *r);
	s.o = o;
	s.e = e;
	if ((rc = db_load(o->src, &s.db, e)))
		return rc;
	if (o->rootfs && (rc = bk_scan_rootfs_open(o->rootfs, &s.root, e))) {
		db_free(&s.db);
		return rc;
	}
	for (size_t i = 0; i < o->nfiles && !s.failed; i++) {
		char *text;
		size_t len;
		struct stat st;
		if (stat(o->files[i], &st) || !S_ISREG(st.st_mode)) {
			s.failed = bk_fail(e, BK_REQUEST, "%s: %s; give a script file", o->files[i],
					   errno == ENOENT ? "no such file" : "not a regular file");
			break;
		}
		if ((size_t)st.st_size > MAX_INPUT) {
			s.failed = bk_fail(e, BK_REQUEST, "%s: %lld bytes: larger than a script (%u MB at most)",
					   o->files[i], (long long)st.st_size, MAX_INPUT >> 20);
			break;
		}
		if ((rc = bk_read_file(o->files[i], &text, &len, e))) {
			s.failed = rc;
			break;
		}
		if ((rc = conf_kind(o->files[i])))
			scan_conf(&s, o->files[i], text, len, rc, 0);
		else {
			if (!memchr(text, 0, len))
				shebang(&s, o->files[i], text);
			scan_text(&s, o->files[i], text, len, 0, 0);
		}
		free(text);
	}
	if (!s.failed && o->dockerfile)
		scan_dockerfile(&s, o->dockerfile);
	/* (udhcpc may run from an inittab's script, and its script run init's
	 * or inetd's readers: the config files again after it) */
	if (!s.failed)
		rootfs_confs(&s);
	if (!s.failed)
		rootfs_udhcpc_script(&s);
	if (!s.failed)
		rootfs_confs(&s);
	if (!s.failed) {
		resolve_uses(&s, r);
		group(&s.db, o->src, r);
		r->nfiles = o->nfiles + !!o->dockerfile;
	}
	for (size_t i = 0; i < s.np; i++)
		free(s.p[i].name), free(s.p[i].sym), free(s.p[i].use.file), free(s.p[i].use.what);
	free(s.p);
	for (size_t i = 0; i < s.funcs.n; i++)
		free(s.funcs.v[i]);
	free(s.funcs.v);
	for (size_t i = 0; i < s.followed.n; i++)
		free(s.followed.v[i]);
	free(s.followed.v);
	bk_scan_rootfs_free(s.root);
	db_free(&s.db);
	if (s.failed)
		bk_scan_free(r);
	return s.failed;
}

void bk_scan_free(struct scan_result *r)
{
	for (size_t i = 0; i < r->nneeds; i++) {
		for (size_t k = 0; k < r->needs[i].nuses; k++)
			free(r->needs[i].uses[k].file), free(r->needs[i].uses[k].what);
		free(r->needs[i].uses);
		free(r->needs[i].word);
		free(r->needs[i].group);
	}
	free(r->needs);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i].word), free(r->notes[i].use.file), free(r->notes[i].use.what);
	free(r->notes);
	for (size_t i = 0; i < r->nwords; i++)
		free(r->words[i].word), free(r->words[i].use.file), free(r->words[i].use.what);
	free(r->words);
	memset(r, 0, sizeof *r);
}

int bk_scan_check(const struct scan_result *r, const struct dotconfig *config, const char *cfgname,
		  const char *src, struct bkerr *e)
{
	struct db d;
	int rc, missing = 0;
	if ((rc = db_load(src, &d, e)))
		return rc;
	for (size_t i = 0; i < r->nneeds; i++) {
		const struct scan_need *n = &r->needs[i];
		int on = 0;
		if (n->kind == SCAN_SYMBOL)
			on = bk_config_is_on(n->word, (void *)config);
		else
			for (size_t k = 0; k < d.apps.n && !on; k++)
				on = !strcmp(d.apps.v[k].name, n->word) &&
				     bk_applet_enabled(&d.apps.v[k], bk_config_is_on, (void *)config);
		if (on)
			continue;
		if (!missing++)
			bk_fail(e, BK_REQUEST, "%s:%d: %s needs %s, which %s lacks: add the line '%s' to the list",
				n->uses[0].file, n->uses[0].line, n->uses[0].what, n->word, cfgname, n->word);
		else
			bk_problem(e, "%s:%d: %s needs %s, which %s lacks: add the line '%s' to the list",
				   n->uses[0].file, n->uses[0].line, n->uses[0].what, n->word, cfgname, n->word);
	}
	db_free(&d);
	return missing ? BK_REQUEST : 0;
}
