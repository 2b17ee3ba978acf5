/*
 * test_ui_tasks.c: the mentor's tasks and the plan and 重点关注 forms
 * through the real event loop (headless, fixed clock 2026-03-02 08:30,
 * real fonts), with golden screenshots at every supported size, and the
 * taps from the mentor's home to a task done: a check-in from its task
 * (five, as the routine check-in), a plan review (seven), an open
 * concern's follow-up (three, also when the concern lies deep in the
 * file).  After each, the task is gone from what core/tasks.c computes
 * from the store.  A plan may carry a note (+ 备注, scr_note.c).
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
#include "fixture.h"
#include "pin.h"
#include "tasks.h"
#include "ui_harness.h"

#define HOUR_MS 3600000LL

/*
 * The care school (tests/data/care-*.csv): 赵老师 T001 mentors C001 王小明
 * and C002 李小红.  王小明 was visited on 20 February, next visit on 4
 * March; 李小红 has a plan whose review was due on 28 February.
 */
static void
make_store(const char *dir)
{
	struct store *s = NULL;
	char hash[PIN_HASH_LEN];
	struct record r;
	int64_t feb20 = cal_day_start_ms(20260220, 480) + 10 * HOUR_MS;

	assert_int_equal(
	    store_create(dir, "S001", "云溪区示范小学", "kiosk-01", NULL),
	    GU_OK);
	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	assert_int_equal(
	    ui_roster(s, "care-children.csv", "care-staff.csv"), GU_OK);
	assert_int_equal(pin_hash("1234", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T001", hash), GU_OK);
	rec_init(&r, REC_VISIT);
	rec_set_str(&r, F_CHILD, "C001");
	rec_set_str(&r, F_DATE, "2026-02-20");
	rec_set_str(&r, F_MET, "grandparent");
	rec_set_int(&r, F_GUARDIANSHIP, 1);
	rec_set_int(&r, F_STUDY, 2);
	rec_set_int(&r, F_HEALTH, 2);
	rec_set_int(&r, F_MOOD, 3);
	rec_set_str(&r, F_NEXT_VISIT, "2026-03-04");
	fx_put(s, &r, feb20, "T001");
	rec_init(&r, REC_PLAN);
	rec_set_str(&r, F_CHILD, "C002");
	rec_set_add(&r, F_GOALS, "psych");
	rec_set_add(&r, F_MEASURES, "weekly_talk");
	rec_set_str(&r, F_RESPONSIBLE, "T001");
	rec_set_str(&r, F_REVIEW, "2026-02-28");
	fx_put(s, &r, feb20, "T001");
	store_close(s);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-uitasks-XXXXXX", make_store);
}

static int
teardown(void **state)
{
	return ui_teardown(state);
}

/* The tasks of T001 now, from the store the kiosk wrote. */
static size_t
tasks_now(struct fx *f, struct task *t, size_t max)
{
	struct store *s = NULL;
	struct calendar cal;
	struct care_rules r = {CARE_RULES_CONTACT_DAYS, 0, 480, &cal};
	char path[512];
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	calendar_default(&cal, 20260302);
	assert_int_equal(
	    tasks_for_mentor(s, &r, "T001", CLOCK_MS, t, max, &n), GU_OK);
	store_close(s);
	return n;
}

static int
has(const struct task *t, size_t n, int kind, const char *child, int when)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].kind == kind && strcmp(t[i].child, child) == 0 &&
		    (when < 0 || t[i].when == when))
			return 1;
	return 0;
}

#define SIGNIN                                                                 \
	"wait 200\n"                                                           \
	"tap-text 导师\n"                                                    \
	"tap-text 赵老师\n"                                                 \
	"tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"                     \
	"tap-text 确定\n"                                                    \
	"expect 赵老师 老师的孩子\n"

/* The task list and both forms, every size: nothing clipped, as drawn. */
static void
task_list_and_forms(void **state)
{
	struct fx *f = *state;
	char script[2048], name[64];
	struct task t[32];
	size_t n;

	n = tasks_now(f, t, 32);
	assert_true(has(t, n, TASK_REVIEW, "C002", TASK_OVERDUE));
	assert_true(has(t, n, TASK_VISIT, "C001", TASK_WEEK));
	assert_true(has(t, n, TASK_CONTACT, "C002", TASK_OVERDUE));
	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].w > 1800 ? 15.6f : 7;
		snprintf(script, sizeof(script),
		    SIGNIN "expect 逾期\n"
		           "expect 复查帮扶计划：李小红\n"
		           "shot tasks_home_%s\n"
		           "tap-text 王小明  三年级1班\n"
		           "expect 还没有帮扶计划\n"
		           "shot tasks_file_%s\n"
		           "tap-text 帮扶计划\n"
		           "shot plan_goals_%s\n"
		           "tap-text 返回\n"
		           "tap-text 重点关注\n"
		           "shot focus_mark_%s\n"
		           "tap-text 返回\n"
		           "tap-text 返回\n"
		           "tap-text 退出\n",
		    ui_sizes[i].tag, ui_sizes[i].tag, ui_sizes[i].tag,
		    ui_sizes[i].tag);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		snprintf(name, sizeof(name), "tasks_home_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(name, sizeof(name), "tasks_file_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(name, sizeof(name), "plan_goals_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(name, sizeof(name), "focus_mark_%s", ui_sizes[i].tag);
		golden(f, name);
	}
}

/* From the mentor's home: a task tapped, its form, saved; counted. */
static void
taps_to_done(void **state)
{
	struct fx *f = *state;
	struct task t[32];
	size_t n;

	/* The check-in from its task: five taps. */
	assert_int_equal(run(f,
	                     SIGNIN
	                     /* tap 1 */ "tap-text 关爱记录：李小红\n"
	                                 "expect 关爱记录：李小红\n"
	                                 /* tap 2 */ "tap-text 谈心谈话\n"
	                                 /* tap 3 */ "tap-text 开心\n"
	                                 /* tap 4 */ "tap-text 无，下一步\n"
	                                 /* tap 5 */ "tap-text 保存\n"
	                                 "expect 已保存。\n"
	                                 "tap-text 知道了\n"
	                                 "expect-not 关爱记录：李小红\n"
	                                 "tap-text 退出\n",
	                     1024, 600),
	    GU_OK);
	n = tasks_now(f, t, 32);
	assert_false(has(t, n, TASK_CONTACT, "C002", TASK_OVERDUE));
	assert_true(has(t, n, TASK_CONTACT, "C002", TASK_LATER));
	/* The plan review: seven taps, the plan's review moves on. */
	assert_int_equal(
	    run_sizes(f,
	        SIGNIN
	        /* tap 1 */ "tap-text 复查帮扶计划：李小红\n"
	                    "expect 帮扶计划：李小红\n"
	                    /* tap 2 */ "tap-text 心理\n"
	                    /* tap 3 */ "tap-text 下一步\n"
	                    /* tap 4 */ "tap-text 联系外出父母\n"
	                    /* tap 5 */ "tap-text 下一步\n"
	                    /* tap 6 */ "tap-text 一个月后\n"
	                    "shot plan_review_1024x600\n"
	                    /* tap 7 */ "tap-text 保存\n"
	                    "expect 帮扶计划已保存。\n"
	                    "tap-text 知道了\n"
	                    "expect 帮扶计划：心理 · 复查 04-01\n"
	                    /* and 重点关注: four taps from the file */
	                    "tap-text 重点关注\n"
	                    "tap-text 标为重点关注（每周联系）\n"
	                    "shot focus_why_1024x600\n"
	                    "tap-text 家庭变故\n"
	                    "tap-text 保存\n"
	                    "expect 已保存。\n"
	                    "tap-text 知道了\n"
	                    "tap-text 返回\n"
	                    "expect-not 复查帮扶计划：李小红\n"
	                    "tap-text 退出\n"),
	    GU_OK);
	golden(f, "plan_review_1024x600");
	golden(f, "focus_why_1024x600");
	n = tasks_now(f, t, 32);
	assert_true(has(t, n, TASK_REVIEW, "C002", TASK_LATER));
	assert_false(has(t, n, TASK_REVIEW, "C002", TASK_OVERDUE));
	/* Marked: contact every 7 days from this morning's check-in. */
	for (size_t i = 0; i < n; i++)
		if (t[i].kind == TASK_CONTACT &&
		    strcmp(t[i].child, "C002") == 0)
			assert_int_equal(t[i].due_day, 20260309);
}

/* An open concern's task opens its follow-up: two taps and 保存并关闭. */
static void
followup_from_task(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct record r;
	struct task t[32];
	char path[512], why[256];
	size_t n;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	rec_init(&r, REC_CONCERN);
	rec_set_str(&r, F_CHILD, "C001");
	rec_set_add(&r, F_CONCERNS, "study");
	rec_set_int(&r, F_URGENT, 0);
	r.time_ms = CLOCK_MS - 8 * 86400000LL;
	r.tz_min = 480;
	snprintf(r.author, sizeof(r.author), "T001");
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	store_close(s);
	n = tasks_now(f, t, 32);
	assert_true(has(t, n, TASK_FOLLOWUP, "C001", TASK_OVERDUE));
	assert_int_equal(run_sizes(f,
	                     SIGNIN
	                     /* not a tap: the list scrolled up */
	                     "drag 200 500 200 300 1500\nwait 1500\n"
	                     /* tap 1 */ "tap-text 跟进关注：王小明\n"
	                     "expect 一人一档：王小明\n"
	                     /* tap 2 */ "tap-text 已联系家人\n"
	                     "shot followup_task_1024x600\n"
	                     /* tap 3 */ "tap-text 保存并关闭\n"
	                     "tap-text 知道了\n"
	                     "tap-text 返回\n"
	                     "expect-not 跟进关注：王小明\n"
	                     "tap-text 退出\n"),
	    GU_OK);
	golden(f, "followup_task_1024x600");
	n = tasks_now(f, t, 32);
	assert_false(has(t, n, TASK_FOLLOWUP, "C001", -1));
}

/* The same, the concern under more records than the file's first page:
 * the task still opens its panel. */
static void
followup_deep_in_file(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct record r;
	struct task t[32];
	char path[512], why[256];
	size_t n;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	rec_init(&r, REC_CONCERN);
	rec_set_str(&r, F_CHILD, "C001");
	rec_set_add(&r, F_CONCERNS, "study");
	rec_set_int(&r, F_URGENT, 0);
	r.time_ms = CLOCK_MS - 8 * 86400000LL;
	r.tz_min = 480;
	snprintf(r.author, sizeof(r.author), "T001");
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	for (int i = 0; i < 3 * KIOSK_FILE_PAGE; i++) {
		rec_init(&r, REC_CHECKIN);
		rec_set_str(&r, F_CHILD, "C001");
		rec_set_str(&r, F_TYPE, "talk");
		rec_set_int(&r, F_MOOD, 4);
		r.time_ms = CLOCK_MS - 7 * 86400000LL + i * 60000LL;
		r.tz_min = 480;
		snprintf(r.author, sizeof(r.author), "T001");
		assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	}
	store_close(s);
	n = tasks_now(f, t, 32);
	assert_true(has(t, n, TASK_FOLLOWUP, "C001", TASK_OVERDUE));
	assert_int_equal(run(f,
	                     SIGNIN "drag 200 500 200 300 1500\nwait 1500\n"
	                            "tap-text 跟进关注：王小明\n"
	                            "tap-text 已联系家人\n"
	                            "tap-text 保存并关闭\n"
	                            "tap-text 知道了\n"
	                            "tap-text 返回\n"
	                            "tap-text 退出\n",
	                     1024, 600),
	    GU_OK);
	n = tasks_now(f, t, 32);
	assert_false(has(t, n, TASK_FOLLOWUP, "C001", -1));
}

/* The plan's optional note: + 备注 beside 保存, typed in pinyin, on the
 * plan record (F_PLAN_NOTE); the taps of the plan itself unchanged. */
static void
plan_with_note(void **state)
{
	struct fx *f = *state;
	struct child_summary cs;
	struct store *s = NULL;
	struct record r;
	char path[512];

	assert_int_equal(run_sizes(f,
	                     SIGNIN "tap-text 复查帮扶计划：李小红\n"
	                            "tap-text 心理\n"
	                            "tap-text 下一步\n"
	                            "tap-text 联系外出父母\n"
	                            "tap-text 下一步\n"
	                            "tap-text 一个月后\n"
	                            "tap-text + 备注\n"
	                            "tap-text 拼音\n"
	                            "tap-text n\ntap-text a\ntap-text i\n"
	                            "tap-text n\ntap-text a\ntap-text i\n"
	                            "tap-text 奶奶\n"
	                            "tap-text 完成\n"
	                            "expect ✓ 备注\n"
	                            "shot plan_note_1024x600\n"
	                            "tap-text 保存\n"
	                            "expect 帮扶计划已保存。\n"
	                            "tap-text 知道了\n"
	                            "tap-text 返回\n"
	                            "tap-text 退出\n"),
	    GU_OK);
	golden(f, "plan_note_1024x600");
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	assert_int_equal(store_child_summary(s, "C002", &cs), GU_OK);
	assert_int_equal(store_get(s, cs.plan_seq, &r), GU_OK);
	assert_int_equal(r.kind, REC_PLAN);
	assert_string_equal(rec_str(&r, F_PLAN_NOTE), "奶奶");
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        task_list_and_forms, setup, teardown),
	    cmocka_unit_test_setup_teardown(taps_to_done, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        followup_from_task, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        followup_deep_in_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(plan_with_note, setup, teardown),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
