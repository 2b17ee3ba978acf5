/*
 * test_damaged.c: the kiosk after the store reports damage (issue 10
 * item 5).  A read or an append that returns GU_ECORRUPT (a record that
 * fails its checksum) puts the kiosk on the storage-damaged screen for
 * good: it shows what to do, ends the staff session without a record, and
 * writes nothing more, whatever is tapped and however long it idles.  The
 * first test gives the screens' one path for a failed save, scr_failed(),
 * that status; the second flips a byte of the newest record in data.mdb
 * itself, so the store's own checksum finds it.  kiosk_damaged.sh covers a
 * store that fails to open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "demo.h"
#include "scr.h"
#include "ui_harness.h"

static void
make_demo(const char *dir)
{
	ui_demo(dir, 20, CLOCK_MS);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-damaged-XXXXXX", make_demo);
}

static void
tap_at(struct kiosk *k, int64_t *t, int x, int y)
{
	struct ui_event ev = {UI_EV_DOWN, x, y, *t};

	kiosk_frame(k, *t, &ev);
	*t += 80;
	ev.kind = UI_EV_UP;
	ev.t_ms = *t;
	kiosk_frame(k, *t, &ev);
	*t += 300;
	kiosk_frame(k, *t, NULL);
}

static void
append_fails_damaged(void **state)
{
	struct fx *f = *state;
	struct kiosk *k = &f->k;
	struct store *s = NULL;
	struct store_info before, after;
	char path[600];
	int64_t t = CLOCK_MS;
	int i, x, y;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	ui_open_null(f, path);
	s = k->dom.store; /* borrowed: kiosk_close() closes it */
	kiosk_frame(k, t, NULL);
	/* A mentor signs in and starts a check-in. */
	ui_tap_text(k, &t, "导师", 1, 0);
	/* The second name: the first is the headteacher's. */
	ui_tap_text(k, &t, kiosk_s(k, "signin.pick_name"), 2, 1);
	for (i = 0; i < 4; i++) {
		char d[2] = {(char) ('1' + i), '\0'};
		ui_tap_text(k, &t, d, 1, 0);
	}
	ui_tap_text(k, &t, kiosk_s(k, "signin.enter"), 1, 0);
	assert_int_equal(k->scr, SCR_MENTOR);
	assert_int_equal(store_info(s, &before), GU_OK);

	/* The save returns GU_ECORRUPT (simulated: the status h-core's
	 * checksums give), through the screens' one path for failures. */
	scr_failed(k, GU_ECORRUPT, 0);
	kiosk_frame(k, t, NULL);
	assert_int_equal(k->scr, SCR_DAMAGED);
	assert_true(ui_on_screen(k, kiosk_s(k, "damaged.title")));
	assert_true(ui_on_screen(k, kiosk_s(k, "damaged.what")));
	assert_int_equal(k->ses.staff_id[0], '\0');
	/* Taps everywhere, going home, the staff timeout: still the same
	 * screen, and not one record more (a sign-out is one, normally). */
	for (y = 10; y < k->ui.h; y += 60)
		for (x = 10; x < k->ui.w; x += 90)
			tap_at(k, &t, x, y);
	kiosk_go(k, SCR_HOME);
	t += 300000;
	kiosk_frame(k, t, NULL);
	assert_int_equal(k->scr, SCR_DAMAGED);
	assert_true(ui_on_screen(k, kiosk_s(k, "damaged.title")));
	assert_false(ui_on_screen(k, kiosk_s(k, "home.lecture")));
	assert_int_equal(store_info(s, &after), GU_OK);
	assert_int_equal(after.last_seq, before.last_seq);
	kiosk_close(k);
}

/* Flips one byte in the middle of every copy of the newest record's
 * encoding in dir/data.mdb (LMDB may keep an old page with it too). */
static void
flip_newest(const char *dir)
{
	struct store *s = NULL;
	struct store_info in;
	struct record r;
	uint8_t enc[REC_ENCODED_MAX], *file;
	size_t elen, flen, i, n = 0;
	char path[700];
	FILE *f;
	long sz;

	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	assert_int_equal(store_info(s, &in), GU_OK);
	assert_int_equal(store_get(s, in.last_seq, &r), GU_OK);
	store_close(s);
	assert_int_equal(rec_encode(&r, enc, sizeof(enc), &elen), GU_OK);
	assert_true(elen > 32);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	assert_true(sz > 0);
	flen = (size_t) sz;
	file = malloc(flen);
	assert_non_null(file);
	rewind(f);
	assert_int_equal(fread(file, 1, flen, f), flen);
	/* Search for the part after the header: seq, epoch and the fields. */
	for (i = 0; i + elen <= flen; i++) {
		if (memcmp(file + i + 16, enc + 16, elen - 16) != 0)
			continue;
		file[i + elen / 2] ^= 0x10;
		n++;
	}
	assert_true(n > 0);
	rewind(f);
	assert_int_equal(fwrite(file, 1, flen, f), flen);
	assert_int_equal(fclose(f), 0);
	free(file);
}

static void
checksum_fails_damaged(void **state)
{
	struct fx *f = *state;
	struct kiosk *k = &f->k;
	char path[600], err[600], mdb[700];
	int64_t t = CLOCK_MS;
	struct stat a, b;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	flip_newest(path);
	snprintf(mdb, sizeof(mdb), "%s/data.mdb", path);
	assert_int_equal(stat(mdb, &a), 0);
	if (kiosk_open(k, &f->cfg, path, NULL, err, sizeof(err)) != GU_OK)
		fail_msg("kiosk_open: %s", err);
	kiosk_frame(k, t, NULL);
	assert_int_equal(k->scr, SCR_DAMAGED);
	assert_true(ui_on_screen(k, kiosk_s(k, "damaged.title")));
	tap_at(k, &t, k->ui.w / 2, k->ui.h / 2);
	kiosk_go(k, SCR_HOME);
	kiosk_frame(k, t + 300000, NULL);
	assert_int_equal(k->scr, SCR_DAMAGED);
	kiosk_close(k);
	assert_int_equal(stat(mdb, &b), 0);
	assert_true(a.st_mtime == b.st_mtime && a.st_size == b.st_size);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        append_fails_damaged, setup, ui_teardown),
	    cmocka_unit_test_setup_teardown(
	        checksum_fails_damaged, setup, ui_teardown),
	};

	(void) run;
	(void) golden;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
