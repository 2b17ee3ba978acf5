/*
 * care_rules.c: the one definition of a child in care and of overdue
 * (care_rules.h).
 */
#include <stddef.h>

#include "calendar.h"
#include "care_rules.h"

#define DAY_MS 86400000LL

int
care_rules_in_care(const struct child *c)
{
	return c->active && (c->categories != 0 || c->mentor_id[0] != '\0');
}

uint32_t
care_rules_term_start(const struct care_rules *r, int64_t now_ms)
{
	uint32_t today = store_day_of(now_ms, r->tz_min);
	uint32_t y = today / 10000, m = today / 100 % 100;

	if (r->term_start_day)
		return r->term_start_day;
	if (r->cal != NULL && calendar_term_start(r->cal, today) != 0)
		return calendar_term_start(r->cal, today);
	if (m >= 9)
		return y * 10000 + 901;
	if (m == 1 || (m == 2 && today % 100 < 15))
		return (y - 1) * 10000 + 901;
	return y * 10000 + 215;
}

static int
in_holiday(const struct care_rules *r, int64_t now_ms)
{
	return r->cal != NULL &&
	    calendar_holiday_at(r->cal, store_day_of(now_ms, r->tz_min)) !=
	    NULL;
}

static int
cadence_days(const struct care_rules *r, const struct child_summary *s)
{
	return s->focus && r->contact_days > CARE_RULES_FOCUS_DAYS
	    ? CARE_RULES_FOCUS_DAYS
	    : r->contact_days;
}

int64_t
care_rules_contact_due(const struct care_rules *r,
    const struct child_summary *s, int64_t now_ms, int *phone)
{
	int64_t due;
	int hol = in_holiday(r, now_ms);

	if (phone != NULL)
		*phone = hol;
	if (!care_rules_in_care(&s->child))
		return 0;
	due = s->last_contact_ms
	    ? s->last_contact_ms + (int64_t) cadence_days(r, s) * DAY_MS
	    : cal_day_start_ms(care_rules_term_start(r, now_ms), r->tz_min);
	if (hol && due <= now_ms)
		due = now_ms + 1;
	return due;
}

int
care_rules_overdue(const struct care_rules *r, const struct child_summary *s,
    int64_t now_ms, int *days_since_contact)
{
	int days = s->last_contact_ms
	    ? (int) ((now_ms - s->last_contact_ms) / DAY_MS)
	    : -1;
	int due = 0;

	if (days_since_contact != NULL)
		*days_since_contact = days;
	if (!care_rules_in_care(&s->child) || in_holiday(r, now_ms))
		return 0;
	if (days < 0 || days >= cadence_days(r, s))
		due |= CARE_RULES_NO_CONTACT;
	if (s->last_visit_ms == 0 ||
	    store_day_of(s->last_visit_ms, r->tz_min) <
	        care_rules_term_start(r, now_ms))
		due |= CARE_RULES_NO_VISIT;
	return due;
}
