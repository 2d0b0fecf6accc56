/* Busybox's source tree read once into struct db: the //applet: table,
 * Kconfig symbols and whose directory they are, ash's builtintab, and
 * through the other pieces options, runs, syntax and the config readers.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "scan_int.h"
#include "../fs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* "#if ENABLE_ASH_TEST || BASH_TEST2": the ENABLE_ symbols, through ash.c's
 * own #defines of the other names (JOBS, BASH_TEST2). */
void sc_cond_syms(const char *ash, const char *expr, struct bk_vec *out, int level)
{
	for (const char *p = expr; *p && *p != '\n';) {
		size_t n;
		if (!(isalpha((unsigned char)*p) || *p == '_')) {
			p++;
			continue;
		}
		n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		if (!strncmp(p, "ENABLE_", 7) || !strncmp(p, "CONFIG_", 7)) {
			char *sym = strndup(p + 7, n - 7);
			size_t i;
			for (i = 0; i < out->n && strcmp(out->v[i], sym); i++)
				;
			if (i == out->n)
				bk_vec_push(out, sym);
			else
				free(sym);
		} else if (level < 3 && strncmp(p, "defined", n)) {
			/* "#define NAME value" in ash.c */
			for (const char *q = ash; (q = strstr(q, "#define")); q += 7) {
				const char *r = q + 7;
				r += strspn(r, " \t");
				if (!strncmp(r, p, n) && (r[n] == ' ' || r[n] == '\t')) {
					sc_cond_syms(ash, r + n, out, level + 1);
					break;
				}
			}
		}
		p += n;
	}
}

/* ash's builtintab: each entry's name and the #if lines around it. */
static void ash_builtins(struct db *d, const char *ash)
{
	const char *p = strstr(ash, "builtintab[] = {"), *end;
	const char *ifs[16];
	int nif = 0;
	if (!p || !(end = strstr(p, "\n};")))
		return;
	for (p = strchr(p, '\n'); p && p < end; p = strchr(p + 1, '\n')) {
		const char *l = p + 1 + strspn(p + 1, " \t");
		if (!strncmp(l, "#if", 3) && nif < 16)
			ifs[nif++] = l + 3 + strcspn(l + 3, " \t");
		else if (!strncmp(l, "#endif", 6) && nif)
			nif--;
		else if (*l == '{') {
			const char *q = strchr(l, '"'), *r = q ? strchr(q + 1, '"') : NULL;
			struct builtin b = {0};
			if (!q || !r || r > strchr(l, '\n'))
				continue;
			b.name = strndup(q + 1, (size_t)(r - q - 1));
			for (int i = 0; i < nif; i++)
				sc_cond_syms(ash, ifs[i], &b.syms, 0);
			d->bi = bk_xrealloc(d->bi, (d->nbi + 1) * sizeof *d->bi);
			d->bi[d->nbi++] = b;
		}
	}
}

int sc_ifs_open(const char *text, const char *at, struct sc_if ifs[SC_MAX_IFS])
{
	int n = 0;
	for (const char *l = text; l && l < at; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l + strspn(l, " \t");
		if (*p != '#')
			continue;
		p += 1 + strspn(p + 1, " \t");
		if (!strncmp(p, "if", 2) && n < SC_MAX_IFS)
			ifs[n++] = (struct sc_if){p, p + 2 + strcspn(p + 2, " \t"), 0};
		else if (!strncmp(p, "el", 2) && n) /* #else, #elif */
			ifs[n - 1].elsed = 1;
		else if (!strncmp(p, "endif", 5) && n)
			n--;
	}
	return n;
}

/* The symbols of the #if lines open at position at of text. */
void sc_open_ifs(const char *text, const char *at, struct bk_vec *out)
{
	struct sc_if ifs[SC_MAX_IFS];
	int n = sc_ifs_open(text, at, ifs);
	for (int i = 0; i < n; i++)
		sc_cond_syms(text, ifs[i].cond, out, 0);
}

/* "config NAME" / "menuconfig NAME" lines (after prefix): the symbols
 * that exist; an #if or IF_ on any other name is code never built. */
static void own(struct db *d, const char *name, size_t n, const char *rel)
{
	const char *sl = strrchr(rel, '/');
	bk_vec_push(&d->own_name, strndup(name, n));
	bk_vec_push(&d->own_dir, strndup(rel, sl ? (size_t)(sl - rel) : 0));
}

static void config_syms(struct db *d, const char *text, const char *prefix, const char *rel)
{
	size_t pl = strlen(prefix);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l;
		if (pl && strncmp(p, prefix, pl))
			continue;
		p += pl;
		p += strspn(p, " \t");
		if (!strncmp(p, "menuconfig ", 11))
			p += 11;
		else if (!strncmp(p, "config ", 7))
			p += 7;
		else
			continue;
		p += strspn(p, " \t");
		bk_vec_push(&d->syms, strndup(p, strcspn(p, " \t\n")));
		own(d, p, strcspn(p, " \t\n"), rel);
	}
}

static int db_has_sym(const struct db *d, const char *sym)
{
	return bsearch(&sym, d->syms.v, d->syms.n, sizeof *d->syms.v, bk_cmp_str) != NULL;
}

static int db_visit(const char *path, const char *rel, const struct stat *st, const char *name,
		    void *arg, struct bkerr *e)
{
	struct db *d = arg;
	char *text;
	size_t len, n, app0;
	struct sbuf u;
	(void)e;
	if (S_ISREG(st->st_mode) && (!strcmp(name, "Config.in") || !strcmp(name, "Config.src")) &&
	    !bk_read_file(path, &text, &len, NULL)) {
		config_syms(d, text, "", rel);
		free(text);
		return 0;
	}
	if (!S_ISREG(st->st_mode) || (n = strlen(name)) < 3 || strcmp(name + n - 2, ".c"))
		return 0;
	if (bk_read_file(path, &text, &len, NULL))
		return 0;
	if (!memchr(text, '/', len) || (!strstr(text, "//applet:") && !strstr(text, "//usage:"))) {
		if (strcmp(rel, "shell/ash.c")) {
			free(text);
			return 0;
		}
	}
	app0 = d->apps.n;
	sb_init(&u);
	sb_addn(&u, "", 0);
	for (char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (!strncmp(l, "//applet:", 9)) {
			char *nl = strchr(l, '\n'), *line = nl ? strndup(l + 9, (size_t)(nl - l - 9)) : bk_xstrdup(l + 9);
			struct applet a;
			if (!bk_applet_parse_line(line + strspn(line, " \t"), &a)) {
				d->apps.v = bk_xrealloc(d->apps.v, (d->apps.n + 1) * sizeof *d->apps.v);
				d->apps.v[d->apps.n++] = a;
			}
			free(line);
		} else if (!strncmp(l, "//usage:", 8)) {
			size_t ll = strcspn(l + 8, "\n");
			sb_addn(&u, l + 8, ll);
			sb_add(&u, "\n");
		}
	}
	config_syms(d, text, "//config:", rel);
	for (size_t a = app0; a < d->apps.n; a++)
		own(d, d->apps.v[a].name, strlen(d->apps.v[a].name), rel);
	if (d->apps.n > app0)
		sc_code_runs(d, rel, text, app0);
	/* the full usage first: its option lines say which take an argument */
	sc_usage_text(d, u.s, "_full_usage");
	sc_usage_text(d, u.s, "_trivial_usage");
	if (d->apps.n > app0)
		sc_longopts(d, text, app0);
	sb_free(&u);
	if (d->apps.n > app0)
		sc_getopt_text(d, text, app0);
	sc_conf_gates(d, rel, text);
	if (!strcmp(rel, "shell/ash.c")) {
		ash_builtins(d, text);
		sc_ash_syntax(d, text);
	}
	free(text);
	return 0;
}

void sc_db_free(struct db *d)
{
	bk_applets_free(&d->apps);
	for (size_t i = 0; i < d->nbi; i++)
		free(d->bi[i].name), bk_vec_free(&d->bi[i].syms);
	free(d->bi);
	for (size_t i = 0; i < SY_N; i++)
		bk_vec_free(&d->syntax[i].syms);
	for (size_t i = 0; i < G_N; i++)
		free(d->gates[i].where), free(d->gates[i].value), bk_vec_free(&d->gates[i].syms);
	bk_vec_free(&d->modprobe_kw);
	free(d->libbb);
	for (size_t i = 0; i < d->nopts; i++)
		free(d->opts[i].app), free(d->opts[i].opt), free(d->opts[i].sym);
	free(d->opts);
	bk_vec_free(&d->syms);
	for (size_t i = 0; i < d->nruns; i++)
		free(d->runs[i].app), free(d->runs[i].prog), free(d->runs[i].where);
	free(d->runs);
	bk_vec_free(&d->own_name);
	bk_vec_free(&d->own_dir);
	memset(d, 0, sizeof *d);
}

int sc_db_load(const char *src, struct db *d, struct bkerr *e)
{
	char *ash = bk_xasprintf("%s/shell/ash.c", src);
	int ok = bk_exists(ash);
	free(ash);
	memset(d, 0, sizeof *d);
	if (!ok)
		return bk_fail(e, BK_ENV, "%s: not a busybox source tree (no shell/ash.c); give --src "
					  "the tree 'bbkit fetch' made",
			       src);
	{
		char *h = bk_xasprintf("%s/include/libbb.h", src);
		size_t hl;
		if (bk_read_file(h, &d->libbb, &hl, NULL))
			d->libbb = bk_xstrdup("");
		free(h);
	}
	if (bk_walk(src, db_visit, d, e)) {
		sc_db_free(d);
		return e->code;
	}
	qsort(d->syms.v, d->syms.n, sizeof *d->syms.v, bk_cmp_str);
	for (size_t i = 0; i < d->nbi; i++)
		for (size_t k = 0; k < d->bi[i].syms.n; k++)
			if (!db_has_sym(d, d->bi[i].syms.v[k]))
				d->bi[i].name[0] = 0; /* under an #if no Kconfig sets */
	for (size_t i = 0; i < SY_N + G_N; i++) { /* "#if HAVE_DEV_FD": no Kconfig symbol */
		struct bk_vec *v = i < SY_N ? &d->syntax[i].syms : &d->gates[i - SY_N].syms;
		for (size_t k = 0; k < v->n;)
			if (db_has_sym(d, v->v[k]))
				k++;
			else {
				free(v->v[k]);
				v->v[k] = v->v[--v->n];
			}
	}
	for (size_t i = 0; i < d->nopts; i++)
		if (d->opts[i].sym && !db_has_sym(d, d->opts[i].sym))
			free(d->opts[i].sym), d->opts[i].sym = NULL;
	sc_table_runs(d);
	for (size_t i = 0; i < d->nruns;) /* only programs that are applets */
		if (strcmp(d->runs[i].app, d->runs[i].prog) && sc_db_applet(d, d->runs[i].prog) &&
		    sc_db_applet(d, d->runs[i].app))
			i++;
		else {
			free(d->runs[i].app), free(d->runs[i].prog), free(d->runs[i].where);
			d->runs[i] = d->runs[--d->nruns];
		}
	if (!d->apps.n || !d->nbi) {
		sc_db_free(d);
		return bk_fail(e, BK_ENV, "%s: no //applet: lines or no ash builtintab found: not a busybox "
					  "source tree bbkit knows",
			       src);
	}
	return 0;
}

const struct applet *sc_db_applet(const struct db *d, const char *name)
{
	for (size_t i = 0; i < d->apps.n; i++)
		if (!strcmp(d->apps.v[i].name, name))
			return &d->apps.v[i];
	return NULL;
}

const struct builtin *sc_db_builtin(const struct db *d, const char *name)
{
	for (size_t i = 0; i < d->nbi; i++)
		if (!strcmp(d->bi[i].name, name))
			return &d->bi[i];
	return NULL;
}

