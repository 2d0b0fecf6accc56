/* OCI image layout: blobs, manifests, an image index, index.json.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "oci.h"
#include "archive.h"
#include "cdx.h"
#include "elf.h"
#include "fs.h"
#include "tables.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_LAYER "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_EMPTY "application/vnd.oci.empty.v1+json"
#define MT_CDX "application/vnd.cyclonedx+json"
#define MT_OPENVEX "application/vnd.openvex+json"

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
int bk_gzip_buf(const void *data, size_t len, char **out, size_t *outlen, struct bkerr *e)
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

/* What bk_oci_write learns from one platform's inputs, read once: the layer
 * and SBOM written are the bytes checked. */
struct input {
	char *tar, *sbom, *vex; /* the rootfs.tar, SBOM and OpenVEX as read */
	size_t tarlen, sbomlen, vexlen;
	int has_sh;       /* bin/sh: the image's Cmd */
	int setuid;       /* bin/busybox is 4755 */
	char busybox[65]; /* bin/busybox's sha256 */
};

/* A whole regular file (not a fifo or device that never ends). */
static int read_input(const char *what, const char *path, char **data, size_t *len,
		      struct bkerr *e)
{
	struct stat st;
	if (stat(path, &st))
		return errno == ENOENT ? bk_fail(e, BK_REQUEST, "%s%s: no such file", what, path)
				       : bk_fail_errno(e, BK_ENV, "%s%s: cannot stat", what, path);
	if (!S_ISREG(st.st_mode))
		return bk_fail(e, BK_REQUEST, "%s%s: not a regular file", what, path);
	return bk_read_file(path, data, len, e);
}

struct tar_name {
	char *name;
	int type; /* 'd', 'f', 'l' */
};

static int tar_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tar_name *)a)->name, ((const struct tar_name *)b)->name);
}

/* An entry's name as it lands under the root: "./" and a trailing "/"
 * dropped; NULL for the root itself; *bad says why a name cannot be one
 * (absolute, a "..", "." or empty component). */
static char *entry_name(const char *raw, const char **bad)
{
	char *n, *c;
	size_t l;
	*bad = NULL;
	if (raw[0] == '/') {
		*bad = "an absolute name";
		return NULL;
	}
	if (!strncmp(raw, "./", 2))
		raw += 2;
	n = bk_xstrdup(raw);
	l = strlen(n);
	while (l && n[l - 1] == '/')
		n[--l] = 0;
	if (!*n || !strcmp(n, ".")) {
		free(n);
		return NULL;
	}
	for (c = n;; c++) {
		size_t k = strcspn(c, "/");
		if (k == 0 || (k == 1 && c[0] == '.') || (k == 2 && c[0] == '.' && c[1] == '.')) {
			*bad = k == 2 ? "a \"..\" component (a name outside the root)"
				      : "an empty or \".\" component";
			free(n);
			return NULL;
		}
		c += k;
		if (!*c)
			break;
	}
	return n;
}

static const char *type_name(mode_t t)
{
	switch (t) {
	case AE_IFCHR: return "a character device";
	case AE_IFBLK: return "a block device";
	case AE_IFIFO: return "a fifo";
	case AE_IFSOCK: return "a socket";
	default: return "an entry of unknown type";
	}
}

/* One entry's checks: its kind and mode; bin/busybox read, hashed and
 * checked to be p's ELF. */
static int check_entry(struct archive *a, struct archive_entry *ent, const char *path,
		       const char *name, const struct platform *p, struct input *in, struct bkerr *e)
{
	mode_t t = archive_entry_filetype(ent), perm = archive_entry_perm(ent) & 07777;
	const char *hl = archive_entry_hardlink(ent);
	int busybox = !strcmp(name, "bin/busybox");
	if (hl)
		return bk_fail(e, BK_REQUEST,
			       "%s: %s: a hard link (to %s): a rootfs holds only regular files, "
			       "directories and symlinks",
			       path, name, hl);
	if (t != AE_IFREG && t != AE_IFDIR && t != AE_IFLNK)
		return bk_fail(e, BK_REQUEST,
			       "%s: %s: %s: a rootfs holds only regular files, directories and "
			       "symlinks",
			       path, name, type_name(t));
	if (perm & 02000)
		return bk_fail(e, BK_REQUEST, "%s: %s: setgid (mode %04o): bbkit never sets it", path,
			       name, (unsigned)perm);
	if ((perm & 04000) && (!busybox || t != AE_IFREG))
		return bk_fail(e, BK_REQUEST,
			       "%s: %s: setuid (mode %04o): only bin/busybox may be setuid", path,
			       name, (unsigned)perm);
	if ((perm & 04000) && perm != 04755)
		return bk_fail(e, BK_REQUEST,
			       "%s: %s: setuid with mode %04o: a setuid busybox is mode 4755", path,
			       name, (unsigned)perm);
	if ((perm & 04000) && archive_entry_uid(ent) != 0)
		return bk_fail(e, BK_REQUEST,
			       "%s: %s: setuid to uid %lld: a setuid busybox is root's (uid 0)", path,
			       name, (long long)archive_entry_uid(ent));
	if (!busybox)
		return 0;
	if (t != AE_IFREG)
		return bk_fail(e, BK_REQUEST, "%s: bin/busybox: not a regular file", path);
	in->setuid = (perm & 04000) != 0;
	{
		la_int64_t size = archive_entry_size(ent);
		char *data;
		la_ssize_t got;
		int r;
		if (size < 0 || size > (la_int64_t)1 << 30)
			return bk_fail(e, BK_REQUEST, "%s: bin/busybox: size %lld: not a busybox", path,
				       (long long)size);
		data = bk_xmalloc((size_t)size + 1);
		got = archive_read_data(a, data, (size_t)size);
		if (got != (la_ssize_t)size)
			r = bk_fail(e, BK_REQUEST, "%s: bin/busybox: truncated (%s)", path,
				    got < 0 ? archive_error_string(a) : "short");
		else if ((r = bk_sha256_buf(data, (size_t)size, in->busybox, e)))
			;
		else if (bk_elf_check_mem(data, (size_t)size, "bin/busybox", p, e))
			r = bk_fail(e, BK_REQUEST, "%s: %s; give the rootfs.tar built for %s", path,
				    e->msg, p->name);
		free(data);
		return r;
	}
}

/* A rootfs.tar as bbkit writes it, for platform p: a tar archive
 * (uncompressed) of regular files, directories and symlinks named inside
 * the root, each once, none under a symlink or a file; bin/busybox p's ELF,
 * setuid (4755) at most, setgid never; no hard links, devices or fifos. */
static int check_rootfs(const char *path, const struct platform *p, struct input *in,
			struct bkerr *e)
{
	struct archive *a;
	struct archive_entry *ent;
	struct tar_name *names = NULL;
	size_t n = 0;
	int r = 0, rc, busybox = 0;
	in->has_sh = in->setuid = 0;
	if ((r = read_input("", path, &in->tar, &in->tarlen, e)))
		return bk_fail(e, r, "%s; give the rootfs.tar that make or 'bbkit rootfs --out' wrote",
			       e->msg);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, in->tar, in->tarlen) != ARCHIVE_OK) {
		r = bk_fail(e, BK_REQUEST, "%s: not a tar archive (%s)", path, archive_error_string(a));
		goto out;
	}
	while (!r && (rc = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *raw = archive_entry_pathname(ent), *bad;
		char *name = raw ? entry_name(raw, &bad) : NULL;
		if (!raw)
			r = bk_fail(e, BK_REQUEST, "%s: an entry without a name", path);
		else if (bad)
			r = bk_fail(e, BK_REQUEST, "%s: %s: %s: a rootfs holds names relative to its root",
				    path, raw, bad);
		else if (!name) { /* the root: a directory */
			if (archive_entry_filetype(ent) != AE_IFDIR || archive_entry_hardlink(ent))
				r = bk_fail(e, BK_REQUEST, "%s: %s: the root, and not a directory", path,
					    raw);
		} else if (!(r = check_entry(a, ent, path, name, p, in, e))) {
			mode_t t = archive_entry_filetype(ent);
			names = bk_xrealloc(names, (n + 1) * sizeof *names);
			names[n].name = name;
			names[n++].type = t == AE_IFDIR ? 'd' : t == AE_IFLNK ? 'l' : 'f';
			busybox |= !strcmp(name, "bin/busybox");
			in->has_sh |= !strcmp(name, "bin/sh");
			name = NULL;
		}
		free(name);
	}
	if (r)
		goto out;
	if (rc != ARCHIVE_EOF) {
		r = bk_fail(e, BK_REQUEST, "%s: not a tar archive, or a damaged one (%s)", path,
			    archive_error_string(a));
		goto out;
	}
	if (!busybox) {
		r = bk_fail(e, BK_REQUEST, "%s: no bin/busybox in it: not a busybox rootfs", path);
		goto out;
	}
	if (n)
		qsort(names, n, sizeof *names, tar_name_cmp);
	for (size_t i = 0; !r && i < n; i++) {
		if (i && !strcmp(names[i].name, names[i - 1].name)) {
			r = bk_fail(e, BK_REQUEST,
				    "%s: %s: twice in the archive (the second would replace the first "
				    "when unpacked)",
				    path, names[i].name);
			break;
		}
		/* every directory above an entry is one (not a symlink: a name
		 * under it would land where the link points) */
		for (const char *s = strchr(names[i].name, '/'); !r && s; s = strchr(s + 1, '/')) {
			char *dir = bk_xasprintf("%.*s", (int)(s - names[i].name), names[i].name);
			struct tar_name key = {dir, 0}, *up;
			up = bsearch(&key, names, n, sizeof *names, tar_name_cmp);
			if (up && up->type != 'd')
				r = bk_fail(e, BK_REQUEST, "%s: %s: under %s, a %s", path, names[i].name,
					    dir, up->type == 'l' ? "symlink" : "regular file");
			free(dir);
		}
	}
out:
	if (r && !strstr(e->msg, "; give the"))
		bk_fail(e, r, "%s; give the rootfs.tar that make or 'bbkit rootfs --out' wrote", e->msg);
	for (size_t i = 0; i < n; i++)
		free(names[i].name);
	free(names);
	archive_read_free(a);
	return r;
}

/* jansson's reason without its "near 'TOKEN'": a file that is not JSON
 * (a password file given by mistake) is never quoted. */
static const char *json_why(json_error_t *je)
{
	char *near = strstr(je->text, " near ");
	if (near)
		*near = 0;
	return je->text;
}

/* A property's value in a CycloneDX properties array, or NULL. */
static const char *cdx_prop(json_t *props, const char *name)
{
	size_t i;
	json_t *pr;
	json_array_foreach(props, i, pr)
		if (json_is_string(json_object_get(pr, "name")) &&
		    !strcmp(json_string_value(json_object_get(pr, "name")), name))
			return json_string_value(json_object_get(pr, "value"));
	return NULL;
}

/* The SBOM of rootfs `in`, for p: a CycloneDX SBOM (not a VEX document) whose
 * metadata component is busybox, of platform p, whose hash is that of the
 * rootfs's bin/busybox; a setuid busybox needs it to name applets that need
 * setuid. */
static int check_sbom(const char *path, const char *rootfs, const struct platform *p,
		      struct input *in, struct bkerr *e)
{
	json_error_t je;
	json_t *doc, *meta, *comp, *h;
	const char *fmt, *plat, *cplat, *sha = NULL, *su;
	size_t i;
	int r = 0;
	if ((r = read_input("--sbom ", path, &in->sbom, &in->sbomlen, e)))
		return bk_fail(e, r, "%s; give the sbom.cdx.json make wrote", e->msg);
	/* one reading for every consumer: a key twice is refused */
	doc = json_loadb(in->sbom, in->sbomlen, JSON_REJECT_DUPLICATES, &je);
	fmt = json_string_value(json_object_get(doc, "bomFormat"));
	meta = json_object_get(doc, "metadata");
	comp = json_object_get(meta, "component");
	/* the document's platform and its component's: each one given is p */
	plat = cdx_prop(json_object_get(meta, "properties"), "bbkit:platform");
	cplat = cdx_prop(json_object_get(comp, "properties"), "bbkit:platform");
	if (!plat || (cplat && !strcmp(plat, p->name)))
		plat = cplat;
	/* every SHA-256 it gives the busybox is bin/busybox's: the first
	 * other one is the one named */
	json_array_foreach(json_object_get(comp, "hashes"), i, h)
		if (json_is_string(json_object_get(h, "alg")) &&
		    !strcmp(json_string_value(json_object_get(h, "alg")), "SHA-256")) {
			const char *c = json_string_value(json_object_get(h, "content"));
			if (!sha || !strcmp(sha, in->busybox))
				sha = c ? c : "(none)";
		}
	su = cdx_prop(json_object_get(comp, "properties"), "bbkit:setuid-applets");
	if (!doc)
		r = bk_fail(e, BK_REQUEST, "--sbom %s:%d: not JSON (%s)", path, je.line,
			    json_why(&je));
	else if (!fmt || strcmp(fmt, "CycloneDX"))
		r = bk_fail(e, BK_REQUEST, "--sbom %s: not a CycloneDX document (no \"bomFormat\": "
			    "\"CycloneDX\")", path);
	else if (json_object_get(doc, "vulnerabilities"))
		r = bk_fail(e, BK_REQUEST,
			    "--sbom %s: a VEX document (it has \"vulnerabilities\"), not an SBOM", path);
	else if (!json_is_string(json_object_get(comp, "name")) ||
		 strcmp(json_string_value(json_object_get(comp, "name")), "busybox"))
		r = bk_fail(e, BK_REQUEST,
			    "--sbom %s: its metadata.component is not busybox: not an SBOM of a "
			    "busybox",
			    path);
	else if (!plat)
		r = bk_fail(e, BK_REQUEST, "--sbom %s: names no platform (property bbkit:platform)",
			    path);
	else if (strcmp(plat, p->name))
		r = bk_fail(e, BK_REQUEST,
			    "--sbom %s: the SBOM of %s, given for %s (--sbom files go in the order "
			    "of the PLATFORM=ROOTFS.tar arguments)",
			    path, plat, p->name);
	else if (!sha)
		r = bk_fail(e, BK_REQUEST,
			    "--sbom %s: no SHA-256 of the busybox binary (metadata.component.hashes): "
			    "nothing ties it to %s's bin/busybox; write it again with 'bbkit sbom "
			    "--binary' (make does)",
			    path, rootfs);
	else if (strcmp(sha, in->busybox))
		r = bk_fail(e, BK_REQUEST,
			    "--sbom %s: the SBOM of another busybox (sha256 %.16s...), not of %s's "
			    "bin/busybox (sha256 %.16s...)",
			    path, sha, rootfs, in->busybox);
	else if (in->setuid && (!su || !*su))
		r = bk_fail(e, BK_REQUEST,
			    "%s: bin/busybox is setuid (mode 4755) but its SBOM %s names no applet "
			    "that needs setuid (bbkit:setuid-applets: only a busybox with "
			    "FEATURE_SUID=y, which drops privileges for the other applets, has "
			    "them); give a rootfs made without --suid",
			    rootfs, path);
	json_decref(doc);
	if (r && !strstr(e->msg, "; give") && !strstr(e->msg, "; write"))
		bk_fail(e, r, "%s; give the sbom.cdx.json make wrote", e->msg);
	return r;
}

/* The OpenVEX document of busybox `version` (what 'bbkit vex --openvex'
 * wrote): JSON, an OpenVEX @context, statements whose every product is
 * pkg:generic/busybox@version (the SBOM's purl). */
static int check_openvex(const char *path, const char *version, struct input *in,
			 struct bkerr *e)
{
	json_error_t je;
	json_t *doc, *st, *pr;
	const char *ctx;
	char *purl = bk_xasprintf("pkg:generic/busybox@%s", version);
	const char *other = NULL;
	size_t i, k;
	int r = 0;
	if ((r = read_input("--openvex ", path, &in->vex, &in->vexlen, e))) {
		free(purl);
		return bk_fail(e, r, "%s; give the vex.openvex.json make wrote", e->msg);
	}
	doc = json_loadb(in->vex, in->vexlen, JSON_REJECT_DUPLICATES, &je);
	ctx = json_string_value(json_object_get(doc, "@context"));
	json_array_foreach(json_object_get(doc, "statements"), i, st)
		json_array_foreach(json_object_get(st, "products"), k, pr) {
			const char *id = json_string_value(json_object_get(pr, "@id"));
			if (!other && (!id || strcmp(id, purl)))
				other = id ? id : "(none)";
		}
	if (!doc)
		r = bk_fail(e, BK_REQUEST, "--openvex %s:%d: not JSON (%s)", path, je.line,
			    json_why(&je));
	else if (!ctx || strncmp(ctx, "https://openvex.dev/ns", 22))
		r = bk_fail(e, BK_REQUEST,
			    "--openvex %s: not an OpenVEX document (no \"@context\": "
			    "\"https://openvex.dev/ns/...\")",
			    path);
	else if (!json_is_array(json_object_get(doc, "statements")))
		r = bk_fail(e, BK_REQUEST, "--openvex %s: no \"statements\" array", path);
	else if (other)
		r = bk_fail(e, BK_REQUEST,
			    "--openvex %s: a statement about %s, not busybox %s (%s)", path, other,
			    version, purl);
	json_decref(doc);
	free(purl);
	if (r)
		bk_fail(e, r, "%s; give the vex.openvex.json make wrote", e->msg);
	return r;
}

/* The blob path ("blobs/ALG/HEX") of a descriptor's digest, or NULL when it
 * is not one a layout can hold. */
static char *blob_path(json_t *desc)
{
	const char *d = json_string_value(json_object_get(desc, "digest")), *c;
	if (!d || !(c = strchr(d, ':')) || c == d || !c[1] ||
	    strspn(d, "abcdefghijklmnopqrstuvwxyz0123456789") != (size_t)(c - d) ||
	    strspn(c + 1, "0123456789abcdef") != strlen(c + 1))
		return NULL;
	return bk_xasprintf("blobs/%.*s/%s", (int)(c - d), d, c + 1);
}

static int is_json_type(const char *mt)
{
	size_t l = mt ? strlen(mt) : 0;
	return l > 5 && !strcmp(mt + l - 5, "+json");
}

/* Every blob a descriptor reaches (itself; what a JSON blob names by digest,
 * at any depth: manifests, config, layers, subject), added to *kept once. */
static void reach(const char *dir, json_t *desc, char ***kept, size_t *n)
{
	char *rel = blob_path(desc), *full;
	json_t *doc, *stack[64];
	size_t depth = 0;
	if (!rel)
		return;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*kept)[i], rel)) {
			free(rel);
			return;
		}
	*kept = bk_xrealloc(*kept, (*n + 1) * sizeof **kept);
	(*kept)[(*n)++] = rel;
	if (!is_json_type(json_string_value(json_object_get(desc, "mediaType"))))
		return;
	full = bk_xasprintf("%s/%s", dir, rel);
	doc = json_load_file(full, 0, NULL);
	free(full);
	if (!doc)
		return;
	/* a walk of the document's objects and arrays */
	stack[depth++] = doc;
	while (depth) {
		json_t *j = stack[--depth], *v;
		const char *k;
		size_t i;
		if (json_is_object(j)) {
			if (j != doc && json_is_string(json_object_get(j, "digest")))
				reach(dir, j, kept, n);
			json_object_foreach(j, k, v)
				if ((json_is_object(v) || json_is_array(v)) && depth < 64)
					stack[depth++] = v;
		} else
			json_array_foreach(j, i, v)
				if ((json_is_object(v) || json_is_array(v)) && depth < 64)
					stack[depth++] = v;
	}
	json_decref(doc);
}

/* What an earlier layout in outdir holds besides `ref`: its index.json's
 * other descriptors (another ref name, or none), in order, with *at the
 * place of ref's own (or their count), and every blob they reach. A layout
 * holds many images; bbkit replaces only its ref. */
static int other_refs(const char *outdir, const char *ref, json_t **others, size_t *at,
		      char ***kept, size_t *nkept, struct bkerr *e)
{
	char *p = bk_xasprintf("%s/index.json", outdir);
	json_error_t je;
	json_t *idx = NULL, *d;
	struct stat st;
	size_t i;
	int r = 0;
	*others = json_array();
	*at = (size_t)-1;
	if (lstat(p, &st)) {
		r = errno == ENOENT ? 0 : bk_fail_errno(e, BK_ENV, "%s: cannot stat", p);
		free(p);
		*at = 0;
		return r;
	}
	if (!S_ISREG(st.st_mode))
		r = bk_fail(e, BK_REQUEST,
			    "%s: not a regular file; bbkit updates only a layout whose index.json it "
			    "can read, keeping its other images: fix it, or remove the layout",
			    p);
	else if (!(idx = json_load_file(p, JSON_REJECT_DUPLICATES, &je)) ||
		 !json_is_array(json_object_get(idx, "manifests")))
		r = bk_fail(e, BK_REQUEST,
			    "%s:%d: not an OCI image index (%s); bbkit updates only a layout whose "
			    "index.json it can read, keeping its other images: fix it, or remove "
			    "the layout",
			    p, idx ? 1 : je.line, idx ? "no \"manifests\" array" : json_why(&je));
	else
		json_array_foreach(json_object_get(idx, "manifests"), i, d) {
			const char *name = json_string_value(json_object_get(
				json_object_get(d, "annotations"), "org.opencontainers.image.ref.name"));
			if (name && !strcmp(name, ref)) {
				if (*at == (size_t)-1)
					*at = json_array_size(*others);
				continue;
			}
			json_array_append(*others, d);
			reach(outdir, d, kept, nkept);
		}
	if (*at == (size_t)-1)
		*at = json_array_size(*others);
	json_decref(idx);
	free(p);
	return r;
}

/* The blobs of the other refs, into the new layout (hard links: the same
 * bytes; a copy across file systems). A blob the old layout lacks stays
 * lacking. */
static int keep_blobs(const char *from, const char *to, char **kept, size_t n, struct bkerr *e)
{
	int r = 0;
	for (size_t i = 0; !r && i < n; i++) {
		char *src = bk_xasprintf("%s/%s", from, kept[i]), *dst = bk_xasprintf("%s/%s", to, kept[i]);
		char *dir = bk_xstrdup(dst);
		*strrchr(dir, '/') = 0;
		struct stat st;
		/* a blob is a file: a symlink in the old layout is not followed */
		if (!lstat(src, &st) && S_ISREG(st.st_mode) && !bk_exists(dst) &&
		    !(r = bk_mkdirs(dir, 0755, e)) && link(src, dst))
			r = bk_copy_atomic(src, dst, 0644, 0, NULL, e);
		free(src);
		free(dst);
		free(dir);
	}
	return r;
}

/* One platform's image config (the same document in the layout and the
 * archive): its one layer's diff_id is the sha256 of rootfs.tar. */
static json_t *config_doc(const struct bk_oci_image *im, const struct input *in,
			  const struct bk_oci_meta *m, const char *diff)
{
	char *os, *arch, *variant, created[32];
	json_t *c = json_object(), *cc = json_object(), *rootfs = json_object();
	json_t *ids = json_array(), *hist = json_array(), *h = json_object();
	char *id = bk_xasprintf("sha256:%s", diff);
	bk_iso_time(m->created, created);
	bk_oci_platform(im->p->name, &os, &arch, &variant);
	json_object_set_new(cc, "Env", json_pack("[s]", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
	if (in->has_sh) /* without a shell, 'docker run IMAGE' needs its command */
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
	free(os);
	free(arch);
	free(variant);
	return c;
}

/* One platform's layer, config and manifest; its descriptor for the index. */
static json_t *image(const char *dir, const struct bk_oci_image *im, const struct input *in,
		     const struct bk_oci_meta *m, struct bkerr *e)
{
	char *gz = NULL, *os, *arch, *variant, diff[65];
	size_t gzlen = 0;
	json_t *layer = NULL, *config = NULL, *man = NULL, *plat;
	bk_oci_platform(im->p->name, &os, &arch, &variant);
	if (bk_sha256_buf(in->tar, in->tarlen, diff, e) ||
	    bk_gzip_buf(in->tar, in->tarlen, &gz, &gzlen, e) ||
	    !(layer = blob(dir, MT_LAYER, gz, gzlen, e)))
		goto out;
	if (!(config = json_blob(dir, MT_CONFIG, config_doc(im, in, m, diff), e)))
		goto out;
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
	free(gz);
	free(os);
	free(arch);
	free(variant);
	return man;
}

/* A document about the image `subject` (its SBOM, its OpenVEX) as an
 * artifact manifest of type mt that refers to it. */
static json_t *artifact(const char *dir, const char *mt, const char *data, size_t len,
			json_t *subject, struct bkerr *e)
{
	json_t *layer = NULL, *empty = NULL, *doc, *sub, *d = NULL;
	if (!(layer = blob(dir, mt, data, len, e)) || !(empty = blob(dir, MT_EMPTY, "{}", 2, e)))
		goto out;
	sub = json_pack("{s:O,s:O,s:O}", "mediaType", json_object_get(subject, "mediaType"), "digest",
			json_object_get(subject, "digest"), "size", json_object_get(subject, "size"));
	doc = json_pack("{s:i,s:s,s:s,s:O,s:[O],s:o}", "schemaVersion", 2, "mediaType", MT_MANIFEST,
			"artifactType", mt, "config", empty, "layers", layer, "subject", sub);
	if ((d = json_blob(dir, MT_MANIFEST, doc, e)))
		json_object_set_new(d, "artifactType", json_string(mt));
out:
	json_decref(layer);
	json_decref(empty);
	return d;
}

/* The new layout in dir: the images, their SBOMs, one index of them under
 * m->ref, placed at `at` among the other refs' descriptors `others` (whose
 * blobs `kept` come over from the old layout `old`). */
static int write_layout(const char *dir, const struct bk_oci_image *v, const struct input *in,
			size_t n, const struct bk_oci_meta *m, const char *old, json_t *others,
			size_t at, char **kept, size_t nkept, struct bkerr *e)
{
	json_t *mans = json_array(), *idx = NULL, *top, *d;
	char *blobs = bk_xasprintf("%s/blobs/sha256", dir), *p, *text;
	int r = bk_mkdirs(blobs, 0755, e);
	free(blobs);
	if (!r)
		r = keep_blobs(old, dir, kept, nkept, e);
	for (size_t i = 0; !r && i < n; i++) {
		if (!(d = image(dir, &v[i], &in[i], m, e)))
			r = e->code ? e->code : BK_ENV;
		else
			json_array_append_new(mans, d);
	}
	for (size_t i = 0; !r && i < n; i++) {
		if (!v[i].sbom)
			continue;
		if (!(d = artifact(dir, MT_CDX, in[i].sbom, in[i].sbomlen, json_array_get(mans, i), e)))
			r = e->code ? e->code : BK_ENV;
		else
			json_array_append_new(mans, d);
	}
	for (size_t i = 0; !r && i < n; i++) {
		if (!v[i].openvex)
			continue;
		if (!(d = artifact(dir, MT_OPENVEX, in[i].vex, in[i].vexlen, json_array_get(mans, i),
				   e)))
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
	json_array_insert_new(others, at, idx);
	json_object_set(top, "manifests", others);
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

/* An exclusive flock on the directory that holds path (held until *fd is
 * closed). */
static int lock_parent(const char *path, int *fd, struct bkerr *e)
{
	char *dir = bk_xstrdup(path), *slash;
	size_t l = strlen(dir);
	int r = 0;
	while (l > 1 && dir[l - 1] == '/')
		dir[--l] = 0;
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = 0;
	*fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		r = bk_fail_errno(e, BK_ENV, "%s: cannot open", slash ? dir : ".");
	else
		while (flock(*fd, LOCK_EX))
			if (errno != EINTR) {
				r = bk_fail_errno(e, BK_ENV, "%s: cannot lock", slash ? dir : ".");
				close(*fd);
				*fd = -1;
				break;
			}
	free(dir);
	return r;
}

/* Every input checked before anything is written, and read once: the
 * bytes checked are the bytes published. */
static int check_inputs(const struct bk_oci_image *v, size_t n, const struct bk_oci_meta *meta,
			struct input *in, struct bkerr *e)
{
	int r = 0;
	for (size_t i = 0; i < n && !r; i++) {
		r = check_rootfs(v[i].rootfs, v[i].p, &in[i], e);
		if (!r && v[i].openvex)
			r = check_openvex(v[i].openvex, meta->version, &in[i], e);
		if (!r && v[i].sbom)
			r = check_sbom(v[i].sbom, v[i].rootfs, v[i].p, &in[i], e);
		else if (!r && in[i].setuid)
			r = bk_fail(e, BK_REQUEST,
				    "%s: bin/busybox is setuid (mode 4755) and no --sbom names an "
				    "applet that needs it: give its --sbom (make's names them as "
				    "bbkit:setuid-applets), or a rootfs made without --suid",
				    v[i].rootfs);
	}
	return r;
}

int bk_oci_write(const char *outdir, const struct bk_oci_image *v, size_t n,
		 const struct bk_oci_meta *meta, struct bkerr *e)
{
	char *tmp, **kept = NULL;
	size_t nkept = 0, at = 0;
	json_t *others = NULL;
	struct input *in;
	int r, lock = -1;
	if (!bk_oci_ref_ok(meta->ref))
		return bk_fail(e, BK_REQUEST, "ref %s: not an OCI reference name", meta->ref);
	if ((r = bk_replaceable_dir(outdir, "oci-layout", "an OCI image layout", e)))
		return r;
	in = bk_xmalloc((n ? n : 1) * sizeof *in);
	memset(in, 0, (n ? n : 1) * sizeof *in);
	r = check_inputs(v, n, meta, in, e);
	/* one run at a time updates a layout (another's read-modify-write
	 * would drop the ref this one adds): a lock on the directory that
	 * holds it, which leaves no file behind */
	if (!r)
		r = lock_parent(outdir, &lock, e);
	/* an earlier layout (put back first if a run died inside its swap):
	 * every other image in it stays */
	if (!r) {
		bk_tmp_sweep(outdir);
		r = other_refs(outdir, meta->ref, &others, &at, &kept, &nkept, e);
	}
	if (!r) {
		tmp = bk_xasprintf("%s.tmp.%ld", outdir, (long)getpid());
		bk_rmtree(tmp);
		r = write_layout(tmp, v, in, n, meta, outdir, others, at, kept, nkept, e);
		if (!r)
			r = bk_replace_dir(tmp, outdir, e);
		if (r)
			bk_rmtree(tmp);
		free(tmp);
	}
	for (size_t i = 0; i < n; i++) {
		free(in[i].tar);
		free(in[i].sbom);
		free(in[i].vex);
	}
	free(in);
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	json_decref(others);
	if (lock >= 0)
		close(lock);
	return r;
}

/* lowercase letters and digits, one separator (. _ __ or dashes) between
 * two runs of them: a path component of a docker repository name */
static const char *path_component(const char *s)
{
	for (;;) {
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
			return NULL;
		while (islower((unsigned char)*s) || isdigit((unsigned char)*s))
			s++;
		if (!strncmp(s, "__", 2))
			s += 2;
		else if (*s == '.' || *s == '_')
			s++;
		else if (*s == '-')
			while (*s == '-')
				s++;
		else
			return s;
	}
}

/* a registry host: lowercase DNS labels joined by '.', optional :port */
static const char *domain(const char *s)
{
	for (;;) {
		const char *start = s;
		while (islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-')
			s++;
		if (s == start || *start == '-' || s[-1] == '-')
			return NULL;
		if (*s != '.')
			break;
		s++;
	}
	if (*s == ':') {
		const char *start = ++s;
		while (isdigit((unsigned char)*s))
			s++;
		if (s == start)
			return NULL;
	}
	return s;
}

char *bk_docker_default_tag(const char *ref, const char *version)
{
	char *tag = bk_xasprintf("bbkit/%s:%s", ref, version);
	for (char *s = tag; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	return tag;
}

int bk_docker_tag_ok(const char *t)
{
	const char *slash = strchr(t, '/'), *s = t, *colon;
	size_t len = strlen(t);
	if (!len || len > 255 + 1 + 128)
		return 0;
	/* a first component with '.' or ':' (or localhost) before a '/' is a
	 * registry host */
	if (slash && (memchr(t, '.', (size_t)(slash - t)) || memchr(t, ':', (size_t)(slash - t)) ||
		      ((size_t)(slash - t) == 9 && !strncmp(t, "localhost", 9)))) {
		if (!(s = domain(t)) || *s != '/')
			return 0;
		s++;
	}
	for (;;) {
		if (!(s = path_component(s)))
			return 0;
		if (*s != '/')
			break;
		s++;
	}
	if (!*s)
		return (size_t)(s - t) <= 255;
	if (*s != ':' || (size_t)(s - t) > 255)
		return 0;
	colon = ++s;
	if (!isalnum((unsigned char)*s) && *s != '_')
		return 0;
	while (isalnum((unsigned char)*s) || *s == '_' || *s == '.' || *s == '-')
		s++;
	return !*s && s - colon <= 128;
}

/* One tar entry (root-owned, the epoch's time) into a. */
static int tar_add(struct archive *a, const char *name, int dir, const void *data, size_t len,
		   long long t)
{
	struct archive_entry *ent = archive_entry_new();
	int r;
	archive_entry_set_pathname(ent, name);
	archive_entry_set_filetype(ent, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(ent, dir ? 0755 : 0644);
	archive_entry_set_size(ent, dir ? 0 : (la_int64_t)len);
	archive_entry_set_uid(ent, 0);
	archive_entry_set_gid(ent, 0);
	archive_entry_set_mtime(ent, (time_t)t, 0);
	r = archive_write_header(a, ent) != ARCHIVE_OK ||
	    (!dir && len && archive_write_data(a, data, len) != (la_ssize_t)len);
	archive_entry_free(ent);
	return r;
}

int bk_oci_archive(const char *path, const struct bk_oci_image *im, const struct bk_oci_meta *m,
		   const char *tag, int *has_cmd, struct bkerr *e)
{
	struct input in;
	char diff[65], cfghex[65], *cfg = NULL, *man = NULL, *repos = NULL, *buf = NULL;
	char *cfgname = NULL, *layername = NULL, *dirname_ = NULL, *fulltag = NULL;
	size_t cap, used = 0;
	struct archive *a = NULL;
	struct stat st;
	int r;
	if (!bk_docker_tag_ok(tag))
		return bk_fail(e, BK_REQUEST, "tag %s: not a docker reference", tag);
	if (!lstat(path, &st) && S_ISDIR(st.st_mode))
		return bk_fail(e, BK_REQUEST, "%s: a directory, not replaced: the archive is one file; give a file's "
			       "path (OUT/PROFILE/SLUG/image.tar)",
			       path);
	memset(&in, 0, sizeof in);
	if ((r = check_inputs(im, 1, m, &in, e)))
		goto out;
	*has_cmd = in.has_sh;
	/* RepoTags name a tag: the reference's, or latest */
	{
		const char *sl = strrchr(tag, '/'), *co = strrchr(tag, ':');
		fulltag = co && (!sl || co > sl) ? bk_xstrdup(tag) : bk_xasprintf("%s:latest", tag);
	}
	if ((r = bk_sha256_buf(in.tar, in.tarlen, diff, e)))
		goto out;
	{
		json_t *c = config_doc(im, &in, m, diff);
		cfg = json_dumps(c, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(c);
	}
	if (!cfg) {
		r = bk_fail(e, BK_ENV, "cannot render JSON");
		goto out;
	}
	if ((r = bk_sha256_buf(cfg, strlen(cfg), cfghex, e)))
		goto out;
	cfgname = bk_xasprintf("%s.json", cfghex);
	dirname_ = bk_xasprintf("%s/", diff);
	layername = bk_xasprintf("%s/layer.tar", diff);
	{
		/* what docker save writes: manifest.json, and the legacy
		 * repositories (repository -> tag -> top layer) older loaders read */
		char *co = strrchr(fulltag, ':');
		json_t *mj = json_pack("[{s:s,s:[s],s:[s]}]", "Config", cfgname, "RepoTags", fulltag,
				       "Layers", layername);
		json_t *rj;
		*co = 0;
		rj = json_pack("{s:{s:s}}", fulltag, co + 1, diff);
		*co = ':';
		man = json_dumps(mj, JSON_SORT_KEYS | JSON_COMPACT);
		repos = json_dumps(rj, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(mj);
		json_decref(rj);
	}
	cap = in.tarlen + strlen(cfg) + strlen(man) + strlen(repos) + 64 * 1024;
	buf = bk_xmalloc(cap);
	a = archive_write_new();
	archive_write_set_format_ustar(a);
	archive_write_add_filter_none(a);
	archive_write_set_bytes_per_block(a, 10240);
	if (archive_write_open_memory(a, buf, cap, &used) != ARCHIVE_OK ||
	    tar_add(a, dirname_, 1, NULL, 0, m->created) ||
	    tar_add(a, layername, 0, in.tar, in.tarlen, m->created) ||
	    tar_add(a, cfgname, 0, cfg, strlen(cfg), m->created) ||
	    tar_add(a, "manifest.json", 0, man, strlen(man), m->created) ||
	    tar_add(a, "repositories", 0, repos, strlen(repos), m->created) ||
	    archive_write_close(a) != ARCHIVE_OK) {
		r = bk_fail(e, BK_ENV, "%s: cannot write the archive: %s", path, archive_error_string(a));
		goto out;
	}
	r = bk_write_atomic(path, buf, used, 0644, 0, NULL, e);
out:
	if (a)
		archive_write_free(a);
	free(in.tar);
	free(in.sbom);
	free(in.vex);
	free(cfg);
	free(man);
	free(repos);
	free(buf);
	free(cfgname);
	free(layername);
	free(dirname_);
	free(fulltag);
	return r;
}
