/*
 * json.h: the JSON form of a record, as `guanai-sync dump` prints it and
 * as batches carry it (docs/batch-format.md): one object per line, keys in
 * a fixed order, so the same record always gives the same bytes.
 *
 *   {"seq":12,"kind":"checkin","device":"kiosk-01",
 *    "epoch":"9f2c4e1a0b7d3e55","time":"2026-03-02T08:15:00.123+08:00",
 *    "clock_synced":true,"author":"T001","by":"staff",
 *    "child":"G2015001","child_name":"王小明",
 *    "type":"talk","mood":4,"concerns":["study"]}
 *
 * epoch is 16 hex digits (a u64 does not fit a JSON number exactly).
 * "by" is "staff" or "student".  Then the kind's fields in tag order:
 * INT, REF as numbers, BOOL as true/false, SET and LIST as arrays of
 * strings, the rest as strings.  "urgent" appears for concerns.
 * Optional extras, when given: "child_name" after "child", and
 * "voided_by" (the seq of the void) last.
 */
#ifndef GU_JSON_H
#define GU_JSON_H

#include <stdint.h>

#include "buf.h"
#include "record.h"

struct json_extra {
	const char *child_name; /* NULL: no child_name key */
	uint64_t voided_by;     /* 0: no voided_by key */
};

/*
 * Appends r as one JSON object and a '\n' to b.  extra may be NULL.
 * On error (GU_ETOOBIG, GU_ENOMEM) b may hold part of the line: the
 * caller drops it by resetting len.
 */
int json_record(
    struct buf *b, const struct record *r, const struct json_extra *extra);

/* Appends s as a JSON string, quotes included. */
int json_string(struct buf *b, const char *s);

/* Formats time_ms at offset tz_min as 2026-03-02T08:15:00.123+08:00. */
void json_time(char out[40], int64_t time_ms, int tz_min);

#endif
