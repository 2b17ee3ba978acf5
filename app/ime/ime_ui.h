/*
 * ime_ui.h: the input method's widget, drawn through the toolkit's
 * command list (ui.h) and fed by its input; no SDL, no drawing of its own.
 *
 * ime_ui_frame() lays out, inside the rectangle the screen gives it:
 *
 *   candidate bar   one row: the candidates of the current page (each at
 *                   least UI_MIN_TARGET_MM wide) and 更多 when there are
 *                   more; in pinyin the composition sits at its left;
 *   handwriting     the pad (the largest square the rows leave, at least
 *                   45 mm at 1024x600) with the ink drawn as it is written,
 *                   and beside it punctuation (，。、？！：), 删除, the switch
 *                   and 确定;
 *   pinyin          a full keyboard: digits, three rows of letters, and a
 *                   row of punctuation, the switch, 空格/确定 and 删除.
 *
 * Every key is at least UI_MIN_TARGET_MM (9 mm) in both directions at
 * every supported size (1024x600 and 600x1024 at 7", 1920x1080 at
 * 15.6"): ime_ui_min_height() says how tall the widget must be; given
 * less, keys shrink and ui->small_targets counts them.  Labels of the
 * function keys come from the caller's string table (ime_ui_labels), so
 * the widget holds no user-visible words.
 *
 * Pointer events that go down on the pad are strokes (pad pixels); the
 * frame also ticks the state machine (the pause that commits a written
 * character) and asks the toolkit for the frame that needs.
 */
#ifndef GU_IME_UI_H
#define GU_IME_UI_H

#include "ime.h"
#include "ui.h"

/* The function keys' labels (borrowed for the frame), from the caller's
 * string table: e.g. ime.delete, ime.confirm, ime.space, ime.more,
 * ime.to_pinyin, ime.to_handwriting. */
struct ime_ui_labels {
	const char *del, *confirm, *space, *more;
	const char *to_pinyin, *to_handwriting;
};

/* The widget's state between frames; zeroed to start. */
struct ime_ui {
	int page; /* first candidate shown */
	int last_kind, last_ncand;
	char last_first[IME_CAND_LEN];
	struct ui_rect pad; /* where the pad was drawn (window pixels) */
};

/* The height the widget needs at this screen for 9 mm keys. */
int ime_ui_min_height(const struct ui *ui);

/* Draws the widget in r and applies this frame's input to ime. */
void ime_ui_frame(struct ui *ui, struct ime_ui *w, struct ime *ime,
    struct ui_rect r, const struct ime_ui_labels *lb);

#endif
