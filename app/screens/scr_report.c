/*
 * scr_report.c: the mandatory report (强制报告) any staff member files,
 * reached from the staff home (mentor, 班主任, teacher) and from the
 * headteacher's screen, about any active child, his own or not:
 *
 *   class -> name -> the law, with the local numbers (settings:
 *   report_police, report_civil, report_edu), 我选错了 back to the names
 *   or 确认报告 -> what was recorded          -> REC_CONCERN, urgent
 *
 * The children are shown as struct dom_pupil (a name, a birthday to tell
 * same-name classmates apart): the reporter learns nothing of a child he
 * may not otherwise see, and afterwards sees what he reported, nothing
 * more (care_log_report; the file stays care_may_see()'s).
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

void
scr_report_start(struct kiosk *k)
{
	k->report.back = k->scr;
	kiosk_go(k, SCR_REPORT);
}

static void
scr_report_enter(struct kiosk *k)
{
	if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	k->report.step = REP_CLASS;
	k->report.cls = k->report.who = -1;
	k->report.n_pupils = 0;
	if (domain_classes(&k->dom, k->report.classes, DOM_CLASSES_MAX,
	        &k->report.n_classes) != GU_OK)
		k->report.n_classes = 0;
}

/* Nothing of the child lingers once the screen is left. */
static void
scr_report_leave(struct kiosk *k)
{
	memset(k->report.pupils, 0, sizeof(k->report.pupils));
	k->report.n_pupils = 0;
	k->report.who = -1;
}

/* A local number of the settings, or 未设置. */
static const char *
number(const struct kiosk *k, const char *n)
{
	return n[0] != '\0' ? n : kiosk_s(k, "report.unset");
}

/* The local numbers on a line of their own at the bottom of *r, large. */
static void
numbers(struct kiosk *k, struct ui_rect *r)
{
	struct ui *ui = &k->ui;
	char nums[256];
	struct ui_rect n;

	ui_fmt(nums, sizeof(nums), kiosk_s(k, "report.numbers"),
	    number(k, k->cfg->report_police), number(k, k->cfg->report_civil),
	    number(k, k->cfg->report_edu));
	/* Two lines when one is too narrow for it. */
	n = *r;
	n.h = ui->font_px[UI_FONT_LARGE] * 3 / 2;
	if (!ui_text_fits(ui, n, UI_FONT_LARGE, nums))
		n.h *= 2;
	n = ui_cut_bottom(r, n.h);
	ui_text(ui, n, UI_FONT_LARGE, UI_C_DANGER, UI_ALIGN_LEFT, nums);
}

int
scr_report_law(struct kiosk *k, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	const char *law = kiosk_s(k, "urgent.law"), *p;
	int lines = 1, f;

	numbers(k, &r);
	/* The law's lines in the largest font that fits them all. */
	for (p = law; *p != '\0'; p++)
		lines += *p == '\n';
	for (f = UI_FONT_LARGE; f > UI_FONT_SMALL; f--)
		if (lines * ui->font_px[f] * 3 / 2 <= r.h &&
		    ui_fit_font(ui, f, law, r.w) == f)
			break;
	ui_text(ui, r, f, UI_C_TEXT, UI_ALIGN_LEFT, law);
	return f;
}

static const char *
class_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	(void) style;
	(void) sub;
	return k->report.classes[i].name;
}

static const char *
name_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	static char tell[64];

	(void) style;
	*sub = scr_pupil_tell(k, &k->report.pupils[i], tell, sizeof(tell));
	return k->report.pupils[i].name;
}

static void
pick_class(struct kiosk *k, int t)
{
	k->report.cls = t;
	k->report.n_pupils = 0;
	if (domain_pupils(&k->dom, 0, k->report.classes[t].name,
	        k->report.pupils, DOM_PUPILS_MAX,
	        &k->report.n_pupils) == GU_ETOOBIG)
		fprintf(stderr, "guanai-kiosk: class too big to show whole\n");
	k->report.step = REP_NAME;
	memset(&k->scroll, 0, sizeof(k->scroll));
}

static void
save(struct kiosk *k)
{
	uint64_t seq = 0;
	int rc = care_log_report(&k->dom, &k->ses, k->now_ms,
	    k->report.pupils[k->report.who].id, &seq);

	if (rc != GU_OK) {
		scr_failed(k, rc, 0);
		return;
	}
	k->report.saved_ms = k->now_ms;
	k->report.step = REP_DONE;
}

/* The child and the class, one line. */
static void
about(struct kiosk *k, char *buf, size_t len, const char *key)
{
	char when[64];

	scr_when(k, k->report.saved_ms, when, sizeof(when));
	ui_fmt(buf, len, kiosk_s(k, key), k->report.pupils[k->report.who].name,
	    k->report.classes[k->report.cls].name, when);
}

/* The law and the child, full screen in red and white like the
 * check-in's, with the way back before anything is saved. */
static void
law(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect all = {0, 0, ui->w, ui->h}, top, foot, b, t;
	int m = scr_margin(k) * 2, g = scr_gap(k), done;
	const char *title = kiosk_s(k, "urgent.title");
	char buf[512];

	done = k->report.step == REP_DONE;
	ui_rect(ui, all, UI_C_PANEL);
	top = ui_cut_top(&all, ui->font_px[UI_FONT_HUGE] * 2);
	ui_rect(ui, top, done ? UI_C_OK : UI_C_DANGER);
	ui_text(ui, top, ui_fit_font(ui, UI_FONT_HUGE, title, top.w - m),
	    UI_C_ON_PRIMARY, UI_ALIGN_CENTER, title);
	all = ui_inset(all, m / 2);
	foot = ui_cut_bottom(&all, ui_mm(ui, 14));
	ui_cut_bottom(&all, g);
	t = ui_cut_top(&all, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	about(k, buf, sizeof(buf), done ? "report.saved" : "report.about");
	ui_text(ui, t, ui_fit_font(ui, UI_FONT_LARGE, buf, t.w),
	    done ? UI_C_OK : UI_C_DANGER, UI_ALIGN_LEFT, buf);
	if (done) {
		t = ui_cut_top(&all, ui->font_px[UI_FONT_LARGE] * 3 / 2);
		ui_text(ui, t,
		    ui_fit_font(
		        ui, UI_FONT_LARGE, kiosk_s(k, "report.saved_2"), t.w),
		    UI_C_TEXT, UI_ALIGN_LEFT, kiosk_s(k, "report.saved_2"));
		/* The numbers to call now, just below. */
		all.h = ui->font_px[UI_FONT_LARGE] * 3;
		numbers(k, &all);
		b = ui_cut_right(&foot, foot.w / 3);
		if (ui_button(ui, ui_id("report.done", 0), b, UI_BTN_PRIMARY,
		        UI_FONT_LARGE, kiosk_s(k, "report.done")))
			kiosk_go(k, k->report.back);
		return;
	}
	scr_report_law(k, all);
	b = ui_cut_right(&foot, (foot.w - g) / 2);
	if (ui_button(ui, ui_id("report.save", 0), b, UI_BTN_DANGER,
	        UI_FONT_LARGE, kiosk_s(k, "report.confirm"))) {
		save(k);
		return;
	}
	ui_cut_right(&foot, g);
	if (ui_button(ui, ui_id("report.wrong", 0), foot, UI_BTN_NORMAL,
	        UI_FONT_LARGE, kiosk_s(k, "report.wrong"))) {
		k->report.step = REP_NAME;
		k->report.who = -1;
	}
}

static void
scr_report(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, q;
	int t;

	if (k->report.step >= REP_LAW) {
		law(k);
		return;
	}
	if (scr_header(k, &body, kiosk_s(k, "urgent.title"), 1)) {
		if (k->report.step == REP_NAME) {
			k->report.step = REP_CLASS;
			memset(&k->scroll, 0, sizeof(k->scroll));
		} else
			kiosk_go(k, k->report.back);
		return;
	}
	q = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	ui_text(ui, q,
	    ui_fit_font(ui, UI_FONT_LARGE,
	        kiosk_s(k,
	            k->report.step == REP_CLASS ? "report.pick_class"
	                                        : "report.pick_name"),
	        q.w),
	    UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k,
	        k->report.step == REP_CLASS ? "report.pick_class"
	                                    : "report.pick_name"));
	ui_cut_top(&body, scr_gap(k));
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	if (k->report.step == REP_CLASS) {
		t = scr_grid(k, body, &k->scroll, k->report.n_classes, 45, 18,
		    UI_FONT_HUGE, class_cell, "report.class");
		if (t >= 0)
			pick_class(k, t);
		return;
	}
	t = scr_grid(k, body, &k->scroll, k->report.n_pupils, 30, 15,
	    UI_FONT_LARGE, name_cell, "report.name");
	if (t >= 0) {
		k->report.who = t;
		k->report.step = REP_LAW;
	}
}

const struct scr_row scr_row_report = {
    "report", scr_report_enter, scr_report, scr_report_leave, 0};
