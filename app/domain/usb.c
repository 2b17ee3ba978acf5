/*
 * usb.c: finding a mounted stick and running guanai-sync export on it
 * (usb.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "status.h"
#include "usb.h"

/* A directory on another file system than its parent's dev, writable. */
static int
is_stick(const char *path, dev_t parent)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	return st.st_dev != parent && access(path, W_OK) == 0;
}

static int
scan(const char *dir, dev_t root, int depth, char *out, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	int rc = GU_ENOTFOUND;

	if (d == NULL)
		return GU_ENOTFOUND;
	while (rc != GU_OK && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t) snprintf(path, sizeof(path), "%s/%s", dir,
		        e->d_name) >= sizeof(path))
			continue;
		if (is_stick(path, root)) {
			if ((size_t) snprintf(out, len, "%s", path) < len)
				rc = GU_OK;
		} else if (depth == 0)
			rc = scan(path, root, 1, out, len);
	}
	closedir(d);
	return rc;
}

int
usb_find(const char *media_dir, char *out, size_t len)
{
	struct stat st;

	if (media_dir == NULL || media_dir[0] == '\0' ||
	    stat(media_dir, &st) != 0)
		return GU_ENOTFOUND;
	return scan(media_dir, st.st_dev, 0, out, len);
}

/* Whether dir is no longer a mount (unmounted, or its folder gone). */
static int
unmounted(const char *dir)
{
	char parent[1100];
	struct stat a, b;
	char *slash;

	if ((size_t) snprintf(parent, sizeof(parent), "%s", dir) >=
	    sizeof(parent))
		return 1;
	slash = strrchr(parent, '/');
	if (slash == NULL)
		return 1;
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &a) != 0 || stat(parent, &b) != 0)
		return 1;
	return a.st_dev == b.st_dev;
}

int
usb_request(const char *request, const char *line)
{
	char text[1100];
	size_t len;

	if (request == NULL || request[0] == '\0')
		return GU_OK;
	len = (size_t) snprintf(text, sizeof(text), "%s\n", line);
	if (len >= sizeof(text))
		return GU_ETOOBIG;
	/* Whole or not at all: the watcher reads it the moment it appears. */
	return atomic_write(request, ".new", text, len, 0660);
}

int
usb_eject(const char *request, const char *dir, int wait_ms)
{
	int rc;

	if (request == NULL || request[0] == '\0')
		return GU_OK;
	rc = usb_request(request, dir);
	if (rc != GU_OK)
		return rc;
	for (int waited = 0; waited < wait_ms; waited += 50) {
		struct timespec ts = {0, 50 * 1000 * 1000};

		if (unmounted(dir))
			return GU_OK;
		nanosleep(&ts, NULL);
	}
	return unmounted(dir) ? GU_OK : GU_EBUSY;
}

int
usb_export(const char *sync_bin, const char *data_dir, const char *dir,
    char *msg, size_t len)
{
	char dest[1100], buf[512];
	const char *argv[8];
	int p[2], st = 0, n = 0;
	ssize_t got;
	size_t used = 0;
	pid_t pid;

	msg[0] = '\0';
	if ((size_t) snprintf(dest, sizeof(dest), "%s/guanai-export", dir) >=
	    sizeof(dest))
		return GU_ETOOBIG;
	argv[n++] = sync_bin;
	argv[n++] = "export";
	argv[n++] = dest;
	if (data_dir != NULL && data_dir[0] != '\0') {
		argv[n++] = "--data";
		argv[n++] = data_dir;
	}
	argv[n] = NULL;
	if (pipe2(p, O_CLOEXEC) != 0)
		return GU_EIO;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return GU_EIO;
	}
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(sync_bin, (char *const *) argv);
		_exit(127);
	}
	close(p[1]);
	/* Read all of it (a full pipe would block the child), keep the
	 * start. */
	while ((got = read(p[0], buf, sizeof(buf))) > 0 ||
	    (got < 0 && errno == EINTR)) {
		size_t c = got > 0 ? (size_t) got : 0;
		if (c > len - 1 - used)
			c = len - 1 - used;
		memcpy(msg + used, buf, c);
		used += c;
	}
	msg[used] = '\0';
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* Only the first line. */
	msg[strcspn(msg, "\n")] = '\0';
	/* Done with the stick either way: on the appliance it is unmounted
	 * before the screen says anything, so it can be pulled at once. */
	(void) usb_eject(getenv("GUANAI_USB_EJECT"), dir, USB_EJECT_WAIT_MS);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? GU_OK : GU_EIO;
}
