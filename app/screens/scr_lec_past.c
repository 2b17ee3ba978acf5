/*
 * scr_lec_past.c: the past lectures (往期讲座), after a teacher's sign-in
 * (reached from the topic step of starting one): each closed lecture,
 * newest first, with its day (（补录） for one entered afterwards), its
 * topic and who is present now of how many (make-ups included).  A tap
 * opens its 缺席原因和补签 (scr_lec_absent.c): the reasons and the make-up
 * attendance for its absentees.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static void
scr_lec_past_enter(struct kiosk *k)
{
	if (k->ses.staff_id[0] == '\0') {
		kiosk_go(k, SCR_HOME);
		return;
	}
	if (domain_lectures_past(
	        &k->dom, k->lec.past, KIOSK_PAST_MAX, &k->lec.n_past) != GU_OK)
		k->lec.n_past = 0;
}

static const char *
past_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	static char line[192], what[160];
	const struct dom_past *p = &k->lec.past[i];
	char topic[64], cnt[32], a[16], b[16];

	snprintf(topic, sizeof(topic), "topic.%s", p->l.topic);
	snprintf(a, sizeof(a), "%u", p->present);
	snprintf(b, sizeof(b), "%u", p->total);
	ui_fmt(cnt, sizeof(cnt), "{1}/{2}", a, b, NULL);
	ui_fmt(what, sizeof(what), "{1}{2}", p->date,
	    p->late ? kiosk_s(k, "lecture.late") : "", NULL);
	ui_fmt(line, sizeof(line), kiosk_s(k, "lecture.past_row"), what,
	    kiosk_s(k, topic), cnt);
	*style = p->present < p->total ? UI_BTN_NORMAL : UI_BTN_DONE;
	*sub = NULL;
	return line;
}

static void
scr_lec_past(struct kiosk *k)
{
	struct ui_rect body;
	int t;

	if (scr_header(k, &body, kiosk_s(k, "lecture.past_title"), 1)) {
		kiosk_go(k, SCR_LEC_START);
		return;
	}
	ui_cut_bottom(&body, ui_mm(&k->ui, 9)); /* the idle band */
	if (k->lec.n_past == 0) {
		ui_text(&k->ui, body, UI_FONT_LARGE, UI_C_MUTED,
		    UI_ALIGN_CENTER, kiosk_s(k, "lecture.past_none"));
		return;
	}
	t = scr_grid(k, body, &k->scroll, k->lec.n_past, 90, 13, UI_FONT_BODY,
	    past_cell, "past.row");
	if (t < 0)
		return;
	scr_lec_absent_load(k, &k->lec.past[t].l);
	k->lec.absent_back = SCR_LEC_PAST;
	kiosk_go(k, SCR_LEC_ABSENT);
}

const struct scr_row scr_row_lec_past = {
    "lec_past", scr_lec_past_enter, scr_lec_past, NULL, 0};
