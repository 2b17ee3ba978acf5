/*
 * test_csv.c: the CSV reader: encodings (UTF-8 with and without BOM,
 * GB18030 and UTF-16 made here with iconv, invalid bytes, UTF-8 with a
 * broken byte), comma and tab separators, line endings, RFC 4180
 * quoting, the physical line numbers of records that span lines, and the
 * size limits with their errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <iconv.h>

#include "csv.h"
#include "fixture.h"

/* Opens a reader on a string; fails the test on error. */
static struct csv *
open_str(const char *s)
{
	struct csv *c = NULL;
	struct csv_error err;
	int rc = csv_open_buf(&c, s, strlen(s), NULL, &err);

	if (rc != GU_OK)
		fail_msg("csv_open_buf: %s at line %u: %s", status_str(rc),
		    err.line, err.msg);
	return c;
}

/* Reads the next row and checks its line and fields (NULL-terminated). */
static void
expect_row(struct csv *c, unsigned line, ...)
{
	struct csv_row row;
	struct csv_error err;
	const char *want;
	size_t i = 0;
	va_list ap;
	int rc = csv_next_row(c, &row, &err);

	if (rc != GU_OK)
		fail_msg("csv_next_row: %s: %u: %s", status_str(rc), err.line,
		    err.msg);
	assert_int_equal(row.line, line);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		assert_true(i < row.n);
		assert_string_equal(row.f[i], want);
		i++;
	}
	va_end(ap);
	assert_int_equal(row.n, i);
}

static void
expect_end(struct csv *c)
{
	struct csv_row row;
	struct csv_error err;

	assert_int_equal(csv_next_row(c, &row, &err), GU_ENOTFOUND);
	assert_int_equal(row.n, 0);
	/* And again: the end stays the end. */
	assert_int_equal(csv_next_row(c, &row, &err), GU_ENOTFOUND);
}

/* Expects an error on the next row, with its line and a word of msg. */
static void
expect_row_err(struct csv *c, int rc_want, unsigned line, const char *part)
{
	struct csv_row row;
	struct csv_error err;
	int rc = csv_next_row(c, &row, &err);

	assert_int_equal(rc, rc_want);
	assert_int_equal(err.line, line);
	if (strstr(err.msg, part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, part);
}

static void
test_plain(void **state)
{
	struct csv *c = open_str("a,b,c\n1,,3\n,\nx\n");

	(void) state;
	assert_int_equal(csv_encoding_of(c), CSV_UTF8);
	expect_row(c, 1, "a", "b", "c", NULL);
	expect_row(c, 2, "1", "", "3", NULL);
	expect_row(c, 3, "", "", NULL);
	expect_row(c, 4, "x", NULL);
	expect_end(c);
	csv_close(c);
	csv_close(NULL);
}

static void
test_no_final_newline(void **state)
{
	struct csv *c = open_str("学籍号,姓名\nG1,张小明");

	(void) state;
	expect_row(c, 1, "学籍号", "姓名", NULL);
	expect_row(c, 2, "G1", "张小明", NULL);
	expect_end(c);
	csv_close(c);
	c = open_str("a,");
	expect_row(c, 1, "a", "", NULL);
	expect_end(c);
	csv_close(c);
	c = open_str("");
	expect_end(c);
	csv_close(c);
}

static void
test_bom(void **state)
{
	struct csv *c = open_str("\xEF\xBB\xBF学籍号,姓名\r\nG1,李\r\n");

	(void) state;
	assert_int_equal(csv_encoding_of(c), CSV_UTF8_BOM);
	assert_string_equal(csv_encoding_name(CSV_UTF8_BOM), "UTF-8 with BOM");
	expect_row(c, 1, "学籍号", "姓名", NULL);
	expect_row(c, 2, "G1", "李", NULL);
	expect_end(c);
	csv_close(c);
}

static void
test_crlf_and_cr(void **state)
{
	struct csv *c = open_str("a,b\r\n1,2\r\n\r\n3,4\r\n");

	(void) state;
	expect_row(c, 1, "a", "b", NULL);
	expect_row(c, 2, "1", "2", NULL);
	expect_row(c, 4, "3", "4", NULL); /* the blank line 3 is skipped */
	expect_end(c);
	csv_close(c);
	/* Old Mac exports: a lone CR ends a line too. */
	c = open_str("a,b\r1,2\r");
	expect_row(c, 1, "a", "b", NULL);
	expect_row(c, 2, "1", "2", NULL);
	expect_end(c);
	csv_close(c);
}

static void
test_quoting(void **state)
{
	struct csv *c = open_str("\"a,b\",\"say \"\"hi\"\"\",\"\",plain\n"
	                         "\"\"\"\",x\"y,\"end\"\n");

	(void) state;
	expect_row(c, 1, "a,b", "say \"hi\"", "", "plain", NULL);
	/* A lone quote inside an unquoted field is kept as it is. */
	expect_row(c, 2, "\"", "x\"y", "end", NULL);
	expect_end(c);
	csv_close(c);
}

static void
test_embedded_newlines(void **state)
{
	struct csv *c = open_str("id,addr\r\n"
	                         "G1,\"青山村\r\n二组\r\n大樟树下\"\r\n"
	                         "G2,\"a\nb\"\n"
	                         "\n"
	                         "G3,c\r\n");

	(void) state;
	expect_row(c, 1, "id", "addr", NULL);
	/* CRLF inside a quoted field becomes LF; the record starts on 2. */
	expect_row(c, 2, "G1", "青山村\n二组\n大樟树下", NULL);
	expect_row(c, 5, "G2", "a\nb", NULL);
	expect_row(c, 8, "G3", "c", NULL);
	expect_end(c);
	csv_close(c);
}

/* Converts UTF-8 to GB18030 with iconv, as WPS would have saved it. */
static char *
to_gb18030(const char *s, size_t *len)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t il = strlen(s), ol = il * 2 + 8, cap = ol;
	char *out = malloc(cap), *ip = (char *) (uintptr_t) s, *op = out;

	assert_true(cd != (iconv_t) -1);
	assert_non_null(out);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t) -1);
	iconv_close(cd);
	*len = cap - ol;
	return out;
}

static void
test_gb18030(void **state)
{
	const char *utf8 = "学籍号,姓名,住址\r\n"
	                   "G1,张小明,\"青山村\r\n二组\"\r\n"
	                   "G2,刘晓红,河西村\r\n";
	struct csv *c = NULL;
	struct csv_error err;
	size_t len;
	char *gb = to_gb18030(utf8, &len);

	(void) state;
	/* The bytes really differ, and are not UTF-8. */
	assert_true(len != strlen(utf8));
	assert_int_equal(csv_open_buf(&c, gb, len, NULL, &err), GU_OK);
	assert_int_equal(csv_encoding_of(c), CSV_GB18030);
	expect_row(c, 1, "学籍号", "姓名", "住址", NULL);
	expect_row(c, 2, "G1", "张小明", "青山村\n二组", NULL);
	expect_row(c, 4, "G2", "刘晓红", "河西村", NULL);
	expect_end(c);
	csv_close(c);
	free(gb);
}

static void
test_invalid_encoding(void **state)
{
	struct csv *c = NULL;
	struct csv_error err;
	/* 0xFF is neither UTF-8 nor GB18030. */
	const char bad[] = "a,b\n1,2\nx,\xFF\xFF\n";
	/* Mostly UTF-8 (many Chinese characters), then one Latin-1 byte. */
	const char broken[] = "姓名,住址,班级,年级\n张小明,青山村,一班,三年级\n"
	                      "\n"
	                      "caf\xE9,x\n";
	/* With a BOM the file says it is UTF-8: no GB18030 guess. */
	const char bom[] = "\xEF\xBB\xBF"
	                   "a\n\xD5\xC5\n";
	const char nul[] = "a,b\n1,\0002\n";

	(void) state;
	assert_int_equal(
	    csv_open_buf(&c, bad, sizeof(bad) - 1, NULL, &err), GU_EINVAL);
	assert_null(c);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "invalid encoding"));
	assert_non_null(strstr(err.msg, "0xFF"));

	assert_int_equal(
	    csv_open_buf(&c, broken, sizeof(broken) - 1, NULL, &err),
	    GU_EINVAL);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "not valid UTF-8"));

	assert_int_equal(
	    csv_open_buf(&c, bom, sizeof(bom) - 1, NULL, &err), GU_EINVAL);
	assert_int_equal(err.line, 2);

	assert_int_equal(
	    csv_open_buf(&c, nul, sizeof(nul) - 1, NULL, &err), GU_EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "NUL"));
}

/* UTF-8 text into UTF-16 (to: "UTF-16LE" or "UTF-16BE") after a BOM. */
static char *
to_utf16(const char *s, const char *to, size_t *len)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	size_t il = strlen(s), ol = il * 4 + 8, cap = ol;
	char *out = malloc(cap + 2), *ip = (char *) (uintptr_t) s,
	     *op = out + 2;
	int be = strcmp(to, "UTF-16BE") == 0;

	assert_true(cd != (iconv_t) -1);
	assert_non_null(out);
	out[0] = be ? '\xFE' : '\xFF';
	out[1] = be ? '\xFF' : '\xFE';
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t) -1);
	iconv_close(cd);
	*len = 2 + cap - ol;
	return out;
}

static void
test_utf16(void **state)
{
	const char *text = "学籍号\t姓名\t住址\r\n"
	                   "G1\t张小明\t\"青山村\r\n二组\"\r\n"
	                   "G2\t𠇔\t\"a\tb\"\r\n";
	const char *to[2] = {"UTF-16LE", "UTF-16BE"};
	struct csv *c = NULL;
	struct csv_error err;
	size_t len;
	char *u;
	int i;

	(void) state;
	for (i = 0; i < 2; i++) {
		u = to_utf16(text, to[i], &len);
		assert_int_equal(csv_open_buf(&c, u, len, NULL, &err), GU_OK);
		assert_int_equal(
		    csv_encoding_of(c), i == 0 ? CSV_UTF16LE : CSV_UTF16BE);
		assert_string_equal(csv_encoding_name(csv_encoding_of(c)),
		    i == 0 ? "UTF-16LE" : "UTF-16BE");
		assert_int_equal(csv_separator(c), '\t');
		expect_row(c, 1, "学籍号", "姓名", "住址", NULL);
		expect_row(c, 2, "G1", "张小明", "青山村\n二组", NULL);
		expect_row(c, 4, "G2", "𠇔", "a\tb", NULL);
		expect_end(c);
		csv_close(c);
		free(u);
	}
	/* An unpaired surrogate on line 2; U+0000; an odd last byte. */
	u = to_utf16("a\tb\nc\t\xEF\xBF\xBD\n", "UTF-16LE", &len);
	memcpy(u + len - 4, "\x00\xDC", 2); /* U+FFFD becomes U+DC00 */
	assert_int_equal(csv_open_buf(&c, u, len, NULL, &err), GU_EINVAL);
	assert_null(c);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "UTF-16"));
	memcpy(u + len - 4, "\x00\x00", 2);
	assert_int_equal(csv_open_buf(&c, u, len, NULL, &err), GU_EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "NUL"));
	assert_int_equal(csv_open_buf(&c, u, 7, NULL, &err), GU_EINVAL);
	assert_int_equal(err.line, 1);
	free(u);
}

static void
test_separator(void **state)
{
	struct csv *c;

	(void) state;
	/* A title row with neither, then tabs; a comma inside a cell. */
	c = open_str("名单\n学籍号\t姓名\t住址\nG1\t王芳\t青山村,二组\n");
	assert_int_equal(csv_separator(c), '\t');
	expect_row(c, 1, "名单", NULL);
	expect_row(c, 2, "学籍号", "姓名", "住址", NULL);
	expect_row(c, 3, "G1", "王芳", "青山村,二组", NULL);
	expect_end(c);
	csv_close(c);
	/* Commas win when there are more of them; tabs are then text. */
	c = open_str("a,b,c\nx\ty,z,w\n");
	assert_int_equal(csv_separator(c), ',');
	expect_row(c, 1, "a", "b", "c", NULL);
	expect_row(c, 2, "x\ty", "z", "w", NULL);
	csv_close(c);
	/* Quoted commas do not count; "sep=" says it outright. */
	c = open_str("\"a,b,c\"\t\"d,e\"\n1\t2\n");
	assert_int_equal(csv_separator(c), '\t');
	expect_row(c, 1, "a,b,c", "d,e", NULL);
	csv_close(c);
	c = open_str("sep=\t\na,b\tc\n");
	assert_int_equal(csv_separator(c), '\t');
	expect_row(c, 1, "sep=", "", NULL);
	expect_row(c, 2, "a,b", "c", NULL);
	csv_close(c);
	c = open_str("sep=,\na\tb\tc,d\n");
	assert_int_equal(csv_separator(c), ',');
	csv_close(c);
	/* Text after a closing quote is judged against the separator. */
	c = open_str("\"a\",b\t\"c\"x\n");
	csv_close(c);
	c = open_str("x\ty\n\"a\"\tb\n\"c\",d\n");
	expect_row(c, 1, "x", "y", NULL);
	expect_row(c, 2, "a", "b", NULL);
	expect_row_err(c, GU_EINVAL, 3, "text after the closing quote");
	csv_close(c);
}

static void
test_broken_utf8(void **state)
{
	struct csv *c = NULL;
	struct csv_error err;
	/* A cut character before any other: nothing valid before it. */
	const char cut[] = "id,name\nG1,\xE7\x8E\nG2,王明\n";
	/* Latin-1 é among a little UTF-8. */
	const char lat[] = "a,\xE9\n李,b\n";

	(void) state;
	assert_int_equal(
	    csv_open_buf(&c, cut, sizeof(cut) - 1, NULL, &err), GU_EINVAL);
	assert_null(c);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg,
	    "invalid encoding: byte 0xE7 at column 4 (file offset 11) is not "
	    "valid UTF-8: the rest of the file is UTF-8, so retype the "
	    "character there or save the file again as UTF-8");
	assert_int_equal(
	    csv_open_buf(&c, lat, sizeof(lat) - 1, NULL, &err), GU_EINVAL);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "0xE9 at column 3"));
}

static void
test_limits(void **state)
{
	struct csv_limits lim = {16, 3, 4};
	struct csv *c = NULL;
	struct csv_error err;
	const char *big = "0123456789abcdefX";

	(void) state;
	assert_int_equal(
	    csv_open_buf(&c, big, strlen(big), &lim, &err), GU_ETOOBIG);
	assert_null(c);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, "larger than 16 bytes"));

	lim.max_bytes = 0;
	assert_int_equal(
	    csv_open_buf(&c, "a,b,c,d\nabcde,x\n\"abc\ndefg\",y\nok,1\n", 34,
	        &lim, &err),
	    GU_OK);
	expect_row_err(c, GU_ETOOBIG, 1, "more than 3 fields");
	expect_row_err(c, GU_ETOOBIG, 2, "field 1 is longer than 4 bytes");
	expect_row_err(c, GU_ETOOBIG, 3, "field 1 is longer than 4 bytes");
	/* The reader goes on after each of them. */
	expect_row(c, 5, "ok", "1", NULL);
	expect_end(c);
	csv_close(c);
}

static void
test_quote_errors(void **state)
{
	struct csv *c = open_str("a,\"b\"x,c\nd,e\nf,\"never\nclosed\n");

	(void) state;
	expect_row_err(c, GU_EINVAL, 1, "text after the closing quote");
	expect_row(c, 2, "d", "e", NULL);
	expect_row_err(
	    c, GU_EINVAL, 3, "quoted field opened on line 3 is not closed");
	expect_end(c);
	csv_close(c);
}

static void
test_file(void **state)
{
	char *dir = fx_tmpdir(), path[512];
	struct csv *c = NULL;
	struct csv_error err;
	FILE *f;

	(void) state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/none.csv", dir);
	assert_int_equal(csv_open_file(&c, path, NULL, &err), GU_EIO);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, "cannot open"));
	assert_int_equal(csv_open_file(&c, dir, NULL, &err), GU_EIO);

	snprintf(path, sizeof(path), "%s/a.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("x,y\n1,2\n", f);
	fclose(f);
	assert_int_equal(csv_open_file(&c, path, NULL, &err), GU_OK);
	expect_row(c, 1, "x", "y", NULL);
	expect_row(c, 2, "1", "2", NULL);
	expect_end(c);
	csv_close(c);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_no_final_newline),
	    cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_crlf_and_cr),
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_embedded_newlines),
	    cmocka_unit_test(test_gb18030),
	    cmocka_unit_test(test_invalid_encoding),
	    cmocka_unit_test(test_utf16),
	    cmocka_unit_test(test_separator),
	    cmocka_unit_test(test_broken_utf8),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_quote_errors),
	    cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
