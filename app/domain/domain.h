/*
 * domain.h: what the kiosk's tasks mean, between the screens and the
 * store.  Screens hand it intents (start this lecture, this child is
 * here, that was a wrong tap, close the lecture); it checks them against
 * the roster and the lecture, builds the record and appends it through
 * core/store.h.  A function that returns GU_OK has the record on disk.
 *
 * It also answers the screens' questions with copies that carry only what
 * a shared screen may show: a pupil (struct dom_pupil) is an id, a name,
 * whether present, and what tells him from a same-name classmate.  make
 * lint (tools/layering.sh) lets a screen students see call only these.
 * Categories and guardians never leave this layer towards a screen (the
 * plan: 注意保护个人隐私).
 *
 * Time is a parameter (now_ms) everywhere; nothing here reads a clock.
 * No function allocates: callers pass arrays with their maxima.
 */
#ifndef GU_DOMAIN_H
#define GU_DOMAIN_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "store.h"
#include "store_sync.h"

#define DOM_CLASSES_MAX 128
#define DOM_PUPILS_MAX 1024 /* in one class */
#define DOM_STAFF_MAX 256
#define DOM_LECTURE_CLASSES 32
#define DOM_TOPICS_MAX 16

struct domain {
	struct store *store; /* borrowed */
	int tz_min;
	/* Called after every commit (poke the sync daemon); may be NULL. */
	void (*committed)(void *arg);
	void *committed_arg;
};

struct dom_class {
	char name[64];
	uint32_t n;       /* children in the class */
	uint32_t present; /* at the current lecture */
};

/*
 * A child as a screen students see may show him: the student-safe view.
 * It has no field for a category, a guardian, a mentor, a concern or a
 * visit, so no student screen can show one, by word or by absence.
 * Classmates of the same name are told apart by their birthday (children
 * know it; it says nothing about their care), or by the last four
 * characters of the 学籍号 when the birthdays agree too.
 */
struct dom_pupil {
	char id[GU_ID_LEN + 1];
	char name[64];
	uint64_t att_seq;  /* standing attendance at the lecture, 0: absent */
	uint8_t same_name; /* another child of the class has the name */
	uint8_t same_birthday;          /* ... and the same birthday */
	uint8_t birth_month, birth_day; /* 0: not in the roster */
	char id_tail[5];                /* the 学籍号's last 4 characters */
};

struct dom_staff {
	char id[GU_ID_LEN + 1];
	char name[64];
	unsigned roles;
};

struct dom_lecture {
	uint64_t seq; /* 0: none */
	int open;
	int64_t time_ms;
	char topic[32]; /* the schema's word */
	char lecturer[128];
	char starter[GU_ID_LEN + 1]; /* staff id who started it */
	char classes[DOM_LECTURE_CLASSES][64];
	size_t n_classes;
};

void domain_init(struct domain *d, struct store *s, int tz_min);

/*
 * Appends r through the store: the one way every domain function (the
 * lecture's here, the care records' in care_log.h) writes.  *seq gets
 * r's seq (seq may be NULL).  On a refusal the store's reason is logged
 * and nothing is written; on success the commit hook runs.
 */
int domain_append(struct domain *d, struct record *r, uint64_t *seq);

/* The sync daemon's status as the store keeps it (store_sync.h): what
 * home and the headteacher show. */
int domain_sync_status(struct domain *d, struct sync_status *out);

/* The most recent uploads, newest first: at most max, *n of them. */
int domain_sync_recent(
    struct domain *d, struct sync_batch *out, size_t max, size_t *n);

/* The headteacher's 立即上传: asks the daemon for a pass now (stored, so
 * it is seen even if the poke is lost). */
int domain_upload_now(struct domain *d, int64_t now_ms);

/* The local day (YYYYMMDD) of t_ms in zone tz_min. */
uint32_t domain_day_of(int64_t t_ms, int tz_min);

/* The school's name and the records waiting for upload. */
int domain_status(
    struct domain *d, char *school, size_t len, uint64_t *unacked);

/* The lecture topics of the schema, in the plan's order (NULL-ended
 * words of F_TOPIC); *n gets how many. */
const char *const *domain_topics(size_t *n);

int domain_classes(
    struct domain *d, struct dom_class *out, size_t max, size_t *n);
int domain_staff(
    struct domain *d, struct dom_staff *out, size_t max, size_t *n);

/* The newest open lecture; GU_ENOTFOUND when none is open. */
int domain_open_lecture(struct domain *d, struct dom_lecture *out);

/*
 * The pupils of class in id order, with their attendance at lecture_seq
 * (0: no lecture) and what tells same-name classmates apart.  At most
 * max; GU_ETOOBIG if the class has more (the first max are still filled,
 * and told apart among themselves).
 */
int domain_pupils(struct domain *d, uint64_t lecture_seq,
    const char *class_name, struct dom_pupil *out, size_t max, size_t *n);

/*
 * For each of the lecture's classes: the class size and how many are
 * present; totals in *present and *total.  out has DOM_LECTURE_CLASSES
 * slots, in the lecture's class order.
 */
int domain_lecture_counts(struct domain *d, const struct dom_lecture *l,
    struct dom_class *out, uint32_t *present, uint32_t *total);

/*
 * Starts a lecture: starter is the staff member starting it (later: the
 * signed-in one), topic one of domain_topics(), lecturer a name, classes
 * one or more class names of the roster.  *seq gets the record.  GU_EINVAL
 * for an unknown topic or class, GU_EEXIST if a lecture is already open.
 */
int domain_lecture_start(struct domain *d, int64_t now_ms, const char *starter,
    const char *topic, const char *lecturer, const char *const *classes,
    size_t n_classes, uint64_t *seq);
/* The same with what the topic was in words (F_TOPIC_NOTE, for topic
 * "other"; NULL or "": none). */
int domain_lecture_start_note(struct domain *d, int64_t now_ms,
    const char *starter, const char *topic, const char *topic_note,
    const char *lecturer, const char *const *classes, size_t n_classes,
    uint64_t *seq);

/*
 * Records that child is present at lecture l.  by_student: the child
 * tapped his own name (the record's author is the child, method "self");
 * otherwise the lecture's starter marked it (method "teacher").  GU_EEXIST
 * with *seq set to the standing record when already present; GU_EINVAL if
 * the child is not in one of the lecture's classes; GU_ENOTFOUND if the
 * lecture is closed.
 */
int domain_checkin(struct domain *d, int64_t now_ms,
    const struct dom_lecture *l, const char *child_id, int by_student,
    uint64_t *seq);

/* Voids a check-in made by mistake (a wrong tap); by_student as above. */
int domain_checkin_void(struct domain *d, int64_t now_ms,
    const struct dom_lecture *l, uint64_t att_seq, const char *child_id,
    int by_student);

/* Closes lecture l with its counts. */
int domain_lecture_end(struct domain *d, int64_t now_ms,
    const struct dom_lecture *l, uint32_t *present, uint32_t *absent);

/* Reads the lecture record seq (open or closed). */
int domain_lecture_get(struct domain *d, uint64_t seq, struct dom_lecture *out);

/*
 * The lecture, finished (docs/lectures.md).  A lecture held away from the
 * kiosk, entered afterwards (补录): as domain_lecture_start, with its real
 * day (YYYY-MM-DD, not after today) and F_LATE set; GU_EINVAL for a bad
 * or future day.
 */
int domain_lecture_enter_late(struct domain *d, int64_t now_ms,
    const char *starter, const char *topic, const char *lecturer,
    const char *const *classes, size_t n_classes, const char *day,
    uint64_t *seq);

/*
 * 全班到齐: marks every one of pupils[n] (a class of open lecture l, as
 * domain_pupils gave them) not yet present as present, by the lecture's
 * starter: one attendance each, their att_seq set.  *marked gets how
 * many were marked.  The teacher then taps the absentees, which voids
 * their attendance (domain_checkin_void): records stay immutable.
 */
int domain_checkin_class(struct domain *d, int64_t now_ms,
    const struct dom_lecture *l, struct dom_pupil *pupils, size_t n,
    uint32_t *marked);

/*
 * Why child, absent from lecture lecture_seq (open or closed), missed it:
 * reason sick | personal | other (病假/事假/其他), by staff member by
 * (REC_ABSENCE).  A later one for the same child supersedes it.  GU_EEXIST
 * if the child is present, GU_EINVAL for a child not in the lecture's
 * classes or an unknown reason.
 */
int domain_absence(struct domain *d, int64_t now_ms, uint64_t lecture_seq,
    const char *child_id, const char *reason, const char *by);

/*
 * A make-up attendance (补签) for an absentee of the closed lecture
 * lecture_seq, recorded by staff member by: REC_ATTENDANCE with F_MAKEUP.
 * GU_EEXIST if already present, GU_EINVAL if the lecture is still open
 * (an ordinary check-in then) or the child not in its classes.
 */
int domain_makeup(struct domain *d, int64_t now_ms, uint64_t lecture_seq,
    const char *child_id, const char *by, uint64_t *seq);

/* A closed lecture, its day and whether entered afterwards, and who is
 * present now (make-ups included) of how many. */
struct dom_past {
	struct dom_lecture l;
	char date[11]; /* YYYY-MM-DD, the day it was held */
	int late;      /* 补录 */
	uint32_t present, total;
};

/* The closed lectures, newest first, at most max. */
int domain_lectures_past(
    struct domain *d, struct dom_past *out, size_t max, size_t *n);

#endif
