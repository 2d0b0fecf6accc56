/* bbkit image: an OCI image layout of the platforms' rootfs.tar (lib/oci.c).
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "bbkit.h"
#include "lib/oci.h"
#include "lib/tables.h"

#include <stdlib.h>
#include <string.h>

static const char image_usage[] =
	"usage: bbkit image --out DIR --ref NAME --version V [--revision R] [--title T]\n"
	"                   [--sbom FILE]... [--openvex FILE]... PLATFORM=ROOTFS.tar...\n"
	"       bbkit image --archive FILE [--tag REPO[:TAG]] --ref NAME --version V\n"
	"                   [--revision R] [--title T] [--sbom FILE] [--openvex FILE]\n"
	"                   PLATFORM=ROOTFS.tar\n\n"
	"Write DIR as an OCI image layout (oci-layout, index.json, blobs/sha256/):\n"
	"index.json names one image index, annotated org.opencontainers.image.ref.name\n"
	"NAME, with one image manifest per PLATFORM: its config has os, architecture\n"
	"and variant, Env PATH=/usr/sbin:/usr/bin:/sbin:/bin, Cmd [\"/bin/sh\"] (when\n"
	"ROOTFS has bin/sh), created from SOURCE_DATE_EPOCH and the\n"
	"org.opencontainers.image labels\n"
	"(title, version, revision, source, licenses GPL-2.0-only); its one layer is\n"
	"ROOTFS.tar gzip-compressed (no timestamp). Reproducible: the same inputs give\n"
	"the same bytes. DIR is replaced atomically (one exchange of directories,\n"
	"signals held); a failure leaves the old one. DIR must be absent, empty or\n"
	"an earlier layout (with oci-layout): a directory of yours is never\n"
	"deleted; in a layout, only NAME's entry is replaced: every other image\n"
	"(another ref name, or none) and the blobs it reaches stay.\n"
	"Every input is checked before anything is written: ROOTFS a tar archive\n"
	"of regular files, directories and symlinks only (no hard links, devices\n"
	"or fifos), names relative and inside the root, each once, none under a\n"
	"symlink; bin/busybox an ELF of PLATFORM's machine, class and byte order,\n"
	"setgid never, setuid (4755) only with an --sbom naming applets that need\n"
	"it; nothing else setuid. An --sbom is the CycloneDX SBOM 'bbkit sbom\n"
	"--binary' wrote (make does): not a VEX document, busybox's, of PLATFORM\n"
	"(bbkit:platform), whose busybox hash is the sha256 of ROOTFS's\n"
	"bin/busybox.\n"
	"--sbom FILE (one per PLATFORM, in order): the platform's CycloneDX SBOM as\n"
	"an OCI 1.1 artifact manifest whose subject is its image, listed in the\n"
	"same index (what oras discover and cosign read).\n"
	"--openvex FILE (one per PLATFORM, in order): the platform's OpenVEX document\n"
	"('bbkit vex --openvex' wrote it: an OpenVEX @context, every statement's\n"
	"product pkg:generic/busybox@V) attached the same way, artifactType\n"
	"application/vnd.openvex+json.\n"
	"Use it with skopeo: skopeo copy --all oci:DIR:NAME docker://REGISTRY/NAME\n\n"
	"--archive FILE: instead of a layout, FILE is a single-platform `docker save`\n"
	"archive, what RouterOS (/container add file=...), docker load and podman load\n"
	"take: manifest.json (Config, RepoTags [TAG], Layers), repositories, the image\n"
	"config (the same document as the layout's, Cmd only with bin/sh) and one\n"
	"layer, ROOTFS.tar byte for byte (uncompressed). Reproducible, written to a\n"
	"temp file and renamed (a symlink at FILE is replaced, never followed).\n"
	"One PLATFORM per archive: RouterOS cannot take a multi-platform image, and\n"
	"docker load loads one platform; several are refused (exit 1).\n"
	"--tag REPO[:TAG]: the RepoTag (default bbkit/NAME:V, NAME lowercased):\n"
	"a docker reference, lowercase repository path (an optional registry host\n"
	"first), an optional :TAG (latest when none), no digest.\n";

int cmd_image(struct ctx *c, int argc, char **argv, struct bkerr *e)
{
	const char *out = NULL, *title = NULL, *args[32], *sboms[32], *vexes[32];
	const char *archive = NULL, *tag = NULL;
	char *deftag = NULL;
	int nsboms = 0, nvexes = 0;
	struct bk_oci_meta m = {0};
	struct bk_oci_image v[32];
	const struct opt opts[] = {
		{.name = "--out", .kind = OPT_VALUE, .dst = &out, .need = "--archive", .group = 1,
		 .arg = "DIR", .help = "the OCI image layout to write (or update: NAME's entry)"},
		{.name = "--archive", .kind = OPT_VALUE, .dst = &archive, .group = 1, .arg = "FILE",
		 .help = "a single-platform `docker save` archive instead"},
		/* a layout's name is --ref */
		{.name = "--tag", .kind = OPT_VALUE, .dst = &tag, .with = "--archive",
		 .arg = "REPO[:TAG]", .help = "the archive's RepoTag (default bbkit/NAME:V)"},
		OPT_REQ("--ref", &m.ref, "NAME", "the ref name (org.opencontainers.image.ref.name)"),
		OPT_REQ("--version", &m.version, "V", "the busybox version (image label)"),
		OPT_V("--revision", &m.revision, "R", "the revision label"),
		OPT_V("--title", &title, "T", "the title label (default NAME)"),
		OPT_M("--sbom", sboms, &nsboms, 32, "FILE",
		      "a PLATFORM's CycloneDX SBOM, one per PLATFORM, in order"),
		OPT_M("--openvex", vexes, &nvexes, 32, "FILE",
		      "a PLATFORM's OpenVEX document, one per PLATFORM, in order"),
		OPT_END};
	struct args pos = {args, 1, 32, 0, "PLATFORM=ROOTFS.tar"};
	char *dup[32] = {0};
	int r;
	if ((r = parse_args(c, argc, argv, opts, image_usage, &pos)))
		return r < 0 ? 0 : r;
	m.created = c->epoch;
	m.title = title ? title : m.ref;
	if (!bk_oci_ref_ok(m.ref))
		return usage_error(c, "--ref %s: not an OCI reference name: letters and digits joined by "
				   "- . _ : @ + or --, components separated by /", m.ref);
	if (!tag && archive)
		tag = deftag = bk_docker_default_tag(m.ref, m.version);
	if (archive && !bk_docker_tag_ok(tag)) {
		r = usage_error(c, "--tag %s: not a docker reference: a lowercase repository path "
				"(letters and digits joined by . _ __ or -, components separated by /, "
				"an optional registry host first), then an optional :TAG "
				"([A-Za-z0-9_][A-Za-z0-9_.-], at most 128); no spaces, quotes, upper "
				"case or '..'",
				tag);
		free(deftag);
		return r;
	}
	{
		const struct bk_oci_words w = {args, pos.n, sboms, vexes, nsboms, nvexes, archive};
		r = ctx_usage(c, bk_oci_images_of(&w, v, dup, e), e);
	}
	if (!r && archive) {
		int has_cmd = 0;
		struct bk_say say = ctx_say(c);
		r = bk_oci_archive(archive, &v[0], &m, tag, &has_cmd, e);
		if (!r && !has_cmd)
			bk_say(&say, BK_SAY_NOTE,
			       "%s: no bin/sh in %s, so the image config has no Cmd: give the command "
			       "to run (docker run IMAGE CMD, podman run, RouterOS /container add cmd=...)",
			       archive, v[0].rootfs);
		if (!r)
			progress(c, "%s: docker archive of %s, %s%s", archive, v[0].p->name, tag,
				 strchr(strrchr(tag, '/') ? strrchr(tag, '/') : tag, ':') ? "" : ":latest");
	} else if (!r)
		r = bk_oci_write(out, v, (size_t)pos.n, &m, e);
	if (!r && !archive)
		progress(c, "%s: OCI image layout, %d platform%s, ref %s", out, pos.n,
			 pos.n == 1 ? "" : "s", m.ref);
	for (int i = 0; i < pos.n; i++)
		free(dup[i]);
	free(deftag);
	return r;
}
