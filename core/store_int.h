/*
 * store_int.h: the inside of the store, shared by the files that make it
 * up (store.c: log, indexes, roster; store_sync.c: batches and the upload
 * cursor).  Only core/store*.c include this header, and so only they see
 * <lmdb.h>.
 *
 * Sub-databases (keys and values; u64 and u32 are big-endian):
 *
 *   meta        "school_id", "school_name", "device", "epoch" (u64),
 *               "format" (u32), "last_seq" (u64), "acked_seq" (u64)
 *   log         seq (u64) -> encoded record (record.h)
 *   by_child    child id -> seq (u64), DUPSORT|DUPFIXED: the child's file
 *   voided      target seq (u64) -> void seq (u64)
 *   counts      kind (1) + day (u32 YYYYMMDD) -> count (u64)
 *   child_stat  child id -> struct child_stat_disk (store.c)
 *   lecture     lecture seq (u64) -> open (1 byte: 1 open, 0 closed)
 *   att         lecture seq (u64) + class name + 0 + child id -> seq (u64)
 *   att_child   lecture seq (u64) + child id -> seq (u64)
 *   concern     concern seq (u64) -> child id: open concerns
 *   children    child id -> struct child (roster, fixed layout)
 *   staff       staff id -> struct staff
 *   class       class name -> grade + 0 + count (u32)
 *   class_child class name -> child id, DUPSORT
 *   mentor_child mentor id -> child id, DUPSORT
 *   auth        staff id -> struct staff_auth
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
	int clock_synced; /* store_set_clock_synced() */
};

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

/* Big-endian helpers for keys. */
void store_put_u64(uint8_t *p, uint64_t v);
uint64_t store_get_u64(const uint8_t *p);
void store_put_u32(uint8_t *p, uint32_t v);
uint32_t store_get_u32(const uint8_t *p);

/* meta u64 read/write inside a transaction (absent reads as 0). */
int store_meta_u64(
    struct store *s, MDB_txn *txn, const char *key, uint64_t *out);
int store_meta_put_u64(
    struct store *s, MDB_txn *txn, const char *key, uint64_t v);

/* Reads and decodes record seq inside txn. */
int store_txn_get(
    struct store *s, MDB_txn *txn, uint64_t seq, struct record *out);

#endif
