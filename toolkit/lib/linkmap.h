/* The link map busybox's build leaves (busybox_unstripped.map): which
 * object put how many bytes into the binary, and whose applet it is.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_LINKMAP_H
#define BBKIT_LINKMAP_H

#include "applets.h"
#include "bk.h"

/* Walks the map text (VMA LMA Size Align Out In Symbol; modified): calls
 * visit once per input section of an allocated output section, with its
 * object ("coreutils/test.o" for "coreutils/lib.a(test.o)", NULL for any
 * other input) and its size. Returns the bytes visited. */
typedef void (*bk_section_fn)(const char *obj, unsigned long long size, void *arg);
long long bk_linkmap_walk(char *text, bk_section_fn visit, void *arg);

/* The source tree an O= build dir's generated Makefile names (KERNELSRC;
 * a relative one, kbuild's .bbkit-src, is the tree its link in bdir points
 * at, a directory), or NULL; *as_written (may be NULL) gets KERNELSRC as written, the
 * way kbuild names the tree in commands and dependency lists (NULL when
 * there is none; set even when the link cannot be followed). Both freed by
 * the caller. */
char *bk_srctree_of(const char *bdir, char **as_written);

/* The applet an object belongs to: the first enabled //applet: line of its
 * source file (caller frees); NULL for shared code (libbb and the like). */
char *bk_applet_of_source(const char *src, const char *obj, const struct dotconfig *cfg);

#endif
