/*
 * demo.h: guanai-demo makes a synthetic school: a roster of invented
 * children and staff (written as the CSV files a school would export, then
 * imported through roster.c) and a term of records of every kind (appended
 * through the store).  Deterministic for a given seed and today.
 */
#ifndef GU_DEMO_H
#define GU_DEMO_H

#include <stdint.h>
#include <stdio.h>

#define DEMO_PIN_HEAD "9999"  /* the headteacher, T0001 */
#define DEMO_PIN_STAFF "1234" /* every other demo staff member */

struct demo_opts {
	unsigned children; /* roster size */
	uint64_t records;  /* at most this many records; 0: a term */
	uint64_t seed;
	int64_t today_ms; /* the term ends the day before this */
	const char *school_name;
	const char *school_id;       /* NULL: S430603001 */
	unsigned long long opslimit; /* PIN hash cost (0: interactive) */
	size_t memlimit;
};

/*
 * Creates the demo store in dir (which must not hold one), writing the
 * roster CSVs into dir/demo-roster/.  Progress and problems go to log.
 * Returns GU_OK or the first error; a failed demo may leave a partial
 * store, which the caller removes.
 */
int demo_create(const char *dir, const struct demo_opts *o, FILE *log);

#endif
