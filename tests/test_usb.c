/*
 * test_usb.c: how the kiosk finds a stick and asks for it to be unmounted
 * after an export (app/domain/usb.h).  The export itself, and what it
 * refuses on a prepared stick, is tests/usb_export.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "status.h"
#include "usb.h"

static void
slurp(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, cap - 1, f);
	out[n] = '\0';
	fclose(f);
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* No request file configured: nothing is written, nothing waited for. */
static void
eject_without_request(void **state)
{
	(void) state;
	assert_int_equal(usb_eject(NULL, "/proc", 5000), GU_OK);
	assert_int_equal(usb_eject("", "/proc", 5000), GU_OK);
}

/* The request holds the mount point and a newline, whole; a folder that
 * is not (or no longer) a mount returns at once. */
static void
eject_writes_request(void **state)
{
	char *dir = fx_tmpdir();
	char req[600], stick[600], got[700], want[700], part[620];
	struct stat st;

	(void) state;
	assert_non_null(dir);
	snprintf(req, sizeof(req), "%s/usb-eject", dir);
	snprintf(stick, sizeof(stick), "%s/usb-sdb1", dir);
	assert_int_equal(mkdir(stick, 0755), 0);
	assert_int_equal(usb_eject(req, stick, 5000), GU_OK);
	slurp(req, got, sizeof(got));
	snprintf(want, sizeof(want), "%s\n", stick);
	assert_string_equal(got, want);
	snprintf(part, sizeof(part), "%s.new", req);
	assert_int_not_equal(stat(part, &st), 0);
	/* Gone altogether (usb.sh removes the mount point): unmounted too. */
	assert_int_equal(rmdir(stick), 0);
	assert_int_equal(usb_eject(req, stick, 5000), GU_OK);
	fx_rmdir(dir);
}

/* A mount that stays mounted: GU_EBUSY after the wait, not before. */
static void
eject_waits_for_unmount(void **state)
{
	char *dir = fx_tmpdir();
	char req[600];
	struct stat a, b;
	int64_t t0;

	(void) state;
	assert_non_null(dir);
	/* /proc is a mount of its own wherever the tests run. */
	if (stat("/proc", &a) != 0 || stat("/", &b) != 0 ||
	    a.st_dev == b.st_dev) {
		fx_rmdir(dir);
		skip();
	}
	snprintf(req, sizeof(req), "%s/usb-eject", dir);
	t0 = mono_ms();
	assert_int_equal(usb_eject(req, "/proc", 300), GU_EBUSY);
	assert_true(mono_ms() - t0 >= 250);
	fx_rmdir(dir);
}

/* The request is never written through a link planted at its .new. */
static void
eject_refuses_link(void **state)
{
	char *dir = fx_tmpdir();
	char req[600], part[620], target[600], got[64];
	int fd;

	(void) state;
	assert_non_null(dir);
	snprintf(req, sizeof(req), "%s/usb-eject", dir);
	snprintf(part, sizeof(part), "%s.new", req);
	snprintf(target, sizeof(target), "%s/precious", dir);
	fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	assert_int_equal(symlink(target, part), 0);
	assert_int_equal(usb_eject(req, dir, 100), GU_EIO);
	slurp(target, got, sizeof(got));
	assert_string_equal(got, "keep");
	fx_rmdir(dir);
}

/* A folder under the media directory on the same file system is not a
 * stick; nothing at all is not one either. */
static void
find_needs_a_mount(void **state)
{
	char *dir = fx_tmpdir();
	char sub[600], out[600];

	(void) state;
	assert_non_null(dir);
	snprintf(sub, sizeof(sub), "%s/usb-sdb1", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(usb_find(dir, out, sizeof(out)), GU_ENOTFOUND);
	assert_int_equal(usb_find("", out, sizeof(out)), GU_ENOTFOUND);
	assert_int_equal(
	    usb_find("/nonexistent/media", out, sizeof(out)), GU_ENOTFOUND);
	fx_rmdir(dir);
}

/* The real guanai-sync exports to the folder, and then the request names
 * it: the kiosk always hands the stick back. */
static void
export_then_eject(void **state)
{
	const char *b = getenv("BUILD");
	char *dir = fx_tmpdir();
	char bin[600], data[600], stick[600], req[600], cmd[1400], msg[200],
	    got[700], want[700], man[700];
	struct stat st;

	(void) state;
	assert_non_null(dir);
	snprintf(bin, sizeof(bin), "%s/guanai-sync", b ? b : "build");
	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(stick, sizeof(stick), "%s/stick", dir);
	snprintf(req, sizeof(req), "%s/usb-eject", dir);
	assert_int_equal(mkdir(stick, 0755), 0);
	snprintf(cmd, sizeof(cmd),
	    "%s init --data %s --school-id S1 --school-name x --device d1 "
	    ">/dev/null",
	    bin, data);
	assert_int_equal(system(cmd), 0);
	setenv("GUANAI_USB_EJECT", req, 1);
	assert_int_equal(usb_export(bin, data, stick, msg, sizeof(msg)), GU_OK);
	unsetenv("GUANAI_USB_EJECT");
	assert_non_null(strstr(msg, "exported"));
	snprintf(man, sizeof(man), "%s/guanai-export/manifest.txt", stick);
	assert_int_equal(stat(man, &st), 0);
	slurp(req, got, sizeof(got));
	snprintf(want, sizeof(want), "%s\n", stick);
	assert_string_equal(got, want);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(eject_without_request),
	    cmocka_unit_test(eject_writes_request),
	    cmocka_unit_test(eject_waits_for_unmount),
	    cmocka_unit_test(eject_refuses_link),
	    cmocka_unit_test(find_needs_a_mount),
	    cmocka_unit_test(export_then_eject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
