/* Child processes, logs.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "run.h"
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void describe(struct sbuf *b, char *const argv[])
{
	for (int i = 0; argv[i] && i < 8; i++) {
		if (i)
			sb_add(b, " ");
		sb_add(b, argv[i]);
	}
}

static int spawn(char *const argv[], char *const envp[], const char *cwd, const char *logpath,
		 int outpipe, pid_t *pid, struct bkerr *e)
{
	int logfd = -1;
	if (logpath) {
		logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (logfd < 0)
			return bk_fail_errno(e, BK_ENV, "%s: cannot open log", logpath);
	}
	*pid = fork();
	if (*pid < 0) {
		if (logfd >= 0)
			close(logfd);
		return bk_fail_errno(e, BK_ENV, "cannot fork");
	}
	if (*pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		if (logfd >= 0) {
			dup2(logfd, 2);
			if (outpipe < 0)
				dup2(logfd, 1);
		}
		if (outpipe >= 0)
			dup2(outpipe, 1);
		if (cwd && chdir(cwd)) {
			dprintf(2, "bbkit: cannot chdir to %s: %s\n", cwd, strerror(errno));
			_exit(127);
		}
		if (envp)
			execvpe(argv[0], argv, envp);
		else
			execvp(argv[0], argv);
		dprintf(2, "bbkit: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (logfd >= 0)
		close(logfd);
	return 0;
}

static int finish_status(pid_t pid, int st, char *const argv[], const char *logpath,
			 int *status, struct bkerr *e);

static int finish(pid_t pid, char *const argv[], const char *logpath, int *status,
		  struct bkerr *e)
{
	int st;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return bk_fail_errno(e, BK_ENV, "waitpid");
	}
	return finish_status(pid, st, argv, logpath, status, e);
}

static int finish_status(pid_t pid, int st, char *const argv[], const char *logpath,
			 int *status, struct bkerr *e)
{
	(void)pid;
	if (status)
		*status = st;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	{
		struct sbuf b;
		sb_init(&b);
		describe(&b, argv);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			bk_fail(e, BK_ENV, "'%s' could not be run (is %s installed?)%s%s", b.s,
				argv[0], logpath ? "; log: " : "", logpath ? logpath : "");
		else if (WIFEXITED(st))
			bk_fail(e, BK_ENV, "'%s' failed with exit status %d%s%s", b.s,
				WEXITSTATUS(st), logpath ? "; log: " : "", logpath ? logpath : "");
		else
			bk_fail(e, BK_ENV, "'%s' was killed by signal %d", b.s, WTERMSIG(st));
		sb_free(&b);
	}
	return BK_ENV;
}

int bk_run(char *const argv[], const char *cwd, const char *logpath, int *status,
	   struct bkerr *e)
{
	return bk_run_env(argv, NULL, cwd, logpath, status, e);
}

int bk_run_env(char *const argv[], char *const envp[], const char *cwd, const char *logpath,
	       int *status, struct bkerr *e)
{
	pid_t pid;
	int r = spawn(argv, envp, cwd, logpath, -1, &pid, e);
	if (r)
		return r;
	return finish(pid, argv, logpath, status, e);
}

int bk_run_watch(char *const argv[], const char *cwd, const char *logpath, double every,
		 void (*tick)(void *arg), void *arg, struct bkerr *e)
{
	pid_t pid;
	int r = spawn(argv, NULL, cwd, logpath, -1, &pid, e), st;
	double next = bk_now() + every;
	if (r)
		return r;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		struct timespec ts = {0, 200 * 1000 * 1000};
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return bk_fail_errno(e, BK_ENV, "waitpid");
		nanosleep(&ts, NULL);
		if (tick && bk_now() >= next) {
			tick(arg);
			next = bk_now() + every;
		}
	}
	/* reaped above: finish reports the status it was given */
	return finish_status(pid, st, argv, logpath, NULL, e);
}

/* Everything fd gives until its end (or an error), NUL-terminated in b. */
static void read_all(int fd, struct sbuf *b)
{
	char buf[8192];
	ssize_t n;
	sb_init(b);
	sb_addn(b, "", 0);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		sb_addn(b, buf, (size_t)n);
	}
}

int bk_run_capture(char *const argv[], const char *cwd, const char *logpath, char **out,
		   struct bkerr *e)
{
	int p[2], r;
	pid_t pid;
	struct sbuf b;
	if (pipe2(p, O_CLOEXEC))
		return bk_fail_errno(e, BK_ENV, "pipe");
	r = spawn(argv, NULL, cwd, logpath, p[1], &pid, e);
	close(p[1]);
	if (r) {
		close(p[0]);
		return r;
	}
	read_all(p[0], &b);
	close(p[0]);
	r = finish(pid, argv, logpath, NULL, e);
	if (r) {
		sb_free(&b);
		return r;
	}
	*out = b.s;
	return 0;
}

int bk_run_filter(char *const argv[], int infd, char **out, char **err, int *status,
		  struct bkerr *e)
{
	int p[2], efd, st;
	pid_t pid;
	struct sbuf o, er;
	char buf[8192];
	ssize_t n;
	*out = *err = NULL;
	/* stderr to an anonymous file: no pipe to drain while stdout is read */
	if ((efd = memfd_create("bbkit-stderr", MFD_CLOEXEC)) < 0)
		return bk_fail_errno(e, BK_ENV, "memfd_create");
	if (pipe2(p, O_CLOEXEC)) {
		close(efd);
		return bk_fail_errno(e, BK_ENV, "pipe");
	}
	if ((pid = fork()) < 0) {
		close(efd), close(p[0]), close(p[1]);
		return bk_fail_errno(e, BK_ENV, "cannot fork");
	}
	if (pid == 0) {
		if (dup2(infd, 0) < 0 || dup2(p[1], 1) < 0 || dup2(efd, 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		dprintf(2, "bbkit: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	read_all(p[0], &o);
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			close(efd);
			sb_free(&o);
			return bk_fail_errno(e, BK_ENV, "waitpid");
		}
	}
	sb_init(&er);
	sb_addn(&er, "", 0);
	if (lseek(efd, 0, SEEK_SET) == 0)
		while ((n = read(efd, buf, sizeof buf)) > 0 && er.len < 65536)
			sb_addn(&er, buf, (size_t)n);
	close(efd);
	*out = o.s;
	*err = er.s;
	*status = st;
	return 0;
}

char *bk_tail(const char *path, int n)
{
	char *data, *p;
	size_t len;
	int lines = 0;
	if (bk_read_file(path, &data, &len, NULL))
		return bk_xstrdup("");
	p = data + len;
	if (p > data && p[-1] == '\n')
		p--;
	while (p > data) {
		if (p[-1] == '\n' && ++lines == n)
			break;
		p--;
	}
	p = bk_xstrdup(p);
	free(data);
	return p;
}

/* The log's compiler and linker error lines (the first 8, each cut at 300
 * bytes): under make -j the one that matters is rarely in the tail. */
static char *error_lines(const char *path)
{
	char *data, *save = NULL;
	size_t len;
	int n = 0;
	struct sbuf b;
	sb_init(&b);
	sb_add(&b, "");
	if (bk_read_file(path, &data, &len, NULL))
		return b.s;
	for (char *l = strtok_r(data, "\n", &save); l && n < 8; l = strtok_r(NULL, "\n", &save))
		if (strstr(l, "error:") || strstr(l, "Error ")) {
			sb_addf(&b, "%.300s\n", l);
			n++;
		}
	free(data);
	return b.s;
}

int bk_log_has(const char *log, const char *text)
{
	struct bkerr ignored = {0};
	char *data = NULL;
	size_t len = 0;
	int found = !bk_read_file(log, &data, &len, &ignored) && strstr(data, text);
	free(data);
	return found;
}

int bk_fail_tail(struct bkerr *e, const char *log, int n, const char *fmt, ...)
{
	char what[512], *t = bk_tail(log, n), *errs = error_lines(log);
	va_list ap;
	int r;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (access(log, R_OK)) /* never written (it could not be opened): that error stands */
		r = bk_fail(e, e->code ? e->code : BK_ENV, "%s failed: %s", what,
			    e->code ? e->msg : "no log written");
	else if (*errs)
		r = bk_fail(e, BK_ENV,
			    "%s failed; the error lines of %s:\n%slast %d lines:\n%s\nfull log: %s",
			    what, log, errs, n, t, log);
	else
		r = bk_fail(e, BK_ENV, "%s failed; last %d lines of %s:\n%s\nfull log: %s", what, n,
			    log, t, log);
	free(t);
	free(errs);
	return r;
}

char *bk_which(const char *name)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? bk_xstrdup(name) : NULL;
	if (!path)
		path = "/usr/bin:/bin";
	copy = bk_xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *p = bk_xasprintf("%s/%s", dir, name);
		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

int bk_have_program(const char *name)
{
	char *p = bk_which(name);
	free(p);
	return p != NULL;
}

char *bk_make_jobs(const char *jobs)
{
	/* Under make -jN (a '+' recipe) a child make joins that jobserver, so
	 * all platforms share N slots; only the flags are passed on, not the
	 * outer make's command-line variables (B=, OUT=, ... mean other things
	 * in busybox's and musl's makefiles). */
	const char *mf = getenv("MAKEFLAGS");
	int jobserver = mf && (strstr(mf, "--jobserver-auth=") || strstr(mf, "--jobserver-fds="));
	if (mf) {
		char *flags = bk_xstrdup(mf), *vars = strstr(flags, " -- ");
		if (vars)
			*vars = 0;
		else if (strchr(flags, '='))
			flags[0] = 0;
		setenv("MAKEFLAGS", flags, 1);
		free(flags);
	}
	unsetenv("MFLAGS");
	if (jobs)
		return bk_xasprintf("-j%s", jobs);
	/* no -j under a jobserver: it would leave it */
	return jobserver ? NULL : bk_xasprintf("-j%ld", sysconf(_SC_NPROCESSORS_ONLN));
}
