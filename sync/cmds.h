/*
 * cmds.h: the subcommands of guanai-sync.  Each takes the arguments after
 * the subcommand name (argv[0] is the subcommand) and returns the process
 * exit status: 0 success, 1 the operation failed, 2 usage or config error.
 * sync/main.c dispatches to them.
 */
#ifndef GU_CMDS_H
#define GU_CMDS_H

int cmd_dump(int argc, char **argv);            /* sync/cmd_dump.c */
int cmd_stats(int argc, char **argv);           /* sync/cmd_dump.c */
int cmd_check(int argc, char **argv);           /* sync/cmd_dump.c */
int cmd_init(int argc, char **argv);            /* sync/cmd_dump.c */
int cmd_import_roster(int argc, char **argv);   /* sync/cmd_roster.c */
int cmd_import_calendar(int argc, char **argv); /* sync/cmd_roster.c */
int cmd_run(int argc, char **argv);             /* sync/cmd_sync.c */
int cmd_once(int argc, char **argv);            /* sync/cmd_sync.c */
int cmd_status(int argc, char **argv);          /* sync/cmd_sync.c */
int cmd_trigger(int argc, char **argv);         /* sync/cmd_sync.c */
int cmd_export(int argc, char **argv);          /* sync/cmd_sync.c */
int cmd_update(int argc, char **argv);          /* sync/cmd_sync.c */
int cmd_verify(int argc, char **argv);          /* sync/cmd_verify.c */
int cmd_key(int argc, char **argv);             /* sync/cmd_verify.c */
int cmd_ledger(int argc, char **argv);          /* sync/cmd_ledger.c */
int cmd_file(int argc, char **argv);            /* sync/cmd_ledger.c */
/* Runs guanai-ledger beside guanai-sync with the same arguments. */
int cmd_helper(int argc, char **argv); /* sync/cmd_helper.c */

#endif
