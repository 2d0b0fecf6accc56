/* Publishing a run's outputs (publish.c): each platform's outputs are made
 * in a staging dir of its build dir, and only when every platform of the run
 * has all of them, every check passed, are they put in place, one whole
 * directory per platform: a failed, interrupted or over-budget run leaves
 * every previous output as it was, and outputs never mix two runs.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_PUBLISH_H
#define BBKIT_PUBLISH_H

#include "engine.h"

/* Publishing a run, in two halves: each dest's new directory, holding
 * exactly stage's files names[0..n) (same bytes, modes and times, copies;
 * anything else in stage is left out), made first (*tmp, NULL when dest
 * already holds exactly those; BK_REQUEST when stage lacks one of them),
 * then all of them swapped in with SIGINT/SIGTERM/SIGHUP/SIGQUIT held from
 * the first swap to the last, so an interrupted run leaves every platform's
 * previous outputs or none of them. */
int bk_publish_prepare(const char *stage, const char *dest, const char *const *names, size_t n,
		       char **tmp, struct bkerr *e);
int bk_publish_commit(char *const *tmps, const char *const *dests, size_t n, struct bkerr *e);

/* BK_REQUEST when dest holds anything that is not one of names or a report
 * bbkit writes beside them (upstream-tests.txt, busybox.unpacked): the
 * swap would delete the user's file. */
int bk_publish_check(const char *dest, const char *const *names, size_t n, struct bkerr *e);

#endif
