/*
 * test_seal.c: sealed batches (sync/seal.c, docs/batch-format.md version
 * 3) with the real libsodium: what is sealed opens to the same bytes at
 * every chunk boundary; the wrong secret key, a key not held, any flipped
 * byte, a file cut at a chunk boundary and re-signed, and a forged
 * header are all refused; the key files parse with file:line errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "seal.h"
#include "sha256.h"
#include "status.h"

struct fx {
	struct sign_key dev;
	struct seal_secret dk;
	struct batch_head h;
};

static void
fx_init(struct fx *x)
{
	uint8_t seed[32];

	assert_true(sodium_init() >= 0);
	memset(x, 0, sizeof(*x));
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(x->dev.pk, x->dev.sk, seed);
	crypto_box_keypair(x->dk.pk, x->dk.sk);
	snprintf(x->h.school, sizeof(x->h.school), "S430603001");
	snprintf(x->h.device, sizeof(x->h.device), "kiosk-01");
	x->h.epoch = 0x1234567890abcdefULL;
	x->h.first_seq = 1;
	x->h.last_seq = 100;
	randombytes_buf(x->h.inner, sizeof(x->h.inner));
	memcpy(x->h.key, x->dev.pk, SIGN_PK_LEN);
	x->h.signer = &x->dev;
}

static uint8_t *
text(size_t n)
{
	uint8_t *p = malloc(n);

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t) ("张小明 left-behind child, G2018 "[i % 31]);
	return p;
}

static int
open1(const uint8_t *f, size_t n, const struct seal_secret *k, uint8_t **out,
    size_t *out_len, char *why)
{
	struct batch_head o;

	return seal_open(f, n, k, 1, 1 << 24, &o, out, out_len, why, 200);
}

static void
test_round_trip(void **state)
{
	static const size_t sizes[] = {1, 100, SEAL_CHUNK - 1, SEAL_CHUNK,
	    SEAL_CHUNK + 1, 3 * SEAL_CHUNK, 200001};
	struct fx x;
	char why[200];

	(void) state;
	fx_init(&x);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *in = text(sizes[i]), *f = NULL, *out = NULL;
		size_t fl = 0, ol = 0;

		assert_int_equal(
		    seal_file(in, sizes[i], x.dk.pk, &x.h, &f, &fl), GU_OK);
		assert_int_equal(x.h.sealed_bytes, seal_body_len(sizes[i]));
		assert_int_equal(open1(f, fl, &x.dk, &out, &ol, why), GU_OK);
		assert_int_equal(ol, sizes[i]);
		assert_memory_equal(out, in, ol);
		/* ciphertext: no run of the plaintext survives */
		if (sizes[i] >= 16)
			assert_null(memmem(f, fl, "left-behind", 11));
		free(in);
		free(f);
		free(out);
	}
}

static void
test_refused(void **state)
{
	struct fx x;
	struct seal_secret wrong, other;
	uint8_t *in = text(150000), *f = NULL, *out = NULL;
	size_t fl = 0, ol = 0, hl;
	char why[200];
	int refused = 0, tried = 0;

	(void) state;
	fx_init(&x);
	assert_int_equal(seal_file(in, 150000, x.dk.pk, &x.h, &f, &fl), GU_OK);
	/* the right public key, another secret: the box does not open */
	memcpy(wrong.pk, x.dk.pk, SEAL_KEY_LEN);
	randombytes_buf(wrong.sk, SEAL_KEY_LEN);
	assert_int_equal(open1(f, fl, &wrong, &out, &ol, why), GU_ECORRUPT);
	assert_non_null(strstr(why, "sealed box does not open"));
	assert_null(out);
	/* another district's key pair: not even tried */
	crypto_box_keypair(other.pk, other.sk);
	assert_int_equal(open1(f, fl, &other, &out, &ol, why), GU_ENOTFOUND);
	/* every flipped byte (a sample across the whole file) */
	for (size_t i = 0; i < fl; i += 97) {
		f[i] ^= 0x20;
		tried++;
		if (open1(f, fl, &x.dk, &out, &ol, why) != GU_OK)
			refused++;
		else
			free(out);
		f[i] ^= 0x20;
	}
	assert_int_equal(refused, tried);
	/*
	 * Cut after the first chunk and signed again by the device: the
	 * header holds, the stream does not (no final chunk).
	 */
	hl = (size_t) ((uint8_t *) memchr(f, '\n', fl) - f) + 1;
	{
		struct batch_head h = x.h;
		size_t body =
		    SEAL_BOX_LEN + SEAL_SS_HEAD + SEAL_CHUNK + SEAL_SS_ABYTES;
		char *head = malloc(BATCH_HEAD_MAX);
		uint8_t *g = malloc(BATCH_HEAD_MAX + body);
		size_t gl;

		h.sealed_bytes = body;
		sha256(h.sealed_sha256, f + hl, body);
		assert_int_equal(
		    batch_seal_head_format(&h, head, BATCH_HEAD_MAX, &gl),
		    GU_OK);
		memcpy(g, head, gl);
		memcpy(g + gl, f + hl, body);
		assert_int_equal(
		    open1(g, gl + body, &x.dk, &out, &ol, why), GU_ECORRUPT);
		assert_non_null(strstr(why, "final chunk"));
		free(head);
		free(g);
	}
	/* signed by another device key: the header's own key no longer
	 * verifies the signature once the key field is swapped */
	{
		char *p = memmem(f, hl, "\"key\":\"", 7);

		assert_non_null(p);
		p[7] = p[7] == 'a' ? 'b' : 'a';
		assert_int_equal(
		    open1(f, fl, &x.dk, &out, &ol, why), GU_ECORRUPT);
		assert_non_null(strstr(why, "line 1"));
	}
	free(in);
	free(f);
}

static void
test_key_files(void **state)
{
	uint8_t pk[SEAL_KEY_LEN];
	struct seal_secret k;
	char why[200];
	static const char good[] = "guanai-district-pub 1\nx25519 "
	                           "0011223344556677889900112233445566778899"
	                           "001122334455667788990011\n";

	(void) state;
	assert_int_equal(
	    seal_pub_parse("pub", good, strlen(good), pk, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(pk[1], 0x11);
	assert_int_equal(
	    seal_pub_parse("pub", good, strlen(good) - 2, pk, why, sizeof(why)),
	    GU_ECORRUPT);
	assert_string_equal(why, "pub:2: expected x25519 and 64 hex digits");
	assert_int_equal(
	    seal_pub_parse("pub", "guanai-district-pub 2\n", 22, pk, why, 200),
	    GU_EVERSION);
	assert_string_equal(why, "pub:1: unknown key file version");
	assert_int_equal(
	    seal_secret_parse("s", good, strlen(good), &k, why, sizeof(why)),
	    GU_ECORRUPT);
	assert_string_equal(why, "s:1: expected \"guanai-district-secret 1\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_key_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
