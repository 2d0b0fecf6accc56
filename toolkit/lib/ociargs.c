/* The images 'bbkit image' is asked for (oci.h: bk_oci_images_of), from
 * its PLATFORM=ROOTFS.tar words and the documents given for them.
 * SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE
#include "oci.h"
#include "tables.h"

#include <string.h>

/* --sbom and --openvex: none, or one per PLATFORM in the same order. */
static int per_platform(const char *opt, int n, int nwords, struct bkerr *e)
{
	if (!n || n == nwords)
		return 0;
	return bk_fail(e, BK_USAGE, "%s: one per PLATFORM=ROOTFS.tar, in the same order (%d of %d)",
		       opt, n, nwords);
}

int bk_oci_images_of(const struct bk_oci_words *w, struct bk_oci_image *v, char **dup,
		     struct bkerr *e)
{
	int r = 0;
	if (w->archive && w->n > 1)
		return bk_fail(e, BK_REQUEST,
			       "--archive %s: %d platforms for one archive; RouterOS and docker load "
			       "take one platform per archive: give one PLATFORM=ROOTFS.tar (make: "
			       "PLATFORMS=linux/arm64, or make archive writes one per platform as "
			       "OUT/PROFILE/SLUG/image.tar)",
			       w->archive, w->n);
	if ((r = per_platform("--sbom", w->nsboms, w->n, e)) ||
	    (r = per_platform("--openvex", w->nvexes, w->n, e)))
		return r;
	for (int i = 0; !r && i < w->n; i++) {
		char *eq;
		dup[i] = bk_xstrdup(w->words[i]);
		if (!(eq = strchr(dup[i], '=')) || !eq[1])
			return bk_fail(e, BK_USAGE, "%s: want PLATFORM=ROOTFS.tar", w->words[i]);
		*eq = 0;
		v[i].rootfs = eq + 1;
		v[i].sbom = i < w->nsboms ? w->sboms[i] : NULL;
		v[i].openvex = i < w->nvexes ? w->vexes[i] : NULL;
		r = bk_platform_get(dup[i], &v[i].p, e);
		for (int k = 0; !r && k < i; k++)
			if (v[k].p == v[i].p)
				r = bk_fail(e, BK_USAGE, "%s: named twice", v[i].p->name);
	}
	return r;
}
