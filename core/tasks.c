/*
 * tasks.c: the task rules (tasks.h, docs/tasks.md), one row per kind.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "status.h"
#include "tasks.h"

#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL

struct tctx {
	struct store *s;
	const struct care_rules *rules;
	int64_t now_ms;
	uint32_t today;
	int head;
	struct child_summary *kids; /* the mentor's, in id order */
	size_t n_kids;
	struct task *out;
	size_t max, n;
};

typedef int (*child_rule_fn)(struct tctx *t, const struct child_summary *c);
typedef int (*school_rule_fn)(struct tctx *t);

struct task_rule {
	uint8_t kind;
	const char *word;
	uint8_t head;          /* 1: the headteacher's, 0: a mentor's */
	child_rule_fn child;   /* per child in care of the mentor, or NULL */
	school_rule_fn school; /* over the school, or NULL */
};

/* ---- emitting ---- */

static void
emit(struct tctx *t, int kind, int64_t due_ms, const struct child *c,
    uint64_t ref)
{
	struct task *k;

	if (t->n++ >= t->max)
		return;
	k = &t->out[t->n - 1];
	memset(k, 0, sizeof(*k));
	k->kind = (uint8_t) kind;
	k->due_ms = due_ms;
	k->ref = ref;
	if (c != NULL) {
		memcpy(k->child, c->id, sizeof(k->child));
		memcpy(k->name, c->name, sizeof(k->name));
	}
}

/* Late from the start of the day after day. */
static int64_t
end_of(const struct tctx *t, uint32_t day)
{
	return cal_day_start_ms(cal_day_add(day, 1), t->rules->tz_min);
}

/* ---- per child ---- */

static int
contact_rule(struct tctx *t, const struct child_summary *c)
{
	int phone = 0;
	int64_t due = care_rules_contact_due(t->rules, c, t->now_ms, &phone);

	if (due != 0)
		emit(t, phone ? TASK_PHONE : TASK_CONTACT, due, &c->child, 0);
	return GU_OK;
}

static int
visit_rule(struct tctx *t, const struct child_summary *c)
{
	if (c->next_visit_day != 0)
		emit(t, TASK_VISIT, end_of(t, c->next_visit_day), &c->child, 0);
	return GU_OK;
}

static int
review_rule(struct tctx *t, const struct child_summary *c)
{
	if (c->plan_seq != 0 && c->review_day != 0)
		emit(t, TASK_REVIEW, end_of(t, c->review_day), &c->child,
		    c->plan_seq);
	return GU_OK;
}

/*
 * A child's quiet asks: the oldest standing talk request and the oldest
 * standing 很难过 log since the child's last standing check-in or visit
 * (and within TASKS_ASK_DAYS), each due by the end of the next school
 * day after it (calendar_next_school_day).
 */
struct ask_arg {
	int64_t since_ms;
	unsigned left;      /* records still to read */
	int64_t time_ms[2]; /* talk, sad; 0: none */
	uint64_t seq[2];
};

int
task_ask_step(
    const struct record *r, uint64_t voided, int64_t since_ms, int *kind)
{
	*kind = TASK_NONE;
	if (r->time_ms < since_ms)
		return 1; /* older: stop */
	if (voided)
		return 0;
	if (r->kind == REC_CHECKIN || r->kind == REC_VISIT)
		return 1; /* answered since */
	if (r->kind == REC_TALK_REQUEST)
		*kind = TASK_TALK;
	else if (r->kind == REC_STUDENT_LOG && rec_int(r, F_FEELING, 0) == 1)
		*kind = TASK_SAD;
	return 0;
}

static int
ask_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct ask_arg *a = arg;
	int kind, i;

	if (a->left-- == 0 || task_ask_step(r, voided, a->since_ms, &kind))
		return 1;
	if (kind == TASK_NONE)
		return 0;
	i = kind == TASK_TALK ? 0 : 1;
	/* Newest first: the last one kept is the oldest. */
	a->time_ms[i] = r->time_ms;
	a->seq[i] = r->seq;
	return 0;
}

static int
ask_rule(struct tctx *t, const struct child_summary *c)
{
	struct ask_arg a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.left = TASKS_FILE_READ;
	a.since_ms = t->now_ms - TASKS_ASK_DAYS * DAY_MS;
	if (a.since_ms < c->last_contact_ms)
		a.since_ms = c->last_contact_ms;
	rc = store_child_file(t->s, c->child.id, 0, ask_fn, &a);
	if (rc != GU_OK && rc != 1)
		return rc;
	for (int i = 0; i < 2; i++)
		if (a.seq[i] != 0)
			emit(t, i == 0 ? TASK_TALK : TASK_SAD,
			    end_of(t,
			        calendar_next_school_day(t->rules->cal,
			            cal_day_of(
			                a.time_ms[i], t->rules->tz_min))),
			    &c->child, a.seq[i]);
	return GU_OK;
}

/* ---- over the school ---- */

static int
kid_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct child_summary *) elem)->child.id);
}

static const struct child_summary *
my_kid(const struct tctx *t, const char *id)
{
	if (id == NULL || t->n_kids == 0)
		return NULL;
	return bsearch(id, t->kids, t->n_kids, sizeof(t->kids[0]), kid_cmp);
}

static int
concern_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct tctx *t = arg;
	const struct child_summary *c;
	int urgent = (r->flags & REC_FLAG_URGENT) != 0;
	int64_t due = r->time_ms +
	    (urgent ? TASKS_URGENT_HOURS * HOUR_MS
	            : TASKS_FOLLOWUP_DAYS * DAY_MS);
	struct child ch;

	(void) voided;
	if (t->head) {
		if (!urgent || t->now_ms < due)
			return 0;
		memset(&ch, 0, sizeof(ch));
		memcpy(ch.id, rec_child(r), strlen(rec_child(r)) + 1);
		emit(t, TASK_ESCALATED, due, &ch, r->seq);
		return 0;
	}
	c = my_kid(t, rec_child(r));
	if (c != NULL)
		emit(t, TASK_FOLLOWUP, due, &c->child, r->seq);
	return 0;
}

/*
 * An open concern's follow-up is due its interval after the concern or
 * after its latest standing follow-up (which did not close it): a read
 * of the child's file newest first, down to the concern.
 */
struct latest_arg {
	uint64_t concern;
	unsigned left;   /* records still to read */
	int64_t from_ms; /* its latest standing follow-up's time, 0 */
};

static int
latest_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct latest_arg *a = arg;

	if (r->seq <= a->concern || a->left-- == 0)
		return 1;
	if (!voided && r->kind == REC_FOLLOWUP &&
	    (uint64_t) rec_int(r, F_CONCERN, 0) == a->concern &&
	    r->time_ms > a->from_ms)
		a->from_ms = r->time_ms;
	return 0;
}

static int
followup_due(struct tctx *t, struct task *k)
{
	struct latest_arg a = {k->ref, TASKS_FILE_READ, 0};
	struct record c;
	int rc = store_get(t->s, k->ref, &c);

	if (rc == GU_OK)
		rc = store_child_file(t->s, k->child, 0, latest_fn, &a);
	if (rc != GU_OK && rc != 1)
		return rc;
	/* None within TASKS_FILE_READ records: from the concern, as
	 * emitted (earlier, never later). */
	if (a.from_ms > c.time_ms)
		k->due_ms = a.from_ms +
		    ((c.flags & REC_FLAG_URGENT)
		            ? TASKS_URGENT_HOURS * HOUR_MS
		            : TASKS_FOLLOWUP_DAYS * DAY_MS);
	return GU_OK;
}

static int
concern_rule(struct tctx *t)
{
	size_t from = t->n;
	int rc = store_open_concerns(t->s, concern_fn, t);

	/* Not inside the walk: one read at a time. */
	for (size_t i = from; rc == GU_OK && !t->head && i < t->n && i < t->max;
	     i++)
		rc = followup_due(t, &t->out[i]);
	return rc;
}

/* The closed lectures of the term, newest first. */
struct lec_list {
	uint32_t since; /* YYYYMMDD: lectures dated from this day */
	size_t n;
	struct lec {
		uint64_t seq;
		uint32_t day;
		char classes[REC_VALUE_MAX + 1];
	} * l;
};

static int
lecture_fn(void *arg, const struct record *r, int open)
{
	struct lec_list *a = arg;
	uint32_t day = store_date_day(rec_str(r, F_DATE));
	const char *cl = rec_str(r, F_CLASSES);

	if (open || day < a->since || a->n == TASKS_LECTURES_MAX)
		return 0;
	a->l[a->n].seq = r->seq;
	a->l[a->n].day = day;
	memcpy(a->l[a->n].classes, cl, strlen(cl) + 1);
	a->n++;
	return 0;
}

static int
lectures_since(struct store *s, uint32_t since, struct lec_list *a)
{
	a->since = since;
	a->n = 0;
	a->l = malloc(TASKS_LECTURES_MAX * sizeof(*a->l));
	if (a->l == NULL)
		return GU_ENOMEM;
	return store_lectures(s, 0, lecture_fn, a);
}

/* Whether the ';'-separated list names cls. */
static int
names_class(const char *list, const char *cls)
{
	size_t n = strlen(cls);

	for (const char *p = list; *p;) {
		const char *e = strchr(p, ';');
		size_t l = e ? (size_t) (e - p) : strlen(p);
		if (l == n && memcmp(p, cls, n) == 0)
			return 1;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return 0;
}

static int
makeup_rule(struct tctx *t)
{
	struct lec_list a;
	int rc;

	if (t->n_kids == 0)
		return GU_OK;
	rc = lectures_since(
	    t->s, care_rules_term_start(t->rules, t->now_ms), &a);
	for (size_t i = 0; rc == GU_OK && i < a.n; i++)
		for (size_t j = 0; j < t->n_kids; j++) {
			const struct child *c = &t->kids[j].child;
			if (!care_rules_in_care(c) ||
			    !names_class(a.l[i].classes, c->class_name) ||
			    store_attendance_of(t->s, a.l[i].seq, c->id) != 0)
				continue;
			emit(t, TASK_MAKEUP,
			    end_of(
			        t, cal_day_add(a.l[i].day, TASKS_MAKEUP_DAYS)),
			    c, a.l[i].seq);
		}
	free(a.l);
	return rc;
}

struct class_arg {
	const struct lec_list *held;
	uint32_t missing;
};

static int
class_fn(void *arg, const char *cls, const char *grade, uint32_t n_children)
{
	struct class_arg *a = arg;

	(void) grade;
	if (n_children == 0)
		return 0;
	for (size_t i = 0; i < a->held->n; i++)
		if (names_class(a->held->l[i].classes, cls))
			return 0;
	a->missing++;
	return 0;
}

static int
lecture_rule(struct tctx *t)
{
	const struct cal_span *h;
	struct class_arg ca = {0, 0};
	struct lec_list a;
	int rc;

	if (t->rules->cal == NULL)
		return GU_OK;
	h = calendar_next_holiday(t->rules->cal, t->today);
	if (h == NULL ||
	    cal_days_between(t->today, h->from) > TASKS_LECTURE_DAYS)
		return GU_OK;
	rc = lectures_since(
	    t->s, cal_day_add(h->from, -TASKS_LECTURE_HELD_DAYS), &a);
	ca.held = &a;
	if (rc == GU_OK)
		rc = store_classes(t->s, class_fn, &ca);
	free(a.l);
	if (rc == GU_OK && ca.missing > 0) {
		emit(t, TASK_LECTURE,
		    cal_day_start_ms(h->from, t->rules->tz_min), NULL, 0);
		if (t->n <= t->max) {
			t->out[t->n - 1].holiday = h->holiday;
			t->out[t->n - 1].missing = ca.missing;
		}
	}
	return rc;
}

/* ---- the table ---- */

static const struct task_rule task_rules[] = {
    {TASK_CONTACT, "contact", 0, contact_rule, NULL},
    {TASK_PHONE, "phone", 0, NULL, NULL}, /* contact_rule in a holiday */
    {TASK_VISIT, "visit", 0, visit_rule, NULL},
    {TASK_FOLLOWUP, "followup", 0, NULL, concern_rule},
    {TASK_ESCALATED, "escalated", 1, NULL, concern_rule},
    {TASK_MAKEUP, "makeup", 0, NULL, makeup_rule},
    {TASK_REVIEW, "review", 0, review_rule, NULL},
    {TASK_LECTURE, "lecture", 1, NULL, lecture_rule},
    {TASK_TALK, "talk", 0, ask_rule, NULL},
    {TASK_SAD, "sad", 0, NULL, NULL}, /* ask_rule */
};
#define N_RULES (sizeof(task_rules) / sizeof(task_rules[0]))

const char *
task_word(int kind)
{
	for (size_t i = 0; i < N_RULES; i++)
		if (task_rules[i].kind == kind)
			return task_rules[i].word;
	return "?";
}

static int
task_cmp(const void *a, const void *b)
{
	const struct task *x = a, *y = b;
	int c;

	if (x->when != y->when)
		return (int) x->when - (int) y->when;
	if (x->due_ms != y->due_ms)
		return x->due_ms < y->due_ms ? -1 : 1;
	c = strcmp(x->child, y->child);
	return c ? c : (int) x->kind - (int) y->kind;
}

/* Sets each task's day and bucket, and sorts them. */
static void
finish(struct tctx *t, size_t *n)
{
	size_t kept = t->n < t->max ? t->n : t->max;
	int wd = cal_weekday(t->today);
	uint32_t sunday = cal_day_add(t->today, 6 - wd);

	for (size_t i = 0; i < kept; i++) {
		struct task *k = &t->out[i];
		k->due_day = cal_day_of(k->due_ms - 1, t->rules->tz_min);
		k->when = t->now_ms >= k->due_ms ? TASK_OVERDUE
		    : k->due_day <= t->today     ? TASK_TODAY
		    : k->due_day <= sunday       ? TASK_WEEK
		                                 : TASK_LATER;
	}
	qsort(t->out, kept, sizeof(t->out[0]), task_cmp);
	*n = t->n;
}

static int
run(struct tctx *t)
{
	int rc = GU_OK;

	for (size_t i = 0; rc == GU_OK && i < N_RULES; i++) {
		const struct task_rule *r = &task_rules[i];
		if (r->head != t->head)
			continue;
		if (r->child)
			for (size_t j = 0; rc == GU_OK && j < t->n_kids; j++)
				if (care_rules_in_care(&t->kids[j].child))
					rc = r->child(t, &t->kids[j]);
		if (r->school && rc == GU_OK)
			rc = r->school(t);
	}
	return rc;
}

int
tasks_for_mentor(struct store *s, const struct care_rules *rules,
    const char *mentor_id, int64_t now_ms, struct task *out, size_t max,
    size_t *n)
{
	struct tctx t = {s, rules, now_ms, store_day_of(now_ms, rules->tz_min),
	    0, NULL, 0, out, max, 0};
	size_t got = 0, cap = 64;
	int rc;

	*n = 0;
	if (mentor_id == NULL || mentor_id[0] == '\0')
		return GU_EINVAL;
	for (;;) {
		t.kids = malloc(cap * sizeof(*t.kids));
		if (t.kids == NULL)
			return GU_ENOMEM;
		rc = store_mentor_children(s, mentor_id, t.kids, cap, &got);
		if (rc != GU_OK || got <= cap)
			break;
		free(t.kids);
		cap = got;
	}
	t.n_kids = got;
	if (rc == GU_OK)
		rc = run(&t);
	if (rc == GU_OK)
		finish(&t, n);
	free(t.kids);
	return rc;
}

int
tasks_for_head(struct store *s, const struct care_rules *rules, int64_t now_ms,
    struct task *out, size_t max, size_t *n)
{
	struct tctx t = {s, rules, now_ms, store_day_of(now_ms, rules->tz_min),
	    1, NULL, 0, out, max, 0};
	int rc;

	*n = 0;
	rc = run(&t);
	/* The walk of the concerns could not read the children's names. */
	for (size_t i = 0; rc == GU_OK && i < t.n && i < max; i++) {
		struct child c;
		if (out[i].child[0] &&
		    store_child_get(s, out[i].child, &c) == GU_OK)
			memcpy(out[i].name, c.name, sizeof(out[i].name));
	}
	if (rc == GU_OK)
		finish(&t, n);
	return rc;
}
