/* bbkit fetch: a verified busybox source tree in the cache.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/apt.h"
#include "lib/elf.h"
#include "lib/engine.h"
#include "lib/fs.h"
#include "lib/patches.h"
#include "lib/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* --debian: the version's debian/ from its own pinned debian.tar.xz. */
static int debian_spec(struct ctx *c, struct src_spec *s)
{
	const struct bk_debian *d = bk_debian_find(s->version);
	if (!d)
		return usage_error(c, "--debian: no pinned Debian packaging of busybox %s (pinned: %s)",
				   s->version, bk_pinned_names());
	if (s->tarball || s->url || s->sha256)
		return usage_error(c, "--debian takes no --tarball, --url or --sha256");
	s->file = d->file;
	s->sha256 = d->sha256;
	s->suites[0] = d->suite;
	s->tree_version = bk_debian_tree_version;
	s->hint = "the pin in pins.tsv may be older than the mirror's revision";
	return 0;
}

/* The suites to look in: the pinned version's, or every pinned one's. */
static const struct bk_version *orig_suites(struct src_spec *s)
{
	const struct bk_version *known = bk_version_find(s->version);
	if (known) {
		s->suites[0] = known->suite;
	} else {
		const char *const *all = bk_pinned_suites();
		for (int i = 0; all[i] && i < 3; i++)
			s->suites[i] = all[i];
	}
	return known;
}

/* The sha256 to check: the pin, or --sha256 for an unpinned version (one
 * that contradicts a pin is refused). */
static int orig_sha256(struct ctx *c, struct src_spec *s, const struct bk_version *known)
{
	if (known && s->sha256 && strcmp(s->sha256, known->sha256))
		return usage_error(c,
				   "--sha256 %s (make: BUSYBOX_SHA256) contradicts the pinned sha256 %s "
				   "of busybox %s; drop it or fix it",
				   s->sha256, known->sha256, s->version);
	if (!s->sha256 && !known)
		return usage_error(c,
				   "busybox %s: no pinned sha256 for this version (pinned: %s); pass "
				   "--sha256 HEX (make: BUSYBOX_SHA256=HEX)",
				   s->version, bk_pinned_names());
	if (!s->sha256)
		s->sha256 = known->sha256;
	if (!bk_is_sha256(s->sha256))
		return usage_error(c, "--sha256 %s: expected 64 lowercase hex digits", s->sha256);
	return 0;
}

static int print_sources(const struct bk_env *env, const struct src_spec *s, struct bkerr *e)
{
	struct apt_repos repos = {NULL, 0};
	char *lines;
	int r = bk_apt_host_repos(env->apt_etc, bk_mirror_suites, &repos, e);
	if (r)
		return r;
	lines = bk_apt_lines(&repos, "deb-src", s->suites);
	fputs(lines, stdout);
	free(lines);
	bk_apt_repos_free(&repos);
	return 0;
}

/* --patches names something that can be applied to this version: checked
 * before anything is fetched. */
static int check_patches(struct ctx *c, const char *version, const char *patches)
{
	if (!strcmp(patches, "none"))
		return 0;
	if (!bk_debian_find(version))
		return usage_error(c,
				   "--patches %s: no pinned Debian packaging of busybox %s to take the "
				   "security patches from (pinned: %s); use --patches none (make: "
				   "PATCHES=none)",
				   patches, version, bk_pinned_names());
	if (strcmp(patches, "security") && !bk_is_dir(patches))
		return usage_error(c, "--patches %s: not security, none or a directory of patches",
				   patches);
	return 0;
}

/* The pristine tree in *tree becomes its patched copy for `patches`
 * (check_patches said yes). */
static int patch_tree(struct ctx *c, const struct bk_env *env, const char *version,
		      const char *patches, const char *want_key, char **tree, struct bkerr *e)
{
	char key[17] = "";
	struct src_spec ds;
	struct bk_patchset set;
	char *debtree = NULL, *out = NULL;
	const char *local = strcmp(patches, "security") ? patches : NULL;
	int r;
	if (!strcmp(patches, "none"))
		return 0;
	memset(&ds, 0, sizeof ds);
	ds.package = "busybox";
	ds.version = version;
	if ((r = debian_spec(c, &ds)) || (r = bk_source_ensure(env, &ds, &debtree, e)))
		return r;
	if (local && !(r = bk_patchdir_key(local, key, e)) && want_key && strcmp(want_key, key))
		r = bk_fail(e, BK_REQUEST,
			    "%s: PATCHES: its patches changed while make ran (key %s, now %s); run "
			    "make again",
			    local, want_key, key);
	if (!r && !(r = bk_patchset_load(debtree, local, &set, e))) {
		char *label = local ? bk_xasprintf("local-%s", key) : bk_xstrdup("security");
		r = bk_patched_tree(env, *tree, &set, label, &out, e);
		bk_patchset_free(&set);
		free(label);
	}
	free(debtree);
	if (!r) {
		free(*tree);
		*tree = out;
	}
	return r;
}

int cmd_fetch(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	struct src_spec s;
	struct bk_env env;
	int want_sources = 0, debian = 0, r;
	const char *patches = "none", *patches_key = NULL;
	char *tree;
	memset(&s, 0, sizeof s);
	s.package = "busybox";
	s.ext = "bz2";
	s.version = BBKIT_DEFAULT_VERSION;
	s.tree_version = bk_tree_version;
	s.hint = "pass --tarball PATH or --url URL";
	{
		const struct opt opts[] = {
			OPT_V("--version", &s.version, "V",
			      "busybox version (default " BBKIT_DEFAULT_VERSION ")"),
			OPT_V("--tarball", &s.tarball, "PATH",
			      "use this local tarball (checked against the pinned sha256)"),
			OPT_V("--url", &s.url, "URL",
			      "download from URL when Debian's archive does not have it"),
			OPT_V("--sha256", &s.sha256, "HEX",
			      "expected sha256; required for versions without a pin"),
			OPT_APT_ETC(c),
			OPT_F("--print-sources", &want_sources, "print the derived deb-src lines and exit"),
			OPT_F("--debian", &debian,
			      "instead: Debian's packaging of the version (debian/, with\n"
			      "its configs and patches) from its pinned debian.tar.xz,\n"
			      "into CACHE/src/busybox-V-debian"),
			OPT_V("--patches", &patches, "SET",
			      "print a patched copy of the tree instead (its own cache\n"
			      "entry, CACHE/src/busybox-V+LABEL; the pristine tree is\n"
			      "untouched): security = Debian's patches for the version\n"
			      "that name a CVE (file name or DEP-3 header), in series\n"
			      "order, from its pinned debian.tar.xz (+security); DIR =\n"
			      "those, then DIR's (its series file, else name order)\n"
			      "(+local-KEY, KEY the first 16 hex digits of the sha256 of\n"
			      "`sha256sum -- * | LC_ALL=C sort` in DIR: each content its\n"
			      "own tree and build dirs); none = the pristine tree"),
			OPT_V("--patches-key", &patches_key, "KEY",
			      "refuse DIR unless its key is KEY (make computes it\n"
			      "first; the patches changed while make ran otherwise)"),
			OPT_F("--verify-tree", &s.verify_tree,
			      "hash every file of a cached tree against the record made\n"
			      "when it was extracted (every run checks sizes and times)"),
			OPT_END,
		};
		if ((r = parse_args(c, argc, argv, opts, fetch_usage, NULL)))
			return r < 0 ? 0 : r;
	}
	env = ctx_env(c); /* after --cache */
	/* empty values (make's BUSYBOX_TARBALL= unset) mean "not given" */
	if (s.tarball && !*s.tarball)
		s.tarball = NULL;
	if (s.url && !*s.url)
		s.url = NULL;
	if (s.sha256 && !*s.sha256)
		s.sha256 = NULL;
	if (debian)
		r = debian_spec(c, &s);
	else {
		const struct bk_version *known = orig_suites(&s);
		if (want_sources)
			return print_sources(&env, &s, e);
		r = orig_sha256(c, &s, known);
	}
	if (!r && !debian)
		r = check_patches(c, s.version, patches);
	if (r || (r = bk_source_ensure(&env, &s, &tree, e)))
		return r;
	if (!debian && (r = patch_tree(c, &env, s.version, patches, patches_key, &tree, e))) {
		free(tree);
		return r;
	}
	printf("%s\n", tree);
	free(tree);
	return 0;
}
