/*
 * demo.c: a synthetic demo school (demo.h).
 *
 * Everything is invented: names are drawn from common surnames and given
 * name characters, phones are 138 0000 xxxx, villages are made up.  The
 * roster goes through the same CSV importer a school uses (roster.c) and
 * the records through store_append_n(), so a demo store is exactly what a
 * real one would be.  The generator is a splitmix64 stream from the seed:
 * the same seed and the same --today give the same store content.
 *
 * A term is walked day by day on a clock that only moves forward (each
 * record a little after the previous one, from 08:00 on its day), so the
 * change log's seq order is time order: a child's file read newest first
 * by seq is newest first by time.  Each child's term is drawn when the
 * term begins (plan_term), its records are made on their days.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ack.h"
#include "demo.h"
#include "pin.h"
#include "roster.h"
#include "status.h"

#define DAY_MS 86400000LL
#define TZ_MIN 480 /* China Standard Time */
#define BATCH 512  /* records per transaction */

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄",
    "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程",
    "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕"};
static const char *const given[] = {"小明", "小红", "伟", "芳", "静", "洋",
    "磊", "婷", "浩然", "欣怡", "子涵", "梓萱", "宇轩", "雨桐", "俊杰", "诗涵",
    "一诺", "佳怡", "思远", "梦瑶", "家乐", "雅琪", "志强", "晓燕", "天佑",
    "若曦", "博文", "可馨", "嘉豪", "紫萱", "明轩", "语嫣", "昊天", "晨曦",
    "文博", "雨欣", "泽宇", "心怡", "㛃", "䶮"};
static const char *const grades[] = {
    "一年级", "二年级", "三年级", "四年级", "五年级", "六年级"};
static const char *const villages[] = {"青山村", "白石村", "柳塘村", "桃花村",
    "枫树村", "长岭村", "河口村", "松林村"};
static const char *const relations[] = {
    "祖父", "祖母", "外祖父", "外祖母", "叔叔", "姑姑"};
static const char *const met_words[] = {"grandparent", "grandparent",
    "grandparent", "relative", "mother", "father"};

struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static unsigned
rng_below(struct rng *g, unsigned n)
{
	return n ? (unsigned) (rng_next(g) % n) : 0;
}

#define PICK(g, arr) (arr[rng_below(g, sizeof(arr) / sizeof(arr[0]))])

struct demo_child {
	char id[16];
	char class_name[32];
	char mentor[16];
	unsigned cats;
};

/* What a child's term holds, drawn when the term begins. */
struct plan {
	int every;        /* days between check-ins */
	int next_checkin; /* the day of the next one */
	int visit;        /* the day of the home visit, -1 none */
	int concern;      /* the day of a concern, -1 none */
	int urgent;       /* the concern is urgent (left open) */
	uint64_t concern_seq;
};

struct gen {
	struct store *s;
	struct rng g;
	struct record *batch;
	size_t n;
	uint64_t written, max;
	int64_t start_ms, today_ms;
	struct demo_child *kids;
	size_t n_kids;
	unsigned n_classes;
	char (*classes)[32];
	unsigned n_mentors;
	unsigned urgent_done; /* urgent concerns made so far */
	int acked;            /* the district has answered one of them */
	int64_t clock_ms;     /* the time of the last record */
	struct plan *plan;    /* per child, this term */
	FILE *log;
};

static int
flush(struct gen *d)
{
	char why[256];
	size_t bad = 0;
	int rc;

	if (d->n == 0)
		return GU_OK;
	rc = store_append_n(d->s, d->batch, d->n, &bad, why, sizeof(why));
	if (rc != GU_OK) {
		fprintf(d->log, "guanai-demo: record %zu: %s: %s\n", bad,
		    status_str(rc), why);
		return rc;
	}
	d->written += d->n;
	d->n = 0;
	return GU_OK;
}

/* Appends r to the batch; the seq it will get is returned in *seq. */
static int
add(struct gen *d, const struct record *r, uint64_t *seq)
{
	struct store_info in;
	int rc;

	if (d->written + d->n >= d->max)
		return GU_ETOOBIG;
	if (seq) {
		/* A reference is needed: write what is queued first. */
		rc = flush(d);
		if (rc != GU_OK)
			return rc;
		d->batch[0] = *r;
		d->n = 1;
		rc = flush(d);
		if (rc != GU_OK)
			return rc;
		store_info(d->s, &in);
		*seq = in.last_seq;
		return GU_OK;
	}
	d->batch[d->n++] = *r;
	return d->n == BATCH ? flush(d) : GU_OK;
}

static void
base(struct record *r, int kind, int64_t t, const char *author)
{
	rec_init(r, (enum rec_kind) kind);
	r->time_ms = t;
	r->tz_min = TZ_MIN;
	r->flags = REC_FLAG_CLOCK_SYNCED;
	snprintf(r->author, sizeof(r->author), "%s", author);
}

/*
 * The clock of the records: every record is a little after the one
 * before it (seq order is time order), on the school day it belongs to.
 * A day's first record is between 08:00 and 08:30 local; the next ones
 * follow after whole seconds, 1 to gap_ms / 1000.  A very big school
 * can run past 17:00; it never runs backwards.
 */
static void
day_begin(struct gen *d, int day)
{
	int64_t t = d->start_ms + (int64_t) day * DAY_MS + 8 * 3600000LL +
	    (int64_t) rng_below(&d->g, 1800) * 1000;

	if (t > d->clock_ms)
		d->clock_ms = t;
}

static int64_t
tick(struct gen *d, unsigned gap_ms)
{
	d->clock_ms += 1000 * (1 + (int64_t) rng_below(&d->g, gap_ms / 1000));
	return d->clock_ms;
}

static void
date_of(char out[16], int64_t t)
{
	uint32_t day = store_day_of(t, TZ_MIN);

	snprintf(out, 16, "%04u-%02u-%02u", day / 10000 % 10000,
	    day / 100 % 100, day % 100);
}

/* Writes the roster CSVs (the format a school exports) into dir. */
static int
write_roster(struct gen *d, const char *dir, const struct demo_opts *o,
    char *children_csv, char *staff_csv, size_t cap)
{
	unsigned per_class = 40, n_mentors, i;
	FILE *fc, *fs;
	int rc = GU_OK;

	snprintf(children_csv, cap, "%s/children.csv", dir);
	snprintf(staff_csv, cap, "%s/staff.csv", dir);
	fc = fopen(children_csv, "w");
	fs = fopen(staff_csv, "w");
	if (fc == 0 || fs == 0) {
		if (fc)
			fclose(fc);
		if (fs)
			fclose(fs);
		return GU_EIO;
	}
	d->n_classes = (o->children + per_class - 1) / per_class;
	if (d->n_classes < 6)
		d->n_classes = 6;
	d->classes = calloc(d->n_classes, sizeof(*d->classes));
	d->kids = calloc(o->children ? o->children : 1, sizeof(*d->kids));
	/* One mentor for about every 12 children in the care groups. */
	n_mentors = o->children / 30 + 2;
	d->n_mentors = n_mentors;
	if (d->classes == 0 || d->kids == 0) {
		fclose(fc);
		fclose(fs);
		return GU_ENOMEM;
	}
	for (i = 0; i < d->n_classes; i++) {
		unsigned g = i * 6 / d->n_classes;
		unsigned k = i - (g * d->n_classes + 5) / 6 + 1;
		snprintf(d->classes[i], sizeof(d->classes[i]), "%s%u班",
		    grades[g], k ? k : 1);
	}
	fprintf(fs, "工号,姓名,角色,初始PIN\n");
	fprintf(fs, "T0001,%s%s,校长,%s\n", PICK(&d->g, surnames),
	    PICK(&d->g, given), DEMO_PIN_HEAD);
	for (i = 0; i < n_mentors; i++)
		fprintf(fs, "T%04u,%s%s,导师;班主任,%s\n", i + 2,
		    PICK(&d->g, surnames), PICK(&d->g, given), DEMO_PIN_STAFF);
	fprintf(fs, "T%04u,%s%s,班主任,%s\n", n_mentors + 2,
	    PICK(&d->g, surnames), PICK(&d->g, given), DEMO_PIN_STAFF);

	fprintf(fc,
	    "\xef\xbb\xbf学籍号,姓名,性别,出生日期,年级,班级,类别,"
	    "监护人,监护关系,监护人电话,成长导师工号,住址\r\n");
	for (i = 0; i < o->children; i++) {
		struct demo_child *k = &d->kids[i];
		unsigned c = i * d->n_classes / o->children;
		unsigned g = c * 6 / d->n_classes;
		unsigned roll = rng_below(&d->g, 100);
		const char *cat = "";
		const char *sur = PICK(&d->g, surnames);
		/* About 30% left behind, 8% in difficulty, some both. */
		k->cats = roll < 30 ? CAT_LEFT_BEHIND
		    : roll < 35     ? CAT_LEFT_BEHIND | CAT_IN_DIFFICULTY
		    : roll < 38     ? CAT_IN_DIFFICULTY
		                    : 0;
		cat = k->cats == CAT_LEFT_BEHIND   ? "留守"
		    : k->cats == CAT_IN_DIFFICULTY ? "困境"
		    : k->cats                      ? "留守;困境"
		                                   : "";
		snprintf(
		    k->id, sizeof(k->id), "G%04u%05u", 2014 + (5 - g), i + 1);
		snprintf(
		    k->class_name, sizeof(k->class_name), "%s", d->classes[c]);
		if (k->cats)
			snprintf(k->mentor, sizeof(k->mentor), "T%04u",
			    2 + rng_below(&d->g, n_mentors));
		fprintf(fc,
		    "%s,%s%s,%s,%u-%02u-%02u,%s,%s,%s,%s%s,%s,1380000%04u,%s,"
		    "\"%s%u组\"\r\n",
		    k->id, sur, PICK(&d->g, given),
		    rng_below(&d->g, 2) ? "男" : "女", 2014 + (5 - g),
		    1 + rng_below(&d->g, 12), 1 + rng_below(&d->g, 28),
		    grades[g], k->class_name, cat, sur,
		    k->cats ? "爷爷" : "爸爸",
		    k->cats ? PICK(&d->g, relations) : "父亲", i, k->mentor,
		    PICK(&d->g, villages), 1 + rng_below(&d->g, 9));
	}
	if (ferror(fc) || ferror(fs))
		rc = GU_EIO;
	if (fclose(fc) != 0 || fclose(fs) != 0)
		rc = GU_EIO;
	d->n_kids = o->children;
	return rc;
}

static void
import_err(void *arg, const char *file, unsigned line, const char *msg)
{
	fprintf((FILE *) arg, "%s:%u: %s\n", file, line, msg);
}

/* Chooses the demo PINs, as if every staff member had signed in once. */
static int
set_pins(struct gen *d, const struct demo_opts *o)
{
	char hash[PIN_HASH_LEN], id[16];
	int rc;

	for (unsigned i = 1; i <= d->n_mentors + 2; i++) {
		/* The last teacher keeps the initial PIN, to show the change. */
		if (i == d->n_mentors + 2)
			break;
		snprintf(id, sizeof(id), "T%04u", i);
		rc = pin_hash(i == 1 ? DEMO_PIN_HEAD : DEMO_PIN_STAFF, hash,
		    o->opslimit, o->memlimit);
		if (rc == GU_OK)
			rc = store_staff_set_pin(d->s, id, hash);
		if (rc != GU_OK)
			return rc;
	}
	return GU_OK;
}

/* The classes of lecture l: two grades' classes. */
static void
lecture_classes(struct gen *d, int l, char *classes, size_t len)
{
	size_t cl = 0;

	classes[0] = '\0';
	for (unsigned c = 0; c < d->n_classes; c++) {
		unsigned g = c * 6 / d->n_classes;
		if (g / 2 != (unsigned) l % 3)
			continue;
		int w = snprintf(classes + cl, len - cl, "%s%s", cl ? ";" : "",
		    d->classes[c]);
		if (w < 0 || (size_t) w >= len - cl)
			break;
		cl += (size_t) w;
	}
}

/* Lecture l of the term (today's first event): the lecture, the
 * children's own check-ins a few seconds apart, its end. */
static int
gen_lecture(struct gen *d, int l)
{
	static const char *const topics[] = {
	    "drowning", "traffic", "fire", "law", "online", "food"};
	struct record r;
	char date[16], classes[REC_VALUE_MAX];
	unsigned present = 0, absent = 0;
	const struct demo_child *missed = NULL; /* the first absentee */
	uint64_t lec;
	int64_t t = tick(d, 60000);
	int rc;

	lecture_classes(d, l, classes, sizeof(classes));
	date_of(date, t);
	base(&r, REC_LECTURE, t, "T0001");
	rec_set_str(&r, F_TOPIC, topics[l % 6]);
	rec_set_str(&r, F_LECTURER, l == 3 ? "法治副校长" : "安全办老师");
	rec_set_str(&r, F_CLASSES, classes);
	rec_set_str(&r, F_DATE, date);
	rc = add(d, &r, &lec);
	for (size_t i = 0; rc == GU_OK && i < d->n_kids; i++) {
		struct demo_child *k = &d->kids[i];
		if (!strstr(classes, k->class_name))
			continue;
		if (rng_below(&d->g, 100) < 6) {
			absent++;
			if (missed == NULL)
				missed = k;
			continue;
		}
		present++;
		base(&r, REC_ATTENDANCE, tick(d, 4000), k->id);
		r.flags |= REC_FLAG_BY_STUDENT;
		rec_set_int(&r, F_LECTURE, (int64_t) lec);
		rec_set_str(&r, F_CHILD, k->id);
		rec_set_str(&r, F_CLASS, k->class_name);
		rec_set_str(&r, F_METHOD, "self");
		rc = add(d, &r, 0);
	}
	if (rc != GU_OK)
		return rc;
	base(&r, REC_LECTURE_END, tick(d, 600000), "T0001");
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_int(&r, F_PRESENT, present);
	rec_set_int(&r, F_ABSENT, absent);
	rc = add(d, &r, 0);
	if (rc != GU_OK || missed == NULL)
		return rc;
	/* Why the first absentee missed it (缺席原因). */
	base(&r, REC_ABSENCE, tick(d, 60000), "T0001");
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_str(&r, F_CHILD, missed->id);
	rec_set_str(&r, F_CLASS, missed->class_name);
	rec_set_str(&r, F_ABSENCE, "sick");
	return add(d, &r, 0);
}

/* Draws every child's term: how often the mentor sees them, the visit,
 * a concern (the first one urgent and left open). */
static void
plan_term(struct gen *d, int days)
{
	for (size_t i = 0; i < d->n_kids; i++) {
		struct plan *p = &d->plan[i];
		memset(p, 0, sizeof(*p));
		p->visit = p->concern = p->next_checkin = -1;
		if (!d->kids[i].cats)
			continue;
		/* Most children are seen every 7-13 days; some are overdue. */
		p->every = rng_below(&d->g, 10) == 0
		    ? 40
		    : 7 + (int) rng_below(&d->g, 7);
		p->next_checkin = (int) rng_below(&d->g, 7);
		/* One home visit a term for most of them. */
		if (rng_below(&d->g, 10) < 8)
			p->visit = 10 + (int) rng_below(&d->g, 60);
		/* A few concerns, three days before the term ends. */
		if (rng_below(&d->g, 25) == 0) {
			p->concern = days - 3;
			p->urgent = d->urgent_done++ == 0;
		}
	}
}

static int
gen_checkin(struct gen *d, const struct demo_child *k)
{
	static const char *const types[] = {"talk", "study", "psych", "life"};
	static const char *const concerns[] = {
	    "low_mood", "study", "relations", "family_change"};
	static const char *const topics[] = {
	    "study", "mood", "family", "friends", "safety"};
	struct record r;
	int rc;

	base(&r, REC_CHECKIN, tick(d, 1200000), k->mentor);
	rec_set_str(&r, F_CHILD, k->id);
	rec_set_str(&r, F_TYPE, PICK(&d->g, types));
	rec_set_int(&r, F_MOOD, 2 + rng_below(&d->g, 4));
	if (rng_below(&d->g, 5) == 0)
		rec_set_add(&r, F_CONCERNS, PICK(&d->g, concerns));
	if (rng_below(&d->g, 3) == 0)
		rec_set_add(&r, F_NOTES, "progress");
	rc = add(d, &r, 0);
	if (rc != GU_OK || rng_below(&d->g, 2))
		return rc;
	/* The child's own log of the same session, a little later. */
	base(&r, REC_STUDENT_LOG, tick(d, 600000), k->id);
	r.flags |= REC_FLAG_BY_STUDENT;
	rec_set_str(&r, F_CHILD, k->id);
	rec_set_str(&r, F_MENTOR, k->mentor);
	rec_set_add(&r, F_TOPICS, PICK(&d->g, topics));
	rec_set_int(&r, F_FEELING, 3 + rng_below(&d->g, 3));
	return add(d, &r, 0);
}

static int
gen_visit(struct gen *d, const struct demo_child *k)
{
	struct record r;
	int64_t t = tick(d, 1200000);
	char date[16], next[16];

	date_of(date, t);
	date_of(next, t + 60 * DAY_MS);
	base(&r, REC_VISIT, t, k->mentor);
	rec_set_str(&r, F_CHILD, k->id);
	rec_set_str(&r, F_DATE, date);
	rec_set_str(&r, F_MET, PICK(&d->g, met_words));
	rec_set_int(&r, F_GUARDIANSHIP, rng_below(&d->g, 10) > 0);
	if (rng_below(&d->g, 4) == 0)
		rec_set_add(&r, F_HAZARDS, "water");
	rec_set_int(&r, F_STUDY, 1 + rng_below(&d->g, 3));
	rec_set_int(&r, F_HEALTH, 2 + rng_below(&d->g, 2));
	rec_set_int(&r, F_MOOD, 2 + rng_below(&d->g, 4));
	rec_set_add(&r, F_ACTIONS, "contact_parents");
	rec_set_str(&r, F_NEXT_VISIT, next);
	return add(d, &r, 0);
}

static int
gen_concern(struct gen *d, const struct demo_child *k, struct plan *p)
{
	struct record r;
	int rc;

	base(&r, REC_CONCERN, tick(d, 1200000), k->mentor);
	rec_set_str(&r, F_CHILD, k->id);
	rec_set_add(&r, F_CONCERNS, p->urgent ? "harm" : "dropout_risk");
	rec_set_int(&r, F_URGENT, p->urgent);
	if (p->urgent)
		r.flags |= REC_FLAG_URGENT;
	rc = add(d, &r, &p->concern_seq);
	if (rc != GU_OK || !p->urgent || d->acked)
		return rc;
	/* The first urgent one comes back acknowledged, as the daemon
	 * would append it from the district's ack file (docs/district.md). */
	{
		struct ack_entry e;
		struct store_info in;
		char why[256], day[16];
		memset(&e, 0, sizeof(e));
		store_info(d->s, &in);
		snprintf(e.device, sizeof(e.device), "%s", in.device);
		e.epoch = in.epoch;
		e.seq = p->concern_seq;
		date_of(day, r.time_ms);
		memcpy(e.date, day, sizeof(e.date) - 1); /* YYYY-MM-DD */
		e.date[sizeof(e.date) - 1] = '\0';
		snprintf(e.outcome, sizeof(e.outcome), "police");
		snprintf(e.by, sizeof(e.by), "区教体局 安全科");
		rc = ack_record(&r, &e, why, sizeof(why));
		if (rc != GU_OK)
			return rc;
		r.time_ms = tick(d, 1200000);
		r.tz_min = TZ_MIN;
		r.flags = REC_FLAG_CLOCK_SYNCED;
		d->acked = 1;
		return add(d, &r, 0);
	}
}

static int
gen_followup(struct gen *d, const struct demo_child *k, const struct plan *p)
{
	struct record r;

	base(&r, REC_FOLLOWUP, tick(d, 1200000), k->mentor);
	rec_set_int(&r, F_CONCERN, (int64_t) p->concern_seq);
	rec_set_add(&r, F_DONE, "home_visit");
	rec_set_int(&r, F_CLOSES, rng_below(&d->g, 2));
	return add(d, &r, 0);
}

/*
 * One term of days days from d->start_ms, day by day: a lecture on its
 * day first (days 7, 27, 47, 67), then each child's check-ins, visit,
 * concern and follow-up on their days, in roster order.
 */
static int
gen_term(struct gen *d, int days)
{
	int rc = GU_OK;

	plan_term(d, days);
	for (int day = 0; rc == GU_OK && day < days; day++) {
		day_begin(d, day);
		if (day % 20 == 7 && day / 20 < 4)
			rc = gen_lecture(d, day / 20);
		for (size_t i = 0; rc == GU_OK && i < d->n_kids; i++) {
			struct demo_child *k = &d->kids[i];
			struct plan *p = &d->plan[i];
			if (!k->cats)
				continue;
			if (day == p->next_checkin) {
				rc = gen_checkin(d, k);
				p->next_checkin += p->every;
			}
			if (rc == GU_OK && day == p->visit)
				rc = gen_visit(d, k);
			if (rc == GU_OK && day == p->concern)
				rc = gen_concern(d, k, p);
			if (rc == GU_OK && p->concern >= 0 && !p->urgent &&
			    day == days - 1)
				rc = gen_followup(d, k, p);
		}
	}
	return rc;
}

/*
 * After the terms, yesterday: what the terms do not make, so that the
 * demo has every kind and the mentors' homes show tasks due today, this
 * week and late (issue 12).  The first children in care get, in turn: a
 * plan whose review was two days ago and a 重点关注 mark; a plan reviewed
 * in three days; a visit whose next visit is today; a 重点关注 mark that
 * is voided; a phone call (亲情电话); the file views and the sign-in and
 * sign-out of their mentor.  After the terms, so the terms' records
 * stay as they were.
 */
static int
gen_extras(struct gen *d)
{
	struct record r;
	uint64_t seq = 0;
	char day[16];
	size_t n = 0;
	int rc = GU_OK;

	const char *who = NULL;

	for (size_t i = 0; rc == GU_OK && i < d->n_kids && n < 6; i++) {
		const struct demo_child *k = &d->kids[i];
		if (!k->cats || k->mentor[0] == '\0' ||
		    (who != NULL && strcmp(who, k->mentor) != 0))
			continue;
		who = k->mentor;
		d->clock_ms += 37000;
		switch (n++) {
		case 0:
		case 1:
			date_of(day, d->today_ms + (n == 1 ? -2 : 3) * DAY_MS);
			base(&r, REC_PLAN, d->clock_ms, k->mentor);
			rec_set_str(&r, F_CHILD, k->id);
			rec_set_add(&r, F_GOALS, "psych");
			rec_set_add(&r, F_GOALS, "guardianship");
			rec_set_add(&r, F_MEASURES, "weekly_talk");
			rec_set_add(&r, F_MEASURES, "contact_parents");
			rec_set_str(&r, F_RESPONSIBLE, k->mentor);
			rec_set_str(&r, F_REVIEW, day);
			rc = add(d, &r, 0);
			if (rc != GU_OK || n != 1)
				break;
			base(&r, REC_FOCUS, (d->clock_ms += 1000), k->mentor);
			rec_set_str(&r, F_CHILD, k->id);
			rec_set_int(&r, F_FOCUS, 1);
			rec_set_str(&r, F_FOCUS_WHY, "family_change");
			rc = add(d, &r, 0);
			break;
		case 2:
			date_of(day, d->clock_ms);
			base(&r, REC_VISIT, d->clock_ms, k->mentor);
			rec_set_str(&r, F_CHILD, k->id);
			rec_set_str(&r, F_DATE, day);
			rec_set_str(&r, F_MET, "grandparent");
			rec_set_int(&r, F_GUARDIANSHIP, 1);
			rec_set_int(&r, F_STUDY, 2);
			rec_set_int(&r, F_HEALTH, 2);
			rec_set_int(&r, F_MOOD, 3);
			date_of(day, d->today_ms + 10 * 3600000LL);
			rec_set_str(&r, F_NEXT_VISIT, day); /* today */
			rc = add(d, &r, 0);
			break;
		case 3:
			base(&r, REC_FOCUS, d->clock_ms, k->mentor);
			rec_set_str(&r, F_CHILD, k->id);
			rec_set_int(&r, F_FOCUS, 1);
			rec_set_str(&r, F_FOCUS_WHY, "low_mood");
			rc = add(d, &r, &seq);
			if (rc != GU_OK)
				break;
			base(&r, REC_VOID, (d->clock_ms += 60000), k->mentor);
			rec_set_int(&r, F_TARGET, (int64_t) seq);
			rec_set_str(&r, F_REASON, "wrong_child");
			rc = add(d, &r, 0);
			break;
		case 4:
			base(&r, REC_CHECKIN, d->clock_ms, k->mentor);
			rec_set_str(&r, F_CHILD, k->id);
			rec_set_str(&r, F_TYPE, "phone");
			rec_set_int(&r, F_MOOD, 4);
			rc = add(d, &r, 0);
			break;
		default:
			base(&r, REC_AUTH, d->clock_ms, k->mentor);
			rec_set_str(&r, F_STAFF, k->mentor);
			rec_set_str(&r, F_EVENT, "signin");
			rc = add(d, &r, 0);
			if (rc != GU_OK)
				break;
			base(&r, REC_FILE_VIEW, (d->clock_ms += 5000),
			    k->mentor);
			rec_set_str(&r, F_CHILD, k->id);
			rc = add(d, &r, 0);
			if (rc != GU_OK)
				break;
			base(&r, REC_AUTH, (d->clock_ms += 60000), k->mentor);
			rec_set_str(&r, F_STAFF, k->mentor);
			rec_set_str(&r, F_EVENT, "signout");
			rc = add(d, &r, 0);
			if (rc != GU_OK)
				break;
			/* His work log, his child's quiet request to talk, and
			 * her file exported to a stick. */
			date_of(day, d->clock_ms);
			base(
			    &r, REC_WORKLOG, (d->clock_ms += 60000), k->mentor);
			rec_set_str(&r, F_DATE, day);
			rec_set_str(
			    &r, F_NOTE, "给孩子的姑姑打电话，约好下周三家访");
			rec_set_add(&r, F_WORK, "parents");
			rec_set_add(&r, F_WORK, "visit_prep");
			rc = add(d, &r, 0);
			if (rc != GU_OK)
				break;
			base(&r, REC_TALK_REQUEST, (d->clock_ms += 60000),
			    k->id);
			r.flags |= REC_FLAG_BY_STUDENT;
			rec_set_str(&r, F_CHILD, k->id);
			rec_set_str(&r, F_MENTOR, k->mentor);
			rc = add(d, &r, 0);
			if (rc != GU_OK)
				break;
			base(&r, REC_EXPORT, (d->clock_ms += 60000), k->mentor);
			rec_set_str(&r, F_EXPORT, "file");
			rec_set_str(&r, F_VIA, "kiosk");
			rec_set_str(&r, F_CHILD, k->id);
			rc = add(d, &r, 0);
			break;
		}
	}
	return rc;
}

int
demo_create(const char *dir, const struct demo_opts *o, FILE *log)
{
	struct gen d;
	struct roster_opts ro;
	struct roster_counts counts;
	char cpath[4200], spath[4200], rdir[4100];
	int rc, days, terms = 1;

	memset(&d, 0, sizeof(d));
	d.g.s = o->seed;
	d.log = log;
	d.max = o->records ? o->records : UINT64_MAX;
	d.today_ms = o->today_ms - o->today_ms % DAY_MS - TZ_MIN * 60000LL;
	days = 88;
	d.start_ms = d.today_ms - (int64_t) days * DAY_MS;
	d.batch = calloc(BATCH, sizeof(*d.batch));
	if (d.batch == 0)
		return GU_ENOMEM;
	rc = store_create(dir, o->school_id ? o->school_id : "S430603001",
	    o->school_name, "kiosk-01", 0);
	if (rc != GU_OK) {
		fprintf(log, "guanai-demo: %s: %s\n", dir,
		    rc == GU_EEXIST ? "a store is already there"
		                    : status_str(rc));
		goto out;
	}
	rc = store_open(&d.s, dir, 0);
	if (rc != GU_OK)
		goto out;
	snprintf(rdir, sizeof(rdir), "%s/demo-roster", dir);
	mkdir(rdir, 0770);
	rc = write_roster(&d, rdir, o, cpath, spath, sizeof(cpath));
	if (rc != GU_OK)
		goto out;
	d.plan = calloc(d.n_kids ? d.n_kids : 1, sizeof(*d.plan));
	if (d.plan == 0) {
		rc = GU_ENOMEM;
		goto out;
	}
	memset(&ro, 0, sizeof(ro));
	ro.opslimit = o->opslimit;
	ro.memlimit = o->memlimit;
	rc = roster_import_files(
	    d.s, cpath, spath, &ro, import_err, log, &counts);
	if (rc != GU_OK)
		goto out;
	rc = set_pins(&d, o);
	/*
	 * A term makes about six records a child.  More records than that
	 * (benchmarks) come from earlier terms, oldest first, so the log stays
	 * in time order; a term is 120 days apart from the next.
	 */
	if (o->records)
		terms =
		    (int) (o->records / ((uint64_t) o->children * 6 + 1)) + 1;
	for (int t = terms - 1; rc == GU_OK && t >= 0; t--) {
		d.start_ms = d.today_ms - (int64_t) (days + t * 120) * DAY_MS;
		rc = gen_term(&d, days);
	}
	if (rc == GU_OK && o->records == 0)
		rc = gen_extras(&d);
	if (rc == GU_ETOOBIG) /* --records reached */
		rc = GU_OK;
	if (rc == GU_OK)
		rc = flush(&d);
	if (rc == GU_OK)
		fprintf(log,
		    "guanai-demo: %s: %u children, %u staff, %" PRIu64
		    " records\n",
		    dir, counts.children_added, counts.staff_added, d.written);
out:
	store_close(d.s);
	free(d.batch);
	free(d.plan);
	free(d.kids);
	free(d.classes);
	return rc;
}
