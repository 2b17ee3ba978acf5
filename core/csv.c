/*
 * csv.c: the CSV reader (see csv.h for the accepted grammar).  It alone
 * owns encoding detection and the GB18030 conversion (glibc iconv).
 *
 * The input is copied (and converted) once into c->text; csv_next_row()
 * then unescapes each field in place: the write position never passes the
 * read position, because an unescaped field is never longer than its raw
 * form, and the byte that ends a field has been read before its NUL
 * terminator overwrites it.  c->text has one spare byte so the last field
 * of a file without a final newline can be terminated too.
 */
#include "csv.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"

/*
 * Lines looked at to tell a tab-separated file from a comma-separated
 * one (a title or grouping row may come before the header).
 */
#define SNIFF_LINES 6

struct csv {
	char *text; /* decoded UTF-8, len bytes + 1 spare */
	size_t len;
	size_t pos;    /* read position */
	unsigned line; /* physical line at pos */
	enum csv_encoding enc;
	char sep; /* ',' or '\t', found by sniff_sep() */
	size_t max_fields;
	size_t max_field_len;
	const char **fields; /* max_fields slots */
};

static void seterr(struct csv_error *err, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(struct csv_error *err, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* The physical line (from 1) of byte off in p. */
static unsigned
line_at(const unsigned char *p, size_t off)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < off; i++) {
		if (p[i] == '\n')
			line++;
		else if (p[i] == '\r' && (i + 1 >= off || p[i + 1] != '\n'))
			line++;
	}
	return line;
}

/*
 * Checks p[0..len) as UTF-8 (no overlong forms, no surrogates, nothing
 * past U+10FFFF).  Returns len when all is valid, else the offset of the
 * first bad sequence; *multi gets the number of valid multi-byte
 * sequences before it.
 */
static size_t
utf8_check(const unsigned char *p, size_t len, size_t *multi)
{
	size_t i = 0, n, k;
	uint32_t cp, min;

	*multi = 0;
	while (i < len) {
		unsigned char b = p[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF) {
			n = 1;
			cp = b & 0x1F;
			min = 0x80;
		} else if (b >= 0xE0 && b <= 0xEF) {
			n = 2;
			cp = b & 0x0F;
			min = 0x800;
		} else if (b >= 0xF0 && b <= 0xF4) {
			n = 3;
			cp = b & 0x07;
			min = 0x10000;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
		(*multi)++;
	}
	return len;
}

/*
 * How much of p[0..len) reads as UTF-8: *hi gets the number of bytes at
 * or above 0x80, *cov how many of them are in valid UTF-8 sequences (the
 * scan steps over a bad byte and goes on).  A UTF-8 file with a broken
 * character or two has nearly all of its high bytes covered; GBK and
 * GB18030 text is valid UTF-8 only by accident, for about one high byte
 * in seven (a lead byte C2..DF followed by a trail byte A1..BF).
 */
static void
utf8_coverage(const unsigned char *p, size_t len, size_t *cov, size_t *hi)
{
	size_t i = 0, k, multi;

	*cov = 0;
	*hi = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		/* One sequence, as long as its lead byte says. */
		k = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
		if (k <= len - i && utf8_check(p + i, k, &multi) == k &&
		    multi == 1) {
			*cov += k;
			*hi += k;
			i += k;
		} else {
			(*hi)++;
			i++;
		}
	}
}

/* The column (in characters, from 1) of byte off of UTF-8-ish text p. */
static unsigned
column_at(const unsigned char *p, size_t off)
{
	size_t i = off;
	unsigned col = 1;

	while (i > 0 && p[i - 1] != '\n' && p[i - 1] != '\r')
		i--;
	for (; i < off; i++)
		if ((p[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/*
 * The physical line (from 1) of byte off of UTF-16 text p (be: big
 * endian), counting CRLF, LF and CR as in line_at().
 */
static unsigned
line_at16(const unsigned char *p, size_t off, int be)
{
	unsigned line = 1;
	size_t i;
	unsigned u, next;

	for (i = 0; i + 1 < off; i += 2) {
		u = be ? (unsigned) (p[i] << 8 | p[i + 1])
		       : (unsigned) (p[i] | p[i + 1] << 8);
		next = 0;
		if (i + 3 < off)
			next = be ? (unsigned) (p[i + 2] << 8 | p[i + 3])
			          : (unsigned) (p[i + 2] | p[i + 3] << 8);
		if (u == '\n' || (u == '\r' && next != '\n'))
			line++;
	}
	return line;
}

/*
 * Converts len bytes of text in encoding from (an iconv name) into a new
 * UTF-8 buffer (*out, *out_len, one spare byte after it).  On GU_EINVAL
 * *bad is the offset of the first byte that is not in that encoding.
 * GB18030 is 1, 2 or 4 bytes a character and its UTF-8 at most 1.5 times
 * as long; UTF-16 is 2 or 4 bytes a character, its UTF-8 at most 1.5 times
 * as long too (3 bytes for 2).
 */
static int
to_utf8(const char *from, const unsigned char *in, size_t len, char **out,
    size_t *out_len, size_t *bad)
{
	iconv_t cd = (iconv_t) -1;
	char *buf = NULL, *ip, *op;
	size_t cap, il, ol;
	int rc;

	*out = NULL;
	cap = len + len / 2 + 8;
	buf = malloc(cap + 1);
	if (buf == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t) -1) {
		rc = GU_EINVAL;
		*bad = 0;
		goto out;
	}
	ip = (char *) (uintptr_t) in;
	il = len;
	op = buf;
	ol = cap;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t) -1) {
		/* EILSEQ or EINVAL (cut short); E2BIG cannot happen. */
		*bad = (size_t) ((unsigned char *) ip - in);
		rc = GU_EINVAL;
		goto out;
	}
	*out_len = (size_t) (op - buf);
	*out = buf;
	buf = NULL;
	rc = GU_OK;
out:
	if (cd != (iconv_t) -1)
		iconv_close(cd);
	free(buf);
	return rc;
}

/* GB18030 (and so GBK) into UTF-8: to_utf8() with that name. */
static int
gb18030_to_utf8(const unsigned char *in, size_t len, char **out,
    size_t *out_len, size_t *bad)
{
	return to_utf8("GB18030", in, len, out, out_len, bad);
}

/*
 * Excel's "Unicode 文本" (Unicode text) export: UTF-16 with a BOM, which
 * is dropped.  A lone surrogate or a cut-off last unit is refused at its
 * line; U+0000 is refused as a NUL byte is in the other encodings.
 */
static int
utf16_decode(struct csv *c, const unsigned char *p, size_t len, int be,
    struct csv_error *err)
{
	size_t bad = 0;
	void *z;
	int rc;

	rc = to_utf8(be ? "UTF-16BE" : "UTF-16LE", p + 2, len - 2, &c->text,
	    &c->len, &bad);
	if (rc == GU_EINVAL) {
		seterr(err, line_at16(p + 2, bad, be),
		    "invalid encoding: the file is UTF-16 (Excel's Unicode "
		    "text) but its 2 bytes at offset %zu are not: save it "
		    "again from Excel or WPS",
		    bad + 2);
		return rc;
	}
	if (rc != GU_OK)
		return rc;
	z = memchr(c->text, '\0', c->len);
	if (z != NULL) {
		seterr(err,
		    line_at((const unsigned char *) c->text,
		        (size_t) ((char *) z - c->text)),
		    "invalid encoding: NUL character (not a text file?)");
		free(c->text);
		c->text = NULL;
		return GU_EINVAL;
	}
	c->enc = be ? CSV_UTF16BE : CSV_UTF16LE;
	return GU_OK;
}

static int
csv_decode(
    struct csv *c, const unsigned char *p, size_t len, struct csv_error *err)
{
	size_t bad, gbad = 0, multi, i, cov, hi;
	int rc, bom = 0;
	void *z;

	if (len >= 2 &&
	    ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
		return utf16_decode(c, p, len, p[0] == 0xFE, err);
	z = memchr(p, '\0', len);
	if (z != NULL) {
		i = (size_t) ((const unsigned char *) z - p);
		seterr(err, line_at(p, i),
		    "invalid encoding: NUL byte (not a text file?)");
		return GU_EINVAL;
	}
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		bom = 1;
		p += 3;
		len -= 3;
	}
	bad = utf8_check(p, len, &multi);
	if (bad == len) {
		c->text = malloc(len + 1);
		if (c->text == NULL)
			return GU_ENOMEM;
		memcpy(c->text, p, len);
		c->len = len;
		c->enc = bom ? CSV_UTF8_BOM : CSV_UTF8;
		return GU_OK;
	}
	/*
	 * Nearly all valid UTF-8 but for a byte or two: a damaged UTF-8
	 * file, never GBK (reading it so would turn every name into
	 * nonsense without a word).  Two thirds is far above what GBK text
	 * reaches by accident and far below a UTF-8 file with a cut
	 * character among a few names.
	 */
	utf8_coverage(p, len, &cov, &hi);
	(void) multi;
	if (bom || cov * 3 >= hi * 2) {
		seterr(err, line_at(p, bad),
		    "invalid encoding: byte 0x%02X at column %u (file offset "
		    "%zu) "
		    "is not valid UTF-8: the rest of the file is "
		    "UTF-8, so retype the character there or save the file "
		    "again as UTF-8",
		    p[bad], column_at(p, bad), bad + (bom ? 3 : 0));
		return GU_EINVAL;
	}
	rc = gb18030_to_utf8(p, len, &c->text, &c->len, &gbad);
	if (rc == GU_EINVAL) {
		/* Name the place that got further: the likelier encoding. */
		if (gbad < bad)
			gbad = bad;
		seterr(err, line_at(p, gbad),
		    "invalid encoding: byte 0x%02X is neither UTF-8 nor "
		    "GB18030",
		    p[gbad < len ? gbad : len - 1]);
		return rc;
	}
	if (rc != GU_OK)
		return rc;
	c->enc = CSV_GB18030;
	/* A GB18030 BOM (84 31 95 33) has become a UTF-8 one: drop it. */
	if (c->len >= 3 && memcmp(c->text, "\xEF\xBB\xBF", 3) == 0) {
		memmove(c->text, c->text + 3, c->len - 3);
		c->len -= 3;
	}
	return GU_OK;
}

/*
 * The field separator of decoded text t: a tab when the first
 * SNIFF_LINES non-blank lines hold more tabs than commas outside quotes
 * (Excel's "Unicode 文本" and "文本文件(制表符分隔)" exports), else a comma.
 * An Excel "sep=" first line says it outright.
 */
static char
sniff_sep(const char *t, size_t len)
{
	size_t i, tabs = 0, commas = 0;
	unsigned lines = 0;
	int quoted = 0, blank = 1;

	if (len >= 5 && memcmp(t, "sep=", 4) == 0 &&
	    (t[4] == '\t' || t[4] == ','))
		return t[4];
	for (i = 0; i < len && lines < SNIFF_LINES; i++) {
		char ch = t[i];
		if (ch == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (ch == '\t')
			tabs++;
		else if (ch == ',')
			commas++;
		else if (ch == '\n' || ch == '\r') {
			lines += !blank;
			blank = 1;
			continue;
		}
		blank = 0;
	}
	return tabs > commas ? '\t' : ',';
}

int
csv_open_buf(struct csv **out, const void *data, size_t len,
    const struct csv_limits *lim, struct csv_error *err)
{
	struct csv *c = NULL;
	size_t max_bytes = CSV_MAX_BYTES;
	int rc;

	*out = NULL;
	if (err != NULL) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	c->max_fields = CSV_MAX_FIELDS;
	c->max_field_len = CSV_MAX_FIELD_LEN;
	if (lim != NULL) {
		if (lim->max_bytes != 0)
			max_bytes = lim->max_bytes;
		if (lim->max_fields != 0)
			c->max_fields = lim->max_fields;
		if (lim->max_field_len != 0)
			c->max_field_len = lim->max_field_len;
	}
	if (len > max_bytes) {
		seterr(err, 0, "file is larger than %zu bytes", max_bytes);
		rc = GU_ETOOBIG;
		goto out;
	}
	c->fields = calloc(c->max_fields, sizeof(*c->fields));
	if (c->fields == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	rc = csv_decode(c, data, len, err);
	if (rc != GU_OK)
		goto out;
	c->text[c->len] = '\0';
	c->sep = sniff_sep(c->text, c->len);
	c->line = 1;
	*out = c;
	c = NULL;
out:
	if (rc == GU_ENOMEM)
		seterr(err, 0, "out of memory");
	csv_close(c);
	return rc;
}

int
csv_read_file(const char *path, size_t max_bytes, void **data, size_t *len,
    struct csv_error *err)
{
	unsigned char *buf = NULL;
	size_t n = 0, cap;
	struct stat st;
	ssize_t r;
	int fd = -1, rc;

	*data = NULL;
	*len = 0;
	if (max_bytes == 0)
		max_bytes = CSV_MAX_BYTES;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		seterr(err, 0, "cannot open: %s", strerror(errno));
		rc = GU_EIO;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		seterr(err, 0, "cannot read: not a regular file");
		rc = GU_EIO;
		goto out;
	}
	if ((unsigned long long) st.st_size > max_bytes) {
		seterr(err, 0, "file is larger than %zu bytes", max_bytes);
		rc = GU_ETOOBIG;
		goto out;
	}
	/* One byte more than fstat said, to see a file that grew. */
	cap = (size_t) st.st_size + 1;
	buf = malloc(cap);
	if (buf == NULL) {
		seterr(err, 0, "out of memory");
		rc = GU_ENOMEM;
		goto out;
	}
	while (n < cap) {
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			seterr(err, 0, "cannot read: %s", strerror(errno));
			rc = GU_EIO;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t) r;
	}
	if (n > max_bytes || n == cap) {
		seterr(err, 0, "file is larger than %zu bytes or growing",
		    max_bytes);
		rc = GU_ETOOBIG;
		goto out;
	}
	*data = buf;
	*len = n;
	buf = NULL;
	rc = GU_OK;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
csv_open_file(struct csv **out, const char *path, const struct csv_limits *lim,
    struct csv_error *err)
{
	void *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = csv_read_file(
	    path, lim != NULL ? lim->max_bytes : 0, &data, &len, err);
	if (rc != GU_OK)
		return rc;
	rc = csv_open_buf(out, data, len, lim, err);
	free(data);
	return rc;
}

/* Consumes a line break at c->pos (CRLF, LF or CR), if there is one. */
static int
eat_newline(struct csv *c)
{
	if (c->pos < c->len && c->text[c->pos] == '\r') {
		c->pos++;
		if (c->pos < c->len && c->text[c->pos] == '\n')
			c->pos++;
		c->line++;
		return 1;
	}
	if (c->pos < c->len && c->text[c->pos] == '\n') {
		c->pos++;
		c->line++;
		return 1;
	}
	return 0;
}

int
csv_next_row(struct csv *c, struct csv_row *row, struct csv_error *err)
{
	char *t = c->text;
	size_t w, flen, nf = 0, nfields = 0;
	unsigned qline = 0;
	int rc = GU_OK, quoted, ch;
	char sep;

	row->n = 0;
	row->f = c->fields;
	while (eat_newline(c))
		;
	row->line = c->line;
	if (c->pos >= c->len)
		return GU_ENOTFOUND;
	w = c->pos;
	for (;;) {
		/* One field: t[w..] gets its unescaped bytes. */
		size_t start = w;
		int too_long = 0;

		flen = 0;
		quoted = 0;
		if (c->pos < c->len && t[c->pos] == '"') {
			quoted = 1;
			qline = c->line;
			c->pos++;
		}
		for (;;) {
			if (c->pos >= c->len) {
				if (quoted && rc == GU_OK) {
					seterr(err, row->line,
					    "quoted field opened on line %u "
					    "is not closed",
					    qline);
					rc = GU_EINVAL;
				}
				break;
			}
			ch = (unsigned char) t[c->pos];
			if (quoted) {
				if (ch == '"') {
					if (c->pos + 1 < c->len &&
					    t[c->pos + 1] == '"') {
						c->pos += 2;
					} else {
						c->pos++;
						quoted = 0;
						if (c->pos < c->len &&
						    t[c->pos] != c->sep &&
						    t[c->pos] != '\r' &&
						    t[c->pos] != '\n' &&
						    rc == GU_OK) {
							seterr(err, c->line,
							    "text after the "
							    "closing quote of "
							    "field %zu",
							    nfields + 1);
							rc = GU_EINVAL;
						}
						continue;
					}
				} else if (ch == '\r' || ch == '\n') {
					eat_newline(c);
					ch = '\n';
				} else {
					c->pos++;
				}
			} else {
				if (ch == c->sep || ch == '\r' || ch == '\n')
					break;
				c->pos++;
			}
			if (flen < c->max_field_len) {
				assert(w < c->pos);
				t[w++] = (char) ch;
				flen++;
			} else {
				too_long = 1;
			}
		}
		if (too_long && rc == GU_OK) {
			seterr(err, row->line,
			    "field %zu is longer than %zu bytes", nfields + 1,
			    c->max_field_len);
			rc = GU_ETOOBIG;
		}
		/*
		 * Look at the separator before the terminator may overwrite
		 * it (w == c->pos when nothing was unescaped).
		 */
		sep = c->pos < c->len ? t[c->pos] : '\0';
		assert(w <= c->pos);
		t[w++] = '\0';
		nfields++;
		if (nf < c->max_fields) {
			c->fields[nf++] = t + start;
		} else if (rc == GU_OK) {
			seterr(err, row->line, "more than %zu fields",
			    c->max_fields);
			rc = GU_ETOOBIG;
		}
		if (sep == c->sep && sep != '\0') {
			c->pos++;
			continue;
		}
		/* The record ends; t[c->pos] may be the terminator now. */
		if (sep == '\r' || sep == '\n') {
			c->pos++;
			c->line++;
			if (sep == '\r' && c->pos < c->len && t[c->pos] == '\n')
				c->pos++;
		}
		break;
	}
	row->n = nf;
	return rc;
}

enum csv_encoding
csv_encoding_of(const struct csv *c)
{
	return c->enc;
}

char
csv_separator(const struct csv *c)
{
	return c->sep;
}

const char *
csv_encoding_name(enum csv_encoding e)
{
	switch (e) {
	case CSV_UTF8:
		return "UTF-8";
	case CSV_UTF8_BOM:
		return "UTF-8 with BOM";
	case CSV_GB18030:
		return "GB18030";
	case CSV_UTF16LE:
		return "UTF-16LE";
	case CSV_UTF16BE:
		return "UTF-16BE";
	}
	return "?";
}

void
csv_close(struct csv *c)
{
	if (c == NULL)
		return;
	free(c->fields);
	free(c->text);
	free(c);
}
