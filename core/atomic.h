/*
 * atomic.h: a small file put in place whole or not at all, so a reader
 * that opens it the moment it appears (a systemd path unit, the kiosk
 * reading what guanai-sync left) sees all of it or none: the kiosk's
 * request files (reboot, eject) and guanai-sync's DATA/update/ready.
 */
#ifndef GU_ATOMIC_H
#define GU_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Writes the len bytes at data to PATH.SUFFIX (created with mode, never
 * through a symbolic link), fsyncs it, renames it over path and fsyncs
 * the folder.  GU_OK; GU_ETOOBIG for a path too long; GU_EIO when any
 * step fails, and then PATH.SUFFIX is removed and path is as it was.
 * mode is applied whatever the umask says.
 */
int atomic_write(const char *path, const char *suffix, const void *data,
    size_t len, mode_t mode);

#endif
