/* Which compiler and linker flags a list or a .config may add to busybox's
 * build (EXTRA_CFLAGS, EXTRA_LDFLAGS, EXTRA_LDLIBS): an allowlist of flag
 * forms that change how code is generated, never which programs run or
 * which files are read as code. The toolchain is bbkit's.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_FLAGS_H
#define BBKIT_FLAGS_H

enum bk_flags_kind {
	BK_FLAGS_CC,    /* EXTRA_CFLAGS, EXTRA_LDFLAGS: options of the clang driver */
	BK_FLAGS_LIBS,  /* EXTRA_LDLIBS: library names (m, pthread) or -l<name> */
};

/* Whether one word may be passed: NULL when allowed, else why not (static
 * text, a sentence fragment "<why>; <what to do>"). */
const char *bk_flag_refused(enum bk_flags_kind kind, const char *word);

/* Every blank-separated word of v: 0 when all are allowed, else -1 with
 * *bad = the first refused word (malloc'd, the caller frees it) and *why. */
int bk_flags_check(enum bk_flags_kind kind, const char *v, char **bad, const char **why);

#endif
