/* bbkit resolve: parse the command line, run the resolver engine
 * (lib/kconfig/), report. Linked into bbkit-<version> with that
 * version's kconfig; the generic bbkit runs it through resolve_exec.c.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/kconfig/resolver.h"
#include "lib/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char resolve_usage[] =
	"usage: bbkit resolve --src DIR --builddir DIR [options] LIST...\n\n"
	"Start from the build dir's allnoconfig (.config.allnoconfig), apply the\n"
	"lists through busybox's own kconfig, check every request after all values\n"
	"are recalculated, and write the .config (atomically, only when changed).\n"
	"Every request that cannot be honoured is reported as\n"
	"  file:line: <entry as written>: <reason>\n"
	"and nothing is written (exit 1).\n\n"
	"List format: one applet name ([, run-parts, sh), SYMBOL or CONFIG_SYMBOL,\n"
	"SYMBOL=y|n|123|0x1f|\"text\", !SYMBOL, 'include FILE', 'fragment FILE',\n"
	"'budget SIZE' a line;\n"
	"'#' comments. CRLF line endings are accepted.\n";

struct resolve_args {
	const char *src, *bdir, *base, *out, *depfile, *explain, *features;
	const char *version; /* the tree's */
	int print_requests, print_symbols, want_list, strict;
	const char *lists[64], *dep_targets[4], *fragments[16];
	int nlists, ndep_targets, nfragments;
};

static int parse(struct ctx *c, int argc, char **argv, struct resolve_args *a)
{
	const struct opt opts[] = {
		OPT_REQ("--src", &a->src, "DIR", "busybox source tree (bbkit fetch)"),
		OPT_REQ("--builddir", &a->bdir, "DIR", "allnoconfig'd build dir (bbkit prepare)"),
		OPT_ONEOF("--features", &a->features, "F", "minimal|defaults",
			  "minimal (default): sub-features stay off unless listed;\n"
			  "defaults: an enabled applet's features take Kconfig defaults"),
		OPT_V("--base", &a->base, "FILE", "starting config (default BUILDDIR/.config.allnoconfig)"),
		OPT_V("--out", &a->out, "FILE", "output (default BUILDDIR/.config)"),
		OPT_V("--depfile", &a->depfile, "FILE",
		      "write make dependencies (target: FILE minus .d): every\n"
		      "list file read, includes too, names escaped for make"),
		OPT_M("--dep-target", a->dep_targets, &a->ndep_targets, 4, "FILE",
		      "another target of those dependencies"),
		OPT_V("--explain", &a->explain, "NAME",
		      "after resolving, print why NAME (symbol or applet)\n"
		      "has its value; writes nothing"),
		OPT_F("--print-list", &a->want_list,
		      "print the shortest list that, after the other lists,\n"
		      "resolves to what the last one resolves to (a whole\n"
		      ".config, say): applet names, then symbols and values\n"
		      "only where they differ, under busybox's menu titles"),
		OPT_F("--print-requests", &a->print_requests,
		      "print what each entry asks for, one per line:\n"
		      "file:line TAB entry TAB SYMBOL TAB value; writes nothing"),
		OPT_F("--print-symbols", &a->print_symbols,
		      "print every symbol of this version's Kconfig, one per\n"
		      "line: NAME TAB type TAB default TAB prompt TAB file:line;\n"
		      "writes nothing (bbkit bump-report diffs two versions)"),
		OPT_M("--fragment", a->fragments, &a->nfragments, 16, "FILE",
		      "merged into the last LIST as merge_config.sh does:\n"
		      "a later line for a symbol replaces the earlier one\n"
		      "(of the last LIST or an earlier fragment), each one\n"
		      "named in a note; in order"),
		OPT_F("--strict", &a->strict,
		      "the last input is a .config: any symbol whose value\n"
		      "differs from busybox's oldconfig of it is an error\n"
		      "(without it: one note naming them all, and why)"),
		OPT_END};
	struct args pos = {a->lists, 1, 64, 0, "at least one LIST"};
	int r = parse_args(c, argc, argv, opts, resolve_usage, &pos);
	a->nlists = pos.n;
	return r;
}

/* What the command was asked for, once the lists are mapped: a table
 * (--print-requests, --print-symbols), or the requests checked and the
 * answer (resolver_answer), then the .config written. */
static int report(struct ctx *c, struct resolver *rs, const struct resolve_args *a, double t0,
		  struct bkerr *e)
{
	const struct resolver_ask ask = {a->lists, a->nlists, a->explain, a->want_list,
					 a->strict, a->out, a->version};
	int table = a->print_requests || a->print_symbols, r = 0;
	struct sbuf text;
	sb_init(&text);
	if (a->print_symbols)
		resolver_symbols(rs, &text);
	else if (a->print_requests)
		resolver_requests(rs, &text);
	else {
		resolver_check(rs);
		r = resolver_answer(rs, &ask, &text, e);
	}
	if (text.s)
		fputs(text.s, stdout);
	sb_free(&text);
	if (r || table || a->explain || a->want_list)
		return r;
	resolver_notes(rs);
	progress(c, "busybox %s: %zu entries resolved in %.0f ms", a->version, resolver_nentries(rs),
		 (bk_now() - t0) * 1000);
	return resolver_write(rs, a->out, a->depfile, a->dep_targets, a->ndep_targets, e);
}

int cmd_resolve(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	struct resolve_args a = {.features = "minimal"};
	struct resolver *rs = NULL;
	struct applet_list list = {0};
	struct bk_list_inputs in = {0};
	char ver[64];
	double t0;
	int r;
	if ((r = parse(c, argc, argv, &a)))
		return r < 0 ? 0 : r;
	if ((r = bk_tree_version(a.src, ver, sizeof ver, e)))
		return r;
	if (strcmp(ver, BBKIT_KCONFIG_VERSION))
		return bk_fail(e, BK_ENV, "%s is busybox %s but this resolver was built for %s", a.src,
			       ver, BBKIT_KCONFIG_VERSION);
	r = bk_list_load_inputs(a.lists, a.nlists, a.fragments, a.nfragments, &list, &in, e);
	t0 = bk_now();
	a.version = ver;
	if (!r) {
		struct resolver_opts o = {.src = a.src, .builddir = a.bdir, .base = a.base,
					  .cache = c->cache, .version = ver,
					  .defaults = !strcmp(a.features, "defaults"),
					  .epoch = c->epoch, .say = ctx_say(c)};
		if (!(rs = resolver_open(&o, e)))
			r = e->code ? e->code : BK_ENV;
	}
	if (rs) {
		struct bk_say say = ctx_say(c);
		/* merged once the applet table is known (an applet's symbol) */
		bk_list_merge_inputs(&list, resolver_applets(rs), &in, &say);
		resolver_map(rs, &list, in.input_start);
		r = report(c, rs, &a, t0, e);
	}
	resolver_free(rs);
	bk_list_free(&list);
	bk_list_inputs_free(&in);
	return r;
}
