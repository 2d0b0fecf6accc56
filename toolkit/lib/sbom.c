/* CycloneDX 1.5 SBOM of a built busybox.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "sbom.h"
#include "cdx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *prop(const char *name, const char *value)
{
	return json_pack("{s:s,s:s}", "name", name, "value", value);
}

static json_t *license_id(const char *id)
{
	return json_pack("[{s:{s:s}}]", "license", "id", id);
}

static json_t *license_expr(const char *expr)
{
	return json_pack("[{s:s}]", "expression", expr);
}

static json_t *sha256(const char *hex)
{
	return json_pack("[{s:s,s:s}]", "alg", "SHA-256", "content", hex);
}

static json_t *busybox(const struct bk_sbom_in *in)
{
	json_t *c = bk_cdx_busybox(in->version), *props = json_array(), *ext = json_array();
	char *dl = bk_xasprintf("https://busybox.net/downloads/busybox-%s.tar.bz2", in->version);
	char *apps = bk_strv_join(in->applets, in->napplets, " ");
	json_object_set_new(c, "licenses", license_id("GPL-2.0-only"));
	{
		/* the pristine tarball: the same bytes as Debian's orig tarball */
		json_t *d = json_pack("{s:s,s:s,s:o}", "type", "distribution", "url", dl, "hashes",
				      sha256(in->source_sha256));
		json_object_set_new(d, "comment", json_string(in->source_file));
		json_array_append_new(ext, d);
		json_array_append_new(ext, json_pack("{s:s,s:s}", "type", "vcs", "url",
						     "https://git.busybox.net/busybox"));
	}
	json_object_set_new(c, "externalReferences", ext);
	/* the binary itself: what bbkit image matches against the rootfs */
	if (in->binary_sha256)
		json_object_set_new(c, "hashes", sha256(in->binary_sha256));
	json_array_append_new(props, prop("bbkit:platform", in->platform));
	/* packed: the stripped binary it unpacks to, a property (a second
	 * SHA-256 in hashes would say the component is two files) */
	if (in->unpacked_sha256)
		json_array_append_new(props, prop("bbkit:unpacked:sha256", in->unpacked_sha256));
	json_array_append_new(props, prop("bbkit:applets", apps));
	json_array_append_new(props, prop("bbkit:config:sha256", in->config_sha256));
	/* every patch the tree compiled from, CVE or not: "origin name sha256" */
	for (size_t i = 0; in->patches && i < in->patches->n; i++) {
		const struct bk_patch *p = &in->patches->v[i];
		char *v = bk_xasprintf("%s %s %s", p->origin, p->name, p->sha256);
		json_array_append_new(props, prop("bbkit:patch", v));
		free(v);
	}
	if (in->setuid_applets && *in->setuid_applets)
		json_array_append_new(props, prop("bbkit:setuid-applets", in->setuid_applets));
	json_object_set_new(c, "properties", props);
	if (in->patches && in->patches->n) {
		json_t *patches = json_array();
		for (size_t i = 0; i < in->patches->n; i++) {
			const struct bk_patch *p = &in->patches->v[i];
			json_t *res = json_array();
			for (size_t k = 0; k < p->ncves; k++) {
				char *url = bk_xasprintf("https://nvd.nist.gov/vuln/detail/%s", p->cves[k]);
				json_array_append_new(
					res, json_pack("{s:s,s:s,s:s,s:{s:s,s:s}}", "type", "security",
						       "id", p->cves[k], "name", p->name, "source",
						       "name", "NVD", "url", url));
				free(url);
			}
			json_array_append_new(
				patches, json_pack("{s:s,s:o}", "type",
						   strcmp(p->origin, "debian") ? "unofficial" : "backport",
						   "resolves", res));
		}
		json_object_set_new(c, "pedigree", json_pack("{s:o}", "patches", patches));
	}
	free(dl);
	free(apps);
	return c;
}

/* One line of .bbkit-sources as a component: musl, libgcc or the Linux
 * UAPI headers. */
static json_t *from_sysroot(char *line)
{
	char *f[5] = {0}, *save = NULL;
	int n = 0;
	for (char *t = strtok_r(line, " ", &save); t && n < 5; t = strtok_r(NULL, " ", &save))
		f[n++] = t;
	if (n == 4 && !strcmp(f[0], "src")) { /* src musl VERSION SHA256 */
		char *ref = bk_xasprintf("%s@%s", f[1], f[2]);
		char *purl = bk_xasprintf("pkg:generic/%s@%s", f[1], f[2]);
		char *url = bk_xasprintf("https://musl.libc.org/releases/%s-%s.tar.gz", f[1], f[2]);
		json_t *c = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:[{s:s,s:s,s:o}]}", "type",
				      "library", "bom-ref", ref, "name", f[1], "version", f[2],
				      "purl", purl, "licenses", license_id("MIT"), "description",
				      "built from its pristine source tarball with clang",
				      "externalReferences", "type", "distribution", "url", url,
				      "hashes", sha256(f[3]));
		free(ref);
		free(purl);
		free(url);
		return c;
	}
	if (n == 5 && !strcmp(f[0], "deb")) { /* deb NAME VERSION ARCH SHA256 */
		const char *name = f[1], *lic = "MIT", *what = "musl";
		char *ref, *purl;
		json_t *c;
		if (!strncmp(name, "libgcc-", 7)) {
			what = "libgcc";
			lic = "GPL-3.0-or-later WITH GCC-exception-3.1";
		} else if (!strncmp(name, "linux-libc-dev", 14)) {
			what = "linux-uapi-headers";
			lic = "GPL-2.0-only WITH Linux-syscall-note";
		}
		ref = bk_xasprintf("%s@%s", name, f[2]);
		purl = bk_xasprintf("pkg:deb/debian/%s@%s?arch=%s", name, f[2], f[3]);
		c = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "type", "library", "bom-ref", ref,
			      "name", name, "version", f[2], "purl", purl, "hashes", sha256(f[4]),
			      "licenses", license_expr(lic));
		json_object_set_new(c, "description", json_string(what));
		free(ref);
		free(purl);
		return c;
	}
	return NULL;
}

char *bk_sbom_json(const struct bk_sbom_in *in)
{
	json_t *doc, *meta = json_object(), *comps = json_array();
	json_t *tools = json_array(), *deps = json_array(), *dep_on = json_array();
	json_t *bb = busybox(in);
	char *ref = bk_xstrdup(json_string_value(json_object_get(bb, "bom-ref"))), ts[32];
	char *text = bk_xstrdup(in->sysroot_sources ? in->sysroot_sources : ""), *save = NULL;
	bk_iso_time(in->created, ts);
	char *lines[16];
	size_t nl = 0;
	for (char *l = strtok_r(text, "\n", &save); l && nl < 16; l = strtok_r(NULL, "\n", &save))
		lines[nl++] = l;
	/* in name order, whatever order the packages were unpacked in */
	if (nl)
		qsort(lines, nl, sizeof *lines, bk_cmp_str);
	for (size_t i = 0; i < nl; i++) {
		json_t *c = from_sysroot(lines[i]);
		if (c) {
			json_array_append_new(dep_on, json_string(json_string_value(json_object_get(c, "bom-ref"))));
			json_array_append_new(comps, c);
		}
	}
	json_array_append_new(tools, json_pack("{s:s,s:s}", "type", "application", "name", "bbkit"));
	for (int i = 0; i < 4 && in->tools[i][0]; i++)
		json_array_append_new(tools, json_pack("{s:s,s:s,s:s}", "type", "application", "name",
						       in->tools[i][0], "version", in->tools[i][1]));
	json_object_set_new(meta, "timestamp", json_string(ts));
	json_object_set_new(meta, "tools", json_pack("{s:o}", "components", tools));
	json_object_set_new(meta, "component", bb);
	json_object_set_new(meta, "properties",
			    json_pack("[o]", prop("bbkit:platform", in->platform)));
	json_array_append_new(deps, json_pack("{s:s,s:o}", "ref", ref, "dependsOn", dep_on));
	{
		/* a digest of what the document says, as the serial number */
		char *body = json_dumps(comps, JSON_SORT_KEYS | JSON_COMPACT);
		char *all = bk_xasprintf("%s %s %s %s %s", in->version, in->platform,
					 in->config_sha256, in->source_sha256, body ? body : "");
		doc = bk_cdx_doc(all, meta);
		free(all);
		free(body);
	}
	json_object_set_new(doc, "components", comps);
	json_object_set_new(doc, "dependencies", deps);
	free(ref);
	free(text);
	return bk_json_text(doc);
}
