/*
 * coverage.h: the headteacher's view of coverage (覆盖情况), per class and
 * per mentor, counting only the children in care (care_rules_in_care):
 * how many were contacted in the last COV_CONTACT_DAYS days, visited at
 * home this term, present at the last pre-holiday safety lecture; their
 * open concerns by age; and each mentor's load.  docs/coverage.md says
 * each definition.
 *
 * A pure function of the records, like tasks.h: one summary read per
 * active child (store_mentor_children), the staff list, the classes, the
 * open concerns, the lectures and the attendance of the few lectures of
 * one pre-holiday window; never a walk of the log or of a child's file,
 * so it is flat in the size of the log.
 */
#ifndef GU_COVERAGE_H
#define GU_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

#include "care_rules.h"
#include "store.h"

#define COV_CONTACT_DAYS 30 /* contacted: within this many days */
#define COV_LECTURE_DAYS 30 /* a pre-holiday lecture: this close before */

/* An open concern's age, from its time to now. */
enum cov_age {
	COV_AGE_WEEK = 0,  /* under 7 days */
	COV_AGE_MONTH = 1, /* 7 to under 30 days */
	COV_AGE_OLDER = 2, /* 30 days and more */
	COV_AGES
};

/* What one child in care counts for (struct coverage.marks). */
#define COV_M_CONTACTED 1u /* a contact within COV_CONTACT_DAYS */
#define COV_M_VISITED 2u   /* a home visit this term */
#define COV_M_LECTURED 4u  /* present at the last pre-holiday lecture */

struct cov_row {
	char key[64];     /* the class's name, or the mentor's id ("": none) */
	char name[64];    /* the class's name, or the mentor's ("": none) */
	uint32_t in_care; /* children in care: for a mentor, his load */
	uint32_t contacted, visited, lectured; /* of in_care */
	uint32_t concerns[COV_AGES]; /* open concerns of in_care, by age */
	uint32_t rank; /* a class's grade as a number (99: not read) */
};

struct coverage {
	uint32_t today;      /* YYYYMMDD */
	uint32_t term_start; /* YYYYMMDD, care_rules_term_start() */
	/*
	 * The last pre-holiday lecture: the holiday (calendar.h's index) of
	 * the newest closed lecture dated on or before today within
	 * COV_LECTURE_DAYS days before a holiday's first day, and that
	 * window, [lec_from, lec_to]; lec_from 0 when none was ever held.
	 */
	uint8_t lec_holiday;
	uint32_t lec_from, lec_to;
	struct cov_row school;     /* every child in care */
	uint32_t concerns_outside; /* open concerns of children not in care */
	struct cov_row *cls;       /* classes with children in care, by grade
	                      * (rank) then name */
	size_t n_cls;
	struct cov_row *men; /* active mentors by id, then "" when any child
	                      * in care has none */
	size_t n_men;
	struct child_summary *kids; /* the children in care, in id order */
	uint8_t *marks;             /* COV_M_* of each of kids */
	size_t n_kids;
};

/*
 * The coverage at now_ms under rules (without a calendar, the default
 * one of calendar_default() finds the holidays).  out is filled and owns
 * its arrays: coverage_free() releases them (also after an error).
 */
int coverage_compute(struct store *s, const struct care_rules *rules,
    int64_t now_ms, struct coverage *out);
void coverage_free(struct coverage *c);

/* Whether kid i of c counts in row: a class's (by_mentor 0) or a
 * mentor's (1). */
int coverage_in_row(const struct coverage *c, int by_mentor,
    const struct cov_row *row, size_t i);

#endif
