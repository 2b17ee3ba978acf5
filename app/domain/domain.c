/*
 * domain.c: the kiosk's tasks as records (see domain.h).  The only file
 * of app/ that calls core/store.h for writing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "status.h"

#define WHY_LEN 256

void
domain_init(struct domain *d, struct store *s, int tz_min)
{
	memset(d, 0, sizeof(*d));
	d->store = s;
	d->tz_min = tz_min;
}

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

int
domain_sync_status(struct domain *d, struct sync_status *out)
{
	return store_sync_status(d->store, out);
}

int
domain_sync_recent(
    struct domain *d, struct sync_batch *out, size_t max, size_t *n)
{
	return store_sync_recent(d->store, out, max, n);
}

int
domain_upload_now(struct domain *d, int64_t now_ms)
{
	return store_sync_trigger(d->store, now_ms);
}

uint32_t
domain_day_of(int64_t t_ms, int tz_min)
{
	return store_day_of(t_ms, tz_min);
}

int
domain_status(struct domain *d, char *school, size_t len, uint64_t *unacked)
{
	struct store_info in;
	int rc;

	rc = store_info(d->store, &in);
	if (rc != GU_OK)
		return rc;
	copy(school, len, in.school_name);
	*unacked = in.unacked;
	return GU_OK;
}

const char *const *
domain_topics(size_t *n)
{
	const struct rec_field_info *fi = rec_field_info(F_TOPIC);
	size_t i = 0;

	if (fi == NULL || fi->words == NULL) {
		*n = 0;
		return NULL;
	}
	while (fi->words[i] != NULL)
		i++;
	*n = i;
	return fi->words;
}

struct classes_arg {
	struct dom_class *out;
	size_t max, n;
};

static int
class_cb(void *arg, const char *class_name, const char *grade, uint32_t n)
{
	struct classes_arg *a = arg;

	(void) grade;
	if (a->n < a->max) {
		copy(a->out[a->n].name, sizeof(a->out[a->n].name), class_name);
		a->out[a->n].n = n;
		a->out[a->n].present = 0;
	}
	a->n++;
	return 0;
}

/*
 * The grade a class name starts with: "三年级2班" -> 3, "初二1班" -> 8,
 * "3-2" -> 3; 99 when it names none.  Classes are shown in grade order,
 * not byte order (in UTF-8 三 sorts before 二).
 */
static int
grade_of(const char *name)
{
	static const char *const num[] = {
	    "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	size_t i;
	int base = 0;

	if (*name >= '0' && *name <= '9')
		return name[1] >= '0' && name[1] <= '9'
		    ? (name[0] - '0') * 10 + (name[1] - '0')
		    : name[0] - '0';
	/* 初一 .. 初三 are grades 7 to 9, 高一 .. 高三 10 to 12. */
	if (strncmp(name, "初", strlen("初")) == 0) {
		base = 6;
		name += strlen("初");
	} else if (strncmp(name, "高", strlen("高")) == 0) {
		base = 9;
		name += strlen("高");
	}
	for (i = 0; i < 9; i++)
		if (strncmp(name, num[i], strlen(num[i])) == 0)
			return base + (int) i + 1;
	return 99;
}

static int
cmp_class(const void *a, const void *b)
{
	const struct dom_class *x = a, *y = b;
	int gx = grade_of(x->name), gy = grade_of(y->name);

	if (gx != gy)
		return gx < gy ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
domain_classes(struct domain *d, struct dom_class *out, size_t max, size_t *n)
{
	struct classes_arg a = {out, max, 0};
	int rc;

	rc = store_classes(d->store, class_cb, &a);
	*n = a.n < max ? a.n : max;
	qsort(out, *n, sizeof(*out), cmp_class);
	return rc;
}

struct staff_arg {
	struct dom_staff *out;
	size_t max, n;
};

static int
staff_cb(void *arg, const struct staff *st)
{
	struct staff_arg *a = arg;

	if (a->n < a->max) {
		copy(a->out[a->n].id, sizeof(a->out[a->n].id), st->id);
		copy(a->out[a->n].name, sizeof(a->out[a->n].name), st->name);
		a->out[a->n].roles = st->roles;
	}
	a->n++;
	return 0;
}

int
domain_staff(struct domain *d, struct dom_staff *out, size_t max, size_t *n)
{
	struct staff_arg a = {out, max, 0};
	int rc;

	rc = store_staff_list(d->store, staff_cb, &a);
	*n = a.n < max ? a.n : max;
	return rc;
}

/* Fills out from a REC_LECTURE. */
static void
lecture_from(struct dom_lecture *out, const struct record *r, int open)
{
	const char *cl, *p, *e;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->seq = r->seq;
	out->open = open;
	out->time_ms = r->time_ms;
	copy(out->topic, sizeof(out->topic), rec_str(r, F_TOPIC));
	copy(out->lecturer, sizeof(out->lecturer), rec_str(r, F_LECTURER));
	copy(out->starter, sizeof(out->starter), r->author);
	cl = rec_str(r, F_CLASSES);
	for (p = cl; p != NULL && *p && out->n_classes < DOM_LECTURE_CLASSES;) {
		e = strchr(p, ';');
		n = e != NULL ? (size_t) (e - p) : strlen(p);
		if (n >= sizeof(out->classes[0]))
			n = sizeof(out->classes[0]) - 1;
		memcpy(out->classes[out->n_classes], p, n);
		out->classes[out->n_classes][n] = '\0';
		out->n_classes++;
		if (e == NULL)
			break;
		p = e + 1;
	}
}

static int
open_cb(void *arg, const struct record *lecture, int open)
{
	lecture_from(arg, lecture, open);
	return 1; /* the newest is enough */
}

int
domain_open_lecture(struct domain *d, struct dom_lecture *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_lectures(d->store, 1, open_cb, out);
	if (rc != GU_OK && rc != 1)
		return rc;
	return out->seq != 0 ? GU_OK : GU_ENOTFOUND;
}

struct lget_arg {
	uint64_t seq;
	struct dom_lecture *out;
};

static int
lget_cb(void *arg, const struct record *lecture, int open)
{
	struct lget_arg *a = arg;

	if (lecture->seq != a->seq)
		return 0;
	lecture_from(a->out, lecture, open);
	return 1;
}

int
domain_lecture_get(struct domain *d, uint64_t seq, struct dom_lecture *out)
{
	struct lget_arg a = {seq, out};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_lectures(d->store, 0, lget_cb, &a);
	if (rc != GU_OK && rc != 1)
		return rc;
	return out->seq != 0 ? GU_OK : GU_ENOTFOUND;
}

/* Month and day of a roster birth date "YYYY-MM-DD"; 0 when it is not
 * one. */
static void
birthday(const char *birth, uint8_t *month, uint8_t *day)
{
	int m, d;

	*month = *day = 0;
	if (strlen(birth) != 10 || birth[4] != '-' || birth[7] != '-')
		return;
	m = (birth[5] - '0') * 10 + (birth[6] - '0');
	d = (birth[8] - '0') * 10 + (birth[9] - '0');
	if (m >= 1 && m <= 12 && d >= 1 && d <= 31) {
		*month = (uint8_t) m;
		*day = (uint8_t) d;
	}
}

static int
by_name(const void *a, const void *b, void *arg)
{
	const struct dom_pupil *base = arg;
	const struct dom_pupil *x = &base[*(const uint16_t *) a];
	const struct dom_pupil *y = &base[*(const uint16_t *) b];
	int c = strcmp(x->name, y->name);

	if (c == 0)
		c = (x->birth_month * 32 + x->birth_day) -
		    (y->birth_month * 32 + y->birth_day);
	return c;
}

/* Marks the pupils whose name (and birthday) another one shares: sorted
 * by name and birthday, equal neighbours are the same. */
static void
tell_apart(struct dom_pupil *p, size_t n)
{
	uint16_t ix[DOM_PUPILS_MAX];
	size_t i;

	if (n > DOM_PUPILS_MAX)
		n = DOM_PUPILS_MAX;
	for (i = 0; i < n; i++)
		ix[i] = (uint16_t) i;
	qsort_r(ix, n, sizeof(ix[0]), by_name, p);
	for (i = 1; i < n; i++) {
		struct dom_pupil *a = &p[ix[i - 1]], *b = &p[ix[i]];
		if (strcmp(a->name, b->name) != 0)
			continue;
		a->same_name = b->same_name = 1;
		if (a->birth_month == b->birth_month &&
		    a->birth_day == b->birth_day)
			a->same_birthday = b->same_birthday = 1;
	}
}

struct pupils_arg {
	struct domain *d;
	uint64_t lecture;
	struct dom_pupil *out;
	size_t max, n;
};

static int
pupil_cb(void *arg, const struct child *c)
{
	struct pupils_arg *a = arg;
	struct dom_pupil *p;
	size_t tail;

	if (a->n < a->max) {
		/* Only the student-safe view is copied: see domain.h. */
		p = &a->out[a->n];
		memset(p, 0, sizeof(*p));
		copy(p->id, sizeof(p->id), c->id);
		copy(p->name, sizeof(p->name), c->name);
		birthday(c->birth, &p->birth_month, &p->birth_day);
		tail = strlen(c->id) > 4 ? strlen(c->id) - 4 : 0;
		memcpy(p->id_tail, c->id + tail, strlen(c->id) - tail);
		p->att_seq = a->lecture != 0
		    ? store_attendance_of(a->d->store, a->lecture, c->id)
		    : 0;
	}
	a->n++;
	return 0;
}

int
domain_pupils(struct domain *d, uint64_t lecture_seq, const char *class_name,
    struct dom_pupil *out, size_t max, size_t *n)
{
	struct pupils_arg a = {d, lecture_seq, out, max, 0};
	int rc;

	rc = store_class_children(d->store, class_name, pupil_cb, &a);
	*n = a.n < max ? a.n : max;
	tell_apart(out, *n);
	if (rc == GU_OK && a.n > max)
		rc = GU_ETOOBIG;
	return rc;
}

struct count_arg {
	const struct dom_lecture *l;
	struct dom_class *out;
};

static int
att_cb(void *arg, const char *class_name, const char *child_id, uint64_t seq)
{
	struct count_arg *a = arg;
	size_t i;

	(void) child_id;
	(void) seq;
	for (i = 0; i < a->l->n_classes; i++)
		if (strcmp(a->l->classes[i], class_name) == 0) {
			a->out[i].present++;
			break;
		}
	return 0;
}

int
domain_lecture_counts(struct domain *d, const struct dom_lecture *l,
    struct dom_class *out, uint32_t *present, uint32_t *total)
{
	struct dom_class all[DOM_CLASSES_MAX];
	struct count_arg a = {l, out};
	size_t i, j, n = 0;
	int rc;

	*present = *total = 0;
	rc = domain_classes(d, all, DOM_CLASSES_MAX, &n);
	if (rc != GU_OK)
		return rc;
	for (i = 0; i < l->n_classes; i++) {
		copy(out[i].name, sizeof(out[i].name), l->classes[i]);
		out[i].n = 0;
		out[i].present = 0;
		for (j = 0; j < n; j++)
			if (strcmp(all[j].name, l->classes[i]) == 0)
				out[i].n = all[j].n;
	}
	rc = store_lecture_attendance(d->store, l->seq, att_cb, &a);
	if (rc != GU_OK)
		return rc;
	for (i = 0; i < l->n_classes; i++) {
		*present += out[i].present;
		*total += out[i].n;
	}
	return GU_OK;
}

int
domain_append(struct domain *d, struct record *r, uint64_t *seq)
{
	char why[WHY_LEN] = "";
	int rc;

	rc = store_append(d->store, r, why, sizeof(why));
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-kiosk: %s record refused: %s: %s\n",
		    rec_kind_name(r->kind), status_str(rc), why);
		return rc;
	}
	if (seq != NULL)
		*seq = r->seq;
	if (d->committed != NULL)
		d->committed(d->committed_arg);
	return GU_OK;
}

static int
word_ok(int field, const char *w)
{
	const struct rec_field_info *fi = rec_field_info(field);
	size_t i;

	if (fi == NULL || fi->words == NULL)
		return 0;
	for (i = 0; fi->words[i] != NULL; i++)
		if (strcmp(fi->words[i], w) == 0)
			return 1;
	return 0;
}

static void
date_of(char *buf, size_t len, int64_t now_ms, int tz_min)
{
	uint32_t day = store_day_of(now_ms, tz_min);

	snprintf(buf, len, "%04u-%02u-%02u", (unsigned) (day / 10000),
	    (unsigned) (day / 100 % 100), (unsigned) (day % 100));
}

static void
header(struct domain *d, struct record *r, int kind, int64_t now_ms,
    const char *author)
{
	rec_init(r, kind);
	r->time_ms = now_ms;
	r->tz_min = (int16_t) d->tz_min;
	copy(r->author, sizeof(r->author), author);
}

static int lecture_start_on(struct domain *d, int64_t now_ms,
    const char *starter, const char *topic, const char *topic_note,
    const char *lecturer, const char *const *classes, size_t n_classes,
    const char *day, uint64_t *seq);

int
domain_lecture_start(struct domain *d, int64_t now_ms, const char *starter,
    const char *topic, const char *lecturer, const char *const *classes,
    size_t n_classes, uint64_t *seq)
{
	return lecture_start_on(d, now_ms, starter, topic, NULL, lecturer,
	    classes, n_classes, NULL, seq);
}

int
domain_lecture_start_note(struct domain *d, int64_t now_ms, const char *starter,
    const char *topic, const char *topic_note, const char *lecturer,
    const char *const *classes, size_t n_classes, uint64_t *seq)
{
	return lecture_start_on(d, now_ms, starter, topic, topic_note, lecturer,
	    classes, n_classes, NULL, seq);
}

/* A lecture held on day (YYYY-MM-DD; NULL: today, else 补录, F_LATE),
 * with topic_note the words of a topic 其他 (NULL or "": none). */
static int
lecture_start_on(struct domain *d, int64_t now_ms, const char *starter,
    const char *topic, const char *topic_note, const char *lecturer,
    const char *const *classes, size_t n_classes, const char *day,
    uint64_t *seq)
{
	struct dom_class all[DOM_CLASSES_MAX];
	struct dom_lecture open;
	struct record r;
	char list[REC_VALUE_MAX], date[16];
	size_t i, j, n, o = 0, cl;
	int rc;

	*seq = 0;
	if (!word_ok(F_TOPIC, topic) || lecturer == NULL || *lecturer == '\0' ||
	    n_classes == 0 || n_classes > DOM_LECTURE_CLASSES)
		return GU_EINVAL;
	if (domain_open_lecture(d, &open) == GU_OK)
		return GU_EEXIST;
	rc = domain_classes(d, all, DOM_CLASSES_MAX, &n);
	if (rc != GU_OK)
		return rc;
	for (i = 0; i < n_classes; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(all[j].name, classes[i]) == 0)
				break;
		if (j == n)
			return GU_EINVAL;
		cl = strlen(classes[i]);
		if (o + cl + 2 > sizeof(list))
			return GU_ETOOBIG;
		if (o > 0)
			list[o++] = ';';
		memcpy(list + o, classes[i], cl);
		o += cl;
	}
	list[o] = '\0';

	header(d, &r, REC_LECTURE, now_ms, starter);
	if ((rc = rec_set_str(&r, F_TOPIC, topic)) != GU_OK ||
	    (rc = rec_set_str(&r, F_LECTURER, lecturer)) != GU_OK ||
	    (rc = rec_set_str(&r, F_CLASSES, list)) != GU_OK)
		return rc;
	if (topic_note != NULL && topic_note[0] != '\0' &&
	    (rc = rec_set_str(&r, F_TOPIC_NOTE, topic_note)) != GU_OK)
		return rc;
	if (rec_kind_has(REC_LECTURE, F_DATE)) {
		date_of(date, sizeof(date), now_ms, d->tz_min);
		if ((rc = rec_set_str(&r, F_DATE, day ? day : date)) != GU_OK)
			return rc;
	}
	if (day != NULL && (rc = rec_set_int(&r, F_LATE, 1)) != GU_OK)
		return rc;
	rc = domain_append(d, &r, NULL);
	if (rc == GU_OK)
		*seq = r.seq;
	return rc;
}

/* The class of child among the lecture's classes, or NULL. */
static const char *
lecture_class_of(struct domain *d, const struct dom_lecture *l,
    const char *child_id, struct child *c)
{
	size_t i;

	if (store_child_get(d->store, child_id, c) != GU_OK || !c->active)
		return NULL;
	for (i = 0; i < l->n_classes; i++)
		if (strcmp(l->classes[i], c->class_name) == 0)
			return l->classes[i];
	return NULL;
}

int
domain_checkin(struct domain *d, int64_t now_ms, const struct dom_lecture *l,
    const char *child_id, int by_student, uint64_t *seq)
{
	struct dom_lecture cur;
	struct record r;
	struct child c;
	const char *cls;
	uint64_t have;
	int rc;

	*seq = 0;
	rc = domain_lecture_get(d, l->seq, &cur);
	if (rc != GU_OK)
		return rc;
	if (!cur.open)
		return GU_ENOTFOUND;
	cls = lecture_class_of(d, &cur, child_id, &c);
	if (cls == NULL)
		return GU_EINVAL;
	have = store_attendance_of(d->store, l->seq, child_id);
	if (have != 0) {
		*seq = have;
		return GU_EEXIST;
	}
	header(
	    d, &r, REC_ATTENDANCE, now_ms, by_student ? child_id : cur.starter);
	if (by_student)
		r.flags |= REC_FLAG_BY_STUDENT;
	if ((rc = rec_set_int(&r, F_LECTURE, (int64_t) l->seq)) != GU_OK ||
	    (rc = rec_set_str(&r, F_CHILD, child_id)) != GU_OK ||
	    (rc = rec_set_str(&r, F_CLASS, cls)) != GU_OK)
		return rc;
	if (rec_kind_has(REC_ATTENDANCE, F_METHOD) &&
	    (rc = rec_set_str(&r, F_METHOD, by_student ? "self" : "teacher")) !=
	        GU_OK)
		return rc;
	rc = domain_append(d, &r, NULL);
	if (rc == GU_OK)
		*seq = r.seq;
	return rc;
}

/* The schema's void reason for a wrong tap: the first word that says so,
 * else the first word. */
static const char *
wrong_tap_reason(void)
{
	static const char *const pref[] = {"wrong_tap", "mistap", "mistake",
	    "wrong_child", "wrong", "error", NULL};
	const struct rec_field_info *fi = rec_field_info(F_REASON);
	size_t i, j;

	if (fi == NULL || fi->words == NULL || fi->words[0] == NULL)
		return NULL;
	for (j = 0; pref[j] != NULL; j++)
		for (i = 0; fi->words[i] != NULL; i++)
			if (strcmp(fi->words[i], pref[j]) == 0)
				return fi->words[i];
	for (i = 0; fi->words[i] != NULL; i++)
		if (strstr(fi->words[i], "wrong") != NULL ||
		    strstr(fi->words[i], "mistake") != NULL)
			return fi->words[i];
	return fi->words[0];
}

int
domain_checkin_void(struct domain *d, int64_t now_ms,
    const struct dom_lecture *l, uint64_t att_seq, const char *child_id,
    int by_student)
{
	struct record r, att;
	const char *reason = wrong_tap_reason();
	int rc;

	rc = store_get(d->store, att_seq, &att);
	if (rc != GU_OK)
		return rc;
	if (att.kind != REC_ATTENDANCE ||
	    rec_int(&att, F_LECTURE, 0) != (int64_t) l->seq ||
	    strcmp(rec_str(&att, F_CHILD) ? rec_str(&att, F_CHILD) : "",
	        child_id) != 0)
		return GU_EINVAL;
	if (store_voided_by(d->store, att_seq) != 0)
		return GU_OK; /* already undone: nothing to do */
	header(d, &r, REC_VOID, now_ms, by_student ? child_id : l->starter);
	if (by_student)
		r.flags |= REC_FLAG_BY_STUDENT;
	if ((rc = rec_set_int(&r, F_TARGET, (int64_t) att_seq)) != GU_OK)
		return rc;
	if (reason != NULL && (rc = rec_set_str(&r, F_REASON, reason)) != GU_OK)
		return rc;
	if (rec_kind_has(REC_VOID, F_CHILD) &&
	    (rc = rec_set_str(&r, F_CHILD, child_id)) != GU_OK)
		return rc;
	return domain_append(d, &r, NULL);
}

int
domain_lecture_end(struct domain *d, int64_t now_ms,
    const struct dom_lecture *l, uint32_t *present, uint32_t *absent)
{
	struct dom_class cls[DOM_LECTURE_CLASSES];
	struct record r;
	uint32_t p, t;
	int rc;

	rc = domain_lecture_counts(d, l, cls, &p, &t);
	if (rc != GU_OK)
		return rc;
	header(d, &r, REC_LECTURE_END, now_ms, l->starter);
	if ((rc = rec_set_int(&r, F_LECTURE, (int64_t) l->seq)) != GU_OK ||
	    (rc = rec_set_int(&r, F_PRESENT, p)) != GU_OK ||
	    (rc = rec_set_int(&r, F_ABSENT, t - p)) != GU_OK)
		return rc;
	rc = domain_append(d, &r, NULL);
	if (rc != GU_OK)
		return rc;
	*present = p;
	*absent = t - p;
	return GU_OK;
}

/* ---- the lecture, finished (issue 12 part 6; docs/lectures.md) ---- */

int
domain_lecture_enter_late(struct domain *d, int64_t now_ms, const char *starter,
    const char *topic, const char *lecturer, const char *const *classes,
    size_t n_classes, const char *day, uint64_t *seq)
{
	char today[16];

	*seq = 0;
	date_of(today, sizeof(today), now_ms, d->tz_min);
	if (day == NULL || !rec_date_ok(day) || strcmp(day, today) > 0)
		return GU_EINVAL;
	return lecture_start_on(d, now_ms, starter, topic, NULL, lecturer,
	    classes, n_classes, day, seq);
}

int
domain_checkin_class(struct domain *d, int64_t now_ms,
    const struct dom_lecture *l, struct dom_pupil *pupils, size_t n,
    uint32_t *marked)
{
	uint64_t seq;
	int rc = GU_OK;

	*marked = 0;
	for (size_t i = 0; i < n; i++) {
		if (pupils[i].att_seq != 0)
			continue;
		rc = domain_checkin(d, now_ms, l, pupils[i].id, 0, &seq);
		if (rc == GU_EEXIST)
			rc = GU_OK;
		else if (rc == GU_OK)
			(*marked)++;
		if (rc != GU_OK)
			return rc;
		pupils[i].att_seq = seq;
	}
	return GU_OK;
}

/* The lecture seq and the class of child in it, for an absentee. */
static int
absentee(struct domain *d, uint64_t lecture_seq, const char *child_id,
    struct dom_lecture *cur, const char **cls)
{
	struct child c;
	int rc = domain_lecture_get(d, lecture_seq, cur);

	if (rc != GU_OK)
		return rc;
	*cls = lecture_class_of(d, cur, child_id, &c);
	if (*cls == NULL)
		return GU_EINVAL;
	if (store_attendance_of(d->store, lecture_seq, child_id) != 0)
		return GU_EEXIST;
	return GU_OK;
}

int
domain_absence(struct domain *d, int64_t now_ms, uint64_t lecture_seq,
    const char *child_id, const char *reason, const char *by)
{
	struct dom_lecture cur;
	struct record r;
	const char *cls;
	int rc;

	if (!word_ok(F_ABSENCE, reason))
		return GU_EINVAL;
	rc = absentee(d, lecture_seq, child_id, &cur, &cls);
	if (rc != GU_OK)
		return rc;
	header(d, &r, REC_ABSENCE, now_ms, by);
	if ((rc = rec_set_int(&r, F_LECTURE, (int64_t) lecture_seq)) != GU_OK ||
	    (rc = rec_set_str(&r, F_CHILD, child_id)) != GU_OK ||
	    (rc = rec_set_str(&r, F_CLASS, cls)) != GU_OK ||
	    (rc = rec_set_str(&r, F_ABSENCE, reason)) != GU_OK)
		return rc;
	return domain_append(d, &r, NULL);
}

int
domain_makeup(struct domain *d, int64_t now_ms, uint64_t lecture_seq,
    const char *child_id, const char *by, uint64_t *seq)
{
	struct dom_lecture cur;
	struct record r;
	const char *cls;
	int rc;

	*seq = 0;
	rc = absentee(d, lecture_seq, child_id, &cur, &cls);
	if (rc != GU_OK)
		return rc;
	if (cur.open) /* still open: an ordinary check-in */
		return GU_EINVAL;
	header(d, &r, REC_ATTENDANCE, now_ms, by);
	if ((rc = rec_set_int(&r, F_LECTURE, (int64_t) lecture_seq)) != GU_OK ||
	    (rc = rec_set_str(&r, F_CHILD, child_id)) != GU_OK ||
	    (rc = rec_set_str(&r, F_CLASS, cls)) != GU_OK ||
	    (rc = rec_set_str(&r, F_METHOD, "teacher")) != GU_OK ||
	    (rc = rec_set_int(&r, F_MAKEUP, 1)) != GU_OK)
		return rc;
	rc = domain_append(d, &r, NULL);
	if (rc == GU_OK)
		*seq = r.seq;
	return rc;
}

struct past_arg {
	struct dom_past *out;
	size_t max, n;
};

static int
past_cb(void *arg, const struct record *lecture, int open)
{
	struct past_arg *a = arg;
	struct dom_past *p;

	if (open)
		return 0;
	if (a->n >= a->max)
		return 1;
	p = &a->out[a->n++];
	memset(p, 0, sizeof(*p));
	lecture_from(&p->l, lecture, open);
	snprintf(p->date, sizeof(p->date), "%s",
	    rec_str(lecture, F_DATE) ? rec_str(lecture, F_DATE) : "");
	p->late = rec_int(lecture, F_LATE, 0) != 0;
	return 0;
}

int
domain_lectures_past(
    struct domain *d, struct dom_past *out, size_t max, size_t *n)
{
	struct past_arg a = {out, max, 0};
	struct dom_class cls[DOM_LECTURE_CLASSES];
	int rc = store_lectures(d->store, 0, past_cb, &a);

	*n = a.n;
	if (rc != GU_OK && rc != 1)
		return rc;
	for (size_t i = 0; i < a.n; i++) {
		rc = domain_lecture_counts(
		    d, &out[i].l, cls, &out[i].present, &out[i].total);
		if (rc != GU_OK)
			return rc;
	}
	return GU_OK;
}
