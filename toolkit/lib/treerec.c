/* A record of an extracted tree (a busybox source tree, a sysroot), kept in
 * the tree as .bbkit-files, so that a damaged cache is found rather than
 * built from: one line per entry, sorted,
 *   f SIZE MTIME.NSEC SHA256 PATH     regular file
 *   l - - - PATH -> TARGET            symbolic link
 *   d - - - PATH                      directory
 * The cheap check compares what lstat says (a few ms for busybox's 3,000
 * files); the full check also hashes every file.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "treerec.h"
#include "archive.h"
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RECORD ".bbkit-files"


/* One entry's line; with hash, a regular file's sha256 too ("-" without). */
static int entry_line(const char *path, const char *rel, const struct stat *st, int hash,
		      char **line, struct bkerr *e)
{
	char hex[65] = "-";
	if (S_ISDIR(st->st_mode)) {
		*line = bk_xasprintf("d - - - %s", rel);
		return 0;
	}
	if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n < 0)
			return bk_fail_errno(e, BK_ENV, "%s: cannot read link", path);
		target[n] = 0;
		*line = bk_xasprintf("l - - - %s -> %s", rel, target);
		return 0;
	}
	if (!S_ISREG(st->st_mode)) {
		*line = bk_xasprintf("? - - - %s", rel);
		return 0;
	}
	if (hash) {
		int r = bk_sha256_file(path, hex, e);
		if (r)
			return r;
	}
	*line = bk_xasprintf("f %lld %lld.%09ld %s %s", (long long)st->st_size,
			     (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, hex, rel);
	return 0;
}

struct rec_walk {
	int hash;
	struct bk_vec *l;
};

static int rec_visit(const char *path, const char *rel, const struct stat *st, const char *name,
		     void *arg, struct bkerr *e)
{
	struct rec_walk *w = arg;
	char *line = NULL;
	int r;
	if (!strcmp(rel, RECORD)) /* the record itself, at the top */
		return 0;
	(void)name;
	if (!(r = entry_line(path, rel, st, w->hash, &line, e)))
		bk_vec_push(w->l, line);
	return r;
}

static char *join(struct bk_vec *l)
{
	struct sbuf b;
	sb_init(&b);
	sb_add(&b, "");
	for (size_t i = 0; i < l->n; i++) {
		sb_add(&b, l->v[i]);
		sb_add(&b, "\n");
	}
	return b.s;
}

/* The path of a line (after the fourth field). */
static const char *line_path(const char *line)
{
	const char *p = line;
	for (int i = 0; i < 4 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? p : "";
}

static int by_path(const void *a, const void *b)
{
	return strcmp(line_path(*(char *const *)a), line_path(*(char *const *)b));
}

static int scan(const char *dir, int hash, struct bk_vec *l, struct bkerr *e)
{
	struct rec_walk w = {hash, l};
	int r = bk_walk(dir, rec_visit, &w, e);
	if (!r)
		qsort(l->v, l->n, sizeof *l->v, by_path);
	return r;
}

int bk_tree_record(const char *dir, struct bkerr *e)
{
	struct bk_vec l = {0};
	char *path = bk_xasprintf("%s/%s", dir, RECORD), *text;
	int r = scan(dir, 1, &l, e);
	if (!r) {
		text = join(&l);
		r = bk_write_atomic(path, text, strlen(text), 0644, 0, NULL, e);
		free(text);
	}
	bk_vec_free(&l);
	free(path);
	return r;
}

/* The record's lines, sorted by path as scan sorts them. */
static int read_record(const char *dir, struct bk_vec *l, struct bkerr *e)
{
	char *path = bk_xasprintf("%s/%s", dir, RECORD), *text, *save = NULL;
	size_t len;
	int r = bk_read_file(path, &text, &len, e);
	free(path);
	if (r)
		return r;
	for (char *s = strtok_r(text, "\n", &save); s; s = strtok_r(NULL, "\n", &save))
		bk_vec_push(l, bk_xstrdup(s));
	free(text);
	qsort(l->v, l->n, sizeof *l->v, by_path);
	return 0;
}

/* Compares a line of now (hash "-" unless full) with the record's. */
static int same(const char *now, const char *rec, int full)
{
	const char *pn = line_path(now), *pr = line_path(rec);
	char tn, tr;
	long long sn, sr;
	char mn[40], mr[40], hn[70], hr[70];
	if (strcmp(pn, pr))
		return 0;
	if (sscanf(now, "%c %lld %39s %69s", &tn, &sn, mn, hn) != 4 ||
	    sscanf(rec, "%c %lld %39s %69s", &tr, &sr, mr, hr) != 4)
		return !strcmp(now, rec); /* d, l and ? lines: all of it */
	return tn == tr && sn == sr && !strcmp(mn, mr) && (!full || !strcmp(hn, hr));
}

/* What differs, for a person: "size 0, extracted as 4512 bytes". */
static char *difference(const char *now, const char *rec)
{
	char tn = 0, tr = 0;
	long long sn = 0, sr = 0;
	if (!now)
		return bk_xstrdup("missing");
	if (!rec)
		return bk_xstrdup("not in the extracted tarball");
	sscanf(now, "%c %lld", &tn, &sn);
	sscanf(rec, "%c %lld", &tr, &sr);
	if (tn != tr)
		return bk_xstrdup("another kind of file than extracted");
	if (tn == 'f' && sn != sr)
		return bk_xasprintf("%lld bytes, extracted as %lld", sn, sr);
	if (tn == 'f')
		return bk_xstrdup("changed since it was extracted (time or contents)");
	return bk_xstrdup("changed since it was extracted");
}

void bk_damage_free(struct bk_damage *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->path[i]);
		free(d->why[i]);
	}
	free(d->path);
	free(d->why);
	memset(d, 0, sizeof *d);
}

static void damage_add(struct bk_damage *d, const char *path, char *why)
{
	d->path = bk_xrealloc(d->path, (d->n + 1) * sizeof *d->path);
	d->why = bk_xrealloc(d->why, (d->n + 1) * sizeof *d->why);
	d->path[d->n] = bk_xstrdup(path);
	d->why[d->n++] = why;
}

int bk_tree_check(const char *dir, int full, struct bk_damage *d, struct bkerr *e)
{
	struct bk_vec now = {0}, rec = {0};
	size_t i = 0, k = 0;
	int r;
	memset(d, 0, sizeof *d);
	if (read_record(dir, &rec, NULL)) {
		damage_add(d, RECORD, bk_xstrdup("no record of what was extracted"));
		return bk_fail(e, BK_ENV, "%s/%s: no record of what was extracted", dir, RECORD);
	}
	if ((r = scan(dir, full, &now, e))) {
		bk_vec_free(&rec);
		return r;
	}
	while (i < now.n || k < rec.n) {
		int c = i == now.n   ? 1
			: k == rec.n ? -1
				     : strcmp(line_path(now.v[i]), line_path(rec.v[k]));
		const char *a = c <= 0 ? now.v[i] : NULL, *b = c >= 0 ? rec.v[k] : NULL;
		if (!a || !b || !same(a, b, full))
			damage_add(d, line_path(a ? a : b), difference(a, b));
		i += c <= 0;
		k += c >= 0;
	}
	bk_vec_free(&now);
	bk_vec_free(&rec);
	if (d->n) {
		char more[48] = "";
		if (d->n > 1)
			snprintf(more, sizeof more, " (and %zu more)", d->n - 1);
		return bk_fail(e, BK_ENV, "%s/%s: %s%s", dir, d->path[0], d->why[0], more);
	}
	return 0;
}

int bk_tree_touch(const char *dir, const struct bk_damage *d, struct bkerr *e)
{
	int r = 0;
	for (size_t i = 0; i < d->n && !r; i++) {
		char *p = bk_xasprintf("%s/%s", dir, d->path[i]);
		if (utimensat(AT_FDCWD, p, NULL, AT_SYMLINK_NOFOLLOW) && errno != ENOENT)
			r = bk_fail_errno(e, BK_ENV, "%s: cannot touch", p);
		free(p);
	}
	return r ? r : bk_tree_record(dir, e);
}
