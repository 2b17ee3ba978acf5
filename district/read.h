/*
 * read.h: the district's reading of one batch file, whatever its format
 * (docs/batch-format.md): version 3 is checked against the keyring,
 * then opened with the district's secret keys and its inner batch
 * checked as version 2; versions 2 and 1 are checked as they are.
 */
#ifndef GU_DISTRICT_READ_H
#define GU_DISTRICT_READ_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "seal.h"
#include "sign.h"

#define DISTRICT_FILE_MAX ((size_t) 64 << 20)

struct district_keys {
	struct seal_secret *k; /* the district's secret keys, newest first */
	size_t n;
	const struct keyring *kr; /* the devices; NULL: no origin check */
};

/*
 * Called once a file has passed every check, before its first line, with
 * the (inner) header; nonzero stops (and is returned).
 */
typedef int (*district_begin_fn)(
    void *arg, const struct batch_head *h, int sealed);

/*
 * Checks the batch file f (n bytes) and, if it is good, calls begin (may
 * be NULL) and then fn (may be NULL) with each record line.  h gets the (inner) batch header, *sealed
 * whether it came sealed.  On failure why says what; h->school and
 * h->device are filled when the file said them.  GU_OK, GU_ECORRUPT,
 * GU_EVERSION, GU_EAUTH (origin: unsigned, unknown device, forged),
 * GU_ENOTFOUND (sealed to a key we do not have), GU_ENOMEM, GU_ETOOBIG.
 */
int district_read(const uint8_t *f, size_t n, const struct district_keys *dk,
    struct batch_head *h, int *sealed, district_begin_fn begin,
    batch_line_fn fn, void *arg, char *why, size_t why_len);

/* Reads a whole file (at most max bytes) into *out (malloc'd). */
int district_slurp(const char *path, size_t max, uint8_t **out, size_t *len);

#endif
