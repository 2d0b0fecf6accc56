/* Patch sets: which patches, in which order, what each fixes and touches;
 * a patched copy of a pristine tree as its own cache entry.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "patches.h"
#include "archive.h"
#include "builddir.h"
#include "cache.h"
#include "fs.h"
#include "linkmap.h"
#include "run.h"
#include "treerec.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD ".bbkit-patches"
/* the tree keeps a copy of every patch it was made with, by sha256: what
 * vex checks the compiled code against */
#define COPIES ".bbkit-patches.d"

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

/* CVE ids in the header's "CVE:" and "Bug-CVE:" fields (any case). */
static void header_cves(const char *text, size_t len, char ***v, size_t *n)
{
	static const char *const fields[] = {"CVE:", "Bug-CVE:"};
	for (const char *p = text; p && p < text + len; p = memchr(p, '\n', (size_t)(text + len - p)),
			p = p ? p + 1 : NULL)
		for (size_t f = 0; f < 2; f++) {
			size_t fl = strlen(fields[f]);
			if ((size_t)(text + len - p) > fl && !strncasecmp(p, fields[f], fl)) {
				const char *end = memchr(p, '\n', (size_t)(text + len - p));
				find_cves(p + fl, (size_t)((end ? end : text + len) - p - fl), v, n);
			}
		}
}

/* The file a "--- a/x" / "+++ b/x" line names, without its first component
 * (patch -p1), or NULL for /dev/null; *bad when it would leave the tree
 * (absolute after the strip, a ".." component, nothing left). */
static char *diff_name(const char *s, int *bad)
{
	const char *end = s + strcspn(s, "\t\n"), *slash;
	char *f;
	*bad = 0;
	if (end - s == 9 && !strncmp(s, "/dev/null", 9))
		return NULL;
	slash = memchr(s, '/', (size_t)(end - s));
	f = slash ? strndup(slash + 1, (size_t)(end - slash - 1)) : strndup(s, (size_t)(end - s));
	if (!f)
		abort();
	if (!*f || *f == '/' || !strcmp(f, "..") || !strncmp(f, "../", 3) || strstr(f, "/../") ||
	    (strlen(f) >= 3 && !strcmp(f + strlen(f) - 3, "/..")))
		*bad = 1;
	return f;
}

/* "+++ b/editors/awk.c" lines: the files, without the first component;
 * every "---"/"+++" name confined to the tree, else BK_REQUEST naming the
 * patch's line. */
static int find_files(const char *path, const char *text, char ***v, size_t *n, struct bkerr *e)
{
	int line = 1;
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL, line++) {
		char *f;
		int bad, plus = !strncmp(p, "+++ ", 4);
		if (!plus && strncmp(p, "--- ", 4))
			continue;
		f = diff_name(p + 4, &bad);
		if (bad) {
			int r = bk_fail(e, BK_REQUEST,
					"%s:%d: names the file '%.64s%s', outside the source tree (patch "
					"-p1 strips one component; no absolute names, no '..'); fix the "
					"patch's ---/+++ lines",
					path, line, f, strlen(f) > 64 ? "..." : "");
			free(f);
			return r;
		}
		if (f && plus)
			bk_strv_add_unique(v, n, f);
		free(f);
	}
	return 0;
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
	/* a claim is structured: the file name (Debian's convention) or a
	 * DEP-3 "CVE:" / "Bug-CVE:" field; prose ("not a fix for CVE-...")
	 * claims nothing */
	find_cves(name, strlen(name), &p.cves, &p.ncves);
	header_cves(text, header_len(text), &p.cves, &p.ncves);
	if (need_cve && !p.ncves) {
		free(text);
		free(p.path);
		return 0;
	}
	if ((r = find_files(p.path, text, &p.files, &p.nfiles, e))) {
		for (size_t k = 0; k < p.ncves; k++)
			free(p.cves[k]);
		for (size_t k = 0; k < p.nfiles; k++)
			free(p.files[k]);
		free(p.cves);
		free(p.files);
		free(text);
		free(p.path);
		return r;
	}
	bk_sha256_buf(text, len, p.sha256, e);
	free(text);
	p.name = bk_xstrdup(name);
	p.origin = bk_xstrdup(origin);
	set->v = bk_xrealloc(set->v, (set->n + 1) * sizeof *set->v);
	set->v[set->n++] = p;
	return 0;
}

/* The names a series file lists, in order (options after a name ignored).
 * A local directory's (flat): each a file in the directory itself, not
 * hidden, since its top-level files are what names its tree and build dirs
 * (bk_patchdir_key, make's PATCH_KEY): a patch in a subdirectory, outside
 * it or hidden would change the build without changing that name. */
static int series_names(const char *path, int flat, char ***v, size_t *n, struct bkerr *e)
{
	char *text, *line, *next;
	int r = bk_read_file(path, &text, NULL, e), lineno = 0;
	if (r)
		return r;
	for (line = text; !r && line && *line; line = next) {
		char *name = line + strspn(line, " \t");
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		name[strcspn(name, " \t\r#")] = 0;
		if (!*name)
			continue;
		if (flat && (strchr(name, '/') || *name == '.'))
			r = bk_fail(e, BK_REQUEST,
				    "%s:%d: '%.64s%s': not a file of this directory itself (%s); "
				    "PATCHES=DIR takes the patches in DIR, whose content names its "
				    "tree and build dirs: move the patch into DIR and name it there",
				    path, lineno, name, strlen(name) > 64 ? "..." : "",
				    *name == '.' && !strchr(name, '/') ? "a hidden file"
								       : "in another directory");
		else
			bk_strv_add_unique(v, n, name);
	}
	free(text);
	return r;
}

/* A local directory: its series file, else every *.patch and *.diff by name. */
static int local_names(const char *dir, char ***v, size_t *n, struct bkerr *e)
{
	char *series = bk_xasprintf("%s/series", dir);
	DIR *d;
	struct dirent *de;
	int r = 0;
	if (bk_exists(series)) {
		r = series_names(series, 1, v, n, e);
		free(series);
		return r;
	}
	free(series);
	if (!(d = opendir(dir)))
		return bk_fail_errno(e, BK_ENV, "%s: PATCHES: cannot read the patch directory", dir);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.') /* hidden: not in the key (an editor's lock, .#x.patch) */
			continue;
		if ((l > 6 && !strcmp(de->d_name + l - 6, ".patch")) ||
		    (l > 5 && !strcmp(de->d_name + l - 5, ".diff")))
			bk_strv_add_unique(v, n, de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*v, *n, sizeof **v, bk_cmp_str);
	else
		r = bk_fail(e, BK_REQUEST,
			    "%s: PATCHES: no series file and no *.patch or *.diff in it (hidden files "
			    "are not taken); put the "
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
		r = series_names(series, 0, &names, &n, e);
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
		p.path = bk_xasprintf("%s/" COPIES "/%s", tree, p.sha256);
		split_into(f[3], &p.cves, &p.ncves);
		split_into(f[4], &p.files, &p.nfiles);
		set->v = bk_xrealloc(set->v, (set->n + 1) * sizeof *set->v);
		set->v[set->n++] = p;
	}
	free(text);
	return 0;
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
		/* patch runs in the tree: a relative PATCHES=DIR is the caller's */
		char *cwd = p->path[0] == '/' ? NULL : getcwd(NULL, 0);
		char *abs = cwd ? bk_xasprintf("%s/%s", cwd, p->path) : bk_xstrdup(p->path);
		char *argv[] = {"patch",   "-p1", "-f", "--fuzz=0", "--no-backup-if-mismatch",
				"-r", "-", "-i", abs, NULL};
		int failed;
		unlink(log);
		failed = bk_run(argv, dir, log, NULL, e);
		free(cwd);
		free(abs);
		if (failed) {
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

static int keep_copies(const struct bk_patchset *set, const char *tree, struct bkerr *e)
{
	char *dir = bk_xasprintf("%s/" COPIES, tree);
	int r = 0;
	if (mkdir(dir, 0755) && errno != EEXIST)
		r = bk_fail_errno(e, BK_ENV, "%s", dir);
	for (size_t i = 0; !r && i < set->n; i++) {
		char *text, *to;
		size_t len;
		if ((r = bk_read_file(set->v[i].path, &text, &len, e)))
			break;
		to = bk_xasprintf("%s/%s", dir, set->v[i].sha256);
		r = bk_write_atomic(to, text, len, 0644, 0, NULL, e);
		free(text);
		free(to);
	}
	free(dir);
	return r;
}

struct patching {
	const struct bk_env *env;
	const char *pristine;
	const struct bk_patchset *set;
};

/* The tree (intact by its record) as made from this set: its record of
 * patches names the key, and it keeps a copy of each. */
static int current(const char *tree, void *arg)
{
	const struct bk_patchset *set = ((const struct patching *)arg)->set;
	struct bk_patchset have;
	struct bkerr e = {0, "", NULL, 0};
	int ok = !bk_patchset_of_tree(tree, &have, &e) && !strcmp(have.key, set->key);
	for (size_t i = 0; ok && i < have.n; i++)
		ok = bk_exists(have.v[i].path); /* a tree of an older bbkit has no copies */
	bk_patchset_free(&have);
	free(e.more);
	return ok;
}

/* The cache's make step: a copy of the pristine tree in tmp, patched,
 * with the set's record and a copy of each patch. */
static int make_tree(const char *tmp, const char *dest, const struct bk_damage *damage, void *arg,
		     struct bkerr *e)
{
	const struct patching *pt = arg;
	char *log = bk_cache_log_hidden(dest), *from = bk_xasprintf("%s/.", pt->pristine);
	char *cp[] = {"cp", "-a", from, (char *)tmp, NULL};
	int r;
	(void)damage;
	bk_say(&pt->env->say, BK_SAY_PROGRESS, "%s: applying %zu patch%s", dest, pt->set->n,
	       pt->set->n == 1 ? "" : "es");
	if (!(r = bk_run(cp, NULL, NULL, NULL, e)))
		r = apply_all(pt->set, tmp, log, e);
	if (!r) {
		struct bk_patchset old;
		struct bkerr oe = {0, "", NULL, 0};
		touch_files(tmp, pt->set);
		if (!bk_patchset_of_tree(dest, &old, &oe)) {
			touch_files(tmp, &old);
			bk_patchset_free(&old);
		}
		free(oe.more);
	}
	if (!r)
		r = keep_copies(pt->set, tmp, e);
	if (!r) {
		char *text = record_text(pt->set), *rec = bk_xasprintf("%s/" RECORD, tmp);
		r = bk_write_atomic(rec, text, strlen(text), 0644, 0, NULL, e);
		free(text);
		free(rec);
	}
	free(from);
	free(log);
	return r;
}

int bk_patched_tree(const struct bk_env *env, const char *pristine, const struct bk_patchset *set,
		    const char *label, char **tree, struct bkerr *e)
{
	struct patching pt = {env, pristine, set};
	char *dest = bk_cache_patched(pristine, label);
	/* a tree of another set, or a damaged one, is replaced */
	int r = bk_cache_make(dest, 0, current, make_tree, &pt, NULL, e);
	*tree = r ? NULL : dest;
	if (r)
		free(dest);
	return r;
}

/* --- is a patch's change in a tree? -------------------------------------- */

struct lines {
	const char **p;
	size_t *len, n, cap;
};

/* grown by doubling: a source file of 15,000 lines took 15,000 reallocs,
 * each a copy under ASan (2 s of bbkit vex) */
static void push_line(struct lines *l, const char *p, size_t len)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->p = bk_xrealloc(l->p, l->cap * sizeof *l->p);
		l->len = bk_xrealloc(l->len, l->cap * sizeof *l->len);
	}
	l->p[l->n] = p;
	l->len[l->n++] = len;
}

static void split_lines(const char *text, size_t size, struct lines *l)
{
	memset(l, 0, sizeof *l);
	for (const char *p = text; p < text + size;) {
		const char *nl = memchr(p, '\n', (size_t)(text + size - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(text + size - p);
		push_line(l, p, len);
		p += len + 1;
	}
}

static void lines_free(struct lines *l)
{
	free(l->p);
	free(l->len);
	memset(l, 0, sizeof *l);
}

/* needle's lines as a contiguous run of whole lines of hay */
static int block_in(const struct lines *hay, const struct lines *needle)
{
	if (!needle->n)
		return 1;
	for (size_t i = 0; i + needle->n <= hay->n; i++) {
		size_t k = 0;
		while (k < needle->n && hay->len[i + k] == needle->len[k] &&
		       !memcmp(hay->p[i + k], needle->p[k], needle->len[k]))
			k++;
		if (k == needle->n)
			return 1;
	}
	return 0;
}

/* how many runs of whole lines of hay are needle (overlapping ones too) */
static size_t block_count(const struct lines *hay, const struct lines *needle)
{
	size_t c = 0;
	for (size_t i = 0; needle->n && i + needle->n <= hay->n; i++) {
		size_t k = 0;
		while (k < needle->n && hay->len[i + k] == needle->len[k] &&
		       !memcmp(hay->p[i + k], needle->p[k], needle->len[k]))
			k++;
		c += k == needle->n;
	}
	return c;
}

/* a block as one string, to compare hunks */
static char *block_text(const struct lines *b)
{
	struct sbuf s = {0};
	sb_add(&s, "");
	for (size_t i = 0; i < b->n; i++)
		sb_addf(&s, "%.*s\n", (int)b->len[i], b->p[i]);
	return s.s;
}

/* "@@ -a[,b] +c[,d] @@": the old and new line counts */
static int hunk_counts(const char *s, size_t len, long *b, long *d)
{
	char *buf = strndup(s, len), *q;
	int ok = 0;
	if (!buf)
		abort();
	*b = *d = 1;
	if ((q = strchr(buf, '-'))) {
		strtol(q + 1, &q, 10);
		if (*q == ',')
			*b = strtol(q + 1, &q, 10);
		if ((q = strchr(q, '+'))) {
			strtol(q + 1, &q, 10);
			if (*q == ',')
				*d = strtol(q + 1, &q, 10);
			ok = *b >= 0 && *d >= 0;
		}
	}
	free(buf);
	return ok;
}

/* The file a patch's hunks are checked in: the tree's copy, the pristine
 * one, and the hunks seen so far (identical hunks count up). */
struct in_file {
	char *name, *text, *ptext, **seen;
	size_t nseen;
	struct lines fl, prl;
	int exists, gone, nth;
};

static void in_file_free(struct in_file *f)
{
	free(f->name);
	free(f->text);
	free(f->ptext);
	lines_free(&f->fl);
	lines_free(&f->prl);
	for (size_t k = 0; k < f->nseen; k++)
		free(f->seen[k]);
	free(f->seen);
	memset(f, 0, sizeof *f);
}

/* Read dir/name into *text and its lines (absent: 0). */
static int read_lines(const char *dir, const char *name, char **text, struct lines *l)
{
	char *path = bk_xasprintf("%s/%s", dir, name);
	struct bkerr fe = {0, "", NULL, 0};
	size_t size = 0;
	int ok = !bk_read_file(path, text, &size, &fe);
	if (ok)
		split_lines(*text, size, l);
	free(fe.more);
	free(path);
	return ok;
}

/* "--- old" + "+++ new" at line i: the next file's hunks follow. */
static int in_file_open(struct in_file *f, const char *patch, const struct lines *pl, size_t i,
			const char *tree, const char *pristine, struct bkerr *e)
{
	int bad_old, bad_new;
	char *old = diff_name(pl->p[i - 1] + 4, &bad_old), *nw = diff_name(pl->p[i] + 4, &bad_new);
	in_file_free(f);
	f->gone = !nw; /* "+++ /dev/null": the patch deletes the file */
	f->name = nw ? nw : old;
	if (nw)
		free(old);
	if (!f->name || bad_old || bad_new)
		return bk_fail(e, BK_REQUEST, "%s:%zu: names a file outside the source tree", patch, i + 1);
	f->exists = read_lines(tree, f->name, &f->text, &f->fl);
	if (pristine) /* the file before any patch (none: a new file) */
		read_lines(pristine, f->name, &f->ptext, &f->prl);
	return 0;
}

/* The hunk after the @@ line at *i: its old and new sides; *i ends on its
 * last line. */
static void read_hunk(const struct lines *pl, size_t *i, long b, long d, struct lines *oldb,
		      struct lines *newb, int *removes, int *adds)
{
	*removes = *adds = 0;
	while ((b > 0 || d > 0) && *i + 1 < pl->n) {
		const char *l = pl->p[++*i];
		size_t ll = pl->len[*i];
		char c = ll ? l[0] : ' ';
		if (c == '\\')
			continue;
		if (c != ' ' && c != '-' && c != '+') {
			--*i; /* a truncated hunk: the line is the next header's */
			break;
		}
		if (c == ' ' || c == '-')
			push_line(oldb, ll ? l + 1 : l, ll ? ll - 1 : 0), b--;
		if (c == ' ' || c == '+')
			push_line(newb, ll ? l + 1 : l, ll ? ll - 1 : 0), d--;
		*removes |= c == '-';
		*adds |= c == '+';
	}
}

/* Whether a hunk's change is in the tree's file. */
static int hunk_found(struct in_file *f, const char *pristine, const struct lines *oldb,
		      const struct lines *newb, int removes)
{
	if (f->gone)
		return !f->exists;
	if (!pristine)
		return f->exists && block_in(&f->fl, newb) && (!removes || !block_in(&f->fl, oldb));
	/* applied on the pristine file, each hunk put one more run of its new
	 * side there: the tree must have more than the pristine file (one
	 * more for each identical hunk of this file so far), else a later
	 * change took it out and the lines found are other ones */
	int del = !newb->n; /* diff -U0 of removed lines only */
	char *btext = block_text(del ? oldb : newb);
	char *bt = bk_xasprintf("%c%s", del ? '-' : '+', btext);
	size_t want = 1, before = block_count(&f->prl, del ? oldb : newb);
	free(btext);
	for (size_t k = 0; k < f->nseen; k++)
		want += !strcmp(f->seen[k], bt);
	f->seen = bk_xrealloc(f->seen, (f->nseen + 1) * sizeof *f->seen);
	f->seen[f->nseen++] = bt;
	if (del) /* that many fewer runs of the removed lines */
		return f->exists && before >= want && block_count(&f->fl, oldb) <= before - want;
	return f->exists && block_count(&f->fl, newb) >= before + want &&
	       (!removes || !block_in(&f->fl, oldb));
}

int bk_patch_in_tree(const char *patch, const char *tree, const char *pristine,
		     struct bk_hunks *h, struct bkerr *e)
{
	char *text;
	size_t size;
	struct lines pl;
	struct in_file f = {0};
	int r;
	memset(h, 0, sizeof *h);
	if ((r = bk_read_file(patch, &text, &size, e)))
		return r;
	split_lines(text, size, &pl);
	for (size_t i = 0; !r && i < pl.n; i++) {
		const char *s = pl.p[i];
		size_t len = pl.len[i], at = i;
		long b, d;
		struct lines oldb = {0}, newb = {0};
		int removes, adds, found;
		if (len > 4 && !strncmp(s, "+++ ", 4) && i && !strncmp(pl.p[i - 1], "--- ", 4)) {
			r = in_file_open(&f, patch, &pl, i, tree, pristine, e);
			continue;
		}
		if (!f.name || len < 3 || strncmp(s, "@@ ", 3))
			continue;
		if (!hunk_counts(s, len, &b, &d)) {
			r = bk_fail(e, BK_REQUEST, "%s:%zu: a malformed @@ line", patch, i + 1);
			break;
		}
		read_hunk(&pl, &i, b, d, &oldb, &newb, &removes, &adds);
		f.nth++;
		if (removes || adds) { /* context only: changes nothing, shows nothing */
			found = hunk_found(&f, pristine, &oldb, &newb, removes);
			h->total++;
			h->found += found;
			if (!found && !h->missing_file) {
				h->missing_file = bk_xstrdup(f.name);
				h->missing_hunk = f.nth;
				h->missing_line = (int)at + 1;
			}
		}
		lines_free(&oldb);
		lines_free(&newb);
	}
	lines_free(&pl);
	in_file_free(&f);
	free(text);
	if (r)
		bk_hunks_free(h);
	return r;
}

void bk_hunks_free(struct bk_hunks *h)
{
	free(h->missing_file);
	memset(h, 0, sizeof *h);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int bk_patchdir_key(const char *dir, char key[17], struct bkerr *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct bk_vec lines = {0};
	struct sbuf all;
	char hex[65];
	int r = 0;
	if (!d)
		return bk_fail_errno(e, BK_ENV, "%s: PATCHES: cannot read the patch directory", dir);
	while (!r && (de = readdir(d))) {
		char *path, sum[65];
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		path = bk_xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (strpbrk(de->d_name, "\\\n"))
			r = bk_fail(e, BK_REQUEST,
				    "%s: PATCHES: a file name with a backslash or a newline; rename it",
				    path);
		else if (!(r = bk_sha256_file(path, sum, e)))
			bk_vec_push(&lines, bk_xasprintf("%s  %s\n", sum, de->d_name));
		free(path);
	}
	closedir(d);
	if (!r) {
		sb_init(&all);
		sb_add(&all, "");
		if (lines.n)
			qsort(lines.v, lines.n, sizeof *lines.v, cmp_line);
		for (size_t i = 0; i < lines.n; i++)
			sb_add(&all, lines.v[i]);
		r = bk_sha256_buf(all.s, all.len, hex, e);
		sb_free(&all);
		snprintf(key, 17, "%.16s", hex);
	}
	bk_vec_free(&lines);
	return r;
}

#define BUILT_FROM ".bbkit-built-from"

static char *set_label(const struct bk_patchset *set)
{
	return bk_xasprintf("key %s\n", set->n ? set->key : "none");
}

int bk_built_from_write(const char *bdir, const char *tree, struct bkerr *e)
{
	struct bk_patchset set;
	char *text, *path;
	int r;
	if ((r = bk_patchset_of_tree(tree, &set, e)))
		return r;
	text = set_label(&set);
	path = bk_xasprintf("%s/" BUILT_FROM, bdir);
	r = bk_write_atomic(path, text, strlen(text), 0644, 0, NULL, e);
	free(text);
	free(path);
	bk_patchset_free(&set);
	return r;
}

int bk_patchset_of_build(const struct bk_builddir *bd, struct bk_patchset *set, struct bkerr *e)
{
	const char *bdir = bd->dir, *src = bd->srctree;
	char *path = bk_xasprintf("%s/" BUILT_FROM, bdir);
	char *rec = NULL, *now = NULL;
	int r = 0;
	memset(set, 0, sizeof *set);
	if (!bk_exists(path))
		r = bk_fail(e, BK_REQUEST,
			    "%s: missing: bbkit build did not build this build dir, so which patches "
			    "its binary has is unknown; build first (make)",
			    path);
	else if (!(r = bk_read_file(path, &rec, NULL, e)) && !(r = bk_patchset_of_tree(src, set, e))) {
		now = set_label(set);
		if (strcmp(now, rec)) {
			rec[strcspn(rec, "\n")] = 0;
			r = bk_fail(e, BK_REQUEST,
				    "%s: its binary was built from patch set %s, but %s now holds "
				    "patch set %s; build again (make) before stating what it holds",
				    bdir, rec + 4, src, set->n ? set->key : "none");
			bk_patchset_free(set);
		}
	}
	free(path);
	free(rec);
	free(now);
	return r;
}
