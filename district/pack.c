/*
 * pack.c: guanai-district pack (docs/district.md, "The inspection
 * pack"): the half-yearly inspection of 一人一档 as one .xlsx workbook,
 * through the school ledgers' writer (sync/xlsx.c).  One school
 * (--school) or every school (--all) in the same workbook: a row per
 * school on the summary, a school column on every other sheet.
 *
 * The sheets are the rows of sheets[] below: a name, a title, the
 * columns and one query.  Every query takes the same parameters,
 * through the CTE p:
 *
 *   $1  the period's first moment (--from, 00:00 Beijing time)
 *   $2  the period's end (the day after --to, 00:00 Beijing time)
 *   $3  the school, or NULL for all
 *   $4  the first moment of the term --to is in (the board's term)
 *
 * The session's time zone is Beijing's, so a moment's ::date is the day
 * a school saw.
 * The workbook is written to OUT.part and renamed when whole; on any
 * error the .part is removed and nothing is at OUT.  Its bytes depend on
 * the database and the arguments only: the rows are ordered on full
 * keys and the workbook's time is the end of --to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "care_rules.h"
#include "db.h"
#include "dconf.h"
#include "district.h"
#include "ledger.h"
#include "record.h"
#include "status.h"
#include "xlsx.h"

/* A device silent longer than this: 沉默设备 (the board's 7 days). */
#define PACK_SILENT "interval '7 days'"
#define PACK_KIND (-1) /* a column of record kinds, to be labelled */

/* The parameters as a row, so every query may use any of them. */
#define P_CTE                                                                  \
	"p AS (SELECT $1::timestamptz f, $2::timestamptz t, $3::text s, "      \
	"$4::timestamptz term), "
/* A school of the pack: x a row with a school column. */
#define OF_PACK(x) " (p.s IS NULL OR " x ".school = p.s) "
/* A child in care (care_rules_in_care()): k a roster_children row. */
#define IN_CARE_K "(k.categories <> 0 OR k.mentor <> '')"

/*
 * Each child's contacts (check-ins and visits standing, records_live):
 * in the period, the last before its end, whether in the 30 days before
 * the end, whether visited in the term.
 */
#define CHILD_CTE                                                              \
	"c AS (SELECT r.school, r.child, "                                     \
	"count(*) FILTER (WHERE r.kind = 'checkin' AND r.time >= p.f) nchk, "  \
	"count(*) FILTER (WHERE r.kind = 'visit' AND r.time >= p.f) nvis, "    \
	"max(r.time) lastc, "                                                  \
	"bool_or(r.time > p.t - interval '30 days') c30, "                     \
	"bool_or(r.kind = 'visit' AND r.time >= p.term) vt "                   \
	"FROM p, records_live r WHERE r.kind IN ('checkin', 'visit') AND "     \
	"r.child IS NOT NULL AND r.time < p.t AND" OF_PACK(                    \
	    "r") "GROUP BY r.school, r.child), "

/*
 * The urgent concerns of the period: raised before its end, and either
 * raised in it or not closed before it began; cl the followup that
 * closed it (the first, before the end), a the district's last ack.
 */
#define URGENT_CTE                                                             \
	"u AS (SELECT c.school, c.device, c.epoch, c.seq, c.child, c.time, "   \
	"cl.time closed, cl.doc cdoc FROM p CROSS JOIN records_live c "        \
	"LEFT JOIN LATERAL (SELECT f.time, f.doc FROM records_live f WHERE "   \
	"f.school = c.school AND f.device = c.device AND f.epoch = c.epoch "   \
	"AND f.kind = 'followup' AND (f.doc->>'concern')::bigint = c.seq AND " \
	"coalesce((f.doc->>'closes')::bool, false) AND f.time < p.t "          \
	"ORDER BY f.time, f.seq LIMIT 1) cl ON true WHERE c.kind = 'concern' " \
	"AND coalesce((c.doc->>'urgent')::bool, false) AND c.time < p.t AND "  \
	"(c.time >= p.f OR cl.time IS NULL OR cl.time >= p.f) AND" OF_PACK(    \
	    "c") "), "

struct pack_col {
	const char *title;
	enum xlsx_type type;
	double width;
	int label; /* F_*: the cell is words of that field; PACK_KIND */
};

static const struct pack_sheet {
	const char *name, *title;
	struct pack_col cols[XLSX_MAX_COLS];
	const char *sql;
} sheets[] = {
    {"汇总", "关爱留守儿童工作督查汇总",
        {{"学校代码", XLSX_TEXT, 13, 0}, {"在册关爱儿童", XLSX_INT, 8, 0},
            {"30天内已联系", XLSX_INT, 8, 0}, {"联系率（%）", XLSX_INT, 8, 0},
            {"本学期已家访", XLSX_INT, 8, 0}, {"家访率（%）", XLSX_INT, 8, 0},
            {"期内安全讲座", XLSX_INT, 8, 0},
            {"节前讲座（30天内）", XLSX_TEXT, 12, 0},
            {"节前讲座出勤率（%）", XLSX_INT, 10, 0},
            {"期内记录", XLSX_INT, 8, 0}, {"期内紧急报告", XLSX_INT, 8, 0},
            {"期末未结", XLSX_INT, 8, 0}, {"最后上传", XLSX_DATE, 12, 0},
            {"设备", XLSX_INT, 6, 0}, {"沉默设备（>7天）", XLSX_INT, 10, 0}},
        "WITH " P_CTE CHILD_CTE URGENT_CTE
        "k AS (SELECT k.school, count(*) n, count(*) FILTER (WHERE c.c30) "
        "c30, count(*) FILTER (WHERE c.vt) vt FROM roster_children k LEFT "
        "JOIN c USING (school, child) WHERE " IN_CARE_K " GROUP BY k.school), "
        "l AS (SELECT r.school, count(*) FILTER (WHERE r.time >= p.f) n, "
        "count(*) FILTER (WHERE r.time > p.t - interval '30 days') pre, "
        "sum((r.doc->>'present')::int) FILTER (WHERE r.time > p.t - "
        "interval '30 days') pp, sum((r.doc->>'absent')::int) FILTER "
        "(WHERE r.time > p.t - interval '30 days') pa FROM p, records_live "
        "r WHERE r.kind = 'lecture_end' AND r.time < p.t AND r.time >= "
        "least(p.f, p.t - interval '30 days') GROUP BY r.school), "
        "m AS (SELECT r.school, count(*) n FROM p, records_live r WHERE "
        "r.time >= p.f AND r.time < p.t GROUP BY r.school), "
        "uc AS (SELECT school, count(*) n, count(*) FILTER (WHERE closed IS "
        "NULL) open FROM u GROUP BY school), "
        "d AS (SELECT v.school, count(*) n, count(*) FILTER (WHERE "
        "v.last_upload IS NULL OR v.last_upload < p.t - " PACK_SILENT
        ") silent FROM p, devices v GROUP BY v.school) "
        "SELECT s.school, coalesce(k.n, 0), coalesce(k.c30, 0), "
        "CASE WHEN k.n > 0 THEN 100 * k.c30 / k.n END, coalesce(k.vt, 0), "
        "CASE WHEN k.n > 0 THEN 100 * k.vt / k.n END, coalesce(l.n, 0), "
        "CASE WHEN coalesce(l.pre, 0) > 0 THEN '已开展' ELSE '未开展' END, "
        "CASE WHEN l.pp + l.pa > 0 THEN 100 * l.pp / (l.pp + l.pa) END, "
        "coalesce(m.n, 0), coalesce(uc.n, 0), coalesce(uc.open, 0), "
        "s.last_upload::date, coalesce(d.n, 0), coalesce(d.silent, 0) "
        "FROM p CROSS JOIN schools s LEFT JOIN k USING "
        "(school) LEFT JOIN l USING (school) LEFT JOIN "
        "m USING (school) LEFT JOIN uc USING (school) "
        "LEFT JOIN d USING (school) WHERE" OF_PACK("s") "ORDER BY s.school"},
    {"关爱对象名册", "关爱对象名册（学校最近报送）",
        {{"学校代码", XLSX_TEXT, 13, 0}, {"学籍号", XLSX_TEXT, 14, 0},
            {"姓名", XLSX_TEXT, 10, 0}, {"班级", XLSX_TEXT, 14, 0},
            {"类别", XLSX_TEXT, 20, 0}, {"成长导师", XLSX_TEXT, 10, 0},
            {"导师工号", XLSX_TEXT, 10, 0}},
        "WITH " P_CTE "z AS (SELECT 1) "
        "SELECT k.school, k.child, k.name, k.class, concat_ws('、', CASE "
        "WHEN k.categories & 1 <> 0 THEN '留守儿童' END, CASE WHEN "
        "k.categories & 2 <> 0 THEN '困境儿童' END), coalesce(st.name, "
        "CASE WHEN k.mentor = '' THEN '未配备' END), nullif(k.mentor, '') "
        "FROM p CROSS JOIN roster_children k LEFT JOIN roster_staff st ON "
        "st.school = k.school AND st.staff = k.mentor WHERE " IN_CARE_K
        " AND" OF_PACK("k") "ORDER BY k.school, k.class, k.child"},
    {"家访与联系", "关爱对象期内家访与联系",
        {{"学校代码", XLSX_TEXT, 13, 0}, {"学籍号", XLSX_TEXT, 14, 0},
            {"姓名", XLSX_TEXT, 10, 0}, {"班级", XLSX_TEXT, 14, 0},
            {"导师帮扶（次）", XLSX_INT, 9, 0}, {"家访（次）", XLSX_INT, 8, 0},
            {"最近联系", XLSX_DATE, 12, 0}, {"30天内联系", XLSX_TEXT, 9, 0},
            {"本学期家访", XLSX_TEXT, 9, 0}},
        "WITH " P_CTE CHILD_CTE "z AS (SELECT 1) "
        "SELECT k.school, k.child, k.name, k.class, coalesce(c.nchk, 0), "
        "coalesce(c.nvis, 0), c.lastc::date, CASE WHEN c.c30 THEN "
        "'是' ELSE '否' END, CASE "
        "WHEN c.vt THEN '是' ELSE "
        "'否' END FROM p CROSS JOIN "
        "roster_children k LEFT "
        "JOIN c USING (school, "
        "child) WHERE " IN_CARE_K
        " AND" OF_PACK("k") "ORDER BY k.school, k.class, k.child"},
    {"安全教育讲座", "期内安全教育讲座",
        {{"学校代码", XLSX_TEXT, 13, 0}, {"日期", XLSX_DATE, 12, 0},
            {"主题", XLSX_TEXT, 16, F_TOPIC}, {"主讲人", XLSX_TEXT, 12, 0},
            {"班级", XLSX_TEXT, 24, 0}, {"到场", XLSX_INT, 6, 0},
            {"缺席", XLSX_INT, 6, 0}, {"出勤率（%）", XLSX_INT, 8, 0}},
        "WITH " P_CTE "z AS (SELECT 1) "
        "SELECT e.school, e.time::date, le.doc->>'topic', "
        "le.doc->>'lecturer', (SELECT "
        "string_agg(x, '、') FROM "
        "jsonb_array_elements_text("
        "le.doc->'classes') x), "
        "(e.doc->>'present')::int, (e.doc->>'absent')::int, CASE "
        "WHEN "
        "(e.doc->>'present')::int + (e.doc->>'absent')::int > 0 "
        "THEN 100 * "
        "(e.doc->>'present')::int / ((e.doc->>'present')::int + "
        "(e.doc->>'absent')::int) END FROM p CROSS JOIN "
        "records_live e "
        "LEFT JOIN records le ON le.school = e.school AND "
        "le.device = "
        "e.device AND le.epoch = e.epoch AND le.seq = "
        "(e.doc->>'lecture')::"
        "bigint WHERE e.kind = 'lecture_end' AND e.time >= p.f "
        "AND e.time < "
        "p.t AND" OF_PACK("e") "ORDER BY e.school, e.time, e.device, "
                               "e.epoch, e.seq"},
    {"紧急报告", "期内紧急报告（含已结）及区教体局受理",
        {{"学校代码", XLSX_TEXT, 13, 0}, {"报告编号", XLSX_TEXT, 42, 0},
            {"学籍号", XLSX_TEXT, 14, 0}, {"姓名", XLSX_TEXT, 10, 0},
            {"班级", XLSX_TEXT, 14, 0}, {"报告日期", XLSX_DATE, 12, 0},
            {"报告时间", XLSX_TEXT, 8, 0}, {"区受理日期", XLSX_DATE, 12, 0},
            {"受理人", XLSX_TEXT, 14, 0},
            {"受理结果", XLSX_TEXT, 10, F_OUTCOME},
            {"受理备注", XLSX_TEXT, 20, 0}, {"状态", XLSX_TEXT, 6, 0},
            {"结案日期", XLSX_DATE, 12, 0}, {"学校处置", XLSX_TEXT, 20, F_DONE},
            {"历时（天）", XLSX_INT, 8, 0}},
        "WITH " P_CTE URGENT_CTE "z AS (SELECT 1) "
        "SELECT u.school, u.school || '/' || u.device || '/' || u.epoch || "
        "'/' || u.seq, u.child, k.name, k.class, u.time::date, to_char(u.time, "
        "'HH24:MI'), a1.at::date, a.by, a.outcome, "
        "nullif(a.note, ''), "
        "CASE WHEN u.closed IS NULL THEN '未结' "
        "ELSE '已结' END, u.closed::date, (SELECT string_agg(x, "
        "',') FROM "
        "jsonb_array_elements_text("
        "u.cdoc->'done') x), "
        "floor(extract(epoch FROM "
        "coalesce(u.closed, p.t) - "
        "u.time) / 86400)::int FROM "
        "p CROSS JOIN u LEFT JOIN "
        "roster_children k ON "
        "k.school = u.school AND "
        "k.child = u.child "
        "LEFT JOIN LATERAL (SELECT "
        "* FROM acks a WHERE "
        "a.school = u.school "
        "AND a.device = u.device "
        "AND a.epoch = u.epoch AND "
        "a.seq = u.seq "
        "AND a.at < p.t ORDER BY "
        "a.id DESC LIMIT 1) a ON "
        "true "
        "LEFT JOIN LATERAL (SELECT "
        "min(a.at) at FROM acks a "
        "WHERE a.school "
        "= u.school AND a.device = "
        "u.device AND a.epoch = "
        "u.epoch AND a.seq "
        "= u.seq AND a.at < p.t) a1 "
        "ON true "
        "ORDER BY u.school, u.time, "
        "u.device, u.epoch, u.seq"},
    {"作废记录", "期内作废的记录",
        {{"学校代码", XLSX_TEXT, 13, 0}, {"作废日期", XLSX_DATE, 12, 0},
            {"作废人", XLSX_TEXT, 10, 0}, {"原因", XLSX_TEXT, 12, F_REASON},
            {"被作废的记录", XLSX_TEXT, 12, PACK_KIND},
            {"原记录日期", XLSX_DATE, 12, 0}, {"学籍号", XLSX_TEXT, 14, 0},
            {"设备", XLSX_TEXT, 10, 0}, {"序号", XLSX_INT, 8, 0}},
        "WITH " P_CTE "z AS (SELECT 1) "
        "SELECT v.school, v.time::date, v.author, v.doc->>'reason', "
        "o.kind, o.time::date, o.child, "
        "v.device, "
        "v.doc->>'target' "
        "FROM p CROSS JOIN records v LEFT JOIN "
        "records o ON o.school = "
        "v.school AND o.device = v.device AND "
        "o.epoch = v.epoch AND o.seq = "
        "(v.doc->>'target')::bigint WHERE v.kind = "
        "'void' AND v.time >= p.f "
        "AND v.time < p.t AND" OF_PACK("v") "ORDER BY v.school, v.time, "
                                            "v.device, v.epoch, v.seq"},
};

#define PACK_CELL 1024 /* a labelled cell's bytes at most */

struct pack_fill {
	struct xlsx *x;
	int sheet;
	const struct pack_sheet *sh;
	size_t ncols;
	char cell[XLSX_MAX_COLS][PACK_CELL];
};

static const char *
kind_label(const char *name)
{
	for (int k = 0; k < REC_KIND_MAX; k++)
		if (strcmp(rec_kind_name(k), name) == 0)
			return ledger_kind_label(k);
	return name;
}

/* One row of a sheet's query into the sheet, its words in Chinese. */
static int
fill_row(void *arg, int nc, const char *const *col)
{
	struct pack_fill *pf = arg;
	const char *cells[XLSX_MAX_COLS];

	if ((size_t) nc != pf->ncols)
		return 1;
	for (size_t i = 0; i < pf->ncols; i++) {
		int lab = pf->sh->cols[i].label;

		cells[i] = col[i];
		if (col[i] == NULL || lab == 0)
			continue;
		if (lab == PACK_KIND)
			cells[i] = kind_label(col[i]);
		else {
			ledger_labels(lab, col[i], pf->cell[i], PACK_CELL);
			cells[i] = pf->cell[i];
		}
	}
	return xlsx_row(pf->x, pf->sheet, cells) != GU_OK;
}

/*
 * The width a header needs on one line, in Excel's characters: a Chinese
 * character is two, an ASCII one one, and a margin for the bold face.
 */
static double
title_width(const char *s)
{
	double w = 2;

	for (; *s; s++)
		if ((unsigned char) *s < 0x80)
			w += 1;
		else if (((unsigned char) *s & 0xC0) != 0x80)
			w += 2;
	return w;
}

static size_t
ncols_of(const struct pack_sheet *sh)
{
	size_t n = 0;

	while (n < XLSX_MAX_COLS && sh->cols[n].title != NULL)
		n++;
	return n;
}

/*
 * Writes every sheet of the pack into x from db with the parameters v.
 * GU_OK, or GU_EIO with why.
 */
static int
pack_sheets(struct db *db, struct xlsx *x, const char *subtitle,
    const char *const *v, char *why, size_t why_len)
{
	struct pack_fill *pf = malloc(sizeof(*pf));
	struct xlsx_col cols[XLSX_MAX_COLS];
	int rc = GU_OK;

	if (pf == NULL)
		return GU_ENOMEM;
	for (size_t s = 0; rc == GU_OK && s < sizeof(sheets) / sizeof(*sheets);
	     s++) {
		pf->x = x;
		pf->sh = &sheets[s];
		pf->ncols = ncols_of(&sheets[s]);
		for (size_t i = 0; i < pf->ncols; i++) {
			cols[i].title = sheets[s].cols[i].title;
			cols[i].type = sheets[s].cols[i].type;
			/* the header on one line, the data as the row says */
			cols[i].width = title_width(cols[i].title);
			if (cols[i].width < sheets[s].cols[i].width)
				cols[i].width = sheets[s].cols[i].width;
		}
		rc = xlsx_sheet(x, sheets[s].name, sheets[s].title, subtitle,
		    cols, pf->ncols, &pf->sheet);
		if (rc != GU_OK) {
			snprintf(why, why_len, "sheet %s: %s", sheets[s].name,
			    status_str(rc));
			break;
		}
		rc = db_rows(
		    db, sheets[s].sql, 4, v, fill_row, pf, why, why_len);
	}
	free(pf);
	return rc;
}

/*
 * Parses YYYY-MM-DD into *day (YYYYMMDD); nonzero when it is a day of
 * the calendar (2026-02-30 is not).
 */
static int
parse_day(const char *s, uint32_t *day)
{
	struct tm tm, back;
	char *end;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 10 ||
	    (end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return 0;
	tm.tm_hour = 12;
	back = tm;
	t = timegm(&back);
	if (t == (time_t) -1 || back.tm_mday != tm.tm_mday ||
	    back.tm_mon != tm.tm_mon || tm.tm_year < 70)
		return 0;
	*day = (uint32_t) ((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday);
	return 1;
}

/* YYYYMMDD as "YYYY-MM-DD HH:MM:SS+08" at 00:00 plus add_days. */
static void
day_ts(uint32_t day, int add_days, char *out, size_t cap)
{
	time_t t = (time_t) (cal_day_start_ms(day, 480) / 1000 + 8 * 3600 +
	    (int64_t) add_days * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, cap, "%Y-%m-%d 00:00:00+08", &tm);
}

static int
school_known(void *arg, int nc, const char *const *col)
{
	(void) col;
	*(int *) arg = nc;
	return 0;
}

static int
pack_usage(void)
{
	fprintf(stderr,
	    "usage: guanai-district pack --config FILE (--school ID | --all) "
	    "[--from YYYY-MM-DD] [--to YYYY-MM-DD] OUT.xlsx\n");
	return 2;
}

int
cmd_pack(int argc, char **argv)
{
	struct care_rules cr = {.contact_days = 14,
	    .term_start_day = 0,
	    .tz_min = 480,
	    .cal = NULL};
	struct dconf *c = NULL;
	struct db *db = NULL;
	struct xlsx *x = NULL;
	FILE *probe;
	const char *conf = NULL, *out = NULL, *school = NULL, *from = NULL;
	const char *to = NULL, *v[4];
	char why[4200], part[4200], f_ts[40], t_ts[40], term_ts[40];
	char title[300], sub[300], today[16];
	uint32_t dfrom, dto, dterm;
	int all = 0, known = 0, ret = 2, rc;
	time_t now = time(NULL);
	struct tm tm;
	size_t len;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strcmp(argv[i], "--school") == 0 && i + 1 < argc)
			school = argv[++i];
		else if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			from = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = argv[++i];
		else if (out == NULL && argv[i][0] != '-')
			out = argv[i];
		else
			return pack_usage();
	}
	if (conf == NULL || out == NULL || (school == NULL) == (all == 0))
		return pack_usage();
	len = strlen(out);
	if (len < 6 || strcmp(out + len - 5, ".xlsx") != 0) {
		fprintf(stderr,
		    "guanai-district pack: %s: the workbook's name must end "
		    "in .xlsx\n",
		    out);
		return 2;
	}
	if (to == NULL) {
		now += 8 * 3600; /* Beijing's day */
		gmtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		to = today;
	}
	if (!parse_day(to, &dto)) {
		fprintf(stderr,
		    "guanai-district pack: --to %s: not a day (YYYY-MM-DD)\n",
		    to);
		return 2;
	}
	/* the term of the last day, as the board has it */
	dterm = care_rules_term_start(
	    &cr, cal_day_start_ms(dto, 480) + 4 * 3600 * 1000);
	if (from == NULL)
		dfrom = dterm;
	else if (!parse_day(from, &dfrom)) {
		fprintf(stderr,
		    "guanai-district pack: --from %s: not a day "
		    "(YYYY-MM-DD)\n",
		    from);
		return 2;
	}
	if (dfrom > dto) {
		fprintf(stderr,
		    "guanai-district pack: --from %s is after --to %s\n", from,
		    to);
		return 2;
	}
	c = malloc(sizeof(*c));
	if (c == NULL)
		return 1;
	if (dconf_load(c, conf) != GU_OK)
		goto out;
	if (db_open(c->database, &db, why, sizeof(why)) != GU_OK) {
		fprintf(stderr, "%s: database: %s\n", conf, why);
		goto out;
	}
	/* a moment's ::date is then its day in Beijing, as YYYY-MM-DD */
	if (db_exec(db, "SET TIME ZONE 'Asia/Shanghai'", 0, NULL, why,
	        sizeof(why)) != GU_OK ||
	    db_exec(db, "SET DateStyle = ISO", 0, NULL, why, sizeof(why)) !=
	        GU_OK)
		goto fail;
	day_ts(dfrom, 0, f_ts, sizeof(f_ts));
	day_ts(dto, 1, t_ts, sizeof(t_ts));
	day_ts(dterm, 0, term_ts, sizeof(term_ts));
	v[0] = f_ts, v[1] = t_ts, v[2] = school, v[3] = term_ts;
	if (school != NULL) {
		const char *w[1] = {school};

		if (db_rows(db, "SELECT 1 FROM schools WHERE school = $1", 1, w,
		        school_known, &known, why, sizeof(why)) != GU_OK)
			goto fail;
		if (!known) {
			fprintf(stderr,
			    "guanai-district pack: --school %s: no such "
			    "school in the database\n",
			    school);
			goto out;
		}
	}
	ret = 1;
	snprintf(part, sizeof(part), "%s.part", out);
	snprintf(title, sizeof(title), "关爱留守儿童一人一档督查 %s",
	    school != NULL ? school : "全区");
	snprintf(sub, sizeof(sub),
	    "统计期间：%04u-%02u-%02u 至 %s　本学期自 %04u-%02u-%02u　"
	    "内部督查用，含儿童个人信息，不得外传",
	    dfrom / 10000, dfrom / 100 % 100, dfrom % 100, to, dterm / 10000,
	    dterm / 100 % 100, dterm % 100);
	/* the folder first, in words (libxlsxwriter would say it late) */
	probe = fopen(part, "we");
	if (probe == NULL) {
		fprintf(stderr, "guanai-district pack: %s: %s\n", out,
		    strerror(errno));
		goto out;
	}
	fclose(probe);
	/* the workbook's time: the end of the last day, Beijing time */
	rc = xlsx_new(&x, part, cal_day_start_ms(dto, 480) / 1000 + 86399,
	    title, why, sizeof(why));
	if (rc == GU_OK)
		rc = pack_sheets(db, x, sub, v, why, sizeof(why));
	if (rc != GU_OK) {
		char ignored[200];

		xlsx_close(x, ignored, sizeof(ignored));
		unlink(part);
		goto fail;
	}
	rc = xlsx_close(x, why, sizeof(why));
	if (rc == GU_OK)
		rc = ledger_commit_file(part, out, why, sizeof(why));
	else
		unlink(part);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-district pack: %s: %s\n", out, why);
		goto out;
	}
	printf("pack: %s\n", out);
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "guanai-district pack: %s\n", why);
	ret = 1;
out:
	db_close(db);
	free(c);
	return ret;
}
