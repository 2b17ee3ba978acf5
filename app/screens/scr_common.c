/*
 * scr_common.c: pieces every screen uses: the header band with the back
 * button and the clock, a scrolling grid of buttons, margins.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scr.h"
#include "status.h"

int
scr_margin(const struct kiosk *k)
{
	return ui_mm(&k->ui, 3);
}

int
scr_gap(const struct kiosk *k)
{
	return ui_mm(&k->ui, 2);
}

void
scr_text_right(
    struct kiosk *k, struct ui_rect *row, int font, int color, const char *text)
{
	struct ui *ui = &k->ui;
	int w = ui->font_px[font] * 6, h;
	struct ui_rect r;

	if (ui->measure != NULL)
		ui->measure(ui->measure_arg, font, text, strlen(text), &w, &h);
	r = ui_cut_right(row, w + scr_gap(k));
	ui_text(ui, r, font, color, UI_ALIGN_RIGHT, text);
}

void
scr_clock(const struct kiosk *k, char *date, size_t dlen, char *hm, size_t hlen)
{
	time_t t =
	    (time_t) ((k->now_ms / 1000) + (int64_t) k->cfg->tz_min * 60);
	char y[16], m[16], d[16], key[24], hh[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(y, sizeof(y), "%d", tm.tm_year + 1900);
	snprintf(m, sizeof(m), "%d", tm.tm_mon + 1);
	snprintf(d, sizeof(d), "%d", tm.tm_mday);
	snprintf(key, sizeof(key), "weekday.%d", tm.tm_wday);
	if (date != NULL) {
		char ymd[64];
		ui_fmt(ymd, sizeof(ymd), kiosk_s(k, "clock.date"), y, m, d);
		ui_fmt(date, dlen, "{1} {2}", ymd, kiosk_s(k, key), NULL);
	}
	if (hm != NULL) {
		snprintf(hh, sizeof(hh), "%02d:%02d", tm.tm_hour, tm.tm_min);
		snprintf(hm, hlen, "%s", hh);
	}
}

void
scr_failed(struct kiosk *k, int rc, int loading)
{
	if (rc == GU_ECORRUPT)
		kiosk_store_damaged(k);
	else if (rc == GU_EFULL)
		kiosk_message(k, "msg.store_full", 1);
	else
		kiosk_message(
		    k, loading ? "msg.load_failed" : "msg.save_failed", 1);
}

int
scr_header(
    struct kiosk *k, struct ui_rect *body, const char *title, int with_back)
{
	struct ui *ui = &k->ui;
	struct ui_rect all = {0, 0, ui->w, ui->h}, bar, b, clk;
	char hm[16];
	int tapped = 0, bh, m = scr_margin(k), cw, th;

	bh = ui_mm(ui, 14);
	if (bh < ui->font_px[UI_FONT_LARGE] * 3 / 2)
		bh = ui->font_px[UI_FONT_LARGE] * 3 / 2;
	bar = ui_cut_top(&all, bh);
	ui_rect(ui, bar, UI_C_PANEL);
	ui_rect(ui, (struct ui_rect){bar.x, bar.y + bar.h - 1, bar.w, 1},
	    UI_C_BORDER);
	bar = ui_inset(bar, ui_mm(ui, 1.5f));
	if (with_back) {
		b = ui_cut_left(&bar, ui_mm(ui, 30));
		/* The back button: an arrow and a word, a 9 mm+ target. */
		tapped = ui_button(ui, ui_id("hdr.back", k->scr), b,
		    UI_BTN_NORMAL, UI_FONT_BODY,
		    kiosk_s(k,
		        with_back == SCR_BACK_SIGNOUT ? "staff.signout"
		                                      : "common.back"));
		ui_cut_left(&bar, m);
	}
	scr_clock(k, NULL, 0, hm, sizeof(hm));
	cw = ui->font_px[UI_FONT_BODY] * 3;
	if (ui->measure != NULL)
		ui->measure(
		    ui->measure_arg, UI_FONT_BODY, hm, strlen(hm), &cw, &th);
	clk = ui_cut_right(&bar, cw + m);
	ui_text(ui, clk, UI_FONT_BODY, UI_C_MUTED, UI_ALIGN_RIGHT, hm);
	ui_wake_at(ui, (k->now_ms / 60000 + 1) * 60000);
	ui_text(ui, bar, ui_fit_font(ui, UI_FONT_LARGE, title, bar.w),
	    UI_C_TEXT, UI_ALIGN_LEFT, title);
	*body = ui_inset(all, m);
	return tapped;
}

/*
 * What a grid measured of its labels (the widest, the group's size), kept
 * for the visit of the screen: the labels of a grid (names, classes,
 * topics) do not change while it shows, and measuring 600 names every
 * frame would cost a scrolling list its frame time.  A new visit, size,
 * count or grid measures again.
 */
struct grid_memo {
	int valid;
	const char *id;
	enum scr scr;
	int64_t since_ms;
	size_t n;
	int w, h, rw;
	float min_w_mm, cell_h_mm;
	int font;  /* asked */
	int need;  /* the widest label, pixels */
	int gfont; /* the group's size */
};

static struct grid_memo *
grid_memo(struct kiosk *k, struct ui_rect r, size_t n, float min_w_mm,
    float cell_h_mm, int font, const char *id)
{
	static struct grid_memo memo[4];
	static unsigned next;
	struct grid_memo *m;
	size_t i;

	for (i = 0; i < 4; i++) {
		m = &memo[i];
		if (m->valid && m->id == id && m->scr == k->scr &&
		    m->since_ms == k->scr_since_ms && m->n == n &&
		    m->w == k->ui.w && m->h == k->ui.h && m->rw == r.w &&
		    m->min_w_mm == min_w_mm && m->cell_h_mm == cell_h_mm &&
		    m->font == font)
			return m;
	}
	m = &memo[next++ % 4];
	memset(m, 0, sizeof(*m));
	m->id = id;
	m->scr = k->scr;
	m->since_ms = k->scr_since_ms;
	m->n = n;
	m->w = k->ui.w;
	m->h = k->ui.h;
	m->rw = r.w;
	m->min_w_mm = min_w_mm;
	m->cell_h_mm = cell_h_mm;
	m->font = font;
	return m;
}

int
scr_grid(struct kiosk *k, struct ui_rect r, struct ui_scroll *s, size_t n,
    float min_w_mm, float cell_h_mm, int font, scr_label_fn label,
    const char *id)
{
	struct ui *ui = &k->ui;
	int cols, cw, ch, g = scr_gap(k), rows, content, tapped = -1, style;
	int need = 0, tw, th;
	const char *sub, *text;
	struct grid_memo *m;
	size_t i;

	m = grid_memo(k, r, n, min_w_mm, cell_h_mm, font, id);
	/* Cells wide enough for the widest label on one line in the
	 * smallest size a label may have (its padding and a tick beside);
	 * measured once per visit of the screen, for a class of 600. */
	if (!m->valid) {
		for (i = 0; i < n && ui->measure != NULL; i++) {
			style = UI_BTN_NORMAL;
			sub = NULL;
			text = label(k, i, &style, &sub);
			ui->measure(ui->measure_arg, UI_FONT_BODY, text,
			    strlen(text), &tw, &th);
			if (tw > need)
				need = tw;
		}
		m->need = need;
	}
	need = m->need;
	cw = ui_mm(ui, min_w_mm);
	if (cw < need)
		cw = need < r.w ? need : r.w;
	cols = (r.w + g) / (cw + g);
	if (cols < 1)
		cols = 1;
	cw = (r.w - (cols - 1) * g) / cols;
	ch = ui_mm(ui, cell_h_mm);
	rows = (int) ((n + (size_t) cols - 1) / (size_t) cols);
	content = rows * ch + (rows > 0 ? (rows - 1) * g : 0);
	/* One text size for every cell: the largest all labels fit in. */
	ui_group_begin(ui, ui_id(id, -1), font);
	if (!m->valid) {
		for (i = 0; i < n; i++) {
			style = UI_BTN_NORMAL;
			sub = NULL;
			text = label(k, i, &style, &sub);
			ui_group_fit(
			    ui, (struct ui_rect){0, 0, cw, ch}, text, sub);
		}
		m->gfont = ui->group_font;
		m->valid = 1;
	}
	ui->group_font = m->gfont;
	ui_list_begin(ui, s, r, content);
	for (i = 0; i < n; i++) {
		struct ui_rect c = ui_grid_cell(r, cols, cw, ch, g, (int) i);
		/* Only rows near the view are labelled and drawn. */
		if (c.y - (int) s->off + ch < r.y ||
		    c.y - (int) s->off > r.y + r.h)
			continue;
		style = UI_BTN_NORMAL;
		sub = NULL;
		text = label(k, i, &style, &sub);
		if (ui_button2(
		        ui, ui_id(id, (int64_t) i), c, style, font, text, sub))
			tapped = (int) i;
	}
	ui_list_end(ui, s);
	ui_group_end(ui);
	return tapped;
}

/* Field f's label prefix in the strings table. */
static const char *
word_prefix(int f)
{
	switch (f) {
	case F_TYPE:
		return "type.";
	case F_CONCERNS:
	case F_PROBLEMS:
		return "concern.";
	case F_NOTES:
		return "note.";
	case F_MET:
		return "met.";
	case F_HAZARDS:
		return "hazard.";
	case F_ACTIONS:
		return "action.";
	case F_TOPICS:
		return "talk.";
	case F_DONE:
		return "done.";
	case F_REASON:
		return "reason.";
	case F_TOPIC:
		return "topic.";
	case F_GOALS:
		return "goal.";
	case F_MEASURES:
		return "measure.";
	case F_FOCUS_WHY:
		return "focus_why.";
	case F_ABSENCE:
		return "absence.";
	case F_OUTCOME:
		return "outcome.";
	default:
		return "word.";
	}
}

const char *
scr_word(const struct kiosk *k, int f, const char *w)
{
	char key[64];
	const char *s;

	snprintf(key, sizeof(key), "%s%s", word_prefix(f), w);
	s = strtab_find(k->str, key);
	return s != NULL ? s : w;
}

void
scr_face(struct kiosk *k, struct ui_rect r, int level)
{
	int size = r.w < r.h ? r.w : r.h;

	if (size < 12 || level < 1 || level > 5)
		return;
	/* Vector shapes drawn by the platform (platform_sdl.c: face()):
	 * sharp at every size, unlike strips of rectangles. */
	ui_icon(&k->ui, r, UI_ICON_FACE_1 + level - 1, UI_C_WARN);
}

void
scr_days_ago(const struct kiosk *k, int64_t t_ms, char *out, size_t len)
{
	uint32_t a, b;
	int64_t days;
	char n[24];

	if (t_ms == 0) {
		snprintf(out, len, "%s", kiosk_s(k, "care.never"));
		return;
	}
	a = domain_day_of(t_ms, k->cfg->tz_min);
	b = domain_day_of(k->now_ms, k->cfg->tz_min);
	days = (k->now_ms - t_ms) / 86400000LL;
	if (a == b) {
		snprintf(out, len, "%s", kiosk_s(k, "care.today"));
		return;
	}
	if (days < 1)
		days = 1;
	snprintf(n, sizeof(n), "%lld", (long long) days);
	ui_fmt(out, len, kiosk_s(k, "care.days_ago"), n, NULL, NULL);
}

void
scr_when(const struct kiosk *k, int64_t t_ms, char *out, size_t len)
{
	time_t t = (time_t) ((t_ms / 1000) + (int64_t) k->cfg->tz_min * 60);
	char m[16], d[16], hm[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(m, sizeof(m), "%d", tm.tm_mon + 1);
	snprintf(d, sizeof(d), "%d", tm.tm_mday);
	snprintf(hm, sizeof(hm), "%02d:%02d", tm.tm_hour, tm.tm_min);
	ui_fmt(out, len, kiosk_s(k, "care.when"), m, d, hm);
}

void
scr_day(const struct kiosk *k, const char *ymd, char *out, size_t len)
{
	char m[8], d[8];

	/* The shape only: the record schema has checked the day itself. */
	if (ymd == NULL || strlen(ymd) != 10 || ymd[4] != '-' ||
	    ymd[7] != '-' || strspn(ymd, "0123456789-") != 10) {
		snprintf(out, len, "%s", ymd != NULL ? ymd : "");
		return;
	}
	snprintf(m, sizeof(m), "%d", (ymd[5] - '0') * 10 + (ymd[6] - '0'));
	snprintf(d, sizeof(d), "%d", (ymd[8] - '0') * 10 + (ymd[9] - '0'));
	ui_fmt(out, len, kiosk_s(k, "common.day"), m, d, NULL);
}

struct ui_rect
scr_confirm_panel(struct kiosk *k, const char *who, const char *key)
{
	struct ui *ui = &k->ui;
	struct ui_rect all = {0, 0, ui->w, ui->h}, icon, name, foot;
	int s;

	ui_rect(ui, all, UI_C_OK_SOFT);
	all = ui_inset(all, scr_margin(k));
	foot = ui_cut_bottom(&all, ui_mm(ui, 15));
	s = all.h * 2 / 5;
	icon = ui_cut_top(&all, s);
	icon.x += (icon.w - s) / 2;
	icon.w = s;
	ui_rect(ui, ui_inset(icon, s / 10), UI_C_OK);
	ui_icon(ui, ui_inset(icon, s / 5), UI_ICON_CHECK, UI_C_ON_PRIMARY);
	name = ui_cut_top(&all, all.h / 2);
	ui_text(ui, name, ui_fit_font(ui, UI_FONT_HUGE, who, name.w), UI_C_TEXT,
	    UI_ALIGN_CENTER, who);
	ui_text(
	    ui, all, UI_FONT_LARGE, UI_C_OK, UI_ALIGN_CENTER, kiosk_s(k, key));
	return foot;
}

const char *
scr_pupil_tell(
    const struct kiosk *k, const struct dom_pupil *p, char *out, size_t len)
{
	char m[8], d[8];

	if (!p->same_name)
		return NULL;
	if (p->same_birthday || p->birth_month == 0) {
		ui_fmt(out, len, kiosk_s(k, "pupil.id_tail"), p->id_tail, NULL,
		    NULL);
		return out;
	}
	snprintf(m, sizeof(m), "%d", p->birth_month);
	snprintf(d, sizeof(d), "%d", p->birth_day);
	ui_fmt(out, len, kiosk_s(k, "pupil.born"), m, d, NULL);
	return out;
}

int
scr_keypad(struct kiosk *k, struct ui_rect r, char *pin, int locked)
{
	struct ui *ui = &k->ui;
	static const char *const keys[12] = {
	    "1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", NULL};
	int g = scr_gap(k), cw = (r.w - 2 * g) / 3, ch = (r.h - 3 * g) / 4;
	size_t len = strlen(pin);
	struct ui_rect c;
	const char *label;
	int i, style, entered = 0;

	for (i = 0; i < 12; i++) {
		c = ui_grid_cell(r, 3, cw, ch, g, i);
		label = keys[i];
		style = UI_BTN_NORMAL;
		if (i == 9)
			label = kiosk_s(k, "signin.clear");
		if (i == 11) {
			label = kiosk_s(k, "signin.enter");
			style = len >= 4 && !locked ? UI_BTN_PRIMARY
			                            : UI_BTN_NORMAL;
		}
		if (!ui_button(ui, ui_id("pin.key", i), c, style,
		        i == 9 || i == 11 ? UI_FONT_LARGE : UI_FONT_HUGE,
		        label))
			continue;
		if (locked)
			continue;
		if (i == 9)
			pin[0] = '\0';
		else if (i == 11)
			entered = len >= 4;
		else if (len < KIOSK_PIN_MAX) {
			pin[len] = label[0];
			pin[len + 1] = '\0';
		}
	}
	return entered;
}

void
scr_pin_dots(struct kiosk *k, struct ui_rect r, const char *pin)
{
	char dots[64];
	size_t len = strlen(pin), i, used = 0;

	/* One per digit entered, at least four. */
	for (i = 0; i < (len > 4 ? len : 4) && used + 8 < sizeof(dots); i++) {
		const char *d = i < len ? "\xe2\x97\x8f" : "\xe2\x97\x8b";
		if (i > 0)
			dots[used++] = ' ';
		memcpy(dots + used, d, 3);
		used += 3;
	}
	dots[used] = '\0';
	ui_text(&k->ui, r, UI_FONT_HUGE, UI_C_PRIMARY, UI_ALIGN_LEFT, dots);
}
