/*
 * fuzz_batch.c: the batch verifier (gzip, header, JSON lines, hashes) on
 * arbitrary bytes.  Most inputs are gzipped first so the fuzzer reaches
 * the line parser, not only the gzip checks: the first byte chooses how.
 *
 *   byte 0 even        the rest is given to the verifier as it is
 *   byte 0 odd         the rest is compressed, then verified; bits 1..7
 *                      of byte 0 (if not 0) split it into two gzip
 *                      members at that fraction of its length (of 128),
 *                      as a batch file is written: header member, then
 *                      body member; a split at a newline is the layout
 *                      guanai-sync writes, others must read the same
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
	size_t len, cut;
	char why[200];
	int rc;

	if (size > 0 && (data[0] & 1)) {
		if (pack_new(&p, 2 * size + 1024) != 0)
			return 0;
		cut = (size - 1) * (size_t) (data[0] >> 1) / 128;
		rc = pack_write(p, data + 1, cut);
		if (rc == 0 && cut > 0)
			rc = pack_finish(p);
		if (rc == 0 && cut > 0)
			rc = pack_member(p);
		if (rc == 0)
			rc = pack_write(p, data + 1 + cut, size - 1 - cut);
		if (rc == 0)
			rc = pack_finish(p);
		if (rc == 0) {
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
