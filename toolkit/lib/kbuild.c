/* Running busybox's kbuild in an O= build dir without its fixed costs that
 * produce nothing new.
 *
 * `make -C SRC O=OBJ goal` only starts a second make in OBJ; that make runs
 * the phony gen_build_files target every time: scripts/gen_build_files.sh
 * seds every source file to regenerate include/applets.h, include/usage.h
 * and every directory's Kbuild and Config.in (~1.8 s, on the critical path, per
 * build dir and per make). Its outputs depend only on the source tree, so
 * bbkit runs the script itself when the source tree or those outputs changed
 * since its last run, and starts the make in OBJ directly with
 * `-o gen_build_files` (make's own "treat as up to date"; it is not passed
 * to sub-makes, which is why the outer make is skipped). It also puts an
 * empty top-level Kbuild in OBJ (see root_kbuild below).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bb.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAMP ".bbkit-gen_build_files"

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_add(struct lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = bb_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

static void add_stat(struct lines *l, char kind, const char *rel, const struct stat *st)
{
	if (st)
		lines_add(l, bb_xasprintf("%c %s %lld %lld.%09ld", kind, rel, (long long)st->st_size,
					  (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec));
	else
		lines_add(l, bb_xasprintf("%c %s missing", kind, rel));
}

/* An output of gen_build_files.sh in OBJ, stat'ed. */
static void add_output(struct lines *l, const char *obj, const char *rel)
{
	char *p = bb_xasprintf("%s/%s", obj, rel);
	struct stat st;
	add_stat(l, 'o', rel, lstat(p, &st) ? NULL : &st);
	free(p);
}

/* Every file under SRC/rel, and for each Kbuild.src / Config.src the
 * Kbuild / Config.in the script makes from it in OBJ. */
static int walk(const char *src, const char *obj, const char *rel, struct lines *l,
		struct bberr *e)
{
	char *dir = *rel ? bb_xasprintf("%s/%s", src, rel) : bb_xstrdup(src);
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;
	if (!d) {
		r = bb_fail_errno(e, BB_ENV, "%s: cannot read the busybox source tree", dir);
		free(dir);
		return r;
	}
	while (!r && (de = readdir(d))) {
		struct stat st;
		char *path, *sub;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = bb_xasprintf("%s/%s", dir, de->d_name);
		sub = *rel ? bb_xasprintf("%s/%s", rel, de->d_name) : bb_xstrdup(de->d_name);
		if (lstat(path, &st))
			r = bb_fail_errno(e, BB_ENV, "%s: cannot stat", path);
		else if (S_ISDIR(st.st_mode))
			r = walk(src, obj, sub, l, e);
		else {
			const char *out = !strcmp(de->d_name, "Kbuild.src")   ? "Kbuild"
					  : !strcmp(de->d_name, "Config.src") ? "Config.in"
									      : NULL;
			add_stat(l, 's', sub, &st);
			if (out) {
				char *o = *rel ? bb_xasprintf("%s/%s", rel, out) : bb_xstrdup(out);
				add_output(l, obj, o);
				free(o);
			}
		}
		free(path);
		free(sub);
	}
	closedir(d);
	free(dir);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "SRC\n<sha256 of the sorted stat lines>\n" */
static int fingerprint(const char *src, const char *obj, char **out, struct bberr *e)
{
	struct lines l = {0};
	struct sbuf b;
	char hex[65];
	int r = walk(src, obj, "", &l, e);
	if (!r) {
		add_output(&l, obj, "include/applets.h");
		add_output(&l, obj, "include/usage.h");
		qsort(l.v, l.n, sizeof *l.v, cmp_str);
		sb_init(&b);
		for (size_t i = 0; i < l.n; i++) {
			sb_add(&b, l.v[i]);
			sb_add(&b, "\n");
		}
		r = bb_sha256_buf(b.s ? b.s : "", b.len, hex, e);
		sb_free(&b);
		if (!r)
			*out = bb_xasprintf("%s\n%s\n", src, hex);
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	return r;
}

/* busybox's prepare0 step runs `make -f scripts/Makefile.build obj=.`, which
 * includes a Kbuild file from the build dir if there is one and otherwise
 * busybox's whole top-level Makefile: a second full parse, with its ~30
 * compiler probes, to build nothing (the top level sets no obj-y, lib-y,
 * extra-y or always). The same nothing, without the parse: */
static const char root_kbuild[] =
	"# Written by bbkit: nothing to build at the top level. Without this file\n"
	"# busybox's prepare0 step would parse the whole top-level Makefile again\n"
	"# (scripts/Makefile.build obj=.) to find that out.\n";

int bb_kbuild_setup(const char *src, const char *obj, const char *log, int *ran,
		    struct bberr *e)
{
	char *stamp = bb_xasprintf("%s/" STAMP, obj), *now = NULL, *old = NULL;
	char *kb = bb_xasprintf("%s/Kbuild", obj);
	struct bberr ignored = {0};
	int r;
	*ran = 0;
	if ((r = bb_write_atomic(kb, root_kbuild, sizeof root_kbuild - 1, 0644, 1, NULL, e)))
		goto out;
	if ((r = fingerprint(src, obj, &now, e)))
		goto out;
	if (!bb_read_file(stamp, &old, NULL, &ignored) && !strcmp(old, now)) {
		FILE *f = log ? fopen(log, "a") : NULL;
		if (f) {
			fprintf(f, "bbkit: scripts/gen_build_files.sh not run: the source tree and "
				   "its outputs are as its last run left them (%s)\n",
				stamp);
			fclose(f);
		}
		goto out;
	}
	/* a run that fails half-way must not look current next time */
	if (unlink(stamp) && errno != ENOENT) {
		r = bb_fail_errno(e, BB_ENV, "%s: cannot remove", stamp);
		goto out;
	}
	{
		char *script = bb_xasprintf("%s/scripts/gen_build_files.sh", src);
		char *argv[] = {script, (char *)src, (char *)obj, NULL};
		r = bb_run(argv, NULL, log, NULL, e);
		if (r)
			bb_fail_tail(e, log, 20, "busybox's scripts/gen_build_files.sh");
		free(script);
	}
	*ran = 1;
	free(now);
	now = NULL;
	if (!r)
		r = fingerprint(src, obj, &now, e);
	if (!r)
		r = bb_write_atomic(stamp, now, strlen(now), 0644, 0, NULL, e);
out:
	free(stamp);
	free(kb);
	free(ignored.more);
	free(now);
	free(old);
	return r;
}

char **bb_kbuild_argv(const char *src, const char *obj, const char *const *vars,
		      const char *goal, const char *jobs)
{
	size_t n = 0, i = 0;
	char **argv;
	while (vars && vars[n])
		n++;
	argv = bb_xmalloc((n + 13) * sizeof *argv);
	argv[i++] = bb_xstrdup("make");
	argv[i++] = bb_xstrdup("-C");
	argv[i++] = bb_xstrdup(obj);
	argv[i++] = bb_xstrdup("-f");
	argv[i++] = bb_xasprintf("%s/Makefile", src);
	/* what busybox's Makefile passes when it starts this make itself */
	argv[i++] = bb_xasprintf("KBUILD_SRC=%s", src);
	argv[i++] = bb_xstrdup("KBUILD_EXTMOD=");
	argv[i++] = bb_xasprintf("O=%s", obj);
	for (size_t k = 0; k < n; k++)
		argv[i++] = bb_xstrdup(vars[k]);
	argv[i++] = bb_xstrdup("-ogen_build_files");
	argv[i++] = bb_xstrdup(goal);
	if (jobs)
		argv[i++] = bb_xstrdup(jobs);
	argv[i] = NULL;
	return argv;
}
