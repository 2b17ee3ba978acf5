/*
 * test_ui_staff.c: issue 12's staff parts on the kiosk, end to end without
 * a display (the real event loop, headless, clock fixed at 2026-03-02
 * 08:30 +08, real fonts), at every supported size with golden
 * screenshots: the mandatory report any staff member files (a 班主任 who
 * mentors nobody reports a child of another class; 我选错了; the head
 * sees it at once; the reporter still cannot open the child's file).
 * Each asserts what reached the store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ack.h"
#include "care.h"
#include "care_log.h"
#include "domain.h"
#include "kiosk.h"
#include "pin.h"
#include "platform.h"
#include "settings.h"
#include "status.h"
#include "store.h"
#include "strtab.h"
#include "ui_harness.h"

/*
 * The children of test_ui_care (tests/data/care-children.csv) and its
 * staff with one more: 孙老师 T003, 班主任 only, mentor of nobody (PIN
 * 5678, chosen).  赵老师 T001 1234 and 周校长 T009 9999 have chosen
 * theirs; 钱老师 T002 still has the initial 1111.
 */
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
	    ui_roster(s, "care-children.csv", "staff-staff.csv"), GU_OK);
	assert_int_equal(pin_hash("1234", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T001", hash), GU_OK);
	assert_int_equal(pin_hash("5678", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T003", hash), GU_OK);
	assert_int_equal(pin_hash("9999", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T009", hash), GU_OK);
	store_close(s);
}

static int
setup(void **state)
{
	int rc = ui_setup(state, "/tmp/guanai-uistaff-XXXXXX", make_store);
	struct fx *f;

	if (rc != 0)
		return rc;
	f = *state;
	snprintf(f->cfg.report_civil, sizeof(f->cfg.report_civil), "%s",
	    "0731-8888000");
	return 0;
}

static int
teardown(void **state)
{
	return ui_teardown(state);
}

/* ---- reading the store back ---- */

struct found {
	int n[REC_KIND_MAX];
	struct record last[REC_KIND_MAX];
	char events[2048];
};

static int
found_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct found *fd = arg;
	size_t n;

	(void) voided_by;
	fd->n[r->kind]++;
	fd->last[r->kind] = *r;
	if (r->kind == REC_AUTH) {
		n = strlen(fd->events);
		snprintf(fd->events + n, sizeof(fd->events) - n, "%s:%s:%s ",
		    r->author, rec_str(r, F_STAFF), rec_str(r, F_EVENT));
	}
	return 0;
}

static void
read_back(struct fx *f, struct found *fd)
{
	memset(fd, 0, sizeof(*fd));
	ui_read_back(f, found_cb, fd);
}

/* What a test adds to each fresh store of run_at() before the run. */
static void (*extra)(const char *dir);

/* Runs script (with "{S}" in it replaced by WxH) at size i, on a fresh
 * store. */
static void
run_at(struct fx *f, size_t i, const char *script)
{
	char buf[8192], sz[32], path[512], cmd[600];
	const char *p = script, *q;
	size_t used = 0;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
	make_store(path);
	if (extra != NULL)
		extra(path);

	snprintf(sz, sizeof(sz), "%dx%d", ui_sizes[i].w, ui_sizes[i].h);
	while ((q = strstr(p, "{S}")) != NULL) {
		memcpy(buf + used, p, (size_t) (q - p));
		used += (size_t) (q - p);
		memcpy(buf + used, sz, strlen(sz));
		used += strlen(sz);
		p = q + 3;
	}
	snprintf(buf + used, sizeof(buf) - used, "%s", p);
	f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
	assert_int_equal(run(f, buf, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
}

/* Compares shot name_WxH of the last run with its golden. */
static void
golden_at(struct fx *f, size_t i, const char *name)
{
	char n[128];

	snprintf(n, sizeof(n), "%s_%dx%d", name, ui_sizes[i].w, ui_sizes[i].h);
	golden(f, n);
}

#define SIGNIN(tile, who, pin)                                                 \
	"tap-text " tile "\n"                                                  \
	"tap-text " who "\n" pin "tap-text 确定\n"
#define PIN_1234 "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
#define PIN_5678 "tap-text 5\ntap-text 6\ntap-text 7\ntap-text 8\n"
#define PIN_9999 "tap-text 9\ntap-text 9\ntap-text 9\ntap-text 9\n"

/*
 * A 班主任 who mentors nobody files a mandatory report on a child of
 * another mentor: the class, a wrong name, 我选错了, the right one, the
 * law with the local numbers, what was recorded.  The head sees it on
 * his screen at once.  The reporter's rights do not widen.
 */
static void
report_by_class_teacher(void **state)
{
	struct fx *f = *state;
	struct found fd;
	struct store *s = NULL;
	struct auth_session ses;
	struct care_policy cp;
	char path[512];
	size_t i;

	for (i = 0; i < UI_NSIZES; i++) {
		run_at(f, i,
		    "wait 200\n" SIGNIN("导师", "孙老师", PIN_5678)
		    /* His home: no children of his own, the report. */
		    "expect 孙老师 老师的孩子\n"
		    "expect 还没有分给你的孩子。\n"
		    "shot staff_home_teacher_{S}\n"
		    "tap-text 强制报告\n"
		    "expect 强制报告：孩子在哪个班？\n"
		    "shot staff_report_class_{S}\n"
		    "tap-text 三年级1班\n"
		    "expect 强制报告：是哪个孩子？\n"
		    "shot staff_report_name_{S}\n"
		    "tap-text 王小明\n"
		    "expect 关于：王小明（三年级1班）\n"
		    "expect 本地电话：派出所 110 · 民政 0731-8888000 · "
		    "教育局 未设置\n"
		    "shot staff_report_law_{S}\n"
		    /* The wrong child: back before anything is saved. */
		    "tap-text 我选错了\n"
		    "expect 强制报告：是哪个孩子？\n"
		    "tap-text 李小红\n"
		    "expect 关于：李小红（三年级1班）\n"
		    "tap-text 记录强制报告\n"
		    "expect "
		    "会最先上传，校长已经能看到。请马上按下面的电话报告。\n"
		    "shot staff_report_done_{S}\n"
		    "tap-text 完成\n"
		    "expect 孙老师 老师的孩子\n"
		    "expect-not 李小红  三年级1班\n"
		    "tap-text 退出\n"
		    /* The head sees it at once. */
		    SIGNIN("校长", "周校长",
		        PIN_9999) "expect 未关闭的紧急报告 1 条：李小红\n"
		                  "shot staff_head_report_{S}\n");
		read_back(f, &fd);
		assert_int_equal(fd.n[REC_CONCERN], 1);
		assert_string_equal(fd.last[REC_CONCERN].author, "T003");
		assert_string_equal(
		    rec_str(&fd.last[REC_CONCERN], F_CHILD), "C002");
		assert_string_equal(
		    rec_str(&fd.last[REC_CONCERN], F_CONCERNS), "harm");
		assert_true(fd.last[REC_CONCERN].flags & REC_FLAG_URGENT);
		assert_int_equal(
		    rec_int(&fd.last[REC_CONCERN], F_URGENT, 0), 1);
		/* No file was opened: nothing was shown of the child. */
		assert_int_equal(fd.n[REC_FILE_VIEW], 0);
		golden_at(f, i, "staff_home_teacher");
		golden_at(f, i, "staff_report_class");
		golden_at(f, i, "staff_report_name");
		golden_at(f, i, "staff_report_law");
		golden_at(f, i, "staff_report_done");
		golden_at(f, i, "staff_head_report");
	}

	/* The reporter may not open the child's file afterwards. */
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	memset(&ses, 0, sizeof(ses));
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T003");
	ses.roles = ROLE_TEACHER;
	care_policy_default(&cp);
	assert_false(care_may_see(s, &ses, "C002"));
	assert_int_equal(
	    care_open_file(s, &cp, CLOCK_MS, &ses, "C002"), GU_EPERM);
	/* Nor may another mentor (钱老师 mentors C003 only). */
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T002");
	ses.roles = ROLE_MENTOR;
	assert_false(care_may_see(s, &ses, "C002"));
	store_close(s);
}

/*
 * An urgent concern about 李小红 (C002) the district has acknowledged, as
 * the sync daemon writes it (sync/ack.c: the device is the author), and
 * one about 王小明 (C001) not acknowledged yet.
 */
static void
acked_store(const char *dir)
{
	struct store *s = NULL;
	struct store_info info;
	struct ack_entry e;
	struct record r;
	char why[200];
	const char *kids[2] = {"C002", "C001"};
	uint64_t seq[2];

	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	assert_int_equal(store_info(s, &info), GU_OK);
	for (int i = 0; i < 2; i++) {
		rec_init(&r, REC_CONCERN);
		r.time_ms = CLOCK_MS - 3600000;
		r.tz_min = 480;
		r.flags = REC_FLAG_URGENT;
		cpy(r.author, sizeof(r.author), "T001");
		rec_set_str(&r, F_CHILD, kids[i]);
		rec_set_add(&r, F_CONCERNS, "harm");
		rec_set_int(&r, F_URGENT, 1);
		assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
		seq[i] = r.seq;
	}
	memset(&e, 0, sizeof(e));
	cpy(e.device, sizeof(e.device), info.device);
	e.epoch = info.epoch;
	e.seq = seq[0];
	cpy(e.date, sizeof(e.date), "2026-03-02");
	cpy(e.outcome, sizeof(e.outcome), "police");
	cpy(e.by, sizeof(e.by), "王科长");
	cpy(e.note, sizeof(e.note), "已转城关派出所");
	assert_int_equal(ack_record(&r, &e, why, sizeof(why)), GU_OK);
	r.time_ms = CLOCK_MS - 600000;
	r.tz_min = 480;
	cpy(r.author, sizeof(r.author), info.device);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	store_close(s);
}

/*
 * The district's acknowledgement (issue 15): the head sees 已受理 with the
 * day and the outcome under the open urgent reports, only for the one
 * acknowledged; the child's file has its line.
 */
static void
head_sees_ack(void **state)
{
	struct fx *f = *state;
	size_t i;

	extra = acked_store;
	for (i = 0; i < UI_NSIZES; i++) {
		run_at(f, i,
		    "wait 200\n" SIGNIN("校长", "周校长",
		        PIN_9999) "expect 李小红：已受理 3月2日 · 已转公安\n"
		                  "expect-not 王小明：已受理 3月2日 · "
		                  "已转公安\n"
		                  "shot staff_head_ack_{S}\n"
		                  "tap-text 全校孩子\n"
		                  "tap-text 李小红  三年级1班\n"
		                  "expect 一人一档：李小红\n"
		                  "expect 3月2日 08:20 · 区教体局\n"
		                  "shot staff_file_ack_{S}\n"
		                  /* Whole; it cannot be voided, even by the
		                   * head. */
		                  "tap-text 3月2日 08:20 · 区教体局\n"
		                  "expect 这条记录只能查看。\n"
		                  "shot staff_file_ack_detail_{S}\n");
		golden_at(f, i, "staff_head_ack");
		golden_at(f, i, "staff_file_ack");
		golden_at(f, i, "staff_file_ack_detail");
	}
	extra = NULL;
}

/* The local numbers are settings: read, checked, errors at file:line. */
static void
report_numbers_setting(void **state)
{
	struct settings c;
	char path[128], err[600], want[600];
	FILE *fp;

	(void) state;
	snprintf(path, sizeof(path), "/tmp/guanai-numbers-XXXXXX");
	assert_true(mkstemp(path) >= 0);
	settings_defaults(&c);
	assert_string_equal(c.report_police, "110");
	assert_string_equal(c.report_civil, "");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("report_police = 0731-84112110\nreport_civil = 0731-8888000\n"
	      "report_edu = 12345\n",
	    fp);
	fclose(fp);
	assert_int_equal(settings_load(&c, path, err, sizeof(err)), GU_OK);
	assert_string_equal(c.report_police, "0731-84112110");
	assert_string_equal(c.report_civil, "0731-8888000");
	assert_string_equal(c.report_edu, "12345");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("report_edu = 12345\nreport_civil = call Li\n", fp);
	fclose(fp);
	assert_int_equal(settings_load(&c, path, err, sizeof(err)), GU_EINVAL);
	snprintf(want, sizeof(want),
	    "%s:2: a phone number: 1-20 digits and '-'", path);
	assert_string_equal(err, want);
	unlink(path);
}

/* Taps the digits of pin on the keypad, then 确定. */
static void
pin_taps(char *out, size_t len, const char *pin)
{
	size_t used = 0;

	out[0] = '\0';
	for (; *pin != '\0' && used + 16 < len; pin++)
		used += (size_t) snprintf(
		    out + used, len - used, "tap-text %c\n", *pin);
	snprintf(out + used, len - used, "tap-text 确定\n");
}

/*
 * 赵老师 forgets his PIN and locks himself out: the lock-out says the
 * head can reset it.  The head, signed in with his own PIN, resets it
 * (audited); the temporary PIN is shown once; 赵老师 signs in with it
 * and must choose a new one.
 */
static void
pin_reset_by_head(void **state)
{
	struct fx *f = *state;
	struct found fd;
	struct store *s = NULL;
	struct staff st;
	struct auth_session ses;
	struct auth_policy ap;
	char path[512], temp[PIN_TEMP_DIGITS + 1], taps[512], script[2048];
	size_t i;

	for (i = 0; i < UI_NSIZES; i++) {
		run_at(f, i,
		    "wait 200\n"
		    "tap-text 导师\n"
		    "tap-text 赵老师\n" PIN_9999 "tap-text 确定\n" PIN_9999
		    "tap-text 确定\n" PIN_9999 "tap-text 确定\n"
		    "expect 忘了密码？请校长在他的页面上帮你重置。\n"
		    "shot staff_locked_{S}\n"
		    "tap-text 返回\n"
		    "tap-text 返回\n" SIGNIN("校长", "周校长",
		        PIN_9999) "tap-text 重置密码\n"
		                  "expect 谁忘了密码？\n"
		                  "expect-not 周校长\n"
		                  "shot staff_pinreset_who_{S}\n"
		                  "tap-text 赵老师\n"
		                  "expect 给 赵老师 重置密码？\n"
		                  "shot staff_pinreset_sure_{S}\n"
		                  "tap-text 确定重置\n"
		                  "expect 赵老师 的临时密码：\n"
		                  "expect 请当面告诉 "
		                  "赵老师，不要写下来；他下次登录时要设新密码。"
		                  "\n");
		golden_at(f, i, "staff_locked");
		golden_at(f, i, "staff_pinreset_who");
		golden_at(f, i, "staff_pinreset_sure");
		/* The temporary PIN, as the screen showed it. */
		memcpy(temp, f->k.pinreset.temp, sizeof(temp));
		assert_int_equal(strlen(temp), PIN_TEMP_DIGITS);
		assert_true(pin_ok(temp));
		snprintf(path, sizeof(path), "%s/store", f->dir);
		assert_int_equal(store_open(&s, path, NULL), GU_OK);
		assert_int_equal(store_staff_get(s, "T001", &st), GU_OK);
		assert_int_equal(st.must_change_pin, 1);
		assert_int_equal(pin_verify(st.pin_hash, temp), GU_OK);
		assert_int_equal(pin_verify(st.pin_hash, "1234"), GU_EAUTH);
		store_close(s);

		/* The next sign-in: the temporary PIN, then a new one. */
		pin_taps(taps, sizeof(taps), temp);
		snprintf(script, sizeof(script),
		    "wait 200\ntap-text 导师\ntap-text 赵老师\n%s"
		    "expect 为了安全，第一次登录要换掉初始密码。\n"
		    "%s" PIN_5678 "tap-text 确定\n" PIN_5678 "tap-text 确定\n"
		    "expect 新密码设好了， 以后请用新密码登录。\n"
		    "tap-text 知道了\n"
		    "expect 赵老师 老师的孩子\n",
		    taps, "");
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		read_back(f, &fd);
		assert_non_null(strstr(fd.events,
		    "T001:T001:pin_locked T009:T009:signin "
		    "T009:T001:pin_reset "));
		assert_non_null(strstr(
		    fd.events, "T001:T001:signin T001:T001:pin_changed"));
	}

	/* Only a signed-in headteacher may, and not his own. */
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	auth_policy_default(&ap);
	ap.opslimit = 1;
	ap.memlimit = 8192;
	memset(&ses, 0, sizeof(ses));
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T001");
	ses.roles = ROLE_MENTOR | ROLE_TEACHER;
	assert_int_equal(
	    auth_reset_pin(s, &ap, CLOCK_MS, &ses, "T002", temp), GU_EPERM);
	assert_string_equal(temp, "");
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T009");
	ses.roles = ROLE_HEAD;
	ses.must_change_pin = 1;
	assert_int_equal(
	    auth_reset_pin(s, &ap, CLOCK_MS, &ses, "T002", temp), GU_EPERM);
	ses.must_change_pin = 0;
	assert_int_equal(
	    auth_reset_pin(s, &ap, CLOCK_MS, &ses, "T009", temp), GU_EINVAL);
	assert_int_equal(
	    auth_reset_pin(s, &ap, CLOCK_MS, &ses, "T404", temp), GU_ENOTFOUND);
	store_close(s);
}

/* 安全讲堂签到 with no lecture open says so first, in large words; a
 * teacher still starts one from the same screen. */
static void
no_lecture_open(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < UI_NSIZES; i++) {
		run_at(f, i,
		    "wait 200\n"
		    "tap-text 安全讲堂签到\n"
		    "expect 现在没有讲座\n"
		    "expect "
		    "同学们请等老师开始讲座再来签到。老师开讲座：请点你的"
		    "名字。\n"
		    "shot staff_no_lecture_{S}\n"
		    "tap-text 赵老师\n" PIN_1234 "tap-text 确定\n"
		    "expect 防溺水\n");
		golden_at(f, i, "staff_no_lecture");
	}
}

/* A student's path to the quiet request, and its confirmation. */
#define TALK(cls, name)                                                        \
	"tap-text 我的辅导记录\n"                                        \
	"tap-text " cls "\n"                                                   \
	"tap-text " name "\n"                                                  \
	"tap-text 我想找老师说说话\n"                                  \
	"expect 记下了。 老师会找时间和你聊聊。\n"              \
	"expect-not 导师\nexpect-not 赵老师\nexpect-not 周校长\n"

/* Yesterday 赵老师 checked in with both of his children: their contact
 * is not due, and a check-in before an ask does not answer it. */
static void
contacted_store(const char *dir)
{
	struct store *s = NULL;
	struct record r;
	char why[200];
	const char *kids[2] = {"C001", "C002"};

	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	for (int i = 0; i < 2; i++) {
		rec_init(&r, REC_CHECKIN);
		r.time_ms = CLOCK_MS - 86400000LL;
		r.tz_min = 480;
		cpy(r.author, sizeof(r.author), "T001");
		rec_set_str(&r, F_CHILD, kids[i]);
		rec_set_str(&r, F_TYPE, "talk");
		rec_set_int(&r, F_MOOD, 4);
		assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	}
	store_close(s);
}

/*
 * 我想找老师说说话: 王小明 (mentor 赵老师) and 刘芳 (no mentor) ask the
 * same way and see the same confirmation, naming nobody; 李小红 logs a
 * 很难过.  赵老师 sees both of his on his home as tasks, not 刘芳's (the
 * head's), though he checked in with them the day before; a check-in
 * answers the request and its task goes.  The records: by the
 * student, to the mentor, or to the head for a child without one.
 */
static void
talk_request_quiet(void **state)
{
	struct fx *f = *state;
	struct found fd;
	size_t i;

	extra = contacted_store;
	for (i = 0; i < UI_NSIZES; i++) {
		run_at(f, i,
		    "wait 200\n"
		    "tap-text 我的辅导记录\n"
		    "tap-text 三年级1班\n"
		    "tap-text 王小明\n"
		    "shot staff_stu_talk_{S}\n"
		    "tap-text 我想找老师说说话\n"
		    "expect 记下了。 老师会找时间和你聊聊。\n"
		    "shot staff_stu_talk_done_mentor_{S}\n"
		    "expect-not 导师\nexpect-not 赵老师\nexpect-not 周校长\n"
		    "tap-text 完成\n" TALK("四年级2班",
		        "刘芳") "shot staff_stu_talk_done_nomentor_{S}\n"
		                "tap-text 完成\n"
		                /* 很难过 in a student's own log. */
		                "tap-text 我的辅导记录\n"
		                "tap-text 三年级1班\n"
		                "tap-text 李小红\n"
		                "tap-text 学习\n"
		                "shot staff_stu_feel_{S}\n" /* vector faces */
		                "tap-text 很难过\n"
		                "tap-text 完成\n" SIGNIN("导师", "赵老师",
		                    PIN_1234) "expect 想找你说说话：王小明\n"
		                              "expect 很难过：李小红\n"
		                              "expect-not 刘芳\n"
		                              "expect-not 想找老师说说话 ·\n"
		                              "shot staff_mentor_asks_{S}\n"
		                              /* A check-in answers it. */
		                              "tap-text 想找你说说话：王小明\n"
		                              "tap-text 谈心谈话\n"
		                              "tap-text 开心\n"
		                              "tap-text 无，下一步\n"
		                              "tap-text 保存\n"
		                              "tap-text 知道了\n"
		                              "expect-not "
		                              "想找你说说话：王小明\n"
		                              "expect 很难过：李小红\n");
		golden_at(f, i, "staff_stu_talk");
		golden_at(f, i, "staff_stu_talk_done_mentor");
		golden_at(f, i, "staff_stu_talk_done_nomentor");
		golden_at(f, i, "staff_stu_feel");
		golden_at(f, i, "staff_mentor_asks");
		read_back(f, &fd);
		assert_int_equal(fd.n[REC_TALK_REQUEST], 2);
		assert_true(
		    fd.last[REC_TALK_REQUEST].flags & REC_FLAG_BY_STUDENT);
		assert_string_equal(fd.last[REC_TALK_REQUEST].author, "C004");
		assert_string_equal(
		    rec_str(&fd.last[REC_TALK_REQUEST], F_MENTOR), "T009");
		assert_int_equal(fd.n[REC_CHECKIN], 3);
		assert_string_equal(
		    rec_str(&fd.last[REC_CHECKIN], F_CHILD), "C001");
	}
	extra = NULL;
}

/*
 * Corrections that cannot go wrong: a follow-up records what was done and
 * keeps the concern open (保存，继续跟进), the concern it follows shown
 * above the choices; a void shows what it voids, in words (when, whose,
 * what), never a record number.
 */
static void
followup_keeps_and_void_shows(void **state)
{
	struct fx *f = *state;
	struct found fd;
	size_t i;

	for (i = 0; i < UI_NSIZES; i++) {
		run_at(f, i,
		    "wait 200\n" SIGNIN("导师", "赵老师",
		        PIN_1234) "tap-nth 1 关爱记录\n"
		                  "tap-text 学业辅导\n"
		                  "tap-text 一般\n"
		                  "tap-text 学业困难\n"
		                  "tap-text 下一步\n"
		                  "tap-text 保存\n"
		                  "tap-text 知道了\n"
		                  "tap-text 王小明  三年级1班\n"
		                  "tap-text 未关闭\n"
		                  "tap-text 跟进并关闭\n"
		                  "tap-text 已联系家人\n"
		                  "expect 跟进这条关注：3月2日 08:30 · 王小明 "
		                  "· 发现问题：学业困难\n"
		                  "shot staff_followup_{S}\n"
		                  "tap-text 保存，继续跟进\n"
		                  "expect "
		                  "已记录跟进，这个问题还开着，会继续提醒。\n"
		                  "tap-text 知道了\n"
		                  "expect 未关闭\n"
		                  /* The check-in, voided: what it was, in words
		                   * (the list scrolled to it on a short screen). */
		                  "drag 500 500 500 300 400\n"
		                  "wait 800\n"
		                  "drag 300 900 300 700 400\n"
		                  "wait 800\n"
		                  "tap-text 学业辅导·心情 一般·发现：学业困难\n"
		                  "tap-text 作废\n"
		                  "expect 要作废：3月2日 08:30 · 王小明 · "
		                  "学业辅导·心情 一般·发现：学业困难\n"
		                  "expect-not 第\n"
		                  "shot staff_void_{S}\n"
		                  /* It raised a concern: what becomes of it? */
		                  "tap-text 内容记错了\n"
		                  "expect "
		                  "这条记录还提出了关注（发现问题：学业困难），"
		                  "怎么办？\n"
		                  "shot staff_void_concern_{S}\n"
		                  "tap-text 关注也一起作废\n"
		                  "tap-text 知道了\n"
		                  "expect-not 未关闭\n");
		golden_at(f, i, "staff_followup");
		golden_at(f, i, "staff_void");
		golden_at(f, i, "staff_void_concern");
		read_back(f, &fd);
		assert_int_equal(fd.n[REC_FOLLOWUP], 1);
		assert_int_equal(
		    rec_int(&fd.last[REC_FOLLOWUP], F_CLOSES, 1), 0);
		assert_string_equal(rec_str(&fd.last[REC_FOLLOWUP], F_DONE),
		    "contacted_family");
		/* The check-in and the concern it raised, both voided. */
		assert_int_equal(fd.n[REC_VOID], 2);
		assert_string_equal(
		    rec_str(&fd.last[REC_VOID], F_REASON), "wrong_entry");
		assert_int_equal(ui_open_concerns(f), 0);
	}
}

/*
 * A check-in half filled when the idle sign-out comes is the same staff
 * member's draft for the rest of the day: another staff member does not
 * see it; he does, on his home, and goes on where he stopped.
 */
static void
draft_after_idle(void **state)
{
	struct fx *f = *state;
	struct found fd;
	size_t i;

	for (i = 0; i < UI_NSIZES; i++) {
		run_at(f, i,
		    "wait 200\n" SIGNIN("导师", "赵老师",
		        PIN_1234) "tap-nth 1 关爱记录\n"
		                  "tap-text 谈心谈话\n"
		                  "tap-text 开心\n"
		                  "wait 130000\n"
		                  "expect 安全讲堂签到\n" SIGNIN("导师",
		                      "孙老师",
		                      PIN_5678) "expect-not "
		                                "没填完的草稿：王小明 "
		                                "的关爱记录 · 接着填\n"
		                                "tap-text 退出\n" SIGNIN("导师",
		                                    "赵老师",
		                                    PIN_1234) "expect "
		                                              "没填完的草稿：王"
		                                              "小明 的关爱记录 "
		                                              "· 接着填\n"
		                                              "shot "
		                                              "staff_draft_{S}"
		                                              "\n"
		                                              "tap-text "
		                                              "没填完的草稿：王"
		                                              "小明 的关爱记录 "
		                                              "· 接着填\n"
		                                              "expect "
		                                              "已恢复你没填完的"
		                                              "草稿， "
		                                              "接着填就行。\n"
		                                              "tap-text "
		                                              "知道了\n"
		                                              "tap-text "
		                                              "无，下一步\n"
		                                              "tap-text 保存\n"
		                                              "tap-text "
		                                              "知道了\n"
		                                              "expect-not "
		                                              "没填完的草稿：王"
		                                              "小明 的关爱记录 "
		                                              "· 接着填\n");
		golden_at(f, i, "staff_draft");
		read_back(f, &fd);
		assert_int_equal(fd.n[REC_CHECKIN], 1);
		assert_string_equal(
		    rec_str(&fd.last[REC_CHECKIN], F_CHILD), "C001");
		assert_string_equal(
		    rec_str(&fd.last[REC_CHECKIN], F_TYPE), "talk");
		assert_int_equal(rec_int(&fd.last[REC_CHECKIN], F_MOOD, 0), 4);
		assert_non_null(strstr(fd.events, "T001:T001:timeout"));
	}
}

/*
 * The domain's rules without the screens: a report needs a session and
 * an active child, not the right to see him; a talk request shows as a
 * notice to the child's mentor until a check-in answers it, and not at
 * all once voided.
 */
static void
report_and_notice_rules(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct domain d;
	struct auth_session ses;
	struct care_policy cp;
	struct care_row rows[8];
	struct care_notice no[8];
	char path[512];
	size_t n = 0, nn = 0;
	uint64_t seq = 0, tseq = 0;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	domain_init(&d, s, 480);
	care_policy_default(&cp);
	memset(&ses, 0, sizeof(ses));
	/* No session: no report. */
	assert_int_equal(
	    care_log_report(&d, &ses, CLOCK_MS, "C001", &seq), GU_EPERM);
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T003");
	ses.roles = ROLE_TEACHER;
	assert_int_equal(
	    care_log_report(&d, &ses, CLOCK_MS, "C999", &seq), GU_ENOTFOUND);
	assert_int_equal(
	    care_log_report(&d, &ses, CLOCK_MS, "C005", &seq), GU_OK);
	assert_true(seq > 0);
	assert_false(care_may_see(s, &ses, "C005"));

	/* 王小明 asks; his mentor sees it; a check-in answers it. */
	assert_int_equal(care_log_talk(&d, CLOCK_MS, "C001", &tseq), GU_OK);
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T001");
	ses.roles = ROLE_MENTOR | ROLE_TEACHER;
	assert_int_equal(
	    care_rows(s, &cp, CLOCK_MS + 1000, &ses, rows, 8, &n), GU_OK);
	assert_int_equal(
	    care_notices(s, CLOCK_MS + 1000, rows, n, no, 8, &nn), GU_OK);
	assert_int_equal(nn, 1);
	assert_string_equal(no[0].child.id, "C001");
	assert_int_equal(no[0].kind, CARE_N_TALK);
	/* Voided (the head may void a child's record): gone. */
	snprintf(ses.staff_id, sizeof(ses.staff_id), "T009");
	ses.roles = ROLE_HEAD;
	assert_int_equal(
	    care_log_void(&d, &ses, CLOCK_MS + 2000, tseq, 0, &seq), GU_OK);
	assert_int_equal(
	    care_notices(s, CLOCK_MS + 3000, rows, n, no, 8, &nn), GU_OK);
	assert_int_equal(nn, 0);
	/* Asked again, then answered by a check-in. */
	assert_int_equal(
	    care_log_talk(&d, CLOCK_MS + 4000, "C001", &tseq), GU_OK);
	assert_int_equal(
	    care_notices(s, CLOCK_MS + 5000, rows, n, no, 8, &nn), GU_OK);
	assert_int_equal(nn, 1);
	{
		struct care_checkin c = {"C001", 0, 4, 0, 0, NULL, NULL};
		snprintf(ses.staff_id, sizeof(ses.staff_id), "T001");
		ses.roles = ROLE_MENTOR;
		assert_int_equal(
		    care_log_checkin(&d, &ses, CLOCK_MS + 6000, &c, &seq, NULL),
		    GU_OK);
	}
	assert_int_equal(
	    care_notices(s, CLOCK_MS + 7000, rows, n, no, 8, &nn), GU_OK);
	assert_int_equal(nn, 0);
	/* Fifteen days later an old request no longer shows. */
	assert_int_equal(
	    care_log_talk(&d, CLOCK_MS + 8000, "C002", &tseq), GU_OK);
	assert_int_equal(
	    care_notices(s, CLOCK_MS + 15 * 86400000LL, rows, n, no, 8, &nn),
	    GU_OK);
	assert_int_equal(nn, 0);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(report_numbers_setting),
	    cmocka_unit_test_setup_teardown(
	        report_and_notice_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(draft_after_idle, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        followup_keeps_and_void_shows, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        talk_request_quiet, setup, teardown),
	    cmocka_unit_test_setup_teardown(no_lecture_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(pin_reset_by_head, setup, teardown),
	    cmocka_unit_test_setup_teardown(head_sees_ack, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        report_by_class_teacher, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
