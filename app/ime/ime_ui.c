/*
 * ime_ui.c: the pad, the keyboard and the candidate bar as toolkit
 * commands (see ime_ui.h).
 */
#include "ime_ui.h"

#include <string.h>

#define ROWS_PINYIN 5    /* digits, three letter rows, function row */
#define INK_RECT_MAX 700 /* ink squares in one frame, of UI_CMD_MAX */

static const char *const row_keys[3] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
static const char *const punct[] = {"，", "。", "、", "？", "！", "："};
#define NPUNCT (sizeof(punct) / sizeof(punct[0]))

/* A key's size: 9 mm at this screen, physical (not scaled), plus the
 * one pixel the toolkit's check forgives, so rounding never makes a key
 * too small. */
static int
key_px(const struct ui *ui)
{
	int phys = (int) (UI_MIN_TARGET_MM * ui->px_per_mm + 0.999f);
	int scaled = ui_mm(ui, UI_MIN_TARGET_MM);

	/* On a big screen the fonts grow (ui->scale): the keys with them. */
	return scaled > phys ? scaled : phys;
}

int
ime_ui_min_height(const struct ui *ui)
{
	/* the candidate bar and five rows of keys */
	return (ROWS_PINYIN + 1) * key_px(ui);
}

static void
cand_bar(struct ui *ui, struct ime_ui *w, struct ime *ime, struct ui_rect r,
    const struct ime_ui_labels *lb)
{
	char comp[PY_TEXT_MAX + PY_LETTERS_MAX + 1];
	int k = key_px(ui), x = r.x, tw, th;

	/* A new list starts at its first page. */
	if (ime->kind != w->last_kind || ime->ncand != w->last_ncand ||
	    (ime->ncand > 0 && strcmp(ime->cand[0], w->last_first) != 0))
		w->page = 0;
	w->last_kind = ime->kind;
	w->last_ncand = ime->ncand;
	memcpy(w->last_first, ime->ncand > 0 ? ime->cand[0] : "",
	    ime->ncand > 0 ? IME_CAND_LEN : 1);

	ui_rect(ui, r, UI_C_PANEL);
	ime_composition(ime, comp, sizeof(comp));
	if (comp[0] != '\0') {
		int cw = 2 * k;
		if (ui->measure != NULL) {
			ui->measure(ui->measure_arg, UI_FONT_BODY, comp,
			    strlen(comp), &tw, &th);
			cw = tw + k / 3 < 4 * k ? tw + k / 3 : 4 * k;
		}
		struct ui_rect cr = {x, r.y, cw, r.h};
		ui_text(ui, ui_inset(cr, k / 8), UI_FONT_BODY, UI_C_MUTED,
		    UI_ALIGN_LEFT, comp);
		x += cw;
	}
	int more_w = 2 * k;
	int right = r.x + r.w - more_w;
	int i = w->page;
	for (; i < ime->ncand; i++) {
		int cw = k;
		if (ui->measure != NULL) {
			ui->measure(ui->measure_arg, UI_FONT_LARGE,
			    ime->cand[i], strlen(ime->cand[i]), &tw, &th);
			if (tw + k / 2 > cw)
				cw = tw + k / 2;
		}
		if (x + cw > right)
			break;
		struct ui_rect cr = {x, r.y, cw, r.h};
		int style = i == 0 ? UI_BTN_PRIMARY : UI_BTN_QUIET;
		if (ui_button(ui, ui_id("ime.cand", i), cr, style,
		        UI_FONT_LARGE, ime->cand[i]))
			ime_choose(ime, i);
		x += cw;
	}
	if (i < ime->ncand || w->page > 0) {
		struct ui_rect mr = {right, r.y, more_w, r.h};
		if (ui_button(ui, ui_id("ime.more", 0), mr, UI_BTN_NORMAL,
		        UI_FONT_BODY, lb->more))
			w->page = i < ime->ncand ? i : 0;
	}
}

/* Draws the ink: squares along each stroke, spaced so a long note's
 * character never floods the command list. */
static void
draw_ink(struct ui *ui, const struct ime *ime, struct ui_rect pad)
{
	const struct hw_ink *ink = &ime->ink;
	int t = ui_mm(ui, 1.6f), start = 0, budget = INK_RECT_MAX;
	int step = t / 2 > 1 ? t / 2 : 1;
	long len = 0;

	for (int s = 0; s < ink->nstroke; s++) {
		for (int i = (s > 0 ? ink->end[s - 1] : 0) + 1; i < ink->end[s];
		     i++) {
			int dx = ink->x[i] - ink->x[i - 1];
			int dy = ink->y[i] - ink->y[i - 1];
			len += (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
		}
	}
	if (len / step > budget)
		step = (int) (len / budget) + 1;
	for (int s = 0; s < ink->nstroke; s++) {
		int end = ink->end[s];
		for (int i = start; i < end && budget > 0; i++) {
			int x0 = ink->x[i > start ? i - 1 : i];
			int y0 = ink->y[i > start ? i - 1 : i];
			int x1 = ink->x[i], y1 = ink->y[i];
			int dx = x1 - x0, dy = y1 - y0;
			int d = (dx < 0 ? -dx : dx) > (dy < 0 ? -dy : dy)
			    ? (dx < 0 ? -dx : dx)
			    : (dy < 0 ? -dy : dy);
			int n = d / step + 1;
			for (int j = (i > start ? 1 : 0); j <= n && budget > 0;
			     j++) {
				int x = x0 + dx * j / n, y = y0 + dy * j / n;
				struct ui_rect q = {
				    pad.x + x - t / 2, pad.y + y - t / 2, t, t};
				/* keep the ink inside the pad */
				if (q.x < pad.x)
					q.x = pad.x;
				if (q.y < pad.y)
					q.y = pad.y;
				if (q.x + t > pad.x + pad.w)
					q.x = pad.x + pad.w - t;
				if (q.y + t > pad.y + pad.h)
					q.y = pad.y + pad.h - t;
				ui_rect(ui, q, UI_C_TEXT);
				budget--;
			}
		}
		start = end;
	}
}

static void
pad_input(struct ui *ui, struct ime *ime, struct ui_rect pad)
{
	int x = ui->ev.x - pad.x, y = ui->ev.y - pad.y;

	switch (ui->ev.kind) {
	case UI_EV_DOWN:
		if (ui_contains(pad, ui->ev.x, ui->ev.y))
			ime_stroke_begin(ime, x, y);
		break;
	case UI_EV_MOVE:
		if (ime->stroke_open)
			ime_stroke_point(ime, x, y);
		break;
	case UI_EV_UP:
		if (ime->stroke_open) {
			ime_stroke_point(ime, x, y);
			ime_stroke_end(ime, ui->ev.t_ms);
		}
		break;
	default:
		break;
	}
}

static void
key_text(
    struct ui *ui, struct ime *ime, struct ui_rect r, const char *s, int idx)
{
	if (ui_button(
	        ui, ui_id("ime.text", idx), r, UI_BTN_NORMAL, UI_FONT_LARGE, s))
		ime_text(ime, s);
}

static void
body_handwriting(struct ui *ui, struct ime_ui *w, struct ime *ime,
    struct ui_rect r, const struct ime_ui_labels *lb)
{
	int k = key_px(ui);
	/* Right: two columns of punctuation and a wider one of function
	 * keys, whose two-character labels need 1.5 keys. */
	int side = 2 * k + k * 3 / 2;
	int pad_side = r.h;

	if (pad_side > r.w - side)
		pad_side = r.w - side;
	/* The pad is centred in what the keys leave. */
	int free_w = r.w - side;
	struct ui_rect pad = {
	    r.x + (free_w - pad_side) / 2, r.y, pad_side, pad_side};
	w->pad = pad;
	ime_set_pad(ime, pad.w, pad.h);
	pad_input(ui, ime, pad);
	ui_rect(ui, pad, UI_C_BG);
	ui_frame(ui, pad, UI_C_BORDER, 2);
	/* the 田 guide, faint, to place a character */
	ui_rect(ui,
	    (struct ui_rect){
	        pad.x + pad.w / 2, pad.y + k / 4, 1, pad.h - k / 2},
	    UI_C_BORDER);
	ui_rect(ui,
	    (struct ui_rect){
	        pad.x + k / 4, pad.y + pad.h / 2, pad.w - k / 2, 1},
	    UI_C_BORDER);
	draw_ink(ui, ime, pad);

	struct ui_rect keys = {r.x + r.w - side, r.y, side, r.h};
	int rows = keys.h / k < 5 ? keys.h / k : 5;
	if (rows < 1)
		rows = 1;
	int kh = keys.h / rows;
	for (size_t i = 0; i < NPUNCT; i++) {
		int col = (int) i % 2, row = (int) i / 2;
		if (row >= rows)
			break;
		struct ui_rect kr = {
		    keys.x + col * k, keys.y + row * kh, k, kh};
		key_text(ui, ime, kr, punct[i], (int) i);
	}
	struct ui_rect fc = {keys.x + 2 * k, keys.y, side - 2 * k, kh};
	if (ui_button(ui, ui_id("ime.del", 0), fc, UI_BTN_NORMAL, UI_FONT_BODY,
	        lb->del))
		ime_delete(ime);
	fc.y += kh;
	if (rows > 1 &&
	    ui_button(ui, ui_id("ime.switch", 0), fc, UI_BTN_NORMAL,
	        UI_FONT_BODY, lb->to_pinyin))
		ime_switch(ime, IME_PINYIN);
	fc.y += kh;
	if (rows > 2 &&
	    ui_button(ui, ui_id("ime.confirm", 0), fc, UI_BTN_PRIMARY,
	        UI_FONT_BODY, lb->confirm))
		ime_confirm(ime);
}

static void
body_pinyin(struct ui *ui, struct ime *ime, struct ui_rect r,
    const struct ime_ui_labels *lb)
{
	int kh = r.h / ROWS_PINYIN;
	/* Ten keys a row across the whole width: at least 9 mm on a 600-px
	 * wide 7" screen. */
	int kw = r.w / 10;
	int x0 = r.x + (r.w - 10 * kw) / 2;
	char s[2] = {0, 0};

	for (int d = 0; d < 10; d++) {
		char digit[2] = {(char) ('0' + (d + 1) % 10), 0};
		struct ui_rect kr = {x0 + d * kw, r.y, kw, kh};
		if (ui_button(ui, ui_id("ime.digit", d), kr, UI_BTN_QUIET,
		        UI_FONT_LARGE, digit))
			ime_text(ime, digit);
	}
	for (int row = 0; row < 3; row++) {
		int n = (int) strlen(row_keys[row]);
		int rx = x0 + (10 * kw - n * kw) / 2;
		for (int i = 0; i < n; i++) {
			struct ui_rect kr = {
			    rx + i * kw, r.y + (row + 1) * kh, kw, kh};
			s[0] = row_keys[row][i];
			if (ui_button(ui, ui_id("ime.key", s[0]), kr,
			        UI_BTN_NORMAL, UI_FONT_LARGE, s))
				ime_key(ime, s[0]);
		}
	}
	/* The third letter row has 1.5 keys free at each side, as phone
	 * keyboards do: 、 on the left, delete on the right. */
	int y3 = r.y + 3 * kh;
	key_text(ui, ime, (struct ui_rect){x0, y3, kw * 3 / 2, kh}, "、", 20);
	struct ui_rect dr = {x0 + 10 * kw - kw * 3 / 2, y3, kw * 3 / 2, kh};
	if (ui_button(ui, ui_id("ime.del", 1), dr, UI_BTN_NORMAL, UI_FONT_BODY,
	        lb->del))
		ime_delete(ime);
	/* The function row, ten key widths: switch (2), ，。, space (3; 确定
	 * while letters are pending), ？！：. */
	static const char *const fpunct[] = {"，", "。", "？", "！", "："};
	struct ui_rect fr = {x0, r.y + 4 * kh, 2 * kw, kh};
	if (ui_button(ui, ui_id("ime.switch", 1), fr, UI_BTN_NORMAL,
	        UI_FONT_BODY, lb->to_handwriting))
		ime_switch(ime, IME_HANDWRITING);
	fr.x += fr.w;
	for (int i = 0; i < 5; i++) {
		fr.w = kw;
		if (i == 2) {
			int pending = ime->kind == IME_CAND_PINYIN;
			fr.w = 3 * kw;
			if (ui_button(ui, ui_id("ime.space", 0), fr,
			        pending ? UI_BTN_PRIMARY : UI_BTN_NORMAL,
			        UI_FONT_BODY,
			        pending ? lb->confirm : lb->space)) {
				if (!ime_confirm(ime))
					ime_text(ime, " ");
			}
			fr.x += fr.w;
			fr.w = kw;
		}
		key_text(ui, ime, fr, fpunct[i], 10 + i);
		fr.x += fr.w;
	}
}

void
ime_ui_frame(struct ui *ui, struct ime_ui *w, struct ime *ime, struct ui_rect r,
    const struct ime_ui_labels *lb)
{
	int k = key_px(ui);
	int64_t next;

	struct ui_rect bar = ui_cut_top(&r, k);
	ui_rect(ui, r, UI_C_PANEL);
	/* Keys first: a tap that commits shows its 联想 in the same frame's
	 * bar only on the next frame, which the toolkit asks for as the
	 * command list changes. */
	if (ime->method == IME_HANDWRITING)
		body_handwriting(ui, w, ime, r, lb);
	else
		body_pinyin(ui, ime, r, lb);
	cand_bar(ui, w, ime, bar, lb);
	next = ime_tick(ime, ui->now_ms);
	if (next > 0)
		ui_wake_at(ui, next);
}
