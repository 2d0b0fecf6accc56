/* Shell text -> shfmt's JSON AST -> command words: shfmt only parses (the
 * text goes to its stdin through an anonymous file, never a command line);
 * the AST's words and calls; files of --rootfs a script sources or runs.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"
#include "../run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

void sc_add_pending(struct scanner *s, int kind, const char *name, int exec, const char *sym,
		    const struct src *f, int line, char *what, int note)
{
	struct pending *p;
	if (s->np == s->capp) {
		s->capp = s->capp ? 2 * s->capp : 256;
		s->p = bk_xrealloc(s->p, s->capp * sizeof *s->p);
	}
	p = &s->p[s->np++];
	p->kind = kind;
	p->exec = exec;
	p->note = note;
	p->name = bk_xstrdup(name);
	p->sym = sym ? bk_xstrdup(sym) : NULL;
	p->use.file = bk_xstrdup(f->file);
	p->use.line = line + f->lineoff;
	p->use.what = what ? what : bk_xstrdup(name);
}

int sc_jline(json_t *n)
{
	return (int)json_integer_value(json_object_get(json_object_get(n, "Pos"), "Line"));
}

static void unescape(struct sbuf *b, const char *v, int dq)
{
	for (; *v; v++) {
		if (*v == '\\' && v[1]) {
			if (v[1] == '\n') {
				v++;
				continue;
			}
			if (!dq || strchr("\"\\$`", v[1]))
				v++;
		}
		sb_addn(b, v, 1);
	}
}

/* A part's Value: shfmt --to-json omits empty fields, so '' and "" have
 * none (a NULL here crashed the scan on any script with x '' y). */
static const char *value_of(json_t *part)
{
	const char *v = json_string_value(json_object_get(part, "Value"));
	return v ? v : "";
}

static void word_of(const struct src *f, json_t *w, struct word *out)
{
	json_t *parts = json_object_get(w, "Parts"), *pt;
	size_t i, off, end;
	struct sbuf b;
	int lit = 1;
	sb_init(&b);
	sb_addn(&b, "", 0);
	json_array_foreach(parts, i, pt) {
		const char *t = json_string_value(json_object_get(pt, "Type"));
		if (t && !strcmp(t, "Lit"))
			unescape(&b, value_of(pt), 0);
		else if (t && !strcmp(t, "SglQuoted") && !json_is_true(json_object_get(pt, "Dollar")))
			sb_add(&b, value_of(pt));
		else if (t && !strcmp(t, "DblQuoted")) {
			json_t *ip;
			size_t k;
			json_array_foreach(json_object_get(pt, "Parts"), k, ip) {
				const char *it = json_string_value(json_object_get(ip, "Type"));
				if (it && !strcmp(it, "Lit"))
					unescape(&b, value_of(ip), 1);
				else
					lit = 0;
			}
		} else
			lit = 0;
	}
	out->lit = lit ? b.s : (sb_free(&b), NULL);
	off = (size_t)json_integer_value(json_object_get(json_object_get(w, "Pos"), "Offset"));
	end = (size_t)json_integer_value(json_object_get(json_object_get(w, "End"), "Offset"));
	if (end > f->len || off > end)
		off = end = 0;
	out->raw = strndup(f->text + off, end - off > 60 ? 60 : end - off);
	out->line = sc_jline(w);
}

/* A rootfs file read already (a script sourcing itself, run twice). */
int sc_was_followed(const struct scanner *s, const char *path)
{
	for (size_t k = 0; k < s->followed.n; k++)
		if (!strcmp(s->followed.v[k], path))
			return 1;
	return 0;
}

/* Does a scanned file run APP (as a command, not a function of its own)? */
int sc_runs_applet(struct scanner *s, const char *app)
{
	for (size_t i = 0; i < s->np; i++)
		if (s->p[i].kind == P_COMMAND && !strcmp(s->p[i].name, app) && !sc_is_func(s, app))
			return 1;
	return 0;
}

/* . FILE with FILE in --rootfs: read it there (once); else a note. */
void sc_source_rootfs(struct scanner *s, const struct src *f, const char *name, struct word *w)
{
	char *text = NULL, *label;
	size_t len;
	int rc = ENOENT;
	const char *why = "";
	if (s->root && w->lit[0] == '/') {
		if (sc_was_followed(s, w->lit))
			return; /* read already (or sources itself) */
		rc = bk_scan_rootfs_read(s->root, w->lit, &text, &len);
		why = rc == ELOOP ? " (a symlink loop in the rootfs)" : rc == EFBIG ? " (over 1 MB in the rootfs)"
			: rc == EINVAL ? " (not a text file in the rootfs)" : "";
	}
	if (rc || f->depth >= MAX_DEPTH) {
		sc_add_pending(s, P_NOTE, w->lit, 0, NULL, f, w->line, bk_xasprintf("%s %s%s", name, w->lit, why),
			    SCAN_UNFOLLOWED);
		free(text);
		return;
	}
	bk_vec_push(&s->followed, bk_xstrdup(w->lit));
	label = bk_xasprintf("rootfs:%s", w->lit);
	if (!memchr(text, 0, len))
		sc_shebang(s, label, text);
	sc_scan_text(s, label, text, len, 0, f->depth + 1);
	free(label);
	free(text);
}

/* A shell script (its #! names sh, ash, bash, dash or hush, or busybox
 * sh/ash) at an absolute PATH of the rootfs, run as a command (inittab's
 * /etc/init.d/rcS, an entrypoint's exec /usr/local/bin/start.sh, udhcpc's
 * default script): scanned as it runs, once, as rootfs:PATH. Anything else
 * there (an ELF program, nothing) is left to the command word's own line. */
static int sh_interp(const char *text)
{
	static const char *const shells[] = {"sh", "ash", "bash", "dash", "hush"};
	char first[256], *tok, *save = NULL;
	size_t n;
	if (strncmp(text, "#!", 2))
		return 0;
	n = strcspn(text + 2, "\n");
	snprintf(first, sizeof first, "%.*s", (int)(n < sizeof first ? n : sizeof first - 1), text + 2);
	tok = strtok_r(first, " \t", &save);
	if (tok && !strcmp(sc_base(tok), "env"))
		tok = strtok_r(NULL, " \t", &save);
	if (tok && !strcmp(sc_base(tok), "busybox"))
		tok = strtok_r(NULL, " \t", &save);
	for (size_t k = 0; tok && k < sizeof shells / sizeof *shells; k++)
		if (!strcmp(sc_base(tok), shells[k]))
			return 1;
	return 0;
}

void sc_run_rootfs_script(struct scanner *s, int depth, const char *path)
{
	char *text = NULL, *label;
	size_t len;
	if (!s->root || path[0] != '/' || depth >= MAX_DEPTH || sc_was_followed(s, path))
		return;
	if (bk_scan_rootfs_read(s->root, path, &text, &len) || memchr(text, 0, len) || !sh_interp(text)) {
		free(text);
		return;
	}
	bk_vec_push(&s->followed, bk_xstrdup(path));
	label = bk_xasprintf("rootfs:%s", path);
	sc_shebang(s, label, text);
	sc_scan_text(s, label, text, len, 0, depth + 1);
	free(label);
	free(text);
}

static void call_expr(struct scanner *s, const struct src *f, json_t *n)
{
	json_t *args = json_object_get(n, "Args"), *a;
	size_t i, na = json_array_size(args);
	struct word *w;
	if (!na)
		return;
	w = bk_xmalloc(na * sizeof *w);
	json_array_foreach(args, i, a) word_of(f, a, &w[i]);
	sc_command_at(s, f, w, 0, na, 0);
	for (i = 0; i < na; i++)
		free(w[i].lit), free(w[i].raw);
	free(w);
}

static void walk(struct scanner *s, const struct src *f, json_t *n)
{
	const char *key, *t;
	json_t *v;
	size_t i;
	if (s->failed)
		return;
	if (json_is_array(n)) {
		json_array_foreach(n, i, v) walk(s, f, v);
		return;
	}
	if (!json_is_object(n))
		return;
	t = json_string_value(json_object_get(n, "Type"));
	sc_node_syntax(s, f, n, t);
	if (t && !strcmp(t, "CallExpr"))
		call_expr(s, f, n);
	else if (t && !strcmp(t, "FuncDecl")) {
		const char *name = json_string_value(json_object_get(json_object_get(n, "Name"), "Value"));
		if (name)
			bk_strv_add_unique(&s->funcs.v, &s->funcs.n, name);
	} else if (t && !strcmp(t, "DeclClause")) {
		const char *name = json_string_value(json_object_get(json_object_get(n, "Variant"), "Value"));
		if (name)
			sc_add_pending(s, P_COMMAND, name, 0, NULL, f, sc_jline(n), NULL, 0);
	} else if (t && (!strcmp(t, "TestClause") || !strcmp(t, "LetClause") || !strcmp(t, "TimeClause")))
		sc_add_pending(s, P_COMMAND, t[0] == 'T' ? (t[1] == 'e' ? "[[" : "time") : "let", 0, NULL, f,
			    sc_jline(n), NULL, 0);
	json_object_foreach(n, key, v) {
		if (!strcmp(key, "Hdoc")) /* a here-document is data */
			continue;
		if (json_is_object(v) || json_is_array(v))
			walk(s, f, v);
	}
}

int sc_scan_text(struct scanner *s, const char *file, const char *text, size_t len, int lineoff,
		 int depth)
{
	const char *nul = memchr(text, 0, len);
	char *argv[] = {(char *)(s->o->shfmt ? s->o->shfmt : "shfmt"), "-ln", "bash", "--to-json", NULL};
	char *out = NULL, *err = NULL;
	int fd, st = 0, r;
	json_t *root;
	json_error_t je;
	struct src f = {file, text, len, lineoff, depth};
	if (nul) {
		int line = 1;
		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		return s->failed = bk_fail(s->e, BK_REQUEST, "%s:%d: holds a NUL byte: not a shell script "
							     "(scan reads scripts as text); give the script, not a binary",
					   file, line + lineoff);
	}
	if ((fd = memfd_create("bbkit-scan", MFD_CLOEXEC)) < 0)
		return s->failed = bk_fail_errno(s->e, BK_ENV, "memfd_create");
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return s->failed = bk_fail_errno(s->e, BK_ENV, "%s: cannot buffer for shfmt", file);
		}
		off += (size_t)w;
	}
	lseek(fd, 0, SEEK_SET);
	r = bk_run_filter(argv, fd, &out, &err, &st, s->e);
	close(fd);
	if (r)
		return s->failed = r;
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 127) {
		r = bk_fail(s->e, BK_ENV, "%s could not be run (%s); install Debian's shfmt (make scan "
					  "installs it)",
			    argv[0], *err ? strtok(err, "\n") : "killed");
	} else if (WEXITSTATUS(st)) {
		/* "3:7: reached EOF without closing quote \"" */
		int line = atoi(err);
		char *msg = strchr(err, ':');
		msg = msg ? strchr(msg + 1, ':') : NULL;
		msg = msg ? msg + 1 + strspn(msg + 1, " ") : err;
		msg[strcspn(msg, "\n")] = 0;
		r = bk_fail(s->e, BK_REQUEST, "%s:%d: does not parse as shell: %s (shfmt)", file,
			    (line > 0 ? line : 1) + lineoff, msg);
	} else if (!(root = json_loads(out, 0, &je)))
		r = bk_fail(s->e, BK_ENV, "%s: shfmt's JSON does not load: %s", file, je.text);
	else {
		walk(s, &f, root);
		json_decref(root);
		r = s->failed;
	}
	free(out);
	free(err);
	return s->failed = r;
}

/* "#!/bin/sh -e", "#!/usr/bin/env sh": the interpreter, which runs too. */
void sc_shebang(struct scanner *s, const char *file, const char *text)
{
	struct src f = {file, text, strlen(text), 0, 0};
	char *l, *p, *tok;
	if (strncmp(text, "#!", 2))
		return;
	l = strndup(text + 2, strcspn(text + 2, "\n"));
	p = l;
	tok = strtok(p, " \t");
	if (tok && !strcmp(sc_base(tok), "env"))
		tok = strtok(NULL, " \t");
	if (tok && *sc_base(tok))
		sc_add_pending(s, P_COMMAND, sc_base(tok), 1, NULL, &f, 1,
			    bk_xasprintf("%s (the script's interpreter)", sc_base(tok)), 0);
	free(l);
}

int sc_is_func(struct scanner *s, const char *name)
{
	for (size_t i = 0; i < s->funcs.n; i++)
		if (!strcmp(s->funcs.v[i], name))
			return 1;
	return 0;
}

