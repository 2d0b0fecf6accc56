/* Command-line layer shared by the subcommands: context, progress lines, the
 * one error-reporting path (bbkit.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_H
#define BBKIT_H

#include "lib/bk.h"
#include "lib/engine.h"

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
/* An engine's progress and notes, shown as this command's (-q: none). */
struct bk_say ctx_say(struct ctx *c);
/* What an engine needs of the command: ctx_say and the cache. */
struct bk_env ctx_env(struct ctx *c);
/* Sets c->cache, made absolute (apt and children run elsewhere). */
void ctx_set_cache(struct ctx *c, const char *dir);
/* A command's options, declared once (toybox's option strings as a table):
 *   name   "--opt" (value as "--opt V" or "--opt=V") or "-x" ("-x V", "-xV")
 *   kind   OPT_FLAG sets an int to 1; OPT_VALUE stores one string;
 *          OPT_MANY appends to a string array (count, at most max)
 *   need   NULL: optional; OPT_ALWAYS: required; "--other": required
 *          unless --other is given
 *   group  options that share a nonzero group exclude each other */
enum opt_kind { OPT_FLAG, OPT_VALUE, OPT_MANY };
#define OPT_ALWAYS ""
struct opt {
	const char *name;
	enum opt_kind kind;
	void *dst;
	int *count, max;
	const char *need;
	int group;
};
#define OPT_F(n, p) {n, OPT_FLAG, p, NULL, 0, NULL, 0}
#define OPT_V(n, p) {n, OPT_VALUE, p, NULL, 0, NULL, 0}
#define OPT_REQ(n, p) {n, OPT_VALUE, p, NULL, 0, OPT_ALWAYS, 0}
#define OPT_M(n, v, cnt, mx) {n, OPT_MANY, v, cnt, mx, NULL, 0}
#define OPT_END {NULL, OPT_FLAG, NULL, NULL, 0, NULL, 0}
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
 * when --help was printed. */
int parse_args(struct ctx *c, int argc, char **argv, const struct opt *opts, const char *usage,
	       struct args *pos);

typedef int (*cmd_fn)(struct ctx *c, int argc, char **argv, struct bkerr *e);
struct command {
	const char *name;
	cmd_fn fn;
	const char *summary;
};
/* Runs the command argv[1] names from the table: shared options, signals,
 * the one error-printing path. Both programs' main() is this. */
int bbkit_main(int argc, char **argv, const struct command *commands, size_t n);

int cmd_fetch(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_platforms(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_prepare(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_resolve(struct ctx *c, int argc, char **argv, struct bkerr *e);      /* bbkit-<ver> */
int cmd_resolve_exec(struct ctx *c, int argc, char **argv, struct bkerr *e); /* runs it */
int cmd_sysroot(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_build(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_manifest(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_size(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_image(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_sbom(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_pack(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_vex(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_publish(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_verify(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_bump(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_scan(struct ctx *c, int argc, char **argv, struct bkerr *e);
int cmd_rootfs(struct ctx *c, int argc, char **argv, struct bkerr *e);

#endif
