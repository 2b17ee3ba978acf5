/*
 * gpy.cc: libgooglepinyin behind the C interface of gpy.h.  The only C++
 * in the project: the library's API is C++ (namespace ime_pinyin, UTF-16
 * strings); this file converts to UTF-8 and catches nothing because the
 * library throws nothing.
 */
#include "gpy.h"

#include <string.h>

#include <pinyinime.h>

using ime_pinyin::char16;

/*
 * libgooglepinyin 0.1.2 (Debian 12) frees an array made with new[] by
 * plain delete in SpellingTrie::build_ym_info(), which AddressSanitizer
 * reports on the first key of every sanitizer build.  The fault is the
 * library's and harmless for a trivially destructible array; only that
 * check is turned off, only in binaries that link this engine.
 */
#if defined(__SANITIZE_ADDRESS__)
#define GPY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GPY_ASAN 1
#endif
#endif
#ifdef GPY_ASAN
extern "C" const char *__asan_default_options(void);
extern "C" const char *
__asan_default_options(void)
{
	return "alloc_dealloc_mismatch=0";
}
#endif

static int opened;

/* UTF-16 (BMP only, as the library's dictionary is) to UTF-8. */
static void
to8(const char16 *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s != 0; s++) {
		unsigned c = *s;
		char t[3];
		size_t n;
		if (c < 0x80) {
			t[0] = (char) c;
			n = 1;
		} else if (c < 0x800) {
			t[0] = (char) (0xC0 | (c >> 6));
			t[1] = (char) (0x80 | (c & 0x3F));
			n = 2;
		} else {
			t[0] = (char) (0xE0 | (c >> 12));
			t[1] = (char) (0x80 | ((c >> 6) & 0x3F));
			t[2] = (char) (0x80 | (c & 0x3F));
			n = 3;
		}
		if (o + n + 1 > len)
			break;
		memcpy(buf + o, t, n);
		o += n;
	}
	if (len > 0)
		buf[o] = '\0';
}

/* UTF-8 to UTF-16 into out (max units, NUL included); bad bytes end it. */
static void
to16(const char *s, char16 *out, size_t max)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t o = 0;

	while (*u != 0 && o + 1 < max) {
		if (u[0] < 0x80) {
			out[o++] = u[0];
			u += 1;
		} else if ((u[0] & 0xE0) == 0xC0 && u[1] != 0) {
			out[o++] =
			    (char16) (((u[0] & 0x1F) << 6) | (u[1] & 0x3F));
			u += 2;
		} else if ((u[0] & 0xF0) == 0xE0 && u[1] != 0 && u[2] != 0) {
			out[o++] = (char16) (((u[0] & 0x0F) << 12) |
			    ((u[1] & 0x3F) << 6) | (u[2] & 0x3F));
			u += 3;
		} else {
			break;
		}
	}
	out[o] = 0;
}

int
gpy_open(const char *dict_path)
{
	if (opened)
		return 0;
	/* No user dictionary: "/dev/null" does not load as one, so the
	 * decoder runs without (nothing typed is written anywhere). */
	if (!ime_pinyin::im_open_decoder(dict_path, "/dev/null"))
		return 0;
	opened = 1;
	return 1;
}

void
gpy_close(void)
{
	if (!opened)
		return;
	ime_pinyin::im_close_decoder();
	opened = 0;
}

size_t
gpy_search(const char *letters, size_t len)
{
	if (!opened)
		return 0;
	ime_pinyin::im_reset_search();
	return ime_pinyin::im_search(letters, len);
}

int
gpy_candidate(size_t i, char *buf, size_t len)
{
	char16 b[64];

	if (!opened || ime_pinyin::im_get_candidate(i, b, 63) == NULL)
		return 0;
	b[63] = 0;
	to8(b, buf, len);
	return 1;
}

size_t
gpy_choose(size_t i)
{
	return opened ? ime_pinyin::im_choose(i) : 0;
}

size_t
gpy_fixed_len(void)
{
	return opened ? ime_pinyin::im_get_fixed_len() : 0;
}

size_t
gpy_spl_count(void)
{
	const ime_pinyin::uint16 *start = NULL;

	return opened ? ime_pinyin::im_get_spl_start_pos(start) : 0;
}

size_t
gpy_decoded_len(void)
{
	size_t n = 0;

	if (opened)
		ime_pinyin::im_get_sps_str(&n);
	return n;
}

size_t
gpy_predicts(const char *hist, char *out, size_t slot, size_t max)
{
	char16 h[64];
	char16(*pre)[ime_pinyin::kMaxPredictSize + 1] = NULL;
	size_t n, i;

	if (!opened)
		return 0;
	to16(hist, h, 64);
	if (h[0] == 0)
		return 0;
	n = ime_pinyin::im_get_predicts(h, pre);
	for (i = 0; i < n && i < max; i++)
		to8(pre[i], out + i * slot, slot);
	return i;
}

#if defined(__SANITIZE_ADDRESS__)
/*
 * libgooglepinyin 0.1.0 leaks one buffer per im_open_decoder (DictTrie::
 * load_dict, about 190 KiB, never freed by im_close_decoder).  It is the
 * library's, once per process, and so are the spelling trie's nodes
 * (SpellingTrie::construct*) it loses when a decoder is opened again;
 * LeakSanitizer is told so here, next to the
 * only code that calls it, rather than silenced for everything.
 */
extern "C" const char *__lsan_default_suppressions(void);
extern "C" const char *
__lsan_default_suppressions(void)
{
	return "leak:ime_pinyin::DictTrie::load_dict\n"
	       "leak:ime_pinyin::SpellingTrie::\n";
}
#endif
