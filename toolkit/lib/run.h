/* Child processes and their logs (run.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_RUN_H
#define BBKIT_RUN_H

#include "bk.h"

/* Processes. argv[0] is looked up in PATH. Output (stdout+stderr) goes to
 * logpath (appended) when given, else is inherited. Returns 0 when the child
 * exited 0; otherwise fills e with BK_ENV and returns it. *status gets the
 * raw exit status (may be NULL). */
int bk_run(char *const argv[], const char *cwd, const char *logpath, int *status,
	   struct bkerr *e);
/* bk_run with envp as the child's whole environment (NULL: bbkit's). */
int bk_run_env(char *const argv[], char *const envp[], const char *cwd, const char *logpath,
	       int *status, struct bkerr *e);
/* bk_run, calling tick(arg) about every `every` seconds while the child
 * runs (a progress line; tick must not wait). */
int bk_run_watch(char *const argv[], const char *cwd, const char *logpath, double every,
		 void (*tick)(void *arg), void *arg, struct bkerr *e);
/* Run and capture stdout into *out (stderr to logpath or inherited). */
int bk_run_capture(char *const argv[], const char *cwd, const char *logpath, char **out,
		   struct bkerr *e);
/* A filter: runs argv (PATH lookup, never a shell) with stdin from infd,
 * stdout captured into *out and stderr into *err (both NUL-terminated,
 * caller frees), *status the raw wait status. Fails (BK_ENV) only when the
 * child cannot be started or waited for: its exit status is the caller's to
 * judge. */
int bk_run_filter(char *const argv[], int infd, char **out, char **err, int *status,
		  struct bkerr *e);
/* Last n lines of a file, for failure reports. */
char *bk_tail(const char *path, int n);
/* Whether the file (a tool's log) holds text. */
int bk_log_has(const char *log, const char *text);
/* A step that logs to `log` failed: records "<what> failed; last N lines of
 * LOG:\n<tail>\nfull log: LOG" (BK_ENV), what formatted from fmt; when the
 * log was never written (bk_run could not open it), "<what> failed: <the
 * error already recorded>". */
int bk_fail_tail(struct bkerr *e, const char *log, int n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Whether a program of that name is in PATH. */
int bk_have_program(const char *name);
/* Absolute path of a program found in PATH (caller frees), or NULL. */
char *bk_which(const char *name);
/* For a child make: strips the outer make's command-line variables from
 * MAKEFLAGS (keeping its flags and jobserver) and returns the -j argument to
 * pass: "-j<jobs>" when given, none (NULL) under an inherited jobserver,
 * else "-j<online CPUs>". Caller frees. */
char *bk_make_jobs(const char *jobs);

#endif
