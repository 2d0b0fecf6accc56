/* placeholder until implemented */
#include "bbkit.h"
int cmd_manifest(struct ctx *c, int argc, char **argv, struct bberr *e)
{
	(void)argc; (void)argv;
	return bb_fail(e, BB_USAGE, "%s: not implemented yet", c->cmd);
}
