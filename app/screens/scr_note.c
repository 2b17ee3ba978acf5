/*
 * scr_note.c: writing a note (备注 and the other notes of issue 11) with
 * the input method (app/ime/): Chinese handwriting on a pad or pinyin on
 * a keyboard, the method remembered per staff member.  A staff screen
 * only, reached from an optional button of a form step (scr_form.c), the
 * child's file (a void's or follow-up's note) or the work log; it is
 * never a step of the routine flow.
 *
 *   header   the note's title; 返回 drops what was written (取消)
 *   strip    the note so far (what is pending in pinyin after it), the
 *            count against the limit (12/200), 取消 and 完成
 *   widget   the input method (ime_ui.h) across the bottom
 *
 * 完成 copies the text back into the caller's buffer and returns to the
 * screen it came from as it was (no enter: the form keeps its answers,
 * the file its scroll position).  The engines are made at the first note
 * and their models load at the first stroke or letter (hw.h, pinyin.h),
 * so start-up does not pay for them; leaving the screen closes the
 * handwriting model (hw_unload: its pages are the kiosk's largest memory)
 * and sign-out frees both engines (scr_note_release), with the text.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static int
method_get(void *arg, const char *staff_id)
{
	return care_log_ime_method(arg, staff_id);
}

static void
method_set(void *arg, const char *staff_id, int method)
{
	care_log_set_ime_method(arg, staff_id, method);
}

void
scr_note_open(struct kiosk *k, const char *title_key, char *dest)
{
	struct kiosk_note *n = &k->note;
	struct ime_hooks hooks = {&k->dom, method_get, method_set};
	size_t len = strlen(dest);

	if (n->hw == NULL)
		n->hw = hw_new(NULL);
	if (n->py == NULL)
		n->py = py_new(NULL);
	ime_init(
	    &n->ime, n->hw, n->py, &hooks, k->ses.staff_id, REC_NOTE_CHARS);
	/* Writing on where the note was left. */
	if (len < sizeof(n->ime.text)) {
		memcpy(n->ime.text, dest, len + 1);
		n->ime.len = len;
		n->ime.nchars = (int) rec_utf8_chars(dest);
	}
	memset(&n->w, 0, sizeof(n->w));
	n->dest = dest;
	n->title_key = title_key;
	n->back = k->scr;
	n->back_scroll = k->scroll;
	memset(&k->scroll, 0, sizeof(k->scroll));
	k->scr = SCR_NOTE;
	k->scr_since_ms = k->now_ms;
}

/* Forgets the text being written (never left in memory). */
static void
forget(struct kiosk_note *n)
{
	memset(n->ime.text, 0, sizeof(n->ime.text));
	n->ime.len = 0;
	n->ime.nchars = 0;
	n->ime.ncand = 0;
	memset(n->ime.cand, 0, sizeof(n->ime.cand));
	n->dest = NULL;
}

void
scr_note_release(struct kiosk *k)
{
	forget(&k->note);
	hw_free(k->note.hw);
	py_free(k->note.py);
	k->note.hw = NULL;
	k->note.py = NULL;
}

/* Back where the note was opened, as it was. */
static void
done(struct kiosk *k, int keep)
{
	struct kiosk_note *n = &k->note;

	if (keep && n->dest != NULL) {
		size_t len;
		(void) ime_confirm(&n->ime);
		len = strlen(n->ime.text);
		if (len <= REC_VALUE_MAX) /* 200 characters always are */
			memcpy(n->dest, n->ime.text, len + 1);
	}
	forget(n);
	/* The model's 26 MB are resident once written with (docs/ime.md):
	 * let them go until the next note's first stroke. */
	hw_unload(n->hw);
	k->scr = n->back;
	k->scroll = n->back_scroll;
	k->scr_since_ms = k->now_ms;
}

#define NOTE_LINE (IME_TEXT_MAX + 256) /* the text and the letters */

/* The note in r: the whole text when it fits, else its end after "…"
 * (the newest words are the ones being written). */
static void
note_text(struct kiosk *k, struct ui_rect r, const char *text)
{
	struct ui *ui = &k->ui;
	char shown[NOTE_LINE + 8];
	const char *p = text;

	memcpy(shown, text, strlen(text) + 1);
	while (*p != '\0' && !ui_text_fits(ui, r, UI_FONT_BODY, shown)) {
		/* Ten characters fewer at a time. */
		for (int i = 0; i < 10 && *p != '\0'; i++) {
			p++;
			while (((unsigned char) *p & 0xc0) == 0x80)
				p++;
		}
		memcpy(shown, "…", 3);
		memcpy(shown + 3, p, strlen(p) + 1);
	}
	ui_text(ui, r, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT, shown);
}

static void
scr_note(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct kiosk_note *n = &k->note;
	struct ui_rect body, strip, side, b, box;
	const struct ime_ui_labels lb = {kiosk_s(k, "ime.delete"),
	    kiosk_s(k, "ime.confirm"), kiosk_s(k, "ime.space"),
	    kiosk_s(k, "ime.more"), kiosk_s(k, "ime.to_pinyin"),
	    kiosk_s(k, "ime.to_handwriting")};
	char count[64], a[16], c[16], comp[256], line[NOTE_LINE];
	int g = scr_gap(k), mh = ime_ui_min_height(ui), bw;

	if (n->dest == NULL) { /* not opened through scr_note_open */
		kiosk_go(k, SCR_MENTOR);
		return;
	}
	/* The pause that commits a written character, before the note is
	 * drawn, so this frame shows it. */
	(void) ime_tick(&n->ime, k->now_ms);
	if (scr_header(k, &body, kiosk_s(k, n->title_key), 1)) {
		done(k, 0);
		return;
	}
	if (mh > ui->h - body.y)
		mh = ui->h - body.y;
	strip = (struct ui_rect){
	    body.x, body.y, body.w, ui->h - mh - body.y - scr_margin(k)};
	/* 取消 and 完成 on the right; the note and its count on the left. */
	bw = ui_button_w(ui, UI_FONT_LARGE, kiosk_s(k, "common.cancel"));
	if (bw < ui_button_w(ui, UI_FONT_LARGE, kiosk_s(k, "common.done")))
		bw = ui_button_w(ui, UI_FONT_LARGE, kiosk_s(k, "common.done"));
	if (bw < ui_mm(ui, 20))
		bw = ui_mm(ui, 20);
	if (bw > strip.w / 5)
		bw = strip.w / 5;
	side = ui_cut_right(&strip, 2 * bw + g);
	ui_cut_right(&strip, g);
	b = side;
	if (b.h > ui_mm(ui, 14)) {
		b.y += (b.h - ui_mm(ui, 14)) / 2;
		b.h = ui_mm(ui, 14);
	}
	if (ui_button(ui, ui_id("note.done", 0), ui_cut_right(&b, bw),
	        UI_BTN_PRIMARY, UI_FONT_LARGE, kiosk_s(k, "common.done"))) {
		done(k, 1);
		return;
	}
	ui_cut_right(&b, g);
	if (ui_button(ui, ui_id("note.cancel", 0), b, UI_BTN_NORMAL,
	        UI_FONT_LARGE, kiosk_s(k, "common.cancel"))) {
		done(k, 0);
		return;
	}
	ui_rect(ui, strip, UI_C_PANEL);
	ui_frame(ui, strip, UI_C_BORDER, 1);
	box = ui_inset(strip, ui_mm(ui, 1.5f));
	snprintf(a, sizeof(a), "%d", n->ime.nchars);
	snprintf(c, sizeof(c), "%d", n->ime.max_chars);
	ui_fmt(count, sizeof(count), kiosk_s(k, "note.count"), a, c, NULL);
	b = ui_cut_bottom(&box, ui->font_px[UI_FONT_SMALL] * 3 / 2);
	ui_text(ui, b, UI_FONT_SMALL,
	    n->ime.err == GU_ETOOBIG ? UI_C_DANGER : UI_C_MUTED, UI_ALIGN_RIGHT,
	    count);
	ime_composition(&n->ime, comp, sizeof(comp));
	if (n->ime.len == 0 && comp[0] == '\0')
		ui_text(ui, box, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_LEFT,
		    kiosk_s(k,
		        n->ime.method == IME_HANDWRITING ? "note.hint_hw"
		                                         : "note.hint_py"));
	else {
		size_t tl = strlen(n->ime.text), cl = strlen(comp);
		memcpy(line, n->ime.text, tl);
		memcpy(line + tl, comp, cl + 1);
		note_text(k, box, line);
	}
	ime_ui_frame(ui, &n->w, &n->ime,
	    (struct ui_rect){0, ui->h - mh, ui->w, mh}, &lb);
}

/* Leaving it any other way (the idle sign-out): nothing of the text
 * stays. */
static void
scr_note_leave(struct kiosk *k)
{
	forget(&k->note);
}

const struct scr_row scr_row_note = {"note", NULL, scr_note, scr_note_leave, 0};

int
scr_note_button(struct kiosk *k, struct ui_rect r, int64_t id,
    const char *label_key, const char *note)
{
	int written = note != NULL && note[0] != '\0';
	char label[128];

	ui_fmt(label, sizeof(label),
	    kiosk_s(k, written ? "note.edit" : "note.add"),
	    kiosk_s(k, label_key), NULL, NULL);
	return ui_button(&k->ui, ui_id("note.open", id), r, UI_BTN_NORMAL,
	    UI_FONT_BODY, label);
}
