/* UPX: built once into the cache from its pinned source (Debian's upx-ucl
 * orig tarball), and a busybox packed with it, tested, atomically.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "upx.h"

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

/* cmake configure and build in bdir; the log kept. */
static int build(const char *tree, const char *bdir, const char *log, struct bkerr *e)
{
	char *b = bk_xasprintf("-B%s", bdir), *s = bk_xasprintf("-S%s", tree);
	char *jobs = bk_make_jobs(NULL);
	char *cfg[] = {"cmake", s, b, "-DCMAKE_BUILD_TYPE=Release", "-DUPX_CONFIG_DISABLE_GITREV=ON",
		       "-DUPX_CONFIG_DISABLE_WERROR=ON", NULL};
	char *mk[] = {"cmake", "--build", (char *)bdir, "--target", "upx", "--", jobs, NULL};
	int r = bk_run(cfg, NULL, log, NULL, e);
	if (!r)
		r = bk_run(mk, NULL, log, NULL, e);
	if (r)
		bk_fail_tail(e, log, 30, "building UPX %s with cmake", bk_upx_pin->version);
	free(b);
	free(s);
	free(jobs);
	return r;
}

int bk_upx_ensure(const struct bk_env *env, const char *apt_etc, char **upx, struct bkerr *e)
{
	const struct bk_debian *pin = bk_upx_pin;
	char *dir = bk_xasprintf("%s/tools/upx-%s", env->cache, pin->version);
	char *bin = bk_xasprintf("%s/upx", dir), *lock = bk_xasprintf("%s.lock", dir);
	char *log = bk_xasprintf("%s.log", dir), *tree = NULL, *tmp = NULL, *top = NULL;
	struct src_spec s;
	int r = 0, fd = -1;
	*upx = NULL;
	if (!access(bin, X_OK))
		goto done;
	{
		char *tools = bk_xasprintf("%s/tools", env->cache);
		r = bk_mkdirs(tools, 0755, e);
		free(tools);
	}
	if (r || (r = bk_lock(lock, &fd, e)) || !access(bin, X_OK))
		goto done;
	if (!bk_have_program("cmake") || !bk_have_program("g++")) {
		r = bk_fail(e, BK_ENV, "cmake or g++: not found; UPX is built from source with them; "
				       "install cmake and g++ (make does, as root)");
		goto done;
	}
	memset(&s, 0, sizeof s);
	s.package = "upx-ucl"; /* Debian's source package */
	s.version = pin->version;
	s.sha256 = pin->sha256;
	s.suites[0] = pin->suite;
	s.file = pin->file;
	s.apt_etc = apt_etc;
	top = bk_xasprintf("upx-%s-src", pin->version);
	s.top = top;
	s.tree = top; /* CACHE/src/upx-V-src, as the tarball names it */
	s.tree_version = upx_tree_version;
	s.hint = "the pin in pins.tsv may be older than the mirror's upx-ucl";
	if ((r = bk_source_ensure(env, &s, &tree, e)))
		goto done;
	{
		char *prefix = bk_xasprintf("upx-%s.tmp.", pin->version), *base = bk_xasprintf("%s/tools", env->cache);
		bk_remove_stale(base, prefix); /* of a killed run; we hold the lock */
		tmp = bk_xasprintf("%s/%s%ld", base, prefix, (long)getpid());
		free(prefix);
		free(base);
	}
	unlink(log);
	bk_say(&env->say, BK_SAY_PROGRESS, "building UPX %s with cmake (log: %s)", pin->version, log);
	{
		/* built in TMP/build; only the program stays (the build tree is large) */
		char *bdir = bk_xasprintf("%s/build", tmp), *built = bk_xasprintf("%s/upx", bdir);
		char *keep = bk_xasprintf("%s/upx", tmp);
		if (!(r = bk_mkdirs(bdir, 0755, e)) && !(r = build(tree, bdir, log, e)) &&
		    rename(built, keep))
			r = bk_fail_errno(e, BK_ENV, "%s: cannot move", built);
		bk_rmtree(bdir);
		if (!r && rename(tmp, dir))
			r = bk_fail_errno(e, BK_ENV, "%s: cannot move into place", dir);
		free(bdir);
		free(built);
		free(keep);
	}
	if (r)
		bk_rmtree(tmp);
done:
	if (!r)
		*upx = bk_xstrdup(bin);
	bk_unlock(fd);
	free(dir);
	free(bin);
	free(lock);
	free(log);
	free(tree);
	free(tmp);
	free(top);
	return r;
}

int bk_upx_method_ok(const char *method)
{
	return !strcmp(method, "upx") || !strcmp(method, "upx-lzma");
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
