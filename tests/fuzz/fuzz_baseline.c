/* libFuzzer harness: the upstream-testsuite baseline parser
 * (toolkit/lib/baseline.c) and its lookup.
 * SPDX-License-Identifier: GPL-2.0-only */
#include "lib/baseline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct baseline b;
	struct bkerr e;
	memset(&e, 0, sizeof e);
	bk_baseline_parse("fuzz.txt", (const char *)data, size, &b, &e);
	/* every accepted entry is complete, and finds itself */
	for (size_t i = 0; i < b.n; i++) {
		const struct baseline_entry *x = &b.v[i];
		if (!x->applet[0] || !x->test[0] || !x->reason[0] || x->line < 1)
			abort();
		if (!x->nplat && !bk_baseline_find(&b, "linux/amd64", NULL, x->applet, x->test) &&
		    !x->ncond)
			abort();
	}
	bk_baseline_free(&b);
	free(e.more);
	return 0;
}
