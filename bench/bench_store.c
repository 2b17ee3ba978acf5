/*
 * bench_store.c: the store's figures for issue 2, printed beside their
 * targets: durable append latency (p50, p99) and appends per second; the
 * child-file and mentor's-children queries at 100k and 1M records; bytes
 * per record on disk.  BENCH_RECORDS (default 1000000) sets the big size.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/fixture.h"
#include "clock.h"

#define N_KIDS 600
#define N_MENTORS 20

static double
now_ms(void)
{
	return (double) clock_mono_us() / 1e3;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, size_t n, double p)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return v[(size_t) (p * (double) (n - 1))];
}

static int
roster(struct store *s)
{
	struct child *c = calloc(N_KIDS, sizeof(*c));
	struct staff st[N_MENTORS];
	char why[256];
	int rc;

	memset(st, 0, sizeof(st));
	for (int i = 0; i < N_MENTORS; i++) {
		snprintf(st[i].id, sizeof(st[i].id), "T%03d", i);
		snprintf(st[i].name, sizeof(st[i].name), "老师%d", i);
		st[i].roles = ROLE_MENTOR;
		snprintf(st[i].pin_hash, sizeof(st[i].pin_hash), "x");
	}
	for (int i = 0; i < N_KIDS; i++) {
		snprintf(c[i].id, sizeof(c[i].id), "G2016%05d", i);
		snprintf(c[i].name, sizeof(c[i].name), "学生%d", i);
		snprintf(c[i].class_name, sizeof(c[i].class_name), "%d年级%d班",
		    i / 100 + 1, i / 40 % 3 + 1);
		snprintf(c[i].mentor_id, sizeof(c[i].mentor_id), "T%03d",
		    i % N_MENTORS);
	}
	rc = store_roster_replace(
	    s, c, N_KIDS, st, N_MENTORS, 0, 0, why, sizeof(why));
	free(c);
	return rc;
}

static void
record_for(struct record *r, uint64_t i)
{
	char kid[16], mentor[16];

	snprintf(kid, sizeof(kid), "G2016%05u", (unsigned) (i % N_KIDS));
	snprintf(mentor, sizeof(mentor), "T%03u",
	    (unsigned) (i % N_KIDS % N_MENTORS));
	if (i % 3 == 2) {
		rec_init(r, REC_STUDENT_LOG);
		r->flags = REC_FLAG_BY_STUDENT;
		fx_cpy(r->author, sizeof(r->author), kid);
		rec_set_str(r, F_CHILD, kid);
		rec_set_str(r, F_MENTOR, mentor);
		rec_set_add(r, F_TOPICS, "study");
		rec_set_int(r, F_FEELING, 4);
	} else {
		rec_init(r, REC_CHECKIN);
		fx_cpy(r->author, sizeof(r->author), mentor);
		rec_set_str(r, F_CHILD, kid);
		rec_set_str(r, F_TYPE, "talk");
		rec_set_int(r, F_MOOD, 4);
		rec_set_add(r, F_NOTES, "progress");
	}
	r->time_ms = FX_TIME + (int64_t) i * 60000;
	r->tz_min = 480;
}

static int
page_fn(void *arg, const struct record *r, uint64_t voided)
{
	int *n = arg;

	(void) r;
	(void) voided;
	return ++*n >= 50;
}

/* Mean ms of the child-file first page (50 newest) and the mentor list. */
static void
queries(struct store *s, double *file_ms, double *mentor_ms)
{
	struct child_summary cs[64];
	double t[200];
	size_t n;

	for (int i = 0; i < 200; i++) {
		char kid[16];
		int got = 0;
		snprintf(kid, sizeof(kid), "G2016%05d", (i * 37) % N_KIDS);
		double t0 = now_ms();
		store_child_file(s, kid, 0, page_fn, &got);
		t[i] = now_ms() - t0;
	}
	*file_ms = pct(t, 200, 0.5);
	for (int i = 0; i < 200; i++) {
		char m[16];
		snprintf(m, sizeof(m), "T%03d", i % N_MENTORS);
		double t0 = now_ms();
		store_mentor_children(s, m, cs, 64, &n);
		t[i] = now_ms() - t0;
	}
	*mentor_ms = pct(t, 200, 0.5);
}

static int
bulk(struct store *s, uint64_t from, uint64_t to)
{
	static struct record rs[5000];
	char why[256];

	for (uint64_t i = from; i < to;) {
		size_t n = 0;
		while (n < 5000 && i < to)
			record_for(&rs[n++], i++);
		if (store_append_n(s, rs, n, 0, why, sizeof(why)) != GU_OK) {
			fprintf(stderr, "bulk append: %s\n", why);
			return 1;
		}
	}
	return 0;
}

int
main(void)
{
	const char *env = getenv("BENCH_RECORDS");
	uint64_t big = env ? strtoull(env, 0, 10) : 1000000;
	struct store_limits lim = {64 << 20, 8ull << 30, 1 << 20};
	struct store_info in;
	struct store *s;
	struct record r;
	char *dir, why[256];
	double lat[2000], t0, total, f100, m100, fbig, mbig;
	const int n_app = 2000;

	dir = fx_tmpdir();
	if (dir == 0 ||
	    store_create(dir, "S001", "基准学校", "kiosk-01", &lim) != GU_OK ||
	    store_open(&s, dir, &lim) != GU_OK || roster(s) != GU_OK) {
		fprintf(stderr, "bench_store: cannot make a store\n");
		return 1;
	}
	/* Durable single appends, each its own transaction and fsync. */
	t0 = now_ms();
	for (int i = 0; i < n_app; i++) {
		record_for(&r, (uint64_t) i);
		double a = now_ms();
		if (store_append(s, &r, why, sizeof(why)) != GU_OK) {
			fprintf(stderr, "append: %s\n", why);
			return 1;
		}
		lat[i] = now_ms() - a;
	}
	total = now_ms() - t0;
	double p50 = pct(lat, n_app, 0.5), p99 = pct(lat, n_app, 0.99);

	if (bulk(s, n_app, 100000))
		return 1;
	queries(s, &f100, &m100);
	if (bulk(s, 100000, big))
		return 1;
	queries(s, &fbig, &mbig);
	store_info(s, &in);

	printf(
	    "\nstore (issue 2)                          measured     target\n");
	printf("durable append p50                      %7.2f ms\n", p50);
	printf("durable append p99                      %7.2f ms   <= 10 ms\n",
	    p99);
	printf("durable appends per second              %7.0f /s\n",
	    n_app / (total / 1e3));
	printf("child file, first 50, at 100k records   %7.3f ms   <= 2 ms\n",
	    f100);
	printf("child file, first 50, at %4" PRIu64 "k records   %7.3f ms   "
	       "<= 2 ms, flat\n",
	    big / 1000, fbig);
	printf("mentor's children (30) at 100k records  %7.3f ms   <= 2 ms\n",
	    m100);
	printf("mentor's children (30) at %4" PRIu64 "k records  %7.3f ms   "
	       "<= 2 ms, flat\n",
	    big / 1000, mbig);
	printf("growth of the queries 100k -> %" PRIu64
	       "k       x%.2f, x%.2f\n",
	    big / 1000, fbig / f100, mbig / m100);
	printf("bytes per record in the store           %7.0f B\n",
	    (double) in.used_bytes / (double) in.last_seq);
	printf("%s\n",
	    p99 <= 10 && fbig <= 2 && mbig <= 2 ? "store targets: met"
	                                        : "store targets: NOT met");
	store_close(s);
	fx_rmdir(dir);
	return 0;
}
