/*
 * care.c: who needs the mentor first, who may see what, and the file-view
 * audit (care.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care.h"
#include "care_rules.h"
#include "status.h"

void
care_policy_default(struct care_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->contact_days = 14;
	p->tz_min = 480;
}

/* The policy as the core's rules (care_rules.h). */
static struct care_rules
rules_of(const struct care_policy *p)
{
	struct care_rules r = {p->contact_days, p->term_start_day, p->tz_min,
	    p->cal.n ? &p->cal : NULL};

	return r;
}

void
care_policy_calendar(struct store *s, struct care_policy *p, int64_t now_ms)
{
	if (store_calendar_get(s, &p->cal) != GU_OK)
		calendar_default(&p->cal, store_day_of(now_ms, p->tz_min));
}

uint32_t
care_term_start(const struct care_policy *p, int64_t now_ms)
{
	struct care_rules r = rules_of(p);

	return care_rules_term_start(&r, now_ms);
}

int
care_row_overdue(const struct care_row *r)
{
	return r->contact_overdue || r->visit_due;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct care_row *x = a, *y = b;

	if (x->need != y->need)
		return (int) x->need - (int) y->need;
	/* The longest without contact first; never contacted before all. */
	if (x->s.last_contact_ms != y->s.last_contact_ms)
		return x->s.last_contact_ms < y->s.last_contact_ms ? -1 : 1;
	return strcmp(x->s.child.id, y->s.child.id);
}

int
care_rows(struct store *s, const struct care_policy *p, int64_t now_ms,
    const struct auth_session *ses, struct care_row *out, size_t max, size_t *n)
{
	struct child_summary *cs;
	struct care_rules rules = rules_of(p);
	const char *mentor = (ses->roles & ROLE_HEAD) ? 0 : ses->staff_id;
	size_t got = 0, i, kept = 0;
	int rc, due;

	*n = 0;
	if (max > CARE_ROWS_MAX)
		max = CARE_ROWS_MAX;
	cs = calloc(max ? max : 1, sizeof(*cs));
	if (cs == 0)
		return GU_ENOMEM;
	rc = store_mentor_children(s, mentor, cs, max, &got);
	if (rc != GU_OK)
		goto out;
	if (got > max)
		got = max;
	for (i = 0; i < got; i++) {
		struct care_row *r = &out[kept];
		/* The whole school's list is the children in care (and any
		 * child with an open concern); a mentor's are in care by
		 * having him. */
		if (!care_rules_in_care(&cs[i].child) &&
		    cs[i].open_concerns == 0)
			continue;
		memset(r, 0, sizeof(*r));
		r->s = cs[i];
		due = care_rules_overdue(
		    &rules, &cs[i], now_ms, &r->days_since_contact);
		r->contact_overdue = (due & CARE_RULES_NO_CONTACT) != 0;
		r->visit_due = (due & CARE_RULES_NO_VISIT) != 0;
		r->need = cs[i].open_urgent ? CARE_URGENT
		    : cs[i].open_concerns   ? CARE_CONCERN
		    : due != 0              ? CARE_OVERDUE
		                            : CARE_OK;
		kept++;
	}
	got = kept;
	qsort(out, got, sizeof(*out), row_cmp);
	*n = got;
out:
	free(cs);
	return rc;
}

int
care_tasks(struct store *s, const struct care_policy *p, int64_t now_ms,
    const struct auth_session *ses, struct task *out, size_t max, size_t *n)
{
	struct care_rules rules = rules_of(p);

	*n = 0;
	if (ses->staff_id[0] == '\0' || ses->must_change_pin)
		return GU_EPERM;
	return tasks_for_mentor(s, &rules, ses->staff_id, now_ms, out, max, n);
}

int
care_head_tasks(struct store *s, const struct care_policy *p, int64_t now_ms,
    struct task *out, size_t max, size_t *n)
{
	struct care_rules rules = rules_of(p);

	return tasks_for_head(s, &rules, now_ms, out, max, n);
}

int
care_coverage(struct store *s, const struct care_policy *p, int64_t now_ms,
    const struct auth_session *ses, struct coverage *out)
{
	struct care_rules rules = rules_of(p);

	memset(out, 0, sizeof(*out));
	if (ses->staff_id[0] == '\0' || ses->must_change_pin ||
	    !(ses->roles & ROLE_HEAD))
		return GU_EPERM;
	return coverage_compute(s, &rules, now_ms, out);
}

int
care_child_record(struct store *s, const struct auth_session *ses,
    const char *child_id, uint64_t seq, struct record *out)
{
	const char *c;
	int rc;

	if (!care_may_see(s, ses, child_id))
		return GU_EPERM;
	if (seq == 0 || store_voided_by(s, seq) != 0)
		return GU_ENOTFOUND;
	rc = store_get(s, seq, out);
	if (rc != GU_OK)
		return rc;
	c = rec_child(out);
	return c != NULL && strcmp(c, child_id) == 0 ? GU_OK : GU_ENOTFOUND;
}

int
care_may_see(
    struct store *s, const struct auth_session *ses, const char *child_id)
{
	struct child ch;

	if (ses == 0 || ses->staff_id[0] == '\0' || ses->must_change_pin)
		return 0;
	if (store_child_get(s, child_id, &ch) != GU_OK)
		return 0;
	if (ses->roles & ROLE_HEAD)
		return 1;
	return (ses->roles & ROLE_MENTOR) &&
	    strcmp(ch.mentor_id, ses->staff_id) == 0;
}

int
care_file_page(struct store *s, const struct auth_session *ses,
    const char *child_id, uint64_t before_seq, store_rec_fn fn, void *arg)
{
	if (!care_may_see(s, ses, child_id))
		return GU_EPERM;
	return store_child_file(s, child_id, before_seq, fn, arg);
}

int
care_child_summary(struct store *s, const struct auth_session *ses,
    const char *child_id, struct child_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (!care_may_see(s, ses, child_id))
		return GU_EPERM;
	return store_child_summary(s, child_id, out);
}

int
care_open_file(struct store *s, const struct care_policy *p, int64_t now_ms,
    const struct auth_session *ses, const char *child_id)
{
	struct record r;
	char why[128];

	if (!care_may_see(s, ses, child_id))
		return GU_EPERM;
	rec_init(&r, REC_FILE_VIEW);
	r.time_ms = now_ms;
	r.tz_min = (int16_t) p->tz_min;
	snprintf(r.author, sizeof(r.author), "%s", ses->staff_id);
	rec_set_str(&r, F_CHILD, child_id);
	return store_append(s, &r, why, sizeof(why));
}

struct confirm_arg {
	const char *mentor;
	uint32_t day;
	int tz_min;
	int found;
};

static int
confirm_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct confirm_arg *a = arg;
	uint32_t day = store_day_of(r->time_ms, a->tz_min);

	if (day < a->day)
		return 1; /* older than that day: stop */
	if (day == a->day && r->kind == REC_STUDENT_LOG && !voided &&
	    strcmp(rec_str(r, F_MENTOR), a->mentor) == 0) {
		a->found = 1;
		return 1;
	}
	return 0;
}

int
care_confirmed_by_child(struct store *s, const char *child_id,
    const char *mentor_id, int64_t time_ms, int tz_min)
{
	struct confirm_arg a = {
	    mentor_id, store_day_of(time_ms, tz_min), tz_min, 0};

	store_child_file(s, child_id, 0, confirm_fn, &a);
	return a.found;
}

struct notice_arg {
	int64_t since_ms;
	int found; /* -1 none, else enum care_notice_kind */
	int64_t time_ms;
};

static int
notice_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct notice_arg *a = arg;
	int kind;

	if (task_ask_step(r, voided, a->since_ms, &kind))
		return 1;
	if (kind == TASK_NONE)
		return 0;
	a->found = kind == TASK_TALK ? CARE_N_TALK : CARE_N_SAD;
	a->time_ms = r->time_ms;
	return 1;
}

int
care_notices(struct store *s, int64_t now_ms, const struct care_row *rows,
    size_t n_rows, struct care_notice *out, size_t max, size_t *n)
{
	struct notice_arg a;
	struct care_notice t;
	size_t i, j;
	int rc;

	*n = 0;
	for (i = 0; i < n_rows; i++) {
		a.since_ms = now_ms - (int64_t) CARE_NOTICE_DAYS * 86400000LL;
		a.found = -1;
		a.time_ms = 0;
		rc = store_child_file(s, rows[i].s.child.id, 0, notice_fn, &a);
		if (rc != GU_OK && rc != 1)
			return rc;
		if (a.found < 0 || *n >= max)
			continue;
		t.child = rows[i].s.child;
		t.kind = (enum care_notice_kind) a.found;
		t.time_ms = a.time_ms;
		/* Newest first. */
		for (j = *n; j > 0 && out[j - 1].time_ms < t.time_ms; j--)
			out[j] = out[j - 1];
		out[j] = t;
		(*n)++;
	}
	return GU_OK;
}

/* ---- the district's acknowledgements (issue 15) ---- */

struct acks_arg {
	const struct care_row *rows;
	size_t n_rows;
	struct care_ack *out;
	size_t max, *n;
};

/* The child's file, newest first, down to the concern: its newest ack. */
static int
ack_find_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct care_ack *a = arg;
	const char *d = rec_str(r, F_ACK_AT), *o = rec_str(r, F_OUTCOME);

	if (r->seq <= a->concern)
		return 1; /* nothing older can name it */
	if (voided || r->kind != REC_ACK ||
	    (uint64_t) rec_int(r, F_CONCERN, 0) != a->concern)
		return 0;
	a->acked = 1;
	snprintf(a->date, sizeof(a->date), "%s", d != NULL ? d : "");
	snprintf(a->outcome, sizeof(a->outcome), "%s", o != NULL ? o : "");
	return 1;
}

static int
open_urgent_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct acks_arg *a = arg;
	const char *c = rec_child(r);
	struct care_ack *t;

	if (voided || !(r->flags & REC_FLAG_URGENT) || c == NULL)
		return 0;
	if (*a->n >= a->max)
		return 1;
	for (size_t i = 0; i < a->n_rows; i++) {
		if (strcmp(a->rows[i].s.child.id, c) != 0)
			continue;
		t = &a->out[*a->n];
		memset(t, 0, sizeof(*t));
		t->child = a->rows[i].s.child;
		t->concern = r->seq;
		(*a->n)++;
		break;
	}
	return 0;
}

int
care_acks(struct store *s, const struct care_row *rows, size_t n_rows,
    struct care_ack *out, size_t max, size_t *n)
{
	struct acks_arg a = {rows, n_rows, out, max, n};
	int rc;

	*n = 0;
	rc = store_open_concerns(s, open_urgent_fn, &a);
	if (rc != GU_OK && rc != 1)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		rc = store_child_file(
		    s, out[i].child.id, 0, ack_find_fn, &out[i]);
		if (rc != GU_OK && rc != 1)
			return rc;
	}
	return GU_OK;
}
