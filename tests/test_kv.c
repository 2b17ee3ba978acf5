/*
 * test_kv.c: the key = value line reader: trimming, comments, CRLF, the
 * last line without its end, quotes, sections, raw lines, every error
 * with its name:line, the line limit at its exact edge, NUL bytes,
 * keep-going against stop-at-first, the callback's own errors, and files
 * that cannot be read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "kv.h"

/* What the callback saw and what the reader reported. */
struct seen {
	unsigned n;
	char got[32][160];
	unsigned nerr;
	char err[32][200];
	const char *refuse; /* a key the callback refuses */
};

static int
take(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct seen *s = arg;

	if (s->refuse != NULL && l->key != NULL &&
	    strcmp(l->key, s->refuse) == 0) {
		snprintf(why, why_len, "%s is not wanted", l->key);
		return GU_ETOOBIG;
	}
	if (s->n < 32)
		snprintf(s->got[s->n], sizeof(s->got[0]), "%u[%s][%s]", l->line,
		    l->key != NULL ? l->key : "-", l->value);
	s->n++;
	return GU_OK;
}

static void
errs(void *arg, const char *name, unsigned line, const char *msg)
{
	struct seen *s = arg;

	if (s->nerr < 32)
		snprintf(s->err[s->nerr], sizeof(s->err[0]), "%s:%u: %s", name,
		    line, msg);
	s->nerr++;
}

static int
run(struct seen *s, const char *text, size_t len, const struct kv_opts *o)
{
	const char *refuse = s->refuse;

	memset(s, 0, sizeof(*s));
	s->refuse = refuse;
	return kv_parse_buf("t.conf", text, len, o, take, s, errs, s);
}

static void
test_pairs(void **state)
{
	const char *t = "# comment\n"
	                "\n"
	                "  a = 1  \r\n"
	                "b=two words\t\n"
	                "; also a comment\n"
	                "c = x = y\n"
	                "d =\n"
	                "\te = \"  q  \"\n"
	                "last = end";
	struct seen s = {0};

	(void) state;
	assert_int_equal(run(&s, t, strlen(t), NULL), GU_OK);
	assert_int_equal(s.nerr, 0);
	assert_int_equal(s.n, 6);
	assert_string_equal(s.got[0], "3[a][1]");
	assert_string_equal(s.got[1], "4[b][two words]");
	assert_string_equal(s.got[2], "6[c][x = y]");
	assert_string_equal(s.got[3], "7[d][]");
	/* Without KV_QUOTES quotes are part of the value. */
	assert_string_equal(s.got[4], "8[e][\"  q  \"]");
	assert_string_equal(s.got[5], "9[last][end]");
}

static void
test_quotes_sections_raw(void **state)
{
	const char *t = "[server]\nurl = \"a b\"\n;x\n";
	struct kv_opts o = {0, NULL, NULL, KV_SECTIONS | KV_QUOTES, 0};
	struct seen s = {0};

	(void) state;
	assert_int_equal(run(&s, t, strlen(t), &o), GU_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.got[0], "1[-][[server]]");
	assert_string_equal(s.got[1], "2[url][a b]");
	t = "x = \"open\n";
	assert_int_equal(run(&s, t, strlen(t), &o), GU_EINVAL);
	assert_string_equal(s.err[0], "t.conf:1: unterminated quote");
	t = "x = \"\n";
	assert_int_equal(run(&s, t, strlen(t), &o), GU_EINVAL);
	/* Raw: lines as they are; ';' is text when only '#' comments. */
	o = (struct kv_opts){0, "#", NULL, KV_RAW, 0};
	t = "tap 1 2\n# c\n  expect a=b ; c  \n";
	assert_int_equal(run(&s, t, strlen(t), &o), GU_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.got[0], "1[-][tap 1 2]");
	assert_string_equal(s.got[1], "3[-][expect a=b ; c]");
}

static void
test_errors(void **state)
{
	const char t[] = "a = 1\nno equals\n = 3\nb = 2\nc\0d = 4\nbad = 5\n";
	struct kv_opts o = {0, NULL, "key = text", 0, 1};
	struct seen s = {0};

	(void) state;
	s.refuse = "bad";
	assert_int_equal(run(&s, t, sizeof(t) - 1, &o), GU_EINVAL);
	assert_int_equal(s.nerr, 4);
	assert_string_equal(s.err[0], "t.conf:2: expected key = text");
	assert_string_equal(s.err[1], "t.conf:3: empty key");
	assert_string_equal(s.err[2], "t.conf:5: NUL byte");
	assert_string_equal(s.err[3], "t.conf:6: bad is not wanted");
	assert_int_equal(s.n, 2); /* a and b */
	/* Stop at the first: the callback saw only what came before. */
	o.keep_going = 0;
	assert_int_equal(run(&s, t, sizeof(t) - 1, &o), GU_EINVAL);
	assert_int_equal(s.nerr, 1);
	assert_int_equal(s.n, 1);
	/* The callback's own status comes back. */
	assert_int_equal(run(&s, "bad = 1\n", 8, &o), GU_ETOOBIG);
}

static void
test_line_limit(void **state)
{
	struct kv_opts o = {16, NULL, NULL, 0, 0};
	struct seen s = {0};
	char t[64];

	(void) state;
	/* 16 bytes exactly (CR included, then trimmed) is fine; 17 is not. */
	memcpy(t, "k = 0123456789a\r\n", 17);
	assert_int_equal(run(&s, t, 17, &o), GU_OK);
	assert_string_equal(s.got[0], "1[k][0123456789a]");
	memcpy(t, "k = 0123456789ab\r\nz = 1\n", 24);
	assert_int_equal(run(&s, t, 24, &o), GU_EINVAL);
	assert_string_equal(
	    s.err[0], "t.conf:1: line too long (more than 16 bytes)");
	/* The last line, without its end, is held to the limit too. */
	assert_int_equal(
	    run(&s, "a = 1\nk = 0123456789abc", 23, &o), GU_EINVAL);
	assert_string_equal(
	    s.err[0], "t.conf:2: line too long (more than 16 bytes)");
	assert_int_equal(run(&s, "", 0, &o), GU_OK);
	assert_int_equal(s.n, 0);
}

static void
test_files(void **state)
{
	char *dir = fx_tmpdir(), path[512], buf[256];
	struct kv_first first = {buf, sizeof(buf), 0};
	struct seen s = {0};
	FILE *f;

	(void) state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/none.conf", dir);
	assert_int_equal(
	    kv_parse_file(path, NULL, take, &s, kv_first_err, &first), GU_EIO);
	assert_non_null(strstr(buf, "none.conf: No such file or directory"));
	first.set = 0;
	assert_int_equal(
	    kv_parse_file(dir, NULL, take, &s, kv_first_err, &first), GU_EIO);
	assert_non_null(strstr(buf, "not a regular file"));
	snprintf(path, sizeof(path), "%s/a.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("x = 1\ny\nz\n", f);
	fclose(f);
	first.set = 0;
	assert_int_equal(
	    kv_parse_file(path, NULL, take, &s, kv_first_err, &first),
	    GU_EINVAL);
	/* Only the first problem, with the file's name and line. */
	snprintf(path + strlen(path), sizeof(path) - strlen(path),
	    ":2: expected key = value");
	assert_string_equal(buf, path);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pairs),
	    cmocka_unit_test(test_quotes_sections_raw),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_line_limit),
	    cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
