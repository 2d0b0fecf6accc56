/* The command-line layer every bbkit command shares: option parsing,
 * progress lines, and the one place that prints errors:
 *   bbkit: <command>: <input>: <what>: <why / what to do>
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/fs.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static void main_usage(FILE *f, const struct command *commands, size_t n)
{
	fprintf(f, "usage: bbkit COMMAND [options]\n\n"
		   "Curate busybox applets and cross-build busybox with clang/lld.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nOptions every command takes: -q (no progress lines), --cache DIR\n"
		   "(default $BBKIT_CACHE, else ./.cache), --help.\n" BBKIT_EXIT_CODES);
}

void progress(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	if (c->quiet)
		return;
	fprintf(stderr, "bbkit: %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (%.1fs)\n", bk_now() - c->t0);
}

static void say_for_ctx(void *arg, int kind, const char *text)
{
	struct ctx *c = arg;
	if (kind == BK_SAY_PROGRESS)
		progress(c, "%s", text);
	else if (!c->quiet)
		fprintf(stderr, "bbkit: %s: note: %s\n", c->cmd, text);
}

struct bk_say ctx_say(struct ctx *c)
{
	struct bk_say s = {say_for_ctx, c};
	return s;
}

struct bk_env ctx_env(struct ctx *c)
{
	struct bk_env env = {ctx_say(c), c->cache, c->apt_etc};
	return env;
}

int usage_error(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bbkit: %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'bbkit %s --help'\n", c->cmd);
	return BK_USAGE;
}

void ctx_set_cache(struct ctx *c, const char *dir)
{
	/* apt and children run elsewhere: the cache path must be absolute */
	char *abs = NULL;
	if (dir[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		abs = bk_xasprintf("%s/%s", cwd ? cwd : ".", dir);
		free(cwd);
		dir = abs;
	}
	c->cache = dir;
	free(c->cache_buf);
	c->cache_buf = abs;
}

#define HELP_COL 24
/* "a|b|c" as "a, b or c". */
static char *either(const char *list)
{
	struct sbuf b = {0};
	sb_init(&b);
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, "|");
		sb_addn(&b, p, n);
		p += n + (p[n] == '|');
		if (*p)
			sb_add(&b, strchr(p, '|') ? ", " : " or ");
	}
	return b.s ? b.s : bk_xstrdup("");
}

/* What the table says of a row besides its text (required, unless,
 * exclusive, range, values), "" when nothing. */
static char *row_rules(const struct opt *opts, const struct opt *o)
{
	struct sbuf b = {0};
	sb_init(&b);
	if (o->need && !*o->need)
		sb_add(&b, "; required");
	else if (o->need)
		sb_addf(&b, "; required unless %s", o->need);
	for (const struct opt *x = opts; o->group && x->name; x++)
		if (x != o && x->group == o->group)
			sb_addf(&b, "; not with %s", x->name);
	if (o->kind == OPT_INT)
		sb_addf(&b, "; %ld to %ld", o->lo, o->hi);
	if (o->oneof) {
		char *v = either(o->oneof);
		sb_addf(&b, "; %s", v);
		free(v);
	}
	if (o->kind == OPT_MANY)
		sb_addf(&b, "; repeatable, at most %d", o->max);
	return b.s ? b.s : bk_xstrdup("");
}

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
	char *rules = row_rules(opts, o), *text;
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

/* The row a word names, and its attached value ("--opt=V", "-xV"). */
static const struct opt *find_opt(const struct opt *opts, const char *a, const char **val)
{
	for (const struct opt *o = opts; o && o->name; o++) {
		size_t len = strlen(o->name);
		int lng = o->name[1] == '-';
		if (strncmp(a, o->name, len))
			continue;
		*val = NULL;
		if (!a[len])
			return o;
		if (o->kind == OPT_FLAG)
			continue;
		if (lng && a[len] == '=') {
			*val = a + len + 1;
			return o;
		}
		if (!lng) {
			*val = a + len;
			return o;
		}
	}
	return NULL;
}

/* v is one of the words in "a|b|c". */
static int one_of(const char *list, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = list; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
		if (!strncmp(p, v, n) && (p[n] == '|' || !p[n]))
			return n > 0;
	return 0;
}

/* An OPT_INT's value: digits only (no sign, space or leading zero), in
 * the row's range. */
static int take_int(struct ctx *c, const struct opt *o, const char *v)
{
	long n = 0;
	const char *p = v;
	for (; *p >= '0' && *p <= '9' && n <= o->hi; p++)
		n = n * 10 + (*p - '0');
	if (!*v || *p || (v[0] == '0' && v[1]) || n < o->lo || n > o->hi)
		return usage_error(c, "%s %s: want a number from %ld to %ld", o->name, v, o->lo,
				   o->hi);
	*(int *)o->dst = (int)n;
	return 0;
}

static int take(struct ctx *c, const struct opt *o, const char *v)
{
	if (o->kind == OPT_FLAG)
		*(int *)o->dst = 1;
	else if (o->kind == OPT_INT)
		return take_int(c, o, v);
	else if (o->kind == OPT_VALUE && o->oneof && !one_of(o->oneof, v)) {
		char *list = either(o->oneof);
		int r = usage_error(c, "%s %s: use %s", o->name, v, list);
		free(list);
		return r;
	} else if (o->kind == OPT_VALUE)
		*(const char **)o->dst = v;
	else if (*o->count >= o->max)
		return usage_error(c, "%s: at most %d of them", o->name, o->max);
	else
		((const char **)o->dst)[(*o->count)++] = v;
	return 0;
}

static int row_of(const struct opt *opts, const char *name)
{
	for (int i = 0; opts && opts[i].name; i++)
		if (!strcmp(opts[i].name, name))
			return i;
	return -1;
}

/* "--a or --b" when two options each stand in for the other. */
static int mutual(const struct opt *opts, int i, int other)
{
	return other >= 0 && opts[other].need && !strcmp(opts[other].need, opts[i].name);
}

#define MAX_ROWS 32
/* What the table declares: exclusive groups first, then every need (and
 * the count of other words) in one "needs A, B and C" line. */
static int check_needs(struct ctx *c, const struct opt *opts, const int *given,
		       const struct args *pos)
{
	const char *miss[MAX_ROWS + 1];
	char *pairs[MAX_ROWS] = {0};
	struct sbuf b = {0};
	int n = 0, r = 0;
	for (int i = 0; opts && opts[i].name; i++)
		for (int j = i + 1; opts[j].name; j++)
			if (opts[i].group && opts[i].group == opts[j].group && given[i] && given[j])
				return usage_error(c, "%s and %s cannot go together", opts[i].name,
						   opts[j].name);
	if (pos && pos->n < pos->min)
		miss[n++] = pos->what;
	for (int i = 0; opts && opts[i].name && i < MAX_ROWS; i++) {
		const char *need = opts[i].need;
		int other = need && *need ? row_of(opts, need) : -1;
		if (!need || given[i] || (other >= 0 && given[other]))
			continue;
		if (!mutual(opts, i, other))
			miss[n++] = opts[i].name;
		else if (other > i) /* said once, with its pair */
			miss[n++] = pairs[i] = bk_xasprintf("%s or %s", opts[i].name, need);
	}
	for (int i = 0; i < n; i++)
		sb_addf(&b, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", miss[i]);
	if (n)
		r = usage_error(c, "needs %s", b.s);
	free(b.s);
	for (int i = 0; i < MAX_ROWS; i++)
		free(pairs[i]);
	return r;
}

int parse_args(struct ctx *c, int argc, char **argv, const struct opt *opts, const char *usage,
	       struct args *pos)
{
	int only_pos = 0, given[MAX_ROWS] = {0};
	if (pos)
		pos->n = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		const struct opt *o;
		int r;
		if (!only_pos && !strcmp(a, "--")) { /* the rest are arguments: -dash.list */
			only_pos = 1;
			continue;
		}
		if (only_pos || a[0] != '-' || !a[1]) {
			if (!pos || pos->n >= pos->max)
				return usage_error(c, "%s: unexpected argument", a);
			pos->v[pos->n++] = a;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			print_options(stdout, opts);
			fputs(BBKIT_EXIT_CODES, stdout);
			return -1;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			c->quiet = 1;
			continue;
		}
		if (!strcmp(a, "--cache") || !strncmp(a, "--cache=", 8)) {
			if (a[7] != '=' && i + 1 >= argc)
				return usage_error(c, "--cache needs a value");
			ctx_set_cache(c, a[7] == '=' ? a + 8 : argv[++i]);
			continue;
		}
		if (!(o = find_opt(opts, a, &v)))
			return usage_error(c, "%s: unknown option", a);
		if (o->kind != OPT_FLAG && !v) {
			if (i + 1 >= argc)
				return usage_error(c, "%s needs a value", o->name);
			v = argv[++i];
		}
		if ((r = take(c, o, v)))
			return r;
		if (o - opts < MAX_ROWS)
			given[o - opts] = 1;
	}
	return check_needs(c, opts, given, pos);
}

/* The one place errors are printed: "bbkit: CMD: " and the text, with
 * control characters from the input (a CR, an escape sequence) written as
 * \xHH, never sent to the terminal as they are. */
static void print_line(const char *cmd, const char *s, size_t n)
{
	fprintf(stderr, "bbkit: %s: ", cmd);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
			fprintf(stderr, "\\x%02x", ch);
		else
			fputc(ch, stderr);
	}
	fputc('\n', stderr);
}

/* A signal that ends a command takes its half-written outputs with it. */
static void on_fatal_signal(int sig)
{
	bk_tmp_remove_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

int bbkit_main(int argc, char **argv, const struct command *commands, size_t n)
{
	struct ctx c = {.cmd = "bbkit", .quiet = 0, .cache = NULL, .cache_buf = NULL, .t0 = bk_now(),
		       .apt_etc = BK_APT_ETC_DEFAULT};
	struct bkerr e = {0, "", NULL, 0};
	int r;
	if (argc < 2) {
		main_usage(stderr, commands, n);
		return BK_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		main_usage(stdout, commands, n);
		return 0;
	}
	{
		struct sigaction sa = {0};
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	c.cache = getenv("BBKIT_CACHE");
	ctx_set_cache(&c, c.cache && *c.cache ? c.cache : ".cache");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		c.cmd = commands[i].name;
		/* read once, one rule for every command (make checks the same) */
		if (!(r = bk_epoch_parse(getenv("SOURCE_DATE_EPOCH"), &c.epoch, &e)))
			r = commands[i].fn(&c, argc - 1, argv + 1, &e);
		free(c.cache_buf);
		for (char *p = e.more, *nl; p && *p; p = nl + 1) {
			nl = strchr(p, '\n');
			print_line(c.cmd, p, (size_t)(nl - p));
		}
		if (e.dropped) {
			char *more = bk_xasprintf("... and %zu more problem%s", e.dropped,
						  e.dropped == 1 ? "" : "s");
			print_line(c.cmd, more, strlen(more));
			free(more);
		}
		free(e.more);
		if (r && e.msg[0])
			print_line(c.cmd, e.msg, strlen(e.msg));
		return r;
	}
	free(c.cache_buf);
	fprintf(stderr, "bbkit: %s: unknown command; see 'bbkit --help'\n", argv[1]);
	return BK_USAGE;
}
