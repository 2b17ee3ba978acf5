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

#include "safedir.h"
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

/*
 * Through safedir (safedir.h), as the USB export: the folder is opened
 * once without following a link, NAME.part is made with O_EXCL|O_NOFOLLOW
 * (never a link, a device or a hard link to someone else's file opened
 * for writing), fsync'd, renamed over NAME, and the folder fsync'd.
 */
static int
file_put(const struct http_opts *o, const char *name, const void *body,
    size_t len, http_progress_fn fn, void *arg, struct http_result *res)
{
	struct safedir d;
	int rc;

	memset(res, 0, sizeof(*res));
	rc = safedir_open(&d, file_dir(o), 0);
	if (rc == GU_OK)
		rc = safedir_put(&d, name, body, len);
	if (rc == GU_OK)
		rc = safedir_sync(&d);
	if (rc != GU_OK) {
		transport_res(res, rc, 0, "%s", d.msg);
		safedir_close(&d);
		return rc;
	}
	safedir_close(&d);
	if (fn != NULL)
		fn(arg, len, len);
	return GU_OK;
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
