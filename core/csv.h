/*
 * csv.h: an RFC 4180 CSV reader for the files schools export from Excel
 * and WPS.
 *
 * Input (the whole file, at most CSV_MAX_BYTES):
 *
 *   encoding  UTF-16LE or UTF-16BE with a BOM (FF FE, FE FF: Excel's
 *             "Unicode 文本" export), UTF-8 with or without a BOM
 *             (EF BB BF), or GB18030/GBK.  Valid UTF-8 is taken as UTF-8.
 *             A file that is UTF-8 but for a broken byte or two (at least
 *             two thirds of its bytes >= 0x80 in valid UTF-8 sequences,
 *             or a UTF-8 BOM) is refused at the first bad byte, with its
 *             line, column and file offset: read as GB18030 it would turn
 *             every name into other characters without a word.  Otherwise
 *             the bytes are converted from GB18030 with iconv; a file that
 *             is not GB18030 either is refused with the line of the first
 *             bad byte.  NUL bytes (U+0000 in UTF-16) are refused.
 *   records   separated by CRLF, LF or a lone CR; blank lines are skipped.
 *   fields    separated by ',' or by a tab: a tab when the first six
 *             non-blank lines hold more tabs than commas outside quotes,
 *             or when the first line is Excel's "sep=<TAB>".  A field
 *             that starts with '"' is quoted: it ends at the next lone
 *             '"', "" stands for one '"', and it may hold the separator
 *             and line breaks (a CRLF inside becomes LF).  Only the
 *             separator, a line break or the end of the file may follow
 *             the closing quote.  A '"' inside an unquoted field is kept
 *             as an ordinary character (Excel never writes one; people
 *             do).
 *
 * The reader works on its own decoded copy of the input and unescapes
 * fields in place, so reading a row allocates nothing.  Lines are physical
 * lines of the file counted from 1, so an error can name the line a user
 * sees in an editor; a record that spans lines reports the line it starts
 * on.
 *
 * Use:
 *
 *	struct csv *c = NULL;
 *	struct csv_row row;
 *	struct csv_error err;
 *	rc = csv_open_buf(&c, data, len, NULL, &err);
 *	while ((rc = csv_next_row(c, &row, &err)) != GU_ENOTFOUND) {
 *		if (rc != GU_OK)
 *			report(err.line, err.msg);	(and go on)
 *		else
 *			use(row.f[0] .. row.f[row.n - 1]);
 *	}
 *	csv_close(c);
 */
#ifndef GU_CSV_H
#define GU_CSV_H

#include <stddef.h>

#define CSV_MAX_BYTES (16u * 1024 * 1024) /* default file size limit */
#define CSV_MAX_FIELDS 64                 /* default fields per record */
#define CSV_MAX_FIELD_LEN 1024 /* default bytes per field, after decoding */
#define CSV_ERR_LEN 192

/* Limits; a zero member means its default above. */
struct csv_limits {
	size_t max_bytes;     /* the raw file, before decoding */
	size_t max_fields;    /* fields in one record */
	size_t max_field_len; /* bytes of one decoded field */
};

enum csv_encoding {
	CSV_UTF8 = 1,     /* UTF-8 without BOM (or plain ASCII) */
	CSV_UTF8_BOM = 2, /* UTF-8 with a BOM, which was removed */
	CSV_GB18030 = 3,  /* GB18030/GBK, converted to UTF-8 */
	CSV_UTF16LE = 4,  /* UTF-16LE with a BOM, converted to UTF-8 */
	CSV_UTF16BE = 5   /* UTF-16BE with a BOM, converted to UTF-8 */
};

/*
 * Where and what: line is the physical line (from 1) the problem is on, 0
 * when it is about the file as a whole (too big, unreadable).  msg is an
 * English sentence without the place, always NUL-terminated.
 */
struct csv_error {
	unsigned line;
	char msg[CSV_ERR_LEN];
};

/*
 * One record.  f[0] .. f[n - 1] are NUL-terminated UTF-8 strings without
 * NUL bytes; they (and f itself) are borrowed from the reader and valid
 * until the next csv_next_row() or csv_close().  line is the physical line
 * the record starts on.  n is at least 1 (a blank line is no record).
 */
struct csv_row {
	unsigned line;
	size_t n;
	const char *const *f;
};

struct csv;

/*
 * Makes a reader over a copy of the len bytes at data (data is borrowed
 * only during the call).  lim may be NULL for the defaults.  The encoding
 * is detected and the text converted to UTF-8 here, so an encoding error
 * is reported at open.
 *
 * Returns GU_OK and sets *out (give it to csv_close()); GU_ETOOBIG when
 * len is over the size limit (err->line 0); GU_EINVAL for an invalid
 * encoding or a NUL byte (err->line names the line); GU_ENOMEM.  On error
 * *out is NULL and err says why.
 */
int csv_open_buf(struct csv **out, const void *data, size_t len,
    const struct csv_limits *lim, struct csv_error *err);

/*
 * Like csv_open_buf() on the contents of the file at path.  GU_EIO (line
 * 0, the system's reason in msg) when it cannot be opened or read.
 */
int csv_open_file(struct csv **out, const char *path,
    const struct csv_limits *lim, struct csv_error *err);

/*
 * Reads the whole file at path into a new buffer (*data, *len; free() it).
 * max_bytes 0 means CSV_MAX_BYTES.  Returns GU_OK; GU_EIO (the system's
 * reason in err->msg) when it cannot be opened or read or is not a regular
 * file; GU_ETOOBIG when it is larger than max_bytes; GU_ENOMEM.  err->line
 * is 0.  On error *data is NULL.
 */
int csv_read_file(const char *path, size_t max_bytes, void **data, size_t *len,
    struct csv_error *err);

/*
 * Reads the next record into *row.
 *
 * Returns GU_OK with the record; GU_ENOTFOUND when there are no more
 * records (row->n is then 0); GU_ETOOBIG when the record has more fields
 * than max_fields or a field longer than max_field_len; GU_EINVAL when a
 * quoted field is not closed before the end of the file or text follows a
 * closing quote.  On GU_ETOOBIG and GU_EINVAL err names the line and the
 * problem, the record has been consumed (row holds what could be read of
 * it, long fields cut, extra fields dropped) and the caller may go on
 * reading the next one; only one problem per record is reported.
 */
int csv_next_row(struct csv *c, struct csv_row *row, struct csv_error *err);

/* The encoding the input was found to be in. */
enum csv_encoding csv_encoding_of(const struct csv *c);

/* The field separator found at open: ',' or '\t'. */
char csv_separator(const struct csv *c);

/*
 * A short name for an encoding: "UTF-8", "UTF-8 with BOM", "GB18030",
 * "UTF-16LE", "UTF-16BE".
 */
const char *csv_encoding_name(enum csv_encoding e);

/* Frees c and its text; csv_close(NULL) is a no-op. */
void csv_close(struct csv *c);

#endif
