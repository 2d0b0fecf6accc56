/* bbkit scan engine: shell text -> shfmt's JSON AST -> command words ->
 * applets, ash builtins' symbols and option features of busybox's own
 * source. Nothing in a scanned file is executed: shfmt only parses it (the
 * text goes to its stdin through an anonymous file, never a command line).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"
#include "../fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_INPUT (16u << 20)

/* ---- results ----------------------------------------------------------- */

static void need(struct scan_result *r, const char *word, int kind, const struct scan_use *u)
{
	struct scan_need *nd = NULL;
	for (size_t i = 0; i < r->nneeds && !nd; i++)
		if (!strcmp(r->needs[i].word, word))
			nd = &r->needs[i];
	if (!nd) {
		r->needs = bk_xrealloc(r->needs, (r->nneeds + 1) * sizeof *r->needs);
		nd = &r->needs[r->nneeds++];
		*nd = (struct scan_need){bk_xstrdup(word), kind, NULL, 0, NULL, 0};
	}
	for (size_t i = 0; i < nd->nuses; i++)
		if (nd->uses[i].line == u->line && !strcmp(nd->uses[i].file, u->file) &&
		    !strcmp(nd->uses[i].what, u->what))
			return;
	nd->uses = bk_xrealloc(nd->uses, (nd->nuses + 1) * sizeof *nd->uses);
	nd->uses[nd->nuses++] = (struct scan_use){bk_xstrdup(u->file), u->line, bk_xstrdup(u->what)};
}

static void word_is(struct scan_result *r, const char *word, const char *how, const struct scan_use *u)
{
	r->words = bk_xrealloc(r->words, (r->nwords + 1) * sizeof *r->words);
	r->words[r->nwords++] = (struct scan_word){
		bk_xstrdup(word), how, {bk_xstrdup(u->file), u->line, bk_xstrdup(u->what)}};
}

static void note(struct scan_result *r, int kind, const char *word, const struct scan_use *u)
{
	r->notes = bk_xrealloc(r->notes, (r->nnotes + 1) * sizeof *r->notes);
	r->notes[r->nnotes++] = (struct scan_note){
		kind, bk_xstrdup(word), {bk_xstrdup(u->file), u->line, bk_xstrdup(u->what)}};
}

/* An applet and, through what it runs, the applets it needs: "ifup runs
 * run-parts" at the use's file:line. */
static void need_applet(struct scanner *s, struct scan_result *r, const char *name, const struct scan_use *u,
			int depth)
{
	need(r, name, SCAN_APPLET, u);
	if (depth > 4)
		return;
	for (size_t i = 0; i < s->db.nruns; i++)
		if (!strcmp(s->db.runs[i].app, name)) {
			char *what = bk_xasprintf("%s runs %s (%s)", name, s->db.runs[i].prog, s->db.runs[i].where);
			struct scan_use v = {u->file, u->line, what};
			need_applet(s, r, s->db.runs[i].prog, &v, depth + 1);
			free(what);
		}
}

static int need_cmp(const void *a, const void *b)
{
	const struct scan_need *x = a, *y = b;
	return x->kind != y->kind ? x->kind - y->kind : strcmp(x->word, y->word);
}

/* What a command word is, for --words (the order resolve_uses decides in). */
static const char *word_how(struct scanner *s, const struct pending *p)
{
	char *prog;
	if (sc_is_func(s, p->name))
		return "function";
	if (!strcmp(p->name, "busybox"))
		return "busybox";
	if (!p->exec && sc_db_builtin(&s->db, p->name))
		return "builtin";
	if (sc_db_applet(&s->db, p->name))
		return "applet";
	prog = s->root ? bk_scan_rootfs_program(s->root, p->name) : NULL;
	if (!prog)
		return "not-busybox";
	free(prog);
	return "rootfs";
}

static void resolve_uses(struct scanner *s, struct scan_result *r)
{
	/* commands that resolve to applets (their option uses count then) */
	for (size_t i = 0; i < s->np; i++) {
		struct pending *p = &s->p[i];
		const struct builtin *b;
		if (p->kind == P_NOTE) {
			int dup = 0;
			if (p->note == SCAN_DYNAMIC)
				word_is(r, p->name, "dynamic", &p->use);
			for (size_t k = 0; p->note == SCAN_NO_ASH && k < r->nnotes && !dup; k++)
				dup = r->notes[k].kind == p->note && r->notes[k].use.line == p->use.line &&
				      !strcmp(r->notes[k].word, p->name) && !strcmp(r->notes[k].use.file, p->use.file);
			if (!dup) /* syntax: once per line */
				note(r, p->note, p->name, &p->use);
			continue;
		}
		if (p->kind == P_SYNTAX) {
			need(r, "sh", SCAN_APPLET, &p->use);
			for (size_t k = 0; k < s->db.syntax[p->note].syms.n; k++)
				need(r, s->db.syntax[p->note].syms.v[k], SCAN_SYMBOL, &p->use);
			continue;
		}
		if (p->kind == P_COMMAND)
			word_is(r, p->name, word_how(s, p), &p->use);
		if (sc_is_func(s, p->name))
			continue;
		if (!strcmp(p->name, "busybox")) {
			/* the binary itself: "busybox APPLET" needs its busybox applet */
			if (p->kind == P_COMMAND)
				need(r, "BUSYBOX", SCAN_SYMBOL, &p->use);
			continue;
		}
		b = p->exec ? NULL : sc_db_builtin(&s->db, p->name);
		if (p->kind == P_COMMAND && b) {
			char *what = bk_xasprintf("%s (ash builtin)", p->name);
			struct scan_use u = {p->use.file, p->use.line, what};
			need(r, "sh", SCAN_APPLET, &u);
			for (size_t k = 0; k < b->syms.n; k++)
				need(r, b->syms.v[k], SCAN_SYMBOL, &u);
			free(what);
		} else if (b)
			; /* options of a builtin: not the applet's */
		else if (!sc_db_applet(&s->db, p->name)) {
			if (p->kind == P_COMMAND) {
				size_t k;
				char *prog = s->root ? bk_scan_rootfs_program(s->root, p->name) : NULL;
				int kind = prog ? SCAN_ROOTFS : SCAN_NOT_BUSYBOX;
				for (k = 0; k < r->nnotes; k++)
					if (r->notes[k].kind == kind && !strcmp(r->notes[k].word, p->name))
						break;
				if (k == r->nnotes && prog) {
					struct scan_use u = {p->use.file, p->use.line, prog};
					note(r, kind, p->name, &u);
				} else if (k == r->nnotes)
					note(r, kind, p->name, &p->use);
				free(prog);
			}
		} else if (p->kind == P_COMMAND)
			need_applet(s, r, p->name, &p->use, 0);
		else if (p->kind == P_OPTION)
			need(r, p->sym, SCAN_SYMBOL, &p->use);
		else
			note(r, SCAN_BAD_OPTION, p->name, &p->use);
	}
	qsort(r->needs, r->nneeds, sizeof *r->needs, need_cmp);
}

/* The title of the menu a directory's Config.src (or Config.in) opens,
 * walking up to the parent when it opens none ("networking/udhcp"), and
 * "Settings" at the top (BUSYBOX, libbb's options). */
static char *dir_title(const char *src, const char *dir)
{
	char *d = bk_xstrdup(dir);
	for (;;) {
		static const char *const names[] = {"Config.src", "Config.in"};
		char *title = NULL, *sl;
		for (size_t i = 0; i < 2 && *d && !title; i++) {
			char *path = bk_xasprintf("%s/%s/%s", src, d, names[i]), *text, *m;
			size_t len;
			if (!bk_read_file(path, &text, &len, NULL)) {
				if ((m = strstr(text, "\nmenu \"")) || (!strncmp(text, "menu \"", 6) && (m = text - 1)))
					title = strndup(m + 7, strcspn(m + 7, "\"\n"));
				free(text);
			}
			free(path);
		}
		if (title || !*d) {
			free(d);
			return title ? title : bk_xstrdup("Settings");
		}
		sl = strrchr(d, '/');
		*(sl ? sl : d) = 0;
	}
}

/* Order of the top directories as Config.in sources them: make list's. */
static int dir_order(const char *src, const char *dir)
{
	char *path = bk_xasprintf("%s/Config.in", src), *text;
	size_t len, top = strcspn(dir, "/");
	int k = 0, found = 0;
	if (*dir && !bk_read_file(path, &text, &len, NULL)) {
		for (const char *l = text; l && *l && !found; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
			if (!strncmp(l, "source ", 7)) {
				k++;
				found = !strncmp(l + 7, dir, top) && l[7 + top] == '/';
			}
		free(text);
	}
	free(path);
	return found ? k : 0;
}

static int group_cmp(const void *a, const void *b)
{
	const struct scan_need *x = a, *y = b;
	if (x->order != y->order)
		return x->order - y->order;
	if (strcmp(x->group, y->group))
		return strcmp(x->group, y->group);
	return need_cmp(a, b);
}

/* Each line under its menu's title, menus in make list's order. */
static void group(const struct db *d, const char *src, struct scan_result *r)
{
	for (size_t i = 0; i < r->nneeds; i++) {
		const char *dir = "";
		for (size_t k = 0; k < d->own_name.n; k++)
			if (!strcmp(d->own_name.v[k], r->needs[i].word)) {
				dir = d->own_dir.v[k];
				break;
			}
		r->needs[i].group = dir_title(src, dir);
		r->needs[i].order = dir_order(src, dir);
	}
	qsort(r->needs, r->nneeds, sizeof *r->needs, group_cmp);
}

int bk_scan(const struct scan_opts *o, struct scan_result *r, struct bkerr *e)
{
	struct scanner s = {0};
	int rc;
	memset(r, 0, sizeof *r);
	s.o = o;
	s.e = e;
	if ((rc = sc_db_load(o->src, &s.db, e)))
		return rc;
	if (o->rootfs && (rc = bk_scan_rootfs_open(o->rootfs, &s.root, e))) {
		sc_db_free(&s.db);
		return rc;
	}
	for (size_t i = 0; i < o->nfiles && !s.failed; i++) {
		char *text;
		size_t len;
		struct stat st;
		if (stat(o->files[i], &st) || !S_ISREG(st.st_mode)) {
			s.failed = bk_fail(e, BK_REQUEST, "%s: %s; give a script file", o->files[i],
					   errno == ENOENT ? "no such file" : "not a regular file");
			break;
		}
		if ((size_t)st.st_size > MAX_INPUT) {
			s.failed = bk_fail(e, BK_REQUEST, "%s: %lld bytes: larger than a script (%u MB at most)",
					   o->files[i], (long long)st.st_size, MAX_INPUT >> 20);
			break;
		}
		if ((rc = bk_read_file(o->files[i], &text, &len, e))) {
			s.failed = rc;
			break;
		}
		if ((rc = sc_conf_kind(o->files[i])))
			sc_scan_conf(&s, o->files[i], text, len, rc, 0);
		else {
			if (!memchr(text, 0, len))
				sc_shebang(&s, o->files[i], text);
			sc_scan_text(&s, o->files[i], text, len, 0, 0);
		}
		free(text);
	}
	if (!s.failed && o->dockerfile)
		sc_scan_dockerfile(&s, o->dockerfile);
	/* (udhcpc may run from an inittab's script, and its script run init's
	 * or inetd's readers: the config files again after it) */
	if (!s.failed)
		sc_rootfs_confs(&s);
	if (!s.failed)
		sc_rootfs_udhcpc_script(&s);
	if (!s.failed)
		sc_rootfs_confs(&s);
	if (!s.failed) {
		resolve_uses(&s, r);
		group(&s.db, o->src, r);
		r->nfiles = o->nfiles + !!o->dockerfile;
	}
	for (size_t i = 0; i < s.np; i++)
		free(s.p[i].name), free(s.p[i].sym), free(s.p[i].use.file), free(s.p[i].use.what);
	free(s.p);
	for (size_t i = 0; i < s.funcs.n; i++)
		free(s.funcs.v[i]);
	free(s.funcs.v);
	for (size_t i = 0; i < s.followed.n; i++)
		free(s.followed.v[i]);
	free(s.followed.v);
	bk_scan_rootfs_free(s.root);
	sc_db_free(&s.db);
	if (s.failed)
		bk_scan_free(r);
	return s.failed;
}

void bk_scan_free(struct scan_result *r)
{
	for (size_t i = 0; i < r->nneeds; i++) {
		for (size_t k = 0; k < r->needs[i].nuses; k++)
			free(r->needs[i].uses[k].file), free(r->needs[i].uses[k].what);
		free(r->needs[i].uses);
		free(r->needs[i].word);
		free(r->needs[i].group);
	}
	free(r->needs);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i].word), free(r->notes[i].use.file), free(r->notes[i].use.what);
	free(r->notes);
	for (size_t i = 0; i < r->nwords; i++)
		free(r->words[i].word), free(r->words[i].use.file), free(r->words[i].use.what);
	free(r->words);
	memset(r, 0, sizeof *r);
}

int bk_scan_check(const struct scan_result *r, const struct dotconfig *config, const char *cfgname,
		  const char *src, struct bkerr *e)
{
	struct db d;
	int rc, missing = 0;
	if ((rc = sc_db_load(src, &d, e)))
		return rc;
	for (size_t i = 0; i < r->nneeds; i++) {
		const struct scan_need *n = &r->needs[i];
		int on = 0;
		if (n->kind == SCAN_SYMBOL)
			on = bk_config_is_on(n->word, (void *)config);
		else
			for (size_t k = 0; k < d.apps.n && !on; k++)
				on = !strcmp(d.apps.v[k].name, n->word) &&
				     bk_applet_enabled(&d.apps.v[k], bk_config_is_on, (void *)config);
		if (on)
			continue;
		if (!missing++)
			bk_fail(e, BK_REQUEST, "%s:%d: %s needs %s, which %s lacks: add the line '%s' to the list",
				n->uses[0].file, n->uses[0].line, n->uses[0].what, n->word, cfgname, n->word);
		else
			bk_problem(e, "%s:%d: %s needs %s, which %s lacks: add the line '%s' to the list",
				   n->uses[0].file, n->uses[0].line, n->uses[0].what, n->word, cfgname, n->word);
	}
	sc_db_free(&d);
	return missing ? BK_REQUEST : 0;
}
