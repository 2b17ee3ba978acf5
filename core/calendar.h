/*
 * calendar.h: the school calendar (校历): terms and holidays, the text
 * format that describes them (docs/calendar.md) and the questions the
 * tasks ask of them (core/tasks.h).  Pure: no store, no clock; days are
 * YYYYMMDD numbers.
 */
#ifndef GU_CALENDAR_H
#define GU_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "kv.h"

#define CAL_FORMAT 1    /* the text format's `calendar = N` */
#define CAL_SPAN_MAX 64 /* terms and holidays of one calendar */
#define CAL_FILE_MAX 65536

enum cal_kind { CAL_TERM = 1, CAL_HOLIDAY = 2 };

struct cal_span {
	uint8_t kind;      /* enum cal_kind */
	uint8_t holiday;   /* CAL_HOLIDAY: index into the names table */
	uint32_t from, to; /* YYYYMMDD, both included */
};

struct calendar {
	int is_default; /* made by calendar_default(): no school calendar */
	size_t n;
	struct cal_span span[CAL_SPAN_MAX]; /* sorted by from */
};

/* The holidays a calendar may name: their word and Chinese name. */
size_t cal_holiday_count(void);
const char *cal_holiday_word(unsigned i);
const char *cal_holiday_zh(unsigned i);

/*
 * Reads the calendar text (len bytes; name names it in messages).  Every
 * problem goes to err as (name, line, message); GU_OK or GU_EINVAL (out
 * is then undefined), GU_ETOOBIG past CAL_FILE_MAX.
 */
int calendar_parse(const char *name, const char *text, size_t len,
    struct calendar *out, kv_err_fn err, void *err_arg);

/*
 * calendar_parse() on the file at path (which names it in messages); a
 * file that cannot be read is GU_EIO, reported with line 0.
 */
int calendar_parse_file(
    const char *path, struct calendar *out, kv_err_fn err, void *err_arg);

/* The default calendar around the year of day (docs/calendar.md). */
void calendar_default(struct calendar *c, uint32_t day);

/* Checks a decoded calendar: sorted, no overlaps, real days.  0 or 1. */
int calendar_ok(const struct calendar *c);

/* The holiday that day lies in, or NULL. */
const struct cal_span *calendar_holiday_at(
    const struct calendar *c, uint32_t day);
/*
 * The first school day after day: Monday to Friday and in no holiday of
 * c (c may be NULL: weekdays only).  Days the calendar does not know of
 * count as school days; a year without one gives day + 1.
 */
uint32_t calendar_next_school_day(const struct calendar *c, uint32_t day);
/* The first holiday that starts after day, or NULL. */
const struct cal_span *calendar_next_holiday(
    const struct calendar *c, uint32_t day);
/*
 * The first day of the term day lies in, or of the last term that began
 * before it; 0 when none did.
 */
uint32_t calendar_term_start(const struct calendar *c, uint32_t day);

/* Day arithmetic on YYYYMMDD (proleptic Gregorian). */
uint32_t cal_day_add(uint32_t day, int n);
int cal_days_between(uint32_t from, uint32_t to); /* to - from, in days */
int cal_weekday(uint32_t day);                    /* 0 Monday .. 6 Sunday */
/* A "YYYY-MM-DD" (rec_date_ok) as YYYYMMDD; 0 when NULL or malformed. */
uint32_t cal_date_day(const char *s);
/* Day of a time in a zone (minutes east of UTC), like store_day_of. */
uint32_t cal_day_of(int64_t time_ms, int tz_min);
/* Milliseconds of local midnight starting day, in the zone. */
int64_t cal_day_start_ms(uint32_t day, int tz_min);

#endif
