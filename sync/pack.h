/*
 * pack.h: gzip framing for batches, the only user of zlib.
 *
 * A batch travels as gzip members (RFC 1952) one after the other, each
 * with a fixed header: no file name, mtime 0, OS 255, deflate level
 * PACK_LEVEL tuned as below, each compressed by a fresh stream.  The same input therefore
 * always gives the same bytes on this build, so every retry of a batch is
 * byte-identical; `zcat` reads the members as one text.
 *
 * The output is kept in memory (a batch is bounded by the config's
 * batch_bytes), in a buffer that grows up to the max given to pack_new().
 * Several members can be written into it in a row (pack_member()), and
 * the last one moved in front (pack_rotate()), so a member compressed
 * later can come first in the file: a batch's header, which holds the
 * hash of the body, is written after the body but read before it.
 */
#ifndef GU_PACK_H
#define GU_PACK_H

#include <stddef.h>
#include <stdint.h>

#define PACK_LEVEL 6

/*
 * Level 6's search, with a shorter hash chain: zlib's level 6 follows at
 * most 128 matches (deflateTune(8, 16, 128, 128)), this 64.  Measured on
 * 100,000 demo records (24 MB of JSON, batches of 10,000): deflate CPU
 * -15% (the uploader's whole pass 254 -> 225 ms), files +0.75% (1.011x
 * gzip -6 of the same lines instead of 1.004x).  Deflate is two thirds of
 * the pass and the rest is already lean; this is what keeps the upload
 * within 1.2x the time of gzip -6 | curl.  Part of the format: a change
 * here changes the bytes of every batch built afterwards (not its
 * hashes, which cover the uncompressed text).
 */
#define PACK_GOOD 8
#define PACK_LAZY 16
#define PACK_NICE 128
#define PACK_CHAIN 64

struct pack;

/*
 * Starts a gzip member whose compressed output may reach max_bytes.
 * GU_OK, GU_ENOMEM.  *out must be given to pack_free().
 */
int pack_new(struct pack **out, size_t max_bytes);

/* Compresses len more bytes.  GU_ETOOBIG past max_bytes, GU_ENOMEM. */
int pack_write(struct pack *p, const void *data, size_t len);

/* Ends the member; afterwards pack_data() is the complete file. */
int pack_finish(struct pack *p);

/* The compressed bytes so far (valid until the next call on p). */
const uint8_t *pack_data(const struct pack *p, size_t *len);

/* Forgets everything written; p starts a new member. */
int pack_reset(struct pack *p);

/*
 * After pack_finish(): starts another member after the bytes already
 * there (which stay).  GU_EINVAL if the member before is not finished,
 * GU_ENOMEM.
 */
int pack_member(struct pack *p);

/*
 * After pack_finish(): moves the bytes from offset from to the end (the
 * members written since then) in front of the bytes before it, in place.
 * GU_EINVAL if a member is open or from is past the end; nothing moves
 * then.
 */
int pack_rotate(struct pack *p, size_t from);

void pack_free(struct pack *p);

/*
 * Streaming decompression for the verifier: feeds the uncompressed bytes
 * of the gzip file in (len bytes) to fn in chunks.  Several members in a
 * row are read as one stream (as zcat does).  Output is limited to
 * max_out bytes (GU_ETOOBIG past it).  GU_ECORRUPT for bad gzip data or
 * a truncated file; fn's nonzero return stops and is returned.
 */
typedef int (*pack_sink_fn)(void *arg, const uint8_t *data, size_t len);
int pack_gunzip(const uint8_t *gz, size_t len, uint64_t max_out,
    pack_sink_fn fn, void *arg);

#endif
