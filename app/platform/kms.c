/*
 * kms.c: frames on the display through KMS dumb buffers (see kms.h).
 *
 * The mode is the one the console already runs when it is valid (what
 * the firmware or fbcon chose for this panel), else the connector's
 * preferred one.  What the console showed is put back on close, so the
 * text console returns when the kiosk stops.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kd.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "kms.h"

#define CARDS_MAX 8
#define FLIP_WAIT_MS 100

struct dumb {
	uint32_t handle, fb;
	uint32_t pitch;
	uint64_t size;
	uint8_t *map;
};

struct drm_out {
	int fd;
	char card[32];
	uint32_t conn, crtc;
	drmModeModeInfo mode;
	int mm_w, mm_h;
	drmModeCrtc *saved; /* what the console showed */
	struct dumb buf[2];
	int front;        /* index of the buffer on screen */
	int flip_pending; /* a flip was queued and has not completed */
	int no_flip;      /* the driver has no page flip: set the CRTC */
	int kd_saved;     /* the console's KD mode, -1 untouched */
	char desc[128];
};

static void
flip_done(int fd, unsigned seq, unsigned sec, unsigned usec, void *arg)
{
	struct drm_out *d = arg;

	(void) fd;
	(void) seq;
	(void) sec;
	(void) usec;
	d->flip_pending = 0;
}

/* The CRTC that can drive conn: its encoder's, or the first free one
 * one of its encoders allows. */
static uint32_t
find_crtc(int fd, const drmModeRes *res, const drmModeConnector *c)
{
	drmModeEncoder *e;
	uint32_t crtc = 0;
	int i, j;

	if (c->encoder_id != 0 &&
	    (e = drmModeGetEncoder(fd, c->encoder_id)) != NULL) {
		crtc = e->crtc_id;
		drmModeFreeEncoder(e);
		if (crtc != 0)
			return crtc;
	}
	for (i = 0; i < c->count_encoders && crtc == 0; i++) {
		e = drmModeGetEncoder(fd, c->encoders[i]);
		if (e == NULL)
			continue;
		for (j = 0; j < res->count_crtcs; j++)
			if (e->possible_crtcs & (1u << j)) {
				crtc = res->crtcs[j];
				break;
			}
		drmModeFreeEncoder(e);
	}
	return crtc;
}

/* The connected connector of fd with a mode and a CRTC; 0 when none. */
static int
pick_output(struct drm_out *d, char *err, size_t len)
{
	drmModeRes *res;
	drmModeConnector *c;
	const drmModeModeInfo *m;
	int i, j, found = 0;

	res = drmModeGetResources(d->fd);
	if (res == NULL) {
		snprintf(err, len, "%s: not a mode-setting device (%s)",
		    d->card, strerror(errno));
		return 0;
	}
	for (i = 0; i < res->count_connectors && !found; i++) {
		c = drmModeGetConnector(d->fd, res->connectors[i]);
		if (c == NULL)
			continue;
		if (c->connection == DRM_MODE_CONNECTED && c->count_modes > 0 &&
		    (d->crtc = find_crtc(d->fd, res, c)) != 0) {
			m = &c->modes[0];
			for (j = 0; j < c->count_modes; j++)
				if (c->modes[j].type &
				    DRM_MODE_TYPE_PREFERRED) {
					m = &c->modes[j];
					break;
				}
			d->conn = c->connector_id;
			d->mode = *m;
			d->mm_w = (int) c->mmWidth;
			d->mm_h = (int) c->mmHeight;
			found = 1;
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	if (!found) {
		snprintf(err, len, "%s: no connected screen", d->card);
		return 0;
	}
	/* Keep the mode the console runs, if it has one. */
	d->saved = drmModeGetCrtc(d->fd, d->crtc);
	if (d->saved != NULL && d->saved->mode_valid)
		d->mode = d->saved->mode;
	return 1;
}

static int
dumb_make(struct drm_out *d, struct dumb *b)
{
	uint64_t off;

	if (drmModeCreateDumbBuffer(d->fd, d->mode.hdisplay, d->mode.vdisplay,
	        32, 0, &b->handle, &b->pitch, &b->size) != 0)
		return -1;
	if (drmModeAddFB(d->fd, d->mode.hdisplay, d->mode.vdisplay, 24, 32,
	        b->pitch, b->handle, &b->fb) != 0)
		return -1;
	if (drmModeMapDumbBuffer(d->fd, b->handle, &off) != 0)
		return -1;
	b->map = mmap(NULL, (size_t) b->size, PROT_READ | PROT_WRITE,
	    MAP_SHARED, d->fd, (off_t) off);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return -1;
	}
	memset(b->map, 0, (size_t) b->size);
	return 0;
}

static void
dumb_free(struct drm_out *d, struct dumb *b)
{
	if (b->map != NULL)
		munmap(b->map, (size_t) b->size);
	if (b->fb != 0)
		drmModeRmFB(d->fd, b->fb);
	if (b->handle != 0)
		drmModeDestroyDumbBuffer(d->fd, b->handle);
	memset(b, 0, sizeof(*b));
}

static int
set_crtc(struct drm_out *d, int which)
{
	return drmModeSetCrtc(
	    d->fd, d->crtc, d->buf[which].fb, 0, 0, &d->conn, 1, &d->mode);
}

/* The text console must not draw over the frame (its cursor, kernel
 * messages): put the VT on stdin, if it is one, into graphics mode. */
static void
console_graphics(struct drm_out *d)
{
	int mode;

	d->kd_saved = -1;
	if (ioctl(0, KDGETMODE, &mode) == 0 &&
	    ioctl(0, KDSETMODE, KD_GRAPHICS) == 0)
		d->kd_saved = mode;
}

static int
open_card(struct drm_out *d, const char *path, char *err, size_t len)
{
	snprintf(d->card, sizeof(d->card), "%s", path);
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		snprintf(err, len, "%s: %s%s", path, strerror(errno),
		    errno == EACCES ? " (the user must be in group video)"
		                    : "");
		return 0;
	}
	if (pick_output(d, err, len))
		return 1;
	close(d->fd);
	d->fd = -1;
	if (d->saved != NULL)
		drmModeFreeCrtc(d->saved);
	d->saved = NULL;
	return 0;
}

int
drm_open(struct drm_out **out, const char *card, char *err, size_t len)
{
	struct drm_out *d;
	drmVersion *v;
	char path[32];
	int i, ok = 0;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	d->fd = -1;
	d->kd_saved = -1;
	snprintf(err, len, "no /dev/dri/card0..%d", CARDS_MAX - 1);
	if (card != NULL)
		ok = open_card(d, card, err, len);
	for (i = 0; card == NULL && i < CARDS_MAX && !ok; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		if (access(path, F_OK) == 0)
			ok = open_card(d, path, err, len);
	}
	if (!ok)
		goto fail;
	for (i = 0; i < 2; i++)
		if (dumb_make(d, &d->buf[i]) != 0) {
			snprintf(err, len, "%s: no %ux%u frame buffer: %s",
			    d->card, d->mode.hdisplay, d->mode.vdisplay,
			    strerror(errno));
			goto fail;
		}
	if (set_crtc(d, 0) != 0) {
		snprintf(err, len, "%s: cannot show a frame (%s)%s", d->card,
		    strerror(errno),
		    errno == EACCES || errno == EPERM
		        ? ": another program holds the display"
		        : "");
		goto fail;
	}
	console_graphics(d);
	v = drmGetVersion(d->fd);
	snprintf(d->desc, sizeof(d->desc), "%s %s %ux%u@%u", d->card,
	    v != NULL ? v->name : "?", d->mode.hdisplay, d->mode.vdisplay,
	    d->mode.vrefresh);
	drmFreeVersion(v);
	*out = d;
	return 0;
fail:
	drm_close(d);
	return -1;
}

void
drm_size(const struct drm_out *d, int *w, int *h, int *mm_w, int *mm_h)
{
	*w = d->mode.hdisplay;
	*h = d->mode.vdisplay;
	*mm_w = d->mm_w;
	*mm_h = d->mm_h;
}

const char *
drm_describe(const struct drm_out *d)
{
	return d->desc;
}

/* Waits (at most FLIP_WAIT_MS) until the queued flip has happened, so the
 * buffer it left is no longer on screen. */
static void
flip_wait(struct drm_out *d)
{
	drmEventContext ev = {0};
	struct pollfd pfd = {.fd = d->fd, .events = POLLIN};

	ev.version = 2;
	ev.page_flip_handler = flip_done;
	while (d->flip_pending) {
		if (poll(&pfd, 1, FLIP_WAIT_MS) <= 0) {
			d->flip_pending = 0; /* lost: go on */
			break;
		}
		if (drmHandleEvent(d->fd, &ev) != 0)
			d->flip_pending = 0;
	}
}

int
drm_present(struct drm_out *d, const void *px, size_t pitch)
{
	int back = 1 - d->front;
	struct dumb *b = &d->buf[back];
	size_t row = (size_t) d->mode.hdisplay * 4, y;
	const uint8_t *src = px;

	flip_wait(d);
	for (y = 0; y < d->mode.vdisplay; y++)
		memcpy(b->map + y * b->pitch, src + y * pitch, row);
	if (!d->no_flip) {
		if (drmModePageFlip(d->fd, d->crtc, b->fb,
		        DRM_MODE_PAGE_FLIP_EVENT, d) == 0) {
			d->flip_pending = 1;
			d->front = back;
			return 0;
		}
		if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
			return -1; /* EBUSY and the like: next frame */
		d->no_flip = 1;
	}
	if (set_crtc(d, back) != 0)
		return -1;
	d->front = back;
	return 0;
}

void
drm_close(struct drm_out *d)
{
	int i;

	if (d == NULL)
		return;
	if (d->fd >= 0)
		flip_wait(d);
	if (d->kd_saved >= 0)
		(void) ioctl(0, KDSETMODE, d->kd_saved);
	if (d->saved != NULL) {
		if (d->saved->mode_valid && d->saved->buffer_id != 0)
			(void) drmModeSetCrtc(d->fd, d->saved->crtc_id,
			    d->saved->buffer_id, d->saved->x, d->saved->y,
			    &d->conn, 1, &d->saved->mode);
		drmModeFreeCrtc(d->saved);
	}
	for (i = 0; i < 2; i++)
		dumb_free(d, &d->buf[i]);
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}
