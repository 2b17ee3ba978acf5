/*
 * scr.h: the screens.  Each screen is a function that draws itself with
 * the toolkit every frame and turns taps into intents for the domain; an
 * _enter function loads what it shows when the kiosk goes to it (never
 * during a frame).  Screens include no SDL and no LMDB, and hold no
 * literal text: every string comes from the table (kiosk_s).
 */
#ifndef GU_SCR_H
#define GU_SCR_H

#include "kiosk.h"

void scr_home_enter(struct kiosk *k);
void scr_home(struct kiosk *k);

void scr_lec_start_enter(struct kiosk *k);
void scr_lec_start(struct kiosk *k);
void scr_lec_classes_enter(struct kiosk *k);
void scr_lec_classes(struct kiosk *k);
void scr_lec_names_enter(struct kiosk *k);
void scr_lec_names(struct kiosk *k);
void scr_lec_confirm(struct kiosk *k);
void scr_lec_mark_enter(struct kiosk *k);
void scr_lec_mark(struct kiosk *k);
void scr_lec_report(struct kiosk *k);

/* ---- shared pieces (scr_common.c) ---- */

/*
 * The header band: a back button when with_back (returns 1 on the frame
 * it is tapped), the title, and the clock at the right.  *body gets the
 * rest of the screen below it.
 */
int scr_header(
    struct kiosk *k, struct ui_rect *body, const char *title, int with_back);

/* The local date and time of now_ms as the table formats them. */
void scr_clock(
    const struct kiosk *k, char *date, size_t dlen, char *hm, size_t hlen);

/* Labels a grid's cells: the label and style of item i, and an optional
 * second line. */
typedef const char *(*scr_label_fn)(
    struct kiosk *k, size_t i, int *style, const char **sub);

/*
 * A scrolling grid of n buttons in r: as many columns of at least
 * min_w_mm as fit, rows cell_h_mm high.  Returns the index tapped or -1.
 */
int scr_grid(struct kiosk *k, struct ui_rect r, struct ui_scroll *s, size_t n,
    float min_w_mm, float cell_h_mm, int font, scr_label_fn label,
    const char *id);

/* The outer margin and the gap between buttons, in pixels. */
int scr_margin(const struct kiosk *k);
int scr_gap(const struct kiosk *k);

/* A one-line text in r in font and colour, left aligned. */
void scr_line(
    struct kiosk *k, struct ui_rect r, int font, int color, const char *text);

#endif
