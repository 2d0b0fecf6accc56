/* What 'bbkit fetch' was asked for, checked and made into a source spec;
 * the patched copy of the fetched tree (fetch.h).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "fetch.h"
#include "patches.h"
#include "apt.h"
#include "elf.h"
#include "fs.h"
#include "tables.h"

#include <stdlib.h>
#include <string.h>

/* --debian: the version's debian/ from its own pinned debian.tar.xz. */
static int debian_spec(struct src_spec *s, struct bkerr *e)
{
	const struct bk_debian *d = bk_debian_find(s->version);
	if (!d)
		return bk_fail(e, BK_USAGE,
			       "--debian: no pinned Debian packaging of busybox %s (pinned: %s)",
			       s->version, bk_pinned_names());
	if (s->tarball || s->url || s->sha256)
		return bk_fail(e, BK_USAGE, "--debian takes no --tarball, --url or --sha256");
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
static int orig_sha256(struct src_spec *s, const struct bk_version *known, struct bkerr *e)
{
	if (known && s->sha256 && strcmp(s->sha256, known->sha256))
		return bk_fail(e, BK_USAGE,
			       "--sha256 %s (make: BUSYBOX_SHA256) contradicts the pinned sha256 %s "
			       "of busybox %s; drop it or fix it",
			       s->sha256, known->sha256, s->version);
	if (!s->sha256 && !known)
		return bk_fail(e, BK_USAGE,
			       "busybox %s: no pinned sha256 for this version (pinned: %s); pass "
			       "--sha256 HEX (make: BUSYBOX_SHA256=HEX)",
			       s->version, bk_pinned_names());
	if (!s->sha256)
		s->sha256 = known->sha256;
	if (!bk_is_sha256(s->sha256))
		return bk_fail(e, BK_USAGE, "--sha256 %s: expected 64 lowercase hex digits",
			       s->sha256);
	return 0;
}

/* --patches names something that can be applied to this version. */
static int check_patches(const char *version, const char *patches, struct bkerr *e)
{
	if (!strcmp(patches, "none"))
		return 0;
	if (!bk_debian_find(version))
		return bk_fail(e, BK_USAGE,
			       "--patches %s: no pinned Debian packaging of busybox %s to take the "
			       "security patches from (pinned: %s); use --patches none (make: "
			       "PATCHES=none)",
			       patches, version, bk_pinned_names());
	if (strcmp(patches, "security") && !bk_is_dir(patches))
		return bk_fail(e, BK_USAGE,
			       "--patches %s: not security, none or a directory of patches", patches);
	return 0;
}

int bk_fetch_plan(struct bk_fetch *f, struct bkerr *e)
{
	struct src_spec *s = &f->s;
	const struct bk_version *known;
	int r;
	/* empty values (make's BUSYBOX_TARBALL= unset) mean "not given" */
	if (s->tarball && !*s->tarball)
		s->tarball = NULL;
	if (s->url && !*s->url)
		s->url = NULL;
	if (s->sha256 && !*s->sha256)
		s->sha256 = NULL;
	if (f->debian)
		return debian_spec(s, e);
	known = orig_suites(s);
	if (f->sources_only)
		return 0;
	if ((r = orig_sha256(s, known, e)))
		return r;
	return check_patches(s->version, f->patches, e);
}

int bk_fetch_source_lines(const struct bk_env *env, const struct bk_fetch *f, char **lines,
			  struct bkerr *e)
{
	struct apt_repos repos = {NULL, 0};
	int r = bk_apt_host_repos(env->apt_etc, bk_mirror_suites, &repos, e);
	if (r)
		return r;
	*lines = bk_apt_lines(&repos, "deb-src", f->s.suites);
	bk_apt_repos_free(&repos);
	return 0;
}

int bk_fetch_patched(const struct bk_env *env, const struct bk_fetch *f, char **tree,
		     struct bkerr *e)
{
	char key[17] = "";
	struct src_spec ds;
	struct bk_patchset set;
	char *debtree = NULL, *out = NULL;
	const char *local = strcmp(f->patches, "security") ? f->patches : NULL;
	int r;
	if (f->debian || !strcmp(f->patches, "none"))
		return 0;
	memset(&ds, 0, sizeof ds);
	ds.package = "busybox";
	ds.version = f->s.version;
	if ((r = debian_spec(&ds, e)) || (r = bk_source_ensure(env, &ds, &debtree, e)))
		return r;
	if (local && !(r = bk_patchdir_key(local, key, e)) && f->patches_key &&
	    strcmp(f->patches_key, key))
		r = bk_fail(e, BK_REQUEST,
			    "%s: PATCHES: its patches changed while make ran (key %s, now %s); run "
			    "make again",
			    local, f->patches_key, key);
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
