/* Applet list files.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_LIST_H
#define BBKIT_LIST_H

#include "bk.h"

struct list_entry {
	char *file;  /* list file it came from */
	int line;    /* 1-based */
	char *text;  /* the entry as written (comment and blanks trimmed) */
	int applet;  /* 1: applet name; 0: config symbol */
	char *name;  /* applet name, or symbol without CONFIG_ */
	char *value; /* NULL when none given; strings unquoted */
	int quoted;  /* value was a "string" */
	int negate;  /* !NAME */
};

struct applet_list {
	struct list_entry *v;
	size_t n;
	char **files; /* every file read, for dependency files */
	size_t nfiles;
	char **fragments; /* 'fragment FILE' lines, in order (paths as opened) */
	size_t nfragments;
	long long budget; /* 'budget SIZE' in bytes, 0 when none: the unpacked
			   * binary's loadable bytes */
	char *budget_where;
	long long budget_flash; /* 'budget flash SIZE': the extracted rootfs on disk */
	char *budget_flash_where;
	long long budget_download; /* 'budget download SIZE': the gzip'd layer */
	char *budget_download_where;
};

/* Load a list and its includes. Problems are added to e (bk_problem), one
 * per line, and the return is BK_REQUEST; an empty list is an error too. */
int bk_list_load(const char *path, struct applet_list *l, struct bkerr *e);
/* Same for a config fragment (FRAGMENTS): one of comments only adds nothing,
 * as merge_config.sh merges it, and is no error. */
int bk_list_load_fragment(const char *path, struct applet_list *l, struct bkerr *e);
/* Same from memory (name is used in messages and to resolve includes). */
int bk_list_parse(const char *name, const char *buf, size_t len, struct applet_list *l,
		  struct bkerr *e);
void bk_list_free(struct applet_list *l);

/* merge_config.sh: a fragment's line (entries from from on) for a symbol
 * replaces every earlier line for it in the input (entries [start, from)),
 * each named in a note, an applet's name being a line for its symbol (cat
 * for CONFIG_CAT, from apps); the toolchain lists before start are never
 * overridden. Returns how many lines it replaced. */
struct applets;
size_t bk_list_merge_fragment(struct applet_list *l, const struct applets *apps, size_t start,
			      size_t from, const struct bk_say *say);

/* Where bk_list_load_inputs put the input and the fragments in the list. */
struct bk_list_inputs {
	size_t input_start; /* the last list's first entry */
	size_t *from;       /* where each fragment's entries start */
	size_t nfrom;
};
/* The lists in order (the last one the input), then the fragments: the
 * input's own 'fragment FILE' lines (a fragment's own come after it),
 * then fragments[] in order; each fragment merged later, once the applet
 * table is known (bk_list_merge_inputs). */
int bk_list_load_inputs(const char *const *lists, int nlists, const char *const *fragments,
			int nfragments, struct applet_list *l, struct bk_list_inputs *in,
			struct bkerr *e);
/* Every fragment of in merged into the input (bk_list_merge_fragment). */
void bk_list_merge_inputs(struct applet_list *l, const struct applets *apps,
			  const struct bk_list_inputs *in, const struct bk_say *say);
void bk_list_inputs_free(struct bk_list_inputs *in);

#endif
