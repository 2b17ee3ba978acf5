/*
 * test_coverage.c: the headteacher's coverage view (core/coverage.c),
 * with an injected clock, on the fixture school (fixture.h: six children
 * in care in 三年级1班 and 四年级2班; T001 mentors C001-C003, T002
 * C004-C005, C006 has none) and the 2026 test calendar: the counts
 * exact, a voided check-in un-counted, a child who leaves care dropped,
 * the pre-holiday lecture's window at its boundaries, the concerns by
 * age, the default calendar when the school has none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "care_rules.h"
#include "coverage.h"
#include "fixture.h"

#define HOUR_MS 3600000LL
#define DAY_MS 86400000LL

struct fx {
	char *dir;
	struct store *s;
	struct calendar cal;
	struct care_rules rules;
	struct coverage c;
};

/* Local time (+08:00) of day YYYYMMDD at hour. */
static int64_t
at(uint32_t day, int hour)
{
	return cal_day_start_ms(day, 480) + hour * HOUR_MS;
}

static int
setup(void **state)
{
	static const char cal[] = "calendar = 1\n"
	                          "term = 2026-02-24 2026-07-03\n"
	                          "holiday = 劳动节 2026-05-01 2026-05-05\n"
	                          "holiday = 暑假 2026-07-04 2026-08-31\n"
	                          "term = 2026-09-01 2027-01-22\n"
	                          "holiday = 国庆 2026-10-01 2026-10-07\n";
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->s = fx_store(&f->dir, NULL);
	assert_non_null(f->s);
	assert_int_equal(calendar_parse("cal.txt", cal, sizeof(cal) - 1,
	                     &f->cal, NULL, NULL),
	    GU_OK);
	f->rules =
	    (struct care_rules){CARE_RULES_CONTACT_DAYS, 0, 480, &f->cal};
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	coverage_free(&f->c);
	store_close(f->s);
	fx_rmdir(f->dir);
	free(f);
	return 0;
}

static uint64_t
checkin(struct fx *f, const char *child, int64_t t)
{
	struct record r;

	fx_checkin(&r, child, t);
	return fx_put(f->s, &r, t, "T001");
}

static uint64_t
visit(struct fx *f, const char *child, const char *date, int64_t t)
{
	struct record r;

	fx_visit(&r, child, date);
	return fx_put(f->s, &r, t, "T001");
}

static uint64_t
concern(struct fx *f, const char *child, int64_t t)
{
	struct record r;

	fx_concern(&r, child);
	return fx_put(f->s, &r, t, "T001");
}

static void
void_of(struct fx *f, uint64_t target, int64_t t)
{
	struct record r;

	rec_init(&r, REC_VOID);
	rec_set_int(&r, F_TARGET, (int64_t) target);
	rec_set_str(&r, F_REASON, "wrong_entry");
	fx_put(f->s, &r, t, "T009");
}

/* A closed lecture for classes on date, with the children present. */
static uint64_t
lecture(struct fx *f, const char *classes, const char *date, int64_t t,
    const char *const *present)
{
	struct record r;
	uint64_t lec;

	rec_init(&r, REC_LECTURE);
	rec_set_str(&r, F_TOPIC, "drowning");
	rec_set_str(&r, F_LECTURER, "法治副校长");
	rec_set_str(&r, F_CLASSES, classes);
	rec_set_str(&r, F_DATE, date);
	lec = fx_put(f->s, &r, t, "T003");
	for (; *present != NULL; present++) {
		struct child c;
		assert_int_equal(store_child_get(f->s, *present, &c), GU_OK);
		rec_init(&r, REC_ATTENDANCE);
		rec_set_int(&r, F_LECTURE, (int64_t) lec);
		rec_set_str(&r, F_CHILD, *present);
		rec_set_str(&r, F_CLASS, c.class_name);
		rec_set_str(&r, F_METHOD, "teacher");
		fx_put(f->s, &r, t + 60000, "T003");
	}
	rec_init(&r, REC_LECTURE_END);
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_int(&r, F_PRESENT, 1);
	rec_set_int(&r, F_ABSENT, 1);
	fx_put(f->s, &r, t + 120000, "T003");
	return lec;
}

static void
compute(struct fx *f, int64_t now)
{
	coverage_free(&f->c);
	assert_int_equal(coverage_compute(f->s, &f->rules, now, &f->c), GU_OK);
}

static const struct cov_row *
row(const struct fx *f, int by_mentor, const char *key)
{
	const struct cov_row *r = by_mentor ? f->c.men : f->c.cls;
	size_t n = by_mentor ? f->c.n_men : f->c.n_cls;

	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].key, key) == 0)
			return &r[i];
	fail_msg("no row %s", key);
	return NULL;
}

/* in care, contacted, visited, lectured of a row. */
static void
is(const struct cov_row *r, uint32_t n, uint32_t con, uint32_t vis,
    uint32_t lec)
{
	assert_int_equal(r->in_care, n);
	assert_int_equal(r->contacted, con);
	assert_int_equal(r->visited, vis);
	assert_int_equal(r->lectured, lec);
}

/* A constructed school: every count exact, the rows as documented. */
static void
counts_exact(void **state)
{
	struct fx *f = *state;
	static const char *const three[] = {"C001", "C002", NULL};
	int64_t now = at(20260520, 10);

	/* Contacts: C001 29 days ago (in), C002 31 days ago (out), C004
	 * by a visit this term; C005 visited last term only. */
	checkin(f, "C001", now - 29 * DAY_MS);
	checkin(f, "C002", now - 31 * DAY_MS);
	visit(f, "C004", "2026-05-10", at(20260510, 15));
	visit(f, "C005", "2026-01-10", at(20260110, 15));
	/* The pre-劳动节 lecture, 三年级1班: C001 and C002 present. */
	lecture(f, "三年级1班", "2026-04-28", at(20260428, 9), three);
	compute(f, now);
	assert_int_equal(f->c.term_start, 20260224);
	assert_int_equal(f->c.lec_from, 20260401);
	assert_int_equal(f->c.lec_to, 20260430);
	assert_string_equal(cal_holiday_zh(f->c.lec_holiday), "劳动节");
	is(&f->c.school, 6, 2, 1, 2);
	assert_int_equal(f->c.n_cls, 2);
	assert_string_equal(f->c.cls[0].key, "三年级1班");
	is(row(f, 0, "三年级1班"), 3, 1, 0, 2);
	is(row(f, 0, "四年级2班"), 3, 1, 1, 0);
	/* Mentors: T001, T002, then the child without one. */
	assert_int_equal(f->c.n_men, 3);
	assert_string_equal(f->c.men[0].key, "T001");
	assert_string_equal(f->c.men[0].name, "赵老师");
	assert_string_equal(f->c.men[2].key, "");
	is(row(f, 1, "T001"), 3, 1, 0, 2);
	is(row(f, 1, "T002"), 2, 1, 1, 0);
	is(row(f, 1, ""), 1, 0, 0, 0);
	/* The list of a row: its children, in id order, with marks. */
	{
		size_t n = 0;
		for (size_t i = 0; i < f->c.n_kids; i++)
			if (coverage_in_row(&f->c, 1, row(f, 1, "T002"), i)) {
				assert_string_equal(f->c.kids[i].child.id,
				    n == 0 ? "C004" : "C005");
				assert_int_equal(f->c.marks[i],
				    n == 0 ? COV_M_CONTACTED | COV_M_VISITED
				           : 0);
				n++;
			}
		assert_int_equal(n, 2);
	}
	/* 30 days: the check-in of 29 days ago is out a day later. */
	compute(f, now + DAY_MS);
	is(&f->c.school, 6, 1, 1, 2);
}

/* A voided check-in un-counts; a voided visit too. */
static void
void_uncounts(void **state)
{
	struct fx *f = *state;
	int64_t now = at(20260520, 10);
	uint64_t c, v;

	c = checkin(f, "C003", now - 2 * DAY_MS);
	v = visit(f, "C003", "2026-05-18", now - 2 * DAY_MS + HOUR_MS);
	compute(f, now);
	is(row(f, 1, "T001"), 3, 1, 1, 0);
	void_of(f, v, now - DAY_MS);
	compute(f, now);
	is(row(f, 1, "T001"), 3, 1, 0, 0);
	void_of(f, c, now - DAY_MS + HOUR_MS);
	compute(f, now);
	is(row(f, 1, "T001"), 3, 0, 0, 0);
	is(&f->c.school, 6, 0, 0, 0);
}

/* A child who leaves care (no category, no mentor) drops out of every
 * count, and his open concern counts outside. */
static void
leaves_care(void **state)
{
	struct fx *f = *state;
	struct child kids[6];
	struct staff st[4];
	static const char *const ids[] = {
	    "C001", "C002", "C003", "C004", "C005", "C006"};
	static const char *const sids[] = {"T001", "T002", "T003", "T009"};
	int64_t now = at(20260520, 10);
	char why[256];

	checkin(f, "C001", now - DAY_MS);
	concern(f, "C001", now - 2 * DAY_MS);
	compute(f, now);
	is(row(f, 1, "T001"), 3, 1, 0, 0);
	assert_int_equal(row(f, 1, "T001")->concerns[COV_AGE_WEEK], 1);
	assert_int_equal(f->c.concerns_outside, 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(
		    store_child_get(f->s, ids[i], &kids[i]), GU_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(store_staff_get(f->s, sids[i], &st[i]), GU_OK);
	kids[0].mentor_id[0] = '\0'; /* C001 had no category */
	assert_int_equal(store_roster_replace(
	                     f->s, kids, 6, st, 4, 0, NULL, why, sizeof(why)),
	    GU_OK);
	compute(f, now);
	is(row(f, 1, "T001"), 2, 0, 0, 0);
	is(row(f, 0, "三年级1班"), 2, 0, 0, 0);
	is(&f->c.school, 5, 0, 0, 0);
	assert_int_equal(f->c.school.concerns[COV_AGE_WEEK], 0);
	assert_int_equal(f->c.concerns_outside, 1);
	assert_int_equal(f->c.n_kids, 5);
	/* Gone from the roster: C006 inactive, the no-mentor row too. */
	assert_int_equal(store_roster_replace(
	                     f->s, kids, 5, st, 4, 0, NULL, why, sizeof(why)),
	    GU_OK);
	compute(f, now);
	is(&f->c.school, 4, 0, 0, 0);
	assert_int_equal(f->c.n_men, 2);
}

/* The window: 30 days before a holiday's first day, up to the day
 * before; the newest such lecture names the holiday. */
static void
holiday_boundaries(void **state)
{
	struct fx *f = *state;
	static const char *const c1[] = {"C001", NULL};
	static const char *const c2[] = {"C002", NULL};
	static const char *const c4[] = {"C004", NULL};
	static const char *const none[] = {NULL};

	/* 31 days before 劳动节: not a pre-holiday lecture. */
	lecture(f, "三年级1班", "2026-03-31", at(20260331, 9), c1);
	compute(f, at(20260420, 9));
	assert_int_equal(f->c.lec_from, 0);
	is(&f->c.school, 6, 0, 0, 0);
	/* 30 days before: it is; the one of 31 days does not count. */
	lecture(f, "三年级1班", "2026-04-01", at(20260401, 9), c2);
	compute(f, at(20260420, 9));
	assert_int_equal(f->c.lec_from, 20260401);
	is(row(f, 0, "三年级1班"), 3, 0, 0, 1);
	assert_int_equal(f->c.marks[1], COV_M_LECTURED); /* C002 */
	/* The day before the holiday counts, for another class too. */
	lecture(f, "四年级2班", "2026-04-30", at(20260430, 9), c4);
	compute(f, at(20260430, 12));
	is(&f->c.school, 6, 0, 0, 2);
	/* One dated on the holiday's first day is of no window; one dated
	 * ahead of today not yet either. */
	lecture(f, "四年级2班", "2026-05-01", at(20260430, 13), c4);
	lecture(f, "三年级1班", "2026-06-20", at(20260430, 14), c1);
	compute(f, at(20260503, 9));
	assert_int_equal(f->c.lec_to, 20260430);
	is(&f->c.school, 6, 0, 0, 2);
	/* In the 暑假 window a new lecture takes over: nobody present yet
	 * of its classes but those who attended. */
	lecture(f, "三年级1班;四年级2班", "2026-06-25", at(20260625, 9), none);
	compute(f, at(20260626, 9));
	assert_int_equal(f->c.lec_from, 20260604);
	assert_string_equal(cal_holiday_zh(f->c.lec_holiday), "暑假");
	/* The lecture dated 06-20 was put in early; it is in the window. */
	is(&f->c.school, 6, 0, 0, 1);
	/* Through the holiday and into the next term, until the next
	 * window has a lecture, the 暑假 one stands. */
	compute(f, at(20260915, 9));
	assert_string_equal(cal_holiday_zh(f->c.lec_holiday), "暑假");
	/* A new term: visits counted from 1 September. */
	assert_int_equal(f->c.term_start, 20260901);
}

/* Open concerns by age; a closed or voided one is not counted. */
static void
concerns_by_age(void **state)
{
	struct fx *f = *state;
	int64_t now = at(20260520, 10);
	uint64_t v;

	concern(f, "C001", now - 6 * DAY_MS);
	concern(f, "C002", now - 7 * DAY_MS);
	concern(f, "C004", now - 29 * DAY_MS);
	concern(f, "C005", now - 30 * DAY_MS);
	v = concern(f, "C006", now - 40 * DAY_MS);
	compute(f, now);
	assert_int_equal(f->c.school.concerns[COV_AGE_WEEK], 1);
	assert_int_equal(f->c.school.concerns[COV_AGE_MONTH], 2);
	assert_int_equal(f->c.school.concerns[COV_AGE_OLDER], 2);
	assert_int_equal(row(f, 1, "T001")->concerns[COV_AGE_WEEK], 1);
	assert_int_equal(row(f, 1, "T001")->concerns[COV_AGE_MONTH], 1);
	assert_int_equal(row(f, 1, "")->concerns[COV_AGE_OLDER], 1);
	assert_int_equal(row(f, 0, "四年级2班")->concerns[COV_AGE_OLDER], 2);
	void_of(f, v, now - HOUR_MS);
	compute(f, now);
	assert_int_equal(f->c.school.concerns[COV_AGE_OLDER], 1);
}

/* No school calendar: the default one's holidays and terms. */
static void
default_calendar(void **state)
{
	struct fx *f = *state;
	static const char *const c1[] = {"C001", NULL};

	f->rules.cal = NULL;
	/* The default 劳动节 begins 1 May, too. */
	lecture(f, "三年级1班", "2026-04-20", at(20260420, 9), c1);
	compute(f, at(20260506, 9));
	assert_int_equal(f->c.lec_to, 20260430);
	is(&f->c.school, 6, 0, 0, 1);
	assert_int_equal(f->c.term_start, 20260215);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(counts_exact, setup, teardown),
	    cmocka_unit_test_setup_teardown(void_uncounts, setup, teardown),
	    cmocka_unit_test_setup_teardown(leaves_care, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        holiday_boundaries, setup, teardown),
	    cmocka_unit_test_setup_teardown(concerns_by_age, setup, teardown),
	    cmocka_unit_test_setup_teardown(default_calendar, setup, teardown),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
