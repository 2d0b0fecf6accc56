/* The cross toolchain of a build dir and the build through it
 * (lib/toolchain.c): the engine of bbkit build.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_TOOLCHAIN_H
#define BBKIT_TOOLCHAIN_H

#include "bk.h"

struct platform;

/* The compiler cache the wrapper hands compiles to: program NULL when off
 * (--no-ccache); dir its cache (default CACHE/ccache); remote ccache's
 * remote_storage (a shared store for a fleet), or NULL. */
struct bk_ccache {
	char *program;
	const char *dir, *remote;
	char *owned_dir; /* dir when it is the default (freed with it) */
};
/* The environment of compiles through cc that are not busybox's (the
 * musl of a sysroot, UPX), as the clang wrapper sets it for busybox's:
 * the caller's without any CCACHE_* of its own (a sloppiness could hand
 * back a stale object), cc's dir and remote, no config file, BASEDIR
 * (paths under it hashed relative: the same compile from another CACHE
 * hits), the namespace the identity of compiler (a program in PATH),
 * `what` and SOURCE_DATE_EPOCH, each call's counts appended to statslog.
 * NULL-terminated, freed by bk_argv_free. */
char **bk_ccache_env(const struct bk_ccache *cc, const char *basedir, const char *compiler,
		     const char *what, const char *statslog);
/* Those counts as a line in log and a progress line ("WHO: compiler
 * cache: N of M compiles hit"). */
void bk_ccache_report(const struct bk_say *say, const struct bk_ccache *cc, const char *who,
		      const char *log, const char *statslog);

/* clang, the platform's lld, llvm-strip, llvm-ar, make and gcc in PATH. */
int bk_toolchain_check(const struct platform *p, struct bkerr *e);

/* The sysroot as the wrapper names it: BDIR/.bbkit-sysroot, a link to it. */
#define BK_SYSROOT_LINK ".bbkit-sysroot"

/* BDIR/toolchain: the <triple>-clang wrapper (--target, --sysroot, lld, the
 * platform's flags, the tools' identity, the ccache settings), <triple>-ar
 * (llvm-ar, an empty new archive written itself) and
 * <triple>-{nm,strip,...,ld} links to llvm's tools, BDIR/.bbkit-sysroot
 * pointed at sysroot (bk_kbuild_link: another one before, all is compiled
 * and linked again); *bindir gets its path. sysroot and bdir absolute;
 * cache the cache root (probes). */
int bk_toolchain_install(const struct platform *p, const char *sysroot, const char *bdir,
			 const char *cache, const struct bk_ccache *cc, char **bindir,
			 struct bkerr *e);

/* One busybox build through that toolchain. */
struct bk_build {
	const struct platform *p;
	const char *src, *bdir;   /* absolute */
	const char *bindir;       /* bk_toolchain_install's */
	const char *jobs;         /* make's -j argument, or NULL */
	const char *out;          /* the stripped binary */
	const struct bk_ccache *cc;
	int show;                 /* progress inside the compile (a terminal) */
	long long epoch;          /* SOURCE_DATE_EPOCH: the banner's date */
};
/* busybox's make (log: BDIR/build.log) with SKIP_STRIP, then llvm-strip
 * into out atomically once the ELF checks pass. */
int bk_toolchain_build(const struct bk_say *say, const struct bk_build *b, struct bkerr *e);

/* The counts in ccache's stats log (one "# <source>" line per call, then
 * its counters): hits, misses, and the calls it could not cache. */
struct bk_cc_counts {
	long hit, miss, other;
};
void bk_ccache_counts(const char *statslog, struct bk_cc_counts *n);

#endif
