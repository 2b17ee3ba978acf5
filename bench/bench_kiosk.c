/*
 * bench_kiosk.c: the kiosk's figures that need the inside of the loop
 * (issue 3, item 9), on the real event loop with the software renderer
 * on an offscreen 1280x800 surface:
 *
 *   frame time p50/p99 while scrolling a 600-name class (drags and
 *   flings), from the input event to the frame presented;
 *   tap-to-confirmation latency (16 check-ins): from the release of a tap on a name to
 *   the confirmation presented, the durable commit to LMDB included.
 *
 *   bench_kiosk DIR             runs both on a new store in DIR
 *   bench_kiosk --store DIR     only makes the store (a 600-name class
 *                               三年级1班, a 60-name class 一年级1班, one
 *                               teacher) for bench/kiosk.sh
 *   bench_kiosk --html FILE     writes the 60-name class's attendance
 *                               screen as a static web page (the same
 *                               names, a similar grid) for Chromium
 *   bench_kiosk --care DIR      issue 4 on a demo store in DIR (made by
 *                               bench/care.sh with guanai-demo): the taps
 *                               and the wall time of a routine check-in,
 *                               a student's log and a student's lecture
 *                               check-in, the time to open the file
 *                               of a child given 1,000 more records, and
 *                               (issue 12) the taps from the mentor's
 *                               home through his first task to its
 *                               record saved
 *
 * Without arguments it only says that the scripts above run it.
 *
 * Prints "name value" lines that bench/kiosk.sh puts into its table.
 * SRCDIR (default .) locates fonts/ and assets/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "care.h"
#include "kiosk.h"
#include "pin.h"
#include "platform.h"
#include "settings.h"
#include "status.h"
#include "store.h"
#include "strtab.h"

#define BIG 600
#define SMALL 60
#define CHECKINS 16

static const char *const family[] = {"王", "李", "张", "刘", "陈", "杨", "黄",
    "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林"};
static const char *const given[] = {"小明", "小红", "伟", "芳", "静", "洋",
    "磊", "婷", "浩然", "子涵", "欣怡", "梓轩", "雨桐", "宇航", "思远", "佳怡",
    "晨曦", "一诺", "若曦", "天佑"};

static int
make_store(const char *dir)
{
	struct child *c = NULL;
	struct staff st;
	struct store *s = NULL;
	char why[256];
	int i, rc;

	c = calloc(BIG + SMALL, sizeof(*c));
	if (c == NULL)
		return GU_ENOMEM;
	rc = store_create(dir, "S001", "云溪区示范小学", "kiosk-01", NULL);
	if (rc != GU_OK)
		goto out;
	rc = store_open(&s, dir, NULL);
	if (rc != GU_OK)
		goto out;
	for (i = 0; i < BIG + SMALL; i++) {
		snprintf(c[i].id, sizeof(c[i].id), "G%06d", i + 1);
		snprintf(c[i].name, sizeof(c[i].name), "%s%s", family[i % 18],
		    given[(i / 18) % 20]);
		snprintf(c[i].sex, sizeof(c[i].sex), "%s", i % 2 ? "F" : "M");
		snprintf(c[i].birth, sizeof(c[i].birth), "2016-01-01");
		snprintf(c[i].grade, sizeof(c[i].grade), "%s",
		    i < BIG ? "三年级" : "一年级");
		snprintf(c[i].class_name, sizeof(c[i].class_name), "%s",
		    i < BIG ? "三年级1班" : "一年级1班");
	}
	memset(&st, 0, sizeof(st));
	snprintf(st.id, sizeof(st.id), "T001");
	snprintf(st.name, sizeof(st.name), "赵老师");
	st.roles = ROLE_TEACHER;
	snprintf(st.pin_hash, sizeof(st.pin_hash), "unset");
	st.must_change_pin = 1;
	rc = store_roster_replace(
	    s, c, BIG + SMALL, &st, 1, 0, NULL, why, sizeof(why));
	if (rc != GU_OK)
		fprintf(stderr, "bench_kiosk: roster: %s\n", why);
	/* The teacher has chosen PIN 1234 (a cheap hash for the bench). */
	if (rc == GU_OK)
		rc = pin_hash("1234", st.pin_hash, 1, 8192);
	if (rc == GU_OK)
		rc = store_staff_set_pin(s, "T001", st.pin_hash);
out:
	store_close(s);
	free(c);
	return rc;
}

/* The attendance screen of the 60-name class as a web page. */
static int
write_html(const char *path)
{
	FILE *f = fopen(path, "w");
	int i;

	if (f == NULL)
		return 1;
	fprintf(f,
	    "<!doctype html>\n<html lang=\"zh\"><head><meta "
	    "charset=\"utf-8\">\n<title>一年级1班</title>\n<style>\n"
	    "body{margin:0;background:#f6f3ec;color:#222b33;font-family:"
	    "'Noto Sans CJK SC',sans-serif}\n"
	    "header{display:flex;align-items:center;gap:24px;background:#fff;"
	    "height:96px;padding:0 16px;border-bottom:1px solid #cfd6dc}\n"
	    "header button{font-size:24px;width:200px;height:72px;background:"
	    "#fff;border:2px solid #cfd6dc}\nh1{font-size:40px;flex:1}\n"
	    ".top{display:flex;justify-content:space-between;font-size:40px;"
	    "padding:12px 20px}.count{color:#2e8b57}\n"
	    ".grid{display:grid;grid-template-columns:repeat(4,1fr);gap:13px;"
	    "padding:0 20px}\n.grid button{height:110px;font-size:48px;"
	    "background:#fff;border:2px solid #cfd6dc}\n"
	    ".grid button:active{background:#134a5e;color:#fff}\n"
	    "</style></head><body>\n<header><button>返回</button>"
	    "<h1>一年级1班</h1><span>08:30</span></header>\n"
	    "<div class=\"top\"><span>请点你自己的名字</span><span "
	    "class=\"count\">已到 0/60</span></div>\n<div class=\"grid\">\n");
	for (i = BIG; i < BIG + SMALL; i++)
		fprintf(f, "<button>%s%s</button>\n", family[i % 18],
		    given[(i / 18) % 20]);
	fprintf(f, "</div>\n</body></html>\n");
	return fclose(f) == 0 ? 0 : 1;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

static double
pct(uint32_t *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	i = (size_t) (p * (double) (n - 1) + 0.5);
	return v[i] / 1000.0;
}

/*
 * Opens the kiosk headless at w x h on dir, its clock at clock_ms, with
 * script (written beside dir) for its input, and runs it with loop.
 */
static int
bench_kiosk(const char *dir, const char *script, int w, int h, int64_t clock_ms,
    int (*loop)(struct kiosk *, void *), void *arg)
{
	static struct kiosk k;
	struct plat_opts o;
	struct settings cfg;
	const char *src = getenv("SRCDIR") != NULL ? getenv("SRCDIR") : ".";
	char path[600], err[600];
	FILE *f;
	int rc;

	settings_defaults(&cfg);
	cfg.sound = 0;
	cfg.idle_timeout_s = 3600;
	snprintf(cfg.fonts_dir, sizeof(cfg.fonts_dir), "%s/fonts", src);
	snprintf(cfg.assets_dir, sizeof(cfg.assets_dir), "%s/assets", src);
	snprintf(path, sizeof(path), "%s.script", dir);
	f = fopen(path, "w");
	if (f == NULL)
		return GU_EIO;
	fputs(script, f);
	fclose(f);
	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.w = w;
	o.h = h;
	o.clock_ms = clock_ms;
	o.script = path;
	o.shot_dir = "/tmp";
	rc = kiosk_open(&k, &cfg, dir, &o, err, sizeof(err));
	if (rc != GU_OK) {
		fprintf(stderr, "bench_kiosk: %s\n", err);
		return rc;
	}
	rc = loop(&k, arg);
	kiosk_close(&k);
	return rc;
}

static int
stats_loop(struct kiosk *k, void *stats)
{
	k->stats = stats;
	return kiosk_run(k);
}

static int
run(const char *dir, const char *script, struct kiosk_stats *stats)
{
	return bench_kiosk(
	    dir, script, 1280, 800, 1772411400000LL, stats_loop, stats);
}

/*
 * Issue 4's figures, measured in the real event loop: the loop of
 * kiosk_run() (kiosk.h) driven here, so each task's taps are counted as
 * the releases the kiosk received, and its wall time is taken from the
 * task's first press to the first frame presented that shows it done
 * (every commit to disk included).  The script's waits are virtual, so
 * the wall time is the kiosk's own work.
 */
#define CARE_CLOCK_MS 1772411400000LL /* 2026-03-02 08:30 +08:00 */
#define FILE_RECORDS 1000
#define FILE_OPENS 7

enum care_task { T_CHECKIN, T_STU_LOG, T_LECTURE, T_FILE, T_TASK };

struct meter {
	enum care_task task;
	int started, finished;
	unsigned taps;
	int64_t t0_us, wall_us;
	int64_t up_us; /* T_FILE: the release on the mentor's home */
	uint32_t open_us[FILE_OPENS];
	size_t n_open;
};

static int
task_done(const struct meter *m, const struct kiosk *k)
{
	switch (m->task) {
	case T_CHECKIN:
		return k->scr == SCR_MENTOR && k->msg_key != NULL &&
		    strcmp(k->msg_key, "form.saved") == 0;
	case T_STU_LOG:
		return k->scr == SCR_STU_DONE;
	case T_LECTURE:
		return k->scr == SCR_LEC_CONFIRM;
	case T_TASK: /* the record that clears it, saved */
		return k->msg_key != NULL && !k->msg_is_error &&
		    (strcmp(k->msg_key, "form.saved") == 0 ||
		        strcmp(k->msg_key, "file.closed") == 0);
	default:
		return 0;
	}
}

/* Where each task begins: its first press on this screen. */
static enum scr
task_start(const struct meter *m)
{
	return m->task == T_CHECKIN || m->task == T_TASK ? SCR_MENTOR
	                                                 : SCR_HOME;
}

static void
meter_input(struct meter *m, const struct kiosk *k, const struct ui_event *ev,
    int64_t t_us)
{
	if (m->task == T_FILE) {
		if (ev->kind == UI_EV_UP && k->scr == SCR_MENTOR &&
		    k->msg_key == NULL)
			m->up_us = t_us;
		return;
	}
	/* The lecture check-in begins once the lecture is open. */
	if (!m->started && ev->kind == UI_EV_DOWN && k->scr == task_start(m) &&
	    k->msg_key == NULL &&
	    (m->task != T_LECTURE ||
	        (k->lec.cur.seq != 0 && k->lec.cur.open))) {
		m->started = 1;
		m->t0_us = t_us;
	}
	if (m->started && !m->finished && ev->kind == UI_EV_UP)
		m->taps++;
}

static void
meter_render(struct meter *m, const struct kiosk *k)
{
	if (m->task == T_FILE) {
		if (k->scr == SCR_FILE && m->up_us != 0 &&
		    m->n_open < FILE_OPENS)
			m->open_us[m->n_open++] =
			    (uint32_t) (plat_mono_us() - m->up_us);
		if (k->scr != SCR_MENTOR)
			m->up_us = 0;
		return;
	}
	if (m->started && !m->finished && task_done(m, k)) {
		m->finished = 1;
		m->wall_us = plat_mono_us() - m->t0_us;
	}
}

/* kiosk_run() with the meter looking on. */
static int
care_loop(struct kiosk *k, void *arg)
{
	struct meter *m = arg;
	struct ui_event ev;
	uint64_t h, last = 0;
	int force = 1, w, hp;
	float ppm;
	int64_t t;

	kiosk_frame(k, plat_now_ms(k->plat), NULL);
	for (;;) {
		h = ui_hash(&k->ui);
		if (force || h != last) {
			plat_render(k->plat, &k->ui);
			meter_render(m, k);
			last = h;
			force = 0;
		}
		switch (plat_wait(k->plat, k->ui.wake_ms, &ev)) {
		case PLAT_QUIT:
			return plat_script_failed(k->plat) ? GU_EINVAL : GU_OK;
		case PLAT_RESIZE:
			plat_size(k->plat, &w, &hp, &ppm);
			ui_resize(&k->ui, w, hp, ppm);
			force = 1;
			kiosk_frame(k, plat_now_ms(k->plat), NULL);
			break;
		case PLAT_INPUT:
			t = plat_mono_us();
			meter_input(m, k, &ev, t);
			kiosk_frame(k, plat_now_ms(k->plat), &ev);
			break;
		case PLAT_TIMEOUT:
			kiosk_frame(k, plat_now_ms(k->plat), NULL);
			break;
		}
	}
}

static int
care_run(const char *dir, const char *script, struct meter *m)
{
	return bench_kiosk(dir, script, 1024, 600, CARE_CLOCK_MS, care_loop, m);
}

/*
 * The child the file is timed on: the demo's child with an open urgent
 * concern (first on its mentor's home whatever else happens), given
 * FILE_RECORDS more records (check-ins, and every fifth the child's own
 * log) with store_append_n, today before the clock, so seq order stays
 * time order.
 */
static int
care_store(const char *dir, struct child *c, char *mentor, size_t mlen,
    uint32_t *n_records)
{
	static const char *const types[] = {"talk", "study", "psych", "life"};
	static struct care_row rows[CARE_ROWS_MAX];
	struct care_policy pol;
	struct auth_session head;
	struct child_summary sum;
	struct staff st;
	struct record *r = NULL;
	struct store *s = NULL;
	char why[256];
	size_t n = 0, i, bad = 0;
	int rc;

	rc = store_open(&s, dir, NULL);
	if (rc != GU_OK)
		return rc;
	care_policy_default(&pol);
	memset(&head, 0, sizeof(head));
	snprintf(head.staff_id, sizeof(head.staff_id), "T0001");
	head.roles = ROLE_HEAD;
	rc = care_rows(s, &pol, CARE_CLOCK_MS, &head, rows, CARE_ROWS_MAX, &n);
	if (rc != GU_OK)
		goto out;
	rc = GU_ENOTFOUND;
	for (i = 0; i < n && i < CARE_ROWS_MAX; i++)
		if (rows[i].need == CARE_URGENT &&
		    rows[i].s.child.mentor_id[0] != '\0')
			break;
	if (i == n || i == CARE_ROWS_MAX) {
		fprintf(stderr, "bench_kiosk: no urgent child in the demo\n");
		goto out;
	}
	*c = rows[i].s.child;
	rc = store_staff_get(s, c->mentor_id, &st);
	if (rc != GU_OK)
		goto out;
	snprintf(mentor, mlen, "%s", st.name);
	r = calloc(FILE_RECORDS, sizeof(*r));
	rc = GU_ENOMEM;
	if (r == NULL)
		goto out;
	for (i = 0; i < FILE_RECORDS; i++) {
		int by_child = i % 5 == 4;
		rec_init(&r[i], by_child ? REC_STUDENT_LOG : REC_CHECKIN);
		/* From 07:00, a second apart. */
		r[i].time_ms = CARE_CLOCK_MS - 5400000LL + (int64_t) i * 1000;
		r[i].tz_min = 480;
		r[i].flags = REC_FLAG_CLOCK_SYNCED |
		    (by_child ? REC_FLAG_BY_STUDENT : 0);
		snprintf(r[i].author, sizeof(r[i].author), "%s",
		    by_child ? c->id : c->mentor_id);
		rec_set_str(&r[i], F_CHILD, c->id);
		if (by_child) {
			rec_set_str(&r[i], F_MENTOR, c->mentor_id);
			rec_set_add(&r[i], F_TOPICS, "study");
			rec_set_int(&r[i], F_FEELING, 4);
		} else {
			rec_set_str(&r[i], F_TYPE, types[i % 4]);
			rec_set_int(&r[i], F_MOOD, 2 + (int64_t) (i % 4));
			if (i % 3 == 0)
				rec_set_add(&r[i], F_NOTES, "progress");
		}
	}
	rc = store_append_n(s, r, FILE_RECORDS, &bad, why, sizeof(why));
	if (rc != GU_OK) {
		fprintf(stderr, "bench_kiosk: record %zu: %s\n", bad, why);
		goto out;
	}
	rc = store_child_summary(s, c->id, &sum);
	if (rc == GU_OK)
		*n_records = sum.n_records;
out:
	free(r);
	store_close(s);
	return rc;
}

/*
 * The first of the mentor's tasks (care_tasks, as his home sorts them:
 * late first) that the walk knows the form of: a contact (the check-in)
 * or an open concern's follow-up (on this store the concern lies under
 * the file bench's 1,000 newer records); *pos gets its place in the list
 * (0: the first task of all).
 */
static int
first_task(
    const char *dir, const char *mentor_id, struct task *out, size_t *pos)
{
	static struct task t[256];
	static struct care_policy pol;
	struct auth_session ses;
	struct store *s = NULL;
	size_t n = 0;
	int rc = store_open(&s, dir, NULL);

	if (rc != GU_OK)
		return rc;
	care_policy_default(&pol);
	care_policy_calendar(s, &pol, CARE_CLOCK_MS);
	memset(&ses, 0, sizeof(ses));
	snprintf(ses.staff_id, sizeof(ses.staff_id), "%s", mentor_id);
	ses.roles = ROLE_MENTOR;
	rc = care_tasks(s, &pol, CARE_CLOCK_MS, &ses, t, 256, &n);
	store_close(s);
	if (rc != GU_OK)
		return rc;
	for (size_t i = 0; i < n && i < 256; i++)
		if (t[i].kind == TASK_CONTACT || t[i].kind == TASK_FOLLOWUP) {
			*out = t[i];
			*pos = i;
			return GU_OK;
		}
	return GU_ENOTFOUND;
}

/* Appends to the script at *o (left bytes); 0 when it did not fit. */
static int
put(char **o, size_t *left, const char *fmt, const char *a, const char *b)
{
	int n = snprintf(*o, *left, fmt, a, b);

	if (n < 0 || (size_t) n >= *left)
		return 0;
	*o += n;
	*left -= (size_t) n;
	return 1;
}

static void
care_row(const char *task, unsigned taps, unsigned max_taps, double ms)
{
	printf("%s_taps %u\n%s_taps_max %u\n%s_ms %.1f\n", task, taps, task,
	    max_taps, task, ms);
}

static int
care_bench(const char *dir)
{
	static struct meter m;
	struct child c;
	char mentor[64], signin[512], script[8192], *o;
	uint32_t n_records = 0;
	size_t left;
	int i, ok = 1;

	if (care_store(dir, &c, mentor, sizeof(mentor), &n_records) != GU_OK)
		return 1;
	o = signin;
	left = sizeof(signin);
	put(&o, &left,
	    "wait 200\ntap-text 导师\ntap-text %s\ntap-text 1\ntap-text 2\n"
	    "tap-text 3\ntap-text 4\ntap-text 确定\nexpect %s 老师的孩子\n",
	    mentor, mentor);

	/* 1. A routine check-in from the mentor's home, no concern. */
	o = script;
	left = sizeof(script);
	put(&o, &left, "%s%s", signin, "");
	put(&o, &left,
	    "tap-nth 1 关爱记录\ntap-text 谈心谈话\ntap-text 开心\n"
	    "tap-text 无，下一步\ntap-text 保存\nexpect 已保存。\n",
	    NULL, NULL);
	memset(&m, 0, sizeof(m));
	m.task = T_CHECKIN;
	if (care_run(dir, script, &m) != GU_OK || !m.finished) {
		fprintf(stderr, "bench_kiosk: the check-in script failed\n");
		return 1;
	}
	care_row("checkin", m.taps, 5, (double) m.wall_us / 1000);
	ok &= m.taps <= 5;

	/* 2. The file of the child with 1,000 more records, opened from
	 * the mentor's home FILE_OPENS times. */
	o = script;
	left = sizeof(script);
	put(&o, &left, "%s%s", signin, "");
	for (i = 0; i < FILE_OPENS; i++) {
		put(&o, &left, "tap-text %s  %s\n", c.name, c.class_name);
		put(&o, &left, "expect 一人一档：%s\ntap-text 返回\n", c.name,
		    NULL);
	}
	memset(&m, 0, sizeof(m));
	m.task = T_FILE;
	if (care_run(dir, script, &m) != GU_OK || m.n_open != FILE_OPENS) {
		fprintf(stderr, "bench_kiosk: the file script failed\n");
		return 1;
	}
	printf("file_child %s\nfile_records %u\n", c.id, n_records);
	printf("file_open_p50_ms %.1f\n", pct(m.open_us, m.n_open, .5));
	printf("file_open_max_ms %.1f\n", pct(m.open_us, m.n_open, 1));
	ok &= pct(m.open_us, m.n_open, .5) <= 50;

	/* 3. The child logs a session with the mentor. */
	o = script;
	left = sizeof(script);
	put(&o, &left,
	    "wait 200\ntap-text 我的辅导记录\ntap-text %s\ntap-text %s\n",
	    c.class_name, c.name);
	put(&o, &left,
	    "tap-text 学习\ntap-text 开心\nexpect 记好了，谢谢你！\n", NULL,
	    NULL);
	memset(&m, 0, sizeof(m));
	m.task = T_STU_LOG;
	if (care_run(dir, script, &m) != GU_OK || !m.finished) {
		fprintf(stderr, "bench_kiosk: the student log script failed\n");
		return 1;
	}
	care_row("student_log", m.taps, 5, (double) m.wall_us / 1000);
	ok &= m.taps <= 5;

	/* 4. A lecture is opened (not timed), then the child checks in. */
	o = script;
	left = sizeof(script);
	put(&o, &left,
	    "wait 200\ntap-text 安全讲堂签到\ntap-text %s\ntap-text 1\n"
	    "tap-text 2\ntap-text 3\ntap-text 4\ntap-text 确定\n"
	    "tap-text 防溺水\ntap-text 法治副校长\ntap-text 全选\n"
	    "tap-text 开始签到\ntap-text 返回\n",
	    mentor, NULL);
	put(&o, &left,
	    "tap-text 安全讲堂签到\ntap-text %s\ntap-text %s\n"
	    "expect 签到成功！\n",
	    c.class_name, c.name);
	memset(&m, 0, sizeof(m));
	m.task = T_LECTURE;
	if (care_run(dir, script, &m) != GU_OK || !m.finished) {
		fprintf(stderr, "bench_kiosk: the lecture script failed\n");
		return 1;
	}
	care_row("lecture_checkin", m.taps, 3, (double) m.wall_us / 1000);
	ok &= m.taps <= 3;

	/* 5. Issue 12: from the mentor's home, his first task tapped, its
	 * form filled, the record saved.  A contact is the routine
	 * check-in (5 taps); a follow-up 已联系家人 and 保存并关闭 (3). */
	{
		struct task t;
		size_t pos = 0;
		unsigned max;
		if (first_task(dir, c.mentor_id, &t, &pos) != GU_OK) {
			fprintf(
			    stderr, "bench_kiosk: the mentor has no task\n");
			return 1;
		}
		o = script;
		left = sizeof(script);
		put(&o, &left, "%s%s", signin, "");
		if (t.kind == TASK_CONTACT) {
			put(&o, &left,
			    "tap-text 关爱记录：%s\ntap-text 谈心谈话\n"
			    "tap-text 开心\ntap-text 无，下一步\n"
			    "tap-text 保存\nexpect 已保存。\n",
			    t.name, NULL);
			max = 5;
		} else {
			put(&o, &left,
			    "tap-text 跟进关注：%s\ntap-text 已联系家人\n"
			    "tap-text 保存并关闭\n",
			    t.name, NULL);
			max = 3;
		}
		memset(&m, 0, sizeof(m));
		m.task = T_TASK;
		if (care_run(dir, script, &m) != GU_OK || !m.finished) {
			fprintf(
			    stderr, "bench_kiosk: the task script failed\n");
			return 1;
		}
		printf("task_kind %s\ntask_pos %zu\n", task_word(t.kind), pos);
		care_row("task", m.taps, max, (double) m.wall_us / 1000);
		ok &= m.taps <= max;
	}
	return ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
	static struct kiosk_stats scroll, taps;
	char script[65536], *o;
	size_t left;
	int i, n;

	if (argc == 3 && strcmp(argv[1], "--store") == 0)
		return make_store(argv[2]) == GU_OK ? 0 : 1;
	if (argc == 3 && strcmp(argv[1], "--html") == 0)
		return write_html(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--care") == 0)
		return care_bench(argv[2]);
	if (argc == 1) {
		printf(
		    "bench_kiosk: run by bench/kiosk.sh and bench/care.sh\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr,
		    "usage: bench_kiosk DIR | --store DIR | --html FILE | "
		    "--care DIR\n");
		return 2;
	}
	if (make_store(argv[1]) != GU_OK)
		return 1;

	/* Open a lecture for both classes, go to the 600 names, and scroll:
	 * slow drags that follow the finger, then flings. */
	o = script;
	left = sizeof(script);
	n = snprintf(o, left,
	    "wait 100\ntap-text 安全讲堂签到\ntap-text 赵老师\n"
	    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\ntap-text 确定\n"
	    "tap-text 防溺水\ntap-text 法治副校长\ntap-text 全选\n"
	    "tap-text 开始签到\ntap-text 三年级1班\nexpect 已到 0/600\n");
	o += n;
	left -= (size_t) n;
	for (i = 0; i < 20 && left > 200; i++) {
		n = snprintf(o, left,
		    i % 4 < 2 ? "drag 640 700 640 250 400\nwait 200\n"
		              : "drag 640 700 640 200 120\nwait 2500\n");
		o += n;
		left -= (size_t) n;
	}
	for (i = 0; i < 10 && left > 200; i++) {
		n = snprintf(o, left, "drag 640 200 640 700 120\nwait 2500\n");
		o += n;
		left -= (size_t) n;
	}
	if (run(argv[1], script, &scroll) != GU_OK) {
		fprintf(stderr, "bench_kiosk: the scroll script failed\n");
		return 1;
	}

	/* Sixteen children of the 60-name class (those on the first
	 * screen) check in. */
	o = script;
	left = sizeof(script);
	n = snprintf(
	    o, left, "wait 100\ntap-text 安全讲堂签到\ntap-text 一年级1班\n");
	o += n;
	left -= (size_t) n;
	for (i = 0; i < CHECKINS && left > 200; i++) {
		n = snprintf(o, left,
		    "tap-after %d 请点你自己的名字\nexpect 签到成功！\n"
		    "tap-text 完成\n",
		    i + 1);
		o += n;
		left -= (size_t) n;
	}
	if (run(argv[1], script, &taps) != GU_OK) {
		fprintf(stderr, "bench_kiosk: the check-in script failed\n");
		return 1;
	}
	printf("scroll_frames %zu\n", scroll.n_frames);
	printf(
	    "frame_p50_ms %.2f\n", pct(scroll.frame_us, scroll.n_frames, .5));
	printf(
	    "frame_p99_ms %.2f\n", pct(scroll.frame_us, scroll.n_frames, .99));
	printf("frame_max_ms %.2f\n", pct(scroll.frame_us, scroll.n_frames, 1));
	printf("frame_cpu_p50_ms %.2f\n",
	    pct(scroll.frame_cpu_us, scroll.n_frames, .5));
	printf("frame_cpu_p99_ms %.2f\n",
	    pct(scroll.frame_cpu_us, scroll.n_frames, .99));
	printf("checkins %zu\n", taps.n_taps);
	printf("tap_confirm_p50_ms %.2f\n", pct(taps.tap_us, taps.n_taps, .5));
	printf("tap_confirm_max_ms %.2f\n", pct(taps.tap_us, taps.n_taps, 1));
	return taps.n_taps == CHECKINS ? 0 : 1;
}
