/*
 * pack.c: gzip framing of batches (pack.h).  The only file that includes
 * <zlib.h>; zlib's codes become GU_* codes here.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pack.h"
#include "status.h"

struct pack {
	z_stream z;
	gz_header gh;
	int live; /* deflateInit2 done */
	uint8_t *buf;
	size_t len, cap, max;
};

/* Starts a fresh deflate stream for a member; the output so far stays. */
static int
pack_stream(struct pack *p)
{
	int zr;

	if (p->live)
		deflateEnd(&p->z);
	p->live = 0;
	memset(&p->z, 0, sizeof(p->z));
	/* windowBits 15 + 16: a gzip wrapper; memLevel 8 as gzip(1). */
	zr = deflateInit2(
	    &p->z, PACK_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	if (zr != Z_OK)
		return GU_ENOMEM;
	p->live = 1;
	zr = deflateTune(&p->z, PACK_GOOD, PACK_LAZY, PACK_NICE, PACK_CHAIN);
	if (zr != Z_OK)
		return GU_EIO;
	/* Fixed header fields: nothing that depends on time or place. */
	memset(&p->gh, 0, sizeof(p->gh));
	p->gh.time = 0;
	p->gh.os = 255;
	zr = deflateSetHeader(&p->z, &p->gh);
	if (zr != Z_OK)
		return GU_EIO;
	return GU_OK;
}

static int
pack_start(struct pack *p)
{
	p->len = 0;
	return pack_stream(p);
}

int
pack_new(struct pack **out, size_t max_bytes)
{
	struct pack *p;
	int rc;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return GU_ENOMEM;
	p->max = max_bytes;
	rc = pack_start(p);
	if (rc != GU_OK) {
		pack_free(p);
		return rc;
	}
	*out = p;
	return GU_OK;
}

/* Makes room for at least want more output bytes. */
static int
pack_grow(struct pack *p, size_t want)
{
	size_t ncap;
	uint8_t *nb;

	if (p->cap - p->len >= want)
		return GU_OK;
	if (p->len + want > p->max)
		return GU_ETOOBIG;
	ncap = p->cap ? p->cap : 64 * 1024;
	while (ncap - p->len < want)
		ncap *= 2;
	if (ncap > p->max)
		ncap = p->max;
	nb = realloc(p->buf, ncap);
	if (nb == NULL)
		return GU_ENOMEM;
	p->buf = nb;
	p->cap = ncap;
	return GU_OK;
}

static int
pack_run(struct pack *p, int flush)
{
	int zr, rc;

	for (;;) {
		rc = pack_grow(p, 16 * 1024);
		if (rc != GU_OK)
			return rc;
		p->z.next_out = p->buf + p->len;
		p->z.avail_out = (uInt) (p->cap - p->len);
		zr = deflate(&p->z, flush);
		p->len = p->cap - p->z.avail_out;
		if (zr == Z_STREAM_END)
			return GU_OK;
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			return GU_EIO;
		if (flush == Z_NO_FLUSH && p->z.avail_in == 0)
			return GU_OK;
		if (flush == Z_FINISH && p->z.avail_out != 0 &&
		    zr == Z_BUF_ERROR)
			return GU_EIO;
	}
}

int
pack_write(struct pack *p, const void *data, size_t len)
{
	const uint8_t *d = data;
	int rc;

	if (!p->live)
		return GU_EINVAL;
	while (len > 0) {
		size_t n = len > (1u << 30) ? (1u << 30) : len;

		p->z.next_in = (Bytef *) (uintptr_t) d;
		p->z.avail_in = (uInt) n;
		rc = pack_run(p, Z_NO_FLUSH);
		if (rc != GU_OK)
			return rc;
		d += n;
		len -= n;
	}
	return GU_OK;
}

int
pack_finish(struct pack *p)
{
	int rc;

	if (!p->live)
		return GU_EINVAL;
	p->z.next_in = NULL;
	p->z.avail_in = 0;
	rc = pack_run(p, Z_FINISH);
	deflateEnd(&p->z);
	p->live = 0;
	return rc;
}

const uint8_t *
pack_data(const struct pack *p, size_t *len)
{
	*len = p->len;
	return p->buf;
}

int
pack_reset(struct pack *p)
{
	return pack_start(p);
}

int
pack_member(struct pack *p)
{
	if (p->live)
		return GU_EINVAL; /* the member before is not finished */
	return pack_stream(p);
}

/* Reverses the bytes of a[0..n). */
static void
pack_reverse(uint8_t *a, size_t n)
{
	for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
		uint8_t t = a[i];

		a[i] = a[j - 1];
		a[j - 1] = t;
	}
}

int
pack_rotate(struct pack *p, size_t from)
{
	if (p->live || from > p->len)
		return GU_EINVAL;
	/* [A][B] -> [B][A] in place: reverse both, then the whole. */
	pack_reverse(p->buf, from);
	pack_reverse(p->buf + from, p->len - from);
	pack_reverse(p->buf, p->len);
	return GU_OK;
}

void
pack_free(struct pack *p)
{
	if (p == NULL)
		return;
	if (p->live)
		deflateEnd(&p->z);
	free(p->buf);
	free(p);
}

int
pack_gunzip(
    const uint8_t *gz, size_t len, uint64_t max_out, pack_sink_fn fn, void *arg)
{
	z_stream z;
	uint8_t out[64 * 1024];
	uint64_t total = 0;
	int zr, rc = GU_OK, ended = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return GU_ENOMEM;
	z.next_in = (Bytef *) (uintptr_t) gz;
	z.avail_in = (uInt) (len > UINT32_MAX ? UINT32_MAX : len);
	if (len > UINT32_MAX) {
		rc = GU_ETOOBIG;
		goto out;
	}
	for (;;) {
		size_t got;

		z.next_out = out;
		z.avail_out = sizeof(out);
		zr = inflate(&z, Z_NO_FLUSH);
		got = sizeof(out) - z.avail_out;
		if (got > 0) {
			total += got;
			if (total > max_out) {
				rc = GU_ETOOBIG;
				goto out;
			}
			rc = fn(arg, out, got);
			if (rc != 0)
				goto out;
		}
		if (zr == Z_STREAM_END) {
			ended = 1;
			if (z.avail_in == 0)
				break;
			/* Another member follows, as zcat reads it. */
			if (inflateReset(&z) != Z_OK) {
				rc = GU_ECORRUPT;
				goto out;
			}
			ended = 0;
			continue;
		}
		if (zr == Z_BUF_ERROR && z.avail_in == 0 && got == 0)
			break;
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			rc = GU_ECORRUPT;
			goto out;
		}
	}
	if (!ended)
		rc = GU_ECORRUPT; /* truncated */
out:
	inflateEnd(&z);
	return rc;
}
