/*
 * care_rules.h: who the school cares for, in one place.
 *
 * Every screen, command and ledger that counts or lists "the children in
 * care" asks care_rules_in_care(): a child is in care when the roster
 * gives it a category (留守, 困境) or a growth mentor.  Inactive children
 * (gone from the latest roster) are never in care.
 */
#ifndef GU_CARE_RULES_H
#define GU_CARE_RULES_H

#include "store.h"

/* 1 when c is an active child with a category or a mentor, else 0. */
int care_rules_in_care(const struct child *c);

#endif
