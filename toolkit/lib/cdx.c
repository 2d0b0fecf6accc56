/* CycloneDX document frame and JSON text, shared by VEX and SBOM.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "cdx.h"
#include "archive.h"
#include "bk.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *bk_cdx_doc(const char *digest_of, json_t *meta)
{
	json_t *doc = json_object();
	struct bkerr e = {0, "", NULL, 0};
	char h[65], *sn;
	bk_sha256_buf(digest_of, strlen(digest_of), h, &e);
	free(e.more);
	h[12] = '5'; /* a version 5 style UUID */
	h[16] = "89ab"[h[16] % 4];
	sn = bk_xasprintf("urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
	json_object_set_new(doc, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(doc, "specVersion", json_string("1.5"));
	json_object_set_new(doc, "serialNumber", json_string(sn));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "metadata", meta);
	free(sn);
	return doc;
}

json_t *bk_cdx_busybox(const char *version)
{
	char *ref = bk_xasprintf("busybox@%s", version);
	char *purl = bk_xasprintf("pkg:generic/busybox@%s", version);
	char *cpe = bk_xasprintf("cpe:2.3:a:busybox:busybox:%s:*:*:*:*:*:*:*", version);
	json_t *c = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "application", "bom-ref", ref,
			      "name", "busybox", "version", version, "purl", purl, "cpe", cpe);
	free(ref);
	free(purl);
	free(cpe);
	return c;
}

void bk_iso_time(long long t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm = {0};
	/* t is in range (bk_epoch_parse); should it not be, a fixed time, never
	 * an uninitialised struct tm */
	if (t < 0 || t > BK_EPOCH_MAX || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(buf, "1970-01-01T00:00:00Z");
}

char *bk_json_text(json_t *doc)
{
	char *text = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2));
	char *withnl = bk_xasprintf("%s\n", text ? text : "{}");
	free(text);
	json_decref(doc);
	return withnl;
}
