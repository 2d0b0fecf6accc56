/* The cache: its layout, the names of locks, temps and records, and the one
 * make-or-reuse protocol (cache.h).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "cache.h"
#include "fs.h"
#include "tables.h"
#include "treerec.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *bk_cache_src(const char *cache, const char *name)
{
	return bk_xasprintf("%s/src/%s", cache, name);
}

char *bk_cache_busybox(const char *cache, const char *version)
{
	return bk_xasprintf("%s/src/busybox-%s", cache, version);
}

char *bk_cache_patched(const char *pristine, const char *label)
{
	return bk_xasprintf("%s+%s", pristine, label);
}

char *bk_cache_dl(const char *cache, const char *file)
{
	return bk_xasprintf("%s/dl/%s", cache, file);
}

char *bk_cache_apt(const char *cache, const char *name)
{
	return bk_xasprintf("%s/apt-%s", cache, name);
}

char *bk_cache_sysroot(const char *cache, const struct platform *p)
{
	return p->musl_src ? bk_xasprintf("%s/sysroot/%s-musl-%s", cache, p->deb_arch, p->musl_src)
			   : bk_xasprintf("%s/sysroot/%s", cache, p->deb_arch);
}

char *bk_cache_upx_dir(const char *cache)
{
	return bk_xasprintf("%s/tools/upx-%s", cache, bk_upx_pin->version);
}

char *bk_cache_upx(const char *cache)
{
	return bk_xasprintf("%s/tools/upx-%s/upx", cache, bk_upx_pin->version);
}

char *bk_cache_probes(const char *cache)
{
	return bk_xasprintf("%s/probes", cache);
}

char *bk_cache_ccache(const char *cache)
{
	return bk_xasprintf("%s/ccache", cache);
}

char *bk_cache_names(const char *cache)
{
	return bk_xasprintf("%s/names", cache);
}

/* dest split at its last slash: *dir (caller frees) and the name in dest */
static const char *split(const char *dest, char **dir)
{
	const char *slash = strrchr(dest, '/');
	if (!slash) {
		*dir = bk_xstrdup(".");
		return dest;
	}
	*dir = slash == dest ? bk_xstrdup("/") : bk_xasprintf("%.*s", (int)(slash - dest), dest);
	return slash + 1;
}

/* DIR/<before>NAME<after> for DIR/NAME */
static char *beside(const char *dest, const char *before, const char *after)
{
	char *dir, *path;
	const char *name = split(dest, &dir);
	path = bk_xasprintf("%s/%s%s%s", dir, before, name, after);
	free(dir);
	return path;
}

char *bk_cache_log(const char *dest)
{
	return beside(dest, "", ".log");
}

char *bk_cache_log_hidden(const char *dest)
{
	return beside(dest, ".", ".log");
}

char *bk_cache_lock_name(const char *dest)
{
	return beside(dest, ".lock-", "");
}

char *bk_cache_temp_name(const char *dest)
{
	char *pid = bk_xasprintf(".%ld", (long)getpid());
	char *path = beside(dest, ".tmp-", pid);
	free(pid);
	return path;
}

/* s is digits only (a pid), and not ours */
static int other_pid(const char *s)
{
	char *end;
	long pid;
	errno = 0;
	pid = strtol(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno && pid > 0 && pid != (long)getpid();
}

/* n is prefix + name + sep + [damaged- when allowed] + pid */
static int stale_name(const char *n, const char *prefix, const char *name, const char *sep,
		      int damaged)
{
	size_t pl = strlen(prefix), nl = strlen(name), sl = strlen(sep);
	if (strncmp(n, prefix, pl) || strncmp(n + pl, name, nl) || strncmp(n + pl + nl, sep, sl))
		return 0;
	n += pl + nl + sl;
	if (damaged && !strncmp(n, "damaged-", 8))
		n += 8;
	return other_pid(n);
}

void bk_cache_sweep(const char *dest)
{
	char *dir;
	const char *name = split(dest, &dir);
	DIR *d = opendir(dir);
	struct dirent *de;
	/* the old NAME.tmp.PID and DEST.old.PID of bk_replace_dir */
	bk_tmp_sweep(dest);
	while (d && (de = readdir(d))) {
		const char *n = de->d_name;
		/* the lock is held: no live run owns a temp of this entry (a
		 * pid is matched whole, so busybox-1.38.0's sweep never takes
		 * busybox-1.38.0-debian's temps) */
		if (stale_name(n, ".tmp-", name, ".", 0) || stale_name(n, ".tmp-", name, "-", 1)) {
			char *p = bk_xasprintf("%s/%s", dir, n);
			bk_rmtree(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	free(dir);
}

int bk_cache_check(const char *dest, int full, struct bk_damage *d, struct bkerr *e)
{
	return bk_tree_check(dest, full, d, e);
}

/* *ok = 1: dest can be used as it is; 0: it must be made (*d says what
 * was damaged, if anything). An error: dest cannot be checked. */
static int usable(const char *dest, int flags, bk_cache_current_fn is_current, void *arg,
		  int *ok, struct bk_damage *d, struct bkerr *e)
{
	struct bkerr why = {0, "", NULL, 0};
	*ok = 0;
	bk_damage_free(d);
	if (!bk_is_dir(dest))
		return bk_exists(dest) ? bk_fail(e, BK_ENV, "%s: not a directory; remove it", dest) : 0;
	if (!(flags & BK_CACHE_NO_RECORD) && bk_cache_check(dest, flags & BK_CACHE_FULL, d, &why)) {
		free(why.more);
		return d->n ? 0 : bk_fail(e, why.code, "%s", why.msg);
	}
	*ok = is_current(dest, arg);
	return 0;
}

/* Under the lock: make in a temp dir, record, swap into place. */
static int make_locked(const char *dest, int flags, bk_cache_make_fn make, void *arg,
		       const struct bk_damage *d, struct bkerr *e)
{
	char *tmp = bk_cache_temp_name(dest);
	int r;
	if (mkdir(tmp, 0755))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot create", tmp);
	else if (!(r = make(tmp, dest, d->n ? d : NULL, arg, e)) && !(flags & BK_CACHE_NO_RECORD))
		r = bk_tree_record(tmp, e);
	/* a damaged, stale or empty dest is swapped out in one step */
	if (!r)
		r = bk_replace_dir(tmp, dest, e);
	if (r)
		bk_rmtree(tmp);
	free(tmp);
	return r;
}

int bk_cache_make(const char *dest, int flags, bk_cache_current_fn is_current,
		  bk_cache_make_fn make, void *arg, int *made, struct bkerr *e)
{
	struct bk_damage d = {0};
	char *dir = NULL, *lock = NULL;
	int r, ok, fd = -1;
	if (made)
		*made = 0;
	/* an entry appears only whole, by rename: no lock needed to use it */
	if ((r = usable(dest, flags, is_current, arg, &ok, &d, e)) || ok)
		goto out;
	split(dest, &dir);
	lock = bk_cache_lock_name(dest);
	if ((r = bk_mkdirs(dir, 0755, e)) || (r = bk_lock(lock, &fd, e)))
		goto out;
	bk_cache_sweep(dest);
	/* another process may have made it while this one waited */
	if ((r = usable(dest, flags, is_current, arg, &ok, &d, e)) || ok)
		goto out;
	r = make_locked(dest, flags, make, arg, &d, e);
	if (!r && made)
		*made = 1;
out:
	bk_unlock(fd);
	bk_damage_free(&d);
	free(dir);
	free(lock);
	return r;
}
