/*
 * domain.h: what the kiosk's tasks mean, between the screens and the
 * store.  Screens hand it intents (start this lecture, this child is
 * here, that was a wrong tap, close the lecture); it checks them against
 * the roster and the lecture, builds the record and appends it through
 * core/store.h.  A function that returns GU_OK has the record on disk.
 *
 * It also answers the screens' questions with copies that carry only what
 * a shared screen may show: a pupil is an id, a name and whether present.
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

struct dom_pupil {
	char id[GU_ID_LEN + 1];
	char name[64];
	uint64_t att_seq; /* standing attendance at the lecture, 0: absent */
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
 * (0: no lecture).  At most max; GU_ETOOBIG if the class has more (the
 * first max are still filled).
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

#endif
