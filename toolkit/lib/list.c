/* Applet list files: parsing only (no kconfig). Every problem is collected
 * as "file:line: entry: what: what to do"; the caller reports them.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "list.h"
#include "applets.h"
#include "fs.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_LINE 4096
#define MAX_DEPTH 32
#define MAX_FILE (16 << 20)

static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3;
		else
			return 0;
		for (size_t j = 1; j <= k; j++)
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				return 0;
		if (c == 0xe0 && s[i + 1] < 0xa0)
			return 0;
		if (c == 0xed && s[i + 1] >= 0xa0)
			return 0;
		if (c == 0xf0 && s[i + 1] < 0x90)
			return 0;
		if (c == 0xf4 && s[i + 1] >= 0x90)
			return 0;
		i += k + 1;
	}
	return 1;
}

/* Upper-case words joined by '_'. A few real symbols carry lower case
 * (INCLUDE_SUSv2): allowed when the name starts upper case and has a '_',
 * which no applet name ("Ls" is a typo, not a symbol) looks like. */
static int is_symbol(const char *s)
{
	int upper = 0, lower = 0, underscore = 0;
	const char *first = s;
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (isupper((unsigned char)*s))
			upper = 1;
		else if (islower((unsigned char)*s))
			lower = 1;
		else if (*s == '_')
			underscore = 1;
		else if (!isdigit((unsigned char)*s))
			return 0;
	}
	return upper && (!lower || (isupper((unsigned char)*first) && underscore));
}

static int is_applet(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr("_.-[]+", *s))
			return 0;
	return 1;
}

/* Cut a trailing "# comment" outside double quotes; returns 0 on an
 * unterminated quote. */
static int strip_comment(char *s)
{
	int q = 0;
	for (char *p = s; *p; p++) {
		if (q && *p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '"')
			q = !q;
		else if (*p == '#' && !q && (p == s || isspace((unsigned char)p[-1]))) {
			*p = 0;
			break;
		}
	}
	return !q;
}

static char *trim(char *s)
{
	char *end;
	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = 0;
	return s;
}

/* "..." with \" and \\ escapes -> unescaped copy, or NULL when malformed. */
static char *unquote(const char *v)
{
	size_t n = strlen(v);
	char *out, *o;
	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return NULL;
	out = o = bk_xmalloc(n);
	for (size_t i = 1; i < n - 1; i++) {
		if (v[i] == '\\' && i + 1 < n - 1)
			i++;
		else if (v[i] == '"') {
			free(out);
			return NULL;
		}
		*o++ = v[i];
	}
	*o = 0;
	return out;
}

/* A line as messages quote it: at most QUOTE_MAX bytes (a whole UTF-8
 * character), then "...": an error never shows a whole file's lines. */
#define QUOTE_MAX 64
static char *short_text(const char *s)
{
	size_t n = strlen(s);
	char *out;
	if (n <= QUOTE_MAX)
		return bk_xstrdup(s);
	n = QUOTE_MAX;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	out = bk_xmalloc(n + 4);
	memcpy(out, s, n);
	memcpy(out + n, "...", 4);
	return out;
}

struct parser {
	struct applet_list *l;
	struct bkerr *e;
	int not_a_list; /* a file refused whole: the only problem said */
	const char *where; /* "file:line: include X: " of the file being read */
	char *stack[MAX_DEPTH];
	int depth;
	size_t n0; /* entries before this file: it must add some, */
	int may_be_empty; /* unless it is a fragment (merge_config.sh merges an empty one) */
};

static int parse_buf(struct parser *ps, const char *name, const char *buf, size_t len);

static void add_file(struct applet_list *l, const char *path)
{
	bk_strv_add_unique(&l->files, &l->nfiles, path);
}

static int load_file(struct parser *ps, const char *path, const char *where)
{
	char *real = realpath(path, NULL), *data;
	size_t len;
	struct bkerr fe = {0, "", NULL, 0};
	int r;
	if (!real) {
		struct stat st;
		int err = errno;
		if (err == ENOENT && !lstat(path, &st) && S_ISLNK(st.st_mode))
			bk_problem(ps->e,
				   "%scannot open %s: a link to something that is not a file (a pipe "
				   "or /dev/stdin cannot be a list: save it to a file)",
				   where, path);
		else
			bk_problem(ps->e, "%scannot open %s: %s", where, path, strerror(err));
		return BK_REQUEST;
	}
	for (int i = 0; i < ps->depth; i++)
		if (!strcmp(ps->stack[i], real)) {
			struct sbuf b;
			sb_init(&b);
			for (int j = i; j < ps->depth; j++)
				sb_addf(&b, "%s -> ", ps->stack[j]);
			sb_add(&b, real);
			bk_problem(ps->e, "%sinclude cycle: %s; remove one of these includes", where,
				   b.s);
			sb_free(&b);
			free(real);
			return BK_REQUEST;
		}
	if (ps->depth == MAX_DEPTH) {
		bk_problem(ps->e, "%sincludes nested deeper than %d", where, MAX_DEPTH);
		free(real);
		return BK_REQUEST;
	}
	{
		struct stat st;
		if (stat(real, &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
			bk_problem(ps->e, "%s%s: not a regular file of at most %d MB; lists are text files",
				   where, path, MAX_FILE >> 20);
			free(real);
			return BK_REQUEST;
		}
	}
	if (bk_read_file(path, &data, &len, &fe)) {
		bk_problem(ps->e, "%s%s", where, fe.msg);
		free(real);
		return BK_REQUEST;
	}
	add_file(ps->l, path);
	ps->stack[ps->depth++] = real;
	ps->where = where;
	r = parse_buf(ps, path, data, len);
	ps->depth--;
	free(real);
	free(data);
	return r;
}

static void add_entry(struct applet_list *l, const struct list_entry *ent)
{
	l->v = bk_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = *ent;
}

static int parse_size(const char *s, long long *out)
{
	char *end;
	long long v, mul = 1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || v <= 0 || errno)
		return -1;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024, end++;
	if (*end || v > (1LL << 40) / mul) /* a budget over 1 TiB is a typo */
		return -1;
	*out = v * mul;
	return 0;
}

/* One logical line (already without newline). */
/* kconfig's own "off": exactly "# CONFIG_X is not set" (any other comment
 * stays a comment). Returns X's start and sets *n, or NULL. */
static const char *kconfig_off(const char *s, size_t *n)
{
	static const char tail[] = " is not set";
	const char *name;
	while (isspace((unsigned char)*s))
		s++;
	if (strncmp(s, "# CONFIG_", 9))
		return NULL;
	name = s + 9;
	*n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	if (!*n || strncmp(name + *n, tail, sizeof tail - 1))
		return NULL;
	for (s = name + *n + sizeof tail - 1; isspace((unsigned char)*s); s++)
		;
	return *s ? NULL : name;
}

/* "include FILE" or "budget SIZE" (s the directive, arg its argument). */
static void parse_directive(struct parser *ps, const char *file, int lineno, const char *where,
			    const char *s, char *arg)
{
	struct applet_list *l = ps->l;
	if (!strcmp(s, "include")) {
		char *dup = bk_xstrdup(file), *path, *w;
		path = arg[0] == '/' ? bk_xstrdup(arg) : bk_xasprintf("%s/%s", dirname(dup), arg);
		free(dup);
		w = bk_xasprintf("%sinclude %s: ", where, arg);
		load_file(ps, path, w);
		free(w);
		free(path);
	} else if (!strcmp(s, "fragment")) {
		/* merged after the whole input, as merge_config.sh merges (the
		 * resolver does it: resolve --fragment) */
		char *dup = bk_xstrdup(file);
		l->fragments = bk_xrealloc(l->fragments, (l->nfragments + 1) * sizeof *l->fragments);
		l->fragments[l->nfragments++] =
			arg[0] == '/' ? bk_xstrdup(arg) : bk_xasprintf("%s/%s", dirname(dup), arg);
		free(dup);
	} else if (!strcmp(s, "budget")) {
		/* budget [flash|download] SIZE: what it limits, the unpacked
		 * binary when it names nothing */
		long long *to = &l->budget;
		char **at = &l->budget_where;
		const char *kind = "";
		size_t w = strcspn(arg, " \t");
		if (arg[w] && ((w == 5 && !strncmp(arg, "flash", 5)) ||
			       (w == 8 && !strncmp(arg, "download", 8)))) {
			int flash = w == 5;
			to = flash ? &l->budget_flash : &l->budget_download;
			at = flash ? &l->budget_flash_where : &l->budget_download_where;
			kind = flash ? "flash " : "download ";
			arg = trim(arg + w);
		}
		if (parse_size(arg, to)) {
			char *t = short_text(arg);
			bk_problem(ps->e,
				   "%sbudget %s%s: not a size; write e.g. 'budget 400k', 'budget "
				   "flash 1m' or 'budget download 300000' (bytes, or k/m)",
				   where, kind, t);
			free(t);
		} else {
			free(*at);
			*at = bk_xasprintf("%s:%d", file, lineno);
		}
	} else
		bk_problem(ps->e,
			   "%s%s %s: unknown directive '%s'; a line holds one applet name, "
			   "one symbol, 'include FILE', 'fragment FILE' or 'budget SIZE'",
			   where, s, arg, s);
}

/* "NAME=VALUE": the value into ent, *s cut to the name. 0, or -1 reported. */
static int parse_value(struct parser *ps, struct list_entry *ent, char **s, const char *where)
{
	char *eq = strchr(*s, '='), *v;
	if (!eq) {
		if (!strchr(*s, '"'))
			return 0;
		bk_problem(ps->e, "%s%s: a string value needs NAME=\"text\"", where, ent->text);
		return -1;
	}
	v = trim(eq + 1);
	*eq = 0;
	*s = trim(*s);
	if (ent->negate) {
		bk_problem(ps->e, "%s%s: '!' and a value do not mix; write !%s or %s=VALUE", where,
			   ent->text, *s, *s);
		return -1;
	}
	if (v[0] == '"') {
		ent->value = unquote(v);
		ent->quoted = 1;
		if (ent->value)
			return 0;
		bk_problem(ps->e,
			   "%s%s: malformed string; write %s=\"text\" (escape \" and \\ "
			   "with \\)",
			   where, ent->text, *s);
		return -1;
	}
	if (!*v) {
		bk_problem(ps->e, "%s%s: empty value; write %s=y, %s=n, a number or \"text\"", where,
			   ent->text, *s, *s);
		return -1;
	}
	ent->value = bk_xstrdup(v);
	return 0;
}

/* The name: a config symbol (CONFIG_ optional) or an applet. 0, or -1. */
static int parse_name(struct parser *ps, struct list_entry *ent, const char *s, const char *where)
{
	if (!strncmp(s, "CONFIG_", 7) && is_symbol(s + 7))
		s += 7;
	if (is_symbol(s)) {
		ent->name = bk_xstrdup(s);
		return 0;
	}
	if (!is_applet(s)) {
		bk_problem(ps->e,
			   "%s%s: neither an applet name (lower case, as busybox names it) nor a "
			   "config symbol (upper case)",
			   where, ent->text);
		return -1;
	}
	if (ent->value) {
		bk_problem(ps->e,
			   "%s%s: applet names take no value; write the applet, or a config "
			   "symbol (upper case) with a value",
			   where, ent->text);
		return -1;
	}
	ent->applet = 1;
	ent->name = bk_xstrdup(s);
	return 0;
}

/* One line: kconfig's "# CONFIG_X is not set", a directive, or an entry. */
static void parse_line(struct parser *ps, const char *file, int lineno, char *raw)
{
	struct list_entry ent;
	char *s, *sp;
	char where[PATH_MAX + 32];
	const char *off;
	size_t offlen;
	snprintf(where, sizeof where, "%s:%d: ", file, lineno);
	memset(&ent, 0, sizeof ent);
	if ((off = kconfig_off(raw, &offlen))) { /* as !X, named as written */
		ent.file = bk_xstrdup(file);
		ent.line = lineno;
		ent.text = short_text(trim(raw));
		ent.negate = 1;
		ent.name = strndup(off, offlen);
		if (!ent.name)
			abort();
		add_entry(ps->l, &ent);
		return;
	}
	if (!strip_comment(raw)) {
		char *t = short_text(trim(raw));
		bk_problem(ps->e, "%s%s: unterminated \"; close the string value", where, t);
		free(t);
		return;
	}
	s = trim(raw);
	if (!*s)
		return;
	sp = s + strcspn(s, " \t");
	if (*sp && !strchr(s, '"')) {
		char *arg = trim(sp);
		*sp = 0;
		if (strcmp(s, "include") && strcmp(s, "fragment") && strcmp(s, "budget") &&
		    strlen(s) + strlen(arg) > QUOTE_MAX) {
			char *t = short_text(s), *a = short_text(arg);
			parse_directive(ps, file, lineno, where, t, a);
			free(t);
			free(a);
		} else
			parse_directive(ps, file, lineno, where, s, arg);
		return;
	}
	if (!strcmp(s, "include") || !strcmp(s, "fragment") || !strcmp(s, "budget")) {
		bk_problem(ps->e, "%s%s: needs an argument", where, s);
		return;
	}
	ent.file = bk_xstrdup(file);
	ent.line = lineno;
	ent.text = short_text(s);
	if (*s == '!') {
		ent.negate = 1;
		s = trim(s + 1);
	}
	if (parse_value(ps, &ent, &s, where) || parse_name(ps, &ent, s, where)) {
		free(ent.file);
		free(ent.text);
		free(ent.value);
		return;
	}
	add_entry(ps->l, &ent);
}

/* Whether one line has the shape of a list or .config line: blank, a
 * comment, a directive word and one argument, or [!]NAME[=VALUE] with NAME
 * of the characters names have. Loose on purpose: a typo is still a list
 * line, reported with its own reason; a password file's line is not. */
static int list_shaped(const char *s, size_t n)
{
	static const char name_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789_.+-[]";
	size_t i = 0, k;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i == n || s[i] == '#')
		return 1;
	if (s[i] == '!')
		i++;
	for (k = i; k < n && strchr(name_chars, s[k]) && s[k]; k++)
		;
	if (k == i)
		return 0;
	if (k == n || s[k] == '=' || s[k] == '\r')
		return 1;
	if (s[k] != ' ' && s[k] != '\t')
		return 0;
	/* "include FILE": a file may have any name */
	if ((k - i == 7 && !memcmp(s + i, "include", 7)) || (k - i == 8 && !memcmp(s + i, "fragment", 8)))
		return 1;
	/* "word argument": a directive and one path or size */
	{
		int budget = k - i == 6 && !memcmp(s + i, "budget", 6);
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		/* "budget flash|download SIZE": what it limits, then the size */
		if (budget && ((n - k > 6 && !memcmp(s + k, "flash", 5) && (s[k + 5] == ' ' || s[k + 5] == '\t')) ||
			       (n - k > 9 && !memcmp(s + k, "download", 8) &&
				(s[k + 8] == ' ' || s[k + 8] == '\t')))) {
			k += s[k] == 'f' ? 5 : 8;
			while (k < n && (s[k] == ' ' || s[k] == '\t'))
				k++;
		}
	}
	if (k == n || s[k] == '#' || s[k] == '=' || s[k] == '\r')
		return 1; /* NAME # comment, NAME = VALUE */
	for (i = k; k < n && (strchr(name_chars, s[k]) || s[k] == '/') && s[k]; k++)
		;
	while (k < n && isspace((unsigned char)s[k]))
		k++;
	return k > i && (k == n || s[k] == '#');
}

#define SHAPE_LINES 5

/* A file whose first SHAPE_LINES lines that say something all have neither
 * shape is not a list at all (a password file, a binary): refused whole,
 * without quoting any of it. */
static int looks_like_list(const char *buf, size_t len)
{
	size_t i = 0;
	int seen = 0;
	while (i < len && seen < SHAPE_LINES) {
		size_t end = i;
		while (end < len && buf[end] != '\n')
			end++;
		if (end - i <= MAX_LINE && !memchr(buf + i, '\r', end - i) &&
		    (!utf8_ok((const unsigned char *)buf + i, end - i) ||
		     memchr(buf + i, 0, end - i) || !list_shaped(buf + i, end - i)))
			seen++;
		else if (end - i <= MAX_LINE && !memchr(buf + i, '\r', end - i)) {
			size_t k = i;
			while (k < end && isspace((unsigned char)buf[k]))
				k++;
			if (k < end && buf[k] != '#')
				return 1;
		}
		i = end + 1;
	}
	return !seen;
}

static int parse_buf(struct parser *ps, const char *name, const char *buf, size_t len)
{
	size_t before = bk_nproblems(ps->e);
	int lineno = 0;
	size_t i = 0;
	/* a UTF-8 byte order mark (Windows editors) is not part of the first line */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	if (!looks_like_list(buf + i, len - i)) {
		bk_problem(ps->e,
			   "%s%s: not an applet list or a busybox .config: none of its first lines is "
			   "an applet name, a symbol, NAME=VALUE, a directive or a comment (its "
			   "content is not shown); give a list or a .config",
			   ps->where ? ps->where : "", name);
		ps->not_a_list++;
		return BK_REQUEST;
	}
	while (i < len) {
		size_t end = i;
		char *line;
		lineno++;
		while (end < len && buf[end] != '\n')
			end++;
		if (memchr(buf + i, 0, end - i)) {
			bk_problem(ps->e, "%s:%d: NUL byte in list; lists are plain text", name, lineno);
		} else if (end - i > MAX_LINE) {
			bk_problem(ps->e, "%s:%d: line is %zu bytes long (limit %d); one entry per line",
				   name, lineno, end - i, MAX_LINE);
		} else if (!utf8_ok((const unsigned char *)buf + i, end - i)) {
			bk_problem(ps->e, "%s:%d: invalid UTF-8; save the list as UTF-8 text", name,
				   lineno);
		} else {
			line = strndup(buf + i, end - i);
			if (!line)
				abort();
			if (end - i && line[end - i - 1] == '\r') /* CRLF accepted */
				line[end - i - 1] = 0;
			if (strchr(line, '\r'))
				bk_problem(ps->e,
					   "%s:%d: a carriage return inside the line (CR-only line "
					   "ends?); save the list with LF or CRLF line ends",
					   name, lineno);
			else
				parse_line(ps, name, lineno, line);
			free(line);
		}
		i = end + 1;
	}
	return bk_nproblems(ps->e) > before ? BK_REQUEST : 0;
}

static int finish(struct parser *ps, const char *name)
{
	size_t n = bk_nproblems(ps->e);
	if (n == 1 && ps->not_a_list && ps->e->more) {
		/* said in its one line, without a count of one */
		ps->e->more[strcspn(ps->e->more, "\n")] = 0;
		bk_fail(ps->e, BK_REQUEST, "%s", ps->e->more);
		free(ps->e->more);
		ps->e->more = NULL;
		return BK_REQUEST;
	}
	if (n)
		return bk_fail(ps->e, BK_REQUEST, "%s: %zu problem%s in the list; nothing was written",
			       name, n, n == 1 ? "" : "s");
	/* each list file counts alone: an empty profile after the toolchain's
	 * list is still an empty profile */
	if (ps->l->n == ps->n0 && !ps->may_be_empty)
		return bk_fail(ps->e, BK_REQUEST,
			       "%s: the list has no entries; add applet names or symbols", name);
	return 0;
}

int bk_list_load(const char *path, struct applet_list *l, struct bkerr *e)
{
	struct parser ps = {.l = l, .e = e, .depth = 0, .n0 = l->n};
	load_file(&ps, path, "");
	return finish(&ps, path);
}

int bk_list_load_fragment(const char *path, struct applet_list *l, struct bkerr *e)
{
	struct parser ps = {.l = l, .e = e, .depth = 0, .n0 = l->n, .may_be_empty = 1};
	load_file(&ps, path, "");
	return finish(&ps, path);
}

int bk_list_parse(const char *name, const char *buf, size_t len, struct applet_list *l,
		  struct bkerr *e)
{
	struct parser ps = {.l = l, .e = e, .depth = 0, .n0 = l->n};
	add_file(l, name);
	parse_buf(&ps, name, buf, len);
	return finish(&ps, name);
}

void bk_list_free(struct applet_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].text);
		free(l->v[i].name);
		free(l->v[i].value);
	}
	for (size_t i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->files);
	for (size_t i = 0; i < l->nfragments; i++)
		free(l->fragments[i]);
	free(l->fragments);
	free(l->v);
	free(l->budget_where);
	free(l->budget_flash_where);
	free(l->budget_download_where);
	memset(l, 0, sizeof *l);
}

/* The symbol a line sets: its own, or an applet's (the applet table's
 * IF_ symbol); NULL for an applet of several (sh: ash or hush) or none. */
static const char *line_symbol(const struct applets *apps, const struct list_entry *x)
{
	const char *sym = NULL;
	if (!x->applet)
		return x->name;
	for (size_t i = 0; i < apps->n; i++) {
		const struct applet *a = &apps->v[i];
		if (strcmp(a->name, x->name) || !a->ncond || a->cond[0].neg)
			continue;
		if (sym && strcmp(sym, a->cond[0].sym))
			return NULL;
		sym = a->cond[0].sym;
	}
	return sym;
}

/* merge_config.sh: a fragment's line for a symbol replaces every earlier
 * line for it in the input (entries [start, from)), named in a note, an
 * applet's name being a line for its symbol (cat for CONFIG_CAT); the
 * toolchain lists before start are never overridden (a contradiction of
 * them stays an error). Returns how many lines it replaced. */
size_t bk_list_merge_fragment(struct applet_list *l, const struct applets *apps, size_t start,
			      size_t from, const struct bk_say *say)
{
	size_t w = start, n0 = l->n;
	for (size_t i = start; i < l->n; i++) {
		struct list_entry *old = &l->v[i];
		const struct list_entry *by = NULL;
		const char *sym = i < from ? line_symbol(apps, old) : NULL;
		for (size_t k = from; sym && k < l->n && !by; k++) {
			const char *ks = line_symbol(apps, &l->v[k]);
			if (ks && !strcmp(ks, sym))
				by = &l->v[k];
		}
		if (by) {
			bk_say(say, BK_SAY_NOTE, "%s:%d: %s replaces %s:%d: %s (a later line wins, as "
						  "merge_config.sh does)",
			       by->file, by->line, by->text, old->file, old->line, old->text);
			free(old->file);
			free(old->text);
			free(old->name);
			free(old->value);
			continue;
		}
		if (w != i)
			l->v[w] = l->v[i];
		w++;
	}
	l->n = w;
	return n0 - w;
}

/* One more fragment's start. */
static void add_from(struct bk_list_inputs *in, size_t at)
{
	in->from = bk_xrealloc(in->from, (in->nfrom + 1) * sizeof *in->from);
	in->from[in->nfrom++] = at;
}

int bk_list_load_inputs(const char *const *lists, int nlists, const char *const *fragments,
			int nfragments, struct applet_list *l, struct bk_list_inputs *in,
			struct bkerr *e)
{
	int r = 0;
	memset(in, 0, sizeof *in);
	for (int i = 0; i < nlists && !r; i++) {
		if (i == nlists - 1)
			in->input_start = l->n;
		r = bk_list_load(lists[i], l, e);
	}
	for (size_t i = 0; !r && i < l->nfragments; i++) {
		char *f = bk_xstrdup(l->fragments[i]); /* the load may move them */
		add_from(in, l->n);
		r = bk_list_load_fragment(f, l, e);
		free(f);
	}
	for (int i = 0; i < nfragments && !r; i++) {
		add_from(in, l->n);
		r = bk_list_load_fragment(fragments[i], l, e);
	}
	return r;
}

void bk_list_merge_inputs(struct applet_list *l, const struct applets *apps,
			  const struct bk_list_inputs *in, const struct bk_say *say)
{
	for (size_t i = 0, gone = 0; i < in->nfrom; i++)
		gone += bk_list_merge_fragment(l, apps, in->input_start, in->from[i] - gone, say);
}

void bk_list_inputs_free(struct bk_list_inputs *in)
{
	free(in->from);
	in->from = NULL;
	in->nfrom = 0;
}
