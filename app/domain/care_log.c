/*
 * care_log.c: building and appending the mentoring records (care_log.h).
 */
#include <stdio.h>
#include <string.h>

#include "care_log.h"
#include "status.h"

#define DAY_MS 86400000LL

const char *const *
care_log_words(int f, size_t *n)
{
	const struct rec_field_info *fi = rec_field_info(f);
	size_t i = 0;

	if (fi == NULL || fi->words == NULL) {
		if (n != NULL)
			*n = 0;
		return NULL;
	}
	while (fi->words[i] != NULL)
		i++;
	if (n != NULL)
		*n = i;
	return fi->words;
}

int
care_log_word_index(int f, const char *word)
{
	const char *const *w = care_log_words(f, NULL);

	for (int i = 0; w != NULL && word != NULL && w[i] != NULL; i++)
		if (strcmp(w[i], word) == 0)
			return i;
	return -1;
}

int
care_log_set_str(int f, uint32_t set, char *out, size_t len)
{
	size_t n, used = 0, wl;
	const char *const *w = care_log_words(f, &n);

	if (len == 0)
		return GU_ETOOBIG;
	out[0] = '\0';
	for (size_t i = 0; w != NULL && i < n && i < 32; i++) {
		if (!(set & (1u << i)))
			continue;
		wl = strlen(w[i]);
		if (used + (used > 0) + wl + 1 > len)
			return GU_ETOOBIG;
		if (used > 0)
			out[used++] = ',';
		memcpy(out + used, w[i], wl + 1);
		used += wl;
	}
	return GU_OK;
}

void
care_log_date(int64_t now_ms, int tz_min, int days, char *out, size_t len)
{
	uint32_t d = store_day_of(now_ms - (int64_t) days * DAY_MS, tz_min);

	snprintf(out, len, "%04u-%02u-%02u", d / 10000, d / 100 % 100, d % 100);
}

/* Header fields every staff record has. */
static void
staff_rec(struct domain *l, struct record *r, int kind,
    const struct auth_session *ses, int64_t now_ms)
{
	rec_init(r, kind);
	r->time_ms = now_ms;
	r->tz_min = (int16_t) l->tz_min;
	snprintf(r->author, sizeof(r->author), "%s", ses->staff_id);
}

/* Sets the SET field f from bits when any; GU_ETOOBIG past the text. */
static int
set_bits(struct record *r, int f, uint32_t bits)
{
	char buf[REC_VALUE_MAX];
	int rc;

	if (bits == 0)
		return GU_OK;
	rc = care_log_set_str(f, bits, buf, sizeof(buf));
	if (rc == GU_OK)
		rc = rec_set_str(r, f, buf);
	return rc;
}

/* Sets the note field f to note when there is one (NULL or "": none). */
static int
set_note(struct record *r, int f, const char *note)
{
	if (note == NULL || note[0] == '\0')
		return GU_OK;
	return rec_set_str(r, (enum rec_field) f, note);
}

/* The concern raised by a check-in or a visit (source 0: none), with what
 * was seen (note, may be NULL). */
static int
concern(struct domain *l, const struct auth_session *ses, int64_t now_ms,
    const char *child, uint32_t concerns, uint64_t source, const char *note,
    uint64_t *seq)
{
	struct record r;
	int harm = care_log_word_index(F_CONCERNS, "harm");
	int urgent = harm >= 0 && (concerns & (1u << harm));
	int rc;

	staff_rec(l, &r, REC_CONCERN, ses, now_ms);
	if (urgent)
		r.flags |= REC_FLAG_URGENT;
	rc = rec_set_str(&r, F_CHILD, child);
	if (rc == GU_OK)
		rc = set_bits(&r, F_CONCERNS, concerns);
	if (rc == GU_OK)
		rc = rec_set_int(&r, F_URGENT, urgent);
	if (rc == GU_OK && source != 0)
		rc = rec_set_int(&r, F_SOURCE, (int64_t) source);
	if (rc == GU_OK)
		rc = set_note(&r, F_NOTE, note);
	if (rc == GU_OK)
		rc = domain_append(l, &r, seq);
	return rc;
}

int
care_log_report(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, const char *child_id, uint64_t *seq)
{
	int harm = care_log_word_index(F_CONCERNS, "harm");
	struct child ch;
	int rc;

	if (ses == NULL || ses->staff_id[0] == '\0' || ses->must_change_pin)
		return GU_EPERM;
	if (child_id == NULL || harm < 0)
		return GU_EINVAL;
	rc = store_child_get(l->store, child_id, &ch);
	if (rc != GU_OK)
		return rc;
	if (!ch.active)
		return GU_ENOTFOUND;
	rc = concern(l, ses, now_ms, child_id, 1u << harm, 0, NULL, seq);
	if (rc != GU_OK && rc != GU_ECORRUPT) /* once more: it matters */
		rc =
		    concern(l, ses, now_ms, child_id, 1u << harm, 0, NULL, seq);
	return rc;
}

/* A record and then the concern it raised: an urgent concern is written
 * even when the record itself no longer fits. */
static int
with_concern(struct domain *l, const struct auth_session *ses, int64_t now_ms,
    struct record *r, uint32_t concerns, const char *note, uint64_t *seq,
    uint64_t *concern_seq)
{
	int harm = care_log_word_index(F_CONCERNS, "harm");
	uint64_t s = 0, cs = 0;
	int rc, crc;

	rc = domain_append(l, r, &s);
	if (rc == GU_OK && concerns != 0) {
		crc = concern(
		    l, ses, now_ms, rec_child(r), concerns, s, note, &cs);
		if (crc != GU_OK) /* once more: it matters */
			crc = concern(l, ses, now_ms, rec_child(r), concerns, s,
			    note, &cs);
		rc = crc;
	} else if (rc == GU_EFULL && harm >= 0 && (concerns & (1u << harm)))
		(void) concern(
		    l, ses, now_ms, rec_child(r), concerns, 0, note, &cs);
	if (seq != NULL)
		*seq = s;
	if (concern_seq != NULL)
		*concern_seq = cs;
	return rc;
}

/*
 * Starts r, a record of kind that ses makes about child_id with word
 * (an index into field f's words), and zeroes the seqs it will give:
 * GU_EPERM if ses may not see the child, GU_EINVAL if word is not one.
 */
static int
child_rec(struct domain *l, const struct auth_session *ses, int64_t now_ms,
    int kind, const char *child_id, int f, int word, struct record *r,
    uint64_t *seq, uint64_t *concern_seq)
{
	size_t n;

	if (seq != NULL)
		*seq = 0;
	if (concern_seq != NULL)
		*concern_seq = 0;
	if (!care_may_see(l->store, ses, child_id))
		return GU_EPERM;
	(void) care_log_words(f, &n);
	if (word < 0 || (size_t) word >= n)
		return GU_EINVAL;
	staff_rec(l, r, kind, ses, now_ms);
	return rec_set_str(r, F_CHILD, child_id);
}

int
care_log_checkin(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, const struct care_checkin *c, uint64_t *seq,
    uint64_t *concern_seq)
{
	struct record r;
	const char *const *types = care_log_words(F_TYPE, NULL);
	char date[16];
	int rc;

	rc = child_rec(l, ses, now_ms, REC_CHECKIN, c->child_id, F_TYPE,
	    c->type, &r, seq, concern_seq);
	care_log_date(now_ms, l->tz_min, 0, date, sizeof(date));
	if (rc == GU_OK)
		rc = rec_set_str(&r, F_TYPE, types[c->type]);
	if (rc == GU_OK)
		rc = rec_set_int(&r, F_MOOD, c->mood);
	if (rc == GU_OK)
		rc = set_bits(&r, F_CONCERNS, c->concerns);
	if (rc == GU_OK)
		rc = set_bits(&r, F_NOTES, c->notes);
	if (rc == GU_OK)
		rc = rec_set_str(&r, F_DATE, date);
	if (rc == GU_OK)
		rc = set_note(&r, F_NOTE, c->note);
	if (rc != GU_OK)
		return rc;
	return with_concern(
	    l, ses, now_ms, &r, c->concerns, c->concern_note, seq, concern_seq);
}

int
care_log_visit(struct domain *l, const struct auth_session *ses, int64_t now_ms,
    const struct care_visit *v, uint64_t *seq, uint64_t *concern_seq)
{
	struct record r;
	const char *const *met = care_log_words(F_MET, NULL);
	char date[16];
	int rc;

	rc = child_rec(l, ses, now_ms, REC_VISIT, v->child_id, F_MET, v->met,
	    &r, seq, concern_seq);
	care_log_date(now_ms, l->tz_min, v->days_ago, date, sizeof(date));
	if (rc == GU_OK)
		rc = rec_set_str(&r, F_DATE, date);
	if (rc == GU_OK)
		rc = rec_set_str(&r, F_MET, met[v->met]);
	if (rc == GU_OK)
		rc = rec_set_int(&r, F_GUARDIANSHIP, v->guardianship != 0);
	if (rc == GU_OK)
		rc = set_bits(&r, F_HAZARDS, v->hazards);
	if (rc == GU_OK)
		rc = rec_set_int(&r, F_STUDY, v->study);
	if (rc == GU_OK)
		rc = rec_set_int(&r, F_HEALTH, v->health);
	if (rc == GU_OK)
		rc = rec_set_int(&r, F_MOOD, v->mood);
	if (rc == GU_OK)
		rc = set_bits(&r, F_PROBLEMS, v->problems);
	if (rc == GU_OK)
		rc = set_bits(&r, F_ACTIONS, v->actions);
	if (rc == GU_OK && v->next_days > 0) {
		care_log_date(
		    now_ms, l->tz_min, -v->next_days, date, sizeof(date));
		rc = rec_set_str(&r, F_NEXT_VISIT, date);
	}
	if (rc == GU_OK)
		rc = set_note(&r, F_NOTE, v->note);
	if (rc == GU_OK)
		rc = set_note(&r, F_MEASURES_NOTE, v->measures_note);
	if (rc == GU_OK)
		rc = set_note(&r, F_GUARDIAN_NOTE, v->guardian_note);
	if (rc != GU_OK)
		return rc;
	return with_concern(
	    l, ses, now_ms, &r, v->problems, v->note, seq, concern_seq);
}

/* The first active headteacher by 工号, into id. */
struct head_arg {
	char *id;
	size_t len;
};

static int
head_cb(void *arg, const struct staff *st)
{
	struct head_arg *a = arg;

	if (!st->active || !(st->roles & ROLE_HEAD))
		return 0;
	snprintf(a->id, a->len, "%s", st->id);
	return 1;
}

/*
 * Whom a child's own record goes to, into to: his mentor, or when he has
 * none the headteacher (the first active one by 工号), so no screen a
 * student sees can tell the two apart.  GU_ENOTFOUND for an unknown child
 * or a school with neither.
 */
static int
route(struct domain *l, const char *child_id, char *to, size_t len)
{
	struct child ch;
	struct head_arg h = {to, len};
	int rc;

	to[0] = '\0';
	rc = store_child_get(l->store, child_id, &ch);
	if (rc != GU_OK)
		return rc;
	if (ch.mentor_id[0] != '\0') {
		snprintf(to, len, "%s", ch.mentor_id);
		return GU_OK;
	}
	rc = store_staff_list(l->store, head_cb, &h);
	if (rc != GU_OK && rc != 1)
		return rc;
	if (to[0] == '\0') {
		fprintf(stderr,
		    "guanai-kiosk: record of %s not saved: no mentor and no "
		    "headteacher\n",
		    child_id);
		return GU_ENOTFOUND;
	}
	return GU_OK;
}

/* A record child_id makes himself, to his mentor or the head. */
static int
by_student(struct domain *l, struct record *r, int kind, int64_t now_ms,
    const char *child_id)
{
	char to[GU_ID_LEN + 1];
	int rc = route(l, child_id, to, sizeof(to));

	if (rc != GU_OK)
		return rc;
	rec_init(r, kind);
	r->time_ms = now_ms;
	r->tz_min = (int16_t) l->tz_min;
	r->flags = REC_FLAG_BY_STUDENT;
	snprintf(r->author, sizeof(r->author), "%s", child_id);
	rc = rec_set_str(r, F_CHILD, child_id);
	if (rc == GU_OK)
		rc = rec_set_str(r, F_MENTOR, to);
	return rc;
}

int
care_log_student(struct domain *l, int64_t now_ms, const char *child_id,
    uint32_t topics, int feeling, uint64_t *seq)
{
	struct record r;
	int rc;

	if (seq != NULL)
		*seq = 0;
	if (topics == 0 || feeling < 1 || feeling > 5)
		return GU_EINVAL;
	rc = by_student(l, &r, REC_STUDENT_LOG, now_ms, child_id);
	if (rc == GU_OK)
		rc = set_bits(&r, F_TOPICS, topics);
	if (rc == GU_OK)
		rc = rec_set_int(&r, F_FEELING, feeling);
	if (rc == GU_OK)
		rc = domain_append(l, &r, seq);
	return rc;
}

int
care_log_talk(
    struct domain *l, int64_t now_ms, const char *child_id, uint64_t *seq)
{
	struct record r;
	int rc;

	if (seq != NULL)
		*seq = 0;
	rc = by_student(l, &r, REC_TALK_REQUEST, now_ms, child_id);
	if (rc == GU_OK)
		rc = domain_append(l, &r, seq);
	return rc;
}

/* The child record seq is about (a follow-up or void: through its
 * target), into child; GU_ENOTFOUND if none. */
static int
child_of(struct store *s, uint64_t seq, char *child, size_t len)
{
	struct record r;
	int rc, depth;

	for (depth = 0; depth < 3; depth++) {
		rc = store_get(s, seq, &r);
		if (rc != GU_OK)
			return rc;
		if (rec_child(&r) != NULL) {
			snprintf(child, len, "%s", rec_child(&r));
			return GU_OK;
		}
		seq = (uint64_t) rec_int(
		    &r, r.kind == REC_FOLLOWUP ? F_CONCERN : F_TARGET, 0);
		if (seq == 0)
			break;
	}
	return GU_ENOTFOUND;
}

int
care_log_followup(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t concern_seq, uint32_t done, uint64_t *seq)
{
	return care_log_followup_full(
	    l, ses, now_ms, concern_seq, done, 1, NULL, seq);
}

int
care_log_followup_note(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t concern_seq, uint32_t done, const char *note,
    uint64_t *seq)
{
	return care_log_followup_full(
	    l, ses, now_ms, concern_seq, done, 1, note, seq);
}

int
care_log_followup_keep(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t concern_seq, uint32_t done, int closes,
    uint64_t *seq)
{
	return care_log_followup_full(
	    l, ses, now_ms, concern_seq, done, closes, NULL, seq);
}

int
care_log_followup_full(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t concern_seq, uint32_t done, int closes,
    const char *note, uint64_t *seq)
{
	struct record r;
	char child[GU_ID_LEN + 1];
	int rc;

	if (seq != NULL)
		*seq = 0;
	if (done == 0)
		return GU_EINVAL;
	rc = child_of(l->store, concern_seq, child, sizeof(child));
	if (rc != GU_OK)
		return rc;
	if (!care_may_see(l->store, ses, child))
		return GU_EPERM;
	staff_rec(l, &r, REC_FOLLOWUP, ses, now_ms);
	rc = rec_set_int(&r, F_CONCERN, (int64_t) concern_seq);
	if (rc == GU_OK)
		rc = set_bits(&r, F_DONE, done);
	if (rc == GU_OK)
		rc = rec_set_int(&r, F_CLOSES, closes != 0);
	if (rc == GU_OK)
		rc = set_note(&r, F_NOTE, note);
	if (rc == GU_OK)
		rc = domain_append(l, &r, seq);
	return rc;
}

int
care_log_may_void(const struct auth_session *ses, const struct record *r)
{
	if (ses == NULL || ses->staff_id[0] == '\0' || ses->must_change_pin)
		return 0;
	/* Audits, voids and the district's acknowledgements stand. */
	if (r->kind == REC_VOID || r->kind == REC_AUTH ||
	    r->kind == REC_FILE_VIEW || r->kind == REC_ACK)
		return 0;
	if (ses->roles & ROLE_HEAD)
		return 1;
	return !(r->flags & REC_FLAG_BY_STUDENT) &&
	    strcmp(r->author, ses->staff_id) == 0;
}

int
care_log_void(struct domain *l, const struct auth_session *ses, int64_t now_ms,
    uint64_t target, int reason, uint64_t *seq)
{
	return care_log_void_note(l, ses, now_ms, target, reason, NULL, seq);
}

int
care_log_void_note(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t target, int reason, const char *note,
    uint64_t *seq)
{
	struct record t, r;
	char child[GU_ID_LEN + 1];
	size_t nr;
	const char *const *reasons = care_log_words(F_REASON, &nr);
	int rc;

	if (seq != NULL)
		*seq = 0;
	if (reason < 0 || (size_t) reason >= nr)
		return GU_EINVAL;
	rc = store_get(l->store, target, &t);
	if (rc != GU_OK)
		return rc;
	if (!care_log_may_void(ses, &t))
		return GU_EPERM;
	rc = child_of(l->store, target, child, sizeof(child));
	if (rc == GU_OK && !care_may_see(l->store, ses, child))
		rc = GU_EPERM;
	if (rc != GU_OK)
		return rc;
	staff_rec(l, &r, REC_VOID, ses, now_ms);
	rc = rec_set_int(&r, F_TARGET, (int64_t) target);
	if (rc == GU_OK)
		rc = rec_set_str(&r, F_REASON, reasons[reason]);
	if (rc == GU_OK)
		rc = set_note(&r, F_NOTE, note);
	if (rc == GU_OK)
		rc = domain_append(l, &r, seq);
	return rc;
}

int
care_log_may_void_seq(
    struct domain *l, const struct auth_session *ses, uint64_t seq)
{
	struct record r;

	return store_get(l->store, seq, &r) == GU_OK &&
	    care_log_may_void(ses, &r);
}

int
care_log_append(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, struct record *r, uint64_t *seq)
{
	char why[256];
	const char *child;

	if (seq != NULL)
		*seq = 0;
	if (r->kind == REC_VOID || r->kind == REC_FOLLOWUP ||
	    r->kind == REC_ATTENDANCE || r->kind == REC_FILE_VIEW ||
	    r->kind == REC_AUTH || r->kind == REC_CONCERN ||
	    r->kind == REC_STUDENT_LOG || r->kind == REC_TALK_REQUEST ||
	    !rec_kind_has(r->kind, F_CHILD))
		return GU_EINVAL;
	child = rec_child(r);
	if (child == NULL || !care_may_see(l->store, ses, child))
		return child == NULL ? GU_EINVAL : GU_EPERM;
	r->time_ms = now_ms;
	r->tz_min = (int16_t) l->tz_min;
	r->flags = 0;
	snprintf(r->author, sizeof(r->author), "%s", ses->staff_id);
	if (rec_validate(r, 0, why, sizeof(why)) != GU_OK) {
		fprintf(stderr, "guanai-kiosk: %s not saved: %s\n",
		    rec_kind_name(r->kind), why);
		return GU_EINVAL;
	}
	return domain_append(l, r, seq);
}

int
care_log_worklog(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, int days_ago, uint32_t work, const char *note,
    uint64_t *seq)
{
	struct record r;
	char date[16];
	int rc;

	if (seq != NULL)
		*seq = 0;
	if (ses == NULL || ses->staff_id[0] == '\0' || ses->must_change_pin)
		return GU_EPERM;
	if (note == NULL || note[0] == '\0')
		return GU_EINVAL;
	staff_rec(l, &r, REC_WORKLOG, ses, now_ms);
	care_log_date(now_ms, l->tz_min, days_ago, date, sizeof(date));
	rc = rec_set_str(&r, F_DATE, date);
	if (rc == GU_OK)
		rc = set_bits(&r, F_WORK, work);
	if (rc == GU_OK)
		rc = set_note(&r, F_NOTE, note);
	if (rc == GU_OK && rec_validate(&r, 0, NULL, 0) != GU_OK)
		rc = GU_EINVAL;
	if (rc == GU_OK)
		rc = domain_append(l, &r, seq);
	return rc;
}

struct worklogs_arg {
	const char *staff;
	struct care_worklog *out;
	size_t max, n, next; /* a ring of the newest max */
};

static int
worklogs_cb(void *arg, const struct record *r, uint64_t voided_by)
{
	struct worklogs_arg *a = arg;
	struct care_worklog *w;
	const char *const *words;
	const char *v;

	if (r->kind != REC_WORKLOG || voided_by != 0 ||
	    strcmp(r->author, a->staff) != 0)
		return 0;
	w = &a->out[a->next];
	a->next = (a->next + 1) % a->max;
	if (a->n < a->max)
		a->n++;
	memset(w, 0, sizeof(*w));
	w->seq = r->seq;
	snprintf(w->date, sizeof(w->date), "%s", rec_str(r, F_DATE));
	v = rec_str(r, F_NOTE);
	if (v != NULL)
		memcpy(w->note, v, strlen(v) + 1);
	words = care_log_words(F_WORK, NULL);
	for (int i = 0; words != NULL && words[i] != NULL; i++)
		if (rec_set_contains(r, F_WORK, words[i]))
			w->work |= 1u << i;
	return 0;
}

int
care_log_worklogs(struct domain *l, const struct auth_session *ses,
    struct care_worklog *out, size_t max, size_t *n)
{
	struct worklogs_arg a = {NULL, out, max, 0, 0};
	struct care_worklog tmp;
	int rc;

	*n = 0;
	if (ses == NULL || ses->staff_id[0] == '\0' || max == 0)
		return ses == NULL || ses->staff_id[0] == '\0' ? GU_EPERM
		                                               : GU_OK;
	a.staff = ses->staff_id;
	rc = store_log_walk(l->store, 1, worklogs_cb, &a);
	if (rc != GU_OK)
		return rc;
	/* The ring, oldest at a.next once full, turned newest first. */
	if (a.n == max && a.next != 0) {
		for (size_t i = 0; i < a.next; i++) {
			tmp = out[0];
			memmove(out, out + 1, (max - 1) * sizeof(*out));
			out[max - 1] = tmp;
		}
	}
	for (size_t i = 0; i < a.n / 2; i++) {
		tmp = out[i];
		out[i] = out[a.n - 1 - i];
		out[a.n - 1 - i] = tmp;
	}
	*n = a.n;
	return GU_OK;
}

int
care_log_ime_method(struct domain *l, const char *staff_id)
{
	uint64_t v = 0;

	if (store_staff_pref_get(l->store, staff_id, "ime_method", &v) != GU_OK)
		return -1;
	return v == 0 ? -1 : (int) v - 1;
}

void
care_log_set_ime_method(struct domain *l, const char *staff_id, int method)
{
	if (store_staff_pref_put(l->store, staff_id, "ime_method",
	        (uint64_t) method + 1) != GU_OK)
		fprintf(stderr, "guanai-kiosk: input method not remembered\n");
}
