/*
 * fuzz_ime.c: libFuzzer target for the input method's two input paths,
 * with the real engines.
 *
 * First byte even: the rest is one line of hw-classify's stroke format,
 * parsed by hw_ink_parse (an error must name a column inside the line;
 * success gives ink whose every point is in the box and whose strokes are
 * non-empty and ordered) and, when it parses, classified.
 *
 * First byte odd: the rest is a stream of user actions replayed through
 * ime.c, each an opcode byte and its arguments: strokes (begin, points,
 * end, with any coordinates), letters and other bytes as keys, candidate
 * taps with any index, delete, confirm, punctuation, switch, ticks.
 * Checked after every action: the note is valid UTF-8 within its limit
 * and its byte and character counts agree.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hw.h"
#include "ime.h"
#include "pinyin.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hw *hw;
static struct py *py;

static void
check_note(const struct ime *ime)
{
	int n = 0;

	assert(ime->len < sizeof(ime->text));
	assert(strlen(ime->text) == ime->len);
	for (size_t i = 0; i < ime->len;) {
		unsigned char c = (unsigned char) ime->text[i];
		size_t k = c < 0x80      ? 1
		    : (c & 0xE0) == 0xC0 ? 2
		    : (c & 0xF0) == 0xE0 ? 3
		    : (c & 0xF8) == 0xF0 ? 4
		                         : 0;
		assert(k > 0 && i + k <= ime->len);
		for (size_t j = 1; j < k; j++)
			assert(
			    ((unsigned char) ime->text[i + j] & 0xC0) == 0x80);
		i += k;
		n++;
	}
	assert(n == ime->nchars);
	assert(n <= ime->max_chars);
	assert(ime->ncand >= 0 && ime->ncand <= IME_CAND_N);
}

static void
parse_path(const uint8_t *d, size_t n)
{
	static struct hw_ink ink;
	struct hw_cands c;
	char err[128];
	int rc = hw_ink_parse(&ink, (const char *) d, n, err, sizeof(err));

	if (rc != GU_OK) {
		unsigned long col = 0;
		assert(sscanf(err, "column %lu:", &col) == 1);
		assert(col >= 1 && col <= n + 1);
		return;
	}
	for (int s = 0; s < ink.nstroke; s++) {
		int start = s > 0 ? ink.end[s - 1] : 0;
		assert(ink.end[s] > start);
	}
	for (int i = 0; i < ink.npoint; i++)
		assert(ink.x[i] >= 0 && ink.x[i] < 1024 && ink.y[i] >= 0 &&
		    ink.y[i] < 1024);
	if (hw_classify(hw, &ink, HW_ALL, NULL, 0, &c) == GU_OK)
		assert(c.n >= 0 && c.n <= HW_CAND_N);
}

static void
action_path(const uint8_t *d, size_t n)
{
	static struct ime ime;
	static const char *punct[] = {
	    "，", "。", "、", "？", "！", "：", "1", "0"};
	int64_t t = 0;
	int classified = 0;

	ime_init(&ime, hw, py, NULL, "T0002", 1 + (n > 0 ? d[0] % 40 : 0));
	ime_set_pad(&ime, 600, 420);
	for (size_t i = 1; i < n; i++) {
		uint8_t op = d[i];
		int a = i + 1 < n ? d[i + 1] : 0;
		int b = i + 2 < n ? d[i + 2] : 0;

		switch (op % 12) {
		case 0:
			ime_stroke_begin(&ime, a * 3 - 40, b * 2 - 20);
			i += 2;
			break;
		case 1:
		case 2:
			ime_stroke_point(&ime, a * 3 - 40, b * 2 - 20);
			i += 2;
			break;
		case 3:
			/* Zinnia takes ~10 ms: bound the classifications of
			 * one input so the fuzzer keeps its pace. */
			if (classified++ < 8)
				ime_stroke_end(&ime, t);
			break;
		case 4:
		case 5:
			ime_key(&ime, (char) a);
			i++;
			break;
		case 6:
			ime_choose(&ime, a - 8);
			i++;
			break;
		case 7:
			ime_delete(&ime);
			break;
		case 8:
			ime_confirm(&ime);
			break;
		case 9:
			ime_text(&ime, punct[a % 8]);
			i++;
			break;
		case 10:
			ime_switch(&ime, a % 3 - 1);
			i++;
			break;
		default:
			t += a * 10;
			if (classified < 8)
				ime_tick(&ime, t);
			i++;
			break;
		}
		check_note(&ime);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (hw == NULL) {
		hw = hw_new(NULL);
		py = py_new(NULL);
		assert(hw != NULL && py != NULL);
	}
	if (size == 0)
		return 0;
	if ((data[0] & 1) == 0)
		parse_path(data + 1, size - 1);
	else
		action_path(data + 1, size - 1);
	return 0;
}
