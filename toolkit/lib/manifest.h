/* The applet link manifest, computed from a .config and the applet table.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_MANIFEST_H
#define BBKIT_MANIFEST_H

#include "applets.h"

struct applet_link {
	char *name;   /* applet name */
	char *path;   /* absolute: /usr/bin/env */
	char *target; /* relative: ../../bin/busybox */
	const char *suid; /* "drop", "maybe", "require" */
	char *symbol; /* config symbol */
};

struct manifest {
	struct applet_link *v;
	size_t n;
	char *version; /* busybox version from the .config header */
	int needs_suid; /* some applet is "require" or "maybe" */
};

/* layout_flat: every link in /bin. */
int bk_manifest_compute(const char *applets_h, const char *config, int layout_flat,
			struct manifest *m, struct bkerr *e);
/* The same for a build dir: BUILDDIR/include/applets.h and config (NULL:
 * BUILDDIR/.config); layout is "canonical" or "flat" (else BK_USAGE). */
int bk_manifest_of_builddir(const char *bdir, const char *config, const char *layout,
			    struct manifest *m, struct bkerr *e);
void bk_manifest_free(struct manifest *m);
/* Relative symlink target from the directory of path to /bin/busybox. */
char *bk_link_target(const char *path);

#endif
