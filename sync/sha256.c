/*
 * sha256.c: SHA-256 (FIPS 180-4) with the x86 SHA extensions, libsodium
 * otherwise (sha256.h).
 *
 * The block function follows Intel's "Intel SHA Extensions" paper (2013):
 * the state is kept as ABEF and CDGH words, SHA256RNDS2 does two rounds at
 * a time, SHA256MSG1/MSG2 extend the message schedule four words at a
 * time.  Padding and the partial block are plain C below.
 */
#include <string.h>

#include "sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define SHA256_X86 0
#endif

static int allow_ni = 1;

void
sha256_allow_ni(int allow)
{
	allow_ni = allow;
}

#if SHA256_X86

static const uint32_t K[64] = {0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
    0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
    0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138,
    0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624,
    0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
    0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f,
    0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* CPUID: SHA (leaf 7 EBX bit 29), SSSE3 and SSE4.1 (leaf 1 ECX 9, 19). */
static int
sha256_has_ni(void)
{
	static int known = -1;
	unsigned a, b, c, d;

	if (known >= 0)
		return known;
	known = 0;
	if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 9)) &&
	    (c & (1u << 19)) && __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
	    (b & (1u << 29)))
		known = 1;
	return known;
}

/* Four rounds: group g of the schedule in m, its constants added. */
#define ROUNDS4(g, m)                                                          \
	do {                                                                   \
		msg = _mm_add_epi32(                                           \
		    (m), _mm_loadu_si128((const __m128i *) &K[4 * (g)]));      \
		s1 = _mm_sha256rnds2_epu32(s1, s0, msg);                       \
		msg = _mm_shuffle_epi32(msg, 0x0e);                            \
		s0 = _mm_sha256rnds2_epu32(s0, s1, msg);                       \
	} while (0)

/* The next schedule group from the four before it (a oldest, d newest). */
#define NEXT(a, b, c, d)                                                       \
	_mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32((a), (b)),     \
	                         _mm_alignr_epi8((d), (c), 4)),                \
	    (d))

__attribute__((target("sha,ssse3,sse4.1"))) static void
sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	const __m128i swap =
	    _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i s0, s1, t, msg, save0, save1, m0, m1, m2, m3;

	/* h[0..7] = A..H into ABEF and CDGH. */
	t = _mm_loadu_si128((const __m128i *) &h[0]);
	s1 = _mm_loadu_si128((const __m128i *) &h[4]);
	t = _mm_shuffle_epi32(t, 0xb1);
	s1 = _mm_shuffle_epi32(s1, 0x1b);
	s0 = _mm_alignr_epi8(t, s1, 8);
	s1 = _mm_blend_epi16(s1, t, 0xf0);
	for (; n > 0; n--, p += 64) {
		save0 = s0;
		save1 = s1;
		m0 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *) (p + 0)), swap);
		m1 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *) (p + 16)), swap);
		m2 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *) (p + 32)), swap);
		m3 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *) (p + 48)), swap);
		ROUNDS4(0, m0);
		ROUNDS4(1, m1);
		ROUNDS4(2, m2);
		ROUNDS4(3, m3);
		for (int g = 4; g < 16; g += 4) {
			m0 = NEXT(m0, m1, m2, m3);
			ROUNDS4(g, m0);
			m1 = NEXT(m1, m2, m3, m0);
			ROUNDS4(g + 1, m1);
			m2 = NEXT(m2, m3, m0, m1);
			ROUNDS4(g + 2, m2);
			m3 = NEXT(m3, m0, m1, m2);
			ROUNDS4(g + 3, m3);
		}
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
	}
	/* ABEF and CDGH back to A..H. */
	t = _mm_shuffle_epi32(s0, 0x1b);
	s1 = _mm_shuffle_epi32(s1, 0xb1);
	s0 = _mm_blend_epi16(t, s1, 0xf0);
	s1 = _mm_alignr_epi8(s1, t, 8);
	_mm_storeu_si128((__m128i *) &h[0], s0);
	_mm_storeu_si128((__m128i *) &h[4], s1);
}

#else

static int
sha256_has_ni(void)
{
	return 0;
}

static void
sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	(void) h;
	(void) p;
	(void) n;
}

#endif

void
sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
	    0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	c->ni = allow_ni && sha256_has_ni();
	c->bytes = 0;
	c->n = 0;
	if (!c->ni) {
		crypto_hash_sha256_init(&c->na);
		return;
	}
	memcpy(c->h, iv, sizeof(iv));
}

void
sha256_update(struct sha256 *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t k;

	if (!c->ni) {
		crypto_hash_sha256_update(&c->na, p, len);
		return;
	}
	c->bytes += len;
	if (c->n > 0) {
		k = 64 - c->n < len ? 64 - c->n : len;
		memcpy(c->buf + c->n, p, k);
		c->n += k;
		p += k;
		len -= k;
		if (c->n < 64)
			return;
		sha256_blocks_ni(c->h, c->buf, 1);
		c->n = 0;
	}
	if (len >= 64) {
		sha256_blocks_ni(c->h, p, len / 64);
		p += len / 64 * 64;
		len %= 64;
	}
	memcpy(c->buf, p, len);
	c->n = len;
}

void
sha256_final(struct sha256 *c, uint8_t out[SHA256_LEN])
{
	uint64_t bits = c->bytes * 8;

	if (!c->ni) {
		crypto_hash_sha256_final(&c->na, out);
		return;
	}
	/* 0x80, zeros to 56 mod 64, the length in bits big-endian. */
	c->buf[c->n++] = 0x80;
	if (c->n > 56) {
		memset(c->buf + c->n, 0, 64 - c->n);
		sha256_blocks_ni(c->h, c->buf, 1);
		c->n = 0;
	}
	memset(c->buf + c->n, 0, 56 - c->n);
	for (int i = 0; i < 8; i++)
		c->buf[56 + i] = (uint8_t) (bits >> (56 - 8 * i));
	sha256_blocks_ni(c->h, c->buf, 1);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t) (c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t) (c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t) (c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t) c->h[i];
	}
}

void
sha256(uint8_t out[SHA256_LEN], const void *data, size_t len)
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}
