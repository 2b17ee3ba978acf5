/*
 * json.c: records as JSON lines (json.h).
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "status.h"
#include "store.h"

/*
 * The fixed keys of a record: the literal text (98 bytes), a seq (20
 * digits), a kind name (at most 32), two ids (GU_ID_LEN each), the epoch
 * (16), the time (json_time() needs 40) and some to spare.
 */
#define JSON_HEAD_MAX (98 + 20 + 32 + 2 * GU_ID_LEN + 16 + 40 + 64)

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
			/* A control byte: \u00XX, as "\\u%04x" would. */
			char e[6] = {'\\', 'u', '0', '0',
			    "0123456789abcdef"[c >> 4],
			    "0123456789abcdef"[c & 15]};
			rc = buf_add(b, e, 6);
		}
		run = s + 1;
	}
	if (rc == GU_OK)
		rc = buf_addc(b, '"');
	return rc;
}

/* Appends '-' if neg, then u in decimal. */
static int
json_dec(struct buf *b, int neg, uint64_t u)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char) ('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		tmp[--i] = '-';
	return buf_add(b, tmp + i, sizeof(tmp) - i);
}

/* Appends n in decimal. */
static int
json_int(struct buf *b, int64_t n)
{
	return json_dec(
	    b, n < 0, n < 0 ? (uint64_t) 0 - (uint64_t) n : (uint64_t) n);
}

/*
 * Writes u in decimal, zero-padded to at least width digits (as printf's
 * "%0*u"), to o; returns the end.  o needs room for 20 digits.
 */
static char *
put_dec(char *o, uint64_t u, int width)
{
	char tmp[24];
	int i = (int) sizeof(tmp);

	do {
		tmp[--i] = (char) ('0' + u % 10);
		u /= 10;
	} while (u);
	while ((int) sizeof(tmp) - i < width)
		tmp[--i] = '0';
	memcpy(o, tmp + i, sizeof(tmp) - (size_t) i);
	return o + (sizeof(tmp) - (size_t) i);
}

/* Writes n bytes of s to o; returns the end. */
static char *
put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

#define PUT_LIT(o, lit) put((o), (lit), sizeof(lit) - 1)

/*
 * The digits by hand, not by printf: this runs for every record of every
 * batch.  The same text as "%04u-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d"
 * (tests/test_record.c compares the two).  The longest possible result is
 * 4+1+2+1+2+1+2+1+2+1+2+1+3+1+2+1+3 = 30 bytes and the NUL.
 */
void
json_time(char out[40], int64_t time_ms, int tz_min)
{
	int64_t local = time_ms + (int64_t) tz_min * 60000;
	int64_t secs = local / 1000 - (local % 1000 < 0);
	int ms = (int) (local - secs * 1000);
	uint32_t day = store_day_of(time_ms, tz_min);
	int64_t sod = secs % 86400;
	int off = tz_min < 0 ? -tz_min : tz_min;
	char *o = out;

	if (sod < 0)
		sod += 86400;
	o = put_dec(o, day / 10000, 4);
	*o++ = '-';
	o = put_dec(o, day / 100 % 100, 2);
	*o++ = '-';
	o = put_dec(o, day % 100, 2);
	*o++ = 'T';
	o = put_dec(o, (uint64_t) (sod / 3600), 2);
	*o++ = ':';
	o = put_dec(o, (uint64_t) (sod / 60 % 60), 2);
	*o++ = ':';
	o = put_dec(o, (uint64_t) (sod % 60), 2);
	*o++ = '.';
	o = put_dec(o, (uint64_t) ms, 3);
	*o++ = tz_min < 0 ? '-' : '+';
	o = put_dec(o, (uint64_t) (off / 60), 2);
	*o++ = ':';
	o = put_dec(o, (uint64_t) (off % 60), 2);
	*o = '\0';
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
	char head[JSON_HEAD_MAX];
	int rc;

	/*
	 * The fixed keys, built by hand in one piece and appended at once:
	 * the same bytes as
	 *   {"seq":%llu,"kind":"%s","device":"%s","epoch":"%016llx",
	 *   "time":"%s","clock_synced":%s,"author":"%s","by":"%s"
	 * (ids are plain [A-Za-z0-9._-], written without escapes).
	 */
	static const char hex[] = "0123456789abcdef";
	const char *kind = rec_kind_name(r->kind);
	size_t kl = strnlen(kind, 32), dl = strnlen(r->device, GU_ID_LEN);
	size_t al = strnlen(r->author, GU_ID_LEN);
	char *o = head;

	o = PUT_LIT(o, "{\"seq\":");
	o = put_dec(o, r->seq, 1);
	o = PUT_LIT(o, ",\"kind\":\"");
	o = put(o, kind, kl);
	o = PUT_LIT(o, "\",\"device\":\"");
	o = put(o, r->device, dl);
	o = PUT_LIT(o, "\",\"epoch\":\"");
	for (int i = 60; i >= 0; i -= 4)
		*o++ = hex[(r->epoch >> i) & 15];
	o = PUT_LIT(o, "\",\"time\":\"");
	json_time(o, r->time_ms, r->tz_min);
	o += strlen(o);
	o = (r->flags & REC_FLAG_CLOCK_SYNCED)
	    ? PUT_LIT(o, "\",\"clock_synced\":true,\"author\":\"")
	    : PUT_LIT(o, "\",\"clock_synced\":false,\"author\":\"");
	o = put(o, r->author, al);
	o = (r->flags & REC_FLAG_BY_STUDENT)
	    ? PUT_LIT(o, "\",\"by\":\"student\"")
	    : PUT_LIT(o, "\",\"by\":\"staff\"");
	rc = buf_add(b, head, (size_t) (o - head));
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
	if (rc == GU_OK && extra && extra->voided_by) {
		rc = buf_adds(b, ",\"voided_by\":");
		if (rc == GU_OK)
			rc = json_dec(b, 0, extra->voided_by);
	}
	if (rc == GU_OK)
		rc = buf_adds(b, "}\n");
	return rc;
}
