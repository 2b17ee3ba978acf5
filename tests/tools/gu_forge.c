/*
 * gu_forge: test helper: the attack of issue 10 item 3.  Re-numbers a
 * batch file and re-hashes it onto another prev, as someone who deleted
 * the batch before it would, signed with the device key found in KEYDIR
 * (the attacker's own, not the device's), in batch format 2.
 *
 *   gu_forge IN OUT NUMBER PREV_HEX|zero KEYDIR|v1
 *
 * With v1 instead of KEYDIR the batch is written in format 1, unsigned,
 * as a build before signed batches wrote it.
 * Prints the forged batch's sha256 (the next forgery's PREV_HEX).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "pack.h"
#include "sign.h"
#include "status.h"

struct body {
	char *p;
	size_t len, cap;
};

static int
body_fn(void *arg, const char *line, size_t len)
{
	struct body *b = arg;

	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			return GU_ENOMEM;
	}
	memcpy(b->p + b->len, line, len);
	b->len += len;
	return 0;
}

int
main(int argc, char **argv)
{
	static struct batch_head h;
	static char head[BATCH_HEAD_MAX];
	struct body body = {NULL, 0, 0};
	struct sign_key k;
	struct pack *pk = NULL;
	const uint8_t *out;
	uint8_t *in;
	char why[300], hex[2 * SYNC_HASH_LEN + 1];
	size_t len, hl, ol;
	long n;
	FILE *f;

	if (argc != 6) {
		fprintf(stderr,
		    "usage: gu_forge IN OUT NUMBER PREV_HEX|zero KEYDIR|v1\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	in = malloc(64 << 20);
	if (f == NULL || in == NULL)
		return 1;
	len = fread(in, 1, 64 << 20, f);
	fclose(f);
	if (batch_verify(in, len, &h, body_fn, &body, why, sizeof(why)) !=
	    GU_OK) {
		fprintf(stderr, "gu_forge: %s: %s\n", argv[1], why);
		return 1;
	}
	n = strtol(argv[3], NULL, 10);
	h.id = (uint64_t) n;
	memset(h.prev, 0, sizeof(h.prev));
	if (strcmp(argv[4], "zero") != 0) {
		for (int i = 0; i < SYNC_HASH_LEN; i++) {
			unsigned x;

			if (sscanf(argv[4] + 2 * i, "%2x", &x) != 1)
				return 2;
			h.prev[i] = (uint8_t) x;
		}
	}
	memset(&k, 0, sizeof(k));
	if (strcmp(argv[5], "v1") == 0) {
		h.version = BATCH_FORMAT_V1;
		h.signer = NULL;
	} else {
		if (sign_key_open(argv[5], 0, &k, NULL, why, sizeof(why)) !=
		    GU_OK) {
			fprintf(stderr, "gu_forge: %s\n", why);
			return 1;
		}
		h.version = BATCH_FORMAT;
		memcpy(h.key, k.pk, SIGN_PK_LEN);
		h.signer = &k;
	}
	if (batch_head_format(&h, head, sizeof(head), &hl) != GU_OK ||
	    pack_new(&pk, 128 << 20) != GU_OK || pack_write(pk, head, hl) ||
	    pack_finish(pk) || pack_member(pk) ||
	    pack_write(pk, body.p, body.len) || pack_finish(pk))
		return 1;
	out = pack_data(pk, &ol);
	f = fopen(argv[2], "wb");
	if (f == NULL || fwrite(out, 1, ol, f) != ol || fclose(f) != 0)
		return 1;
	batch_hex(h.sha256, hex);
	printf("%s\n", hex);
	pack_free(pk);
	free(body.p);
	free(in);
	sign_key_close(&k);
	return 0;
}
