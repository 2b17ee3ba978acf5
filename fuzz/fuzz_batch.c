/*
 * fuzz_batch.c: the batch verifier (gzip members, header, JSON lines,
 * hashes) on arbitrary bytes.
 *
 *   input starts 1f 8b    verified as it is: a batch file (the corpus in
 *                         fuzz/corpus/batch holds real ones)
 *   otherwise             the rest after byte 0 is compressed first, so
 *                         the fuzzer reaches the line parser, not only the
 *                         gzip checks: byte 0 mod 128 / 128 of it goes
 *                         into a first gzip member, the rest into a second
 *                         (0: one member), as a batch file is written:
 *                         header member, then body member; a split
 *                         anywhere else must read the same
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

	if (size == 0 || (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)) {
		(void) batch_verify(
		    data, size, &h, sink, NULL, why, sizeof(why));
		return 0;
	}
	if (pack_new(&p, 2 * size + 1024) != 0)
		return 0;
	cut = (size - 1) * (size_t) (data[0] & 127) / 128;
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
		(void) batch_verify(gz, len, &h, sink, NULL, why, sizeof(why));
	}
	pack_free(p);
	return 0;
}
