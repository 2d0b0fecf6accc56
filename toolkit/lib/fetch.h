/* What 'bbkit fetch' was asked for, made into a source spec (checked
 * before anything is fetched), and the patched copy of a fetched tree.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BK_FETCH_H
#define BK_FETCH_H

#include "bk.h"
#include "engine.h"

struct bk_fetch {
	struct src_spec s; /* version, tarball, url, sha256, verify_tree given */
	int debian;        /* Debian's packaging (debian/) instead */
	int sources_only;  /* only the suites are wanted (--print-sources) */
	const char *patches, *patches_key; /* none, security or DIR; DIR's key */
};

/* Fills f->s for bk_source_ensure: empty values mean not given; --debian
 * the version's pinned debian.tar.xz; else the orig tarball's suites, then
 * (unless sources_only) its sha256 (the pin, or --sha256 for a version
 * without one) and a --patches that can apply to it. A request that
 * cannot be honoured as given is BK_USAGE, naming the option. */
int bk_fetch_plan(struct bk_fetch *f, struct bkerr *e);
/* The deb-src lines of the host's apt sources for f->s's suites. */
int bk_fetch_source_lines(const struct bk_env *env, const struct bk_fetch *f, char **lines,
			  struct bkerr *e);
/* The pristine tree in *tree becomes its patched copy for f->patches
 * (bk_fetch_plan said yes); none leaves it. */
int bk_fetch_patched(const struct bk_env *env, const struct bk_fetch *f, char **tree,
		     struct bkerr *e);

#endif
