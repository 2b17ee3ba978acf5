/*
 * scr_update.c: 系统更新, the headteacher installs a signed update from a
 * USB stick, or the one guanai-sync downloaded (issue 14; docs/image.md
 * "Updates", docs/sync.md "Updates over the network").  Entering it finds
 * the bundle on the stick (else the downloaded one, DATA/update/ready)
 * and has rauc check it (update.h): the running
 * version, the bundle's and what changes; a bundle that is not ours, for
 * another device, damaged or not newer is refused with the reason in
 * plain words and rauc's own in small print.  安装 asks the head's PIN
 * again (the sign-in's keypad and PIN check), then rauc installs while a
 * bar shows its step; at the end 「更新完成，正在重启」 and the reboot is
 * asked for through the request file, or the reason it failed and 返回.
 * The head's screen only: entering it without a headteacher goes home.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

#define POLL_MS 50

void
scr_update_cfg(const struct kiosk *k, struct update_cfg *c)
{
	c->rauc_bin = k->cfg->rauc_bin;
	c->system_conf = k->cfg->rauc_conf;
	c->version_file = k->cfg->version_file;
}

static void
scr_update_enter(struct kiosk *k)
{
	struct kiosk_update *u = &k->upd;
	struct update_cfg c;
	char path[sizeof(u->b.path)];

	if (k->ses.staff_id[0] == '\0' || k->ses.must_change_pin ||
	    !(k->ses.roles & ROLE_HEAD)) {
		kiosk_go(k, SCR_HOME);
		return;
	}
	update_stop(&u->job);
	memset(&u->b, 0, sizeof(u->b));
	u->pin[0] = '\0';
	u->msg = NULL;
	u->locked_until_ms = 0;
	u->rebooting = 0;
	scr_update_cfg(k, &c);
	if (update_running(&c, u->running, sizeof(u->running)) != GU_OK)
		snprintf(u->running, sizeof(u->running), "%s",
		    kiosk_s(k, "update.unknown"));
	u->step = UPS_NONE;
	u->from_net = 0;
	/* A stick first (someone just put it in), else what guanai-sync
	 * downloaded and checked; rauc checks either again here. */
	if (update_find(k->cfg->media_dir, path, sizeof(path)) != GU_OK) {
		if (update_downloaded(k->data_dir, &c, &u->ready, path,
		        sizeof(path)) != GU_OK)
			return;
		u->from_net = 1;
	}
	(void) update_check(&c, path, &u->b);
	u->step = UPS_BUNDLE;
}

static void
scr_update_leave(struct kiosk *k)
{
	update_stop(&k->upd.job);
	explicit_bzero(k->upd.pin, sizeof(k->upd.pin));
}

/* A paragraph at the top of *r in font: as many lines (up to max) as it
 * needs to fit whole; nothing drawn when it cannot. */
static void
para(struct kiosk *k, struct ui_rect *r, int font, int color, int max,
    const char *t)
{
	struct ui *ui = &k->ui;
	int lh = ui->font_px[font] * 3 / 2, n;
	struct ui_rect l = *r;

	for (n = 1; n <= max && n * lh <= r->h; n++) {
		l.h = n * lh;
		if (ui_text_fits(ui, l, font, t))
			break;
	}
	if (n > max || n * lh > r->h)
		return;
	l = ui_cut_top(r, n * lh);
	ui_text(ui, l, font, color, UI_ALIGN_LEFT, t);
	ui_cut_top(r, scr_gap(k) / 2);
}

/* The refusal or failure why in words, into buf. */
static const char *
why_text(struct kiosk *k, enum update_why why, char *buf, size_t len)
{
	switch (why) {
	case UPDATE_WHY_SIGNATURE:
		return kiosk_s(k, "update.why_signature");
	case UPDATE_WHY_COMPATIBLE:
		return kiosk_s(k, "update.why_compatible");
	case UPDATE_WHY_DAMAGED:
		return kiosk_s(k, "update.why_damaged");
	case UPDATE_WHY_NOT_NEWER:
		ui_fmt(buf, len, kiosk_s(k, "update.why_not_newer"),
		    k->upd.b.version, k->upd.running, NULL);
		return buf;
	default:
		return kiosk_s(k, "update.why_failed");
	}
}

/* The reason in plain words, and rauc's own in small print. */
static void
reason(struct kiosk *k, struct ui_rect *r, enum update_why why, const char *msg)
{
	char buf[384], said[384];

	para(k, r, UI_FONT_BODY, UI_C_DANGER, 3,
	    why_text(k, why, buf, sizeof(buf)));
	if (msg[0] != '\0') {
		ui_fmt(said, sizeof(said), kiosk_s(k, "update.rauc_said"), msg,
		    NULL, NULL);
		para(k, r, UI_FONT_SMALL, UI_C_MUTED, 3, said);
	}
}

/* A button of label key at the left of the bottom row *row. */
static int
row_button(struct kiosk *k, struct ui_rect *row, const char *key, int style)
{
	struct ui *ui = &k->ui;
	const char *label = kiosk_s(k, key);
	struct ui_rect b = ui_cut_left(
	    row, ui_button_w(ui, UI_FONT_LARGE, label) + ui_mm(ui, 16));

	ui_cut_left(row, scr_gap(k) * 2);
	return ui_button(ui, ui_id(key, 0), b, style, UI_FONT_LARGE, label);
}

static void
bundle(struct kiosk *k, struct ui_rect body)
{
	struct kiosk_update *u = &k->upd;
	struct ui_rect row;
	char buf[256];

	row = ui_cut_bottom(&body, ui_mm(&k->ui, 15));
	ui_cut_bottom(&body, scr_gap(k));
	ui_fmt(buf, sizeof(buf), kiosk_s(k, "update.running"), u->running, NULL,
	    NULL);
	para(k, &body, UI_FONT_BODY, UI_C_TEXT, 1, buf);
	if (u->step == UPS_NONE) {
		para(k, &body, UI_FONT_LARGE, UI_C_TEXT, 3,
		    kiosk_s(k, "update.none"));
	} else {
		ui_fmt(buf, sizeof(buf),
		    kiosk_s(k, u->from_net ? "update.new_net" : "update.new"),
		    u->b.version[0] ? u->b.version
		                    : kiosk_s(k, "update.unknown"),
		    NULL, NULL);
		para(k, &body, UI_FONT_LARGE, UI_C_PRIMARY, 1, buf);
		if (u->b.why == UPDATE_WHY_NONE) {
			para(k, &body, UI_FONT_BODY, UI_C_TEXT, 1,
			    kiosk_s(k, "update.changes"));
			para(k, &body, UI_FONT_BODY, UI_C_TEXT, 4,
			    u->b.description[0]
			        ? u->b.description
			        : kiosk_s(k, "update.no_changes"));
		} else
			reason(k, &body, u->b.why, u->b.msg);
	}
	if (u->step == UPS_BUNDLE && u->b.why == UPDATE_WHY_NONE &&
	    row_button(k, &row, "update.install", UI_BTN_PRIMARY)) {
		u->step = UPS_PIN;
		u->pin[0] = '\0';
		u->msg = NULL;
		return;
	}
	if (row_button(k, &row, "update.back", UI_BTN_NORMAL))
		kiosk_go(k, SCR_HEAD);
}

/* The PIN was entered: the sign-in's check, then rauc install. */
static void
confirmed(struct kiosk *k)
{
	struct kiosk_update *u = &k->upd;
	struct auth_session again;
	struct update_cfg c;
	int64_t until = 0;
	int rc;

	rc = auth_signin(k->dom.store, &k->auth, k->now_ms, k->ses.staff_id,
	    u->pin, &again, &until);
	explicit_bzero(u->pin, sizeof(u->pin));
	u->locked_until_ms = until;
	if (rc != GU_OK) {
		u->msg = rc == GU_ELOCKED || until > k->now_ms ? "signin.locked"
		    : rc == GU_EAUTH                           ? "signin.wrong"
		                     : "signin.failed";
		return;
	}
	scr_update_cfg(k, &c);
	(void) update_start(&u->job, &c, u->b.path);
	u->step = u->job.state == UPDATE_RUNNING ? UPS_RUNNING : UPS_FAILED;
	ui_wake_at(&k->ui, k->now_ms + POLL_MS);
}

static void
pin(struct kiosk *k, struct ui_rect body)
{
	struct ui *ui = &k->ui;
	struct kiosk_update *u = &k->upd;
	struct ui_rect left, q;
	char buf[192], n[24];
	int g = scr_gap(k), locked = u->locked_until_ms > k->now_ms;

	if (body.w >= body.h) {
		left = ui_cut_left(&body, body.w - body.h * 4 / 5 - g);
		ui_cut_left(&body, g);
	} else {
		left = ui_cut_top(&body, body.h * 45 / 100);
		ui_cut_top(&body, g);
	}
	if (scr_keypad(k, body, u->pin, locked)) {
		confirmed(k);
		return;
	}
	q = ui_cut_top(&left, ui->font_px[UI_FONT_HUGE] * 3 / 2);
	ui_text(ui, q, ui_fit_font(ui, UI_FONT_HUGE, k->ses.name, q.w),
	    UI_C_TEXT, UI_ALIGN_LEFT, k->ses.name);
	para(k, &left, UI_FONT_LARGE, UI_C_TEXT, 2, kiosk_s(k, "update.pin"));
	scr_pin_dots(
	    k, ui_cut_top(&left, ui->font_px[UI_FONT_HUGE] * 2), u->pin);
	if (locked) {
		int64_t s = (u->locked_until_ms - k->now_ms + 999) / 1000;
		snprintf(n, sizeof(n), "%lld", (long long) s);
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "signin.locked"), n, NULL,
		    NULL);
		ui_wake_at(ui, u->locked_until_ms - (s - 1) * 1000);
		para(k, &left, UI_FONT_BODY, UI_C_DANGER, 3, buf);
	} else if (u->msg != NULL)
		para(
		    k, &left, UI_FONT_BODY, UI_C_DANGER, 3, kiosk_s(k, u->msg));
}

static void
running(struct kiosk *k, struct ui_rect body)
{
	struct ui *ui = &k->ui;
	const struct update_job *j = &k->upd.job;
	struct ui_rect bar, fill;
	char pct[8], buf[128];

	snprintf(pct, sizeof(pct), "%u", j->pct);
	ui_fmt(
	    buf, sizeof(buf), kiosk_s(k, "update.installing"), pct, NULL, NULL);
	para(k, &body, UI_FONT_LARGE, UI_C_PRIMARY, 1, buf);
	bar = ui_cut_top(&body, ui_mm(ui, 8));
	ui_cut_top(&body, scr_gap(k));
	ui_rect(ui, bar, UI_C_BORDER);
	fill = bar;
	fill.w = (int) ((int64_t) bar.w * (j->pct > 100 ? 100 : j->pct) / 100);
	ui_rect(ui, fill, UI_C_PRIMARY);
	if (j->step[0] != '\0')
		para(k, &body, UI_FONT_SMALL, UI_C_MUTED, 1, j->step);
	para(k, &body, UI_FONT_BODY, UI_C_TEXT, 3,
	    kiosk_s(k, k->upd.from_net ? "update.hint_net" : "update.hint"));
}

static void
scr_update(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct kiosk_update *u = &k->upd;
	struct ui_rect body, row;
	int busy;

	if (u->step == UPS_RUNNING) {
		update_poll(&u->job, 20);
		if (u->job.state == UPDATE_RUNNING) {
			ui_wake_at(ui, k->now_ms + POLL_MS);
			/* An install is not idleness: no sign-out meanwhile. */
			k->last_input_ms = k->now_ms;
		} else
			u->step =
			    u->job.state == UPDATE_DONE ? UPS_DONE : UPS_FAILED;
	}
	if (u->step == UPS_DONE && !u->rebooting) {
		u->rebooting = 1;
		(void) update_request_reboot(k->cfg->reboot_request);
	}
	busy = u->step == UPS_RUNNING || u->step == UPS_DONE;
	if (busy)
		k->last_input_ms = k->now_ms;
	if (scr_header(k, &body, kiosk_s(k, "update.title"), !busy)) {
		if (u->step == UPS_PIN) {
			u->step = UPS_BUNDLE;
			explicit_bzero(u->pin, sizeof(u->pin));
		} else
			kiosk_go(k, SCR_HEAD);
		return;
	}
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	switch (u->step) {
	case UPS_PIN:
		pin(k, body);
		break;
	case UPS_RUNNING:
		running(k, body);
		break;
	case UPS_DONE:
		para(k, &body, UI_FONT_HUGE, UI_C_OK, 2,
		    kiosk_s(k, "update.done"));
		para(k, &body, UI_FONT_BODY, UI_C_TEXT, 2,
		    kiosk_s(k, "update.done_sub"));
		break;
	case UPS_FAILED:
		row = ui_cut_bottom(&body, ui_mm(ui, 15));
		ui_cut_bottom(&body, scr_gap(k));
		para(k, &body, UI_FONT_LARGE, UI_C_DANGER, 1,
		    kiosk_s(k, "update.failed"));
		reason(k, &body, u->job.why, u->job.msg);
		if (row_button(k, &row, "update.back", UI_BTN_NORMAL))
			kiosk_go(k, SCR_HEAD);
		break;
	default:
		bundle(k, body);
		break;
	}
}

const struct scr_row scr_row_update = {
    "update", scr_update_enter, scr_update, scr_update_leave, 0};
