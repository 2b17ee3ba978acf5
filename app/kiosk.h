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

#include "domain.h"
#include "settings.h"
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
	SCR_N
};

/* The steps of starting a lecture. */
enum lec_step { STEP_WHO, STEP_TOPIC, STEP_LECTURER, STEP_CLASSES };

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
	int64_t scr_since_ms;
	int first_frame_done;
	int quit;

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

/* Shows the message key over the screen until tapped. */
void kiosk_message(struct kiosk *k, const char *key, int is_error);

/* Plays a sound if sound is on. */
void kiosk_sound(struct kiosk *k, int which);

/* Whether screen s is one a student uses (countdown, privacy). */
int kiosk_student_screen(enum scr s);

#endif
