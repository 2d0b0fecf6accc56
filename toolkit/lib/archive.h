/* sha256 (OpenSSL libcrypto) and tar extraction (libarchive) (archive.c).
 * Not libarchive's <archive.h>: included as "archive.h" beside it.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_ARCHIVE_H
#define BBKIT_ARCHIVE_H

#include "bk.h"

/* sha256 of a file, or of data in memory, as lowercase hex. */
int bk_sha256_file(const char *path, char hex[65], struct bkerr *e);
int bk_sha256_buf(const void *data, size_t len, char hex[65], struct bkerr *e);

/* Extract a tar archive (any compression libarchive knows) into dest, which
 * must exist, dropping `strip` leading path components. Refuses absolute
 * paths and "..". With top, every entry must be under that one top
 * directory (checked when strip is 1). */
int bk_tar_extract(const char *tarball, const char *dest, int strip, const char *top,
		   struct bkerr *e);

#endif
