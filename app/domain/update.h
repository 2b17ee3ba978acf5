/*
 * update.h: 系统更新 on the kiosk: a signed RAUC bundle (*.raucb) on a USB
 * stick, or one guanai-sync has downloaded and checked (DATA/update/ready,
 * docs/sync.md "Updates over the network"), is checked and installed
 * through core/rauc.h; after the reboot the image's health check writes
 * DATA/update.state, which the head's screen reads (docs/image.md,
 * "Updates").  Nothing here draws; the screens call these functions,
 * never the system.
 */
#ifndef GU_UPDATE_H
#define GU_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "rauc.h"
#include "update_index.h"

/* What DATA/update.state says of the last update (docs/image.md). */
struct update_last {
	char from[64], to[64];
	int64_t installed_ms; /* 0: not said */
	int good;             /* result = good (1) or rolled-back (0) */
	unsigned boots;
};

/* ---- the system (update.c) ---- */

/*
 * Finds a stick under media_dir (usb_find) and on it, in its top folder,
 * a regular file named *.raucb (of several, the greatest name).  Its path
 * goes to out.  GU_ENOTFOUND when there is no stick or no bundle.
 */
int update_find(const char *media_dir, char *out, size_t len);

/*
 * What guanai-sync downloaded and checked (DATA/update/ready,
 * docs/sync.md "Updates over the network"), read with its reader
 * (core/update_index.h, unknown keys skipped): GU_OK with r filled and
 * path (len bytes) the bundle's, when the file is there, its bundle is
 * in DATA/update/ and its version is newer than the running one (c);
 * else GU_ENOTFOUND (also for a ready file that does not parse: the
 * daemon rewrites or removes it).
 */
int update_downloaded(const char *data_dir, const struct update_cfg *c,
    struct update_index *r, char *path, size_t len);

/*
 * Reads DATA/update.state (key = value, docs/image.md) into l.
 * GU_ENOTFOUND when there is none; GU_EINVAL when it is malformed (l
 * then zero).
 */
int update_last_read(const char *path, struct update_last *l);

#endif
