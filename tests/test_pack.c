/*
 * test_pack.c: gzip framing is deterministic and round-trips; truncated
 * and corrupt input is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pack.h"
#include "status.h"

struct collect {
	uint8_t buf[1 << 16];
	size_t len;
};

static int
collect_fn(void *arg, const uint8_t *d, size_t n)
{
	struct collect *c = arg;

	if (c->len + n > sizeof(c->buf))
		return GU_ETOOBIG;
	memcpy(c->buf + c->len, d, n);
	c->len += n;
	return 0;
}

static void
make(struct pack **p, const char *text)
{
	assert_int_equal(pack_new(p, 1 << 20), GU_OK);
	assert_int_equal(pack_write(*p, text, strlen(text)), GU_OK);
	assert_int_equal(pack_finish(*p), GU_OK);
}

static void
test_deterministic(void **st)
{
	struct pack *a, *b;
	const uint8_t *da, *db;
	size_t la, lb;

	(void) st;
	make(&a, "{\"seq\":1}\n{\"seq\":2}\n");
	make(&b, "{\"seq\":1}\n{\"seq\":2}\n");
	da = pack_data(a, &la);
	db = pack_data(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	/* gzip magic, deflate, no flags, mtime 0, OS 255 */
	assert_int_equal(da[0], 0x1f);
	assert_int_equal(da[1], 0x8b);
	assert_int_equal(da[4] | da[5] | da[6] | da[7], 0);
	assert_int_equal(da[9], 255);
	pack_free(a);
	pack_free(b);
}

static void
test_roundtrip_and_truncation(void **st)
{
	struct pack *p;
	struct collect *c = calloc(1, sizeof(*c));
	const uint8_t *d;
	size_t l;
	char text[5000];

	(void) st;
	for (size_t i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char) ('a' + (i * 7) % 26);
	text[sizeof(text) - 1] = '\0';
	make(&p, text);
	d = pack_data(p, &l);
	assert_int_equal(pack_gunzip(d, l, 1 << 20, collect_fn, c), GU_OK);
	assert_int_equal(c->len, strlen(text));
	assert_memory_equal(c->buf, text, c->len);
	c->len = 0;
	assert_int_equal(
	    pack_gunzip(d, l - 3, 1 << 20, collect_fn, c), GU_ECORRUPT);
	c->len = 0;
	assert_int_equal(pack_gunzip(d, l, 100, collect_fn, c), GU_ETOOBIG);
	pack_free(p);
	free(c);
}

static void
test_limit(void **st)
{
	struct pack *p;
	uint8_t junk[4096];

	(void) st;
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t) (i * 2654435761u >> 13);
	assert_int_equal(pack_new(&p, 1024), GU_OK);
	assert_int_equal(pack_write(p, junk, sizeof(junk)), GU_ETOOBIG);
	pack_free(p);
	pack_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_roundtrip_and_truncation),
	    cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
