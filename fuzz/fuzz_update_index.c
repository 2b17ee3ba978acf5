/*
 * fuzz_update_index.c: libFuzzer target for the network update's index
 * and ready files (core/update_index.h).  The first byte picks the kind
 * (LATEST or READY) and a small or the documented size bound; the rest
 * is the text.  What is checked, beyond the sanitizers: a refusal says
 * where ("NAME:" first) and leaves the struct zeroed; a text taken has
 * every required field within its rules; a READY text taken is written
 * back by update_index_format() and read again to the same struct; the
 * hours parser agrees with itself on the text's first bytes.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "status.h"
#include "update_index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i] != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct update_index ix, back;
	enum update_index_kind kind;
	char why[300], text[UPDATE_INDEX_MAX], hours[8];
	uint64_t max;
	size_t n;
	int from, to;

	if (size < 1)
		return 0;
	kind = (data[0] & 1) ? UPDATE_INDEX_READY : UPDATE_INDEX_LATEST;
	max = (data[0] & 2) ? 1000 : 419430400;
	if (update_index_parse(kind == UPDATE_INDEX_READY ? "ready" : "latest",
	        (const char *) data + 1, size - 1, kind, max, &ix, why,
	        sizeof(why)) != GU_OK) {
		assert(all_zero(&ix, sizeof(ix)));
		assert(strncmp(why,
		           kind == UPDATE_INDEX_READY ? "ready" : "latest",
		           kind == UPDATE_INDEX_READY ? 5 : 6) == 0);
		return 0;
	}
	assert(ix.version[0] != '\0' && ix.file[0] != '\0');
	assert(ix.size >= 1 && ix.size <= max);
	assert(strlen(ix.sha256) == 64);
	assert(strlen(ix.file) >= 7 &&
	    strcmp(ix.file + strlen(ix.file) - 6, ".raucb") == 0);
	if (kind == UPDATE_INDEX_READY) {
		n = update_index_format(&ix, text, sizeof(text));
		assert(n > 0);
		assert(update_index_parse("ready", text, n, kind, max, &back,
		           why, sizeof(why)) == GU_OK);
		assert(memcmp(&ix, &back, sizeof(ix)) == 0);
	}
	/* The hours parser on the text's first bytes. */
	n = size - 1 < sizeof(hours) - 1 ? size - 1 : sizeof(hours) - 1;
	memcpy(hours, data + 1, n);
	hours[n] = '\0';
	if (update_hours_parse(hours, &from, &to, why, sizeof(why)) == GU_OK)
		for (int h = 0; h < 24; h++)
			(void) update_hours_in(from, to, h);
	return 0;
}
