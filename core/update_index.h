/*
 * update_index.h: the two small files of a network update (docs/sync.md,
 * "Updates over the network"), one reader for both programs:
 *
 *   UPDATE_URL/latest     the district's index: what it offers now.
 *                         guanai-sync refuses any key it does not know.
 *   DATA/update/ready     what guanai-sync has downloaded and checked, for
 *                         the kiosk's head screen and the installer; a
 *                         reader skips keys it does not know.
 *
 * Both are core/kv.c's `key = value` lines (`#` comments), at most
 * UPDATE_INDEX_MAX bytes.  Their keys are the rows of one table
 * (update_index.c): version, file, size, sha256 in both; compatible,
 * description, downloaded and hours in ready only.
 */
#ifndef GU_UPDATE_INDEX_H
#define GU_UPDATE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define UPDATE_INDEX_MAX 4096u /* bytes of either file */
#define UPDATE_DESC_MAX 400    /* bytes of ready's description */

enum update_index_kind {
	UPDATE_INDEX_LATEST, /* the district's index: every key known */
	UPDATE_INDEX_READY   /* DATA/update/ready: unknown keys skipped */
};

struct update_index {
	char version[65];     /* 1-64 of 0-9 A-Z a-z . + ~ - */
	char file[129];       /* 1-128 of 0-9 A-Z a-z . _ -, *.raucb */
	uint64_t size;        /* bytes, 1..max_bytes */
	char sha256[65];      /* 64 lower-case hex digits */
	char compatible[128]; /* ready only */
	char description[UPDATE_DESC_MAX + 1]; /* ready only */
	char downloaded[40];                   /* ready only: ISO 8601 */
	char hours[8];                         /* ready only: "02-05", "off" */
};

/*
 * Parses the len bytes at text (borrowed), named name in messages
 * ("latest", "ready"), into ix.  max_bytes bounds size.  GU_OK; else
 * GU_EINVAL (or GU_ETOOBIG for a text over UPDATE_INDEX_MAX) with the
 * first problem in why as "NAME:LINE: what" ("latest:3: size: ..."; line
 * 0 for what concerns the whole, "latest: sha256: missing"), and ix
 * zeroed.  A key given twice, a missing required key, a bad value, and
 * in a LATEST index any unknown key, are problems.
 */
int update_index_parse(const char *name, const char *text, size_t len,
    enum update_index_kind kind, uint64_t max_bytes, struct update_index *ix,
    char *why, size_t why_len);

/* update_index_parse() of the file at path, named name in messages
 * (NULL: the path's last part); the kiosk's reader of DATA/update/ready.
 * GU_ENOTFOUND when there is none. */
int update_index_read(const char *path, const char *name,
    enum update_index_kind kind, uint64_t max_bytes, struct update_index *ix,
    char *why, size_t why_len);

/*
 * Writes ix as a ready file into out (cap bytes): every key of the
 * table that is set, in its order, one a line.  Returns the length, or 0 when it does
 * not fit (out then "").
 */
size_t update_index_format(
    const struct update_index *ix, char *out, size_t cap);

/*
 * The quiet hours "HH-HH" (docs/sync.md, update_hours): from the first
 * hour up to the start of the second, "22-04" wraps midnight, "00-24"
 * is any time, "off" none (*from = *to = -1).  GU_OK, or GU_EINVAL with
 * why ("update_hours: ...").
 */
int update_hours_parse(
    const char *s, int *from, int *to, char *why, size_t why_len);

/* 1 when hour (0..23) is in the window [from, to) (-1: never). */
int update_hours_in(int from, int to, int hour);

#endif
