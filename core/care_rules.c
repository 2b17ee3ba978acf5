/*
 * care_rules.c: the one definition of a child in care (care_rules.h).
 */
#include "care_rules.h"

int
care_rules_in_care(const struct child *c)
{
	return c->active && (c->categories != 0 || c->mentor_id[0] != '\0');
}
