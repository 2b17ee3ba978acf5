/*
 * report.c: guanai-district report (docs/district.md, "The board"):
 * static HTML from the database, charts as inline SVG, no script, no
 * external resource.  index.html: a row per school, worst first; one
 * page per school (school-ID.html).  The overview names no child.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "care_rules.h"
#include "db.h"
#include "dconf.h"
#include "district.h"
#include "status.h"

#define SILENT_DAYS 7 /* red after this many days without an upload */
#define URGENT_DAYS 7 /* an open urgent concern older than this: late */
#define LECTURE_DAYS 30
#define CONTACT_PCT 80 /* red below: in care contacted in 30 days */
#define VISIT_PCT 50   /* red below: in care visited this term */

/*
 * A child in care, as core/care_rules.c's care_rules_in_care() says: an
 * active child (every child of the roster last sent is) with a category
 * or a mentor; k is a roster_children row.
 */
#define IN_CARE "(k.categories <> 0 OR k.mentor <> '')"
/* k contacted (a standing check-in or visit) in the 30 days to $1 */
#define CONTACTED                                                              \
	"EXISTS (SELECT 1 FROM records_live r WHERE r.school = k.school AND "  \
	"r.child = k.child AND r.kind IN ('checkin', 'visit') AND r.time > "   \
	"$1::timestamptz - interval '30 days' AND r.time < $1::timestamptz)"
/* k visited (a standing visit) from the term's first day $2 to $1 */
#define VISITED                                                                \
	"EXISTS (SELECT 1 FROM records_live r WHERE r.school = k.school AND "  \
	"r.child = k.child AND r.kind = 'visit' AND r.time >= "                \
	"$2::timestamptz AND r.time < $1::timestamptz)"
/* A group of k: its children in care, of them contacted, visited. */
#define COV_SQL                                                                \
	"count(*) n, count(*) FILTER (WHERE " CONTACTED                        \
	") c30, count(*) FILTER (WHERE " VISITED ") vt "

/* Per school: its children in care, of them contacted, visited. */
#define COV_CTE                                                                \
	"k AS (SELECT k.school, " COV_SQL                                      \
	"FROM roster_children k WHERE " IN_CARE " GROUP BY k.school), "

/*
 * Every school's figures as of $1 (a timestamptz), the term from $2,
 * worst first ($3, $4: CONTACT_PCT, VISIT_PCT).
 */
static const char OVERVIEW[] =
    "WITH now AS (SELECT $1::timestamptz AS t), " COV_CTE
    "d AS (SELECT school, count(*) n FROM devices GROUP BY school), "
    "m AS (SELECT r.school, count(*) n FROM records_live r, now "
    "  WHERE r.time >= date_trunc('month', now.t) AND r.time < now.t "
    "  GROUP BY r.school), "
    "l AS (SELECT r.school, count(*) n, "
    "  sum((r.doc->>'present')::int) p, sum((r.doc->>'absent')::int) a "
    "  FROM records_live r, now WHERE r.kind = 'lecture_end' AND "
    "  r.time > now.t - interval '30 days' AND r.time < now.t "
    "  GROUP BY r.school), "
    "u AS (SELECT c.school, count(*) n, min(c.time) oldest, "
    "  count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM acks a WHERE "
    "  a.school = c.school AND a.device = c.device AND a.epoch = c.epoch "
    "  AND a.seq = c.seq)) un FROM urgent_open c GROUP BY c.school), "
    "x AS (SELECT s.school, to_char(s.last_upload AT TIME ZONE "
    "  'Asia/Shanghai', 'YYYY-MM-DD') AS last_up, "
    "  floor(extract(epoch FROM now.t - s.last_upload) / 86400)::int "
    "  AS silent, coalesce(d.n, 0) AS devices, coalesce(m.n, 0) AS nmonth, "
    "  coalesce(l.n, 0) AS lectures, coalesce(l.p, 0) AS present, "
    "  coalesce(l.a, 0) AS absent, coalesce(u.n, 0) AS urgent, "
    "  coalesce(floor(extract(epoch FROM now.t - u.oldest) / 86400), "
    "  0)::int AS urgent_age, coalesce(u.un, 0) AS unacked, "
    "  coalesce(k.n, 0) AS care, coalesce(k.c30, 0) AS c30, "
    "  coalesce(k.vt, 0) AS vt, (k.n > 0 AND (100 * k.c30 < $3::int * "
    "  k.n OR 100 * k.vt < $4::int * k.n)) IS TRUE AS lowcov "
    "  FROM schools s CROSS JOIN now "
    "  LEFT JOIN d USING (school) LEFT JOIN m USING (school) "
    "  LEFT JOIN l USING (school) LEFT JOIN u USING (school) "
    "  LEFT JOIN k USING (school)) "
    "SELECT * FROM x ORDER BY (unacked > 0) DESC, (urgent > 0) DESC, "
    "  ((urgent_age > 7)::int * 8 + (silent > 7)::int * 4 + "
    "  lowcov::int * 2 + (lectures = 0)::int) DESC, urgent_age DESC, "
    "  silent DESC, school";

static int
num(const char *s)
{
	return s ? (int) strtol(s, NULL, 10) : 0;
}

static void
esc(FILE *f, const char *s)
{
	for (; s != NULL && *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void
head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta "
	      "charset=\"utf-8\"><title>",
	    f);
	esc(f, title);
	fputs("</title><style>@font-face{font-family:board;src:url("
	      "board-font.ttc)}body{font-family:board,sans-serif;margin:1em}"
	      "td{white-space:nowrap}"
	      "table{border-collapse:collapse}td,th{border:1px solid #999;"
	      "padding:2px 6px;text-align:right}td:first-child{text-align:"
	      "left}.bad{background:#f33;color:#fff;font-weight:bold}"
	      ".urgent{background:#fd0}.low{color:#c00;font-weight:bold}</"
	      "style></head><body>\n<h1>",
	    f);
	esc(f, title);
	fputs("</h1>\n", f);
}

struct school_row {
	char id[64], last[16];
	int silent, devices, month, lectures, present, absent, urgent, uage;
	int unacked;       /* open urgent concerns the district has not acked */
	int care, c30, vt; /* in care; of them contacted, visited */
	int lowcov;        /* a share under its threshold */
};

struct rows {
	struct school_row *v;
	size_t n, cap;
};

static int
row_fn(void *arg, int nc, const char *const *c)
{
	struct rows *r = arg;
	struct school_row *s;

	if (nc < 15)
		return 1;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct school_row *nv = realloc(r->v, cap * sizeof(*nv));

		if (nv == NULL)
			return 1;
		r->v = nv;
		r->cap = cap;
	}
	s = &r->v[r->n++];
	snprintf(s->id, sizeof(s->id), "%s", c[0]);
	snprintf(s->last, sizeof(s->last), "%s", c[1] ? c[1] : "—");
	s->silent = c[2] ? num(c[2]) : 9999;
	s->devices = num(c[3]);
	s->month = num(c[4]);
	s->lectures = num(c[5]);
	s->present = num(c[6]);
	s->absent = num(c[7]);
	s->urgent = num(c[8]);
	s->uage = num(c[9]);
	s->unacked = num(c[10]);
	s->care = num(c[11]);
	s->c30 = num(c[12]);
	s->vt = num(c[13]);
	s->lowcov = c[14] != NULL && c[14][0] == 't';
	return 0;
}

static void
flags(const struct school_row *s, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s%s%s%s", s->urgent > 0 ? " urgent" : "",
	    s->urgent > 0 && s->uage > URGENT_DAYS ? " urgent_old" : "",
	    s->silent > SILENT_DAYS ? " silent" : "",
	    s->lowcov ? " low_coverage" : "",
	    s->lectures == 0 ? " no_lecture" : "");
}

/*
 * A table cell with the share n of den as a bar (inline SVG) and its
 * percentage, red below min percent; "—" when den is 0.
 */
static void
bar(FILE *f, int n, int den, int min)
{
	int pct = den > 0 ? 100 * n / den : 0;
	int low = den > 0 && 100 * n < min * den;

	if (den == 0) {
		fputs("<td>—</td>", f);
		return;
	}
	fprintf(f,
	    "<td%s><svg width=\"60\" height=\"10\" role=\"img\"><rect "
	    "width=\"60\" height=\"10\" fill=\"#ddd\"/><rect width=\"%d\" "
	    "height=\"10\" fill=\"%s\"/><line x1=\"%d\" y1=\"0\" x2=\"%d\" "
	    "y2=\"10\" stroke=\"#000\"/></svg> %d%%</td>",
	    low ? " class=\"low\"" : "", pct * 60 / 100, low ? "#e22" : "#4a4",
	    min * 60 / 100, min * 60 / 100, pct);
}

/* Days silent per school as horizontal bars, red past SILENT_DAYS. */
static void
chart(FILE *f, const struct rows *r)
{
	int h = 14, w = 400, max = 30;

	fprintf(f,
	    "<h2>距上次上传天数</h2>\n<svg "
	    "width=\"%d\" height=\"%zu\" "
	    "role=\"img\">\n",
	    w + 120, (size_t) h * r->n + 20);
	for (size_t i = 0; i < r->n; i++) {
		int d = r->v[i].silent > max ? max : r->v[i].silent;

		fprintf(f,
		    "<text x=\"0\" y=\"%zu\" font-size=\"11\">%s</text>"
		    "<rect x=\"90\" y=\"%zu\" width=\"%d\" height=\"%d\" "
		    "fill=\"%s\"/>\n",
		    i * (size_t) h + 11, r->v[i].id, i * (size_t) h + 2,
		    d * w / max + 1, h - 3,
		    r->v[i].silent > SILENT_DAYS ? "#e22" : "#4a4");
	}
	fprintf(f,
	    "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%zu\" stroke=\"#000\" "
	    "stroke-dasharray=\"3\"/></svg>\n",
	    90 + SILENT_DAYS * w / max, 90 + SILENT_DAYS * w / max,
	    (size_t) h * r->n);
}

static int
q_fn(void *arg, int nc, const char *const *c)
{
	FILE *f = arg;

	fputs("<tr>", f);
	for (int i = 0; i < nc; i++) {
		fputs("<td>", f);
		esc(f, c[i] ? c[i] : "");
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
	return 0;
}

/* A row whose last three columns are in care, contacted, visited. */
static int
cov_fn(void *arg, int nc, const char *const *c)
{
	FILE *f = arg;
	int n;

	if (nc < 3)
		return 1;
	fputs("<tr>", f);
	for (int i = 0; i < nc - 3; i++) {
		fputs("<td>", f);
		esc(f, c[i] ? c[i] : "");
		fputs("</td>", f);
	}
	n = num(c[nc - 3]);
	fprintf(f, "<td>%d</td>", n);
	bar(f, num(c[nc - 2]), n, CONTACT_PCT);
	bar(f, num(c[nc - 1]), n, VISIT_PCT);
	fputs("</tr>\n", f);
	return 0;
}

static int
table(struct db *db, FILE *f, const char *title, const char *cols,
    const char *sql, int np, const char *const *v, int cov, char *why,
    size_t why_len)
{
	fprintf(f, "<h2>%s</h2>\n<table><tr>%s</tr>\n", title, cols);
	if (db_rows(db, sql, np, v, cov ? cov_fn : q_fn, f, why, why_len) !=
	    GU_OK)
		return GU_EIO;
	fputs("</table>\n", f);
	return GU_OK;
}

#define COV_COLS                                                               \
	"<th>在册关爱儿童</th><th>30天内已联系</th><th>本学期已家访</th>"
/*
 * The sections of a school's page, a row each.  at 0: $1 the school;
 * at 1: $1 the moment of the board, $2 the term's first day, $3 the
 * school.  cov: the last three columns are shares, drawn as bars.
 */
static const struct section {
	const char *title, *cols, *sql;
	int at, cov;
} sections[] = {
    {"设备", "<th>设备</th><th>最后上传</th><th>密钥（前16位）</th>",
        "SELECT device, to_char(last_upload AT TIME ZONE 'Asia/Shanghai', "
        "'YYYY-MM-DD HH24:MI'), left(key, 16) FROM devices WHERE "
        "school = $1 ORDER BY device",
        0, 0},
    {"班级", "<th>班级</th>" COV_COLS,
        "SELECT k.class, " COV_SQL "FROM roster_children k WHERE "
        "k.school = $3 AND " IN_CARE " GROUP BY k.class ORDER BY k.class",
        1, 1},
    {"成长导师（所带关爱儿童）", "<th>导师工号</th><th>姓名</th>" COV_COLS,
        "SELECT coalesce(nullif(k.mentor, ''), '—'), coalesce(s.name, "
        "'无导师'), " COV_SQL "FROM roster_children k LEFT JOIN "
        "roster_staff s ON s.school = k.school AND s.staff = k.mentor "
        "WHERE k.school = $3 AND " IN_CARE " GROUP BY k.mentor, s.name "
        "ORDER BY count(*) DESC, k.mentor",
        1, 1},
    {"30天内未联系的关爱儿童",
        "<th>学籍号</th><th>姓名</th><th>班级</th><th>成长导师</th><th>"
        "本学期已家访</th>",
        "SELECT k.child, k.name, k.class, k.mentor, CASE WHEN " VISITED
        " THEN '是' ELSE '否' END FROM roster_children k WHERE "
        "k.school = $3 AND " IN_CARE " AND NOT " CONTACTED
        " ORDER BY k.class, k.child",
        1, 0},
    {"各教师的记录",
        "<th>教师工号</th><th>关爱记录</th><th>家访</th><th>最近一次</th>",
        "SELECT author, count(*) FILTER (WHERE kind = 'checkin'), "
        "count(*) FILTER (WHERE kind = 'visit'), "
        "to_char(max(time) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') "
        "FROM records_live WHERE school = $1 AND kind IN ('checkin', "
        "'visit') GROUP BY author ORDER BY author",
        0, 0},
    /* Unacknowledged first; the id is what guanai-district ack takes. */
    {"未结紧急报告",
        "<th>编号</th><th>学籍号</th><th>报告时间</th><th>区教体局受理</th>",
        "SELECT c.school || '/' || c.device || '/' || c.epoch || '/' || "
        "c.seq, c.child, to_char(c.time AT TIME ZONE 'Asia/Shanghai', "
        "'YYYY-MM-DD HH24:MI'), coalesce(to_char(a.at AT TIME ZONE "
        "'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' ' || CASE a.outcome WHEN "
        "'received' THEN '受理中' WHEN 'police' THEN '已转公安' WHEN "
        "'civil' THEN '已转民政' WHEN 'handled' THEN '已处置' END || "
        "' ' || a.by, '未受理') FROM urgent_open c LEFT JOIN "
        "LATERAL (SELECT * FROM acks a WHERE a.school = c.school AND "
        "a.device = c.device AND a.epoch = c.epoch AND a.seq = c.seq "
        "ORDER BY a.id DESC LIMIT 1) a ON true WHERE c.school = $1 "
        "ORDER BY a.id IS NOT NULL, c.time",
        0, 0},
};

static int
school_page(struct db *db, const char *dir, const struct school_row *s,
    const char *today, const char *const *at, char *why, size_t why_len)
{
	const char *v[1] = {s->id}, *w[3] = {at[0], at[1], s->id};
	char path[4096], title[200];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/school-%s.html", dir, s->id);
	f = fopen(path, "we");
	if (f == NULL) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return GU_EIO;
	}
	snprintf(title, sizeof(title), "%s 学校看板（%s）", s->id, today);
	head(f, title);
	fputs("<p><a href=\"index.html\">← 全区看板</a></p>\n", f);
	rc = GU_OK;
	for (size_t i = 0;
	     rc == GU_OK && i < sizeof(sections) / sizeof(*sections); i++)
		rc = table(db, f, sections[i].title, sections[i].cols,
		    sections[i].sql, sections[i].at ? 3 : 1,
		    sections[i].at ? w : v, sections[i].cov, why, why_len);
	fputs("</body></html>\n", f);
	if (fclose(f) != 0 && rc == GU_OK) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		rc = GU_EIO;
	}
	return rc;
}

static int
overview(struct db *db, const char *dir, const struct rows *r,
    const char *today, const char *term, char *why, size_t why_len)
{
	char path[4096], fl[80], title[200];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/index.html", dir);
	f = fopen(path, "we");
	if (f == NULL) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return GU_EIO;
	}
	snprintf(title, sizeof(title), "关爱留守儿童 全区看板 %s", today);
	head(f, title);
	fprintf(f,
	    "<p>共 %zu 所学校，问题多的在前。红色：超过 %d 天未上传，%d "
	    "天内未开展安全教育讲座，紧急报告超过 %d 天未结，在册关爱儿童中 "
	    "30 天内已联系的不足 %d%% 或本学期（自 %s 起）已家访的不足 "
	    "%d%%；黄色：有未结的紧急报告；有区教体局未受理报告的学校排在最前。"
	    "</p>\n"
	    "<table><tr><th>学校</th><th>最后上传</th><th>设备</th>"
	    "<th>未上传天数</th><th>本月记录</th><th>在册关爱儿童</th>"
	    "<th>30天内已联系</th><th>本学期已家访</th><th>安全讲座（30天）"
	    "</th><th>出勤率</th><th>未结紧急报告</th><th>未受理</th><th>"
	    "最久未结（天）</th></tr>\n",
	    r->n, SILENT_DAYS, LECTURE_DAYS, URGENT_DAYS, CONTACT_PCT, term,
	    VISIT_PCT);
	for (size_t i = 0; i < r->n; i++) {
		const struct school_row *s = &r->v[i];
		int att = s->present + s->absent
		    ? 100 * s->present / (s->present + s->absent)
		    : 0;

		flags(s, fl, sizeof(fl));
		fprintf(f,
		    "<tr id=\"%s\" data-flags=\"%s\"%s><td><a "
		    "href=\"school-%s.html\">%s</a></td><td>%s</td><td>%d</td>"
		    "<td%s>%d</td><td>%d</td><td>%d</td>",
		    s->id, fl[0] ? fl + 1 : "",
		    s->urgent ? " class=\"urgent\"" : "", s->id, s->id, s->last,
		    s->devices, s->silent > SILENT_DAYS ? " class=\"bad\"" : "",
		    s->silent, s->month, s->care);
		bar(f, s->c30, s->care, CONTACT_PCT);
		bar(f, s->vt, s->care, VISIT_PCT);
		fprintf(f,
		    "<td%s>%d</td><td>%d%%</td><td%s>%d</td><td%s>%d</td>"
		    "<td%s>%d</td></tr>\n",
		    s->lectures == 0 ? " class=\"bad\"" : "", s->lectures, att,
		    s->urgent ? " class=\"bad\"" : "", s->urgent,
		    s->unacked ? " class=\"bad\"" : "", s->unacked,
		    s->urgent && s->uage > URGENT_DAYS ? " class=\"bad\"" : "",
		    s->uage);
	}
	fputs("</table>\n", f);
	chart(f, r);
	rc = table(db, f, "被隔离的批次",
	    "<th>文件</th><th>学校</th><th>原因</th><th>首次发现</th>",
	    "SELECT name, coalesce(school, ''), reason, to_char(first_seen AT "
	    "TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') FROM quarantine "
	    "WHERE NOT resolved ORDER BY first_seen, name",
	    0, NULL, 0, why, why_len);
	fputs("</body></html>\n", f);
	if (fclose(f) != 0 && rc == GU_OK) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		rc = GU_EIO;
	}
	return rc;
}

/* Copies the font file into the board (no CDN: the page's own file). */
static int
copy_font(const char *font, const char *dir)
{
	char path[4096], buf[65536];
	FILE *in, *out;
	size_t n;
	int rc = GU_OK;

	snprintf(path, sizeof(path), "%s/board-font.ttc", dir);
	in = fopen(font, "re");
	if (in == NULL)
		return GU_ENOTFOUND;
	out = fopen(path, "we");
	if (out == NULL) {
		fclose(in);
		return GU_EIO;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = GU_EIO;
	fclose(in);
	if (fclose(out) != 0)
		rc = GU_EIO;
	return rc;
}

/*
 * The first day of the term of the day YYYY-MM-DD, as YYYY-MM-DD: the
 * default core/care_rules.c takes without a school calendar (the
 * district holds none), through its own care_rules_term_start().
 */
static int
term_of(const char *day, char *out, size_t cap)
{
	struct care_rules cr = {.contact_days = 14,
	    .term_start_day = 0,
	    .tz_min = 480,
	    .cal = NULL};
	struct tm tm;
	uint32_t t;

	memset(&tm, 0, sizeof(tm));
	if (strptime(day, "%Y-%m-%d", &tm) == NULL)
		return GU_EINVAL;
	tm.tm_hour = 4; /* noon in Beijing */
	t = care_rules_term_start(&cr, (int64_t) timegm(&tm) * 1000);
	snprintf(out, cap, "%04u-%02u-%02u", (unsigned) (t / 10000),
	    (unsigned) (t / 100 % 100), (unsigned) (t % 100));
	return GU_OK;
}

int
cmd_report(int argc, char **argv)
{
	struct dconf *c = malloc(sizeof(*c));
	struct rows r = {.v = NULL, .n = 0, .cap = 0};
	struct db *db = NULL;
	const char *conf = NULL, *dir = NULL, *day = NULL, *font = NULL;
	char today[40], why[4200];
	const char *v[4];
	char t[64], term[64], ts[16], cp[8], vp[8];
	int ret = 2;
	time_t now = time(NULL);
	struct tm tm;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc)
			day = argv[++i];
		else if (strcmp(argv[i], "--font") == 0 && i + 1 < argc)
			font = argv[++i];
		else if (dir == NULL && argv[i][0] != '-')
			dir = argv[i];
		else
			conf = dir = NULL, i = argc;
	}
	if (conf == NULL || dir == NULL || c == NULL ||
	    (day != NULL && strlen(day) != 10)) {
		fprintf(stderr,
		    "usage: guanai-district report --config FILE "
		    "[--today YYYY-MM-DD] OUTDIR\n");
		free(c);
		return 2;
	}
	if (day == NULL) {
		localtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	} else
		snprintf(today, sizeof(today), "%s", day);
	if (dconf_load(c, conf) != GU_OK)
		goto out;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "guanai-district report: %s: %s\n", dir,
		    strerror(errno));
		goto out;
	}
	if (font != NULL && copy_font(font, dir) != GU_OK) {
		fprintf(stderr,
		    "guanai-district report: --font %s: cannot copy\n", font);
		goto out;
	}
	if (db_open(c->database, &db, why, sizeof(why)) != GU_OK) {
		fprintf(stderr, "%s: database: %s\n", conf, why);
		goto out;
	}
	if (term_of(today, ts, sizeof(ts)) != GU_OK) {
		fprintf(stderr,
		    "guanai-district report: --today %s: not a "
		    "day\n",
		    today);
		goto out;
	}
	/* the end of the day given and the term's first, Beijing time */
	snprintf(t, sizeof(t), "%s 24:00:00+08", today);
	snprintf(term, sizeof(term), "%s 00:00:00+08", ts);
	snprintf(cp, sizeof(cp), "%d", CONTACT_PCT);
	snprintf(vp, sizeof(vp), "%d", VISIT_PCT);
	v[0] = t, v[1] = term, v[2] = cp, v[3] = vp;
	if (db_rows(db, OVERVIEW, 4, v, row_fn, &r, why, sizeof(why)) != GU_OK)
		goto fail;
	if (overview(db, dir, &r, today, ts, why, sizeof(why)) != GU_OK)
		goto fail;
	for (size_t i = 0; i < r.n; i++)
		if (school_page(db, dir, &r.v[i], today, v, why, sizeof(why)) !=
		    GU_OK)
			goto fail;
	printf("report: %zu schools into %s\n", r.n, dir);
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "guanai-district report: %s\n", why);
	ret = 1;
out:
	db_close(db);
	free(r.v);
	free(c);
	return ret;
}
