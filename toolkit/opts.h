/* What the three files of the option layer share: opts.c (the parser),
 * optrules.c (the rules a row declares besides its value: checked, and
 * said in --help), opthelp.c (the generated --help). The rows themselves
 * (struct opt) are in bbkit.h, for the commands.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_OPTS_H
#define BBKIT_OPTS_H

#include "bbkit.h"

/* rows past this many are parsed but take no part in the rules */
#define OPT_MAX_ROWS 32

/* "a|b|c" as "a, b or c" (allocated). */
char *opt_either(const char *list);
/* What the table says of a row besides its text (required, unless, only
 * with, exclusive, range, values), each as "; rule"; "" when nothing. */
char *opt_row_rules(const struct opt *opts, const struct opt *o);
/* The rules of the rows given[] marks as given: exclusive groups, "only
 * with", then every need and the count of other words in one "needs A, B
 * and C" line. 0 or BK_USAGE (printed). */
int opt_check_rules(struct ctx *c, const struct opt *opts, const int *given,
		    const struct args *pos);

#endif
