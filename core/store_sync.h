/*
 * store_sync.h: the sync state inside the store: frozen batches, the
 * acknowledged cursor, urgent records sent ahead, and the status the
 * headteacher's screen shows.
 *
 * The sync daemon (sync/) is the only writer of this state, apart from
 * store_sync_trigger(), which the kiosk calls for "upload now".  The
 * kiosk reads it with store_sync_status() and store_sync_recent().
 *
 * A batch is a range of the change log [first_seq, last_seq] cut after the
 * acknowledged cursor, or, for an urgent batch, a few urgent concerns sent
 * ahead of everything else.  It is frozen (store_sync_freeze) before it is
 * first sent: its seq range, record count, sizes, content hash, the hash of
 * the batch frozen before it and its deterministic name are written here,
 * and every later send must produce the same bytes (docs/batch-format.md).
 * An urgent record's seq is written to the urgent_sent table with its
 * batch id at freeze, so the regular batch that later covers its range
 * leaves it out (and lists it in its header).
 *
 * The cursor (meta "acked_seq", which store_info() reports) moves only in
 * store_sync_ack(), after the server answered 2xx, in the same transaction
 * as the status the screen shows.  Rules that keep it honest:
 *   - regular batches are cut one after the other without a gap or an
 *     overlap (each starts at the previous one's last_seq + 1) and are
 *     acknowledged in that order: the first pending one starts at
 *     acked_seq + 1;
 *   - acknowledging a regular batch moves acked_seq to its last_seq only if
 *     every urgent batch frozen before it was acknowledged (GU_EINVAL and
 *     nothing written otherwise), so acked_seq never passes a record the
 *     district has not confirmed.
 *
 * Sub-databases (store_int.h): sync holds the keys below, batch maps the
 * batch id (u64) to a batch entity (store_entity.h), urgent_sent maps a seq (u64)
 * to the id (u64) of the urgent batch that carries it.
 *
 *   sync key       value
 *   "status"       the sync status entity (store_entity.h)
 *   "next_id"      u64: id of the next batch to freeze (first is 1)
 *   "last_hash"    32 bytes: SHA-256 of the newest frozen batch
 *   "urgent_scan"  u64: every seq <= this was looked at for urgency
 *   "low_id"       u64: every batch id below this is acknowledged
 *   "kv:<name>"    small strings for the daemon (roster ETags)
 *
 * Every mutating call here is one write transaction: on error nothing of
 * it is written.  Time is always a parameter (now_ms, ms since 1970 UTC).
 */
#ifndef GU_STORE_SYNC_H
#define GU_STORE_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define SYNC_HASH_LEN 32   /* SHA-256 */
#define SYNC_NAME_LEN 160  /* batch file name, with the NUL */
#define SYNC_MSG_LEN 200   /* status message, with the NUL */
#define SYNC_URGENT_MAX 64 /* records in one urgent batch */
#define SYNC_KV_LEN 256    /* a "kv:" value, with the NUL */

struct sync_batch {
	uint64_t id; /* 1, 2, ...: the order of freezing = the chain */
	uint64_t first_seq, last_seq;
	uint32_t n_records; /* records carried */
	uint32_t n_skip;    /* regular: seqs in range carried by urgent ones */
	uint32_t urgent;    /* 1: an urgent batch */
	uint32_t attempts;  /* sends tried, counting failures */
	uint64_t raw_bytes; /* uncompressed content */
	uint64_t gz_bytes;  /* the gzip file as uploaded */
	uint8_t body_sha256[SYNC_HASH_LEN]; /* of the record lines */
	uint8_t sha256[SYNC_HASH_LEN];      /* the batch's hash (header) */
	uint8_t prev[SYNC_HASH_LEN]; /* of batch id - 1; zeros for id 1 */
	int64_t frozen_ms;
	int64_t acked_ms; /* 0 until a 2xx */
	char name[SYNC_NAME_LEN];
};

/*
 * What the screens show.  The first group is stored; the second is
 * computed by store_sync_status() from the store each time.
 */
struct sync_status {
	int32_t last_rc;            /* GU_OK, or the class of the last failure:
			      GU_ENET, GU_EUNREACH, GU_ESERVER, GU_EREFUSED,
			      GU_EAUTH, GU_EIO (storage), ... */
	int32_t http_code;          /* of the last failure, 0 if none */
	char message[SYNC_MSG_LEN]; /* last failure in words (English) */
	int64_t last_attempt_ms;    /* last pass that tried the server */
	int64_t last_success_ms;    /* last 2xx for a batch */
	int64_t last_all_done_ms;   /* last pass that left nothing unsent */
	int64_t backoff_until_ms;   /* no attempt before this, 0 none */
	uint32_t failures;          /* consecutive failed passes */
	int64_t trigger_ms;         /* last "upload now" */
	/* progress of the pass under way, for a live bar */
	int32_t busy;    /* 1 while a pass is uploading */
	int64_t busy_ms; /* heartbeat: busy is stale if this is old */
	uint64_t prog_records_done, prog_records_total;
	uint64_t prog_bytes_done, prog_bytes_total;
	/* computed */
	uint64_t last_seq, acked_seq;
	uint64_t unacked;          /* records after the cursor */
	int64_t oldest_unacked_ms; /* device time of the oldest, 0 none */
	uint64_t pending_batches;  /* frozen, not acknowledged */
};

/* A busy heartbeat older than this means the pass died. */
#define SYNC_BUSY_STALE_MS 15000

/* Fills st (both groups).  GU_OK or GU_EIO. */
int store_sync_status(struct store *s, struct sync_status *st);

/*
 * "Upload now" (the kiosk's button, guanai-sync trigger): clears the
 * backoff and records now_ms.  The caller then pokes the daemon
 * (poke_send(dir, POKE_TRIGGER)).
 */
int store_sync_trigger(struct store *s, int64_t now_ms);

/*
 * Where freezing stands, for the daemon to plan the next batch.  read-only.
 */
struct sync_plan {
	uint64_t next_id;
	uint8_t last_hash[SYNC_HASH_LEN];
	uint64_t last_seq;     /* newest record */
	uint64_t acked_seq;    /* the cursor */
	uint64_t urgent_scan;  /* seqs <= this were looked at */
	uint64_t regular_next; /* first seq of the next regular batch */
	uint64_t carried_seq;  /* regular batches carry every seq <= this:
				  the newest pending one's last_seq, else
				  acked_seq; regular_next is this + 1 */
	int pending_regular;   /* a regular batch is frozen, not acked */
};
int store_sync_plan(struct store *s, struct sync_plan *p);

/*
 * Looks for urgent records (REC_FLAG_URGENT) after the cursor that no
 * batch carries yet, from seq from to the newest, reading only the flag
 * bytes of the log.  Writes at most max seqs to seqs, *n how many, and
 * *scanned the last seq looked at (so the next scan starts after it).
 * Regular batches already carry the seqs up to plan.carried_seq, so
 * the caller starts after max(carried_seq, urgent_scan).  read-only.
 */
int store_sync_urgent_scan(struct store *s, uint64_t from, uint64_t *seqs,
    size_t max, size_t *n, uint64_t *scanned);

/*
 * Freezes b (filled by the daemon from plan p: id = p->next_id, prev =
 * p->last_hash, sizes, hash, name).  For an urgent batch, seqs[0..n) are
 * the seqs it carries (written to urgent_sent); for a regular batch n is
 * 0 and b->first_seq must be p->regular_next.  urgent_scan, if greater
 * than the stored one, is stored as the new scan mark.  GU_EBUSY if the
 * plan is stale (another freeze came between), GU_EINVAL if b breaks a
 * rule above, GU_EEXIST if a seq is already carried; on error nothing is
 * written.
 */
int store_sync_freeze(struct store *s, const struct sync_batch *b,
    const uint64_t *seqs, size_t n, uint64_t urgent_scan);

/* Moves the urgent scan mark alone (nothing urgent was found). */
int store_sync_set_scan(struct store *s, uint64_t urgent_scan);

/* Reads batch id.  GU_ENOTFOUND if none. */
int store_sync_batch(struct store *s, uint64_t id, struct sync_batch *out);

/*
 * Visits batches in id order from from_id (1: all); pending_only skips
 * acknowledged ones.  fn returns 0 to go on, nonzero to stop (returned).
 * b is valid during the call only.  The walk holds one read transaction.
 */
typedef int (*store_batch_fn)(void *arg, const struct sync_batch *b);
int store_sync_batches(struct store *s, uint64_t from_id, int pending_only,
    store_batch_fn fn, void *arg);

/*
 * The seqs in [first, last] sent ahead in urgent batches, ascending; with
 * batch_id != 0 only those of that batch.  fn gets each seq; nonzero
 * stops.
 */
typedef int (*store_seq_fn)(void *arg, uint64_t seq);
int store_sync_urgent_seqs(struct store *s, uint64_t first, uint64_t last,
    uint64_t batch_id, store_seq_fn fn, void *arg);

/*
 * The server answered 2xx for batch id (gz_bytes as uploaded): marks it
 * acknowledged, moves the cursor for a regular batch, and in the same
 * transaction sets the status: last_rc GU_OK, last_success_ms now_ms,
 * failures and backoff cleared.  Acknowledging twice is GU_OK and changes
 * nothing.  GU_ENOTFOUND, GU_EINVAL (see the rules above).
 */
int store_sync_ack(
    struct store *s, uint64_t id, uint64_t gz_bytes, int64_t now_ms);

/*
 * The same, and in the same transaction the progress of the pass under
 * way (busy 1, heartbeat now_ms, the counts in p), as store_sync_progress()
 * would store it: one durable write per batch instead of two.  p NULL is
 * store_sync_ack().  Acknowledging twice changes nothing, the progress
 * included.
 */
struct sync_progress {
	uint64_t rec_done, rec_total, bytes_done, bytes_total;
};
int store_sync_ack_progress(struct store *s, uint64_t id, uint64_t gz_bytes,
    int64_t now_ms, const struct sync_progress *p);

/*
 * A pass failed: stores the class rc, http_code, msg (copied, truncated
 * to SYNC_MSG_LEN - 1), counts the failure, sets backoff_until_ms and
 * counts an attempt on batch id (0: none).  Never touches the cursor.
 */
int store_sync_fail(struct store *s, uint64_t id, int rc, int http_code,
    const char *msg, int64_t now_ms, int64_t backoff_until_ms);

/*
 * A pass starts (busy 1, totals), advances (done counts) or ends (busy 0;
 * all_done nonzero stamps last_all_done_ms).  now_ms is the heartbeat.
 */
int store_sync_progress(struct store *s, int busy, uint64_t rec_done,
    uint64_t rec_total, uint64_t bytes_done, uint64_t bytes_total,
    int64_t now_ms);
int store_sync_pass_end(struct store *s, int all_done, int64_t now_ms);

/*
 * The newest max acknowledged batches, newest first, into out; *n how
 * many.
 */
int store_sync_recent(
    struct store *s, struct sync_batch *out, size_t max, size_t *n);

/* Small named strings for the daemon (the roster ETags). */
int store_sync_kv_get(struct store *s, const char *name, char *out,
    size_t cap); /* "" if absent */
int store_sync_kv_put(struct store *s, const char *name, const char *val);

/*
 * Lets go of the pages of the map this process has read (madvise), so a
 * long walk over the log does not stay in the daemon's resident set.  The
 * data stays in the page cache; harmless at any time.
 */
void store_sync_trim(struct store *s);

#endif
