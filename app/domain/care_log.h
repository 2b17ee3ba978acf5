/*
 * care_log.h: the records a mentor and a student make on the kiosk:
 * check-ins, home visits, the student's own log, concerns (urgent ones are
 * mandatory reports), follow-ups that close them, and voids.  Screens hand
 * it choices (schema words as bit sets, numbers, days); it builds the
 * records and appends them through core/store.h.  A function that returns
 * GU_OK has its records on disk; it then calls the commit hook (the kiosk
 * pokes the sync daemon) so an urgent concern leaves at once.
 *
 * Bit sets: bit i stands for word i of the field's word list in the
 * schema (rec_field_info(f)->words), so every chip a screen offers is a
 * word of the schema.
 *
 * The records are appended through the same struct domain (domain.h) as
 * the lecture's, with the same commit hook: one layer, one append().
 *
 * Time is a parameter; nothing here reads a clock or draws.
 */
#ifndef GU_CARE_LOG_H
#define GU_CARE_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "care.h"
#include "domain.h"
#include "staff_auth.h"
#include "store.h"

/* The words of field f (NULL-ended) and how many; NULL for a field
 * without words. */
const char *const *care_log_words(int f, size_t *n);

/* The index of word in field f's list, -1 if none. */
int care_log_word_index(int f, const char *word);

/*
 * Writes the words of the bits of set into out ("low_mood,harm"), in
 * table order.  "" for no bits.  GU_ETOOBIG if len is too small.
 */
int care_log_set_str(int f, uint32_t set, char *out, size_t len);

/* The local date days before now_ms ("2026-03-02"), days may be < 0 for
 * a day ahead. */
void care_log_date(int64_t now_ms, int tz_min, int days, char *out, size_t len);

struct care_checkin {
	const char *child_id;
	int type;          /* index into F_TYPE's words */
	int mood;          /* 1..5 */
	uint32_t concerns; /* F_CONCERNS bits */
	uint32_t notes;    /* F_NOTES bits */
	/* Notes (core/record.h F_NOTE), NULL or "" for none: */
	const char *note;         /* the check-in's 备注 */
	const char *concern_note; /* the concern's 看到了什么 */
};

/*
 * Records a mentor's check-in by ses.  With concerns, also a REC_CONCERN
 * about the child (F_SOURCE: the check-in), urgent (REC_FLAG_URGENT,
 * F_URGENT 1) when "harm" is among them.  *seq gets the check-in's seq,
 * *concern_seq the concern's (0: none); either may be NULL.  If the store
 * is full the urgent concern is still written (it may use the reserve)
 * without the check-in, and GU_EFULL is returned with *concern_seq set.
 * GU_EPERM if ses may not see the child.
 */
int care_log_checkin(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, const struct care_checkin *c, uint64_t *seq,
    uint64_t *concern_seq);

struct care_visit {
	const char *child_id;
	int days_ago;      /* the visit's date: today 0 */
	int met;           /* F_MET index */
	int guardianship;  /* 1 working (监护落实), 0 not */
	uint32_t hazards;  /* F_HAZARDS bits */
	int study, health; /* 1..3 */
	int mood;          /* 1..5 */
	uint32_t problems; /* F_PROBLEMS bits (concern words) */
	uint32_t actions;  /* F_ACTIONS bits */
	int next_days;     /* next visit in days, 0: not set */
	/* Notes, NULL or "" for none: 发现的问题 (also the concern's
	 * 看到了什么), 采取的措施, 家长或监护人的意见. */
	const char *note, *measures_note, *guardian_note;
};

/* Records a home visit, and a concern from its problems as for a
 * check-in.  Same returns as care_log_checkin(). */
int care_log_visit(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, const struct care_visit *v, uint64_t *seq,
    uint64_t *concern_seq);

/*
 * Records a student's own log: child_id wrote it (REC_FLAG_BY_STUDENT),
 * topics F_TOPICS bits (at least one), feeling 1..5.  Every child logs the
 * same way, with or without a mentor: the record goes to the child's
 * mentor (F_MENTOR), and when he has none to the headteacher (the first
 * active one by 工号), so no screen a student sees can tell the two apart.
 * GU_EINVAL for bad topics or feeling, GU_ENOTFOUND for an unknown child
 * or a school with neither (nothing is written then).
 */
int care_log_student(struct domain *l, int64_t now_ms, const char *child_id,
    uint32_t topics, int feeling, uint64_t *seq);

/*
 * Records a student's quiet request to talk to a teacher (我想找老师说说
 * 话): REC_TALK_REQUEST by child_id (REC_FLAG_BY_STUDENT), to his mentor
 * (F_MENTOR) or, when he has none, the headteacher, as for
 * care_log_student(); only they see it (care_notices() in care.h).
 * GU_ENOTFOUND for an unknown child or a school with neither.
 */
int care_log_talk(
    struct domain *l, int64_t now_ms, const char *child_id, uint64_t *seq);

/*
 * Appends r, a record a staff member makes about a child (any kind whose
 * schema has F_CHILD: the way a new kind's screen saves without a new
 * function here).  The domain sets what is not the screen's to choose:
 * the author (ses), the time (now_ms) and zone, no flags; then checks
 * that ses may see the child (GU_EPERM), that the kind is one a staff
 * screen may write this way (not a void, follow-up, audit, concern,
 * student record or attendance: those have their own functions,
 * GU_EINVAL) and the schema (rec_validate; GU_EINVAL with nothing
 * written).  *seq gets
 * the record's seq (seq may be NULL).
 */
int care_log_append(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, struct record *r, uint64_t *seq);

/*
 * Records a mandatory report (强制报告) by any signed-in staff member
 * (mentor, 班主任, teacher, headteacher) about any active child, his own
 * or not: an urgent REC_CONCERN ("harm", REC_FLAG_URGENT, no source),
 * which may use the urgent reserve and leaves the device first.  Unlike
 * the other records it does not need care_may_see(): the duty to report
 * is every staff member's.  Nor does it widen who may see the child's
 * file afterwards: care_may_see() is unchanged, so a reporter who is not
 * the child's mentor or the head sees only what he reported (the
 * confirmation), never the file.  GU_EPERM without a session (or one
 * that must still change its PIN), GU_ENOTFOUND for an unknown or
 * inactive child.
 */
int care_log_report(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, const char *child_id, uint64_t *seq);

/*
 * Closes open concern concern_seq with what was done (F_DONE bits, at
 * least one).  GU_EPERM unless ses may see the concern's child.
 */
int care_log_followup(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t concern_seq, uint32_t done, uint64_t *seq);

/* The same, closing the concern only when closes: a follow-up that
 * records what was done while the concern stays open (还要继续跟进). */
int care_log_followup_keep(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t concern_seq, uint32_t done, int closes,
    uint64_t *seq);

/*
 * Voids record target with reason (F_REASON index): only its author or a
 * headteacher may (GU_EPERM otherwise), only records about a child ses may
 * see.  Nothing is edited: the void is a new record.
 */
int care_log_void(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t target, int reason, uint64_t *seq);

/* The same with a note (NULL: none): what was done and how it went
 * (做了什么，结果) for a follow-up, why for a void (其他). */
int care_log_followup_note(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t concern_seq, uint32_t done, const char *note,
    uint64_t *seq);
int care_log_void_note(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t target, int reason, const char *note,
    uint64_t *seq);

/* A follow-up with both: closing the concern only when closes, and its
 * note (NULL: none). */
int care_log_followup_full(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, uint64_t concern_seq, uint32_t done, int closes,
    const char *note, uint64_t *seq);

/*
 * A work-log entry (REC_WORKLOG, 工作日志) by ses about his own work, no
 * child: days_ago the day it was (0 today), work F_WORK bits (may be 0),
 * note the entry (required, at most REC_NOTE_CHARS characters: GU_EINVAL
 * otherwise).  GU_EPERM without a staff session.
 */
int care_log_worklog(struct domain *l, const struct auth_session *ses,
    int64_t now_ms, int days_ago, uint32_t work, const char *note,
    uint64_t *seq);

/* One of a staff member's own work-log entries, as his screen lists it. */
struct care_worklog {
	uint64_t seq;
	char date[11]; /* YYYY-MM-DD */
	uint32_t work; /* F_WORK bits */
	char note[REC_VALUE_MAX + 1];
};

/*
 * ses's own standing work-log entries, newest first: at most max into
 * out, *n of them.  Reads the whole log (a work log has no index of its
 * own; a school's log is some thousands of records a year).
 */
int care_log_worklogs(struct domain *l, const struct auth_session *ses,
    struct care_worklog *out, size_t max, size_t *n);

/*
 * The input method staff_id last used (enum ime_method: 0 handwriting, 1
 * pinyin), -1 when none is remembered; and remembering it.  Kept in the
 * store as the staff preference "ime_method" (store_staff_pref_get:
 * meta "pref.ime_method.STAFF_ID", the method + 1), so it survives a
 * restart and a roster re-import.
 */
int care_log_ime_method(struct domain *l, const char *staff_id);
void care_log_set_ime_method(
    struct domain *l, const char *staff_id, int method);

/* Whether ses may void record r (its author, or the head). */
int care_log_may_void(const struct auth_session *ses, const struct record *r);

/* The same for record seq of the store (0 when it cannot be read). */
int care_log_may_void_seq(
    struct domain *l, const struct auth_session *ses, uint64_t seq);

#endif
