/*
 * test_care_rules.c: one definition of "in care" and of "overdue"
 * (core/care_rules.h), and every screen counting by it: on the demo school
 * of 600 children (369 with neither a category nor a mentor), the
 * headteacher's 逾期的孩子, the whole-school list's 逾期 and a count made
 * here from the rules' words must be the same number, and no child out
 * of care is in the list or counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "care.h"
#include "care_rules.h"
#include "demo.h"
#include "ui_harness.h"

#define DAY_MS 86400000LL
#define NOW 1780273800000LL /* 2026-06-01 08:30 +08:00 */

static void
summary(struct child_summary *s, int cats, const char *mentor,
    int64_t contact_ms, int64_t visit_ms)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->child.id, sizeof(s->child.id), "C1");
	s->child.active = 1;
	s->child.categories = (uint32_t) cats;
	snprintf(s->child.mentor_id, sizeof(s->child.mentor_id), "%s", mentor);
	s->last_contact_ms = contact_ms;
	s->last_visit_ms = visit_ms;
}

static void
rules(void **state)
{
	struct care_rules r = {CARE_RULES_CONTACT_DAYS, 0, 480, NULL};
	struct child_summary s;
	int days;

	(void) state;
	/* Term: 15 February 2026 at 1 June. */
	assert_int_equal(care_rules_term_start(&r, NOW), 20260215);
	/* Not in care: never overdue, even never contacted. */
	summary(&s, 0, "", 0, 0);
	assert_int_equal(care_rules_in_care(&s.child), 0);
	assert_int_equal(care_rules_overdue(&r, &s, NOW, &days), 0);
	assert_int_equal(days, -1);
	/* A mentor alone puts a child in care; inactive is out. */
	summary(&s, 0, "T1", 0, 0);
	assert_int_equal(care_rules_in_care(&s.child), 1);
	assert_int_equal(care_rules_overdue(&r, &s, NOW, NULL),
	    CARE_RULES_NO_CONTACT | CARE_RULES_NO_VISIT);
	s.child.active = 0;
	assert_int_equal(care_rules_overdue(&r, &s, NOW, NULL), 0);
	/* Seen 3 days ago, visited this term: in time. */
	summary(&s, CAT_LEFT_BEHIND, "", NOW - 3 * DAY_MS, NOW - 3 * DAY_MS);
	assert_int_equal(care_rules_overdue(&r, &s, NOW, &days), 0);
	assert_int_equal(days, 3);
	/* 14 days without contact is overdue; a visit last term is due. */
	summary(
	    &s, CAT_IN_DIFFICULTY, "", NOW - 14 * DAY_MS, NOW - 200 * DAY_MS);
	assert_int_equal(care_rules_overdue(&r, &s, NOW, NULL),
	    CARE_RULES_NO_CONTACT | CARE_RULES_NO_VISIT);
	summary(
	    &s, CAT_IN_DIFFICULTY, "", NOW - 13 * DAY_MS, NOW - 14 * DAY_MS);
	assert_int_equal(care_rules_overdue(&r, &s, NOW, NULL), 0);
	r.term_start_day = 20260520;
	assert_int_equal(
	    care_rules_overdue(&r, &s, NOW, NULL), CARE_RULES_NO_VISIT);
}

static void
make_demo(const char *dir)
{
	ui_demo(dir, 600, NOW);
}

static int
setup(void **state)
{
	return ui_setup(state, "/tmp/guanai-rules-XXXXXX", make_demo);
}

/* The number at {1} of the text on screen made from template tmpl. */
static long
number_in(const struct kiosk *k, const char *tmpl, int arg)
{
	const struct ui *ui = &k->ui;
	char mark[8];
	const char *at;
	size_t i, pre;

	snprintf(mark, sizeof(mark), "{%d}", arg);
	at = strstr(tmpl, mark);
	assert_non_null(at);
	/* The fixed text before the number (after the last {n} before it). */
	for (pre = 0; at - pre > tmpl && at[-(long) pre - 1] != '}'; pre++)
		;
	for (i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		const char *s = ui->text + c->text_off, *p;
		if (c->kind != UI_CMD_TEXT)
			continue;
		for (p = s; p + pre <= s + c->text_len; p++)
			if (memcmp(p, at - pre, pre) == 0 &&
			    (pre > 0 || p == s))
				return strtol(p + pre, NULL, 10);
	}
	fail_msg("no text made from \"%s\" on screen %d", tmpl, (int) k->scr);
	return -1;
}

static void
one_overdue_everywhere(void **state)
{
	struct fx *f = *state;
	struct kiosk *k = &f->k;
	struct store *s = NULL;
	struct child_summary *cs;
	struct care_rules r;
	char path[600];
	size_t n = 0, i, in_care = 0, overdue = 0;
	long head, list, rows;
	int64_t t = NOW;

	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	/* The count from the rules' words (care_rules.h), made here. */
	cs = calloc(CARE_ROWS_MAX, sizeof(*cs));
	assert_non_null(cs);
	assert_int_equal(
	    store_mentor_children(s, NULL, cs, CARE_ROWS_MAX, &n), GU_OK);
	assert_int_equal(n, 600);
	r.contact_days = f->cfg.contact_days;
	r.term_start_day = 0;
	r.tz_min = f->cfg.tz_min;
	r.cal = NULL; /* NOW is in term by the default calendar too */
	for (i = 0; i < n; i++) {
		int cat = cs[i].child.categories != 0 ||
		    cs[i].child.mentor_id[0] != '\0';
		int64_t since = (NOW - cs[i].last_contact_ms) / DAY_MS;
		if (!cat)
			continue;
		in_care++;
		if (cs[i].last_contact_ms == 0 || since >= r.contact_days ||
		    cs[i].last_visit_ms == 0 ||
		    store_day_of(cs[i].last_visit_ms, r.tz_min) <
		        care_rules_term_start(&r, NOW))
			overdue++;
	}
	free(cs);
	fprintf(stderr, "rules: %zu children, %zu in care, %zu overdue\n", n,
	    in_care, overdue);
	assert_true(in_care < n);
	assert_true(overdue > 0 && overdue < in_care);

	/* The headteacher's screen and the whole-school list say the same,
	 * on the real screens (the null front end: no SDL). */
	store_close(s);
	{
		char err[600];

		if (kiosk_open(k, &f->cfg, path, NULL, err, sizeof(err)) !=
		    GU_OK)
			fail_msg("kiosk_open: %s", err);
	}
	kiosk_frame(k, t, NULL);
	ui_tap_text(k, &t, "校长", 1, 0);
	ui_tap_text(k, &t, kiosk_s(k, "signin.pick_name"), 1, 1);
	for (i = 0; i < 4; i++)
		ui_tap_text(k, &t, "9", 1, 0);
	ui_tap_text(k, &t, kiosk_s(k, "signin.enter"), 1, 0);
	assert_int_equal(k->scr, SCR_HEAD);
	head = number_in(k, kiosk_s(k, "head.overdue"), 1);
	ui_tap_text(k, &t, kiosk_s(k, "head.children"), 1, 0);
	assert_int_equal(k->scr, SCR_MENTOR);
	rows = number_in(k, kiosk_s(k, "care.summary"), 1);
	list = number_in(k, kiosk_s(k, "care.summary"), 3);
	fprintf(stderr, "rules: head says %ld overdue, the list %ld of %ld\n",
	    head, list, rows);
	assert_int_equal(head, (long) overdue);
	assert_int_equal(list, (long) overdue);
	/* The list holds the children in care (the demo has no open
	 * concern about a child out of care). */
	assert_int_equal(rows, (long) in_care);
	for (i = 0; i < k->mentor.n_rows; i++)
		assert_true(care_rules_in_care(&k->mentor.rows[i].s.child) ||
		    k->mentor.rows[i].s.open_concerns > 0);
	kiosk_close(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rules),
	    cmocka_unit_test_setup_teardown(
	        one_overdue_everywhere, setup, ui_teardown),
	};

	/* The harness's script runner and goldens are not used here. */
	(void) run;
	(void) golden;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
