/* A deterministic rootfs: /bin/busybox, one relative symlink per applet of
 * the manifest and /etc/busybox-paths.d/busybox, as a tarball or a
 * directory (the engine of bbkit rootfs).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "rootfs.h"
#include "fs.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fs_node {
	char *path; /* without leading '/' */
	int type;   /* 'd', 'f' (the binary), 'l', 'c' (a 0644 file holding target) */
	char *target;
};

/* Where Alpine (>= 1.36.0-r8), Wolfi and apko keep busybox's link list. */
#define PATHS_FILE "etc/busybox-paths.d/busybox"

static int node_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fs_node *)a)->path, ((const struct fs_node *)b)->path);
}

static void add_node(struct fs_node **v, size_t *n, const char *path, int type, const char *target)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].path, path))
			return;
	*v = bk_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n].path = bk_xstrdup(path);
	(*v)[*n].type = type;
	(*v)[*n].target = target ? bk_xstrdup(target) : NULL;
	(*n)++;
}

static void add_dirs(struct fs_node **v, size_t *n, const char *path)
{
	char *p = bk_xstrdup(path);
	for (char *s = p; (s = strchr(s, '/')); s++) {
		*s = 0;
		if (*p)
			add_node(v, n, p, 'd', NULL);
		*s = '/';
	}
	free(p);
}

static int write_tar(struct fs_node *v, size_t n, const char *bin, mode_t binmode, long long t,
		     const char *out, struct bkerr *e)
{
	char *tmp = bk_tmp_name(out), *data = NULL;
	size_t len = 0;
	struct archive *a = archive_write_new();
	struct archive_entry *ent = archive_entry_new();
	int r = bk_read_file(bin, &data, &len, e);
	if (r)
		goto out;
	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open_filename(a, tmp) != ARCHIVE_OK) {
		r = bk_fail(e, BK_ENV, "%s: cannot write: %s", out, archive_error_string(a));
		goto out;
	}
	for (size_t i = 0; i < n && !r; i++) {
		archive_entry_clear(ent);
		archive_entry_set_pathname(ent, v[i].path);
		archive_entry_set_uid(ent, 0);
		archive_entry_set_gid(ent, 0);
		archive_entry_set_uname(ent, "root");
		archive_entry_set_gname(ent, "root");
		archive_entry_set_mtime(ent, t, 0);
		if (v[i].type == 'd') {
			archive_entry_set_filetype(ent, AE_IFDIR);
			archive_entry_set_perm(ent, 0755);
		} else if (v[i].type == 'l') {
			archive_entry_set_filetype(ent, AE_IFLNK);
			archive_entry_set_perm(ent, 0777);
			archive_entry_set_symlink(ent, v[i].target);
		} else if (v[i].type == 'c') {
			archive_entry_set_filetype(ent, AE_IFREG);
			archive_entry_set_perm(ent, 0644);
			archive_entry_set_size(ent, (la_int64_t)strlen(v[i].target));
		} else {
			archive_entry_set_filetype(ent, AE_IFREG);
			archive_entry_set_perm(ent, binmode);
			archive_entry_set_size(ent, (la_int64_t)len);
		}
		if (archive_write_header(a, ent) != ARCHIVE_OK ||
		    (v[i].type == 'f' && archive_write_data(a, data, len) != (la_ssize_t)len) ||
		    (v[i].type == 'c' && archive_write_data(a, v[i].target, strlen(v[i].target)) !=
						 (la_ssize_t)strlen(v[i].target)))
			r = bk_fail(e, BK_ENV, "%s: cannot write: %s", out, archive_error_string(a));
	}
	if (archive_write_close(a) != ARCHIVE_OK && !r)
		r = bk_fail(e, BK_ENV, "%s: cannot write: %s", out, archive_error_string(a));
	/* 0644 whatever the umask: outputs have fixed modes */
	if (!r && chmod(tmp, 0644))
		r = bk_fail_errno(e, BK_ENV, "%s: chmod", tmp);
	if (!r) {
		/* durable before it replaces the previous tarball */
		FILE *f = fopen(tmp, "r+");
		if (!f || fsync(fileno(f)))
			r = bk_fail_errno(e, BK_ENV, "%s: cannot sync", tmp);
		if (f)
			fclose(f);
	}
	if (!r && rename(tmp, out))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot write", out);
out:
	if (r)
		unlink(tmp);
	archive_entry_free(ent);
	archive_write_free(a);
	free(data);
	bk_tmp_untrack(tmp);
	free(tmp);
	return r;
}

static int write_dir(struct fs_node *v, size_t n, const char *bin, mode_t binmode, const char *dest,
		     struct bkerr *e)
{
	char *tmp;
	int r;
	if ((r = bk_replaceable_dir(dest, "bin/busybox", "a rootfs bbkit wrote", e)))
		return r;
	tmp = bk_xasprintf("%s.tmp.%ld", dest, (long)getpid());
	bk_tmp_sweep(dest);
	bk_rmtree(tmp);
	r = bk_mkdirs(tmp, 0755, e);
	for (size_t i = 0; i < n && !r; i++) {
		char *p = bk_xasprintf("%s/%s", tmp, v[i].path);
		if (v[i].type == 'd')
			r = bk_mkdirs(p, 0755, e);
		else if (v[i].type == 'l') {
			if (symlink(v[i].target, p))
				r = bk_fail_errno(e, BK_ENV, "%s: cannot create symlink", p);
		} else if (v[i].type == 'c') {
			r = bk_write_atomic(p, v[i].target, strlen(v[i].target), 0644, 0, NULL, e);
		} else {
			r = bk_copy_atomic(bin, p, binmode, 0, NULL, e);
			if (!r && chmod(p, binmode))
				r = bk_fail_errno(e, BK_ENV, "%s: chmod", p);
		}
		free(p);
	}
	if (!r)
		r = bk_replace_dir(tmp, dest, e);
	if (r)
		bk_rmtree(tmp);
	free(tmp);
	return r;
}

/* Every node of the rootfs, sorted: the binary, the links and their
 * directories, the paths file. */
static void plan_nodes(const struct manifest *m, struct fs_node **v, size_t *n)
{
	struct sbuf links = {0};
	add_node(v, n, "bin", 'd', NULL);
	add_node(v, n, "bin/busybox", 'f', NULL);
	for (size_t i = 0; i < m->n; i++) {
		const char *p = m->v[i].path + 1;
		add_dirs(v, n, p);
		add_node(v, n, p, 'l', m->v[i].target);
		sb_addf(&links, "%s\n", m->v[i].path);
	}
	/* the links as busybox.links lists them (LAYOUT decides the paths;
	 * SUID only the binary's mode) */
	add_dirs(v, n, PATHS_FILE);
	add_node(v, n, PATHS_FILE, 'c', links.s ? links.s : "");
	free(links.s);
	qsort(*v, *n, sizeof **v, node_cmp);
}

int bk_rootfs_write(const struct manifest *m, const char *bin, mode_t binmode, long long epoch,
		    const char *tar, const char *dir, struct bkerr *e)
{
	struct fs_node *v = NULL;
	size_t n = 0;
	int r;
	plan_nodes(m, &v, &n);
	r = tar ? write_tar(v, n, bin, binmode, epoch, tar, e) : write_dir(v, n, bin, binmode, dir, e);
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].target);
	}
	free(v);
	return r;
}
