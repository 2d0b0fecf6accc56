/* The manifest written out (manifest.h: bk_manifest_render): busybox.links
 * lines, the JSON document, or a shell script that makes the links.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

static void json_str(struct sbuf *b, const char *s)
{
	sb_add(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			sb_addf(b, "\\u%04x", *s);
		else
			sb_addn(b, s, 1);
	}
	sb_add(b, "\"");
}

void bk_manifest_render(const struct manifest *m, const char *format, const char *platform,
			const char *layout, int suid, struct sbuf *b)
{
	sb_add(b, "");
	if (!strcmp(format, "links")) {
		for (size_t i = 0; i < m->n; i++)
			sb_addf(b, "%s\n", m->v[i].path);
	} else if (!strcmp(format, "json")) {
		sb_add(b, "{\n  \"busybox_version\": ");
		json_str(b, m->version);
		sb_add(b, ",\n  \"platform\": ");
		json_str(b, platform ? platform : "");
		sb_add(b, ",\n  \"layout\": ");
		json_str(b, layout);
		sb_addf(b, ",\n  \"binary\": \"/bin/busybox\",\n  \"binary_mode\": \"%04o\"",
			bk_manifest_binmode(m, suid));
		sb_addf(b, ",\n  \"setuid\": {\"feature_suid\": %s, \"suid_config\": %s, "
			   "\"installer\": %s}",
			m->feature_suid ? "true" : "false", m->suid_config ? "true" : "false",
			m->installer ? "true" : "false");
		sb_add(b, ",\n  \"applets\": [");
		for (size_t i = 0; i < m->n; i++) {
			const struct applet_link *l = &m->v[i];
			sb_add(b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
			json_str(b, l->name);
			sb_add(b, ", \"path\": ");
			json_str(b, l->path);
			sb_add(b, ", \"target\": ");
			json_str(b, l->target);
			sb_addf(b, ", \"suid\": \"%s\", \"symbol\": ", l->suid);
			json_str(b, l->symbol);
			sb_add(b, "}");
		}
		sb_add(b, "\n  ]\n}\n");
	} else {
		sb_addf(b, "#!/bin/sh\n# busybox %s applet links (%s layout), made by bbkit manifest.\n"
			   "# usage: sh this-script DESTDIR   (DESTDIR/bin/busybox is the binary)\n"
			   "set -e\nD=\"${1:?usage: $0 DESTDIR}\"\n",
			m->version, layout);
		for (size_t i = 0; i < m->n; i++) {
			char *dir = strndup(m->v[i].path, (size_t)(strrchr(m->v[i].path, '/') - m->v[i].path));
			sb_add(b, "mkdir -p \"$D\"");
			sb_add_shell_word(b, *dir ? dir : "/");
			sb_add(b, " && ln -sfn ");
			sb_add_shell_word(b, m->v[i].target);
			sb_add(b, " \"$D\"");
			sb_add_shell_word(b, m->v[i].path);
			sb_add(b, "\n");
			free(dir);
		}
	}
}
