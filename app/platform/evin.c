/*
 * evin.c: input for the DRM display, through libinput (see evin.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libinput.h>
#include <libudev.h>
#include <linux/input-event-codes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evin.h"

/* Coordinates go through libinput's *_transformed in this many steps, so
 * they arrive as fractions of the device's range. */
#define UNIT 1000000u

struct evin {
	struct udev *udev;
	struct libinput *li;
	int devices, touch, refused;
};

static int
open_restricted(const char *path, int flags, void *arg)
{
	struct evin *in = arg;
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			in->refused++;
		return -errno;
	}
	return fd;
}

static void
close_restricted(int fd, void *arg)
{
	(void) arg;
	close(fd);
}

static const struct libinput_interface iface = {
    .open_restricted = open_restricted,
    .close_restricted = close_restricted,
};

int
evin_open(struct evin **out, char *err, size_t len)
{
	struct evin *in;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (in == NULL) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	in->udev = udev_new();
	if (in->udev == NULL) {
		snprintf(err, len, "input: udev_new failed");
		goto fail;
	}
	in->li = libinput_udev_create_context(&iface, in, in->udev);
	if (in->li == NULL) {
		snprintf(
		    err, len, "input: libinput_udev_create_context failed");
		goto fail;
	}
	if (libinput_udev_assign_seat(in->li, "seat0") != 0) {
		snprintf(
		    err, len, "input: cannot read seat0 (is udev running?)");
		goto fail;
	}
	*out = in;
	return 0;
fail:
	evin_close(in);
	return -1;
}

int
evin_fd(const struct evin *in)
{
	return libinput_get_fd(in->li);
}

static void
device_event(struct evin *in, struct libinput_event *ev, int added)
{
	struct libinput_device *dev = libinput_event_get_device(ev);
	int d = added ? 1 : -1;

	in->devices += d;
	if (libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_TOUCH))
		in->touch += d;
}

/* One libinput event -> *e; 0 when the kiosk has no use for it. */
static int
convert(struct evin *in, struct libinput_event *ev, struct evin_event *e)
{
	struct libinput_event_touch *t;
	struct libinput_event_pointer *p;
	struct libinput_event_tablet_tool *tt;

	memset(e, 0, sizeof(*e));
	switch (libinput_event_get_type(ev)) {
	case LIBINPUT_EVENT_DEVICE_ADDED:
	case LIBINPUT_EVENT_DEVICE_REMOVED:
		device_event(in, ev,
		    libinput_event_get_type(ev) == LIBINPUT_EVENT_DEVICE_ADDED);
		return 0;
	case LIBINPUT_EVENT_TOUCH_DOWN:
	case LIBINPUT_EVENT_TOUCH_MOTION:
		t = libinput_event_get_touch_event(ev);
		e->kind =
		    libinput_event_get_type(ev) == LIBINPUT_EVENT_TOUCH_DOWN
		    ? EVIN_TOUCH_DOWN
		    : EVIN_TOUCH_MOTION;
		e->slot = libinput_event_touch_get_seat_slot(t);
		e->x = libinput_event_touch_get_x_transformed(t, UNIT) / UNIT;
		e->y = libinput_event_touch_get_y_transformed(t, UNIT) / UNIT;
		return 1;
	case LIBINPUT_EVENT_TOUCH_UP:
	case LIBINPUT_EVENT_TOUCH_CANCEL:
		t = libinput_event_get_touch_event(ev);
		e->kind = EVIN_TOUCH_UP;
		e->slot = libinput_event_touch_get_seat_slot(t);
		e->x = -1; /* no position: the last motion's */
		return 1;
	case LIBINPUT_EVENT_POINTER_MOTION_ABSOLUTE:
		p = libinput_event_get_pointer_event(ev);
		e->kind = EVIN_POINTER_ABS;
		e->x =
		    libinput_event_pointer_get_absolute_x_transformed(p, UNIT) /
		    UNIT;
		e->y =
		    libinput_event_pointer_get_absolute_y_transformed(p, UNIT) /
		    UNIT;
		return 1;
	case LIBINPUT_EVENT_POINTER_MOTION:
		p = libinput_event_get_pointer_event(ev);
		e->kind = EVIN_POINTER_REL;
		e->x = libinput_event_pointer_get_dx(p);
		e->y = libinput_event_pointer_get_dy(p);
		return 1;
	case LIBINPUT_EVENT_POINTER_BUTTON:
		p = libinput_event_get_pointer_event(ev);
		if (libinput_event_pointer_get_button(p) != BTN_LEFT)
			return 0;
		e->kind = EVIN_BUTTON;
		e->down = libinput_event_pointer_get_button_state(p) ==
		    LIBINPUT_BUTTON_STATE_PRESSED;
		return 1;
	/* A pen panel: its tip is the button, its axes an absolute
	 * pointer. */
	case LIBINPUT_EVENT_TABLET_TOOL_AXIS:
	case LIBINPUT_EVENT_TABLET_TOOL_PROXIMITY:
		tt = libinput_event_get_tablet_tool_event(ev);
		e->kind = EVIN_POINTER_ABS;
		e->x = libinput_event_tablet_tool_get_x_transformed(tt, UNIT) /
		    UNIT;
		e->y = libinput_event_tablet_tool_get_y_transformed(tt, UNIT) /
		    UNIT;
		return 1;
	case LIBINPUT_EVENT_TABLET_TOOL_TIP:
		tt = libinput_event_get_tablet_tool_event(ev);
		e->kind = EVIN_BUTTON;
		e->down = libinput_event_tablet_tool_get_tip_state(tt) ==
		    LIBINPUT_TABLET_TOOL_TIP_DOWN;
		return 1;
	default:
		return 0;
	}
}

int
evin_next(struct evin *in, struct evin_event *e)
{
	struct libinput_event *ev;
	int got = 0;

	libinput_dispatch(in->li);
	while (!got && (ev = libinput_get_event(in->li)) != NULL) {
		got = convert(in, ev, e);
		libinput_event_destroy(ev);
	}
	return got;
}

void
evin_count(const struct evin *in, int *devices, int *touch, int *refused)
{
	*devices = in->devices;
	*touch = in->touch;
	*refused = in->refused;
}

void
evin_close(struct evin *in)
{
	if (in == NULL)
		return;
	if (in->li != NULL)
		libinput_unref(in->li);
	if (in->udev != NULL)
		udev_unref(in->udev);
	free(in);
}
