/*
 * kv.h: the one reader of line-oriented "key = value" files: the kiosk's
 * settings, the string tables, the touch scripts and the sync daemon's
 * config all go through it, so they share one idea of a line, a comment,
 * a limit and an error place.
 *
 * The grammar (every file):
 *
 *   file     line*, lines ended by LF or CRLF (the last one may lack it)
 *   line     at most max_line bytes, not counting its end; no NUL byte
 *   blank    spaces, tabs and CRs around a line are trimmed; a line that
 *            is then empty is skipped
 *   comment  a line whose first character (after the trim) is one of
 *            opts->comments ("#;" by default) is skipped
 *   section  with KV_SECTIONS, a line starting with '[' is handed to the
 *            callback whole (key NULL), for the caller to judge
 *   pair     key = value: key and value are trimmed; the key is what comes
 *            before the first '=', and may not be empty.  With KV_QUOTES
 *            a value written between double quotes has them removed (so
 *            it may keep spaces at its ends); an opening quote without a
 *            closing one is an error.  With KV_RAW lines are not split:
 *            the callback gets each trimmed line as value, key NULL.
 *
 * Errors are reported as (name, line, message) through the caller's
 * err callback: line is the physical line (from 1), 0 for the file as a
 * whole (cannot be opened or read, too big).  Messages of the reader
 * itself: "line too long (more than N bytes)", "NUL byte", "expected key
 * = value" (the words after "expected" are opts->expect), "empty key",
 * "unterminated quote"; the callback's own go out the same way.
 */
#ifndef GU_KV_H
#define GU_KV_H

#include <stddef.h>

#define KV_LINE_MAX 4096               /* default bytes of one line */
#define KV_FILE_MAX (4u * 1024 * 1024) /* bytes kv_parse_file() reads */
#define KV_WHY_LEN 192                 /* a callback's message, with NUL */

enum kv_flags {
	KV_RAW = 1,      /* do not split lines at '=' */
	KV_SECTIONS = 2, /* hand "[...]" lines to the callback (key NULL) */
	KV_QUOTES = 4    /* strip double quotes around a value */
};

struct kv_opts {
	size_t max_line;      /* 0: KV_LINE_MAX */
	const char *comments; /* NULL: "#;" */
	const char *expect;   /* NULL: "key = value" */
	unsigned flags;       /* enum kv_flags */
	int keep_going;       /* 1: report every bad line, 0: stop at one */
};

/*
 * One line as the callback sees it: key and value are NUL-terminated and
 * trimmed (key NULL with KV_RAW and for sections, value then the whole
 * line).  Both are borrowed for the call; the callback may modify them.
 */
struct kv_line {
	unsigned line;
	char *key;
	char *value;
};

/*
 * Called for each pair (or raw line or section).  Returns GU_OK, or an
 * error status with a message in why (why_len bytes; the reader puts the
 * place in front), after which the reader stops unless keep_going.
 */
typedef int (*kv_line_fn)(
    void *arg, const struct kv_line *l, char *why, size_t why_len);

/* Receives one problem; all three strings are borrowed for the call. */
typedef void (*kv_err_fn)(
    void *arg, const char *name, unsigned line, const char *msg);

/*
 * Reads the len bytes at text (borrowed for the call) line by line;
 * name names them in messages.  opts may be NULL for the defaults.
 *
 * Returns GU_OK when every line was fine; else the status of the first
 * problem (GU_EINVAL for the reader's own, GU_ETOOBIG... as the callback
 * said), each problem reported through err (which may be NULL); GU_ENOMEM.
 * With keep_going 0 the reader stops at the first problem, so the
 * callback has seen only the lines before it.
 */
int kv_parse_buf(const char *name, const char *text, size_t len,
    const struct kv_opts *opts, kv_line_fn fn, void *arg, kv_err_fn err,
    void *err_arg);

/*
 * kv_parse_buf() on the file at path (at most KV_FILE_MAX bytes), which
 * also names it in messages.  A file that cannot be opened or read is
 * GU_EIO, reported with line 0 and the system's reason ("path: No such
 * file or directory"); one over the limit GU_ETOOBIG.
 */
int kv_parse_file(const char *path, const struct kv_opts *opts, kv_line_fn fn,
    void *arg, kv_err_fn err, void *err_arg);

/*
 * An err callback for callers that want only the first problem as one
 * string: arg is a struct kv_first; buf gets "name:line: msg" (or "name:
 * msg" for line 0) of the first problem, later ones are ignored.
 */
struct kv_first {
	char *buf;
	size_t len;
	int set;
};

void kv_first_err(void *arg, const char *name, unsigned line, const char *msg);

#endif
