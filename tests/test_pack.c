/*
 * test_pack.c: gzip framing is deterministic and round-trips; truncated
 * and corrupt input is refused; several members read as one text, and a
 * member written later can be moved in front (how a batch's header comes
 * before the body compressed first); the SHA-256 used for batch bodies
 * (sha256.h) gives libsodium's digests, with and without the SHA
 * extensions, however the input is split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pack.h"
#include <sodium.h>

#include "sha256.h"
#include "status.h"

struct collect {
	uint8_t buf[1 << 16];
	size_t len;
};

static int
collect_fn(void *arg, const uint8_t *d, size_t n)
{
	struct collect *c = arg;

	if (c->len + n > sizeof(c->buf))
		return GU_ETOOBIG;
	memcpy(c->buf + c->len, d, n);
	c->len += n;
	return 0;
}

static void
make(struct pack **p, const char *text)
{
	assert_int_equal(pack_new(p, 1 << 20), GU_OK);
	assert_int_equal(pack_write(*p, text, strlen(text)), GU_OK);
	assert_int_equal(pack_finish(*p), GU_OK);
}

static void
test_deterministic(void **st)
{
	struct pack *a, *b;
	const uint8_t *da, *db;
	size_t la, lb;

	(void) st;
	make(&a, "{\"seq\":1}\n{\"seq\":2}\n");
	make(&b, "{\"seq\":1}\n{\"seq\":2}\n");
	da = pack_data(a, &la);
	db = pack_data(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	/* gzip magic, deflate, no flags, mtime 0, OS 255 */
	assert_int_equal(da[0], 0x1f);
	assert_int_equal(da[1], 0x8b);
	assert_int_equal(da[4] | da[5] | da[6] | da[7], 0);
	assert_int_equal(da[9], 255);
	pack_free(a);
	pack_free(b);
}

static void
test_roundtrip_and_truncation(void **st)
{
	struct pack *p;
	struct collect *c = calloc(1, sizeof(*c));
	const uint8_t *d;
	size_t l;
	char text[5000];

	(void) st;
	for (size_t i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char) ('a' + (i * 7) % 26);
	text[sizeof(text) - 1] = '\0';
	make(&p, text);
	d = pack_data(p, &l);
	assert_int_equal(pack_gunzip(d, l, 1 << 20, collect_fn, c), GU_OK);
	assert_int_equal(c->len, strlen(text));
	assert_memory_equal(c->buf, text, c->len);
	c->len = 0;
	assert_int_equal(
	    pack_gunzip(d, l - 3, 1 << 20, collect_fn, c), GU_ECORRUPT);
	c->len = 0;
	assert_int_equal(pack_gunzip(d, l, 100, collect_fn, c), GU_ETOOBIG);
	pack_free(p);
	free(c);
}

static void
test_limit(void **st)
{
	struct pack *p;
	uint8_t junk[4096];

	(void) st;
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t) (i * 2654435761u >> 13);
	assert_int_equal(pack_new(&p, 1024), GU_OK);
	assert_int_equal(pack_write(p, junk, sizeof(junk)), GU_ETOOBIG);
	pack_free(p);
	pack_free(NULL);
}

/*
 * Two members: the body compressed first, the header after it and moved
 * in front, give the very bytes of header then body written in order, and
 * each member is the bytes it would be alone; gunzip reads the two as one
 * text, as zcat does.
 */
static void
test_members(void **st)
{
	static const char head[] = "{\"guanai_batch\":1}\n";
	char body[3000];
	struct pack *a, *b, *h, *o;
	struct collect *c = calloc(1, sizeof(*c));
	const uint8_t *da, *db, *dh, *d_o;
	size_t la, lb, lh, lo, body_len;

	(void) st;
	for (size_t i = 0; i < sizeof(body) - 1; i++)
		body[i] = i % 50 == 49 ? '\n' : (char) ('a' + (i * 5) % 26);
	body[sizeof(body) - 1] = '\0';
	/* a: body, then header, rotated */
	make(&a, body);
	assert_int_equal(pack_write(a, "x", 1), GU_EINVAL); /* finished */
	(void) pack_data(a, &body_len);
	assert_int_equal(pack_member(a), GU_OK);
	assert_int_equal(pack_member(a), GU_EINVAL); /* one is open */
	assert_int_equal(pack_rotate(a, body_len), GU_EINVAL);
	assert_int_equal(pack_write(a, head, strlen(head)), GU_OK);
	assert_int_equal(pack_finish(a), GU_OK);
	(void) pack_data(a, &la);
	assert_int_equal(pack_rotate(a, la + 1), GU_EINVAL);
	assert_int_equal(pack_rotate(a, body_len), GU_OK);
	da = pack_data(a, &la);
	/* b: header, then body, in order */
	make(&b, head);
	assert_int_equal(pack_member(b), GU_OK);
	assert_int_equal(pack_write(b, body, strlen(body)), GU_OK);
	assert_int_equal(pack_finish(b), GU_OK);
	db = pack_data(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	/* each member as it would be alone */
	make(&h, head);
	make(&o, body);
	dh = pack_data(h, &lh);
	d_o = pack_data(o, &lo);
	assert_int_equal(lh + lo, la);
	assert_memory_equal(da, dh, lh);
	assert_memory_equal(da + lh, d_o, lo);
	/* read as one text */
	assert_int_equal(pack_gunzip(da, la, 1 << 20, collect_fn, c), GU_OK);
	assert_int_equal(c->len, strlen(head) + strlen(body));
	assert_memory_equal(c->buf, head, strlen(head));
	assert_memory_equal(c->buf + strlen(head), body, strlen(body));
	/* the second member cut short, or garbage after the last: refused */
	c->len = 0;
	assert_int_equal(
	    pack_gunzip(da, la - 1, 1 << 20, collect_fn, c), GU_ECORRUPT);
	c->len = 0;
	assert_int_equal(
	    pack_gunzip(da, lh + 5, 1 << 20, collect_fn, c), GU_ECORRUPT);
	/* pack_reset starts over with one member */
	assert_int_equal(pack_reset(a), GU_OK);
	assert_int_equal(pack_write(a, head, strlen(head)), GU_OK);
	assert_int_equal(pack_finish(a), GU_OK);
	da = pack_data(a, &la);
	assert_int_equal(la, lh);
	assert_memory_equal(da, dh, lh);
	pack_free(a);
	pack_free(b);
	pack_free(h);
	pack_free(o);
	free(c);
}

static void
hex_of(const uint8_t *h, char *out)
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* FIPS 180-4 examples, then random lengths and splits against libsodium's
 * SHA-256: the two libraries must agree byte for byte. */
static void
test_sha256(void **st)
{
	static const char *const msg[] = {"", "abc",
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"};
	static const char *const want[] = {
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"};
	size_t big = 1 << 20;
	uint8_t *d = malloc(big), a[32], b[32];
	char hx[65];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct sha256 c;

	(void) st;
	for (size_t i = 0; i < big; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		d[i] = (uint8_t) x;
	}
	{
		for (int i = 0; i < 3; i++) {
			sha256(a, msg[i], strlen(msg[i]));
			hex_of(a, hx);
			assert_string_equal(hx, want[i]);
		}
		/* every length around the block and padding edges */
		for (size_t len = 0; len < 300; len++) {
			sha256(a, d, len);
			crypto_hash_sha256(b, d, len);
			assert_memory_equal(a, b, 32);
		}
		/* a large input in random pieces */
		for (int r = 0; r < 20; r++) {
			size_t len = big - (size_t) (x % 5000), off = 0;

			sha256_init(&c);
			while (off < len) {
				size_t k;

				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				k = (size_t) (x % (r < 10 ? 130 : 70000));
				if (k > len - off)
					k = len - off;
				sha256_update(&c, d + off, k);
				off += k;
			}
			sha256_final(&c, a);
			crypto_hash_sha256(b, d, len);
			assert_memory_equal(a, b, 32);
		}
	}
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_roundtrip_and_truncation),
	    cmocka_unit_test(test_limit),
	    cmocka_unit_test(test_members),
	    cmocka_unit_test(test_sha256),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
