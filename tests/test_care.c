/*
 * test_care.c: staff sign-in (wrong PINs, the growing lock, the forced
 * first PIN change, the audit records) and the mentor's home (sorted by
 * need, privacy, the file-view audit, confirmation by the child).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "care.h"
#include "fixture.h"
#include "pin.h"
#include "roster.h"
#include "staff_auth.h"

#define DAY 86400000LL

struct fx {
	char *dir;
	struct store *s;
	struct auth_policy ap;
	struct care_policy cp;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char hash[PIN_HASH_LEN];

	f->s = fx_store(&f->dir, 0);
	assert_non_null(f->s);
	auth_policy_default(&f->ap);
	f->ap.opslimit = 1;
	f->ap.memlimit = 8192;
	care_policy_default(&f->cp);
	/* T001 chose 2468; T009 (head) still has the initial 1357. */
	assert_int_equal(pin_hash("2468", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(f->s, "T001", hash), GU_OK);
	assert_int_equal(pin_hash("1357", hash, 1, 8192), GU_OK);
	struct staff st;
	store_staff_get(f->s, "T009", &st);
	/* Put the initial hash back through a roster-like path. */
	assert_int_equal(store_staff_set_pin(f->s, "T009", hash), GU_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char why[256];

	assert_int_equal(store_check(f->s, why, sizeof(why)), GU_OK);
	store_close(f->s);
	fx_rmdir(f->dir);
	free(f);
	return 0;
}

static int
count_auth(void *arg, const struct record *r, uint64_t v)
{
	char *out = arg;
	size_t n = strlen(out);

	(void) v;
	if (r->kind == REC_AUTH)
		snprintf(
		    out + n, 512 - n, "%s:%s ", r->author, rec_str(r, F_EVENT));
	return 0;
}

static void
wrong_pins_lock_with_growing_delay(void **state)
{
	struct fx *f = *state;
	struct auth_session ses;
	int64_t until, t = FX_TIME;
	char log[512] = "";

	for (int i = 0; i < 2; i++)
		assert_int_equal(
		    auth_signin(f->s, &f->ap, t, "T001", "0000", &ses, &until),
		    GU_EAUTH);
	assert_int_equal(until, 0);
	/* The third wrong PIN locks for 30 s. */
	assert_int_equal(
	    auth_signin(f->s, &f->ap, t, "T001", "0000", &ses, &until),
	    GU_EAUTH);
	assert_int_equal(until, t + 30000);
	/* Even the right PIN is refused during the lock. */
	assert_int_equal(
	    auth_signin(f->s, &f->ap, t + 1000, "T001", "2468", &ses, &until),
	    GU_ELOCKED);
	assert_int_equal(until, t + 30000);
	/* The lock survives a restart: it is in the store. */
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->dir, 0), GU_OK);
	assert_int_equal(
	    auth_signin(f->s, &f->ap, t + 2000, "T001", "2468", &ses, &until),
	    GU_ELOCKED);
	/* The next wrong one doubles it. */
	assert_int_equal(
	    auth_signin(f->s, &f->ap, t + 31000, "T001", "1111", &ses, &until),
	    GU_EAUTH);
	assert_int_equal(until, t + 31000 + 60000);
	/* After it, the right PIN works and resets the count. */
	assert_int_equal(
	    auth_signin(f->s, &f->ap, t + 92000, "T001", "2468", &ses, &until),
	    GU_OK);
	assert_string_equal(ses.staff_id, "T001");
	assert_int_equal(ses.must_change_pin, 0);
	struct staff_auth a;
	store_auth_get(f->s, "T001", &a);
	assert_int_equal(a.failures, 0);
	assert_int_equal(auth_signout(f->s, &f->ap, t + 99000, &ses, 1), GU_OK);
	store_log_walk(f->s, 1, count_auth, log);
	assert_string_equal(log,
	    "T001:pin_wrong T001:pin_wrong "
	    "T001:pin_locked T001:pin_locked "
	    "T001:signin T001:timeout ");
	assert_int_equal(
	    auth_signin(f->s, &f->ap, t, "T404", "2468", &ses, &until),
	    GU_ENOTFOUND);
}

static void
first_signin_forces_pin_change(void **state)
{
	struct fx *f = *state;
	struct auth_session ses;
	struct roster_opts ro = {1, 8192, 0, 0};
	const char *why;
	static const char kids[] = "学籍号,姓名,班级,成长导师工号\n"
	                           "C001,王小明,三年级1班,T001\n";
	static const char staff[] = "工号,姓名,角色,初始PIN\n"
	                            "T001,赵老师,导师,1111\n"
	                            "T003,孙老师,班主任,5555\n";
	struct roster_src kc = {"children.csv", kids, sizeof(kids) - 1};
	struct roster_src sc = {"staff.csv", staff, sizeof(staff) - 1};

	/* A fresh import: T003 has only the initial PIN. */
	assert_int_equal(
	    roster_import_buf(f->s, &kc, &sc, &ro, 0, 0, 0), GU_OK);
	assert_int_equal(
	    auth_signin(f->s, &f->ap, FX_TIME, "T003", "5555", &ses, 0), GU_OK);
	assert_int_equal(ses.must_change_pin, 1);
	/* Until the PIN is changed, no child's file is visible. */
	assert_false(care_may_see(f->s, &ses, "C001"));
	assert_int_equal(auth_change_pin(f->s, &f->ap, FX_TIME, &ses, "5555",
	                     "1234", "1243", &why),
	    GU_EINVAL);
	assert_string_equal(why, "mismatch");
	assert_int_equal(auth_change_pin(f->s, &f->ap, FX_TIME, &ses, "5555",
	                     "12", "12", &why),
	    GU_EINVAL);
	assert_string_equal(why, "format");
	assert_int_equal(auth_change_pin(f->s, &f->ap, FX_TIME, &ses, "5555",
	                     "5555", "5555", &why),
	    GU_EINVAL);
	assert_string_equal(why, "same");
	assert_int_equal(auth_change_pin(f->s, &f->ap, FX_TIME, &ses, "5555",
	                     "8642", "8642", &why),
	    GU_OK);
	assert_int_equal(ses.must_change_pin, 0);
	assert_int_equal(
	    auth_signin(f->s, &f->ap, FX_TIME, "T003", "5555", &ses, 0),
	    GU_EAUTH);
	assert_int_equal(
	    auth_signin(f->s, &f->ap, FX_TIME, "T003", "8642", &ses, 0), GU_OK);
	assert_int_equal(ses.must_change_pin, 0);
	/* T001 had chosen his PIN before: the re-import kept it. */
	assert_int_equal(
	    auth_signin(f->s, &f->ap, FX_TIME, "T001", "2468", &ses, 0), GU_OK);
}

static void
mentor_home_sorted_by_need(void **state)
{
	struct fx *f = *state;
	struct auth_session ses;
	struct care_row rows[8];
	struct record r;
	char why[256];
	size_t n;
	int64_t now = FX_TIME + 30 * DAY;

	assert_int_equal(
	    auth_signin(f->s, &f->ap, now, "T001", "2468", &ses, 0), GU_OK);
	/* C001 seen yesterday, visited this term: fine. */
	fx_checkin(&r, "C001", now - DAY);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_OK);
	rec_init(&r, REC_VISIT);
	r.time_ms = now - 2 * DAY;
	r.tz_min = 480;
	fx_cpy(r.author, sizeof(r.author), "T001");
	rec_set_str(&r, F_CHILD, "C001");
	rec_set_str(&r, F_DATE, "2026-03-30");
	rec_set_str(&r, F_MET, "grandparent");
	rec_set_int(&r, F_GUARDIANSHIP, 1);
	rec_set_int(&r, F_STUDY, 2);
	rec_set_int(&r, F_HEALTH, 2);
	rec_set_int(&r, F_MOOD, 3);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_OK);
	/* C002 seen 20 days ago: overdue. */
	fx_checkin(&r, "C002", now - 20 * DAY);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_OK);
	/* C003 seen today but with an open urgent concern. */
	fx_checkin(&r, "C003", now);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_OK);
	rec_init(&r, REC_CONCERN);
	r.time_ms = now;
	r.flags = REC_FLAG_URGENT;
	fx_cpy(r.author, sizeof(r.author), "T001");
	rec_set_str(&r, F_CHILD, "C003");
	rec_set_add(&r, F_CONCERNS, "harm");
	rec_set_int(&r, F_URGENT, 1);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_OK);

	f->cp.term_start_day = 20260301;
	assert_int_equal(
	    care_rows(f->s, &f->cp, now, &ses, rows, 8, &n), GU_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].s.child.id, "C003");
	assert_int_equal(rows[0].need, CARE_URGENT);
	assert_string_equal(rows[1].s.child.id, "C002");
	assert_int_equal(rows[1].need, CARE_OVERDUE);
	assert_int_equal(rows[1].days_since_contact, 20);
	assert_string_equal(rows[2].s.child.id, "C001");
	assert_int_equal(rows[2].need, CARE_OK);
	/* The headteacher sees every child. */
	assert_int_equal(
	    auth_signin(f->s, &f->ap, now, "T009", "1357", &ses, 0), GU_OK);
	assert_int_equal(
	    care_rows(f->s, &f->cp, now, &ses, rows, 8, &n), GU_OK);
	assert_int_equal(n, 6);
	assert_string_equal(rows[0].s.child.id, "C003");
}

static void
file_privacy_and_audit(void **state)
{
	struct fx *f = *state;
	struct auth_session t1, t2, head;
	struct record r;
	uint64_t c[REC_KIND_MAX];
	char hash[PIN_HASH_LEN];

	assert_int_equal(pin_hash("2222", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(f->s, "T002", hash), GU_OK);
	assert_int_equal(
	    auth_signin(f->s, &f->ap, FX_TIME, "T001", "2468", &t1, 0), GU_OK);
	assert_int_equal(
	    auth_signin(f->s, &f->ap, FX_TIME, "T002", "2222", &t2, 0), GU_OK);
	assert_int_equal(
	    auth_signin(f->s, &f->ap, FX_TIME, "T009", "1357", &head, 0),
	    GU_OK);
	assert_true(care_may_see(f->s, &t1, "C001"));
	assert_false(care_may_see(f->s, &t1, "C004")); /* T002's */
	assert_true(care_may_see(f->s, &t2, "C004"));
	assert_true(care_may_see(f->s, &head, "C006"));
	assert_false(care_may_see(f->s, 0, "C001"));
	assert_int_equal(
	    care_open_file(f->s, &f->cp, FX_TIME, &t1, "C004"), GU_EPERM);
	assert_int_equal(
	    care_open_file(f->s, &f->cp, FX_TIME, &t1, "C001"), GU_OK);
	store_counts(f->s, 0, 99999999, c);
	assert_int_equal(c[REC_FILE_VIEW], 1);
	assert_int_equal(store_get(f->s, 4, &r), GU_OK);
	assert_int_equal(r.kind, REC_FILE_VIEW);
	assert_string_equal(r.author, "T001");
}

static void
confirmed_by_child_same_day(void **state)
{
	struct fx *f = *state;
	struct record r;
	char why[256];

	fx_checkin(&r, "C001", FX_TIME + 3600000);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_OK);
	assert_false(care_confirmed_by_child(
	    f->s, "C001", "T001", FX_TIME + 3600000, 480));
	rec_init(&r, REC_STUDENT_LOG);
	r.time_ms = FX_TIME + 7200000;
	r.tz_min = 480;
	r.flags = REC_FLAG_BY_STUDENT;
	fx_cpy(r.author, sizeof(r.author), "C001");
	rec_set_str(&r, F_CHILD, "C001");
	rec_set_str(&r, F_MENTOR, "T001");
	rec_set_add(&r, F_TOPICS, "study");
	rec_set_int(&r, F_FEELING, 4);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_OK);
	assert_true(care_confirmed_by_child(
	    f->s, "C001", "T001", FX_TIME + 3600000, 480));
	assert_false(care_confirmed_by_child(
	    f->s, "C001", "T002", FX_TIME + 3600000, 480));
	/* Another day does not count. */
	assert_false(care_confirmed_by_child(
	    f->s, "C001", "T001", FX_TIME + 3600000 - DAY, 480));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        wrong_pins_lock_with_growing_delay, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        first_signin_forces_pin_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        mentor_home_sorted_by_need, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        file_privacy_and_audit, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        confirmed_by_child_same_day, setup, teardown),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
