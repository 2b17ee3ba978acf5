/*
 * platform_sdl.c: the kiosk's front end, and the only file of the program
 * that includes SDL (see platform.h).  It alone owns the window, the
 * renderer, input devices, fonts, the text texture cache, audio,
 * screenshots, the clock and the systemd notifications; everything above
 * it gets plain data.
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "evin.h"
#include "kiosk.h"
#include "kms.h"
#include "platform.h"
#include "png.h"
#include "script.h"
#include "status.h"

/* The palette (enum ui_color): warm paper, deep teal, soft green. */
static const SDL_Color palette[UI_C_N] = {
    [UI_C_BG] = {0xf6, 0xf3, 0xec, 0xff},
    [UI_C_PANEL] = {0xff, 0xff, 0xff, 0xff},
    [UI_C_TEXT] = {0x22, 0x2b, 0x33, 0xff},
    [UI_C_MUTED] = {0x5f, 0x6b, 0x75, 0xff},
    [UI_C_BUTTON] = {0xff, 0xff, 0xff, 0xff},
    [UI_C_PRIMARY] = {0x1f, 0x6f, 0x8b, 0xff},
    [UI_C_ON_PRIMARY] = {0xff, 0xff, 0xff, 0xff},
    [UI_C_PRESSED] = {0x13, 0x4a, 0x5e, 0xff},
    [UI_C_OK] = {0x2e, 0x8b, 0x57, 0xff},
    [UI_C_OK_SOFT] = {0xdc, 0xf0, 0xe2, 0xff},
    [UI_C_WARN] = {0xf2, 0xb1, 0x34, 0xff},
    [UI_C_DANGER] = {0xc0, 0x39, 0x2b, 0xff},
    [UI_C_BORDER] = {0xcf, 0xd6, 0xdc, 0xff},
    [UI_C_SELECTED] = {0x2e, 0x8b, 0x57, 0xff},
    [UI_C_SHADE] = {0x10, 0x18, 0x20, 0xa0},
};

#define CACHE_N 1024
#define CACHE_TEXT 256
#define LINE_MAX_BYTES 512

struct cache_ent {
	uint64_t hash;
	uint8_t font, color, used;
	char text[CACHE_TEXT];
	SDL_Texture *tex; /* NULL: measured only */
	int w, h;
	uint64_t stamp;
};

/* A scripted pointer event waiting for its virtual time. */
#define PEND_MOUSE 0x10       /* or'ed into kind: a real mouse event */
#define PEND_TOUCH_MOUSE 0x20 /* a mouse event SDL made from a touch */
struct pending {
	int64_t t_ms;
	int kind; /* UI_EV_*, maybe | PEND_MOUSE or PEND_TOUCH_MOUSE */
	int x, y;
};

#define PENDING_MAX 512

struct plat {
	const struct settings *cfg;
	SDL_Window *win;
	SDL_Renderer *ren;
	int log_input;       /* -1 unknown, then GUANAI_INPUT_LOG set or not */
	int dev_quit;        /* Ctrl+Alt+Q quits (GUANAI_DEV=1, make run) */
	SDL_Surface *surf;   /* headless and DRM target */
	struct drm_out *drm; /* display "drm": frames go here */
	struct evin *in;     /* and input comes from here */
	struct evin_event held; /* read past a burst of moves */
	int has_held;
	float tx, ty;      /* the followed finger's last place, 0..1 */
	int mx, my;        /* the pointer, DRM */
	TTF_Font *font[2]; /* primary, fallback (may be NULL) */
	int font_px[UI_FONT_N];
	int w, h;
	float px_per_mm;
	int headless;

	struct cache_ent *cache;
	uint64_t stamp;

	SDL_AudioDeviceID audio;
	Uint8 *wav;
	Uint32 wav_len;

	int64_t clock_off_ms; /* added to the real clock */
	int exit_after_first_frame;
	int rendered;

	/* Touch: the finger being followed, and whether touches came. */
	SDL_FingerID finger; /* (the slot, DRM) */
	int finger_down;
	int mouse_down;

	/* Script replay with a virtual clock. */
	struct script script;
	int scripted;
	size_t sc_next;
	int64_t vclock, st;
	struct pending pend[PENDING_MAX];
	size_t npend, pend_head;
	const struct ui *last_ui;
	char shot_dir[256];
	int script_failed;

	/* systemd. */
	int64_t watchdog_ms, next_ping_us;
};

int64_t
plat_mono_us(void)
{
	return clock_mono_us();
}

int64_t
plat_cpu_us(void)
{
	return clock_cpu_us();
}

static int64_t
wall_ms(void)
{
	return clock_wall_ms();
}

int64_t
plat_now_ms(struct plat *p)
{
	if (p->scripted)
		return p->vclock;
	return wall_ms() + p->clock_off_ms;
}

void
plat_size(const struct plat *p, int *w, int *h, float *px_per_mm)
{
	*w = p->w;
	*h = p->h;
	*px_per_mm = p->px_per_mm;
}

int
plat_script_failed(const struct plat *p)
{
	return p->script_failed;
}

/* ---- systemd notification ---- */

void
plat_notify(struct plat *p, const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	socklen_t sl;
	size_t n;
	int fd;

	(void) p;
	if (path == NULL || *path == '\0')
		return;
	n = strlen(path);
	if (n >= sizeof(sa.sun_path))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0'; /* abstract socket */
	sl = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + n);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	/* Best effort: a lost ping is retried at the next interval. */
	(void) sendto(
	    fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *) &sa, sl);
	close(fd);
}

/*
 * Opening the display loads the renderer, on the appliance Mesa's
 * llvmpipe and libLLVM (70 MiB read from the compressed root slot): on a
 * slow terminal, or under QEMU, that alone can outlast the unit's 30 s
 * watchdog, which then kills every start.  So the interval is widened to
 * WATCHDOG_GRACE_S while the display opens (systemd 236's WATCHDOG_USEC=)
 * and put back by watchdog_init; a renderer that hangs longer is still
 * caught.
 */
#define WATCHDOG_GRACE_S 180

static void
watchdog_grace(struct plat *p)
{
	char msg[64];

	if (getenv("WATCHDOG_USEC") == NULL)
		return;
	snprintf(msg, sizeof(msg), "WATCHDOG=1\nWATCHDOG_USEC=%lld",
	    (long long) WATCHDOG_GRACE_S * 1000000);
	plat_notify(p, msg);
}

static void
watchdog_init(struct plat *p)
{
	const char *u = getenv("WATCHDOG_USEC");
	char *end, msg[64];
	long long v;

	p->watchdog_ms = 0;
	if (u == NULL || getenv("NOTIFY_SOCKET") == NULL)
		return;
	errno = 0;
	v = strtoll(u, &end, 10);
	if (errno != 0 || end == u || *end != '\0' || v <= 0)
		return;
	/* Ping at a third of the interval (10 s of the image's 30 s), so
	 * a slow frame on a software-rendered GPU never makes us late. */
	p->watchdog_ms = v / 3000;
	if (p->watchdog_ms < 1)
		p->watchdog_ms = 1;
	p->next_ping_us = plat_mono_us();
	/* The unit's own interval again, after watchdog_grace. */
	snprintf(msg, sizeof(msg), "WATCHDOG_USEC=%lld", v);
	plat_notify(p, msg);
}

static void
watchdog_tick(struct plat *p)
{
	int64_t now;

	if (p->watchdog_ms == 0)
		return;
	now = plat_mono_us();
	if (now >= p->next_ping_us) {
		plat_notify(p, "WATCHDOG=1");
		p->next_ping_us = now + p->watchdog_ms * 1000;
	}
}

/* ---- fonts and the text cache ---- */

static uint64_t
text_hash(int font, int color, const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	h = (h ^ (uint64_t) font) * 1099511628211ull;
	h = (h ^ (uint64_t) color) * 1099511628211ull;
	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t) s[i]) * 1099511628211ull;
	return h;
}

/* Decodes one UTF-8 code point at s (n bytes left); *used gets its
 * length.  Bad bytes give U+FFFD and length 1. */
static Uint32
utf8_next(const char *s, size_t n, size_t *used)
{
	const uint8_t *u = (const uint8_t *) s;
	Uint32 c;
	size_t k, i;

	if (u[0] < 0x80) {
		*used = 1;
		return u[0];
	}
	k = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc0 ? 2 : 0;
	if (k == 0 || k > n) {
		*used = 1;
		return 0xfffd;
	}
	c = u[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*used = 1;
			return 0xfffd;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*used = k;
	return c;
}

/* Which font draws c: the primary if it has the glyph, else the
 * fallback if it has it, else the primary (a box, but never nothing). */
static int
font_for(struct plat *p, Uint32 c)
{
	if (c < 0x80 || p->font[1] == NULL)
		return 0;
	if (TTF_GlyphIsProvided32(p->font[0], c))
		return 0;
	if (TTF_GlyphIsProvided32(p->font[1], c))
		return 1;
	return 0;
}

static void
set_size(struct plat *p, int font)
{
	TTF_SetFontSize(p->font[0], p->font_px[font]);
	if (p->font[1] != NULL)
		TTF_SetFontSize(p->font[1], p->font_px[font]);
}

/*
 * Renders (or, with want_tex 0, measures) one line of text as runs of the
 * primary and fallback fonts.  Returns a new surface, or NULL with *w, *h
 * set when measuring or on error.
 */
static SDL_Surface *
render_line(struct plat *p, int font, SDL_Color col, const char *s, size_t n,
    int want, int *w, int *h)
{
	char run[LINE_MAX_BYTES + 1];
	SDL_Surface *out = NULL, *rs;
	size_t i = 0, j, used;
	int pass, f, rw, rh, x, asc0, asc;

	set_size(p, font);
	*h = TTF_FontHeight(p->font[0]);
	asc0 = TTF_FontAscent(p->font[0]);
	if (n > LINE_MAX_BYTES)
		n = LINE_MAX_BYTES;
	/* Pass 0 measures; pass 1 draws into a surface of that size. */
	for (pass = 0; pass < (want ? 2 : 1); pass++) {
		x = 0;
		for (i = 0; i < n;) {
			f = font_for(p, utf8_next(s + i, n - i, &used));
			for (j = i + used; j < n;) {
				size_t u2;
				Uint32 c = utf8_next(s + j, n - j, &u2);
				if (font_for(p, c) != f)
					break;
				j += u2;
			}
			memcpy(run, s + i, j - i);
			run[j - i] = '\0';
			if (pass == 0) {
				if (TTF_SizeUTF8(p->font[f], run, &rw, &rh) ==
				    0)
					x += rw;
			} else {
				rs = TTF_RenderUTF8_Blended(
				    p->font[f], run, col);
				if (rs != NULL) {
					SDL_Rect d;
					asc = TTF_FontAscent(p->font[f]);
					d.x = x;
					d.y = asc0 - asc;
					d.w = rs->w;
					d.h = rs->h;
					SDL_SetSurfaceBlendMode(
					    rs, SDL_BLENDMODE_NONE);
					SDL_BlitSurface(rs, NULL, out, &d);
					x += rs->w;
					SDL_FreeSurface(rs);
				}
			}
			i = j;
		}
		if (pass == 0) {
			*w = x;
			if (want && x > 0) {
				out = SDL_CreateRGBSurfaceWithFormat(
				    0, x, *h, 32, SDL_PIXELFORMAT_ARGB8888);
				if (out == NULL)
					return NULL;
				SDL_FillRect(out, NULL, 0);
			}
			if (out == NULL)
				return NULL;
		}
	}
	return out;
}

/* The cache entry for one line of text; creates the texture if want. */
static struct cache_ent *
cache_get(
    struct plat *p, int font, int color, const char *s, size_t n, int want)
{
	uint64_t h = text_hash(font, want ? color : 255, s, n);
	size_t i, slot, victim = 0;
	struct cache_ent *e;
	SDL_Surface *surf;
	uint64_t oldest = UINT64_MAX;

	p->stamp++;
	if (n >= CACHE_TEXT)
		n = CACHE_TEXT - 1;
	slot = (size_t) (h % CACHE_N);
	/* Open addressing over 8 slots; the least recently used of them
	 * is replaced on a miss. */
	for (i = 0; i < 8; i++) {
		e = &p->cache[(slot + i) % CACHE_N];
		if (e->used && e->hash == h && e->font == font &&
		    strncmp(e->text, s, n) == 0 && e->text[n] == '\0') {
			e->stamp = p->stamp;
			return e;
		}
		if (!e->used) {
			victim = (slot + i) % CACHE_N;
			oldest = 0;
		} else if (e->stamp < oldest) {
			oldest = e->stamp;
			victim = (slot + i) % CACHE_N;
		}
	}
	e = &p->cache[victim];
	if (e->tex != NULL)
		SDL_DestroyTexture(e->tex);
	memset(e, 0, sizeof(*e));
	e->used = 1;
	e->hash = h;
	e->font = (uint8_t) font;
	e->color = (uint8_t) color;
	memcpy(e->text, s, n);
	e->text[n] = '\0';
	e->stamp = p->stamp;
	surf = render_line(
	    p, font, palette[color], e->text, n, want, &e->w, &e->h);
	if (surf != NULL) {
		e->tex = SDL_CreateTextureFromSurface(p->ren, surf);
		if (e->tex != NULL)
			SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
		SDL_FreeSurface(surf);
	}
	return e;
}

int
plat_glyphs_missing(struct plat *p, const char *text)
{
	size_t n = strlen(text), i = 0, used;
	int missing = 0;
	Uint32 c;

	while (i < n) {
		c = utf8_next(text + i, n - i, &used);
		i += used;
		if (!TTF_GlyphIsProvided32(p->font[0], c) &&
		    (p->font[1] == NULL ||
		        !TTF_GlyphIsProvided32(p->font[1], c)))
			missing++;
	}
	return missing;
}

/* The end of the line at s: a line break of the text or one the toolkit
 * put in to wrap it ('\r'); NULL in the last line. */
static const char *
line_end(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\n' || s[i] == '\r')
			return s + i;
	return NULL;
}

void
plat_measure(void *arg, int font, const char *text, size_t len, int *w, int *h)
{
	struct plat *p = arg;
	struct cache_ent *e;
	const char *nl;
	size_t n;

	*w = *h = 0;
	while (len > 0) {
		nl = line_end(text, len);
		n = nl != NULL ? (size_t) (nl - text) : len;
		e = cache_get(p, font, UI_C_TEXT, text, n, 0);
		if (e->w > *w)
			*w = e->w;
		*h += e->h;
		if (nl == NULL)
			break;
		text += n + 1;
		len -= n + 1;
	}
}

static int
open_fonts(struct plat *p, char *err, size_t len)
{
	const struct settings *c = p->cfg;
	char path[SETTINGS_PATH_MAX + 160];

	snprintf(path, sizeof(path), "%s/%s", c->fonts_dir, c->font_primary);
	p->font[0] = TTF_OpenFontIndex(path, 24, c->font_primary_index);
	if (p->font[0] == NULL) {
		snprintf(
		    err, len, "cannot open font %s: %s", path, TTF_GetError());
		return GU_EIO;
	}
	snprintf(path, sizeof(path), "%s/%s", c->fonts_dir, c->font_fallback);
	p->font[1] = TTF_OpenFont(path, 24);
	if (p->font[1] == NULL)
		fprintf(stderr,
		    "guanai-kiosk: no fallback font %s (%s): rare characters "
		    "may show as boxes\n",
		    path, TTF_GetError());
	return GU_OK;
}

static void
set_metrics(struct plat *p, struct ui *ui_or_null)
{
	struct ui tmp;
	int i;

	p->px_per_mm =
	    (float) sqrt((double) p->w * p->w + (double) p->h * p->h) /
	    (p->cfg->screen_diagonal_inch * 25.4f);
	/* The toolkit decides the text sizes; copy them. */
	ui_init(&tmp, p->w, p->h, p->px_per_mm, NULL, NULL);
	for (i = 0; i < UI_FONT_N; i++)
		p->font_px[i] = tmp.font_px[i];
	(void) ui_or_null;
}

/* ---- audio ---- */

/*
 * Runs with stderr sent to /dev/null: alsa-lib prints a page of "ALSA lib
 * ... cannot find card" lines while SDL probes a machine without a sound
 * card, which read like a failure.  Returns the saved descriptor for
 * quiet_end (-1: nothing was changed).
 */
static int
quiet_begin(void)
{
	int saved, nul;

	if (getenv("GUANAI_AUDIO_VERBOSE") != NULL)
		return -1;
	fflush(stderr);
	saved = fcntl(2, F_DUPFD_CLOEXEC, 3);
	nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved < 0 || nul < 0 || dup2(nul, 2) < 0) {
		if (saved >= 0)
			close(saved);
		if (nul >= 0)
			close(nul);
		return -1;
	}
	close(nul);
	return saved;
}

static void
quiet_end(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	(void) dup2(saved, 2);
	close(saved);
}

/*
 * Opens the sound: the probe is quiet, and a machine without sound says
 * so in one line (GUANAI_AUDIO_VERBOSE=1 shows what SDL and ALSA said).
 */
static void
open_audio(struct plat *p)
{
	char path[SETTINGS_PATH_MAX + 32], why[256] = "";
	SDL_AudioSpec spec;
	int q;

	if (!p->cfg->sound)
		return;
	snprintf(path, sizeof(path), "%s/confirm.wav", p->cfg->assets_dir);
	if (SDL_LoadWAV(path, &spec, &p->wav, &p->wav_len) == NULL) {
		fprintf(stderr, "guanai-kiosk: cannot load %s: %s\n", path,
		    SDL_GetError());
		return;
	}
	q = quiet_begin();
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
		snprintf(why, sizeof(why), "%s", SDL_GetError());
	else {
		p->audio = SDL_OpenAudioDevice(NULL, 0, &spec, NULL, 0);
		if (p->audio == 0)
			snprintf(why, sizeof(why), "%s", SDL_GetError());
	}
	quiet_end(q);
	if (p->audio == 0)
		fprintf(stderr,
		    "guanai-kiosk: sound is off: no audio device (%s); "
		    "everything else works.  sound = 0 in the config skips "
		    "the probe\n",
		    why[0] != '\0' ? why : "none found");
}

void
plat_sound(struct plat *p, int which)
{
	(void) which;
	if (p->audio == 0 || p->wav == NULL)
		return;
	SDL_ClearQueuedAudio(p->audio);
	SDL_QueueAudio(p->audio, p->wav, p->wav_len);
	SDL_PauseAudioDevice(p->audio, 0);
}

/* ---- input devices ---- */

/* Under KMSDRM SDL reads /dev/input itself: say so plainly when it
 * cannot, since the screen would otherwise look frozen. */
static void
check_input_devices(void)
{
	const char *drv = SDL_GetCurrentVideoDriver();
	struct dirent *de;
	char path[300];
	int readable = 0, seen = 0;
	DIR *d;

	if (drv == NULL || strcmp(drv, "KMSDRM") != 0)
		return;
	d = opendir("/dev/input");
	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, "event", 5) != 0)
				continue;
			seen++;
			snprintf(
			    path, sizeof(path), "/dev/input/%s", de->d_name);
			if (access(path, R_OK) == 0)
				readable++;
		}
		closedir(d);
	}
	if (readable == 0)
		fprintf(stderr,
		    "guanai-kiosk: KMSDRM: none of the %d input devices in "
		    "/dev/input is readable by this user, so touches will not "
		    "work: add the kiosk user to the 'input' group\n",
		    seen);
	else
		fprintf(stderr,
		    "guanai-kiosk: KMSDRM: %d of %d input devices readable; "
		    "%d touch devices\n",
		    readable, seen, SDL_GetNumTouchDevices());
}

/* Touch coordinates 0..1 -> window pixels, through the configured
 * rotation and calibration matrix. */
static void
touch_map(const struct plat *p, float x, float y, int *ox, int *oy)
{
	const float *m = p->cfg->touch_cal;
	float rx = x, ry = y, cx, cy;

	switch (p->cfg->touch_rotate) {
	case 90:
		rx = 1 - y;
		ry = x;
		break;
	case 180:
		rx = 1 - x;
		ry = 1 - y;
		break;
	case 270:
		rx = y;
		ry = 1 - x;
		break;
	default:
		break;
	}
	cx = m[0] * rx + m[1] * ry + m[2];
	cy = m[3] * rx + m[4] * ry + m[5];
	*ox = (int) lroundf(cx * (float) p->w);
	*oy = (int) lroundf(cy * (float) p->h);
}

/* One SDL event -> a pointer event; 0 when it is not one. */
static int
translate(struct plat *p, const SDL_Event *e, struct ui_event *ev)
{
	switch (e->type) {
	case SDL_FINGERDOWN:
		if (p->finger_down)
			return 0; /* one finger at a time */
		p->finger_down = 1;
		p->finger = e->tfinger.fingerId;
		ev->kind = UI_EV_DOWN;
		touch_map(p, e->tfinger.x, e->tfinger.y, &ev->x, &ev->y);
		return 1;
	case SDL_FINGERMOTION:
	case SDL_FINGERUP:
		if (!p->finger_down || e->tfinger.fingerId != p->finger)
			return 0;
		ev->kind = e->type == SDL_FINGERUP ? UI_EV_UP : UI_EV_MOVE;
		if (e->type == SDL_FINGERUP)
			p->finger_down = 0;
		touch_map(p, e->tfinger.x, e->tfinger.y, &ev->x, &ev->y);
		return 1;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		/* SDL makes mouse events from touches: drop them, the
		 * finger events above already counted. */
		if (e->button.which == SDL_TOUCH_MOUSEID ||
		    e->button.button != SDL_BUTTON_LEFT || p->finger_down)
			return 0;
		if (e->type == SDL_MOUSEBUTTONDOWN) {
			p->mouse_down = 1;
			ev->kind = UI_EV_DOWN;
		} else {
			if (!p->mouse_down)
				return 0;
			p->mouse_down = 0;
			ev->kind = UI_EV_UP;
		}
		ev->x = e->button.x;
		ev->y = e->button.y;
		return 1;
	case SDL_MOUSEMOTION:
		if (e->motion.which == SDL_TOUCH_MOUSEID || !p->mouse_down)
			return 0;
		ev->kind = UI_EV_MOVE;
		ev->x = e->motion.x;
		ev->y = e->motion.y;
		return 1;
	default:
		return 0;
	}
}

/* How long a wait may block: until the deadline, at most until the
 * watchdog wants its ping; 0 when the deadline has passed. */
static int
wait_budget(struct plat *p, int64_t deadline_ms, int64_t *timeout)
{
	int64_t now = plat_now_ms(p);

	if (deadline_ms != 0 && now >= deadline_ms)
		return 0;
	*timeout = deadline_ms != 0 ? deadline_ms - now : 60000;
	if (p->watchdog_ms != 0 && *timeout > p->watchdog_ms)
		*timeout = p->watchdog_ms;
	return 1;
}

/* ---- input on the DRM display ---- */

static int
clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* One libinput event -> a pointer event, by the rules translate() keeps
 * for SDL's: one finger at a time, touches calibrated, the mouse not. */
static int
translate_in(struct plat *p, const struct evin_event *e, struct ui_event *ev)
{
	switch (e->kind) {
	case EVIN_TOUCH_DOWN:
		if (p->finger_down || p->mouse_down)
			return 0;
		p->finger_down = 1;
		p->finger = e->slot;
		ev->kind = UI_EV_DOWN;
		break;
	case EVIN_TOUCH_MOTION:
	case EVIN_TOUCH_UP:
		if (!p->finger_down || e->slot != p->finger)
			return 0;
		ev->kind = e->kind == EVIN_TOUCH_UP ? UI_EV_UP : UI_EV_MOVE;
		if (e->kind == EVIN_TOUCH_UP)
			p->finger_down = 0;
		break;
	case EVIN_POINTER_ABS:
	case EVIN_POINTER_REL:
		if (e->kind == EVIN_POINTER_ABS) {
			p->mx = (int) lround(e->x * p->w);
			p->my = (int) lround(e->y * p->h);
		} else {
			p->mx += (int) lround(e->x);
			p->my += (int) lround(e->y);
		}
		p->mx = clampi(p->mx, 0, p->w - 1);
		p->my = clampi(p->my, 0, p->h - 1);
		if (!p->mouse_down)
			return 0;
		ev->kind = UI_EV_MOVE;
		ev->x = p->mx;
		ev->y = p->my;
		return 1;
	case EVIN_BUTTON:
		if (e->down == p->mouse_down || p->finger_down)
			return 0;
		p->mouse_down = e->down;
		ev->kind = e->down ? UI_EV_DOWN : UI_EV_UP;
		ev->x = p->mx;
		ev->y = p->my;
		return 1;
	default:
		return 0;
	}
	if (e->kind != EVIN_TOUCH_UP) {
		p->tx = (float) e->x;
		p->ty = (float) e->y;
	}
	touch_map(p, p->tx, p->ty, &ev->x, &ev->y);
	return 1;
}

static int
next_in(struct plat *p, struct evin_event *e)
{
	if (p->has_held) {
		*e = p->held;
		p->has_held = 0;
		return 1;
	}
	return evin_next(p->in, e);
}

/* SDL turns SIGTERM and SIGINT into SDL_QUIT even without a window. */
static int
quit_asked(void)
{
	SDL_Event e;

	SDL_PumpEvents();
	return SDL_PeepEvents(&e, 1, SDL_GETEVENT, SDL_QUIT, SDL_QUIT) == 1;
}

/* plat_wait on the DRM display: poll libinput's descriptor. */
static enum plat_wait
wait_drm(struct plat *p, int64_t deadline_ms, struct ui_event *ev)
{
	struct evin_event ie;
	struct pollfd pfd;
	int64_t timeout;

	for (;;) {
		watchdog_tick(p);
		if (quit_asked())
			return PLAT_QUIT;
		while (next_in(p, &ie)) {
			if (p->log_input)
				fprintf(stderr,
				    "guanai-kiosk: input %d slot=%d x=%.4f "
				    "y=%.4f down=%d\n",
				    (int) ie.kind, ie.slot, ie.x, ie.y,
				    ie.down);
			if (!translate_in(p, &ie, ev))
				continue;
			/* Coalesce a burst of moves into the newest one. */
			while (ev->kind == UI_EV_MOVE && next_in(p, &ie)) {
				struct ui_event nev = {0};

				if (ie.kind != EVIN_TOUCH_MOTION &&
				    ie.kind != EVIN_POINTER_ABS &&
				    ie.kind != EVIN_POINTER_REL) {
					p->held = ie; /* for the next call */
					p->has_held = 1;
					break;
				}
				if (translate_in(p, &ie, &nev) &&
				    nev.kind == UI_EV_MOVE)
					*ev = nev;
			}
			ev->t_ms = plat_now_ms(p);
			return PLAT_INPUT;
		}
		if (!wait_budget(p, deadline_ms, &timeout))
			return PLAT_TIMEOUT;
		pfd.fd = evin_fd(p->in);
		pfd.events = POLLIN;
		(void) poll(&pfd, 1, (int) timeout);
	}
}

/* ---- script replay ---- */

static void
pend_add(struct plat *p, int64_t t, int kind, int x, int y)
{
	if (p->npend >= PENDING_MAX)
		return;
	p->pend[p->npend].t_ms = t;
	p->pend[p->npend].kind = kind;
	p->pend[p->npend].x = x;
	p->pend[p->npend].y = y;
	p->npend++;
}

/* Whether the text of c is t; a line break in the text matches a space
 * in t (a script line cannot hold one), and a line break the toolkit put
 * in to wrap the text ('\r', ui.h) matches a space or nothing. */
static int
text_is(const struct ui *ui, const struct ui_cmd *c, const char *t, size_t n)
{
	const char *s = ui->text + c->text_off;
	size_t i = 0, j = 0;

	while (i < c->text_len && j < n) {
		if (s[i] == '\r') {
			i++;
			if (t[j] == ' ')
				j++;
			continue;
		}
		if (s[i] != t[j] && !(s[i] == '\n' && t[j] == ' '))
			return 0;
		i++;
		j++;
	}
	while (i < c->text_len && s[i] == '\r')
		i++;
	return i == c->text_len && j == n;
}

/* Whether some text of the last frame holds t, the toolkit's wrapping
 * breaks ('\r') skipped. */
static int
text_has(const struct plat *p, const char *t)
{
	const struct ui *ui = p->last_ui;
	char s[2048];
	size_t i, j, n;

	if (ui == NULL)
		return 0;
	for (i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		if (c->kind != UI_CMD_TEXT)
			continue;
		for (j = n = 0; j < c->text_len && n < sizeof(s) - 1; j++)
			if (ui->text[c->text_off + j] != '\r')
				s[n++] = ui->text[c->text_off + j];
		s[n] = '\0';
		if (strstr(s, t) != NULL)
			return 1;
	}
	return 0;
}

/* Finds the nth text cmd equal to t in the last frame, or with after
 * set, the nth text after the first equal to t. */
static const struct ui_cmd *
find_text(const struct plat *p, const char *t, int nth, int after)
{
	const struct ui *ui = p->last_ui;
	size_t i, n = strlen(t);
	int found = 0;

	if (ui == NULL)
		return NULL;
	for (i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		if (c->kind != UI_CMD_TEXT)
			continue;
		if (after && found && --nth == 0)
			return c;
		if (text_is(ui, c, t, n)) {
			found = 1;
			if (!after && --nth == 0)
				return c;
		}
	}
	return NULL;
}

static void
script_fail(struct plat *p, const struct script_step *st, const char *why)
{
	char path[600];

	/* With a picture of the moment to look at. */
	snprintf(path, sizeof(path), "%s/failed.png", p->shot_dir);
	fprintf(stderr, "%s:%d: %s: %s (screen: %s)\n", p->script.path,
	    st->line, why, st->text, path);
	p->script_failed = 1;
	(void) plat_screenshot(p, path);
}

/*
 * Runs script steps until one produces pointer events (queued in pend)
 * or the script ends.  Returns 0 to go on, 1 at the end or on failure.
 */
static int
script_step(struct plat *p)
{
	const struct script_step *st;
	const struct ui_cmd *c;
	char path[600];
	int i, n, x, y;

	while (p->sc_next < p->script.n) {
		st = &p->script.step[p->sc_next];
		if (st->op != SC_WAIT && p->st > p->vclock)
			return 0; /* not yet: time must pass first */
		p->sc_next++;
		switch (st->op) {
		case SC_WAIT:
			p->st += st->ms;
			return 0;
		case SC_TAP_TEXT:
			c = find_text(p, st->text, st->nth, st->after);
			if (c == NULL) {
				script_fail(p, st, "no such text on screen");
				return 1;
			}
			x = c->r.x + c->r.w / 2;
			y = c->r.y + c->r.h / 2;
			pend_add(p, p->st, UI_EV_DOWN, x, y);
			pend_add(p, p->st + 80, UI_EV_UP, x, y);
			p->st += 380;
			return 0;
		case SC_TAP:
			pend_add(p, p->st, UI_EV_DOWN, st->x, st->y);
			pend_add(p, p->st + 80, UI_EV_UP, st->x, st->y);
			p->st += 380;
			return 0;
		case SC_CLICK:
			pend_add(
			    p, p->st, UI_EV_DOWN | PEND_MOUSE, st->x, st->y);
			pend_add(
			    p, p->st + 80, UI_EV_UP | PEND_MOUSE, st->x, st->y);
			p->st += 380;
			return 0;
		case SC_TAP_DUP:
			pend_add(p, p->st, UI_EV_DOWN, st->x, st->y);
			pend_add(p, p->st, UI_EV_DOWN | PEND_TOUCH_MOUSE, st->x,
			    st->y);
			pend_add(p, p->st + 80, UI_EV_UP, st->x, st->y);
			pend_add(p, p->st + 80, UI_EV_UP | PEND_TOUCH_MOUSE,
			    st->x, st->y);
			p->st += 380;
			return 0;
		case SC_DOWN:
		case SC_MOVE:
		case SC_UP:
			pend_add(p, p->st,
			    st->op == SC_DOWN       ? UI_EV_DOWN
			        : st->op == SC_MOVE ? UI_EV_MOVE
			                            : UI_EV_UP,
			    st->x, st->y);
			p->st += 16;
			return 0;
		case SC_DRAG:
			n = st->ms / 16;
			if (n < 1)
				n = 1;
			pend_add(p, p->st, UI_EV_DOWN, st->x, st->y);
			for (i = 1; i <= n; i++)
				pend_add(p, p->st + 16 * i, UI_EV_MOVE,
				    st->x + (st->x2 - st->x) * i / n,
				    st->y + (st->y2 - st->y) * i / n);
			pend_add(p, p->st + 16 * n, UI_EV_UP, st->x2, st->y2);
			p->st += 16 * n + 16;
			return 0;
		case SC_SHOT:
			snprintf(path, sizeof(path), "%s/%s.png", p->shot_dir,
			    st->text);
			if (plat_screenshot(p, path) != GU_OK) {
				script_fail(p, st, "cannot write screenshot");
				return 1;
			}
			break;
		case SC_EXPECT:
			if (find_text(p, st->text, 1, 0) == NULL) {
				script_fail(p, st, "expected on screen");
				return 1;
			}
			break;
		case SC_EXPECT_PART:
			if (!text_has(p, st->text)) {
				script_fail(p, st, "expected on screen");
				return 1;
			}
			break;
		case SC_EXPECT_NOT:
			if (find_text(p, st->text, 1, 0) != NULL) {
				script_fail(p, st, "not expected on screen");
				return 1;
			}
			break;
		case SC_LIVE:
			/* Real time from here, going on from the virtual. */
			p->clock_off_ms = p->vclock - wall_ms();
			p->scripted = 0;
			return 1;
		case SC_QUIT:
			return 1;
		}
	}
	return 1;
}

static enum plat_wait
wait_scripted(struct plat *p, int64_t deadline_ms, struct ui_event *ev)
{
	const struct script_step *st;
	struct pending *q;
	SDL_Event e;
	int64_t next;

	for (;;) {
		if (p->pend_head < p->npend)
			next = p->pend[p->pend_head].t_ms;
		else {
			/* No touch queued: run the steps whose time came. */
			p->pend_head = p->npend = 0;
			if (p->sc_next >= p->script.n)
				return PLAT_QUIT;
			st = &p->script.step[p->sc_next];
			if (st->op == SC_WAIT || p->st <= p->vclock) {
				if (script_step(p))
					return p->scripted
					    ? PLAT_QUIT
					    : plat_wait(p, deadline_ms, ev);
				continue;
			}
			next = p->st;
		}
		if (deadline_ms != 0 && deadline_ms < next) {
			if (deadline_ms > p->vclock)
				p->vclock = deadline_ms;
			return PLAT_TIMEOUT;
		}
		if (next > p->vclock)
			p->vclock = next;
		if (p->pend_head >= p->npend)
			continue;
		/* Through SDL's queue, as a touch, like a real finger. */
		q = &p->pend[p->pend_head++];
		memset(&e, 0, sizeof(e));
		if (q->kind & (PEND_MOUSE | PEND_TOUCH_MOUSE)) {
			e.type = (q->kind & 0xf) == UI_EV_DOWN
			    ? SDL_MOUSEBUTTONDOWN
			    : SDL_MOUSEBUTTONUP;
			e.button.which =
			    q->kind & PEND_TOUCH_MOUSE ? SDL_TOUCH_MOUSEID : 0;
			e.button.button = SDL_BUTTON_LEFT;
			e.button.x = q->x;
			e.button.y = q->y;
		} else {
			e.type = q->kind == UI_EV_DOWN ? SDL_FINGERDOWN
			    : q->kind == UI_EV_UP      ? SDL_FINGERUP
			                               : SDL_FINGERMOTION;
			e.tfinger.touchId = 1;
			e.tfinger.fingerId = 1;
			e.tfinger.x = (float) q->x / (float) p->w;
			e.tfinger.y = (float) q->y / (float) p->h;
			e.tfinger.pressure = 1;
		}
		SDL_PushEvent(&e);
		/* Peep, not poll: SDL_PollEvent stops at its poll sentinel
		 * and would leave the event queued for a later round. */
		SDL_PumpEvents();
		while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, SDL_FIRSTEVENT,
		           SDL_LASTEVENT) == 1) {
			if (translate(p, &e, ev)) {
				ev->t_ms = p->vclock;
				return PLAT_INPUT;
			}
		}
	}
}

enum plat_wait
plat_wait(struct plat *p, int64_t deadline_ms, struct ui_event *ev)
{
	SDL_Event e, peek;
	int64_t timeout;

	memset(ev, 0, sizeof(*ev));
	if (p->exit_after_first_frame && p->rendered)
		return PLAT_QUIT;
	if (p->scripted) {
		watchdog_tick(p); /* real time, as the service manager's */
		return wait_scripted(p, deadline_ms, ev);
	}
	if (p->log_input < 0)
		p->log_input = getenv("GUANAI_INPUT_LOG") != NULL;
	if (p->in != NULL)
		return wait_drm(p, deadline_ms, ev);
	for (;;) {
		watchdog_tick(p);
		if (!wait_budget(p, deadline_ms, &timeout))
			return PLAT_TIMEOUT;
		if (!SDL_WaitEventTimeout(&e, (int) timeout))
			continue;
		switch (e.type) {
		case SDL_QUIT:
			return PLAT_QUIT;
		case SDL_KEYDOWN:
			if (e.key.keysym.sym == SDLK_ESCAPE &&
			    !p->cfg->fullscreen)
				return PLAT_QUIT;
			/* A development run's way out of fullscreen. */
			if (p->dev_quit && e.key.keysym.sym == SDLK_q &&
			    (e.key.keysym.mod & KMOD_CTRL) &&
			    (e.key.keysym.mod & KMOD_ALT))
				return PLAT_QUIT;
			continue;
		case SDL_WINDOWEVENT:
			if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
				SDL_GetRendererOutputSize(p->ren, &p->w, &p->h);
				set_metrics(p, NULL);
				return PLAT_RESIZE;
			}
			if (e.window.event == SDL_WINDOWEVENT_EXPOSED)
				return PLAT_RESIZE; /* repaint */
			continue;
		default:
			break;
		}
		/* The image's test VM logs input (docs/image.md). */
		if (p->log_input)
			fprintf(stderr,
			    "guanai-kiosk: sdl event 0x%x x=%d y=%d\n", e.type,
			    e.type == SDL_MOUSEMOTION ? e.motion.x : e.button.x,
			    e.type == SDL_MOUSEMOTION ? e.motion.y
			                              : e.button.y);
		if (!translate(p, &e, ev))
			continue;
		/* Coalesce a burst of moves into the newest one. */
		while (ev->kind == UI_EV_MOVE &&
		    SDL_PeepEvents(&peek, 1, SDL_PEEKEVENT, SDL_FIRSTEVENT,
		        SDL_LASTEVENT) == 1 &&
		    (peek.type == SDL_FINGERMOTION ||
		        peek.type == SDL_MOUSEMOTION)) {
			struct ui_event nev;
			SDL_PeepEvents(&peek, 1, SDL_GETEVENT, SDL_FIRSTEVENT,
			    SDL_LASTEVENT);
			if (translate(p, &peek, &nev) && nev.kind == UI_EV_MOVE)
				*ev = nev;
		}
		ev->t_ms = plat_now_ms(p);
		return PLAT_INPUT;
	}
}

/* ---- rendering ---- */

static void
set_color(struct plat *p, int c)
{
	SDL_Color k = palette[c < UI_C_N ? c : UI_C_TEXT];

	SDL_SetRenderDrawColor(p->ren, k.r, k.g, k.b, k.a);
	SDL_SetRenderDrawBlendMode(
	    p->ren, k.a == 0xff ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}

/* A thick segment as two triangles. */
static void
segment(struct plat *p, SDL_Color c, float x0, float y0, float x1, float y1,
    float t)
{
	SDL_Vertex v[4];
	int idx[6] = {0, 1, 2, 2, 1, 3};
	float dx = x1 - x0, dy = y1 - y0, l = sqrtf(dx * dx + dy * dy), nx, ny;
	int i;

	if (l <= 0)
		return;
	nx = -dy / l * t / 2;
	ny = dx / l * t / 2;
	memset(v, 0, sizeof(v));
	v[0].position = (SDL_FPoint){x0 + nx, y0 + ny};
	v[1].position = (SDL_FPoint){x0 - nx, y0 - ny};
	v[2].position = (SDL_FPoint){x1 + nx, y1 + ny};
	v[3].position = (SDL_FPoint){x1 - nx, y1 - ny};
	for (i = 0; i < 4; i++)
		v[i].color = c;
	SDL_RenderGeometry(p->ren, NULL, v, 4, idx, 6);
}

/* A filled disc as a fan of triangles, fine enough at any size. */
static void
disc(struct plat *p, SDL_Color c, float cx, float cy, float rad)
{
	enum { N = 64 };
	SDL_Vertex v[N + 1];
	int idx[N * 3], i;

	memset(v, 0, sizeof(v));
	v[0].position = (SDL_FPoint){cx, cy};
	v[0].color = c;
	for (i = 0; i < N; i++) {
		float a = (float) i * 6.2831853f / N;
		v[i + 1].position =
		    (SDL_FPoint){cx + rad * cosf(a), cy + rad * sinf(a)};
		v[i + 1].color = c;
		idx[i * 3] = 0;
		idx[i * 3 + 1] = i + 1;
		idx[i * 3 + 2] = i + 1 < N ? i + 2 : 1;
	}
	SDL_RenderGeometry(p->ren, NULL, v, N + 1, idx, N * 3);
}

/* Mood face level (1..5) in the square of side s at x, y: the disc in
 * colour k, two round eyes and a mouth along a parabola whose corners go
 * up when happy and down when sad, round-capped. */
static void
face(struct plat *p, SDL_Color k, float x, float y, float s, int level)
{
	SDL_Color ink = palette[UI_C_TEXT];
	float rad = s / 2, cx = x + rad, cy = y + rad, curve, t, px, py;
	int i;

	disc(p, k, cx, cy, rad);
	disc(p, ink, cx - rad * 0.4f, cy - rad * 0.22f, rad * 0.11f);
	disc(p, ink, cx + rad * 0.4f, cy - rad * 0.22f, rad * 0.11f);
	curve = (float) (level - 3) * 0.14f * rad; /* -2 .. 2 steps */
	t = rad * 0.09f;
	px = py = 0;
	for (i = 0; i <= 16; i++) {
		float u = (float) (i - 8) / 8; /* -1 .. 1 */
		float qx = cx + u * rad * 0.45f;
		/* The middle moves by curve, the corners stay: centred. */
		float qy = cy + rad * 0.42f + curve * (0.5f - u * u);
		if (i > 0)
			segment(p, ink, px, py, qx, qy, t);
		disc(p, ink, qx, qy, t / 2);
		px = qx;
		py = qy;
	}
}

static void
draw_icon(struct plat *p, const struct ui_cmd *c)
{
	SDL_Color k = palette[c->color < UI_C_N ? c->color : UI_C_TEXT];
	float s = (float) (c->r.w < c->r.h ? c->r.w : c->r.h);
	float x = (float) c->r.x + ((float) c->r.w - s) / 2;
	float y = (float) c->r.y + ((float) c->r.h - s) / 2;
	float t = s / 8 < 2 ? 2 : s / 8;

	switch (c->aux) {
	case UI_ICON_CHECK:
		segment(p, k, x + s * 0.15f, y + s * 0.55f, x + s * 0.40f,
		    y + s * 0.80f, t);
		segment(p, k, x + s * 0.37f, y + s * 0.80f, x + s * 0.88f,
		    y + s * 0.22f, t);
		break;
	case UI_ICON_BACK:
		segment(p, k, x + s * 0.62f, y + s * 0.18f, x + s * 0.30f,
		    y + s * 0.52f, t);
		segment(p, k, x + s * 0.30f, y + s * 0.48f, x + s * 0.62f,
		    y + s * 0.82f, t);
		break;
	case UI_ICON_CROSS:
		segment(p, k, x + s * 0.2f, y + s * 0.2f, x + s * 0.8f,
		    y + s * 0.8f, t);
		segment(p, k, x + s * 0.8f, y + s * 0.2f, x + s * 0.2f,
		    y + s * 0.8f, t);
		break;
	default:
		if (c->aux >= UI_ICON_FACE_1 && c->aux <= UI_ICON_FACE_5)
			face(p, k, x, y, s, c->aux - UI_ICON_FACE_1 + 1);
		break;
	}
}

static void
draw_text(struct plat *p, const struct ui *ui, const struct ui_cmd *c)
{
	const char *s = ui->text + c->text_off, *nl;
	size_t len = c->text_len, n;
	struct cache_ent *e;
	SDL_Rect src, dst;
	int lines = 1, lh, y, i;

	for (i = 0; (size_t) i < len; i++)
		if (s[i] == '\n' || s[i] == '\r')
			lines++;
	set_size(p, c->font);
	lh = TTF_FontHeight(p->font[0]);
	y = c->r.y + (c->r.h - lh * lines) / 2;
	while (len > 0 || lines > 0) {
		nl = line_end(s, len);
		n = nl != NULL ? (size_t) (nl - s) : len;
		e = cache_get(p, c->font, c->color, s, n, 1);
		if (e->tex != NULL) {
			src.x = 0;
			src.y = 0;
			src.w = e->w;
			src.h = e->h;
			dst.w = e->w;
			dst.h = e->h;
			dst.y = y;
			if (c->aux == UI_ALIGN_CENTER)
				dst.x = c->r.x + (c->r.w - e->w) / 2;
			else if (c->aux == UI_ALIGN_RIGHT)
				dst.x = c->r.x + c->r.w - e->w;
			else
				dst.x = c->r.x;
			/* Too wide: keep the start, cut at the right. */
			if (dst.w > c->r.w) {
				dst.x = c->r.x;
				dst.w = src.w = c->r.w;
			}
			if (dst.w > 0)
				SDL_RenderCopy(p->ren, e->tex, &src, &dst);
		}
		y += lh;
		lines--;
		if (nl == NULL)
			break;
		s += n + 1;
		len -= n + 1;
	}
}

/* Writes where each text is ($GUANAI_TEXT_DUMP, see platform.h): into a
 * temporary file renamed over the old one, so a reader never sees half. */
static void
text_dump(const struct ui *ui)
{
	const char *path = getenv("GUANAI_TEXT_DUMP");
	char tmp[600];
	size_t i;
	FILE *f;

	if (path == NULL || *path == '\0')
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return;
	for (i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		if (c->kind != UI_CMD_TEXT)
			continue;
		const char *t = ui->text + c->text_off;
		size_t j;
		fprintf(f, "%d %d %d %d ", c->r.x, c->r.y, c->r.w, c->r.h);
		/* One line per text: a wrap the toolkit made is dropped,
		 * a line break of the text is a space. */
		for (j = 0; j < c->text_len; j++)
			if (t[j] != '\r')
				fputc(t[j] == '\n' ? ' ' : t[j], f);
		fputc('\n', f);
	}
	if (fclose(f) == 0)
		rename(tmp, path);
}

/* A rectangle outline t pixels thick. */
static void
draw_frame(struct plat *p, SDL_Rect r, int t)
{
	SDL_Rect e[4];

	e[0] = r;
	e[0].h = t;
	e[1] = e[0];
	e[1].y = r.y + r.h - t;
	e[2] = r;
	e[2].w = t;
	e[3] = e[2];
	e[3].x = r.x + r.w - t;
	SDL_RenderFillRects(p->ren, e, 4);
}

void
plat_render(struct plat *p, const struct ui *ui)
{
	const struct ui_cmd *c;
	SDL_Rect r;
	size_t i;

	p->last_ui = ui;
	set_color(p, UI_C_BG);
	SDL_RenderSetClipRect(p->ren, NULL);
	SDL_RenderClear(p->ren);
	for (i = 0; i < ui->ncmd; i++) {
		c = &ui->cmd[i];
		r.x = c->r.x;
		r.y = c->r.y;
		r.w = c->r.w;
		r.h = c->r.h;
		switch (c->kind) {
		case UI_CMD_RECT:
			set_color(p, c->color);
			SDL_RenderFillRect(p->ren, &r);
			break;
		case UI_CMD_FRAME:
			set_color(p, c->color);
			draw_frame(p, r, c->aux);
			break;
		case UI_CMD_TEXT:
			draw_text(p, ui, c);
			break;
		case UI_CMD_ICON:
			draw_icon(p, c);
			break;
		case UI_CMD_CLIP:
			SDL_RenderSetClipRect(p->ren, r.w > 0 ? &r : NULL);
			break;
		default:
			break;
		}
	}
	SDL_RenderPresent(p->ren);
	if (p->drm != NULL &&
	    drm_present(p->drm, p->surf->pixels, (size_t) p->surf->pitch) !=
	        0 &&
	    !p->rendered)
		fprintf(stderr, "guanai-kiosk: display: %s\n", strerror(errno));
	/* The service log, and the image's boot test on the serial
	 * console, wait for this line; stderr is unbuffered. */
	if (!p->rendered && !p->headless)
		fprintf(stderr, "guanai-kiosk: ready (%s, %dx%d)\n",
		    p->drm != NULL ? "drm" : SDL_GetCurrentVideoDriver(), p->w,
		    p->h);
	/* The sound is probed once the first frame is up: ALSA's probe
	 * is seconds on a slow terminal, and nobody hears a frame. */
	if (!p->rendered)
		open_audio(p);
	p->rendered = 1;
	text_dump(ui);
}

int
plat_screenshot(struct plat *p, const char *path)
{
	uint8_t *px = NULL;
	int rc;

	px = malloc((size_t) p->w * (size_t) p->h * 3);
	if (px == NULL)
		return GU_ENOMEM;
	/* Headless the surface holds the frame; windowed, read back the
	 * renderer (after present the back buffer may be undefined on
	 * some drivers, but the software and X11 ones keep it). */
	if (SDL_RenderReadPixels(
	        p->ren, NULL, SDL_PIXELFORMAT_RGB24, px, p->w * 3) != 0) {
		free(px);
		return GU_EIO;
	}
	rc = png_write(path, px, p->w, p->h, (size_t) p->w * 3);
	free(px);
	return rc;
}

/* ---- open and close ---- */

/* display = drm, or auto on a console: no window system to ask. */
static int
use_drm(const struct settings *cfg)
{
	if (strcmp(cfg->display, "drm") == 0)
		return 1;
	if (strcmp(cfg->display, "sdl") == 0)
		return 0;
	return getenv("DISPLAY") == NULL && getenv("WAYLAND_DISPLAY") == NULL &&
	    getenv("SDL_VIDEODRIVER") == NULL && access("/dev/dri", F_OK) == 0;
}

/* Opens the DRM display and its input; *w, *h become the mode's. */
static int
open_drm(struct plat *p, int *w, int *h, char *err, size_t len)
{
	char why[256];
	int mm_w, mm_h, n, touch, refused;

	if (drm_open(&p->drm, NULL, why, sizeof(why)) != 0) {
		snprintf(err, len, "cannot open the display: %s", why);
		return -1;
	}
	if (evin_open(&p->in, why, sizeof(why)) != 0) {
		snprintf(err, len, "%s", why);
		return -1;
	}
	drm_size(p->drm, w, h, &mm_w, &mm_h);
	/* Let libinput see the devices already there. */
	p->has_held = evin_next(p->in, &p->held);
	evin_count(p->in, &n, &touch, &refused);
	fprintf(stderr,
	    "guanai-kiosk: display %s (%d x %d mm); input: %d devices, %d "
	    "touch%s\n",
	    drm_describe(p->drm), mm_w, mm_h, n, touch,
	    refused > 0 ? "; some refused this user: add it to the 'input' "
	                  "group, or touches will not work"
	                : "");
	return 0;
}

/* The config's renderer choice (settings.h), as SDL hints, before the
 * window exists. */
static void
choose_renderer(const struct settings *cfg)
{
	const char *drv = SDL_GetCurrentVideoDriver();
	int soft;

	if (strcmp(cfg->renderer, "software") == 0)
		soft = 1;
	else if (strcmp(cfg->renderer, "accelerated") == 0)
		soft = 0;
	else
		soft = drv == NULL || strcmp(drv, "KMSDRM") != 0;
	if (!soft)
		return;
	/* Paint in memory and hand the window system a plain image: no
	 * GL library is loaded for a texture framebuffer. */
	SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
}

int
plat_open(struct plat **out, const struct settings *cfg,
    const struct plat_opts *o, char *err, size_t len)
{
	struct plat *p = NULL;
	Uint32 flags;
	int rc = GU_EIO, w, h;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return GU_ENOMEM;
	p->cfg = cfg;
	p->headless = o->headless;
	p->exit_after_first_frame = o->exit_after_first_frame;
	p->cache = calloc(CACHE_N, sizeof(*p->cache));
	p->log_input = -1;
	if (p->cache == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	if (o->clock_ms != 0)
		p->clock_off_ms = o->clock_ms - wall_ms();

	/* Touches must not make mouse events and the mouse no touches;
	 * translate() also drops SDL_TOUCH_MOUSEID in case. */
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
	SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
	SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");

	w = o->w > 0 ? o->w : cfg->window_w;
	h = o->h > 0 ? o->h : cfg->window_h;
	watchdog_grace(p);
	if (o->headless || use_drm(cfg)) {
		if (SDL_Init(SDL_INIT_EVENTS) != 0) {
			snprintf(err, len, "SDL_Init: %s", SDL_GetError());
			goto out;
		}
		if (!o->headless && open_drm(p, &w, &h, err, len) != 0)
			goto out;
		/* The frame is painted in memory: XRGB8888, what a
		 * dumb buffer scans out. */
		p->surf = SDL_CreateRGBSurfaceWithFormat(
		    0, w, h, 32, SDL_PIXELFORMAT_RGB888);
		if (p->surf != NULL)
			p->ren = SDL_CreateSoftwareRenderer(p->surf);
		if (p->ren == NULL) {
			snprintf(
			    err, len, "software renderer: %s", SDL_GetError());
			goto out;
		}
		p->w = w;
		p->h = h;
	} else {
		if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
			snprintf(err, len,
			    "cannot open the display (%s); is DISPLAY set, or "
			    "does this user own the console for KMSDRM?",
			    SDL_GetError());
			goto out;
		}
		choose_renderer(cfg);
		flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
		if (o->fullscreen)
			flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
		p->win =
		    SDL_CreateWindow("guanai-kiosk", SDL_WINDOWPOS_CENTERED,
		        SDL_WINDOWPOS_CENTERED, w, h, flags);
		if (p->win == NULL) {
			snprintf(err, len, "cannot make a window: %s",
			    SDL_GetError());
			goto out;
		}
		p->ren = SDL_CreateRenderer(p->win, -1, 0);
		if (p->ren == NULL) {
			snprintf(err, len, "no renderer: %s", SDL_GetError());
			goto out;
		}
		SDL_GetRendererOutputSize(p->ren, &p->w, &p->h);
		/* No pointer on a touch terminal: KMSDRM would draw one
		 * for any mouse-like device (a USB tablet, a HID panel). */
		if (o->fullscreen ||
		    (SDL_GetCurrentVideoDriver() != NULL &&
		        strcmp(SDL_GetCurrentVideoDriver(), "KMSDRM") == 0))
			SDL_ShowCursor(SDL_DISABLE);
		check_input_devices();
	}
	if (TTF_Init() != 0) {
		snprintf(err, len, "TTF_Init: %s", TTF_GetError());
		goto out;
	}
	rc = open_fonts(p, err, len);
	if (rc != GU_OK)
		goto out;
	rc = GU_EIO;
	set_metrics(p, NULL);
	/* make run (tools/run-demo.sh) sets GUANAI_DEV=1: a key to quit a
	 * fullscreen window, said at start.  Never on the appliance. */
	if (!o->headless && getenv("GUANAI_DEV") != NULL &&
	    strcmp(getenv("GUANAI_DEV"), "1") == 0) {
		p->dev_quit = 1;
		fprintf(stderr,
		    "guanai-kiosk: development run: press "
		    "Ctrl+Alt+Q to quit\n");
	}
	watchdog_init(p);

	if (o->script != NULL) {
		rc = script_load(&p->script, o->script, err, len);
		if (rc != GU_OK)
			goto out;
		p->scripted = 1;
		p->vclock = o->clock_ms != 0 ? o->clock_ms : wall_ms();
		p->st = p->vclock;
		snprintf(p->shot_dir, sizeof(p->shot_dir), "%s",
		    o->shot_dir != NULL ? o->shot_dir : ".");
	}
	*out = p;
	p = NULL;
	rc = GU_OK;
out:
	plat_close(p);
	return rc;
}

void
plat_close(struct plat *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (p->cache != NULL)
		for (i = 0; i < CACHE_N; i++)
			if (p->cache[i].tex != NULL)
				SDL_DestroyTexture(p->cache[i].tex);
	free(p->cache);
	script_free(&p->script);
	if (p->audio != 0)
		SDL_CloseAudioDevice(p->audio);
	if (p->wav != NULL)
		SDL_FreeWAV(p->wav);
	if (p->font[0] != NULL)
		TTF_CloseFont(p->font[0]);
	if (p->font[1] != NULL)
		TTF_CloseFont(p->font[1]);
	if (TTF_WasInit())
		TTF_Quit();
	if (p->ren != NULL)
		SDL_DestroyRenderer(p->ren);
	if (p->surf != NULL)
		SDL_FreeSurface(p->surf);
	if (p->win != NULL)
		SDL_DestroyWindow(p->win);
	evin_close(p->in);
	drm_close(p->drm);
	SDL_Quit();
	free(p);
}
