/*
 * care_rules.c: the one definition of a child in care and of overdue
 * (care_rules.h).
 */
#include <stddef.h>

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
	if (m >= 9)
		return y * 10000 + 901;
	if (m == 1 || (m == 2 && today % 100 < 15))
		return (y - 1) * 10000 + 901;
	return y * 10000 + 215;
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
	if (!care_rules_in_care(&s->child))
		return 0;
	if (days < 0 || days >= r->contact_days)
		due |= CARE_RULES_NO_CONTACT;
	if (s->last_visit_ms == 0 ||
	    store_day_of(s->last_visit_ms, r->tz_min) <
	        care_rules_term_start(r, now_ms))
		due |= CARE_RULES_NO_VISIT;
	return due;
}
