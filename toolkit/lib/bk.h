/* bbkit shared library: never prints, never exits; every failure is returned
 * as an exit class plus a message in struct bkerr. Prefix bk_ (not bb_,
 * which reads like busybox's own libbb).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_BK_H
#define BBKIT_BK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit classes, shared by every command. */
enum {
	BK_OK = 0,     /* done */
	BK_REQUEST = 1,/* the request could not be honoured */
	BK_USAGE = 2,  /* bad command line */
	BK_ENV = 3,    /* environment or system problem */
};

/* Progress lines and notes from an engine: the command decides how (and
 * whether: -q) to show them. */
enum { BK_SAY_PROGRESS, BK_SAY_NOTE };
struct bk_say {
	void (*fn)(void *arg, int kind, const char *text);
	void *arg;
};
void bk_say(const struct bk_say *s, int kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* For bk_lock_or_wait: one progress line saying who waits where. */
struct bk_wait {
	const struct bk_say *say;
	const char *plat, *dir;
};
void bk_say_waiting(void *arg);

struct bkerr {
	int code;
	char msg[4096];
	char *more; /* further problem lines (heap, '\n'-separated), or NULL */
	size_t dropped; /* problems past BK_MAX_PROBLEMS, counted, not kept */
};

/* Problem lines kept (and printed); the rest are only counted: an input
 * that is not what it should be (a password file given as a list) never
 * has every line reported. */
#define BK_MAX_PROBLEMS 20

/* Record a failure; returns code so callers can `return bk_fail(...)`. */
int bk_fail(struct bkerr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, appending ": strerror(errno)". */
int bk_fail_errno(struct bkerr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add one more problem line (for commands that report every problem). */
void bk_problem(struct bkerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t bk_nproblems(const struct bkerr *e);

/* Growable string. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sb_init(struct sbuf *b);
void sb_add(struct sbuf *b, const char *s);
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct sbuf *b);

/* Append a copy of s to the string array (*v, *n) unless it is there. */
void bk_strv_add_unique(char ***v, size_t *n, const char *s);
/* qsort comparator for an array of strings. */
int bk_cmp_str(const void *a, const void *b);
/* v[0..n) joined with sep (caller frees; "" for none). */
char *bk_strv_join(char *const *v, size_t n, const char *sep);
/* A growing array of strings it owns (push takes a malloc'ed one). */
struct bk_vec {
	char **v;
	size_t n, cap;
};
void bk_vec_push(struct bk_vec *l, char *s);
void bk_vec_free(struct bk_vec *l);

/* Allocation that aborts on OOM is the only non-returning path (like xmalloc). */
void *bk_xmalloc(size_t n);
void *bk_xrealloc(void *p, size_t n);
char *bk_xstrdup(const char *s);
char *bk_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

double bk_now(void);

/* SOURCE_DATE_EPOCH, one rule for make and every command: digits only (no
 * sign, no space), 0 <= value <= BK_EPOCH_MAX (9999-12-31T23:59:59Z: a
 * four-digit year, what RFC 3339 readers such as skopeo take); NULL (unset)
 * is BK_EPOCH_DEFAULT, make's default too. Anything else is a BK_USAGE
 * error naming the value. */
#define BK_EPOCH_DEFAULT 946684800LL /* 2000-01-01T00:00:00Z */
#define BK_EPOCH_MAX 253402300799LL  /* 9999-12-31T23:59:59Z */
int bk_epoch_parse(const char *s, long long *out, struct bkerr *e);

/* sha256 of a file as lowercase hex. */
int bk_sha256_file(const char *path, char hex[65], struct bkerr *e);
int bk_sha256_buf(const void *data, size_t len, char hex[65], struct bkerr *e);

/* Extract a tar archive (any compression libarchive knows) into dest, which
 * must exist, dropping `strip` leading path components. Refuses absolute
 * paths and "..". */
/* Extract, dropping strip leading components; with top, every entry must
 * be under that one top directory (checked when strip is 1). */
int bk_tar_extract(const char *tarball, const char *dest, int strip, const char *top,
		   struct bkerr *e);

/* A record of an extracted tree, kept in it as .bbkit-files (lib/treerec.c):
 * written once the tree is complete; checked by lstat (cheap) or with every
 * file's sha256 (full). A failed check lists what differs, paths relative to
 * the tree; touch gives those paths the time now (so make rebuilds what was
 * built from them) and records the tree again. */
struct bk_damage {
	char **path, **why;
	size_t n;
};
int bk_tree_record(const char *dir, struct bkerr *e);
int bk_tree_check(const char *dir, int full, struct bk_damage *d, struct bkerr *e);
int bk_tree_touch(const char *dir, const struct bk_damage *d, struct bkerr *e);
void bk_damage_free(struct bk_damage *d);

/* apt: host source URIs and private configuration. */
struct apt_repo {
	char *uri;       /* e.g. http://host/debian */
	char *signed_by; /* may be NULL */
	char *suite;     /* first matching suite it serves */
};
struct apt_repos {
	struct apt_repo *v;
	size_t n;
};
/* Parse one sources file (one-line .list or deb822 .sources format, chosen by
 * the name's ending) and add every repository that serves one of `suites`
 * (NULL-terminated) for Types deb or deb-src. */
int bk_apt_parse_sources(const char *path, const char *const *suites, struct apt_repos *out,
			 struct bkerr *e);
/* All of etcdir/sources.list and etcdir/sources.list.d/{*.list,*.sources}. */
int bk_apt_host_repos(const char *etcdir, const char *const *suites, struct apt_repos *out,
		      struct bkerr *e);
void bk_apt_repos_free(struct apt_repos *r);
/* One line per repo × suite: "<type> [signed-by=...] uri suite main". */
char *bk_apt_lines(const struct apt_repos *r, const char *type, const char *const *suites);

struct apt_private {
	char *root;    /* directory holding etc/, lists/, cache/ */
	char *log;     /* log file for apt's output */
	char *archs;   /* APT::Architectures value, or NULL for host default */
};
/* Writes root/etc/sources.list from text and prepares directories. */
int bk_apt_setup(struct apt_private *a, const char *sources_text, struct bkerr *e);
/* Builds an argv for tool ("apt-get", "apt-cache", "/usr/lib/apt/apt-helper")
 * with the private options, followed by the NULL-terminated extra args. */
char **bk_apt_argv(const struct apt_private *a, const char *tool, const char *const *extra);
/* apt-get update with one retry; succeeds when at least some index arrived. */
int bk_apt_update(const struct apt_private *a, struct bkerr *e);
/* Download uri to dest (temp + rename done by caller). */
int bk_apt_download(const struct apt_private *a, const char *uri, const char *dest,
		    struct bkerr *e);
void bk_argv_free(char **argv);

/* busybox's kbuild in an O= build dir (see kbuild.c). bk_kbuild_setup runs
 * SRC/scripts/gen_build_files.sh for OBJ (output to log) unless the source
 * tree and the script's outputs are as its last run left them (*ran says
 * whether it ran), and puts an empty top-level Kbuild in OBJ. bk_kbuild_argv
 * is the make busybox's Makefile would start in OBJ for
 * `make -C SRC O=OBJ VARS GOAL`, told that gen_build_files is done; jobs may
 * be NULL. SRC and OBJ absolute. Free with bk_argv_free. */
int bk_kbuild_setup(const char *src, const char *obj, const char *log, int *ran,
		    struct bkerr *e);
char **bk_kbuild_argv(const char *src, const char *obj, const char *const *vars,
		      const char *goal, const char *jobs);
/* What kbuild cannot see, made stale in OBJ by hand: the link when the
 * sysroot (SYSROOT/.bbkit-files) is newer, libbb/messages.o when
 * include/autoconf.h is (see kbuild.c). */
void bk_kbuild_relink(const char *sysroot, const char *obj);
/* DIR/include/autoconf.h's empty AUTOCONF_TIMESTAMP (KCONFIG_NOTIMESTAMP)
 * given the date of epoch, as busybox's kconfig would write it from
 * SOURCE_DATE_EPOCH; *stamped (when not NULL) says whether it was empty. */
int bk_autoconf_stamp(const char *dir, long long epoch, int *stamped, struct bkerr *e);

/* Edit distance, for suggestions. */
int bk_levenshtein(const char *a, const char *b);

#endif
