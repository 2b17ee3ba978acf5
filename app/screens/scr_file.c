/*
 * scr_file.c: one child's file (一人一档), for the child's mentor and the
 * headteacher only (care_may_see).  Opening it first appends the
 * REC_FILE_VIEW audit (care_open_file); if that fails nothing is shown.
 *
 * Left: basic information, categories and guardian included.  Right: the
 * timeline of every record about the child, newest first, read a page at
 * a time (care_file_page with before_seq) as the list nears its end, so
 * a child with a thousand records opens at once and scrolls smoothly.
 * Voided records are struck through; a check-in the child logged too says
 * so.  Tapping a line offers what may be done with it: 作废 (a void with a
 * reason, by its author or the head) and, for an open concern, 跟进 (a
 * follow-up that closes it).  Nothing is edited in place.
 */
#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "scr.h"
#include "status.h"

/* Appends text to out (len bytes) after a separator when not empty. */
static void
add(char *out, size_t len, const char *sep, const char *text)
{
	size_t n = strlen(out);

	if (text == NULL || text[0] == '\0' || n + 1 >= len)
		return;
	ui_fmt(out + n, len - n, "{1}{2}", n > 0 ? sep : "", text, NULL);
}

/* The labels of a SET field's words, joined with "、". */
static void
words(
    const struct kiosk *k, const struct record *r, int f, char *out, size_t len)
{
	const char *v = rec_str(r, f), *e;
	char w[64];
	size_t n;

	out[0] = '\0';
	while (v != NULL && *v != '\0') {
		e = strchr(v, ',');
		n = e != NULL ? (size_t) (e - v) : strlen(v);
		if (n < sizeof(w)) {
			memcpy(w, v, n);
			w[n] = '\0';
			add(out, len, kiosk_s(k, "file.and"),
			    scr_word(k, f, w));
		}
		v = e != NULL ? e + 1 : NULL;
	}
}

static void
labelled(const struct kiosk *k, char *out, size_t len, const char *key,
    const char *val)
{
	char b[REC_VALUE_MAX + 256];

	if (val == NULL || val[0] == '\0')
		return;
	ui_fmt(b, sizeof(b), kiosk_s(k, key), val, NULL, NULL);
	add(out, len, kiosk_s(k, "common.sep"), b);
}

/*
 * How many bytes of text (a code-point boundary) fit in w pixels in font:
 * a binary search over the code points, a handful of measurements.
 */
static size_t
fit_bytes(struct ui *ui, int font, const char *text, int w)
{
	size_t cut[256], n = 0, len = strlen(text), lo, hi, mid, i;
	int tw, th;

	if (ui->measure == NULL)
		return len;
	for (i = 1; i <= len && n < sizeof(cut) / sizeof(cut[0]); i++)
		if (i == len || ((unsigned char) text[i] & 0xc0) != 0x80)
			cut[n++] = i;
	/* The largest k with cut[k - 1] fitting; 0: not even one. */
	lo = 0;
	hi = n;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		ui->measure(
		    ui->measure_arg, font, text, cut[mid - 1], &tw, &th);
		if (tw <= w)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo == 0 ? 0 : cut[lo - 1];
}

/* Whether text fits in w pixels in font. */
static int
fits(struct ui *ui, int font, const char *text, int w)
{
	int tw = 0, th;

	if (ui->measure != NULL)
		ui->measure(
		    ui->measure_arg, font, text, strlen(text), &tw, &th);
	return tw <= w;
}

/*
 * Draws text in one line of r: whole if it fits, else cut at a code
 * point and ended with "…".
 */
/* Columns of the follow-up's words in w pixels: three, fewer when the
 * longest label (已转介心理服务) would not fit whole in body text. */
static int
done_cols(struct kiosk *k, int w)
{
	struct ui *ui = &k->ui;
	const char *const *words;
	int cols = 3, need = 0, wl, g = scr_gap(k);
	size_t n, i;

	words = care_log_words(F_DONE, &n);
	for (i = 0; i < n; i++) {
		wl = ui_button_w(
		         ui, UI_FONT_BODY, scr_word(k, F_DONE, words[i])) +
		    ui->font_px[UI_FONT_BODY];
		if (wl > need)
			need = wl;
	}
	while (cols > 1 && (w - (cols - 1) * g) / cols < need)
		cols--;
	return cols;
}

/* The follow-up panel's height for a screen body w pixels wide: its
 * rows of words at least 10 mm each. */
static int
done_h(struct kiosk *k, int w)
{
	struct ui *ui = &k->ui;
	int in = w - 2 * ui_mm(ui, 1.5f), g = scr_gap(k), rows, cols, h, min;
	size_t n;

	care_log_words(F_DONE, &n);
	in -= in / 4 + g;
	cols = done_cols(k, in);
	rows = (int) ((n + (size_t) cols - 1) / (size_t) cols);
	h = rows * ui_mm(ui, 10) + (rows - 1) * g + 2 * ui_mm(ui, 1.5f);
	/* The column at the right: the note, 保存并关闭, 保存，继续跟进. */
	min = 3 * ui_mm(ui, 11) + 2 * g + 2 * ui_mm(ui, 1.5f);
	return h > min ? h : min;
}

/* A button's width in the actions row: w, or what its label needs. */
static int
act_w(struct ui *ui, int w, const char *key, const struct kiosk *k)
{
	int need = ui_button_w(ui, UI_FONT_BODY, kiosk_s(k, key));

	return need > w ? need : w;
}

static void
text_line(
    struct ui *ui, struct ui_rect r, int font, int color, const char *text)
{
	ui_text_ex(ui, r, font, color, UI_ALIGN_LEFT, UI_TEXT_TRUNCATE, text);
}

/* Whether text fits r on one line (in its font or a size smaller) with
 * badge in UI_FONT_BODY at its right, as scr_text_right puts it. */
static int
beside_fits(
    struct kiosk *k, struct ui_rect r, const char *text, const char *badge)
{
	struct ui *ui = &k->ui;
	int w = ui->font_px[UI_FONT_BODY] * 6, h;

	if (ui->measure != NULL)
		ui->measure(ui->measure_arg, UI_FONT_BODY, badge, strlen(badge),
		    &w, &h);
	ui_cut_right(&r, w + scr_gap(k));
	return r.w > 0 && ui_text_fits(ui, r, UI_FONT_BODY, text);
}

/* The name of staff member id from the list read on entry; the id itself
 * when unknown (a record from a roster since replaced). */
static const char *
staff_name(const struct kiosk *k, const char *id)
{
	size_t i;

	for (i = 0; i < k->file.n_staff; i++)
		if (strcmp(k->file.staff[i].id, id) == 0)
			return k->file.staff[i].name;
	return id;
}

/* Who wrote r, in words: 学生本人, 区教体局 (an ack), or the staff name. */
static const char *
author_of(const struct kiosk *k, const struct record *r)
{
	if (r->flags & REC_FLAG_BY_STUDENT)
		return kiosk_s(k, "file.by_student");
	if (r->kind == REC_ACK) /* the daemon wrote the district's word */
		return kiosk_s(k, "file.by_district");
	return staff_name(k, r->author);
}

/*
 * A record's line in the child's file: one function per kind that needs
 * its own words, in a table by kind; any other kind gets line_generic(),
 * so a new kind shows without a row here.
 */
typedef void (*line_fn)(
    struct kiosk *k, const struct record *r, char *out, size_t len);

static void
line_attendance(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	(void) r;
	add(out, len, "", kiosk_s(k, "file.k_attendance"));
}

static void
line_checkin(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	char b[256], n[16];
	const char *w = rec_str(r, F_TYPE);

	add(out, len, "", scr_word(k, F_TYPE, w != NULL ? w : ""));
	snprintf(n, sizeof(n), "mood.%d", (int) rec_int(r, F_MOOD, 3));
	labelled(k, out, len, "file.mood", kiosk_s(k, n));
	words(k, r, F_CONCERNS, b, sizeof(b));
	labelled(k, out, len, "file.concerns", b);
	words(k, r, F_NOTES, b, sizeof(b));
	labelled(k, out, len, "file.notes", b);
}

static void
line_visit(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	char b[256];
	const char *w = rec_str(r, F_MET);

	add(out, len, "", kiosk_s(k, "file.k_visit"));
	labelled(
	    k, out, len, "file.met", scr_word(k, F_MET, w != NULL ? w : ""));
	add(out, len, kiosk_s(k, "common.sep"),
	    kiosk_s(k,
	        rec_int(r, F_GUARDIANSHIP, 0) ? "visit.guard_ok"
	                                      : "visit.guard_no"));
	words(k, r, F_HAZARDS, b, sizeof(b));
	labelled(k, out, len, "file.hazards", b);
	words(k, r, F_PROBLEMS, b, sizeof(b));
	labelled(k, out, len, "file.problems", b);
	words(k, r, F_ACTIONS, b, sizeof(b));
	labelled(k, out, len, "file.actions", b);
	labelled(k, out, len, "file.next_visit", rec_str(r, F_NEXT_VISIT));
}

static void
line_student_log(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	char b[256], n[16];

	add(out, len, "", kiosk_s(k, "file.k_student_log"));
	words(k, r, F_TOPICS, b, sizeof(b));
	labelled(k, out, len, "file.topics", b);
	snprintf(n, sizeof(n), "mood.%d", (int) rec_int(r, F_FEELING, 3));
	labelled(k, out, len, "file.feeling", kiosk_s(k, n));
}

static void
line_concern(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	char b[256];

	add(out, len, "",
	    kiosk_s(k,
	        rec_int(r, F_URGENT, 0) ? "file.k_urgent" : "file.k_concern"));
	words(k, r, F_CONCERNS, b, sizeof(b));
	add(out, len, kiosk_s(k, "file.colon"), b);
}

static void
line_followup(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	char b[256];

	add(out, len, "", kiosk_s(k, "file.k_followup"));
	words(k, r, F_DONE, b, sizeof(b));
	add(out, len, kiosk_s(k, "file.colon"), b);
}

static void
line_void(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	char b[256], n[16];
	const char *w = rec_str(r, F_REASON);

	snprintf(n, sizeof(n), "%lld", (long long) rec_int(r, F_TARGET, 0));
	ui_fmt(b, sizeof(b), kiosk_s(k, "file.k_void"), n,
	    scr_word(k, F_REASON, w != NULL ? w : ""), NULL);
	add(out, len, "", b);
}

/*
 * Any kind without a row: its title (strings key file.k_NAME), then each
 * of its word and text fields, labelled by the strings key file.FIELD
 * ("...：{1}"), in the schema's order.
 */
static void
line_generic(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	const struct rec_field_info *fi;
	char key[64], b[256];
	const char *v;
	int f;

	snprintf(key, sizeof(key), "file.k_%s", rec_kind_name(r->kind));
	add(out, len, "", kiosk_s(k, key));
	for (f = F_NONE + 1; f < REC_F_MAX; f++) {
		fi = rec_field_info(f);
		if (fi == NULL || !rec_kind_has(r->kind, f) || !rec_has(r, f))
			continue;
		snprintf(key, sizeof(key), "file.%s", fi->name);
		switch (fi->type) {
		case T_SET:
			words(k, r, f, b, sizeof(b));
			labelled(k, out, len, key, b);
			break;
		case T_ENUM:
			v = rec_str(r, f);
			labelled(k, out, len, key,
			    scr_word(k, f, v != NULL ? v : ""));
			break;
		case T_STR:
		case T_DATE:
			labelled(k, out, len, key, rec_str(r, f));
			break;
		default: /* ids, numbers, references: not for reading */
			break;
		}
	}
}

/* 重点关注 marked or unmarked, and why. */
static void
line_focus(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	const char *w = rec_str(r, F_FOCUS_WHY);

	add(out, len, "",
	    kiosk_s(k,
	        rec_int(r, F_FOCUS, 0) ? "file.focus_on" : "file.focus_off"));
	labelled(k, out, len, "file.focus_why",
	    scr_word(k, F_FOCUS_WHY, w != NULL ? w : ""));
}

/* The district's acknowledgement of an urgent concern (REC_ACK). */
static void
line_ack(struct kiosk *k, const struct record *r, char *out, size_t len)
{
	const char *w = rec_str(r, F_OUTCOME);
	char b[256], day[32];

	scr_day(k, rec_str(r, F_ACK_AT), day, sizeof(day));
	ui_fmt(b, sizeof(b), kiosk_s(k, "file.k_ack"), day,
	    scr_word(k, F_OUTCOME, w != NULL ? w : ""), NULL);
	add(out, len, "", b);
	labelled(k, out, len, "file.ack_by", rec_str(r, F_ACK_BY));
}

static const line_fn file_lines[REC_KIND_MAX] = {
    [REC_ATTENDANCE] = line_attendance,
    [REC_CHECKIN] = line_checkin,
    [REC_VISIT] = line_visit,
    [REC_STUDENT_LOG] = line_student_log,
    [REC_CONCERN] = line_concern,
    [REC_FOLLOWUP] = line_followup,
    [REC_VOID] = line_void,
    [REC_FOCUS] = line_focus,
    [REC_ACK] = line_ack,
};

/* The notes of a kind with a line of its own, each labelled by
 * file.note_KIND (F_NOTE means another thing in each kind) or file.FIELD;
 * line_generic() labels a new kind's notes itself. */
static const int note_fields[] = {
    F_NOTE, F_MEASURES_NOTE, F_GUARDIAN_NOTE, F_ACK_NOTE};

static const char *
note_key(const struct record *r, int f, char *key, size_t len)
{
	if (f == F_NOTE)
		snprintf(key, len, "file.note_%s", rec_kind_name(r->kind));
	else
		snprintf(key, len, "file.%s", rec_field_info(f)->name);
	return key;
}

/* The record's line: its words, then its notes (sep between). */
static void
record_text(struct kiosk *k, const struct record *r, char *out, size_t len,
    int with_notes)
{
	line_fn fn = r->kind > REC_NONE && r->kind < REC_KIND_MAX
	    ? file_lines[r->kind]
	    : NULL;
	char key[64];

	out[0] = '\0';
	(fn != NULL ? fn : line_generic)(k, r, out, len);
	if (fn == NULL || !with_notes)
		return;
	for (size_t i = 0; i < sizeof(note_fields) / sizeof(note_fields[0]);
	     i++)
		if (rec_has(r, note_fields[i]))
			labelled(k, out, len,
			    note_key(r, note_fields[i], key, sizeof(key)),
			    rec_str(r, note_fields[i]));
}

static void
summary(struct kiosk *k, const struct record *r, struct kiosk_tl *t)
{
	record_text(k, r, t->text, sizeof(t->text), 1);
}

struct page {
	struct kiosk *k;
	size_t left;
	uint64_t last;
};

static int
page_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct page *p = arg;
	struct kiosk *k = p->k;
	struct kiosk_tl *t;

	if (p->left == 0)
		return 2; /* more remain */
	p->last = r->seq;
	if (k->file.n_tl >= KIOSK_FILE_MAX)
		return 1;
	t = &k->file.tl[k->file.n_tl++];
	memset(t, 0, sizeof(*t));
	t->seq = r->seq;
	t->voided_by = voided_by;
	t->time_ms = r->time_ms;
	t->kind = r->kind;
	/* A child's own record keeps no author here: it shows as 学生本人. */
	if (r->kind == REC_ACK) /* shown as 区教体局: no staff member */
		snprintf(t->author, sizeof(t->author), "%s", author_of(k, r));
	else if (!(r->flags & REC_FLAG_BY_STUDENT))
		snprintf(t->author, sizeof(t->author), "%s", r->author);
	t->mine = !(r->flags & REC_FLAG_BY_STUDENT) &&
	    strcmp(r->author, k->ses.staff_id) == 0;
	if (r->kind == REC_VOID)
		t->target = (uint64_t) rec_int(r, F_TARGET, 0);
	if (r->kind == REC_CONCERN)
		t->source = (uint64_t) rec_int(r, F_SOURCE, 0);
	if (r->kind == REC_FOLLOWUP) {
		t->target = (uint64_t) rec_int(r, F_CONCERN, 0);
		t->closes = rec_int(r, F_CLOSES, 1) != 0;
	}
	summary(k, r, t);
	p->left--;
	return 0;
}

/* Reads the next page of the timeline (older than what is shown). */
static void
load_page(struct kiosk *k)
{
	struct page p = {k, KIOSK_FILE_PAGE, 0};
	uint64_t before =
	    k->file.n_tl > 0 ? k->file.tl[k->file.n_tl - 1].seq : 0;
	size_t first = k->file.n_tl, i;
	int rc;

	if (k->file.n_tl > 0 && before <= 1) {
		k->file.more = 0;
		return;
	}
	rc = care_file_page(
	    k->dom.store, &k->ses, k->mentor.child.id, before, page_fn, &p);
	k->file.more = rc == 2;
	/* Marks that need a look at the store: open concerns, check-ins
	 * the child confirmed. */
	for (i = first; i < k->file.n_tl; i++) {
		struct kiosk_tl *t = &k->file.tl[i];
		if (t->voided_by != 0)
			continue;
		if (t->kind == REC_CHECKIN)
			t->confirmed = (uint8_t) care_confirmed_by_child(
			    k->dom.store, k->mentor.child.id, t->author,
			    t->time_ms, k->cfg->tz_min);
	}
}

/* Which concerns are still open: every follow-up that closes one is
 * newer than it, so it is already in the list when the concern is. */
static void
mark_open(struct kiosk *k)
{
	size_t i, j;

	for (i = 0; i < k->file.n_tl; i++) {
		struct kiosk_tl *t = &k->file.tl[i];
		t->open_concern = 0;
		if (t->kind != REC_CONCERN || t->voided_by != 0)
			continue;
		t->open_concern = 1;
		for (j = 0; j < i; j++)
			if (k->file.tl[j].kind == REC_FOLLOWUP &&
			    k->file.tl[j].voided_by == 0 &&
			    k->file.tl[j].closes &&
			    k->file.tl[j].target == t->seq)
				t->open_concern = 0;
	}
}

static void
reload(struct kiosk *k)
{
	k->file.n_tl = 0;
	k->file.more = 0;
	k->file.sel = -1;
	k->file.act = 0;
	k->file.done = 0;
	memset(k->file.note, 0, sizeof(k->file.note));
	if (care_child_summary(k->dom.store, &k->ses, k->mentor.child.id,
	        &k->file.sum) != GU_OK)
		memset(&k->file.sum, 0, sizeof(k->file.sum));
	k->file.has_plan =
	    care_child_record(k->dom.store, &k->ses, k->mentor.child.id,
	        k->file.sum.plan_seq, &k->file.plan) == GU_OK;
	load_page(k);
	mark_open(k);
}

int
scr_file_show(struct kiosk *k, uint64_t seq)
{
	size_t i = 0;

	for (;;) {
		for (; i < k->file.n_tl; i++)
			if (k->file.tl[i].seq == seq)
				return (int) i;
		if (!k->file.more || k->file.n_tl >= KIOSK_FILE_MAX)
			return -1;
		load_page(k);
		mark_open(k);
	}
}

static void
scr_file_enter(struct kiosk *k)
{
	int rc;

	k->file.n_tl = 0;
	/* Every staff member's name, once per entry: the timeline's authors
	 * and the mentor are looked up here, never in a frame.  Without the
	 * list the ids show instead. */
	if (domain_staff(&k->dom, k->file.staff, DOM_STAFF_MAX,
	        &k->file.n_staff) != GU_OK)
		k->file.n_staff = 0;
	rc = care_open_file(
	    k->dom.store, &k->care, k->now_ms, &k->ses, k->mentor.child.id);
	if (rc != GU_OK) {
		kiosk_go(k, k->ses.staff_id[0] ? SCR_MENTOR : SCR_HOME);
		if (rc == GU_EPERM)
			kiosk_message(k, "file.not_yours", 1);
		else
			scr_failed(k, rc, 1);
		return;
	}
	reload(k);
}

#define INFO_ITEMS 8

/* Where to wrap text that fits up to cut bytes: after the last "、",
 * "，" or "：" in the second half of it, else at cut. */
static size_t
break_at(const char *text, size_t cut)
{
	static const char *const brk[] = {"、", "，", "：", " "};
	size_t best = 0, i, j, l;

	for (i = cut / 2; i < cut; i++)
		for (j = 0; j < sizeof(brk) / sizeof(brk[0]); j++) {
			l = strlen(brk[j]);
			if (i + l <= cut && memcmp(text + i, brk[j], l) == 0)
				best = i + l;
		}
	return best > 0 ? best : cut;
}

/* Lines one item takes in font at width w when wrapping (at most 2). */
static int
item_lines(struct ui *ui, int font, const char *text, int w)
{
	return fits(ui, font, text, w) ? 1 : 2;
}

/*
 * The basic information card in r.  Every line is in one font: the body
 * font when all of it fits, wrapped to two lines where needed, else the
 * small font (wrapped if that fits); lines that are still too long end
 * with "…".  The mentor's name comes from the list read on entry.
 */
static void
info(struct kiosk *k, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	const struct child *c = &k->file.sum.child;
	char it[INFO_ITEMS][256], cat[128], a[64], v[64];
	int color[INFO_ITEMS], n = 0, i, font, lh, lines, spare;
	size_t cut;
	struct ui_rect l;

	ui_rect(ui, r, UI_C_PANEL);
	r = ui_inset(r, ui_mm(ui, 2));
	l = ui_cut_top(&r, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	text_line(ui, l, ui_fit_font(ui, UI_FONT_LARGE, c->name, l.w),
	    UI_C_TEXT, c->name);
#define ITEM(key, x, y)                                                        \
	do {                                                                   \
		color[n] = UI_C_TEXT;                                          \
		ui_fmt(it[n++], sizeof(it[0]), kiosk_s(k, key), x, y, NULL);   \
	} while (0)
	ITEM("file.class", c->class_name,
	    kiosk_s(k, strcmp(c->sex, "F") == 0 ? "file.girl" : "file.boy"));
	ITEM("file.birth", c->birth, NULL);
	cat[0] = '\0';
	if (c->categories & CAT_LEFT_BEHIND)
		add(cat, sizeof(cat), kiosk_s(k, "file.and"),
		    kiosk_s(k, "cat.left_behind"));
	if (c->categories & CAT_IN_DIFFICULTY)
		add(cat, sizeof(cat), kiosk_s(k, "file.and"),
		    kiosk_s(k, "cat.in_difficulty"));
	ITEM("file.category", cat[0] ? cat : kiosk_s(k, "file.none"), NULL);
	ITEM("file.guardian", c->guardian, c->guardian_relation);
	ITEM("file.phone", c->guardian_phone, NULL);
	ITEM("file.address", c->address, NULL);
	if (c->mentor_id[0] != '\0')
		ITEM("file.mentor", staff_name(k, c->mentor_id), NULL);
#undef ITEM
	scr_days_ago(k, k->file.sum.last_contact_ms, a, sizeof(a));
	scr_days_ago(k, k->file.sum.last_visit_ms, v, sizeof(v));
	color[n] = UI_C_MUTED;
	ui_fmt(it[n++], sizeof(it[0]), kiosk_s(k, "file.last"), a, v, NULL);

	/*
	 * The body font if every line fits in it, each wrapped to two lines
	 * where needed; else the small font, its lines 1.2 em apart, and as
	 * many long lines wrapped (in order) as there is room for.
	 */
	font = UI_FONT_SMALL;
	lines = 0;
	for (i = 0; i < n; i++)
		lines += item_lines(ui, UI_FONT_BODY, it[i], r.w);
	if (lines * (ui->font_px[UI_FONT_BODY] * 3 / 2) <= r.h)
		font = UI_FONT_BODY;
	lh = ui->font_px[font] * 3 / 2;
	if (font == UI_FONT_SMALL && lh * n > r.h)
		lh = ui->font_px[font] * 6 / 5;
	spare = r.h / lh - n;
	for (i = 0; i < n && r.h >= lh; i++) {
		l = ui_cut_top(&r, lh);
		if (spare <= 0 || fits(ui, font, it[i], l.w)) {
			text_line(ui, l, font, color[i], it[i]);
			continue;
		}
		/* Two lines: as much as fits (up to a break after "、" or
		 * "：" when there is one in its second half), then the rest. */
		spare--;
		cut = break_at(it[i], fit_bytes(ui, font, it[i], l.w));
		{
			char first[256];
			memcpy(first, it[i], cut);
			first[cut] = '\0';
			ui_text(ui, l, font, color[i], UI_ALIGN_LEFT, first);
		}
		if (r.h < lh)
			break;
		l = ui_cut_top(&r, lh);
		text_line(ui, l, font, color[i], it[i] + cut);
	}
}

/*
 * The band at the top of the file: the plan (帮扶计划: its areas and its
 * review day) and whether the child is marked 重点关注, with the buttons
 * that write a new plan and mark or unmark.
 */
/* The plan band's words: the plan's areas and review day, or that there
 * is none. */
static void
plan_line(struct kiosk *k, char *line, size_t len)
{
	char goals[256], day[32];
	const char *rv;

	if (k->file.has_plan) {
		words(k, &k->file.plan, F_GOALS, goals, sizeof(goals));
		rv = rec_str(&k->file.plan, F_REVIEW);
		snprintf(day, sizeof(day), "%s", rv != NULL ? rv + 5 : "");
		ui_fmt(line, len, kiosk_s(k, "plan.line"), goals, day, NULL);
	} else {
		snprintf(line, len, "%s", kiosk_s(k, "plan.none"));
	}
}

/* The widest of the plan band's two buttons, with a chosen one's tick. */
static int
plan_button_w(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	int a = ui_button_w(ui, UI_FONT_BODY, kiosk_s(k, "focus.button"));
	int b = ui_button_w(ui, UI_FONT_BODY, kiosk_s(k, "plan.write"));

	return (a > b ? a : b) + ui->font_px[UI_FONT_BODY];
}

/* Whether the plan band, w wide, holds its words and its buttons in one
 * row (the words whole, in one line). */
static int
plan_one_row(struct kiosk *k, int w)
{
	struct ui *ui = &k->ui;
	char line[384];
	int in = w - 2 * ui_mm(ui, 1.5f) - ui_mm(ui, 2);
	struct ui_rect t = {0, 0, in - 2 * (plan_button_w(k) + scr_gap(k)),
	    ui->font_px[UI_FONT_SMALL] * 3 / 2};

	plan_line(k, line, sizeof(line));
	return t.w > 0 && ui_text_fits(ui, t, UI_FONT_SMALL, line);
}

/* The plan band's height, w wide. */
static int
plan_band_h(struct kiosk *k, int w)
{
	struct ui *ui = &k->ui;

	if (plan_one_row(k, w))
		return ui_mm(ui, 3 + 11);
	return ui->font_px[UI_FONT_BODY] * 3 / 2 + ui_mm(ui, 3 + 11) +
	    scr_gap(k);
}

static void
plan_band(struct kiosk *k, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	struct ui_rect b, t;
	char line[384];
	int g = scr_gap(k), bw, one;

	one = plan_one_row(k, r.w); /* as plan_band_h() decided */
	ui_rect(ui, r, UI_C_PANEL);
	if (k->file.sum.focus)
		ui_rect(ui, ui_cut_left(&r, ui_mm(ui, 2)), UI_C_WARN);
	r = ui_inset(r, ui_mm(ui, 1.5f));
	bw = plan_button_w(k);
	if (one) {
		/* The words at the left of the buttons. */
		t = r;
		t.w = r.w - 2 * (bw + g);
		r.x += t.w + g;
		r.w -= t.w + g;
	} else {
		/* The words over the buttons. */
		t = ui_cut_top(&r, r.h - ui_mm(ui, 11) - g);
		ui_cut_top(&r, g);
	}
	bw = (r.w - g) / 2;
	b = ui_cut_right(&r, bw);
	if (ui_button(ui, ui_id("file.focus", 0), b,
	        k->file.sum.focus ? UI_BTN_SELECTED : UI_BTN_NORMAL,
	        UI_FONT_BODY, kiosk_s(k, "focus.button"))) {
		kiosk_go(k, SCR_FOCUS);
		return;
	}
	ui_cut_right(&r, g);
	b = ui_cut_right(&r, bw);
	if (ui_button(ui, ui_id("file.plan", 0), b, UI_BTN_PRIMARY,
	        UI_FONT_BODY, kiosk_s(k, "plan.write"))) {
		kiosk_go(k, SCR_PLAN);
		return;
	}
	ui_cut_right(&r, g);
	plan_line(k, line, sizeof(line));
	/* 重点关注 shows as the stripe and the chosen button. */
	ui_text(ui, t, ui_fit_font(ui, UI_FONT_BODY, line, t.w),
	    k->file.has_plan ? UI_C_TEXT : UI_C_MUTED, UI_ALIGN_LEFT, line);
}

static void open_detail(struct kiosk *k, uint64_t seq);

/* Voids line t's record for reason i, and says how it went. */
static void
void_for(struct kiosk *k, const struct kiosk_tl *t, int reason)
{
	uint64_t seq;
	int rc = care_log_void_note(
	    &k->dom, &k->ses, k->now_ms, t->seq, reason, k->file.note, &seq);

	reload(k);
	if (rc == GU_OK || rc == GU_EPERM)
		kiosk_message(k, rc == GU_OK ? "file.voided" : "file.not_yours",
		    rc != GU_OK);
	else
		scr_failed(k, rc, 0);
}

/* The standing concern that line t's record raised (its F_SOURCE), or
 * NULL. */
static const struct kiosk_tl *
raised(const struct kiosk *k, const struct kiosk_tl *t)
{
	size_t i;

	for (i = 0; i < k->file.n_tl; i++)
		if (k->file.tl[i].kind == REC_CONCERN &&
		    k->file.tl[i].voided_by == 0 &&
		    k->file.tl[i].source == t->seq)
			return &k->file.tl[i];
	return NULL;
}

/* A reason was chosen: a record that raised a concern asks first what
 * becomes of the concern (act 3), anything else is voided now. */
static void
void_chosen(struct kiosk *k, const struct kiosk_tl *t, int reason)
{
	if (raised(k, t) != NULL) {
		k->file.void_reason = reason;
		k->file.act = 3;
		return;
	}
	void_for(k, t, reason);
}

/* Act 3: void the concern too, or keep it (it stays open, on top). */
static void
concern_too(struct kiosk *k, struct kiosk_tl *t, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	const struct kiosk_tl *c = raised(k, t);
	struct ui_rect q, b;
	char buf[400];
	uint64_t seq;
	int g = scr_gap(k), rc;

	if (c == NULL) {
		k->file.act = 1;
		return;
	}
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "file.concern_too"), c->text, NULL,
	    NULL);
	q = r;
	q.h = ui->font_px[UI_FONT_BODY] * 3 / 2;
	if (!ui_text_fits(ui, q, UI_FONT_BODY, buf))
		q.h *= 2;
	q = ui_cut_top(&r, q.h);
	ui_text(ui, q, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_LEFT, buf);
	ui_cut_top(&r, g);
	b = ui_cut_left(&r, (r.w - g) / 2);
	ui_cut_left(&r, g);
	ui_group_begin(ui, ui_id("file.too", 0), UI_FONT_BODY);
	ui_group_fit(ui, b, kiosk_s(k, "file.void_both"), NULL);
	ui_group_fit(ui, b, kiosk_s(k, "file.keep_raised"), NULL);
	if (ui_button(ui, ui_id("file.void_both", 0), b, UI_BTN_DANGER,
	        UI_FONT_BODY, kiosk_s(k, "file.void_both"))) {
		ui_group_end(ui);
		rc = care_log_void_note(&k->dom, &k->ses, k->now_ms, c->seq,
		    k->file.void_reason, k->file.note, &seq);
		if (rc != GU_OK && rc != GU_EPERM) {
			reload(k);
			scr_failed(k, rc, 0);
			return;
		}
		void_for(k, t, k->file.void_reason);
		return;
	}
	if (ui_button(ui, ui_id("file.keep_raised", 0), r, UI_BTN_NORMAL,
	        UI_FONT_BODY, kiosk_s(k, "file.keep_raised"))) {
		ui_group_end(ui);
		void_for(k, t, k->file.void_reason);
		return;
	}
	ui_group_end(ui);
}

/* Whether the void's reasons, in a panel w wide, go two by two under
 * the question: one row would not hold each whole. */
static int
void_stacked(struct kiosk *k, int w)
{
	struct ui *ui = &k->ui;
	size_t n, i;
	const char *const *words = care_log_words(F_REASON, &n);
	int g = scr_gap(k), cw, need = 0, bw;

	w -= 2 * ui_mm(ui, 1.5f);
	cw = (w - (int) n * g) / ((int) n + 1);
	for (i = 0; i < n; i++) {
		bw = ui_button_w(
		    ui, UI_FONT_BODY, scr_word(k, F_REASON, words[i]));
		if (bw > need)
			need = bw;
	}
	return need > cw;
}

/* The void's question in top, with the button that writes why in words
 * (optional; most wanted with 其他).  1 when the note screen opened. */
static int
void_question(struct kiosk *k, struct ui_rect top)
{
	struct ui *ui = &k->ui;
	struct ui_rect b;
	char label[128];

	ui_fmt(label, sizeof(label), kiosk_s(k, "note.edit"),
	    kiosk_s(k, "note.s_void"), NULL, NULL);
	b = ui_cut_right(
	    &top, ui_button_w(ui, UI_FONT_BODY, label) + ui_mm(ui, 8));
	if (scr_note_button(k, b, 1, "note.s_void", k->file.note)) {
		scr_note_open(k, "note.t_void", k->file.note);
		return 1;
	}
	ui_text(ui, top,
	    ui_fit_font(ui, UI_FONT_BODY, kiosk_s(k, "file.why_void"), top.w),
	    UI_C_TEXT, UI_ALIGN_LEFT, kiosk_s(k, "file.why_void"));
	return 0;
}

/* The actions panel under the list for the selected line. */
static void
actions(struct kiosk *k, struct ui_rect r)
{
	struct ui *ui = &k->ui;
	struct kiosk_tl *t = &k->file.tl[k->file.sel];
	struct ui_rect b;
	size_t n, i;
	const char *const *w;
	int g = scr_gap(k), cw, may_void, rc;
	uint64_t seq;

	ui_rect(ui, r, UI_C_PANEL);
	ui_frame(ui, r, UI_C_BORDER, 1);
	r = ui_inset(r, ui_mm(ui, 1.5f));
	if (k->file.act == 0) {
		may_void = t->voided_by == 0 &&
		    care_log_may_void_seq(&k->dom, &k->ses, t->seq);
		/* The record whole (its notes uncut). */
		b = ui_cut_left(&r,
		    ui_button_w(ui, UI_FONT_BODY, kiosk_s(k, "file.detail")) +
		        ui_mm(ui, 6));
		ui_cut_left(&r, g);
		if (ui_button(ui, ui_id("file.detail", 0), b, UI_BTN_NORMAL,
		        UI_FONT_BODY, kiosk_s(k, "file.detail"))) {
			open_detail(k, t->seq);
			return;
		}
		b = ui_cut_right(&r, act_w(ui, r.w / 4, "common.cancel", k));
		if (ui_button(ui, ui_id("file.close", 0), b, UI_BTN_NORMAL,
		        UI_FONT_BODY, kiosk_s(k, "common.cancel")))
			k->file.sel = -1;
		ui_cut_right(&r, g);
		if (may_void) {
			b = ui_cut_right(
			    &r, act_w(ui, r.w / 3, "file.void", k));
			if (ui_button(ui, ui_id("file.void", 0), b,
			        UI_BTN_DANGER, UI_FONT_BODY,
			        kiosk_s(k, "file.void")))
				k->file.act = 1;
			ui_cut_right(&r, g);
		}
		if (t->open_concern) {
			b = ui_cut_right(
			    &r, act_w(ui, r.w / 2, "file.followup", k));
			if (ui_button(ui, ui_id("file.follow", 0), b,
			        UI_BTN_PRIMARY, UI_FONT_BODY,
			        kiosk_s(k, "file.followup")))
				k->file.act = 2;
			ui_cut_right(&r, g);
		}
		{
			/* The hint, where the buttons leave room for it. */
			const char *q = kiosk_s(k,
			    may_void || t->open_concern ? "file.what_now"
			                                : "file.nothing_to_do");
			if (ui_text_fits(ui, r, UI_FONT_BODY, q))
				ui_text(ui, r, UI_FONT_BODY, UI_C_MUTED,
				    UI_ALIGN_LEFT, q);
		}
		return;
	}
	if (k->file.act == 3) {
		concern_too(k, t, r);
		return;
	}
	if (k->file.act == 1 && void_stacked(k, r.w + 2 * ui_mm(ui, 1.5f))) {
		/* Narrow: the question above, the reasons two by two. */
		w = care_log_words(F_REASON, &n);
		b = ui_cut_top(&r, ui_mm(ui, 12));
		ui_cut_top(&r, g);
		if (void_question(k, b))
			return;
		cw = (r.w - g) / 2;
		for (i = 0; i < n; i++) {
			b = ui_grid_cell(r, 2, cw, (r.h - g) / 2, g, (int) i);
			if (!ui_button(ui, ui_id("file.reason", (int64_t) i), b,
			        UI_BTN_NORMAL, UI_FONT_BODY,
			        scr_word(k, F_REASON, w[i])))
				continue;
			void_chosen(k, t, (int) i);
			return;
		}
		return;
	}
	if (k->file.act == 1) {
		/* The reason taps the void. */
		w = care_log_words(F_REASON, &n);
		/* Above: the question, and why in words (optional; most
		 * wanted with 其他); below: the reason taps the void. */
		b = ui_cut_top(&r, (r.h - g) / 2);
		ui_cut_top(&r, g);
		if (void_question(k, b))
			return;
		cw = (r.w - (int) (n - 1) * g) / (int) n;
		r.x -= g; /* the loop puts a gap before each */
		r.w += g;
		for (i = 0; i < n; i++) {
			ui_cut_left(&r, g);
			b = ui_cut_left(&r, cw);
			if (!ui_button(ui, ui_id("file.reason", (int64_t) i), b,
			        UI_BTN_NORMAL, UI_FONT_BODY,
			        scr_word(k, F_REASON, w[i])))
				continue;
			void_chosen(k, t, (int) i);
			return;
		}
		return;
	}
	/* Follow-up: what was done (several), then 保存并关闭, or 保存 with
	 * the concern still open. */
	w = care_log_words(F_DONE, &n);
	/* The column at the right as wide as its longest label needs, at
	 * most a quarter: the rest is the words'. */
	{
		static const char *const keys[] = {
		    "file.close_concern", "file.keep_concern"};
		int bw = 0;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (ui_button_w(ui, UI_FONT_BODY, kiosk_s(k, keys[i])) >
			    bw)
				bw = ui_button_w(
				    ui, UI_FONT_BODY, kiosk_s(k, keys[i]));
		b = ui_cut_right(&r, bw < r.w / 4 ? bw : r.w / 4);
	}
	{
		/* What came of it, in words (optional), above 保存并关闭 and
		 * 保存，继续跟进. */
		struct ui_rect nb = ui_cut_top(&b, (b.h - 2 * g) / 3);
		ui_cut_top(&b, g);
		if (scr_note_button(
		        k, nb, 2, "note.s_followup", k->file.note)) {
			scr_note_open(k, "note.t_followup", k->file.note);
			return;
		}
	}
	if (k->file.done != 0) {
		struct ui_rect keep = ui_cut_bottom(&b, (b.h - g) / 2);
		int close = 0, tapped = 0;
		ui_cut_bottom(&b, g);
		if (ui_button(ui, ui_id("file.close_concern", 0), b,
		        UI_BTN_PRIMARY, UI_FONT_BODY,
		        kiosk_s(k, "file.close_concern")))
			tapped = close = 1;
		if (ui_button(ui, ui_id("file.keep_concern", 0), keep,
		        UI_BTN_NORMAL, UI_FONT_BODY,
		        kiosk_s(k, "file.keep_concern")))
			tapped = 1;
		if (tapped) {
			rc = care_log_followup_full(&k->dom, &k->ses, k->now_ms,
			    t->seq, k->file.done, close, k->file.note, &seq);
			reload(k);
			if (rc == GU_OK)
				kiosk_message(
				    k, close ? "file.closed" : "file.kept", 0);
			else
				scr_failed(k, rc, 0);
			return;
		}
	}
	ui_cut_right(&r, g);
	/* Three columns, fewer when the longest label (已转介心理服务)
	 * would not fit whole.  Rows under 10 mm (the record acted on took
	 * the height, 1024x600) close up to 1 mm apart, so that they stay
	 * at least 9 mm, what a finger needs. */
	{
		int cols = done_cols(k, r.w), rows, ch;
		rows = (int) ((n + (size_t) cols - 1) / (size_t) cols);
		if (rows > 1 && (r.h - (rows - 1) * g) / rows < ui_mm(ui, 10))
			g = ui_mm(ui, 1);
		cw = (r.w - (cols - 1) * g) / cols;
		ch = rows > 0 ? (r.h - (rows - 1) * g) / rows : r.h;
		ui_group_begin(ui, ui_id("file.done_group", 0), UI_FONT_BODY);
		for (i = 0; i < n; i++)
			ui_group_fit(ui, (struct ui_rect){0, 0, cw, ch},
			    scr_word(k, F_DONE, w[i]), NULL);
		for (i = 0; i < n; i++) {
			b = ui_grid_cell(r, cols, cw, ch, g, (int) i);
			if (ui_button(ui, ui_id("file.done", (int64_t) i), b,
			        (k->file.done & (1u << i)) ? UI_BTN_SELECTED
			                                   : UI_BTN_NORMAL,
			        UI_FONT_BODY, scr_word(k, F_DONE, w[i])))
				k->file.done ^= 1u << i;
		}
		ui_group_end(ui);
	}
}

/*
 * While a void's reason or a follow-up is chosen: what it is about, in a
 * band of its own just above the choices (never hidden under them, and
 * in words: when, whose, what), at the bottom of *body.
 */
static int
acting_text(struct kiosk *k, int w, int font, char *buf, size_t len)
{
	struct ui *ui = &k->ui;
	const struct kiosk_tl *t = &k->file.tl[k->file.sel];
	char when[64];
	int lh = ui->font_px[font] * 3 / 2;
	struct ui_rect l = {0, 0, w - 2 * ui_mm(ui, 1), lh};

	if (k->file.act == 0)
		return 0;
	scr_when(k, t->time_ms, when, sizeof(when));
	ui_fmt(buf, len,
	    kiosk_s(k, k->file.act == 2 ? "file.following" : "file.voiding"),
	    when, k->mentor.child.name, t->text);
	/* As many lines as it takes (a long note makes a long line). */
	while (!ui_text_fits(ui, l, font, buf) && l.h < 6 * lh)
		l.h += lh;
	return l.h + ui_mm(ui, 2);
}

static void
acting_on(struct kiosk *k, struct ui_rect *body, int font)
{
	struct ui *ui = &k->ui;
	char buf[512];
	struct ui_rect l;
	int h = acting_text(k, body->w, font, buf, sizeof(buf));

	if (h == 0)
		return;
	l = ui_cut_bottom(body, h);
	ui_rect(ui, l, k->file.act == 2 ? UI_C_OK_SOFT : UI_C_WARN);
	l = ui_inset(l, ui_mm(ui, 1));
	ui_text(ui, l, font, UI_C_TEXT, UI_ALIGN_LEFT, buf);
	ui_cut_bottom(body, scr_gap(k));
}

static void
scr_file(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, left, list, row, when, txt, foot;
	char title[192], b[64], n[16], who[160];
	const char *badge;
	int lh = ui->font_px[UI_FONT_BODY] * 3 / 2, rh, g = scr_gap(k), y;
	int pressed, content, sel_h, tf;
	size_t i;

	ui_fmt(title, sizeof(title), kiosk_s(k, "file.title"),
	    k->mentor.child.name, NULL, NULL);
	if (scr_header(k, &body, title, 1)) {
		kiosk_go(k, SCR_MENTOR);
		return;
	}
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	/*
	 * While a void's reason or a follow-up is being chosen, its choices
	 * take the whole width: their labels (已报告民政部门 ...) must be read
	 * whole, and the card is not needed for that moment.
	 */
	if (k->file.act != 0 && k->file.sel >= 0) {
		/* no card */
	} else if (body.w >= body.h) {
		left = ui_cut_left(&body, body.w * 2 / 5);
		ui_cut_left(&body, g);
		info(k, left);
	} else {
		left = ui_cut_top(&body, body.h * 2 / 5);
		ui_cut_top(&body, g);
		info(k, left);
	}
	if (k->file.act == 0 || k->file.sel < 0) {
		plan_band(k, ui_cut_top(&body, plan_band_h(k, body.w)));
		if (k->scr != SCR_FILE)
			return;
		ui_cut_top(&body, g);
	}
	sel_h = k->file.act == 2 ? done_h(k, body.w)
	    : k->file.act == 1   ? 2 * ui_mm(ui, 13) + g
	                         : ui_mm(ui, 13);
	if (k->file.act == 3)
		sel_h = ui_mm(ui, 12) + 2 * lh + 2 * g + 2 * ui_mm(ui, 1.5f);
	if (k->file.act == 1 && void_stacked(k, body.w))
		sel_h = 3 * ui_mm(ui, 12) + 2 * g + 2 * ui_mm(ui, 1.5f);
	if (k->file.sel >= 0 && (size_t) k->file.sel < k->file.n_tl) {
		char tmp[512];
		int af = UI_FONT_BODY;
		int ah = acting_text(k, body.w, af, tmp, sizeof(tmp));
		/* The record acted on always shows: the choices give way,
		 * and it goes a size down first to take less of their
		 * height. */
		if (ah > 0 && sel_h + ah + 2 * g > body.h) {
			af = UI_FONT_SMALL;
			ah = acting_text(k, body.w, af, tmp, sizeof(tmp));
		}
		if (ah > 0 && sel_h + ah + 2 * g > body.h)
			sel_h = body.h - ah - 2 * g;
		foot = ui_cut_bottom(&body, sel_h);
		ui_cut_bottom(&body, g);
		acting_on(k, &body, af);
		actions(k, foot);
		if (k->scr != SCR_FILE)
			return;
		/* No room left for the timeline while choosing. */
		if (k->file.act != 0 && body.h < lh * 2)
			return;
	}
	snprintf(n, sizeof(n), "%u", k->file.sum.n_records);
	ui_fmt(
	    title, sizeof(title), kiosk_s(k, "file.timeline"), n, NULL, NULL);
	row = ui_cut_top(&body, lh);
	text_line(ui, row, ui_fit_font(ui, UI_FONT_BODY, title, row.w),
	    UI_C_MUTED, title);
	list = body;
	rh = lh * 2 + ui_mm(ui, 2);
	if (rh < ui_mm(ui, 12))
		rh = ui_mm(ui, 12);
	/* Near the end of what is read: read the next page. */
	if (k->file.more &&
	    (int) k->scroll.off + list.h * 2 >= (int) k->file.n_tl * rh) {
		load_page(k);
		mark_open(k);
	}
	if (k->file.n_tl == 0) {
		ui_text(ui, list, UI_FONT_LARGE, UI_C_MUTED, UI_ALIGN_CENTER,
		    kiosk_s(k, "file.empty"));
		return;
	}
	content = (int) k->file.n_tl * rh;
	ui_list_begin(ui, &k->scroll, list, content);
	for (i = 0; i < k->file.n_tl; i++) {
		struct kiosk_tl *t = &k->file.tl[i];
		y = list.y + (int) i * rh;
		if (y - (int) k->scroll.off + rh < list.y ||
		    y - (int) k->scroll.off > list.y + list.h)
			continue;
		row = (struct ui_rect){list.x, y, list.w, rh - 2};
		pressed = 0;
		if (ui_tap(ui, ui_id("file.row", (int64_t) t->seq), row,
		        &pressed)) {
			k->file.sel = (int) i;
			k->file.act = 0;
			k->file.done = 0;
			memset(k->file.note, 0, sizeof(k->file.note));
		}
		ui_rect(ui, row,
		    pressed || k->file.sel == (int) i ? UI_C_BORDER
		        : t->open_concern && t->kind == REC_CONCERN
		        ? UI_C_OK_SOFT
		        : UI_C_PANEL);
		if (t->kind == REC_CONCERN && t->voided_by == 0)
			ui_rect(ui,
			    (struct ui_rect){
			        row.x, row.y, ui_mm(ui, 1.5f), row.h},
			    t->open_concern ? UI_C_DANGER : UI_C_OK);
		row = ui_inset(row, ui_mm(ui, 1));
		row.x += ui_mm(ui, 1.5f);
		row.w -= ui_mm(ui, 1.5f);
		when = ui_cut_top(&row, lh);
		txt = row;
		scr_when(k, t->time_ms, b, sizeof(b));
		/* When, and by whom: a staff member's name, or 学生本人. */
		ui_fmt(who, sizeof(who), kiosk_s(k, "file.when_by"), b,
		    t->author[0] != '\0' ? staff_name(k, t->author)
		                         : kiosk_s(k, "file.by_student"),
		    NULL);
		badge = t->voided_by != 0 ? "file.is_voided"
		    : t->confirmed        ? "file.confirmed"
		    : t->open_concern     ? "file.open"
		                          : NULL;
		if (badge != NULL)
			/* Beside who wrote it, or where that would cut the
			 * name, at the end of the record's line (cut with
			 * "…" anyway, and whole in 详情). */
			scr_text_right(k,
			    beside_fits(k, when, who, kiosk_s(k, badge)) ? &when
			                                                 : &txt,
			    UI_FONT_BODY,
			    t->confirmed && t->voided_by == 0 ? UI_C_OK
			                                      : UI_C_DANGER,
			    kiosk_s(k, badge));
		text_line(ui, when, ui_fit_font(ui, UI_FONT_BODY, who, when.w),
		    UI_C_MUTED, who);
		tf = ui_fit_font(ui, UI_FONT_BODY, t->text, txt.w);
		text_line(ui, txt, tf, t->voided_by ? UI_C_MUTED : UI_C_TEXT,
		    t->text);
		if (t->voided_by != 0) {
			/* Struck through. */
			int w = txt.w, h;
			if (ui->measure != NULL)
				ui->measure(ui->measure_arg, tf, t->text,
				    strlen(t->text), &w, &h);
			if (w > txt.w)
				w = txt.w;
			ui_rect(ui,
			    (struct ui_rect){txt.x, txt.y + txt.h / 2, w, 2},
			    UI_C_DANGER);
		}
	}
	ui_list_end(ui, &k->scroll);
}

/* A child's file stays on screen only while it is open: leaving forgets
 * the summary (categories, guardian) and the timeline. */
static void
scr_file_leave(struct kiosk *k)
{
	memset(&k->file.sum, 0, sizeof(k->file.sum));
	memset(&k->file.rec, 0, sizeof(k->file.rec));
	memset(k->file.note, 0, sizeof(k->file.note));
	k->file.n_tl = 0;
	k->file.sel = -1;
	k->file.act = 0;
}

const struct scr_row scr_row_file = {
    "file", scr_file_enter, scr_file, scr_file_leave, 0};

/* ---- one record whole (SCR_FILE_DETAIL) ---- */

struct one {
	uint64_t seq;
	struct record *out;
	int found;
};

static int
one_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct one *o = arg;

	(void) voided_by;
	if (r->seq == o->seq) {
		*o->out = *r;
		o->found = 1;
	}
	return 1; /* the newest below seq + 1 is the one */
}

/* Shows record seq of the child's file whole; back returns to the file
 * as it was, at its scroll position. */
static void
open_detail(struct kiosk *k, uint64_t seq)
{
	struct one o = {seq, &k->file.rec, 0};
	int rc = care_file_page(
	    k->dom.store, &k->ses, k->mentor.child.id, seq + 1, one_fn, &o);

	if ((rc != GU_OK && rc != 1) || !o.found) {
		scr_failed(k, rc != GU_OK && rc != 1 ? rc : GU_ENOTFOUND, 1);
		return;
	}
	k->file.back_scroll = k->scroll;
	memset(&k->scroll, 0, sizeof(k->scroll));
	k->scr = SCR_FILE_DETAIL;
	k->scr_since_ms = k->now_ms;
}

/* The height text takes wrapped in w pixels in font (whole lines). */
static int
wrapped_h(struct ui *ui, int font, const char *text, int w)
{
	int tw = 0, th = 0, lines;

	if (ui->measure != NULL)
		ui->measure(
		    ui->measure_arg, font, text, strlen(text), &tw, &th);
	lines = w > 0 ? tw / w + 1 : 1;
	if (tw > w)
		lines++; /* wrapping at a break wastes part of a line */
	return lines * ui->font_px[font] * 3 / 2;
}

static void
scr_file_detail(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	const struct record *r = &k->file.rec;
	struct ui_rect body, p;
	char title[192], when[64], who[160], key[64];
	char words_line[1024], para[4][REC_VALUE_MAX + 256];
	const char *text[6];
	int color[6], n = 0, y, h[6], content = 0, g = scr_gap(k);

	ui_fmt(title, sizeof(title), kiosk_s(k, "file.detail_title"),
	    k->mentor.child.name, NULL, NULL);
	if (scr_header(k, &body, title, 1) || r->kind == REC_NONE) {
		memset(&k->file.rec, 0, sizeof(k->file.rec));
		k->scr = SCR_FILE;
		k->scroll = k->file.back_scroll;
		k->scr_since_ms = k->now_ms;
		return;
	}
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	/* When and by whom; every field in words; each note whole. */
	scr_when(k, r->time_ms, when, sizeof(when));
	ui_fmt(who, sizeof(who), kiosk_s(k, "file.when_by"), when,
	    author_of(k, r), NULL);
	color[n] = UI_C_MUTED;
	text[n++] = who;
	record_text(k, r, words_line, sizeof(words_line), 0);
	color[n] = UI_C_TEXT;
	text[n++] = words_line;
	for (size_t i = 0; i < sizeof(note_fields) / sizeof(note_fields[0]);
	     i++) {
		if (!rec_has(r, note_fields[i]) || file_lines[r->kind] == NULL)
			continue;
		ui_fmt(para[i], sizeof(para[i]),
		    kiosk_s(k, note_key(r, note_fields[i], key, sizeof(key))),
		    rec_str(r, note_fields[i]), NULL, NULL);
		color[n] = UI_C_TEXT;
		text[n++] = para[i];
	}
	for (int i = 0; i < n; i++) {
		h[i] = wrapped_h(ui, UI_FONT_BODY, text[i], body.w);
		content += h[i] + g;
	}
	ui_list_begin(ui, &k->scroll, body, content);
	y = body.y;
	for (int i = 0; i < n; i++) {
		p = (struct ui_rect){body.x, y, body.w, h[i]};
		ui_text(ui, p, UI_FONT_BODY, color[i], UI_ALIGN_LEFT, text[i]);
		y += h[i] + g;
	}
	ui_list_end(ui, &k->scroll);
}

/* Leaving it other than back to the file (the idle sign-out): the file
 * and the record are forgotten. */
const struct scr_row scr_row_file_detail = {
    "file_detail", NULL, scr_file_detail, scr_file_leave, 0};
