/*
 * rauc.h: running rauc 1.8 and reading what it prints, for both programs:
 * the kiosk's 系统更新 (a bundle from a stick, app/domain/update.h) and
 * guanai-sync's network updates (sync/update.h).  A bundle is checked
 * with `rauc info` (signed by our CA, made for this device class, newer
 * than the running version) and installed with `rauc install` as a child
 * process, its progress read over a pipe without blocking; then the
 * system is asked for a reboot through a request file (docs/image.md,
 * "Updates").  Nothing here draws or speaks HTTP.
 *
 * What rauc prints, and what is read of it (rauc_line.c, pure, fuzzed by
 * fuzz/fuzz_rauc_line.c, tested by tests/test_rauc_line.c):
 *
 *   rauc info --output-format=shell B   RAUC_MF_VERSION='2.0.0' lines
 *                                       (single quotes, ' as '\''), and
 *                                       on error a line of why
 *   rauc install B (stdout a pipe)      "%3d%% STEP" lines ("  0%
 *                                       Installing", " 20% Checking
 *                                       bundle", ..., "100% Installing
 *                                       done."), "LastError: WHY", then
 *                                       "Installing `B` succeeded" or
 *                                       "Installing `B` failed[: WHY]"
 *
 * The names keep the update_ prefix they had in the kiosk, where they
 * were first written (rauc_line.c and update.c), so its callers read as
 * before.
 */
#ifndef GU_RAUC_H
#define GU_RAUC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Why a bundle is not installed (or an install failed). */
enum update_why {
	UPDATE_WHY_NONE,       /* may be installed / it was */
	UPDATE_WHY_SIGNATURE,  /* not signed by our CA (or not at all) */
	UPDATE_WHY_COMPATIBLE, /* made for another device class */
	UPDATE_WHY_DAMAGED,    /* truncated or damaged */
	UPDATE_WHY_NOT_NEWER,  /* the same version as running, or older */
	UPDATE_WHY_FAILED      /* anything else: msg says what */
};

#define UPDATE_MSG_MAX 256

/* A bundle found on a stick, as `rauc info` describes it. */
struct update_bundle {
	char path[700];
	char version[64];
	char compatible[128];
	char description[512];
	enum update_why why;      /* NONE: may be installed */
	char msg[UPDATE_MSG_MAX]; /* rauc's own words on a refusal */
};

/* Where the kiosk finds rauc and what it compares with (kiosk.conf). */
struct update_cfg {
	const char *rauc_bin;     /* the rauc program */
	const char *system_conf;  /* /etc/rauc/system.conf: compatible */
	const char *version_file; /* /usr/share/guanai/version */
};

enum update_state {
	UPDATE_IDLE,
	UPDATE_RUNNING,
	UPDATE_DONE,  /* installed: reboot into it */
	UPDATE_FAILED /* why and msg say what */
};

struct update_job {
	enum update_state state;
	pid_t pid;           /* while running */
	int fd;              /* the read end of rauc's output, -1 none */
	unsigned pct;        /* 0..100, from its progress lines */
	char step[128];      /* the step of the last progress line */
	int result;          /* 1 "succeeded", -1 "failed", 0 not yet said */
	enum update_why why; /* on failure */
	char msg[UPDATE_MSG_MAX]; /* LastError, or the failure's reason */
	char part[512];           /* an unfinished line read so far */
	size_t part_len;
};

/* ---- pure (rauc_line.c): no system call ---- */

#define UPDATE_LINE_MAX 1024 /* longer lines are cut */

/*
 * 1 when line is exactly rauc's "%3d%% STEP": three columns holding a
 * number 0..100 right-aligned (spaces before it, no leading zero), '%',
 * one space and a step of at least one character; *pct and *step (into
 * line) set.  Else 0, they untouched.
 */
int rauc_progress_parse(const char *line, unsigned *pct, const char **step);

/*
 * One line of `rauc info --output-format=shell`: RAUC_MF_VERSION,
 * RAUC_MF_COMPATIBLE and RAUC_MF_DESCRIPTION set their fields of b (the
 * value unquoted: '...' pieces and \' between them, as g_shell_quote
 * writes it; cut on a whole UTF-8 character to fit).  1 when the line
 * was one of them and well quoted, else 0 and b is unchanged.
 */
int rauc_info_line(struct update_bundle *b, const char *line);

/* What rauc's message means, by the words its 1.8 release uses. */
enum update_why rauc_why(const char *msg);

/*
 * Compares two versions "1.10.2" part by part at the dots, numbers as
 * numbers, anything else as text: <0, 0, >0 as a is older, the same,
 * newer than b.
 */
int update_version_cmp(const char *a, const char *b);

/*
 * Takes one whole line of rauc install's output (no newline; a trailing
 * CR is ignored): a progress line sets pct and step, "LastError: WHY"
 * msg, "Installing `...` succeeded|failed[: WHY]" result (and msg);
 * other lines are ignored.  msg and step are always valid UTF-8.
 */
void update_take_line(struct update_job *j, const char *line);

/*
 * Takes len bytes as they came off the pipe: whole lines go to
 * update_take_line(), the rest waits in j->part (a longer line is cut;
 * NUL bytes are dropped).  update_take_end() takes what is left.
 */
void update_take(struct update_job *j, const char *buf, size_t len);
void update_take_end(struct update_job *j);

/* ---- the system (rauc.c) ---- */

/* The running version: the first line of c->version_file, into out
 * ("" and GU_ENOTFOUND when it cannot be read). */
int update_running(const struct update_cfg *c, char *out, size_t len);

/*
 * Checks the bundle at path: runs `rauc --conf SYSTEM_CONF info
 * --output-format=shell PATH` and waits for it, reads version,
 * compatible and description, and compares them with the device's
 * compatible (system_conf's [system] compatible=) and the running
 * version.  b->why says whether it may be installed and b->msg gives
 * rauc's own words (or the two compatibles, the two versions).  GU_OK
 * when it may; GU_EREFUSED when refused; GU_EIO when rauc could not be
 * run (why FAILED).
 */
int update_check(
    const struct update_cfg *c, const char *path, struct update_bundle *b);

/*
 * Starts `rauc --conf SYSTEM_CONF install PATH`, its output and errors
 * on a pipe.  j is then UPDATE_RUNNING (GU_OK) or UPDATE_FAILED (GU_EIO).
 */
int update_start(
    struct update_job *j, const struct update_cfg *c, const char *path);

/*
 * Reads what rauc wrote, waiting up to wait_ms (0: not at all); when it
 * has ended, UPDATE_DONE if it exited 0 and said it succeeded, else
 * UPDATE_FAILED with why and msg.  Returns j->state.
 */
enum update_state update_poll(struct update_job *j, int wait_ms);

/* Stops a running rauc client (SIGTERM, waited for) and makes j
 * UPDATE_IDLE.  Harmless on an idle job. */
void update_stop(struct update_job *j);

/*
 * Asks the system to reboot: writes "reboot\n" to the file request
 * (usb_request: whole or not at all).  GU_OK, or GU_EIO; GU_OK and
 * nothing written when request is NULL or "".
 */
int update_request_reboot(const char *request);

#endif
