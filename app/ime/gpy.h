/*
 * gpy.h: a C face on libgooglepinyin's C++ decoder (gpy.cc, the only file
 * that includes <pinyinime.h>).  Strings are UTF-8.  The decoder is one
 * per process (the library keeps it in globals): gpy_open twice without
 * gpy_close is refused.  Used by pinyin.c only.
 */
#ifndef GU_GPY_H
#define GU_GPY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opens the system dictionary (read-only; no user dictionary is kept, so
 * nothing a teacher typed is remembered on disk).  1 on success. */
int gpy_open(const char *dict_path);
void gpy_close(void);
/* Searches letters (a-z, len bytes) afresh: the number of candidates. */
size_t gpy_search(const char *letters, size_t len);
/* Candidate i into buf (len bytes, NUL-terminated): 1, or 0 if none. */
int gpy_candidate(size_t i, char *buf, size_t len);
/* Fixes candidate i: the number of candidates for the rest. */
size_t gpy_choose(size_t i);
/* Characters fixed by choices, and spelling ids (syllables) decoded. */
size_t gpy_fixed_len(void);
size_t gpy_spl_count(void);
/* Letters the decoder used of those searched (it stops at a letter no
 * syllable can continue). */
size_t gpy_decoded_len(void);
/* Up to max 联想 predictions after hist, each into out[i] (slot bytes):
 * the number written. */
size_t gpy_predicts(const char *hist, char *out, size_t slot, size_t max);

#ifdef __cplusplus
}
#endif

#endif
