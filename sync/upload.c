/*
 * upload.c: the uploader's pass (upload.h).
 *
 * Order inside a pass, chosen so the cursor can never pass a record the
 * district has not acknowledged (store_sync.h):
 *   1. probe the server, only when nothing waits to be sent (then the
 *      PUT itself tells, and a probe would cost a round trip);
 *   2. look for urgent records after the regular batches and freeze them
 *      into urgent batches (SYNC_URGENT_MAX each);
 *   3. send the pending urgent batches (the first one together with the
 *      regular batch of step 4/5, overlapping: send_group); a failure
 *      ends the pass; a batch
 *      counts as sent only when the transport confirms it is stored
 *      (http_confirm: a HEAD with the right length), not on a 2xx;
 *   4. send the pending regular batch, if any; a failure ends the pass;
 *   5. cut, freeze and send the next regular batch, until the log is
 *      empty after the cursor (then back to 2 between batches, so an
 *      urgent concern made during a long upload waits one batch at most).
 *
 * A regular batch is built once: while it is cut, each record's JSON line
 * is hashed and compressed in the same pass (the body member), then the
 * header, which carries the body's hash, is compressed as a member of its
 * own and put in front (docs/batch-format.md), the batch is frozen and
 * those very bytes are sent; they stay in u->pk for the retries of this
 * process.  Only a batch frozen by an earlier process (or pushed out of
 * u->pk by an export) is rebuilt from the log, and a rebuild is checked
 * against the frozen hashes before a byte of it is sent.  An export
 * freezes without compressing (upload_freeze_all) and then builds each
 * file once, as it writes it.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "batch.h"
#include "clock.h"
#include "json.h"
#include "seal.h"
#include "sha256.h"
#include "status.h"
#include "upload.h"

#define LINE_MAX_BYTES (64 * 1024)
/*
 * Record lines are gathered and handed to SHA-256 and deflate in runs of
 * about this many bytes: one call per run rather than per line.
 */
#define STAGE_BYTES (32 * 1024)

int64_t
upload_now_ms(void)
{
	return clock_wall_ms();
}

static void say(struct upload *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct upload *u, const char *fmt, ...)
{
	va_list ap;

	if (!u->verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "guanai-sync: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int
upload_init(struct upload *u, struct store *s, const struct sync_config *cfg)
{
	const struct sync_config *c = cfg;
	char why[200];
	int rc;

	memset(u, 0, sizeof(*u));
	u->s = s;
	u->cfg = cfg;
	u->ho = c->tr; /* the transport options, as configured */
	buf_init(&u->line, STAGE_BYTES + LINE_MAX_BYTES);
	rc = store_info(s, &u->info);
	if (rc != GU_OK)
		return rc;
	rc = sign_key_open(c->data, 1, &u->key, NULL, why, sizeof(why));
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: device key: %s\n", why);
		return rc;
	}
	u->sealed = -1; /* quiet: the pass or the export says it */
	(void) upload_district_key(u);
	/* A batch never exceeds batch_bytes uncompressed; gzip adds little. */
	rc = pack_new(&u->pk,
	    (size_t) c->batch_bytes + BATCH_HEAD_MAX +
	        (size_t) c->batch_bytes / 64 + 4096);
	if (rc != GU_OK)
		return rc;
	/*
	 * Urgent batches have a pack of their own, so sending one between
	 * the cut of a regular batch and its send keeps the regular one.
	 */
	return pack_new(&u->upk,
	    (size_t) SYNC_URGENT_MAX * LINE_MAX_BYTES + BATCH_HEAD_MAX +
	        64 * 1024);
}

void
upload_fini(struct upload *u)
{
	pack_free(u->upk);
	u->upk = NULL;
	pack_free(u->pk);
	u->pk = NULL;
	u->pk_id = 0;
	buf_fini(&u->line);
	sign_key_close(&u->key);
	for (int i = 0; i < 2; i++) {
		free(u->sealbuf[i]);
		u->sealbuf[i] = NULL;
	}
}

/* What every header of b says: school, device, epoch, urgent, range. */
static void
head_ids(
    const struct upload *u, const struct sync_batch *b, struct batch_head *h)
{
	snprintf(h->school, sizeof(h->school), "%s", u->info.school_id);
	snprintf(h->device, sizeof(h->device), "%s", u->info.device);
	h->epoch = u->info.epoch;
	h->urgent = (int) b->urgent;
	h->first_seq = b->first_seq;
	h->last_seq = b->last_seq;
}

int
upload_district_key(struct upload *u)
{
	char path[4096], why[4400];
	uint8_t pk[SEAL_KEY_LEN];
	int rc, quiet;

	if (snprintf(path, sizeof(path), "%s/%s", u->cfg->data,
	        SEAL_PUB_FILE) >= (int) sizeof(path))
		return GU_OK;
	quiet = u->sealed < 0;
	if (quiet)
		u->sealed = 0;
	rc = seal_pub_load(path, pk, why, sizeof(why));
	if (rc == GU_OK) {
		memcpy(u->district, pk, sizeof(pk));
		u->sealed = 1;
	} else if (quiet)
		return GU_OK;
	else if (rc == GU_ENOTFOUND && !u->sealed)
		fprintf(stderr,
		    "guanai-sync: batches are NOT sealed: no district key in "
		    "%s\n",
		    path);
	else if (rc != GU_ENOTFOUND)
		fprintf(stderr, "guanai-sync: district key refused: %s%s\n",
		    why, u->sealed ? " (the key read before stays)" : "");
	return GU_OK;
}

int
upload_file(struct upload *u, const struct sync_batch *b, const struct pack *pk,
    const uint8_t **data, size_t *len)
{
	struct batch_head *h;
	const uint8_t *plain;
	size_t plain_len;
	int slot = pk == u->upk, rc;

	plain = pack_data(pk, &plain_len);
	if (!u->sealed) {
		*data = plain;
		*len = plain_len;
		return GU_OK;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return GU_ENOMEM;
	head_ids(u, b, h);
	memcpy(h->inner, b->sha256, SYNC_HASH_LEN);
	memcpy(h->key, u->key.pk, SIGN_PK_LEN);
	h->signer = &u->key;
	free(u->sealbuf[slot]);
	u->sealbuf[slot] = NULL;
	rc =
	    seal_file(plain, plain_len, u->district, h, &u->sealbuf[slot], len);
	free(h);
	if (rc == GU_OK)
		*data = u->sealbuf[slot];
	return rc;
}

int64_t
upload_backoff_ms(const struct sync_config *cfg, uint32_t n, int rc,
    int64_t retry_after_s, uint32_t rnd)
{
	int64_t lo = (int64_t) cfg->backoff_min_s * 1000;
	int64_t hi = (int64_t) cfg->backoff_max_s * 1000;
	int64_t d = lo > 0 ? lo : 1000;

	for (uint32_t i = 1; i < n && d < hi; i++)
		d *= 2;
	if (d > hi)
		d = hi;
	/* Equal jitter: half fixed, half random, so devices spread out. */
	d = d / 2 + (int64_t) (rnd % (uint32_t) (d / 2 + 1));
	if ((rc == GU_EREFUSED || rc == GU_EAUTH || rc == GU_EFULL) &&
	    d < (int64_t) cfg->refused_min_s * 1000)
		d = (int64_t) cfg->refused_min_s * 1000;
	if (retry_after_s > 0) {
		int64_t ra = retry_after_s * 1000;

		if (ra > hi)
			ra = hi;
		if (d < ra)
			d = ra;
	}
	return d;
}

static uint32_t
rnd32(void)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint32_t) upload_now_ms();
	return r;
}

/* Stores the failure and its backoff; returns rc. */
static int
fail(struct upload *u, uint64_t id, int rc, long code, const char *msg,
    int64_t retry_after_s)
{
	struct sync_status st;
	int64_t now = upload_now_ms(), d;
	uint32_t n = 1;

	if (store_sync_status(u->s, &st) == GU_OK)
		n = st.failures + 1;
	d = upload_backoff_ms(u->cfg, n, rc, retry_after_s, rnd32());
	say(u, "upload failed (%s): %s; next try in %" PRId64 " s",
	    status_name(rc), msg, d / 1000);
	(void) store_sync_fail(u->s, id, rc, (int) code, msg, now, now + d);
	u->last_rc = rc;
	return rc;
}

/* ---- building batch bodies ---- */

struct body {
	struct upload *u;
	const uint64_t *skip; /* ascending */
	size_t n_skip, skip_i;
	uint64_t last;   /* regular: stop after this seq */
	int cutting;     /* choose last by the limits */
	struct pack *pk; /* not NULL: also compress into this */
	struct sha256 h;
	uint64_t raw;
	uint32_t n;
	uint64_t seen_last; /* last seq looked at (carried or skipped) */
	size_t skip_used;   /* skip entries <= seen_last */
	int rc;
};

/* Hashes (and compresses) the lines gathered in u->line and empties it. */
static int
body_flush(struct body *bd)
{
	struct upload *u = bd->u;
	int rc;

	if (u->line.len == 0)
		return GU_OK;
	sha256_update(&bd->h, u->line.p, u->line.len);
	if (bd->pk != NULL) {
		rc = pack_write(bd->pk, u->line.p, u->line.len);
		if (rc != GU_OK)
			return rc;
	}
	buf_reset(&u->line);
	return GU_OK;
}

/*
 * Adds r's line to the body.  1 (nothing added) when cutting and the batch
 * is full: this record starts the next batch.
 */
static int
body_line(struct body *bd, const struct record *r)
{
	struct upload *u = bd->u;
	size_t before = u->line.len, len;
	int rc;

	rc = json_record(&u->line, r, NULL);
	if (rc == GU_OK && u->line.len - before > LINE_MAX_BYTES)
		rc = GU_ETOOBIG;
	if (rc != GU_OK) {
		buf_truncate(&u->line, before);
		return rc;
	}
	len = u->line.len - before;
	if (bd->cutting && bd->n > 0 &&
	    (bd->n >= (uint32_t) u->cfg->batch_records ||
	        bd->raw + len > (uint64_t) u->cfg->batch_bytes)) {
		buf_truncate(&u->line, before);
		return 1;
	}
	bd->raw += len;
	bd->n++;
	if (u->line.len >= STAGE_BYTES)
		return body_flush(bd);
	return GU_OK;
}

static int
body_walk_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct body *bd = arg;
	int rc;

	(void) voided_by;
	if (!bd->cutting && r->seq > bd->last)
		return 1;
	while (bd->skip_i < bd->n_skip && bd->skip[bd->skip_i] < r->seq)
		bd->skip_i++;
	if (bd->skip_i < bd->n_skip && bd->skip[bd->skip_i] == r->seq) {
		bd->skip_i++;
		bd->seen_last = r->seq;
		bd->skip_used = bd->skip_i;
		return 0;
	}
	/* Past the skip list we fetched: stop, the next batch goes on. */
	if (bd->cutting && bd->n_skip == BATCH_SKIP_MAX &&
	    bd->skip_i >= bd->n_skip)
		return 1;
	rc = body_line(bd, r);
	if (rc == 1)
		return 1;
	if (rc != GU_OK) {
		bd->rc = rc;
		return 1;
	}
	bd->seen_last = r->seq;
	bd->skip_used = bd->skip_i;
	if (bd->cutting && bd->n >= (uint32_t) bd->u->cfg->batch_records)
		return 1;
	return 0;
}

struct seqs {
	uint64_t *v;
	size_t n, max;
};

static int
seqs_fn(void *arg, uint64_t seq)
{
	struct seqs *q = arg;

	if (q->n >= q->max)
		return 1;
	q->v[q->n++] = seq;
	return 0;
}

/* Calls the body builder over a batch's records. */
static int
body_run(struct upload *u, struct body *bd, uint64_t first, int urgent,
    const uint64_t *useqs, size_t n_useqs)
{
	struct record *r = NULL;
	int rc;

	sha256_init(&bd->h);
	buf_reset(&u->line);
	if (!urgent) {
		rc = store_log_walk(u->s, first, body_walk_fn, bd);
		store_sync_trim(u->s);
		if (bd->rc != GU_OK)
			return bd->rc;
		if (rc != GU_OK && rc != 1)
			return rc;
		return body_flush(bd);
	}
	r = malloc(sizeof(*r));
	if (r == NULL)
		return GU_ENOMEM;
	for (size_t i = 0; i < n_useqs; i++) {
		/*
		 * Urgent records lie far apart in the log, and the kernel maps
		 * the pages around each one it faults in: let go of them every
		 * few records so the daemon's memory stays small.
		 */
		if (i % 16 == 15)
			store_sync_trim(u->s);
		rc = store_get(u->s, useqs[i], r);
		if (rc == GU_OK)
			rc = body_line(bd, r);
		if (rc != GU_OK) {
			free(r);
			return rc;
		}
	}
	free(r);
	store_sync_trim(u->s);
	return body_flush(bd);
}

struct chain_walk {
	uint64_t before_id; /* look at batches frozen before this one */
	uint32_t urgent;    /* of this chain */
	uint64_t n;
	uint8_t last[SYNC_HASH_LEN];
};

static int
chain_fn(void *arg, const struct sync_batch *b)
{
	struct chain_walk *cw = arg;

	if (b->id >= cw->before_id)
		return 1;
	if (b->urgent == cw->urgent) {
		cw->n++;
		memcpy(cw->last, b->sha256, SYNC_HASH_LEN);
	}
	return 0;
}

/*
 * The header of frozen (or freezing) batch b in format version.  In
 * version 2 the number and prev are those of b's own chain (regular or
 * urgent): the batches of its kind frozen before it, counted in the
 * store's batch table, whatever their version (docs/batch-format.md).
 * Version 1 numbers every batch in one chain, as the store's id and prev
 * do.  The walk is over batch rows, a few hundred for years of uploads.
 */
static int
head_from(struct upload *u, const struct sync_batch *b, struct batch_head *h,
    int version)
{
	struct chain_walk cw;
	int rc;

	memset(h, 0, offsetof(struct batch_head, skip));
	head_ids(u, b, h);
	h->n_records = b->n_records;
	memcpy(h->body_sha256, b->body_sha256, SYNC_HASH_LEN);
	h->version = version;
	if (version == BATCH_FORMAT_V1) {
		h->id = b->id;
		memcpy(h->prev, b->prev, SYNC_HASH_LEN);
		return GU_OK;
	}
	memset(&cw, 0, sizeof(cw));
	cw.before_id = b->id;
	cw.urgent = b->urgent;
	rc = store_sync_batches(u->s, 1, 0, chain_fn, &cw);
	if (rc != GU_OK && rc != 1)
		return rc;
	h->id = cw.n + 1;
	memcpy(h->prev, cw.last, SYNC_HASH_LEN);
	memcpy(h->key, u->key.pk, SIGN_PK_LEN);
	h->signer = &u->key;
	return GU_OK;
}

/*
 * Rebuilds frozen batch b from the log into pk: the header member, then
 * the body member, checked against the frozen hashes.
 */
static int
build_into(struct upload *u, const struct sync_batch *b, struct pack *pk)
{
	struct batch_head *h = NULL;
	struct body bd;
	struct seqs q;
	uint8_t body[SYNC_HASH_LEN];
	char *head = NULL;
	size_t hl;
	int rc;

	memset(&bd, 0, sizeof(bd));
	h = malloc(sizeof(*h));
	head = malloc(BATCH_HEAD_MAX);
	if (h == NULL || head == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	/*
	 * The frozen hash says which format the batch was frozen in: this
	 * build's, or version 1 (frozen before the upgrade).
	 */
	for (int version = BATCH_FORMAT;; version = BATCH_FORMAT_V1) {
		rc = head_from(u, b, h, version);
		if (rc != GU_OK)
			goto out;
		q.v = h->skip;
		q.n = 0;
		q.max = BATCH_SKIP_MAX;
		/* Regular: the skip list; urgent: the seqs it carries. */
		rc = store_sync_urgent_seqs(u->s, b->first_seq, b->last_seq,
		    b->urgent ? b->id : 0, seqs_fn, &q);
		if (rc != GU_OK && rc != 1)
			goto out;
		if (!b->urgent)
			h->n_skip = q.n;
		rc = batch_head_format(h, head, BATCH_HEAD_MAX, &hl);
		if (rc != GU_OK)
			goto out;
		if (memcmp(h->sha256, b->sha256, SYNC_HASH_LEN) == 0)
			break;
		if (version == BATCH_FORMAT_V1) {
			rc = GU_ECORRUPT;
			goto out;
		}
	}
	rc = pack_reset(pk);
	if (rc == GU_OK)
		rc = pack_write(pk, head, hl);
	if (rc == GU_OK)
		rc = pack_finish(pk);
	if (rc == GU_OK)
		rc = pack_member(pk);
	if (rc != GU_OK)
		goto out;
	bd.u = u;
	bd.pk = pk;
	bd.last = b->last_seq;
	bd.skip = h->skip;
	bd.n_skip = b->urgent ? 0 : h->n_skip;
	rc = body_run(u, &bd, b->first_seq, (int) b->urgent, h->skip, q.n);
	if (rc != GU_OK)
		goto out;
	sha256_final(&bd.h, body);
	if (bd.n != b->n_records ||
	    memcmp(body, b->body_sha256, SYNC_HASH_LEN) != 0) {
		rc = GU_ECORRUPT;
		goto out;
	}
	rc = pack_finish(pk);
out:
	free(head);
	free(h);
	return rc;
}

int
upload_build(struct upload *u, const struct sync_batch *b)
{
	int rc;

	u->pk_id = 0;
	rc = build_into(u, b, u->pk);
	if (rc == GU_OK)
		u->pk_id = b->id;
	return rc;
}

/*
 * Fills the name, header hash and freezes; b has range, counts, body.
 * With pk (a regular batch whose body member is finished in it), also
 * compresses the header line as a member and moves it in front, so pk
 * holds the whole file; on error nothing is frozen.
 */
static int
freeze(struct upload *u, struct sync_batch *b, const struct sync_plan *p,
    const uint64_t *skip, size_t n_skip, const uint64_t *useqs, size_t n_u,
    uint64_t scan, struct pack *pk)
{
	size_t body_len;
	struct batch_head *h;
	char *head;
	size_t hl;
	int rc;

	h = malloc(sizeof(*h));
	head = malloc(BATCH_HEAD_MAX);
	if (h == NULL || head == NULL) {
		free(h);
		free(head);
		return GU_ENOMEM;
	}
	b->id = p->next_id;
	memcpy(b->prev, p->last_hash, SYNC_HASH_LEN);
	b->frozen_ms = upload_now_ms();
	rc = head_from(u, b, h, BATCH_FORMAT);
	if (rc != GU_OK) {
		free(h);
		free(head);
		return rc;
	}
	if (!b->urgent) {
		memcpy(h->skip, skip, n_skip * sizeof(*skip));
		h->n_skip = n_skip;
	}
	b->n_skip = (uint32_t) h->n_skip;
	rc = batch_head_format(h, head, BATCH_HEAD_MAX, &hl);
	if (rc == GU_OK)
		rc = batch_name(h, b->name, sizeof(b->name));
	if (rc == GU_OK && pk != NULL) {
		(void) pack_data(pk, &body_len);
		rc = pack_member(pk);
		if (rc == GU_OK)
			rc = pack_write(pk, head, hl);
		if (rc == GU_OK)
			rc = pack_finish(pk);
		if (rc == GU_OK)
			rc = pack_rotate(pk, body_len);
	}
	if (rc == GU_OK) {
		memcpy(b->sha256, h->sha256, SYNC_HASH_LEN);
		b->raw_bytes += hl;
		rc = store_sync_freeze(u->s, b, useqs, n_u, scan);
	}
	if (rc == GU_OK)
		say(u, "froze batch %" PRIu64 " %s (%" PRIu32 " records)",
		    b->id, b->name, b->n_records);
	free(h);
	free(head);
	return rc;
}

/* Step 2: urgent records into urgent batches. */
static int
urgent_round(struct upload *u)
{
	uint64_t useqs[SYNC_URGENT_MAX], scanned, from;
	struct sync_plan p;
	struct sync_batch b;
	struct body bd;
	size_t n;
	int rc;

	for (int rounds = 0; rounds < 1000; rounds++) {
		rc = store_sync_plan(u->s, &p);
		if (rc != GU_OK)
			return rc;
		from = (p.carried_seq > p.urgent_scan ? p.carried_seq
		                                      : p.urgent_scan) +
		    1;
		if (from > p.last_seq)
			return GU_OK;
		rc = store_sync_urgent_scan(
		    u->s, from, useqs, SYNC_URGENT_MAX, &n, &scanned);
		store_sync_trim(u->s);
		if (rc != GU_OK)
			return rc;
		if (n == 0) {
			rc = store_sync_set_scan(u->s, scanned);
			if (rc != GU_OK)
				return rc;
			if (scanned >= p.last_seq || scanned < from)
				return GU_OK;
			continue;
		}
		memset(&bd, 0, sizeof(bd));
		bd.u = u;
		rc = body_run(u, &bd, useqs[0], 1, useqs, n);
		if (rc != GU_OK)
			return rc;
		memset(&b, 0, sizeof(b));
		b.urgent = 1;
		b.first_seq = useqs[0];
		b.last_seq = useqs[n - 1];
		b.n_records = bd.n;
		b.raw_bytes = bd.raw;
		sha256_final(&bd.h, b.body_sha256);
		rc = freeze(u, &b, &p, NULL, 0, useqs, n, scanned, NULL);
		if (rc != GU_OK)
			return rc;
	}
	return GU_OK;
}

/*
 * Step 5: cut and freeze the next regular batch; *made 0 if none.  With
 * compress (a pass that sends it next) its file is made in the same pass
 * and left in u->pk; without (freezing for an export, which builds the
 * files afterwards) only hashed.
 */
static int
cut_regular(struct upload *u, int *made, int compress)
{
	struct sync_plan p;
	struct sync_batch b;
	struct body bd;
	struct seqs q;
	uint64_t *skip;
	int rc;

	*made = 0;
	rc = store_sync_plan(u->s, &p);
	if (rc != GU_OK || p.regular_next > p.last_seq)
		return rc;
	skip = malloc(BATCH_SKIP_MAX * sizeof(*skip));
	if (skip == NULL)
		return GU_ENOMEM;
	q.v = skip;
	q.n = 0;
	q.max = BATCH_SKIP_MAX;
	rc = store_sync_urgent_seqs(
	    u->s, p.regular_next, UINT64_MAX, 0, seqs_fn, &q);
	if (rc != GU_OK && rc != 1)
		goto out;
	/* The body member is compressed while the records are read. */
	u->pk_id = 0;
	if (compress) {
		rc = pack_reset(u->pk);
		if (rc != GU_OK)
			goto out;
	}
	memset(&bd, 0, sizeof(bd));
	bd.u = u;
	bd.cutting = 1;
	bd.pk = compress ? u->pk : NULL;
	bd.skip = skip;
	bd.n_skip = q.n;
	rc = body_run(u, &bd, p.regular_next, 0, NULL, 0);
	if (rc == GU_OK && compress)
		rc = pack_finish(u->pk);
	if (rc != GU_OK)
		goto out;
	if (bd.seen_last < p.regular_next) {
		rc = GU_OK; /* nothing there yet */
		goto out;
	}
	memset(&b, 0, sizeof(b));
	b.first_seq = p.regular_next;
	b.last_seq = bd.seen_last;
	b.n_records = bd.n;
	b.raw_bytes = bd.raw;
	sha256_final(&bd.h, b.body_sha256);
	rc = freeze(u, &b, &p, skip, bd.skip_used, NULL, 0, 0, bd.pk);
	if (rc == GU_OK) {
		if (compress)
			u->pk_id = b.id; /* the file to send, as frozen */
		*made = 1;
	}
out:
	free(skip);
	return rc;
}

static void
progress(struct upload *u, int force)
{
	int64_t now = upload_now_ms();

	/* At most once a second: each is a durable write. */
	if (!force && now - u->prog_ms < 1000)
		return;
	u->prog_ms = now;
	(void) store_sync_progress(u->s, 1, u->rec_done, u->rec_total,
	    u->bytes_done + u->bytes_cur, u->bytes_done + u->bytes_cur, now);
}

static int
put_progress(void *arg, uint64_t sent, uint64_t total)
{
	struct upload *u = arg;

	(void) total;
	u->bytes_cur = sent;
	progress(u, 0);
	return u->stop != NULL && *u->stop ? 1 : 0;
}

/*
 * Sends frozen batches together (the first urgent one ahead of the
 * pending regular one, at most HTTP_SEND_MAX) and acknowledges each that
 * the transport confirms, in the order given: the bytes made when a
 * batch was cut if u->pk still holds them, else a checked rebuild (an
 * urgent batch is built into u->upk, so at most one urgent per call).
 * The transfers overlap (http_send), so the confirmation of a small
 * urgent batch costs no time beside a large regular one, and no batch
 * waits for another's round trips.  A failure is stored and ends the
 * call; the batches before it in bs stay acknowledged.
 */
static int
send_group(struct upload *u, const struct sync_batch *const *bs, size_t n)
{
	struct http_send v[HTTP_SEND_MAX];
	struct sync_progress pr;
	int64_t now;
	int rc = GU_OK;

	memset(v, 0, sizeof(v));
	for (size_t i = 0; i < n; i++) {
		const struct sync_batch *b = bs[i];
		struct pack *pk = b->urgent ? u->upk : u->pk;
		const uint8_t *body = NULL;

		if (b->urgent)
			rc = build_into(u, b, pk);
		else if (u->pk_id != b->id)
			rc = upload_build(u, b);
		if (rc != GU_OK) {
			char msg[120];

			snprintf(msg, sizeof(msg),
			    "batch %" PRIu64 " cannot be built: %s", b->id,
			    status_str(rc));
			/* A store problem: stored as such, retried. */
			return fail(u, b->id,
			    rc == GU_ECORRUPT ? GU_ECORRUPT : GU_EIO, 0, msg,
			    0);
		}
		v[i].name = b->name;
		rc = upload_file(u, b, pk, &body, &v[i].len);
		v[i].body = body;
		if (rc != GU_OK)
			return fail(
			    u, b->id, rc, 0, "cannot seal the batch", 0);
	}
	u->bytes_cur = 0;
	/*
	 * A 2xx is not proof of storage: each batch counts as sent only
	 * after the transport confirms it is there with every byte.
	 */
	(void) http_send(&u->ho, v, n, put_progress, u);
	u->bytes_cur = 0;
	for (size_t i = 0; i < n; i++) {
		const struct sync_batch *b = bs[i];
		const struct http_result *res = &v[i].res;

		if (res->rc != GU_OK) {
			if (u->stop != NULL && *u->stop)
				return GU_OK;
			return fail(u, b->id, res->rc, res->code, res->msg,
			    res->retry_after_s);
		}
		/* The progress bar moves in the acknowledgement's
		 * transaction. */
		pr.rec_done = u->rec_done + b->n_records;
		pr.rec_total = u->rec_total;
		pr.bytes_done = pr.bytes_total = u->bytes_done + v[i].len;
		now = upload_now_ms();
		rc = store_sync_ack_progress(u->s, b->id, v[i].len, now, &pr);
		if (rc != GU_OK)
			return fail(
			    u, b->id, rc, 0, "cannot record the upload", 0);
		say(u,
		    "sent batch %" PRIu64 " %s: %" PRIu32 " records, %zu "
		    "bytes",
		    b->id, b->name, b->n_records, v[i].len);
		u->prog_ms = now;
		u->rec_done += b->n_records;
		u->bytes_done += v[i].len;
		u->sent_batches++;
		u->sent_records += b->n_records;
		u->sent_bytes += v[i].len;
	}
	return GU_OK;
}

struct pend {
	struct sync_batch b[8];
	size_t n;
	int urgent;
};

static int
pend_fn(void *arg, const struct sync_batch *b)
{
	struct pend *pd = arg;

	if ((int) b->urgent != pd->urgent)
		return 0;
	if (pd->n >= sizeof(pd->b) / sizeof(pd->b[0]))
		return 1;
	pd->b[pd->n++] = *b;
	return 0;
}

/* The pending (frozen, unacknowledged) batches of one kind, oldest first. */
static int
pending(struct upload *u, struct pend *pd, int urgent)
{
	int rc;

	pd->n = 0;
	pd->urgent = urgent;
	rc = store_sync_batches(u->s, 1, 1, pend_fn, pd);
	return rc == 1 ? GU_OK : rc;
}

int
upload_freeze_all(struct upload *u)
{
	int rc, made;

	for (;;) {
		rc = urgent_round(u);
		if (rc != GU_OK)
			return rc;
		rc = cut_regular(u, &made, 0);
		if (rc != GU_OK || !made)
			return rc;
	}
}

int
upload_pass(struct upload *u)
{
	struct http_result res;
	struct sync_status st;
	struct pend *pu = NULL, *pr = NULL;
	int rc, made;

	u->last_rc = GU_OK;
	u->retry_after_s = 0;
	u->rec_done = u->bytes_done = u->bytes_cur = 0;
	rc = store_sync_status(u->s, &st);
	if (rc != GU_OK)
		return rc;
	u->rec_total = st.unacked;
	(void) upload_district_key(u);
	progress(u, 1);
	/*
	 * With something to send the PUT itself tells whether the server
	 * is there (the same classes): a probe would be one more round
	 * trip.  With nothing to send the probe says the server answers.
	 */
	if (st.unacked == 0 && st.pending_batches == 0) {
		rc = http_probe(&u->ho, &res);
		if (rc != GU_OK) {
			rc = fail(
			    u, 0, rc, res.code, res.msg, res.retry_after_s);
			goto out;
		}
	}
	pu = malloc(sizeof(*pu));
	pr = malloc(sizeof(*pr));
	if (pu == NULL || pr == NULL) {
		rc = GU_ENOMEM;
		goto done;
	}
	for (;;) {
		const struct sync_batch *bs[2];
		size_t n = 0;

		if (u->stop != NULL && *u->stop)
			break;
		rc = urgent_round(u);
		if (rc == GU_OK)
			rc = pending(u, pu, 1);
		if (rc == GU_OK)
			rc = pending(u, pr, 0);
		/* The next regular batch is cut when no urgent one waits
		 * behind the next. */
		if (rc == GU_OK && pr->n == 0 && pu->n <= 1) {
			rc = cut_regular(u, &made, 1);
			if (rc == GU_OK && made)
				rc = pending(u, pr, 0);
		}
		if (rc != GU_OK)
			break;
		/* Urgent first; beside it the regular one, when it is the
		 * only urgent one waiting. */
		if (pu->n > 0)
			bs[n++] = &pu->b[0];
		if (pr->n > 0 && pu->n <= 1)
			bs[n++] = &pr->b[0];
		if (n == 0)
			break;
		rc = send_group(u, bs, n);
		if (rc != GU_OK)
			break;
	}
done:
	free(pu);
	free(pr);
	if (rc != GU_OK && u->last_rc == GU_OK)
		rc = fail(u, 0, rc, 0, status_str(rc), 0);
out:
	rc = u->last_rc;
	if (store_sync_status(u->s, &st) == GU_OK)
		(void) store_sync_pass_end(u->s,
		    rc == GU_OK && st.unacked == 0 && st.pending_batches == 0,
		    upload_now_ms());
	return rc;
}
