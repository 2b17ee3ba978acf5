/*
 * safedir.h: writing whole files into a folder someone else prepared (a
 * USB stick), without ever writing through a link.
 *
 * The folder is opened once (O_DIRECTORY|O_NOFOLLOW) and every file is
 * made relative to that descriptor: NAME.part is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW (so no existing file, link or device is ever
 * opened for writing), written, fsync'd and renamed over NAME.  A stale
 * NAME.part that is a regular file is removed first; a symbolic link or
 * anything that is not a regular file at NAME or NAME.part, or a folder
 * that is itself a symbolic link, is refused with a message naming the
 * path.  renameat replaces a name, never writes through it, so nothing
 * outside the folder is touched whatever the stick holds.
 */
#ifndef GU_SAFEDIR_H
#define GU_SAFEDIR_H

#include <stddef.h>

#define SAFEDIR_PATH_MAX 1024
#define SAFEDIR_MSG_MAX (SAFEDIR_PATH_MAX + 160)

struct safedir {
	int fd;                      /* the folder; -1 when closed */
	char path[SAFEDIR_PATH_MAX]; /* as given to safedir_open */
	char msg[SAFEDIR_MSG_MAX];   /* the last error: "PATH: what" */
};

/*
 * Opens the folder path (made with mode 0755 first when create is set and
 * it is missing).  GU_OK; GU_EPERM when path is a symbolic link or not a
 * folder; GU_ETOOBIG for a path of SAFEDIR_PATH_MAX or more; GU_EIO for
 * another failure.  On error d->msg says why, naming the path, and
 * d->fd is -1.
 */
int safedir_open(struct safedir *d, const char *path, int create);

/*
 * Writes len bytes of data as the file name (a plain name: no '/', not
 * "." or "..") in the folder, through name.part as described above; the
 * file is fsync'd before the rename.  GU_OK; GU_EPERM for a link or
 * another kind of file at name or name.part, or a bad name; GU_EFULL
 * when the stick is full; GU_EIO otherwise.  On error the folder holds
 * what it held before, but for a stale regular name.part that is gone,
 * and d->msg names the path.
 */
int safedir_put(
    struct safedir *d, const char *name, const void *data, size_t len);

/* fsync of the folder itself (the renames).  GU_OK or GU_EIO, d->msg. */
int safedir_sync(struct safedir *d);

/* Closes the folder; harmless when closed already or when open failed. */
void safedir_close(struct safedir *d);

#endif
