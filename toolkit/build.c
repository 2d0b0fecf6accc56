/* bbkit build: cross-build busybox for a platform with clang/lld, SKIP_STRIP,
 * then llvm-strip, then check the ELF with libelf.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/cache.h"
#include "lib/patches.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char build_usage[] =
	"usage: bbkit build PLATFORM --src DIR --builddir DIR --out FILE [-j N] [-q]\n"
	"                   [--ccache DIR] [--ccache-remote URL] [--no-ccache]\n\n"
	"Build busybox from BUILDDIR/.config for PLATFORM: busybox's make out of tree\n"
	"with ARCH, CROSS_COMPILE and CC=<triple>-clang (a wrapper carrying --target,\n"
	"--sysroot, -fuse-ld=lld and the platform's flags), HOSTCC=gcc, SKIP_STRIP=y;\n"
	"then llvm-strip into FILE (atomically) and check the ELF: machine, class and\n"
	"byte order of the platform, static (no PT_INTERP, no DT_NEEDED), stripped.\n"
	"The sysroot comes from 'bbkit sysroot'. The full log is BUILDDIR/build.log.\n\n"
	"Compiles go through ccache (a compiler cache, on by default, in CACHE/ccache):\n"
	"its key is every argument, every header read, clang's and the linker's\n"
	"identity and SOURCE_DATE_EPOCH, so a hit is the object a compile would give.\n\n"
	"  --check FILE          only run the ELF checks on FILE\n"
	"  --ccache DIR          the compiler cache's directory (absolute)\n"
	"  --ccache-remote URL   ccache's remote storage too (file:/shared/dir,\n"
	"                        http://host/path, redis://host): shared by machines\n"
	"  --no-ccache           compile without the cache\n" BBKIT_EXIT_CODES;

/* The compiler cache the wrapper hands compiles to: program NULL when off
 * (--no-ccache); dir its cache (default CACHE/ccache); remote ccache's
 * remote_storage (a shared store for a fleet), or NULL. */
struct bk_ccache {
	char *program;
	const char *dir, *remote;
};

/* The compiler wrapper: toolkit/clang-wrapper.sh (its comment says what
 * it does), installed with this platform's flags, tool identity and probe
 * cache dir as its first lines. */
#include "clang-wrapper.h"

/* path, size and mtime of a program in PATH: a new install is a new id */
static char *tool_identity(const char *prog)
{
	char *w = bk_which(prog), *real = w ? realpath(w, NULL) : NULL, *id;
	struct stat st;
	if (real && !stat(real, &st))
		id = bk_xasprintf("%s:%lld:%lld.%09ld", real, (long long)st.st_size,
				  (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	else
		id = bk_xasprintf("%s:unknown", prog);
	free(w);
	free(real);
	return id;
}

/* One word for the shell, in single quotes. */
static void add_word(struct sbuf *b, const char *w)
{
	sb_add(b, "'");
	for (; *w; w++)
		if (*w == '\'')
			sb_add(b, "'\\''");
		else
			sb_addn(b, w, 1);
	sb_add(b, "'");
}

/* The installed wrapper: its parameters, then the body. */
/* One more "name=value" line of the wrapper's parameters. */
static void add_param(struct sbuf *b, const char *name, const char *value)
{
	sb_addf(b, "\n%s=", name);
	add_word(b, value ? value : "");
}

static char *wrapper_text(const struct platform *p, const char *sysroot, const char *ldpath,
			  const char *src, const char *bdir, const char *cache,
			  const struct bk_ccache *cc)
{
	struct sbuf b = {0};
	char *w[40], *cflags = bk_xstrdup(p->cflags), *save = NULL;
	char *cc_id = tool_identity("clang"), *ld_id = tool_identity(p->ld);
	int n = 0;
	w[n++] = bk_xasprintf("--target=%s", p->triple);
	w[n++] = bk_xasprintf("--sysroot=%s", sysroot);
	w[n++] = bk_xstrdup("-fuse-ld=lld");
	if (ldpath) /* a row's own lld (s390x: lld-19) replaces clang's ld.lld */
		w[n++] = bk_xasprintf("--ld-path=%s", ldpath);
	w[n++] = bk_xstrdup("-static");
	for (char *t = strtok_r(cflags, " ", &save); t && n < 24; t = strtok_r(NULL, " ", &save))
		w[n++] = bk_xstrdup(t);
	w[n++] = bk_xstrdup("-isystem");
	w[n++] = bk_xasprintf("%s/usr/include/%s", sysroot, p->musl_triple);
	w[n++] = bk_xstrdup("-isystem");
	w[n++] = bk_xasprintf("%s/usr/%s/include", sysroot, p->gnu_triple);
	w[n++] = bk_xasprintf("-L%s/usr/lib/%s", sysroot, p->musl_triple);
	w[n++] = bk_xasprintf("-B%s/usr/lib/%s", sysroot, p->musl_triple);
	w[n++] = bk_xasprintf("-L%s/usr/lib/gcc-cross/%s/" BK_GCC_CROSS, sysroot, p->gnu_triple);
	w[n++] = bk_xasprintf("-B%s/usr/lib/gcc-cross/%s/" BK_GCC_CROSS, sysroot, p->gnu_triple);
	w[n++] = bk_xasprintf("-ffile-prefix-map=%s=/busybox", src);
	w[n++] = bk_xasprintf("-ffile-prefix-map=%s=/build", bdir);
	w[n++] = bk_xstrdup("-Wno-unused-command-line-argument");
	sb_addf(&b, "#!/bin/sh\n# made by bbkit build for %s\nset --", p->name);
	for (int i = 0; i < n; i++) {
		sb_add(&b, " ");
		add_word(&b, w[i]);
		free(w[i]);
	}
	sb_add(&b, " \"$@\"\nid=");
	{
		char *id = bk_xasprintf("%s %s", cc_id, ld_id);
		add_word(&b, id);
		free(id);
	}
	sb_add(&b, "\np=");
	{
		char *probes = bk_cache_probes(cache);
		add_word(&b, probes);
		free(probes);
	}
	add_param(&b, "cc", cc->program);
	add_param(&b, "ccd", cc->dir);
	add_param(&b, "ccr", cc->remote);
	{
		char *stats = bk_xasprintf("%s/ccache.stats", bdir);
		add_param(&b, "ccs", stats);
		free(stats);
	}
	sb_addf(&b, "\n%s", wrapper_body);
	free(cflags);
	free(cc_id);
	free(ld_id);
	return b.s;
}

/* toolchain dir: <triple>-clang wrapper and <triple>-{ar,nm,...} links */
static int make_toolchain(const struct platform *p, const char *sysroot, const char *src,
			  const char *bdir, const char *cache, const struct bk_ccache *cc,
			  char **bindir, struct bkerr *e)
{
	const char *tools[][2] = {{"ar", "llvm-ar"},         {"nm", "llvm-nm"},
					 {"strip", "llvm-strip"},   {"objcopy", "llvm-objcopy"},
					 {"objdump", "llvm-objdump"}, {"ranlib", "llvm-ranlib"},
					 {"readelf", "llvm-readelf"}, {"size", "llvm-size"},
					 {"ld", p->ld}};
	char *dir = bk_xasprintf("%s/toolchain", bdir), *wrapper, *text;
	/* a row's own lld (s390x: lld-19) replaces clang's default ld.lld */
	int own_ld = strcmp(p->ld, "ld.lld") != 0;
	char *ldpath = own_ld ? bk_which(p->ld) : NULL;
	int r = bk_mkdirs(dir, 0755, e);
	if (!r && own_ld && !ldpath)
		r = bk_fail(e, BK_ENV, "%s: not found in PATH; install %s (make does, as root)",
			    p->ld, p->ld_package);
	if (r) {
		free(dir);
		free(ldpath);
		return r;
	}
	text = wrapper_text(p, sysroot, ldpath, src, bdir, cache, cc);
	free(ldpath);
	wrapper = bk_xasprintf("%s/%s-clang", dir, p->triple);
	r = bk_write_atomic(wrapper, text, strlen(text), 0755, 1, NULL, e);
	free(wrapper);
	free(text);
	for (size_t i = 0; !r && i < sizeof tools / sizeof tools[0]; i++) {
		char *link = bk_xasprintf("%s/%s-%s", dir, p->triple, tools[i][0]);
		char *tmp = bk_xasprintf("%s.tmp", link);
		unlink(tmp);
		{
			char *abs = bk_which(tools[i][1]);
			if (!abs)
				r = bk_fail(e, BK_ENV, "%s: not found; install llvm and lld (make does)",
					    tools[i][1]);
			else if (symlink(abs, tmp) || rename(tmp, link))
				r = bk_fail_errno(e, BK_ENV, "%s: cannot create tool link", link);
			free(abs);
		}
		free(link);
		free(tmp);
	}
	if (r)
		free(dir);
	else
		*bindir = dir;
	return r;
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
static void relink_if_newer(const char *sysroot, const char *absb)
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

/* The build dir's lock, beside it: DIR.lock. */
static int lock_builddir(struct ctx *c, const struct platform *p, const char *dir, int *fd,
		  struct bkerr *e)
{
	struct bk_say say = ctx_say(c);
	struct bk_wait w = {&say, p->name, dir};
	char *lock = bk_xasprintf("%s.lock", dir);
	int r = bk_lock_or_wait(lock, fd, bk_say_waiting, &w, e);
	free(lock);
	return r;
}

static int have_tools(const struct platform *p, struct bkerr *e)
{
	const char *need[] = {"clang", p->ld, "llvm-strip", "llvm-ar", "make", "gcc"};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!bk_have_program(need[i]))
			return bk_fail(e, BK_ENV,
				       "%s: not found in PATH; install clang, %s, llvm, make and gcc "
				       "(make does, as root)",
				       need[i], p->ld_package);
	return 0;
}

/* The counts of this build's compiles in ccache's stats log (one counter
 * name per line, '#' lines comments): hits, misses, and what it could not
 * cache (links and probes do not go to it). */
struct cc_counts {
	long hit, miss, other;
};

static void ccache_counts(const char *statslog, struct cc_counts *n)
{
	FILE *f = fopen(statslog, "r");
	char line[256];
	long calls = 0;
	memset(n, 0, sizeof *n);
	if (!f)
		return;
	/* one "# <source>" line per invocation, then its counters */
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (*line == '#')
			calls++;
		else if (!strcmp(line, "direct_cache_hit") || !strcmp(line, "preprocessed_cache_hit"))
			n->hit++;
		else if (!strcmp(line, "cache_miss"))
			n->miss++;
	}
	fclose(f);
	n->other = calls > n->hit + n->miss ? calls - n->hit - n->miss : 0;
}

/* Progress inside the compile (a terminal only: CI logs keep their
 * per-stage lines): kbuild's "  CC" lines in the log so far, out of what
 * a dry run of the same make said it would compile. */
struct compile_progress {
	struct ctx *c;
	const char *platform, *log;
	long total;
};

static long count_compiles(const char *text, const char *mark)
{
	long n = 0;
	for (const char *t = text; t && (t = strstr(t, mark)); t += strlen(mark))
		n++;
	return n;
}

static void compile_tick(void *arg)
{
	struct compile_progress *cp = arg;
	char *text = NULL;
	size_t len;
	long done;
	if (bk_read_file(cp->log, &text, &len, NULL))
		return;
	done = (!strncmp(text, "  CC ", 5)) + count_compiles(text, "\n  CC ");
	free(text);
	if (cp->total > 0)
		progress(cp->c, "%s: compiling: %ld/%ld objects", cp->platform,
			 done < cp->total ? done : cp->total, cp->total);
	else
		progress(cp->c, "%s: compiling: %ld objects", cp->platform, done);
}

/* What the make would compile: its dry run's echoes of "  CC". */
static long compiles_to_do(char *const *mk, const char *log)
{
	char **dry;
	char *out = NULL;
	long n = -1;
	size_t k = 0;
	struct bkerr e = {0};
	while (mk[k])
		k++;
	dry = bk_xmalloc((k + 2) * sizeof *dry);
	dry[0] = mk[0];
	dry[1] = "-n";
	memcpy(dry + 2, mk + 1, k * sizeof *dry);
	if (!bk_run_capture(dry, NULL, log, &out, &e))
		n = count_compiles(out, "'  CC ");
	free(out);
	free(dry);
	return n;
}

/* busybox's make in the build dir with the toolchain in bindir, then
 * llvm-strip into out (a temp name, checked, renamed). */
static int make_busybox(struct ctx *c, const struct platform *p, const char *abss,
			const char *absb, const char *bindir, const char *j, const char *out,
			const struct bk_ccache *ccache, struct bkerr *e)
{
	char *log = bk_xasprintf("%s/build.log", absb);
	char *stats = bk_xasprintf("%s/ccache.stats", absb);
	char *arch = bk_xasprintf("ARCH=%s", p->busybox_arch);
	char *cross = bk_xasprintf("CROSS_COMPILE=%s/%s-", bindir, p->triple);
	char *cc = bk_xasprintf("CC=%s/%s-clang", bindir, p->triple);
	char *unstripped = bk_xasprintf("%s/busybox", absb);
	char *tmp = bk_tmp_name(out);
	/* LDLIBS=: musl's libc.a holds libm, librt and libresolv, so trylink's
	 * one-relink-per-library search finds nothing to drop; skip it */
	const char *vars[] = {arch, cross, cc, "HOSTCC=gcc", "SKIP_STRIP=y", "KCONFIG_NOTIMESTAMP=1",
			      "LDLIBS=", NULL};
	char **mk = bk_kbuild_argv(abss, absb, vars, "busybox", j);
	char *strip[] = {"llvm-strip", "--strip-all", "-o", tmp, unstripped, NULL};
	int ran, r;
	unlink(log);
	unlink(stats);
	progress(c, "%s: building busybox (log: %s)", p->name, log);
	if ((r = bk_kbuild_setup(abss, absb, log, &ran, e)))
		bk_fail(e, r, "%s: %s", p->name, e->msg);
	else {
		struct compile_progress cp = {c, p->name, log, -1};
		int show = !c->quiet && isatty(2);
		if (show)
			cp.total = compiles_to_do(mk, log);
		if ((r = bk_run_watch(mk, NULL, log, 3.0, show ? compile_tick : NULL, &cp, e)))
			bk_fail_tail(e, log, 40, "%s: busybox build", p->name);
	}
	if (!r && ccache->program) {
		struct cc_counts n;
		FILE *f = fopen(log, "a");
		ccache_counts(stats, &n);
		if (f) {
			fprintf(f, "bbkit: compiler cache %s: %ld hits, %ld misses, %ld not cacheable\n",
				ccache->dir, n.hit, n.miss, n.other);
			fclose(f);
		}
		progress(c, "%s: compiler cache: %ld of %ld compiles hit", p->name, n.hit,
			 n.hit + n.miss);
	}
	if (!r)
		r = bk_run(strip, NULL, log, NULL, e);
	/* 0755 whatever the umask: outputs have fixed modes */
	if (!r && chmod(tmp, 0755))
		r = bk_fail_errno(e, BK_ENV, "%s: chmod", tmp);
	if (!r)
		r = bk_elf_check(tmp, p, 0, e);
	if (!r)
		r = bk_built_from_write(absb, abss, e);
	if (!r && rename(tmp, out))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot write", out);
	if (r)
		unlink(tmp);
	else
		progress(c, "%s: %s ready", p->name, out);
	bk_argv_free(mk);
	free(log);
	free(stats);
	free(arch);
	free(cross);
	free(cc);
	free(unstripped);
	bk_tmp_untrack(tmp);
	free(tmp);
	return r;
}

int cmd_build(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *plat = NULL, *src = NULL, *bdir = NULL, *out = NULL, *check = NULL;
	const char *jobs = NULL, *ccdir = NULL, *ccremote = NULL;
	int no_ccache = 0;
	struct bk_ccache cc = {0};
	char *ccdefault = NULL;
	const struct platform *p;
	struct bk_env env;
	char *sysroot = NULL, *bindir = NULL, *absb = NULL, *abss = NULL, *j = NULL;
	int r, lockfd = -1;
	const struct opt opts[] = {{"--src", OPT_VALUE, &src, NULL, 0, "--check", 0},
				   {"--builddir", OPT_VALUE, &bdir, NULL, 0, "--check", 0},
				   {"--out", OPT_VALUE, &out, NULL, 0, "--check", 0},
				   {"--check", OPT_VALUE, &check, NULL, 0, NULL, 0},
				   OPT_V("-j", &jobs),
				   {"--ccache", OPT_VALUE, &ccdir, NULL, 0, NULL, 0},
				   {"--ccache-remote", OPT_VALUE, &ccremote, NULL, 0, NULL, 0},
				   OPT_F("--no-ccache", &no_ccache),
				   OPT_END};
	struct args pos = {&plat, 1, 1, 0, "PLATFORM (see 'bbkit platforms')"};
	if ((r = parse_args(c, argc, argv, opts, build_usage, &pos)))
		return r < 0 ? 0 : r;
	if ((r = bk_platform_get(plat, &p, e)))
		return r;
	env = ctx_env(c); /* after --cache */
	if (check)
		return bk_elf_check(check, p, 0, e);
	if ((r = have_tools(p, e)))
		return r;
	if (no_ccache && (ccdir || ccremote))
		return bk_fail(e, BK_USAGE, "--no-ccache with --ccache%s: choose one",
			       ccdir ? "" : "-remote");
	if (ccdir && *ccdir != '/')
		return bk_fail(e, BK_USAGE, "--ccache %s: give an absolute directory", ccdir);
	if (!no_ccache) {
		if (!(cc.program = bk_which("ccache")))
			return bk_fail(e, BK_ENV,
				       "ccache: not found in PATH; install ccache (make does, as root) "
				       "or build without a compiler cache (CCACHE=0, --no-ccache)");
		cc.dir = ccdir ? ccdir : (ccdefault = bk_cache_ccache(env.cache));
		cc.remote = ccremote;
	}
	absb = realpath(bdir, NULL);
	abss = realpath(src, NULL);
	if (!absb || !abss)
		r = bk_fail_errno(e, BK_ENV, "%s: no such directory", !absb ? bdir : src);
	/* one busybox make at a time in a build dir (two makes of one profile:
	 * kbuild in one dir twice breaks fixdep and the link) */
	else if (!(r = lock_builddir(c, p, absb, &lockfd, e)) &&
		 !(r = bk_sysroot_ensure(&env, p, "/etc/apt", &sysroot, e))) {
		relink_if_newer(sysroot, absb);
		j = bk_make_jobs(jobs);
		if (!(r = make_toolchain(p, sysroot, abss, absb, env.cache, &cc, &bindir, e)))
			r = make_busybox(c, p, abss, absb, bindir, j, out, &cc, e);
	}
	bk_unlock(lockfd);
	free(cc.program);
	free(ccdefault);
	free(j);
	free(sysroot);
	free(bindir);
	free(absb);
	free(abss);
	return r;
}
