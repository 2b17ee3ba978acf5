/*
 * fixture.h: a small synthetic school for the tests (header-only, static
 * functions, so each test executable stays one file), made the way a
 * school makes its own: CSV files in tests/data/ through the real roster
 * importer.  Names are invented.
 */
#ifndef GU_FIXTURE_H
#define GU_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "record.h"
#include "roster.h"
#include "status.h"
#include "store.h"

#define FX_TIME 1772409600000LL /* 2026-03-02 00:00 UTC */

static inline void
fx_cpy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

/* A fresh temp dir; the caller removes it with fx_rmdir. */
static inline char *
fx_tmpdir(void)
{
	char tmpl[] = "/tmp/guanai-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : 0;
}

static inline void
fx_rmdir(char *dir)
{
	char cmd[512];

	if (dir == 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(dir);
}

static inline void
fx_roster_err(void *arg, const char *file, unsigned line, const char *msg)
{
	(void) arg;
	fprintf(stderr, "fixture roster: %s:%u: %s\n", file, line, msg);
}

/*
 * The test school, imported through the real importer from
 * tests/data/school-children.csv and school-staff.csv (under $SRCDIR,
 * default the current directory): two mentors (T001, T002), a teacher
 * T003, a head T009; six children in two classes, C001-C003 mentored by
 * T001, C004-C005 by T002, C006 none; categories none, 留守, 困境 in
 * turn.  PINs are hashed at libsodium's lowest cost; every staff member
 * must still choose his own.
 */
static inline int
fx_roster(struct store *s)
{
	static const char *files[2] = {
	    "tests/data/school-children.csv", "tests/data/school-staff.csv"};
	const struct roster_opts opts = {1, 8192, 0, 0};
	const char *dir = getenv("SRCDIR");
	struct roster_src src[2];
	struct csv_error err;
	char path[2][512];
	void *data[2] = {0, 0};
	int rc = GU_OK, i;

	for (i = 0; i < 2 && rc == GU_OK; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/%s",
		    dir != 0 ? dir : ".", files[i]);
		rc = csv_read_file(path[i], 0, &data[i], &src[i].len, &err);
		if (rc != GU_OK)
			fprintf(stderr, "fixture roster: %s: %s\n", path[i],
			    err.msg);
		src[i].name = path[i];
		src[i].data = data[i];
	}
	if (rc == GU_OK)
		rc = roster_import_buf(
		    s, &src[0], &src[1], &opts, fx_roster_err, 0, 0);
	free(data[0]);
	free(data[1]);
	return rc;
}

/* A new store with the fixture roster in a fresh temp dir. */
static inline struct store *
fx_store(char **dir, const struct store_limits *lim)
{
	struct store *s = 0;

	*dir = fx_tmpdir();
	if (*dir == 0)
		return 0;
	if (store_create(*dir, "S001", "云溪区示范小学", "kiosk-01", lim) !=
	    GU_OK)
		return 0;
	if (store_open(&s, *dir, lim) != GU_OK)
		return 0;
	if (fx_roster(s) != GU_OK) {
		store_close(s);
		return 0;
	}
	return s;
}

/* A check-in by T001 about child at t. */
static inline void
fx_checkin(struct record *r, const char *child, int64_t t)
{
	rec_init(r, REC_CHECKIN);
	r->time_ms = t;
	r->tz_min = 480;
	fx_cpy(r->author, sizeof(r->author), "T001");
	rec_set_str(r, F_CHILD, child);
	rec_set_str(r, F_TYPE, "talk");
	rec_set_int(r, F_MOOD, 4);
}

/* A home visit about child on date ("YYYY-MM-DD"): met the grandparent,
 * middling answers, no next visit.  The time and author are the
 * caller's. */
static inline void
fx_visit(struct record *r, const char *child, const char *date)
{
	rec_init(r, REC_VISIT);
	rec_set_str(r, F_CHILD, child);
	rec_set_str(r, F_DATE, date);
	rec_set_str(r, F_MET, "grandparent");
	rec_set_int(r, F_GUARDIANSHIP, 1);
	rec_set_int(r, F_STUDY, 2);
	rec_set_int(r, F_HEALTH, 2);
	rec_set_int(r, F_MOOD, 3);
}

/* A concern (study) about child, not urgent.  The time and author are
 * the caller's. */
static inline void
fx_concern(struct record *r, const char *child)
{
	rec_init(r, REC_CONCERN);
	rec_set_str(r, F_CHILD, child);
	rec_set_add(r, F_CONCERNS, "study");
	rec_set_int(r, F_URGENT, 0);
}

#ifdef fail_msg /* with cmocka (the benches include this file without) */
/* Appends r to s at t (UTC+8) by author; the test fails on a refusal.
 * Returns the record's seq. */
static inline uint64_t
fx_put(struct store *s, struct record *r, int64_t t, const char *author)
{
	char why[256];

	r->time_ms = t;
	r->tz_min = 480;
	fx_cpy(r->author, sizeof(r->author), author);
	if (store_append(s, r, why, sizeof(why)) != GU_OK)
		fail_msg("append: %s", why);
	return r->seq;
}
#endif

#endif
