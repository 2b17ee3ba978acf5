/*
 * guanai-screen: the appliance's own full-screen message program, and the
 * stand-in kiosk while build/guanai-kiosk does not exist.
 *
 * It owns one thing: putting a few lines of text on the screen through SDL's
 * KMSDRM driver, the same way the kiosk does, so the image's boot path (DRM
 * master, GBM/EGL on Mesa, evdev input as an unprivileged user, the systemd
 * watchdog, the ready line on the console) can be tested without the kiosk.
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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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

/* Counts the input event devices this user can open, as the kiosk must. */
static void
screen_check_input(void)
{
	DIR *d = opendir("/dev/input");
	struct dirent *e;
	char path[300];
	int n = 0, ok = 0, fd;

	if (d == NULL) {
		fprintf(stderr, "guanai-screen: no /dev/input\n");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "event", 5) != 0)
			continue;
		n++;
		snprintf(path, sizeof(path), "/dev/input/%s", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			ok++;
			close(fd);
		}
	}
	closedir(d);
	fprintf(
	    stderr, "guanai-screen: input devices readable: %d of %d\n", ok, n);
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

int
main(int argc, char **argv)
{
	static struct screen s;
	const char *message = NULL, *font_path = NULL;
	SDL_Window *win = NULL;
	SDL_Renderer *ren = NULL;
	SDL_RendererInfo info;
	TTF_Font *font = NULL;
	Uint32 last_ping = 0;
	int rc = 1, i, running = 1, dirty = 1, ready = 0, w, h;

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
	screen_check_input();
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		fprintf(
		    stderr, "guanai-screen: SDL_Init: %s\n", SDL_GetError());
		goto out;
	}
	win = SDL_CreateWindow(
	    "guanai", 0, 0, 0, 0, SDL_WINDOW_FULLSCREEN_DESKTOP);
	if (win == NULL) {
		fprintf(stderr, "guanai-screen: window: %s\n", SDL_GetError());
		goto out;
	}
	ren = SDL_CreateRenderer(win, -1, 0);
	if (ren == NULL) {
		fprintf(
		    stderr, "guanai-screen: renderer: %s\n", SDL_GetError());
		goto out;
	}
	SDL_ShowCursor(SDL_DISABLE);
	SDL_GetRendererInfo(ren, &info);
	SDL_GetRendererOutputSize(ren, &w, &h);
	fprintf(stderr, "guanai-screen: video %s, renderer %s, %dx%d\n",
	    SDL_GetCurrentVideoDriver(), info.name, w, h);
	if (font_path != NULL && TTF_Init() == 0) {
		font = TTF_OpenFont(font_path, h / 16 > 12 ? h / 16 : 12);
		if (font == NULL)
			fprintf(stderr, "guanai-screen: font %s: %s\n",
			    font_path, TTF_GetError());
	}
	while (running) {
		SDL_Event ev;
		Uint32 now = SDL_GetTicks();

		if (now - last_ping >= 5000) {
			screen_notify("WATCHDOG=1");
			last_ping = now;
		}
		if (dirty) {
			screen_draw(ren, font, &s, message != NULL);
			SDL_RenderPresent(ren);
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
		if (!SDL_WaitEventTimeout(&ev, 1000))
			continue;
		switch (ev.type) {
		case SDL_QUIT:
			running = 0;
			break;
		case SDL_MOUSEBUTTONUP:
			s.taps++;
			dirty = 1;
			printf("guanai-screen: tap %d %d\n", ev.button.x,
			    ev.button.y);
			fflush(stdout);
			break;
		case SDL_WINDOWEVENT:
			dirty = 1;
			break;
		default:
			break;
		}
	}
	rc = 0;
out:
	if (font != NULL)
		TTF_CloseFont(font);
	if (ren != NULL)
		SDL_DestroyRenderer(ren);
	if (win != NULL)
		SDL_DestroyWindow(win);
	SDL_Quit();
	return rc;
}
