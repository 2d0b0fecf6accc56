/* A verified source tree in CACHE/src: Debian's source archive through a
 * private apt configuration, a local tarball or a URL, sha256-checked,
 * extracted with a record of every file (treerec.c), under a lock.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "cache.h"
#include "apt.h"
#include "archive.h"
#include "fs.h"
#include "run.h"
#include "tables.h"
#include "treerec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


struct fetch {
	const struct bk_env *env;
	const struct src_spec *s;
	char *tree, *dl;
	char *damaged; /* "path: why" of the cached tree this run replaces */
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

/* Extracts a verified tarball into tmp (the tree's temp dir). */
static int extract(struct fetch *f, const char *tarball, const char *tmp,
		   const struct bk_damage *damage, struct bkerr *e)
{
	/* busybox-1.38.0/, musl-1.2.3/, debian/: the tarball's one top dir */
	char *top = f->s->top    ? bk_xstrdup(f->s->top)
		    : f->s->file ? bk_xstrdup("debian")
				 : bk_xasprintf("%s-%s", f->s->package, f->s->version);
	char ver[64];
	int r = bk_tar_extract(tarball, tmp, 1, top, e);
	free(top);
	if (!r)
		r = f->s->tree_version(tmp, ver, sizeof ver, e);
	if (!r && strcmp(ver, f->s->version))
		r = bk_fail(e, BK_REQUEST, "%s: holds %s %s, not %s", tarball, f->s->package, ver,
			    f->s->version);
	/* files repaired get the time now, so make rebuilds what came from
	 * them (the cache records the tree once it is made) */
	if (!r && damage)
		r = bk_tree_touch(tmp, damage, e);
	return r;
}

/* Downloads uri, verifies, keeps it as f->dl. */
static int download(struct fetch *f, struct apt_private *apt, const char *uri, struct bkerr *e)
{
	char *part = bk_tmp_name(f->dl);
	int r = bk_apt_download(apt, uri, part, e);
	if (!r)
		r = verify(f, part, uri, 1, e);
	if (!r && rename(part, f->dl))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot store download", f->dl);
	unlink(part);
	bk_tmp_untrack(part);
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
	int r = bk_apt_host_repos(f->env->apt_etc, bk_mirror_suites, &repos, e);
	if (r)
		return r;
	apt.root = bk_cache_apt(f->env->cache, "src");
	apt.log = bk_xasprintf("%s/log", apt.root);
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

/* The tarball from Debian's source archive, else from the URL, into f->dl. */
static int download_any(struct fetch *f, struct bkerr *e)
{
	int r = from_debian(f, e);
	if (r && f->s->url) {
		struct apt_private apt = {bk_cache_apt(f->env->cache, "src"), NULL, NULL};
		apt.log = bk_xasprintf("%s/log", apt.root);
		bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: Debian failed (%s); trying %s",
		       f->s->package, f->s->version, e->msg, f->s->url);
		r = bk_apt_setup(&apt, "", e);
		if (!r)
			r = download(f, &apt, f->s->url, e);
		free(apt.root);
		free(apt.log);
	}
	return r;
}

/* The cache's make step: the tree extracted into tmp from the given
 * tarball, the verified download, or one downloaded now. */
static int make_tree(const char *tmp, const char *dest, const struct bk_damage *damage, void *arg,
		     struct bkerr *e)
{
	struct fetch *f = arg;
	const struct src_spec *s = f->s;
	char *dldir = bk_xstrdup(f->dl), *old = bk_xasprintf("%s.part.", strrchr(f->dl, '/') + 1);
	int r, have = bk_exists(f->dl);
	*strrchr(dldir, '/') = 0;
	if (damage) {
		f->damaged = bk_xasprintf("%s: %s", damage->path[0], damage->why[0]);
		bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: %s/%s%s; extracting the tree again",
		       s->package, s->version, dest, f->damaged, damage->n > 1 ? " (and more)" : "");
	}
	bk_remove_stale(dldir, old); /* downloads of killed runs (before .tmp.PID) */
	bk_tmp_sweep(f->dl);
	if (s->tarball) {
		bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: extracting %s", s->package, s->version,
		       s->tarball);
		r = extract(f, s->tarball, tmp, damage, e);
	} else if (have && !(r = verify(f, f->dl, f->dl, 1, e))) {
		bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: extracting cached tarball", s->package,
		       s->version);
		r = extract(f, f->dl, tmp, damage, e);
	} else {
		if (have) /* a damaged download is never used: said, removed, fetched again */
			bk_say(&f->env->say, BK_SAY_PROGRESS, "%s", e->msg);
		if (!(r = bk_mkdirs(dldir, 0755, e)) && !(r = download_any(f, e))) {
			bk_say(&f->env->say, BK_SAY_PROGRESS, "%s %s: extracting", s->package,
			       s->version);
			r = extract(f, f->dl, tmp, damage, e);
		}
	}
	free(dldir);
	free(old);
	return r;
}

static int tree_current(const char *dest, void *arg)
{
	(void)dest;
	(void)arg;
	return 1; /* as extracted (its record): a version has one tree */
}

/* A verified source tree of s->package s->version in CACHE/src; *tree
 * gets its path. */
int bk_source_ensure(const struct bk_env *env, const struct src_spec *s, char **tree,
		     struct bkerr *e)
{
	struct fetch f;
	char *name;
	int r, made = 0;
	memset(&f, 0, sizeof f);
	f.env = env;
	f.s = s;
	name = s->tree ? bk_xstrdup(s->tree)
		       : bk_xasprintf("%s-%s%s", s->package, s->version, s->file ? "-debian" : "");
	f.tree = bk_cache_src(env->cache, name);
	free(name);
	/* named as Debian names it; libarchive detects the compression anyway */
	name = s->file ? bk_xstrdup(s->file)
		       : bk_xasprintf("%s_%s.orig.tar.%s", s->package, s->version, s->ext);
	f.dl = bk_cache_dl(env->cache, name);
	free(name);
	/* a given tarball is checked even when the tree is cached */
	r = s->tarball ? verify(&f, s->tarball, s->tarball, 0, e) : 0;
	if (!r)
		r = bk_cache_make(f.tree, s->verify_tree ? BK_CACHE_FULL : 0, tree_current, make_tree,
				  &f, &made, e);
	if (r && f.damaged)
		bk_fail(e, r, "%s; the cached tree %s was damaged (%s) and could not be extracted "
			"again: give the tarball (--tarball, make's BUSYBOX_TARBALL) or restore the network",
			e->msg, f.tree, f.damaged);
	else if (made) /* a cached tree that checked out says nothing */
		bk_say(&env->say, BK_SAY_PROGRESS, "%s %s: source tree ready", s->package, s->version);
	if (!r) {
		*tree = f.tree;
		f.tree = NULL;
	}
	free(f.tree);
	free(f.dl);
	free(f.damaged);
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
