/*
 * roster.h: importing the school's roster (children and staff) from the
 * two CSV files schools export from Excel or WPS.
 *
 * The formats (docs/roster.md is the user's version; the header is the
 * first row that names a required column among the first five non-blank
 * rows, after an optional Excel "sep=," line, so title and grouping rows
 * may come first; columns in any order, names Chinese (inner spaces
 * ignored) or English, unknown columns ignored; rows shorter than the
 * header have empty cells at the end; every value trimmed of spaces,
 * U+3000 and U+00A0; full-width ASCII folded in ids, phones, dates and
 * PINs):
 *
 * children file
 *   column        alias              required  value
 *   学籍号         id                 yes       rec_id_ok(), unique
 *   姓名           name               yes       1..63 bytes
 *   性别           sex                no        男 女 M F (stored M / F)
 *   出生日期       birth_date         no        a real day 1900..2099:
 *                                              YYYY-MM-DD, YYYY/M/D,
 *                                              YYYY.M.D, YYYYMMDD,
 *                                              YYYY年M月D日, with
 *                                              " H:MM[:SS]" after, or
 *                                              an Excel serial day
 *                                              (5 digits[.fraction])
 *   年级           grade              no        0..31 bytes
 *   班级           class              yes       1..63 bytes; one grade
 *                                              per class
 *   类别           category           no        留守 困境 (left_behind
 *                                              in_difficulty), several
 *                                              separated by ; ； , ， 、
 *   监护人         guardian           no        0..63 bytes
 *   监护关系       guardian_relation  no        0..31 bytes
 *   监护人电话     guardian_phone     no        digits + - ( ) space
 *   成长导师工号   mentor_id          no        a staff id with 导师
 *   住址           address            no        0..127 bytes
 *
 * staff file
 *   工号           id                 yes       rec_id_ok(), unique
 *   姓名           name               yes       1..63 bytes
 *   角色           roles              yes       导师 班主任 校长 (mentor
 *                                              teacher head), one or
 *                                              more separated as above
 *   初始PIN        initial_pin        yes       4..8 digits
 *
 * Every problem is reported, not just the first (up to max_errors), each
 * as (file, line, message) through the caller's callback, sorted by file
 * (children first) and line.  Line 0 means the file as a whole.  An import
 * with any problem changes nothing in the store.
 */
#ifndef GU_ROSTER_H
#define GU_ROSTER_H

#include <stddef.h>

#include "pin.h"
#include "store.h"

#define ROSTER_MAX_ROWS 20000  /* data rows per file */
#define ROSTER_MAX_ERRORS 1000 /* default number of problems reported */
#define ROSTER_MSG_LEN 256     /* one message, with its NUL */

/*
 * Receives one problem.  file is the name the caller gave the file, line
 * the physical line (from 1; 0: the whole file), msg an English sentence
 * naming the column and the value.  All three are borrowed for the call.
 */
typedef void (*roster_err_fn)(
    void *arg, const char *file, unsigned line, const char *msg);

struct roster_opts {
	unsigned long long opslimit; /* PIN hash cost; 0: interactive */
	size_t memlimit;             /* PIN hash memory; 0: interactive */
	int reset_pins; /* 1: every staff member gets the file's PIN again */
	unsigned max_errors; /* problems reported; 0: ROSTER_MAX_ERRORS */
};

/* One input file: its name for messages and its bytes (borrowed). */
struct roster_src {
	const char *name;
	const void *data;
	size_t len;
};

/*
 * A parsed roster.  The arrays are owned by the struct (roster_fini()
 * frees them).  pins[i] is staff[i]'s initial PIN in clear, kept only
 * until the import hashes it; roster_fini() wipes it.  staff[i].pin_hash
 * is empty after roster_parse().
 */
struct roster {
	struct child *children;
	size_t n_children;
	struct staff *staff;
	size_t n_staff;
	char (*pins)[PIN_MAX_DIGITS + 1];
	unsigned n_errors; /* problems found (also those not reported) */
	size_t cap_children, cap_staff; /* slots allocated (internal) */
};

/*
 * Parses and checks both files without touching a store or hashing a PIN
 * (the fuzz target calls this).  opts may be NULL.  fn may be NULL to
 * only count the problems.
 *
 * Returns GU_OK with *out filled (give it to roster_fini()); GU_EINVAL
 * when there was any problem: each has gone to fn, out->n_errors counts
 * them and out holds no rows; GU_ENOMEM.  out needs roster_fini() in every
 * case.
 */
int roster_parse(struct roster *out, const struct roster_src *children,
    const struct roster_src *staff, const struct roster_opts *opts,
    roster_err_fn fn, void *arg);

/* Frees r's arrays and wipes the PINs; r is then empty. */
void roster_fini(struct roster *r);

/*
 * Parses both files, hashes the initial PINs (pin_hash() with the opts'
 * costs; a staff member who already chose his own PIN keeps it unless
 * opts->reset_pins) and replaces the roster in s with
 * store_roster_replace(): children and staff are updated by id, new ones
 * added, those not in the files marked inactive.  Every staff member from
 * the files has must_change_pin set until he chooses his PIN.  counts may
 * be NULL.
 *
 * Returns GU_OK; GU_EINVAL when the files have problems (each reported
 * through fn) or the store refused the roster (its reason reported with
 * line 0); GU_ENOMEM; the store's errors (GU_EFULL, GU_EBUSY, GU_EIO).
 * On error nothing in the store has changed.
 */
int roster_import_buf(struct store *s, const struct roster_src *children,
    const struct roster_src *staff, const struct roster_opts *opts,
    roster_err_fn fn, void *arg, struct roster_counts *counts);

/*
 * roster_import_buf() on the files at the two paths, which also name them
 * in messages.  A file that cannot be read is a problem with line 0
 * (GU_EINVAL).  s may be NULL to check the files only: nothing is hashed
 * or written, counts is left alone.
 */
int roster_import_files(struct store *s, const char *children_path,
    const char *staff_path, const struct roster_opts *opts, roster_err_fn fn,
    void *arg, struct roster_counts *counts);

#endif
