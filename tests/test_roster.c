/*
 * test_roster.c: roster import.  Parsing of both files (Chinese and
 * English headers, any column order, every accepted value form, GB18030),
 * every problem message with its file and line, all problems reported at
 * once, the cap on them; then against a real store in a temp dir: the
 * import, all or nothing, re-import by id with inactive marking, PINs
 * hashed and kept across re-imports; the PIN module; and the
 * import-roster command's exit status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <iconv.h>
#include <sodium.h>

#include "cmds.h"
#include "fixture.h"
#include "pin.h"
#include "roster.h"

#define MAXP 2100

/* The problems one run reported, as "file:line: msg". */
struct probs {
	unsigned n;
	char line[MAXP][ROSTER_MSG_LEN + 64];
};

static struct probs P;

static void
collect(void *arg, const char *file, unsigned line, const char *msg)
{
	struct probs *p = arg;

	if (p->n < MAXP)
		snprintf(p->line[p->n], sizeof(p->line[0]), "%s:%u: %s", file,
		    line, msg);
	p->n++;
}

static void
dump(const struct probs *p)
{
	for (unsigned i = 0; i < p->n && i < MAXP; i++)
		fprintf(stderr, "  | %s\n", p->line[i]);
}

/* Fails unless some problem starts with want. */
static void
expect_problem(const struct probs *p, const char *want)
{
	for (unsigned i = 0; i < p->n && i < MAXP; i++)
		if (strncmp(p->line[i], want, strlen(want)) == 0)
			return;
	dump(p);
	fail_msg("no problem \"%s\"", want);
}

static const struct roster_opts fast = {
    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, 0, 0};

static const char *staff_csv = "工号,姓名,角色,初始PIN\r\n"
                               "T001,李春燕,导师;班主任,4821\r\n"
                               "T002,王建国,导师,7305\r\n"
                               "T003,赵立平,校长,1956\r\n"
                               "T004,陈美玲,班主任；导师,06620\r\n";

static const char *children_head =
    "学籍号,姓名,性别,出生日期,年级,班级,类别,监护人,监护关系,"
    "监护人电话,成长导师工号,住址\r\n";

static const char *children_rows =
    "G2015030701,张小明,男,2015-03-07,三年级,三年级1班,留守,张德福,祖父,"
    "13800000001,T001,青山村二组\r\n"
    "G2015110202,刘晓红,女,2015/11/2,三年级,三年级1班,留守;困境,刘桂兰,"
    "祖母,138-0000-0002,T001,\"青山村\"\"三组\"\"\"\r\n"
    "G2014061503,陈子豪,M,2014.6.15,四年级,四年级2班,,陈大海,父亲,"
    "13800000003,T002,河西村\r\n"
    "G2014092804,杨雨欣,F,20140928,四年级,四年级2班,困境,杨秀英,母亲,"
    "0730-1234567,T002,\"河西村五组\r\n大樟树下\"\r\n"
    "G2016010105,周佳怡,女,2016年1月1日,二年级,二年级1班,in_difficulty，"
    "left_behind,周建军,父亲,,,\r\n";

static char children_csv[4096];

static struct roster_src
src(const char *name, const char *s)
{
	struct roster_src r = {name, s, strlen(s)};

	return r;
}

/* Parses children and staff text; the problems go to P. */
static int
parse(struct roster *r, const char *children, const char *staff)
{
	struct roster_src c = src("c.csv", children), s = src("s.csv", staff);

	memset(&P, 0, sizeof(P));
	return roster_parse(r, &c, &s, NULL, collect, &P);
}

/* Parses children and staff, which must fail with problem alone. */
static void
parse_fails(const char *children, const char *staff, const char *problem)
{
	struct roster r;

	assert_int_equal(parse(&r, children, staff), GU_EINVAL);
	expect_problem(&P, problem);
	assert_int_equal(P.n, 1);
	roster_fini(&r);
}

static int
setup_group(void **state)
{
	(void) state;
	snprintf(children_csv, sizeof(children_csv), "%s%s", children_head,
	    children_rows);
	return 0;
}

static void
test_parse_good(void **state)
{
	struct roster r;
	const struct child *c;

	(void) state;
	if (parse(&r, children_csv, staff_csv) != GU_OK) {
		dump(&P);
		fail();
	}
	assert_int_equal(P.n, 0);
	assert_int_equal(r.n_children, 5);
	assert_int_equal(r.n_staff, 4);
	c = r.children;
	assert_string_equal(c[0].id, "G2015030701");
	assert_string_equal(c[0].name, "张小明");
	assert_string_equal(c[0].sex, "M");
	assert_string_equal(c[0].birth, "2015-03-07");
	assert_string_equal(c[0].grade, "三年级");
	assert_string_equal(c[0].class_name, "三年级1班");
	assert_int_equal(c[0].categories, CAT_LEFT_BEHIND);
	assert_string_equal(c[0].guardian, "张德福");
	assert_string_equal(c[0].guardian_relation, "祖父");
	assert_string_equal(c[0].guardian_phone, "13800000001");
	assert_string_equal(c[0].mentor_id, "T001");
	assert_string_equal(c[0].address, "青山村二组");
	assert_int_equal(c[0].active, 1);
	assert_string_equal(c[1].birth, "2015-11-02");
	assert_string_equal(c[1].sex, "F");
	assert_int_equal(c[1].categories, CAT_LEFT_BEHIND | CAT_IN_DIFFICULTY);
	assert_string_equal(c[1].address, "青山村\"三组\"");
	assert_string_equal(c[2].birth, "2014-06-15");
	assert_int_equal(c[2].categories, 0);
	assert_string_equal(c[3].birth, "2014-09-28");
	/* A line break inside a cell becomes a space. */
	assert_string_equal(c[3].address, "河西村五组 大樟树下");
	assert_string_equal(c[4].birth, "2016-01-01");
	assert_int_equal(c[4].categories, CAT_LEFT_BEHIND | CAT_IN_DIFFICULTY);
	assert_string_equal(c[4].mentor_id, "");
	assert_string_equal(c[4].sex, "F");

	assert_string_equal(r.staff[0].id, "T001");
	assert_int_equal(r.staff[0].roles, ROLE_MENTOR | ROLE_TEACHER);
	assert_int_equal(r.staff[2].roles, ROLE_HEAD);
	assert_int_equal(r.staff[3].roles, ROLE_MENTOR | ROLE_TEACHER);
	assert_string_equal(r.pins[3], "06620");
	assert_string_equal(r.staff[0].pin_hash, "");
	assert_int_equal(r.staff[0].must_change_pin, 1);
	roster_fini(&r);
	roster_fini(&r); /* twice is harmless */
}

static void
test_english_any_order(void **state)
{
	const char *c = "\n"
	                " Mentor_ID ,Class,notes,NAME,\tid ,Birth Date,"
	                "category,sex\n"
	                "T2 , 三年级1班 ,whatever,\xE3\x80\x80王芳\xE3\x80\x80,"
	                " G1 ,2015-1-9, left_behind ; 困境 ,female\n"
	                ",三年级1班,,李雷,G2,,,male\n";
	const char *s = "initial_pin,roles,name,id,phone\n"
	                "1234,mentor;head,Ms Wang,T2,555\n";
	struct roster r;

	(void) state;
	if (parse(&r, c, s) != GU_OK) {
		dump(&P);
		fail();
	}
	assert_int_equal(r.n_children, 2);
	assert_string_equal(r.children[0].id, "G1");
	assert_string_equal(r.children[0].name, "王芳");
	assert_string_equal(r.children[0].class_name, "三年级1班");
	assert_string_equal(r.children[0].mentor_id, "T2");
	assert_string_equal(r.children[0].birth, "2015-01-09");
	assert_string_equal(r.children[0].sex, "F");
	assert_int_equal(
	    r.children[0].categories, CAT_LEFT_BEHIND | CAT_IN_DIFFICULTY);
	assert_string_equal(r.children[1].sex, "M");
	assert_int_equal(r.staff[0].roles, ROLE_MENTOR | ROLE_HEAD);
	roster_fini(&r);
}

/* Converts UTF-8 text to GB18030, as a WPS export would be. */
static char *
gb(const char *s, size_t *len)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t il = strlen(s), ol = il * 2 + 8, cap = ol;
	char *out = malloc(cap + 1), *ip = (char *) (uintptr_t) s, *op = out;

	assert_true(cd != (iconv_t) -1);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t) -1);
	iconv_close(cd);
	*len = cap - ol;
	out[*len] = '\0';
	return out;
}

static void
test_title_row(void **state)
{
	/* Excel's "sep=," line, then a title row over the header, as many
	 * school sheets have; line numbers stay those of the file. */
	const char *c = "sep=,\r\n"
	                "青山村小学2024年春季学生名单,,\r\n"
	                "学籍号,姓名,班级\r\n"
	                "G1,王芳,一班\r\n"
	                "G1,李雷,一班\r\n";
	(void) state;
	parse_fails(
	    c, staff_csv, "c.csv:5: duplicate 学籍号 G1 (first on line 4)");
}

static void
test_gb18030(void **state)
{
	struct roster_src c, s;
	struct roster r;
	size_t cl, sl;
	char *cg = gb(children_csv, &cl), *sg = gb(staff_csv, &sl);

	(void) state;
	c = (struct roster_src){"c.csv", cg, cl};
	s = (struct roster_src){"s.csv", sg, sl};
	memset(&P, 0, sizeof(P));
	assert_int_equal(roster_parse(&r, &c, &s, NULL, collect, &P), GU_OK);
	assert_int_equal(r.n_children, 5);
	assert_string_equal(r.children[3].name, "杨雨欣");
	assert_string_equal(r.children[3].address, "河西村五组 大樟树下");
	assert_string_equal(r.staff[0].name, "李春燕");
	roster_fini(&r);
	free(cg);
	free(sg);
}

/* One bad children row on line 3 (after a good one on line 2). */
struct child_case {
	const char *row;
	const char *want;
};

static void
test_child_errors(void **state)
{
	static const struct child_case cases[] = {
	    {"G9,王一,男,2015-02-30,三年级,三年级1班,,,,,,",
	        "c.csv:3: 出生日期 \"2015-02-30\" is not a real day"},
	    {"G9,王一,男,2015-13-01,三年级,三年级1班,,,,,,",
	        "c.csv:3: 出生日期 \"2015-13-01\" is not a real day"},
	    {"G9,王一,男,3/7/2015,三年级,三年级1班,,,,,,",
	        "c.csv:3: 出生日期 \"3/7/2015\" is not a date"},
	    {"G9,王一,男,2015-3/7,三年级,三年级1班,,,,,,",
	        "c.csv:3: 出生日期 \"2015-3/7\" is not a date"},
	    {"G9,王一,X,,三年级,三年级1班,,,,,,",
	        "c.csv:3: 性别 \"X\" is not 男, 女, M or F"},
	    {"G9,王一,男,,三年级,三年级1班,外地,,,,,",
	        "c.csv:3: 类别 has an unknown category \"外地\""},
	    {"G 9,王一,男,,三年级,三年级1班,,,,,,",
	        "c.csv:3: 学籍号 \"G 9\" is not a valid id"},
	    {"G9;1,王一,男,,三年级,三年级1班,,,,,,",
	        "c.csv:3: 学籍号 \"G9;1\" is not a valid id"},
	    {",王一,男,,三年级,三年级1班,,,,,,", "c.csv:3: 学籍号 is empty"},
	    {"G9,,男,,三年级,三年级1班,,,,,,", "c.csv:3: 姓名 is empty"},
	    {"G9,王一,男,,三年级,,,,,,,", "c.csv:3: 班级 is empty"},
	    {"G9,王一王一王一王一王一王一王一王一王一王一王一王一,男,,三年级,"
	     "三年级1班,,,,,,",
	        "c.csv:3: 姓名 is too long (72 bytes, at most 63)"},
	    {"G9,王一,男,,三年级,三年级1班,,,,,T999,",
	        "c.csv:3: unknown mentor: 成长导师工号 T999 is not in the "
	        "staff file"},
	    {"G9,王一,男,,三年级,三年级1班,,,,,T003,",
	        "c.csv:3: unknown mentor: T003 (赵立平) does not have the 导师 "
	        "role"},
	    {"G9,王一,男,,三年级,三年级1班,,,,,T 1,",
	        "c.csv:3: 成长导师工号 \"T 1\" is not a valid id"},
	    {"G1,王一,男,,三年级,三年级1班,,,,,,",
	        "c.csv:3: duplicate 学籍号 G1 (first on line 2)"},
	    {"G9,王一,男,,三年级",
	        "c.csv:3: 班级 is missing: the row has only 5 cells and 班级 "
	        "is column 6 of the header on line 1"},
	    {"G9,王一,男,,三年级,三年级1班,,,,,,,extra",
	        "c.csv:3: wrong number of fields: 13"},
	    {"G9,王一,男,,三年级,三年级1班,,,,1.38E+10,,",
	        "c.csv:3: 监护人电话 \"1.38E+10\" is not a phone number"},
	    {"G9,王一,男,,四年级,三年级1班,,,,,,",
	        "c.csv:3: 班级 三年级1班 is in 年级 \"三年级\" on line 2 but "
	        "\"四年级\" here"},
	    {"G9,王\x01一,男,,三年级,三年级1班,,,,,,",
	        "c.csv:3: 姓名 contains a control character"},
	    {"G9,\"王一\"x,男,,三年级,三年级1班,,,,,,",
	        "c.csv:3: text after the closing quote of field 2"},
	    {"G9,王一,男,,三年级,三年级1班,,,,,,\"open",
	        "c.csv:3: quoted field opened on line 3 is not closed"},
	};
	char buf[4096];
	struct roster r;
	size_t i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf),
		    "%sG1,李二,女,,三年级,三年级1班,,,,,T001,\n%s\n",
		    children_head, cases[i].row);
		assert_int_equal(parse(&r, buf, staff_csv), GU_EINVAL);
		if (P.n != 1) {
			dump(&P);
			fail_msg("case %zu: %u problems", i, P.n);
		}
		expect_problem(&P, cases[i].want);
		assert_int_equal(r.n_errors, 1);
		assert_int_equal(r.n_children, 0); /* nothing handed out */
		roster_fini(&r);
	}
}

static void
test_staff_errors(void **state)
{
	static const struct child_case cases[] = {
	    {"T9,钱七,主任,1234",
	        "s.csv:3: 角色 has an unknown role \"主任\" (导师, 班主任 or "
	        "校长)"},
	    {"T9,钱七,,1234", "s.csv:3: 角色 is empty"},
	    {"T9,钱七,导师,12", "s.csv:3: 初始PIN must be 4 to 8 digits"},
	    {"T9,钱七,导师,123456789",
	        "s.csv:3: 初始PIN must be 4 to 8 digits"},
	    {"T9,钱七,导师,12a4", "s.csv:3: 初始PIN must be 4 to 8 digits"},
	    {"T9,钱七,导师,", "s.csv:3: 初始PIN must be 4 to 8 digits"},
	    {"T1,钱七,导师,1234",
	        "s.csv:3: duplicate 工号 T1 (first on line 2)"},
	    {"T/9,钱七,导师,1234", "s.csv:3: 工号 \"T/9\" is not a valid id"},
	    {"T9,,导师,1234", "s.csv:3: 姓名 is empty"},
	    {"T9,钱七,导师",
	        "s.csv:3: 初始PIN is missing: the row has only 3 cells and "
	        "初始PIN is column 4 of the header on line 1"},
	};
	const char *children = "学籍号,姓名,班级\nG1,李二,一班\n";
	char buf[1024];
	struct roster r;
	size_t i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf),
		    "工号,姓名,角色,初始PIN\nT1,孙一,导师,5555\n%s\n",
		    cases[i].row);
		assert_int_equal(parse(&r, children, buf), GU_EINVAL);
		if (P.n != 1) {
			dump(&P);
			fail_msg("case %zu: %u problems", i, P.n);
		}
		expect_problem(&P, cases[i].want);
		/* A PIN, good or bad, never appears in a message. */
		assert_null(strstr(P.line[0], "12a4"));
		assert_null(strstr(P.line[0], "123456789"));
		roster_fini(&r);
	}
}

static void
test_file_errors(void **state)
{
	struct roster r;
	char longf[1200 + 64];

	(void) state;
	/* Missing columns: every one, on the header's line. */
	assert_int_equal(
	    parse(&r, "姓名,性别\n李,男\n", "工号\nT1\n"), GU_EINVAL);
	expect_problem(&P, "c.csv:1: missing required column 学籍号 (or id)");
	expect_problem(&P, "c.csv:1: missing required column 班级 (or class)");
	expect_problem(&P, "s.csv:1: missing required column 姓名 (or name)");
	expect_problem(&P, "s.csv:1: missing required column 角色 (or roles)");
	expect_problem(
	    &P, "s.csv:1: missing required column 初始PIN (or initial_pin)");
	assert_int_equal(P.n, 5);
	roster_fini(&r);

	/* A column twice. */
	assert_int_equal(
	    parse(&r, "学籍号,姓名,班级,id\nG1,李,一班,G1\n", staff_csv),
	    GU_EINVAL);
	expect_problem(
	    &P, "c.csv:1: column id appears twice (columns 1 and 4)");
	roster_fini(&r);

	/* Empty files and header-only files. */
	assert_int_equal(parse(&r, "", "\r\n\r\n"), GU_EINVAL);
	expect_problem(&P, "c.csv:1: the file is empty: no header row");
	expect_problem(&P, "s.csv:1: the file is empty: no header row");
	roster_fini(&r);
	parse_fails(
	    children_head, staff_csv, "c.csv:1: no children under the header");

	/* The two files swapped. */
	assert_int_equal(parse(&r, staff_csv, children_csv), GU_EINVAL);
	expect_problem(&P, "c.csv:1: missing required column 学籍号 (or id)");
	expect_problem(&P,
	    "c.csv:1: this looks like the staff file: are the "
	    "two files swapped?");
	expect_problem(&P, "s.csv:1: this looks like the children file");
	roster_fini(&r);

	/* No row that names a column among the first five. */
	assert_int_equal(
	    parse(&r, "\n名单\n1,2\n3,4\n5,6\n7,8\n学籍号\n", staff_csv),
	    GU_EINVAL);
	expect_problem(&P,
	    "c.csv:2: no header row: none of the first rows "
	    "names a column (the children file needs 学籍号, "
	    "姓名, 班级)");
	assert_int_equal(P.n, 1);
	roster_fini(&r);

	/* Invalid encoding: 0xFF on line 3. */
	assert_int_equal(
	    parse(
	        &r, "学籍号,姓名,班级\nG1,李,一班\nG2,\xFF,一班\n", staff_csv),
	    GU_EINVAL);
	expect_problem(&P, "c.csv:3: invalid encoding");
	roster_fini(&r);

	/* A field past the CSV limit. */
	memset(longf, 'a', 1100);
	longf[1100] = '\0';
	{
		char buf[2048];
		snprintf(
		    buf, sizeof(buf), "学籍号,姓名,班级\nG1,%s,一班\n", longf);
		assert_int_equal(parse(&r, buf, staff_csv), GU_EINVAL);
		expect_problem(
		    &P, "c.csv:2: field 2 is longer than 1024 bytes");
		roster_fini(&r);
	}
}

static void
test_all_at_once(void **state)
{
	const char *c = "学籍号,姓名,性别,出生日期,班级,类别,成长导师工号\n"
	                "G1,张三,男,2015-02-30,三年级1班,留守,T001\n"
	                "G2,李四,X,2015-13-01,三年级1班,外地,T009\n"
	                "\n"
	                "G1,王五,女,abc,,,T004\n"
	                "bad id!,赵六,女,,三年级1班,,\n"
	                "G6,\"多行\n地址\",女,,三年级1班,,T003\n"
	                "G7,\"unterminated\n";
	const char *s = "工号,姓名,角色,初始PIN\n"
	                "T001,李老师,导师,12\n"
	                "T003,校长,校长,1234\n"
	                "T004,陈老师,主任,123456789\n"
	                "T004,x,导师,1234\n";
	static const char *want[] = {
	    "c.csv:2: 出生日期 \"2015-02-30\" is not a real day",
	    "c.csv:3: 性别 \"X\" is not 男, 女, M or F",
	    "c.csv:3: 出生日期 \"2015-13-01\" is not a real day",
	    "c.csv:3: 类别 has an unknown category \"外地\"",
	    "c.csv:3: unknown mentor: 成长导师工号 T009 is not in the staff",
	    "c.csv:5: 出生日期 \"abc\" is not a date",
	    "c.csv:5: 班级 is empty",
	    "c.csv:5: duplicate 学籍号 G1 (first on line 2)",
	    "c.csv:6: 学籍号 \"bad id!\" is not a valid id",
	    "c.csv:7: unknown mentor: T003 (校长) does not have the 导师",
	    "c.csv:9: quoted field opened on line 9 is not closed",
	    "s.csv:2: 初始PIN must be 4 to 8 digits",
	    "s.csv:4: 角色 has an unknown role \"主任\"",
	    "s.csv:4: 初始PIN must be 4 to 8 digits",
	    "s.csv:5: duplicate 工号 T004 (first on line 4)",
	};
	struct roster r;
	size_t i, n = sizeof(want) / sizeof(want[0]);

	(void) state;
	assert_int_equal(parse(&r, c, s), GU_EINVAL);
	if (P.n != n) {
		dump(&P);
		fail_msg("%u problems, want %zu", P.n, n);
	}
	/* In file order (children first), then line order. */
	for (i = 0; i < n; i++)
		if (strncmp(P.line[i], want[i], strlen(want[i])) != 0) {
			dump(&P);
			fail_msg("problem %zu: want \"%s\"", i, want[i]);
		}
	assert_int_equal(r.n_errors, n);
	roster_fini(&r);
}

static void
test_max_errors(void **state)
{
	struct roster_opts o = {0, 0, 0, 10};
	struct roster_src c, s;
	struct roster r;
	char *buf = malloc(64 * 1024);
	size_t len;
	int i;

	(void) state;
	len = (size_t) snprintf(buf, 64, "学籍号,姓名,班级\n");
	for (i = 0; i < 50; i++)
		len += (size_t) snprintf(buf + len, 64, "G%d,,一班\n", i);
	c = (struct roster_src){"c.csv", buf, len};
	s = src("s.csv", staff_csv);
	memset(&P, 0, sizeof(P));
	assert_int_equal(roster_parse(&r, &c, &s, &o, collect, &P), GU_EINVAL);
	assert_int_equal(r.n_errors, 50);
	assert_int_equal(P.n, 11);
	assert_string_equal(P.line[0], "c.csv:2: 姓名 is empty");
	assert_string_equal(P.line[10],
	    "c.csv:0: 40 more problems not shown (the first 10 are above)");
	roster_fini(&r);
	/* Without a callback the problems are only counted. */
	assert_int_equal(roster_parse(&r, &c, &s, &o, NULL, NULL), GU_EINVAL);
	assert_int_equal(r.n_errors, 50);
	roster_fini(&r);
	free(buf);
}

/* ---- PINs ---- */

static void
test_pin(void **state)
{
	char h[PIN_HASH_LEN], h2[PIN_HASH_LEN];
	unsigned long long ops = crypto_pwhash_OPSLIMIT_MIN;
	size_t mem = crypto_pwhash_MEMLIMIT_MIN;

	(void) state;
	assert_true(pin_ok("0000"));
	assert_true(pin_ok("12345678"));
	assert_false(pin_ok("123"));
	assert_false(pin_ok("123456789"));
	assert_false(pin_ok("12a4"));
	assert_false(pin_ok(" 1234"));
	assert_false(pin_ok(""));
	assert_false(pin_ok(NULL));

	assert_int_equal(pin_hash("4821", h, ops, mem), GU_OK);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_null(strstr(h, "4821"));
	assert_int_equal(pin_verify(h, "4821"), GU_OK);
	assert_int_equal(pin_verify(h, "4822"), GU_EAUTH);
	assert_int_equal(pin_verify(h, "48"), GU_EAUTH);
	assert_int_equal(pin_verify("not a hash", "4821"), GU_EINVAL);
	/* Salted: the same PIN hashes differently each time. */
	assert_int_equal(pin_hash("4821", h2, ops, mem), GU_OK);
	assert_string_not_equal(h, h2);
	assert_true(pin_needs_rehash(h, 0, 0));
	assert_false(pin_needs_rehash(h, ops, mem));

	assert_int_equal(pin_hash("48", h, ops, mem), GU_EINVAL);
	assert_string_equal(h, "");
	assert_int_equal(pin_hash("4821", h, 0, 1), GU_EINVAL);
}

/* ---- Against a real store ---- */

struct fx {
	char *dir;
	struct store *s;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = fx_tmpdir();
	assert_non_null(f->dir);
	assert_int_equal(
	    store_create(f->dir, "S001", "青山村小学", "kiosk-01", NULL),
	    GU_OK);
	assert_int_equal(store_open(&f->s, f->dir, NULL), GU_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char why[256];

	if (store_check(f->s, why, sizeof(why)) != GU_OK)
		fail_msg("store_check: %s", why);
	store_close(f->s);
	fx_rmdir(f->dir);
	free(f);
	return 0;
}

static int
import_opts(struct store *s, const char *children, const char *staff,
    const struct roster_opts *o, struct roster_counts *cnt)
{
	struct roster_src c = src("c.csv", children), st = src("s.csv", staff);

	memset(&P, 0, sizeof(P));
	memset(cnt, 0xff, sizeof(*cnt));
	return roster_import_buf(s, &c, &st, o, collect, &P, cnt);
}

static void
import_ok(struct store *s, const char *children, const char *staff,
    struct roster_counts *cnt)
{
	if (import_opts(s, children, staff, &fast, cnt) != GU_OK) {
		dump(&P);
		fail_msg("import failed");
	}
}

static void
test_import(void **state)
{
	struct fx *f = *state;
	struct roster_counts cnt;
	struct store_info info;
	struct child c;
	struct staff st;

	import_ok(f->s, children_csv, staff_csv, &cnt);
	assert_int_equal(cnt.children_added, 5);
	assert_int_equal(cnt.children_updated, 0);
	assert_int_equal(cnt.children_inactive, 0);
	assert_int_equal(cnt.staff_added, 4);
	assert_int_equal(store_info(f->s, &info), GU_OK);
	assert_int_equal(info.n_children, 5);
	assert_int_equal(info.n_staff, 4);
	assert_int_equal(store_child_get(f->s, "G2014092804", &c), GU_OK);
	assert_string_equal(c.name, "杨雨欣");
	assert_string_equal(c.mentor_id, "T002");
	assert_int_equal(c.active, 1);
	assert_int_equal(store_staff_get(f->s, "T004", &st), GU_OK);
	assert_int_equal(st.roles, ROLE_MENTOR | ROLE_TEACHER);
	assert_int_equal(st.must_change_pin, 1);
	/* The PIN is hashed, never stored in clear. */
	assert_null(strstr(st.pin_hash, "06620"));
	assert_int_equal(strncmp(st.pin_hash, "$argon2id$", 10), 0);
	assert_int_equal(pin_verify(st.pin_hash, "06620"), GU_OK);
	assert_int_equal(pin_verify(st.pin_hash, "6620"), GU_EAUTH);
}

static void
test_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct roster_counts cnt;
	struct store_info before, after;
	struct child c;
	char buf[4096];

	import_ok(f->s, children_csv, staff_csv, &cnt);
	assert_int_equal(store_info(f->s, &before), GU_OK);
	/* A new roster that renames a child, drops others, and has one bad
	 * date: nothing of it may land. */
	snprintf(buf, sizeof(buf),
	    "%sG2015030701,张大明,男,2015-03-07,三年级,三年级1班,,,,,T001,\n"
	    "G9,新同学,女,2015-02-29,三年级,三年级1班,,,,,,\n",
	    children_head);
	assert_int_equal(
	    import_opts(f->s, buf, staff_csv, &fast, &cnt), GU_EINVAL);
	assert_int_equal(P.n, 1);
	expect_problem(
	    &P, "c.csv:3: 出生日期 \"2015-02-29\" is not a real day");
	assert_int_equal(store_info(f->s, &after), GU_OK);
	assert_int_equal(after.n_children, before.n_children);
	assert_int_equal(after.n_staff, before.n_staff);
	assert_int_equal(store_child_get(f->s, "G2015030701", &c), GU_OK);
	assert_string_equal(c.name, "张小明");
	assert_int_equal(store_child_get(f->s, "G2016010105", &c), GU_OK);
	assert_int_equal(c.active, 1);
	assert_int_equal(store_child_get(f->s, "G9", &c), GU_ENOTFOUND);

	/* A bad staff file alone also blocks it all. */
	assert_int_equal(
	    import_opts(f->s, children_csv,
	        "工号,姓名,角色,初始PIN\nT001,李春燕,导师,1\n", &fast, &cnt),
	    GU_EINVAL);
	expect_problem(&P, "s.csv:2: 初始PIN must be 4 to 8 digits");
	assert_int_equal(store_info(f->s, &after), GU_OK);
	assert_int_equal(after.n_staff, before.n_staff);
}

static void
test_reimport(void **state)
{
	struct fx *f = *state;
	struct roster_counts cnt;
	struct store_info info;
	struct child c;
	char buf[4096];

	import_ok(f->s, children_csv, staff_csv, &cnt);
	/* G2015030701 changes class; G2014061503 and G2016010105 leave; a
	 * new child arrives. */
	snprintf(buf, sizeof(buf),
	    "%s"
	    "G2015030701,张小明,男,2015-03-07,四年级,四年级2班,留守,张德福,"
	    "祖父,13800000001,T002,青山村二组\n"
	    "G2015110202,刘晓红,女,2015/11/2,三年级,三年级1班,留守;困境,"
	    "刘桂兰,祖母,13800000002,T001,青山村三组\n"
	    "G2014092804,杨雨欣,F,20140928,四年级,四年级2班,困境,杨秀英,母亲,"
	    "0730-1234567,T002,河西村五组\n"
	    "G2017050506,黄小宇,男,2017-05-05,一年级,一年级1班,,,,,,\n",
	    children_head);
	import_ok(f->s, buf, staff_csv, &cnt);
	assert_int_equal(cnt.children_added, 1);
	assert_int_equal(cnt.children_updated, 3);
	assert_int_equal(cnt.children_inactive, 2);
	assert_int_equal(cnt.staff_added, 0);
	assert_int_equal(store_child_get(f->s, "G2015030701", &c), GU_OK);
	assert_string_equal(c.class_name, "四年级2班");
	assert_string_equal(c.mentor_id, "T002");
	/* Gone from the roster: inactive, never deleted. */
	assert_int_equal(store_child_get(f->s, "G2014061503", &c), GU_OK);
	assert_int_equal(c.active, 0);
	assert_string_equal(c.name, "陈子豪");
	assert_int_equal(store_info(f->s, &info), GU_OK);
	assert_int_equal(info.n_children, 4);

	/* The child comes back: active again. */
	import_ok(f->s, children_csv, staff_csv, &cnt);
	assert_int_equal(store_child_get(f->s, "G2014061503", &c), GU_OK);
	assert_int_equal(c.active, 1);
}

static void
test_pin_kept(void **state)
{
	struct fx *f = *state;
	struct roster_counts cnt;
	struct roster_opts reset = fast;
	struct staff st;
	char h[PIN_HASH_LEN];

	import_ok(f->s, children_csv, staff_csv, &cnt);
	/* T001 signs in and chooses 9137. */
	assert_int_equal(pin_hash("9137", h, crypto_pwhash_OPSLIMIT_MIN,
	                     crypto_pwhash_MEMLIMIT_MIN),
	    GU_OK);
	assert_int_equal(store_staff_set_pin(f->s, "T001", h), GU_OK);
	/* A re-import, even with another initial PIN, keeps his own. */
	import_ok(f->s, children_csv,
	    "工号,姓名,角色,初始PIN\n"
	    "T001,李春燕,导师;班主任,1111\n"
	    "T002,王建国,导师,2222\n"
	    "T003,赵立平,校长,1956\n"
	    "T004,陈美玲,班主任；导师,06620\n",
	    &cnt);
	assert_int_equal(store_staff_get(f->s, "T001", &st), GU_OK);
	assert_int_equal(st.must_change_pin, 0);
	assert_int_equal(pin_verify(st.pin_hash, "9137"), GU_OK);
	/* T002 never chose one: he gets the new initial PIN. */
	assert_int_equal(store_staff_get(f->s, "T002", &st), GU_OK);
	assert_int_equal(st.must_change_pin, 1);
	assert_int_equal(pin_verify(st.pin_hash, "2222"), GU_OK);

	/* --reset-pins: back to the file's PIN, to be changed again. */
	reset.reset_pins = 1;
	memset(&P, 0, sizeof(P));
	assert_int_equal(
	    import_opts(f->s, children_csv, staff_csv, &reset, &cnt), GU_OK);
	assert_int_equal(store_staff_get(f->s, "T001", &st), GU_OK);
	assert_int_equal(st.must_change_pin, 1);
	assert_int_equal(pin_verify(st.pin_hash, "4821"), GU_OK);
	assert_int_equal(pin_verify(st.pin_hash, "9137"), GU_EAUTH);
}

/* Writes s to dir/name; returns the path (static buffer per slot). */
static const char *
write_file(const char *dir, const char *name, const char *s, int slot)
{
	static char path[2][512];
	FILE *f;

	snprintf(path[slot], sizeof(path[slot]), "%s/%s", dir, name);
	f = fopen(path[slot], "wb");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
	return path[slot];
}

static void
test_import_files(void **state)
{
	struct fx *f = *state;
	struct roster_counts cnt;
	const char *cp, *sp;
	char missing[600], want[700];

	cp = write_file(f->dir, "children.csv", children_csv, 0);
	sp = write_file(f->dir, "staff.csv", staff_csv, 1);
	memset(&P, 0, sizeof(P));
	/* Check only: no store, nothing written. */
	assert_int_equal(
	    roster_import_files(NULL, cp, sp, &fast, collect, &P, NULL), GU_OK);
	assert_int_equal(P.n, 0);
	assert_int_equal(
	    roster_import_files(f->s, cp, sp, &fast, collect, &P, &cnt), GU_OK);
	assert_int_equal(cnt.children_added, 5);

	/* An unreadable file is a problem at line 0; the other file's
	 * problems are still all reported. */
	snprintf(missing, sizeof(missing), "%s/nope.csv", f->dir);
	sp = write_file(f->dir, "staff.csv",
	    "工号,姓名,角色,初始PIN\nT001,李春燕,导师,12\n", 1);
	memset(&P, 0, sizeof(P));
	assert_int_equal(
	    roster_import_files(f->s, missing, sp, &fast, collect, &P, &cnt),
	    GU_EINVAL);
	snprintf(want, sizeof(want), "%s:0: cannot open", missing);
	expect_problem(&P, want);
	snprintf(want, sizeof(want), "%s:2: 初始PIN", sp);
	expect_problem(&P, want);
	assert_int_equal(P.n, 2);
}

static void
test_command(void **state)
{
	struct fx *f = *state;
	char *nostore = fx_tmpdir();
	const char *cp, *sp;
	char *argv[8];
	struct staff st;

	cp = write_file(f->dir, "children.csv", children_csv, 0);
	sp = write_file(f->dir, "staff.csv", staff_csv, 1);
	/* The command opens the store itself: close ours meanwhile. */
	store_close(f->s);
	f->s = NULL;

	argv[0] = "import-roster";
	argv[1] = NULL;
	assert_int_equal(cmd_import_roster(1, argv), 2);
	argv[1] = "--data";
	argv[2] = nostore;
	argv[3] = (char *) cp;
	argv[4] = (char *) sp;
	argv[5] = NULL;
	assert_int_equal(cmd_import_roster(5, argv), 1);
	argv[1] = "-n";
	argv[2] = (char *) cp;
	argv[3] = (char *) sp;
	argv[4] = NULL;
	assert_int_equal(cmd_import_roster(4, argv), 0);
	/* The real import, with the production PIN cost. */
	argv[1] = "--data";
	argv[2] = f->dir;
	argv[3] = (char *) cp;
	argv[4] = (char *) sp;
	assert_int_equal(cmd_import_roster(5, argv), 0);
	sp = write_file(f->dir, "staff.csv", "工号,姓名\n", 1);
	assert_int_equal(cmd_import_roster(5, argv), 1);

	assert_int_equal(store_open(&f->s, f->dir, NULL), GU_OK);
	assert_int_equal(store_staff_get(f->s, "T001", &st), GU_OK);
	assert_int_equal(pin_verify(st.pin_hash, "4821"), GU_OK);
	assert_false(pin_needs_rehash(st.pin_hash, 0, 0));
	fx_rmdir(nostore);
}

/* ---- Roster files as Excel and WPS really write them (issue 10) ---- */

/* Parses, failing the test with the problems when there are any. */
static void
parse_ok(struct roster *r, const char *children, const char *staff)
{
	if (parse(r, children, staff) != GU_OK) {
		dump(&P);
		fail_msg("problems in a file that should import");
	}
	assert_int_equal(P.n, 0);
}

/* Converts UTF-8 text to another encoding with iconv; adds BOM bytes. */
static char *
conv(
    const char *s, const char *to, const char *bom, size_t bom_len, size_t *len)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	size_t il = strlen(s), ol = il * 4 + 8, cap = ol;
	char *out = malloc(cap + bom_len + 1), *ip = (char *) (uintptr_t) s,
	     *op = out + bom_len;

	assert_true(cd != (iconv_t) -1);
	assert_non_null(out);
	memcpy(out, bom, bom_len);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t) -1);
	iconv_close(cd);
	*len = bom_len + cap - ol;
	return out;
}

/* Commas to tabs, as Excel's "Unicode 文本" and "制表符分隔" write. */
static void
to_tabs(const char *s, char *out, size_t cap)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < cap; i++)
		out[i] = s[i] == ',' ? '\t' : s[i];
	out[i] = '\0';
}

static void
test_short_rows(void **state)
{
	/* Excel drops the empty cells at the end of a row. */
	const char *c = "学籍号,姓名,班级,性别,监护人,成长导师工号,住址\r\n"
	                "G1,王芳,一班,女,王大爷,T001,青山村\r\n"
	                "G2,李雷,一班\r\n"
	                "G3,韩梅梅,一班,女,,T002\r\n";
	struct roster r;

	(void) state;
	parse_ok(&r, c, staff_csv);
	assert_int_equal(r.n_children, 3);
	assert_string_equal(r.children[1].name, "李雷");
	assert_string_equal(r.children[1].sex, "");
	assert_string_equal(r.children[1].mentor_id, "");
	assert_string_equal(r.children[1].address, "");
	assert_string_equal(r.children[2].mentor_id, "T002");
	assert_string_equal(r.children[2].address, "");
	roster_fini(&r);
	/* A required cell cut off is named, with what to do. */
	assert_int_equal(
	    parse(&r, "班级,姓名,学籍号\n一班,王芳,G1\n一班,李雷\n", staff_csv),
	    GU_EINVAL);
	expect_problem(&P,
	    "c.csv:3: 学籍号 is missing: the row has only 2 cells and 学籍号 "
	    "is column 3 of the header on line 1");
	assert_int_equal(P.n, 1);
	roster_fini(&r);
}

static void
test_grouping_row(void **state)
{
	/* Merged cells over the header: 监护人 there is a group name. */
	const char *c = "青山村小学2024年春季学生名单,,,,,,\r\n"
	                "基本信息,,,,监护人,,\r\n"
	                "学籍号,姓名,班级,性别,监护人,监护关系,监护人电话\r\n"
	                "G1,王芳,一班,女,王大爷,祖父,13800000001\r\n"
	                "G1,李雷,一班,男,李奶奶,祖母,13800000002\r\n";
	const char *ok = "基本信息,,,监护人,\n"
	                 "学籍号,姓名,班级,监护人,监护关系\n"
	                 "G1,王芳,一班,王大爷,祖父\n";
	struct roster r;

	(void) state;
	/* The duplicate is found: the rows were read under line 3. */
	parse_fails(
	    c, staff_csv, "c.csv:5: duplicate 学籍号 G1 (first on line 4)");
	parse_ok(&r, ok, staff_csv);
	assert_int_equal(r.n_children, 1);
	assert_string_equal(r.children[0].guardian, "王大爷");
	assert_string_equal(r.children[0].guardian_relation, "祖父");
	roster_fini(&r);
	/* No real header under the grouping row: named on its line. */
	assert_int_equal(
	    parse(&r, "\n基本信息,,监护人\nG1,王芳,王大爷\n", staff_csv),
	    GU_EINVAL);
	expect_problem(&P, "c.csv:2: missing required column 学籍号 (or id)");
	roster_fini(&r);
}

static void
test_unicode_text(void **state)
{
	/* Excel 另存为 "Unicode 文本": UTF-16LE with a BOM, tab-separated. */
	char ct[4096], st[1024];
	struct roster_src c, s;
	struct roster r;
	size_t cl, sl;
	char *cu, *su;

	(void) state;
	to_tabs(children_csv, ct, sizeof(ct));
	to_tabs(staff_csv, st, sizeof(st));
	cu = conv(ct, "UTF-16LE", "\xFF\xFE", 2, &cl);
	su = conv(st, "UTF-16BE", "\xFE\xFF", 2, &sl);
	c = (struct roster_src){"c.txt", cu, cl};
	s = (struct roster_src){"s.txt", su, sl};
	memset(&P, 0, sizeof(P));
	if (roster_parse(&r, &c, &s, NULL, collect, &P) != GU_OK) {
		dump(&P);
		fail();
	}
	assert_int_equal(r.n_children, 5);
	assert_string_equal(r.children[0].name, "张小明");
	assert_string_equal(r.children[1].address, "青山村\"三组\"");
	assert_string_equal(r.children[3].address, "河西村五组 大樟树下");
	assert_string_equal(r.staff[0].name, "李春燕");
	roster_fini(&r);
	free(cu);
	free(su);

	/* Tab-separated UTF-8 too (WPS 文本文件(制表符分隔)). */
	parse_ok(&r, ct, st);
	assert_int_equal(r.n_children, 5);
	assert_string_equal(r.children[4].birth, "2016-01-01");
	roster_fini(&r);

	/* A lone surrogate in UTF-16 is refused at its line. */
	cu = conv("学籍号\t姓名\t班级\nG1\t王芳\t一班\n", "UTF-16LE",
	    "\xFF\xFE", 2, &cl);
	memcpy(cu + cl, "\x00\xD8", 2); /* U+D800, then nothing */
	c = (struct roster_src){"c.txt", cu, cl + 2};
	s = (struct roster_src){"s.csv", staff_csv, strlen(staff_csv)};
	memset(&P, 0, sizeof(P));
	assert_int_equal(
	    roster_parse(&r, &c, &s, NULL, collect, &P), GU_EINVAL);
	expect_problem(&P,
	    "c.txt:3: invalid encoding: the file is UTF-16 (Excel's Unicode "
	    "text) but its 2 bytes at offset");
	roster_fini(&r);
	free(cu);
}

static void
test_fullwidth_nbsp(void **state)
{
	/*
	 * Full-width ASCII typed in full-width mode, in ids, phones, dates
	 * and PINs; no-break spaces (U+00A0) pasted from a web page.
	 */
	const char *c =
	    "学籍号,姓名,出生日期,班级,监护人电话,成长导师工号\n"
	    "\xEF\xBC\xA7\xEF\xBC\x91\xEF\xBC\x92,\xC2\xA0王芳\xC2\xA0,"
	    "\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x95\xEF\xBC\x8F"
	    "\xEF\xBC\x93\xEF\xBC\x8F\xEF\xBC\x97,一班,"
	    "\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x8D\xEF\xBC\x90"
	    "\xEF\xBC\x90\xEF\xBC\x90,\xEF\xBC\xB4\xEF\xBC\x90\xEF\xBC\x90"
	    "\xEF\xBC\x91\xC2\xA0\n"
	    "\xC2\xA0G2,李雷,2015-01-09\xC2\xA0,一班,,\n";
	const char *s =
	    "工号,姓名,角色,初始PIN\n"
	    "\xEF\xBC\xB4\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x91,李春燕,"
	    "导师,\xEF\xBC\x94\xEF\xBC\x98\xEF\xBC\x92\xEF\xBC\x91\n";
	struct roster r;

	(void) state;
	parse_ok(&r, c, s);
	assert_string_equal(r.children[0].id, "G12");
	assert_string_equal(r.children[0].name, "王芳");
	assert_string_equal(r.children[0].birth, "2015-03-07");
	assert_string_equal(r.children[0].guardian_phone, "138-000");
	assert_string_equal(r.children[0].mentor_id, "T001");
	assert_string_equal(r.children[1].id, "G2");
	assert_string_equal(r.children[1].birth, "2015-01-09");
	assert_string_equal(r.staff[0].id, "T001");
	assert_string_equal(r.pins[0], "4821");
	roster_fini(&r);
	/* Full-width CJK is still not an id: the message shows the fold. */
	assert_int_equal(
	    parse(&r,
	        "学籍号,姓名,班级\n\xEF\xBC\xA7\xEF\xBC\x91号,王芳,"
	        "一班\n",
	        staff_csv),
	    GU_EINVAL);
	expect_problem(&P, "c.csv:2: 学籍号 \"G1号\" is not a valid id");
	roster_fini(&r);
}

static void
test_excel_dates(void **state)
{
	const char *c = "学籍号,姓名,班级,出生日期\n"
	                "G1,王芳,一班,42449\n"
	                "G2,李雷,一班,2016/3/20 0:00\n"
	                "G3,韩梅,一班,2016-03-20 00:00:00\n"
	                "G4,张三,一班,42449.5\n"
	                "G5,李四,一班,36526\n"
	                "G6,王五,一班,61\n";
	static const struct child_case bad[] = {
	    {"42449x", "c.csv:2: 出生日期 \"42449x\" is not a date"},
	    {"2016/3/20 25:00",
	        "c.csv:2: 出生日期 \"2016/3/20 25:00\" is not a date"},
	    {"2016/3/20 0:0",
	        "c.csv:2: 出生日期 \"2016/3/20 0:0\" is not a date"},
	    {"424490", "c.csv:2: 出生日期 \"424490\" is not a date"},
	    {"73051", "c.csv:2: 出生日期 \"73051\" is not a real day"},
	    {"42449.", "c.csv:2: 出生日期 \"42449.\" is not a date"},
	};
	char buf[256];
	struct roster r;
	size_t i;

	(void) state;
	/* 61 is too short to be a serial: not read as a day of 1900. */
	parse_fails(c, staff_csv, "c.csv:7: 出生日期 \"61\" is not a date");
	c = "学籍号,姓名,班级,出生日期\n"
	    "G1,王芳,一班,42449\n"
	    "G2,李雷,一班,2016/3/20 0:00\n"
	    "G3,韩梅,一班,2016-03-20 00:00:00\n"
	    "G4,张三,一班,42449.5\n"
	    "G5,李四,一班,36526\n"
	    "G6,王五,一班,73050\n";
	parse_ok(&r, c, staff_csv);
	assert_string_equal(r.children[0].birth, "2016-03-20");
	assert_string_equal(r.children[1].birth, "2016-03-20");
	assert_string_equal(r.children[2].birth, "2016-03-20");
	assert_string_equal(r.children[3].birth, "2016-03-20");
	assert_string_equal(r.children[4].birth, "2000-01-01");
	assert_string_equal(r.children[5].birth, "2099-12-31");
	roster_fini(&r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf),
		    "学籍号,姓名,班级,出生日期\nG1,王,一班,%s\n", bad[i].row);
		assert_int_equal(parse(&r, buf, staff_csv), GU_EINVAL);
		expect_problem(&P, bad[i].want);
		assert_int_equal(P.n, 1);
		roster_fini(&r);
	}
}

static void
test_header_spaces(void **state)
{
	const char *c = "学 籍 号,姓　名,班  级,性别\n"
	                "G1,王芳,一班,女\n";
	const char *s = "工　号,姓 名,角 色,初始 PIN\n"
	                "T1,李春燕,导师,4821\n";
	struct roster r;

	(void) state;
	parse_ok(&r, c, s);
	assert_string_equal(r.children[0].name, "王芳");
	assert_string_equal(r.children[0].class_name, "一班");
	assert_string_equal(r.staff[0].id, "T1");
	roster_fini(&r);
	/* Messages name the column as the file wrote it. */
	assert_int_equal(
	    parse(&r, "学 籍 号,姓 名,班级\n,王芳,一班\n", s), GU_EINVAL);
	expect_problem(&P, "c.csv:2: 学 籍 号 is empty");
	roster_fini(&r);
}

static void
test_broken_utf8(void **state)
{
	/*
	 * An English-header UTF-8 file with one character cut early on:
	 * the old reader took it for GB18030 and imported 王明 as 鐜嬫槑
	 * with no word.  Reported at the byte, never imported.
	 */
	const char *c = "id,name,class\n"
	                "G1,王\xE6,3\n"
	                "G2,王明,3\n";
	const char *c1 = "id,name,class\n"
	                 "G1,\xE7\x8E,一班\n"
	                 "G2,王明,一班\n";
	const char *c2 = "id,name,class\nG1,王明,一班\nG2,李\xE9,二班\n";
	struct roster r;

	(void) state;
	parse_fails(c, staff_csv,
	    "c.csv:2: invalid encoding: byte 0xE6 at column 5 (file offset "
	    "20) is not valid UTF-8: the rest of the file is UTF-8, so "
	    "retype the character there or save the file again as UTF-8");
	parse_fails(c1, staff_csv,
	    "c.csv:2: invalid encoding: byte 0xE7 at column 4 (file offset "
	    "17) is not valid UTF-8");
	assert_int_equal(parse(&r, c2, staff_csv), GU_EINVAL);
	expect_problem(&P,
	    "c.csv:3: invalid encoding: byte 0xE9 at column 5 (file offset "
	    "37) is not valid UTF-8");
	roster_fini(&r);
}

static void
test_gbk_rare(void **state)
{
	/* GB18030's four-byte characters (䶮 in Ext A, 𠇔 in Ext B). */
	const char *c = "学籍号,姓名,班级\nG1,刘䶮,一班\nG2,王𠇔,一班\n"
	                "G3,小明,一班\n";
	const char *eng = "id,name,class\nG1,小明,一班\nG2,王明,一班\n";
	struct roster_src cs, ss;
	struct roster r;
	size_t cl, i;
	char *cg;
	char big[65536];
	size_t n = 0;

	(void) state;
	cg = conv(c, "GB18030", "", 0, &cl);
	cs = (struct roster_src){"c.csv", cg, cl};
	ss = (struct roster_src){"s.csv", staff_csv, strlen(staff_csv)};
	memset(&P, 0, sizeof(P));
	assert_int_equal(roster_parse(&r, &cs, &ss, NULL, collect, &P), GU_OK);
	assert_string_equal(r.children[0].name, "刘䶮");
	assert_string_equal(r.children[1].name, "王𠇔");
	assert_string_equal(r.children[2].name, "小明");
	roster_fini(&r);
	free(cg);
	/* An English header and GBK names that start as valid UTF-8 (小). */
	cg = conv(eng, "GBK", "", 0, &cl);
	cs = (struct roster_src){"c.csv", cg, cl};
	memset(&P, 0, sizeof(P));
	assert_int_equal(roster_parse(&r, &cs, &ss, NULL, collect, &P), GU_OK);
	assert_string_equal(r.children[1].name, "王明");
	roster_fini(&r);
	free(cg);
	/*
	 * Every GB2312 hanzi of level 1 (B0A1..D7F9), 16 to a name, written
	 * as GBK bytes: some pairs are valid UTF-8 by accident (小 is D0 A1),
	 * the file as a whole is still read as GBK.  D2BB B0E0 is 一班.
	 */
	cg = conv("学籍号,姓名,班级\n", "GBK", "", 0, &cl);
	memcpy(big, cg, cl);
	n = cl;
	free(cg);
	for (i = 0; i < 3755; i++) {
		if (i % 16 == 0)
			n += (size_t) snprintf(big + n, sizeof(big) - n,
			    "%sG%zu,", i ? ",\xD2\xBB\xB0\xE0\n" : "", i);
		big[n++] = (char) (0xB0 + i / 94);
		big[n++] = (char) (0xA1 + i % 94);
	}
	n += (size_t) snprintf(big + n, sizeof(big) - n, ",\xD2\xBB\xB0\xE0\n");
	cs = (struct roster_src){"c.csv", big, n};
	memset(&P, 0, sizeof(P));
	assert_int_equal(roster_parse(&r, &cs, &ss, NULL, collect, &P), GU_OK);
	assert_int_equal(r.n_children, 235);
	assert_int_equal(strncmp(r.children[0].name, "啊阿埃", 9), 0);
	assert_string_equal(r.children[0].class_name, "一班");
	roster_fini(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_english_any_order),
	    cmocka_unit_test(test_title_row),
	    cmocka_unit_test(test_gb18030),
	    cmocka_unit_test(test_child_errors),
	    cmocka_unit_test(test_staff_errors),
	    cmocka_unit_test(test_file_errors),
	    cmocka_unit_test(test_all_at_once),
	    cmocka_unit_test(test_max_errors),
	    cmocka_unit_test(test_pin),
	    cmocka_unit_test(test_short_rows),
	    cmocka_unit_test(test_grouping_row),
	    cmocka_unit_test(test_unicode_text),
	    cmocka_unit_test(test_fullwidth_nbsp),
	    cmocka_unit_test(test_excel_dates),
	    cmocka_unit_test(test_header_spaces),
	    cmocka_unit_test(test_broken_utf8),
	    cmocka_unit_test(test_gbk_rare),
	    cmocka_unit_test_setup_teardown(test_import, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reimport, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pin_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_command, setup, teardown),
	};

	return cmocka_run_group_tests(tests, setup_group, NULL);
}
