/*
 * test_doubt.c: a device clock that lies (issue 10 item 11), with the
 * time injected: records whose time is implausible are kept but flagged
 * and never become a child's last contact or last visit; a PIN lock set
 * before the clock went back lasts at most the longest lock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "staff_auth.h"

#define DAY (24LL * 3600 * 1000)
#define YEAR (365 * DAY)

static void
visit(struct record *r, const char *child, int64_t t)
{
	rec_init(r, REC_VISIT);
	r->time_ms = t;
	r->tz_min = 480;
	fx_cpy(r->author, sizeof(r->author), "T001");
	rec_set_str(r, F_CHILD, child);
	rec_set_str(r, F_DATE, "2026-03-02");
	rec_set_str(r, F_MET, "grandparent");
	rec_set_int(r, F_GUARDIANSHIP, 1);
	rec_set_int(r, F_STUDY, 2);
	rec_set_int(r, F_HEALTH, 3);
	rec_set_int(r, F_MOOD, 4);
}

static void
future_and_past_do_not_count(void **state)
{
	struct child_summary cs;
	struct record r, got;
	struct store *s;
	char *dir = 0, why[256];
	uint64_t late, early, ok;

	(void) state;
	s = fx_store(&dir, 0);
	assert_non_null(s);
	/* A synced clock says it is FX_TIME. */
	store_set_clock_synced(s, 1);
	fx_checkin(&r, "C001", FX_TIME);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	assert_false(r.flags & REC_FLAG_TIME_DOUBT);
	visit(&r, "C001", FX_TIME - DAY);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	store_set_clock_synced(s, 0);

	/* Then the clock jumps to 2037 (the sync is lost). */
	fx_checkin(&r, "C001", FX_TIME + 11 * YEAR);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	late = r.seq;
	visit(&r, "C001", FX_TIME + 11 * YEAR);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	/* ... or falls back to 2001 (a flat clock battery). */
	fx_checkin(&r, "C001", 978307200000LL);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	early = r.seq;
	/* Half a day ahead of the last synced time is plausible. */
	fx_checkin(&r, "C002", FX_TIME + DAY / 2);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	ok = r.seq;

	/* Kept, with their times, flagged. */
	assert_int_equal(store_get(s, late, &got), GU_OK);
	assert_int_equal(got.time_ms, FX_TIME + 11 * YEAR);
	assert_true(got.flags & REC_FLAG_TIME_DOUBT);
	assert_int_equal(store_get(s, early, &got), GU_OK);
	assert_true(got.flags & REC_FLAG_TIME_DOUBT);
	assert_int_equal(store_get(s, ok, &got), GU_OK);
	assert_false(got.flags & REC_FLAG_TIME_DOUBT);

	/* The summaries go by the plausible ones only. */
	assert_int_equal(store_child_summary(s, "C001", &cs), GU_OK);
	assert_int_equal(cs.last_contact_ms, FX_TIME);
	assert_int_equal(cs.last_visit_ms, FX_TIME - DAY);
	assert_int_equal(cs.n_records, 5);
	assert_int_equal(store_child_summary(s, "C002", &cs), GU_OK);
	assert_int_equal(cs.last_contact_ms, FX_TIME + DAY / 2);

	/* A caller cannot set or clear the flag: the store decides. */
	fx_checkin(&r, "C003", FX_TIME);
	r.flags |= REC_FLAG_TIME_DOUBT;
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	assert_false(r.flags & REC_FLAG_TIME_DOUBT);
	assert_int_equal(store_child_summary(s, "C003", &cs), GU_OK);
	assert_int_equal(cs.last_contact_ms, FX_TIME);

	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
	fx_rmdir(dir);
}

/* The floor is injectable (store_set_time_floor). */
static void
floor_injected(void **state)
{
	struct child_summary cs;
	struct record r;
	struct store *s;
	char *dir = 0, why[256];

	(void) state;
	s = fx_store(&dir, 0);
	assert_non_null(s);
	store_set_time_floor(s, FX_TIME + 10 * DAY);
	fx_checkin(&r, "C004", FX_TIME);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	assert_true(r.flags & REC_FLAG_TIME_DOUBT);
	fx_checkin(&r, "C004", FX_TIME + 11 * DAY);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	assert_false(r.flags & REC_FLAG_TIME_DOUBT);
	assert_int_equal(store_child_summary(s, "C004", &cs), GU_OK);
	assert_int_equal(cs.last_contact_ms, FX_TIME + 11 * DAY);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
	fx_rmdir(dir);
}

/* A lock made before the clock went back a year ends within 15 min. */
static void
pin_lock_capped(void **state)
{
	struct auth_policy p;
	struct auth_session sess;
	struct store *s;
	char *dir = 0;
	int64_t until = 0, now = FX_TIME, back;
	int rc;

	(void) state;
	s = fx_store(&dir, 0);
	assert_non_null(s);
	auth_policy_default(&p);
	/* The fixture's PIN hashes never verify: every try is wrong. */
	do {
		rc = auth_signin(s, &p, now, "T001", "0000", &sess, &until);
		now += 1000;
	} while (rc == GU_EAUTH && until == 0);
	assert_int_equal(rc, GU_EAUTH);
	assert_true(until > FX_TIME);

	back = now - YEAR;
	rc = auth_signin(s, &p, back, "T001", "0000", &sess, &until);
	assert_int_equal(rc, GU_ELOCKED);
	assert_true(until <= back + p.max_delay_ms);
	/* After the longest lock, a try is a try again. */
	rc = auth_signin(
	    s, &p, back + p.max_delay_ms + 1, "T001", "0000", &sess, &until);
	assert_int_equal(rc, GU_EAUTH);
	store_close(s);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(future_and_past_do_not_count),
	    cmocka_unit_test(floor_injected),
	    cmocka_unit_test(pin_lock_capped),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
