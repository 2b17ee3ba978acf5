/*
 * export.h: 导出台账 and 导出档案 on the kiosk: the school's ledgers (.xlsx)
 * or a mentor's children's files (PDF) written to a USB stick by
 * `guanai-sync ledger|file` (which runs guanai-ledger; the kiosk links
 * none of libxlsxwriter, cairo or pango), started with posix_spawn and
 * read over a pipe without blocking, so the screen stays responsive and
 * draws a progress bar.  The program records the export (REC_EXPORT, as
 * the signed-in staff member, via kiosk): docs/ledgers.md.  Nothing here
 * draws.
 */
#ifndef GU_EXPORT_H
#define GU_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "care.h"

enum export_what {
	EXPORT_LEDGERS, /* every ledger, for a period (the headteacher) */
	EXPORT_FILES    /* the files of all of a mentor's children */
};

/* The periods the kiosk offers, of today. */
enum export_period { EXPORT_MONTH, EXPORT_TERM, EXPORT_HALF, EXPORT_PERIODS };

enum export_state {
	EXPORT_IDLE,
	EXPORT_RUNNING,
	EXPORT_DONE,     /* every file written */
	EXPORT_NO_STICK, /* none mounted: nothing started */
	EXPORT_GONE,     /* the stick was pulled out midway */
	EXPORT_FULL,     /* the stick is full */
	EXPORT_FAILED    /* anything else: msg says what */
};

struct export_job {
	enum export_state state;
	pid_t pid; /* while running */
	int fd;    /* the read end of the program's output, -1 none */
	unsigned done, total; /* from its "progress DONE TOTAL" lines */
	unsigned files;       /* files it said it wrote */
	char stick[600];      /* the stick's mount point */
	char dir[700];        /* the folder written on it */
	char msg[256];        /* its last line that is not progress */
	char part[256];       /* an unfinished line read so far */
	size_t part_len;
};

/*
 * The argument of `guanai-sync ledger` for period p of the local day
 * `day` (YYYYMMDD): "--month" and "2026-03", "--term" and "2026-spring"
 * (1 Feb – 31 Aug; from 1 Sep to 31 Jan the autumn term), "--half" and
 * "2026-H1".  opt and val get them.
 */
void export_period_arg(enum export_period p, uint32_t day, const char **opt,
    char *val, size_t len);

/*
 * Finds a stick under media_dir (usb_find), makes the folder on it and
 * starts `sync_bin ledger --data data_dir --by staff --via kiosk
 * --progress PERIOD all DIR` (or `file ... --fonts fonts_dir --mentor
 * staff DIR/STAFF-DAY.pdf`); care (borrowed, may be NULL) gives the
 * ledgers' overdue list the kiosk's contact_days and term start.
 * j->state is then EXPORT_RUNNING (GU_OK), or EXPORT_NO_STICK
 * (GU_ENOTFOUND), or EXPORT_FAILED (GU_EIO: the folder or the program
 * could not be made).  j must be EXPORT_IDLE or finished.
 */
int export_start(struct export_job *j, const char *sync_bin,
    const char *data_dir, const char *media_dir, const char *fonts_dir,
    const char *staff, enum export_what what, enum export_period p,
    uint32_t day, const struct care_policy *care);

/* ---- The program's output (export_line.c: pure, fuzzed) ---- */

#define EXPORT_PROGRESS_MAX 1000000u /* the largest DONE or TOTAL read */

/*
 * 1 when line is exactly "progress DONE TOTAL" (decimal, no sign, each at
 * most EXPORT_PROGRESS_MAX, 1 <= TOTAL, DONE <= TOTAL), with *done and
 * *total set; else 0 and they are untouched.
 */
int export_progress_parse(const char *line, unsigned *done, unsigned *total);

/*
 * Takes one whole line (no newline; a trailing CR is ignored): a progress
 * line sets j->done and j->total (a malformed one is dropped), a line
 * naming a written .xlsx or .pdf counts in j->files, and any other line
 * that is not empty becomes j->msg: always valid UTF-8 (a byte that
 * starts no whole character shown as '?'), cut on a whole character.
 */
void export_take_line(struct export_job *j, const char *line);

/*
 * Takes len bytes of output as they came off the pipe: whole lines go to
 * export_take_line(), the rest waits in j->part (a line longer than it is
 * cut; NUL bytes are dropped).  export_take_end() takes what is left when
 * the output has ended.
 */
void export_take(struct export_job *j, const char *buf, size_t len);
void export_take_end(struct export_job *j);

/*
 * Reads what the program wrote, waiting up to wait_ms for it (0: not at
 * all), and when it has ended judges how: EXPORT_DONE, or EXPORT_GONE /
 * EXPORT_FULL / EXPORT_FAILED, a leftover .part file removed; then, when
 * $GUANAI_USB_EJECT names a request file (the appliance), asks for the
 * stick to be unmounted (usb_eject).  Returns j->state.
 */
enum export_state export_poll(struct export_job *j, int wait_ms);

/* Stops a running export (SIGTERM, waited for, .part files removed) and
 * makes j EXPORT_IDLE. */
void export_stop(struct export_job *j);

#endif
