/*
 * pinyin.c: the pinyin keyboard's state over libgooglepinyin (gpy.h).
 */
#include "pinyin.h"

#include <stdlib.h>
#include <string.h>

#include "gpy.h"
#include "status.h"

struct py {
	char *dict_path;
	int tried, rc;
	struct py_state st;
	char pred[PY_CAND_N][PY_CAND_LEN]; /* scratch of py_suggest */
};

static int py_exists;

struct py *
py_new(const char *dict_path)
{
	struct py *py;

	if (py_exists)
		return NULL;
	py = calloc(1, sizeof(*py));
	if (py == NULL)
		return NULL;
	py->dict_path = strdup(dict_path != NULL ? dict_path : PY_DICT_DEFAULT);
	if (py->dict_path == NULL) {
		free(py);
		return NULL;
	}
	py_exists = 1;
	return py;
}

void
py_free(struct py *py)
{
	if (py == NULL)
		return;
	if (py->tried && py->rc == GU_OK)
		gpy_close();
	free(py->dict_path);
	free(py);
	py_exists = 0;
}

int
py_load(struct py *py)
{
	if (!py->tried) {
		py->tried = 1;
		py->rc = gpy_open(py->dict_path) ? GU_OK : GU_EIO;
	}
	return py->rc;
}

const struct py_state *
py_state(const struct py *py)
{
	return &py->st;
}

static void
copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (len == 0)
		return;
	if (n >= len) {
		n = len - 1;
		/* Never cut a UTF-8 sequence. */
		while (n > 0 && ((unsigned char) src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Reads the engine's candidates into the state. */
static void
take(struct py *py, size_t n)
{
	struct py_state *st = &py->st;

	st->ncand = 0;
	st->predicting = 0;
	for (size_t i = 0; i < n && st->ncand < PY_CAND_N; i++) {
		if (gpy_candidate(i, st->cand[st->ncand], PY_CAND_LEN) &&
		    st->cand[st->ncand][0] != '\0')
			st->ncand++;
	}
}

static void
research(struct py *py)
{
	py->st.fixed[0] = '\0';
	if (py->st.nletters == 0) {
		py->st.ncand = 0;
		return;
	}
	take(py, gpy_search(py->st.letters, (size_t) py->st.nletters));
}

int
py_key(struct py *py, char letter)
{
	struct py_state *st = &py->st;
	int rc;

	if (letter >= 'A' && letter <= 'Z')
		letter = (char) (letter - 'A' + 'a');
	if (letter < 'a' || letter > 'z')
		return GU_EINVAL;
	if (st->nletters >= PY_LETTERS_MAX)
		return GU_ETOOBIG;
	rc = py_load(py);
	if (rc != GU_OK)
		return rc;
	st->letters[st->nletters++] = letter;
	st->letters[st->nletters] = '\0';
	research(py);
	return GU_OK;
}

int
py_delete(struct py *py)
{
	struct py_state *st = &py->st;

	if (st->nletters > 0) {
		st->letters[--st->nletters] = '\0';
		research(py);
		return 1;
	}
	if (st->ncand > 0) {
		st->ncand = 0;
		st->predicting = 0;
		return 1;
	}
	return 0;
}

void
py_clear(struct py *py)
{
	py->st.nletters = 0;
	py->st.letters[0] = '\0';
	py->st.fixed[0] = '\0';
	py->st.ncand = 0;
	py->st.predicting = 0;
}

int
py_choose(struct py *py, int i, char *commit, size_t len)
{
	struct py_state *st = &py->st;

	if (i < 0 || i >= st->ncand)
		return GU_EINVAL;
	if (st->predicting || st->nletters == 0) {
		copy_str(commit, len, st->cand[i]);
		py_clear(py);
		return 1;
	}
	size_t n = gpy_choose((size_t) i);
	size_t fixed = gpy_fixed_len(), spl = gpy_spl_count();
	char buf[PY_TEXT_MAX];

	/* Every syllable fixed: candidate 0 is now the whole phrase. */
	if (fixed >= spl || n <= 1) {
		if (!gpy_candidate(0, buf, sizeof(buf)))
			buf[0] = '\0';
		copy_str(commit, len, buf);
		py_clear(py);
		return 1;
	}
	/* Part of the phrase: the fixed text is the prefix of every
	 * remaining candidate's sentence (candidate 0). */
	if (gpy_candidate(0, buf, sizeof(buf))) {
		/* fixed characters are BMP hanzi, 3 bytes each */
		size_t fb = fixed * 3 < strlen(buf) ? fixed * 3 : strlen(buf);
		buf[fb] = '\0';
		copy_str(st->fixed, sizeof(st->fixed), buf);
	}
	take(py, n);
	/* The engine lists the whole sentence first; for the rest the
	 * keyboard shows what follows the fixed part. */
	size_t fl = strlen(st->fixed);
	for (int k = 0; k < st->ncand; k++) {
		if (fl > 0 && strncmp(st->cand[k], st->fixed, fl) == 0) {
			memmove(st->cand[k], st->cand[k] + fl,
			    strlen(st->cand[k]) - fl + 1);
		}
	}
	return 0;
}

int
py_commit_first(struct py *py, char *commit, size_t len)
{
	for (int guard = 0; guard < PY_LETTERS_MAX && py->st.ncand > 0;
	     guard++) {
		int r = py_choose(py, 0, commit, len);
		if (r != 0)
			return r > 0;
	}
	return 0;
}

int
py_suggest(struct py *py, const char *history)
{
	struct py_state *st = &py->st;
	char(*out)[PY_CAND_LEN] = py->pred;
	size_t hl = strlen(history), start;
	int k = 0;

	if (st->nletters > 0 || py_load(py) != GU_OK)
		return 0;
	/* The last four characters are enough history for the engine. */
	start = hl;
	for (int c = 0; c < 4 && start > 0;) {
		start--;
		if (((unsigned char) history[start] & 0xC0) != 0x80)
			c++;
	}
	size_t n =
	    gpy_predicts(history + start, &out[0][0], PY_CAND_LEN, PY_CAND_N);
	for (size_t i = 0; i < n; i++)
		if (out[i][0] != '\0')
			memcpy(st->cand[k++], out[i], PY_CAND_LEN);
	st->ncand = k;
	st->predicting = k > 0;
	return k;
}
