/*
 * fuzz_record.c: libFuzzer target for the record decoder.  Whatever the
 * bytes, rec_decode() must not crash, and anything it accepts must encode
 * back to exactly the same bytes and print as JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "record.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct record r;
	static uint8_t out[REC_ENCODED_MAX];
	struct buf b;
	size_t olen;

	if (rec_decode(&r, data, len) != GU_OK)
		return 0;
	if (rec_encode(&r, out, sizeof(out), &olen) != GU_OK || olen != len ||
	    memcmp(out, data, len) != 0)
		abort();
	buf_init(&b, 64 * 1024);
	if (json_record(&b, &r, 0) != GU_OK)
		abort();
	buf_fini(&b);
	return 0;
}
