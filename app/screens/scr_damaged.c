/*
 * scr_damaged.c: the store is damaged (a record or the file failed its
 * check, GU_ECORRUPT): one full screen that says so and what to do, and
 * nothing else.  It reads nothing from the store and offers no button, so
 * nothing more is written into a store that can no longer be trusted
 * (kiosk_store_damaged() in kiosk.h keeps every other screen away).
 */
#include "scr.h"

static void
scr_damaged(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect all = {0, 0, ui->w, ui->h}, top, lead;
	int m = scr_margin(k) * 2;

	ui_rect(ui, all, UI_C_PANEL);
	top = ui_cut_top(&all, ui->font_px[UI_FONT_HUGE] * 2);
	ui_rect(ui, top, UI_C_DANGER);
	ui_text(ui, ui_inset(top, m / 2), UI_FONT_HUGE, UI_C_ON_PRIMARY,
	    UI_ALIGN_CENTER, kiosk_s(k, "damaged.title"));
	all = ui_inset(all, m);
	/* The lead in as many lines as it needs, the rest below. */
	lead = all;
	lead.h = ui->font_px[UI_FONT_LARGE] * 3;
	while (lead.h < all.h / 2 &&
	    !ui_text_fits(ui, lead, UI_FONT_LARGE, kiosk_s(k, "damaged.lead")))
		lead.h += ui->font_px[UI_FONT_LARGE] * 3 / 2;
	lead = ui_cut_top(&all, lead.h);
	ui_text(ui, lead, UI_FONT_LARGE, UI_C_DANGER, UI_ALIGN_LEFT,
	    kiosk_s(k, "damaged.lead"));
	ui_text(ui, all, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k, "damaged.what"));
}

const struct scr_row scr_row_damaged = {"damaged", NULL, scr_damaged, NULL, 0};
