/*
 * test_upload_now.c: the headteacher's 立即上传 when nothing can upload
 * (issue 10 item 13).  With no daemon on the store's poke socket (none is
 * set up, or it refused a config without a server URL), the screen says at
 * once that no server is set up and what to do, instead of "connecting"
 * for 30 s and then nothing; with a daemon listening it says it asked, and
 * a daemon that never answers is named after 30 s.  The kiosk runs on its
 * null front end (no SDL) over a real store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "demo.h"
#include "poke.h"
#include "store_sync.h"
#include "ui_harness.h"

static void
make_demo(const char *dir)
{
	ui_demo(dir, 30, CLOCK_MS);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-upnow-XXXXXX", make_demo);
}

static void
sign_in_head(struct kiosk *k, int64_t *t)
{
	int i;

	kiosk_frame(k, *t, NULL);
	ui_tap_text(k, t, "校长", 1, 0);
	ui_tap_text(k, t, kiosk_s(k, "signin.pick_name"), 1, 1);
	for (i = 0; i < 4; i++)
		ui_tap_text(k, t, "9", 1, 0);
	ui_tap_text(k, t, kiosk_s(k, "signin.enter"), 1, 0);
	assert_int_equal(k->scr, SCR_HEAD);
}

static void
no_server(void **state)
{
	struct fx *f = *state;
	struct kiosk *k = &f->k;
	struct store *s = NULL;
	struct sync_status st;
	char path[sizeof(f->k.data_dir) - 16];
	int64_t t = CLOCK_MS;
	int fd = -1;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	{
		char err[600];

		if (kiosk_open(k, &f->cfg, path, NULL, err, sizeof(err)) !=
		    GU_OK)
			fail_msg("kiosk_open: %s", err);
	}
	s = k->dom.store; /* borrowed: kiosk_close() closes it */
	snprintf(k->data_dir, sizeof(k->data_dir), "%s", path);
	assert_int_equal(poke_listening(path), 0);
	sign_in_head(k, &t);
	ui_tap_text(k, &t, kiosk_s(k, "head.upload_now"), 1, 0);
	/* The trigger is kept for when an uploader comes, and the screen
	 * says plainly that none is there, and what to do. */
	assert_int_equal(store_sync_status(s, &st), GU_OK);
	assert_true(st.trigger_ms != 0);
	assert_true(ui_on_screen(k, kiosk_s(k, "head.no_uploader_msg")));
	assert_true(ui_on_screen(k, kiosk_s(k, "head.no_uploader")));
	assert_false(ui_on_screen(k, kiosk_s(k, "head.asked")));
	{
		/* A tap on the veil outside the message closes it too (and
		 * drew from a NULL key, a crash, before). */
		struct ui_event ev = {UI_EV_DOWN, 2, 2, t};
		kiosk_frame(k, t, &ev);
		t += 80;
		ev.kind = UI_EV_UP;
		ev.t_ms = t;
		kiosk_frame(k, t, &ev);
		t += 300;
		kiosk_frame(k, t, NULL);
	}
	assert_false(ui_on_screen(k, kiosk_s(k, "head.no_uploader_msg")));
	/* It stays said, not gone after 30 s. */
	t += 31000;
	kiosk_frame(k, t, NULL);
	assert_true(ui_on_screen(k, kiosk_s(k, "head.no_uploader")));

	/* A daemon listening: asked, connecting; after 30 s without a
	 * pass, that it does not answer. */
	assert_int_equal(poke_listen(path, &fd), GU_OK);
	assert_int_equal(poke_listening(path), 1);
	ui_tap_text(k, &t, kiosk_s(k, "head.upload_now"), 1, 0);
	assert_true(poke_recv(fd) & POKE_F_TRIGGER);
	assert_true(ui_on_screen(k, kiosk_s(k, "head.asked")));
	assert_false(ui_on_screen(k, kiosk_s(k, "head.no_uploader")));
	assert_false(ui_on_screen(k, kiosk_s(k, "head.no_uploader_msg")));
	t += 31000;
	kiosk_frame(k, t, NULL);
	assert_true(ui_on_screen(k, kiosk_s(k, "head.no_answer")));
	poke_close(fd, path);
	assert_int_equal(poke_listening(path), 0);
	kiosk_close(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(no_server, setup, ui_teardown),
	};

	/* The harness's script runner and goldens are not used here. */
	(void) run;
	(void) golden;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
