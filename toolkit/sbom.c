/* bbkit sbom: a CycloneDX SBOM of a built busybox (lib/sbom.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/builddir.h"
#include "lib/elf.h"
#include "lib/fs.h"
#include "lib/sbom.h"
#include "lib/tables.h"
#include "lib/upx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sbom_usage[] =
	"usage: bbkit sbom --builddir DIR --platform P --out FILE [--binary FILE]\n"
	"                  [--source-sha256 HEX] [--compress upx|upx-lzma]\n"
	"                  [--unpacked FILE] [-q]\n\n"
	"Write a CycloneDX 1.5 SBOM (JSON) of the busybox built in DIR for P: the\n"
	"busybox component (version, cpe, purl, the source tarball's sha256 and\n"
	"where it is published, GPL-2.0-only, the enabled applets and the resolved\n"
	"config's sha256 as properties, the patches applied under pedigree.patches\n"
	"with the CVEs they resolve; bom-ref busybox@VERSION, as in vex.cdx.json);\n"
	"musl, libgcc and the Linux UAPI headers from the sysroot's record (Debian\n"
	"package and version, or the pinned source tarball and its sha256); the\n"
	"tools (clang, the linker, llvm-strip, UPX with --compress). The time is\n"
	"SOURCE_DATE_EPOCH's; the same build gives the same bytes.\n";

int cmd_sbom(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *bdir = NULL, *pname = NULL, *out = NULL, *srcsha = NULL, *compress = NULL;
	const char *binary = NULL, *unpacked = NULL;
	const struct opt opts[] = {
		OPT_REQ("--builddir", &bdir, "DIR", "the build dir busybox was built in"),
		OPT_REQ("--platform", &pname, "P", "the platform it was built for"),
		OPT_REQ("--out", &out, "FILE", "the SBOM, written atomically"),
		OPT_V("--binary", &binary, "FILE",
		      "the busybox shipped (checked to be P's ELF): its\n"
		      "sha256 is the busybox component's hash, what\n"
		      "bbkit image matches against the rootfs (make\n"
		      "passes it); the applets that need setuid are the\n"
		      "property bbkit:setuid-applets (only with\n"
		      "FEATURE_SUID=y: busybox then drops privileges for\n"
		      "the others)"),
		OPT_ONEOF("--compress", &compress, "M", BK_UPX_METHODS,
			  "the binary is packed with this UPX method (UPX a tool)"),
		{.name = "--unpacked", .kind = OPT_VALUE, .dst = &unpacked, .with = "--compress", .arg = "FILE",
		 .help = "the stripped binary UPX packed (busybox.unpacked,\n"
			 "checked to be P's ELF); its sha256 is the property\n"
			 "bbkit:unpacked:sha256, so a scanner that unpacks the\n"
			 "binary can tie it to the SBOM too"},
		OPT_V("--source-sha256", &srcsha, "HEX",
		      "the tarball's sha256 for a version without a pin"),
		OPT_END};
	const struct platform *p;
	struct bk_builddir *bd = NULL;
	char *json = NULL;
	int r;
	if ((r = parse_args(c, argc, argv, opts, sbom_usage, NULL)))
		return r < 0 ? 0 : r;
	if (srcsha && !bk_is_sha256(srcsha))
		return usage_error(c, "--source-sha256 %s: expected 64 lowercase hex digits", srcsha);
	if ((r = bk_platform_get(pname, &p, e)) || (r = bk_builddir_open(bdir, p, &bd, e)))
		return r;
	{
		struct bk_sbom_req q = {p, bd, c->cache, srcsha, binary, unpacked, compress,
					c->epoch};
		r = ctx_usage(c, bk_sbom_of_build(&q, &json, e), e);
	}
	if (!r && !(r = bk_write_atomic(out, json, strlen(json), 0644, 0, NULL, e)))
		progress(c, "%s: %s written", p->name, out);
	bk_builddir_close(bd);
	free(json);
	return r;
}
