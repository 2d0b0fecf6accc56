/* A command word through the wrappers that run their argument (exec,
 * env, chpst, find -exec, sh -c ...), and the options it passes.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"

#include <ctype.h>
#include <string.h>

/* Skip a wrapper's options; argopts: the ones that take an argument. */
static size_t skip_opts(struct word *w, size_t j, size_t n, const char *argopts)
{
	while (j < n && w[j].lit && w[j].lit[0] == '-' && w[j].lit[1]) {
		const char *o = w[j].lit;
		if (!strcmp(o, "--"))
			return j + 1;
		j++;
		if (o[1] == '-')
			continue;
		for (const char *c = o + 1; *c; c++)
			if (strchr(argopts, *c)) {
				if (!c[1])
					j++;
				break;
			}
	}
	return j;
}

/* A path's last component: "/usr/bin/ls" is ls. */
const char *sc_base(const char *p)
{
	const char *b = strrchr(p, '/');
	return b ? b + 1 : p;
}

static int is_input(struct scanner *s, const char *path)
{
	for (size_t i = 0; i < s->o->nfiles; i++)
		if (!strcmp(s->o->files[i], path) || !strcmp(sc_base(s->o->files[i]), sc_base(path)))
			return 1;
	return 0;
}

/* The first operand as a subcommand a feature gives (" link" in the
 * applet's table): the one such word it starts, as busybox's
 * index_in_substrings takes "ip addr" for "ip address". */
static void subcommand(struct scanner *s, const struct src *f, const char *name, const char *app,
		       const struct word *w)
{
	const struct opt_info *hit = NULL;
	size_t l = strlen(w->lit);
	for (size_t k = 0; k < s->db.nopts; k++) {
		const struct opt_info *o = &s->db.opts[k];
		if (o->opt[0] != ' ' || strcmp(o->app, app) || strncmp(o->opt + 1, w->lit, l))
			continue;
		if (hit && strcmp(hit->sym, o->sym))
			return; /* "ip r": route or rule, busybox's order decides */
		hit = o;
	}
	if (hit && l)
		sc_add_pending(s, P_OPTION, name, 0, hit->sym, f, w->line, bk_xasprintf("%s %s", name, hit->opt + 1), 0);
}

/* Options an applet's words pass: the features they need, or unknown. */
static void options(struct scanner *s, const struct src *f, const char *name, struct word *w, size_t i,
		    size_t n)
{
	const struct applet *a = sc_db_applet(&s->db, name);
	const char *app = a ? a->main : NULL;
	size_t k, known = 0;
	if (!app || !strcmp(app, "test") || !strcmp(app, "expr") || !strcmp(app, "echo") ||
	    !strcmp(app, "printf"))
		return;
	/* the applet's own usage (killall's, not kill's, its main), else its main's */
	for (k = 0; k < s->db.nopts; k++)
		known += !strcmp(s->db.opts[k].app, a->name);
	if (known)
		app = a->name;
	for (k = 0; k < s->db.nopts && !known; k++)
		known += !strcmp(s->db.opts[k].app, app);
	if (!known)
		return;
	for (int operands = 0; i < n; i++) {
		const char *o = w[i].lit;
		const struct opt_info *hit = NULL;
		if (o && o[0] != '-' && !operands++) {
			subcommand(s, f, name, app, &w[i]);
			continue;
		}
		if (!o || o[0] != '-' || !o[1])
			continue;
		if (!strcmp(o, "--"))
			break;
		for (k = 0; k < s->db.nopts && !hit; k++) {
			size_t l = strcspn(o, "=");
			if (!strcmp(s->db.opts[k].app, app) && strlen(s->db.opts[k].opt) == l &&
			    !strncmp(s->db.opts[k].opt, o, l))
				hit = &s->db.opts[k];
		}
		if (!hit && !strcmp(app, "find"))
			continue; /* an expression: operators are not in its help */
		if (hit) {
			if (hit->sym)
				sc_add_pending(s, P_OPTION, name, 0, hit->sym, f, w[i].line,
					    bk_xasprintf("%s %s", name, hit->opt), 0);
			i += hit->arg && !strchr(o, '=');
			continue;
		}
		if (o[1] == '-' || isdigit((unsigned char)o[1])) {
			if (o[1] == '-')
				sc_add_pending(s, P_BADOPT, name, 0, NULL, f, w[i].line,
					    bk_xasprintf("%s %.*s", name, (int)strcspn(o, "="), o), 0);
			continue;
		}
		/* a cluster of short options: "-la", "-n5" */
		for (const char *c = o + 1; *c; c++) {
			char one[3] = {'-', *c, 0};
			hit = NULL;
			for (k = 0; k < s->db.nopts && !hit; k++)
				if (!strcmp(s->db.opts[k].app, app) && !strcmp(s->db.opts[k].opt, one))
					hit = &s->db.opts[k];
			if (!hit) {
				sc_add_pending(s, P_BADOPT, name, 0, NULL, f, w[i].line,
					    bk_xasprintf("%s %s", name, one), 0);
				break;
			}
			if (hit->sym)
				sc_add_pending(s, P_OPTION, name, 0, hit->sym, f, w[i].line,
					    bk_xasprintf("%s %s", name, one), 0);
			if (hit->arg) {
				i += !c[1];
				break;
			}
		}
	}
}

/* sh -c STRING and friends: parse the string too. */
static void shell_string(struct scanner *s, const struct src *f, struct word *w)
{
	if (!w->lit) {
		sc_add_pending(s, P_NOTE, w->raw, 0, NULL, f, w->line,
			    bk_xasprintf("%s (a command string)", w->raw), SCAN_DYNAMIC);
		return;
	}
	if (f->depth >= MAX_DEPTH) {
		s->failed = bk_fail(s->e, BK_REQUEST, "%s:%d: shell strings nested more than %d deep",
				    f->file, w->line + f->lineoff, MAX_DEPTH);
		return;
	}
	sc_scan_text(s, f->file, w->lit, strlen(w->lit), f->lineoff + w->line - 1, f->depth + 1);
}

/* NAME=... as written (the value may be anything: "$PATH", $(x)) */
static int is_assign(const char *raw)
{
	size_t n = strspn(raw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	return n && !isdigit((unsigned char)raw[0]) && raw[n] == '=';
}

int sc_is_shell(const char *n)
{
	return !strcmp(n, "sh") || !strcmp(n, "ash") || !strcmp(n, "bash") || !strcmp(n, "dash") ||
	       !strcmp(n, "hush");
}

/* Wrappers that run their argument as a command: NAME [OPTIONS] [FIXED
 * ARGUMENTS] COMMAND...; argopts: the options that take a value. */
static const struct wrapper {
	const char *name, *argopts;
	int fixed; /* arguments before the command: chroot DIR, timeout SECS */
} wrappers[] = {
	{"exec", "a", 0}, {"nohup", "", 0}, {"setsid", "", 0}, {"nice", "n", 0}, {"time", "fo", 0},
	{"chpst", "uUe/nlLmdopfcrt", 0},
	/* chpst's other names (runit/chpst.c), as busybox's runit examples
	 * chain them: softlimit setuidgid root udhcpc ... */
	{"softlimit", "amdslfcrotp", 0}, {"setuidgid", "", 1}, {"envuidgid", "", 1}, {"envdir", "", 1},
	{"timeout", "skt", 1}, {"chroot", "", 1},
};
enum { W_NONE, W_NEXT, W_STOP };

/* Whether NAME at w[i] runs a command it is given: W_NEXT with *next where
 * that command starts (*nexec 0: as a builtin), W_STOP when nothing more
 * runs (or was handled here), W_NONE when it is no wrapper. */
static int wrapped_at(struct scanner *s, const struct src *f, const char *name, struct word *w,
		      size_t i, size_t n, size_t *next, int *nexec)
{
	size_t j;
	for (j = 0; j < sizeof wrappers / sizeof *wrappers; j++)
		if (!strcmp(name, wrappers[j].name)) {
			*next = skip_opts(w, i + 1, n, wrappers[j].argopts) + (size_t)wrappers[j].fixed;
			return W_NEXT;
		}
	if (!strcmp(name, "command")) {
		for (j = i + 1; j < n && w[j].lit && w[j].lit[0] == '-'; j++)
			if (strpbrk(w[j].lit, "vV"))
				return W_STOP;
		*next = skip_opts(w, i + 1, n, "");
		*nexec = 0;
	} else if (!strcmp(name, "env")) {
		/* "env - NAME=V cmd": a lone "-" is -i (an empty environment);
		 * NAME="$V" is an assignment too, though no literal */
		for (j = skip_opts(w, i + 1, n, "uC");
		     j < n && (is_assign(w[j].raw) || (w[j].lit && !strcmp(w[j].lit, "-")));)
			j++;
		*next = j;
	} else if (!strcmp(name, "xargs")) {
		*next = skip_opts(w, i + 1, n, "nsIEdPaL");
		if (*next >= n)
			sc_add_pending(s, P_COMMAND, "echo", 1, NULL, f, w[i].line,
				       bk_xstrdup("echo (xargs's default)"), 0);
	} else if (!strcmp(name, "flock")) {
		for (j = i + 1; j < n && w[j].lit && w[j].lit[0] == '-'; j++)
			if (!strcmp(w[j].lit, "-c") && j + 1 < n) {
				shell_string(s, f, &w[j + 1]);
				return W_STOP;
			}
		*next = skip_opts(w, i + 1, n, "w") + 1;
	} else if (!strcmp(name, "busybox")) {
		if (i + 1 < n && w[i + 1].lit && w[i + 1].lit[0] == '-')
			return W_STOP;
		*next = i + 1;
	} else
		return W_NONE;
	return W_NEXT;
}

/* watch [-n N] CMD...: the words are one command string. */
static void watch_at(struct scanner *s, const struct src *f, struct word *w, size_t i, size_t n)
{
	struct sbuf b;
	struct word cmd;
	size_t j = skip_opts(w, i + 1, n, "n");
	if (j >= n)
		return;
	sb_init(&b);
	for (; j < n && w[j].lit; j++)
		sb_add(&b, w[j].lit), sb_add(&b, " ");
	cmd = (struct word){j < n ? NULL : b.s, w[i + 1 < n ? i + 1 : i].raw, w[i].line};
	shell_string(s, f, &cmd);
	sb_free(&b);
}

/* find's expression: options, and the commands of -exec/-execdir/-ok. */
static void find_at(struct scanner *s, const struct src *f, const char *name, struct word *w, size_t i,
		    size_t n)
{
	for (size_t j = i + 1; j < n; j++) {
		const char *o = w[j].lit;
		if (o && (!strcmp(o, "-exec") || !strcmp(o, "-execdir") || !strcmp(o, "-ok") ||
			  !strcmp(o, "-okdir"))) {
			size_t k = j + 1;
			while (k < n && !(w[k].lit && (!strcmp(w[k].lit, ";") || !strcmp(w[k].lit, "+"))))
				k++;
			options(s, f, name, w, j, j + 1);
			sc_command_at(s, f, w, j + 1, k, 1);
			j = k;
		} else if (o)
			options(s, f, name, w, j, j + 1);
	}
}

/* start-stop-daemon's -x/--exec/-a/--startas programs. */
static void ssd_at(struct scanner *s, const struct src *f, struct word *w, size_t i, size_t n)
{
	for (size_t j = i + 1; j < n && w[j].lit && strcmp(w[j].lit, "--"); j++) {
		const char *o = w[j].lit;
		if ((!strcmp(o, "-x") || !strcmp(o, "--exec") || !strcmp(o, "-a") || !strcmp(o, "--startas")) &&
		    j + 1 < n)
			sc_command_at(s, f, w, j + 1, j + 2, 1), j++;
		else if (!strncmp(o, "--exec=", 7) || !strncmp(o, "--startas=", 10)) {
			struct word x = {(char *)strchr(o, '=') + 1, w[j].raw, w[j].line};
			sc_command_at(s, f, &x, 0, 1, 1);
		}
	}
}

/* sh [-OPTS] -c STRING, or sh SCRIPT (named, not followed). */
static void shell_at(struct scanner *s, const struct src *f, const char *name, struct word *w, size_t i,
		     size_t n)
{
	size_t j;
	int c = 0;
	for (j = i + 1; j < n && w[j].lit && w[j].lit[0] == '-' && strcmp(w[j].lit, "--"); j++)
		if (w[j].lit[1] != '-' && strchr(w[j].lit, 'c'))
			c = 1;
	j += j < n && w[j].lit && !strcmp(w[j].lit, "--");
	if (c && j < n)
		shell_string(s, f, &w[j]);
	else if (j < n && w[j].lit && !is_input(s, w[j].lit))
		sc_add_pending(s, P_NOTE, w[j].lit, 0, NULL, f, w[j].line, bk_xasprintf("%s %s", name, w[j].lit),
			       SCAN_UNFOLLOWED);
}

/* A command that runs no other one as a wrapper does: its options, and
 * what it reads or runs its own way. */
static void command_last(struct scanner *s, const struct src *f, const char *name, struct word *w,
			 size_t i, size_t n)
{
	size_t j;
	if (!strcmp(name, "watch"))
		watch_at(s, f, w, i, n);
	else if (!strcmp(name, "find"))
		find_at(s, f, name, w, i, n);
	else if (!strcmp(name, "start-stop-daemon"))
		ssd_at(s, f, w, i, n);
	else if (!strcmp(name, "su")) {
		for (j = i + 1; j + 1 < n; j++)
			if (w[j].lit && (!strcmp(w[j].lit, "-c") || !strcmp(w[j].lit, "--command"))) {
				shell_string(s, f, &w[j + 1]);
				break;
			}
	} else if (sc_is_shell(name))
		shell_at(s, f, name, w, i, n);
	else if (!strcmp(name, ".") || !strcmp(name, "source")) {
		if (i + 1 < n && w[i + 1].lit && !is_input(s, w[i + 1].lit))
			sc_source_rootfs(s, f, name, &w[i + 1]);
	} else if (!strcmp(name, "mount")) {
		options(s, f, name, w, i + 1, n);
		sc_mount_helpers(s, f, w, i + 1, n);
	} else if (!strcmp(name, "eval"))
		sc_add_pending(s, P_NOTE, "eval", 0, NULL, f, w[i].line, bk_xstrdup("eval"), SCAN_DYNAMIC);
	else
		options(s, f, name, w, i + 1, n);
}

/* The command word at w[i] of words w[i..n), through wrappers that run
 * their argument as a command. exec: run by exec(), not as a builtin. */
void sc_command_at(struct scanner *s, const struct src *f, struct word *w, size_t i, size_t n,
		   int exec)
{
	while (i < n && !s->failed) {
		const char *name;
		size_t next = n;
		int nexec = 1, k;
		if (!w[i].lit) {
			sc_add_pending(s, P_NOTE, w[i].raw, 0, NULL, f, w[i].line, bk_xstrdup(w[i].raw),
				       SCAN_DYNAMIC);
			return;
		}
		name = sc_base(w[i].lit);
		if (!*name)
			return;
		sc_add_pending(s, P_COMMAND, name, exec, NULL, f, w[i].line, NULL, 0);
		sc_run_rootfs_script(s, f->depth, w[i].lit);
		k = wrapped_at(s, f, name, w, i, n, &next, &nexec);
		if (k == W_STOP)
			return;
		if (k == W_NONE) {
			command_last(s, f, name, w, i, n);
			return;
		}
		options(s, f, name, w, i + 1, next < n ? next : n);
		i = next;
		exec = nexec;
	}
}

