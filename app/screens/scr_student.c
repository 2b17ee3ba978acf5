/*
 * scr_student.c: the student's own mentoring log (我的辅导记录), no
 * sign-in: the class, your own name, then what you talked about and how
 * it felt; the face saves it.  Five taps from home: the tile, the class,
 * the name, a topic, a face.  A confirmation you can see and hear follows.
 *
 * Every child's path looks the same, with or without a mentor, a
 * category, a concern or a visit: no mentor is named, nothing differs in
 * words, colour, order or what comes next; the domain routes the record
 * (care_log_student).  These screens see children only as struct
 * dom_pupil, which has no field for anything sensitive; classmates of
 * the same name are told apart by birthday (scr_pupil_tell).
 *                                                  -> REC_STUDENT_LOG
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static void
scr_stu_class_enter(struct kiosk *k)
{
	if (domain_classes(&k->dom, k->stu.classes, DOM_CLASSES_MAX,
	        &k->stu.n_classes) != GU_OK)
		k->stu.n_classes = 0;
}

static const char *
class_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	(void) style;
	(void) sub;
	return k->stu.classes[i].name;
}

static void
scr_stu_class(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, q;
	int t;

	if (scr_header(k, &body, kiosk_s(k, "stu.title"), 1)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	q = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	ui_text(ui, q, UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k, "lecture.pick_your_class"));
	ui_cut_top(&body, scr_gap(k));
	ui_cut_bottom(&body, ui_mm(ui, 8));
	t = scr_grid(k, body, &k->scroll, k->stu.n_classes, 45, 20,
	    UI_FONT_HUGE, class_cell, "stu.class");
	if (t >= 0) {
		k->stu.cls = t;
		kiosk_go(k, SCR_STU_NAME);
	}
}

static void
scr_stu_name_enter(struct kiosk *k)
{
	k->stu.n_pupils = 0;
	if (k->stu.cls < 0 || (size_t) k->stu.cls >= k->stu.n_classes)
		return;
	if (domain_pupils(&k->dom, 0, k->stu.classes[k->stu.cls].name,
	        k->stu.pupils, DOM_PUPILS_MAX, &k->stu.n_pupils) == GU_ETOOBIG)
		fprintf(stderr, "guanai-kiosk: class too big to show whole\n");
}

static const char *
name_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	static char tell[64];

	(void) style;
	*sub = scr_pupil_tell(k, &k->stu.pupils[i], tell, sizeof(tell));
	return k->stu.pupils[i].name;
}

static void
scr_stu_name(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, q;
	int t;

	if (scr_header(k, &body, k->stu.classes[k->stu.cls].name, 1)) {
		kiosk_go(k, SCR_STU_CLASS);
		return;
	}
	q = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	ui_text(ui, q, UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k, "lecture.tap_your_name"));
	ui_cut_top(&body, scr_gap(k));
	ui_cut_bottom(&body, ui_mm(ui, 8));
	t = scr_grid(k, body, &k->scroll, k->stu.n_pupils, 34, 16,
	    UI_FONT_LARGE, name_cell, "stu.name");
	if (t < 0)
		return;
	/* Every child goes on the same way: who has a mentor is the
	 * domain's business when the log is saved, never the screen's. */
	k->stu.who = k->stu.pupils[t];
	kiosk_go(k, SCR_STU_LOG);
}

static void
scr_stu_log_enter(struct kiosk *k)
{
	memset(&k->stu.form, 0, sizeof(k->stu.form));
	k->stu.form.one[0] = -1;
	k->stu.done_key = NULL;
}

/* Five faces; the tap saves. */
static int
big_faces(struct kiosk *k, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	int g = scr_gap(k), cw = (r.w - 4 * g) / 5, i, pressed, tapped = 0;
	struct ui_rect c, l;
	char key[32];

	if (r.h > cw * 3 / 2)
		r.h = cw * 3 / 2;
	for (i = 0; i < 5; i++) {
		c = (struct ui_rect){r.x + i * (cw + g), r.y, cw, r.h};
		pressed = 0;
		if (ui_tap(ui, ui_id("stu.face", i), c, &pressed))
			tapped = i + 1;
		ui_rect(ui, c, pressed ? UI_C_BORDER : UI_C_PANEL);
		l = ui_cut_bottom(&c, ui->font_px[UI_FONT_LARGE] * 3 / 2);
		scr_face(k, ui_inset(c, ui_mm(ui, 2)), i + 1);
		snprintf(key, sizeof(key), "feel.%d", i + 1);
		ui_text(ui, l,
		    ui_fit_font(ui, UI_FONT_LARGE, kiosk_s(k, key), l.w),
		    UI_C_TEXT, UI_ALIGN_CENTER, kiosk_s(k, key));
	}
	return tapped;
}

/*
 * 我想找老师说说话 at the right of the question's row *q: records a quiet request to the
 * child's mentor (the head when he has none: the domain's business,
 * care_log_talk) and shows the same confirmation for every child,
 * naming nobody.  Returns 1 when the screen was left.
 */
static int
talk_button(struct kiosk *k, struct ui_rect *q)
{
	struct ui *ui = &k->ui;
	const char *l = kiosk_s(k, "stu.talk");
	struct ui_rect b = ui_cut_right(q, ui_button_w(ui, UI_FONT_LARGE, l));
	uint64_t seq;
	int rc;

	ui_cut_right(q, scr_gap(k));
	if (!ui_button(ui, ui_id("stu.talk", 0), b, UI_BTN_PRIMARY,
	        UI_FONT_LARGE, kiosk_s(k, "stu.talk")))
		return 0;
	rc = care_log_talk(&k->dom, k->now_ms, k->stu.who.id, &seq);
	if (rc != GU_OK) {
		scr_failed(k, rc, 0);
		return 1;
	}
	k->stu.done_key = "stu.talk_saved";
	kiosk_go(k, SCR_STU_DONE);
	kiosk_sound(k, KIOSK_SOUND_CONFIRM);
	return 1;
}

static void
scr_stu_log(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, q, r, c;
	size_t n, i;
	const char *const *w = care_log_words(F_TOPICS, &n);
	int g = scr_gap(k), cols, cw, ch, t;
	uint64_t seq;
	int rc;

	if (scr_header(k, &body, k->stu.who.name, 1)) {
		if (k->stu.form.step > 0)
			k->stu.form.step = 0;
		else
			kiosk_go(k, SCR_STU_NAME);
		return;
	}
	q = ui_cut_top(&body, ui->font_px[UI_FONT_BODY] * 3 / 2);
	ui_text(ui, q, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT,
	    kiosk_s(k, "stu.intro"));
	q = ui_cut_top(&body, ui->font_px[UI_FONT_HUGE] * 3 / 2);
	/* 我想找老师说说话 beside the first question: the same quiet
	 * request for every child. */
	if (k->stu.form.step == 0 && talk_button(k, &q))
		return;
	ui_text(ui, q,
	    ui_fit_font(ui, UI_FONT_HUGE,
	        kiosk_s(
	            k, k->stu.form.step == 0 ? "stu.q_topic" : "stu.q_feel"),
	        q.w),
	    UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k, k->stu.form.step == 0 ? "stu.q_topic" : "stu.q_feel"));
	ui_cut_top(&body, g);
	ui_cut_bottom(&body, ui_mm(ui, 8));
	if (k->stu.form.step == 1) {
		t = big_faces(k, body);
		if (t == 0)
			return;
		rc = care_log_student(&k->dom, k->now_ms, k->stu.who.id,
		    1u << k->stu.form.one[0], t, &seq);
		if (rc != GU_OK) {
			scr_failed(k, rc, 0);
			return;
		}
		/* On disk: only now is it confirmed. */
		kiosk_go(k, SCR_STU_DONE);
		kiosk_sound(k, KIOSK_SOUND_CONFIRM);
		return;
	}
	/* Topics: big chips, one tap. */
	r = body;
	cols = r.w >= r.h ? 3 : 2;
	cw = (r.w - (cols - 1) * g) / cols;
	ch = (r.h - g) / (int) ((n + (size_t) cols - 1) / (size_t) cols) - g;
	if (ch > ui_mm(ui, 30))
		ch = ui_mm(ui, 30);
	for (i = 0; i < n; i++) {
		c = ui_grid_cell(r, cols, cw, ch, g, (int) i);
		if (ui_button(ui, ui_id("stu.topic", (int64_t) i), c,
		        UI_BTN_NORMAL, UI_FONT_HUGE,
		        scr_word(k, F_TOPICS, w[i]))) {
			k->stu.form.one[0] = (int) i;
			k->stu.form.step = 1;
		}
	}
}

static void
scr_stu_done(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect foot, b;
	int64_t back_at = k->scr_since_ms + (int64_t) k->cfg->confirm_s * 2000;

	if (k->now_ms >= back_at) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	ui_wake_at(ui, back_at);
	foot = scr_confirm_panel(k, k->stu.who.name,
	    k->stu.done_key != NULL ? k->stu.done_key : "stu.saved");
	b = foot;
	b.x += b.w / 4;
	b.w /= 2;
	if (ui_button(ui, ui_id("stu.done", 0), b, UI_BTN_PRIMARY,
	        UI_FONT_LARGE, kiosk_s(k, "common.done")))
		kiosk_go(k, SCR_HOME);
}

/* The child who logged is forgotten once the confirmation is gone. */
static void
scr_stu_done_leave(struct kiosk *k)
{
	memset(&k->stu.who, 0, sizeof(k->stu.who));
	memset(&k->stu.form, 0, sizeof(k->stu.form));
	k->stu.done_key = NULL;
}

const struct scr_row scr_row_stu_class = {"stu_class", scr_stu_class_enter,
    scr_stu_class, NULL, SCR_F_PUBLIC | SCR_F_STUDENT};

const struct scr_row scr_row_stu_name = {"stu_name", scr_stu_name_enter,
    scr_stu_name, NULL, SCR_F_PUBLIC | SCR_F_STUDENT};

const struct scr_row scr_row_stu_log = {"stu_log", scr_stu_log_enter,
    scr_stu_log, NULL, SCR_F_PUBLIC | SCR_F_STUDENT};

const struct scr_row scr_row_stu_done = {"stu_done", NULL, scr_stu_done,
    scr_stu_done_leave, SCR_F_PUBLIC | SCR_F_STUDENT};
