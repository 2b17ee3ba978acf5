/*
 * scr_head.c: the headteacher's screen (校长; head role, staff sign-in):
 * is everything uploaded, in plain words from the sync daemon's status in
 * the store (domain_sync_status); 立即上传 with a live progress bar while the
 * daemon works; the recent uploads; 导出到U盘; and what is overdue.
 *
 * The status is read again every second while an upload runs or was just
 * asked for, else every ten seconds (ui_wake_at).  立即上传 writes the
 * trigger to the store and pokes the daemon (poke.h); the export runs
 * guanai-sync through usb.h, never from here directly.
 */
#include <stdio.h>
#include <string.h>

#include "poke.h"
#include "scr.h"
#include "status.h"
#include "usb.h"

static int
busy(const struct kiosk *k)
{
	return k->head.sync.busy &&
	    k->now_ms - k->head.sync.busy_ms < SYNC_BUSY_STALE_MS;
}

/*
 * Whether an uploader (guanai-sync run) listens on the store's poke
 * socket: 0 none (no server set up, or the service is not running), 1
 * yes, -1 cannot tell (no data folder known).  Asked with each load.
 */
static int uploader = -1;

static void update_last_lines(struct kiosk *k);

static void
load(struct kiosk *k)
{
	struct update_cfg c;
	char path[700];

	uploader = k->data_dir[0] != '\0' ? poke_listening(k->data_dir) : -1;
	if (domain_sync_status(&k->dom, &k->head.sync) != GU_OK)
		memset(&k->head.sync, 0, sizeof(k->head.sync));
	if (domain_sync_recent(&k->dom, k->head.recent, KIOSK_RECENT,
	        &k->head.n_recent) != GU_OK)
		k->head.n_recent = 0;
	k->head.loaded_ms = k->now_ms;
	/* 系统更新: a stick with a bundle on it, or one guanai-sync has
	 * downloaded (issue 14). */
	k->upd.on_stick =
	    update_find(k->cfg->media_dir, path, sizeof(path)) == GU_OK;
	scr_update_cfg(k, &c);
	k->upd.downloaded = update_downloaded(k->data_dir, &c, &k->upd.ready,
	                        path, sizeof(path)) == GU_OK;
}

static void
scr_head_enter(struct kiosk *k)
{
	size_t i, n = 0;

	if (k->ses.staff_id[0] == '\0' || !(k->ses.roles & ROLE_HEAD)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	load(k);
	k->head.export_msg[0] = '\0';
	k->head.n_overdue = k->head.n_open = 0;
	k->mentor.n_rows = 0;
	if (care_rows(k->dom.store, &k->care, k->now_ms, &k->ses,
	        k->mentor.rows, CARE_ROWS_MAX, &n) == GU_OK) {
		k->mentor.n_rows = n < CARE_ROWS_MAX ? n : CARE_ROWS_MAX;
		for (i = 0; i < k->mentor.n_rows; i++) {
			k->head.n_open += k->mentor.rows[i].s.open_concerns;
			k->head.n_overdue +=
			    care_row_overdue(&k->mentor.rows[i]);
		}
	}
	/* The district's word on them (issue 15): 已受理, and what was done. */
	if (care_acks(k->dom.store, k->mentor.rows, k->mentor.n_rows,
	        k->head.acks, KIOSK_HEAD_ACKS, &n) != GU_OK)
		n = 0;
	k->head.n_acks = n;
	/* The school's tasks (issue 12, h-tasks). */
	care_policy_calendar(k->dom.store, &k->care, k->now_ms);
	k->head.cal_default = k->care.cal.is_default;
	if (care_head_tasks(k->dom.store, &k->care, k->now_ms, k->head.tasks,
	        KIOSK_HEAD_TASKS, &n) != GU_OK)
		n = 0;
	k->head.n_tasks = n < KIOSK_HEAD_TASKS ? n : KIOSK_HEAD_TASKS;
	update_last_lines(k);
}

/* The class of the last failure in words. */
static const char *
fail_key(int rc)
{
	switch (rc) {
	case GU_OK:
		return NULL;
	case GU_ENET:
		return "head.e_net";
	case GU_EUNREACH:
		return "head.e_unreach";
	case GU_ESERVER:
		return "head.e_server";
	case GU_EAUTH:
		return "head.e_auth";
	case GU_EREFUSED:
		return "head.e_refused";
	case GU_EIO:
	case GU_EFULL:
		return "head.e_storage";
	default:
		return "head.e_other";
	}
}

/* The lines (1 to 3) text needs in font to fit whole in the width of r
 * and within its height; 0 when it does not. */
static int
lines_of(struct ui *ui, const struct ui_rect *r, int font, const char *t)
{
	struct ui_rect l = *r;
	int n, lh = ui->font_px[font] * 3 / 2;

	for (n = 1; n <= 3 && n * lh <= r->h; n++) {
		l.h = n * lh;
		if (ui_text_fits(ui, l, font, t))
			return n;
	}
	return 0;
}

static void
line(struct kiosk *k, struct ui_rect *r, int font, int color, const char *t)
{
	struct ui *ui = &k->ui;
	struct ui_rect l;
	int best = 0, best_font = font, f, n;

	/* The size, from font down to the body size (the toolkit's floor
	 * for a large line), that needs the fewest lines, the larger on a
	 * tie: a long line steps down rather than take the room of the
	 * lines under it.  No room at all: nothing drawn, nothing cut. */
	for (f = font; f >= UI_FONT_BODY || f == font; f--) {
		n = lines_of(ui, r, f, t);
		if (n != 0 && (best == 0 || n < best)) {
			best = n;
			best_font = f;
		}
		if (f <= UI_FONT_BODY)
			break;
	}
	if (best == 0)
		return;
	l = ui_cut_top(r, ui->font_px[best_font] * 3 / 2 * best);
	ui_text(ui, l, best_font, color, UI_ALIGN_LEFT, t);
}

static void
kib(char *out, size_t len, uint64_t bytes)
{
	if (bytes >= 10 * 1024 * 1024)
		snprintf(out, len, "%.1f MB", (double) bytes / 1048576.0);
	else
		snprintf(out, len, "%.1f KB", (double) bytes / 1024.0);
}

/* The progress bar of the pass under way. */
static void
progress(struct kiosk *k, struct ui_rect *r)
{
	struct ui *ui = &k->ui;
	const struct sync_status *s = &k->head.sync;
	struct ui_rect bar = ui_cut_top(r, ui_mm(ui, 4)), fill;
	char a[24], b[24], c[24], d[24], buf[192], e[64];
	uint64_t done = s->prog_records_done, total = s->prog_records_total;

	ui_rect(ui, bar, UI_C_BORDER);
	fill = bar;
	fill.w = total > 0
	    ? (int) ((uint64_t) bar.w * (done > total ? total : done) / total)
	    : 0;
	ui_rect(ui, fill, UI_C_PRIMARY);
	snprintf(a, sizeof(a), "%llu", (unsigned long long) done);
	snprintf(b, sizeof(b), "%llu", (unsigned long long) total);
	kib(c, sizeof(c), s->prog_bytes_done);
	kib(d, sizeof(d), s->prog_bytes_total);
	ui_fmt(e, sizeof(e), "{1}/{2}", c, d, NULL);
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "head.progress"), a, b, e);
	line(k, r, UI_FONT_BODY, UI_C_TEXT, buf);
}

static void export(struct kiosk *k)
{
	char dir[600], msg[200];
	int rc;

	if (usb_find(k->cfg->media_dir, dir, sizeof(dir)) != GU_OK) {
		kiosk_message(k, "head.no_stick", 1);
		return;
	}
	rc = usb_export(k->cfg->sync_bin, k->data_dir, dir, msg, sizeof(msg));
	ui_fmt(k->head.export_msg, sizeof(k->head.export_msg),
	    kiosk_s(k, rc == GU_OK ? "head.exported" : "head.export_failed"),
	    msg, NULL, NULL);
	kiosk_message(k,
	    rc == GU_OK ? "head.exported_msg" : "head.export_failed_msg",
	    rc != GU_OK);
}

/*
 * The height t needs in r's width in font, on as many lines (up to three)
 * as it takes to fit whole, at most r's height; 0 when it cannot fit.
 */
static int
text_h(struct kiosk *k, struct ui_rect r, int font, const char *t)
{
	struct ui *ui = &k->ui;
	int lh = ui->font_px[font] * 3 / 2, lines = 1;
	struct ui_rect b = r;

	b.h = lh;
	while (lines < 3 && !ui_text_fits(ui, b, font, t) && b.h + lh <= r.h)
		b.h = lh * ++lines;
	return b.h <= r.h && ui_text_fits(ui, b, font, t) ? b.h : 0;
}

/*
 * Under the open urgent reports: each one the district has acknowledged,
 * with the day and what it did (已受理 日期 · outcome), cut from the
 * bottom of r as long as keep pixels stay above them (the reports' own
 * line); the first at the top.
 */
static void
ack_lines(struct kiosk *k, struct ui_rect *r, int keep)
{
	char buf[256], day[32];
	struct ui_rect b;
	size_t i = k->head.n_acks;
	int h;

	while (i-- > 0) {
		const struct care_ack *a = &k->head.acks[i];

		if (!a->acked)
			continue;
		scr_day(k, a->date, day, sizeof(day));
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "head.acked"),
		    a->child.name, day, scr_word(k, F_OUTCOME, a->outcome));
		h = text_h(k, *r, UI_FONT_SMALL, buf);
		if (h == 0 || r->h - h < keep)
			continue; /* no room: draw nothing cut */
		b = ui_cut_bottom(r, h);
		ui_text(&k->ui, b, UI_FONT_SMALL, UI_C_OK, UI_ALIGN_LEFT, buf);
	}
}

/*
 * The staff block at the bottom of the right column: the children with
 * an open urgent concern (a mandatory report shows here the moment it
 * is saved: the rows are read on entering), and the district's
 * acknowledgements of them (ack_lines).  The head's own 强制报告 and
 * 重置密码 are in the second row of buttons (head_more).  Returns 1 when
 * the screen was left.
 */
static int
staff_block(struct kiosk *k, struct ui_rect *r)
{
	char buf[256], names[192], line2[256];
	size_t i, n = 0, used = 0;
	int h;

	names[0] = '\0';
	for (i = 0; i < k->mentor.n_rows; i++) {
		const struct care_row *cr = &k->mentor.rows[i];
		if (cr->need != CARE_URGENT)
			continue;
		if (n++ < 3 &&
		    used + sizeof(cr->s.child.name) + 4 < sizeof(names))
			used += (size_t) snprintf(names + used,
			    sizeof(names) - used, "%s%s", used ? "、" : "",
			    cr->s.child.name);
	}
	if (n == 0)
		return 0;
	snprintf(buf, sizeof(buf), "%zu", n);
	ui_fmt(line2, sizeof(line2), kiosk_s(k, "head.urgent_open"), buf, names,
	    NULL);
	h = text_h(k, *r, UI_FONT_BODY, line2);
	if (h == 0)
		return 0; /* no room left in this column: draw nothing cut */
	ack_lines(k, r, h);
	ui_text(&k->ui, ui_cut_bottom(r, h), UI_FONT_BODY, UI_C_DANGER,
	    UI_ALIGN_LEFT, line2);
	return 0;
}

static const char *const btn_keys[] = {
    "head.upload_now", "head.export", "head.children"};

static void
go_ledgers(struct kiosk *k)
{
	k->exp.what = EXPORT_LEDGERS; /* 导出台账 (scr_export.c) */
	kiosk_go(k, SCR_EXPORT);
}

static void
go_coverage(struct kiosk *k)
{
	k->cov.tab = 0; /* 覆盖情况 (scr_coverage.c) opens on 按班级 */
	kiosk_go(k, SCR_COVERAGE);
}

static void
go_update(struct kiosk *k)
{
	kiosk_go(k, SCR_UPDATE); /* 系统更新 (scr_update.c) */
}

static void
go_pin_reset(struct kiosk *k)
{
	kiosk_go(k, SCR_PIN_RESET);
}

/* The second row of buttons: one row each, in the order shown. */
static const struct head_more {
	const char *key;
	int style;
	void (*go)(struct kiosk *k);
} head_more[] = {
    {"head.ledgers", UI_BTN_NORMAL, go_ledgers},
    {"cov.button", UI_BTN_NORMAL, go_coverage},
    {"pinreset.button", UI_BTN_NORMAL, go_pin_reset},
    {"report.button", UI_BTN_DANGER, scr_report_start},
    /* Last, and only while a stick with a bundle is in or a downloaded
     * one is ready (issue 14), so the row keeps its room for the lines
     * above it otherwise. */
    {"update.button", UI_BTN_NORMAL, go_update},
};
#define HEAD_MORE_ALL (sizeof(head_more) / sizeof(head_more[0]))
#define HEAD_MORE_N                                                            \
	(HEAD_MORE_ALL - (k->upd.on_stick || k->upd.downloaded ? 0 : 1))

/* ---- the headteacher's tasks (issue 12, h-tasks): one block ---- */

/* A task line; an escalated concern opens the child's file. */
static void
head_task(struct kiosk *k, struct ui_rect *r, size_t i)
{
	const struct task *t = &k->head.tasks[i];
	struct child_summary cs;
	char buf[192], num[16];
	struct ui_rect at = *r;
	int pressed = 0;

	if (t->kind == TASK_LECTURE) {
		snprintf(num, sizeof(num), "%u", t->missing);
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "tasks.lecture"),
		    cal_holiday_zh(t->holiday), num, NULL);
	} else {
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "tasks.escalated"), t->name,
		    NULL, NULL);
	}
	at.h = k->ui.font_px[UI_FONT_SMALL] * 3 / 2;
	if (t->kind == TASK_ESCALATED &&
	    ui_tap(&k->ui, ui_id("head.task", (int64_t) i), at, &pressed) &&
	    care_child_summary(k->dom.store, &k->ses, t->child, &cs) == GU_OK) {
		k->mentor.child = cs.child;
		kiosk_go(k, SCR_FILE);
		return;
	}
	line(k, r, UI_FONT_SMALL,
	    t->when == TASK_OVERDUE ? UI_C_DANGER : UI_C_TEXT, buf);
}

static void
head_tasks(struct kiosk *k, struct ui_rect *r)
{
	const struct cal_span *h;
	char buf[192], m[8], d[8];

	if (k->head.n_tasks == 0 && !k->head.cal_default)
		return;
	line(k, r, UI_FONT_BODY, UI_C_TEXT, kiosk_s(k, "head.tasks"));
	if (k->head.cal_default)
		line(k, r, UI_FONT_SMALL, UI_C_DANGER,
		    kiosk_s(k, "head.cal_default"));
	h = calendar_holiday_at(
	    &k->care.cal, cal_day_of(k->now_ms, k->care.tz_min));
	if (h != NULL) {
		snprintf(m, sizeof(m), "%u", (unsigned) (h->to / 100 % 100));
		snprintf(d, sizeof(d), "%u", (unsigned) (h->to % 100));
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "head.cal_holiday"),
		    cal_holiday_zh(h->holiday), m, d);
		line(k, r, UI_FONT_SMALL, UI_C_MUTED, buf);
	}
	for (size_t i = 0; i < k->head.n_tasks && k->scr == SCR_HEAD; i++)
		head_task(k, r, i);
	ui_cut_top(r, scr_gap(k));
}

/* The height a second-row label is fitted in: one line of font, unless
 * the row was made tall for two. */
static int
mh_of(const struct ui *ui, int row_h, int font)
{
	return row_h >= ui_mm(ui, 16.5f) ? row_h : ui->font_px[font] * 2;
}

/* The height of the lines scr_head draws above its buttons, each on one
 * line (keep in step with them): what waits, the last success, and
 * what goes on or went wrong. */
static int
status_h(const struct kiosk *k)
{
	const struct ui *ui = &k->ui;
	const struct sync_status *s = &k->head.sync;
	int large = ui->font_px[UI_FONT_LARGE] * 3 / 2;
	int body = ui->font_px[UI_FONT_BODY] * 3 / 2;
	int h = (s->unacked == 0 ? ui->font_px[UI_FONT_HUGE] * 3 / 2 : large) +
	    body;

	if (busy(k))
		h += (s->prog_records_total == 0 ? body : 0) + ui_mm(ui, 4) +
		    body;
	else if (s->trigger_ms > s->last_attempt_ms &&
	    (uploader == 0 || s->unacked > 0))
		h += body;
	else if (fail_key(s->last_rc) != NULL && s->unacked > 0)
		h += large + (s->backoff_until_ms > k->now_ms ? body : 0);
	return h;
}

/* ---- 系统更新 (issue 14): the last update, a bundle on a stick ---- */

#define UPDATE_SHOWN_MS (7 * 24 * 3600 * 1000LL)

/* DATA/update.state, written after a reboot into an update: shown for
 * 7 days from the install. */
static void
update_last_lines(struct kiosk *k)
{
	char path[SETTINGS_PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/update.state", k->data_dir);
	k->upd.has_last = k->data_dir[0] != '\0' &&
	    update_last_read(path, &k->upd.last) == GU_OK &&
	    k->now_ms - k->upd.last.installed_ms < UPDATE_SHOWN_MS;
}

static void
update_lines(struct kiosk *k, struct ui_rect *r)
{
	const struct update_last *l = &k->upd.last;
	char buf[256], ymd[16], day[32];
	uint32_t d;

	if (k->upd.on_stick)
		line(k, r, UI_FONT_BODY, UI_C_PRIMARY,
		    kiosk_s(k, "update.notice"));
	if (k->upd.downloaded) {
		const char *h = k->upd.ready.hours;
		char from[8], to[8];

		/* "02-05": 「… 将在 02:00–05:00 自动安装」; "off" or
		 * none: by hand, on 系统更新. */
		if (strlen(h) == 5 && h[2] == '-') {
			snprintf(from, sizeof(from), "%.2s:00", h);
			snprintf(to, sizeof(to), "%.2s:00", h + 3);
			ui_fmt(buf, sizeof(buf),
			    kiosk_s(k, "update.downloaded"),
			    k->upd.ready.version, from, to);
		} else
			ui_fmt(buf, sizeof(buf),
			    kiosk_s(k, "update.downloaded_hand"),
			    k->upd.ready.version, NULL, NULL);
		line(k, r, UI_FONT_BODY, UI_C_PRIMARY, buf);
	}
	if (!k->upd.has_last)
		return;
	d = domain_day_of(l->installed_ms, k->cfg->tz_min);
	snprintf(ymd, sizeof(ymd), "%04u-%02u-%02u", d / 10000, d / 100 % 100,
	    d % 100);
	scr_day(k, ymd, day, sizeof(day));
	ui_fmt(buf, sizeof(buf),
	    kiosk_s(k, l->good ? "update.last_good" : "update.last_rolled"),
	    l->to, l->good ? day : l->from, NULL);
	line(k, r, UI_FONT_BODY, l->good ? UI_C_OK : UI_C_DANGER, buf);
}

static void
scr_head(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	const struct sync_status *s = &k->head.sync;
	struct ui_rect body, left, right, btns, more, b, r;
	char buf[256], a[64], w[64], n[24], sz[24];
	int g = scr_gap(k), fast, wide, more_font = UI_FONT_LARGE;
	int more_cols, more_row_h;
	size_t i;

	/* Live while the daemon works, or was just asked to. */
	fast = busy(k) ||
	    (s->trigger_ms != 0 && k->now_ms - s->trigger_ms < 30000);
	if (k->now_ms - k->head.loaded_ms >= (fast ? 1000 : 10000))
		load(k);
	ui_wake_at(ui, k->head.loaded_ms + (fast ? 1000 : 10000));

	if (scr_header(k, &body, kiosk_s(k, "head.title"), SCR_BACK_SIGNOUT)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	wide = body.w >= body.h;
	if (wide) {
		left = ui_cut_left(&body, body.w * 2 / 3);
		ui_cut_left(&body, g * 2);
	} else
		left = body; /* its height once the buttons are known */
	{
		/* The two rows of buttons first, lower on a landscape screen
		 * (short of height) and taller when a label needs two lines;
		 * the lines above get what is left. */
		int bw = (left.w - 2 * g) / 3, bh = ui_mm(ui, wide ? 12 : 15);
		int mw, mh;
		for (i = 0; i < 3; i++)
			if (!ui_text_fits(ui,
			        ui_inset((struct ui_rect){0, 0, bw, bh},
			            ui_mm(ui, 1.5f)),
			        UI_FONT_LARGE, kiosk_s(k, btn_keys[i])))
				bh = ui_mm(ui, 16.5f);
		/* The second row, narrower buttons: its labels on one line,
		 * in the body size when the large one is too wide; when even
		 * the small size is, two rows of half as many (a word is
		 * never broken over two lines of a button). */
		more_cols = (int) HEAD_MORE_N;
		for (;;) {
			int small_fits = 1;
			mw = (left.w - (more_cols - 1) * g) / more_cols;
			more_font = UI_FONT_LARGE;
			for (i = 0; i < HEAD_MORE_N; i++) {
				const char *t = kiosk_s(k, head_more[i].key);
				if (ui_button_w(ui, UI_FONT_LARGE, t) > mw)
					more_font = UI_FONT_BODY;
				if (ui_button_w(ui, UI_FONT_SMALL, t) > mw)
					small_fits = 0;
			}
			if (small_fits || more_cols <= 2)
				break;
			more_cols = (more_cols + 1) / 2;
		}
		more_row_h = bh;
		mh = bh;
		for (i = (size_t) more_cols; i < HEAD_MORE_N;
		     i += (size_t) more_cols)
			mh += g + bh;
		if (!wide) {
			/* Portrait: the buttons and room for the lines
			 * above them; the panel below gets the rest, and at
			 * least a quarter. */
			int need = status_h(k) + g + bh + g + mh + g;
			if (need > body.h * 3 / 4)
				need = body.h * 3 / 4;
			left = ui_cut_top(&body, need);
			ui_cut_top(&body, g * 2);
		}
		more = ui_cut_bottom(&left, mh);
		ui_cut_bottom(&left, g);
		btns = ui_cut_bottom(&left, bh);
		ui_cut_bottom(&left, g);
	}
	right = body;

	/* What waits, in words. */
	if (s->unacked == 0)
		line(k, &left, UI_FONT_HUGE, UI_C_OK,
		    kiosk_s(k, "head.all_uploaded"));
	else {
		snprintf(n, sizeof(n), "%llu", (unsigned long long) s->unacked);
		scr_when(k, s->oldest_unacked_ms, w, sizeof(w));
		ui_fmt(
		    buf, sizeof(buf), kiosk_s(k, "head.waiting"), n, w, NULL);
		line(k, &left, UI_FONT_LARGE, UI_C_TEXT, buf);
	}
	if (s->last_success_ms != 0) {
		scr_when(k, s->last_success_ms, w, sizeof(w));
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "head.last_success"), w,
		    NULL, NULL);
	} else
		snprintf(buf, sizeof(buf), "%s", kiosk_s(k, "head.never"));
	line(k, &left, UI_FONT_BODY, UI_C_MUTED, buf);
	if (busy(k)) {
		/* 正在上传 until the daemon counts; then its counts say it. */
		if (s->prog_records_total == 0)
			line(k, &left, UI_FONT_BODY, UI_C_PRIMARY,
			    kiosk_s(k, "head.uploading"));
		progress(k, &left);
	} else if (s->trigger_ms > s->last_attempt_ms && uploader == 0) {
		/* Asked, and nobody is there to upload: say so plainly, and
		 * what to do, rather than "connecting" for ever. */
		line(k, &left, UI_FONT_BODY, UI_C_DANGER,
		    kiosk_s(k, "head.no_uploader"));
	} else if (s->trigger_ms > s->last_attempt_ms &&
	    k->now_ms - s->trigger_ms < 30000 && s->unacked > 0)
		line(k, &left, UI_FONT_BODY, UI_C_PRIMARY,
		    kiosk_s(k, "head.asked"));
	else if (s->trigger_ms > s->last_attempt_ms && s->unacked > 0)
		line(k, &left, UI_FONT_BODY, UI_C_DANGER,
		    kiosk_s(k, "head.no_answer"));
	else if (fail_key(s->last_rc) != NULL && s->unacked > 0) {
		snprintf(n, sizeof(n), "%d", s->http_code);
		ui_fmt(buf, sizeof(buf), kiosk_s(k, fail_key(s->last_rc)), n,
		    NULL, NULL);
		line(k, &left, UI_FONT_LARGE, UI_C_DANGER, buf);
		if (s->backoff_until_ms > k->now_ms) {
			scr_when(k, s->backoff_until_ms, w, sizeof(w));
			ui_fmt(buf, sizeof(buf), kiosk_s(k, "head.retry_at"), w,
			    NULL, NULL);
			line(k, &left, UI_FONT_BODY, UI_C_MUTED, buf);
		}
	}

	/* The buttons at the bottom of the left column, one text size. */
	ui_group_begin(ui, ui_id("head.btns", 0), UI_FONT_LARGE);
	for (i = 0; i < 3; i++)
		ui_group_fit(ui,
		    (struct ui_rect){0, 0, (btns.w - 2 * g) / 3, btns.h},
		    kiosk_s(k, btn_keys[i]), NULL);
	b = ui_cut_left(&btns, (btns.w - 2 * g) / 3);
	if (ui_button(ui, ui_id("head.now", 0), b,
	        busy(k) ? UI_BTN_NORMAL : UI_BTN_PRIMARY, UI_FONT_LARGE,
	        kiosk_s(k, "head.upload_now")) &&
	    !busy(k)) {
		int trc = domain_upload_now(&k->dom, k->now_ms);
		if (trc == GU_OK) {
			kiosk_poke_trigger(k);
			load(k);
			/* Nobody to upload: what that means and what to do,
			 * in a message with room for it. */
			if (uploader == 0)
				kiosk_message(k, "head.no_uploader_msg", 1);
		} else
			scr_failed(k, trc, 0);
	}
	ui_cut_left(&btns, g);
	b = ui_cut_left(&btns, (btns.w - g) / 2);
	if (ui_button(ui, ui_id("head.usb", 0), b, UI_BTN_NORMAL, UI_FONT_LARGE,
	        kiosk_s(k, "head.export")))
		export(k);
	ui_cut_left(&btns, g);
	if (ui_button(ui, ui_id("head.children", 0), btns, UI_BTN_NORMAL,
	        UI_FONT_LARGE, kiosk_s(k, "head.children"))) {
		ui_group_end(ui);
		kiosk_go(k, SCR_MENTOR);
		return;
	}
	ui_group_end(ui);
	/* The second row (or two, more_cols to a row): one size of its
	 * own, in which every label takes one line. */
	b = more;
	b.w = (more.w - (more_cols - 1) * g) / more_cols;
	b.h = more_row_h;
	ui_group_begin(ui, ui_id("head.more", -1), more_font);
	for (i = 0; i < HEAD_MORE_N; i++)
		ui_group_fit(ui,
		    (struct ui_rect){0, 0, b.w, mh_of(ui, b.h, more_font)},
		    kiosk_s(k, head_more[i].key), NULL);
	for (i = 0; i < HEAD_MORE_N; i++) {
		b.x = more.x + (int) (i % (size_t) more_cols) * (b.w + g);
		b.y = more.y + (int) (i / (size_t) more_cols) * (b.h + g);
		if (ui_button(ui, ui_id("head.more", (int64_t) i), b,
		        head_more[i].style, more_font,
		        kiosk_s(k, head_more[i].key))) {
			ui_group_end(ui);
			head_more[i].go(k);
			return;
		}
	}
	ui_group_end(ui);

	/* The recent uploads, under the school's tasks. */
	ui_rect(ui, right, UI_C_PANEL);
	right = ui_inset(right, ui_mm(ui, 2));
	/* The open urgent reports take the bottom first, then the school's
	 * tasks the top; the uploads get what is left. */
	if (staff_block(k, &right))
		return;
	/* What is overdue, at the top of the right column. */
	snprintf(a, sizeof(a), "%u", k->head.n_overdue);
	snprintf(n, sizeof(n), "%u", k->head.n_open);
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "head.overdue"), a, n, NULL);
	line(k, &right, UI_FONT_BODY, k->head.n_open ? UI_C_DANGER : UI_C_TEXT,
	    buf);
	if (k->head.export_msg[0] != '\0')
		line(k, &right, UI_FONT_SMALL, UI_C_MUTED, k->head.export_msg);
	update_lines(k, &right); /* issue 14 */
	ui_cut_top(&right, g);
	head_tasks(k, &right); /* issue 12, h-tasks */
	if (k->scr != SCR_HEAD)
		return;
	line(k, &right, UI_FONT_BODY, UI_C_TEXT, kiosk_s(k, "head.recent"));
	if (k->head.n_recent == 0)
		line(k, &right, UI_FONT_BODY, UI_C_MUTED,
		    kiosk_s(k, "head.none_yet"));
	for (i = 0; i < k->head.n_recent; i++) {
		const struct sync_batch *bt = &k->head.recent[i];
		scr_when(k, bt->acked_ms, w, sizeof(w));
		snprintf(n, sizeof(n), "%u", bt->n_records);
		kib(sz, sizeof(sz), bt->gz_bytes);
		ui_fmt(buf, sizeof(buf),
		    kiosk_s(k, bt->urgent ? "head.batch_urgent" : "head.batch"),
		    w, n, sz);
		r = right;
		line(k, &right, UI_FONT_BODY,
		    bt->urgent ? UI_C_DANGER : UI_C_TEXT, buf);
		(void) r;
	}
}

const struct scr_row scr_row_head = {"head", scr_head_enter, scr_head, NULL, 0};
