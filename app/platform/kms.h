/*
 * kms.h: the screen without a GPU stack.  The kiosk paints each frame in
 * memory (SDL's software renderer, as headless) and this module puts the
 * pixels on the display through the kernel's mode setting: two "dumb"
 * buffers (plain memory every KMS driver has: i915, amdgpu, bochs,
 * virtio-gpu, simpledrm on a firmware framebuffer), one scanned out while
 * the other is written, swapped by a page flip.  No Mesa, no EGL, no
 * LLVM: on the appliance that is 70 MiB of memory and 190 MiB of root
 * less (docs/image.md, "The display").
 *
 * Knows nothing of SDL: it takes XRGB8888 rows (SDL_PIXELFORMAT_RGB888).
 * Used by guanai-kiosk (platform_sdl.c) and guanai-screen (image/).
 */
#ifndef GU_KMS_H
#define GU_KMS_H

#include <stddef.h>

struct drm_out;

/*
 * Opens card (a path such as /dev/dri/card0; NULL: the first card in
 * /dev/dri with a connected output), takes the connected connector's
 * preferred mode and shows a black frame.  On error returns -1 with a
 * sentence in err naming the card and what failed; *out is NULL.
 */
int drm_open(struct drm_out **out, const char *card, char *err, size_t len);

/* The mode's size in pixels, and the panel's in mm (0 when unknown). */
void drm_size(const struct drm_out *d, int *w, int *h, int *mm_w, int *mm_h);

/* A line for the log: "CARD DRIVER CONNECTOR WxH@HZ". */
const char *drm_describe(const struct drm_out *d);

/*
 * Shows a frame of XRGB8888 pixels, the mode's size, rows pitch bytes
 * apart: copies them into the buffer not on screen and flips to it
 * (waiting for the previous flip first, at most 100 ms).  Returns 0, or
 * -1 with errno when the driver refused (the next call tries again).
 */
int drm_present(struct drm_out *d, const void *px, size_t pitch);

/* Restores the console's mode and closes the card; NULL is a no-op. */
void drm_close(struct drm_out *d);

#endif
