/* The link map: objects, their bytes, their applets.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "linkmap.h"
#include "fs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "coreutils/lib.a(test.o)" -> "coreutils/test.o"; NULL for other inputs */
static char *object_of(const char *in)
{
	const char *a = strstr(in, "/lib.a(");
	const char *close;
	if (!a || !(close = strchr(a, ')')))
		return NULL;
	return bk_xasprintf("%.*s/%.*s", (int)(a - in), in, (int)(close - a - 7), a + 7);
}

/* KERNELSRC of the O= build dir's generated Makefile; a relative one (the
 * .bbkit-src link kbuild is given) is the tree the link in bdir points at */
char *bk_srctree_of(const char *bdir, char **as_written)
{
	char *path = bk_xasprintf("%s/Makefile", bdir), *text, *p, *named = NULL, *res = NULL;
	if (!bk_read_file(path, &text, NULL, NULL)) {
		if ((p = strstr(text, "KERNELSRC    := ")) || (p = strstr(text, "KERNELSRC := "))) {
			p = strstr(p, ":= ") + 3;
			named = strndup(p, strcspn(p, "\n"));
		}
		free(text);
	}
	free(path);
	if (named && *named && *named != '/') {
		char *link = bk_xasprintf("%s/%s", bdir, named), target[PATH_MAX];
		ssize_t n = readlink(link, target, sizeof target - 1);
		struct stat st;
		if (n > 0 && target[0] == '/')
			res = strndup(target, (size_t)n);
		else
			res = realpath(link, NULL);
		/* a link to a tree that is gone, or a file of that name: no
		 * tree, not one without files */
		if (res && (stat(res, &st) || !S_ISDIR(st.st_mode))) {
			free(res);
			res = NULL;
		}
		free(link);
	} else if (named && *named)
		res = bk_xstrdup(named);
	if (as_written)
		*as_written = named; /* also when res is NULL: named but unresolved */
	else
		free(named);
	return res;
}

/* The applet an object belongs to: the first enabled //applet: line of its
 * source file; NULL when it has none (libbb and other shared code). */
char *bk_applet_of_source(const char *src, const char *obj, const struct dotconfig *cfg)
{
	char *path = bk_xasprintf("%s/%.*s.c", src, (int)strlen(obj) - 2, obj), *text, *res = NULL;
	if (!bk_read_file(path, &text, NULL, NULL)) {
		for (char *p = text; !res && (p = strstr(p, "//applet:")); p++) {
			char *line = strndup(p + 9, strcspn(p + 9, "\n"));
			struct applet a;
			if (!bk_applet_parse_line(line + strspn(line, " \t"), &a) &&
			    bk_applet_enabled(&a, bk_config_is_on, (void *)cfg))
				res = bk_xstrdup(a.main);
			bk_applet_free(&a);
			free(line);
		}
		free(text);
	}
	free(path);
	return res;
}

long long bk_linkmap_walk(char *text, bk_section_fn visit, void *arg)
{
	int out_col = -1, in_col = -1, alloc = 0;
	long long total = 0;
	for (char *line = text, *next; line; line = next) {
		unsigned long long vma, lma, size, align;
		int off = 0;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (in_col < 0) { /* the header */
			char *o = strstr(line, " Out "), *i = strstr(line, " In ");
			if (o && i) {
				out_col = (int)(o - line) + 1;
				in_col = (int)(i - line) + 1;
			}
			continue;
		}
		if (sscanf(line, "%llx %llx %llx %llu %n", &vma, &lma, &size, &align, &off) < 4)
			continue;
		if (off == out_col) { /* an output section */
			const char *name = line + off;
			alloc = vma != 0 && strncmp(name, ".comment", 8) && strncmp(name, ".debug", 6);
			continue;
		}
		/* else a symbol inside an input section, or one without bytes */
		if (off != in_col || !alloc || !size)
			continue;
		{
			char *obj = object_of(line + in_col);
			visit(obj, size, arg);
			total += (long long)size;
			free(obj);
		}
	}
	return total;
}
