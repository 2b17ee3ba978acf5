/*
 * xlsx.h: writing one .xlsx workbook, the only door to libxlsxwriter.
 *
 * The ledgers (ledger.c) describe sheets as titles, columns and rows of
 * strings; this module turns them into a workbook that WPS, Excel and
 * LibreOffice open: a title row merged over the columns, a subtitle row
 * (period, date made, device), the header row frozen, column widths, the
 * A4 landscape print setup with the header repeated on every page, dates
 * as real dates and numbers as numbers.
 *
 * Rows are streamed (libxlsxwriter's constant_memory mode): each row goes
 * to a temporary file as it is written, so memory does not grow with the
 * number of rows.  Several sheets may be filled at the same time, but the
 * rows of one sheet only in order.
 *
 * The workbook's timestamps are the created time given to xlsx_new(), so
 * the same sheets give the same bytes.
 */
#ifndef GU_XLSX_H
#define GU_XLSX_H

#include <stddef.h>
#include <stdint.h>

#define XLSX_MAX_COLS 32
#define XLSX_MAX_SHEETS 8

enum xlsx_type {
	XLSX_TEXT = 0, /* a string, written as is */
	XLSX_DATE,     /* YYYY-MM-DD, written as a date; other text as is */
	XLSX_INT       /* a decimal integer, written as a number */
};

struct xlsx_col {
	const char *title; /* borrowed during xlsx_sheet() */
	enum xlsx_type type;
	double width; /* in characters, as Excel counts them */
};

struct xlsx;

/*
 * Starts the workbook that will be written to path by xlsx_close().
 * created_s (seconds since 1970, UTC) is the time in its properties;
 * title its document title.  GU_OK, or GU_EIO/GU_ENOMEM with why.
 */
int xlsx_new(struct xlsx **out, const char *path, int64_t created_s,
    const char *title, char *why, size_t why_len);

/*
 * Adds a sheet called name (at most 31 characters) with the title row,
 * the subtitle row and the header row of cols.  *sheet gets its index for
 * xlsx_row().  GU_OK, GU_EINVAL (too many sheets or columns), GU_EIO.
 */
int xlsx_sheet(struct xlsx *x, const char *name, const char *title,
    const char *subtitle, const struct xlsx_col *cols, size_t ncols,
    int *sheet);

/* Writes the next row: cells[0 .. ncols-1]; NULL or "" leaves it blank. */
int xlsx_row(struct xlsx *x, int sheet, const char *const *cells);

/* Writes a line of text under the last row (a total, a remark). */
int xlsx_note(struct xlsx *x, int sheet, const char *text);

/* Rows written to sheet so far by xlsx_row(). */
uint32_t xlsx_rows(const struct xlsx *x, int sheet);

/*
 * Writes the workbook to its path and frees x.  GU_OK, or GU_EIO with why
 * (the file may then be partly written: the caller writes to a temporary
 * name and removes it).  xlsx_close(NULL, ...) returns GU_OK.
 */
int xlsx_close(struct xlsx *x, char *why, size_t why_len);

#endif
