/*
 * scr.h: what the screens share.  Each screen is a row of the table in
 * screens.h (enter, frame, leave, flags), defined in its own scr_*.c: the
 * frame draws itself with the toolkit every frame and turns taps into
 * intents for the domain; enter loads what it shows when the kiosk goes
 * to it (never during a frame).  Screens reach records only through the
 * domain layer (app/domain/), include no SDL and no LMDB, and hold no
 * literal text: every string comes from the table (kiosk_s).  make lint
 * checks the first two by the symbols each screen object uses.
 */
#ifndef GU_SCR_H
#define GU_SCR_H

#include "kiosk.h"

/* ---- shared pieces (scr_common.c) ---- */

/* with_back for scr_header: the back button says 退出 and ends the
 * staff session. */
#define SCR_BACK_SIGNOUT 2

/*
 * The label of schema word w of field f from the table ("<prefix><w>"),
 * or the word itself when the table lacks it.
 */
const char *scr_word(const struct kiosk *k, int f, const char *w);

/* A face for mood level 1 (very sad) .. 5 (very happy) in r: a vector
 * icon (UI_ICON_FACE_*), round face, two eyes, a curved mouth. */
void scr_face(struct kiosk *k, struct ui_rect r, int level);

/* "3 天前", "今天", "从未" for a time (0: never) before now. */
void scr_days_ago(const struct kiosk *k, int64_t t_ms, char *out, size_t len);

/* "3月2日 08:30" for t_ms in local time. */
void scr_when(const struct kiosk *k, int64_t t_ms, char *out, size_t len);
/* A YYYY-MM-DD day in words ("12月2日"); the text as it is otherwise. */
void scr_day(const struct kiosk *k, const char *ymd, char *out, size_t len);

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

/*
 * What a failed read or write (rc) means on screen: GU_ECORRUPT puts the
 * kiosk on the storage-damaged screen (kiosk_store_damaged), GU_EFULL
 * says storage is full, anything else says it failed (msg.load_failed
 * when loading, else msg.save_failed).
 */
void scr_failed(struct kiosk *k, int rc, int loading);

/* The outer margin and the gap between buttons, in pixels. */
int scr_margin(const struct kiosk *k);
int scr_gap(const struct kiosk *k);

/*
 * Draws text right-aligned at the right end of *row, cut off *row to the
 * width the text needs (measured), so the rest of the row keeps what is
 * left of it.
 */
void scr_text_right(struct kiosk *k, struct ui_rect *row, int font, int color,
    const char *text);

/*
 * What tells pupil p apart from a classmate of the same name, into out:
 * "生日3月20日", or "学号…0001" when the birthdays agree too.  NULL when
 * the name is the only one in its class.  Nothing sensitive (domain.h).
 */
const char *scr_pupil_tell(
    const struct kiosk *k, const struct dom_pupil *p, char *out, size_t len);

/*
 * The full-screen confirmation a child sees after a save: a green field,
 * a large tick, who (a name) and the message of key.  Returns the band at the
 * bottom left for the screen's buttons.
 */
struct ui_rect scr_confirm_panel(
    struct kiosk *k, const char *who, const char *key);

/*
 * The PIN keypad of the sign-in (1-9, 清除, 0, 确定) in r, typing into pin
 * (KIOSK_PIN_MAX + 1 bytes); nothing is typed while locked.  Returns 1 on
 * the frame 确定 is tapped with at least four digits.  scr_pin_dots()
 * draws one dot per digit typed (at least four) in r.
 */
int scr_keypad(struct kiosk *k, struct ui_rect r, char *pin, int locked);
void scr_pin_dots(struct kiosk *k, struct ui_rect r, const char *pin);

/*
 * The note screen (scr_note.c): opens it for dest (REC_VALUE_MAX + 1
 * bytes, its text the note so far) under the title title_key; 完成 writes
 * the note back into dest and returns to the current screen as it is
 * (no enter).  scr_note_release() frees the input method's engines and
 * forgets the text (at sign-out).  scr_note_button() draws the button of
 * a form that opens it: "+ TITLE", or "✓ TITLE" once a note is
 * written; returns 1 when tapped.
 */
void scr_note_open(struct kiosk *k, const char *title_key, char *dest);
void scr_note_release(struct kiosk *k);
int scr_note_button(struct kiosk *k, struct ui_rect r, int64_t id,
    const char *label_key, const char *note);
/* Whether k->draft is the signed-in staff member's, of today
 * (scr_form.c). */
int scr_draft_mine(const struct kiosk *k);

/*
 * On the child's file (scr_file.c, entered): reads the timeline on,
 * page by page, until the record seq is in it; its index, or -1 when the
 * file has no such record (or more than the timeline keeps).
 */
int scr_file_show(struct kiosk *k, uint64_t seq);

/* ---- the mandatory report (scr_report.c) ---- */

/* Goes to the mandatory report of any child; it returns to the screen
 * it was started from. */
void scr_report_start(struct kiosk *k);
/* Where the kiosk finds rauc (kiosk.conf), for core/rauc.h
 * (scr_update.c); c's strings are borrowed from k. */
void scr_update_cfg(const struct kiosk *k, struct update_cfg *c);

/* Draws the law (urgent.law) and the local numbers of the settings in r,
 * in the largest font that fits; returns that font. */
int scr_report_law(struct kiosk *k, struct ui_rect r);

/* Loads the absentees of lecture l into k->lec (report_lec, absent[])
 * for 缺席原因和补签 (scr_lec_absent.c). */
void scr_lec_absent_load(struct kiosk *k, const struct dom_lecture *l);

#endif
