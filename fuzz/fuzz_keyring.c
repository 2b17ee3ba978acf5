/*
 * fuzz_keyring.c: the district keyring parser and the device key file
 * parser (sync/sign.h) on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct keyring kr;
	struct sign_key k;
	char why[200];

	if (null == NULL)
		null = fopen("/dev/null", "w");
	if (keyring_parse(&kr, "fuzz", (const char *) data, size, null) == 0) {
		for (size_t i = 0; i < kr.n; i++)
			(void) keyring_find(
			    &kr, kr.e[i].school, kr.e[i].device);
		keyring_free(&kr);
	}
	(void) sign_key_parse(
	    "fuzz", (const char *) data, size, &k, why, sizeof(why));
	sign_key_close(&k);
	return 0;
}
