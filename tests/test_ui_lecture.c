/*
 * test_ui_lecture.c: the kiosk end to end without a display: the real
 * event loop (kiosk_run) on the headless platform (offscreen surface,
 * software renderer), driven by scripts of timed touches that go through
 * SDL's own event queue, with the clock fixed at 2026-03-02 08:30 (+08).
 * Each test asserts what reached the store and, where it matters,
 * compares screenshots byte for byte with the PNGs in tests/golden/.
 *
 * GUANAI_UPDATE_GOLDEN=1 rewrites the goldens (look at them first!).  A
 * mismatch leaves the new picture in the test's temp dir and names it.
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

#include "kiosk.h"
#include "pin.h"
#include "platform.h"
#include "settings.h"
#include "status.h"
#include "store.h"
#include "strtab.h"
#include "ui_harness.h"

/* Rare characters of real children's names: the fallback font must
 * cover what the primary lacks. */
#define RARE_1 "王㛃"
#define RARE_2 "李䶮"
#define RARE_3 "张𠇔"

/* A school of two classes: 三年级1班 with the rare names, 四年级2班. */
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
	    ui_roster(s, "lecture-children.csv", "lecture-staff.csv"), GU_OK);
	/* Both have chosen their PIN, 1234. */
	assert_int_equal(pin_hash("1234", hash, 1, 8192), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T001", hash), GU_OK);
	assert_int_equal(store_staff_set_pin(s, "T009", hash), GU_OK);
	store_close(s);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-uitest-XXXXXX", make_store);
}

static int
teardown(void **state)
{
	return ui_teardown(state);
}

struct att {
	int n;
	char kids[16][GU_ID_LEN + 1];
};

static int
att_cb(void *arg, const char *class_name, const char *child_id, uint64_t seq)
{
	struct att *a = arg;

	(void) class_name;
	(void) seq;
	if (a->n < 16)
		cpy(a->kids[a->n++], GU_ID_LEN + 1, child_id);
	return 0;
}

struct lec {
	uint64_t seq;
	int open, n;
};

static int
lec_cb(void *arg, const struct record *r, int open)
{
	struct lec *l = arg;

	l->seq = r->seq;
	l->open = open;
	l->n++;
	return 0;
}

struct kinds {
	int n[REC_KIND_MAX];
	int self, teacher, voids;
	struct record last_end;
};

static int
log_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct kinds *k = arg;
	const char *m;

	k->n[r->kind]++;
	if (r->kind == REC_ATTENDANCE && voided_by == 0) {
		m = rec_str(r, F_METHOD);
		if (m != NULL && strcmp(m, "self") == 0) {
			k->self++;
			assert_true(r->flags & REC_FLAG_BY_STUDENT);
		} else
			k->teacher++;
	}
	if (r->kind == REC_VOID)
		k->voids++;
	if (r->kind == REC_LECTURE_END)
		k->last_end = *r;
	return 0;
}

static const char start_script[] = "wait 200\n"
                                   "shot home\n"
                                   "tap-text 安全讲堂签到\n"
                                   "expect 请点你的名字\n"
                                   "tap-text 赵老师\n"
                                   "tap-text 1\n"
                                   "tap-text 2\n"
                                   "tap-text 3\n"
                                   "tap-text 4\n"
                                   "tap-text 确定\n"
                                   "expect 这次讲座的主题是？\n"
                                   "tap-text 防溺水\n"
                                   "tap-text 法治副校长\n"
                                   "tap-text 全选\n"
                                   "tap-text 开始签到\n"
                                   "expect 已到 0/7\n";

/* The whole lecture: start, students check in (one wrong tap undone),
 * the teacher marks, the lecture closes with the absentees. */
static void
whole_lecture(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct kinds k;
	struct att a;
	struct lec l;
	char path[512], script[4096];

	snprintf(script, sizeof(script),
	    "%s"
	    "shot classes\n"
	    /* A student: home, class, name = 3 taps. */
	    "tap-text 返回\n"
	    "tap-text 安全讲堂签到\n"
	    "tap-text 三年级1班\n"
	    "expect-not 奶奶秘密\n"
	    "shot names\n"
	    "tap-text " RARE_1 "\n"
	    "expect 签到成功！\n"
	    "shot confirm\n"
	    /* Wrong child: undone with a void. */
	    "tap-text 点错了，不是我\n"
	    "expect 已撤销， 请点你自己的名字。\n"
	    "tap-text 知道了\n"
	    "expect 已到 0/3\n"
	    "tap-text " RARE_2 "\n"
	    "expect 签到成功！\n"
	    /* The confirmation goes back to the names by itself. */
	    "wait 3500\n"
	    "expect 已到 1/3\n"
	    "tap-text " RARE_2 "\n"
	    "expect 你已经签到了， 不用再点。\n"
	    "tap-text 知道了\n"
	    "tap-text " RARE_3 "\n"
	    "tap-text 完成\n"
	    "expect 已到 2/3\n"
	    /* The teacher marks the other class; one mark undone. */
	    "tap-text 返回\n"
	    "tap-text 老师点名\n"
	    "tap-text 赵老师\n"
	    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
	    "tap-text 确定\n"
	    "tap-text 四年级2班\n"
	    "tap-text 刘芳\n"
	    "tap-text 陈静\n"
	    "tap-text 陈静\n"
	    "tap-text 杨洋\n"
	    "expect 已到 2/4\n"
	    "shot mark\n"
	    "tap-text 返回\n"
	    "expect 已到 4/7\n"
	    "tap-text 结束讲座\n"
	    "tap-text 赵老师\n"
	    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
	    "tap-text 确定\n"
	    "tap-text 取消\n"
	    "tap-text 结束讲座\n"
	    "tap-text 赵老师\n"
	    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
	    "tap-text 确定\n"
	    "tap-text 确定结束\n"
	    "expect 防溺水：已到 4 人，缺席 3 人\n"
	    "expect 陈静\n"
	    "expect " RARE_1 "\n"
	    "shot report\n"
	    "tap-text 完成\n"
	    "expect-not 还有 0 条记录等待上传\n",
	    start_script);
	assert_int_equal(run_sizes(f, script), GU_OK);

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	memset(&l, 0, sizeof(l));
	store_lectures(s, 0, lec_cb, &l);
	assert_int_equal(l.n, 1);
	assert_false(l.open);
	memset(&a, 0, sizeof(a));
	store_lecture_attendance(s, l.seq, att_cb, &a);
	assert_int_equal(a.n, 4);
	assert_string_equal(a.kids[0], "C002"); /* 三年级1班 first */
	assert_string_equal(a.kids[1], "C003");
	assert_string_equal(a.kids[2], "C004");
	assert_string_equal(a.kids[3], "C006");
	memset(&k, 0, sizeof(k));
	store_log_walk(s, 1, log_cb, &k);
	assert_int_equal(k.n[REC_LECTURE], 1);
	assert_int_equal(k.n[REC_ATTENDANCE], 6); /* two of them voided */
	assert_int_equal(k.voids, 2);
	assert_int_equal(k.self, 2);
	assert_int_equal(k.teacher, 2);
	assert_int_equal(rec_int(&k.last_end, F_PRESENT, -1), 4);
	assert_int_equal(rec_int(&k.last_end, F_ABSENT, -1), 3);
	{
		char why[256];
		assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	}
	store_close(s);

	golden(f, "home");
	golden(f, "classes");
	golden(f, "names");
	golden(f, "confirm");
	golden(f, "mark");
	golden(f, "report");
}

/* The shot's name: base_WxH for size i. */
static const char *
shot_name(const char *base, size_t i)
{
	static char n[64];

	snprintf(n, sizeof(n), "%s_%s", base, ui_sizes[i].tag);
	return n;
}

/* 全班到齐 (issue 12 part 6): the class present in one tap, then the
 * teacher taps the absentee, whose attendance is voided; at every size. */
static void
all_present(void **state)
{
	const char *const base = "mark_all";
	struct fx *f = *state;
	struct store *s = NULL;
	struct kinds k;
	struct att a;
	struct lec l;
	char path[512], script[4096];

	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(script, sizeof(script),
		    "%s"
		    "tap-text 老师点名\n"
		    "tap-text 赵老师\n"
		    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
		    "tap-text 确定\n"
		    "expect 已到 %s/3\n"
		    "tap-text 全班到齐\n"
		    "expect 已到 3/3\n"
		    "tap-text " RARE_1 "\n"
		    "expect 已到 2/3\n"
		    "shot %s\n",
		    i == 0 ? start_script : "wait 200\ntap-text 安全讲堂签到\n",
		    i == 0 ? "0" : "2", shot_name(base, i));
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		assert_int_equal(f->k.ui.small_targets, 0);
		assert_int_equal(f->k.ui.overflow, 0);
		/* Each size runs on the same lecture: 全班到齐 marks the
		 * absentee again, and the tap voids that again. */
		snprintf(path, sizeof(path), "%s/store", f->dir);
		assert_int_equal(store_open(&s, path, NULL), GU_OK);
		memset(&l, 0, sizeof(l));
		store_lectures(s, 0, lec_cb, &l);
		assert_int_equal(l.n, 1);
		memset(&a, 0, sizeof(a));
		store_lecture_attendance(s, l.seq, att_cb, &a);
		assert_int_equal(a.n, 2);
		assert_string_equal(a.kids[0], "C002");
		assert_string_equal(a.kids[1], "C003");
		memset(&k, 0, sizeof(k));
		store_log_walk(s, 1, log_cb, &k);
		assert_int_equal(k.voids, (int) i + 1);
		assert_int_equal(k.teacher, 2);
		store_close(s);
		golden(f, shot_name(base, i));
	}
}

struct absences {
	int absence, makeup;
	char last_reason[16];
};

static int
absences_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct absences *a = arg;

	if (voided_by)
		return 0;
	if (r->kind == REC_ABSENCE) {
		a->absence++;
		cpy(a->last_reason, sizeof(a->last_reason),
		    rec_str(r, F_ABSENCE));
	}
	a->makeup += r->kind == REC_ATTENDANCE && rec_int(r, F_MAKEUP, 0);
	return 0;
}

/* The report's 缺席原因和补签: a reason per absentee (a second reason
 * supersedes), a make-up attendance; at every size. */
static void
absences_and_makeup(void **state)
{
	const char *const base = "absent";
	struct fx *f = *state;
	struct store *s = NULL;
	struct absences a;
	char path[512], script[4096];

	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(script, sizeof(script),
		    "%s"
		    "tap-text 结束讲座\n"
		    "tap-text 赵老师\n"
		    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
		    "tap-text 确定\n"
		    "tap-text 确定结束\n"
		    "tap-text 缺席原因和补签\n"
		    "tap-text 赵老师\n"
		    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
		    "tap-text 确定\n"
		    "expect 缺席原因和补签\n"
		    "tap-nth 1 事假\n"
		    "tap-nth 1 病假\n"
		    "tap-nth 2 其他\n"
		    "tap-nth 3 补签\n"
		    "expect 已补签\n"
		    "shot %s\n"
		    "tap-text 返回\n"
		    "expect 防溺水：已到 0 人，缺席 7 人\n",
		    start_script, shot_name(base, i));
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		assert_int_equal(f->k.ui.small_targets, 0);
		assert_int_equal(f->k.ui.overflow, 0);
		snprintf(path, sizeof(path), "%s/store", f->dir);
		assert_int_equal(store_open(&s, path, NULL), GU_OK);
		memset(&a, 0, sizeof(a));
		store_log_walk(s, 1, absences_cb, &a);
		assert_int_equal(a.absence, 3 * ((int) i + 1));
		assert_int_equal(a.makeup, (int) i + 1);
		assert_string_equal(a.last_reason, "other");
		{
			char why[256];
			assert_int_equal(
			    store_check(s, why, sizeof(why)), GU_OK);
		}
		store_close(s);
		golden(f, shot_name(base, i));
	}
}

/* 往期讲座: a closed lecture listed with its counts, its absentee made up
 * from there (the make-up flow for a lecture of an earlier day). */
static void
past_lectures(void **state)
{
	const char *const base = "past";
	struct fx *f = *state;
	struct store *s = NULL;
	struct absences a;
	char path[512], script[4096], row[128];

	snprintf(script, sizeof(script),
	    "%s"
	    "tap-text 结束讲座\n"
	    "tap-text 赵老师\n"
	    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
	    "tap-text 确定\n"
	    "tap-text 确定结束\n"
	    "tap-text 完成\n",
	    start_script);
	assert_int_equal(run(f, script, 1024, 600), GU_OK);
	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(row, sizeof(row), "2026-03-02 防溺水 · 已到 %zu/7", i);
		snprintf(script, sizeof(script),
		    "wait 200\n"
		    "tap-text 安全讲堂签到\n"
		    "tap-text 赵老师\n"
		    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
		    "tap-text 确定\n"
		    "tap-text 往期讲座 · 补签\n"
		    "expect %s\n"
		    "shot %s\n"
		    "tap-text %s\n"
		    "expect 缺席原因和补签\n"
		    "tap-nth 1 补签\n"
		    "expect 已补签\n"
		    "tap-text 返回\n"
		    "expect 2026-03-02 防溺水 · 已到 %zu/7\n",
		    row, shot_name(base, i), row, i + 1);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		assert_int_equal(f->k.ui.small_targets, 0);
		assert_int_equal(f->k.ui.overflow, 0);
		golden(f, shot_name(base, i));
	}
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	memset(&a, 0, sizeof(a));
	store_log_walk(s, 1, absences_cb, &a);
	assert_int_equal(a.makeup, (int) UI_NSIZES);
	store_close(s);
}

struct late {
	int n;
	struct record lec;
};

static int
late_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct late *l = arg;

	if (r->kind == REC_LECTURE && !voided_by && rec_int(r, F_LATE, 0)) {
		l->n++;
		l->lec = *r;
	}
	return 0;
}

/* 补录: a lecture held the day before yesterday, entered today with its
 * day; the teacher then marks who was there. */
static void
late_entry(void **state)
{
	const char *const base = "late";
	struct fx *f = *state;
	struct store *s = NULL;
	struct late l;
	char path[512], script[4096];
	static const char start[] = "wait 200\n"
	                            "tap-text 安全讲堂签到\n"
	                            "tap-text 赵老师\n"
	                            "tap-text 1\ntap-text 2\ntap-text 3\n"
	                            "tap-text 4\n"
	                            "tap-text 确定\n"
	                            "tap-text 防溺水\n"
	                            "tap-text 法治副校长\n"
	                            "tap-text 全选\n"
	                            "tap-text 前天\n";

	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(script, sizeof(script), "%sshot %s\n%s", start,
		    shot_name(base, i),
		    i + 1 < UI_NSIZES ? ""
		                      : "tap-text 补录这次讲座\n"
		                        "expect 老师点名：三年级1班\n"
		                        "tap-text 全班到齐\n"
		                        "expect 已到 3/3\n");
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		assert_int_equal(f->k.ui.small_targets, 0);
		assert_int_equal(f->k.ui.overflow, 0);
		golden(f, shot_name(base, i));
	}
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	memset(&l, 0, sizeof(l));
	store_log_walk(s, 1, late_cb, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(rec_str(&l.lec, F_DATE), "2026-02-28");
	store_close(s);
}

/* SDL makes mouse events from touches: one tap must count once.  A
 * class toggled twice would be unselected again. */
static void
touch_counted_once(void **state)
{
	struct fx *f = *state;
	char script[2048];

	snprintf(script, sizeof(script),
	    "wait 200\n"
	    "tap-text 安全讲堂签到\n"
	    "tap-text 赵老师\n"
	    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
	    "tap-text 确定\n"
	    "tap-text 防溺水\n"
	    "tap-text 法治副校长\n"
	    "expect 全选\n"
	    /* The first class cell: left column, first row. */
	    "tap-dup 150 230\n"
	    "expect 开始签到\n"
	    /* A real mouse works too. */
	    "click 150 230\n"
	    "expect 请点选参加的班级\n");
	assert_int_equal(run(f, script, 1024, 600), GU_OK);
}

/* Nobody touching: a countdown, then home. */
static void
idle_goes_home(void **state)
{
	struct fx *f = *state;
	char script[2048];

	f->cfg.idle_timeout_s = 30;
	f->cfg.idle_countdown_s = 10;
	snprintf(script, sizeof(script),
	    "%s"
	    "tap-text 三年级1班\n"
	    "wait 21000\n"
	    "expect 9 秒后回到首页 · 点一下屏幕继续\n"
	    "shot countdown\n"
	    "tap-text 9 秒后回到首页 · 点一下屏幕继续\n"
	    "wait 15000\n"
	    "expect-not 9 秒后回到首页 · 点一下屏幕继续\n"
	    "expect 请点你自己的名字\n"
	    "wait 20000\n"
	    "expect 安全讲堂签到\n"
	    "expect-not 请点你自己的名字\n",
	    start_script);
	assert_int_equal(run_sizes(f, script), GU_OK);
	golden(f, "countdown");
}

/* The staff tiles ask for a sign-in first. */
static void
not_built_says_so(void **state)
{
	struct fx *f = *state;

	assert_int_equal(run(f,
	                     "wait 100\n"
	                     "tap-text 导师\n"
	                     "expect 导师登录\n"
	                     "tap-text 返回\n"
	                     "tap-text 校长\n"
	                     "expect 校长登录\n",
	                     1024, 600),
	    GU_OK);
}

/* Every supported size: every tap target at least 9 mm (the toolkit
 * counts smaller ones). */
static void
layouts(void **state)
{
	struct fx *f = *state;
	char script[2048];
	size_t i;

	for (i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		assert_int_equal(run(f,
		                     "wait 100\n"
		                     "tap-text 安全讲堂签到\n",
		                     ui_sizes[i].w, ui_sizes[i].h),
		    GU_OK);
		assert_int_equal(f->k.ui.small_targets, 0);
		assert_int_equal(f->k.ui.overflow, 0);
	}
	snprintf(script, sizeof(script),
	    "%s"
	    "tap-text 三年级1班\n"
	    "shot names_portrait\n",
	    start_script);
	f->cfg.screen_diagonal_inch = 7;
	assert_int_equal(run(f, script, 600, 1024), GU_OK);
	assert_int_equal(f->k.ui.small_targets, 0);
	golden(f, "names_portrait");
}

/* The touch panel mounted upside down: touch_rotate = 180 turns its
 * coordinates round, so the tile under the finger is the one tapped. */
static void
touch_rotation(void **state)
{
	struct fx *f = *state;
	char script[512];

	f->cfg.touch_rotate = 180;
	/* Where the panel reports (850, 450), the screen shows the
	 * top-left tile 安全讲堂签到 at (1024-850, 600-450). */
	snprintf(script, sizeof(script),
	    "wait 100\n"
	    "tap 850 450\n"
	    "expect 请点你的名字\n");
	assert_int_equal(run(f, script, 1024, 600), GU_OK);
}

/* systemd: READY=1 after the first frame, WATCHDOG=1 while waiting;
 * the watchdog's interval widened while the display opens (the renderer
 * may take long to load), then the unit's own again, in that order. */
static void
systemd_notify(void **state)
{
	struct fx *f = *state;
	struct sockaddr_un sa;
	char path[96], buf[64];
	int fd, ready = 0, dog = 0, grace = 0, back = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/notify", f->dir);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	cpy(sa.sun_path, sizeof(sa.sun_path), path);
	assert_int_equal(bind(fd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", path, 1);
	setenv("WATCHDOG_USEC", "2000", 1);
	assert_int_equal(
	    run(f, "wait 100\ntap-text 导师\nwait 100\n", 1024, 600), GU_OK);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		ready += strcmp(buf, "READY=1") == 0;
		dog += strcmp(buf, "WATCHDOG=1") == 0;
		if (strcmp(buf, "WATCHDOG=1\nWATCHDOG_USEC=180000000") == 0)
			grace = ready + back + 1;
		if (strcmp(buf, "WATCHDOG_USEC=2000") == 0)
			back = grace + 1;
	}
	close(fd);
	assert_int_equal(ready, 1);
	assert_true(dog >= 1);
	assert_int_equal(grace, 1); /* first, before READY=1 */
	assert_int_equal(back, 2);  /* after the grace */
}

/* Classes come in grade order, whatever the bytes say. */
static void
classes_in_grade_order(void **state)
{
	static const char *const want[] = {
	    "一年级1班", "一年级2班", "二年级1班", "三年级1班", "初一1班"};
	struct fx *f = *state;
	struct store *s = NULL;
	struct domain d;
	struct dom_class out[8];
	char path[128];
	size_t i, n = 0;

	snprintf(path, sizeof(path), "%s/grades", f->dir);
	assert_int_equal(
	    store_create(path, "S001", "小学", "kiosk-01", NULL), GU_OK);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	assert_int_equal(
	    ui_roster(s, "grades-children.csv", "grades-staff.csv"), GU_OK);
	domain_init(&d, s, 480);
	assert_int_equal(domain_classes(&d, out, 8, &n), GU_OK);
	assert_int_equal(n, 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(out[i].name, want[i]);
	store_close(s);
}

/* Rare name characters have glyphs in one of the shipped fonts. */
static void
rare_glyphs(void **state)
{
	struct fx *f = *state;
	struct plat_opts o;
	struct plat *p = NULL;
	char err[600];

	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.w = 320;
	o.h = 240;
	assert_int_equal(plat_open(&p, &f->cfg, &o, err, sizeof(err)), GU_OK);
	assert_int_equal(plat_glyphs_missing(p, "㛃䶮𠇔堃昇喆淼犇"), 0);
	assert_int_equal(plat_glyphs_missing(p, "安全讲堂签到已到"), 0);
	plat_close(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(whole_lecture, setup, teardown),
	    cmocka_unit_test_setup_teardown(all_present, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        absences_and_makeup, setup, teardown),
	    cmocka_unit_test_setup_teardown(past_lectures, setup, teardown),
	    cmocka_unit_test_setup_teardown(late_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        touch_counted_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(idle_goes_home, setup, teardown),
	    cmocka_unit_test_setup_teardown(not_built_says_so, setup, teardown),
	    cmocka_unit_test_setup_teardown(layouts, setup, teardown),
	    cmocka_unit_test_setup_teardown(rare_glyphs, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        classes_in_grade_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(touch_rotation, setup, teardown),
	    cmocka_unit_test_setup_teardown(systemd_notify, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
