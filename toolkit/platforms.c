/* bbkit platforms: print the platform table.
 * bbkit prepare: allnoconfig a build dir for a platform.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char platforms_usage[] =
	"usage: bbkit platforms [--names]\n\n"
	"Print the platform table: docker platform, busybox ARCH, clang target,\n"
	"extra CFLAGS, Debian arch of musl-dev, GNU triple of the -cross packages,\n"
	"musl multiarch dir, qemu binary, ELF machine/class/byte order, linker,\n"
	"where musl comes from (deb: Debian's musl-dev; src-V: musl V built from\n"
	"its source tarball, as Debian has no musl-dev for that architecture).\n"
	"  --names   only the platform names, one per line\n" BBKIT_EXIT_CODES;

int cmd_platforms(struct ctx *c, int argc, char **argv, struct bberr *e)
{
	int names = 0, r;
	const struct opt opts[] = {{"--names", NULL, &names, NULL, NULL, 0},
				   {NULL, NULL, NULL, NULL, NULL, 0}};
	(void)e;
	if ((r = parse_args(c, argc, argv, opts, platforms_usage, NULL, 0, NULL)))
		return r < 0 ? 0 : r;
	if (!names)
		printf("%-14s %-7s %-25s %-8s %-22s %-24s %-20s %-9s %-9s %-9s %s\n", "PLATFORM",
		       "ARCH", "CLANG TARGET", "DEB ARCH", "GNU TRIPLE", "MUSL DIR", "QEMU", "ELF",
		       "LINKER", "MUSL", "CFLAGS");
	for (size_t i = 0; i < bb_nplatforms; i++) {
		const struct platform *p = &bb_platforms[i];
		if (names)
			printf("%s\n", p->name);
		else {
			char elf[32], musl[32];
			snprintf(elf, sizeof elf, "%d/%d/%s", p->elf_machine,
				 p->elf_class == 2 ? 64 : 32, p->elf_data == 1 ? "LE" : "BE");
			snprintf(musl, sizeof musl, "%s%s", p->musl_src ? "src-" : "deb",
				 p->musl_src ? p->musl_src : "");
			printf("%-14s %-7s %-25s %-8s %-22s %-24s %-20s %-9s %-9s %-9s %s\n", p->name,
			       p->bb_arch, p->triple, p->deb_arch, p->gnu_triple, p->musl_triple,
			       p->qemu, elf, p->ld, musl, p->cflags);
		}
	}
	return 0;
}

static const char prepare_usage[] =
	"usage: bbkit prepare PLATFORM --src DIR --builddir DIR [-q]\n\n"
	"Run busybox's 'make O=BUILDDIR ARCH=<arch> allnoconfig' for PLATFORM and keep\n"
	"the result as BUILDDIR/.config.allnoconfig, the baseline 'bbkit resolve'\n"
	"starts from. The log is BUILDDIR/prepare.log.\n" BBKIT_EXIT_CODES;

int cmd_prepare(struct ctx *c, int argc, char **argv, struct bberr *e)
{
	const char *src = NULL, *bdir = NULL, *plat = NULL;
	const struct platform *p;
	int r;
	const struct opt opts[] = {{"--src", &src, NULL, NULL, NULL, 0},
				   {"--builddir", &bdir, NULL, NULL, NULL, 0},
				   {NULL, NULL, NULL, NULL, NULL, 0}};
	if ((r = parse_args(c, argc, argv, opts, prepare_usage, &plat, 1, NULL)))
		return r < 0 ? 0 : r;
	if (!plat || !src || !bdir)
		return usage_error(c, "needs PLATFORM, --src and --builddir");
	if ((r = bb_platform_get(plat, &p, e)))
		return r;
	if ((r = bb_mkdirs(bdir, 0755, e)))
		return r;
	{
		char *absb = realpath(bdir, NULL), *abss = realpath(src, NULL);
		char *arch = bb_xasprintf("ARCH=%s", p->bb_arch);
		char *log = bb_xasprintf("%s/prepare.log", absb);
		char *cfg = bb_xasprintf("%s/.config", absb);
		char *base = bb_xasprintf("%s/.config.allnoconfig", absb);
		const char *vars[] = {"-s", arch, "HOSTCC=gcc", NULL};
		char **mk = NULL;
		int ran;
		unlink(log);
		setenv("KCONFIG_NOTIMESTAMP", "1", 1);
		if (!abss)
			r = bb_fail_errno(e, BB_ENV, "%s: no such directory", src);
		else if ((r = bb_kbuild_setup(abss, absb, log, &ran, e)))
			bb_fail(e, r, "%s: %s", plat, e->msg);
		else {
			mk = bb_kbuild_argv(abss, absb, vars, "allnoconfig", NULL);
			if ((r = bb_run(mk, NULL, log, NULL, e)))
				bb_fail_tail(e, log, 20, "%s: allnoconfig", plat);
		}
		if (!r)
			r = bb_copy_atomic(cfg, base, 0644, 1, NULL, e);
		if (!r)
			progress(c, "%s: allnoconfig in %s", plat, bdir);
		bb_argv_free(mk);
		free(absb);
		free(abss);
		free(arch);
		free(log);
		free(cfg);
		free(base);
	}
	return r;
}
