/*
 * scr_student.c: the student's own mentoring log (我的辅导记录), no
 * sign-in: the class, your own name, then (your mentor already chosen,
 * shown by name) what you talked about and how it felt; the face saves it.
 * Five taps from home: the tile, the class, the name, a topic, a face.
 * A confirmation you can see and hear follows.  Student screens show
 * names and nothing else about anyone.           -> REC_STUDENT_LOG
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

void
scr_stu_class_enter(struct kiosk *k)
{
	if (domain_classes(
	        &k->dom, k->classes, DOM_CLASSES_MAX, &k->n_classes) != GU_OK)
		k->n_classes = 0;
}

static const char *
class_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	(void) style;
	(void) sub;
	return k->classes[i].name;
}

void
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
	t = scr_grid(k, body, &k->scroll, k->n_classes, 45, 20, UI_FONT_HUGE,
	    class_cell, "stu.class");
	if (t >= 0) {
		k->cls = t;
		kiosk_go(k, SCR_STU_NAME);
	}
}

void
scr_stu_name_enter(struct kiosk *k)
{
	k->n_pupils = 0;
	if (k->cls < 0 || (size_t) k->cls >= k->n_classes)
		return;
	if (domain_pupils(&k->dom, 0, k->classes[k->cls].name, k->pupils,
	        DOM_PUPILS_MAX, &k->n_pupils) == GU_ETOOBIG)
		fprintf(stderr, "guanai-kiosk: class too big to show whole\n");
}

static const char *
name_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	(void) style;
	(void) sub;
	return k->pupils[i].name;
}

void
scr_stu_name(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, q;
	struct child c;
	struct staff m;
	int t;

	if (scr_header(k, &body, k->classes[k->cls].name, 1)) {
		kiosk_go(k, SCR_STU_CLASS);
		return;
	}
	q = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	ui_text(ui, q, UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k, "lecture.tap_your_name"));
	ui_cut_top(&body, scr_gap(k));
	ui_cut_bottom(&body, ui_mm(ui, 8));
	t = scr_grid(k, body, &k->scroll, k->n_pupils, 34, 16, UI_FONT_LARGE,
	    name_cell, "stu.name");
	if (t < 0)
		return;
	/* Only the name and the mentor's name leave the store here. */
	if (store_child_get(k->dom.store, k->pupils[t].id, &c) != GU_OK ||
	    c.mentor_id[0] == '\0' ||
	    store_staff_get(k->dom.store, c.mentor_id, &m) != GU_OK) {
		kiosk_message(k, "stu.no_mentor", 0);
		return;
	}
	memset(&k->child, 0, sizeof(k->child));
	snprintf(k->child.id, sizeof(k->child.id), "%s", c.id);
	snprintf(k->child.name, sizeof(k->child.name), "%s", c.name);
	snprintf(k->stu_mentor_id, sizeof(k->stu_mentor_id), "%s", m.id);
	snprintf(k->stu_mentor, sizeof(k->stu_mentor), "%s", m.name);
	kiosk_go(k, SCR_STU_LOG);
}

void
scr_stu_log_enter(struct kiosk *k)
{
	memset(&k->form, 0, sizeof(k->form));
	k->form.one[0] = -1;
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

void
scr_stu_log(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, q, r, c;
	char buf[192];
	size_t n, i;
	const char *const *w = care_log_words(F_TOPICS, &n);
	int g = scr_gap(k), cols, cw, ch, t;
	uint64_t seq;
	int rc;

	if (scr_header(k, &body, k->child.name, 1)) {
		if (k->form.step > 0)
			k->form.step = 0;
		else
			kiosk_go(k, SCR_STU_NAME);
		return;
	}
	q = ui_cut_top(&body, ui->font_px[UI_FONT_BODY] * 3 / 2);
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "stu.your_mentor"), k->stu_mentor,
	    NULL, NULL);
	ui_text(ui, q, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT, buf);
	q = ui_cut_top(&body, ui->font_px[UI_FONT_HUGE] * 3 / 2);
	ui_text(ui, q,
	    ui_fit_font(ui, UI_FONT_HUGE,
	        kiosk_s(k, k->form.step == 0 ? "stu.q_topic" : "stu.q_feel"),
	        q.w),
	    UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k, k->form.step == 0 ? "stu.q_topic" : "stu.q_feel"));
	ui_cut_top(&body, g);
	ui_cut_bottom(&body, ui_mm(ui, 8));
	if (k->form.step == 1) {
		t = big_faces(k, body);
		if (t == 0)
			return;
		rc = care_log_student(&k->log, k->now_ms, k->child.id,
		    k->stu_mentor_id, 1u << k->form.one[0], t, &seq);
		if (rc != GU_OK) {
			scr_failed(k, rc, 0);
			return;
		}
		/* On disk: only now is it confirmed. */
		snprintf(k->confirm_name, sizeof(k->confirm_name), "%s",
		    k->child.name);
		k->confirm_seq = seq;
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
			k->form.one[0] = (int) i;
			k->form.step = 1;
		}
	}
}

void
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
	foot = scr_confirm_panel(k, "stu.saved");
	b = foot;
	b.x += b.w / 4;
	b.w /= 2;
	if (ui_button(ui, ui_id("stu.done", 0), b, UI_BTN_PRIMARY,
	        UI_FONT_LARGE, kiosk_s(k, "common.done")))
		kiosk_go(k, SCR_HOME);
}
