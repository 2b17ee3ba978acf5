/*
 * scr_coverage.c: the headteacher's coverage view (覆盖情况), reached from
 * his screen (scr_head.c), headteacher only.  Tabs 按班级 / 按导师; each row
 * (the whole school first) its children in care, three bars (the share
 * contacted in the last 30 days, visited this term, present at the last
 * pre-holiday lecture, with "18/24" beside each) and its open concerns
 * by age; the rows scroll.  A tap on a row lists its children: name, last
 * contact, last visit and the lecture, the figures that do not count in
 * red, those furthest behind first.  core/coverage.h computes it all;
 * docs/coverage.md says each definition.
 *
 * A row is one line where the screen is wide enough for its columns
 * (name, count, the three bars, the concerns), else two (the name and
 * the concerns, then the bars).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scr.h"
#include "status.h"

static const unsigned bar_marks[3] = {
    COV_M_CONTACTED, COV_M_VISITED, COV_M_LECTURED};
static const char *const bar_keys[3] = {
    "cov.contacted", "cov.visited", "cov.lectured"};

/* The widest name of each tab's rows, and of the open list (pixels);
 * measured on entering and on opening a list. */
static int name_need[2], kid_need;

static int
text_w(const struct kiosk *k, int font, const char *t)
{
	int w = k->ui.font_px[font] * (int) strlen(t) / 2, h;

	if (k->ui.measure != NULL)
		k->ui.measure(k->ui.measure_arg, font, t, strlen(t), &w, &h);
	return w;
}

/* The tab's rows: 0 the whole school, then the classes or mentors. */
static size_t
n_rows(const struct kiosk *k, int tab)
{
	return 1 + (tab ? k->cov.c.n_men : k->cov.c.n_cls);
}

static const struct cov_row *
row_at(const struct kiosk *k, int tab, size_t i)
{
	if (i == 0)
		return &k->cov.c.school;
	return tab ? &k->cov.c.men[i - 1] : &k->cov.c.cls[i - 1];
}

static const char *
row_name(const struct kiosk *k, int tab, size_t i)
{
	const struct cov_row *r = row_at(k, tab, i);

	if (i == 0)
		return kiosk_s(k, "cov.school");
	return r->name[0] != '\0' ? r->name : kiosk_s(k, "cov.no_mentor");
}

/* A row's title: "三年级1班 · 24 人", "赵老师 · 负责 12 人". */
static void
row_title(const struct kiosk *k, size_t i, char *out, size_t len)
{
	char n[16];

	snprintf(n, sizeof(n), "%u", row_at(k, k->cov.tab, i)->in_care);
	ui_fmt(out, len,
	    kiosk_s(k, k->cov.tab && i > 0 ? "cov.row_load" : "cov.row_n"),
	    row_name(k, k->cov.tab, i), n, NULL);
}

static void
scr_coverage_leave(struct kiosk *k)
{
	coverage_free(&k->cov.c);
	free(k->cov.idx);
	k->cov.idx = NULL;
	k->cov.n_idx = 0;
	k->cov.sel = -1;
}

static void
scr_coverage_enter(struct kiosk *k)
{
	int rc;

	scr_coverage_leave(k);
	if (k->ses.staff_id[0] == '\0' || !(k->ses.roles & ROLE_HEAD)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	care_policy_calendar(k->dom.store, &k->care, k->now_ms);
	rc = care_coverage(
	    k->dom.store, &k->care, k->now_ms, &k->ses, &k->cov.c);
	if (rc != GU_OK) {
		coverage_free(&k->cov.c);
		kiosk_go(k, SCR_HEAD);
		scr_failed(k, rc, 1);
		return;
	}
	for (int t = 0; t < 2; t++) {
		name_need[t] = 0;
		for (size_t i = 0; i < n_rows(k, t); i++) {
			int w = text_w(k, UI_FONT_BODY, row_name(k, t, i));
			if (w > name_need[t])
				name_need[t] = w;
		}
	}
}

/* ---- the layout ---- */

struct lay {
	int one_line;
	int rh;     /* a row's height */
	int pad;    /* inside a row */
	int name_w; /* one_line: the name's column */
	int n_w;    /* one_line: the count's column (0: none) */
	int conc_w; /* one_line: the concerns' column */
	int frac_w; /* the "18/24" beside a bar */
	int cx, cw; /* the three cells' span: from the row's x, width */
};

/* The frame's, for the rows (scr_coverage() sets them first). */
static struct lay lay, kid_lay;

static int
max_i(int a, int b)
{
	return a > b ? a : b;
}

/*
 * The layout of rows w wide whose names need name pixels; with_n: a
 * count column; cell_need: what each of the three cells needs at the
 * least.
 */
static struct lay
layout(const struct kiosk *k, int w, int name, int with_n, int cell_need)
{
	const struct ui *ui = &k->ui;
	int g = scr_gap(k), in;
	char widest[64], a[16];
	struct lay l;

	memset(&l, 0, sizeof(l));
	l.pad = ui_mm(ui, 1.5f);
	in = w - 2 * l.pad;
	snprintf(a, sizeof(a), "%u", k->cov.c.school.in_care);
	ui_fmt(widest, sizeof(widest), "{1}/{2}", a, a, NULL);
	l.frac_w = text_w(k, UI_FONT_SMALL, widest) + ui_mm(ui, 1.5f);
	l.name_w = name + g;
	if (with_n)
		l.n_w = max_i(text_w(k, UI_FONT_BODY, a),
		    max_i(text_w(k, UI_FONT_SMALL, kiosk_s(k, "cov.n_h")),
		        text_w(k, UI_FONT_SMALL, kiosk_s(k, "cov.load_h"))));
	ui_fmt(widest, sizeof(widest), kiosk_s(k, "cov.concerns_n"), "00", "00",
	    "00");
	l.conc_w = max_i(text_w(k, UI_FONT_SMALL, widest),
	    text_w(k, UI_FONT_SMALL, kiosk_s(k, "cov.concerns_h")));
	l.cw = in - l.name_w - (l.n_w ? l.n_w + g : 0) - l.conc_w - g;
	l.one_line = l.name_w <= in / 3 && (l.cw - 2 * g) / 3 >= cell_need;
	if (l.one_line) {
		l.cx = l.pad + l.name_w + (l.n_w ? l.n_w + g : 0);
		l.rh = ui->font_px[UI_FONT_BODY] * 3 / 2 + 2 * l.pad;
	} else {
		l.cx = l.pad;
		l.cw = in;
		l.rh = ui->font_px[UI_FONT_BODY] * 3 / 2 +
		    ui->font_px[UI_FONT_SMALL] * 8 / 5 + ui_mm(ui, 1) +
		    2 * l.pad;
	}
	return l;
}

/* Cell j of the three of a row at r. */
static struct ui_rect
cell(const struct kiosk *k, const struct lay *l, struct ui_rect r, int j)
{
	int g = scr_gap(k), w = (l->cw - 2 * g) / 3;

	return (struct ui_rect){r.x + l->cx + j * (w + g), r.y, w, r.h};
}

/* Splits a row at r into its name line and its second line (the cells'
 * band; the same line when one_line). */
static void
row_lines(const struct kiosk *k, const struct lay *l, struct ui_rect r,
    struct ui_rect *first, struct ui_rect *second)
{
	const struct ui *ui = &k->ui;

	r.y += l->pad;
	r.h -= 2 * l->pad;
	*first = r;
	*second = r;
	if (!l->one_line) {
		first->h = ui->font_px[UI_FONT_BODY] * 3 / 2;
		second->y = first->y + first->h + ui_mm(ui, 1);
		second->h = r.h - first->h - ui_mm(ui, 1);
	}
}

/* The right end of a row's first line: the concerns' column. */
static struct ui_rect
right_col(const struct lay *l, struct ui_rect line, int w)
{
	line.x = line.x + line.w - l->pad - w;
	line.w = w;
	return line;
}

/* ---- a row of the tab ---- */

/* One bar: the share of of n filled, "of/n" beside it. */
static void
bar(struct kiosk *k, const struct lay *l, struct ui_rect c, uint32_t of,
    uint32_t n)
{
	struct ui *ui = &k->ui;
	struct ui_rect t, track, fill;
	char a[16], b[16], frac[40];
	int low = n > 0 && of * 2 < n;

	snprintf(a, sizeof(a), "%u", of);
	snprintf(b, sizeof(b), "%u", n);
	ui_fmt(frac, sizeof(frac), "{1}/{2}", a, b, NULL);
	t = ui_cut_right(&c, l->frac_w);
	ui_text(ui, t, UI_FONT_SMALL, low ? UI_C_DANGER : UI_C_TEXT,
	    UI_ALIGN_RIGHT, frac);
	track = c;
	if (track.h > ui_mm(ui, 5)) {
		track.y += (track.h - ui_mm(ui, 5)) / 2;
		track.h = ui_mm(ui, 5);
	}
	ui_rect(ui, track, UI_C_BG);
	ui_frame(ui, track, UI_C_BORDER, 1);
	fill = track;
	fill.w = n > 0 ? (int) ((int64_t) track.w * of / n) : 0;
	if (fill.w > 0)
		ui_rect(ui, fill, low ? UI_C_DANGER : UI_C_PRIMARY);
}

/* Row i of the tab at r; returns 1 when tapped (when tappable). */
static int
row_draw(struct kiosk *k, struct ui_rect r, size_t i, int tappable)
{
	struct ui *ui = &k->ui;
	const struct lay *l = &lay;
	const struct cov_row *cr = row_at(k, k->cov.tab, i);
	const uint32_t of[3] = {cr->contacted, cr->visited, cr->lectured};
	struct ui_rect first, second, name;
	char buf[160], a[12], b[12], c[12];
	int pressed = 0, tapped, cw;

	tapped =
	    tappable && ui_tap(ui, ui_id("cov.row", (int64_t) i), r, &pressed);
	ui_rect(ui, r, pressed ? UI_C_BORDER : UI_C_PANEL);
	row_lines(k, l, r, &first, &second);
	/* The concerns by age, at the right. */
	snprintf(a, sizeof(a), "%u", cr->concerns[COV_AGE_WEEK]);
	snprintf(b, sizeof(b), "%u", cr->concerns[COV_AGE_MONTH]);
	snprintf(c, sizeof(c), "%u", cr->concerns[COV_AGE_OLDER]);
	ui_fmt(buf, sizeof(buf),
	    kiosk_s(k, l->one_line ? "cov.concerns_n" : "cov.concerns"), a, b,
	    c);
	cw = l->one_line ? l->conc_w : text_w(k, UI_FONT_SMALL, buf);
	ui_text(ui, right_col(l, first, cw), UI_FONT_SMALL,
	    cr->concerns[COV_AGE_OLDER] ? UI_C_DANGER
	        : cr->concerns[COV_AGE_WEEK] + cr->concerns[COV_AGE_MONTH]
	        ? UI_C_TEXT
	        : UI_C_MUTED,
	    UI_ALIGN_RIGHT, buf);
	/* The name (and the count). */
	name = first;
	name.x += l->pad;
	if (l->one_line) {
		struct ui_rect n = name;
		name.w = l->name_w;
		n.x += l->name_w;
		n.w = l->n_w;
		snprintf(a, sizeof(a), "%u", cr->in_care);
		ui_text(ui, n, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_RIGHT, a);
		snprintf(buf, sizeof(buf), "%s", row_name(k, k->cov.tab, i));
	} else {
		/* The name, then "负责 12 人" after it. */
		char cnt[48];
		struct ui_rect n;
		int g = scr_gap(k), nw, room;
		snprintf(a, sizeof(a), "%u", cr->in_care);
		ui_fmt(cnt, sizeof(cnt),
		    kiosk_s(
		        k, k->cov.tab && i > 0 ? "cov.load_of" : "cov.n_of"),
		    a, NULL, NULL);
		snprintf(buf, sizeof(buf), "%s", row_name(k, k->cov.tab, i));
		nw = text_w(k, UI_FONT_SMALL, cnt);
		room = name.w - 2 * l->pad - cw - 2 * g - nw;
		name.w = text_w(k, UI_FONT_BODY, buf);
		if (name.w > room)
			name.w = room;
		n = name;
		n.x += name.w + g;
		n.w = nw;
		ui_text(ui, n, UI_FONT_SMALL, UI_C_MUTED, UI_ALIGN_LEFT, cnt);
	}
	ui_text_ex(ui, name, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT,
	    UI_TEXT_TRUNCATE, buf);
	for (int j = 0; j < 3; j++)
		bar(k, l, cell(k, l, second, j), of[j], cr->in_care);
	return tapped;
}

static int
cov_row(struct kiosk *k, struct ui_rect r, size_t i)
{
	return row_draw(k, r, i, 1);
}

/* The headings over the columns of the rows, at the top of *r. */
static void
headings(struct kiosk *k, struct ui_rect *r)
{
	const struct lay *l = &lay;
	struct ui_rect h = ui_cut_top(r, k->ui.font_px[UI_FONT_SMALL] * 3 / 2);

	for (int j = 0; j < 3; j++)
		ui_text(&k->ui, cell(k, l, h, j), UI_FONT_SMALL, UI_C_MUTED,
		    UI_ALIGN_LEFT, kiosk_s(k, bar_keys[j]));
	if (l->one_line) {
		struct ui_rect n = h;
		n.x += l->pad + l->name_w;
		n.w = l->n_w;
		ui_text(&k->ui, n, UI_FONT_SMALL, UI_C_MUTED, UI_ALIGN_RIGHT,
		    kiosk_s(k, k->cov.tab ? "cov.load_h" : "cov.n_h"));
		ui_text(&k->ui, right_col(l, h, l->conc_w), UI_FONT_SMALL,
		    UI_C_MUTED, UI_ALIGN_RIGHT, kiosk_s(k, "cov.concerns_h"));
	}
}

/* ---- the list of a row's children ---- */

static int
key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

	return (x > y) - (x < y);
}

/* The list of row i: its children, those furthest behind first (fewest
 * figures counted), then in id order: a key of (figures << 32) | index. */
static void
open_row(struct kiosk *k, size_t i)
{
	const struct coverage *c = &k->cov.c;
	size_t n = 0;

	free(k->cov.idx);
	k->cov.idx = malloc((c->n_kids ? c->n_kids : 1) * sizeof(uint64_t));
	k->cov.n_idx = 0;
	if (k->cov.idx == NULL) {
		scr_failed(k, GU_ENOMEM, 1);
		return;
	}
	kid_need = 0;
	for (size_t j = 0; j < c->n_kids; j++) {
		unsigned m = c->marks[j];
		uint64_t score = (m & 1u) + (m >> 1 & 1u) + (m >> 2 & 1u);
		if (i != 0 &&
		    !coverage_in_row(
		        c, k->cov.tab, row_at(k, k->cov.tab, i), j))
			continue;
		k->cov.idx[n++] = score << 32 | (uint64_t) j;
		kid_need = max_i(
		    kid_need, text_w(k, UI_FONT_BODY, c->kids[j].child.name));
	}
	k->cov.n_idx = n;
	qsort(k->cov.idx, n, sizeof(uint64_t), key_cmp);
	k->cov.sel = (int) i;
	k->cov.rows_scroll = k->scroll;
	memset(&k->scroll, 0, sizeof(k->scroll));
}

/* One child of the list: the name and class (and open concerns), then
 * the last contact, the last visit and the lecture, red where they do
 * not count. */
static int
kid_row(struct kiosk *k, struct ui_rect r, size_t i)
{
	struct ui *ui = &k->ui;
	const struct lay *l = &kid_lay;
	size_t j = (size_t) (k->cov.idx[i] & 0xffffffffu);
	const struct child_summary *s = &k->cov.c.kids[j];
	unsigned m = k->cov.c.marks[j];
	static const char *const keys[2] = {
	    "cov.last_contact", "cov.last_visit"};
	const int64_t t[2] = {s->last_contact_ms, s->last_visit_ms};
	struct ui_rect first, second, name;
	char buf[160], when[48], n[16];
	int cw = 0;

	ui_rect(ui, r, UI_C_PANEL);
	row_lines(k, l, r, &first, &second);
	if (s->open_concerns != 0) {
		snprintf(n, sizeof(n), "%u", s->open_concerns);
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "cov.kid_concerns"), n,
		    NULL, NULL);
		cw = l->one_line ? l->conc_w : text_w(k, UI_FONT_SMALL, buf);
		ui_text(ui, right_col(l, first, cw), UI_FONT_SMALL, UI_C_DANGER,
		    UI_ALIGN_RIGHT, buf);
	}
	name = first;
	name.x += l->pad;
	if (l->one_line) {
		name.w = l->name_w;
		snprintf(buf, sizeof(buf), "%s", s->child.name);
	} else {
		name.w -= 2 * l->pad + (cw ? cw + scr_gap(k) : 0);
		ui_fmt(buf, sizeof(buf), "{1}  {2}", s->child.name,
		    s->child.class_name, NULL);
	}
	ui_text_ex(ui, name, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT,
	    UI_TEXT_TRUNCATE, buf);
	for (int c = 0; c < 3; c++) {
		const char *what = buf;
		struct ui_rect at = cell(k, l, second, c);
		if (c < 2) {
			scr_days_ago(k, t[c], when, sizeof(when));
			ui_fmt(buf, sizeof(buf), kiosk_s(k, keys[c]), when,
			    NULL, NULL);
		} else
			what = kiosk_s(k,
			    m & COV_M_LECTURED ? "cov.present" : "cov.absent");
		if (!l->one_line) {
			/* Two halves of the second line, the lecture on a
			 * third. */
			int g = scr_gap(k), w = (l->cw - g) / 2,
			    lh = ui->font_px[UI_FONT_SMALL] * 8 / 5;
			at = second;
			at.x += l->cx + (c == 1 ? w + g : 0);
			at.w = w;
			at.h = lh;
			if (c == 2)
				at.y += lh + ui_mm(ui, 1);
		}
		ui_text_ex(ui, at, UI_FONT_SMALL,
		    m & bar_marks[c] ? UI_C_TEXT : UI_C_DANGER, UI_ALIGN_LEFT,
		    UI_TEXT_TRUNCATE, what);
	}
	return 0;
}

/* A scrolling list of n rows rh high; draw(k, r, i) each one seen.
 * Returns the row tapped or -1. */
static int
rows_list(struct kiosk *k, struct ui_rect list, size_t n, int rh,
    int (*draw)(struct kiosk *k, struct ui_rect r, size_t i))
{
	struct ui *ui = &k->ui;
	int g = scr_gap(k), tapped = -1;

	ui_list_begin(ui, &k->scroll, list, (int) n * (rh + g) - g);
	for (size_t i = 0; i < n; i++) {
		int y = list.y + (int) i * (rh + g);
		if (y - (int) k->scroll.off + rh < list.y ||
		    y - (int) k->scroll.off > list.y + list.h)
			continue;
		if (draw(k, (struct ui_rect){list.x, y, list.w, rh}, i))
			tapped = (int) i;
	}
	ui_list_end(ui, &k->scroll);
	return tapped;
}

static void
kid_list(struct kiosk *k, struct ui_rect body)
{
	char sample[64], when[48];
	int need;

	/* A cell must take "家访：30 天前" whole. */
	scr_days_ago(k, k->now_ms - 30 * 86400000LL, when, sizeof(when));
	ui_fmt(sample, sizeof(sample), kiosk_s(k, "cov.last_visit"), when, NULL,
	    NULL);
	need = max_i(text_w(k, UI_FONT_SMALL, sample),
	    text_w(k, UI_FONT_SMALL, kiosk_s(k, "cov.absent")));
	kid_lay = layout(k, body.w, kid_need + scr_gap(k), 0, need);
	if (!kid_lay.one_line) /* a third line: kid_row() */
		kid_lay.rh +=
		    k->ui.font_px[UI_FONT_SMALL] * 8 / 5 + ui_mm(&k->ui, 1);
	headings(k, &body);
	row_draw(k, ui_cut_top(&body, lay.rh), (size_t) k->cov.sel,
	    0); /* the row's own bars */
	ui_cut_top(&body, scr_gap(k));
	if (k->cov.n_idx == 0) {
		ui_text(&k->ui, body, UI_FONT_LARGE, UI_C_MUTED,
		    UI_ALIGN_CENTER, kiosk_s(k, "cov.none"));
		return;
	}
	rows_list(k, body, k->cov.n_idx, kid_lay.rh, kid_row);
}

/* ---- the tabs and what the figures mean ---- */

/* The tabs at the top of *body; returns the room beside them. */
static struct ui_rect
tabs(struct kiosk *k, struct ui_rect *body)
{
	static const char *const keys[2] = {"cov.by_class", "cov.by_mentor"};
	struct ui *ui = &k->ui;
	int g = scr_gap(k), w = 0,
	    h = max_i(ui_mm(ui, 11), ui->font_px[UI_FONT_SMALL] * 3);
	struct ui_rect band = ui_cut_top(body, h), b;

	for (int i = 0; i < 2; i++)
		w = max_i(w, text_w(k, UI_FONT_BODY, kiosk_s(k, keys[i])));
	w += ui_mm(ui, 10); /* the padding and the selected tick */
	if (2 * w + g > band.w)
		w = (band.w - g) / 2;
	ui_group_begin(ui, ui_id("cov.tabs", 0), UI_FONT_BODY);
	for (int i = 0; i < 2; i++)
		ui_group_fit(ui, (struct ui_rect){0, 0, w, band.h},
		    kiosk_s(k, keys[i]), NULL);
	for (int i = 0; i < 2; i++) {
		b = ui_cut_left(&band, w);
		ui_cut_left(&band, g);
		if (ui_button(ui, ui_id("cov.tab", i), b,
		        k->cov.tab == i ? UI_BTN_SELECTED : UI_BTN_NORMAL,
		        UI_FONT_BODY, kiosk_s(k, keys[i])) &&
		    k->cov.tab != i) {
			k->cov.tab = i;
			memset(&k->scroll, 0, sizeof(k->scroll));
		}
	}
	ui_group_end(ui);
	ui_cut_top(body, g);
	ui_cut_left(&band, g);
	return band;
}

/* "4月1日" for a YYYYMMDD day. */
static void
day_words(const struct kiosk *k, uint32_t day, char *out, size_t len)
{
	char m[8], d[8];

	snprintf(m, sizeof(m), "%u", (unsigned) (day / 100 % 100));
	snprintf(d, sizeof(d), "%u", (unsigned) (day % 100));
	ui_fmt(out, len, kiosk_s(k, "cov.day"), m, d, NULL);
}

/*
 * What the figures mean, in small lines: the lecture's window (or that
 * none was held), the concerns' ages, the concerns of children not in
 * care.  Beside the tabs (side) while each fits on one line there, the
 * rest at the top of *r, each on as many lines (up to two) as it needs.
 */
static void
summary(struct kiosk *k, struct ui_rect side, struct ui_rect *r)
{
	const struct coverage *c = &k->cov.c;
	struct ui *ui = &k->ui;
	char lines[3][256], a[32], b[32];
	int color[3], n = 0, lh = ui->font_px[UI_FONT_SMALL] * 3 / 2;

	if (c->lec_from != 0) {
		day_words(k, c->lec_from, a, sizeof(a));
		day_words(k, c->lec_to, b, sizeof(b));
		ui_fmt(lines[n], sizeof(lines[n]), kiosk_s(k, "cov.lecture_of"),
		    cal_holiday_zh(c->lec_holiday), a, b);
		color[n++] = UI_C_MUTED;
	} else {
		snprintf(lines[n], sizeof(lines[n]), "%s",
		    kiosk_s(k, "cov.no_lecture"));
		color[n++] = UI_C_DANGER;
	}
	snprintf(lines[n], sizeof(lines[n]), "%s", kiosk_s(k, "cov.ages"));
	color[n++] = UI_C_MUTED;
	if (c->concerns_outside != 0) {
		snprintf(a, sizeof(a), "%u", c->concerns_outside);
		ui_fmt(lines[n], sizeof(lines[n]), kiosk_s(k, "cov.outside"), a,
		    NULL, NULL);
		color[n++] = UI_C_DANGER;
	}
	for (int i = 0; i < n; i++) {
		struct ui_rect l;
		if (side.h >= lh &&
		    text_w(k, UI_FONT_SMALL, lines[i]) <= side.w) {
			l = ui_cut_top(&side, lh);
			ui_text(ui, l, UI_FONT_SMALL, color[i], UI_ALIGN_LEFT,
			    lines[i]);
			continue;
		}
		side.h = 0; /* the order kept: the rest below */
		l = ui_cut_top(r,
		    text_w(k, UI_FONT_SMALL, lines[i]) <= r->w ? lh : 2 * lh);
		ui_text(
		    ui, l, UI_FONT_SMALL, color[i], UI_ALIGN_LEFT, lines[i]);
	}
}

/* The rows' layout of the frame: each bar's cell must take its heading
 * and a bar beside "18/24". */
static void
set_lay(struct kiosk *k, int w)
{
	int need = 0;

	for (int j = 0; j < 3; j++)
		need = max_i(
		    need, text_w(k, UI_FONT_SMALL, kiosk_s(k, bar_keys[j])));
	lay = layout(k, w, name_need[k->cov.tab], 1,
	    max_i(
	        need, ui_mm(&k->ui, 8) + text_w(k, UI_FONT_SMALL, "000/000")));
}

static void
scr_coverage(struct kiosk *k)
{
	struct ui_rect body, side;
	char title[200], row[160];
	int t;

	if (k->cov.sel >= 0) {
		row_title(k, (size_t) k->cov.sel, row, sizeof(row));
		ui_fmt(title, sizeof(title), kiosk_s(k, "cov.list_title"), row,
		    NULL, NULL);
	} else /* "only children in care" where the header has room */
		snprintf(title, sizeof(title), "%s",
		    kiosk_s(k,
		        k->ui.w >= ui_mm(&k->ui, 130) ? "cov.title_long"
		                                      : "cov.title"));
	if (scr_header(k, &body, title, 1)) {
		if (k->cov.sel < 0) {
			kiosk_go(k, SCR_HEAD);
			return;
		}
		k->cov.sel = -1;
		k->scroll = k->cov.rows_scroll;
		return;
	}
	ui_cut_bottom(&body, ui_mm(&k->ui, 9)); /* the idle band */
	if (k->cov.sel >= 0) {
		set_lay(k, body.w);
		kid_list(k, body);
		return;
	}
	side = tabs(k, &body);
	set_lay(k, body.w); /* after the tabs: this frame's tab */
	summary(k, side, &body);
	headings(k, &body);
	t = rows_list(k, body, n_rows(k, k->cov.tab), lay.rh, cov_row);
	if (t >= 0)
		open_row(k, (size_t) t);
}

const struct scr_row scr_row_coverage = {
    "coverage", scr_coverage_enter, scr_coverage, scr_coverage_leave, 0};
