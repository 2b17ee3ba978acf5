/*
 * json.c: records as JSON lines (json.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "status.h"
#include "store.h"

int
json_string(struct buf *b, const char *s)
{
	int rc = buf_addc(b, '"');
	const char *run = s;

	/* Copy runs of plain bytes at once; escape the rest. */
	for (; rc == GU_OK; s++) {
		unsigned char c = (unsigned char) *s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (s > run)
			rc = buf_add(b, run, (size_t) (s - run));
		if (rc != GU_OK || c == '\0')
			break;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char) c};
			rc = buf_add(b, e, 2);
		} else {
			rc = buf_printf(b, "\\u%04x", c);
		}
		run = s + 1;
	}
	if (rc == GU_OK)
		rc = buf_addc(b, '"');
	return rc;
}

/* Appends n in decimal. */
static int
json_int(struct buf *b, int64_t n)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	uint64_t u = n < 0 ? (uint64_t) 0 - (uint64_t) n : (uint64_t) n;

	do {
		tmp[--i] = (char) ('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		tmp[--i] = '-';
	return buf_add(b, tmp + i, sizeof(tmp) - i);
}

void
json_time(char out[40], int64_t time_ms, int tz_min)
{
	int64_t local = time_ms + (int64_t) tz_min * 60000;
	int64_t secs = local / 1000 - (local % 1000 < 0);
	int ms = (int) (local - secs * 1000);
	uint32_t day = store_day_of(time_ms, tz_min);
	int64_t sod = secs % 86400;
	int off = tz_min < 0 ? -tz_min : tz_min;

	if (sod < 0)
		sod += 86400;
	snprintf(out, 40, "%04u-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d",
	    day / 10000, day / 100 % 100, day % 100, (int) (sod / 3600),
	    (int) (sod / 60 % 60), (int) (sod % 60), ms, tz_min < 0 ? '-' : '+',
	    off / 60, off % 60);
}

/* Appends a ',' or ';' separated value as an array of strings. */
static int
json_array(struct buf *b, const char *v, char sep)
{
	char item[REC_VALUE_MAX + 1];
	int rc = buf_addc(b, '[');
	int first = 1;

	while (rc == GU_OK && *v) {
		const char *e = strchr(v, sep);
		size_t l = e ? (size_t) (e - v) : strlen(v);
		memcpy(item, v, l);
		item[l] = '\0';
		if (!first)
			rc = buf_addc(b, ',');
		if (rc == GU_OK)
			rc = json_string(b, item);
		first = 0;
		v += l + (e != 0);
	}
	if (rc == GU_OK)
		rc = buf_addc(b, ']');
	return rc;
}

int
json_record(
    struct buf *b, const struct record *r, const struct json_extra *extra)
{
	char t[40];
	int rc;

	json_time(t, r->time_ms, r->tz_min);
	rc = buf_printf(b,
	    "{\"seq\":%" PRIu64 ",\"kind\":\"%s\",\"device\":\"%s\","
	    "\"epoch\":\"%016" PRIx64 "\",\"time\":\"%s\","
	    "\"clock_synced\":%s,\"author\":\"%s\",\"by\":\"%s\"",
	    r->seq, rec_kind_name(r->kind), r->device, r->epoch, t,
	    (r->flags & REC_FLAG_CLOCK_SYNCED) ? "true" : "false", r->author,
	    (r->flags & REC_FLAG_BY_STUDENT) ? "student" : "staff");
	for (int f = 1; rc == GU_OK && f < REC_F_MAX; f++) {
		const struct rec_field_info *fi = rec_field_info(f);
		if (!rec_has(r, f))
			continue;
		rc = buf_add(b, ",\"", 2);
		if (rc == GU_OK)
			rc = buf_adds(b, fi->name);
		if (rc == GU_OK)
			rc = buf_add(b, "\":", 2);
		if (rc != GU_OK)
			break;
		switch (fi->type) {
		case T_INT:
		case T_REF:
			rc = json_int(b, rec_int(r, f, 0));
			break;
		case T_BOOL:
			rc = buf_adds(b, rec_int(r, f, 0) ? "true" : "false");
			break;
		case T_SET:
			rc = json_array(b, rec_str(r, f), ',');
			break;
		case T_LIST:
			rc = json_array(b, rec_str(r, f), ';');
			break;
		default:
			rc = json_string(b, rec_str(r, f));
			break;
		}
		if (rc == GU_OK && f == F_CHILD && extra && extra->child_name) {
			rc = buf_adds(b, ",\"child_name\":");
			if (rc == GU_OK)
				rc = json_string(b, extra->child_name);
		}
	}
	if (rc == GU_OK && extra && extra->voided_by)
		rc = buf_printf(b, ",\"voided_by\":%" PRIu64, extra->voided_by);
	if (rc == GU_OK)
		rc = buf_adds(b, "}\n");
	return rc;
}
