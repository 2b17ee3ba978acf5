/*
 * test_rauc_line.c: how the kiosk reads rauc 1.8 (core/rauc_line.c):
 * `rauc install`'s "%3d%% STEP" lines for the bar (strict: anything else
 * is not a step), LastError and its last word; `rauc info
 * --output-format=shell`'s manifest lines, quoted as g_shell_quote writes
 * them; what rauc's messages mean; versions compared part by part; the
 * same result however the pipe splits the output.  The lines are rauc's
 * own (its format strings, and what it printed here for real bundles made
 * by tests/lib/rauc.sh).  fuzz/fuzz_rauc_line.c fuzzes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "update.h"

static void
test_progress(void **state)
{
	const char *step = NULL;
	unsigned p = 77;

	(void) state;
	assert_true(rauc_progress_parse("  0% Installing", &p, &step));
	assert_int_equal(p, 0);
	assert_string_equal(step, "Installing");
	assert_true(rauc_progress_parse(" 20% Checking bundle", &p, &step));
	assert_int_equal(p, 20);
	assert_string_equal(step, "Checking bundle");
	assert_true(rauc_progress_parse("100% Installing done.", &p, &step));
	assert_int_equal(p, 100);
	p = 77;
	step = NULL;
	/* Each of these is refused and leaves both alone. */
	assert_false(rauc_progress_parse("101% Installing", &p, &step));
	assert_false(rauc_progress_parse("20% Checking", &p, &step));
	assert_false(rauc_progress_parse(" 020% Checking", &p, &step));
	assert_false(rauc_progress_parse(" 02% Checking", &p, &step));
	assert_false(rauc_progress_parse("  0%", &p, &step));
	assert_false(rauc_progress_parse("  0% ", &p, &step));
	assert_false(rauc_progress_parse("  0%Installing", &p, &step));
	assert_false(rauc_progress_parse("   % Installing", &p, &step));
	assert_false(rauc_progress_parse(" -1% Installing", &p, &step));
	assert_false(rauc_progress_parse(" 2 % Installing", &p, &step));
	assert_false(rauc_progress_parse("", &p, &step));
	assert_int_equal(p, 77);
	assert_null(step);
}

static void
test_info(void **state)
{
	struct update_bundle b;

	(void) state;
	memset(&b, 0, sizeof(b));
	assert_true(rauc_info_line(&b, "RAUC_MF_VERSION='2.0.0'"));
	assert_true(
	    rauc_info_line(&b, "RAUC_MF_COMPATIBLE='guanai-kiosk-x86_64'"));
	assert_true(rauc_info_line(
	    &b, "RAUC_MF_DESCRIPTION='修复了导出'\\''新的'\\'''"));
	assert_string_equal(b.version, "2.0.0");
	assert_string_equal(b.compatible, "guanai-kiosk-x86_64");
	assert_string_equal(b.description, "修复了导出'新的'");
	/* Not ours, or not well quoted: nothing changes. */
	assert_false(rauc_info_line(&b, "RAUC_MF_BUILD=''"));
	assert_false(rauc_info_line(&b, "RAUC_IMAGE_SIZE_0=12288"));
	assert_false(rauc_info_line(&b, "RAUC_MF_VERSION=3.0"));
	assert_false(rauc_info_line(&b, "RAUC_MF_VERSION='3.0"));
	assert_false(rauc_info_line(&b, "RAUC_MF_VERSION='3.0'x"));
	assert_false(rauc_info_line(&b, "rauc-Message: Reading bundle"));
	assert_string_equal(b.version, "2.0.0");
	/* Too long: cut to fit, on a whole character. */
	{
		char l[400];
		memcpy(l, "RAUC_MF_VERSION='", 17);
		for (int i = 0; i < 50; i++)
			memcpy(l + 17 + i * 3, "版", 3);
		memcpy(l + 17 + 150, "'", 2);
		assert_true(rauc_info_line(&b, l));
		assert_int_equal(strlen(b.version), 63);
	}
}

static void
test_why(void **state)
{
	(void) state;
	assert_int_equal(rauc_why("signature verification failed: Verify "
	                          "error: unable to get local issuer "
	                          "certificate"),
	    UPDATE_WHY_SIGNATURE);
	assert_int_equal(rauc_why("Invalid bundle format: Signature size is 0"),
	    UPDATE_WHY_DAMAGED);
	assert_int_equal(rauc_why("Invalid bundle format: Signature size "
	                          "(2027613658) exceeds bundle size"),
	    UPDATE_WHY_DAMAGED);
	assert_int_equal(
	    rauc_why("Invalid bundle format: Signature data is no valid CMS"),
	    UPDATE_WHY_DAMAGED);
	assert_int_equal(rauc_why("Compatible mismatch: Expected 'a' but "
	                          "bundle manifest has 'b'"),
	    UPDATE_WHY_COMPATIBLE);
	assert_int_equal(
	    rauc_why("No space left on device"), UPDATE_WHY_FAILED);
}

static void
test_version(void **state)
{
	(void) state;
	assert_true(update_version_cmp("2.0.0", "1.9.9") > 0);
	assert_true(update_version_cmp("1.10", "1.9") > 0);
	assert_true(update_version_cmp("1.9", "1.10") < 0);
	assert_int_equal(update_version_cmp("1.2.0", "1.2.0"), 0);
	assert_int_equal(update_version_cmp("1.02", "1.2"), 0);
	assert_true(update_version_cmp("1.2.1", "1.2") > 0);
	assert_true(update_version_cmp("1.2", "1.2.1") < 0);
	assert_true(update_version_cmp("1.2b", "1.2a") > 0);
	assert_true(update_version_cmp("", "1") < 0);
}

/* What `rauc install` printed, as rauc 1.8 writes it to a pipe. */
static const char ok_out[] =
    "installing\n"
    "  0% Installing\n"
    "  0% Determining slot states\n"
    " 20% Determining slot states done.\n"
    " 20% Checking bundle\n"
    " 40% Checking bundle done.\n"
    " 80% Copying image to rootfs.1\n"
    "100% Installing done.\n"
    "idle\n"
    "Installing `/media/usb-sdb1/guanai-2.0.0.raucb` succeeded\n";

static const char bad_out[] =
    "installing\n"
    "  0% Installing\n"
    " 20% Checking bundle\n"
    " 40% Checking bundle failed.\n"
    "100% Installing failed.\n"
    "LastError: signature verification failed: Verify error: unable to "
    "get local issuer certificate\n"
    "idle\n"
    "Installing `/media/usb-sdb1/x.raucb` failed\n";

static void
test_install(void **state)
{
	struct update_job a, b;

	(void) state;
	memset(&a, 0, sizeof(a));
	update_take(&a, ok_out, sizeof(ok_out) - 1);
	update_take_end(&a);
	assert_int_equal(a.pct, 100);
	assert_string_equal(a.step, "Installing done.");
	assert_int_equal(a.result, 1);
	assert_string_equal(a.msg, "");
	/* Split one byte at a time, the same. */
	memset(&b, 0, sizeof(b));
	for (size_t i = 0; i < sizeof(ok_out) - 1; i++)
		update_take(&b, ok_out + i, 1);
	update_take_end(&b);
	assert_memory_equal(&a, &b, sizeof(a));

	memset(&a, 0, sizeof(a));
	update_take(&a, bad_out, sizeof(bad_out) - 1);
	assert_int_equal(a.result, -1);
	assert_string_equal(a.step, "Installing failed.");
	assert_int_equal(rauc_why(a.msg), UPDATE_WHY_SIGNATURE);

	/* "failed: WHY", a CR, a bad byte, a line without its end. */
	memset(&a, 0, sizeof(a));
	{
		const char *t =
		    " 40% Checking \xff\r\nInstalling `x` failed: Oh";
		update_take(&a, t, strlen(t));
	}
	update_take_end(&a);
	assert_string_equal(a.step, "Checking ?");
	assert_int_equal(a.result, -1);
	assert_string_equal(a.msg, "Oh");
	/* Near misses change nothing. */
	memset(&a, 0, sizeof(a));
	update_take_line(&a, "Installing `x` failedX");
	update_take_line(&a, "Installing x succeeded");
	update_take_line(&a, "LastError: ");
	update_take_line(&a, "installing `x` succeeded");
	assert_int_equal(a.result, 0);
	assert_string_equal(a.msg, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_progress),
	    cmocka_unit_test(test_info),
	    cmocka_unit_test(test_why),
	    cmocka_unit_test(test_version),
	    cmocka_unit_test(test_install),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
