/*
 * fuzz_seal.c: the sealed batch reader (sync/seal.h): the outer header
 * parser, seal_open() with a fixed district key, and the district key
 * file parsers, on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seal_secret k;
	static int have;
	struct batch_head *h = malloc(sizeof(*h));
	uint8_t pk[SEAL_KEY_LEN], *plain = NULL;
	size_t plain_len = 0;
	char why[200];

	if (!have) {
		/* a fixed key, so a corpus file sealed to it opens */
		static const char sec[] =
		    "guanai-district-secret 1\nx25519-secret "
		    "07070707070707070707070707070707"
		    "07070707070707070707070707070707\n";

		if (seal_secret_parse("fuzz", sec, sizeof(sec) - 1, &k, why,
		        sizeof(why)) != 0)
			abort();
		have = 1;
	}
	if (h == NULL)
		return 0;
	(void) batch_seal_head_parse(
	    (const char *) data, size, h, why, sizeof(why));
	if (seal_open(data, size, &k, 1, 1 << 20, h, &plain, &plain_len, why,
	        sizeof(why)) == 0)
		free(plain);
	(void) seal_pub_parse(
	    "fuzz", (const char *) data, size, pk, why, sizeof(why));
	{
		struct seal_secret s;

		(void) seal_secret_parse(
		    "fuzz", (const char *) data, size, &s, why, sizeof(why));
	}
	free(h);
	return 0;
}
