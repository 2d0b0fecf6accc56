/* libFuzzer harness: the applet list parser (toolkit/lib/list.c).
 * Includes resolve against the fuzzer's working directory (make fuzz runs it
 * in an empty scratch dir).
 * SPDX-License-Identifier: GPL-2.0-only */
#include "lib/list.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct applet_list l;
	struct bkerr e;
	memset(&l, 0, sizeof l);
	memset(&e, 0, sizeof e);
	bk_list_parse("fuzz.list", (const char *)data, size, &l, &e);
	/* every entry the parser accepted is well formed */
	for (size_t i = 0; i < l.n; i++)
		if (!l.v[i].name || !l.v[i].name[0] || !l.v[i].text || l.v[i].line < 1)
			abort();
	bk_list_free(&l);
	free(e.more);
	return 0;
}
