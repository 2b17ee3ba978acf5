/*
 * test_export_line.c: how the kiosk reads `guanai-sync ledger|file
 * --progress` (app/domain/export_line.c): progress lines for the bar,
 * malformed ones dropped, written files counted, the last other line kept
 * for the screen as valid UTF-8 cut on a whole character, and the same result
 * however the pipe splits the output.  fuzz/fuzz_progress.c fuzzes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "export.h"

static void
fresh(struct export_job *j)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
}

static void
test_progress_parse(void **state)
{
	unsigned d = 77, t = 77;

	(void) state;
	assert_true(export_progress_parse("progress 0 10", &d, &t));
	assert_int_equal(d, 0);
	assert_int_equal(t, 10);
	assert_true(export_progress_parse("progress 10 10", &d, &t));
	assert_int_equal(d, 10);
	assert_true(export_progress_parse("progress 1000000 1000000", &d, &t));
	d = t = 77;
	/* Each of these is refused and leaves the numbers alone. */
	assert_false(export_progress_parse("progress 11 10", &d, &t));
	assert_false(export_progress_parse("progress 0 0", &d, &t));
	assert_false(export_progress_parse("progress -1 10", &d, &t));
	assert_false(export_progress_parse("progress +1 10", &d, &t));
	assert_false(export_progress_parse("progress 1 10 x", &d, &t));
	assert_false(export_progress_parse("progress 1  10", &d, &t));
	assert_false(export_progress_parse("progress  1 10", &d, &t));
	assert_false(export_progress_parse("progress 1", &d, &t));
	assert_false(export_progress_parse("progress 1 ", &d, &t));
	assert_false(export_progress_parse("Progress 1 2", &d, &t));
	assert_false(export_progress_parse(" progress 1 2", &d, &t));
	assert_false(export_progress_parse("progress 1000001 1000001", &d, &t));
	assert_false(
	    export_progress_parse("progress 1 99999999999999999999", &d, &t));
	assert_false(export_progress_parse("progress 4294967297 5", &d, &t));
	assert_false(export_progress_parse("progress 01 10", &d, &t));
	assert_false(export_progress_parse("", &d, &t));
	assert_int_equal(d, 77);
	assert_int_equal(t, 77);
}

static const char out[] =
    "progress 0 10\n"
    "/media/STICK/台账-2026-autumn/留守儿童花名册.xlsx: 105 rows\n"
    "progress 1 10\n"
    "progress 9 3\n" /* malformed: dropped */
    "/media/STICK/台账-2026-autumn/关爱帮扶记录台账.xlsx: 1510 rows, 1 "
    "voided\r\n"
    "progress 2 10\n"
    "\n"
    "guanai-sync ledger: 走访记录台账: the disk is full\n"
    "progress 2 10";

static void
check_end(const struct export_job *j)
{
	assert_int_equal(j->done, 2);
	assert_int_equal(j->total, 10);
	assert_int_equal(j->files, 2);
	assert_string_equal(
	    j->msg, "guanai-sync ledger: 走访记录台账: the disk is full");
	assert_int_equal(j->part_len, 0);
}

static void
test_take(void **state)
{
	struct export_job j;
	size_t len = sizeof(out) - 1;

	(void) state;
	fresh(&j);
	export_take(&j, out, len);
	assert_int_equal(j.done, 2); /* the last line waits for its end */
	assert_int_equal(j.part_len, strlen("progress 2 10"));
	export_take_end(&j);
	check_end(&j);
	/* Byte by byte, as a slow pipe gives it: the same. */
	fresh(&j);
	for (size_t i = 0; i < len; i++)
		export_take(&j, out + i, 1);
	export_take_end(&j);
	check_end(&j);
	/* A CR before the newline is not part of the message. */
	fresh(&j);
	export_take(&j, "a.pdf: 3 children, 9 pages\r\n", 29);
	assert_string_equal(j.msg, "a.pdf: 3 children, 9 pages");
	assert_int_equal(j.files, 1);
}

static void
test_long_lines(void **state)
{
	struct export_job j;
	char line[600];
	size_t n = 0;

	(void) state;
	/* 200 three-byte characters: longer than msg and part. */
	while (n + 3 < sizeof(line) - 2) {
		memcpy(line + n, "满", 3);
		n += 3;
	}
	line[n++] = '\n';
	fresh(&j);
	export_take(&j, line, n);
	assert_true(strlen(j.msg) < sizeof(j.msg));
	assert_int_equal(strlen(j.msg) % 3, 0); /* whole characters */
	assert_true(strlen(j.msg) > 0);
	/* Direct, longer than msg: cut on a character too. */
	line[n - 1] = '\0';
	fresh(&j);
	export_take_line(&j, line);
	assert_int_equal(strlen(j.msg) % 3, 0);
	assert_int_equal(strlen(j.msg), (sizeof(j.msg) - 1) / 3 * 3);
	/* Bytes that start no whole character show as '?'. */
	fresh(&j);
	export_take(&j, "a\xff\xe6\xbb b \xe6\xbb\xa1\n", 12);
	assert_string_equal(j.msg, "a??? b 满");
	/* NUL bytes on the pipe are dropped. */
	fresh(&j);
	export_take(&j, "ab\0c\n", 5);
	assert_string_equal(j.msg, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_progress_parse),
	    cmocka_unit_test(test_take),
	    cmocka_unit_test(test_long_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
