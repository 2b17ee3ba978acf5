/*
 * propfind.h: the answer to a WebDAV PROPFIND (Depth: 1) of a source
 * collection (docs/district.md, "What a run does"): a 207 multistatus
 * body, parsed by expat (district/propfind.c is its only user).
 *
 * What is taken: the text of every DAV: href inside a DAV: response,
 * percent-decoded; its last path segment is a batch's name when it has
 * the batch name form (propfind_batch_name()).  Everything else (the
 * collection itself, a folder, a stray file, other properties) is
 * ignored.  A body that is not well-formed XML, whose root is not
 * DAV: multistatus, or an href that is not valid percent-encoding is
 * refused as a whole.
 */
#ifndef GU_PROPFIND_H
#define GU_PROPFIND_H

#include <stddef.h>

#define PROPFIND_HREF_MAX 2048 /* bytes of one href */
#define PROPFIND_NAMES_MAX 10000000

/*
 * Called with each batch name found (borrowed: valid during the call);
 * a nonzero return stops the parse (GU_ENOMEM).
 */
typedef int (*propfind_fn)(void *arg, const char *name);

/*
 * Parses len bytes of body.  GU_OK after fn was called for every batch
 * name; GU_ECORRUPT with why = "what:LINE: problem" (what names the
 * answer in messages, e.g. the source URL) for a malformed body, in
 * which case fn may have been called for names before the problem (the
 * caller drops them); GU_ENOMEM.
 */
int propfind_parse(const char *what, const char *body, size_t len,
    propfind_fn fn, void *arg, char *why, size_t why_len);

/*
 * 1 if s has the batch name form
 * SCHOOL_DEVICE_EPOCH_FIRST-LAST[-u].ndjson.gz (ids of letters, digits,
 * '-' and '.', EPOCH 16 lowercase hex digits, FIRST and LAST 12 decimal
 * digits), else 0.
 */
int propfind_batch_name(const char *s);

#endif
