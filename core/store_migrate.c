/*
 * store_migrate.c: brings a store written by an older format up to
 * STORE_FORMAT, in the one write transaction store_open() gives it, so a
 * power cut leaves the old store or the new one, never a mixture.
 *
 * Store formats (meta "format"):
 *
 *   1  records of format 1 (no CRC); children and staff written as the
 *      host's struct child / struct staff; auth 12 bytes (u32 failures,
 *      i64 locked_until_ms); class = grade, 0, u32 count; batch and
 *      status rows = a host u32 version 1 then the host struct.  The
 *      layouts are copied below (struct child_v1 ...) as they were, so a
 *      later change to the public structs cannot change how format 1 is
 *      read.
 *   2  records of format 2 (CRC-32C, record.h); every entity as
 *      store_entity.h says, children in child version 1.
 *   3  children in child version 2 (parents_work added).
 *   4  child summaries (DB_CHILD_STAT) 53 bytes: next visit, plan review
 *      day, plan and focus added for the tasks (core/tasks.h); rebuilt
 *      from each child's file.
 *
 * One row of steps[] per format: the function that takes a store of that
 * format to the next.  A new format is a row and a function.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "store_entity.h"
#include "store_int.h"

/* ---- format 1's host layouts (x86-64 and aarch64 Linux, GCC) ---- */

struct child_v1 {
	char id[GU_ID_LEN + 1];
	char name[64];
	char sex[8];
	char birth[11];
	char grade[32];
	char class_name[64];
	unsigned categories;
	char guardian[64];
	char guardian_relation[32];
	char guardian_phone[32];
	char mentor_id[GU_ID_LEN + 1];
	char address[128];
	int active;
};

struct staff_v1 {
	char id[GU_ID_LEN + 1];
	char name[64];
	unsigned roles;
	char pin_hash[128];
	int must_change_pin;
	int active;
};

struct sync_batch_v1 {
	uint64_t id;
	uint64_t first_seq, last_seq;
	uint32_t n_records;
	uint32_t n_skip;
	uint32_t urgent;
	uint32_t attempts;
	uint64_t raw_bytes;
	uint64_t gz_bytes;
	uint8_t body_sha256[32];
	uint8_t sha256[32];
	uint8_t prev[32];
	int64_t frozen_ms;
	int64_t acked_ms;
	char name[160];
};

struct sync_status_v1 {
	int32_t last_rc;
	int32_t http_code;
	char message[200];
	int64_t last_attempt_ms;
	int64_t last_success_ms;
	int64_t last_all_done_ms;
	int64_t backoff_until_ms;
	uint32_t failures;
	int64_t trigger_ms;
	int32_t busy;
	int64_t busy_ms;
	uint64_t prog_records_done, prog_records_total;
	uint64_t prog_bytes_done, prog_bytes_total;
	uint64_t last_seq, acked_seq;
	uint64_t unacked;
	int64_t oldest_unacked_ms;
	uint64_t pending_batches;
};

/* Copies a host string field of size bytes, cut at its NUL. */
static void
str_v1(char *dst, size_t cap, const char *src, size_t size)
{
	store_copy_str(dst, cap, src, strnlen(src, size));
}

#define STR1(d, s) str_v1((d), sizeof(d), (s), sizeof(s))

struct mig {
	struct store *s;
	MDB_txn *txn;
	struct record *r;
	uint8_t *buf;
	char *why;
	size_t why_len;
};

static int
mig_fail(struct mig *m, int rc, const char *what, const MDB_val *k)
{
	char key[40];

	store_copy_str(key, sizeof(key), k->mv_data,
	    k->mv_size < sizeof(key) - 1 ? k->mv_size : sizeof(key) - 1);
	if (m->why_len)
		snprintf(m->why, m->why_len, "migration: %s (key '%s')", what,
		    k->mv_size == 8 ? "u64" : key);
	return rc;
}

/*
 * Replaces the value under the cursor.  The key is copied first: k points
 * into the page, which a put of another size rewrites.
 */
static int
put_cur(MDB_cursor *c, const MDB_val *k, const uint8_t *b, size_t len)
{
	uint8_t kb[512];
	MDB_val key, v = store_mval(b, len);

	if (k->mv_size > sizeof(kb))
		return GU_ECORRUPT;
	memcpy(kb, k->mv_data, k->mv_size);
	key = store_mval(kb, k->mv_size);
	return store_mdb_rc(mdb_cursor_put(c, &key, &v, MDB_CURRENT));
}

/* ---- 1 -> 2 ---- */

static int
m1_record(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct mig *m = arg;
	size_t len;
	int rc;

	rc = rec_decode_v1(m->r, v->mv_data, v->mv_size);
	if (rc != GU_OK || k->mv_size != 8 ||
	    m->r->seq != store_get_u64(k->mv_data)) {
		if (m->why_len)
			snprintf(m->why, m->why_len,
			    "migration: record seq %llu does not decode",
			    k->mv_size == 8
			        ? (unsigned long long) store_get_u64(k->mv_data)
			        : 0ull);
		return GU_ECORRUPT;
	}
	rc = rec_encode(m->r, m->buf, REC_ENCODED_MAX, &len);
	if (rc != GU_OK)
		return rc;
	return put_cur(c, k, m->buf, len);
}

static int
m1_child(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct mig *m = arg;
	struct child_v1 o;
	struct child n;
	size_t len;
	int rc;

	if (v->mv_size != sizeof(o))
		return mig_fail(m, GU_ECORRUPT, "a child is not format 1", k);
	memcpy(&o, v->mv_data, sizeof(o));
	memset(&n, 0, sizeof(n));
	STR1(n.id, o.id);
	STR1(n.name, o.name);
	STR1(n.sex, o.sex);
	STR1(n.birth, o.birth);
	STR1(n.grade, o.grade);
	STR1(n.class_name, o.class_name);
	n.categories = o.categories;
	STR1(n.guardian, o.guardian);
	STR1(n.guardian_relation, o.guardian_relation);
	STR1(n.guardian_phone, o.guardian_phone);
	STR1(n.mentor_id, o.mentor_id);
	STR1(n.address, o.address);
	n.active = o.active != 0;
	rc = store_entity_child_encode_version(&n, 1, m->buf, ENT_MAX, &len);
	if (rc != GU_OK)
		return mig_fail(m, GU_ECORRUPT, "a child does not fit", k);
	return put_cur(c, k, m->buf, len);
}

static int
m1_staff(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct mig *m = arg;
	struct staff_v1 o;
	struct staff n;
	size_t len;
	int rc;

	if (v->mv_size != sizeof(o))
		return mig_fail(
		    m, GU_ECORRUPT, "a staff member is not format 1", k);
	memcpy(&o, v->mv_data, sizeof(o));
	memset(&n, 0, sizeof(n));
	STR1(n.id, o.id);
	STR1(n.name, o.name);
	n.roles = o.roles;
	STR1(n.pin_hash, o.pin_hash);
	n.must_change_pin = o.must_change_pin != 0;
	n.active = o.active != 0;
	rc = store_entity_staff_encode(&n, m->buf, ENT_MAX, &len);
	if (rc != GU_OK)
		return mig_fail(
		    m, GU_ECORRUPT, "a staff member does not fit", k);
	return put_cur(c, k, m->buf, len);
}

static int
m1_class(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct mig *m = arg;
	const uint8_t *p = v->mv_data;
	char grade[32];
	size_t gl, len;
	int rc;

	if (v->mv_size < 5 ||
	    (gl = strnlen((const char *) p, v->mv_size - 4)) !=
	        v->mv_size - 5 ||
	    gl >= sizeof(grade))
		return mig_fail(m, GU_ECORRUPT, "a class is not format 1", k);
	store_copy_str(grade, sizeof(grade), p, gl);
	rc = store_entity_class_encode(
	    grade, store_get_u32(p + gl + 1), m->buf, ENT_MAX, &len);
	if (rc != GU_OK)
		return mig_fail(m, GU_ECORRUPT, "a class does not fit", k);
	return put_cur(c, k, m->buf, len);
}

static int
m1_auth(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct mig *m = arg;
	struct staff_auth a;
	size_t len;
	int rc;

	if (v->mv_size != 12)
		return mig_fail(
		    m, GU_ECORRUPT, "sign-in state is not format 1", k);
	a.failures = store_get_u32(v->mv_data);
	a.locked_until_ms =
	    (int64_t) store_get_u64((const uint8_t *) v->mv_data + 4);
	rc = store_entity_auth_encode(&a, m->buf, ENT_MAX, &len);
	if (rc != GU_OK)
		return rc;
	return put_cur(c, k, m->buf, len);
}

static int
m1_batch(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct mig *m = arg;
	struct sync_batch_v1 o;
	struct sync_batch n;
	uint32_t ver;
	size_t len;
	int rc;

	if (v->mv_size != 4 + sizeof(o))
		return mig_fail(m, GU_ECORRUPT, "a batch is not format 1", k);
	memcpy(&ver, v->mv_data, 4);
	memcpy(&o, (const uint8_t *) v->mv_data + 4, sizeof(o));
	if (ver != 1)
		return mig_fail(m, GU_ECORRUPT, "a batch is not format 1", k);
	memset(&n, 0, sizeof(n));
	n.id = o.id;
	n.first_seq = o.first_seq;
	n.last_seq = o.last_seq;
	n.n_records = o.n_records;
	n.n_skip = o.n_skip;
	n.urgent = o.urgent != 0;
	n.attempts = o.attempts;
	n.raw_bytes = o.raw_bytes;
	n.gz_bytes = o.gz_bytes;
	memcpy(n.body_sha256, o.body_sha256, SYNC_HASH_LEN);
	memcpy(n.sha256, o.sha256, SYNC_HASH_LEN);
	memcpy(n.prev, o.prev, SYNC_HASH_LEN);
	n.frozen_ms = o.frozen_ms;
	n.acked_ms = o.acked_ms;
	STR1(n.name, o.name);
	rc = store_entity_batch_encode(&n, m->buf, ENT_MAX, &len);
	if (rc != GU_OK)
		return mig_fail(m, GU_ECORRUPT, "a batch does not fit", k);
	return put_cur(c, k, m->buf, len);
}

/* The sync db holds u64s, a hash and strings besides the status. */
static int
m1_status(struct mig *m)
{
	MDB_val k = store_mval("status", 6), v;
	struct sync_status_v1 o;
	struct sync_status n;
	uint32_t ver;
	size_t len;
	int rc = mdb_get(m->txn, m->s->db[DB_SYNC], &k, &v);

	if (rc == MDB_NOTFOUND)
		return GU_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != 4 + sizeof(o))
		return store_mdb_rc(mdb_del(m->txn, m->s->db[DB_SYNC], &k, 0));
	memcpy(&ver, v.mv_data, 4);
	memcpy(&o, (const uint8_t *) v.mv_data + 4, sizeof(o));
	/* Format 1 read a status of another layout as none: so do we. */
	if (ver != 1)
		return store_mdb_rc(mdb_del(m->txn, m->s->db[DB_SYNC], &k, 0));
	memset(&n, 0, sizeof(n));
	n.last_rc = o.last_rc;
	n.http_code = o.http_code;
	STR1(n.message, o.message);
	n.last_attempt_ms = o.last_attempt_ms;
	n.last_success_ms = o.last_success_ms;
	n.last_all_done_ms = o.last_all_done_ms;
	n.backoff_until_ms = o.backoff_until_ms;
	n.failures = o.failures;
	n.trigger_ms = o.trigger_ms;
	n.busy = o.busy != 0;
	n.busy_ms = o.busy_ms;
	n.prog_records_done = o.prog_records_done;
	n.prog_records_total = o.prog_records_total;
	n.prog_bytes_done = o.prog_bytes_done;
	n.prog_bytes_total = o.prog_bytes_total;
	rc = store_entity_status_encode(&n, m->buf, ENT_MAX, &len);
	if (rc != GU_OK)
		return rc;
	v = store_mval(m->buf, len);
	return store_mdb_rc(mdb_put(m->txn, m->s->db[DB_SYNC], &k, &v, 0));
}

static int
walk_all(struct mig *m, int db, store_walk_fn fn)
{
	return store_walk(m->txn, m->s->db[db], WALK_FWD, 0, 0, fn, m);
}

static int
m1_to_2(struct mig *m)
{
	int rc;

	if ((rc = walk_all(m, DB_LOG, m1_record)) != GU_OK ||
	    (rc = walk_all(m, DB_CHILDREN, m1_child)) != GU_OK ||
	    (rc = walk_all(m, DB_STAFF, m1_staff)) != GU_OK ||
	    (rc = walk_all(m, DB_CLASS, m1_class)) != GU_OK ||
	    (rc = walk_all(m, DB_AUTH, m1_auth)) != GU_OK ||
	    (rc = walk_all(m, DB_BATCH, m1_batch)) != GU_OK)
		return rc;
	return m1_status(m);
}

/* ---- 2 -> 3 ---- */

static int
m2_child(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct mig *m = arg;
	struct child ch;
	size_t len;
	int rc, ver;

	rc = store_entity_child_decode(
	    k->mv_data, k->mv_size, v->mv_data, v->mv_size, &ch, &ver);
	if (rc != GU_OK)
		return mig_fail(m, rc, "a child does not decode", k);
	if (ver == ENT_CHILD_VERSION)
		return 0;
	rc = store_entity_child_encode_version(&ch, 2, m->buf, ENT_MAX, &len);
	if (rc != GU_OK)
		return rc;
	return put_cur(c, k, m->buf, len);
}

static int
m2_to_3(struct mig *m)
{
	return walk_all(m, DB_CHILDREN, m2_child);
}

/* ---- 3 -> 4 ---- */

static int
m3_stat(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct mig *m = arg;
	char child[GU_ID_LEN + 1];
	struct child_stat st;
	int rc;

	(void) v;
	if (k->mv_size > GU_ID_LEN)
		return mig_fail(
		    m, GU_ECORRUPT, "a child summary key is bad", k);
	store_copy_str(child, sizeof(child), k->mv_data, k->mv_size);
	rc = store_stat_rebuild(m->s, m->txn, child, &st);
	if (rc != GU_OK)
		return rc;
	store_stat_encode(&st, m->buf);
	return put_cur(c, k, m->buf, STORE_STAT_LEN);
}

static int
m3_to_4(struct mig *m)
{
	return walk_all(m, DB_CHILD_STAT, m3_stat);
}

/* ---- the steps ---- */

static const struct {
	uint64_t from;
	int (*fn)(struct mig *m);
} steps[] = {
    {1, m1_to_2},
    {2, m2_to_3},
    {3, m3_to_4},
};

int
store_migrate(struct store *s, MDB_txn *txn, uint64_t from, uint64_t to,
    char *why, size_t why_len)
{
	struct mig m = {s, txn, malloc(sizeof(struct record)),
	    malloc(REC_ENCODED_MAX > ENT_MAX ? REC_ENCODED_MAX : ENT_MAX), why,
	    why_len};
	uint64_t at = from;
	int rc = GU_OK;

	if (m.r == 0 || m.buf == 0) {
		rc = GU_ENOMEM;
		goto out;
	}
	for (size_t i = 0; rc == GU_OK && i < sizeof(steps) / sizeof(steps[0]);
	     i++) {
		if (steps[i].from != at || at >= to)
			continue;
		rc = steps[i].fn(&m);
		at++;
	}
	if (rc == GU_OK && at != to)
		rc = GU_EVERSION;
	if (rc == GU_OK)
		rc = store_meta_put_u64(s, txn, "format", to);
out:
	free(m.r);
	free(m.buf);
	return rc;
}
