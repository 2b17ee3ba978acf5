/*
 * settings.h: the kiosk's configuration file (settings, so as not to
 * be confused with the sync daemon's sync/config.h).
 *
 * Grammar (UTF-8 text, one setting a line):
 *
 *   line    = blank | comment | setting
 *   comment = optional spaces, '#' or ';', anything
 *   setting = key spaces? '=' spaces? value
 *   key     = [a-z0-9_]+, one of the keys below
 *   value   = the rest of the line, trailing spaces removed
 *
 * Keys (defaults in brackets):
 *   lang                  zh | en: which strings table [zh]
 *   screen_diagonal_inch  physical diagonal, sets the mm scale [10.1]
 *   fullscreen            0 | 1 [1]
 *   window                WxH for windowed mode [1280x800]
 *   idle_timeout_s        nobody touching this long: back home [60]
 *   idle_countdown_s      the countdown shown before that [10]
 *   confirm_s             how long a check-in confirmation stays [3]
 *   tz_min                local UTC offset in minutes [480]
 *   fonts_dir             where the .ttc files are [fonts]
 *   assets_dir            strings and sounds [assets]
 *   font_primary          file in fonts_dir [NotoSansCJK-Regular.ttc]
 *   font_primary_index    face in the collection [2: Simplified Chinese]
 *   font_fallback         file in fonts_dir [wqy-microhei.ttc]
 *   sound                 0 | 1 [1]
 *   display               auto | sdl | drm [auto]: sdl is a window (X11,
 *                         Wayland, or SDL's KMSDRM with GL); drm paints
 *                         in memory and shows it through the kernel's
 *                         mode setting, input from libinput (no GL stack:
 *                         the appliance, platform/kms.h); auto is drm on a
 *                         console (no DISPLAY, WAYLAND_DISPLAY or
 *                         SDL_VIDEODRIVER, and /dev/dri exists), else sdl
 *   renderer              auto | software | accelerated [auto]: auto is
 *                         the software renderer on a window system (X11,
 *                         Wayland: no GL stack in memory, ~45 MiB less
 *                         with Mesa's llvmpipe) and SDL's accelerated one
 *                         under KMSDRM, which needs it for a framebuffer
 *   touch_rotate          0 | 90 | 180 | 270, degrees clockwise [0]
 *   touch_calibration     six numbers a b c d e f: x' = a x + b y + c,
 *                         y' = d x + e y + f on coordinates in 0..1,
 *                         like LIBINPUT_CALIBRATION_MATRIX [1 0 0 0 1 0]
 *   sync_socket           Unix datagram socket poked after each commit
 *                         ["": DATA/sync.sock]
 *   staff_idle_s          a staff session nobody touches ends after [120]
 *   staff_countdown_s     the "还在吗？" countdown shown before that [20]
 *   contact_days          a mentor's child is overdue after [14] days
 *                         without contact
 *   term_start            YYYY-MM-DD the term began; "" derives it [""]
 *   media_dir             where USB sticks are mounted [/media]
 *   sync_bin              the guanai-sync program for the USB export
 *                         [guanai-sync]
 *   rauc_bin              the rauc program for 系统更新 [rauc]
 *   rauc_conf             RAUC's system.conf: this device's compatible
 *                         [/etc/rauc/system.conf]
 *   version_file          the running version [/usr/share/guanai/version]
 *   reboot_request        the file the kiosk writes "reboot" to once an
 *                         update is installed (docs/image.md); "" asks
 *                         nothing [/run/guanai/reboot-request]
 *   pin_opslimit          cost of hashing a new PIN; 0 interactive [0]
 *   pin_memlimit_kib      memory of it; 0 interactive [0]
 *   report_police         the local police (派出所) number the mandatory
 *                         report screen shows [110]
 *   report_civil          the local 民政 (civil affairs) number [""]
 *   report_edu            the local 教育局 (education bureau) number [""]
 *                         (these three: 1-20 digits and '-'; "" shows
 *                         未设置, and the school should set it)
 *
 * An unknown key, a bad value or an overlong line is an error reported as
 * "file:line: message"; the whole file is then rejected.
 */
#ifndef GU_SETTINGS_H
#define GU_SETTINGS_H

#include <stddef.h>

#define SETTINGS_PATH_MAX 512

struct settings {
	char lang[8];
	float screen_diagonal_inch;
	int fullscreen;
	int window_w, window_h;
	int idle_timeout_s;
	int idle_countdown_s;
	int confirm_s;
	int tz_min;
	char fonts_dir[SETTINGS_PATH_MAX];
	char assets_dir[SETTINGS_PATH_MAX];
	char font_primary[128];
	int font_primary_index;
	char font_fallback[128];
	int sound;
	char display[8];
	char renderer[16];
	int touch_rotate;
	float touch_cal[6];
	char sync_socket[SETTINGS_PATH_MAX];
	int staff_idle_s;
	int staff_countdown_s;
	int contact_days;
	char term_start[16];
	char media_dir[SETTINGS_PATH_MAX];
	char sync_bin[SETTINGS_PATH_MAX];
	char rauc_bin[SETTINGS_PATH_MAX];
	char rauc_conf[SETTINGS_PATH_MAX];
	char version_file[SETTINGS_PATH_MAX];
	char reboot_request[SETTINGS_PATH_MAX];
	int pin_opslimit;
	int pin_memlimit_kib;
	char report_police[24];
	char report_civil[24];
	char report_edu[24];
};

/* Fills c with the defaults. */
void settings_defaults(struct settings *c);

/*
 * Reads path over the values already in c.  On error returns GU_EINVAL
 * (GU_EIO if the file cannot be read) with "path:line: why" in err, and c
 * is unchanged.
 */
int settings_load(struct settings *c, const char *path, char *err, size_t len);

/* Parses "WxH"; GU_OK or GU_EINVAL. */
int settings_parse_size(const char *s, int *w, int *h);

#endif
