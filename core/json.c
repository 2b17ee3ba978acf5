/*
 * json.c: records as JSON lines (json.h).
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
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

/* Appends the n bytes at s as a JSON string, quotes included. */
static int
json_string_n(struct buf *b, const char *s, size_t n)
{
	const char *end = s + n, *run = s;
	int rc = buf_putc(b, '"');

	/* Copy runs of plain bytes at once; escape the rest. */
	for (; rc == GU_OK && s < end; s++) {
		unsigned char c = (unsigned char) *s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (s > run)
			rc = buf_put(b, run, (size_t) (s - run));
		if (rc != GU_OK)
			break;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char) c};
			rc = buf_put(b, e, 2);
		} else {
			/* A control byte: \u00XX, as "\\u%04x" would. */
			char e[6] = {'\\', 'u', '0', '0',
			    "0123456789abcdef"[c >> 4],
			    "0123456789abcdef"[c & 15]};
			rc = buf_put(b, e, 6);
		}
		run = s + 1;
	}
	if (rc == GU_OK && end > run)
		rc = buf_put(b, run, (size_t) (end - run));
	if (rc == GU_OK)
		rc = buf_putc(b, '"');
	return rc;
}

int
json_string(struct buf *b, const char *s)
{
	return json_string_n(b, s, strlen(s));
}

/*
 * Writes u in decimal, zero-padded to at least width digits (as printf's
 * "%0*u"), to o; returns the end.  o needs room for 20 digits.
 */
static const char digits2[] = "00010203040506070809"
                              "10111213141516171819"
                              "20212223242526272829"
                              "30313233343536373839"
                              "40414243444546474849"
                              "50515253545556575859"
                              "60616263646566676869"
                              "70717273747576777879"
                              "80818283848586878889"
                              "90919293949596979899";

static char *
put_dec(char *o, uint64_t u, int width)
{
	char tmp[24];
	int i = (int) sizeof(tmp);

	/* Two digits at a time. */
	while (u >= 100) {
		i -= 2;
		memcpy(tmp + i, digits2 + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		i -= 2;
		memcpy(tmp + i, digits2 + 2 * u, 2);
	} else
		tmp[--i] = (char) ('0' + u);
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

/* Appends '-' if neg, then u in decimal. */
static int
json_dec(struct buf *b, int neg, uint64_t u)
{
	char tmp[24], *o = tmp;

	if (neg)
		*o++ = '-';
	o = put_dec(o, u, 1);
	return buf_put(b, tmp, (size_t) (o - tmp));
}

/* Appends n in decimal. */
static int
json_int(struct buf *b, int64_t n)
{
	return json_dec(
	    b, n < 0, n < 0 ? (uint64_t) 0 - (uint64_t) n : (uint64_t) n);
}

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
	const char *end = v + strlen(v);
	int rc = buf_putc(b, '[');
	int first = 1;

	while (rc == GU_OK && v < end) {
		const char *e = memchr(v, sep, (size_t) (end - v));
		size_t l = e ? (size_t) (e - v) : (size_t) (end - v);
		if (!first)
			rc = buf_putc(b, ',');
		if (rc == GU_OK)
			rc = json_string_n(b, v, l);
		first = 0;
		v += l + (e != 0);
	}
	if (rc == GU_OK)
		rc = buf_putc(b, ']');
	return rc;
}

/*
 * Each field's key as it is written (,"name":) and its type, looked up in
 * the schema once: the loop below runs for every field of every record.
 */
struct json_key {
	char text[40];
	uint8_t len; /* 0: no such field */
	uint8_t type;
};

static const struct json_key *
json_keys(void)
{
	static struct json_key k[REC_F_MAX];
	static int done;

	if (done)
		return k;
	for (int f = 1; f < REC_F_MAX; f++) {
		const struct rec_field_info *fi = rec_field_info(f);
		int n;

		if (fi == NULL || fi->name == NULL)
			continue;
		n = snprintf(
		    k[f].text, sizeof(k[f].text), ",\"%s\":", fi->name);
		/* Schema names are short words; a long one would be a bug. */
		assert(n > 0 && (size_t) n < sizeof(k[f].text));
		k[f].len = (uint8_t) n;
		k[f].type = (uint8_t) fi->type;
	}
	done = 1;
	return k;
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
	const struct json_key *keys = json_keys();
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
	rc = buf_put(b, head, (size_t) (o - head));
	/*
	 * The fields present, in tag order.  r->v and r->text are read
	 * directly (what rec_has(), rec_int() and rec_str() would return).
	 */
	for (int f = 1; rc == GU_OK && f < REC_F_MAX; f++) {
		const struct rec_val *v = &r->v[f];
		if (!v->present || keys[f].len == 0)
			continue;
		rc = buf_put(b, keys[f].text, keys[f].len);
		if (rc != GU_OK)
			break;
		switch (keys[f].type) {
		case T_INT:
		case T_REF:
			rc = json_int(b, v->num);
			break;
		case T_BOOL:
			rc = v->num ? buf_put(b, "true", 4)
			            : buf_put(b, "false", 5);
			break;
		case T_SET:
			rc = json_array(b, r->text + v->off, ',');
			break;
		case T_LIST:
			rc = json_array(b, r->text + v->off, ';');
			break;
		default:
			rc = json_string(b, r->text + v->off);
			break;
		}
		if (rc == GU_OK && f == F_CHILD && extra && extra->child_name) {
			rc = buf_put(b, ",\"child_name\":", 14);
			if (rc == GU_OK)
				rc = json_string(b, extra->child_name);
		}
	}
	if (rc == GU_OK && extra && extra->voided_by) {
		rc = buf_put(b, ",\"voided_by\":", 13);
		if (rc == GU_OK)
			rc = json_dec(b, 0, extra->voided_by);
	}
	if (rc == GU_OK)
		rc = buf_put(b, "}\n", 2);
	return rc;
}
