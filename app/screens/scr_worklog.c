/*
 * scr_worklog.c: a staff member's work log (工作日志): what he did about
 * his work rather than about one child (REC_WORKLOG, no F_CHILD), reached
 * from the mentor's home.  Shown only after a sign-in.
 *
 *   哪天？       今天 / 昨天 / 前天
 *   什么工作？   chips of F_WORK (家访准备, 培训, 与家长沟通, 其他), any
 *   the entry    + 工作日志 opens the note screen (scr_note.c); required
 *   保存         once the entry is written          -> REC_WORKLOG
 *
 * Below, his own latest entries, newest first (care_log_worklogs): the
 * line wherever a staff member's own records are listed.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static const char *const k_days[] = {
    "visit.today", "visit.yesterday", "visit.2days", NULL};

static void
scr_worklog_enter(struct kiosk *k)
{
	int rc;

	k->mentor.n_worklogs = 0;
	if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	memset(&k->mentor.form, 0, sizeof(k->mentor.form));
	memset(k->mentor.notes, 0, sizeof(k->mentor.notes));
	rc = care_log_worklogs(&k->dom, &k->ses, k->mentor.worklogs,
	    KIOSK_WORKLOGS, &k->mentor.n_worklogs);
	if (rc != GU_OK)
		scr_failed(k, rc, 1);
}

static void
save(struct kiosk *k)
{
	int rc =
	    care_log_worklog(&k->dom, &k->ses, k->now_ms, k->mentor.form.one[0],
	        k->mentor.form.set[1], k->mentor.notes[0], NULL);

	if (rc != GU_OK) {
		scr_failed(k, rc, 0);
		return;
	}
	kiosk_go(k, SCR_WORKLOG); /* the form empties, the list grows */
	kiosk_message(k, "form.saved", 0);
}

/* A label of the step in r's top line; returns what is left. */
static struct ui_rect
question(struct kiosk *k, struct ui_rect *body, const char *key)
{
	struct ui *ui = &k->ui;
	struct ui_rect q = ui_cut_top(body, ui->font_px[UI_FONT_BODY] * 3 / 2);

	ui_text(ui, q, ui_fit_font(ui, UI_FONT_BODY, kiosk_s(k, key), q.w),
	    UI_C_TEXT, UI_ALIGN_LEFT, kiosk_s(k, key));
	return q;
}

/* One line of the list: the date, the kinds of work, the entry. */
static void
entry_line(struct kiosk *k, struct ui_rect r, const struct care_worklog *w)
{
	struct ui *ui = &k->ui;
	const char *const *words = care_log_words(F_WORK, NULL);
	char line[REC_VALUE_MAX + 400];
	size_t n;

	int first = 1;

	snprintf(line, sizeof(line), "%s", w->date);
	for (int i = 0; words != NULL && words[i] != NULL; i++) {
		if (!(w->work & (1u << i)))
			continue;
		n = strlen(line);
		snprintf(line + n, sizeof(line) - n, "%s%s",
		    first ? " " : kiosk_s(k, "file.and"),
		    scr_word(k, F_WORK, words[i]));
		first = 0;
	}
	n = strlen(line);
	snprintf(line + n, sizeof(line) - n, "%s%s", kiosk_s(k, "file.colon"),
	    w->note);
	ui_rect(ui, r, UI_C_PANEL);
	ui_text_ex(ui, ui_inset(r, ui_mm(ui, 1.5f)), UI_FONT_BODY, UI_C_TEXT,
	    UI_ALIGN_LEFT, UI_TEXT_TRUNCATE, line);
}

/* Chips of the kinds of work in rows of as many as fit; returns the
 * height used. */
static int
work_chips(struct kiosk *k, struct ui_rect r, int bh)
{
	struct ui *ui = &k->ui;
	const char *const *words;
	size_t nw, i;
	int g = scr_gap(k), cols, cw, rows;
	struct ui_rect b;

	words = care_log_words(F_WORK, &nw);
	/* As many columns as the widest label allows. */
	cw = ui_mm(ui, 20);
	for (i = 0; i < nw; i++) {
		int need = ui_button_w(
		    ui, UI_FONT_BODY, scr_word(k, F_WORK, words[i]));
		if (need > cw)
			cw = need;
	}
	cols = (r.w + g) / (cw + g);
	if (cols < 1)
		cols = 1;
	if (cols > (int) nw)
		cols = (int) nw;
	cw = (r.w - (cols - 1) * g) / cols;
	rows = ((int) nw + cols - 1) / cols;
	ui_group_begin(ui, ui_id("worklog.works", 0), UI_FONT_BODY);
	for (i = 0; i < nw; i++)
		ui_group_fit(ui, (struct ui_rect){0, 0, cw, bh},
		    scr_word(k, F_WORK, words[i]), NULL);
	for (i = 0; i < nw; i++) {
		b = (struct ui_rect){r.x + (int) (i % (size_t) cols) * (cw + g),
		    r.y + (int) (i / (size_t) cols) * (bh + g), cw, bh};
		if (ui_button(ui, ui_id("worklog.work", (int64_t) i), b,
		        (k->mentor.form.set[1] & (1u << i)) ? UI_BTN_SELECTED
		                                            : UI_BTN_NORMAL,
		        UI_FONT_BODY, scr_word(k, F_WORK, words[i])))
			k->mentor.form.set[1] ^= 1u << i;
	}
	ui_group_end(ui);
	return rows * (bh + g) - g;
}

/* My latest entries in r. */
static void
entries(struct kiosk *k, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	int g = scr_gap(k), lh = ui->font_px[UI_FONT_BODY] * 2, y, content;

	question(
	    k, &r, k->mentor.n_worklogs > 0 ? "worklog.mine" : "worklog.none");
	content = (int) k->mentor.n_worklogs * (lh + g) - g;
	if (content <= 0 || r.h < lh)
		return;
	ui_list_begin(ui, &k->scroll, r, content);
	for (size_t i = 0; i < k->mentor.n_worklogs; i++) {
		y = r.y + (int) i * (lh + g);
		if (y - (int) k->scroll.off + lh < r.y ||
		    y - (int) k->scroll.off > r.y + r.h)
			continue;
		entry_line(k, (struct ui_rect){r.x, y, r.w, lh},
		    &k->mentor.worklogs[i]);
	}
	ui_list_end(ui, &k->scroll);
}

/* The entry's button, what it says so far, and 保存 in row; 1 when the
 * screen changed. */
static int
entry_row(struct kiosk *k, struct ui_rect row)
{
	struct ui *ui = &k->ui;
	struct ui_rect b;
	int g = scr_gap(k), bw;
	int written = k->mentor.notes[0][0] != '\0';
	char label[128];

	bw = ui_button_w(ui, UI_FONT_LARGE, kiosk_s(k, "form.save")) +
	    ui_mm(ui, 8);
	b = ui_cut_right(&row, bw);
	if (written &&
	    ui_button(ui, ui_id("worklog.save", 0), b, UI_BTN_PRIMARY,
	        UI_FONT_LARGE, kiosk_s(k, "form.save"))) {
		save(k);
		return 1;
	}
	ui_cut_right(&row, g);
	ui_fmt(label, sizeof(label), kiosk_s(k, "note.edit"),
	    kiosk_s(k, "note.t_worklog"), NULL, NULL);
	bw = ui_button_w(ui, UI_FONT_BODY, label) + ui_mm(ui, 6);
	b = ui_cut_left(&row, bw < row.w ? bw : row.w);
	if (scr_note_button(k, b, 0, "note.t_worklog", k->mentor.notes[0])) {
		scr_note_open(k, "note.t_worklog", k->mentor.notes[0]);
		return 1;
	}
	ui_cut_left(&row, g);
	if (written && row.w > ui_mm(ui, 10))
		ui_text_ex(ui, row, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT,
		    UI_TEXT_TRUNCATE, k->mentor.notes[0]);
	else if (!written &&
	    ui_text_fits(ui, row, UI_FONT_BODY, kiosk_s(k, "worklog.hint")))
		ui_text(ui, row, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT,
		    kiosk_s(k, "worklog.hint"));
	return 0;
}

static void
scr_worklog(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, row, b, side;
	size_t i;
	int g = scr_gap(k), bh = ui_mm(ui, 10), cw;

	if (scr_header(k, &body, kiosk_s(k, "worklog.title"), 1)) {
		kiosk_go(k, SCR_MENTOR);
		return;
	}
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	/* Landscape: the entries on the right; portrait: under the form. */
	if (ui->w > ui->h) {
		side = ui_cut_right(&body, body.w * 2 / 5);
		ui_cut_right(&body, 2 * g);
		if (entry_row(k, ui_cut_top(&side, ui_mm(ui, 12))))
			return;
		ui_cut_top(&side, 2 * g);
		entries(k, side);
	}
	/* The day. */
	question(k, &body, "worklog.q_day");
	row = ui_cut_top(&body, bh);
	cw = (row.w - 2 * g) / 3;
	for (i = 0; k_days[i] != NULL; i++) {
		b = (struct ui_rect){row.x + (int) i * (cw + g), row.y, cw, bh};
		if (ui_button(ui, ui_id("worklog.day", (int64_t) i), b,
		        k->mentor.form.one[0] == (int) i ? UI_BTN_SELECTED
		                                         : UI_BTN_NORMAL,
		        UI_FONT_BODY, kiosk_s(k, k_days[i])))
			k->mentor.form.one[0] = (int) i;
	}
	ui_cut_top(&body, g);
	/* The kinds of work. */
	question(k, &body, "worklog.q_work");
	ui_cut_top(&body, work_chips(k, body, bh) + g);
	/* The entry and 保存 (in landscape at the top of the right side). */
	if (ui->w <= ui->h) {
		if (entry_row(k, ui_cut_top(&body, ui_mm(ui, 12))))
			return;
		ui_cut_top(&body, 2 * g);
		entries(k, body);
	}
}

const struct scr_row scr_row_worklog = {
    "worklog", scr_worklog_enter, scr_worklog, NULL, 0};
