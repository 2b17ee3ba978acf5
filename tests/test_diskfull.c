/*
 * test_diskfull.c: the file system itself fills up (issue 10 item 4).  A
 * store on a small tmpfs; a filler file takes every free block; ordinary
 * appends must end in GU_EFULL ("storage full"), never GU_EIO, and an
 * urgent concern must still be saved, in the room of the reserve the
 * store keeps on disk (DIR/urgent-reserve).  Needs root for the mount:
 * skipped (77) otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "fixture.h"

static char *mnt;

static void
fill(const char *dir)
{
	static char block[64 * 1024];
	char path[512];
	ssize_t w;
	int fd;

	snprintf(path, sizeof(path), "%s/filler", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	memset(block, 'x', sizeof(block));
	/* Big writes, then small ones, to the last free byte. */
	for (size_t n = sizeof(block); n >= 512; n /= 2)
		while ((w = write(fd, block, n)) > 0)
			;
	close(fd);
}

static void
urgent_saves_when_disk_full(void **state)
{
	struct store_limits lim = {.map_bytes = 1 << 20};
	struct record r;
	struct store *s;
	struct stat st;
	char dir[600], path[700], why[256];
	int rc = GU_OK, n_ok = 0;
	uint64_t urgent_seq;

	(void) state;
	snprintf(dir, sizeof(dir), "%s/store", mnt);
	assert_int_equal(
	    store_create(dir, "S001", "云溪区示范小学", "kiosk-01", &lim),
	    GU_OK);
	assert_int_equal(store_open(&s, dir, &lim), GU_OK);
	assert_int_equal(fx_roster(s), GU_OK);
	snprintf(path, sizeof(path), "%s/urgent-reserve", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true((uint64_t) st.st_blocks * 512 >= 1 << 20);

	fill(mnt);
	/* Ordinary records until the disk says no: storage full. */
	for (int i = 0; i < 20000 && rc == GU_OK; i++) {
		fx_checkin(&r, "C001", FX_TIME + i);
		rec_set_str(&r, F_NOTES, "progress,stable");
		rc = store_append(s, &r, why, sizeof(why));
		n_ok += rc == GU_OK;
	}
	if (rc != GU_EFULL)
		fail_msg("an ordinary append on a full disk: %s (%s), want "
		         "GU_EFULL",
		    status_name(rc), why);
	assert_string_equal(why, "storage full");

	/* A mandatory report still goes in. */
	rec_init(&r, REC_CONCERN);
	r.time_ms = FX_TIME + 30000;
	r.tz_min = 480;
	r.flags = REC_FLAG_URGENT;
	fx_cpy(r.author, sizeof(r.author), "T001");
	rec_set_str(&r, F_CHILD, "C002");
	rec_set_str(&r, F_CONCERNS, "harm");
	rec_set_int(&r, F_URGENT, 1);
	rc = store_append(s, &r, why, sizeof(why));
	if (rc != GU_OK)
		fail_msg("urgent concern on a full disk: %s (%s)",
		    status_name(rc), why);
	urgent_seq = r.seq;
	assert_true(urgent_seq == (uint64_t) n_ok + 1);
	/* The reserve was given for it; ordinary writes stay refused. */
	assert_int_not_equal(stat(path, &st), 0);
	fx_checkin(&r, "C003", FX_TIME + 40000);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_EFULL);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);

	/* Room again: the reserve comes back, ordinary writes go on. */
	snprintf(path, sizeof(path), "%s/filler", mnt);
	unlink(path);
	assert_int_equal(store_open(&s, dir, &lim), GU_OK);
	assert_int_equal(store_get(s, urgent_seq, &r), GU_OK);
	assert_int_equal(r.kind, REC_CONCERN);
	fx_checkin(&r, "C003", FX_TIME + 50000);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	snprintf(path, sizeof(path), "%s/urgent-reserve", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(urgent_saves_when_disk_full),
	};
	int rc;

	mnt = fx_tmpdir();
	if (mnt == 0 || geteuid() != 0 ||
	    mount("tmpfs", mnt, "tmpfs", 0, "size=6m") != 0) {
		printf("needs root to mount a small tmpfs (%s)\n",
		    strerror(errno));
		fx_rmdir(mnt);
		return 77;
	}
	rc = cmocka_run_group_tests(tests, 0, 0);
	/* Lazily: a failed test may leave the store open on it. */
	umount2(mnt, MNT_DETACH);
	fx_rmdir(mnt);
	return rc;
}
