/*
 * ime.h: the input method's state machine: handwriting strokes and pinyin
 * letters in, candidates out, text committed into a note; delete; switch
 * between the two methods, remembered per staff member through hooks the
 * caller provides.  Free of SDL and of the toolkit: ime_ui.h draws it.
 *
 * Every user action is one call with plain data (Tatham's midend), so a
 * test or a fuzzer replays them; time is a parameter (ime_tick).
 *
 *   handwriting   ime_stroke_begin/point/end: after each stroke the
 *                 candidates are recomputed (hw.h); a candidate tap
 *                 commits it; a pause of IME_HW_COMMIT_MS after the last
 *                 stroke commits the first candidate, so a teacher can
 *                 write character after character without tapping.
 *   pinyin        ime_key('a'..'z'): letters and phrase candidates
 *                 (pinyin.h); a candidate tap commits it or, for part of
 *                 a phrase, fixes it and offers the rest.
 *   both          after a commit the candidates are 联想: the words that
 *                 most often follow (the pinyin engine's predictions);
 *                 the same list re-ranks the next handwritten character.
 *                 ime_text() types digits and punctuation (，。、？！：),
 *                 committing what is pending first.  ime_delete() removes
 *                 the last stroke, the last letter, the 联想 list, or the
 *                 last character of the text, in that order.
 *
 * The note holds at most max_chars characters (ime_init): a commit that
 * would pass it is refused with GU_ETOOBIG and the text is unchanged.
 */
#ifndef GU_IME_H
#define GU_IME_H

#include <stddef.h>
#include <stdint.h>

#include "hw.h"
#include "pinyin.h"

enum ime_method { IME_HANDWRITING, IME_PINYIN, IME_METHOD_N };

#define IME_TEXT_MAX 1024     /* bytes of the note, NUL included */
#define IME_CHARS_DEFAULT 200 /* the notes' written limit (issue 11) */
#define IME_HW_COMMIT_MS 900  /* pause that commits a written character */
#define IME_CAND_N 48         /* candidates in the bar */
#define IME_CAND_LEN PY_CAND_LEN
#define IME_STAFF_LEN 32

/* Where the remembered method lives (the caller's settings or store). */
struct ime_hooks {
	void *arg;
	/* The method staff last used, or -1 if none is remembered. */
	int (*method_get)(void *arg, const char *staff_id);
	/* Remembers method for staff; called on every switch. */
	void (*method_set)(void *arg, const char *staff_id, int method);
};

enum ime_cand_kind {
	IME_CAND_NONE,
	IME_CAND_HW,     /* what the ink may be */
	IME_CAND_PINYIN, /* what the letters may be */
	IME_CAND_NEXT    /* 联想 after the last commit */
};

struct ime {
	int method;
	int max_chars;
	char staff[IME_STAFF_LEN];
	struct ime_hooks hooks;
	struct hw *hw; /* borrowed */
	struct py *py; /* borrowed */

	char text[IME_TEXT_MAX]; /* the note, UTF-8 */
	size_t len;              /* bytes */
	int nchars;

	struct hw_ink ink;  /* the character being written */
	int stroke_open;    /* a finger is down on the pad */
	int64_t last_up_ms; /* when the last stroke ended */
	int pad_w, pad_h;   /* the pad's size, for the ink's box */

	int kind; /* enum ime_cand_kind */
	int ncand;
	char cand[IME_CAND_N][IME_CAND_LEN];
	int err; /* the last refused action's status, 0 none */
};

/*
 * Starts an empty note of at most max_chars (<= 0: IME_CHARS_DEFAULT) for
 * staff_id (borrowed; copied) in the method the hooks remember, or
 * handwriting.  hw and py are borrowed and may be shared by every note;
 * their models load at the first stroke or letter.  hooks may be NULL.
 */
void ime_init(struct ime *ime, struct hw *hw, struct py *py,
    const struct ime_hooks *hooks, const char *staff_id, int max_chars);

/* Sets the handwriting pad's size in pixels (the ink's box). */
void ime_set_pad(struct ime *ime, int w, int h);

/* Switches to method (or the other one if method < 0); pending strokes
 * or letters are dropped, the text kept; the hooks remember it. */
void ime_switch(struct ime *ime, int method);

/* Handwriting: a finger down, moves, up on the pad (pad pixels). */
int ime_stroke_begin(struct ime *ime, int x, int y);
int ime_stroke_point(struct ime *ime, int x, int y);
int ime_stroke_end(struct ime *ime, int64_t now_ms);

/* A letter of the pinyin keyboard. */
int ime_key(struct ime *ime, char letter);

/* Types text directly (a digit, punctuation): what is pending is
 * committed first. */
int ime_text(struct ime *ime, const char *s);

/* Taps candidate i. */
int ime_choose(struct ime *ime, int i);

/* 确定 / space: commits the first candidate of what is pending. Returns 1
 * if there was something pending. */
int ime_confirm(struct ime *ime);

/* Delete, see above. */
void ime_delete(struct ime *ime);

/* Time passes: commits a written character after the pause.  Returns the
 * time the caller should call again (0: no need). */
int64_t ime_tick(struct ime *ime, int64_t now_ms);

/* The pinyin letters typed (and the part of a phrase fixed), for the
 * composition line; "" when nothing is pending. */
const char *ime_composition(const struct ime *ime, char *buf, size_t len);

#endif
