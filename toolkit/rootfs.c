/* bbkit rootfs: a deterministic rootfs tarball (or directory) holding
 * /bin/busybox and one relative symlink per applet (the engine:
 * lib/rootfs.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/builddir.h"
#include "lib/manifest.h"
#include "lib/rootfs.h"

#include <unistd.h>

static const char rootfs_usage[] =
	"usage: bbkit rootfs --builddir DIR --binary FILE (--out TAR | --dir DEST)\n"
	"                    [--config FILE] [--layout canonical|flat] [--suid] [-q]\n\n"
	"Write /bin/busybox and one relative symlink per applet (the manifest of\n"
	"the resolved config) as a tarball or into a directory, and\n"
	"/etc/busybox-paths.d/busybox (mode 0644): the links' absolute paths, one a\n"
	"line, exactly as busybox.links (/bin/busybox itself not listed), as Alpine's\n"
	"busybox package writes it and apko, Wolfi and scanners read it.\n"
	"The tarball is reproducible: sorted entries, uid/gid 0 (root), mode 0755\n"
	"directories, mtime SOURCE_DATE_EPOCH (default 946684800 = 2000-01-01),\n"
	"ustar format (a pax header only for a time ustar cannot hold, after\n"
	"2242), no other host metadata.\n";

int cmd_rootfs(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *bdir = NULL, *config = NULL, *bin = NULL, *out = NULL, *dir = NULL;
	const char *layout = "canonical";
	int suid = 0, r;
	struct manifest m = {0};
	struct bk_builddir *bd;
	mode_t binmode;
	const struct opt opts[] = {
		OPT_REQ("--builddir", &bdir, "DIR", "the busybox build dir (applet table, .config)"),
		OPT_V("--config", &config, "FILE", "the resolved config (default BUILDDIR/.config)"),
		OPT_REQ("--binary", &bin, "FILE", "the stripped busybox"),
		{.name = "--out", .kind = OPT_VALUE, .dst = &out, .need = "--dir", .group = 1,
		 .arg = "TAR", .help = "write the tarball atomically"},
		{.name = "--dir", .kind = OPT_VALUE, .dst = &dir, .need = "--out", .group = 1,
		 .arg = "DEST",
		 .help = "lay out a directory instead (replaced atomically; DEST\n"
			 "must be absent, empty or an earlier rootfs with\n"
			 "bin/busybox: a directory of yours is never deleted)"},
		OPT_V("--layout", &layout, "L",
		      "canonical (default): each link where busybox installs it;\n"
		      "flat: every link in /bin"),
		OPT_F("--suid", &suid,
		      "/bin/busybox 4755 when some applet needs setuid; refused\n"
		      "(exit 1) without FEATURE_SUID or with FEATURE_INSTALLER\n"
		      "(otherwise always 0755)"),
		OPT_END};
	if ((r = parse_args(c, argc, argv, opts, rootfs_usage, NULL)))
		return r < 0 ? 0 : r;
	if ((r = bk_manifest_layout_check(layout, e)) || (r = bk_builddir_open(bdir, NULL, &bd, e)))
		return r;
	if ((r = bk_manifest_of_builddir(bd, config, layout, &m, e)))
		;
	else if (access(bin, R_OK))
		r = bk_fail_errno(e, BK_ENV, "%s: busybox binary", bin);
	else if (!suid || !(r = bk_manifest_suid_check(&m, config ? config : bd->config, e))) {
		binmode = bk_manifest_binmode(&m, suid);
		r = bk_rootfs_write(&m, bin, binmode, c->epoch, out, dir, e);
		if (!r)
			progress(c, "%s: /bin/busybox (%04o) and %zu links", out ? out : dir,
				 (unsigned)binmode, m.n);
	}
	bk_manifest_free(&m);
	bk_builddir_close(bd);
	return r;
}
