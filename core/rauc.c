/*
 * rauc.c: `rauc info` and `rauc install` as child processes, the
 * running version, the device's compatible and the reboot request
 * (rauc.h).  What rauc prints is read by rauc_line.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "child.h"
#include "kv.h"
#include "rauc.h"
#include "status.h"

/* The first line of the file at path into out, trimmed. */
static int
first_line(const char *path, char *out, size_t len)
{
	FILE *fp = path != NULL ? fopen(path, "r") : NULL;
	size_t n;

	out[0] = '\0';
	if (fp == NULL)
		return GU_ENOTFOUND;
	if (fgets(out, (int) len, fp) == NULL)
		out[0] = '\0';
	fclose(fp);
	n = strcspn(out, "\r\n");
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	out[n] = '\0';
	return out[0] != '\0' ? GU_OK : GU_ENOTFOUND;
}

int
update_running(const struct update_cfg *c, char *out, size_t len)
{
	return first_line(c->version_file, out, len);
}

/* system.conf's [system] compatible=, for kv_parse_file(). */
struct conf_read {
	int in_system;
	char *out;
	size_t len;
};

static int
conf_line(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct conf_read *c = arg;

	(void) why;
	(void) why_len;
	if (l->key == NULL) {
		c->in_system = strcmp(l->value, "[system]") == 0;
		return GU_OK;
	}
	if (c->in_system && strcmp(l->key, "compatible") == 0)
		snprintf(c->out, c->len, "%s", l->value);
	return GU_OK;
}

static int
device_compatible(const char *conf, char *out, size_t len)
{
	static const struct kv_opts opts = {0, "#;", NULL, KV_SECTIONS, 1};
	struct conf_read c = {0, out, len};

	out[0] = '\0';
	(void) kv_parse_file(conf, &opts, conf_line, &c, NULL, NULL);
	return out[0] != '\0' ? GU_OK : GU_ENOTFOUND;
}

/* The info's lines: the manifest's, else the last that says why. */
static void
info_take(struct update_bundle *b, char *line)
{
	size_t n = strcspn(line, "\r");

	line[n] = '\0';
	if (n == 0 || rauc_info_line(b, line) ||
	    strncmp(line, "RAUC_", 5) == 0 ||
	    strncmp(line, "rauc-Message:", 13) == 0)
		return;
	(void) buf_utf8_cut(b->msg, sizeof(b->msg), line, n);
}

int
update_check(
    const struct update_cfg *c, const char *path, struct update_bundle *b)
{
	const char *argv[] = {c->rauc_bin, "--conf", c->system_conf, "info",
	    "--output-format=shell", path, NULL};
	char buf[1024], line[UPDATE_LINE_MAX], dev[128], run[64];
	size_t used = 0;
	ssize_t got;
	int fd = -1, st = 0, rc;
	pid_t pid;

	memset(b, 0, sizeof(*b));
	snprintf(b->path, sizeof(b->path), "%s", path);
	rc = child_spawn(argv, 0, &pid, &fd);
	if (rc != 0) {
		b->why = UPDATE_WHY_FAILED;
		snprintf(b->msg, sizeof(b->msg), "%s: %s", c->rauc_bin,
		    strerror(rc));
		return GU_EIO;
	}
	while ((got = read(fd, buf, sizeof(buf))) > 0 ||
	    (got < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] != '\n' && used < sizeof(line) - 1) {
				line[used++] = buf[i] ? buf[i] : '?';
				continue;
			}
			if (buf[i] != '\n')
				continue; /* cut */
			line[used] = '\0';
			info_take(b, line);
			used = 0;
		}
	}
	line[used] = '\0';
	info_take(b, line);
	close(fd);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || b->version[0] == '\0') {
		if (b->msg[0] == '\0')
			snprintf(b->msg, sizeof(b->msg), "rauc info: %d",
			    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		b->why = rauc_why(b->msg);
		return GU_EREFUSED;
	}
	b->msg[0] = '\0';
	if (device_compatible(c->system_conf, dev, sizeof(dev)) != GU_OK ||
	    strcmp(dev, b->compatible) != 0) {
		b->why = UPDATE_WHY_COMPATIBLE;
		snprintf(b->msg, sizeof(b->msg),
		    "Compatible mismatch: expected '%.100s', bundle has "
		    "'%.100s'",
		    dev, b->compatible);
		return GU_EREFUSED;
	}
	if (update_running(c, run, sizeof(run)) == GU_OK &&
	    update_version_cmp(b->version, run) <= 0) {
		b->why = UPDATE_WHY_NOT_NEWER;
		snprintf(b->msg, sizeof(b->msg),
		    "version %s is not newer than the running %s", b->version,
		    run);
		return GU_EREFUSED;
	}
	return GU_OK;
}

int
update_start(struct update_job *j, const struct update_cfg *c, const char *path)
{
	const char *argv[] = {
	    c->rauc_bin, "--conf", c->system_conf, "install", path, NULL};
	int rc;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	rc = child_spawn(argv, 1, &j->pid, &j->fd);
	if (rc != 0) {
		j->pid = 0;
		j->state = UPDATE_FAILED;
		j->why = UPDATE_WHY_FAILED;
		snprintf(j->msg, sizeof(j->msg), "%s: %s", c->rauc_bin,
		    strerror(rc));
		return GU_EIO;
	}
	j->state = UPDATE_RUNNING;
	return GU_OK;
}

static void
take(void *arg, const char *bytes, size_t n)
{
	update_take(arg, bytes, n);
}

enum update_state
update_poll(struct update_job *j, int wait_ms)
{
	int status = 0;

	if (j->state != UPDATE_RUNNING ||
	    !child_poll(&j->fd, &j->pid, wait_ms, take, j, &status))
		return j->state;
	update_take_end(j);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && j->result > 0) {
		j->state = UPDATE_DONE;
		return j->state;
	}
	j->state = UPDATE_FAILED;
	if (j->msg[0] == '\0' && WIFSIGNALED(status))
		snprintf(j->msg, sizeof(j->msg),
		    "rauc install: killed by signal %d (%s)", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else if (j->msg[0] == '\0')
		snprintf(j->msg, sizeof(j->msg), "rauc install: %d",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	j->why = rauc_why(j->msg);
	return j->state;
}

void
update_stop(struct update_job *j)
{
	int status;

	if (j->state == UPDATE_RUNNING && j->pid > 0) {
		(void) kill(j->pid, SIGTERM);
		while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (j->fd >= 0)
		close(j->fd);
	memset(j, 0, sizeof(*j));
	j->fd = -1;
}

int
update_request_reboot(const char *request)
{
	static const char line[] = "reboot\n";

	if (request == NULL || request[0] == '\0')
		return GU_OK;
	/* Whole or not at all: the watcher reads it the moment it appears. */
	return atomic_write(request, ".new", line, sizeof(line) - 1, 0660) ==
	        GU_OK
	    ? GU_OK
	    : GU_EIO;
}
