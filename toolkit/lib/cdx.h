/* What CycloneDX documents (vex.c, sbom.c) and other JSON outputs share.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_CDX_H
#define BBKIT_CDX_H

#include <jansson.h>

/* A CycloneDX 1.5 document: bomFormat, specVersion, version 1, a serial
 * number that is a digest of `digest_of` (the same statements, the same
 * serial), and meta (stolen). */
json_t *bk_cdx_doc(const char *digest_of, json_t *meta);
/* The busybox component both documents describe (type, bom-ref
 * busybox@VERSION, name, version, purl, cpe): one definition, so the VEX
 * and the SBOM always refer to the same component. */
json_t *bk_cdx_busybox(const char *version);
/* "2000-01-01T00:00:00Z" for t (buf of 32). */
void bk_iso_time(long long t, char *buf);
/* doc as text (keys sorted, indented, a final newline) and released. */
char *bk_json_text(json_t *doc);

#endif
