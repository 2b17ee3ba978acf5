/*
 * store.h: the LMDB store every record lives in.
 *
 * One directory holds one LMDB environment: the school's identity, the
 * change log (every record, by seq), the indexes the screens query, the
 * roster, staff sign-in state and the sync state.  The kiosk and the sync
 * daemon each open it once and may have it open at the same time; LMDB's
 * single writer lock orders their writes.  The store is durable: a call that
 * returned GU_OK has reached the disk (no NOSYNC flags).
 *
 * Nothing of LMDB leaves this module: callers get copies (struct record,
 * struct child, ...) and visitor callbacks whose pointers are valid only
 * during the call.  Every mutating call is one write transaction: on error
 * nothing of it is written.
 *
 * Map growth: when a write hits MDB_MAP_FULL the transaction is aborted,
 * the map grown (doubled, at most to the ceiling) and the write retried.
 * Ordinary writes may grow the map only to (ceiling - reserve); urgent
 * concerns (REC_FLAG_URGENT) and the records that close or void them may
 * use the reserve.  Past that the caller gets GU_EFULL.
 *
 * The reserve is also kept on disk: a read-write open allocates
 * reserve_bytes as the file DIR/urgent-reserve.  When the file system is
 * full (ENOSPC, or a short write), an urgent write deletes that file and
 * tries once more in the room it leaves; any other write gets GU_EFULL
 * (storage full, never GU_EIO), the map is not grown, and ordinary writes
 * keep getting GU_EFULL until the reserve could be allocated again.
 */
#ifndef GU_STORE_H
#define GU_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct store;

#define STORE_NAME_LEN 128 /* school names, child and staff names, bytes */

struct store_limits {
	uint64_t map_bytes;     /* initial map size; 0: 16 MiB */
	uint64_t map_max_bytes; /* growth ceiling; 0: 4 GiB */
	uint64_t reserve_bytes; /* kept for urgent records; 0: 1 MiB */
};

/*
 * No record can truly be older than this software (2026-01-01 00:00 UTC):
 * a device whose clock says so has lost it (a flat clock battery starts
 * again at 2000 or 1970).
 */
#define STORE_TIME_FLOOR_MS 1767225600000LL
/* How far a record may be ahead of the newest clock-synced time. */
#define STORE_TIME_AHEAD_MS (24LL * 3600 * 1000)

/*
 * Creates a new store in dir (made if missing, mode 0770).  school_id and
 * device_id must be ids (rec_id_ok); school_name is UTF-8.  A random epoch
 * is drawn.  GU_EEXIST if dir already holds a data.mdb, whatever its state
 * (damaged, unreadable, of another format): it is never touched.  On error
 * nothing is left behind that store_open would accept.
 */
int store_create(const char *dir, const char *school_id,
    const char *school_name, const char *device_id,
    const struct store_limits *lim);

/*
 * The store's own format (meta "format"): 4.  Format 1 (before the
 * entities were versioned), 2 and 3 are migrated on open; the history is in
 * core/store_migrate.c, the layouts in record.h and store_entity.h.
 */
#define STORE_FORMAT 4

struct store_open_opts {
	const struct store_limits *lim; /* NULL: the defaults */
	/*
	 * Read-only: the environment is opened MDB_RDONLY, nothing is ever
	 * written (works on a read-only mount); writes return GU_EPERM.  A
	 * store of an older format is refused (it would need migrating).
	 */
	int read_only;
	unsigned format; /* migrate up to this format; 0: STORE_FORMAT.
			    Tests of the migration only. */
};

/*
 * Opens the store in dir.  Clears stale reader slots left by dead
 * processes.  A store of an older format is migrated to STORE_FORMAT in
 * one write transaction before the call returns (all of it or none).
 * Returns:
 *   GU_ENOTFOUND  dir holds no data.mdb
 *   GU_EPERM      data.mdb or its folder may not be read (or, read-write,
 *                 written) by this user
 *   GU_EVERSION   a newer format, or (read-only) an older one
 *   GU_ECORRUPT   data.mdb holds no readable format, the file is shorter
 *                 than its pages, its identity does not decode, or the
 *                 migration met a value that does not decode
 *   GU_EFULL      no room to migrate; GU_EIO otherwise.
 * A newest record that fails its checksum does not fail the open: the
 * store is marked damaged (store_info().damaged) and every append
 * returns GU_ECORRUPT.
 * why (may be NULL / why_len 0) gets a sentence naming the file and, for
 * GU_EVERSION, both format numbers.  On success *out must be given to
 * store_close().
 */
int store_open_with(struct store **out, const char *dir,
    const struct store_open_opts *o, char *why, size_t why_len);

/* store_open_with() with lim and no message. */
int store_open(
    struct store **out, const char *dir, const struct store_limits *lim);

/* store_open_with() read-only, for dump, stats, check and export. */
int store_open_ro(
    struct store **out, const char *dir, char *why, size_t why_len);

/* Closes s; store_close(NULL) is a no-op. */
void store_close(struct store *s);

struct store_info {
	char school_id[GU_ID_LEN + 1];
	char school_name[STORE_NAME_LEN];
	char device[GU_ID_LEN + 1];
	uint64_t epoch;
	uint64_t last_seq;  /* newest record, 0 if none */
	uint64_t acked_seq; /* every record <= this reached the district */
	uint64_t unacked;   /* records not yet acknowledged */
	int64_t oldest_unacked_ms; /* time of the oldest of them, 0 if none */
	uint64_t map_bytes;        /* current map size */
	uint64_t used_bytes;       /* pages in use */
	uint64_t map_max_bytes;
	uint64_t file_bytes; /* size of data.mdb on disk */
	uint64_t n_children; /* active children */
	uint64_t n_staff;    /* active staff */
	uint64_t n_classes;
	int damaged; /* a record read by this process failed its checksum */
};

int store_info(struct store *s, struct store_info *out);

/*
 * Appends one record.  The store sets r->seq (the next log position),
 * r->epoch and r->device; the caller sets kind, flags, time_ms, tz_min,
 * author and the fields.  The store also sets or clears
 * REC_FLAG_TIME_DOUBT: a record is doubtful when its time is before
 * the floor (store_set_time_floor), or, not itself clock-synced, more than
 * STORE_TIME_AHEAD_MS ahead of the newest time a clock-synced record of
 * this store carried (meta "synced_ms").  A doubtful record is kept and
 * listed like any other, but never becomes a child's last contact, last
 * visit or last log (struct child_summary), so a clock that jumped to 2037
 * cannot switch reminders off.  The record is validated against the schema and
 * against the store: the child and the author must be in the roster, a
 * REF must name an existing record of the right kind that is not voided,
 * a void's target must not be voided already.  The record, its log entry
 * and every index it touches are written in one transaction.
 *
 * Returns GU_OK (the record is on disk), GU_EINVAL with why filled (the
 * field at fault named), GU_EFULL, GU_EBUSY, GU_EIO, or GU_ECORRUPT
 * ("storage damaged"): a stored record this process read (at this append,
 * at an earlier read, at open or in store_check) failed its checksum or
 * did not decode.  From then on every append of this struct store returns
 * GU_ECORRUPT without writing, so nothing new is buried on top of the
 * damage; the kiosk shows its "storage damaged" screen.  On error nothing
 * is written and r->seq is 0.
 */
int store_append(struct store *s, struct record *r, char *why, size_t why_len);

/*
 * From now on, records this process appends carry REC_FLAG_CLOCK_SYNCED
 * when synced is nonzero (the caller asks clock_synced() from time to
 * time), besides any flag the caller set.
 */
void store_set_clock_synced(struct store *s, int synced);

/*
 * Record times before floor_ms are implausible from now on in this process
 * (default STORE_TIME_FLOOR_MS; tests inject another).
 */
void store_set_time_floor(struct store *s, int64_t floor_ms);

/*
 * Appends n records in one transaction (bulk loads: the demo, imports,
 * benchmarks).  All or nothing; on GU_EINVAL *bad is the index of the
 * record at fault.
 */
int store_append_n(struct store *s, struct record *rs, size_t n, size_t *bad,
    char *why, size_t why_len);

/* Reads record seq.  GU_ENOTFOUND if there is none. */
int store_get(struct store *s, uint64_t seq, struct record *out);

/* The seq of the void that cancelled seq, or 0 when it stands. */
uint64_t store_voided_by(struct store *s, uint64_t seq);

/*
 * Visitors: return 0 to go on, nonzero to stop (that value is then
 * returned by the walk).  r is valid only during the call.
 * voided_by is the seq of the void that cancelled r, or 0.
 */
typedef int (*store_rec_fn)(
    void *arg, const struct record *r, uint64_t voided_by);

/* The log in seq order from from_seq (1 for everything). */
int store_log_walk(
    struct store *s, uint64_t from_seq, store_rec_fn fn, void *arg);

/*
 * One child's file: every record about the child (attendance, check-ins,
 * visits, the child's logs, concerns and their follow-ups, voids of any of
 * these; not the file-view audit), newest first, starting below
 * before_seq (0: from the newest).  Uses the child index: the cost is the
 * number of records visited, not the size of the log.
 */
int store_child_file(struct store *s, const char *child_id, uint64_t before_seq,
    store_rec_fn fn, void *arg);

/* ---- The roster ---- */

#define CAT_LEFT_BEHIND 0x1
#define CAT_IN_DIFFICULTY 0x2

#define ROLE_MENTOR 0x1
#define ROLE_TEACHER 0x2
#define ROLE_HEAD 0x4

struct child {
	char id[GU_ID_LEN + 1]; /* 学籍号 */
	char name[64];
	char sex[8];         /* "M" or "F" */
	char birth[11];      /* YYYY-MM-DD */
	char grade[32];      /* as in the roster: "三年级", "3" */
	char class_name[64]; /* the class, unique in the school */
	unsigned categories; /* CAT_* */
	char guardian[64];
	char guardian_relation[32];
	char guardian_phone[32];
	char mentor_id[GU_ID_LEN + 1]; /* "" when none */
	char address[128];             /* 住址 / village */
	char parents_work[64]; /* 父母务工地: where the parents work, "" */
	int active;            /* 0: gone from the latest roster */
};

struct staff {
	char id[GU_ID_LEN + 1]; /* 工号 */
	char name[64];
	unsigned roles;      /* ROLE_* */
	char pin_hash[128];  /* crypto_pwhash_str() output */
	int must_change_pin; /* 1 until the first sign-in sets a PIN */
	int active;
};

struct roster_counts {
	uint32_t children_added, children_updated, children_inactive;
	uint32_t staff_added, staff_updated, staff_inactive;
};

/*
 * Replaces the roster in one transaction: children and staff are updated
 * by id, added if new; those in the store but not in the arrays are marked
 * inactive (never deleted).  Class and mentor indexes are rebuilt.  A staff
 * member who has already chosen a PIN keeps it (his pin_hash and
 * must_change_pin are not overwritten) unless reset_pins is nonzero.  The
 * caller has validated the arrays (roster.c); the store checks again that
 * ids are well-formed and unique and that every mentor_id names an active
 * staff member with ROLE_MENTOR, and returns GU_EINVAL with why otherwise.
 * counts may be NULL.
 */
int store_roster_replace(struct store *s, const struct child *c, size_t nc,
    const struct staff *st, size_t nst, int reset_pins,
    struct roster_counts *counts, char *why, size_t why_len);

int store_child_get(struct store *s, const char *id, struct child *out);
int store_staff_get(struct store *s, const char *id, struct staff *out);

typedef int (*store_child_fn)(void *arg, const struct child *c);
typedef int (*store_staff_fn)(void *arg, const struct staff *st);
typedef int (*store_class_fn)(
    void *arg, const char *class_name, const char *grade, uint32_t n_children);

/* Active classes in byte order of their names. */
int store_classes(struct store *s, store_class_fn fn, void *arg);
/* Active children of a class, in id order. */
int store_class_children(
    struct store *s, const char *class_name, store_child_fn fn, void *arg);
/* Active staff, in id order. */
int store_staff_list(struct store *s, store_staff_fn fn, void *arg);

/* Sets a staff member's PIN hash and clears must_change_pin. */
int store_staff_set_pin(
    struct store *s, const char *staff_id, const char *pin_hash);

/* Sets a staff member's PIN hash after a reset by the headteacher:
 * must_change_pin is set, so his next sign-in asks for a new PIN. */
int store_staff_reset_pin(
    struct store *s, const char *staff_id, const char *pin_hash);

/* Wrong-PIN state, kept apart from the roster so a re-import keeps it. */
struct staff_auth {
	uint32_t failures;       /* wrong PINs since the last good one */
	int64_t locked_until_ms; /* no attempt accepted before this */
};
int store_auth_get(
    struct store *s, const char *staff_id, struct staff_auth *out);
int store_auth_put(
    struct store *s, const char *staff_id, const struct staff_auth *a);

/*
 * A staff member's small preference NAME (an id-like word, e.g.
 * "ime_method"), kept in meta as "pref.NAME.STAFF_ID" (u64), apart from
 * the roster so a re-import keeps it.  Absent reads as 0.  GU_EINVAL for
 * a malformed staff id or name.
 */
int store_staff_pref_get(
    struct store *s, const char *staff_id, const char *name, uint64_t *out);
int store_staff_pref_put(
    struct store *s, const char *staff_id, const char *name, uint64_t v);

/* ---- Queries for the screens ---- */

struct child_summary {
	struct child child;
	int64_t last_contact_ms; /* newest standing check-in or visit, 0 */
	int64_t last_visit_ms;   /* newest standing home visit, 0 */
	int64_t last_student_log_ms;
	uint32_t open_concerns; /* concerns not closed or voided */
	uint32_t open_urgent;   /* of which urgent */
	uint32_t n_records;     /* records in the child's file */
	uint32_t
	    next_visit_day;  /* YYYYMMDD: the newest visit's next_visit, 0 */
	uint32_t review_day; /* YYYYMMDD: the newest plan's review, 0 */
	uint64_t plan_seq;   /* the newest standing plan (REC_PLAN), 0 */
	uint8_t focus;       /* marked 重点关注 (REC_FOCUS) */
};

int store_child_summary(
    struct store *s, const char *child_id, struct child_summary *out);

/*
 * The active children whose mentor is mentor_id (NULL: every active
 * child, for the headteacher), in id order, with their summaries.  At most
 * max are written to out; *n gets how many there are in all.
 */
int store_mentor_children(struct store *s, const char *mentor_id,
    struct child_summary *out, size_t max, size_t *n);

/* Lectures, newest first: seq and whether still open. */
typedef int (*store_lecture_fn)(
    void *arg, const struct record *lecture, int open);
int store_lectures(
    struct store *s, int open_only, store_lecture_fn fn, void *arg);

/*
 * A lecture's standing attendance, by class name then child id.  fn gets
 * the class, the child id and the attendance record's seq.
 */
typedef int (*store_att_fn)(
    void *arg, const char *class_name, const char *child_id, uint64_t att_seq);
int store_lecture_attendance(
    struct store *s, uint64_t lecture_seq, store_att_fn fn, void *arg);

/* The standing attendance seq of child at lecture, or 0. */
uint64_t store_attendance_of(
    struct store *s, uint64_t lecture_seq, const char *child_id);

/* Open concerns (not closed, not voided), newest first. */
int store_open_concerns(struct store *s, store_rec_fn fn, void *arg);

/*
 * Standing records per kind whose local day (time_ms + tz_min) lies in
 * [day_from, day_to], both YYYYMMDD numbers.  counts has REC_KIND_MAX
 * slots, zeroed first.
 */
int store_counts(struct store *s, uint32_t day_from, uint32_t day_to,
    uint64_t counts[REC_KIND_MAX]);

/*
 * Checks the invariants: the log is contiguous from 1 to last_seq, every
 * record decodes with its own seq, epoch and device, and every index
 * agrees with the log both ways.  GU_OK or GU_ECORRUPT with why.
 * Reads everything: for tests and `guanai-sync check`, not for screens.
 */
int store_check(struct store *s, char *why, size_t why_len);

/* The local day of a record, YYYYMMDD. */
uint32_t store_day_of(int64_t time_ms, int tz_min);

/*
 * The school calendar (docs/calendar.md), one value in meta.  _put
 * replaces it (GU_EINVAL unless calendar_ok); _get gives GU_ENOTFOUND when
 * the school has none (out is then zeroed: use calendar_default()).
 */
struct calendar;
int store_calendar_put(struct store *s, const struct calendar *c);
int store_calendar_get(struct store *s, struct calendar *out);

/* A T_DATE value "YYYY-MM-DD" as YYYYMMDD; 0 when s is NULL or malformed. */
uint32_t store_date_day(const char *s);

#endif
