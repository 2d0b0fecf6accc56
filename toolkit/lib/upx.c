/* UPX: built once into the cache from its pinned source (Debian's upx-ucl
 * orig tarball), and a busybox packed with it, tested, atomically.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "upx.h"
#include "toolchain.h"
#include "cache.h"
#include "fs.h"
#include "run.h"
#include "tables.h"
#include "treerec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "4.2.4" from src/version.h's UPX_VERSION_STRING. */
static int upx_tree_version(const char *tree, char *out, size_t n, struct bkerr *e)
{
	char *path = bk_xasprintf("%s/src/version.h", tree), *text, *p;
	int r = bk_read_file(path, &text, NULL, e);
	if (!r) {
		p = strstr(text, "UPX_VERSION_STRING");
		p = p ? strchr(p, '"') : NULL;
		if (!p || !strchr(p + 1, '"'))
			r = bk_fail(e, BK_ENV, "%s: no UPX_VERSION_STRING: not a UPX tree?", path);
		else
			snprintf(out, n, "%.*s", (int)(strchr(p + 1, '"') - p - 1), p + 1);
		free(text);
	}
	free(path);
	return r;
}

struct upx_job {
	const struct bk_env *env;
	const struct bk_ccache *cc;
};

/* cmake configure and build in bdir; the log kept. The compiles go
 * through the compiler cache when there is one, keyed relative to CACHE
 * (the tree in CACHE/src, bdir under CACHE/tools): another CACHE's UPX
 * hits them. */
static int build(const struct upx_job *j, const char *tree, const char *bdir, const char *log,
		 struct bkerr *e)
{
	const struct bk_ccache *cc = j->cc && j->cc->program ? j->cc : NULL;
	char *b = bk_xasprintf("-B%s", bdir), *s = bk_xasprintf("-S%s", tree);
	char *jobs = bk_make_jobs(NULL), *stats = bk_xasprintf("%s/ccache.stats", bdir);
	char *lc = cc ? bk_xasprintf("-DCMAKE_C_COMPILER_LAUNCHER=%s", cc->program) : NULL;
	char *lcxx = cc ? bk_xasprintf("-DCMAKE_CXX_COMPILER_LAUNCHER=%s", cc->program) : NULL;
	char **envp = cc ? bk_ccache_env(cc, j->env->cache, "g++", "upx", stats) : NULL;
	char *cfg[] = {"cmake", s, b, "-DCMAKE_BUILD_TYPE=Release", "-DUPX_CONFIG_DISABLE_GITREV=ON",
		       "-DUPX_CONFIG_DISABLE_WERROR=ON", lc, lcxx, NULL};
	char *mk[] = {"cmake", "--build", (char *)bdir, "--target", "upx", "--", jobs, NULL};
	int r = bk_run_env(cfg, envp, NULL, log, NULL, e);
	if (!r)
		r = bk_run_env(mk, envp, NULL, log, NULL, e);
	if (r)
		bk_fail_tail(e, log, 30, "building UPX %s with cmake", bk_upx_pin->version);
	else if (cc) {
		char *who = bk_xasprintf("UPX %s", bk_upx_pin->version);
		bk_ccache_report(&j->env->say, cc, who, log, stats);
		free(who);
	}
	bk_argv_free(envp);
	free(lc);
	free(lcxx);
	free(stats);
	free(b);
	free(s);
	free(jobs);
	return r;
}

/* The cache's make step: UPX built from its pinned source in TMP/build;
 * only the program stays (the build tree is large). */
static int make_upx(const char *tmp, const char *dest, const struct bk_damage *damage, void *arg,
		    struct bkerr *e)
{
	const struct upx_job *j = arg;
	const struct bk_debian *pin = bk_upx_pin;
	char *top = bk_xasprintf("upx-%s-src", pin->version), *tree = NULL, *log = bk_cache_log(dest);
	char *bdir = bk_xasprintf("%s/build", tmp), *built = bk_xasprintf("%s/upx", bdir);
	char *keep = bk_xasprintf("%s/upx", tmp);
	struct src_spec s;
	int r;
	if (damage)
		bk_say(&j->env->say, BK_SAY_PROGRESS, "%s/%s: %s; building UPX again", dest,
		       damage->path[0], damage->why[0]);
	memset(&s, 0, sizeof s);
	s.package = "upx-ucl"; /* Debian's source package */
	s.version = pin->version;
	s.sha256 = pin->sha256;
	s.suites[0] = pin->suite;
	s.file = pin->file;
	s.top = top;
	s.tree = top; /* CACHE/src/upx-V-src, as the tarball names it */
	s.tree_version = upx_tree_version;
	s.hint = "the pin in pins.tsv may be older than the mirror's upx-ucl";
	if (!bk_have_program("cmake") || !bk_have_program("g++"))
		r = bk_fail(e, BK_ENV, "cmake or g++: not found; UPX is built from source with them; "
				       "install cmake and g++ (make does, as root)");
	else if (!(r = bk_source_ensure(j->env, &s, &tree, e))) {
		unlink(log);
		bk_say(&j->env->say, BK_SAY_PROGRESS, "building UPX %s with cmake (log: %s)",
		       pin->version, log);
		if (!(r = bk_mkdirs(bdir, 0755, e)) && !(r = build(j, tree, bdir, log, e)) &&
		    rename(built, keep))
			r = bk_fail_errno(e, BK_ENV, "%s: cannot move", built);
		bk_rmtree(bdir);
	}
	free(top);
	free(tree);
	free(log);
	free(bdir);
	free(built);
	free(keep);
	return r;
}

/* Intact by its record, with the program in it. */
static int upx_current(const char *dest, void *arg)
{
	char *bin = bk_xasprintf("%s/upx", dest);
	int ok = !access(bin, X_OK);
	(void)arg;
	free(bin);
	return ok;
}

int bk_upx_ensure(const struct bk_env *env, const struct bk_ccache *cc, char **upx,
		  struct bkerr *e)
{
	struct upx_job j = {env, cc};
	char *dir = bk_cache_upx_dir(env->cache);
	int r = bk_cache_make(dir, 0, upx_current, make_upx, &j, NULL, e);
	*upx = r ? NULL : bk_cache_upx(env->cache);
	free(dir);
	return r;
}

int bk_upx_pack(const char *upx, const char *method, const char *in, const char *out,
		const char *log, struct bkerr *e)
{
	char *tmp = bk_tmp_name(out);
	char *pack_lzma[] = {(char *)upx, "-q", "--best", "--lzma", "--no-time", "-o", tmp, (char *)in, NULL};
	char *pack_nrv[] = {(char *)upx, "-q", "--best", "--no-time", "-o", tmp, (char *)in, NULL};
	char *test[] = {(char *)upx, "-q", "-t", tmp, NULL};
	int r;
	unlink(tmp);
	r = bk_run(!strcmp(method, "upx-lzma") ? pack_lzma : pack_nrv, NULL, log, NULL, e);
	if (r && bk_log_has(log, "AlreadyPackedException"))
		r = bk_fail(e, BK_REQUEST,
			    "%s: already packed with UPX; pack the unpacked binary (make keeps it as "
			    "busybox.unpacked beside busybox)", in);
	else if (r)
		bk_fail_tail(e, log, 10, "%s: packing with UPX", in);
	else if ((r = bk_run(test, NULL, log, NULL, e)))
		bk_fail_tail(e, log, 10, "%s: upx -t of the packed binary", out);
	/* 0755 whatever the umask, as every binary output */
	if (!r && chmod(tmp, 0755))
		r = bk_fail_errno(e, BK_ENV, "%s: chmod", tmp);
	if (!r && rename(tmp, out))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot write", out);
	if (r)
		unlink(tmp);
	bk_tmp_untrack(tmp);
	free(tmp);
	return r;
}
