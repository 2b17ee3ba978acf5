/*
 * record.c: the record schema tables, validation, the encoding described
 * in record.h (format 2, and format 1 read for the migration) and the
 * CRC-32C that format 2 and the store's entities end with.
 *
 * The schema is data: rec_fields[] says what each field tag holds and
 * rec_schema[] which fields each kind has.  Validation, encoding, decoding
 * and the JSON form (json.c) all walk these tables, so a new field is one
 * line in each.
 */
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "status.h"

static const char *const w_topic[] = {"drowning", "traffic", "fire", "food",
    "online", "drugs_aids", "adolescence", "emergency", "law", "other", 0};
static const char *const w_method[] = {"self", "teacher", 0};
static const char *const w_type[] = {
    "talk", "study", "psych", "life", "phone", 0};
static const char *const w_concern[] = {"low_mood", "study", "relations",
    "family_change", "safety_hazard", "dropout_risk", "harm", "other", 0};
static const char *const w_note[] = {"progress", "stable", "needs_followup",
    "contacted_parents", "buddy_helping", "needs_aid", "other", 0};
static const char *const w_met[] = {"father", "mother", "grandparent",
    "relative", "sibling", "other", "nobody", 0};
static const char *const w_hazard[] = {
    "water", "building", "electricity", "fire", "other", 0};
static const char *const w_action[] = {"contact_parents", "buddy_pairing",
    "education_aid", "psych_referral", "report_civil_affairs", "other", 0};
static const char *const w_topics[] = {
    "study", "mood", "family", "friends", "safety", "other", 0};
static const char *const w_done[] = {"reported_police",
    "reported_civil_affairs", "reported_education", "contacted_family",
    "referred_psych", "home_visit", "resolved", "other", 0};
static const char *const w_reason[] = {
    "wrong_child", "wrong_entry", "duplicate", "other", 0};
static const char *const w_event[] = {"signin", "signout", "pin_wrong",
    "pin_locked", "pin_changed", "timeout", "pin_reset", 0};
static const char *const w_work[] = {
    "visit_prep", "training", "parents", "other", 0};

static const char *const w_goal[] = {
    "study", "psych", "safety", "life", "guardianship", 0};
static const char *const w_measure[] = {"weekly_talk", "tutoring",
    "buddy_pairing", "psych_support", "home_visits", "contact_parents",
    "aid_application", "other", 0};
static const char *const w_focus_why[] = {"family_change", "low_mood", "safety",
    "study", "health", "improved", "other", 0};

/* Every ledger's KIND (sync/ledger.c), "all" and "file"; words are only
 * ever added, at the end. */
static const char *const w_export[] = {"left_behind", "in_difficulty", "pairs",
    "care", "visits", "lectures", "concerns", "all", "file", "plans", "overdue",
    "worklog", 0};
static const char *const w_via[] = {"kiosk", "cli", 0};
static const char *const w_absence[] = {"sick", "personal", "other", 0};
static const char *const w_outcome[] = {
    "received", "police", "civil", "handled", 0};

static const struct rec_field_info rec_fields[REC_F_MAX] = {
    [F_CHILD] = {"child", T_ID, 0, 0, 0},
    [F_CLASS] = {"class", T_STR, 0, 0, 0},
    [F_LECTURE] = {"lecture", T_REF, 1, INT64_MAX, 0},
    [F_TOPIC] = {"topic", T_ENUM, 0, 0, w_topic},
    [F_LECTURER] = {"lecturer", T_STR, 0, 0, 0},
    [F_CLASSES] = {"classes", T_LIST, 0, 0, 0},
    [F_METHOD] = {"method", T_ENUM, 0, 0, w_method},
    [F_MENTOR] = {"mentor", T_ID, 0, 0, 0},
    [F_TYPE] = {"type", T_ENUM, 0, 0, w_type},
    [F_MOOD] = {"mood", T_INT, 1, 5, 0},
    [F_CONCERNS] = {"concerns", T_SET, 0, 0, w_concern},
    [F_NOTES] = {"notes", T_SET, 0, 0, w_note},
    [F_DATE] = {"date", T_DATE, 0, 0, 0},
    [F_MET] = {"met", T_ENUM, 0, 0, w_met},
    [F_GUARDIANSHIP] = {"guardianship_ok", T_BOOL, 0, 1, 0},
    [F_HAZARDS] = {"hazards", T_SET, 0, 0, w_hazard},
    [F_STUDY] = {"study", T_INT, 1, 3, 0},
    [F_HEALTH] = {"health", T_INT, 1, 3, 0},
    [F_PROBLEMS] = {"problems", T_SET, 0, 0, w_concern},
    [F_ACTIONS] = {"actions", T_SET, 0, 0, w_action},
    [F_NEXT_VISIT] = {"next_visit", T_DATE, 0, 0, 0},
    [F_TOPICS] = {"topics", T_SET, 0, 0, w_topics},
    [F_FEELING] = {"feeling", T_INT, 1, 5, 0},
    [F_URGENT] = {"urgent", T_BOOL, 0, 1, 0},
    [F_CONCERN] = {"concern", T_REF, 1, INT64_MAX, 0},
    [F_DONE] = {"done", T_SET, 0, 0, w_done},
    [F_CLOSES] = {"closes", T_BOOL, 0, 1, 0},
    [F_TARGET] = {"target", T_REF, 1, INT64_MAX, 0},
    [F_REASON] = {"reason", T_ENUM, 0, 0, w_reason},
    [F_EVENT] = {"event", T_ENUM, 0, 0, w_event},
    [F_STAFF] = {"staff", T_ID, 0, 0, 0},
    [F_PRESENT] = {"present", T_INT, 0, 100000, 0},
    [F_ABSENT] = {"absent", T_INT, 0, 100000, 0},
    [F_SOURCE] = {"source", T_REF, 1, INT64_MAX, 0},
    [F_NOTE] = {"note", T_STR, 0, REC_NOTE_CHARS, 0},
    [F_MEASURES_NOTE] = {"measures_note", T_STR, 0, REC_NOTE_CHARS, 0},
    [F_GUARDIAN_NOTE] = {"guardian_note", T_STR, 0, REC_NOTE_CHARS, 0},
    [F_TOPIC_NOTE] = {"topic_note", T_STR, 0, REC_NOTE_CHARS, 0},
    [F_WORK] = {"work", T_SET, 0, 0, w_work},
    [F_GOALS] = {"goals", T_SET, 0, 0, w_goal},
    [F_MEASURES] = {"measures", T_SET, 0, 0, w_measure},
    [F_RESPONSIBLE] = {"responsible", T_ID, 0, 0, 0},
    [F_REVIEW] = {"review", T_DATE, 0, 0, 0},
    [F_PLAN_NOTE] = {"plan_note", T_STR, 0, REC_NOTE_CHARS, 0},
    [F_FOCUS] = {"focus", T_BOOL, 0, 1, 0},
    [F_FOCUS_WHY] = {"focus_why", T_ENUM, 0, 0, w_focus_why},
    [F_EXPORT] = {"export", T_ENUM, 0, 0, w_export},
    [F_FROM] = {"from", T_DATE, 0, 0, 0},
    [F_TO] = {"to", T_DATE, 0, 0, 0},
    [F_VIA] = {"via", T_ENUM, 0, 0, w_via},
    [F_ABSENCE] = {"absence", T_ENUM, 0, 0, w_absence},
    [F_MAKEUP] = {"makeup", T_BOOL, 0, 1, 0},
    [F_LATE] = {"late", T_BOOL, 0, 1, 0},
    [F_ACK_OF] = {"ack_of", T_STR, 0, 100, 0},
    [F_ACK_BY] = {"ack_by", T_STR, 0, 40, 0},
    [F_ACK_AT] = {"ack_at", T_DATE, 0, 0, 0},
    [F_OUTCOME] = {"outcome", T_ENUM, 0, 0, w_outcome},
    [F_ACK_NOTE] = {"ack_note", T_STR, 0, REC_NOTE_CHARS, 0},
};

/* Per kind: 2 required, 1 optional, 0 not allowed. */
#define R 2
#define O 1
static const uint8_t rec_schema[REC_KIND_MAX][REC_F_MAX] = {
    [REC_LECTURE] = {[F_TOPIC] = R,
        [F_LECTURER] = R,
        [F_CLASSES] = R,
        [F_DATE] = R,
        [F_TOPIC_NOTE] = O,
        [F_LATE] = O},
    [REC_ATTENDANCE] = {[F_LECTURE] = R,
        [F_CHILD] = R,
        [F_CLASS] = R,
        [F_METHOD] = R,
        [F_MAKEUP] = O},
    [REC_LECTURE_END] = {[F_LECTURE] = R, [F_PRESENT] = R, [F_ABSENT] = R},
    [REC_CHECKIN] = {[F_CHILD] = R,
        [F_TYPE] = R,
        [F_MOOD] = R,
        [F_CONCERNS] = O,
        [F_NOTES] = O,
        [F_DATE] = O,
        [F_NOTE] = O},
    [REC_VISIT] = {[F_CHILD] = R,
        [F_DATE] = R,
        [F_MET] = R,
        [F_GUARDIANSHIP] = R,
        [F_HAZARDS] = O,
        [F_STUDY] = R,
        [F_HEALTH] = R,
        [F_MOOD] = R,
        [F_PROBLEMS] = O,
        [F_ACTIONS] = O,
        [F_NEXT_VISIT] = O,
        [F_NOTES] = O,
        [F_NOTE] = O,
        [F_MEASURES_NOTE] = O,
        [F_GUARDIAN_NOTE] = O},
    [REC_STUDENT_LOG] =
        {[F_CHILD] = R, [F_MENTOR] = R, [F_TOPICS] = R, [F_FEELING] = R},
    [REC_CONCERN] = {[F_CHILD] = R,
        [F_CONCERNS] = R,
        [F_URGENT] = R,
        [F_NOTES] = O,
        [F_SOURCE] = O,
        [F_NOTE] = O},
    [REC_FOLLOWUP] = {[F_CONCERN] = R,
        [F_DONE] = R,
        [F_CLOSES] = R,
        [F_NOTES] = O,
        [F_NOTE] = O},
    [REC_FILE_VIEW] = {[F_CHILD] = R},
    [REC_VOID] = {[F_TARGET] = R, [F_REASON] = R, [F_NOTE] = O},
    [REC_AUTH] = {[F_STAFF] = R, [F_EVENT] = R},
    [REC_WORKLOG] = {[F_DATE] = R, [F_NOTE] = R, [F_WORK] = O},
    [REC_PLAN] = {[F_CHILD] = R,
        [F_GOALS] = R,
        [F_MEASURES] = R,
        [F_RESPONSIBLE] = R,
        [F_REVIEW] = R,
        [F_PLAN_NOTE] = O},
    [REC_FOCUS] = {[F_CHILD] = R, [F_FOCUS] = R, [F_FOCUS_WHY] = R},
    /* A ledger: the period; a child's file: the child (one record per
     * child), and the mentor when all of his children were asked for. */
    [REC_EXPORT] = {[F_EXPORT] = R,
        [F_VIA] = R,
        [F_FROM] = O,
        [F_TO] = O,
        [F_CHILD] = O,
        [F_MENTOR] = O},
    [REC_ABSENCE] =
        {[F_LECTURE] = R, [F_CHILD] = R, [F_CLASS] = R, [F_ABSENCE] = R},
    [REC_TALK_REQUEST] = {[F_CHILD] = R, [F_MENTOR] = R},
    [REC_ACK] = {[F_CONCERN] = R,
        [F_ACK_OF] = R,
        [F_ACK_BY] = R,
        [F_ACK_AT] = R,
        [F_OUTCOME] = R,
        [F_ACK_NOTE] = O},
};
#undef R
#undef O

static const char *const rec_kind_names[REC_KIND_MAX] = {
    [REC_LECTURE] = "lecture",
    [REC_ATTENDANCE] = "attendance",
    [REC_LECTURE_END] = "lecture_end",
    [REC_CHECKIN] = "checkin",
    [REC_VISIT] = "visit",
    [REC_STUDENT_LOG] = "student_log",
    [REC_CONCERN] = "concern",
    [REC_FOLLOWUP] = "followup",
    [REC_FILE_VIEW] = "file_view",
    [REC_VOID] = "void",
    [REC_AUTH] = "auth",
    [REC_WORKLOG] = "worklog",
    [REC_PLAN] = "plan",
    [REC_FOCUS] = "focus",
    [REC_EXPORT] = "export",
    [REC_ABSENCE] = "absence",
    [REC_TALK_REQUEST] = "talk_request",
    [REC_ACK] = "ack",
};

static int
is_str_type(enum rec_type t)
{
	return t == T_STR || t == T_ID || t == T_DATE || t == T_ENUM ||
	    t == T_SET || t == T_LIST;
}

void
rec_init(struct record *r, enum rec_kind kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = (uint8_t) kind;
}

static int
field_ok(int f)
{
	return f > F_NONE && f < REC_F_MAX && rec_fields[f].name != 0;
}

/* Stores len bytes of s as field f's value; the caller checked f. */
static int
put_text(struct record *r, enum rec_field f, const char *s, size_t len)
{
	if (len > REC_VALUE_MAX || r->text_len + len + 1 > REC_TEXT_MAX)
		return GU_ETOOBIG;
	memcpy(r->text + r->text_len, s, len);
	r->text[r->text_len + len] = '\0';
	r->v[f].present = 1;
	r->v[f].off = r->text_len;
	r->v[f].len = (uint16_t) len;
	r->text_len = (uint16_t) (r->text_len + len + 1);
	return GU_OK;
}

int
rec_set_str(struct record *r, enum rec_field f, const char *s)
{
	if (!field_ok(f) || !is_str_type(rec_fields[f].type) ||
	    r->v[f].present || s == 0)
		return GU_EINVAL;
	return put_text(r, f, s, strlen(s));
}

int
rec_set_int(struct record *r, enum rec_field f, int64_t n)
{
	enum rec_type t;

	if (!field_ok(f))
		return GU_EINVAL;
	t = rec_fields[f].type;
	if (t != T_INT && t != T_BOOL && t != T_REF)
		return GU_EINVAL;
	r->v[f].present = 1;
	r->v[f].num = n;
	return GU_OK;
}

/* Index of word in words, or -1. */
static int
word_index(const char *const *words, const char *w, size_t len)
{
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == len && memcmp(words[i], w, len) == 0)
			return i;
	return -1;
}

int
rec_set_add(struct record *r, enum rec_field f, const char *word)
{
	const struct rec_field_info *fi;
	char buf[REC_VALUE_MAX + 1];
	size_t n = 0;
	int want, rc;

	if (!field_ok(f) || rec_fields[f].type != T_SET)
		return GU_EINVAL;
	fi = &rec_fields[f];
	want = word_index(fi->words, word, strlen(word));
	if (want < 0)
		return GU_EINVAL;
	if (rec_set_contains(r, f, word))
		return GU_OK;
	/* Rebuild the value in table order, then append it as new text. */
	for (int i = 0; fi->words[i]; i++) {
		if (i != want && !rec_set_contains(r, f, fi->words[i]))
			continue;
		size_t wl = strlen(fi->words[i]);
		if (n + wl + 1 > REC_VALUE_MAX)
			return GU_ETOOBIG;
		if (n)
			buf[n++] = ',';
		memcpy(buf + n, fi->words[i], wl);
		n += wl;
	}
	struct rec_val old = r->v[f];
	r->v[f].present = 0;
	rc = put_text(r, f, buf, n);
	if (rc != GU_OK)
		r->v[f] = old;
	return rc;
}

int
rec_has(const struct record *r, enum rec_field f)
{
	return field_ok(f) && r->v[f].present;
}

const char *
rec_str(const struct record *r, enum rec_field f)
{
	if (!field_ok(f) || !r->v[f].present ||
	    !is_str_type(rec_fields[f].type))
		return 0;
	return r->text + r->v[f].off;
}

int64_t
rec_int(const struct record *r, enum rec_field f, int64_t dflt)
{
	if (!field_ok(f) || !r->v[f].present || is_str_type(rec_fields[f].type))
		return dflt;
	return r->v[f].num;
}

int
rec_set_contains(const struct record *r, enum rec_field f, const char *word)
{
	const char *v = rec_str(r, f);
	size_t wl = strlen(word);

	if (v == 0)
		return 0;
	while (*v) {
		const char *e = strchr(v, ',');
		size_t l = e ? (size_t) (e - v) : strlen(v);
		if (l == wl && memcmp(v, word, wl) == 0)
			return 1;
		if (!e)
			break;
		v = e + 1;
	}
	return 0;
}

/*
 * The id characters A-Z a-z 0-9 . _ - as a table, built once (there are
 * no threads): every record decode checks two or three ids and every
 * child decode one, and a table lookup is a third of the comparisons.
 */
static unsigned char id_char[256];

static void
id_char_init(void)
{
	const char *ok = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                 "0123456789._-";

	for (; *ok; ok++)
		id_char[(unsigned char) *ok] = 1;
}

int
rec_id_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t n = 0;

	if (s == 0)
		return 0;
	if (!id_char['A'])
		id_char_init();
	while (id_char[p[n]])
		n++;
	return p[n] == '\0' && n >= 1 && n <= GU_ID_LEN;
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int
rec_date_ok(const char *s)
{
	static const int mdays[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, leap, max;

	if (s == 0 || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
		return 0;
	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	max = mdays[m - 1] + (m == 2 && leap);
	return d <= max;
}

/*
 * Well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF) with no
 * control characters.
 */
static int
utf8_text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i], cp, n;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + n >= len)
			return 0;
		for (unsigned k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return 0;
		i += n + 1;
	}
	return 1;
}

size_t
rec_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char) *s & 0xc0) != 0x80;
	return n;
}

/* Checks a SET value: known words, no repeats, table order. */
static int
set_ok(const char *const *words, const char *v)
{
	int last = -1;

	if (*v == '\0')
		return 1;
	for (;;) {
		const char *e = strchr(v, ',');
		size_t l = e ? (size_t) (e - v) : strlen(v);
		int i = word_index(words, v, l);
		if (i <= last)
			return 0;
		last = i;
		if (!e)
			return 1;
		v = e + 1;
	}
}

/* Checks a LIST value: one or more non-empty items split by ';'. */
static int
list_ok(const char *v, size_t len)
{
	if (len == 0 || v[0] == ';' || v[len - 1] == ';' || strstr(v, ";;"))
		return 0;
	return utf8_text_ok(v, len);
}

static int
why_set(
    char *why, size_t why_len, const char *fmt, const char *a, const char *b)
{
	if (why_len)
		snprintf(why, why_len, fmt, a, b);
	return GU_EINVAL;
}

/* 1 well-formed, 0 malformed, -1 a string longer than its limit. */
static int
value_ok(const struct record *r, int f)
{
	const struct rec_field_info *fi = &rec_fields[f];
	const struct rec_val *v = &r->v[f];
	const char *s = r->text + v->off;

	if (is_str_type(fi->type)) {
		if ((size_t) v->off + v->len >= REC_TEXT_MAX ||
		    s[v->len] != '\0' || strlen(s) != v->len)
			return 0;
	}
	switch (fi->type) {
	case T_STR:
		if (v->len < 1 || !utf8_text_ok(s, v->len))
			return 0;
		return fi->max <= 0 || rec_utf8_chars(s) <= (size_t) fi->max
		    ? 1
		    : -1;
	case T_ID:
		return rec_id_ok(s);
	case T_DATE:
		return rec_date_ok(s);
	case T_ENUM:
		return word_index(fi->words, s, v->len) >= 0;
	case T_SET:
		return set_ok(fi->words, s);
	case T_LIST:
		return list_ok(s, v->len);
	case T_INT:
	case T_REF:
		return v->num >= fi->min && v->num <= fi->max;
	case T_BOOL:
		return v->num == 0 || v->num == 1;
	}
	return 0;
}

int
rec_validate(
    const struct record *r, int check_identity, char *why, size_t why_len)
{
	const char *kn;

	if (why_len)
		why[0] = '\0';
	if (r->kind <= REC_NONE || r->kind >= REC_KIND_MAX ||
	    rec_kind_names[r->kind] == 0)
		return why_set(why, why_len, "unknown record kind%s%s", "", "");
	kn = rec_kind_names[r->kind];
	if (kn == 0) /* a number not (yet) given to a kind */
		return why_set(why, why_len, "unknown record kind%s%s", "", "");
	if (r->flags & ~REC_FLAG_MASK)
		return why_set(why, why_len, "%s: unknown flags%s", kn, "");
	if ((r->flags & REC_FLAG_URGENT) && r->kind != REC_CONCERN)
		return why_set(
		    why, why_len, "%s: only a concern can be urgent%s", kn, "");
	if (r->kind == REC_CONCERN &&
	    !!(r->flags & REC_FLAG_URGENT) != !!rec_int(r, F_URGENT, 0))
		return why_set(why, why_len,
		    "%s: urgent flag and field %s disagree", kn, "urgent");
	if (!rec_id_ok(r->author))
		return why_set(why, why_len, "%s: author '%s' is not an id", kn,
		    r->author);
	if (check_identity) {
		if (r->seq == 0 || r->epoch == 0)
			return why_set(
			    why, why_len, "%s: no seq or epoch%s", kn, "");
		if (!rec_id_ok(r->device))
			return why_set(why, why_len,
			    "%s: device '%s' is not an id", kn, r->device);
	}
	for (int f = 1; f < REC_F_MAX; f++) {
		int want = rec_schema[r->kind][f], ok;
		if (!r->v[f].present) {
			if (want == 2)
				return why_set(why, why_len,
				    "%s: field %s is required", kn,
				    rec_fields[f].name);
			continue;
		}
		if (want == 0)
			return why_set(why, why_len,
			    "%s: field %s does not belong to this kind", kn,
			    field_ok(f) ? rec_fields[f].name : "?");
		ok = value_ok(r, f);
		if (ok < 0) {
			if (why_len)
				snprintf(why, why_len,
				    "%s: field %s is longer than %lld "
				    "characters",
				    kn, rec_fields[f].name,
				    (long long) rec_fields[f].max);
			return GU_EINVAL;
		}
		if (ok == 0)
			return why_set(why, why_len,
			    "%s: field %s is malformed", kn,
			    rec_fields[f].name);
	}
	return GU_OK;
}

static void
be_put(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (uint8_t) v;
		v >>= 8;
	}
}

static uint64_t
be_get(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), initial value and
 * final xor 0xFFFFFFFF: crc32c("123456789") = 0xE3069283.  Eight tables
 * (slicing by 8) built once, so a 140-byte record costs about 20 steps;
 * on x86-64 with SSE4.2 the crc32 instruction does it in 18.
 */
static uint32_t crc_tab[8][256];
static int crc_ready;

static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
		crc_tab[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^
			    crc_tab[0][crc_tab[t - 1][i] & 0xff];
	crc_ready = 1;
}

static uint32_t
crc_soft(uint32_t c, const uint8_t *p, size_t len)
{
	if (!crc_ready)
		crc_init();
	while (len >= 8) {
		uint32_t lo = c ^
		    ((uint32_t) p[0] | (uint32_t) p[1] << 8 |
		        (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24);
		c = crc_tab[7][lo & 0xff] ^ crc_tab[6][(lo >> 8) & 0xff] ^
		    crc_tab[5][(lo >> 16) & 0xff] ^ crc_tab[4][lo >> 24] ^
		    crc_tab[3][p[4]] ^ crc_tab[2][p[5]] ^ crc_tab[1][p[6]] ^
		    crc_tab[0][p[7]];
		p += 8;
		len -= 8;
	}
	while (len--)
		c = (c >> 8) ^ crc_tab[0][(c ^ *p++) & 0xff];
	return c;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* The SSE4.2 crc32 instruction computes the same CRC-32C, 8 bytes a step. */
__attribute__((target("sse4.2"))) static uint32_t
crc_hw(uint32_t c, const uint8_t *p, size_t len)
{
	uint64_t c64 = c;

	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		c64 = __builtin_ia32_crc32di(c64, w);
		p += 8;
		len -= 8;
	}
	c = (uint32_t) c64;
	while (len--)
		c = __builtin_ia32_crc32qi(c, *p++);
	return c;
}

static int
crc_has_hw(void)
{
	static int has = -1;

	if (has < 0) {
		__builtin_cpu_init();
		has = __builtin_cpu_supports("sse4.2") != 0;
	}
	return has;
}
#endif

uint32_t
rec_crc32c(const void *data, size_t len)
{
	uint32_t c = 0xFFFFFFFFu;

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	if (crc_has_hw())
		return crc_hw(c, data, len) ^ 0xFFFFFFFFu;
#endif
	return crc_soft(c, data, len) ^ 0xFFFFFFFFu;
}

/* Both paths agree (test_record checks the software one directly). */
uint32_t
rec_crc32c_soft(const void *data, size_t len)
{
	return crc_soft(0xFFFFFFFFu, data, len) ^ 0xFFFFFFFFu;
}

int
rec_encode(const struct record *r, uint8_t *buf, size_t cap, size_t *len)
{
	size_t need, o;
	size_t dl = strlen(r->device), al = strlen(r->author);
	int nf = 0;

	need = 31 + dl + 1 + al + 1 + 4;
	for (int f = 1; f < REC_F_MAX; f++) {
		if (!r->v[f].present)
			continue;
		nf++;
		need += 3 + (is_str_type(rec_fields[f].type) ? r->v[f].len : 8);
	}
	if (need > cap)
		return GU_ETOOBIG;
	buf[0] = REC_FORMAT;
	buf[1] = r->kind;
	be_put(buf + 2, r->flags, 2);
	be_put(buf + 4, r->seq, 8);
	be_put(buf + 12, r->epoch, 8);
	be_put(buf + 20, (uint64_t) r->time_ms, 8);
	be_put(buf + 28, (uint16_t) r->tz_min, 2);
	buf[30] = (uint8_t) dl;
	memcpy(buf + 31, r->device, dl);
	o = 31 + dl;
	buf[o++] = (uint8_t) al;
	memcpy(buf + o, r->author, al);
	o += al;
	buf[o++] = (uint8_t) nf;
	for (int f = 1; f < REC_F_MAX; f++) {
		const struct rec_val *v = &r->v[f];
		if (!v->present)
			continue;
		buf[o++] = (uint8_t) f;
		if (is_str_type(rec_fields[f].type)) {
			be_put(buf + o, v->len, 2);
			memcpy(buf + o + 2, r->text + v->off, v->len);
			o += 2 + v->len;
		} else {
			be_put(buf + o, 8, 2);
			be_put(buf + o + 2, (uint64_t) v->num, 8);
			o += 10;
		}
	}
	be_put(buf + o, rec_crc32c(buf, o), 4);
	*len = o + 4;
	return GU_OK;
}

/* Copies an id of len bytes from p into out (GU_ID_LEN + 1 bytes). */
static int
get_id(char *out, const uint8_t *p, size_t len)
{
	if (len < 1 || len > GU_ID_LEN)
		return GU_ECORRUPT;
	memcpy(out, p, len);
	out[len] = '\0';
	return strlen(out) == len ? GU_OK : GU_ECORRUPT;
}

/* Decodes the body both formats share: len excludes format 2's CRC. */
static int
decode_body(struct record *r, const uint8_t *buf, size_t len)
{
	size_t o, dl, al;
	int nf, last = 0;

	if (len < 31)
		return GU_ECORRUPT;
	rec_init(r, (enum rec_kind) buf[1]);
	r->flags = (uint16_t) be_get(buf + 2, 2);
	r->seq = be_get(buf + 4, 8);
	r->epoch = be_get(buf + 12, 8);
	r->time_ms = (int64_t) be_get(buf + 20, 8);
	r->tz_min = (int16_t) (uint16_t) be_get(buf + 28, 2);
	dl = buf[30];
	o = 31;
	if (o + dl + 1 > len || get_id(r->device, buf + o, dl) != GU_OK)
		return GU_ECORRUPT;
	o += dl;
	al = buf[o++];
	if (o + al + 1 > len || get_id(r->author, buf + o, al) != GU_OK)
		return GU_ECORRUPT;
	o += al;
	nf = buf[o++];
	for (int i = 0; i < nf; i++) {
		int f;
		size_t vl;
		if (o + 3 > len)
			return GU_ECORRUPT;
		f = buf[o];
		vl = (size_t) be_get(buf + o + 1, 2);
		o += 3;
		if (f <= last || !field_ok(f) || o + vl > len)
			return GU_ECORRUPT;
		last = f;
		if (is_str_type(rec_fields[f].type)) {
			if (memchr(buf + o, '\0', vl) != 0 ||
			    put_text(r, (enum rec_field) f,
			        (const char *) buf + o, vl) != GU_OK)
				return GU_ECORRUPT;
		} else {
			if (vl != 8)
				return GU_ECORRUPT;
			r->v[f].present = 1;
			r->v[f].num = (int64_t) be_get(buf + o, 8);
		}
		o += vl;
	}
	if (o != len)
		return GU_ECORRUPT;
	if (rec_validate(r, 1, 0, 0) != GU_OK)
		return GU_ECORRUPT;
	return GU_OK;
}

int
rec_decode(struct record *r, const uint8_t *buf, size_t len)
{
	if (len < 1)
		return GU_ECORRUPT;
	if (buf[0] != REC_FORMAT)
		return GU_EVERSION;
	if (len < 31 + 4 ||
	    rec_crc32c(buf, len - 4) != (uint32_t) be_get(buf + len - 4, 4))
		return GU_ECORRUPT;
	return decode_body(r, buf, len - 4);
}

int
rec_decode_v1(struct record *r, const uint8_t *buf, size_t len)
{
	if (len < 1)
		return GU_ECORRUPT;
	if (buf[0] != 1)
		return GU_EVERSION;
	return decode_body(r, buf, len);
}

const char *
rec_kind_name(int kind)
{
	if (kind <= REC_NONE || kind >= REC_KIND_MAX ||
	    rec_kind_names[kind] == 0)
		return "?"; /* unknown, or a number kept for another kind */
	return rec_kind_names[kind];
}

const struct rec_field_info *
rec_field_info(int f)
{
	return field_ok(f) ? &rec_fields[f] : 0;
}

int
rec_kind_has(int kind, int f)
{
	if (kind <= REC_NONE || kind >= REC_KIND_MAX || !field_ok(f))
		return 0;
	return rec_schema[kind][f];
}

const char *
rec_child(const struct record *r)
{
	return rec_str(r, F_CHILD);
}
