/*
 * pdf.c: A4 documents with cairo and pango (pdf.h).  The only file that
 * includes cairo, pango or fontconfig; their errors become sentences here.
 *
 * Fonts: a fontconfig configuration of its own, holding only the fonts of
 * the given folder (FcConfigAppFontAddDir), is handed to a pango font map,
 * so what is printed does not depend on the fonts installed on the
 * machine, and rare characters fall back to WenQuanYi Micro Hei as on the
 * kiosk's screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "pdf.h"
#include "status.h"

/* A4 in points, and the margins. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 56.0
#define MARGIN_TOP 56.0
#define MARGIN_BOTTOM 64.0
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define LABEL_W 84.0

#define FONT_FAMILIES "Noto Sans CJK SC, WenQuanYi Micro Hei"

static const struct {
	double size;
	int bold;
	double r, g, b;
	double space_after;
} styles[PDF_STYLE_N] = {
    [PDF_TITLE] = {18, 1, 0, 0, 0, 6},
    [PDF_HEADING] = {13, 1, 0.05, 0.22, 0.45, 4},
    [PDF_ENTRY] = {10.5, 1, 0.05, 0.22, 0.45, 1},
    [PDF_BODY] = {10, 0, 0, 0, 0, 2},
    [PDF_NOTE] = {8.5, 0, 0.35, 0.35, 0.35, 2},
};

/*
 * The fonts' cache goes where fontconfig puts a user's ($XDG_CACHE_HOME);
 * without a cache folder it would scan the fonts on every run and say so.
 */
static const char fc_conf[] = "<?xml version=\"1.0\"?><fontconfig>"
                              "<cachedir prefix=\"xdg\">fontconfig</cachedir>"
                              "</fontconfig>";

struct pdf {
	FcConfig *fc;
	PangoFontMap *fm;
	PangoContext *ctx;
	PangoFontDescription *font[PDF_STYLE_N];
	cairo_surface_t *surf;
	cairo_t *cr;
	double y;      /* where the next block starts */
	int page_used; /* something is on the current page */
	int page_no;   /* within the current part */
	int pages;     /* in all */
	char footer[512];
};

int
pdf_open(struct pdf **out, const char *path, const char *fonts_dir,
    const char *title, int64_t created_s, char *why, size_t why_len)
{
	struct pdf *p;
	FcFontSet *set;
	char date[32];
	time_t t = (time_t) created_s;
	struct tm tm;

	*out = 0;
	p = calloc(1, sizeof(*p));
	if (p == 0)
		return GU_ENOMEM;
	p->fc = FcConfigCreate();
	if (p->fc)
		FcConfigParseAndLoadFromMemory(
		    p->fc, (const FcChar8 *) fc_conf, FcFalse);
	if (p->fc == 0 ||
	    !FcConfigAppFontAddDir(p->fc, (const FcChar8 *) fonts_dir)) {
		snprintf(why, why_len, "%s: cannot read the fonts folder",
		    fonts_dir);
		goto fail_fonts;
	}
	set = FcConfigGetFonts(p->fc, FcSetApplication);
	if (set == 0 || set->nfont == 0) {
		snprintf(
		    why, why_len, "%s: no fonts in this folder", fonts_dir);
		goto fail_fonts;
	}
	p->fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	if (p->fm == 0) {
		snprintf(why, why_len, "pango has no FreeType font map");
		goto fail_fonts;
	}
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(p->fm), p->fc);
	p->ctx = pango_font_map_create_context(p->fm);
	for (int i = 0; i < PDF_STYLE_N; i++) {
		p->font[i] = pango_font_description_from_string(FONT_FAMILIES);
		pango_font_description_set_size(
		    p->font[i], (gint) (styles[i].size * PANGO_SCALE));
		pango_font_description_set_weight(p->font[i],
		    styles[i].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	}
	p->surf = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
	if (cairo_surface_status(p->surf) != CAIRO_STATUS_SUCCESS) {
		snprintf(why, why_len, "%s: %s", path,
		    cairo_status_to_string(cairo_surface_status(p->surf)));
		pdf_close(p, 0, 0);
		return GU_EIO;
	}
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cairo_pdf_surface_set_metadata(
	    p->surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(
	    p->surf, CAIRO_PDF_METADATA_MOD_DATE, date);
	cairo_pdf_surface_set_metadata(
	    p->surf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(
	    p->surf, CAIRO_PDF_METADATA_CREATOR, "guanai-sync");
	p->cr = cairo_create(p->surf);
	pango_cairo_update_context(p->cr, p->ctx);
	/* Glyphs where the font puts them: no hinting, no metrics or
	 * positions rounded to whole points as a screen would want.  On
	 * paper it is the font's own spacing, and cairo then writes runs of
	 * glyphs without a correction per glyph (4-8% fewer instructions for
	 * a mentor's files, bench/ledger.sh). */
	{
		cairo_font_options_t *fo = cairo_font_options_create();

		cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
		cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
		pango_cairo_context_set_font_options(p->ctx, fo);
		cairo_font_options_destroy(fo);
	}
	pango_context_set_round_glyph_positions(p->ctx, FALSE);
	p->y = MARGIN_TOP;
	*out = p;
	return GU_OK;
fail_fonts:
	pdf_close(p, 0, 0);
	return GU_EINVAL;
}

void
pdf_footer(struct pdf *p, const char *text)
{
	snprintf(p->footer, sizeof(p->footer), "%s", text);
}

static PangoLayout *
layout(struct pdf *p, enum pdf_style st, const char *text, double width)
{
	PangoLayout *l = pango_layout_new(p->ctx);

	pango_layout_set_font_description(l, p->font[st]);
	pango_layout_set_width(l, (int) (width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, text, -1);
	return l;
}

static void
draw(struct pdf *p, PangoLayout *l, double x, double y, enum pdf_style st)
{
	cairo_set_source_rgb(p->cr, styles[st].r, styles[st].g, styles[st].b);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

/* Ends the current page: its footer, then the page itself. */
static void
end_page(struct pdf *p)
{
	char text[600];
	const char *pct = strstr(p->footer, "%d");
	PangoLayout *l;
	int w, h;

	if (!p->page_used)
		return;
	if (pct)
		snprintf(text, sizeof(text), "%.*s%d%s",
		    (int) (pct - p->footer), p->footer, p->page_no, pct + 2);
	else
		snprintf(text, sizeof(text), "%s", p->footer);
	l = layout(p, PDF_NOTE, text, TEXT_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_get_size(l, &w, &h);
	cairo_set_line_width(p->cr, 0.5);
	cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
	cairo_move_to(p->cr, MARGIN_X, PAGE_H - MARGIN_BOTTOM + 12);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, PAGE_H - MARGIN_BOTTOM + 12);
	cairo_stroke(p->cr);
	draw(p, l, MARGIN_X, PAGE_H - MARGIN_BOTTOM + 18, PDF_NOTE);
	g_object_unref(l);
	cairo_show_page(p->cr);
	p->page_used = 0;
	p->y = MARGIN_TOP;
}

/* Makes room for h points, on a new page if this one has not enough. */
static void
room(struct pdf *p, double h)
{
	if (p->page_used && p->y + h > PAGE_H - MARGIN_BOTTOM)
		end_page(p);
	if (!p->page_used) {
		p->page_used = 1;
		p->page_no++;
		p->pages++;
	}
}

void
pdf_new_document_part(struct pdf *p)
{
	end_page(p);
	p->page_no = 0;
}

void
pdf_text(struct pdf *p, enum pdf_style st, const char *text)
{
	PangoLayout *l = layout(p, st, text, TEXT_W);
	int w, h;

	pango_layout_get_size(l, &w, &h);
	room(p, (double) h / PANGO_SCALE);
	draw(p, l, MARGIN_X, p->y, st);
	p->y += (double) h / PANGO_SCALE + styles[st].space_after;
	g_object_unref(l);
}

void
pdf_field(struct pdf *p, const char *label, const char *value)
{
	PangoLayout *a = layout(p, PDF_NOTE, label, LABEL_W - 6);
	PangoLayout *b = layout(p, PDF_BODY, value, TEXT_W - LABEL_W);
	int wa, ha, wb, hb;
	double h;

	pango_layout_get_size(a, &wa, &ha);
	pango_layout_get_size(b, &wb, &hb);
	h = (double) (ha > hb ? ha : hb) / PANGO_SCALE;
	room(p, h);
	draw(p, a, MARGIN_X, p->y + 1.5, PDF_NOTE);
	draw(p, b, MARGIN_X + LABEL_W, p->y, PDF_BODY);
	p->y += h + styles[PDF_BODY].space_after;
	g_object_unref(a);
	g_object_unref(b);
}

void
pdf_space(struct pdf *p, double pt)
{
	p->y += pt;
}

void
pdf_rule(struct pdf *p)
{
	room(p, 6);
	cairo_set_line_width(p->cr, 0.6);
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	cairo_move_to(p->cr, MARGIN_X, p->y + 3);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y + 3);
	cairo_stroke(p->cr);
	p->y += 8;
}

int
pdf_pages(const struct pdf *p)
{
	return p->pages;
}

int
pdf_close(struct pdf *p, char *why, size_t why_len)
{
	cairo_status_t st = CAIRO_STATUS_SUCCESS;

	if (p == 0)
		return GU_OK;
	if (p->cr) {
		end_page(p);
		cairo_destroy(p->cr);
	}
	if (p->surf) {
		cairo_surface_finish(p->surf);
		st = cairo_surface_status(p->surf);
		cairo_surface_destroy(p->surf);
	}
	for (int i = 0; i < PDF_STYLE_N; i++)
		if (p->font[i])
			pango_font_description_free(p->font[i]);
	if (p->ctx)
		g_object_unref(p->ctx);
	if (p->fm)
		g_object_unref(p->fm);
	if (p->fc)
		FcConfigDestroy(p->fc);
	free(p);
	/* Drop cairo's process-wide caches: nothing of them outlives a
	 * document.  (cairo 1.16 still loses 768 bytes in the PDF surface's
	 * finish and fontconfig 2.14 256 bytes parsing fc_conf; the ledger
	 * test tells LeakSanitizer so, in tests/ledger.lsan.supp.) */
	cairo_debug_reset_static_data();
	if (st != CAIRO_STATUS_SUCCESS) {
		if (why_len)
			snprintf(
			    why, why_len, "%s", cairo_status_to_string(st));
		return GU_EIO;
	}
	return GU_OK;
}
