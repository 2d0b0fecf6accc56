/* Files: atomic writes, directories, locks.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int bk_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int bk_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int bk_mkdirs(const char *path, mode_t mode, struct bkerr *e)
{
	char *p = bk_xstrdup(path), *s;
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, mode) && errno != EEXIST) {
			int r = bk_fail_errno(e, BK_ENV, "%s: cannot create directory", p);
			free(p);
			return r;
		}
		*s = '/';
	}
	if (mkdir(p, mode) && errno != EEXIST) {
		int r = bk_fail_errno(e, BK_ENV, "%s: cannot create directory", p);
		free(p);
		return r;
	}
	free(p);
	if (!bk_is_dir(path))
		return bk_fail(e, BK_ENV, "%s: exists and is not a directory", path);
	return 0;
}

int bk_read_file(const char *path, char **data, size_t *len, struct bkerr *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct sbuf b;
	char buf[65536];
	ssize_t n;
	if (fd < 0)
		return bk_fail_errno(e, BK_ENV, "%s: cannot open", path);
	sb_init(&b);
	sb_addn(&b, "", 0);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			sb_free(&b);
			return bk_fail_errno(e, BK_ENV, "%s: cannot read", path);
		}
		sb_addn(&b, buf, (size_t)n);
	}
	close(fd);
	*data = b.s;
	if (len)
		*len = b.len;
	return 0;
}

static int same_content(const char *path, const void *data, size_t len)
{
	char *old;
	size_t olen;
	int same;
	if (bk_read_file(path, &old, &olen, NULL))
		return 0;
	same = olen == len && memcmp(old, data, len) == 0;
	free(old);
	return same;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A few at a time is all any command writes at once. */
#define TMP_SLOTS 8
static char *volatile tmp_slots[TMP_SLOTS];

void bk_tmp_track(const char *path)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (!tmp_slots[i]) {
			tmp_slots[i] = bk_xstrdup(path);
			return;
		}
}

void bk_tmp_untrack(const char *path)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (tmp_slots[i] && !strcmp(tmp_slots[i], path)) {
			char *p = tmp_slots[i];
			tmp_slots[i] = NULL;
			free(p);
			return;
		}
}

void bk_tmp_remove_all(void)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (tmp_slots[i])
			unlink(tmp_slots[i]);
}

/* "<name>.tmp.<pid>" and "<name>.old.<pid>" beside path whose process is
 * gone: what a SIGKILLed run left. A live process's temp file is its own. */
void bk_tmp_sweep(const char *path)
{
	char *dir = bk_xstrdup(path), *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : path;
	size_t bl = strlen(base);
	DIR *d;
	struct dirent *de;
	if (slash)
		*slash = 0;
	d = opendir(slash ? (*dir ? dir : "/") : ".");
	while (d && (de = readdir(d))) {
		const char *n = de->d_name, *t;
		char *end;
		long pid;
		if (strncmp(n, base, bl) || (strncmp(n + bl, ".tmp.", 5) && strncmp(n + bl, ".old.", 5)))
			continue;
		t = n + bl + 5;
		errno = 0;
		pid = strtol(t, &end, 10);
		if (!*t || *end || errno || pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		{
			char *p = slash ? bk_xasprintf("%s/%s", *dir ? dir : "", n) : bk_xstrdup(n);
			/* the previous output of a run that died inside
			 * bk_replace_dir's two renames: it goes back */
			if (!strncmp(n + bl, ".old.", 5) && !bk_exists(path) && !rename(p, path)) {
				free(p);
				continue;
			}
			bk_rmtree(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	free(dir);
}

char *bk_tmp_name(const char *path)
{
	char *tmp = bk_xasprintf("%s.tmp.%ld", path, (long)getpid());
	bk_tmp_sweep(path);
	bk_tmp_track(tmp);
	return tmp;
}

static void tmp_done(char *tmp)
{
	bk_tmp_untrack(tmp);
	free(tmp);
}

int bk_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		    int only_if_changed, int *changed, struct bkerr *e)
{
	char *tmp;
	int fd;
	if (changed)
		*changed = 0;
	if (only_if_changed && same_content(path, data, len))
		return 0;
	tmp = bk_tmp_name(path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		int r = bk_fail_errno(e, BK_ENV, "%s: cannot write (temporary file %s)", path, tmp);
		tmp_done(tmp);
		return r;
	}
	if (write_all(fd, data, len) || fchmod(fd, mode) || fsync(fd)) {
		int r = bk_fail_errno(e, BK_ENV, "%s: cannot write", path);
		close(fd);
		unlink(tmp);
		tmp_done(tmp);
		return r;
	}
	if (close(fd) || rename(tmp, path)) {
		int r = bk_fail_errno(e, BK_ENV, "%s: cannot write", path);
		unlink(tmp);
		tmp_done(tmp);
		return r;
	}
	tmp_done(tmp);
	if (changed)
		*changed = 1;
	return 0;
}

int bk_symlink_atomic(const char *target, const char *path, struct bkerr *e)
{
	char now[PATH_MAX];
	ssize_t n = readlink(path, now, sizeof now - 1);
	char *tmp;
	int r = 0;
	if (n >= 0 && (now[n] = 0, !strcmp(now, target)))
		return 0;
	tmp = bk_tmp_name(path);
	if (symlink(target, tmp) || rename(tmp, path)) {
		if (errno == EISDIR)
			r = bk_fail(e, BK_ENV,
				    "%s: is a directory where bbkit keeps a link to %s; remove it "
				    "(rm -r %s) and run again",
				    path, target, path);
		else
			r = bk_fail_errno(e, BK_ENV, "%s: cannot make it a link to %s", path, target);
		unlink(tmp);
	}
	bk_tmp_untrack(tmp);
	free(tmp);
	return r;
}

int bk_copy_atomic(const char *src, const char *dst, mode_t mode, int only_if_changed,
		   int *changed, struct bkerr *e)
{
	char *data;
	size_t len;
	int r = bk_read_file(src, &data, &len, e);
	if (r)
		return r;
	r = bk_write_atomic(dst, data, len, mode, only_if_changed, changed, e);
	free(data);
	return r;
}

static int rm_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP)
		return rmdir(p) && errno != ENOENT ? -1 : 0;
	return unlink(p) && errno != ENOENT ? -1 : 0;
}

static int walk_in(const char *top, const char *rel, bk_visit_fn visit, void *arg,
		   struct bkerr *e)
{
	char *dir = *rel ? bk_xasprintf("%s/%s", top, rel) : bk_xstrdup(top);
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;
	if (!d) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot read", dir);
		free(dir);
		return r;
	}
	while (!r && (de = readdir(d))) {
		struct stat st;
		char *path, *sub;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = bk_xasprintf("%s/%s", dir, de->d_name);
		sub = *rel ? bk_xasprintf("%s/%s", rel, de->d_name) : bk_xstrdup(de->d_name);
		if (lstat(path, &st))
			r = bk_fail_errno(e, BK_ENV, "%s: cannot stat", path);
		else if (!(r = visit(path, sub, &st, de->d_name, arg, e)) && S_ISDIR(st.st_mode))
			r = walk_in(top, sub, visit, arg, e);
		free(path);
		free(sub);
	}
	closedir(d);
	free(dir);
	return r;
}

int bk_walk(const char *top, bk_visit_fn visit, void *arg, struct bkerr *e)
{
	return walk_in(top, "", visit, arg, e);
}

int bk_rmtree(const char *path)
{
	if (!bk_exists(path))
		return 0;
	return nftw(path, rm_cb, 32, FTW_DEPTH | FTW_PHYS);
}

int bk_lock(const char *path, int *fd, struct bkerr *e)
{
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (f < 0)
		return bk_fail_errno(e, BK_ENV, "%s: cannot open lock file", path);
	while (flock(f, LOCK_EX)) {
		if (errno == EINTR)
			continue;
		close(f);
		return bk_fail_errno(e, BK_ENV, "%s: cannot lock", path);
	}
	*fd = f;
	return 0;
}

int bk_lock_or_wait(const char *path, int *fd, void (*waiting)(void *), void *arg,
		    struct bkerr *e)
{
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (f < 0)
		return bk_fail_errno(e, BK_ENV, "%s: cannot open lock file", path);
	if (!flock(f, LOCK_EX | LOCK_NB)) {
		*fd = f;
		return 0;
	}
	close(f);
	if (errno != EWOULDBLOCK)
		return bk_fail_errno(e, BK_ENV, "%s: cannot lock", path);
	if (waiting)
		waiting(arg);
	return bk_lock(path, fd, e);
}

void bk_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

void bk_remove_stale(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t pl = strlen(prefix);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, pl) == 0) {
			char *p = bk_xasprintf("%s/%s", dir, de->d_name);
			bk_rmtree(p);
			free(p);
		}
	}
	closedir(d);
}

char *bk_self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return bk_xstrdup(".");
	buf[n] = 0;
	return bk_xstrdup(dirname(buf));
}

int bk_dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int empty = 1;
	if (!d)
		return 0;
	while (empty && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

int bk_replaceable_dir(const char *dest, const char *marker, const char *what, struct bkerr *e)
{
	struct stat st;
	char *m;
	int r = 0;
	if (lstat(dest, &st))
		return errno == ENOENT ? 0 : bk_fail_errno(e, BK_ENV, "%s: cannot stat", dest);
	if (!S_ISDIR(st.st_mode))
		return bk_fail(e, BK_REQUEST,
			       "%s: exists and is not a directory; bbkit writes %s there only in place of "
			       "an earlier one: remove it or choose another path",
			       dest, what);
	m = bk_xasprintf("%s/%s", dest, marker);
	if (lstat(m, &st) && !bk_dir_is_empty(dest))
		r = bk_fail(e, BK_REQUEST,
			    "%s: a directory that is not %s (no %s in it); bbkit replaces only its own "
			    "output, never deletes yours: remove it or choose another path",
			    dest, what, marker);
	free(m);
	return r;
}

/* The signals that end a command (bbkit.c's handler), held while two
 * directories trade places: the swap is never cut in half. */
static void hold_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, old);
}

int bk_replace_dir(const char *tmp, const char *dest, struct bkerr *e)
{
	char *old = bk_xasprintf("%s.old.%ld", dest, (long)getpid());
	int had = bk_exists(dest), r = 0, swapped = 0;
	sigset_t mask;
	hold_signals(&mask);
	/* one atomic step: dest is the old directory or the new one, never
	 * missing; tmp then holds the old one, to be removed */
	if (had && !renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_EXCHANGE))
		swapped = 1;
	else if (had && errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		r = bk_fail_errno(e, BK_ENV, "%s: cannot swap in the new one (%s)", dest, tmp);
	/* a file system without RENAME_EXCHANGE: two renames, signals held;
	 * a run killed between them leaves dest.old.PID, which the next run's
	 * bk_tmp_sweep puts back */
	else if (had && rename(dest, old))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot move the previous one aside", dest);
	else if (rename(tmp, dest)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot move the new one into place", dest);
		if (had)
			rename(old, dest);
	}
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (!r && swapped)
		bk_rmtree(tmp);
	else if (!r && had)
		bk_rmtree(old);
	free(old);
	return r;
}
