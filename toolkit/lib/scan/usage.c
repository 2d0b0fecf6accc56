/* Options an applet documents: its //usage: text (full and trivial), each
 * option with the IF_ symbol around it.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sc_add_opt(struct db *d, const char *app, const char *opt, size_t n, const char *sym, int arg, int help)
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
			sc_add_opt(d, app, one, 2, sym, 0, 1);
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
				sc_add_opt(d, app, q, n, sym, t[0] == ' ' && t[1] && t[1] != ' ' && t[1] != '\t', 1);
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
				sc_add_opt(d, app, sub, n + 1, sym, 0, 1);
			}
			p += n - 1;
			continue;
		}
		if (*p != '-' || (p > s && !strchr("[ |", p[-1])))
			continue;
		if (p[1] == '-') {
			n = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
			if (n > 2)
				sc_add_opt(d, app, p, n, sym, p[n] == ' ' && isupper((unsigned char)p[n + 1]), 1);
			p += n - 1;
			continue;
		}
		n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		for (size_t k = 1; k <= n; k++) {
			char one[3] = {'-', p[k], 0};
			sc_add_opt(d, app, one, 2, sym,
				n == 1 && p[2] == ' ' && isupper((unsigned char)p[3]), 1);
		}
		p += n;
	}
}

/* The //usage: text of one source file: each NAME_SUFFIX's strings
 * (NAME_full_usage: option lines; NAME_trivial_usage: what it names
 * besides), under the innermost IF_SYMBOL( ... ) around them. */
void sc_usage_text(struct db *d, const char *text, const char *suffix)
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
