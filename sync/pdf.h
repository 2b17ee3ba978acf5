/*
 * pdf.h: a small printable document as an A4 PDF, the only door to cairo,
 * pango and fontconfig.
 *
 * The caller hands over blocks of plain UTF-8 text (headings, label and
 * value pairs, paragraphs, rules); this module lays them out top to
 * bottom with line wrapping, starts a new page when one is full, and puts
 * a footer with the page number on every page.  Fonts come only from the
 * folder given to pdf_open() (the kiosk's fonts/ folder): Noto Sans CJK
 * SC, with WenQuanYi Micro Hei for the rare characters it lacks; the
 * glyphs used are embedded as subsets, so the file prints anywhere.
 */
#ifndef GU_PDF_H
#define GU_PDF_H

#include <stddef.h>
#include <stdint.h>

enum pdf_style {
	PDF_TITLE = 0, /* the document's title, large and bold */
	PDF_HEADING,   /* a section */
	PDF_ENTRY,     /* the first line of a timeline entry, bold */
	PDF_BODY,      /* ordinary text */
	PDF_NOTE,      /* small grey text */
	PDF_STYLE_N
};

struct pdf;

/*
 * Starts the document that will be written to path.  fonts_dir holds the
 * font files; created_s (seconds since 1970) is the date in the file's
 * metadata, so the same content gives the same metadata.  GU_OK, or
 * GU_EIO/GU_EINVAL/GU_ENOMEM with why (no fonts in the folder, the file
 * cannot be made).
 */
int pdf_open(struct pdf **out, const char *path, const char *fonts_dir,
    const char *title, int64_t created_s, char *why, size_t why_len);

/* The footer of the pages from now on; "%d" in it is the page number. */
void pdf_footer(struct pdf *p, const char *text);

/* Ends the current page (if anything is on it) and restarts numbering. */
void pdf_new_document_part(struct pdf *p);

/* A block of text in a style; wrapped, moved to a new page if needed. */
void pdf_text(struct pdf *p, enum pdf_style st, const char *text);

/* A label and its value on one line (the value wraps beside the label). */
void pdf_field(struct pdf *p, const char *label, const char *value);

/* Vertical space, in points. */
void pdf_space(struct pdf *p, double pt);

/* A thin horizontal line across the text width. */
void pdf_rule(struct pdf *p);

/* Pages started so far. */
int pdf_pages(const struct pdf *p);

/*
 * Finishes the file and frees p.  GU_OK, or GU_EIO with why when cairo
 * could not write it (the file is then incomplete: the caller wrote to a
 * temporary name and removes it).  pdf_close(NULL, ...) returns GU_OK.
 */
int pdf_close(struct pdf *p, char *why, size_t why_len);

#endif
