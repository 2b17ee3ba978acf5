/*
 * bench_xwait.c: times a program from outside, the same way for every
 * program: from just before it is started until the X root window shows
 * a reference picture.  bench/kiosk.sh uses it to compare guanai-kiosk
 * with Chromium like with like (issue 10 item 17): the same event (the
 * roster fully on the screen), seen by the same observer, at the same
 * resolution.
 *
 *   bench_xwait --grab FILE
 *       writes the root window's pixels to FILE (the reference: taken
 *       after a run has settled)
 *   bench_xwait --time FILE TIMEOUT_MS -- PROGRAM ARG...
 *       starts PROGRAM in a session of its own, reads the root window as
 *       fast as the X server gives it (MIT-SHM; a pause of 1 ms between
 *       reads) until no more than 0.5 % of its pixels differ from FILE,
 *       prints "ms N" (from before the fork to the first matching read),
 *       "last_gap_ms G" (from the last read that did not match to the
 *       one that did: the resolution of N), "poll_ms P" (the longest gap
 *       between two reads of the whole run) and "reads R", then ends the program's whole session (SIGTERM,
 *       then SIGKILL after 2 s).  Exit 0, or 1 on a timeout (then "ms -")
 *       or an error.
 *
 * While it watches, the observer raises its own priority by 10 when it
 * may (the program runs at the one it was given), so the resolution is
 * the X server's and not the scheduler's.
 *
 * The tolerance lets a clock that turned a minute, or a blinking caret,
 * pass; a screen half drawn (a background without its names, the
 * previous screen) differs in far more pixels than that.
 *
 * The file is "GUXW" w h (two little-endian u32) and w * h 32-bit pixels
 * as XGetImage gives them (the server's byte order; read back on the same
 * server).  Only this file includes Xlib.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

#include "clock.h"

#define TOLERANCE_PER_MILLE 5

struct grabber {
	Display *d;
	Window root;
	int w, h;
	XImage *img;
	XShmSegmentInfo shm;
};

static int
grab_open(struct grabber *g)
{
	XWindowAttributes wa;
	int scr;

	memset(g, 0, sizeof(*g));
	g->shm.shmid = -1;
	g->d = XOpenDisplay(NULL);
	if (g->d == NULL) {
		fprintf(stderr, "bench_xwait: cannot open display\n");
		return -1;
	}
	scr = DefaultScreen(g->d);
	g->root = RootWindow(g->d, scr);
	XGetWindowAttributes(g->d, g->root, &wa);
	g->w = wa.width;
	g->h = wa.height;
	if (!XShmQueryExtension(g->d)) {
		fprintf(stderr, "bench_xwait: the X server has no MIT-SHM\n");
		return -1;
	}
	g->img = XShmCreateImage(g->d, DefaultVisual(g->d, scr),
	    (unsigned) DefaultDepth(g->d, scr), ZPixmap, NULL, &g->shm,
	    (unsigned) g->w, (unsigned) g->h);
	if (g->img == NULL || g->img->bits_per_pixel != 32) {
		fprintf(stderr, "bench_xwait: need a 32-bit visual\n");
		return -1;
	}
	g->shm.shmid = shmget(IPC_PRIVATE,
	    (size_t) g->img->bytes_per_line * (size_t) g->h, IPC_CREAT | 0600);
	if (g->shm.shmid < 0) {
		perror("bench_xwait: shmget");
		return -1;
	}
	g->shm.shmaddr = g->img->data = shmat(g->shm.shmid, NULL, 0);
	/* Removed now, freed when both sides detach. */
	shmctl(g->shm.shmid, IPC_RMID, NULL);
	if (g->shm.shmaddr == (void *) -1) {
		perror("bench_xwait: shmat");
		return -1;
	}
	g->shm.readOnly = False;
	if (!XShmAttach(g->d, &g->shm)) {
		fprintf(stderr, "bench_xwait: XShmAttach failed\n");
		return -1;
	}
	XSync(g->d, False);
	return 0;
}

static int
grab(struct grabber *g)
{
	return XShmGetImage(g->d, g->root, g->img, 0, 0, AllPlanes) ? 0 : -1;
}

static void
grab_close(struct grabber *g)
{
	if (g->d == NULL)
		return;
	if (g->img != NULL && g->shm.shmaddr != NULL &&
	    g->shm.shmaddr != (void *) -1) {
		XShmDetach(g->d, &g->shm);
		shmdt(g->shm.shmaddr);
	}
	if (g->img != NULL) {
		g->img->data = NULL;
		XDestroyImage(g->img);
	}
	XCloseDisplay(g->d);
}

/* The row r of the grabbed image, w pixels. */
static const uint32_t *
row_of(const struct grabber *g, int r)
{
	return (const uint32_t *) (const void *) (g->img->data +
	    (size_t) r * (size_t) g->img->bytes_per_line);
}

static int
write_ref(const struct grabber *g, const char *path)
{
	uint32_t hdr[2] = {(uint32_t) g->w, (uint32_t) g->h};
	FILE *f = fopen(path, "wb");
	int r, ok = f != NULL;

	if (ok)
		ok = fwrite("GUXW", 4, 1, f) == 1 &&
		    fwrite(hdr, sizeof(hdr), 1, f) == 1;
	for (r = 0; ok && r < g->h; r++)
		ok = fwrite(row_of(g, r), 4, (size_t) g->w, f) == (size_t) g->w;
	if (f != NULL && fclose(f) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "bench_xwait: cannot write %s\n", path);
	return ok ? 0 : -1;
}

static uint32_t *
read_ref(const struct grabber *g, const char *path)
{
	uint32_t hdr[2], *px = NULL;
	char magic[4];
	size_t n = (size_t) g->w * (size_t) g->h;
	FILE *f = fopen(path, "rb");

	if (f == NULL || fread(magic, 4, 1, f) != 1 ||
	    memcmp(magic, "GUXW", 4) != 0 ||
	    fread(hdr, sizeof(hdr), 1, f) != 1 || hdr[0] != (uint32_t) g->w ||
	    hdr[1] != (uint32_t) g->h)
		goto bad;
	px = malloc(n * 4);
	if (px == NULL || fread(px, 4, n, f) != n)
		goto bad;
	fclose(f);
	return px;
bad:
	fprintf(stderr,
	    "bench_xwait: %s is not a reference of this %dx%d screen\n", path,
	    g->w, g->h);
	free(px);
	if (f != NULL)
		fclose(f);
	return NULL;
}

/* Nonzero when at most TOLERANCE_PER_MILLE of the pixels differ. */
static int
matches(const struct grabber *g, const uint32_t *ref)
{
	size_t diff = 0,
	       limit =
	           (size_t) g->w * (size_t) g->h * TOLERANCE_PER_MILLE / 1000;
	const uint32_t *a, *b;
	int r, c;

	for (r = 0; r < g->h; r++) {
		a = row_of(g, r);
		b = ref + (size_t) r * (size_t) g->w;
		if (memcmp(a, b, (size_t) g->w * 4) == 0)
			continue;
		for (c = 0; c < g->w; c++)
			diff += (a[c] & 0xFFFFFF) != (b[c] & 0xFFFFFF);
		if (diff > limit)
			return 0;
	}
	return 1;
}

static void
end_session(pid_t pid)
{
	int i, st;

	kill(-pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	if (i == 200) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	/* Chromium's helpers die with their session; give them a moment. */
	kill(-pid, SIGKILL);
}

static int
time_run(const char *ref_path, long timeout_ms, char **argv)
{
	struct grabber g;
	struct timespec pause = {0, 1000000};
	int64_t t0, t, last, gap = 0, found = -1, before = 0;
	uint32_t *ref = NULL;
	long reads = 0;
	pid_t pid = -1;
	int rc = 1, prio;

	if (grab_open(&g) != 0)
		goto out;
	ref = read_ref(&g, ref_path);
	if (ref == NULL)
		goto out;
	if (grab(&g) != 0 || matches(&g, ref)) {
		fprintf(stderr,
		    "bench_xwait: the screen shows the reference "
		    "before the program starts\n");
		goto out;
	}
	/*
	 * The observer must not be starved by what it watches (Chromium
	 * fills both cores): it asks for a higher priority if it may, and
	 * the program gets the one it was started with.
	 */
	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	if (errno != 0)
		prio = 0;
	(void) setpriority(PRIO_PROCESS, 0, prio - 10);
	t0 = clock_mono_us();
	pid = fork();
	if (pid < 0) {
		perror("bench_xwait: fork");
		goto out;
	}
	if (pid == 0) {
		(void) setpriority(PRIO_PROCESS, 0, prio);
		setsid();
		execvp(argv[0], argv);
		fprintf(
		    stderr, "bench_xwait: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	last = t0;
	for (;;) {
		if (grab(&g) != 0) {
			fprintf(stderr, "bench_xwait: XShmGetImage failed\n");
			goto out;
		}
		t = clock_mono_us();
		reads++;
		if (t - last > gap)
			gap = t - last;
		last = t;
		if (matches(&g, ref)) {
			found = t;
			break;
		}
		before = t;
		if ((t - t0) / 1000 > timeout_ms)
			break;
		nanosleep(&pause, NULL);
	}
	if (found >= 0)
		printf("ms %.1f\nlast_gap_ms %.1f\n",
		    (double) (found - t0) / 1000,
		    (double) (found - (before != 0 ? before : t0)) / 1000);
	else
		printf("ms -\n");
	printf("poll_ms %.1f\nreads %ld\n", (double) gap / 1000, reads);
	rc = found >= 0 ? 0 : 1;
out:
	if (pid > 0)
		end_session(pid);
	free(ref);
	grab_close(&g);
	return rc;
}

int
main(int argc, char **argv)
{
	struct grabber g;
	char *end;
	long timeout_ms;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--grab") == 0) {
		rc = grab_open(&g) == 0 && grab(&g) == 0 &&
		    write_ref(&g, argv[2]) == 0;
		grab_close(&g);
		return rc ? 0 : 1;
	}
	if (argc >= 6 && strcmp(argv[1], "--time") == 0 &&
	    strcmp(argv[4], "--") == 0) {
		errno = 0;
		timeout_ms = strtol(argv[3], &end, 10);
		if (errno == 0 && *end == '\0' && timeout_ms > 0)
			return time_run(argv[2], timeout_ms, argv + 5);
	}
	fprintf(stderr,
	    "usage: bench_xwait --grab FILE | --time FILE TIMEOUT_MS -- "
	    "PROGRAM ARG...\n");
	return 2;
}
