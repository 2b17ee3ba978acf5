/*
 * ui.c: the touch toolkit (see ui.h).  Owns press/tap/drag decisions and
 * the command list; knows nothing of SDL, the store or the screens.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

/* Line heights of the fonts in millimetres of screen. */
static const float font_mm[UI_FONT_N] = {4.2f, 5.4f, 7.0f, 11.0f};

/* A fling loses this fraction of its speed per ms (time constant 325 ms,
 * as touch platforms do), and stops below this speed (px/ms). */
#define FLING_TAU_MS 325.0f
#define FLING_MIN 0.02f
#define FRAME_MS 16

void
ui_resize(struct ui *ui, int w, int h, float px_per_mm)
{
	float diag_in;
	int i, px;

	ui->w = w;
	ui->h = h;
	ui->px_per_mm = px_per_mm;
	/* A bigger screen is read from further away: from a 7-inch
	 * terminal up, sizes grow with the square root of the diagonal,
	 * at most by half. */
	diag_in = sqrtf((float) w * (float) w + (float) h * (float) h) /
	    px_per_mm / 25.4f;
	ui->scale = sqrtf(diag_in / 7.0f);
	if (ui->scale < 1)
		ui->scale = 1;
	if (ui->scale > 1.5f)
		ui->scale = 1.5f;
	for (i = 0; i < UI_FONT_N; i++) {
		px = (int) lroundf(font_mm[i] * px_per_mm * ui->scale);
		/* A small window (development, portrait) still fits text:
		 * never more than a tenth (huge: a sixth) of the height. */
		if (i != UI_FONT_HUGE && px > h / 10)
			px = h / 10;
		if (i == UI_FONT_HUGE && px > h / 6)
			px = h / 6;
		if (px < 12)
			px = 12;
		ui->font_px[i] = px;
	}
}

void
ui_init(
    struct ui *ui, int w, int h, float px_per_mm, ui_measure_fn fn, void *arg)
{
	memset(ui, 0, sizeof(*ui));
	ui->measure = fn;
	ui->measure_arg = arg;
	ui_resize(ui, w, h, px_per_mm);
}

int
ui_mm(const struct ui *ui, float mm)
{
	return (int) lroundf(mm * ui->px_per_mm * ui->scale);
}

uint32_t
ui_id(const char *name, int64_t idx)
{
	uint32_t h = 2166136261u;
	uint64_t v = (uint64_t) idx;
	int i;

	for (; *name; name++)
		h = (h ^ (uint8_t) *name) * 16777619u;
	for (i = 0; i < 8; i++, v >>= 8)
		h = (h ^ (v & 0xff)) * 16777619u;
	return h ? h : 1;
}

void
ui_begin(struct ui *ui, int64_t now_ms, const struct ui_event *ev)
{
	int dx, dy, slop;

	ui->ncmd = 0;
	ui->text_len = 0;
	ui->overflow = 0;
	ui->small_targets = 0;
	ui->nclip = 0;
	ui->list_dy = 0;
	ui->now_ms = now_ms;
	ui->wake_ms = 0;
	ui->active_seen = 0;
	ui->ev.kind = UI_EV_NONE;
	if (ev != NULL)
		ui->ev = *ev;

	switch (ui->ev.kind) {
	case UI_EV_DOWN:
		ui->down = 1;
		ui->px = ui->sx = ui->ev.x;
		ui->py = ui->sy = ui->ev.y;
		ui->dragging = 0;
		ui->active = 0;
		ui->drag_list = NULL;
		break;
	case UI_EV_MOVE:
	case UI_EV_UP:
		ui->px = ui->ev.x;
		ui->py = ui->ev.y;
		if (ui->down) {
			dx = ui->px - ui->sx;
			dy = ui->py - ui->sy;
			slop = ui_mm(ui, UI_SLOP_MM);
			if (dx * dx + dy * dy > slop * slop)
				ui->dragging = 1;
		}
		if (ui->ev.kind == UI_EV_UP)
			ui->down = 0;
		break;
	case UI_EV_NONE:
		break;
	}
}

void
ui_end(struct ui *ui)
{
	if (ui->overflow || ui->small_targets)
		ui->bad_frames++;
	/* A press whose widget is gone (the screen changed) is forgotten,
	 * so it cannot fire on a widget that appears under the finger. */
	if (!ui->active_seen || ui->ev.kind == UI_EV_UP)
		ui->active = 0;
	if (ui->ev.kind == UI_EV_UP)
		ui->drag_list = NULL;
}

void
ui_wake_at(struct ui *ui, int64_t t_ms)
{
	if (ui->wake_ms == 0 || t_ms < ui->wake_ms)
		ui->wake_ms = t_ms;
}

uint64_t
ui_hash(const struct ui *ui)
{
	uint64_t h = 1469598103934665603ull;
	const uint8_t *p;
	size_t i, j;

	for (i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		int32_t v[8] = {c->kind, c->color, c->font, c->aux, c->r.x,
		    c->r.y, c->r.w, c->r.h};

		p = (const uint8_t *) v;
		for (j = 0; j < sizeof(v); j++)
			h = (h ^ p[j]) * 1099511628211ull;
		if (c->kind == UI_CMD_TEXT) {
			p = (const uint8_t *) ui->text + c->text_off;
			for (j = 0; j < c->text_len; j++)
				h = (h ^ p[j]) * 1099511628211ull;
		}
	}
	return h;
}

int
ui_contains(struct ui_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static int
clip_hit(const struct ui *ui, int x, int y)
{
	return ui->nclip == 0 || ui_contains(ui->clip[ui->nclip - 1], x, y);
}

static int
visible(const struct ui *ui, struct ui_rect r)
{
	struct ui_rect c;

	if (ui->nclip == 0)
		return 1;
	c = ui->clip[ui->nclip - 1];
	return r.x < c.x + c.w && r.x + r.w > c.x && r.y < c.y + c.h &&
	    r.y + r.h > c.y;
}

static struct ui_cmd *
push(struct ui *ui, int kind, struct ui_rect r)
{
	struct ui_cmd *c;

	r.y += ui->list_dy;
	if (kind != UI_CMD_CLIP && !visible(ui, r))
		return NULL;
	if (ui->ncmd >= UI_CMD_MAX) {
		ui->overflow = 1;
		return NULL;
	}
	c = &ui->cmd[ui->ncmd++];
	memset(c, 0, sizeof(*c));
	c->kind = (uint8_t) kind;
	c->r = r;
	c->owner = ui->owner;
	return c;
}

void
ui_rect(struct ui *ui, struct ui_rect r, int color)
{
	struct ui_cmd *c = push(ui, UI_CMD_RECT, r);

	if (c != NULL)
		c->color = (uint8_t) color;
}

void
ui_frame(struct ui *ui, struct ui_rect r, int color, int thick)
{
	struct ui_cmd *c = push(ui, UI_CMD_FRAME, r);

	if (c != NULL) {
		c->color = (uint8_t) color;
		c->aux = (uint8_t) (thick < 1 ? 1 : thick > 255 ? 255 : thick);
	}
}

/* ---- text fitting ---- */

static void
measure(struct ui *ui, int font, const char *s, size_t n, int *w, int *h)
{
	*w = *h = 0;
	if (ui->measure != NULL)
		ui->measure(ui->measure_arg, font, s, n, w, h);
}

/* Bytes of the UTF-8 sequence at s (at most n). */
static size_t
u8len(const char *s, size_t n)
{
	uint8_t c = (uint8_t) *s;
	size_t l = c < 0x80 ? 1
	    : c >= 0xf0     ? 4
	    : c >= 0xe0     ? 3
	    : c >= 0xc0     ? 2
	                    : 1;

	return l > n ? n : l;
}

/* Whether s starts with punctuation that must not begin a line. */
static int
closing_punct(const char *s, size_t n)
{
	static const char *const p[] = {"，", "。", "、", "；", "：", "！",
	    "？", "）", "」", "』", "”", "’", "…", "·", NULL};
	size_t i, l;

	if (n > 0 && strchr(",.;:!?)", *s) != NULL)
		return 1;
	for (i = 0; p[i] != NULL; i++) {
		l = strlen(p[i]);
		if (n >= l && memcmp(s, p[i], l) == 0)
			return 1;
	}
	return 0;
}

/* The bytes of the longest prefix of s (n bytes, one line) at most w
 * pixels wide in font, cut at a code point. */
static size_t
fit_prefix(struct ui *ui, int font, const char *s, size_t n, int w)
{
	size_t off[257], lo = 0, hi, mid, i = 0, k = 0;
	int tw, th;

	off[k++] = 0;
	while (i < n && k < 257) {
		i += u8len(s + i, n - i);
		off[k++] = i;
	}
	/* off[0..k-1]: prefixes of 0..k-1 code points; find the largest
	 * that fits. */
	hi = k - 1;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		measure(ui, font, s, off[mid], &tw, &th);
		if (tw <= w)
			lo = mid;
		else
			hi = mid - 1;
	}
	return off[lo];
}

/*
 * Wraps s (n bytes; '\n' breaks kept) into lines at most w wide in font,
 * into out (cap bytes).  Breaks Latin text at spaces and never starts a
 * line with closing punctuation.  Returns 1 when every line fits and out
 * was big enough; *olen and *lines say what was written.
 */
static int
wrap(struct ui *ui, int font, const char *s, size_t n, int w, char *out,
    size_t cap, size_t *olen, int *lines)
{
	size_t i = 0, e, p, cut, k, o = 0;
	int ok = 1;

	*lines = 0;
	for (;;) {
		for (e = i; e < n && s[e] != '\n'; e++)
			;
		p = i;
		do {
			cut = fit_prefix(ui, font, s + p, e - p, w);
			if (cut == 0 && p < e) {
				cut = u8len(s + p, e - p);
				ok = 0;
			}
			if (p + cut < e) {
				/* At the last space of the line, when it is
				 * near its end (a Chinese line breaks between
				 * any two characters). */
				for (k = cut; k > 0 && s[p + k] != ' '; k--)
					;
				if (k > 0 && s[p + k] == ' ' &&
				    k >= cut * 2 / 3)
					cut = k;
				else if (closing_punct(
				             s + p + cut, e - p - cut) &&
				    cut > u8len(s + p, cut)) {
					/* Take one character down with it. */
					k = cut - 1;
					while (k > 0 &&
					    ((uint8_t) s[p + k] & 0xc0) == 0x80)
						k--;
					cut = k;
				}
			}
			if (o + cut + 1 > cap)
				return 0;
			memcpy(out + o, s + p, cut);
			o += cut;
			(*lines)++;
			p += cut;
			/* The break stands for the spaces it replaces. */
			while (p < e && s[p] == ' ')
				p++;
			if (p < e)
				out[o++] = '\r';
		} while (p < e);
		if (e >= n)
			break;
		if (o + 1 > cap)
			return 0;
		out[o++] = '\n';
		i = e + 1;
	}
	*olen = o;
	return ok;
}

/* The height the glyphs of lines lines of font take: the line pitch
 * between lines, an em for the last one. */
static int
ink_h(struct ui *ui, int font, int lines)
{
	int w, lh;

	measure(ui, font, "中", strlen("中"), &w, &lh);
	return (lines - 1) * lh + ui->font_px[font];
}

static int
count_lines(const char *s, size_t n)
{
	int l = 1;
	size_t i;

	for (i = 0; i < n; i++)
		l += s[i] == '\n' || s[i] == '\r';
	return l;
}

/*
 * Whether s fits box r in font as it is or (wrap_ok) wrapped; the text to
 * draw goes to out (cap bytes), its length to *olen.
 */
static int
fits_at(struct ui *ui, int font, const char *s, size_t n, struct ui_rect r,
    int wrap_ok, char *out, size_t cap, size_t *olen)
{
	int tw, th, lines;

	measure(ui, font, s, n, &tw, &th);
	if (tw <= r.w && ink_h(ui, font, count_lines(s, n)) <= r.h) {
		if (n > cap)
			return 0;
		memcpy(out, s, n);
		*olen = n;
		return 1;
	}
	if (!wrap_ok)
		return 0;
	if (!wrap(ui, font, s, n, r.w, out, cap, olen, &lines) ||
	    ink_h(ui, font, lines) > r.h)
		return 0;
	/* One paragraph in two lines whose second is a stub (a lone 条):
	 * the narrowest width that still takes two lines evens them. */
	if (lines == 2 && count_lines(s, n) == 1) {
		const char *br = memchr(out, '\r', *olen);
		int lw = 0, lh, lo = r.w / 2, hi = r.w, mid, l2;
		size_t o2;
		if (br != NULL)
			measure(ui, font, br + 1,
			    *olen - (size_t) (br + 1 - out), &lw, &lh);
		if (br != NULL && lw < r.w / 3) {
			while (lo < hi) {
				mid = (lo + hi) / 2;
				if (wrap(ui, font, s, n, mid, out, cap, &o2,
				        &l2) &&
				    l2 == 2)
					hi = mid;
				else
					lo = mid + 1;
			}
			if (!wrap(ui, font, s, n, hi, out, cap, olen, &lines))
				return wrap(ui, font, s, n, r.w, out, cap, olen,
				    &lines);
		}
	}
	return 1;
}

/* The smallest size a text asked for in font may be drawn in: a
 * heading, a name or a button's label (UI_FONT_LARGE and up) no smaller
 * than body text, body text no smaller than a status line. */
static int
text_floor(int font)
{
	return font >= UI_FONT_LARGE ? UI_FONT_BODY : UI_FONT_SMALL;
}

int
ui_text_font(struct ui *ui, struct ui_rect r, int font, const char *text)
{
	char out[1024];
	size_t n = strlen(text), olen;
	int f;

	if (ui->measure == NULL)
		return font;
	for (f = font; f >= text_floor(font); f--)
		if (fits_at(ui, f, text, n, r, 1, out, sizeof(out), &olen))
			return f;
	return text_floor(font);
}

int
ui_text_fits(struct ui *ui, struct ui_rect r, int font, const char *text)
{
	char out[1024];
	size_t n = strlen(text), olen;
	int f;

	if (ui->measure == NULL)
		return 1;
	for (f = font; f >= text_floor(font); f--)
		if (fits_at(ui, f, text, n, r, 1, out, sizeof(out), &olen))
			return 1;
	return 0;
}

int
ui_button_w(struct ui *ui, int font, const char *text)
{
	int w, h;

	measure(ui, font, text, strlen(text), &w, &h);
	return w + 2 * ui_mm(ui, 1.5f) + 2;
}

/*
 * Fits text into r (see UI_TEXT_* in ui.h), from font down to floor, and
 * pushes the command; returns it, or NULL when nothing was drawn.
 */
static struct ui_cmd *
text_push(struct ui *ui, struct ui_rect r, int font, int floor, int color,
    int align, int flags, const char *text)
{
	static const char ell[] = "…";
	struct ui_cmd *c;
	size_t len = strlen(text), cap, olen = len, cut;
	char *out = ui->text + ui->text_len;
	int f = font, tw, th, lines;

	if (len == 0)
		return NULL;
	cap = UI_TEXT_MAX - ui->text_len;
	if (len > cap) {
		ui->overflow = 1;
		return NULL;
	}
	if (ui->measure == NULL) {
		memcpy(out, text, len);
	} else {
		for (f = font; f >= floor; f--)
			if (fits_at(ui, f, text, len, r,
			        !(flags & UI_TEXT_TRUNCATE), out, cap, &olen))
				break;
		if (f < floor) {
			f = floor;
			if (flags & UI_TEXT_TRUNCATE) {
				/* One line, cut with "…". */
				measure(ui, f, ell, strlen(ell), &tw, &th);
				cut = strcspn(text, "\n");
				cut = fit_prefix(ui, f, text, cut, r.w - tw);
				if (cut + sizeof(ell) > cap) {
					ui->overflow = 1;
					return NULL;
				}
				memcpy(out, text, cut);
				memcpy(out + cut, ell, strlen(ell));
				olen = cut + strlen(ell);
				flags |= UI_TEXT_CUT;
			} else {
				flags |= UI_TEXT_NOFIT;
				if (!wrap(ui, f, text, len, r.w, out, cap,
				        &olen, &lines)) {
					memcpy(out, text, len);
					olen = len;
				}
			}
		}
	}
	c = push(ui, UI_CMD_TEXT, r);
	if (c == NULL)
		return NULL;
	c->color = (uint8_t) color;
	c->font = (uint8_t) f;
	c->want = (uint8_t) font;
	c->aux = (uint8_t) align;
	c->tflags = (uint8_t) flags;
	c->group = ui->group;
	c->text_off = (uint32_t) ui->text_len;
	c->text_len = (uint32_t) olen;
	ui->text_len += olen;
	return c;
}

void
ui_text_ex(struct ui *ui, struct ui_rect r, int font, int color, int align,
    int flags, const char *text)
{
	text_push(ui, r, font, text_floor(font), color, align,
	    flags & UI_TEXT_TRUNCATE, text);
}

void
ui_text(struct ui *ui, struct ui_rect r, int font, int color, int align,
    const char *text)
{
	ui_text_ex(ui, r, font, color, align, 0, text);
}

void
ui_icon(struct ui *ui, struct ui_rect r, int icon, int color)
{
	struct ui_cmd *c = push(ui, UI_CMD_ICON, r);

	if (c != NULL) {
		c->color = (uint8_t) color;
		c->aux = (uint8_t) icon;
	}
}

int
ui_fit_font(struct ui *ui, int max_font, const char *text, int w)
{
	int f, tw, th;

	if (ui->measure == NULL)
		return max_font;
	for (f = max_font; f > text_floor(max_font); f--) {
		ui->measure(ui->measure_arg, f, text, strlen(text), &tw, &th);
		if (tw <= w)
			return f;
	}
	return text_floor(max_font);
}

int
ui_tap(struct ui *ui, uint32_t id, struct ui_rect r, int *pressed)
{
	int hit, tapped = 0;

	assert(id != 0);
	/* Physical millimetres here, not scaled ones. */
	if ((float) r.w < UI_MIN_TARGET_MM * ui->px_per_mm - 1 ||
	    (float) r.h < UI_MIN_TARGET_MM * ui->px_per_mm - 1)
		ui->small_targets++;
	r.y += ui->list_dy;
	hit = ui_contains(r, ui->px, ui->py) && clip_hit(ui, ui->px, ui->py);
	/* The last widget drawn under the finger takes the press, so a
	 * dialog drawn over a screen wins. */
	if (ui->ev.kind == UI_EV_DOWN && hit)
		ui->active = id;
	if (ui->active == id) {
		ui->active_seen = 1;
		if (ui->ev.kind == UI_EV_UP && hit && !ui->dragging)
			tapped = 1;
	}
	if (pressed != NULL)
		*pressed = ui->active == id && ui->down && hit && !ui->dragging;
	return tapped;
}

static void
face_colors(int style, int pressed, int *face, int *fg)
{
	*fg = UI_C_TEXT;
	switch (style) {
	case UI_BTN_PRIMARY:
		*face = UI_C_PRIMARY;
		*fg = UI_C_ON_PRIMARY;
		break;
	case UI_BTN_SELECTED:
		*face = UI_C_SELECTED;
		*fg = UI_C_ON_PRIMARY;
		break;
	case UI_BTN_DONE:
		*face = UI_C_OK_SOFT;
		break;
	case UI_BTN_DANGER:
		*face = UI_C_DANGER;
		*fg = UI_C_ON_PRIMARY;
		break;
	case UI_BTN_QUIET:
		*face = UI_C_PANEL;
		break;
	default:
		*face = UI_C_BUTTON;
		break;
	}
	if (pressed) {
		*face = UI_C_PRESSED;
		*fg = UI_C_ON_PRIMARY;
	}
}

/* The box of a button's label: r without its padding, the tick's room
 * (always kept when worst, for fitting a group), and the second line. */
static struct ui_rect
label_box(struct ui *ui, struct ui_rect r, int tick, const char *sub,
    struct ui_rect *tick_r, struct ui_rect *sub_r)
{
	struct ui_rect t = ui_inset(r, ui_mm(ui, 1.5f)), none = {0, 0, 0, 0};
	int ic = ui->font_px[UI_FONT_BODY];

	*tick_r = none;
	*sub_r = none;
	if (tick && ic < t.h && t.w > 3 * ic)
		*tick_r = ui_cut_right(&t, ic);
	if (sub != NULL && *sub != '\0')
		*sub_r = ui_cut_bottom(&t, ui->font_px[UI_FONT_SMALL]);
	return t;
}

void
ui_group_begin(struct ui *ui, uint32_t gid, int font)
{
	ui->group = gid;
	ui->group_font = font;
	ui->group_want = font;
}

void
ui_group_fit(
    struct ui *ui, struct ui_rect r, const char *label, const char *sub)
{
	struct ui_rect t, ir, sr;
	int f;

	if (ui->group == 0)
		return;
	/* With the tick's room: a choice keeps its size when chosen. */
	t = label_box(ui, r, 1, sub, &ir, &sr);
	f = ui_text_font(ui, t, ui->group_font, label);
	/* Never below the smallest size of the size the group asked. */
	if (f < text_floor(ui->group_want))
		f = text_floor(ui->group_want);
	if (f < ui->group_font)
		ui->group_font = f;
}

void
ui_group_end(struct ui *ui)
{
	ui->group = 0;
}

int
ui_button2(struct ui *ui, uint32_t id, struct ui_rect r, int style, int font,
    const char *label, const char *sub)
{
	int pressed, tapped, face, fg, f, floor, tick;
	struct ui_rect t, ir, sr;
	char out[1024];
	size_t olen;
	struct ui_cmd *c;

	tapped = ui_tap(ui, id, r, &pressed);
	face_colors(style, pressed, &face, &fg);
	ui->owner = id;
	ui_rect(ui, r, face);
	if (style == UI_BTN_NORMAL || style == UI_BTN_DONE)
		ui_frame(ui, r, UI_C_BORDER, ui_mm(ui, 0.3f));
	tick = style == UI_BTN_DONE || style == UI_BTN_SELECTED;
	t = label_box(ui, r, tick, sub, &ir, &sr);
	f = ui->group != 0 ? ui->group_font : font;
	floor = ui->group != 0 ? f : text_floor(font);
	if (ir.w > 0) {
		ui_icon(ui, ir, UI_ICON_CHECK,
		    pressed                    ? UI_C_ON_PRIMARY
		        : style == UI_BTN_DONE ? UI_C_OK
		                               : UI_C_ON_PRIMARY);
		/* Keep the label centred, unless that would cut it. */
		struct ui_rect cen = t;
		ui_cut_left(&cen, ir.w);
		if (ui->measure == NULL ||
		    fits_at(ui, f, label, strlen(label), cen, 1, out,
		        sizeof(out), &olen))
			t = cen;
	}
	if (sr.w > 0) {
		/* The second line is not the group's label. */
		uint32_t gid = ui->group;
		ui->group = 0;
		text_push(ui, sr, UI_FONT_SMALL, UI_FONT_SMALL,
		    pressed               ? UI_C_ON_PRIMARY
		        : fg == UI_C_TEXT ? UI_C_MUTED
		                          : fg,
		    UI_ALIGN_CENTER, 0, sub);
		ui->group = gid;
	}
	c = text_push(ui, t, f, floor, fg, UI_ALIGN_CENTER, 0, label);
	if (c != NULL)
		c->want = (uint8_t) font;
	ui->owner = 0;
	return tapped;
}

int
ui_button(struct ui *ui, uint32_t id, struct ui_rect r, int style, int font,
    const char *label)
{
	return ui_button2(ui, id, r, style, font, label, NULL);
}

static void
clip_push(struct ui *ui, struct ui_rect r)
{
	struct ui_cmd *c;

	if (ui->nclip < UI_CLIP_DEPTH)
		ui->clip[ui->nclip++] = r;
	c = push(ui, UI_CMD_CLIP, r);
	(void) c;
}

static void
clip_pop(struct ui *ui)
{
	struct ui_rect none = {0, 0, 0, 0};
	int dy = ui->list_dy;

	if (ui->nclip > 0)
		ui->nclip--;
	ui->list_dy = 0;
	push(ui, UI_CMD_CLIP, ui->nclip > 0 ? ui->clip[ui->nclip - 1] : none);
	ui->list_dy = dy;
}

void
ui_list_begin(
    struct ui *ui, struct ui_scroll *s, struct ui_rect r, int content_h)
{
	float dt, dy;

	s->max_off = content_h > r.h ? content_h - r.h : 0;
	switch (ui->ev.kind) {
	case UI_EV_DOWN:
		if (ui_contains(r, ui->px, ui->py)) {
			s->tracking = 1;
			s->vel = 0;
			s->drag_vel = 0;
			s->last_y = (float) ui->py;
			s->last_ms = ui->now_ms;
		}
		break;
	case UI_EV_MOVE:
	case UI_EV_UP:
		if (!s->tracking || !ui->dragging)
			break;
		ui->drag_list = s;
		dy = (float) ui->py - s->last_y;
		dt = (float) (ui->now_ms - s->last_ms);
		s->off -= dy;
		if (dt > 0) {
			/* Smooth the velocity over the last moves. */
			s->drag_vel = 0.6f * (-dy / dt) + 0.4f * s->drag_vel;
			s->last_ms = ui->now_ms;
		}
		s->last_y = (float) ui->py;
		if (ui->ev.kind == UI_EV_UP) {
			s->vel = s->drag_vel;
			s->tracking = 0;
		}
		break;
	case UI_EV_NONE:
		break;
	}
	if (ui->ev.kind == UI_EV_UP && s->tracking) {
		s->tracking = 0;
		s->vel = 0;
	}
	if (!s->tracking && s->vel != 0) {
		dt = (float) (ui->now_ms - s->last_ms);
		if (dt > 0) {
			/* Exact integral of an exponential decay. */
			float k = expf(-dt / FLING_TAU_MS);
			s->off += s->vel * FLING_TAU_MS * (1 - k);
			s->vel *= k;
			s->last_ms = ui->now_ms;
		}
		if (fabsf(s->vel) < FLING_MIN)
			s->vel = 0;
		else
			ui_wake_at(ui, ui->now_ms + FRAME_MS);
	}
	if (s->off < 0) {
		s->off = 0;
		s->vel = 0;
	}
	if (s->off > (float) s->max_off) {
		s->off = (float) s->max_off;
		s->vel = 0;
	}
	clip_push(ui, r);
	ui->list_dy = -(int) lroundf(s->off);
}

void
ui_list_end(struct ui *ui, struct ui_scroll *s)
{
	(void) s;
	ui->list_dy = 0;
	clip_pop(ui);
}

struct ui_rect
ui_cut_top(struct ui_rect *r, int h)
{
	struct ui_rect o = *r;

	if (h > r->h)
		h = r->h;
	o.h = h;
	r->y += h;
	r->h -= h;
	return o;
}

struct ui_rect
ui_cut_bottom(struct ui_rect *r, int h)
{
	struct ui_rect o = *r;

	if (h > r->h)
		h = r->h;
	r->h -= h;
	o.y = r->y + r->h;
	o.h = h;
	return o;
}

struct ui_rect
ui_cut_left(struct ui_rect *r, int w)
{
	struct ui_rect o = *r;

	if (w > r->w)
		w = r->w;
	o.w = w;
	r->x += w;
	r->w -= w;
	return o;
}

struct ui_rect
ui_cut_right(struct ui_rect *r, int w)
{
	struct ui_rect o = *r;

	if (w > r->w)
		w = r->w;
	r->w -= w;
	o.x = r->x + r->w;
	o.w = w;
	return o;
}

struct ui_rect
ui_inset(struct ui_rect r, int d)
{
	if (2 * d > r.w)
		d = r.w / 2;
	if (2 * d > r.h)
		d = r.h / 2;
	r.x += d;
	r.y += d;
	r.w -= 2 * d;
	r.h -= 2 * d;
	return r;
}

struct ui_rect
ui_grid_cell(struct ui_rect r, int cols, int cw, int ch, int g, int i)
{
	struct ui_rect c;

	assert(cols > 0);
	c.x = r.x + (i % cols) * (cw + g);
	c.y = r.y + (i / cols) * (ch + g);
	c.w = cw;
	c.h = ch;
	return c;
}

/* Cuts an incomplete UTF-8 sequence off the end of buf (length o). */
static void
utf8_trim(char *buf, size_t o)
{
	size_t i = o, need;
	uint8_t c;

	while (i > 0 && ((uint8_t) buf[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	c = (uint8_t) buf[i - 1];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (o - (i - 1) < need)
		buf[i - 1] = '\0';
}

void
ui_fmt(char *buf, size_t len, const char *tmpl, const char *a1, const char *a2,
    const char *a3)
{
	const char *args[3] = {a1, a2, a3};
	size_t o = 0, n;
	const char *p, *a;

	if (len == 0)
		return;
	for (p = tmpl; *p != '\0';) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '3' && p[2] == '}') {
			a = args[p[1] - '1'];
			p += 3;
			if (a == NULL)
				continue;
			n = strlen(a);
		} else {
			a = p;
			n = 1;
			p++;
		}
		if (o + n >= len) {
			n = len - 1 - o;
			/* Do not cut a UTF-8 sequence in half. */
			while (n > 0 && ((uint8_t) a[n] & 0xc0) == 0x80)
				n--;
			memcpy(buf + o, a, n);
			o += n;
			break;
		}
		memcpy(buf + o, a, n);
		o += n;
	}
	buf[o] = '\0';
	utf8_trim(buf, o);
}

/* ---- the layout check ---- */

static int
covers_window(const struct ui *ui, struct ui_rect r)
{
	return r.x <= 0 && r.y <= 0 && r.x + r.w >= ui->w && r.y + r.h >= ui->h;
}

static struct ui_rect
intersect(struct ui_rect a, struct ui_rect b)
{
	int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
	int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
	int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
	struct ui_rect r = {x0, y0, x1 - x0, y1 - y0};

	if (r.w < 0)
		r.w = 0;
	if (r.h < 0)
		r.h = 0;
	return r;
}

/* Whether text ends with a single "…" (a truncation; "……" is the
 * Chinese ellipsis of a sentence, "connecting……"). */
static int
ends_truncated(const char *s, size_t n)
{
	static const char e[] = "…";
	size_t l = sizeof(e) - 1;

	if (n < l || memcmp(s + n - l, e, l) != 0)
		return 0;
	return n < 2 * l || memcmp(s + n - 2 * l, e, l) != 0;
}

/*
 * Where the glyphs of text command c are, as the platform draws it
 * (platform_sdl.c: lines centred vertically in the box, aligned in it, cut
 * at the right when too wide), and its natural size in *tw, *th.
 */
static struct ui_rect
ink_rect(struct ui *ui, const struct ui_cmd *c, int *tw, int *th)
{
	const char *s = ui->text + c->text_off;
	struct ui_rect k;
	int h;

	measure(ui, c->font, s, c->text_len, tw, th);
	h = ink_h(ui, c->font, count_lines(s, c->text_len));
	k.w = *tw;
	k.h = h;
	k.y = c->r.y + (c->r.h - h) / 2;
	if (c->aux == UI_ALIGN_CENTER)
		k.x = c->r.x + (c->r.w - k.w) / 2;
	else if (c->aux == UI_ALIGN_RIGHT)
		k.x = c->r.x + c->r.w - k.w;
	else
		k.x = c->r.x;
	if (k.w > c->r.w) {
		k.x = c->r.x;
		k.w = c->r.w;
	}
	return k;
}

static void
add(struct ui_problem *out, size_t n, size_t *np, int kind, size_t cmd,
    size_t other)
{
	if (*np < n) {
		out[*np].kind = (enum ui_problem_kind) kind;
		out[*np].cmd = cmd;
		out[*np].other = other;
	}
	(*np)++;
}

size_t
ui_check(struct ui *ui, struct ui_problem *out, size_t n)
{
	static struct ui_rect ink[UI_CMD_MAX];
	struct ui_rect clip = {0, 0, ui->w, ui->h}, o;
	size_t top = 0, i, j, np = 0;
	const struct ui_cmd *c, *d;
	int tw, th;

	if (ui->measure == NULL)
		return 0;
	for (i = 0; i < ui->ncmd; i++)
		if (ui->cmd[i].kind == UI_CMD_RECT &&
		    covers_window(ui, ui->cmd[i].r))
			top = i;
	for (i = 0; i < ui->ncmd; i++) {
		c = &ui->cmd[i];
		memset(&ink[i], 0, sizeof(ink[i]));
		if (c->kind == UI_CMD_CLIP) {
			clip = c->r.w > 0
			    ? c->r
			    : (struct ui_rect){0, 0, ui->w, ui->h};
			continue;
		}
		if (i < top)
			continue;
		if (c->kind == UI_CMD_RECT && c->owner != 0) {
			/* A button's face over a text drawn before it. */
			ink[i] = intersect(c->r, clip);
			for (j = top; j < i && ink[i].w > 0 && ink[i].h > 0;
			     j++) {
				d = &ui->cmd[j];
				if (d->kind != UI_CMD_TEXT ||
				    d->owner == c->owner)
					continue;
				o = intersect(ink[i], ink[j]);
				if (o.w > 1 && o.h > 1)
					add(out, n, &np, UI_P_OVERLAP, j, i);
			}
			continue;
		}
		if (c->kind != UI_CMD_TEXT)
			continue;
		ink[i] = ink_rect(ui, c, &tw, &th);
		if (!(c->tflags & UI_TEXT_CUT) &&
		    (tw > c->r.w || ink[i].h > c->r.h + 1))
			add(out, n, &np, UI_P_CLIPPED, i, i);
		if (!(c->tflags & UI_TEXT_CUT) &&
		    ends_truncated(ui->text + c->text_off, c->text_len))
			add(out, n, &np, UI_P_ELLIPSIS, i, i);
		if (c->font < text_floor(c->want))
			add(out, n, &np, UI_P_SMALL, i, i);
		ink[i] = intersect(ink[i], clip);
		if (ink[i].w == 0 || ink[i].h == 0)
			continue;
		for (j = top; j < i; j++) {
			d = &ui->cmd[j];
			if (ink[j].w == 0 || ink[j].h == 0)
				continue;
			if (d->kind == UI_CMD_TEXT && d->group != 0 &&
			    d->group == c->group && d->font != c->font)
				add(out, n, &np, UI_P_GROUP, i, j);
			/* A label and the face of its own button, or a
			 * button's two lines, belong together. */
			if (c->owner != 0 && d->owner == c->owner)
				continue;
			if (d->kind == UI_CMD_RECT && d->owner == 0)
				continue;
			o = intersect(ink[i], ink[j]);
			/* A pixel of antialiasing is not an overlap. */
			if (o.w > 1 && o.h > 1)
				add(out, n, &np, UI_P_OVERLAP, i, j);
		}
	}
	return np;
}

/* How much of a text to show in a sentence: up to 90 bytes, cut at a
 * UTF-8 boundary. */
static int
show_len(const struct ui *ui, const struct ui_cmd *c)
{
	size_t n = c->text_len > 90 ? 90 : c->text_len;

	while (n > 0 && n < c->text_len &&
	    ((uint8_t) ui->text[c->text_off + n] & 0xc0) == 0x80)
		n--;
	return (int) n;
}

void
ui_problem_str(
    const struct ui *ui, const struct ui_problem *p, char *buf, size_t len)
{
	static const char *const what[] = {"clipped",
	    "cut with … but not "
	    "truncatable",
	    "shrunk below the smallest size", "overlaps",
	    "in a group of "
	    "another size"};
	const struct ui_cmd *c = &ui->cmd[p->cmd], *d = &ui->cmd[p->other];
	char other[200] = "";
	int cl = show_len(ui, c), dl = show_len(ui, d);

	if (p->kind == UI_P_OVERLAP || p->kind == UI_P_GROUP) {
		if (d->kind == UI_CMD_TEXT)
			snprintf(other, sizeof(other), " \"%.*s\" (font %d)",
			    dl, ui->text + d->text_off, d->font);
		else
			snprintf(other, sizeof(other),
			    " a button at %d,%d %dx%d", d->r.x, d->r.y, d->r.w,
			    d->r.h);
	}
	snprintf(buf, len, "\"%.*s\" (font %d of %d, box %d,%d %dx%d) %s%s", cl,
	    ui->text + c->text_off, c->font, c->want, c->r.x, c->r.y, c->r.w,
	    c->r.h, what[p->kind], other);
}
