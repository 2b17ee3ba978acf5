/*
 * store_query.c: the walks and queries the screens and the tools make:
 * the log, a child's file, classes, staff, summaries, lectures and their
 * attendance, open concerns, counts per day.  Each is one read
 * transaction around store_walk(); the cost is the number of entries
 * visited, never the size of the log (except store_log_walk, which is
 * asked for all of it).
 */
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "store_entity.h"
#include "store_int.h"

static MDB_val
sval(const char *s)
{
	return store_mval(s, strlen(s));
}

struct walk_arg {
	struct store *s;
	MDB_txn *txn;
	struct record *r;
	uint64_t from;
	const char *key;
	store_rec_fn fn;
	void *arg;
	int open_only;
	store_lecture_fn lfn;
	store_att_fn afn;
};

/* ---- the log and a child's file ---- */

static int
log_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct walk_arg *a = arg;
	int rc;

	(void) c;
	(void) k;
	rc = rec_decode(a->r, v->mv_data, v->mv_size);
	if (rc == GU_ECORRUPT)
		a->s->damaged = 1;
	if (rc != GU_OK)
		return rc;
	return a->fn(
	    a->arg, a->r, store_txn_voided_by(a->s, a->txn, a->r->seq));
}

static int
log_walk_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	uint8_t kb[8] = {0};
	MDB_val k = store_mval(kb, 8);
	int rc;

	a->s = s;
	a->txn = txn;
	a->r = malloc(sizeof(*a->r));
	if (a->r == 0)
		return GU_ENOMEM;
	store_put_u64(kb, a->from);
	rc = store_walk(txn, s->db[DB_LOG], WALK_FWD, &k, 0, log_fn, a);
	free(a->r);
	return rc;
}

int
store_log_walk(struct store *s, uint64_t from_seq, store_rec_fn fn, void *arg)
{
	struct walk_arg a = {
	    .from = from_seq ? from_seq : 1, .fn = fn, .arg = arg};

	return store_read(s, log_walk_txn, &a);
}

static int
file_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct walk_arg *a = arg;
	uint64_t seq;
	int rc;

	(void) c;
	(void) k;
	if (v->mv_size != 8)
		return GU_ECORRUPT;
	seq = store_get_u64(v->mv_data);
	rc = store_txn_get(a->s, a->txn, seq, a->r);
	if (rc != GU_OK)
		return rc;
	return a->fn(a->arg, a->r, store_txn_voided_by(a->s, a->txn, seq));
}

static int
child_file_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	uint8_t vb[8];
	MDB_val k = sval(a->key), v = store_mval(vb, 8);
	int rc;

	a->s = s;
	a->txn = txn;
	a->r = malloc(sizeof(*a->r));
	if (a->r == 0)
		return GU_ENOMEM;
	store_put_u64(vb, a->from);
	rc = store_walk(txn, s->db[DB_BY_CHILD], WALK_DUPS_BACK, &k,
	    a->from ? &v : 0, file_fn, a);
	free(a->r);
	return rc;
}

int
store_child_file(struct store *s, const char *child_id, uint64_t before_seq,
    store_rec_fn fn, void *arg)
{
	struct walk_arg a = {
	    .from = before_seq, .key = child_id, .fn = fn, .arg = arg};

	if (!rec_id_ok(child_id))
		return GU_EINVAL;
	return store_read(s, child_file_txn, &a);
}

/* ---- the roster ---- */

struct list_arg {
	struct store *s;
	MDB_txn *txn;
	const char *key;
	store_child_fn cfn;
	store_staff_fn sfn;
	store_class_fn klfn;
	void *arg;
	struct child_summary *out;
	size_t max, n;
};

static int
class_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct list_arg *a = arg;
	char name[64], grade[32];
	uint32_t n;
	int rc;

	(void) c;
	if (k->mv_size >= sizeof(name))
		return GU_ECORRUPT;
	rc = store_entity_class_decode(
	    v->mv_data, v->mv_size, grade, sizeof(grade), &n);
	if (rc != GU_OK)
		return rc;
	store_copy_str(name, sizeof(name), k->mv_data, k->mv_size);
	return a->klfn(a->arg, name, grade, n);
}

static int
classes_txn(struct store *s, MDB_txn *txn, void *arg)
{
	return store_walk(txn, s->db[DB_CLASS], WALK_FWD, 0, 0, class_fn, arg);
}

int
store_classes(struct store *s, store_class_fn fn, void *arg)
{
	struct list_arg a = {.klfn = fn, .arg = arg};

	return store_read(s, classes_txn, &a);
}

/* Each dup of a->key is a child id: look the child up, call a->cfn. */
static int
dup_child_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct list_arg *a = arg;
	struct child ch;
	int rc;

	(void) c;
	(void) k;
	rc = store_roster_child_get(a->s, a->txn, v, &ch);
	if (rc == GU_ENOTFOUND)
		rc = GU_ECORRUPT; /* the index names a child not there */
	if (rc != GU_OK)
		return rc;
	return ch.active ? a->cfn(a->arg, &ch) : 0;
}

static int
dup_children(struct store *s, MDB_txn *txn, int db, struct list_arg *a)
{
	MDB_val k = sval(a->key);

	a->s = s;
	a->txn = txn;
	return store_walk(txn, s->db[db], WALK_DUPS, &k, 0, dup_child_fn, a);
}

static int
class_children_txn(struct store *s, MDB_txn *txn, void *arg)
{
	return dup_children(s, txn, DB_CLASS_CHILD, arg);
}

int
store_class_children(
    struct store *s, const char *class_name, store_child_fn fn, void *arg)
{
	struct list_arg a = {.key = class_name, .cfn = fn, .arg = arg};

	if (class_name == 0 || class_name[0] == '\0')
		return GU_EINVAL;
	return store_read(s, class_children_txn, &a);
}

static int
staff_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct list_arg *a = arg;
	struct staff st;
	int rc;

	(void) c;
	rc = store_staff_decode(k, v, &st);
	if (rc != GU_OK)
		return rc;
	return st.active ? a->sfn(a->arg, &st) : 0;
}

static int
staff_list_txn(struct store *s, MDB_txn *txn, void *arg)
{
	return store_walk(txn, s->db[DB_STAFF], WALK_FWD, 0, 0, staff_fn, arg);
}

int
store_staff_list(struct store *s, store_staff_fn fn, void *arg)
{
	struct list_arg a = {.sfn = fn, .arg = arg};

	return store_read(s, staff_list_txn, &a);
}

/*
 * Fills out's figures for out->child, already decoded in place: the
 * mentor's list decodes each child straight into its row rather than
 * into a local copied in after a memset (two 600-byte passes a child).
 */
static int
summary_stats(struct store *s, MDB_txn *txn, struct child_summary *out)
{
	struct child_stat st;
	int rc;

	rc = store_stat_get(s, txn, out->child.id, &st);
	if (rc != GU_OK)
		return rc;
	/* Zero the padding after the child as the memset of old did. */
	memset((char *) out + sizeof(out->child), 0,
	    sizeof(*out) - sizeof(out->child));
	out->last_contact_ms = st.last_contact_ms;
	out->last_visit_ms = st.last_visit_ms;
	out->last_student_log_ms = st.last_log_ms;
	out->open_concerns = st.open;
	out->open_urgent = st.urgent;
	out->n_records = st.n;
	out->next_visit_day = st.next_visit_day;
	out->review_day = st.review_day;
	out->plan_seq = st.plan_seq;
	out->focus = st.focus;
	return GU_OK;
}

static int
summary_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct list_arg *a = arg;
	MDB_val k = sval(a->key);
	int rc = store_roster_child_get(s, txn, &k, &a->out->child);

	if (rc == GU_OK)
		rc = summary_stats(s, txn, a->out);
	return rc;
}

int
store_child_summary(
    struct store *s, const char *child_id, struct child_summary *out)
{
	struct list_arg a = {.key = child_id, .out = out};

	if (!rec_id_ok(child_id))
		return GU_ENOTFOUND;
	return store_read(s, summary_txn, &a);
}

/*
 * One child of the mentor's list, key k and value v in DB_CHILDREN: while
 * there is room it is decoded into the next row of out (a row holding an
 * inactive child is not counted and is overwritten by the next), past
 * max into a local only to learn whether it is active.
 */
static int
mentor_child(struct list_arg *a, const MDB_val *k, const MDB_val *v)
{
	struct child spare;
	struct child *dst = &spare;
	int rc;

	if (a->n < a->max)
		dst = &a->out[a->n].child;
	rc = store_child_decode(k, v, dst);
	if (rc != GU_OK || !dst->active)
		return rc;
	if (a->n < a->max)
		rc = summary_stats(a->s, a->txn, &a->out[a->n]);
	a->n++;
	return rc;
}

static int
every_child_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	(void) c;
	return mentor_child(arg, k, v);
}

/* Each dup of the mentor's key is a child id: look it up, add it. */
static int
mentor_dup_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct list_arg *a = arg;
	MDB_val ck = *v, cv;
	int rc;

	(void) c;
	(void) k;
	rc = mdb_get(a->txn, a->s->db[DB_CHILDREN], &ck, &cv);
	if (rc == MDB_NOTFOUND)
		return GU_ECORRUPT; /* the index names a child not there */
	if (rc != 0)
		return store_mdb_rc(rc);
	return mentor_child(a, &ck, &cv);
}

static int
mentor_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct list_arg *a = arg;

	a->s = s;
	a->txn = txn;
	if (a->key) {
		MDB_val k = sval(a->key);
		return store_walk(txn, s->db[DB_MENTOR_CHILD], WALK_DUPS, &k, 0,
		    mentor_dup_fn, a);
	}
	return store_walk(
	    txn, s->db[DB_CHILDREN], WALK_FWD, 0, 0, every_child_fn, a);
}

int
store_mentor_children(struct store *s, const char *mentor_id,
    struct child_summary *out, size_t max, size_t *n)
{
	struct list_arg a = {.key = mentor_id, .out = out, .max = max};
	int rc;

	*n = 0;
	if (mentor_id && !rec_id_ok(mentor_id))
		return GU_EINVAL;
	rc = store_read(s, mentor_txn, &a);
	*n = a.n;
	return rc;
}

/* ---- lectures ---- */

static int
lecture_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct walk_arg *a = arg;
	int open = v->mv_size == 1 && ((uint8_t *) v->mv_data)[0] == 1;
	int rc;

	(void) c;
	if (k->mv_size != 8 || v->mv_size != 1)
		return GU_ECORRUPT;
	if (a->open_only && !open)
		return 0;
	rc = store_txn_get(a->s, a->txn, store_get_u64(k->mv_data), a->r);
	if (rc != GU_OK)
		return rc;
	return a->lfn(a->arg, a->r, open);
}

static int
lectures_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	int rc;

	a->s = s;
	a->txn = txn;
	a->r = malloc(sizeof(*a->r));
	if (a->r == 0)
		return GU_ENOMEM;
	rc = store_walk(txn, s->db[DB_LECTURE], WALK_BACK, 0, 0, lecture_fn, a);
	free(a->r);
	return rc;
}

int
store_lectures(struct store *s, int open_only, store_lecture_fn fn, void *arg)
{
	struct walk_arg a = {.open_only = open_only, .lfn = fn, .arg = arg};

	return store_read(s, lectures_txn, &a);
}

static int
att_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct walk_arg *a = arg;
	char cls[64], child[GU_ID_LEN + 1];
	const uint8_t *p = k->mv_data, *z;

	(void) c;
	if (k->mv_size < 10 || store_get_u64(p) != a->from)
		return STORE_WALK_STOP;
	z = memchr(p + 8, 0, k->mv_size - 8);
	if (z == 0 || v->mv_size != 8)
		return GU_ECORRUPT;
	store_copy_str(cls, sizeof(cls), p + 8, (size_t) (z - p - 8));
	store_copy_str(
	    child, sizeof(child), z + 1, k->mv_size - (size_t) (z + 1 - p));
	return a->afn(a->arg, cls, child, store_get_u64(v->mv_data));
}

static int
att_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	uint8_t kb[8] = {0};
	MDB_val k = store_mval(kb, 8);

	store_put_u64(kb, a->from);
	return store_walk(txn, s->db[DB_ATT], WALK_FWD, &k, 0, att_fn, a);
}

int
store_lecture_attendance(
    struct store *s, uint64_t lecture_seq, store_att_fn fn, void *arg)
{
	struct walk_arg a = {.from = lecture_seq, .afn = fn, .arg = arg};

	return store_read(s, att_txn, &a);
}

struct att_of_arg {
	uint64_t lecture;
	const char *child;
	uint64_t seq;
};

static int
att_of_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct att_of_arg *a = arg;
	uint8_t kb[8 + GU_ID_LEN];
	MDB_val k = store_mval(
	            kb, store_att_child_key(kb, a->lecture, a->child)),
	        v;
	int rc = mdb_get(txn, s->db[DB_ATT_CHILD], &k, &v);

	if (rc == MDB_NOTFOUND)
		return GU_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != 8)
		return GU_ECORRUPT;
	a->seq = store_get_u64(v.mv_data);
	return GU_OK;
}

uint64_t
store_attendance_of(struct store *s, uint64_t lecture_seq, const char *child_id)
{
	struct att_of_arg a = {lecture_seq, child_id, 0};

	if (!rec_id_ok(child_id) || store_read(s, att_of_txn, &a) != GU_OK)
		return 0;
	return a.seq;
}

/* ---- concerns and counts ---- */

static int
concern_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct walk_arg *a = arg;
	int rc;

	(void) c;
	(void) v;
	if (k->mv_size != 8)
		return GU_ECORRUPT;
	rc = store_txn_get(a->s, a->txn, store_get_u64(k->mv_data), a->r);
	if (rc != GU_OK)
		return rc;
	return a->fn(a->arg, a->r, 0);
}

static int
concerns_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	int rc;

	a->s = s;
	a->txn = txn;
	a->r = malloc(sizeof(*a->r));
	if (a->r == 0)
		return GU_ENOMEM;
	rc = store_walk(txn, s->db[DB_CONCERN], WALK_BACK, 0, 0, concern_fn, a);
	free(a->r);
	return rc;
}

int
store_open_concerns(struct store *s, store_rec_fn fn, void *arg)
{
	struct walk_arg a = {.fn = fn, .arg = arg};

	return store_read(s, concerns_txn, &a);
}

struct counts_arg {
	uint32_t from, to;
	int kind;
	uint64_t *counts;
};

static int
count_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct counts_arg *a = arg;
	const uint8_t *p = k->mv_data;

	(void) c;
	if (k->mv_size != 5 || p[0] != a->kind || store_get_u32(p + 1) > a->to)
		return STORE_WALK_STOP;
	if (v->mv_size != 8)
		return GU_ECORRUPT;
	a->counts[a->kind] += store_get_u64(v->mv_data);
	return 0;
}

static int
counts_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct counts_arg *a = arg;
	int rc = GU_OK;

	for (a->kind = 1; rc == GU_OK && a->kind < REC_KIND_MAX; a->kind++) {
		uint8_t kb[5];
		MDB_val k = store_mval(kb, 5);
		kb[0] = (uint8_t) a->kind;
		store_put_u32(kb + 1, a->from);
		rc = store_walk(
		    txn, s->db[DB_COUNTS], WALK_FWD, &k, 0, count_fn, a);
	}
	return rc;
}

int
store_counts(struct store *s, uint32_t day_from, uint32_t day_to,
    uint64_t counts[REC_KIND_MAX])
{
	struct counts_arg a = {day_from, day_to, 0, counts};

	memset(counts, 0, REC_KIND_MAX * sizeof(counts[0]));
	return store_read(s, counts_txn, &a);
}
