/*
 * fuzz_ack.c: libFuzzer target for the district's ack file (sync/ack.h,
 * docs/district.md "The ack file").  Whatever the bytes: no crash; a
 * refusal has a message naming the file and a line inside the text; a
 * file accepted has at most ACK_MAX acks, each of which makes a REC_ACK
 * that validates, and written again by ack_format() it is the same
 * bytes.  Format 2 (signed): read without a key it is taken on its
 * SHA-256; with a key every refusal is still by line, and a file
 * accepted, signed again by a fixed key, parses back with that key.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct record r;
	struct ack_file f;
	struct buf b;
	char why[400];
	unsigned lines = 1, at;
	int rc;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	why[0] = '\0';
	rc = ack_parse("f", (const char *) data, size, &f, why, sizeof(why));
	if (rc != GU_OK) {
		assert(
		    rc == GU_ECORRUPT || rc == GU_EVERSION || rc == GU_ENOMEM);
		assert(f.e == NULL && f.n == 0);
		assert(strncmp(why, "f:", 2) == 0);
		at = (unsigned) strtoul(why + 2, NULL, 10);
		assert(at >= 1 && at <= lines + 1);
		return 0;
	}
	assert(f.n <= ACK_MAX);
	for (size_t i = 0; i < f.n; i++)
		assert(ack_record(&r, &f.e[i], why, sizeof(why)) == GU_OK);
	buf_init(&b, ACK_FILE_MAX);
	if (f.version == ACK_VERSION) {
		assert(ack_format(&b, f.school, f.e, f.n, why, sizeof(why)) ==
		    GU_OK);
		assert(b.len == size && memcmp(b.p, data, size) == 0);
	} else {
		static const char key[] =
		    "guanai-device-key 1\ned25519-seed "
		    "0700000000000000000000000000000000000000000000000000000000"
		    "000000\n";
		static struct sign_key k;
		static int have;
		struct ack_file g;

		assert(f.version == ACK_VERSION_SIGNED);
		if (!have)
			have = sign_key_parse("k", key, sizeof(key) - 1, &k,
			           why, sizeof(why)) == GU_OK;
		assert(have);
		rc = ack_parse_key(
		    "f", (const char *) data, size, k.pk, &g, why, sizeof(why));
		assert(rc == GU_OK ||
		    (rc == GU_ECORRUPT && strstr(why, ": signature") != NULL));
		ack_file_free(&g);
		assert(ack_format_key(&b, f.school, f.e, f.n, &k, why,
		           sizeof(why)) == GU_OK);
		assert(ack_parse_key("f", b.p, b.len, k.pk, &g, why,
		           sizeof(why)) == GU_OK);
		assert(g.n == f.n);
		ack_file_free(&g);
	}
	buf_fini(&b);
	ack_file_free(&f);
	return 0;
}
