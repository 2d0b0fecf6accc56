/* libFuzzer harness: resolve on a real busybox tree. The kconfig engine is
 * parsed once; every input is a list, mapped, applied and checked like
 * 'bbkit resolve' does (the engine, lib/kconfig/resolver.c, linked as it
 * is into bbkit-<version>), then the allnoconfig baseline is read back.
 * Environment: BBKIT_SRC (busybox tree), TEST_BD (allnoconfig'd build dir).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "lib/kconfig/resolver.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdint.h>

static struct applets apps;
static char *basefile;
static const char *version = BBKIT_KCONFIG_VERSION;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *src = getenv("BBKIT_SRC"), *bd = getenv("TEST_BD");
	char *path;
	struct bkerr e = {0, "", NULL, 0};
	(void)argc;
	(void)argv;
	if (!src || !bd)
		abort();
	path = bk_xasprintf("%s/include/applets.h", bd);
	if (bk_applets_load(path, &apps, &e))
		abort();
	free(path);
	basefile = bk_xasprintf("%s/.config.allnoconfig", bd);
	setenv("srctree", src, 1);
	setenv("KERNELVERSION", version, 1);
	if (chdir(bd))
		abort();
	conf_parse("Config.in");
	if (conf_read(basefile))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bkerr e = {0, "", NULL, 0};
	struct resolver rs;
	memset(&rs, 0, sizeof rs);
	rs.e = &e;
	rs.version = version;
	rs.apps = apps;
	rs.defaults = size && (data[0] & 1);
	if (bk_list_parse("fuzz.list", (const char *)data, size, &rs.list, &e) == 0) {
		resolver_run(&rs); /* the engine's own sequence */
		/* a request reported as honoured really holds */
		for (size_t i = 0; i < rs.nreqs; i++)
			if (rs.reqs[i]->ent && !rs.reqs[i]->bad && !rs.reqs[i]->app &&
			    !rs.reqs[i]->ignored && !resolver_satisfied(rs.reqs[i]))
				abort();
	}
	resolver_forget(&rs);
	free(rs.by_own);
	free(e.more);
	conf_read(basefile); /* back to allnoconfig for the next input */
	return 0;
}
