/*
 * hw_freq.h: the character frequency table of hw.c (generated into
 * hw_freq.c by tests/tools/ime_freq.c from libpinyin-data).
 */
#ifndef GU_HW_FREQ_H
#define GU_HW_FREQ_H

#include <stddef.h>
#include <stdint.h>

struct hw_freq_ent {
	uint32_t cp;   /* Unicode code point */
	uint32_t freq; /* libpinyin unigram count, summed over readings */
};

extern const struct hw_freq_ent hw_freq[]; /* sorted by cp */
extern const size_t hw_freq_n;

#endif
