/*
 * ack.h: the district's acknowledgements of urgent concerns, on their way
 * down to the school (docs/district.md, "The ack file"): the file's
 * parser and writer, and the step that turns the acks meant for this
 * device into REC_ACK records in its store.
 *
 * The ack file, version 1: UTF-8 lines ending in '\n', fields separated
 * by one TAB:
 *
 *   guanai-acks<TAB>1
 *   school<TAB>SCHOOL
 *   ack<TAB>DEVICE<TAB>EPOCH<TAB>SEQ<TAB>DATE<TAB>OUTCOME<TAB>BY<TAB>NOTE
 *   ...                                  (0..ACK_MAX ack lines)
 *   end<TAB>N<TAB>SHA256
 *
 * DEVICE, EPOCH (16 lowercase hex digits) and SEQ name the concern the
 * way its batch did; DATE is YYYY-MM-DD (Beijing), OUTCOME one of
 * received | police | civil | handled, BY who received it (at most 40
 * characters), NOTE the district's note (at most 200, may be empty).  N
 * is the number of ack lines, SHA256 the lowercase hex SHA-256 of every
 * byte before the end line; nothing may follow it.
 *
 * Version 2 is version 1 with "2" on the first line and one more line
 * after the end line, the district's signature (docs/district.md):
 *
 *   sig<TAB>SIG
 *
 * SIG 128 lowercase hex digits: the Ed25519 signature, by the district's
 * signing key, of ACK_SIG_CONTEXT followed by the SHA-256 of every byte
 * before the sig line (sign.h sign_hash_ctx()); nothing may follow it.
 */
#ifndef GU_ACK_H
#define GU_ACK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"
#include "sign.h"
#include "store.h"

#define ACK_VERSION 1 /* unsigned */
#define ACK_VERSION_SIGNED 2
#define ACK_SIG_CONTEXT "guanai-acks v2 " /* SIGN_CONTEXT_LEN bytes */
#define ACK_MAX 4096                      /* ack lines in one file */
#define ACK_FILE_MAX (4u << 20)           /* bytes of one file */
#define ACK_BY_CHARS 40

struct ack_entry {
	char device[GU_ID_LEN + 1];
	uint64_t epoch;
	uint64_t seq;
	char date[11];
	char outcome[12];
	char by[ACK_BY_CHARS * 4 + 1];
	char note[REC_VALUE_MAX + 1]; /* "" when there is none */
	unsigned line;                /* in the file it came from */
};

struct ack_file {
	char school[GU_ID_LEN + 1];
	struct ack_entry *e; /* owned; ack_file_free() */
	size_t n;
	int version; /* ACK_VERSION or ACK_VERSION_SIGNED */
};

/*
 * Parses n bytes of text (name is used in messages only).  GU_OK with
 * *f filled; GU_EVERSION (another version), GU_ECORRUPT (anything else
 * wrong, the checksum included) or GU_ENOMEM, with why = "name:LINE:
 * what" (the field named); *f is then empty.
 */
int ack_parse(const char *name, const char *text, size_t n, struct ack_file *f,
    char *why, size_t why_len);

/*
 * ack_parse() for a reader that may hold the district's signing key pk
 * (borrowed; NULL: none).  With pk: a version 2 file whose signature
 * does not verify is GU_ECORRUPT ("name:LINE: signature …"), and a
 * version 1 file is refused too (unsigned: a forger would downgrade).
 * Without pk a version 2 file is taken on its SHA-256 line alone (there
 * is nothing to check the signature with).
 */
int ack_parse_key(const char *name, const char *text, size_t n,
    const uint8_t *pk, struct ack_file *f, char *why, size_t why_len);
void ack_file_free(struct ack_file *f);

/*
 * Reads the file at path (at most ACK_FILE_MAX bytes) and parses it as
 * name with ack_parse_key(pk).  The parse's results, or GU_EIO /
 * GU_ETOOBIG with why.
 */
int ack_load(const char *path, const char *name, const uint8_t *pk,
    struct ack_file *f, char *why, size_t why_len);

/*
 * Writes the file of school with entries e[0..n) to b (appended).
 * GU_EINVAL if an entry would not parse back (why names it), GU_ENOMEM.
 */
int ack_format(struct buf *b, const char *school, const struct ack_entry *e,
    size_t n, char *why, size_t why_len);

/* The same signed by k (version 2); k NULL: ack_format() (version 1). */
int ack_format_key(struct buf *b, const char *school, const struct ack_entry *e,
    size_t n, const struct sign_key *k, char *why, size_t why_len);

/*
 * Appends a REC_ACK for every ack of f meant for this store (its device
 * and epoch) that is not in the store yet, all in one transaction, with
 * time now_ms and zone tz_min; *added says how many.  An ack of a concern
 * voided here is skipped (*skipped).  GU_EINVAL (why: the line, the
 * field) when an ack names a seq that is not an urgent concern of this
 * store, or its fields do not validate; nothing is written then.
 * GU_OK with *added 0 when everything was there already.
 */
int ack_apply(struct store *s, const struct ack_file *f, int64_t now_ms,
    int16_t tz_min, size_t *added, size_t *skipped, char *why, size_t why_len);

/* Fills r (REC_ACK) from e and the local seq; GU_EINVAL with why. */
int ack_record(
    struct record *r, const struct ack_entry *e, char *why, size_t why_len);

#endif
