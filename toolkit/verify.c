/* bbkit verify: busybox's own testsuite (testsuite/runtest) against a built
 * binary, natively or under qemu-user, gated by a committed baseline of known
 * failures (the engine: lib/testsuite.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/builddir.h"
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
	"  --builddir DIR   busybox build dir: .config and include/applets.h\n"
	"  --platform P     platform the binary was built for (bbkit platforms)\n"
	"  --binary FILE    the binary to test (default BUILDDIR/busybox)\n"
	"  --src DIR        busybox source tree with testsuite/ (default the cached\n"
	"                   tree of the config's version)\n"
	"  --baseline FILE  known failures: PLATFORMS<TAB>APPLET<TAB>TEST<TAB>REASON\n"
	"                   per line, PLATFORMS '*' or comma-separated names\n"
	"  --applet NAME    test only these applets (repeatable; default all enabled)\n"
	"  --jobs N         applets tested at once (default: number of CPUs)\n"
	"  --timeout SECS   per applet (default 600); a timeout is a failure\n"
	"  --report FILE    write every result (STATUS<TAB>APPLET<TAB>TEST), atomically\n\n"
	"Work files and one log per applet: BUILDDIR/verify/. The tests run with\n"
	"LC_ALL=C (C.UTF-8 for a busybox that takes Unicode from the environment,\n"
	"FEATURE_CHECK_UNICODE_IN_ENV, as upstream's Unicode tests expect it on),\n"
	"TZ=UTC and SKIP_INTERNET_TESTS=1 (nothing here may use the network);\n"
	"SKIP_KNOWN_BUGS is cleared, so upstream's known bugs show up\n"
	"and belong in the baseline.\n" BBKIT_EXIT_CODES;

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
	const char *jobs_s = NULL, *timeout_s = NULL, *path = NULL;
	int nonly = 0, r;
	struct bk_testsuite v = {0};
	struct bk_builddir *bd = NULL;
	struct bk_say say = ctx_say(c);
	const struct opt opts[] = {OPT_REQ("--builddir", &bdir), OPT_REQ("--platform", &v.pname),
				   OPT_V("--binary", &binary),	   OPT_V("--src", &src),
				   OPT_V("--baseline", &v.blpath),  OPT_M("--applet", only, &nonly, MAX_APPLETS),
				   OPT_V("--jobs", &jobs_s),	   OPT_V("--timeout", &timeout_s),
				   OPT_V("--report", &path),        OPT_END};
	if ((r = parse_args(c, argc, argv, opts, verify_usage, NULL)))
		return r < 0 ? 0 : r;
	v.jobs = jobs_s ? atoi(jobs_s) : (int)sysconf(_SC_NPROCESSORS_ONLN);
	v.timeout = timeout_s ? atoi(timeout_s) : 600;
	if (v.jobs < 1 || v.jobs > 256 || (jobs_s && strspn(jobs_s, "0123456789") != strlen(jobs_s)))
		return usage_error(c, "--jobs %s: want a number from 1 to 256", jobs_s ? jobs_s : "");
	if (v.timeout < 1 || (timeout_s && strspn(timeout_s, "0123456789") != strlen(timeout_s)))
		return usage_error(c, "--timeout %s: want a number of seconds", timeout_s);
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
