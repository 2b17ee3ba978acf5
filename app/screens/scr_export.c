/*
 * scr_export.c: 导出台账 (the headteacher: every ledger of this month,
 * this term or this half-year) and 导出档案 (a mentor: his children's
 * files in one PDF) to a USB stick, after a staff sign-in.  From the
 * head's screen it is three taps: 导出台账, the period, 导出到U盘; from the
 * mentor's home two.  The work is done by guanai-sync in a child process
 * (export.h): this screen starts it, reads its progress on every frame
 * without blocking (woken every 50 ms while it runs), draws the bar, and
 * says plainly how it ended: no stick, pulled out, full, failed, or done
 * with the reminder that the stick now holds children's private
 * information.  The program records the export (REC_EXPORT).  Leaving the
 * screen (back, the idle sign-out) stops a running export.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

#define POLL_MS 50

static int
allowed(const struct kiosk *k)
{
	if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin)
		return 0;
	return k->exp.what == EXPORT_LEDGERS
	    ? (k->ses.roles & ROLE_HEAD) != 0
	    : (k->ses.roles & ROLE_MENTOR) != 0;
}

static void
scr_export_enter(struct kiosk *k)
{
	if (!allowed(k)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	export_stop(&k->exp.job);
	k->exp.period = k->exp.what == EXPORT_FILES ? EXPORT_MONTH : -1;
}

static void
scr_export_leave(struct kiosk *k)
{
	export_stop(&k->exp.job);
	k->exp.period = -1;
}

static enum scr
back_to(const struct kiosk *k)
{
	return k->exp.what == EXPORT_LEDGERS ? SCR_HEAD : SCR_MENTOR;
}

/* Today's local day, YYYYMMDD. */
static uint32_t
today(const struct kiosk *k)
{
	return domain_day_of(k->now_ms, k->cfg->tz_min);
}

/* The period's words under its button: 2026年3月, 2026年春季学期. */
static void
period_sub(const struct kiosk *k, int p, char *out, size_t len)
{
	uint32_t d = today(k);
	unsigned y = d / 10000, m = d / 100 % 100;
	char ys[8], ms[8];

	snprintf(ms, sizeof(ms), "%u", m);
	if (p == EXPORT_TERM) {
		snprintf(ys, sizeof(ys), "%u", m == 1 ? y - 1 : y);
		ui_fmt(out, len,
		    kiosk_s(k,
		        m >= 9 || m == 1 ? "export.term_autumn"
		                         : "export.term_spring"),
		    ys, NULL, NULL);
		return;
	}
	snprintf(ys, sizeof(ys), "%u", y);
	if (p == EXPORT_HALF)
		ui_fmt(out, len,
		    kiosk_s(k, m <= 6 ? "export.half_1" : "export.half_2"), ys,
		    NULL, NULL);
	else
		ui_fmt(out, len, kiosk_s(k, "export.month_sub"), ys, ms, NULL);
}

static void
start(struct kiosk *k)
{
	(void) export_start(&k->exp.job, k->cfg->sync_bin, k->data_dir,
	    k->cfg->media_dir, k->cfg->fonts_dir, k->ses.staff_id, k->exp.what,
	    (enum export_period) k->exp.period, today(k), &k->care);
}

/* A text block of up to lines lines at the top of *r. */
static void
say(struct kiosk *k, struct ui_rect *r, int font, int color, int lines,
    const char *t)
{
	struct ui_rect l = ui_cut_top(r, k->ui.font_px[font] * 3 / 2 * lines);

	ui_text(&k->ui, l, font, color, UI_ALIGN_LEFT, t);
	ui_cut_top(r, scr_gap(k));
}

static const char *const period_keys[EXPORT_PERIODS] = {
    "export.month", "export.term", "export.half"};

/* The periods, side by side (or stacked on a narrow screen). */
static void
periods(struct kiosk *k, struct ui_rect *body)
{
	struct ui *ui = &k->ui;
	int g = scr_gap(k), narrow = 0;
	int h = ui_mm(ui, 16), p;
	struct ui_rect row, b;
	char sub[EXPORT_PERIODS][64];

	/* Side by side when each label fits a third, else stacked. */
	for (p = 0; p < EXPORT_PERIODS; p++) {
		period_sub(k, p, sub[p], sizeof(sub[p]));
		narrow |= ui_button_w(ui, UI_FONT_BODY, sub[p]) >
		    (body->w - 2 * g) / EXPORT_PERIODS;
	}
	say(k, body, UI_FONT_BODY, UI_C_TEXT, 1, kiosk_s(k, "export.choose"));
	row = ui_cut_top(body, narrow ? EXPORT_PERIODS * (h + g) - g : h);
	ui_cut_top(body, g * 2);
	ui_group_begin(ui, ui_id("export.periods", 0), UI_FONT_LARGE);
	for (p = 0; p < EXPORT_PERIODS; p++)
		ui_group_fit(ui,
		    (struct ui_rect){0, 0,
		        narrow ? row.w : (row.w - 2 * g) / EXPORT_PERIODS, h},
		    kiosk_s(k, period_keys[p]), sub[p]);
	for (p = 0; p < EXPORT_PERIODS; p++) {
		if (narrow)
			b = ui_cut_top(&row, h);
		else
			b = ui_cut_left(&row,
			    p == EXPORT_PERIODS - 1
			        ? row.w
			        : (row.w - (EXPORT_PERIODS - 1 - p) * g) /
			            (EXPORT_PERIODS - p));
		if (ui_button2(ui, ui_id("export.period", p), b,
		        k->exp.period == p ? UI_BTN_SELECTED : UI_BTN_NORMAL,
		        UI_FONT_LARGE, kiosk_s(k, period_keys[p]), sub[p]))
			k->exp.period = p;
		if (narrow)
			ui_cut_top(&row, g);
		else
			ui_cut_left(&row, g);
	}
	ui_group_end(ui);
}

/* The bar and its words while the program works. */
static void
running(struct kiosk *k, struct ui_rect body)
{
	struct ui *ui = &k->ui;
	const struct export_job *j = &k->exp.job;
	struct ui_rect bar, fill, b;
	char a[16], t[16], buf[128];

	snprintf(a, sizeof(a), "%u", j->done);
	snprintf(t, sizeof(t), "%u", j->total);
	if (j->total == 0) /* not yet heard from */
		snprintf(buf, sizeof(buf), "%s", kiosk_s(k, "export.started"));
	else
		ui_fmt(
		    buf, sizeof(buf), kiosk_s(k, "export.running"), a, t, NULL);
	say(k, &body, UI_FONT_LARGE, UI_C_PRIMARY, 1, buf);
	bar = ui_cut_top(&body, ui_mm(ui, 8));
	ui_cut_top(&body, scr_gap(k));
	ui_rect(ui, bar, UI_C_BORDER);
	fill = bar;
	fill.w = j->total
	    ? (int) ((int64_t) bar.w *
	          (j->done > j->total ? j->total : j->done) / j->total)
	    : 0;
	ui_rect(ui, fill, UI_C_PRIMARY);
	say(k, &body, UI_FONT_BODY, UI_C_TEXT, 1,
	    kiosk_s(k, "export.running_hint"));
	b = ui_cut_bottom(&body, ui_mm(ui, 15));
	b.w = ui_button_w(ui, UI_FONT_LARGE, kiosk_s(k, "export.stop")) +
	    ui_mm(ui, 12);
	if (ui_button(ui, ui_id("export.stop", 0), b, UI_BTN_NORMAL,
	        UI_FONT_LARGE, kiosk_s(k, "export.stop")))
		export_stop(&k->exp.job);
}

/*
 * The screen's button at the bottom of *body, and beside it (above it on
 * a narrow screen) the words of hint_key.  1 on the frame it is tapped.
 */
static int
bottom_row(struct kiosk *k, struct ui_rect *body, const char *key, int style,
    const char *hint_key)
{
	struct ui *ui = &k->ui;
	const char *label = kiosk_s(k, key);
	int g = scr_gap(k),
	    bw = ui_button_w(ui, UI_FONT_LARGE, label) + ui_mm(ui, 16);
	struct ui_rect row = ui_cut_bottom(body, ui_mm(ui, 15)), b;

	b = ui_cut_left(&row, bw);
	ui_cut_left(&row, g * 2);
	if (row.w < ui_mm(ui, 70)) {
		ui_cut_bottom(body, g);
		row = ui_cut_bottom(body, ui->font_px[UI_FONT_BODY] * 3);
	}
	ui_text(ui, row, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT,
	    kiosk_s(k, hint_key));
	return ui_button(ui, ui_id(key, 0), b, style, UI_FONT_LARGE, label);
}

/* Done: how many files, where, and what the stick now holds. */
static void
done(struct kiosk *k, struct ui_rect body)
{
	const struct export_job *j = &k->exp.job;
	const char *folder = strrchr(j->dir, '/');
	char n[16], buf[512];

	snprintf(n, sizeof(n), "%u", j->files);
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "export.done"), n,
	    folder ? folder + 1 : j->dir, NULL);
	say(k, &body, UI_FONT_LARGE, UI_C_OK, 2, buf);
	say(k, &body, UI_FONT_BODY, UI_C_DANGER, 3,
	    kiosk_s(k, "export.privacy"));
	if (bottom_row(
	        k, &body, "export.finish", UI_BTN_PRIMARY, "export.recorded"))
		kiosk_go(k, back_to(k));
}

/* What went wrong last time, in plain words, or NULL. */
static const char *
trouble(struct kiosk *k, char *buf, size_t len)
{
	switch (k->exp.job.state) {
	case EXPORT_NO_STICK:
		return kiosk_s(k, "export.no_stick");
	case EXPORT_GONE:
		return kiosk_s(k, "export.gone");
	case EXPORT_FULL:
		return kiosk_s(k, "export.full");
	case EXPORT_FAILED:
		ui_fmt(buf, len, kiosk_s(k, "export.failed"), k->exp.job.msg,
		    NULL, NULL);
		return buf;
	default:
		return NULL;
	}
}

static void
scr_export(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body;
	const char *why;
	char buf[384];
	int ledgers = k->exp.what == EXPORT_LEDGERS;

	if (k->exp.job.state == EXPORT_RUNNING) {
		export_poll(&k->exp.job, 20);
		if (k->exp.job.state == EXPORT_RUNNING) {
			ui_wake_at(ui, k->now_ms + POLL_MS);
			/* A long export on a slow machine is not idleness:
			 * the sign-out waits until it has ended. */
			k->last_input_ms = k->now_ms;
		}
	}
	if (scr_header(k, &body,
	        kiosk_s(
	            k, ledgers ? "export.title_ledgers" : "export.title_files"),
	        1)) {
		kiosk_go(k, back_to(k));
		return;
	}
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	if (k->exp.job.state == EXPORT_RUNNING) {
		running(k, body);
		return;
	}
	if (k->exp.job.state == EXPORT_DONE) {
		done(k, body);
		return;
	}
	/* What it writes, or what went wrong last time, in its place. */
	why = trouble(k, buf, sizeof(buf));
	if (why != NULL)
		say(k, &body, UI_FONT_BODY, UI_C_DANGER, 2, why);
	else
		say(k, &body, UI_FONT_BODY, UI_C_TEXT, 2,
		    kiosk_s(k,
		        ledgers ? "export.what_ledgers" : "export.what_files"));
	if (ledgers)
		periods(k, &body);
	if (bottom_row(k, &body, "export.go",
	        k->exp.period >= 0 ? UI_BTN_PRIMARY : UI_BTN_NORMAL,
	        "export.privacy_before") &&
	    k->exp.period >= 0) {
		start(k);
		ui_wake_at(ui, k->now_ms + POLL_MS);
	}
}

const struct scr_row scr_row_export = {
    "export", scr_export_enter, scr_export, scr_export_leave, 0};
