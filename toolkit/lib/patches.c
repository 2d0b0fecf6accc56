/* Patch sets: which patches, in which order, what each fixes and touches;
 * a patched copy of a pristine tree as its own cache entry.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "patches.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD ".bbkit-patches"

/* Every CVE-YYYY-NNNN in text[0..len) (any case), upper-cased, once each. */
static void find_cves(const char *text, size_t len, char ***v, size_t *n)
{
	for (size_t i = 0; i + 9 < len; i++) {
		char id[32];
		size_t k = 0, j;
		if (strncasecmp(text + i, "CVE-", 4) || (i && isalnum((unsigned char)text[i - 1])))
			continue;
		for (j = i + 4; j < len && j < i + 8 && isdigit((unsigned char)text[j]); j++)
			;
		if (j != i + 8 || j >= len || text[j] != '-')
			continue;
		for (k = j + 1; k < len && k < j + 12 && isdigit((unsigned char)text[k]); k++)
			;
		if (k - j - 1 < 4)
			continue;
		snprintf(id, sizeof id, "CVE-%.*s", (int)(k - i - 4), text + i + 4);
		bk_strv_add_unique(v, n, id);
	}
}

/* The DEP-3 header: the lines before the diff starts. */
static size_t header_len(const char *text)
{
	const char *p = text;
	while (*p) {
		if (!strncmp(p, "--- ", 4) || !strncmp(p, "diff ", 5) || !strncmp(p, "Index: ", 7) ||
		    !strncmp(p, "---\n", 4))
			break;
		p = strchr(p, '\n');
		if (!p)
			return strlen(text);
		p++;
	}
	return (size_t)(p - text);
}

/* "+++ b/editors/awk.c" lines: the files, without the first component. */
static void find_files(const char *text, char ***v, size_t *n)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *s, *end;
		char *f;
		if (strncmp(p, "+++ ", 4))
			continue;
		s = p + 4;
		end = s + strcspn(s, "\t\n");
		if (end - s >= 9 && !strncmp(s, "/dev/null", 9))
			continue;
		s = memchr(s, '/', (size_t)(end - s));
		if (!s)
			continue;
		f = strndup(s + 1, (size_t)(end - s - 1));
		if (!f)
			abort();
		bk_strv_add_unique(v, n, f);
		free(f);
	}
}

static int add_patch(struct bk_patchset *set, const char *dir, const char *name,
		     const char *origin, int need_cve, struct bkerr *e)
{
	struct bk_patch p = {0};
	char *text;
	size_t len;
	int r;
	p.path = bk_xasprintf("%s/%s", dir, name);
	if ((r = bk_read_file(p.path, &text, &len, e))) {
		free(p.path);
		return r;
	}
	find_cves(name, strlen(name), &p.cves, &p.ncves);
	find_cves(text, header_len(text), &p.cves, &p.ncves);
	if (need_cve && !p.ncves) {
		free(text);
		free(p.path);
		return 0;
	}
	find_files(text, &p.files, &p.nfiles);
	bk_sha256_buf(text, len, p.sha256, e);
	free(text);
	p.name = bk_xstrdup(name);
	p.origin = bk_xstrdup(origin);
	set->v = bk_xrealloc(set->v, (set->n + 1) * sizeof *set->v);
	set->v[set->n++] = p;
	return 0;
}

/* The names a series file lists, in order (options after a name ignored). */
static int series_names(const char *path, char ***v, size_t *n, struct bkerr *e)
{
	char *text, *line, *save = NULL;
	int r = bk_read_file(path, &text, NULL, e);
	if (r)
		return r;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name = line + strspn(line, " \t");
		name[strcspn(name, " \t#")] = 0;
		if (*name)
			bk_strv_add_unique(v, n, name);
	}
	free(text);
	return 0;
}

/* A local directory: its series file, else every *.patch and *.diff by name. */
static int local_names(const char *dir, char ***v, size_t *n, struct bkerr *e)
{
	char *series = bk_xasprintf("%s/series", dir);
	DIR *d;
	struct dirent *de;
	int r = 0;
	if (bk_exists(series)) {
		r = series_names(series, v, n, e);
		free(series);
		return r;
	}
	free(series);
	if (!(d = opendir(dir)))
		return bk_fail_errno(e, BK_ENV, "%s: PATCHES: cannot read the patch directory", dir);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if ((l > 6 && !strcmp(de->d_name + l - 6, ".patch")) ||
		    (l > 5 && !strcmp(de->d_name + l - 5, ".diff")))
			bk_strv_add_unique(v, n, de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*v, *n, sizeof **v, bk_cmp_str);
	else
		r = bk_fail(e, BK_REQUEST,
			    "%s: PATCHES: no series file and no *.patch or *.diff in it; put the "
			    "patches there, or use PATCHES=security or none",
			    dir);
	return r;
}

static void set_key(struct bk_patchset *set)
{
	struct sbuf b = {0};
	struct bkerr e = {0, "", NULL, 0};
	sb_add(&b, "");
	for (size_t i = 0; i < set->n; i++)
		sb_addf(&b, "%s %s %s\n", set->v[i].origin, set->v[i].name, set->v[i].sha256);
	bk_sha256_buf(b.s, b.len, set->key, &e);
	free(b.s);
	free(e.more);
}

int bk_patchset_load(const char *debian_tree, const char *local_dir, struct bk_patchset *set,
		     struct bkerr *e)
{
	char **names = NULL;
	size_t n = 0;
	int r = 0;
	memset(set, 0, sizeof *set);
	if (debian_tree) {
		char *pdir = bk_xasprintf("%s/patches", debian_tree);
		char *series = bk_xasprintf("%s/series", pdir);
		r = series_names(series, &names, &n, e);
		for (size_t i = 0; !r && i < n; i++)
			r = add_patch(set, pdir, names[i], "debian", 1, e);
		free(series);
		free(pdir);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	names = NULL;
	n = 0;
	if (!r && local_dir) {
		r = local_names(local_dir, &names, &n, e);
		for (size_t i = 0; !r && i < n; i++)
			r = add_patch(set, local_dir, names[i], "local", 0, e);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	if (r)
		bk_patchset_free(set);
	else
		set_key(set);
	return r;
}

void bk_patchset_free(struct bk_patchset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct bk_patch *p = &set->v[i];
		for (size_t k = 0; k < p->ncves; k++)
			free(p->cves[k]);
		for (size_t k = 0; k < p->nfiles; k++)
			free(p->files[k]);
		free(p->cves);
		free(p->files);
		free(p->name);
		free(p->path);
		free(p->origin);
	}
	free(set->v);
	memset(set, 0, sizeof *set);
}

static char *record_text(const struct bk_patchset *set)
{
	struct sbuf b = {0};
	sb_addf(&b, "# key %s\n", set->key);
	for (size_t i = 0; i < set->n; i++) {
		const struct bk_patch *p = &set->v[i];
		char *c = bk_strv_join(p->cves, p->ncves, ","), *f = bk_strv_join(p->files, p->nfiles, ",");
		sb_addf(&b, "%s\t%s\t%s\t%s\t%s\n", p->name, p->sha256, p->origin, c, f);
		free(c);
		free(f);
	}
	return b.s;
}

static void split_into(const char *s, char ***v, size_t *n)
{
	char *dup = bk_xstrdup(s), *save = NULL;
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
		bk_strv_add_unique(v, n, t);
	free(dup);
}

int bk_patchset_of_tree(const char *tree, struct bk_patchset *set, struct bkerr *e)
{
	char *path = bk_xasprintf("%s/" RECORD, tree), *text, *save = NULL;
	int r;
	memset(set, 0, sizeof *set);
	if (!bk_exists(path)) {
		free(path);
		return 0;
	}
	r = bk_read_file(path, &text, NULL, e);
	free(path);
	if (r)
		return r;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *f[5] = {0};
		struct bk_patch p = {0};
		int k = 0;
		if (!strncmp(l, "# key ", 6)) {
			snprintf(set->key, sizeof set->key, "%s", l + 6);
			continue;
		}
		for (char *t = l; k < 5 && t; k++) {
			f[k] = t;
			t = strchr(t, '\t');
			if (t)
				*t++ = 0;
		}
		if (k < 5)
			continue;
		p.name = bk_xstrdup(f[0]);
		snprintf(p.sha256, sizeof p.sha256, "%s", f[1]);
		p.origin = bk_xstrdup(f[2]);
		p.path = bk_xstrdup(f[0]);
		split_into(f[3], &p.cves, &p.ncves);
		split_into(f[4], &p.files, &p.nfiles);
		set->v = bk_xrealloc(set->v, (set->n + 1) * sizeof *set->v);
		set->v[set->n++] = p;
	}
	free(text);
	return 0;
}

/* The tree as made from this set: its record names the key, its files
 * are as recorded. */
static int current(const char *tree, const struct bk_patchset *set)
{
	struct bk_patchset have;
	struct bk_damage d = {0};
	struct bkerr e = {0, "", NULL, 0};
	int ok = bk_is_dir(tree) && !bk_patchset_of_tree(tree, &have, &e) &&
		 !strcmp(have.key, set->key);
	if (bk_is_dir(tree))
		bk_patchset_free(&have);
	ok = ok && !bk_tree_check(tree, 0, &d, &e);
	bk_damage_free(&d);
	free(e.more);
	return ok;
}

/* "Hunk #2 FAILED at 120." or patch's other complaint: its first line. */
static char *first_failure(const char *log)
{
	char *text = NULL, *hit = NULL;
	struct bkerr e = {0, "", NULL, 0};
	if (!bk_read_file(log, &text, NULL, &e)) {
		const char *keys[] = {"FAILED", "can't find file", "No file to patch", "malformed",
				      "Reversed", NULL};
		for (int k = 0; keys[k] && !hit; k++) {
			char *p = strstr(text, keys[k]);
			if (p) {
				char *s = p, *end = p + strcspn(p, "\n");
				while (s > text && s[-1] != '\n')
					s--;
				hit = strndup(s, (size_t)(end - s));
			}
		}
	}
	free(text);
	free(e.more);
	return hit ? hit : bk_xstrdup("see the log");
}

/* The files a patch set touched get the time now: a file that a dropped
 * patch no longer changes is back to its pristine content but not to a
 * time kbuild would see as new, so its object would stay. */
static void touch_files(const char *dir, const struct bk_patchset *set)
{
	for (size_t i = 0; i < set->n; i++)
		for (size_t k = 0; k < set->v[i].nfiles; k++) {
			char *f = bk_xasprintf("%s/%s", dir, set->v[i].files[k]);
			utimensat(AT_FDCWD, f, NULL, AT_SYMLINK_NOFOLLOW);
			free(f);
		}
}

static int apply_all(const struct bk_patchset *set, const char *dir, const char *log,
		     struct bkerr *e)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct bk_patch *p = &set->v[i];
		char *argv[] = {"patch",   "-p1", "-f", "--fuzz=0", "--no-backup-if-mismatch",
				"-r", "-", "-i", p->path, NULL};
		unlink(log);
		if (bk_run(argv, dir, log, NULL, e)) {
			char *why = first_failure(log);
			int r = bk_fail(e, BK_ENV,
					"%s: the %s patch does not apply cleanly: %s (log: %s); fix or "
					"drop it",
					p->path, p->origin, why, log);
			free(why);
			return r;
		}
	}
	return 0;
}

int bk_patched_tree(const struct bk_env *env, const char *pristine, const struct bk_patchset *set,
		    const char *label, char **tree, struct bkerr *e)
{
	char *dest = bk_xasprintf("%s+%s", pristine, label), *lock = NULL;
	char *parent = bk_xstrdup(dest), *slash = strrchr(parent, '/'), *tmp = NULL, *log = NULL;
	int r = 0, fd = -1;
	*tree = NULL;
	*slash = 0;
	/* the lock and the log beside the trees, hidden */
	lock = bk_xasprintf("%s/.lock-%s", parent, slash + 1);
	if (current(dest, set))
		goto done;
	if ((r = bk_lock(lock, &fd, e)) || current(dest, set))
		goto done;
	{
		char *prefix = bk_xasprintf("%s.tmp.", slash + 1);
		bk_remove_stale(parent, prefix); /* of a killed run; we hold the lock */
		bk_tmp_sweep(dest);		 /* and an old tree it had moved aside */
		tmp = bk_xasprintf("%s/%s%ld", parent, prefix, (long)getpid());
		free(prefix);
	}
	log = bk_xasprintf("%s/.%s.log", parent, slash + 1);
	bk_say(&env->say, BK_SAY_PROGRESS, "%s: applying %zu patch%s", dest, set->n,
	       set->n == 1 ? "" : "es");
	{
		char *from = bk_xasprintf("%s/.", pristine);
		char *cp[] = {"cp", "-a", from, tmp, NULL};
		r = bk_run(cp, NULL, NULL, NULL, e);
		free(from);
	}
	if (!r)
		r = apply_all(set, tmp, log, e);
	if (!r) {
		struct bk_patchset old;
		struct bkerr oe = {0, "", NULL, 0};
		touch_files(tmp, set);
		if (!bk_patchset_of_tree(dest, &old, &oe)) {
			touch_files(tmp, &old);
			bk_patchset_free(&old);
		}
		free(oe.more);
	}
	if (!r) {
		char *text = record_text(set), *rec = bk_xasprintf("%s/" RECORD, tmp);
		r = bk_write_atomic(rec, text, strlen(text), 0644, 0, NULL, e);
		free(text);
		free(rec);
	}
	if (!r)
		r = bk_tree_record(tmp, e);
	if (!r) /* a tree of another set, or a damaged one, is replaced */
		r = bk_replace_dir(tmp, dest, e);
	if (r)
		bk_rmtree(tmp);
done:
	if (!r)
		*tree = bk_xstrdup(dest);
	bk_unlock(fd);
	free(dest);
	free(lock);
	free(parent);
	free(tmp);
	free(log);
	return r;
}
