/* bbkit vex: per-CVE statements for a built busybox (lib/vex.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/builddir.h"
#include "lib/fs.h"
#include "lib/tables.h"
#include "lib/vex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char vex_usage[] =
	"usage: bbkit vex --builddir DIR --platform P [--debian DIR] [--json FILE]\n"
	"                 [--txt FILE] [--openvex FILE] [-q]\n\n"
	"For every CVE that a patch names (the patches applied to the tree the build\n"
	"dir was built from, else Debian's security patches of the version from\n"
	"--debian DIR, its extracted debian/), say whether this binary is affected:\n"
	"from the files each patch changes and the link map, which objects, hence\n"
	"which applets, are in the binary. States (CycloneDX analysis.state):\n"
	"  resolved       the fix is applied and the code is in the binary\n"
	"  not_affected   code_not_present: none of the changed code is linked\n"
	"  exploitable    the code is in the binary and the fix is not applied\n"
	"Without --json, --txt and --openvex the summary goes to stdout. Files are\n"
	"written atomically; the documents' time is SOURCE_DATE_EPOCH's.\n";

int cmd_vex(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *bdir = NULL, *platform = NULL, *debian = NULL, *json = NULL, *txt = NULL;
	const char *openvex = NULL;
	const struct opt opts[] = {
		OPT_REQ("--builddir", &bdir, "DIR", "the build dir busybox was built in"),
		OPT_REQ("--platform", &platform, "P", "the platform it was built for"),
		OPT_V("--debian", &debian, "DIR",
		      "Debian's extracted debian/ of the version: its security\n"
		      "patches, when the tree had none applied"),
		OPT_V("--json", &json, "FILE", "a CycloneDX 1.5 VEX document (vex.cdx.json)"),
		OPT_V("--txt", &txt, "FILE", "the summary line, then one line per CVE (security.txt)"),
		OPT_V("--openvex", &openvex, "FILE",
		      "the same statements as OpenVEX 0.2.0 (vex.openvex.json):\n"
		      "resolved -> fixed, not_affected -> not_affected\n"
		      "(vulnerable_code_not_present), exploitable -> affected,\n"
		      "in_triage -> under_investigation; product busybox by the\n"
		      "SBOM's purl; author bbkit; @id a digest of the content"),
		OPT_END};
	struct bk_patchset applied = {0}, known = {0};
	struct bk_vex vex = {0};
	struct bk_builddir *bd = NULL;
	const struct platform *p;
	int r;
	if ((r = parse_args(c, argc, argv, opts, vex_usage, NULL)))
		return r < 0 ? 0 : r;
	if ((r = bk_platform_get(platform, &p, e)) || (r = bk_builddir_open(bdir, p, &bd, e)))
		return r;
	if (!(r = bk_patchset_of_build(bd, &applied, e)) && !applied.n && debian)
		r = bk_patchset_load(debian, NULL, &known, e);
	if (!r)
		r = bk_vex_assess(applied.n ? &applied : &known, &applied, bd, &vex, e);
	if (!r) {
		/* what the build dir's tree had applied, as make names it */
		const char *set = !applied.n ? "none" : applied.v[applied.n - 1].origin[0] == 'l' ? "local"
											     : "security";
		char *j, *t, *s, *o;
		vex.version = bk_builddir_version(bd);
		vex.platform = platform;
		j = bk_vex_json(&vex, set, c->epoch);
		t = bk_vex_text(&vex, set);
		s = bk_vex_summary(&vex);
		o = bk_openvex_json(&vex, set, c->epoch);
		if (json)
			r = bk_write_atomic(json, j, strlen(j), 0644, 0, NULL, e);
		if (!r && txt)
			r = bk_write_atomic(txt, t, strlen(t), 0644, 0, NULL, e);
		if (!r && openvex)
			r = bk_write_atomic(openvex, o, strlen(o), 0644, 0, NULL, e);
		if (!r && !json && !txt && !openvex)
			printf("%s\n", s);
		else if (!r)
			progress(c, "%s: %s", platform, s);
		free(j);
		free(t);
		free(s);
		free(o);
	}
	bk_vex_free(&vex);
	bk_patchset_free(&applied);
	bk_patchset_free(&known);
	bk_builddir_close(bd);
	return r;
}
