/* bbkit rootfs: a deterministic rootfs tarball (or directory) holding
 * /bin/busybox and one relative symlink per applet.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/manifest.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static const char rootfs_usage[] =
	"usage: bbkit rootfs --builddir DIR --binary FILE (--out TAR | --dir DEST)\n"
	"                    [--config FILE] [--layout canonical|flat] [--suid] [-q]\n\n"
	"Write /bin/busybox and one relative symlink per applet (the manifest of\n"
	"the resolved config) as a tarball or into a directory, and\n"
	"/etc/busybox-paths.d/busybox (mode 0644): the links' absolute paths, one a\n"
	"line, exactly as busybox.links (/bin/busybox itself not listed), as Alpine's\n"
	"busybox package writes it and apko, Wolfi and scanners read it.\n"
	"The tarball is reproducible: sorted entries, uid/gid 0 (root), mode 0755\n"
	"directories, mtime SOURCE_DATE_EPOCH (default 946684800 = 2000-01-01),\n"
	"ustar format (a pax header only for a time ustar cannot hold, after\n"
	"2242), no other host metadata.\n\n"
	"  --binary FILE   the stripped busybox\n"
	"  --out TAR       write the tarball atomically\n"
	"  --dir DEST      lay out a directory instead (replaced atomically; DEST\n"
	"                  must be absent, empty or an earlier rootfs with\n"
	"                  bin/busybox: a directory of yours is never deleted)\n"
	"  --suid          /bin/busybox 4755 when some applet needs setuid; refused\n"
	"                  (exit 1) without FEATURE_SUID or with FEATURE_INSTALLER\n"
	"                  (otherwise always 0755)\n" BBKIT_EXIT_CODES;

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

int cmd_rootfs(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *bdir = NULL, *config = NULL, *bin = NULL, *out = NULL, *dir = NULL;
	const char *layout = "canonical";
	int suid = 0, r;
	struct manifest m;
	struct fs_node *v = NULL;
	size_t n = 0;
	mode_t binmode = 0755;
	struct sbuf links = {0};
	const struct opt opts[] = {OPT_F("--suid", &suid),
				   OPT_REQ("--builddir", &bdir),
				   OPT_V("--config", &config),
				   OPT_REQ("--binary", &bin),
				   {"--out", OPT_VALUE, &out, NULL, 0, "--dir", 1},
				   {"--dir", OPT_VALUE, &dir, NULL, 0, "--out", 1},
				   OPT_V("--layout", &layout),
				   OPT_END};
	if ((r = parse_args(c, argc, argv, opts, rootfs_usage, NULL)))
		return r < 0 ? 0 : r;
	if ((r = bk_manifest_of_builddir(bdir, config, layout, &m, e)))
		return r;
	if (access(bin, R_OK)) {
		bk_manifest_free(&m);
		return bk_fail_errno(e, BK_ENV, "%s: busybox binary", bin);
	}
	if (suid && (r = bk_manifest_suid_check(&m, config, bdir, e))) {
		bk_manifest_free(&m);
		return r;
	}
	binmode = bk_manifest_binmode(&m, suid);
	add_node(&v, &n, "bin", 'd', NULL);
	add_node(&v, &n, "bin/busybox", 'f', NULL);
	for (size_t i = 0; i < m.n; i++) {
		const char *p = m.v[i].path + 1;
		add_dirs(&v, &n, p);
		add_node(&v, &n, p, 'l', m.v[i].target);
		sb_addf(&links, "%s\n", m.v[i].path);
	}
	/* the links as busybox.links lists them (LAYOUT decides the paths;
	 * SUID only the binary's mode) */
	add_dirs(&v, &n, PATHS_FILE);
	add_node(&v, &n, PATHS_FILE, 'c', links.s ? links.s : "");
	qsort(v, n, sizeof *v, node_cmp);
	r = out ? write_tar(v, n, bin, binmode, c->epoch, out, e) : write_dir(v, n, bin, binmode, dir, e);
	if (!r)
		progress(c, "%s: /bin/busybox (%04o) and %zu links", out ? out : dir,
			 (unsigned)binmode, m.n);
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].target);
	}
	free(v);
	free(links.s);
	bk_manifest_free(&m);
	return r;
}
