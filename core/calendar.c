/*
 * calendar.c: the school calendar's text format, its default and the
 * questions asked of it (calendar.h, docs/calendar.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "record.h"
#include "status.h"

/* The holidays, one row each: word, Chinese name. */
static const struct {
	const char *word, *zh;
} holidays[] = {
    {"yuandan", "元旦"},
    {"hanjia", "寒假"},
    {"chunjie", "春节"},
    {"qingming", "清明"},
    {"laodong", "劳动节"},
    {"duanwu", "端午"},
    {"zhongqiu", "中秋"},
    {"guoqing", "国庆"},
    {"shujia", "暑假"},
    {"other", "其他"},
};
#define N_HOLIDAYS (sizeof(holidays) / sizeof(holidays[0]))

size_t
cal_holiday_count(void)
{
	return N_HOLIDAYS;
}

const char *
cal_holiday_word(unsigned i)
{
	return i < N_HOLIDAYS ? holidays[i].word : "?";
}

const char *
cal_holiday_zh(unsigned i)
{
	return i < N_HOLIDAYS ? holidays[i].zh : "?";
}

/* ---- days ---- */

static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static uint32_t
civil_from_days(int64_t days)
{
	int64_t z = days + 719468, era, doe, yoe, y, doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999)
		return 0;
	return (uint32_t) (y * 10000 + m * 100 + d);
}

static int64_t
day_number(uint32_t day)
{
	return days_from_civil(day / 10000, day / 100 % 100, day % 100);
}

uint32_t
cal_day_add(uint32_t day, int n)
{
	return civil_from_days(day_number(day) + n);
}

int
cal_days_between(uint32_t from, uint32_t to)
{
	return (int) (day_number(to) - day_number(from));
}

int
cal_weekday(uint32_t day)
{
	int64_t w = (day_number(day) + 3) % 7; /* 1970-01-01: a Thursday */

	return (int) (w < 0 ? w + 7 : w);
}

uint32_t
cal_day_of(int64_t time_ms, int tz_min)
{
	int64_t secs = time_ms / 1000 - (time_ms % 1000 < 0);

	secs += (int64_t) tz_min * 60;
	return civil_from_days(secs / 86400 - (secs % 86400 < 0));
}

int64_t
cal_day_start_ms(uint32_t day, int tz_min)
{
	return (day_number(day) * 86400 - (int64_t) tz_min * 60) * 1000;
}

/* ---- questions ---- */

const struct cal_span *
calendar_holiday_at(const struct calendar *c, uint32_t day)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->span[i].kind == CAL_HOLIDAY && c->span[i].from <= day &&
		    day <= c->span[i].to)
			return &c->span[i];
	return NULL;
}

uint32_t
calendar_next_school_day(const struct calendar *c, uint32_t day)
{
	uint32_t d = day;

	for (int i = 0; i < 366; i++) {
		d = cal_day_add(d, 1);
		if (cal_weekday(d) < 5 &&
		    (c == NULL || calendar_holiday_at(c, d) == NULL))
			return d;
	}
	return cal_day_add(day, 1);
}

const struct cal_span *
calendar_next_holiday(const struct calendar *c, uint32_t day)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->span[i].kind == CAL_HOLIDAY && c->span[i].from > day)
			return &c->span[i];
	return NULL;
}

uint32_t
calendar_term_start(const struct calendar *c, uint32_t day)
{
	uint32_t best = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->span[i].kind == CAL_TERM && c->span[i].from <= day)
			best = c->span[i].from;
	return best;
}

static int
day_ok(uint32_t day)
{
	char s[16];

	snprintf(s, sizeof(s), "%04u-%02u-%02u", (unsigned) (day / 10000),
	    (unsigned) (day / 100 % 100), (unsigned) (day % 100));
	return day <= 99991231 && rec_date_ok(s);
}

/* Why the spans are not a calendar, or NULL. */
static const char *
spans_wrong(const struct calendar *c, size_t *at)
{
	uint32_t last_to[3] = {0, 0, 0};
	int seen[3] = {0, 0, 0};

	for (size_t i = 0; i < c->n; i++) {
		const struct cal_span *p = &c->span[i];
		*at = i;
		if (p->kind != CAL_TERM && p->kind != CAL_HOLIDAY)
			return "unknown span kind";
		if (p->kind == CAL_HOLIDAY && p->holiday >= N_HOLIDAYS)
			return "unknown holiday";
		if (p->kind == CAL_TERM && p->holiday != 0)
			return "a term names a holiday";
		if (!day_ok(p->from) || !day_ok(p->to))
			return "not a real day";
		if (p->from > p->to)
			return "ends before it starts";
		if (i > 0 && c->span[i - 1].from > p->from)
			return "not in order of their first day";
		if (seen[p->kind] && p->from <= last_to[p->kind])
			return p->kind == CAL_TERM
			    ? "overlaps the term before"
			    : "overlaps the holiday before";
		seen[p->kind] = 1;
		last_to[p->kind] = p->to;
	}
	*at = c->n;
	if (!seen[CAL_TERM])
		return "no term";
	if (!seen[CAL_HOLIDAY])
		return "no holiday";
	return NULL;
}

int
calendar_ok(const struct calendar *c)
{
	size_t at;

	return c->n <= CAL_SPAN_MAX && spans_wrong(c, &at) == NULL;
}

/* ---- the text ---- */

struct parse {
	struct calendar *c;
	unsigned lines[CAL_SPAN_MAX];
	int header;
};

uint32_t
cal_date_day(const char *s)
{
	uint32_t v = 0;

	if (s == NULL || !rec_date_ok(s))
		return 0;
	for (int i = 0; i < 10; i++)
		if (s[i] != '-')
			v = v * 10 + (uint32_t) (s[i] - '0');
	return v;
}

static int
parse_day(const char *s, uint32_t *out)
{
	*out = cal_date_day(s);
	return *out != 0;
}

static int
holiday_index(const char *name)
{
	for (size_t i = 0; i < N_HOLIDAYS; i++)
		if (strcmp(name, holidays[i].word) == 0 ||
		    strcmp(name, holidays[i].zh) == 0)
			return (int) i;
	return -1;
}

/* Splits v at runs of spaces into at most max words; returns how many. */
static int
words(char *v, char **w, int max)
{
	int n = 0;

	while (*v) {
		while (*v == ' ' || *v == '\t')
			*v++ = '\0';
		if (*v == '\0')
			break;
		if (n == max)
			return max + 1;
		w[n++] = v;
		while (*v && *v != ' ' && *v != '\t')
			v++;
	}
	return n;
}

static int
line_fn(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct parse *p = arg;
	struct cal_span sp = {0, 0, 0, 0};
	char *w[4];
	int n, h, days = 2;

	if (!p->header) {
		if (strcmp(l->key, "calendar") != 0) {
			snprintf(why, why_len,
			    "expected \"calendar = %d\" first", CAL_FORMAT);
			return GU_EINVAL;
		}
		if (strcmp(l->value, "1") != 0) {
			snprintf(why, why_len,
			    "calendar format %.20s is not known (this reads "
			    "%d)",
			    l->value, CAL_FORMAT);
			return GU_EVERSION;
		}
		p->header = 1;
		return GU_OK;
	}
	if (strcmp(l->key, "term") == 0) {
		sp.kind = CAL_TERM;
	} else if (strcmp(l->key, "holiday") == 0) {
		sp.kind = CAL_HOLIDAY;
		days = 3;
	} else {
		snprintf(why, why_len, "unknown key \"%.40s\" (term, holiday)",
		    l->key);
		return GU_EINVAL;
	}
	n = words(l->value, w, 3);
	if (n != days) {
		snprintf(why, why_len, "%s: expected %s", l->key,
		    days == 2 ? "FROM TO" : "NAME FROM TO");
		return GU_EINVAL;
	}
	if (days == 3) {
		h = holiday_index(w[0]);
		if (h < 0) {
			snprintf(why, why_len,
			    "holiday: unknown name \"%.40s\"", w[0]);
			return GU_EINVAL;
		}
		sp.holiday = (uint8_t) h;
	}
	if (!parse_day(w[days - 2], &sp.from) ||
	    !parse_day(w[days - 1], &sp.to)) {
		snprintf(why, why_len,
		    "%s: a day is not YYYY-MM-DD (2000-2099)", l->key);
		return GU_EINVAL;
	}
	if (sp.from > sp.to) {
		snprintf(why, why_len, "%s: ends before it starts", l->key);
		return GU_EINVAL;
	}
	if (p->c->n == CAL_SPAN_MAX) {
		snprintf(why, why_len, "more than %d terms and holidays",
		    CAL_SPAN_MAX);
		return GU_ETOOBIG;
	}
	p->lines[p->c->n] = l->line;
	p->c->span[p->c->n++] = sp;
	return GU_OK;
}

static int
by_from(const void *a, const void *b)
{
	const struct cal_span *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->kind - y->kind;
}

int
calendar_parse(const char *name, const char *text, size_t len,
    struct calendar *out, kv_err_fn err, void *err_arg)
{
	struct kv_opts o = {.keep_going = 1};
	struct parse p;
	const char *w;
	size_t at;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.c = out;
	if (len > CAL_FILE_MAX) {
		if (err)
			err(err_arg, name, 0, "file too big");
		return GU_ETOOBIG;
	}
	rc = kv_parse_buf(name, text, len, &o, line_fn, &p, err, err_arg);
	if (rc != GU_OK)
		return rc;
	if (!p.header) {
		if (err)
			err(err_arg, name, 0, "no \"calendar = 1\" line");
		return GU_EINVAL;
	}
	/* Order by first day, keeping the lines for the messages. */
	{
		struct {
			struct cal_span s;
			unsigned line;
		} tmp[CAL_SPAN_MAX];
		memset(tmp, 0, sizeof(tmp));
		for (size_t i = 0; i < out->n; i++) {
			tmp[i].s = out->span[i];
			tmp[i].line = p.lines[i];
		}
		qsort(tmp, out->n, sizeof(tmp[0]), by_from);
		for (size_t i = 0; i < out->n; i++) {
			out->span[i] = tmp[i].s;
			p.lines[i] = tmp[i].line;
		}
	}
	w = spans_wrong(out, &at);
	if (w != NULL) {
		if (err)
			err(err_arg, name, at < out->n ? p.lines[at] : 0, w);
		return GU_EINVAL;
	}
	return GU_OK;
}

int
calendar_parse_file(
    const char *path, struct calendar *out, kv_err_fn err, void *err_arg)
{
	char *buf = malloc(CAL_FILE_MAX + 1);
	FILE *f;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return GU_ENOMEM;
	f = fopen(path, "rb");
	if (f == NULL) {
		if (err)
			err(err_arg, path, 0, "cannot be opened");
		free(buf);
		return GU_EIO;
	}
	n = fread(buf, 1, CAL_FILE_MAX + 1, f);
	rc = ferror(f) ? GU_EIO : GU_OK;
	fclose(f);
	if (rc != GU_OK && err)
		err(err_arg, path, 0, "cannot be read");
	if (rc == GU_OK)
		rc = calendar_parse(path, buf, n, out, err, err_arg);
	free(buf);
	return rc;
}

void
calendar_default(struct calendar *c, uint32_t day)
{
	uint32_t y0 = day / 10000;

	memset(c, 0, sizeof(*c));
	c->is_default = 1;
	if (y0 < 2001 || y0 > 2098)
		y0 = y0 < 2001 ? 2001 : 2098;
	for (uint32_t y = y0 - 1; y <= y0 + 1; y++) {
		const struct cal_span s[] = {
		    {CAL_HOLIDAY, 0, y * 10000 + 101, y * 10000 + 101},
		    {CAL_HOLIDAY, 1, y * 10000 + 120, y * 10000 + 214},
		    {CAL_TERM, 0, y * 10000 + 215, y * 10000 + 704},
		    {CAL_HOLIDAY, 4, y * 10000 + 501, y * 10000 + 505},
		    {CAL_HOLIDAY, 8, y * 10000 + 705, y * 10000 + 831},
		    {CAL_TERM, 0, y * 10000 + 901, (y + 1) * 10000 + 119},
		    {CAL_HOLIDAY, 7, y * 10000 + 1001, y * 10000 + 1007},
		};
		for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
			c->span[c->n++] = s[i];
	}
	qsort(c->span, c->n, sizeof(c->span[0]), by_from);
}
