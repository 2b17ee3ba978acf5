/*
 * test_ui_care.c: issue 4 on the kiosk, end to end without a display: the
 * real event loop on the headless platform, driven by scripts of timed
 * touches with the clock fixed at 2026-03-02 08:30 (+08): staff sign-in
 * (wrong PINs, the lock, the forced first PIN change, the idle sign-out),
 * the mentor's home, a routine check-in in five taps, a home visit, an
 * urgent concern and its follow-up, a void, the student's own log (five
 * taps) confirming the mentor's, the headteacher's upload screen.  Each
 * asserts what reached the store; golden screenshots in tests/golden/
 * (GUANAI_UPDATE_GOLDEN=1 rewrites them: look at them first).  Privacy:
 * every text of every student screen is scanned (null front end) for a
 * category word, the guardian's name, phone or address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "care_log.h"
#include "kiosk.h"
#include "pin.h"
#include "platform.h"
#include "settings.h"
#include "status.h"
#include "store.h"
#include "store_sync.h"
#include "strtab.h"
#include "ui_harness.h"

#define GUARDIAN "王秘密"
#define PHONE "13912345678"

/*
 * A school of two classes: 三年级1班 (C001-C003), 四年级2班 (C004-C007).
 * Staff: 赵老师 T001 (mentor of C001, C002; PIN 1234), 钱老师 T002 (mentor
 * of C003; still the initial PIN 1111), 周校长 T009 (head; 9999).  C004
 * has no mentor.  Every child has sensitive data no student screen may
 * show.
 */
static void
make_store(const char *dir)
{
	/* 赵老师 and 周校长 have chosen their PINs; 钱老师 has not. */
	static const char *const pins[] = {
	    "T001", "1234", "T009", "9999", NULL};

	ui_school(dir, "care-children.csv", "care-staff.csv", pins);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-uicare-XXXXXX", make_store);
}

static int
teardown(void **state)
{
	return ui_teardown(state);
}

/* ---- reading the store back ---- */

struct found {
	int n[REC_KIND_MAX];
	struct record first[REC_KIND_MAX];
	struct record last[REC_KIND_MAX];
	uint64_t last_voided[REC_KIND_MAX];
	char events[1024];
};

static int
found_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct found *fd = arg;
	size_t n;

	if (fd->n[r->kind]++ == 0)
		fd->first[r->kind] = *r;
	fd->last[r->kind] = *r;
	fd->last_voided[r->kind] = voided_by;
	if (r->kind == REC_AUTH) {
		n = strlen(fd->events);
		snprintf(fd->events + n, sizeof(fd->events) - n, "%s:%s ",
		    rec_str(r, F_STAFF), rec_str(r, F_EVENT));
	}
	return 0;
}

static void
read_back(struct fx *f, struct found *fd)
{
	memset(fd, 0, sizeof(*fd));
	ui_read_back(f, found_cb, fd);
}

#define SIGNIN_ZHAO                                                            \
	"tap-text 导师\n"                                                    \
	"tap-text 赵老师\n"                                                 \
	"tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"                     \
	"tap-text 确定\n"                                                    \
	"expect 赵老师 老师的孩子\n"

/* A routine check-in: five taps from the mentor's home (the issue asks
 * for at most six), and the record it makes. */
static void
routine_checkin(void **state)
{
	struct fx *f = *state;
	struct found fd;

	assert_int_equal(run_sizes(f,
	                     "wait 200\n"
	                     "tap-text 导师\n"
	                     "shot care_signin_who\n"
	                     "tap-text 赵老师\n"
	                     "tap-text 1\ntap-text 2\n"
	                     "shot care_signin_pin\n"
	                     "tap-text 3\ntap-text 4\ntap-text 确定\n"
	                     "expect 赵老师 老师的孩子\n"
	                     "expect-not 张伟  三年级1班\n" /* not his */
	                     "shot care_mentor_home\n"
	                     /* tap 1 */ "tap-nth 1 关爱记录\n"
	                     "shot care_ck_type\n"
	                     /* tap 2 */ "tap-text 谈心谈话\n"
	                     "shot care_ck_mood\n"
	                     /* tap 3 */ "tap-text 开心\n"
	                     "shot care_ck_concerns\n"
	                     /* tap 4 */ "tap-text 无，下一步\n"
	                     "shot care_ck_notes\n"
	                     /* tap 5 */ "tap-text 保存\n"
	                     "expect 已保存。\n"
	                     "tap-text 知道了\n"
	                     "tap-text 退出\n"
	                     "expect 安全讲堂签到\n"),
	    GU_OK);
	read_back(f, &fd);
	assert_int_equal(fd.n[REC_CHECKIN], 1);
	assert_string_equal(fd.last[REC_CHECKIN].author, "T001");
	assert_string_equal(rec_str(&fd.last[REC_CHECKIN], F_TYPE), "talk");
	assert_int_equal(rec_int(&fd.last[REC_CHECKIN], F_MOOD, 0), 4);
	assert_false(rec_has(&fd.last[REC_CHECKIN], F_CONCERNS));
	assert_int_equal(fd.n[REC_CONCERN], 0);
	assert_non_null(strstr(fd.events, "T001:signin T001:signout"));
	golden(f, "care_signin_who");
	golden(f, "care_signin_pin");
	golden(f, "care_mentor_home");
	golden(f, "care_ck_type");
	golden(f, "care_ck_mood");
	golden(f, "care_ck_concerns");
	golden(f, "care_ck_notes");
}

/* Suspected harm: the law full screen, an urgent concern whose source is
 * the check-in, the child on top, then closed from the child's file. */
static void
urgent_concern(void **state)
{
	struct fx *f = *state;
	struct found fd;
	uint64_t ck;

	assert_int_equal(
	    run_sizes(f,
	        "wait 200\n" SIGNIN_ZHAO "tap-text 关爱记录：李小红\n"
	        "tap-text 心理关爱\n"
	        "tap-text 难过\n"
	        "tap-text 情绪低落\n"
	        "tap-text 疑似受侵害或面临危险\n"
	        "expect 强制报告\n"
	        "shot care_urgent\n"
	        "tap-text 我知道了，继续记录\n"
	        "tap-text 下一步\n"
	        "tap-text 保存\n"
	        "expect 紧急报告已记录，会最先上传。 请立即拨打 "
	        "110 报警， 并报告民政部门和教育部门。\n"
	        "tap-text 知道了\n"
	        "expect 紧急\n"
	        "shot care_mentor_urgent\n"),
	    GU_OK);
	read_back(f, &fd);
	assert_int_equal(fd.n[REC_CHECKIN], 1);
	assert_int_equal(fd.n[REC_CONCERN], 1);
	ck = fd.last[REC_CHECKIN].seq;
	assert_true(fd.last[REC_CONCERN].flags & REC_FLAG_URGENT);
	assert_int_equal(rec_int(&fd.last[REC_CONCERN], F_URGENT, 0), 1);
	assert_int_equal(
	    (uint64_t) rec_int(&fd.last[REC_CONCERN], F_SOURCE, 0), ck);
	assert_string_equal(
	    rec_str(&fd.last[REC_CONCERN], F_CONCERNS), "low_mood,harm");
	assert_string_equal(rec_str(&fd.last[REC_CONCERN], F_CHILD), "C002");
	assert_int_equal(ui_open_concerns(f), 1);
	golden(f, "care_urgent");
	golden(f, "care_mentor_urgent");

	/* The concern stays on top until a follow-up closes it, from the
	 * child's file. */
	assert_int_equal(run_sizes(f,
	                     "wait 200\n" SIGNIN_ZHAO "tap-text 紧急\n"
	                     "expect 一人一档：李小红\n"
	                     "expect 未关闭\n"
	                     "tap-text 未关闭\n"
	                     "tap-text 跟进并关闭\n"
	                     "tap-text 已报警（110）\n"
	                     "tap-text 已报告民政部门\n"
	                     "shot care_followup\n"
	                     "tap-text 保存并关闭\n"
	                     "expect 已记录跟进，这个问题已关闭。\n"
	                     "tap-text 知道了\n"
	                     "expect-not 未关闭\n"),
	    GU_OK);
	read_back(f, &fd);
	assert_int_equal(fd.n[REC_FOLLOWUP], 1);
	assert_int_equal(fd.n[REC_FILE_VIEW], 1);
	assert_string_equal(rec_str(&fd.last[REC_FOLLOWUP], F_DONE),
	    "reported_police,reported_civil_affairs");
	assert_int_equal(rec_int(&fd.last[REC_FOLLOWUP], F_CLOSES, 0), 1);
	assert_int_equal(ui_open_concerns(f), 0);
	golden(f, "care_followup");
}

/* A home visit, every step. */
static void
home_visit(void **state)
{
	struct fx *f = *state;
	struct found fd;
	const struct record *v;

	assert_int_equal(run_sizes(f,
	                     "wait 200\n" SIGNIN_ZHAO "tap-nth 1 走访\n"
	                     "shot care_visit_date\n"
	                     "tap-text 昨天\n"
	                     "tap-text 祖父母\n"
	                     "tap-text 监护未落实\n"
	                     "tap-text 水（溺水）\n"
	                     "tap-text 用电\n"
	                     "shot care_visit_hazards\n"
	                     "tap-text 下一步\n"
	                     "tap-text 一般\n"
	                     "tap-text 好\n"
	                     "tap-text 很开心\n"
	                     "tap-text 家庭变故\n"
	                     "tap-text 下一步\n"
	                     "tap-text 联系外出父母\n"
	                     "tap-text 结对帮扶\n"
	                     "shot care_visit_actions\n"
	                     "tap-text 下一步\n"
	                     "tap-text 一个月后\n"
	                     "shot care_visit_next\n"
	                     "tap-text 保存\n"
	                     "expect 已保存， 发现的问题会一直显示在最上面，"
	                     "直到处理完。\n"),
	    GU_OK);
	read_back(f, &fd);
	assert_int_equal(fd.n[REC_VISIT], 1);
	v = &fd.last[REC_VISIT];
	assert_string_equal(rec_str(v, F_DATE), "2026-03-01");
	assert_string_equal(rec_str(v, F_MET), "grandparent");
	assert_int_equal(rec_int(v, F_GUARDIANSHIP, 1), 0);
	assert_string_equal(rec_str(v, F_HAZARDS), "water,electricity");
	assert_int_equal(rec_int(v, F_STUDY, 0), 2);
	assert_int_equal(rec_int(v, F_HEALTH, 0), 3);
	assert_int_equal(rec_int(v, F_MOOD, 0), 5);
	assert_string_equal(rec_str(v, F_PROBLEMS), "family_change");
	assert_string_equal(
	    rec_str(v, F_ACTIONS), "contact_parents,buddy_pairing");
	assert_string_equal(rec_str(v, F_NEXT_VISIT), "2026-04-01");
	assert_int_equal(fd.n[REC_CONCERN], 1);
	assert_false(fd.last[REC_CONCERN].flags & REC_FLAG_URGENT);
	assert_int_equal(
	    (uint64_t) rec_int(&fd.last[REC_CONCERN], F_SOURCE, 0), v->seq);
	golden(f, "care_visit_date");
	golden(f, "care_visit_hazards");
	golden(f, "care_visit_actions");
	golden(f, "care_visit_next");
}

/* A wrong record is voided from the child's file with a reason; the
 * original stays, struck through. */
static void
void_from_file(void **state)
{
	struct fx *f = *state;
	struct found fd;

	assert_int_equal(run_sizes(f,
	                     "wait 200\n" SIGNIN_ZHAO "tap-nth 1 关爱记录\n"
	                     "tap-text 学业辅导\n"
	                     "tap-text 一般\n"
	                     "tap-text 无，下一步\n"
	                     "tap-text 有进步\n"
	                     "tap-text 保存\n"
	                     "tap-text 知道了\n"
	                     "tap-text 王小明  三年级1班\n"
	                     "expect 一人一档：王小明\n"
	                     "shot care_file\n"
	                     "expect-part 类别：农村留守儿童、\n"
	                     "expect-part 困境儿童\n"
	                     "expect 监护人：王秘密（奶奶）\n"
	                     "expect 3月2日 08:30 · 赵老师\n"
	                     "tap-text 3月2日 08:30 · 赵老师\n"
	                     "tap-text 作废\n"
	                     "shot care_void_reason\n"
	                     "tap-text 重复记录\n"
	                     "expect 已作废。原记录还在， 标着“已作废”。\n"
	                     "tap-text 知道了\n"
	                     "expect 已作废\n"
	                     "shot care_file_voided\n"),
	    GU_OK);
	read_back(f, &fd);
	assert_int_equal(fd.n[REC_VOID], 1);
	assert_int_equal((uint64_t) rec_int(&fd.last[REC_VOID], F_TARGET, 0),
	    fd.last[REC_CHECKIN].seq);
	assert_string_equal(rec_str(&fd.last[REC_VOID], F_REASON), "duplicate");
	assert_int_equal(fd.last_voided[REC_CHECKIN], fd.last[REC_VOID].seq);
	assert_int_equal(fd.n[REC_FILE_VIEW], 1);
	golden(f, "care_file");
	golden(f, "care_void_reason");
	golden(f, "care_file_voided");
}

/* Wrong PINs: three free, then a lock with a countdown; the right PIN
 * after it works.  Every attempt is audited. */
static void
lockout(void **state)
{
	struct fx *f = *state;
	struct found fd;
	char script[4096], *o = script;
	size_t left = sizeof(script);
	int i, n;

	n = snprintf(o, left, "wait 200\ntap-text 导师\ntap-text 赵老师\n");
	o += n;
	left -= (size_t) n;
	for (i = 0; i < 3; i++) {
		n = snprintf(o, left,
		    "tap-text 0\ntap-text 0\ntap-text 0\ntap-text 0\n"
		    "tap-text 确定\n%s",
		    i < 2 ? "expect 密码不对，请再试一次。\n"
		          : "expect 密码错误次数太多，请 30 秒后再试。\n"
		            "shot care_locked\n");
		o += n;
		left -= (size_t) n;
	}
	snprintf(o, left,
	    /* Keys do nothing while locked. */
	    "tap-text 1\n"
	    "expect ○ ○ ○ ○\n"
	    "wait 10000\n"
	    "wait 20000\n"
	    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\ntap-text 确定\n"
	    "expect 赵老师 老师的孩子\n");
	assert_int_equal(run_sizes(f, script), GU_OK);
	read_back(f, &fd);
	assert_non_null(strstr(fd.events, "T001:pin_wrong T001:pin_wrong"));
	assert_non_null(strstr(fd.events, "T001:signin"));
	golden(f, "care_locked");
}

/* The first sign-in with the initial PIN forces a new one, twice. */
static void
forced_pin_change(void **state)
{
	struct fx *f = *state;
	struct found fd;
	struct store *s = NULL;
	struct staff st;
	char path[512];

	assert_int_equal(
	    run_sizes(f,
	        "wait 200\n"
	        "tap-text 导师\n"
	        "tap-text 钱老师\n"
	        "tap-text 1\ntap-text 1\ntap-text 1\ntap-text 1\n"
	        "tap-text 确定\n"
	        "expect 第一次登录：请设一个新密码（4 到 8 位数字）\n"
	        "shot care_new_pin\n"
	        /* The initial PIN again is refused. */
	        "tap-text 1\ntap-text 1\ntap-text 1\ntap-text 1\n"
	        "tap-text 确定\n"
	        "tap-text 1\ntap-text 1\ntap-text 1\ntap-text 1\n"
	        "tap-text 确定\n"
	        "expect 新密码不能和初始密码一样。\n"
	        /* Two different entries are refused. */
	        "tap-text 5\ntap-text 6\ntap-text 7\ntap-text 8\n"
	        "tap-text 确定\n"
	        "expect 请再输入一次新密码\n"
	        "tap-text 5\ntap-text 6\ntap-text 7\ntap-text 9\n"
	        "tap-text 确定\n"
	        "expect 两次输入的不一样，请重新设置。\n"
	        "tap-text 5\ntap-text 6\ntap-text 7\ntap-text 8\n"
	        "tap-text 确定\n"
	        "tap-text 5\ntap-text 6\ntap-text 7\ntap-text 8\n"
	        "tap-text 确定\n"
	        "expect 新密码设好了， 以后请用新密码登录。\n"
	        "tap-text 知道了\n"
	        "expect 钱老师 老师的孩子\n"
	        "expect 张伟  三年级1班\n"
	        "tap-text 退出\n"
	        /* The new PIN works, the old one not. */
	        "tap-text 导师\n"
	        "tap-text 钱老师\n"
	        "tap-text 5\ntap-text 6\ntap-text 7\ntap-text 8\n"
	        "tap-text 确定\n"
	        "expect 钱老师 老师的孩子\n"),
	    GU_OK);
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	assert_int_equal(store_staff_get(s, "T002", &st), GU_OK);
	assert_int_equal(st.must_change_pin, 0);
	store_close(s);
	read_back(f, &fd);
	assert_non_null(strstr(fd.events, "T002:pin_changed"));
	golden(f, "care_new_pin");
}

/* Nobody touching a staff screen: "还在吗？" counts down, then the
 * session ends (audited as a timeout) and home is shown. */
static void
session_timeout(void **state)
{
	struct fx *f = *state;
	struct found fd;

	f->cfg.staff_idle_s = 120;
	f->cfg.staff_countdown_s = 20;
	assert_int_equal(run_sizes(f,
	                     "wait 200\n" SIGNIN_ZHAO "wait 95000\n"
	                     "expect-not 还在吗？20 秒后自动退出登录 · "
	                     "点一下屏幕继续\n"
	                     "wait 10000\n"
	                     "expect 还在吗？15 秒后自动退出登录 · "
	                     "点一下屏幕继续\n"
	                     "shot care_still_here\n"
	                     /* A touch keeps the session. */
	                     "tap-text 还在吗？15 秒后自动退出登录 · "
	                     "点一下屏幕继续\n"
	                     "wait 30000\n"
	                     "expect 赵老师 老师的孩子\n"
	                     "wait 100000\n"
	                     "expect 安全讲堂签到\n"
	                     /* The next person starts from the sign-in. */
	                     "tap-text 导师\n"
	                     "expect 请点你的名字\n"),
	    GU_OK);
	read_back(f, &fd);
	assert_non_null(strstr(fd.events, "T001:signin T001:timeout"));
	golden(f, "care_still_here");
}

/* A student logs a session in five taps; the mentor's check-in of the
 * same day then shows as confirmed by the child. */
static void
student_log_confirms(void **state)
{
	struct fx *f = *state;
	struct found fd;

	f->cfg.sound = 0;
	assert_int_equal(
	    run_sizes(f,
	        "wait 200\n"
	        /* 1 */ "tap-text 我的辅导记录\n"
	        "shot care_stu_class\n"
	        /* 2 */ "tap-text 三年级1班\n"
	        "shot care_stu_name\n"
	        /* 3 */ "tap-text 王小明\n"
	        "expect 记下你和老师的谈话，只有老师能看到。\n"
	        "expect-not 赵老师\n"
	        "shot care_stu_topic\n"
	        /* 4 */ "tap-text 学习\n"
	        "shot care_stu_feel\n"
	        /* 5 */ "tap-text 开心\n"
	        "expect 记好了，谢谢你！\n"
	        "shot care_stu_done\n"
	        "tap-text 完成\n"
	        /* No mentor: the same five taps, the same words. */
	        "tap-text 我的辅导记录\n"
	        "tap-text 四年级2班\n"
	        "tap-text 刘芳\n"
	        "expect 记下你和老师的谈话，只有老师能看到。\n"
	        "tap-text 安全\n"
	        "tap-text 开心\n"
	        "expect 记好了，谢谢你！\n"
	        "tap-text 完成\n" SIGNIN_ZHAO "tap-nth 1 关爱记录\n"
	        "tap-text 谈心谈话\n"
	        "tap-text 开心\n"
	        "tap-text 无，下一步\n"
	        "tap-text 保存\n"
	        "tap-text 知道了\n"
	        "tap-text 王小明  三年级1班\n"
	        "expect ✓ 孩子也记录了\n"
	        /* The child's own record is by 学生本人, the mentor's by
	         * name. */
	        "expect 3月2日 08:30 · 学生本人\n"
	        "expect 3月2日 08:30 · 赵老师\n"
	        "expect-not 3月2日 08:30 · T001\n"),
	    GU_OK);
	read_back(f, &fd);
	/* 刘芳's log (no mentor) went to the headteacher. */
	assert_int_equal(fd.n[REC_STUDENT_LOG], 2);
	assert_string_equal(
	    rec_str(&fd.last[REC_STUDENT_LOG], F_MENTOR), "T009");
	assert_string_equal(fd.last[REC_STUDENT_LOG].author, "C004");
	assert_true(fd.last[REC_STUDENT_LOG].flags & REC_FLAG_BY_STUDENT);
	assert_string_equal(fd.first[REC_STUDENT_LOG].author, "C001");
	assert_string_equal(
	    rec_str(&fd.first[REC_STUDENT_LOG], F_MENTOR), "T001");
	assert_string_equal(
	    rec_str(&fd.first[REC_STUDENT_LOG], F_TOPICS), "study");
	assert_int_equal(rec_int(&fd.first[REC_STUDENT_LOG], F_FEELING, 0), 4);
	golden(f, "care_stu_class");
	golden(f, "care_stu_name");
	golden(f, "care_stu_topic");
	golden(f, "care_stu_feel");
	golden(f, "care_stu_done");
}

/* ---- privacy: the null front end, every student screen's text ---- */

static const char *const secret[] = {
    "留守", "困境", GUARDIAN, PHONE, "长岭村", "奶奶", NULL};

/* The first word of list that a text of the frame holds (that text into
 * t), or NULL. */
static const char *
find_word(const struct kiosk *k, const char *const *list, char *t, size_t len)
{
	size_t i, j;

	for (i = 0; i < k->ui.ncmd; i++) {
		const struct ui_cmd *c = &k->ui.cmd[i];
		size_t n = c->text_len < len - 1 ? c->text_len : len - 1;

		if (c->kind != UI_CMD_TEXT)
			continue;
		memcpy(t, k->ui.text + c->text_off, n);
		t[n] = '\0';
		for (j = 0; list[j] != NULL; j++)
			if (strstr(t, list[j]) != NULL)
				return list[j];
	}
	return NULL;
}

/* Fails if any text of the frame holds a secret. */
static void
scan(const struct kiosk *k, const char *where)
{
	char t[512];
	const char *w = find_word(k, secret, t, sizeof(t));

	if (w != NULL)
		fail_msg("%s shows '%s' in '%s'", where, w, t);
}

/* Besides: on a screen only students use, no word of mentoring that
 * could say who has a mentor (home names the staff's 成长导师 tile). */
static const char *const student_secret[] = {
    "导师", "赵老师", "钱老师", "周校长", NULL};

static void
scan_student(const struct kiosk *k, const char *where)
{
	char t[512];
	const char *w = find_word(k, student_secret, t, sizeof(t));

	if (w != NULL)
		fail_msg(
		    "student screen after %s shows '%s' in '%s'", where, w, t);
}

static int64_t now = CLOCK_MS;

/* Taps the middle of text t (exact) on the current frame. */
static int
tap_t(struct kiosk *k, const char *t)
{
	struct ui_event e;
	size_t i, n = strlen(t);

	for (i = 0; i < k->ui.ncmd; i++) {
		const struct ui_cmd *c = &k->ui.cmd[i];
		if (c->kind != UI_CMD_TEXT || c->text_len != n ||
		    memcmp(k->ui.text + c->text_off, t, n) != 0)
			continue;
		memset(&e, 0, sizeof(e));
		e.kind = UI_EV_DOWN;
		e.x = c->r.x + c->r.w / 2;
		e.y = c->r.y + c->r.h / 2;
		now += 80;
		e.t_ms = now;
		kiosk_frame(k, now, &e);
		e.kind = UI_EV_UP;
		now += 80;
		e.t_ms = now;
		kiosk_frame(k, now, &e);
		kiosk_frame(k, now, NULL);
		return 1;
	}
	return 0;
}

/*
 * A signature of the frame on screen, blind to what may differ between
 * children: the text of a command that is the child's name or class (and
 * where it sits, which follows its width) counts as a placeholder.
 * Everything else counts: every word, colour, font, position, the screen.
 */
static uint64_t
frame_sig(const struct kiosk *k, const char *name, const char *cls)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i, j;

#define MIX(v) (h = (h ^ (uint64_t) (v)) * 1099511628211ULL)
	MIX(k->scr);
	MIX(k->msg_key != NULL);
	for (i = 0; i < k->ui.ncmd; i++) {
		const struct ui_cmd *c = &k->ui.cmd[i];
		const char *t = k->ui.text + c->text_off;
		int own = 0;

		if (c->kind == UI_CMD_TEXT &&
		    ((c->text_len == strlen(name) &&
		         memcmp(t, name, c->text_len) == 0) ||
		        (c->text_len == strlen(cls) &&
		            memcmp(t, cls, c->text_len) == 0)))
			own = 1;
		MIX(c->kind);
		MIX(c->color);
		MIX(own ? 0xff : c->font);
		MIX(own ? 0xff : c->aux);
		if (!own) {
			MIX(c->r.x);
			MIX(c->r.y);
			MIX(c->r.w);
			MIX(c->r.h);
			for (j = 0; c->kind == UI_CMD_TEXT && j < c->text_len;
			     j++)
				MIX((unsigned char) t[j]);
		}
	}
#undef MIX
	return h;
}

/*
 * Every child's path through the student log looks the same, whatever is
 * known about him: 王小明 (left-behind and in difficulty, mentor 赵老师),
 * 李小红 (left-behind, same mentor), 张伟 (another mentor), 刘芳 and the
 * rest of 四年级2班 (no mentor).  The same screens follow the same taps,
 * and from the tap on the name on each frame is the same but for the
 * child's own name: no mentor named or missing, no other colour, no
 * message.  On the class's list and on home only the screen is compared
 * (classes differ; home counts the records waiting for upload).
 */
static void
student_paths_alike(void **state)
{
	struct fx *f = *state;
	static const char *const kids[][2] = {{"王小明", "三年级1班"},
	    {"李小红", "三年级1班"}, {"张伟", "三年级1班"},
	    {"刘芳", "四年级2班"}, {"陈静", "四年级2班"}, {"杨洋", "四年级2班"},
	    {"赵磊", "四年级2班"}};
	enum { STEPS = 6 };
	uint64_t want[STEPS], got;
	enum scr want_scr[STEPS];
	char path[512];
	size_t c, i;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	ui_open_null(f, path);
	kiosk_frame(&f->k, now, NULL);
	for (c = 0; c < sizeof(kids) / sizeof(kids[0]); c++) {
		const char *walk[STEPS] = {"我的辅导记录", kids[c][1],
		    kids[c][0], "安全", "很开心", "完成"};

		for (i = 0; i < STEPS; i++) {
			if (!tap_t(&f->k, walk[i]))
				fail_msg("%s: no '%s' on screen %s", kids[c][0],
				    walk[i], kiosk_screen(f->k.scr)->name);
			scan(&f->k, walk[i]);
			got = frame_sig(&f->k, kids[c][0], kids[c][1]);
			if (c == 0) {
				want[i] = got;
				want_scr[i] = f->k.scr;
			} else if (f->k.scr != want_scr[i])
				fail_msg("after '%s', %s is on screen %s, %s "
				         "was on %s",
				    walk[i], kids[c][0],
				    kiosk_screen(f->k.scr)->name, kids[0][0],
				    kiosk_screen(want_scr[i])->name);
			else if (i >= 2 && i < STEPS - 1 && got != want[i])
				fail_msg("after '%s', %s's screen %s differs "
				         "from %s's",
				    walk[i], kids[c][0],
				    kiosk_screen(f->k.scr)->name, kids[0][0]);
		}
		assert_int_equal(f->k.scr, SCR_HOME);
	}
	kiosk_close(&f->k);
}

static void
student_screens_private(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	char path[512];
	static const char *const walk[] = {"我的辅导记录", "三年级1班",
	    "王小明", "安全", "很开心", "完成", "我的辅导记录", "四年级2班",
	    "刘芳", "安全", "很开心", "完成", NULL};
	uint64_t lec = 0;
	size_t i;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	ui_open_null(f, path);
	s = f->k.dom.store;
	kiosk_frame(&f->k, now, NULL);
	scan(&f->k, "home");
	for (i = 0; walk[i] != NULL; i++) {
		if (!tap_t(&f->k, walk[i]))
			fail_msg("no '%s' on screen %d", walk[i], f->k.scr);
		scan(&f->k, walk[i]);
		if (f->k.scr != SCR_HOME) {
			assert_true(kiosk_student_screen(f->k.scr));
			scan_student(&f->k, walk[i]);
		}
	}
	/* The lecture's student screens too. */
	assert_int_equal(
	    domain_lecture_start(&f->k.dom, now, "T001", "drowning", "民警",
	        (const char *const[]){"三年级1班", "四年级2班"}, 2, &lec),
	    GU_OK);
	kiosk_go(&f->k, SCR_HOME);
	kiosk_frame(&f->k, now, NULL);
	assert_true(tap_t(&f->k, "安全讲堂签到"));
	scan(&f->k, "lecture classes");
	scan_student(&f->k, "lecture classes");
	assert_true(tap_t(&f->k, "三年级1班"));
	scan(&f->k, "lecture names");
	scan_student(&f->k, "lecture names");
	assert_true(tap_t(&f->k, "张伟"));
	scan(&f->k, "lecture confirm");
	scan_student(&f->k, "lecture confirm");
	assert_int_equal(f->k.scr, SCR_LEC_CONFIRM);
	/* A staff member's file shows them, after the sign-in only. */
	assert_false(care_may_see(s, &f->k.ses, "C001"));
	kiosk_close(&f->k);
}

/*
 * Same-name classmates (the demo school has six pairs in one class): two
 * 王明 born on different days, two 李强 born on the same day, and one
 * 张三 alone.  The student log's names and the lecture's are told apart
 * by birthday, or by the 学籍号's last digits when the birthdays agree
 * too; a unique name has no
 * second line.  Nothing sensitive shows (every child has a category, a
 * guardian and some a mentor).
 */
static void
make_twins(const char *dir)
{
	struct store *s = NULL;
	char hash[PIN_HASH_LEN];

	assert_int_equal(
	    store_create(dir, "S001", "云溪区示范小学", "kiosk-01", NULL),
	    GU_OK);
	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	assert_int_equal(
	    ui_roster(s, "twins-children.csv", "twins-staff.csv"), GU_OK);
	/* 赵老师 has chosen his PIN, 1234. */
	assert_int_equal(pin_hash("1234", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T001", hash), GU_OK);
	store_close(s);
}

static int
setup_twins(void **state)
{
	return ui_setup(state, "/tmp/guanai-uitwins-XXXXXX", make_twins);
}

static void
same_names_told_apart(void **state)
{
	struct fx *f = *state;
	char path[512];
	uint64_t lec = 0;
	int pass;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	ui_open_null(f, path);
	kiosk_frame(&f->k, now, NULL);
	assert_true(tap_t(&f->k, "我的辅导记录"));
	assert_true(tap_t(&f->k, "三年级1班"));
	for (pass = 0; pass < 2; pass++) {
		const char *where = pass == 0 ? "student log" : "lecture";

		assert_int_equal(
		    f->k.scr, pass == 0 ? SCR_STU_NAME : SCR_LEC_NAMES);
		scan(&f->k, where);
		scan_student(&f->k, where);
		if (!ui_on_screen(&f->k, "生日3月20日") ||
		    !ui_on_screen(&f->k, "生日7月2日") ||
		    !ui_on_screen(&f->k, "学号…0013") ||
		    !ui_on_screen(&f->k, "学号…0014"))
			fail_msg("%s: same names not told apart", where);
		if (ui_on_screen(&f->k, "生日1月15日") ||
		    ui_on_screen(&f->k, "生日5月1日"))
			fail_msg("%s: a unique name has a second line", where);
		if (pass == 0) {
			assert_int_equal(
			    domain_lecture_start(&f->k.dom, now, "T001",
			        "drowning", "民警",
			        (const char *const[]){"三年级1班"}, 1, &lec),
			    GU_OK);
			kiosk_go(&f->k, SCR_HOME);
			kiosk_frame(&f->k, now, NULL);
			assert_true(tap_t(&f->k, "安全讲堂签到"));
			assert_true(tap_t(&f->k, "三年级1班"));
		}
	}
	kiosk_close(&f->k);
	/* The picture, through the real loop and fonts. */
	assert_int_equal(run_sizes(f,
	                     "wait 200\n"
	                     "tap-text 我的辅导记录\n"
	                     "tap-text 三年级1班\n"
	                     "expect 学号…0014\n"
	                     "shot care_stu_twins\n"),
	    GU_OK);
	golden(f, "care_stu_twins");
}

/* A new kind's screen saves through care_log_append(): the domain sets
 * author and time, checks who may see the child and the schema, and
 * refuses the kinds that have their own functions. */
static void
generic_append(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct domain d;
	struct auth_session zhao, qian;
	struct record r, back;
	char path[512];
	uint64_t seq = 0;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	domain_init(&d, s, 480);
	memset(&zhao, 0, sizeof(zhao));
	cpy(zhao.staff_id, sizeof(zhao.staff_id), "T001");
	zhao.roles = ROLE_MENTOR;
	qian = zhao;
	cpy(qian.staff_id, sizeof(qian.staff_id), "T002");
	rec_init(&r, REC_CHECKIN);
	assert_int_equal(rec_set_str(&r, F_CHILD, "C001"), GU_OK);
	assert_int_equal(rec_set_str(&r, F_TYPE, "talk"), GU_OK);
	/* F_MOOD is required: refused, nothing written. */
	assert_int_equal(care_log_append(&d, &zhao, now, &r, &seq), GU_EINVAL);
	assert_int_equal(seq, 0);
	assert_int_equal(rec_set_int(&r, F_MOOD, 4), GU_OK);
	assert_int_equal(care_log_append(&d, &qian, now, &r, &seq), GU_EPERM);
	snprintf(r.author, sizeof(r.author), "T009"); /* not the screen's */
	assert_int_equal(care_log_append(&d, &zhao, now, &r, &seq), GU_OK);
	assert_int_equal(store_get(s, seq, &back), GU_OK);
	assert_string_equal(back.author, "T001");
	assert_int_equal(back.time_ms, now);
	assert_int_equal(rec_int(&back, F_MOOD, 0), 4);
	/* Kinds with their own rules go through their own functions. */
	rec_init(&r, REC_STUDENT_LOG);
	assert_int_equal(rec_set_str(&r, F_CHILD, "C001"), GU_OK);
	assert_int_equal(care_log_append(&d, &zhao, now, &r, &seq), GU_EINVAL);
	rec_init(&r, REC_CONCERN);
	assert_int_equal(rec_set_str(&r, F_CHILD, "C001"), GU_OK);
	assert_int_equal(care_log_append(&d, &zhao, now, &r, &seq), GU_EINVAL);
	store_close(s);
}

/* Only the author or the head may void; only the mentor or the head
 * may see a child. */
static void
void_rules(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct domain l;
	struct auth_session zhao, qian, head;
	struct care_checkin c = {"C001", 0, 3, 0, 0, NULL, NULL};
	char path[512];
	uint64_t seq = 0, v = 0;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	domain_init(&l, s, 480);
	memset(&zhao, 0, sizeof(zhao));
	cpy(zhao.staff_id, sizeof(zhao.staff_id), "T001");
	zhao.roles = ROLE_MENTOR;
	qian = zhao;
	cpy(qian.staff_id, sizeof(qian.staff_id), "T002");
	head = zhao;
	cpy(head.staff_id, sizeof(head.staff_id), "T009");
	head.roles = ROLE_HEAD;
	assert_int_equal(
	    care_log_checkin(&l, &qian, now, &c, &seq, NULL), GU_EPERM);
	assert_int_equal(
	    care_log_checkin(&l, &zhao, now, &c, &seq, NULL), GU_OK);
	assert_int_equal(care_log_void(&l, &qian, now, seq, 0, &v), GU_EPERM);
	assert_int_equal(care_log_void(&l, &head, now, seq, 1, &v), GU_OK);
	assert_int_equal(store_voided_by(s, seq), v);
	/* Voiding twice is refused by the store. */
	assert_int_not_equal(care_log_void(&l, &zhao, now, seq, 1, &v), GU_OK);
	store_close(s);
}

/* The headteacher: the upload status in words, 立即上传 stores the
 * trigger and pokes the daemon, the live bar, the USB export. */
static void
headteacher(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct sync_status st;
	struct sockaddr_un sa;
	char path[512], sock[96], media[128], stick[128], bin[160], cmd[600];
	char buf[16];
	int fd, got_trigger = 0;
	ssize_t n;
	FILE *fp;

	/* The daemon's socket. */
	snprintf(sock, sizeof(sock), "%s/sync.sock", f->dir);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	cpy(sa.sun_path, sizeof(sa.sun_path), sock);
	assert_int_equal(bind(fd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	cpy(f->cfg.sync_socket, sizeof(f->cfg.sync_socket), sock);
	/* A "stick": a directory on another file system (/dev/shm). */
	snprintf(media, sizeof(media), "%s/media", f->dir);
	mkdir(media, 0755);
	snprintf(
	    stick, sizeof(stick), "/dev/shm/guanai-stick-%d", (int) getpid());
	mkdir(stick, 0755);
	snprintf(cmd, sizeof(cmd), "ln -s '%s' '%s/STICK'", stick, media);
	assert_int_equal(system(cmd), 0);
	cpy(f->cfg.media_dir, sizeof(f->cfg.media_dir), media);
	/* A stand-in for guanai-sync that says what it was asked. */
	snprintf(bin, sizeof(bin), "%s/fake-sync", f->dir);
	fp = fopen(bin, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "#!/bin/sh\nmkdir -p \"$2\" && echo \"$1 $2\" > \"$2/args\""
	    " && echo exported 1 batches, 3 records to $2\n");
	fclose(fp);
	chmod(bin, 0755);
	cpy(f->cfg.sync_bin, sizeof(f->cfg.sync_bin), bin);

	/* Records waiting, a failed pass: the words say so. */
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	{
		struct domain l = {s, 480, NULL, NULL};
		struct auth_session z;
		struct care_checkin c = {"C001", 1, 3, 0, 0, NULL, NULL};
		memset(&z, 0, sizeof(z));
		cpy(z.staff_id, sizeof(z.staff_id), "T001");
		z.roles = ROLE_MENTOR;
		assert_int_equal(care_log_checkin(&l, &z, CLOCK_MS - 3600000,
		                     &c, NULL, NULL),
		    GU_OK);
	}
	assert_int_equal(store_sync_fail(s, 0, GU_EAUTH, 401, "401",
	                     CLOCK_MS - 60000, CLOCK_MS + 600000),
	    GU_OK);
	store_close(s);
	assert_int_equal(
	    run_sizes(f,
	        "wait 200\n"
	        "expect 还有 1 条记录等待上传·服务器拒绝：认证失败\n"
	        "shot care_home_status\n"
	        "tap-text 校长\n"
	        "expect-not 赵老师\n" /* heads only */
	        "tap-text 周校长\n"
	        "tap-text 9\ntap-text 9\ntap-text 9\ntap-text 9\n"
	        "tap-text 确定\n"
	        "expect 2 条记录等待上传（最早 3月2日 07:30）\n"
	        "expect 服务器拒绝：认证失败\n"
	        "expect 还没有成功上传过\n"
	        "shot care_head\n"
	        "tap-text 立即上传\n"
	        /* No guanai-sync listens on this store (test_upload_now
	         * covers the one that does). */
	        "expect 没有设置上传服务器，没有上传\n"
	        "tap-text 知道了\n"
	        "tap-text 导出到U盘\n"
	        "expect 已导出到U盘。 把U盘交给区里就可以了。\n"
	        "tap-text 知道了\n"
	        "tap-text 全校孩子\n"
	        "expect 全校需要关爱的孩子\n"
	        "expect 张伟  三年级1班\n"
	        "shot care_head_children\n"),
	    GU_OK);
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
		got_trigger += buf[0] == 't';
	assert_true(got_trigger >= 1);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	assert_int_equal(store_sync_status(s, &st), GU_OK);
	assert_true(st.trigger_ms >= CLOCK_MS);
	/* The daemon at work: the bar follows its progress. */
	assert_int_equal(
	    store_sync_progress(s, 1, 40, 100, 4096, 10240, CLOCK_MS + 5000),
	    GU_OK);
	store_close(s);
	snprintf(cmd, sizeof(cmd), "%s/guanai-export/args", stick);
	fp = fopen(cmd, "r");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(run_sizes(f,
	                     "wait 200\n"
	                     "tap-text 校长\n"
	                     "tap-text 周校长\n"
	                     "tap-text 9\ntap-text 9\ntap-text 9\ntap-text 9\n"
	                     "tap-text 确定\n"
	                     /* the counts say it: no 正在上传…… beside them */
	                     "expect 已上传 40/100 条 · 4.0 KB/10.0 KB\n"
	                     "shot care_head_busy\n"),
	    GU_OK);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", stick);
	assert_int_equal(system(cmd), 0);
	close(fd);
	golden(f, "care_home_status");
	golden(f, "care_head");
	golden(f, "care_head_children");
	golden(f, "care_head_busy");
}

/* Bigger screens: no target under 9 mm, nothing dropped. */
static void
care_layouts(void **state)
{
	struct fx *f = *state;

	f->cfg.screen_diagonal_inch = 15.6f;
	assert_int_equal(run(f,
	                     "wait 200\n" SIGNIN_ZHAO "shot care_mentor_1080\n"
	                     "tap-nth 1 关爱记录\n"
	                     "tap-text 谈心谈话\n",
	                     1920, 1080),
	    GU_OK);
	assert_int_equal(f->k.ui.small_targets, 0);
	assert_int_equal(f->k.ui.overflow, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(routine_checkin, setup, teardown),
	    cmocka_unit_test_setup_teardown(urgent_concern, setup, teardown),
	    cmocka_unit_test_setup_teardown(home_visit, setup, teardown),
	    cmocka_unit_test_setup_teardown(void_from_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(lockout, setup, teardown),
	    cmocka_unit_test_setup_teardown(forced_pin_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(session_timeout, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        student_log_confirms, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        student_screens_private, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        student_paths_alike, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        same_names_told_apart, setup_twins, teardown),
	    cmocka_unit_test_setup_teardown(void_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(generic_append, setup, teardown),
	    cmocka_unit_test_setup_teardown(headteacher, setup, teardown),
	    cmocka_unit_test_setup_teardown(care_layouts, setup, teardown),
	};

	setenv("SDL_AUDIODRIVER", "dummy", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
