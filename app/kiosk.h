/*
 * kiosk.h: the kiosk's state and its event loop, shared by main.c, the
 * screens (scr_*.c), the UI tests and the benchmark.
 *
 * Where to start reading: kiosk_run() waits for input through the
 * platform (platform.h), runs one toolkit frame per input event, lets the
 * current screen turn taps into intents for the domain (domain.h), and
 * hands the command list to the platform only when it differs from the
 * one on screen.
 */
#ifndef GU_KIOSK_H
#define GU_KIOSK_H

#include <stdint.h>

#include "care.h"
#include "care_log.h"
#include "domain.h"
#include "settings.h"
#include "staff_auth.h"
#include "store_sync.h"
#include "strtab.h"
#include "ui.h"

struct plat;

enum scr {
	SCR_HOME,
	SCR_LEC_START,   /* who, topic, lecturer, classes */
	SCR_LEC_CLASSES, /* pick your class (students), counts */
	SCR_LEC_NAMES,   /* tap your own name */
	SCR_LEC_CONFIRM, /* you are checked in */
	SCR_LEC_MARK,    /* the teacher marks a class */
	SCR_LEC_REPORT,  /* closed: absentees by class */
	SCR_SIGNIN,      /* staff: pick your name, PIN, first PIN change */
	SCR_MENTOR,      /* my children by need (all for the head) */
	SCR_CHECKIN,     /* a mentor's check-in, step by step */
	SCR_VISIT,       /* a home visit, step by step */
	SCR_URGENT,      /* what the law requires (强制报告) */
	SCR_FILE,        /* one child's file (一人一档) */
	SCR_STU_CLASS,   /* student log: pick your class */
	SCR_STU_NAME,    /* student log: tap your name */
	SCR_STU_LOG,     /* student log: topic, then feeling */
	SCR_STU_DONE,    /* student log: saved, seen and heard */
	SCR_HEAD,        /* headteacher: uploads and what is overdue */
	SCR_DAMAGED,     /* the store is damaged: what to do, nothing else */
	SCR_N
};

/* The steps of starting a lecture (the teacher has signed in). */
enum lec_step { STEP_TOPIC, STEP_LECTURER, STEP_CLASSES };

/* What a staff sign-in is for: where it goes once the PIN is right. */
enum after_signin {
	AFTER_MENTOR,    /* 导师: the mentor's home */
	AFTER_HEAD,      /* 校长: the headteacher's screen */
	AFTER_LEC_START, /* start a lecture */
	AFTER_LEC_MARK,  /* 老师点名 */
	AFTER_LEC_END    /* 结束讲座 */
};

/* Sign-in steps. */
enum signin_step { SIGN_WHO, SIGN_PIN, SIGN_NEW, SIGN_AGAIN };

#define KIOSK_PIN_MAX 8
#define KIOSK_FILE_PAGE 40  /* timeline records read at a time */
#define KIOSK_FILE_MAX 1200 /* timeline records kept in memory */
#define KIOSK_FORM_STEPS 12
#define KIOSK_RECENT 6

/* One line of a child's timeline, made when its page is read. */
struct kiosk_tl {
	uint64_t seq;
	uint64_t voided_by;
	uint64_t target; /* a void's or follow-up's record */
	int64_t time_ms;
	uint8_t kind;
	uint8_t open_concern; /* a concern still open */
	uint8_t confirmed;    /* a check-in the child logged too */
	uint8_t mine;         /* the signed-in staff member wrote it */
	char author[GU_ID_LEN + 1];
	char text[200]; /* the summary in words */
};

/* The answers of a step-by-step form (check-in, visit, student log):
 * one[i] the chosen index of step i (-1 none), set[i] the bits chosen. */
struct kiosk_form {
	int step;
	int one[KIOSK_FORM_STEPS];
	uint32_t set[KIOSK_FORM_STEPS];
};

#define KIOSK_REPORT_MAX 4096
#define KIOSK_LECTURERS 8

/*
 * Measurements the benchmark asks for (kiosk->stats, NULL otherwise):
 * the time of every presented frame (the toolkit frame plus painting and
 * presenting), and every check-in from the release of the tap on a name to
 * the confirmation presented (the commit to disk included).
 */
#define KIOSK_STATS_FRAMES 65536
#define KIOSK_STATS_TAPS 256
struct kiosk_stats {
	uint32_t frame_us[KIOSK_STATS_FRAMES];     /* wall clock */
	uint32_t frame_cpu_us[KIOSK_STATS_FRAMES]; /* CPU time */
	size_t n_frames;
	uint32_t tap_us[KIOSK_STATS_TAPS];
	size_t n_taps;
};

struct kiosk_absent {
	char name[64];
	uint16_t cls; /* index into lec.classes */
};

struct kiosk {
	const struct settings *cfg; /* borrowed */
	const struct strtab *str;   /* borrowed */
	struct plat *plat;          /* borrowed; NULL in a null front end */
	struct domain dom;
	struct ui ui;

	enum scr scr;
	int64_t now_ms;
	int64_t last_input_ms;
	int64_t clock_minute; /* when clock_synced() was last asked */
	int64_t scr_since_ms;
	int first_frame_done;
	int quit;
	/* The store reported damage (GU_ECORRUPT): only SCR_DAMAGED shows
	 * and nothing more is written (kiosk_store_damaged). */
	int store_damaged;

	/* A message over the screen (a key of the strings table), until
	 * tapped away. */
	const char *msg_key;
	int msg_is_error;

	/* Home. */
	char school[STORE_NAME_LEN];
	uint64_t unacked;
	int64_t home_loaded_ms; /* reloaded every minute: the sync acks */

	/* The open lecture and its counts. */
	struct dom_lecture lec;
	struct dom_class lec_cls[DOM_LECTURE_CLASSES];
	uint32_t present, total;

	/* Starting a lecture. */
	enum lec_step step;
	struct dom_staff staff[DOM_STAFF_MAX];
	size_t n_staff;
	struct dom_class classes[DOM_CLASSES_MAX];
	size_t n_classes;
	int who, topic, lecturer; /* indexes, -1: none */
	uint8_t class_sel[DOM_CLASSES_MAX];
	int ask_end; /* "close the lecture?" is showing */

	/* One class's names. */
	int cls; /* index into lec.classes */
	struct dom_pupil pupils[DOM_PUPILS_MAX];
	size_t n_pupils;
	struct ui_scroll scroll;

	/* The confirmation. */
	char confirm_name[64];
	char confirm_id[GU_ID_LEN + 1];
	uint64_t confirm_seq;

	/* The report of a closed lecture. */
	struct dom_lecture report_lec;
	struct dom_class report_cls[DOM_LECTURE_CLASSES];
	struct kiosk_absent absent[KIOSK_REPORT_MAX];
	size_t n_absent;
	uint32_t report_present, report_total;

	/* The staff session (staff_auth.h); staff.staff_id[0] == 0: none. */
	struct auth_session ses;
	struct auth_policy auth;
	struct care_policy care;
	struct care_log log;
	enum after_signin after;
	enum signin_step sign_step;
	int sign_who; /* index into staff */
	char pin[KIOSK_PIN_MAX + 1];
	char pin_new[KIOSK_PIN_MAX + 1];
	char pin_old[KIOSK_PIN_MAX + 1];
	int64_t locked_until_ms;
	const char *sign_msg; /* a key shown above the keypad */

	/* The mentor's home. */
	struct care_row rows[CARE_ROWS_MAX];
	size_t n_rows;
	uint32_t n_overdue, n_open;

	/* The child a staff task is about, and the form being filled. */
	struct child child;
	struct kiosk_form form;
	enum scr urgent_back; /* where the urgent screen returns */
	uint64_t last_saved_seq;

	/* One child's file. */
	struct child_summary file_sum;
	struct kiosk_tl tl[KIOSK_FILE_MAX];
	size_t n_tl;
	int tl_more;          /* older records remain to be read */
	int tl_sel;           /* the line whose actions show, -1 none */
	int tl_act;           /* 0 none, 1 void reasons, 2 follow-up */
	uint32_t tl_done;     /* follow-up words chosen */
	int64_t file_open_us; /* for the bench: the file's first frame */

	/* The student log. */
	char stu_mentor_id[GU_ID_LEN + 1];
	char stu_mentor[64];

	/* The headteacher's screen. */
	struct sync_status sync;
	struct sync_batch recent[KIOSK_RECENT];
	size_t n_recent;
	int64_t sync_loaded_ms;
	char export_msg[256];

	/* Where the store lives (for guanai-sync export); may be "". */
	char data_dir[SETTINGS_PATH_MAX];

	struct kiosk_stats *stats; /* borrowed; NULL: not measured */
	uint64_t frames, renders;
};

/* Sounds the platform can play. */
#define KIOSK_SOUND_CONFIRM 0

/*
 * Sets k up on an open store and a platform (NULL: no output, for the
 * null front end of unit tests).  k is large: allocate it (calloc).
 */
void kiosk_init(struct kiosk *k, const struct settings *cfg,
    const struct strtab *str, struct store *s, struct plat *p);

/*
 * Runs the loop until the platform reports quit (window closed, script
 * done).  Returns GU_OK, or the platform's error.
 */
int kiosk_run(struct kiosk *k);

/* One frame with one input event (ev may be NULL); the loop's body. */
void kiosk_frame(struct kiosk *k, int64_t now_ms, const struct ui_event *ev);

/* Goes to screen s, loading what it shows. */
void kiosk_go(struct kiosk *k, enum scr s);

/* A string of the table. */
const char *kiosk_s(const struct kiosk *k, const char *key);

/*
 * The store is damaged (store_open or a read or append returned
 * GU_ECORRUPT): from now on the kiosk shows SCR_DAMAGED only, ends no
 * session with a record and writes nothing.  s in kiosk_init may be NULL
 * when the store could not be opened at all.
 */
void kiosk_store_damaged(struct kiosk *k);

/* Shows the message key over the screen until tapped. */
void kiosk_message(struct kiosk *k, const char *key, int is_error);

/* Plays a sound if sound is on. */
void kiosk_sound(struct kiosk *k, int which);

/* Whether screen s is one a student uses (countdown, privacy). */
int kiosk_student_screen(enum scr s);

/* Whether screen s belongs to a staff session (sign-out on idle). */
int kiosk_staff_screen(enum scr s);

/* Asks for a staff sign-in for what; goes on there once signed in. */
void kiosk_signin_for(struct kiosk *k, enum after_signin what);

/* Ends the staff session (timed_out: after idle), audited; no-op
 * without one. */
void kiosk_signout(struct kiosk *k, int timed_out);

/* Sends the "upload now" poke to the sync daemon. */
void kiosk_poke_trigger(struct kiosk *k);

#endif
