/*
 * test_ime.c: the input method headless, with the real engines (Zinnia
 * with Debian's model, libgooglepinyin's dictionary): strokes in,
 * candidates out; pinyin keys in, candidates out; phrase input; 联想;
 * commit, delete, switch (remembered per staff member), the note's limit,
 * the pause that commits a written character, and hw-classify's input
 * parser with its errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw.h"
#include "ime.h"
#include "ime_ui.h"
#include "pinyin.h"
#include "status.h"

static struct hw *the_hw;
static struct py *the_py;

/* Draws a straight stroke from (x0,y0) to (x1,y1) in n steps. */
static void
line(struct ime *ime, int x0, int y0, int x1, int y1, int64_t t)
{
	assert_int_equal(ime_stroke_begin(ime, x0, y0), GU_OK);
	for (int i = 1; i <= 12; i++)
		assert_int_equal(ime_stroke_point(ime, x0 + (x1 - x0) * i / 12,
		                     y0 + (y1 - y0) * i / 12),
		    GU_OK);
	assert_int_equal(ime_stroke_end(ime, t), GU_OK);
}

static int
cand_index(const struct ime *ime, const char *s)
{
	for (int i = 0; i < ime->ncand; i++)
		if (strcmp(ime->cand[i], s) == 0)
			return i;
	return -1;
}

static void
test_parse(void **state)
{
	static struct hw_ink ink;
	char err[128];
	const char *ok = "10,20 30,40;50,60 70,80 90,100\n";

	(void) state;
	assert_int_equal(
	    hw_ink_parse(&ink, ok, strlen(ok), err, sizeof(err)), GU_OK);
	assert_int_equal(ink.nstroke, 2);
	assert_int_equal(ink.npoint, 5);
	assert_int_equal(ink.end[0], 2);
	assert_int_equal(ink.x[4], 90);
	assert_int_equal(ink.y[4], 100);

	const struct {
		const char *in, *msg;
	} bad[] = {
	    {"1,2;;3,4", "column 5: empty stroke"},
	    {"1,2 3,", "column 7: expected a number 0..1023"},
	    {"1,2;", "column 5: empty stroke"},
	    {"1024,3", "column 1: point 1024,3 outside 0..1023"},
	    {"1,2x", "column 4: expected ' ' or ';' after a point"},
	    {"1 2", "column 2: expected ',' in x,y"},
	    {"123456,1", "column 6: expected a number 0..1023"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(hw_ink_parse(&ink, bad[i].in,
		                     strlen(bad[i].in), err, sizeof(err)),
		    GU_EINVAL);
		assert_string_equal(err, bad[i].msg);
	}
}

/* The recogniser with ink drawn in a pad of its own size: simple
 * characters come first, wherever and however big they are written. */
static void
test_strokes(void **state)
{
	static struct ime ime;

	(void) state;
	ime_init(&ime, the_hw, the_py, NULL, "T0002", 0);
	ime_set_pad(&ime, 600, 420);
	/* 十, small, in the top left corner of the pad */
	line(&ime, 40, 100, 200, 100, 0);
	assert_int_equal(ime.kind, IME_CAND_HW);
	assert_true(ime.ncand > 0);
	line(&ime, 120, 30, 120, 190, 100);
	assert_int_equal(ime.ncand, HW_CAND_N);
	assert_string_equal(ime.cand[0], "十");
	assert_int_equal(ime_choose(&ime, 0), GU_OK);
	assert_string_equal(ime.text, "十");
	assert_int_equal(ime.ink.nstroke, 0);
	/* 三, large */
	line(&ime, 150, 80, 450, 80, 1000);
	line(&ime, 180, 200, 420, 200, 1100);
	line(&ime, 100, 340, 500, 340, 1200);
	assert_true(cand_index(&ime, "三") >= 0 && cand_index(&ime, "三") < 3);
	/* delete removes the last stroke and the candidates follow */
	ime_delete(&ime);
	assert_int_equal(ime.ink.nstroke, 2);
	assert_true(cand_index(&ime, "二") >= 0);
	ime_delete(&ime);
	ime_delete(&ime);
	assert_int_equal(ime.ink.nstroke, 0);
	assert_int_equal(ime.kind, IME_CAND_NONE);
	assert_string_equal(ime.text, "十");
	ime_delete(&ime);
	assert_string_equal(ime.text, "");
	assert_int_equal(ime.nchars, 0);
}

/* The previous character's 联想 re-rank what the ink may be; the
 * frequency prior orders near-ties. */
static void
test_rerank(void **state)
{
	static struct hw_ink ink;
	struct hw_cands plain, ctx;
	char err[64];
	const char *line = "100,500 900,500;500,100 500,900";
	const char *likely[1];

	(void) state;
	assert_int_equal(
	    hw_ink_parse(&ink, line, strlen(line), err, sizeof(err)), GU_OK);
	assert_int_equal(
	    hw_classify(the_hw, &ink, HW_ALL, NULL, 0, &plain), GU_OK);
	assert_string_equal(plain.text[0], "十");
	likely[0] = plain.text[4];
	assert_int_equal(
	    hw_classify(the_hw, &ink, HW_ALL, likely, 1, &ctx), GU_OK);
	int was = 4, now = -1;
	for (int i = 0; i < ctx.n; i++)
		if (strcmp(ctx.text[i], plain.text[was]) == 0)
			now = i;
	assert_true(now >= 0 && now < was);
	/* without HW_PRIOR the likely list is not used */
	assert_int_equal(
	    hw_classify(the_hw, &ink, HW_NORMALISE, likely, 1, &ctx), GU_OK);
	assert_string_equal(ctx.text[0], "十");
	/* The stroke count's check lowers only the candidates the model
	 * knows with another count than the ink's two: 十 keeps its score,
	 * some others keep theirs and some are lowered (out of the ten, or
	 * further down). */
	struct hw_cands counted;
	assert_int_equal(hw_classify(the_hw, &ink, HW_NORMALISE | HW_STROKES,
	                     NULL, 0, &counted),
	    GU_OK);
	int kept = 0, lowered = 0;
	for (int i = 0; i < ctx.n; i++) {
		int j = 0;
		while (j < counted.n && strcmp(ctx.text[i], counted.text[j]))
			j++;
		if (j < counted.n && counted.score[j] == ctx.score[i])
			kept++;
		else if (j == counted.n || counted.score[j] < ctx.score[i])
			lowered++;
		else
			fail_msg("%s rose", ctx.text[i]);
	}
	assert_string_equal(counted.text[0], "十");
	assert_true(counted.score[0] == ctx.score[0]);
	assert_true(kept > 1 && lowered > 0);
	assert_true(hw_prior("的") > hw_prior("龟"));
	assert_true(hw_prior("A") == 0.0f);
}

/* The ink of line is classified the same, candidates and scores, with
 * every step and without the step `flag`. */
/* Parses line and classifies it with flags into out. */
static void
classify(const char *line, int flags, struct hw_cands *out)
{
	static struct hw_ink ink;
	char err[64];

	assert_int_equal(
	    hw_ink_parse(&ink, line, strlen(line), err, sizeof(err)), GU_OK);
	assert_int_equal(hw_classify(the_hw, &ink, flags, NULL, 0, out), GU_OK);
}

static void
same_without(const char *line, int flag)
{
	struct hw_cands a, b;

	classify(line, HW_ALL, &a);
	classify(line, HW_ALL & ~flag, &b);
	assert_int_equal(a.n, b.n);
	for (int i = 0; i < a.n; i++) {
		assert_string_equal(a.text[i], b.text[i]);
		assert_true(a.score[i] == b.score[i]);
	}
}

/*
 * Step 5: 过 written in the standard order, 寸 and then 辶, ends as 辶
 * does, so its candidates are those of the same ink with the 辶 first
 * (the order the model was trained with), and 过 is among them; ink that
 * does not end so (十) is classified once, as without the step.
 */
static void
test_zou_order(void **state)
{
	static const char *const cun =
	    "450,300 900,300;750,150 750,650 700,620;560,420 600,480";
	static const char *const zou =
	    "150,180 220,240;"
	    "100,380 240,380 150,560 240,620 "
	    "160,800;160,800 300,860 600,880 950,880";
	static struct hw_ink ink;
	struct hw_cands a, b, c;
	char line[512], err[64];
	int found = 0;

	(void) state;
	snprintf(line, sizeof(line), "%s;%s", cun, zou);
	assert_int_equal(
	    hw_ink_parse(&ink, line, strlen(line), err, sizeof(err)), GU_OK);
	assert_int_equal(hw_classify(the_hw, &ink, HW_ALL, NULL, 0, &a), GU_OK);
	assert_int_equal(
	    hw_classify(the_hw, &ink, HW_ALL & ~HW_ORDER, NULL, 0, &b), GU_OK);
	snprintf(line, sizeof(line), "%s;%s", zou, cun);
	assert_int_equal(
	    hw_ink_parse(&ink, line, strlen(line), err, sizeof(err)), GU_OK);
	assert_int_equal(
	    hw_classify(the_hw, &ink, HW_ALL & ~HW_ORDER, NULL, 0, &c), GU_OK);
	assert_int_equal(a.n, HW_CAND_N);
	assert_int_equal(c.n, HW_CAND_N);
	for (int i = 0; i < a.n; i++) {
		assert_string_equal(a.text[i], c.text[i]);
		found |= strcmp(a.text[i], "过") == 0;
		if (i > 0)
			assert_true(a.score[i] <= a.score[i - 1]);
	}
	assert_true(found);
	assert_string_not_equal(a.text[0], b.text[0]);

	same_without("100,500 900,500;500,100 500,900", HW_ORDER);
}

/*
 * Step 5's other endings: 区 written in the standard order (一, 乂, then
 * 𠃊) ends with the 竖折 of a 匚, 廷 (壬, then 廴) with the 横折折撇 and
 * 捺 of 廴; each is classified as the same ink in the model's order (the
 * 竖折 second, the 廴 first), where it is first, and without the step it
 * is not.  Ink whose last stroke is a 竖折 with no 横 at its start (山 is
 * not 匚), or a 捺 after a 撇 (人 is not 廴), is classified once.
 */
static void
test_endings(void **state)
{
	static const struct {
		const char *ink, *model_order, *want;
	} cases[] = {
	    {"150,150 850,150;650,300 300,700;350,300 700,650;"
	     "150,150 150,850 880,850",
	        "150,150 850,150;150,150 150,850 880,850;"
	        "650,300 300,700;350,300 700,650",
	        "区"},
	    {"700,150 500,230;450,300 900,300;670,300 670,620;"
	     "420,620 920,620;150,250 350,250 200,450 380,480 150,850;"
	     "250,700 500,850 950,900",
	        "150,250 350,250 200,450 380,480 150,850;"
	        "250,700 500,850 950,900;700,150 500,230;450,300 900,300;"
	        "670,300 670,620;420,620 920,620",
	        "廷"},
	};
	struct hw_cands a, b, c;

	(void) state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		classify(cases[k].ink, HW_ALL, &a);
		classify(cases[k].ink, HW_ALL & ~HW_ORDER, &b);
		classify(cases[k].model_order, HW_ALL & ~HW_ORDER, &c);
		assert_string_equal(a.text[0], cases[k].want);
		assert_string_not_equal(b.text[0], cases[k].want);
		assert_int_equal(a.n, HW_CAND_N);
		for (int i = 0; i < c.n; i++)
			assert_string_equal(a.text[i], c.text[i]);
	}
	same_without("500,100 500,850;150,350 150,850 850,850;850,350 850,850",
	    HW_ORDER);
	same_without("500,100 500,850;850,350 850,850;150,350 150,850 850,850",
	    HW_ORDER);
	same_without("500,150 200,850;450,450 900,850", HW_ORDER);
}

/*
 * Step 6: 方 and 及 written here in the standard order are read as 户 and
 * 久 by the model alone, which was trained with some of their strokes in
 * another order; scored again with neighbouring strokes reordered they
 * are first.  A reordering only ever raises a candidate's score, and it
 * changes nothing for a single stroke.
 */
static void
test_reorder(void **state)
{
	static const struct {
		const char *ink, *want, *without;
	} cases[] = {
	    {"470,100 540,170;150,350 880,320;520,460 690,500 600,820 430,780;"
	     "480,380 400,580 130,820",
	        "方", "户"},
	    {"380,220 400,260 300,520 100,780;"
	     "240,200 640,160 560,400 700,430 600,680 300,840;"
	     "370,500 600,720 950,850",
	        "及", "久"},
	};
	struct hw_cands a, b;

	(void) state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		classify(cases[k].ink, HW_ALL, &a);
		classify(cases[k].ink, HW_ALL & ~HW_SWAPS, &b);
		assert_string_equal(a.text[0], cases[k].want);
		assert_string_equal(b.text[0], cases[k].without);
		for (int i = 0; i < b.n; i++)
			for (int j = 0; j < a.n; j++)
				if (strcmp(a.text[j], b.text[i]) == 0)
					assert_true(a.score[j] >= b.score[i]);
	}
	same_without("100,500 900,500", HW_SWAPS);
}

/* A pause after the last stroke commits the first candidate. */
static void
test_pause_commits(void **state)
{
	static struct ime ime;

	(void) state;
	ime_init(&ime, the_hw, the_py, NULL, "T0002", 0);
	ime_set_pad(&ime, 600, 420);
	line(&ime, 100, 200, 500, 200, 5000);
	assert_int_equal(ime_tick(&ime, 5000 + IME_HW_COMMIT_MS - 1),
	    5000 + IME_HW_COMMIT_MS);
	assert_string_equal(ime.text, "");
	assert_int_equal(ime_tick(&ime, 5000 + IME_HW_COMMIT_MS), 0);
	assert_string_equal(ime.text, "一");
	/* after a commit: 联想, and ticks do nothing more */
	assert_int_equal(ime.kind, IME_CAND_NEXT);
	assert_int_equal(ime_tick(&ime, 99999), 0);
	assert_string_equal(ime.text, "一");
	/* the model closed (the note screen left) opens again when needed */
	hw_unload(the_hw);
	line(&ime, 100, 200, 500, 200, 200000);
	assert_string_equal(ime.cand[0], "一");
}

/* The resident size of this process, KiB (smaps_rollup's Rss). */
static long
rss_kib(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char l[256];
	long v = -1;

	while (f != NULL && fgets(l, sizeof(l), f) != NULL)
		if (strncmp(l, "Rss:", 4) == 0)
			v = strtol(l + 4, NULL, 10);
	if (f != NULL)
		fclose(f);
	return v;
}

/* VmHWM reset to the present size, where the kernel allows it. */
static int
reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");

	if (f == NULL)
		return 0;
	int ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok;
}

static long
hwm_kib(void)
{
	char l[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f != NULL && fgets(l, sizeof(l), f) != NULL)
		if (strncmp(l, "VmHWM:", 6) == 0)
			v = strtol(l + 6, NULL, 10);
	if (f != NULL)
		fclose(f);
	return v;
}

/*
 * The model is read in parts, each mapped only while it is scored (hw.h):
 * between strokes and after a commit almost nothing of the 26 MB file is
 * resident, a classification's peak is one part, and the candidates and
 * scores are the same as with the model in one part, before and after a
 * rest, an unload and a reload.
 */
static void
test_model_rest(void **state)
{
	static struct ime ime;
	static struct hw_ink ink;
	struct hw_cands a, b;

	(void) state;
	ime_init(&ime, the_hw, the_py, NULL, "T0002", 0);
	ime_set_pad(&ime, 600, 420);
	assert_int_equal(ime_stroke_begin(&ime, 100, 200), GU_OK);
	long before = rss_kib(); /* the model open (hw_prepare) */
	int peak = reset_peak();
	ime_stroke_end(&ime, 1000);
	line(&ime, 300, 40, 300, 380, 1500);
	long writing = rss_kib(); /* between strokes */
	assert_int_equal(ime.kind, IME_CAND_HW);
	assert_true(before > 0 && writing > 0);
	assert_true(writing - before < 2 * 1024);
	/* one part of eight, 3.4 MB, plus Zinnia's own scratch */
	if (peak)
		assert_true(hwm_kib() - before < 8 * 1024);
	assert_int_equal(ime_choose(&ime, 0), GU_OK);
	assert_true(rss_kib() - before < 2 * 1024);

	hw_ink_init(&ink, 600, 420);
	for (int x = 100; x <= 500; x += 40)
		assert_int_equal(hw_ink_add(&ink, x, 200), GU_OK);
	hw_ink_begin(&ink);
	for (int y = 40; y <= 380; y += 34)
		assert_int_equal(hw_ink_add(&ink, 300, y), GU_OK);
	assert_int_equal(hw_classify(the_hw, &ink, HW_ALL, NULL, 0, &a), GU_OK);
	hw_rest(the_hw);
	assert_int_equal(a.n, HW_CAND_N);
	assert_string_equal(a.text[0], "十");
	for (int parts = 1; parts <= 16; parts *= 4) {
		assert_int_equal(hw_set_parts(the_hw, parts), GU_OK);
		assert_int_equal(
		    hw_classify(the_hw, &ink, HW_ALL, NULL, 0, &b), GU_OK);
		assert_int_equal(a.n, b.n);
		for (int i = 0; i < a.n; i++) {
			assert_string_equal(a.text[i], b.text[i]);
			assert_true(a.score[i] == b.score[i]);
		}
	}
	assert_int_equal(hw_set_parts(the_hw, 0), GU_EINVAL);
	assert_int_equal(hw_set_parts(the_hw, 65), GU_EINVAL);
	assert_int_equal(hw_set_parts(the_hw, 8), GU_OK);
	hw_rest(the_hw);
}

static void
test_pinyin(void **state)
{
	static struct ime ime;
	char comp[128];

	(void) state;
	ime_init(&ime, the_hw, the_py, NULL, "T0002", 0);
	ime_switch(&ime, IME_PINYIN);
	assert_int_equal(ime_stroke_begin(&ime, 1, 1), GU_EINVAL);
	for (const char *k = "nainai"; *k; k++)
		assert_int_equal(ime_key(&ime, *k), GU_OK);
	assert_int_equal(ime.kind, IME_CAND_PINYIN);
	assert_string_equal(ime.cand[0], "奶奶");
	assert_string_equal(
	    ime_composition(&ime, comp, sizeof(comp)), "nainai");
	assert_int_equal(ime_key(&ime, '1'), GU_EINVAL);
	/* delete takes the last letter; the candidates follow */
	ime_delete(&ime);
	assert_string_equal(ime_composition(&ime, comp, sizeof(comp)), "naina");
	assert_int_equal(ime_key(&ime, 'i'), GU_OK);
	assert_int_equal(ime_choose(&ime, 0), GU_OK);
	assert_string_equal(ime.text, "奶奶");
	assert_string_equal(ime_composition(&ime, comp, sizeof(comp)), "");
	/* 联想 after the commit */
	assert_int_equal(ime.kind, IME_CAND_NEXT);
	assert_true(ime.ncand > 0);
	/* a letter replaces the 联想 with a new composition */
	for (const char *k = "zhuyuan"; *k; k++)
		assert_int_equal(ime_key(&ime, *k), GU_OK);
	assert_string_equal(ime.cand[0], "住院");
	/* punctuation commits what is pending, then itself */
	assert_int_equal(ime_text(&ime, "，"), GU_OK);
	assert_string_equal(ime.text, "奶奶住院，");
	assert_int_equal(ime.nchars, 5);
	assert_int_equal(ime_text(&ime, "3"), GU_OK);
	assert_string_equal(ime.text, "奶奶住院，3");
	/* the composition's limit, below where the library aborts */
	for (int i = 0; i < PY_LETTERS_MAX; i++)
		assert_int_equal(ime_key(&ime, 'a'), GU_OK);
	assert_int_equal(ime_key(&ime, 'a'), GU_ETOOBIG);
	assert_true(ime.ncand > 0);
}

/* Phrase input: a candidate for part of the letters fixes it and the
 * candidates go on with the rest. */
static void
test_phrase(void **state)
{
	static struct ime ime;
	int i;

	(void) state;
	ime_init(&ime, the_hw, the_py, NULL, "T0002", 0);
	ime_switch(&ime, IME_PINYIN);
	for (const char *k = "haizizhezhou"; *k; k++)
		assert_int_equal(ime_key(&ime, *k), GU_OK);
	i = cand_index(&ime, "孩子");
	assert_true(i > 0);
	assert_int_equal(ime_choose(&ime, i), GU_OK);
	assert_string_equal(ime.text, "");
	assert_int_equal(ime.kind, IME_CAND_PINYIN);
	i = cand_index(&ime, "这周");
	assert_true(i >= 0);
	assert_int_equal(ime_choose(&ime, i), GU_OK);
	assert_string_equal(ime.text, "孩子这周");
	/* 确定 commits the first reading of a whole phrase */
	for (const char *k = "qingkuangwending"; *k; k++)
		assert_int_equal(ime_key(&ime, *k), GU_OK);
	assert_int_equal(ime_confirm(&ime), 1);
	assert_string_equal(ime.text, "孩子这周情况稳定");
}

struct memory {
	char staff[16];
	int method;
	int sets;
};

static int
mem_get(void *arg, const char *staff)
{
	struct memory *m = arg;

	return strcmp(staff, m->staff) == 0 ? m->method : -1;
}

static void
mem_set(void *arg, const char *staff, int method)
{
	struct memory *m = arg;

	snprintf(m->staff, sizeof(m->staff), "%s", staff);
	m->method = method;
	m->sets++;
}

static void
test_switch_remembered(void **state)
{
	static struct ime ime;
	struct memory m = {"", -1, 0};
	struct ime_hooks hooks = {&m, mem_get, mem_set};

	(void) state;
	ime_init(&ime, the_hw, the_py, &hooks, "T0003", 0);
	assert_int_equal(ime.method, IME_HANDWRITING);
	line(&ime, 100, 100, 900, 100, 0);
	assert_int_equal(ime.kind, IME_CAND_HW);
	ime_switch(&ime, -1);
	assert_int_equal(ime.method, IME_PINYIN);
	assert_int_equal(ime.kind, IME_CAND_NONE); /* pending ink dropped */
	assert_int_equal(ime.ink.nstroke, 0);
	assert_int_equal(m.sets, 1);
	assert_string_equal(m.staff, "T0003");
	/* the next note of the same teacher opens in pinyin ... */
	ime_init(&ime, the_hw, the_py, &hooks, "T0003", 0);
	assert_int_equal(ime.method, IME_PINYIN);
	/* ... and another teacher's in handwriting */
	ime_init(&ime, the_hw, the_py, &hooks, "T0004", 0);
	assert_int_equal(ime.method, IME_HANDWRITING);
}

static void
test_limit(void **state)
{
	static struct ime ime;

	(void) state;
	ime_init(&ime, the_hw, the_py, NULL, "T0002", 2);
	ime_switch(&ime, IME_PINYIN);
	assert_int_equal(ime_text(&ime, "好"), GU_OK);
	for (const char *k = "haizi"; *k; k++)
		assert_int_equal(ime_key(&ime, *k), GU_OK);
	assert_int_equal(ime_choose(&ime, 0), GU_ETOOBIG);
	assert_int_equal(ime.err, GU_ETOOBIG);
	/* refused: the text and the letters are as they were */
	assert_string_equal(ime.text, "好");
	assert_int_equal(ime.kind, IME_CAND_PINYIN);
	ime_delete(&ime);
	ime_delete(&ime);
	ime_delete(&ime);
	assert_int_equal(ime_choose(&ime, 0), GU_OK);
	assert_int_equal(ime.nchars, 2);
	assert_int_equal(ime_text(&ime, "。"), GU_ETOOBIG);
	assert_int_equal(ime.nchars, 2);
}

/* A null front end's measure: CJK characters one em wide, others 0.6. */
static void
measure(void *arg, int font, const char *text, size_t len, int *w, int *h)
{
	const struct ui *ui = arg;
	int em = ui->font_px[font], n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char) text[i];
		if (c < 0x80)
			n += 6;
		else if ((c & 0xC0) != 0x80)
			n += 10;
	}
	*w = em * n / 10;
	*h = em * 5 / 4;
}

static struct ui the_ui;
static const struct ime_ui_labels labels = {
    "删除", "确定", "空格", "更多", "拼音", "手写"};

static void
frame(struct ui *ui, struct ime_ui *w, struct ime *ime, struct ui_rect r,
    enum ui_ev_kind kind, int x, int y, int64_t t)
{
	struct ui_event ev = {kind, x, y, t};

	ui_begin(ui, t, &ev);
	ime_ui_frame(ui, w, ime, r, &labels);
	ui_end(ui);
	/* nothing clipped, nothing too small, nothing outside the widget */
	assert_int_equal(ui->overflow, 0);
	assert_int_equal(ui->small_targets, 0);
	for (size_t i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		if (c->kind == UI_CMD_CLIP)
			continue;
		if (c->r.x < r.x || c->r.y < r.y ||
		    c->r.x + c->r.w > r.x + r.w || c->r.y + c->r.h > r.y + r.h)
			fail_msg("command %zu (%d,%d %dx%d) outside the widget "
			         "(%d,%d %dx%d)",
			    i, c->r.x, c->r.y, c->r.w, c->r.h, r.x, r.y, r.w,
			    r.h);
		if (c->kind == UI_CMD_TEXT) {
			int tw, th;
			measure(ui, c->font, ui->text + c->text_off,
			    c->text_len, &tw, &th);
			if (tw > c->r.w)
				fail_msg("text '%.*s' wider than its box",
				    (int) c->text_len, ui->text + c->text_off);
		}
	}
}

/* Taps the command whose text is s (the last drawn: a key). */
static void
tap_text(struct ui *ui, struct ime_ui *w, struct ime *ime, struct ui_rect r,
    const char *s, int64_t *t)
{
	const struct ui_cmd *hit = NULL;

	for (size_t i = 0; i < ui->ncmd; i++) {
		const struct ui_cmd *c = &ui->cmd[i];
		if (c->kind == UI_CMD_TEXT && c->text_len == strlen(s) &&
		    memcmp(ui->text + c->text_off, s, c->text_len) == 0)
			hit = c;
	}
	if (hit == NULL)
		fail_msg("no key labelled '%s'", s);
	int x = hit->r.x + hit->r.w / 2, y = hit->r.y + hit->r.h / 2;
	frame(ui, w, ime, r, UI_EV_DOWN, x, y, *t += 50);
	frame(ui, w, ime, r, UI_EV_UP, x, y, *t += 50);
}

/* The widget at every supported size: 9 mm keys, nothing outside it; a
 * pinyin word typed and chosen by taps; a stroke drawn on the pad. */
static void
test_ui(void **state)
{
	static const struct {
		int w, h;
		float px_per_mm;
	} sizes[] = {
	    {1024, 600, 6.64f},  /* 7", 1181 px diagonal */
	    {600, 1024, 6.64f},  /* the same, portrait */
	    {1920, 1080, 5.56f}, /* 15.6" */
	};
	static struct ime ime;
	struct ui *ui = &the_ui;

	(void) state;
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct ime_ui w;
		int64_t t = 1000;

		memset(&w, 0, sizeof(w));
		ui_init(ui, sizes[z].w, sizes[z].h, sizes[z].px_per_mm, measure,
		    ui);
		int mh = ime_ui_min_height(ui);
		/* leaves the note itself at least 35% of the screen */
		assert_true(mh <= sizes[z].h * 65 / 100);
		struct ui_rect r = {0, sizes[z].h - mh, sizes[z].w, mh};

		ime_init(&ime, the_hw, the_py, NULL, "T0002", 0);
		ime_switch(&ime, IME_PINYIN);
		frame(ui, &w, &ime, r, UI_EV_NONE, 0, 0, t);
		tap_text(ui, &w, &ime, r, "h", &t);
		tap_text(ui, &w, &ime, r, "a", &t);
		tap_text(ui, &w, &ime, r, "o", &t);
		assert_string_equal(py_state(the_py)->letters, "hao");
		assert_int_equal(ime.kind, IME_CAND_PINYIN);
		tap_text(ui, &w, &ime, r, "好", &t);
		assert_string_equal(ime.text, "好");
		tap_text(ui, &w, &ime, r, "。", &t);
		tap_text(ui, &w, &ime, r, "7", &t);
		assert_string_equal(ime.text, "好。7");
		tap_text(ui, &w, &ime, r, "删除", &t);
		assert_string_equal(ime.text, "好。");
		tap_text(ui, &w, &ime, r, "手写", &t);
		assert_int_equal(ime.method, IME_HANDWRITING);
		frame(ui, &w, &ime, r, UI_EV_NONE, 0, 0, t += 50);

		/* a stroke across the pad, 一 */
		struct ui_rect pad = w.pad;
		assert_true(pad.w >= (int) (45 * sizes[z].px_per_mm));
		assert_true(pad.h >= (int) (45 * sizes[z].px_per_mm));
		int y = pad.y + pad.h / 2;
		frame(ui, &w, &ime, r, UI_EV_DOWN, pad.x + pad.w / 6, y, t);
		for (int i = 1; i <= 10; i++)
			frame(ui, &w, &ime, r, UI_EV_MOVE,
			    pad.x + pad.w / 6 + i * pad.w * 2 / 30, y, t += 16);
		frame(ui, &w, &ime, r, UI_EV_UP, pad.x + pad.w * 5 / 6, y,
		    t += 16);
		assert_int_equal(ime.ink.nstroke, 1);
		assert_int_equal(ime.kind, IME_CAND_HW);
		assert_string_equal(ime.cand[0], "一");
		/* the pause commits it; the frame asked to be woken for it */
		assert_true(ui->wake_ms > 0);
		frame(ui, &w, &ime, r, UI_EV_NONE, 0, 0, t + IME_HW_COMMIT_MS);
		assert_string_equal(ime.text, "好。一");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_strokes),
	    cmocka_unit_test(test_rerank),
	    cmocka_unit_test(test_zou_order),
	    cmocka_unit_test(test_endings),
	    cmocka_unit_test(test_reorder),
	    cmocka_unit_test(test_pause_commits),
	    cmocka_unit_test(test_model_rest),
	    cmocka_unit_test(test_pinyin),
	    cmocka_unit_test(test_phrase),
	    cmocka_unit_test(test_switch_remembered),
	    cmocka_unit_test(test_limit),
	    cmocka_unit_test(test_ui),
	};
	int rc;

	the_hw = hw_new(NULL);
	the_py = py_new(NULL);
	if (the_hw == NULL || the_py == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	py_free(the_py);
	hw_free(the_hw);
	return rc;
}
