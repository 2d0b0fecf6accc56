/* bbkit bump-report's engine: two versions (or two lists) side by side.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bump.h"
#include "applets.h"
#include "baseline.h"
#include "fs.h"
#include "manifest.h"
#include "patches.h"
#include "run.h"
#include "tables.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const side_name[2] = {"from", "to"};

struct side_run {
	char version[64];
	char *resolver;
	char *pristine; /* the tree before any patch (src up to its '+') */
};

/* ---- resolving ---- */

/* "bbkit: resolve: FILE:LINE: ENTRY: WHY" lines of a resolver's log that
 * name a list line: {"where": "FILE:LINE", "why": "ENTRY: WHY"}. */
static json_t *problems_of(const char *log)
{
	json_t *v = json_array();
	char *text = NULL;
	struct bkerr e = {0, "", NULL, 0};
	if (bk_read_file(log, &text, NULL, &e)) {
		free(e.more);
		return v;
	}
	for (char *l = text, *next; l && *l; l = next) {
		const char *pre = "bbkit: resolve: ";
		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		if (strncmp(l, pre, strlen(pre)))
			continue;
		l += strlen(pre);
		/* the first ":<digits>: " ends FILE:LINE */
		for (char *p = strchr(l, ':'); p; p = strchr(p + 1, ':')) {
			char *q = p + 1;
			while (isdigit((unsigned char)*q))
				q++;
			if (q > p + 1 && q[0] == ':' && q[1] == ' ') {
				json_t *o = json_object();
				json_object_set_new(o, "where", json_stringn(l, (size_t)(q - l)));
				json_object_set_new(o, "why", json_string(q + 2));
				json_array_append_new(v, o);
				break;
			}
		}
	}
	free(text);
	return v;
}

/* Resolve the side's list for a platform into out; *problems: the lines
 * that cannot be honoured (status 1), else an empty array. */
static int resolve(const struct bk_env *env, const struct bump_in *in, const struct side_run *sr,
		   int s, const struct bump_platform *p, const char *features, const char *out,
		   json_t **problems, struct bkerr *e)
{
	const char *argv[32];
	int n = 0, status = 0, r;
	char *log = bk_xasprintf("%s.log", out);
	argv[n++] = sr->resolver;
	argv[n++] = "resolve";
	argv[n++] = "-q";
	if (env->cache) {
		argv[n++] = "--cache";
		argv[n++] = env->cache;
	}
	argv[n++] = "--src";
	argv[n++] = in->side[s].src;
	argv[n++] = "--builddir";
	argv[n++] = p->bd[s];
	argv[n++] = "--features";
	argv[n++] = features;
	argv[n++] = "--out";
	argv[n++] = out;
	argv[n++] = "--";
	for (int i = 0; i < p->ntc[s]; i++)
		argv[n++] = p->tc[s][i];
	argv[n++] = in->side[s].list;
	argv[n] = NULL;
	unlink(log);
	unlink(out);
	r = bk_run((char *const *)argv, NULL, log, &status, e);
	*problems = NULL;
	if (r && WIFEXITED(status) && WEXITSTATUS(status) == BK_REQUEST) {
		*problems = problems_of(log);
		r = 0;
		e->code = 0;
	} else if (r)
		r = bk_fail_tail(e, log, 10, "%s: busybox %s, %s: resolving %s", sr->resolver,
				 sr->version, p->name, in->side[s].list);
	else
		*problems = json_array();
	free(log);
	return r;
}

/* ---- symbols ---- */

struct sym {
	char *name, *type, *dflt, *prompt, *where, *applet;
};
struct syms {
	struct sym *v;
	size_t n;
};

static int cmp_sym(const void *a, const void *b)
{
	return strcmp(((const struct sym *)a)->name, ((const struct sym *)b)->name);
}

static void syms_free(struct syms *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].type);
		free(s->v[i].dflt);
		free(s->v[i].prompt);
		free(s->v[i].where);
		free(s->v[i].applet);
	}
	free(s->v);
}

/* The applets whose own symbol is sym (the table's first IF_), joined. */
static char *applets_of(const struct applets *apps, const char *sym)
{
	struct sbuf b;
	sb_init(&b);
	for (size_t i = 0; i < apps->n; i++) {
		const struct applet *a = &apps->v[i];
		if (a->ncond && !a->cond[0].neg && !strcmp(a->cond[0].sym, sym)) {
			if (b.s)
				sb_add(&b, " ");
			sb_add(&b, a->name);
		}
	}
	return b.s;
}

static int load_syms(const struct bump_in *in, const struct side_run *sr, int s,
		     struct syms *out, struct bkerr *e)
{
	const struct bump_platform *p = &in->plat[0];
	const char *argv[16];
	char *text = NULL, *ah;
	struct applets apps = {0};
	int n = 0, r;
	argv[n++] = sr->resolver;
	argv[n++] = "resolve";
	argv[n++] = "-q";
	argv[n++] = "--print-symbols";
	argv[n++] = "--src";
	argv[n++] = in->side[s].src;
	argv[n++] = "--builddir";
	argv[n++] = p->bd[s];
	argv[n++] = "--";
	argv[n++] = p->ntc[s] ? p->tc[s][0] : in->side[s].list;
	argv[n] = NULL;
	if ((r = bk_run_capture((char *const *)argv, NULL, NULL, &text, e)))
		return r;
	ah = bk_xasprintf("%s/include/applets.h", p->bd[s]);
	r = bk_applets_load(ah, &apps, e);
	free(ah);
	for (char *l = text, *next; !r && l && *l; l = next) {
		char *f[5];
		int k = 0;
		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		for (char *t = l; k < 5; k++) {
			f[k] = t;
			t = t ? strchr(t, '\t') : NULL;
			if (t)
				*t++ = 0;
		}
		if (!f[4])
			continue;
		out->v = bk_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		out->v[out->n++] = (struct sym){bk_xstrdup(f[0]), bk_xstrdup(f[1]), bk_xstrdup(f[2]),
						bk_xstrdup(f[3]), bk_xstrdup(f[4]),
						applets_of(&apps, f[0])};
	}
	bk_applets_free(&apps);
	free(text);
	if (!r)
		qsort(out->v, out->n, sizeof *out->v, cmp_sym);
	return r;
}

/* A prompt without its size note: "uuidgen (1.1 kb)" is "uuidgen". */
static char *bare_prompt(const char *p)
{
	size_t n = strlen(p);
	const char *o = strrchr(p, '(');
	if (o && n && p[n - 1] == ')' && (strstr(o, "kb)") || strstr(o, "bytes)")))
		n = (size_t)(o - p);
	while (n && p[n - 1] == ' ')
		n--;
	return strndup(p, n);
}

const char *bk_bump_rename_reason(const char *gone_prompt, const char *gone_applet,
				  const char *added_prompt, const char *added_applet)
{
	char *g = bare_prompt(gone_prompt ? gone_prompt : "");
	char *a = bare_prompt(added_prompt ? added_prompt : "");
	const char *why = NULL;
	if (*g && !strcmp(a, g))
		why = "the same prompt";
	else if (gone_applet && added_applet && !strcmp(gone_applet, added_applet))
		why = "the same applet";
	free(a);
	free(g);
	return why;
}

static const struct sym *renamed_as(const struct sym *gone, const struct syms *added, const char **why)
{
	for (size_t i = 0; i < added->n; i++)
		if ((*why = bk_bump_rename_reason(gone->prompt, gone->applet, added->v[i].prompt,
						  added->v[i].applet)))
			return &added->v[i];
	return NULL;
}

static json_t *sym_json(const struct sym *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "symbol", json_string(s->name));
	json_object_set_new(o, "type", json_string(s->type));
	json_object_set_new(o, "default", json_string(s->dflt));
	json_object_set_new(o, "prompt", json_string(s->prompt));
	json_object_set_new(o, "where", json_string(s->where));
	json_object_set_new(o, "applets", s->applet ? json_string(s->applet) : json_null());
	return o;
}

static int symbols(const struct bk_env *env, const struct bump_in *in, struct side_run *sr,
		   json_t *rep, struct bkerr *e)
{
	struct syms v[2] = {{0}}, gone = {0}, added = {0};
	struct dotconfig dc = {0};
	json_t *jg = json_array(), *ja = json_array(), *probs = NULL;
	char *cfg = bk_xasprintf("%s/to-defaults.config", in->tmp);
	int r = load_syms(in, &sr[BUMP_FROM], BUMP_FROM, &v[0], e);
	if (!r)
		r = load_syms(in, &sr[BUMP_TO], BUMP_TO, &v[1], e);
	/* the list on TO under FEATURES=defaults: which new symbols it turns on */
	if (!r)
		r = resolve(env, in, &sr[BUMP_TO], BUMP_TO, &in->plat[0], "defaults", cfg, &probs, e);
	if (!r && !json_array_size(probs) && bk_config_load(cfg, &dc, e)) {
		free(e->more);
		e->more = NULL;
		e->code = 0;
	}
	for (size_t i = 0, k = 0; !r && (i < v[0].n || k < v[1].n);) {
		int c = i == v[0].n ? 1 : k == v[1].n ? -1 : strcmp(v[0].v[i].name, v[1].v[k].name);
		struct syms *to = c < 0 ? &gone : c > 0 ? &added : NULL;
		if (to) {
			to->v = bk_xrealloc(to->v, (to->n + 1) * sizeof *to->v);
			to->v[to->n++] = c < 0 ? v[0].v[i] : v[1].v[k];
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			k++;
	}
	for (size_t i = 0; !r && i < gone.n; i++) {
		const char *why = NULL;
		const struct sym *as = renamed_as(&gone.v[i], &added, &why);
		json_t *o = sym_json(&gone.v[i]);
		if (as) {
			json_object_set_new(o, "probably_renamed_to", json_string(as->name));
			json_object_set_new(o, "renamed_because", json_string(why));
		}
		json_array_append_new(jg, o);
	}
	for (size_t i = 0; !r && i < added.n; i++) {
		json_t *o = sym_json(&added.v[i]);
		const char *val = dc.n ? bk_config_get(&dc, added.v[i].name) : NULL;
		for (size_t k = 0; k < gone.n; k++) {
			const char *why = NULL;
			const struct sym *as = renamed_as(&gone.v[k], &added, &why);
			if (as == &added.v[i]) {
				json_object_set_new(o, "probably_renamed_from", json_string(gone.v[k].name));
				json_object_set_new(o, "renamed_because", json_string(why));
			}
		}
		json_object_set_new(o, "on_under_defaults",
				    dc.n ? json_boolean(val && !strcmp(val, "y")) : json_null());
		json_array_append_new(ja, o);
	}
	json_object_set_new(rep, "symbols_removed", jg);
	json_object_set_new(rep, "symbols_added", ja);
	if (probs && json_array_size(probs))
		json_object_set_new(rep, "defaults_note",
				    json_string("the list does not resolve on TO under FEATURES=defaults"));
	json_decref(probs);
	free(gone.v);
	free(added.v);
	syms_free(&v[0]);
	syms_free(&v[1]);
	bk_config_free(&dc);
	free(cfg);
	return r;
}

/* ---- links ---- */

static int cmp_link(const void *a, const void *b)
{
	return strcmp(((const struct applet_link *)a)->path, ((const struct applet_link *)b)->path);
}

static json_t *links_diff(const struct manifest *m0, const struct manifest *m1)
{
	json_t *o = json_object(), *add = json_array(), *del = json_array();
	qsort(m0->v, m0->n, sizeof *m0->v, cmp_link);
	qsort(m1->v, m1->n, sizeof *m1->v, cmp_link);
	for (size_t i = 0, k = 0; i < m0->n || k < m1->n;) {
		int c = i == m0->n ? 1 : k == m1->n ? -1 : strcmp(m0->v[i].path, m1->v[k].path);
		if (c < 0)
			json_array_append_new(del, json_string(m0->v[i].path));
		else if (c > 0)
			json_array_append_new(add, json_string(m1->v[k].path));
		if (c <= 0)
			i++;
		if (c >= 0)
			k++;
	}
	json_object_set_new(o, "links", json_pack("[ii]", (int)m0->n, (int)m1->n));
	json_object_set_new(o, "added", add);
	json_object_set_new(o, "removed", del);
	return o;
}

/* ---- patches ---- */

/* patch --dry-run (reverse: -R) in tree; *why: patch's last line. */
static int dry_run(const char *patch, const char *tree, int reverse, const char *log, char **why)
{
	char *argv[] = {"patch", "-p1", "-f", "--dry-run", "--fuzz=0", "-s", reverse ? "-R" : "-N",
			"-i", (char *)patch, NULL};
	struct bkerr e = {0, "", NULL, 0};
	int status = 0, r;
	unlink(log);
	r = bk_run(argv, tree, log, &status, &e);
	free(e.more);
	if (r && why) {
		char *t = bk_tail(log, 1);
		size_t n = t ? strcspn(t, "\n") : 0;
		*why = t && n ? strndup(t, n) : bk_xstrdup("patch failed");
		free(t);
	}
	return r;
}

static json_t *patches(const struct bump_in *in, const struct side_run *sr, struct bkerr *e)
{
	struct bk_patchset set[2] = {{0}};
	json_t *v = json_array();
	char *log = bk_xasprintf("%s/patch.log", in->tmp);
	int r = bk_patchset_of_tree(in->side[0].src, &set[0], e);
	if (!r)
		r = bk_patchset_of_tree(in->side[1].src, &set[1], e);
	for (size_t i = 0; !r && i < set[0].n; i++) {
		const struct bk_patch *p = &set[0].v[i];
		struct bk_hunks h = {0};
		json_t *o = json_object();
		const char *state;
		char *detail = NULL, *detail2;
		int carried = 0;
		for (size_t k = 0; k < set[1].n && !carried; k++) {
			carried = !strcmp(set[1].v[k].sha256, p->sha256) ||
				  !strcmp(set[1].v[k].name, p->name);
			for (size_t a = 0; a < p->ncves && !carried; a++)
				for (size_t b = 0; b < set[1].v[k].ncves && !carried; b++)
					carried = !strcmp(p->cves[a], set[1].v[k].cves[b]);
		}
		int in_tree = !bk_patch_in_tree(p->path, sr[1].pristine, sr[0].pristine, &h, e);
		free(e->more);
		e->more = NULL;
		e->code = 0;
		if (in_tree && h.total && h.found == h.total) {
			state = "upstream";
			detail = bk_xasprintf("every hunk (%zu) is in busybox %s", h.total, sr[1].version);
		} else if (!dry_run(p->path, sr[1].pristine, 1, log, NULL)) {
			state = "upstream";
			detail = bk_xasprintf("applies in reverse to busybox %s", sr[1].version);
		} else {
			char *why = NULL;
			if (!dry_run(p->path, sr[1].pristine, 0, log, &why)) {
				state = "applies";
				detail = bk_xasprintf("applies with no fuzz (%zu of %zu hunks already there)",
						      h.found, h.total);
			} else {
				state = "fails";
				detail = bk_xasprintf("%s; %zu of %zu hunks found in busybox %s: upstream may "
						      "have fixed it otherwise (check the CVE)",
						      why, h.found, h.total, sr[1].version);
			}
			free(why);
		}
		bk_hunks_free(&h);
		json_object_set_new(o, "patch", json_string(p->name));
		detail2 = bk_strv_join(p->cves, p->ncves, " ");
		json_object_set_new(o, "cves", json_string(detail2));
		free(detail2);
		json_object_set_new(o, "state", json_string(state));
		json_object_set_new(o, "detail", json_string(detail));
		json_object_set_new(o, "in_to_patch_set", json_boolean(carried));
		free(detail);
		json_array_append_new(v, o);
	}
	free(log);
	bk_patchset_free(&set[0]);
	bk_patchset_free(&set[1]);
	if (r) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* ---- from builds: sizes, CVE states ---- */

static json_t *load_json(const char *path)
{
	json_error_t je;
	return bk_exists(path) ? json_load_file(path, 0, &je) : NULL;
}

/* A stage holds the build of this very config, or it says nothing of it. */
static int stage_matches(const char *stage, const char *config)
{
	char *a = NULL, *b = NULL, *f = bk_xasprintf("%s/busybox.config", stage);
	size_t la = 0, lb = 0;
	struct bkerr e = {0, "", NULL, 0};
	int same = !bk_read_file(f, &a, &la, &e) && !bk_read_file(config, &b, &lb, &e) &&
		   la == lb && !memcmp(a, b, la);
	free(e.more);
	free(a);
	free(b);
	free(f);
	return same;
}

/* map[key] is a [FROM, TO] pair (null where a side has none): set side's. */
static void pair_set(json_t *map, const char *key, int side, json_t *value)
{
	json_t *pair = json_object_get(map, key);
	if (!pair) {
		pair = json_pack("[nn]");
		json_object_set_new(map, key, pair);
	}
	json_array_set(pair, (size_t)side, value);
}
static json_t *sizes(const json_t *s0, const json_t *s1)
{
	json_t *o = json_object(), *per = json_object(), *out = json_array();
	const json_t *s[2] = {s0, s1};
	const char *k;
	json_t *v;
	for (int i = 0; i < 2; i++) {
		size_t n;
		json_t *g;
		json_object_set(o, side_name[i], json_object_get(s[i], "loadable_bytes"));
		if (json_object_get(s[i], "packed_bytes"))
			json_object_set(o, i ? "to_packed" : "from_packed",
					json_object_get(s[i], "packed_bytes"));
		json_array_foreach(json_object_get(s[i], "groups"), n, g) {
			const char *a = json_string_value(json_object_get(g, "applet"));
			if (a)
				pair_set(per, a, i, json_object_get(g, "bytes"));
		}
	}
	json_object_foreach(per, k, v) {
		json_int_t a = json_integer_value(json_array_get(v, 0)),
			   b = json_integer_value(json_array_get(v, 1));
		if (a != b)
			json_array_append_new(out, json_pack("{s:s,s:O,s:O,s:I}", "applet", k, "from",
							     json_array_get(v, 0), "to",
							     json_array_get(v, 1), "delta", b - a));
	}
	json_decref(per);
	json_object_set_new(o, "applets", out);
	return o;
}

static json_t *cve_changes(const json_t *v0, const json_t *v1)
{
	json_t *st = json_object(), *out = json_array();
	const json_t *v[2] = {v0, v1};
	const char *k;
	json_t *x;
	for (int i = 0; i < 2; i++) {
		size_t n;
		json_t *u;
		json_array_foreach(json_object_get(v[i], "vulnerabilities"), n, u) {
			const char *id = json_string_value(json_object_get(u, "id"));
			json_t *a = json_object_get(u, "analysis");
			if (id)
				pair_set(st, id, i, json_object_get(a, "state"));
		}
	}
	json_object_foreach(st, k, x) {
		if (!json_equal(json_array_get(x, 0), json_array_get(x, 1)))
			json_array_append_new(out, json_pack("{s:s,s:O,s:O}", "id", k, "from",
							     json_array_get(x, 0), "to",
							     json_array_get(x, 1)));
	}
	json_decref(st);
	return out;
}

static void from_builds(const struct bump_in *in, const struct side_run *sr, size_t pi,
			char *const cfg[2], json_t *plat)
{
	const struct bump_platform *p = &in->plat[pi];
	json_t *size[2] = {NULL, NULL}, *vex[2] = {NULL, NULL}, *missing = json_array();
	for (int s = 0; s < 2; s++) {
		char *stage = bk_xasprintf("%s/stage", p->bd[s]);
		char *fs = bk_xasprintf("%s/size.json", stage), *fv = bk_xasprintf("%s/vex.cdx.json", stage);
		if (cfg[s] && stage_matches(stage, cfg[s])) {
			size[s] = load_json(fs);
			vex[s] = load_json(fv);
		}
		if (!size[s] || !vex[s])
			json_array_append_new(
				missing, json_sprintf("make PROFILE=%s PLATFORMS=%s BUSYBOX_VERSION=%s",
						      in->profile, p->name, sr[s].version));
		free(stage);
		free(fs);
		free(fv);
	}
	if (size[0] && size[1])
		json_object_set_new(plat, "sizes", sizes(size[0], size[1]));
	if (vex[0] && vex[1])
		json_object_set_new(plat, "cves", cve_changes(vex[0], vex[1]));
	if (json_array_size(missing))
		json_object_set_new(plat, "build_needed", missing);
	else
		json_decref(missing);
	for (int s = 0; s < 2; s++) {
		json_decref(size[s]);
		json_decref(vex[s]);
	}
}

/* Baseline entries of one version and not the other: "applet: test". */
static json_t *baseline_changes(const struct bump_in *in, struct bkerr *e)
{
	struct baseline b[2] = {{0}};
	json_t *o = json_object();
	int r = 0;
	for (int s = 0; s < 2 && !r; s++)
		if (in->side[s].baseline)
			r = bk_baseline_load(in->side[s].baseline, &b[s], e);
	if (r || !in->side[0].baseline || !in->side[1].baseline) {
		for (int s = 0; s < 2; s++)
			bk_baseline_free(&b[s]);
		json_decref(o);
		return NULL;
	}
	for (int s = 0; s < 2; s++) {
		json_t *v = json_array();
		for (size_t i = 0; i < b[s].n; i++) {
			int found = 0;
			for (size_t k = 0; k < b[!s].n && !found; k++)
				found = !strcmp(b[s].v[i].applet, b[!s].v[k].applet) &&
					!strcmp(b[s].v[i].test, b[!s].v[k].test);
			if (!found)
				json_array_append_new(v, json_sprintf("%s: %s", b[s].v[i].applet,
								      b[s].v[i].test));
		}
		json_object_set_new(o, s ? "new_known_failures" : "no_longer_failing", v);
	}
	for (int s = 0; s < 2; s++)
		bk_baseline_free(&b[s]);
	return o;
}

/* ---- the run ---- */

static int side_setup(const struct bump_in *in, int s, struct side_run *sr, struct bkerr *e)
{
	const char *src = in->side[s].src, *base = strrchr(src, '/');
	const char *plus = strchr(base ? base : src, '+');
	int r;
	if (!bk_is_dir(src))
		return bk_fail(e, BK_ENV,
			       "%s: no busybox source tree there (the %s side's); fetch the version "
			       "first: make fetch BUSYBOX_VERSION=<version> (an unpinned one needs "
			       "BUSYBOX_SHA256)",
			       src, side_name[s]);
	if ((r = bk_tree_version(src, sr->version, sizeof sr->version, e)))
		return r;
	sr->pristine = plus ? strndup(src, (size_t)(plus - src)) : bk_xstrdup(src);
	sr->resolver = bk_xasprintf("%s/bbkit-%s", in->resolver_dir, sr->version);
	if (access(sr->resolver, X_OK))
		return bk_fail(e, BK_ENV,
			       "%s: no resolver for busybox %s; build it with 'make resolver "
			       "BUSYBOX_VERSION=%s'",
			       sr->resolver, sr->version, sr->version);
	if (!bk_exists(in->side[s].list))
		return bk_fail(e, BK_USAGE, "%s: no such list (the %s side's); give an existing list "
					    "file", in->side[s].list, side_name[s]);
	return 0;
}

/* What TO refuses that FROM honoured (FROM's own refusals: the list was
 * broken already; they are named too, apart), one row per request and
 * reason, with the platforms it fails on. */
static void merge_requests(json_t *reqs, json_t *const prob[2], const struct side_run sr[2],
			   const char *plat)
{
	for (int s = 1; s >= 0; s--) {
		size_t i, k;
		json_t *x, *y;
		json_array_foreach(prob[s], i, x) {
			const char *w = json_string_value(json_object_get(x, "where"));
			int on_from = 0, merged = 0;
			json_t *other;
			if (s == 1)
				json_array_foreach(prob[0], k, other)
					on_from |= !strcmp(w, json_string_value(json_object_get(other, "where")));
			json_array_foreach(reqs, k, y) {
				if (!merged && json_equal(json_object_get(y, "where"), json_object_get(x, "where")) &&
				    json_equal(json_object_get(y, "why"), json_object_get(x, "why"))) {
					json_array_append_new(json_object_get(y, "platforms"), json_string(plat));
					merged = 1;
				}
			}
			if (merged)
				continue;
			y = json_deep_copy(x);
			json_object_set_new(y, "version", json_string(sr[s].version));
			json_object_set_new(y, "honoured_on_from", json_boolean(s == 1 && !on_from));
			json_object_set_new(y, "platforms", json_pack("[s]", plat));
			json_array_append_new(reqs, y);
		}
	}
}

/* One platform: the list resolved on both sides, its refusals merged into
 * reqs, the links compared, and (with builds) sizes and CVE states. */
static int one_platform(const struct bk_env *env, const struct bump_in *in, struct side_run sr[2],
			size_t pi, json_t *reqs, json_t *plats, struct bkerr *e)
{
	const struct bump_platform *p = &in->plat[pi];
	char *cfg[2] = {NULL, NULL}, *slug = bk_platform_slug(p->name);
	json_t *prob[2] = {NULL, NULL}, *pj = json_object();
	struct manifest m[2] = {{0}};
	int r = 0;
	bk_say(&env->say, BK_SAY_PROGRESS, "%s: resolving on busybox %s and %s", p->name,
	       sr[0].version, sr[1].version);
	json_object_set_new(pj, "platform", json_string(p->name));
	for (int s = 0; s < 2 && !r; s++) {
		char *out = bk_xasprintf("%s/%s-%s.config", in->tmp, side_name[s], slug);
		r = resolve(env, in, &sr[s], s, p, in->features, out, &prob[s], e);
		if (!r && !json_array_size(prob[s]))
			cfg[s] = out;
		else
			free(out);
	}
	if (!r)
		merge_requests(reqs, prob, sr, p->name);
	for (int s = 0; s < 2 && !r; s++)
		if (cfg[s]) {
			char *ah = bk_xasprintf("%s/include/applets.h", p->bd[s]);
			r = bk_manifest_compute(ah, cfg[s], !strcmp(in->layout, "flat"), &m[s], e);
			free(ah);
		}
	if (!r && cfg[0] && cfg[1]) {
		json_t *d = links_diff(&m[0], &m[1]);
		json_object_update(pj, d);
		json_decref(d);
	}
	else if (!r)
		json_object_set_new(pj, "links_note",
				    json_string("the list does not resolve on both sides: see requests"));
	if (!r && in->build)
		from_builds(in, sr, pi, cfg, pj);
	json_array_append_new(plats, pj);
	for (int s = 0; s < 2; s++) {
		bk_manifest_free(&m[s]);
		json_decref(prob[s]);
		free(cfg[s]);
	}
	free(slug);
	return r;
}

int bk_bump_run(const struct bk_env *env, const struct bump_in *in, json_t **report,
		size_t *broken, struct bkerr *e)
{
	struct side_run sr[2];
	memset(sr, 0, sizeof sr);
	json_t *rep = json_object(), *reqs = json_array(), *plats = json_array(), *pv;
	int r = 0;
	*broken = 0;
	*report = NULL;
	for (int s = 0; s < 2 && !r; s++)
		r = side_setup(in, s, &sr[s], e);
	if (!r && !strcmp(sr[0].version, sr[1].version) && !strcmp(in->side[0].list, in->side[1].list))
		r = bk_fail(e, BK_USAGE,
			    "FROM and TO are both busybox %s with %s: nothing to compare; give two "
			    "versions or FROM_LIST=",
			    sr[0].version, in->side[0].list);
	if (!r) {
		json_object_set_new(rep, "profile", json_string(in->profile));
		json_object_set_new(rep, "from", json_pack("{s:s,s:s}", "version", sr[0].version, "list",
							   in->side[0].list));
		json_object_set_new(rep, "to", json_pack("{s:s,s:s}", "version", sr[1].version, "list",
							 in->side[1].list));
		json_object_set_new(rep, "features", json_string(in->features));
	}
	for (size_t pi = 0; !r && pi < in->nplat; pi++)
		r = one_platform(env, in, sr, pi, reqs, plats, e);
	{
		size_t i;
		json_array_foreach(reqs, i, pv)
			*broken += json_is_true(json_object_get(pv, "honoured_on_from"));
	}
	json_object_set_new(rep, "requests", reqs);
	json_object_set_new(rep, "platforms", plats);
	if (!r && strcmp(sr[0].version, sr[1].version)) {
		r = symbols(env, in, sr, rep, e);
		if (!r) {
			json_t *pt = patches(in, sr, e);
			if (pt)
				json_object_set_new(rep, "patches", pt);
			else
				r = e->code;
		}
		if (!r && in->build) {
			json_t *bl = baseline_changes(in, e);
			if (bl)
				json_object_set_new(rep, "baseline", bl);
			r = e->code;
		}
	}
	if (!r)
		json_object_set_new(rep, "clean", json_boolean(*broken == 0));
	for (int s = 0; s < 2; s++) {
		free(sr[s].resolver);
		free(sr[s].pristine);
	}
	if (r)
		json_decref(rep);
	else
		*report = rep;
	return r;
}

/* ---- markdown ---- */

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* A table cell: '|' and newlines would break the row. */
static void cell(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			sb_add(b, "\\|");
		else if (*s == '\n')
			sb_add(b, " ");
		else
			sb_addn(b, s, 1);
	}
}

static void names_cell(struct sbuf *b, const json_t *arr)
{
	size_t i;
	json_t *x;
	if (!json_array_size(arr)) {
		sb_add(b, "none");
		return;
	}
	json_array_foreach(arr, i, x) {
		sb_add(b, i ? ", `" : "`");
		cell(b, json_string_value(x));
		sb_add(b, "`");
	}
}

static void num(struct sbuf *b, const json_t *v)
{
	if (json_is_integer(v))
		sb_addf(b, "%lld", (long long)json_integer_value(v));
	else
		sb_add(b, "-");
}

static void sym_rows(struct sbuf *b, const json_t *arr, int added)
{
	size_t i;
	json_t *x;
	if (added)
		sb_add(b, "| symbol | prompt | Kconfig default | on with FEATURES=defaults | applet | note |\n"
			  "|---|---|---|---|---|---|\n");
	else
		sb_add(b, "| symbol | prompt | applet | note |\n|---|---|---|---|\n");
	json_array_foreach(arr, i, x) {
		const char *ren = str(x, added ? "probably_renamed_from" : "probably_renamed_to");
		sb_add(b, "| `");
		cell(b, str(x, "symbol"));
		sb_add(b, "` | ");
		cell(b, str(x, "prompt"));
		if (added) {
			json_t *on = json_object_get(x, "on_under_defaults");
			sb_addf(b, " | %s | %s", str(x, "default"),
				json_is_true(on) ? "**yes**" : json_is_false(on) ? "no" : "?");
		}
		sb_add(b, " | ");
		cell(b, str(x, "applets"));
		sb_add(b, " | ");
		if (*ren)
			sb_addf(b, "probably renamed %s `%s` (%s)", added ? "from" : "to", ren,
				str(x, "renamed_because"));
		sb_add(b, " |\n");
	}
}

/* The report's head: what was compared, and whether every request holds. */
static void md_head(struct sbuf *b, const json_t *rep, const char *fv, const char *tv, int bump)
{
	const json_t *x;
	size_t i, nreq = 0;
	if (bump)
		sb_addf(b, "# busybox %s → %s: %s\n\n", fv, tv, str(rep, "profile"));
	else
		sb_addf(b, "# %s → %s on busybox %s\n\n", str(json_object_get(rep, "from"), "list"),
			str(json_object_get(rep, "to"), "list"), fv);
	sb_addf(b, "List `%s`%s%s%s, FEATURES=%s. ", str(json_object_get(rep, "to"), "list"),
		bump ? "" : " (was `", bump ? "" : str(json_object_get(rep, "from"), "list"),
		bump ? "" : "`)", str(rep, "features"));
	json_array_foreach(json_object_get(rep, "requests"), i, x)
		nreq += json_is_true(json_object_get(x, "honoured_on_from"));
	if (nreq)
		sb_addf(b, "**%zu request%s of the list no longer honoured on %s.**\n\n", nreq,
			nreq == 1 ? "" : "s", bump ? tv : "the new list");
	else
		sb_addf(b, "Every request honoured on both.\n\n");
}

static void md_requests(struct sbuf *b, const json_t *rep)
{
	const json_t *x;
	size_t i;
	sb_add(b, "## Requests\n\n");
	if (!json_array_size(json_object_get(rep, "requests"))) {
		sb_add(b, "No request of the list fails on either side.\n\n");
		return;
	}
	sb_add(b, "| where | fails on | platforms | what changed |\n|---|---|---|---|\n");
	json_array_foreach(json_object_get(rep, "requests"), i, x) {
		sb_add(b, "| ");
		cell(b, str(x, "where"));
		sb_addf(b, " | %s%s | ", str(x, "version"),
			json_is_true(json_object_get(x, "honoured_on_from")) ? " (new)" : " (already)");
		names_cell(b, json_object_get(x, "platforms"));
		sb_add(b, " | ");
		cell(b, str(x, "why"));
		sb_add(b, " |\n");
	}
	sb_add(b, "\n");
}

static void md_symbols(struct sbuf *b, const json_t *rep, const char *fv, const char *tv)
{
	const json_t *g = json_object_get(rep, "symbols_removed"), *a = json_object_get(rep, "symbols_added");
	if (!a)
		return;
	sb_addf(b, "## Kconfig symbols\n\n%zu removed, %zu added (%s → %s).\n\n", json_array_size(g),
		json_array_size(a), fv, tv);
	if (json_array_size(g)) {
		sb_add(b, "Removed:\n\n");
		sym_rows(b, g, 0);
		sb_add(b, "\n");
	}
	if (json_array_size(a)) {
		sb_add(b, "Added:\n\n");
		sym_rows(b, a, 1);
		sb_add(b, "\n");
	}
	if (json_object_get(rep, "defaults_note"))
		sb_addf(b, "Note: %s.\n\n", str(rep, "defaults_note"));
}

static void md_links(struct sbuf *b, const json_t *plats)
{
	const json_t *x;
	size_t i;
	sb_add(b, "## Applet links\n\n| platform | links | added | removed |\n|---|---|---|---|\n");
	json_array_foreach(plats, i, x) {
		const json_t *n = json_object_get(x, "links");
		sb_addf(b, "| %s | ", str(x, "platform"));
		if (!n) {
			cell(b, str(x, "links_note"));
			sb_add(b, " | | |\n");
			continue;
		}
		num(b, json_array_get(n, 0));
		sb_add(b, " → ");
		num(b, json_array_get(n, 1));
		sb_add(b, " | ");
		names_cell(b, json_object_get(x, "added"));
		sb_add(b, " | ");
		names_cell(b, json_object_get(x, "removed"));
		sb_add(b, " |\n");
	}
	sb_add(b, "\n");
}

static void md_patches(struct sbuf *b, const json_t *rep, const char *fv, const char *tv)
{
	const json_t *pt = json_object_get(rep, "patches"), *x;
	size_t i;
	if (!pt)
		return;
	sb_addf(b, "## Security patches of %s on %s\n\n", fv, tv);
	if (!json_array_size(pt)) {
		sb_addf(b, "%s has no security patch.\n\n", fv);
		return;
	}
	sb_addf(b, "| patch | CVEs | on %s | in %s's patch set | detail |\n|---|---|---|---|---|\n", tv, tv);
	json_array_foreach(pt, i, x) {
		sb_add(b, "| ");
		cell(b, str(x, "patch"));
		sb_addf(b, " | %s | %s | %s | ", str(x, "cves"), str(x, "state"),
			json_is_true(json_object_get(x, "in_to_patch_set")) ? "yes" : "no");
		cell(b, str(x, "detail"));
		sb_add(b, " |\n");
	}
	sb_add(b, "\n");
}

/* One platform's sizes (loadable bytes, packed, per applet) from its builds. */
static void md_sizes(struct sbuf *b, const json_t *sz)
{
	const json_t *y;
	size_t k;
	sb_add(b, "Total loadable bytes: ");
	num(b, json_object_get(sz, "from"));
	sb_add(b, " → ");
	num(b, json_object_get(sz, "to"));
	if (json_object_get(sz, "to_packed")) {
		sb_add(b, " (packed ");
		num(b, json_object_get(sz, "from_packed"));
		sb_add(b, " → ");
		num(b, json_object_get(sz, "to_packed"));
		sb_add(b, ")");
	}
	sb_add(b, "\n\n");
	if (!json_array_size(json_object_get(sz, "applets")))
		return;
	sb_add(b, "| applet | from | to | change |\n|---|---:|---:|---:|\n");
	json_array_foreach(json_object_get(sz, "applets"), k, y) {
		sb_addf(b, "| %s | ", str(y, "applet"));
		num(b, json_object_get(y, "from"));
		sb_add(b, " | ");
		num(b, json_object_get(y, "to"));
		sb_addf(b, " | %+lld |\n", (long long)json_integer_value(json_object_get(y, "delta")));
	}
	sb_add(b, "\n");
}

/* One platform's CVE statements that changed. */
static void md_cves(struct sbuf *b, const json_t *cv)
{
	const json_t *y;
	size_t k;
	if (!json_array_size(cv)) {
		sb_add(b, "No CVE statement changes.\n\n");
		return;
	}
	sb_add(b, "| CVE | from | to |\n|---|---|---|\n");
	json_array_foreach(cv, k, y)
		sb_addf(b, "| %s | %s | %s |\n", str(y, "id"),
			json_is_string(json_object_get(y, "from")) ? str(y, "from") : "(none)",
			json_is_string(json_object_get(y, "to")) ? str(y, "to") : "(none)");
	sb_add(b, "\n");
}

static void md_builds(struct sbuf *b, const json_t *plats)
{
	const json_t *x, *y;
	size_t i, k;
	int any = 0;
	json_array_foreach(plats, i, x) any |= json_object_get(x, "sizes") || json_object_get(x, "build_needed");
	if (!any)
		return;
	sb_add(b, "## From the builds\n\n");
	json_array_foreach(plats, i, x) {
		sb_addf(b, "### %s\n\n", str(x, "platform"));
		if (json_object_get(x, "sizes"))
			md_sizes(b, json_object_get(x, "sizes"));
		if (json_object_get(x, "cves"))
			md_cves(b, json_object_get(x, "cves"));
		json_array_foreach(json_object_get(x, "build_needed"), k, y)
			sb_addf(b, "Sizes and CVE states need a current build: `%s`\n\n", json_string_value(y));
	}
}

static void md_baseline(struct sbuf *b, const json_t *rep, const char *tv)
{
	const json_t *bl = json_object_get(rep, "baseline");
	if (!bl)
		return;
	sb_addf(b, "## Testsuite baseline\n\nKnown failures no longer listed in %s: ", tv);
	names_cell(b, json_object_get(bl, "no_longer_failing"));
	sb_addf(b, ".\n\nNew known failures in %s: ", tv);
	names_cell(b, json_object_get(bl, "new_known_failures"));
	sb_add(b, ".\n\n");
}

char *bk_bump_markdown(const json_t *rep)
{
	struct sbuf b;
	const json_t *plats = json_object_get(rep, "platforms");
	const char *fv = str(json_object_get(rep, "from"), "version");
	const char *tv = str(json_object_get(rep, "to"), "version");
	int bump = strcmp(fv, tv) != 0;
	sb_init(&b);
	md_head(&b, rep, fv, tv, bump);
	md_requests(&b, rep);
	md_symbols(&b, rep, fv, tv);
	md_links(&b, plats);
	md_patches(&b, rep, fv, tv);
	md_builds(&b, plats);
	md_baseline(&b, rep, tv);
	return b.s;
}

char *bk_bump_name(const char *version, const char *list, int bump)
{
	const char *b = strrchr(list, '/');
	size_t n;
	if (bump)
		return bk_xstrdup(version);
	b = b ? b + 1 : list;
	n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".list"))
		n -= 5;
	else if (n > 7 && !strcmp(b + n - 7, ".config"))
		n -= 7;
	return strndup(b, n);
}

static int write_files(const char *out, const char *base, const char *md, const json_t *rep,
			struct bkerr *e)
{
	char *jt = json_dumps(rep, JSON_SORT_KEYS | JSON_INDENT(2));
	char *fm = bk_xasprintf("%s/%s.md", out, base), *fj = bk_xasprintf("%s/%s.json", out, base);
	int r = bk_mkdirs(out, 0755, e);
	if (!r)
		r = bk_write_atomic(fj, jt, strlen(jt), 0644, 1, NULL, e);
	if (!r)
		r = bk_write_atomic(fm, md, strlen(md), 0644, 1, NULL, e);
	free(jt);
	free(fm);
	free(fj);
	return r;
}

int bk_bump_write(const char *out, const struct bump_in *in, const json_t *rep, char **md,
		  char **base, struct bkerr *e)
{
	const json_t *f = json_object_get(rep, "from"), *t = json_object_get(rep, "to");
	const char *fv = json_string_value(json_object_get(f, "version")),
		   *tv = json_string_value(json_object_get(t, "version"));
	int bump = strcmp(fv, tv) != 0;
	char *from = bk_bump_name(fv, in->side[BUMP_FROM].list, bump);
	char *to = bk_bump_name(tv, in->side[BUMP_TO].list, bump);
	*base = bk_xasprintf("bump-%s-%s", from, to);
	*md = bk_bump_markdown(rep);
	free(from);
	free(to);
	return write_files(out, *base, *md, rep, e);
}

void bk_bump_broken(const json_t *rep, struct bkerr *e)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(rep, "requests"), i, x)
		if (json_is_true(json_object_get(x, "honoured_on_from")))
			bk_problem(e, "%s: %s (honoured on FROM)",
				   json_string_value(json_object_get(x, "where")),
				   json_string_value(json_object_get(x, "why")));
}

void bk_bump_platforms_free(struct bump_platform *pl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)pl[i].name);
		for (int s = 0; s < 2; s++) {
			free((char *)pl[i].bd[s]);
			for (int k = 0; k < pl[i].ntc[s]; k++)
				free((char *)pl[i].tc[s][k]);
		}
	}
}
