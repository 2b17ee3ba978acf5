/*
 * ledger_main.c: guanai-ledger, the program behind `guanai-sync ledger`
 * and `guanai-sync file` (sync/cmd_helper.c says why it is apart).  It
 * takes the same arguments: `guanai-ledger ledger ...`, `guanai-ledger
 * file ...`.  The commands live in cmd_ledger.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "ledger") == 0)
		return cmd_ledger(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "file") == 0)
		return cmd_file(argc - 1, argv + 1);
	fprintf(stderr,
	    "usage: guanai-ledger ledger|file ... (see "
	    "guanai-sync --help and docs/ledgers.md)\n");
	return 2;
}
