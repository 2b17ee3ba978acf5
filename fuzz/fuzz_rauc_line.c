/*
 * fuzz_rauc_line.c: libFuzzer target for the kiosk's reader of what rauc
 * prints (core/rauc_line.c: update_take(), rauc_progress_parse(),
 * rauc_info_line(), rauc_why(), update_version_cmp()).
 *
 * The first byte chooses how the rest is split into reads, as a pipe may
 * split it.  Checked beyond the sanitizers: the same job however the
 * output is split; pct never above 100; result one of -1, 0, 1; the step,
 * the message and the pending line NUL-terminated within their buffers,
 * step and message valid UTF-8 whatever came; an accepted progress line
 * prints back as itself; a version compares equal to itself, and
 * comparing two the other way round gives the opposite sign.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
valid_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *) s;

	while (*u) {
		size_t need = *u < 0x80        ? 1
		    : *u >= 0xC2 && *u <= 0xDF ? 2
		    : *u >= 0xE0 && *u <= 0xEF ? 3
		    : *u >= 0xF0 && *u <= 0xF4 ? 4
		                               : 0;

		assert(need != 0);
		for (size_t i = 1; i < need; i++)
			assert((u[i] & 0xC0) == 0x80);
		u += need;
	}
}

static void
sane(const struct update_job *j)
{
	assert(j->pct <= 100);
	assert(j->result >= -1 && j->result <= 1);
	assert(j->part_len < sizeof(j->part));
	assert(memchr(j->msg, '\0', sizeof(j->msg)) != NULL);
	assert(memchr(j->step, '\0', sizeof(j->step)) != NULL);
	valid_utf8(j->msg);
	valid_utf8(j->step);
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct update_job a, b;
	static struct update_bundle ub;
	const char *buf = (const char *) data + 1, *step;
	char line[UPDATE_LINE_MAX], again[UPDATE_LINE_MAX + 8];
	size_t len, step_n, n;
	unsigned pct;

	if (size == 0)
		return 0;
	step_n = (size_t) data[0] % 17 + 1;
	len = size - 1;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	update_take(&a, buf, len);
	sane(&a);
	update_take_end(&a);
	sane(&a);
	for (size_t i = 0; i < len; i += step_n) {
		update_take(&b, buf + i, len - i < step_n ? len - i : step_n);
		sane(&b);
	}
	update_take_end(&b);
	assert(memcmp(&a, &b, sizeof(a)) == 0);

	/* The first line alone, through the strict parsers. */
	n = 0;
	while (
	    n < len && n < sizeof(line) - 1 && buf[n] != '\n' && buf[n] != '\0')
		n++;
	memcpy(line, buf, n);
	line[n] = '\0';
	if (rauc_progress_parse(line, &pct, &step)) {
		assert(pct <= 100 && step[0] != '\0');
		snprintf(again, sizeof(again), "%3u%% %s", pct, step);
		assert(strcmp(again, line) == 0);
	}
	memset(&ub, 0, sizeof(ub));
	if (rauc_info_line(&ub, line)) {
		valid_utf8(ub.version);
		valid_utf8(ub.compatible);
		valid_utf8(ub.description);
	}
	(void) rauc_why(line);

	/* Versions: the first line split at its first space. */
	{
		char *sp = strchr(line, ' ');
		const char *v2 = "";

		if (sp != NULL) {
			*sp = '\0';
			v2 = sp + 1;
		}
		assert(update_version_cmp(line, line) == 0);
		assert(sign(update_version_cmp(line, v2)) ==
		    -sign(update_version_cmp(v2, line)));
	}
	return 0;
}
