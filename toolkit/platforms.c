/* bbkit platforms: print the platform table, or one field of one row.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/tables.h"

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
	"its source tarball, as Debian has no musl-dev for that architecture).\n";

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
	if (!strcmp(f, "upx"))
		return bk_xstrdup(p->upx ? "yes" : "no");
	if (!strcmp(f, "native"))
		return bk_xstrdup(bk_platform_native(p) ? "yes" : "no");
	if (!strcmp(f, "musl"))
		return p->musl_src ? bk_xasprintf("src-%s", p->musl_src) : bk_xstrdup("deb");
	return NULL;
}

int cmd_platforms(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	int names = 0, r;
	const char *field = NULL, *plat = NULL;
	const struct opt opts[] = {
		{.name = "--names", .kind = OPT_FLAG, .dst = &names, .group = 1,
		 .help = "only the platform names, one per line"},
		{.name = "--field", .kind = OPT_VALUE, .dst = &field, .arg = "NAME", .group = 1,
		 .help = "one field of one row (give PLATFORM), for scripts: slug, arch,\n"
			 "target, cflags, deb-arch, gnu-triple, musl-triple, qemu,\n"
			 "elf-machine, elf-class, elf-data, ld, ld-package, musl (deb,\n"
			 "or src-VERSION), native (yes: this host runs its binaries\n"
			 "without qemu), upx (yes: COMPRESS=upx packs it)"},
		OPT_END};
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
		printf("%-14s %-7s %-25s %-8s %-22s %-24s %-20s %-9s %-9s %-9s %-4s %s\n", "PLATFORM",
		       "ARCH", "CLANG TARGET", "DEB ARCH", "GNU TRIPLE", "MUSL DIR", "QEMU", "ELF",
		       "LINKER", "MUSL", "UPX", "CFLAGS");
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
			printf("%-14s %-7s %-25s %-8s %-22s %-24s %-20s %-9s %-9s %-9s %-4s %s\n",
			       p->name, p->busybox_arch, p->triple, p->deb_arch, p->gnu_triple,
			       p->musl_triple, p->qemu, elf, p->ld, musl, p->upx ? "yes" : "no",
			       p->cflags);
		}
	}
	return 0;
}
