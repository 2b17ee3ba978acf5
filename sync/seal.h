/*
 * seal.h: sealed batches, format 3 (docs/batch-format.md, "Sealed batch,
 * version 3"): a version 2 batch file encrypted to the district's X25519
 * key (libsodium crypto_box_seal of a random batch key, then
 * crypto_secretstream_xchacha20poly1305 over the file) behind a plain
 * outer header signed by the device; and the district's key files.
 *
 *   DATA/district-key (the terminal), district-key.pub:
 *     "guanai-district-pub 1" / "x25519 " 64 hex
 *   district-key.secret (the district only, mode 0600):
 *     "guanai-district-secret 1" / "x25519-secret " 64 hex
 */
#ifndef GU_SEAL_H
#define GU_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "sign.h"

#define SEAL_KEY_LEN 32
#define SEAL_PUB_FILE "district-key" /* in DATA on the terminal */
#define SEAL_CHUNK 65536             /* plaintext bytes of a stream chunk */
#define SEAL_BOX_LEN 80              /* crypto_box_seal of the batch key */
#define SEAL_SS_HEAD 24              /* the secretstream header */
#define SEAL_SS_ABYTES 17            /* each chunk's overhead */

struct seal_secret {
	uint8_t pk[SEAL_KEY_LEN];
	uint8_t sk[SEAL_KEY_LEN];
};

/*
 * Parses a public key file's text (name for messages: name:line: what).
 * GU_OK, GU_ECORRUPT, GU_EVERSION.
 */
int seal_pub_parse(const char *name, const char *text, size_t n,
    uint8_t pk[SEAL_KEY_LEN], char *why, size_t why_len);

/* Reads path; GU_ENOTFOUND if there is none, GU_EIO, or the parse's. */
int seal_pub_load(
    const char *path, uint8_t pk[SEAL_KEY_LEN], char *why, size_t why_len);

/* The same for a secret key file (the public key is derived). */
int seal_secret_parse(const char *name, const char *text, size_t n,
    struct seal_secret *k, char *why, size_t why_len);
int seal_secret_load(
    const char *path, struct seal_secret *k, char *why, size_t why_len);

/* Wipes n keys. */
void seal_secret_wipe(struct seal_secret *k, size_t n);

/*
 * Makes a key pair: DIR/district-key.secret (0600) and
 * DIR/district-key.pub (0644); refuses to overwrite either (GU_EEXIST).
 */
int seal_keygen(const char *dir, char *why, size_t why_len);

/*
 * The district's Ed25519 signing pair, for the ack file (docs/district.md
 * "The ack file", version 2), in the same two-line form:
 *   DIR/district-sign.secret (0600): "guanai-district-sign-secret 1" /
 *     "ed25519-seed " 64 hex (the seed)
 *   DIR/district-sign.pub (0644), DATA/district-sign on the terminal:
 *     "guanai-district-sign-pub 1" / "ed25519 " 64 hex
 * seal_sign_keygen refuses to overwrite either (GU_EEXIST); the loaders
 * return what seal_pub_load() does.
 */
#define SEAL_SIGN_PUB_FILE "district-sign" /* in DATA on the terminal */
int seal_sign_keygen(const char *dir, char *why, size_t why_len);
int seal_sign_pub_load(
    const char *path, uint8_t pk[SEAL_KEY_LEN], char *why, size_t why_len);
int seal_sign_secret_load(
    const char *path, struct sign_key *k, char *why, size_t why_len);

/*
 * Seals the version 2 file inner (n bytes) to district: h gives school,
 * device, epoch, urgent, first_seq, last_seq, inner (the inner header's
 * sha256), key and signer; *out (malloc'd, *out_len bytes) is the sealed
 * file.  GU_OK, GU_ENOMEM, GU_EINVAL.
 */
int seal_file(const uint8_t *inner, size_t n,
    const uint8_t district[SEAL_KEY_LEN], struct batch_head *h, uint8_t **out,
    size_t *out_len);

/* The size seal_file() gives for n inner bytes (header excluded). */
uint64_t seal_body_len(uint64_t n);

/*
 * Steps 1 to 3 of the district's reading: parses and checks the outer
 * header (its hash, its signature by its own key: whether that key is
 * the device's is the caller's question) into outer, checks sealed_bytes
 * and sealed_sha256, opens the box with the one of keys[0..nkeys) it
 * names and pulls the stream into *plain (malloc'd, *plain_len bytes, at
 * most max_plain).  why says which step failed.  GU_OK, GU_ECORRUPT,
 * GU_EVERSION (not format 3), GU_ENOTFOUND (sealed to a key not in keys),
 * GU_ETOOBIG, GU_ENOMEM.
 */
int seal_open(const uint8_t *f, size_t n, const struct seal_secret *keys,
    size_t nkeys, size_t max_plain, struct batch_head *outer, uint8_t **plain,
    size_t *plain_len, char *why, size_t why_len);

/*
 * Step 4: the inner batch's header (batch_verify() filled it) agrees with
 * the outer one.  1 or 0 (why says which field).
 */
int seal_inner_agrees(const struct batch_head *outer,
    const struct batch_head *inner, char *why, size_t why_len);

#endif
