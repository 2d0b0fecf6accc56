/* busybox's applet table (include/applets.h of a build dir) and .config
 * values, read as text: no kconfig needed (used by manifest and resolve).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_APPLETS_H
#define BBKIT_APPLETS_H

#include "bk.h"

struct applet_cond {
	char *sym; /* symbol without CONFIG_ */
	int neg;   /* IF_NOT_sym */
};

struct applet {
	char *name;  /* as typed: "[", "mkfs.ext2" */
	char *main;  /* implementation: "test", "mkfs_ext2" */
	char *dir;   /* install dir: "/bin", "/usr/sbin", "" for / */
	char *suid;  /* raw suid field, may hold IF_DESKTOP(...) */
	struct applet_cond *cond; /* IF_ chain, outermost first */
	size_t ncond;
	int line;
};

struct applets {
	struct applet *v;
	size_t n;
};

int bk_applets_load(const char *path, struct applets *out, struct bkerr *e);
void bk_applets_free(struct applets *a);
/* One entry "IF_X(...APPLET...(...))" as in applets.h or a source's //applet: line. */
int bk_applet_parse_line(const char *line, struct applet *a);
void bk_applet_free(struct applet *a);

/* A symbol value lookup: returns 1 when sym is y. */
typedef int (*sym_is_on_fn)(const char *sym, void *ctx);
int bk_applet_enabled(const struct applet *a, sym_is_on_fn on, void *ctx);
/* "BB_SUID_DROP" / "BB_SUID_MAYBE" / "BB_SUID_REQUIRE" under the config. */
const char *bk_applet_suid(const struct applet *a, sym_is_on_fn on, void *ctx);

/* .config values: name (without CONFIG_) -> value ("y", "123", "\"str\""). */
struct kv {
	char *key, *val;
};
struct dotconfig {
	struct kv *v;
	size_t n;
};
int bk_config_load(const char *path, struct dotconfig *c, struct bkerr *e);
const char *bk_config_get(const struct dotconfig *c, const char *key);
int bk_config_is_on(const char *sym, void *config);
void bk_config_free(struct dotconfig *c);
/* busybox's version from a .config's header (caller frees; "unknown"
 * without one). */
char *bk_config_version(const char *config);

#endif
