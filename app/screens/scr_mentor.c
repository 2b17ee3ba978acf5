/*
 * scr_mentor.c: the mentor's home after sign-in: my children sorted by
 * need (care.h): open urgent concerns first, then other open concerns,
 * then the overdue, then the rest.  Each row: the name, the class, the
 * last contact and the last visit, a badge, and two buttons: 关爱记录 (a
 * check-in) and 走访 (a home visit); tapping the name opens the child's
 * file.  A headteacher sees every child.  工作日志 at the top opens his own
 * work log (scr_worklog.c).  Shown only after a sign-in.
 *
 * Beside the children (above them on a portrait screen) a mentor sees
 * his tasks (tasks.h): 逾期 in red at the top, then 今天, 本周 and, folded
 * until tapped, 以后; one tap on a task opens the form that clears it
 * (a child's talk request or 很难过: a check-in with him).
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static void
scr_mentor_enter(struct kiosk *k)
{
	size_t i, n = 0;
	int rc;

	k->mentor.n_rows = 0;
	k->mentor.n_overdue = k->mentor.n_open = 0;
	if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	rc = care_rows(k->dom.store, &k->care, k->now_ms, &k->ses,
	    k->mentor.rows, CARE_ROWS_MAX, &n);
	if (rc != GU_OK) {
		scr_failed(k, rc, 1);
		return;
	}
	k->mentor.n_rows = n < CARE_ROWS_MAX ? n : CARE_ROWS_MAX;
	k->mentor.n_tasks = 0;
	memset(&k->mentor.task_scroll, 0, sizeof(k->mentor.task_scroll));
	if (!(k->ses.roles & ROLE_HEAD)) {
		care_policy_calendar(k->dom.store, &k->care, k->now_ms);
		rc = care_tasks(k->dom.store, &k->care, k->now_ms, &k->ses,
		    k->mentor.tasks, KIOSK_TASKS_MAX, &n);
		if (rc != GU_OK) {
			scr_failed(k, rc, 1);
			return;
		}
		k->mentor.n_tasks = n < KIOSK_TASKS_MAX ? n : KIOSK_TASKS_MAX;
	}
	/* A mentor has the asks as tasks (talk, sad); the headteacher, who
	 * has no such task, keeps them as notices. */
	k->notices.n_n = 0;
	if ((k->ses.roles & ROLE_HEAD) &&
	    care_notices(k->dom.store, k->now_ms, k->mentor.rows,
	        k->mentor.n_rows, k->notices.n, KIOSK_NOTICES,
	        &k->notices.n_n) != GU_OK)
		k->notices.n_n = 0;
	for (i = 0; i < k->mentor.n_rows; i++) {
		k->mentor.n_open += k->mentor.rows[i].s.open_concerns;
		k->mentor.n_overdue += care_row_overdue(&k->mentor.rows[i]);
	}
}

/* Goes to a task about row i's child. */
static void
task(struct kiosk *k, size_t i, enum scr s)
{
	k->mentor.child = k->mentor.rows[i].s.child;
	kiosk_go(k, s);
}

/* ---- the tasks ---- */

/* Where a task's tap goes (the form that clears it) and its words. */
static const struct {
	uint8_t kind;
	enum scr to;
	const char *key;
} task_rows[] = {
    {TASK_CONTACT, SCR_CHECKIN, "tasks.contact"},
    {TASK_PHONE, SCR_CHECKIN, "tasks.phone"},
    {TASK_VISIT, SCR_VISIT, "tasks.visit"},
    {TASK_FOLLOWUP, SCR_FILE, "tasks.followup"},
    {TASK_MAKEUP, SCR_FILE, "tasks.makeup"},
    {TASK_REVIEW, SCR_PLAN, "tasks.review"},
    {TASK_TALK, SCR_CHECKIN, "tasks.talk"},
    {TASK_SAD, SCR_CHECKIN, "tasks.sad"},
};
#define N_TASK_ROWS (sizeof(task_rows) / sizeof(task_rows[0]))

static const char *const when_keys[] = {
    "tasks.overdue", "tasks.today", "tasks.week", "tasks.later"};

static int
task_row_of(int kind)
{
	for (size_t i = 0; i < N_TASK_ROWS; i++)
		if (task_rows[i].kind == kind)
			return (int) i;
	return -1;
}

/* Opens the form that clears task t. */
static void
task_go(struct kiosk *k, const struct task *t)
{
	int r = task_row_of(t->kind);

	if (r < 0)
		return;
	for (size_t i = 0; i < k->mentor.n_rows; i++)
		if (strcmp(k->mentor.rows[i].s.child.id, t->child) == 0) {
			k->mentor.child = k->mentor.rows[i].s.child;
			kiosk_go(k, task_rows[r].to);
			/* A phone call: the kind is chosen, the face next. */
			if (t->kind == TASK_PHONE && k->scr == SCR_CHECKIN) {
				k->mentor.form.one[0] =
				    care_log_word_index(F_TYPE, "phone");
				k->mentor.form.step = 1;
			}
			/* A follow-up: the file, that concern's panel open,
			 * however far down the file it lies. */
			if (t->kind == TASK_FOLLOWUP && k->scr == SCR_FILE) {
				int j = scr_file_show(k, t->ref);
				if (j >= 0 && k->file.tl[j].open_concern) {
					k->file.sel = j;
					k->file.act = 2;
				}
			}
			return;
		}
}

/* One task in c: a stripe (red when late), its words, its day. */
static int
task_line(struct kiosk *k, struct ui_rect c, size_t i)
{
	struct ui *ui = &k->ui;
	const struct task *t = &k->mentor.tasks[i];
	int r = task_row_of(t->kind), pressed = 0, tapped;
	char buf[192], mo[8], dd[8], due[32];
	struct ui_rect d;

	tapped = ui_tap(ui, ui_id("mentor.task", (int64_t) i), c, &pressed);
	ui_rect(ui, c, pressed ? UI_C_BORDER : UI_C_PANEL);
	ui_rect(ui, ui_cut_left(&c, ui_mm(ui, 1.5f)),
	    t->when == TASK_OVERDUE     ? UI_C_DANGER
	        : t->when == TASK_TODAY ? UI_C_WARN
	                                : UI_C_BORDER);
	c = ui_inset(c, ui_mm(ui, 1.5f));
	snprintf(mo, sizeof(mo), "%u", (unsigned) (t->due_day / 100 % 100));
	snprintf(dd, sizeof(dd), "%u", (unsigned) (t->due_day % 100));
	ui_fmt(due, sizeof(due), kiosk_s(k, "tasks.due"), mo, dd, NULL);
	ui_fmt(buf, sizeof(buf), kiosk_s(k, r >= 0 ? task_rows[r].key : "?"),
	    t->name, NULL, NULL);
	d = ui_cut_bottom(&c, c.h * 2 / 5);
	ui_text(ui, c, ui_fit_font(ui, UI_FONT_BODY, buf, c.w),
	    t->when == TASK_OVERDUE ? UI_C_DANGER : UI_C_TEXT, UI_ALIGN_LEFT,
	    buf);
	ui_text(ui, d, UI_FONT_SMALL,
	    t->when == TASK_OVERDUE ? UI_C_DANGER : UI_C_MUTED, UI_ALIGN_LEFT,
	    due);
	return tapped;
}

/* The items of the task list: a heading (-1 - when), a task (its index)
 * or the folded 以后 (-5); returns how many. */
static size_t
task_items(const struct kiosk *k, int *items, size_t max)
{
	size_t n = 0, i;
	int w, last = -1;

	for (i = 0; i < k->mentor.n_tasks && n + 2 < max; i++) {
		w = k->mentor.tasks[i].when;
		if (w != last) {
			items[n++] = -1 - w;
			last = w;
			if (w == TASK_LATER && !k->mentor.show_later) {
				items[n++] = -5;
				break;
			}
		}
		items[n++] = (int) i;
	}
	return n;
}

static void
tasks_panel(struct kiosk *k, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	int items[KIOSK_TASKS_MAX + 8], g = scr_gap(k), y;
	int th =
	    (ui->font_px[UI_FONT_BODY] + ui->font_px[UI_FONT_SMALL]) * 3 / 2 +
	    ui_mm(ui, 3);
	int hh = ui->font_px[UI_FONT_BODY] * 3 / 2, content = 0, h;
	size_t n = task_items(k, items, sizeof(items) / sizeof(items[0])), i;
	char num[16], buf[96];

	if (k->mentor.n_tasks == 0) {
		ui_text(ui, r,
		    ui_fit_font(
		        ui, UI_FONT_BODY, kiosk_s(k, "tasks.none"), r.w),
		    UI_C_MUTED, UI_ALIGN_CENTER, kiosk_s(k, "tasks.none"));
		return;
	}
	for (i = 0; i < n; i++)
		content += (items[i] <= -1 && items[i] >= -4 ? hh : th) + g;
	ui_list_begin(ui, &k->mentor.task_scroll, r, content - g);
	y = r.y;
	for (i = 0; i < n; i++, y += h + g) {
		struct ui_rect c;
		h = items[i] <= -1 && items[i] >= -4 ? hh : th;
		c = (struct ui_rect){r.x, y, r.w, h};
		if (y - (int) k->mentor.task_scroll.off + h < r.y ||
		    y - (int) k->mentor.task_scroll.off > r.y + r.h)
			continue;
		if (items[i] == -5) {
			size_t later = 0;
			for (size_t j = 0; j < k->mentor.n_tasks; j++)
				later += k->mentor.tasks[j].when == TASK_LATER;
			snprintf(num, sizeof(num), "%zu", later);
			ui_fmt(buf, sizeof(buf), kiosk_s(k, "tasks.later_n"),
			    num, NULL, NULL);
			if (ui_button(ui, ui_id("mentor.later", 0), c,
			        UI_BTN_NORMAL, UI_FONT_BODY, buf))
				k->mentor.show_later = 1;
		} else if (items[i] < 0) {
			int w = -1 - items[i];
			ui_text(ui, c, UI_FONT_BODY,
			    w == TASK_OVERDUE ? UI_C_DANGER : UI_C_TEXT,
			    UI_ALIGN_LEFT, kiosk_s(k, when_keys[w]));
		} else if (task_line(k, c, (size_t) items[i])) {
			task_go(k, &k->mentor.tasks[items[i]]);
			break;
		}
	}
	ui_list_end(ui, &k->mentor.task_scroll);
}

/* Whether a row w pixels wide leaves the child's lines too little room
 * beside its two buttons: then they go under them. */
static int
row_stacked(struct kiosk *k, int w)
{
	struct ui *ui = &k->ui;

	return w - ui_mm(ui, 2 + 3 + 24 + 30) - 2 * scr_gap(k) < ui_mm(ui, 75);
}

static void
row(struct kiosk *k, struct ui_rect r, size_t i)
{
	struct ui *ui = &k->ui;
	const struct care_row *cr = &k->mentor.rows[i];
	struct ui_rect stripe, b, bb, name, line2, badge;
	int stacked = row_stacked(k, r.w);
	char last_c[64], last_v[64], buf[256];
	const char *bkey = NULL;
	int pressed = 0, g = scr_gap(k), color = UI_C_BORDER;

	switch (cr->need) {
	case CARE_URGENT:
		bkey = "care.badge_urgent";
		color = UI_C_DANGER;
		break;
	case CARE_CONCERN:
		bkey = "care.badge_concern";
		color = UI_C_WARN;
		break;
	case CARE_OVERDUE:
		bkey = cr->contact_overdue ? "care.badge_overdue"
		                           : "care.badge_visit_due";
		color = UI_C_WARN;
		break;
	default:
		break;
	}
	ui_rect(ui, r, UI_C_PANEL);
	stripe = ui_cut_left(&r, ui_mm(ui, 2));
	ui_rect(ui, stripe, color);
	r = ui_inset(r, ui_mm(ui, 1.5f));
	/* On a narrow screen the two buttons go under the child's lines. */
	bb = r;
	if (stacked) {
		bb = ui_cut_bottom(&r, ui_mm(ui, 11));
		ui_cut_bottom(&r, g);
	}
	b = ui_cut_right(&bb, stacked ? (bb.w - g) / 2 : ui_mm(ui, 24));
	if (ui_button(ui, ui_id("mentor.visit", (int64_t) i), b, UI_BTN_NORMAL,
	        UI_FONT_BODY, kiosk_s(k, "care.visit"))) {
		task(k, i, SCR_VISIT);
		return;
	}
	ui_cut_right(&bb, g);
	b = ui_cut_right(&bb, stacked ? bb.w : ui_mm(ui, 30));
	if (ui_button(ui, ui_id("mentor.checkin", (int64_t) i), b,
	        UI_BTN_PRIMARY, UI_FONT_BODY, kiosk_s(k, "care.checkin"))) {
		task(k, i, SCR_CHECKIN);
		return;
	}
	if (!stacked) {
		ui_cut_right(&bb, g);
		r = bb;
	}
	if (ui_tap(ui, ui_id("mentor.row", (int64_t) i), r, &pressed)) {
		task(k, i, SCR_FILE);
		return;
	}
	if (pressed)
		ui_rect(ui, r, UI_C_BORDER);
	name = ui_cut_top(&r, r.h / 2 + ui->font_px[UI_FONT_SMALL] / 4);
	if (bkey != NULL) {
		const char *bt = kiosk_s(k, bkey);
		int bw = ui->font_px[UI_FONT_BODY] * 5, th;
		if (ui->measure != NULL)
			ui->measure(ui->measure_arg, UI_FONT_BODY, bt,
			    strlen(bt), &bw, &th);
		badge = ui_cut_right(&name, bw + ui_mm(ui, 3));
		badge.y += badge.h / 6;
		badge.h -= badge.h / 3;
		ui_rect(ui, badge, color);
		ui_text(ui, badge, UI_FONT_BODY,
		    color == UI_C_DANGER ? UI_C_ON_PRIMARY : UI_C_TEXT,
		    UI_ALIGN_CENTER, bt);
	}
	ui_fmt(buf, sizeof(buf), "{1}  {2}", cr->s.child.name,
	    cr->s.child.class_name, NULL);
	ui_text(ui, name, ui_fit_font(ui, UI_FONT_LARGE, buf, name.w),
	    UI_C_TEXT, UI_ALIGN_LEFT, buf);
	line2 = r;
	scr_days_ago(k, cr->s.last_contact_ms, last_c, sizeof(last_c));
	scr_days_ago(k, cr->s.last_visit_ms, last_v, sizeof(last_v));
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "care.row_last"), last_c, last_v,
	    NULL);
	ui_text(ui, line2, ui_fit_font(ui, UI_FONT_BODY, buf, line2.w),
	    UI_C_MUTED, UI_ALIGN_LEFT, buf);
}

/* The 强制报告 entry every staff member has, at the right of *top: any
 * child, his own or not (scr_report.c).  Returns 1 when tapped. */
static int
report_button(struct kiosk *k, struct ui_rect *top)
{
	struct ui *ui = &k->ui;
	const char *l = kiosk_s(k, "report.button");
	struct ui_rect b = ui_cut_right(top, ui_button_w(ui, UI_FONT_BODY, l));

	ui_cut_right(top, scr_gap(k));
	if (!ui_button(ui, ui_id("mentor.report", 0), b, UI_BTN_DANGER,
	        UI_FONT_BODY, l))
		return 0;
	scr_report_start(k);
	return 1;
}

/* 导出档案: his children's files to a USB stick (scr_export.c), at the
 * right of *top.  1 when tapped. */
static int
export_button(struct kiosk *k, struct ui_rect *top)
{
	struct ui *ui = &k->ui;
	const char *t = kiosk_s(k, "care.export_files");
	struct ui_rect b;

	b = ui_cut_right(top, ui_button_w(ui, UI_FONT_BODY, t) + ui_mm(ui, 6));
	ui_cut_right(top, scr_gap(k));
	if (!ui_button(ui, ui_id("mentor.export", 0), b, UI_BTN_NORMAL,
	        UI_FONT_BODY, t))
		return 0;
	k->exp.what = EXPORT_FILES;
	kiosk_go(k, SCR_EXPORT);
	return 1;
}

/* A line button's height: taller when its text needs two lines. */
static int
line_h(struct kiosk *k, int w, const char *t)
{
	struct ui *ui = &k->ui;
	struct ui_rect r = {0, 0, w - 2 * ui_mm(ui, 1.5f), ui_mm(ui, 10)};

	return ui_text_fits(ui, r, UI_FONT_BODY, t)
	    ? ui_mm(ui, 10)
	    : ui->font_px[UI_FONT_BODY] * 3 + ui_mm(ui, 3);
}

/*
 * The headteacher's: what the children asked for quietly on the student
 * screens (a talk request, a 很难过), newest first, at most three lines
 * at the top of *body: a tap opens a check-in with the child, which
 * answers it.  A mentor has them as tasks (tasks.h) instead.
 * Returns 1 when the screen was left.
 */
static int
notices(struct kiosk *k, struct ui_rect *body)
{
	struct ui *ui = &k->ui;
	struct ui_rect b;
	char when[64], buf[256];
	size_t i;
	const struct care_notice *no;

	if (scr_draft_mine(k)) {
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "form.draft_line"),
		    k->draft.child.name,
		    kiosk_s(k,
		        k->draft.scr == SCR_VISIT ? "care.visit"
		                                  : "care.checkin"),
		    NULL);
		b = ui_cut_top(body, line_h(k, body->w, buf));
		ui_cut_top(body, scr_gap(k));
		if (ui_button(ui, ui_id("mentor.draft", 0), b, UI_BTN_PRIMARY,
		        UI_FONT_BODY, buf)) {
			k->mentor.child = k->draft.child;
			kiosk_go(k, k->draft.scr);
			return 1;
		}
	}
	for (i = 0; i < k->notices.n_n && i < 3; i++) {
		no = &k->notices.n[i];
		scr_when(k, no->time_ms, when, sizeof(when));
		ui_fmt(buf, sizeof(buf),
		    kiosk_s(k,
		        no->kind == CARE_N_TALK ? "care.notice_talk"
		                                : "care.notice_sad"),
		    no->child.name, when, NULL);
		b = ui_cut_top(body, line_h(k, body->w, buf));
		ui_cut_top(body, scr_gap(k));
		if (ui_button(ui, ui_id("mentor.notice", (int64_t) i), b,
		        UI_BTN_NORMAL, UI_FONT_BODY, buf)) {
			k->mentor.child = no->child;
			kiosk_go(k, SCR_CHECKIN);
			return 1;
		}
	}
	return 0;
}

static void
scr_mentor(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, top, list, c;
	char title[192], a[16], b[16], d[16], buf[256];
	int rh, g = scr_gap(k), content, y;
	size_t i, n_urgent = 0;
	int head = (k->ses.roles & ROLE_HEAD) != 0;

	ui_fmt(title, sizeof(title),
	    kiosk_s(k, head ? "care.title_head" : "care.title"), k->ses.name,
	    NULL, NULL);
	if (scr_header(k, &body, title, head ? 1 : SCR_BACK_SIGNOUT)) {
		kiosk_go(k, head ? SCR_HEAD : SCR_HOME);
		return;
	}
	for (i = 0; i < k->mentor.n_rows; i++)
		n_urgent += k->mentor.rows[i].need == CARE_URGENT;
	rh = ui_mm(ui, 11) > ui->font_px[UI_FONT_BODY] * 2
	    ? ui_mm(ui, 11)
	    : ui->font_px[UI_FONT_BODY] * 2;
	top = ui_cut_top(&body, rh);
	ui_cut_top(&body, g);
	/* His own work log (工作日志), about no child. */
	c = ui_cut_right(&top,
	    ui_button_w(ui, UI_FONT_BODY, kiosk_s(k, "care.worklog")) +
	        ui_mm(ui, 6));
	ui_cut_right(&top, g);
	if (ui_button(ui, ui_id("mentor.worklog", 0), c, UI_BTN_NORMAL,
	        UI_FONT_BODY, kiosk_s(k, "care.worklog"))) {
		kiosk_go(k, SCR_WORKLOG);
		return;
	}
	if (report_button(k, &top))
		return;
	if (!head && k->mentor.n_rows > 0 && export_button(k, &top))
		return;
	snprintf(a, sizeof(a), "%zu", k->mentor.n_rows);
	snprintf(b, sizeof(b), "%zu", n_urgent);
	snprintf(d, sizeof(d), "%u", k->mentor.n_overdue);
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "care.summary"), a, b, d);
	if (k->mentor.n_open > 0) {
		char o[16], more[128];
		snprintf(o, sizeof(o), "%u", k->mentor.n_open);
		ui_fmt(more, sizeof(more), kiosk_s(k, "care.summary_open"), o,
		    NULL, NULL);
		ui_fmt(buf + strlen(buf), sizeof(buf) - strlen(buf), "{1}{2}",
		    kiosk_s(k, "common.sep"), more, NULL);
	}
	/* The summary beside the buttons, in a smaller font if need be; on
	 * a narrow screen a row of its own under them. */
	if (!ui_text_fits(ui, top, UI_FONT_SMALL, buf)) {
		top = ui_cut_top(&body, rh);
		ui_cut_top(&body, g);
	}
	ui_text(ui, top, ui_fit_font(ui, UI_FONT_BODY, buf, top.w),
	    n_urgent ? UI_C_DANGER : UI_C_TEXT, UI_ALIGN_LEFT, buf);
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	if (notices(k, &body))
		return;
	if (!head) {
		struct ui_rect tl;
		if (body.w >= body.h) {
			tl = ui_cut_left(&body, body.w * 2 / 5);
			ui_cut_left(&body, g);
		} else {
			tl = ui_cut_top(&body, body.h * 2 / 5);
			ui_cut_top(&body, g);
		}
		tasks_panel(k, tl);
		if (k->scr != SCR_MENTOR)
			return;
	}
	list = body;
	rh = ui_mm(ui, row_stacked(k, list.w) ? 32 : 19);
	if (k->mentor.n_rows == 0) {
		ui_text(ui, list, UI_FONT_LARGE, UI_C_MUTED, UI_ALIGN_CENTER,
		    kiosk_s(k, "care.no_children"));
		return;
	}
	content = (int) k->mentor.n_rows * (rh + g) - g;
	ui_list_begin(ui, &k->scroll, list, content);
	for (i = 0; i < k->mentor.n_rows; i++) {
		y = list.y + (int) i * (rh + g);
		if (y - (int) k->scroll.off + rh < list.y ||
		    y - (int) k->scroll.off > list.y + list.h)
			continue;
		c = (struct ui_rect){list.x, y, list.w, rh};
		row(k, c, i);
		if (k->scr != SCR_MENTOR)
			break;
	}
	ui_list_end(ui, &k->scroll);
}

const struct scr_row scr_row_mentor = {
    "mentor", scr_mentor_enter, scr_mentor, NULL, 0};
