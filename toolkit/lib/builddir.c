/* A busybox O= build dir: checked once, its paths, what it holds on demand.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "builddir.h"
#include "elf.h"
#include "fs.h"
#include "linkmap.h"
#include "tables.h"

#include <stdlib.h>
#include <string.h>

enum { LOADED_CFG = 1, LOADED_APPS = 2, LOADED_M = 4 };

static char *in(const char *dir, const char *name)
{
	return bk_xasprintf("%s/%s", dir, name);
}

/* A busybox built there, for p (its busybox_unstripped's ELF machine). */
static int check_platform(const struct bk_builddir *bd, struct bkerr *e)
{
	if (!bk_exists(bd->binary))
		return bk_fail(e, BK_REQUEST, "%s: no busybox built there; build it first (bbkit build)",
			       bd->dir);
	if (bk_elf_check(bd->binary, bd->p, 1, e))
		return bk_fail(e, BK_REQUEST, "--platform %s: %s; name the platform %s was built for",
			       bd->p->name, e->msg, bd->dir);
	return 0;
}

int bk_builddir_open(const char *dir, const struct platform *p, struct bk_builddir **out,
		     struct bkerr *e)
{
	struct bk_builddir *bd = bk_xmalloc(sizeof *bd);
	int r = 0;
	memset(bd, 0, sizeof *bd);
	bd->dir = dir;
	bd->p = p;
	bd->config = in(dir, ".config");
	bd->autoconf = in(dir, "include/autoconf.h");
	bd->applets_h = in(dir, "include/applets.h");
	bd->binary = in(dir, "busybox_unstripped");
	bd->map = in(dir, "busybox_unstripped.map");
	bd->links = in(dir, "busybox.links");
	bd->build_log = in(dir, "build.log");
	bd->makefile = in(dir, "Makefile");
	if (p && (r = check_platform(bd, e)))
		;
	else if (!(bd->srctree = bk_srctree_of(dir, &bd->kbuild_src)) && bd->kbuild_src)
		r = bk_fail(e, BK_ENV,
			    "%s: KERNELSRC is %s, but %s/%s is no link to a source tree; build "
			    "there again (make, bbkit build or prepare makes it)",
			    bd->makefile, bd->kbuild_src, dir, bd->kbuild_src);
	else if (!bd->srctree)
		r = bk_fail(e, BK_ENV,
			    "%s: no KERNELSRC; not a busybox O= build dir: pass one bbkit prepare "
			    "made (make prepares it)",
			    bd->makefile);
	if (r) {
		bk_builddir_close(bd);
		bd = NULL;
	}
	*out = bd;
	return r;
}

char *bk_builddir_cmd_file(const struct bk_builddir *bd, const char *obj)
{
	const char *slash = strrchr(obj, '/');
	return slash ? bk_xasprintf("%s/%.*s/.%s.cmd", bd->dir, (int)(slash - obj), obj, slash + 1)
		     : bk_xasprintf("%s/.%s.cmd", bd->dir, obj);
}

int bk_builddir_config(struct bk_builddir *bd, const struct dotconfig **cfg, struct bkerr *e)
{
	int r;
	if (!(bd->loaded & LOADED_CFG)) {
		if ((r = bk_config_load(bd->config, &bd->cfg, e)))
			return r;
		bd->loaded |= LOADED_CFG;
	}
	*cfg = &bd->cfg;
	return 0;
}

int bk_builddir_applets(struct bk_builddir *bd, const struct applets **apps, struct bkerr *e)
{
	int r;
	if (!(bd->loaded & LOADED_APPS)) {
		if ((r = bk_applets_load(bd->applets_h, &bd->apps, e)))
			return r;
		bd->loaded |= LOADED_APPS;
	}
	*apps = &bd->apps;
	return 0;
}

int bk_builddir_manifest(struct bk_builddir *bd, const struct manifest **m, struct bkerr *e)
{
	int r;
	if (!(bd->loaded & LOADED_M)) {
		if ((r = bk_manifest_compute(bd->applets_h, bd->config, 0, &bd->m, e)))
			return r;
		bd->loaded |= LOADED_M;
	}
	*m = &bd->m;
	return 0;
}

const char *bk_builddir_version(struct bk_builddir *bd)
{
	if (!bd->version)
		bd->version = bk_config_version(bd->config);
	return bd->version;
}

void bk_builddir_close(struct bk_builddir *bd)
{
	if (!bd)
		return;
	if (bd->loaded & LOADED_CFG)
		bk_config_free(&bd->cfg);
	if (bd->loaded & LOADED_APPS)
		bk_applets_free(&bd->apps);
	if (bd->loaded & LOADED_M)
		bk_manifest_free(&bd->m);
	free(bd->config);
	free(bd->autoconf);
	free(bd->applets_h);
	free(bd->binary);
	free(bd->map);
	free(bd->links);
	free(bd->build_log);
	free(bd->makefile);
	free(bd->srctree);
	free(bd->kbuild_src);
	free(bd->version);
	free(bd);
}
