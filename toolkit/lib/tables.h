/* The two tables (tables.c): busybox and musl releases with their pins
 * (pins.tsv), and the platforms.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_TABLES_H
#define BBKIT_TABLES_H

#include "bk.h"

/* Known busybox releases: pinned sha256 of the pristine tarball and the
 * Debian suite whose source archive carries it. */
struct bk_version {
	const char *version;
	const char *sha256;
	const char *suite;
};
const struct bk_version *bk_version_find(const char *version);
extern const struct bk_version bk_versions[];
struct bk_debian {
	const char *version, *file, *sha256, *suite;
};
extern const struct bk_debian bk_debian_versions[];
const struct bk_debian *bk_debian_find(const char *version);
/* UPX's source: the orig tarball of Debian's upx-ucl (pins.tsv). */
extern const struct bk_debian *const bk_upx_pin;
/* Suites that mark a host apt source as a Debian mirror; the suites of the
 * pinned busybox versions (where an unpinned one is looked for). */
extern const char *const bk_mirror_suites[];
const char *const *bk_pinned_suites(void);
/* "1.35.0, 1.37.0, 1.38.0": the pinned versions, for messages. */
const char *bk_pinned_names(void);
/* The same for musl, built from source for platforms Debian has no
 * musl-dev for. */
extern const struct bk_version bk_musl_versions[];
const struct bk_version *bk_musl_find(const char *version);
/* Version of a musl source tree (its VERSION file). */
int bk_musl_tree_version(const char *srctree, char *out, size_t outlen, struct bkerr *e);
/* Version string of a busybox source tree (VERSION.PATCHLEVEL.SUBLEVEL). */
int bk_tree_version(const char *srctree, char *out, size_t outlen, struct bkerr *e);

/* Platforms: the one table. BK_GCC_CROSS: the gcc whose Debian -cross
 * packages give every sysroot libgcc and crtbegin
 * (libgcc-<N>-dev-<arch>-cross, usr/lib/gcc-cross/<triple>/<N>). */
#define BK_GCC_CROSS "12"

struct platform {
	const char *name;       /* docker platform: linux/arm/v7 */
	const char *busybox_arch;    /* busybox ARCH= */
	const char *triple;     /* clang --target */
	const char *cflags;     /* extra CFLAGS */
	const char *deb_arch;   /* Debian arch of musl-dev and the -cross packages */
	const char *gnu_triple; /* GNU triple of the -cross packages */
	const char *musl_triple;/* multiarch dir of musl-dev */
	const char *qemu;       /* qemu-user binary */
	int elf_machine;        /* EM_* */
	int elf_class;          /* ELFCLASS32/64 */
	int elf_data;           /* ELFDATA2LSB/MSB */
	const char *ld;         /* linker program: ld.lld, or a newer ld.lld-N */
	const char *ld_package; /* Debian package holding it */
	const char *musl_src;   /* NULL: Debian's musl-dev; else a musl version
				   built from source (Debian has no musl-dev) */
	int upx;                /* UPX 4.2.4 packs its ELF (COMPRESS=upx) */
};
/* The host runs the platform's binaries without qemu (verify, scripts). */
int bk_platform_native(const struct platform *p);
extern const struct platform bk_platforms[];
extern const size_t bk_nplatforms;
const struct platform *bk_platform_find(const char *name);
/* "linux/arm/v7" -> "linux-arm-v7" (caller frees). */
char *bk_platform_slug(const char *name);
/* Comma separated list of names, for error messages (static buffer). */
const char *bk_platform_names(void);
/* Lookup with a ready error message listing the known platforms. */
int bk_platform_get(const char *name, const struct platform **out, struct bkerr *e);

#endif
