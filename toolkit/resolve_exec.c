/* bbkit resolve, in the generic bbkit: the resolver is linked with one busybox
 * version's kconfig engine, so it lives in bbkit-<version> next to bbkit;
 * this finds it from --src and runs it with the same arguments.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/fs.h"
#include "lib/tables.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_resolve_exec(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *src = NULL;
	char ver[64], *self, *helper;
	char **args;
	int r;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--src") && i + 1 < argc)
			src = argv[i + 1];
		else if (!strncmp(argv[i], "--src=", 6))
			src = argv[i] + 6;
	}
	if (!src) {
		for (int i = 1; i < argc; i++)
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				printf("usage: bbkit resolve --src DIR --builddir DIR [options] LIST...\n"
				       "The resolver is built per busybox version as bbkit-<version>\n"
				       "(make resolver); run 'bbkit-<version> resolve --help'.\n"
				       BBKIT_EXIT_CODES);
				return 0;
			}
		return usage_error(c, "needs --src DIR (the busybox source tree)");
	}
	if ((r = bk_tree_version(src, ver, sizeof ver, e)))
		return r;
	self = bk_self_dir();
	helper = bk_xasprintf("%s/bbkit-%s", self, ver);
	free(self);
	if (access(helper, X_OK)) {
		r = bk_fail(e, BK_ENV,
			    "%s: no resolver for busybox %s; build it with 'make resolver "
			    "BUSYBOX_VERSION=%s'",
			    helper, ver, ver);
		free(helper);
		return r;
	}
	args = bk_xmalloc(((size_t)argc + 2) * sizeof *args);
	args[0] = helper;
	for (int i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	args[argc + 1] = NULL;
	fflush(NULL);
	execv(helper, args);
	r = bk_fail_errno(e, BK_ENV, "%s: cannot run", helper);
	free(args);
	free(helper);
	return r;
}
