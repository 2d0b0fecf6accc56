/* bbkit fetch: a verified busybox source tree in the cache.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/engine.h"
#include "lib/tables.h"
#include "lib/fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char fetch_usage[] =
	"usage: bbkit fetch [--version V] [--tarball PATH] [--url URL] [--sha256 HEX]\n"
	"                   [--apt-etc DIR] [--print-sources] [--cache DIR] [-q]\n\n"
	"Get a verified busybox source tree into the cache and print its path.\n"
	"Sources, in this order: --tarball PATH, an already verified cache entry, the\n"
	"Debian source archive (busybox_V.orig.tar.*, fetched with a private apt\n"
	"configuration derived from the host's apt sources), --url URL.\n\n"
	"Pinned versions: 1.35.0 (bookworm), 1.37.0 (trixie), 1.38.0 (sid).\n"
	"A sha256 mismatch is refused (exit 3) and nothing stays in the cache.\n"
	"A cached tree that differs from what was extracted (a file changed, added\n"
	"or removed) is extracted again, naming the file; the files that differed\n"
	"get the time now, so make rebuilds what was built from them.\n";

int cmd_fetch(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	struct bk_fetch f = {.patches = "none"};
	struct src_spec *s = &f.s;
	struct bk_env env;
	int r;
	char *tree;
	s->package = "busybox";
	s->ext = "bz2";
	s->version = BBKIT_DEFAULT_VERSION;
	s->tree_version = bk_tree_version;
	s->hint = "pass --tarball PATH or --url URL";
	{
		const struct opt opts[] = {
			OPT_V("--version", &s->version, "V",
			      "busybox version (default " BBKIT_DEFAULT_VERSION ")"),
			OPT_V("--tarball", &s->tarball, "PATH",
			      "use this local tarball (checked against the pinned sha256)"),
			OPT_V("--url", &s->url, "URL",
			      "download from URL when Debian's archive does not have it"),
			OPT_V("--sha256", &s->sha256, "HEX",
			      "expected sha256; required for versions without a pin"),
			OPT_APT_ETC(c),
			/* --debian fetches neither sources nor patches: the two
			 * were ignored with it, now refused (group bits 1, 2) */
			{.name = "--print-sources", .kind = OPT_FLAG, .dst = &f.sources_only,
			 .group = 1, .help = "print the derived deb-src lines and exit"},
			{.name = "--debian", .kind = OPT_FLAG, .dst = &f.debian, .group = 1 | 2,
			 .help = "instead: Debian's packaging of the version (debian/, with\n"
			      "its configs and patches) from its pinned debian.tar.xz,\n"
			      "into CACHE/src/busybox-V-debian"},
			{.name = "--patches", .kind = OPT_VALUE, .dst = &f.patches, .group = 2,
			 .arg = "SET", .help =
			      "print a patched copy of the tree instead (its own cache\n"
			      "entry, CACHE/src/busybox-V+LABEL; the pristine tree is\n"
			      "untouched): security = Debian's patches for the version\n"
			      "that name a CVE (file name or DEP-3 header), in series\n"
			      "order, from its pinned debian.tar.xz (+security); DIR =\n"
			      "those, then DIR's (its series file, else name order)\n"
			      "(+local-KEY, KEY the first 16 hex digits of the sha256 of\n"
			      "`sha256sum -- * | LC_ALL=C sort` in DIR: each content its\n"
			      "own tree and build dirs); none = the pristine tree"},
			{.name = "--patches-key", .kind = OPT_VALUE, .dst = &f.patches_key,
			 .with = "--patches", .arg = "KEY",
			 .help = "refuse DIR unless its key is KEY (make computes it\n"
				 "first; the patches changed while make ran otherwise)"},
			OPT_F("--verify-tree", &s->verify_tree,
			      "hash every file of a cached tree against the record made\n"
			      "when it was extracted (every run checks sizes and times)"),
			OPT_END,
		};
		if ((r = parse_args(c, argc, argv, opts, fetch_usage, NULL)))
			return r < 0 ? 0 : r;
	}
	env = ctx_env(c); /* after --cache */
	if ((r = bk_fetch_plan(&f, e)))
		return ctx_usage(c, r, e);
	if (f.sources_only && !f.debian) {
		char *lines = NULL;
		if (!(r = bk_fetch_source_lines(&env, &f, &lines, e)))
			fputs(lines, stdout);
		free(lines);
		return r;
	}
	if ((r = bk_source_ensure(&env, s, &tree, e)))
		return r;
	if ((r = bk_fetch_patched(&env, &f, &tree, e))) {
		free(tree);
		return r;
	}
	printf("%s\n", tree);
	free(tree);
	return 0;
}
