/*
 * hw-classify: the handwriting recogniser on the command line, through
 * exactly the code the kiosk uses (app/ime/hw.c, all steps).
 *
 *   hw-classify [--raw | --no-strokes | --no-prior | --no-order |
 *               --no-swaps] [--model PATH] [--parts N] [--times FILE] [--memory]
 *               < strokes
 *
 * Input: one character a line; strokes separated by ';', points "x,y"
 * separated by spaces, in a 1024 x 1024 box with y growing downward.
 * Output: for each line, its 10 candidates on one line separated by
 * spaces, best first (an empty line for an empty or bad input line).
 * --raw gives the ink to the model as it is, without normalisation,
 * variants or ranking (the baseline of bench/ime.sh); --no-strokes does
 * the normalisation only, --no-prior the normalisation and the stroke
 * count's check but not the frequency prior, --no-order steps 1-4 (not
 * the second pass in the model's stroke order, nor the reorderings),
 * --no-swaps steps 1-5 (every step but step 6's reorderings): the step
 * figures of docs/ime.md.  --times writes
 * each line's recognition time in microseconds to FILE, one a line,
 * then the time hw_prepare() took to map the model's pages again (the
 * kiosk spends it when the character's first stroke begins).
 * --parts N reads the model in N runs instead of the kiosk's 8 (the
 * candidates are the same; the time and the memory are not).  --memory
 * prints to stderr, in KiB, the process's resident size once the model
 * is open, its peak during the classifications (VmHWM, reset after the
 * load through /proc/self/clear_refs) and its size at the end.
 * A bad line is reported as "stdin:LINE: column N: why" on stderr and
 * the exit status is 1; the other lines are still classified.  Exit 2 on
 * a usage error or when the model cannot be opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcntl.h>
#include <unistd.h>

#include "hw.h"
#include "status.h"

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A "Key:   N kB" line of /proc/self/status, or -1. */
static long
status_kib(const char *key)
{
	char l[256];
	long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	while (f != NULL && fgets(l, sizeof(l), f) != NULL)
		if (strncmp(l, key, n) == 0 && l[n] == ':')
			v = strtol(l + n + 1, NULL, 10);
	if (f != NULL)
		fclose(f);
	return v;
}

/* Resets VmHWM to the present resident size (Linux 4.0 on). */
static void
reset_peak(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "5", 1) != 1)
			fprintf(stderr, "hw-classify: clear_refs refused\n");
		close(fd);
	}
}

int
main(int argc, char **argv)
{
	const char *model = HW_MODEL_DEFAULT, *times_path = NULL;
	int flags = HW_ALL, st = 0, parts = 0, memory = 0;
	FILE *times = NULL;
	static char line[1 << 16];
	static struct hw_ink ink;
	struct hw_cands c;
	long lineno = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--raw") == 0) {
			flags = HW_RAW;
		} else if (strcmp(argv[i], "--no-strokes") == 0) {
			flags = HW_NORMALISE;
		} else if (strcmp(argv[i], "--no-prior") == 0) {
			flags = HW_NORMALISE | HW_STROKES;
		} else if (strcmp(argv[i], "--no-order") == 0) {
			flags = HW_NORMALISE | HW_STROKES | HW_PRIOR;
		} else if (strcmp(argv[i], "--no-swaps") == 0) {
			flags = HW_ALL & ~HW_SWAPS;
		} else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
			model = argv[++i];
		} else if (strcmp(argv[i], "--parts") == 0 && i + 1 < argc) {
			parts = (int) strtol(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--memory") == 0) {
			memory = 1;
		} else if (strcmp(argv[i], "--times") == 0 && i + 1 < argc) {
			times_path = argv[++i];
		} else {
			fprintf(stderr,
			    "usage: hw-classify [--raw | --no-strokes | "
			    "--no-prior | --no-order | --no-swaps] "
			    "[--model PATH] [--parts N] [--times FILE] "
			    "[--memory]\n");
			return 2;
		}
	}
	struct hw *hw = hw_new(model);
	if (hw != NULL && parts != 0 && hw_set_parts(hw, parts) != GU_OK) {
		fprintf(stderr, "hw-classify: --parts: 1..64\n");
		hw_free(hw);
		return 2;
	}
	if (hw == NULL || hw_load(hw) != GU_OK) {
		fprintf(
		    stderr, "hw-classify: cannot open the model %s\n", model);
		hw_free(hw);
		return 2;
	}
	if (times_path != NULL && (times = fopen(times_path, "w")) == NULL) {
		perror(times_path);
		hw_free(hw);
		return 2;
	}
	long rss_open = status_kib("VmRSS");
	reset_peak();
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char err[128];
		size_t len = strlen(line);

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			fprintf(stderr,
			    "stdin:%ld: line longer than %zu "
			    "bytes\n",
			    lineno, sizeof(line) - 2);
			st = 1;
			int ch;
			while ((ch = getchar()) != EOF && ch != '\n')
				;
			putchar('\n');
			continue;
		}
		if (hw_ink_parse(&ink, line, len, err, sizeof(err)) != GU_OK) {
			fprintf(stderr, "stdin:%ld: %s\n", lineno, err);
			st = 1;
			putchar('\n');
			continue;
		}
		/* As the kiosk does for each character: the model's pages are
		 * mapped when its first stroke begins (hw_prepare), the
		 * candidates come at the stroke's end (the time measured),
		 * and the pages leave when it is committed (hw_rest). */
		long long tp = now_us();
		hw_prepare(hw);
		long long t0 = now_us();
		int rc = hw_classify(hw, &ink, flags, NULL, 0, &c);
		long long t1 = now_us();
		hw_rest(hw);
		if (rc != GU_OK) {
			fprintf(
			    stderr, "stdin:%ld: %s\n", lineno, status_str(rc));
			st = 1;
			c.n = 0;
		}
		for (int i = 0; i < c.n; i++)
			printf("%s%s", i ? " " : "", c.text[i]);
		putchar('\n');
		if (times != NULL && ink.npoint > 0)
			fprintf(times, "%lld %lld\n", t1 - t0, t0 - tp);
	}
	if (memory)
		fprintf(stderr,
		    "rss_kib open %ld peak_classifying %ld end %ld\n", rss_open,
		    status_kib("VmHWM"), status_kib("VmRSS"));
	if (times != NULL)
		fclose(times);
	hw_free(hw);
	return st;
}
