/* A Dockerfile: RUN, CMD, ENTRYPOINT, HEALTHCHECK under its SHELL.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"
#include "../fs.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void docker_exec(struct scanner *s, const struct src *f, json_t *arr, int line)
{
	size_t n = json_array_size(arr), i;
	struct word *w = bk_xmalloc((n ? n : 1) * sizeof *w);
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *str = json_string_value(v);
		w[i] = (struct word){str ? bk_xstrdup(str) : NULL, bk_xstrdup(str ? str : "?"), line};
	}
	sc_command_at(s, f, w, 0, n, 1);
	for (i = 0; i < n; i++)
		free(w[i].lit), free(w[i].raw);
	free(w);
}

int sc_scan_dockerfile(struct scanner *s, const char *file)
{
	char *text, *shell0 = bk_xstrdup("/bin/sh");
	size_t len;
	int line = 1, r = 0;
	struct src f;
	if ((r = bk_read_file(file, &text, &len, s->e)))
		return s->failed = r == BK_ENV ? BK_REQUEST : r;
	if (memchr(text, 0, len)) {
		free(text), free(shell0);
		return s->failed = bk_fail(s->e, BK_REQUEST, "%s: holds a NUL byte: not a Dockerfile", file);
	}
	f = (struct src){file, text, len, 0, 0};
	for (char *p = text; *p && !s->failed;) {
		char *start = p, *end, *body, *kw;
		int first = line;
		size_t kl;
		/* one instruction: lines joined over a trailing backslash */
		for (end = p; *end; end++) {
			if (*end == '\n') {
				char *q = end;
				while (q > start && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
					q--;
				line++;
				if (q > start && q[-1] == '\\')
					continue;
				break;
			}
		}
		p = *end ? end + 1 : end;
		kw = start + strspn(start, " \t");
		if (*kw == '#' || *kw == '\n' || !*kw)
			continue;
		kl = strcspn(kw, " \t\n");
		body = kw + kl;
		body += strspn(body, " \t");
		if (!strncasecmp(kw, "HEALTHCHECK", kl) && kl == 11) {
			while (!strncmp(body, "--", 2))
				body += strcspn(body, " \t"), body += strspn(body, " \t");
			if (strncasecmp(body, "CMD", 3))
				continue;
			body += 3 + strspn(body + 3, " \t");
		} else if (kl == 3 && !strncasecmp(kw, "RUN", 3)) {
			while (!strncmp(body, "--", 2))
				body += strcspn(body, " \t"), body += strspn(body, " \t");
		} else if (!((kl == 3 && !strncasecmp(kw, "CMD", 3)) ||
			     (kl == 10 && !strncasecmp(kw, "ENTRYPOINT", 10)) ||
			     (kl == 5 && !strncasecmp(kw, "SHELL", 5))))
			continue;
		{
			char *txt = strndup(body, (size_t)(end - body));
			json_t *arr = *txt == '[' ? json_loads(txt, 0, NULL) : NULL;
			if (arr && !json_is_array(arr))
				json_decref(arr), arr = NULL;
			if (kl == 5 && !strncasecmp(kw, "SHELL", 5)) {
				const char *s0 = arr ? json_string_value(json_array_get(arr, 0)) : NULL;
				if (!s0)
					s->failed = bk_fail(s->e, BK_REQUEST, "%s:%d: SHELL needs the exec form "
										"[\"executable\", \"parameters\"]",
							    file, first);
				else
					free(shell0), shell0 = bk_xstrdup(s0);
			} else if (arr)
				docker_exec(s, &f, arr, first);
			else {
				sc_add_pending(s, P_COMMAND, sc_base(shell0), 1, NULL, &f, first,
					    bk_xasprintf("%s (the Dockerfile's SHELL)", sc_base(shell0)), 0);
				if (sc_is_shell(sc_base(shell0)))
					sc_scan_text(s, file, txt, strlen(txt), first - 1, 1);
			}
			json_decref(arr);
			free(txt);
		}
	}
	free(text);
	free(shell0);
	return s->failed;
}

