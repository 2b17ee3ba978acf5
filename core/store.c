/*
 * store.c: the LMDB store: open and create, the write path with map
 * growth, appends with their indexes, the roster, and the queries the
 * screens make.  The sub-databases are listed in store_int.h.
 *
 * Every append runs in one write transaction that writes the record, its
 * change-log entry and every index it touches (the transactional outbox),
 * so a power cut leaves either all of it or none.  Indexes are kept so that
 * no screen query walks the whole log: the cost of a query is the number of
 * records it returns.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "status.h"
#include "store_int.h"

#define MIB (1024ull * 1024ull)
#define DEFAULT_MAP (16 * MIB)
#define DEFAULT_MAX (4096 * MIB)
#define DEFAULT_RESERVE (1 * MIB)
/* Room one ordinary append may need, checked before it starts. */
#define APPEND_MARGIN (256 * 1024ull)
#define STORE_FORMAT 1

static const char *const db_names[DB_MAX] = {
    [DB_META] = "meta",
    [DB_LOG] = "log",
    [DB_BY_CHILD] = "by_child",
    [DB_VOIDED] = "voided",
    [DB_COUNTS] = "counts",
    [DB_CHILD_STAT] = "child_stat",
    [DB_LECTURE] = "lecture",
    [DB_ATT] = "att",
    [DB_ATT_CHILD] = "att_child",
    [DB_CONCERN] = "concern",
    [DB_CHILDREN] = "children",
    [DB_STAFF] = "staff",
    [DB_CLASS] = "class",
    [DB_CLASS_CHILD] = "class_child",
    [DB_MENTOR_CHILD] = "mentor_child",
    [DB_AUTH] = "auth",
    [DB_SYNC] = "sync",
    [DB_BATCH] = "batch",
    [DB_URGENT_SENT] = "urgent_sent",
    [DB_URGENT] = "urgent",
    [DB_SPARE2] = "spare2",
};

static unsigned
db_flags(int i)
{
	switch (i) {
	case DB_BY_CHILD:
		return MDB_DUPSORT | MDB_DUPFIXED;
	case DB_CLASS_CHILD:
	case DB_MENTOR_CHILD:
		return MDB_DUPSORT;
	default:
		return 0;
	}
}

/* ---- small helpers ---- */

void
store_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t) v;
		v >>= 8;
	}
}

uint64_t
store_get_u64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

void
store_put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--) {
		p[i] = (uint8_t) v;
		v >>= 8;
	}
}

uint32_t
store_get_u32(const uint8_t *p)
{
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
	    (uint32_t) p[2] << 8 | p[3];
}

int
store_mdb_rc(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return GU_OK;
	case MDB_NOTFOUND:
		return GU_ENOTFOUND;
	case MDB_MAP_FULL:
		return GU_EFULL;
	case MDB_KEYEXIST:
		return GU_EEXIST;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
		return GU_ECORRUPT;
	case MDB_VERSION_MISMATCH:
		return GU_EVERSION;
	case MDB_READERS_FULL:
	case EAGAIN:
	case EBUSY:
		return GU_EBUSY;
	case ENOMEM:
		return GU_ENOMEM;
	case ENOSPC:
		return GU_EFULL;
	default:
		return GU_EIO;
	}
}

static MDB_val
mval(const void *p, size_t n)
{
	MDB_val v;

	v.mv_data = (void *) p;
	v.mv_size = n;
	return v;
}

static MDB_val
sval(const char *s)
{
	return mval(s, strlen(s));
}

static int
why_fmt(char *why, size_t why_len, const char *fmt, const char *a)
{
	if (why && why_len)
		snprintf(why, why_len, fmt, a);
	return GU_EINVAL;
}

static void
copy_str(char *dst, size_t cap, const void *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
store_meta_u64(struct store *s, MDB_txn *txn, const char *key, uint64_t *out)
{
	MDB_val k = sval(key), v;
	int rc = mdb_get(txn, s->db[DB_META], &k, &v);

	*out = 0;
	if (rc == MDB_NOTFOUND)
		return GU_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != 8)
		return GU_ECORRUPT;
	*out = store_get_u64(v.mv_data);
	return GU_OK;
}

int
store_meta_put_u64(struct store *s, MDB_txn *txn, const char *key, uint64_t v)
{
	uint8_t b[8];
	MDB_val k = sval(key), d = mval(b, 8);

	store_put_u64(b, v);
	return store_mdb_rc(mdb_put(txn, s->db[DB_META], &k, &d, 0));
}

static int
meta_str(struct store *s, MDB_txn *txn, const char *key, char *out, size_t cap)
{
	MDB_val k = sval(key), v;
	int rc = mdb_get(txn, s->db[DB_META], &k, &v);

	if (rc != 0)
		return rc == MDB_NOTFOUND ? GU_ECORRUPT : store_mdb_rc(rc);
	if (v.mv_size >= cap)
		return GU_ECORRUPT;
	copy_str(out, cap, v.mv_data, v.mv_size);
	return GU_OK;
}

static int
meta_put_str(struct store *s, MDB_txn *txn, const char *key, const char *v)
{
	MDB_val k = sval(key), d = sval(v);

	return store_mdb_rc(mdb_put(txn, s->db[DB_META], &k, &d, 0));
}

uint32_t
store_day_of(int64_t time_ms, int tz_min)
{
	int64_t secs = time_ms / 1000 - (time_ms % 1000 < 0);
	int64_t days, z, era, doe, yoe, y, doy, mp, d, m;

	secs += (int64_t) tz_min * 60;
	days = secs / 86400 - (secs % 86400 < 0);
	/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999)
		return 0;
	return (uint32_t) (y * 10000 + m * 100 + d);
}

/* ---- the environment ---- */

static uint64_t
map_size_now(struct store *s)
{
	MDB_envinfo ei;

	mdb_env_info(s->env, &ei);
	return ei.me_mapsize;
}

static uint64_t
used_bytes_now(struct store *s)
{
	MDB_envinfo ei;
	MDB_stat st;

	mdb_env_info(s->env, &ei);
	mdb_env_stat(s->env, &st);
	return (uint64_t) (ei.me_last_pgno + 1) * st.ms_psize;
}

static int
txn_begin(struct store *s, unsigned flags, MDB_txn **txn)
{
	int rc;

	for (int tries = 0; tries < 3; tries++) {
		rc = mdb_txn_begin(s->env, 0, flags, txn);
		if (rc != MDB_MAP_RESIZED)
			return store_mdb_rc(rc);
		/* Another process grew the map: adopt its size. */
		mdb_env_set_mapsize(s->env, 0);
	}
	return GU_EIO;
}

int
store_write(struct store *s, int urgent, store_txn_fn fn, void *arg)
{
	uint64_t limit = urgent ? s->lim.map_max_bytes
	                        : s->lim.map_max_bytes - s->lim.reserve_bytes;
	MDB_txn *txn;
	int rc, mrc;

	for (;;) {
		if (!urgent && used_bytes_now(s) + APPEND_MARGIN > limit)
			return GU_EFULL;
		rc = txn_begin(s, 0, &txn);
		if (rc != GU_OK)
			return rc;
		rc = fn(s, txn, arg);
		if (rc == GU_OK) {
			mrc = mdb_txn_commit(txn);
			if (mrc == 0)
				return GU_OK;
			rc = store_mdb_rc(mrc);
		} else {
			mdb_txn_abort(txn);
		}
		if (rc != GU_EFULL)
			return rc;
		/* Map full: grow (double, up to the limit) and run again. */
		uint64_t cur = map_size_now(s), next;
		if (cur >= limit)
			return GU_EFULL;
		next = cur * 2 < limit ? cur * 2 : limit;
		if (mdb_env_set_mapsize(s->env, next) != 0)
			return GU_EFULL;
	}
}

int
store_read(struct store *s, store_txn_fn fn, void *arg)
{
	MDB_txn *txn;
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	if (rc != GU_OK)
		return rc;
	rc = fn(s, txn, arg);
	mdb_txn_abort(txn);
	return rc;
}

static void
limits_fill(struct store_limits *out, const struct store_limits *in)
{
	memset(out, 0, sizeof(*out));
	if (in)
		*out = *in;
	if (out->map_bytes == 0)
		out->map_bytes = DEFAULT_MAP;
	if (out->map_max_bytes == 0)
		out->map_max_bytes = DEFAULT_MAX;
	if (out->reserve_bytes == 0)
		out->reserve_bytes = DEFAULT_RESERVE;
	if (out->map_max_bytes < out->map_bytes)
		out->map_max_bytes = out->map_bytes;
	if (out->reserve_bytes > out->map_max_bytes / 2)
		out->reserve_bytes = out->map_max_bytes / 2;
}

/* Opens (and with create, makes) the environment and its databases. */
static int
env_open(struct store **out, const char *dir, const struct store_limits *lim,
    int create)
{
	struct store *s = 0;
	MDB_txn *txn = 0;
	int rc, dead;

	*out = 0;
	if (strlen(dir) >= PATH_MAX)
		return GU_EINVAL;
	if (sodium_init() < 0)
		return GU_EIO;
	s = calloc(1, sizeof(*s));
	if (s == 0)
		return GU_ENOMEM;
	memcpy(s->dir, dir, strlen(dir) + 1);
	limits_fill(&s->lim, lim);
	rc = store_mdb_rc(mdb_env_create(&s->env));
	if (rc != GU_OK)
		goto out;
	mdb_env_set_maxdbs(s->env, DB_MAX + 4);
	mdb_env_set_maxreaders(s->env, 126);
	mdb_env_set_mapsize(s->env, s->lim.map_bytes);
	/*
	 * Durable: no MDB_NOSYNC, MDB_NOMETASYNC or MDB_WRITEMAP|MAPASYNC.
	 * MDB_NOTLS: read transactions are not tied to the thread, so a
	 * visitor may be called while a write happens in the same process.
	 */
	rc = mdb_env_open(s->env, dir, MDB_NOTLS, 0660);
	if (rc == ENOENT) {
		rc = GU_ENOTFOUND;
		goto out;
	}
	rc = store_mdb_rc(rc);
	if (rc != GU_OK)
		goto out;
	/* Slots of readers that died (a killed kiosk) are freed now. */
	mdb_reader_check(s->env, &dead);
	/* A map smaller than the file means another process grew it. */
	if (map_size_now(s) < s->lim.map_bytes)
		mdb_env_set_mapsize(s->env, s->lim.map_bytes);

	rc = txn_begin(s, create ? 0 : MDB_RDONLY, &txn);
	if (rc != GU_OK)
		goto out;
	for (int i = 0; i < DB_MAX; i++) {
		int mrc = mdb_dbi_open(txn, db_names[i],
		    db_flags(i) | (create ? MDB_CREATE : 0), &s->db[i]);
		if (mrc == MDB_NOTFOUND) {
			rc = GU_ENOTFOUND;
			goto out;
		}
		rc = store_mdb_rc(mrc);
		if (rc != GU_OK)
			goto out;
	}
	if (create)
		rc = store_mdb_rc(mdb_txn_commit(txn));
	else
		mdb_txn_abort(txn);
	txn = 0;
	if (rc != GU_OK)
		goto out;
	*out = s;
	s = 0;
out:
	if (txn)
		mdb_txn_abort(txn);
	if (s) {
		if (s->env)
			mdb_env_close(s->env);
		free(s);
	}
	return rc;
}

struct create_arg {
	const char *school_id, *school_name, *device;
	uint64_t epoch;
};

static int
create_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct create_arg *a = arg;
	uint64_t fmt;
	int rc;

	rc = store_meta_u64(s, txn, "format", &fmt);
	if (rc != GU_OK)
		return rc;
	if (fmt != 0)
		return GU_EEXIST;
	if ((rc = meta_put_str(s, txn, "school_id", a->school_id)) != GU_OK ||
	    (rc = meta_put_str(s, txn, "school_name", a->school_name)) !=
	        GU_OK ||
	    (rc = meta_put_str(s, txn, "device", a->device)) != GU_OK ||
	    (rc = store_meta_put_u64(s, txn, "epoch", a->epoch)) != GU_OK ||
	    (rc = store_meta_put_u64(s, txn, "last_seq", 0)) != GU_OK ||
	    (rc = store_meta_put_u64(s, txn, "acked_seq", 0)) != GU_OK)
		return rc;
	/* Written last: its presence is what makes this a store. */
	return store_meta_put_u64(s, txn, "format", STORE_FORMAT);
}

int
store_create(const char *dir, const char *school_id, const char *school_name,
    const char *device_id, const struct store_limits *lim)
{
	struct store *s = 0;
	struct create_arg a;
	int rc;

	if (!rec_id_ok(school_id) || !rec_id_ok(device_id) ||
	    school_name == 0 || school_name[0] == '\0' ||
	    strlen(school_name) >= STORE_NAME_LEN)
		return GU_EINVAL;
	if (mkdir(dir, 0770) != 0 && errno != EEXIST)
		return GU_EIO;
	rc = env_open(&s, dir, lim, 1);
	if (rc != GU_OK)
		return rc;
	a.school_id = school_id;
	a.school_name = school_name;
	a.device = device_id;
	do
		randombytes_buf(&a.epoch, sizeof(a.epoch));
	while (a.epoch == 0);
	rc = store_write(s, 1, create_txn, &a);
	store_close(s);
	return rc;
}

static int
open_txn(struct store *s, MDB_txn *txn, void *arg)
{
	uint64_t fmt;
	int rc;

	(void) arg;
	rc = store_meta_u64(s, txn, "format", &fmt);
	if (rc != GU_OK)
		return rc;
	if (fmt == 0)
		return GU_ENOTFOUND;
	if (fmt > STORE_FORMAT)
		return GU_EVERSION;
	if ((rc = store_meta_u64(s, txn, "epoch", &s->epoch)) != GU_OK ||
	    (rc = meta_str(s, txn, "device", s->device, sizeof(s->device))) !=
	        GU_OK ||
	    (rc = meta_str(s, txn, "school_id", s->school_id,
	         sizeof(s->school_id))) != GU_OK ||
	    (rc = meta_str(s, txn, "school_name", s->school_name,
	         sizeof(s->school_name))) != GU_OK)
		return rc;
	return s->epoch ? GU_OK : GU_ECORRUPT;
}

int
store_open(struct store **out, const char *dir, const struct store_limits *lim)
{
	struct store *s = 0;
	struct stat st;
	char path[PATH_MAX + 16];
	int rc;

	*out = 0;
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (stat(path, &st) != 0)
		return GU_ENOTFOUND;
	rc = env_open(&s, dir, lim, 1);
	if (rc != GU_OK)
		return rc;
	rc = store_read(s, open_txn, 0);
	if (rc != GU_OK) {
		store_close(s);
		return rc;
	}
	*out = s;
	return GU_OK;
}

void
store_close(struct store *s)
{
	if (s == 0)
		return;
	mdb_env_close(s->env);
	free(s);
}

/* ---- records ---- */

int
store_txn_get(struct store *s, MDB_txn *txn, uint64_t seq, struct record *out)
{
	uint8_t kb[8] = {0};
	MDB_val k = mval(kb, 8), v;
	int rc;

	store_put_u64(kb, seq);
	rc = mdb_get(txn, s->db[DB_LOG], &k, &v);
	if (rc != 0)
		return store_mdb_rc(rc);
	rc = rec_decode(out, v.mv_data, v.mv_size);
	if (rc != GU_OK)
		return rc;
	return out->seq == seq ? GU_OK : GU_ECORRUPT;
}

static uint64_t
txn_voided_by(struct store *s, MDB_txn *txn, uint64_t seq)
{
	uint8_t kb[8] = {0};
	MDB_val k = mval(kb, 8), v;

	store_put_u64(kb, seq);
	if (mdb_get(txn, s->db[DB_VOIDED], &k, &v) != 0 || v.mv_size != 8)
		return 0;
	return store_get_u64(v.mv_data);
}

static int
exists(struct store *s, MDB_txn *txn, int db, const char *key)
{
	MDB_val k = sval(key), v;

	return mdb_get(txn, s->db[db], &k, &v) == 0;
}

/*
 * The child a record belongs to in the child index: its own F_CHILD, or
 * for follow-ups and voids that of the record they name.  Writes "" when
 * none (lectures, auth, file views are not in a child's file).
 */
static int
index_child(struct store *s, MDB_txn *txn, const struct record *r,
    char out[GU_ID_LEN + 1], int depth)
{
	struct record *ref;
	uint64_t rseq = 0;
	int rc;

	out[0] = '\0';
	if (r->kind == REC_FILE_VIEW || r->kind == REC_AUTH)
		return GU_OK;
	if (rec_child(r)) {
		copy_str(
		    out, GU_ID_LEN + 1, rec_child(r), strlen(rec_child(r)));
		return GU_OK;
	}
	if (r->kind == REC_FOLLOWUP)
		rseq = (uint64_t) rec_int(r, F_CONCERN, 0);
	else if (r->kind == REC_VOID)
		rseq = (uint64_t) rec_int(r, F_TARGET, 0);
	if (rseq == 0 || depth > 2)
		return GU_OK;
	ref = malloc(sizeof(*ref));
	if (ref == 0)
		return GU_ENOMEM;
	rc = store_txn_get(s, txn, rseq, ref);
	if (rc == GU_OK)
		rc = index_child(s, txn, ref, out, depth + 1);
	free(ref);
	return rc;
}

/* child_stat on disk: 3 x i64 then 3 x u32, big-endian. */
#define STAT_LEN 36
struct child_stat {
	int64_t last_contact_ms, last_visit_ms, last_log_ms;
	uint32_t open, urgent, n;
};

static void
stat_get(
    struct store *s, MDB_txn *txn, const char *child, struct child_stat *st)
{
	MDB_val k = sval(child), v;

	memset(st, 0, sizeof(*st));
	if (mdb_get(txn, s->db[DB_CHILD_STAT], &k, &v) != 0 ||
	    v.mv_size != STAT_LEN)
		return;
	const uint8_t *p = v.mv_data;
	st->last_contact_ms = (int64_t) store_get_u64(p);
	st->last_visit_ms = (int64_t) store_get_u64(p + 8);
	st->last_log_ms = (int64_t) store_get_u64(p + 16);
	st->open = store_get_u32(p + 24);
	st->urgent = store_get_u32(p + 28);
	st->n = store_get_u32(p + 32);
}

static int
stat_put(struct store *s, MDB_txn *txn, const char *child,
    const struct child_stat *st)
{
	uint8_t b[STAT_LEN];
	MDB_val k = sval(child), v = mval(b, STAT_LEN);

	store_put_u64(b, (uint64_t) st->last_contact_ms);
	store_put_u64(b + 8, (uint64_t) st->last_visit_ms);
	store_put_u64(b + 16, (uint64_t) st->last_log_ms);
	store_put_u32(b + 24, st->open);
	store_put_u32(b + 28, st->urgent);
	store_put_u32(b + 32, st->n);
	return store_mdb_rc(mdb_put(txn, s->db[DB_CHILD_STAT], &k, &v, 0));
}

static int
concern_is_open(struct store *s, MDB_txn *txn, uint64_t seq)
{
	uint8_t kb[8] = {0};
	MDB_val k = mval(kb, 8), v;

	store_put_u64(kb, seq);
	return mdb_get(txn, s->db[DB_CONCERN], &k, &v) == 0;
}

/* Folds one record of the child's file into st. */
static void
stat_add(struct store *s, MDB_txn *txn, struct child_stat *st,
    const struct record *r, uint64_t voided)
{
	st->n++;
	if (voided)
		return;
	switch (r->kind) {
	case REC_CHECKIN:
		if (r->time_ms > st->last_contact_ms)
			st->last_contact_ms = r->time_ms;
		break;
	case REC_VISIT:
		if (r->time_ms > st->last_contact_ms)
			st->last_contact_ms = r->time_ms;
		if (r->time_ms > st->last_visit_ms)
			st->last_visit_ms = r->time_ms;
		break;
	case REC_STUDENT_LOG:
		if (r->time_ms > st->last_log_ms)
			st->last_log_ms = r->time_ms;
		break;
	case REC_CONCERN:
		if (concern_is_open(s, txn, r->seq)) {
			st->open++;
			if (r->flags & REC_FLAG_URGENT)
				st->urgent++;
		}
		break;
	default:
		break;
	}
}

/* Recomputes a child's summary from its file (after a void). */
static int
stat_rebuild(
    struct store *s, MDB_txn *txn, const char *child, struct child_stat *st)
{
	MDB_cursor *c = 0;
	MDB_val k = sval(child), v;
	struct record *r = malloc(sizeof(*r));
	int rc, op = MDB_SET;

	memset(st, 0, sizeof(*st));
	if (r == 0)
		return GU_ENOMEM;
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_BY_CHILD], &c));
	while (rc == GU_OK) {
		int mrc = mdb_cursor_get(c, &k, &v, (MDB_cursor_op) op);
		op = MDB_NEXT_DUP;
		if (mrc == MDB_NOTFOUND)
			break;
		rc = store_mdb_rc(mrc);
		if (rc != GU_OK)
			break;
		uint64_t seq = store_get_u64(v.mv_data);
		rc = store_txn_get(s, txn, seq, r);
		if (rc == GU_OK)
			stat_add(s, txn, st, r, txn_voided_by(s, txn, seq));
	}
	if (c)
		mdb_cursor_close(c);
	free(r);
	return rc;
}

static int
count_add(struct store *s, MDB_txn *txn, const struct record *r, int delta)
{
	uint8_t kb[5], vb[8];
	MDB_val k = mval(kb, 5), v;
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
	v = mval(vb, 8);
	return store_mdb_rc(mdb_put(txn, s->db[DB_COUNTS], &k, &v, 0));
}

static size_t
att_key(uint8_t *kb, size_t cap, uint64_t lecture, const char *cls,
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

static size_t
att_child_key(uint8_t *kb, uint64_t lecture, const char *child)
{
	size_t hl = strlen(child);

	store_put_u64(kb, lecture);
	memcpy(kb + 8, child, hl);
	return 8 + hl;
}

static int
put_seq(struct store *s, MDB_txn *txn, int db, const void *key, size_t kl,
    uint64_t val)
{
	uint8_t vb[8];
	MDB_val k = mval(key, kl), v = mval(vb, 8);

	store_put_u64(vb, val);
	return store_mdb_rc(mdb_put(txn, s->db[db], &k, &v, 0));
}

static int
del_key(struct store *s, MDB_txn *txn, int db, const void *key, size_t kl)
{
	MDB_val k = mval(key, kl);
	int rc = mdb_del(txn, s->db[db], &k, 0);

	return rc == MDB_NOTFOUND ? GU_OK : store_mdb_rc(rc);
}

static int
put_u64key_byte(struct store *s, MDB_txn *txn, int db, uint64_t key,
    const void *val, size_t vl)
{
	uint8_t kb[8] = {0};
	MDB_val k = mval(kb, 8), v = mval(val, vl);

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

/* Undoes the index effects of target, which a void now cancels. */
static int
unindex(struct store *s, MDB_txn *txn, const struct record *t)
{
	uint8_t kb[8 + 64 + 1 + GU_ID_LEN + 8];
	size_t kl;
	uint8_t one = 1;

	switch (t->kind) {
	case REC_ATTENDANCE: {
		uint64_t lec = (uint64_t) rec_int(t, F_LECTURE, 0);
		kl = att_key(
		    kb, sizeof(kb), lec, rec_str(t, F_CLASS), rec_child(t));
		int rc = del_key(s, txn, DB_ATT, kb, kl);
		if (rc != GU_OK)
			return rc;
		kl = att_child_key(kb, lec, rec_child(t));
		return del_key(s, txn, DB_ATT_CHILD, kb, kl);
	}
	case REC_LECTURE:
		return del_u64key(s, txn, DB_LECTURE, t->seq);
	case REC_LECTURE_END:
		return put_u64key_byte(s, txn, DB_LECTURE,
		    (uint64_t) rec_int(t, F_LECTURE, 0), &one, 1);
	case REC_CONCERN:
		return del_u64key(s, txn, DB_CONCERN, t->seq);
	case REC_FOLLOWUP: {
		uint64_t c = (uint64_t) rec_int(t, F_CONCERN, 0);
		char child[GU_ID_LEN + 1];
		int rc;
		if (!rec_int(t, F_CLOSES, 0) || txn_voided_by(s, txn, c))
			return GU_OK;
		rc = index_child(s, txn, t, child, 0);
		if (rc != GU_OK)
			return rc;
		return put_u64key_byte(
		    s, txn, DB_CONCERN, c, child, strlen(child));
	}
	default:
		return GU_OK;
	}
}

/* Checks that ref names a standing record of kind (REC_NONE: any). */
static int
check_ref(struct store *s, MDB_txn *txn, const struct record *r, int f,
    int kind, struct record *tmp, char *why, size_t why_len)
{
	uint64_t seq = (uint64_t) rec_int(r, f, 0);
	const char *fname = rec_field_info(f)->name;
	char msg[96];

	if (seq == 0 || seq >= r->seq ||
	    store_txn_get(s, txn, seq, tmp) != GU_OK) {
		snprintf(msg, sizeof(msg), "%s: field %%s names no record",
		    rec_kind_name(r->kind));
		return why_fmt(why, why_len, msg, fname);
	}
	if (kind != REC_NONE && tmp->kind != kind) {
		snprintf(msg, sizeof(msg), "%s: field %%s names a %s",
		    rec_kind_name(r->kind), rec_kind_name(tmp->kind));
		return why_fmt(why, why_len, msg, fname);
	}
	if (txn_voided_by(s, txn, seq)) {
		snprintf(msg, sizeof(msg),
		    "%s: field %%s names a voided record",
		    rec_kind_name(r->kind));
		return why_fmt(why, why_len, msg, fname);
	}
	return GU_OK;
}

static int
lecture_open(struct store *s, MDB_txn *txn, uint64_t seq)
{
	uint8_t kb[8] = {0};
	MDB_val k = mval(kb, 8), v;

	store_put_u64(kb, seq);
	return mdb_get(txn, s->db[DB_LECTURE], &k, &v) == 0 && v.mv_size == 1 &&
	    ((uint8_t *) v.mv_data)[0] == 1;
}

/* The store-level checks of store_append(): roster and references. */
static int
check_refs(struct store *s, MDB_txn *txn, const struct record *r,
    struct record *tmp, char *why, size_t why_len)
{
	const char *kn = rec_kind_name(r->kind);
	char msg[96];
	int rc = GU_OK;

	snprintf(msg, sizeof(msg), "%s: author '%%s' is not in the roster", kn);
	if (!exists(s, txn,
	        (r->flags & REC_FLAG_BY_STUDENT) ? DB_CHILDREN : DB_STAFF,
	        r->author))
		return why_fmt(why, why_len, msg, r->author);
	snprintf(msg, sizeof(msg), "%s: child '%%s' is not in the roster", kn);
	if (rec_child(r) && !exists(s, txn, DB_CHILDREN, rec_child(r)))
		return why_fmt(why, why_len, msg, rec_child(r));
	snprintf(msg, sizeof(msg), "%s: staff '%%s' is not in the roster", kn);
	if (rec_str(r, F_MENTOR) &&
	    !exists(s, txn, DB_STAFF, rec_str(r, F_MENTOR)))
		return why_fmt(why, why_len, msg, rec_str(r, F_MENTOR));
	if (rec_str(r, F_STAFF) &&
	    !exists(s, txn, DB_STAFF, rec_str(r, F_STAFF)))
		return why_fmt(why, why_len, msg, rec_str(r, F_STAFF));

	switch (r->kind) {
	case REC_ATTENDANCE:
	case REC_LECTURE_END: {
		uint64_t lec = (uint64_t) rec_int(r, F_LECTURE, 0);
		rc = check_ref(
		    s, txn, r, F_LECTURE, REC_LECTURE, tmp, why, why_len);
		if (rc != GU_OK)
			return rc;
		if (!lecture_open(s, txn, lec))
			return why_fmt(
			    why, why_len, "%s: the lecture is closed", kn);
		if (r->kind == REC_ATTENDANCE) {
			uint8_t kb[8 + GU_ID_LEN];
			MDB_val k, v;
			k = mval(kb, att_child_key(kb, lec, rec_child(r)));
			if (mdb_get(txn, s->db[DB_ATT_CHILD], &k, &v) == 0) {
				why_fmt(why, why_len,
				    "attendance: child '%s' is already checked "
				    "in",
				    rec_child(r));
				return GU_EEXIST;
			}
		}
		return GU_OK;
	}
	case REC_FOLLOWUP:
		rc = check_ref(
		    s, txn, r, F_CONCERN, REC_CONCERN, tmp, why, why_len);
		if (rc == GU_OK &&
		    !concern_is_open(
		        s, txn, (uint64_t) rec_int(r, F_CONCERN, 0)))
			return why_fmt(why, why_len,
			    "%s: the concern is already closed", kn);
		return rc;
	case REC_VOID:
		rc =
		    check_ref(s, txn, r, F_TARGET, REC_NONE, tmp, why, why_len);
		if (rc != GU_OK)
			return rc;
		if (tmp->kind == REC_VOID || tmp->kind == REC_AUTH ||
		    tmp->kind == REC_FILE_VIEW)
			return why_fmt(why, why_len,
			    "void: a %s record cannot be voided",
			    rec_kind_name(tmp->kind));
		return GU_OK;
	case REC_CONCERN:
		if (rec_has(r, F_SOURCE))
			return check_ref(
			    s, txn, r, F_SOURCE, REC_NONE, tmp, why, why_len);
		return GU_OK;
	default:
		return GU_OK;
	}
}

/* Writes r's kind-specific indexes; r->seq is set. */
static int
index_record(struct store *s, MDB_txn *txn, const struct record *r,
    const char *child, struct record *tmp)
{
	uint8_t kb[8 + 64 + 1 + GU_ID_LEN + 8];
	uint8_t one = 1, zero = 0;
	struct child_stat st;
	size_t kl;
	int rc = GU_OK;

	switch (r->kind) {
	case REC_LECTURE:
		return put_u64key_byte(s, txn, DB_LECTURE, r->seq, &one, 1);
	case REC_LECTURE_END:
		return put_u64key_byte(s, txn, DB_LECTURE,
		    (uint64_t) rec_int(r, F_LECTURE, 0), &zero, 1);
	case REC_ATTENDANCE: {
		uint64_t lec = (uint64_t) rec_int(r, F_LECTURE, 0);
		kl = att_key(kb, sizeof(kb), lec, rec_str(r, F_CLASS), child);
		if (kl == 0)
			return GU_ETOOBIG;
		rc = put_seq(s, txn, DB_ATT, kb, kl, r->seq);
		if (rc != GU_OK)
			return rc;
		kl = att_child_key(kb, lec, child);
		return put_seq(s, txn, DB_ATT_CHILD, kb, kl, r->seq);
	}
	case REC_CONCERN:
		return put_u64key_byte(
		    s, txn, DB_CONCERN, r->seq, child, strlen(child));
	case REC_FOLLOWUP:
		if (rec_int(r, F_CLOSES, 0))
			return del_u64key(s, txn, DB_CONCERN,
			    (uint64_t) rec_int(r, F_CONCERN, 0));
		return GU_OK;
	case REC_VOID: {
		uint64_t t = (uint64_t) rec_int(r, F_TARGET, 0);
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
		rc = unindex(s, txn, tmp);
		if (rc != GU_OK || child[0] == '\0')
			return rc;
		rc = stat_rebuild(s, txn, child, &st);
		if (rc != GU_OK)
			return rc;
		return stat_put(s, txn, child, &st);
	}
	default:
		(void) st;
		return GU_OK;
	}
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
	memcpy(r->device, s->device, sizeof(r->device));
	rc = rec_validate(r, 1, why, why_len);
	if (rc != GU_OK)
		return rc;
	rc = check_refs(s, txn, r, tmp, why, why_len);
	if (rc != GU_OK)
		return rc;
	rc = rec_encode(r, buf, sizeof(buf), &len);
	if (rc != GU_OK)
		return rc;
	store_put_u64(kb, seq);
	k = mval(kb, 8);
	v = mval(buf, len);
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
	rc = index_child(s, txn, r, child, 0);
	if (rc != GU_OK)
		return rc;
	if (child[0]) {
		k = sval(child);
		v = mval(kb, 8);
		rc = store_mdb_rc(mdb_put(txn, s->db[DB_BY_CHILD], &k, &v, 0));
		if (rc != GU_OK)
			return rc;
	}
	rc = index_record(s, txn, r, child, tmp);
	if (rc != GU_OK || child[0] == '\0' || r->kind == REC_VOID)
		return rc;
	/* Fold the new record into the child's summary. */
	stat_get(s, txn, child, &st);
	if (r->kind == REC_FOLLOWUP && rec_int(r, F_CLOSES, 0)) {
		rc = store_txn_get(
		    s, txn, (uint64_t) rec_int(r, F_CONCERN, 0), tmp);
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
is_urgent(struct store *s, const struct record *rs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct record *r = &rs[i];
		if (r->kind == REC_CONCERN && (r->flags & REC_FLAG_URGENT))
			continue;
		if (r->kind == REC_FOLLOWUP || r->kind == REC_VOID)
			continue; /* closing or cancelling stays possible */
		(void) s;
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
	if (n == 0)
		return GU_OK;
	rc = store_write(s, is_urgent(s, rs, n), append_txn, &a);
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
	a->voided = txn_voided_by(s, txn, a->seq);
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

/* ---- walks ---- */

struct walk_arg {
	uint64_t from;
	const char *key;
	store_rec_fn fn;
	void *arg;
	int open_only;
	store_lecture_fn lfn;
	store_att_fn afn;
};

static int
log_walk_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	struct record *r = malloc(sizeof(*r));
	MDB_cursor *c = 0;
	uint8_t kb[8] = {0};
	MDB_val k = mval(kb, 8), v;
	int rc, op = MDB_SET_RANGE;

	if (r == 0)
		return GU_ENOMEM;
	store_put_u64(kb, a->from);
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_LOG], &c));
	while (rc == GU_OK) {
		int mrc = mdb_cursor_get(c, &k, &v, (MDB_cursor_op) op);
		op = MDB_NEXT;
		if (mrc == MDB_NOTFOUND)
			break;
		rc = store_mdb_rc(mrc);
		if (rc != GU_OK)
			break;
		rc = rec_decode(r, v.mv_data, v.mv_size);
		if (rc != GU_OK)
			break;
		rc = a->fn(a->arg, r, txn_voided_by(s, txn, r->seq));
	}
	if (c)
		mdb_cursor_close(c);
	free(r);
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
child_file_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	struct record *r = malloc(sizeof(*r));
	MDB_cursor *c = 0;
	uint8_t vb[8];
	MDB_val k = sval(a->key), v;
	int rc, mrc;

	if (r == 0)
		return GU_ENOMEM;
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_BY_CHILD], &c));
	if (rc != GU_OK)
		goto out;
	if (a->from == 0) {
		mrc = mdb_cursor_get(c, &k, &v, MDB_SET);
		if (mrc == 0)
			mrc = mdb_cursor_get(c, &k, &v, MDB_LAST_DUP);
	} else {
		/* The first dup >= from, then step back below it. */
		store_put_u64(vb, a->from);
		v = mval(vb, 8);
		mrc = mdb_cursor_get(c, &k, &v, MDB_GET_BOTH_RANGE);
		if (mrc == 0)
			mrc = mdb_cursor_get(c, &k, &v, MDB_PREV_DUP);
		else if (mrc == MDB_NOTFOUND) {
			k = sval(a->key);
			mrc = mdb_cursor_get(c, &k, &v, MDB_SET);
			if (mrc == 0)
				mrc = mdb_cursor_get(c, &k, &v, MDB_LAST_DUP);
		}
	}
	while (mrc == 0) {
		uint64_t seq = store_get_u64(v.mv_data);
		rc = store_txn_get(s, txn, seq, r);
		if (rc != GU_OK)
			goto out;
		rc = a->fn(a->arg, r, txn_voided_by(s, txn, seq));
		if (rc != 0)
			goto out;
		mrc = mdb_cursor_get(c, &k, &v, MDB_PREV_DUP);
	}
	if (mrc != MDB_NOTFOUND)
		rc = store_mdb_rc(mrc);
out:
	if (c)
		mdb_cursor_close(c);
	free(r);
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

/* ---- info ---- */

static int
info_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct store_info *in = arg;
	struct record *r;
	int rc;

	if ((rc = store_meta_u64(s, txn, "last_seq", &in->last_seq)) != GU_OK ||
	    (rc = store_meta_u64(s, txn, "acked_seq", &in->acked_seq)) !=
	        GU_OK ||
	    (rc = store_meta_u64(s, txn, "n_children", &in->n_children)) !=
	        GU_OK ||
	    (rc = store_meta_u64(s, txn, "n_staff", &in->n_staff)) != GU_OK ||
	    (rc = store_meta_u64(s, txn, "n_classes", &in->n_classes)) != GU_OK)
		return rc;
	in->unacked =
	    in->last_seq > in->acked_seq ? in->last_seq - in->acked_seq : 0;
	if (in->unacked == 0)
		return GU_OK;
	r = malloc(sizeof(*r));
	if (r == 0)
		return GU_ENOMEM;
	if (store_txn_get(s, txn, in->acked_seq + 1, r) == GU_OK)
		in->oldest_unacked_ms = r->time_ms;
	free(r);
	return GU_OK;
}

int
store_info(struct store *s, struct store_info *out)
{
	char path[PATH_MAX + 16];
	struct stat st;

	memset(out, 0, sizeof(*out));
	memcpy(out->school_id, s->school_id, sizeof(out->school_id));
	memcpy(out->school_name, s->school_name, sizeof(out->school_name));
	memcpy(out->device, s->device, sizeof(out->device));
	out->epoch = s->epoch;
	out->map_bytes = map_size_now(s);
	out->used_bytes = used_bytes_now(s);
	out->map_max_bytes = s->lim.map_max_bytes;
	snprintf(path, sizeof(path), "%s/data.mdb", s->dir);
	if (stat(path, &st) == 0)
		out->file_bytes = (uint64_t) st.st_size;
	return store_read(s, info_txn, out);
}

/* ---- the roster ---- */

static int
cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Sorted array of pointers to the ids, for lookups; NULL on ENOMEM. */
static const char **
sorted_ids(const void *base, size_t n, size_t stride)
{
	const char **ids = malloc((n ? n : 1) * sizeof(*ids));

	if (ids == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		ids[i] = (const char *) base + i * stride;
	qsort(ids, n, sizeof(*ids), cmp_str_ptr);
	return ids;
}

static int
id_in(const char **ids, size_t n, const char *id)
{
	return bsearch(&id, ids, n, sizeof(*ids), cmp_str_ptr) != 0;
}

/*
 * Marks inactive every entry of db (structs of size bytes, with an int
 * "active" at active_off) whose id is not among the n sorted ids, and
 * counts them.  Never deletes: a child gone from the roster keeps his file.
 */
static int
mark_missing(struct store *s, MDB_txn *txn, int db, size_t size,
    size_t active_off, const char **ids, size_t n, uint32_t *count)
{
	union {
		struct child c;
		struct staff st;
	} cur;
	MDB_cursor *c = 0;
	MDB_val k, v;
	int rc, mrc, active;

	assert(size <= sizeof(cur));
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[db], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		char id[GU_ID_LEN + 1];
		if (v.mv_size != size || k.mv_size > GU_ID_LEN) {
			rc = GU_ECORRUPT;
			break;
		}
		copy_str(id, sizeof(id), k.mv_data, k.mv_size);
		memcpy(&cur, v.mv_data, size);
		memcpy(&active, (char *) &cur + active_off, sizeof(active));
		if (!active || id_in(ids, n, id))
			continue;
		active = 0;
		memcpy((char *) &cur + active_off, &active, sizeof(active));
		(*count)++;
		v = mval(&cur, size);
		rc = store_mdb_rc(mdb_cursor_put(c, &k, &v, MDB_CURRENT));
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
}

struct roster_arg {
	const struct child *c;
	size_t nc;
	const struct staff *st;
	size_t nst;
	int reset_pins;
	const char **cids, **sids;
	struct roster_counts cnt;
};

static int
roster_staff(struct store *s, MDB_txn *txn, struct roster_arg *a)
{
	MDB_val k, v;
	struct staff cur;
	int rc = GU_OK;

	for (size_t i = 0; i < a->nst && rc == GU_OK; i++) {
		struct staff n = a->st[i];
		k = sval(n.id);
		n.active = 1;
		if (mdb_get(txn, s->db[DB_STAFF], &k, &v) == 0 &&
		    v.mv_size == sizeof(cur)) {
			memcpy(&cur, v.mv_data, sizeof(cur));
			a->cnt.staff_updated++;
			if (!a->reset_pins && !cur.must_change_pin) {
				memcpy(n.pin_hash, cur.pin_hash,
				    sizeof(n.pin_hash));
				n.must_change_pin = 0;
			}
		} else {
			a->cnt.staff_added++;
		}
		v = mval(&n, sizeof(n));
		rc = store_mdb_rc(mdb_put(txn, s->db[DB_STAFF], &k, &v, 0));
	}
	if (rc != GU_OK)
		return rc;
	return mark_missing(s, txn, DB_STAFF, sizeof(struct staff),
	    offsetof(struct staff, active), a->sids, a->nst,
	    &a->cnt.staff_inactive);
}

static int
roster_children(struct store *s, MDB_txn *txn, struct roster_arg *a)
{
	MDB_val k, v;
	int rc = GU_OK;

	for (size_t i = 0; i < a->nc && rc == GU_OK; i++) {
		struct child n = a->c[i];
		n.active = 1;
		k = sval(n.id);
		if (mdb_get(txn, s->db[DB_CHILDREN], &k, &v) == 0)
			a->cnt.children_updated++;
		else
			a->cnt.children_added++;
		v = mval(&n, sizeof(n));
		rc = store_mdb_rc(mdb_put(txn, s->db[DB_CHILDREN], &k, &v, 0));
	}
	if (rc != GU_OK)
		return rc;
	return mark_missing(s, txn, DB_CHILDREN, sizeof(struct child),
	    offsetof(struct child, active), a->cids, a->nc,
	    &a->cnt.children_inactive);
}

/* Rebuilds class, class_child and mentor_child from the new roster. */
static int
roster_indexes(struct store *s, MDB_txn *txn, struct roster_arg *a)
{
	uint64_t n_classes = 0;
	int rc;

	if ((rc = store_mdb_rc(mdb_drop(txn, s->db[DB_CLASS], 0))) != GU_OK ||
	    (rc = store_mdb_rc(mdb_drop(txn, s->db[DB_CLASS_CHILD], 0))) !=
	        GU_OK ||
	    (rc = store_mdb_rc(mdb_drop(txn, s->db[DB_MENTOR_CHILD], 0))) !=
	        GU_OK)
		return rc;
	for (size_t i = 0; i < a->nc; i++) {
		const struct child *ch = &a->c[i];
		uint8_t vb[sizeof(ch->grade) + 1 + 4];
		size_t gl = strlen(ch->grade);
		uint32_t cnt = 0;
		MDB_val k = sval(ch->class_name), v;

		if (mdb_get(txn, s->db[DB_CLASS], &k, &v) == 0 &&
		    v.mv_size >= 4)
			cnt = store_get_u32(
			    (uint8_t *) v.mv_data + v.mv_size - 4);
		else
			n_classes++;
		memcpy(vb, ch->grade, gl);
		vb[gl] = 0;
		store_put_u32(vb + gl + 1, cnt + 1);
		v = mval(vb, gl + 5);
		rc = store_mdb_rc(mdb_put(txn, s->db[DB_CLASS], &k, &v, 0));
		if (rc != GU_OK)
			return rc;
		v = sval(ch->id);
		rc = store_mdb_rc(
		    mdb_put(txn, s->db[DB_CLASS_CHILD], &k, &v, 0));
		if (rc != GU_OK)
			return rc;
		if (ch->mentor_id[0]) {
			k = sval(ch->mentor_id);
			rc = store_mdb_rc(
			    mdb_put(txn, s->db[DB_MENTOR_CHILD], &k, &v, 0));
			if (rc != GU_OK)
				return rc;
		}
	}
	if ((rc = store_meta_put_u64(s, txn, "n_children", a->nc)) != GU_OK ||
	    (rc = store_meta_put_u64(s, txn, "n_staff", a->nst)) != GU_OK)
		return rc;
	return store_meta_put_u64(s, txn, "n_classes", n_classes);
}

static int
roster_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct roster_arg *a = arg;
	int rc;

	memset(&a->cnt, 0, sizeof(a->cnt));
	rc = roster_staff(s, txn, a);
	if (rc == GU_OK)
		rc = roster_children(s, txn, a);
	if (rc == GU_OK)
		rc = roster_indexes(s, txn, a);
	return rc;
}

static int
roster_validate(struct roster_arg *a, char *why, size_t why_len)
{
	for (size_t i = 0; i < a->nst; i++) {
		const struct staff *t = &a->st[i];
		if (!rec_id_ok(t->id))
			return why_fmt(
			    why, why_len, "staff id '%s' is not an id", t->id);
		if (i && strcmp(a->sids[i - 1], a->sids[i]) == 0)
			return why_fmt(
			    why, why_len, "staff id '%s' repeated", a->sids[i]);
		if (t->roles == 0 || (t->roles & ~7u))
			return why_fmt(
			    why, why_len, "staff '%s' has no role", t->id);
	}
	for (size_t i = 0; i < a->nc; i++) {
		const struct child *ch = &a->c[i];
		if (!rec_id_ok(ch->id))
			return why_fmt(
			    why, why_len, "child id '%s' is not an id", ch->id);
		if (i && strcmp(a->cids[i - 1], a->cids[i]) == 0)
			return why_fmt(
			    why, why_len, "child id '%s' repeated", a->cids[i]);
		if (ch->name[0] == '\0' || ch->class_name[0] == '\0')
			return why_fmt(why, why_len,
			    "child '%s' has no name or class", ch->id);
		if (ch->mentor_id[0]) {
			size_t j = 0;
			while (j < a->nst && strcmp(a->st[j].id, ch->mentor_id))
				j++;
			if (j == a->nst || !(a->st[j].roles & ROLE_MENTOR))
				return why_fmt(why, why_len,
				    "mentor '%s' is not a mentor in the staff "
				    "list",
				    ch->mentor_id);
		}
	}
	return GU_OK;
}

int
store_roster_replace(struct store *s, const struct child *c, size_t nc,
    const struct staff *st, size_t nst, int reset_pins,
    struct roster_counts *counts, char *why, size_t why_len)
{
	struct roster_arg a = {c, nc, st, nst, reset_pins, 0, 0, {0}};
	int rc = GU_ENOMEM;

	if (why_len)
		why[0] = '\0';
	a.cids = sorted_ids(c, nc, sizeof(*c));
	a.sids = sorted_ids(st, nst, sizeof(*st));
	if (a.cids == 0 || a.sids == 0)
		goto out;
	rc = roster_validate(&a, why, why_len);
	if (rc != GU_OK)
		goto out;
	rc = store_write(s, 0, roster_txn, &a);
	if (rc == GU_OK && counts)
		*counts = a.cnt;
out:
	free(a.cids);
	free(a.sids);
	return rc;
}

struct obj_arg {
	int db;
	const char *key;
	void *out;
	size_t size;
	const void *in;
};

static int
obj_get_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct obj_arg *a = arg;
	MDB_val k = sval(a->key), v;
	int rc = mdb_get(txn, s->db[a->db], &k, &v);

	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != a->size)
		return GU_ECORRUPT;
	memcpy(a->out, v.mv_data, a->size);
	return GU_OK;
}

static int
obj_put_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct obj_arg *a = arg;
	MDB_val k = sval(a->key), v = mval(a->in, a->size);

	return store_mdb_rc(mdb_put(txn, s->db[a->db], &k, &v, 0));
}

int
store_child_get(struct store *s, const char *id, struct child *out)
{
	struct obj_arg a = {DB_CHILDREN, id, out, sizeof(*out), 0};

	if (!rec_id_ok(id))
		return GU_ENOTFOUND;
	return store_read(s, obj_get_txn, &a);
}

int
store_staff_get(struct store *s, const char *id, struct staff *out)
{
	struct obj_arg a = {DB_STAFF, id, out, sizeof(*out), 0};

	if (!rec_id_ok(id))
		return GU_ENOTFOUND;
	return store_read(s, obj_get_txn, &a);
}

static int
set_pin_txn(struct store *s, MDB_txn *txn, void *arg)
{
	const char **a = arg;
	struct staff st;
	struct obj_arg g = {DB_STAFF, a[0], &st, sizeof(st), &st};
	int rc = obj_get_txn(s, txn, &g);

	if (rc != GU_OK)
		return rc;
	memset(st.pin_hash, 0, sizeof(st.pin_hash));
	copy_str(st.pin_hash, sizeof(st.pin_hash), a[1], strlen(a[1]));
	st.must_change_pin = 0;
	return obj_put_txn(s, txn, &g);
}

int
store_staff_set_pin(struct store *s, const char *staff_id, const char *pin_hash)
{
	const char *a[2] = {staff_id, pin_hash};

	if (!rec_id_ok(staff_id) || strlen(pin_hash) >= 128)
		return GU_EINVAL;
	return store_write(s, 0, set_pin_txn, a);
}

int
store_auth_get(struct store *s, const char *staff_id, struct staff_auth *out)
{
	uint8_t b[12];
	struct obj_arg a = {DB_AUTH, staff_id, b, sizeof(b), 0};
	int rc;

	memset(out, 0, sizeof(*out));
	if (!rec_id_ok(staff_id))
		return GU_EINVAL;
	rc = store_read(s, obj_get_txn, &a);
	if (rc == GU_ENOTFOUND)
		return GU_OK;
	if (rc != GU_OK)
		return rc;
	out->failures = store_get_u32(b);
	out->locked_until_ms = (int64_t) store_get_u64(b + 4);
	return GU_OK;
}

int
store_auth_put(
    struct store *s, const char *staff_id, const struct staff_auth *au)
{
	uint8_t b[12];
	struct obj_arg a = {DB_AUTH, staff_id, 0, sizeof(b), b};

	if (!rec_id_ok(staff_id))
		return GU_EINVAL;
	store_put_u32(b, au->failures);
	store_put_u64(b + 4, (uint64_t) au->locked_until_ms);
	return store_write(s, 1, obj_put_txn, &a);
}

/* ---- queries ---- */

struct list_arg {
	const char *key;
	store_child_fn cfn;
	store_staff_fn sfn;
	store_class_fn klfn;
	void *arg;
	struct child_summary *out;
	size_t max, n;
};

static int
classes_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct list_arg *a = arg;
	MDB_cursor *c = 0;
	MDB_val k, v;
	int rc, mrc;

	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_CLASS], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		char name[64], grade[32];
		const uint8_t *p = v.mv_data;
		size_t gl;
		if (v.mv_size < 5 || k.mv_size >= sizeof(name)) {
			rc = GU_ECORRUPT;
			break;
		}
		gl = strnlen((const char *) p, v.mv_size - 4);
		copy_str(name, sizeof(name), k.mv_data, k.mv_size);
		copy_str(grade, sizeof(grade), p, gl);
		rc = a->klfn(
		    a->arg, name, grade, store_get_u32(p + v.mv_size - 4));
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
}

int
store_classes(struct store *s, store_class_fn fn, void *arg)
{
	struct list_arg a = {.klfn = fn, .arg = arg};

	return store_read(s, classes_txn, &a);
}

/* Calls a->cfn for each child id in the dups of a->key in db. */
static int
dup_children(struct store *s, MDB_txn *txn, int db, struct list_arg *a)
{
	MDB_cursor *c = 0;
	MDB_val k = sval(a->key), v, cv;
	struct child ch;
	int rc, mrc, op = MDB_SET;

	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[db], &c));
	while (rc == GU_OK) {
		mrc = mdb_cursor_get(c, &k, &v, (MDB_cursor_op) op);
		op = MDB_NEXT_DUP;
		if (mrc == MDB_NOTFOUND)
			break;
		rc = store_mdb_rc(mrc);
		if (rc != GU_OK)
			break;
		if (mdb_get(txn, s->db[DB_CHILDREN], &v, &cv) != 0 ||
		    cv.mv_size != sizeof(ch)) {
			rc = GU_ECORRUPT;
			break;
		}
		memcpy(&ch, cv.mv_data, sizeof(ch));
		if (ch.active)
			rc = a->cfn(a->arg, &ch);
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
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
staff_list_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct list_arg *a = arg;
	MDB_cursor *c = 0;
	MDB_val k, v;
	struct staff st;
	int rc, mrc;

	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_STAFF], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		if (v.mv_size != sizeof(st)) {
			rc = GU_ECORRUPT;
			break;
		}
		memcpy(&st, v.mv_data, sizeof(st));
		if (st.active)
			rc = a->sfn(a->arg, &st);
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
}

int
store_staff_list(struct store *s, store_staff_fn fn, void *arg)
{
	struct list_arg a = {.sfn = fn, .arg = arg};

	return store_read(s, staff_list_txn, &a);
}

static void
summary_fill(struct store *s, MDB_txn *txn, const struct child *ch,
    struct child_summary *out)
{
	struct child_stat st;

	stat_get(s, txn, ch->id, &st);
	memset(out, 0, sizeof(*out));
	out->child = *ch;
	out->last_contact_ms = st.last_contact_ms;
	out->last_visit_ms = st.last_visit_ms;
	out->last_student_log_ms = st.last_log_ms;
	out->open_concerns = st.open;
	out->open_urgent = st.urgent;
	out->n_records = st.n;
}

static int
summary_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct list_arg *a = arg;
	struct child ch;
	struct obj_arg g = {DB_CHILDREN, a->key, &ch, sizeof(ch), 0};
	int rc = obj_get_txn(s, txn, &g);

	if (rc == GU_OK)
		summary_fill(s, txn, &ch, a->out);
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

struct mentor_arg {
	struct store *s;
	MDB_txn *txn;
	struct list_arg *a;
};

static int
mentor_child_fn(void *arg, const struct child *ch)
{
	struct mentor_arg *m = arg;

	if (m->a->n < m->a->max)
		summary_fill(m->s, m->txn, ch, &m->a->out[m->a->n]);
	m->a->n++;
	return 0;
}

static int
mentor_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct list_arg *a = arg;
	struct mentor_arg m = {s, txn, a};
	struct list_arg inner = {
	    .key = a->key, .cfn = mentor_child_fn, .arg = &m};
	MDB_cursor *c = 0;
	MDB_val k, v;
	struct child ch;
	int rc, mrc;

	if (a->key)
		return dup_children(s, txn, DB_MENTOR_CHILD, &inner);
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_CHILDREN], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		if (v.mv_size != sizeof(ch)) {
			rc = GU_ECORRUPT;
			break;
		}
		memcpy(&ch, v.mv_data, sizeof(ch));
		if (ch.active)
			mentor_child_fn(&m, &ch);
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
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

static int
lectures_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	struct record *r = malloc(sizeof(*r));
	MDB_cursor *c = 0;
	MDB_val k, v;
	int rc, mrc;

	if (r == 0)
		return GU_ENOMEM;
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_LECTURE], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &k, &v, MDB_PREV)) == 0) {
		int open = v.mv_size == 1 && ((uint8_t *) v.mv_data)[0] == 1;
		if (k.mv_size != 8) {
			rc = GU_ECORRUPT;
			break;
		}
		if (a->open_only && !open)
			continue;
		rc = store_txn_get(s, txn, store_get_u64(k.mv_data), r);
		if (rc == GU_OK)
			rc = a->lfn(a->arg, r, open);
	}
	if (c)
		mdb_cursor_close(c);
	free(r);
	return rc;
}

int
store_lectures(struct store *s, int open_only, store_lecture_fn fn, void *arg)
{
	struct walk_arg a = {.open_only = open_only, .lfn = fn, .arg = arg};

	return store_read(s, lectures_txn, &a);
}

static int
att_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	MDB_cursor *c = 0;
	uint8_t kb[8] = {0};
	MDB_val k = mval(kb, 8), v;
	int rc, mrc, op = MDB_SET_RANGE;

	store_put_u64(kb, a->from);
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_ATT], &c));
	while (rc == GU_OK) {
		char cls[64], child[GU_ID_LEN + 1];
		const uint8_t *p, *z;
		mrc = mdb_cursor_get(c, &k, &v, (MDB_cursor_op) op);
		op = MDB_NEXT;
		if (mrc == MDB_NOTFOUND)
			break;
		rc = store_mdb_rc(mrc);
		if (rc != GU_OK)
			break;
		p = k.mv_data;
		if (k.mv_size < 10 || store_get_u64(p) != a->from)
			break;
		z = memchr(p + 8, 0, k.mv_size - 8);
		if (z == 0 || v.mv_size != 8) {
			rc = GU_ECORRUPT;
			break;
		}
		copy_str(cls, sizeof(cls), p + 8, (size_t) (z - p - 8));
		copy_str(child, sizeof(child), z + 1,
		    k.mv_size - (size_t) (z + 1 - p));
		rc = a->afn(a->arg, cls, child, store_get_u64(v.mv_data));
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
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
	MDB_val k = mval(kb, att_child_key(kb, a->lecture, a->child)), v;

	if (mdb_get(txn, s->db[DB_ATT_CHILD], &k, &v) == 0 && v.mv_size == 8)
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

static int
concerns_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct walk_arg *a = arg;
	struct record *r = malloc(sizeof(*r));
	MDB_cursor *c = 0;
	MDB_val k, v;
	int rc, mrc;

	if (r == 0)
		return GU_ENOMEM;
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_CONCERN], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &k, &v, MDB_PREV)) == 0) {
		if (k.mv_size != 8) {
			rc = GU_ECORRUPT;
			break;
		}
		rc = store_txn_get(s, txn, store_get_u64(k.mv_data), r);
		if (rc == GU_OK)
			rc = a->fn(a->arg, r, 0);
	}
	if (c)
		mdb_cursor_close(c);
	free(r);
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
	uint64_t *counts;
};

static int
counts_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct counts_arg *a = arg;
	MDB_cursor *c = 0;
	int rc;

	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_COUNTS], &c));
	for (int kind = 1; rc == GU_OK && kind < REC_KIND_MAX; kind++) {
		uint8_t kb[5];
		MDB_val k = mval(kb, 5), v;
		int op = MDB_SET_RANGE, mrc;
		kb[0] = (uint8_t) kind;
		store_put_u32(kb + 1, a->from);
		while ((mrc = mdb_cursor_get(c, &k, &v, (MDB_cursor_op) op)) ==
		    0) {
			const uint8_t *p = k.mv_data;
			op = MDB_NEXT;
			if (k.mv_size != 5 || p[0] != kind ||
			    store_get_u32(p + 1) > a->to)
				break;
			if (v.mv_size == 8)
				a->counts[kind] += store_get_u64(v.mv_data);
		}
		if (mrc != 0 && mrc != MDB_NOTFOUND)
			rc = store_mdb_rc(mrc);
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
}

int
store_counts(struct store *s, uint32_t day_from, uint32_t day_to,
    uint64_t counts[REC_KIND_MAX])
{
	struct counts_arg a = {day_from, day_to, counts};

	memset(counts, 0, REC_KIND_MAX * sizeof(counts[0]));
	return store_read(s, counts_txn, &a);
}

/* ---- invariants ---- */

#define CHECK_SLOTS 65536

struct check_ctx {
	struct {
		uint32_t key; /* kind << 24 | days since 2000, or 0 */
		uint32_t day;
		uint64_t n;
	} * slot;
	size_t used;
	uint64_t n_child, n_void, n_lecture, n_lecture_closed, n_att, n_concern,
	    n_urgent;
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
	MDB_val k = mval(key, kl), v;

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

/* Checks one record of the log against the indexes. */
static int
check_record(struct store *s, MDB_txn *txn, struct check_ctx *k,
    const struct record *r, struct record *tmp)
{
	uint8_t kb[8 + 64 + 1 + GU_ID_LEN + 8];
	char child[GU_ID_LEN + 1];
	uint64_t voided = txn_voided_by(s, txn, r->seq);
	int rc;

	if (r->epoch != s->epoch || strcmp(r->device, s->device) != 0)
		return check_fail(
		    k, "record of another epoch or device", r->seq);
	rc = index_child(s, txn, r, child, 0);
	if (rc != GU_OK)
		return check_fail(k, "a record names a missing record", r->seq);
	if (child[0]) {
		MDB_val ck = sval(child), cv;
		store_put_u64(kb, r->seq);
		cv = mval(kb, 8);
		MDB_cursor *c;
		mdb_cursor_open(txn, s->db[DB_BY_CHILD], &c);
		ck = sval(child);
		cv = mval(kb, 8);
		int mrc = mdb_cursor_get(c, &ck, &cv, MDB_GET_BOTH);
		mdb_cursor_close(c);
		if (mrc != 0)
			return check_fail(
			    k, "child index lacks a record", r->seq);
		k->n_child++;
	}
	if (r->flags & REC_FLAG_URGENT) {
		MDB_val uk, uv;
		store_put_u64(kb, r->seq);
		uk = mval(kb, 8);
		if (mdb_get(txn, s->db[DB_URGENT], &uk, &uv) != 0)
			return check_fail(
			    k, "urgent index lacks a record", r->seq);
		k->n_urgent++;
	}
	if (r->kind == REC_VOID) {
		store_put_u64(kb, (uint64_t) rec_int(r, F_TARGET, 0));
		if (!has_seq(s, txn, DB_VOIDED, kb, 8, r->seq))
			return check_fail(k, "void index lacks a void", r->seq);
		k->n_void++;
	}
	if (voided)
		return GU_OK;
	rc = check_count(k, r->kind, store_day_of(r->time_ms, r->tz_min));
	if (rc != GU_OK)
		return check_fail(k, "too many days to check", r->seq);
	switch (r->kind) {
	case REC_LECTURE:
		k->n_lecture++;
		break;
	case REC_LECTURE_END:
		if (!txn_voided_by(
		        s, txn, (uint64_t) rec_int(r, F_LECTURE, 0))) {
			if (lecture_open(
			        s, txn, (uint64_t) rec_int(r, F_LECTURE, 0)))
				return check_fail(
				    k, "ended lecture is open", r->seq);
			k->n_lecture_closed++;
		}
		break;
	case REC_ATTENDANCE: {
		uint64_t lec = (uint64_t) rec_int(r, F_LECTURE, 0);
		size_t kl = att_key(
		    kb, sizeof(kb), lec, rec_str(r, F_CLASS), rec_child(r));
		if (!has_seq(s, txn, DB_ATT, kb, kl, r->seq))
			return check_fail(
			    k, "attendance index lacks a record", r->seq);
		kl = att_child_key(kb, lec, rec_child(r));
		if (!has_seq(s, txn, DB_ATT_CHILD, kb, kl, r->seq))
			return check_fail(
			    k, "attendance index lacks a child", r->seq);
		k->n_att++;
		break;
	}
	case REC_CONCERN:
		if (concern_is_open(s, txn, r->seq))
			k->n_concern++;
		break;
	case REC_FOLLOWUP:
		if (rec_int(r, F_CLOSES, 0) &&
		    concern_is_open(
		        s, txn, (uint64_t) rec_int(r, F_CONCERN, 0)))
			return check_fail(k, "closed concern is open", r->seq);
		break;
	default:
		break;
	}
	(void) tmp;
	return GU_OK;
}

static int
check_indexes(struct store *s, MDB_txn *txn, struct check_ctx *k)
{
	MDB_cursor *c = 0;
	MDB_val key, v;
	uint64_t closed = 0, n = 0;
	int rc, mrc;

	if (entries(txn, s->db[DB_BY_CHILD]) != k->n_child)
		return check_fail(k, "child index has extra entries", 0);
	if (entries(txn, s->db[DB_URGENT]) != k->n_urgent)
		return check_fail(k, "urgent index has extra entries", 0);
	if (entries(txn, s->db[DB_VOIDED]) != k->n_void)
		return check_fail(k, "void index has extra entries", 0);
	if (entries(txn, s->db[DB_LECTURE]) != k->n_lecture)
		return check_fail(k, "lecture index disagrees", 0);
	if (entries(txn, s->db[DB_ATT]) != k->n_att ||
	    entries(txn, s->db[DB_ATT_CHILD]) != k->n_att)
		return check_fail(k, "attendance index has extra entries", 0);
	if (entries(txn, s->db[DB_CONCERN]) != k->n_concern)
		return check_fail(k, "open-concern index disagrees", 0);
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_LECTURE], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &key, &v, MDB_NEXT)) == 0)
		closed += v.mv_size == 1 && ((uint8_t *) v.mv_data)[0] == 0;
	if (c)
		mdb_cursor_close(c);
	c = 0;
	if (rc == GU_OK && closed != k->n_lecture_closed)
		return check_fail(k, "lecture open flags disagree", 0);
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_COUNTS], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &key, &v, MDB_NEXT)) == 0) {
		const uint8_t *p = key.mv_data;
		if (key.mv_size != 5 || v.mv_size != 8 ||
		    check_count_get(k, p[0], store_get_u32(p + 1)) !=
		        store_get_u64(v.mv_data)) {
			rc = check_fail(k, "counts disagree with the log", 0);
			break;
		}
		n++;
	}
	if (c)
		mdb_cursor_close(c);
	if (rc == GU_OK && n != k->used)
		rc = check_fail(k, "counts lack a day", 0);
	return rc;
}

static int
check_stats(struct store *s, MDB_txn *txn, struct check_ctx *k)
{
	MDB_cursor *c = 0;
	MDB_val key, v;
	int rc, mrc;

	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_CHILD_STAT], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &key, &v, MDB_NEXT)) == 0) {
		char child[GU_ID_LEN + 1];
		struct child_stat want, got;
		if (key.mv_size > GU_ID_LEN) {
			rc = check_fail(k, "bad child summary key", 0);
			break;
		}
		copy_str(child, sizeof(child), key.mv_data, key.mv_size);
		stat_get(s, txn, child, &got);
		rc = stat_rebuild(s, txn, child, &want);
		if (rc == GU_OK && memcmp(&want, &got, sizeof(want)) != 0)
			rc = check_fail(k, "a child summary disagrees", 0);
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
}

static int
check_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct check_ctx *k = arg;
	struct record *r = malloc(sizeof(*r)), *tmp = malloc(sizeof(*tmp));
	MDB_cursor *c = 0;
	MDB_val key, v;
	uint64_t last, want = 1;
	int rc, mrc;

	if (r == 0 || tmp == 0) {
		rc = GU_ENOMEM;
		goto out;
	}
	rc = store_meta_u64(s, txn, "last_seq", &last);
	if (rc != GU_OK)
		goto out;
	rc = store_mdb_rc(mdb_cursor_open(txn, s->db[DB_LOG], &c));
	while (
	    rc == GU_OK && (mrc = mdb_cursor_get(c, &key, &v, MDB_NEXT)) == 0) {
		if (key.mv_size != 8 || store_get_u64(key.mv_data) != want) {
			rc = check_fail(k, "the log has a gap", want);
			break;
		}
		if (rec_decode(r, v.mv_data, v.mv_size) != GU_OK ||
		    r->seq != want) {
			rc = check_fail(k, "a record does not decode", want);
			break;
		}
		rc = check_record(s, txn, k, r, tmp);
		want++;
	}
	if (rc == GU_OK && want - 1 != last)
		rc = check_fail(k, "last_seq disagrees with the log", last);
	if (rc == GU_OK)
		rc = check_indexes(s, txn, k);
	if (rc == GU_OK)
		rc = check_stats(s, txn, k);
out:
	if (c)
		mdb_cursor_close(c);
	free(r);
	free(tmp);
	return rc;
}

int
store_check(struct store *s, char *why, size_t why_len)
{
	struct check_ctx k;
	int rc;

	memset(&k, 0, sizeof(k));
	k.why = why;
	k.why_len = why_len;
	if (why_len)
		why[0] = '\0';
	k.slot = calloc(CHECK_SLOTS, sizeof(*k.slot));
	if (k.slot == 0)
		return GU_ENOMEM;
	rc = store_read(s, check_txn, &k);
	free(k.slot);
	return rc;
}
