/* An OCI image layout (oci.c) of a multi-platform image, written without a
 * daemon: one gzip layer per platform whose tar is that platform's
 * rootfs.tar, byte for byte; reproducible (the time is SOURCE_DATE_EPOCH's,
 * JSON keys sorted, gzip without a timestamp).
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_OCI_H
#define BBKIT_OCI_H

#include "bk.h"

struct platform;

struct bk_oci_image {
	const struct platform *p;
	const char *rootfs; /* rootfs.tar */
	const char *sbom;   /* its sbom.cdx.json, or NULL */
	const char *openvex; /* its vex.openvex.json, or NULL */
};

struct bk_oci_meta {
	const char *ref;      /* org.opencontainers.image.ref.name: the profile */
	const char *version;  /* busybox's */
	const char *revision; /* bbkit's git revision, or NULL */
	const char *title;
	long long created;    /* SOURCE_DATE_EPOCH */
};

/* Whether ref is an OCI reference name (org.opencontainers.image.ref.name:
 * letters and digits joined by one of - . _ : @ + or "--", components
 * separated by '/'). */
int bk_oci_ref_ok(const char *ref);
/* outdir (replaced atomically; only if absent, empty or an earlier layout):
 * oci-layout, index.json naming one image index (ref name meta->ref) of one
 * manifest per image, and per image with an SBOM an OCI 1.1 artifact
 * manifest (artifactType application/vnd.cyclonedx+json, subject: that
 * image's manifest) listed in the same index, as oras and cosign attach
 * SBOMs, and likewise per image with an OpenVEX document one of
 * artifactType application/vnd.openvex+json. An earlier layout keeps every other index.json entry (another ref
 * name, or none) and every blob those reach; meta->ref's entry is replaced
 * in place. Every rootfs and SBOM is read once and checked before anything
 * is written (BK_REQUEST naming the file and the entry): the rootfs a tar of
 * regular files, directories and symlinks named inside the root, each once,
 * none under a symlink or file, no hard links/devices/fifos, setgid never,
 * setuid only 4755 on bin/busybox and only with an SBOM naming setuid
 * applets; bin/busybox the platform's ELF; the SBOM CycloneDX, not VEX,
 * of busybox on that platform, its hash bin/busybox's sha256; the OpenVEX
 * document JSON with an OpenVEX @context and statements only about
 * pkg:generic/busybox@meta->version. */
int bk_oci_write(const char *outdir, const struct bk_oci_image *v, size_t n,
		 const struct bk_oci_meta *meta, struct bkerr *e);
/* Whether tag is a docker reference (RepoTags): an optional registry host
 * (lowercase, optional :port) then lowercase path components separated by
 * '/', each letters and digits joined by . _ __ or dashes, then an optional
 * :TAG ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}); no digest. */
int bk_docker_tag_ok(const char *tag);
/* The default RepoTag: bbkit/REF:VERSION, REF lowercased (a repository path
 * is); caller frees. */
char *bk_docker_default_tag(const char *ref, const char *version);
/* path (written atomically, temp and rename): a single-platform `docker
 * save` archive of im: manifest.json (Config, RepoTags [tag, with :latest
 * when it names none], Layers), repositories, the image config (the same
 * document bk_oci_write writes for that platform) and one layer, im's
 * rootfs.tar byte for byte, uncompressed; a ustar archive with fixed owners
 * and times (meta->created): reproducible. The inputs are checked as
 * bk_oci_write checks them. *has_cmd: whether the config has a Cmd
 * (["/bin/sh"], when the rootfs has bin/sh). */
int bk_oci_archive(const char *path, const struct bk_oci_image *im,
		   const struct bk_oci_meta *meta, const char *tag, int *has_cmd, struct bkerr *e);
/* gzip of data without name or time (the image layer's compression). */
int bk_gzip_buf(const void *data, size_t len, char **out, size_t *outlen, struct bkerr *e);
/* os/architecture/variant of a docker platform name: "linux/arm/v7" ->
 * "linux", "arm", "v7" (variant "" when it has none); the caller frees. */
void bk_oci_platform(const char *name, char **os, char **arch, char **variant);

/* What 'bbkit image' was given for its images (ociargs.c). */
struct bk_oci_words {
	const char *const *words; /* PLATFORM=ROOTFS.tar */
	int n;
	const char *const *sboms, *const *vexes; /* none, or one per word */
	int nsboms, nvexes;
	const char *archive; /* --archive FILE: one word only; or NULL */
};
/* v[i] for words[i] (dup[i] holds the word's copy that v[i] points into;
 * the caller frees dup[0..n)): a known platform, each once, its rootfs,
 * SBOM and OpenVEX document. A malformed word or count is BK_USAGE;
 * several platforms for one archive or an unknown one BK_REQUEST. */
int bk_oci_images_of(const struct bk_oci_words *w, struct bk_oci_image *v, char **dup,
		     struct bkerr *e);

#endif
