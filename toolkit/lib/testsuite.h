/* busybox's own testsuite against a built binary, gated by a baseline of
 * known failures (lib/testsuite.c): the engine of bbkit verify.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_TESTSUITE_H
#define BBKIT_TESTSUITE_H

#include "applets.h"
#include "baseline.h"
#include "bk.h"
#include "manifest.h"

#include <signal.h>

struct platform;

enum bk_ts_status { BK_TS_PASS, BK_TS_FAIL, BK_TS_SKIP };
extern const char *const bk_ts_status_name[]; /* "PASS", "FAIL", "SKIP" */

struct bk_ts_result {
	char *applet;
	char *test;
	enum bk_ts_status st;
	size_t order; /* applet's position in the run list, then output order */
};

struct bk_ts_results {
	struct bk_ts_result *v;
	size_t n, cap;
};

/* One result; a test name given twice counts once, any FAIL wins. */
void bk_ts_add(struct bk_ts_results *r, size_t order, const char *applet, const char *test,
	       enum bk_ts_status st);
/* One applet's runtest output (PASS:, FAIL:, SKIPPED:, UNTESTED: lines)
 * into r; returns how many FAIL lines it had. */
int bk_ts_parse_log(size_t order, const char *applet, const char *data, struct bk_ts_results *r);
/* DIR/logs/APPLET.log, the applet's name %-escaped past [A-Za-z0-9._-]
 * (caller frees). */
char *bk_ts_log_name(const char *dir, const char *applet);
/* The gate: every failure must be in the baseline bl (NULL: none), and no
 * baseline entry may pass. One problem in e per disagreement (a failure
 * names its log under work); returns how many; *known the failures the
 * baseline holds. */
int bk_ts_gate(const struct bk_ts_results *res, const struct baseline *bl, const char *platform,
	       const struct dotconfig *config, const char *work, int *known, struct bkerr *e);

struct bk_ts_slot;

/* One run: open -> select -> plan -> run -> gate (and report); free. */
struct bk_testsuite {
	/* given */
	const struct platform *p;
	const char *pname;  /* as the user named the platform */
	const char *blpath; /* the baseline, or NULL */
	int jobs, timeout;  /* applets at once; seconds per applet */
	/* found by open: absolute paths, the build dir's manifest and config */
	char *bdir, *src, *binary, *config, *work, *qemu, *bash;
	const struct manifest *m;  /* the build dir's, borrowed */
	const struct dotconfig *cfg;
	struct baseline bl;
	struct {
		char **v;
		size_t n;
	} todo; /* the applets to test, in run order */
	struct bk_ts_results res;
	struct bk_ts_slot *slots;
	struct sbuf times; /* "# 1.2s APPLET" lines */
};

/* Checks the inputs: the binary is this platform's (default BDIR/busybox),
 * the build dir has its manifest and config, the source tree (default
 * CACHE/src/busybox-VERSION) has the testsuite, bash (and qemu) are here. */
struct bk_builddir;
int bk_testsuite_open(struct bk_testsuite *v, const char *cache, struct bk_builddir *bd,
		      const char *src, const char *binary, struct bkerr *e);
/* The enabled applets (and busybox itself) that have tests, or of only[]
 * those that do, each of which must be enabled. */
int bk_testsuite_select(struct bk_testsuite *v, const char *const *only, int nonly,
			struct bkerr *e);
/* A fresh BDIR/verify, one prepared slot per job. */
int bk_testsuite_plan(struct bk_testsuite *v, const struct bk_say *say, struct bkerr *e);
/* Every selected applet's runtest, jobs at a time, each with its timeout;
 * *stop nonzero (a signal's number) stops them all. */
int bk_testsuite_run(struct bk_testsuite *v, const volatile sig_atomic_t *stop, struct bkerr *e);

struct bk_ts_counts {
	int pass, fail, skip, known, disagree;
};
/* Results sorted into run order, counted, and gated (problems in e). */
void bk_testsuite_gate(struct bk_testsuite *v, struct bk_ts_counts *n, struct bkerr *e);
/* The report file: a summary line, STATUS<TAB>APPLET<TAB>TEST per result,
 * the time per applet (appended to b). */
void bk_testsuite_report(const struct bk_testsuite *v, const struct bk_ts_counts *n, struct sbuf *b);
void bk_testsuite_free(struct bk_testsuite *v);

#endif
