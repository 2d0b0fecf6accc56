/* A verified source tree in CACHE/src: Debian's source archive through a
 * private apt configuration, a local tarball or a URL, sha256-checked,
 * extracted with a record of every file (treerec.c), under a lock.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


struct fetch {
	const struct bk_env *env;
	const struct src_spec *s;
	char *tree, *dl, *srcdir, *dldir;
	int full_check;          /* hash every file of a cached tree */
	struct bk_damage damage; /* of the cached tree this run replaces */
	char *aside;             /* where that tree was moved */
	int made;                /* this run extracted the tree */
};

/* Checks path against the expected sum; on mismatch removes it when
 * `remove` is set. */
static int verify(struct fetch *f, const char *path, const char *label, int remove,
		  struct bkerr *e)
{
	char got[65];
	int r = bk_sha256_file(path, got, e);
	if (r)
		return r;
	if (strcmp(got, f->s->sha256)) {
		if (remove)
			unlink(path);
		return bk_fail(e, BK_ENV,
			       "%s: sha256 mismatch for %s %s: expected %s, got %s; %s", label,
			       f->s->package, f->s->version, f->s->sha256, got,
			       remove ? "the download was removed from the cache"
				      : "refusing it (pass the right file, or --sha256 for an "
					"unpinned version)");
	}
	return 0;
}

/* Extracts a verified tarball into a temp dir, then renames it into place. */
static int extract(struct fetch *f, const char *tarball, struct bkerr *e)
{
	char *tmp = bk_xasprintf("%s/.tmp-%s-%s-%ld", f->srcdir, f->s->package, f->s->version, (long)getpid());
	char ver[64];
	int r;
	bk_rmtree(tmp);
	r = bk_mkdirs(tmp, 0755, e);
	if (!r) {
		/* busybox-1.38.0/, musl-1.2.3/, debian/: the tarball's one top dir */
		char *top = f->s->top    ? bk_xstrdup(f->s->top)
			    : f->s->file ? bk_xstrdup("debian")
					 : bk_xasprintf("%s-%s", f->s->package, f->s->version);
		r = bk_tar_extract(tarball, tmp, 1, top, e);
		free(top);
	}
	if (!r)
		r = f->s->tree_version(tmp, ver, sizeof ver, e);
	if (!r && strcmp(ver, f->s->version))
		r = bk_fail(e, BK_REQUEST, "%s: holds %s %s, not %s", tarball, f->s->package, ver,
			    f->s->version);
	/* what was extracted, so later runs can tell a damaged tree; files
	 * repaired get the time now, so make rebuilds what came from them */
	if (!r)
		r = f->damage.n ? bk_tree_touch(tmp, &f->damage, e) : bk_tree_record(tmp, e);
	if (!r && rename(tmp, f->tree))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot move extracted tree into place", f->tree);
	f->made = !r;
	if (r)
		bk_rmtree(tmp);
	free(tmp);
	return r;
}

/* Downloads uri, verifies, keeps it as f->dl. */
static int download(struct fetch *f, struct apt_private *apt, const char *uri, struct bkerr *e)
{
	char *part = bk_xasprintf("%s.part.%ld", f->dl, (long)getpid());
	int r = bk_apt_download(apt, uri, part, e);
	if (!r)
		r = verify(f, part, uri, 1, e);
	if (!r && rename(part, f->dl))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot store download", f->dl);
	unlink(part);
	free(part);
	return r;
}

/* Finds "<Directory>/<file>" of the spec's file (default PKG_V.orig.tar.*)
 * in apt-cache showsrc. */
static char *find_orig(const char *showsrc, const struct src_spec *s)
{
	char *want = s->file ? bk_xstrdup(s->file) : bk_xasprintf("%s_%s.orig.tar.", s->package, s->version);
	char *found = NULL, *dir = NULL;
	char *copy = bk_xstrdup(showsrc), *save = NULL, *res = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "Package:", 8)) {
			if (found && dir)
				break;
			free(found);
			found = NULL;
			free(dir);
			dir = NULL;
		} else if (!strncmp(line, "Directory:", 10)) {
			free(dir);
			dir = bk_xstrdup(line + 10 + strspn(line + 10, " "));
		} else if (line[0] == ' ' && !found) {
			char *name = strrchr(line, ' ') + 1;
			size_t n = strlen(name);
			if (!strncmp(name, want, strlen(want)) &&
			    !(n > 4 && !strcmp(name + n - 4, ".asc")))
				found = bk_xstrdup(name);
		}
	}
	if (found && dir)
		res = bk_xasprintf("%s/%s", dir, found);
	free(found);
	free(dir);
	free(copy);
	free(want);
	return res;
}

static int from_debian(struct fetch *f, struct bkerr *e)
{
	struct apt_repos repos = {NULL, 0};
	struct apt_private apt;
	char *lines, *out = NULL, *rel;
	const char *showsrc[] = {"showsrc", f->s->package, NULL};
	char **argv;
	int r = bk_apt_host_repos(f->s->apt_etc, bk_mirror_suites, &repos, e);
	if (r)
		return r;
	apt.root = bk_xasprintf("%s/apt-src", f->env->cache);
	apt.log = bk_xasprintf("%s/apt-src/log", f->env->cache);
	apt.archs = NULL;
	lines = bk_apt_lines(&repos, "deb-src", f->s->suites);
	r = bk_apt_setup(&apt, lines, e);
	if (!r) {
		bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: updating private apt source index (%s)", f->s->package, f->s->version,
			 f->s->suites[1] ? "bookworm trixie sid" : f->s->suites[0]);
		r = bk_apt_update(&apt, e);
	}
	if (!r) {
		argv = bk_apt_argv(&apt, "apt-cache", showsrc);
		r = bk_run_capture(argv, NULL, apt.log, &out, e);
		bk_argv_free(argv);
	}
	if (!r) {
		rel = find_orig(out, f->s);
		if (!rel)
			r = bk_fail(e, BK_REQUEST,
				    "%s %s: Debian's source archive (%s) has no %s; %s", f->s->package,
				    f->s->version, f->s->suites[1] ? "bookworm, trixie, sid" : f->s->suites[0],
				    f->s->file ? f->s->file : "orig tarball", f->s->hint);
		for (size_t i = 0; rel && i < repos.n; i++) {
			char *uri = bk_xasprintf("%s/%s", repos.v[i].uri, rel);
			bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: downloading %s", f->s->package, f->s->version,
				 strrchr(rel, '/') + 1);
			r = download(f, &apt, uri, e);
			free(uri);
			if (!r || r != BK_ENV)
				break;
		}
		free(rel);
	}
	free(out);
	free(lines);
	free(apt.root);
	free(apt.log);
	bk_apt_repos_free(&repos);
	return r;
}

/* The cached tree against its record: as extracted, it is used; else it is
 * moved aside (removed as a stale temp dir) and extracted again below. */
static int check_tree(struct fetch *f, struct bkerr *e)
{
	struct bkerr why = {0, "", NULL, 0};
	char *aside;
	if (!bk_tree_check(f->tree, f->full_check, &f->damage, &why))
		return 0;
	free(why.more);
	if (!f->damage.n) /* could not even read it */
		return bk_fail(e, why.code, "%s", why.msg);
	bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: %s/%s: %s%s; extracting the tree again", f->s->package,
		 f->s->version, f->tree, f->damage.path[0], f->damage.why[0],
		 f->damage.n > 1 ? " (and more)" : "");
	aside = bk_xasprintf("%s/.tmp-%s-%s-damaged-%ld", f->srcdir, f->s->package, f->s->version,
			     (long)getpid());
	if (rename(f->tree, aside)) {
		int r = bk_fail_errno(e, BK_ENV, "%s: cannot move the damaged tree aside", f->tree);
		free(aside);
		return r;
	}
	f->aside = aside;
	return 0;
}

static int run_fetch(struct fetch *f, struct bkerr *e)
{
	int r, lockfd;
	char *lock;
	if ((r = bk_mkdirs(f->srcdir, 0755, e)) || (r = bk_mkdirs(f->dldir, 0755, e)))
		return r;
	lock = bk_xasprintf("%s/.lock-%s-%s", f->dldir, f->s->package, f->s->version);
	r = bk_lock(lock, &lockfd, e);
	free(lock);
	if (r)
		return r;
	{ /* leftovers of killed runs; we hold the lock, so nobody else owns them */
		char *p1 = bk_xasprintf(".tmp-%s-%s-", f->s->package, f->s->version);
		char *p2 = bk_xasprintf("%s.part.", strrchr(f->dl, '/') + 1);
		bk_remove_stale(f->srcdir, p1);
		bk_remove_stale(f->dldir, p2);
		free(p1);
		free(p2);
	}
	if (bk_is_dir(f->tree) && (r = check_tree(f, e)))
		goto out;
	if (f->s->tarball) {
		r = verify(f, f->s->tarball, f->s->tarball, 0, e);
		if (!r && !bk_is_dir(f->tree)) {
			bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: extracting %s", f->s->package, f->s->version, f->s->tarball);
			r = extract(f, f->s->tarball, e);
		}
		goto out;
	}
	if (bk_is_dir(f->tree))
		goto out;
	if (bk_exists(f->dl)) {
		if (verify(f, f->dl, f->dl, 1, e) == 0) {
			bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: extracting cached tarball",
			       f->s->package, f->s->version);
			r = extract(f, f->dl, e);
			goto out;
		}
		/* a damaged download is never used: said, removed, fetched again */
		bk_say(&f->env->say, BK_SAY_PROGRESS, "%s", e->msg);
	}
	r = from_debian(f, e);
	if (r && f->s->url) {
		struct apt_private apt = {bk_xasprintf("%s/apt-src", f->env->cache),
					  bk_xasprintf("%s/apt-src/log", f->env->cache), NULL};
		bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: Debian failed (%s); trying %s", f->s->package, f->s->version, e->msg,
			 f->s->url);
		r = bk_apt_setup(&apt, "", e);
		if (!r)
			r = download(f, &apt, f->s->url, e);
		free(apt.root);
		free(apt.log);
	}
	if (!r) {
		bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: extracting", f->s->package, f->s->version);
		r = extract(f, f->dl, e);
	}
out:
	if (r && f->damage.n)
		bk_fail(e, r, "%s; the cached tree %s was damaged (%s: %s) and could not be extracted "
			"again: give the tarball (--tarball, make's BUSYBOX_TARBALL) or restore the network",
			e->msg, f->tree, f->damage.path[0], f->damage.why[0]);
	bk_unlock(lockfd);
	return r;
}

/* A verified source tree of s->package s->version in CACHE/src; *tree
 * gets its path. */
int bk_source_ensure(const struct bk_env *env, const struct src_spec *s, char **tree,
		     struct bkerr *e)
{
	struct fetch f;
	int r;
	memset(&f, 0, sizeof f);
	f.env = env;
	f.s = s;
	f.srcdir = bk_xasprintf("%s/src", env->cache);
	f.dldir = bk_xasprintf("%s/dl", env->cache);
	f.tree = s->tree ? bk_xasprintf("%s/%s", f.srcdir, s->tree)
			 : bk_xasprintf("%s/%s-%s%s", f.srcdir, s->package, s->version,
					s->file ? "-debian" : "");
	/* named as Debian names it; libarchive detects the compression anyway */
	f.dl = s->file ? bk_xasprintf("%s/%s", f.dldir, s->file)
		       : bk_xasprintf("%s/%s_%s.orig.tar.%s", f.dldir, s->package, s->version, s->ext);
	f.full_check = s->verify_tree;
	r = run_fetch(&f, e);
	if (f.aside)
		bk_rmtree(f.aside);
	free(f.aside);
	bk_damage_free(&f.damage);
	if (!r) {
		if (f.made) /* a cached tree that checked out says nothing */
			bk_say(&env->say, BK_SAY_PROGRESS, "%s %s: source tree ready", s->package,
			       s->version);
		*tree = f.tree;
		f.tree = NULL;
	}
	free(f.srcdir);
	free(f.dldir);
	free(f.tree);
	free(f.dl);
	return r;
}

/* The upstream version of an extracted debian/ tree, from the first line
 * of its changelog: "busybox (1:1.38.0-3) unstable; ...". */
int bk_debian_tree_version(const char *tree, char *out, size_t n, struct bkerr *e)
{
	char *path = bk_xasprintf("%s/changelog", tree), *text, *p, *end;
	int r = bk_read_file(path, &text, NULL, e);
	free(path);
	if (r)
		return r;
	p = strchr(text, '(');
	if (p && strchr(p, ':') && strchr(p, ':') < strchr(p, ')'))
		p = strchr(p, ':');
	end = p ? p + 1 + strcspn(p + 1, "-)") : NULL;
	if (!p || !*end) {
		free(text);
		return bk_fail(e, BK_ENV, "%s/changelog: no version on its first line", tree);
	}
	snprintf(out, n, "%.*s", (int)(end - p - 1), p + 1);
	free(text);
	return 0;
}
