/*
 * tr_file.c: the file:///folder transport (transport.h): a batch is
 * written under a temporary name, fsynced and renamed, so a crash never
 * leaves a half file under the final name; the folder is fsynced after
 * the rename.  No downloads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"
#include "transport.h"

#define FILE_PREFIX "file://"

/* file:///absolute/folder only. */
static int
file_match(const struct http_opts *o)
{
	return strncmp(o->url, FILE_PREFIX "/", strlen(FILE_PREFIX) + 1) == 0;
}

static const char *
file_dir(const struct http_opts *o)
{
	return o->url + strlen(FILE_PREFIX);
}

static int
file_errno_class(int e)
{
	return e == ENOSPC || e == EDQUOT ? GU_EFULL : GU_EIO;
}

static int
file_probe(const struct http_opts *o, struct http_result *res)
{
	memset(res, 0, sizeof(*res));
	if (access(file_dir(o), W_OK | X_OK) != 0)
		return transport_res(res, file_errno_class(errno), 0,
		    "folder not writable: %s", strerror(errno));
	return GU_OK;
}

static int
file_put(const struct http_opts *o, const char *name, const void *body,
    size_t len, http_progress_fn fn, void *arg, struct http_result *res)
{
	char path[HTTP_URL_MAX], tmp[HTTP_URL_MAX + 8];
	const char *dir = file_dir(o);
	const uint8_t *p = body;
	size_t left = len;
	int fd = -1, rc, dfd;
	ssize_t w;

	memset(res, 0, sizeof(*res));
	if (transport_join(dir, name, path, sizeof(path)) != GU_OK ||
	    snprintf(tmp, sizeof(tmp), "%s.part", path) >= (int) sizeof(tmp))
		return transport_res(res, GU_ETOOBIG, 0, "path too long%s", "");
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		goto fail;
	while (left > 0) {
		w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		left -= (size_t) w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void) fsync(dfd);
		close(dfd);
	}
	if (fn != NULL)
		fn(arg, len, len);
	return GU_OK;
fail:
	rc = file_errno_class(errno);
	transport_res(res, rc, 0, "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	(void) unlink(tmp);
	return rc;
}

static int
file_confirm(const struct http_opts *o, const char *name, size_t len,
    const struct http_result *put_res, struct http_result *res)
{
	char path[HTTP_URL_MAX];
	struct stat sb;

	(void) put_res;
	memset(res, 0, sizeof(*res));
	if (transport_join(file_dir(o), name, path, sizeof(path)) != GU_OK)
		return transport_res(res, GU_ETOOBIG, 0, "path too long%s", "");
	if (lstat(path, &sb) != 0)
		return transport_res(res, GU_EIO, 0,
		    "written but not there: %s", strerror(errno));
	if (!S_ISREG(sb.st_mode) || (uint64_t) sb.st_size != (uint64_t) len)
		return transport_res(res, GU_EIO, 0,
		    "written but the file there has another size%s", "");
	return GU_OK;
}

const struct transport transport_file = {
    .name = "file",
    .match = file_match,
    .probe = file_probe,
    .put = file_put,
    .confirm = file_confirm,
    .send = NULL, /* one after the other */
    .get_cond = NULL,
};
