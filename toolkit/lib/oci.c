/* OCI image layout: blobs, manifests, an image index, index.json.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "oci.h"
#include "cdx.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_LAYER "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_EMPTY "application/vnd.oci.empty.v1+json"
#define MT_CDX "application/vnd.cyclonedx+json"

void bk_oci_platform(const char *name, char **os, char **arch, char **variant)
{
	char *dup = bk_xstrdup(name), *a = strchr(dup, '/'), *v = a ? strchr(a + 1, '/') : NULL;
	if (a)
		*a++ = 0;
	if (v)
		*v++ = 0;
	*os = bk_xstrdup(dup);
	*arch = bk_xstrdup(a ? a : "");
	*variant = bk_xstrdup(v ? v : "");
	free(dup);
}

/* A blob: data stored as blobs/sha256/<digest>; its descriptor. */
static json_t *blob(const char *dir, const char *mediatype, const void *data, size_t len,
		    struct bkerr *e)
{
	char hex[65], *path;
	json_t *d;
	if (bk_sha256_buf(data, len, hex, e))
		return NULL;
	path = bk_xasprintf("%s/blobs/sha256/%s", dir, hex);
	if (bk_write_atomic(path, data, len, 0644, 1, NULL, e)) {
		free(path);
		return NULL;
	}
	free(path);
	d = json_object();
	json_object_set_new(d, "mediaType", json_string(mediatype));
	{
		char *digest = bk_xasprintf("sha256:%s", hex);
		json_object_set_new(d, "digest", json_string(digest));
		free(digest);
	}
	json_object_set_new(d, "size", json_integer((json_int_t)len));
	return d;
}

/* JSON as a blob (compact, keys sorted: the same content, the same digest). */
static json_t *json_blob(const char *dir, const char *mediatype, json_t *doc, struct bkerr *e)
{
	char *text = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
	json_t *d = text ? blob(dir, mediatype, text, strlen(text), e) : NULL;
	if (!text)
		bk_fail(e, BK_ENV, "cannot render JSON");
	free(text);
	json_decref(doc);
	return d;
}

/* gzip of data (no name, no timestamp: reproducible), with libarchive. */
static int gzip_buf(const void *data, size_t len, char **out, size_t *outlen, struct bkerr *e)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ent = archive_entry_new();
	size_t cap = len + len / 100 + 65536, used = 0;
	char *buf = bk_xmalloc(cap);
	int r = 0;
	archive_write_add_filter_gzip(a);
	/* libarchive writes the time into the gzip header unless told not to */
	if (archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK) {
		free(buf);
		archive_entry_free(ent);
		r = bk_fail(e, BK_ENV, "gzip: cannot drop the timestamp: %s", archive_error_string(a));
		archive_write_free(a);
		return r;
	}
	archive_write_set_format_raw(a);
	archive_write_set_bytes_in_last_block(a, 1);
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_size(ent, (la_int64_t)len);
	if (archive_write_open_memory(a, buf, cap, &used) != ARCHIVE_OK ||
	    archive_write_header(a, ent) != ARCHIVE_OK ||
	    archive_write_data(a, data, len) != (la_ssize_t)len || archive_write_close(a) != ARCHIVE_OK)
		r = bk_fail(e, BK_ENV, "gzip: %s", archive_error_string(a));
	archive_entry_free(ent);
	archive_write_free(a);
	if (r) {
		free(buf);
		return r;
	}
	*out = buf;
	*outlen = used;
	return 0;
}

static json_t *labels(const struct bk_oci_meta *m)
{
	json_t *l = json_object();
	json_object_set_new(l, "org.opencontainers.image.title", json_string(m->title));
	json_object_set_new(l, "org.opencontainers.image.version", json_string(m->version));
	json_object_set_new(l, "org.opencontainers.image.licenses", json_string("GPL-2.0-only"));
	json_object_set_new(l, "org.opencontainers.image.source",
			    json_string("https://git.busybox.net/busybox"));
	json_object_set_new(l, "org.opencontainers.image.ref.name", json_string(m->ref));
	if (m->revision && *m->revision)
		json_object_set_new(l, "org.opencontainers.image.revision", json_string(m->revision));
	return l;
}

/* A rootfs.tar as bbkit writes it: a tar archive (uncompressed) with
 * bin/busybox; whether it has bin/sh (the image's Cmd). */
static int check_rootfs(const char *path, int *has_sh, struct bkerr *e)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	int r = 0, rc, busybox = 0;
	*has_sh = 0;
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		r = archive_errno(a) == ENOENT ? bk_fail(e, BK_REQUEST, "%s: no such file", path)
				    : bk_fail(e, BK_REQUEST, "%s: not a tar archive (%s)", path,
					      archive_error_string(a));
		goto out;
	}
	while ((rc = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ent);
		if (!strncmp(name, "./", 2))
			name += 2;
		busybox |= !strcmp(name, "bin/busybox");
		*has_sh |= !strcmp(name, "bin/sh");
	}
	if (rc != ARCHIVE_EOF)
		r = bk_fail(e, BK_REQUEST, "%s: not a tar archive, or a damaged one (%s)", path,
			    archive_error_string(a));
	else if (!busybox)
		r = bk_fail(e, BK_REQUEST, "%s: no bin/busybox in it: not a busybox rootfs", path);
out:
	if (r)
		bk_fail(e, r, "%s; give the rootfs.tar that make or 'bbkit rootfs --out' wrote", e->msg);
	archive_read_free(a);
	return r;
}

/* An SBOM to attach: a CycloneDX JSON document. */
static int check_sbom(const char *path, struct bkerr *e)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	const char *fmt = doc ? json_string_value(json_object_get(doc, "bomFormat")) : NULL;
	int r = 0;
	if (!doc)
		r = bk_fail(e, BK_REQUEST, "--sbom %s:%d: not JSON (%s); give the sbom.cdx.json make wrote",
			    path, je.line, je.text);
	else if (!fmt || strcmp(fmt, "CycloneDX"))
		r = bk_fail(e, BK_REQUEST,
			    "--sbom %s: not a CycloneDX document (no \"bomFormat\": \"CycloneDX\"); give "
			    "the sbom.cdx.json make wrote",
			    path);
	json_decref(doc);
	return r;
}

/* One platform's layer, config and manifest; its descriptor for the index. */
static json_t *image(const char *dir, const struct bk_oci_image *im, const struct bk_oci_meta *m,
		     int has_sh, struct bkerr *e)
{
	char *tar = NULL, *gz = NULL, *os, *arch, *variant, diff[65], created[32];
	size_t tarlen = 0, gzlen = 0;
	json_t *layer = NULL, *config = NULL, *man = NULL, *plat;
	bk_iso_time(m->created, created);
	bk_oci_platform(im->p->name, &os, &arch, &variant);
	if (bk_read_file(im->rootfs, &tar, &tarlen, e) || bk_sha256_buf(tar, tarlen, diff, e) ||
	    gzip_buf(tar, tarlen, &gz, &gzlen, e) || !(layer = blob(dir, MT_LAYER, gz, gzlen, e)))
		goto out;
	{
		json_t *c = json_object(), *cc = json_object(), *rootfs = json_object();
		json_t *ids = json_array(), *hist = json_array(), *h = json_object();
		char *id = bk_xasprintf("sha256:%s", diff);
		json_object_set_new(cc, "Env", json_pack("[s]", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
		if (has_sh) /* without a shell, 'docker run IMAGE' needs its command */
			json_object_set_new(cc, "Cmd", json_pack("[s]", "/bin/sh"));
		json_object_set_new(cc, "Labels", labels(m));
		json_array_append_new(ids, json_string(id));
		json_object_set_new(rootfs, "type", json_string("layers"));
		json_object_set_new(rootfs, "diff_ids", ids);
		json_object_set_new(h, "created", json_string(created));
		json_object_set_new(h, "created_by", json_string("bbkit image: rootfs.tar"));
		json_array_append_new(hist, h);
		json_object_set_new(c, "created", json_string(created));
		json_object_set_new(c, "os", json_string(os));
		json_object_set_new(c, "architecture", json_string(arch));
		if (*variant)
			json_object_set_new(c, "variant", json_string(variant));
		json_object_set_new(c, "config", cc);
		json_object_set_new(c, "rootfs", rootfs);
		json_object_set_new(c, "history", hist);
		free(id);
		if (!(config = json_blob(dir, MT_CONFIG, c, e)))
			goto out;
	}
	{
		json_t *doc = json_object(), *layers = json_array();
		json_array_append(layers, layer);
		json_object_set_new(doc, "schemaVersion", json_integer(2));
		json_object_set_new(doc, "mediaType", json_string(MT_MANIFEST));
		json_object_set(doc, "config", config);
		json_object_set_new(doc, "layers", layers);
		if (!(man = json_blob(dir, MT_MANIFEST, doc, e)))
			goto out;
	}
	plat = json_object();
	json_object_set_new(plat, "os", json_string(os));
	json_object_set_new(plat, "architecture", json_string(arch));
	if (*variant)
		json_object_set_new(plat, "variant", json_string(variant));
	json_object_set_new(man, "platform", plat);
out:
	json_decref(layer);
	json_decref(config);
	free(tar);
	free(gz);
	free(os);
	free(arch);
	free(variant);
	return man;
}

/* The SBOM of the image `subject` as an artifact manifest that refers to it. */
static json_t *sbom_artifact(const char *dir, const char *sbom, json_t *subject, struct bkerr *e)
{
	char *text = NULL;
	size_t len;
	json_t *layer = NULL, *empty = NULL, *doc, *sub, *d = NULL;
	if (bk_read_file(sbom, &text, &len, e) || !(layer = blob(dir, MT_CDX, text, len, e)) ||
	    !(empty = blob(dir, MT_EMPTY, "{}", 2, e)))
		goto out;
	sub = json_pack("{s:O,s:O,s:O}", "mediaType", json_object_get(subject, "mediaType"), "digest",
			json_object_get(subject, "digest"), "size", json_object_get(subject, "size"));
	doc = json_pack("{s:i,s:s,s:s,s:O,s:[O],s:o}", "schemaVersion", 2, "mediaType", MT_MANIFEST,
			"artifactType", MT_CDX, "config", empty, "layers", layer, "subject", sub);
	if ((d = json_blob(dir, MT_MANIFEST, doc, e)))
		json_object_set_new(d, "artifactType", json_string(MT_CDX));
out:
	json_decref(layer);
	json_decref(empty);
	free(text);
	return d;
}

static int write_layout(const char *dir, const struct bk_oci_image *v, const int *has_sh, size_t n,
			const struct bk_oci_meta *m, struct bkerr *e)
{
	json_t *mans = json_array(), *idx = NULL, *top, *d;
	char *blobs = bk_xasprintf("%s/blobs/sha256", dir), *p, *text;
	int r = bk_mkdirs(blobs, 0755, e);
	free(blobs);
	for (size_t i = 0; !r && i < n; i++) {
		if (!(d = image(dir, &v[i], m, has_sh[i], e)))
			r = e->code ? e->code : BK_ENV;
		else
			json_array_append_new(mans, d);
	}
	for (size_t i = 0; !r && i < n; i++) {
		if (!v[i].sbom)
			continue;
		if (!(d = sbom_artifact(dir, v[i].sbom, json_array_get(mans, i), e)))
			r = e->code ? e->code : BK_ENV;
		else
			json_array_append_new(mans, d);
	}
	if (!r) {
		json_t *doc = json_object();
		json_object_set_new(doc, "schemaVersion", json_integer(2));
		json_object_set_new(doc, "mediaType", json_string(MT_INDEX));
		json_object_set_new(doc, "manifests", mans);
		mans = NULL;
		if (!(idx = json_blob(dir, MT_INDEX, doc, e)))
			r = e->code ? e->code : BK_ENV;
	}
	json_decref(mans);
	if (r)
		return r;
	json_object_set_new(idx, "annotations",
			    json_pack("{s:s}", "org.opencontainers.image.ref.name", m->ref));
	top = json_object();
	json_object_set_new(top, "schemaVersion", json_integer(2));
	json_object_set_new(top, "mediaType", json_string(MT_INDEX));
	json_object_set_new(top, "manifests", json_pack("[o]", idx));
	text = bk_json_text(top);
	p = bk_xasprintf("%s/index.json", dir);
	r = bk_write_atomic(p, text, strlen(text), 0644, 0, NULL, e);
	free(p);
	free(text);
	if (!r) {
		static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
		p = bk_xasprintf("%s/oci-layout", dir);
		r = bk_write_atomic(p, layout, sizeof layout - 1, 0644, 0, NULL, e);
		free(p);
	}
	return r;
}

int bk_oci_ref_ok(const char *ref)
{
	/* ref ::= component ("/" component)*; component ::= alphanum (separator
	 * alphanum)*; alphanum ::= [A-Za-z0-9]+; separator ::= [-._:@+] | "--"
	 * (the OCI image spec's grammar for org.opencontainers.image.ref.name) */
	const char *s = ref;
	for (;;) {
		if (!isalnum((unsigned char)*s))
			return 0;
		while (isalnum((unsigned char)*s))
			s++;
		if (!*s)
			return 1;
		if (!strncmp(s, "--", 2))
			s += 2;
		else if (strchr("-._:@+/", *s))
			s++;
		else
			return 0;
	}
}

int bk_oci_write(const char *outdir, const struct bk_oci_image *v, size_t n,
		 const struct bk_oci_meta *meta, struct bkerr *e)
{
	char *tmp;
	int r, *has_sh;
	if (!bk_oci_ref_ok(meta->ref))
		return bk_fail(e, BK_REQUEST, "ref %s: not an OCI reference name", meta->ref);
	if ((r = bk_replaceable_dir(outdir, "oci-layout", "an OCI image layout", e)))
		return r;
	/* every input checked before anything is written; a rootfs is read for
	 * its entries once, here (whether it has the shell the Cmd names) */
	has_sh = bk_xmalloc((n ? n : 1) * sizeof *has_sh);
	for (size_t i = 0; i < n && !r; i++) {
		r = check_rootfs(v[i].rootfs, &has_sh[i], e);
		if (!r && v[i].sbom)
			r = check_sbom(v[i].sbom, e);
	}
	if (r) {
		free(has_sh);
		return r;
	}
	tmp = bk_xasprintf("%s.tmp.%ld", outdir, (long)getpid());
	bk_tmp_sweep(outdir);
	bk_rmtree(tmp);
	r = write_layout(tmp, v, has_sh, n, meta, e);
	free(has_sh);
	if (!r)
		r = bk_replace_dir(tmp, outdir, e);
	if (r)
		bk_rmtree(tmp);
	free(tmp);
	return r;
}
