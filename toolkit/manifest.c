/* bbkit manifest: the applet links of a resolved config, without compiling
 * or running anything.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/builddir.h"
#include "lib/fs.h"
#include "lib/manifest.h"
#include "lib/tables.h"

#include <stdio.h>
#include <string.h>

static const char manifest_usage[] =
	"usage: bbkit manifest --builddir DIR [--config FILE] [--format links|json|sh]\n"
	"                      [--layout canonical|flat] [--platform P] [--suid] [--out FILE] [-q]\n\n"
	"Compute the applet links from the resolved .config and busybox's applet\n"
	"table (BUILDDIR/include/applets.h): no compiling, no emulation.\n";

int cmd_manifest(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *bdir = NULL, *config = NULL, *format = "links", *layout = "canonical";
	const char *platform = NULL, *out = NULL;
	struct manifest m;
	struct bk_builddir *bd;
	struct sbuf b;
	const struct platform *p; /* only checked: render takes the name */
	int r, suid = 0;
	const struct opt opts[] = {
		OPT_REQ("--builddir", &bdir, "DIR", "busybox build dir (applet table, default .config)"),
		OPT_V("--config", &config, "FILE", "the resolved config (default BUILDDIR/.config)"),
		OPT_ONEOF("--format", &format, "F", "links|json|sh",
			  "links (default): one absolute path per line, busybox.links\n"
			  "format; json: name, path, relative target, suid, config\n"
			  "symbol, busybox version, platform, /bin/busybox's mode and\n"
			  "what busybox does with setuid (\"setuid\"); sh: a script,\n"
			  "sh manifest.sh DESTDIR makes the links"),
		OPT_V("--layout", &layout, "L",
		      "canonical (default): each link where busybox installs it;\n"
		      "flat: every link in /bin"),
		OPT_V("--platform", &platform, "P", "recorded in json"),
		OPT_F("--suid", &suid,
		      "/bin/busybox is setuid root when an applet needs it\n"
		      "(make SUID=1): refused (exit 1) when busybox would not\n"
		      "drop root (FEATURE_SUID off) or has --install"),
		OPT_V("--out", &out, "FILE", "write atomically to FILE instead of stdout"),
		OPT_END};
	if ((r = parse_args(c, argc, argv, opts, manifest_usage, NULL)))
		return r < 0 ? 0 : r;
	if (platform && (r = bk_platform_get(platform, &p, e)))
		return r;
	if ((r = bk_manifest_layout_check(layout, e)) || (r = bk_builddir_open(bdir, NULL, &bd, e)))
		return r;
	r = bk_manifest_of_builddir(bd, config, layout, &m, e);
	if (!r && suid && (r = bk_manifest_suid_check(&m, config ? config : bd->config, e)))
		bk_manifest_free(&m);
	bk_builddir_close(bd);
	if (r)
		return r;
	sb_init(&b);
	bk_manifest_render(&m, format, platform, layout, suid, &b);
	if (out) {
		int changed = 0;
		/* always replaced: make compares its mtime with the config's */
		r = bk_write_atomic(out, b.s, b.len, !strcmp(format, "sh") ? 0755 : 0644, 0, &changed, e);
		if (!r)
			progress(c, "%s: %zu applets, %s written", platform ? platform : bdir, m.n, out);
	} else
		fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
	bk_manifest_free(&m);
	return r;
}
