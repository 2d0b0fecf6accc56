/* bbkit bump-report: what a busybox version bump (or a new list) changes
 * for a profile, before anyone builds it (lib/bump.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/bump.h"
#include "lib/fs.h"
#include "lib/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char bump_usage[] =
	"usage: bbkit bump-report --from-src DIR --to-src DIR --list LIST [--from-list LIST]\n"
	"                         --out DIR [options] SIDE:PLATFORM:BUILDDIR[:TCLIST,...]...\n\n"
	"Resolve LIST with each version's resolver (bbkit-<version> beside bbkit) in\n"
	"each SIDE's (from, to) prepared build dir per PLATFORM, after that platform's\n"
	"toolchain lists, and report side by side: requests of the list honoured on\n"
	"FROM but not on TO (file:line, and what changed), Kconfig symbols removed and\n"
	"added (a removed one with an added one of the same prompt or applet is\n"
	"\"probably renamed\", never mapped), which added ones the list turns on under\n"
	"FEATURES=defaults, applet links added and removed per platform, and for each\n"
	"security patch of FROM whether TO already has it (upstream), it still\n"
	"applies, or it fails. Without --no-build, also bytes per applet and CVE\n"
	"states from each build dir's stage (size.json, vex.cdx.json) when it holds a\n"
	"build of this very config, else the make command that makes one.\n"
	"With --from-list (one version, two lists): requests and links (and bytes and\n"
	"CVE states) of the old list against the new.\n"
	"Writes OUT/bump-<from>-<to>.md and .json atomically and prints the markdown.\n"
	"Exit 1: a request of the list is no longer honoured on TO (the report is\n"
	"written either way).\n";

/* SIDE:PLATFORM:BUILDDIR[:LIST,...] into the platform table. */
static int add_platform(struct ctx *c, const char *arg, struct bump_platform *pl, size_t *n)
{
	char *dup = bk_xstrdup(arg), *f[4] = {NULL, NULL, NULL, NULL}, *save = NULL;
	int side, k = 0;
	size_t i;
	for (char *t = dup; k < 4 && t; k++) {
		f[k] = t;
		t = strchr(t, ':');
		if (t)
			*t++ = 0;
	}
	side = f[0] && !strcmp(f[0], "from") ? BUMP_FROM : f[0] && !strcmp(f[0], "to") ? BUMP_TO : -1;
	if (side < 0 || !f[1] || !f[2] || !*f[2] || !bk_platform_find(f[1])) {
		int r = usage_error(c, "%s: expected from|to:PLATFORM:BUILDDIR[:LIST,...] with a known "
				       "platform (%s)", arg, bk_platform_names());
		free(dup);
		return r;
	}
	for (i = 0; i < *n && strcmp(pl[i].name, f[1]); i++)
		;
	if (i == *n) {
		if (*n == 16) {
			free(dup);
			return usage_error(c, "%s: at most 16 platforms", arg);
		}
		memset(&pl[i], 0, sizeof pl[i]);
		pl[i].name = bk_xstrdup(f[1]);
		(*n)++;
	}
	pl[i].bd[side] = bk_xstrdup(f[2]);
	for (char *t = f[3] ? strtok_r(f[3], ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
		if (pl[i].ntc[side] == BUMP_MAX_TC) {
			free(dup);
			return usage_error(c, "%s: at most %d toolchain lists", arg, BUMP_MAX_TC);
		}
		pl[i].tc[side][pl[i].ntc[side]++] = bk_xstrdup(t);
	}
	free(dup);
	return 0;
}

int cmd_bump(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	struct bump_in in = {.features = "minimal", .layout = "canonical"};
	struct bump_platform pl[16];
	const char *pos_v[32], *out = NULL, *from_list = NULL, *list;
	struct args pos = {pos_v, 2, 32, 0, "from:PLATFORM:BUILDDIR and to:PLATFORM:BUILDDIR"};
	int no_build = 0, r;
	const struct opt opts[] = {
		OPT_REQ("--from-src", &in.side[0].src, "DIR", "the tree the FROM version builds from"),
		OPT_REQ("--to-src", &in.side[1].src, "DIR", "the tree the TO version builds from"),
		OPT_REQ("--list", &in.side[BUMP_TO].list, "LIST",
			"the list (TO's; FROM's too unless --from-list)"),
		OPT_V("--from-list", &from_list, "LIST", "FROM's list"),
		OPT_V("--profile", &in.profile, "NAME",
		      "for the title and make hints (default: LIST's name)"),
		OPT_REQ("--out", &out, "DIR", "where the report goes (make: out/<profile>)"),
		OPT_ONEOF("--features", &in.features, "F", "minimal|defaults", "default minimal"),
		OPT_ONEOF("--layout", &in.layout, "L", "canonical|flat", "default canonical"),
		OPT_V("--from-baseline", &in.side[0].baseline, "F", "FROM's testsuite baseline"),
		OPT_V("--to-baseline", &in.side[1].baseline, "F", "TO's testsuite baseline, compared"),
		OPT_F("--no-build", &no_build, "only what needs no compile"),
		OPT_END};
	json_t *rep = NULL;
	size_t broken = 0;
	char *md = NULL, *tmp = NULL, *base = NULL, *name = NULL;
	struct bk_env env;
	if ((r = parse_args(c, argc, argv, opts, bump_usage, &pos)))
		return r < 0 ? 0 : r;
	env = ctx_env(c); /* after --cache */
	list = in.side[BUMP_TO].list;
	for (int i = 0; i < pos.n && !r; i++)
		r = add_platform(c, pos_v[i], pl, &in.nplat);
	for (size_t i = 0; i < in.nplat && !r; i++)
		if (!pl[i].bd[0] || !pl[i].bd[1])
			r = usage_error(c, "%s: needs a from: and a to: build dir", pl[i].name);
	in.plat = pl;
	in.side[BUMP_FROM].list = from_list ? from_list : list;
	if (!in.profile)
		in.profile = name = bk_bump_name(NULL, list, 0);
	in.build = !no_build;
	in.resolver_dir = bk_self_dir();
	in.tmp = tmp = bk_xasprintf("%s/bbkit-bump.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!r && !mkdtemp(tmp))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot make a scratch dir", tmp);
	else if (!r) {
		r = bk_bump_run(&env, &in, &rep, &broken, e);
		bk_rmtree(tmp);
	}
	if (!r && !(r = bk_bump_write(out, &in, rep, &md, &base, e))) {
		fputs(md, stdout);
		progress(c, "%s/%s.md and .json written", out, base);
		bk_bump_broken(rep, e);
		if (broken)
			r = bk_fail(e, BK_REQUEST,
				    "%zu request%s of %s honoured on FROM but not on TO (the report names "
				    "each file:line)",
				    broken, broken == 1 ? "" : "s", list);
	}
	free(tmp);
	free(md);
	free(base);
	free(name);
	free((char *)in.resolver_dir);
	json_decref(rep);
	bk_bump_platforms_free(pl, in.nplat);
	return r;
}
