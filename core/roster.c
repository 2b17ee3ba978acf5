/*
 * roster.c: roster import (the formats are in roster.h and
 * docs/roster.md).  It owns the column names, the value checks and the
 * cross-file checks (duplicate ids, mentors); csv.c does the bytes and
 * store_roster_replace() the one write transaction.
 *
 * How a run goes: each file is read row by row into arrays, every value
 * checked as it comes; problems are buffered (at most max_errors of them)
 * rather than printed at once, because the mentor check of the children
 * file needs the staff file, and the user wants them in file and line
 * order.  Only a run with no problem at all goes on to hash PINs and write.
 */
#include "roster.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "record.h"
#include "status.h"

#define MEMBER_MAX(type, m) (sizeof(((type *) 0)->m) - 1)
#define SHOW_LEN 48       /* bytes of a value quoted in a message */
#define ROSTER_FIELDS 256 /* columns a file may have, most ignored */
#define IDX_SLOTS 65536   /* > 2 * ROSTER_MAX_ROWS, a power of two */
#define HEADER_ROWS 5     /* rows looked at to find the header */

enum file_ix { FILE_CHILDREN = 0, FILE_STAFF = 1 };

/* ---- Columns ---- */

enum ccol {
	C_ID,
	C_NAME,
	C_SEX,
	C_BIRTH,
	C_GRADE,
	C_CLASS,
	C_CATEGORY,
	C_GUARDIAN,
	C_RELATION,
	C_PHONE,
	C_MENTOR,
	C_ADDRESS,
	C_NCOLS
};

enum scol { S_ID, S_NAME, S_ROLES, S_PIN, S_NCOLS };

struct colspec {
	const char *zh;     /* the Chinese header, matched exactly */
	const char *en;     /* the English alias, matched ignoring case */
	const char *zh_alt; /* another Chinese header seen in exports */
	int required;
};

static const struct colspec child_cols[C_NCOLS] = {
    [C_ID] = {"学籍号", "id", "学籍编号", 1},
    [C_NAME] = {"姓名", "name", "学生姓名", 1},
    [C_SEX] = {"性别", "sex", NULL, 0},
    [C_BIRTH] = {"出生日期", "birth_date", "出生年月日", 0},
    [C_GRADE] = {"年级", "grade", NULL, 0},
    [C_CLASS] = {"班级", "class", NULL, 1},
    [C_CATEGORY] = {"类别", "category", "儿童类别", 0},
    [C_GUARDIAN] = {"监护人", "guardian", "监护人姓名", 0},
    [C_RELATION] = {"监护关系", "guardian_relation", "与监护人关系", 0},
    [C_PHONE] = {"监护人电话", "guardian_phone", "联系电话", 0},
    [C_MENTOR] = {"成长导师工号", "mentor_id", "导师工号", 0},
    [C_ADDRESS] = {"住址", "address", "家庭住址", 0},
};

static const struct colspec staff_cols[S_NCOLS] = {
    [S_ID] = {"工号", "id", "教师工号", 1},
    [S_NAME] = {"姓名", "name", "教师姓名", 1},
    [S_ROLES] = {"角色", "roles", "职务", 1},
    [S_PIN] = {"初始PIN", "initial_pin", "初始密码", 1},
};

/* ---- Problems ---- */

struct problem {
	uint8_t file;
	unsigned line;
	unsigned order;
	char msg[ROSTER_MSG_LEN];
};

struct ctx {
	const char *names[2];
	int usable[2]; /* the file's rows could be read (header fine) */
	roster_err_fn fn;
	void *arg;
	unsigned max_errors;
	unsigned n_errors;
	struct problem *probs; /* max_errors slots */
	size_t n_probs;
	int oom;
};

static void problem(struct ctx *x, int file, unsigned line, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
problem(struct ctx *x, int file, unsigned line, const char *fmt, ...)
{
	struct problem *p;
	va_list ap;

	x->n_errors++;
	if (x->n_probs >= x->max_errors || x->probs == NULL)
		return;
	p = &x->probs[x->n_probs];
	p->file = (uint8_t) file;
	p->line = line;
	p->order = (unsigned) x->n_probs;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	x->n_probs++;
}

static int
problem_cmp(const void *a, const void *b)
{
	const struct problem *p = a, *q = b;

	if (p->file != q->file)
		return p->file < q->file ? -1 : 1;
	if (p->line != q->line)
		return p->line < q->line ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/* Sends the buffered problems to the callback in file and line order. */
static void
problems_flush(struct ctx *x)
{
	char msg[ROSTER_MSG_LEN];
	size_t i;

	if (x->fn == NULL || x->probs == NULL)
		return;
	qsort(x->probs, x->n_probs, sizeof(*x->probs), problem_cmp);
	for (i = 0; i < x->n_probs; i++)
		x->fn(x->arg, x->names[x->probs[i].file], x->probs[i].line,
		    x->probs[i].msg);
	if (x->n_errors > x->n_probs) {
		snprintf(msg, sizeof(msg),
		    "%u more problems not shown (the first %zu are above)",
		    x->n_errors - (unsigned) x->n_probs, x->n_probs);
		x->fn(x->arg, x->names[FILE_CHILDREN], 0, msg);
	}
}

/*
 * Copies at most SHOW_LEN bytes of v into out for a message, cut at a
 * UTF-8 character boundary, with "..." when cut.
 */
static const char *
show(const char *v, char out[SHOW_LEN + 4])
{
	size_t n = strlen(v);

	if (n <= SHOW_LEN) {
		memcpy(out, v, n + 1);
		return out;
	}
	n = SHOW_LEN;
	while (n > 0 && ((unsigned char) v[n] & 0xC0) == 0x80)
		n--;
	memcpy(out, v, n);
	memcpy(out + n, "...", 4);
	return out;
}

/* ---- Values ---- */

/*
 * Copies field s into out (cap bytes): line breaks, tabs and U+00A0
 * (no-break space) become spaces, and spaces and U+3000 (ideographic
 * space, which WPS users type) are trimmed at both ends.  Returns 0, or -1 when a control
 * character other than those is in s.  s is at most CSV_MAX_FIELD_LEN
 * bytes and cap is larger, so nothing is cut.
 */
static int
clean(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s), i, a = 0, b;
	int bad = 0;

	if (n >= cap)
		n = cap - 1;
	for (i = 0, b = 0; i < n; i++) {
		unsigned char ch = (unsigned char) s[i];
		if (ch == '\n' || ch == '\r' || ch == '\t')
			ch = ' ';
		else if (ch < 0x20 || ch == 0x7F)
			bad = 1;
		else if (ch == 0xC2 && i + 1 < n &&
		    (unsigned char) s[i + 1] == 0xA0) {
			/* U+00A0, the no-break space Excel copies from web. */
			ch = ' ';
			i++;
		}
		out[b++] = (char) ch;
	}
	out[b] = '\0';
	for (;;) {
		if (a < b && out[a] == ' ') {
			a++;
		} else if (b - a >= 3 &&
		    memcmp(out + a, "\xE3\x80\x80", 3) == 0) {
			a += 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (b > a && out[b - 1] == ' ') {
			b--;
		} else if (b - a >= 3 &&
		    memcmp(out + b - 3, "\xE3\x80\x80", 3) == 0) {
			b -= 3;
		} else {
			break;
		}
	}
	memmove(out, out + a, b - a);
	out[b - a] = '\0';
	return bad ? -1 : 0;
}

/*
 * Folds full-width ASCII (U+FF01..U+FF5E, what a Chinese input method
 * types in full-width mode: Ｇ２０１５, １３８－０００) to ASCII in place,
 * and U+3000 to a space.  Used on ids, phones, dates and PINs, which are
 * ASCII by definition; names keep what they have.
 */
static void
fold_fullwidth(char *s)
{
	unsigned char *r = (unsigned char *) s, *w = r;
	unsigned cp;

	while (*r != '\0') {
		if (r[0] == 0xEF && (r[1] == 0xBC || r[1] == 0xBD) &&
		    r[2] >= 0x80 && r[2] <= 0xBF) {
			cp = 0xFF00u | (unsigned) (r[1] & 0x03) << 6 |
			    (unsigned) (r[2] & 0x3F);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				*w++ = (unsigned char) (cp - 0xFEE0);
				r += 3;
				continue;
			}
		} else if (r[0] == 0xE3 && r[1] == 0x80 && r[2] == 0x80) {
			*w++ = ' ';
			r += 3;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/* U+3000 inside s becomes a space, in place. */
static void
fold_spaces(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (strncmp(r, "\xE3\x80\x80", 3) == 0) {
			*w++ = ' ';
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* ASCII case-insensitive equality. */
static int
eq_nocase(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char p = *a, q = *b;
		if (p >= 'A' && p <= 'Z')
			p = (char) (p - 'A' + 'a');
		if (q >= 'A' && q <= 'Z')
			q = (char) (q - 'A' + 'a');
		if (p != q)
			return 0;
	}
	return *a == *b;
}

/*
 * Parses one integer of 1..max_digits digits at *p, advancing *p.
 * Returns -1 when there is none.
 */
static int
digits(const char **p, int min_digits, int max_digits)
{
	int v = 0, n = 0;

	while (**p >= '0' && **p <= '9' && n < max_digits) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < min_digits || (**p >= '0' && **p <= '9'))
		return -1;
	return v;
}

/*
 * Nonzero when p is " H:MM" or " H:MM:SS" (one or more spaces first): the
 * time Excel puts after a date cell formatted as a date and time
 * (2016/3/20 0:00).  The time is checked and dropped.
 */
static int
time_ok(const char *p)
{
	int h, mi, sec = 0;

	if (*p != ' ')
		return 0;
	while (*p == ' ')
		p++;
	h = digits(&p, 1, 2);
	if (h < 0 || h > 23 || *p++ != ':')
		return 0;
	mi = digits(&p, 2, 2);
	if (mi < 0 || mi > 59)
		return 0;
	if (*p == ':') {
		p++;
		sec = digits(&p, 2, 2);
		if (sec < 0 || sec > 59)
			return 0;
	}
	return *p == '\0';
}

/*
 * An Excel serial day number (5 digits; what a date cell shows when it
 * was formatted as a number: 42449 is 2016-03-20) into out.  Excel counts
 * 1 as 1900-01-01 and has a 1900-02-29 that never was, so from 61 on
 * serial n is day n after 1899-12-30.  Returns 0, or -2 outside 1900..2099
 * (5 digits cover 1927-05-18 onwards).
 */
static int
serial_date(const char *s, char out[11])
{
	long n = 0, z, era, doe, yoe, doy, mp, y, m, d;
	int i;

	for (i = 0; i < 5; i++)
		n = n * 10 + (s[i] - '0');
	/* Days since 1970-01-01, then the civil date (Hinnant's method). */
	z = n - 25569 + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	if (y < 1900 || y > 2099)
		return -2;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned) y % 10000u,
	    (unsigned) m % 100u, (unsigned) d % 100u);
	return 0;
}

/*
 * Parses a birth date in one of the accepted forms into out
 * ("YYYY-MM-DD").  Returns 0, -1 when s has none of the forms, -2 when it
 * has one but is not a real day of 1900..2099.
 */
static int
parse_date(const char *s, char out[11])
{
	static const int mdays[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *p = s;
	int y, m, d, leap, dim;
	size_t nd = strspn(s, "0123456789");

	if (nd == 5 && (s[5] == '\0' || s[5] == '.')) {
		/* An Excel serial day, perhaps with a time as a fraction. */
		if (s[5] == '.' &&
		    (s[6] == '\0' ||
		        strspn(s + 6, "0123456789") != strlen(s + 6)))
			return -1;
		return serial_date(s, out);
	}
	if (nd == 8 && s[8] == '\0') {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		    (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[4] - '0') * 10 + (s[5] - '0');
		d = (s[6] - '0') * 10 + (s[7] - '0');
	} else {
		y = digits(&p, 4, 4);
		if (y < 0)
			return -1;
		if (strncmp(p, "年", 3) == 0) {
			p += 3;
			m = digits(&p, 1, 2);
			if (m < 0 || strncmp(p, "月", 3) != 0)
				return -1;
			p += 3;
			d = digits(&p, 1, 2);
			if (d < 0 || strcmp(p, "日") != 0)
				return -1;
		} else {
			char sep = *p;
			if (sep != '-' && sep != '/' && sep != '.')
				return -1;
			p++;
			m = digits(&p, 1, 2);
			if (m < 0 || *p != sep)
				return -1;
			p++;
			d = digits(&p, 1, 2);
			if (d < 0 || (*p != '\0' && !time_ok(p)))
				return -1;
		}
	}
	if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
		return -2;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	dim = mdays[m - 1] + (m == 2 && leap);
	if (d > dim)
		return -2;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned) y % 10000u,
	    (unsigned) m % 100u, (unsigned) d % 100u);
	return 0;
}

/*
 * Splits s at ; ； , ， 、 and calls one(word) for each non-empty trimmed
 * part.  Returns the first nonzero one() result, else 0.
 */
static int
split_words(const char *s, int (*one)(void *, const char *), void *arg)
{
	char word[CSV_MAX_FIELD_LEN + 1];
	const char *p = s;
	size_t n = 0;
	int rc;

	for (;;) {
		size_t sep = 0;
		if (*p == '\0')
			sep = 0;
		else if (*p == ';' || *p == ',')
			sep = 1;
		else if (strncmp(p, "；", 3) == 0 || strncmp(p, "，", 3) == 0 ||
		    strncmp(p, "、", 3) == 0)
			sep = 3;
		else {
			if (n < sizeof(word) - 1)
				word[n++] = *p;
			p++;
			continue;
		}
		word[n] = '\0';
		while (n > 0 && word[n - 1] == ' ')
			word[--n] = '\0';
		n = strspn(word, " ");
		if (word[n] != '\0') {
			rc = one(arg, word + n);
			if (rc != 0)
				return rc;
		}
		n = 0;
		if (*p == '\0')
			return 0;
		p += sep;
	}
}

struct words {
	unsigned bits;
	char bad[SHOW_LEN + 4];
};

static int
one_category(void *arg, const char *w)
{
	struct words *ws = arg;

	if (strcmp(w, "留守") == 0 || strcmp(w, "留守儿童") == 0 ||
	    strcmp(w, "农村留守儿童") == 0 || eq_nocase(w, "left_behind") ||
	    eq_nocase(w, "left-behind"))
		ws->bits |= CAT_LEFT_BEHIND;
	else if (strcmp(w, "困境") == 0 || strcmp(w, "困境儿童") == 0 ||
	    eq_nocase(w, "in_difficulty") || eq_nocase(w, "in-difficulty"))
		ws->bits |= CAT_IN_DIFFICULTY;
	else if (strcmp(w, "无") != 0 && strcmp(w, "-") != 0) {
		show(w, ws->bad);
		return 1;
	}
	return 0;
}

static int
one_role(void *arg, const char *w)
{
	struct words *ws = arg;

	if (strcmp(w, "导师") == 0 || strcmp(w, "成长导师") == 0 ||
	    eq_nocase(w, "mentor"))
		ws->bits |= ROLE_MENTOR;
	else if (strcmp(w, "班主任") == 0 || eq_nocase(w, "teacher"))
		ws->bits |= ROLE_TEACHER;
	else if (strcmp(w, "校长") == 0 || eq_nocase(w, "head") ||
	    eq_nocase(w, "headteacher"))
		ws->bits |= ROLE_HEAD;
	else {
		show(w, ws->bad);
		return 1;
	}
	return 0;
}

/* Nonzero when s looks like a phone number: digits, + - ( ) and spaces. */
static int
phone_ok(const char *s)
{
	size_t nd = 0;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			nd++;
		else if (strchr("+-() ", *s) == NULL)
			return 0;
	}
	return nd >= 3 && nd <= 20;
}

/* ---- A small index of strings (ids, class names) ---- */

typedef const char *(*key_fn)(const void *base, uint32_t i);

struct idx {
	uint32_t *slot; /* row + 1, 0 empty */
};

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char) *s) * 16777619u;
	return h;
}

/*
 * Finds key; returns its row, or adds row add (when add != UINT32_MAX) and
 * returns UINT32_MAX.  The table never fills: rows <= ROSTER_MAX_ROWS.
 */
static uint32_t
idx_find_add(
    struct idx *t, const char *key, key_fn kf, const void *base, uint32_t add)
{
	uint32_t h = hash_str(key) & (IDX_SLOTS - 1);

	while (t->slot[h] != 0) {
		uint32_t r = t->slot[h] - 1;
		if (strcmp(kf(base, r), key) == 0)
			return r;
		h = (h + 1) & (IDX_SLOTS - 1);
	}
	if (add != UINT32_MAX)
		t->slot[h] = add + 1;
	return UINT32_MAX;
}

static const char *
child_id_of(const void *base, uint32_t i)
{
	return ((const struct child *) base)[i].id;
}

static const char *
child_class_of(const void *base, uint32_t i)
{
	return ((const struct child *) base)[i].class_name;
}

static const char *
staff_id_of(const void *base, uint32_t i)
{
	return ((const struct staff *) base)[i].id;
}

/* ---- Reading one file ---- */

/* A file's header: which CSV column holds each known column, as named. */
struct header {
	int col[C_NCOLS];                 /* CSV field index, -1 when absent */
	char name[C_NCOLS][SHOW_LEN + 4]; /* as the file wrote it */
	uint8_t required[C_NCOLS];        /* the column must have a value */
	size_t n_fields;
	unsigned line;
};

/* Normalises an English header: lower case, ' ' and '-' become '_'. */
static void
norm_en(const char *s, char *out, size_t cap)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < cap; i++) {
		char ch = s[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char) (ch - 'A' + 'a');
		else if (ch == ' ' || ch == '-')
			ch = '_';
		out[i] = ch;
	}
	out[i] = '\0';
}

/*
 * The column of cols that header cell s names (Chinese, its other
 * Chinese name, or the English alias), or -1.  The name as cleaned goes
 * to name (cap bytes).
 */
static int
match_col(const char *s, const struct colspec *cols, int ncols, char *name,
    size_t cap)
{
	char en[64], zh[64];
	size_t len;
	char *p;
	int k;

	clean(s, name, cap);
	/* A full-width space inside (姓　名) counts as a space too. */
	fold_spaces(name);
	/* Templates mark required columns with '*'. */
	p = name;
	while (*p == '*')
		p++;
	len = strlen(p);
	while (len > 0 && p[len - 1] == '*')
		p[--len] = '\0';
	memmove(name, p, len + 1);
	norm_en(name, en, sizeof(en));
	/* 姓 名: people space out short headers to line them up. */
	for (p = name, len = 0; *p != '\0' && len + 1 < sizeof(zh); p++)
		if (*p != ' ')
			zh[len++] = *p;
	zh[len] = '\0';
	for (k = 0; k < ncols; k++) {
		if (strcmp(zh, cols[k].zh) == 0 ||
		    strcmp(en, cols[k].en) == 0 ||
		    (cols[k].zh_alt != NULL && strcmp(zh, cols[k].zh_alt) == 0))
			return k;
	}
	return -1;
}

/* How many cells of row name a column of cols; with required only. */
static int
count_cols(const struct csv_row *row, const struct colspec *cols, int ncols,
    int required_only)
{
	char v[CSV_MAX_FIELD_LEN + 1];
	unsigned seen = 0;
	size_t i;
	int k, n = 0;

	for (i = 0; i < row->n; i++) {
		k = match_col(row->f[i], cols, ncols, v, sizeof(v));
		if (k < 0 || (required_only && !cols[k].required) ||
		    (seen & (1u << k)))
			continue;
		seen |= 1u << k;
		n++;
	}
	return n;
}

static int
n_required(const struct colspec *cols, int ncols)
{
	int k, n = 0;

	for (k = 0; k < ncols; k++)
		n += cols[k].required;
	return n;
}

/* "学籍号, 姓名, 班级": the required columns, for messages. */
static const char *
required_list(const struct colspec *cols, int ncols, char *out, size_t cap)
{
	size_t len = 0;
	int k;

	out[0] = '\0';
	for (k = 0; k < ncols; k++) {
		if (!cols[k].required)
			continue;
		len += (size_t) snprintf(
		    out + len, cap - len, "%s%s", len ? ", " : "", cols[k].zh);
		if (len >= cap)
			break;
	}
	return out;
}

/* The two files' column sets, to tell one from the other. */
struct filespec {
	const struct colspec *cols;
	int ncols;
	const char *what; /* "children", "staff" */
};

static int
read_header(struct ctx *x, int file, const struct csv_row *row,
    const struct filespec *fs, const struct filespec *other, struct header *h)
{
	char v[CSV_MAX_FIELD_LEN + 1], shown[SHOW_LEN + 4];
	size_t i;
	int k, ok = 1;

	h->n_fields = row->n;
	h->line = row->line;
	for (k = 0; k < fs->ncols; k++) {
		h->col[k] = -1;
		h->required[k] = (uint8_t) fs->cols[k].required;
	}
	for (i = 0; i < row->n; i++) {
		k = match_col(row->f[i], fs->cols, fs->ncols, v, sizeof(v));
		if (k < 0)
			continue; /* not ours: ignored */
		if (h->col[k] >= 0) {
			problem(x, file, row->line,
			    "column %s appears twice (columns %d and %zu)",
			    show(v, shown), h->col[k] + 1, i + 1);
			ok = 0;
			continue;
		}
		h->col[k] = (int) i;
		show(v, h->name[k]);
	}
	for (k = 0; k < fs->ncols; k++) {
		if (fs->cols[k].required && h->col[k] < 0) {
			problem(x, file, row->line,
			    "missing required column %s (or %s)",
			    fs->cols[k].zh, fs->cols[k].en);
			ok = 0;
		}
	}
	if (!ok &&
	    count_cols(row, other->cols, other->ncols, 1) ==
	        n_required(other->cols, other->ncols))
		problem(x, file, row->line,
		    "this looks like the %s file: are the two files "
		    "swapped?",
		    other->what);
	return ok;
}

/*
 * The cleaned value of column k of row into v (empty when the file has no
 * such column).  Reports a control character.  Returns 0 or -1.
 */
static int
value(struct ctx *x, int file, const struct csv_row *row,
    const struct header *h, int k, char *v, size_t cap)
{
	v[0] = '\0';
	if (h->col[k] < 0)
		return 0;
	if ((size_t) h->col[k] >= row->n) {
		/*
		 * Excel leaves out the empty cells at the end of a row: an
		 * optional one is empty, a required one is missing.
		 */
		if (!h->required[k])
			return 0;
		problem(x, file, row->line,
		    "%s is missing: the row has only %zu cells and %s is "
		    "column %d of the header on line %u",
		    h->name[k], row->n, h->name[k], h->col[k] + 1, h->line);
		return -1;
	}
	if (clean(row->f[h->col[k]], v, cap) != 0) {
		problem(x, file, row->line, "%s contains a control character",
		    h->name[k]);
		return -1;
	}
	return 0;
}

/* Copies v into dst (max bytes + NUL) or reports it too long. */
static int
put(struct ctx *x, int file, unsigned line, const struct header *h, int k,
    const char *v, char *dst, size_t max)
{
	size_t n = strlen(v);

	if (n > max) {
		problem(x, file, line,
		    "%s is too long (%zu bytes, at most %zu)", h->name[k], n,
		    max);
		return -1;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

/*
 * Common row checks: a CSV-level problem, the number of fields (more
 * than the header only with empty cells at the end; fewer is fine, the
 * missing cells are empty, see value()), blank rows.  Returns 1 to use the row, 0 to skip it (reported), -1 to skip a
 * blank row.
 */
static int
row_usable(struct ctx *x, int file, int rc, const struct csv_row *row,
    const struct csv_error *err, const struct header *h)
{
	size_t i;
	int blank = 1;

	if (rc != GU_OK) {
		problem(x, file, err->line, "%s", err->msg);
		return 0;
	}
	for (i = 0; i < row->n && blank; i++)
		blank = row->f[i][strspn(row->f[i], " \t\r\n")] == '\0';
	if (blank)
		return -1; /* a row of empty cells, as Excel writes */
	for (i = h->n_fields; i < row->n; i++) {
		if (row->f[i][strspn(row->f[i], " \t\r\n")] != '\0')
			break;
	}
	if (i < row->n) {
		problem(x, file, row->line,
		    "wrong number of fields: %zu, the header on line %u has "
		    "%zu",
		    row->n, h->line, h->n_fields);
		return 0;
	}
	return 1;
}

/*
 * Folds full-width ASCII in v, then reports an id that is empty or not
 * well-formed; 0 when fine.
 */
static int
check_id(struct ctx *x, int file, unsigned line, const struct header *h, int k,
    char *v)
{
	char shown[SHOW_LEN + 4];

	fold_fullwidth(v);
	if (v[0] == '\0') {
		problem(x, file, line, "%s is empty", h->name[k]);
		return -1;
	}
	if (!rec_id_ok(v)) {
		problem(x, file, line,
		    "%s \"%s\" is not a valid id (1 to %d of A-Z a-z 0-9 . _ "
		    "-)",
		    h->name[k], show(v, shown), GU_ID_LEN);
		return -1;
	}
	return 0;
}

struct parse {
	struct ctx *x;
	struct roster *r;
	unsigned *child_line; /* line of children[i] */
	unsigned *staff_line;
	uint8_t *staff_roles_ok;  /* staff[i].roles was read */
	uint8_t *child_mentor_ok; /* children[i].mentor_id is to check */
	struct idx child_ids, classes, staff_ids;
};

/*
 * Moves an array of n elements of size elem into a new one of cap
 * elements, the rest zeroed, wiping the old copy (it may hold PINs).
 */
static int
grow_one(void **p, size_t n, size_t cap, size_t elem)
{
	unsigned char *q = calloc(cap, elem);

	if (q == NULL)
		return GU_ENOMEM;
	if (*p != NULL) {
		memcpy(q, *p, n * elem);
		explicit_bzero(*p, n * elem);
		free(*p);
	}
	*p = q;
	return GU_OK;
}

/* Makes room for one more child row (children[n_children]). */
static int
grow_children(struct parse *ps)
{
	struct roster *r = ps->r;
	size_t n = r->n_children, cap;
	int rc;

	if (n < r->cap_children)
		return GU_OK;
	cap = r->cap_children == 0 ? 64 : 2 * r->cap_children;
	if (cap > ROSTER_MAX_ROWS)
		cap = ROSTER_MAX_ROWS;
	rc = grow_one((void **) &r->children, n, cap, sizeof(*r->children));
	if (rc == GU_OK)
		rc = grow_one(
		    (void **) &ps->child_line, n, cap, sizeof(*ps->child_line));
	if (rc == GU_OK)
		rc = grow_one((void **) &ps->child_mentor_ok, n, cap, 1);
	if (rc != GU_OK)
		return rc;
	r->cap_children = cap;
	return GU_OK;
}

/* Makes room for one more staff row. */
static int
grow_staff(struct parse *ps)
{
	struct roster *r = ps->r;
	size_t n = r->n_staff, cap;
	int rc;

	if (n < r->cap_staff)
		return GU_OK;
	cap = r->cap_staff == 0 ? 16 : 2 * r->cap_staff;
	if (cap > ROSTER_MAX_ROWS)
		cap = ROSTER_MAX_ROWS;
	/* Each array is moved whole so that cap_staff stays true for all. */
	rc = grow_one((void **) &r->staff, n, cap, sizeof(*r->staff));
	if (rc == GU_OK)
		rc = grow_one(
		    (void **) &r->pins, r->cap_staff, cap, sizeof(*r->pins));
	if (rc == GU_OK)
		rc = grow_one(
		    (void **) &ps->staff_line, n, cap, sizeof(*ps->staff_line));
	if (rc == GU_OK)
		rc = grow_one((void **) &ps->staff_roles_ok, n, cap, 1);
	if (rc != GU_OK)
		return rc;
	r->cap_staff = cap;
	return GU_OK;
}

static int
open_src(struct ctx *x, int file, const struct roster_src *src, struct csv **c)
{
	struct csv_limits lim = {0, ROSTER_FIELDS, 0};
	struct csv_error err;
	int rc;

	rc = csv_open_buf(c, src->data, src->len, &lim, &err);
	if (rc == GU_ENOMEM)
		return rc;
	if (rc != GU_OK) {
		problem(x, file, err.line, "%s", err.msg);
		return GU_EINVAL;
	}
	return GU_OK;
}

/*
 * Finds the header row of *c: the first row that names a required column
 * of either file, among the first HEADER_ROWS non-blank rows (a title row
 * such as "2024年春季学生名单" may come first, and a grouping row such as
 * "基本信息,,,,监护人,,," that names an optional column only), after an
 * optional Excel "sep=," line.  When no row names a required column, the
 * first that names any column is taken, so its missing columns are
 * reported on its line: *c is opened again on src to get back to it.
 * Returns GU_OK, GU_ENOMEM, or GU_EINVAL (reported: the file cannot be
 * read further).
 */
static int
first_row(struct ctx *x, int file, const struct roster_src *src, struct csv **c,
    const struct filespec *fs, const struct filespec *other, struct header *h)
{
	char req[128];
	struct csv_row row;
	struct csv_error err;
	unsigned first = 0, nread = 0, cand = 0, i;
	int rc, tries = 0;

	for (;;) {
		rc = csv_next_row(*c, &row, &err);
		nread++;
		if (rc == GU_ENOTFOUND && first == 0) {
			problem(x, file, 1, "the file is empty: no header row");
			return GU_EINVAL;
		}
		if ((rc == GU_ENOTFOUND || tries == HEADER_ROWS) && cand != 0)
			break;
		if (rc == GU_ENOTFOUND || tries == HEADER_ROWS) {
			problem(x, file, first,
			    "no header row: none of the first rows names a "
			    "column (the %s file needs %s)",
			    fs->what,
			    required_list(
			        fs->cols, fs->ncols, req, sizeof(req)));
			return GU_EINVAL;
		}
		if (rc != GU_OK) {
			problem(x, file, err.line, "%s", err.msg);
			return GU_EINVAL;
		}
		if (first == 0 && row.n <= 2 && strcmp(row.f[0], "sep=") == 0 &&
		    (row.n == 1 || row.f[1][0] == '\0'))
			continue;
		if (first == 0)
			first = row.line;
		tries++;
		if (count_cols(&row, fs->cols, fs->ncols, 1) > 0 ||
		    count_cols(&row, other->cols, other->ncols, 1) > 0) {
			cand = 0;
			break;
		}
		if (cand == 0 &&
		    (count_cols(&row, fs->cols, fs->ncols, 0) > 0 ||
		        count_cols(&row, other->cols, other->ncols, 0) > 0))
			cand = nread;
	}
	if (cand != 0) {
		csv_close(*c);
		*c = NULL;
		rc = open_src(x, file, src, c);
		if (rc != GU_OK)
			return rc;
		for (i = 0; i < cand; i++)
			if (csv_next_row(*c, &row, &err) != GU_OK)
				return GU_EINVAL; /* it was read fine before */
	}
	if (!read_header(x, file, &row, fs, other, h))
		return GU_EINVAL;
	return GU_OK;
}

static const struct filespec children_spec = {child_cols, C_NCOLS, "children"};
static const struct filespec staff_spec = {staff_cols, S_NCOLS, "staff"};

static int
parse_children(struct parse *ps, const struct roster_src *src)
{
	struct ctx *x = ps->x;
	struct roster *r = ps->r;
	char v[CSV_MAX_FIELD_LEN + 1], shown[SHOW_LEN + 4];
	struct csv *c = NULL;
	struct csv_row row;
	struct csv_error err;
	struct header h;
	struct child *ch;
	struct words ws;
	uint32_t dup;
	unsigned line, nrows = 0;
	int rc, dr, bad, use;

	rc = open_src(x, FILE_CHILDREN, src, &c);
	if (rc != GU_OK)
		goto out;
	rc = first_row(
	    x, FILE_CHILDREN, src, &c, &children_spec, &staff_spec, &h);
	if (rc != GU_OK)
		goto out;
	x->usable[FILE_CHILDREN] = 1;
	while ((rc = csv_next_row(c, &row, &err)) != GU_ENOTFOUND) {
		use = row_usable(x, FILE_CHILDREN, rc, &row, &err, &h);
		if (use >= 0)
			nrows++;
		if (use <= 0)
			continue;
		line = row.line;
		if (r->n_children >= ROSTER_MAX_ROWS) {
			problem(x, FILE_CHILDREN, line,
			    "more than %d children: the rest is not read",
			    ROSTER_MAX_ROWS);
			break;
		}
		rc = grow_children(ps);
		if (rc != GU_OK)
			goto out;
		ch = &r->children[r->n_children];
		memset(ch, 0, sizeof(*ch));
		ch->active = 1;
		ps->child_line[r->n_children] = line;
		ps->child_mentor_ok[r->n_children] = 0;
		bad = 0;

		/* The id first: a row with a bad id is not kept. */
		if (value(x, FILE_CHILDREN, &row, &h, C_ID, v, sizeof(v)) !=
		        0 ||
		    check_id(x, FILE_CHILDREN, line, &h, C_ID, v) != 0)
			bad = 2;
		else
			memcpy(ch->id, v, strlen(v) + 1);

		if (value(x, FILE_CHILDREN, &row, &h, C_NAME, v, sizeof(v)) ==
		    0) {
			if (v[0] == '\0') {
				problem(x, FILE_CHILDREN, line, "%s is empty",
				    h.name[C_NAME]);
				bad |= 1;
			} else if (put(x, FILE_CHILDREN, line, &h, C_NAME, v,
			               ch->name,
			               MEMBER_MAX(struct child, name)))
				bad |= 1;
		}
		if (value(x, FILE_CHILDREN, &row, &h, C_SEX, v, sizeof(v)) ==
		    0) {
			if (v[0] == '\0')
				;
			else if (strcmp(v, "男") == 0 ||
			    strcmp(v, "男性") == 0 || eq_nocase(v, "M") ||
			    eq_nocase(v, "male"))
				memcpy(ch->sex, "M", 2);
			else if (strcmp(v, "女") == 0 ||
			    strcmp(v, "女性") == 0 || eq_nocase(v, "F") ||
			    eq_nocase(v, "female"))
				memcpy(ch->sex, "F", 2);
			else {
				problem(x, FILE_CHILDREN, line,
				    "%s \"%s\" is not 男, 女, M or F",
				    h.name[C_SEX], show(v, shown));
				bad |= 1;
			}
		}
		if (value(x, FILE_CHILDREN, &row, &h, C_BIRTH, v, sizeof(v)) ==
		        0 &&
		    v[0] != '\0') {
			fold_fullwidth(v);
			dr = parse_date(v, ch->birth);
			if (dr == -1) {
				problem(x, FILE_CHILDREN, line,
				    "%s \"%s\" is not a date (YYYY-MM-DD, "
				    "YYYY/M/D, YYYY.M.D, YYYYMMDD or "
				    "YYYY年M月D日)",
				    h.name[C_BIRTH], show(v, shown));
				bad |= 1;
			} else if (dr == -2) {
				problem(x, FILE_CHILDREN, line,
				    "%s \"%s\" is not a real day",
				    h.name[C_BIRTH], show(v, shown));
				bad |= 1;
			}
		}
		if (value(x, FILE_CHILDREN, &row, &h, C_GRADE, v, sizeof(v)) ==
		        0 &&
		    put(x, FILE_CHILDREN, line, &h, C_GRADE, v, ch->grade,
		        MEMBER_MAX(struct child, grade)))
			bad |= 1;
		if (value(x, FILE_CHILDREN, &row, &h, C_CLASS, v, sizeof(v)) ==
		    0) {
			if (v[0] == '\0') {
				problem(x, FILE_CHILDREN, line, "%s is empty",
				    h.name[C_CLASS]);
				bad |= 1;
			} else if (put(x, FILE_CHILDREN, line, &h, C_CLASS, v,
			               ch->class_name,
			               MEMBER_MAX(struct child, class_name)))
				bad |= 1;
		}
		if (value(x, FILE_CHILDREN, &row, &h, C_CATEGORY, v,
		        sizeof(v)) == 0) {
			memset(&ws, 0, sizeof(ws));
			if (split_words(v, one_category, &ws) != 0) {
				problem(x, FILE_CHILDREN, line,
				    "%s has an unknown category \"%s\" (留守, "
				    "困境, both separated by ; or empty)",
				    h.name[C_CATEGORY], ws.bad);
				bad |= 1;
			}
			ch->categories = ws.bits;
		}
		if (value(x, FILE_CHILDREN, &row, &h, C_GUARDIAN, v,
		        sizeof(v)) == 0 &&
		    put(x, FILE_CHILDREN, line, &h, C_GUARDIAN, v, ch->guardian,
		        MEMBER_MAX(struct child, guardian)))
			bad |= 1;
		if (value(x, FILE_CHILDREN, &row, &h, C_RELATION, v,
		        sizeof(v)) == 0 &&
		    put(x, FILE_CHILDREN, line, &h, C_RELATION, v,
		        ch->guardian_relation,
		        MEMBER_MAX(struct child, guardian_relation)))
			bad |= 1;
		if (value(x, FILE_CHILDREN, &row, &h, C_PHONE, v, sizeof(v)) ==
		        0 &&
		    v[0] != '\0') {
			fold_fullwidth(v);
			if (!phone_ok(v)) {
				problem(x, FILE_CHILDREN, line,
				    "%s \"%s\" is not a phone number (if "
				    "Excel shows it as a number, format the "
				    "column as text)",
				    h.name[C_PHONE], show(v, shown));
				bad |= 1;
			} else if (put(x, FILE_CHILDREN, line, &h, C_PHONE, v,
			               ch->guardian_phone,
			               MEMBER_MAX(
			                   struct child, guardian_phone)))
				bad |= 1;
		}
		if (value(x, FILE_CHILDREN, &row, &h, C_MENTOR, v, sizeof(v)) ==
		        0 &&
		    v[0] != '\0') {
			if (check_id(x, FILE_CHILDREN, line, &h, C_MENTOR, v) ==
			    0) {
				memcpy(ch->mentor_id, v, strlen(v) + 1);
				ps->child_mentor_ok[r->n_children] = 1;
			} else {
				bad |= 1;
			}
		}
		if (value(x, FILE_CHILDREN, &row, &h, C_ADDRESS, v,
		        sizeof(v)) == 0 &&
		    put(x, FILE_CHILDREN, line, &h, C_ADDRESS, v, ch->address,
		        MEMBER_MAX(struct child, address)))
			bad |= 1;

		if (bad & 2)
			continue;
		dup = idx_find_add(&ps->child_ids, ch->id, child_id_of,
		    r->children, (uint32_t) r->n_children);
		if (dup != UINT32_MAX) {
			problem(x, FILE_CHILDREN, line,
			    "duplicate %s %s (first on line %u)", h.name[C_ID],
			    ch->id, ps->child_line[dup]);
			continue;
		}
		/* One grade per class: the class index keeps one. */
		if (ch->class_name[0] != '\0') {
			dup = idx_find_add(&ps->classes, ch->class_name,
			    child_class_of, r->children,
			    (uint32_t) r->n_children);
			if (dup != UINT32_MAX &&
			    strcmp(r->children[dup].grade, ch->grade) != 0)
				problem(x, FILE_CHILDREN, line,
				    "%s %s is in %s \"%s\" on line %u but "
				    "\"%s\" here",
				    h.name[C_CLASS], ch->class_name,
				    h.col[C_GRADE] >= 0 ? h.name[C_GRADE]
				                        : "年级",
				    r->children[dup].grade, ps->child_line[dup],
				    ch->grade);
		}
		r->n_children++;
	}
	/* A header alone would make every child inactive: surely a slip. */
	if (rc == GU_ENOTFOUND && nrows == 0)
		problem(x, FILE_CHILDREN, h.line,
		    "no children under the header: an empty roster is not "
		    "imported");
	rc = GU_OK;
out:
	csv_close(c);
	return rc == GU_EINVAL ? GU_OK : rc;
}

static int
parse_staff(struct parse *ps, const struct roster_src *src)
{
	struct ctx *x = ps->x;
	struct roster *r = ps->r;
	char v[CSV_MAX_FIELD_LEN + 1];
	struct csv *c = NULL;
	struct csv_row row;
	struct csv_error err;
	struct header h;
	struct staff *st;
	struct words ws;
	uint32_t dup;
	unsigned line, nrows = 0;
	int rc, bad, use;
	size_t i;

	rc = open_src(x, FILE_STAFF, src, &c);
	if (rc != GU_OK)
		goto out;
	rc = first_row(x, FILE_STAFF, src, &c, &staff_spec, &children_spec, &h);
	if (rc != GU_OK)
		goto out;
	x->usable[FILE_STAFF] = 1;
	while ((rc = csv_next_row(c, &row, &err)) != GU_ENOTFOUND) {
		use = row_usable(x, FILE_STAFF, rc, &row, &err, &h);
		if (use >= 0)
			nrows++;
		if (use <= 0)
			continue;
		line = row.line;
		if (r->n_staff >= ROSTER_MAX_ROWS) {
			problem(x, FILE_STAFF, line,
			    "more than %d staff: the rest is not read",
			    ROSTER_MAX_ROWS);
			break;
		}
		rc = grow_staff(ps);
		if (rc != GU_OK)
			goto out;
		i = r->n_staff;
		st = &r->staff[i];
		memset(st, 0, sizeof(*st));
		memset(r->pins[i], 0, sizeof(r->pins[i]));
		st->active = 1;
		st->must_change_pin = 1;
		ps->staff_line[i] = line;
		ps->staff_roles_ok[i] = 0;
		bad = 0;

		if (value(x, FILE_STAFF, &row, &h, S_ID, v, sizeof(v)) != 0 ||
		    check_id(x, FILE_STAFF, line, &h, S_ID, v) != 0)
			bad = 2;
		else
			memcpy(st->id, v, strlen(v) + 1);
		if (value(x, FILE_STAFF, &row, &h, S_NAME, v, sizeof(v)) == 0) {
			if (v[0] == '\0') {
				problem(x, FILE_STAFF, line, "%s is empty",
				    h.name[S_NAME]);
				bad |= 1;
			} else if (put(x, FILE_STAFF, line, &h, S_NAME, v,
			               st->name,
			               MEMBER_MAX(struct staff, name)))
				bad |= 1;
		}
		if (value(x, FILE_STAFF, &row, &h, S_ROLES, v, sizeof(v)) ==
		    0) {
			memset(&ws, 0, sizeof(ws));
			if (split_words(v, one_role, &ws) != 0) {
				problem(x, FILE_STAFF, line,
				    "%s has an unknown role \"%s\" (导师, "
				    "班主任 or 校长)",
				    h.name[S_ROLES], ws.bad);
				bad |= 1;
			} else if (ws.bits == 0) {
				problem(x, FILE_STAFF, line,
				    "%s is empty (导师, 班主任 or 校长)",
				    h.name[S_ROLES]);
				bad |= 1;
			} else {
				st->roles = ws.bits;
				ps->staff_roles_ok[i] = 1;
			}
		}
		if (value(x, FILE_STAFF, &row, &h, S_PIN, v, sizeof(v)) == 0) {
			/* Never echo a PIN, good or bad. */
			fold_fullwidth(v);
			if (!pin_ok(v)) {
				problem(x, FILE_STAFF, line,
				    "%s must be %d to %d digits (if Excel "
				    "dropped a leading 0, format the column "
				    "as text)",
				    h.name[S_PIN], PIN_MIN_DIGITS,
				    PIN_MAX_DIGITS);
				bad |= 1;
			} else {
				memcpy(r->pins[i], v, strlen(v) + 1);
			}
			explicit_bzero(v, sizeof(v));
		}
		if (bad & 2)
			continue;
		dup = idx_find_add(&ps->staff_ids, st->id, staff_id_of,
		    r->staff, (uint32_t) i);
		if (dup != UINT32_MAX) {
			problem(x, FILE_STAFF, line,
			    "duplicate %s %s (first on line %u)", h.name[S_ID],
			    st->id, ps->staff_line[dup]);
			continue;
		}
		r->n_staff++;
	}
	if (rc == GU_ENOTFOUND && nrows == 0)
		problem(x, FILE_STAFF, h.line,
		    "no staff under the header: an empty staff list is not "
		    "imported");
	rc = GU_OK;
out:
	csv_close(c);
	return rc == GU_EINVAL ? GU_OK : rc;
}

/* Every mentor a child names must be a staff member with ROLE_MENTOR. */
static void
check_mentors(struct parse *ps)
{
	struct ctx *x = ps->x;
	struct roster *r = ps->r;
	uint32_t s;
	size_t i;

	if (!x->usable[FILE_STAFF])
		return; /* the staff file's own problems say enough */
	for (i = 0; i < r->n_children; i++) {
		const struct child *ch = &r->children[i];
		if (!ps->child_mentor_ok[i])
			continue;
		s = idx_find_add(&ps->staff_ids, ch->mentor_id, staff_id_of,
		    r->staff, UINT32_MAX);
		if (s == UINT32_MAX)
			problem(x, FILE_CHILDREN, ps->child_line[i],
			    "unknown mentor: 成长导师工号 %s is not in the "
			    "staff "
			    "file",
			    ch->mentor_id);
		else if (ps->staff_roles_ok[s] &&
		    !(r->staff[s].roles & ROLE_MENTOR))
			problem(x, FILE_CHILDREN, ps->child_line[i],
			    "unknown mentor: %s (%s) does not have the 导师 "
			    "role in the staff file",
			    ch->mentor_id, r->staff[s].name);
	}
}

static void
ctx_names(struct ctx *x, const struct roster_src *c, const struct roster_src *s)
{
	x->names[FILE_CHILDREN] =
	    c != NULL && c->name != NULL ? c->name : "children.csv";
	x->names[FILE_STAFF] =
	    s != NULL && s->name != NULL ? s->name : "staff.csv";
}

static int
ctx_init(
    struct ctx *x, const struct roster_opts *opts, roster_err_fn fn, void *arg)
{
	memset(x, 0, sizeof(*x));
	x->fn = fn;
	x->arg = arg;
	x->max_errors = opts != NULL && opts->max_errors != 0
	    ? opts->max_errors
	    : ROSTER_MAX_ERRORS;
	x->probs = calloc(x->max_errors, sizeof(*x->probs));
	return x->probs == NULL ? GU_ENOMEM : GU_OK;
}

/*
 * Parses both sources; a NULL source is one that could not be read (its
 * problem already in x).  Returns GU_OK when x has no problems, GU_EINVAL
 * when it has, GU_ENOMEM.
 */
static int
parse_both(struct ctx *x, struct roster *out, const struct roster_src *cs,
    const struct roster_src *ss)
{
	struct parse ps;
	int rc;

	memset(&ps, 0, sizeof(ps));
	ps.x = x;
	ps.r = out;
	ps.child_ids.slot = calloc(IDX_SLOTS, sizeof(uint32_t));
	ps.classes.slot = calloc(IDX_SLOTS, sizeof(uint32_t));
	ps.staff_ids.slot = calloc(IDX_SLOTS, sizeof(uint32_t));
	if (ps.child_ids.slot == NULL || ps.classes.slot == NULL ||
	    ps.staff_ids.slot == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	if (cs != NULL) {
		rc = parse_children(&ps, cs);
		if (rc != GU_OK)
			goto out;
	}
	if (ss != NULL) {
		rc = parse_staff(&ps, ss);
		if (rc != GU_OK)
			goto out;
	}
	check_mentors(&ps);
	rc = x->n_errors != 0 ? GU_EINVAL : GU_OK;
out:
	free(ps.staff_ids.slot);
	free(ps.classes.slot);
	free(ps.child_ids.slot);
	free(ps.child_mentor_ok);
	free(ps.staff_roles_ok);
	free(ps.staff_line);
	free(ps.child_line);
	return rc;
}

void
roster_fini(struct roster *r)
{
	if (r == NULL)
		return;
	if (r->pins != NULL)
		explicit_bzero(r->pins, r->cap_staff * sizeof(*r->pins));
	free(r->pins);
	free(r->staff);
	free(r->children);
	memset(r, 0, sizeof(*r));
}

/* After a failed parse the caller gets no rows, only the count. */
static void
roster_empty(struct roster *r, unsigned n_errors)
{
	roster_fini(r);
	r->n_errors = n_errors;
}

static void
ctx_fini(struct ctx *x)
{
	free(x->probs);
	x->probs = NULL;
}

int
roster_parse(struct roster *out, const struct roster_src *children,
    const struct roster_src *staff, const struct roster_opts *opts,
    roster_err_fn fn, void *arg)
{
	struct ctx x;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ctx_init(&x, opts, fn, arg);
	if (rc != GU_OK)
		goto out;
	ctx_names(&x, children, staff);
	rc = parse_both(&x, out, children, staff);
	problems_flush(&x);
	out->n_errors = x.n_errors;
out:
	if (rc != GU_OK)
		roster_empty(out, x.n_errors);
	ctx_fini(&x);
	return rc;
}

/*
 * Fills every staff member's pin_hash: the one he chose himself when he
 * has one in the store and PINs are not reset (the store keeps it anyway),
 * else the hash of the file's PIN.  The clear PINs are wiped.
 */
static int
hash_pins(struct store *s, struct roster *r, const struct roster_opts *opts)
{
	unsigned long long ops = opts != NULL ? opts->opslimit : 0;
	size_t mem = opts != NULL ? opts->memlimit : 0, i;
	int reset = opts != NULL && opts->reset_pins;
	struct staff old;
	int rc = GU_OK;

	for (i = 0; i < r->n_staff; i++) {
		struct staff *st = &r->staff[i];
		rc = store_staff_get(s, st->id, &old);
		if (rc == GU_OK && !reset && !old.must_change_pin &&
		    old.pin_hash[0] != '\0') {
			memcpy(
			    st->pin_hash, old.pin_hash, sizeof(st->pin_hash));
			st->must_change_pin = 0;
		} else if (rc == GU_OK || rc == GU_ENOTFOUND) {
			rc = pin_hash(r->pins[i], st->pin_hash, ops, mem);
			st->must_change_pin = 1;
		}
		explicit_bzero(&old, sizeof(old));
		explicit_bzero(r->pins[i], sizeof(r->pins[i]));
		if (rc != GU_OK)
			return rc;
	}
	return GU_OK;
}

/*
 * The common end of both imports: parse (sources may be NULL when
 * unreadable, their problem in x), then hash and replace.
 */
static int
import(struct ctx *x, struct store *s, const struct roster_src *cs,
    const struct roster_src *ss, const struct roster_opts *opts,
    struct roster_counts *counts)
{
	struct roster r;
	char why[ROSTER_MSG_LEN];
	int rc;

	memset(&r, 0, sizeof(r));
	rc = parse_both(x, &r, cs, ss);
	if (rc != GU_OK || s == NULL)
		goto out;
	rc = hash_pins(s, &r, opts);
	if (rc != GU_OK)
		goto out;
	why[0] = '\0';
	rc = store_roster_replace(s, r.children, r.n_children, r.staff,
	    r.n_staff, opts != NULL && opts->reset_pins, counts, why,
	    sizeof(why));
	if (rc == GU_EINVAL)
		problem(x, FILE_CHILDREN, 0, "the store refused the roster: %s",
		    why[0] != '\0' ? why : "no reason given");
out:
	problems_flush(x);
	roster_fini(&r);
	return rc;
}

int
roster_import_buf(struct store *s, const struct roster_src *children,
    const struct roster_src *staff, const struct roster_opts *opts,
    roster_err_fn fn, void *arg, struct roster_counts *counts)
{
	struct ctx x;
	int rc;

	rc = ctx_init(&x, opts, fn, arg);
	if (rc != GU_OK)
		goto out;
	ctx_names(&x, children, staff);
	rc = import(&x, s, children, staff, opts, counts);
out:
	ctx_fini(&x);
	return rc;
}

int
roster_import_files(struct store *s, const char *children_path,
    const char *staff_path, const struct roster_opts *opts, roster_err_fn fn,
    void *arg, struct roster_counts *counts)
{
	struct roster_src src[2];
	const char *paths[2] = {children_path, staff_path};
	struct csv_error err;
	void *data[2] = {NULL, NULL};
	struct ctx x;
	int rc, i, ok[2] = {0, 0};

	rc = ctx_init(&x, opts, fn, arg);
	if (rc != GU_OK)
		goto out;
	x.names[FILE_CHILDREN] = children_path;
	x.names[FILE_STAFF] = staff_path;
	for (i = 0; i < 2; i++) {
		src[i].name = paths[i];
		rc = csv_read_file(paths[i], 0, &data[i], &src[i].len, &err);
		if (rc == GU_ENOMEM)
			goto out;
		if (rc != GU_OK) {
			problem(&x, i, err.line, "%s", err.msg);
			continue;
		}
		src[i].data = data[i];
		ok[i] = 1;
	}
	rc = import(&x, s, ok[0] ? &src[0] : NULL, ok[1] ? &src[1] : NULL, opts,
	    counts);
out:
	free(data[1]);
	free(data[0]);
	ctx_fini(&x);
	return rc;
}
