/* Putting a staged set of outputs in place, whole.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "publish.h"
#include "fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The regular files of dir, sorted (hidden ones too). */
static int files_of(const char *dir, struct bk_vec *v, struct bkerr *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return bk_fail_errno(e, BK_ENV, "%s", dir);
	while ((de = readdir(d))) {
		char *p = bk_xasprintf("%s/%s", dir, de->d_name);
		struct stat st;
		if (!lstat(p, &st) && S_ISREG(st.st_mode))
			bk_vec_push(v, bk_xstrdup(de->d_name));
		free(p);
	}
	closedir(d);
	if (v->n)
		qsort(v->v, v->n, sizeof *v->v, bk_cmp_str);
	return 0;
}

static int same_file(const char *a, const char *b)
{
	char *x = NULL, *y = NULL;
	size_t lx = 0, ly = 0;
	struct stat sa, sb;
	struct bkerr e = {0, "", NULL, 0};
	int same = !stat(a, &sa) && !stat(b, &sb) && sa.st_size == sb.st_size &&
		   (sa.st_mode & 07777) == (sb.st_mode & 07777);
	if (same && !(sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino))
		same = !bk_read_file(a, &x, &lx, &e) && !bk_read_file(b, &y, &ly, &e) && lx == ly &&
		       !memcmp(x, y, lx);
	free(x);
	free(y);
	free(e.more);
	return same;
}

/* dest holds exactly the files of stage, byte for byte */
static int up_to_date(const char *stage, const struct bk_vec *files, const char *dest)
{
	struct bk_vec have = {0};
	struct bkerr e = {0, "", NULL, 0};
	int ok = bk_is_dir(dest) && !files_of(dest, &have, &e) && have.n == files->n;
	for (size_t i = 0; ok && i < files->n; i++) {
		char *a = bk_xasprintf("%s/%s", stage, files->v[i]);
		char *b = bk_xasprintf("%s/%s", dest, files->v[i]);
		ok = !strcmp(have.v[i], files->v[i]) && same_file(a, b);
		free(a);
		free(b);
	}
	bk_vec_free(&have);
	free(e.more);
	return ok;
}

/* Whether dest holds only what bbkit puts there (one of names, or a report
 * bbkit writes beside them): anything else is the user's, and the
 * whole-directory swap would delete it. */
int bk_publish_check(const char *dest, const char *const *names, size_t n, struct bkerr *e)
{
	/* reports bbkit writes beside the outputs (make archive's image.tar: a
	 * plain make publishes without it), and the stamp an older bbkit
	 * kept there (.source): replaced with the rest */
	static const char *const reports[] = {"busybox.unpacked", "upstream-tests.txt", "image.tar",
						 ".source"};
	DIR *d = opendir(dest);
	struct dirent *de;
	int r = 0;
	if (!d)
		return 0; /* absent: nothing to lose */
	while (!r && (de = readdir(d))) {
		int ours = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
		for (size_t i = 0; !ours && i < n; i++)
			ours = !strcmp(names[i], de->d_name);
		for (size_t i = 0; !ours && i < sizeof reports / sizeof *reports; i++)
			ours = !strcmp(reports[i], de->d_name);
		if (!ours)
			r = bk_fail(e, BK_REQUEST,
				    "%s/%s: not an output of bbkit, and this directory is replaced "
				    "whole when the run's outputs are published; move it elsewhere, or "
				    "use another OUT",
				    dest, de->d_name);
	}
	closedir(d);
	return r;
}

int bk_publish_prepare(const char *stage, const char *dest, const char *const *names, size_t n,
		       char **tmpdir, struct bkerr *e)
{
	struct bk_vec files = {0};
	char *parent = bk_xstrdup(dest), *slash = strrchr(parent, '/'), *tmp = NULL;
	int r = 0;
	*tmpdir = NULL;
	if (slash)
		*slash = 0;
	/* the named files only: a stage also holds what a killed recipe left
	 * (x.tmp.PID) or an earlier bbkit made, which is no output of this run */
	for (size_t i = 0; i < n; i++)
		bk_vec_push(&files, bk_xstrdup(names[i]));
	if (files.n)
		qsort(files.v, files.n, sizeof *files.v, bk_cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *p = bk_xasprintf("%s/%s", stage, names[i]);
		int there = bk_exists(p);
		free(p);
		if (!there) {
			r = bk_fail(e, BK_REQUEST, "%s/%s: not made, so nothing of this run is "
						   "published; see the errors above",
				    stage, names[i]);
			goto out;
		}
	}
	if (up_to_date(stage, &files, dest))
		goto out;
	if (slash && *parent && (r = bk_mkdirs(parent, 0755, e)))
		goto out;
	bk_tmp_sweep(dest); /* what a killed run left beside it */
	tmp = bk_xasprintf("%s.tmp.%ld", dest, (long)getpid());
	bk_rmtree(tmp);
	if (mkdir(tmp, 0755)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot make the new output directory", tmp);
		goto out;
	}
	for (size_t i = 0; !r && i < files.n; i++) {
		char *from = bk_xasprintf("%s/%s", stage, files.v[i]);
		char *to = bk_xasprintf("%s/%s", tmp, files.v[i]);
		struct stat st;
		if (stat(from, &st))
			r = bk_fail_errno(e, BK_ENV, "%s", from);
		else if (!(r = bk_copy_atomic(from, to, st.st_mode & 07777, 0, NULL, e))) {
			/* a copy, not a link (a user's chmod in OUT never reaches the
			 * stage), with the stage's time: an output not made again
			 * keeps its time through a publish */
			struct timespec t[2] = {st.st_atim, st.st_mtim};
			if (utimensat(AT_FDCWD, to, t, 0))
				r = bk_fail_errno(e, BK_ENV, "%s: cannot set its time", to);
		}
		free(from);
		free(to);
	}
	if (r)
		bk_rmtree(tmp);
	else {
		*tmpdir = tmp;
		tmp = NULL;
	}
out:
	bk_vec_free(&files);
	free(parent);
	free(tmp);
	return r;
}

int bk_publish_commit(char *const *tmps, const char *const *dests, size_t n, struct bkerr *e)
{
	sigset_t set, old;
	int r = 0;
	/* one step for the whole run: a signal waits until every directory
	 * is swapped (each swap is atomic; between two, none is taken) */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (size_t i = 0; !r && i < n; i++)
		if (tmps[i])
			r = bk_replace_dir(tmps[i], dests[i], e);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}
