/*
 * cmd_roster.c: `guanai-sync import-roster`, the roster import from the
 * command line.  The work is core/roster.c's; this file owns the
 * arguments, the messages and the exit status.
 *
 *	guanai-sync import-roster [--data DIR] [--reset-pins] [-n]
 *	    CHILDREN.csv STAFF.csv
 *
 * Every problem in the files goes to stderr as "file:line: message" and
 * the exit status is 1 with nothing changed; otherwise it prints what
 * changed and exits 0.  -n only checks the files (no store needed).
 *
 *	guanai-sync import-calendar [--data DIR] [-n] CALENDAR.txt
 *
 * the same for the school calendar (docs/calendar.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"
#include "cmds.h"
#include "roster.h"
#include "status.h"
#include "store.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: guanai-sync import-roster [--data DIR] [--reset-pins] "
	    "[-n] CHILDREN.csv STAFF.csv\n");
}

struct report {
	unsigned n;
};

static void
report(void *arg, const char *file, unsigned line, const char *msg)
{
	struct report *r = arg;

	r->n++;
	if (line == 0)
		fprintf(stderr, "%s: %s\n", file, msg);
	else
		fprintf(stderr, "%s:%u: %s\n", file, line, msg);
}

int
cmd_import_roster(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"reset-pins", no_argument, NULL, 'r'},
	    {"check", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = NULL;
	struct roster_opts opts;
	struct roster_counts cnt;
	struct report rep = {0};
	struct store *s = NULL;
	int ch, check_only = 0, rc, status = 1;

	memset(&opts, 0, sizeof(opts));
	memset(&cnt, 0, sizeof(cnt));
	optind = 0; /* glibc: start afresh, even after another command */
	while ((ch = getopt_long(argc, argv, "d:nh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'r':
			opts.reset_pins = 1;
			break;
		case 'n':
			check_only = 1;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage();
		return 2;
	}
	dir = cli_data_dir(dir);
	if (!check_only) {
		/* Says "no store here (create one with ...)" when missing. */
		s = cli_open("import-roster", dir);
		if (s == NULL)
			goto out;
	}
	rc = roster_import_files(
	    s, argv[optind], argv[optind + 1], &opts, report, &rep, &cnt);
	if (rc == GU_EINVAL) {
		fprintf(stderr,
		    "guanai-sync import-roster: %u problem%s: nothing was "
		    "imported\n",
		    rep.n, rep.n == 1 ? "" : "s");
		goto out;
	}
	if (rc != GU_OK) {
		fprintf(stderr,
		    "guanai-sync import-roster: failed: %s: nothing was "
		    "imported\n",
		    status_str(rc));
		goto out;
	}
	if (check_only) {
		printf("%s and %s: no problems found (nothing imported: -n)\n",
		    argv[optind], argv[optind + 1]);
	} else {
		printf("children: %u added, %u updated, %u marked inactive\n",
		    cnt.children_added, cnt.children_updated,
		    cnt.children_inactive);
		printf("staff: %u added, %u updated, %u marked inactive\n",
		    cnt.staff_added, cnt.staff_updated, cnt.staff_inactive);
		if (opts.reset_pins)
			printf("every staff member's PIN was reset to the "
			       "file's initial PIN\n");
	}
	status = 0;
out:
	store_close(s);
	return status;
}

int
cmd_import_calendar(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"check", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static const char use[] =
	    "usage: guanai-sync import-calendar [--data DIR] [-n] FILE\n";
	const char *dir = NULL;
	struct report rep = {0};
	struct calendar cal;
	struct store *s = NULL;
	int ch, check_only = 0, rc, status = 1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "d:nh", longopts, NULL)) != -1) {
		if (ch == 'd')
			dir = optarg;
		else if (ch == 'n')
			check_only = 1;
		else {
			fputs(use, stderr);
			return ch == 'h' ? 0 : 2;
		}
	}
	if (argc - optind != 1) {
		fputs(use, stderr);
		return 2;
	}
	rc = calendar_parse_file(argv[optind], &cal, report, &rep);
	if (rc != GU_OK) {
		fprintf(stderr,
		    "guanai-sync import-calendar: %u problem%s: nothing was "
		    "imported\n",
		    rep.n, rep.n == 1 ? "" : "s");
		return 1;
	}
	if (check_only) {
		printf("%s: no problems found (nothing imported: -n)\n",
		    argv[optind]);
		return 0;
	}
	s = cli_open("import-calendar", cli_data_dir(dir));
	if (s == NULL)
		return 1;
	rc = store_calendar_put(s, &cal);
	if (rc != GU_OK)
		fprintf(stderr, "guanai-sync import-calendar: failed: %s\n",
		    status_str(rc));
	else {
		printf("calendar: %zu terms and holidays imported\n", cal.n);
		status = 0;
	}
	store_close(s);
	return status;
}
