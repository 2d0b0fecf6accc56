/* bbkit verify: busybox's own testsuite (testsuite/runtest) against a built
 * binary, natively or under qemu-user, gated by a committed baseline of known
 * failures (the engine: lib/testsuite.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/builddir.h"
#include "lib/fs.h"
#include "lib/tables.h"
#include "lib/testsuite.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char verify_usage[] =
	"usage: bbkit verify --builddir DIR --platform P [--binary FILE] [--src DIR]\n"
	"                    [--baseline FILE] [--applet NAME]... [--jobs N]\n"
	"                    [--timeout SECS] [--report FILE] [-q]\n\n"
	"Run busybox's own testsuite (testsuite/runtest) for every enabled applet\n"
	"that has tests, against the built binary: natively when the platform is\n"
	"the host's, else under the platform's qemu-user binary (qemu -0 keeps\n"
	"argv[0], so applet links work without binfmt_misc). Prints pass, fail and\n"
	"skip counts. A failure not in the baseline, or a baseline entry that\n"
	"passes now, fails the run.\n\n"
	"Work files and one log per applet: BUILDDIR/verify/. The tests run with\n"
	"LC_ALL=C (C.UTF-8 for a busybox that takes Unicode from the environment,\n"
	"FEATURE_CHECK_UNICODE_IN_ENV, as upstream's Unicode tests expect it on),\n"
	"TZ=UTC and SKIP_INTERNET_TESTS=1 (nothing here may use the network);\n"
	"SKIP_KNOWN_BUGS is cleared, so upstream's known bugs show up\n"
	"and belong in the baseline.\n";

#define MAX_APPLETS 64

static volatile sig_atomic_t interrupted;
static void on_signal(int sig)
{
	interrupted = sig;
}

/* The counts line, the report file, the gate's verdict. */
static int report(struct ctx *c, struct bk_testsuite *v, const char *path, struct bkerr *e)
{
	struct bk_ts_counts n;
	int r = 0;
	bk_testsuite_gate(v, &n, e);
	printf("%s: %d passed, %d failed (%d known, in the baseline), %d skipped; %zu applets in %.1fs\n",
	       v->pname, n.pass, n.fail, n.known, n.skip, v->todo.n, bk_now() - c->t0);
	fflush(stdout);
	if (path) {
		struct sbuf b;
		sb_init(&b);
		sb_add(&b, "");
		bk_testsuite_report(v, &n, &b);
		r = bk_write_atomic(path, b.s, b.len, 0644, 0, NULL, e);
		sb_free(&b);
	}
	if (!r && n.disagree)
		r = bk_fail(e, BK_REQUEST, "%s: %d result%s disagree%s with the baseline; logs in %s/logs",
			    v->pname, n.disagree, n.disagree == 1 ? "" : "s", n.disagree == 1 ? "s" : "",
			    v->work);
	return r;
}

/* The run itself, with INT, TERM and HUP stopping it cleanly. */
static int run(struct ctx *c, struct bk_testsuite *v, const char *path, struct bkerr *e)
{
	struct sigaction sa = {0}, old_int, old_term, old_hup;
	int r;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	if (!(r = bk_testsuite_run(v, &interrupted, e)))
		r = report(c, v, path, e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return r;
}

/* Parse, then check -> select -> plan -> run -> report. */
int cmd_verify(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *bdir = NULL, *binary = NULL, *src = NULL, *only[MAX_APPLETS];
	const char *path = NULL;
	int nonly = 0, r;
	struct bk_testsuite v = {0};
	struct bk_builddir *bd = NULL;
	struct bk_say say = ctx_say(c);
	const struct opt opts[] = {
		OPT_REQ("--builddir", &bdir, "DIR", "busybox build dir: .config and include/applets.h"),
		OPT_REQ("--platform", &v.pname, "P", "platform the binary was built for (bbkit platforms)"),
		OPT_V("--binary", &binary, "FILE", "the binary to test (default BUILDDIR/busybox)"),
		OPT_V("--src", &src, "DIR",
		      "busybox source tree with testsuite/ (default the cached\n"
		      "tree of the config's version)"),
		OPT_V("--baseline", &v.blpath, "FILE",
		      "known failures: PLATFORMS<TAB>APPLET<TAB>TEST<TAB>REASON\n"
		      "per line, PLATFORMS '*' or comma-separated names"),
		OPT_M("--applet", only, &nonly, MAX_APPLETS, "NAME",
		      "test only these applets (default all enabled)"),
		OPT_INT("--jobs", &v.jobs, "N", 1, 256, "applets tested at once (default: number of CPUs)"),
		OPT_INT("--timeout", &v.timeout, "SECS", 1, 86400,
			"per applet (default 600); a timeout is a failure"),
		OPT_V("--report", &path, "FILE",
		      "write every result (STATUS<TAB>APPLET<TAB>TEST), atomically"),
		OPT_END};
	if ((r = parse_args(c, argc, argv, opts, verify_usage, NULL)))
		return r < 0 ? 0 : r;
	if (!v.jobs) { /* the CPUs, within --jobs's range */
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		v.jobs = n < 1 ? 1 : n > 256 ? 256 : (int)n;
	}
	if (!v.timeout)
		v.timeout = 600;
	/* the platform is checked on the binary tested (--binary may come
	 * from elsewhere), not on the build dir's */
	if ((r = bk_platform_get(v.pname, &v.p, e)) || (r = bk_builddir_open(bdir, NULL, &bd, e)))
		return r;
	sb_init(&v.times);
	if (!(r = bk_testsuite_open(&v, c->cache, bd, src, binary, e)) &&
	    !(r = bk_testsuite_select(&v, only, nonly, e)) && !(r = bk_testsuite_plan(&v, &say, e)))
		r = run(c, &v, path, e);
	bk_testsuite_free(&v);
	bk_builddir_close(bd);
	return r;
}
