/* Force-included into busybox's kconfig engine when bbkit links it: its
 * conf_write() does not check fclose(), so a full disk would go unnoticed.
 * This wrapper records write errors for resolve.c to check.
 * SPDX-License-Identifier: GPL-2.0-only */
#include <stdio.h>
int bbkit_kconf_fclose(FILE *f);
#define fclose bbkit_kconf_fclose
