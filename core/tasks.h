/*
 * tasks.h: what is due, for a mentor and for the headteacher: a pure
 * function of the records (through the store's indexes and each child's
 * summary) and the school calendar, so nothing new is stored, nothing can
 * be lost in a power cut, and the district computes the same from the
 * same log.  docs/tasks.md says each rule.
 *
 * The rules are a table in tasks.c, one row per task kind: its word, who
 * sees it, and the function that finds it (per child of the mentor, or
 * over the school).  Each task has a due moment: it is late (逾期, red)
 * from then, and is shown under 今天 / 本周 / 以后 by its due day.
 *
 * Cost: one summary read per child (store_mentor_children), the open
 * concerns, the lectures of the current term and one attendance read per
 * child and lecture; never a walk of the log.  Two reads of a child's file
 * are bounded, newest first: back to the last check-in or visit (at most
 * TASKS_ASK_DAYS) for the child's asks, and back to an open concern for
 * its latest follow-up, each at most TASKS_FILE_READ records: neither
 * grows with the size of the log.
 */
#ifndef GU_TASKS_H
#define GU_TASKS_H

#include <stddef.h>
#include <stdint.h>

#include "care_rules.h"
#include "store.h"

enum task_kind {
	TASK_NONE = 0,
	TASK_CONTACT,   /* a check-in is due (the contact cadence) */
	TASK_PHONE,     /* the same in a holiday: 亲情电话 */
	TASK_VISIT,     /* the next home visit (the last visit's next_visit) */
	TASK_FOLLOWUP,  /* an open concern wants a follow-up */
	TASK_ESCALATED, /* headteacher: an urgent concern past 24 hours */
	TASK_MAKEUP,    /* absent from a lecture, no attendance since */
	TASK_REVIEW,    /* a plan's review date */
	TASK_LECTURE,   /* headteacher: the pre-holiday safety lecture */
	TASK_TALK,      /* a child asked to talk (我想找老师说说话) */
	TASK_SAD,       /* a child's own log said 很难过 (feeling 1) */
	TASK_KIND_MAX
};

enum task_when {
	TASK_OVERDUE = 0, /* late: now_ms >= due_ms */
	TASK_TODAY = 1,   /* due today */
	TASK_WEEK = 2,    /* due later this week (to Sunday) */
	TASK_LATER = 3
};

#define TASKS_FOLLOWUP_DAYS 7      /* a concern's follow-up */
#define TASKS_URGENT_HOURS 24      /* an urgent concern's, then escalated */
#define TASKS_MAKEUP_DAYS 14       /* an absentee's make-up */
#define TASKS_LECTURE_DAYS 14      /* the pre-holiday lecture shows then */
#define TASKS_LECTURE_HELD_DAYS 30 /* a lecture this close counts */
#define TASKS_LECTURES_MAX 128     /* lectures of one term looked at */
#define TASKS_ASK_DAYS 14          /* asks looked back for */
#define TASKS_FILE_READ 32         /* records of a child's file read, at most */

struct task {
	uint8_t kind;              /* enum task_kind */
	uint8_t when;              /* enum task_when */
	uint8_t holiday;           /* TASK_LECTURE: the holiday (calendar.h) */
	int64_t due_ms;            /* late from this moment */
	uint32_t due_day;          /* YYYYMMDD shown: the last day in time */
	char child[GU_ID_LEN + 1]; /* "" for a task of the school */
	char name[64];             /* the child's name */
	uint64_t ref;     /* the concern, the lecture, the plan or the ask; 0 */
	uint32_t missing; /* TASK_LECTURE: classes still without it */
};

/*
 * One step of a newest-first read of a child's file for his quiet asks:
 * 1 to stop (r is older than since_ms, or a standing check-in or visit,
 * which answers what came after it), else 0, with *kind TASK_TALK (a
 * standing talk request), TASK_SAD (a standing log of his own with
 * feeling 1, 很难过) or TASK_NONE.  The kiosk's notices read the same.
 */
int task_ask_step(
    const struct record *r, uint64_t voided, int64_t since_ms, int *kind);

/* The kind's word ("contact", ...), for the strings and the dump. */
const char *task_word(int kind);

/*
 * The tasks of mentor_id's children in care at now_ms under rules
 * (whose cal should be set: without one nothing switches in holidays),
 * sorted: late first, then by due moment, then child id.  At most max
 * written; *n gets how many there are in all.
 */
int tasks_for_mentor(struct store *s, const struct care_rules *rules,
    const char *mentor_id, int64_t now_ms, struct task *out, size_t max,
    size_t *n);

/*
 * The headteacher's tasks: the pre-holiday safety lecture (from
 * TASKS_LECTURE_DAYS before each holiday until a lecture within
 * TASKS_LECTURE_HELD_DAYS of it names every active class) and every
 * urgent concern not closed within TASKS_URGENT_HOURS (escalated).
 * Sorted and counted as tasks_for_mentor().
 */
int tasks_for_head(struct store *s, const struct care_rules *rules,
    int64_t now_ms, struct task *out, size_t max, size_t *n);

#endif
