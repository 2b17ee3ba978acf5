/*
 * http.h: the upload interface: PUT of a batch, its confirmation, a probe
 * of the server, and conditional GET of roster files.  curl's codes and
 * HTTP answers become GU_* classes in sync/http.c:
 *
 *   GU_ENET      no network: DNS failed, no route, network down; or a
 *                web page (a captive portal's login) where the server
 *                should answer
 *   GU_EUNREACH  the server did not answer: refused, timed out before
 *                any answer, connection reset in the middle
 *   GU_ESERVER   5xx, 408, 429, an answer that is not HTTP, an answer
 *                that started and then stalled, a 2xx without evidence
 *                of storage (202, or a confirmation that fails)
 *   GU_EAUTH     401, 403, the server's certificate or pinned key wrong,
 *                our client certificate refused
 *   GU_EREFUSED  another 4xx, a redirect (never followed; the message
 *                names where it pointed), plain http:// not allowed
 *   GU_EFULL     the server's storage is full (507, 413)
 *   GU_EIO       local storage (file://): a write or fsync failed
 *
 * The transports behind these calls are rows of one table (transport.h):
 * file:///path (sync/tr_file.c: a folder, written with a temporary name,
 * fsync and rename, so a crash never leaves a half file under the final
 * name), WebDAV over http(s) and S3 (sync/http.c, the only file that
 * includes <curl/curl.h>).  TLS verification is always on; plain http://
 * only with allow_http, and never with a token.
 */
#ifndef GU_HTTP_H
#define GU_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_URL_MAX 1024
#define HTTP_MSG_LEN 200
#define HTTP_STR_MAX 512 /* one option string, with the NUL */

/*
 * The transport options: one struct, embedded as is in the sync config
 * (config.h), so a new option is one member here and one row of the
 * config's key table.  Empty strings mean "not set".
 */
struct http_opts {
	char url[HTTP_STR_MAX];   /* base URL; a name is appended after '/' */
	char token[HTTP_STR_MAX]; /* device token; sent over https only */
	char token_header[HTTP_STR_MAX]; /* "Authorization: Bearer" if "" */
	char client_cert[HTTP_STR_MAX];  /* PEM file */
	char client_key[HTTP_STR_MAX];   /* PEM file */
	char ca_file[HTTP_STR_MAX];      /* extra CA bundle */
	char pinned_key[HTTP_STR_MAX];   /* "sha256//..." or a PEM file */
	char aws_sigv4[HTTP_STR_MAX];    /* "aws:amz:REGION:s3": the S3 row */
	char aws_user[HTTP_STR_MAX];     /* "ACCESS_KEY:SECRET" for SigV4 */
	long connect_timeout_s;
	long stall_s; /* abort when slower than stall_bytes/s this long */
	long stall_bytes;
	long timeout_s;  /* whole request; 0: none */
	long allow_http; /* 1: plain http:// allowed (never with a token) */
};

struct http_result {
	int rc;                /* GU_* class, GU_OK on evidence of success */
	long code;             /* HTTP status, 0 if none */
	int64_t retry_after_s; /* Retry-After of the answer, 0 if none */
	char msg[HTTP_MSG_LEN];
	char etag[HTTP_MSG_LEN]; /* the answer's ETag, "" if none */
};

/*
 * Called during a transfer with the body bytes sent so far; a nonzero
 * return aborts the transfer (GU_EUNREACH).  May be NULL.
 */
typedef int (*http_progress_fn)(void *arg, uint64_t sent, uint64_t total);

/* Once per process, before any other call. */
int http_global_init(void);

/*
 * The calls below pick the transport for o->url (transport.h) and call
 * it; an unknown scheme is GU_EINVAL.
 *
 * http_put: stores len bytes under base/name.  GU_OK only on an answer
 * that says the object was stored: 201 or 204, or 200 that is not an
 * HTML page (a captive portal answers every request 200 text/html);
 * 202 and other 2xx are not.  A refused redirect names where it pointed.
 */
int http_put(const struct http_opts *o, const char *name, const void *body,
    size_t len, http_progress_fn fn, void *arg, struct http_result *res);

/*
 * http_confirm: asks whether base/name is there with len bytes (a HEAD on
 * the connection of the PUT; S3: the ETag the PUT answered must match;
 * file://: the file's size).  put_res is the PUT's result.  GU_ESERVER
 * when the server said it stored the object but does not have it.
 */
int http_confirm(const struct http_opts *o, const char *name, size_t len,
    const struct http_result *put_res, struct http_result *res);

/*
 * http_send: several batches at once (at most HTTP_SEND_MAX): each is
 * PUT and then confirmed as http_put() and http_confirm() do, and the
 * transfers overlap where the transport can (WebDAV and S3: one
 * connection each, so the HEAD of a small batch runs while a large one
 * is still uploading, and no batch waits for another's round trips).
 * fn gets the body bytes sent of all and their total.  Each v[i].res
 * says how that batch went (GU_OK: stored and confirmed); returns GU_OK
 * if every one is, else the res.rc of the first that is not, in array
 * order.
 */
#define HTTP_SEND_MAX 4
struct http_send {
	const char *name; /* borrowed, as is body */
	const void *body;
	size_t len;
	uint64_t sent;          /* body bytes sent so far */
	struct http_result put; /* the PUT's answer */
	struct http_result res; /* the outcome */
};
int http_send(const struct http_opts *o, struct http_send *v, size_t n,
    http_progress_fn fn, void *arg);

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
 * *changed = 0.  404, or a transport without downloads (file://), is
 * GU_ENOTFOUND.  new_etag has HTTP_MSG_LEN bytes.
 */
int http_get_cond(const struct http_opts *o, const char *name, const char *etag,
    const char *path, size_t max_bytes, char *new_etag, int *changed,
    struct http_result *res);

/*
 * Resumable GET of base/name into the file at path (made with mode 0640
 * if missing), which holds the first bytes of it already: a file of N > 0
 * bytes asks for `Range: bytes=N-`; a 206 whose Content-Range starts at
 * N appends, a 200 starts the file again, any other answer writes
 * nothing.  The file never grows past max_bytes (GU_ETOOBIG) and is
 * fsynced.  *have is its length afterwards, whatever happened: a
 * transfer cut short keeps what came, for the next call to go on from.
 * *resumed is 1 when a 206 was taken.  fn (may be NULL) gets the bytes
 * received of this answer and its length (0 if not known yet); nonzero
 * stops the transfer (GU_EUNREACH, the file kept as it is).  GU_OK when
 * the answer ended (the
 * caller judges the length), GU_ENOTFOUND for 404, GU_ESERVER for a 206
 * from elsewhere, GU_EIO when the file cannot be written, else the
 * transfer's class.  http(s) only; the same TLS, token and allow_http
 * rules as every request.
 */
int http_get_range(const struct http_opts *o, const char *name,
    const char *path, uint64_t max_bytes, http_progress_fn fn, void *arg,
    uint64_t *have, int *resumed, struct http_result *res);

/*
 * WebDAV listing: PROPFIND with Depth: 1 of the collection o->url (a '/'
 * is added when it has none), asking for each member's resourcetype.  A
 * 207 answer's body is written to the file path (at most max_bytes):
 * GU_OK.  Another answer is its class (GU_EREFUSED for a 2xx that is not
 * 207, or a URL that is not http(s)), GU_ETOOBIG for a bigger body,
 * GU_EIO when path cannot be written; path is then removed.  The same
 * TLS, token and allow_http rules as every request.
 */
int http_propfind(const struct http_opts *o, const char *path, size_t max_bytes,
    struct http_result *res);

#endif
