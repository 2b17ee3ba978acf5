/*
 * test_ui_ime.c: golden screenshots of the input method's widget, drawn
 * by the real front end (headless SDL, the kiosk's fonts) at every
 * supported size: the pinyin keyboard with candidates for "nainai", and
 * the handwriting pad with 十 written and its candidates.  The widget
 * fills the lower part of the screen, as the note screen will place it;
 * above it a plain band stands for the note.  GUANAI_UPDATE_GOLDEN=1
 * rewrites the pictures; a difference keeps the actual one in /tmp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ime.h"
#include "ime_ui.h"
#include "platform.h"
#include "settings.h"
#include "status.h"
#include "ui_sizes.h"

static struct hw *the_hw;
static struct py *the_py;
static struct ui the_ui;
static const struct ime_ui_labels labels = {
    "删除", "确定", "空格", "更多", "拼音", "手写"};

static const char *
srcdir(void)
{
	const char *s = getenv("SRCDIR");

	return s != NULL ? s : ".";
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		b = malloc((size_t) n + 1);
		if (b != NULL && fread(b, 1, (size_t) n, fp) != (size_t) n) {
			free(b);
			b = NULL;
		}
		*len = (size_t) n;
	}
	fclose(fp);
	return b;
}

static void
golden(const char *got, const char *name)
{
	char want[512], cmd[1200];
	uint8_t *a, *b;
	size_t la = 0, lb = 0;

	snprintf(want, sizeof(want), "%s/tests/golden/%s.png", srcdir(), name);
	if (getenv("GUANAI_UPDATE_GOLDEN") != NULL) {
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", got, want);
		assert_int_equal(system(cmd), 0);
		return;
	}
	a = slurp(got, &la);
	b = slurp(want, &lb);
	assert_non_null(a);
	if (b == NULL)
		fail_msg(
		    "no golden %s (GUANAI_UPDATE_GOLDEN=1 makes it)", want);
	if (la != lb || memcmp(a, b, la) != 0) {
		snprintf(cmd, sizeof(cmd), "cp '%s' /tmp/guanai-%s.actual.png",
		    got, name);
		if (system(cmd) != 0)
			fprintf(stderr, "could not keep %s\n", got);
		fail_msg("screen %s differs from %s: see "
		         "/tmp/guanai-%s.actual.png",
		    name, want, name);
	}
	free(a);
	free(b);
}

static void
frame(struct ui *ui, struct ime_ui *w, struct ime *ime, struct ui_rect r,
    enum ui_ev_kind kind, int x, int y, int64_t t)
{
	struct ui_event ev = {kind, x, y, t};
	struct ui_rect note = {0, 0, ui->w, r.y};

	ui_begin(ui, t, &ev);
	ui_rect(ui, (struct ui_rect){0, 0, ui->w, ui->h}, UI_C_BG);
	ui_rect(ui, note, UI_C_BG);
	ui_text(ui, ui_inset(note, ui_mm(ui, 3)), UI_FONT_BODY, UI_C_TEXT,
	    UI_ALIGN_LEFT, ime->text);
	ime_ui_frame(ui, w, ime, r, &labels);
	ui_end(ui);
	assert_int_equal(ui->overflow, 0);
	assert_int_equal(ui->small_targets, 0);
}

static void
test_shots(void **state)
{
	static struct ime ime;
	char dir[] = "/tmp/test_ui_ime.XXXXXX";

	(void) state;
	assert_non_null(mkdtemp(dir));
	for (size_t z = 0; z < UI_NSIZES; z++) {
		struct settings cfg;
		struct plat_opts o;
		struct plat *p = NULL;
		struct ime_ui w;
		char err[600], path[600], name[64];
		int W, H;
		float ppm;
		int64_t t = 1000;

		settings_defaults(&cfg);
		cfg.screen_diagonal_inch = ui_sizes[z].inch == 16 ? 15.6f : 7;
		cfg.sound = 0;
		snprintf(
		    cfg.fonts_dir, sizeof(cfg.fonts_dir), "%s/fonts", srcdir());
		snprintf(cfg.assets_dir, sizeof(cfg.assets_dir), "%s/assets",
		    srcdir());
		memset(&o, 0, sizeof(o));
		o.headless = 1;
		o.w = ui_sizes[z].w;
		o.h = ui_sizes[z].h;
		o.clock_ms = 1772411400000LL;
		if (plat_open(&p, &cfg, &o, err, sizeof(err)) != GU_OK)
			fail_msg("plat_open: %s", err);
		plat_size(p, &W, &H, &ppm);
		ui_init(&the_ui, W, H, ppm, plat_measure, p);
		int mh = ime_ui_min_height(&the_ui);
		struct ui_rect r = {0, H - mh, W, mh};

		/* pinyin: 奶奶 committed, then "zhuyuan" typed */
		memset(&w, 0, sizeof(w));
		ime_init(&ime, the_hw, the_py, NULL, "T0002", 0);
		ime_switch(&ime, IME_PINYIN);
		for (const char *k = "nainai"; *k; k++)
			ime_key(&ime, *k);
		ime_choose(&ime, 0);
		for (const char *k = "zhuyuan"; *k; k++)
			ime_key(&ime, *k);
		frame(&the_ui, &w, &ime, r, UI_EV_NONE, 0, 0, t);
		plat_render(p, &the_ui);
		snprintf(name, sizeof(name), "ime_pinyin_%s", ui_sizes[z].tag);
		snprintf(path, sizeof(path), "%s/%s.png", dir, name);
		assert_int_equal(plat_screenshot(p, path), GU_OK);
		golden(path, name);

		/* handwriting: 十 written on the pad */
		ime_switch(&ime, IME_HANDWRITING);
		frame(&the_ui, &w, &ime, r, UI_EV_NONE, 0, 0, t += 10);
		struct ui_rect pad = w.pad;
		int cy = pad.y + pad.h / 2, cx = pad.x + pad.w / 2;
		frame(&the_ui, &w, &ime, r, UI_EV_DOWN, pad.x + pad.w / 6, cy,
		    t += 10);
		for (int i = 1; i <= 8; i++)
			frame(&the_ui, &w, &ime, r, UI_EV_MOVE,
			    pad.x + pad.w / 6 + i * pad.w * 4 / 48, cy,
			    t += 16);
		frame(&the_ui, &w, &ime, r, UI_EV_UP, pad.x + pad.w * 5 / 6, cy,
		    t += 16);
		frame(&the_ui, &w, &ime, r, UI_EV_DOWN, cx, pad.y + pad.h / 8,
		    t += 200);
		for (int i = 1; i <= 8; i++)
			frame(&the_ui, &w, &ime, r, UI_EV_MOVE, cx,
			    pad.y + pad.h / 8 + i * pad.h * 6 / 64, t += 16);
		frame(&the_ui, &w, &ime, r, UI_EV_UP, cx, pad.y + pad.h * 7 / 8,
		    t += 16);
		assert_string_equal(ime.cand[0], "十");
		plat_render(p, &the_ui);
		snprintf(name, sizeof(name), "ime_hw_%s", ui_sizes[z].tag);
		snprintf(path, sizeof(path), "%s/%s.png", dir, name);
		assert_int_equal(plat_screenshot(p, path), GU_OK);
		golden(path, name);
		plat_close(p);
	}
	if (getenv("GUANAI_KEEP") == NULL) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shots),
	};
	int rc;

	the_hw = hw_new(NULL);
	the_py = py_new(NULL);
	if (the_hw == NULL || the_py == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	py_free(the_py);
	hw_free(the_hw);
	return rc;
}
