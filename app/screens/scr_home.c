/*
 * scr_home.c: the home screen: the school's name, the date and time, one
 * big entry per task, and how many records wait for upload.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static void
scr_home_enter(struct kiosk *k)
{
	uint32_t p, t;

	if (domain_status(&k->dom, k->home.school, sizeof(k->home.school),
	        &k->home.unacked) != GU_OK)
		k->home.school[0] = '\0';
	/* The same source as the headteacher's screen. */
	if (domain_sync_status(&k->dom, &k->home.sync) != GU_OK)
		memset(&k->home.sync, 0, sizeof(k->home.sync));
	else
		k->home.unacked = k->home.sync.unacked;
	k->home.loaded_ms = k->now_ms;
	k->lec.present = k->lec.total = 0;
	if (domain_open_lecture(&k->dom, &k->lec.cur) != GU_OK)
		memset(&k->lec.cur, 0, sizeof(k->lec.cur));
	else if (domain_lecture_counts(
	             &k->dom, &k->lec.cur, k->lec.cur_cls, &p, &t) == GU_OK) {
		k->lec.present = p;
		k->lec.total = t;
	}
}

enum { TILE_LECTURE, TILE_MENTOR, TILE_STUDENT, TILE_HEAD, TILE_N };

static const char *const tile_key[TILE_N] = {
    "home.lecture", "home.mentor", "home.student_log", "home.head"};
static const char *const tile_sub[TILE_N] = {"home.lecture_sub",
    "home.mentor_sub", "home.student_log_sub", "home.head_sub"};

static void
scr_home(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect all = {0, 0, ui->w, ui->h}, bar, status, tiles, c, t;
	char date[96], hm[16], buf[160], a[24], b[24], sub[160];
	int m = scr_margin(k), g = scr_gap(k) * 2, cols, rows, cw, ch, i;
	int landscape = ui->w >= ui->h;

	/* The sync daemon acknowledges records meanwhile: read the count
	 * again when the shown minute turns. */
	if (k->now_ms / 60000 != k->home.loaded_ms / 60000)
		scr_home_enter(k);

	/* Header: the school, the date; the time large at the right. */
	bar = ui_cut_top(&all, ui->font_px[UI_FONT_HUGE] * 3 / 2 + m);
	ui_rect(ui, bar, UI_C_PANEL);
	ui_rect(ui, (struct ui_rect){bar.x, bar.y + bar.h - 1, bar.w, 1},
	    UI_C_BORDER);
	bar = ui_inset(bar, m);
	scr_clock(k, date, sizeof(date), hm, sizeof(hm));
	ui_wake_at(ui, (k->now_ms / 60000 + 1) * 60000);
	t = ui_cut_right(&bar, ui->font_px[UI_FONT_HUGE] * 3);
	ui_text(ui, t, UI_FONT_HUGE, UI_C_TEXT, UI_ALIGN_RIGHT, hm);
	c = ui_cut_top(&bar, bar.h / 2 + ui->font_px[UI_FONT_SMALL] / 3);
	ui_text(ui, c,
	    ui_fit_font(ui, UI_FONT_LARGE,
	        k->home.school[0] ? k->home.school : kiosk_s(k, "app.name"),
	        c.w),
	    UI_C_TEXT, UI_ALIGN_LEFT,
	    k->home.school[0] ? k->home.school : kiosk_s(k, "app.name"));
	ui_text(ui, bar, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT, date);

	/* Status line: what waits for upload. */
	status = ui_cut_bottom(&all, ui->font_px[UI_FONT_BODY] * 2);
	status = ui_inset(status, 0);
	status.x += m;
	status.w -= 2 * m;
	if (k->home.unacked == 0)
		ui_text(ui, status, UI_FONT_BODY, UI_C_OK, UI_ALIGN_LEFT,
		    kiosk_s(k, "home.all_uploaded"));
	else {
		snprintf(
		    a, sizeof(a), "%llu", (unsigned long long) k->home.unacked);
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "home.waiting_upload"), a,
		    NULL, NULL);
		if (k->home.sync.last_rc == GU_ENET ||
		    k->home.sync.last_rc == GU_EUNREACH)
			ui_fmt(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "{1}{2}", kiosk_s(k, "common.sep"),
			    kiosk_s(k,
			        k->home.sync.last_rc == GU_ENET
			            ? "head.e_net"
			            : "head.e_unreach"),
			    NULL);
		else if (k->home.sync.last_rc == GU_EAUTH)
			ui_fmt(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "{1}{2}", kiosk_s(k, "common.sep"),
			    kiosk_s(k, "head.e_auth"), NULL);
		ui_text(
		    ui, status, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT, buf);
	}

	/* Four big tiles: 2 x 2 on a landscape screen, 4 x 1 on a very
	 * wide and short one, one column in portrait. */
	tiles = ui_inset(all, m);
	cols = landscape ? 2 : 1;
	if (landscape && tiles.w > 3 * tiles.h)
		cols = 4;
	rows = TILE_N / cols;
	cw = (tiles.w - (cols - 1) * g) / cols;
	ch = (tiles.h - (rows - 1) * g) / rows;
	for (i = 0; i < TILE_N; i++) {
		c = ui_grid_cell(tiles, cols, cw, ch, g, i);
		sub[0] = '\0';
		if (i == TILE_LECTURE && k->lec.cur.seq != 0) {
			snprintf(a, sizeof(a), "%u", k->lec.present);
			snprintf(b, sizeof(b), "%u", k->lec.total);
			ui_fmt(sub, sizeof(sub),
			    kiosk_s(k, "home.lecture_open"), a, b, NULL);
		} else
			snprintf(
			    sub, sizeof(sub), "%s", kiosk_s(k, tile_sub[i]));
		if (!ui_button2(ui, ui_id("home.tile", i), c,
		        i == TILE_LECTURE ? UI_BTN_PRIMARY : UI_BTN_NORMAL,
		        UI_FONT_HUGE, kiosk_s(k, tile_key[i]), sub))
			continue;
		if (i == TILE_LECTURE) {
			if (k->lec.cur.seq != 0)
				kiosk_go(k, SCR_LEC_CLASSES);
			else
				kiosk_signin_for(k, AFTER_LEC_START);
		} else if (i == TILE_MENTOR)
			kiosk_signin_for(k, AFTER_MENTOR);
		else if (i == TILE_HEAD)
			kiosk_signin_for(k, AFTER_HEAD);
		else
			kiosk_go(k, SCR_STU_CLASS);
		return;
	}
}

const struct scr_row scr_row_home = {
    "home", scr_home_enter, scr_home, NULL, SCR_F_PUBLIC};
