/* Output: .config, autoconf.h and .kconfig.d through kconfig's conf_write,
 * and make's dependency file, atomically.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "resolver_int.h"
#include "../fs.h"
#include "../kbuild.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* conf_write() does not check fclose(); kconf_io.h routes it here. */
static int kconf_write_errno;
int bbkit_kconf_fclose(FILE *f)
{
	int bad = ferror(f);
	int r = fclose(f);
	if ((bad || r) && !kconf_write_errno)
		kconf_write_errno = errno ? errno : EIO;
	return r;
}

/* ---- output ---- */

/* conf_write(NULL) run in DIR writes .config and also what busybox's own
 * "make silentoldconfig" would write next from it: include/autoconf.h and
 * .kconfig.d. Into a build dir (no --out) write_config installs those after
 * .config (autoconf.h last, so it is not older) and kbuild skips
 * silentoldconfig, which costs every build after a list change a second
 * gen_build_files, a `sleep 1` and another parse of busybox's Makefile with
 * its ~30 compiler probes. Should anything there fail, .config is newer than
 * autoconf.h and kbuild runs silentoldconfig itself, as before (the build
 * then dates autoconf.h: bk_autoconf_stamp). */
int rv_conf_write_in(const char *dir, const char *out, long long epoch, struct bkerr *e)
{
	char *inc = bk_xasprintf("%s/include", dir);
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), bad, r = 0;
	if (here < 0 || mkdir(inc, 0755) || chdir(dir)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot prepare a temporary directory", dir);
	} else {
		kconf_write_errno = 0;
		bad = conf_write(NULL);
		if (fchdir(here)) {
			r = bk_fail_errno(e, BK_ENV, "cannot return to the previous directory");
		} else if (bad || kconf_write_errno) {
			errno = kconf_write_errno ? kconf_write_errno : EIO;
			r = bk_fail_errno(e, BK_ENV,
					  "%s: cannot write the configuration (temporary in %s)", out,
					  dir);
		} else
			r = bk_autoconf_stamp(dir, epoch, NULL, e); /* lib/kbuild.c: the banner's date */
	}
	if (here >= 0)
		close(here);
	free(inc);
	return r;
}

static int write_config(struct resolver *rs, const char *out, const char *builddir,
			struct bkerr *e)
{
	char *dir = bk_xstrdup(out), *slash = strrchr(dir, '/'), *tmpl, *tmpcfg;
	int r = 0, changed = 0;
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	tmpl = bk_xasprintf("%s/.bbkit-resolve-XXXXXX", dir);
	if (!mkdtemp(tmpl)) {
		r = bk_fail_errno(e, BK_ENV, "%s: cannot create a temporary directory", dir);
		goto done;
	}
	if (!(r = rv_conf_write_in(tmpl, out, rs->epoch, e))) {
		tmpcfg = bk_xasprintf("%s/.config", tmpl);
		r = bk_copy_atomic(tmpcfg, out, 0644, 1, &changed, e);
		free(tmpcfg);
	}
	/* after a new .config both files, autoconf.h last (not older); with the
	 * same .config, autoconf.h alone when it differs (the banner's date) */
	if (!r && builddir) {
		const char *kb[] = {".kconfig.d", "include/autoconf.h"};
		for (size_t i = changed ? 0 : 1; !r && i < sizeof kb / sizeof kb[0]; i++) {
			char *from = bk_xasprintf("%s/%s", tmpl, kb[i]);
			char *to = bk_xasprintf("%s/%s", builddir, kb[i]);
			r = bk_copy_atomic(from, to, 0644, !changed, NULL, e);
			free(from);
			free(to);
		}
	}
	bk_rmtree(tmpl);
	if (!r)
		bk_say(&rs->say, BK_SAY_PROGRESS, "busybox %s: %s %s", rs->version, out,
			 changed ? "written" : "unchanged");
done:
	free(tmpl);
	free(dir);
	return r;
}

/* A file name as make reads it in a rule: space, '#' and ':' take a
 * backslash, '$' is doubled, '=' (which no backslash hides) comes from a
 * variable the depfile defines. '%' cannot be written at all: the empty
 * rule that keeps a deleted list from stopping make would be a pattern. */
static void add_make_name(struct sbuf *b, const char *name)
{
	for (const char *p = name; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == ':' || *p == '\\')
			sb_addf(b, "\\%c", *p);
		else if (*p == '$')
			sb_add(b, "$$");
		else if (*p == '=')
			sb_add(b, "$(bbkit_eq)");
		else if (*p == '\t')
			sb_add(b, "$(bbkit_tab)");
		else
			sb_addf(b, "%c", *p);
	}
}

static int write_depfile(struct resolver *rs, const char *depfile, const char *const *extra,
			 int nextra, struct bkerr *e)
{
	struct sbuf b;
	size_t n = strlen(depfile);
	char *target = bk_xstrdup(depfile);
	int r;
	for (size_t i = 0; i < rs->list.nfiles; i++)
		if (strchr(rs->list.files[i], '%')) {
			free(target);
			return bk_fail(e, BK_REQUEST,
				       "%s: a list file whose name holds '%%' cannot be one of make's "
				       "dependencies (--depfile); rename it",
				       rs->list.files[i]);
		}
	if (n > 2 && !strcmp(target + n - 2, ".d"))
		target[n - 2] = 0;
	sb_init(&b);
	sb_add(&b, "bbkit_eq := =\nbbkit_tab := $(subst ,,\t)\n");
	add_make_name(&b, target);
	for (int i = 0; i < nextra; i++) {
		sb_add(&b, " ");
		add_make_name(&b, extra[i]);
	}
	sb_add(&b, ":");
	for (size_t i = 0; i < rs->list.nfiles; i++) {
		sb_add(&b, " ");
		add_make_name(&b, rs->list.files[i]);
	}
	sb_add(&b, "\n");
	for (size_t i = 0; i < rs->list.nfiles; i++) {
		add_make_name(&b, rs->list.files[i]);
		sb_add(&b, ":\n");
	}
	r = bk_write_atomic(depfile, b.s, b.len, 0644, 1, NULL, e);
	sb_free(&b);
	free(target);
	return r;
}

int resolver_write(struct resolver *rs, const char *out, const char *depfile,
		   const char *const *dep_targets, int ndep_targets, struct bkerr *e)
{
	char *outfile = out ? bk_xstrdup(out) : bk_xasprintf("%s/.config", rs->builddir);
	/* the depfile first: one that cannot be written leaves no new config
	 * behind for make to take as done */
	int r = depfile ? write_depfile(rs, depfile, dep_targets, ndep_targets, e) : 0;
	if (!r)
		r = write_config(rs, outfile, out ? NULL : rs->builddir, e);
	free(outfile);
	return r;
}
