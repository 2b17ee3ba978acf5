/*
 * png.c: a small PNG writer (see png.h).
 *
 * Every row gets filter 1 (Sub), so flat areas become runs of zeros; the
 * deflate stream is one block with the fixed Huffman codes, and a greedy
 * LZ77 that tries two distances only: 1 (runs) and one filtered row back
 * (rows repeated vertically).  That is enough for screens of flat colour
 * and text, and it is deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png.h"
#include "status.h"

struct bits {
	uint8_t *p;
	size_t n, cap;
	uint32_t acc;
	int nacc;
};

static void
put_bits(struct bits *b, uint32_t v, int n)
{
	b->acc |= v << b->nacc;
	b->nacc += n;
	while (b->nacc >= 8) {
		if (b->n < b->cap)
			b->p[b->n++] = (uint8_t) b->acc;
		b->acc >>= 8;
		b->nacc -= 8;
	}
}

/* Huffman codes go most significant bit first. */
static void
put_code(struct bits *b, uint32_t code, int n)
{
	uint32_t r = 0;
	int i;

	for (i = 0; i < n; i++)
		r |= ((code >> i) & 1) << (n - 1 - i);
	put_bits(b, r, n);
}

static void
put_lit(struct bits *b, int v)
{
	if (v < 144)
		put_code(b, 0x30 + (uint32_t) v, 8);
	else if (v < 256)
		put_code(b, 0x190 + (uint32_t) (v - 144), 9);
	else if (v < 280)
		put_code(b, (uint32_t) (v - 256), 7);
	else
		put_code(b, 0xc0 + (uint32_t) (v - 280), 8);
}

static const uint16_t len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17,
    19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2,
    2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49,
    65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void
put_match(struct bits *b, int len, int dist)
{
	int i;

	for (i = 28; len_base[i] > len; i--)
		;
	put_lit(b, 257 + i);
	put_bits(b, (uint32_t) (len - len_base[i]), len_extra[i]);
	for (i = 29; dist_base[i] > dist; i--)
		;
	put_code(b, (uint32_t) i, 5);
	put_bits(b, (uint32_t) (dist - dist_base[i]), dist_extra[i]);
}

static size_t
match_len(const uint8_t *d, size_t i, size_t n, size_t dist)
{
	size_t l = 0;

	if (dist > i)
		return 0;
	while (l < 258 && i + l < n && d[i + l] == d[i + l - dist])
		l++;
	return l;
}

static void
deflate_fixed(struct bits *b, const uint8_t *d, size_t n, size_t row)
{
	size_t i = 0, l1, l2;

	put_bits(b, 1, 1); /* BFINAL */
	put_bits(b, 1, 2); /* fixed Huffman */
	while (i < n) {
		l1 = match_len(d, i, n, 1);
		l2 = row <= 32768 ? match_len(d, i, n, row) : 0;
		if (l2 >= 3 && l2 >= l1) {
			put_match(b, (int) l2, (int) row);
			i += l2;
		} else if (l1 >= 3) {
			put_match(b, (int) l1, 1);
			i += l1;
		} else
			put_lit(b, d[i++]);
	}
	put_lit(b, 256);
	if (b->nacc > 0)
		put_bits(b, 0, 8 - b->nacc);
}

static uint32_t crc_table[256];

static uint32_t
crc32_of(const uint8_t *p, size_t n, uint32_t c)
{
	size_t i;
	int k;

	if (crc_table[1] == 0)
		for (i = 0; i < 256; i++) {
			uint32_t v = (uint32_t) i;
			for (k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
			crc_table[i] = v;
		}
	c = ~c;
	for (i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return ~c;
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
}

/* Writes a chunk of type t with data d (n bytes) at o; returns new o. */
static size_t
chunk(uint8_t *o, const char *t, const uint8_t *d, size_t n)
{
	be32(o, (uint32_t) n);
	memcpy(o + 4, t, 4);
	if (n > 0)
		memmove(o + 8, d, n);
	be32(o + 8 + n, crc32_of(o + 4, n + 4, 0));
	return 12 + n;
}

int
png_encode(
    const uint8_t *rgb, int w, int h, size_t pitch, uint8_t **out, size_t *len)
{
	static const uint8_t sig[8] = {
	    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	uint8_t *raw = NULL, *png = NULL, ihdr[13];
	size_t row, nraw, cap, o = 0, x;
	struct bits b;
	uint32_t a1 = 1, a2 = 0;
	int y, rc = GU_OK;

	*out = NULL;
	*len = 0;
	if (w <= 0 || h <= 0 || w > 16384 || h > 16384)
		return GU_EINVAL;
	row = 1 + (size_t) w * 3;
	nraw = row * (size_t) h;
	raw = malloc(nraw);
	cap = nraw * 2 + 1024;
	png = malloc(cap);
	if (raw == NULL || png == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	for (y = 0; y < h; y++) {
		const uint8_t *s = rgb + (size_t) y * pitch;
		uint8_t *d = raw + (size_t) y * row;

		d[0] = 1; /* Sub */
		for (x = 0; x < (size_t) w * 3; x++)
			d[1 + x] = (uint8_t) (s[x] - (x >= 3 ? s[x - 3] : 0));
	}
	for (x = 0; x < nraw; x++) {
		a1 = (a1 + raw[x]) % 65521;
		a2 = (a2 + a1) % 65521;
	}

	memcpy(png, sig, 8);
	o = 8;
	be32(ihdr, (uint32_t) w);
	be32(ihdr + 4, (uint32_t) h);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 2;  /* RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filters */
	ihdr[12] = 0; /* no interlace */
	o += chunk(png + o, "IHDR", ihdr, 13);

	/* IDAT: zlib header, deflate, Adler-32, built in place after the
	 * chunk's length and type. */
	memset(&b, 0, sizeof(b));
	b.p = png + o + 8;
	b.cap = cap - o - 8 - 64;
	b.p[b.n++] = 0x78;
	b.p[b.n++] = 0x01;
	deflate_fixed(&b, raw, nraw, row);
	if (b.n + 4 > b.cap) {
		rc = GU_ENOMEM;
		goto out;
	}
	be32(b.p + b.n, (a2 << 16) | a1);
	b.n += 4;
	o += chunk(png + o, "IDAT", png + o + 8, b.n);
	o += chunk(png + o, "IEND", NULL, 0);
	*out = png;
	*len = o;
	png = NULL;
out:
	free(raw);
	free(png);
	return rc;
}

int
png_write(const char *path, const uint8_t *rgb, int w, int h, size_t pitch)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc;

	rc = png_encode(rgb, w, h, pitch, &buf, &len);
	if (rc != GU_OK)
		goto out;
	f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, len, f) != len) {
		rc = GU_EIO;
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		rc = GU_EIO;
		goto out;
	}
	f = NULL;
out:
	if (f != NULL)
		fclose(f);
	free(buf);
	return rc;
}
