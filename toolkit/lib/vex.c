/* Per-CVE statements from the patch set and the link map; CycloneDX VEX.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "vex.h"
#include "archive.h"
#include "cdx.h"
#include "fs.h"
#include "linkmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct objs {
	char **v;
	size_t n;
};

static void add_obj(const char *obj, unsigned long long size, void *arg)
{
	(void)size;
	if (obj)
		bk_strv_add_unique(&((struct objs *)arg)->v, &((struct objs *)arg)->n, obj);
}

static int has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

static struct bk_vuln *vuln_for(struct bk_vex *vex, const char *id)
{
	for (size_t i = 0; i < vex->n; i++)
		if (!strcmp(vex->v[i].id, id))
			return &vex->v[i];
	vex->v = bk_xrealloc(vex->v, (vex->n + 1) * sizeof *vex->v);
	memset(&vex->v[vex->n], 0, sizeof vex->v[0]);
	vex->v[vex->n].id = bk_xstrdup(id);
	vex->v[vex->n].fixed = 1;
	return &vex->v[vex->n++];
}

static int is_code(const char *f)
{
	size_t l = strlen(f);
	return l > 2 && (!strcmp(f + l - 2, ".c") || !strcmp(f + l - 2, ".h"));
}

/* kbuild's record of every linked object's compile (<dir>/.<obj>.cmd):
 * its deps list names each file the compiler read, as <named>/<file>
 * (named: the tree as kbuild knows it, .bbkit-src) */
struct deps {
	char **text;
	size_t n;
	const char *named;
};

static void load_deps(const struct bk_builddir *bd, const struct objs *objs, struct deps *d)
{
	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < objs->n; i++) {
		char *cmd = bk_builddir_cmd_file(bd, objs->v[i]);
		char *text = NULL;
		struct bkerr e = {0, "", NULL, 0};
		if (!bk_read_file(cmd, &text, NULL, &e)) {
			d->text = bk_xrealloc(d->text, (d->n + 1) * sizeof *d->text);
			d->text[d->n++] = text;
		}
		free(e.more);
		free(cmd);
	}
}

static int compiled(const struct deps *d, const char *f)
{
	char *needle = bk_xasprintf(" %s/%s \\\n", d->named, f);
	int hit = 0;
	for (size_t i = 0; !hit && i < d->n; i++)
		hit = strstr(d->text[i], needle) != NULL;
	free(needle);
	return hit;
}

/* A changed file's code in the binary: a .c whose object the link map
 * lists (its applet's), or any file a linked object's compile read (a
 * header, an included .c: "shared" when not the object's own source). */
static void judge_file(struct bk_vuln *v, const char *f, const struct objs *objs,
		       const struct deps *deps, const char *src, const struct dotconfig *cfg)
{
	size_t l = strlen(f);
	if (!is_code(f))
		return;
	bk_strv_add_unique(&v->files, &v->nfiles, f);
	if (!strcmp(f + l - 2, ".c")) {
		char *obj = bk_xasprintf("%.*s.o", (int)l - 2, f);
		if (has(objs->v, objs->n, obj)) {
			char *app = bk_applet_of_source(src, obj, cfg);
			bk_strv_add_unique(&v->linked, &v->nlinked, f);
			bk_strv_add_unique(&v->applets, &v->napplets, app ? app : "shared");
			free(app);
			free(obj);
			return;
		}
		free(obj);
	}
	if (compiled(deps, f)) {
		bk_strv_add_unique(&v->linked, &v->nlinked, f);
		bk_strv_add_unique(&v->applets, &v->napplets, "shared");
	}
}

/* The patches after p in the tree's own set that change file f. */
static char *later_changes(const struct bk_patchset *applied, const struct bk_patch *p,
			   const char *f)
{
	char **names = NULL;
	size_t n = 0, i = 0;
	char *res;
	while (i < applied->n && strcmp(applied->v[i].sha256, p->sha256))
		i++;
	for (i++; i < applied->n; i++)
		if (has(applied->v[i].files, applied->v[i].nfiles, f))
			bk_strv_add_unique(&names, &n, applied->v[i].name);
	res = n ? bk_strv_join(names, n, ", ") : NULL;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return res;
}

static int cmp_vuln(const void *a, const void *b)
{
	return strcmp(((const struct bk_vuln *)a)->id, ((const struct bk_vuln *)b)->id);
}

/* Whether every patch claiming v has all its hunks in the compiled tree;
 * the first one missing, with the later patches that changed its file, in
 * v->why. */
static int check_hunks(struct bk_vuln *v, const struct bk_patchset *known,
		       const struct bk_patchset *applied, const char *src, size_t *changes,
		       struct bkerr *e)
{
	size_t total = 0;
	/* a patched tree is <pristine>+<label>: a patch of its set is judged
	 * against what it changed there, not against lines found anywhere */
	char *pristine = bk_xstrdup(src), *plus = strrchr(pristine, '+');
	if (!plus || strchr(plus, '/') || !bk_is_dir((*plus = 0, pristine))) {
		free(pristine);
		pristine = NULL;
	}
	for (size_t i = 0; i < known->n; i++) {
		const struct bk_patch *p = &known->v[i];
		struct bk_hunks h;
		int r, was_applied = 0;
		if (!has(p->cves, p->ncves, v->id))
			continue;
		for (size_t k = 0; k < applied->n; k++)
			was_applied |= !strcmp(applied->v[k].sha256, p->sha256);
		if ((r = bk_patch_in_tree(p->path, src, was_applied ? pristine : NULL, &h, e))) {
			free(pristine);
			return r;
		}
		total += h.total;
		if (h.found < h.total && v->fixed) {
			char *later = later_changes(applied, p, h.missing_file);
			v->fixed = 0;
			v->why = bk_xasprintf("hunk %d of %s in %s (its line %d) is not in the tree "
					      "this binary was compiled from%s%s",
					      h.missing_hunk, h.missing_file, p->name, h.missing_line,
					      later ? ", changed after it by " : "", later ? later : "");
			free(later);
		}
		bk_hunks_free(&h);
	}
	if (v->fixed)
		v->why = bk_xasprintf("%s found in the compiled tree",
				      total == 1 ? "its one hunk" : "every hunk");
	*changes = total;
	free(pristine);
	return 0;
}

int bk_vex_assess(const struct bk_patchset *known, const struct bk_patchset *applied,
		  struct bk_builddir *bd, struct bk_vex *vex, struct bkerr *e)
{
	const char *src = bd->srctree;
	const struct dotconfig *cfg = NULL;
	char *text = NULL;
	struct objs objs = {NULL, 0};
	struct deps deps = {NULL, 0, NULL};
	size_t changes = 0;
	int r;
	memset(vex, 0, sizeof *vex);
	if ((r = bk_read_file(bd->map, &text, NULL, e)))
		bk_fail(e, r, "%s; build first (bbkit build links with a map)", e->msg);
	else if (!(r = bk_builddir_config(bd, &cfg, e))) {
		bk_linkmap_walk(text, add_obj, &objs);
		load_deps(bd, &objs, &deps);
		deps.named = bd->kbuild_src ? bd->kbuild_src : src;
	}
	for (size_t i = 0; !r && i < known->n; i++) {
		const struct bk_patch *p = &known->v[i];
		for (size_t c = 0; c < p->ncves; c++) {
			struct bk_vuln *v = vuln_for(vex, p->cves[c]);
			bk_strv_add_unique(&v->patch, &v->npatch, p->name);
			for (size_t f = 0; f < p->nfiles; f++) {
				bk_strv_add_unique(&v->all, &v->nall, p->files[f]);
				judge_file(v, p->files[f], &objs, &deps, src, cfg);
			}
		}
	}
	for (size_t i = 0; !r && i < vex->n; i++) {
		struct bk_vuln *v = &vex->v[i];
		v->present = v->nlinked > 0;
		if (!v->nfiles)
			v->state = "in_triage"; /* a claim that changes no code proves nothing */
		else if (!v->present)
			v->state = "not_affected";
		else if (!(r = check_hunks(v, known, applied, src, &changes, e)))
			/* hunks of context only change nothing: no evidence */
			v->state = !changes ? "in_triage" : v->fixed ? "resolved" : "exploitable";
	}
	if (vex->n)
		qsort(vex->v, vex->n, sizeof *vex->v, cmp_vuln);
	for (size_t i = 0; i < objs.n; i++)
		free(objs.v[i]);
	free(objs.v);
	for (size_t i = 0; i < deps.n; i++)
		free(deps.text[i]);
	free(deps.text);
	free(text);
	if (r)
		bk_vex_free(vex);
	return r;
}

static char *detail(const struct bk_vuln *v, const char *patches)
{
	char *p = bk_strv_join(v->patch, v->npatch, ", "), *f = bk_strv_join(v->linked, v->nlinked, ", ");
	char *a = bk_strv_join(v->applets, v->napplets, ", "), *d;
	if (!strcmp(v->state, "in_triage")) {
		char *all = bk_strv_join(v->all, v->nall, ", ");
		d = bk_xasprintf("%s claims it but changes no code (%s): nothing compiled into this "
				 "binary shows it fixed or absent (PATCHES=%s)",
				 p, *all ? all : "no file", patches);
		free(all);
	} else if (!strcmp(v->state, "not_affected")) {
		char *all = bk_strv_join(v->files, v->nfiles, ", ");
		d = bk_xasprintf("none of the code %s changes (%s) is in this binary: no linked "
				 "object is compiled from it",
				 p, all);
		free(all);
	} else if (!strcmp(v->state, "resolved"))
		d = bk_xasprintf("fixed: %s: %s (PATCHES=%s); the code is in this binary: %s (%s)", p,
				 v->why, patches, f, a);
	else
		d = bk_xasprintf("the code is in this binary: %s (%s), and its fix is not: %s "
				 "(PATCHES=%s)",
				 f, a, v->why ? v->why : p, patches);
	free(p);
	free(f);
	free(a);
	return d;
}

/* What the serial number digests: the same statements, the same serial. */
static char *statements(const struct bk_vex *vex, const char *patches)
{
	struct sbuf b = {0};
	sb_addf(&b, "%s %s %s\n", vex->version, vex->platform, patches);
	for (size_t i = 0; i < vex->n; i++)
		sb_addf(&b, "%s %s\n", vex->v[i].id, vex->v[i].state);
	return b.s;
}

char *bk_vex_json(const struct bk_vex *vex, const char *patches, long long epoch)
{
	json_t *doc, *meta = json_object(), *comp = bk_cdx_busybox(vex->version);
	json_t *tools = json_object(), *tl = json_array(), *vulns = json_array();
	char *ref = bk_xstrdup(json_string_value(json_object_get(comp, "bom-ref"))), *sn, ts[32];
	bk_iso_time(epoch, ts);
	sn = statements(vex, patches);
	{
		json_t *bb = json_object();
		json_object_set_new(bb, "type", json_string("application"));
		json_object_set_new(bb, "name", json_string("bbkit"));
		json_array_append_new(tl, bb);
	}
	json_object_set_new(tools, "components", tl);
	json_object_set_new(meta, "timestamp", json_string(ts));
	json_object_set_new(meta, "tools", tools);
	json_object_set_new(meta, "component", comp);
	{
		json_t *props = json_array(), *p1 = json_object(), *p2 = json_object();
		json_object_set_new(p1, "name", json_string("bbkit:platform"));
		json_object_set_new(p1, "value", json_string(vex->platform));
		json_object_set_new(p2, "name", json_string("bbkit:patches"));
		json_object_set_new(p2, "value", json_string(patches));
		json_array_append_new(props, p1);
		json_array_append_new(props, p2);
		json_object_set_new(meta, "properties", props);
	}
	for (size_t i = 0; i < vex->n; i++) {
		const struct bk_vuln *v = &vex->v[i];
		json_t *j = json_object(), *src = json_object(), *an = json_object();
		json_t *aff = json_array(), *ar = json_object();
		char *url = bk_xasprintf("https://nvd.nist.gov/vuln/detail/%s", v->id);
		char *d = detail(v, patches);
		json_object_set_new(src, "name", json_string("NVD"));
		json_object_set_new(src, "url", json_string(url));
		json_object_set_new(an, "state", json_string(v->state));
		if (!strcmp(v->state, "not_affected"))
			json_object_set_new(an, "justification", json_string("code_not_present"));
		json_object_set_new(an, "detail", json_string(d));
		json_object_set_new(ar, "ref", json_string(ref));
		json_array_append_new(aff, ar);
		json_object_set_new(j, "bom-ref", json_string(v->id));
		json_object_set_new(j, "id", json_string(v->id));
		json_object_set_new(j, "source", src);
		json_object_set_new(j, "analysis", an);
		json_object_set_new(j, "affects", aff);
		json_array_append_new(vulns, j);
		free(url);
		free(d);
	}
	doc = bk_cdx_doc(sn, meta);
	json_object_set_new(doc, "vulnerabilities", vulns);
	free(ref);
	free(sn);
	return bk_json_text(doc);
}

/* OpenVEX's status for a CycloneDX analysis.state. */
static const char *openvex_status(const char *state)
{
	if (!strcmp(state, "resolved"))
		return "fixed";
	if (!strcmp(state, "not_affected"))
		return "not_affected";
	if (!strcmp(state, "exploitable"))
		return "affected";
	return "under_investigation";
}

char *bk_openvex_json(const struct bk_vex *vex, const char *patches, long long epoch)
{
	json_t *doc = json_object(), *stmts = json_array();
	json_t *comp = bk_cdx_busybox(vex->version);
	const char *purl = json_string_value(json_object_get(comp, "purl"));
	char ts[32], h[65], *text, *id;
	struct bkerr e = {0, "", NULL, 0};
	bk_iso_time(epoch, ts);
	for (size_t i = 0; i < vex->n; i++) {
		const struct bk_vuln *v = &vex->v[i];
		const char *st = openvex_status(v->state);
		char *url = bk_xasprintf("https://nvd.nist.gov/vuln/detail/%s", v->id);
		char *d = detail(v, patches);
		json_t *s = json_object();
		json_object_set_new(s, "vulnerability",
				    json_pack("{s:s,s:s}", "@id", url, "name", v->id));
		json_object_set_new(s, "products",
				    json_pack("[{s:s,s:{s:s}}]", "@id", purl, "identifiers", "purl", purl));
		json_object_set_new(s, "status", json_string(st));
		json_object_set_new(s, "status_notes", json_string(d));
		if (!strcmp(st, "not_affected"))
			json_object_set_new(s, "justification",
					    json_string("vulnerable_code_not_present"));
		if (!strcmp(st, "affected")) {
			char *p = bk_strv_join(v->patch, v->npatch, ", ");
			char *a = bk_strv_join(v->applets, v->napplets, ", ");
			char *act = bk_xasprintf("build with the fix in the compiled tree (%s: "
						 "PATCHES=security applies Debian's, and no later "
						 "patch may undo it), or leave its code out (%s)",
						 p, a);
			json_object_set_new(s, "action_statement", json_string(act));
			free(act);
			free(p);
			free(a);
		}
		json_array_append_new(stmts, s);
		free(url);
		free(d);
	}
	json_object_set_new(doc, "@context", json_string("https://openvex.dev/ns/v0.2.0"));
	json_object_set_new(doc, "author", json_string("bbkit"));
	json_object_set_new(doc, "timestamp", json_string(ts));
	json_object_set_new(doc, "version", json_integer(1));
	{
		char *tool = bk_xasprintf("bbkit vex: busybox %s for %s, PATCHES=%s, from the patches "
					  "applied and the link map",
					  vex->version, vex->platform, patches);
		json_object_set_new(doc, "tooling", json_string(tool));
		free(tool);
	}
	json_object_set_new(doc, "statements", stmts);
	/* @id: a digest of everything else, so the same statements give the
	 * same id and no random UUID makes two runs differ */
	text = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
	bk_sha256_buf(text ? text : "", text ? strlen(text) : 0, h, &e);
	free(e.more);
	free(text);
	id = bk_xasprintf("urn:bbkit:openvex:sha256:%s", h);
	json_object_set_new(doc, "@id", json_string(id));
	free(id);
	json_decref(comp);
	return bk_json_text(doc);
}

/* "ash 2, awk 4": per applet, how many of the vulns in state. */
static char *per_applet(const struct bk_vex *vex, const char *state, size_t *count)
{
	char **names = NULL;
	size_t n = 0;
	struct sbuf b = {0};
	*count = 0;
	for (size_t i = 0; i < vex->n; i++)
		if (!strcmp(vex->v[i].state, state)) {
			(*count)++;
			for (size_t k = 0; k < vex->v[i].napplets; k++)
				bk_strv_add_unique(&names, &n, vex->v[i].applets[k]);
		}
	sb_add(&b, "");
	if (n)
		qsort(names, n, sizeof *names, bk_cmp_str);
	for (size_t k = 0; k < n; k++) {
		size_t c = 0;
		for (size_t i = 0; i < vex->n; i++)
			c += !strcmp(vex->v[i].state, state) &&
			     has(vex->v[i].applets, vex->v[i].napplets, names[k]);
		sb_addf(&b, "%s%s %zu", k ? ", " : "", names[k], c);
		free(names[k]);
	}
	free(names);
	return b.s;
}

char *bk_vex_summary(const struct bk_vex *vex)
{
	size_t nfix, nopen, nna = 0, ntri = 0;
	char *fix = per_applet(vex, "resolved", &nfix), *open = per_applet(vex, "exploitable", &nopen);
	struct sbuf b = {0};
	for (size_t i = 0; i < vex->n; i++)
		nna += !strcmp(vex->v[i].state, "not_affected"),
		ntri += !strcmp(vex->v[i].state, "in_triage");
	sb_addf(&b, "security: %zu fix%s applied", nfix, nfix == 1 ? "" : "es");
	if (*fix)
		sb_addf(&b, " (%s)", fix);
	sb_addf(&b, ", %zu not applicable (applet not built)", nna);
	if (nopen)
		sb_addf(&b, ", %zu open (%s: code in the binary, fix not applied)", nopen, open);
	if (ntri)
		sb_addf(&b, ", %zu in triage (claimed by a patch that changes no code)", ntri);
	free(fix);
	free(open);
	return b.s;
}

char *bk_vex_text(const struct bk_vex *vex, const char *patches)
{
	struct sbuf b = {0};
	char *sum = bk_vex_summary(vex);
	sb_addf(&b, "%s\n# busybox %s, %s, PATCHES=%s: one line per CVE\n", sum, vex->version,
		vex->platform, patches);
	free(sum);
	for (size_t i = 0; i < vex->n; i++) {
		char *d = detail(&vex->v[i], patches);
		sb_addf(&b, "%-16s %-13s %s\n", vex->v[i].id, vex->v[i].state, d);
		free(d);
	}
	return b.s;
}

void bk_vex_free(struct bk_vex *vex)
{
	for (size_t i = 0; i < vex->n; i++) {
		struct bk_vuln *v = &vex->v[i];
		free(v->id);
		for (size_t k = 0; k < v->npatch; k++)
			free(v->patch[k]);
		for (size_t k = 0; k < v->nlinked; k++)
			free(v->linked[k]);
		for (size_t k = 0; k < v->nfiles; k++)
			free(v->files[k]);
		free(v->files);
		for (size_t k = 0; k < v->nall; k++)
			free(v->all[k]);
		free(v->all);
		free(v->why);
		for (size_t k = 0; k < v->napplets; k++)
			free(v->applets[k]);
		free(v->patch);
		free(v->linked);
		free(v->applets);
	}
	free(vex->v);
	memset(vex, 0, sizeof *vex);
}
