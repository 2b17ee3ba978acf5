/*
 * atomic.c: writing a small file whole or not at all (atomic.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "status.h"

/* fsyncs the folder that holds path, so the rename is durable too. */
static void
sync_dir(const char *path)
{
	char dir[1100];
	const char *slash = strrchr(path, '/');
	size_t n = slash == NULL ? 1 : (size_t) (slash - path);
	int fd;

	if (slash == NULL)
		memcpy(dir, ".", 2);
	else if (n == 0)
		memcpy(dir, "/", 2);
	else if (n < sizeof(dir)) {
		memcpy(dir, path, n);
		dir[n] = '\0';
	} else
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void) fsync(fd);
	close(fd);
}

int
atomic_write(const char *path, const char *suffix, const void *data, size_t len,
    mode_t mode)
{
	const char *p = data;
	char tmp[1100];
	size_t done = 0;
	ssize_t n;
	int fd, ok = 1;

	if ((size_t) snprintf(tmp, sizeof(tmp), "%s%s", path, suffix) >=
	    sizeof(tmp))
		return GU_ETOOBIG;
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return GU_EIO;
	while (ok && done < len) {
		n = write(fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		if (ok)
			done += (size_t) n;
	}
	/* The umask may have taken bits away: the mode is part of it. */
	ok = ok && fchmod(fd, mode) == 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		(void) unlink(tmp);
		return GU_EIO;
	}
	sync_dir(path);
	return GU_OK;
}
