/* bbkit pack: a busybox packed with UPX (lib/upx.c), for flash-constrained
 * devices; and the check that make COMPRESS=upx runs before building.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/elf.h"
#include "lib/tables.h"
#include "lib/toolchain.h"
#include "lib/upx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char pack_usage[] =
	"usage: bbkit pack PLATFORM --method upx|upx-lzma --in FILE --out FILE [--log FILE]\n"
	"                  [--ccache DIR] [--ccache-remote URL] [--no-ccache]\n"
	"       bbkit pack --check PLATFORM...\n\n"
	"Pack a stripped static busybox with UPX: upx (NRV, --best) or upx-lzma\n"
	"(--lzma --best), then 'upx -t' and the ELF machine check of the result;\n"
	"FILE is written atomically. UPX is built once from its pinned source\n"
	"(Debian's upx-ucl orig tarball, pins.tsv) into CACHE/tools/upx-<version>,\n"
	"its compiles through ccache as bbkit build's are (default CACHE/ccache).\n"
	"--check: exit 1 naming every PLATFORM UPX cannot pack and the ones it can.\n";

/* Every named platform UPX packs, else BK_REQUEST naming those it does not
 * and those it does. */
static int check_platforms(const char *const *names, int n, struct bkerr *e)
{
	struct sbuf bad = {0}, good = {0};
	int nbad = 0, r = 0;
	for (int i = 0; i < n; i++) {
		const struct platform *p;
		if ((r = bk_platform_get(names[i], &p, e)))
			break;
		if (!p->upx)
			sb_addf(&bad, "%s%s", nbad++ ? ", " : "", p->name);
	}
	for (size_t i = 0; i < bk_nplatforms; i++)
		if (bk_platforms[i].upx)
			sb_addf(&good, "%s%s", good.len ? ", " : "", bk_platforms[i].name);
	if (!r && nbad)
		r = bk_fail(e, BK_REQUEST,
			    "COMPRESS=upx: UPX %s cannot pack %s (UnknownExecutableFormatException); it "
			    "packs %s: build %s without COMPRESS, or leave %s out of PLATFORMS",
			    bk_upx_pin->version, bad.s, good.s, nbad == 1 ? "that one" : "those",
			    nbad == 1 ? "it" : "them");
	free(bad.s);
	free(good.s);
	return r;
}

int cmd_pack(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *method = NULL, *in = NULL, *out = NULL, *log = NULL, *plats[32];
	struct ccache_opts cco = {0};
	struct bk_ccache cc = {0};
	int check = 0, r;
	const struct opt opts[] = {
		OPT_F("--check", &check, "only say which PLATFORMs UPX can pack"),
		{.name = "--method", .kind = OPT_VALUE, .dst = &method, .need = "--check", .arg = "M",
		 .oneof = BK_UPX_METHODS, .help = "upx: NRV, --best; upx-lzma: --lzma --best"},
		{.name = "--in", .kind = OPT_VALUE, .dst = &in, .need = "--check", .arg = "FILE",
		 .help = "the stripped static busybox"},
		{.name = "--out", .kind = OPT_VALUE, .dst = &out, .need = "--check", .arg = "FILE",
		 .help = "the packed busybox, written atomically"},
		OPT_V("--log", &log, "FILE", "upx's output (default: FILE.log beside --out)"),
		OPT_CCACHE(&cco),
		OPT_APT_ETC(c),
		OPT_END};
	struct args pos = {plats, 1, 32, 0, "PLATFORM (see 'bbkit platforms')"};
	if ((r = parse_args(c, argc, argv, opts, pack_usage, &pos)))
		return r < 0 ? 0 : r;
	if (check)
		return check_platforms(plats, pos.n, e);
	if (pos.n != 1)
		return usage_error(c, "%s: one PLATFORM to pack for", plats[1]);
	if ((r = check_platforms(plats, 1, e)) || (r = ctx_ccache(c, &cco, &cc, e)))
		return r;
	{
		const struct platform *p = bk_platform_find(plats[0]);
		struct bk_env env = ctx_env(c);
		char *upx = NULL, *deflog = log ? NULL : bk_xasprintf("%s.log", out);
		/* the input is the request's: a wrong file is exit 1, named, before
		 * UPX is built or run */
		if (bk_elf_check(in, p, 0, e))
			r = bk_fail(e, BK_REQUEST, "--in %s; pack takes the stripped static busybox built for %s",
				    e->msg, p->name);
		else if (!(r = bk_upx_ensure(&env, &cc, &upx, e)) &&
		    !(r = bk_upx_pack(upx, method, in, out, log ? log : deflog, e)) &&
		    (r = bk_elf_check(out, p, 1, e)))
			unlink(out);
		if (!r)
			progress(c, "%s: %s packed (%s)", p->name, out, method);
		ctx_ccache_free(&cc);
		free(upx);
		free(deflog);
	}
	return r;
}
