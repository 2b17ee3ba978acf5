/*
 * platform.h: the front end.  platform_sdl.c is the only file of the
 * kiosk that includes SDL: it owns the window (or, headless, an offscreen
 * surface with the software renderer), input, fonts and the text texture
 * cache, sound, screenshots, the clock, and systemd's watchdog.
 *
 * Headless mode replays a script of timed touches (script.h) through the
 * very same event path: each scripted touch becomes an SDL touch event
 * pushed on SDL's queue, and the clock is virtual, advanced by the script,
 * so a run is deterministic and fast.
 *
 * Environment it reads: GUANAI_DEV=1 (make run) makes Ctrl+Alt+Q quit,
 * said at start; GUANAI_AUDIO_VERBOSE=1 lets SDL's and ALSA's messages
 * through while the sound is probed (otherwise a machine without sound
 * gets the one line "sound is off").
 *
 * For the end-to-end test, when $GUANAI_TEXT_DUMP names a file, every
 * presented frame rewrites it with one line per text on screen:
 * "X Y W H TEXT" (the text's rectangle in window pixels), so a test
 * driving the real window with xdotool knows where to tap.
 */
#ifndef GU_PLATFORM_H
#define GU_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "settings.h"
#include "ui.h"

struct plat;

struct plat_opts {
	int headless;         /* offscreen surface, software renderer */
	int w, h;             /* window size; 0: the config's, or the screen */
	int fullscreen;       /* ignored when headless */
	int64_t clock_ms;     /* != 0: the clock starts here */
	const char *script;   /* path of a touch script (headless) */
	const char *shot_dir; /* where the script's screenshots go */
	int exit_after_first_frame; /* benchmark: quit after one present */
};

/*
 * Opens the front end.  On error returns GU_EIO with a sentence in err
 * (no display, no font, a bad script at file:line) and *out is NULL.
 */
int plat_open(struct plat **out, const struct settings *cfg,
    const struct plat_opts *o, char *err, size_t len);
void plat_close(struct plat *p);

void plat_size(const struct plat *p, int *w, int *h, float *px_per_mm);

/* Milliseconds since 1970 (virtual in a script run). */
int64_t plat_now_ms(struct plat *p);
/* A monotonic microsecond clock for measurements. */
int64_t plat_mono_us(void);
/* CPU time of this thread in microseconds (what a frame costs, apart
 * from waiting for a core on a busy machine). */
int64_t plat_cpu_us(void);

enum plat_wait {
	PLAT_INPUT,   /* *ev holds a pointer event */
	PLAT_TIMEOUT, /* the deadline passed */
	PLAT_RESIZE,  /* the window changed size: call plat_size */
	PLAT_QUIT     /* close the program (or the script ended) */
};

/*
 * Waits for input until deadline_ms (plat_now_ms time; 0: forever),
 * pinging the watchdog meanwhile.  Mouse events that SDL makes from touches
 * are dropped, so a finger is never counted twice.
 */
enum plat_wait plat_wait(
    struct plat *p, int64_t deadline_ms, struct ui_event *ev);

/* Paints the command list and presents it. */
void plat_render(struct plat *p, const struct ui *ui);

/* Plays sound KIOSK_SOUND_*; silent when there is no audio device. */
void plat_sound(struct plat *p, int which);

/* Writes what is on screen as a PNG. */
int plat_screenshot(struct plat *p, const char *path);

/* Measures text (ui_measure_fn); arg is the struct plat. */
void plat_measure(
    void *arg, int font, const char *text, size_t len, int *w, int *h);

/* Tells systemd (if $NOTIFY_SOCKET is set) msg, e.g. "READY=1". */
void plat_notify(struct plat *p, const char *msg);

/*
 * How many code points of text (UTF-8) neither the primary nor the
 * fallback font has a glyph for (they would show as boxes).
 */
int plat_glyphs_missing(struct plat *p, const char *text);

/* Nonzero when the script asked for something that failed (an expected
 * text was not on screen). */
int plat_script_failed(const struct plat *p);

#endif
