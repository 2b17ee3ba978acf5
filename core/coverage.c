/*
 * coverage.c: the headteacher's coverage view (coverage.h,
 * docs/coverage.md).
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "coverage.h"
#include "status.h"

#define DAY_MS 86400000LL

/* Rows found by key: sorted ones (bsearch), then any added after. */
struct rows {
	struct cov_row *r;
	size_t n, sorted, cap;
};

static int
row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cov_row *) a)->key,
	    ((const struct cov_row *) b)->key);
}

static struct cov_row *
row_add(struct rows *rs, const char *key, const char *name)
{
	struct cov_row *r;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		r = realloc(rs->r, cap * sizeof(*r));
		if (r == NULL)
			return NULL;
		rs->r = r;
		rs->cap = cap;
	}
	r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	memcpy(r->key, key, strnlen(key, sizeof(r->key) - 1));
	memcpy(r->name, name, strnlen(name, sizeof(r->name) - 1));
	return r;
}

static void
rows_sort(struct rows *rs)
{
	qsort(rs->r, rs->n, sizeof(rs->r[0]), row_cmp);
	rs->sorted = rs->n;
}

/* The row of key, added (named key) when there is none. */
static struct cov_row *
row_of(struct rows *rs, const char *key)
{
	struct cov_row k, *r;

	memset(&k, 0, sizeof(k));
	memcpy(k.key, key, strnlen(key, sizeof(k.key) - 1));
	r = rs->sorted ? bsearch(&k, rs->r, rs->sorted, sizeof(k), row_cmp)
	               : NULL;
	for (size_t i = rs->sorted; r == NULL && i < rs->n; i++)
		if (strcmp(rs->r[i].key, k.key) == 0)
			r = &rs->r[i];
	return r != NULL ? r : row_add(rs, key, key);
}

/* A grade's place: its number ("3", "三年级": 3), 99 when none is read. */
static uint32_t
grade_rank(const char *g)
{
	static const char *const zh[] = {
	    "一", "二", "三", "四", "五", "六", "七", "八", "九"};

	if (*g >= '1' && *g <= '9')
		return (uint32_t) strtoul(g, NULL, 10);
	for (unsigned i = 0; i < 9; i++)
		if (strncmp(g, zh[i], strlen(zh[i])) == 0)
			return i + 1;
	return 99;
}

static int
class_fn(void *arg, const char *cls, const char *grade, uint32_t n_children)
{
	struct cov_row *r = row_add(arg, cls, cls);

	(void) n_children;
	if (r == NULL)
		return GU_ENOMEM;
	r->rank = grade_rank(grade);
	return 0;
}

/* The classes as shown: by grade, then by name. */
static int
shown_cmp(const void *a, const void *b)
{
	const struct cov_row *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
staff_fn(void *arg, const struct staff *st)
{
	if (!(st->roles & ROLE_MENTOR))
		return 0;
	return row_add(arg, st->id, st->name) == NULL ? GU_ENOMEM : 0;
}

/* ---- the last pre-holiday lecture ---- */

#define COV_LECTURES_MAX 256 /* closed lectures dated by today looked at */

struct lec_list {
	uint32_t today;
	size_t n;
	struct lec {
		uint64_t seq;
		uint32_t day;
	} l[COV_LECTURES_MAX];
};

static int
lec_fn(void *arg, const struct record *r, int open)
{
	struct lec_list *a = arg;
	uint32_t day = store_date_day(rec_str(r, F_DATE));

	if (open || day == 0 || day > a->today || a->n == COV_LECTURES_MAX)
		return 0;
	a->l[a->n].seq = r->seq;
	a->l[a->n].day = day;
	a->n++;
	return 0;
}

/* The holiday whose pre-holiday window day lies in, or NULL. */
static const struct cal_span *
window_of(const struct calendar *cal, uint32_t day)
{
	for (size_t i = 0; i < cal->n; i++) {
		const struct cal_span *h = &cal->span[i];
		if (h->kind == CAL_HOLIDAY && day < h->from &&
		    day >= cal_day_add(h->from, -COV_LECTURE_DAYS))
			return h;
	}
	return NULL;
}

static int
kid_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct child_summary *) elem)->child.id);
}

static const struct child_summary *
kid_of(const struct coverage *c, const char *id)
{
	if (id == NULL || c->n_kids == 0)
		return NULL;
	return bsearch(id, c->kids, c->n_kids, sizeof(c->kids[0]), kid_cmp);
}

static int
att_fn(void *arg, const char *cls, const char *child, uint64_t att_seq)
{
	struct coverage *c = arg;
	const struct child_summary *k = kid_of(c, child);

	(void) cls;
	(void) att_seq;
	if (k != NULL)
		c->marks[k - c->kids] |= COV_M_LECTURED;
	return 0;
}

/*
 * Finds the newest pre-holiday lecture, and marks the children present
 * at any closed lecture of its window.
 */
static int
lectures(struct store *s, const struct calendar *cal, struct coverage *c)
{
	struct lec_list *a = malloc(sizeof(*a));
	const struct cal_span *best = NULL;
	uint32_t best_day = 0;
	int rc;

	if (a == NULL)
		return GU_ENOMEM;
	a->today = c->today;
	a->n = 0;
	rc = store_lectures(s, 0, lec_fn, a);
	for (size_t i = 0; rc == GU_OK && i < a->n; i++) {
		const struct cal_span *h = window_of(cal, a->l[i].day);
		if (h != NULL && a->l[i].day > best_day) {
			best_day = a->l[i].day;
			best = h;
		}
	}
	if (best != NULL) {
		c->lec_holiday = best->holiday;
		c->lec_from = cal_day_add(best->from, -COV_LECTURE_DAYS);
		c->lec_to = cal_day_add(best->from, -1);
	}
	for (size_t i = 0; rc == GU_OK && best != NULL && i < a->n; i++)
		if (a->l[i].day >= c->lec_from && a->l[i].day <= c->lec_to)
			rc =
			    store_lecture_attendance(s, a->l[i].seq, att_fn, c);
	free(a);
	return rc;
}

/* ---- the open concerns ---- */

struct concern_arg {
	struct coverage *c;
	struct rows *cls, *men;
	int64_t now_ms;
};

static int
concern_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct concern_arg *a = arg;
	struct coverage *c = a->c;
	const struct child_summary *k;
	int64_t age = a->now_ms - r->time_ms;
	int b = age < 7 * DAY_MS ? COV_AGE_WEEK
	    : age < 30 * DAY_MS  ? COV_AGE_MONTH
	                         : COV_AGE_OLDER;
	struct cov_row *cr, *mr;

	(void) voided;
	k = kid_of(c, rec_child(r));
	if (k == NULL) {
		c->concerns_outside++;
		return 0;
	}
	cr = row_of(a->cls, k->child.class_name);
	mr = row_of(a->men, k->child.mentor_id);
	if (cr == NULL || mr == NULL)
		return GU_ENOMEM;
	c->school.concerns[b]++;
	cr->concerns[b]++;
	mr->concerns[b]++;
	return 0;
}

/* ---- the children ---- */

static int
children(struct store *s, struct coverage *c)
{
	size_t got = 0, cap = 1024, j = 0;
	int rc;

	for (;;) {
		c->kids = malloc(cap * sizeof(*c->kids));
		if (c->kids == NULL)
			return GU_ENOMEM;
		rc = store_mentor_children(s, NULL, c->kids, cap, &got);
		if (rc != GU_OK || got <= cap)
			break;
		free(c->kids);
		cap = got;
	}
	if (rc != GU_OK)
		return rc;
	for (size_t i = 0; i < got; i++)
		if (care_rules_in_care(&c->kids[i].child))
			c->kids[j++] = c->kids[i];
	c->n_kids = j;
	c->marks = calloc(j ? j : 1, 1);
	return c->marks == NULL ? GU_ENOMEM : GU_OK;
}

static void
count(struct cov_row *r, unsigned m)
{
	r->in_care++;
	r->contacted += (m & COV_M_CONTACTED) != 0;
	r->visited += (m & COV_M_VISITED) != 0;
	r->lectured += (m & COV_M_LECTURED) != 0;
}

static int
tally(struct coverage *c, const struct care_rules *rules, int64_t now_ms,
    struct rows *cls, struct rows *men)
{
	for (size_t i = 0; i < c->n_kids; i++) {
		const struct child_summary *k = &c->kids[i];
		struct cov_row *cr, *mr;
		if (k->last_contact_ms != 0 &&
		    now_ms - k->last_contact_ms < COV_CONTACT_DAYS * DAY_MS)
			c->marks[i] |= COV_M_CONTACTED;
		if (k->last_visit_ms != 0 &&
		    store_day_of(k->last_visit_ms, rules->tz_min) >=
		        c->term_start)
			c->marks[i] |= COV_M_VISITED;
		cr = row_of(cls, k->child.class_name);
		mr = row_of(men, k->child.mentor_id);
		if (cr == NULL || mr == NULL)
			return GU_ENOMEM;
		count(&c->school, c->marks[i]);
		count(cr, c->marks[i]);
		count(mr, c->marks[i]);
	}
	return GU_OK;
}

/* Drops the classes with no child in care, keeping the order. */
static void
drop_empty(struct rows *rs)
{
	size_t j = 0;

	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].in_care != 0)
			rs->r[j++] = rs->r[i];
	rs->n = j;
}

int
coverage_compute(struct store *s, const struct care_rules *rules,
    int64_t now_ms, struct coverage *out)
{
	struct rows cls = {NULL, 0, 0, 0}, men = {NULL, 0, 0, 0};
	struct concern_arg ca = {out, &cls, &men, now_ms};
	struct calendar def;
	const struct calendar *cal = rules->cal;
	int rc;

	memset(out, 0, sizeof(*out));
	out->today = store_day_of(now_ms, rules->tz_min);
	out->term_start = care_rules_term_start(rules, now_ms);
	if (cal == NULL) {
		calendar_default(&def, out->today);
		cal = &def;
	}
	rc = store_classes(s, class_fn, &cls);
	if (rc == GU_OK) {
		rows_sort(&cls);
		rc = store_staff_list(s, staff_fn, &men);
	}
	if (rc == GU_OK) {
		rows_sort(&men);
		rc = children(s, out);
	}
	if (rc == GU_OK)
		rc = lectures(s, cal, out);
	if (rc == GU_OK)
		rc = tally(out, rules, now_ms, &cls, &men);
	if (rc == GU_OK)
		rc = store_open_concerns(s, concern_fn, &ca);
	drop_empty(&cls);
	if (cls.n > 0)
		qsort(cls.r, cls.n, sizeof(cls.r[0]), shown_cmp);
	out->cls = cls.r;
	out->n_cls = cls.n;
	out->men = men.r;
	out->n_men = men.n;
	return rc;
}

void
coverage_free(struct coverage *c)
{
	free(c->cls);
	free(c->men);
	free(c->kids);
	free(c->marks);
	memset(c, 0, sizeof(*c));
}

int
coverage_in_row(const struct coverage *c, int by_mentor,
    const struct cov_row *row, size_t i)
{
	const struct child *k = &c->kids[i].child;

	return strcmp(by_mentor ? k->mentor_id : k->class_name, row->key) == 0;
}
