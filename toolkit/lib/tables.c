/* The two tables: busybox releases and platforms.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "tables.h"
#include "fs.h"
#include "pins.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pins, typed once in pins.tsv (scripts/pins-h.sh makes pins.h). */
const struct bk_version bk_versions[] = {BBKIT_PINS_BUSYBOX{NULL, NULL, NULL}};
const struct bk_version bk_musl_versions[] = {BBKIT_PINS_MUSL{NULL, NULL, NULL}};
const struct bk_debian bk_debian_versions[] = {BBKIT_PINS_DEBIAN{NULL, NULL, NULL, NULL}};
static const struct bk_debian upx_pins[] = {BBKIT_PIN_UPX};
const struct bk_debian *const bk_upx_pin = upx_pins;

const struct bk_debian *bk_debian_find(const char *version)
{
	for (const struct bk_debian *d = bk_debian_versions; d->version; d++)
		if (!strcmp(d->version, version))
			return d;
	return NULL;
}

static const struct bk_version *find_in(const struct bk_version *t, const char *version)
{
	for (const struct bk_version *v = t; v->version; v++)
		if (!strcmp(v->version, version))
			return v;
	return NULL;
}

const struct bk_version *bk_version_find(const char *version)
{
	return find_in(bk_versions, version);
}

const struct bk_version *bk_musl_find(const char *version)
{
	return find_in(bk_musl_versions, version);
}

int bk_musl_tree_version(const char *srctree, char *out, size_t outlen, struct bkerr *e)
{
	char *path = bk_xasprintf("%s/VERSION", srctree), *text;
	int r = bk_read_file(path, &text, NULL, e);
	if (!r) {
		text[strcspn(text, " \t\n")] = 0;
		if (!text[0] || strlen(text) >= outlen)
			r = bk_fail(e, BK_ENV, "%s: no version in it: not a musl tree?", path);
		else
			snprintf(out, outlen, "%s", text);
		free(text);
	}
	free(path);
	return r;
}

/* name, ARCH, clang target, extra CFLAGS, Debian arch, GNU triple, musl
 * multiarch dir, qemu, ELF machine, class, data, linker and its package,
 * musl built from source (NULL: Debian's musl-dev), UPX packs it. */
#define LLD "ld.lld", "lld"
#define LLD19 "ld.lld-19", "lld-19" /* lld 14 has no s390x; bookworm has 19 */
/* UPX 4.2.4 on mips64el, riscv64 and s390x ELF: UnknownExecutableFormatException */
#define UPX 1
#define NO_UPX 0
const struct platform bk_platforms[] = {
	{"linux/amd64", "x86_64", "x86_64-linux-musl", "", "amd64", "x86_64-linux-gnu",
	 "x86_64-linux-musl", "qemu-x86_64-static", EM_X86_64, ELFCLASS64, ELFDATA2LSB, LLD, NULL, UPX},
	{"linux/386", "i386", "i686-linux-musl", "-march=i686", "i386", "i686-linux-gnu",
	 "i386-linux-musl", "qemu-i386-static", EM_386, ELFCLASS32, ELFDATA2LSB, LLD, NULL, UPX},
	{"linux/arm64", "arm64", "aarch64-linux-musl", "", "arm64", "aarch64-linux-gnu",
	 "aarch64-linux-musl", "qemu-aarch64-static", EM_AARCH64, ELFCLASS64, ELFDATA2LSB, LLD, NULL, UPX},
	{"linux/arm/v7", "arm", "armv7a-linux-musleabihf",
	 "-march=armv7-a -mthumb -mfpu=vfpv3-d16 -mfloat-abi=hard", "armhf",
	 "arm-linux-gnueabihf", "arm-linux-musleabihf", "qemu-arm-static", EM_ARM, ELFCLASS32,
	 ELFDATA2LSB, LLD, NULL, UPX},
	{"linux/arm/v6", "arm", "armv6kz-linux-musleabi",
	 "-march=armv6kz -mfpu=vfp -mfloat-abi=softfp", "armel", "arm-linux-gnueabi",
	 "arm-linux-musleabi", "qemu-arm-static", EM_ARM, ELFCLASS32, ELFDATA2LSB, LLD, NULL, UPX},
	{"linux/arm/v5", "arm", "armv5te-linux-musleabi", "-march=armv5te -mfloat-abi=soft",
	 "armel", "arm-linux-gnueabi", "arm-linux-musleabi", "qemu-arm-static", EM_ARM,
	 ELFCLASS32, ELFDATA2LSB, LLD, NULL, UPX},
	{"linux/ppc64le", "powerpc", "powerpc64le-linux-musl", "", "ppc64el",
	 "powerpc64le-linux-gnu", "powerpc64le-linux-musl", "qemu-ppc64le-static", EM_PPC64,
	 ELFCLASS64, ELFDATA2LSB, LLD, NULL, UPX},
	{"linux/mips64le", "mips", "mips64el-linux-muslabi64", "", "mips64el",
	 "mips64el-linux-gnuabi64", "mips64el-linux-musl", "qemu-mips64el-static",
	 EM_MIPS, ELFCLASS64, ELFDATA2LSB, LLD, NULL, NO_UPX},
	{"linux/mipsle", "mips", "mipsel-linux-musl", "-march=mips32r2", "mipsel",
	 "mipsel-linux-gnu", "mipsel-linux-musl", "qemu-mipsel-static", EM_MIPS, ELFCLASS32,
	 ELFDATA2LSB, LLD, NULL, UPX},
	{"linux/riscv64", "riscv", "riscv64-linux-musl", "", "riscv64", "riscv64-linux-gnu",
	 "riscv64-linux-musl", "qemu-riscv64-static", EM_RISCV, ELFCLASS64, ELFDATA2LSB, LLD,
	 "1.2.3", NO_UPX},
	{"linux/mips", "mips", "mips-linux-musl", "-march=mips32r2", "mips", "mips-linux-gnu",
	 "mips-linux-musl", "qemu-mips-static", EM_MIPS, ELFCLASS32, ELFDATA2MSB, LLD, "1.2.3", UPX},
	{"linux/s390x", "s390", "s390x-linux-musl", "", "s390x", "s390x-linux-gnu",
	 "s390x-linux-musl", "qemu-s390x-static", EM_S390, ELFCLASS64, ELFDATA2MSB, LLD19,
	 NULL, NO_UPX},
};
const size_t bk_nplatforms = sizeof bk_platforms / sizeof bk_platforms[0];

const char *bk_pinned_names(void)
{
	static char buf[256];
	size_t n = 0;
	buf[0] = 0;
	for (const struct bk_version *v = bk_versions; v->version && n < sizeof buf; v++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "", v->version);
	return buf;
}

const struct platform *bk_platform_find(const char *name)
{
	for (size_t i = 0; i < bk_nplatforms; i++)
		if (!strcmp(bk_platforms[i].name, name))
			return &bk_platforms[i];
	return NULL;
}

char *bk_platform_slug(const char *name)
{
	char *s = bk_xstrdup(name);
	for (char *p = s; *p; p++)
		if (*p == '/')
			*p = '-';
	return s;
}

const char *bk_platform_names(void)
{
	static char buf[512];
	size_t n = 0;
	buf[0] = 0;
	for (size_t i = 0; i < bk_nplatforms && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "",
				      bk_platforms[i].name);
	return buf;
}

int bk_platform_get(const char *name, const struct platform **out, struct bkerr *e)
{
	*out = bk_platform_find(name);
	if (!*out)
		return bk_fail(e, BK_REQUEST, "%s: unknown platform; known platforms: %s", name,
			       bk_platform_names());
	return 0;
}

int bk_tree_version(const char *srctree, char *out, size_t outlen, struct bkerr *e)
{
	char *path = bk_xasprintf("%s/Makefile", srctree), *text, *line, *save = NULL;
	char v[3][16] = {"", "", ""};
	static const char *keys[3] = {"VERSION", "PATCHLEVEL", "SUBLEVEL"};
	int r = bk_read_file(path, &text, NULL, e);
	if (r) {
		free(path);
		return r;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		for (int k = 0; k < 3; k++) {
			size_t kl = strlen(keys[k]);
			if (!strncmp(line, keys[k], kl) && (line[kl] == ' ' || line[kl] == '=')) {
				char *val = strchr(line, '=');
				if (val && !v[k][0])
					sscanf(val + 1, " %15s", v[k]);
			}
		}
	free(text);
	if (!v[0][0] || !v[1][0] || !v[2][0]) {
		r = bk_fail(e, BK_ENV, "%s: no VERSION/PATCHLEVEL/SUBLEVEL: not a busybox tree?",
			    path);
		free(path);
		return r;
	}
	free(path);
	snprintf(out, outlen, "%s.%s.%s", v[0], v[1], v[2]);
	return 0;
}

/* Suites whose presence in a host apt source marks a Debian archive mirror. */
const char *const bk_mirror_suites[] = {"bookworm", "trixie", "sid",     "stable",
					"testing",  "unstable", NULL};

const char *const *bk_pinned_suites(void)
{
	static const char *v[8];
	size_t n = 0;
	for (const struct bk_version *p = bk_versions; p->version && n + 1 < 8; p++) {
		size_t i = 0;
		while (i < n && strcmp(v[i], p->suite))
			i++;
		if (i == n)
			v[n++] = p->suite;
	}
	v[n] = NULL;
	return v;
}

/* The host runs the platform's binaries without qemu. */
int bk_platform_native(const struct platform *p)
{
#if defined(__x86_64__)
	return !strcmp(p->name, "linux/amd64");
#elif defined(__aarch64__)
	return !strcmp(p->name, "linux/arm64");
#else
	(void)p;
	return 0;
#endif
}
