/*
 * test_ledger.c: the ledgers' period parser (months, terms, half years,
 * leap days, empty and future periods), the district template parser
 * (aliases, order, titles, every error with its file:line, all or
 * nothing), the labels, and ledger_write on a real LMDB store: standing
 * rows counted, a voided record on its own sheet, a missing folder, the
 * same bytes twice; the plans (the newest standing one per child 现行, the
 * earlier 已被新计划取代, a voided one on its own sheet), the work log, and
 * the overdue list holding exactly what tasks.c gives the kiosk as late,
 * at the end of the period and at the kiosk's own moment.
 * tests/ledger.sh reads the files back with openpyxl and LibreOffice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sys/stat.h>

#include "calendar.h"
#include "fixture.h"
#include "ledger.h"
#include "tasks.h"

static void
test_period(void **state)
{
	struct ledger_period p;
	char why[256];

	(void) state;
	assert_int_equal(ledger_period_parse(&p, "2026-09-01", "2026-12-31", 0,
	                     0, 0, 20261201, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(p.from, 20260901);
	assert_int_equal(p.to, 20261231);
	assert_string_equal(p.label, "2026-09-01至2026-12-31");
	assert_int_equal(
	    ledger_period_parse(&p, 0, 0, "2028-02", 0, 0, 0, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(p.to, 20280229);
	assert_string_equal(p.label, "2028年2月");
	assert_int_equal(ledger_period_parse(&p, 0, 0, 0, "2026-autumn", 0, 0,
	                     why, sizeof(why)),
	    GU_OK);
	assert_int_equal(p.from, 20260901);
	assert_int_equal(p.to, 20270131);
	assert_string_equal(p.label, "2026年秋季学期");
	assert_int_equal(
	    ledger_period_parse(&p, 0, 0, 0, "2027春", 0, 0, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(p.from, 20270201);
	assert_int_equal(p.to, 20270831);
	assert_int_equal(
	    ledger_period_parse(&p, 0, 0, 0, 0, "2026-H2", 0, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(p.from, 20260701);
	assert_string_equal(p.label, "2026年下半年");

	/* A term that has begun but not ended is fine; one not begun is not. */
	assert_int_equal(ledger_period_parse(&p, 0, 0, 0, "2026-autumn", 0,
	                     20261201, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(ledger_period_parse(&p, 0, 0, 0, "2027-spring", 0,
	                     20261201, why, sizeof(why)),
	    GU_EINVAL);
	assert_non_null(strstr(why, "in the future"));
	assert_int_equal(ledger_period_parse(&p, "2026-10-02", "2026-10-01", 0,
	                     0, 0, 0, why, sizeof(why)),
	    GU_EINVAL);
	assert_non_null(strstr(why, "the period is empty"));
	assert_int_equal(ledger_period_parse(&p, "2026-02-29", "2026-03-01", 0,
	                     0, 0, 0, why, sizeof(why)),
	    GU_EINVAL);
	assert_non_null(strstr(why, "--from '2026-02-29'"));
	assert_int_equal(ledger_period_parse(
	                     &p, "2026-02-01", 0, 0, 0, 0, 0, why, sizeof(why)),
	    GU_EINVAL);
	assert_int_equal(
	    ledger_period_parse(&p, 0, 0, "2026-13", 0, 0, 0, why, sizeof(why)),
	    GU_EINVAL);
	assert_int_equal(ledger_period_parse(&p, 0, 0, "2026-09", "2026-autumn",
	                     0, 0, why, sizeof(why)),
	    GU_EINVAL);
	assert_int_equal(ledger_period_parse(&p, 0, 0, 0, "2026-winter", 0, 0,
	                     why, sizeof(why)),
	    GU_EINVAL);
	assert_int_equal(
	    ledger_period_parse(&p, 0, 0, 0, 0, "2026-H3", 0, why, sizeof(why)),
	    GU_EINVAL);
}

static int
tmpl(struct ledger_tmpl *t, const char *text, char *why, size_t len)
{
	return ledger_tmpl_parse(t, "t.csv", text, strlen(text), why, len);
}

static void
test_template(void **state)
{
	static struct ledger_tmpl t, def;
	char why[2048];
	const struct ledger_layout *l;

	(void) state;
	ledger_tmpl_default(&def);
	assert_int_equal(tmpl(&t,
	                     "\xef\xbb\xbfsep=,\n# 教体局模板\n*台账*,列,标题\n"
	                     "关爱帮扶记录台账,姓名,学生\n"
	                     "care, Date ,帮扶日期\n"
	                     "care,*成长导师,\n\n,,\n"
	                     "visits,next-visit,下次\n",
	                     why, sizeof(why)),
	    GU_OK);
	l = &t.l[LEDGER_CARE];
	assert_int_equal(l->n, 3);
	assert_string_equal(l->title[0], "学生");
	assert_string_equal(l->title[1], "帮扶日期");
	assert_string_equal(l->title[2], "成长导师");
	assert_int_equal(t.l[LEDGER_VISITS].n, 1);
	assert_string_equal(t.l[LEDGER_VISITS].title[0], "下次");
	/* A ledger the template does not name keeps its columns. */
	assert_memory_equal(
	    &t.l[LEDGER_CONCERNS], &def.l[LEDGER_CONCERNS], sizeof(def.l[0]));

	/* Every problem, each with its line; nothing of the rest kept. */
	assert_int_equal(tmpl(&t,
	                     "台账,列,标题\n"
	                     "care,date,\n"
	                     "care,鞋码,\n"
	                     "走访台账,日期,\n"
	                     "care,日期,again\n"
	                     "visits,notes,"
	                     "一二三四五六七八九十一二三四五六七八九十一二三\n",
	                     why, sizeof(why)),
	    GU_EINVAL);
	assert_non_null(strstr(why,
	    "t.csv:3: 关爱帮扶记录台账 has no column "
	    "'鞋码'"));
	assert_non_null(strstr(why, "t.csv:4: unknown ledger '走访台账'"));
	assert_non_null(strstr(why,
	    "t.csv:5: 关爱帮扶记录台账: column '日期' "
	    "given twice"));
	assert_non_null(strstr(why, "t.csv:6: title"));
	assert_memory_equal(&t, &def, sizeof(t));
	assert_int_equal(
	    tmpl(&t, "ledger,title\ncare,x\n", why, sizeof(why)), GU_EINVAL);
	assert_non_null(strstr(why, "t.csv:1: the first row must be"));
	assert_int_equal(tmpl(&t, "", why, sizeof(why)), GU_EINVAL);
	assert_non_null(strstr(why, "t.csv:1: the file is empty"));
	assert_int_equal(
	    tmpl(&t, "台账,列\n\"care,date\n", why, sizeof(why)), GU_EINVAL);
	assert_non_null(strstr(why, "t.csv:2:"));
}

static void
test_labels(void **state)
{
	char out[256];

	(void) state;
	ledger_labels(F_CONCERNS, "low_mood,harm", out, sizeof(out));
	assert_string_equal(out, "情绪低落、疑似受侵害或面临危险");
	ledger_labels(F_CLASSES, "一班;二班", out, sizeof(out));
	assert_string_equal(out, "一班、二班");
	assert_string_equal(ledger_label(F_TYPE, "talk"), "谈心谈话");
	assert_string_equal(ledger_label(F_TYPE, "nope"), "nope");
	ledger_labels(F_NOTES, "progress,stable", out, 12);
	assert_string_equal(out, "有进步");
	assert_int_equal(ledger_from_name("care"), LEDGER_CARE);
	assert_int_equal(ledger_from_name("走访记录台账"), LEDGER_VISITS);
	assert_int_equal(ledger_from_name("x"), -1);
	assert_int_equal(ledger_from_name("plans"), LEDGER_PLANS);
	assert_int_equal(ledger_from_name("逾期事项清单"), LEDGER_OVERDUE);
	assert_int_equal(ledger_from_name("工作日志台账"), LEDGER_WORKLOG);
}

/* A record of kind by staff member `by` at t, China time. */
static void
begin(struct record *r, enum rec_kind kind, const char *by, int64_t t)
{
	rec_init(r, kind);
	r->time_ms = t;
	r->tz_min = 480;
	fx_cpy(r->author, sizeof(r->author), by);
}

/* Every ledger's KIND is a word of the export record (REC_EXPORT), so
 * exporting any one of them can be recorded. */
static void
test_export_words(void **state)
{
	struct record r;
	char why[256];

	(void) state;
	for (int k = 0; k < LEDGER_N; k++) {
		begin(&r, REC_EXPORT, "T009", FX_TIME);
		assert_int_equal(
		    rec_set_str(&r, F_EXPORT, ledger_name(k)), GU_OK);
		assert_int_equal(rec_set_str(&r, F_VIA, "cli"), GU_OK);
		if (rec_validate(&r, 0, why, sizeof(why)) != GU_OK)
			fail_msg("%s: %s", ledger_name(k), why);
	}
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == 0)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t) n + 1);
	if (buf && fread(buf, 1, (size_t) n, f) != (size_t) n) {
		free(buf);
		buf = 0;
	}
	fclose(f);
	*len = (size_t) n;
	return buf;
}

static void
test_write(void **state)
{
	struct ledger_period p;
	struct ledger_result res, res2;
	struct record r;
	char *dir = 0, out1[300], out2[300], path[400], why[512];
	struct store *s = fx_store(&dir, 0);
	uint64_t voided;
	size_t l1, l2;
	char *a, *b;

	(void) state;
	assert_non_null(s);
	fx_checkin(&r, "C001", FX_TIME + 3600000);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	fx_checkin(&r, "C002", FX_TIME + 7200000);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	voided = r.seq;
	fx_checkin(&r, "C004", FX_TIME + 86400000LL * 40); /* April */
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	rec_init(&r, REC_VOID);
	r.time_ms = FX_TIME + 9000000;
	r.tz_min = 480;
	fx_cpy(r.author, sizeof(r.author), "T001");
	rec_set_int(&r, F_TARGET, (int64_t) voided);
	rec_set_str(&r, F_REASON, "duplicate");
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);

	assert_int_equal(
	    ledger_period_parse(&p, 0, 0, "2026-03", 0, 0, 0, why, sizeof(why)),
	    GU_OK);
	snprintf(out1, sizeof(out1), "%s/a", dir);
	snprintf(out2, sizeof(out2), "%s/b", dir);
	assert_int_equal(ledger_write(s, LEDGER_CARE, &p, 0, 20260401, 0, out1,
	                     &res, why, sizeof(why)),
	    GU_EIO);
	assert_non_null(strstr(why, "no such folder"));
	assert_int_equal(mkdir(out1, 0700), 0);
	assert_int_equal(mkdir(out2, 0700), 0);
	assert_int_equal(ledger_write(s, LEDGER_CARE, &p, 0, 20260401, 0, out1,
	                     &res, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(res.rows, 1); /* C001; C002 voided; C004 in April */
	assert_int_equal(res.voided, 1);
	snprintf(path, sizeof(path), "%s/关爱帮扶记录台账.xlsx", out1);
	assert_string_equal(res.path, path);
	snprintf(path, sizeof(path), "%s/关爱帮扶记录台账.xlsx.part", out1);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(ledger_write(s, LEDGER_CARE, &p, 0, 20260401, 0, out2,
	                     &res2, why, sizeof(why)),
	    GU_OK);
	a = slurp(res.path, &l1);
	b = slurp(res2.path, &l2);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	free(a);
	free(b);

	/* Every child of the fixture is in care; the rosters hold them. */
	assert_int_equal(ledger_write(s, LEDGER_LEFT_BEHIND, &p, 0, 20260401, 0,
	                     out1, &res, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(res.rows, 2); /* categories i % 3 == 1: C002, C005 */
	assert_int_equal(ledger_write(s, LEDGER_PAIRS, &p, 0, 20260401, 0, out1,
	                     &res, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(res.rows, 6); /* 3 + 2 paired, C006 unpaired */
	store_close(s);
	fx_rmdir(dir);
}

static uint64_t
plan(struct store *s, const char *child, const char *by, int64_t t,
    const char *review)
{
	struct record r;
	char why[256];

	begin(&r, REC_PLAN, by, t);
	assert_int_equal(rec_set_str(&r, F_CHILD, child), GU_OK);
	assert_int_equal(rec_set_add(&r, F_GOALS, "study"), GU_OK);
	assert_int_equal(rec_set_add(&r, F_MEASURES, "tutoring"), GU_OK);
	assert_int_equal(rec_set_str(&r, F_RESPONSIBLE, by), GU_OK);
	assert_int_equal(rec_set_str(&r, F_REVIEW, review), GU_OK);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	return r.seq;
}

static uint64_t
worklog(struct store *s, int64_t t, const char *day)
{
	struct record r;
	char why[256];

	begin(&r, REC_WORKLOG, "T002", t);
	assert_int_equal(rec_set_str(&r, F_DATE, day), GU_OK);
	assert_int_equal(rec_set_str(&r, F_NOTE, "给家长打电话"), GU_OK);
	assert_int_equal(rec_set_add(&r, F_WORK, "parents"), GU_OK);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	return r.seq;
}

static void
void_it(struct store *s, uint64_t target, int64_t t)
{
	struct record r;
	char why[256];

	begin(&r, REC_VOID, "T009", t);
	rec_set_int(&r, F_TARGET, (int64_t) target);
	rec_set_str(&r, F_REASON, "duplicate");
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
}

/* The late tasks the kiosk shows at now_ms: every mentor's and the
 * headteacher's, under the kiosk's default rules. */
static uint32_t
kiosk_late(struct store *s, int64_t now_ms)
{
	static const char *const mentors[] = {"T001", "T002"};
	struct calendar cal;
	struct care_rules rules = {14, 0, 480, 0};
	struct task t[64];
	size_t n;
	uint32_t late = 0;

	if (store_calendar_get(s, &cal) != GU_OK || cal.n == 0)
		calendar_default(&cal, store_day_of(now_ms, 480));
	rules.cal = cal.n ? &cal : 0;
	for (size_t m = 0; m < 3; m++) {
		if (m < 2)
			assert_int_equal(tasks_for_mentor(s, &rules, mentors[m],
			                     now_ms, t, 64, &n),
			    GU_OK);
		else
			assert_int_equal(
			    tasks_for_head(s, &rules, now_ms, t, 64, &n),
			    GU_OK);
		assert_true(n <= 64);
		for (size_t i = 0; i < n; i++)
			late += t[i].when == TASK_OVERDUE;
	}
	return late;
}

/* The values of column `title` of the main sheet, '|'-joined, read by
 * openpyxl (a dependency of make check, tools/deps.sh). */
static void
column(const char *path, const char *title, char *out, size_t cap)
{
	char cmd[1400];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd),
	    "/usr/bin/python3 -c \"import sys, openpyxl\n"
	    "r = list(openpyxl.load_workbook(sys.argv[1]).active"
	    ".iter_rows(values_only=True))\n"
	    "i = list(r[2]).index(sys.argv[2])\n"
	    "print('|'.join(str(x[i]) for x in r[3:] if x[0] is not None "
	    "and not str(x[0]).startswith('合计')), end='')\" '%s' '%s'",
	    path, title);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
}

static void
test_plans_worklog_overdue(void **state)
{
	struct ledger_period p;
	struct ledger_result res;
	struct ledger_asof asof = {0, 0, 0};
	char *dir = 0, out[300], why[512], got[1024];
	struct store *s = fx_store(&dir, 0);
	struct record r;
	uint64_t p3, w2;
	const int64_t h = 3600000, d = 86400000;
	uint32_t late_end, late_now;

	(void) state;
	assert_non_null(s);
	fx_checkin(&r, "C001", FX_TIME + h);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	/* C001: a plan, then a newer one; C002's voided; C004's by T002. */
	(void) plan(s, "C001", "T001", FX_TIME + 2 * h, "2026-03-10");
	(void) plan(s, "C001", "T001", FX_TIME + 3 * h, "2026-03-20");
	p3 = plan(s, "C002", "T001", FX_TIME + 4 * h, "2026-03-12");
	void_it(s, p3, FX_TIME + 5 * h);
	(void) plan(s, "C004", "T002", FX_TIME + 6 * h, "2026-03-05");
	(void) worklog(s, FX_TIME + 7 * h, "2026-03-03");
	w2 = worklog(s, FX_TIME + 8 * h, "2026-03-04");
	void_it(s, w2, FX_TIME + 9 * h);
	(void) worklog(s, FX_TIME + 40 * d, "2026-04-11"); /* April */
	assert_int_equal(
	    ledger_period_parse(&p, 0, 0, "2026-03", 0, 0, 0, why, sizeof(why)),
	    GU_OK);
	snprintf(out, sizeof(out), "%s/n", dir);
	assert_int_equal(mkdir(out, 0700), 0);

	assert_int_equal(ledger_write(s, LEDGER_PLANS, &p, 0, 20260401, 0, out,
	                     &res, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.voided, 1);
	column(res.path, "状态", got, sizeof(got));
	assert_string_equal(got, "已被新计划取代|现行|现行");
	column(res.path, "学籍号", got, sizeof(got));
	assert_string_equal(got, "C001|C001|C004");
	column(res.path, "帮扶措施", got, sizeof(got));
	assert_string_equal(got, "学业辅导|学业辅导|学业辅导");

	assert_int_equal(ledger_write(s, LEDGER_WORKLOG, &p, 0, 20260401, 0,
	                     out, &res, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(res.rows, 1);
	assert_int_equal(res.voided, 1);
	column(res.path, "工作记录", got, sizeof(got));
	assert_string_equal(got, "给家长打电话");
	column(res.path, "工作类型", got, sizeof(got));
	assert_string_equal(got, "与家长沟通");

	/* As of the period's end (31 March, 23:59:59.999 China time). */
	late_end = kiosk_late(s, FX_TIME + 30 * d + 16 * h - 1);
	assert_int_equal(ledger_write(s, LEDGER_OVERDUE, &p, 0, 20260401, 0,
	                     out, &res, why, sizeof(why)),
	    GU_OK);
	assert_true(late_end > 0);
	assert_int_equal(res.rows, late_end);
	column(res.path, "逾期事项", got, sizeof(got));
	assert_non_null(strstr(got, "复查帮扶计划"));
	assert_non_null(strstr(got, "关爱记录"));
	/* Made on 11 March at the kiosk, 08:00: as of that moment.  C001's
	 * plan of the 20th is not yet late, C004's of the 5th is, 6 days. */
	asof.now_ms = FX_TIME + 9 * d;
	late_now = kiosk_late(s, asof.now_ms);
	assert_int_equal(ledger_write(s, LEDGER_OVERDUE, &p, 0, 20260311, &asof,
	                     out, &res, why, sizeof(why)),
	    GU_OK);
	assert_int_equal(res.rows, late_now);
	assert_true(late_now < late_end);
	column(res.path, "逾期事项", got, sizeof(got));
	assert_non_null(strstr(got, "复查帮扶计划"));
	column(res.path, "学籍号", got, sizeof(got));
	/* Mentors in id order: T001's never-contacted C002, C003; T002's
	 * C004, C005 and C004's plan review, 6 days late. */
	assert_string_equal(got, "C002|C003|C004|C005|C004");
	column(res.path, "逾期天数", got, sizeof(got));
	assert_string_equal(strrchr(got, '|'), "|6");
	store_close(s);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_period),
	    cmocka_unit_test(test_template),
	    cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_export_words),
	    cmocka_unit_test(test_write),
	    cmocka_unit_test(test_plans_worklog_overdue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
