/*
 * test_layout.c: every screen and every dialog of the kiosk, at every
 * supported screen size, read from the toolkit's command list after each
 * frame and judged by the layout check (ui_check in ui.h): no text wider
 * or taller than its box, no "…" but on a text marked truncatable, no
 * text shrunk below the smallest size for it, no text over another text
 * or another widget, and the buttons of one group in one text size.
 *
 * The kiosk runs on the demo school (demo.h, 120 children) with the real
 * fonts and the real platform layer, headless; the walk below taps its way
 * through a lecture, a mentor's check-in with a suspected harm (the
 * mandatory report), a home visit, a child's file, a follow-up, the
 * students' log, the headteacher's screen and his 覆盖情况, a forced PIN
 * change, and
 * every message the screens can show (each key passed to kiosk_message in
 * app/, read from the source) is shown over the home screen.  The test
 * also fails when the walk stops reaching a screen.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "demo.h"
#include "ui_harness.h"

#define PROBLEMS_MAX 1024
#define KEYS_MAX 128

/*
 * The walk, one step a line:
 *   TEXT        tap the first text TEXT on screen
 *   @N TEXT     tap the N-th text drawn after TEXT
 *   #N TEXT     tap the N-th occurrence of TEXT
 *   ~MS         let MS ms pass
 *   !pupil      tap pupils in the students' log until one has a mentor
 *   !messages   show every message of the screens over the screen
 *   !damaged    the store reports damage: the storage-damaged screen
 */
static const char *const walk[] = {
    /* A lecture, start to end. */
    "安全讲堂签到", "@2 请点你的名字", "1", "2", "3", "4", "确定",
    "往期讲座 · 补签", "返回", "防溺水", "法治副校长", "全选", "开始签到",
    "返回", "安全讲堂签到", "@1 请点你的班级", "@1 请点你自己的名字",
    "点错了，不是我", "知道了", "@2 请点你自己的名字", "完成", "返回",
    "老师点名", "@2 请点你的名字", "1", "2", "3", "4", "确定",
    "@3 点名字标记已到，再点一次撤销", "返回", "结束讲座", "@2 请点你的名字",
    "1", "2", "3", "4", "确定", "确定结束", "缺席原因和补签", "@2 请点你的名字",
    "1", "2", "3", "4", "确定", "#1 病假", "#2 补签", "返回", "完成",
    /* A mentor's check-in with the mandatory report, a visit, a file;
     * three wrong PINs first, the lock-out waited out. */
    "导师", "@2 请点你的名字", "0", "0", "0", "0", "确定", "0", "0", "0", "0",
    "确定", "0", "0", "0", "0", "确定", "~31000", "1", "2", "3", "4", "确定",
    "#1 关爱记录", "谈心谈话", "开心", "疑似受侵害或面临危险",
    "我知道了，继续记录", "+ 看到了什么", "拼音", "n", "a", "i", "确定", "完成",
    "下一步", "+ 备注", "手写", "完成", "保存", "知道了", "#1 走访", "今天",
    "祖父母", "监护落实", "无隐患，下一步", "好", "一般", "开心",
    "无问题，下一步", "结对帮扶", "下一步", "一个月后", "保存", "知道了",
    "紧急", "未关闭", "详情", "返回", "跟进并关闭", "+ 结果", "完成",
    "已报警（110）", "保存并关闭", "知道了",
    /* A care plan and 重点关注, from the file. */
    "帮扶计划", "心理", "监护", "下一步", "每周谈心", "下一步", "一个月后",
    "保存", "知道了", "重点关注", "标为重点关注（每周联系）", "家庭变故",
    "保存", "知道了", "返回",
    /* The work log, its entry typed in pinyin. */
    "工作日志", "培训", "+ 工作日志", "拼音", "p", "e", "i", "x", "u", "n",
    "确定", "完成", "保存", "知道了", "返回",
    /* The mandatory report of any child, with the way back. */
    "强制报告", "@1 强制报告：孩子在哪个班？", "@1 强制报告：是哪个孩子？",
    "我选错了", "@2 强制报告：是哪个孩子？", "记录强制报告", "完成",
    /* His children's files to a stick. */
    "导出档案", "导出到U盘", "返回", "退出",
    /* The students' log. */
    "我的辅导记录", "@1 请点你的班级", "!pupil", "@1 今天和老师聊了什么？",
    "开心", "~200", "完成",
    /* The headteacher. */
    "校长", "@1 请点你的名字", "9", "9", "9", "9", "确定", "立即上传", "知道了",
    "~31000", "全校孩子", "返回",
    /* 覆盖情况: by class, by mentor, the whole school's list. */
    "覆盖情况", "按导师", "全校", "~500", "返回", "返回", "导出台账", "本学期",
    "导出到U盘", "返回",
    /* A forgotten PIN reset. */
    "重置密码", "@1 谁忘了密码？", "确定重置", "完成",
    /* 系统更新 with no stick in (test_ui_update.c shows the rest). */
    "系统更新", "@1 系统更新", "返回", "退出",
    /* Every message, then the storage-damaged screen. */
    "!messages", "!damaged", NULL};

struct lfx {
	struct fx *f;
	char demo[256];
	int w, h;
	int64_t t;
	const char *step;
	int visited[SCR_N];
	char seen[PROBLEMS_MAX][300];
	size_t n_seen, n_problems;
	char keys[KEYS_MAX][64];
	size_t n_keys;
};

static void
make_demo(const char *dir)
{
	ui_demo(dir, 120, CLOCK_MS);
}

/* A stick (on /dev/shm, another file system) with a bundle on it, so
 * the head's screen shows 系统更新 and the walk goes there; the file is no
 * real bundle: the screen refuses it, and that is judged too. */
static char stick[128];

static int
setup(void **state)
{
	struct fx *f;
	char cmd[2400];

	if (ui_setup(state, "/tmp/guanai-layout-XXXXXX", make_demo) != 0)
		return -1;
	f = *state;
	snprintf(
	    stick, sizeof(stick), "/dev/shm/guanai-layout-%d", (int) getpid());
	snprintf(
	    f->cfg.media_dir, sizeof(f->cfg.media_dir), "%s/media", f->dir);
	snprintf(cmd, sizeof(cmd),
	    "mkdir -p '%s' '%s' && echo no >'%s/guanai-2.0.0.raucb' && "
	    "ln -s '%s' '%s/STICK'",
	    stick, f->cfg.media_dir, stick, stick, f->cfg.media_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", stick);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", stick);
	return ui_teardown(state);
}

/* Checks the frame on screen; each problem is reported once per size. */
static void
check_frame(struct lfx *l)
{
	struct ui *ui = &l->f->k.ui;
	struct ui_problem p[32];
	char buf[256], line[300];
	size_t n, i, j;

	l->visited[l->f->k.scr] = 1;
	n = ui_check(ui, p, 32);
	for (i = 0; i < n && i < 32; i++) {
		ui_problem_str(ui, &p[i], buf, sizeof(buf));
		snprintf(line, sizeof(line), "%dx%d screen %d: %s", l->w, l->h,
		    (int) l->f->k.scr, buf);
		/* One line each (a text's own or wrapped line breaks). */
		for (j = 0; line[j] != '\0'; j++)
			if (line[j] == '\n' || line[j] == '\r')
				line[j] = ' ';
		for (j = 0; j < l->n_seen; j++)
			if (strcmp(l->seen[j], line) == 0)
				break;
		if (j < l->n_seen)
			continue;
		l->n_problems++;
		if (l->n_seen < PROBLEMS_MAX)
			snprintf(l->seen[l->n_seen++], sizeof(l->seen[0]), "%s",
			    line);
		fprintf(stderr, "layout: %s (after \"%s\")\n", line, l->step);
	}
}

static void
frame(struct lfx *l, const struct ui_event *ev)
{
	kiosk_frame(&l->f->k, l->t, ev);
	check_frame(l);
}

static void
pass(struct lfx *l, int64_t ms)
{
	l->t += ms;
	frame(l, NULL);
}

static void
tap_at(struct lfx *l, int x, int y)
{
	struct ui_event ev = {UI_EV_DOWN, x, y, l->t};

	frame(l, &ev);
	l->t += 80;
	ev.kind = UI_EV_UP;
	ev.t_ms = l->t;
	frame(l, &ev);
	pass(l, 300);
}

/* Whether c's text is t, but for the line breaks the toolkit put in to
 * wrap it ('\r'). */
static int
text_eq(const struct ui *ui, const struct ui_cmd *c, const char *t)
{
	const char *s = ui->text + c->text_off;
	size_t i = 0, j = 0, n = strlen(t);

	if (c->kind != UI_CMD_TEXT)
		return 0;
	while (i < c->text_len && j < n) {
		if (s[i] == '\r') {
			i++;
			j += t[j] == ' ';
			continue;
		}
		if (s[i++] != t[j++])
			return 0;
	}
	while (i < c->text_len && s[i] == '\r')
		i++;
	return i == c->text_len && j == n;
}

/* The n-th text t on screen (after: the n-th text after the first t). */
static const struct ui_cmd *
find(const struct ui *ui, const char *t, int n, int after)
{
	size_t i;
	int seen = 0, found = 0;

	for (i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		if (c->kind != UI_CMD_TEXT)
			continue;
		if (after) {
			if (found && ++seen == n)
				return c;
			if (!found && text_eq(ui, c, t))
				found = 1;
		} else if (text_eq(ui, c, t) && ++seen == n) {
			return c;
		}
	}
	return NULL;
}

static int
tap_text(struct lfx *l, const char *t, int n, int after)
{
	const struct ui_cmd *c = find(&l->f->k.ui, t, n, after);

	if (c == NULL)
		return 0;
	tap_at(l, c->r.x + c->r.w / 2, c->r.y + c->r.h / 2);
	return 1;
}

/* Collects every string literal passed to kiosk_message() in dir. */
static void
scan_keys(struct lfx *l, const char *dir)
{
	char path[700], *src, *p, *end, *q;
	struct dirent *e;
	size_t len = 0, n, i;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", srcdir(), dir);
	d = opendir(path);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0)
			continue;
		snprintf(
		    path, sizeof(path), "%s/%s/%s", srcdir(), dir, e->d_name);
		src = (char *) slurp(path, &len);
		assert_non_null(src);
		src[len] = '\0';
		for (p = src; (p = strstr(p, "kiosk_message(")) != NULL;) {
			end = strchr(p, ';');
			if (end == NULL)
				break;
			for (q = p; q < end &&
			     (q = memchr(q, '"', (size_t) (end - q))) !=
			         NULL;) {
				char *z =
				    memchr(q + 1, '"', (size_t) (end - q));
				if (z == NULL)
					break;
				n = (size_t) (z - q - 1);
				for (i = 0; i < l->n_keys; i++)
					if (strlen(l->keys[i]) == n &&
					    memcmp(l->keys[i], q + 1, n) == 0)
						break;
				if (i == l->n_keys && n > 0 &&
				    n < sizeof(l->keys[0]) &&
				    memchr(q + 1, '.', n) != NULL &&
				    l->n_keys < KEYS_MAX) {
					memcpy(l->keys[l->n_keys], q + 1, n);
					l->keys[l->n_keys++][n] = '\0';
				}
				q = z + 1;
			}
			p = end;
		}
		free(src);
	}
	closedir(d);
}

static void
messages(struct lfx *l)
{
	size_t i;

	for (i = 0; i < l->n_keys; i++) {
		l->step = l->keys[i];
		kiosk_message(&l->f->k, l->keys[i], (int) (i & 1));
		pass(l, 100);
		/* The message must have been shown (the key is in the
		 * table): its text is on screen. */
		if (find(&l->f->k.ui, kiosk_s(&l->f->k, l->keys[i]), 1, 0) ==
		    NULL)
			fprintf(stderr,
			    "layout: %dx%d: message %s not drawn as one "
			    "text\n",
			    l->w, l->h, l->keys[i]);
		l->f->k.msg_key = NULL;
		pass(l, 100);
	}
}

/* Taps pupils of the class on screen until one goes on to the log (a
 * pupil without a mentor gets a message). */
static void
pupil(struct lfx *l)
{
	struct kiosk *k = &l->f->k;
	int i;

	for (i = 1; i < 40 && k->scr != SCR_STU_LOG; i++) {
		k->msg_key = NULL;
		pass(l, 100);
		if (!tap_text(l, kiosk_s(k, "lecture.tap_your_name"), i, 1))
			break;
	}
	if (k->scr != SCR_STU_LOG)
		fail_msg("%dx%d: no pupil reaches the log", l->w, l->h);
}

/* What is on screen, for a step that found nothing to tap. */
static void
dump_texts(const struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->ncmd; i++)
		if (ui->cmd[i].kind == UI_CMD_TEXT)
			fprintf(stderr, "  on screen: %.*s\n",
			    (int) ui->cmd[i].text_len,
			    ui->text + ui->cmd[i].text_off);
}

static void
run_walk(struct lfx *l, const char *const *steps)
{
	struct fx *f = l->f;
	struct plat_opts o;
	char path[700], err[600];
	const char *st;
	int n, i;

	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.w = l->w;
	o.h = l->h;
	o.clock_ms = CLOCK_MS;
	/* No uploader runs on it: 立即上传 says so (scr_head.c). */
	if (kiosk_open(&f->k, &f->cfg, l->demo, &o, err, sizeof(err)) != GU_OK)
		fail_msg("kiosk_open: %s", err);
	l->t = CLOCK_MS;
	l->step = "start";
	frame(l, NULL);
	for (i = 0; steps[i] != NULL; i++) {
		st = l->step = steps[i];
		if (strcmp(st, "!messages") == 0) {
			messages(l);
			continue;
		}
		if (strcmp(st, "!damaged") == 0) {
			kiosk_store_damaged(&f->k);
			pass(l, 100);
			continue;
		}
		if (strcmp(st, "!pupil") == 0) {
			pupil(l);
			continue;
		}
		if (st[0] == '~') {
			pass(l, strtol(st + 1, NULL, 10));
			continue;
		}
		if ((st[0] == '@' || st[0] == '#') && st[1] >= '0' &&
		    st[1] <= '9') {
			n = (int) strtol(st + 1, NULL, 10);
			snprintf(path, sizeof(path), "%s", strchr(st, ' ') + 1);
			if (!tap_text(l, path, n, st[0] == '@')) {
				dump_texts(&f->k.ui);
				fail_msg("%dx%d step %d \"%s\": not on screen "
				         "%d",
				    l->w, l->h, i, st, (int) f->k.scr);
			}
			continue;
		}
		if (!tap_text(l, st, 1, 0)) {
			dump_texts(&f->k.ui);
			fail_msg("%dx%d step %d \"%s\": not on screen %d", l->w,
			    l->h, i, st, (int) f->k.scr);
		}
	}
	kiosk_close(&f->k);
}

static void
every_screen_every_size(void **state)
{
	struct lfx *l = calloc(1, sizeof(*l));
	char cmd[1500];
	size_t i;
	int sc, missing = 0;

	assert_non_null(l);
	l->f = *state;
	scan_keys(l, "app");
	scan_keys(l, "app/screens");
	scan_keys(l, "app/domain");
	scan_keys(l, "app/ui");
	scan_keys(l, "app/platform");
	assert_true(l->n_keys >= 10);
	for (i = 0; i < UI_NSIZES; i++) {
		l->w = ui_sizes[i].w;
		l->h = ui_sizes[i].h;
		l->f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		/* Each size walks a fresh copy of the demo school. */
		snprintf(l->demo, sizeof(l->demo), "%s/run", l->f->dir);
		snprintf(cmd, sizeof(cmd),
		    "rm -rf '%s' && cp -r '%s/store' '%s'", l->demo, l->f->dir,
		    l->demo);
		assert_int_equal(system(cmd), 0);
		memset(l->visited, 0, sizeof(l->visited));
		run_walk(l, walk);
		for (sc = 0; sc < SCR_N; sc++)
			if (!l->visited[sc]) {
				fprintf(stderr,
				    "layout: %dx%d: screen %d not reached\n",
				    l->w, l->h, sc);
				missing++;
			}
	}
	fprintf(stderr,
	    "layout: %zu problems, %zu messages, %d screens missed\n",
	    l->n_problems, l->n_keys, missing);
	assert_int_equal(missing, 0);
	assert_int_equal(l->n_problems, 0);
	free(l);
}

/* The English table (lang = en): the home screen, every message and the
 * storage-damaged screen at every size; the walk above taps Chinese
 * words, so the rest of the screens are judged in Chinese only. */
static const char *const walk_en[] = {"!messages", "!damaged", NULL};

static void
english_messages(void **state)
{
	struct lfx *l = calloc(1, sizeof(*l));
	char cmd[1500];
	size_t i;

	assert_non_null(l);
	l->f = *state;
	/* kiosk_open() loads the table the settings name. */
	snprintf(l->f->cfg.lang, sizeof(l->f->cfg.lang), "en");
	scan_keys(l, "app");
	scan_keys(l, "app/screens");
	scan_keys(l, "app/domain");
	scan_keys(l, "app/ui");
	scan_keys(l, "app/platform");
	for (i = 0; i < UI_NSIZES; i++) {
		l->w = ui_sizes[i].w;
		l->h = ui_sizes[i].h;
		l->f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(l->demo, sizeof(l->demo), "%s/run", l->f->dir);
		snprintf(cmd, sizeof(cmd),
		    "rm -rf '%s' && cp -r '%s/store' '%s'", l->demo, l->f->dir,
		    l->demo);
		assert_int_equal(system(cmd), 0);
		run_walk(l, walk_en);
	}
	snprintf(l->f->cfg.lang, sizeof(l->f->cfg.lang), "zh");
	fprintf(stderr, "layout (en): %zu problems, %zu messages\n",
	    l->n_problems, l->n_keys);
	assert_int_equal(l->n_problems, 0);
	free(l);
}

/* The check itself: it must see a clipped label, an overlap, a shrunk
 * label and a group of two sizes in a frame made to have them. */
static void
check_sees_faults(void **state)
{
	struct fx *f = *state;
	struct plat_opts o;
	struct plat *p = NULL;
	struct ui ui;
	struct ui_problem pr[16];
	char err[600];
	int kinds[5] = {0}, w, h;
	float ppm;
	size_t n, i;
	struct ui_rect box = {10, 10, 60, 60};

	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.w = 1024;
	o.h = 600;
	if (plat_open(&p, &f->cfg, &o, err, sizeof(err)) != GU_OK)
		fail_msg("plat_open: %s", err);
	plat_size(p, &w, &h, &ppm);
	ui_init(&ui, w, h, ppm, plat_measure, p);
	ui_begin(&ui, 0, NULL);
	/* Fits nowhere: drawn as it is, clipped. */
	ui_text(&ui, box, UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_LEFT,
	    "疑似受侵害或面临危险");
	/* A text over a button. */
	ui_text(&ui, (struct ui_rect){300, 100, 200, 60}, UI_FONT_BODY,
	    UI_C_TEXT, UI_ALIGN_CENTER, "知道了知道了");
	ui_button(&ui, ui_id("t", 1), (struct ui_rect){300, 100, 200, 60},
	    UI_BTN_PRIMARY, UI_FONT_BODY, "好");
	/* A text ended with "…" by hand. */
	ui_text(&ui, (struct ui_rect){10, 300, 400, 60}, UI_FONT_BODY,
	    UI_C_TEXT, UI_ALIGN_LEFT, "没有写完…");
	/* Two buttons of one group, their fonts forced apart. */
	ui_group_begin(&ui, 7, UI_FONT_LARGE);
	ui_button(&ui, ui_id("t", 2), (struct ui_rect){600, 300, 300, 80},
	    UI_BTN_NORMAL, UI_FONT_LARGE, "一");
	ui.group_font = UI_FONT_SMALL;
	ui_button(&ui, ui_id("t", 3), (struct ui_rect){600, 400, 300, 80},
	    UI_BTN_NORMAL, UI_FONT_LARGE, "二");
	ui_group_end(&ui);
	ui_end(&ui);
	n = ui_check(&ui, pr, 16);
	for (i = 0; i < n && i < 16; i++)
		kinds[pr[i].kind] = 1;
	assert_true(kinds[UI_P_CLIPPED]);
	assert_true(kinds[UI_P_OVERLAP]);
	assert_true(kinds[UI_P_ELLIPSIS]);
	assert_true(kinds[UI_P_SMALL]);
	assert_true(kinds[UI_P_GROUP]);

	/* The same long label in a box two lines tall is wrapped, in the
	 * size asked for, and passes; marked truncatable in one line it is
	 * cut with "…" and passes too. */
	ui_begin(&ui, 0, NULL);
	ui_text(&ui,
	    (struct ui_rect){10, 10, ui.font_px[UI_FONT_LARGE] * 6,
	        ui.font_px[UI_FONT_LARGE] * 3},
	    UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_LEFT, "疑似受侵害或面临危险");
	assert_int_equal(ui.cmd[0].font, UI_FONT_LARGE);
	assert_non_null(
	    memchr(ui.text + ui.cmd[0].text_off, '\r', ui.cmd[0].text_len));
	ui_text_ex(&ui,
	    (struct ui_rect){10, 300, ui.font_px[UI_FONT_BODY] * 4,
	        ui.font_px[UI_FONT_BODY] * 2},
	    UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT, UI_TEXT_TRUNCATE,
	    "疑似受侵害或面临危险");
	assert_true(ui.cmd[1].tflags & UI_TEXT_CUT);
	ui_end(&ui);
	assert_int_equal(ui_check(&ui, pr, 16), 0);
	plat_close(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(check_sees_faults, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        every_screen_every_size, setup, teardown),
	    cmocka_unit_test_setup_teardown(english_messages, setup, teardown),
	};

	/* The harness's script runner and goldens are not used here. */
	(void) run;
	(void) golden;
	setenv("SDL_AUDIODRIVER", "dummy", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
