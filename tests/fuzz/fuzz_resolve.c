/* libFuzzer harness: resolve on a real busybox tree. The kconfig engine is
 * parsed once; every input is a list, mapped, applied and checked like
 * 'bbkit resolve' does (the engine, lib/kconfig/, linked as it is into
 * bbkit-<version>), then the allnoconfig baseline is read back.
 * Environment: BBKIT_SRC (busybox tree), TEST_BD (allnoconfig'd build dir).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "lib/kconfig/resolver.h"

#include <stdlib.h>
#include <string.h>

#include <stdint.h>

static struct resolver *rs;
static struct bkerr fe = {0, "", NULL, 0}; /* the resolver's, emptied per input */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct resolver_opts o = {.src = getenv("BBKIT_SRC"), .builddir = getenv("TEST_BD"),
				  .version = BBKIT_KCONFIG_VERSION};
	(void)argc;
	(void)argv;
	if (!o.src || !o.builddir || !(rs = resolver_open(&o, &fe)))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct applet_list list = {0};
	free(fe.more);
	memset(&fe, 0, sizeof fe);
	resolver_set_defaults(rs, size && (data[0] & 1));
	if (bk_list_parse("fuzz.list", (const char *)data, size, &list, &fe) == 0) {
		resolver_run(rs, &list); /* the engine's own sequence */
		/* a request reported as honoured really holds */
		if (resolver_unheld(rs))
			abort();
	}
	bk_list_free(&list);
	resolver_reset(rs); /* back to allnoconfig for the next input */
	return 0;
}
