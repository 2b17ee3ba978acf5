/*
 * cmd_dump.c: the inspection tools: `init` (create a store), `dump` (every
 * record as one JSON line, the form of core/json.h; with --plain without
 * child_name and voided_by: the lines exactly as batches carry them),
 * `stats` (counts per kind, roster size, store size and map use) and
 * `check` (the store's invariants).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "cli.h"
#include "cmds.h"
#include "json.h"
#include "sign.h"
#include "status.h"

enum {
	OPT_DATA = 1,
	OPT_SINCE,
	OPT_SCHOOL_ID,
	OPT_SCHOOL_NAME,
	OPT_DEVICE,
	OPT_PLAIN
};

static const struct option long_opts[] = {
    {"data", required_argument, 0, OPT_DATA},
    {"since", required_argument, 0, OPT_SINCE},
    {"school-id", required_argument, 0, OPT_SCHOOL_ID},
    {"school-name", required_argument, 0, OPT_SCHOOL_NAME},
    {"device", required_argument, 0, OPT_DEVICE},
    {"plain", no_argument, 0, OPT_PLAIN},
    {0, 0, 0, 0},
};

struct opts {
	const char *data, *school_id, *school_name, *device;
	unsigned long long since;
	int plain; /* dump: the lines as batches carry them, no extras */
};

/* Parses the options of cmd; prints the problem and returns 0 on error. */
static int
parse(const char *cmd, int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", long_opts, 0)) != -1) {
		switch (c) {
		case OPT_DATA:
			o->data = optarg;
			break;
		case OPT_SINCE:
			if (!cli_u64(optarg, &o->since)) {
				fprintf(stderr,
				    "guanai-sync %s: --since: '%s' is not a "
				    "number\n",
				    cmd, optarg);
				return 0;
			}
			break;
		case OPT_SCHOOL_ID:
			o->school_id = optarg;
			break;
		case OPT_SCHOOL_NAME:
			o->school_name = optarg;
			break;
		case OPT_DEVICE:
			o->device = optarg;
			break;
		case OPT_PLAIN:
			o->plain = 1;
			break;
		default:
			fprintf(stderr, "guanai-sync %s: unknown option '%s'\n",
			    cmd, argv[optind - 1]);
			return 0;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "guanai-sync %s: unexpected argument '%s'\n",
		    cmd, argv[optind]);
		return 0;
	}
	o->data = cli_data_dir(o->data);
	return 1;
}

int
cmd_init(int argc, char **argv)
{
	struct sign_key key;
	struct opts o;
	char why[300];
	int rc;

	if (!parse("init", argc, argv, &o))
		return 2;
	if (!o.school_id || !o.school_name || !o.device) {
		fprintf(stderr,
		    "guanai-sync init: --school-id, --school-name "
		    "and --device are required\n");
		return 2;
	}
	rc = store_create(o.data, o.school_id, o.school_name, o.device, 0);
	if (rc == GU_EINVAL) {
		fprintf(stderr,
		    "guanai-sync init: ids are 1-32 of A-Z a-z 0-9 . _ - "
		    "and the school name 1-%d bytes\n",
		    STORE_NAME_LEN - 1);
		return 2;
	}
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync init: %s: %s\n", o.data,
		    rc == GU_EEXIST ? "a store is already there"
		                    : status_str(rc));
		return 1;
	}
	/* The batch-signing key, beside the store (sync/sign.h). */
	rc = sign_key_open(o.data, 1, &key, NULL, why, sizeof(why));
	sign_key_close(&key);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync init: device key: %s\n", why);
		return 1;
	}
	printf("created store for %s (%s), device %s in %s\n", o.school_name,
	    o.school_id, o.device, o.data);
	return 0;
}

struct dump_arg {
	struct store *s;
	struct buf b;
	int plain;
	int rc;
};

static int
dump_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct dump_arg *a = arg;
	struct child ch;
	struct json_extra x = {0, voided_by};

	if (!a->plain && rec_child(r) &&
	    store_child_get(a->s, rec_child(r), &ch) == GU_OK)
		x.child_name = ch.name;
	buf_reset(&a->b);
	a->rc = json_record(&a->b, r, a->plain ? NULL : &x);
	if (a->rc != GU_OK)
		return 1;
	if (fwrite(a->b.p, 1, a->b.len, stdout) != a->b.len) {
		a->rc = GU_EIO;
		return 1;
	}
	return 0;
}

int
cmd_dump(int argc, char **argv)
{
	struct dump_arg a;
	struct opts o;
	int rc;

	if (!parse("dump", argc, argv, &o))
		return 2;
	a.s = cli_open_ro("dump", o.data);
	if (a.s == 0)
		return 1;
	a.rc = GU_OK;
	a.plain = o.plain;
	buf_init(&a.b, 64 * 1024);
	rc = store_log_walk(a.s, o.since ? o.since : 1, dump_fn, &a);
	if (rc == 1)
		rc = a.rc;
	buf_fini(&a.b);
	store_close(a.s);
	if (fflush(stdout) != 0)
		rc = GU_EIO;
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync dump: %s\n", status_str(rc));
		return 1;
	}
	return 0;
}

int
cmd_stats(int argc, char **argv)
{
	struct store_info in;
	struct store *s;
	struct opts o;
	uint64_t c[REC_KIND_MAX];
	struct calendar cal;
	int rc, has_cal;

	if (!parse("stats", argc, argv, &o))
		return 2;
	s = cli_open_ro("stats", o.data);
	if (s == 0)
		return 1;
	rc = store_info(s, &in);
	if (rc == GU_OK)
		rc = store_counts(s, 0, 99999999, c);
	has_cal = store_calendar_get(s, &cal) == GU_OK;
	store_close(s);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync stats: %s\n", status_str(rc));
		return 1;
	}
	printf("school      %s (%s)\n", in.school_name, in.school_id);
	printf("device      %s, epoch %016" PRIx64 "\n", in.device, in.epoch);
	printf("records     %" PRIu64 " (last seq), %" PRIu64
	       " not yet uploaded\n",
	    in.last_seq, in.unacked);
	printf("roster      %" PRIu64 " children, %" PRIu64 " staff, %" PRIu64
	       " classes\n",
	    in.n_children, in.n_staff, in.n_classes);
	if (has_cal)
		printf("calendar    %zu terms and holidays\n", cal.n);
	else
		printf("calendar    none (the default is used)\n");
	printf("store       %.1f MiB on disk, %.1f MiB used of a %.1f MiB map "
	       "(ceiling %.0f MiB)\n",
	    in.file_bytes / 1048576.0, in.used_bytes / 1048576.0,
	    in.map_bytes / 1048576.0, in.map_max_bytes / 1048576.0);
	printf("standing records by kind (voided ones not counted):\n");
	for (int k = 1; k < REC_KIND_MAX; k++)
		if (strcmp(rec_kind_name(k), "?") != 0)
			printf("  %-12s %" PRIu64 "\n", rec_kind_name(k), c[k]);
	return 0;
}

int
cmd_check(int argc, char **argv)
{
	struct store *s;
	struct opts o;
	char why[256];
	int rc;

	if (!parse("check", argc, argv, &o))
		return 2;
	s = cli_open_ro("check", o.data);
	if (s == 0)
		return 1;
	rc = store_check(s, why, sizeof(why));
	store_close(s);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync check: %s: %s\n", o.data,
		    why[0] ? why : status_str(rc));
		return 1;
	}
	printf("store is consistent\n");
	return 0;
}
