/*
 * scr_lecture.c: the safety lecture (安全知识大讲堂), the whole task.
 *
 *   start    a teacher signs in (scr_staff.c), then picks the topic, the
 *            lecturer and the classes (STEP_TOPIC ..)    -> REC_LECTURE
 *   classes  students pick their class; counts per class and in total
 *   names    a student taps his own name                 -> REC_ATTENDANCE
 *   confirm  the check-in is on disk: shown and heard; "not me" undoes
 *            it                                          -> REC_VOID
 *   mark     the teacher signs in and marks a class by tapping names
 *            (again: undo); closing the lecture needs a sign-in too
 *   report   closing the lecture lists the absentees     -> REC_LECTURE_END
 *
 * A student's check-in is three taps from home: the lecture tile, the
 * class, the name.  Student screens show names only.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static int past_button(struct kiosk *k, struct ui_rect *body);

#define N_GENERIC 4
static const char *const generic_lecturer[N_GENERIC] = {"lecturer.legal_vp",
    "lecturer.police", "lecturer.firefighter", "lecturer.doctor"};

static void
load_counts(struct kiosk *k)
{
	uint32_t p = 0, t = 0;

	if (domain_open_lecture(&k->dom, &k->lec.cur) != GU_OK) {
		memset(&k->lec.cur, 0, sizeof(k->lec.cur));
		k->lec.present = k->lec.total = 0;
		return;
	}
	if (domain_lecture_counts(
	        &k->dom, &k->lec.cur, k->lec.cur_cls, &p, &t) == GU_OK) {
		k->lec.present = p;
		k->lec.total = t;
	}
}

static void
fmt_count(const struct kiosk *k, char *buf, size_t len, uint32_t p, uint32_t t)
{
	char a[16], b[16];

	snprintf(a, sizeof(a), "%u", p);
	snprintf(b, sizeof(b), "%u", t);
	ui_fmt(buf, len, kiosk_s(k, "lecture.count"), a, b, NULL);
}

static const char *
topic_label(const struct kiosk *k, const char *word)
{
	char key[64];
	const char *s;

	snprintf(key, sizeof(key), "topic.%s", word);
	s = strtab_find(k->str, key);
	return s != NULL ? s : word;
}

/* ---- starting a lecture ---- */

static void
scr_lec_start_enter(struct kiosk *k)
{
	if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin) {
		kiosk_signin_for(k, AFTER_LEC_START);
		return;
	}
	k->lec.step = STEP_TOPIC;
	k->lec.days_ago = 0;
	k->lec.topic = k->lec.lecturer = -1;
	memset(k->lec.class_sel, 0, sizeof(k->lec.class_sel));
	memset(k->lec.topic_note, 0, sizeof(k->lec.topic_note));
	memset(k->lec.lecturer_typed, 0, sizeof(k->lec.lecturer_typed));
	if (domain_staff(
	        &k->dom, k->lec.staff, DOM_STAFF_MAX, &k->lec.n_staff) != GU_OK)
		k->lec.n_staff = 0;
	if (domain_classes(&k->dom, k->lec.classes, DOM_CLASSES_MAX,
	        &k->lec.n_classes) != GU_OK)
		k->lec.n_classes = 0;
}

static const char *
topic_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	size_t n;
	const char *const *w = domain_topics(&n);

	(void) sub;
	if ((int) i == k->lec.topic)
		*style = UI_BTN_SELECTED;
	return topic_label(k, w[i]);
}

/* Lecturer choices: who is starting, the usual visitors, other staff. */
static const char *
lecturer_name(struct kiosk *k, size_t i)
{
	size_t j;

	if (i == 0)
		return k->ses.name;
	if (i <= N_GENERIC)
		return kiosk_s(k, generic_lecturer[i - 1]);
	i -= N_GENERIC + 1;
	for (j = 0; j < k->lec.n_staff; j++) {
		if (strcmp(k->lec.staff[j].id, k->ses.staff_id) == 0)
			continue;
		if (i-- == 0)
			return k->lec.staff[j].name;
	}
	/* The last cell: someone not on the staff list, typed. */
	return k->lec.lecturer_typed;
}

/* The lecturer cells: the one starting, the usual visitors, the other
 * staff, and 其他人 (a name written on the note screen). */
static size_t
n_lecturers(const struct kiosk *k)
{
	return k->lec.n_staff + N_GENERIC + 1;
}

static const char *
lecturer_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	if ((int) i == k->lec.lecturer)
		*style = UI_BTN_SELECTED;
	if (i == 0)
		*sub = kiosk_s(k, "lecture.lecturer_self");
	if (i + 1 == n_lecturers(k) && k->lec.lecturer_typed[0] == '\0')
		return kiosk_s(k, "lecture.lecturer_other");
	return lecturer_name(k, i);
}

static const char *
class_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	(void) sub;
	if (k->lec.class_sel[i])
		*style = UI_BTN_SELECTED;
	return k->lec.classes[i].name;
}

/* ---- 补录: a lecture held on an earlier day, entered afterwards ---- */

#define LATE_DAYS 4 /* today and the three days before */

/* The day days_ago days before now, YYYY-MM-DD, and as 3月1日. */
static void
day_before(const struct kiosk *k, int days_ago, char *iso, size_t ilen,
    char *md, size_t mlen)
{
	uint32_t d = domain_day_of(
	    k->now_ms - (int64_t) days_ago * 86400000LL, k->cfg->tz_min);
	char m[8], dd[8];

	snprintf(
	    iso, ilen, "%04u-%02u-%02u", d / 10000, d / 100 % 100, d % 100);
	snprintf(m, sizeof(m), "%u", d / 100 % 100);
	snprintf(dd, sizeof(dd), "%u", d % 100);
	ui_fmt(md, mlen, kiosk_s(k, "lecture.day_md"), m, dd, NULL);
}

/* Starts the lecture held days_ago days ago (F_LATE) and goes to the
 * teacher's marking: the children were there then, not now. */
static void
start_late(struct kiosk *k, const char *topic, const char **cls, size_t n)
{
	char iso[16], md[32];
	uint64_t seq;
	int rc;

	day_before(k, k->lec.days_ago, iso, sizeof(iso), md, sizeof(md));
	rc = domain_lecture_enter_late(&k->dom, k->now_ms, k->ses.staff_id,
	    topic, lecturer_name(k, (size_t) k->lec.lecturer), cls, n, iso,
	    &seq);
	if (rc == GU_EEXIST) {
		kiosk_go(k, SCR_LEC_CLASSES);
		kiosk_message(k, "msg.lecture_already_open", 0);
		return;
	}
	if (rc != GU_OK) {
		scr_failed(k, rc, 0);
		return;
	}
	k->lec.cls = 0;
	kiosk_go(k, SCR_LEC_MARK);
}

/* When it was held: 今天, 昨天, 前天, 3天前, each with its date, at the
 * bottom of the classes step. */
static void
late_days(struct kiosk *k, struct ui_rect *body)
{
	static const char *const keys[LATE_DAYS] = {
	    "lecture.day_0", "lecture.day_1", "lecture.day_2", "lecture.day_3"};
	struct ui *ui = &k->ui;
	int g = scr_gap(k), h = ui_mm(ui, 14), cols, cw;
	struct ui_rect row, b;
	char iso[16], md[LATE_DAYS][32];

	/* Four side by side, or two by two on a narrow screen. */
	cols = (body->w - 3 * g) / LATE_DAYS < ui_mm(ui, 32) ? 2 : LATE_DAYS;
	row = ui_cut_bottom(body, (LATE_DAYS / cols) * (h + g) - g);
	cw = (row.w - (cols - 1) * g) / cols;
	ui_cut_bottom(body, g);
	for (int i = 0; i < LATE_DAYS; i++)
		day_before(k, i, iso, sizeof(iso), md[i], sizeof(md[i]));
	ui_group_begin(ui, ui_id("start.days", 0), UI_FONT_BODY);
	for (int i = 0; i < LATE_DAYS; i++)
		ui_group_fit(ui, (struct ui_rect){0, 0, cw, h},
		    kiosk_s(k, keys[i]), md[i]);
	for (int i = 0; i < LATE_DAYS; i++) {
		b = ui_grid_cell(row, cols, cw, h, g, i);
		if (ui_button2(ui, ui_id("start.day", i), b,
		        k->lec.days_ago == i ? UI_BTN_SELECTED : UI_BTN_NORMAL,
		        UI_FONT_BODY, kiosk_s(k, keys[i]), md[i]))
			k->lec.days_ago = i;
	}
	ui_group_end(ui);
}

static void
start_lecture(struct kiosk *k)
{
	const char *cls[DOM_LECTURE_CLASSES];
	const char *const *w;
	size_t i, n = 0, nt;
	uint64_t seq;
	int rc;

	for (i = 0; i < k->lec.n_classes && n < DOM_LECTURE_CLASSES; i++)
		if (k->lec.class_sel[i])
			cls[n++] = k->lec.classes[i].name;
	w = domain_topics(&nt);
	if (lecturer_name(k, (size_t) k->lec.lecturer)[0] == '\0') {
		k->lec.step = STEP_LECTURER; /* 其他人 without a name */
		return;
	}
	if (k->lec.days_ago > 0) {
		start_late(k, w[k->lec.topic], cls, n);
		return;
	}
	rc = domain_lecture_start_note(&k->dom, k->now_ms, k->ses.staff_id,
	    w[k->lec.topic],
	    strcmp(w[k->lec.topic], "other") == 0 ? k->lec.topic_note : NULL,
	    lecturer_name(k, (size_t) k->lec.lecturer), cls, n, &seq);
	if (rc == GU_OK || rc == GU_EEXIST) {
		kiosk_go(k, SCR_LEC_CLASSES);
		if (rc == GU_EEXIST)
			kiosk_message(k, "msg.lecture_already_open", 0);
		return;
	}
	scr_failed(k, rc, 0);
}

static void
scr_lec_start(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, q, foot, b;
	static const char *const step_key[] = {"lecture.step_topic",
	    "lecture.step_lecturer", "lecture.step_classes"};
	char summary[256];
	const char *const *w;
	size_t nt, i, nsel = 0;
	int t, g = scr_gap(k);

	if (scr_header(k, &body, kiosk_s(k, "lecture.start_title"), 1)) {
		if (k->lec.step == STEP_TOPIC)
			kiosk_go(k, SCR_HOME);
		else {
			k->lec.step--;
			memset(&k->scroll, 0, sizeof(k->scroll));
		}
		return;
	}
	q = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	w = domain_topics(&nt);
	summary[0] = '\0';
	if (k->ses.staff_id[0] != '\0')
		ui_fmt(summary, sizeof(summary), "{1}{2}{3}", k->ses.name,
		    k->lec.topic >= 0 ? kiosk_s(k, "common.sep") : NULL,
		    k->lec.topic >= 0 ? topic_label(k, w[k->lec.topic]) : NULL);
	/* Who and what at the right (as wide as it needs, at most half),
	 * the question in the rest. */
	if (summary[0] != '\0') {
		int sw = ui_button_w(ui, UI_FONT_BODY, summary);
		struct ui_rect s =
		    ui_cut_right(&q, sw < q.w / 2 ? sw : q.w / 2);
		ui_text(
		    ui, s, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_RIGHT, summary);
		ui_cut_right(&q, g);
	}
	ui_text(ui, q, UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k, step_key[k->lec.step]));
	ui_cut_top(&body, g);

	switch (k->lec.step) {
	case STEP_TOPIC:
		if (past_button(k, &body))
			return;
		t = scr_grid(k, body, &k->scroll, nt, 55, 15, UI_FONT_LARGE,
		    topic_cell, "start.topic");
		if (t >= 0) {
			k->lec.topic = t;
			k->lec.step = STEP_LECTURER;
			memset(&k->scroll, 0, sizeof(k->scroll));
			/* 其他: what topic, in words (optional). */
			if (strcmp(w[t], "other") == 0)
				scr_note_open(
				    k, "note.t_topic", k->lec.topic_note);
		}
		break;
	case STEP_LECTURER:
		t = scr_grid(k, body, &k->scroll, n_lecturers(k), 40, 15,
		    UI_FONT_LARGE, lecturer_cell, "start.lecturer");
		if (t >= 0) {
			k->lec.lecturer = t;
			k->lec.step = STEP_CLASSES;
			memset(&k->scroll, 0, sizeof(k->scroll));
			/* 其他人: the name, written or typed. */
			if ((size_t) t + 1 == n_lecturers(k))
				scr_note_open(k, "note.t_lecturer",
				    k->lec.lecturer_typed);
		}
		break;
	case STEP_CLASSES:
		foot = ui_cut_bottom(&body, ui_mm(ui, 15));
		ui_cut_bottom(&body, g);
		late_days(k, &body);
		for (i = 0; i < k->lec.n_classes; i++)
			nsel += k->lec.class_sel[i] != 0;
		t = scr_grid(k, body, &k->scroll, k->lec.n_classes, 40, 14,
		    UI_FONT_LARGE, class_cell, "start.class");
		if (t >= 0)
			k->lec.class_sel[t] = !k->lec.class_sel[t];
		b = ui_cut_left(&foot, foot.w / 3);
		if (ui_button(ui, ui_id("start.all", 0), b, UI_BTN_NORMAL,
		        UI_FONT_LARGE,
		        kiosk_s(k,
		            nsel == k->lec.n_classes ? "lecture.select_none"
		                                     : "lecture.select_all"))) {
			for (i = 0; i < k->lec.n_classes; i++)
				k->lec.class_sel[i] = nsel != k->lec.n_classes;
		}
		ui_cut_left(&foot, g);
		if (nsel == 0)
			ui_text(ui, foot, UI_FONT_BODY, UI_C_MUTED,
			    UI_ALIGN_CENTER, kiosk_s(k, "lecture.pick_class"));
		else if (ui_button(ui, ui_id("start.go", 0), foot,
		             UI_BTN_PRIMARY, UI_FONT_LARGE,
		             kiosk_s(k,
		                 k->lec.days_ago ? "lecture.start_late"
		                                 : "lecture.start_go")))
			start_lecture(k);
		break;
	}
}

/* ---- students choose their class ---- */

static void
scr_lec_classes_enter(struct kiosk *k)
{
	k->lec.ask_end = 0;
	load_counts(k);
	if (k->lec.cur.seq == 0)
		kiosk_signin_for(k, AFTER_LEC_START);
}

static const char *
lec_class_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	static char buf[64];

	fmt_count(k, buf, sizeof(buf), k->lec.cur_cls[i].present,
	    k->lec.cur_cls[i].n);
	*sub = buf;
	if (k->lec.cur_cls[i].n > 0 &&
	    k->lec.cur_cls[i].present == k->lec.cur_cls[i].n)
		*style = UI_BTN_DONE;
	return k->lec.cur_cls[i].name;
}

/* An absentee of the report: his id, nothing recorded yet. */
static void
absent_set(struct kiosk_absent *a, const char *id)
{
	snprintf(a->id, sizeof(a->id), "%s", id);
	a->reason = -1;
	a->made_up = 0;
}

static void
close_lecture(struct kiosk *k)
{
	uint32_t p, a;
	size_t i, j, n;
	int rc;

	rc = domain_lecture_end(&k->dom, k->now_ms, &k->lec.cur, &p, &a);
	if (rc != GU_OK) {
		scr_failed(k, rc, 0);
		return;
	}
	/* The report: who is absent, class by class, for follow-up. */
	k->lec.report_lec = k->lec.cur;
	memcpy(k->lec.report_cls, k->lec.cur_cls, sizeof(k->lec.report_cls));
	k->lec.report_present = p;
	k->lec.report_total = p + a;
	k->lec.n_absent = 0;
	for (i = 0; i < k->lec.cur.n_classes; i++) {
		if (domain_pupils(&k->dom, k->lec.cur.seq,
		        k->lec.cur.classes[i], k->lec.pupils, DOM_PUPILS_MAX,
		        &n) != GU_OK &&
		    n == 0)
			continue;
		k->lec.report_cls[i].present = 0;
		for (j = 0; j < n; j++) {
			if (k->lec.pupils[j].att_seq != 0) {
				k->lec.report_cls[i].present++;
				continue;
			}
			if (k->lec.n_absent >= KIOSK_REPORT_MAX)
				continue;
			snprintf(k->lec.absent[k->lec.n_absent].name,
			    sizeof(k->lec.absent[0].name), "%s",
			    k->lec.pupils[j].name);
			k->lec.absent[k->lec.n_absent].cls = (uint16_t) i;
			absent_set(&k->lec.absent[k->lec.n_absent],
			    k->lec.pupils[j].id);
			k->lec.n_absent++;
		}
	}
	kiosk_go(k, SCR_LEC_REPORT);
}

static void
scr_lec_classes(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, top, foot, b;
	char title[192], cnt[64];
	int t, g = scr_gap(k);

	ui_fmt(title, sizeof(title), kiosk_s(k, "lecture.title"),
	    topic_label(k, k->lec.cur.topic), NULL, NULL);
	if (scr_header(k, &body, title, 1)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	top = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	fmt_count(k, cnt, sizeof(cnt), k->lec.present, k->lec.total);
	scr_text_right(k, &top, UI_FONT_LARGE, UI_C_OK, cnt);
	ui_text(ui, top,
	    ui_fit_font(ui, UI_FONT_LARGE,
	        kiosk_s(k, "lecture.pick_your_class"), top.w),
	    UI_C_TEXT, UI_ALIGN_LEFT, kiosk_s(k, "lecture.pick_your_class"));
	ui_cut_top(&body, g);
	foot = ui_cut_bottom(&body, ui_mm(ui, 12));
	ui_cut_bottom(&body, g);
	t = scr_grid(k, body, &k->scroll, k->lec.cur.n_classes, 45, 20,
	    UI_FONT_HUGE, lec_class_cell, "lec.class");
	if (t >= 0 && !k->lec.ask_end) {
		k->lec.cls = t;
		kiosk_go(k, SCR_LEC_NAMES);
		return;
	}
	/* The teacher's buttons, smaller, at the bottom. */
	if (k->lec.ask_end) {
		b = ui_cut_right(&foot, foot.w / 4);
		if (ui_button(ui, ui_id("lec.end_no", 0), b, UI_BTN_NORMAL,
		        UI_FONT_BODY, kiosk_s(k, "common.cancel")))
			k->lec.ask_end = 0;
		ui_cut_right(&foot, g);
		b = ui_cut_right(&foot, foot.w / 3);
		if (ui_button(ui, ui_id("lec.end_yes", 0), b, UI_BTN_DANGER,
		        UI_FONT_BODY, kiosk_s(k, "lecture.end_confirm"))) {
			close_lecture(k);
			return;
		}
		ui_text(ui, foot, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT,
		    kiosk_s(k, "lecture.end_ask"));
		return;
	}
	b = ui_cut_right(&foot, foot.w / 4);
	if (ui_button(ui, ui_id("lec.end", 0), b, UI_BTN_NORMAL, UI_FONT_BODY,
	        kiosk_s(k, "lecture.end"))) {
		kiosk_signin_for(k, AFTER_LEC_END);
		return;
	}
	ui_cut_right(&foot, g);
	b = ui_cut_right(&foot, foot.w / 3);
	if (ui_button(ui, ui_id("lec.mark", 0), b, UI_BTN_NORMAL, UI_FONT_BODY,
	        kiosk_s(k, "lecture.teacher_mark"))) {
		kiosk_signin_for(k, AFTER_LEC_MARK);
		return;
	}
}

/* ---- a student taps his own name ---- */

static void
load_pupils(struct kiosk *k)
{
	k->lec.n_pupils = 0;
	if (k->lec.cls < 0 || (size_t) k->lec.cls >= k->lec.cur.n_classes)
		return;
	if (domain_pupils(&k->dom, k->lec.cur.seq,
	        k->lec.cur.classes[k->lec.cls], k->lec.pupils, DOM_PUPILS_MAX,
	        &k->lec.n_pupils) == GU_ETOOBIG)
		fprintf(stderr,
		    "guanai-kiosk: class %s has more than %d "
		    "children; the rest are not shown\n",
		    k->lec.cur.classes[k->lec.cls], DOM_PUPILS_MAX);
}

static void
scr_lec_names_enter(struct kiosk *k)
{
	load_counts(k);
	load_pupils(k);
}

static const char *
name_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	static char tell[64];

	*sub = scr_pupil_tell(k, &k->lec.pupils[i], tell, sizeof(tell));
	if (k->lec.pupils[i].att_seq != 0)
		*style = UI_BTN_DONE;
	return k->lec.pupils[i].name;
}

static uint32_t
class_present(const struct kiosk *k)
{
	uint32_t p = 0;
	size_t i;

	for (i = 0; i < k->lec.n_pupils; i++)
		p += k->lec.pupils[i].att_seq != 0;
	return p;
}

static void
checkin(struct kiosk *k, size_t i, int by_student)
{
	uint64_t seq = 0;
	int rc;

	rc = domain_checkin(&k->dom, k->now_ms, &k->lec.cur,
	    k->lec.pupils[i].id, by_student, &seq);
	if (rc == GU_EEXIST) {
		k->lec.pupils[i].att_seq = seq;
		if (by_student)
			kiosk_message(k, "msg.already_checked_in", 0);
		return;
	}
	if (rc != GU_OK) {
		if (rc == GU_ENOTFOUND)
			kiosk_message(k, "msg.lecture_closed", 1);
		else
			scr_failed(k, rc, 0);
		return;
	}
	/* On disk: only now is it confirmed. */
	k->lec.pupils[i].att_seq = seq;
	if (!by_student)
		return;
	snprintf(k->lec.confirm_name, sizeof(k->lec.confirm_name), "%s",
	    k->lec.pupils[i].name);
	snprintf(k->lec.confirm_id, sizeof(k->lec.confirm_id), "%s",
	    k->lec.pupils[i].id);
	k->lec.confirm_seq = seq;
	kiosk_go(k, SCR_LEC_CONFIRM);
	kiosk_sound(k, KIOSK_SOUND_CONFIRM);
}

static void
scr_lec_names(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, top;
	char cnt[64];
	int t;

	if (scr_header(k, &body, k->lec.cur.classes[k->lec.cls], 1)) {
		kiosk_go(k, SCR_LEC_CLASSES);
		return;
	}
	top = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	fmt_count(
	    k, cnt, sizeof(cnt), class_present(k), (uint32_t) k->lec.n_pupils);
	scr_text_right(k, &top, UI_FONT_LARGE, UI_C_OK, cnt);
	ui_text(ui, top,
	    ui_fit_font(
	        ui, UI_FONT_LARGE, kiosk_s(k, "lecture.tap_your_name"), top.w),
	    UI_C_TEXT, UI_ALIGN_LEFT, kiosk_s(k, "lecture.tap_your_name"));
	ui_cut_top(&body, scr_gap(k));
	/* Leave room for the idle countdown band. */
	ui_cut_bottom(&body, ui_mm(ui, 8));
	t = scr_grid(k, body, &k->scroll, k->lec.n_pupils, 34, 16,
	    UI_FONT_LARGE, name_cell, "lec.name");
	if (t >= 0) {
		if (k->lec.pupils[t].att_seq != 0)
			kiosk_message(k, "msg.already_checked_in", 0);
		else
			checkin(k, (size_t) t, 1);
	}
}

/* ---- the confirmation ---- */

static void
scr_lec_confirm(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect foot, b;
	int g = scr_gap(k);
	int64_t back_at = k->scr_since_ms + (int64_t) k->cfg->confirm_s * 1000;
	int rc;

	if (k->now_ms >= back_at) {
		kiosk_go(k, SCR_LEC_NAMES);
		return;
	}
	ui_wake_at(ui, back_at);
	foot = scr_confirm_panel(k, k->lec.confirm_name, "lecture.checked_in");

	b = ui_cut_left(&foot, (foot.w - g) / 2);
	if (ui_button(ui, ui_id("confirm.undo", 0), b, UI_BTN_NORMAL,
	        UI_FONT_BODY, kiosk_s(k, "lecture.not_me"))) {
		rc = domain_checkin_void(&k->dom, k->now_ms, &k->lec.cur,
		    k->lec.confirm_seq, k->lec.confirm_id, 1);
		kiosk_go(k, SCR_LEC_NAMES);
		if (rc == GU_OK)
			kiosk_message(k, "msg.undone", 0);
		else
			scr_failed(k, rc, 0);
		return;
	}
	ui_cut_left(&foot, g);
	b = foot;
	if (ui_button(ui, ui_id("confirm.done", 0), b, UI_BTN_PRIMARY,
	        UI_FONT_LARGE, kiosk_s(k, "common.done")))
		kiosk_go(k, SCR_LEC_NAMES);
}

/* ---- the teacher marks a class ---- */

static void
scr_lec_mark_enter(struct kiosk *k)
{
	if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin) {
		kiosk_signin_for(k, AFTER_LEC_MARK);
		return;
	}
	load_counts(k);
	load_pupils(k);
}

static const char *
mark_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	if (k->lec.pupils[i].att_seq != 0) {
		*style = UI_BTN_DONE;
		*sub = kiosk_s(k, "lecture.present");
	} else
		*sub = kiosk_s(k, "lecture.absent");
	return k->lec.pupils[i].name;
}

/*
 * 全班到齐: the whole class present in one tap (domain_checkin_class),
 * at the bottom right of *body; the teacher then taps the absentees,
 * which voids their attendance (records stay immutable).
 */
static void
all_present(struct kiosk *k, struct ui_rect *body)
{
	struct ui *ui = &k->ui;
	const char *t = kiosk_s(k, "lecture.all_present");
	int bw = ui_button_w(ui, UI_FONT_LARGE, t) + ui_mm(ui, 12), rc;
	struct ui_rect b = ui_cut_bottom(body, ui_mm(ui, 13));
	uint32_t n;

	ui_cut_bottom(body, scr_gap(k));
	b.x += b.w - bw;
	b.w = bw;
	if (!ui_button(ui, ui_id("mark.all", 0), b,
	        class_present(k) < k->lec.n_pupils ? UI_BTN_PRIMARY
	                                           : UI_BTN_DONE,
	        UI_FONT_LARGE, t))
		return;
	rc = domain_checkin_class(&k->dom, k->now_ms, &k->lec.cur,
	    k->lec.pupils, k->lec.n_pupils, &n);
	if (rc != GU_OK)
		scr_failed(k, rc, 0);
	load_counts(k);
}

static void
scr_lec_mark(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, tabs, c, top;
	char title[192], cnt[64];
	int t, i, n = (int) k->lec.cur.n_classes, g = scr_gap(k), tw, rc;
	int need, cols, rows;

	ui_fmt(title, sizeof(title), kiosk_s(k, "lecture.mark_title"),
	    k->lec.cur.classes[k->lec.cls], NULL, NULL);
	if (scr_header(k, &body, title, 1)) {
		kiosk_go(k, SCR_LEC_CLASSES);
		return;
	}
	/* One tab per class of the lecture, in as many rows as it takes
	 * for every class's name to fit on its tab. */
	need = 0;
	for (i = 0; i < n && ui->measure != NULL; i++) {
		int mw, mh;
		ui->measure(ui->measure_arg, UI_FONT_BODY,
		    k->lec.cur.classes[i], strlen(k->lec.cur.classes[i]), &mw,
		    &mh);
		if (mw > need)
			need = mw;
	}
	need += 2 * ui_mm(ui, 1.5f) + 2;
	cols = n > 0 ? n : 1;
	while (cols > 1 && (body.w - (cols - 1) * g) / cols < need)
		cols--;
	rows = (n + cols - 1) / cols;
	tabs = ui_cut_top(&body, rows * ui_mm(ui, 12) + (rows - 1) * g);
	ui_cut_top(&body, g);
	tw = (tabs.w - (cols - 1) * g) / cols;
	ui_group_begin(ui, ui_id("mark.tabs", 0), UI_FONT_BODY);
	for (i = 0; i < n; i++)
		ui_group_fit(ui, (struct ui_rect){0, 0, tw, ui_mm(ui, 12)},
		    k->lec.cur.classes[i], NULL);
	for (i = 0; i < n; i++) {
		c = ui_grid_cell(tabs, cols, tw, ui_mm(ui, 12), g, i);
		if (ui_button(ui, ui_id("mark.tab", i), c,
		        i == k->lec.cls ? UI_BTN_PRIMARY : UI_BTN_NORMAL,
		        UI_FONT_BODY, k->lec.cur.classes[i]) &&
		    i != k->lec.cls) {
			ui_group_end(ui);
			k->lec.cls = i;
			kiosk_go(k, SCR_LEC_MARK);
			return;
		}
	}
	ui_group_end(ui);
	top = ui_cut_top(&body, ui->font_px[UI_FONT_BODY] * 3 / 2);
	fmt_count(
	    k, cnt, sizeof(cnt), class_present(k), (uint32_t) k->lec.n_pupils);
	scr_text_right(k, &top, UI_FONT_BODY, UI_C_OK, cnt);
	ui_text(ui, top,
	    ui_fit_font(
	        ui, UI_FONT_BODY, kiosk_s(k, "lecture.mark_hint"), top.w),
	    UI_C_MUTED, UI_ALIGN_LEFT, kiosk_s(k, "lecture.mark_hint"));
	ui_cut_bottom(&body, ui_mm(ui, 8));
	all_present(k, &body);
	t = scr_grid(k, body, &k->scroll, k->lec.n_pupils, 30, 14,
	    UI_FONT_LARGE, mark_cell, "mark.name");
	if (t < 0)
		return;
	if (k->lec.pupils[t].att_seq == 0)
		checkin(k, (size_t) t, 0);
	else {
		/* A wrong mark is undone by a void, never an edit. */
		rc = domain_checkin_void(&k->dom, k->now_ms, &k->lec.cur,
		    k->lec.pupils[t].att_seq, k->lec.pupils[t].id, 0);
		if (rc == GU_OK)
			k->lec.pupils[t].att_seq = 0;
		else
			scr_failed(k, rc, 0);
	}
}

/* ---- the report of a closed lecture ---- */

/* 缺席原因和补签 (scr_lec_absent.c), at the left of the report's foot,
 * when anyone was absent.  1 when tapped. */
static int
report_reasons_button(struct kiosk *k, struct ui_rect foot)
{
	foot.w = foot.w * 2 / 3 - scr_gap(k);
	if (k->lec.n_absent == 0 ||
	    !ui_button(&k->ui, ui_id("report.reasons", 0), foot, UI_BTN_NORMAL,
	        UI_FONT_LARGE, kiosk_s(k, "lecture.reasons_button")))
		return 0;
	k->lec.absent_back = SCR_LEC_REPORT;
	kiosk_go(k, SCR_LEC_ABSENT);
	return 1;
}

/* 往期讲座: the past lectures (scr_lec_past.c), at the bottom of the
 * topic step.  1 when tapped. */
static int
past_button(struct kiosk *k, struct ui_rect *body)
{
	struct ui *ui = &k->ui;
	const char *t = kiosk_s(k, "lecture.past_button");
	struct ui_rect b = ui_cut_bottom(body, ui_mm(ui, 13));

	ui_cut_bottom(body, scr_gap(k));
	b.x += b.w - (ui_button_w(ui, UI_FONT_BODY, t) + ui_mm(ui, 10));
	b.w = ui_button_w(ui, UI_FONT_BODY, t) + ui_mm(ui, 10);
	if (!ui_button(
	        ui, ui_id("start.past", 0), b, UI_BTN_NORMAL, UI_FONT_BODY, t))
		return 0;
	kiosk_go(k, SCR_LEC_PAST);
	return 1;
}

static void
scr_lec_report(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, top, foot, row;
	char buf[256], a[16], b[16];
	int lh = ui->font_px[UI_FONT_BODY] * 3 / 2, y, content, cols, cw, col;
	size_t i, j, n;

	if (scr_header(k, &body, kiosk_s(k, "lecture.report_title"), 0))
		return;
	top = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	snprintf(a, sizeof(a), "%u", k->lec.report_present);
	snprintf(
	    b, sizeof(b), "%u", k->lec.report_total - k->lec.report_present);
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "lecture.report_summary"), a, b,
	    topic_label(k, k->lec.report_lec.topic));
	ui_text(ui, top, UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_LEFT, buf);
	foot = ui_cut_bottom(&body, ui_mm(ui, 14));
	ui_cut_bottom(&body, scr_gap(k));
	if (report_reasons_button(k, foot))
		return;
	foot.x += foot.w * 2 / 3;
	foot.w /= 3;
	if (ui_button(ui, ui_id("report.done", 0), foot, UI_BTN_PRIMARY,
	        UI_FONT_LARGE, kiosk_s(k, "common.done"))) {
		kiosk_go(k, SCR_HOME);
		return;
	}

	/* Absentees by class: a heading, then the names in columns. */
	cw = ui_mm(ui, 30);
	cols = body.w / cw > 0 ? body.w / cw : 1;
	cw = body.w / cols;
	content = 0;
	for (i = 0; i < k->lec.report_lec.n_classes; i++) {
		for (n = 0, j = 0; j < k->lec.n_absent; j++)
			n += k->lec.absent[j].cls == i;
		content += lh +
		    (int) ((n + (size_t) cols - 1) / (size_t) cols) * lh +
		    lh / 2;
	}
	ui_list_begin(ui, &k->scroll, body, content);
	y = body.y;
	for (i = 0; i < k->lec.report_lec.n_classes; i++) {
		for (n = 0, j = 0; j < k->lec.n_absent; j++)
			n += k->lec.absent[j].cls == i;
		snprintf(a, sizeof(a), "%zu", n);
		ui_fmt(buf, sizeof(buf),
		    kiosk_s(k,
		        n == 0 ? "lecture.report_class_full"
		               : "lecture.report_class"),
		    k->lec.report_lec.classes[i], a, NULL);
		row = (struct ui_rect){body.x, y, body.w, lh};
		ui_rect(ui, row, UI_C_PANEL);
		ui_text(ui, ui_inset(row, ui_mm(ui, 1)), UI_FONT_BODY,
		    n == 0 ? UI_C_OK : UI_C_TEXT, UI_ALIGN_LEFT, buf);
		y += lh;
		col = 0;
		for (j = 0; j < k->lec.n_absent; j++) {
			if (k->lec.absent[j].cls != i)
				continue;
			row = (struct ui_rect){body.x + col * cw + ui_mm(ui, 3),
			    y, cw - ui_mm(ui, 3), lh};
			ui_text(ui, row, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT,
			    k->lec.absent[j].name);
			if (++col == cols) {
				col = 0;
				y += lh;
			}
		}
		if (col != 0)
			y += lh;
		y += lh / 2;
	}
	ui_list_end(ui, &k->scroll);
}

const struct scr_row scr_row_lec_start = {
    "lec_start", scr_lec_start_enter, scr_lec_start, NULL, 0};

const struct scr_row scr_row_lec_classes = {"lec_classes",
    scr_lec_classes_enter, scr_lec_classes, NULL, SCR_F_PUBLIC | SCR_F_STUDENT};

const struct scr_row scr_row_lec_names = {"lec_names", scr_lec_names_enter,
    scr_lec_names, NULL, SCR_F_PUBLIC | SCR_F_STUDENT};

const struct scr_row scr_row_lec_confirm = {
    "lec_confirm", NULL, scr_lec_confirm, NULL, SCR_F_PUBLIC | SCR_F_STUDENT};

const struct scr_row scr_row_lec_mark = {
    "lec_mark", scr_lec_mark_enter, scr_lec_mark, NULL, 0};

const struct scr_row scr_row_lec_report = {
    "lec_report", NULL, scr_lec_report, NULL, 0};
