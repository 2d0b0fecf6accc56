/* What init, inetd, modprobe and mount read and run: the literals of
 * their source (gate_table), their config files scanned, mount's helpers.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"
#include "../fs.h"

#include <stdlib.h>
#include <string.h>

/* Each gate (scan_int.h): the source file and the text its literal follows. */
static const struct gate_row {
	const char *file, *anchor; /* a C string literal follows a trailing '"' */
} gate_table[G_N] = {
	[G_INITTAB] = {"init/init.c", "config_open2(\""},
	[G_INITSH] = {"init/init.c", "strpbrk(command, \""},
	[G_INETD] = {"networking/inetd.c", "config_filename = \""},
	[G_INETD_EXEC] = {"networking/inetd.c", "BB_EXECVP(sep->se_program"},
	[G_MODPROBE] = {"modutils/modprobe.c", "\tread_config(\""},
	[G_MOUNT_HELPER] = {"util-linux/mount.c", "args[0] = xasprintf(\""},
	[G_MOUNT_HASH] = {"util-linux/mount.c", "strchr(mp->mnt_fsname, '#')"},
};

/* A C string literal at p (after its opening quote), unescaped. */
static char *c_string(const char *p)
{
	struct sbuf b;
	sb_init(&b);
	sb_addn(&b, "", 0);
	for (; *p && *p != '"' && *p != '\n'; p++) {
		if (*p == '\\' && p[1])
			p++;
		sb_addn(&b, p, 1);
	}
	return b.s;
}

/* What init, inetd, modprobe and mount run, read off their source. */
void sc_conf_gates(struct db *d, const char *rel, const char *text)
{
	for (size_t k = 0; k < G_N; k++) {
		const struct gate_row *g = &gate_table[k];
		struct gate *gt = &d->gates[k];
		const char *at, *line;
		int lineno = 1;
		size_t al = strlen(g->anchor);
		if (strcmp(rel, g->file) || gt->where || !(at = strstr(text, g->anchor)))
			continue;
		for (const char *p = text; p < at; p++)
			lineno += *p == '\n';
		for (line = at; line > text && line[-1] != '\n'; line--)
			;
		gt->where = bk_xasprintf("%s:%d", rel, lineno);
		gt->value = g->anchor[al - 1] == '"' ? c_string(at + al) : NULL;
		if (k == G_MOUNT_HELPER) { /* under if (HELPERS_ALLOWED ...): its #define's #if */
			const char *def = strstr(text, "#define HELPERS_ALLOWED");
			if (def)
				sc_open_ifs(text, def, &gt->syms);
		}
		sc_open_ifs(text, at, &gt->syms);
		sc_cond_syms(text, line, &gt->syms, 3); /* "if (ENABLE_X && ...)" */
	}
	if (!strcmp(rel, "modutils/modprobe.c"))
		for (const char *p = text; (p = strstr(p, "strcmp(tokens[0], \"")); p++)
			bk_vec_push(&d->modprobe_kw, c_string(p + 19));
}

/* --verify-runs: the literals scan reads what init, inetd, ... run off, in
 * the tree src; bad: problems found before (the first one fails e).
 * Returns bad with these added. */
int sc_verify_gates(const char *src, int bad, struct bkerr *e)
{
	for (size_t i = 0; i < G_N; i++) {
		const struct gate_row *g = &gate_table[i];
		char *path = bk_xasprintf("%s/%s", src, g->file), *text = NULL;
		size_t len;
		if (bk_read_file(path, &text, &len, NULL) || !strstr(text, g->anchor)) {
			if (!bad++)
				bk_fail(e, BK_REQUEST, "%s: has no '%s': scan cannot derive what %s runs from this "
						      "tree; fix gate_table in toolkit/lib/scan/conf.c",
					path, g->anchor, g->file);
			else
				bk_problem(e, "%s: has no '%s': scan cannot derive what it runs", path, g->anchor);
		}
		free(path);
		free(text);
	}
	return bad;
}

/* The config files init, inetd and modprobe read: which applet, which gate. */
enum { CONF_NONE, CONF_INITTAB, CONF_INETD, CONF_MODPROBE };
static const char *const conf_reader[] = {NULL, "init", "inetd", "modprobe"};
static const int conf_gate[] = {0, G_INITTAB, G_INETD, G_MODPROBE};

/* An input that is one of their config files, by its name. */
int sc_conf_kind(const char *path)
{
	const char *b = sc_base(path);
	size_t n = strlen(b);
	if (!strcmp(b, "inittab"))
		return CONF_INITTAB;
	if (!strcmp(b, "inetd.conf"))
		return CONF_INETD;
	if (!strcmp(b, "modprobe.conf") || (strstr(path, "modprobe.d/") && n > 5 && !strcmp(b + n - 5, ".conf")))
		return CONF_MODPROBE;
	return CONF_NONE;
}

static void gate_needs(struct scanner *s, const struct src *f, int g, const char *app, int line, const char *why)
{
	const struct gate *gt = &s->db.gates[g];
	for (size_t k = 0; k < gt->syms.n; k++)
		sc_add_pending(s, P_OPTION, app, 0, gt->syms.v[k], f, line, bk_xasprintf("%s (%s)", why, gt->where), 0);
}

/* inittab: each entry's process (id:runlevels:action:process) is a
 * command line; init runs it through sh -c "exec ..." when it holds one
 * of the characters init.c's strpbrk() looks for, else splits it on
 * blanks. inetd.conf: field 6 is the server program, field 7 its argv[0],
 * the rest its arguments ("internal": inetd's own). modprobe.conf: the
 * keywords modprobe.c compares; install/remove commands busybox does not
 * read are reported. One text of the commands, line for line, is parsed
 * once. */
int sc_scan_conf(struct scanner *s, const char *file, const char *text, size_t len, int kind, int depth)
{
	struct src f = {file, text, len, 0, depth};
	const struct gate *sh = &s->db.gates[G_INITSH];
	struct sbuf cmds;
	int line = 0, any = 0;
	if (memchr(text, 0, len))
		return s->failed = bk_fail(s->e, BK_REQUEST, "%s: holds a NUL byte: not a config file %s reads; give the text file", file,
					   conf_reader[kind]);
	if (kind == CONF_INITTAB)
		gate_needs(s, &f, G_INITTAB, "init", 1, "init reads inittab");
	sb_init(&cmds);
	sb_addn(&cmds, "", 0);
	for (const char *l = text; l && *l && !s->failed; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t ll = strcspn(l, "\n");
		char *ln = strndup(l, ll), *p = ln + strspn(ln, " \t"), *tok[16];
		int nt = 0;
		line++;
		if (kind == CONF_INITTAB && *p && *p != '#') {
			char *c = p;
			for (int k = 0; k < 3 && c; k++)
				c = strchr(c, ':'), c = c ? c + 1 : NULL;
			c = c ? c + (*c == '-') : NULL;
			if (c && *c) {
				if (sh->value && strpbrk(c, sh->value))
					sc_add_pending(s, P_COMMAND, "sh", 1, NULL, &f, line,
						    bk_xasprintf("init runs sh -c for a line with shell syntax (%s)",
								 sh->where ? sh->where : "init/init.c"), 0);
				sb_add(&cmds, c);
				any = 1;
			}
		} else if (kind != CONF_INITTAB) {
			p[strcspn(p, "#")] = 0;
			for (char *t = strtok(p, " \t\r"); t && nt < 16; t = strtok(NULL, " \t\r"))
				tok[nt++] = t;
		}
		if (kind == CONF_INETD && nt >= 6 && strcmp(tok[5], "internal")) {
			struct word w[16];
			size_t n = 0;
			w[n++] = (struct word){tok[5], tok[5], line};
			for (int k = 7; k < nt; k++)
				w[n++] = (struct word){tok[k], tok[k], line};
			sc_command_at(s, &f, w, 0, n, 1);
		} else if (kind == CONF_MODPROBE && nt && (!strcmp(tok[0], "install") || !strcmp(tok[0], "remove"))) {
			size_t k;
			for (k = 0; k < s->db.modprobe_kw.n && strcmp(s->db.modprobe_kw.v[k], tok[0]); k++)
				;
			if (k == s->db.modprobe_kw.n) {
				struct sbuf kw;
				sb_init(&kw);
				sb_addn(&kw, "", 0);
				for (k = 0; k < s->db.modprobe_kw.n; k++)
					sb_add(&kw, k ? ", " : ""), sb_add(&kw, s->db.modprobe_kw.v[k]);
				sc_add_pending(s, P_NOTE, tok[0], 0, NULL, &f, line,
					    bk_xasprintf("modprobe.conf '%s' commands (busybox modprobe reads only %s: %s)",
							 tok[0], kw.s, gate_table[G_MODPROBE].file),
					    SCAN_IGNORED);
				sb_free(&kw);
			} else if (nt > 2) { /* a modprobe that runs them: system(), so sh */
				const char *c = l + (tok[2] - ln);
				sc_add_pending(s, P_COMMAND, "sh", 1, NULL, &f, line,
					    bk_xasprintf("modprobe runs sh -c for '%s' (%s)", tok[0],
							 gate_table[G_MODPROBE].file), 0);
				sb_addn(&cmds, c, strcspn(c, "#\n"));
				any = 1;
			}
		}
		sb_add(&cmds, "\n");
		free(ln);
	}
	if (any && !s->failed)
		sc_scan_text(s, file, cmds.s, strlen(cmds.s), 0, depth + 1);
	sb_free(&cmds);
	return s->failed;
}

/* With --rootfs: the config files of init, inetd and modprobe, at the
 * paths their source names, once one of them is run. */
void sc_rootfs_confs(struct scanner *s)
{
	for (int round = 0, more = 1; s->root && more && round < 4 && !s->failed; round++) {
		more = 0;
		for (int kind = CONF_INITTAB; kind <= CONF_MODPROBE && !s->failed; kind++) {
			const char *path = s->db.gates[conf_gate[kind]].value;
			size_t len;
			char *text, *label;
			if (!path || path[0] != '/' || sc_was_followed(s, path) || !sc_runs_applet(s, conf_reader[kind]))
				continue;
			bk_vec_push(&s->followed, bk_xstrdup(path));
			if (bk_scan_rootfs_read(s->root, path, &text, &len))
				continue;
			label = bk_xasprintf("rootfs:%s", path);
			sc_scan_conf(s, label, text, len, kind, 1);
			free(label);
			free(text);
			more = 1;
		}
	}
}

/* mount's helpers: "mount 'sshfs#host:/ /mnt'" runs sshfs; "mount -t T"
 * runs the program mount.T (the literal of mount.c) when the kernel does
 * not mount it: with --rootfs, a mount.T there is one. */
void sc_mount_helpers(struct scanner *s, const struct src *f, struct word *w, size_t j, size_t n)
{
	const struct gate *hash = &s->db.gates[G_MOUNT_HASH], *help = &s->db.gates[G_MOUNT_HELPER];
	for (; j < n; j++) {
		const char *o = w[j].lit, *type = NULL;
		if (!o)
			continue;
		if (!strcmp(o, "-t") || !strcmp(o, "-o") || !strcmp(o, "-O")) {
			type = o[1] == 't' && j + 1 < n ? w[j + 1].lit : NULL;
			j++;
		} else if (!strncmp(o, "-t", 2))
			type = o + 2;
		else if (o[0] != '-' && strchr(o, '#') && o[0] != '#' && hash->where) {
			char *cmd = strndup(o, strcspn(o, "#")), *why = bk_xasprintf("mount runs %s", cmd);
			sc_add_pending(s, P_COMMAND, sc_base(cmd), 1, NULL, f, w[j].line, NULL, 0);
			gate_needs(s, f, G_MOUNT_HASH, "mount", w[j].line, why);
			free(cmd), free(why);
		}
		if (!type || !s->root || !help->where || !help->value || strcmp(help->value, "mount.%s"))
			continue;
		for (const char *t = type; *t; t += strcspn(t, ","), t += *t == ',') {
			size_t tl = strcspn(t, ",");
			char *prog = bk_xasprintf("mount.%.*s", (int)tl, t), *found;
			if (tl && strncmp(t, "no", 2) && (found = bk_scan_rootfs_program(s->root, prog))) {
				char *why = bk_xasprintf("mount -t %.*s runs %s", (int)tl, t, prog);
				sc_add_pending(s, P_COMMAND, prog, 1, NULL, f, w[j].line,
					    bk_xasprintf("%s when the kernel does not mount it (%s)", why, help->where), 0);
				gate_needs(s, f, G_MOUNT_HELPER, "mount", w[j].line, why);
				free(why), free(found);
			}
			free(prog);
		}
	}
}

