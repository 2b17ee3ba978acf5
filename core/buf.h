/*
 * buf.h: a growable byte buffer with a hard maximum.
 *
 * The caller owns the struct (buf_init/buf_fini); the buffer owns the
 * bytes.  Appends past max fail with GU_ETOOBIG and leave the buffer as it
 * was, so a caller can report the error with what it had.  The bytes are
 * always followed by a NUL that len does not count.
 */
#ifndef GU_BUF_H
#define GU_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *p;    /* NULL until the first append */
	size_t len; /* bytes in use, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* len never exceeds this */
};

void buf_init(struct buf *b, size_t max);
void buf_fini(struct buf *b);
/* Empties b and keeps its memory. */
void buf_reset(struct buf *b);
/* Drops the bytes after the first len (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
/* Appends n bytes.  GU_ETOOBIG past max, GU_ENOMEM; b unchanged then. */
int buf_add(struct buf *b, const void *data, size_t n);

/*
 * buf_put() and buf_putc() are buf_add() inline, for code
 * that appends many small pieces (a JSON line per record): when the bytes
 * fit the room there is they are copied right here; otherwise buf_add()
 * grows the buffer first.  Same results, same errors.
 */
static inline int
buf_put(struct buf *b, const void *data, size_t n)
{
	if (n < b->cap - b->len && n <= b->max - b->len) {
		if (n)
			memcpy(b->p + b->len, data, n);
		b->len += n;
		b->p[b->len] = '\0';
		return 0; /* GU_OK */
	}
	return buf_add(b, data, n);
}

static inline int
buf_putc(struct buf *b, char c)
{
	return buf_put(b, &c, 1);
}

/*
 * Copies n bytes of src into dst (cap bytes, cap >= 1) as valid UTF-8: a
 * byte that starts no whole character becomes '?'; a character that does
 * not fit ends it.  dst is NUL-terminated; returns its length.  (rauc's
 * lines go through it, in the kiosk and in guanai-sync.)
 */
size_t buf_utf8_cut(char *dst, size_t cap, const char *src, size_t n);

#endif
