/* A private apt: repositories derived from the host's sources, own state
 * directories, never /etc/apt or dpkg's database.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "apt.h"
#include "fs.h"
#include "run.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int in_list(const char *w, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(w, *list) == 0)
			return 1;
	return 0;
}

static void add_repo(struct apt_repos *out, const char *uri, size_t urilen, const char *sb,
		     size_t sblen, const char *suite)
{
	while (urilen && uri[urilen - 1] == '/')
		urilen--;
	for (size_t i = 0; i < out->n; i++)
		if (strlen(out->v[i].uri) == urilen && !strncmp(out->v[i].uri, uri, urilen))
			return;
	out->v = bk_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
	out->v[out->n].uri = strndup(uri, urilen);
	out->v[out->n].signed_by = sb && sblen ? strndup(sb, sblen) : NULL;
	out->v[out->n].suite = bk_xstrdup(suite);
	out->n++;
}

/* Next whitespace separated word of s (advanced); returns length. */
static size_t word(const char **s, const char **start)
{
	const char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	*start = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	*s = p;
	return (size_t)(p - *start);
}

static int type_ok(const char *t, size_t n)
{
	return (n == 3 && !strncmp(t, "deb", 3)) || (n == 7 && !strncmp(t, "deb-src", 7));
}

static void parse_oneline(char *text, const char *const *suites, struct apt_repos *out)
{
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *s = line, *w, *uri, *sb = NULL;
		size_t n, urilen, sblen = 0;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		n = word(&s, &w);
		if (!type_ok(w, n))
			continue;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[') {
			const char *end = strchr(s, ']');
			if (!end)
				continue;
			for (const char *o = s + 1; o < end;) {
				const char *os;
				size_t ol;
				while (o < end && isspace((unsigned char)*o))
					o++;
				os = o;
				while (o < end && !isspace((unsigned char)*o))
					o++;
				ol = (size_t)(o - os);
				if (ol > 10 && !strncasecmp(os, "signed-by=", 10)) {
					sb = os + 10;
					sblen = ol - 10;
				}
			}
			s = end + 1;
		}
		urilen = word(&s, &uri);
		n = word(&s, &w);
		if (!urilen || !n)
			continue;
		{
			char *suite = strndup(w, n);
			if (in_list(suite, suites))
				add_repo(out, uri, urilen, sb, sblen, suite);
			free(suite);
		}
	}
}

/* deb822: paragraphs of "Field: value" with continuation lines. */
struct para {
	struct sbuf types, uris, suites, signed_by, enabled;
	struct sbuf *cur;
};

static void para_reset(struct para *p)
{
	sb_free(&p->types);
	sb_free(&p->uris);
	sb_free(&p->suites);
	sb_free(&p->signed_by);
	sb_free(&p->enabled);
	p->cur = NULL;
}

static void para_flush(struct para *p, const char *const *suites, struct apt_repos *out)
{
	int typeok = 0;
	char *suiteok = NULL;
	const char *s, *w;
	size_t n;
	if (p->enabled.s && !strncasecmp(p->enabled.s, "no", 2))
		goto done;
	for (s = p->types.s ? p->types.s : ""; (n = word(&s, &w));)
		typeok |= type_ok(w, n);
	for (s = p->suites.s ? p->suites.s : ""; (n = word(&s, &w));) {
		char *suite = strndup(w, n);
		if (!suiteok && in_list(suite, suites))
			suiteok = suite;
		else
			free(suite);
	}
	if (typeok && suiteok) {
		/* Only a keyring path can be carried into a one-line source. */
		const char *sb = NULL;
		size_t sblen = 0;
		if (p->signed_by.s && p->signed_by.s[0] == '/' && !strchr(p->signed_by.s, '\n')) {
			const char *t = p->signed_by.s;
			sblen = word(&t, &sb);
		}
		for (s = p->uris.s ? p->uris.s : ""; (n = word(&s, &w));)
			add_repo(out, w, n, sb, sblen, suiteok);
	}
done:
	free(suiteok);
	para_reset(p);
}

static void parse_deb822(char *text, const char *const *suites, struct apt_repos *out)
{
	struct para p;
	char *line = text, *next;
	memset(&p, 0, sizeof p);
	for (; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (line[0] == '#')
			continue;
		if (!line[strspn(line, " \t\r")]) {
			para_flush(&p, suites, out);
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			if (p.cur) {
				sb_add(p.cur, "\n");
				sb_add(p.cur, line + strspn(line, " \t"));
			}
			continue;
		}
		{
			char *colon = strchr(line, ':');
			char *v;
			if (!colon)
				continue;
			*colon = 0;
			v = colon + 1 + strspn(colon + 1, " \t");
			v[strcspn(v, "\r")] = 0;
			if (!strcasecmp(line, "Types"))
				p.cur = &p.types;
			else if (!strcasecmp(line, "URIs"))
				p.cur = &p.uris;
			else if (!strcasecmp(line, "Suites"))
				p.cur = &p.suites;
			else if (!strcasecmp(line, "Signed-By"))
				p.cur = &p.signed_by;
			else if (!strcasecmp(line, "Enabled"))
				p.cur = &p.enabled;
			else {
				p.cur = NULL;
				continue;
			}
			sb_add(p.cur, v);
		}
	}
	para_flush(&p, suites, out);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

int bk_apt_parse_sources(const char *path, const char *const *suites, struct apt_repos *out,
			 struct bkerr *e)
{
	char *text;
	int r = bk_read_file(path, &text, NULL, e);
	if (r)
		return r;
	if (ends_with(path, ".sources"))
		parse_deb822(text, suites, out);
	else
		parse_oneline(text, suites, out);
	free(text);
	return 0;
}

int bk_apt_host_repos(const char *etcdir, const char *const *suites, struct apt_repos *out,
		      struct bkerr *e)
{
	char *main_list = bk_xasprintf("%s/sources.list", etcdir);
	char *partdir = bk_xasprintf("%s/sources.list.d", etcdir);
	char **names = NULL;
	size_t nn = 0;
	DIR *d;
	int r = 0;
	if (bk_exists(main_list))
		r = bk_apt_parse_sources(main_list, suites, out, e);
	d = opendir(partdir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!ends_with(de->d_name, ".list") && !ends_with(de->d_name, ".sources"))
				continue;
			names = bk_xrealloc(names, (nn + 1) * sizeof *names);
			names[nn++] = bk_xasprintf("%s/%s", partdir, de->d_name);
		}
		closedir(d);
	}
	if (nn)
		qsort(names, nn, sizeof *names, bk_cmp_str);
	for (size_t i = 0; i < nn; i++) {
		if (!r)
			r = bk_apt_parse_sources(names[i], suites, out, e);
		free(names[i]);
	}
	free(names);
	free(main_list);
	free(partdir);
	if (!r && out->n == 0)
		r = bk_fail(e, BK_ENV,
			    "%s: no apt source serves Debian (looked for suites bookworm, trixie, "
			    "sid, stable, testing, unstable in sources.list and "
			    "sources.list.d/*.list|*.sources); add one or pass --tarball",
			    etcdir);
	return r;
}

void bk_apt_repos_free(struct apt_repos *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].uri);
		free(r->v[i].signed_by);
		free(r->v[i].suite);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

char *bk_apt_lines(const struct apt_repos *r, const char *type, const char *const *suites)
{
	struct sbuf b;
	sb_init(&b);
	sb_add(&b, "");
	for (size_t i = 0; i < r->n; i++)
		for (const char *const *s = suites; *s; s++) {
			if (r->v[i].signed_by)
				sb_addf(&b, "%s [signed-by=%s] %s %s main\n", type, r->v[i].signed_by,
					r->v[i].uri, *s);
			else
				sb_addf(&b, "%s %s %s main\n", type, r->v[i].uri, *s);
		}
	return b.s;
}

int bk_apt_setup(struct apt_private *a, const char *sources_text, struct bkerr *e)
{
	const char *dirs[] = {"etc/sources.list.d", "etc/preferences.d", "lists/partial",
			      "cache/archives/partial", NULL};
	char *p;
	int r;
	for (int i = 0; dirs[i]; i++) {
		p = bk_xasprintf("%s/%s", a->root, dirs[i]);
		r = bk_mkdirs(p, 0755, e);
		free(p);
		if (r)
			return r;
	}
	p = bk_xasprintf("%s/etc/sources.list", a->root);
	r = bk_write_atomic(p, sources_text, strlen(sources_text), 0644, 1, NULL, e);
	free(p);
	return r;
}

char **bk_apt_argv(const struct apt_private *a, const char *tool, const char *const *extra)
{
	size_t n = 0, i = 0;
	char **v;
	while (extra && extra[n])
		n++;
	v = bk_xmalloc((n + 24) * sizeof *v);
	v[i++] = bk_xstrdup(tool);
#define OPT(...)                                        \
	do {                                            \
		v[i++] = bk_xstrdup("-o");              \
		v[i++] = bk_xasprintf(__VA_ARGS__);     \
	} while (0)
	OPT("Dir::Etc::SourceList=%s/etc/sources.list", a->root);
	OPT("Dir::Etc::SourceParts=%s/etc/sources.list.d", a->root);
	OPT("Dir::Etc::Preferences=%s/etc/preferences", a->root);
	OPT("Dir::Etc::PreferencesParts=%s/etc/preferences.d", a->root);
	OPT("Dir::State::Lists=%s/lists", a->root);
	OPT("Dir::State::status=/dev/null");
	OPT("Dir::Cache=%s/cache", a->root);
	OPT("APT::Sandbox::User=root");
	if (a->archs) {
		OPT("APT::Architectures=%s", a->archs);
		/* and as the native one: apt fetches the native architecture's
		 * index too (the host's, ~18 MB decompressed and stored again
		 * per update), which none of these lookups reads */
		if (!strchr(a->archs, ','))
			OPT("APT::Architecture=%s", a->archs);
	}
#undef OPT
	for (size_t k = 0; k < n; k++)
		v[i++] = bk_xstrdup(extra[k]);
	v[i] = NULL;
	return v;
}

int bk_apt_update(const struct apt_private *a, struct bkerr *e)
{
	const char *extra[] = {"-q", "update", NULL};
	char **argv = bk_apt_argv(a, "apt-get", extra);
	int r = 0;
	for (int attempt = 0; attempt < 2; attempt++) {
		r = bk_run(argv, NULL, a->log, NULL, e);
		if (!r)
			break;
	}
	bk_argv_free(argv);
	if (r) {
		/* Some indexes (often a foreign-arch one) may fail while the main
		 * suite arrived: carry on when any index is present. */
		char *lists = bk_xasprintf("%s/lists", a->root);
		DIR *d = opendir(lists);
		struct dirent *de;
		int have = 0;
		while (d && (de = readdir(d)))
			have |= ends_with(de->d_name, "_Sources") || ends_with(de->d_name, "_Packages");
		if (d)
			closedir(d);
		free(lists);
		if (have)
			return 0;
	}
	return r;
}

int bk_apt_download(const struct apt_private *a, const char *uri, const char *dest,
		    struct bkerr *e)
{
	const char *extra[] = {"download-file", uri, dest, NULL};
	char **argv = bk_apt_argv(a, "/usr/lib/apt/apt-helper", extra);
	int r = bk_run(argv, NULL, a->log, NULL, e);
	bk_argv_free(argv);
	return r;
}
