/* bbkit: curate busybox applets and cross-build busybox.
 *
 * usage: bbkit COMMAND [options]   (bbkit COMMAND --help for each)
 *
 * This file holds the command table and the one place that prints errors:
 *   bbkit: <command>: <input>: <what>: <why / what to do>
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	cmd_fn fn;
	const char *summary;
} commands[] = {
	{"fetch", cmd_fetch, "get a verified busybox source tree into the cache"},
	{"platforms", cmd_platforms, "print the platform table"},
	{"sysroot", cmd_sysroot, "make a private musl sysroot for a platform from Debian packages"},
	{"prepare", cmd_prepare, "allnoconfig a busybox build dir for a platform"},
	{"resolve", cmd_resolve, "write a .config from an applet list (busybox's own kconfig)"},
	{"build", cmd_build, "cross-build busybox for a platform with clang/lld"},
	{"manifest", cmd_manifest, "applet links from the config and busybox's applet table"},
	{"rootfs", cmd_rootfs, "write a deterministic rootfs tarball or directory"},
	{"verify", cmd_verify, "busybox's own testsuite on the built binary (qemu), with a baseline"},
	{"size", cmd_size, "per-applet size from the link map; --diff of two builds"},
};

static void main_usage(FILE *f)
{
	fprintf(f, "usage: bbkit COMMAND [options]\n\n"
		   "Curate busybox applets and cross-build busybox with clang/lld.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
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

void say_waiting(void *arg)
{
	struct wait_note *w = arg;
	progress(w->c, "%s: another bbkit is working in %s; waiting for it", w->plat, w->dir);
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

int parse_args(struct ctx *c, int argc, char **argv, const struct opt *opts, const char *usage,
	       const char **pos, int maxpos, int *npos)
{
	int n = 0, only_pos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt *o;
		size_t len;
		if (!only_pos && !strcmp(a, "--")) { /* the rest are arguments: -dash.list */
			only_pos = 1;
			continue;
		}
		if (only_pos || a[0] != '-' || !a[1]) {
			if (n >= maxpos)
				return usage_error(c, "%s: unexpected argument", a);
			pos[n++] = a;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return -1;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			c->quiet = 1;
			continue;
		}
		if (!strcmp(a, "--cache") || !strncmp(a, "--cache=", 8)) {
			/* taken (and made absolute) in main() */
			i += a[7] != '=';
			continue;
		}
		for (o = opts; o && o->name; o++) {
			len = strlen(o->name);
			if (!strncmp(a, o->name, len) && (!a[len] || (a[len] == '=' && !o->flag)))
				break;
		}
		if (!o || !o->name)
			return usage_error(c, "%s: unknown option", a);
		if (o->flag) {
			*o->flag = 1;
			continue;
		}
		{
			const char *v = a[len] == '=' ? a + len + 1 : NULL;
			if (!v) {
				if (i + 1 >= argc)
					return usage_error(c, "%s needs a value", o->name);
				v = argv[++i];
			}
			if (o->value)
				*o->value = v;
			else if (*o->count >= o->max)
				return usage_error(c, "%s: at most %d of them", o->name, o->max);
			else
				o->many[(*o->count)++] = v;
		}
	}
	if (npos)
		*npos = n;
	return 0;
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

int main(int argc, char **argv)
{
	struct ctx c = {.cmd = "bbkit", .quiet = 0, .cache = NULL, .t0 = bk_now()};
	struct bkerr e = {0, "", NULL};
	char *abs_cache = NULL;
	int r;
	if (argc < 2) {
		main_usage(stderr);
		return BK_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		main_usage(stdout);
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
	if (!c.cache || !*c.cache)
		c.cache = ".cache";
	/* apt and children run elsewhere: the cache path must be absolute */
	for (int i = 2; i < argc; i++)
		if (!strncmp(argv[i], "--cache", 7))
			c.cache = argv[i][7] == '=' ? argv[i] + 8 : i + 1 < argc ? argv[i + 1] : c.cache;
	if (c.cache[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		abs_cache = bk_xasprintf("%s/%s", cwd ? cwd : ".", c.cache);
		free(cwd);
		c.cache = abs_cache;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		c.cmd = commands[i].name;
		r = commands[i].fn(&c, argc - 1, argv + 1, &e);
		free(abs_cache);
		for (char *p = e.more, *nl; p && *p; p = nl + 1) {
			nl = strchr(p, '\n');
			print_line(c.cmd, p, (size_t)(nl - p));
		}
		free(e.more);
		if (r && e.msg[0])
			print_line(c.cmd, e.msg, strlen(e.msg));
		return r;
	}
	free(abs_cache);
	fprintf(stderr, "bbkit: %s: unknown command; see 'bbkit --help'\n", argv[1]);
	return BK_USAGE;
}
