/* bbkit: curate busybox applets and cross-build busybox.
 *
 * usage: bbkit COMMAND [options]   (bbkit COMMAND --help for each)
 *
 * This file holds the command table and the one place that prints errors:
 *   bbkit: <command>: <input>: <what>: <why / what to do>
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"

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
	fprintf(stderr, " (%.1fs)\n", bb_now() - c->t0);
}

int usage_error(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bbkit: %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'bbkit %s --help'\n", c->cmd);
	return BB_USAGE;
}

const char *opt_value(struct ctx *c, int argc, char **argv, int *i, const char *name, int *err)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 >= argc) {
		*err = usage_error(c, "%s needs a value", name);
		return NULL;
	}
	return argv[++*i];
}

int common_option(struct ctx *c, int argc, char **argv, int *i, int *err)
{
	const char *v;
	if (!strcmp(argv[*i], "-q") || !strcmp(argv[*i], "--quiet")) {
		c->quiet = 1;
		return 1;
	}
	if ((v = opt_value(c, argc, argv, i, "--cache", err))) {
		(void)v; /* taken (and made absolute) in main() */
		return 1;
	}
	return *err != 0;
}

int main(int argc, char **argv)
{
	struct ctx c = {.cmd = "bbkit", .quiet = 0, .cache = NULL, .t0 = bb_now()};
	struct bberr e = {0, "", NULL};
	char *abs_cache = NULL;
	int r;
	if (argc < 2) {
		main_usage(stderr);
		return BB_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		main_usage(stdout);
		return 0;
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
		abs_cache = bb_xasprintf("%s/%s", cwd ? cwd : ".", c.cache);
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
			fprintf(stderr, "bbkit: %s: %.*s\n", c.cmd, (int)(nl - p), p);
		}
		free(e.more);
		if (r && e.msg[0])
			fprintf(stderr, "bbkit: %s: %s\n", c.cmd, e.msg);
		return r;
	}
	fprintf(stderr, "bbkit: %s: unknown command; see 'bbkit --help'\n", argv[1]);
	return BB_USAGE;
}
