/*
 * evin.h: touches and pointers from the kernel's input devices, through
 * libinput (udev seat0: hot-plugged panels and mice come and go), for
 * the kiosk's DRM display (kms.h), where no window system delivers them.
 *
 * Only what the kiosk uses leaves here: touch down/motion/up with
 * coordinates 0..1 of the panel (the kiosk applies its own rotation and
 * calibration, as it does for SDL's touches), an absolute pointer (a USB
 * tablet, QEMU's usb-tablet, a HID panel that says it is one) in 0..1 of
 * the screen, relative mouse motion in pixels, and the left button.
 * Keys are ignored: the terminal has no keyboard use.
 *
 * Knows nothing of SDL.
 */
#ifndef GU_EVIN_H
#define GU_EVIN_H

#include <stddef.h>

struct evin;

enum evin_kind {
	EVIN_TOUCH_DOWN,
	EVIN_TOUCH_MOTION,
	EVIN_TOUCH_UP,    /* also a cancelled touch */
	EVIN_POINTER_ABS, /* x, y in 0..1 */
	EVIN_POINTER_REL, /* x, y: the motion in pixels */
	EVIN_BUTTON       /* the left button; down 1 or 0 */
};

struct evin_event {
	enum evin_kind kind;
	int slot; /* the touch's slot (which finger) */
	double x, y;
	int down;
};

/*
 * Opens seat0.  On error returns -1 with a sentence in err; a seat
 * with no device yet is not an error (a panel may be plugged in later).
 */
int evin_open(struct evin **out, char *err, size_t len);

/* The descriptor to poll for input. */
int evin_fd(const struct evin *in);

/*
 * Reads what the devices sent (call when evin_fd is readable, or any time)
 * and returns the next event in *e: 1, or 0 when there is none now.
 */
int evin_next(struct evin *in, struct evin_event *e);

/* Devices on the seat now: all, those with touch, and those the kiosk's
 * user could not open (permissions). */
void evin_count(const struct evin *in, int *devices, int *touch, int *refused);

void evin_close(struct evin *in);

#endif
