/*
 * record.h: the record schema: every kind of thing a school records, its
 * fields, how each is validated, and the on-disk encoding.
 *
 * Records are immutable events.  A mistake is corrected by a REC_VOID that
 * names the earlier record and a reason; nothing is ever edited in place.
 * A record's identity is (device, epoch, seq): seq is its position in this
 * device's change log, epoch a random number made when the store was
 * created (a restored or cloned store gets told apart by it).
 *
 * A struct record is a plain value (about 5 KiB, fine on the stack): a
 * header, then one slot per field tag.  String values live in r->text, so a
 * record can be copied with memcpy/assignment and holds no pointers.
 *
 * Encoding, format version 2.  All integers big-endian.
 *
 *   offset  size  field
 *   0       1     format version, REC_FORMAT (2)
 *   1       1     kind (enum rec_kind)
 *   2       2     flags (REC_FLAG_*)
 *   4       8     seq (>= 1)
 *   12      8     epoch (!= 0)
 *   20      8     time_ms: device wall clock, ms since 1970-01-01 UTC,
 *                 two's complement
 *   28      2     tz_min: the device's UTC offset in minutes, signed
 *   30      1     d: length of the device id (1..GU_ID_LEN)
 *   31      d     device id, [A-Za-z0-9._-]
 *   31+d    1     a: length of the author id (1..GU_ID_LEN)
 *   32+d    a     author id: a staff id (工号), or a child id (学籍号)
 *                 when REC_FLAG_BY_STUDENT is set
 *   32+d+a  1     n: number of fields that follow (0..REC_F_MAX)
 *   ...           n fields, tags strictly increasing:
 *                   1  tag (enum rec_field)
 *                   2  len
 *                   len value: integer fields (INT, BOOL, REF) are 8 bytes,
 *                      two's complement; the others are UTF-8 without NUL
 *   end-4   4     CRC-32C (rec_crc32c) of every byte before it
 *   end           no trailing bytes
 *
 * Format 1 (stores made before format 2) is the same without the CRC; the
 * store migrates it (core/store_migrate.c) and only the migration reads it.
 *
 * rec_decode() checks the CRC and every byte against this table and the
 * schema and rejects (GU_ECORRUPT, GU_EVERSION); it never repairs.  A
 * single flipped bit anywhere in an encoded record is always caught.
 */
#ifndef GU_RECORD_H
#define GU_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define REC_FORMAT 2
#define GU_ID_LEN 32 /* device, staff and child ids, bytes */
/*
 * Limits of a record in memory; the encoding above has none of its own
 * (2-byte lengths).  REC_TEXT_MAX was 2048 and REC_VALUE_MAX 512 before
 * the notes (issue 11): every record written then is within the new ones,
 * so raising them changed no byte on disk and needed no format step.
 */
#define REC_TEXT_MAX 4096  /* all string values of one record, bytes */
#define REC_VALUE_MAX 800  /* one string value, bytes (200 chars x 4) */
#define REC_NOTE_CHARS 200 /* a note's written limit, in characters */
#define REC_ENCODED_MAX (44 + 2 * GU_ID_LEN + 64 * 3 + REC_TEXT_MAX + 512)

enum rec_kind {
	REC_NONE = 0,
	REC_LECTURE = 1, /* a safety lecture held: topic, lecturer, classes */
	REC_ATTENDANCE = 2,  /* one child present at a lecture */
	REC_LECTURE_END = 3, /* a lecture closed, with its counts */
	REC_CHECKIN = 4,     /* a mentor's contact with a child */
	REC_VISIT = 5,       /* a home visit (走访) */
	REC_STUDENT_LOG = 6, /* the child's own log of a mentoring session */
	REC_CONCERN = 7,     /* a concern; urgent = mandatory report */
	REC_FOLLOWUP = 8,    /* what was done about a concern; may close it */
	REC_FILE_VIEW = 9,   /* audit: a staff member opened a child's file */
	REC_VOID = 10,       /* cancels an earlier record, with a reason */
	REC_AUTH = 11,       /* audit: sign-in, wrong PIN, PIN change */
	REC_WORKLOG = 12,    /* a mentor's log of his own work (工作日志) */
	REC_PLAN = 13,       /* a child's care plan (帮扶计划) */
	REC_FOCUS = 14,      /* marks or unmarks a child 重点关注 */
	REC_EXPORT = 15,     /* audit: ledgers or a child's file exported */
	REC_ACK = 16,        /* the district acknowledged an urgent concern */
	REC_TALK_REQUEST = 17, /* a student asks quietly to talk (学生求助) */
	REC_ABSENCE = 18,      /* why a child missed a lecture */
	REC_KIND_MAX
};

#define REC_FLAG_CLOCK_SYNCED 0x0001 /* the wall clock had been synced */
#define REC_FLAG_URGENT 0x0002       /* leaves the device before all else */
#define REC_FLAG_BY_STUDENT 0x0004   /* author is a child id */
/*
 * Set by the store at append, never by the caller: the record's time is
 * implausible (see store_append).  Kept, shown, uploaded, but it never
 * drives a child's last contact, last visit or last log.
 */
#define REC_FLAG_TIME_DOUBT 0x0008
#define REC_FLAG_MASK 0x000F

enum rec_field {
	F_NONE = 0,
	F_CHILD = 1,         /* ID: the child (学籍号) */
	F_CLASS = 2,         /* STR: the child's class at the time */
	F_LECTURE = 3,       /* REF: seq of the REC_LECTURE */
	F_TOPIC = 4,         /* ENUM lecture topic */
	F_LECTURER = 5,      /* STR: who gave it */
	F_CLASSES = 6,       /* LIST of class names, ';'-separated */
	F_METHOD = 7,        /* ENUM self | teacher */
	F_MENTOR = 8,        /* ID: staff id of the mentor */
	F_TYPE = 9,          /* ENUM kind of check-in */
	F_MOOD = 10,         /* INT 1..5, 1 = very sad, 5 = very happy */
	F_CONCERNS = 11,     /* SET of concerns seen */
	F_NOTES = 12,        /* SET of phrase chips */
	F_DATE = 13,         /* DATE YYYY-MM-DD: the day it happened */
	F_MET = 14,          /* ENUM relation of the person met */
	F_GUARDIANSHIP = 15, /* BOOL: guardianship working (监护落实) */
	F_HAZARDS = 16,      /* SET of home safety hazards found */
	F_STUDY = 17,        /* INT 1..3: 1 poor, 2 fair, 3 good */
	F_HEALTH = 18,       /* INT 1..3 */
	F_PROBLEMS = 19,     /* SET of problems found (concern words) */
	F_ACTIONS = 20,      /* SET of actions done or planned */
	F_NEXT_VISIT = 21,   /* DATE of the next visit */
	F_TOPICS = 22,       /* SET of what a student talked about */
	F_FEELING = 23,      /* INT 1..5: how the session felt */
	F_URGENT = 24,       /* BOOL */
	F_CONCERN = 25,      /* REF: seq of the REC_CONCERN */
	F_DONE = 26,         /* SET of follow-up actions */
	F_CLOSES = 27,       /* BOOL: the follow-up closes the concern */
	F_TARGET = 28,       /* REF: seq of the record a void cancels */
	F_REASON = 29,       /* ENUM why a record was voided */
	F_EVENT = 30,        /* ENUM auth event */
	F_STAFF = 31,        /* ID: the staff member an auth event is about */
	F_PRESENT = 32,      /* INT >= 0 */
	F_ABSENT = 33,       /* INT >= 0 */
	F_SOURCE = 34,       /* REF: the check-in or visit that raised it */
	/*
	 * Notes: free text typed or written on the kiosk (docs/ime.md),
	 * at most REC_NOTE_CHARS characters each (rec_field_info max).
	 */
	F_NOTE = 35, /* STR: check-in 备注, visit 发现的问题, concern
	                         看到了什么, follow-up 做了什么，结果, void 其他
	                         (why), work log entry */
	F_MEASURES_NOTE = 36, /* STR: visit 采取的措施 */
	F_GUARDIAN_NOTE = 37, /* STR: visit 家长或监护人的意见 */
	F_TOPIC_NOTE = 38,    /* STR: lecture topic 其他 (what topic) */
	F_WORK = 39,          /* SET: what kind of work a work log was */
	F_GOALS = 40,         /* SET of a plan's goal areas */
	F_MEASURES = 41,      /* SET of a plan's measures */
	F_RESPONSIBLE = 42,   /* ID: staff id responsible for a plan */
	F_REVIEW = 43,        /* DATE a plan is to be reviewed */
	F_PLAN_NOTE = 44,     /* STR: a plan's optional note */
	F_FOCUS = 45,         /* BOOL: 1 marks 重点关注, 0 unmarks */
	F_FOCUS_WHY = 46,     /* ENUM why a child is marked or unmarked */
	F_EXPORT = 50,        /* ENUM what was exported: a ledger, all, file */
	F_FROM = 51,          /* DATE: the first day of the period exported */
	F_TO = 52,            /* DATE: its last day */
	F_VIA = 53,           /* ENUM kiosk | cli: who ran the export */
	F_ABSENCE = 54,       /* ENUM why absent: sick | personal | other */
	F_MAKEUP = 55, /* BOOL: a make-up attendance (补签), lecture over */
	F_LATE = 56,   /* BOOL: a lecture entered afterwards (补录) */
	/*
	 * An acknowledgement from the district (REC_ACK, issue 15): written
	 * by the sync daemon from the school's ack file (docs/district.md),
	 * its F_CONCERN the local seq of the urgent concern.
	 */
	F_ACK_OF = 63,   /* STR: the concern as the district names it,
	                    DEVICE/EPOCH/SEQ */
	F_ACK_BY = 64,   /* STR: who at the district received it */
	F_ACK_AT = 65,   /* DATE: the day it was received (Beijing) */
	F_OUTCOME = 66,  /* ENUM received | police | civil | handled */
	F_ACK_NOTE = 67, /* STR: the district's note */
	REC_F_MAX
};

enum rec_type {
	T_STR = 1, /* UTF-8, 1..REC_VALUE_MAX bytes, no control chars; at
	              most max characters (code points) when max > 0 */
	T_ID,      /* 1..GU_ID_LEN of [A-Za-z0-9._-] */
	T_INT,     /* integer within the field's [min, max] */
	T_BOOL,    /* 0 or 1 */
	T_DATE,    /* YYYY-MM-DD, a real day between 2000 and 2099 */
	T_ENUM,    /* exactly one of the field's words */
	T_SET,     /* zero or more of the field's words, ',' separated, no
		       repeats, in table order */
	T_LIST,    /* one or more STR items, ';' separated */
	T_REF      /* a seq >= 1 in this device's log */
};

struct rec_val {
	uint8_t present;
	int64_t num;  /* INT, BOOL, REF */
	uint16_t off; /* string types: value at text + off, NUL-terminated */
	uint16_t len;
};

struct record {
	uint8_t kind;
	uint16_t flags;
	uint64_t seq;
	uint64_t epoch;
	int64_t time_ms;
	int16_t tz_min;
	char device[GU_ID_LEN + 1];
	char author[GU_ID_LEN + 1];
	struct rec_val v[REC_F_MAX];
	uint16_t text_len;
	char text[REC_TEXT_MAX];
};

/* Description of one field, from the static schema table. */
struct rec_field_info {
	const char *name; /* JSON key, "child", "mood", ... */
	enum rec_type type;
	int64_t min, max;         /* T_INT; T_STR: max characters, 0 none */
	const char *const *words; /* T_ENUM, T_SET: NULL-terminated */
};

/* Clears r and sets its kind.  Header fields other than kind are zero. */
void rec_init(struct record *r, enum rec_kind kind);

/*
 * Sets a string-typed field (STR, ID, DATE, ENUM, SET, LIST) to a copy of
 * s.  Returns GU_EINVAL if f is not string-typed or already set,
 * GU_ETOOBIG if s is longer than REC_VALUE_MAX or r->text is full.  On
 * error r is unchanged.  Content is checked by rec_validate(), not here.
 */
int rec_set_str(struct record *r, enum rec_field f, const char *s);

/* Sets an INT, BOOL or REF field.  GU_EINVAL if f has another type. */
int rec_set_int(struct record *r, enum rec_field f, int64_t n);

/*
 * Adds word to a SET field, keeping the table order.  GU_EINVAL if the
 * word is not one of the field's words; adding a word twice is a no-op.
 */
int rec_set_add(struct record *r, enum rec_field f, const char *word);

int rec_has(const struct record *r, enum rec_field f);
/* The string value, valid as long as r is; NULL when absent. */
const char *rec_str(const struct record *r, enum rec_field f);
int64_t rec_int(const struct record *r, enum rec_field f, int64_t dflt);
/* Nonzero when the SET field f contains word. */
int rec_set_contains(
    const struct record *r, enum rec_field f, const char *word);

/*
 * Checks r against the schema of its kind: every required field present,
 * no field that the kind does not have, every value well-formed; header
 * ids well-formed; flags known; REC_FLAG_URGENT only on concerns.  seq,
 * epoch and device are checked only when check_identity is nonzero (the
 * store assigns them at append).  Returns GU_OK or GU_EINVAL with a
 * message naming the field in why (always NUL-terminated if why_len > 0).
 */
int rec_validate(
    const struct record *r, int check_identity, char *why, size_t why_len);

/*
 * Encodes r (which must validate) into buf.  Returns GU_ETOOBIG if cap is
 * too small; *len is then untouched.  REC_ENCODED_MAX is always enough.
 */
int rec_encode(const struct record *r, uint8_t *buf, size_t cap, size_t *len);

/*
 * Decodes len bytes of format REC_FORMAT into r and validates the result
 * with identity.  GU_EVERSION for another format byte, GU_ECORRUPT for a
 * wrong CRC or anything else wrong; r is then undefined.
 */
int rec_decode(struct record *r, const uint8_t *buf, size_t len);

/* The same for format 1 (no CRC), for the store's migration only. */
int rec_decode_v1(struct record *r, const uint8_t *buf, size_t len);

/* CRC-32C (Castagnoli) of len bytes, as format 2 and the store use it. */
uint32_t rec_crc32c(const void *data, size_t len);
/* The same without the CPU's instruction, for the tests. */
uint32_t rec_crc32c_soft(const void *data, size_t len);

const char *rec_kind_name(int kind); /* "lecture", ..., "?" if unknown */
const struct rec_field_info *rec_field_info(int f); /* NULL if unknown */
/* Whether kind has field f: 0 no, 1 optional, 2 required. */
int rec_kind_has(int kind, int f);

/* The child a record is about (F_CHILD), or NULL. */
const char *rec_child(const struct record *r);

/* Checks an id / a date string; nonzero when well-formed. */
int rec_id_ok(const char *s);
int rec_date_ok(const char *s);
/* The characters (code points) of a NUL-terminated UTF-8 string. */
size_t rec_utf8_chars(const char *s);

#endif
