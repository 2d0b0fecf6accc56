/* bbkit size: per-applet size from the lld link map, and build comparison
 * (the engine: lib/size.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/builddir.h"
#include "lib/fs.h"
#include "lib/size.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char size_usage[] =
	"usage: bbkit size --builddir DIR [--txt FILE] [--json FILE] [--list FILE...]\n"
	"                  [--packed FILE] [--rootfs FILE [--block-size N]] [-q]\n"
	"       bbkit size --diff A.json B.json\n\n"
	"Attribute every input section of the link (BUILDDIR/busybox_unstripped.map,\n"
	"written by busybox's trylink with lld) to an applet, through the object's\n"
	"source file (its enabled //applet: line), or to \"shared\" (libbb, libc,\n"
	"libgcc, code of several applets, linker-made sections, headers, padding).\n"
	"The applet totals plus shared add up to the loadable bytes of the binary\n"
	"(sum of PT_LOAD memory sizes).\n";

static int diff(const char *a, const char *b, struct bkerr *e)
{
	struct bk_size_report ra, rb;
	struct sbuf out;
	int r = bk_size_json_load(a, &ra, e);
	if (r)
		return r;
	if (!(r = bk_size_json_load(b, &rb, e))) {
		sb_init(&out);
		sb_add(&out, "");
		bk_size_diff(&ra, &rb, &out);
		fputs(out.s, stdout);
		sb_free(&out);
		bk_size_free(&rb);
	}
	bk_size_free(&ra);
	return r;
}

/* The report's figures: attribution, then the rootfs's and the packed file's. */
static int measure(const char *bdir, const char *rootfs, const char *packed, long long block,
		   struct bk_size_report *rep, struct bkerr *e)
{
	struct stat st;
	struct bk_builddir *bd;
	int r = bk_builddir_open(bdir, NULL, &bd, e);
	memset(rep, 0, sizeof *rep); /* freed whatever happens */
	if (!r)
		r = bk_size_of_builddir(bd, rep, e);
	bk_builddir_close(bd);
	rep->block = block;
	if (!r && rootfs)
		r = bk_size_rootfs(rootfs, rep, e);
	if (!r && packed) {
		if (stat(packed, &st))
			r = bk_fail_errno(e, BK_ENV, "%s: the packed binary", packed);
		else
			rep->packed = (long long)st.st_size;
	}
	return r;
}

/* size.txt (or stdout), then size.json */
static int write_reports(const struct bk_size_report *rep, const char *txt, const char *json,
			 struct bkerr *e)
{
	struct sbuf b;
	int r = 0;
	sb_init(&b);
	sb_add(&b, "");
	bk_size_txt(rep, &b);
	if (txt)
		r = bk_write_atomic(txt, b.s, b.len, 0644, 0, NULL, e);
	else
		fputs(b.s, stdout);
	if (!r && json) {
		b.len = 0;
		b.s[0] = 0;
		if (!(r = bk_size_json(rep, &b, e)))
			r = bk_write_atomic(json, b.s, b.len, 0644, 0, NULL, e);
	}
	sb_free(&b);
	return r;
}

int cmd_size(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *bdir = NULL, *txt = NULL, *json = NULL, *lists[16], *files[2], *packed = NULL;
	const char *rootfs = NULL, *block = NULL;
	int nlists = 0, do_diff = 0, r;
	long long bs = 4096;
	char *end;
	struct bk_size_report rep;
	const struct opt opts[] = {
		OPT_F("--diff", &do_diff, "compare two size.json files (A B) per applet"),
		{.name = "--builddir", .kind = OPT_VALUE, .dst = &bdir, .need = "--diff", .arg = "DIR",
		 .help = "the built busybox's build dir (its link map)"},
		OPT_V("--txt", &txt, "FILE", "sorted, human-readable report (default: stdout)"),
		OPT_V("--json", &json, "FILE", "the same as JSON"),
		OPT_M("--list", lists, &nlists, 16, "FILE",
		      "lists whose budgets apply: 'budget SIZE' the\n"
		      "loadable bytes, 'budget flash SIZE' and 'budget download\n"
		      "SIZE' the two figures of --rootfs; over budget is exit 1\n"
		      "naming the figure and (loadable bytes) the biggest applets"),
		OPT_V("--packed", &packed, "FILE",
		      "the packed binary (COMPRESS=upx): its bytes are added as\n"
		      "packed_bytes; the groups keep describing the unpacked code"),
		OPT_V("--rootfs", &rootfs, "FILE",
		      "rootfs.tar: flash_bytes, what it takes on disk extracted\n"
		      "(each regular file rounded up to whole blocks, each directory\n"
		      "and the root one block, a symlink none when its target is\n"
		      "under 60 bytes (ext4 keeps it in the inode), else one block;\n"
		      "inodes not counted), and download_bytes, the image layer\n"
		      "(rootfs.tar gzip'd as bbkit image writes it)"),
		{.name = "--block-size", .kind = OPT_VALUE, .dst = &block, .with = "--rootfs",
		 .arg = "N",
		 .help = "the filesystem block for flash_bytes (default 4096; 512\n"
			 "to 65536, a power of two)"},
		OPT_END};
	struct args pos = {files, 0, 2, 0, NULL};
	if ((r = parse_args(c, argc, argv, opts, size_usage, &pos)))
		return r < 0 ? 0 : r;
	if (do_diff && pos.n != 2)
		return usage_error(c, "--diff needs two size.json files");
	if (do_diff)
		return diff(files[0], files[1], e);
	if (pos.n)
		return usage_error(c, "%s: unexpected argument", files[0]);
	if (block) {
		bs = strtoll(block, &end, 10);
		if (*end || end == block || bs < 512 || bs > 65536 || (bs & (bs - 1)))
			return usage_error(c, "--block-size %s: a power of two from 512 to 65536 "
					   "(a filesystem block; ext4's is 4096)", block);
	}
	/* budgets are checked before anything is written: a report over budget
	 * must not stay behind as a target make considers done */
	if (!(r = measure(bdir, rootfs, packed, bs, &rep, e)) &&
	    !(r = bk_size_budgets(lists, nlists, &rep, e)) &&
	    !(r = write_reports(&rep, txt, json, e)))
		progress(c, "%s: %lld loadable bytes in %zu groups", bdir, rep.total, rep.n);
	bk_size_free(&rep);
	return r;
}
