/* bbkit publish: a run's staged outputs put in place together (lib/publish.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/fs.h"
#include "lib/publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char publish_usage[] =
	"usage: bbkit publish --files NAME,... [-q] STAGE=OUTDIR...\n\n"
	"Put each STAGE's files in OUTDIR, the directory swapped in whole, once\n"
	"every STAGE has every NAME: make's last step, so that a failed or\n"
	"over-budget run publishes nothing and the outputs of one platform never\n"
	"come from two runs. An OUTDIR that already holds exactly those files is\n"
	"left alone.\n";

int cmd_publish(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *files = NULL;
	const char *pairs[64];
	struct args pos = {pairs, 1, 64, 0, "STAGE=OUTDIR"};
	const struct opt opts[] = {
		OPT_REQ("--files", &files, "NAME,...", "what each STAGE must hold (make's output names)"),
		OPT_END};
	char **names = NULL;
	size_t n = 0;
	int r;
	memset(pairs, 0, sizeof pairs);
	if ((r = parse_args(c, argc, argv, opts, publish_usage, &pos)))
		return r < 0 ? 0 : r;
	{
		char *dup = bk_xstrdup(files), *save = NULL;
		for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
			bk_strv_add_unique(&names, &n, t);
		free(dup);
	}
	for (size_t i = 0; !r && i < 64 && pairs[i]; i++)
		if (!strchr(pairs[i], '='))
			r = usage_error(c, "%s: expected STAGE=OUTDIR", pairs[i]);
	/* all or nothing: every stage complete before any is put in place */
	for (size_t i = 0; !r && i < 64 && pairs[i]; i++) {
		char *stage = strndup(pairs[i], strcspn(pairs[i], "="));
		for (size_t k = 0; !r && k < n; k++) {
			char *f = bk_xasprintf("%s/%s", stage, names[k]);
			if (!bk_exists(f))
				r = bk_fail(e, BK_REQUEST,
					    "%s: not made, so nothing of this run is published; see the "
					    "errors above",
					    f);
			free(f);
		}
		free(stage);
	}
	/* nothing of the user's is in the way, before any is put in place */
	for (size_t i = 0; !r && i < 64 && pairs[i]; i++)
		r = bk_publish_check(strchr(pairs[i], '=') + 1, (const char *const *)names, n, e);
	/* every platform's new directory first, then all swapped in at once:
	 * an interrupt in between leaves every previous output */
	{
		char *tmps[64] = {0};
		const char *dests[64] = {0};
		size_t np = 0;
		for (size_t i = 0; !r && i < 64 && pairs[i]; i++, np++) {
			char *stage = strndup(pairs[i], strcspn(pairs[i], "="));
			dests[i] = strchr(pairs[i], '=') + 1;
			r = bk_publish_prepare(stage, dests[i], (const char *const *)names, n, &tmps[i], e);
			free(stage);
		}
		if (!r)
			r = bk_publish_commit(tmps, dests, np, e);
		for (size_t i = 0; i < np; i++) {
			if (!r)
				progress(c, "%s%s", dests[i], tmps[i] ? ": published" : ": up to date");
			else if (tmps[i])
				bk_rmtree(tmps[i]);
			free(tmps[i]);
		}
	}
	for (size_t k = 0; k < n; k++)
		free(names[k]);
	free(names);
	return r;
}
