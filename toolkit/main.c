/* bbkit: curate busybox applets and cross-build busybox.
 *
 * usage: bbkit COMMAND [options]   (bbkit COMMAND --help for each)
 *
 * The command table; 'resolve' runs bbkit-<version> (resolve_exec.c),
 * whose own table (resolve_main.c) holds the resolver.
 * SPDX-License-Identifier: GPL-2.0-only */
#include "bbkit.h"

static const struct command commands[] = {
	{"fetch", cmd_fetch, "get a verified busybox source tree into the cache"},
	{"platforms", cmd_platforms, "print the platform table"},
	{"sysroot", cmd_sysroot, "make a private musl sysroot for a platform from Debian packages"},
	{"prepare", cmd_prepare, "allnoconfig a busybox build dir for a platform"},
	{"resolve", cmd_resolve_exec, "write a .config from an applet list (busybox's own kconfig)"},
	{"build", cmd_build, "cross-build busybox for a platform with clang/lld"},
	{"manifest", cmd_manifest, "applet links from the config and busybox's applet table"},
	{"rootfs", cmd_rootfs, "write a deterministic rootfs tarball or directory"},
	{"verify", cmd_verify, "busybox's own testsuite on the built binary (qemu), with a baseline"},
	{"size", cmd_size, "per-applet size from the link map; --diff of two builds"},
	{"image", cmd_image, "an OCI image layout of the platforms' rootfs.tar, reproducible"},
	{"sbom", cmd_sbom, "a CycloneDX SBOM of a built busybox: sources, sysroot, patches, tools"},
	{"pack", cmd_pack, "pack a busybox with UPX (built from its pinned source), tested"},
	{"vex", cmd_vex, "per-CVE statements (CycloneDX VEX) from the patches and the link map"},
	{"bump-report", cmd_bump, "what a busybox version bump (or a new list) changes, side by side"},
	{"scan", cmd_scan, "the applet list shell scripts and a Dockerfile need, each line explained"},
	{"publish", cmd_publish, "put a run's staged outputs in place, every platform together"},
};

int main(int argc, char **argv)
{
	return bbkit_main(argc, argv, commands, sizeof commands / sizeof commands[0]);
}
