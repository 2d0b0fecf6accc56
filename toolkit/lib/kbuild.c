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
#include "kbuild.h"
#include "archive.h"
#include "fs.h"
#include "run.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STAMP ".bbkit-gen_build_files"


static void add_stat(struct bk_vec *l, char kind, const char *rel, const struct stat *st)
{
	if (st)
		bk_vec_push(l, bk_xasprintf("%c %s %lld %lld.%09ld", kind, rel, (long long)st->st_size,
					  (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec));
	else
		bk_vec_push(l, bk_xasprintf("%c %s missing", kind, rel));
}

/* An output of gen_build_files.sh in OBJ, stat'ed. */
static void add_output(struct bk_vec *l, const char *obj, const char *rel)
{
	char *p = bk_xasprintf("%s/%s", obj, rel);
	struct stat st;
	add_stat(l, 'o', rel, lstat(p, &st) ? NULL : &st);
	free(p);
}

/* Every file of the source tree, and for each Kbuild.src / Config.src the
 * Kbuild / Config.in the script makes from it in the build dir. */
struct fp_walk {
	const char *obj;
	struct bk_vec *l;
};

static int fp_visit(const char *path, const char *rel, const struct stat *st, const char *name,
		    void *arg, struct bkerr *e)
{
	struct fp_walk *w = arg;
	const char *out = !strcmp(name, "Kbuild.src")   ? "Kbuild"
			  : !strcmp(name, "Config.src") ? "Config.in"
							: NULL;
	(void)path;
	(void)e;
	if (S_ISDIR(st->st_mode))
		return 0;
	add_stat(w->l, 's', rel, st);
	if (out) {
		size_t dn = strlen(rel) - strlen(name);
		char *o = bk_xasprintf("%.*s%s", (int)dn, rel, out);
		add_output(w->l, w->obj, o);
		free(o);
	}
	return 0;
}

/* "SRC\n<sha256 of the sorted stat lines>\n" */
static int fingerprint(const char *src, const char *obj, char **out, struct bkerr *e)
{
	struct bk_vec l = {0};
	struct sbuf b;
	char hex[65];
	struct fp_walk w = {obj, &l};
	int r = bk_walk(src, fp_visit, &w, e);
	if (!r) {
		add_output(&l, obj, "include/applets.h");
		add_output(&l, obj, "include/usage.h");
		qsort(l.v, l.n, sizeof *l.v, bk_cmp_str);
		sb_init(&b);
		for (size_t i = 0; i < l.n; i++) {
			sb_add(&b, l.v[i]);
			sb_add(&b, "\n");
		}
		r = bk_sha256_buf(b.s ? b.s : "", b.len, hex, e);
		sb_free(&b);
		if (!r)
			*out = bk_xasprintf("%s\n%s\n", src, hex);
	}
	bk_vec_free(&l);
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

/* kbuild's record of a command it ran: OBJ/<dir>/.<target>.cmd */
static int forget_cmd(const char *path, const char *rel, const struct stat *st, const char *name,
		      void *arg, struct bkerr *e)
{
	size_t n = strlen(name);
	(void)rel;
	(void)arg;
	if (S_ISREG(st->st_mode) && name[0] == '.' && n > 4 && !strcmp(name + n - 4, ".cmd") &&
	    unlink(path) && errno != ENOENT)
		return bk_fail_errno(e, BK_ENV, "%s: cannot remove", path);
	return 0;
}

/* kbuild rebuilds a target when a prerequisite is newer or its command line
 * changed; a link that now points at another tree or sysroot changes
 * neither (every command names the link), and a file there that differs
 * may well be older. So every record of a command goes first: all is
 * compiled and linked again (the compiler cache, keyed by content, gives
 * back whatever did not change). Forgotten before the link moves, so a
 * run stopped between the two forgets again. */
int bk_kbuild_link(const char *obj, const char *name, const char *target, struct bkerr *e)
{
	char *link = bk_xasprintf("%s/%s", obj, name), now[PATH_MAX];
	ssize_t n = readlink(link, now, sizeof now - 1);
	struct stat st;
	int r = 0;
	if (n >= 0)
		now[n] = 0;
	if (n >= 0 ? strcmp(now, target) != 0 : !lstat(link, &st))
		r = bk_walk(obj, forget_cmd, NULL, e);
	if (!r)
		r = bk_symlink_atomic(target, link, e);
	free(link);
	return r;
}

int bk_kbuild_setup(const char *src, const char *obj, const char *log, int *ran,
		    struct bkerr *e)
{
	char *stamp = bk_xasprintf("%s/" STAMP, obj), *now = NULL, *old = NULL;
	char *kb = bk_xasprintf("%s/Kbuild", obj);
	struct bkerr ignored = {0};
	int r;
	*ran = 0;
	r = bk_kbuild_link(obj, BK_KBUILD_SRC, src, e);
	if (r || (r = bk_write_atomic(kb, root_kbuild, sizeof root_kbuild - 1, 0644, 1, NULL, e)))
		goto out;
	if ((r = fingerprint(src, obj, &now, e)))
		goto out;
	if (!bk_read_file(stamp, &old, NULL, &ignored) && !strcmp(old, now)) {
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
		r = bk_fail_errno(e, BK_ENV, "%s: cannot remove", stamp);
		goto out;
	}
	{
		char *script = bk_xasprintf("%s/scripts/gen_build_files.sh", src);
		char *argv[] = {script, (char *)src, (char *)obj, NULL};
		r = bk_run(argv, NULL, log, NULL, e);
		if (r)
			bk_fail_tail(e, log, 20, "busybox's scripts/gen_build_files.sh");
		free(script);
	}
	*ran = 1;
	free(now);
	now = NULL;
	if (!r)
		r = fingerprint(src, obj, &now, e);
	if (!r)
		r = bk_write_atomic(stamp, now, strlen(now), 0644, 0, NULL, e);
out:
	free(stamp);
	free(kb);
	free(ignored.more);
	free(now);
	free(old);
	return r;
}

char **bk_kbuild_argv(const char *obj, const char *const *vars,
		      const char *goal, const char *jobs)
{
	size_t n = 0, i = 0;
	char **argv;
	while (vars && vars[n])
		n++;
	argv = bk_xmalloc((n + 13) * sizeof *argv);
	argv[i++] = bk_xstrdup("make");
	argv[i++] = bk_xstrdup("-C");
	argv[i++] = bk_xstrdup(obj);
	argv[i++] = bk_xstrdup("-f");
	argv[i++] = bk_xstrdup(BK_KBUILD_SRC "/Makefile");
	/* what busybox's Makefile passes when it starts this make itself, but
	 * the tree by its link in OBJ (bk_kbuild_setup made it) */
	argv[i++] = bk_xstrdup("KBUILD_SRC=" BK_KBUILD_SRC);
	argv[i++] = bk_xstrdup("KBUILD_EXTMOD=");
	argv[i++] = bk_xasprintf("O=%s", obj);
	for (size_t k = 0; k < n; k++)
		argv[i++] = bk_xstrdup(vars[k]);
	argv[i++] = bk_xstrdup("-ogen_build_files");
	argv[i++] = bk_xstrdup(goal);
	if (jobs)
		argv[i++] = bk_xstrdup(jobs);
	argv[i] = NULL;
	return argv;
}

/* Remove target when source is newer: what kbuild cannot see. */
static void remake_if_newer(const char *source, const char *target)
{
	struct stat a, b;
	if (!stat(source, &a) && !stat(target, &b) &&
	    (a.st_mtim.tv_sec > b.st_mtim.tv_sec ||
	     (a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec > b.st_mtim.tv_nsec)))
		unlink(target);
}

/* kbuild does not know the sysroot's libc.a and crt files: a sysroot made
 * again (damaged, repaired) after the last link must be linked again. Nor
 * does it know AUTOCONF_TIMESTAMP (no CONFIG_ symbol, so no
 * include/config/ file): libbb/messages.o, its one user, is compiled again
 * when autoconf.h is newer (the banner's date changed). */
void bk_kbuild_relink(const char *sysroot, const char *absb)
{
	char *rec = bk_xasprintf("%s/.bbkit-files", sysroot);
	char *bin = bk_xasprintf("%s/busybox_unstripped", absb);
	char *h = bk_xasprintf("%s/include/autoconf.h", absb);
	char *msg = bk_xasprintf("%s/libbb/messages.o", absb);
	remake_if_newer(rec, bin);
	remake_if_newer(h, msg);
	free(rec);
	free(bin);
	free(h);
	free(msg);
}

/* The banner's date: busybox's kconfig writes AUTOCONF_TIMESTAMP from
 * SOURCE_DATE_EPOCH (in UTC) only when it also stamps .config with the time,
 * which bbkit keeps out (KCONFIG_NOTIMESTAMP) so that a config that did not
 * change is the same file. So autoconf.h gets the date here, as busybox
 * would have written it: "BusyBox v1.38.0 (2000-01-01 00:00:00 GMT)". */
int bk_autoconf_stamp(const char *dir, long long epoch, int *stamped, struct bkerr *e)
{
	static const char empty[] = "#define AUTOCONF_TIMESTAMP \"\"\n";
	char *path = bk_xasprintf("%s/include/autoconf.h", dir), *text, *at, date[64];
	size_t len;
	int r;
	time_t t = (time_t)epoch;
	struct tm tm;
	if (stamped)
		*stamped = 0;
	/* epoch is in range (bk_epoch_parse): a year of four digits */
	if (!gmtime_r(&t, &tm) || !strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %Z", &tm)) {
		free(path);
		return bk_fail(e, BK_USAGE, "SOURCE_DATE_EPOCH=%lld: not a date", epoch);
	}
	if ((r = bk_read_file(path, &text, &len, e))) {
		free(path);
		return r;
	}
	if ((at = strstr(text, empty))) {
		struct sbuf b;
		sb_init(&b);
		sb_addn(&b, text, (size_t)(at - text));
		sb_addf(&b, "#define AUTOCONF_TIMESTAMP \"%s\"\n", date);
		sb_add(&b, at + sizeof empty - 1);
		r = bk_write_atomic(path, b.s, b.len, 0644, 0, NULL, e);
		sb_free(&b);
		if (!r && stamped)
			*stamped = 1;
	}
	free(text);
	free(path);
	return r;
}
