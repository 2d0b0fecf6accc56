/* What 'bbkit resolve' answers once the requests are checked (resolver.h:
 * resolver_answer): the problems, a .config's oldconfig differences, and
 * the text of --explain or --print-list.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver.h"

#include <stdlib.h>

int resolver_answer(struct resolver *rs, const struct resolver_ask *a, struct sbuf *text,
		    struct bkerr *e)
{
	struct sbuf body = {0}, comment = {0};
	const char *last = a->lists[a->nlists - 1];
	size_t bad = resolver_problems(rs, e);
	int r = 0;
	sb_init(text);
	/* a .config: what busybox's own oldconfig would have made differently */
	if (!bad && !a->explain && resolver_is_config(rs, last)) {
		sb_add(&comment, "");
		r = resolver_oldconfig(rs, last, a->strict, a->want_list ? &comment : NULL, e);
		if (r == BK_REQUEST) {
			bad = bk_nproblems(e);
			r = 0;
		}
		if (r) {
			free(comment.s);
			return r;
		}
	}
	if (a->explain)
		resolver_explain(rs, a->explain, &body);
	else if (a->want_list && !bad)
		r = resolver_shortest_list(rs, a->lists, a->nlists - 1, last, &body, e);
	else if (bad) {
		char *out = a->out ? bk_xstrdup(a->out)
				   : bk_xasprintf("%s/.config", resolver_builddir(rs));
		r = bk_fail(e, BK_REQUEST,
			    "%zu request%s cannot be honoured on busybox %s; %s was not written", bad,
			    bad == 1 ? "" : "s", a->version, out);
		free(out);
	}
	if (body.s && !r && comment.s)
		sb_add(text, comment.s);
	if (body.s)
		sb_add(text, body.s);
	free(body.s);
	free(comment.s);
	return r;
}
