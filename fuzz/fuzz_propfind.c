/*
 * fuzz_propfind.c: libFuzzer target for a WebDAV source's PROPFIND
 * answer (district/propfind.h).  Whatever the bytes: no crash; a refusal
 * has a message naming the answer and a line; every name handed out has
 * the batch name form and no '/'.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "propfind.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
take(void *arg, const char *name)
{
	size_t *n = arg;

	assert(propfind_batch_name(name));
	assert(strchr(name, '/') == NULL);
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[300];
	size_t n = 0;
	int rc;

	why[0] = '\0';
	rc = propfind_parse(
	    "u", (const char *) data, size, take, &n, why, sizeof(why));
	if (rc != GU_OK) {
		assert(rc == GU_ECORRUPT || rc == GU_ENOMEM);
		assert(strncmp(why, "u:", 2) == 0);
	}
	return 0;
}
