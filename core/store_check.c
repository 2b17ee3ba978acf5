/*
 * store_check.c: store_check(): reads the whole log and holds every index
 * against it, both ways.  The generic part (the log is contiguous, every
 * record decodes with its own identity, the child, urgent and void
 * indexes, the counts per day, the child summaries) is here; what each
 * kind's own indexes must hold is the check column of the kind table in
 * store_index.c.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "store_int.h"

#define CHECK_SLOTS 65536

struct check_ctx {
	struct {
		uint32_t key; /* kind << 27 ^ day */
		uint32_t day;
		uint64_t n;
	} * slot;
	size_t used;
	uint64_t n_child, n_void, n_urgent, n_counts, n_closed;
	struct store_tally t;
	struct store *s;
	MDB_txn *txn;
	struct record *r;
	uint64_t want;
	char *why;
	size_t why_len;
};

static int
check_fail(struct check_ctx *k, const char *what, uint64_t seq)
{
	if (k->why_len)
		snprintf(k->why, k->why_len, "%s (seq %llu)", what,
		    (unsigned long long) seq);
	return GU_ECORRUPT;
}

static int
check_count(struct check_ctx *k, int kind, uint32_t day)
{
	uint32_t key = (uint32_t) kind << 27 ^ day;
	size_t h = (key * 2654435761u) & (CHECK_SLOTS - 1);

	for (;;) {
		if (k->slot[h].n == 0) {
			if (++k->used > CHECK_SLOTS / 2)
				return GU_ETOOBIG;
			k->slot[h].key = key;
			k->slot[h].day = day;
			k->slot[h].n = 1;
			return GU_OK;
		}
		if (k->slot[h].key == key && k->slot[h].day == day) {
			k->slot[h].n++;
			return GU_OK;
		}
		h = (h + 1) & (CHECK_SLOTS - 1);
	}
}

static uint64_t
check_count_get(struct check_ctx *k, int kind, uint32_t day)
{
	uint32_t key = (uint32_t) kind << 27 ^ day;
	size_t h = (key * 2654435761u) & (CHECK_SLOTS - 1);

	while (k->slot[h].n) {
		if (k->slot[h].key == key && k->slot[h].day == day)
			return k->slot[h].n;
		h = (h + 1) & (CHECK_SLOTS - 1);
	}
	return 0;
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
entries(MDB_txn *txn, MDB_dbi dbi)
{
	MDB_stat st;

	if (mdb_stat(txn, dbi, &st) != 0)
		return UINT64_MAX;
	return st.ms_entries;
}

static int
in_child_index(struct store *s, MDB_txn *txn, const char *child, uint64_t seq)
{
	uint8_t kb[8];
	MDB_val k = store_mval(child, strlen(child)), v = store_mval(kb, 8);
	MDB_cursor *c;
	int mrc;

	store_put_u64(kb, seq);
	if (mdb_cursor_open(txn, s->db[DB_BY_CHILD], &c) != 0)
		return 0;
	mrc = mdb_cursor_get(c, &k, &v, MDB_GET_BOTH);
	mdb_cursor_close(c);
	return mrc == 0;
}

/* Checks one record of the log against the indexes. */
static int
check_record(
    struct store *s, MDB_txn *txn, struct check_ctx *k, const struct record *r)
{
	uint8_t kb[8];
	char child[GU_ID_LEN + 1];
	const char *what = "a kind's index disagrees";
	int rc;

	if (r->epoch != s->epoch || strcmp(r->device, s->device) != 0)
		return check_fail(
		    k, "record of another epoch or device", r->seq);
	rc = store_index_child(s, txn, r, child);
	if (rc != GU_OK)
		return check_fail(k, "a record names a missing record", r->seq);
	if (child[0]) {
		if (!in_child_index(s, txn, child, r->seq))
			return check_fail(
			    k, "child index lacks a record", r->seq);
		k->n_child++;
	}
	if (r->flags & REC_FLAG_URGENT) {
		MDB_val uk, uv;
		store_put_u64(kb, r->seq);
		uk = store_mval(kb, 8);
		if (mdb_get(txn, s->db[DB_URGENT], &uk, &uv) != 0)
			return check_fail(
			    k, "urgent index lacks a record", r->seq);
		k->n_urgent++;
	}
	if (rec_has(r, F_TARGET)) {
		store_put_u64(kb, (uint64_t) rec_int(r, F_TARGET, 0));
		if (!has_seq(s, txn, DB_VOIDED, kb, 8, r->seq))
			return check_fail(k, "void index lacks a void", r->seq);
		k->n_void++;
	}
	if (store_txn_voided_by(s, txn, r->seq))
		return GU_OK;
	rc = check_count(k, r->kind, store_day_of(r->time_ms, r->tz_min));
	if (rc != GU_OK)
		return check_fail(k, "too many days to check", r->seq);
	rc = store_kind_check(s, txn, r, &k->t, &what);
	if (rc != GU_OK)
		return check_fail(k, what, r->seq);
	return GU_OK;
}

static int
closed_fn(void *arg, MDB_cursor *c, const MDB_val *key, const MDB_val *v)
{
	struct check_ctx *k = arg;

	(void) c;
	(void) key;
	k->n_closed += v->mv_size == 1 && ((uint8_t *) v->mv_data)[0] == 0;
	return 0;
}

static int
counts_fn(void *arg, MDB_cursor *c, const MDB_val *key, const MDB_val *v)
{
	struct check_ctx *k = arg;
	const uint8_t *p = key->mv_data;

	(void) c;
	if (key->mv_size != 5 || v->mv_size != 8 ||
	    check_count_get(k, p[0], store_get_u32(p + 1)) !=
	        store_get_u64(v->mv_data))
		return check_fail(k, "counts disagree with the log", 0);
	k->n_counts++;
	return 0;
}

static int
check_indexes(struct store *s, MDB_txn *txn, struct check_ctx *k)
{
	int rc;

	if (entries(txn, s->db[DB_BY_CHILD]) != k->n_child)
		return check_fail(k, "child index has extra entries", 0);
	if (entries(txn, s->db[DB_URGENT]) != k->n_urgent)
		return check_fail(k, "urgent index has extra entries", 0);
	if (entries(txn, s->db[DB_VOIDED]) != k->n_void)
		return check_fail(k, "void index has extra entries", 0);
	if (entries(txn, s->db[DB_LECTURE]) != k->t.n_lecture)
		return check_fail(k, "lecture index disagrees", 0);
	if (entries(txn, s->db[DB_ATT]) != k->t.n_att ||
	    entries(txn, s->db[DB_ATT_CHILD]) != k->t.n_att)
		return check_fail(k, "attendance index has extra entries", 0);
	if (entries(txn, s->db[DB_CONCERN]) != k->t.n_concern)
		return check_fail(k, "open-concern index disagrees", 0);
	rc = store_walk(txn, s->db[DB_LECTURE], WALK_FWD, 0, 0, closed_fn, k);
	if (rc == GU_OK && k->n_closed != k->t.n_lecture_closed)
		return check_fail(k, "lecture open flags disagree", 0);
	if (rc == GU_OK)
		rc = store_walk(
		    txn, s->db[DB_COUNTS], WALK_FWD, 0, 0, counts_fn, k);
	if (rc == GU_OK && k->n_counts != k->used)
		rc = check_fail(k, "counts lack a day", 0);
	return rc;
}

static int
stat_fn(void *arg, MDB_cursor *c, const MDB_val *key, const MDB_val *v)
{
	struct check_ctx *k = arg;
	char child[GU_ID_LEN + 1];
	struct child_stat want, got;
	int rc;

	(void) c;
	(void) v;
	if (key->mv_size > GU_ID_LEN)
		return check_fail(k, "bad child summary key", 0);
	store_copy_str(child, sizeof(child), key->mv_data, key->mv_size);
	rc = store_stat_get(k->s, k->txn, child, &got);
	if (rc != GU_OK)
		return check_fail(k, "a child summary does not decode", 0);
	rc = store_stat_rebuild(k->s, k->txn, child, &want);
	if (rc != GU_OK)
		return rc;
	if (memcmp(&want, &got, sizeof(want)) != 0)
		return check_fail(k, "a child summary disagrees", 0);
	return 0;
}

static int
log_fn(void *arg, MDB_cursor *c, const MDB_val *key, const MDB_val *v)
{
	struct check_ctx *k = arg;

	(void) c;
	if (key->mv_size != 8 || store_get_u64(key->mv_data) != k->want)
		return check_fail(k, "the log has a gap", k->want);
	if (rec_decode(k->r, v->mv_data, v->mv_size) != GU_OK ||
	    k->r->seq != k->want) {
		k->s->damaged = 1;
		return check_fail(k,
		    "a record fails its checksum or does "
		    "not decode",
		    k->want);
	}
	k->want++;
	return check_record(k->s, k->txn, k, k->r);
}

static int
check_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct check_ctx *k = arg;
	uint64_t last;
	int rc;

	k->s = s;
	k->txn = txn;
	k->want = 1;
	rc = store_meta_u64(s, txn, "last_seq", &last);
	if (rc != GU_OK)
		return rc;
	rc = store_walk(txn, s->db[DB_LOG], WALK_FWD, 0, 0, log_fn, k);
	if (rc == GU_OK && k->want - 1 != last)
		rc = check_fail(k, "last_seq disagrees with the log", last);
	if (rc == GU_OK)
		rc = check_indexes(s, txn, k);
	if (rc == GU_OK)
		rc = store_walk(
		    txn, s->db[DB_CHILD_STAT], WALK_FWD, 0, 0, stat_fn, k);
	return rc;
}

/*
 * A damaged file can hold a page number or an offset that points past the
 * end of the file but inside the map: reading it is SIGBUS (or SIGSEGV
 * past the map).  store_open_ro() refuses a file shorter than its pages;
 * what remains is caught here, for the length of store_check() only, and
 * reported as damage.
 */
static sigjmp_buf check_jmp;
static volatile sig_atomic_t check_armed;

static void
check_fault(int sig)
{
	if (check_armed)
		siglongjmp(check_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

int
store_check(struct store *s, char *why, size_t why_len)
{
	static struct check_ctx k;
	struct sigaction sa, old_bus, old_segv;
	int rc;

	memset(&k, 0, sizeof(k));
	k.why = why;
	k.why_len = why_len;
	if (why_len)
		why[0] = '\0';
	k.slot = calloc(CHECK_SLOTS, sizeof(*k.slot));
	k.r = malloc(sizeof(*k.r));
	if (k.slot == 0 || k.r == 0) {
		rc = GU_ENOMEM;
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = check_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	if (sigsetjmp(check_jmp, 1) == 0) {
		check_armed = 1;
		rc = store_read(s, check_txn, &k);
	} else {
		/* The read transaction is abandoned with its reader slot. */
		s->damaged = 1;
		rc = GU_ECORRUPT;
		if (why_len)
			snprintf(why, why_len,
			    "the file is damaged: a page points outside it");
	}
	check_armed = 0;
	sigaction(SIGBUS, &old_bus, 0);
	sigaction(SIGSEGV, &old_segv, 0);
out:
	free(k.slot);
	free(k.r);
	return rc;
}
