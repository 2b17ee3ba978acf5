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
	snprintf(cfg.tr.url, sizeof(cfg.tr.url), "%s", url);
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
		/*
		 * Format 2: the urgent batch is number 1 of the urgent chain,
		 * the regular ones 1, 2, 3 ... of theirs, each prev linking
		 * to the one before in its own chain, all signed.
		 */
		assert_int_equal(h->version, BATCH_FORMAT);
		assert_int_equal(h->urgent, f.b[i].urgent);
		assert_int_equal(h->id, i == 0 ? 1 : (uint64_t) i);
		if (i <= 1) {
			uint8_t zero[32] = {0};

			assert_memory_equal(h->prev, zero, 32);
		} else
			assert_memory_equal(h->prev, f.b[i - 1].sha256, 32);
		assert_memory_equal(h->key, u.key.pk, 32);
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

struct text {
	char *p;
	size_t len;
};

static int
text_fn(void *arg, const char *line, size_t len)
{
	struct text *t = arg;

	memcpy(t->p + t->len, line, len);
	t->len += len;
	return 0;
}

/*
 * The single pass: the file made while a batch is cut (body compressed as
 * it is read, header member put in front) is the file a later process
 * rebuilds from the log, byte for byte, and it is two gzip members: the
 * header line alone, then the record lines.
 */
static void
test_single_pass_equals_rebuild(void **st)
{
	char *dir, out[400], why[200], *head = malloc(BATCH_HEAD_MAX);
	struct sync_config cfg;
	struct store *s;
	struct upload u1, u2;
	struct sync_batch b;
	struct batch_head *h = malloc(sizeof(*h));
	struct text body = {malloc(1 << 20), 0};
	struct pack *ph, *pb;
	const uint8_t *d1, *d2, *dh, *db;
	uint8_t *keep;
	size_t l1, l2, lh, lb, hl;

	(void) st;
	s = fx_store(&dir, NULL);
	assert_non_null(s);
	add(s, 95, 10);
	config_defaults(&cfg);
	snprintf(cfg.data, sizeof(cfg.data), "%s", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	assert_int_equal(mkdir(out, 0755), 0);
	snprintf(cfg.tr.url, sizeof(cfg.tr.url), "file://%s", out);
	cfg.batch_records = 40;
	cfg.roster_path[0] = '\0';
	assert_int_equal(upload_init(&u1, s, &cfg), GU_OK);
	assert_int_equal(upload_pass(&u1), GU_OK);
	/* the newest regular batch sent is in u1's pack, as frozen */
	assert_int_not_equal(u1.pk_id, 0);
	assert_int_equal(store_sync_batch(s, u1.pk_id, &b), GU_OK);
	assert_int_equal(b.urgent, 0);
	d1 = pack_data(u1.pk, &l1);
	keep = malloc(l1);
	memcpy(keep, d1, l1);
	assert_int_equal(
	    batch_verify(keep, l1, h, text_fn, &body, why, sizeof(why)), GU_OK);
	assert_int_equal(h->id, b.id - 1); /* after one urgent batch */
	/* another process rebuilds it from the log: the same bytes */
	assert_int_equal(upload_init(&u2, s, &cfg), GU_OK);
	assert_int_equal(u2.pk_id, 0);
	assert_int_equal(upload_build(&u2, &b), GU_OK);
	assert_int_equal(u2.pk_id, b.id);
	d2 = pack_data(u2.pk, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(keep, d2, l1);
	/* member 1 is the header line alone, member 2 the record lines */
	h->signer = &u1.key;
	assert_int_equal(
	    batch_head_format(h, head, BATCH_HEAD_MAX, &hl), GU_OK);
	assert_int_equal(pack_new(&ph, 1 << 20), GU_OK);
	assert_int_equal(pack_write(ph, head, hl), GU_OK);
	assert_int_equal(pack_finish(ph), GU_OK);
	assert_int_equal(pack_new(&pb, 1 << 20), GU_OK);
	assert_int_equal(pack_write(pb, body.p, body.len), GU_OK);
	assert_int_equal(pack_finish(pb), GU_OK);
	dh = pack_data(ph, &lh);
	db = pack_data(pb, &lb);
	assert_int_equal(lh + lb, l1);
	assert_memory_equal(keep, dh, lh);
	assert_memory_equal(keep + lh, db, lb);
	pack_free(ph);
	pack_free(pb);
	upload_fini(&u1);
	upload_fini(&u2);
	store_close(s);
	fx_rmdir(dir);
	free(keep);
	free(body.p);
	free(head);
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
	    cmocka_unit_test(test_single_pass_equals_rebuild),
	    cmocka_unit_test(test_cursor_rules),
	    cmocka_unit_test(test_backoff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
