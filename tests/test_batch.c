/*
 * test_batch.c: batches end to end on a real store and a file:// server:
 * urgent concerns go first in their own batch and are skipped by the
 * regular one; the verifier accepts what we write and refuses a changed
 * byte; rebuilding a frozen batch gives the same bytes; the cursor rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "batch.h"
#include "fixture.h"
#include "status.h"
#include "store_sync.h"
#include "upload.h"

static void
add(struct store *s, int n, int urgent_every)
{
	struct record r;
	char why[200];

	for (int i = 1; i <= n; i++) {
		if (urgent_every && i % urgent_every == 0) {
			rec_init(&r, REC_CONCERN);
			r.time_ms = FX_TIME + i;
			r.tz_min = 480;
			fx_cpy(r.author, sizeof(r.author), "T001");
			rec_set_str(&r, F_CHILD, "C001");
			rec_set_add(&r, F_CONCERNS, "harm");
			rec_set_int(&r, F_URGENT, 1);
			r.flags = REC_FLAG_URGENT;
		} else
			fx_checkin(&r, "C002", FX_TIME + i);
		assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	}
}

struct files {
	int n;
	uint8_t *data[16];
	size_t len[16];
	struct sync_batch b[16];
};

static int
collect(void *arg, const struct sync_batch *b)
{
	struct files *f = arg;

	f->b[f->n++] = *b;
	return f->n >= 16;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = malloc(1 << 20);

	assert_non_null(f);
	*len = fread(p, 1, 1 << 20, f);
	fclose(f);
	return p;
}

static void
test_urgent_first_and_verify(void **st)
{
	char *dir, out[400], url[500], path[800], why[200];
	struct sync_config cfg;
	struct store *s;
	struct upload u;
	struct files f;
	struct batch_head *h = malloc(sizeof(*h));
	struct sync_status ss;
	size_t len;
	uint8_t *d;

	(void) st;
	s = fx_store(&dir, NULL);
	assert_non_null(s);
	add(s, 95, 10); /* 9 urgent */
	snprintf(out, sizeof(out), "%s/out", dir);
	assert_int_equal(mkdir(out, 0755), 0);
	snprintf(url, sizeof(url), "file://%s", out);
	config_defaults(&cfg);
	snprintf(cfg.data, sizeof(cfg.data), "%s", dir);
	snprintf(cfg.url, sizeof(cfg.url), "%s", url);
	cfg.batch_records = 40;
	cfg.roster_path[0] = '\0';
	assert_int_equal(upload_init(&u, s, &cfg), GU_OK);
	assert_int_equal(upload_pass(&u), GU_OK);
	assert_int_equal(store_sync_status(s, &ss), GU_OK);
	assert_int_equal(ss.acked_seq, 95);
	assert_int_equal(ss.unacked, 0);
	assert_int_equal(ss.last_rc, GU_OK);

	memset(&f, 0, sizeof(f));
	store_sync_batches(s, 1, 0, collect, &f);
	/* batch 1 is urgent: the 9 concerns, before any regular batch */
	assert_true(f.n >= 4);
	assert_int_equal(f.b[0].urgent, 1);
	assert_int_equal(f.b[0].n_records, 9);
	assert_int_equal(f.b[0].first_seq, 10);
	assert_int_equal(f.b[0].last_seq, 90);
	for (int i = 1; i < f.n; i++) {
		assert_int_equal(f.b[i].urgent, 0);
		assert_memory_equal(f.b[i].prev, f.b[i - 1].sha256, 32);
	}
	assert_int_equal(f.b[1].first_seq, 1);
	assert_int_equal(f.b[1].n_skip, 4); /* 10,20,30,40 */
	for (int i = 0; i < f.n; i++) {
		const uint8_t *re;
		size_t rl;

		snprintf(path, sizeof(path), "%s/%s", out, f.b[i].name);
		d = slurp(path, &len);
		assert_int_equal(
		    batch_verify(d, len, h, NULL, NULL, why, sizeof(why)),
		    GU_OK);
		assert_int_equal(h->id, f.b[i].id);
		/* a rebuild is byte-identical */
		assert_int_equal(upload_build(&u, &f.b[i]), GU_OK);
		re = pack_data(u.pk, &rl);
		assert_int_equal(rl, len);
		assert_memory_equal(re, d, len);
		/* one changed byte is caught */
		d[len / 2] ^= 1;
		assert_int_not_equal(
		    batch_verify(d, len, h, NULL, NULL, why, sizeof(why)),
		    GU_OK);
		free(d);
	}
	upload_fini(&u);
	store_close(s);
	fx_rmdir(dir);
	free(h);
}

static void
test_cursor_rules(void **st)
{
	char *dir;
	struct store *s;
	struct sync_plan p;
	struct sync_batch b, ub;
	uint64_t useq = 3;
	struct store_info in;

	(void) st;
	s = fx_store(&dir, NULL);
	assert_non_null(s);
	add(s, 5, 3);
	assert_int_equal(store_sync_plan(s, &p), GU_OK);
	assert_int_equal(p.next_id, 1);
	/* urgent batch 1 with seq 3 */
	memset(&ub, 0, sizeof(ub));
	ub.id = 1;
	ub.urgent = 1;
	ub.first_seq = ub.last_seq = 3;
	ub.n_records = 1;
	ub.sha256[0] = 1;
	assert_int_equal(store_sync_freeze(s, &ub, &useq, 1, 5), GU_OK);
	/* a stale plan is refused */
	assert_int_equal(store_sync_freeze(s, &ub, &useq, 1, 5), GU_EBUSY);
	assert_int_equal(store_sync_plan(s, &p), GU_OK);
	memset(&b, 0, sizeof(b));
	b.id = p.next_id;
	memcpy(b.prev, p.last_hash, 32);
	b.first_seq = 2; /* not acked + 1 */
	b.last_seq = 5;
	assert_int_equal(store_sync_freeze(s, &b, NULL, 0, 0), GU_EINVAL);
	b.first_seq = 1;
	b.n_records = 4;
	b.sha256[0] = 2;
	assert_int_equal(store_sync_freeze(s, &b, NULL, 0, 0), GU_OK);
	/* regular before its earlier urgent batch: the cursor must not move */
	assert_int_equal(store_sync_ack(s, 2, 100, FX_TIME), GU_EINVAL);
	assert_int_equal(store_info(s, &in), GU_OK);
	assert_int_equal(in.acked_seq, 0);
	assert_int_equal(store_sync_ack(s, 1, 50, FX_TIME), GU_OK);
	assert_int_equal(store_sync_ack(s, 2, 100, FX_TIME), GU_OK);
	assert_int_equal(store_sync_ack(s, 2, 100, FX_TIME), GU_OK);
	assert_int_equal(store_info(s, &in), GU_OK);
	assert_int_equal(in.acked_seq, 5);
	/* failures are stored with their class, never move the cursor */
	assert_int_equal(store_sync_fail(s, 0, GU_EAUTH, 401, "HTTP 401",
	                     FX_TIME, FX_TIME + 5000),
	    GU_OK);
	{
		struct sync_status ss;

		assert_int_equal(store_sync_status(s, &ss), GU_OK);
		assert_int_equal(ss.last_rc, GU_EAUTH);
		assert_int_equal(ss.failures, 1);
		assert_int_equal(ss.backoff_until_ms, FX_TIME + 5000);
		assert_int_equal(ss.acked_seq, 5);
		assert_int_equal(store_sync_trigger(s, FX_TIME), GU_OK);
		assert_int_equal(store_sync_status(s, &ss), GU_OK);
		assert_int_equal(ss.backoff_until_ms, 0);
	}
	store_close(s);
	fx_rmdir(dir);
}

static void
test_backoff(void **st)
{
	struct sync_config c;

	(void) st;
	config_defaults(&c);
	c.backoff_min_s = 5;
	c.backoff_max_s = 3600;
	c.refused_min_s = 300;
	assert_in_range(upload_backoff_ms(&c, 1, GU_ENET, 0, 0), 2500, 5000);
	assert_in_range(
	    upload_backoff_ms(&c, 3, GU_ENET, 0, 0xffffffffu), 10000, 20000);
	assert_true(upload_backoff_ms(&c, 60, GU_ENET, 0, 7) <= 3600000);
	assert_true(upload_backoff_ms(&c, 1, GU_EAUTH, 0, 7) >= 300000);
	assert_true(upload_backoff_ms(&c, 1, GU_ESERVER, 120, 7) >= 120000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_urgent_first_and_verify),
	    cmocka_unit_test(test_cursor_rules),
	    cmocka_unit_test(test_backoff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
