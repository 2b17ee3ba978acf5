/*
 * scr_staff.c: staff sign-in: pick your name, enter the PIN on a big
 * keypad; on the first sign-in with the initial PIN, choose a new one
 * (entered twice).  Wrong PINs and locks are the domain's (staff_auth.h):
 * this screen shows them in words, with a live countdown while locked.
 * Once signed in, the kiosk goes on to what the sign-in was for.
 */
#include <stdio.h>
#include <string.h>

#include "scr.h"
#include "status.h"

/* Each purpose of a sign-in, one row: who may sign in for it (any of
 * the roles), the title, where it goes once the PIN is right, whether the
 * lecture starts from its first class, whether the "close the lecture?"
 * question shows there.  The close is confirmed on the lecture screen,
 * which is the students': the session ends there. */
static const struct {
	unsigned roles;
	const char *title;
	enum scr to;
	int first_class, ask_end;
} after_tab[] = {
    [AFTER_MENTOR] = {ROLE_MENTOR | ROLE_TEACHER | ROLE_HEAD,
        "signin.title_mentor", SCR_MENTOR, 0, 0},
    [AFTER_HEAD] = {ROLE_HEAD, "signin.title_head", SCR_HEAD, 0, 0},
    [AFTER_LEC_START] = {ROLE_MENTOR | ROLE_TEACHER | ROLE_HEAD,
        "signin.title_lecture", SCR_LEC_START, 0, 0},
    [AFTER_LEC_MARK] = {ROLE_MENTOR | ROLE_TEACHER | ROLE_HEAD,
        "signin.title_lecture", SCR_LEC_MARK, 1, 0},
    [AFTER_LEC_END] = {ROLE_MENTOR | ROLE_TEACHER | ROLE_HEAD,
        "signin.title_lecture", SCR_LEC_CLASSES, 0, 1},
    [AFTER_LEC_ABSENT] = {ROLE_MENTOR | ROLE_TEACHER | ROLE_HEAD,
        "signin.title_lecture", SCR_LEC_ABSENT, 0, 0},
};

/* Whether staff member st may do what the sign-in is for. */
static int
fits(const struct kiosk *k, unsigned roles)
{
	return (roles & after_tab[k->sign.after].roles) != 0;
}

static void
scr_signin_enter(struct kiosk *k)
{
	struct dom_staff all[DOM_STAFF_MAX];
	size_t n = 0, i;

	k->sign.step = SIGN_WHO;
	k->sign.who = -1;
	k->sign.pin[0] = k->sign.pin_new[0] = k->sign.pin_old[0] = '\0';
	k->sign.msg = NULL;
	k->sign.locked_until_ms = 0;
	k->sign.n_staff = 0;
	if (domain_staff(&k->dom, all, DOM_STAFF_MAX, &n) != GU_OK)
		n = 0;
	for (i = 0; i < n; i++)
		if (fits(k, all[i].roles))
			k->sign.staff[k->sign.n_staff++] = all[i];
}

/* Signed in: on to what it was for. */
static void
proceed(struct kiosk *k)
{
	enum after_signin a = k->sign.after;

	if (after_tab[a].first_class)
		k->lec.cls = 0;
	kiosk_go(k, after_tab[a].to);
	if (after_tab[a].ask_end)
		k->lec.ask_end = 1;
}

static void
submit(struct kiosk *k)
{
	const char *why = NULL;
	int64_t until = 0;
	int rc;

	switch (k->sign.step) {
	case SIGN_WHO:
		break;
	case SIGN_PIN:
		rc = auth_signin(k->dom.store, &k->auth, k->now_ms,
		    k->sign.staff[k->sign.who].id, k->sign.pin, &k->ses,
		    &until);
		k->sign.locked_until_ms = until;
		if (rc == GU_OK) {
			if (k->ses.must_change_pin) {
				memcpy(k->sign.pin_old, k->sign.pin,
				    sizeof(k->sign.pin_old));
				k->sign.step = SIGN_NEW;
				k->sign.msg = "signin.first_time";
			} else
				proceed(k);
		} else if (rc == GU_EAUTH)
			k->sign.msg = until > k->now_ms ? "signin.locked"
			                                : "signin.wrong";
		else if (rc == GU_ELOCKED)
			k->sign.msg = "signin.locked";
		else
			k->sign.msg = "signin.failed";
		k->sign.pin[0] = '\0';
		break;
	case SIGN_NEW:
		memcpy(k->sign.pin_new, k->sign.pin, sizeof(k->sign.pin_new));
		k->sign.pin[0] = '\0';
		k->sign.step = SIGN_AGAIN;
		k->sign.msg = "signin.again";
		break;
	case SIGN_AGAIN:
		rc = auth_change_pin(k->dom.store, &k->auth, k->now_ms, &k->ses,
		    k->sign.pin_old, k->sign.pin_new, k->sign.pin, &why);
		k->sign.pin[0] = k->sign.pin_new[0] = '\0';
		if (rc == GU_OK) {
			k->sign.pin_old[0] = '\0';
			kiosk_message(k, "signin.changed", 0);
			proceed(k);
			return;
		}
		k->sign.step = SIGN_NEW;
		k->sign.msg = why == NULL          ? "signin.failed"
		    : strcmp(why, "mismatch") == 0 ? "signin.mismatch"
		    : strcmp(why, "same") == 0     ? "signin.same"
		                                   : "signin.format";
		break;
	}
}

static const char *
who_cell(struct kiosk *k, size_t i, int *style, const char **sub)
{
	(void) style;
	(void) sub;
	return k->sign.staff[i].name;
}

static const char *
title_key(const struct kiosk *k)
{
	return after_tab[k->sign.after].title;
}

/* The keypad (scr_keypad); 确定 with four digits submits. */
static void
keypad(struct kiosk *k, struct ui_rect r, int locked)
{
	if (scr_keypad(k, r, k->sign.pin, locked))
		submit(k);
}

/* 安全讲堂签到 tapped with no lecture open: first of all, in large
 * words for the student who tapped it, that there is none; the teacher
 * who wants to start one picks his name below. */
static void
no_lecture(struct kiosk *k, struct ui_rect *body)
{
	struct ui *ui = &k->ui;
	const char *none = kiosk_s(k, "lecture.none"),
	           *sub = kiosk_s(k, "lecture.none_sub");
	struct ui_rect band, l;

	band = ui_cut_top(body,
	    ui->font_px[UI_FONT_HUGE] * 3 / 2 + ui->font_px[UI_FONT_BODY] * 3);
	ui_cut_top(body, scr_gap(k));
	ui_rect(ui, band, UI_C_PANEL);
	band = ui_inset(band, scr_gap(k));
	l = ui_cut_top(&band, ui->font_px[UI_FONT_HUGE] * 5 / 4);
	ui_text(ui, l, ui_fit_font(ui, UI_FONT_HUGE, none, l.w), UI_C_TEXT,
	    UI_ALIGN_CENTER, none);
	ui_text(ui, band, ui_fit_font(ui, UI_FONT_BODY, sub, band.w),
	    UI_C_MUTED, UI_ALIGN_CENTER, sub);
}

/* The lock in words, and that the headteacher can reset a forgotten
 * PIN (scr_pinreset.c). */
static void
locked_msg(struct kiosk *k, struct ui_rect r, const char *locked)
{
	struct ui *ui = &k->ui;
	const char *help = kiosk_s(k, "signin.locked_help");
	struct ui_rect l = r;
	int lh = ui->font_px[UI_FONT_BODY] * 3 / 2;

	l.h = lh;
	while (!ui_text_fits(ui, l, UI_FONT_BODY, locked) && l.h + lh < r.h)
		l.h += lh;
	l = ui_cut_top(&r, l.h);
	ui_text(ui, l, UI_FONT_BODY, UI_C_DANGER, UI_ALIGN_LEFT, locked);
	/* Where it fits whole: never over the lock's words. */
	if (r.h > 0 && ui_text_fits(ui, r, UI_FONT_BODY, help))
		ui_text(ui, r, ui_fit_font(ui, UI_FONT_BODY, help, r.w),
		    UI_C_TEXT, UI_ALIGN_LEFT, help);
}

static void
scr_signin(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect body, left, q, dots_r, msg_r;
	char buf[192], n[24];
	int t, locked, g = scr_gap(k);

	if (scr_header(k, &body, kiosk_s(k, title_key(k)), 1)) {
		if (k->sign.step == SIGN_PIN) {
			k->sign.step = SIGN_WHO;
			k->sign.pin[0] = '\0';
			k->sign.msg = NULL;
		} else
			kiosk_go(k, SCR_HOME);
		return;
	}
	if (k->sign.step == SIGN_WHO) {
		if (k->sign.after == AFTER_LEC_START)
			no_lecture(k, &body);
		q = ui_cut_top(&body, ui->font_px[UI_FONT_LARGE] * 3 / 2);
		ui_text(ui, q, UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_LEFT,
		    kiosk_s(k, "signin.pick_name"));
		ui_cut_top(&body, g);
		if (k->sign.n_staff == 0) {
			ui_text(ui, body, UI_FONT_LARGE, UI_C_MUTED,
			    UI_ALIGN_CENTER, kiosk_s(k, "lecture.no_staff"));
			return;
		}
		t = scr_grid(k, body, &k->scroll, k->sign.n_staff, 40, 15,
		    UI_FONT_LARGE, who_cell, "signin.who");
		if (t >= 0) {
			k->sign.who = t;
			k->sign.step = SIGN_PIN;
			k->sign.pin[0] = '\0';
			k->sign.msg = NULL;
		}
		return;
	}

	/* The keypad on the right (or below in portrait), the name, the
	 * question, the dots and the message on the left. */
	ui_cut_bottom(&body, ui_mm(ui, 9)); /* the idle band */
	if (body.w >= body.h) {
		left = ui_cut_left(&body, body.w - body.h * 4 / 5 - g);
		ui_cut_left(&body, g);
	} else {
		/* Portrait: room for the name, the question, the dots and
		 * three lines of message (a lock and what to do about it),
		 * the keypad below in the rest and at least 45%. */
		int need = ui->font_px[UI_FONT_HUGE] * 7 / 2 +
		    ui->font_px[UI_FONT_LARGE] * 3 / 2 +
		    3 * (ui->font_px[UI_FONT_BODY] * 3 / 2);
		if (need < body.h / 3)
			need = body.h / 3;
		if (need > body.h * 55 / 100)
			need = body.h * 55 / 100;
		left = ui_cut_top(&body, need);
		ui_cut_top(&body, g);
	}
	locked = k->sign.locked_until_ms > k->now_ms;
	keypad(k, body, locked);
	if (k->scr != SCR_SIGNIN)
		return;

	q = ui_cut_top(&left, ui->font_px[UI_FONT_HUGE] * 3 / 2);
	ui_text(ui, q,
	    ui_fit_font(ui, UI_FONT_HUGE,
	        k->ses.staff_id[0] ? k->ses.name
	                           : k->sign.staff[k->sign.who].name,
	        q.w),
	    UI_C_TEXT, UI_ALIGN_LEFT,
	    k->ses.staff_id[0] ? k->ses.name : k->sign.staff[k->sign.who].name);
	q = ui_cut_top(&left, ui->font_px[UI_FONT_LARGE] * 3 / 2);
	ui_text(ui, q,
	    ui_fit_font(ui, UI_FONT_LARGE,
	        kiosk_s(k,
	            k->sign.step == SIGN_PIN       ? "signin.enter_pin"
	                : k->sign.step == SIGN_NEW ? "signin.new_pin"
	                                           : "signin.again_pin"),
	        q.w),
	    UI_C_TEXT, UI_ALIGN_LEFT,
	    kiosk_s(k,
	        k->sign.step == SIGN_PIN       ? "signin.enter_pin"
	            : k->sign.step == SIGN_NEW ? "signin.new_pin"
	                                       : "signin.again_pin"));
	dots_r = ui_cut_top(&left, ui->font_px[UI_FONT_HUGE] * 2);
	scr_pin_dots(k, dots_r, k->sign.pin);
	msg_r = left;
	if (locked) {
		int64_t left_s =
		    (k->sign.locked_until_ms - k->now_ms + 999) / 1000;
		snprintf(n, sizeof(n), "%lld", (long long) left_s);
		ui_fmt(buf, sizeof(buf), kiosk_s(k, "signin.locked"), n, NULL,
		    NULL);
		ui_wake_at(ui, k->sign.locked_until_ms - (left_s - 1) * 1000);
		locked_msg(k, msg_r, buf);
	} else if (k->sign.msg != NULL &&
	    strcmp(k->sign.msg, "signin.locked") != 0) {
		int bad = strcmp(k->sign.msg, "signin.first_time") != 0 &&
		    strcmp(k->sign.msg, "signin.again") != 0;
		ui_text(ui, msg_r, UI_FONT_BODY, bad ? UI_C_DANGER : UI_C_MUTED,
		    UI_ALIGN_LEFT, kiosk_s(k, k->sign.msg));
	}
}

/* No PIN stays in memory once the sign-in screen is left. */
static void
scr_signin_leave(struct kiosk *k)
{
	explicit_bzero(k->sign.pin, sizeof(k->sign.pin));
	explicit_bzero(k->sign.pin_new, sizeof(k->sign.pin_new));
	explicit_bzero(k->sign.pin_old, sizeof(k->sign.pin_old));
}

const struct scr_row scr_row_signin = {
    "signin", scr_signin_enter, scr_signin, scr_signin_leave, 0};
