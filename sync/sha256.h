/*
 * sha256.h: streaming SHA-256 for batch bodies.
 *
 * Every byte of every batch is hashed once when it is cut and once more by
 * the verifier.  libsodium's portable SHA-256 (about 350 MB/s here) was a
 * fifth of the uploader's time, so this module hashes with OpenSSL's
 * libcrypto, which uses the CPU's SHA or vector instructions where there
 * are any; libcurl already brings libcrypto onto every machine.  The
 * digest is the same as libsodium's crypto_hash_sha256 (tests/test_pack.c
 * compares them on random input).  Only sync/sha256.c includes OpenSSL.
 * The caller owns the struct; nothing is allocated.
 */
#ifndef GU_SHA256_H
#define GU_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
	/* OpenSSL's SHA256_CTX, kept opaque so callers need no OpenSSL. */
	_Alignas(8) unsigned char ctx[128];
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the digest; c must be initialised again to be reused. */
void sha256_final(struct sha256 *c, uint8_t out[SHA256_LEN]);

/* One call: the digest of len bytes. */
void sha256(uint8_t out[SHA256_LEN], const void *data, size_t len);

#endif
