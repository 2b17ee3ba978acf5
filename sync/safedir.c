/*
 * safedir.c: files written into a prepared folder without following links
 * (safedir.h).  Owns nothing but the folder descriptor it opens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safedir.h"
#include "status.h"

__attribute__((format(printf, 3, 4))) static int
fail(struct safedir *d, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return rc;
}

static int
errno_class(int e)
{
	return e == ENOSPC || e == EDQUOT ? GU_EFULL : GU_EIO;
}

int
safedir_open(struct safedir *d, const char *path, int create)
{
	struct stat st;
	int e;

	d->fd = -1;
	d->msg[0] = '\0';
	if ((size_t) snprintf(d->path, sizeof(d->path), "%s", path) >=
	    sizeof(d->path))
		return fail(d, GU_ETOOBIG, "%.64s...: path too long", path);
	if (create && mkdir(path, 0755) != 0 && errno != EEXIST)
		return fail(d, errno_class(errno),
		    "%s: cannot make the folder: %s", path, strerror(errno));
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->fd >= 0 && fstat(d->fd, &st) == 0 && S_ISDIR(st.st_mode))
		return GU_OK;
	e = errno;
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return fail(d, GU_EPERM,
		    "%s: is a symbolic link; refusing to write through it",
		    path);
	if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode))
		return fail(d, GU_EPERM, "%s: is not a folder", path);
	return fail(
	    d, GU_EIO, "%s: cannot open the folder: %s", path, strerror(e));
}

/* What is at name in the folder: 0 nothing, 1 a regular file, else the
 * refusal (d->msg set). */
static int
check_entry(struct safedir *d, const char *name, int *regular)
{
	struct stat st;

	*regular = 0;
	if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return GU_OK;
		return fail(
		    d, GU_EIO, "%s/%s: %s", d->path, name, strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return fail(d, GU_EPERM,
		    "%s/%s: is a symbolic link; refusing to write through it",
		    d->path, name);
	if (!S_ISREG(st.st_mode))
		return fail(
		    d, GU_EPERM, "%s/%s: is not a regular file", d->path, name);
	*regular = 1;
	return GU_OK;
}

int
safedir_put(struct safedir *d, const char *name, const void *data, size_t len)
{
	char part[512];
	const unsigned char *p = data;
	int fd = -1, rc, reg;
	ssize_t w;

	if (d->fd < 0)
		return fail(d, GU_EIO, "%s: folder not open", d->path);
	if (name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return fail(
		    d, GU_EPERM, "%s: bad file name '%.64s'", d->path, name);
	if ((size_t) snprintf(part, sizeof(part), "%s.part", name) >=
	    sizeof(part))
		return fail(
		    d, GU_ETOOBIG, "%s/%.64s...: name too long", d->path, name);
	rc = check_entry(d, name, &reg);
	if (rc != GU_OK)
		return rc;
	rc = check_entry(d, part, &reg);
	if (rc != GU_OK)
		return rc;
	/* A .part left by an export that was cut short: a regular file on
	 * the stick, removed by name (its inode, even if linked elsewhere,
	 * is never opened). */
	if (reg && unlinkat(d->fd, part, 0) != 0)
		return fail(d, GU_EIO, "%s/%s: cannot remove it: %s", d->path,
		    part, strerror(errno));
	fd = openat(d->fd, part,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(d, errno == EEXIST ? GU_EPERM : errno_class(errno),
		    "%s/%s: cannot create it: %s", d->path, part,
		    strerror(errno));
	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			goto fail;
		}
		p += w;
		len -= (size_t) w;
	}
	if (fsync(fd) != 0)
		goto fail;
	rc = close(fd);
	fd = -1;
	if (rc != 0)
		goto fail;
	if (renameat(d->fd, part, d->fd, name) != 0)
		goto fail;
	return GU_OK;
fail:
	rc = fail(
	    d, errno_class(errno), "%s/%s: %s", d->path, part, strerror(errno));
	if (fd >= 0)
		close(fd);
	(void) unlinkat(d->fd, part, 0);
	return rc;
}

int
safedir_sync(struct safedir *d)
{
	if (d->fd < 0 || fsync(d->fd) != 0)
		return fail(d, GU_EIO, "%s: cannot sync the folder: %s",
		    d->path, strerror(d->fd < 0 ? EBADF : errno));
	return GU_OK;
}

void
safedir_close(struct safedir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
