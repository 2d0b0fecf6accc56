/* bbkit scan: the applet list shell scripts (and a Dockerfile) need, each
 * line explained with file:line (lib/scan/); --check gates a resolved list.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char scan_usage[] =
	"usage: bbkit scan --src DIR [--dockerfile FILE] [--rootfs DIR|TAR] [--explain] [--words|--check CONFIG] SCRIPT...\n\n"
	"Parse each SCRIPT with shfmt (never executed) and print the applet list they\n"
	"need, in bbkit's list syntax: applets, then the symbols of ash builtins\n"
	"(ASH_ECHO, ...) and of options (find -exec: FEATURE_FIND_EXEC), each line\n"
	"with '# file:line' of its first use, under busybox's menu titles (as make list).\n"
	"Then a comment block: commands no applet provides (not busybox), command\n"
	"words that are not literals (cannot be known statically), options the\n"
	"applet's busybox help does not list, and sourced files that were not among\n"
	"the inputs. Applets, builtins and options come from DIR's own\n"
	"source (//applet:, ash's builtintab, //usage: text, getopt32 strings).\n\n"
	"Applets that run others add those (ifup runs run-parts, from ifupdown.c's\n"
	"literals; login, su, crond, udhcpc run sh) with the use that needs them.\n"
	"A SCRIPT named inittab, inetd.conf, modprobe.conf or modprobe.d/*.conf is read\n"
	"as that file (with --rootfs: the one there, once init/inetd/modprobe runs);\n"
	"mount 'cmd#args' and mount -t T (mount.T in --rootfs) need mount helpers.\n"
	"Shell syntax ash gates ($((..)), ${v/a/b}, ...) maps to its symbol, what ash\n"
	"never parses (arrays, {a,b}) is listed as not supported by busybox ash.\n"
	"Exit 1 also when a file does not parse (file:line and shfmt's message).\n";

static void print_uses(const struct scan_need *n, int explain)
{
	printf("%-28s #", n->word);
	for (size_t k = 0; k < (explain ? n->nuses : 1); k++)
		printf("%s %s:%d %s", k ? "," : "", n->uses[k].file, n->uses[k].line, n->uses[k].what);
	putchar('\n');
}

/* s with control characters as '?': one record a line, TAB-separated. */
static void put_field(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static void print_words(const struct scan_result *r)
{
	for (size_t i = 0; i < r->nwords; i++) {
		put_field(r->words[i].use.file);
		printf(":%d\t", r->words[i].use.line);
		put_field(r->words[i].word);
		printf("\t%s\n", r->words[i].how);
	}
}

static void print_block(const struct scan_result *r, int kind, const char *title)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (r->notes[i].kind == kind)
			printf("# %s: %s (%s:%d)\n", title, r->notes[i].use.what, r->notes[i].use.file,
			       r->notes[i].use.line);
}

int cmd_scan(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *pos_v[4096], *src = NULL, *dockerfile = NULL, *check = NULL, *shfmt = NULL,
		   *rootfs = NULL;
	struct args pos = {pos_v, 0, 4096, 0, "SCRIPT (a shell script to scan)"};
	int explain = 0, verify = 0, words = 0, r;
	const struct opt opts[] = {
		OPT_REQ("--src", &src, "DIR", "the busybox source tree (make: the pinned version's)"),
		OPT_V("--dockerfile", &dockerfile, "FILE",
		      "also RUN, CMD, ENTRYPOINT, HEALTHCHECK of FILE (SHELL honoured)"),
		OPT_V("--rootfs", &rootfs, "DIR|TAR",
		      "ELF programs in its bin/ sbin/ usr/bin/ usr/sbin/\n"
		      "usr/local/bin/ provide commands busybox does not; a file\n"
		      "sourced, or a shell script run, by absolute path is read\n"
		      "there, and udhcpc's default script once udhcpc runs (links\n"
		      "resolve inside it, never out of it)"),
		OPT_F("--explain", &explain, "every use of each line, not only the first"),
		{.name = "--check", .kind = OPT_VALUE, .dst = &check, .group = 1, .arg = "CONFIG",
		 .help = "the .config a list resolved to (make check-scripts makes it):\n"
			 "exit 1 naming each use it lacks and the line to add"},
		{.name = "--words", .kind = OPT_FLAG, .dst = &words, .group = 1,
		 .help = "instead of the list, every command word the scan read, one\n"
			 "a line: FILE:LINE<TAB>WORD<TAB>HOW, HOW one of applet, builtin\n"
			 "(of ash), function (defined in a scanned file), busybox (the\n"
			 "binary itself), rootfs (an ELF program of --rootfs),\n"
			 "not-busybox, dynamic (not a literal); control characters in\n"
			 "FILE or WORD print as '?'"},
		OPT_V("--shfmt", &shfmt, "PROG", "the shfmt to run (default: shfmt from PATH)"),
		OPT_F("--verify-runs", &verify,
		      "check the table of what applets run (udhcpc runs sh) that\n"
		      "the source cannot show by a literal against DIR, and exit"),
		OPT_END};
	struct scan_result res;
	struct scan_opts so;
	if ((r = parse_args(c, argc, argv, opts, scan_usage, &pos)))
		return r < 0 ? 0 : r;
	if (verify) {
		if ((r = bk_scan_verify_runs(src, e)))
			return r;
		printf("bbkit: scan: %s: every row of the table of what applets run holds\n", src);
		return 0;
	}
	if (!pos.n && !dockerfile)
		return usage_error(c, "needs SCRIPT... or --dockerfile FILE");
	so = (struct scan_opts){src, pos_v, (size_t)pos.n, dockerfile, shfmt, rootfs};
	if ((r = bk_scan(&so, &res, e)))
		return r;
	if (check) {
		struct dotconfig cfg = {0};
		if (!(r = bk_config_load(check, &cfg, e))) {
			r = bk_scan_check(&res, &cfg, check, src, e);
			if (!r)
				printf("bbkit: scan: %s has all %zu applets and features %zu file(s) need\n", check,
				       res.nneeds, res.nfiles);
		}
		bk_config_free(&cfg);
		bk_scan_free(&res);
		return r;
	}
	if (words) {
		print_words(&res);
		bk_scan_free(&res);
		return fflush(stdout) ? bk_fail_errno(e, BK_ENV, "stdout") : 0;
	}
	printf("# bbkit scan: what %zu file(s) run (bbkit scan --explain: every use)\n", res.nfiles);
	for (size_t i = 0; i < res.nneeds; i++) {
		if (!i || strcmp(res.needs[i].group, res.needs[i - 1].group))
			printf("\n# %s\n", res.needs[i].group);
		print_uses(&res.needs[i], explain);
	}
	if (res.nnotes)
		printf("#\n");
	print_block(&res, SCAN_NOT_BUSYBOX, "not busybox");
	for (size_t i = 0; i < res.nnotes; i++)
		if (res.notes[i].kind == SCAN_ROOTFS)
			printf("# provided by the rootfs: %s\n", res.notes[i].use.what);
	print_block(&res, SCAN_DYNAMIC, "cannot be known statically");
	print_block(&res, SCAN_BAD_OPTION, "option not in busybox's help for the applet (check it)");
	print_block(&res, SCAN_UNFOLLOWED, "runs a file not among the inputs");
	print_block(&res, SCAN_NO_ASH, "not supported by busybox ash");
	print_block(&res, SCAN_IGNORED, "ignored by busybox");
	bk_scan_free(&res);
	return fflush(stdout) ? bk_fail_errno(e, BK_ENV, "stdout") : 0;
}
