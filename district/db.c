/*
 * db.c: the district database through libpq (db.h).
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "status.h"

#define COPY_BUF (256 * 1024)

struct db {
	PGconn *c;
	int open;    /* a batch transaction is open */
	int copying; /* its COPY is open */
	char *buf;   /* lines on their way to the COPY, escaped */
	size_t used;
	char school[GU_ID_LEN + 1], device[GU_ID_LEN + 1], epoch[17];
	char name[256];
};

static const char *const schema[] = {
    "SET client_min_messages = warning",
    "CREATE TABLE IF NOT EXISTS guanai_schema (version int NOT NULL)",
    "INSERT INTO guanai_schema SELECT 1 WHERE NOT EXISTS "
    "(SELECT 1 FROM guanai_schema)",
    "CREATE TABLE IF NOT EXISTS schools (school text PRIMARY KEY, "
    "first_upload timestamptz, last_upload timestamptz)",
    "CREATE TABLE IF NOT EXISTS devices (school text NOT NULL, "
    "device text NOT NULL, key text NOT NULL, last_upload timestamptz, "
    "PRIMARY KEY (school, device))",
    "CREATE TABLE IF NOT EXISTS batches (school text NOT NULL, "
    "device text NOT NULL, epoch text NOT NULL, urgent bool NOT NULL, "
    "number bigint NOT NULL, first_seq bigint NOT NULL, "
    "last_seq bigint NOT NULL, records int NOT NULL, "
    "name text NOT NULL UNIQUE, sha256 text NOT NULL, prev text NOT NULL, "
    "sealed bool NOT NULL, format int NOT NULL, uploaded timestamptz, "
    "loaded timestamptz NOT NULL DEFAULT now(), "
    "PRIMARY KEY (school, device, epoch, urgent, number))",
    "CREATE TABLE IF NOT EXISTS records (school text NOT NULL, "
    "device text NOT NULL, epoch text NOT NULL, seq bigint NOT NULL, "
    "kind text NOT NULL, time timestamptz, child text, author text, "
    "doc jsonb NOT NULL, PRIMARY KEY (school, device, epoch, seq))",
    "CREATE INDEX IF NOT EXISTS records_kind ON records (school, kind, "
    "time)",
    "CREATE INDEX IF NOT EXISTS records_void ON records (school, device, "
    "epoch, ((doc->>'target')::bigint)) WHERE kind = 'void'",
    "CREATE INDEX IF NOT EXISTS records_followup ON records (school, "
    "device, epoch, ((doc->>'concern')::bigint)) WHERE kind = "
    "'followup'",
    "CREATE TABLE IF NOT EXISTS quarantine (name text NOT NULL, "
    "sha256 text NOT NULL, school text, device text, reason text NOT NULL, "
    "first_seen timestamptz NOT NULL DEFAULT now(), "
    "last_seen timestamptz NOT NULL DEFAULT now(), "
    "resolved bool NOT NULL DEFAULT false, PRIMARY KEY (name, sha256))",
    "CREATE OR REPLACE VIEW records_live AS SELECT r.* FROM records r "
    "WHERE r.kind <> 'void' AND NOT EXISTS (SELECT 1 FROM records v "
    "WHERE v.school = r.school AND v.device = r.device AND "
    "v.epoch = r.epoch AND v.kind = 'void' AND "
    "(v.doc->>'target')::bigint = r.seq)",
    "CREATE OR REPLACE VIEW urgent_open AS SELECT c.* FROM records_live c "
    "WHERE c.kind = 'concern' AND coalesce((c.doc->>'urgent')::bool, "
    "false) AND NOT EXISTS (SELECT 1 FROM records_live f WHERE "
    "f.school = c.school AND f.device = c.device AND f.epoch = c.epoch "
    "AND f.kind = 'followup' AND (f.doc->>'concern')::bigint = c.seq AND "
    "coalesce((f.doc->>'closes')::bool, false))",
    /* Schema version 2: the district's acknowledgements (issue 15). */
    "CREATE TABLE IF NOT EXISTS acks (id bigserial PRIMARY KEY, "
    "school text NOT NULL, device text NOT NULL, epoch text NOT NULL, "
    "seq bigint NOT NULL, by text NOT NULL, "
    "at timestamptz NOT NULL DEFAULT now(), outcome text NOT NULL "
    "CHECK (outcome IN ('received', 'police', 'civil', 'handled')), "
    "note text NOT NULL DEFAULT '', FOREIGN KEY (school, device, epoch, "
    "seq) REFERENCES records)",
    "CREATE INDEX IF NOT EXISTS acks_concern ON acks (school, device, "
    "epoch, seq)",
    "UPDATE guanai_schema SET version = 2 WHERE version < 2",
    /* Schema version 3: the roster as each school last sent it. */
    "CREATE TABLE IF NOT EXISTS roster_files (school text PRIMARY KEY, "
    "sha256 text NOT NULL, loaded timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS roster_children (school text NOT NULL, "
    "child text NOT NULL, name text NOT NULL, class text NOT NULL, "
    "categories int NOT NULL, mentor text NOT NULL, "
    "PRIMARY KEY (school, child))",
    "CREATE TABLE IF NOT EXISTS roster_staff (school text NOT NULL, "
    "staff text NOT NULL, name text NOT NULL, roles int NOT NULL, "
    "PRIMARY KEY (school, staff))",
    "UPDATE guanai_schema SET version = 3 WHERE version < 3",
};

static int
say_err(struct db *d, PGresult *r, const char *what, char *why, size_t why_len)
{
	const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(d->c);

	snprintf(why, why_len, "database: %s: %.*s", what,
	    (int) strcspn(m, "\n"), m);
	return GU_EIO;
}

/* Runs a command without rows; GU_OK or GU_EIO with why. */
static int
run(struct db *d, const char *sql, int n, const char *const *v, char *why,
    size_t why_len)
{
	PGresult *r = PQexecParams(d->c, sql, n, NULL, v, NULL, NULL, 0);
	int rc = GU_OK;
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = say_err(d, r, sql, why, why_len);
	PQclear(r);
	return rc;
}

/* The first column of the first row into out ("" if no row); 1 row, 0. */
static int
one(struct db *d, const char *sql, int n, const char *const *v, char *out,
    size_t cap, char *why, size_t why_len)
{
	PGresult *r = PQexecParams(d->c, sql, n, NULL, v, NULL, NULL, 0);
	int rc;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = say_err(d, r, sql, why, why_len);
		PQclear(r);
		return -rc;
	}
	rc = PQntuples(r) > 0;
	if (out != NULL)
		snprintf(out, cap, "%s", rc ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return rc;
}

int
db_open(const char *conninfo, struct db **out, char *why, size_t why_len)
{
	struct db *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (d == NULL)
		return GU_ENOMEM;
	d->buf = malloc(COPY_BUF + 10 * 70000);
	d->c = PQconnectdb(conninfo);
	if (d->buf == NULL || PQstatus(d->c) != CONNECTION_OK) {
		say_err(d, NULL, "connect", why, why_len);
		db_close(d);
		return GU_EIO;
	}
	for (size_t i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if (run(d, schema[i], 0, NULL, why, why_len) != GU_OK) {
			db_close(d);
			return GU_EIO;
		}
	*out = d;
	return GU_OK;
}

void
db_close(struct db *d)
{
	if (d == NULL)
		return;
	db_batch_abort(d);
	PQfinish(d->c);
	free(d->buf);
	free(d);
}

int
db_have_batch(struct db *d, const char *name)
{
	const char *v[1] = {name};
	char why[200];

	return one(d, "SELECT 1 FROM batches WHERE name = $1", 1, v, NULL, 0,
	    why, sizeof(why));
}

int
db_quarantined(struct db *d, const char *name, const char *sha_hex)
{
	const char *v[2] = {name, sha_hex};
	char why[200];

	return one(d,
	    "SELECT 1 FROM quarantine WHERE name = $1 AND sha256 = $2 AND "
	    "NOT resolved",
	    2, v, NULL, 0, why, sizeof(why));
}

static void
hex32(const uint8_t *h, char *out)
{
	batch_hex(h, out);
}

int
db_batch_begin(struct db *d, const struct batch_head *h, const char *name,
    int sealed, int64_t mtime, char *why, size_t why_len)
{
	char num[24], nm1[24], np1[24], first[24], last[24], recs[24], up[24];
	char sha[65], prev[65], key[65], got[80], fmt[8];
	const char *urg = h->urgent ? "t" : "f";
	PGresult *r;
	int rc;

	snprintf(d->school, sizeof(d->school), "%s", h->school);
	snprintf(d->device, sizeof(d->device), "%s", h->device);
	snprintf(d->epoch, sizeof(d->epoch), "%016" PRIx64, h->epoch);
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(num, sizeof(num), "%" PRIu64, h->id);
	snprintf(nm1, sizeof(nm1), "%" PRIu64, h->id - 1);
	snprintf(np1, sizeof(np1), "%" PRIu64, h->id + 1);
	snprintf(first, sizeof(first), "%" PRIu64, h->first_seq);
	snprintf(last, sizeof(last), "%" PRIu64, h->last_seq);
	snprintf(recs, sizeof(recs), "%" PRIu32, h->n_records);
	snprintf(up, sizeof(up), "%" PRId64, mtime);
	snprintf(fmt, sizeof(fmt), "%d", sealed ? 3 : h->version);
	hex32(h->sha256, sha);
	hex32(h->prev, prev);
	hex32(h->key, key);
	rc = run(d, "BEGIN", 0, NULL, why, why_len);
	if (rc != GU_OK)
		return rc;
	d->open = 1;
	{
		const char *v[] = {d->school, d->device, d->epoch, urg, num};

		rc = one(d,
		    "SELECT sha256 FROM batches WHERE school = $1 AND "
		    "device = $2 AND epoch = $3 AND urgent = $4 AND "
		    "number = $5",
		    5, v, got, sizeof(got), why, why_len);
		if (rc < 0)
			goto fail_io;
		if (rc == 1) {
			db_batch_abort(d);
			if (strcmp(got, sha) == 0)
				return GU_EEXIST;
			snprintf(why, why_len,
			    "another batch is loaded as %s batch %s of this "
			    "device",
			    h->urgent ? "urgent" : "regular", num);
			return GU_ECORRUPT;
		}
		v[4] = nm1;
		rc = h->id > 1 ? one(d,
		                     "SELECT sha256 FROM batches WHERE school "
		                     "= $1 AND device = $2 AND epoch = $3 AND "
		                     "urgent = $4 AND number = $5",
		                     5, v, got, sizeof(got), why, why_len)
		               : 0;
		if (rc < 0)
			goto fail_io;
		if ((rc == 1 && strcmp(got, prev) != 0) ||
		    (h->id == 1 && strspn(prev, "0") != 2 * SYNC_HASH_LEN)) {
			db_batch_abort(d);
			snprintf(why, why_len,
			    "chain: prev is not the sha256 of batch %s", nm1);
			return GU_ECORRUPT;
		}
		v[4] = np1;
		rc = one(d,
		    "SELECT prev FROM batches WHERE school = $1 AND device = "
		    "$2 AND epoch = $3 AND urgent = $4 AND number = $5",
		    5, v, got, sizeof(got), why, why_len);
		if (rc < 0)
			goto fail_io;
		if (rc == 1 && strcmp(got, sha) != 0) {
			db_batch_abort(d);
			snprintf(why, why_len,
			    "chain: batch %s loaded before names another prev",
			    np1);
			return GU_ECORRUPT;
		}
	}
	{
		const char *v[] = {d->school, up};

		rc = run(d,
		    "INSERT INTO schools VALUES ($1, to_timestamp($2), "
		    "to_timestamp($2)) ON CONFLICT (school) DO UPDATE SET "
		    "first_upload = least(schools.first_upload, "
		    "excluded.first_upload), last_upload = "
		    "greatest(schools.last_upload, excluded.last_upload)",
		    2, v, why, why_len);
		if (rc != GU_OK)
			goto fail_io;
	}
	{
		const char *v[] = {d->school, d->device, key, up};

		rc = run(d,
		    "INSERT INTO devices VALUES ($1, $2, $3, to_timestamp($4)) "
		    "ON CONFLICT (school, device) DO UPDATE SET key = "
		    "excluded.key, last_upload = greatest(devices.last_upload, "
		    "excluded.last_upload)",
		    4, v, why, why_len);
		if (rc != GU_OK)
			goto fail_io;
	}
	{
		const char *v[] = {d->school, d->device, d->epoch, urg, num,
		    first, last, recs, name, sha, prev, sealed ? "t" : "f", fmt,
		    up};

		rc = run(d,
		    "INSERT INTO batches VALUES ($1, $2, $3, $4, $5, $6, $7, "
		    "$8, $9, $10, $11, $12, $13, to_timestamp($14))",
		    14, v, why, why_len);
		if (rc != GU_OK)
			goto fail_io;
	}
	r = PQexec(d->c, "COPY records FROM STDIN");
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		say_err(d, r, "COPY", why, why_len);
		PQclear(r);
		goto fail_io;
	}
	PQclear(r);
	d->copying = 1;
	d->used = 0;
	return GU_OK;
fail_io:
	db_batch_abort(d);
	return GU_EIO;
}

static int
flush(struct db *d)
{
	if (d->used > 0 && PQputCopyData(d->c, d->buf, (int) d->used) != 1)
		return GU_EIO;
	d->used = 0;
	return GU_OK;
}

/* Appends n bytes of s to the COPY buffer, a backslash twice. */
static void
put(struct db *d, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			d->buf[d->used++] = '\\';
		d->buf[d->used++] = s[i];
	}
}

/*
 * The value of a top-level key in a record line as json_record() writes
 * it (",\"key\":" then a string or a number): a quote that is not
 * escaped only appears in the line's structure, so the pattern cannot
 * match inside a string value.  *n its length, NULL if absent.
 */
static const char *
field(const char *line, size_t len, const char *key, int str, size_t *n)
{
	char pat[40];
	const char *p, *e, *end = line + len;
	size_t pl;

	pl = (size_t) snprintf(
	    pat, sizeof(pat), ",\"%s\":%s", key, str ? "\"" : "");
	p = memmem(line, len, pat, pl);
	if (p == NULL)
		return NULL;
	p += pl;
	for (e = p; e < end && (str ? *e != '"' : (*e != ',' && *e != '}'));
	     e++)
		if (str && *e == '\\')
			return NULL; /* an escape: not a plain id */
	if (e >= end)
		return NULL;
	*n = (size_t) (e - p);
	return p;
}

int
db_batch_line(struct db *d, const char *line, size_t len)
{
	static const char *const cols[] = {"kind", "time", "child", "author"};
	uint64_t seq;
	char num[24];
	size_t n = 0;
	const char *v;

	/*
	 * COPY text, one row: school, device, epoch, seq, kind, time, child,
	 * author, doc; JSON has no raw tab or newline (batch.c refuses
	 * control bytes), a backslash is doubled.
	 */
	if (batch_line_seq(line, len, &seq) != GU_OK)
		return GU_ECORRUPT;
	put(d, d->school, strlen(d->school));
	d->buf[d->used++] = '\t';
	put(d, d->device, strlen(d->device));
	d->buf[d->used++] = '\t';
	put(d, d->epoch, strlen(d->epoch));
	d->buf[d->used++] = '\t';
	put(d, num, (size_t) snprintf(num, sizeof(num), "%" PRIu64, seq));
	for (size_t i = 0; i < sizeof(cols) / sizeof(*cols); i++) {
		d->buf[d->used++] = '\t';
		v = field(line, len, cols[i], 1, &n);
		if (v != NULL)
			put(d, v, n);
		else
			put(d, "\\N", 2);
	}
	d->buf[d->used++] = '\t';
	put(d, line, len);
	if (d->used >= COPY_BUF)
		return flush(d);
	return GU_OK;
}

int
db_batch_end(struct db *d, uint32_t n, char *why, size_t why_len)
{
	PGresult *r;
	int rc;

	if (flush(d) != GU_OK || PQputCopyEnd(d->c, NULL) != 1) {
		say_err(d, NULL, "COPY", why, why_len);
		db_batch_abort(d);
		return GU_EIO;
	}
	d->copying = 0;
	r = PQgetResult(d->c);
	rc = GU_OK;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);

		rc = say_err(d, r, "COPY", why, why_len);
		if (st != NULL && strcmp(st, "23505") == 0) {
			snprintf(why, why_len,
			    "records already loaded from another batch "
			    "(overlapping batches)");
			rc = GU_ECORRUPT;
		}
	} else if (strtoul(PQcmdTuples(r), NULL, 10) != n) {
		snprintf(why, why_len, "%s of %" PRIu32 " records copied",
		    PQcmdTuples(r), n);
		rc = GU_ECORRUPT;
	}
	PQclear(r);
	while ((r = PQgetResult(d->c)) != NULL)
		PQclear(r);
	if (rc != GU_OK) {
		db_batch_abort(d);
		return rc;
	}
	{
		const char *q[] = {d->name};

		rc = run(d,
		    "UPDATE quarantine SET resolved = true WHERE name = $1", 1,
		    q, why, why_len);
	}
	if (rc == GU_OK)
		rc = run(d, "COMMIT", 0, NULL, why, why_len);
	d->open = 0;
	return rc;
}

void
db_batch_abort(struct db *d)
{
	PGresult *r;
	char why[200];

	if (d->copying) {
		(void) PQputCopyEnd(d->c, "aborted");
		while ((r = PQgetResult(d->c)) != NULL)
			PQclear(r);
		d->copying = 0;
	}
	if (d->open)
		(void) run(d, "ROLLBACK", 0, NULL, why, sizeof(why));
	d->open = 0;
}

int
db_quarantine(struct db *d, const char *name, const char *sha_hex,
    const char *school, const char *device, const char *reason)
{
	const char *v[] = {name, sha_hex, school[0] ? school : NULL,
	    device[0] ? device : NULL, reason};
	char why[200];

	return run(d,
	    "INSERT INTO quarantine (name, sha256, school, device, reason) "
	    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name, sha256) DO "
	    "UPDATE SET last_seen = now(), reason = excluded.reason",
	    5, v, why, sizeof(why));
}

int
db_exec(struct db *d, const char *sql, int n, const char *const *v, char *why,
    size_t why_len)
{
	return run(d, sql, n, v, why, why_len);
}

int
db_rows(struct db *d, const char *sql, int n, const char *const *v,
    db_row_fn fn, void *arg, char *why, size_t why_len)
{
	PGresult *r = PQexecParams(d->c, sql, n, NULL, v, NULL, NULL, 0);
	const char *col[32];
	int rc = GU_OK, nc;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = say_err(d, r, sql, why, why_len);
		PQclear(r);
		return rc;
	}
	nc = PQnfields(r);
	if (nc > 32)
		nc = 32;
	for (int i = 0; i < PQntuples(r) && rc == GU_OK; i++) {
		for (int j = 0; j < nc; j++)
			col[j] =
			    PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
		if (fn(arg, nc, col) != 0) {
			snprintf(why, why_len, "a row was refused");
			rc = GU_EIO;
		}
	}
	PQclear(r);
	return rc;
}
