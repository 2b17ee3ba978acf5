/*
 * scr_form.c: the mentor's step-by-step forms, no typing anywhere:
 *
 *   check-in  kind -> mood (faces) -> concerns seen ("无" skips) ->
 *             phrase-chip notes -> 保存                  -> REC_CHECKIN
 *   visit     date -> who was met -> guardianship -> hazards -> study ->
 *             health -> mood -> problems -> actions -> next visit -> 保存
 *                                                        -> REC_VISIT
 *   plan      goal areas -> measures -> review date -> 保存  -> REC_PLAN
 *             (the signed-in staff member is the one responsible; an
 *             optional note, + 备注 beside 保存, through scr_note.c)
 *   focus     mark or unmark 重点关注 -> why -> 保存      -> REC_FOCUS
 *   urgent    choosing 疑似受侵害或面临危险 (harm) shows, full screen,
 *             what the law requires; saving records an urgent concern
 *                                      -> REC_CONCERN, REC_FLAG_URGENT
 *
 * Concerns seen (or problems found) are also recorded as one REC_CONCERN
 * whose F_SOURCE is the check-in or visit (care_log.h).  A routine
 * check-in is five taps from the mentor's home: 关爱记录, the kind, a
 * face, 无, 保存.  The chips are the schema's words (care_log_words);
 * their labels come from the strings table (scr_word).
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

enum fs_kind { FS_ONE, FS_SET, FS_FACE };

struct fs_step {
	const char *q; /* the question's key */
	enum fs_kind kind;
	int field;                 /* schema field of the chips, or 0 */
	const char *const *labels; /* keys of the chips when field is 0 */
	const char *none;          /* FS_SET with nothing chosen: button */
	int note;             /* 1 + the note (mentor.notes) it may add, 0 */
	const char *note_key; /* the note's title (scr_note.c) */
};

static const char *const k_days[] = {"visit.today", "visit.yesterday",
    "visit.2days", "visit.3days", "visit.week", NULL};
static const int days_of[] = {0, 1, 2, 3, 7};
static const char *const k_guard[] = {"visit.guard_ok", "visit.guard_no", NULL};
static const char *const k_scale[] = {"scale.1", "scale.2", "scale.3", NULL};
static const char *const k_next[] = {
    "visit.next_2w", "visit.next_1m", "visit.next_3m", NULL};
static const int next_days[] = {14, 30, 90};

enum { CK_TYPE, CK_MOOD, CK_CONCERNS, CK_NOTES, CK_N };
/* Which of mentor.notes holds which note. */
enum { CK_NOTE_CHECKIN, CK_NOTE_CONCERN };
enum { VI_NOTE_PROBLEMS, VI_NOTE_MEASURES, VI_NOTE_GUARDIAN };
static const struct fs_step ck_steps[CK_N] = {
    {"checkin.q_type", FS_ONE, F_TYPE, NULL, NULL, 0, NULL},
    {"checkin.q_mood", FS_FACE, 0, NULL, NULL, 0, NULL},
    {"checkin.q_concerns", FS_SET, F_CONCERNS, NULL, "checkin.none",
        1 + CK_NOTE_CONCERN, "note.t_concern"},
    {"checkin.q_notes", FS_SET, F_NOTES, NULL, "form.save", 1 + CK_NOTE_CHECKIN,
        "note.t_checkin"},
};

enum {
	VI_DATE,
	VI_MET,
	VI_GUARD,
	VI_HAZARDS,
	VI_STUDY,
	VI_HEALTH,
	VI_MOOD,
	VI_PROBLEMS,
	VI_ACTIONS,
	VI_NEXT,
	VI_N
};
static const struct fs_step vi_steps[VI_N] = {
    {"visit.q_date", FS_ONE, 0, k_days, NULL, 0, NULL},
    {"visit.q_met", FS_ONE, F_MET, NULL, NULL, 0, NULL},
    {"visit.q_guard", FS_ONE, 0, k_guard, NULL, 0, NULL},
    {"visit.q_hazards", FS_SET, F_HAZARDS, NULL, "visit.no_hazards", 0, NULL},
    {"visit.q_study", FS_ONE, 0, k_scale, NULL, 0, NULL},
    {"visit.q_health", FS_ONE, 0, k_scale, NULL, 0, NULL},
    {"visit.q_mood", FS_FACE, 0, NULL, NULL, 0, NULL},
    {"visit.q_problems", FS_SET, F_PROBLEMS, NULL, "visit.no_problems",
        1 + VI_NOTE_PROBLEMS, "note.t_problems"},
    {"visit.q_actions", FS_SET, F_ACTIONS, NULL, "visit.no_actions",
        1 + VI_NOTE_MEASURES, "note.t_measures"},
    {"visit.q_next", FS_ONE, 0, k_next, NULL, 1 + VI_NOTE_GUARDIAN,
        "note.t_guardian"},
};

static const char *const k_review[] = {
    "plan.review_2w", "plan.review_1m", "plan.review_3m", NULL};

enum { PL_GOALS, PL_MEASURES, PL_REVIEW, PL_N };
enum { PL_NOTE_PLAN }; /* the plan's optional note in mentor.notes */
static const struct fs_step pl_steps[PL_N] = {
    {"plan.q_goals", FS_SET, F_GOALS, NULL, "form.next", 0, NULL},
    {"plan.q_measures", FS_SET, F_MEASURES, NULL, "form.next", 0, NULL},
    {"plan.q_review", FS_ONE, 0, k_review, NULL, 1 + PL_NOTE_PLAN,
        "note.t_plan"},
};

static const char *const k_mark[] = {"focus.mark", "focus.unmark", NULL};

enum { FO_MARK, FO_WHY, FO_N };
static const struct fs_step fo_steps[FO_N] = {
    {"focus.q_mark", FS_ONE, 0, k_mark, NULL, 0, NULL},
    {"focus.q_why", FS_ONE, F_FOCUS_WHY, NULL, NULL, 0, NULL},
};

/* Whether the draft is this staff member's, of today. */
int
scr_draft_mine(const struct kiosk *k)
{
	return k->draft.valid &&
	    strcmp(k->draft.staff_id, k->ses.staff_id) == 0 &&
	    k->draft.day == domain_day_of(k->now_ms, k->cfg->tz_min);
}

static void
scr_form_enter(struct kiosk *k)
{
	int i;

	if (!care_may_see(k->dom.store, &k->ses, k->mentor.child.id)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	/* The same form of the same child, interrupted today: go on. */
	if (scr_draft_mine(k) && k->draft.scr == k->scr &&
	    strcmp(k->draft.child.id, k->mentor.child.id) == 0) {
		k->mentor.form = k->draft.form;
		explicit_bzero(&k->draft, sizeof(k->draft));
		kiosk_message(k, "form.draft_back", 0);
		return;
	}
	if (!scr_draft_mine(k))
		explicit_bzero(&k->draft, sizeof(k->draft));
	snprintf(k->draft.staff_id, sizeof(k->draft.staff_id), "%s",
	    k->ses.staff_id);
	memset(&k->mentor.form, 0, sizeof(k->mentor.form));
	memset(k->mentor.notes, 0, sizeof(k->mentor.notes));
	for (i = 0; i < KIOSK_FORM_STEPS; i++)
		k->mentor.form.one[i] = -1;
	/* A visit is today unless said otherwise. */
	if (k->scr == SCR_VISIT)
		k->mentor.form.one[VI_DATE] = 0;
}

static size_t
n_chips(const struct fs_step *st)
{
	size_t n = 0;

	if (st->kind == FS_FACE)
		return 5;
	if (st->field != 0) {
		care_log_words(st->field, &n);
		return n;
	}
	while (st->labels[n] != NULL)
		n++;
	return n;
}

static const char *
chip_label(struct kiosk *k, const struct fs_step *st, size_t i)
{
	const char *const *w;

	if (st->field != 0) {
		w = care_log_words(st->field, NULL);
		return scr_word(k, st->field, w[i]);
	}
	return kiosk_s(k, st->labels[i]);
}

/* The urgent concern's chip. */
static int
is_harm(const struct fs_step *st, size_t i)
{
	return (st->field == F_CONCERNS || st->field == F_PROBLEMS) &&
	    (int) i == care_log_word_index(F_CONCERNS, "harm");
}

/* A button's width: w, or what its label needs on one line of body
 * text, at most max. */
static int
wide_enough(struct ui *ui, int w, int max, const char *label)
{
	int need = ui_button_w(ui, UI_FONT_BODY, label);

	if (need > max)
		need = max;
	return need > w ? need : w;
}

/* Five faces in r; returns the level tapped (1..5) or 0. */
static int
faces(struct kiosk *k, struct ui_rect r, int chosen, const char *id)
{
	struct ui *ui = &k->ui;
	int g = scr_gap(k), cw = (r.w - 4 * g) / 5, i, pressed, tapped = 0;
	struct ui_rect c, f, l;
	char key[32];

	if (r.h > cw * 3 / 2)
		r.h = cw * 3 / 2;
	for (i = 0; i < 5; i++) {
		c = (struct ui_rect){r.x + i * (cw + g), r.y, cw, r.h};
		pressed = 0;
		if (ui_tap(ui, ui_id(id, i), c, &pressed))
			tapped = i + 1;
		ui_rect(ui, c,
		    pressed               ? UI_C_BORDER
		        : chosen == i + 1 ? UI_C_OK_SOFT
		                          : UI_C_PANEL);
		if (chosen == i + 1)
			ui_frame(ui, c, UI_C_OK, ui_mm(ui, 0.8f));
		l = ui_cut_bottom(&c, ui->font_px[UI_FONT_LARGE] * 3 / 2);
		f = ui_inset(c, ui_mm(ui, 2));
		scr_face(k, f, i + 1);
		snprintf(key, sizeof(key), "mood.%d", i + 1);
		ui_text(ui, l,
		    ui_fit_font(ui, UI_FONT_LARGE, kiosk_s(k, key), l.w),
		    UI_C_TEXT, UI_ALIGN_CENTER, kiosk_s(k, key));
	}
	return tapped;
}

/* Chips of a choice in r, as many columns as fit; a chip whose label
 * would not fit one cell in body text takes two. */
static int
chips(struct kiosk *k, const struct fs_step *st, int step, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	size_t n = n_chips(st), i;
	int g = scr_gap(k), cols, cw, ch, tapped = -1, style, rows, col, row;
	int pad, mw, mh;
	int span[32], at_c[32], at_r[32];
	const char *l;
	struct ui_rect c;

	if (n > 32)
		n = 32;
	cols = r.w / ui_mm(ui, 42);
	if (cols < 1)
		cols = 1;
	if (cols > 4)
		cols = 4;
	cw = (r.w - (cols - 1) * g) / cols;
	/* The label's room in a cell: padding and a chosen chip's tick. */
	pad = 2 * ui_mm(ui, 1.5f) + ui->font_px[UI_FONT_BODY];
	col = row = 0;
	for (i = 0; i < n; i++) {
		l = chip_label(k, st, i);
		mw = 0;
		if (ui->measure != NULL)
			ui->measure(ui->measure_arg, UI_FONT_BODY, l, strlen(l),
			    &mw, &mh);
		span[i] = cols > 1 && mw > cw - pad ? 2 : 1;
		if (col + span[i] > cols) {
			col = 0;
			row++;
		}
		at_c[i] = col;
		at_r[i] = row;
		col += span[i];
	}
	rows = n > 0 ? row + 1 : 0;
	ch = ui_mm(ui, 15);
	if (rows * (ch + g) - g > r.h && rows > 0)
		ch = (r.h + g) / rows - g;
	if (ch < ui_mm(ui, 10))
		ch = ui_mm(ui, 10);
	/* Every chip of the question in one text size. */
	ui_group_begin(ui, ui_id("form.chips", step), UI_FONT_LARGE);
	for (i = 0; i < n; i++)
		ui_group_fit(ui,
		    (struct ui_rect){
		        0, 0, span[i] * cw + (span[i] - 1) * g, ch},
		    chip_label(k, st, i), NULL);
	for (i = 0; i < n; i++) {
		c = (struct ui_rect){r.x + at_c[i] * (cw + g),
		    r.y + at_r[i] * (ch + g), span[i] * cw + (span[i] - 1) * g,
		    ch};
		style = UI_BTN_NORMAL;
		if (st->kind == FS_ONE && k->mentor.form.one[step] == (int) i)
			style = UI_BTN_SELECTED;
		if (st->kind == FS_SET &&
		    (k->mentor.form.set[step] & (1u << i)))
			style =
			    is_harm(st, i) ? UI_BTN_DANGER : UI_BTN_SELECTED;
		if (ui_button(ui,
		        ui_id("form.chip", (int64_t) (step * 64 + (int) i)), c,
		        style, UI_FONT_LARGE, chip_label(k, st, i)))
			tapped = (int) i;
	}
	ui_group_end(ui);
	return tapped;
}

enum form_kind { FORM_CHECKIN, FORM_VISIT, FORM_PLAN, FORM_FOCUS };

/* A plan or a 重点关注 mark: one record through care_log_append(). */
static void
save_plan_focus(struct kiosk *k, enum form_kind fk)
{
	const struct kiosk_form *fm = &k->mentor.form;
	char set[REC_VALUE_MAX + 1], day[16];
	struct record r;
	const char *const *w;
	uint64_t seq = 0;
	int rc;

	if (fk == FORM_PLAN && fm->set[PL_GOALS] == 0) {
		k->mentor.form.step = PL_GOALS;
		kiosk_message(k, "plan.need_goal", 1);
		return;
	}
	rec_init(&r, fk == FORM_PLAN ? REC_PLAN : REC_FOCUS);
	rc = rec_set_str(&r, F_CHILD, k->mentor.child.id);
	if (fk == FORM_PLAN) {
		static const int review_days[] = {14, 30, 90};
		if (rc == GU_OK)
			rc = care_log_set_str(
			    F_GOALS, fm->set[PL_GOALS], set, sizeof(set));
		if (rc == GU_OK)
			rc = rec_set_str(&r, F_GOALS, set);
		if (rc == GU_OK)
			rc = care_log_set_str(
			    F_MEASURES, fm->set[PL_MEASURES], set, sizeof(set));
		if (rc == GU_OK)
			rc = rec_set_str(&r, F_MEASURES, set);
		if (rc == GU_OK)
			rc = rec_set_str(&r, F_RESPONSIBLE, k->ses.staff_id);
		care_log_date(k->now_ms, k->care.tz_min,
		    -review_days[fm->one[PL_REVIEW] >= 0 ? fm->one[PL_REVIEW]
		                                         : 0],
		    day, sizeof(day));
		if (rc == GU_OK)
			rc = rec_set_str(&r, F_REVIEW, day);
		if (rc == GU_OK && k->mentor.notes[PL_NOTE_PLAN][0] != '\0')
			rc = rec_set_str(
			    &r, F_PLAN_NOTE, k->mentor.notes[PL_NOTE_PLAN]);
	} else {
		w = care_log_words(F_FOCUS_WHY, NULL);
		if (rc == GU_OK)
			rc = rec_set_int(&r, F_FOCUS, fm->one[FO_MARK] == 0);
		if (rc == GU_OK && fm->one[FO_WHY] >= 0)
			rc = rec_set_str(&r, F_FOCUS_WHY, w[fm->one[FO_WHY]]);
	}
	if (rc == GU_OK)
		rc = care_log_append(&k->dom, &k->ses, k->now_ms, &r, &seq);
	if (rc != GU_OK) {
		scr_failed(k, rc, 0);
		return;
	}
	kiosk_go(k, SCR_FILE);
	kiosk_message(k, fk == FORM_PLAN ? "plan.saved" : "focus.saved", 0);
}

/* The form's records. */
static void
save(struct kiosk *k, enum form_kind fk)
{
	int visit = fk == FORM_VISIT;
	uint64_t seq = 0, cseq = 0;
	int rc, harm = care_log_word_index(F_CONCERNS, "harm");
	uint32_t concerns;

	if (fk == FORM_PLAN || fk == FORM_FOCUS) {
		save_plan_focus(k, fk);
		return;
	}
	if (!visit) {
		struct care_checkin c = {k->mentor.child.id,
		    k->mentor.form.one[CK_TYPE], k->mentor.form.one[CK_MOOD],
		    k->mentor.form.set[CK_CONCERNS],
		    k->mentor.form.set[CK_NOTES],
		    k->mentor.notes[CK_NOTE_CHECKIN],
		    k->mentor.form.set[CK_CONCERNS] != 0
		        ? k->mentor.notes[CK_NOTE_CONCERN]
		        : NULL};
		concerns = c.concerns;
		rc = care_log_checkin(
		    &k->dom, &k->ses, k->now_ms, &c, &seq, &cseq);
	} else {
		struct care_visit v;
		memset(&v, 0, sizeof(v));
		v.child_id = k->mentor.child.id;
		v.days_ago = days_of[k->mentor.form.one[VI_DATE] >= 0
		        ? k->mentor.form.one[VI_DATE]
		        : 0];
		v.met = k->mentor.form.one[VI_MET];
		v.guardianship = k->mentor.form.one[VI_GUARD] == 0;
		v.hazards = k->mentor.form.set[VI_HAZARDS];
		v.study = k->mentor.form.one[VI_STUDY] + 1;
		v.health = k->mentor.form.one[VI_HEALTH] + 1;
		v.mood = k->mentor.form.one[VI_MOOD];
		v.problems = k->mentor.form.set[VI_PROBLEMS];
		v.actions = k->mentor.form.set[VI_ACTIONS];
		v.next_days = k->mentor.form.one[VI_NEXT] >= 0
		    ? next_days[k->mentor.form.one[VI_NEXT]]
		    : 0;
		v.note = k->mentor.notes[VI_NOTE_PROBLEMS];
		v.measures_note = k->mentor.notes[VI_NOTE_MEASURES];
		v.guardian_note = k->mentor.notes[VI_NOTE_GUARDIAN];
		concerns = v.problems;
		rc = care_log_visit(
		    &k->dom, &k->ses, k->now_ms, &v, &seq, &cseq);
	}
	if (rc != GU_OK && cseq == 0) {
		scr_failed(k, rc, 0);
		return;
	}
	/* Damage found after the concern was saved: stop there too. */
	if (rc == GU_ECORRUPT) {
		scr_failed(k, rc, 0);
		return;
	}
	kiosk_go(k, SCR_MENTOR);
	if (harm >= 0 && (concerns & (1u << harm)))
		kiosk_message(k, "urgent.saved", 1);
	else if (cseq != 0)
		kiosk_message(k, "form.saved_concern", 0);
	else
		kiosk_message(k, "form.saved", 0);
}

static void
form(struct kiosk *k, const struct fs_step *steps, int n_steps,
    enum form_kind fk, const char *title_key)
{
	struct ui *ui = &k->ui;
	const struct fs_step *st = &steps[k->mentor.form.step];
	struct ui_rect body, q, foot, b;
	char title[192], prog[64], a[16], c[16];
	int t, g = scr_gap(k), step = k->mentor.form.step,
	       last = step == n_steps - 1;
	int ready;

	ui_fmt(title, sizeof(title), kiosk_s(k, title_key),
	    k->mentor.child.name, NULL, NULL);
	if (scr_header(k, &body, title, 1)) {
		if (step == 0)
			kiosk_go(k, fk >= FORM_PLAN ? SCR_FILE : SCR_MENTOR);
		else
			k->mentor.form.step--;
		return;
	}
	q = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	snprintf(a, sizeof(a), "%d", step + 1);
	snprintf(c, sizeof(c), "%d", n_steps);
	ui_fmt(prog, sizeof(prog), kiosk_s(k, "form.progress"), a, c, NULL);
	scr_text_right(k, &q, UI_FONT_BODY, UI_C_MUTED, prog);
	ui_text(ui, q, ui_fit_font(ui, UI_FONT_LARGE, kiosk_s(k, st->q), q.w),
	    UI_C_TEXT, UI_ALIGN_LEFT, kiosk_s(k, st->q));
	ui_cut_top(&body, g);
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	/* A button at the bottom for multiple choices and the last step. */
	ready = st->kind == FS_SET ||
	    (last &&
	        (st->kind == FS_FACE ? k->mentor.form.one[step] > 0
	                             : k->mentor.form.one[step] >= 0));
	if (st->kind == FS_SET || last) {
		const char *label;
		foot = ui_cut_bottom(&body, ui_mm(ui, 14));
		ui_cut_bottom(&body, g);
		if (last)
			label = kiosk_s(k, "form.save");
		else if (k->mentor.form.set[step] == 0)
			label = kiosk_s(k, st->none);
		else
			label = kiosk_s(k, "form.next");
		b = ui_cut_right(
		    &foot, wide_enough(ui, foot.w / 3, foot.w, label));
		if (ready &&
		    ui_button(ui, ui_id("form.next", step), b, UI_BTN_PRIMARY,
		        UI_FONT_LARGE, label)) {
			if (last)
				save(k, fk);
			else
				k->mentor.form.step++;
			return;
		}
		ui_cut_right(&foot, g);
		/* The step's optional note, left of the button: never a
		 * step of its own, so the routine flow keeps its taps. */
		if (st->note > 0 &&
		    (st != &ck_steps[CK_CONCERNS] ||
		        k->mentor.form.set[step] != 0)) {
			char *note = k->mentor.notes[st->note - 1];
			struct ui_rect nb = ui_cut_left(&foot,
			    wide_enough(ui, foot.w / 3, foot.w,
			        kiosk_s(k, st->note_key)) +
			        ui_mm(ui, 6));
			ui_cut_left(&foot, g);
			if (scr_note_button(k, nb, step, st->note_key, note)) {
				scr_note_open(k, st->note_key, note);
				return;
			}
		}
		/* The hint, where the button leaves room for it. */
		if (st->kind == FS_SET &&
		    ui_text_fits(
		        ui, foot, UI_FONT_BODY, kiosk_s(k, "form.pick_any")))
			ui_text(ui, foot, UI_FONT_BODY, UI_C_MUTED,
			    UI_ALIGN_LEFT, kiosk_s(k, "form.pick_any"));
	}
	if (st->kind == FS_FACE) {
		t = faces(k, body, k->mentor.form.one[step], "form.face");
		if (t > 0) {
			k->mentor.form.one[step] = t;
			if (!last)
				k->mentor.form.step++;
		}
		return;
	}
	t = chips(k, st, step, body);
	if (t < 0)
		return;
	if (st->kind == FS_ONE) {
		k->mentor.form.one[step] = t;
		if (!last)
			k->mentor.form.step++;
		return;
	}
	k->mentor.form.set[step] ^= 1u << t;
	/* Suspected harm: the law, full screen, at once. */
	if (is_harm(st, (size_t) t) && (k->mentor.form.set[step] & (1u << t))) {
		k->mentor.urgent_back = k->scr;
		k->scr = SCR_URGENT;
		k->scr_since_ms = k->now_ms;
	}
}

static void
scr_checkin(struct kiosk *k)
{
	form(k, ck_steps, CK_N, FORM_CHECKIN, "checkin.title");
}

static void
scr_visit(struct kiosk *k)
{
	form(k, vi_steps, VI_N, FORM_VISIT, "visit.title");
}

static void
scr_plan(struct kiosk *k)
{
	form(k, pl_steps, PL_N, FORM_PLAN, "plan.title");
}

static void
scr_focus(struct kiosk *k)
{
	form(k, fo_steps, FO_N, FORM_FOCUS, "focus.title");
}

static void
scr_urgent(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect all = {0, 0, ui->w, ui->h}, top, foot, b, t;
	int m = scr_margin(k) * 2, g = scr_gap(k);

	ui_rect(ui, all, UI_C_PANEL);
	top = ui_cut_top(&all, ui->font_px[UI_FONT_HUGE] * 2);
	ui_rect(ui, top, UI_C_DANGER);
	ui_text(ui, top,
	    ui_fit_font(
	        ui, UI_FONT_HUGE, kiosk_s(k, "urgent.title"), top.w - m),
	    UI_C_ON_PRIMARY, UI_ALIGN_CENTER, kiosk_s(k, "urgent.title"));
	all = ui_inset(all, m / 2);
	foot = ui_cut_bottom(&all, ui_mm(ui, 14));
	ui_cut_bottom(&all, g);
	t = ui_cut_top(&all, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	ui_text(ui, t,
	    ui_fit_font(ui, UI_FONT_LARGE, kiosk_s(k, "urgent.lead"), t.w),
	    UI_C_DANGER, UI_ALIGN_LEFT, kiosk_s(k, "urgent.lead"));
	/* The law's lines and the local numbers. */
	scr_report_law(k, all);
	b = ui_cut_right(&foot,
	    wide_enough(ui, foot.w / 2, foot.w, kiosk_s(k, "urgent.ok")));
	if (ui_button(ui, ui_id("urgent.ok", 0), b, UI_BTN_DANGER,
	        UI_FONT_LARGE, kiosk_s(k, "urgent.ok"))) {
		k->scr = k->mentor.urgent_back;
		k->scr_since_ms = k->now_ms;
		return;
	}
	ui_cut_right(&foot, g);
	if (ui_text_fits(ui, foot, UI_FONT_BODY, kiosk_s(k, "urgent.note")))
		ui_text(ui, foot, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT,
		    kiosk_s(k, "urgent.note"));
}

/*
 * Leaving a form: when nobody touched the kiosk for the staff timeout (the
 * idle sign-out, which has just ended the session) and something was
 * chosen, the answers become the day's draft of the staff member who
 * entered the form.
 */
static void
scr_form_leave(struct kiosk *k)
{
	int64_t idle_at =
	    k->last_input_ms + (int64_t) k->cfg->staff_idle_s * 1000;
	int i, any = k->mentor.form.step > 0;

	for (i = 0; i < KIOSK_FORM_STEPS; i++)
		any |= k->mentor.form.set[i] != 0 ||
		    (k->scr == SCR_CHECKIN && k->mentor.form.one[i] >= 0);
	if (k->now_ms < idle_at || !any || k->draft.staff_id[0] == '\0' ||
	    k->ses.staff_id[0] != '\0')
		return;
	k->draft.valid = 1;
	k->draft.day = domain_day_of(k->now_ms, k->cfg->tz_min);
	k->draft.scr = k->scr;
	k->draft.child = k->mentor.child;
	k->draft.form = k->mentor.form;
}

const struct scr_row scr_row_checkin = {
    "checkin", scr_form_enter, scr_checkin, scr_form_leave, 0};

const struct scr_row scr_row_visit = {
    "visit", scr_form_enter, scr_visit, scr_form_leave, 0};

const struct scr_row scr_row_plan = {"plan", scr_form_enter, scr_plan, NULL, 0};

const struct scr_row scr_row_focus = {
    "focus", scr_form_enter, scr_focus, NULL, 0};

const struct scr_row scr_row_urgent = {"urgent", NULL, scr_urgent, NULL, 0};
