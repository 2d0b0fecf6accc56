/* The applet link manifest, computed from a .config and the applet table.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_MANIFEST_H
#define BBKIT_MANIFEST_H

#include "applets.h"

struct applet_link {
	char *name;   /* applet name */
	char *path;   /* absolute: /usr/bin/env */
	char *target; /* relative: ../../bin/busybox */
	/* what busybox does when it runs setuid root: "drop", "maybe",
	 * "require" (applets.h's BB_SUID_*, applied only with FEATURE_SUID), or
	 * "none" (FEATURE_SUID off: busybox never looks, every applet keeps
	 * whatever privileges exec gave it) */
	const char *suid;
	const char *declared; /* the applet table's class, whatever the config */
	char *symbol; /* config symbol */
};

struct manifest {
	struct applet_link *v;
	size_t n;
	char *version; /* busybox version from the .config header */
	int needs_suid; /* some applet is declared "require" or "maybe" */
	int feature_suid;  /* FEATURE_SUID: busybox drops privileges per applet */
	int suid_config;   /* FEATURE_SUID_CONFIG: /etc/busybox.conf may override */
	int installer;     /* FEATURE_INSTALLER: `busybox --install` exists */
};

/* layout_flat: every link in /bin. */
int bk_manifest_compute(const char *applets_h, const char *config, int layout_flat,
			struct manifest *m, struct bkerr *e);
/* The same for a build dir: its applet table and config (NULL: its
 * .config); layout is "canonical" or "flat" (else BK_USAGE). */
struct bk_builddir;
int bk_manifest_layout_check(const char *layout, struct bkerr *e);
int bk_manifest_of_builddir(const struct bk_builddir *bd, const char *config, const char *layout,
			    struct manifest *m, struct bkerr *e);
void bk_manifest_free(struct manifest *m);
/* Whether /bin/busybox may be installed setuid root for this config (the
 * request SUID=1 / --suid): BK_REQUEST naming the config line to change when
 * busybox would not drop privileges (FEATURE_SUID off: every applet, the
 * shell included, would run as root for any user) or when `busybox --install`
 * (FEATURE_INSTALLER, run before any privilege check) would let any user
 * write links as root (config: the path named). 0 when it may (or nothing
 * needs setuid). */
int bk_manifest_suid_check(const struct manifest *m, const char *config, struct bkerr *e);
/* The mode /bin/busybox gets: 04755 when suid was asked for and some
 * applet needs it (after bk_manifest_suid_check), else 0755. */
unsigned bk_manifest_binmode(const struct manifest *m, int suid);
/* Relative symlink target from the directory of path to /bin/busybox. */
char *bk_link_target(const char *path);

/* m as format says (manifestfmt.c): "links", one absolute path a line
 * (busybox.links); "json", the document with platform (may be NULL),
 * layout and /bin/busybox's mode for suid; "sh", a script making the links
 * under DESTDIR. Appended to b. */
void bk_manifest_render(const struct manifest *m, const char *format, const char *platform,
			const char *layout, int suid, struct sbuf *b);

#endif
