/* bbkit prepare: allnoconfig a build dir for a platform (lib/prepare.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#include "bbkit.h"
#include "lib/engine.h"
#include "lib/tables.h"

static const char prepare_usage[] =
	"usage: bbkit prepare PLATFORM --src DIR --builddir DIR [--shared DIR] [-q]\n\n"
	"Run busybox's 'make O=BUILDDIR ARCH=<arch> allnoconfig' for PLATFORM and keep\n"
	"the result as BUILDDIR/.config.allnoconfig, the baseline 'bbkit resolve'\n"
	"starts from. The log is BUILDDIR/prepare.log.\n";

int cmd_prepare(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *src = NULL, *bdir = NULL, *plat = NULL, *shared = NULL;
	const struct platform *p;
	struct bk_env env;
	int r;
	const struct opt opts[] = {
		OPT_REQ("--src", &src, "DIR", "the busybox source tree (bbkit fetch)"),
		OPT_REQ("--builddir", &bdir, "DIR", "the build dir (O=), made if missing"),
		OPT_V("--shared", &shared, "DIR",
		      "for a new (empty) BUILDDIR: allnoconfig in DIR (once; later\n"
		      "only what kbuild finds out of date) and copy the result, host\n"
		      "tools included. busybox's Kconfig does not depend on ARCH,\n"
		      "so every platform's prepared dir is the same."),
		OPT_END};
	struct args pos = {&plat, 1, 1, 0, "PLATFORM"};
	if ((r = parse_args(c, argc, argv, opts, prepare_usage, &pos)))
		return r < 0 ? 0 : r;
	if ((r = bk_platform_get(plat, &p, e)))
		return r;
	env = ctx_env(c); /* after --cache */
	return bk_prepare(&env, p, src, bdir, shared, e);
}
