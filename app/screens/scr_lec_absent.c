/*
 * scr_lec_absent.c: the absentees of a lecture just closed (the report's
 * 缺席原因和补签), after a staff sign-in: per absentee a
 * reason, 病假 / 事假 / 其他 (REC_ABSENCE; a second tap of another reason
 * supersedes), and 补签 for a child who made it up (a make-up attendance,
 * REC_ATTENDANCE with F_MAKEUP).  A staff screen: students never see it.
 * docs/lectures.md has the records.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

#define N_REASONS 3
static const char *const reason_words[N_REASONS] = {
    "sick", "personal", "other"};

void
scr_lec_absent_load(struct kiosk *k, const struct dom_lecture *l)
{
	struct kiosk_absent *a;
	size_t n;

	k->lec.report_lec = *l;
	k->lec.n_absent = 0;
	for (size_t i = 0; i < l->n_classes; i++) {
		if (domain_pupils(&k->dom, l->seq, l->classes[i], k->lec.pupils,
		        DOM_PUPILS_MAX, &n) != GU_OK &&
		    n == 0)
			continue;
		for (size_t j = 0; j < n && k->lec.n_absent < KIOSK_REPORT_MAX;
		     j++) {
			if (k->lec.pupils[j].att_seq != 0)
				continue;
			a = &k->lec.absent[k->lec.n_absent++];
			snprintf(a->name, sizeof(a->name), "%s",
			    k->lec.pupils[j].name);
			snprintf(
			    a->id, sizeof(a->id), "%s", k->lec.pupils[j].id);
			a->cls = (uint16_t) i;
			a->reason = -1;
			a->made_up = 0;
		}
	}
}

static void
scr_lec_absent_enter(struct kiosk *k)
{
	if (k->lec.report_lec.seq == 0)
		kiosk_go(k, SCR_HOME);
	else if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin)
		kiosk_signin_for(k, AFTER_LEC_ABSENT);
}

/* Whether the rows put the name above the buttons (a narrow screen). */
static int
stacked(const struct kiosk *k, int w)
{
	return w - (N_REASONS + 1) * (ui_mm(&k->ui, 17) + scr_gap(k)) <
	    ui_mm(&k->ui, 40);
}

/* One absentee's row: the name and class, the reasons, 补签. */
static void
absent_row(struct kiosk *k, struct ui_rect r, size_t i)
{
	struct ui *ui = &k->ui;
	struct kiosk_absent *a = &k->lec.absent[i];
	int g = scr_gap(k), bw = ui_mm(ui, 17), rc;
	struct ui_rect name, b;
	char buf[160];
	uint64_t seq;

	/* The name beside the buttons, or above them when that is too
	 * narrow (stacked()). */
	if (stacked(k, r.w)) {
		name = ui_cut_top(&r, ui->font_px[UI_FONT_BODY] * 3 / 2);
		ui_cut_left(&r, r.w - (N_REASONS + 1) * (bw + g));
	} else
		name = ui_cut_left(&r, r.w - (N_REASONS + 1) * (bw + g));
	ui_fmt(buf, sizeof(buf), "{1}  {2}", a->name,
	    k->lec.report_lec.classes[a->cls], NULL);
	ui_text_ex(ui, name, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT,
	    UI_TEXT_TRUNCATE, buf);
	for (int w = 0; w < N_REASONS; w++) {
		ui_cut_left(&r, g);
		b = ui_cut_left(&r, bw);
		if (a->made_up)
			continue;
		if (ui_button(ui, ui_id("absent.reason", (int64_t) i * 8 + w),
		        b, a->reason == w ? UI_BTN_SELECTED : UI_BTN_NORMAL,
		        UI_FONT_BODY,
		        scr_word(k, F_ABSENCE, reason_words[w])) &&
		    a->reason != w) {
			rc = domain_absence(&k->dom, k->now_ms,
			    k->lec.report_lec.seq, a->id, reason_words[w],
			    k->ses.staff_id);
			if (rc == GU_OK)
				a->reason = (int8_t) w;
			else
				scr_failed(k, rc, 0);
		}
	}
	ui_cut_left(&r, g);
	if (a->made_up) {
		ui_text(ui, r, UI_FONT_BODY, UI_C_OK, UI_ALIGN_CENTER,
		    kiosk_s(k, "lecture.made_up"));
		return;
	}
	if (ui_button(ui, ui_id("absent.makeup", (int64_t) i), r, UI_BTN_NORMAL,
	        UI_FONT_BODY, kiosk_s(k, "lecture.makeup"))) {
		rc = domain_makeup(&k->dom, k->now_ms, k->lec.report_lec.seq,
		    a->id, k->ses.staff_id, &seq);
		if (rc == GU_OK || rc == GU_EEXIST)
			a->made_up = 1;
		else
			scr_failed(k, rc, 0);
	}
}

static void
scr_lec_absent(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, top, row;
	int rh, g = scr_gap(k), content, y;

	if (scr_header(k, &body, kiosk_s(k, "lecture.absent_title"), 1)) {
		kiosk_go(k, k->lec.absent_back);
		return;
	}
	top = ui_cut_top(&body, ui->font_px[UI_FONT_BODY] * 3);
	ui_text(ui, top, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT,
	    kiosk_s(k, "lecture.absent_hint"));
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	rh = ui_mm(ui, 13) +
	    (stacked(k, body.w) ? ui->font_px[UI_FONT_BODY] * 3 / 2 : 0);
	content = (int) k->lec.n_absent * (rh + g);
	ui_list_begin(ui, &k->scroll, body, content);
	for (size_t i = 0; i < k->lec.n_absent; i++) {
		y = body.y + (int) i * (rh + g);
		if (y - (int) k->scroll.off + rh < body.y ||
		    y - (int) k->scroll.off > body.y + body.h)
			continue;
		row = (struct ui_rect){body.x, y, body.w, rh};
		absent_row(k, row, i);
	}
	ui_list_end(ui, &k->scroll);
}

const struct scr_row scr_row_lec_absent = {
    "lec_absent", scr_lec_absent_enter, scr_lec_absent, NULL, 0};
