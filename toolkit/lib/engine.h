/* The engines the commands are thin layers over: a verified source tree
 * (source.c), a private musl sysroot (sysroot.c), an allnoconfig'd build
 * dir (prepare.c); the resolver is lib/kconfig/resolver.h. Each reports
 * progress through env->say and never prints.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_ENGINE_H
#define BBKIT_ENGINE_H

#include "bk.h"

struct platform;

/* What a command hands an engine: the run-wide facts, read once by the
 * command layer (bbkit.c), never by an engine (no getenv in lib/). */
struct bk_env {
	struct bk_say say;
	const char *cache;   /* absolute */
	const char *apt_etc; /* host apt config that private apt setups derive
				from (--apt-etc, BK_APT_ETC_DEFAULT) */
};
#define BK_APT_ETC_DEFAULT "/etc/apt"

/* A pristine source tarball from Debian's source archive (or a local
 * tarball, or a URL), sha256-verified, extracted into CACHE/src. */
struct src_spec {
	const char *package, *version, *sha256; /* sha256 required */
	const char *ext;                         /* of the download: bz2, gz */
	const char *suites[4];                   /* Debian suites to look in */
	const char *tarball, *url;               /* optional */
	const char *hint;                        /* what to do when Debian lacks it */
	int verify_tree;                          /* hash a cached tree's every file */
	const char *file;                         /* exact file to get (Debian's
						     debian.tar.xz); NULL: the orig */
	const char *top;   /* the tarball's one top dir; NULL: package-version
			      (debian for a debian.tar.*) */
	const char *tree;  /* the tree's name in CACHE/src; NULL: package-version
			      (-debian for a debian.tar.*) */
	int (*tree_version)(const char *tree, char *out, size_t n, struct bkerr *e);
};
/* A verified source tree of s->package s->version in CACHE/src; *tree
 * gets its path. */
int bk_source_ensure(const struct bk_env *env, const struct src_spec *s, char **tree,
		     struct bkerr *e);
/* The upstream version of an extracted debian/ tree, from its changelog. */
int bk_debian_tree_version(const char *tree, char *out, size_t n, struct bkerr *e);

/* The sysroot of p in the cache (bk_cache_sysroot), made when missing or
 * damaged; musl built from source compiles through cc (NULL, or no
 * program: without a compiler cache). */
struct bk_ccache;
int bk_sysroot_ensure(const struct bk_env *env, const struct platform *p,
		      const struct bk_ccache *cc, char **out, struct bkerr *e);

/* allnoconfig in bdir (made if missing) for p, or for an empty bdir a copy
 * of the shared prepared dir; bdir/.config.allnoconfig is the result. */
int bk_prepare(const struct bk_env *env, const struct platform *p, const char *src,
	       const char *bdir, const char *shared, struct bkerr *e);

#endif
