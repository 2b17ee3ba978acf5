/*
 * test_ui_export.c: 导出台账 and 导出档案 on the kiosk (issue 13), end to
 * end without a display: the real event loop, headless, clock fixed at
 * 2026-03-02 08:30 (+08), the real guanai-sync (and behind it
 * guanai-ledger) run by the kiosk as a child process, a temp dir on
 * another file system (/dev/shm) as the USB stick.  The headteacher's
 * three taps (导出台账, 本学期, 导出到U盘) with no stick, then with one; a
 * full stick (a 48 KiB tmpfs, where mounting is allowed); a stick pulled
 * out while the program runs; a mentor's files as PDF.  Each asserts what
 * reached the stick (complete files only, never a .part) and the store
 * (REC_EXPORT: who, what, the period, the children); golden screenshots
 * at 1024x600, 1920x1080 and 600x1024, the layout check at each.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk.h"
#include "pin.h"
#include "status.h"
#include "store.h"
#include "ui_harness.h"

/* The school of test_ui_care.c: 赵老师 T001 (mentor of C001, C002; PIN
 * 1234), 周校长 T009 (head; 9999). */
static void
make_store(const char *dir)
{
	static const char *const pins[] = {
	    "T001", "1234", "T009", "9999", NULL};

	ui_school(dir, "care-children.csv", "care-staff.csv", pins);
}

/* The stick: fx dir/media/STICK -> /dev/shm/guanai-stick-PID. */
static char stick[128];

static int
setup(void **state)
{
	struct fx *f;
	char bin[PATH_MAX], cmd[600];
	const char *b = getenv("BUILD");
	size_t n;

	if (ui_setup(state, "/tmp/guanai-uiexport-XXXXXX", make_store) != 0)
		return -1;
	f = *state;
	/* The programs the kiosk runs (a sanitizer build of guanai-sync and
	 * guanai-ledger) inherit tests/ledger.sh's suppressions of what
	 * cairo and fontconfig lose, not ours. */
	snprintf(cmd, sizeof(cmd), "suppressions=%s/tests/ledger.lsan.supp",
	    srcdir());
	setenv("LSAN_OPTIONS", cmd, 1);
	snprintf(cmd, sizeof(cmd), "%s/guanai-sync", b ? b : "build");
	if (realpath(cmd, bin) == NULL ||
	    (n = strlen(bin)) >= sizeof(f->cfg.sync_bin)) {
		fprintf(stderr, "no %s: build it first\n", cmd);
		return -1;
	}
	memcpy(f->cfg.sync_bin, bin, n + 1);
	snprintf(
	    f->cfg.media_dir, sizeof(f->cfg.media_dir), "%s/media", f->dir);
	mkdir(f->cfg.media_dir, 0755);
	snprintf(
	    stick, sizeof(stick), "/dev/shm/guanai-stick-%d", (int) getpid());
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "umount '%s' 2>/dev/null; rm -rf '%s'",
	    stick, stick);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", stick);
	return ui_teardown(state);
}

/* Plugs the stick in: a fresh folder on /dev/shm linked under media. */
static void
plug(struct fx *f)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd),
	    "rm -rf '%s' && mkdir '%s' && ln -sfn '%s' '%s/STICK'", stick,
	    stick, stick, f->cfg.media_dir);
	assert_int_equal(system(cmd), 0);
}

/* The number of files under dir whose names end in suffix. */
static int
count(const char *dir, const char *suffix)
{
	char cmd[600], out[32] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd),
	    "find '%s' -type f -name '*%s' 2>/dev/null | wc -l", dir, suffix);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(out, sizeof(out), p) == NULL)
		out[0] = '\0';
	pclose(p);
	return (int) strtol(out, NULL, 10);
}

struct exports {
	int n;
	struct record last;
	char children[256];
};

static int
export_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct exports *e = arg;
	size_t n;

	(void) voided_by;
	if (r->kind != REC_EXPORT)
		return 0;
	e->n++;
	e->last = *r;
	if (rec_str(r, F_CHILD) != NULL) {
		n = strlen(e->children);
		snprintf(e->children + n, sizeof(e->children) - n, "%s ",
		    rec_str(r, F_CHILD));
	}
	return 0;
}

static void
exports(struct fx *f, struct exports *e)
{
	struct store *s = NULL;
	char path[512];

	memset(e, 0, sizeof(*e));
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_open(&s, path, NULL), GU_OK);
	assert_int_equal(store_log_walk(s, 1, export_cb, e), GU_OK);
	store_close(s);
}

#define NO_STICK "没有找到U盘。请把U盘插到一体机上，等几秒再点“导出到U盘”。"

#define SIGNIN_HEAD                                                            \
	"wait 200\n"                                                           \
	"tap-text 校长\n"                                                    \
	"tap-text 周校长\n"                                                 \
	"tap-text 9\ntap-text 9\ntap-text 9\ntap-text 9\n"                     \
	"tap-text 确定\n"

/* The three taps; the program has up to 30 s of virtual time (frames
 * every 50 ms, each waiting up to 20 ms for its output) to finish. */
#define THREE_TAPS                                                             \
	"tap-text 导出台账\n"                                              \
	"expect 选择时间段：\n"                                          \
	"tap-text 本学期\n"                                                 \
	"tap-text 导出到U盘\n"

static void
judged(struct fx *f)
{
	assert_int_equal(f->k.ui.small_targets, 0);
	assert_int_equal(f->k.ui.overflow, 0);
}

/* No stick, then a stick: three taps, ten workbooks, one record. */
static void
head_ledgers(void **state)
{
	struct fx *f = *state;
	struct exports e;
	char script[2048], name[64], dir[600];

	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		snprintf(dir, sizeof(dir), "%s/STICK", f->cfg.media_dir);
		unlink(dir); /* no stick */
		snprintf(script, sizeof(script),
		    SIGNIN_HEAD "shot export_head_%s\n" THREE_TAPS
		                "expect " NO_STICK "\n"
		                "shot export_no_stick_%s\n",
		    ui_sizes[i].tag, ui_sizes[i].tag);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		judged(f);
		exports(f, &e);
		assert_int_equal(e.n, (int) i); /* nothing for no stick */

		plug(f);
		snprintf(script, sizeof(script),
		    SIGNIN_HEAD THREE_TAPS
		    "wait 30000\n"
		    "expect 已导出 10 个文件到U盘（台账-"
		    "2026-spring）\n"
		    "expect 这次导出已经记下（谁、什么时候、导出了什么）。\n"
		    "shot export_done_%s\n"
		    "tap-text 完成\n"
		    "expect 导出台账\n",
		    ui_sizes[i].tag);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		judged(f);
		snprintf(dir, sizeof(dir), "%s/台账-2026-spring", stick);
		assert_int_equal(count(dir, ".xlsx"), 10);
		assert_int_equal(count(stick, ".part"), 0);
		exports(f, &e);
		assert_int_equal(e.n, (int) i + 1);
		assert_string_equal(e.last.author, "T009");
		assert_string_equal(rec_str(&e.last, F_EXPORT), "all");
		assert_string_equal(rec_str(&e.last, F_VIA), "kiosk");
		assert_string_equal(rec_str(&e.last, F_FROM), "2026-02-01");
		assert_string_equal(rec_str(&e.last, F_TO), "2026-08-31");
		snprintf(name, sizeof(name), "export_head_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(
		    name, sizeof(name), "export_no_stick_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(name, sizeof(name), "export_done_%s", ui_sizes[i].tag);
		golden(f, name);
	}
}

/* A mentor: 导出档案, 导出到U盘: one PDF of his two children, a record
 * per child. */
static void
mentor_files(void **state)
{
	struct fx *f = *state;
	struct exports e;
	char script[2048], name[64], dir[256];

	for (size_t i = 0; i < UI_NSIZES; i++) {
		f->cfg.screen_diagonal_inch = ui_sizes[i].inch;
		plug(f);
		snprintf(script, sizeof(script),
		    "wait 200\n"
		    "tap-text 导师\n"
		    "tap-text 赵老师\n"
		    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\n"
		    "tap-text 确定\n"
		    "shot export_mentor_%s\n"
		    "tap-text 导出档案\n"
		    "expect 导出孩子档案到U盘\n"
		    "shot export_files_%s\n"
		    "tap-text 导出到U盘\n"
		    /* the PDF is made by guanai-ledger in real time (a
		     * sanitizer build on a busy machine is slow); the idle
		     * sign-out waits while it runs */
		    "wait 90000\n"
		    "tap 500 60\n" /* the title: still here */
		    "expect 已导出 1 个文件到U盘（一人一档）\n"
		    "shot export_files_done_%s\n",
		    ui_sizes[i].tag, ui_sizes[i].tag, ui_sizes[i].tag);
		assert_int_equal(
		    run(f, script, ui_sizes[i].w, ui_sizes[i].h), GU_OK);
		judged(f);
		snprintf(
		    dir, sizeof(dir), "%s/一人一档/T001-20260302.pdf", stick);
		assert_int_equal(access(dir, R_OK), 0);
		assert_int_equal(count(stick, ".part"), 0);
		exports(f, &e);
		assert_int_equal(e.n, 2 * ((int) i + 1));
		assert_string_equal(e.last.author, "T001");
		assert_string_equal(rec_str(&e.last, F_EXPORT), "file");
		assert_string_equal(rec_str(&e.last, F_MENTOR), "T001");
		assert_non_null(strstr(e.children, "C001 C002 "));
		snprintf(
		    name, sizeof(name), "export_mentor_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(
		    name, sizeof(name), "export_files_%s", ui_sizes[i].tag);
		golden(f, name);
		snprintf(name, sizeof(name), "export_files_done_%s",
		    ui_sizes[i].tag);
		golden(f, name);
	}
}

/*
 * The stick pulled out while the program runs: guanai-sync is started
 * through a script that waits, takes the stick's folder away as pulling
 * it out does, and then runs the real program.  The bar shows meanwhile;
 * then the plain message, and nothing recorded.
 */
static void
pulled_out(void **state)
{
	struct fx *f = *state;
	struct exports e;
	char bin[sizeof(f->cfg.sync_bin) - 64], real[sizeof(f->cfg.sync_bin)];
	FILE *fp;

	plug(f);
	memcpy(real, f->cfg.sync_bin, sizeof(real));
	snprintf(bin, sizeof(bin), "%s/pull-then-sync", f->dir);
	fp = fopen(bin, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\nsleep 2\nrm -rf '%s'/*\nexec '%s' \"$@\"\n",
	    stick, real);
	fclose(fp);
	chmod(bin, 0755);
	memcpy(f->cfg.sync_bin, bin, strlen(bin) + 1);
	assert_int_equal(
	    run_sizes(f,
	        SIGNIN_HEAD THREE_TAPS "wait 300\n"
	                               "expect 正在导出……\n"
	                               "expect 请不要拔出U盘。\n"
	                               "shot export_running\n"
	                               "wait 30000\n"
	                               "expect "
	                               "U盘被拔出了，没有导出完。没写完的文件不"
	                               "会留下。请重新插上U盘再试。\n"
	                               "shot export_gone\n"),
	    GU_OK);
	judged(f);
	memcpy(f->cfg.sync_bin, real, sizeof(real));
	assert_int_equal(count(stick, ".xlsx"), 0);
	assert_int_equal(count(stick, ".part"), 0);
	exports(f, &e);
	assert_int_equal(e.n, 0);
	golden(f, "export_running");
	golden(f, "export_gone");
}

/* The stick of full_stick as it was before the export: 40 KiB of its
 * 48 taken. */
static void
nearly_full(struct fx *f)
{
	char cmd[600];

	(void) f;
	snprintf(cmd, sizeof(cmd),
	    "rm -rf '%s'/* && "
	    "dd if=/dev/zero of='%s/photos.bin' bs=1k count=40 2>/dev/null",
	    stick, stick);
	assert_int_equal(system(cmd), 0);
}

/* A full stick (a 48 KiB tmpfs): the plain message, no file under its
 * final name, and only what was written recorded. */
static void
full_stick(void **state)
{
	struct fx *f = *state;
	struct exports e;
	char cmd[600];
	int xlsx;

	plug(f);
	snprintf(cmd, sizeof(cmd),
	    "mount -t tmpfs -o size=48k tmpfs '%s' 2>/dev/null", stick);
	if (system(cmd) != 0) {
		fprintf(stderr, "(no tmpfs mounts here: full stick not run)\n");
		skip();
	}
	/* Nearly full already, before the export at each size. */
	f->before_size = nearly_full;
	assert_int_equal(
	    run_sizes(f,
	        SIGNIN_HEAD THREE_TAPS "wait 30000\n"
	                               "expect "
	                               "U盘满了，没有导出完。请换一个有空间的U"
	                               "盘，或删掉一些文件再试。\n"
	                               "shot export_full\n"),
	    GU_OK);
	judged(f);
	xlsx = count(stick, ".xlsx");
	assert_int_equal(count(stick, ".part"), 0);
	exports(f, &e);
	/* Each workbook that did get written whole is recorded. */
	assert_int_equal(e.n, xlsx);
	golden(f, "export_full");
}

/* The kiosk gives the ledgers' overdue list its own rules (contact_days,
 * term_start), so the sheet and its 待办 agree: guanai-sync is started
 * through a script that writes down its arguments. */
static void
kiosk_rules(void **state)
{
	struct fx *f = *state;
	char bin[sizeof(f->cfg.sync_bin) - 64], real[sizeof(f->cfg.sync_bin)];
	char args[600], got[2048];
	FILE *fp;
	size_t n;

	plug(f);
	f->cfg.contact_days = 21;
	snprintf(f->cfg.term_start, sizeof(f->cfg.term_start), "2026-02-16");
	memcpy(real, f->cfg.sync_bin, sizeof(real));
	snprintf(bin, sizeof(bin), "%s/args-then-sync", f->dir);
	snprintf(args, sizeof(args), "%s/args", f->dir);
	fp = fopen(bin, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\necho \"$*\" > '%s'\nexec '%s' \"$@\"\n", args,
	    real);
	fclose(fp);
	chmod(bin, 0755);
	memcpy(f->cfg.sync_bin, bin, strlen(bin) + 1);
	assert_int_equal(
	    run(f,
	        SIGNIN_HEAD THREE_TAPS "wait 30000\n"
	                               "expect 已导出 10 个文件到U盘"
	                               "（台账-2026-spring）\n",
	        1024, 600),
	    GU_OK);
	judged(f);
	memcpy(f->cfg.sync_bin, real, sizeof(real));
	fp = fopen(args, "r");
	assert_non_null(fp);
	n = fread(got, 1, sizeof(got) - 1, fp);
	got[n] = '\0';
	fclose(fp);
	assert_non_null(strstr(got, "--contact-days 21 "));
	assert_non_null(strstr(got, "--term-start 2026-02-16 "));
	assert_non_null(strstr(got, " all "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(head_ledgers, setup, teardown),
	    cmocka_unit_test_setup_teardown(mentor_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(pulled_out, setup, teardown),
	    cmocka_unit_test_setup_teardown(full_stick, setup, teardown),
	    cmocka_unit_test_setup_teardown(kiosk_rules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
