/*
 * batch.h: the batch file format (docs/batch-format.md): its header line,
 * its name, and the verifier the district runs before loading.
 *
 * Uncompressed, a batch is a header line followed by one record per line
 * in the JSON form of json_record() (without the extras child_name and
 * voided_by, which can change after the record was written, so a batch
 * rebuilt later has the same bytes).  The header:
 *
 *   {"guanai_batch":1,"school":"S1","device":"kiosk-01",
 *    "epoch":"9f2c4e1a0b7d3e55","batch":7,"urgent":false,
 *    "first_seq":1201,"last_seq":1700,"records":499,"skip":[1305],
 *    "body_sha256":"<64 hex>","prev":"<64 hex>","sha256":"<64 hex>"}
 *
 * one line, keys in exactly this order, no spaces (version 1; version 2
 * adds "key" after "prev" and "sig" after "sha256", numbers each chain,
 * regular and urgent, on its own and links prev within it:
 * docs/batch-format.md).  body_sha256 is the
 * SHA-256 of every byte after the header line.  sha256 is the SHA-256 of
 * the header line (its '\n' included) with the 64 digits of sha256 itself
 * written as '0'; it is the batch's hash, and the next batch's prev (64
 * '0' for batch 1), which makes the chain.  A regular batch carries every
 * seq in [first_seq, last_seq] except those in skip (sent ahead in urgent
 * batches); an urgent batch carries exactly `records` seqs in that range.
 *
 * The file is two gzip members (pack.h): the header line, then the record
 * lines, so the body can be compressed as it is read and the header, which
 * needs the body's hash, written after it (sync/upload.c).  The verifier
 * reads any number of members as one text.
 */
#ifndef GU_BATCH_H
#define GU_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "sign.h"
#include "store_sync.h"

#define BATCH_FORMAT 2        /* what this build writes inside */
#define BATCH_FORMAT_SEALED 3 /* the sealed file around it (seal.h) */
#define BATCH_FORMAT_V1 1   /* still read, and rebuilt for batches frozen so */
#define BATCH_SKIP_MAX 1024 /* seqs in one header's skip list */
#define BATCH_LINE_MAX (64 * 1024) /* longest line the verifier takes */
#define BATCH_HEAD_MAX (BATCH_SKIP_MAX * 21 + 1024)

struct batch_head {
	int version; /* BATCH_FORMAT or BATCH_FORMAT_V1; 0 is taken as 1 */
	/* version 2: the device's public key and the signature */
	uint8_t key[SIGN_PK_LEN];
	uint8_t sig[SIGN_SIG_LEN];
	/* version 2, for batch_head_format(): the key that signs (borrowed) */
	const struct sign_key *signer;
	char school[GU_ID_LEN + 1];
	char device[GU_ID_LEN + 1];
	uint64_t epoch;
	uint64_t id;
	int urgent;
	uint64_t first_seq, last_seq;
	uint32_t n_records;
	size_t n_skip;
	uint64_t skip[BATCH_SKIP_MAX];
	uint8_t body_sha256[SYNC_HASH_LEN];
	uint8_t prev[SYNC_HASH_LEN];
	uint8_t sha256[SYNC_HASH_LEN];
	/* version 3, the outer header of a sealed batch (seal.h) */
	uint8_t inner[SYNC_HASH_LEN]; /* "batch_sha256": the inner sha256 */
	uint8_t district[32];         /* the X25519 key it is sealed to */
	uint64_t sealed_bytes;
	uint8_t sealed_sha256[SYNC_HASH_LEN];
};

/*
 * The deterministic file name:
 *   SCHOOL_DEVICE_EPOCH_FIRST-LAST.ndjson.gz (regular)
 *   SCHOOL_DEVICE_EPOCH_FIRST-LAST-u.ndjson.gz (urgent)
 * with EPOCH 16 hex digits and FIRST, LAST 12 decimal digits.
 * GU_ETOOBIG if it does not fit cap.
 */
int batch_name(const struct batch_head *h, char *out, size_t cap);

/*
 * Writes h as the header line (with '\n') to out (cap >= BATCH_HEAD_MAX)
 * in format h->version and computes h->sha256 over it (see above); *len
 * gets its length.  Version 2 is signed with h->signer (its public key
 * must be h->key), which fills h->sig; GU_EINVAL without a signer.
 */
int batch_head_format(struct batch_head *h, char *out, size_t cap, size_t *len);

/*
 * The outer header of a sealed batch (version 3, docs/batch-format.md):
 * school, device, epoch, urgent, first_seq, last_seq, inner, district,
 * sealed_bytes, sealed_sha256, key from h; sha256 and sig (by h->signer)
 * computed.  GU_EINVAL without a signer, GU_ETOOBIG.
 */
int batch_seal_head_format(
    struct batch_head *h, char *out, size_t cap, size_t *len);

/*
 * Parses a version 3 outer header line (len bytes with its '\n') into h
 * and checks its sha256 and its signature against its own key.
 * GU_ECORRUPT (why says what), GU_EVERSION (another version).
 */
int batch_seal_head_parse(const char *line, size_t len, struct batch_head *h,
    char *why, size_t why_len);

/* Lower-case hex of a hash; out has 2 * SYNC_HASH_LEN + 1 bytes. */
void batch_hex(const uint8_t h[SYNC_HASH_LEN], char *out);

/*
 * Checks a whole batch file (gzip members, len bytes, read as one text):
 * the header, both hashes, every record line (a JSON object whose seq,
 * device and epoch agree with the header, seqs ascending, and for a
 * regular batch every seq of the range there or in skip), the record
 * count.  On success fills h and, if
 * fn is not NULL, calls it with each record line (with its '\n') in
 * order, but only after the whole file checked out.  On failure why says
 * what is wrong (and at which line).  A version 2 batch's signature is
 * checked against its own "key" (whether that key is the device's is the
 * caller's question: keyring_find()).  When the failure came after the
 * header was parsed and its hash checked, h->id is not 0 and h says
 * which batch it claims to be.  GU_OK, GU_ECORRUPT, GU_EVERSION,
 * GU_ETOOBIG (a line or the file past the limits), GU_ENOMEM.
 */
typedef int (*batch_line_fn)(void *arg, const char *line, size_t len);
int batch_verify(const uint8_t *gz, size_t len, struct batch_head *h,
    batch_line_fn fn, void *arg, char *why, size_t why_len);

/*
 * The seq of a record line as json_record() writes it ({"seq":N,...}).
 * GU_OK or GU_ECORRUPT.
 */
int batch_line_seq(const char *line, size_t len, uint64_t *seq);

/* Decompressed size a verified batch may reach. */
#define BATCH_RAW_MAX ((uint64_t) 256 << 20)

#endif
