/*
 * settings.c: reads the kiosk's configuration file (grammar in
 * settings.h).
 * The file is parsed into a copy and swapped in only when all of it is
 * good.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "record.h"
#include "settings.h"
#include "status.h"

void
settings_defaults(struct settings *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->lang, "zh", 3);
	c->screen_diagonal_inch = 10.1f;
	c->fullscreen = 1;
	c->window_w = 1280;
	c->window_h = 800;
	c->idle_timeout_s = 60;
	c->idle_countdown_s = 10;
	c->confirm_s = 3;
	c->tz_min = 480;
	memcpy(c->fonts_dir, "fonts", 6);
	memcpy(c->assets_dir, "assets", 7);
	snprintf(c->font_primary, sizeof(c->font_primary), "%s",
	    "NotoSansCJK-Regular.ttc");
	c->font_primary_index = 2;
	snprintf(c->font_fallback, sizeof(c->font_fallback), "%s",
	    "wqy-microhei.ttc");
	c->sound = 1;
	memcpy(c->display, "auto", 5);
	memcpy(c->renderer, "auto", 5);
	c->touch_cal[0] = 1;
	c->touch_cal[4] = 1;
	c->staff_idle_s = 120;
	c->staff_countdown_s = 20;
	c->contact_days = 14;
	memcpy(c->media_dir, "/media", 7);
	memcpy(c->report_police, "110", 4);
	memcpy(c->sync_bin, "guanai-sync", 12);
	memcpy(c->rauc_bin, "rauc", 5);
	snprintf(
	    c->rauc_conf, sizeof(c->rauc_conf), "%s", "/etc/rauc/system.conf");
	snprintf(c->version_file, sizeof(c->version_file), "%s",
	    "/usr/share/guanai/version");
	snprintf(c->reboot_request, sizeof(c->reboot_request), "%s",
	    "/run/guanai/reboot-request");
}

static int
parse_int(const char *v, long lo, long hi, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi)
		return GU_EINVAL;
	*out = (int) n;
	return GU_OK;
}

static int
parse_float(const char *v, float lo, float hi, float *out)
{
	char *end;
	float f;

	errno = 0;
	f = strtof(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(f >= lo && f <= hi))
		return GU_EINVAL;
	*out = f;
	return GU_OK;
}

static int
parse_str(const char *v, char *out, size_t len)
{
	size_t n = strlen(v);

	if (n >= len)
		return GU_EINVAL;
	memcpy(out, v, n + 1);
	return GU_OK;
}

int
settings_parse_size(const char *s, int *w, int *h)
{
	char *end;
	long a, b;

	errno = 0;
	a = strtol(s, &end, 10);
	if (errno != 0 || end == s || (*end != 'x' && *end != 'X'))
		return GU_EINVAL;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return GU_EINVAL;
	if (a < 160 || a > 8192 || b < 160 || b > 8192)
		return GU_EINVAL;
	*w = (int) a;
	*h = (int) b;
	return GU_OK;
}

static int
parse_cal(const char *v, float cal[6])
{
	char *end;
	int i;

	for (i = 0; i < 6; i++) {
		errno = 0;
		cal[i] = strtof(v, &end);
		if (errno != 0 || end == v)
			return GU_EINVAL;
		v = end;
	}
	while (*v == ' ' || *v == '\t')
		v++;
	return *v == '\0' ? GU_OK : GU_EINVAL;
}

/* A local phone number of the mandatory report: "" or 1-20 of digits
 * and '-'. */
static int
phone_ok(const char *v)
{
	size_t n = strlen(v);

	if (n > 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] >= '0' && v[i] <= '9') && v[i] != '-')
			return 0;
	return 1;
}

/* Applies one setting to c; GU_EINVAL with why on a bad one. */
static int
set(struct settings *c, const char *k, const char *v, const char **why)
{
	int rc = GU_EINVAL;

	*why = "bad value";
	if (strcmp(k, "lang") == 0) {
		if (strcmp(v, "zh") != 0 && strcmp(v, "en") != 0) {
			*why = "lang must be zh or en";
			return GU_EINVAL;
		}
		rc = parse_str(v, c->lang, sizeof(c->lang));
	} else if (strcmp(k, "screen_diagonal_inch") == 0)
		rc = parse_float(v, 3, 100, &c->screen_diagonal_inch);
	else if (strcmp(k, "fullscreen") == 0)
		rc = parse_int(v, 0, 1, &c->fullscreen);
	else if (strcmp(k, "window") == 0)
		rc = settings_parse_size(v, &c->window_w, &c->window_h);
	else if (strcmp(k, "idle_timeout_s") == 0)
		rc = parse_int(v, 5, 86400, &c->idle_timeout_s);
	else if (strcmp(k, "idle_countdown_s") == 0)
		rc = parse_int(v, 0, 600, &c->idle_countdown_s);
	else if (strcmp(k, "confirm_s") == 0)
		rc = parse_int(v, 1, 60, &c->confirm_s);
	else if (strcmp(k, "tz_min") == 0)
		rc = parse_int(v, -720, 840, &c->tz_min);
	else if (strcmp(k, "fonts_dir") == 0)
		rc = parse_str(v, c->fonts_dir, sizeof(c->fonts_dir));
	else if (strcmp(k, "assets_dir") == 0)
		rc = parse_str(v, c->assets_dir, sizeof(c->assets_dir));
	else if (strcmp(k, "font_primary") == 0)
		rc = parse_str(v, c->font_primary, sizeof(c->font_primary));
	else if (strcmp(k, "font_primary_index") == 0)
		rc = parse_int(v, 0, 64, &c->font_primary_index);
	else if (strcmp(k, "font_fallback") == 0)
		rc = parse_str(v, c->font_fallback, sizeof(c->font_fallback));
	else if (strcmp(k, "sound") == 0)
		rc = parse_int(v, 0, 1, &c->sound);
	else if (strcmp(k, "display") == 0) {
		if (strcmp(v, "auto") != 0 && strcmp(v, "sdl") != 0 &&
		    strcmp(v, "drm") != 0) {
			*why = "display must be auto, sdl or drm";
			return GU_EINVAL;
		}
		rc = parse_str(v, c->display, sizeof(c->display));
	} else if (strcmp(k, "renderer") == 0) {
		if (strcmp(v, "auto") != 0 && strcmp(v, "software") != 0 &&
		    strcmp(v, "accelerated") != 0) {
			*why = "renderer must be auto, software or accelerated";
			return GU_EINVAL;
		}
		rc = parse_str(v, c->renderer, sizeof(c->renderer));
	} else if (strcmp(k, "touch_rotate") == 0) {
		rc = parse_int(v, 0, 270, &c->touch_rotate);
		if (rc == GU_OK && c->touch_rotate % 90 != 0) {
			*why = "touch_rotate must be 0, 90, 180 or 270";
			rc = GU_EINVAL;
		}
	} else if (strcmp(k, "touch_calibration") == 0) {
		rc = parse_cal(v, c->touch_cal);
		if (rc != GU_OK)
			*why = "touch_calibration needs six numbers";
	} else if (strcmp(k, "sync_socket") == 0)
		rc = parse_str(v, c->sync_socket, sizeof(c->sync_socket));
	else if (strcmp(k, "staff_idle_s") == 0)
		rc = parse_int(v, 10, 86400, &c->staff_idle_s);
	else if (strcmp(k, "staff_countdown_s") == 0)
		rc = parse_int(v, 0, 600, &c->staff_countdown_s);
	else if (strcmp(k, "contact_days") == 0)
		rc = parse_int(v, 1, 365, &c->contact_days);
	else if (strcmp(k, "term_start") == 0) {
		if (v[0] != '\0' && !rec_date_ok(v)) {
			*why = "term_start must be YYYY-MM-DD";
			return GU_EINVAL;
		}
		rc = parse_str(v, c->term_start, sizeof(c->term_start));
	} else if (strcmp(k, "media_dir") == 0)
		rc = parse_str(v, c->media_dir, sizeof(c->media_dir));
	else if (strcmp(k, "sync_bin") == 0)
		rc = parse_str(v, c->sync_bin, sizeof(c->sync_bin));
	else if (strcmp(k, "rauc_bin") == 0)
		rc = parse_str(v, c->rauc_bin, sizeof(c->rauc_bin));
	else if (strcmp(k, "rauc_conf") == 0)
		rc = parse_str(v, c->rauc_conf, sizeof(c->rauc_conf));
	else if (strcmp(k, "version_file") == 0)
		rc = parse_str(v, c->version_file, sizeof(c->version_file));
	else if (strcmp(k, "reboot_request") == 0)
		rc = parse_str(v, c->reboot_request, sizeof(c->reboot_request));
	else if (strcmp(k, "pin_opslimit") == 0)
		rc = parse_int(v, 0, 100, &c->pin_opslimit);
	else if (strcmp(k, "pin_memlimit_kib") == 0)
		rc = parse_int(v, 0, 1048576, &c->pin_memlimit_kib);
	else if (strcmp(k, "report_police") == 0 ||
	    strcmp(k, "report_civil") == 0 || strcmp(k, "report_edu") == 0) {
		char *dst = k[7] == 'p' ? c->report_police
		    : k[7] == 'c'       ? c->report_civil
		                        : c->report_edu;
		if (!phone_ok(v)) {
			*why = "a phone number: 1-20 digits and '-'";
			return GU_EINVAL;
		}
		rc = parse_str(v, dst, sizeof(c->report_police));
	} else
		*why = "unknown key";
	return rc;
}

/* One key = value line of the settings file, for kv_parse_file(). */
static int
settings_line(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	const char *msg = NULL;
	int rc;

	rc = set(arg, l->key, l->value, &msg);
	if (rc != GU_OK)
		snprintf(why, why_len, "%s", msg != NULL ? msg : "bad value");
	return rc;
}

int
settings_load(struct settings *c, const char *path, char *err, size_t len)
{
	static const struct kv_opts opts = {1023, "#;", NULL, 0, 0};
	struct settings n = *c;
	struct kv_first first = {err, len, 0};
	int rc;

	rc =
	    kv_parse_file(path, &opts, settings_line, &n, kv_first_err, &first);
	if (rc == GU_OK)
		*c = n;
	return rc;
}
