/*
 * test_ui_coverage.c: the headteacher's 覆盖情况 (scr_coverage.c) through
 * the real event loop (headless, fixed clock 2026-03-02 08:30, real
 * fonts), with golden screenshots at every supported size: the rows by
 * class, by mentor, a mentor's children, and back; the figures on screen
 * are the core's (coverage.h).  Only a headteacher reaches it.
 *
 * The school (tests/data/coverage-*.csv): six classes of seven children,
 * 36 in care (a category or a mentor), mentors T001-T004, some children
 * in care without one; no school calendar (the default: the term began
 * 15 February, 寒假 from 20 January).
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
#include "care.h"
#include "fixture.h"
#include "ui_harness.h"

#define HOUR_MS 3600000LL
#define DAY_MS 86400000LL

static void
visit(struct store *s, const char *child, uint32_t day)
{
	struct record r;
	char date[16];

	snprintf(date, sizeof(date), "%04u-%02u-%02u", day / 10000,
	    day / 100 % 100, day % 100);
	fx_visit(&r, child, date);
	fx_put(s, &r, cal_day_start_ms(day, 480) + 15 * HOUR_MS, "T001");
}

static void
concern(struct store *s, const char *child, int days)
{
	struct record r;

	fx_concern(&r, child);
	fx_put(s, &r, CLOCK_MS - days * DAY_MS, "T001");
}

/* The pre-寒假 lecture of 12 January for the first three classes, the
 * even-numbered children of them present. */
static void
lecture(struct store *s)
{
	int64_t t = cal_day_start_ms(20260112, 480) + 9 * HOUR_MS;
	struct record r;
	uint64_t lec;

	rec_init(&r, REC_LECTURE);
	rec_set_str(&r, F_TOPIC, "drowning");
	rec_set_str(&r, F_LECTURER, "法治副校长");
	rec_set_str(&r, F_CLASSES, "一年级1班;二年级1班;三年级1班");
	rec_set_str(&r, F_DATE, "2026-01-12");
	lec = fx_put(s, &r, t, "T001");
	for (unsigned n = 2; n <= 21; n += 2) {
		struct child c;
		char id[8];
		snprintf(id, sizeof(id), "C%03u", n);
		assert_int_equal(store_child_get(s, id, &c), GU_OK);
		rec_init(&r, REC_ATTENDANCE);
		rec_set_int(&r, F_LECTURE, (int64_t) lec);
		rec_set_str(&r, F_CHILD, id);
		rec_set_str(&r, F_CLASS, c.class_name);
		rec_set_str(&r, F_METHOD, "teacher");
		fx_put(s, &r, t + 60000, "T001");
	}
	rec_init(&r, REC_LECTURE_END);
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_int(&r, F_PRESENT, 10);
	rec_set_int(&r, F_ABSENT, 11);
	fx_put(s, &r, t + 120000, "T001");
}

/*
 * Check-ins 0, 9, 18, 27 and 36 days ago in turn (four in five within
 * 30 days), a visit this term for every third child and last term for
 * the next, the lecture, and open concerns of 2, 10 and 40 days, one of
 * them about a child not in care.
 */
static void
make_store(const char *dir)
{
	static const char *const pins[] = {
	    "T009", "9999", "T001", "1234", NULL};
	struct store *s = NULL;
	struct record r;

	ui_school(dir, "coverage-children.csv", "coverage-staff.csv", pins);
	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	lecture(s);
	for (unsigned n = 1; n <= 42; n++) {
		char id[8];
		snprintf(id, sizeof(id), "C%03u", n);
		if (n % 7 == 0)
			continue; /* not in care */
		rec_init(&r, REC_CHECKIN);
		rec_set_str(&r, F_CHILD, id);
		rec_set_str(&r, F_TYPE, "talk");
		rec_set_int(&r, F_MOOD, 4);
		fx_put(s, &r,
		    CLOCK_MS - (int64_t) (n % 5) * 9 * DAY_MS - HOUR_MS,
		    "T001");
		if (n % 3 == 0)
			visit(s, id, 20260220);
		else if (n % 3 == 1)
			visit(s, id, 20260105);
	}
	concern(s, "C002", 2);
	concern(s, "C009", 10);
	concern(s, "C010", 40);
	concern(s, "C007", 3);
	store_close(s);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-uicov-XXXXXX", make_store);
}

static int
teardown(void **state)
{
	return ui_teardown(state);
}

#define SIGNIN_HEAD                                                            \
	"wait 200\n"                                                           \
	"tap-text 校长\n"                                                    \
	"tap-text 周校长\n"                                                 \
	"tap-text 9\ntap-text 9\ntap-text 9\ntap-text 9\n"                     \
	"tap-text 确定\n"                                                    \
	"expect 校长：上传情况\n"

/* The core's figures of the school, for what the screen must say. */
static void
figures(struct fx *f, struct coverage *c)
{
	struct store *s = NULL;
	struct care_policy p;
	struct auth_session ses;
	char path[512];

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	care_policy_default(&p);
	p.tz_min = 480;
	care_policy_calendar(s, &p, CLOCK_MS);
	memset(&ses, 0, sizeof(ses));
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T001");
	ses.roles = ROLE_MENTOR;
	assert_int_equal(care_coverage(s, &p, CLOCK_MS, &ses, c), GU_EPERM);
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T009");
	ses.roles = ROLE_HEAD;
	assert_int_equal(care_coverage(s, &p, CLOCK_MS, &ses, c), GU_OK);
	store_close(s);
}

/* Rows by class, by mentor, a mentor's children: every size. */
static void
coverage_every_size(void **state)
{
	struct fx *f = *state;
	char script[4096], name[64], row[160], fr[32];
	struct coverage c;

	figures(f, &c);
	assert_int_equal(c.school.in_care, 36);
	assert_int_equal(c.lec_from, 20251221);
	assert_int_equal(c.concerns_outside, 1);
	/* 钱老师 (T002): his load and figures as the screen says them. */
	assert_string_equal(c.men[1].key, "T002");
	snprintf(fr, sizeof(fr), "%u/%u", c.school.contacted, c.school.in_care);
	snprintf(row, sizeof(row), "钱老师 · 负责 %u 人", c.men[1].in_care);
	for (size_t i = 0; i < UI_NSIZES; i++) {
		const char *t = ui_sizes[i].tag;
		int w = ui_sizes[i].w, h = ui_sizes[i].h;
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(script, sizeof(script),
		    SIGNIN_HEAD "tap-text 覆盖情况\n"
		                "expect 全校\n"
		                "expect %s\n"
		                "expect 另有 1 条关注涉及不在关爱名单的学生\n"
		                "shot cov_class_%s\n"
		                "tap-text 按导师\n"
		                "shot cov_mentor_%s\n"
		                "drag %d %d %d %d 1500\nwait 1500\n"
		                "expect 无导师\n"
		                "shot cov_mentor_end_%s\n"
		                "tap-text 按班级\n"
		                "tap-text 按导师\n"
		                "tap-text 钱老师\n"
		                "expect %s\n"
		                "expect 讲座：未参加\n"
		                "shot cov_list_%s\n"
		                "tap-text 返回\n"
		                "expect 按导师\n"
		                "tap-text 返回\n"
		                "expect 校长：上传情况\n"
		                "tap-text 退出\n",
		    fr, t, t, w / 2, h * 4 / 5, w / 2, h / 5, t, row, t);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		snprintf(name, sizeof(name), "cov_class_%s", t);
		golden(f, name);
		snprintf(name, sizeof(name), "cov_mentor_%s", t);
		golden(f, name);
		snprintf(name, sizeof(name), "cov_mentor_end_%s", t);
		golden(f, name);
		snprintf(name, sizeof(name), "cov_list_%s", t);
		golden(f, name);
	}
	coverage_free(&c);
}

/* A mentor, or nobody, sent to the screen goes home. */
static void
head_only(void **state)
{
	struct fx *f = *state;
	char path[512];

	snprintf(path, sizeof(path), "%s/store", f->dir);
	ui_open_null(f, path);
	kiosk_frame(&f->k, CLOCK_MS, NULL);
	kiosk_go(&f->k, SCR_COVERAGE);
	kiosk_frame(&f->k, CLOCK_MS + 100, NULL);
	assert_int_equal(f->k.scr, SCR_HOME);
	snprintf(f->k.ses.staff_id, sizeof(f->k.ses.staff_id), "T001");
	f->k.ses.roles = ROLE_MENTOR | ROLE_TEACHER;
	kiosk_go(&f->k, SCR_COVERAGE);
	kiosk_frame(&f->k, CLOCK_MS + 200, NULL);
	assert_int_not_equal(f->k.scr, SCR_COVERAGE);
	assert_int_equal(f->k.cov.c.n_kids, 0);
	kiosk_close(&f->k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        coverage_every_size, setup, teardown),
	    cmocka_unit_test_setup_teardown(head_only, setup, teardown),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
