/*
 * fuzz_progress.c: libFuzzer target for the kiosk's reader of what
 * `guanai-sync ledger|file --progress` prints (export_take() and
 * export_progress_parse(), app/domain/export.h).
 *
 * The first byte chooses how the rest is split into reads, as a pipe may
 * split it.  Checked beyond the sanitizers: the same job results however
 * the output is split; done never exceeds total, nor total
 * EXPORT_PROGRESS_MAX; files counts at most one per line; the pending line
 * and the message stay NUL-terminated within their buffers, the message
 * valid UTF-8 whatever came; an accepted progress line prints back as
 * itself.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* msg is valid UTF-8 (checked here independently of export_line.c). */
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
sane(const struct export_job *j, size_t lines)
{
	assert(j->total == 0 || j->done <= j->total);
	assert(j->total <= EXPORT_PROGRESS_MAX);
	assert(j->files <= lines);
	assert(j->part_len < sizeof(j->part));
	assert(memchr(j->msg, '\0', sizeof(j->msg)) != NULL);
	valid_utf8(j->msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct export_job a, b;
	const char *buf = (const char *) data + 1;
	size_t len, lines = 1, step;
	unsigned d, t;
	char line[64];

	if (size == 0)
		return 0;
	step = (size_t) data[0] % 17 + 1;
	len = size - 1;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	export_take(&a, buf, len);
	sane(&a, lines);
	export_take_end(&a);
	sane(&a, lines);
	for (size_t i = 0; i < len; i += step) {
		export_take(&b, buf + i, len - i < step ? len - i : step);
		sane(&b, lines);
	}
	export_take_end(&b);
	assert(memcmp(&a, &b, sizeof(a)) == 0);

	/* The first line alone, through the strict parser. */
	len = 0;
	while (len < size - 1 && len < sizeof(line) - 1 && buf[len] != '\n' &&
	    buf[len] != '\0')
		len++;
	memcpy(line, buf, len);
	line[len] = '\0';
	if (export_progress_parse(line, &d, &t)) {
		char again[64];

		assert(d <= t && t >= 1 && t <= EXPORT_PROGRESS_MAX);
		snprintf(again, sizeof(again), "progress %u %u", d, t);
		assert(strcmp(again, line) == 0);
	}
	return 0;
}
