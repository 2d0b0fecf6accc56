/* The flags a list or a .config may add to busybox's build: an allowlist.
 * EXTRA_CFLAGS and EXTRA_LDFLAGS reach clang's driver (compile and link),
 * EXTRA_LDLIBS reaches scripts/trylink, which turns "m" into -lm and passes
 * a word starting with '-' as it is. A flag that is not a known form of
 * code generation tuning is refused: no flag may pick a program (-B,
 * -fuse-ld, --ld-path), load code (-fplugin, -Xclang -load, the linker's
 * --plugin), change the target or sysroot, read options or code from a file
 * (@file, -specs, --config, -I, -include, -L, a linker script), or name the
 * output. Known dangerous forms get their own reason; everything else not
 * on the list gets the list.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "flags.h"
#include "bk.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char r_prog[] =
	"it picks a program the build runs (the linker, the assembler), which bbkit's "
	"wrapper and the platform table set; remove it";
static const char r_plugin[] = "it loads code into the compiler or the linker; remove it";
static const char r_target[] =
	"it changes the target or what is linked in, which the platform table and the private "
	"sysroot set; remove it";
static const char r_file[] = "it reads more options from a file; write the options themselves";
static const char r_path[] =
	"it reads headers, libraries or scripts from a place of its own; bbkit's wrapper sets "
	"every include and library directory (the private sysroot, the busybox tree): remove it";
static const char r_out[] = "it names the output file, which busybox's build sets; remove it";
static const char r_pie[] =
	"bbkit builds a static executable that is not position independent (ET_EXEC, linked "
	"with -static); remove it";
static const char r_pass[] =
	"it passes options on unchecked; write -Wl,OPTION with a linker option bbkit allows";
static const char r_char[] =
	"a flag here names no file or directory: write letters, digits and _ = , . + - only";
static const char r_cc[] =
	"not a flag form bbkit allows here: -O<level>, -g<debug format>, -W<warning>, "
	"-Wl,<linker option> (--gc-sections, -z,<keyword>, --icf=<all|safe|none>, -O<n>, "
	"--as-needed, --build-id, --hash-style=, --sort-section=, -s), -D<macro>[=value], "
	"-U<macro>, -f<code generation flag>, -m<CPU tuning>, -std=, -l<name>, -pipe, -w, -s, "
	"-static, -no-pie; remove it";
static const char r_wl[] =
	"not a linker option bbkit allows after -Wl,: --gc-sections, -z,<keyword>, "
	"--icf=<all|safe|none>, -O<n>, --as-needed, --build-id[=...], --hash-style=, "
	"--sort-section=, --compress-debug-sections=, --strip-all, -s; remove it";
static const char r_lib[] =
	"EXTRA_LDLIBS holds library names (m, pthread) or -l<name>: letters, digits and _ + . - "
	"only; put other flags in EXTRA_LDFLAGS";

struct refusal {
	const char *prefix;
	const char *why;
	int exact; /* the whole word, not a prefix */
};

/* Known dangerous forms, each with its reason (checked first, by prefix). */
static const struct refusal refused[] = {
	{"-B", r_prog, 0},
	{"--ld-path", r_prog, 0},
	{"-fuse-ld", r_prog, 0},
	{"--gcc-toolchain", r_prog, 0},
	{"--gcc-install-dir", r_prog, 0},
	{"-ccc-", r_prog, 0},
	{"-no-integrated-as", r_prog, 0},
	{"-fno-integrated-as", r_prog, 0},
	{"-fplugin", r_plugin, 0},
	{"-fpass-plugin", r_plugin, 0},
	{"-Xclang", r_plugin, 0},
	{"-mllvm", r_plugin, 0},
	{"-load", r_plugin, 0},
	{"-Wl,--plugin", r_plugin, 0},
	{"-Wl,-plugin", r_plugin, 0},
	{"-Wl,--load-pass-plugin", r_plugin, 0},
	{"--sysroot", r_target, 0},
	{"-isysroot", r_path, 0},
	{"--target", r_target, 0},
	{"-target", r_target, 0},
	{"-m16", r_target, 1},
	{"-m32", r_target, 1},
	{"-m64", r_target, 1},
	{"-mx32", r_target, 1},
	{"-mbig-endian", r_target, 1},
	{"-mlittle-endian", r_target, 1},
	{"-nostdlib", r_target, 0},
	{"-nostartfiles", r_target, 0},
	{"-nodefaultlibs", r_target, 0},
	{"-nolibc", r_target, 0},
	{"-stdlib", r_target, 0},
	{"-rtlib", r_target, 0},
	{"--rtlib", r_target, 0},
	{"-unwindlib", r_target, 0},
	{"--unwindlib", r_target, 0},
	{"-specs", r_file, 0},
	{"--specs", r_file, 0},
	{"--config", r_file, 0},
	{"@", r_file, 0},
	{"-X", r_pass, 0}, /* -Xlinker, -Xassembler, -Xpreprocessor */
	{"-Wp,", r_pass, 0},
	{"-I", r_path, 0},
	{"-i", r_path, 0}, /* -isystem -iquote -idirafter -include -imacros -iprefix */
	{"--include", r_path, 0},
	{"-L", r_path, 0},
	{"--library-directory", r_path, 0},
	{"-F", r_path, 0},
	{"-T", r_path, 0},
	{"-o", r_out, 0},
	{"--output", r_out, 0},
	{"-pie", r_pie, 1},
	{"-static-pie", r_pie, 1},
	{"-shared", r_pie, 0},
	{"--shared", r_pie, 0},
	{"-rdynamic", r_pie, 1},
};

/* After -Wl, (one comma part each). */
static const struct refusal refused_wl[] = {
	{"--plugin", r_plugin, 0},
	{"-plugin", r_plugin, 0},
	{"--load-pass-plugin", r_plugin, 0},
	{"-mllvm", r_plugin, 0},
	{"-pie", r_pie, 1},
	{"--pie", r_pie, 1},
	{"--pic-executable", r_pie, 1},
	{"-shared", r_pie, 1},
	{"--shared", r_pie, 1},
	{"-Bshareable", r_pie, 1},
	{"--export-dynamic", r_pie, 1},
	{"-E", r_pie, 1},
	{"--dynamic-linker", r_target, 0},
	{"-dynamic-linker", r_target, 0},
	{"-T", r_path, 0},
	{"--script", r_path, 0},
	{"-L", r_path, 0},
	{"--library-path", r_path, 0},
	{"-l", r_path, 0},
	{"--library", r_path, 0},
	{"-rpath", r_path, 0},
	{"--rpath", r_path, 0},
	{"--sysroot", r_target, 0},
	{"@", r_file, 0},
	{"-Map", r_out, 0},
	{"--Map", r_out, 0},
	{"-o", r_out, 0},
	{"--output", r_out, 0},
};

static const char *match(const struct refusal *t, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].exact ? !strcmp(w, t[i].prefix)
			       : !strncmp(w, t[i].prefix, strlen(t[i].prefix)))
			return t[i].why;
	return NULL;
}

static int in_set(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(w, *set))
			return 1;
	return 0;
}

/* One or more characters of [A-Za-z0-9_.+-] (a value: a level, a name). */
static int is_value(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.+-", *s))
			return 0;
	return 1;
}

/* Same, '=' allowed too (-march=armv7-a, -Wframe-larger-than=1024). */
static int is_setting(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.+=-", *s))
			return 0;
	return 1;
}

static int is_ident(const char *s, size_t n)
{
	if (!n || (!isalpha((unsigned char)*s) && *s != '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

/* "name=value" where name is in set and value is_value. */
static int valued(const char *w, const char *const *set)
{
	const char *eq = strchr(w, '=');
	char name[64];
	if (!eq || (size_t)(eq - w) >= sizeof name)
		return 0;
	memcpy(name, w, (size_t)(eq - w));
	name[eq - w] = 0;
	return in_set(name, set) && is_value(eq + 1);
}

/* -f<name>: code generation and diagnostics, nothing that reads or runs. */
static int f_ok(const char *f)
{
	static const char *const plain[] = {
		"function-sections", "data-sections", "stack-protector", "stack-protector-strong",
		"stack-protector-all", "stack-protector-explicit", "stack-clash-protection", "pic",
		"PIC", "pie", "PIE", "omit-frame-pointer", "strict-aliasing", "common", "builtin",
		"inline", "inline-functions", "unroll-loops", "lto", "merge-all-constants",
		"merge-constants", "asynchronous-unwind-tables", "unwind-tables", "exceptions",
		"short-enums", "signed-char", "unsigned-char", "wrapv", "trapv", "strict-overflow",
		"delete-null-pointer-checks", "optimize-sibling-calls", "plt", "ident", "math-errno",
		"fast-math", "finite-math-only", "jump-tables", "semantic-interposition",
		"cf-protection", "color-diagnostics", "diagnostics-color", "diagnostics-show-option",
		"zero-initialized-in-bss", "reorder-functions", "gnu89-inline", "strict-enums",
		"verbose-asm", "stack-check", "align-functions", "align-loops", "align-jumps",
		"align-labels", "split-lto-unit", "whole-program-vtables", "short-wchar",
		"caret-diagnostics", "show-column", "reroll-loops", "vectorize", "slp-vectorize",
		"hardened", "shrink-wrap", NULL};
	static const char *const with_value[] = {
		"visibility", "lto", "cf-protection", "zero-call-used-regs", "trivial-auto-var-init",
		"align-functions", "align-loops", "align-jumps", "align-labels", "message-length",
		"tabstop", "diagnostics-color", "max-errors", "error-limit", "strict-flex-arrays",
		"max-type-align", "stack-protector-guard", "debug-default-version", NULL};
	if (!strncmp(f, "no-", 3))
		f += 3;
	if (!strncmp(f, "builtin-", 8))
		return is_ident(f + 8, strlen(f + 8));
	return in_set(f, plain) || valued(f, with_value);
}

/* One comma part after -Wl, (*z: the previous part was -z). */
static int wl_part_ok(const char *p, int *z)
{
	static const char *const plain[] = {
		"--gc-sections", "--no-gc-sections", "--as-needed", "--no-as-needed", "--sort-common",
		"--no-undefined", "--fatal-warnings", "--warn-common", "--relax", "--no-relax", "-s",
		"-S", "--strip-all", "--strip-debug", "--build-id", "-O0", "-O1", "-O2", "-O3",
		"--rosegment", "--no-rosegment", "--discard-all", "--discard-locals", "-x", "-X",
		"--eh-frame-hdr", "--no-eh-frame-hdr", "--icf=all", "--icf=safe", "--icf=none",
		"-static", "-Bstatic", "--no-pie", "--no-dynamic-linker", "--print-gc-sections",
		"--lto-O0", "--lto-O1", "--lto-O2", "--lto-O3", NULL};
	static const char *const with_value[] = {
		"--hash-style", "--build-id", "--sort-section", "--compress-debug-sections",
		"--pack-dyn-relocs", "--thinlto-jobs", "--threads", NULL};
	if (*z) {
		*z = 0;
		return is_value(p) || (strchr(p, '=') && valued(p, (const char *const[]){
									  "max-page-size", "common-page-size",
									  "stack-size", "separate-code",
									  "dead-reloc-in-nonalloc", NULL}));
	}
	if (!strcmp(p, "-z")) {
		*z = 1;
		return 1;
	}
	if (!strncmp(p, "-z", 2) && is_value(p + 2))
		return 1;
	return in_set(p, plain) || valued(p, with_value);
}

/* -Wl,a,b,c: NULL or the reason for the first part refused. */
static const char *wl_refused(const char *w)
{
	char *dup = bk_xstrdup(w + 4), *save = NULL;
	const char *why = NULL;
	int z = 0, parts = 0;
	for (char *p = strtok_r(dup, ",", &save); p && !why; p = strtok_r(NULL, ",", &save)) {
		parts++;
		if (!z && (why = match(refused_wl, sizeof refused_wl / sizeof refused_wl[0], p)))
			break;
		if (!wl_part_ok(p, &z))
			why = r_wl;
	}
	if (!why && (z || !parts || strstr(w + 4, ",,") || w[strlen(w) - 1] == ','))
		why = r_wl;
	free(dup);
	return why;
}

static const char *cc_refused(const char *w)
{
	static const char *const exact[] = {
		"-O", "-O0", "-O1", "-O2", "-O3", "-Os", "-Oz", "-Og", "-Ofast", "-pipe", "-w",
		"-s", "-static", "-no-pie", "-pedantic", "-Qunused-arguments", "-Wa,--noexecstack",
		"-g", "-g0", "-g1", "-g2", "-g3", "-ggdb", "-ggdb0", "-ggdb1", "-ggdb2", "-ggdb3",
		"-gdwarf", "-gdwarf-2", "-gdwarf-3", "-gdwarf-4", "-gdwarf-5", "-gline-tables-only",
		"-gline-directives-only", "-gz", "-gz=none", "-gz=zlib", "-gz=zstd", "-gcolumn-info",
		"-gno-column-info", NULL};
	if (in_set(w, exact))
		return NULL;
	if (!strncmp(w, "-Wl,", 4))
		return wl_refused(w);
	if (!strncmp(w, "-Wa,", 4))
		return r_pass;
	if (!strncmp(w, "-W", 2))
		return is_setting(w + 2) && !in_set(w, (const char *const[]){"-Wl", "-Wa", "-Wp", NULL})
			       ? NULL
			       : r_cc;
	if (!strncmp(w, "-D", 2)) {
		size_t n = strcspn(w + 2, "=");
		return is_ident(w + 2, n) && (!w[2 + n] || !w[3 + n] || is_value(w + 3 + n)) ? NULL
											      : r_cc;
	}
	if (!strncmp(w, "-U", 2))
		return is_ident(w + 2, strlen(w + 2)) ? NULL : r_cc;
	if (!strncmp(w, "-f", 2))
		return f_ok(w + 2) ? NULL : r_cc;
	if (!strncmp(w, "-m", 2))
		return islower((unsigned char)w[2]) && is_setting(w + 2) ? NULL : r_cc;
	if (!strncmp(w, "-std=", 5))
		return is_value(w + 5) ? NULL : r_cc;
	if (!strncmp(w, "-l", 2))
		return is_value(w + 2) && w[2] != '-' ? NULL : r_cc;
	return r_cc;
}

const char *bk_flag_refused(enum bk_flags_kind kind, const char *w)
{
	const char *why = match(refused, sizeof refused / sizeof refused[0], w);
	if (why)
		return why;
	if (!strncmp(w, "-Wl,", 4) && (why = wl_refused(w)) && why != r_wl)
		return why;
	for (const char *p = w; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_=,.+-", *p))
			return kind == BK_FLAGS_LIBS ? r_lib : r_char;
	if (kind == BK_FLAGS_LIBS) {
		const char *name = strncmp(w, "-l", 2) ? w : w + 2;
		return is_value(name) && *name != '-' && *name != '.' ? NULL : r_lib;
	}
	return cc_refused(w);
}

int bk_flags_check(enum bk_flags_kind kind, const char *v, char **bad, const char **why)
{
	const char *p = v;
	*bad = NULL;
	*why = NULL;
	while (*p) {
		size_t n;
		char *w;
		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (!n)
			break;
		w = strndup(p, n);
		if (!w)
			abort();
		if ((*why = bk_flag_refused(kind, w))) {
			*bad = w;
			return -1;
		}
		free(w);
		p += n;
	}
	return 0;
}
