/* bbkit scan --rootfs DIR|TAR: an index of the rootfs's entries (lstat,
 * never following a link; a tarball's entries read as data through
 * libarchive), and path resolution inside it the way a chroot sees it: an
 * absolute link target starts at the rootfs's top, ".." stops there, more
 * than 40 links is a loop. Nothing is ever followed out of the rootfs and
 * nothing in it is executed. Returns data, never prints.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan.h"
#include "fs.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_ENTRIES 2000000
#define MAX_KEEP (1u << 20)     /* a tarball's text file kept for sourcing */
#define MAX_KEEP_ALL (64u << 20)

struct rent {
	char *path;   /* "usr/bin/tailscale": relative, normalised */
	int type;     /* 'f' regular, 'l' symlink, 'd' dir, 'o' other */
	char *target; /* symlink's target */
	int elf;
	char *data;   /* tarball: the text, for . FILE */
	size_t len;
};

struct scan_rootfs {
	char *name; /* as given */
	int dirfd;  /* DIR, or -1 for a tarball */
	struct rent *v;
	size_t n, cap, kept;
};

static int rent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rent *)a)->path, ((const struct rent *)b)->path);
}

/* "./a//b/" -> "a/b"; NULL when a ".." component would climb (a tar entry
 * that does is ignored: it cannot be inside the rootfs). */
static char *norm(const char *p)
{
	char *out = bk_xmalloc(strlen(p) + 1), *o = out;
	while (*p) {
		size_t n;
		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (!n)
			break;
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			free(out);
			return NULL;
		}
		if (o > out)
			*o++ = '/';
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	*o = 0;
	return out;
}

static struct rent *push(struct scan_rootfs *r, char *path, int type)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->v = bk_xrealloc(r->v, r->cap * sizeof *r->v);
	}
	r->v[r->n] = (struct rent){path, type, NULL, 0, NULL, 0};
	return &r->v[r->n++];
}

static int is_elf(const unsigned char *b, size_t n)
{
	return n >= 4 && !memcmp(b, "\177ELF", 4);
}

static int dir_visit(const char *path, const char *rel, const struct stat *st, const char *name, void *arg,
		     struct bkerr *e)
{
	struct scan_rootfs *r = arg;
	struct rent *x;
	(void)name;
	if (r->n >= MAX_ENTRIES)
		return bk_fail(e, BK_REQUEST, "%s: more than %d entries: not a rootfs scan reads", r->name,
			       MAX_ENTRIES);
	x = push(r, bk_xstrdup(rel),
		 S_ISREG(st->st_mode) ? 'f' : S_ISLNK(st->st_mode) ? 'l' : S_ISDIR(st->st_mode) ? 'd' : 'o');
	if (x->type == 'l') {
		char buf[4096];
		ssize_t n = readlink(path, buf, sizeof buf - 1);
		x->target = bk_xstrdup(n > 0 ? (buf[n] = 0, buf) : "");
	} else if (x->type == 'f') {
		unsigned char b[4];
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			x->elf = is_elf(b, (size_t)(read(fd, b, 4) == 4 ? 4 : 0));
			close(fd);
		}
	}
	return 0;
}

static int tar_load(struct scan_rootfs *r, struct bkerr *e)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	int rc = 0, ar;
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	if (archive_read_open_filename(a, r->name, 65536) != ARCHIVE_OK) {
		rc = bk_fail(e, BK_REQUEST, "%s: not a directory or a tarball libarchive reads (%s); give "
					    "--rootfs a rootfs directory or its tar",
			     r->name, archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	while (!rc && (ar = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *pn = archive_entry_pathname(ent), *hl = archive_entry_hardlink(ent);
		char *path = pn ? norm(pn) : NULL;
		mode_t t = archive_entry_filetype(ent);
		struct rent *x;
		if (!path || !*path) { /* "..": outside the rootfs; "./": its top */
			free(path);
			continue;
		}
		if (r->n >= MAX_ENTRIES) {
			free(path);
			rc = bk_fail(e, BK_REQUEST, "%s: more than %d entries: not a rootfs scan reads", r->name,
				     MAX_ENTRIES);
			break;
		}
		if (hl) {
			/* a hard link: the same file, named from the archive's top */
			x = push(r, path, 'l');
			x->target = bk_xasprintf("/%s", hl);
			continue;
		}
		x = push(r, path, t == AE_IFREG ? 'f' : t == AE_IFLNK ? 'l' : t == AE_IFDIR ? 'd' : 'o');
		if (x->type == 'l')
			x->target = bk_xstrdup(archive_entry_symlink(ent) ? archive_entry_symlink(ent) : "");
		else if (x->type == 'f') {
			la_int64_t size = archive_entry_size(ent);
			unsigned char head[4];
			ssize_t n = archive_read_data(a, head, 4);
			x->elf = n == 4 && is_elf(head, 4);
			if (!x->elf && n > 0 && size <= (la_int64_t)MAX_KEEP && r->kept + (size_t)size <= MAX_KEEP_ALL) {
				x->data = bk_xmalloc((size_t)size + 1);
				memcpy(x->data, head, (size_t)n);
				x->len = (size_t)n;
				while (x->len < (size_t)size &&
				       (n = archive_read_data(a, x->data + x->len, (size_t)size - x->len)) > 0)
					x->len += (size_t)n;
				x->data[x->len] = 0;
				r->kept += x->len;
			}
		}
	}
	if (!rc && ar != ARCHIVE_EOF)
		rc = bk_fail(e, BK_REQUEST, "%s: unreadable tarball (%s)", r->name, archive_error_string(a));
	archive_read_free(a);
	return rc;
}

int bk_scan_rootfs_open(const char *name, struct scan_rootfs **out, struct bkerr *e)
{
	struct scan_rootfs *r = bk_xmalloc(sizeof *r);
	struct stat st;
	int rc;
	*out = NULL;
	memset(r, 0, sizeof *r);
	r->name = bk_xstrdup(name);
	r->dirfd = -1;
	if (stat(name, &st)) {
		rc = bk_fail_errno(e, BK_REQUEST, "--rootfs %s: cannot read; give a rootfs directory or its tar",
				   name);
	} else if (S_ISDIR(st.st_mode)) {
		if ((r->dirfd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			rc = bk_fail_errno(e, BK_REQUEST, "--rootfs %s: cannot open", name);
		else
			rc = bk_walk(name, dir_visit, r, e);
	} else
		rc = tar_load(r, e);
	if (rc) {
		bk_scan_rootfs_free(r);
		return rc == BK_ENV ? BK_REQUEST : rc;
	}
	qsort(r->v, r->n, sizeof *r->v, rent_cmp);
	*out = r;
	return 0;
}

void bk_scan_rootfs_free(struct scan_rootfs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].path), free(r->v[i].target), free(r->v[i].data);
	free(r->v);
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r->name);
	free(r);
}

static struct rent *lookup(const struct scan_rootfs *r, const char *path)
{
	struct rent key = {(char *)path, 0, NULL, 0, NULL, 0};
	return bsearch(&key, r->v, r->n, sizeof *r->v, rent_cmp);
}

/* Resolve an absolute path inside the rootfs as a chroot would: 0 and the
 * entry, ENOENT, or ELOOP (more than 40 links). */
static int resolve(const struct scan_rootfs *r, const char *path, struct rent **out)
{
	struct sbuf cur, rest;
	int hops = 0, rc = 0;
	struct rent *x = NULL;
	*out = NULL;
	sb_init(&cur);
	sb_addn(&cur, "", 0);
	sb_init(&rest);
	sb_addn(&rest, "", 0);
	sb_add(&rest, path);
	for (;;) {
		char *p = rest.s + strspn(rest.s, "/"), *comp;
		size_t n = strcspn(p, "/");
		if (!n)
			break;
		comp = strndup(p, n);
		memmove(rest.s, p + n, strlen(p + n) + 1);
		rest.len = strlen(rest.s);
		if (!strcmp(comp, ".")) {
			free(comp);
			continue;
		}
		if (!strcmp(comp, "..")) { /* stops at the rootfs's top */
			char *sl = strrchr(cur.s, '/');
			cur.len = sl ? (size_t)(sl - cur.s) : 0;
			cur.s[cur.len] = 0;
			free(comp);
			x = NULL;
			continue;
		}
		if (cur.len)
			sb_add(&cur, "/");
		sb_add(&cur, comp);
		free(comp);
		if (!(x = lookup(r, cur.s))) {
			rc = ENOENT;
			break;
		}
		if (x->type == 'l') {
			struct sbuf nr;
			char *sl;
			if (++hops > 40) {
				rc = ELOOP;
				break;
			}
			sb_init(&nr);
			sb_add(&nr, x->target);
			sb_add(&nr, "/");
			sb_add(&nr, rest.s);
			sb_free(&rest);
			rest = nr;
			/* the link's directory, or the top for an absolute target */
			sl = strrchr(cur.s, '/');
			cur.len = x->target[0] == '/' || !sl ? 0 : (size_t)(sl - cur.s);
			cur.s[cur.len] = 0;
			x = NULL;
			continue;
		}
		if (x->type != 'd' && strspn(rest.s, "/") != rest.len) {
			rc = ENOENT; /* a file used as a directory */
			break;
		}
	}
	if (!rc && !x)
		rc = ENOENT; /* the top itself, or ".." to it */
	*out = rc ? NULL : x;
	sb_free(&cur);
	sb_free(&rest);
	return rc;
}

char *bk_scan_rootfs_program(const struct scan_rootfs *r, const char *name)
{
	static const char *const dirs[] = {"bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin"};
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return NULL;
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char *p = bk_xasprintf("/%s/%s", dirs[i], name);
		struct rent *x;
		if (!resolve(r, p, &x) && x->type == 'f' && x->elf)
			return p;
		free(p);
	}
	return NULL;
}

int bk_scan_rootfs_read(const struct scan_rootfs *r, const char *path, char **text, size_t *len)
{
	struct rent *x;
	int rc = resolve(r, path, &x), fd;
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW,
			       .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	struct stat st;
	if (rc)
		return rc;
	if (x->type != 'f' || x->elf)
		return EINVAL;
	if (r->dirfd < 0) {
		if (!x->data)
			return EFBIG;
		*text = bk_xmalloc(x->len + 1);
		memcpy(*text, x->data, x->len + 1);
		*len = x->len;
		return 0;
	}
	/* the resolved path holds no link: open it so that none is followed */
	if ((fd = (int)syscall(SYS_openat2, r->dirfd, x->path, &how, sizeof how)) < 0)
		return errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_KEEP) {
		close(fd);
		return EFBIG;
	}
	*text = bk_xmalloc((size_t)st.st_size + 1);
	*len = 0;
	for (ssize_t n; *len < (size_t)st.st_size && (n = read(fd, *text + *len, (size_t)st.st_size - *len)) > 0;)
		*len += (size_t)n;
	(*text)[*len] = 0;
	close(fd);
	return 0;
}
