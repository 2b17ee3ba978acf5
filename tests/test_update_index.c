/*
 * test_update_index.c: the network update's two files (core/
 * update_index.c): the district's index UPDATE_URL/latest and
 * DATA/update/ready, each rule of docs/sync.md's table with the
 * "latest:LINE: what" it is refused with, a ready file written and read
 * back, and the quiet hours (update_hours): the window at its edges,
 * across midnight, any time and off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "update_index.h"

#define SHA "9f2c4e1a0b7d3e5500112233445566778899aabbccddeeff0011223344556677"
#define GOOD                                                                   \
	"# what the district offers now\n"                                     \
	"version = 2026.12.2\n"                                                \
	"file = guanai-2026.12.2.raucb\n"                                      \
	"size = 152043520\n"                                                   \
	"sha256 = " SHA "\n"

static int
parse(const char *text, struct update_index *ix, char *why, size_t len)
{
	return update_index_parse("latest", text, strlen(text),
	    UPDATE_INDEX_LATEST, 419430400, ix, why, len);
}

/* text is refused with exactly the message want. */
static void
refused(const char *text, const char *want)
{
	struct update_index ix;
	char why[300];

	assert_int_equal(parse(text, &ix, why, sizeof(why)), GU_EINVAL);
	assert_string_equal(why, want);
	assert_int_equal(ix.size, 0); /* zeroed: nothing half-taken */
	assert_string_equal(ix.version, "");
}

static void
index_good(void **state)
{
	struct update_index ix;
	char why[300];

	(void) state;
	assert_int_equal(parse(GOOD, &ix, why, sizeof(why)), GU_OK);
	assert_string_equal(ix.version, "2026.12.2");
	assert_string_equal(ix.file, "guanai-2026.12.2.raucb");
	assert_true(ix.size == 152043520);
	assert_string_equal(ix.sha256, SHA);
	/* Upper-case hex is taken and kept as lower case. */
	assert_int_equal(parse("version = 2\nfile = a.raucb\nsize = 1\n"
	                       "sha256 = 9F2C4E1A0B7D3E5500112233445566778899"
	                       "AABBCCDDEEFF0011223344556677\n",
	                     &ix, why, sizeof(why)),
	    GU_OK);
	assert_string_equal(ix.sha256, SHA);
}

static void
index_refused(void **state)
{
	(void) state;
	refused("version = 2026.12.2\nfile = guanai.raucb\nsize = 1\n",
	    "latest: sha256: missing");
	refused(GOOD "colour = blue\n", "latest:6: unknown key 'colour'");
	refused(GOOD "size = 3\n", "latest:6: size: given twice");
	refused("version = 2026/12\n",
	    "latest:1: version: 1 to 64 of 0-9 A-Z a-z . + ~ -");
	refused("version = \n",
	    "latest:1: version: 1 to 64 of 0-9 A-Z a-z . + ~ -");
	refused("file = ../x.raucb\n",
	    "latest:1: file: 1 to 128 of 0-9 A-Z a-z . _ -, not starting "
	    "with '.', ending in .raucb");
	refused("file = .hidden.raucb\n",
	    "latest:1: file: 1 to 128 of 0-9 A-Z a-z . _ -, not starting "
	    "with '.', ending in .raucb");
	refused("file = guanai.tar\n",
	    "latest:1: file: 1 to 128 of 0-9 A-Z a-z . _ -, not starting "
	    "with '.', ending in .raucb");
	refused("size = 0\n",
	    "latest:1: size: a number of bytes, 1 to "
	    "419430400");
	refused("size = 419430401\n",
	    "latest:1: size: a number of bytes, 1 "
	    "to 419430400");
	refused("size = -5\n",
	    "latest:1: size: a number of bytes, 1 to "
	    "419430400");
	refused("size = 12k\n",
	    "latest:1: size: a number of bytes, 1 to "
	    "419430400");
	refused("sha256 = abc\n", "latest:1: sha256: 64 hex digits");
	refused("sha256 = " SHA "0\n", "latest:1: sha256: 64 hex digits");
	refused("sha256 = 9g2c4e1a0b7d3e5500112233445566778899aabbccddeeff0011"
	        "223344556677\n",
	    "latest:1: sha256: 64 hex digits");
	/* A ready file's keys are not the index's. */
	refused(GOOD "hours = 02-05\n", "latest:6: unknown key 'hours'");
	refused("version 2\n", "latest:1: expected key = value");
}

static void
index_too_big(void **state)
{
	static char big[UPDATE_INDEX_MAX + 2];
	struct update_index ix;
	char why[300];

	(void) state;
	memset(big, '#', sizeof(big) - 1);
	assert_int_equal(update_index_parse("latest", big, sizeof(big) - 1,
	                     UPDATE_INDEX_LATEST, 100, &ix, why, sizeof(why)),
	    GU_ETOOBIG);
	assert_string_equal(why, "latest: more than 4096 bytes");
}

/* A ready file is written with every key and read back the same; the
 * reader skips keys of later versions. */
static void
ready_round_trip(void **state)
{
	struct update_index ix, back;
	char text[UPDATE_INDEX_MAX], why[300], more[UPDATE_INDEX_MAX + 40];
	size_t n;

	(void) state;
	assert_int_equal(parse(GOOD, &ix, why, sizeof(why)), GU_OK);
	snprintf(
	    ix.compatible, sizeof(ix.compatible), "guanai-terminal-x86_64");
	snprintf(ix.description, sizeof(ix.description), "修正签到页的字号");
	snprintf(
	    ix.downloaded, sizeof(ix.downloaded), "2026-12-02T03:10:00+08:00");
	snprintf(ix.hours, sizeof(ix.hours), "02-05");
	n = update_index_format(&ix, text, sizeof(text));
	assert_true(n > 0);
	assert_non_null(strstr(text, "hours = 02-05\n"));
	snprintf(more, sizeof(more), "%sinstalled_by = 2027\n", text);
	assert_int_equal(
	    update_index_parse("ready", more, strlen(more), UPDATE_INDEX_READY,
	        419430400, &back, why, sizeof(why)),
	    GU_OK);
	assert_memory_equal(&ix, &back, sizeof(ix));
	/* Too small a buffer: nothing, not half. */
	assert_int_equal(update_index_format(&ix, text, 40), 0);
	assert_string_equal(text, "");
	/* A ready file with bad hours is refused too. */
	snprintf(more, sizeof(more), GOOD "hours = 2-5\n");
	assert_int_equal(
	    update_index_parse("ready", more, strlen(more), UPDATE_INDEX_READY,
	        419430400, &back, why, sizeof(why)),
	    GU_EINVAL);
	assert_non_null(strstr(why, "ready:6: update_hours: '2-5'"));
}

static void
hours_window(void **state)
{
	char why[200];
	int f, t;

	(void) state;
	assert_int_equal(update_hours_parse("02-05", &f, &t, why, 200), GU_OK);
	assert_false(update_hours_in(f, t, 1));
	assert_true(update_hours_in(f, t, 2));
	assert_true(update_hours_in(f, t, 4));
	assert_false(update_hours_in(f, t, 5)); /* up to the start of 05 */
	/* Across midnight. */
	assert_int_equal(update_hours_parse("22-04", &f, &t, why, 200), GU_OK);
	assert_false(update_hours_in(f, t, 21));
	assert_true(update_hours_in(f, t, 22));
	assert_true(update_hours_in(f, t, 23));
	assert_true(update_hours_in(f, t, 0));
	assert_true(update_hours_in(f, t, 3));
	assert_false(update_hours_in(f, t, 4));
	assert_false(update_hours_in(f, t, 12));
	/* Any time. */
	assert_int_equal(update_hours_parse("00-24", &f, &t, why, 200), GU_OK);
	for (int h = 0; h < 24; h++)
		assert_true(update_hours_in(f, t, h));
	/* Off: never by itself. */
	assert_int_equal(update_hours_parse("off", &f, &t, why, 200), GU_OK);
	for (int h = 0; h < 24; h++)
		assert_false(update_hours_in(f, t, h));
	assert_false(update_hours_in(2, 5, 24));
	assert_false(update_hours_in(2, 5, -1));
}

static void
hours_refused(void **state)
{
	static const char *const bad[] = {"2-5", "02-5", "02:05", "24-02",
	    "02-25", "03-03", "02-05 ", "0a-05", "", "on", "02-05-07"};
	char why[200];
	int f = 7, t = 7;

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    update_hours_parse(bad[i], &f, &t, why, 200), GU_EINVAL);
		assert_int_equal(strncmp(why, "update_hours: '", 15), 0);
	}
	assert_int_equal(f, 7); /* untouched */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(index_good),
	    cmocka_unit_test(index_refused),
	    cmocka_unit_test(index_too_big),
	    cmocka_unit_test(ready_round_trip),
	    cmocka_unit_test(hours_window),
	    cmocka_unit_test(hours_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
