/*
 * demo_main.c: guanai-demo --data DIR [--children N] [--records N]
 * [--seed S] [--today YYYY-MM-DD]: creates a synthetic demo school in DIR
 * (see demo.h).  The demo PINs are printed at the end.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "demo.h"
#include "status.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: guanai-demo --data DIR [--children N] "
	    "[--records N] [--seed S] [--today YYYY-MM-DD] [--school ID]\n");
}

/* Milliseconds at 00:00 UTC of a YYYY-MM-DD date, or -1. */
static int64_t
parse_day(const char *s)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == 0 || *end != '\0')
		return -1;
	return (int64_t) timegm(&tm) * 1000;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"data", required_argument, 0, 'd'},
	    {"children", required_argument, 0, 'c'},
	    {"records", required_argument, 0, 'r'},
	    {"seed", required_argument, 0, 's'},
	    {"today", required_argument, 0, 't'},
	    {"fast-pins", no_argument, 0, 'f'},
	    {"school", required_argument, 0, 'S'},
	    {0, 0, 0, 0},
	};
	struct demo_opts o;
	const char *dir = 0;
	unsigned long long v;
	int c, rc;

	memset(&o, 0, sizeof(o));
	o.children = 600;
	o.seed = 1;
	o.today_ms = (int64_t) time(0) * 1000;
	o.school_name = "云溪区青山小学";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", lo, 0)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'c':
			if (!cli_u64(optarg, &v) || v < 1 || v > 20000) {
				fprintf(stderr,
				    "guanai-demo: --children: 1 to "
				    "20000\n");
				return 2;
			}
			o.children = (unsigned) v;
			break;
		case 'r':
			if (!cli_u64(optarg, &v)) {
				fprintf(stderr,
				    "guanai-demo: --records: not a "
				    "number\n");
				return 2;
			}
			o.records = v;
			break;
		case 's':
			if (!cli_u64(optarg, &v)) {
				fprintf(stderr,
				    "guanai-demo: --seed: not a "
				    "number\n");
				return 2;
			}
			o.seed = v;
			break;
		case 't':
			o.today_ms = parse_day(optarg);
			if (o.today_ms < 0) {
				fprintf(stderr,
				    "guanai-demo: --today: "
				    "YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'S':
			/* A district of demo schools (issue 15). */
			if (!rec_id_ok(optarg)) {
				fprintf(stderr,
				    "guanai-demo: --school: not an "
				    "id\n");
				return 2;
			}
			o.school_id = optarg;
			break;
		case 'f':
			/* Tests: cheap PIN hashes (still argon2id). */
			o.opslimit = 1;
			o.memlimit = 8192;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (dir == 0 || optind != argc) {
		usage();
		return 2;
	}
	rc = demo_create(dir, &o, stderr);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-demo: failed: %s\n", status_str(rc));
		return 1;
	}
	printf("demo school in %s: headteacher T0001 PIN %s, other staff PIN "
	       "%s\n",
	    dir, DEMO_PIN_HEAD, DEMO_PIN_STAFF);
	return 0;
}
