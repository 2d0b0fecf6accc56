/* The cache (cache.c): where each entry lives under CACHE, the names of its
 * lock, temps and record, and the one protocol by which an entry is made or
 * reused. Source trees, sysroots, patched trees, UPX and copies of a shared
 * prepared build dir are entries; each module keeps only its make step.
 *
 * An entry DIR/NAME is made under the lock DIR/.lock-NAME in the temp
 * directory DIR/.tmp-NAME.PID (beside it, so the rename is atomic, hidden
 * so a listing shows entries only), recorded (NAME/.bbkit-files, treerec.c)
 * and swapped into place: it is never seen half-made, and a damaged or stale
 * one is made again, never half-used.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_CACHE_H
#define BBKIT_CACHE_H

#include "engine.h"

struct bk_damage;
struct platform;

/* --- layout: every path under CACHE (caller frees) ------------------------ */

/* CACHE/src/NAME: a source tree (busybox-1.38.0, musl-1.2.3, busybox-1.38.0-debian). */
char *bk_cache_src(const char *cache, const char *name);
/* CACHE/src/busybox-VERSION: busybox's pristine tree. */
char *bk_cache_busybox(const char *cache, const char *version);
/* PRISTINE+LABEL: a patched copy of a tree, beside it. */
char *bk_cache_patched(const char *pristine, const char *label);
/* CACHE/dl/FILE: a verified download. */
char *bk_cache_dl(const char *cache, const char *file);
/* CACHE/apt-NAME: a private apt configuration ("src" for deb-src, else a
 * Debian architecture). */
char *bk_cache_apt(const char *cache, const char *name);
/* CACHE/sysroot/ARCH, or ARCH-musl-VERSION for a source-built musl: a new
 * pin is a new sysroot. Its .bbkit-sources names every package it was
 * made of ("deb NAME VERSION ARCH SHA256", "src NAME VERSION SHA256"). */
char *bk_cache_sysroot(const char *cache, const struct platform *p);
/* CACHE/tools/upx-VERSION (the pinned UPX) and the program in it. */
char *bk_cache_upx_dir(const char *cache);
char *bk_cache_upx(const char *cache);
/* CACHE/probes (the clang wrapper's probe results), CACHE/ccache (the
 * default compiler cache), CACHE/names (every pinned version's symbol
 * names, for the resolver's suggestions). */
char *bk_cache_probes(const char *cache);
char *bk_cache_ccache(const char *cache);
char *bk_cache_names(const char *cache);
/* The build log of an entry that keeps one: DIR/NAME.log (sysroot, UPX:
 * named in their failure messages) or hidden, DIR/.NAME.log, where the
 * directory lists trees a user reads (patched trees in CACHE/src). */
char *bk_cache_log(const char *dest);
char *bk_cache_log_hidden(const char *dest);

/* --- names ---------------------------------------------------------------- */

/* DIR/.lock-NAME for DIR/NAME. */
char *bk_cache_lock_name(const char *dest);
/* DIR/.tmp-NAME.PID for DIR/NAME: this process's temp of it. */
char *bk_cache_temp_name(const char *dest);
/* Temps of DEST left by killed runs, in this naming and in the ones bbkit
 * used before (NAME.tmp.PID, .tmp-NAME-PID, .tmp-NAME-damaged-PID), removed;
 * a DEST.old.PID that bk_replace_dir left is put back when DEST is missing.
 * Call it holding DEST's lock. */
void bk_cache_sweep(const char *dest);

/* --- the record ----------------------------------------------------------- */

/* DEST as it was made: its record (.bbkit-files) lists every file as it is
 * now (by lstat; with full, by sha256 too). 0: intact. Damaged (a file
 * changed, added or missing, or no record at all): BK_ENV with *d naming
 * each difference (d->n > 0). Unreadable: BK_ENV with d->n == 0. */
int bk_cache_check(const char *dest, int full, struct bk_damage *d, struct bkerr *e);

/* --- the protocol --------------------------------------------------------- */

/* Whether DEST, intact by its record, is what is wanted now (a patched
 * tree of this patch set, a sysroot that names its packages); 1 yes. */
typedef int (*bk_cache_current_fn)(const char *dest, void *arg);
/* Fill TMP, an empty directory beside DEST, with what DEST is to hold.
 * damage is what was wrong with the DEST this replaces (NULL when there
 * was none, or it was only not current): a make step that must give the
 * repaired files a new time (kbuild rebuilds from them) reads it. */
typedef int (*bk_cache_make_fn)(const char *tmp, const char *dest, const struct bk_damage *damage,
				void *arg, struct bkerr *e);

enum {
	BK_CACHE_FULL = 1,      /* check every file's sha256, not only lstat */
	BK_CACHE_NO_RECORD = 2, /* DEST is not recorded: is_current alone says
				   (a build dir copied from a prepared one,
				   which kbuild changes as it builds) */
};

/* The one protocol: DEST current (record intact, is_current) is used as it
 * is; else under its lock: sweep, check again (another process may have
 * made it meanwhile), make in a temp dir, record, swap into place (DEST is
 * the old one or the new one, never missing nor half-made). On failure the
 * temp is removed and DEST left as it was. *made (may be NULL) says whether
 * this call made it. A DEST that exists but cannot be checked is an error. */
int bk_cache_make(const char *dest, int flags, bk_cache_current_fn is_current,
		  bk_cache_make_fn make, void *arg, int *made, struct bkerr *e);

#endif
