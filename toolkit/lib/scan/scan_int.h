/* The scan engine's own header: what its files share (scan.c: bk_scan and
 * the results; db.c: busybox's source read into struct db; usage.c,
 * getopt.c, longopts.c: an applet's options; runs.c: what applets run;
 * syntax.c: shell syntax ash gates; conf.c: init's, inetd's, modprobe's
 * and mount's readers; shell.c: shfmt's AST walked; words.c: command
 * words; docker.c: a Dockerfile). Only they include it; commands see
 * ../scan.h.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_SCAN_INT_H
#define BBKIT_SCAN_INT_H

#include "../scan.h"

#include <jansson.h>

#define MAX_DEPTH 8       /* sh -c "sh -c '...'" nesting */

/* ---- what busybox's source says ---------------------------------------- */

struct opt_info {
	char *app;  /* applet's main ("ls", "find") */
	char *opt;  /* "-z", "--color", "-exec" */
	char *sym;  /* IF_ symbol around it, or NULL */
	int arg;    /* takes an argument ("-n N") */
	int help_sym; /* sym is help's (//usage: IF_X) */
};
/* An applet that runs another program: ifup runs run-parts. */
struct run {
	char *app, *prog;
	char *where; /* "networking/ifupdown.c:1195" or the table row's why */
};
struct builtin {
	char *name;
	struct bk_vec syms; /* ENABLE_ symbols of the #if around its entry */
};

/* Shell syntax busybox ash gates behind a config symbol, or never parses:
 * the rows of syntax.c's syntax_table. */
enum { SY_ARITH, SY_PATSUBST, SY_SUBSTR, SY_DSQUOTE, SY_HERESTR, SY_REDIRALL, SY_FUNCTION, SY_PROCSUBST,
       SY_ARRAY, SY_BRACE, SY_ARITHCMD, SY_APPENDALL, SY_INDIRECT, SY_CASEMOD, SY_EXTGLOB, SY_SELECT,
       SY_COPROC, SY_N };
struct syntax {
	int ok;             /* this ash parses it */
	struct bk_vec syms; /* the symbols it needs */
};

/* Applets that run what a config file names (init: inittab, inetd:
 * inetd.conf, modprobe: modprobe.conf, mount: mount.TYPE helpers): each
 * fact read off a literal of the applet's source, where it is, the string
 * there (a path, a character set) and the symbols of the #if around it
 * (the rows: conf.c's gate_table). */
enum { G_INITTAB, G_INITSH, G_INETD, G_INETD_EXEC, G_MODPROBE, G_MOUNT_HELPER, G_MOUNT_HASH, G_N };
struct gate {
	char *where;        /* "init/init.c:674", NULL when the tree lacks it */
	char *value;        /* the literal after the anchor ("/etc/inittab") */
	struct bk_vec syms; /* #if lines open there and ENABLE_ on its line */
};
struct db {
	struct applets apps;
	struct builtin *bi;
	size_t nbi;
	struct syntax syntax[SY_N];
	struct gate gates[G_N];
	struct bk_vec modprobe_kw; /* the modprobe.conf keywords modprobe.c reads */
	char *libbb;               /* include/libbb.h (FILEUTILS_CP_OPTSTR, ...) */
	struct opt_info *opts;
	size_t nopts, capopts;
	struct bk_vec syms; /* every Kconfig symbol the tree defines */
	struct run *runs;   /* applets that run other programs */
	size_t nruns;
	struct bk_vec own_name, own_dir; /* applet or symbol -> its directory */
};

/* ---- walking the AST --------------------------------------------------- */

/* A use found in the text, resolved once every file is read (a function
 * defined in any scanned file is no applet). */
enum { P_COMMAND, P_OPTION, P_BADOPT, P_NOTE, P_SYNTAX };
struct pending {
	int kind, exec, note; /* note: P_NOTE's kind, P_SYNTAX's syntax_table row */
	char *name; /* command word (basename) */
	char *sym;  /* P_OPTION: the feature symbol */
	struct scan_use use;
};

struct scanner {
	const struct scan_opts *o;
	struct db db;
	struct pending *p;
	size_t np, capp;
	struct bk_vec funcs;
	struct scan_rootfs *root;
	struct bk_vec followed; /* rootfs files . FILE read already */
	struct bkerr *e;
	int failed;
};

struct src {
	const char *file;
	const char *text;
	size_t len;
	int lineoff, depth;
};

struct word {
	char *lit; /* literal value, or NULL */
	char *raw; /* the text as written (for messages) */
	int line;
};

/* ---- db.c: busybox's source tree read ---- */
/* "#if ENABLE_ASH_TEST || BASH_TEST2": the ENABLE_ symbols (ash.c's #defines
 * of other names followed while level < 3) */
void sc_cond_syms(const char *ash, const char *expr, struct bk_vec *out, int level);
/* The #if lines open at position at of text, outermost first: where each
 * directive starts ("if ENABLE_X", "ifdef X"), its condition (after the
 * directive's word), and whether an #else/#elif of it was passed. */
struct sc_if {
	const char *dir, *cond;
	int elsed;
};
#define SC_MAX_IFS 32
int sc_ifs_open(const char *text, const char *at, struct sc_if ifs[SC_MAX_IFS]);
void sc_open_ifs(const char *text, const char *at, struct bk_vec *out);
int sc_db_load(const char *src, struct db *d, struct bkerr *e);
void sc_db_free(struct db *d);
const struct applet *sc_db_applet(const struct db *d, const char *name);
const struct builtin *sc_db_builtin(const struct db *d, const char *name);

/* ---- usage.c, getopt.c, longopts.c: an applet's options ---- */
void sc_add_opt(struct db *d, const char *app, const char *opt, size_t n, const char *sym, int arg, int help);
void sc_usage_text(struct db *d, const char *text, const char *suffix);
void sc_getopt_text(struct db *d, const char *text, size_t app0);
void sc_longopts(struct db *d, const char *text, size_t app0);

/* ---- runs.c: what applets run ---- */
void sc_code_runs(struct db *d, const char *rel, const char *text, size_t app0);
void sc_table_runs(struct db *d);
void sc_rootfs_udhcpc_script(struct scanner *s);

/* ---- syntax.c: shell syntax ash gates ---- */
void sc_ash_syntax(struct db *d, const char *ash);
void sc_node_syntax(struct scanner *s, const struct src *f, json_t *n, const char *t);

/* ---- conf.c: what init, inetd, modprobe and mount read and run ---- */
void sc_conf_gates(struct db *d, const char *rel, const char *text);
int sc_verify_gates(const char *src, int bad, struct bkerr *e);
int sc_conf_kind(const char *path);
int sc_scan_conf(struct scanner *s, const char *file, const char *text, size_t len, int kind, int depth);
void sc_rootfs_confs(struct scanner *s);
void sc_mount_helpers(struct scanner *s, const struct src *f, struct word *w, size_t j, size_t n);

/* ---- shell.c: parsing, the AST walked, rootfs files followed ---- */
void sc_add_pending(struct scanner *s, int kind, const char *name, int exec, const char *sym,
		    const struct src *f, int line, char *what, int note);
int sc_jline(json_t *n);
int sc_scan_text(struct scanner *s, const char *file, const char *text, size_t len, int lineoff,
		 int depth);
void sc_shebang(struct scanner *s, const char *file, const char *text);
int sc_is_func(struct scanner *s, const char *name);
int sc_was_followed(const struct scanner *s, const char *path);
int sc_runs_applet(struct scanner *s, const char *app);
void sc_source_rootfs(struct scanner *s, const struct src *f, const char *name, struct word *w);
void sc_run_rootfs_script(struct scanner *s, int depth, const char *path);

/* ---- words.c: command words through their wrappers ---- */
const char *sc_base(const char *p);
int sc_is_shell(const char *n);
void sc_command_at(struct scanner *s, const struct src *f, struct word *w, size_t i, size_t n,
		   int exec);

/* ---- docker.c ---- */
int sc_scan_dockerfile(struct scanner *s, const char *file);

#endif
