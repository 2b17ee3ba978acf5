/*
 * test_bitrot.c: a store on a disk that rots.  A 2,000-record store gets
 * 200 single-bit flips, one at a time, each in a fresh copy; for each,
 * in a child process (so a crash is seen, not suffered), a read-only
 * open and store_check() must either report the damage, or say the store
 * is consistent and then every record and every entity must read back
 * exactly as before the flip.  Never a crash, never a changed record that
 * passes.  And a store whose newest record fails its checksum opens,
 * says it is damaged and refuses appends (GU_ECORRUPT).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fixture.h"
#include "store_dump.h"

#define N_RECORDS 2000
#define N_FLIPS 200

struct digest {
	uint64_t h;
};

static void
mix(struct digest *d, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		d->h = (d->h ^ b[i]) * 1099511628211ull;
}

static int
rec_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	uint8_t buf[REC_ENCODED_MAX];
	size_t len;

	if (rec_encode(r, buf, sizeof(buf), &len) != GU_OK)
		return 1;
	mix(arg, buf, len);
	mix(arg, &voided_by, sizeof(voided_by));
	return 0;
}

/* Everything the store says, folded into one number. */
static int
store_digest(struct store *s, uint64_t *out)
{
	struct digest d = {14695981039346656037ull};
	char *text = 0;
	size_t tl = 0;
	FILE *f;
	int rc;

	rc = store_log_walk(s, 1, rec_fn, &d);
	if (rc != GU_OK)
		return rc;
	f = open_memstream(&text, &tl);
	if (f == 0)
		return GU_ENOMEM;
	rc = store_dump_entities(s, f);
	fclose(f);
	mix(&d, text, tl);
	free(text);
	*out = d.h;
	return rc;
}

static char *
make_store(uint64_t *digest)
{
	static struct record rs[500];
	char *dir = 0, why[256];
	struct store *s = fx_store(&dir, 0);
	static const char *kids[] = {"C001", "C002", "C003", "C004", "C005"};

	assert_non_null(s);
	for (int chunk = 0; chunk < N_RECORDS / 500; chunk++) {
		for (int i = 0; i < 500; i++) {
			int n = chunk * 500 + i;
			fx_checkin(&rs[i], kids[n % 5],
			    FX_TIME + (int64_t) n * 3600 * 1000);
			if (n % 100 == 99) {
				rec_init(&rs[i], REC_CONCERN);
				rs[i].time_ms = FX_TIME + (int64_t) n * 3600000;
				rs[i].tz_min = 480;
				rs[i].flags = REC_FLAG_URGENT;
				fx_cpy(
				    rs[i].author, sizeof(rs[i].author), "T001");
				rec_set_str(&rs[i], F_CHILD, kids[n % 5]);
				rec_set_str(&rs[i], F_CONCERNS, "low_mood");
				rec_set_int(&rs[i], F_URGENT, 1);
			}
		}
		assert_int_equal(
		    store_append_n(s, rs, 500, 0, why, sizeof(why)), GU_OK);
	}
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	assert_int_equal(store_digest(s, digest), GU_OK);
	store_close(s);
	return dir;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *p;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	p = malloc((size_t) st.st_size);
	assert_int_equal(read(fd, p, (size_t) st.st_size), st.st_size);
	close(fd);
	*len = (size_t) st.st_size;
	return p;
}

static void
spill(const char *dir, const uint8_t *p, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/lock.mdb", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, len), (ssize_t) len);
	close(fd);
}

/* Exit 0: consistent and unchanged; 10: damage reported; 20: changed. */
static int
judge(const char *dir, uint64_t want)
{
	struct store *s = 0;
	char why[256];
	uint64_t got = 0;
	int rc;

	rc = store_open_ro(&s, dir, why, sizeof(why));
	if (rc != GU_OK)
		return 10;
	rc = store_check(s, why, sizeof(why));
	if (rc != GU_OK) {
		store_close(s);
		return 10;
	}
	rc = store_digest(s, &got);
	store_close(s);
	if (rc != GU_OK)
		return 10; /* a read reported it */
	return got == want ? 0 : 20;
}

static void
flips(void **state)
{
	uint64_t want, x = 0x9E3779B97F4A7C15ull;
	char path[512], *dir, *work = fx_tmpdir();
	uint8_t *orig, *copy;
	size_t len;
	int n_ok = 0, n_damage = 0;

	(void) state;
	dir = make_store(&want);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	orig = slurp(path, &len);
	copy = malloc(len);
	for (int i = 0; i < N_FLIPS; i++) {
		size_t off;
		int bit, st;
		pid_t pid;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		off = (size_t) (x % len);
		bit = (int) ((x >> 40) % 8);
		memcpy(copy, orig, len);
		copy[off] ^= (uint8_t) (1u << bit);
		spill(work, copy, len);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(judge(work, want));
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (WIFSIGNALED(st))
			fail_msg("flip %d (byte %zu bit %d): check died of "
			         "signal %d",
			    i, off, bit, WTERMSIG(st));
		if (WEXITSTATUS(st) == 20)
			fail_msg("flip %d (byte %zu bit %d): the store says "
			         "consistent but reads differently",
			    i, off, bit);
		assert_true(WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 10);
		if (WEXITSTATUS(st) == 0)
			n_ok++;
		else
			n_damage++;
	}
	/* A file cut short (a copy that did not finish): reported. */
	{
		int st;
		pid_t pid;

		spill(work, orig, len / 2);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(judge(work, want));
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_false(WIFSIGNALED(st));
		assert_int_equal(WEXITSTATUS(st), 10);
	}
	printf("%d flips: %d reported as damage, %d provably harmless\n",
	    N_FLIPS, n_damage, n_ok);
	/* Most of the file is records and pages: damage must be seen. */
	assert_true(n_damage > 0);
	free(orig);
	free(copy);
	fx_rmdir(work);
	fx_rmdir(dir);
}

/* A rotten newest record: the open says damaged, appends refused. */
static void
damaged_refuses_appends(void **state)
{
	struct record r, last;
	struct store *s = 0;
	struct store_info in;
	uint8_t enc[REC_ENCODED_MAX], *file, *hit;
	char path[512], why[256], *dir = 0;
	size_t len, el;

	(void) state;
	s = fx_store(&dir, 0);
	assert_non_null(s);
	for (int i = 0; i < 10; i++) {
		fx_checkin(&r, "C001", FX_TIME + i * 1000);
		assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	}
	assert_int_equal(store_get(s, 10, &last), GU_OK);
	store_close(s);
	assert_int_equal(rec_encode(&last, enc, sizeof(enc), &el), GU_OK);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	file = slurp(path, &len);
	hit = memmem(file, len, enc, el);
	assert_non_null(hit);
	hit[20] ^= 0x10; /* the time: a plausible value, a wrong one */
	spill(dir, file, len);
	free(file);

	assert_int_equal(store_open(&s, dir, 0), GU_OK);
	assert_int_equal(store_info(s, &in), GU_OK);
	assert_int_equal(in.damaged, 1);
	assert_int_equal(store_get(s, 10, &last), GU_ECORRUPT);
	fx_checkin(&r, "C002", FX_TIME);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_ECORRUPT);
	assert_non_null(strstr(why, "damaged"));
	assert_int_equal(r.seq, 0);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_ECORRUPT);
	assert_non_null(strstr(why, "seq 10"));
	store_close(s);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(damaged_refuses_appends),
	    cmocka_unit_test(flips),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
