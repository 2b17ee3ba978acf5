/*
 * kiosk.h: the kiosk's state and its event loop, shared by main.c, the
 * screens (scr_*.c), the UI tests and the benchmark.
 *
 * Where to start reading: kiosk_run() waits for input through the
 * platform (platform.h), runs one toolkit frame per input event, lets the
 * current screen (its row of the table in screens.h) turn taps into
 * intents for the domain (domain.h, care_log.h), and hands the command
 * list to the platform only when it differs from the one on screen.
 */
#ifndef GU_KIOSK_H
#define GU_KIOSK_H

#include <stdint.h>

#include "care.h"
#include "care_log.h"
#include "domain.h"
#include "export.h"
#include "ime.h"
#include "ime_ui.h"
#include "screens.h"
#include "settings.h"
#include "staff_auth.h"
#include "store_sync.h"
#include "strtab.h"
#include "tasks.h"
#include "ui.h"
#include "update.h"

struct plat;
struct plat_opts;

/* The steps of starting a lecture (the teacher has signed in). */
enum lec_step { STEP_TOPIC, STEP_LECTURER, STEP_CLASSES };

/* What a staff sign-in is for: where it goes once the PIN is right. */
enum after_signin {
	AFTER_MENTOR,    /* 导师: the mentor's home */
	AFTER_HEAD,      /* 校长: the headteacher's screen */
	AFTER_LEC_START, /* start a lecture */
	AFTER_LEC_MARK,  /* 老师点名 */
	AFTER_LEC_END,   /* 结束讲座 */
	AFTER_LEC_ABSENT /* 缺席原因和补签 of the lecture just closed */
};

/* Sign-in steps. */
enum signin_step { SIGN_WHO, SIGN_PIN, SIGN_NEW, SIGN_AGAIN };

#define KIOSK_PIN_MAX 8
#define KIOSK_FILE_PAGE 40  /* timeline records read at a time */
#define KIOSK_FILE_MAX 1200 /* timeline records kept in memory */
#define KIOSK_FORM_STEPS 12
#define KIOSK_RECENT 6
#define KIOSK_NOTES 4       /* notes one form may carry */
#define KIOSK_WORKLOGS 12   /* own work-log entries listed */
#define KIOSK_TASKS_MAX 256 /* tasks shown on a mentor's home */
#define KIOSK_HEAD_ACKS 16  /* open urgent concerns, for their acks */
#define KIOSK_HEAD_TASKS 8  /* on the headteacher's */

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
	uint8_t closes;       /* a follow-up that closes its concern */
	uint64_t source;      /* a concern's check-in or visit, 0 none */
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
#define KIOSK_PAST_MAX 64 /* past lectures listed */
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
	char id[GU_ID_LEN + 1];
	int8_t reason;   /* the F_ABSENCE word recorded, -1 none */
	uint8_t made_up; /* a make-up attendance recorded */
};

/*
 * Each flow's state: what its screens share, kept as long as the flow
 * lasts.  A screen file touches its own flow, and a flow it hands over to
 * (the sign-in sets the lecture's class; the mentor's home picks the
 * child the forms and the file are about).
 */

/* Home: the school and what waits for upload, reloaded every minute. */
struct kiosk_home {
	char school[STORE_NAME_LEN];
	uint64_t unacked;
	struct sync_status sync;
	int64_t loaded_ms;
};

/* The lecture: the open one and its counts (home shows them too),
 * starting one, a class's names, the confirmation, the closing report. */
struct kiosk_lecture {
	struct dom_lecture cur; /* seq 0: none open */
	struct dom_class cur_cls[DOM_LECTURE_CLASSES];
	uint32_t present, total;

	/* Starting a lecture. */
	enum lec_step step;
	struct dom_staff staff[DOM_STAFF_MAX]; /* the lecturer choices */
	size_t n_staff;
	struct dom_class classes[DOM_CLASSES_MAX];
	size_t n_classes;
	int topic, lecturer; /* indexes, -1: none */
	uint8_t class_sel[DOM_CLASSES_MAX];
	int ask_end; /* "close the lecture?" is showing */
	/* Topic 其他 in words; a lecturer not on the staff list. */
	char topic_note[REC_VALUE_MAX + 1];
	char lecturer_typed[REC_VALUE_MAX + 1];

	/* One class's names. */
	int cls; /* index into cur.classes */
	struct dom_pupil pupils[DOM_PUPILS_MAX];
	size_t n_pupils;

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

	/* The past lectures (scr_lec_past.c), and where 缺席原因和补签
	 * returns. */
	struct dom_past past[KIOSK_PAST_MAX];
	size_t n_past;
	enum scr absent_back;
	/* Starting a lecture: how many days ago it was held (补录), 0 today. */
	int days_ago;
};

/* The staff sign-in: who, the PIN being typed, where it goes next. */
struct kiosk_signin {
	enum after_signin after;
	enum signin_step step;
	struct dom_staff staff[DOM_STAFF_MAX]; /* those who may sign in */
	size_t n_staff;
	int who; /* index into staff */
	char pin[KIOSK_PIN_MAX + 1];
	char pin_new[KIOSK_PIN_MAX + 1];
	char pin_old[KIOSK_PIN_MAX + 1];
	int64_t locked_until_ms;
	const char *msg; /* a key shown above the keypad */
};

/* The mentor's (or head's) children, the child a staff task is about
 * and the form being filled: one staff session's care work. */
struct kiosk_mentor {
	struct care_row rows[CARE_ROWS_MAX];
	size_t n_rows;
	uint32_t n_overdue, n_open;
	struct child child;
	struct kiosk_form form;
	enum scr urgent_back; /* where the urgent screen returns */
	/* The form's notes (scr_form.c says which step writes which),
	 * and the work log's; emptied when a form starts. */
	char notes[KIOSK_NOTES][REC_VALUE_MAX + 1];
	/* The work log's screen: my latest entries. */
	struct care_worklog worklogs[KIOSK_WORKLOGS];
	size_t n_worklogs;
	/* What is due (tasks.h), shown beside the children. */
	struct task tasks[KIOSK_TASKS_MAX];
	size_t n_tasks;
	int show_later;               /* 以后 opened */
	struct ui_scroll task_scroll; /* the task list's own */
};

/* One child's file (mentor.child): the summary and the timeline. */
struct kiosk_file {
	struct child_summary sum;
	struct dom_staff staff[DOM_STAFF_MAX]; /* authors' names */
	size_t n_staff;
	struct kiosk_tl tl[KIOSK_FILE_MAX];
	size_t n_tl;
	int more;        /* older records remain to be read */
	int sel;         /* the line whose actions show, -1 none */
	int act;         /* 0 none, 1 void reasons, 2 follow-up, 3 the concern
	                  the voided record raised: void it too? */
	uint32_t done;   /* follow-up words chosen */
	int void_reason; /* act 3: the reason chosen for the void */
	/* The void's or follow-up's note; the record shown whole on the
	 * detail screen and the file's scroll position to return to. */
	char note[REC_VALUE_MAX + 1];
	int detail;
	struct record plan; /* the standing plan, when has_plan */
	int has_plan;
	struct record rec;
	struct ui_scroll back_scroll;
};

/*
 * The note being written (scr_note.c): the input method and its engines
 * (made at the first note, their models loaded at the first stroke or
 * letter, freed at sign-out), and where the text goes back to.
 */
struct kiosk_note {
	struct hw *hw;
	struct py *py;
	struct ime ime;
	struct ime_ui w;
	char *dest; /* borrowed: the form's buffer, REC_VALUE_MAX + 1 */
	const char *title_key;
	enum scr back;
	struct ui_scroll back_scroll;
};

/* The student's own log: the class, who he is (a student-safe view),
 * the answers. */
struct kiosk_student {
	struct dom_class classes[DOM_CLASSES_MAX];
	size_t n_classes;
	int cls; /* index into classes */
	struct dom_pupil pupils[DOM_PUPILS_MAX];
	size_t n_pupils;
	struct dom_pupil who;
	struct kiosk_form form;
	const char *done_key; /* the confirmation's words; NULL: stu.saved */
};

/* The headteacher's screen: the daemon's status, recent uploads. */
struct kiosk_head {
	struct sync_status sync;
	struct sync_batch recent[KIOSK_RECENT];
	size_t n_recent;
	int64_t loaded_ms;
	uint32_t n_overdue, n_open;
	char export_msg[256];
	/* The school's tasks (tasks_for_head) and whether the calendar is
	 * the default one (h-tasks, issue 12). */
	struct task tasks[KIOSK_HEAD_TASKS];
	size_t n_tasks;
	int cal_default;
	/* The district's word on the open urgent concerns (care_acks). */
	struct care_ack acks[KIOSK_HEAD_ACKS];
	size_t n_acks;
};

/* The headteacher's coverage view (scr_coverage.c, docs/coverage.md):
 * what care_coverage() computed on entering (freed on leaving), the tab
 * (0 按班级, 1 按导师) and the row whose children are listed (-1: none;
 * 0 the whole school, i the tab's row i - 1), that list (scr_coverage.c)
 * and the rows' scroll while it is open. */
struct kiosk_cov {
	struct coverage c;
	int tab;
	int sel;
	struct ui_scroll rows_scroll;
	uint64_t *idx; /* the list: (figures << 32) | index into c.kids */
	size_t n_idx;
};

/* The mandatory report any staff member files (scr_report.c): the
 * class, the child (student-safe views: a name is all it needs), the
 * law, then what was recorded; back: where it returns. */
enum report_step { REP_CLASS, REP_NAME, REP_LAW, REP_DONE };
struct kiosk_report {
	enum report_step step;
	struct dom_class classes[DOM_CLASSES_MAX];
	size_t n_classes;
	int cls; /* index into classes */
	struct dom_pupil pupils[DOM_PUPILS_MAX];
	size_t n_pupils;
	int who; /* index into pupils */
	int64_t saved_ms;
	enum scr back;
};

/* The headteacher resets a staff member's forgotten PIN
 * (scr_pinreset.c): whom, are you sure, the temporary PIN. */
enum pinreset_step { PR_WHO, PR_SURE, PR_TEMP };
struct kiosk_pinreset {
	enum pinreset_step step;
	struct dom_staff staff[DOM_STAFF_MAX]; /* everyone but the head */
	size_t n_staff;
	int who; /* index into staff */
	char temp[PIN_TEMP_DIGITS + 1];
};

/* 导出台账 (the headteacher) and 导出档案 (a mentor): what, the period
 * chosen (-1: none yet), the program at work (export.h). */
struct kiosk_export {
	enum export_what what;
	int period;
	struct export_job job;
};

/*
 * 系统更新 (scr_update.c, docs/image.md "Updates"): the bundle on the
 * stick and whether it may be installed, the head's PIN asked again, rauc
 * at work, the reboot asked for.  And what the head's screen says: a
 * stick with a bundle is in, the last update (DATA/update.state).
 */
enum update_step {
	UPS_NONE,    /* no stick, or no bundle on it */
	UPS_BUNDLE,  /* what it is; b.why: may it be installed */
	UPS_PIN,     /* the head confirms with his PIN */
	UPS_RUNNING, /* rauc install at work */
	UPS_DONE,    /* installed: rebooting */
	UPS_FAILED   /* job.why and job.msg say why */
};
struct kiosk_update {
	enum update_step step;
	char running[64];
	struct update_bundle b;
	struct update_job job;
	char pin[KIOSK_PIN_MAX + 1];
	int64_t locked_until_ms;
	const char *msg; /* a key shown above the keypad */
	int rebooting;   /* the reboot was asked for */
	int from_net;    /* b is the bundle guanai-sync downloaded */
	/* The head's screen. */
	int on_stick;   /* a bundle is on a stick */
	int downloaded; /* guanai-sync has one ready (ready says which) */
	struct update_index ready;
	struct update_last last;
	int has_last;
};

/* What the head's children asked for quietly (care.h: care_notices),
 * shown on his list in a block of its own; a mentor has them as tasks. */
#define KIOSK_NOTICES 8
struct kiosk_notices {
	struct care_notice n[KIOSK_NOTICES];
	size_t n_n;
};

/*
 * A check-in or visit half filled when an idle sign-out interrupted it:
 * kept for the same staff member for the rest of that day (scr_form.c).
 * Memory only, by decision: a draft is not a record (never stored,
 * never uploaded) and is as sensitive as one, so a restart forgets it
 * rather than write it anywhere.
 */
struct kiosk_draft {
	int valid;
	char staff_id[GU_ID_LEN + 1]; /* whose form (set on entering it) */
	uint32_t day;                 /* YYYYMMDD it was interrupted */
	enum scr scr;                 /* SCR_CHECKIN or SCR_VISIT */
	struct child child;
	struct kiosk_form form;
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
	struct ui_scroll scroll; /* the current screen's; reset on kiosk_go */
	/* The store reported damage (GU_ECORRUPT): only SCR_DAMAGED shows
	 * and nothing more is written (kiosk_store_damaged). */
	int store_damaged;

	/* A message over the screen (a key of the strings table), until
	 * tapped away. */
	const char *msg_key;
	int msg_is_error;

	/* The staff session (staff_auth.h); ses.staff_id[0] == 0: none. */
	struct auth_session ses;
	struct auth_policy auth;
	struct care_policy care;

	/* The flows. */
	struct kiosk_home home;
	struct kiosk_lecture lec;
	struct kiosk_signin sign;
	struct kiosk_mentor mentor;
	struct kiosk_file file;
	struct kiosk_student stu;
	struct kiosk_head head;
	struct kiosk_cov cov;
	struct kiosk_note note;
	struct kiosk_report report;
	struct kiosk_pinreset pinreset;
	struct kiosk_export exp;
	struct kiosk_update upd;
	struct kiosk_notices notices;
	struct kiosk_draft draft;

	/* Where the store lives (for guanai-sync export and the poke);
	 * may be "". */
	char data_dir[SETTINGS_PATH_MAX];

	struct kiosk_stats *stats; /* borrowed; NULL: not measured */
	uint64_t renders;          /* frames handed to the platform */

	/* What kiosk_open() opened and kiosk_close() closes. */
	struct strtab *own_str;
	struct store *own_store;
	struct plat *own_plat;
};

/* Sounds the platform can play. */
#define KIOSK_SOUND_CONFIRM 0

/*
 * The one way to start a kiosk (main, the UI tests, the bench, and with
 * main `make screenshots`): loads the strings table of cfg (assets_dir,
 * lang), opens the store in data_dir and the platform with o (NULL: no
 * platform, the null front end), and sets k up (the policies from cfg,
 * the toolkit at the platform's size); k remembers data_dir (for
 * guanai-sync export and the poke).  cfg is
 * borrowed and must outlive k.  On error err says what failed (the
 * strings file with its file:line, the store's directory, the display)
 * and nothing is left open: GU_EINVAL for a bad strings table, else the
 * store's or the platform's error.  k is large: allocate it (calloc).
 */
int kiosk_open(struct kiosk *k, const struct settings *cfg,
    const char *data_dir, const struct plat_opts *o, char *err, size_t len);

/* Closes what kiosk_open() opened; k's counters (renders, ui) stay
 * readable.  k may be NULL. */
void kiosk_close(struct kiosk *k);

/* Checks that cfg's strings table loads (guanai-kiosk -n); err as for
 * kiosk_open(). */
int kiosk_check(const struct settings *cfg, char *err, size_t len);

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

/* Screen s's row of the table (screens.h). */
const struct scr_row *kiosk_screen(enum scr s);

/* Whether screen s is one a student uses (countdown, privacy). */
int kiosk_student_screen(enum scr s);

/* Asks for a staff sign-in for what; goes on there once signed in. */
void kiosk_signin_for(struct kiosk *k, enum after_signin what);

/* Ends the staff session (timed_out: after idle), audited; no-op
 * without one. */
void kiosk_signout(struct kiosk *k, int timed_out);

/* Sends the "upload now" poke to the sync daemon. */
void kiosk_poke_trigger(struct kiosk *k);

#endif
