/*
 * main.c: guanai-sync, the only Guanai process that talks to the outside.
 *
 * Start reading here: main() picks a subcommand from the table below; each
 * lives in its own file (sync/cmds.h says which).  The daemon is
 * `guanai-sync run` (cmd_sync.c); the tools that move data in and out of
 * the store are `init`, `import-roster`, `dump`, `stats`, `check`,
 * `export` and `verify`.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} cmds[] = {
    {"init", cmd_init,
        "--school-id ID --school-name NAME --device ID  create a store"},
    {"import-roster", cmd_import_roster,
        "[--reset-pins] [-n] CHILDREN.csv STAFF.csv  load the roster"},
    {"import-calendar", cmd_import_calendar,
        "[-n] CALENDAR.txt  load the school calendar (docs/calendar.md)"},
    {"run", cmd_run, "[--config FILE] [--url URL]  the upload daemon"},
    {"once", cmd_once,
        "[--url URL]  one upload pass; exit status says how it went"},
    {"status", cmd_status, "  the upload state in words"},
    {"trigger", cmd_trigger, "  ask the daemon to upload now"},
    {"update", cmd_update,
        "--check|--download|--install  a system update from update_url"},
    {"export", cmd_export,
        "[--all] DIR  batches to a USB stick, with a manifest"},
    {"verify", cmd_verify,
        "[--keys KEYRING] FILE|DIR...  check batches, print NDJSON"},
    {"key", cmd_key, "  this device's keyring line (its public key)"},
    {"dump", cmd_dump,
        "[--since SEQ] [--plain]  every record as one JSON line"},
    {"stats", cmd_stats, "  counts per kind, roster size, store size"},
    {"check", cmd_check, "  check the store's invariants"},
    {"ledger", cmd_helper,
        "--from DATE --to DATE [--template F] KIND|all DIR  ledgers, .xlsx"},
    {"file", cmd_helper,
        "[--by STAFF] CHILD|--mentor ID OUT.pdf  一人一档 as PDF (audited)"},
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: guanai-sync COMMAND [--data DIR] [options]\n\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-14s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\nDIR defaults to $GUANAI_DATA, else /var/lib/guanai.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "guanai-sync: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
