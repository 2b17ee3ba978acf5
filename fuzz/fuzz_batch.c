/*
 * fuzz_batch.c: the batch verifier (gzip, header, JSON lines, hashes) on
 * arbitrary bytes.  Half of the inputs are gzipped first so the fuzzer
 * reaches the line parser, not only the gzip checks.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "batch.h"
#include "pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sink(void *arg, const char *line, size_t len)
{
	(void) arg;
	(void) line;
	(void) len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct batch_head h;
	struct pack *p = NULL;
	const uint8_t *gz;
	size_t len;
	char why[200];

	if (size > 0 && (data[0] & 1)) {
		if (pack_new(&p, size + 1024) != 0)
			return 0;
		if (pack_write(p, data + 1, size - 1) == 0 &&
		    pack_finish(p) == 0) {
			gz = pack_data(p, &len);
			(void) batch_verify(
			    gz, len, &h, sink, NULL, why, sizeof(why));
		}
		pack_free(p);
		return 0;
	}
	(void) batch_verify(data, size, &h, sink, NULL, why, sizeof(why));
	return 0;
}
