/* busybox's own testsuite (testsuite/runtest) against a built binary,
 * natively or under qemu-user, gated by a committed baseline of known
 * failures: the engine of bbkit verify.
 *
 * Each applet with tests runs in its own `runtest APPLET`, so every result
 * line belongs to one applet; up to v->jobs of them run at once, each in a
 * private copy of the testsuite and its own bindir (runtest keeps state in
 * both). For a foreign platform bindir/busybox is a wrapper that runs the
 * binary under qemu with "-0 $0", so the applet links runtest makes work
 * without binfmt_misc.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "testsuite.h"
#include "builddir.h"
#include "cache.h"
#include "elf.h"
#include "fs.h"
#include "run.h"
#include "tables.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *const bk_ts_status_name[] = {"PASS", "FAIL", "SKIP"};

void bk_ts_add(struct bk_ts_results *r, size_t order, const char *applet, const char *test,
		       enum bk_ts_status st)
{
	/* a test name printed twice counts once; any FAIL wins */
	for (size_t i = 0; i < r->n; i++) {
		if (!strcmp(r->v[i].applet, applet) && !strcmp(r->v[i].test, test)) {
			if (st == BK_TS_FAIL || (st == BK_TS_PASS && r->v[i].st == BK_TS_SKIP))
				r->v[i].st = st;
			return;
		}
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->v = bk_xrealloc(r->v, r->cap * sizeof *r->v);
	}
	r->v[r->n].applet = bk_xstrdup(applet);
	r->v[r->n].test = bk_xstrdup(test);
	r->v[r->n].order = order << 20 | (r->n & 0xfffff);
	r->v[r->n++].st = st;
}

static int by_order(const void *a, const void *b)
{
	size_t x = ((const struct bk_ts_result *)a)->order, y = ((const struct bk_ts_result *)b)->order;
	return x < y ? -1 : x > y;
}

/* Parse one applet's runtest output; returns how many FAIL lines it had. */
int bk_ts_parse_log(size_t order, const char *applet, const char *data, struct bk_ts_results *r)
{
	static const struct {
		const char *prefix;
		enum bk_ts_status st;
	} kinds[] = {{"PASS: ", BK_TS_PASS}, {"FAIL: ", BK_TS_FAIL}, {"SKIPPED: ", BK_TS_SKIP},
		     {"UNTESTED: ", BK_TS_SKIP}};
	int fails = 0;
	for (const char *p = data; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			size_t pl = strlen(kinds[k].prefix);
			if (n > pl && !strncmp(p, kinds[k].prefix, pl)) {
				char *test = strndup(p + pl, n - pl);
				bk_ts_add(r, order, applet, test, kinds[k].st);
				fails += kinds[k].st == BK_TS_FAIL;
				free(test);
				break;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return fails;
}

static int has_tests(const char *src, const char *applet)
{
	char *a = bk_xasprintf("%s/testsuite/%s.tests", src, applet);
	char *b = bk_xasprintf("%s/testsuite/%s", src, applet);
	int r = bk_exists(a) || bk_is_dir(b);
	free(a);
	free(b);
	return r;
}

/* A file name for an applet's log ("[" and "[[" are applets). */
char *bk_ts_log_name(const char *dir, const char *applet)
{
	struct sbuf b;
	sb_init(&b);
	sb_addf(&b, "%s/logs/", dir);
	for (const char *s = applet; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    *s == '.' || *s == '-' || *s == '_')
			sb_addn(&b, s, 1);
		else
			sb_addf(&b, "%%%02x", (unsigned char)*s);
	}
	sb_add(&b, ".log");
	return b.s;
}

/* The scripts say #!/bin/sh but are written for bash (printf "\x01",
 * echo -ne in fixtures): run them with bash, the same on every host,
 * whatever /bin/sh is. Bash in POSIX mode, as a /bin/sh would be: there
 * "time -f FMT cmd" is the time applet, not bash's time keyword (which
 * took "-f" for a command and failed every time.tests case). Old-style
 * tests already get that mode: they run as "sh -x -e", and bash started as
 * sh is POSIX. Only the private copy is changed. */
static int use_bash(const char *dir, struct bkerr *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;
	if (!d)
		return bk_fail_errno(e, BK_ENV, "%s: cannot list", dir);
	while (!r && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *path, *data;
		size_t len;
		if (strcmp(de->d_name, "runtest") && (n < 6 || strcmp(de->d_name + n - 6, ".tests")))
			continue;
		path = bk_xasprintf("%s/%s", dir, de->d_name);
		if (!bk_read_file(path, &data, &len, NULL)) {
			if (len > 10 && !strncmp(data, "#!/bin/sh\n", 10)) {
				struct sbuf b;
				sb_init(&b);
				sb_add(&b, "#!/bin/bash --posix\n");
				sb_addn(&b, data + 10, len - 10);
				r = bk_write_atomic(path, b.s, b.len, 0755, 0, NULL, e);
				sb_free(&b);
			}
			free(data);
		}
		free(path);
	}
	closedir(d);
	return r;
}

/* One worker directory, laid out like an in-tree build dir (some tests read
 * ../../busybox from testsuite/.tmpdir.APPLET): busybox, .config, a private
 * testsuite copy; it is runtest's bindir. */
static int setup_slot(const char *slot, const char *src, const char *binary, const char *config,
		      const char *qemu, const char *bash, struct bkerr *e)
{
	char *p = NULL;
	char *cp[] = {"cp", "-pPR", NULL, NULL, NULL};
	int r;
	bk_rmtree(slot);
	if ((r = bk_mkdirs(slot, 0755, e)))
		goto out;
	/* old-style tests run as "sh -x -e CASE" from PATH, which starts at
	 * bindir: bash there too */
	p = bk_xasprintf("%s/sh", slot);
	if (symlink(bash, p)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot link to %s", p, bash);
		goto out;
	}
	free(p);
	p = bk_xasprintf("%s/.config", slot);
	if ((r = bk_copy_atomic(config, p, 0644, 0, NULL, e)))
		goto out;
	free(p);
	if (qemu) {
		char *script;
		p = bk_xasprintf("%s/busybox.bin", slot);
		if ((r = bk_copy_atomic(binary, p, 0755, 0, NULL, e)))
			goto out;
		/* $0 is the link runtest's PATH found: busybox picks the applet by it */
		script = bk_xasprintf("#!/bin/sh\nexec %s -0 \"$0\" %s \"$@\"\n", qemu, p);
		free(p);
		p = bk_xasprintf("%s/busybox", slot);
		r = bk_write_atomic(p, script, strlen(script), 0755, 0, NULL, e);
		free(script);
		if (r)
			goto out;
	} else {
		p = bk_xasprintf("%s/busybox", slot);
		if ((r = bk_copy_atomic(binary, p, 0755, 0, NULL, e)))
			goto out;
	}
	free(p);
	p = bk_xasprintf("%s/testsuite", src);
	cp[2] = p;
	cp[3] = (char *)slot;
	if ((r = bk_run(cp, NULL, NULL, NULL, e)))
		goto out;
	free(p);
	p = bk_xasprintf("%s/testsuite", slot);
	r = use_bash(p, e);
out:
	free(p);
	return r;
}

/* Mandatory locking ("mount -o mand") left Linux in 5.15. */
static int kernel_has_mand(void)
{
	struct utsname u;
	int major = 0, minor = 0;
	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 1;
	return major < 5 || (major == 5 && minor < 15);
}

struct bk_ts_slot {
	char *dir;
	pid_t pid; /* 0: free */
	size_t applet;
	double start;
	char *log;
};

/* The locale the tests run in. C, except for a busybox that decides on
 * Unicode from the environment (FEATURE_CHECK_UNICODE_IN_ENV): upstream's
 * Unicode tests run whenever UNICODE_SUPPORT is on and expect it on, as it is
 * in a developer's UTF-8 session; under LC_ALL=C that busybox turns it off
 * and those tests fail for the harness's sake, not busybox's. */
static const char *test_locale(const struct dotconfig *cfg)
{
	return bk_config_is_on("FEATURE_CHECK_UNICODE_IN_ENV", (void *)cfg) ? "C.UTF-8" : "C";
}

static pid_t start_applet(const struct bk_ts_slot *s, const char *applet, const char *logpath,
			  const char *bash, const char *locale)
{
	pid_t pid = fork();
	if (pid)
		return pid;
	/* child: own process group, so a timeout can kill every test process */
	setpgid(0, 0);
	{
		int in = open("/dev/null", O_RDONLY);
		int out = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		char *ts = bk_xasprintf("%s/testsuite", s->dir);
		if (in < 0 || out < 0 || chdir(ts))
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		setenv("bindir", s->dir, 1);
		unsetenv("tsdir");
		unsetenv("VERBOSE");
		unsetenv("DEBUG");
		unsetenv("SKIP_KNOWN_BUGS");
		unsetenv("OPTIONFLAGS");
		setenv("SKIP_INTERNET_TESTS", "1", 1);
		/* upstream's own switch for a host whose kernel has no mandatory
		 * locking (Linux >= 5.15 has none): a fact of the host, not of
		 * the busybox under test */
		if (!kernel_has_mand())
			setenv("SKIP_MOUNT_MAND_TESTS", "1", 1);
		unsetenv("ECHO"); /* bash's echo does -ne: testing.sh keeps it */
		setenv("LC_ALL", locale, 1);
		setenv("TZ", "UTC", 1);
		execl(bash, "bash", "./runtest", applet, (char *)NULL);
		_exit(127);
	}
}

static void kill_all(struct bk_ts_slot *slots, int n)
{
	for (int i = 0; i < n; i++)
		if (slots[i].pid > 0) {
			kill(-slots[i].pid, SIGKILL);
			kill(slots[i].pid, SIGKILL);
			waitpid(slots[i].pid, NULL, 0);
			slots[i].pid = 0;
		}
}

/* The gate: every failure must be in the baseline, and no baseline entry may
 * pass. Problems go to e; returns how many. */
int bk_ts_gate(const struct bk_ts_results *res, const struct baseline *bl, const char *platform,
		const struct dotconfig *config, const char *work, int *known, struct bkerr *e)
{
	int bad = 0;
	*known = 0;
	for (size_t i = 0; i < res->n; i++) {
		const struct bk_ts_result *x = &res->v[i];
		const struct baseline_entry *b =
			bl ? bk_baseline_find(bl, platform, config, x->applet, x->test) : NULL;
		if (x->st == BK_TS_FAIL && b) {
			(*known)++;
		} else if (x->st == BK_TS_FAIL) {
			char *log = bk_ts_log_name(work, x->applet);
			bk_problem(e, "%s: %s: FAIL: %s (not in the baseline%s%s; log: %s)", platform,
				   x->applet, x->test, bl ? " " : "", bl ? bl->path : "", log);
			free(log);
			bad++;
		} else if (x->st == BK_TS_PASS && b) {
			bk_problem(e, "%s:%d: %s: %s: passes now on %s; remove or narrow the entry",
				   bl->path, b->line, x->applet, x->test, platform);
			bad++;
		}
	}
	return bad;
}


/* Check: the binary is this platform's, the build dir has its manifest and
 * config, the source tree has the testsuite, bash (and qemu) are here. */
int bk_testsuite_open(struct bk_testsuite *v, const char *cache, struct bk_builddir *bd,
		      const char *src, const char *binary, struct bkerr *e)
{
	const char *bdir = bd->dir;
	int r;
	v->binary = binary ? bk_xstrdup(binary) : bk_xasprintf("%s/busybox", bdir);
	v->config = bk_xstrdup(bd->config);
	if (!bk_exists(v->binary))
		return bk_fail(e, BK_REQUEST, "%s: no such binary; build it first (bbkit build, or make)",
			       v->binary);
	/* a binary of another platform would fail every test under qemu */
	if ((r = bk_elf_check(v->binary, v->p, 1, e))) {
		size_t n = strlen(e->msg);
		snprintf(e->msg + n, sizeof e->msg - n, "; pass --binary built for %s", v->pname);
		return BK_REQUEST;
	}
	if ((r = bk_builddir_manifest(bd, &v->m, e)) || (r = bk_builddir_config(bd, &v->cfg, e)))
		return r;
	v->src = src ? bk_xstrdup(src) : bk_cache_busybox(cache, v->m->version);
	{
		char *rt = bk_xasprintf("%s/testsuite/runtest", v->src);
		int ok = bk_exists(rt);
		free(rt);
		if (!ok)
			return bk_fail(e, BK_ENV,
				       "%s: no testsuite/runtest; pass --src with the busybox %s source "
				       "tree (bbkit fetch)",
				       v->src, v->m->version);
	}
	if (v->blpath && (r = bk_baseline_load(v->blpath, &v->bl, e)))
		return r;
	if (!(v->bash = bk_which("bash")))
		return bk_fail(e, BK_ENV,
			       "bash not found: the testsuite's scripts need it; apt-get install bash");
	if (!bk_platform_native(v->p) && !(v->qemu = bk_which(v->p->qemu)))
		return bk_fail(e, BK_ENV,
			       "%s: %s not found; install qemu-user-static (make test installs it)",
			       v->pname, v->p->qemu);
	/* runtest changes directories: every path it is given must be absolute */
	{
		char *abs_b = realpath(bdir, NULL), *abs_s = realpath(v->src, NULL),
		     *abs_x = realpath(v->binary, NULL);
		if (!abs_b || !abs_s || !abs_x) {
			r = bk_fail_errno(e, BK_ENV, "%s: cannot resolve path",
					  !abs_b ? bdir : !abs_s ? v->src : v->binary);
			free(abs_b), free(abs_s), free(abs_x);
			return r;
		}
		free(v->src);
		free(v->binary);
		v->bdir = abs_b;
		v->src = abs_s;
		v->binary = abs_x;
	}
	return 0;
}

/* Select: the enabled applets (and busybox itself) that have tests, or the
 * --applet ones, each of which must be enabled. */
int bk_testsuite_select(struct bk_testsuite *v, const char *const *only, int nonly,
			struct bkerr *e)
{
	if (!nonly) {
		if (bk_config_is_on("BUSYBOX", (void *)v->cfg) && has_tests(v->src, "busybox"))
			bk_strv_add_unique(&v->todo.v, &v->todo.n, "busybox");
		for (size_t j = 0; j < v->m->n; j++)
			if (has_tests(v->src, v->m->v[j].name))
				bk_strv_add_unique(&v->todo.v, &v->todo.n, v->m->v[j].name);
		return 0;
	}
	for (int i = 0; i < nonly; i++) {
		int found = !strcmp(only[i], "busybox") && bk_config_is_on("BUSYBOX", (void *)v->cfg);
		for (size_t j = 0; j < v->m->n && !found; j++)
			found = !strcmp(v->m->v[j].name, only[i]);
		if (!found)
			return bk_fail(e, BK_REQUEST,
				       "--applet %s: not enabled in %s; test an applet the config has",
				       only[i], v->config);
		if (has_tests(v->src, only[i]))
			bk_strv_add_unique(&v->todo.v, &v->todo.n, only[i]);
	}
	return 0;
}

/* Plan: a fresh work dir, one prepared slot per job. */
int bk_testsuite_plan(struct bk_testsuite *v, const struct bk_say *say, struct bkerr *e)
{
	char *logs;
	int r;
	free(v->config); /* the absolute one, for the slots */
	v->config = bk_xasprintf("%s/.config", v->bdir);
	v->work = bk_xasprintf("%s/verify", v->bdir);
	bk_rmtree(v->work);
	logs = bk_xasprintf("%s/logs", v->work);
	r = bk_mkdirs(logs, 0755, e);
	free(logs);
	if (r)
		return r;
	if ((size_t)v->jobs > v->todo.n)
		v->jobs = v->todo.n ? (int)v->todo.n : 1;
	v->slots = bk_xmalloc((size_t)v->jobs * sizeof *v->slots);
	memset(v->slots, 0, (size_t)v->jobs * sizeof *v->slots);
	for (int i = 0; i < v->jobs; i++) {
		v->slots[i].dir = bk_xasprintf("%s/w%d", v->work, i);
		if ((r = setup_slot(v->slots[i].dir, v->src, v->binary, v->config, v->qemu, v->bash, e)))
			return r;
	}
	bk_say(say, BK_SAY_PROGRESS, "%s: %zu applets with tests, %d at a time%s%s", v->pname,
	       v->todo.n, v->jobs, v->qemu ? " under " : "", v->qemu ? v->p->qemu : "");
	return 0;
}

/* A slot whose runtest ended (or timed out): its results, its time. */
static void reap(struct bk_testsuite *v, struct bk_ts_slot *s, pid_t w, int st)
{
	const char *a = v->todo.v[s->applet];
	char *data = NULL;
	size_t len;
	if (w == 0) {
		kill(-s->pid, SIGKILL);
		waitpid(s->pid, &st, 0);
		bk_ts_add(&v->res, s->applet, a, "(runtest timed out)", BK_TS_FAIL);
	}
	/* runtest is gone; background processes its tests left in the group
	 * must not outlive it or disturb the next applet */
	kill(-s->pid, SIGKILL);
	if (!bk_read_file(s->log, &data, &len, NULL)) {
		int nf = bk_ts_parse_log(s->applet, a, data, &v->res);
		if (w && (!WIFEXITED(st) || WEXITSTATUS(st)) && !nf) {
			char *what = WIFEXITED(st)
					     ? bk_xasprintf("(runtest exited %d without a FAIL line)",
							    WEXITSTATUS(st))
					     : bk_xasprintf("(runtest killed by signal %d)", WTERMSIG(st));
			bk_ts_add(&v->res, s->applet, a, what, BK_TS_FAIL);
			free(what);
		}
		free(data);
	}
	sb_addf(&v->times, "# %.1fs %s\n", bk_now() - s->start, a);
	free(s->log);
	s->log = NULL;
	s->pid = 0;
}

/* Run: every selected applet's runtest, jobs at a time, each with a timeout;
 * a signal stops them all. */
int bk_testsuite_run(struct bk_testsuite *v, const volatile sig_atomic_t *stop, struct bkerr *e)
{
	size_t next = 0;
	for (;;) {
		int running = 0;
		for (int i = 0; i < v->jobs; i++) {
			struct bk_ts_slot *s = &v->slots[i];
			if (!s->pid && next < v->todo.n && !*stop) {
				s->applet = next++;
				s->log = bk_ts_log_name(v->work, v->todo.v[s->applet]);
				s->start = bk_now();
				s->pid = start_applet(s, v->todo.v[s->applet], s->log, v->bash,
						      test_locale(v->cfg));
				if (s->pid < 0) {
					s->pid = 0;
					kill_all(v->slots, v->jobs);
					return bk_fail_errno(e, BK_ENV, "cannot fork");
				}
				setpgid(s->pid, s->pid);
			}
			running += s->pid > 0;
		}
		if (*stop) {
			kill_all(v->slots, v->jobs);
			return bk_fail(e, BK_ENV, "%s: interrupted by signal %d; nothing reported",
				       v->pname, (int)*stop);
		}
		if (!running)
			return 0;
		for (int i = 0; i < v->jobs; i++) {
			int st = 0;
			pid_t w;
			if (!v->slots[i].pid)
				continue;
			w = waitpid(v->slots[i].pid, &st, WNOHANG);
			if (w != 0 || bk_now() - v->slots[i].start >= v->timeout)
				reap(v, &v->slots[i], w, st);
		}
		{
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
}

void bk_testsuite_gate(struct bk_testsuite *v, struct bk_ts_counts *n, struct bkerr *e)
{
	int counts[3] = {0, 0, 0};
	/* applets finish in any order: report in run-list order */
	if (v->res.n)
		qsort(v->res.v, v->res.n, sizeof *v->res.v, by_order);
	for (size_t i = 0; i < v->res.n; i++)
		counts[v->res.v[i].st]++;
	n->pass = counts[BK_TS_PASS];
	n->fail = counts[BK_TS_FAIL];
	n->skip = counts[BK_TS_SKIP];
	n->disagree = bk_ts_gate(&v->res, v->blpath ? &v->bl : NULL, v->pname, v->cfg, v->work,
				 &n->known, e);
}

void bk_testsuite_report(const struct bk_testsuite *v, const struct bk_ts_counts *n, struct sbuf *b)
{
	sb_addf(b, "# bbkit verify %s, busybox %s: %d passed, %d failed (%d known), %d skipped\n",
		v->pname, v->m->version, n->pass, n->fail, n->known, n->skip);
	for (size_t i = 0; i < v->res.n; i++)
		sb_addf(b, "%s\t%s\t%s\n", bk_ts_status_name[v->res.v[i].st], v->res.v[i].applet,
			v->res.v[i].test);
	sb_add(b, "# time per applet\n");
	if (v->times.s)
		sb_add(b, v->times.s);
}

void bk_testsuite_free(struct bk_testsuite *v)
{
	for (int i = 0; v->slots && i < v->jobs; i++) {
		free(v->slots[i].dir);
		free(v->slots[i].log);
	}
	free(v->slots);
	sb_free(&v->times);
	for (size_t i = 0; i < v->todo.n; i++)
		free(v->todo.v[i]);
	free(v->todo.v);
	for (size_t i = 0; i < v->res.n; i++) {
		free(v->res.v[i].applet);
		free(v->res.v[i].test);
	}
	free(v->res.v);
	bk_baseline_free(&v->bl);
	free(v->bdir);
	free(v->src);
	free(v->binary);
	free(v->config);
	free(v->work);
	free(v->qemu);
	free(v->bash);
}

