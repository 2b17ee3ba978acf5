/*
 * http.c: the WebDAV and S3 transports (transport.h) over libcurl: PUT,
 * its confirmation by HEAD, the probe and conditional GET.  The only file
 * that includes <curl/curl.h>.
 *
 * One easy handle is kept for the life of the process, so the PUT of a
 * batch, its HEAD and the batches after it reuse one connection (and its
 * TLS session): curl_easy_reset() keeps live connections.
 *
 * What counts as stored (issue 10): 201 or 204, or 200 when the answer is
 * not an HTML page; then a HEAD must find the object with the length sent
 * (S3: and the ETag the PUT answered).  A captive portal answering every
 * request 200 text/html, a server that says 200 and keeps nothing, and a
 * 202 all leave the cursor where it is.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "status.h"
#include "transport.h"

static CURL *http_h;

int
http_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return GU_ENOMEM;
	return GU_OK;
}

#define res_set transport_res
#define join transport_join

/* The class of an HTTP status; GU_OK for 2xx. */
static int
http_class(long code)
{
	if (code >= 200 && code < 300)
		return GU_OK;
	if (code == 401 || code == 403)
		return GU_EAUTH;
	if (code == 507 || code == 413)
		return GU_EFULL;
	if (code == 408 || code == 429 || code >= 500)
		return GU_ESERVER;
	return GU_EREFUSED;
}

/* The class of a transfer that got no HTTP answer. */
static int
curl_class(CURLcode cc, long os_errno)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return GU_ENET;
	case CURLE_COULDNT_CONNECT:
		if (os_errno == ENETUNREACH || os_errno == ENETDOWN ||
		    os_errno == EHOSTUNREACH || os_errno == EADDRNOTAVAIL)
			return GU_ENET;
		return GU_EUNREACH;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_LOGIN_DENIED:
		return GU_EAUTH;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return GU_ESERVER;
	default:
		return GU_EUNREACH;
	}
}

struct upload {
	const uint8_t *p;
	size_t len, off;
	http_progress_fn fn;
	void *arg;
};

static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(dst, u->p + u->off, n);
	u->off += n;
	return n;
}

static int
seek_cb(void *arg, curl_off_t off, int origin)
{
	struct upload *u = arg;

	if (origin != SEEK_SET || off < 0 || (size_t) off > u->len)
		return CURL_SEEKFUNC_FAIL;
	u->off = (size_t) off;
	return CURL_SEEKFUNC_OK;
}

static int
xfer_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct upload *u = arg;

	(void) dt;
	(void) dn;
	(void) ut;
	if (u->fn == NULL)
		return 0;
	return u->fn(u->arg, (uint64_t) un, (uint64_t) u->len) != 0;
}

/* The start of a response body, kept to tell why a server said 400. */
struct peek {
	char b[160];
	size_t n;
};

static size_t
peek_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct peek *pk = arg;
	size_t n = size * nmemb, k;

	if (pk != NULL && pk->n < sizeof(pk->b) - 1) {
		k = sizeof(pk->b) - 1 - pk->n;
		if (k > n)
			k = n;
		memcpy(pk->b + pk->n, p, k);
		pk->n += k;
		pk->b[pk->n] = '\0';
	}
	return n;
}

/*
 * A server that wants a client certificate and got none (or a bad one)
 * says so either with a TLS alert (the handshake fails) or, as nginx does
 * with ssl_verify_client on, with a 400 whose body names the certificate.
 * Both are authentication failures, not a refusal of the batch.
 */
static int
tls_auth_alert(const char *err)
{
	return strstr(err, "alert certificate") != NULL ||
	    strstr(err, "alert bad certificate") != NULL ||
	    strstr(err, "alert unknown ca") != NULL ||
	    strstr(err, "alert access denied") != NULL;
}

static int
client_cert_400(long code, const struct peek *pk)
{
	return code == 400 && pk != NULL && pk->n > 0 &&
	    strstr(pk->b, "SSL certificate") != NULL;
}

struct download {
	FILE *f;
	size_t n, max;
	int too_big;
};

static size_t
save_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct download *d = arg;
	size_t n = size * nmemb;

	if (d->f == NULL)
		return n;
	if (d->n + n > d->max) {
		d->too_big = 1;
		return 0;
	}
	d->n += n;
	return fwrite(p, 1, n, d->f) == n ? n : 0;
}

/*
 * S3 wants the body's SHA-256 in x-amz-content-sha256 (and signed);
 * libcurl 7.88 neither sends nor signs it, so it is added here and
 * libcurl signs every x-amz-* header it is given.
 */
static int
aws_payload_hash(const void *body, size_t len, struct curl_slist **hdrs)
{
	static const char hexd[] = "0123456789abcdef";
	uint8_t h[SHA256_LEN];
	char line[40 + 2 * SHA256_LEN + 1];
	int n;

	sha256(h, body != NULL ? body : "", body != NULL ? len : 0);
	n = snprintf(line, sizeof(line), "x-amz-content-sha256: ");
	if (n < 0 || (size_t) n + 2 * SHA256_LEN >= sizeof(line))
		return GU_ETOOBIG;
	for (size_t i = 0; i < SHA256_LEN; i++) {
		line[n + 2 * i] = hexd[h[i] >> 4];
		line[n + 2 * i + 1] = hexd[h[i] & 15];
	}
	line[n + 2 * SHA256_LEN] = '\0';
	*hdrs = curl_slist_append(*hdrs, line);
	return *hdrs != NULL ? GU_OK : GU_ENOMEM;
}

/* The answer's headers a transport looks at. */
struct hdrs_seen {
	char etag[HTTP_MSG_LEN];
	char range[64]; /* Content-Range's value, "" if none */
};

/* The value of the header line p (n bytes) after its name of kl bytes. */
static void
header_value(const char *p, size_t n, size_t kl, char *out, size_t cap)
{
	const char *v = p + kl;
	size_t vl = n - kl, k;

	while (vl > 0 && (*v == ' ' || *v == '\t'))
		v++, vl--;
	while (vl > 0 &&
	    (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
		vl--;
	k = vl < cap - 1 ? vl : cap - 1;
	memcpy(out, v, k);
	out[k] = '\0';
}

static size_t
header_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct hdrs_seen *hs = arg;
	size_t n = size * nmemb;

	/* A new status line (after a 100 Continue): forget the last. */
	if (n > 5 && strncmp(p, "HTTP/", 5) == 0)
		hs->etag[0] = hs->range[0] = '\0';
	if (n > 5 && strncasecmp(p, "ETag:", 5) == 0)
		header_value(p, n, 5, hs->etag, sizeof(hs->etag));
	if (n > 14 && strncasecmp(p, "Content-Range:", 14) == 0)
		header_value(p, n, 14, hs->range, sizeof(hs->range));
	return n;
}

static int
is_plain_http(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0;
}

/*
 * Sets what every request shares: TLS, auth, timeouts.  body, len: what
 * the request sends (NULL, 0: nothing), for the S3 payload hash.
 * GU_EREFUSED (with why in res) for plain http:// without allow_http,
 * and for a token over plain http:// whatever allow_http says.
 */
static int
setup(CURL *h, const struct http_opts *o, const char *url, const void *body,
    size_t len, struct curl_slist **hdrs, struct hdrs_seen *hs,
    struct http_result *res)
{
	char line[512];
	int n, rc;

	if (is_plain_http(url) && o->token[0] != '\0')
		return res_set(res, GU_EREFUSED, 0,
		    "a token is never sent over plain http://%s", "");
	if (is_plain_http(url) && !o->allow_http)
		return res_set(res, GU_EREFUSED, 0,
		    "plain http:// is refused (set allow_http = yes)%s", "");
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* http and https only: a redirect to anything else is refused. */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
	if (o->pinned_key[0])
		curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, o->pinned_key);
	if (o->client_cert[0])
		curl_easy_setopt(h, CURLOPT_SSLCERT, o->client_cert);
	if (o->client_key[0])
		curl_easy_setopt(h, CURLOPT_SSLKEY, o->client_key);
	if (o->aws_sigv4[0]) {
		curl_easy_setopt(h, CURLOPT_AWS_SIGV4, o->aws_sigv4);
		if (o->aws_user[0])
			curl_easy_setopt(h, CURLOPT_USERPWD, o->aws_user);
		rc = aws_payload_hash(body, len, hdrs);
		if (rc != GU_OK)
			return res_set(res, rc, 0, "bad request options%s", "");
	}
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
	    o->connect_timeout_s > 0 ? o->connect_timeout_s : 10L);
	if (o->stall_s > 0) {
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->stall_s);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT,
		    o->stall_bytes > 0 ? o->stall_bytes : 1L);
	}
	if (o->timeout_s > 0)
		curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout_s);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "guanai-sync/1");
	/* Small writes go out at once (the HEAD after a PUT, the headers). */
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	if (hs != NULL) {
		hs->etag[0] = hs->range[0] = '\0';
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, hs);
	}
	/*
	 * No 100-continue round trip: the body follows the headers.  Not
	 * with SigV4: libcurl 7.88 would sign the removed Expect header as
	 * empty, a signature S3 rejects; there the round trip stays.
	 */
	if (!o->aws_sigv4[0])
		*hdrs = curl_slist_append(*hdrs, "Expect:");
	if (o->token[0]) {
		n = snprintf(line, sizeof(line), "%s %s",
		    o->token_header[0] ? o->token_header
		                       : "Authorization: Bearer",
		    o->token);
		if (n < 0 || (size_t) n >= sizeof(line))
			return res_set(
			    res, GU_ETOOBIG, 0, "token too long%s", "");
		*hdrs = curl_slist_append(*hdrs, line);
	}
	if (*hdrs == NULL)
		return res_set(res, GU_ENOMEM, 0, "out of memory%s", "");
	return GU_OK;
}

/* The answer is a web page (a captive portal's, a login form). */
static int
answer_is_html(CURL *h)
{
	char *ct = NULL;

	if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) != CURLE_OK ||
	    ct == NULL)
		return 0;
	return strncasecmp(ct, "text/html", 9) == 0 ||
	    strncasecmp(ct, "application/xhtml", 17) == 0;
}

/* What a finished transfer on h (curl code cc, message err) says. */
static int
result_of(CURL *h, CURLcode cc, const char *err, struct http_result *res,
    const struct peek *pk)
{
	char *loc = NULL;
	curl_off_t ra = 0;
	long code = 0, os = 0;

	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os);
	if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
	    ra > 0)
		res->retry_after_s = (int64_t) ra;
	res->code = code;
	if (cc == CURLE_OK && code > 0) {
		res->rc = http_class(code);
		if (client_cert_400(code, pk)) {
			res->rc = GU_EAUTH;
			snprintf(res->msg, sizeof(res->msg),
			    "the server wants a valid client certificate "
			    "(HTTP %ld)",
			    code);
		} else if (code >= 300 && code < 400 &&
		    curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc) ==
		        CURLE_OK &&
		    loc != NULL) {
			/* Never followed: a portal's login page, a move. */
			res->rc = GU_EREFUSED;
			snprintf(res->msg, sizeof(res->msg),
			    "the server answered HTTP %ld, a redirect to "
			    "%.120s (not followed)",
			    code, loc);
		} else if (code >= 200 && code < 300 && answer_is_html(h)) {
			res->rc = GU_ENET;
			snprintf(res->msg, sizeof(res->msg),
			    "HTTP %ld with a web page instead of the server's "
			    "answer (a captive portal? log the network in)",
			    code);
		} else if (res->rc != GU_OK)
			snprintf(res->msg, sizeof(res->msg),
			    "the server answered HTTP %ld", code);
		return res->rc;
	}
	if (code > 0 && cc == CURLE_OPERATION_TIMEDOUT) {
		/* It answered, then nothing: a stall, not unreachable. */
		res->rc = GU_ESERVER;
		snprintf(res->msg, sizeof(res->msg),
		    "the server answered HTTP %ld and then stalled: %.120s",
		    code, err[0] ? err : curl_easy_strerror(cc));
		return res->rc;
	}
	res->rc = curl_class(cc, os);
	if (res->rc != GU_ENET && tls_auth_alert(err))
		res->rc = GU_EAUTH;
	snprintf(res->msg, sizeof(res->msg), "%.190s",
	    err[0] ? err : curl_easy_strerror(cc));
	return res->rc;
}

/* Runs the request and fills res. */
static int
perform(CURL *h, struct http_result *res, const struct peek *pk)
{
	char err[CURL_ERROR_SIZE] = "";
	CURLcode cc;

	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	cc = curl_easy_perform(h);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	return result_of(h, cc, err, res, pk);
}

static CURL *
handle(void)
{
	if (http_h == NULL)
		http_h = curl_easy_init();
	return http_h;
}

static int
web_match(const struct http_opts *o)
{
	return strncasecmp(o->url, "http://", 7) == 0 ||
	    strncasecmp(o->url, "https://", 8) == 0;
}

static int
s3_match(const struct http_opts *o)
{
	return web_match(o) && o->aws_sigv4[0] != '\0';
}

/*
 * One request of a transfer (a PUT or the HEAD that confirms it), with
 * everything libcurl points into while it runs.
 */
struct xfer {
	CURL *h;
	struct upload u;
	struct peek pk;
	struct hdrs_seen hs;
	struct curl_slist *hdrs;
	char url[HTTP_URL_MAX];
	char err[CURL_ERROR_SIZE];
};

static void
xfer_done(struct xfer *x)
{
	if (x->h != NULL) {
		curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, NULL);
		curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, NULL);
	}
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
}

/* Sets h up to PUT body as base/name.  On error res says why. */
static int
put_begin(struct xfer *x, CURL *h, const struct http_opts *o, const char *name,
    const void *body, size_t len, http_progress_fn fn, void *arg,
    struct http_result *res)
{
	int rc;

	memset(res, 0, sizeof(*res));
	x->h = h;
	x->u = (struct upload){.p = body, .len = len, .fn = fn, .arg = arg};
	x->pk.n = 0;
	x->hdrs = NULL;
	x->err[0] = '\0';
	if (join(o->url, name, x->url, sizeof(x->url)) != GU_OK)
		return res_set(res, GU_ETOOBIG, 0, "URL too long%s", "");
	x->hdrs = curl_slist_append(x->hdrs, "Content-Type: application/gzip");
	rc = setup(h, o, x->url, body, len, &x->hdrs, &x->hs, res);
	if (rc != GU_OK)
		return rc;
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->err);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t) len);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &x->u);
	curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, seek_cb);
	curl_easy_setopt(h, CURLOPT_SEEKDATA, &x->u);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, peek_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x->pk);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, xfer_cb);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x->u);
	return GU_OK;
}

/*
 * The PUT's outcome.  Evidence of storage: 201, 204, or 200 that is not
 * a web page (result_of() has already turned an HTML page into GU_ENET);
 * S3 answers 200 with an ETag, and without one it is not S3 that
 * answered.
 */
static int
put_end(struct xfer *x, const struct http_opts *o, CURLcode cc,
    struct http_result *res)
{
	int rc = result_of(x->h, cc, x->err, res, &x->pk);

	xfer_done(x);
	snprintf(res->etag, sizeof(res->etag), "%s", x->hs.etag);
	if (rc == GU_OK && res->code != 200 && res->code != 201 &&
	    res->code != 204) {
		res->rc = rc = GU_ESERVER;
		snprintf(res->msg, sizeof(res->msg),
		    "the server answered HTTP %ld, which does not say the "
		    "batch was stored",
		    res->code);
	}
	if (rc == GU_OK && o->aws_sigv4[0] && x->hs.etag[0] == '\0') {
		res->rc = rc = GU_ESERVER;
		snprintf(res->msg, sizeof(res->msg),
		    "HTTP %ld without an ETag: not an S3 store's answer",
		    res->code);
	}
	return rc;
}

/* Sets h up for the HEAD of base/name. */
static int
head_begin(struct xfer *x, CURL *h, const struct http_opts *o, const char *name,
    struct http_result *res)
{
	int rc;

	memset(res, 0, sizeof(*res));
	x->h = h;
	x->hdrs = NULL;
	x->err[0] = '\0';
	if (join(o->url, name, x->url, sizeof(x->url)) != GU_OK)
		return res_set(res, GU_ETOOBIG, 0, "URL too long%s", "");
	rc = setup(h, o, x->url, NULL, 0, &x->hdrs, &x->hs, res);
	if (rc != GU_OK)
		return rc;
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->err);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, peek_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	return GU_OK;
}

/*
 * The HEAD's outcome: the object must be there (200, not a web page)
 * with exactly len bytes; on S3 with the ETag the PUT answered.
 */
static int
head_end(struct xfer *x, const struct http_opts *o, CURLcode cc, size_t len,
    const struct http_result *put_res, struct http_result *res)
{
	curl_off_t cl = -1;
	int rc = result_of(x->h, cc, x->err, res, NULL);

	if (curl_easy_getinfo(x->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) !=
	    CURLE_OK)
		cl = -1;
	xfer_done(x);
	snprintf(res->etag, sizeof(res->etag), "%s", x->hs.etag);
	if (res->code == 404 || res->code == 410 ||
	    (rc == GU_OK && res->code != 200)) {
		res->rc = GU_ESERVER;
		snprintf(res->msg, sizeof(res->msg),
		    "the server said the batch was stored, but a HEAD of it "
		    "answered HTTP %ld",
		    res->code);
		return res->rc;
	}
	if (rc != GU_OK)
		return rc;
	if (cl < 0 || (uint64_t) cl != (uint64_t) len) {
		res->rc = GU_ESERVER;
		snprintf(res->msg, sizeof(res->msg),
		    "the server said the batch was stored, but holds %" PRId64
		    " bytes of %zu",
		    (int64_t) cl, len);
		return res->rc;
	}
	if (o->aws_sigv4[0] &&
	    (x->hs.etag[0] == '\0' || put_res == NULL ||
	        strcmp(x->hs.etag, put_res->etag) != 0)) {
		res->rc = GU_ESERVER;
		snprintf(res->msg, sizeof(res->msg),
		    "the stored object's ETag %.60s is not the PUT's %.60s",
		    x->hs.etag[0] ? x->hs.etag : "(none)",
		    put_res != NULL && put_res->etag[0] ? put_res->etag
		                                        : "(none)");
		return res->rc;
	}
	return GU_OK;
}

static int
web_put(const struct http_opts *o, const char *name, const void *body,
    size_t len, http_progress_fn fn, void *arg, struct http_result *res)
{
	struct xfer x;
	CURL *h = handle();
	int rc;

	if (h == NULL)
		return res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
	rc = put_begin(&x, h, o, name, body, len, fn, arg, res);
	if (rc != GU_OK) {
		xfer_done(&x);
		return rc;
	}
	return put_end(&x, o, curl_easy_perform(h), res);
}

/* HEAD of the object just PUT, on the same connection. */
static int
web_confirm(const struct http_opts *o, const char *name, size_t len,
    const struct http_result *put_res, struct http_result *res)
{
	struct xfer x;
	CURL *h = handle();
	int rc;

	if (h == NULL)
		return res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
	rc = head_begin(&x, h, o, name, res);
	if (rc != GU_OK) {
		xfer_done(&x);
		return rc;
	}
	return head_end(&x, o, curl_easy_perform(h), len, put_res, res);
}

/* ---- several at once: the multi interface ---- */

static CURLM *http_m;
static CURL *par_h[HTTP_SEND_MAX];

struct par_all;

struct par {
	struct xfer x;
	struct http_send *v;
	struct par_all *all;
	int state; /* PAR_PUT, PAR_HEAD running; PAR_DONE */
};

enum { PAR_PUT, PAR_HEAD, PAR_DONE };

struct par_all {
	struct par p[HTTP_SEND_MAX];
	size_t n;
	http_progress_fn fn;
	void *arg;
};

static int
par_progress(void *arg, uint64_t sent, uint64_t total)
{
	struct par *p = arg;
	struct par_all *a = p->all;
	uint64_t sum = 0, all = 0;

	(void) total;
	p->v->sent = sent;
	for (size_t i = 0; i < a->n; i++) {
		sum += a->p[i].v->sent;
		all += a->p[i].v->len;
	}
	return a->fn != NULL ? a->fn(a->arg, sum, all) : 0;
}

/* A transfer of p ended with cc: its next step, or done. */
static void
par_next(struct par *p, const struct http_opts *o, CURLcode cc)
{
	struct http_send *v = p->v;
	CURL *h = p->x.h;

	if (p->state == PAR_PUT) {
		v->res = v->put;
		if (put_end(&p->x, o, cc, &v->put) == GU_OK &&
		    head_begin(&p->x, h, o, v->name, &v->res) == GU_OK &&
		    curl_multi_add_handle(http_m, h) == CURLM_OK) {
			p->state = PAR_HEAD;
			return;
		}
		if (v->put.rc != GU_OK)
			v->res = v->put;
		else if (v->res.rc == GU_OK)
			/* The HEAD could not be started: no evidence. */
			res_set(&v->res, GU_ENOMEM, 0,
			    "cannot start the confirmation%s", "");
		xfer_done(&p->x);
		p->state = PAR_DONE;
		return;
	}
	(void) head_end(&p->x, o, cc, v->len, &v->put, &v->res);
	p->state = PAR_DONE;
}

/*
 * Every PUT on a connection of its own at once; as each is answered, its
 * HEAD follows on that connection while the others still run.  One
 * thread: libcurl's multi interface, polled here until all are done.
 */
static int
web_send(const struct http_opts *o, struct http_send *v, size_t n,
    http_progress_fn fn, void *arg)
{
	struct par_all *a;
	size_t left = 0;
	int rc = GU_OK;

	if (http_m == NULL)
		http_m = curl_multi_init();
	a = calloc(1, sizeof(*a));
	if (http_m == NULL || a == NULL) {
		free(a);
		for (size_t i = 0; i < n; i++)
			res_set(&v[i].res, GU_ENOMEM, 0, "out of memory%s", "");
		return GU_ENOMEM;
	}
	a->n = n;
	a->fn = fn;
	a->arg = arg;
	for (size_t i = 0; i < n; i++) {
		struct par *p = &a->p[i];

		p->v = &v[i];
		p->all = a;
		p->state = PAR_DONE;
		if (par_h[i] == NULL)
			par_h[i] = curl_easy_init();
		if (par_h[i] == NULL) {
			res_set(
			    &v[i].res, GU_ENOMEM, 0, "no curl handle%s", "");
			continue;
		}
		if (put_begin(&p->x, par_h[i], o, v[i].name, v[i].body,
		        v[i].len, par_progress, p, &v[i].put) != GU_OK ||
		    curl_multi_add_handle(http_m, par_h[i]) != CURLM_OK) {
			if (v[i].put.rc == GU_OK)
				res_set(&v[i].put, GU_ENOMEM, 0,
				    "cannot start the transfer%s", "");
			v[i].res = v[i].put;
			xfer_done(&p->x);
			continue;
		}
		p->state = PAR_PUT;
		left++;
	}
	while (left > 0) {
		struct CURLMsg *msg;
		int running = 0, q;

		if (curl_multi_perform(http_m, &running) != CURLM_OK)
			break;
		while ((msg = curl_multi_info_read(http_m, &q)) != NULL) {
			CURL *h = msg->easy_handle;
			CURLcode cc = msg->data.result;
			struct par *p = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			for (size_t i = 0; i < n; i++)
				if (a->p[i].x.h == h &&
				    a->p[i].state != PAR_DONE)
					p = &a->p[i];
			curl_multi_remove_handle(http_m, h);
			if (p == NULL)
				continue;
			par_next(p, o, cc);
			if (p->state == PAR_DONE)
				left--;
		}
		if (left > 0 &&
		    curl_multi_poll(http_m, NULL, 0, 1000, NULL) != CURLM_OK)
			break;
	}
	/* Only after a multi error: whatever still runs is abandoned. */
	for (size_t i = 0; i < n; i++) {
		struct par *p = &a->p[i];

		if (p->state == PAR_DONE)
			continue;
		curl_multi_remove_handle(http_m, p->x.h);
		xfer_done(&p->x);
		res_set(&v[i].res, GU_ENOMEM, 0, "transfer abandoned%s", "");
	}
	for (size_t i = 0; i < n; i++)
		if (rc == GU_OK && v[i].res.rc != GU_OK)
			rc = v[i].res.rc;
	free(a);
	return rc;
}

static int
web_probe(const struct http_opts *o, struct http_result *res)
{
	struct curl_slist *hdrs = NULL;
	CURL *h;
	int rc;

	memset(res, 0, sizeof(*res));
	h = handle();
	if (h == NULL)
		return res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
	rc = setup(h, o, o->url, NULL, 0, &hdrs, NULL, res);
	if (rc != GU_OK) {
		curl_slist_free_all(hdrs);
		return rc;
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, peek_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	rc = perform(h, res, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	/*
	 * Any HTTP answer means the server is there (a redirect too: nginx
	 * sends a folder's URL to its slash form); but a web page instead
	 * of it is a portal's, and that is not.
	 */
	if (res->code > 0 && rc != GU_OK && rc != GU_EAUTH && rc != GU_ENET) {
		res->rc = rc = GU_OK;
		res->msg[0] = '\0';
	}
	return rc;
}

static int
web_get_cond(const struct http_opts *o, const char *name, const char *etag,
    const char *path, size_t max_bytes, char *new_etag, int *changed,
    struct http_result *res)
{
	struct curl_slist *hdrs = NULL;
	struct download d = {.max = max_bytes};
	struct hdrs_seen hs;
	char url[HTTP_URL_MAX], tmp[HTTP_URL_MAX + 8], line[HTTP_MSG_LEN + 32];
	CURL *h;
	int rc;

	memset(res, 0, sizeof(*res));
	*changed = 0;
	new_etag[0] = '\0';
	if (join(o->url, name, url, sizeof(url)) != GU_OK ||
	    snprintf(tmp, sizeof(tmp), "%s.part", path) >= (int) sizeof(tmp))
		return res_set(res, GU_ETOOBIG, 0, "URL too long%s", "");
	h = handle();
	if (h == NULL)
		return res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
	rc = setup(h, o, url, NULL, 0, &hdrs, &hs, res);
	if (rc != GU_OK) {
		curl_slist_free_all(hdrs);
		return rc;
	}
	if (etag != NULL && etag[0]) {
		snprintf(line, sizeof(line), "If-None-Match: %s", etag);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (hdrs == NULL)
		return res_set(res, GU_ENOMEM, 0, "bad request options%s", "");
	d.f = fopen(tmp, "we");
	if (d.f == NULL) {
		curl_slist_free_all(hdrs);
		return res_set(res, GU_EIO, 0, "%s", strerror(errno));
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, save_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &d);
	rc = perform(h, res, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	snprintf(new_etag, HTTP_MSG_LEN, "%s", hs.etag);
	if (fclose(d.f) != 0 && rc == GU_OK)
		rc = res_set(res, GU_EIO, 0, "%s", strerror(errno));
	if (d.too_big)
		rc = res_set(res, GU_ETOOBIG, 0, "roster file too big%s", "");
	if (rc == GU_OK && res->code == 200) {
		if (rename(tmp, path) != 0)
			return res_set(res, GU_EIO, 0, "%s", strerror(errno));
		*changed = 1;
		return GU_OK;
	}
	(void) unlink(tmp);
	if (res->code == 304) {
		res->rc = GU_OK;
		res->msg[0] = '\0';
		return GU_OK;
	}
	if (res->code == 404)
		return res_set(res, GU_ENOTFOUND, 404, "no roster file%s", "");
	return rc == GU_OK
	    ? res_set(res, GU_EREFUSED, res->code, "unexpected answer%s", "")
	    : rc;
}

/* A ranged download's file and what its answer turned out to be. */
struct ranged {
	CURL *h;
	int fd;
	uint64_t have, max; /* bytes in the file; its bound */
	const struct hdrs_seen *hs;
	int decided; /* the status was looked at (first body bytes) */
	int take;    /* 1: the body goes into the file */
	int resumed; /* a 206 from have on */
	int too_big, bad_range, io;
	http_progress_fn fn; /* nonzero: stop (NULL: never) */
	void *fn_arg;
};

/*
 * At the first body bytes: a 206 must start where the file ends
 * ("bytes HAVE-"), a 200 starts the file again, anything else (an error
 * page) is not written.
 */
static int
ranged_decide(struct ranged *r)
{
	char want[40];
	long code = 0;

	r->decided = 1;
	curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &code);
	if (code == 206) {
		snprintf(want, sizeof(want), "bytes %llu-",
		    (unsigned long long) r->have);
		if (strncmp(r->hs->range, want, strlen(want)) != 0) {
			r->bad_range = 1;
			return 0;
		}
		r->take = r->resumed = 1;
		return 1;
	}
	if (code == 200) {
		if (ftruncate(r->fd, 0) != 0) {
			r->io = 1;
			return 0;
		}
		r->have = 0;
		r->take = 1;
	}
	return 1;
}

/* The caller's word on going on, with the bytes received so far. */
static int
ranged_xfer_cb(
    void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct ranged *r = arg;

	(void) ut;
	(void) un;
	if (r->fn == NULL)
		return 0;
	return r->fn(r->fn_arg, (uint64_t) dn, (uint64_t) (dt > 0 ? dt : 0)) !=
	    0;
}

static size_t
ranged_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct ranged *r = arg;
	size_t n = size * nmemb, done = 0;
	ssize_t w;

	if (!r->decided && !ranged_decide(r))
		return 0;
	if (!r->take)
		return n;
	if (r->have + n > r->max) {
		r->too_big = 1;
		return 0;
	}
	while (done < n) {
		w = write(r->fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			r->io = 1;
			return 0;
		}
		done += (size_t) w;
		r->have += (uint64_t) w;
	}
	return n;
}

int
http_get_range(const struct http_opts *o, const char *name, const char *path,
    uint64_t max_bytes, http_progress_fn fn, void *arg, uint64_t *have,
    int *resumed, struct http_result *res)
{
	struct curl_slist *hdrs = NULL;
	struct hdrs_seen hs;
	struct ranged r = {
	    .max = max_bytes, .hs = &hs, .fd = -1, .fn = fn, .fn_arg = arg};
	char url[HTTP_URL_MAX], line[64];
	struct stat st;
	int rc;

	memset(res, 0, sizeof(*res));
	*resumed = 0;
	if (!web_match(o))
		return res_set(res, GU_EREFUSED, 0,
		    "a download needs an http(s) URL%s", "");
	if (join(o->url, name, url, sizeof(url)) != GU_OK)
		return res_set(res, GU_ETOOBIG, 0, "URL too long%s", "");
	r.fd = open(
	    path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (r.fd < 0 || fstat(r.fd, &st) != 0) {
		rc = res_set(res, GU_EIO, 0, "%s", strerror(errno));
		goto out;
	}
	r.have = (uint64_t) st.st_size;
	r.h = handle();
	if (r.h == NULL) {
		rc = res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
		goto out;
	}
	rc = setup(r.h, o, url, NULL, 0, &hdrs, &hs, res);
	if (rc != GU_OK)
		goto out;
	if (r.have > 0) {
		/* Goes on where the last download was cut. */
		snprintf(
		    line, sizeof(line), "%llu-", (unsigned long long) r.have);
		curl_easy_setopt(r.h, CURLOPT_RANGE, line);
	}
	curl_easy_setopt(r.h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(r.h, CURLOPT_WRITEFUNCTION, ranged_cb);
	curl_easy_setopt(r.h, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(r.h, CURLOPT_XFERINFOFUNCTION, ranged_xfer_cb);
	curl_easy_setopt(r.h, CURLOPT_XFERINFODATA, &r);
	curl_easy_setopt(r.h, CURLOPT_NOPROGRESS, 0L);
	rc = perform(r.h, res, NULL);
	curl_easy_setopt(r.h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(r.h, CURLOPT_RANGE, NULL);
	if (!r.decided && (res->code == 200 || res->code == 206))
		(void) ranged_decide(&r); /* an empty body */
	snprintf(line, sizeof(line), "%llu",
	    (unsigned long long) (r.too_big ? max_bytes : r.have));
	if (r.too_big)
		rc = res_set(res, GU_ETOOBIG, res->code,
		    "more than the %s bytes announced", line);
	else if (r.bad_range)
		rc = res_set(res, GU_ESERVER, res->code,
		    "a 206 that does not go on from byte %s", line);
	else if (r.io)
		rc = res_set(res, GU_EIO, 0, "%s", strerror(errno));
	else if (rc == GU_OK && !r.take) {
		snprintf(line, sizeof(line), "%ld", res->code);
		rc = res_set(res, GU_EREFUSED, res->code,
		    "the server answered HTTP %s", line);
	} else if (res->code == 404)
		rc = res_set(res, GU_ENOTFOUND, 404, "not on the server%s", "");
	if (r.fd >= 0 && fsync(r.fd) != 0 && rc == GU_OK)
		rc = res_set(res, GU_EIO, 0, "%s", strerror(errno));
	*resumed = r.resumed;
out:
	curl_slist_free_all(hdrs);
	*have = r.have;
	if (r.fd >= 0)
		close(r.fd);
	return rc;
}

/*
 * PROPFIND Depth: 1 (http.h).  Only resourcetype is asked for: the names
 * are in the hrefs, and a folder says so by its trailing '/'.
 */
int
http_propfind(const struct http_opts *o, const char *path, size_t max_bytes,
    struct http_result *res)
{
	static const char body[] =
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:resourcetype/>"
	    "</D:prop></D:propfind>\n";
	struct curl_slist *hdrs = NULL;
	struct download d = {.max = max_bytes};
	char url[HTTP_URL_MAX];
	size_t n = strlen(o->url);
	CURL *h;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!web_match(o))
		return res_set(
		    res, GU_EREFUSED, 0, "PROPFIND needs an http(s) URL%s", "");
	if (snprintf(url, sizeof(url), "%s%s", o->url,
	        n > 0 && o->url[n - 1] == '/' ? "" : "/") >= (int) sizeof(url))
		return res_set(res, GU_ETOOBIG, 0, "URL too long%s", "");
	h = handle();
	if (h == NULL)
		return res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
	rc = setup(h, o, url, body, sizeof(body) - 1, &hdrs, NULL, res);
	if (rc == GU_OK) {
		hdrs = curl_slist_append(hdrs, "Depth: 1");
		if (hdrs != NULL)
			hdrs = curl_slist_append(hdrs,
			    "Content-Type: application/xml; charset=utf-8");
		if (hdrs == NULL)
			rc = res_set(res, GU_ENOMEM, 0, "out of memory%s", "");
	}
	if (rc == GU_OK && (d.f = fopen(path, "we")) == NULL)
		rc = res_set(res, GU_EIO, 0, "%s", strerror(errno));
	if (rc != GU_OK) {
		curl_slist_free_all(hdrs);
		return rc;
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PROPFIND");
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long) (sizeof(body) - 1));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, save_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &d);
	rc = perform(h, res, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_slist_free_all(hdrs);
	if (fclose(d.f) != 0 && rc == GU_OK)
		rc = res_set(res, GU_EIO, 0, "%s", strerror(errno));
	if (d.too_big)
		rc = res_set(res, GU_ETOOBIG, 0, "listing too big%s", "");
	if (rc == GU_OK && res->code != 207) {
		char c[24];

		snprintf(c, sizeof(c), "%ld", res->code);
		rc = res_set(res, GU_EREFUSED, res->code,
		    "the server answered HTTP %s, not 207 Multi-Status", c);
	}
	if (rc != GU_OK)
		(void) unlink(path);
	return rc;
}

const struct transport transport_webdav = {
    .name = "webdav",
    .match = web_match,
    .probe = web_probe,
    .put = web_put,
    .confirm = web_confirm,
    .send = web_send,
    .get_cond = web_get_cond,
};

/* S3 differs in what the PUT and the HEAD must answer (an ETag). */
const struct transport transport_s3 = {
    .name = "s3",
    .match = s3_match,
    .probe = web_probe,
    .put = web_put,
    .confirm = web_confirm,
    .send = web_send,
    .get_cond = web_get_cond,
};
