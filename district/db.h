/*
 * db.h: guanai-district's PostgreSQL (docs/district.md, "Schema"); the
 * only user of libpq.  One batch is one transaction:
 * db_batch_begin(), db_batch_line() for each record line,
 * db_batch_end() (or db_batch_abort()).
 */
#ifndef GU_DISTRICT_DB_H
#define GU_DISTRICT_DB_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"

struct db;

/* Connects and makes the schema if missing.  why on failure. */
int db_open(const char *conninfo, struct db **out, char *why, size_t why_len);
void db_close(struct db *d);

/* 1 if a batch of this name is loaded, 0 if not, <0 on error. */
int db_have_batch(struct db *d, const char *name);

/* 1 if (name, sha256 hex) is quarantined and not resolved. */
int db_quarantined(struct db *d, const char *name, const char *sha_hex);

/*
 * Starts the batch h (its file name, sealed or not, the file's mtime):
 * upserts the school and the device, checks the chain against the
 * batches loaded, inserts the batch row, opens the COPY of its lines.
 * GU_OK; GU_EEXIST (the same batch is loaded: nothing to do, nothing
 * open); GU_ECORRUPT (why: the chain, another batch under the number);
 * GU_EIO (the database; why).
 */
int db_batch_begin(struct db *d, const struct batch_head *h, const char *name,
    int sealed, int64_t mtime, char *why, size_t why_len);

/* One record line (with its '\n'). */
int db_batch_line(struct db *d, const char *line, size_t len);

/*
 * Ends the COPY, moves the lines into records, checks that every one was
 * new (n of them), commits.  GU_OK, GU_ECORRUPT (overlap; rolled back),
 * GU_EIO.
 */
int db_batch_end(struct db *d, uint32_t n, char *why, size_t why_len);

/* Rolls back an open batch (nothing if none). */
void db_batch_abort(struct db *d);

/* Quarantines a file (or marks it seen again). */
int db_quarantine(struct db *d, const char *name, const char *sha_hex,
    const char *school, const char *device, const char *reason);

/*
 * Runs a read-only query with n text parameters and hands each row (its
 * columns as strings, NULL for SQL NULL) to fn; nonzero from fn stops.
 * GU_OK or GU_EIO (why).
 */
typedef int (*db_row_fn)(void *arg, int ncol, const char *const *col);
int db_rows(struct db *d, const char *sql, int n, const char *const *v,
    db_row_fn fn, void *arg, char *why, size_t why_len);

/* Runs a command (BEGIN, COMMIT, an INSERT): GU_OK or GU_EIO (why). */
int db_exec(struct db *d, const char *sql, int n, const char *const *v,
    char *why, size_t why_len);

#endif
