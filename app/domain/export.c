/*
 * export.c: the ledgers and the children's files to a USB stick, by
 * guanai-sync run as a child process (export.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "export.h"
#include "status.h"
#include "usb.h"

void
export_period_arg(
    enum export_period p, uint32_t day, const char **opt, char *val, size_t len)
{
	unsigned y = day / 10000, m = day / 100 % 100;

	switch (p) {
	case EXPORT_TERM:
		*opt = "--term";
		if (m >= 9)
			snprintf(val, len, "%u-autumn", y);
		else if (m == 1)
			snprintf(val, len, "%u-autumn", y - 1);
		else
			snprintf(val, len, "%u-spring", y);
		break;
	case EXPORT_HALF:
		*opt = "--half";
		snprintf(val, len, "%u-H%u", y, m <= 6 ? 1u : 2u);
		break;
	default:
		*opt = "--month";
		snprintf(val, len, "%04u-%02u", y, m);
		break;
	}
}

/* Removes the *.part files the program left in dir (it removes its own;
 * a killed one cannot). */
static void
remove_parts(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1000];
	size_t n;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n > 5 && strcmp(e->d_name + n - 5, ".part") == 0 &&
		    (size_t) snprintf(path, sizeof(path), "%s/%s", dir,
		        e->d_name) < sizeof(path))
			(void) unlink(path);
	}
	closedir(d);
}

static void
finish_fail(struct export_job *j, enum export_state st, const char *msg)
{
	j->state = st;
	snprintf(j->msg, sizeof(j->msg), "%s", msg);
}

int
export_start(struct export_job *j, const char *sync_bin, const char *data_dir,
    const char *media_dir, const char *fonts_dir, const char *staff,
    enum export_what what, enum export_period p, uint32_t day,
    const struct care_policy *care)
{
	char val[32], out[800], sub[64], cdays[16], tstart[16];
	const char *argv[24], *opt = NULL;
	int n = 0, rc;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	if (usb_find(media_dir, j->stick, sizeof(j->stick)) != GU_OK) {
		j->state = EXPORT_NO_STICK;
		return GU_ENOTFOUND;
	}
	if (what == EXPORT_LEDGERS) {
		export_period_arg(p, day, &opt, val, sizeof(val));
		snprintf(sub, sizeof(sub), "台账-%s", val);
	} else
		snprintf(sub, sizeof(sub), "一人一档");
	if ((size_t) snprintf(j->dir, sizeof(j->dir), "%s/%s", j->stick, sub) >=
	        sizeof(j->dir) ||
	    (mkdir(j->dir, 0755) != 0 && errno != EEXIST)) {
		finish_fail(j, EXPORT_FAILED, strerror(errno));
		return GU_EIO;
	}
	argv[n++] = sync_bin;
	argv[n++] = what == EXPORT_LEDGERS ? "ledger" : "file";
	if (data_dir != NULL && data_dir[0] != '\0') {
		argv[n++] = "--data";
		argv[n++] = data_dir;
	}
	argv[n++] = "--by";
	argv[n++] = staff;
	argv[n++] = "--via";
	argv[n++] = "kiosk";
	argv[n++] = "--progress";
	if (what == EXPORT_LEDGERS) {
		/* The overdue list (逾期事项清单) under the kiosk's own rules,
		 * so it lists what the kiosk shows as late. */
		if (care != NULL && care->contact_days > 0) {
			snprintf(
			    cdays, sizeof(cdays), "%d", care->contact_days);
			argv[n++] = "--contact-days";
			argv[n++] = cdays;
		}
		if (care != NULL && care->term_start_day != 0) {
			snprintf(tstart, sizeof(tstart), "%04u-%02u-%02u",
			    care->term_start_day / 10000,
			    care->term_start_day / 100 % 100,
			    care->term_start_day % 100);
			argv[n++] = "--term-start";
			argv[n++] = tstart;
		}
		argv[n++] = opt;
		argv[n++] = val;
		argv[n++] = "all";
		argv[n++] = j->dir;
	} else {
		snprintf(val, sizeof(val), "%08u", day);
		snprintf(out, sizeof(out), "%s/%s-%s.pdf", j->dir, staff, val);
		if (fonts_dir != NULL && fonts_dir[0] != '\0') {
			argv[n++] = "--fonts";
			argv[n++] = fonts_dir;
		}
		argv[n++] = "--mentor";
		argv[n++] = staff;
		argv[n++] = out;
	}
	argv[n] = NULL;
	rc = child_spawn(argv, 1, &j->pid, &j->fd);
	if (rc != 0) {
		j->pid = 0;
		finish_fail(j, EXPORT_FAILED, strerror(rc));
		return GU_EIO;
	}
	j->state = EXPORT_RUNNING;
	return GU_OK;
}

/* How it ended, from its status and the stick as it is now. */
static void
judge(struct export_job *j, int status)
{
	struct statvfs vfs;
	struct stat st;

	export_take_end(j);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		j->state = EXPORT_DONE;
		return;
	}
	if (stat(j->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		j->state = EXPORT_GONE;
	else if (strstr(j->msg, "the disk is full") != NULL ||
	    (statvfs(j->dir, &vfs) == 0 &&
	        (uint64_t) vfs.f_bavail * vfs.f_frsize < 256 * 1024))
		j->state = EXPORT_FULL;
	else
		j->state = EXPORT_FAILED;
	remove_parts(j->dir);
}

static void
take(void *arg, const char *bytes, size_t n)
{
	export_take(arg, bytes, n);
}

enum export_state
export_poll(struct export_job *j, int wait_ms)
{
	int status = 0;

	if (j->state != EXPORT_RUNNING ||
	    !child_poll(&j->fd, &j->pid, wait_ms, take, j, &status))
		return j->state;
	judge(j, status);
	/* Done with the stick either way: on the appliance it is unmounted
	 * before the screen says so, so it can be pulled at once. */
	(void) usb_eject(
	    getenv("GUANAI_USB_EJECT"), j->stick, USB_EJECT_WAIT_MS);
	return j->state;
}

void
export_stop(struct export_job *j)
{
	int status;

	if (j->state == EXPORT_RUNNING && j->pid > 0) {
		(void) kill(j->pid, SIGTERM);
		while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
			;
		remove_parts(j->dir);
	}
	if (j->fd >= 0)
		close(j->fd);
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->state = EXPORT_IDLE;
}
