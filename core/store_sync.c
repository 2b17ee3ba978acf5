/*
 * store_sync.c: the sync state inside the store (store_sync.h): frozen
 * batches, the acknowledged cursor, urgent records sent ahead and the
 * status the headteacher's screen shows.  It alone writes the sync, batch
 * and urgent_sent sub-databases and meta "acked_seq".
 *
 * The batch and status values are laid out as store_entity.h says
 * (versioned, big-endian, CRC-32C); a value that does not decode is
 * GU_ECORRUPT, never read as absent.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "status.h"
#include "store_entity.h"
#include "store_int.h"
#include "store_sync.h"

#define K_STATUS "status"
#define K_NEXT_ID "next_id"
#define K_LAST_HASH "last_hash"
#define K_URGENT_SCAN "urgent_scan"
#define K_LOW_ID "low_id"

static MDB_val
mv(const void *p, size_t n)
{
	MDB_val v;

	v.mv_data = (void *) (uintptr_t) p;
	v.mv_size = n;
	return v;
}

static int
sync_u64(struct store *s, MDB_txn *txn, const char *key, uint64_t *out)
{
	MDB_val k = mv(key, strlen(key)), v;
	int rc;

	*out = 0;
	rc = mdb_get(txn, s->db[DB_SYNC], &k, &v);
	if (rc == MDB_NOTFOUND)
		return GU_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != 8)
		return GU_ECORRUPT;
	*out = store_get_u64(v.mv_data);
	return GU_OK;
}

static int
sync_put_u64(struct store *s, MDB_txn *txn, const char *key, uint64_t val)
{
	uint8_t b[8];
	MDB_val k = mv(key, strlen(key)), v = mv(b, 8);

	store_put_u64(b, val);
	return store_mdb_rc(mdb_put(txn, s->db[DB_SYNC], &k, &v, 0));
}

static int
sync_hash_get(struct store *s, MDB_txn *txn, uint8_t out[SYNC_HASH_LEN])
{
	MDB_val k = mv(K_LAST_HASH, strlen(K_LAST_HASH)), v;
	int rc;

	memset(out, 0, SYNC_HASH_LEN);
	rc = mdb_get(txn, s->db[DB_SYNC], &k, &v);
	if (rc == MDB_NOTFOUND)
		return GU_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != SYNC_HASH_LEN)
		return GU_ECORRUPT;
	memcpy(out, v.mv_data, SYNC_HASH_LEN);
	return GU_OK;
}

/* Reads the stored status; absent reads as zero. */
static int
status_get(struct store *s, MDB_txn *txn, struct sync_status *st)
{
	MDB_val k = mv(K_STATUS, strlen(K_STATUS)), v;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = mdb_get(txn, s->db[DB_SYNC], &k, &v);
	if (rc == MDB_NOTFOUND)
		return GU_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	return store_entity_status_decode(v.mv_data, v.mv_size, st);
}

static int
status_put(struct store *s, MDB_txn *txn, const struct sync_status *st)
{
	uint8_t buf[ENT_MAX];
	MDB_val k = mv(K_STATUS, strlen(K_STATUS)), v;
	size_t len;
	int rc = store_entity_status_encode(st, buf, sizeof(buf), &len);

	if (rc != GU_OK)
		return rc;
	v = mv(buf, len);
	return store_mdb_rc(mdb_put(txn, s->db[DB_SYNC], &k, &v, 0));
}

static int
batch_decode(const MDB_val *v, struct sync_batch *b)
{
	return store_entity_batch_decode(v->mv_data, v->mv_size, b);
}

static int
batch_get(struct store *s, MDB_txn *txn, uint64_t id, struct sync_batch *b)
{
	uint8_t kb[8] = {0};
	MDB_val k = mv(kb, 8), v;
	int rc;

	store_put_u64(kb, id);
	rc = mdb_get(txn, s->db[DB_BATCH], &k, &v);
	if (rc != 0)
		return store_mdb_rc(rc);
	return batch_decode(&v, b);
}

static int
batch_put(struct store *s, MDB_txn *txn, const struct sync_batch *b)
{
	uint8_t kb[8] = {0}, buf[ENT_MAX];
	MDB_val k = mv(kb, 8), v;
	size_t len;
	int rc = store_entity_batch_encode(b, buf, sizeof(buf), &len);

	if (rc != GU_OK)
		return rc;
	store_put_u64(kb, b->id);
	v = mv(buf, len);
	return store_mdb_rc(mdb_put(txn, s->db[DB_BATCH], &k, &v, 0));
}

/*
 * Calls fn for every batch from from_id in id order inside txn; used by
 * the walk and by the pending searches.
 */
struct batch_walk_arg {
	int pending_only;
	store_batch_fn fn;
	void *arg;
};

static int
batch_walk_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct batch_walk_arg *a = arg;
	struct sync_batch b;
	int rc;

	(void) c;
	(void) k;
	rc = batch_decode(v, &b);
	if (rc != GU_OK)
		return rc;
	if (a->pending_only && b.acked_ms != 0)
		return 0;
	return a->fn(a->arg, &b);
}

static int
batch_walk(struct store *s, MDB_txn *txn, uint64_t from_id, int pending_only,
    store_batch_fn fn, void *arg)
{
	struct batch_walk_arg a = {pending_only, fn, arg};
	uint8_t kb[8] = {0};
	MDB_val k = mv(kb, 8);

	store_put_u64(kb, from_id);
	return store_walk(
	    txn, s->db[DB_BATCH], WALK_FWD, &k, NULL, batch_walk_fn, &a);
}

/* ---- status ---- */

struct pend_count {
	uint64_t n;
	uint64_t regular_last; /* last_seq of the pending regular batch */
	int have_regular;
	uint64_t urgent_below; /* pending urgent batches below limit_id */
	uint64_t limit_id;
};

static int
pend_count_fn(void *arg, const struct sync_batch *b)
{
	struct pend_count *pc = arg;

	pc->n++;
	if (!b->urgent) {
		pc->have_regular = 1;
		pc->regular_last = b->last_seq;
	} else if (b->id < pc->limit_id)
		pc->urgent_below++;
	return 0;
}

static int
pend_scan(
    struct store *s, MDB_txn *txn, uint64_t limit_id, struct pend_count *pc)
{
	uint64_t low;
	int rc;

	memset(pc, 0, sizeof(*pc));
	pc->limit_id = limit_id;
	rc = sync_u64(s, txn, K_LOW_ID, &low);
	if (rc != GU_OK)
		return rc;
	return batch_walk(s, txn, low ? low : 1, 1, pend_count_fn, pc);
}

static int
status_read_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct sync_status *st = arg;
	struct pend_count pc;
	int rc;

	rc = status_get(s, txn, st);
	if (rc != GU_OK)
		return rc;
	rc = pend_scan(s, txn, 0, &pc);
	if (rc != GU_OK)
		return rc;
	st->pending_batches = pc.n;
	return GU_OK;
}

int
store_sync_status(struct store *s, struct sync_status *st)
{
	struct store_info info;
	int rc;

	rc = store_read(s, status_read_fn, st);
	if (rc != GU_OK)
		return rc;
	rc = store_info(s, &info);
	if (rc != GU_OK)
		return rc;
	st->last_seq = info.last_seq;
	st->acked_seq = info.acked_seq;
	st->unacked = info.unacked;
	st->oldest_unacked_ms = info.oldest_unacked_ms;
	return GU_OK;
}

struct status_edit {
	int kind; /* 't' trigger, 'f' fail, 'p' progress, 'e' pass end */
	int64_t now_ms;
	uint64_t id;
	int rc, http_code;
	const char *msg;
	int64_t backoff_until_ms;
	int busy, all_done;
	uint64_t rd, rt, bd, bt;
};

static int
status_edit_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct status_edit *e = arg;
	struct sync_status st;
	struct sync_batch b;
	size_t n;
	int rc;

	rc = status_get(s, txn, &st);
	if (rc != GU_OK)
		return rc;
	switch (e->kind) {
	case 't':
		st.backoff_until_ms = 0;
		st.trigger_ms = e->now_ms;
		break;
	case 'f':
		st.last_rc = e->rc;
		st.http_code = e->http_code;
		n = e->msg ? strlen(e->msg) : 0;
		if (n > SYNC_MSG_LEN - 1)
			n = SYNC_MSG_LEN - 1;
		memset(st.message, 0, sizeof(st.message));
		if (n > 0)
			memcpy(st.message, e->msg, n);
		st.last_attempt_ms = e->now_ms;
		st.failures++;
		st.backoff_until_ms = e->backoff_until_ms;
		if (e->id != 0) {
			rc = batch_get(s, txn, e->id, &b);
			if (rc != GU_OK)
				return rc;
			b.attempts++;
			rc = batch_put(s, txn, &b);
			if (rc != GU_OK)
				return rc;
		}
		break;
	case 'p':
		st.busy = e->busy;
		st.busy_ms = e->now_ms;
		st.prog_records_done = e->rd;
		st.prog_records_total = e->rt;
		st.prog_bytes_done = e->bd;
		st.prog_bytes_total = e->bt;
		if (e->busy)
			st.last_attempt_ms = e->now_ms;
		break;
	case 'e':
		st.busy = 0;
		st.busy_ms = e->now_ms;
		if (e->all_done)
			st.last_all_done_ms = e->now_ms;
		break;
	default:
		return GU_EINVAL;
	}
	return status_put(s, txn, &st);
}

int
store_sync_trigger(struct store *s, int64_t now_ms)
{
	struct status_edit e = {.kind = 't', .now_ms = now_ms};

	return store_write(s, 1, status_edit_fn, &e);
}

int
store_sync_fail(struct store *s, uint64_t id, int rc, int http_code,
    const char *msg, int64_t now_ms, int64_t backoff_until_ms)
{
	struct status_edit e = {.kind = 'f',
	    .now_ms = now_ms,
	    .id = id,
	    .rc = rc,
	    .http_code = http_code,
	    .msg = msg,
	    .backoff_until_ms = backoff_until_ms};

	return store_write(s, 0, status_edit_fn, &e);
}

int
store_sync_progress(struct store *s, int busy, uint64_t rec_done,
    uint64_t rec_total, uint64_t bytes_done, uint64_t bytes_total,
    int64_t now_ms)
{
	struct status_edit e = {.kind = 'p',
	    .now_ms = now_ms,
	    .busy = busy,
	    .rd = rec_done,
	    .rt = rec_total,
	    .bd = bytes_done,
	    .bt = bytes_total};

	return store_write(s, 0, status_edit_fn, &e);
}

int
store_sync_pass_end(struct store *s, int all_done, int64_t now_ms)
{
	struct status_edit e = {
	    .kind = 'e', .now_ms = now_ms, .all_done = all_done};

	return store_write(s, 0, status_edit_fn, &e);
}

/* ---- planning and freezing ---- */

static int
plan_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct sync_plan *p = arg;
	struct pend_count pc;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = sync_u64(s, txn, K_NEXT_ID, &p->next_id);
	if (rc == GU_OK && p->next_id == 0)
		p->next_id = 1;
	if (rc == GU_OK)
		rc = sync_hash_get(s, txn, p->last_hash);
	if (rc == GU_OK)
		rc = store_meta_u64(s, txn, "last_seq", &p->last_seq);
	if (rc == GU_OK)
		rc = store_meta_u64(s, txn, "acked_seq", &p->acked_seq);
	if (rc == GU_OK)
		rc = sync_u64(s, txn, K_URGENT_SCAN, &p->urgent_scan);
	if (rc == GU_OK)
		rc = pend_scan(s, txn, 0, &pc);
	if (rc != GU_OK)
		return rc;
	p->pending_regular = pc.have_regular;
	p->carried_seq = pc.have_regular ? pc.regular_last : p->acked_seq;
	p->regular_next = p->carried_seq + 1;
	return GU_OK;
}

int
store_sync_plan(struct store *s, struct sync_plan *p)
{
	return store_read(s, plan_fn, p);
}

struct scan_arg {
	uint64_t from;
	uint64_t *seqs;
	size_t max, n;
	uint64_t scanned;
	int stopped;
	struct store *s;
	MDB_txn *txn;
};

/* Looked at per call; bounds the time one read transaction is held. */

/*
 * Urgent records come from the store's urgent index (store_int.h), so the
 * scan costs the number of urgent records, never a read of the log: a
 * backlog of a million records does not page the log into memory.
 */
static int
scan_one(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct scan_arg *a = arg;
	MDB_val sk, sv;
	int m;

	(void) c;
	(void) v;
	if (k->mv_size != 8)
		return GU_ECORRUPT;
	if (a->n == a->max) {
		a->stopped = 1;
		return STORE_WALK_STOP; /* scanned stays below this seq */
	}
	sk = mv(k->mv_data, 8);
	m = mdb_get(a->txn, a->s->db[DB_URGENT_SENT], &sk, &sv);
	if (m == MDB_NOTFOUND)
		a->seqs[a->n++] = store_get_u64(k->mv_data);
	else if (m != 0)
		return store_mdb_rc(m);
	a->scanned = store_get_u64(k->mv_data);
	return 0;
}

static int
scan_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct scan_arg *a = arg;
	uint8_t kb[8] = {0};
	MDB_val k = mv(kb, 8);
	uint64_t last;
	int rc;

	a->n = 0;
	a->stopped = 0;
	a->scanned = a->from ? a->from - 1 : 0;
	a->s = s;
	a->txn = txn;
	rc = store_meta_u64(s, txn, "last_seq", &last);
	if (rc != GU_OK)
		return rc;
	store_put_u64(kb, a->from);
	rc = store_walk(txn, s->db[DB_URGENT], WALK_FWD, &k, NULL, scan_one, a);
	/* Nothing urgent (left unlisted) up to the end of the log. */
	if (rc == GU_OK && !a->stopped && last > a->scanned)
		a->scanned = last;
	return rc;
}

int
store_sync_urgent_scan(struct store *s, uint64_t from, uint64_t *seqs,
    size_t max, size_t *n, uint64_t *scanned)
{
	struct scan_arg a = {.from = from ? from : 1, .seqs = seqs, .max = max};
	int rc;

	*n = 0;
	*scanned = a.from - 1;
	rc = store_read(s, scan_fn, &a);
	if (rc != GU_OK)
		return rc;
	*n = a.n;
	*scanned = a.scanned;
	return GU_OK;
}

struct freeze_arg {
	const struct sync_batch *b;
	const uint64_t *seqs;
	size_t n;
	uint64_t urgent_scan;
};

static int
freeze_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct freeze_arg *a = arg;
	const struct sync_batch *b = a->b;
	struct sync_plan p;
	struct sync_batch nb;
	uint8_t kb[8], vb[8];
	MDB_val k, v;
	uint64_t old_scan;
	size_t i;
	int rc, m;

	rc = plan_fn(s, txn, &p);
	if (rc != GU_OK)
		return rc;
	if (b->id != p.next_id ||
	    memcmp(b->prev, p.last_hash, SYNC_HASH_LEN) != 0)
		return GU_EBUSY;
	if (b->first_seq > b->last_seq || b->last_seq > p.last_seq ||
	    b->first_seq == 0)
		return GU_EINVAL;
	if (!b->urgent) {
		if (a->n != 0 || b->first_seq != p.regular_next)
			return GU_EINVAL;
	} else {
		if (a->n == 0 || a->n > SYNC_URGENT_MAX ||
		    a->n != b->n_records || a->seqs[0] != b->first_seq ||
		    a->seqs[a->n - 1] != b->last_seq)
			return GU_EINVAL;
		store_put_u64(vb, b->id);
		for (i = 0; i < a->n; i++) {
			if (i > 0 && a->seqs[i] <= a->seqs[i - 1])
				return GU_EINVAL;
			if (a->seqs[i] <= p.carried_seq)
				return GU_EINVAL;
			store_put_u64(kb, a->seqs[i]);
			k = mv(kb, 8);
			v = mv(vb, 8);
			m = mdb_put(txn, s->db[DB_URGENT_SENT], &k, &v,
			    MDB_NOOVERWRITE);
			if (m == MDB_KEYEXIST)
				return GU_EEXIST;
			if (m != 0)
				return store_mdb_rc(m);
		}
	}
	nb = *b;
	nb.acked_ms = 0;
	nb.attempts = 0;
	nb.name[SYNC_NAME_LEN - 1] = '\0';
	rc = batch_put(s, txn, &nb);
	if (rc == GU_OK)
		rc = sync_put_u64(s, txn, K_NEXT_ID, b->id + 1);
	if (rc == GU_OK) {
		k = mv(K_LAST_HASH, strlen(K_LAST_HASH));
		v = mv(b->sha256, SYNC_HASH_LEN);
		rc = store_mdb_rc(mdb_put(txn, s->db[DB_SYNC], &k, &v, 0));
	}
	if (rc == GU_OK)
		rc = sync_u64(s, txn, K_URGENT_SCAN, &old_scan);
	if (rc == GU_OK && a->urgent_scan > old_scan)
		rc = sync_put_u64(s, txn, K_URGENT_SCAN, a->urgent_scan);
	return rc;
}

int
store_sync_freeze(struct store *s, const struct sync_batch *b,
    const uint64_t *seqs, size_t n, uint64_t urgent_scan)
{
	struct freeze_arg a = {
	    .b = b, .seqs = seqs, .n = n, .urgent_scan = urgent_scan};

	/* Urgent batches may use the reserve: they must leave the device. */
	return store_write(s, b->urgent ? 1 : 0, freeze_fn, &a);
}

static int
set_scan_fn(struct store *s, MDB_txn *txn, void *arg)
{
	uint64_t v = *(uint64_t *) arg, old;
	int rc;

	rc = sync_u64(s, txn, K_URGENT_SCAN, &old);
	if (rc == GU_OK && v > old)
		rc = sync_put_u64(s, txn, K_URGENT_SCAN, v);
	return rc;
}

int
store_sync_set_scan(struct store *s, uint64_t urgent_scan)
{
	return store_write(s, 0, set_scan_fn, &urgent_scan);
}

/* ---- reading batches ---- */

struct get_arg {
	uint64_t id;
	struct sync_batch *out;
};

static int
get_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct get_arg *a = arg;

	return batch_get(s, txn, a->id, a->out);
}

int
store_sync_batch(struct store *s, uint64_t id, struct sync_batch *out)
{
	struct get_arg a = {.id = id, .out = out};

	return store_read(s, get_fn, &a);
}

struct walk_arg {
	uint64_t from;
	int pending_only;
	store_batch_fn fn;
	void *arg;
};

static int
walk_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	uint64_t low = 0;
	int rc;

	if (a->pending_only) {
		rc = sync_u64(s, txn, K_LOW_ID, &low);
		if (rc != GU_OK)
			return rc;
	}
	return batch_walk(s, txn, a->from > low ? a->from : low,
	    a->pending_only, a->fn, a->arg);
}

int
store_sync_batches(struct store *s, uint64_t from_id, int pending_only,
    store_batch_fn fn, void *arg)
{
	struct walk_arg a = {.from = from_id ? from_id : 1,
	    .pending_only = pending_only,
	    .fn = fn,
	    .arg = arg};

	return store_read(s, walk_fn, &a);
}

struct useq_arg {
	uint64_t first, last, batch_id;
	store_seq_fn fn;
	void *arg;
};

static int
useq_one(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct useq_arg *a = arg;
	uint64_t seq;

	(void) c;
	if (k->mv_size != 8 || v->mv_size != 8)
		return GU_ECORRUPT;
	seq = store_get_u64(k->mv_data);
	if (seq > a->last)
		return STORE_WALK_STOP;
	if (a->batch_id != 0 && store_get_u64(v->mv_data) != a->batch_id)
		return 0;
	return a->fn(a->arg, seq);
}

static int
useq_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct useq_arg *a = arg;
	uint8_t kb[8] = {0};
	MDB_val k = mv(kb, 8);

	store_put_u64(kb, a->first);
	return store_walk(
	    txn, s->db[DB_URGENT_SENT], WALK_FWD, &k, NULL, useq_one, a);
}

int
store_sync_urgent_seqs(struct store *s, uint64_t first, uint64_t last,
    uint64_t batch_id, store_seq_fn fn, void *arg)
{
	struct useq_arg a = {.first = first,
	    .last = last,
	    .batch_id = batch_id,
	    .fn = fn,
	    .arg = arg};

	return store_read(s, useq_fn, &a);
}

/* ---- acknowledging ---- */

struct ack_arg {
	uint64_t id, gz_bytes;
	int64_t now_ms;
	const struct sync_progress *prog; /* NULL: leave the progress */
};

static int
low_fn(void *arg, const struct sync_batch *b)
{
	*(uint64_t *) arg = b->id;
	return 1;
}

static int
ack_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct ack_arg *a = arg;
	struct sync_batch b;
	struct sync_status st;
	struct pend_count pc;
	uint64_t acked, low, first_pending;
	int rc;

	rc = batch_get(s, txn, a->id, &b);
	if (rc != GU_OK)
		return rc;
	if (b.acked_ms != 0)
		return GU_OK;
	if (!b.urgent) {
		rc = store_meta_u64(s, txn, "acked_seq", &acked);
		if (rc != GU_OK)
			return rc;
		if (b.first_seq != acked + 1)
			return GU_EINVAL;
		/* Every urgent batch frozen before must be acknowledged. */
		rc = pend_scan(s, txn, b.id, &pc);
		if (rc != GU_OK)
			return rc;
		if (pc.urgent_below != 0)
			return GU_EINVAL;
		rc = store_meta_put_u64(s, txn, "acked_seq", b.last_seq);
		if (rc != GU_OK)
			return rc;
	}
	b.acked_ms = a->now_ms != 0 ? a->now_ms : 1;
	b.gz_bytes = a->gz_bytes;
	b.attempts++;
	rc = batch_put(s, txn, &b);
	if (rc != GU_OK)
		return rc;
	/* Move low_id past every acknowledged batch at the front. */
	rc = sync_u64(s, txn, K_LOW_ID, &low);
	if (rc != GU_OK)
		return rc;
	first_pending = 0;
	rc = batch_walk(s, txn, low ? low : 1, 1, low_fn, &first_pending);
	if (rc != GU_OK && rc != 1)
		return rc;
	if (first_pending == 0) {
		rc = sync_u64(s, txn, K_NEXT_ID, &first_pending);
		if (rc != GU_OK)
			return rc;
	}
	if (first_pending > low) {
		rc = sync_put_u64(s, txn, K_LOW_ID, first_pending);
		if (rc != GU_OK)
			return rc;
	}
	rc = status_get(s, txn, &st);
	if (rc != GU_OK)
		return rc;
	st.last_rc = GU_OK;
	st.http_code = 0;
	memset(st.message, 0, sizeof(st.message));
	st.last_success_ms = a->now_ms;
	st.last_attempt_ms = a->now_ms;
	st.failures = 0;
	st.backoff_until_ms = 0;
	if (a->prog != NULL) {
		st.busy = 1;
		st.busy_ms = a->now_ms;
		st.prog_records_done = a->prog->rec_done;
		st.prog_records_total = a->prog->rec_total;
		st.prog_bytes_done = a->prog->bytes_done;
		st.prog_bytes_total = a->prog->bytes_total;
	}
	return status_put(s, txn, &st);
}

int
store_sync_ack(struct store *s, uint64_t id, uint64_t gz_bytes, int64_t now_ms)
{
	return store_sync_ack_progress(s, id, gz_bytes, now_ms, NULL);
}

int
store_sync_ack_progress(struct store *s, uint64_t id, uint64_t gz_bytes,
    int64_t now_ms, const struct sync_progress *p)
{
	struct ack_arg a = {
	    .id = id, .gz_bytes = gz_bytes, .now_ms = now_ms, .prog = p};

	/* The reserve: an acknowledgement must never fail for space. */
	return store_write(s, 1, ack_fn, &a);
}

struct recent_arg {
	struct sync_batch *out;
	size_t max, n, looked;
};

static int
recent_one(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct recent_arg *a = arg;
	int rc;

	(void) c;
	(void) k;
	/* Bounded: looks at no more than 64 + max batches from the end. */
	if (a->n >= a->max || a->looked++ >= 64 + a->max)
		return STORE_WALK_STOP;
	rc = batch_decode(v, &a->out[a->n]);
	if (rc != GU_OK)
		return rc;
	if (a->out[a->n].acked_ms != 0)
		a->n++;
	return 0;
}

static int
recent_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct recent_arg *a = arg;

	a->n = 0;
	a->looked = 0;
	return store_walk(
	    txn, s->db[DB_BATCH], WALK_BACK, NULL, NULL, recent_one, a);
}

int
store_sync_recent(
    struct store *s, struct sync_batch *out, size_t max, size_t *n)
{
	struct recent_arg a = {.out = out, .max = max};
	int rc;

	*n = 0;
	rc = store_read(s, recent_fn, &a);
	if (rc == GU_OK)
		*n = a.n;
	return rc;
}

/* ---- small strings ---- */

struct kv_arg {
	char key[80];
	const char *val;
	char *out;
	size_t cap;
};

static int
kv_key(struct kv_arg *a, const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n + 3 >= sizeof(a->key))
		return GU_EINVAL;
	memcpy(a->key, "kv:", 3);
	memcpy(a->key + 3, name, n + 1);
	return GU_OK;
}

static int
kv_get_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct kv_arg *a = arg;
	MDB_val k = mv(a->key, strlen(a->key)), v;
	int m;

	a->out[0] = '\0';
	m = mdb_get(txn, s->db[DB_SYNC], &k, &v);
	if (m == MDB_NOTFOUND)
		return GU_OK;
	if (m != 0)
		return store_mdb_rc(m);
	if (v.mv_size >= a->cap)
		return GU_ETOOBIG;
	memcpy(a->out, v.mv_data, v.mv_size);
	a->out[v.mv_size] = '\0';
	return GU_OK;
}

static int
kv_put_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct kv_arg *a = arg;
	MDB_val k = mv(a->key, strlen(a->key)), v = mv(a->val, strlen(a->val));

	if (v.mv_size == 0) {
		int m = mdb_del(txn, s->db[DB_SYNC], &k, NULL);

		return m == MDB_NOTFOUND ? GU_OK : store_mdb_rc(m);
	}
	return store_mdb_rc(mdb_put(txn, s->db[DB_SYNC], &k, &v, 0));
}

int
store_sync_kv_get(struct store *s, const char *name, char *out, size_t cap)
{
	struct kv_arg a = {.out = out, .cap = cap};
	int rc;

	if (cap == 0)
		return GU_EINVAL;
	out[0] = '\0';
	rc = kv_key(&a, name);
	if (rc != GU_OK)
		return rc;
	return store_read(s, kv_get_fn, &a);
}

int
store_sync_kv_put(struct store *s, const char *name, const char *val)
{
	struct kv_arg a = {.val = val};
	int rc;

	if (strlen(val) >= SYNC_KV_LEN)
		return GU_ETOOBIG;
	rc = kv_key(&a, name);
	if (rc != GU_OK)
		return rc;
	return store_write(s, 0, kv_put_fn, &a);
}

void
store_sync_trim(struct store *s)
{
	char path[PATH_MAX + 16], line[PATH_MAX + 256];
	unsigned long lo, hi;
	size_t pl;
	FILE *f;

	/*
	 * LMDB does not tell where its map is (me_mapaddr is set only with
	 * MDB_FIXEDMAP), so find data.mdb's shared mapping in our own maps.
	 */
	if (s == NULL ||
	    snprintf(path, sizeof(path), "%s/data.mdb", s->dir) >=
	        (int) sizeof(path))
		return;
	pl = strlen(path);
	f = fopen("/proc/self/maps", "re");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t ll = strlen(line);

		while (ll > 0 && line[ll - 1] == '\n')
			line[--ll] = '\0';
		if (ll < pl || strcmp(line + ll - pl, path) != 0)
			continue;
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || hi <= lo)
			continue;
		/*
		 * The map is a shared file mapping: dropping our page table
		 * entries loses nothing; the next access faults the page in
		 * from the page cache.
		 */
		(void) madvise((void *) lo, hi - lo, MADV_DONTNEED);
	}
	fclose(f);
}
