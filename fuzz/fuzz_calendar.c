/*
 * fuzz_calendar.c: libFuzzer target for the school calendar's text format
 * (calendar.h, docs/calendar.md).  Whatever the bytes: no crash; every
 * problem has a message and a line inside the text; a calendar accepted
 * is one calendar_ok() accepts, sorted, and its stored form (the store's
 * calendar entity) decodes back to the same spans.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "calendar.h"
#include "status.h"
#include "store_entity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	unsigned lines, nerr;
};

static void
err_fn(void *arg, const char *name, unsigned line, const char *msg)
{
	struct state *s = arg;

	assert(strcmp(name, "f") == 0);
	assert(msg != NULL && msg[0] != '\0');
	assert(line <= s->lines);
	s->nerr++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct calendar c, d;
	static uint8_t buf[ENT_MAX];
	struct state s = {1, 0};
	size_t len;
	int rc;

	for (size_t i = 0; i < size; i++)
		s.lines += data[i] == '\n';
	rc = calendar_parse("f", (const char *) data, size, &c, err_fn, &s);
	if (rc != GU_OK) {
		assert(s.nerr > 0);
		return 0;
	}
	assert(s.nerr == 0);
	assert(calendar_ok(&c));
	for (size_t i = 1; i < c.n; i++)
		assert(c.span[i - 1].from <= c.span[i].from);
	assert(
	    store_entity_calendar_encode(&c, buf, sizeof(buf), &len) == GU_OK);
	assert(store_entity_calendar_decode(buf, len, &d) == GU_OK);
	assert(
	    d.n == c.n && memcmp(d.span, c.span, c.n * sizeof(c.span[0])) == 0);
	return 0;
}
