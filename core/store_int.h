/*
 * store_int.h: the inside of the store, shared by the files that make it
 * up.  Only core/store*.c include this header, and so only they see
 * <lmdb.h> (make lint checks it).
 *
 *   store.c          the environment: open, create, the write path with map
 *                    growth, the cursor walk, meta, store_info
 *   store_index.c    appends: the table of record kinds (what each feeds,
 *                    needs and checks) and the indexes they write
 *   store_query.c    the walks and queries the screens make
 *   store_check.c    store_check(): the log against every index
 *   store_roster.c   the roster entities: children, staff, classes, auth
 *   store_sync.c     batches and the upload cursor (store_sync.h)
 *
 *   store_entity.c   the layouts of the entities (store_entity.h)
 *   store_migrate.c  older store formats brought up to STORE_FORMAT
 *
 * Sub-databases (keys and values; u64 and u32 are big-endian):
 *
 *   meta        "school_id", "school_name", "device", "epoch" (u64),
 *               "format" (u64, STORE_FORMAT), "last_seq" (u64),
 *               "acked_seq" (u64), "n_children", "n_staff", "n_classes",
 *               "pref.NAME.STAFF_ID" (u64): a staff member's preference,
 *               e.g. pref.ime_method.T001 (0 handwriting, 1 pinyin)
 *   log         seq (u64) -> encoded record (record.h, with its CRC)
 *   by_child    child id -> seq (u64), DUPSORT|DUPFIXED: the child's file
 *   voided      target seq (u64) -> void seq (u64)
 *   counts      kind (1) + day (u32 YYYYMMDD) -> count (u64)
 *   child_stat  child id -> 3 x i64 + 3 x u32 (store_index.c), derived
 *   lecture     lecture seq (u64) -> open (1 byte: 1 open, 0 closed)
 *   att         lecture seq (u64) + class name + 0 + child id -> seq (u64)
 *   att_child   lecture seq (u64) + child id -> seq (u64)
 *   concern     concern seq (u64) -> child id: open concerns
 *   children    child id -> child entity (store_entity.h)
 *   staff       staff id -> staff entity
 *   class       class name -> class entity (grade, count)
 *   class_child class name -> child id, DUPSORT
 *   mentor_child mentor id -> child id, DUPSORT
 *   auth        staff id -> auth entity (wrong PINs, lock)
 *   urgent      seq (u64) -> 1 byte: every urgent record, so the sync
 *               daemon finds them without reading the log
 *   sync, batch, urgent_sent: owned by store_sync.c
 */
#ifndef GU_STORE_INT_H
#define GU_STORE_INT_H

#include <limits.h>
#include <lmdb.h>

#include "store.h"

enum store_db {
	DB_META,
	DB_LOG,
	DB_BY_CHILD,
	DB_VOIDED,
	DB_COUNTS,
	DB_CHILD_STAT,
	DB_LECTURE,
	DB_ATT,
	DB_ATT_CHILD,
	DB_CONCERN,
	DB_CHILDREN,
	DB_STAFF,
	DB_CLASS,
	DB_CLASS_CHILD,
	DB_MENTOR_CHILD,
	DB_AUTH,
	DB_SYNC,
	DB_BATCH,
	DB_URGENT_SENT,
	DB_URGENT,
	DB_SPARE2,
	DB_MAX
};

struct store {
	MDB_env *env;
	MDB_dbi db[DB_MAX];
	struct store_limits lim;
	char dir[PATH_MAX];
	uint64_t epoch;
	char device[GU_ID_LEN + 1];
	char school_id[GU_ID_LEN + 1];
	char school_name[STORE_NAME_LEN];
	int clock_synced;      /* store_set_clock_synced() */
	int64_t time_floor_ms; /* store_set_time_floor() */
	int read_only;         /* opened with store_open_ro(): never writes */
	int damaged;           /* a record failed its CRC: no more appends */
	int reserve_gone;      /* DIR/urgent-reserve is not there (store.c) */
};

/*
 * Takes the store from format from to format to inside txn
 * (store_migrate.c), and writes meta "format".  On error why names what
 * failed and nothing of txn may be committed.
 */
int store_migrate(struct store *s, MDB_txn *txn, uint64_t from, uint64_t to,
    char *why, size_t why_len);

/*
 * Runs fn inside a write transaction and commits.  On MDB_MAP_FULL (from
 * fn or from the commit) the transaction is aborted, the map grown and fn
 * run again from the start, so fn must not keep state between runs.  urgent
 * lets the map grow into the reserve.  fn returns a GU_* code; anything but
 * GU_OK aborts.  Returns fn's code, GU_EFULL, GU_EBUSY or GU_EIO.
 */
typedef int (*store_txn_fn)(struct store *s, MDB_txn *txn, void *arg);
int store_write(struct store *s, int urgent, store_txn_fn fn, void *arg);

/* Runs fn inside a read-only transaction. */
int store_read(struct store *s, store_txn_fn fn, void *arg);

/* Translates an LMDB return code into a GU_* code. */
int store_mdb_rc(int mdb_rc);

/*
 * Big-endian helpers for keys and values.  Inline and written as one
 * expression each: every key of every query goes through them, and as
 * out-of-line byte loops they cost about 50 instructions a call (a
 * fifth of what store_child_file() spends outside LMDB and the record
 * decoder); GCC turns these into one load or store and a bswap.
 */
static inline void
store_put_u64(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t) (v >> 56);
	p[1] = (uint8_t) (v >> 48);
	p[2] = (uint8_t) (v >> 40);
	p[3] = (uint8_t) (v >> 32);
	p[4] = (uint8_t) (v >> 24);
	p[5] = (uint8_t) (v >> 16);
	p[6] = (uint8_t) (v >> 8);
	p[7] = (uint8_t) v;
}

static inline uint64_t
store_get_u64(const uint8_t *p)
{
	return (uint64_t) p[0] << 56 | (uint64_t) p[1] << 48 |
	    (uint64_t) p[2] << 40 | (uint64_t) p[3] << 32 |
	    (uint64_t) p[4] << 24 | (uint64_t) p[5] << 16 |
	    (uint64_t) p[6] << 8 | p[7];
}

static inline void
store_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
}

static inline uint32_t
store_get_u32(const uint8_t *p)
{
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
	    (uint32_t) p[2] << 8 | p[3];
}

/* meta u64 read/write inside a transaction (absent reads as 0). */
int store_meta_u64(
    struct store *s, MDB_txn *txn, const char *key, uint64_t *out);
int store_meta_put_u64(
    struct store *s, MDB_txn *txn, const char *key, uint64_t v);

/* Reads and decodes record seq inside txn. */
int store_txn_get(
    struct store *s, MDB_txn *txn, uint64_t seq, struct record *out);

/* The seq of the void that cancelled seq inside txn, or 0. */
uint64_t store_txn_voided_by(struct store *s, MDB_txn *txn, uint64_t seq);

static inline MDB_val
store_mval(const void *p, size_t n)
{
	MDB_val v;

	v.mv_data = (void *) (uintptr_t) p;
	v.mv_size = n;
	return v;
}

/* Copies n bytes of src to dst as a string, cut to cap - 1. */
void store_copy_str(char *dst, size_t cap, const void *src, size_t n);

/* Formats why (when why_len > 0) and returns GU_EINVAL. */
int store_why(char *why, size_t why_len, const char *fmt, const char *a);

/*
 * The one cursor loop.  Visits the entries of dbi inside txn in the order
 * mode says and calls fn(arg, cursor, key, value) for each:
 *
 *   WALK_FWD        ascending, from the first key >= key (key NULL: all)
 *   WALK_BACK       descending, from the last entry
 *   WALK_DUPS       the values of key (a DUPSORT db), ascending
 *   WALK_DUPS_BACK  the values of key, descending, from the last one below
 *                   val (val NULL: from the last)
 *
 * fn returns 0 to go on, STORE_WALK_STOP to end the walk with GU_OK, or
 * anything else to end it with that value.  The end of the data is GU_OK;
 * any other cursor error is an error (its GU_* code), never a silent end.
 * The cursor may be used by fn for mdb_cursor_put(MDB_CURRENT).  k and v
 * are LMDB's pointers, valid during the call only.
 */
enum store_walk_mode { WALK_FWD, WALK_BACK, WALK_DUPS, WALK_DUPS_BACK };
#define STORE_WALK_STOP INT_MIN
typedef int (*store_walk_fn)(
    void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v);
int store_walk(MDB_txn *txn, MDB_dbi dbi, enum store_walk_mode mode,
    const MDB_val *key, const MDB_val *val, store_walk_fn fn, void *arg);

/* ---- shared by store_index.c, store_query.c, store_check.c ---- */

/* A child's summary (DB_CHILD_STAT). */
struct child_stat {
	int64_t last_contact_ms, last_visit_ms, last_log_ms;
	uint32_t open, urgent, n;
	/* What the tasks need (core/tasks.h), so they cost one read a child. */
	uint32_t next_visit_day; /* YYYYMMDD of the newest visit's next_visit */
	uint32_t review_day;     /* YYYYMMDD of the newest plan's review */
	uint64_t plan_seq;       /* the newest standing plan, 0 */
	uint8_t focus;           /* the newest standing focus record marks */
};
int store_stat_get(
    struct store *s, MDB_txn *txn, const char *child, struct child_stat *st);
int store_stat_rebuild(
    struct store *s, MDB_txn *txn, const char *child, struct child_stat *st);
/* Its bytes on disk (store_index.c says the layout). */
#define STORE_STAT_LEN 53
void store_stat_encode(const struct child_stat *st, uint8_t *b);

/*
 * The child whose file r belongs to (store_index.c's kind table), or ""
 * when r is in no child's file.
 */
int store_index_child(struct store *s, MDB_txn *txn, const struct record *r,
    char out[GU_ID_LEN + 1]);

/* Keys of the attendance indexes; 0 when the key would not fit. */
#define STORE_ATT_KEY_MAX (8 + 64 + 1 + GU_ID_LEN + 8)
size_t store_att_key(uint8_t *kb, size_t cap, uint64_t lecture, const char *cls,
    const char *child);
size_t store_att_child_key(uint8_t *kb, uint64_t lecture, const char *child);

int store_lecture_is_open(struct store *s, MDB_txn *txn, uint64_t seq);
int store_concern_is_open(struct store *s, MDB_txn *txn, uint64_t seq);

/*
 * The roster entities' values (store_roster.c).  The decoders check the
 * value against its layout and reject (GU_ECORRUPT); k is the key (the
 * id).  store_roster_child_get() reads one child by key inside txn.
 */
int store_child_decode(const MDB_val *k, const MDB_val *v, struct child *out);
int store_staff_decode(const MDB_val *k, const MDB_val *v, struct staff *out);
int store_roster_child_get(
    struct store *s, MDB_txn *txn, const MDB_val *key, struct child *out);

/*
 * Encode and write one entity (the newest version).  With c, the entry
 * under the cursor is replaced (MDB_CURRENT); otherwise it is put by key.
 */
int store_child_put(
    struct store *s, MDB_txn *txn, MDB_cursor *c, const struct child *ch);
int store_staff_put(
    struct store *s, MDB_txn *txn, MDB_cursor *c, const struct staff *st);
int store_class_put(struct store *s, MDB_txn *txn, const MDB_val *key,
    const char *grade, uint32_t n_children);
int store_auth_encode_put(struct store *s, MDB_txn *txn, const MDB_val *key,
    const struct staff_auth *a);

/*
 * What store_check() counts while it reads the log, per index, to compare
 * with the indexes' sizes at the end; the kinds' check functions fill it.
 */
struct store_tally {
	uint64_t n_lecture, n_lecture_closed, n_att, n_concern;
};

/*
 * Checks the kind-specific indexes of one standing record (the kind
 * table's check column).  GU_OK, or GU_ECORRUPT with *what set.
 */
int store_kind_check(struct store *s, MDB_txn *txn, const struct record *r,
    struct store_tally *t, const char **what);

#endif
