/*
 * ui_harness.h: what the kiosk's headless UI tests share (header-only,
 * static functions, so each test executable stays one file): a temp dir
 * with a store the test fills, the settings and strings the kiosk runs
 * with, a script run through the real event loop at a given screen size
 * and fixed clock, and golden screenshots (GUANAI_UPDATE_GOLDEN=1 rewrites
 * them; a difference keeps the actual picture in /tmp for a look).
 */
#ifndef GU_UI_HARNESS_H
#define GU_UI_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "kiosk.h"
#include "pin.h"
#include "platform.h"
#include "roster.h"
#include "settings.h"
#include "status.h"
#include "store.h"
#include "strtab.h"
#include "ui_sizes.h"

#define CLOCK_MS 1772411400000LL /* 2026-03-02 08:30 +08:00 */

struct fx {
	char dir[64];
	struct settings cfg;
	struct strtab str;
	struct kiosk k;
	/* run_sizes: called before each size's run, to put back what the
	 * store copy does not hold (a stick's files, say); NULL: none. */
	void (*before_size)(struct fx *f);
};

static const char *
srcdir(void)
{
	const char *s = getenv("SRCDIR");

	return s != NULL ? s : ".";
}

static void
cpy(char *d, size_t n, const char *s)
{
	snprintf(d, n, "%s", s);
}

static void
ui_roster_err(void *arg, const char *file, unsigned line, const char *msg)
{
	(void) arg;
	fprintf(stderr, "test roster: %s:%u: %s\n", file, line, msg);
}

/*
 * Imports tests/data/<children> and <staff> (under $SRCDIR, default the
 * current directory) into s through the real importer, PINs hashed at
 * libsodium's lowest cost.
 */
static inline int
ui_roster(struct store *s, const char *children, const char *staff)
{
	const struct roster_opts opts = {1, 8192, 0, 0};
	const char *dir = getenv("SRCDIR");
	char cp[512], sp[512];

	snprintf(
	    cp, sizeof(cp), "%s/tests/data/%s", dir != 0 ? dir : ".", children);
	snprintf(
	    sp, sizeof(sp), "%s/tests/data/%s", dir != 0 ? dir : ".", staff);
	return roster_import_files(s, cp, sp, &opts, ui_roster_err, 0, 0);
}

/*
 * A school made at dir (S001 云溪区示范小学, device kiosk-01) with the
 * roster tests/data/<children> and <staff>, and the PINs pins[] gives
 * as pairs: staff id, PIN, ..., NULL.
 */
static inline void
ui_school(const char *dir, const char *children, const char *staff,
    const char *const *pins)
{
	struct store *s = NULL;
	char hash[PIN_HASH_LEN];

	assert_int_equal(
	    store_create(dir, "S001", "云溪区示范小学", "kiosk-01", NULL),
	    GU_OK);
	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	assert_int_equal(ui_roster(s, children, staff), GU_OK);
	for (; pins[0] != NULL; pins += 2) {
		assert_int_equal(pin_hash(pins[1], hash, 1, 8192), GU_OK);
		assert_int_equal(store_staff_set_pin(s, pins[0], hash), GU_OK);
	}
	store_close(s);
}

/*
 * A temp dir named after tmpl (mkdtemp), a store made in it by
 * make_store(path), the kiosk's settings for tests (7-inch screen, no
 * sound, cheap PIN hashes) and the Chinese strings.
 */
static int
ui_setup(void **state, const char *tmpl, void (*make_store)(const char *))
{
	struct fx *f = calloc(1, sizeof(*f));
	char path[512], err[256];

	cpy(f->dir, sizeof(f->dir), tmpl);
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/store", f->dir);
	make_store(path);
	settings_defaults(&f->cfg);
	f->cfg.screen_diagonal_inch = 7;
	f->cfg.sound = 0;
	f->cfg.idle_timeout_s = 60;
	f->cfg.idle_countdown_s = 10;
	f->cfg.pin_opslimit = 1;
	f->cfg.pin_memlimit_kib = 8;
	snprintf(
	    f->cfg.fonts_dir, sizeof(f->cfg.fonts_dir), "%s/fonts", srcdir());
	snprintf(f->cfg.assets_dir, sizeof(f->cfg.assets_dir), "%s/assets",
	    srcdir());
	snprintf(path, sizeof(path), "%s/assets/strings.zh.txt", srcdir());
	if (strtab_load(&f->str, path, err, sizeof(err)) != GU_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int
ui_teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	if (getenv("GUANAI_KEEP") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", f->dir);
	}
	free(f);
	return 0;
}

/* Runs script text on the headless kiosk at w x h on the store at
 * path; shots go to f->dir.  Returns kiosk_run's status (GU_EINVAL when
 * an expectation of the script failed). */
static int
run_on(struct fx *f, const char *path, const char *script, int w, int h)
{
	struct plat_opts o;
	char spath[512], err[600];
	FILE *fp;
	int rc;

	snprintf(spath, sizeof(spath), "%s/script.txt", f->dir);
	fp = fopen(spath, "w");
	assert_non_null(fp);
	fputs(script, fp);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.w = w;
	o.h = h;
	o.clock_ms = CLOCK_MS;
	o.script = spath;
	o.shot_dir = f->dir;
	rc = kiosk_open(&f->k, &f->cfg, path, &o, err, sizeof(err));
	if (rc != GU_OK)
		fail_msg("kiosk_open: %s", err);
	rc = kiosk_run(&f->k);
	kiosk_close(&f->k);
	return rc;
}

/* Runs script text on the headless kiosk at w x h on the test's store. */
static int
run(struct fx *f, const char *script, int w, int h)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/store", f->dir);
	return run_on(f, path, script, w, h);
}

/* The kiosk on the store at path with no platform (the null front end):
 * frames are run by hand with kiosk_frame(); kiosk_close() ends it. */
static inline void
ui_open_null(struct fx *f, const char *path)
{
	char err[600];

	if (kiosk_open(&f->k, &f->cfg, path, NULL, err, sizeof(err)) != GU_OK)
		fail_msg("kiosk_open: %s", err);
}

/* Makes in dir the demo school (云溪区青山小学, seed 1) of n children,
 * its term ending the day before the day of now_ms (UTC days). */
static inline void
ui_demo(const char *dir, unsigned n, int64_t now_ms)
{
	struct demo_opts o;
	FILE *log = fopen("/dev/null", "w");

	memset(&o, 0, sizeof(o));
	o.children = n;
	o.school_name = "云溪区青山小学";
	o.seed = 1;
	o.today_ms = now_ms / 86400000LL * 86400000LL;
	o.opslimit = 1;
	o.memlimit = 8192;
	assert_non_null(log);
	assert_int_equal(demo_create(dir, &o, log), GU_OK);
	fclose(log);
}

/* Whether the frame k last drew has a text that is text, whole. */
static inline int
ui_on_screen(const struct kiosk *k, const char *text)
{
	const struct ui *ui = &k->ui;
	size_t i, n = strlen(text);

	for (i = 0; i < ui->ncmd; i++)
		if (ui->cmd[i].kind == UI_CMD_TEXT &&
		    ui->cmd[i].text_len == n &&
		    memcmp(ui->text + ui->cmd[i].text_off, text, n) == 0)
			return 1;
	return 0;
}

/* Taps the middle of the n-th text t (after: of the n-th text after t). */
static inline void
ui_tap_text(struct kiosk *k, int64_t *t, const char *text, int n, int after)
{
	const struct ui *ui = &k->ui;
	struct ui_event ev = {UI_EV_DOWN, 0, 0, *t};
	size_t i, tl = strlen(text);
	int seen = 0, found = 0;

	for (i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		int eq;
		if (c->kind != UI_CMD_TEXT)
			continue;
		eq = c->text_len == tl &&
		    memcmp(ui->text + c->text_off, text, tl) == 0;
		if ((after && found && ++seen == n) ||
		    (!after && eq && ++seen == n)) {
			ev.x = c->r.x + c->r.w / 2;
			ev.y = c->r.y + c->r.h / 2;
			break;
		}
		found |= eq;
	}
	if (i == ui->ncmd)
		fail_msg("\"%s\" not on screen %d", text, (int) k->scr);
	kiosk_frame(k, *t, &ev);
	*t += 80;
	ev.kind = UI_EV_UP;
	ev.t_ms = *t;
	kiosk_frame(k, *t, &ev);
	*t += 300;
	kiosk_frame(k, *t, NULL);
}

/* Walks the log of the store of f with fn, then checks the store. */
static inline void
ui_read_back(struct fx *f, store_rec_fn fn, void *arg)
{
	struct store *s = NULL;
	char path[512], why[256];

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	store_log_walk(s, 1, fn, arg);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
}

static inline int
ui_count_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	(void) r;
	(void) voided_by;
	(*(int *) arg)++;
	return 0;
}

/* The open concerns of the store of f. */
static inline int
ui_open_concerns(struct fx *f)
{
	struct store *s = NULL;
	char path[512];
	int n = 0;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	store_open_concerns(s, ui_count_cb, &n);
	store_close(s);
	return n;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	uint8_t *b = NULL;
	long n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		b = malloc((size_t) n + 1);
		if (b != NULL && fread(b, 1, (size_t) n, fp) != (size_t) n) {
			free(b);
			b = NULL;
		}
		*len = (size_t) n;
	}
	fclose(fp);
	return b;
}

/* Compares shot name of the last run with its golden. */
static void
golden(struct fx *f, const char *name)
{
	char got[512], want[512], cmd[1100];
	uint8_t *a, *b;
	size_t la = 0, lb = 0;

	snprintf(got, sizeof(got), "%s/%s.png", f->dir, name);
	snprintf(want, sizeof(want), "%s/tests/golden/%s.png", srcdir(), name);
	if (getenv("GUANAI_UPDATE_GOLDEN") != NULL) {
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", got, want);
		assert_int_equal(system(cmd), 0);
		return;
	}
	a = slurp(got, &la);
	b = slurp(want, &lb);
	assert_non_null(a);
	if (b == NULL)
		fail_msg(
		    "no golden %s (GUANAI_UPDATE_GOLDEN=1 makes it)", want);
	if (la != lb || memcmp(a, b, la) != 0) {
		/* Keep the picture for a look. */
		snprintf(cmd, sizeof(cmd), "cp '%s' /tmp/guanai-%s.actual.png",
		    got, name);
		if (system(cmd) != 0)
			fprintf(stderr, "could not keep %s\n", got);
		fail_msg("screen %s differs from %s: see "
		         "/tmp/guanai-%s.actual.png",
		    name, want, name);
	}
	free(a);
	free(b);
}

/*
 * The script's text with each "shot NAME" line made "shot NAME_TAG", and
 * the names, NUL-separated, in names (ends with an empty one).
 */
static inline void
ui_tag_shots(const char *script, const char *tag, char *out, size_t n,
    char *names, size_t nn)
{
	const char *p = script;
	size_t o = 0, no = 0;

	while (*p != '\0') {
		const char *e = strchr(p, '\n');
		size_t len = e != NULL ? (size_t) (e - p) : strlen(p);
		int w;

		if (len > 5 && strncmp(p, "shot ", 5) == 0) {
			/* NAME_1024x600 (the base size's tag) becomes
			 * NAME_TAG, NAME alone NAME_TAG too. */
			size_t bl = strlen(ui_sizes[0].tag), k = len;
			if (k > 5 + bl + 1 && p[k - bl - 1] == '_' &&
			    strncmp(p + k - bl, ui_sizes[0].tag, bl) == 0)
				k -= bl + 1;
			w = snprintf(
			    out + o, n - o, "%.*s_%s\n", (int) k, p, tag);
			no += (size_t) snprintf(names + no, nn - no, "%.*s_%s",
			          (int) (k - 5), p + 5, tag) +
			    1;
			assert_true(no < nn);
		} else
			w = snprintf(out + o, n - o, "%.*s\n", (int) len, p);
		assert_true(w > 0 && (size_t) w < n - o);
		o += (size_t) w;
		p += len + (e != NULL);
	}
	names[no] = '\0';
}

/*
 * Runs a flow at every supported size: at each size but the base one
 * (ui_sizes[0]) on a copy of the test's store as it is now, with each
 * shot named NAME_WxH and compared with its golden, and nothing clipped,
 * shrunk or too small to tap; then at the base size on the test's store
 * itself, its shots under their own names for the test to judge, and
 * returns that run's status.
 */
static inline int
run_sizes(struct fx *f, const char *script)
{
	size_t n = strlen(script) * 2 + 4096, i;
	char *tagged = malloc(n), names[4096], cmd[1400], copy[512];
	float inch = f->cfg.screen_diagonal_inch;
	int rc;

	assert_non_null(tagged);
	snprintf(copy, sizeof(copy), "%s/sized", f->dir);
	for (i = 1; i < UI_NSIZES; i++) {
		const struct ui_size *z = &ui_sizes[i];
		const char *name;

		snprintf(cmd, sizeof(cmd),
		    "rm -rf '%s' && cp -a '%s/store' '%s'", copy, f->dir, copy);
		assert_int_equal(system(cmd), 0);
		ui_tag_shots(script, z->tag, tagged, n, names, sizeof(names));
		if (f->before_size != NULL)
			f->before_size(f);
		f->cfg.screen_diagonal_inch = z->inch;
		rc = run_on(f, copy, tagged, z->w, z->h);
		if (rc != GU_OK)
			fail_msg("the flow failed at %s", z->tag);
		if (f->k.ui.bad_frames != 0)
			fail_msg(
			    "at %s: %d frames with targets too small or "
			    "texts clipped (the last: %d small, overflow %d)",
			    z->tag, f->k.ui.bad_frames, f->k.ui.small_targets,
			    f->k.ui.overflow);
		for (name = names; *name != '\0'; name += strlen(name) + 1)
			golden(f, name);
	}
	free(tagged);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", copy);
	assert_int_equal(system(cmd), 0);
	f->cfg.screen_diagonal_inch = ui_sizes[0].inch;
	if (f->before_size != NULL)
		f->before_size(f);
	rc = run(f, script, ui_sizes[0].w, ui_sizes[0].h);
	f->cfg.screen_diagonal_inch = inch;
	if (f->k.ui.bad_frames != 0)
		fail_msg("at %dx%d: %d frames with targets too small or texts "
		         "clipped",
		    ui_sizes[0].w, ui_sizes[0].h, f->k.ui.bad_frames);
	return rc;
}

#endif
