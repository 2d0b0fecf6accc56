/* Applets that run other programs: literals of their code (ifup runs
 * run-parts) and the table of what the source cannot show by one.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"
#include "../fs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
void sc_code_runs(struct db *d, const char *rel, const char *text, size_t app0)
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

/* The table's rows as runs of d (sc_db_load keeps those of applets). */
void sc_table_runs(struct db *d)
{
	for (size_t i = 0; i < sizeof run_table / sizeof *run_table; i++)
		add_run(d, run_table[i].app, run_table[i].prog, bk_xstrdup(run_table[i].why));
}

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
						      "does not hold for this tree; fix the row in toolkit/lib/scan/runs.c",
					path, r->evidence, r->app, r->prog, r->why);
			else
				bk_problem(e, "%s: has no '%s': the scan table's row '%s runs %s' does not hold",
					   path, r->evidence, r->app, r->prog);
		}
		free(path);
		free(text);
	}
	bad = sc_verify_gates(src, bad, e);
	return bad ? BK_REQUEST : 0;
}

/* With --rootfs: udhcpc's default script (the path its Config.src gives,
 * a row of run_table --verify-runs checks), scanned once udhcpc runs. */
void sc_rootfs_udhcpc_script(struct scanner *s)
{
	const char *ev = run_table[0].evidence, *q = strchr(ev, '"');
	char *path;
	if (!s->root || !q || !sc_runs_applet(s, run_table[0].app))
		return;
	path = strndup(q + 1, strcspn(q + 1, "\""));
	sc_run_rootfs_script(s, 0, path);
	free(path);
}

