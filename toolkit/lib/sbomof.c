/* The SBOM of one build (sbom.h: bk_sbom_of_build): its inputs gathered
 * from the build dir, the binaries, the sysroot's record and the tools,
 * then the document (sbom.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "sbom.h"
#include "builddir.h"
#include "cache.h"
#include "archive.h"
#include "elf.h"
#include "fs.h"
#include "run.h"
#include "tables.h"

#include <stdlib.h>
#include <string.h>

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

/* Only a busybox that drops privileges for the other applets
 * (FEATURE_SUID) may be setuid: without it the property is empty, and
 * bbkit image refuses a 4755 bin/busybox. */
static char *setuid_applets(const struct manifest *m)
{
	char **su = bk_xmalloc((m->n + 1) * sizeof *su), *s;
	size_t nsu = 0;
	for (size_t i = 0; m->feature_suid && i < m->n; i++)
		if (strcmp(m->v[i].suid, "drop"))
			bk_strv_add_unique(&su, &nsu, m->v[i].name);
	s = bk_strv_join(su, nsu, " ");
	for (size_t i = 0; i < nsu; i++)
		free(su[i]);
	free(su);
	return s;
}

/* The binaries' and the config's hashes, the patches, the sysroot's
 * record. */
static int gather(const struct bk_sbom_req *q, const struct platform *p, char hex[3][65],
		  struct bk_patchset *set, char **srcs, struct bkerr *e)
{
	char *sysroot, *file;
	int r;
	if (q->binary && (r = bk_elf_check(q->binary, p, 1, e)))
		return bk_fail(e, BK_REQUEST, "--binary %s; give the busybox built for %s", e->msg,
			       p->name);
	if (q->binary && (r = bk_sha256_file(q->binary, hex[1], e)))
		return r;
	if (q->unpacked && (r = bk_elf_check(q->unpacked, p, 1, e)))
		return bk_fail(e, BK_REQUEST,
			       "--unpacked %s; give the busybox.unpacked built for %s", e->msg,
			       p->name);
	if (q->unpacked && (r = bk_sha256_file(q->unpacked, hex[2], e)))
		return r;
	if ((r = bk_sha256_file(q->bd->config, hex[0], e)) ||
	    (r = bk_patchset_of_build(q->bd, set, e)))
		return r;
	sysroot = bk_cache_sysroot(q->cache, p);
	file = bk_xasprintf("%s/.bbkit-sources", sysroot);
	if ((r = bk_read_file(file, srcs, NULL, e)))
		bk_fail(e, r, "%s; make the sysroot (bbkit sysroot %s)", e->msg, p->name);
	free(sysroot);
	free(file);
	return r;
}

int bk_sbom_of_build(const struct bk_sbom_req *q, char **json, struct bkerr *e)
{
	const struct platform *p = q->p;
	const struct manifest *m;
	const char *srcsha = q->source_sha256;
	struct bk_patchset set = {0};
	struct bk_sbom_in in = {0};
	char hex[3][65], *srcs = NULL, *vers[4] = {0};
	int r;
	if ((r = bk_builddir_manifest(q->bd, &m, e)))
		return r;
	if (!srcsha && bk_version_find(m->version))
		srcsha = bk_version_find(m->version)->sha256;
	if (!srcsha)
		return bk_fail(e, BK_USAGE,
			       "busybox %s has no pin: pass --source-sha256 (make passes "
			       "BUSYBOX_SHA256)",
			       m->version);
	if (!(r = gather(q, p, hex, &set, &srcs, e))) {
		const char *names[] = {"clang", p->ld, "llvm-strip", q->compress ? "upx" : NULL};
		char *upx = q->compress ? bk_cache_upx(q->cache) : NULL;
		for (int i = 0; i < 4 && names[i]; i++) {
			vers[i] = tool_version(i == 3 ? upx : names[i]);
			in.tools[i][0] = names[i];
			in.tools[i][1] = vers[i];
		}
		in.version = m->version;
		in.platform = p->name;
		in.source_file = bk_xasprintf("busybox_%s.orig.tar.bz2 (Debian's source archive)",
					      m->version);
		in.source_sha256 = srcsha;
		in.config_sha256 = hex[0];
		in.binary_sha256 = q->binary ? hex[1] : NULL;
		in.unpacked_sha256 = q->unpacked ? hex[2] : NULL;
		in.setuid_applets = setuid_applets(m);
		in.patches = &set;
		in.sysroot_sources = srcs;
		in.created = q->created;
		in.applets = bk_xmalloc((m->n + 1) * sizeof *in.applets);
		for (size_t i = 0; i < m->n; i++)
			bk_strv_add_unique(&in.applets, &in.napplets, m->v[i].name);
		*json = bk_sbom_json(&in);
		for (size_t i = 0; i < in.napplets; i++)
			free(in.applets[i]);
		free(in.applets);
		free((char *)in.source_file);
		free((char *)in.setuid_applets);
		free(upx);
	}
	for (int i = 0; i < 4; i++)
		free(vers[i]);
	bk_patchset_free(&set);
	free(srcs);
	return r;
}
