/* bbkit sysroot: a private musl sysroot for a platform, from Debian packages
 * downloaded with a private apt configuration and unpacked with dpkg-deb -x.
 * The host's dpkg database and architectures are never touched.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char sysroot_usage[] =
	"usage: bbkit sysroot PLATFORM [--apt-etc DIR] [--stamp FILE] [--cache DIR] [-q]\n\n"
	"Download musl-dev:<arch>, linux-libc-dev-<arch>-cross and\n"
	"libgcc-12-dev-<arch>-cross with a private apt configuration (own lists and\n"
	"cache under the cache dir, APT::Architectures=<arch>, sources derived from\n"
	"the host's) and unpack them with dpkg-deb -x into CACHE/sysroot/<arch>,\n"
	"atomically and under a lock. Prints the sysroot path.\n\n"
	"Platforms Debian has no musl-dev for (see 'bbkit platforms', column musl)\n"
	"get musl built from its pristine source tarball in Debian's source archive\n"
	"(sha256-pinned) with clang for the target instead, into\n"
	"CACHE/sysroot/<arch>-musl-<version>; the build log is kept beside it.\n\n"
	"Every run checks a made sysroot against the record of what was unpacked\n"
	"(by lstat) and makes it again when it differs, naming the file.\n"
	"  --stamp FILE   write the sysroot's path and making time to FILE (only\n"
	"                 when they change) instead of printing the path\n" BBKIT_EXIT_CODES;

static const char *const host_suites[] = {"bookworm", "trixie", "sid",     "stable",
					  "testing",  "unstable", NULL};

static int unpack_all(const char *debdir, const char *dest, const char *log, int want,
		      struct bkerr *e)
{
	DIR *d = opendir(debdir);
	struct dirent *de;
	int r = 0, n = 0;
	if (!d)
		return bk_fail_errno(e, BK_ENV, "%s: cannot list downloads", debdir);
	while (!r && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char *deb;
		if (len < 5 || strcmp(de->d_name + len - 4, ".deb"))
			continue;
		deb = bk_xasprintf("%s/%s", debdir, de->d_name);
		{
			char *argv[] = {"dpkg-deb", "-x", deb, (char *)dest, NULL};
			r = bk_run(argv, NULL, log, NULL, e);
		}
		free(deb);
		n++;
	}
	closedir(d);
	if (!r && n != want)
		r = bk_fail(e, BK_ENV, "%s: expected %d packages, found %d; see %s", debdir, want, n,
			    log);
	return r;
}

/* musl from source into dest (a sysroot holding the -cross packages):
 * headers in usr/include/<musl triple>, crt*.o and libc.a in
 * usr/lib/<musl triple>, the layout Debian's musl-dev has. */
static int build_musl(struct ctx *c, const struct platform *p, const char *apt_etc,
		      const char *dest, const char *log, struct bkerr *e)
{
	const struct bk_version *mv = bk_musl_find(p->musl_src);
	struct src_spec s;
	char *tree = NULL, *bdir = NULL;
	int r;
	if (!mv)
		return bk_fail(e, BK_ENV, "%s: musl %s has no pinned sha256 (tables.c)", p->name,
			       p->musl_src);
	memset(&s, 0, sizeof s);
	s.package = "musl";
	s.ext = "gz";
	s.version = mv->version;
	s.sha256 = mv->sha256;
	s.suites[0] = mv->suite;
	s.apt_etc = apt_etc;
	s.hint = "check the host's apt sources";
	s.tree_version = bk_musl_tree_version;
	if ((r = source_ensure(c, &s, &tree, e)))
		return r;
	bdir = bk_xasprintf("%s/.musl-build", dest);
	if (!(r = bk_mkdirs(bdir, 0755, e))) {
		char *conf = bk_xasprintf("%s/configure", tree);
		char *target = bk_xasprintf("--target=%s", p->triple);
		char *inc = bk_xasprintf("--includedir=/usr/include/%s", p->musl_triple);
		char *lib = bk_xasprintf("--libdir=/usr/lib/%s", p->musl_triple);
		char *cc = bk_xasprintf("CC=clang --target=%s %s", p->triple, p->cflags);
		char *destdir = bk_xasprintf("DESTDIR=%s", dest);
		/* no cache path in libc.a (assert's __FILE__): reproducible anywhere */
		char *cflags = bk_xasprintf("CFLAGS=-ffile-prefix-map=%s=/musl-%s", tree, mv->version);
		char *jobs = bk_make_jobs(NULL);
		/* static only: busybox links statically, so no libc.so/ld.so
		 * and no LIBCC for them */
		char *cfg[] = {"sh", conf, target, "--prefix=/usr", inc, lib, "--syslibdir=/lib",
			       "--disable-shared", cc, cflags, "AR=llvm-ar", "RANLIB=llvm-ranlib", NULL};
		char *mk[] = {"make", jobs, NULL};
		char *inst[] = {"make", "install", destdir, NULL};
		progress(c, "%s: building musl %s from source with clang (log: %s)", p->name,
			 mv->version, log);
		r = bk_run(cfg, bdir, log, NULL, e);
		if (!r)
			r = bk_run(mk, bdir, log, NULL, e);
		if (!r)
			r = bk_run(inst, bdir, log, NULL, e);
		if (r)
			bk_fail_tail(e, log, 40, "%s: building musl %s", p->name, mv->version);
		free(conf);
		free(target);
		free(inc);
		free(lib);
		free(cc);
		free(destdir);
		free(cflags);
		free(jobs);
	}
	bk_rmtree(bdir);
	free(bdir);
	free(tree);
	return r;
}

/* dpkg's native architecture (read only). */
static int host_arch(const struct platform *p, char **out, struct bkerr *e)
{
	char *argv[] = {"dpkg", "--print-architecture", NULL};
	int r = bk_run_capture(argv, NULL, NULL, out, e);
	if (!r)
		(*out)[strcspn(*out, "\n")] = 0;
	else
		r = bk_fail(e, BK_ENV,
			    "%s: the host's architecture is needed to fetch the Architecture: all "
			    "-cross packages from its index, but %s; check that dpkg works",
			    p->name, e->msg);
	return r;
}

/* 1: the sysroot is as unpacked (its record, checked by lstat); -1: it is
 * not, with a progress line naming the first difference; 0: unreadable. */
static int intact(struct ctx *c, const struct platform *p, const char *dest)
{
	struct bk_damage d;
	struct bkerr e = {0, "", NULL};
	int r = bk_tree_check(dest, 0, &d, &e) ? (d.n ? -1 : 0) : 1;
	if (r < 0)
		progress(c, "%s: %s/%s: %s%s; making the sysroot again", p->name, dest, d.path[0],
			 d.why[0], d.n > 1 ? " (and more)" : "");
	bk_damage_free(&d);
	free(e.more);
	return r;
}

int sysroot_ensure(struct ctx *c, const struct platform *p, const char *apt_etc, char **out,
		   struct bkerr *e)
{
	char *base = bk_xasprintf("%s/sysroot", c->cache);
	/* a source-built musl is named: a new pin is a new sysroot */
	char *name = p->musl_src ? bk_xasprintf("%s-musl-%s", p->deb_arch, p->musl_src)
				 : bk_xstrdup(p->deb_arch);
	char *dest = bk_xasprintf("%s/%s", base, name);
	char *tmp = NULL, *debdir = NULL, *lock = NULL, *log = NULL, *lines = NULL;
	struct apt_repos repos = {NULL, 0};
	struct apt_private apt = {NULL, NULL, NULL};
	int r, lockfd = -1;
	*out = NULL;
	/* appears only by rename after a complete unpack, with its record */
	if (bk_is_dir(dest) && intact(c, p, dest) == 1)
		goto done_ok;
	if ((r = bk_mkdirs(base, 0755, e)))
		goto out;
	lock = bk_xasprintf("%s/.lock-%s", base, name);
	if ((r = bk_lock(lock, &lockfd, e)))
		goto out;
	if (bk_is_dir(dest)) {
		if ((r = intact(c, p, dest)) == 1)
			goto done_ok;
		if (r < 0) { /* damaged: aside (removed below as a stale temp dir), made anew */
			char *aside = bk_xasprintf("%s/.tmp-%s-damaged-%ld", base, name, (long)getpid());
			r = rename(dest, aside) ? bk_fail_errno(e, BK_ENV, "%s: cannot move aside", dest) : 0;
			free(aside);
			if (r)
				goto out;
		} else if ((r = bk_fail(e, BK_ENV, "%s: cannot check the sysroot", dest)))
			goto out;
	}
	{
		char *prefix = bk_xasprintf(".tmp-%s-", name);
		bk_remove_stale(base, prefix);
		free(prefix);
	}
	tmp = bk_xasprintf("%s/.tmp-%s-%ld", base, name, (long)getpid());
	debdir = bk_xasprintf("%s/debs", tmp);
	if ((r = bk_mkdirs(debdir, 0755, e)))
		goto out;
	if ((r = bk_apt_host_repos(apt_etc, host_suites, &repos, e)))
		goto out;
	{
		struct sbuf b;
		sb_init(&b);
		sb_add(&b, "");
		for (size_t i = 0; i < repos.n; i++) {
			const char *suites[] = {repos.v[i].suite, NULL};
			struct apt_repos one = {&repos.v[i], 1};
			char *l = bk_apt_lines(&one, "deb", suites);
			sb_add(&b, l);
			free(l);
		}
		lines = b.s;
	}
	apt.root = bk_xasprintf("%s/apt-%s", c->cache, p->deb_arch);
	apt.log = log = bk_xasprintf("%s/apt-%s/log", c->cache, p->deb_arch);
	/* Debian may not even have the architecture (bookworm has no mips):
	 * the -cross packages are Architecture: all, in the host's index */
	if (!p->musl_src)
		apt.archs = bk_xstrdup(p->deb_arch);
	else if ((r = host_arch(p, &apt.archs, e)))
		goto out;
	if ((r = bk_apt_setup(&apt, lines, e)))
		goto out;
	progress(c, "%s: updating private apt index (%s)", p->name, p->deb_arch);
	if ((r = bk_apt_update(&apt, e)))
		goto out;
	{
		char *pk1 = bk_xasprintf("linux-libc-dev-%s-cross", p->deb_arch);
		char *pk2 = bk_xasprintf("libgcc-12-dev-%s-cross", p->deb_arch);
		char *pk3 = p->musl_src ? NULL : bk_xasprintf("musl-dev:%s", p->deb_arch);
		const char *extra[] = {"-q", "download", pk1, pk2, pk3, NULL};
		char **argv = bk_apt_argv(&apt, "apt-get", extra);
		progress(c, "%s: downloading %s %s%s%s", p->name, pk1, pk2, pk3 ? " " : "",
			 pk3 ? pk3 : "");
		r = bk_run(argv, debdir, log, NULL, e);
		bk_argv_free(argv);
		free(pk1);
		free(pk2);
		free(pk3);
		if (r)
			goto out;
	}
	if ((r = unpack_all(debdir, tmp, log, p->musl_src ? 2 : 3, e)))
		goto out;
	bk_rmtree(debdir);
	if (p->musl_src) {
		char *mlog = bk_xasprintf("%s/%s.log", base, name);
		unlink(mlog);
		r = build_musl(c, p, apt_etc, tmp, mlog, e);
		free(mlog);
		if (r)
			goto out;
	}
	/* what was unpacked, so later runs can tell a damaged sysroot */
	if ((r = bk_tree_record(tmp, e)))
		goto out;
	if (rename(tmp, dest)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot move sysroot into place", dest);
		goto out;
	}
	progress(c, "%s: sysroot ready in %s", p->name, dest);
done_ok:
	*out = dest;
	dest = NULL;
	r = 0;
out:
	if (r && tmp)
		bk_rmtree(tmp);
	bk_unlock(lockfd);
	bk_apt_repos_free(&repos);
	free(apt.root);
	free(apt.archs);
	free(name);
	free(log);
	free(lines);
	free(tmp);
	free(debdir);
	free(lock);
	free(base);
	free(dest);
	return r;
}

int cmd_sysroot(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *plat = NULL, *apt_etc = "/etc/apt", *stamp = NULL;
	const struct platform *p;
	char *path;
	int r;
	const struct opt opts[] = {OPT_V("--apt-etc", &apt_etc), OPT_V("--stamp", &stamp), OPT_END};
	struct args pos = {&plat, 1, 1, 0, "PLATFORM (see 'bbkit platforms')"};
	if ((r = parse_args(c, argc, argv, opts, sysroot_usage, &pos)))
		return r < 0 ? 0 : r;
	if ((r = bk_platform_get(plat, &p, e)))
		return r;
	if ((r = sysroot_ensure(c, p, apt_etc, &path, e)))
		return r;
	if (stamp) {
		/* the sysroot and when it was made: rewritten only when that
		 * changes, so make rebuilds after a repair and never otherwise */
		char *rec = bk_xasprintf("%s/.bbkit-files", path), *text;
		struct stat st;
		if (stat(rec, &st))
			r = bk_fail_errno(e, BK_ENV, "%s: cannot stat", rec);
		else {
			text = bk_xasprintf("%s %lld.%09ld\n", path, (long long)st.st_mtim.tv_sec,
					    st.st_mtim.tv_nsec);
			r = bk_write_atomic(stamp, text, strlen(text), 0644, 1, NULL, e);
			free(text);
		}
		free(rec);
	} else
		printf("%s\n", path);
	free(path);
	return r;
}
