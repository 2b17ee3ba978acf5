/*
 * buf.c: growable buffers with a maximum (buf.h).
 */
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

/* The length of the UTF-8 character at s (n bytes left), 0 if invalid:
 * a lead byte C2..F4 followed by its continuation bytes. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t need = s[0] < 0x80          ? 1
	    : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
	    : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
	    : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
	                                   : 0;

	if (need == 0 || need > n)
		return 0;
	for (size_t i = 1; i < need; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return need;
}

size_t
buf_utf8_cut(char *dst, size_t cap, const char *src, size_t n)
{
	const unsigned char *u = (const unsigned char *) src;
	size_t used = 0, i = 0, k;

	while (i < n) {
		k = utf8_len(u + i, n - i);
		if (used + (k ? k : 1) >= cap)
			break;
		if (k == 0) {
			dst[used++] = '?';
			i++;
			continue;
		}
		memcpy(dst + used, src + i, k);
		used += k;
		i += k;
	}
	dst[used] = '\0';
	return used;
}
