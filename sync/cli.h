/*
 * cli.h: what the guanai-sync subcommands share: the data directory and
 * opening the store with a message that says what went wrong.
 */
#ifndef GU_CLI_H
#define GU_CLI_H

#include "store.h"

/* The data directory: dir if given, else $GUANAI_DATA, else the default. */
const char *cli_data_dir(const char *dir);

/*
 * Opens the store in dir for the command cmd.  On failure prints
 * "guanai-sync CMD: DIR: reason" to stderr and returns NULL.
 */
struct store *cli_open(const char *cmd, const char *dir);
/* The same read-only (dump, stats, check): works on a read-only mount. */
struct store *cli_open_ro(const char *cmd, const char *dir);

/* Parses a decimal u64; nonzero on success. */
int cli_u64(const char *s, unsigned long long *out);

#endif
