/*
 * xlsx.c: one workbook through libxlsxwriter (xlsx.h).  The only file that
 * includes <xlsxwriter.h>; its error codes are turned into sentences here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "status.h"
#include "xlsx.h"

/* Rows above the data: the title, the subtitle, the header. */
#define XLSX_HEAD_ROWS 3

struct xlsx_sheet {
	lxw_worksheet *ws;
	enum xlsx_type type[XLSX_MAX_COLS];
	size_t ncols;
	uint32_t rows;
};

struct xlsx {
	lxw_workbook *wb;
	lxw_format *f_title, *f_sub, *f_head, *f_text, *f_date, *f_int;
	lxw_format *f_note;
	struct xlsx_sheet sh[XLSX_MAX_SHEETS];
	int nsheets;
	char title[256];
};

int
xlsx_new(struct xlsx **out, const char *path, int64_t created_s,
    const char *title, char *why, size_t why_len)
{
	/* The streamed rows wait in temporary files: in $TMPDIR if set,
	 * else where tmpfile() puts them (/tmp). */
	const char *tmp = getenv("TMPDIR");
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE,
	    .tmpdir = tmp && *tmp ? (char *) tmp : 0,
	    .use_zip64 = LXW_FALSE};
	lxw_doc_properties props;
	struct xlsx *x;

	*out = 0;
	x = calloc(1, sizeof(*x));
	if (x == 0)
		return GU_ENOMEM;
	x->wb = workbook_new_opt(path, &opts);
	if (x->wb == 0) {
		snprintf(why, why_len, "cannot start the workbook");
		free(x);
		return GU_EIO;
	}
	snprintf(x->title, sizeof(x->title), "%s", title);
	memset(&props, 0, sizeof(props));
	props.title = x->title;
	props.author = "guanai-sync";
	props.created = (time_t) created_s;
	workbook_set_properties(x->wb, &props);

	x->f_title = workbook_add_format(x->wb);
	format_set_bold(x->f_title);
	format_set_font_size(x->f_title, 16);
	format_set_align(x->f_title, LXW_ALIGN_CENTER);
	format_set_align(x->f_title, LXW_ALIGN_VERTICAL_CENTER);
	x->f_sub = workbook_add_format(x->wb);
	format_set_align(x->f_sub, LXW_ALIGN_LEFT);
	x->f_head = workbook_add_format(x->wb);
	format_set_bold(x->f_head);
	format_set_border(x->f_head, LXW_BORDER_THIN);
	format_set_align(x->f_head, LXW_ALIGN_CENTER);
	format_set_align(x->f_head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(x->f_head);
	format_set_bg_color(x->f_head, 0xDDEBF7);
	x->f_text = workbook_add_format(x->wb);
	format_set_border(x->f_text, LXW_BORDER_THIN);
	format_set_text_wrap(x->f_text);
	format_set_align(x->f_text, LXW_ALIGN_VERTICAL_TOP);
	x->f_date = workbook_add_format(x->wb);
	format_set_border(x->f_date, LXW_BORDER_THIN);
	format_set_num_format(x->f_date, "yyyy-mm-dd");
	format_set_align(x->f_date, LXW_ALIGN_VERTICAL_TOP);
	x->f_int = workbook_add_format(x->wb);
	format_set_border(x->f_int, LXW_BORDER_THIN);
	format_set_align(x->f_int, LXW_ALIGN_VERTICAL_TOP);
	x->f_note = workbook_add_format(x->wb);
	format_set_bold(x->f_note);
	*out = x;
	return GU_OK;
}

static int
lxw_rc(lxw_error e)
{
	return e == LXW_NO_ERROR ? GU_OK : GU_EIO;
}

int
xlsx_sheet(struct xlsx *x, const char *name, const char *title,
    const char *subtitle, const struct xlsx_col *cols, size_t ncols, int *sheet)
{
	struct xlsx_sheet *s;
	lxw_col_t last;
	int rc;

	if (x->nsheets >= XLSX_MAX_SHEETS || ncols == 0 ||
	    ncols > XLSX_MAX_COLS)
		return GU_EINVAL;
	s = &x->sh[x->nsheets];
	s->ws = workbook_add_worksheet(x->wb, name);
	if (s->ws == 0)
		return GU_EINVAL;
	s->ncols = ncols;
	last = (lxw_col_t) (ncols - 1);
	for (size_t i = 0; i < ncols; i++) {
		s->type[i] = cols[i].type;
		worksheet_set_column(
		    s->ws, (lxw_col_t) i, (lxw_col_t) i, cols[i].width, 0);
	}
	worksheet_set_row(s->ws, 0, 30, 0);
	if (ncols > 1)
		rc = lxw_rc(worksheet_merge_range(
		    s->ws, 0, 0, 0, last, title, x->f_title));
	else
		rc = lxw_rc(
		    worksheet_write_string(s->ws, 0, 0, title, x->f_title));
	if (rc == GU_OK && ncols > 1)
		rc = lxw_rc(worksheet_merge_range(
		    s->ws, 1, 0, 1, last, subtitle, x->f_sub));
	else if (rc == GU_OK)
		rc = lxw_rc(
		    worksheet_write_string(s->ws, 1, 0, subtitle, x->f_sub));
	for (size_t i = 0; rc == GU_OK && i < ncols; i++)
		rc = lxw_rc(worksheet_write_string(
		    s->ws, 2, (lxw_col_t) i, cols[i].title, x->f_head));
	if (rc != GU_OK)
		return rc;
	worksheet_freeze_panes(s->ws, XLSX_HEAD_ROWS, 0);
	worksheet_set_paper(s->ws, 9); /* A4 */
	worksheet_set_landscape(s->ws);
	worksheet_repeat_rows(s->ws, 2, 2);
	worksheet_fit_to_pages(s->ws, 1, 0);
	worksheet_set_footer(s->ws, "&C&P / &N");
	*sheet = x->nsheets++;
	return GU_OK;
}

/* Parses YYYY-MM-DD; nonzero on success. */
static int
parse_date(const char *s, lxw_datetime *d)
{
	int y, m, dd;
	char end;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &end) != 3)
		return 0;
	memset(d, 0, sizeof(*d));
	d->year = y;
	d->month = m;
	d->day = dd;
	return y >= 1900 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31;
}

/* Parses a decimal integer that fits a double exactly. */
static int
parse_int(const char *s, double *out)
{
	char *end;
	long long n = strtoll(s, &end, 10);

	if (end == s || *end != '\0' || n > (1LL << 52) || n < -(1LL << 52))
		return 0;
	*out = (double) n;
	return 1;
}

int
xlsx_row(struct xlsx *x, int sheet, const char *const *cells)
{
	struct xlsx_sheet *s = &x->sh[sheet];
	lxw_row_t row = (lxw_row_t) (XLSX_HEAD_ROWS + s->rows);
	lxw_error e = LXW_NO_ERROR;

	for (size_t i = 0; e == LXW_NO_ERROR && i < s->ncols; i++) {
		const char *c = cells[i];
		lxw_col_t col = (lxw_col_t) i;
		lxw_datetime d;
		double n;

		if (c == 0 || *c == '\0')
			e = worksheet_write_blank(s->ws, row, col, x->f_text);
		else if (s->type[i] == XLSX_DATE && parse_date(c, &d))
			e = worksheet_write_datetime(
			    s->ws, row, col, &d, x->f_date);
		else if (s->type[i] == XLSX_INT && parse_int(c, &n))
			e = worksheet_write_number(
			    s->ws, row, col, n, x->f_int);
		else
			e = worksheet_write_string(
			    s->ws, row, col, c, x->f_text);
	}
	if (e != LXW_NO_ERROR)
		return GU_EIO;
	s->rows++;
	return GU_OK;
}

int
xlsx_note(struct xlsx *x, int sheet, const char *text)
{
	struct xlsx_sheet *s = &x->sh[sheet];
	lxw_row_t row = (lxw_row_t) (XLSX_HEAD_ROWS + s->rows + 1);

	return lxw_rc(worksheet_write_string(s->ws, row, 0, text, x->f_note));
}

uint32_t
xlsx_rows(const struct xlsx *x, int sheet)
{
	return x->sh[sheet].rows;
}

int
xlsx_close(struct xlsx *x, char *why, size_t why_len)
{
	lxw_error e;

	if (x == 0)
		return GU_OK;
	e = workbook_close(x->wb);
	free(x);
	if (e != LXW_NO_ERROR) {
		snprintf(why, why_len, "%s", lxw_strerror(e));
		return GU_EIO;
	}
	return GU_OK;
}
