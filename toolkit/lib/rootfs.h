/* A deterministic rootfs for a manifest (lib/rootfs.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_ROOTFS_H
#define BBKIT_ROOTFS_H

#include "bk.h"
#include "manifest.h"

#include <sys/types.h>

/* /bin/busybox (bin, binmode), one relative symlink per applet of m and
 * /etc/busybox-paths.d/busybox (the links, one a line): as the tarball tar
 * (written atomically: sorted, root-owned, mtime epoch, ustar) or, when
 * tar is NULL, as the directory dir (replaced atomically). */
int bk_rootfs_write(const struct manifest *m, const char *bin, mode_t binmode, long long epoch,
		    const char *tar, const char *dir, struct bkerr *e);

#endif
