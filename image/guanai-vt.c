/*
 * guanai-vt: makes tty N the foreground virtual terminal and locks VT
 * switching, so nobody at the school's terminal can reach another console
 * with Ctrl-Alt-Fn.  Run as root before the kiosk starts
 * (ExecStartPre=+ in guanai-kiosk.service).
 *
 *   guanai-vt N	activate ttyN and lock switching
 *
 * Failure: a line on stderr and exit status 1; the kiosk still starts (the
 * unit ignores the status), since a screen with an unlocked VT is better
 * than no screen.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char *end = NULL;
	long n;
	int fd, rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: guanai-vt N\n");
		return 2;
	}
	errno = 0;
	n = strtol(argv[1], &end, 10);
	if (errno != 0 || end == argv[1] || *end != '\0' || n < 1 || n > 63) {
		fprintf(stderr, "guanai-vt: bad tty number '%s'\n", argv[1]);
		return 2;
	}
	fd = open("/dev/tty0", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "guanai-vt: /dev/tty0: %s\n", strerror(errno));
		return 1;
	}
	/* Unlock first: a restarted kiosk finds the lock of its last run. */
	(void) ioctl(fd, VT_UNLOCKSWITCH, 0);
	if (ioctl(fd, VT_ACTIVATE, (int) n) != 0 ||
	    ioctl(fd, VT_WAITACTIVE, (int) n) != 0) {
		fprintf(stderr, "guanai-vt: activate tty%ld: %s\n", n,
		    strerror(errno));
		goto out;
	}
	if (ioctl(fd, VT_LOCKSWITCH, 0) != 0) {
		fprintf(stderr, "guanai-vt: lock: %s\n", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}
