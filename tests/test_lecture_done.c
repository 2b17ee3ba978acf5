/*
 * test_lecture_done.c: the lecture, finished (issue 12 part 6), through
 * the domain on a real store: 全班到齐 marks a class present and the
 * absentees are then voided one by one; absence reasons (REC_ABSENCE,
 * the latest standing one counts); a make-up attendance (F_MAKEUP) for an
 * absentee of a closed lecture, refused while it is open or for a child
 * present; a lecture entered afterwards with its real day (补录, F_LATE),
 * refused for a day to come; and the 安全知识大讲堂签到表 read back with
 * openpyxl: absentees, their reasons, the make-ups.
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

#include "domain.h"
#include "ledger.h"
#include "status.h"
#include "store.h"
#include "ui_harness.h"

#define T0 1772411400000LL /* 2026-03-02 08:30 +08:00 */
#define HOUR 3600000LL

static void
make_store(const char *dir)
{
	static const char *const pins[] = {"T001", "1234", NULL};

	ui_school(dir, "lecture-children.csv", "lecture-staff.csv", pins);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-lecdone-XXXXXX", make_store);
}

static int
teardown(void **state)
{
	return ui_teardown(state);
}

struct kinds {
	int absence, makeup, late;
};

static int
kinds_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct kinds *k = arg;

	if (voided_by)
		return 0;
	k->absence += r->kind == REC_ABSENCE;
	k->makeup += r->kind == REC_ATTENDANCE && rec_int(r, F_MAKEUP, 0);
	k->late += r->kind == REC_LECTURE && rec_int(r, F_LATE, 0);
	return 0;
}

static void
lecture_finished(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct domain d;
	struct dom_lecture l;
	struct dom_pupil p[16];
	static const char *const cls[] = {"三年级1班"};
	struct ledger_period per;
	struct ledger_result res;
	struct kinds k = {0, 0, 0};
	char path[512], out[600], why[512], cmd[2048];
	uint64_t seq, late;
	uint32_t marked, present, absent;
	size_t n;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	domain_init(&d, s, 480);

	/* 全班到齐, then 王㛃 (C001) tapped: absent. */
	assert_int_equal(domain_lecture_start(&d, T0, "T001", "drowning",
	                     "法治副校长", cls, 1, &seq),
	    GU_OK);
	assert_int_equal(domain_lecture_get(&d, seq, &l), GU_OK);
	assert_int_equal(domain_checkin(&d, T0 + 1000, &l, "C002", 1, &seq),
	    GU_OK); /* one came by himself */
	assert_int_equal(
	    domain_pupils(&d, l.seq, "三年级1班", p, 16, &n), GU_OK);
	assert_int_equal(n, 3);
	assert_int_equal(
	    domain_checkin_class(&d, T0 + 2000, &l, p, n, &marked), GU_OK);
	assert_int_equal(marked, 2);
	for (size_t i = 0; i < n; i++)
		assert_true(p[i].att_seq != 0);
	assert_int_equal(
	    domain_checkin_void(&d, T0 + 3000, &l, p[0].att_seq, p[0].id, 0),
	    GU_OK);
	assert_string_equal(p[0].id, "C001");
	assert_string_equal(p[2].id, "C003");
	assert_int_equal(
	    domain_checkin_void(&d, T0 + 3000, &l, p[2].att_seq, p[2].id, 0),
	    GU_OK);
	assert_int_equal(
	    domain_absence(&d, T0 + 4000, l.seq, "C003", "other", "T001"),
	    GU_OK);
	/* A reason, then a second one that supersedes it; none for the
	 * present, none unknown. */
	assert_int_equal(
	    domain_absence(&d, T0 + 4000, l.seq, "C001", "personal", "T001"),
	    GU_OK);
	assert_int_equal(
	    domain_absence(&d, T0 + 5000, l.seq, "C001", "sick", "T001"),
	    GU_OK);
	assert_int_equal(
	    domain_absence(&d, T0 + 5000, l.seq, "C002", "sick", "T001"),
	    GU_EEXIST);
	assert_int_equal(
	    domain_absence(&d, T0 + 5000, l.seq, "C001", "bored", "T001"),
	    GU_EINVAL);
	assert_int_equal(
	    domain_absence(&d, T0 + 5000, l.seq, "C004", "sick", "T001"),
	    GU_EINVAL); /* another class */
	/* No make-up while the lecture is open. */
	assert_int_equal(
	    domain_makeup(&d, T0 + 6000, l.seq, "C001", "T001", &seq),
	    GU_EINVAL);
	assert_int_equal(
	    domain_lecture_end(&d, T0 + HOUR, &l, &present, &absent), GU_OK);
	assert_int_equal(present, 1);
	assert_int_equal(absent, 2);
	/* The next day: the make-up; once only; not for the present. */
	assert_int_equal(
	    domain_makeup(&d, T0 + 24 * HOUR, l.seq, "C001", "T001", &seq),
	    GU_OK);
	assert_true(seq != 0);
	assert_int_equal(
	    domain_makeup(&d, T0 + 24 * HOUR, l.seq, "C001", "T001", &seq),
	    GU_EEXIST);
	assert_int_equal(
	    domain_makeup(&d, T0 + 24 * HOUR, l.seq, "C002", "T001", &seq),
	    GU_EEXIST);

	/* 补录: a lecture of last Friday, entered today; not a day to
	 * come, nor one that is not a day. */
	assert_int_equal(domain_lecture_enter_late(&d, T0 + 25 * HOUR, "T001",
	                     "traffic", "交警", cls, 1, "2026-03-09", &late),
	    GU_EINVAL);
	assert_int_equal(domain_lecture_enter_late(&d, T0 + 25 * HOUR, "T001",
	                     "traffic", "交警", cls, 1, "2026-02-30", &late),
	    GU_EINVAL);
	assert_int_equal(domain_lecture_enter_late(&d, T0 + 25 * HOUR, "T001",
	                     "traffic", "交警", cls, 1, "2026-02-27", &late),
	    GU_OK);
	assert_int_equal(domain_lecture_get(&d, late, &l), GU_OK);
	assert_int_equal(
	    domain_pupils(&d, l.seq, "三年级1班", p, 16, &n), GU_OK);
	assert_int_equal(
	    domain_checkin_class(&d, T0 + 26 * HOUR, &l, p, n, &marked), GU_OK);
	assert_int_equal(marked, 3);
	assert_int_equal(domain_lecture_end(
	                     &d, T0 + 26 * HOUR + 1000, &l, &present, &absent),
	    GU_OK);
	assert_int_equal(store_log_walk(s, 1, kinds_cb, &k), GU_OK);
	assert_int_equal(k.absence, 3);
	assert_int_equal(k.makeup, 1);
	assert_int_equal(k.late, 1);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);

	/* The sign-in sheet: the absentee, the latest reason, the make-up;
	 * the 补录 lecture on its real day. */
	assert_int_equal(ledger_period_parse(&per, "2026-02-01", "2026-03-31",
	                     0, 0, 0, 20260303, why, sizeof(why)),
	    GU_OK);
	snprintf(out, sizeof(out), "%s/out", f->dir);
	assert_int_equal(mkdir(out, 0700), 0);
	assert_int_equal(ledger_write(s, LEDGER_LECTURES, &per, 0, 20260303, 0,
	                     out, &res, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(res.rows, 2);
	store_close(s);
	snprintf(cmd, sizeof(cmd),
	    "/usr/bin/python3 -c \"import sys, openpyxl, datetime\n"
	    "rows = list(openpyxl.load_workbook(sys.argv[1]).active"
	    ".iter_rows(values_only=True))\n"
	    "h = rows[2]\n"
	    "d = [dict(zip(h, r)) for r in rows[3:5]]\n"
	    "d.sort(key=lambda x: x['日期'])\n"
	    "assert d[0]['日期'].date() == datetime.date(2026, 2, 27), d\n"
	    "assert d[0]['实到'] == 3 and d[0]['缺席'] == 0, d[0]\n"
	    "assert d[0]['补签'] is None, d[0]\n"
	    "assert d[0]['主讲人'] == '交警（补录）', d[0]\n"
	    "x = d[1]\n"
	    "assert x['应到'] == 3 and x['实到'] == 2 and x['缺席'] == 1, x\n"
	    "assert x['缺席学生'] == '张𠇔', x\n"
	    "assert x['缺席原因'] == '王㛃：病假、张𠇔：其他', x\n"
	    "assert x['补签'] == '王㛃', x\n"
	    "\" '%s'",
	    res.path);
	if (system("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0) {
		fprintf(stderr, "python3-openpyxl missing: sheet not read\n");
		return;
	}
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	(void) run; /* the harness's, for the UI tests */
	(void) golden;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(lecture_finished, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
