/*
 * screens.h: the kiosk's screens as data, the way Simon Tatham's Puzzles
 * describes a game with one constant struct.  Each screen file defines
 * the row of each of its screens (const struct scr_row scr_row_...); the
 * list below names every row once, and gives the enum and the table the
 * event loop walks (kiosk.c): entering, drawing, leaving and the
 * predicates ("may a student see it", "does it end a staff session") all
 * read the row, so adding a screen is one line here and its file.
 */
#ifndef GU_SCREENS_H
#define GU_SCREENS_H

struct kiosk;

/*
 * Every screen: X(id, row).  The order is the enum's; home comes first,
 * as the kiosk starts there.
 */
#define SCR_LIST(X)                                                            \
	X(SCR_HOME, scr_row_home)               /* the tasks, the status */    \
	X(SCR_LEC_START, scr_row_lec_start)     /* topic, lecturer, classes */ \
	X(SCR_LEC_CLASSES, scr_row_lec_classes) /* pick your class, counts */  \
	X(SCR_LEC_NAMES, scr_row_lec_names)     /* tap your own name */        \
	X(SCR_LEC_CONFIRM, scr_row_lec_confirm) /* you are checked in */       \
	X(SCR_LEC_MARK, scr_row_lec_mark)       /* the teacher marks */        \
	X(SCR_LEC_REPORT, scr_row_lec_report)   /* absentees by class */       \
	X(SCR_LEC_ABSENT, scr_row_lec_absent)   /* reasons, make-ups */        \
	X(SCR_LEC_PAST, scr_row_lec_past)       /* past lectures, counts */    \
	X(SCR_SIGNIN, scr_row_signin)           /* name, PIN, new PIN */       \
	X(SCR_MENTOR, scr_row_mentor)           /* my children by need */      \
	X(SCR_CHECKIN, scr_row_checkin)         /* a mentor's check-in */      \
	X(SCR_VISIT, scr_row_visit)             /* a home visit */             \
	X(SCR_URGENT, scr_row_urgent)           /* 强制报告 */             \
	X(SCR_FILE, scr_row_file)               /* one child's file */         \
	X(SCR_STU_CLASS, scr_row_stu_class)     /* student log: class */       \
	X(SCR_STU_NAME, scr_row_stu_name)       /* student log: name */        \
	X(SCR_STU_LOG, scr_row_stu_log)         /* topic, then feeling */      \
	X(SCR_STU_DONE, scr_row_stu_done)       /* saved, seen and heard */    \
	X(SCR_HEAD, scr_row_head)               /* uploads, overdue */         \
	X(SCR_COVERAGE, scr_row_coverage) /* 覆盖情况, by class/mentor */  \
	X(SCR_REPORT, scr_row_report)     /* 强制报告 by any staff */      \
	X(SCR_PIN_RESET, scr_row_pin_reset) /* the head resets a PIN */        \
	X(SCR_DAMAGED, scr_row_damaged)     /* the store is damaged */         \
	X(SCR_NOTE, scr_row_note)           /* writing a note (IME) */         \
	X(SCR_WORKLOG, scr_row_worklog)     /* my work log (工作日志) */   \
	X(SCR_PLAN, scr_row_plan)           /* a child's care plan */          \
	X(SCR_FOCUS, scr_row_focus)         /* mark 重点关注 */            \
	X(SCR_EXPORT, scr_row_export)       /* ledgers, files to USB */        \
	X(SCR_FILE_DETAIL, scr_row_file_detail) /* one record of a file */     \
	X(SCR_UPDATE, scr_row_update) /* 系统更新 from a USB stick */

#define SCR_ENUM_(id, row) id,
enum scr { SCR_LIST(SCR_ENUM_) SCR_N };
#undef SCR_ENUM_

/*
 * A row's flags.  SCR_F_PUBLIC: needs no sign-in, and entering it ends a
 * staff session.  SCR_F_STUDENT: a student uses it: the short idle
 * timeout, and nothing sensitive may show on it (the privacy test walks
 * every such screen).
 */
#define SCR_F_PUBLIC 1u
#define SCR_F_STUDENT 2u

struct scr_row {
	const char *name; /* for messages and tests */
	/* Loads what the screen shows when the kiosk goes to it (never
	 * during a frame); may redirect with kiosk_go(); may be NULL. */
	void (*enter)(struct kiosk *k);
	/* Draws the screen with the toolkit and turns taps into intents;
	 * runs every frame. */
	void (*frame)(struct kiosk *k);
	/* Forgets what only this screen needed, when the kiosk goes
	 * elsewhere (or to it again); must be harmless when the screen
	 * was never entered; may be NULL. */
	void (*leave)(struct kiosk *k);
	unsigned flags; /* SCR_F_* */
};

#define SCR_EXTERN_(id, row) extern const struct scr_row row;
SCR_LIST(SCR_EXTERN_)
#undef SCR_EXTERN_

#endif
