/*
 * sha256.h: streaming SHA-256 for batch bodies, fast where the CPU has the
 * SHA extensions.
 *
 * Every byte of every batch is hashed once when it is cut and once more by
 * the verifier; libsodium's portable SHA-256 (about 350 MB/s here) was a
 * fifth of the uploader's time.  On x86-64 with the SHA extensions (Intel
 * since Goldmont and Ice Lake, AMD since Zen) the blocks are compressed by
 * those instructions, several times faster; anywhere else the whole hash
 * is libsodium's.  Which one runs is decided at sha256_init() from CPUID;
 * both give the same digest (tests/test_pack.c compares them on random
 * input).  The caller owns the struct; nothing is allocated.
 */
#ifndef GU_SHA256_H
#define GU_SHA256_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
	int ni; /* 1: the SHA extensions compress the blocks below */
	crypto_hash_sha256_state na; /* ni 0: libsodium does it all */
	uint32_t h[8];
	uint64_t bytes;  /* hashed so far */
	uint8_t buf[64]; /* a partial block */
	size_t n;        /* bytes in buf */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the digest; c must be initialised again to be reused. */
void sha256_final(struct sha256 *c, uint8_t out[SHA256_LEN]);

/* One call: the digest of len bytes. */
void sha256(uint8_t out[SHA256_LEN], const void *data, size_t len);

/* For tests: 0 makes sha256_init() choose libsodium even with the SHA
 * extensions (default 1: use them when there). */
void sha256_allow_ni(int allow);

#endif
