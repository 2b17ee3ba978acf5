/*
 * hw.h: handwriting recognition for the input method.  It alone includes
 * <zinnia.h>; it knows nothing of SDL or the toolkit.
 *
 * The caller collects finger strokes into a struct hw_ink (window pixels,
 * any box, y growing downward) and asks hw_classify() for the ten most
 * likely characters.  Around the Zinnia recogniser with Debian's model
 * (tegaki-zinnia-simplified-chinese, used as it is) the module does:
 *
 *   1. normalisation: the ink's bounding box is moved and scaled, aspect
 *      kept, so its longer side fills 80% of the model's box, centred
 *      where the model's characters sit; a dot or a short dash is not
 *      blown up to the whole box;
 *   2. resampling: a 1-2-1 smoothing of jitter, then each stroke redrawn
 *      with points at even spacing, which removes the finger's speed;
 *   3. stroke count: a candidate loses a fixed amount when the count of
 *      strokes the model's weights favour for it (its feature 2000000 + n)
 *      is not the ink's, so a character with another structure does not
 *      win on shape alone; characters whose weights favour no count are
 *      not checked;
 *   4. ranking: each candidate's score gets a prior from the character's
 *      frequency (hw_freq.c, derived from libpinyin's unigram counts by
 *      tests/tools/ime_freq.c) and a bonus when the caller names it as a
 *      likely next character after the previous one (the pinyin engine's
 *      联想);
 *   5. stroke order: ink that ends as 辶, 匚 or 廴 does in the standard
 *      order, which writes them last (这: 文 then 辶; 区: 一, 乂, then
 *      the 竖折; 建: 聿 then 廴), is fed to the model in the order it
 *      was trained with instead (辶's three strokes first, the 竖折
 *      after 匚's 横, 廴 before what it holds; endings[] in hw.c, a test
 *      of the ink's shape and an order each);
 *   6. reorderings: the pass's 50 best candidates are copied into a small
 *      model of their own and scored again on the ink with two
 *      neighbouring strokes swapped, or one stroke moved two places, at
 *      every place in turn; each keeps its best score less a penalty (the
 *      model's training writing put some strokes out of the standard
 *      order: 忄, 扌, 女, 火, 阝, 钅).
 *
 * One pass of Zinnia over the model per call (its 8 runs, ~9 ms here),
 * whatever order step 5 feeds the ink in, and step 6's
 * 3n - 5 variants on 50 records (~1.5 ms): other variants classified on the
 * whole model and merged (reversed strokes, rescaled ink) were measured
 * and cost a pass each for at most 1.5 points; docs/ime.md has figures.
 *
 * The model (26 MB, memory-mapped read-only by hw.c in 8 runs, each read
 * by a Zinnia recogniser of its own in place) is opened at the first
 * character (hw_prepare) or classification, not at hw_new(), so start-up
 * does not pay for it.
 * No threads; one struct hw per process is enough.
 */
#ifndef GU_HW_H
#define GU_HW_H

#include <stddef.h>
#include <stdint.h>

#define HW_MODEL_DEFAULT                                                       \
	"/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"
#define HW_STROKES_MAX 48  /* strokes in one character */
#define HW_POINTS_MAX 4096 /* points in one character, all strokes */
#define HW_CAND_N 10       /* candidates returned */
#define HW_CHAR_MAX 8      /* bytes of one candidate, NUL included */
#define HW_LIKELY_MAX 64   /* likely next characters the caller may name */

/* Strokes of one character.  Coordinates are in any box (set by w, h). */
struct hw_ink {
	int w, h;    /* the box the points are in, e.g. the pad's size */
	int nstroke; /* strokes begun */
	int npoint;  /* points in all strokes */
	int end[HW_STROKES_MAX]; /* index past each stroke's last point */
	int16_t x[HW_POINTS_MAX];
	int16_t y[HW_POINTS_MAX];
};

struct hw_cands {
	int n; /* candidates, 0..HW_CAND_N */
	char text[HW_CAND_N][HW_CHAR_MAX];
	float score[HW_CAND_N]; /* higher is better; comparable in one list */
};

/* What hw_classify does around the model; HW_ALL in the kiosk. */
#define HW_RAW 0x0       /* the points as they are: the baseline */
#define HW_NORMALISE 0x1 /* steps 1 and 2 */
#define HW_STROKES 0x4   /* step 3 */
#define HW_PRIOR 0x2     /* step 4 */
#define HW_ORDER 0x8     /* step 5 */
#define HW_SWAPS 0x10    /* step 6 */
#define HW_ALL (HW_NORMALISE | HW_STROKES | HW_PRIOR | HW_ORDER | HW_SWAPS)

struct hw;

/* Empties ink for a new character in a box of w x h. */
void hw_ink_init(struct hw_ink *ink, int w, int h);
/* Starts a stroke: GU_ETOOBIG past HW_STROKES_MAX (ink unchanged). */
int hw_ink_begin(struct hw_ink *ink);
/* Adds a point to the current stroke (starts one if none): GU_ETOOBIG past
 * HW_POINTS_MAX, GU_EINVAL outside the box; on error ink is unchanged. */
int hw_ink_add(struct hw_ink *ink, int x, int y);
/* Removes the last stroke (the pad's undo); no-op on empty ink. */
void hw_ink_undo(struct hw_ink *ink);

/*
 * Parses one line of hw-classify's input into ink (box 1024 x 1024):
 * strokes separated by ';', points "x,y" separated by spaces, 0..1023.
 * GU_EINVAL with "column N: why" in err (errlen bytes) for bad input,
 * GU_ETOOBIG past the maxima; on error ink holds nothing useful.
 */
int hw_ink_parse(
    struct hw_ink *ink, const char *line, size_t len, char *err, size_t errlen);

/*
 * A recogniser that will open model_path (borrowed; copied) when first
 * needed.  NULL only when out of memory.
 */
struct hw *hw_new(const char *model_path);
void hw_free(struct hw *hw); /* NULL: no-op */

/* Opens the model now (the bench does, to time recognition alone).
 * GU_EIO when the model cannot be opened; the error is kept. */
int hw_load(struct hw *hw);

/*
 * Reads the model in nparts runs (1..64; 8 unless set), each mapped only
 * while it is scored: the candidates and scores are the same for any
 * number (hw.c), fewer runs map more of the file at once.  Closes the
 * model if open.  GU_EINVAL outside 1..64 (nothing changed).  For the
 * bench and tests; the kiosk keeps the default.
 */
int hw_set_parts(struct hw *hw, int nparts);

/* Closes the model; the next classification opens it again.  The caller
 * does this when the note screen closes. */
void hw_unload(struct hw *hw);

/*
 * The model's pages.  Each classification reads all 26 MB of the model,
 * one run of records (1/8 of the file) after the other, and maps each
 * run only while it is scored (hw.c): between strokes the file does not
 * count in the kiosk's PSS, during a classification one run does.  The
 * pages stay in the page cache, the file is untouched.  hw_prepare()
 * opens the model if needed and asks for its readahead into the page
 * cache (MADV_WILLNEED, not mapped); the caller does it when the first
 * stroke of a character begins, so a disk read, if the kernel dropped the
 * file, happens while the finger writes.  hw_rest() gives back any page
 * still mapped (none after a classification); the caller does it when a
 * character is committed or dropped.
 */
void hw_prepare(struct hw *hw);
void hw_rest(struct hw *hw);

/*
 * Classifies ink with the steps in flags into out.  likely (may be NULL)
 * names up to nlikely characters that follow the previous character (best
 * first, UTF-8), borrowed for the call.  GU_OK with out->n == 0 for empty
 * ink; GU_EIO when the model cannot be opened.
 */
int hw_classify(struct hw *hw, const struct hw_ink *ink, int flags,
    const char *const *likely, int nlikely, struct hw_cands *out);

/* The prior of one character (UTF-8): log frequency, 0 for unknown. */
float hw_prior(const char *ch);

#endif
