/* bbkit-<version>: the resolver for one busybox version, linked with that
 * version's kconfig engine (lib/kconfig/); bbkit resolve runs it.
 * SPDX-License-Identifier: GPL-2.0-only */
#include "bbkit.h"

static const struct command commands[] = {RESOLVER_COMMANDS(BBKIT_COMMAND_ROW)};

int main(int argc, char **argv)
{
	return bbkit_main(argc, argv, commands, sizeof commands / sizeof commands[0]);
}
