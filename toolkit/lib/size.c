/* Size attribution from the lld link map, rootfs figures, budgets, and
 * size.json (jansson both ways): the engine of bbkit size.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "size.h"
#include "fs.h"
#include "linkmap.h"
#include "list.h"
#include "oci.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gelf.h>
#include <jansson.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct bk_size_group *group_get(struct bk_size_report *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].key, key))
			return &r->v[i];
	r->v = bk_xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	r->v[r->n].key = bk_xstrdup(key);
	r->v[r->n].names = bk_xstrdup("");
	r->v[r->n].bytes = 0;
	return &r->v[r->n++];
}

static long long loadable_bytes(const char *bin, struct bkerr *e)
{
	int fd = open(bin, O_RDONLY | O_CLOEXEC);
	Elf *elf;
	size_t n;
	long long total = 0;
	if (fd < 0)
		return -bk_fail_errno(e, BK_ENV, "%s: cannot open", bin);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getphdrnum(elf, &n)) {
		if (elf)
			elf_end(elf);
		close(fd);
		return -bk_fail(e, BK_ENV, "%s: not an ELF file", bin);
	}
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD)
			total += (long long)ph.p_memsz;
	}
	elf_end(elf);
	close(fd);
	return total;
}

static int cmp_group(const void *a, const void *b)
{
	const struct bk_size_group *x = a, *y = b;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Which applet each object file belongs to, looked up once per object. */
struct owner {
	char *obj; /* "coreutils/test.o" */
	char *sym; /* the applet (main name) its source declares, or NULL */
};

struct attrib {
	struct owner *cache; /* object -> applet main name */
	size_t ncache;
	const char *src;
	const struct dotconfig *cfg;
	const struct applets *apps;
	struct bk_size_report *rep;
};

static const char *owner_of(struct attrib *a, const char *obj)
{
	size_t k;
	for (k = 0; k < a->ncache && strcmp(a->cache[k].obj, obj); k++)
		;
	if (k == a->ncache) {
		a->cache = bk_xrealloc(a->cache, (a->ncache + 1) * sizeof *a->cache);
		a->cache[k].obj = bk_xstrdup(obj);
		a->cache[k].sym = bk_applet_of_source(a->src, obj, a->cfg); /* or NULL */
		a->ncache++;
	}
	return a->cache[k].sym;
}

/* A new group is named by the enabled applets whose main it is. */
static void name_group(struct attrib *a, struct bk_size_group *g, const char *key)
{
	if (g->names[0])
		return;
	for (size_t i = 0; i < a->apps->n; i++) {
		const struct applet *ap = &a->apps->v[i];
		if (!strcmp(ap->main, key) && strcmp(ap->name, "busybox") &&
		    bk_applet_enabled(ap, bk_config_is_on, (void *)a->cfg)) {
			char *t = bk_xasprintf("%s%s%s", g->names, g->names[0] ? " " : "", ap->name);
			free(g->names);
			g->names = t;
		}
	}
}

/* One input section: its bytes count for its object's applet, or "shared". */
static void count(const char *obj, unsigned long long size, void *arg)
{
	struct attrib *a = arg;
	const char *key = obj ? owner_of(a, obj) : NULL;
	struct bk_size_group *g = group_get(a->rep, key ? key : "shared");
	if (key)
		name_group(a, g, key);
	g->bytes += (long long)size;
}

void bk_size_attribute(char *map, long long total, const char *src, const struct dotconfig *cfg,
		       const struct applets *apps, struct bk_size_report *rep)
{
	struct attrib a = {NULL, 0, src, cfg, apps, rep};
	long long attributed;
	memset(rep, 0, sizeof *rep);
	rep->total = total;
	group_get(rep, "shared");
	attributed = bk_linkmap_walk(map, count, &a); /* may move rep->v */
	/* the rest: headers, padding between sections, linker-made bytes */
	group_get(rep, "shared")->bytes += total - attributed;
	qsort(rep->v, rep->n, sizeof *rep->v, cmp_group);
	for (size_t k = 0; k < a.ncache; k++) {
		free(a.cache[k].obj);
		free(a.cache[k].sym);
	}
	free(a.cache);
}

int bk_size_of_builddir(struct bk_builddir *bd, struct bk_size_report *rep, struct bkerr *e)
{
	const struct applets *apps;
	const struct dotconfig *cfg;
	char *text = NULL;
	long long total = 0;
	int r;
	memset(rep, 0, sizeof *rep);
	if ((r = bk_builddir_applets(bd, &apps, e)) || (r = bk_builddir_config(bd, &cfg, e)))
		return r;
	if ((r = bk_read_file(bd->map, &text, NULL, e)))
		return bk_fail(e, BK_ENV, "%s; build first (bbkit build links with a map)", e->msg);
	if ((total = loadable_bytes(bd->binary, e)) >= 0)
		bk_size_attribute(text, total, bd->srctree, cfg, apps, rep);
	free(text);
	return total < 0 ? (int)-total : 0;
}

/* What the tar takes on a filesystem of `block`-byte blocks once
 * extracted, and its gzip'd size (the image layer). */
int bk_size_rootfs(const char *path, struct bk_size_report *rep, struct bkerr *e)
{
	char *tar = NULL, *gz = NULL;
	size_t len = 0, gzlen = 0;
	struct archive *a;
	struct archive_entry *ent;
	long long b = rep->block, flash = b; /* the root: one block */
	int r, rc;
	if ((r = bk_read_file(path, &tar, &len, e)))
		return r;
	a = archive_read_new();
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, tar, len) != ARCHIVE_OK) {
		r = bk_fail(e, BK_REQUEST, "%s: not a tar archive (%s); give the rootfs.tar make wrote",
			    path, archive_error_string(a));
		goto out;
	}
	while ((rc = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *n = archive_entry_pathname(ent);
		mode_t t = archive_entry_filetype(ent);
		if (!n || !strcmp(n, ".") || !strcmp(n, "./") || !strcmp(n, "/"))
			continue; /* the root, counted */
		if (t == AE_IFREG)
			flash += (archive_entry_size(ent) + b - 1) / b * b;
		else if (t == AE_IFDIR)
			flash += b;
		else if (t == AE_IFLNK) {
			const char *to = archive_entry_symlink(ent);
			flash += to && strlen(to) < 60 ? 0 : b; /* ext4's fast symlink */
		}
	}
	if (rc != ARCHIVE_EOF) {
		r = bk_fail(e, BK_REQUEST, "%s: a damaged tar archive (%s)", path,
			    archive_error_string(a));
		goto out;
	}
	if ((r = bk_gzip_buf(tar, len, &gz, &gzlen, e)))
		goto out;
	rep->flash = flash;
	rep->download = (long long)gzlen;
out:
	archive_read_free(a);
	free(tar);
	free(gz);
	return r;
}

/* One of a list's flash/download budgets against its figure. */
static int check_figure(const char *what, long long budget, const char *where, long long have,
			struct bkerr *e)
{
	if (!budget || have <= budget)
		return 0;
	return bk_fail(e, BK_REQUEST,
		       "%s: the %s is %lld bytes, over the budget of %lld (budget %s); drop applets "
		       "or features, or raise it",
		       where, !strcmp(what, "flash") ? "rootfs extracted (flash)" : "download (gzip'd layer)",
		       have, budget, what);
}

/* The loadable-bytes budget: over it names the biggest applets. */
static int check_loadable(const struct applet_list *l, const struct bk_size_report *rep,
			  struct bkerr *e)
{
	struct sbuf top;
	int r;
	if (!l->budget || rep->total <= l->budget)
		return 0;
	sb_init(&top);
	sb_add(&top, "");
	for (size_t k = 0, shown = 0; k < rep->n && shown < 5; k++)
		if (strcmp(rep->v[k].key, "shared")) {
			sb_addf(&top, "%s%s %lld", shown ? ", " : "", rep->v[k].key, rep->v[k].bytes);
			shown++;
		}
	r = bk_fail(e, BK_REQUEST,
		    "%s: busybox is %lld loadable bytes, over the budget of %lld; the biggest "
		    "applets: %s",
		    l->budget_where, rep->total, l->budget, top.s);
	sb_free(&top);
	return r;
}

int bk_size_budgets(const char *const *lists, int nlists, const struct bk_size_report *rep,
		    struct bkerr *e)
{
	int r = 0;
	for (int i = 0; !r && i < nlists; i++) {
		struct applet_list l;
		memset(&l, 0, sizeof l);
		/* as a fragment: one of budgets only is no error here (resolve has
		 * checked every list's entries already) */
		if ((r = bk_list_load_fragment(lists[i], &l, e))) {
			bk_list_free(&l);
			break;
		}
		if ((l.budget_flash || l.budget_download) && !rep->flash)
			r = bk_fail(e, BK_REQUEST,
				    "%s: a flash or download budget, and no rootfs to measure: give "
				    "--rootfs ROOTFS.tar (make does)",
				    l.budget_flash ? l.budget_flash_where : l.budget_download_where);
		if (!r)
			r = check_figure("flash", l.budget_flash, l.budget_flash_where, rep->flash, e);
		if (!r)
			r = check_figure("download", l.budget_download, l.budget_download_where,
					 rep->download, e);
		if (!r)
			r = check_loadable(&l, rep, e);
		bk_list_free(&l);
	}
	return r;
}

static double share(long long part, long long total)
{
	return total ? 100.0 * (double)part / (double)total : 0.0;
}

void bk_size_txt(const struct bk_size_report *rep, struct sbuf *b)
{
	long long sum = 0;
	sb_addf(b, "%10s %6s  %s\n", "bytes", "share", "applet (names)");
	for (size_t i = 0; i < rep->n; i++) {
		const struct bk_size_group *g = &rep->v[i];
		int named = g->names[0] && strcmp(g->names, g->key);
		sb_addf(b, "%10lld %5.1f%%  %s%s%s%s\n", g->bytes, share(g->bytes, rep->total), g->key,
			named ? " (" : "", named ? g->names : "", named ? ")" : "");
		sum += g->bytes;
	}
	sb_addf(b, "%10lld %5.1f%%  total loadable bytes\n", sum, 100.0);
	if (rep->packed)
		sb_addf(b, "%10lld %5.1f%%  the packed file (UPX), what ships\n", rep->packed,
			share(rep->packed, rep->total));
	if (rep->flash) {
		sb_addf(b, "%10lld %6s  flash: the rootfs extracted, in %lld-byte blocks\n", rep->flash,
			"", rep->block);
		sb_addf(b, "%10lld %6s  download: the image layer (rootfs.tar gzip'd)\n",
			rep->download, "");
		/* the last line: make's summary per platform */
		sb_addf(b, "flash %lld bytes (rootfs extracted, %lld-byte blocks), download %lld bytes "
			   "(gzip'd layer), busybox %lld loadable bytes%s\n",
			rep->flash, rep->block, rep->download, rep->total,
			rep->packed ? " (packed: see above)" : "");
	}
}

/* One group as one line: {"applet": "x", "names": "y", "bytes": N} (jansson's
 * separators without indent), escaped as JSON wants. */
static char *group_line(const struct bk_size_group *g)
{
	json_t *o = json_object();
	char *s = NULL;
	json_t *k = json_string(g->key), *n = json_string(g->names);
	if (k && n) {
		json_object_set_new(o, "applet", k);
		json_object_set_new(o, "names", n);
		json_object_set_new(o, "bytes", json_integer(g->bytes));
		s = json_dumps(o, 0);
	} else {
		json_decref(k);
		json_decref(n);
	}
	json_decref(o);
	return s;
}

/* The layout is the one size.json always had: scalars one a line, one
 * group a line. */
int bk_size_json(const struct bk_size_report *rep, struct sbuf *b, struct bkerr *e)
{
	sb_addf(b, "{\n  \"loadable_bytes\": %lld,\n", rep->total);
	if (rep->packed)
		sb_addf(b, "  \"packed_bytes\": %lld,\n", rep->packed);
	if (rep->flash)
		sb_addf(b, "  \"flash_bytes\": %lld,\n  \"flash_block_size\": %lld,\n"
			   "  \"download_bytes\": %lld,\n",
			rep->flash, rep->block, rep->download);
	sb_add(b, "  \"groups\": [");
	for (size_t i = 0; i < rep->n; i++) {
		char *line = group_line(&rep->v[i]);
		if (!line)
			return bk_fail(e, BK_REQUEST, "size group %s: not valid UTF-8; cannot be JSON",
				       rep->v[i].key);
		sb_addf(b, "%s\n    %s", i ? "," : "", line);
		free(line);
	}
	sb_add(b, "\n  ]\n}\n");
	return 0;
}

static int not_size_json(const char *path, int line, const char *why, struct bkerr *e)
{
	return bk_fail(e, BK_REQUEST, "%s:%d: not a bbkit size.json (%s); give one bbkit size --json wrote",
		       path, line, why);
}

static int read_groups(const char *path, json_t *groups, struct bk_size_report *rep,
		       struct bkerr *e)
{
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g) {
		const char *key = json_string_value(json_object_get(g, "applet"));
		const char *names = json_string_value(json_object_get(g, "names"));
		struct bk_size_group *x;
		if (!key || !json_is_integer(json_object_get(g, "bytes")))
			return not_size_json(path, 1, "a group without applet or bytes", e);
		x = group_get(rep, key);
		x->bytes = json_integer_value(json_object_get(g, "bytes"));
		free(x->names);
		x->names = bk_xstrdup(names ? names : "");
	}
	return 0;
}

int bk_size_json_parse(const char *path, const char *text, struct bk_size_report *rep,
		       struct bkerr *e)
{
	json_error_t je;
	json_t *doc = json_loads(text, 0, &je), *groups, *total;
	int r;
	memset(rep, 0, sizeof *rep);
	if (!doc)
		return not_size_json(path, je.line, je.text, e);
	groups = json_object_get(doc, "groups");
	total = json_object_get(doc, "loadable_bytes");
	if (!json_is_integer(total) || !json_is_array(groups))
		r = not_size_json(path, 1, "no loadable_bytes or groups", e);
	else {
		rep->total = json_integer_value(total);
		r = read_groups(path, groups, rep, e);
	}
	json_decref(doc);
	if (r)
		bk_size_free(rep);
	return r;
}

int bk_size_json_load(const char *path, struct bk_size_report *rep, struct bkerr *e)
{
	char *text = NULL;
	int r = bk_read_file(path, &text, NULL, e);
	memset(rep, 0, sizeof *rep);
	if (!r)
		r = bk_size_json_parse(path, text, rep, e);
	free(text);
	return r;
}

static const struct bk_size_group *find(const struct bk_size_report *r, const char *key)
{
	for (size_t k = 0; k < r->n; k++)
		if (!strcmp(r->v[k].key, key))
			return &r->v[k];
	return NULL;
}

void bk_size_diff(const struct bk_size_report *ra, const struct bk_size_report *rb, struct sbuf *out)
{
	sb_addf(out, "%10s %10s %10s  %s\n", "A", "B", "B-A", "applet");
	for (size_t i = 0; i < rb->n; i++) {
		const struct bk_size_group *g = find(ra, rb->v[i].key);
		sb_addf(out, "%10lld %10lld %+10lld  %s%s\n", g ? g->bytes : 0, rb->v[i].bytes,
			rb->v[i].bytes - (g ? g->bytes : 0), rb->v[i].key, g ? "" : " (only in B)");
	}
	for (size_t k = 0; k < ra->n; k++)
		if (!find(rb, ra->v[k].key))
			sb_addf(out, "%10lld %10d %+10lld  %s (only in A)\n", ra->v[k].bytes, 0,
				-ra->v[k].bytes, ra->v[k].key);
	sb_addf(out, "%10lld %10lld %+10lld  total loadable bytes\n", ra->total, rb->total,
		rb->total - ra->total);
}

void bk_size_free(struct bk_size_report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->v[i].key);
		free(rep->v[i].names);
	}
	free(rep->v);
	rep->v = NULL;
	rep->n = 0;
}
