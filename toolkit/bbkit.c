/* The program around the commands: the dispatch from the command table,
 * signals, and the one place that prints errors:
 *   bbkit: <command>: <input>: <what>: <why / what to do>
 * (what a command calls: ctx.c; its option rows: opts.c, optrules.c,
 * opthelp.c)
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/fs.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* What the command left in e: its other problems, how many were dropped,
 * then the error itself when it failed. */
static void print_errors(const char *cmd, const struct bkerr *e, int r)
{
	for (char *p = e->more, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		print_line(cmd, p, (size_t)(nl - p));
	}
	if (e->dropped) {
		char *more = bk_xasprintf("... and %zu more problem%s", e->dropped,
					  e->dropped == 1 ? "" : "s");
		print_line(cmd, more, strlen(more));
		free(more);
	}
	if (r && e->msg[0])
		print_line(cmd, e->msg, strlen(e->msg));
}

int bbkit_main(int argc, char **argv, const struct command *commands, size_t n)
{
	struct ctx c = {.cmd = "bbkit", .quiet = 0, .cache = NULL, .cache_buf = NULL, .t0 = bk_now(),
		       .apt_etc = BK_APT_ETC_DEFAULT};
	struct bkerr e = {0, "", NULL, 0};
	struct sigaction sa = {0};
	int r;
	/* A line a write: make runs bbkit's steps side by side on one stderr,
	 * and an unbuffered stderr wrote each piece of a line on its own
	 * ("bbkit: manifest: bbkit: rootfs: ..."), an error a byte at a time. */
	setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
	if (argc < 2) {
		main_usage(stderr, commands, n);
		return BK_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		main_usage(stdout, commands, n);
		return 0;
	}
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
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
		print_errors(c.cmd, &e, r);
		free(e.more);
		return r;
	}
	free(c.cache_buf);
	fprintf(stderr, "bbkit: %s: unknown command; see 'bbkit --help'\n", argv[1]);
	return BK_USAGE;
}
