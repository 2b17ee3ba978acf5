/*
 * ime.c: the input method's state machine (see ime.h).
 */
#include "ime.h"

#include <string.h>

#include "status.h"

static int
utf8_chars(const char *s, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char) s[i] & 0xC0) != 0x80;
	return n;
}

static void
set_cands_hw(struct ime *ime, const struct hw_cands *c)
{
	ime->ncand = 0;
	for (int i = 0; i < c->n && i < HW_CAND_N; i++) {
		memcpy(ime->cand[i], c->text[i], HW_CHAR_MAX);
		ime->ncand++;
	}
	ime->kind = ime->ncand > 0 ? IME_CAND_HW : IME_CAND_NONE;
}

static void
set_cands_py(struct ime *ime)
{
	const struct py_state *st = py_state(ime->py);

	ime->ncand = 0;
	for (int i = 0; i < st->ncand && i < IME_CAND_N; i++) {
		memcpy(ime->cand[i], st->cand[i], IME_CAND_LEN);
		ime->ncand++;
	}
	if (ime->ncand == 0)
		ime->kind = IME_CAND_NONE;
	else
		ime->kind = st->predicting ? IME_CAND_NEXT : IME_CAND_PINYIN;
}

static void
clear_cands(struct ime *ime)
{
	ime->ncand = 0;
	ime->kind = IME_CAND_NONE;
}

void
ime_init(struct ime *ime, struct hw *hw, struct py *py,
    const struct ime_hooks *hooks, const char *staff_id, int max_chars)
{
	memset(ime, 0, sizeof(*ime));
	ime->hw = hw;
	ime->py = py;
	ime->max_chars = max_chars > 0 ? max_chars : IME_CHARS_DEFAULT;
	if (hooks != NULL)
		ime->hooks = *hooks;
	if (staff_id != NULL) {
		size_t n = strlen(staff_id);
		if (n >= sizeof(ime->staff))
			n = sizeof(ime->staff) - 1;
		memcpy(ime->staff, staff_id, n);
	}
	ime->method = IME_HANDWRITING;
	if (ime->hooks.method_get != NULL) {
		int m = ime->hooks.method_get(ime->hooks.arg, ime->staff);
		if (m >= 0 && m < IME_METHOD_N)
			ime->method = m;
	}
	ime->pad_w = ime->pad_h = 1024;
	hw_ink_init(&ime->ink, ime->pad_w, ime->pad_h);
}

void
ime_set_pad(struct ime *ime, int w, int h)
{
	if (w == ime->pad_w && h == ime->pad_h)
		return;
	ime->pad_w = w > 0 ? w : 1;
	ime->pad_h = h > 0 ? h : 1;
	/* Ink in the old box would be out of place: start the character
	 * again (a rotation while writing). */
	hw_ink_init(&ime->ink, ime->pad_w, ime->pad_h);
	ime->stroke_open = 0;
	if (ime->kind == IME_CAND_HW)
		clear_cands(ime);
}

/* The pad is empty again: the model's pages leave the PSS (hw.h). */
static void
ink_done(struct ime *ime)
{
	hw_ink_init(&ime->ink, ime->pad_w, ime->pad_h);
	if (ime->hw != NULL)
		hw_rest(ime->hw);
}

static void
drop_pending(struct ime *ime)
{
	ink_done(ime);
	ime->stroke_open = 0;
	if (ime->py != NULL)
		py_clear(ime->py);
	clear_cands(ime);
}

void
ime_switch(struct ime *ime, int method)
{
	if (method < 0 || method >= IME_METHOD_N)
		method = ime->method == IME_HANDWRITING ? IME_PINYIN
		                                        : IME_HANDWRITING;
	drop_pending(ime);
	ime->method = method;
	if (ime->hooks.method_set != NULL)
		ime->hooks.method_set(ime->hooks.arg, ime->staff, method);
}

/* Appends s to the note, then shows 联想 after it. */
static int
append(struct ime *ime, const char *s)
{
	size_t n = strlen(s);
	int c = utf8_chars(s, n);

	if (n == 0)
		return GU_OK;
	if (ime->nchars + c > ime->max_chars ||
	    ime->len + n + 1 > sizeof(ime->text)) {
		ime->err = GU_ETOOBIG;
		return GU_ETOOBIG;
	}
	memcpy(ime->text + ime->len, s, n + 1);
	ime->len += n;
	ime->nchars += c;
	ime->err = 0;
	clear_cands(ime);
	if (ime->py != NULL && (unsigned char) s[0] >= 0x80) {
		py_clear(ime->py);
		if (py_suggest(ime->py, ime->text) > 0)
			set_cands_py(ime);
	}
	return GU_OK;
}

static int
classify(struct ime *ime)
{
	struct hw_cands c;
	const char *likely[HW_LIKELY_MAX];
	int nlikely = 0, rc;

	if (ime->hw == NULL)
		return GU_EINVAL;
	/* The 联想 after the text so far re-rank what the ink may be. */
	if (ime->py != NULL && ime->len > 0) {
		const struct py_state *st;
		py_clear(ime->py);
		py_suggest(ime->py, ime->text);
		st = py_state(ime->py);
		for (int i = 0; i < st->ncand && nlikely < HW_LIKELY_MAX; i++)
			likely[nlikely++] = st->cand[i];
	}
	rc = hw_classify(ime->hw, &ime->ink, HW_ALL, likely, nlikely, &c);
	if (ime->py != NULL)
		py_clear(ime->py); /* the 联想 were only for ranking */
	if (rc != GU_OK) {
		ime->err = rc;
		return rc;
	}
	set_cands_hw(ime, &c);
	return GU_OK;
}

int
ime_stroke_begin(struct ime *ime, int x, int y)
{
	int rc;

	if (ime->method != IME_HANDWRITING)
		return GU_EINVAL;
	/* Writing over 联想 starts a new character. */
	if (ime->kind == IME_CAND_NEXT)
		clear_cands(ime);
	if (ime->ink.nstroke == 0 && ime->hw != NULL)
		hw_prepare(ime->hw);
	rc = hw_ink_begin(&ime->ink);
	if (rc != GU_OK)
		return rc;
	ime->stroke_open = 1;
	return hw_ink_add(&ime->ink, x, y);
}

int
ime_stroke_point(struct ime *ime, int x, int y)
{
	if (!ime->stroke_open)
		return GU_EINVAL;
	/* A finger that slides off the pad is held at its edge. */
	x = x < 0 ? 0 : x >= ime->pad_w ? ime->pad_w - 1 : x;
	y = y < 0 ? 0 : y >= ime->pad_h ? ime->pad_h - 1 : y;
	return hw_ink_add(&ime->ink, x, y);
}

int
ime_stroke_end(struct ime *ime, int64_t now_ms)
{
	if (!ime->stroke_open)
		return GU_EINVAL;
	ime->stroke_open = 0;
	ime->last_up_ms = now_ms;
	return classify(ime);
}

int
ime_key(struct ime *ime, char letter)
{
	int rc;

	if (ime->method != IME_PINYIN || ime->py == NULL)
		return GU_EINVAL;
	if (ime->kind == IME_CAND_NEXT) {
		py_clear(ime->py);
		clear_cands(ime);
	}
	rc = py_key(ime->py, letter);
	if (rc != GU_OK)
		return rc;
	set_cands_py(ime);
	return GU_OK;
}

int
ime_choose(struct ime *ime, int i)
{
	char buf[PY_TEXT_MAX];
	int rc;

	if (i < 0 || i >= ime->ncand)
		return GU_EINVAL;
	switch (ime->kind) {
	case IME_CAND_HW:
		memcpy(buf, ime->cand[i], HW_CHAR_MAX);
		rc = append(ime, buf);
		if (rc == GU_OK)
			ink_done(ime);
		return rc;
	case IME_CAND_PINYIN:
	case IME_CAND_NEXT: {
		/* A refused commit must leave the letters: try the length
		 * first. */
		int c = utf8_chars(ime->cand[i], strlen(ime->cand[i]));
		if (ime->kind == IME_CAND_PINYIN &&
		    py_state(ime->py)->fixed[0] != '\0')
			c += utf8_chars(py_state(ime->py)->fixed,
			    strlen(py_state(ime->py)->fixed));
		if (ime->nchars + c > ime->max_chars) {
			ime->err = GU_ETOOBIG;
			return GU_ETOOBIG;
		}
		rc = py_choose(ime->py, i, buf, sizeof(buf));
		if (rc < 0)
			return rc;
		if (rc == 1)
			return append(ime, buf);
		set_cands_py(ime);
		return GU_OK;
	}
	default:
		return GU_EINVAL;
	}
}

int
ime_confirm(struct ime *ime)
{
	if (ime->kind == IME_CAND_HW || ime->kind == IME_CAND_PINYIN) {
		/* Pinyin: the whole phrase's first reading. */
		if (ime->kind == IME_CAND_PINYIN) {
			char buf[PY_TEXT_MAX];
			if (py_commit_first(ime->py, buf, sizeof(buf)) == 1)
				return append(ime, buf) == GU_OK;
			return 0;
		}
		return ime_choose(ime, 0) == GU_OK;
	}
	if (ime->kind == IME_CAND_NEXT) {
		py_clear(ime->py);
		clear_cands(ime);
	}
	return 0;
}

int
ime_text(struct ime *ime, const char *s)
{
	if (ime->kind == IME_CAND_HW || ime->kind == IME_CAND_PINYIN)
		ime_confirm(ime);
	if (ime->kind == IME_CAND_NEXT) {
		py_clear(ime->py);
		clear_cands(ime);
	}
	return append(ime, s);
}

void
ime_delete(struct ime *ime)
{
	ime->err = 0;
	if (ime->method == IME_HANDWRITING && ime->ink.nstroke > 0) {
		hw_ink_undo(&ime->ink);
		ime->stroke_open = 0;
		if (ime->ink.npoint > 0) {
			classify(ime);
		} else {
			clear_cands(ime);
			if (ime->hw != NULL)
				hw_rest(ime->hw);
		}
		return;
	}
	if (ime->py != NULL &&
	    (ime->kind == IME_CAND_PINYIN || ime->kind == IME_CAND_NEXT) &&
	    py_delete(ime->py)) {
		set_cands_py(ime);
		return;
	}
	if (ime->kind != IME_CAND_NONE) {
		clear_cands(ime);
		return;
	}
	if (ime->len == 0)
		return;
	size_t i = ime->len - 1;
	while (i > 0 && ((unsigned char) ime->text[i] & 0xC0) == 0x80)
		i--;
	ime->len = i;
	ime->text[i] = '\0';
	ime->nchars--;
}

int64_t
ime_tick(struct ime *ime, int64_t now_ms)
{
	if (ime->method != IME_HANDWRITING || ime->stroke_open ||
	    ime->kind != IME_CAND_HW || ime->ink.nstroke == 0)
		return 0;
	if (now_ms - ime->last_up_ms >= IME_HW_COMMIT_MS) {
		ime_choose(ime, 0);
		return 0;
	}
	return ime->last_up_ms + IME_HW_COMMIT_MS;
}

const char *
ime_composition(const struct ime *ime, char *buf, size_t len)
{
	const struct py_state *st;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (ime->method != IME_PINYIN || ime->py == NULL)
		return buf;
	st = py_state(ime->py);
	if (st->nletters == 0)
		return buf;
	size_t fl = strlen(st->fixed);
	if (fl + (size_t) st->nletters + 1 > len)
		return buf;
	memcpy(buf, st->fixed, fl);
	memcpy(buf + fl, st->letters, (size_t) st->nletters + 1);
	return buf;
}
