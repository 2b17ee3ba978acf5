/*
 * ui.c: the touch toolkit (see ui.h).  Owns press/tap/drag decisions and
 * the command list; knows nothing of SDL, the store or the screens.
 */
#include <assert.h>
#include <math.h>
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

void
ui_text(struct ui *ui, struct ui_rect r, int font, int color, int align,
    const char *text)
{
	struct ui_cmd *c;
	size_t len = strlen(text);

	if (len == 0)
		return;
	if (ui->text_len + len > UI_TEXT_MAX) {
		ui->overflow = 1;
		return;
	}
	c = push(ui, UI_CMD_TEXT, r);
	if (c == NULL)
		return;
	c->color = (uint8_t) color;
	c->font = (uint8_t) font;
	c->aux = (uint8_t) align;
	c->text_off = (uint32_t) ui->text_len;
	c->text_len = (uint32_t) len;
	memcpy(ui->text + ui->text_len, text, len);
	ui->text_len += len;
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
	for (f = max_font; f > 0; f--) {
		ui->measure(ui->measure_arg, f, text, strlen(text), &tw, &th);
		if (tw <= w)
			return f;
	}
	return 0;
}

/* Whether text fits in w at max_font or a smaller font. */
static int
ui_fit_fits(struct ui *ui, int max_font, const char *text, int w)
{
	int f = ui_fit_font(ui, max_font, text, w), tw, th;

	if (ui->measure == NULL)
		return 1;
	ui->measure(ui->measure_arg, f, text, strlen(text), &tw, &th);
	return tw <= w;
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

int
ui_button2(struct ui *ui, uint32_t id, struct ui_rect r, int style, int font,
    const char *label, const char *sub)
{
	int pressed, tapped, face, fg, f, pad, sub_h, ic;
	struct ui_rect t = r;

	tapped = ui_tap(ui, id, r, &pressed);
	face_colors(style, pressed, &face, &fg);
	ui_rect(ui, r, face);
	if (style == UI_BTN_NORMAL || style == UI_BTN_DONE)
		ui_frame(ui, r, UI_C_BORDER, ui_mm(ui, 0.3f));
	pad = ui_mm(ui, 1.5f);
	t = ui_inset(r, pad);
	if (style == UI_BTN_DONE || style == UI_BTN_SELECTED) {
		ic = ui->font_px[UI_FONT_BODY];
		if (ic < t.h && t.w > 3 * ic) {
			struct ui_rect ir = ui_cut_right(&t, ic);
			ui_icon(ui, ir, UI_ICON_CHECK,
			    pressed                    ? UI_C_ON_PRIMARY
			        : style == UI_BTN_DONE ? UI_C_OK
			                               : UI_C_ON_PRIMARY);
			/* Keep the label centred, unless that would cut it. */
			if (ui_fit_fits(ui, font, label, t.w - ic))
				ui_cut_left(&t, ic);
		}
	}
	if (sub != NULL && *sub != '\0') {
		sub_h = ui->font_px[UI_FONT_SMALL];
		struct ui_rect sr = ui_cut_bottom(&t, sub_h);
		ui_text(ui, sr, UI_FONT_SMALL,
		    pressed               ? UI_C_ON_PRIMARY
		        : fg == UI_C_TEXT ? UI_C_MUTED
		                          : fg,
		    UI_ALIGN_CENTER, sub);
	}
	f = ui_fit_font(ui, font, label, t.w);
	/* A line is about 1.45 em high (CJK fonts): fit the height too. */
	while (f > 0 && ui->font_px[f] * 4 / 3 > t.h)
		f--;
	ui_text(ui, t, f, fg, UI_ALIGN_CENTER, label);
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
