/*
 * kiosk.c: the event loop and the walker of the screen table (see
 * kiosk.h, screens.h).  This is
 * where a tap starts its way: the platform reports it, one toolkit frame
 * runs with it, the current screen decides what it means.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk.h"
#include "platform.h"
#include "poke.h"
#include "scr.h"
#include "status.h"

const char *
kiosk_s(const struct kiosk *k, const char *key)
{
	return strtab_get(k->str, key);
}

void
kiosk_store_damaged(struct kiosk *k)
{
	if (!k->store_damaged)
		fprintf(stderr,
		    "guanai-kiosk: the store is damaged: "
		    "showing the storage-damaged screen, writing "
		    "nothing more\n");
	k->store_damaged = 1;
	k->msg_key = NULL;
	memset(&k->ses, 0, sizeof(k->ses)); /* no sign-out record */
	k->scr = SCR_DAMAGED;
}

void
kiosk_message(struct kiosk *k, const char *key, int is_error)
{
	k->msg_key = key;
	k->msg_is_error = is_error;
}

void
kiosk_sound(struct kiosk *k, int which)
{
	if (k->plat != NULL && k->cfg->sound)
		plat_sound(k->plat, which);
}

/* The table kiosk_go() and draw_screen() walk: one row per screen,
 * each defined by its screen file (screens.h). */
#define SCR_ROW_(id, row) [id] = &row,
static const struct scr_row *const screens[SCR_N] = {SCR_LIST(SCR_ROW_)};
#undef SCR_ROW_

const struct scr_row *
kiosk_screen(enum scr s)
{
	assert(s >= 0 && s < SCR_N && screens[s] != NULL);
	return screens[s];
}

int
kiosk_student_screen(enum scr s)
{
	return (kiosk_screen(s)->flags & SCR_F_STUDENT) != 0;
}

void
kiosk_signin_for(struct kiosk *k, enum after_signin what)
{
	kiosk_signout(k, 0);
	k->sign.after = what;
	kiosk_go(k, SCR_SIGNIN);
}

void
kiosk_signout(struct kiosk *k, int timed_out)
{
	/* The note's text and the input method's engines go with it. */
	scr_note_release(k);
	if (k->ses.staff_id[0] == '\0' || k->store_damaged)
		return;
	if (auth_signout(
	        k->dom.store, &k->auth, k->now_ms, &k->ses, timed_out) != GU_OK)
		fprintf(stderr, "guanai-kiosk: sign-out not recorded\n");
	memset(&k->ses, 0, sizeof(k->ses));
}

/* Pokes the sync daemon's socket after a commit, so the record leaves
 * soon.  Best effort: a lost poke is caught by the daemon's timer. */
static void
poke_kind(struct kiosk *k, const char *what, size_t len)
{
	struct sockaddr_un sa;
	size_t n = strlen(k->cfg->sync_socket);
	int fd;

	if (n == 0 || n >= sizeof(sa.sun_path))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, k->cfg->sync_socket, n);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return;
	(void) sendto(
	    fd, what, len, MSG_NOSIGNAL, (struct sockaddr *) &sa, sizeof(sa));
	close(fd);
}

/* After each commit.  The configured socket when there is one (the
 * appliance's is the data directory's), else the daemon's socket in the
 * data directory (poke.h). */
static void
poke_sync(void *arg)
{
	struct kiosk *k = arg;

	if (k->cfg->sync_socket[0] != '\0')
		poke_kind(k, "poke", 4);
	else if (k->data_dir[0] != '\0')
		poke_send(k->data_dir, POKE_COMMIT);
}

void
kiosk_poke_trigger(struct kiosk *k)
{
	char t = POKE_TRIGGER;

	if (k->cfg->sync_socket[0] != '\0')
		poke_kind(k, &t, 1);
	else if (k->data_dir[0] != '\0')
		poke_send(k->data_dir, POKE_TRIGGER);
}

/* Sets k up on an open store and a platform (NULL: the null front end). */
static void
kiosk_init(struct kiosk *k, const struct settings *cfg,
    const struct strtab *str, struct store *s, struct plat *p)
{
	int w = 1024, h = 600;
	float ppm = 6.67f;

	memset(k, 0, sizeof(*k));
	k->cfg = cfg;
	k->str = str;
	k->plat = p;
	domain_init(&k->dom, s, cfg->tz_min);
	k->dom.committed = poke_sync;
	k->dom.committed_arg = k;
	auth_policy_default(&k->auth);
	k->auth.tz_min = cfg->tz_min;
	k->auth.opslimit = (unsigned long long) cfg->pin_opslimit;
	k->auth.memlimit = (size_t) cfg->pin_memlimit_kib * 1024;
	care_policy_default(&k->care);
	k->care.contact_days = cfg->contact_days;
	k->care.tz_min = cfg->tz_min;
	if (cfg->term_start[0] != '\0') {
		char *e;
		long y = strtol(cfg->term_start, &e, 10);
		long m = strtol(e + 1, &e, 10);
		long d = strtol(e + 1, &e, 10);
		k->care.term_start_day = (uint32_t) (y * 10000 + m * 100 + d);
	}
	if (p != NULL)
		plat_size(p, &w, &h, &ppm);
	ui_init(&k->ui, w, h, ppm, p != NULL ? plat_measure : NULL, p);
	k->scr = SCR_HOME;
}

/* Loads cfg's strings table into a new *out. */
static int
strings_load(
    const struct settings *cfg, struct strtab **out, char *err, size_t len)
{
	char path[SETTINGS_PATH_MAX + 64], why[512];
	struct strtab *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL) {
		snprintf(err, len, "out of memory");
		return GU_ENOMEM;
	}
	snprintf(path, sizeof(path), "%s/strings.%s.txt", cfg->assets_dir,
	    cfg->lang);
	if (strtab_load(t, path, why, sizeof(why)) != GU_OK) {
		snprintf(err, len, "%s", why);
		free(t);
		return GU_EINVAL;
	}
	*out = t;
	return GU_OK;
}

int
kiosk_check(const struct settings *cfg, char *err, size_t len)
{
	struct strtab *t = NULL;
	int rc = strings_load(cfg, &t, err, len);

	free(t);
	return rc;
}

int
kiosk_open(struct kiosk *k, const struct settings *cfg, const char *data_dir,
    const struct plat_opts *o, char *err, size_t len)
{
	struct strtab *str = NULL;
	struct store *s = NULL;
	struct plat *p = NULL;
	char why[600];
	int rc, damaged = 0;

	rc = strings_load(cfg, &str, err, len);
	if (rc != GU_OK)
		goto fail;
	rc = store_open(&s, data_dir, NULL);
	if (rc == GU_ECORRUPT) {
		/* Damaged: the kiosk says so on screen and writes nothing
		 * (kiosk_store_damaged); the store stays as it is for the
		 * technician. */
		fprintf(stderr,
		    "guanai-kiosk: the store in %s is damaged: %s\n", data_dir,
		    status_str(rc));
		damaged = 1;
		s = NULL;
	} else if (rc != GU_OK) {
		snprintf(err, len, "cannot open the store in %s: %s", data_dir,
		    status_str(rc));
		goto fail;
	} else {
		struct store_info in;

		/* Opened, but its newest record failed its checksum: every
		 * append would be refused; say so before anyone tries. */
		if (store_info(s, &in) == GU_OK && in.damaged) {
			fprintf(stderr,
			    "guanai-kiosk: a record in %s failed its "
			    "checksum\n",
			    data_dir);
			damaged = 1;
		}
	}
	if (o != NULL) {
		rc = plat_open(&p, cfg, o, why, sizeof(why));
		if (rc != GU_OK) {
			snprintf(err, len, "%s", why);
			goto fail;
		}
	}
	kiosk_init(k, cfg, str, s, p);
	snprintf(k->data_dir, sizeof(k->data_dir), "%s", data_dir);
	k->own_str = str;
	k->own_store = s;
	k->own_plat = p;
	if (damaged)
		kiosk_store_damaged(k);
	return GU_OK;
fail:
	plat_close(p);
	store_close(s);
	free(str);
	return rc;
}

void
kiosk_close(struct kiosk *k)
{
	if (k == NULL)
		return;
	scr_note_release(k);
	plat_close(k->own_plat);
	store_close(k->own_store);
	free(k->own_str);
	k->own_plat = NULL;
	k->own_store = NULL;
	k->own_str = NULL;
	k->plat = NULL;
	k->str = NULL;
	k->dom.store = NULL;
}

void
kiosk_go(struct kiosk *k, enum scr s)
{
	const struct scr_row *from, *to;

	/* A damaged store: the one screen that reads and writes nothing. */
	if (k->store_damaged)
		s = SCR_DAMAGED;
	from = kiosk_screen(k->scr);
	to = kiosk_screen(s);
	if (from->leave != NULL)
		from->leave(k);
	/* Home and the students' screens end a staff session: the next
	 * person never continues in someone else's. */
	if (to->flags & SCR_F_PUBLIC)
		kiosk_signout(k, 0);
	k->scr = s;
	k->scr_since_ms = k->now_ms;
	memset(&k->scroll, 0, sizeof(k->scroll));
	if (to->enter != NULL)
		to->enter(k);
}

/* The message over the screen; tapping it (anywhere) closes it. */
static void
draw_message(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	struct ui_rect all = {0, 0, ui->w, ui->h}, box, btn;
	int bw, bh, m = scr_margin(k);

	ui_rect(ui, all, UI_C_SHADE);
	bw = ui->w * 3 / 4;
	bh = ui->h / 2;
	box = (struct ui_rect){(ui->w - bw) / 2, (ui->h - bh) / 2, bw, bh};
	/* The veil takes presses outside the box, and closes too. */
	if (ui_tap(ui, ui_id("msg.veil", 0), all, NULL)) {
		/* Closed: nothing more to draw (the key is gone). */
		k->msg_key = NULL;
		return;
	}
	ui_rect(ui, box, UI_C_PANEL);
	ui_rect(ui, ui_cut_top(&box, ui_mm(ui, 1.5f)),
	    k->msg_is_error ? UI_C_DANGER : UI_C_PRIMARY);
	box = ui_inset(box, m);
	btn = ui_cut_bottom(&box, ui_mm(ui, 13));
	btn = ui_inset(btn, 0);
	btn.x += (btn.w - btn.w / 2) / 2;
	btn.w /= 2;
	ui_text(ui, box, UI_FONT_LARGE, UI_C_TEXT, UI_ALIGN_CENTER,
	    kiosk_s(k, k->msg_key));
	if (ui_button(ui, ui_id("msg.ok", 0), btn, UI_BTN_PRIMARY,
	        UI_FONT_LARGE, kiosk_s(k, "common.ok")))
		k->msg_key = NULL;
}

/* The countdown band before going home; wakes every second. */
static void
idle(struct kiosk *k)
{
	struct ui *ui = &k->ui;
	int64_t idle_at, cd_ms, left;
	struct ui_rect band;
	char n[24], buf[128];
	int staff = k->ses.staff_id[0] != '\0';

	if (k->scr == SCR_HOME)
		return;
	/* A staff session has its own, longer timeout and ends with a
	 * sign-out recorded as a timeout. */
	idle_at = k->last_input_ms +
	    (int64_t) (staff ? k->cfg->staff_idle_s : k->cfg->idle_timeout_s) *
	        1000;
	if (k->now_ms >= idle_at) {
		k->msg_key = NULL;
		if (staff)
			kiosk_signout(k, 1);
		kiosk_go(k, SCR_HOME);
		return;
	}
	cd_ms = (int64_t) (staff ? k->cfg->staff_countdown_s
	                         : k->cfg->idle_countdown_s) *
	    1000;
	if (k->now_ms < idle_at - cd_ms) {
		ui_wake_at(ui, idle_at - cd_ms);
		return;
	}
	left = (idle_at - k->now_ms + 999) / 1000;
	ui_wake_at(ui, idle_at - (left - 1) * 1000);
	snprintf(n, sizeof(n), "%lld", (long long) left);
	ui_fmt(buf, sizeof(buf),
	    kiosk_s(k, staff ? "idle.staff_countdown" : "idle.countdown"), n,
	    NULL, NULL);
	band = (struct ui_rect){0, ui->h - ui_mm(ui, 11), ui->w, ui_mm(ui, 11)};
	ui_rect(ui, band, UI_C_WARN);
	ui_text(ui, band, UI_FONT_BODY, UI_C_TEXT, UI_ALIGN_CENTER, buf);
}

void
kiosk_frame(struct kiosk *k, int64_t now_ms, const struct ui_event *ev)
{
	struct ui *ui = &k->ui;
	enum ui_ev_kind kind;
	enum scr before;
	int i;

	k->now_ms = now_ms;
	/* Records say whether the clock was synchronised: asked each minute. */
	if (now_ms / 60000 != k->clock_minute && k->dom.store != NULL) {
		k->clock_minute = now_ms / 60000;
		store_set_clock_synced(k->dom.store, clock_synced());
	}
	if (!k->first_frame_done) {
		k->last_input_ms = now_ms;
		k->first_frame_done = 1;
		kiosk_go(k, k->scr);
	}
	if (ev != NULL && ev->kind != UI_EV_NONE)
		k->last_input_ms = now_ms;
	/* A press or a release is followed at once by a frame with no
	 * input, which draws what the tap changed (a new screen, a new
	 * step, a mark); a screen change may need one more. */
	for (i = 0; i < 3; i++) {
		before = k->scr;
		ui_begin(ui, now_ms, i == 0 ? ev : NULL);
		kind = ui->ev.kind;
		if (k->msg_key != NULL)
			ui->ev.kind = UI_EV_NONE; /* the screen is behind */
		kiosk_screen(k->scr)->frame(k);
		ui->ev.kind = kind;
		if (k->msg_key != NULL && k->scr == before)
			draw_message(k);
		if (k->scr == before && !k->store_damaged)
			idle(k);
		ui_end(ui);
		if (k->scr == before &&
		    (i > 0 || ev == NULL ||
		        (ev->kind != UI_EV_DOWN && ev->kind != UI_EV_UP)))
			break;
	}
}

int
kiosk_run(struct kiosk *k)
{
	struct kiosk_stats *st = k->stats;
	struct ui_event ev;
	uint64_t h, last = 0;
	int force = 1, w, h_px;
	float ppm;
	enum plat_wait r;
	int64_t t0 = 0, c0 = 0, up_us = 0;
	int confirm_shown = 0;

	kiosk_frame(k, plat_now_ms(k->plat), NULL);
	for (;;) {
		h = ui_hash(&k->ui);
		if (force || h != last) {
			plat_render(k->plat, &k->ui);
			k->renders++;
			if (k->renders == 1)
				plat_notify(k->plat, "READY=1");
			if (st != NULL && t0 != 0 &&
			    st->n_frames < KIOSK_STATS_FRAMES) {
				st->frame_cpu_us[st->n_frames] =
				    (uint32_t) (plat_cpu_us() - c0);
				st->frame_us[st->n_frames++] =
				    (uint32_t) (plat_mono_us() - t0);
			}
			if (st != NULL && k->scr == SCR_LEC_CONFIRM &&
			    !confirm_shown && up_us != 0 &&
			    st->n_taps < KIOSK_STATS_TAPS)
				st->tap_us[st->n_taps++] =
				    (uint32_t) (plat_mono_us() - up_us);
			last = h;
			force = 0;
		}
		confirm_shown = k->scr == SCR_LEC_CONFIRM;
		r = plat_wait(k->plat, k->ui.wake_ms, &ev);
		t0 = st != NULL ? plat_mono_us() : 0;
		c0 = st != NULL ? plat_cpu_us() : 0;
		switch (r) {
		case PLAT_QUIT:
			return plat_script_failed(k->plat) ? GU_EINVAL : GU_OK;
		case PLAT_RESIZE:
			plat_size(k->plat, &w, &h_px, &ppm);
			ui_resize(&k->ui, w, h_px, ppm);
			force = 1;
			kiosk_frame(k, plat_now_ms(k->plat), NULL);
			break;
		case PLAT_INPUT:
			if (ev.kind == UI_EV_UP)
				up_us = t0;
			kiosk_frame(k, plat_now_ms(k->plat), &ev);
			break;
		case PLAT_TIMEOUT:
			kiosk_frame(k, plat_now_ms(k->plat), NULL);
			break;
		}
	}
}
