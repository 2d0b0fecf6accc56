/* Unit tests of toolkit/lib, TAP output (counted by tests/run.sh).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "lib/applets.h"
#include "lib/apt.h"
#include "lib/archive.h"
#include "lib/baseline.h"
#include "lib/builddir.h"
#include "lib/bump.h"
#include "lib/cache.h"
#include "lib/bk.h"
#include "lib/elf.h"
#include "lib/flags.h"
#include "lib/fs.h"
#include "lib/kbuild.h"
#include "lib/list.h"
#include "lib/manifest.h"
#include "lib/patches.h"
#include "lib/run.h"
#include "lib/size.h"
#include "lib/tables.h"
#include "lib/testsuite.h"
#include "lib/treerec.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int n, failed, exit_after = -1;

static void ok(int cond, const char *name)
{
	n++;
	if (!cond)
		failed++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", n, name);
	/* the gate's test: die the way a sanitizer does, mid-run, exit 99 */
	if (n == exit_after)
		_exit(99);
}

/* Parse text as a list; returns exit class, e filled. */
static int parse(const char *text, size_t len, struct applet_list *l, struct bkerr *e)
{
	memset(l, 0, sizeof *l);
	memset(e, 0, sizeof *e);
	return bk_list_parse("t.list", text, len, l, e);
}

static void reset(struct applet_list *l, struct bkerr *e)
{
	bk_list_free(l);
	free(e->more);
	e->more = NULL;
}

static void test_list(void)
{
	struct applet_list l;
	struct bkerr e;
	const char *t = "# comment\n\nls  # trailing\n[\nrun-parts\nCONFIG_LS\nFOO=12\n!BAR\n"
			"S=\"a # b \\\"q\\\"\"\nH=0x1f\n";
	int r = parse(t, strlen(t), &l, &e);
	ok(r == 0 && l.n == 8, "list: entries parsed, comments and blanks skipped");
	ok(l.n == 8 && l.v[0].applet && !strcmp(l.v[0].name, "ls") && l.v[0].line == 3,
	   "list: applet name with line number");
	ok(l.n == 8 && l.v[1].applet && !strcmp(l.v[1].name, "["), "list: [ is an applet");
	ok(l.n == 8 && !l.v[3].applet && !strcmp(l.v[3].name, "LS"), "list: CONFIG_ prefix dropped");
	ok(l.n == 8 && !strcmp(l.v[4].value, "12") && !l.v[4].quoted, "list: int value");
	ok(l.n == 8 && l.v[5].negate && !strcmp(l.v[5].name, "BAR"), "list: !SYM");
	ok(l.n == 8 && l.v[6].quoted && !strcmp(l.v[6].value, "a # b \"q\""),
	   "list: string with # and escaped quotes");
	ok(l.n == 8 && !strcmp(l.v[3].text, "CONFIG_LS"), "list: entry text as written");
	reset(&l, &e);

	r = parse("ls\r\necho\r\n", 10, &l, &e);
	ok(r == 0 && l.n == 2 && !strcmp(l.v[1].name, "echo"), "list: CRLF accepted");
	reset(&l, &e);

	r = parse("ls\nec\0ho\n", 9, &l, &e);
	ok(r == BK_REQUEST && e.more && strstr(e.more, "t.list:2: NUL byte"), "list: NUL byte refused");
	reset(&l, &e);

	r = parse("ls\n\xff\xfe\n", 6, &l, &e);
	ok(r == BK_REQUEST && e.more && strstr(e.more, "t.list:2: invalid UTF-8"),
	   "list: invalid UTF-8 refused");
	reset(&l, &e);

	r = parse("# caf\xc3\xa9\nls\n", 11, &l, &e);
	ok(r == 0 && l.n == 1, "list: UTF-8 in a comment is fine");
	reset(&l, &e);

	{
		size_t big = 1 << 20;
		char *b = malloc(big + 1);
		memset(b, 'a', big);
		b[big] = 0;
		r = parse(b, big, &l, &e);
		ok(r == BK_REQUEST && e.more && strstr(e.more, "t.list:1: line is 1048576 bytes long"),
		   "list: 1 MB line refused");
		free(b);
		reset(&l, &e);
	}

	r = parse("# nothing\n\n", 11, &l, &e);
	ok(r == BK_REQUEST && strstr(e.msg, "no entries"), "list: empty list refused");
	reset(&l, &e);

	r = parse("frobnicate ls\n", 14, &l, &e);
	ok(r == BK_REQUEST && e.more && strstr(e.more, "unknown directive 'frobnicate'"),
	   "list: unknown directive");
	reset(&l, &e);

	r = parse("S=\"abc\n", 7, &l, &e);
	ok(r == BK_REQUEST && e.more && strstr(e.more, "unterminated"), "list: unterminated string");
	reset(&l, &e);

	r = parse("ls=y\nLs\n!X=3\n", 13, &l, &e);
	ok(r == BK_REQUEST && bk_nproblems(&e) == 3, "list: every problem reported, not the first");
	reset(&l, &e);

	r = parse("budget 400k\nls\n", 15, &l, &e);
	ok(r == 0 && l.budget == 400 * 1024, "list: budget directive");
	reset(&l, &e);

	{
		const char *b = "budget flash 300000\nbudget download 1m\nbudget 2k\nls\n";
		r = parse(b, strlen(b), &l, &e);
		ok(r == 0 && l.budget_flash == 300000 && l.budget_download == 1024 * 1024 &&
			   l.budget == 2048 && !strcmp(l.budget_flash_where, "t.list:1") &&
			   !strcmp(l.budget_download_where, "t.list:2"),
		   "list: budget flash / download / the binary, each with its line");
		reset(&l, &e);
		b = "# only budgets\nbudget flash 8k\nbudget download 4k\n";
		{
			char path[] = "/tmp/bbkit-unit-frag.XXXXXX";
			int fd = mkstemp(path);
			ok(fd >= 0 && write(fd, b, strlen(b)) == (ssize_t)strlen(b), "list: fragment file written");
			if (fd >= 0)
				close(fd);
			memset(&l, 0, sizeof l);
			memset(&e, 0, sizeof e);
			r = bk_list_load_fragment(path, &l, &e);
			ok(r == 0 && l.budget_flash == 8192 && l.budget_download == 4096,
			   "list: a fragment of flash/download budgets only is a list");
			reset(&l, &e);
			unlink(path);
		}
		b = "budget flash\nls\n";
		r = parse(b, strlen(b), &l, &e);
		ok(r == BK_REQUEST && e.more && strstr(e.more, "budget flash: not a size"),
		   "list: budget flash without a size");
		reset(&l, &e);
	}

	r = parse("include nonexistent.list\n", 25, &l, &e);
	ok(r == BK_REQUEST && e.more && strstr(e.more, "t.list:1: include nonexistent.list: cannot open ./nonexistent.list"),
	   "list: missing include names file:line");
	reset(&l, &e);
}

static void test_apt(void)
{
	const char *suites[] = {"bookworm", "trixie", "sid", NULL};
	const char *want[] = {"sid", NULL};
	struct apt_repos r = {NULL, 0};
	struct bkerr e = {0, "", NULL, 0};
	char *lines;
	int rc = bk_apt_host_repos("tests/fixtures/apt-oneline", suites, &r, &e);
	ok(rc == 0 && r.n == 2, "apt: one-line sources: two Debian repos (security skipped)");
	lines = bk_apt_lines(&r, "deb-src", want);
	ok(!strcmp(lines, "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
			  "http://mirror.example/debian sid main\n"
			  "deb-src http://other.example/debian sid main\n"),
	   "apt: one-line sources: deb-src lines derived");
	free(lines);
	bk_apt_repos_free(&r);

	rc = bk_apt_host_repos("tests/fixtures/apt-deb822", suites, &r, &e);
	ok(rc == 0 && r.n == 1, "apt: deb822 sources: one repo (disabled and security skipped)");
	lines = bk_apt_lines(&r, "deb-src", want);
	ok(!strcmp(lines, "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
			  "http://mirror.example/debian sid main\n"),
	   "apt: deb822 sources: deb-src line derived");
	free(lines);
	bk_apt_repos_free(&r);

	rc = bk_apt_host_repos("tests/fixtures/apt-none", suites, &r, &e);
	ok(rc == BK_ENV && strstr(e.msg, "no apt source serves Debian"), "apt: no Debian source");
	bk_apt_repos_free(&r);
}

static void test_misc(void)
{
	char *t;
	struct bkerr e = {0, "", NULL, 0};
	const struct platform *p;
	ok(bk_levenshtein("lss", "ls") == 1 && bk_levenshtein("abc", "abc") == 0,
	   "levenshtein");
	{
		struct sbuf b;
		sb_init(&b);
		sb_add_shell_word(&b, "it's $(x) `y`");
		sb_add_shell_word(&b, "");
		ok(!strcmp(b.s, "'it'\\''s $(x) `y`'''"), "a shell word: in single quotes, a quote as '\\''");
		sb_free(&b);
	}
	bk_fail(&e, BK_ENV, "inner failure");
	ok(bk_fail(&e, BK_REQUEST, "outer context: %s; what to do", e.msg) == BK_REQUEST &&
		   !strcmp(e.msg, "outer context: inner failure; what to do"),
	   "a message can wrap the previous one (e->msg as an argument)");
	t = bk_link_target("/usr/bin/env");
	ok(!strcmp(t, "../../bin/busybox"), "link target from /usr/bin");
	free(t);
	t = bk_link_target("/bin/ls");
	ok(!strcmp(t, "busybox"), "link target from /bin");
	free(t);
	t = bk_link_target("/linuxrc");
	ok(!strcmp(t, "bin/busybox"), "link target from /");
	free(t);
	t = bk_platform_slug("linux/arm/v7");
	ok(!strcmp(t, "linux-arm-v7"), "platform slug");
	free(t);
	ok(bk_platform_get("linux/sparc", &p, &e) == BK_REQUEST && strstr(e.msg, "linux/arm/v7"),
	   "unknown platform lists the known ones");
	ok(bk_version_find("1.38.0") && !bk_version_find("1.99.0"), "version table");
	{
		int rows_ok = 1;
		for (size_t i = 0; i < bk_nplatforms; i++) {
			const struct platform *q = &bk_platforms[i];
			rows_ok &= q->ld && q->ld_package && strstr(q->ld, "ld.lld") == q->ld &&
				   (!q->musl_src || bk_musl_find(q->musl_src));
		}
		ok(rows_ok && bk_nplatforms == 12,
		   "platform rows: a linker each, a pinned musl for those built from source");
	}
	{
		char tmpl[] = "/tmp/bbkit-unit-XXXXXX";
		char v[16], *f;
		mkdtemp(tmpl);
		f = bk_xasprintf("%s/VERSION", tmpl);
		bk_write_atomic(f, "1.2.3\n", 6, 0644, 1, NULL, &e);
		ok(!bk_musl_tree_version(tmpl, v, sizeof v, &e) && !strcmp(v, "1.2.3"),
		   "musl tree version from VERSION");
		bk_write_atomic(f, "\n", 1, 0644, 1, NULL, &e);
		ok(bk_musl_tree_version(tmpl, v, sizeof v, &e) == BK_ENV &&
			   strstr(e.msg, "/VERSION: no version in it: not a musl tree?"),
		   "musl tree without a version is refused with its path");
		{
			char *want;
			bk_write_atomic(f, "1\n2\n3\n4\n", 8, 0644, 1, NULL, &e);
			want = bk_xasprintf("linux/x: step failed; last 2 lines of %s:\n3\n4\n\nfull log: %s",
					    f, f);
			ok(bk_fail_tail(&e, f, 2, "%s: step", "linux/x") == BK_ENV &&
				   !strcmp(e.msg, want),
			   "a failed step's message: its last lines and the log's path");
			free(want);
		}
		{
			/* a log that could not even be opened: bk_run's reason stands */
			char *nolog = bk_xasprintf("%s/no/such/dir/step.log", tmpl), *want;
			char *argv[] = {"true", NULL};
			want = bk_xasprintf("linux/x: step failed: %s: cannot open log: No such file or directory",
					    nolog);
			ok(bk_run(argv, NULL, nolog, NULL, &e) == BK_ENV &&
				   bk_fail_tail(&e, nolog, 2, "%s: step", "linux/x") == BK_ENV &&
				   !strcmp(e.msg, want),
			   "a step whose log cannot be opened says so, not an empty tail");
			ok(bk_log_has(f, "3\n4") && !bk_log_has(f, "5") && !bk_log_has(nolog, ""),
			   "bk_log_has finds text in a log; a missing log holds nothing");
			free(want);
			free(nolog);
		}
		bk_rmtree(tmpl);
		free(f);
	}
	{
		char hex[65];
		bk_sha256_buf("abc", 3, hex, &e);
		ok(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
		   "sha256 (libcrypto)");
	}
	{
		char tmpl[] = "/tmp/bbkit-unit-XXXXXX";
		char *f, *data;
		size_t len;
		int changed = 1;
		mkdtemp(tmpl);
		f = bk_xasprintf("%s/x", tmpl);
		bk_write_atomic(f, "hello", 5, 0644, 1, &changed, &e);
		ok(changed && !bk_read_file(f, &data, &len, &e) && len == 5, "atomic write");
		free(data);
		bk_write_atomic(f, "hello", 5, 0644, 1, &changed, &e);
		ok(!changed, "atomic write leaves unchanged content alone");
		{ /* a SIGKILLed writer's temp file goes; a live one's stays */
			pid_t dead = fork();
			char *stale, *live, *other;
			if (dead == 0)
				_exit(0);
			waitpid(dead, NULL, 0);
			stale = bk_xasprintf("%s.tmp.%ld", f, (long)dead);
			live = bk_xasprintf("%s.tmp.1", f);
			other = bk_xasprintf("%s/y.tmp.%ld", tmpl, (long)dead);
			bk_write_atomic(stale, "x", 1, 0644, 0, NULL, &e);
			bk_write_atomic(live, "x", 1, 0644, 0, NULL, &e);
			bk_write_atomic(other, "x", 1, 0644, 0, NULL, &e);
			bk_write_atomic(f, "new", 3, 0644, 0, NULL, &e);
			ok(!bk_exists(stale) && bk_exists(live) && bk_exists(other),
			   "atomic write sweeps a dead process's temp file, not a live one's");
			free(stale);
			free(live);
			free(other);
		}
		bk_rmtree(tmpl);
		ok(!bk_exists(tmpl), "rmtree");
		free(f);
	}
}

static void test_applets(void)
{
	struct applets a;
	struct bkerr e = {0, "", NULL, 0};
	int r = bk_applets_load("tests/fixtures/applets.h", &a, &e);
	ok(r == 0 && a.n == 5, "applets.h: entries read");
	if (r == 0 && a.n == 5) {
		ok(!strcmp(a.v[1].name, "[") && !strcmp(a.v[1].main, "test") &&
			   !strcmp(a.v[1].dir, "/usr/bin"),
		   "applets.h: [ -> test in /usr/bin");
		ok(a.v[2].ncond == 3 && !strcmp(a.v[2].cond[2].sym, "FEATURE_TAB_COMPLETION"),
		   "applets.h: nested IF_ conditions");
		ok(a.v[3].ncond == 2 && a.v[3].cond[1].neg && !strcmp(a.v[3].cond[1].sym, "MODPROBE_SMALL"),
		   "applets.h: IF_NOT_ condition");
		ok(!strcmp(a.v[4].dir, "/sbin") && !strcmp(a.v[4].name, "mkfs.ext2"),
		   "applets.h: oddname in /sbin");
	}
	bk_applets_free(&a);
}

static int bl_parse(const char *text, struct baseline *b, struct bkerr *e)
{
	memset(e, 0, sizeof *e);
	return bk_baseline_parse("b.txt", text, strlen(text), b, e);
}

static void test_symbol_case(void)
{
	struct applet_list l;
	struct bkerr e;
	int r = parse("INCLUDE_SUSv2\nCONFIG_INCLUDE_SUSv2\n", 35, &l, &e);
	ok(r == 0 && l.n == 2 && !l.v[0].applet && !strcmp(l.v[0].name, "INCLUDE_SUSv2") &&
		   !strcmp(l.v[1].name, "INCLUDE_SUSv2"),
	   "list: a symbol with lower case (INCLUDE_SUSv2) is a symbol");
	reset(&l, &e);
	r = parse("Ls\n", 3, &l, &e);
	ok(r == BK_REQUEST && e.more && strstr(e.more, "neither an applet name"),
	   "list: Ls is neither an applet nor a symbol");
	reset(&l, &e);
}

static void test_baseline(void)
{
	struct baseline b;
	struct bkerr e;
	struct dotconfig cfg = {0}, cfg2 = {0};
	FILE *f = fopen("/tmp/bbkit-unit.config", "w");
	fputs("CONFIG_BUSYBOX=y\n# CONFIG_DESKTOP is not set\nCONFIG_LONG_OPTS=y\n", f);
	fclose(f);
	bk_config_load("/tmp/bbkit-unit.config", &cfg, NULL);
	f = fopen("/tmp/bbkit-unit.config", "w");
	fputs("CONFIG_DESKTOP=y\nCONFIG_BUSYBOX=y\n", f);
	fclose(f);
	bk_config_load("/tmp/bbkit-unit.config", &cfg2, NULL);
	unlink("/tmp/bbkit-unit.config");
	int r = bl_parse("# comment\n\n*\tsed\tsed x\tbug\r\n"
			 "linux/arm64 linux/386\tls\tls-l\tqemu\n"
			 "* !CONFIG_DESKTOP CONFIG_BUSYBOX\tls\tls-s\tneeds desktop\n",
			 &b, &e);
	ok(r == 0 && b.n == 3 && b.v[0].line == 3 && !strcmp(b.v[0].reason, "bug"),
	   "baseline: entries parsed, CRLF and comments fine");
	ok(r == 0 && bk_baseline_find(&b, "linux/amd64", &cfg, "sed", "sed x") == &b.v[0],
	   "baseline: * covers every platform");
	ok(r == 0 && !bk_baseline_find(&b, "linux/amd64", &cfg, "ls", "ls-l") &&
		   bk_baseline_find(&b, "linux/386", &cfg, "ls", "ls-l"),
	   "baseline: platform names restrict an entry");
	ok(r == 0 && bk_baseline_find(&b, "linux/amd64", &cfg, "ls", "ls-s") &&
		   !bk_baseline_find(&b, "linux/amd64", &cfg2, "ls", "ls-s") &&
		   !bk_baseline_find(&b, "linux/amd64", NULL, "ls", "ls-s"),
	   "baseline: CONFIG_X and !CONFIG_X conditions all must hold");
	ok(r == 0 && !bk_baseline_find(&b, "linux/amd64", &cfg, "sed", "sed y"),
	   "baseline: test names match exactly");
	bk_baseline_free(&b);
	bk_config_free(&cfg);
	bk_config_free(&cfg2);
	free(e.more);
	r = bl_parse("*\tsed\tno reason\t \nlinux/vax\tls\tx\ty\nonly\ttwo\n"
		     "\tls\tx\ty\n*\tsed\ta\tb\nlinux/amd64\tsed\ta\tdup\n* linux/amd64\tx\ty\tz\n",
		     &b, &e);
	ok(r == BK_REQUEST && bk_nproblems(&e) == 6 &&
		   strstr(e.more, "b.txt:1: sed: no reason: no reason given; every known failure needs one") &&
		   strstr(e.more, "b.txt:2: linux/vax: neither a platform nor CONFIG_X") &&
		   strstr(e.more, "b.txt:3: 2 TAB-separated fields, want 4") &&
		   strstr(e.more, "b.txt:4: no platform in the first field") &&
		   strstr(e.more, "b.txt:6: sed: a: already listed at line 5") &&
		   strstr(e.more, "b.txt:7: * and platform names together"),
	   "baseline: every bad line reported with file:line");
	bk_baseline_free(&b);
	free(e.more);
	memset(&e, 0, sizeof e);
	r = bk_baseline_parse("b.txt", "*\tsed\ta\tb\0\n", 10, &b, &e);
	ok(r == BK_REQUEST && e.more && strstr(e.more, "NUL byte"), "baseline: NUL byte refused");
	bk_baseline_free(&b);
	free(e.more);
	r = bl_parse("linux/amd64\tsed\ta\tb\nlinux/arm64\tsed\ta\tc\n* CONFIG_X\tsed\ta\td\n", &b, &e);
	ok(r == 0 && b.n == 3, "baseline: same test on other platforms or conditions is no duplicate");
	bk_baseline_free(&b);
	free(e.more);
}

/* A stand-in busybox tree whose gen_build_files.sh counts its runs. */
static char *fake_src(const char *top, const char *script, struct bkerr *e)
{
	char *src = bk_xasprintf("%s/src", top), *p;
	p = bk_xasprintf("%s/scripts", src);
	bk_mkdirs(p, 0755, e);
	free(p);
	p = bk_xasprintf("%s/shell", src);
	bk_mkdirs(p, 0755, e);
	free(p);
	p = bk_xasprintf("%s/shell/Kbuild.src", src);
	bk_write_atomic(p, "INSERT\n", 7, 0644, 0, NULL, e);
	free(p);
	p = bk_xasprintf("%s/shell/ash.c", src);
	bk_write_atomic(p, "//kbuild:lib-y += ash.o\n", 24, 0644, 0, NULL, e);
	free(p);
	p = bk_xasprintf("%s/scripts/gen_build_files.sh", src);
	bk_write_atomic(p, script, strlen(script), 0755, 0, NULL, e);
	free(p);
	return src;
}

static int runs(const char *obj)
{
	char *p = bk_xasprintf("%s/runs", obj), *data = NULL;
	size_t len = 0;
	struct bkerr e = {0, "", NULL, 0};
	int count = 0;
	if (!bk_read_file(p, &data, &len, &e))
		for (size_t i = 0; i < len; i++)
			count += data[i] == '\n';
	free(data);
	free(p);
	return count;
}

static void test_kbuild(void)
{
	char tmpl[] = "/tmp/bbkit-unit-XXXXXX";
	struct bkerr e = {0, "", NULL, 0};
	char *src, *obj, *log, *p, *data = NULL;
	int ran = -1, r;
	const char *script = "#!/bin/sh\n"
			     "cd \"$2\" || exit 1\n"
			     "echo run >> runs\n"
			     "test -f \"$1/fail\" && exit 1\n"
			     "mkdir -p include shell\n"
			     "cat \"$1/shell/ash.c\" > shell/Kbuild\n"
			     ": > include/applets.h; : > include/usage.h\n";
	mkdtemp(tmpl);
	src = fake_src(tmpl, script, &e);
	obj = bk_xasprintf("%s/obj", tmpl);
	log = bk_xasprintf("%s/log", tmpl);
	bk_mkdirs(obj, 0755, &e);
	r = bk_kbuild_setup(src, obj, log, &ran, &e);
	ok(!r && ran && runs(obj) == 1, "gen_build_files runs in a new build dir");
	p = bk_xasprintf("%s/Kbuild", obj);
	ok(!bk_read_file(p, &data, NULL, &e) && strstr(data, "nothing to build"),
	   "the build dir gets an empty top-level Kbuild");
	free(data);
	free(p);
	r = bk_kbuild_setup(src, obj, log, &ran, &e);
	ok(!r && !ran && runs(obj) == 1 && !bk_read_file(log, &data, NULL, &e) &&
		   strstr(data, "gen_build_files.sh not run"),
	   "and not again while nothing changed (the log says so)");
	free(data);
	p = bk_xasprintf("%s/shell/ash.c", src);
	bk_write_atomic(p, "//kbuild:lib-y += ash.o hush.o\n", 31, 0644, 0, NULL, &e);
	free(p);
	r = bk_kbuild_setup(src, obj, log, &ran, &e);
	p = bk_xasprintf("%s/shell/Kbuild", obj);
	ok(!r && ran && runs(obj) == 2 && !bk_read_file(p, &data, NULL, &e) &&
		   strstr(data, "hush.o"),
	   "a changed source file runs it again");
	free(data);
	bk_write_atomic(p, "edited\n", 7, 0644, 0, NULL, &e);
	r = bk_kbuild_setup(src, obj, log, &ran, &e);
	ok(!r && ran && runs(obj) == 3, "so does a changed output (shell/Kbuild)");
	unlink(p);
	free(p);
	r = bk_kbuild_setup(src, obj, log, &ran, &e);
	ok(!r && ran && runs(obj) == 4, "and a missing one");
	p = bk_xasprintf("%s/fail", src);
	bk_write_atomic(p, "", 0, 0644, 0, NULL, &e);
	r = bk_kbuild_setup(src, obj, log, &ran, &e);
	ok(r == BK_ENV && strstr(e.msg, "gen_build_files.sh failed") && strstr(e.msg, log),
	   "a failing script is an environment error naming the log");
	unlink(p);
	free(p);
	r = bk_kbuild_setup(src, obj, log, &ran, &e);
	ok(!r && ran && runs(obj) == 6, "after a failure the next call runs it again");
	{
		char *l = bk_xasprintf("%s/.bbkit-src", obj), t[PATH_MAX];
		ssize_t len = readlink(l, t, sizeof t - 1);
		ok(len > 0 && (t[len] = 0, !strcmp(t, src)), "the build dir's .bbkit-src links to the tree");
		/* a directory where the link belongs (a user's copy of the
		 * tree): said, with what to do, not a bare "Is a directory" */
		unlink(l);
		bk_mkdirs(l, 0755, &e);
		r = bk_kbuild_setup(src, obj, log, &ran, &e);
		ok(r == BK_ENV && strstr(e.msg, l) && strstr(e.msg, "is a directory where bbkit keeps a link") &&
			   strstr(e.msg, "remove it (rm -r"),
		   "a directory in the link's place is named, with what to do");
		free(l);
	}
	{
		const char *vars[] = {"ARCH=arm", "HOSTCC=gcc", NULL};
		char **v = bk_kbuild_argv("/o", vars, "busybox", "-j2");
		struct sbuf b;
		sb_init(&b);
		for (size_t i = 0; v[i]; i++) {
			sb_add(&b, i ? " " : "");
			sb_add(&b, v[i]);
		}
		ok(!strcmp(b.s, "make -C /o -f .bbkit-src/Makefile KBUILD_SRC=.bbkit-src KBUILD_EXTMOD= O=/o "
				"ARCH=arm HOSTCC=gcc -ogen_build_files busybox -j2"),
		   "the make busybox's Makefile would start in the build dir, the tree as .bbkit-src");
		sb_free(&b);
		bk_argv_free(v);
	}
	bk_rmtree(tmpl);
	free(src);
	free(obj);
	free(log);
}

/* EXTRA_CFLAGS/EXTRA_LDFLAGS/EXTRA_LDLIBS: an allowlist of flag forms. */
static void test_flags(void)
{
	static const char *const cc_ok[] = {
		"-O2", "-Os", "-Oz", "-O", "-g", "-g3", "-gdwarf-4", "-Wall", "-Wextra",
		"-Wno-unused-parameter", "-Werror=format-security", "-Wframe-larger-than=1024",
		"-Wl,--gc-sections", "-Wl,-z,relro", "-Wl,-z,now", "-Wl,-z,noexecstack",
		"-Wl,-z,max-page-size=4096", "-Wl,-zrelro", "-Wl,--icf=all", "-Wl,-O1",
		"-Wl,--gc-sections,-z,relro,--as-needed", "-Wl,--build-id=sha1",
		"-Wl,--hash-style=gnu", "-DNDEBUG", "-DFOO=1", "-D_FORTIFY_SOURCE=2", "-UFOO",
		"-ffunction-sections", "-fdata-sections", "-fno-stack-protector",
		"-fstack-protector-strong", "-fvisibility=hidden", "-flto", "-flto=thin",
		"-fno-builtin-printf", "-fomit-frame-pointer", "-fPIC", "-march=armv7-a",
		"-mtune=generic", "-mthumb", "-mfpu=neon-vfpv4", "-mfloat-abi=hard", "-mno-sse",
		"-std=gnu99", "-lm", "-pipe", "-w", "-s", "-static", "-no-pie",
		"-Wa,--noexecstack", "-ftrivial-auto-var-init=zero", NULL};
	static const char *const cc_bad[] = {
		"-B/tmp/evil", "-B", "-Bprefix", "-fplugin=/tmp/x.so", "-fplugin-arg-x-y",
		"-fpass-plugin=/x.so", "--ld-path=/tmp/ld", "-fuse-ld=bfd", "-fuse-ld=lld",
		"--sysroot=/tmp", "--sysroot", "--target=x86_64-linux-gnu", "-target",
		"-specs=/tmp/s", "--specs=x", "@/tmp/rsp", "@rsp", "-Xlinker", "-Xclang",
		"-Xassembler", "-Wl,--plugin=/x.so", "-Wl,-plugin,/x.so", "-Wl,--plugin,x.so",
		"-Wl,--gc-sections,--plugin=x", "-Wl,--gc-sections,-plugin", "-load", "-load=x.so",
		"-mllvm", "-isystem", "-isystem/tmp", "-I/tmp", "-I.", "-Iinclude", "-iquote/tmp",
		"-include", "-include/etc/shadow", "-imacros", "-L/tmp", "-L.", "-o", "-o/tmp/x",
		"--config", "--config=/tmp/c", "-pie", "-static-pie", "-shared", "-Wl,-pie",
		"-Wl,--pic-executable", "-Wl,-T,x.ld", "-Wl,--script=x", "-Tx.ld",
		"-Wl,-Map=/tmp/m", "-Wl,-rpath,/tmp", "-Wl,--dynamic-linker=/tmp/ld.so",
		"-Wl,-L,/tmp", "-Wl,-lfoo", "-Wl,", "-Wl,-z", "-Wl,--gc-sections,,-s",
		"-Wp,-MD,/tmp/x", "-Wa,-mfoo", "-DFOO=$(x)", "-D", "-D1X", "-U", "-f", "-fsanitize=address",
		"-fsanitize-ignorelist=/tmp/x", "-fprofile-use=/tmp/p", "-fno-integrated-as",
		"-fcrash-diagnostics-dir=x", "-m32", "-m64", "-mx32", "-mbig-endian", "-nostdlib",
		"-nostartfiles", "-stdlib=libc++", "--rtlib=compiler-rt", "-W", "-Wl",
		"-Wl,--gc-sections,-T,s", "--", "-", "foo", "/tmp/x.o", "x.o", "-c", "-E", "-x",
		"-l:/tmp/x.a", "-l", "-l-x", "-march=x/y", "-O2*", "-O~", "-gsplit-dwarf",
		"-save-temps", "-v", "-###", "-ccc-gcc-name", "--gcc-toolchain=/x", "-F/tmp",
		"-isysroot/tmp", "-rdynamic", "-Wl,-E", "-Wl,--export-dynamic", NULL};
	static const char *const libs_ok[] = {"m", "pthread", "resolv", "-lm", "-lpthread",
					      "crypt", "stdc++", NULL};
	static const char *const libs_bad[] = {
		"-B/tmp/evil", "-Wl,--plugin=x", "-L/tmp", "/tmp/x.a", "x/y", "-l:x.a",
		":x.a", "-static-pie", "-fuse-ld=bfd", "@rsp", "-o", "-", "-lm,x", "--sysroot=/",
		".x", "-x", NULL};
	char *bad;
	const char *why;
	int good = 1;
	for (const char *const *w = cc_ok; *w; w++)
		if ((why = bk_flag_refused(BK_FLAGS_CC, *w))) {
			printf("# refused %s: %s\n", *w, why);
			good = 0;
		}
	ok(good, "flags: every allowed compiler/linker form passes");
	good = 1;
	for (const char *const *w = cc_bad; *w; w++)
		if (!bk_flag_refused(BK_FLAGS_CC, *w)) {
			printf("# allowed %s\n", *w);
			good = 0;
		}
	ok(good, "flags: every refused compiler/linker form is refused");
	good = 1;
	for (const char *const *w = libs_ok; *w; w++)
		good &= !bk_flag_refused(BK_FLAGS_LIBS, *w);
	for (const char *const *w = libs_bad; *w; w++)
		if (!bk_flag_refused(BK_FLAGS_LIBS, *w)) {
			printf("# allowed in LDLIBS %s\n", *w);
			good = 0;
		}
	ok(good, "flags: EXTRA_LDLIBS takes library names and -l<name> only");
	ok(strstr(bk_flag_refused(BK_FLAGS_CC, "-B/tmp/evil"), "picks a program") &&
		   strstr(bk_flag_refused(BK_FLAGS_CC, "-fplugin=x"), "loads code") &&
		   strstr(bk_flag_refused(BK_FLAGS_CC, "-Wl,-O1,--plugin=x"), "loads code") &&
		   strstr(bk_flag_refused(BK_FLAGS_CC, "-I/x"), "include and library") &&
		   strstr(bk_flag_refused(BK_FLAGS_CC, "-pie"), "not position independent") &&
		   strstr(bk_flag_refused(BK_FLAGS_CC, "@x"), "from a file"),
	   "flags: a known dangerous form says why it is refused");
	ok(!bk_flags_check(BK_FLAGS_CC, "", &bad, &why) &&
		   !bk_flags_check(BK_FLAGS_CC, "  -Os\t-Wl,--gc-sections  -DX=1 ", &bad, &why) &&
		   bk_flags_check(BK_FLAGS_CC, "-Os -B/tmp/evil -Wall", &bad, &why) == -1 &&
		   !strcmp(bad, "-B/tmp/evil") && why,
	   "flags: a value is checked word by word and names the first refused word");
	free(bad);
}

/* A file's whole text ("" when unreadable); static buffer. */
static const char *slurp(const char *path)
{
	static char buf[64];
	FILE *f = fopen(path, "r");
	size_t k = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[k] = 0;
	if (f)
		fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_replace_dir(void)
{
	char top[] = "/tmp/bbkit-unit.XXXXXX", *dest, *tmp, *old, *p;
	struct bkerr e = {0, "", NULL, 0};
	pid_t dead;
	if (!mkdtemp(top)) {
		ok(0, "replace_dir: mkdtemp");
		return;
	}
	dest = bk_xasprintf("%s/d", top);
	tmp = bk_xasprintf("%s/d.tmp.1", top);
	mkdir(dest, 0755);
	mkdir(tmp, 0755);
	p = bk_xasprintf("%s/f", dest);
	put(p, "old");
	free(p);
	p = bk_xasprintf("%s/f", tmp);
	put(p, "new");
	free(p);
	p = bk_xasprintf("%s/f", dest);
	ok(!bk_replace_dir(tmp, dest, &e) && !strcmp(slurp(p), "new") && !bk_exists(tmp),
	   "replace_dir: the new directory in place, the old one gone");
	/* a run killed between two renames: DEST.old.PID of a dead process */
	dead = fork();
	if (!dead)
		_exit(0);
	waitpid(dead, NULL, 0);
	old = bk_xasprintf("%s.old.%ld", dest, (long)dead);
	rename(dest, old);
	bk_tmp_sweep(dest);
	ok(!strcmp(slurp(p), "new") && !bk_exists(old),
	   "tmp_sweep: a previous output moved aside by a dead run is put back");
	mkdir(old, 0755);
	bk_tmp_sweep(dest);
	ok(!strcmp(slurp(p), "new") && !bk_exists(old),
	   "tmp_sweep: with the output in place, the leftover is removed");
	free(p);
	free(old);
	free(dest);
	free(tmp);
	bk_rmtree(top);
	free(e.more);
}

/* --- the cache's protocol (lib/cache.c) --- */

struct cache_t {
	const char *text; /* what the make step writes into f */
	int calls;        /* how often it ran */
	int damaged;      /* it was told of damage */
	int crash;        /* _exit between filling the temp and the rename */
	int fail;         /* return an error */
	int ready_fd;     /* -1, or a pipe written once the make step runs */
	double hold;      /* seconds it takes */
};

static int cache_t_current(const char *dest, void *arg)
{
	(void)dest;
	(void)arg;
	return 1;
}

static int cache_t_make(const char *tmp, const char *dest, const struct bk_damage *damage, void *arg,
			struct bkerr *e)
{
	struct cache_t *t = arg;
	char *f = bk_xasprintf("%s/f", tmp);
	(void)dest;
	t->calls++;
	t->damaged = damage && damage->n;
	if (t->ready_fd >= 0 && write(t->ready_fd, "x", 1) != 1)
		_exit(98);
	if (t->hold > 0)
		usleep((useconds_t)(t->hold * 1e6));
	put(f, t->text);
	free(f);
	if (t->crash)
		_exit(9);
	return t->fail ? bk_fail(e, BK_ENV, "made to fail") : 0;
}

/* entries in dir whose name starts with prefix */
static int count_prefix(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int c = 0;
	while (d && (de = readdir(d)))
		c += !strncmp(de->d_name, prefix, strlen(prefix));
	if (d)
		closedir(d);
	return c;
}

static void test_cache(void)
{
	char top[] = "/tmp/bbkit-unit.XXXXXX", *dest, *f;
	struct bkerr e = {0, "", NULL, 0};
	struct cache_t t = {"one", 0, 0, 0, 0, -1, 0};
	int made = -1, fds[2], status;
	pid_t child;
	if (!mkdtemp(top)) {
		ok(0, "cache: mkdtemp");
		return;
	}
	dest = bk_xasprintf("%s/c/entry", top); /* its directory made too */
	f = bk_xasprintf("%s/f", dest);
	{
		char *lock = bk_cache_lock_name(dest), *tmp = bk_cache_temp_name(dest);
		char *want = bk_xasprintf("%s/c/.tmp-entry.%ld", top, (long)getpid());
		ok(!strcmp(lock + strlen(top), "/c/.lock-entry") && !strcmp(tmp, want),
		   "cache: one lock name and one temp name, beside the entry, hidden");
		free(lock);
		free(tmp);
		free(want);
	}
	/* a maker killed between filling its temp and the rename */
	t.crash = 1;
	if (!(child = fork())) {
		bk_cache_make(dest, 0, cache_t_current, cache_t_make, &t, NULL, &e);
		_exit(0);
	}
	waitpid(child, &status, 0);
	t.crash = 0;
	{
		char *c = bk_xasprintf("%s/c", top);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 9 && !bk_exists(dest) &&
			   count_prefix(c, ".tmp-entry.") == 1,
		   "cache: a crash between temp and rename leaves no entry, only its temp");
		ok(!bk_cache_make(dest, 0, cache_t_current, cache_t_make, &t, &made, &e) && made == 1 &&
			   t.calls == 1 && !strcmp(slurp(f), "one") && count_prefix(c, ".tmp-") == 0,
		   "cache: the next run sweeps the dead run's temp and makes the entry");
		free(c);
	}
	ok(!bk_cache_make(dest, 0, cache_t_current, cache_t_make, &t, &made, &e) && made == 0 &&
		   t.calls == 1,
	   "cache: an intact, current entry is used as it is");
	/* two makers at once: the second waits on the lock, then finds it made */
	bk_rmtree(dest);
	if (pipe(fds)) {
		ok(0, "cache: pipe");
		return;
	}
	if (!(child = fork())) {
		struct cache_t a = {"first", 0, 0, 0, 0, fds[1], 0.5};
		close(fds[0]);
		_exit(bk_cache_make(dest, 0, cache_t_current, cache_t_make, &a, NULL, &e));
	}
	close(fds[1]);
	{
		char c;
		int got = read(fds[0], &c, 1) == 1; /* the first one is making it */
		t.text = "second";
		t.calls = 0;
		ok(got && !bk_cache_make(dest, 0, cache_t_current, cache_t_make, &t, &made, &e) &&
			   made == 0 && t.calls == 0 && !strcmp(slurp(f), "first"),
		   "cache: a concurrent maker waits on the lock, then finds the entry current");
	}
	close(fds[0]);
	waitpid(child, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "cache: the first maker succeeded");
	/* a damaged entry (a file changed since the record) is made again */
	put(f, "tampered with");
	ok(!bk_cache_make(dest, 0, cache_t_current, cache_t_make, &t, &made, &e) && made == 1 &&
		   t.calls == 1 && t.damaged && !strcmp(slurp(f), "second"),
	   "cache: a damaged entry is made again, the make step told what was damaged");
	{
		char *rec = bk_xasprintf("%s/.bbkit-files", dest);
		put(rec, "not a record\n");
		free(rec);
	}
	t.text = "third";
	ok(!bk_cache_make(dest, 0, cache_t_current, cache_t_make, &t, &made, &e) && made == 1 &&
		   !strcmp(slurp(f), "third"),
	   "cache: a damaged record is made again");
	/* a failing make step: the entry stays as it was, no temp left */
	t.fail = 1;
	put(f, "tampered again");
	{
		char *c = bk_xasprintf("%s/c", top);
		ok(bk_cache_make(dest, 0, cache_t_current, cache_t_make, &t, &made, &e) == BK_ENV &&
			   !strcmp(e.msg, "made to fail") && made == 0 &&
			   !strcmp(slurp(f), "tampered again") && count_prefix(c, ".tmp-") == 0,
		   "cache: a failed make leaves the entry as it was and no temp");
		free(c);
	}
	free(f);
	free(dest);
	bk_rmtree(top);
	free(e.more);
}

static void test_elf_mem(void)
{
	/* a bare ELF64 little-endian header of x86-64 (EM_X86_64 = 62) */
	unsigned char h[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	const struct platform *amd64, *arm64;
	struct bkerr e = {0, "", NULL, 0};
	h[16] = 2;  /* ET_EXEC */
	h[18] = 62; /* e_machine */
	h[20] = 1;  /* e_version */
	h[52] = 64; /* e_ehsize */
	bk_platform_get("linux/amd64", &amd64, &e);
	bk_platform_get("linux/arm64", &arm64, &e);
	ok(bk_elf_check_mem(h, sizeof h, "m", amd64, &e) == 0, "elf_check_mem: amd64's header");
	ok(bk_elf_check_mem(h, sizeof h, "m", arm64, &e) == BK_ENV &&
		   strstr(e.msg, "m: ELF machine 62, class 2, data 1; linux/arm64 needs machine 183"),
	   "elf_check_mem: not arm64's, naming both machines");
	ok(bk_elf_check_mem("#!/bin/sh\n", 10, "m", amd64, &e) == BK_ENV &&
		   strstr(e.msg, "m: not an ELF file"),
	   "elf_check_mem: a script is not an ELF");
	free(e.more);
}

/* SOURCE_DATE_EPOCH: make's rule, one parser for every command */
static void test_epoch(void)
{
	static const struct {
		const char *in;
		int rc;
		long long v;
	} c[] = {{NULL, 0, 946684800LL},   {"0", 0, 0},
		 {"946684800", 0, 946684800LL}, {"8589934592", 0, 8589934592LL},
		 {"253402300799", 0, 253402300799LL}, {"000000000000000000001", 0, 1},
		 {"253402300800", BK_USAGE, 0}, {"9223372036854775807", BK_USAGE, 0},
		 {"18446744073709551617", BK_USAGE, 0}, {"", BK_USAGE, 0},
		 {"-1", BK_USAGE, 0},       {"+1", BK_USAGE, 0},
		 {" 1", BK_USAGE, 0},       {"1 ", BK_USAGE, 0},
		 {"abc", BK_USAGE, 0},      {"1e9", BK_USAGE, 0}};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		struct bkerr e = {0, "", NULL, 0};
		long long v = -5;
		int rc = bk_epoch_parse(c[i].in, &v, &e);
		char name[96];
		snprintf(name, sizeof name, "SOURCE_DATE_EPOCH=%s: %s", c[i].in ? c[i].in : "(unset)",
			 c[i].rc ? "refused" : "taken");
		ok(rc == c[i].rc && (rc || v == c[i].v) &&
			   (!rc || strstr(e.msg, "0 to 253402300799 (9999-12-31)")),
		   name);
		free(e.more);
	}
}

/* bump-report's rename rule: the same prompt (size note aside) or the
 * same applet; nothing else, and an empty prompt never matches */
static void test_bump_rename(void)
{
	static const struct {
		const char *gp, *ga, *ap, *aa, *why;
	} c[] = {{"uuidgen (1.1 kb)", "uuidgen", "uuidgen (1.3 kb)", "uuidgen", "the same prompt"},
		 {"Support -s option", NULL, "Support -s option", NULL, "the same prompt"},
		 {"ipcalc (4.3 kb)", "ipcalc", "Calculate IP network settings", "ipcalc", "the same applet"},
		 {"Enable ls colors", NULL, "Enable ls colours", NULL, NULL},
		 {"", NULL, "", NULL, NULL},
		 {"vmstat (2 kb)", "vmstat", "tree (0.6 kb)", "tree", NULL},
		 {"Prompt (size 2 bytes)", NULL, "Prompt", NULL, "the same prompt"}};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		const char *why = bk_bump_rename_reason(c[i].gp, c[i].ga, c[i].ap, c[i].aa);
		char name[160];
		snprintf(name, sizeof name, "bump rename rule: '%s' vs '%s': %s", c[i].gp, c[i].ap,
			 c[i].why ? c[i].why : "not a rename");
		ok(c[i].why ? why && !strcmp(why, c[i].why) : !why, name);
	}
}

/* VEX's evidence: a hunk is in a tree only when the tree holds its change,
 * not when its lines happen to be elsewhere in the file */
static void test_patch_in_tree(void)
{
	char top[] = "/tmp/bbkit-unit.XXXXXX", *pr, *tr, *f, *pf, *pa;
	struct bkerr e = {0, "", NULL, 0};
	struct bk_hunks h;
	const char *orig = "int f(void)\n{\n\tcheck();\n\treturn -1;\n}\n";
	if (!mkdtemp(top)) {
		ok(0, "patch_in_tree: mkdtemp");
		return;
	}
	pr = bk_xasprintf("%s/pristine", top);
	tr = bk_xasprintf("%s/pristine+x", top);
	mkdir(pr, 0755);
	mkdir(tr, 0755);
	pf = bk_xasprintf("%s/f.c", pr);
	f = bk_xasprintf("%s/f.c", tr);
	pa = bk_xasprintf("%s/fix.patch", top);
	put(pf, orig);
	/* diff -U0: the fix adds a line the file already has further down */
	put(pa, "--- a/f.c\n+++ b/f.c\n@@ -2,0 +3 @@\n+\treturn -1;\n");
	put(f, "int f(void)\n{\n\treturn -1;\n\tcheck();\n\treturn -1;\n}\n");
	ok(!bk_patch_in_tree(pa, tr, pr, &h, &e) && h.total == 1 && h.found == 1,
	   "patch_in_tree: a -U0 hunk applied is found");
	bk_hunks_free(&h);
	put(f, orig); /* a later patch took the fix out again */
	ok(!bk_patch_in_tree(pa, tr, pr, &h, &e) && h.total == 1 && h.found == 0,
	   "patch_in_tree: a -U0 hunk reverted is missing though its line is elsewhere in the file");
	bk_hunks_free(&h);
	/* two identical hunks, one of them reverted */
	put(pa, "--- a/f.c\n+++ b/f.c\n@@ -2,0 +3 @@\n+\treturn -1;\n@@ -3,0 +5 @@\n+\treturn -1;\n");
	put(f, "int f(void)\n{\n\treturn -1;\n\tcheck();\n\treturn -1;\n}\n");
	ok(!bk_patch_in_tree(pa, tr, pr, &h, &e) && h.total == 2 && h.found == 1,
	   "patch_in_tree: of two identical hunks, the one reverted is missing");
	bk_hunks_free(&h);
	/* diff -U0 of a removed line only: applied when the file has one
	 * fewer, not when the line is still there */
	put(pa, "--- a/f.c\n+++ b/f.c\n@@ -3 +2,0 @@\n-\tcheck();\n");
	put(f, "int f(void)\n{\n\treturn -1;\n}\n");
	ok(!bk_patch_in_tree(pa, tr, pr, &h, &e) && h.total == 1 && h.found == 1,
	   "patch_in_tree: a -U0 removal applied is found");
	bk_hunks_free(&h);
	put(f, orig);
	ok(!bk_patch_in_tree(pa, tr, pr, &h, &e) && h.total == 1 && h.found == 0,
	   "patch_in_tree: a -U0 removal reverted is missing");
	bk_hunks_free(&h);
	/* a hunk of context only changes nothing: it is no evidence */
	put(pa, "--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n int f(void)\n {\n");
	ok(!bk_patch_in_tree(pa, tr, pr, &h, &e) && h.total == 0,
	   "patch_in_tree: a hunk of context only is not counted");
	bk_hunks_free(&h);
	free(pr);
	free(tr);
	free(f);
	free(pf);
	free(pa);
	bk_rmtree(top);
	free(e.more);
}

static void put_in(const char *dir, const char *rel, const char *text)
{
	char *p = bk_xasprintf("%s/%s", dir, rel);
	struct bkerr e = {0};
	char *slash = strrchr(p, '/');
	*slash = 0;
	bk_mkdirs(p, 0755, &e);
	*slash = '/';
	bk_write_atomic(p, text, strlen(text), 0644, 0, NULL, &e);
	free(p);
}

/* One lld map line: VMA LMA Size Align, then text at the Out (49) or In (57)
 * column. */
static void map_line(struct sbuf *b, unsigned long long vma, unsigned long long size, int in,
		     const char *what)
{
	sb_addf(b, "%16llx %16llx %8llx %5d %s%s\n", vma, vma, size, 1, in ? "        " : "", what);
}

static void test_size(void)
{
	char dir[] = "/tmp/bbkit-unit-size.XXXXXX";
	struct applets apps = {0};
	struct dotconfig cfg = {0};
	struct bk_size_report rep, back;
	struct sbuf map = {0}, out = {0};
	struct bkerr e = {0};
	char *cf, *src;
	int r;
	if (!mkdtemp(dir))
		return;
	/* a source tree: foo.c an enabled applet, bar.c a disabled one, no
	 * libbb/xfuncs.c at all (shared code) */
	put_in(dir, "src/coreutils/foo.c", "/* x */\n//applet:IF_FOO(APPLET(foo, BB_DIR_BIN, BB_SUID_DROP))\n");
	put_in(dir, "src/coreutils/bar.c", "//applet:IF_BAR(APPLET(bar, BB_DIR_BIN, BB_SUID_DROP))\n");
	put_in(dir, ".config", "CONFIG_FOO=y\n# CONFIG_BAR is not set\n");
	cf = bk_xasprintf("%s/.config", dir);
	src = bk_xasprintf("%s/src", dir);
	bk_config_load(cf, &cfg, NULL);
	apps.v = bk_xmalloc(3 * sizeof *apps.v);
	bk_applet_parse_line("IF_FOO(APPLET(foo, BB_DIR_BIN, BB_SUID_DROP))", &apps.v[0]);
	bk_applet_parse_line("IF_FOO(APPLET_ODDNAME(foo2, foo, BB_DIR_BIN, BB_SUID_DROP, foo))",
			     &apps.v[1]);
	bk_applet_parse_line("IF_BAR(APPLET(bar, BB_DIR_BIN, BB_SUID_DROP))", &apps.v[2]);
	apps.n = 3;
	sb_addf(&map, "%16s %16s %8s %5s Out     In      Symbol\n", "VMA", "LMA", "Size", "Align");
	map_line(&map, 0x1000, 0x400, 0, ".text");
	map_line(&map, 0x1000, 0x100, 1, "coreutils/lib.a(foo.o):(.text.foo_main)");
	map_line(&map, 0x1000, 0x100, 0, "        foo_main"); /* a symbol: not counted */
	map_line(&map, 0x1100, 0x80, 1, "coreutils/lib.a(bar.o):(.text.bar_main)");
	map_line(&map, 0x1180, 0x40, 1, "libbb/lib.a(xfuncs.o):(.text.xmalloc)");
	map_line(&map, 0x11c0, 0x20, 1, "coreutils/lib.a(foo.o):(.text.foo_helper)");
	map_line(&map, 0x11e0, 0x10, 1, "<internal>:(.text)");
	map_line(&map, 0, 0x30, 0, ".comment");
	map_line(&map, 0, 0x30, 1, "coreutils/lib.a(foo.o):(.comment)");
	bk_size_attribute(map.s, 4096, src, &cfg, &apps, &rep);
	ok(rep.n == 2 && rep.total == 4096 && !strcmp(rep.v[0].key, "shared") &&
		   rep.v[0].bytes == 4096 - 0x120 && !strcmp(rep.v[1].key, "foo") &&
		   rep.v[1].bytes == 0x120,
	   "size: an enabled applet's objects are its own, the rest of the loadable bytes shared");
	ok(rep.n == 2 && !strcmp(rep.v[1].names, "foo foo2"),
	   "size: a group is named by every enabled applet of its main");
	sb_add(&out, "");
	r = bk_size_json(&rep, &out, &e);
	ok(r == 0 && !strcmp(out.s, "{\n  \"loadable_bytes\": 4096,\n  \"groups\": [\n"
				     "    {\"applet\": \"shared\", \"names\": \"\", \"bytes\": 3808},\n"
				     "    {\"applet\": \"foo\", \"names\": \"foo foo2\", \"bytes\": 288}\n"
				     "  ]\n}\n"),
	   "size.json: the layout it always had (scalars a line each, one group a line)");
	out.len = 0;
	rep.packed = 1000, rep.flash = 8192, rep.block = 4096, rep.download = 700;
	free(rep.v[1].key);
	rep.v[1].key = bk_xstrdup("we\"ird\\name\x01");
	free(rep.v[1].names);
	rep.v[1].names = bk_xstrdup("caf\xc3\xa9 [");
	r = bk_size_json(&rep, &out, &e);
	ok(r == 0 && strstr(out.s, "\"packed_bytes\": 1000,\n  \"flash_bytes\": 8192,\n"
				   "  \"flash_block_size\": 4096,\n  \"download_bytes\": 700,\n") &&
		   strstr(out.s, "{\"applet\": \"we\\\"ird\\\\name\\u0001\", \"names\": \"caf\xc3\xa9 [\""),
	   "size.json: figures in their order; a name with quote, backslash, control escaped");
	r = r ? r : bk_size_json_parse("t.json", out.s, &back, &e);
	ok(r == 0 && back.total == 4096 && back.n == 2 && !strcmp(back.v[1].key, rep.v[1].key) &&
		   !strcmp(back.v[1].names, rep.v[1].names) && back.v[1].bytes == 288 &&
		   back.v[0].bytes == 3808,
	   "size.json: read back as written (round trip)");
	if (!r)
		bk_size_free(&back);
	out.len = 0;
	out.s[0] = 0;
	{
		struct bk_size_report other = {0};
		other.total = 4000;
		other.v = bk_xmalloc(sizeof *other.v);
		other.v[0].key = bk_xstrdup("shared"), other.v[0].names = bk_xstrdup("");
		other.v[0].bytes = 4000, other.n = 1;
		bk_size_diff(&other, &rep, &out);
		ok(strstr(out.s, "      4000       3808       -192  shared\n") &&
			   strstr(out.s, "(only in B)\n") &&
			   strstr(out.s, "      4000       4096        +96  total loadable bytes\n"),
		   "size --diff: per applet, only-in-B marked, totals");
		bk_size_free(&other);
	}
	r = bk_size_json_parse("t.json", "{\"loadable_bytes\": 1,\n \"groups\": [{\"applet\": 3}]}", &back, &e);
	ok(r == BK_REQUEST && strstr(e.msg, "t.json:1: not a bbkit size.json"),
	   "size.json: a group without applet or bytes refused, file named");
	r = bk_size_json_parse("t.json", "{\n\"loadable_bytes\": 1,\n  oops", &back, &e);
	ok(r == BK_REQUEST && strstr(e.msg, "t.json:3: not a bbkit size.json"),
	   "size.json: not JSON refused with its line");
	bk_size_free(&rep);
	bk_applets_free(&apps);
	bk_config_free(&cfg);
	sb_free(&map);
	sb_free(&out);
	free(cf);
	free(src);
	bk_rmtree(dir);
}

static void test_testsuite(void)
{
	struct bk_ts_results res = {0};
	struct baseline bl;
	struct bkerr e = {0};
	char *log = bk_ts_log_name("w", "[[");
	int fails, bad, known = -1;
	ok(!strcmp(log, "w/logs/%5b%5b.log"), "testsuite: a log name escapes [ and [[");
	free(log);
	fails = bk_ts_parse_log(0, "foo", "noise\nPASS: a\nFAIL: b\nSKIPPED: c\nUNTESTED: d\n"
					  "PASS: b\nFAIL: \nSKIPPED: a\nFAIL: e", &res);
	ok(fails == 2 && res.n == 5, "testsuite: PASS, FAIL, SKIPPED, UNTESTED lines; an empty name ignored");
	ok(res.n == 5 && res.v[0].st == BK_TS_PASS && res.v[1].st == BK_TS_FAIL &&
		   res.v[2].st == BK_TS_SKIP && res.v[3].st == BK_TS_SKIP && res.v[4].st == BK_TS_FAIL &&
		   !strcmp(res.v[4].test, "e"),
	   "testsuite: a name given twice counts once, FAIL wins, PASS beats SKIP");
	bk_ts_add(&res, 1, "bar", "x", BK_TS_SKIP);
	bk_ts_add(&res, 1, "bar", "x", BK_TS_PASS);
	ok(res.n == 6 && res.v[5].st == BK_TS_PASS, "testsuite: SKIP then PASS is PASS");
	memset(&e, 0, sizeof e);
	{
		const char *t = "*\tfoo\tb\tupstream bug\nlinux/amd64\tfoo\ta\tflaky\n";
		bk_baseline_parse("b.txt", t, strlen(t), &bl, &e);
	}
	bad = bk_ts_gate(&res, &bl, "linux/amd64", NULL, "w", &known, &e);
	ok(bad == 2 && known == 1, "testsuite gate: a known failure passes, two disagreements counted");
	ok(e.more && strstr(e.more, "linux/amd64: foo: FAIL: e (not in the baseline b.txt; log: w/logs/foo.log)") &&
		   strstr(e.more, "b.txt:2: foo: a: passes now on linux/amd64; remove or narrow the entry"),
	   "testsuite gate: an unknown failure names its log, a passing entry its line");
	free(e.more);
	memset(&e, 0, sizeof e);
	bad = bk_ts_gate(&res, &bl, "linux/arm64", NULL, "w", &known, &e);
	ok(bad == 1 && known == 1, "testsuite gate: an entry for another platform does not apply");
	free(e.more);
	memset(&e, 0, sizeof e);
	bad = bk_ts_gate(&res, NULL, "linux/amd64", NULL, "w", &known, &e);
	ok(bad == 2 && known == 0 && e.more && strstr(e.more, "FAIL: b (not in the baseline; log:"),
	   "testsuite gate: without a baseline every failure disagrees");
	free(e.more);
	bk_baseline_free(&bl);
	for (size_t i = 0; i < res.n; i++) {
		free(res.v[i].applet);
		free(res.v[i].test);
	}
	free(res.v);
}

/* A build dir is checked once at open: a dir that is none, one of another
 * platform, a good one; then what it holds is read at the first ask only. */
static void test_builddir(void)
{
	char dir[] = "/tmp/bbkit-unit-bd.XXXXXX";
	const struct platform *host = bk_platform_find("linux/amd64"), *other = bk_platform_find("linux/arm64");
	struct bk_builddir *bd = NULL;
	const struct dotconfig *cfg, *cfg2;
	const struct applets *apps;
	const struct manifest *m;
	struct bkerr e = {0};
	char *bin, *cmd;
	int r;
	if (!mkdtemp(dir))
		return;
	if (host && bk_elf_check("/proc/self/exe", host, 1, &e)) {
		host = other; /* an arm64 machine: amd64 is the other one */
		other = bk_platform_find("linux/amd64");
	}
	r = bk_builddir_open(dir, NULL, &bd, &e);
	ok(r == BK_ENV && !bd && strstr(e.msg, "/Makefile: no KERNELSRC; not a busybox O= build dir"),
	   "builddir: a dir without busybox's O= Makefile refused, the Makefile named");
	r = bk_builddir_open(dir, host, &bd, &e);
	ok(r == BK_REQUEST && !bd && strstr(e.msg, ": no busybox built there; build it first (bbkit build)"),
	   "builddir: with a platform, a dir without a busybox refused first");
	bin = bk_xasprintf("%s/busybox_unstripped", dir);
	ok(!symlink("/proc/self/exe", bin), "builddir: this program stands in for busybox_unstripped");
	put_in(dir, "Makefile", "# Automatically generated by scripts/mkmakefile\nKERNELSRC := /src/bb\n");
	put_in(dir, ".config", "#\n# Automatically generated make config: don't edit\n"
			       "# Busybox version: 9.8.7\n#\nCONFIG_HAVE_DOT_CONFIG=y\nCONFIG_FOO=y\n");
	put_in(dir, "include/applets.h", "IF_FOO(APPLET(foo, BB_DIR_USR_BIN, BB_SUID_DROP))\n"
					 "IF_BAR(APPLET(bar, BB_DIR_BIN, BB_SUID_DROP))\n");
	r = bk_builddir_open(dir, other, &bd, &e);
	ok(r == BK_REQUEST && !bd && strstr(e.msg, "; name the platform ") &&
		   !strncmp(e.msg, "--platform ", 11),
	   "builddir: a busybox of another platform refused, naming what to pass");
	r = bk_builddir_open(dir, host, &bd, &e);
	ok(r == 0 && bd && !strcmp(bd->srctree, "/src/bb") && !strcmp(bd->kbuild_src, "/src/bb") &&
		   !bd->loaded &&
		   !strcmp(bd->map + strlen(dir), "/busybox_unstripped.map") &&
		   !strcmp(bd->applets_h + strlen(dir), "/include/applets.h"),
	   "builddir: a good one opens with its source tree and paths, nothing loaded yet");
	if (!r) {
		cmd = bk_builddir_cmd_file(bd, "coreutils/test.o");
		ok(!strcmp(cmd + strlen(dir), "/coreutils/.test.o.cmd"), "builddir: an object's .cmd file");
		free(cmd);
		r = bk_builddir_config(bd, &cfg, &e);
		ok(r == 0 && bd->loaded == 1 && !strcmp(bk_config_get(cfg, "FOO"), "y"),
		   "builddir: the config loaded at the first ask, only it");
		put_in(dir, ".config", "garbage\n");
		r = bk_builddir_config(bd, &cfg2, &e);
		ok(r == 0 && cfg2 == cfg && !strcmp(bk_config_get(cfg2, "FOO"), "y"),
		   "builddir: asked again, the same config, not read again");
		r = bk_builddir_applets(bd, &apps, &e);
		ok(r == 0 && apps->n == 2, "builddir: the applet table loaded on demand");
		ok(!strcmp(bk_builddir_version(bd), "unknown"),
		   "builddir: the version read from .config's header when first asked");
		r = bk_builddir_manifest(bd, &m, &e);
		ok(r == BK_REQUEST && strstr(e.msg, "not a busybox .config"),
		   "builddir: a manifest of a broken .config refused, not cached");
		put_in(dir, ".config", "# Busybox version: 9.8.7\nCONFIG_HAVE_DOT_CONFIG=y\nCONFIG_FOO=y\n");
		r = bk_builddir_manifest(bd, &m, &e);
		ok(r == 0 && m->n == 1 && !strcmp(m->v[0].path, "/usr/bin/foo") && !strcmp(m->version, "9.8.7"),
		   "builddir: the manifest computed when first asked");
	}
	bk_builddir_close(bd);
	/* kbuild given the tree as the link .bbkit-src: the tree is where it
	 * points, kbuild's name for it the link's */
	put_in(dir, "Makefile", "# Automatically generated by scripts/mkmakefile\nKERNELSRC := .bbkit-src\n");
	{
		char *l = bk_xasprintf("%s/.bbkit-src", dir), *t = bk_xasprintf("%s/tree", dir);
		ok(!mkdir(t, 0755) && !symlink(t, l), "builddir: a .bbkit-src link");
		r = bk_builddir_open(dir, NULL, &bd, &e);
		ok(r == 0 && bd && !strcmp(bd->srctree, t) && !strcmp(bd->kbuild_src, ".bbkit-src"),
		   "builddir: KERNELSRC .bbkit-src: the tree the link points at, kbuild's name kept");
		bk_builddir_close(bd);
		/* a tree gone (another CACHE removed), or a file of that name:
		 * refused, not a tree of no files (size: every byte 'shared') */
		rmdir(t);
		r = bk_builddir_open(dir, NULL, &bd, &e);
		ok(r == BK_ENV && !bd && strstr(e.msg, "/.bbkit-src is no link to a source tree; build there again"),
		   "builddir: KERNELSRC .bbkit-src, a link to a tree that is gone: refused");
		unlink(l);
		put_in(dir, ".bbkit-src", "not a tree\n");
		r = bk_builddir_open(dir, NULL, &bd, &e);
		ok(r == BK_ENV && !bd && strstr(e.msg, "/.bbkit-src is no link to a source tree; build there again"),
		   "builddir: KERNELSRC .bbkit-src, a file of that name: refused");
		unlink(l);
		free(l);
		free(t);
	}
	r = bk_builddir_open(dir, NULL, &bd, &e);
	ok(r == BK_ENV && !bd && strstr(e.msg, "/Makefile: KERNELSRC is .bbkit-src, but ") &&
		   strstr(e.msg, "/.bbkit-src is no link to a source tree; build there again"),
	   "builddir: KERNELSRC .bbkit-src without the link: named, not 'no KERNELSRC'");
	free(bin);
	bk_rmtree(dir);
	free(e.more);
}

int main(void)
{
	/* line by line: a crash or a sanitizer's exit loses nothing printed */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("BBKIT_UNIT_EXIT_AFTER"))
		exit_after = atoi(getenv("BBKIT_UNIT_EXIT_AFTER"));
	if (chdir(getenv("TOP") ? getenv("TOP") : "."))
		return 3;
	test_list();
	test_apt();
	test_misc();
	test_epoch();
	test_kbuild();
	test_applets();
	test_baseline();
	test_symbol_case();
	test_flags();
	test_replace_dir();
	test_cache();
	test_elf_mem();
	test_patch_in_tree();
	test_bump_rename();
	test_size();
	test_testsuite();
	test_builddir();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
