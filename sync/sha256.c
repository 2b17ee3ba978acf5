/*
 * sha256.c: SHA-256 through OpenSSL's libcrypto (sha256.h).
 *
 * The low-level SHA256_* calls are deprecated in OpenSSL 3 in favour of
 * EVP, which allocates a context per digest; they are still the same
 * accelerated code, and a stack context suits a streaming hash with no
 * cleanup on error paths.  OPENSSL_API_COMPAT keeps them declared.
 */
#define OPENSSL_API_COMPAT 0x10101000L
#include <openssl/sha.h>

#include "sha256.h"

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((struct sha256 *) 0)->ctx),
    "struct sha256 too small for SHA256_CTX");

void
sha256_init(struct sha256 *c)
{
	SHA256_Init((SHA256_CTX *) (void *) c->ctx);
}

void
sha256_update(struct sha256 *c, const void *data, size_t len)
{
	SHA256_Update((SHA256_CTX *) (void *) c->ctx, data, len);
}

void
sha256_final(struct sha256 *c, uint8_t out[SHA256_LEN])
{
	SHA256_Final(out, (SHA256_CTX *) (void *) c->ctx);
}

void
sha256(uint8_t out[SHA256_LEN], const void *data, size_t len)
{
	SHA256(data, len, out);
}
