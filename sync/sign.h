/*
 * sign.h: the device's Ed25519 batch-signing key and the district's
 * keyring (docs/batch-format.md, "The device key", "The district
 * keyring").  libsodium does the cryptography.
 *
 * The key file, DATA/device-key, mode 0640 (the store's group reads it:
 * the kiosk's USB export signs too), text:
 *
 *   line  content
 *   1     "guanai-device-key 1"          the format and its version
 *   2     "ed25519-seed " 64 hex digits  the 32-byte seed
 *
 * The keyring: "SCHOOL DEVICE ed25519:<64 hex>" a line, '#' comments.
 */
#ifndef GU_SIGN_H
#define GU_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define SIGN_PK_LEN 32
#define SIGN_SK_LEN 64
#define SIGN_SIG_LEN 64
#define SIGN_KEY_FILE "device-key"
#define SIGN_CONTEXT "guanai-batch-2 "  /* signed before the hash */
#define SIGN_CONTEXT3 "guanai-batch-3 " /* the same, sealed batches */
#define SIGN_CONTEXT_LEN 15             /* bytes of either */

struct sign_key {
	uint8_t pk[SIGN_PK_LEN];
	uint8_t sk[SIGN_SK_LEN];
};

/*
 * Reads the key in dir (the store's folder).  With create, a missing key
 * is made (random seed, written to a temporary file with mode 0640,
 * fsynced and renamed, so a crash leaves either no key or the whole
 * key); *created says so.  GU_ENOTFOUND (no key, create 0), GU_ECORRUPT
 * (a key file that does not parse; why says where), GU_EIO.
 */
int sign_key_open(const char *dir, int create, struct sign_key *k, int *created,
    char *why, size_t why_len);

/*
 * Parses a key file's text (n bytes; name for messages) into k.
 * GU_ECORRUPT or GU_EVERSION with why naming name:line.
 */
int sign_key_parse(const char *name, const char *text, size_t n,
    struct sign_key *k, char *why, size_t why_len);

/* Wipes k. */
void sign_key_close(struct sign_key *k);

/*
 * 2n lowercase hex digits at s into out[0..n); -1 at the first byte
 * that is not one (s must have 2n bytes to read), else 0.
 */
int sign_hex_in(const char *s, size_t n, uint8_t *out);

/* "ed25519:" and 64 hex digits of pk into out (>= 73 bytes). */
void sign_pk_text(const uint8_t pk[SIGN_PK_LEN], char *out, size_t cap);

/* The signature of a batch hash (SIGN_CONTEXT, then the 32 bytes). */
void sign_hash(const struct sign_key *k, const uint8_t hash[32],
    uint8_t sig[SIGN_SIG_LEN]);

/* 1 if sig is pk's signature of hash, else 0. */
int sign_hash_ok(const uint8_t pk[SIGN_PK_LEN], const uint8_t hash[32],
    const uint8_t sig[SIGN_SIG_LEN]);

/* The same under another context (SIGN_CONTEXT_LEN bytes of ctx). */
void sign_hash_ctx(const struct sign_key *k, const char *ctx,
    const uint8_t hash[32], uint8_t sig[SIGN_SIG_LEN]);
int sign_hash_ctx_ok(const uint8_t pk[SIGN_PK_LEN], const char *ctx,
    const uint8_t hash[32], const uint8_t sig[SIGN_SIG_LEN]);

/* A district keyring, loaded whole; at most KEYRING_MAX devices. */
#define KEYRING_MAX 100000
#define KEYRING_FILE_MAX (16 << 20)

struct keyring_entry {
	char school[GU_ID_LEN + 1];
	char device[GU_ID_LEN + 1];
	uint8_t pk[SIGN_PK_LEN];
};

struct keyring {
	struct keyring_entry *e;
	size_t n;
};

/*
 * Loads path.  Every problem is printed to err (a stream) as
 * path:line: what; GU_EINVAL if there was any (kr then empty),
 * GU_ENOTFOUND, GU_ENOMEM, GU_ETOOBIG.
 */
int keyring_load(struct keyring *kr, const char *path, void *err);

/* The same on text already in memory (the fuzz target's door). */
int keyring_parse(struct keyring *kr, const char *path, const char *text,
    size_t len, void *err);

/* The key of (school, device), or NULL.  Valid until keyring_free. */
const uint8_t *keyring_find(
    const struct keyring *kr, const char *school, const char *device);

void keyring_free(struct keyring *kr);

#endif
