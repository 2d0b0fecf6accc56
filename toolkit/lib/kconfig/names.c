/* Names of this and other busybox versions, for a list's unknown names: a
 * close spelling, the versions that have it, or a patch's symbol.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"
#include "../cache.h"
#include "../fs.h"
#include "../tables.h"

#include <stdlib.h>
#include <string.h>

static char *names_text(struct resolver *rs)
{
	struct sbuf b;
	struct symbol *s;
	int i;
	sb_init(&b);
	sb_add(&b, "");
	for_all_symbols(i, s) if (real_symbol(s)) sb_addf(&b, "S %s\n", s->name);
	for (size_t k = 0; k < rs->apps.n; k++)
		sb_addf(&b, "A %s\n", rs->apps.v[k].name);
	return b.s;
}

/* Versions (other than ours) whose names file lists "<kind> <name>". */
static char *other_versions_with(struct resolver *rs, char kind, const char *name)
{
	struct sbuf b;
	char *needle = bk_xasprintf("\n%c %s\n", kind, name);
	sb_init(&b);
	sb_add(&b, "");
	for (const struct bk_version *v = bk_versions; v->version; v++) {
		char *path, *text;
		if (!strcmp(v->version, rs->version) || !rs->names_dir)
			continue;
		path = bk_xasprintf("%s/busybox-%s.names", rs->names_dir, v->version);
		if (!bk_read_file(path, &text, NULL, NULL)) {
			char *t = bk_xasprintf("\n%s", text);
			if (strstr(t, needle))
				sb_addf(&b, "%s%s", b.len ? ", " : "", v->version);
			free(t);
			free(text);
		}
		free(path);
	}
	free(needle);
	return b.s;
}

/* Every other pinned version's names are in the cache (each is saved the
 * first time that version resolves): "no version has it" can be said. */
static int other_versions_known(struct resolver *rs)
{
	for (const struct bk_version *v = bk_versions; v->version; v++) {
		char *path;
		int ok;
		if (!strcmp(v->version, rs->version))
			continue;
		if (!rs->names_dir)
			return 0;
		path = bk_xasprintf("%s/busybox-%s.names", rs->names_dir, v->version);
		ok = bk_exists(path);
		free(path);
		if (!ok)
			return 0;
	}
	return 1;
}

void rv_save_names(struct resolver *rs)
{
	char *text, *path;
	if (!rs->names_dir || bk_mkdirs(rs->names_dir, 0755, NULL))
		return;
	text = names_text(rs);
	path = bk_xasprintf("%s/busybox-%s.names", rs->names_dir, rs->version);
	bk_write_atomic(path, text, strlen(text), 0644, 1, NULL, NULL);
	free(path);
	free(text);
}

struct cand {
	int d;
	char name[128];
};

static void consider(struct cand *best, int nbest, const char *name, const char *shown,
		     const char *want)
{
	int d = bk_levenshtein(want, name);
	int limit = (int)strlen(want) / 3 + 1;
	if (d > limit || d > 2) /* a close spelling, not any name of that length */
		return;
	for (int i = 0; i < nbest; i++)
		if (!strcmp(best[i].name, shown))
			return;
	for (int i = 0; i < nbest; i++)
		if (d < best[i].d) {
			memmove(&best[i + 1], &best[i], (size_t)(nbest - i - 1) * sizeof *best);
			best[i].d = d;
			snprintf(best[i].name, sizeof best[i].name, "%s", shown);
			return;
		}
}

static char *suggest(struct resolver *rs, const char *name, int applet)
{
	struct cand best[3];
	struct symbol *s;
	struct sbuf b;
	int i;
	char lower[128];
	for (int k = 0; k < 3; k++)
		best[k].d = 1000, best[k].name[0] = 0;
	/* of the same kind only: an applet for an applet, a symbol for a symbol */
	for (size_t k = 0; applet && k < rs->apps.n; k++)
		consider(best, 3, rs->apps.v[k].name, rs->apps.v[k].name, name);
	if (!applet)
		for_all_symbols(i, s)
		{
			if (real_symbol(s) && strlen(s->name) < sizeof lower)
				consider(best, 3, s->name, s->name, name);
		}
	sb_init(&b);
	sb_add(&b, "");
	for (int k = 0; k < 3 && best[k].d < 1000; k++)
		sb_addf(&b, "%s%s", k ? ", " : "", best[k].name);
	return b.s;
}

/* "1.37.0" against "1.38.0": <0, 0, >0 by each number in turn */
static int vercmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
		if (ea == a && eb == b && !*a && !*b)
			break;
		if (!*ea && !*eb)
			break;
	}
	return 0;
}

void rv_unknown(struct resolver *rs, struct req *r, int applet)
{
	const char *name = r->ent->name;
	char *sug = suggest(rs, name, applet);
	char *other = other_versions_with(rs, applet ? 'A' : 'S', name);
	struct sbuf b;
	sb_init(&b);
	/* not a typo (nothing close), in no pinned version: a patch's symbol */
	if (!applet && !other[0] && !sug[0] && other_versions_known(rs)) {
		sb_addf(&b, "unknown config symbol: no pinned busybox (%s) has it, so it may come "
			    "from a distribution's patch (Debian's PLATFORM_LINUX is one); drop the "
			    "line",
			bk_pinned_names());
		rv_problem(rs, r, "%s", b.s);
		sb_free(&b);
		free(sug);
		free(other);
		return;
	}
	sb_addf(&b, "unknown %s in busybox %s", applet ? "applet" : "config symbol", rs->version);
	if (other[0]) {
		/* which side of this version the ones that have it are */
		int newer = 0, older = 0;
		char *dup = bk_xstrdup(other), *save = NULL, *latest = NULL;
		for (char *v = strtok_r(dup, ", ", &save); v; v = strtok_r(NULL, ", ", &save)) {
			if (vercmp(v, rs->version) > 0) {
				newer++;
				if (!latest)
					latest = v; /* pins are in ascending order: the first newer */
			} else
				older++;
		}
		if (newer && !older)
			sb_addf(&b, " (new in busybox %s: use BUSYBOX_VERSION=%s)", latest, latest);
		else if (older && !newer)
			sb_addf(&b, " (busybox %s has it: removed or renamed after it)", other);
		else
			sb_addf(&b, " (busybox %s has it)", other);
		free(dup);
	}
	if (sug[0])
		sb_addf(&b, "; closest: %s", sug);
	else
		sb_addf(&b, "; no similar name (busybox's Config.in files and include/applets.h "
			    "list them)");
	rv_problem(rs, r, "%s", b.s);
	sb_free(&b);
	free(sug);
	free(other);
}
