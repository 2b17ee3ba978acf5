/*
 * test_ui_notes.c: issue 11's notes on the kiosk, through the real event
 * loop on the headless platform with the real input method engines
 * (Zinnia with Debian's model, libgooglepinyin): a check-in's 备注 typed
 * in pinyin, one written by hand (十, two strokes the recogniser reads),
 * a home visit's three notes and the concern it raises, the method
 * remembered per staff member in the store, the note screen's golden
 * screenshots at every supported size (GUANAI_UPDATE_GOLDEN=1 rewrites
 * them), and a routine check-in that still takes five taps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "care_log.h"
#include "domain.h"
#include "kiosk.h"
#include "pin.h"
#include "store.h"
#include "ui_harness.h"

/* The school of test_ui_care: 赵老师 T001 (PIN 1234) mentors C001, C002. */
static void
make_store(const char *dir)
{
	struct store *s = NULL;
	char hash[PIN_HASH_LEN];

	assert_int_equal(
	    store_create(dir, "S001", "云溪区示范小学", "kiosk-01", NULL),
	    GU_OK);
	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	assert_int_equal(
	    ui_roster(s, "care-children.csv", "care-staff.csv"), GU_OK);
	assert_int_equal(pin_hash("1234", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T001", hash), GU_OK);
	assert_int_equal(pin_hash("9999", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T009", hash), GU_OK);
	store_close(s);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-uinotes-XXXXXX", make_store);
}

static int
teardown(void **state)
{
	return ui_teardown(state);
}

/* The last record of kind in the store, and how many there are. */
struct last {
	int kind, n;
	struct record r;
};

static int
last_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct last *l = arg;

	(void) voided_by;
	if (r->kind == l->kind) {
		l->n++;
		l->r = *r;
	}
	return 0;
}

static int
last_of(struct fx *f, int kind, struct record *out)
{
	struct store *s = NULL;
	char path[512], why[256];
	static struct last l;

	memset(&l, 0, sizeof(l));
	l.kind = kind;
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	assert_int_equal(store_log_walk(s, 1, last_cb, &l), GU_OK);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
	if (out != NULL)
		*out = l.r;
	return l.n;
}

static uint64_t
method_of(struct fx *f, const char *staff)
{
	struct store *s = NULL;
	char path[512];
	uint64_t v = 99;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	assert_int_equal(
	    store_staff_pref_get(s, staff, "ime_method", &v), GU_OK);
	store_close(s);
	return v;
}

#define SIGNIN_ZHAO                                                            \
	"tap-text 导师\n"                                                    \
	"tap-text 赵老师\n"                                                 \
	"tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"                     \
	"tap-text 确定\n"                                                    \
	"expect 赵老师 老师的孩子\n"

/* From the mentor's home to the check-in's last step: four taps. */
#define TO_CK_NOTES                                                            \
	"tap-nth 1 关爱记录\ntap-text 谈心谈话\ntap-text 开心\n"     \
	"tap-text 无，下一步\n"

/* The routine check-in is still five taps, and saves no note. */
static void
routine_still_five_taps(void **state)
{
	struct fx *f = *state;
	struct record r;

	assert_int_equal(
	    run(f,
	        "wait 200\n" SIGNIN_ZHAO TO_CK_NOTES "expect + 备注\n"
	        "tap-text 保存\n"
	        "expect 已保存。\n",
	        1024, 600),
	    GU_OK);
	assert_int_equal(last_of(f, REC_CHECKIN, &r), 1);
	assert_false(rec_has(&r, F_NOTE));
}

/*
 * 备注 by pinyin: nainai -> 奶奶, zhuyuan -> 住院, then 完成 and 保存.
 * The switch to pinyin is remembered for 赵老师: his next note opens on
 * the keyboard.
 */
static void
checkin_note_by_pinyin(void **state)
{
	struct fx *f = *state;
	struct record r;

	assert_int_equal(
	    run(f,
	        "wait 200\n" SIGNIN_ZHAO TO_CK_NOTES "tap-text + 备注\n"
	        "expect 0/200 字\n"
	        "tap-text 拼音\n"
	        "tap-text n\ntap-text a\ntap-text i\n"
	        "tap-text n\ntap-text a\ntap-text i\n"
	        "tap-text 奶奶\n"
	        "tap-text z\ntap-text h\ntap-text u\n"
	        "tap-text y\ntap-text u\ntap-text a\n"
	        "tap-text n\n"
	        "tap-text 住院\n"
	        "tap-text 。\n"
	        "expect 奶奶住院。\n"
	        "expect 5/200 字\n"
	        "tap-text 完成\n"
	        "expect ✓ 备注\n"
	        "tap-text 保存\n"
	        "expect 已保存。\n"
	        "tap-text 知道了\n"
	        /* The next note opens in pinyin. */
	        TO_CK_NOTES "tap-text + 备注\n"
	        "expect 手写\n"
	        "expect q\n"
	        "tap-text 取消\n"
	        "expect + 备注\n",
	        1024, 600),
	    GU_OK);
	assert_int_equal(last_of(f, REC_CHECKIN, &r), 1);
	assert_string_equal(rec_str(&r, F_NOTE), "奶奶住院。");
	assert_int_equal(method_of(f, "T001"), 1 + IME_PINYIN);
	assert_int_equal(method_of(f, "T009"), 0);
	assert_int_equal(f->k.ui.overflow, 0);
	assert_int_equal(f->k.ui.small_targets, 0);
}

/*
 * Opens the note screen at w x h and quits: where its pad is (the
 * strokes of a script are in window pixels).
 */
static struct ui_rect
pad_at(struct fx *f, int w, int h)
{
	assert_int_equal(
	    run(f,
	        "wait 200\n" SIGNIN_ZHAO TO_CK_NOTES "tap-text + 备注\n"
	        "wait 100\n",
	        w, h),
	    GU_OK);
	assert_true(f->k.note.w.pad.w > 100);
	return f->k.note.w.pad;
}

/* Two strokes of 十 on the pad p, into s. */
static void
strokes_shi(char *s, size_t len, struct ui_rect p)
{
	snprintf(s, len,
	    "drag %d %d %d %d 300\n"
	    "drag %d %d %d %d 300\n",
	    p.x + p.w / 8, p.y + p.h / 2, p.x + p.w * 7 / 8, p.y + p.h / 2,
	    p.x + p.w / 2, p.y + p.h / 10, p.x + p.w / 2, p.y + p.h * 9 / 10);
}

/* 备注 written by hand: 十, committed by the pause after the strokes. */
static void
checkin_note_by_handwriting(void **state)
{
	struct fx *f = *state;
	struct record r;
	struct ui_rect p = pad_at(f, 1024, 600);
	char strokes[256], script[2048];

	strokes_shi(strokes, sizeof(strokes), p);
	snprintf(script, sizeof(script),
	    "wait 200\n" SIGNIN_ZHAO TO_CK_NOTES "tap-text + 备注\n"
	    "%s"
	    "wait 1200\n"
	    "expect 1/200 字\n"
	    "tap-text 完成\n"
	    "tap-text 保存\n"
	    "expect 已保存。\n",
	    strokes);
	assert_int_equal(run(f, script, 1024, 600), GU_OK);
	assert_int_equal(last_of(f, REC_CHECKIN, &r), 1);
	assert_string_equal(rec_str(&r, F_NOTE), "十");
	assert_int_equal(method_of(f, "T001"), 0); /* never switched */
}

/* The note screen at every size: the pad with 十 and its candidates,
 * the keyboard with nainai's. */
static void
note_screens(void **state)
{
	struct fx *f = *state;
	char strokes[256], script[2048], name[64];

	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		strokes_shi(strokes, sizeof(strokes),
		    pad_at(f, ui_sizes[i].w, ui_sizes[i].h));
		snprintf(script, sizeof(script),
		    "wait 200\n" SIGNIN_ZHAO TO_CK_NOTES "tap-text + 备注\n"
		    "shot note_empty_%s\n"
		    "%s"
		    "wait 100\n"
		    "shot note_hw_%s\n"
		    "wait 1200\n"
		    "tap-text 拼音\n"
		    "tap-text n\ntap-text a\ntap-text i\n"
		    "tap-text n\ntap-text a\ntap-text i\n"
		    "shot note_py_%s\n"
		    "tap-text 手写\n",
		    ui_sizes[i].tag, strokes, ui_sizes[i].tag, ui_sizes[i].tag);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		assert_int_equal(f->k.ui.overflow, 0);
		assert_int_equal(f->k.ui.small_targets, 0);
		snprintf(name, sizeof(name), "note_empty_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(name, sizeof(name), "note_hw_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(name, sizeof(name), "note_py_%s", ui_sizes[i].tag);
		golden(f, name);
	}
}

/* A visit's three notes; the concern it raises carries 发现的问题. */
static void
visit_notes(void **state)
{
	struct fx *f = *state;
	struct record v, c;

	assert_int_equal(run(f,
	                     "wait 200\n" SIGNIN_ZHAO "tap-nth 1 走访\n"
	                     "tap-text 今天\n"
	                     "tap-text 祖父母\n"
	                     "tap-text 监护落实\n"
	                     "tap-text 无隐患，下一步\n"
	                     "tap-text 好\ntap-text 好\ntap-text 开心\n"
	                     "tap-text 家庭变故\n"
	                     "tap-text + 发现的问题\n"
	                     "tap-text 拼音\n"
	                     "tap-text n\ntap-text a\ntap-text i\n"
	                     "tap-text n\ntap-text a\ntap-text i\n"
	                     "tap-text 奶奶\n"
	                     "tap-text 完成\n"
	                     "tap-text 下一步\n"
	                     "tap-text 结对帮扶\n"
	                     "tap-text + 采取的措施\n"
	                     "tap-text j\ntap-text i\ntap-text e\n"
	                     "tap-text d\ntap-text u\ntap-text i\n"
	                     "tap-text 结对\n"
	                     "tap-text 完成\n"
	                     "tap-text 下一步\n"
	                     "tap-text 一个月后\n"
	                     "tap-text + 家长或监护人的意见\n"
	                     "tap-text 1\ntap-text 2\n"
	                     "tap-text 完成\n"
	                     "expect ✓ 家长或监护人的意见\n"
	                     "tap-text 保存\n",
	                     1024, 600),
	    GU_OK);
	assert_int_equal(last_of(f, REC_VISIT, &v), 1);
	assert_string_equal(rec_str(&v, F_NOTE), "奶奶");
	assert_string_equal(rec_str(&v, F_MEASURES_NOTE), "结对");
	assert_string_equal(rec_str(&v, F_GUARDIAN_NOTE), "12");
	assert_int_equal(last_of(f, REC_CONCERN, &c), 1);
	assert_string_equal(rec_str(&c, F_NOTE), "奶奶");
	assert_int_equal((uint64_t) rec_int(&c, F_SOURCE, 0), v.seq);
}

/* A work log entry: no child, the day, the kind of work, the entry; it
 * is listed on the screen at once. */
static void
worklog_entry(void **state)
{
	struct fx *f = *state;
	struct record r;
	char script[2048], name[64];

	assert_int_equal(run(f,
	                     "wait 200\n" SIGNIN_ZHAO "tap-text 工作日志\n"
	                     "expect 还没有写过工作日志。\n"
	                     "expect-not 保存\n" /* nothing written yet */
	                     "tap-text 昨天\n"
	                     "tap-text 家访准备\n"
	                     "tap-text + 工作日志\n"
	                     "tap-text 拼音\n"
	                     "tap-text j\ntap-text i\ntap-text a\n"
	                     "tap-text f\ntap-text a\ntap-text n\n"
	                     "tap-text g\n"
	                     "tap-text 家访\n"
	                     "tap-text 完成\n"
	                     "expect ✓ 工作日志\n"
	                     "tap-text 保存\n"
	                     "tap-text 知道了\n"
	                     "expect 我最近的工作日志\n"
	                     "expect 2026-03-01 家访准备：家访\n",
	                     1024, 600),
	    GU_OK);
	assert_int_equal(last_of(f, REC_WORKLOG, &r), 1);
	assert_string_equal(r.author, "T001");
	assert_false(rec_has(&r, F_CHILD));
	assert_string_equal(rec_str(&r, F_DATE), "2026-03-01");
	assert_string_equal(rec_str(&r, F_WORK), "visit_prep");
	assert_string_equal(rec_str(&r, F_NOTE), "家访");
	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(script, sizeof(script),
		    "wait 200\n" SIGNIN_ZHAO "shot worklog_home_%s\n"
		    "tap-text 工作日志\n"
		    "tap-text 培训\n"
		    "shot worklog_%s\n",
		    ui_sizes[i].tag, ui_sizes[i].tag);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		assert_int_equal(f->k.ui.overflow, 0);
		if (f->k.ui.small_targets != 0)
			fail_msg("%s: %d small targets", ui_sizes[i].tag,
			    f->k.ui.small_targets);
		snprintf(name, sizeof(name), "worklog_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(
		    name, sizeof(name), "worklog_home_%s", ui_sizes[i].tag);
		golden(f, name);
	}
}

#define LONG_NOTE                                                                                                \
	"奶奶上周住院了，孩子这周住在姑姑家，姑姑家离学校远，每天早上六点就要" \
	"出门。"                                                                                              \
	"孩子说想奶奶，晚上睡不好，上课有点走神。和姑姑通了电话，姑姑说会多陪" \
	"陪他，"                                                                                              \
	"周末带他去医院看奶奶。下周再来看看情况。"

/* Whether the last frame of f's kiosk drew text t whole in one text
 * (the toolkit's wrapping breaks, '\r', left out). */
static int
drawn_whole(struct fx *f, const char *t)
{
	const struct ui *ui = &f->k.ui;
	static char buf[UI_TEXT_MAX];

	for (size_t i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		size_t n = 0;
		if (c->kind != UI_CMD_TEXT)
			continue;
		for (size_t j = 0; j < c->text_len && n + 1 < sizeof(buf); j++)
			if (ui->text[c->text_off + j] != '\r')
				buf[n++] = ui->text[c->text_off + j];
		buf[n] = '\0';
		if (strcmp(buf, t) == 0 &&
		    !(c->tflags & (UI_TEXT_CUT | UI_TEXT_NOFIT)))
			return 1;
	}
	return 0;
}

/* A check-in with a long note, made through the domain as the screen
 * would, before the kiosk runs. */
static void
add_long_checkin(struct fx *f)
{
	struct store *s = NULL;
	struct domain d;
	struct auth_session ses;
	struct care_checkin c = {"C001", 0, 3, 0, 0, LONG_NOTE, NULL};
	char path[512];
	uint64_t seq = 0;

	memset(&ses, 0, sizeof(ses));
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T001");
	ses.roles = ROLE_MENTOR;
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	domain_init(&d, s, 480);
	assert_int_equal(
	    care_log_checkin(&d, &ses, CLOCK_MS, &c, &seq, NULL), GU_OK);
	store_close(s);
}

/*
 * The child's file: a row shows the note cut with "…"; 详情 shows the
 * record whole, the note wrapped (golden at every size); back returns to
 * the file.  Then the record is voided with a reason in words.
 */
static void
file_detail_and_void_note(void **state)
{
	struct fx *f = *state;
	struct record v, c;
	char script[2048], name[64];

	add_long_checkin(f);
	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(script, sizeof(script),
		    "wait 200\n" SIGNIN_ZHAO "tap-text 王小明  三年级1班\n"
		    "expect 一人一档：王小明\n"
		    "tap-text 3月2日 08:30 · 赵老师\n"
		    "tap-text 详情\n"
		    "expect 记录详情：王小明\n"
		    "shot file_detail_%s\n",
		    ui_sizes[i].tag);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		/* The whole note, where the file's row cut it. */
		assert_true(drawn_whole(f, "备注：" LONG_NOTE));
		assert_int_equal(f->k.ui.overflow, 0);
		assert_int_equal(f->k.ui.small_targets, 0);
		snprintf(name, sizeof(name), "file_detail_%s", ui_sizes[i].tag);
		golden(f, name);
	}
	/* Back to the file, the line still chosen; then a void with its
	 * reason in words. */
	assert_int_equal(
	    run(f,
	        "wait 200\n" SIGNIN_ZHAO "tap-text 王小明  三年级1班\n"
	        "tap-text 3月2日 08:30 · 赵老师\n"
	        "tap-text 详情\n"
	        "tap-text 返回\n"
	        "expect 一人一档：王小明\n"
	        "expect 详情\n"
	        "tap-text 作废\n"
	        "tap-text + 原因\n"
	        "tap-text 拼音\n"
	        "tap-text c\ntap-text u\ntap-text o\n"
	        "tap-text w\ntap-text u\n"
	        "tap-text 错误\n"
	        "tap-text 完成\n"
	        "expect ✓ 原因\n"
	        "tap-text 其他原因\n"
	        "expect 已作废。原记录还在， 标着“已作废”。\n",
	        1024, 600),
	    GU_OK);
	assert_int_equal(last_of(f, REC_VOID, &v), 1);
	assert_int_equal(last_of(f, REC_CHECKIN, &c), 1);
	assert_string_equal(rec_str(&v, F_REASON), "other");
	assert_string_equal(rec_str(&v, F_NOTE), "错误");
	assert_int_equal((uint64_t) rec_int(&v, F_TARGET, 0), c.seq);
	assert_string_equal(rec_str(&c, F_NOTE), LONG_NOTE);
}

/* A lecture on topic 其他, what it was in words, given by someone not on
 * the staff list. */
static void
lecture_other_topic_and_lecturer(void **state)
{
	struct fx *f = *state;
	struct record r;

	assert_int_equal(run(f,
	                     "wait 200\n"
	                     "tap-text 安全讲堂签到\n"
	                     "tap-text 赵老师\n"
	                     "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
	                     "tap-text 确定\n"
	                     "drag 500 420 500 100 400\n"
	                     "wait 1500\n"
	                     "tap-text 其他\n"
	                     "expect 讲的是什么主题\n"
	                     "tap-text 拼音\n"
	                     "tap-text a\ntap-text n\ntap-text q\n"
	                     "tap-text u\ntap-text a\ntap-text n\n"
	                     "tap-text 安全\n"
	                     "tap-text 完成\n"
	                     "drag 500 500 500 120 400\n"
	                     "wait 1500\n"
	                     "tap-text 其他人\n"
	                     "expect 讲课人的名字\n"
	                     "tap-text l\ntap-text i\n"
	                     "tap-text 李\n"
	                     "tap-text 完成\n"
	                     "tap-text 全选\n"
	                     "tap-text 开始签到\n"
	                     "expect 已到 0/7\n",
	                     1024, 600),
	    GU_OK);
	assert_int_equal(last_of(f, REC_LECTURE, &r), 1);
	assert_string_equal(rec_str(&r, F_TOPIC), "other");
	assert_string_equal(rec_str(&r, F_TOPIC_NOTE), "安全");
	assert_string_equal(rec_str(&r, F_LECTURER), "李");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        routine_still_five_taps, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        checkin_note_by_pinyin, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        checkin_note_by_handwriting, setup, teardown),
	    cmocka_unit_test_setup_teardown(note_screens, setup, teardown),
	    cmocka_unit_test_setup_teardown(visit_notes, setup, teardown),
	    cmocka_unit_test_setup_teardown(worklog_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        file_detail_and_void_note, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        lecture_other_topic_and_lecturer, setup, teardown),
	};

	setenv("SDL_AUDIODRIVER", "dummy", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
