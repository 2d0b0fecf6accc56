/* bbkit scan: the applets and features shell scripts (and a Dockerfile's
 * shell) need, derived from a real parse (shfmt --to-json, run as a child,
 * script text on its stdin) and busybox's own source of the pinned version:
 * the //applet: table, ash's builtintab and each applet's //usage: text.
 * Nothing in a scanned file is ever executed. Returns data, never prints.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_SCAN_H
#define BBKIT_SCAN_H

#include "applets.h"
#include "bk.h"

struct scan_use {
	char *file;
	int line;
	char *what; /* "ls --color", "echo (ash builtin)" */
};

enum { SCAN_APPLET, SCAN_SYMBOL };
/* One line of the list the scripts need, with every use that needs it. */
struct scan_need {
	char *word; /* applet name or config symbol (no CONFIG_) */
	int kind;
	struct scan_use *uses;
	size_t nuses;
	char *group; /* busybox's menu title ("Networking Utilities") */
	int order;   /* of that menu, as make list prints them */
};

/* A finding that is no list line. */
enum {
	SCAN_NOT_BUSYBOX, /* no applet or builtin of that name */
	SCAN_DYNAMIC,     /* the command word is not a literal */
	SCAN_BAD_OPTION,  /* busybox's applet has no such option */
	SCAN_UNFOLLOWED,  /* . FILE / source FILE not among the inputs */
	SCAN_ROOTFS,      /* no applet, but an ELF program of --rootfs */
	SCAN_NO_ASH,      /* shell syntax busybox ash does not parse */
	SCAN_IGNORED,     /* a config line the busybox applet ignores */
};
struct scan_note {
	int kind;
	char *word;
	struct scan_use use;
};

/* One command word as the scan read it (--words): every use, in the order
 * found. how: "applet", "builtin" (of ash), "function" (defined in a
 * scanned file), "busybox" (the multi-call binary itself), "rootfs" (an ELF
 * program of --rootfs), "not-busybox", "dynamic" (not a literal). */
struct scan_word {
	char *word;
	const char *how;
	struct scan_use use;
};

struct scan_result {
	struct scan_need *needs; /* applets first, then symbols, each sorted */
	size_t nneeds;
	struct scan_word *words; /* every command word, in the order found */
	size_t nwords;
	struct scan_note *notes; /* in the order found */
	size_t nnotes;
	size_t nfiles;
};

struct scan_opts {
	const char *src;          /* busybox source tree of the pinned version */
	const char *const *files; /* shell scripts */
	size_t nfiles;
	const char *dockerfile;   /* or NULL */
	const char *shfmt;        /* program name or path (default "shfmt") */
	const char *rootfs;       /* --rootfs DIR or TAR, or NULL */
};

/* --rootfs: an index of a rootfs directory (lstat only) or tarball
 * (libarchive, entries read as data); paths resolve inside it as in a
 * chroot, never out of it, a link loop is ELOOP. */
struct scan_rootfs;
int bk_scan_rootfs_open(const char *name, struct scan_rootfs **r, struct bkerr *e);
void bk_scan_rootfs_free(struct scan_rootfs *r);
/* "/usr/bin/NAME" when an ELF regular file of that name is in bin/, sbin/,
 * usr/bin/, usr/sbin/ or usr/local/bin/ (after links inside the rootfs),
 * else NULL. Caller frees. */
char *bk_scan_rootfs_program(const struct scan_rootfs *r, const char *name);
/* The text of a regular, non-ELF file at absolute path: 0, or ENOENT,
 * ELOOP, EINVAL (not a text file), EFBIG (larger than 1 MB). */
int bk_scan_rootfs_read(const struct scan_rootfs *r, const char *path, char **text, size_t *len);

/* Scan; a file that does not parse (or is not text) is a BK_REQUEST error
 * naming file:line and the parser's message. */
int bk_scan(const struct scan_opts *o, struct scan_result *r, struct bkerr *e);
void bk_scan_free(struct scan_result *r);

/* --check: every need the resolved config lacks becomes a problem line of e
 * (file:line of the first use, and the list line to add); returns BK_REQUEST
 * when any, else 0. apps: the tree's applet table (for applet lines). */
int bk_scan_check(const struct scan_result *r, const struct dotconfig *config, const char *cfgname,
		  const char *src, struct bkerr *e);

/* Check each row of the table of what applets run that the source cannot
 * show by a literal (udhcpc runs sh: its default script) against the tree
 * src: BK_REQUEST naming each row whose evidence is not there. */
int bk_scan_verify_runs(const char *src, struct bkerr *e);

#endif
