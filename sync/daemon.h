/*
 * daemon.h: `guanai-sync run`: the loop that decides when to upload.
 *
 * Wakes on a poke from the kiosk (then waits gather_ms for more records),
 * on the network coming up (netlink; the backoff is forgotten), on
 * `trigger` (at once, backoff forgotten) and on a fallback timer
 * (timer_s).  A pass runs only when the stored backoff has passed; the
 * backoff lives in the store, so a restart keeps it.  Signal handlers only
 * set a flag: SIGTERM and SIGINT end the loop after the current transfer
 * is aborted cleanly (nothing acknowledged that was not sent).
 */
#ifndef GU_DAEMON_H
#define GU_DAEMON_H

#include "config.h"

#define DAEMON_LOCK_NAME "sync.lock"

/*
 * Takes the uploader lock in cfg->data (flock on DAEMON_LOCK_NAME) into
 * *fd.  GU_EBUSY if another uploader holds it, GU_EIO otherwise.
 */
int daemon_lock(const char *data_dir, int *fd);

/* Runs until SIGTERM/SIGINT.  Returns GU_OK or why it could not start. */
int daemon_run(const struct sync_config *cfg, int verbose);

#endif
