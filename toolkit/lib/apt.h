/* A private apt (apt.c): repositories derived from the host's sources, own
 * state directories, never /etc/apt or dpkg's database.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_APT_H
#define BBKIT_APT_H

#include "bk.h"

/* Host source URIs. */
struct apt_repo {
	char *uri;       /* e.g. http://host/debian */
	char *signed_by; /* may be NULL */
	char *suite;     /* first matching suite it serves */
};
struct apt_repos {
	struct apt_repo *v;
	size_t n;
};
/* Parse one sources file (one-line .list or deb822 .sources format, chosen by
 * the name's ending) and add every repository that serves one of `suites`
 * (NULL-terminated) for Types deb or deb-src. */
int bk_apt_parse_sources(const char *path, const char *const *suites, struct apt_repos *out,
			 struct bkerr *e);
/* All of etcdir/sources.list and etcdir/sources.list.d/{*.list,*.sources}. */
int bk_apt_host_repos(const char *etcdir, const char *const *suites, struct apt_repos *out,
		      struct bkerr *e);
void bk_apt_repos_free(struct apt_repos *r);
/* One line per repo × suite: "<type> [signed-by=...] uri suite main". */
char *bk_apt_lines(const struct apt_repos *r, const char *type, const char *const *suites);

/* A private configuration. */
struct apt_private {
	char *root;    /* directory holding etc/, lists/, cache/ */
	char *log;     /* log file for apt's output */
	char *archs;   /* APT::Architectures value, or NULL for host default */
};
/* Writes root/etc/sources.list from text and prepares directories. */
int bk_apt_setup(struct apt_private *a, const char *sources_text, struct bkerr *e);
/* Builds an argv for tool ("apt-get", "apt-cache", "/usr/lib/apt/apt-helper")
 * with the private options, followed by the NULL-terminated extra args. */
char **bk_apt_argv(const struct apt_private *a, const char *tool, const char *const *extra);
/* apt-get update with one retry; succeeds when at least some index arrived. */
int bk_apt_update(const struct apt_private *a, struct bkerr *e);
/* Download uri to dest (temp + rename done by caller). */
int bk_apt_download(const struct apt_private *a, const char *uri, const char *dest,
		    struct bkerr *e);

#endif
