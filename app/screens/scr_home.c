/*
 * scr_home.c: the home screen: the school's name, the date and time, one
 * big entry per task, and how many records wait for upload.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

void
scr_home_enter(struct kiosk *k)
{
	uint32_t p, t;

	if (domain_status(&k->dom, k->school, sizeof(k->school), &k->unacked) !=
	    GU_OK)
		k->school[0] = '\0';
	/* The same source as the headteacher's screen. */
	if (store_sync_status(k->dom.store, &k->sync) != GU_OK)
		memset(&k->sync, 0, sizeof(k->sync));
	else
		k->unacked = k->sync.unacked;
	k->home_loaded_ms = k->now_ms;
	k->present = k->total = 0;
	if (domain_open_lecture(&k->dom, &k->lec) != GU_OK)
		memset(&k->lec, 0, sizeof(k->lec));
	else if (domain_lecture_counts(&k->dom, &k->lec, k->lec_cls, &p, &t) ==
	    GU_OK) {
		k->present = p;
		k->total = t;
	}
}

enum { TILE_LECTURE, TILE_MENTOR, TILE_STUDENT, TILE_HEAD, TILE_N };

static const char *const tile_key[TILE_N] = {
    "home.lecture", "home.mentor", "home.student_log", "home.head"};
static const char *const tile_sub[TILE_N] = {"home.lecture_sub",
    "home.mentor_sub", "home.student_log_sub", "home.head_sub"};

void
scr_home(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect all = {0, 0, ui->w, ui->h}, bar, status, tiles, c, t;
	char date[96], hm[16], buf[160], a[24], b[24], sub[160];
	int m = scr_margin(k), g = scr_gap(k) * 2, cols, rows, cw, ch, i;
	int landscape = ui->w >= ui->h;

	/* The sync daemon acknowledges records meanwhile: read the count
	 * again when the shown minute turns. */
	if (k->now_ms / 60000 != k->home_loaded_ms / 60000)
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
	        k->school[0] ? k->school : kiosk_s(k, "app.name"), c.w),
	    UI_C_TEXT, UI_ALIGN_LEFT,
	    k->school[0] ? k->school : kiosk_s(k, "app.name"));
	ui_text(ui, bar, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT, date);

	/* Status line: what waits for upload. */
	status = ui_cut_bottom(&all, ui->font_px[UI_FONT_BODY] * 2);
	status = ui_inset(status, 0);
	status.x += m;
	status.w -= 2 * m;
	if (k->unacked == 0)
		ui_text(ui, status, UI_FONT_BODY, UI_C_OK, UI_ALIGN_LEFT,
		    kiosk_s(k, "home.all_uploaded"));
	else {
		snprintf(a, sizeof(a), "%llu", (unsigned long long) k->unacked);
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "home.waiting_upload"), a,
		    NULL, NULL);
		if (k->sync.last_rc == GU_ENET ||
		    k->sync.last_rc == GU_EUNREACH)
			ui_fmt(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "{1}{2}", kiosk_s(k, "common.sep"),
			    kiosk_s(k,
			        k->sync.last_rc == GU_ENET ? "head.e_net"
			                                   : "head.e_unreach"),
			    NULL);
		else if (k->sync.last_rc == GU_EAUTH)
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
		if (i == TILE_LECTURE && k->lec.seq != 0) {
			snprintf(a, sizeof(a), "%u", k->present);
			snprintf(b, sizeof(b), "%u", k->total);
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
			if (k->lec.seq != 0)
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
