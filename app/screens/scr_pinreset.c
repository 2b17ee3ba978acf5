/*
 * scr_pinreset.c: the headteacher, signed in with his own PIN, resets a
 * staff member's forgotten PIN (校长 -> 重置密码):
 *
 *   whose PIN -> are you sure -> the temporary PIN, shown once, to tell
 *   him face to face; he must choose a new one at his next sign-in
 *                                          -> REC_AUTH "pin_reset"
 *
 * The temporary PIN lives in memory only while this screen shows it.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static void
scr_pin_reset_enter(struct kiosk *k)
{
	struct dom_staff all[DOM_STAFF_MAX];
	size_t n = 0, i;

	if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin ||
	    !(k->ses.roles & ROLE_HEAD)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	k->pinreset.step = PR_WHO;
	k->pinreset.who = -1;
	k->pinreset.n_staff = 0;
	if (domain_staff(&k->dom, all, DOM_STAFF_MAX, &n) != GU_OK)
		n = 0;
	for (i = 0; i < n; i++)
		if (strcmp(all[i].id, k->ses.staff_id) != 0)
			k->pinreset.staff[k->pinreset.n_staff++] = all[i];
}

static void
scr_pin_reset_leave(struct kiosk *k)
{
	explicit_bzero(k->pinreset.temp, sizeof(k->pinreset.temp));
}

static const char *
who_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	(void) style;
	(void) sub;
	return k->pinreset.staff[i].name;
}

static void
reset(struct kiosk *k)
{
	int rc = auth_reset_pin(k->dom.store, &k->auth, k->now_ms, &k->ses,
	    k->pinreset.staff[k->pinreset.who].id, k->pinreset.temp);

	if (rc != GU_OK) {
		scr_failed(k, rc, 0);
		return;
	}
	k->pinreset.step = PR_TEMP;
}

/* Text of font f at the top of *r, on as many lines (up to three) as
 * it needs. */
static void
say(struct kiosk *k, struct ui_rect *r, int f, int color, const char *t)
{
	struct ui *ui = &k->ui;
	int lh = ui->font_px[f] * 3 / 2, lines = 1;
	struct ui_rect l = *r;

	l.h = lh;
	while (lines < 3 && !ui_text_fits(ui, l, f, t) && l.h + lh <= r->h)
		l.h = lh * ++lines;
	l = ui_cut_top(r, l.h);
	ui_text(ui, l, f, color, UI_ALIGN_LEFT, t);
}

static void
scr_pin_reset(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, foot, b;
	const char *name;
	char buf[256];
	int t, g = scr_gap(k);

	if (scr_header(k, &body, kiosk_s(k, "pinreset.title"),
	        k->pinreset.step != PR_TEMP)) {
		if (k->pinreset.step == PR_SURE)
			k->pinreset.step = PR_WHO;
		else
			kiosk_go(k, SCR_HEAD);
		return;
	}
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	if (k->pinreset.step == PR_WHO) {
		say(k, &body, UI_FONT_LARGE, UI_C_TEXT,
		    kiosk_s(k, "pinreset.pick"));
		ui_cut_top(&body, g);
		t = scr_grid(k, body, &k->scroll, k->pinreset.n_staff, 40, 15,
		    UI_FONT_LARGE, who_cell, "pinreset.who");
		if (t >= 0) {
			k->pinreset.who = t;
			k->pinreset.step = PR_SURE;
		}
		return;
	}
	name = k->pinreset.staff[k->pinreset.who].name;
	foot = ui_cut_bottom(&body, ui_mm(ui, 14));
	ui_cut_bottom(&body, g);
	b = ui_cut_right(&foot, foot.w / 2);
	if (k->pinreset.step == PR_SURE) {
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "pinreset.sure"), name,
		    NULL, NULL);
		say(k, &body, UI_FONT_LARGE, UI_C_TEXT, buf);
		say(k, &body, UI_FONT_BODY, UI_C_MUTED,
		    kiosk_s(k, "pinreset.sure_2"));
		if (ui_button(ui, ui_id("pinreset.do", 0), b, UI_BTN_PRIMARY,
		        UI_FONT_LARGE, kiosk_s(k, "pinreset.do")))
			reset(k);
		return;
	}
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "pinreset.done"), name, NULL, NULL);
	say(k, &body, UI_FONT_LARGE, UI_C_TEXT, buf);
	say(k, &body, UI_FONT_HUGE, UI_C_PRIMARY, k->pinreset.temp);
	ui_fmt(
	    buf, sizeof(buf), kiosk_s(k, "pinreset.done_2"), name, NULL, NULL);
	say(k, &body, UI_FONT_BODY, UI_C_MUTED, buf);
	if (ui_button(ui, ui_id("pinreset.ok", 0), b, UI_BTN_PRIMARY,
	        UI_FONT_LARGE, kiosk_s(k, "report.done")))
		kiosk_go(k, SCR_HEAD);
}

const struct scr_row scr_row_pin_reset = {
    "pin_reset", scr_pin_reset_enter, scr_pin_reset, scr_pin_reset_leave, 0};
