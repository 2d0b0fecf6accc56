/* bbkit fetch: a verified busybox source tree in the cache.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char fetch_usage[] =
	"usage: bbkit fetch [--version V] [--tarball PATH] [--url URL] [--sha256 HEX]\n"
	"                   [--apt-etc DIR] [--print-sources] [--cache DIR] [-q]\n\n"
	"Get a verified busybox source tree into the cache and print its path.\n"
	"Sources, in this order: --tarball PATH, an already verified cache entry, the\n"
	"Debian source archive (busybox_V.orig.tar.*, fetched with a private apt\n"
	"configuration derived from the host's apt sources), --url URL.\n\n"
	"  --version V      busybox version (default " BBKIT_DEFAULT_VERSION ")\n"
	"  --tarball PATH   use this local tarball (checked against the pinned sha256)\n"
	"  --url URL        download from URL when Debian's archive does not have it\n"
	"  --sha256 HEX     expected sha256; required for versions without a pin\n"
	"  --apt-etc DIR    apt configuration to derive sources from (default /etc/apt)\n"
	"  --print-sources  print the derived deb-src lines and exit\n"
	"  --debian         instead: Debian's packaging of the version (debian/, with\n"
	"                   its configs and patches) from its pinned debian.tar.xz,\n"
	"                   into CACHE/src/busybox-V-debian\n"
	"  --verify-tree    hash every file of a cached tree against the record made\n"
	"                   when it was extracted (every run checks sizes and times)\n"
	"  --cache DIR      cache directory (default $BBKIT_CACHE, else ./.cache)\n"
	"  -q               no progress lines\n\n"
	"Pinned versions: 1.35.0 (bookworm), 1.37.0 (trixie), 1.38.0 (sid).\n"
	"A sha256 mismatch is refused (exit 3) and nothing stays in the cache.\n"
	"A cached tree that differs from what was extracted (a file changed, added\n"
	"or removed) is extracted again, naming the file; the files that differed\n"
	"get the time now, so make rebuilds what was built from them.\n" BBKIT_EXIT_CODES;

/* Suites whose presence in a host source marks a Debian archive mirror. */
static const char *const mirror_suites[] = {"bookworm", "trixie", "sid",     "stable",
					    "testing",  "unstable", NULL};
static const char *const all_suites[] = {"bookworm", "trixie", "sid", NULL};

struct fetch {
	struct ctx *c;
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
		char *top = f->s->file ? bk_xstrdup("debian")
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
	int r = bk_apt_host_repos(f->s->apt_etc, mirror_suites, &repos, e);
	if (r)
		return r;
	apt.root = bk_xasprintf("%s/apt-src", f->c->cache);
	apt.log = bk_xasprintf("%s/apt-src/log", f->c->cache);
	apt.archs = NULL;
	lines = bk_apt_lines(&repos, "deb-src", f->s->suites);
	r = bk_apt_setup(&apt, lines, e);
	if (!r) {
		progress(f->c, "%s %s: updating private apt source index (%s)", f->s->package, f->s->version,
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
			progress(f->c, "%s %s: downloading %s", f->s->package, f->s->version,
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
	struct bkerr why = {0, "", NULL};
	char *aside;
	if (!bk_tree_check(f->tree, f->full_check, &f->damage, &why))
		return 0;
	free(why.more);
	if (!f->damage.n) /* could not even read it */
		return bk_fail(e, why.code, "%s", why.msg);
	progress(f->c, "%s %s: %s/%s: %s%s; extracting the tree again", f->s->package,
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
			progress(f->c, "%s %s: extracting %s", f->s->package, f->s->version, f->s->tarball);
			r = extract(f, f->s->tarball, e);
		}
		goto out;
	}
	if (bk_is_dir(f->tree))
		goto out;
	if (bk_exists(f->dl) && verify(f, f->dl, f->dl, 1, e) == 0) {
		progress(f->c, "%s %s: extracting cached tarball", f->s->package, f->s->version);
		r = extract(f, f->dl, e);
		goto out;
	}
	r = from_debian(f, e);
	if (r && f->s->url) {
		struct apt_private apt = {bk_xasprintf("%s/apt-src", f->c->cache),
					  bk_xasprintf("%s/apt-src/log", f->c->cache), NULL};
		progress(f->c, "%s %s: Debian failed (%s); trying %s", f->s->package, f->s->version, e->msg,
			 f->s->url);
		r = bk_apt_setup(&apt, "", e);
		if (!r)
			r = download(f, &apt, f->s->url, e);
		free(apt.root);
		free(apt.log);
	}
	if (!r) {
		progress(f->c, "%s %s: extracting", f->s->package, f->s->version);
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
int source_ensure(struct ctx *c, const struct src_spec *s, char **tree, struct bkerr *e)
{
	struct fetch f;
	int r;
	memset(&f, 0, sizeof f);
	f.c = c;
	f.s = s;
	f.srcdir = bk_xasprintf("%s/src", c->cache);
	f.dldir = bk_xasprintf("%s/dl", c->cache);
	f.tree = bk_xasprintf("%s/%s-%s%s", f.srcdir, s->package, s->version,
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
			progress(c, "%s %s: source tree ready", s->package, s->version);
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
static int debian_tree_version(const char *tree, char *out, size_t n, struct bkerr *e)
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

int cmd_fetch(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	struct src_spec s;
	int print_sources = 0, debian = 0, r;
	const struct bk_version *known;
	char *tree;
	memset(&s, 0, sizeof s);
	s.package = "busybox";
	s.ext = "bz2";
	s.version = BBKIT_DEFAULT_VERSION;
	s.apt_etc = "/etc/apt";
	s.tree_version = bk_tree_version;
	s.hint = "pass --tarball PATH or --url URL";
	{
		const struct opt opts[] = {
			OPT_F("--print-sources", &print_sources),
			OPT_F("--verify-tree", &s.verify_tree),
			OPT_F("--debian", &debian),
			OPT_V("--version", &s.version),
			OPT_V("--tarball", &s.tarball),
			OPT_V("--url", &s.url),
			OPT_V("--sha256", &s.sha256),
			OPT_V("--apt-etc", &s.apt_etc),
			OPT_END,
		};
		if ((r = parse_args(c, argc, argv, opts, fetch_usage, NULL)))
			return r < 0 ? 0 : r;
	}
	/* empty values (make's BUSYBOX_TARBALL= unset) mean "not given" */
	if (s.tarball && !*s.tarball)
		s.tarball = NULL;
	if (s.url && !*s.url)
		s.url = NULL;
	if (s.sha256 && !*s.sha256)
		s.sha256 = NULL;
	if (debian) { /* Debian's debian/ for the version: its own pinned file */
		const struct bk_debian *d = bk_debian_find(s.version);
		if (!d)
			return usage_error(c, "--debian: no pinned Debian packaging of busybox %s (pinned: %s)",
					   s.version, bk_pinned_names());
		if (s.tarball || s.url || s.sha256)
			return usage_error(c, "--debian takes no --tarball, --url or --sha256");
		s.file = d->file;
		s.sha256 = d->sha256;
		s.suites[0] = d->suite;
		s.tree_version = debian_tree_version;
		s.hint = "the pin in toolkit/lib/tables.c may be older than the mirror's revision";
		r = source_ensure(c, &s, &tree, e);
		if (!r) {
			printf("%s\n", tree);
			free(tree);
		}
		return r;
	}
	known = bk_version_find(s.version);
	if (known) {
		s.suites[0] = known->suite;
	} else {
		for (int i = 0; all_suites[i]; i++)
			s.suites[i] = all_suites[i];
	}
	if (print_sources) {
		struct apt_repos repos = {NULL, 0};
		char *lines;
		r = bk_apt_host_repos(s.apt_etc, mirror_suites, &repos, e);
		if (r)
			return r;
		lines = bk_apt_lines(&repos, "deb-src", s.suites);
		fputs(lines, stdout);
		free(lines);
		bk_apt_repos_free(&repos);
		return 0;
	}
	if (known && s.sha256 && strcmp(s.sha256, known->sha256))
		return usage_error(c,
				   "--sha256 %s (make: BUSYBOX_SHA256) contradicts the pinned sha256 %s "
				   "of busybox %s; drop it or fix it",
				   s.sha256, known->sha256, s.version);
	if (!s.sha256 && !known)
		return usage_error(c,
				   "busybox %s: no pinned sha256 for this version (pinned: %s); pass "
				   "--sha256 HEX (make: BUSYBOX_SHA256=HEX)",
				   s.version, bk_pinned_names());
	if (!s.sha256)
		s.sha256 = known->sha256;
	if (strlen(s.sha256) != 64 || strspn(s.sha256, "0123456789abcdef") != 64)
		return usage_error(c, "--sha256 %s: expected 64 lowercase hex digits", s.sha256);
	r = source_ensure(c, &s, &tree, e);
	if (!r) {
		printf("%s\n", tree);
		free(tree);
	}
	return r;
}
