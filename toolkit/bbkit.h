/* Command-line layer shared by the subcommands: context and progress lines
 * (ctx.c), option rows (opts.c, optrules.c, opthelp.c), the dispatch and
 * the one error-reporting path (bbkit.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_H
#define BBKIT_H

#include "lib/bk.h"
#include "commands.h"
#include "lib/engine.h"

#include <stdio.h>

#define BBKIT_EXIT_CODES                                                      \
	"Exit codes: 0 ok, 1 request could not be honoured, 2 usage,\n"       \
	"            3 environment or system problem.\n"

#include "pins.h" /* BBKIT_DEFAULT_VERSION, from pins.tsv */

struct ctx {
	const char *cmd;   /* subcommand name, for messages */
	int quiet;         /* -q: no progress lines */
	const char *cache; /* cache directory, absolute */
	char *cache_buf;   /* owns cache when it was made absolute */
	double t0;         /* stage start, for progress timing */
	long long epoch;   /* SOURCE_DATE_EPOCH, checked once (bk_epoch_parse) */
	const char *apt_etc; /* --apt-etc of the commands that reach apt;
				BK_APT_ETC_DEFAULT */
};

/* One progress line: "bbkit: <cmd>: <text> (1.2s)". */
void progress(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Usage error: prints message and hint, returns BK_USAGE. */
int usage_error(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An engine's BK_USAGE (the request, not the input, is wrong) printed
 * as a usage error, with the --help hint; e->msg is then spent. Other
 * results are returned as they are. */
int ctx_usage(struct ctx *c, int r, struct bkerr *e);
/* An engine's progress and notes, shown as this command's (-q: none). */
struct bk_say ctx_say(struct ctx *c);
/* What an engine needs of the command: ctx_say and the cache. */
struct bk_env ctx_env(struct ctx *c);
/* The compiler cache the options ask for (cc->program NULL: none);
 * ctx_ccache_free frees what it holds. BK_USAGE for a relative --ccache,
 * BK_ENV when ccache is not installed. */
struct bk_ccache;
struct ccache_opts;
int ctx_ccache(struct ctx *c, const struct ccache_opts *o, struct bk_ccache *cc,
	       struct bkerr *e);
void ctx_ccache_free(struct bk_ccache *cc);
/* Sets c->cache, made absolute (apt and children run elsewhere). */
void ctx_set_cache(struct ctx *c, const char *dir);
/* A command's options, declared once (toybox's option strings as a table,
 * git's parse-options rows): the parser (opts.c) and --help (opthelp.c)
 * both read the rows, and the rules below are checked and said in --help
 * from one place (optrules.c).
 *   name   "--opt" (value as "--opt V" or "--opt=V") or "-x" ("-x V", "-xV")
 *   kind   OPT_FLAG sets an int to 1; OPT_VALUE stores one string;
 *          OPT_MANY appends to a string array (count, at most max);
 *          OPT_INT stores an int, refused outside lo..hi
 *   need   NULL: optional; OPT_ALWAYS: required; "--other": required
 *          unless --other is given
 *   with   NULL, or "--other": given only together with --other
 *   group  a bit set: options whose groups share a bit exclude each other
 *          (1 and 2 both exclude 3, and go together)
 *   oneof  OPT_VALUE: the values it takes, "a|b|c" (NULL: any)
 *   arg    the value's name in --help (DIR, FILE)
 *   help   its text in --help, filled to 79 columns (a newline in it is
 *          a space), the row's rules under it in parentheses */
enum opt_kind { OPT_FLAG, OPT_VALUE, OPT_MANY, OPT_INT };
#define OPT_ALWAYS ""
struct opt {
	const char *name;
	enum opt_kind kind;
	void *dst;
	int *count, max;
	const char *need, *with;
	int group;
	const char *arg, *help, *oneof;
	long lo, hi;
};
#define OPT_F(n, p, h) {.name = n, .kind = OPT_FLAG, .dst = p, .help = h}
#define OPT_V(n, p, a, h) {.name = n, .kind = OPT_VALUE, .dst = p, .arg = a, .help = h}
#define OPT_REQ(n, p, a, h) {.name = n, .kind = OPT_VALUE, .dst = p, .arg = a, .need = OPT_ALWAYS, .help = h}
#define OPT_M(n, v, cnt, mx, a, h) {.name = n, .kind = OPT_MANY, .dst = v, .count = cnt, .max = mx, .arg = a, .help = h}
#define OPT_INT(n, p, a, l, u, h) {.name = n, .kind = OPT_INT, .dst = p, .arg = a, .lo = l, .hi = u, .help = h}
#define OPT_ONEOF(n, p, a, vals, h) {.name = n, .kind = OPT_VALUE, .dst = p, .arg = a, .oneof = vals, .help = h}
/* The one --apt-etc row of the commands that reach apt (ctx.apt_etc). */
#define OPT_APT_ETC(c) OPT_V("--apt-etc", &(c)->apt_etc, "DIR", \
	"the host's apt configuration that private apt setups derive their\n" \
	"sources from (default " BK_APT_ETC_DEFAULT ")")
/* The compiler cache rows of the commands that compile (build, sysroot):
 * --ccache DIR, --ccache-remote URL, --no-ccache (which excludes the two,
 * which go together); ctx_ccache makes a struct bk_ccache of them. */
struct ccache_opts {
	const char *dir, *remote;
	int off;
};
#define OPT_CCACHE(o) \
	{.name = "--ccache", .kind = OPT_VALUE, .dst = &(o)->dir, .group = 1, .arg = "DIR", \
	 .help = "the compiler cache's directory (absolute; default CACHE/ccache)"}, \
	{.name = "--ccache-remote", .kind = OPT_VALUE, .dst = &(o)->remote, .group = 2, \
	 .arg = "URL", \
	 .help = "ccache's remote storage too (file:/shared/dir,\n" \
		 "http://host/path, redis://host): shared by machines"}, \
	{.name = "--no-ccache", .kind = OPT_FLAG, .dst = &(o)->off, .group = 1 | 2, \
	 .help = "compile without the cache"}
#define OPT_END {.name = NULL}
/* The words that are not options: at least min, at most max, named
 * "what" in "needs ..." (e.g. "PLATFORM (see 'bbkit platforms')"). */
struct args {
	const char **v;
	int min, max, n;
	const char *what;
};
/* Parses argv[1..] (argv[0] is the command) against opts plus the shared
 * -q, --cache DIR and --help, then checks needs, groups and the count of
 * other words. Returns 0, a usage error (BK_USAGE, already printed) or -1
 * when --help was printed: usage (the synopsis and what the command does),
 * then the options from the rows, then the exit codes. */
int parse_args(struct ctx *c, int argc, char **argv, const struct opt *opts, const char *usage,
	       struct args *pos);

/* The options --help lists from the rows, then the shared ones. */
void print_options(FILE *f, const struct opt *opts);

typedef int (*cmd_fn)(struct ctx *c, int argc, char **argv, struct bkerr *e);
struct command {
	const char *name;
	cmd_fn fn;
	const char *summary;
};
/* Runs the command argv[1] names from the table: shared options, signals,
 * the one error-printing path. Both programs' main() is this. */
int bbkit_main(int argc, char **argv, const struct command *commands, size_t n);

/* Every command's entry point, from the one list (commands.h). */
#define BBKIT_PROTOTYPE(name, fn, summary) int fn(struct ctx *c, int argc, char **argv, struct bkerr *e);
BBKIT_COMMANDS(BBKIT_PROTOTYPE)
RESOLVER_COMMANDS(BBKIT_PROTOTYPE)
#undef BBKIT_PROTOTYPE

#endif
