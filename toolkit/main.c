/* bbkit: curate busybox applets and cross-build busybox.
 *
 * usage: bbkit COMMAND [options]   (bbkit COMMAND --help for each)
 *
 * The command table, from the one list (commands.h); 'resolve' runs
 * bbkit-<version> (resolve_exec.c), whose own table (resolve_main.c) holds
 * the resolver.
 * SPDX-License-Identifier: GPL-2.0-only */
#include "bbkit.h"

static const struct command commands[] = {BBKIT_COMMANDS(BBKIT_COMMAND_ROW)};

int main(int argc, char **argv)
{
	return bbkit_main(argc, argv, commands, sizeof commands / sizeof commands[0]);
}
