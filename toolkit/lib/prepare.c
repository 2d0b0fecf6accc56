/* prepare: busybox's allnoconfig in a build dir (or a copy of a shared
 * prepared dir), kept as .config.allnoconfig, the resolver's baseline.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "cache.h"
#include "fs.h"
#include "kbuild.h"
#include "run.h"
#include "tables.h"
#include "treerec.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* allnoconfig in the build dir absb; log to absb/prepare.log. With reuse, a
 * finished allnoconfig is kept while the source tree is unchanged (the
 * shared dir: nothing there but allnoconfig's own results). */
static int allnoconfig(const char *abss, const char *absb, const struct platform *p, int reuse,
		       struct bkerr *e)
{
	char *arch = bk_xasprintf("ARCH=%s", p->busybox_arch);
	char *log = bk_xasprintf("%s/prepare.log", absb);
	char *cfg = bk_xasprintf("%s/.config", absb);
	char *base = bk_xasprintf("%s/.config.allnoconfig", absb);
	const char *vars[] = {"-s", arch, "HOSTCC=gcc", NULL};
	char **mk = NULL;
	int ran, r;
	unlink(log);
	if ((r = bk_kbuild_setup(abss, absb, log, &ran, e)))
		bk_fail(e, r, "%s: %s", p->name, e->msg);
	else if (reuse && !ran && bk_exists(base))
		goto out;
	else {
		/* from here until it is done again, no baseline: a run killed
		 * half-way must not leave an old one looking current */
		if (ran && unlink(base) && errno != ENOENT) {
			r = bk_fail_errno(e, BK_ENV, "%s: cannot remove", base);
			goto out;
		}
		mk = bk_kbuild_argv(absb, vars, "allnoconfig", NULL);
		if ((r = bk_run(mk, NULL, log, NULL, e)))
			bk_fail_tail(e, log, 20, "%s: allnoconfig", p->name);
	}
	if (!r)
		r = bk_copy_atomic(cfg, base, 0644, 1, NULL, e);
out:
	bk_argv_free(mk);
	free(arch);
	free(log);
	free(cfg);
	free(base);
	return r;
}

/* The cache's make step for a build dir: a copy of the prepared dir. */
static int copy_shared(const char *tmp, const char *dest, const struct bk_damage *damage,
		       void *arg, struct bkerr *e)
{
	char *from = bk_xasprintf("%s/.", (const char *)arg);
	char *cp[] = {"cp", "-a", from, (char *)tmp, NULL};
	int r = bk_run(cp, NULL, NULL, NULL, e);
	(void)dest;
	(void)damage;
	free(from);
	return r;
}

/* A build dir that holds anything is one: only an empty one is filled. */
static int not_empty(const char *dest, void *arg)
{
	(void)arg;
	return !bk_dir_is_empty(dest);
}

/* busybox's scripts/mkmakefile: the build dir's own Makefile, naming it. */
static int mkmakefile(const char *abss, const char *absb, const char *log,
		      const struct platform *p, struct bkerr *e)
{
	char v[32] = "", major[16] = "", minor[16] = "";
	char *mkmf, *mf;
	int r = bk_tree_version(abss, v, sizeof v, e);
	if (r)
		return r;
	sscanf(v, "%15[^.].%15[^.]", major, minor); /* VERSION.PATCHLEVEL.SUBLEVEL */
	mkmf = bk_xasprintf("%s/scripts/mkmakefile", abss);
	mf = bk_xasprintf("%s/Makefile", absb);
	{
		char *argv[] = {"sh", mkmf, (char *)abss, (char *)absb, major, minor, NULL};
		unlink(mf); /* mkmakefile leaves alone a Makefile it does not own */
		if ((r = bk_run(argv, NULL, log, NULL, e)))
			bk_fail_tail(e, log, 20, "%s: busybox's scripts/mkmakefile", p->name);
	}
	free(mf);
	free(mkmf);
	return r;
}

/* A new, empty build dir becomes a copy of the shared prepared dir (made or
 * brought up to date under its lock), through the cache's protocol (copied
 * beside it and swapped into place); only its own Makefile, which names the
 * dir, is made anew. */
static int from_shared(const char *abss, const char *shared, const char *absb,
		       const struct platform *p, struct bkerr *e)
{
	char *lock = NULL, *abssh = NULL, *log = NULL;
	int fd = -1, r;
	if ((r = bk_mkdirs(shared, 0755, e)) || !(abssh = realpath(shared, NULL))) {
		if (!r)
			r = bk_fail_errno(e, BK_ENV, "%s", shared);
		bk_fail(e, r, "--shared: %s; it must be a directory bbkit can create and write",
			e->msg);
		goto out;
	}
	lock = bk_cache_lock_name(abssh);
	if ((r = bk_lock(lock, &fd, e)) || (r = allnoconfig(abss, abssh, p, 1, e)))
		goto out;
	if ((r = bk_cache_make(absb, BK_CACHE_NO_RECORD, not_empty, copy_shared, abssh, NULL, e))) {
		bk_fail(e, r, "%s: cannot copy the prepared %s to %s: %s", p->name, abssh, absb,
			e->msg);
		goto out;
	}
	log = bk_xasprintf("%s/prepare.log", absb);
	{
		char *note = bk_xasprintf("bbkit: a copy of %s\n", abssh);
		r = bk_write_atomic(log, note, strlen(note), 0644, 0, NULL, e);
		free(note);
	}
	if (!r)
		r = mkmakefile(abss, absb, log, p, e);
out:
	bk_unlock(fd);
	free(lock);
	free(abssh);
	free(log);
	return r;
}

int bk_prepare(const struct bk_env *env, const struct platform *p, const char *src,
	       const char *bdir, const char *shared, struct bkerr *e)
{
	char *absb = NULL, *abss = NULL, *lock = NULL;
	struct bk_wait w = {&env->say, p->name, bdir};
	int r, lockfd = -1;
	if ((r = bk_mkdirs(bdir, 0755, e)))
		return r;
	absb = realpath(bdir, NULL);
	abss = realpath(src, NULL);
	setenv("KCONFIG_NOTIMESTAMP", "1", 1);
	lock = bk_xasprintf("%s.lock", absb ? absb : bdir);
	if ((r = bk_lock_or_wait(lock, &lockfd, bk_say_waiting, &w, e)))
		goto out;
	if (!abss)
		r = bk_fail_errno(e, BK_ENV, "%s: no such directory", src);
	else if (shared && bk_dir_is_empty(absb)) {
		if (!(r = from_shared(abss, shared, absb, p, e)))
			bk_say(&env->say, BK_SAY_PROGRESS, "%s: allnoconfig in %s (a copy of %s)",
			       p->name, bdir, shared);
	} else if (!(r = allnoconfig(abss, absb, p, 0, e)))
		bk_say(&env->say, BK_SAY_PROGRESS, "%s: allnoconfig in %s", p->name, bdir);
out:
	bk_unlock(lockfd);
	free(lock);
	free(absb);
	free(abss);
	return r;
}
