/*
 * test_tasks.c: the school calendar (core/calendar.c: the file, its
 * errors, the store, the default) and the tasks derived from the records
 * (core/tasks.c), with an injected clock: holiday switching, escalation
 * timing, a task cleared by the record that answers it and un-cleared by
 * its void, absentee make-up, the pre-holiday lecture, plan review,
 * 重点关注, a child's quiet asks and a follow-up that moves its concern's
 * due moment.  Real store, real roster importer, real calendar parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "care_rules.h"
#include "demo.h"
#include "fixture.h"
#include "tasks.h"

#define HOUR_MS 3600000LL

struct fx {
	char *dir;
	struct store *s;
	struct calendar cal;
	struct care_rules rules;
	struct task t[64];
	size_t n;
};

/* Local time (+08:00) of day YYYYMMDD at hour. */
static int64_t
at(uint32_t day, int hour)
{
	return cal_day_start_ms(day, 480) + hour * HOUR_MS;
}

static char *
slurp(const char *rel, size_t *len)
{
	const char *dir = getenv("SRCDIR");
	char path[512];
	FILE *f;
	char *b = malloc(CAL_FILE_MAX + 1);

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_non_null(b);
	*len = fread(b, 1, CAL_FILE_MAX, f);
	fclose(f);
	b[*len] = '\0';
	return b;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	size_t len;
	char *text;

	assert_non_null(f);
	f->s = fx_store(&f->dir, NULL);
	assert_non_null(f->s);
	text = slurp("tests/data/calendar-2026.txt", &len);
	assert_int_equal(
	    calendar_parse("calendar-2026.txt", text, len, &f->cal, NULL, NULL),
	    GU_OK);
	free(text);
	f->rules =
	    (struct care_rules){CARE_RULES_CONTACT_DAYS, 0, 480, &f->cal};
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	fx_rmdir(f->dir);
	free(f);
	return 0;
}

static uint64_t
void_of(struct fx *f, uint64_t target, int64_t t)
{
	struct record r;

	rec_init(&r, REC_VOID);
	rec_set_int(&r, F_TARGET, (int64_t) target);
	rec_set_str(&r, F_REASON, "wrong_entry");
	return fx_put(f->s, &r, t, "T009");
}

static void
mentor(struct fx *f, const char *who, int64_t now)
{
	assert_int_equal(
	    tasks_for_mentor(f->s, &f->rules, who, now, f->t, 64, &f->n),
	    GU_OK);
	assert_true(f->n <= 64);
}

static void
head(struct fx *f, int64_t now)
{
	assert_int_equal(
	    tasks_for_head(f->s, &f->rules, now, f->t, 64, &f->n), GU_OK);
}

/* The task of kind about child (NULL: any), or NULL. */
static const struct task *
find(const struct fx *f, int kind, const char *child)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->t[i].kind == kind &&
		    (child == NULL || strcmp(f->t[i].child, child) == 0))
			return &f->t[i];
	return NULL;
}

/* ---- the calendar ---- */

struct errs {
	char all[2048];
	unsigned n;
};

static void
collect(void *arg, const char *name, unsigned line, const char *msg)
{
	struct errs *e = arg;
	size_t l = strlen(e->all);

	snprintf(
	    e->all + l, sizeof(e->all) - l, "%s:%u: %s\n", name, line, msg);
	e->n++;
}

static void
calendar_file(void **state)
{
	struct fx *f = *state;
	static const char bad[] = "# a bad one\n"
	                          "calendar = 1\n"
	                          "term = 2026-02-24 2026-07-03\n"
	                          "holiday = 圣诞 2026-12-25 2026-12-25\n"
	                          "holiday = 暑假 2026-07-04\n"
	                          "holiday = 国庆 2026-10-07 2026-10-01\n"
	                          "term = 2026-02-30 2026-07-03\n"
	                          "week = 1\n";
	static const char overlap[] = "calendar = 1\n"
	                              "term = 2026-02-24 2026-07-03\n"
	                              "holiday = 暑假 2026-07-04 2026-08-31\n"
	                              "term = 2026-07-01 2027-01-22\n";
	struct calendar c;
	struct errs e = {{0}, 0};
	const struct cal_span *h;

	/* The good file: sorted, asked. */
	assert_int_equal(f->cal.n, 10);
	assert_int_equal(f->cal.is_default, 0);
	h = calendar_holiday_at(&f->cal, 20260720);
	assert_non_null(h);
	assert_string_equal(cal_holiday_zh(h->holiday), "暑假");
	assert_null(calendar_holiday_at(&f->cal, 20260703));
	assert_string_equal(
	    cal_holiday_word(calendar_next_holiday(&f->cal, 20260622)->holiday),
	    "shujia");
	assert_int_equal(calendar_term_start(&f->cal, 20260930), 20260901);
	assert_int_equal(calendar_term_start(&f->cal, 20260720), 20260224);
	assert_int_equal(cal_day_add(20260228, 1), 20260301);
	assert_int_equal(cal_days_between(20260622, 20260704), 12);
	assert_int_equal(cal_weekday(20260622), 0);

	/* Every bad line named with its line, nothing kept. */
	assert_int_equal(
	    calendar_parse("bad.txt", bad, sizeof(bad) - 1, &c, collect, &e),
	    GU_EINVAL);
	assert_non_null(strstr(e.all, "bad.txt:4: holiday: unknown name"));
	assert_non_null(
	    strstr(e.all, "bad.txt:5: holiday: expected NAME FROM TO"));
	assert_non_null(
	    strstr(e.all, "bad.txt:6: holiday: ends before it starts"));
	assert_non_null(
	    strstr(e.all, "bad.txt:7: term: a day is not YYYY-MM-DD"));
	assert_non_null(strstr(e.all, "bad.txt:8: unknown key \"week\""));
	assert_int_equal(e.n, 5);
	/* Overlapping terms: the line of the later one. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(calendar_parse("o.txt", overlap, sizeof(overlap) - 1,
	                     &c, collect, &e),
	    GU_EINVAL);
	assert_string_equal(e.all, "o.txt:4: overlaps the term before\n");
	/* Another format is refused, not guessed at. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(
	    calendar_parse("v.txt", "calendar = 2\n", 13, &c, collect, &e),
	    GU_EVERSION);
	assert_non_null(strstr(e.all, "v.txt:1: calendar format 2"));
}

static void
calendar_stored(void **state)
{
	struct fx *f = *state;
	struct calendar c;

	/* None yet: the caller uses the default. */
	assert_int_equal(store_calendar_get(f->s, &c), GU_ENOTFOUND);
	calendar_default(&c, 20260720);
	assert_int_equal(c.is_default, 1);
	assert_true(calendar_ok(&c));
	assert_non_null(calendar_holiday_at(&c, 20260720));
	assert_non_null(calendar_holiday_at(&c, 20270201));
	assert_null(calendar_holiday_at(&c, 20261110));
	/* Stored and read back as it was. */
	assert_int_equal(store_calendar_put(f->s, &f->cal), GU_OK);
	assert_int_equal(store_calendar_get(f->s, &c), GU_OK);
	assert_int_equal(c.n, f->cal.n);
	assert_memory_equal(c.span, f->cal.span, c.n * sizeof(c.span[0]));
	/* A calendar that is not one is refused. */
	c.span[0].to = c.span[0].from - 1;
	assert_int_equal(store_calendar_put(f->s, &c), GU_EINVAL);
}

/* ---- the tasks ---- */

/* In the summer holiday contact is a phone call and nobody is late. */
static void
holiday_switching(void **state)
{
	struct fx *f = *state;
	struct child_summary cs;
	const struct task *k;
	struct record r;

	fx_checkin(&r, "C002", 0);
	fx_put(f->s, &r, at(20260615, 9), "T001");
	/* 29 June, in term: 14 days passed, late. */
	mentor(f, "T001", at(20260629, 10));
	k = find(f, TASK_CONTACT, "C002");
	assert_non_null(k);
	assert_int_equal(k->when, TASK_OVERDUE);
	assert_int_equal(k->due_day, 20260629);
	assert_int_equal(f->t[0].when, TASK_OVERDUE); /* late come first */
	/* 20 July, in 暑假: a phone call, due today, not late. */
	mentor(f, "T001", at(20260720, 10));
	assert_null(find(f, TASK_CONTACT, NULL));
	k = find(f, TASK_PHONE, "C002");
	assert_non_null(k);
	assert_int_equal(k->when, TASK_TODAY);
	for (size_t i = 0; i < f->n; i++)
		assert_int_not_equal(f->t[i].when, TASK_OVERDUE);
	assert_int_equal(store_child_summary(f->s, "C002", &cs), GU_OK);
	assert_int_equal(
	    care_rules_overdue(&f->rules, &cs, at(20260720, 10), 0), 0);
	assert_int_not_equal(
	    care_rules_overdue(&f->rules, &cs, at(20260629, 10), 0), 0);
	/* The phone call counts as contact: the next is in 14 days. */
	rec_init(&r, REC_CHECKIN);
	rec_set_str(&r, F_CHILD, "C002");
	rec_set_str(&r, F_TYPE, "phone");
	rec_set_int(&r, F_MOOD, 4);
	fx_put(f->s, &r, at(20260720, 11), "T001");
	mentor(f, "T001", at(20260720, 12));
	k = find(f, TASK_PHONE, "C002");
	assert_non_null(k);
	assert_int_equal(k->due_day, 20260803);
	assert_int_equal(k->when, TASK_LATER);
	/* Back in term on 1 September: a check-in again. */
	mentor(f, "T001", at(20260901, 8));
	assert_non_null(find(f, TASK_CONTACT, "C002"));
}

/* 重点关注: contact every 7 days; unmarking goes back to 14. */
static void
focus_cadence(void **state)
{
	struct fx *f = *state;
	const struct task *k;
	struct record r;
	uint64_t fs;

	fx_checkin(&r, "C003", 0);
	fx_put(f->s, &r, at(20260601, 9), "T001");
	mentor(f, "T001", at(20260609, 9));
	assert_int_equal(find(f, TASK_CONTACT, "C003")->due_day, 20260615);
	rec_init(&r, REC_FOCUS);
	rec_set_str(&r, F_CHILD, "C003");
	rec_set_int(&r, F_FOCUS, 1);
	rec_set_str(&r, F_FOCUS_WHY, "family_change");
	fs = fx_put(f->s, &r, at(20260609, 10), "T001");
	mentor(f, "T001", at(20260609, 11));
	k = find(f, TASK_CONTACT, "C003");
	assert_int_equal(k->due_day, 20260608);
	assert_int_equal(k->when, TASK_OVERDUE);
	/* Voided: back to 14 days, due next Monday. */
	void_of(f, fs, at(20260609, 12));
	mentor(f, "T001", at(20260609, 13));
	assert_int_equal(find(f, TASK_CONTACT, "C003")->when, TASK_LATER);
	mentor(f, "T001", at(20260615, 8));
	assert_int_equal(find(f, TASK_CONTACT, "C003")->when, TASK_TODAY);
}

/* An urgent concern: 24 hours for the mentor, then the head's screen. */
static void
escalation_timing(void **state)
{
	struct fx *f = *state;
	const struct task *k;
	struct record r;
	uint64_t c, fu;

	rec_init(&r, REC_CONCERN);
	r.flags |= REC_FLAG_URGENT;
	rec_set_str(&r, F_CHILD, "C002");
	rec_set_add(&r, F_CONCERNS, "harm");
	rec_set_int(&r, F_URGENT, 1);
	c = fx_put(f->s, &r, at(20260610, 9), "T001");
	/* 23 hours on: the mentor's, due, not yet the head's. */
	mentor(f, "T001", at(20260611, 8));
	k = find(f, TASK_FOLLOWUP, "C002");
	assert_non_null(k);
	assert_int_equal(k->ref, c);
	assert_int_equal(k->when, TASK_TODAY);
	head(f, at(20260611, 8));
	assert_null(find(f, TASK_ESCALATED, NULL));
	/* 25 hours on: late for the mentor and on the head's screen. */
	mentor(f, "T001", at(20260611, 10));
	assert_int_equal(find(f, TASK_FOLLOWUP, "C002")->when, TASK_OVERDUE);
	head(f, at(20260611, 10));
	k = find(f, TASK_ESCALATED, "C002");
	assert_non_null(k);
	assert_int_equal(k->when, TASK_OVERDUE);
	assert_string_equal(k->name, "李小红");
	/* Another mentor never sees it. */
	mentor(f, "T002", at(20260611, 10));
	assert_null(find(f, TASK_FOLLOWUP, NULL));
	/* A follow-up that closes it clears both. */
	rec_init(&r, REC_FOLLOWUP);
	rec_set_int(&r, F_CONCERN, (int64_t) c);
	rec_set_add(&r, F_DONE, "reported_police");
	rec_set_int(&r, F_CLOSES, 1);
	fu = fx_put(f->s, &r, at(20260611, 11), "T009");
	mentor(f, "T001", at(20260611, 12));
	assert_null(find(f, TASK_FOLLOWUP, NULL));
	head(f, at(20260611, 12));
	assert_null(find(f, TASK_ESCALATED, NULL));
	/* Voiding the follow-up un-clears them. */
	void_of(f, fu, at(20260611, 13));
	head(f, at(20260611, 14));
	assert_non_null(find(f, TASK_ESCALATED, "C002"));
	/* A concern that is not urgent: 7 days, never the head's. */
	rec_init(&r, REC_CONCERN);
	rec_set_str(&r, F_CHILD, "C003");
	rec_set_add(&r, F_CONCERNS, "study");
	rec_set_int(&r, F_URGENT, 0);
	fx_put(f->s, &r, at(20260610, 9), "T001");
	mentor(f, "T001", at(20260618, 9));
	assert_int_equal(find(f, TASK_FOLLOWUP, "C003")->due_day, 20260617);
	head(f, at(20260618, 9));
	assert_null(find(f, TASK_ESCALATED, "C003"));
}

/* A visit to C003 on date, with next (or none). */
static uint64_t
visit(struct fx *f, const char *date, const char *next, int64_t t)
{
	struct record r;

	rec_init(&r, REC_VISIT);
	rec_set_str(&r, F_CHILD, "C003");
	rec_set_str(&r, F_DATE, date);
	rec_set_str(&r, F_MET, "grandparent");
	rec_set_int(&r, F_GUARDIANSHIP, 1);
	rec_set_int(&r, F_STUDY, 2);
	rec_set_int(&r, F_HEALTH, 2);
	rec_set_int(&r, F_MOOD, 3);
	if (next != NULL)
		rec_set_str(&r, F_NEXT_VISIT, next);
	return fx_put(f->s, &r, t, "T001");
}

/* The next visit from the last visit, cleared by a visit, back by a void. */
static void
visit_cleared_and_voided(void **state)
{
	struct fx *f = *state;
	const struct task *k;
	uint64_t v2;

	visit(f, "2026-06-01", "2026-06-24", at(20260601, 15));
	mentor(f, "T001", at(20260622, 9));
	k = find(f, TASK_VISIT, "C003");
	assert_non_null(k);
	assert_int_equal(k->due_day, 20260624);
	assert_int_equal(k->when, TASK_WEEK);
	mentor(f, "T001", at(20260625, 9));
	assert_int_equal(find(f, TASK_VISIT, "C003")->when, TASK_OVERDUE);
	/* The visit that answers it, with no next visit: cleared. */
	v2 = visit(f, "2026-06-25", NULL, at(20260625, 10));
	mentor(f, "T001", at(20260625, 11));
	assert_null(find(f, TASK_VISIT, "C003"));
	/* Voided: the first visit's next_visit stands again. */
	void_of(f, v2, at(20260625, 12));
	mentor(f, "T001", at(20260625, 13));
	k = find(f, TASK_VISIT, "C003");
	assert_non_null(k);
	assert_int_equal(k->when, TASK_OVERDUE);
}

static uint64_t
lecture(struct fx *f, const char *classes, const char *date, int64_t t)
{
	struct record r;

	rec_init(&r, REC_LECTURE);
	rec_set_str(&r, F_TOPIC, "drowning");
	rec_set_str(&r, F_LECTURER, "法治副校长");
	rec_set_str(&r, F_CLASSES, classes);
	rec_set_str(&r, F_DATE, date);
	return fx_put(f->s, &r, t, "T003");
}

static uint64_t
attend(struct fx *f, uint64_t lec, const char *child, int64_t t)
{
	struct record r;

	rec_init(&r, REC_ATTENDANCE);
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_str(&r, F_CHILD, child);
	rec_set_str(&r, F_CLASS, "三年级1班");
	rec_set_str(&r, F_METHOD, "teacher");
	return fx_put(f->s, &r, t, "T003");
}

static uint64_t
lecture_end(struct fx *f, uint64_t lec, int64_t t)
{
	struct record r;

	rec_init(&r, REC_LECTURE_END);
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_int(&r, F_PRESENT, 1);
	rec_set_int(&r, F_ABSENT, 2);
	return fx_put(f->s, &r, t, "T003");
}

/* Absent from a closed lecture until an attendance stands. */
static void
absentee_makeup(void **state)
{
	struct fx *f = *state;
	uint64_t lec, a2, end;
	const struct task *k;

	lec = lecture(f, "三年级1班", "2026-06-02", at(20260602, 9));
	a2 = attend(f, lec, "C002", at(20260602, 9) + 60000);
	/* Open: nobody is an absentee yet. */
	mentor(f, "T001", at(20260602, 10));
	assert_null(find(f, TASK_MAKEUP, NULL));
	end = lecture_end(f, lec, at(20260602, 10));
	mentor(f, "T001", at(20260603, 9));
	assert_null(find(f, TASK_MAKEUP, "C002"));
	k = find(f, TASK_MAKEUP, "C003");
	assert_non_null(k);
	assert_int_equal(k->ref, lec);
	assert_int_equal(k->due_day, 20260616);
	assert_non_null(find(f, TASK_MAKEUP, "C001"));
	/* T002's children were not in that class. */
	mentor(f, "T002", at(20260603, 9));
	assert_null(find(f, TASK_MAKEUP, NULL));
	/* C002's attendance voided: an absentee too. */
	void_of(f, a2, at(20260603, 10));
	mentor(f, "T001", at(20260603, 11));
	assert_non_null(find(f, TASK_MAKEUP, "C002"));
	/* An attendance for C003 and that lecture clears C003's. */
	void_of(f, end, at(20260603, 12)); /* reopened to take it */
	attend(f, lec, "C003", at(20260603, 13));
	lecture_end(f, lec, at(20260603, 14));
	mentor(f, "T001", at(20260603, 15));
	assert_null(find(f, TASK_MAKEUP, "C003"));
	assert_non_null(find(f, TASK_MAKEUP, "C001"));
}

/* The head's pre-holiday lecture, until every class has had it. */
static void
pre_holiday_lecture(void **state)
{
	struct fx *f = *state;
	const struct task *k;
	uint64_t l;

	/* 10 May: 端午 is 40 days off, nothing. */
	head(f, at(20260510, 9));
	assert_null(find(f, TASK_LECTURE, NULL));
	/* 22 June: 暑假 in 12 days, two classes without it. */
	head(f, at(20260622, 9));
	k = find(f, TASK_LECTURE, NULL);
	assert_non_null(k);
	assert_string_equal(cal_holiday_zh(k->holiday), "暑假");
	assert_int_equal(k->missing, 2);
	assert_int_equal(k->due_day, 20260703);
	assert_int_equal(k->when, TASK_LATER);
	/* A mentor never has it. */
	mentor(f, "T001", at(20260622, 9));
	assert_null(find(f, TASK_LECTURE, NULL));
	/* One class had it: one to go. */
	l = lecture(f, "三年级1班", "2026-06-23", at(20260623, 9));
	lecture_end(f, l, at(20260623, 10));
	head(f, at(20260629, 9));
	k = find(f, TASK_LECTURE, NULL);
	assert_int_equal(k->missing, 1);
	assert_int_equal(k->when, TASK_WEEK);
	head(f, at(20260703, 9));
	assert_int_equal(find(f, TASK_LECTURE, NULL)->when, TASK_TODAY);
	/* Both: done. */
	l = lecture(f, "四年级2班", "2026-06-30", at(20260630, 9));
	lecture_end(f, l, at(20260630, 10));
	head(f, at(20260701, 9));
	assert_null(find(f, TASK_LECTURE, NULL));
}

/* A plan's review: due, late, moved by a new plan, back by its void. */
static void
plan_review(void **state)
{
	struct fx *f = *state;
	struct child_summary cs;
	const struct task *k;
	struct record r;
	uint64_t p1, p2;

	rec_init(&r, REC_PLAN);
	rec_set_str(&r, F_CHILD, "C002");
	rec_set_add(&r, F_GOALS, "psych");
	rec_set_add(&r, F_MEASURES, "weekly_talk");
	rec_set_str(&r, F_RESPONSIBLE, "T001");
	rec_set_str(&r, F_REVIEW, "2026-06-26");
	p1 = fx_put(f->s, &r, at(20260601, 9), "T001");
	assert_int_equal(store_child_summary(f->s, "C002", &cs), GU_OK);
	assert_int_equal(cs.plan_seq, p1);
	mentor(f, "T001", at(20260622, 9));
	k = find(f, TASK_REVIEW, "C002");
	assert_non_null(k);
	assert_int_equal(k->ref, p1);
	assert_int_equal(k->when, TASK_WEEK);
	mentor(f, "T001", at(20260627, 9));
	assert_int_equal(find(f, TASK_REVIEW, "C002")->when, TASK_OVERDUE);
	/* The review writes a new plan: the next review in September. */
	rec_init(&r, REC_PLAN);
	rec_set_str(&r, F_CHILD, "C002");
	rec_set_add(&r, F_GOALS, "psych");
	rec_set_add(&r, F_GOALS, "guardianship");
	rec_set_add(&r, F_MEASURES, "weekly_talk");
	rec_set_add(&r, F_MEASURES, "contact_parents");
	rec_set_str(&r, F_RESPONSIBLE, "T001");
	rec_set_str(&r, F_REVIEW, "2026-09-30");
	p2 = fx_put(f->s, &r, at(20260627, 10), "T001");
	mentor(f, "T001", at(20260627, 11));
	k = find(f, TASK_REVIEW, "C002");
	assert_int_equal(k->ref, p2);
	assert_int_equal(k->when, TASK_LATER);
	/* Voided: the first plan's review is late again. */
	void_of(f, p2, at(20260627, 12));
	mentor(f, "T001", at(20260627, 13));
	k = find(f, TASK_REVIEW, "C002");
	assert_int_equal(k->ref, p1);
	assert_int_equal(k->when, TASK_OVERDUE);
	{
		char why[256];
		assert_int_equal(store_check(f->s, why, sizeof(why)), GU_OK);
	}
}

/* A record the child C003 writes himself at t: a talk request, or a log
 * that felt feeling. */
static uint64_t
ask(struct fx *f, int talk, int feeling, int64_t t)
{
	struct record r;

	rec_init(&r, talk ? REC_TALK_REQUEST : REC_STUDENT_LOG);
	r.flags = REC_FLAG_BY_STUDENT;
	rec_set_str(&r, F_CHILD, "C003");
	rec_set_str(&r, F_MENTOR, "T001");
	if (!talk) {
		rec_set_add(&r, F_TOPICS, "family");
		rec_set_int(&r, F_FEELING, feeling);
	}
	return fx_put(f->s, &r, t, "C003");
}

/* A concern about C003 at t, urgent or not. */
static uint64_t
concern_on(struct fx *f, int urgent, int64_t t)
{
	struct record r;

	rec_init(&r, REC_CONCERN);
	if (urgent)
		r.flags |= REC_FLAG_URGENT;
	rec_set_str(&r, F_CHILD, "C003");
	rec_set_add(&r, F_CONCERNS, urgent ? "harm" : "study");
	rec_set_int(&r, F_URGENT, urgent);
	return fx_put(f->s, &r, t, "T001");
}

/* A check-in with C003 at t. */
static uint64_t
checkin_on(struct fx *f, int64_t t)
{
	struct record r;

	rec_init(&r, REC_CHECKIN);
	rec_set_str(&r, F_CHILD, "C003");
	rec_set_str(&r, F_TYPE, "talk");
	rec_set_int(&r, F_MOOD, 3);
	return fx_put(f->s, &r, t, "T001");
}

/* A talk request and a 很难过 raise a task each, due by the end of the
 * next school day, for the mentor only; a later check-in clears both; a
 * voided ask raises none. */
static void
quiet_asks(void **state)
{
	struct fx *f = *state;
	const struct task *k;
	uint64_t talk, sad, ci;

	talk = ask(f, 1, 0, at(20260609, 15));
	ask(f, 0, 3, at(20260609, 16)); /* 一般: nothing */
	mentor(f, "T001", at(20260609, 17));
	k = find(f, TASK_TALK, "C003");
	assert_non_null(k);
	assert_int_equal(k->ref, talk);
	assert_int_equal(k->due_ms, at(20260611, 0)); /* Tuesday's: Wednesday */
	assert_int_equal(k->due_day, 20260610);
	assert_int_equal(k->when, TASK_WEEK);
	assert_null(find(f, TASK_SAD, NULL));
	/* A second ask does not move the first one's due moment. */
	ask(f, 1, 0, at(20260610, 9));
	sad = ask(f, 0, 1, at(20260610, 10));
	mentor(f, "T001", at(20260610, 14));
	assert_int_equal(find(f, TASK_TALK, "C003")->ref, talk);
	assert_int_equal(find(f, TASK_TALK, "C003")->when, TASK_TODAY);
	k = find(f, TASK_SAD, "C003");
	assert_non_null(k);
	assert_int_equal(k->ref, sad);
	assert_int_equal(k->due_ms, at(20260612, 0));
	/* Late once the next school day has ended. */
	mentor(f, "T001", at(20260611, 1));
	assert_int_equal(find(f, TASK_TALK, "C003")->when, TASK_OVERDUE);
	assert_int_equal(find(f, TASK_SAD, "C003")->when, TASK_TODAY);
	/* Never another mentor's, never the head's. */
	mentor(f, "T002", at(20260610, 15));
	assert_null(find(f, TASK_TALK, NULL));
	head(f, at(20260610, 15));
	assert_null(find(f, TASK_TALK, NULL));
	assert_null(find(f, TASK_SAD, NULL));
	/* A check-in after them clears both; its void brings them back. */
	ci = checkin_on(f, at(20260610, 16));
	mentor(f, "T001", at(20260610, 17));
	assert_null(find(f, TASK_TALK, NULL));
	assert_null(find(f, TASK_SAD, NULL));
	void_of(f, ci, at(20260610, 18));
	mentor(f, "T001", at(20260610, 19));
	assert_int_equal(find(f, TASK_TALK, "C003")->ref, talk);
	assert_int_equal(find(f, TASK_SAD, "C003")->ref, sad);
	/* Voided asks raise none. */
	void_of(f, sad, at(20260610, 20));
	mentor(f, "T001", at(20260610, 21));
	assert_null(find(f, TASK_SAD, NULL));
	assert_non_null(find(f, TASK_TALK, "C003"));
	/* A home visit answers too. */
	visit(f, "2026-06-11", NULL, at(20260611, 9));
	mentor(f, "T001", at(20260611, 10));
	assert_null(find(f, TASK_TALK, NULL));
	/* An ask after the visit is a new task. */
	talk = ask(f, 1, 0, at(20260611, 11));
	void_of(f, talk, at(20260611, 12));
	mentor(f, "T001", at(20260611, 13));
	assert_null(find(f, TASK_TALK, NULL));
	/* Friday's ask is Monday's, and a holiday is skipped: Thursday
	 * 6-18's, before 端午 (6-19 to 6-21), is due on Monday 6-22. */
	talk = ask(f, 1, 0, at(20260612, 15));
	mentor(f, "T001", at(20260612, 16));
	assert_int_equal(find(f, TASK_TALK, "C003")->due_ms, at(20260616, 0));
	assert_int_equal(find(f, TASK_TALK, "C003")->due_day, 20260615);
	checkin_on(f, at(20260612, 17));
	talk = ask(f, 1, 0, at(20260618, 15));
	mentor(f, "T001", at(20260618, 16));
	assert_int_equal(find(f, TASK_TALK, "C003")->due_ms, at(20260623, 0));
	checkin_on(f, at(20260618, 17));
}

/* A follow-up of concern c at t; closes or not. */
static uint64_t
followup(struct fx *f, uint64_t c, int closes, int64_t t)
{
	struct record r;

	rec_init(&r, REC_FOLLOWUP);
	rec_set_int(&r, F_CONCERN, (int64_t) c);
	rec_set_add(&r, F_DONE, "contacted_family");
	rec_set_int(&r, F_CLOSES, closes);
	return fx_put(f->s, &r, t, "T001");
}

/* A follow-up that does not close the concern moves its due moment to 7
 * days after it (an urgent one: 24 hours); a void moves it back; one that
 * closes it removes the task. */
static void
followup_moves_due(void **state)
{
	struct fx *f = *state;
	const struct task *k;
	uint64_t c, u, fu;
	size_t n;

	c = concern_on(f, 0, at(20260601, 9));
	mentor(f, "T001", at(20260601, 10));
	assert_int_equal(
	    find(f, TASK_FOLLOWUP, "C003")->due_ms, at(20260608, 9));
	fu = followup(f, c, 0, at(20260605, 9));
	followup(f, c, 0, at(20260603, 9)); /* entered late, older */
	mentor(f, "T001", at(20260609, 10));
	k = find(f, TASK_FOLLOWUP, "C003");
	assert_non_null(k);
	assert_int_equal(k->ref, c);
	assert_int_equal(k->due_ms, at(20260612, 9));
	assert_int_equal(k->when, TASK_WEEK);
	void_of(f, fu, at(20260609, 11));
	mentor(f, "T001", at(20260609, 12));
	assert_int_equal(
	    find(f, TASK_FOLLOWUP, "C003")->due_ms, at(20260610, 9));
	/* Another concern's follow-up does not move it. */
	u = concern_on(f, 1, at(20260609, 13));
	followup(f, u, 0, at(20260609, 20));
	mentor(f, "T001", at(20260609, 21));
	n = 0;
	for (size_t i = 0; i < f->n; i++) {
		k = &f->t[i];
		if (k->kind != TASK_FOLLOWUP)
			continue;
		assert_int_equal(k->ref, n == 0 ? c : u);
		assert_int_equal(
		    k->due_ms, n == 0 ? at(20260610, 9) : at(20260610, 20));
		n++;
	}
	assert_int_equal(n, 2);
	/* Escalation still counts from the urgent concern itself. */
	head(f, at(20260610, 14));
	assert_non_null(find(f, TASK_ESCALATED, "C003"));
	followup(f, u, 1, at(20260610, 15));
	followup(f, c, 1, at(20260610, 16));
	mentor(f, "T001", at(20260610, 17));
	assert_null(find(f, TASK_FOLLOWUP, NULL));
	/* A follow-up more than TASKS_FILE_READ records back is not seen:
	 * due from the concern, earlier, never later. */
	c = concern_on(f, 0, at(20260611, 9));
	followup(f, c, 0, at(20260612, 9));
	mentor(f, "T001", at(20260612, 10));
	assert_int_equal(
	    find(f, TASK_FOLLOWUP, "C003")->due_ms, at(20260619, 9));
	for (int i = 0; i < TASKS_FILE_READ; i++)
		checkin_on(f, at(20260612, 11) + i * 60000);
	mentor(f, "T001", at(20260612, 12));
	assert_int_equal(
	    find(f, TASK_FOLLOWUP, "C003")->due_ms, at(20260618, 9));
}

static int
kinds_fn(void *arg, const struct record *r, uint64_t voided)
{
	(void) voided;
	((int *) arg)[r->kind]++;
	return 0;
}

/* The demo school has every kind, and a mentor with tasks late, due
 * today and due this week. */
static void
demo_school(void **state)
{
	struct fx *f = *state;
	struct demo_opts o;
	struct store *s = NULL;
	int kinds[REC_KIND_MAX] = {0}, shown = 0;
	int64_t now = at(20260302, 8) + 1800000;
	char dir[600], id[16];
	FILE *log = fopen("/dev/null", "w");

	memset(&o, 0, sizeof(o));
	o.children = 120;
	o.school_name = "云溪区青山小学";
	o.seed = 1;
	o.today_ms = now / 86400000LL * 86400000LL;
	o.opslimit = 1;
	o.memlimit = 8192;
	snprintf(dir, sizeof(dir), "%s/demo", f->dir);
	assert_non_null(log);
	assert_int_equal(demo_create(dir, &o, log), GU_OK);
	fclose(log);
	assert_int_equal(store_open(&s, dir, NULL), GU_OK);
	assert_int_equal(store_log_walk(s, 1, kinds_fn, kinds), GU_OK);
	for (int k = 1; k < REC_KIND_MAX; k++)
		if (strcmp(rec_kind_name(k), "?") != 0 && kinds[k] == 0)
			fail_msg("the demo has no %s", rec_kind_name(k));
	calendar_default(&f->cal, 20260302);
	for (int m = 1; m <= 8; m++) {
		int b[4] = {0, 0, 0, 0};
		snprintf(id, sizeof(id), "T%04d", m);
		assert_int_equal(
		    tasks_for_mentor(s, &f->rules, id, now, f->t, 64, &f->n),
		    GU_OK);
		for (size_t i = 0; i < f->n && i < 64; i++)
			b[f->t[i].when]++;
		shown |= b[TASK_OVERDUE] && b[TASK_TODAY] && b[TASK_WEEK];
	}
	assert_true(shown);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(calendar_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(calendar_stored, setup, teardown),
	    cmocka_unit_test_setup_teardown(holiday_switching, setup, teardown),
	    cmocka_unit_test_setup_teardown(focus_cadence, setup, teardown),
	    cmocka_unit_test_setup_teardown(escalation_timing, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        visit_cleared_and_voided, setup, teardown),
	    cmocka_unit_test_setup_teardown(absentee_makeup, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        pre_holiday_lecture, setup, teardown),
	    cmocka_unit_test_setup_teardown(plan_review, setup, teardown),
	    cmocka_unit_test_setup_teardown(quiet_asks, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        followup_moves_due, setup, teardown),
	    cmocka_unit_test_setup_teardown(demo_school, setup, teardown),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
