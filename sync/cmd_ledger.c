/*
 * cmd_ledger.c: `guanai-sync ledger` (the school's ledgers as .xlsx, see
 * ledger.h and docs/ledgers.md) and `guanai-sync file` (one child's file,
 * 一人一档, as PDF, see pdf.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "care_rules.h"
#include "childfile.h"
#include "cli.h"
#include "clock.h"
#include "cmds.h"
#include "ledger.h"
#include "status.h"

enum {
	OPT_DATA = 1,
	OPT_FROM,
	OPT_TO,
	OPT_MONTH,
	OPT_TERM,
	OPT_HALF,
	OPT_TEMPLATE,
	OPT_MADE,
	OPT_MENTOR,
	OPT_BY,
	OPT_FONTS,
	OPT_VIA,
	OPT_PROGRESS,
	OPT_CONTACT_DAYS,
	OPT_TERM_START
};

static const struct option long_opts[] = {
    {"data", required_argument, 0, OPT_DATA},
    {"from", required_argument, 0, OPT_FROM},
    {"to", required_argument, 0, OPT_TO},
    {"month", required_argument, 0, OPT_MONTH},
    {"term", required_argument, 0, OPT_TERM},
    {"half", required_argument, 0, OPT_HALF},
    {"template", required_argument, 0, OPT_TEMPLATE},
    {"made", required_argument, 0, OPT_MADE},
    {"mentor", required_argument, 0, OPT_MENTOR},
    {"by", required_argument, 0, OPT_BY},
    {"fonts", required_argument, 0, OPT_FONTS},
    {"via", required_argument, 0, OPT_VIA},
    {"progress", no_argument, 0, OPT_PROGRESS},
    {"contact-days", required_argument, 0, OPT_CONTACT_DAYS},
    {"term-start", required_argument, 0, OPT_TERM_START},
    {0, 0, 0, 0},
};

struct lopts {
	const char *data, *from, *to, *month, *term, *half, *tmpl, *made;
	const char *mentor, *by, *fonts, *via, *term_start;
	int contact_days; /* the overdue list's rules: the kiosk's settings */
	int progress;     /* print "progress DONE TOTAL" lines on stdout */
	int nargs;
	char **args;
};

static int
parse(const char *cmd, int argc, char **argv, struct lopts *o)
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
		case OPT_FROM:
			o->from = optarg;
			break;
		case OPT_TO:
			o->to = optarg;
			break;
		case OPT_MONTH:
			o->month = optarg;
			break;
		case OPT_TERM:
			o->term = optarg;
			break;
		case OPT_HALF:
			o->half = optarg;
			break;
		case OPT_TEMPLATE:
			o->tmpl = optarg;
			break;
		case OPT_MADE:
			o->made = optarg;
			break;
		case OPT_MENTOR:
			o->mentor = optarg;
			break;
		case OPT_BY:
			o->by = optarg;
			break;
		case OPT_FONTS:
			o->fonts = optarg;
			break;
		case OPT_VIA:
			if (strcmp(optarg, "kiosk") != 0 &&
			    strcmp(optarg, "cli") != 0) {
				fprintf(stderr,
				    "guanai-sync %s: --via '%s': kiosk or "
				    "cli\n",
				    cmd, optarg);
				return 0;
			}
			o->via = optarg;
			break;
		case OPT_PROGRESS:
			o->progress = 1;
			break;
		case OPT_CONTACT_DAYS: {
			char *e;
			long v = strtol(optarg, &e, 10);

			if (e == optarg || *e != '\0' || v < 1 || v > 365) {
				fprintf(stderr,
				    "guanai-sync %s: --contact-days '%s': a "
				    "number of days, 1 to 365\n",
				    cmd, optarg);
				return 0;
			}
			o->contact_days = (int) v;
			break;
		}
		case OPT_TERM_START:
			if (!rec_date_ok(optarg)) {
				fprintf(stderr,
				    "guanai-sync %s: --term-start '%s' is not "
				    "a "
				    "day YYYY-MM-DD\n",
				    cmd, optarg);
				return 0;
			}
			o->term_start = optarg;
			break;
		default:
			fprintf(stderr,
			    "guanai-sync %s: unknown option or missing value "
			    "'%s'\n",
			    cmd, argv[optind - 1]);
			return 0;
		}
	}
	o->data = cli_data_dir(o->data);
	if (o->via == 0)
		o->via = "cli";
	o->nargs = argc - optind;
	o->args = argv + optind;
	return 1;
}

/* Today's local day, YYYYMMDD. */
static uint32_t
today(void)
{
	time_t now = time(0);
	struct tm tm;

	localtime_r(&now, &tm);
	return (uint32_t) ((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday);
}

/* YYYY-MM-DD as YYYYMMDD, 0 if it is not a real day. */
static uint32_t
day_of(const char *s)
{
	if (!rec_date_ok(s))
		return 0;
	return (uint32_t) strtoul(s, 0, 10) * 10000 +
	    (uint32_t) strtoul(s + 5, 0, 10) * 100 +
	    (uint32_t) strtoul(s + 8, 0, 10);
}

/* The progress line the kiosk reads (app/domain/export.c). */
static void
progress_line(void *arg, size_t done, size_t n)
{
	if (!*(const int *) arg)
		return;
	printf("progress %zu %zu\n", done, n);
	fflush(stdout);
}

static void
day_s(uint32_t d, char *out, size_t len)
{
	snprintf(out, len, "%04u-%02u-%02u", d / 10000, d / 100 % 100, d % 100);
}

/*
 * Records an export (REC_EXPORT, docs/ledgers.md "Each export is
 * recorded"): what, the period (from > 0) or one record per child of
 * ids[n], by staff `by` or, when by is NULL, by the device itself.
 */
static int
record_export(struct store *s, const struct lopts *o, const char *by,
    const char *what, const struct ledger_period *p, const char *const *ids,
    size_t n)
{
	struct store_info info;
	struct record *r;
	char a[16], b[16], why[512];
	size_t bad = 0, nr = n ? n : 1;
	int rc = store_info(s, &info);

	if (rc != GU_OK)
		return rc;
	r = calloc(nr, sizeof(*r));
	if (r == 0)
		return GU_ENOMEM;
	for (size_t i = 0; rc == GU_OK && i < nr; i++) {
		rec_init(&r[i], REC_EXPORT);
		r[i].time_ms = (int64_t) time(0) * 1000;
		r[i].tz_min = (int16_t) clock_tz_min();
		snprintf(r[i].author, sizeof(r[i].author), "%s",
		    by ? by : info.device);
		rc = rec_set_str(&r[i], F_EXPORT, what);
		if (rc == GU_OK)
			rc = rec_set_str(&r[i], F_VIA, o->via);
		if (rc == GU_OK && p) {
			day_s(p->from, a, sizeof(a));
			day_s(p->to, b, sizeof(b));
			rc = rec_set_str(&r[i], F_FROM, a);
			if (rc == GU_OK)
				rc = rec_set_str(&r[i], F_TO, b);
		}
		if (rc == GU_OK && n)
			rc = rec_set_str(&r[i], F_CHILD, ids[i]);
		if (rc == GU_OK && n && o->mentor)
			rc = rec_set_str(&r[i], F_MENTOR, o->mentor);
	}
	if (rc == GU_OK)
		rc = store_append_n(s, r, nr, &bad, why, sizeof(why));
	if (rc != GU_OK)
		fprintf(stderr,
		    "guanai-sync: the export could not be recorded: "
		    "%s\n",
		    rc == GU_EINVAL ? why : status_str(rc));
	free(r);
	return rc;
}

/* --by STAFF for the ledgers: an active headteacher (the ledgers name
 * every child in care). */
static int
ledger_by_ok(struct store *s, const char *by)
{
	struct staff st;

	if (by == 0)
		return 1;
	if (store_staff_get(s, by, &st) != GU_OK || !st.active) {
		fprintf(stderr,
		    "guanai-sync ledger: --by %s: no such staff member\n", by);
		return 0;
	}
	if (!(st.roles & ROLE_HEAD)) {
		fprintf(stderr,
		    "guanai-sync ledger: --by %s (%s): only the headteacher "
		    "exports the ledgers\n",
		    by, st.name);
		return 0;
	}
	return 1;
}

int
cmd_ledger(int argc, char **argv)
{
	struct lopts o;
	struct ledger_period p;
	struct ledger_tmpl *t = 0;
	struct ledger_asof asof;
	struct store *s = 0;
	char why[4096];
	uint32_t made;
	unsigned done = 0; /* the ledgers written, 1u << kind */
	size_t ndone = 0;
	int kind = -1, st = 1, rc = GU_OK;

	if (!parse("ledger", argc, argv, &o))
		return 2;
	if (o.nargs != 2) {
		fprintf(stderr,
		    "usage: guanai-sync ledger [--data DIR] (--from DATE --to "
		    "DATE | --month YYYY-MM | --term YYYY-autumn|YYYY-spring | "
		    "--half YYYY-H1|YYYY-H2) [--template FILE] [--made DATE] "
		    "[--contact-days N] [--term-start DATE] KIND|all "
		    "OUTDIR\n");
		return 2;
	}
	if (strcmp(o.args[0], "all") != 0) {
		kind = ledger_from_name(o.args[0]);
		if (kind < 0) {
			fprintf(stderr,
			    "guanai-sync ledger: unknown ledger '%s'; one of:",
			    o.args[0]);
			for (int k = 0; k < LEDGER_N; k++)
				fprintf(stderr, " %s", ledger_name(k));
			fprintf(stderr, " all\n");
			return 2;
		}
	}
	made = o.made ? day_of(o.made) : today();
	if (made == 0) {
		fprintf(stderr,
		    "guanai-sync ledger: --made '%s' is not a day YYYY-MM-DD\n",
		    o.made);
		return 2;
	}
	if (ledger_period_parse(&p, o.from, o.to, o.month, o.term, o.half, made,
	        why, sizeof(why)) != GU_OK) {
		fprintf(stderr, "guanai-sync ledger: %s\n", why);
		return 2;
	}
	/* The overdue list as of now when its last day is today. */
	asof.now_ms = (int64_t) time(0) * 1000;
	asof.contact_days = o.contact_days;
	asof.term_start_day = o.term_start ? day_of(o.term_start) : 0;
	t = malloc(sizeof(*t));
	if (t == 0) {
		fprintf(stderr, "guanai-sync ledger: out of memory\n");
		return 1;
	}
	if (o.tmpl) {
		rc = ledger_tmpl_load(t, o.tmpl, why, sizeof(why));
		if (rc != GU_OK) {
			fprintf(stderr,
			    "%s\nguanai-sync ledger: the template "
			    "was refused; nothing written\n",
			    why);
			st = 2;
			goto out;
		}
	} else {
		ledger_tmpl_default(t);
	}
	s = cli_open("ledger", o.data);
	if (s == 0)
		goto out;
	if (!ledger_by_ok(s, o.by)) {
		st = 2;
		goto out;
	}
	st = 0;
	progress_line(&o.progress, 0, kind >= 0 ? 1 : LEDGER_N);
	for (int k = 0; k < LEDGER_N; k++) {
		struct ledger_result res;

		if (kind >= 0 && k != kind)
			continue;
		rc = ledger_write(s, k, &p, t, made, &asof, o.args[1], &res,
		    why, sizeof(why));
		if (rc == GU_OK) {
			done |= 1u << k;
			ndone++;
		}
		if (rc != GU_OK) {
			fprintf(stderr, "guanai-sync ledger: %s: %s\n",
			    ledger_title(k), why);
			st = 1;
			break;
		}
		if (ledger_title(k) && res.voided)
			printf("%s: %u rows, %u voided\n", res.path, res.rows,
			    res.voided);
		else
			printf("%s: %u rows\n", res.path, res.rows);
		progress_line(&o.progress, ndone, kind >= 0 ? 1 : LEDGER_N);
	}
	/* What reached the folder is recorded, even when a later ledger
	 * failed: "all" once when every one was written. */
	if (kind < 0 && done == (1u << LEDGER_N) - 1)
		rc = record_export(s, &o, o.by, "all", &p, 0, 0);
	else
		for (int k = 0; k < LEDGER_N; k++)
			if ((done & (1u << k)) &&
			    (rc = record_export(s, &o, o.by, ledger_name(k), &p,
			         0, 0)) != GU_OK)
				break;
	if (st == 0 && done && rc != GU_OK)
		st = 1;
out:
	store_close(s);
	free(t);
	return st;
}

/* The fonts folder: --fonts, $GUANAI_FONTS, ./fonts, the image's. */
static const char *
fonts_dir(const char *opt)
{
	const char *e = getenv("GUANAI_FONTS");

	if (opt && *opt)
		return opt;
	if (e && *e)
		return e;
	if (access("fonts/NotoSansCJK-Regular.ttc", R_OK) == 0)
		return "fonts";
	return "/usr/share/guanai/fonts";
}

struct kids {
	char (*ids)[GU_ID_LEN + 1];
	size_t n;
};

int
cmd_file(int argc, char **argv)
{
	struct lopts o;
	struct store *s = 0;
	struct staff by;
	struct kids k = {0, 0};
	const char **ids = 0;
	const char *out, *who;
	struct child c;
	char why[1024];
	uint32_t made;
	int pages = 0, st = 1, rc;

	if (!parse("file", argc, argv, &o))
		return 2;
	if (o.nargs != (o.mentor ? 1 : 2)) {
		fprintf(stderr,
		    "usage: guanai-sync file [--data DIR] [--by STAFF] "
		    "[--fonts DIR] [--made DATE] CHILD|--mentor ID "
		    "OUTFILE.pdf\n");
		return 2;
	}
	out = o.args[o.nargs - 1];
	made = o.made ? day_of(o.made) : today();
	if (made == 0) {
		fprintf(stderr,
		    "guanai-sync file: --made '%s' is not a day YYYY-MM-DD\n",
		    o.made);
		return 2;
	}
	s = cli_open("file", o.data);
	if (s == 0)
		return 1;
	if (o.mentor) {
		size_t n = 0;
		struct child_summary *cs;

		rc = store_mentor_children(s, o.mentor, 0, 0, &n);
		cs = rc == GU_OK && n ? calloc(n, sizeof(*cs)) : 0;
		k.ids = n ? calloc(n, sizeof(*k.ids)) : 0;
		if (rc == GU_OK && n && (cs == 0 || k.ids == 0))
			rc = GU_ENOMEM;
		if (rc == GU_OK && n)
			rc = store_mentor_children(s, o.mentor, cs, n, &n);
		for (size_t i = 0; rc == GU_OK && i < n; i++)
			if (care_rules_in_care(&cs[i].child))
				snprintf(k.ids[k.n++], GU_ID_LEN + 1, "%s",
				    cs[i].child.id);
		free(cs);
		if (rc != GU_OK) {
			fprintf(
			    stderr, "guanai-sync file: %s\n", status_str(rc));
			goto out;
		}
		if (k.n == 0) {
			fprintf(stderr,
			    "guanai-sync file: --mentor %s: no children in "
			    "care have this mentor\n",
			    o.mentor);
			goto out;
		}
		who = o.by ? o.by : o.mentor;
	} else {
		if (store_child_get(s, o.args[0], &c) != GU_OK) {
			fprintf(stderr,
			    "guanai-sync file: no child '%s' in the roster\n",
			    o.args[0]);
			goto out;
		}
		k.ids = calloc(1, sizeof(*k.ids));
		if (k.ids == 0)
			goto out;
		snprintf(k.ids[k.n++], GU_ID_LEN + 1, "%s", c.id);
		who = o.by ? o.by : c.mentor_id[0] ? c.mentor_id : 0;
		if (who == 0) {
			fprintf(stderr,
			    "guanai-sync file: %s has no mentor: say who "
			    "exports the file with --by STAFF (it is "
			    "recorded)\n",
			    c.id);
			st = 2;
			goto out;
		}
	}
	if (store_staff_get(s, who, &by) != GU_OK || !by.active) {
		fprintf(stderr,
		    "guanai-sync file: --by %s: no such staff member\n", who);
		st = 2;
		goto out;
	}
	/* Who may see a child's file: the headteacher, or its mentor. */
	for (size_t i = 0; i < k.n; i++) {
		if (by.roles & ROLE_HEAD)
			break;
		if (store_child_get(s, k.ids[i], &c) != GU_OK ||
		    strcmp(c.mentor_id, by.id) != 0) {
			fprintf(stderr,
			    "guanai-sync file: %s (%s) is neither the "
			    "headteacher nor the mentor of %s\n",
			    by.id, by.name, k.ids[i]);
			goto out;
		}
	}
	ids = calloc(k.n, sizeof(*ids));
	if (ids == 0)
		goto out;
	for (size_t i = 0; i < k.n; i++)
		ids[i] = k.ids[i];
	rc = childfile_write(s, ids, k.n, by.id, fonts_dir(o.fonts), made,
	    (int64_t) time(0) * 1000, clock_tz_min(), out, &pages, why,
	    sizeof(why), progress_line, &o.progress);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync file: %s\n", why);
		goto out;
	}
	if (record_export(s, &o, by.id, "file", 0, ids, k.n) != GU_OK)
		goto out;
	printf("%s: %zu %s, %d pages; recorded as viewed by %s\n", out, k.n,
	    k.n == 1 ? "child" : "children", pages, by.id);
	st = 0;
out:
	free(ids);
	free(k.ids);
	store_close(s);
	return st;
}
