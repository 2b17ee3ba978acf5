/*
 * pinyin.h: pinyin input: letters in, candidates out, phrase input,
 * commit, delete, and 联想 (next-word suggestions) after a commit.
 *
 * The engine is libgooglepinyin (Debian's libgooglepinyin0, dictionary
 * dict_pinyin.dat, 1 MB): chosen over librime (luna_pinyin_simp) and
 * libpinyin by the measurements in docs/ime.md (memory, start-up, taps).
 * The engine is reached through gpy.h; this module holds the state a
 * keyboard needs and no pointer into the engine.
 *
 * State: the letters typed (at most PY_LETTERS_MAX), the text fixed by
 * partial choices of a phrase, and the current candidate list.  Choosing
 * a candidate that covers every syllable commits: the committed text is
 * returned and the state empties.  Choosing one that covers fewer fixes
 * it and offers candidates for the rest (phrase input: 孩子 then 这周 out
 * of "haizizhezhou").  Deleting removes the last letter and drops partial
 * choices (the candidates are recomputed from the letters).
 *
 * The dictionary is opened at the first letter, not at py_new().  One
 * struct py per process (the library keeps its decoder in globals).
 */
#ifndef GU_PINYIN_H
#define GU_PINYIN_H

#include <stddef.h>

#define PY_DICT_DEFAULT                                                        \
	"/usr/lib/x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat"
/* Letters in one composition.  libgooglepinyin 0.1.0 aborts (an assert
 * in MatrixSearch::extend_dmi) at 27 letters that each stand for a
 * syllable ("aaaa..."), found by fuzz/fuzz_ime.c; 24 keeps a margin and
 * is still six or more syllables of phrase. */
#define PY_LETTERS_MAX 24
#define PY_CAND_N 48    /* candidates kept (the bar pages through them) */
#define PY_CAND_LEN 64  /* bytes of one candidate, NUL included */
#define PY_TEXT_MAX 256 /* bytes of committed text returned at once */

struct py_state {
	char letters[PY_LETTERS_MAX + 1]; /* typed, a-z */
	int nletters;
	char fixed[PY_TEXT_MAX]; /* chosen parts of the phrase so far */
	int ncand;
	int predicting; /* the candidates are 联想, not for letters */
	char cand[PY_CAND_N][PY_CAND_LEN];
};

struct py;

/* A pinyin engine that will open dict_path (borrowed; copied; NULL: the
 * default) when first needed.  NULL only when out of memory or when a
 * struct py exists already. */
struct py *py_new(const char *dict_path);
void py_free(struct py *py); /* NULL: no-op */
/* Opens the dictionary now: GU_EIO if it cannot be opened. */
int py_load(struct py *py);

/* The state to draw, valid until the next call on py. */
const struct py_state *py_state(const struct py *py);

/*
 * Adds letter (a-z; A-Z is folded) and recomputes the candidates.
 * GU_EINVAL for another byte, GU_ETOOBIG past PY_LETTERS_MAX, GU_EIO when
 * the dictionary cannot be opened; on error the state is unchanged.
 */
int py_key(struct py *py, char letter);

/*
 * Delete: removes the last letter (and any partial choices); with no
 * letters, empties a 联想 list.  Returns 1 if it consumed the key, 0 when
 * there was nothing to delete (the caller deletes a committed character).
 */
int py_delete(struct py *py);

/*
 * Chooses candidate i.  When that completes the composition (or i is a
 * 联想), its whole text is copied to commit (len bytes) and the letters
 * empty: returns 1.  When it fixes part of a phrase, returns 0 and the
 * candidates are for the rest.  GU_EINVAL (< 0) for a bad i.
 */
int py_choose(struct py *py, int i, char *commit, size_t len);

/*
 * Commits what is typed as it stands (the keyboard's 确定/space with
 * letters): the first candidate, as py_choose(py, 0, ...) repeated until
 * complete.  Returns 1 if something was committed.
 */
int py_commit_first(struct py *py, char *commit, size_t len);

/*
 * Fills the candidates with 联想 after history (the text before the
 * cursor, UTF-8; its last characters matter) when no letters are typed.
 * Returns the number of suggestions.
 */
int py_suggest(struct py *py, const char *history);

/* Empties letters, choices and candidates. */
void py_clear(struct py *py);

#endif
