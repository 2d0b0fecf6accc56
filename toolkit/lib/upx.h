/* UPX (upx.c): built from its pinned source into CACHE/tools/upx-<version>,
 * once, under a lock, its build log kept beside it; and packing.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_UPX_H
#define BBKIT_UPX_H

#include "engine.h"

/* The upx program's path (caller frees); built (once) with its compiles
 * through cc (NULL, or no program: without a compiler cache). */
struct bk_ccache;
int bk_upx_ensure(const struct bk_env *env, const struct bk_ccache *cc, char **upx,
		  struct bkerr *e);
/* The methods bk_upx_pack knows, as an option row's one-of list. */
#define BK_UPX_METHODS "upx|upx-lzma"
/* in packed into out (atomically, 0755) with method "upx" (NRV, --best) or
 * "upx-lzma" (--lzma --best), then upx -t of the result; output to log. */
int bk_upx_pack(const char *upx, const char *method, const char *in, const char *out,
		const char *log, struct bkerr *e);

#endif
