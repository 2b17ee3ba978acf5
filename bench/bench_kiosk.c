/*
 * bench_kiosk.c: the kiosk's figures that need the inside of the loop
 * (issue 3, item 9), on the real event loop with the software renderer
 * on an offscreen 1280x800 surface:
 *
 *   frame time p50/p99 while scrolling a 600-name class (drags and
 *   flings), from the input event to the frame presented;
 *   tap-to-confirmation latency (16 check-ins): from the release of a tap on a name to
 *   the confirmation presented, the durable commit to LMDB included.
 *
 *   bench_kiosk DIR             runs both on a new store in DIR
 *   bench_kiosk --store DIR     only makes the store (a 600-name class
 *                               三年级1班, a 60-name class 一年级1班, one
 *                               teacher) for bench/kiosk.sh
 *   bench_kiosk --html FILE     writes the 60-name class's attendance
 *                               screen as a static web page (the same
 *                               names, a similar grid) for Chromium
 *
 * Prints "name value" lines that bench/kiosk.sh puts into its table.
 * SRCDIR (default .) locates fonts/ and assets/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk.h"
#include "pin.h"
#include "platform.h"
#include "settings.h"
#include "status.h"
#include "store.h"
#include "strtab.h"

#define BIG 600
#define SMALL 60
#define CHECKINS 16

static const char *const family[] = {"王", "李", "张", "刘", "陈", "杨", "黄",
    "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林"};
static const char *const given[] = {"小明", "小红", "伟", "芳", "静", "洋",
    "磊", "婷", "浩然", "子涵", "欣怡", "梓轩", "雨桐", "宇航", "思远", "佳怡",
    "晨曦", "一诺", "若曦", "天佑"};

static int
make_store(const char *dir)
{
	struct child *c = NULL;
	struct staff st;
	struct store *s = NULL;
	char why[256];
	int i, rc;

	c = calloc(BIG + SMALL, sizeof(*c));
	if (c == NULL)
		return GU_ENOMEM;
	rc = store_create(dir, "S001", "云溪区示范小学", "kiosk-01", NULL);
	if (rc != GU_OK)
		goto out;
	rc = store_open(&s, dir, NULL);
	if (rc != GU_OK)
		goto out;
	for (i = 0; i < BIG + SMALL; i++) {
		snprintf(c[i].id, sizeof(c[i].id), "G%06d", i + 1);
		snprintf(c[i].name, sizeof(c[i].name), "%s%s", family[i % 18],
		    given[(i / 18) % 20]);
		snprintf(c[i].sex, sizeof(c[i].sex), "%s", i % 2 ? "F" : "M");
		snprintf(c[i].birth, sizeof(c[i].birth), "2016-01-01");
		snprintf(c[i].grade, sizeof(c[i].grade), "%s",
		    i < BIG ? "三年级" : "一年级");
		snprintf(c[i].class_name, sizeof(c[i].class_name), "%s",
		    i < BIG ? "三年级1班" : "一年级1班");
	}
	memset(&st, 0, sizeof(st));
	snprintf(st.id, sizeof(st.id), "T001");
	snprintf(st.name, sizeof(st.name), "赵老师");
	st.roles = ROLE_TEACHER;
	snprintf(st.pin_hash, sizeof(st.pin_hash), "unset");
	st.must_change_pin = 1;
	rc = store_roster_replace(
	    s, c, BIG + SMALL, &st, 1, 0, NULL, why, sizeof(why));
	if (rc != GU_OK)
		fprintf(stderr, "bench_kiosk: roster: %s\n", why);
	/* The teacher has chosen PIN 1234 (a cheap hash for the bench). */
	if (rc == GU_OK)
		rc = pin_hash("1234", st.pin_hash, 1, 8192);
	if (rc == GU_OK)
		rc = store_staff_set_pin(s, "T001", st.pin_hash);
out:
	store_close(s);
	free(c);
	return rc;
}

/* The attendance screen of the 60-name class as a web page. */
static int
write_html(const char *path)
{
	FILE *f = fopen(path, "w");
	int i;

	if (f == NULL)
		return 1;
	fprintf(f,
	    "<!doctype html>\n<html lang=\"zh\"><head><meta "
	    "charset=\"utf-8\">\n<title>一年级1班</title>\n<style>\n"
	    "body{margin:0;background:#f6f3ec;color:#222b33;font-family:"
	    "'Noto Sans CJK SC',sans-serif}\n"
	    "header{display:flex;align-items:center;gap:24px;background:#fff;"
	    "height:96px;padding:0 16px;border-bottom:1px solid #cfd6dc}\n"
	    "header button{font-size:24px;width:200px;height:72px;background:"
	    "#fff;border:2px solid #cfd6dc}\nh1{font-size:40px;flex:1}\n"
	    ".top{display:flex;justify-content:space-between;font-size:40px;"
	    "padding:12px 20px}.count{color:#2e8b57}\n"
	    ".grid{display:grid;grid-template-columns:repeat(4,1fr);gap:13px;"
	    "padding:0 20px}\n.grid button{height:110px;font-size:48px;"
	    "background:#fff;border:2px solid #cfd6dc}\n"
	    ".grid button:active{background:#134a5e;color:#fff}\n"
	    "</style></head><body>\n<header><button>返回</button>"
	    "<h1>一年级1班</h1><span>08:30</span></header>\n"
	    "<div class=\"top\"><span>请点你自己的名字</span><span "
	    "class=\"count\">已到 0/60</span></div>\n<div class=\"grid\">\n");
	for (i = BIG; i < BIG + SMALL; i++)
		fprintf(f, "<button>%s%s</button>\n", family[i % 18],
		    given[(i / 18) % 20]);
	fprintf(f, "</div>\n</body></html>\n");
	return fclose(f) == 0 ? 0 : 1;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

static double
pct(uint32_t *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	i = (size_t) (p * (double) (n - 1) + 0.5);
	return v[i] / 1000.0;
}

static int
run(const char *dir, const char *script, struct kiosk_stats *stats)
{
	static struct kiosk k;
	static struct strtab str;
	struct plat_opts o;
	struct settings cfg;
	struct store *s = NULL;
	struct plat *p = NULL;
	const char *src = getenv("SRCDIR") != NULL ? getenv("SRCDIR") : ".";
	char path[600], err[600];
	FILE *f;
	int rc;

	settings_defaults(&cfg);
	cfg.screen_diagonal_inch = 10.1f;
	cfg.sound = 0;
	cfg.idle_timeout_s = 3600;
	snprintf(cfg.fonts_dir, sizeof(cfg.fonts_dir), "%s/fonts", src);
	snprintf(cfg.assets_dir, sizeof(cfg.assets_dir), "%s/assets", src);
	snprintf(path, sizeof(path), "%s/strings.zh.txt", cfg.assets_dir);
	if (strtab_load(&str, path, err, sizeof(err)) != GU_OK) {
		fprintf(stderr, "bench_kiosk: %s\n", err);
		return GU_EIO;
	}
	snprintf(path, sizeof(path), "%s.script", dir);
	f = fopen(path, "w");
	if (f == NULL)
		return GU_EIO;
	fputs(script, f);
	fclose(f);
	memset(&o, 0, sizeof(o));
	o.headless = 1;
	o.w = 1280;
	o.h = 800;
	o.clock_ms = 1772411400000LL;
	o.script = path;
	o.shot_dir = "/tmp";
	rc = store_open(&s, dir, NULL);
	if (rc != GU_OK)
		return rc;
	rc = plat_open(&p, &cfg, &o, err, sizeof(err));
	if (rc != GU_OK) {
		fprintf(stderr, "bench_kiosk: %s\n", err);
		store_close(s);
		return rc;
	}
	kiosk_init(&k, &cfg, &str, s, p);
	k.stats = stats;
	rc = kiosk_run(&k);
	plat_close(p);
	store_close(s);
	return rc;
}

int
main(int argc, char **argv)
{
	static struct kiosk_stats scroll, taps;
	char script[65536], *o;
	size_t left;
	int i, n;

	if (argc == 3 && strcmp(argv[1], "--store") == 0)
		return make_store(argv[2]) == GU_OK ? 0 : 1;
	if (argc == 3 && strcmp(argv[1], "--html") == 0)
		return write_html(argv[2]);
	if (argc != 2) {
		fprintf(stderr,
		    "usage: bench_kiosk DIR | --store DIR | --html FILE\n");
		return 2;
	}
	if (make_store(argv[1]) != GU_OK)
		return 1;

	/* Open a lecture for both classes, go to the 600 names, and scroll:
	 * slow drags that follow the finger, then flings. */
	o = script;
	left = sizeof(script);
	n = snprintf(o, left,
	    "wait 100\ntap-text 安全讲堂签到\ntap-text 赵老师\n"
	    "tap-text 1\ntap-text 2\ntap-text 3\ntap-text 4\ntap-text 确定\n"
	    "tap-text 防溺水\ntap-text 法治副校长\ntap-text 全选\n"
	    "tap-text 开始签到\ntap-text 三年级1班\nexpect 已到 0/600\n");
	o += n;
	left -= (size_t) n;
	for (i = 0; i < 20 && left > 200; i++) {
		n = snprintf(o, left,
		    i % 4 < 2 ? "drag 640 700 640 250 400\nwait 200\n"
		              : "drag 640 700 640 200 120\nwait 2500\n");
		o += n;
		left -= (size_t) n;
	}
	for (i = 0; i < 10 && left > 200; i++) {
		n = snprintf(o, left, "drag 640 200 640 700 120\nwait 2500\n");
		o += n;
		left -= (size_t) n;
	}
	if (run(argv[1], script, &scroll) != GU_OK) {
		fprintf(stderr, "bench_kiosk: the scroll script failed\n");
		return 1;
	}

	/* Sixteen children of the 60-name class (those on the first
	 * screen) check in. */
	o = script;
	left = sizeof(script);
	n = snprintf(
	    o, left, "wait 100\ntap-text 安全讲堂签到\ntap-text 一年级1班\n");
	o += n;
	left -= (size_t) n;
	for (i = 0; i < CHECKINS && left > 200; i++) {
		n = snprintf(o, left,
		    "tap-after %d 请点你自己的名字\nexpect 签到成功！\n"
		    "tap-text 完成\n",
		    i + 1);
		o += n;
		left -= (size_t) n;
	}
	if (run(argv[1], script, &taps) != GU_OK) {
		fprintf(stderr, "bench_kiosk: the check-in script failed\n");
		return 1;
	}
	printf("scroll_frames %zu\n", scroll.n_frames);
	printf(
	    "frame_p50_ms %.2f\n", pct(scroll.frame_us, scroll.n_frames, .5));
	printf(
	    "frame_p99_ms %.2f\n", pct(scroll.frame_us, scroll.n_frames, .99));
	printf("frame_max_ms %.2f\n", pct(scroll.frame_us, scroll.n_frames, 1));
	printf("frame_cpu_p50_ms %.2f\n",
	    pct(scroll.frame_cpu_us, scroll.n_frames, .5));
	printf("frame_cpu_p99_ms %.2f\n",
	    pct(scroll.frame_cpu_us, scroll.n_frames, .99));
	printf("checkins %zu\n", taps.n_taps);
	printf("tap_confirm_p50_ms %.2f\n", pct(taps.tap_us, taps.n_taps, .5));
	printf("tap_confirm_max_ms %.2f\n", pct(taps.tap_us, taps.n_taps, 1));
	return taps.n_taps == CHECKINS ? 0 : 1;
}
