/*
 * http.h: the transport: HTTP(S) PUT of a batch, a probe of the server,
 * and conditional GET of roster files.  The only module that includes
 * <curl/curl.h>; curl's codes and HTTP answers become GU_* classes here:
 *
 *   GU_ENET      no network: DNS failed, no route, network down
 *   GU_EUNREACH  the server did not answer: refused, timed out, stalled,
 *                connection reset in the middle
 *   GU_ESERVER   5xx, 408, 429, or an answer that is not HTTP
 *   GU_EAUTH     401, 403, the server's certificate or pinned key wrong,
 *                our client certificate refused
 *   GU_EREFUSED  another 4xx
 *   GU_EFULL     the server's storage is full (507, 413)
 *   GU_EIO       local storage (file://): a write or fsync failed
 *
 * Base URLs: http://, https://, and file:///path (a folder: written by this
 * module itself with a temporary name, fsync and rename, so a crash never
 * leaves a half file under the final name).  TLS verification is always
 * on.
 */
#ifndef GU_HTTP_H
#define GU_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_URL_MAX 1024
#define HTTP_MSG_LEN 200

struct http_opts {
	const char *url;          /* base URL; a name is appended after '/' */
	const char *token;        /* device token, or NULL */
	const char *token_header; /* "Authorization: Bearer" if NULL */
	const char *client_cert;  /* PEM file, or NULL */
	const char *client_key;   /* PEM file, or NULL */
	const char *ca_file;      /* extra CA bundle, or NULL */
	const char *pinned_key;   /* "sha256//..." or a PEM file, or NULL */
	const char *aws_sigv4;    /* "aws:amz:REGION:s3" or NULL */
	const char *aws_user;     /* "ACCESS_KEY:SECRET" for SigV4 */
	long connect_timeout_s;
	long stall_s; /* abort when slower than stall_bytes/s this long */
	long stall_bytes;
	long timeout_s; /* whole request; 0: none */
};

struct http_result {
	int rc;                /* GU_* class, GU_OK on 2xx */
	long code;             /* HTTP status, 0 if none */
	int64_t retry_after_s; /* Retry-After of the answer, 0 if none */
	char msg[HTTP_MSG_LEN];
};

/*
 * Called during a transfer with the body bytes sent so far; a nonzero
 * return aborts the transfer (GU_EUNREACH).  May be NULL.
 */
typedef int (*http_progress_fn)(void *arg, uint64_t sent, uint64_t total);

/* Once per process, before any other call. */
int http_global_init(void);

/*
 * PUTs len bytes under base/name.  res says what happened (res->rc is
 * also returned).
 */
int http_put(const struct http_opts *o, const char *name, const void *body,
    size_t len, http_progress_fn fn, void *arg, struct http_result *res);

/*
 * Is the server there?  Any HTTP answer counts (even 404 or 405): a link
 * being up is not the server being reachable, but a server that answers
 * is.  For file:// the folder must exist and be writable.
 */
int http_probe(const struct http_opts *o, struct http_result *res);

/*
 * Conditional GET of base/name.  etag is the ETag of the copy we have
 * ("" for none).  200: the body is written to the file path (at most
 * max_bytes), new_etag gets the answer's ETag, *changed = 1.  304:
 * *changed = 0.  404 is GU_ENOTFOUND.  new_etag has HTTP_MSG_LEN bytes.
 */
int http_get_cond(const struct http_opts *o, const char *name, const char *etag,
    const char *path, size_t max_bytes, char *new_etag, int *changed,
    struct http_result *res);

#endif
