/* Long options from getopt32long's tables (NAME_longopts[] = "name\0" ...).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The symbol of the innermost "#if ENABLE_X" (one symbol alone) open at
 * pos in text, or NULL. */
static char *guard_at(const char *text, const char *pos)
{
	struct sc_if ifs[SC_MAX_IFS];
	int n = sc_ifs_open(text, pos, ifs);
	while (n--)
		if (!ifs[n].elsed && !strncmp(ifs[n].dir, "if ENABLE_", 10)) {
			const char *sym = ifs[n].dir + 10;
			size_t k = strspn(sym, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
			const char *rest = sym + k;
			rest += strspn(rest, " \t\r");
			return *rest == '\n' || !*rest || !strncmp(rest, "//", 2) || !strncmp(rest, "/*", 2)
				       ? strndup(sym, k)
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
void sc_longopts(struct db *d, const char *text, size_t app0)
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
						sc_add_opt(d, d->apps.v[a].name, opt, strlen(opt), sym, arg, 0);
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

