/*
 * png.h: writes RGB images as PNG with a small deterministic encoder (no
 * zlib: the only zlib user is sync/pack*.c).  The same pixels always give
 * the same bytes, so a golden screenshot is compared byte for byte.
 */
#ifndef GU_PNG_H
#define GU_PNG_H

#include <stddef.h>
#include <stdint.h>

/*
 * Encodes w x h pixels of 3 bytes (R, G, B), rows pitch bytes apart, into
 * a new buffer *out of *len bytes (free() it).  GU_ENOMEM, GU_EINVAL.
 */
int png_encode(
    const uint8_t *rgb, int w, int h, size_t pitch, uint8_t **out, size_t *len);

/* png_encode into a file; GU_EIO if it cannot be written. */
int png_write(const char *path, const uint8_t *rgb, int w, int h, size_t pitch);

#endif
