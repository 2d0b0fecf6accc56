/* Files (fs.c): reading, atomic writes, temp files a signal must not leave,
 * directory trees, locks.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_FS_H
#define BBKIT_FS_H

#include "bk.h"

#include <sys/types.h>

struct stat;

/* mkdir -p. */
int bk_mkdirs(const char *path, mode_t mode, struct bkerr *e);
/* The whole file, NUL-terminated (caller frees); len may be NULL. */
int bk_read_file(const char *path, char **data, size_t *len, struct bkerr *e);
/* Write via temp file + fsync + rename in the same directory. When
 * only_if_changed is set and the file already holds data, nothing is touched
 * (mtime kept). *changed (may be NULL) says whether the file was replaced. */
int bk_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		    int only_if_changed, int *changed, struct bkerr *e);
/* Copy a file atomically (temp + rename), keeping mode given. */
int bk_copy_atomic(const char *src, const char *dst, mode_t mode, int only_if_changed,
		   int *changed, struct bkerr *e);
/* path made a symbolic link to target, atomically (a link to a temp name
 * renamed over it); one already pointing there is left alone. */
int bk_symlink_atomic(const char *target, const char *path, struct bkerr *e);
int bk_rmtree(const char *path);
/* Every entry under top (not . or ..), each directory before what it holds:
 * visit(path, rel, lstat, name, arg, e) with rel relative to top; a non-zero
 * return stops the walk and is returned. (nftw has no user pointer.) */
typedef int (*bk_visit_fn)(const char *path, const char *rel, const struct stat *st,
			   const char *name, void *arg, struct bkerr *e);
int bk_walk(const char *top, bk_visit_fn visit, void *arg, struct bkerr *e);
/* Temporary outputs that a signal must not leave behind: a writer names its
 * temp file while it exists; bk_tmp_remove_all (async-signal-safe) unlinks
 * every named one, for the command line's SIGINT/SIGTERM/SIGHUP handler. */
void bk_tmp_track(const char *path);
void bk_tmp_untrack(const char *path);
void bk_tmp_remove_all(void);
/* "<path>.tmp.<pid>", tracked (the caller untracks and frees it); sweeps a
 * dead process's temp files first. */
char *bk_tmp_name(const char *path);
/* Remove "<name>.tmp.<pid>" and "<name>.old.<pid>" beside path whose
 * process is gone (what a SIGKILLed run left). */
void bk_tmp_sweep(const char *path);
/* The directory tmp becomes dest: with the previous dest, one
 * renameat2(RENAME_EXCHANGE) (dest is never missing), the old one then
 * removed; where the file system cannot exchange, the previous dest is moved
 * aside first and put back if the rename fails. SIGINT/SIGTERM/SIGHUP/SIGQUIT
 * are held during the swap; a run killed anyway leaves dest.old.PID, which
 * bk_tmp_sweep(dest) puts back when dest is missing. */
int bk_replace_dir(const char *tmp, const char *dest, struct bkerr *e);
/* Whether dir is a directory that can be read and holds no entry. */
int bk_dir_is_empty(const char *dir);
/* Whether dest may be replaced by a directory bbkit writes: absent, an empty
 * directory, or a directory holding `marker` (what bbkit's own output of
 * that kind always has). Anything else is the user's, never deleted: a
 * BK_REQUEST error naming dest and `what` it is not. */
int bk_replaceable_dir(const char *dest, const char *marker, const char *what, struct bkerr *e);
int bk_exists(const char *path);
int bk_is_dir(const char *path);
/* Exclusive advisory lock held until bk_unlock (or process death). */
int bk_lock(const char *path, int *fd, struct bkerr *e);
void bk_unlock(int fd);
/* bk_lock, but when another process holds it, waiting(arg) is called once
 * (to say so) before blocking. */
int bk_lock_or_wait(const char *path, int *fd, void (*waiting)(void *), void *arg,
		    struct bkerr *e);
/* Remove leftovers named prefix* in dir (stale temp dirs of killed runs). */
void bk_remove_stale(const char *dir, const char *prefix);
/* Directory of the running executable. */
char *bk_self_dir(void);

#endif
