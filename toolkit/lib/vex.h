/* Per-CVE statements for one built binary (vex.c): for every CVE a patch
 * set claims (by file name or a DEP-3 CVE:/Bug-CVE: field), whether its fix
 * is in the code compiled (each hunk found in the build dir's source tree)
 * and whether the code it touches is linked (the link map and kbuild's deps
 * of each linked object), never from a name or a hand-written table. Rendered as a CycloneDX 1.5 VEX
 * document and a human summary.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_VEX_H
#define BBKIT_VEX_H

#include "applets.h"
#include "builddir.h"
#include "patches.h"

struct bk_vuln {
	char *id;        /* CVE-YYYY-N */
	char **patch;    /* the patches that fix it (names) */
	size_t npatch;
	int fixed;       /* every hunk of them is in the tree compiled from */
	int present;     /* code it changes is in the binary */
	char **all;      /* every file its patches change */
	size_t nall;
	char **files;    /* the code files (.c, .h) its patches change */
	size_t nfiles;
	char **linked;   /* of them, those whose code is in the binary */
	size_t nlinked;
	char **applets;  /* whose code that is ("shared" for library code) */
	size_t napplets;
	const char *state; /* CycloneDX analysis.state: resolved (every hunk in
			    * the compiled tree, code linked), not_affected (no
			    * linked object compiled from a changed file),
			    * exploitable (code linked, a hunk missing), in_triage
			    * (the claiming patches change no code) */
	char *why;       /* the hunk evidence: all found, or the first missing */
};

struct bk_vex {
	struct bk_vuln *v;
	size_t n;
	const char *version, *platform;
};

/* known: every patch with a CVE this build is judged against; applied: the
 * tree's own record (bk_patchset_of_tree). bd: the build dir (its .config,
 * link map, .cmd files and source tree). */
int bk_vex_assess(const struct bk_patchset *known, const struct bk_patchset *applied,
		  struct bk_builddir *bd, struct bk_vex *vex, struct bkerr *e);
/* The CycloneDX 1.5 document (JSON, keys sorted, reproducible: the time is
 * SOURCE_DATE_EPOCH's) and the summary text; the caller frees both. */
char *bk_vex_json(const struct bk_vex *vex, const char *patches, long long epoch);
/* The same statements as an OpenVEX 0.2.0 document (context
 * https://openvex.dev/ns/v0.2.0, author bbkit, the time SOURCE_DATE_EPOCH's,
 * @id a digest of the rest): product busybox by the SBOM's purl (its
 * @id and identifiers.purl);
 * resolved -> fixed, not_affected -> not_affected
 * (vulnerable_code_not_present), exploitable -> affected (with an
 * action_statement), in_triage -> under_investigation; status_notes the
 * detail text. Keys sorted, reproducible; the caller frees. */
char *bk_openvex_json(const struct bk_vex *vex, const char *patches, long long epoch);
char *bk_vex_text(const struct bk_vex *vex, const char *patches);
/* "security: 6 fixes applied (ash 2, awk 4), 2 not applicable (applet not
 * built)" */
char *bk_vex_summary(const struct bk_vex *vex);
void bk_vex_free(struct bk_vex *vex);

#endif
