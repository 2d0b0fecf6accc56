/* bbkit platforms: print the platform table.
 * bbkit prepare: allnoconfig a build dir for a platform.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char platforms_usage[] =
	"usage: bbkit platforms [--names | --field NAME PLATFORM]\n\n"
	"Print the platform table: docker platform, busybox ARCH, clang target,\n"
	"extra CFLAGS, Debian arch of musl-dev, GNU triple of the -cross packages,\n"
	"musl multiarch dir, qemu binary, ELF machine/class/byte order, linker,\n"
	"where musl comes from (deb: Debian's musl-dev; src-V: musl V built from\n"
	"its source tarball, as Debian has no musl-dev for that architecture).\n"
	"  --names   only the platform names, one per line\n"
	"  --field NAME PLATFORM\n"
	"            one field of one row, for scripts: slug, arch, target, cflags,\n"
	"            deb-arch, gnu-triple, musl-triple, qemu, elf-machine, elf-class,\n"
	"            elf-data, ld, ld-package, musl (deb, or src-VERSION)\n" BBKIT_EXIT_CODES;

/* One field of a row as text (the caller frees), or NULL for an unknown name. */
static char *platform_field(const struct platform *p, const char *f)
{
	const char *s = !strcmp(f, "arch")          ? p->busybox_arch
			: !strcmp(f, "target")      ? p->triple
			: !strcmp(f, "cflags")      ? p->cflags
			: !strcmp(f, "deb-arch")    ? p->deb_arch
			: !strcmp(f, "gnu-triple")  ? p->gnu_triple
			: !strcmp(f, "musl-triple") ? p->musl_triple
			: !strcmp(f, "qemu")        ? p->qemu
			: !strcmp(f, "ld")          ? p->ld
			: !strcmp(f, "ld-package")  ? p->ld_package
						    : NULL;
	if (s)
		return bk_xstrdup(s);
	if (!strcmp(f, "slug"))
		return bk_platform_slug(p->name);
	if (!strcmp(f, "elf-machine"))
		return bk_xasprintf("%d", p->elf_machine);
	if (!strcmp(f, "elf-class"))
		return bk_xasprintf("%d", p->elf_class);
	if (!strcmp(f, "elf-data"))
		return bk_xasprintf("%d", p->elf_data);
	if (!strcmp(f, "musl"))
		return p->musl_src ? bk_xasprintf("src-%s", p->musl_src) : bk_xstrdup("deb");
	return NULL;
}

int cmd_platforms(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	int names = 0, r;
	const char *field = NULL, *plat = NULL;
	const struct opt opts[] = {OPT_F("--names", &names), OPT_V("--field", &field), OPT_END};
	struct args pos = {&plat, 0, 1, 0, "PLATFORM"};
	if ((r = parse_args(c, argc, argv, opts, platforms_usage, &pos)))
		return r < 0 ? 0 : r;
	if (field) {
		const struct platform *p;
		char *v;
		if (!plat)
			return usage_error(c, "--field %s needs one PLATFORM", field);
		if ((r = bk_platform_get(plat, &p, e)))
			return r;
		if (!(v = platform_field(p, field)))
			return usage_error(c, "--field %s: unknown field", field);
		printf("%s\n", v);
		free(v);
		return 0;
	}
	if (plat)
		return usage_error(c, "%s: unexpected argument (a PLATFORM goes with --field)", plat);
	if (!names)
		printf("%-14s %-7s %-25s %-8s %-22s %-24s %-20s %-9s %-9s %-9s %s\n", "PLATFORM",
		       "ARCH", "CLANG TARGET", "DEB ARCH", "GNU TRIPLE", "MUSL DIR", "QEMU", "ELF",
		       "LINKER", "MUSL", "CFLAGS");
	for (size_t i = 0; i < bk_nplatforms; i++) {
		const struct platform *p = &bk_platforms[i];
		if (names)
			printf("%s\n", p->name);
		else {
			char elf[32], musl[32];
			snprintf(elf, sizeof elf, "%d/%d/%s", p->elf_machine,
				 p->elf_class == 2 ? 64 : 32, p->elf_data == 1 ? "LE" : "BE");
			snprintf(musl, sizeof musl, "%s%s", p->musl_src ? "src-" : "deb",
				 p->musl_src ? p->musl_src : "");
			printf("%-14s %-7s %-25s %-8s %-22s %-24s %-20s %-9s %-9s %-9s %s\n", p->name,
			       p->busybox_arch, p->triple, p->deb_arch, p->gnu_triple, p->musl_triple,
			       p->qemu, elf, p->ld, musl, p->cflags);
		}
	}
	return 0;
}

static const char prepare_usage[] =
	"usage: bbkit prepare PLATFORM --src DIR --builddir DIR [--shared DIR] [-q]\n\n"
	"Run busybox's 'make O=BUILDDIR ARCH=<arch> allnoconfig' for PLATFORM and keep\n"
	"the result as BUILDDIR/.config.allnoconfig, the baseline 'bbkit resolve'\n"
	"starts from. The log is BUILDDIR/prepare.log.\n"
	"  --shared DIR   for a new (empty) BUILDDIR: allnoconfig in DIR (once; later only\n"
	"                 what kbuild finds out of date) and copy the result, host\n"
	"                 tools included. busybox's Kconfig does not depend on ARCH,\n"
	"                 so every platform's prepared dir is the same.\n" BBKIT_EXIT_CODES;

/* allnoconfig in the build dir absb; log to absb/prepare.log. With reuse, a
 * finished allnoconfig is kept while the source tree is unchanged (the
 * shared dir: nothing there but allnoconfig's own results). */
static int allnoconfig(const char *abss, const char *absb, const struct platform *p, int reuse,
		       struct bkerr *e)
{
	char *arch = bk_xasprintf("ARCH=%s", p->busybox_arch);
	char *log = bk_xasprintf("%s/prepare.log", absb);
	char *cfg = bk_xasprintf("%s/.config", absb);
	char *base = bk_xasprintf("%s/.config.allnoconfig", absb);
	const char *vars[] = {"-s", arch, "HOSTCC=gcc", NULL};
	char **mk = NULL;
	int ran, r;
	unlink(log);
	if ((r = bk_kbuild_setup(abss, absb, log, &ran, e)))
		bk_fail(e, r, "%s: %s", p->name, e->msg);
	else if (reuse && !ran && bk_exists(base))
		goto out;
	else {
		/* from here until it is done again, no baseline: a run killed
		 * half-way must not leave an old one looking current */
		if (ran && unlink(base) && errno != ENOENT) {
			r = bk_fail_errno(e, BK_ENV, "%s: cannot remove", base);
			goto out;
		}
		mk = bk_kbuild_argv(abss, absb, vars, "allnoconfig", NULL);
		if ((r = bk_run(mk, NULL, log, NULL, e)))
			bk_fail_tail(e, log, 20, "%s: allnoconfig", p->name);
	}
	if (!r)
		r = bk_copy_atomic(cfg, base, 0644, 1, NULL, e);
out:
	bk_argv_free(mk);
	free(arch);
	free(log);
	free(cfg);
	free(base);
	return r;
}

static int is_empty_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = d != NULL;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	if (d)
		closedir(d);
	return empty;
}

/* A new, empty build dir becomes a copy of the shared prepared dir (made or
 * brought up to date under its lock), copied beside it and renamed into
 * place; only its own Makefile, which names the dir, is made anew. */
static int from_shared(const char *abss, const char *shared, const char *absb,
		       const struct platform *p, struct bkerr *e)
{
	char *lock = NULL, *abssh = NULL, *from = NULL, *mkmf = NULL, *log = NULL, *tmp = NULL;
	char *parent = bk_xstrdup(absb), *prefix = NULL, *slash = strrchr(parent, '/');
	char v[32] = "", major[16] = "", minor[16] = "";
	int fd = -1, r;
	if ((r = bk_mkdirs(shared, 0755, e)) || !(abssh = realpath(shared, NULL))) {
		if (!r)
			r = bk_fail_errno(e, BK_ENV, "%s", shared);
		bk_fail(e, r, "--shared: %s; it must be a directory bbkit can create and write",
			e->msg);
		goto out;
	}
	lock = bk_xasprintf("%s.lock", abssh);
	if ((r = bk_lock(lock, &fd, e)) || (r = allnoconfig(abss, abssh, p, 1, e)))
		goto out;
	*slash = 0;
	prefix = bk_xasprintf("%s.tmp.", slash + 1);
	bk_remove_stale(parent, prefix); /* of a killed run */
	from = bk_xasprintf("%s/.", abssh);
	tmp = bk_xasprintf("%s/%s%ld", parent, prefix, (long)getpid());
	{
		char *cp[] = {"cp", "-a", from, tmp, NULL};
		if ((r = bk_run(cp, NULL, NULL, NULL, e)) || rename(tmp, absb)) {
			if (!r)
				r = bk_fail_errno(e, BK_ENV, "%s: cannot rename to %s", tmp, absb);
			bk_fail(e, r, "%s: cannot copy the prepared %s to %s: %s", p->name, abssh,
				absb, e->msg);
			bk_rmtree(tmp);
			goto out;
		}
	}
	log = bk_xasprintf("%s/prepare.log", absb);
	{
		char *note = bk_xasprintf("bbkit: a copy of %s\n", abssh);
		r = bk_write_atomic(log, note, strlen(note), 0644, 0, NULL, e);
		free(note);
	}
	if (!r)
		r = bk_tree_version(abss, v, sizeof v, e);
	if (r)
		goto out;
	sscanf(v, "%15[^.].%15[^.]", major, minor); /* VERSION.PATCHLEVEL.SUBLEVEL */
	mkmf = bk_xasprintf("%s/scripts/mkmakefile", abss);
	{
		char *argv[] = {"sh", mkmf, (char *)abss, (char *)absb, major, minor, NULL};
		char *mf = bk_xasprintf("%s/Makefile", absb);
		unlink(mf); /* mkmakefile leaves alone a Makefile it does not own */
		free(mf);
		if ((r = bk_run(argv, NULL, log, NULL, e)))
			bk_fail_tail(e, log, 20, "%s: busybox's scripts/mkmakefile", p->name);
	}
out:
	if (fd >= 0)
		bk_unlock(fd);
	free(lock);
	free(abssh);
	free(from);
	free(mkmf);
	free(log);
	free(tmp);
	free(prefix);
	free(parent);
	return r;
}

int cmd_prepare(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *src = NULL, *bdir = NULL, *plat = NULL, *shared = NULL;
	const struct platform *p;
	char *absb = NULL, *abss = NULL, *lock = NULL;
	int r, lockfd = -1;
	struct wait_note w = {c, NULL, bdir};
	const struct opt opts[] = {OPT_REQ("--src", &src), OPT_REQ("--builddir", &bdir),
				   OPT_V("--shared", &shared), OPT_END};
	struct args pos = {&plat, 1, 1, 0, "PLATFORM"};
	if ((r = parse_args(c, argc, argv, opts, prepare_usage, &pos)))
		return r < 0 ? 0 : r;
	w.plat = plat;
	w.dir = bdir;
	if ((r = bk_platform_get(plat, &p, e)))
		return r;
	if ((r = bk_mkdirs(bdir, 0755, e)))
		return r;
	absb = realpath(bdir, NULL);
	abss = realpath(src, NULL);
	setenv("KCONFIG_NOTIMESTAMP", "1", 1);
	lock = bk_xasprintf("%s.lock", absb ? absb : bdir);
	if ((r = bk_lock_or_wait(lock, &lockfd, say_waiting, &w, e)))
		goto out;
	if (!abss)
		r = bk_fail_errno(e, BK_ENV, "%s: no such directory", src);
	else if (shared && is_empty_dir(absb)) {
		if (!(r = from_shared(abss, shared, absb, p, e)))
			progress(c, "%s: allnoconfig in %s (a copy of %s)", plat, bdir, shared);
	} else if (!(r = allnoconfig(abss, absb, p, 0, e)))
		progress(c, "%s: allnoconfig in %s", plat, bdir);
out:
	bk_unlock(lockfd);
	free(lock);
	free(absb);
	free(abss);
	return r;
}
