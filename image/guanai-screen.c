/*
 * guanai-screen: the appliance's own full-screen message program, and the
 * stand-in kiosk while build/guanai-kiosk does not exist.
 *
 * It owns one thing: putting a few lines of text on the screen the way the
 * kiosk does on the appliance (SDL's software renderer in memory, shown
 * through the kernel's mode setting: app/platform/kms.c; input through
 * libinput: app/platform/evin.c), so the image's boot path (DRM master,
 * input as an unprivileged user, the systemd watchdog, the ready line on
 * the console) can be tested without the kiosk.
 *
 *   guanai-screen --message FILE [--font FONT]
 *	shows FILE's lines (the provisioning error screen) until killed.
 *   guanai-screen [--data DIR] [--config FILE] [--font FONT]
 *	the stand-in kiosk: prints "guanai-kiosk: ready" once the first frame
 *	is shown, and "guanai-screen: tap X Y" for every tap.
 *
 * Failure: every error is one line on stderr and exit status 1.
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "evin.h"
#include "kms.h"

#define SCREEN_MAX_LINES 16
#define SCREEN_LINE_MAX 256

struct screen {
	char lines[SCREEN_MAX_LINES][SCREEN_LINE_MAX];
	int n_lines;
	int taps;
};

/* Sends one datagram to $NOTIFY_SOCKET; does nothing when it is unset. */
static void
screen_notify(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	size_t len;
	int fd;

	if (path == NULL || path[0] == '\0')
		return;
	len = strlen(path);
	if (len >= sizeof(sa.sun_path))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	(void) sendto(fd, msg, strlen(msg), 0, (struct sockaddr *) &sa,
	    (socklen_t) (offsetof(struct sockaddr_un, sun_path) + len));
	close(fd);
}

/* Reads FILE into s->lines; on error returns -1 and s holds one line. */
static int
screen_load(struct screen *s, const char *file)
{
	FILE *f = fopen(file, "r");
	char buf[SCREEN_LINE_MAX];

	s->n_lines = 0;
	if (f == NULL) {
		snprintf(s->lines[0], SCREEN_LINE_MAX, "%s: %s", file,
		    strerror(errno));
		s->n_lines = 1;
		return -1;
	}
	while (s->n_lines < SCREEN_MAX_LINES && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(s->lines[s->n_lines], SCREEN_LINE_MAX, "%s", buf);
		s->n_lines++;
	}
	fclose(f);
	return 0;
}

static void
screen_draw(
    SDL_Renderer *r, TTF_Font *font, const struct screen *s, int message)
{
	SDL_Color fg = {255, 255, 255, 255};
	int w, h, i, y;

	SDL_GetRendererOutputSize(r, &w, &h);
	if (message)
		SDL_SetRenderDrawColor(r, 150, 30, 30, 255);
	else if (s->taps % 2)
		SDL_SetRenderDrawColor(r, 30, 120, 60, 255);
	else
		SDL_SetRenderDrawColor(r, 20, 60, 140, 255);
	SDL_RenderClear(r);
	/* A white frame, so a screenshot shows the whole mode was scanned out. */
	SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
	for (i = 0; i < 8; i++) {
		SDL_Rect fr = {i, i, w - 2 * i, h - 2 * i};
		SDL_RenderDrawRect(r, &fr);
	}
	if (font == NULL)
		return;
	y = h / 8;
	for (i = 0; i < s->n_lines; i++) {
		SDL_Surface *su;
		SDL_Texture *t;
		SDL_Rect dst;

		if (s->lines[i][0] == '\0') {
			y += TTF_FontLineSkip(font) / 2;
			continue;
		}
		su = TTF_RenderUTF8_Blended_Wrapped(
		    font, s->lines[i], fg, (Uint32) (w - w / 8));
		if (su == NULL)
			continue;
		t = SDL_CreateTextureFromSurface(r, su);
		dst.x = w / 16;
		dst.y = y;
		dst.w = su->w;
		dst.h = su->h;
		y += su->h;
		SDL_FreeSurface(su);
		if (t == NULL)
			continue;
		SDL_RenderCopy(r, t, NULL, &dst);
		SDL_DestroyTexture(t);
	}
}

/* The stand-in kiosk counts taps: a button or a finger let go. */
static int
screen_tap(struct evin *in, int w, int h, int *x, int *y)
{
	static double px, py;
	struct evin_event e;

	while (evin_next(in, &e)) {
		if (e.kind == EVIN_POINTER_ABS || e.kind == EVIN_TOUCH_DOWN ||
		    e.kind == EVIN_TOUCH_MOTION) {
			px = e.x;
			py = e.y;
		}
		if ((e.kind == EVIN_BUTTON && !e.down) ||
		    e.kind == EVIN_TOUCH_UP) {
			*x = (int) (px * w);
			*y = (int) (py * h);
			return 1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct screen s;
	const char *message = NULL, *font_path = NULL;
	struct drm_out *kms = NULL;
	struct evin *in = NULL;
	SDL_Surface *surf = NULL;
	SDL_Renderer *ren = NULL;
	TTF_Font *font = NULL;
	Uint32 last_ping = 0;
	char why[256];
	int rc = 1, i, running = 1, dirty = 1, ready = 0, w, h, mm_w, mm_h;
	int n, touch, refused, x, y;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--message") == 0 && i + 1 < argc)
			message = argv[++i];
		else if (strcmp(argv[i], "--font") == 0 && i + 1 < argc)
			font_path = argv[++i];
		else if ((strcmp(argv[i], "--data") == 0 ||
		             strcmp(argv[i], "--config") == 0) &&
		    i + 1 < argc)
			i++;
		else {
			fprintf(stderr,
			    "usage: guanai-screen [--message FILE] "
			    "[--font FONT] [--data DIR] "
			    "[--config FILE]\n");
			return 2;
		}
	}
	if (message != NULL) {
		(void) screen_load(&s, message);
	} else {
		snprintf(s.lines[0], SCREEN_LINE_MAX, "Guanai 关爱");
		snprintf(s.lines[1], SCREEN_LINE_MAX,
		    "placeholder kiosk (image/guanai-screen.c)");
		s.n_lines = 2;
	}
	if (SDL_Init(SDL_INIT_EVENTS) != 0) {
		fprintf(
		    stderr, "guanai-screen: SDL_Init: %s\n", SDL_GetError());
		goto out;
	}
	if (drm_open(&kms, NULL, why, sizeof(why)) != 0 ||
	    evin_open(&in, why, sizeof(why)) != 0) {
		fprintf(stderr, "guanai-screen: %s\n", why);
		goto out;
	}
	drm_size(kms, &w, &h, &mm_w, &mm_h);
	surf =
	    SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
	if (surf != NULL)
		ren = SDL_CreateSoftwareRenderer(surf);
	if (ren == NULL) {
		fprintf(
		    stderr, "guanai-screen: renderer: %s\n", SDL_GetError());
		goto out;
	}
	(void) screen_tap(in, w, h, &x, &y); /* the devices already there */
	evin_count(in, &n, &touch, &refused);
	fprintf(stderr,
	    "guanai-screen: display %s; input: %d devices, %d touch, %d "
	    "refused\n",
	    drm_describe(kms), n, touch, refused);
	if (font_path != NULL && TTF_Init() == 0) {
		font = TTF_OpenFont(font_path, h / 16 > 12 ? h / 16 : 12);
		if (font == NULL)
			fprintf(stderr, "guanai-screen: font %s: %s\n",
			    font_path, TTF_GetError());
	}
	while (running) {
		struct pollfd pfd = {.fd = evin_fd(in), .events = POLLIN};
		SDL_Event ev;
		Uint32 now = SDL_GetTicks();

		if (now - last_ping >= 5000) {
			screen_notify("WATCHDOG=1");
			last_ping = now;
		}
		if (dirty) {
			screen_draw(ren, font, &s, message != NULL);
			SDL_RenderPresent(ren);
			if (drm_present(
			        kms, surf->pixels, (size_t) surf->pitch) != 0)
				fprintf(stderr, "guanai-screen: display: %s\n",
				    strerror(errno));
			dirty = 0;
			if (!ready) {
				ready = 1;
				if (message != NULL)
					printf("guanai-screen: message shown: "
					       "%s\n",
					    s.lines[0]);
				else
					printf("guanai-kiosk: ready\n");
				fflush(stdout);
				screen_notify("READY=1");
			}
		}
		(void) poll(&pfd, 1, 1000);
		SDL_PumpEvents(); /* SIGTERM becomes SDL_QUIT */
		if (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, SDL_QUIT, SDL_QUIT) ==
		    1)
			running = 0;
		while (screen_tap(in, w, h, &x, &y)) {
			s.taps++;
			dirty = 1;
			printf("guanai-screen: tap %d %d\n", x, y);
			fflush(stdout);
		}
	}
	rc = 0;
out:
	if (font != NULL)
		TTF_CloseFont(font);
	if (ren != NULL)
		SDL_DestroyRenderer(ren);
	if (surf != NULL)
		SDL_FreeSurface(surf);
	evin_close(in);
	drm_close(kms);
	SDL_Quit();
	return rc;
}
