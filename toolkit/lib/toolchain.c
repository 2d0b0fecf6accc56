/* The cross toolchain of a build dir and the build through it: the clang
 * wrapper (toolkit/clang-wrapper.sh with the platform's flags), the
 * <triple>-{ar,nm,...} links to llvm's tools, busybox's make, llvm-strip
 * and the ELF checks (the engine of bbkit build).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "toolchain.h"
#include "cache.h"
#include "elf.h"
#include "fs.h"
#include "kbuild.h"
#include "patches.h"
#include "run.h"
#include "tables.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

char **bk_ccache_env(const struct bk_ccache *cc, const char *basedir, const char *compiler,
		     const char *what, const char *statslog)
{
	extern char **environ;
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char *cc_id = tool_identity(compiler), **env;
	size_t n = 0, i = 0;
	for (char **v = environ; *v; v++)
		n++;
	env = bk_xmalloc((n + 8) * sizeof *env);
	for (char **v = environ; *v; v++)
		if (strncmp(*v, "CCACHE_", 7))
			env[i++] = bk_xstrdup(*v);
	env[i++] = bk_xasprintf("CCACHE_DIR=%s", cc->dir);
	env[i++] = bk_xstrdup("CCACHE_CONFIGPATH=/dev/null");
	env[i++] = bk_xasprintf("CCACHE_NAMESPACE=%s %s epoch=%s", cc_id, what, epoch ? epoch : "");
	env[i++] = bk_xstrdup("CCACHE_NOHASHDIR=1");
	env[i++] = bk_xasprintf("CCACHE_BASEDIR=%s", basedir);
	env[i++] = bk_xasprintf("CCACHE_STATSLOG=%s", statslog);
	if (cc->remote)
		env[i++] = bk_xasprintf("CCACHE_REMOTE_STORAGE=%s", cc->remote);
	env[i] = NULL;
	free(cc_id);
	return env;
}

/* The installed wrapper: its parameters, then the body. */
/* One more "name=value" line of the wrapper's parameters. */
static void add_param(struct sbuf *b, const char *name, const char *value)
{
	sb_addf(b, "\n%s=", name);
	sb_add_shell_word(b, value ? value : "");
}

static char *wrapper_text(const struct platform *p, const char *sysroot, const char *ldpath,
			  const char *bdir, const char *cache,
			  const struct bk_ccache *cc)
{
	struct sbuf b = {0};
	char *w[40], *cflags = bk_xstrdup(p->cflags), *save = NULL;
	char *cc_id = tool_identity("clang"), *ld_id = tool_identity(p->ld);
	/* the sysroot by its link in the build dir: what the compiler cache
	 * hashes is then the same for every build dir and CACHE (the wrapper
	 * sets CCACHE_BASEDIR to the build dir) */
	char *sr = bk_xasprintf("%s/" BK_SYSROOT_LINK, bdir);
	int n = 0;
	w[n++] = bk_xasprintf("--target=%s", p->triple);
	w[n++] = bk_xasprintf("--sysroot=%s", sr);
	w[n++] = bk_xstrdup("-fuse-ld=lld");
	if (ldpath) /* a row's own lld (s390x: lld-19) replaces clang's ld.lld */
		w[n++] = bk_xasprintf("--ld-path=%s", ldpath);
	w[n++] = bk_xstrdup("-static");
	for (char *t = strtok_r(cflags, " ", &save); t && n < 24; t = strtok_r(NULL, " ", &save))
		w[n++] = bk_xstrdup(t);
	w[n++] = bk_xstrdup("-isystem");
	w[n++] = bk_xasprintf("%s/usr/include/%s", sr, p->musl_triple);
	w[n++] = bk_xstrdup("-isystem");
	w[n++] = bk_xasprintf("%s/usr/%s/include", sr, p->gnu_triple);
	w[n++] = bk_xasprintf("-B%s/usr/lib/%s", sr, p->musl_triple);
	w[n++] = bk_xasprintf("-B%s/usr/lib/gcc-cross/%s/" BK_GCC_CROSS, sr, p->gnu_triple);
	/* kbuild names the tree .bbkit-src (relative), the build dir's own
	 * files relative or under bdir */
	w[n++] = bk_xstrdup("-ffile-prefix-map=" BK_KBUILD_SRC "=/busybox");
	w[n++] = bk_xasprintf("-ffile-prefix-map=%s=/build", bdir);
	w[n++] = bk_xstrdup("-Wno-unused-command-line-argument");
	sb_addf(&b, "#!/bin/sh\n# made by bbkit build for %s\nset --", p->name);
	for (int i = 0; i < n; i++) {
		sb_add(&b, " ");
		sb_add_shell_word(&b, w[i]);
		free(w[i]);
	}
	sb_add(&b, " \"$@\"\nid=");
	{
		char *id = bk_xasprintf("%s %s", cc_id, ld_id);
		sb_add_shell_word(&b, id);
		free(id);
	}
	sb_add(&b, "\np=");
	{
		char *probes = bk_cache_probes(cache);
		sb_add_shell_word(&b, probes);
		free(probes);
	}
	/* -L only where something is linked: ccache hashes -L as written
	 * (it makes -I, -isystem, -B and --sysroot relative, not -L) */
	{
		char *l1 = bk_xasprintf("%s/usr/lib/%s", sr, p->musl_triple);
		char *l2 = bk_xasprintf("%s/usr/lib/gcc-cross/%s/" BK_GCC_CROSS, sr, p->gnu_triple);
		add_param(&b, "l1", l1);
		add_param(&b, "l2", l2);
		free(l1);
		free(l2);
	}
	add_param(&b, "b", bdir);
	add_param(&b, "sr", sysroot);
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
	free(sr);
	return b.s;
}

/* <triple>-ar: llvm-ar, except for an archive of nothing that does not
 * exist yet. kbuild makes one for every directory with nothing to link
 * (`rm -f X; ar rcs X`: 48 of a smoke build's 59 ar runs, for built-in.o
 * and lib.a), and llvm-ar's ~25 ms are all libLLVM's loading: a build of
 * one platform spent ~1.2 CPU s there. That archive is the 8 bytes
 * "!<arch>\n", llvm-ar's own output (a test compares the two). */
static char *ar_text(const char *llvm_ar)
{
	struct sbuf b = {0};
	sb_add(&b, "#!/bin/sh\n# made by bbkit build: llvm-ar, an empty new archive written here (see "
		   "toolkit/lib/toolchain.c)\n"
		   "if [ $# -eq 2 ] && [ \"$1\" = rcs ] && [ ! -e \"$2\" ] && [ ! -L \"$2\" ]; then\n"
		   "\tprintf '!<arch>\\n' >\"$2\" && exit 0\n"
		   "fi\nexec ");
	sb_add_shell_word(&b, llvm_ar);
	sb_add(&b, " \"$@\"\n");
	return b.s;
}

/* toolchain dir: <triple>-clang wrapper, <triple>-ar and <triple>-{nm,...}
 * links */
int bk_toolchain_install(const struct platform *p, const char *sysroot, const char *bdir,
			 const char *cache, const struct bk_ccache *cc, char **bindir,
			 struct bkerr *e)
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
	if (!r) /* another sysroot: all compiled and linked again */
		r = bk_kbuild_link(bdir, BK_SYSROOT_LINK, sysroot, e);
	if (!r && own_ld && !ldpath)
		r = bk_fail(e, BK_ENV, "%s: not found in PATH; install %s (make does, as root)",
			    p->ld, p->ld_package);
	if (r) {
		free(dir);
		free(ldpath);
		return r;
	}
	text = wrapper_text(p, sysroot, ldpath, bdir, cache, cc);
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
			else if (!strcmp(tools[i][0], "ar")) {
				char *ar = ar_text(abs);
				r = bk_write_atomic(link, ar, strlen(ar), 0755, 1, NULL, e);
				free(ar);
			} else if (symlink(abs, tmp) || rename(tmp, link))
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

int bk_toolchain_check(const struct platform *p, struct bkerr *e)
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

void bk_ccache_counts(const char *statslog, struct bk_cc_counts *n)
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
	const struct bk_say *say;
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
		bk_say(cp->say, BK_SAY_PROGRESS, "%s: compiling: %ld/%ld objects", cp->platform,
			 done < cp->total ? done : cp->total, cp->total);
	else
		bk_say(cp->say, BK_SAY_PROGRESS, "%s: compiling: %ld objects", cp->platform, done);
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

void bk_ccache_report(const struct bk_say *say, const struct bk_ccache *cc, const char *who,
		      const char *log, const char *statslog)
{
	struct bk_cc_counts n;
	FILE *f = fopen(log, "a");
	bk_ccache_counts(statslog, &n);
	if (f) {
		fprintf(f, "bbkit: compiler cache %s: %ld hits, %ld misses, %ld not cacheable\n",
			cc->dir, n.hit, n.miss, n.other);
		fclose(f);
	}
	bk_say(say, BK_SAY_PROGRESS, "%s: compiler cache: %ld of %ld compiles hit", who, n.hit,
	       n.hit + n.miss);
}

/* busybox's make in the build dir with the toolchain in bindir (its output
 * in log). */
static int run_make(const struct bk_say *say, const struct bk_build *b, const char *log,
		    struct bkerr *e)
{
	const struct platform *p = b->p;
	char *arch = bk_xasprintf("ARCH=%s", p->busybox_arch);
	char *cross = bk_xasprintf("CROSS_COMPILE=%s/%s-", b->bindir, p->triple);
	char *cc = bk_xasprintf("CC=%s/%s-clang", b->bindir, p->triple);
	/* LDLIBS=: musl's libc.a holds libm, librt and libresolv, so trylink's
	 * one-relink-per-library search finds nothing to drop; skip it */
	const char *vars[] = {arch, cross, cc, "HOSTCC=gcc", "SKIP_STRIP=y", "KCONFIG_NOTIMESTAMP=1",
			      "LDLIBS=", NULL};
	char **mk = bk_kbuild_argv(b->bdir, vars, "busybox", b->jobs);
	int ran, r;
	if ((r = bk_kbuild_setup(b->src, b->bdir, log, &ran, e)))
		bk_fail(e, r, "%s: %s", p->name, e->msg);
	else {
		struct compile_progress cp = {say, p->name, log, -1};
		if (b->show)
			cp.total = compiles_to_do(mk, log);
		if ((r = bk_run_watch(mk, NULL, log, 3.0, b->show ? compile_tick : NULL, &cp, e)))
			bk_fail_tail(e, log, 40, "%s: busybox build", p->name);
	}
	/* kbuild ran busybox's silentoldconfig itself (a .config newer than
	 * autoconf.h: saved again, a source tree extracted again) and wrote
	 * autoconf.h without the date: date it, and compile its one user and
	 * link again, so the banner never depends on file times */
	if (!r && !(r = bk_autoconf_stamp(b->bdir, b->epoch, &ran, e)) && ran) {
		char *msg = bk_xasprintf("%s/libbb/messages.o", b->bdir);
		unlink(msg);
		free(msg);
		if ((r = bk_run(mk, NULL, log, NULL, e)))
			bk_fail_tail(e, log, 40, "%s: busybox build", p->name);
	}
	bk_argv_free(mk);
	free(arch);
	free(cross);
	free(cc);
	return r;
}

/* llvm-strip of BDIR/busybox into out: a temp name, 0755, the ELF checked,
 * the build dir's record of its source written, then renamed. */
static int strip_checked(const struct bk_build *b, const char *log, struct bkerr *e)
{
	char *unstripped = bk_xasprintf("%s/busybox", b->bdir);
	char *tmp = bk_tmp_name(b->out);
	char *strip[] = {"llvm-strip", "--strip-all", "-o", tmp, unstripped, NULL};
	int r = bk_run(strip, NULL, log, NULL, e);
	/* 0755 whatever the umask: outputs have fixed modes */
	if (!r && chmod(tmp, 0755))
		r = bk_fail_errno(e, BK_ENV, "%s: chmod", tmp);
	if (!r)
		r = bk_elf_check(tmp, b->p, 0, e);
	if (!r)
		r = bk_built_from_write(b->bdir, b->src, e);
	if (!r && rename(tmp, b->out))
		r = bk_fail_errno(e, BK_ENV, "%s: cannot write", b->out);
	if (r)
		unlink(tmp);
	bk_tmp_untrack(tmp);
	free(tmp);
	free(unstripped);
	return r;
}

int bk_toolchain_build(const struct bk_say *say, const struct bk_build *b, struct bkerr *e)
{
	char *log = bk_xasprintf("%s/build.log", b->bdir);
	char *stats = bk_xasprintf("%s/ccache.stats", b->bdir);
	int r;
	unlink(log);
	unlink(stats);
	bk_say(say, BK_SAY_PROGRESS, "%s: building busybox (log: %s)", b->p->name, log);
	r = run_make(say, b, log, e);
	if (!r && b->cc->program)
		bk_ccache_report(say, b->cc, b->p->name, log, stats);
	if (!r && !(r = strip_checked(b, log, e)))
		bk_say(say, BK_SAY_PROGRESS, "%s: %s ready", b->p->name, b->out);
	free(log);
	free(stats);
	return r;
}
