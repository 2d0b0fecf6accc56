/* bbkit size: per-applet size from the lld link map, and build comparison.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/linkmap.h"
#include "lib/applets.h"
#include "lib/list.h"
#include "lib/oci.h"

#include <archive.h>
#include <archive_entry.h>

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char size_usage[] =
	"usage: bbkit size --builddir DIR [--txt FILE] [--json FILE] [--list FILE...]\n"
	"                  [--packed FILE] [--rootfs FILE [--block-size N]] [-q]\n"
	"       bbkit size --diff A.json B.json\n\n"
	"Attribute every input section of the link (BUILDDIR/busybox_unstripped.map,\n"
	"written by busybox's trylink with lld) to an applet, through the object's\n"
	"source file (its enabled //applet: line), or to \"shared\" (libbb, libc,\n"
	"libgcc, code of several applets, linker-made sections, headers, padding).\n"
	"The applet totals plus shared add up to the loadable bytes of the binary\n"
	"(sum of PT_LOAD memory sizes).\n\n"
	"  --txt FILE    sorted, human-readable report (default: stdout)\n"
	"  --json FILE   the same as JSON\n"
	"  --list FILE   lists whose budgets apply (repeatable): 'budget SIZE' the\n"
	"                loadable bytes, 'budget flash SIZE' and 'budget download\n"
	"                SIZE' the two figures of --rootfs; over budget is exit 1\n"
	"                naming the figure and (loadable bytes) the biggest applets\n"
	"  --rootfs FILE rootfs.tar: flash_bytes, what it takes on disk extracted\n"
	"                (each regular file rounded up to whole blocks, each directory\n"
	"                and the root one block, a symlink none when its target is\n"
	"                under 60 bytes (ext4 keeps it in the inode), else one block;\n"
	"                inodes not counted), and download_bytes, the image layer\n"
	"                (rootfs.tar gzip'd as bbkit image writes it)\n"
	"  --block-size N the filesystem block for flash_bytes (default 4096; 512\n"
	"                to 65536, a power of two)\n"
	"  --packed FILE the packed binary (COMPRESS=upx): its bytes are added as\n"
	"                packed_bytes; the groups keep describing the unpacked code\n"
	"  --diff A B    compare two size.json files per applet\n" BBKIT_EXIT_CODES;

struct owner {
	char *obj; /* "coreutils/test.o" */
	char *sym; /* the applet (main name) its source declares, or NULL */
};

struct size_group {
	char *key;    /* applet main name, or "shared" */
	char *names;  /* applet names, space separated */
	long long bytes;
};

struct report {
	struct size_group *v;
	size_t n;
	long long total;
	long long packed; /* the packed file's bytes (COMPRESS), or 0 */
	long long flash, download; /* --rootfs: on disk extracted, gzip'd layer; or 0 */
	long long block;
};

static struct size_group *group_get(struct report *r, const char *key)
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
	const struct size_group *x = a, *y = b;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Which applet each object file belongs to, looked up once per object. */
struct attrib {
	struct owner *cache; /* object -> applet main name */
	size_t ncache;
	const char *src;
	struct dotconfig *cfg;
	struct applets *apps;
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
static void name_group(struct attrib *a, struct size_group *g, const char *key)
{
	if (g->names[0])
		return;
	for (size_t i = 0; i < a->apps->n; i++) {
		const struct applet *ap = &a->apps->v[i];
		if (!strcmp(ap->main, key) && strcmp(ap->name, "busybox") &&
		    bk_applet_enabled(ap, bk_config_is_on, a->cfg)) {
			char *t = bk_xasprintf("%s%s%s", g->names, g->names[0] ? " " : "", ap->name);
			free(g->names);
			g->names = t;
		}
	}
}

struct walk {
	struct report *rep;
	struct attrib *a;
};

/* One input section: its bytes count for its object's applet, or "shared". */
static void count(const char *obj, unsigned long long size, void *arg)
{
	struct walk *w = arg;
	const char *key = obj ? owner_of(w->a, obj) : NULL;
	struct size_group *g = group_get(w->rep, key ? key : "shared");
	if (key)
		name_group(w->a, g, key);
	g->bytes += (long long)size;
}

static int compute(const char *bdir, struct report *rep, struct bkerr *e)
{
	struct applets apps;
	struct dotconfig cfg;
	struct attrib a = {NULL, 0, NULL, &cfg, &apps};
	char *map = bk_xasprintf("%s/busybox_unstripped.map", bdir), *text = NULL, *src = NULL;
	char *bin = bk_xasprintf("%s/busybox_unstripped", bdir);
	char *ah = bk_xasprintf("%s/include/applets.h", bdir);
	char *cf = bk_xasprintf("%s/.config", bdir);
	int r;
	memset(rep, 0, sizeof *rep);
	if ((r = bk_applets_load(ah, &apps, e)))
		goto out0;
	if ((r = bk_config_load(cf, &cfg, e)))
		goto out1;
	if ((r = bk_read_file(map, &text, NULL, e))) {
		bk_fail(e, BK_ENV, "%s; build first (bbkit build links with a map)", e->msg);
		goto out2;
	}
	rep->total = loadable_bytes(bin, e);
	if (rep->total < 0) {
		r = (int)-rep->total;
		goto out2;
	}
	if (!(src = bk_srctree_of(bdir))) {
		r = bk_fail(e, BK_ENV, "%s/Makefile: no KERNELSRC; not a busybox O= build dir", bdir);
		goto out2;
	}
	a.src = src;
	group_get(rep, "shared");
	{
		struct walk w = {rep, &a};
		long long attributed = bk_linkmap_walk(text, count, &w); /* may move rep->v */
		/* the rest: headers, padding between sections, linker-made bytes */
		group_get(rep, "shared")->bytes += rep->total - attributed;
	}
	qsort(rep->v, rep->n, sizeof *rep->v, cmp_group);
	r = 0;
out2:
	bk_config_free(&cfg);
out1:
	bk_applets_free(&apps);
out0:
	for (size_t k = 0; k < a.ncache; k++) {
		free(a.cache[k].obj);
		free(a.cache[k].sym);
	}
	free(a.cache);
	free(src);
	free(text);
	free(map);
	free(bin);
	free(ah);
	free(cf);
	return r;
}

static void render_txt(const struct report *rep, struct sbuf *b)
{
	long long sum = 0;
	sb_addf(b, "%10s %6s  %s\n", "bytes", "share", "applet (names)");
	for (size_t i = 0; i < rep->n; i++) {
		const struct size_group *g = &rep->v[i];
		sb_addf(b, "%10lld %5.1f%%  %s%s%s%s\n", g->bytes,
			rep->total ? 100.0 * (double)g->bytes / (double)rep->total : 0.0, g->key,
			g->names[0] && strcmp(g->names, g->key) ? " (" : "",
			g->names[0] && strcmp(g->names, g->key) ? g->names : "",
			g->names[0] && strcmp(g->names, g->key) ? ")" : "");
		sum += g->bytes;
	}
	sb_addf(b, "%10lld %5.1f%%  total loadable bytes\n", sum, 100.0);
	if (rep->packed)
		sb_addf(b, "%10lld %5.1f%%  the packed file (UPX), what ships\n", rep->packed,
			rep->total ? 100.0 * (double)rep->packed / (double)rep->total : 0.0);
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

static void render_json(const struct report *rep, struct sbuf *b)
{
	sb_addf(b, "{\n  \"loadable_bytes\": %lld,\n", rep->total);
	if (rep->packed)
		sb_addf(b, "  \"packed_bytes\": %lld,\n", rep->packed);
	if (rep->flash)
		sb_addf(b, "  \"flash_bytes\": %lld,\n  \"flash_block_size\": %lld,\n"
			   "  \"download_bytes\": %lld,\n",
			rep->flash, rep->block, rep->download);
	sb_add(b, "  \"groups\": [");
	for (size_t i = 0; i < rep->n; i++)
		sb_addf(b, "%s\n    {\"applet\": \"%s\", \"names\": \"%s\", \"bytes\": %lld}",
			i ? "," : "", rep->v[i].key, rep->v[i].names, rep->v[i].bytes);
	sb_add(b, "\n  ]\n}\n");
}

static void report_free(struct report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->v[i].key);
		free(rep->v[i].names);
	}
	free(rep->v);
}

/* size.json -> report (only what render_json writes) */
static int load_json(const char *path, struct report *rep, struct bkerr *e)
{
	char *text, *p;
	int r = bk_read_file(path, &text, NULL, e);
	memset(rep, 0, sizeof *rep);
	if (r)
		return r;
	p = strstr(text, "\"loadable_bytes\":");
	if (!p) {
		free(text);
		return bk_fail(e, BK_REQUEST, "%s: not a bbkit size.json", path);
	}
	rep->total = strtoll(p + 17, NULL, 10);
	for (p = text; (p = strstr(p, "{\"applet\": \"")); p++) {
		char key[256];
		long long bytes;
		char *bq = strstr(p, "\"bytes\": ");
		if (sscanf(p + 12, "%255[^\"]", key) != 1 || !bq)
			continue;
		bytes = strtoll(bq + 9, NULL, 10);
		group_get(rep, key)->bytes = bytes;
	}
	free(text);
	return 0;
}

static int diff(struct ctx *c, const char *a, const char *b, struct bkerr *e)
{
	struct report ra, rb;
	int r = load_json(a, &ra, e);
	(void)c;
	if (r)
		return r;
	if ((r = load_json(b, &rb, e))) {
		report_free(&ra);
		return r;
	}
	printf("%10s %10s %10s  %s\n", "A", "B", "B-A", "applet");
	for (size_t i = 0; i < rb.n; i++) {
		struct size_group *g = NULL;
		for (size_t k = 0; k < ra.n; k++)
			if (!strcmp(ra.v[k].key, rb.v[i].key))
				g = &ra.v[k];
		printf("%10lld %10lld %+10lld  %s%s\n", g ? g->bytes : 0, rb.v[i].bytes,
		       rb.v[i].bytes - (g ? g->bytes : 0), rb.v[i].key, g ? "" : " (only in B)");
	}
	for (size_t k = 0; k < ra.n; k++) {
		int found = 0;
		for (size_t i = 0; i < rb.n; i++)
			found |= !strcmp(ra.v[k].key, rb.v[i].key);
		if (!found)
			printf("%10lld %10d %+10lld  %s (only in A)\n", ra.v[k].bytes, 0, -ra.v[k].bytes,
			       ra.v[k].key);
	}
	printf("%10lld %10lld %+10lld  total loadable bytes\n", ra.total, rb.total, rb.total - ra.total);
	report_free(&ra);
	report_free(&rb);
	return 0;
}

/* What rootfs (a tar) takes on a filesystem of `block`-byte blocks once
 * extracted, and its gzip'd size (the image layer). */
static int rootfs_figures(const char *path, struct report *rep, struct bkerr *e)
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

/* Every 'budget' of the lists against the report: over budget is exit 1
 * naming the biggest applets. */
static int check_budgets(const char *const *lists, int nlists, const struct report *rep,
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
		if (!r && l.budget && rep->total > l.budget) {
			struct sbuf top;
			sb_init(&top);
			sb_add(&top, "");
			for (size_t k = 0, shown = 0; k < rep->n && shown < 5; k++)
				if (strcmp(rep->v[k].key, "shared")) {
					sb_addf(&top, "%s%s %lld", shown ? ", " : "", rep->v[k].key, rep->v[k].bytes);
					shown++;
				}
			r = bk_fail(e, BK_REQUEST,
				    "%s: busybox is %lld loadable bytes, over the budget of %lld; the "
				    "biggest applets: %s",
				    l.budget_where, rep->total, l.budget, top.s);
			sb_free(&top);
		}
		bk_list_free(&l);
	}
	return r;
}

int cmd_size(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *bdir = NULL, *txt = NULL, *json = NULL, *lists[16], *files[2], *packed = NULL;
	const char *rootfs = NULL, *block = NULL;
	int nlists = 0, do_diff = 0, r;
	struct report rep;
	struct sbuf b;
	const struct opt opts[] = {OPT_F("--diff", &do_diff),
				   {"--builddir", OPT_VALUE, &bdir, NULL, 0, "--diff", 0},
				   OPT_V("--txt", &txt),
				   OPT_V("--json", &json),
				   OPT_M("--list", lists, &nlists, 16),
				   OPT_V("--packed", &packed),
				   OPT_V("--rootfs", &rootfs),
				   OPT_V("--block-size", &block),
				   OPT_END};
	struct args pos = {files, 0, 2, 0, NULL};
	if ((r = parse_args(c, argc, argv, opts, size_usage, &pos)))
		return r < 0 ? 0 : r;
	if (do_diff) {
		if (pos.n != 2)
			return usage_error(c, "--diff needs two size.json files");
		return diff(c, files[0], files[1], e);
	}
	if (pos.n)
		return usage_error(c, "%s: unexpected argument", files[0]);
	{
		long long bs = 4096;
		if (block) {
			char *end;
			bs = strtoll(block, &end, 10);
			if (*end || end == block || bs < 512 || bs > 65536 || (bs & (bs - 1)))
				return usage_error(c, "--block-size %s: a power of two from 512 to 65536 "
						   "(a filesystem block; ext4's is 4096)", block);
			if (!rootfs)
				return usage_error(c, "--block-size: only with --rootfs");
		}
		if ((r = compute(bdir, &rep, e)))
			return r;
		rep.block = bs;
	}
	if (rootfs && (r = rootfs_figures(rootfs, &rep, e))) {
		report_free(&rep);
		return r;
	}
	if (packed) {
		struct stat st;
		if (stat(packed, &st)) {
			report_free(&rep);
			return bk_fail_errno(e, BK_ENV, "%s: the packed binary", packed);
		}
		rep.packed = (long long)st.st_size;
	}
	/* checked before anything is written: a report over budget must not
	 * stay behind as a target make considers done */
	if ((r = check_budgets(lists, nlists, &rep, e))) {
		report_free(&rep);
		return r;
	}
	sb_init(&b);
	sb_add(&b, "");
	render_txt(&rep, &b);
	if (txt)
		r = bk_write_atomic(txt, b.s, b.len, 0644, 0, NULL, e);
	else
		fputs(b.s, stdout);
	if (!r && json) {
		sb_free(&b);
		sb_add(&b, "");
		render_json(&rep, &b);
		r = bk_write_atomic(json, b.s, b.len, 0644, 0, NULL, e);
	}
	sb_free(&b);
	if (!r)
		progress(c, "%s: %lld loadable bytes in %zu groups", bdir, rep.total, rep.n);
	report_free(&rep);
	return r;
}
