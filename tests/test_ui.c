/*
 * test_ui.c: the kiosk's parts without a screen: the toolkit (taps fire
 * on release inside the pressed widget, never after a drag; a list
 * follows the finger and flings; only what is visible is drawn), the
 * config parser (errors as file:line), the strings tables (Chinese and
 * English have the same keys, every key a screen uses exists), ui_fmt,
 * and the PNG writer (deterministic, valid).
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

#include "kiosk.h"
#include "png.h"
#include "settings.h"
#include "status.h"
#include "strtab.h"
#include "ui.h"

static struct ui the_ui;

static void
frame(struct ui *ui, int64_t t, int kind, int x, int y)
{
	struct ui_event ev = {(enum ui_ev_kind) kind, x, y, t};

	ui_begin(ui, t, kind == UI_EV_NONE ? NULL : &ev);
}

/* One frame with a button at r; returns whether it was tapped. */
static int
button_frame(struct ui *ui, int64_t t, int kind, int x, int y, int *pressed)
{
	struct ui_rect r = {100, 100, 200, 100};
	int tapped;

	frame(ui, t, kind, x, y);
	tapped = ui_tap(ui, ui_id("b", 0), r, pressed);
	ui_end(ui);
	return tapped;
}

static void
tap_on_release_inside(void **state)
{
	struct ui *ui = &the_ui;
	int pressed;

	(void) state;
	ui_init(ui, 1024, 600, 6.67f, NULL, NULL);
	assert_false(button_frame(ui, 0, UI_EV_DOWN, 150, 150, &pressed));
	assert_true(pressed); /* the pressed state is visible */
	assert_true(button_frame(ui, 80, UI_EV_UP, 152, 151, &pressed));
	assert_false(pressed);

	/* Released outside: no tap. */
	button_frame(ui, 200, UI_EV_DOWN, 150, 150, &pressed);
	assert_false(button_frame(ui, 280, UI_EV_UP, 500, 500, &pressed));

	/* Pressed outside, released inside: no tap. */
	button_frame(ui, 300, UI_EV_DOWN, 500, 500, &pressed);
	assert_false(pressed);
	assert_false(button_frame(ui, 380, UI_EV_UP, 150, 150, &pressed));

	/* Moved past the slop (a drag) and back: no tap. */
	button_frame(ui, 400, UI_EV_DOWN, 110, 110, &pressed);
	button_frame(ui, 420, UI_EV_MOVE, 110, 160, &pressed);
	assert_false(pressed);
	assert_false(button_frame(ui, 480, UI_EV_UP, 110, 112, &pressed));

	/* A small jitter within the slop is still a tap. */
	button_frame(ui, 500, UI_EV_DOWN, 150, 150, &pressed);
	button_frame(ui, 520, UI_EV_MOVE, 153, 152, &pressed);
	assert_true(pressed);
	assert_true(button_frame(ui, 580, UI_EV_UP, 153, 152, &pressed));
}

static void
later_widget_wins(void **state)
{
	struct ui *ui = &the_ui;
	struct ui_rect r = {0, 0, 300, 300};
	int a, b;

	(void) state;
	ui_init(ui, 1024, 600, 6.67f, NULL, NULL);
	frame(ui, 0, UI_EV_DOWN, 50, 50);
	ui_tap(ui, ui_id("under", 0), r, NULL);
	ui_tap(ui, ui_id("over", 0), r, NULL);
	ui_end(ui);
	frame(ui, 50, UI_EV_UP, 50, 50);
	a = ui_tap(ui, ui_id("under", 0), r, NULL);
	b = ui_tap(ui, ui_id("over", 0), r, NULL);
	ui_end(ui);
	assert_false(a);
	assert_true(b);
}

/* A list of n rows of 100 px in a 400 px view, with a button per row;
 * returns the index tapped or -1. */
static int
list_frame(struct ui *ui, struct ui_scroll *s, int64_t t, int kind, int x,
    int y, int n)
{
	struct ui_rect view = {0, 100, 500, 400};
	int i, tapped = -1;

	frame(ui, t, kind, x, y);
	ui_list_begin(ui, s, view, n * 100);
	for (i = 0; i < n; i++) {
		struct ui_rect r = {0, 100 + i * 100, 500, 90};
		if (ui_button(ui, ui_id("row", i), r, UI_BTN_NORMAL,
		        UI_FONT_BODY, "x"))
			tapped = i;
	}
	ui_list_end(ui, s);
	ui_end(ui);
	return tapped;
}

static void
list_follows_and_flings(void **state)
{
	struct ui *ui = &the_ui;
	struct ui_scroll s;
	int64_t t;
	float before;
	size_t i, rects = 0;

	(void) state;
	memset(&s, 0, sizeof(s));
	ui_init(ui, 1024, 600, 6.67f, NULL, NULL);

	/* A tap on row 1 (at y 250) taps it. */
	list_frame(ui, &s, 0, UI_EV_DOWN, 200, 250, 600);
	assert_int_equal(list_frame(ui, &s, 80, UI_EV_UP, 200, 250, 600), 1);

	/* Drag up by 200 px: the list follows the finger exactly, and the
	 * row under the finger at the start does not fire. */
	list_frame(ui, &s, 1000, UI_EV_DOWN, 200, 450, 600);
	for (t = 1; t <= 10; t++)
		list_frame(ui, &s, 1000 + 16 * t, UI_EV_MOVE, 200,
		    450 - (int) t * 20, 600);
	assert_true(s.off > 199.0f && s.off < 201.0f);
	assert_int_equal(
	    list_frame(ui, &s, 1000 + 16 * 11, UI_EV_UP, 200, 230, 600), -1);

	/* Released while moving: it keeps going, slower and slower, and
	 * asks for frames until it stops. */
	assert_true(s.vel > 0.5f);
	before = s.off;
	list_frame(ui, &s, 1000 + 16 * 12, UI_EV_NONE, 0, 0, 600);
	assert_true(s.off > before);
	assert_true(ui->wake_ms != 0);
	for (t = 13; t < 400 && s.vel != 0; t++)
		list_frame(ui, &s, 1000 + 16 * t, UI_EV_NONE, 0, 0, 600);
	assert_true(s.vel == 0);
	assert_true(s.off > 400.0f && s.off <= (float) s.max_off);
	list_frame(ui, &s, 1000 + 16 * t, UI_EV_NONE, 0, 0, 600);
	assert_int_equal(ui->wake_ms, 0);

	/* Only the rows in view are drawn: 600 rows, at most 6 shown. */
	for (i = 0; i < ui->ncmd; i++)
		rects += ui->cmd[i].kind == UI_CMD_RECT;
	assert_true(rects <= 6);

	/* A tap while flinging stops the list and does not fire. */
	memset(&s, 0, sizeof(s));
	s.vel = 3;
	s.max_off = 59600;
	list_frame(ui, &s, 5000, UI_EV_DOWN, 200, 250, 600);
	assert_true(s.vel == 0);
}

static void
hash_changes_only_with_content(void **state)
{
	struct ui *ui = &the_ui;
	struct ui_rect r = {10, 10, 100, 50};
	uint64_t h1, h2, h3;

	(void) state;
	ui_init(ui, 1024, 600, 6.67f, NULL, NULL);
	frame(ui, 0, UI_EV_NONE, 0, 0);
	ui_text(ui, r, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT, "08:30");
	h1 = ui_hash(ui);
	frame(ui, 1000, UI_EV_NONE, 0, 0);
	ui_text(ui, r, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT, "08:30");
	h2 = ui_hash(ui);
	frame(ui, 60000, UI_EV_NONE, 0, 0);
	ui_text(ui, r, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT, "08:31");
	h3 = ui_hash(ui);
	assert_true(h1 == h2);
	assert_true(h1 != h3);
}

static void
fmt(void **state)
{
	char buf[16];

	(void) state;
	ui_fmt(buf, sizeof(buf), "已到 {1}/{2}", "3", "40", NULL);
	assert_string_equal(buf, "已到 3/40");
	ui_fmt(buf, sizeof(buf), "{3}{1}", "a", NULL, "b");
	assert_string_equal(buf, "ba");
	/* Truncation never cuts a character in half: 5 x 3 bytes. */
	ui_fmt(buf, sizeof(buf), "一二三四五六", NULL, NULL, NULL);
	assert_string_equal(buf, "一二三四五");
	ui_fmt(buf, 8, "ab{1}", "一二三", NULL, NULL);
	assert_string_equal(buf, "ab一");
}

static char *
write_tmp(const char *text)
{
	char tmpl[] = "/tmp/guanai-ui-XXXXXX";
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
	close(fd);
	return strdup(tmpl);
}

static void
config_file(void **state)
{
	struct settings c;
	char err[256], want[300];
	char *p;

	(void) state;
	settings_defaults(&c);
	p = write_tmp("# kiosk\n\nlang = en\nscreen_diagonal_inch = 7\n"
	              "touch_rotate = 90\n"
	              "touch_calibration = 1 0 0.01  0 1 -0.02\n"
	              "idle_timeout_s=30\n");
	assert_int_equal(settings_load(&c, p, err, sizeof(err)), GU_OK);
	assert_string_equal(c.lang, "en");
	assert_true(c.screen_diagonal_inch == 7.0f);
	assert_int_equal(c.touch_rotate, 90);
	assert_true(c.touch_cal[2] > 0.009f && c.touch_cal[5] < -0.019f);
	assert_int_equal(c.idle_timeout_s, 30);
	unlink(p);
	free(p);

	/* Errors name the file and the line, and change nothing. */
	settings_defaults(&c);
	p = write_tmp("lang = zh\n\nidle_timeout_s = soon\n");
	assert_int_equal(settings_load(&c, p, err, sizeof(err)), GU_EINVAL);
	snprintf(want, sizeof(want), "%s:3: bad value", p);
	assert_string_equal(err, want);
	assert_int_equal(c.idle_timeout_s, 60);
	unlink(p);
	free(p);
	p = write_tmp("colour = blue\n");
	assert_int_equal(settings_load(&c, p, err, sizeof(err)), GU_EINVAL);
	assert_non_null(strstr(err, ":1: unknown key"));
	unlink(p);
	free(p);
	p = write_tmp("touch_rotate = 45\n");
	assert_int_equal(settings_load(&c, p, err, sizeof(err)), GU_EINVAL);
	unlink(p);
	free(p);
	/* The display: auto by default, one of three words. */
	settings_defaults(&c);
	assert_string_equal(c.display, "auto");
	p = write_tmp("display = drm\n");
	assert_int_equal(settings_load(&c, p, err, sizeof(err)), GU_OK);
	assert_string_equal(c.display, "drm");
	unlink(p);
	free(p);
	p = write_tmp("display = kmsdrm\n");
	assert_int_equal(settings_load(&c, p, err, sizeof(err)), GU_EINVAL);
	assert_non_null(strstr(err, ":1: display must be auto, sdl or drm"));
	assert_string_equal(c.display, "drm");
	unlink(p);
	free(p);
	assert_int_equal(
	    settings_load(&c, "/nonexistent/kiosk.conf", err, sizeof(err)),
	    GU_EIO);
}

static const char *
srcdir(void)
{
	const char *s = getenv("SRCDIR");

	return s != NULL ? s : ".";
}

static void
strings_tables(void **state)
{
	static struct strtab zh, en;
	char path[512], err[256];
	size_t i;

	(void) state;
	snprintf(path, sizeof(path), "%s/assets/strings.zh.txt", srcdir());
	assert_int_equal(strtab_load(&zh, path, err, sizeof(err)), GU_OK);
	snprintf(path, sizeof(path), "%s/assets/strings.en.txt", srcdir());
	assert_int_equal(strtab_load(&en, path, err, sizeof(err)), GU_OK);
	assert_int_equal(zh.n, en.n);
	for (i = 0; i < zh.n; i++) {
		if (strtab_find(&en, zh.e[i].key) == NULL)
			fail_msg("%s missing from strings.en.txt", zh.e[i].key);
	}
	/* The plan's lecture topics, every one with a name. */
	assert_string_equal(strtab_get(&zh, "topic.drowning"), "防溺水");
	assert_string_equal(strtab_get(&zh, "home.lecture"), "安全讲堂签到");
	assert_string_equal(strtab_get(&zh, "no.such.key"), "no.such.key");
	assert_non_null(strchr(strtab_get(&zh, "msg.not_built"), '\n'));

	/* A bad line is reported with its line number. */
	{
		char *p = write_tmp("a = b\nnot a line\n");
		assert_int_equal(
		    strtab_load(&zh, p, err, sizeof(err)), GU_EINVAL);
		assert_non_null(strstr(err, ":2:"));
		unlink(p);
		free(p);
		p = write_tmp("a = b\na = c\n");
		assert_int_equal(
		    strtab_load(&zh, p, err, sizeof(err)), GU_EINVAL);
		unlink(p);
		free(p);
	}
}

static void
png_deterministic(void **state)
{
	uint8_t px[64 * 40 * 3], *a = NULL, *b = NULL;
	size_t la, lb, i;

	(void) state;
	for (i = 0; i < sizeof(px); i++)
		px[i] = (uint8_t) (i / 3 % 64 < 32 ? 0xf6 : (i * 7) & 0xff);
	assert_int_equal(png_encode(px, 64, 40, 64 * 3, &a, &la), GU_OK);
	assert_int_equal(png_encode(px, 64, 40, 64 * 3, &b, &lb), GU_OK);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_memory_equal(a, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(a + la - 8, "IEND", 4);
	free(a);
	free(b);
	assert_int_equal(png_encode(px, 0, 40, 0, &a, &la), GU_EINVAL);
}

/* The screen table: every screen has a row with a name and a frame, the
 * names are unique, and a student's screen never needs a sign-in. */
static void
screen_table(void **state)
{
	int s, t;

	(void) state;
	for (s = 0; s < SCR_N; s++) {
		const struct scr_row *r = kiosk_screen((enum scr) s);

		assert_non_null(r);
		assert_non_null(r->name);
		assert_non_null(r->frame);
		if (r->flags & SCR_F_STUDENT)
			assert_true(r->flags & SCR_F_PUBLIC);
		for (t = 0; t < s; t++)
			assert_string_not_equal(
			    kiosk_screen((enum scr) t)->name, r->name);
	}
	assert_true(kiosk_screen(SCR_HOME)->flags & SCR_F_PUBLIC);
	assert_false(kiosk_screen(SCR_HOME)->flags & SCR_F_STUDENT);
	assert_true(kiosk_student_screen(SCR_STU_NAME));
	assert_false(kiosk_student_screen(SCR_FILE));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tap_on_release_inside),
	    cmocka_unit_test(later_widget_wins),
	    cmocka_unit_test(list_follows_and_flings),
	    cmocka_unit_test(hash_changes_only_with_content),
	    cmocka_unit_test(fmt),
	    cmocka_unit_test(config_file),
	    cmocka_unit_test(strings_tables),
	    cmocka_unit_test(png_deterministic),
	    cmocka_unit_test(screen_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
