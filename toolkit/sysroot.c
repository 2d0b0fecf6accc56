/* bbkit sysroot: a private musl sysroot for a platform (lib/sysroot.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/engine.h"
#include "lib/fs.h"
#include "lib/tables.h"
#include "lib/toolchain.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char sysroot_usage[] =
	"usage: bbkit sysroot PLATFORM [--apt-etc DIR] [--stamp FILE] [--cache DIR]\n"
	"                     [--ccache DIR] [--ccache-remote URL] [--no-ccache] [-q]\n\n"
	"Download musl-dev:<arch>, linux-libc-dev-<arch>-cross and\n"
	"libgcc-12-dev-<arch>-cross with a private apt configuration (own lists and\n"
	"cache under the cache dir, APT::Architectures=<arch>, sources derived from\n"
	"the host's) and unpack them with dpkg-deb -x into CACHE/sysroot/<arch>,\n"
	"atomically and under a lock. Prints the sysroot path.\n\n"
	"Platforms Debian has no musl-dev for (see 'bbkit platforms', column musl)\n"
	"get musl built from its pristine source tarball in Debian's source archive\n"
	"(sha256-pinned) with clang for the target instead, into\n"
	"CACHE/sysroot/<arch>-musl-<version>; the build log is kept beside it.\n"
	"Its compiles go through ccache as bbkit build's do (default CACHE/ccache),\n"
	"keyed relative to CACHE: another CACHE's sysroot hits them too.\n\n"
	"Every run checks a made sysroot against the record of what was unpacked\n"
	"(by lstat) and makes it again when it differs, naming the file.\n";

int cmd_sysroot(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *plat = NULL, *stamp = NULL;
	struct ccache_opts cco = {0};
	struct bk_ccache cc;
	const struct platform *p;
	char *path;
	int r;
	const struct opt opts[] = {OPT_APT_ETC(c),
				   OPT_V("--stamp", &stamp, "FILE",
					 "write the sysroot's path and making time to FILE (only\n"
					 "when they change) instead of printing the path"),
				   OPT_CCACHE(&cco), OPT_END};
	struct args pos = {&plat, 1, 1, 0, "PLATFORM (see 'bbkit platforms')"};
	if ((r = parse_args(c, argc, argv, opts, sysroot_usage, &pos)))
		return r < 0 ? 0 : r;
	if ((r = bk_platform_get(plat, &p, e)))
		return r;
	if ((r = ctx_ccache(c, &cco, &cc, e)))
		return r;
	{
		struct bk_env env = ctx_env(c);
		r = bk_sysroot_ensure(&env, p, &cc, &path, e);
		ctx_ccache_free(&cc);
		if (r)
			return r;
	}
	if (stamp) {
		/* the sysroot and when it was made: rewritten only when that
		 * changes, so make rebuilds after a repair and never otherwise */
		char *rec = bk_xasprintf("%s/.bbkit-files", path), *text;
		struct stat st;
		if (stat(rec, &st))
			r = bk_fail_errno(e, BK_ENV, "%s: cannot stat", rec);
		else {
			text = bk_xasprintf("%s %lld.%09ld\n", path, (long long)st.st_mtim.tv_sec,
					    st.st_mtim.tv_nsec);
			r = bk_write_atomic(stamp, text, strlen(text), 0644, 1, NULL, e);
			free(text);
		}
		free(rec);
	} else
		printf("%s\n", path);
	free(path);
	return r;
}
