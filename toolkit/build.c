/* bbkit build: cross-build busybox for a platform with clang/lld, SKIP_STRIP,
 * then llvm-strip, then check the ELF with libelf (the engine:
 * lib/toolchain.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/cache.h"
#include "lib/elf.h"
#include "lib/fs.h"
#include "lib/kbuild.h"
#include "lib/run.h"
#include "lib/tables.h"
#include "lib/toolchain.h"

#include <stdlib.h>
#include <unistd.h>

static const char build_usage[] =
	"usage: bbkit build PLATFORM --src DIR --builddir DIR --out FILE [-j N] [-q]\n"
	"                   [--ccache DIR] [--ccache-remote URL] [--no-ccache] [--apt-etc DIR]\n\n"
	"Build busybox from BUILDDIR/.config for PLATFORM: busybox's make out of tree\n"
	"with ARCH, CROSS_COMPILE and CC=<triple>-clang (a wrapper carrying --target,\n"
	"--sysroot, -fuse-ld=lld and the platform's flags), HOSTCC=gcc, SKIP_STRIP=y;\n"
	"then llvm-strip into FILE (atomically) and check the ELF: machine, class and\n"
	"byte order of the platform, static (no PT_INTERP, no DT_NEEDED), stripped.\n"
	"The sysroot comes from 'bbkit sysroot'. The full log is BUILDDIR/build.log.\n\n"
	"Compiles go through ccache (a compiler cache, on by default, in CACHE/ccache):\n"
	"its key is every argument, every header read, clang's and the linker's\n"
	"identity and SOURCE_DATE_EPOCH, so a hit is the object a compile would give.\n";

/* The build dir's lock, beside it: DIR.lock. */
static int lock_builddir(struct ctx *c, const struct platform *p, const char *dir, int *fd,
		  struct bkerr *e)
{
	struct bk_say say = ctx_say(c);
	struct bk_wait w = {&say, p->name, dir};
	char *lock = bk_xasprintf("%s.lock", dir);
	int r = bk_lock_or_wait(lock, fd, bk_say_waiting, &w, e);
	free(lock);
	return r;
}

int cmd_build(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *plat = NULL, *src = NULL, *bdir = NULL, *out = NULL, *check = NULL;
	struct ccache_opts cco = {0};
	int njobs = 0;
	char jobs[16];
	struct bk_ccache cc = {0};
	const struct platform *p;
	struct bk_env env;
	char *sysroot = NULL, *bindir = NULL, *absb = NULL, *abss = NULL, *j = NULL;
	int r, lockfd = -1;
	const struct opt opts[] = {
		{.name = "--src", .kind = OPT_VALUE, .dst = &src, .need = "--check", .arg = "DIR",
		 .help = "the busybox source tree (bbkit fetch)"},
		{.name = "--builddir", .kind = OPT_VALUE, .dst = &bdir, .need = "--check", .arg = "DIR",
		 .help = "the resolved build dir (bbkit prepare, resolve)"},
		{.name = "--out", .kind = OPT_VALUE, .dst = &out, .need = "--check", .arg = "FILE",
		 .help = "the stripped, checked busybox, written atomically"},
		OPT_V("--check", &check, "FILE", "only run the ELF checks on FILE"),
		/* a number here: make takes -j'' as no limit and -jabc late */
		OPT_INT("-j", &njobs, "N", 1, 1024,
			"busybox's make jobs (default: make's jobserver, else 1)"),
		OPT_CCACHE(&cco),
		OPT_APT_ETC(c),
		OPT_END};
	struct args pos = {&plat, 1, 1, 0, "PLATFORM (see 'bbkit platforms')"};
	if ((r = parse_args(c, argc, argv, opts, build_usage, &pos)))
		return r < 0 ? 0 : r;
	if ((r = bk_platform_get(plat, &p, e)))
		return r;
	env = ctx_env(c); /* after --cache */
	if (check)
		return bk_elf_check(check, p, 0, e);
	if ((r = bk_toolchain_check(p, e)))
		return r;
	if ((r = ctx_ccache(c, &cco, &cc, e)))
		return r;
	absb = realpath(bdir, NULL);
	abss = realpath(src, NULL);
	if (!absb || !abss)
		r = bk_fail_errno(e, BK_ENV, "%s: no such directory", !absb ? bdir : src);
	/* one busybox make at a time in a build dir (two makes of one profile:
	 * kbuild in one dir twice breaks fixdep and the link) */
	else if (!(r = lock_builddir(c, p, absb, &lockfd, e)) &&
		 !(r = bk_sysroot_ensure(&env, p, &cc, &sysroot, e))) {
		struct bk_build b = {p, abss, absb, NULL, NULL, out, &cc, !c->quiet && isatty(2), c->epoch};
		bk_kbuild_relink(sysroot, absb);
		snprintf(jobs, sizeof jobs, "%d", njobs);
		b.jobs = j = bk_make_jobs(njobs ? jobs : NULL);
		if (!(r = bk_toolchain_install(p, sysroot, absb, env.cache, &cc, &bindir, e))) {
			b.bindir = bindir;
			r = bk_toolchain_build(&env.say, &b, e);
		}
	}
	bk_unlock(lockfd);
	ctx_ccache_free(&cc);
	free(j);
	free(sysroot);
	free(bindir);
	free(absb);
	free(abss);
	return r;
}
