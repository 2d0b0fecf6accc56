/* ELF checks through elfutils' libelf (elf.c). Not the system's <elf.h>:
 * included as "elf.h" beside it.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_ELF_H
#define BBKIT_ELF_H

#include "bk.h"

struct platform;

/* The ELF is the platform's: machine, class, byte order; unless
 * machine_only, also static (no PT_INTERP, no DT_NEEDED) and stripped. */
int bk_elf_check(const char *path, const struct platform *p, int machine_only, struct bkerr *e);
/* The same machine, class and byte order check (BK_ENV naming `name`) on an
 * ELF image in memory, such as a member of a tar archive. */
int bk_elf_check_mem(const void *data, size_t len, const char *name, const struct platform *p,
		     struct bkerr *e);
/* Whether s is a sha256 as bbkit writes them: 64 lowercase hex digits. */
int bk_is_sha256(const char *s);

#endif
