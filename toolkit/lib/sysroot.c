/* A private musl sysroot for a platform, from Debian packages downloaded
 * with a private apt configuration and unpacked with dpkg-deb -x (musl
 * built from its pinned source where Debian has no musl-dev). The host's
 * dpkg database and architectures are never touched.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "cache.h"
#include "apt.h"
#include "archive.h"
#include "fs.h"
#include "run.h"
#include "tables.h"
#include "toolchain.h"
#include "treerec.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a sysroot is made of, for SBOMs: one line per package,
 * "deb NAME VERSION ARCH SHA256" or "src NAME VERSION SHA256". */
#define SOURCES ".bbkit-sources"

/* name_version_arch.deb (version with %3a for ':') as a SOURCES line. */
static char *deb_line(const char *file, const char *path, struct bkerr *e)
{
	char *base = bk_xstrdup(file), *v, *a, hex[65];
	char *line = NULL;
	base[strlen(base) - 4] = 0;
	v = strchr(base, '_');
	a = v ? strchr(v + 1, '_') : NULL;
	if (v && a && !bk_sha256_file(path, hex, e)) {
		struct sbuf ver = {0};
		*v++ = 0;
		*a++ = 0;
		for (const char *p = v; *p; p++)
			if (!strncmp(p, "%3a", 3)) {
				sb_add(&ver, ":");
				p += 2;
			} else
				sb_addn(&ver, p, 1);
		line = bk_xasprintf("deb %s %s %s %s\n", base, ver.s, a, hex);
		free(ver.s);
	}
	free(base);
	return line;
}

static int unpack_all(const char *debdir, const char *dest, const char *log, int want,
		      struct bkerr *e)
{
	DIR *d = opendir(debdir);
	struct dirent *de;
	struct sbuf src = {0};
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
			char *line = deb_line(de->d_name, deb, e);
			r = bk_run(argv, NULL, log, NULL, e);
			if (line)
				sb_add(&src, line);
			free(line);
		}
		free(deb);
		n++;
	}
	closedir(d);
	if (!r && n != want)
		r = bk_fail(e, BK_ENV, "%s: expected %d packages, found %d; see %s", debdir, want, n,
			    log);
	if (!r) {
		char *path = bk_xasprintf("%s/" SOURCES, dest);
		r = bk_write_atomic(path, src.s ? src.s : "", src.len, 0644, 0, NULL, e);
		free(path);
	}
	free(src.s);
	return r;
}

/* musl from source into dest (a sysroot holding the -cross packages):
 * headers in usr/include/<musl triple>, crt*.o and libc.a in
 * usr/lib/<musl triple>, the layout Debian's musl-dev has. */
static int build_musl(const struct bk_env *env, const struct platform *p,
		      const struct bk_ccache *cc, const char *dest, const char *log,
		      struct bkerr *e)
{
	const struct bk_version *mv = bk_musl_find(p->musl_src);
	struct src_spec s;
	char *tree = NULL, *bdir = NULL;
	int r;
	if (!mv)
		return bk_fail(e, BK_ENV, "%s: musl %s has no pinned sha256 (pins.tsv)", p->name,
			       p->musl_src);
	memset(&s, 0, sizeof s);
	s.package = "musl";
	s.ext = "gz";
	s.version = mv->version;
	s.sha256 = mv->sha256;
	s.suites[0] = mv->suite;
	s.hint = "check the host's apt sources";
	s.tree_version = bk_musl_tree_version;
	if ((r = bk_source_ensure(env, &s, &tree, e)))
		return r;
	{
		char *path = bk_xasprintf("%s/" SOURCES, dest), *old = NULL, *text;
		size_t len = 0;
		bk_read_file(path, &old, &len, NULL);
		text = bk_xasprintf("%ssrc musl %s %s\n", old ? old : "", mv->version, mv->sha256);
		r = bk_write_atomic(path, text, strlen(text), 0644, 0, NULL, e);
		free(old);
		free(text);
		free(path);
		if (r) {
			free(tree);
			return r;
		}
	}
	bdir = bk_xasprintf("%s/.musl-build", dest);
	if (!(r = bk_mkdirs(bdir, 0755, e))) {
		char *conf = bk_xasprintf("%s/configure", tree);
		char *target = bk_xasprintf("--target=%s", p->triple);
		char *inc = bk_xasprintf("--includedir=/usr/include/%s", p->musl_triple);
		char *lib = bk_xasprintf("--libdir=/usr/lib/%s", p->musl_triple);
		/* through the compiler cache, as busybox's compiles: keyed relative
		 * to CACHE (the tree in CACHE/src, this build under
		 * CACHE/sysroot), so another CACHE's sysroot (a fresh clone's)
		 * hits what this one compiled; prefix-map values are not hashed */
		int cached = cc && cc->program;
		char *stats = bk_xasprintf("%s/ccache.stats", bdir);
		char **envp = cached ? bk_ccache_env(cc, env->cache, "clang", "musl", stats) : NULL;
		char *ccvar = bk_xasprintf("CC=%s%sclang --target=%s %s", cached ? cc->program : "",
					   cached ? " " : "", p->triple, p->cflags);
		char *destdir = bk_xasprintf("DESTDIR=%s", dest);
		/* no cache path in libc.a (assert's __FILE__): reproducible anywhere */
		char *cflags = bk_xasprintf("CFLAGS=-ffile-prefix-map=%s=/musl-%s", tree, mv->version);
		char *jobs = bk_make_jobs(NULL);
		/* static only: busybox links statically, so no libc.so/ld.so
		 * and no LIBCC for them */
		char *cfg[] = {"sh", conf, target, "--prefix=/usr", inc, lib, "--syslibdir=/lib",
			       "--disable-shared", ccvar, cflags, "AR=llvm-ar", "RANLIB=llvm-ranlib", NULL};
		char *mk[] = {"make", jobs, NULL};
		char *inst[] = {"make", "install", destdir, NULL};
		bk_say(&env->say, BK_SAY_PROGRESS,
		       "%s: building musl %s from source with clang (log: %s)", p->name, mv->version,
		       log);
		r = bk_run_env(cfg, envp, bdir, log, NULL, e);
		if (!r)
			r = bk_run_env(mk, envp, bdir, log, NULL, e);
		if (!r)
			r = bk_run_env(inst, envp, bdir, log, NULL, e);
		if (r)
			bk_fail_tail(e, log, 40, "%s: building musl %s", p->name, mv->version);
		else if (cached) {
			char *who = bk_xasprintf("%s: musl", p->name);
			bk_ccache_report(&env->say, cc, who, log, stats);
			free(who);
		}
		bk_argv_free(envp);
		free(stats);
		free(conf);
		free(target);
		free(inc);
		free(lib);
		free(ccvar);
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

struct job {
	const struct bk_env *env;
	const struct platform *p;
	const struct bk_ccache *cc;
	char *log;
};

/* The -cross packages (and musl-dev where Debian has it) into debdir. */
static int download(struct job *j, const char *debdir, struct bkerr *e)
{
	const struct platform *p = j->p;
	struct apt_repos repos = {NULL, 0};
	struct apt_private apt = {NULL, NULL, NULL};
	struct sbuf lines = {0};
	int r;
	if ((r = bk_apt_host_repos(j->env->apt_etc, bk_mirror_suites, &repos, e)))
		goto out;
	sb_add(&lines, "");
	for (size_t i = 0; i < repos.n; i++) {
		const char *suites[] = {repos.v[i].suite, NULL};
		struct apt_repos one = {&repos.v[i], 1};
		char *l = bk_apt_lines(&one, "deb", suites);
		sb_add(&lines, l);
		free(l);
	}
	apt.root = bk_cache_apt(j->env->cache, p->deb_arch);
	apt.log = j->log = bk_xasprintf("%s/log", apt.root);
	/* Debian may not even have the architecture (bookworm has no mips):
	 * the -cross packages are Architecture: all, in the host's index */
	if (!p->musl_src)
		apt.archs = bk_xstrdup(p->deb_arch);
	else if ((r = host_arch(p, &apt.archs, e)))
		goto out;
	if ((r = bk_apt_setup(&apt, lines.s, e)))
		goto out;
	bk_say(&j->env->say, BK_SAY_PROGRESS, "%s: updating private apt index (%s)", p->name,
	       p->deb_arch);
	if ((r = bk_apt_update(&apt, e)))
		goto out;
	{
		char *pk1 = bk_xasprintf("linux-libc-dev-%s-cross", p->deb_arch);
		char *pk2 = bk_xasprintf("libgcc-%s-dev-%s-cross", BK_GCC_CROSS, p->deb_arch);
		char *pk3 = p->musl_src ? NULL : bk_xasprintf("musl-dev:%s", p->deb_arch);
		const char *extra[] = {"-q", "download", pk1, pk2, pk3, NULL};
		char **argv = bk_apt_argv(&apt, "apt-get", extra);
		bk_say(&j->env->say, BK_SAY_PROGRESS, "%s: downloading %s %s%s%s", p->name, pk1, pk2,
		       pk3 ? " " : "", pk3 ? pk3 : "");
		r = bk_run(argv, debdir, j->log, NULL, e);
		bk_argv_free(argv);
		free(pk1);
		free(pk2);
		free(pk3);
	}
out:
	bk_apt_repos_free(&repos);
	free(apt.root);
	free(apt.archs);
	free(lines.s);
	return r;
}

/* The cache's make step: downloaded, unpacked and musl built in tmp. */
static int make(const char *tmp, const char *dest, const struct bk_damage *damage, void *arg,
		struct bkerr *e)
{
	struct job *j = arg;
	const struct platform *p = j->p;
	char *debdir = bk_xasprintf("%s/debs", tmp);
	int r;
	if (damage)
		bk_say(&j->env->say, BK_SAY_PROGRESS, "%s: %s/%s: %s%s; making the sysroot again",
		       p->name, dest, damage->path[0], damage->why[0],
		       damage->n > 1 ? " (and more)" : "");
	else if (bk_is_dir(dest)) /* made before bbkit recorded its packages */
		bk_say(&j->env->say, BK_SAY_PROGRESS,
		       "%s: %s has no record of its packages (" SOURCES "); making the sysroot again",
		       p->name, dest);
	if (!(r = bk_mkdirs(debdir, 0755, e)) && !(r = download(j, debdir, e)))
		r = unpack_all(debdir, tmp, j->log, p->musl_src ? 2 : 3, e);
	bk_rmtree(debdir);
	free(debdir);
	if (!r && p->musl_src) {
		char *mlog = bk_cache_log(dest);
		unlink(mlog);
		r = build_musl(j->env, p, j->cc, tmp, mlog, e);
		free(mlog);
	}
	return r;
}

/* Intact by its record, and naming what it was made of. */
static int current(const char *dest, void *arg)
{
	char *src = bk_xasprintf("%s/" SOURCES, dest);
	int ok = bk_exists(src);
	(void)arg;
	free(src);
	return ok;
}

int bk_sysroot_ensure(const struct bk_env *env, const struct platform *p,
		      const struct bk_ccache *cc, char **out, struct bkerr *e)
{
	struct job j = {env, p, cc, NULL};
	char *dest = bk_cache_sysroot(env->cache, p);
	int made, r = bk_cache_make(dest, 0, current, make, &j, &made, e);
	*out = NULL;
	if (!r && made)
		bk_say(&env->say, BK_SAY_PROGRESS, "%s: sysroot ready in %s", p->name, dest);
	if (!r)
		*out = dest;
	else
		free(dest);
	free(j.log);
	return r;
}
