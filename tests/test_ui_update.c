/*
 * test_ui_update.c: 系统更新 on the kiosk (issue 14), end to end without a
 * display: the real event loop, headless, clock fixed at 2026-03-02 08:30
 * (+08), a temp dir on another file system (/dev/shm) as the USB stick.
 *
 * `rauc info` is the real rauc on REAL bundles made by tests/lib/rauc.sh
 * (a throwaway CA, a bundle signed by it, one signed by an unrelated CA,
 * one for another device class, one truncated), checked against a
 * system.conf whose keyring is that CA.  `rauc install` cannot run on a
 * host without slots: the kiosk's rauc_bin is a test double (a script
 * written below) that hands `info` to the real rauc and, for `install`,
 * prints rauc 1.8's own progress lines (its "%3d%% STEP" format), stops
 * at 40% until the test has taken its picture of the bar, and ends with
 * "Installing `B` succeeded".  The real install is tested on the image
 * (make image-check, next session).
 *
 * What is shown, at all five sizes with golden pictures and the layout
 * check: the notice on the head's screen, the bundle screen, the PIN
 * asked again, the bar midway, done (and the reboot request written), a
 * bundle signed by another CA refused, the head's screen after a good
 * update and after a rollback (DATA/update.state).
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

#define COMPAT "guanai-kiosk-x86_64"

/* 周校长 T009 (head; PIN 9999), the school of test_ui_care.c. */
static void
make_store(const char *dir)
{
	static const char *const pins[] = {
	    "T001", "1234", "T009", "9999", NULL};

	ui_school(dir, "care-children.csv", "care-staff.csv", pins);
}

static char stick[128];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	struct fx *f;
	char cmd[4096];
	FILE *fp;
	int rc;

	if (ui_setup(state, "/tmp/guanai-uiupdate-XXXXXX", make_store) != 0)
		return -1;
	f = *state;
	/* Real bundles (tests/lib/rauc.sh, shared with the image's tests). */
	snprintf(cmd, sizeof(cmd),
	    ". '%s/tests/lib/rauc.sh' && rauc_test_need && "
	    "rauc_test_ca '%s/ca' && mkdir -p '%s/b' && "
	    "rauc_test_bundle '%s/ca' 2.0.0 " COMPAT " '%s/b/good.raucb' "
	    "'导出台账更快；新增系统更新页面；修正竖屏下签到页的文字重叠' && "
	    "rauc_test_bundle '%s/ca/other' 2.0.0 " COMPAT
	    " '%s/b/other.raucb' && "
	    "rauc_test_bundle '%s/ca' 2.0.0 guanai-other-board "
	    "'%s/b/board.raucb' && "
	    "head -c 100 '%s/b/good.raucb' >'%s/b/cut.raucb'",
	    srcdir(), f->dir, f->dir, f->dir, f->dir, f->dir, f->dir, f->dir,
	    f->dir, f->dir, f->dir);
	rc = system(cmd);
	if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
		return -1; /* no rauc here: said on stderr */
	if (rc != 0) {
		fprintf(stderr, "making the test bundles failed\n");
		return -1;
	}
	snprintf(f->cfg.rauc_conf, sizeof(f->cfg.rauc_conf), "%s/system.conf",
	    f->dir);
	fp = fopen(f->cfg.rauc_conf, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "[system]\ncompatible=" COMPAT "\nbootloader=noop\n"
	    "[keyring]\npath=%s/ca/ca.pem\n",
	    f->dir);
	fclose(fp);
	snprintf(f->cfg.version_file, sizeof(f->cfg.version_file), "%s/version",
	    f->dir);
	fp = fopen(f->cfg.version_file, "w");
	assert_non_null(fp);
	fputs("1.0.0\n", fp);
	fclose(fp);
	snprintf(f->cfg.reboot_request, sizeof(f->cfg.reboot_request),
	    "%s/reboot-request", f->dir);
	/* The test double for `rauc install` (the header says why). */
	snprintf(f->cfg.rauc_bin, sizeof(f->cfg.rauc_bin), "%s/rauc", f->dir);
	fp = fopen(f->cfg.rauc_bin, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "#!/bin/sh\n"
	    "# A test double for rauc install; info is the real rauc.\n"
	    "[ \"$3\" = install ] || exec rauc \"$@\"\n"
	    "shots() { ls '%s'/update_running*.png 2>/dev/null | wc -l; }\n"
	    "n=$(shots)\n"
	    "echo installing\n"
	    "echo '  0%% Installing'\n"
	    "echo '  0%% Determining slot states'\n"
	    "echo ' 20%% Determining slot states done.'\n"
	    "echo ' 20%% Checking bundle'\n"
	    "echo ' 40%% Checking bundle done.'\n"
	    "echo ' 40%% Copying image to rootfs.1'\n"
	    "i=0; while [ \"$(shots)\" = \"$n\" ] && [ $i -lt 300 ]; do\n"
	    "  sleep 0.1; i=$((i+1)); done\n"
	    "echo ' 80%% Copying image to rootfs.1 done.'\n"
	    "echo '100%% Installing done.'\n"
	    "echo idle\n"
	    "echo \"Installing \\`$4\\` succeeded\" >&2\n",
	    f->dir);
	fclose(fp);
	chmod(f->cfg.rauc_bin, 0755);
	snprintf(
	    f->cfg.media_dir, sizeof(f->cfg.media_dir), "%s/media", f->dir);
	mkdir(f->cfg.media_dir, 0755);
	snprintf(
	    stick, sizeof(stick), "/dev/shm/guanai-upd-%d", (int) getpid());
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", stick);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", stick);
	return ui_teardown(state);
}

/* Plugs a stick in holding bundle (NULL: pulls it out). */
static void
plug(struct fx *f, const char *bundle)
{
	sh("rm -rf '%s' '%s/STICK'", stick, f->cfg.media_dir);
	if (bundle != NULL)
		sh("mkdir '%s' && cp '%s/b/%s' '%s/guanai-2.0.0.raucb' && "
		   "ln -sfn '%s' '%s/STICK'",
		    stick, f->dir, bundle, stick, stick, f->cfg.media_dir);
}

static void
cfg_of(const struct fx *f, struct update_cfg *c)
{
	c->rauc_bin = f->cfg.rauc_bin;
	c->system_conf = f->cfg.rauc_conf;
	c->version_file = f->cfg.version_file;
}

/* The domain on the real rauc info: each refusal, and the good one. */
static void
checks(void **state)
{
	struct fx *f = *state;
	struct update_bundle b;
	struct update_cfg c;
	char path[600];

	cfg_of(f, &c);
	plug(f, "good.raucb");
	assert_int_equal(
	    update_find(f->cfg.media_dir, path, sizeof(path)), GU_OK);
	assert_non_null(strstr(path, "/guanai-2.0.0.raucb"));
	assert_int_equal(update_check(&c, path, &b), GU_OK);
	assert_int_equal(b.why, UPDATE_WHY_NONE);
	assert_string_equal(b.version, "2.0.0");
	assert_string_equal(b.compatible, COMPAT);
	assert_non_null(strstr(b.description, "新增系统更新页面"));

	snprintf(path, sizeof(path), "%s/b/other.raucb", f->dir);
	assert_int_equal(update_check(&c, path, &b), GU_EREFUSED);
	assert_int_equal(b.why, UPDATE_WHY_SIGNATURE);
	assert_non_null(strstr(b.msg, "signature verification failed"));
	snprintf(path, sizeof(path), "%s/b/board.raucb", f->dir);
	assert_int_equal(update_check(&c, path, &b), GU_EREFUSED);
	assert_int_equal(b.why, UPDATE_WHY_COMPATIBLE);
	snprintf(path, sizeof(path), "%s/b/cut.raucb", f->dir);
	assert_int_equal(update_check(&c, path, &b), GU_EREFUSED);
	assert_int_equal(b.why, UPDATE_WHY_DAMAGED);
	/* The same version as running, then an older one. */
	sh("echo 2.0.0 >'%s'", f->cfg.version_file);
	snprintf(path, sizeof(path), "%s/b/good.raucb", f->dir);
	assert_int_equal(update_check(&c, path, &b), GU_EREFUSED);
	assert_int_equal(b.why, UPDATE_WHY_NOT_NEWER);
	sh("echo 2.0.10 >'%s'", f->cfg.version_file);
	assert_int_equal(update_check(&c, path, &b), GU_EREFUSED);
	assert_int_equal(b.why, UPDATE_WHY_NOT_NEWER);
	sh("echo 1.0.0 >'%s'", f->cfg.version_file);
	/* No stick, then a stick without a bundle. */
	plug(f, NULL);
	assert_int_equal(
	    update_find(f->cfg.media_dir, path, sizeof(path)), GU_ENOTFOUND);
	plug(f, "good.raucb");
	sh("rm '%s'/*.raucb && touch '%s/notes.txt'", stick, stick);
	assert_int_equal(
	    update_find(f->cfg.media_dir, path, sizeof(path)), GU_ENOTFOUND);
}

/*
 * A rauc that a signal ends (as the daemon's seccomp filter once killed
 * it with SIGSYS): the job fails, and says which signal, not "-1".
 */
static void
killed(void **state)
{
	struct fx *f = *state;
	struct update_job j;
	struct update_cfg c;
	char bin[600], path[600];

	snprintf(bin, sizeof(bin), "%s/rauc-killed", f->dir);
	sh("printf '#!/bin/sh\\necho installing\\nkill -SYS $$\\n' >'%s' && "
	   "chmod 755 '%s'",
	    bin, bin);
	cfg_of(f, &c);
	c.rauc_bin = bin;
	snprintf(path, sizeof(path), "%s/b/good.raucb", f->dir);
	memset(&j, 0, sizeof(j));
	j.fd = -1;
	assert_int_equal(update_start(&j, &c, path), GU_OK);
	while (update_poll(&j, 100) == UPDATE_RUNNING)
		;
	assert_int_equal(j.state, UPDATE_FAILED);
	assert_int_equal(j.why, UPDATE_WHY_FAILED);
	assert_non_null(strstr(j.msg, "killed by signal 31"));
	update_stop(&j);
}

#define SIGNIN_HEAD                                                            \
	"wait 200\n"                                                           \
	"tap-text 校长\n"                                                    \
	"tap-text 周校长\n"                                                 \
	"tap-text 9\ntap-text 9\ntap-text 9\ntap-text 9\n"                     \
	"tap-text 确定\n"

static void
judged(struct fx *f)
{
	assert_int_equal(f->k.ui.small_targets, 0);
	assert_int_equal(f->k.ui.overflow, 0);
}

static void
goldens(struct fx *f, const char *const *names)
{
	char name[64];

	for (; *names != NULL; names++)
		for (size_t i = 0; i < UI_NSIZES; i++) {
			if (i == 0)
				snprintf(name, sizeof(name), "%s", *names);
			else
				snprintf(name, sizeof(name), "%s_%s", *names,
				    ui_sizes[i].tag);
			golden(f, name);
		}
}

/* The kiosk asked for a reboot: "reboot" in the request file. */
static void
asked_reboot(const struct fx *f)
{
	char path[600], got[64] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "%s/reboot-request", f->dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(got, sizeof(got), fp));
	fclose(fp);
	assert_string_equal(got, "reboot\n");
}

/* The notice, the bundle, the PIN, the bar midway, done, the reboot. */
static void
install(void **state)
{
	static const char *const shots[] = {"update_notice", "update_bundle",
	    "update_pin", "update_running", "update_done", NULL};
	struct fx *f = *state;

	plug(f, "good.raucb");
	assert_int_equal(
	    run_sizes(f,
	        SIGNIN_HEAD "expect U盘上有系统更新，点“系统更新”查看。\n"
	                    "shot update_notice\n"
	                    "tap-text 系统更新\n"
	                    "expect 现在的版本：1.0.0\n"
	                    "expect U盘上的版本：2.0.0\n"
	                    "expect 这次更新的内容：\n"
	                    "shot update_bundle\n"
	                    "tap-text 安装\n"
	                    "expect 请再输入一次你的密码，确认安装\n"
	                    "tap-text 9\ntap-text 9\n"
	                    "shot update_pin\n"
	                    "tap-text 9\ntap-text 9\n"
	                    "tap-text 确定\n"
	                    "wait 1000\n"
	                    "expect 正在安装：40%\n"
	                    "expect Copying image to rootfs.1\n"
	                    "shot update_running\n"
	                    "wait 20000\n"
	                    "expect 更新完成，正在重启\n"
	                    "shot update_done\n"),
	    GU_OK);
	judged(f);
	asked_reboot(f);
	goldens(f, shots);
}

/* A wrong PIN installs nothing. */
static void
wrong_pin(void **state)
{
	struct fx *f = *state;

	plug(f, "good.raucb");
	assert_int_equal(run(f,
	                     SIGNIN_HEAD "tap-text 系统更新\n"
	                                 "tap-text 安装\n"
	                                 "tap-text 1\ntap-text 2\n"
	                                 "tap-text 3\ntap-text 4\n"
	                                 "tap-text 确定\n"
	                                 "expect 密码不对，请再试一次。\n"
	                                 "expect-not 正在安装：0%\n",
	                     ui_sizes[0].w, ui_sizes[0].h),
	    GU_OK);
	judged(f);
}

/* A bundle signed by another CA: refused, no 安装. */
static void
refused(void **state)
{
	static const char *const shots[] = {"update_refused", NULL};
	struct fx *f = *state;

	plug(f, "other.raucb");
	assert_int_equal(
	    run_sizes(f,
	        SIGNIN_HEAD "tap-text 系统更新\n"
	                    "expect U盘上的版本：未知\n"
	                    "expect-part 这个更新文件没有我们的签名\n"
	                    "expect-part signature verification failed\n"
	                    "expect-not 安装\n"
	                    "shot update_refused\n"
	                    "tap-text 返回\n"
	                    "expect 校长：上传情况\n"),
	    GU_OK);
	judged(f);
	goldens(f, shots);
}

/* DATA/update.state as the health check writes it, installed a day
 * ago. */
static void
state_file(struct fx *f, const char *result, int64_t ago_s)
{
	sh("printf 'from = 1.0.0\\nto = 2.0.0\\ninstalled = %lld\\n"
	   "result = %s\\nboots = 1\\n' >'%s/store/update.state'",
	    (long long) (CLOCK_MS / 1000 - ago_s), result, f->dir);
}

static void
after_reboot(void **state)
{
	static const char *const shots[] = {
	    "update_head_good", "update_head_rolled", NULL};
	struct fx *f = *state;

	plug(f, NULL);
	state_file(f, "good", 86400);
	assert_int_equal(run_sizes(f,
	                     SIGNIN_HEAD "expect 系统已更新到 2.0.0（3月1日）\n"
	                                 "shot update_head_good\n"),
	    GU_OK);
	judged(f);
	state_file(f, "rolled-back", 3600);
	assert_int_equal(
	    run_sizes(f,
	        SIGNIN_HEAD "expect 更新到 2.0.0 失败，已恢复 1.0.0\n"
	                    "shot update_head_rolled\n"),
	    GU_OK);
	judged(f);
	goldens(f, shots);
	/* Eight days on, the head's screen says no more of it. */
	state_file(f, "good", 8 * 86400);
	assert_int_equal(
	    run(f,
	        SIGNIN_HEAD "expect 校长：上传情况\n"
	                    "expect-not 系统已更新到 2.0.0（2月22日）\n",
	        ui_sizes[0].w, ui_sizes[0].h),
	    GU_OK);
	sh("rm '%s/store/update.state'", f->dir);
}

/* What guanai-sync leaves once it has downloaded and checked a bundle
 * (docs/sync.md "Updates over the network"): the bundle in
 * DATA/update/ and DATA/update/ready naming it. */
static void
downloaded_ready(struct fx *f, const char *hours)
{
	sh("mkdir -p '%s/store/update' && "
	   "cp '%s/b/good.raucb' '%s/store/update/guanai-2.0.0.raucb' && "
	   "printf 'version = 2.0.0\\nfile = guanai-2.0.0.raucb\\n"
	   "size = %%s\\nsha256 = %%s\\ncompatible = " COMPAT "\\n"
	   "hours = %s\\nlater_key = skipped\\n' "
	   "$(stat -c %%s '%s/b/good.raucb') "
	   "$(sha256sum <'%s/b/good.raucb' | cut -c1-64) "
	   ">'%s/store/update/ready'",
	    f->dir, f->dir, f->dir, hours, f->dir, f->dir, f->dir);
}

/* A bundle guanai-sync downloaded: the head's line with the quiet
 * hours, and 系统更新 installs it now with the same PIN flow. */
static void
from_network(void **state)
{
	static const char *const shots[] = {
	    "update_head_downloaded", "update_bundle_net", NULL};
	struct fx *f = *state;

	plug(f, NULL);
	downloaded_ready(f, "02-05");
	assert_int_equal(
	    run_sizes(f,
	        SIGNIN_HEAD "expect 新版本 2.0.0 已下载，将在 02:00–05:00 "
	                    "自动安装\n"
	                    "expect-not U盘上有系统更新，点“系统更新”查看。\n"
	                    "shot update_head_downloaded\n"
	                    "tap-text 系统更新\n"
	                    "expect 已下载的版本：2.0.0\n"
	                    "expect 这次更新的内容：\n"
	                    "shot update_bundle_net\n"),
	    GU_OK);
	judged(f);
	goldens(f, shots);
	/* Install it now: the PIN, the bar, the reboot request. */
	assert_int_equal(
	    run(f,
	        SIGNIN_HEAD
	        "tap-text 系统更新\n"
	        "tap-text 安装\n"
	        "tap-text 9\ntap-text 9\ntap-text 9\ntap-text 9\n"
	        "tap-text 确定\n"
	        "wait 1000\n"
	        "expect 正在安装：40%\n"
	        "expect 安装时请不要关机。装完后一体机会自动重启。\n"
	        "shot update_running_net\n"
	        "wait 20000\n"
	        "expect 更新完成，正在重启\n",
	        ui_sizes[0].w, ui_sizes[0].h),
	    GU_OK);
	asked_reboot(f);
	/* Hours off: by hand only, and the line says where. */
	downloaded_ready(f, "off");
	assert_int_equal(run(f,
	                     SIGNIN_HEAD "expect 新版本 2.0.0 已下载，可以在"
	                                 "“系统更新”里安装。\n",
	                     ui_sizes[0].w, ui_sizes[0].h),
	    GU_OK);
	/* Running it already: nothing is said. */
	sh("echo 2.0.0 >'%s'", f->cfg.version_file);
	assert_int_equal(
	    run(f,
	        SIGNIN_HEAD "expect 校长：上传情况\n"
	                    "expect-not 新版本 2.0.0 已下载，可以在"
	                    "“系统更新”里安装。\n",
	        ui_sizes[0].w, ui_sizes[0].h),
	    GU_OK);
	sh("rm -r '%s/store/update'", f->dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(checks, setup, teardown),
	    cmocka_unit_test_setup_teardown(install, setup, teardown),
	    cmocka_unit_test_setup_teardown(killed, setup, teardown),
	    cmocka_unit_test_setup_teardown(wrong_pin, setup, teardown),
	    cmocka_unit_test_setup_teardown(refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(after_reboot, setup, teardown),
	    cmocka_unit_test_setup_teardown(from_network, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
