/*
 * fuzz_kv.c: libFuzzer target for the key = value line reader (kv.h), in
 * each of its modes.  The first byte picks the options (flags, comment
 * characters, a small or the default line limit, keep-going); the rest is
 * the text.  What is checked, beyond the sanitizers: every line handed
 * out is NUL-terminated, trimmed (but for a quoted value), within the limit and not a comment;
 * lines only go forwards; a key has no '=' and is not empty; each problem
 * has a line inside the text and a message; OK means no problem.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kv.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	const struct kv_opts *o;
	size_t max;
	unsigned last, lines, nerr;
	int stop_at; /* refuse the nth line, to reach that path */
	int n;
};

static int
blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

static int
line_fn(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct state *s = arg;
	size_t n = strlen(l->value);

	assert(l->line > s->last && l->line <= s->lines);
	s->last = l->line;
	assert(n <= s->max);
	/* A quoted value keeps what is inside its quotes. */
	if (n > 0 && ((s->o->flags & KV_QUOTES) == 0 || l->key == NULL))
		assert(!blank(l->value[0]) && !blank(l->value[n - 1]));
	if (l->key != NULL) {
		assert(l->key[0] != '\0' && strchr(l->key, '=') == NULL);
		assert(!blank(l->key[strlen(l->key) - 1]));
	} else {
		assert(n > 0);
		assert((s->o->flags & KV_RAW) != 0 || l->value[0] == '[');
		assert(strchr(s->o->comments, l->value[0]) == NULL);
	}
	if (++s->n == s->stop_at) {
		snprintf(why, why_len, "refused");
		return GU_EINVAL;
	}
	return GU_OK;
}

static void
err_fn(void *arg, const char *name, unsigned line, const char *msg)
{
	struct state *s = arg;

	assert(strcmp(name, "fuzz") == 0);
	assert(line >= 1 && line <= s->lines);
	assert(msg != NULL && msg[0] != '\0');
	s->nerr++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kv_opts o = {0, "#;", NULL, 0, 0};
	struct state s;
	const char *text;
	size_t len, i;
	int rc;

	if (size == 0)
		return 0;
	o.flags = data[0] & 7;
	o.max_line = (data[0] & 8) ? 24 : 0;
	o.keep_going = (data[0] & 16) != 0;
	if (data[0] & 32)
		o.comments = "#";
	memset(&s, 0, sizeof(s));
	s.o = &o;
	s.max = o.max_line != 0 ? o.max_line : KV_LINE_MAX;
	s.stop_at = (data[0] >> 6) * 3;
	text = (const char *) data + 1;
	len = size - 1;
	for (i = 0; i < len; i++)
		s.lines += text[i] == '\n';
	s.lines += len > 0 && text[len - 1] != '\n';
	rc = kv_parse_buf("fuzz", text, len, &o, line_fn, &s, err_fn, &s);
	assert(rc == GU_OK || rc == GU_EINVAL);
	assert((rc == GU_OK) == (s.nerr == 0));
	if (!o.keep_going)
		assert(s.nerr <= 1);
	return 0;
}
