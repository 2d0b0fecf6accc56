/* sha256 (OpenSSL libcrypto) and tar extraction (libarchive).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void to_hex(const unsigned char *d, unsigned n, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n && i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = 0;
}

int bk_sha256_buf(const void *data, size_t len, char hex[65], struct bkerr *e)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
		return bk_fail(e, BK_ENV, "sha256: libcrypto failed");
	to_hex(md, n, hex);
	return 0;
}

int bk_sha256_file(const char *path, char hex[65], struct bkerr *e)
{
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok;
	EVP_MD_CTX *ctx;
	if (fd < 0)
		return bk_fail_errno(e, BK_ENV, "%s: cannot open", path);
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while (ok && (r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			EVP_MD_CTX_free(ctx);
			close(fd);
			return bk_fail_errno(e, BK_ENV, "%s: cannot read", path);
		}
		ok = EVP_DigestUpdate(ctx, buf, (size_t)r);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	close(fd);
	if (!ok)
		return bk_fail(e, BK_ENV, "%s: sha256 failed in libcrypto", path);
	to_hex(md, n, hex);
	return 0;
}

static const char *strip_path(const char *p, int strip)
{
	while (strip-- > 0) {
		const char *s = strchr(p, '/');
		if (!s)
			return NULL;
		p = s + 1;
	}
	return *p ? p : NULL;
}

/* A name that stays inside the tree: relative, no ".." component. */
static int inside(const char *p)
{
	if (p[0] == '/')
		return 0;
	for (const char *c = p; c; c = strchr(c, '/')) {
		if (*c == '/')
			c++;
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2]))
			return 0;
	}
	return 1;
}

int bk_tar_extract(const char *tarball, const char *dest, int strip, const char *top,
		   struct bkerr *e)
{
	struct archive *a = archive_read_new(), *w = archive_write_disk_new();
	struct archive_entry *ent;
	int r, rc = 0;
	const int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
			  ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS;
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	archive_write_disk_set_options(w, flags);
	archive_write_disk_set_standard_lookup(w);
	if (archive_read_open_filename(a, tarball, 65536) != ARCHIVE_OK) {
		rc = bk_fail(e, BK_ENV, "%s: cannot read archive: %s", tarball,
			     archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *stripped = strip_path(archive_entry_pathname(ent), strip);
		const char *hl = archive_entry_hardlink(ent);
		char *full, *hfull = NULL, *name;
		if (top && strip == 1) { /* the one top directory the archive must have */
			const char *p = archive_entry_pathname(ent);
			size_t n = strcspn(p, "/");
			if (n != strlen(top) || strncmp(p, top, n)) {
				rc = bk_fail(e, BK_REQUEST,
					     "%s: its top directory is %.*s, not %s: the tarball is of "
					     "another version or package",
					     tarball, (int)n, p, top);
				goto out;
			}
		}
		if (!stripped)
			continue;
		/* our copy: setting the pathname below frees the entry's string */
		name = bk_xstrdup(stripped);
		if (!inside(archive_entry_pathname(ent))) {
			rc = bk_fail(e, BK_ENV, "%s: refusing %s: a path outside the tree", tarball,
				     archive_entry_pathname(ent));
			free(name);
			goto out;
		}
		/* a hardlink's target is a name in the same tree, or nothing
		 * (left as it is, it would be taken relative to our cwd) */
		if (hl && (!inside(hl) || !strip_path(hl, strip))) {
			rc = bk_fail(e, BK_ENV, "%s: refusing %s: a hard link to %s, outside the tree",
				     tarball, archive_entry_pathname(ent), hl);
			free(name);
			goto out;
		}
		full = bk_xasprintf("%s/%s", dest, name);
		archive_entry_set_pathname(ent, full);
		if (hl) {
			hfull = bk_xasprintf("%s/%s", dest, strip_path(hl, strip));
			archive_entry_set_hardlink(ent, hfull);
		}
		r = archive_write_header(w, ent);
		if (r == ARCHIVE_OK && archive_entry_size(ent) > 0) {
			const void *buf;
			size_t size;
			la_int64_t off;
			while ((r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK)
				if (archive_write_data_block(w, buf, size, off) != ARCHIVE_OK) {
					r = ARCHIVE_FATAL;
					break;
				}
			if (r == ARCHIVE_EOF)
				r = ARCHIVE_OK;
		}
		if (r == ARCHIVE_OK)
			r = archive_write_finish_entry(w);
		free(full);
		free(hfull);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			const char *msg = archive_error_string(a);
			if (!msg)
				msg = archive_error_string(w);
			rc = bk_fail(e, BK_ENV, "%s: archive is damaged or truncated (at %s): %s",
				     tarball, name, msg ? msg : "unknown error");
			free(name);
			goto out;
		}
		free(name);
	}
	if (r != ARCHIVE_EOF)
		rc = bk_fail(e, BK_ENV, "%s: archive is damaged or truncated: %s", tarball,
			     archive_error_string(a));
out:
	archive_read_free(a);
	archive_write_free(w);
	return rc;
}
