/*
 * poke.c: the datagram nudge from the kiosk to the sync daemon (poke.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "poke.h"
#include "status.h"

/* Fills sa with data_dir/POKE_SOCKET_NAME; GU_ETOOBIG if it does not fit. */
static int
poke_addr(const char *data_dir, struct sockaddr_un *sa)
{
	int n;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	n = snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s", data_dir,
	    POKE_SOCKET_NAME);
	if (n < 0 || (size_t) n >= sizeof(sa->sun_path))
		return GU_ETOOBIG;
	return GU_OK;
}

void
poke_send(const char *data_dir, enum poke_kind kind)
{
	struct sockaddr_un sa;
	char c = (char) kind;
	int fd;

	if (data_dir == NULL || poke_addr(data_dir, &sa) != GU_OK)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	/* ENOENT, ECONNREFUSED (no daemon), EAGAIN (queue full): dropped. */
	(void) sendto(fd, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL,
	    (const struct sockaddr *) &sa, sizeof(sa));
	close(fd);
}

int
poke_listening(const char *data_dir)
{
	struct sockaddr_un sa;
	int fd, rc;

	if (data_dir == NULL || poke_addr(data_dir, &sa) != GU_OK)
		return -1;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A datagram connect only checks that someone has the name bound. */
	rc = connect(fd, (const struct sockaddr *) &sa, sizeof(sa));
	if (rc == 0)
		rc = 1;
	else if (errno == ENOENT || errno == ECONNREFUSED)
		rc = 0;
	else
		rc = -1;
	close(fd);
	return rc;
}

int
poke_listen(const char *data_dir, int *fd)
{
	struct sockaddr_un sa;
	mode_t old;
	int rc, s;

	*fd = -1;
	rc = poke_addr(data_dir, &sa);
	if (rc != GU_OK)
		return rc;
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return GU_EIO;
	(void) unlink(sa.sun_path);
	old = umask(007);
	rc = bind(s, (const struct sockaddr *) &sa, sizeof(sa));
	umask(old);
	if (rc != 0) {
		close(s);
		return GU_EIO;
	}
	*fd = s;
	return GU_OK;
}

int
poke_recv(int fd)
{
	char buf[16];
	ssize_t n;
	int bits = 0, i;

	if (fd < 0)
		return 0;
	/* Bounded: a flood of pokes cannot keep the daemon here forever. */
	for (i = 0; i < 1024; i++) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			break;
		if (n >= 1 && buf[0] == POKE_TRIGGER)
			bits |= POKE_F_TRIGGER;
		else
			bits |= POKE_F_COMMIT;
	}
	return bits;
}

void
poke_close(int fd, const char *data_dir)
{
	struct sockaddr_un sa;

	if (fd < 0)
		return;
	close(fd);
	if (data_dir != NULL && poke_addr(data_dir, &sa) == GU_OK)
		(void) unlink(sa.sun_path);
}
