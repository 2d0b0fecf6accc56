/* The one list of commands: each row its name, its function and the line
 * 'bbkit --help' shows. The table in main.c (resolve_main.c for the
 * resolver program, bbkit-<version>) and the prototypes in bbkit.h are made
 * from it, so a command cannot be declared and not listed, or listed twice
 * with two summaries.
 * SPDX-License-Identifier: GPL-2.0-only */
#ifndef BBKIT_COMMANDS_H
#define BBKIT_COMMANDS_H

/* bbkit; 'resolve' runs bbkit-<version> (resolve_exec.c) */
#define BBKIT_COMMANDS(X)                                                                          \
	X("fetch", cmd_fetch, "get a verified busybox source tree into the cache")                 \
	X("platforms", cmd_platforms, "print the platform table")                                   \
	X("sysroot", cmd_sysroot, "make a private musl sysroot for a platform from Debian packages") \
	X("prepare", cmd_prepare, "allnoconfig a busybox build dir for a platform")                 \
	X("resolve", cmd_resolve_exec, RESOLVE_SUMMARY)                                            \
	X("build", cmd_build, "cross-build busybox for a platform with clang/lld")                  \
	X("manifest", cmd_manifest, "applet links from the config and busybox's applet table")      \
	X("rootfs", cmd_rootfs, "write a deterministic rootfs tarball or directory")                \
	X("verify", cmd_verify, "busybox's own testsuite on the built binary (qemu), with a baseline") \
	X("size", cmd_size, "per-applet size from the link map; --diff of two builds")              \
	X("image", cmd_image, "an OCI image layout of the platforms' rootfs.tar, reproducible")     \
	X("sbom", cmd_sbom, "a CycloneDX SBOM of a built busybox: sources, sysroot, patches, tools") \
	X("pack", cmd_pack, "pack a busybox with UPX (built from its pinned source), tested")       \
	X("vex", cmd_vex, "per-CVE statements (CycloneDX VEX) from the patches and the link map")   \
	X("bump-report", cmd_bump, "what a busybox version bump (or a new list) changes, side by side") \
	X("scan", cmd_scan, "the applet list shell scripts and a Dockerfile need, each line explained") \
	X("publish", cmd_publish, "put a run's staged outputs in place, every platform together")

/* bbkit-<version>: the resolver, linked with that version's kconfig */
#define RESOLVER_COMMANDS(X) X("resolve", cmd_resolve, RESOLVE_SUMMARY)

#define RESOLVE_SUMMARY "write a .config from an applet list (busybox's own kconfig)"

/* A row of a command table. */
#define BBKIT_COMMAND_ROW(name, fn, summary) {name, fn, summary},

#endif
