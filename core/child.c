/*
 * child.c: a helper program on a pipe (see child.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

extern char **environ;

int
child_spawn(const char *const *argv, int nonblock, pid_t *pid, int *fd)
{
	posix_spawn_file_actions_t fa;
	int fds[2], rc;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return errno;
	/* Its output and its errors on the pipe; the pipe's own ends close
	 * in it (O_CLOEXEC), the dup'ed ones stay. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	rc = posix_spawnp(
	    pid, argv[0], &fa, NULL, (char *const *) argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return rc;
	}
	if (nonblock)
		(void) fcntl(
		    fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	*fd = fds[0];
	return 0;
}

int
child_poll(int *fd, pid_t *pid, int wait_ms,
    void (*take)(void *arg, const char *bytes, size_t n), void *arg,
    int *status)
{
	struct pollfd pf;
	char buf[1024];
	ssize_t got;

	pf.fd = *fd;
	pf.events = POLLIN;
	pf.revents = 0;
	if (poll(&pf, 1, wait_ms) <= 0)
		return 0;
	for (;;) {
		got = read(*fd, buf, sizeof(buf));
		if (got > 0) {
			take(arg, buf, (size_t) got);
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			return 0; /* more to come */
		break;            /* end of file: the program has ended */
	}
	close(*fd);
	*fd = -1;
	*status = 0;
	while (waitpid(*pid, status, 0) < 0 && errno == EINTR)
		;
	*pid = 0;
	return 1;
}
