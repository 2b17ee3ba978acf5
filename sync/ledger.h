/*
 * ledger.h: the school's ledgers (台账) as .xlsx workbooks, the period
 * they cover and the district templates that order their columns.
 *
 * Every ledger is one row of the table in ledger.c: its English name (the
 * command line's KIND), its Chinese title (the file name and the title
 * row), its columns (each with an English key, a Chinese title, a type and
 * a width) and the function that walks the store to fill it.  Adding a
 * ledger or a column is a row there; docs/ledgers.md lists them all.
 *
 * The care ledgers hold only children in care (care_rules_in_care()) and
 * only standing records; the records of the period that were voided are
 * listed on a sheet of their own (作废记录), never mixed in.  Reads go
 * through store.h only.
 */
#ifndef GU_LEDGER_H
#define GU_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum ledger_kind {
	LEDGER_LEFT_BEHIND = 0, /* 留守儿童花名册 */
	LEDGER_IN_DIFFICULTY,   /* 困境儿童花名册 */
	LEDGER_PAIRS,           /* 成长导师结对表 */
	LEDGER_CARE,            /* 关爱帮扶记录台账 */
	LEDGER_VISITS,          /* 走访记录台账 */
	LEDGER_LECTURES,        /* 安全知识大讲堂签到表 */
	LEDGER_CONCERNS,        /* 强制报告与关注台账 */
	LEDGER_PLANS,           /* 帮扶计划台账 */
	LEDGER_OVERDUE,         /* 逾期事项清单 */
	LEDGER_WORKLOG,         /* 工作日志台账 */
	LEDGER_N
};

#define LEDGER_MAX_COLS 24
#define LEDGER_TITLE_LEN 64 /* a column title, bytes with the NUL */

/* ---- The period ---- */

struct ledger_period {
	uint32_t from, to; /* local days YYYYMMDD, both included */
	char label[64]; /* "2026年秋季学期", "2026年9月", "2026-09-01至…" */
};

/*
 * Parses a period.  Exactly one way is given:
 *   from and to    two days YYYY-MM-DD;
 *   month          YYYY-MM;
 *   term           YYYY-autumn (秋季学期: Sep 1 to Jan 31 of the next
 *                  year) or YYYY-spring (春季学期: Feb 1 to Aug 31),
 *                  also written YYYY秋 / YYYY春;
 *   half           YYYY-H1 (Jan 1 to Jun 30) or YYYY-H2 (Jul 1 to Dec 31).
 * today (YYYYMMDD) refuses a period that starts after it.  GU_OK, or
 * GU_EINVAL with why naming the option at fault (an empty or reversed
 * period, a period in the future, a malformed date).
 */
int ledger_period_parse(struct ledger_period *p, const char *from,
    const char *to, const char *month, const char *term, const char *half,
    uint32_t today, char *why, size_t why_len);

/* ---- Templates ---- */

/* The columns of one ledger, in the order written, with their titles. */
struct ledger_layout {
	uint8_t n;
	uint8_t col[LEDGER_MAX_COLS]; /* index into the ledger's columns */
	char title[LEDGER_MAX_COLS][LEDGER_TITLE_LEN];
};

struct ledger_tmpl {
	struct ledger_layout l[LEDGER_N];
};

/* Every ledger with all its columns, in table order, Chinese titles. */
void ledger_tmpl_default(struct ledger_tmpl *t);

/*
 * Parses a district template (docs/ledgers.md): a CSV file with the
 * header 台账,列,标题 (or ledger,column,title), then one row per column
 * to write, in order.  A ledger the file names gets exactly the columns
 * listed for it; the others keep their defaults.  name is the file name
 * used in messages.  Returns GU_OK, or GU_EINVAL with every problem
 * (up to what fits) in why as "name:line: what", one per line; on error
 * *t holds the defaults.
 */
int ledger_tmpl_parse(struct ledger_tmpl *t, const char *name, const void *buf,
    size_t len, char *why, size_t why_len);

/* Like ledger_tmpl_parse() on the file at path; GU_EIO if unreadable. */
int ledger_tmpl_load(
    struct ledger_tmpl *t, const char *path, char *why, size_t why_len);

/* ---- Writing ---- */

/* "care", ..., or NULL; and back (also from the Chinese title). */
const char *ledger_name(int kind);
const char *ledger_title(int kind);
int ledger_from_name(const char *name); /* -1 if unknown */

struct ledger_result {
	uint32_t rows;   /* data rows of the main sheet */
	uint32_t voided; /* rows of the 作废记录 sheet */
	char path[1024]; /* the file written */
};

/*
 * What the overdue list (逾期事项清单) is computed as of, and under which
 * rules: the kiosk's own (its contact_days and term_start settings), so
 * that tasks.c finds on the sheet exactly what the kiosk shows as late.
 */
struct ledger_asof {
	int64_t now_ms;          /* the moment; 0: the end of the last day */
	int contact_days;        /* care_rules.h; 0: the kiosk's default 14 */
	uint32_t term_start_day; /* YYYYMMDD; 0: from the calendar */
};

/*
 * Writes ledger kind for period p in the layout t (NULL: defaults) to
 * outdir/<Chinese title>.xlsx.  made (YYYYMMDD) is the date printed as
 * 制表日期.  The workbook is written to a .part name, flushed to disk and
 * only then renamed, so no half-written file ever has the final name;
 * on error the .part file is removed and why says what went wrong
 * (a missing folder, a full disk).  The file's internal timestamps come
 * from the period, so the same store, period, template and made date give
 * the same bytes.  asof (NULL: all defaults) is for the overdue list: its
 * last day is the period's end or made, whichever is earlier, and with
 * now_ms 0 it is as of the end of that day.  GU_OK, GU_EIO, GU_ENOMEM, or
 * a store error.
 */
int ledger_write(struct store *s, int kind, const struct ledger_period *p,
    const struct ledger_tmpl *t, uint32_t made, const struct ledger_asof *asof,
    const char *outdir, struct ledger_result *res, char *why, size_t why_len);

/* ---- Shared with the child's file (pdf) ---- */

/*
 * The Chinese label of word in field f ("talk" in F_TYPE: 谈心谈话), or
 * word itself when there is none.  For a SET or LIST value, each item
 * labelled and joined with 、 into out.
 */
const char *ledger_label(int f, const char *word);
/* The Chinese name of a record kind (REC_VISIT: 家访), "?" if none. */
const char *ledger_kind_label(int kind);
void ledger_labels(int f, const char *value, char *out, size_t cap);

/*
 * Makes the file final: fsyncs the file at part, renames it to path and
 * fsyncs the folder.  On error removes part and says why.
 */
int ledger_commit_file(
    const char *part, const char *path, char *why, size_t why_len);

#endif
