/* The generated part of every command's --help: one entry per option row,
 * its text filled to 79 columns, its rules (optrules.c) under it.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELP_COL 24
#define HELP_WIDTH 79
/* text filled into the column from HELP_COL to HELP_WIDTH, words split at
 * spaces and newlines; col is where the cursor is on the first line. */
static void fill(FILE *f, const char *text, int col)
{
	int at = col;
	for (const char *w = text + strspn(text, " \n"); *w;) {
		int len = (int)strcspn(w, " \n");
		if (at > HELP_COL && at + 1 + len > HELP_WIDTH) {
			fputc('\n', f);
			at = 0;
		}
		if (at < HELP_COL) {
			fprintf(f, "%*s", HELP_COL - at, "");
			at = HELP_COL;
		} else {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", len, w);
		at += len;
		w += len;
		w += strspn(w, " \n");
	}
	fputc('\n', f);
}

/* One row of --help: "  --opt ARG" and its text filled at HELP_COL, then
 * the row's rules in parentheses under it. */
static void print_row(FILE *f, const struct opt *opts, const struct opt *o)
{
	char *rules = opt_row_rules(opts, o), *text;
	int n = fprintf(f, "  %s%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "",
			o->kind == OPT_MANY ? " ..." : "");
	if (n >= HELP_COL) { /* a long name: its text on the next line */
		fputc('\n', f);
		n = 0;
	}
	fill(f, o->help ? o->help : "", n);
	if (*rules) { /* on a line of their own: a range stays whole */
		text = bk_xasprintf("(%s)", rules + 2);
		fill(f, text, 0);
		free(text);
	}
	free(rules);
}

void print_options(FILE *f, const struct opt *opts)
{
	fputs("\nOptions:\n", f);
	for (const struct opt *o = opts; o && o->name; o++)
		print_row(f, opts, o);
	fputs("  -q, --quiet           no progress lines\n"
	      "  --cache DIR           the cache (default $BBKIT_CACHE, else ./.cache)\n"
	      "  -h, --help            this text\n\n",
	      f);
}
