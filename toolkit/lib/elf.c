/* ELF checks through elfutils' libelf.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "elf.h"
#include "tables.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The checks of bk_elf_check on an open ELF (NULL: libelf could not open it). */
static int check_elf(Elf *elf, const char *path, const struct platform *p, int machine_only,
		     struct bkerr *e)
{
	int r = 0;
	GElf_Ehdr eh;
	size_t n;
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		/* libelf has no error for a file that simply is not ELF */
		r = bk_fail(e, BK_ENV, "%s: not an ELF file%s%s", path, elf ? "" : ": ",
			    elf ? "" : elf_errmsg(-1));
		goto out;
	}
	if (!gelf_getehdr(elf, &eh)) {
		r = bk_fail(e, BK_ENV, "%s: not an ELF file: %s", path, elf_errmsg(-1));
		goto out;
	}
	if (eh.e_machine != p->elf_machine || eh.e_ident[EI_CLASS] != p->elf_class ||
	    eh.e_ident[EI_DATA] != p->elf_data) {
		r = bk_fail(e, BK_ENV,
			    "%s: ELF machine %d, class %d, data %d; %s needs machine %d, class %d, "
			    "data %d",
			    path, eh.e_machine, eh.e_ident[EI_CLASS], eh.e_ident[EI_DATA], p->name,
			    p->elf_machine, p->elf_class, p->elf_data);
		goto out;
	}
	if (machine_only)
		goto out;
	if (elf_getphdrnum(elf, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;
			if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_INTERP) {
				r = bk_fail(e, BK_ENV, "%s: has PT_INTERP: not statically linked", path);
				goto out;
			}
		}
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB) {
			r = bk_fail(e, BK_ENV, "%s: has a symbol table: not stripped", path);
			goto out;
		}
		if (sh.sh_type == SHT_DYNAMIC) {
			Elf_Data *d = elf_getdata(scn, NULL);
			for (size_t k = 0; d && sh.sh_entsize && k < sh.sh_size / sh.sh_entsize; k++) {
				GElf_Dyn dyn;
				if (gelf_getdyn(d, (int)k, &dyn) && dyn.d_tag == DT_NEEDED) {
					r = bk_fail(e, BK_ENV, "%s: has DT_NEEDED: not statically linked",
						    path);
					goto out;
				}
			}
		}
	}
out:
	return r;
}

int bk_elf_check(const char *path, const struct platform *p, int machine_only, struct bkerr *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;
	Elf *elf;
	if (fd < 0)
		return bk_fail_errno(e, BK_ENV, "%s: cannot open", path);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	r = check_elf(elf, path, p, machine_only, e);
	if (elf)
		elf_end(elf);
	close(fd);
	return r;
}

int bk_elf_check_mem(const void *data, size_t len, const char *name, const struct platform *p,
		     struct bkerr *e)
{
	/* libelf reads an image it may not own: a copy of ours */
	char *copy = bk_xmalloc(len ? len : 1);
	Elf *elf;
	int r;
	memcpy(copy, data, len);
	elf_version(EV_CURRENT);
	elf = elf_memory(copy, len);
	r = check_elf(elf, name, p, 1, e);
	if (elf)
		elf_end(elf);
	free(copy);
	return r;
}

int bk_is_sha256(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}
