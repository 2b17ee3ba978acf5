/*
 * care.h: a mentor's children sorted by who needs him, the rules for who
 * may see a child's file, and opening it (which is itself recorded).
 *
 * Ordering of a mentor's home (issue: 导师 home): children with an open
 * urgent concern first, then other open concerns, then the overdue (no
 * contact within contact_days, or no home visit since the term began),
 * then the rest; within each group the longest without contact first.
 *
 * Privacy: the rows carry categories and guardian details; they go only to
 * screens shown after a staff sign-in, and only for that staff member's
 * own children (the headteacher sees all): care_may_see() is the rule.
 */
#ifndef GU_CARE_H
#define GU_CARE_H

#include <stdint.h>

#include "calendar.h"
#include "coverage.h"
#include "staff_auth.h"
#include "store.h"
#include "tasks.h"

#define CARE_ROWS_MAX 2048

struct care_policy {
	int contact_days;        /* overdue after this many days: 14 */
	uint32_t term_start_day; /* YYYYMMDD; 0: derived from the date */
	int tz_min;
	struct calendar cal; /* the school's, or the default; n 0: none */
};

void care_policy_default(struct care_policy *p);

/*
 * Loads the school calendar from the store into p->cal, or the default
 * one (cal.is_default) when the school has none or it cannot be read.
 */
void care_policy_calendar(
    struct store *s, struct care_policy *p, int64_t now_ms);

enum care_need {
	CARE_URGENT = 0,  /* an open urgent concern */
	CARE_CONCERN = 1, /* another open concern */
	CARE_OVERDUE = 2, /* no contact lately or no visit this term */
	CARE_OK = 3
};

struct care_row {
	struct child_summary s;
	enum care_need need;
	int contact_overdue;    /* no contact within contact_days */
	int visit_due;          /* no home visit since the term began */
	int days_since_contact; /* -1: never */
};

/* Whether row r's child is overdue (care_rules_overdue in core): what
 * every screen counts as 逾期, whatever else the child needs. */
int care_row_overdue(const struct care_row *r);

/*
 * The first day of the current school term at now_ms: the policy's
 * term_start_day if set, else 1 September for September to January and
 * 15 February for February to August.  YYYYMMDD.
 */
uint32_t care_term_start(const struct care_policy *p, int64_t now_ms);

/*
 * The children of the signed-in staff member (for a headteacher the
 * children in care, care_rules_in_care(), and any other with an open
 * concern; his own for a mentor), sorted by need, overdue by the core's
 * rules (care_rules.h).  At most max rows are written; *n gets how many.
 */
int care_rows(struct store *s, const struct care_policy *p, int64_t now_ms,
    const struct auth_session *ses, struct care_row *out, size_t max,
    size_t *n);

/*
 * What is due (tasks.h) under the policy (its calendar: load it first
 * with care_policy_calendar): a mentor's for his children, or, for a
 * headteacher, the school's (the pre-holiday lecture, escalated urgent
 * concerns).  At most max; *n gets how many there are in all.
 */
int care_tasks(struct store *s, const struct care_policy *p, int64_t now_ms,
    const struct auth_session *ses, struct task *out, size_t max, size_t *n);
int care_head_tasks(struct store *s, const struct care_policy *p,
    int64_t now_ms, struct task *out, size_t max, size_t *n);

/*
 * The headteacher's coverage view (coverage.h, docs/coverage.md) under
 * the policy (its calendar: load it first with care_policy_calendar):
 * GU_EPERM, and out empty, unless ses is a headteacher's.  out owns its
 * arrays: coverage_free() them.
 */
int care_coverage(struct store *s, const struct care_policy *p, int64_t now_ms,
    const struct auth_session *ses, struct coverage *out);

/*
 * The record seq of child's file for ses (the plan of its summary):
 * GU_EPERM unless care_may_see(), GU_ENOTFOUND when it is not the
 * child's or is voided.
 */
int care_child_record(struct store *s, const struct auth_session *ses,
    const char *child_id, uint64_t seq, struct record *out);

/* Whether ses may see child's file and sensitive details. */
int care_may_see(
    struct store *s, const struct auth_session *ses, const char *child_id);

/*
 * Opens child's file for ses: checks care_may_see() (GU_EPERM if not) and
 * appends the REC_FILE_VIEW audit record before anything is shown.
 */
int care_open_file(struct store *s, const struct care_policy *p, int64_t now_ms,
    const struct auth_session *ses, const char *child_id);

/*
 * Reads child's file for ses as store_child_file() does (newest first,
 * records before before_seq, 0: from the newest; fn's returns likewise).
 * GU_EPERM, and no record read, unless care_may_see().  The screens'
 * only way to a child's records.
 */
int care_file_page(struct store *s, const struct auth_session *ses,
    const char *child_id, uint64_t before_seq, store_rec_fn fn, void *arg);

/* Child's summary (categories, guardian, counts) for ses; GU_EPERM, and
 * *out zeroed, unless care_may_see(). */
int care_child_summary(struct store *s, const struct auth_session *ses,
    const char *child_id, struct child_summary *out);

/*
 * Whether the child logged a session with mentor_id on the local day of
 * time_ms (a student_log that stands): the mentor's check-in is then shown
 * as confirmed by the child.  Walks the child's file back to that day only.
 */
int care_confirmed_by_child(struct store *s, const char *child_id,
    const char *mentor_id, int64_t time_ms, int tz_min);

/*
 * What a child asked his mentor for, quietly, on the student screens: a
 * talk request (我想找老师说说话, REC_TALK_REQUEST) or a 很难过 (feeling 1)
 * in his own log, within the last CARE_NOTICE_DAYS days and not yet
 * answered by a check-in or a home visit (by anyone) after it.  A pure
 * function of the records: nothing to clear by hand, and a voided
 * request no longer shows.
 */
#define CARE_NOTICE_DAYS 14
enum care_notice_kind { CARE_N_TALK = 0, CARE_N_SAD = 1 };
struct care_notice {
	struct child child;
	enum care_notice_kind kind;
	int64_t time_ms;
};

/*
 * The notices of rows' children (care_rows(): only the signed-in staff
 * member's own, or the head's), newest first, at most max; *n gets how
 * many.  Each child's file is read back to the newest contact only.
 */
int care_notices(struct store *s, int64_t now_ms, const struct care_row *rows,
    size_t n_rows, struct care_notice *out, size_t max, size_t *n);

/*
 * The district's word on the open urgent concerns of rows' children
 * (care_rows(): the head's): for each such concern, newest first, the
 * newest REC_ACK of it (docs/district.md, "The ack file"), or none
 * (acked 0).  At most max; *n gets how many.  Staff only: an ack is as
 * sensitive as the concern.
 */
struct care_ack {
	struct child child;
	uint64_t concern; /* its seq */
	int acked;        /* 0: the district has not acknowledged it yet */
	char date[11];    /* F_ACK_AT */
	char outcome[12]; /* F_OUTCOME's word */
};
int care_acks(struct store *s, const struct care_row *rows, size_t n_rows,
    struct care_ack *out, size_t max, size_t *n);

#endif
