/*
 * fuzz_config.c: the config file parser on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sync_config c;
	static FILE *null;
	char why[200];

	if (null == NULL)
		null = fopen("/dev/null", "w");
	config_defaults(&c);
	(void) config_parse(&c, "fuzz", (const char *) data, size, null);
	(void) config_check(&c, why, sizeof(why));
	return 0;
}
