/* Manifest: which links a busybox binary built from a .config answers to,
 * from busybox's own applet table (same rules as applets/busybox.mkll).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "manifest.h"
#include "builddir.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *bk_link_target(const char *path)
{
	struct sbuf b;
	int depth = 0;
	for (const char *p = path + 1; *p; p++)
		depth += *p == '/';
	sb_init(&b);
	sb_add(&b, "");
	for (int i = 0; i < depth; i++)
		sb_add(&b, "../");
	sb_add(&b, "bin/busybox");
	if (depth == 1 && !strncmp(path, "/bin/", 5)) {
		sb_free(&b);
		return bk_xstrdup("busybox");
	}
	return b.s;
}

int bk_manifest_compute(const char *applets_h, const char *config, int layout_flat,
			struct manifest *m, struct bkerr *e)
{
	struct applets apps;
	struct dotconfig cfg;
	int r;
	memset(m, 0, sizeof *m);
	if ((r = bk_applets_load(applets_h, &apps, e)))
		return r;
	if ((r = bk_config_load(config, &cfg, e))) {
		bk_applets_free(&apps);
		return r;
	}
	if (!bk_config_get(&cfg, "HAVE_DOT_CONFIG")) {
		r = bk_fail(e, BK_REQUEST, "%s: not a busybox .config (no CONFIG_HAVE_DOT_CONFIG)",
			    config);
		goto out;
	}
	m->version = bk_config_version(config);
	/* applets.src.h: INSTALL_NO_USR maps BB_DIR_USR_{BIN,SBIN} to /bin, /sbin */
	int no_usr = bk_config_is_on("INSTALL_NO_USR", &cfg);
	m->feature_suid = bk_config_is_on("FEATURE_SUID", &cfg);
	m->suid_config = m->feature_suid && bk_config_is_on("FEATURE_SUID_CONFIG", &cfg);
	m->installer = bk_config_is_on("FEATURE_INSTALLER", &cfg);
	for (size_t i = 0; i < apps.n; i++) {
		const struct applet *a = &apps.v[i];
		const char *suid;
		struct applet_link *l;
		int dup = 0;
		/* busybox.mkll never lists busybox itself: it is /bin/busybox */
		if (!strcmp(a->name, "busybox") || !bk_applet_enabled(a, bk_config_is_on, &cfg))
			continue;
		for (size_t k = 0; k < m->n; k++)
			dup |= !strcmp(m->v[k].name, a->name);
		if (dup)
			continue;
		m->v = bk_xrealloc(m->v, (m->n + 1) * sizeof *m->v);
		l = &m->v[m->n++];
		l->name = bk_xstrdup(a->name);
		l->path = layout_flat ? bk_xasprintf("/bin/%s", a->name)
			  : bk_xasprintf("%s/%s",
					 no_usr && !strncmp(a->dir, "/usr/", 5) ? a->dir + 4 : a->dir,
					 a->name);
		l->target = bk_link_target(l->path);
		suid = bk_applet_suid(a, bk_config_is_on, &cfg);
		l->declared = !strcmp(suid, "BB_SUID_REQUIRE") ? "require"
			      : !strcmp(suid, "BB_SUID_MAYBE") ? "maybe"
								: "drop";
		l->suid = m->feature_suid ? l->declared : "none";
		if (strcmp(l->declared, "drop"))
			m->needs_suid = 1;
		l->symbol = bk_xstrdup(a->ncond ? a->cond[0].sym : "");
	}
out:
	bk_config_free(&cfg);
	bk_applets_free(&apps);
	return r;
}

int bk_manifest_layout_check(const char *layout, struct bkerr *e)
{
	if (strcmp(layout, "canonical") && strcmp(layout, "flat"))
		return bk_fail(e, BK_USAGE, "--layout %s: use canonical or flat", layout);
	return 0;
}

int bk_manifest_of_builddir(const struct bk_builddir *bd, const char *config, const char *layout,
			    struct manifest *m, struct bkerr *e)
{
	int r = bk_manifest_layout_check(layout, e);
	return r ? r : bk_manifest_compute(bd->applets_h, config ? config : bd->config,
				   !strcmp(layout, "flat"), m, e);
}

int bk_manifest_suid_check(const struct manifest *m, const char *cfg, struct bkerr *e)
{
	struct sbuf who;
	int r = 0;
	if (!m->needs_suid)
		return 0;
	sb_init(&who);
	sb_add(&who, "");
	for (size_t i = 0, k = 0; i < m->n; i++)
		if (strcmp(m->v[i].declared, "drop") && k++ < 4)
			sb_addf(&who, "%s%s", k > 1 ? ", " : "", m->v[i].name);
	if (!m->feature_suid)
		r = bk_fail(e, BK_REQUEST,
			    "%s: SUID=1 (setuid root for %s) with CONFIG_FEATURE_SUID off: busybox "
			    "would never drop root, so every applet, the shell included, would run "
			    "as root for any user; add the line FEATURE_SUID to the list, or build "
			    "with SUID=0",
			    cfg, who.s);
	else if (m->installer)
		r = bk_fail(e, BK_REQUEST,
			    "%s: SUID=1 with CONFIG_FEATURE_INSTALLER on: `busybox --install DIR` runs "
			    "before busybox drops root, so any user could write links as root "
			    "anywhere; drop FEATURE_INSTALLER from the list, or build with SUID=0",
			    cfg);
	sb_free(&who);
	return r;
}

unsigned bk_manifest_binmode(const struct manifest *m, int suid)
{
	return suid && m->needs_suid && m->feature_suid && !m->installer ? 04755 : 0755;
}

void bk_manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].path);
		free(m->v[i].target);
		free(m->v[i].symbol);
	}
	free(m->v);
	free(m->version);
	memset(m, 0, sizeof *m);
}
