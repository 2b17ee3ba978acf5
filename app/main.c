/*
 * main.c: guanai-kiosk, the school terminal's touch interface.
 *
 *   guanai-kiosk [--data DIR] [--config FILE] [--window WxH]
 *                [--headless --script FILE [--shots DIR]]
 *                [--clock YYYY-MM-DDTHH:MM] [--first-frame] [-n]
 *
 * Where to start reading: this file parses the options and reads the
 * config (settings.h); kiosk_open() in kiosk.c loads the strings table
 * (strtab.h), opens the store and the platform (platform.h), and
 * kiosk_run() is the event loop.  The screens are app/screens/scr_*.c,
 * one row each of the table in app/screens/screens.h; the toolkit
 * app/ui/ui.c; the record-making app/domain/ (domain.c, care_log.c).
 *
 * -n checks the config and the strings table and exits.  --headless runs
 * on an offscreen surface with the software renderer, replaying a touch
 * script (script.h) with a virtual clock: the tests and `make screenshots`
 * use it.  --first-frame exits after the first frame is on screen and
 * prints how long that took since the process started, and the wall
 * clock then (the benchmark).
 *
 * Exit status: 0 done, 1 failed (store, display, a script expectation),
 * 2 usage or configuration error.
 */
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk.h"
#include "platform.h"
#include "settings.h"
#include "status.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: guanai-kiosk [--data DIR] [--config FILE] [--window WxH]\n"
	    "       [--headless --script FILE [--shots DIR]] "
	    "[--clock YYYY-MM-DDTHH:MM]\n"
	    "       [--first-frame] [-n]\n");
}

/* "2026-03-02T08:30" in local time (the config's tz_min) -> ms. */
static int
parse_clock(const char *s, int tz_min, int64_t *out)
{
	struct tm tm;
	char *end;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M", &tm);
	if (end == NULL || *end != '\0')
		return GU_EINVAL;
	t = timegm(&tm);
	*out = ((int64_t) t - (int64_t) tz_min * 60) * 1000;
	return GU_OK;
}

/* Process start to now, in ms, from /proc/self/stat's start time. */
static double
since_start_ms(void)
{
	char buf[1024], *p;
	unsigned long long start;
	double up = 0;
	FILE *f;
	int i;

	f = fopen("/proc/uptime", "r");
	if (f == NULL || fscanf(f, "%lf", &up) != 1) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	f = fopen("/proc/self/stat", "r");
	if (f == NULL)
		return -1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (p == NULL || (p = strrchr(buf, ')')) == NULL)
		return -1;
	/* Field 22 is starttime; we are after field 2. */
	for (i = 0; i < 20 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	errno = 0;
	start = strtoull(p + 1, NULL, 10);
	if (errno != 0)
		return -1;
	return up * 1000.0 -
	    (double) start * 1000.0 / (double) sysconf(_SC_CLK_TCK);
}

/*
 * A crash leaves its stack in the journal before systemd restarts the
 * kiosk: "guanai-kiosk(+0x1a2b3)" lines that `addr2line -e guanai-kiosk`
 * turns into file:line.  Only async-signal-safe calls; then the signal's
 * default action (the core dump, the restart) as if nothing had caught it.
 */
static void
crashed(int sig)
{
	static const char msg[] = "guanai-kiosk: crashed; stack:\n";
	void *frames[48];
	int n;

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(128 + sig);
	n = backtrace(frames, 48);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
crash_handlers(void)
{
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
	void *dummy[1];

#ifdef __SANITIZE_ADDRESS__
	/* ASan's own handler prints better stacks: leave it in place. */
	if (sigs[0] != 0)
		return;
#endif
	/* backtrace() loads libgcc on first use: not inside the handler. */
	backtrace(dummy, 1);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], crashed);
}

int
main(int argc, char **argv)
{
	const char *data = "var/demo", *cfg_path = NULL, *window = NULL;
	const char *clock_s = NULL;
	struct plat_opts o;
	struct settings cfg;
	struct kiosk *k = NULL;
	char err[600];
	int i, rc, status = 1, check_only = 0;

	crash_handlers();

	memset(&o, 0, sizeof(o));
	settings_defaults(&cfg);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--data") == 0 && v != NULL)
			data = argv[++i];
		else if (strcmp(a, "--config") == 0 && v != NULL)
			cfg_path = argv[++i];
		else if (strcmp(a, "--window") == 0 && v != NULL)
			window = argv[++i];
		else if (strcmp(a, "--script") == 0 && v != NULL)
			o.script = argv[++i];
		else if (strcmp(a, "--shots") == 0 && v != NULL)
			o.shot_dir = argv[++i];
		else if (strcmp(a, "--clock") == 0 && v != NULL)
			clock_s = argv[++i];
		else if (strcmp(a, "--headless") == 0)
			o.headless = 1;
		else if (strcmp(a, "--first-frame") == 0)
			o.exit_after_first_frame = 1;
		else if (strcmp(a, "-n") == 0)
			check_only = 1;
		else {
			usage();
			return 2;
		}
	}
	if (cfg_path != NULL &&
	    settings_load(&cfg, cfg_path, err, sizeof(err)) != GU_OK) {
		fprintf(stderr, "guanai-kiosk: %s\n", err);
		return 2;
	}
	if (window != NULL) {
		if (settings_parse_size(window, &o.w, &o.h) != GU_OK) {
			fprintf(
			    stderr, "guanai-kiosk: bad --window %s\n", window);
			return 2;
		}
		cfg.fullscreen = 0;
	}
	o.fullscreen = cfg.fullscreen && !o.headless;
	if (clock_s != NULL &&
	    parse_clock(clock_s, cfg.tz_min, &o.clock_ms) != GU_OK) {
		fprintf(stderr, "guanai-kiosk: bad --clock %s\n", clock_s);
		return 2;
	}
	/* A script in a window is replayed there too: bench/kiosk.sh opens
	 * a screen so (ending the script with "live") and times it. */

	if (check_only) {
		if (kiosk_check(&cfg, err, sizeof(err)) != GU_OK) {
			fprintf(stderr, "guanai-kiosk: %s\n", err);
			return 2;
		}
		printf("guanai-kiosk: config and %s/strings.%s.txt are good\n",
		    cfg.assets_dir, cfg.lang);
		return 0;
	}
	k = calloc(1, sizeof(*k));
	if (k == NULL) {
		fprintf(stderr, "guanai-kiosk: out of memory\n");
		goto out;
	}
	rc = kiosk_open(k, &cfg, data, &o, err, sizeof(err));
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-kiosk: %s\n", err);
		/* A bad strings table is a configuration error. */
		status = rc == GU_EINVAL ? 2 : 1;
		goto out;
	}
	rc = kiosk_run(k);
	if (o.exit_after_first_frame) {
		/* Resolution of the first: the kernel's clock tick; the
		 * second lets a caller measure from before its exec. */
		printf("first_frame_ms %.1f\nfirst_frame_unix_ns %lld\n",
		    since_start_ms(), (long long) clock_wall_ns());
	}
	status = rc == GU_OK ? 0 : 1;
out:
	kiosk_close(k);
	free(k);
	return status;
}
