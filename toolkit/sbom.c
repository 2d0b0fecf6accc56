/* bbkit sbom: a CycloneDX SBOM of a built busybox (lib/sbom.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/archive.h"
#include "lib/builddir.h"
#include "lib/cache.h"
#include "lib/elf.h"
#include "lib/fs.h"
#include "lib/run.h"
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

/* The first line of `prog --version` that has a digit. */
static char *tool_version(const char *prog)
{
	char *argv[] = {(char *)prog, "--version", NULL}, *out = NULL, *res = NULL;
	struct bkerr e = {0, "", NULL, 0};
	if (!bk_run_capture(argv, NULL, "/dev/null", &out, &e))
		for (char *l = out, *nl; l && *l && !res; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			if (strpbrk(l, "0123456789"))
				res = bk_xstrdup(l);
		}
	free(out);
	free(e.more);
	return res ? res : bk_xstrdup("unknown");
}

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
		OPT_V("--compress", &compress, "M", "upx or upx-lzma: the binary is packed (UPX a tool)"),
		OPT_V("--unpacked", &unpacked, "FILE",
		      "with --compress: the stripped binary UPX packed\n"
		      "(busybox.unpacked, checked to be P's ELF); its\n"
		      "sha256 is the property bbkit:unpacked:sha256, so a\n"
		      "scanner that unpacks the binary can tie it to the\n"
		      "SBOM too"),
		OPT_V("--source-sha256", &srcsha, "HEX",
		      "the tarball's sha256 for a version without a pin"),
		OPT_END};
	const struct platform *p;
	const struct manifest *m;
	struct bk_builddir *bd = NULL;
	struct bk_patchset set = {0};
	struct bk_sbom_in in = {0};
	char *sysroot = NULL, *srcs = NULL, *file = NULL, *json = NULL;
	char chex[65], bhex[65], uhex[65], *vers[4] = {0}, *setuid = NULL;
	int r;
	if ((r = parse_args(c, argc, argv, opts, sbom_usage, NULL)))
		return r < 0 ? 0 : r;
	if (srcsha && !bk_is_sha256(srcsha))
		return usage_error(c, "--source-sha256 %s: expected 64 lowercase hex digits", srcsha);
	if (compress && !bk_upx_method_ok(compress))
		return usage_error(c, "--compress %s: use upx or upx-lzma", compress);
	if (unpacked && !compress)
		return usage_error(c, "--unpacked %s: only with --compress (the binary UPX packed)",
				   unpacked);
	if ((r = bk_platform_get(pname, &p, e)) || (r = bk_builddir_open(bdir, p, &bd, e)))
		return r;
	if ((r = bk_builddir_manifest(bd, &m, e))) {
		bk_builddir_close(bd);
		return r;
	}
	if (!srcsha && bk_version_find(m->version))
		srcsha = bk_version_find(m->version)->sha256;
	if (!srcsha)
		r = usage_error(c, "busybox %s has no pin: pass --source-sha256 (make passes BUSYBOX_SHA256)",
				m->version);
	else if (binary && (r = bk_elf_check(binary, p, 1, e)))
		r = bk_fail(e, BK_REQUEST, "--binary %s; give the busybox built for %s", e->msg,
			      p->name);
	else if (binary && (r = bk_sha256_file(binary, bhex, e)))
		;
	else if (unpacked && (r = bk_elf_check(unpacked, p, 1, e)))
		r = bk_fail(e, BK_REQUEST, "--unpacked %s; give the busybox.unpacked built for %s",
			    e->msg, p->name);
	else if (unpacked && (r = bk_sha256_file(unpacked, uhex, e)))
		;
	else if (!(r = bk_sha256_file(bd->config, chex, e)) && !(r = bk_patchset_of_build(bd, &set, e))) {
		sysroot = bk_cache_sysroot(c->cache, p);
		file = bk_xasprintf("%s/.bbkit-sources", sysroot);
		if ((r = bk_read_file(file, &srcs, NULL, e)))
			bk_fail(e, r, "%s; make the sysroot (bbkit sysroot %s)", e->msg, p->name);
	}
	if (!r) {
		const char *names[] = {"clang", p->ld, "llvm-strip", compress ? "upx" : NULL};
		char *upx = compress ? bk_cache_upx(c->cache) : NULL;
		char *srcfile = bk_xasprintf("busybox_%s.orig.tar.bz2 (Debian's source archive)", m->version);
		for (int i = 0; i < 4 && names[i]; i++) {
			vers[i] = tool_version(i == 3 ? upx : names[i]);
			in.tools[i][0] = names[i];
			in.tools[i][1] = vers[i];
		}
		in.version = m->version;
		in.platform = p->name;
		in.source_file = srcfile;
		in.source_sha256 = srcsha;
		in.config_sha256 = chex;
		in.binary_sha256 = binary ? bhex : NULL;
		in.unpacked_sha256 = unpacked ? uhex : NULL;
		{
			/* only a busybox that drops privileges for the other
			 * applets (FEATURE_SUID) may be setuid: without it the
			 * property is left out, and bbkit image refuses a 4755
			 * bin/busybox */
			char **su = bk_xmalloc((m->n + 1) * sizeof *su);
			size_t nsu = 0;
			int drops = m->feature_suid;
			for (size_t i = 0; drops && i < m->n; i++)
				if (strcmp(m->v[i].suid, "drop"))
					bk_strv_add_unique(&su, &nsu, m->v[i].name);
			setuid = bk_strv_join(su, nsu, " ");
			for (size_t i = 0; i < nsu; i++)
				free(su[i]);
			free(su);
		}
		in.setuid_applets = setuid;
		in.patches = &set;
		in.sysroot_sources = srcs;
		in.created = c->epoch;
		in.applets = bk_xmalloc((m->n + 1) * sizeof *in.applets);
		for (size_t i = 0; i < m->n; i++)
			bk_strv_add_unique(&in.applets, &in.napplets, m->v[i].name);
		json = bk_sbom_json(&in);
		r = bk_write_atomic(out, json, strlen(json), 0644, 0, NULL, e);
		if (!r)
			progress(c, "%s: %s written", p->name, out);
		for (size_t i = 0; i < in.napplets; i++)
			free(in.applets[i]);
		free(in.applets);
		free(upx);
		free(srcfile);
	}
	for (int i = 0; i < 4; i++)
		free(vers[i]);
	bk_patchset_free(&set);
	bk_builddir_close(bd);
	free(sysroot);
	free(srcs);
	free(file);
	free(json);
	free(setuid);
	return r;
}
