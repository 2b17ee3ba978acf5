/*
 * care_rules.h: who the school cares for and who is overdue, in one place.
 *
 * Every screen, command and ledger that counts or lists "the children in
 * care" asks care_rules_in_care(): a child is in care when the roster
 * gives it a category (留守, 困境) or a growth mentor.  Inactive children
 * (gone from the latest roster) are never in care.
 *
 * A child in care is overdue (逾期) when it has had no contact (a
 * check-in or a home visit that stands) for contact_days days, or no
 * home visit since the term began; care_rules_overdue() says which.  A
 * child not in care is never overdue.  The headteacher's count, the
 * whole-school list and a mentor's home all count the same children.
 */
#ifndef GU_CARE_RULES_H
#define GU_CARE_RULES_H

#include <stdint.h>

#include "store.h"

#define CARE_RULES_CONTACT_DAYS 14 /* the default of contact_days */
#define CARE_RULES_FOCUS_DAYS 7    /* for a child marked 重点关注 */

/* What care_rules_overdue() finds, as bits. */
#define CARE_RULES_NO_CONTACT 1 /* no contact within contact_days */
#define CARE_RULES_NO_VISIT 2   /* no home visit this term */

struct calendar;

struct care_rules {
	int contact_days;        /* overdue after this many days */
	uint32_t term_start_day; /* YYYYMMDD; 0: derived from the date */
	int tz_min;              /* the school's offset from UTC */
	/*
	 * The school calendar (calendar.h), or NULL.  With one, the term
	 * starts as the calendar says (unless term_start_day is set), and
	 * in a holiday nobody is overdue: contact is then a phone call
	 * (亲情电话), and a visit waits for the term.
	 */
	const struct calendar *cal;
};

/* 1 when c is an active child with a category or a mentor, else 0. */
int care_rules_in_care(const struct child *c);

/*
 * The first day of the current school term at now_ms: the rules'
 * term_start_day if set, else 1 September for September to January and
 * 15 February for February to August.  YYYYMMDD.
 */
uint32_t care_rules_term_start(const struct care_rules *r, int64_t now_ms);

/*
 * When the child of summary s is next due for contact: the last contact
 * plus contact_days (CARE_RULES_FOCUS_DAYS for a child marked 重点关注,
 * if fewer), ms; the start of the term's first day when there never was
 * one.  In a holiday of r->cal, *phone (if not NULL) is set to 1 (the
 * contact is a phone call) and the due time is never before now_ms + 1
 * (nobody is late in a holiday); else 0.  0 for a child not in care.
 */
int64_t care_rules_contact_due(const struct care_rules *r,
    const struct child_summary *s, int64_t now_ms, int *phone);

/*
 * What is overdue for the child of summary s at now_ms: 0 (in time, or
 * not in care), or CARE_RULES_NO_CONTACT and/or CARE_RULES_NO_VISIT.
 * *days_since_contact (if not NULL) gets whole days since the last
 * contact, -1 when there never was one.  A contact is overdue from
 * care_rules_contact_due(); nothing is overdue in a holiday.
 */
int care_rules_overdue(const struct care_rules *r,
    const struct child_summary *s, int64_t now_ms, int *days_since_contact);

#endif
