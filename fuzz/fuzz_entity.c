/*
 * fuzz_entity.c: libFuzzer target for the store's entity decoders
 * (store_entity.h).  The first byte picks the entity (child, staff, class,
 * auth, batch, sync status, calendar), the rest is the value.  Whatever the bytes, a
 * decoder must not crash, and anything it accepts must encode back to
 * exactly the same bytes (one encoding per value, so a flipped bit can
 * never decode to the same thing).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "store_entity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void
same(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	if (al != bl || memcmp(a, b, al) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t out[ENT_MAX];
	const uint8_t *p = data + 1;
	size_t n = len ? len - 1 : 0, ol = 0;
	struct child c;
	struct staff st;
	struct staff_auth au;
	struct sync_batch b;
	struct sync_status ss;
	static struct calendar cal;
	char grade[32];
	uint32_t cnt;
	int ver;

	if (len < 1)
		return 0;
	switch (data[0] % 7) {
	case 0:
		if (store_entity_child_decode("G1", 2, p, n, &c, &ver) != GU_OK)
			return 0;
		if (store_entity_child_encode_version(
		        &c, ver, out, sizeof(out), &ol) != GU_OK)
			abort();
		break;
	case 1:
		if (store_entity_staff_decode("T1", 2, p, n, &st) != GU_OK)
			return 0;
		if (store_entity_staff_encode(&st, out, sizeof(out), &ol) !=
		    GU_OK)
			abort();
		break;
	case 2:
		if (store_entity_class_decode(
		        p, n, grade, sizeof(grade), &cnt) != GU_OK)
			return 0;
		if (store_entity_class_encode(
		        grade, cnt, out, sizeof(out), &ol) != GU_OK)
			abort();
		break;
	case 3:
		if (store_entity_auth_decode(p, n, &au) != GU_OK)
			return 0;
		if (store_entity_auth_encode(&au, out, sizeof(out), &ol) !=
		    GU_OK)
			abort();
		break;
	case 4:
		if (store_entity_batch_decode(p, n, &b) != GU_OK)
			return 0;
		if (store_entity_batch_encode(&b, out, sizeof(out), &ol) !=
		    GU_OK)
			abort();
		break;
	case 6:
		if (store_entity_calendar_decode(p, n, &cal) != GU_OK)
			return 0;
		if (store_entity_calendar_encode(&cal, out, sizeof(out), &ol) !=
		    GU_OK)
			abort();
		break;
	default:
		if (store_entity_status_decode(p, n, &ss) != GU_OK)
			return 0;
		if (store_entity_status_encode(&ss, out, sizeof(out), &ol) !=
		    GU_OK)
			abort();
		break;
	}
	same(out, ol, p, n);
	return 0;
}
