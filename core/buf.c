/*
 * buf.c: growable buffers with a maximum (buf.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "status.h"

void
buf_init(struct buf *b, size_t max)
{
	b->p = 0;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
buf_fini(struct buf *b)
{
	free(b->p);
	buf_init(b, b->max);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->p[len] = '\0';
}

/* Makes room for n more bytes and the NUL. */
static int
buf_grow(struct buf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (n > b->max || b->len > b->max - n)
		return GU_ETOOBIG;
	want = b->len + n + 1;
	if (want <= b->cap)
		return GU_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	p = realloc(b->p, cap);
	if (p == 0)
		return GU_ENOMEM;
	b->p = p;
	b->cap = cap;
	return GU_OK;
}

int
buf_add(struct buf *b, const void *data, size_t n)
{
	int rc = buf_grow(b, n);

	if (rc != GU_OK)
		return rc;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return GU_OK;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	int n, rc;

	/* Most writes fit in the room there is: format once, straight in. */
	if (room) {
		va_copy(ap2, ap);
		n = vsnprintf(b->p + b->len, room, fmt, ap2);
		va_end(ap2);
		if (n < 0)
			return GU_EINVAL;
		if ((size_t) n < room) {
			if ((size_t) n > b->max - b->len) {
				b->p[b->len] = '\0';
				return GU_ETOOBIG;
			}
			b->len += (size_t) n;
			return GU_OK;
		}
		b->p[b->len] = '\0';
	}
	va_copy(ap2, ap);
	n = vsnprintf(0, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return GU_EINVAL;
	rc = buf_grow(b, (size_t) n);
	if (rc != GU_OK)
		return rc;
	vsnprintf(b->p + b->len, (size_t) n + 1, fmt, ap);
	b->len += (size_t) n;
	return GU_OK;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}
