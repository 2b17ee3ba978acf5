/*
 * store_index.c: appends, and the table of record kinds that says what
 * each kind does to the store.
 *
 * store_kinds[] has one row per kind: which child's file it joins, what it
 * feeds in the child's summary, which references it must satisfy, whether
 * it may use the urgent reserve, whether it may be voided, and the
 * functions that write its own indexes, undo them when it is voided and
 * check them (store_check).  The indexer, the un-indexer and the checker of
 * one kind sit side by side.  A new kind is a row here and one in
 * record.c's schema; nothing else in the store switches over kinds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "store_int.h"

/* What a kind feeds in its child's summary (struct child_stat). */
#define SK_CONTACT 0x01 /* last_contact_ms */
#define SK_VISIT 0x02   /* last_visit_ms */
#define SK_LOG 0x04     /* last_log_ms */
#define SK_OPEN 0x08    /* open (and open urgent) concerns while open */
#define SK_CLOSES 0x10  /* with F_CLOSES: takes its F_CONCERN out of them */
#define SK_FOCUS 0x20   /* focus: the newest standing one sets focus */
#define SK_PLAN 0x40    /* plan: the newest standing one, its review day */

/* Whether a write of the kind may use the urgent reserve. */
#define RESERVE_NO 0
#define RESERVE_IF_URGENT 1 /* only with REC_FLAG_URGENT */
#define RESERVE_YES 2       /* closing or cancelling stays possible */

struct kind_ref {
	uint8_t field; /* a REF field that must name a standing record */
	uint8_t kind;  /* of this kind; REC_NONE: any */
};

typedef int (*kind_refs_fn)(struct store *s, MDB_txn *txn,
    const struct record *r, const struct record *ref, char *why,
    size_t why_len);
typedef int (*kind_index_fn)(struct store *s, MDB_txn *txn,
    const struct record *r, const char *child, struct record *tmp);
typedef int (*kind_check_fn)(struct store *s, MDB_txn *txn,
    const struct record *r, struct store_tally *t, const char **what);

struct store_kind {
	uint8_t kind;
	/*
	 * The child's file it joins: F_CHILD (its own child), a REF field
	 * (the file of the record it names), or F_NONE (no file).
	 */
	uint8_t file;
	uint8_t stat;     /* SK_* */
	uint8_t reserve;  /* RESERVE_* */
	uint8_t voidable; /* a void may name it */
	struct kind_ref ref[2];
	kind_refs_fn refs;     /* further checks at append, or NULL */
	kind_index_fn index;   /* its own indexes, or NULL */
	kind_index_fn unindex; /* undoes them when voided, or NULL */
	kind_check_fn check;   /* verifies them, or NULL */
	/* The author may be the device itself (an audit of something run
	 * on it by no staff member: guanai-sync ledger without --by). */
	uint8_t by_device;
};

/* ---- small helpers ---- */

static MDB_val
sval(const char *s)
{
	return store_mval(s, strlen(s));
}

static int
exists(struct store *s, MDB_txn *txn, int db, const char *key)
{
	MDB_val k = sval(key), v;

	return mdb_get(txn, s->db[db], &k, &v) == 0;
}

static int
put_seq(struct store *s, MDB_txn *txn, int db, const void *key, size_t kl,
    uint64_t val)
{
	uint8_t vb[8];
	MDB_val k = store_mval(key, kl), v = store_mval(vb, 8);

	store_put_u64(vb, val);
	return store_mdb_rc(mdb_put(txn, s->db[db], &k, &v, 0));
}

static int
del_key(struct store *s, MDB_txn *txn, int db, const void *key, size_t kl)
{
	MDB_val k = store_mval(key, kl);
	int rc = mdb_del(txn, s->db[db], &k, 0);

	return rc == MDB_NOTFOUND ? GU_OK : store_mdb_rc(rc);
}

static int
put_u64key_byte(struct store *s, MDB_txn *txn, int db, uint64_t key,
    const void *val, size_t vl)
{
	uint8_t kb[8] = {0};
	MDB_val k = store_mval(kb, 8), v = store_mval(val, vl);

	store_put_u64(kb, key);
	return store_mdb_rc(mdb_put(txn, s->db[db], &k, &v, 0));
}

static int
del_u64key(struct store *s, MDB_txn *txn, int db, uint64_t key)
{
	uint8_t kb[8] = {0};

	store_put_u64(kb, key);
	return del_key(s, txn, db, kb, 8);
}

static int
has_seq(struct store *s, MDB_txn *txn, int db, const void *key, size_t kl,
    uint64_t seq)
{
	MDB_val k = store_mval(key, kl), v;

	return mdb_get(txn, s->db[db], &k, &v) == 0 && v.mv_size == 8 &&
	    store_get_u64(v.mv_data) == seq;
}

static uint64_t
ref_of(const struct record *r, int f)
{
	return (uint64_t) rec_int(r, f, 0);
}

size_t
store_att_key(uint8_t *kb, size_t cap, uint64_t lecture, const char *cls,
    const char *child)
{
	size_t cl = strlen(cls), hl = strlen(child);

	if (8 + cl + 1 + hl > cap)
		return 0;
	store_put_u64(kb, lecture);
	memcpy(kb + 8, cls, cl);
	kb[8 + cl] = 0;
	memcpy(kb + 9 + cl, child, hl);
	return 9 + cl + hl;
}

size_t
store_att_child_key(uint8_t *kb, uint64_t lecture, const char *child)
{
	size_t hl = strlen(child);

	store_put_u64(kb, lecture);
	memcpy(kb + 8, child, hl);
	return 8 + hl;
}

int
store_lecture_is_open(struct store *s, MDB_txn *txn, uint64_t seq)
{
	uint8_t kb[8] = {0};
	MDB_val k = store_mval(kb, 8), v;

	store_put_u64(kb, seq);
	return mdb_get(txn, s->db[DB_LECTURE], &k, &v) == 0 && v.mv_size == 1 &&
	    ((uint8_t *) v.mv_data)[0] == 1;
}

int
store_concern_is_open(struct store *s, MDB_txn *txn, uint64_t seq)
{
	uint8_t kb[8] = {0};
	MDB_val k = store_mval(kb, 8), v;

	store_put_u64(kb, seq);
	return mdb_get(txn, s->db[DB_CONCERN], &k, &v) == 0;
}

/* ---- lectures ---- */

static int
lecture_index(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	uint8_t one = 1;

	(void) child;
	(void) tmp;
	return put_u64key_byte(s, txn, DB_LECTURE, r->seq, &one, 1);
}

static int
lecture_unindex(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	(void) child;
	(void) tmp;
	return del_u64key(s, txn, DB_LECTURE, r->seq);
}

static int
lecture_check(struct store *s, MDB_txn *txn, const struct record *r,
    struct store_tally *t, const char **what)
{
	(void) s;
	(void) txn;
	(void) r;
	(void) what;
	t->n_lecture++;
	return GU_OK;
}

/* Attendance and the lecture's end need the lecture still open; a
 * make-up attendance (F_MAKEUP) needs it closed. */
static int
lecture_refs(struct store *s, MDB_txn *txn, const struct record *r,
    const struct record *ref, char *why, size_t why_len)
{
	uint64_t lec = ref_of(r, F_LECTURE);
	uint8_t kb[8 + GU_ID_LEN];
	MDB_val k, v;
	int makeup = r->kind == REC_ATTENDANCE && rec_int(r, F_MAKEUP, 0);

	(void) ref;
	if (makeup && store_lecture_is_open(s, txn, lec))
		return store_why(why, why_len,
		    "attendance: a make-up is for a lecture that is over%s",
		    "");
	if (!makeup && !store_lecture_is_open(s, txn, lec))
		return store_why(why, why_len, "%s: the lecture is closed",
		    rec_kind_name(r->kind));
	if (r->kind != REC_ATTENDANCE)
		return GU_OK;
	k = store_mval(kb, store_att_child_key(kb, lec, rec_child(r)));
	if (mdb_get(txn, s->db[DB_ATT_CHILD], &k, &v) == 0) {
		store_why(why, why_len,
		    "attendance: child '%s' is already checked in",
		    rec_child(r));
		return GU_EEXIST;
	}
	return GU_OK;
}

static int
lecture_end_index(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	uint8_t zero = 0;

	(void) child;
	(void) tmp;
	return put_u64key_byte(
	    s, txn, DB_LECTURE, ref_of(r, F_LECTURE), &zero, 1);
}

static int
lecture_end_unindex(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	uint8_t one = 1;

	(void) child;
	(void) tmp;
	return put_u64key_byte(
	    s, txn, DB_LECTURE, ref_of(r, F_LECTURE), &one, 1);
}

static int
lecture_end_check(struct store *s, MDB_txn *txn, const struct record *r,
    struct store_tally *t, const char **what)
{
	uint64_t lec = ref_of(r, F_LECTURE);

	if (store_txn_voided_by(s, txn, lec))
		return GU_OK;
	if (store_lecture_is_open(s, txn, lec)) {
		*what = "ended lecture is open";
		return GU_ECORRUPT;
	}
	t->n_lecture_closed++;
	return GU_OK;
}

/* ---- attendance ---- */

static int
att_index(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	uint8_t kb[STORE_ATT_KEY_MAX];
	uint64_t lec = ref_of(r, F_LECTURE);
	size_t kl;
	int rc;

	(void) tmp;
	kl = store_att_key(kb, sizeof(kb), lec, rec_str(r, F_CLASS), child);
	if (kl == 0)
		return GU_ETOOBIG;
	rc = put_seq(s, txn, DB_ATT, kb, kl, r->seq);
	if (rc != GU_OK)
		return rc;
	kl = store_att_child_key(kb, lec, child);
	return put_seq(s, txn, DB_ATT_CHILD, kb, kl, r->seq);
}

static int
att_unindex(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	uint8_t kb[STORE_ATT_KEY_MAX];
	uint64_t lec = ref_of(r, F_LECTURE);
	size_t kl;
	int rc;

	(void) child;
	(void) tmp;
	kl = store_att_key(
	    kb, sizeof(kb), lec, rec_str(r, F_CLASS), rec_child(r));
	rc = del_key(s, txn, DB_ATT, kb, kl);
	if (rc != GU_OK)
		return rc;
	kl = store_att_child_key(kb, lec, rec_child(r));
	return del_key(s, txn, DB_ATT_CHILD, kb, kl);
}

static int
att_check(struct store *s, MDB_txn *txn, const struct record *r,
    struct store_tally *t, const char **what)
{
	uint8_t kb[STORE_ATT_KEY_MAX];
	uint64_t lec = ref_of(r, F_LECTURE);
	size_t kl;

	kl = store_att_key(
	    kb, sizeof(kb), lec, rec_str(r, F_CLASS), rec_child(r));
	if (!has_seq(s, txn, DB_ATT, kb, kl, r->seq)) {
		*what = "attendance index lacks a record";
		return GU_ECORRUPT;
	}
	kl = store_att_child_key(kb, lec, rec_child(r));
	if (!has_seq(s, txn, DB_ATT_CHILD, kb, kl, r->seq)) {
		*what = "attendance index lacks a child";
		return GU_ECORRUPT;
	}
	t->n_att++;
	return GU_OK;
}

/* ---- concerns and follow-ups ---- */

static int
concern_index(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	(void) tmp;
	return put_u64key_byte(
	    s, txn, DB_CONCERN, r->seq, child, strlen(child));
}

static int
concern_unindex(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	(void) child;
	(void) tmp;
	return del_u64key(s, txn, DB_CONCERN, r->seq);
}

static int
concern_check(struct store *s, MDB_txn *txn, const struct record *r,
    struct store_tally *t, const char **what)
{
	(void) what;
	if (store_concern_is_open(s, txn, r->seq))
		t->n_concern++;
	return GU_OK;
}

static int
followup_refs(struct store *s, MDB_txn *txn, const struct record *r,
    const struct record *ref, char *why, size_t why_len)
{
	(void) ref;
	if (!store_concern_is_open(s, txn, ref_of(r, F_CONCERN)))
		return store_why(why, why_len,
		    "%s: the concern is already closed",
		    rec_kind_name(r->kind));
	return GU_OK;
}

/*
 * The district acknowledges mandatory reports only, and its word comes
 * through the sync daemon (the device is the author), never a kiosk user.
 */
static int
ack_refs(struct store *s, MDB_txn *txn, const struct record *r,
    const struct record *ref, char *why, size_t why_len)
{
	(void) s;
	(void) txn;
	if (strcmp(r->author, r->device) != 0)
		return store_why(why, why_len,
		    "%s: author must be the device (the sync daemon)",
		    rec_kind_name(r->kind));
	if (!(ref->flags & REC_FLAG_URGENT))
		return store_why(why, why_len, "%s: the concern is not urgent",
		    rec_kind_name(r->kind));
	return GU_OK;
}

static int
followup_index(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	(void) child;
	(void) tmp;
	if (rec_int(r, F_CLOSES, 0))
		return del_u64key(s, txn, DB_CONCERN, ref_of(r, F_CONCERN));
	return GU_OK;
}

static int
followup_unindex(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	uint64_t c = ref_of(r, F_CONCERN);
	char ch[GU_ID_LEN + 1];
	int rc;

	(void) child;
	(void) tmp;
	if (!rec_int(r, F_CLOSES, 0) || store_txn_voided_by(s, txn, c))
		return GU_OK;
	rc = store_index_child(s, txn, r, ch);
	if (rc != GU_OK)
		return rc;
	return put_u64key_byte(s, txn, DB_CONCERN, c, ch, strlen(ch));
}

static int
followup_check(struct store *s, MDB_txn *txn, const struct record *r,
    struct store_tally *t, const char **what)
{
	(void) t;
	if (rec_int(r, F_CLOSES, 0) &&
	    store_concern_is_open(s, txn, ref_of(r, F_CONCERN))) {
		*what = "closed concern is open";
		return GU_ECORRUPT;
	}
	return GU_OK;
}

/* ---- voids ---- */

static const struct store_kind *kind_row(int kind);
static int count_add(
    struct store *s, MDB_txn *txn, const struct record *r, int delta);
static int stat_put(struct store *s, MDB_txn *txn, const char *child,
    const struct child_stat *st);

static int
void_refs(struct store *s, MDB_txn *txn, const struct record *r,
    const struct record *ref, char *why, size_t why_len)
{
	(void) s;
	(void) txn;
	(void) r;
	if (!kind_row(ref->kind)->voidable)
		return store_why(why, why_len,
		    "void: a %s record cannot be voided",
		    rec_kind_name(ref->kind));
	return GU_OK;
}

/* Records the void, then undoes everything its target fed. */
static int
void_index(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	uint64_t t = ref_of(r, F_TARGET);
	const struct store_kind *tk;
	struct child_stat st;
	uint8_t kb[8];
	int rc;

	store_put_u64(kb, t);
	rc = put_seq(s, txn, DB_VOIDED, kb, 8, r->seq);
	if (rc != GU_OK)
		return rc;
	rc = store_txn_get(s, txn, t, tmp);
	if (rc != GU_OK)
		return rc;
	rc = count_add(s, txn, tmp, -1);
	if (rc != GU_OK)
		return rc;
	tk = kind_row(tmp->kind);
	if (tk->unindex) {
		rc = tk->unindex(s, txn, tmp, child, 0);
		if (rc != GU_OK)
			return rc;
	}
	if (child[0] == '\0')
		return GU_OK;
	rc = store_stat_rebuild(s, txn, child, &st);
	if (rc != GU_OK)
		return rc;
	return stat_put(s, txn, child, &st);
}

/* ---- the table ---- */

static const struct store_kind store_kinds[REC_KIND_MAX] = {
    [REC_LECTURE] = {REC_LECTURE, F_NONE, 0, RESERVE_NO, 1, {{0, 0}}, 0,
        lecture_index, lecture_unindex, lecture_check},
    [REC_ATTENDANCE] = {REC_ATTENDANCE, F_CHILD, 0, RESERVE_NO, 1,
        {{F_LECTURE, REC_LECTURE}}, lecture_refs, att_index, att_unindex,
        att_check},
    [REC_LECTURE_END] = {REC_LECTURE_END, F_NONE, 0, RESERVE_NO, 1,
        {{F_LECTURE, REC_LECTURE}}, lecture_refs, lecture_end_index,
        lecture_end_unindex, lecture_end_check},
    [REC_CHECKIN] = {REC_CHECKIN, F_CHILD, SK_CONTACT, RESERVE_NO, 1, {{0, 0}},
        0, 0, 0, 0},
    [REC_VISIT] = {REC_VISIT, F_CHILD, SK_CONTACT | SK_VISIT, RESERVE_NO, 1,
        {{0, 0}}, 0, 0, 0, 0},
    [REC_STUDENT_LOG] = {REC_STUDENT_LOG, F_CHILD, SK_LOG, RESERVE_NO, 1,
        {{0, 0}}, 0, 0, 0, 0},
    [REC_CONCERN] = {REC_CONCERN, F_CHILD, SK_OPEN, RESERVE_IF_URGENT, 1,
        {{F_SOURCE, REC_NONE}}, 0, concern_index, concern_unindex,
        concern_check},
    [REC_FOLLOWUP] = {REC_FOLLOWUP, F_CONCERN, SK_CLOSES, RESERVE_YES, 1,
        {{F_CONCERN, REC_CONCERN}}, followup_refs, followup_index,
        followup_unindex, followup_check},
    [REC_FILE_VIEW] = {REC_FILE_VIEW, F_NONE, 0, RESERVE_NO, 0, {{0, 0}}, 0, 0,
        0, 0},
    [REC_VOID] = {REC_VOID, F_TARGET, 0, RESERVE_YES, 0, {{F_TARGET, REC_NONE}},
        void_refs, void_index, 0, 0},
    [REC_AUTH] = {REC_AUTH, F_NONE, 0, RESERVE_NO, 0, {{0, 0}}, 0, 0, 0, 0},
    [REC_WORKLOG] = {REC_WORKLOG, F_NONE, 0, RESERVE_NO, 1, {{0, 0}}, 0, 0, 0,
        0},
    [REC_PLAN] = {REC_PLAN, F_CHILD, SK_PLAN, RESERVE_NO, 1, {{0, 0}}, 0, 0, 0,
        0},
    [REC_FOCUS] = {REC_FOCUS, F_CHILD, SK_FOCUS, RESERVE_NO, 1, {{0, 0}}, 0, 0,
        0, 0},
    [REC_EXPORT] = {REC_EXPORT, F_NONE, 0, RESERVE_NO, 0, {{0, 0}}, 0, 0, 0, 0,
        1},
    [REC_ABSENCE] = {REC_ABSENCE, F_CHILD, 0, RESERVE_NO, 1,
        {{F_LECTURE, REC_LECTURE}}, 0, 0, 0, 0},
    [REC_TALK_REQUEST] = {REC_TALK_REQUEST, F_CHILD, 0, RESERVE_NO, 1, {{0, 0}},
        0, 0, 0, 0},
    /* Written by the sync daemon (author: the device), never voided: the
     * district's word on an urgent concern joins the concern's file. */
    [REC_ACK] = {REC_ACK, F_CONCERN, 0, RESERVE_YES, 0,
        {{F_CONCERN, REC_CONCERN}}, ack_refs, 0, 0, 0, 1},
};

/* The row of kind; rec_validate() has made sure kind is known. */
static const struct store_kind *
kind_row(int kind)
{
	static const struct store_kind none = {0};

	if (kind <= REC_NONE || kind >= REC_KIND_MAX ||
	    store_kinds[kind].kind != kind)
		return &none;
	return &store_kinds[kind];
}

/* ---- the walkers of the table ---- */

static int
index_child_at(struct store *s, MDB_txn *txn, const struct record *r,
    char out[GU_ID_LEN + 1], int depth)
{
	const struct store_kind *k = kind_row(r->kind);
	struct record *ref;
	uint64_t rseq;
	int rc;

	out[0] = '\0';
	if (k->file == F_NONE)
		return GU_OK;
	if (k->file == F_CHILD) {
		const char *c = rec_child(r);
		if (c)
			store_copy_str(out, GU_ID_LEN + 1, c, strlen(c));
		return GU_OK;
	}
	rseq = ref_of(r, k->file);
	if (rseq == 0 || depth > 2)
		return GU_OK;
	ref = malloc(sizeof(*ref));
	if (ref == 0)
		return GU_ENOMEM;
	rc = store_txn_get(s, txn, rseq, ref);
	if (rc == GU_OK)
		rc = index_child_at(s, txn, ref, out, depth + 1);
	free(ref);
	return rc;
}

int
store_index_child(struct store *s, MDB_txn *txn, const struct record *r,
    char out[GU_ID_LEN + 1])
{
	return index_child_at(s, txn, r, out, 0);
}

int
store_kind_check(struct store *s, MDB_txn *txn, const struct record *r,
    struct store_tally *t, const char **what)
{
	const struct store_kind *k = kind_row(r->kind);

	return k->check ? k->check(s, txn, r, t, what) : GU_OK;
}

/* ---- child summaries ---- */

/*
 * child_stat on disk, big-endian: 3 x i64 (last contact, visit, log),
 * 3 x u32 (open, urgent, n), then since store format 4: u32
 * next_visit_day, u32 review_day, u64 plan_seq, u8 focus.
 */
#define STAT_LEN STORE_STAT_LEN

int
store_stat_get(
    struct store *s, MDB_txn *txn, const char *child, struct child_stat *st)
{
	MDB_val k = sval(child), v;
	const uint8_t *p;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = mdb_get(txn, s->db[DB_CHILD_STAT], &k, &v);
	if (rc == MDB_NOTFOUND)
		return GU_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != STAT_LEN)
		return GU_ECORRUPT;
	p = v.mv_data;
	st->last_contact_ms = (int64_t) store_get_u64(p);
	st->last_visit_ms = (int64_t) store_get_u64(p + 8);
	st->last_log_ms = (int64_t) store_get_u64(p + 16);
	st->open = store_get_u32(p + 24);
	st->urgent = store_get_u32(p + 28);
	st->n = store_get_u32(p + 32);
	st->next_visit_day = store_get_u32(p + 36);
	st->review_day = store_get_u32(p + 40);
	st->plan_seq = store_get_u64(p + 44);
	st->focus = p[52];
	return GU_OK;
}

void
store_stat_encode(const struct child_stat *st, uint8_t *b)
{
	store_put_u64(b, (uint64_t) st->last_contact_ms);
	store_put_u64(b + 8, (uint64_t) st->last_visit_ms);
	store_put_u64(b + 16, (uint64_t) st->last_log_ms);
	store_put_u32(b + 24, st->open);
	store_put_u32(b + 28, st->urgent);
	store_put_u32(b + 32, st->n);
	store_put_u32(b + 36, st->next_visit_day);
	store_put_u32(b + 40, st->review_day);
	store_put_u64(b + 44, st->plan_seq);
	b[52] = st->focus;
}

static int
stat_put(struct store *s, MDB_txn *txn, const char *child,
    const struct child_stat *st)
{
	uint8_t b[STAT_LEN];
	MDB_val k = sval(child), v = store_mval(b, STAT_LEN);

	store_stat_encode(st, b);
	return store_mdb_rc(mdb_put(txn, s->db[DB_CHILD_STAT], &k, &v, 0));
}

static void
newest(int64_t *slot, int64_t t)
{
	if (t > *slot)
		*slot = t;
}

/* Folds one record of the child's file into st, as its row says. */
static void
stat_add(struct store *s, MDB_txn *txn, struct child_stat *st,
    const struct record *r, uint64_t voided)
{
	unsigned f = kind_row(r->kind)->stat;

	st->n++;
	if (voided)
		return;
	/* An implausible time is kept but does not make a record "last". */
	if (r->flags & REC_FLAG_TIME_DOUBT)
		f &= ~(unsigned) (SK_CONTACT | SK_VISIT | SK_LOG);
	if (f & SK_CONTACT)
		newest(&st->last_contact_ms, r->time_ms);
	if ((f & SK_VISIT) && r->time_ms >= st->last_visit_ms)
		st->next_visit_day = store_date_day(rec_str(r, F_NEXT_VISIT));
	if (f & SK_VISIT)
		newest(&st->last_visit_ms, r->time_ms);
	/* Plans and focus: the newest written (by seq) stands. */
	if (kind_row(r->kind)->stat & SK_PLAN) {
		st->plan_seq = r->seq;
		st->review_day = store_date_day(rec_str(r, F_REVIEW));
	}
	if (kind_row(r->kind)->stat & SK_FOCUS)
		st->focus = rec_int(r, F_FOCUS, 0) != 0;
	if (f & SK_LOG)
		newest(&st->last_log_ms, r->time_ms);
	if ((f & SK_OPEN) && store_concern_is_open(s, txn, r->seq)) {
		st->open++;
		if (r->flags & REC_FLAG_URGENT)
			st->urgent++;
	}
}

struct rebuild_arg {
	struct store *s;
	MDB_txn *txn;
	struct child_stat *st;
	struct record *r;
};

static int
rebuild_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct rebuild_arg *a = arg;
	uint64_t seq;
	int rc;

	(void) c;
	(void) k;
	if (v->mv_size != 8)
		return GU_ECORRUPT;
	seq = store_get_u64(v->mv_data);
	rc = store_txn_get(a->s, a->txn, seq, a->r);
	if (rc == GU_OK)
		stat_add(a->s, a->txn, a->st, a->r,
		    store_txn_voided_by(a->s, a->txn, seq));
	return rc;
}

int
store_stat_rebuild(
    struct store *s, MDB_txn *txn, const char *child, struct child_stat *st)
{
	struct rebuild_arg a = {s, txn, st, malloc(sizeof(struct record))};
	MDB_val k = sval(child);
	int rc;

	memset(st, 0, sizeof(*st));
	if (a.r == 0)
		return GU_ENOMEM;
	rc = store_walk(
	    txn, s->db[DB_BY_CHILD], WALK_DUPS, &k, 0, rebuild_fn, &a);
	free(a.r);
	return rc;
}

/* ---- records ---- */

int
store_txn_get(struct store *s, MDB_txn *txn, uint64_t seq, struct record *out)
{
	uint8_t kb[8] = {0};
	MDB_val k = store_mval(kb, 8), v;
	int rc;

	store_put_u64(kb, seq);
	rc = mdb_get(txn, s->db[DB_LOG], &k, &v);
	if (rc != 0)
		return store_mdb_rc(rc);
	rc = rec_decode(out, v.mv_data, v.mv_size);
	if (rc == GU_OK && out->seq != seq)
		rc = GU_ECORRUPT;
	if (rc == GU_ECORRUPT)
		s->damaged = 1;
	return rc;
}

uint64_t
store_txn_voided_by(struct store *s, MDB_txn *txn, uint64_t seq)
{
	uint8_t kb[8] = {0};
	MDB_val k = store_mval(kb, 8), v;

	store_put_u64(kb, seq);
	if (mdb_get(txn, s->db[DB_VOIDED], &k, &v) != 0 || v.mv_size != 8)
		return 0;
	return store_get_u64(v.mv_data);
}

static int
count_add(struct store *s, MDB_txn *txn, const struct record *r, int delta)
{
	uint8_t kb[5], vb[8];
	MDB_val k = store_mval(kb, 5), v;
	uint64_t n = 0;
	int rc;

	kb[0] = r->kind;
	store_put_u32(kb + 1, store_day_of(r->time_ms, r->tz_min));
	rc = mdb_get(txn, s->db[DB_COUNTS], &k, &v);
	if (rc == 0 && v.mv_size == 8)
		n = store_get_u64(v.mv_data);
	else if (rc != MDB_NOTFOUND && rc != 0)
		return store_mdb_rc(rc);
	if (delta < 0 && n == 0)
		return GU_ECORRUPT;
	n = delta < 0 ? n - 1 : n + 1;
	if (n == 0)
		return store_mdb_rc(mdb_del(txn, s->db[DB_COUNTS], &k, 0));
	store_put_u64(vb, n);
	v = store_mval(vb, 8);
	return store_mdb_rc(mdb_put(txn, s->db[DB_COUNTS], &k, &v, 0));
}

/* Checks that field f of r names a standing record of kind (REC_NONE: any). */
static int
check_ref(struct store *s, MDB_txn *txn, const struct record *r, int f,
    int kind, struct record *tmp, char *why, size_t why_len)
{
	uint64_t seq = ref_of(r, f);
	const char *fname = rec_field_info(f)->name;
	char msg[96];

	if (seq == 0 || seq >= r->seq ||
	    store_txn_get(s, txn, seq, tmp) != GU_OK) {
		snprintf(msg, sizeof(msg), "%s: field %%s names no record",
		    rec_kind_name(r->kind));
		return store_why(why, why_len, msg, fname);
	}
	if (kind != REC_NONE && tmp->kind != kind) {
		snprintf(msg, sizeof(msg), "%s: field %%s names a %s",
		    rec_kind_name(r->kind), rec_kind_name(tmp->kind));
		return store_why(why, why_len, msg, fname);
	}
	if (store_txn_voided_by(s, txn, seq)) {
		snprintf(msg, sizeof(msg),
		    "%s: field %%s names a voided record",
		    rec_kind_name(r->kind));
		return store_why(why, why_len, msg, fname);
	}
	return GU_OK;
}

/* The store-level checks of store_append(): roster and references. */
static int
check_refs(struct store *s, MDB_txn *txn, const struct record *r,
    struct record *tmp, char *why, size_t why_len)
{
	const struct store_kind *k = kind_row(r->kind);
	const char *kn = rec_kind_name(r->kind);
	char msg[96];
	int rc;

	snprintf(msg, sizeof(msg), "%s: author '%%s' is not in the roster", kn);
	if (!(k->by_device && strcmp(r->author, r->device) == 0) &&
	    !exists(s, txn,
	        (r->flags & REC_FLAG_BY_STUDENT) ? DB_CHILDREN : DB_STAFF,
	        r->author))
		return store_why(why, why_len, msg, r->author);
	snprintf(msg, sizeof(msg), "%s: child '%%s' is not in the roster", kn);
	if (rec_child(r) && !exists(s, txn, DB_CHILDREN, rec_child(r)))
		return store_why(why, why_len, msg, rec_child(r));
	snprintf(msg, sizeof(msg), "%s: staff '%%s' is not in the roster", kn);
	if (rec_str(r, F_MENTOR) &&
	    !exists(s, txn, DB_STAFF, rec_str(r, F_MENTOR)))
		return store_why(why, why_len, msg, rec_str(r, F_MENTOR));
	if (rec_str(r, F_STAFF) &&
	    !exists(s, txn, DB_STAFF, rec_str(r, F_STAFF)))
		return store_why(why, why_len, msg, rec_str(r, F_STAFF));
	if (rec_str(r, F_RESPONSIBLE) &&
	    !exists(s, txn, DB_STAFF, rec_str(r, F_RESPONSIBLE)))
		return store_why(why, why_len, msg, rec_str(r, F_RESPONSIBLE));
	for (size_t i = 0; i < sizeof(k->ref) / sizeof(k->ref[0]); i++) {
		if (k->ref[i].field == F_NONE || !rec_has(r, k->ref[i].field))
			continue;
		rc = check_ref(s, txn, r, k->ref[i].field, k->ref[i].kind, tmp,
		    why, why_len);
		if (rc != GU_OK)
			return rc;
	}
	return k->refs ? k->refs(s, txn, r, tmp, why, why_len) : GU_OK;
}

/*
 * Sets REC_FLAG_TIME_DOUBT on r when its time is implausible (store.h),
 * and moves meta "synced_ms" forward for a clock-synced record.
 */
static int
time_judge(struct store *s, MDB_txn *txn, struct record *r)
{
	uint64_t synced;
	int rc;

	r->flags &= (uint16_t) ~REC_FLAG_TIME_DOUBT;
	rc = store_meta_u64(s, txn, "synced_ms", &synced);
	if (rc != GU_OK)
		return rc;
	if (r->time_ms < s->time_floor_ms) {
		r->flags |= REC_FLAG_TIME_DOUBT;
	} else if (r->flags & REC_FLAG_CLOCK_SYNCED) {
		if ((uint64_t) r->time_ms > synced)
			return store_meta_put_u64(
			    s, txn, "synced_ms", (uint64_t) r->time_ms);
	} else if (synced != 0 &&
	    r->time_ms > (int64_t) synced + STORE_TIME_AHEAD_MS) {
		r->flags |= REC_FLAG_TIME_DOUBT;
	}
	return GU_OK;
}

struct append_arg {
	struct record *rs;
	size_t n;
	size_t *bad;
	char *why;
	size_t why_len;
};

static int
append_one(struct store *s, MDB_txn *txn, struct record *r, uint64_t seq,
    struct record *tmp, char *why, size_t why_len)
{
	const struct store_kind *kr;
	uint8_t buf[REC_ENCODED_MAX], kb[8];
	char child[GU_ID_LEN + 1];
	struct child_stat st;
	MDB_val k, v;
	size_t len;
	int rc;

	r->seq = seq;
	r->epoch = s->epoch;
	if (s->clock_synced)
		r->flags |= REC_FLAG_CLOCK_SYNCED;
	rc = time_judge(s, txn, r);
	if (rc != GU_OK)
		return rc;
	memcpy(r->device, s->device, sizeof(r->device));
	rc = rec_validate(r, 1, why, why_len);
	if (rc != GU_OK)
		return rc;
	kr = kind_row(r->kind);
	rc = check_refs(s, txn, r, tmp, why, why_len);
	if (rc != GU_OK)
		return rc;
	rc = rec_encode(r, buf, sizeof(buf), &len);
	if (rc != GU_OK)
		return rc;
	store_put_u64(kb, seq);
	k = store_mval(kb, 8);
	v = store_mval(buf, len);
	rc = store_mdb_rc(mdb_put(txn, s->db[DB_LOG], &k, &v, MDB_APPEND));
	if (rc == GU_EEXIST)
		rc = GU_ECORRUPT; /* last_seq is behind the log */
	if (rc != GU_OK)
		return rc;
	rc = count_add(s, txn, r, +1);
	if (rc != GU_OK)
		return rc;
	if (r->flags & REC_FLAG_URGENT) {
		uint8_t one = 1;
		rc = put_u64key_byte(s, txn, DB_URGENT, seq, &one, 1);
		if (rc != GU_OK)
			return rc;
	}
	rc = store_index_child(s, txn, r, child);
	if (rc != GU_OK)
		return rc;
	if (child[0]) {
		k = sval(child);
		v = store_mval(kb, 8);
		rc = store_mdb_rc(mdb_put(txn, s->db[DB_BY_CHILD], &k, &v, 0));
		if (rc != GU_OK)
			return rc;
	}
	if (kr->index) {
		rc = kr->index(s, txn, r, child, tmp);
		if (rc != GU_OK)
			return rc;
	}
	/* A void rebuilt the summary in its index function. */
	if (child[0] == '\0' || r->kind == REC_VOID)
		return GU_OK;
	/* Fold the new record into the child's summary. */
	rc = store_stat_get(s, txn, child, &st);
	if (rc != GU_OK)
		return rc;
	if ((kr->stat & SK_CLOSES) && rec_int(r, F_CLOSES, 0)) {
		rc = store_txn_get(s, txn, ref_of(r, F_CONCERN), tmp);
		if (rc != GU_OK)
			return rc;
		if (st.open)
			st.open--;
		if ((tmp->flags & REC_FLAG_URGENT) && st.urgent)
			st.urgent--;
	}
	stat_add(s, txn, &st, r, 0);
	return stat_put(s, txn, child, &st);
}

static int
append_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct append_arg *a = arg;
	struct record *tmp = malloc(sizeof(*tmp));
	uint64_t last;
	int rc;

	if (tmp == 0)
		return GU_ENOMEM;
	rc = store_meta_u64(s, txn, "last_seq", &last);
	for (size_t i = 0; rc == GU_OK && i < a->n; i++) {
		rc = append_one(
		    s, txn, &a->rs[i], last + 1 + i, tmp, a->why, a->why_len);
		if (rc != GU_OK && a->bad)
			*a->bad = i;
	}
	if (rc == GU_OK)
		rc = store_meta_put_u64(s, txn, "last_seq", last + a->n);
	free(tmp);
	return rc;
}

/* Whether a write of these records may use the urgent reserve. */
static int
may_use_reserve(const struct record *rs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int res = kind_row(rs[i].kind)->reserve;
		if (res == RESERVE_YES ||
		    (res == RESERVE_IF_URGENT &&
		        (rs[i].flags & REC_FLAG_URGENT)))
			continue;
		return 0;
	}
	return 1;
}

int
store_append_n(struct store *s, struct record *rs, size_t n, size_t *bad,
    char *why, size_t why_len)
{
	struct append_arg a = {rs, n, bad, why, why_len};
	int rc;

	if (why_len)
		why[0] = '\0';
	if (s->damaged) {
		/* Writing on would bury the damage under new records. */
		for (size_t i = 0; i < n; i++)
			rs[i].seq = 0;
		if (why_len)
			snprintf(why, why_len,
			    "storage damaged: a stored record fails its "
			    "checksum");
		return GU_ECORRUPT;
	}
	if (n == 0)
		return GU_OK;
	rc = store_write(s, may_use_reserve(rs, n), append_txn, &a);
	if (rc == GU_ECORRUPT && why_len && why[0] == '\0')
		snprintf(why, why_len,
		    "storage damaged: a stored record fails its checksum");
	if (rc != GU_OK) {
		for (size_t i = 0; i < n; i++)
			rs[i].seq = 0;
		if (rc == GU_EFULL && why_len)
			snprintf(why, why_len, "storage full");
	}
	return rc;
}

void
store_set_clock_synced(struct store *s, int synced)
{
	s->clock_synced = synced != 0;
}

void
store_set_time_floor(struct store *s, int64_t floor_ms)
{
	s->time_floor_ms = floor_ms;
}

int
store_append(struct store *s, struct record *r, char *why, size_t why_len)
{
	return store_append_n(s, r, 1, 0, why, why_len);
}

struct get_arg {
	uint64_t seq;
	struct record *out;
	uint64_t voided;
};

static int
get_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct get_arg *a = arg;

	if (a->out)
		return store_txn_get(s, txn, a->seq, a->out);
	a->voided = store_txn_voided_by(s, txn, a->seq);
	return GU_OK;
}

int
store_get(struct store *s, uint64_t seq, struct record *out)
{
	struct get_arg a = {seq, out, 0};

	return store_read(s, get_txn, &a);
}

uint64_t
store_voided_by(struct store *s, uint64_t seq)
{
	struct get_arg a = {seq, 0, 0};

	if (store_read(s, get_txn, &a) != GU_OK)
		return 0;
	return a.voided;
}
