/*
 * transport.h: upload transports as a table.  One row per transport
 * (file://, WebDAV over http(s), S3), each with the same four operations;
 * http.h's http_put(), http_probe(), http_confirm() and http_get_cond()
 * pick the row for the configured URL (transport_find) and call it.
 *
 * Adding a transport is one new file with its row, one line in the table
 * in transport.c, its extern below, and its section of docs/sync.md
 * (docs/hacking.md walks through it).
 *
 * Every operation fills res (res->rc is also returned) with a GU_* class
 * (http.h) and a message in words; none keeps a pointer it was given.
 */
#ifndef GU_TRANSPORT_H
#define GU_TRANSPORT_H

#include "http.h"

struct transport {
	const char *name; /* for messages: "file", "webdav", "s3" */
	/* Does this row serve o (its URL, and options such as aws_sigv4)? */
	int (*match)(const struct http_opts *o);
	/* Is the server (or folder) there?  Any answer from it counts. */
	int (*probe)(const struct http_opts *o, struct http_result *res);
	/*
	 * Stores body under base/name.  GU_OK only on an answer that says
	 * it was stored (201, 204, or a 200 that is not a web page):
	 * a 2xx alone is not proof.
	 */
	int (*put)(const struct http_opts *o, const char *name,
	    const void *body, size_t len, http_progress_fn fn, void *arg,
	    struct http_result *res);
	/*
	 * Evidence that base/name is stored with len bytes, asked after a
	 * put that succeeded (put_res: its answer, e.g. S3's ETag).  Only
	 * after GU_OK here may the cursor move.
	 */
	int (*confirm)(const struct http_opts *o, const char *name, size_t len,
	    const struct http_result *put_res, struct http_result *res);
	/*
	 * Several put + confirm at once, overlapping (http_send()); NULL:
	 * one after the other with put and confirm.
	 */
	int (*send)(const struct http_opts *o, struct http_send *v, size_t n,
	    http_progress_fn fn, void *arg);
	/* Conditional GET (http_get_cond()); NULL: not offered. */
	int (*get_cond)(const struct http_opts *o, const char *name,
	    const char *etag, const char *path, size_t max_bytes,
	    char *new_etag, int *changed, struct http_result *res);
};

/* The rows (sync/tr_file.c, sync/http.c). */
extern const struct transport transport_file;
extern const struct transport transport_webdav;
extern const struct transport transport_s3;

/* The row that serves o, or NULL when no row does (an unknown scheme). */
const struct transport *transport_find(const struct http_opts *o);

/* Joins base and name with one '/' into out.  GU_ETOOBIG if too long. */
int transport_join(const char *base, const char *name, char *out, size_t cap);

/* Fills res and returns rc; fmt has one %s (a). */
int transport_res(
    struct http_result *res, int rc, long code, const char *fmt, const char *a);

#endif
