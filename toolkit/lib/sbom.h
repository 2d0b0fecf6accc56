/* A CycloneDX 1.5 SBOM of one built busybox (sbom.c): busybox (its source
 * tarball's sha256, the config's, the applets, the patches applied and what
 * they resolve), what the sysroot gave it (musl, libgcc, the Linux UAPI
 * headers, from .bbkit-sources), and the tools that built it.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_SBOM_H
#define BBKIT_SBOM_H

#include "patches.h"

struct bk_sbom_in {
	const char *version, *platform;
	const char *source_file, *source_sha256; /* the tarball as fetched */
	const char *config_sha256;               /* of the resolved .config */
	const char *binary_sha256;               /* of the busybox shipped (the
						  * component's own hash), or NULL */
	const char *unpacked_sha256;             /* of the binary UPX packed into
						  * it (COMPRESS), or NULL */
	const char *setuid_applets;              /* those "require"/"maybe" setuid, or "" */
	char **applets;                          /* enabled applet names */
	size_t napplets;
	const struct bk_patchset *patches;       /* applied (may be empty) */
	const char *sysroot_sources;             /* its .bbkit-sources text */
	const char *tools[4][2];                 /* name, version line; NULL ends */
	long long created;                       /* SOURCE_DATE_EPOCH */
};

/* The document (JSON, keys sorted, reproducible); the caller frees. */
char *bk_sbom_json(const struct bk_sbom_in *in);

/* What 'bbkit sbom' asks of a build (sbomof.c). */
struct bk_builddir;
struct platform;
struct bk_sbom_req {
	const struct platform *p;  /* the build's */
	struct bk_builddir *bd;    /* opened for p */
	const char *cache;         /* the sysroot's record, UPX */
	const char *source_sha256; /* NULL: the pin of the build's version */
	const char *binary;        /* the busybox shipped (checked, hashed), or NULL */
	const char *unpacked;      /* the binary UPX packed (checked, hashed), or NULL */
	const char *compress;      /* the UPX method, or NULL: UPX is a tool then */
	long long created;         /* SOURCE_DATE_EPOCH */
};
/* The SBOM of bd's busybox (*json, the caller frees): the binaries checked
 * to be p's ELF and hashed, the config's hash, the patches applied, the
 * sysroot's record, the tools' versions, the applets and those that need
 * setuid (only when busybox drops privileges, FEATURE_SUID). A version
 * without a pin and no source_sha256 is BK_USAGE. */
int bk_sbom_of_build(const struct bk_sbom_req *q, char **json, struct bkerr *e);

#endif
