/*
 * http.c: PUT, probe and conditional GET over libcurl, and file:// done
 * by hand (http.h).  The only file that includes <curl/curl.h>.
 *
 * One easy handle is kept for the life of the process, so batches sent
 * one after another reuse the connection (and its TLS session).
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "sha256.h"
#include "status.h"

static CURL *http_h;

int
http_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return GU_ENOMEM;
	return GU_OK;
}

static int
is_file_url(const char *url)
{
	return strncmp(url, "file://", 7) == 0;
}

static int
join(const char *base, const char *name, char *out, size_t cap)
{
	size_t bl = strlen(base);
	int n;

	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	n = snprintf(
	    out, cap, "%.*s%s%s", (int) bl, base, name[0] ? "/" : "", name);
	if (n < 0 || (size_t) n >= cap)
		return GU_ETOOBIG;
	return GU_OK;
}

static int
res_set(
    struct http_result *res, int rc, long code, const char *fmt, const char *a)
{
	res->rc = rc;
	res->code = code;
	snprintf(res->msg, sizeof(res->msg), fmt, a);
	return rc;
}

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

/*
 * Sets what every request shares: TLS, auth, timeouts.  body, len: what
 * the request sends (NULL, 0: nothing), for the S3 payload hash.
 */
static int
setup(CURL *h, const struct http_opts *o, const char *url, const void *body,
    size_t len, struct curl_slist **hdrs)
{
	char line[512];
	int n, rc;

	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* http and https only: a redirect to anything else is refused. */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file && o->ca_file[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
	if (o->pinned_key && o->pinned_key[0])
		curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, o->pinned_key);
	if (o->client_cert && o->client_cert[0])
		curl_easy_setopt(h, CURLOPT_SSLCERT, o->client_cert);
	if (o->client_key && o->client_key[0])
		curl_easy_setopt(h, CURLOPT_SSLKEY, o->client_key);
	if (o->aws_sigv4 && o->aws_sigv4[0]) {
		curl_easy_setopt(h, CURLOPT_AWS_SIGV4, o->aws_sigv4);
		if (o->aws_user && o->aws_user[0])
			curl_easy_setopt(h, CURLOPT_USERPWD, o->aws_user);
		rc = aws_payload_hash(body, len, hdrs);
		if (rc != GU_OK)
			return rc;
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
	/*
	 * No 100-continue round trip: the body follows the headers.  Not
	 * with SigV4: libcurl 7.88 would sign the removed Expect header as
	 * empty, a signature S3 rejects; there the round trip stays.
	 */
	if (!(o->aws_sigv4 && o->aws_sigv4[0]))
		*hdrs = curl_slist_append(*hdrs, "Expect:");
	if (o->token && o->token[0]) {
		n = snprintf(line, sizeof(line), "%s %s",
		    o->token_header && o->token_header[0]
		        ? o->token_header
		        : "Authorization: Bearer",
		    o->token);
		if (n < 0 || (size_t) n >= sizeof(line))
			return GU_ETOOBIG;
		*hdrs = curl_slist_append(*hdrs, line);
	}
	if (*hdrs == NULL)
		return GU_ENOMEM;
	return GU_OK;
}

/* Runs the request and fills res. */
static int
perform(CURL *h, struct http_result *res, const struct peek *pk)
{
	char err[CURL_ERROR_SIZE] = "";
	curl_off_t ra = 0;
	long code = 0, os = 0;
	CURLcode cc;

	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os);
	if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
	    ra > 0)
		res->retry_after_s = (int64_t) ra;
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	res->code = code;
	if (cc == CURLE_OK && code > 0) {
		res->rc = http_class(code);
		if (client_cert_400(code, pk)) {
			res->rc = GU_EAUTH;
			snprintf(res->msg, sizeof(res->msg),
			    "the server wants a valid client certificate "
			    "(HTTP %ld)",
			    code);
		} else if (res->rc != GU_OK)
			snprintf(res->msg, sizeof(res->msg),
			    "the server answered HTTP %ld", code);
		return res->rc;
	}
	res->rc = curl_class(cc, os);
	if (res->rc != GU_ENET && tls_auth_alert(err))
		res->rc = GU_EAUTH;
	snprintf(res->msg, sizeof(res->msg), "%.190s",
	    err[0] ? err : curl_easy_strerror(cc));
	return res->rc;
}

static CURL *
handle(void)
{
	if (http_h == NULL)
		http_h = curl_easy_init();
	return http_h;
}

/* ---- file:// ---- */

static int
file_errno_class(int e)
{
	return e == ENOSPC || e == EDQUOT ? GU_EFULL : GU_EIO;
}

static int
file_put(const char *dir, const char *name, const void *body, size_t len,
    struct http_result *res)
{
	char path[HTTP_URL_MAX], tmp[HTTP_URL_MAX + 8];
	const uint8_t *p = body;
	int fd = -1, rc, dfd;
	ssize_t w;

	if (join(dir, name, path, sizeof(path)) != GU_OK ||
	    snprintf(tmp, sizeof(tmp), "%s.part", path) >= (int) sizeof(tmp))
		return res_set(res, GU_ETOOBIG, 0, "path too long%s", "");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t) w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void) fsync(dfd);
		close(dfd);
	}
	res->rc = GU_OK;
	return GU_OK;
fail:
	rc = file_errno_class(errno);
	res_set(res, rc, 0, "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	(void) unlink(tmp);
	return rc;
}

int
http_put(const struct http_opts *o, const char *name, const void *body,
    size_t len, http_progress_fn fn, void *arg, struct http_result *res)
{
	struct upload u = {.p = body, .len = len, .fn = fn, .arg = arg};
	struct peek pk = {.n = 0};
	struct curl_slist *hdrs = NULL;
	char url[HTTP_URL_MAX];
	CURL *h;
	int rc;

	memset(res, 0, sizeof(*res));
	if (is_file_url(o->url)) {
		rc = file_put(o->url + 7, name, body, len, res);
		if (rc == GU_OK && fn != NULL)
			fn(arg, len, len);
		return rc;
	}
	if (join(o->url, name, url, sizeof(url)) != GU_OK)
		return res_set(res, GU_ETOOBIG, 0, "URL too long%s", "");
	h = handle();
	if (h == NULL)
		return res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
	hdrs = curl_slist_append(hdrs, "Content-Type: application/gzip");
	rc = setup(h, o, url, body, len, &hdrs);
	if (rc != GU_OK) {
		curl_slist_free_all(hdrs);
		return res_set(res, rc, 0, "bad request options%s", "");
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t) len);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, seek_cb);
	curl_easy_setopt(h, CURLOPT_SEEKDATA, &u);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, peek_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &pk);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, xfer_cb);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &u);
	rc = perform(h, res, &pk);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	return rc;
}

int
http_probe(const struct http_opts *o, struct http_result *res)
{
	struct curl_slist *hdrs = NULL;
	CURL *h;
	int rc;

	memset(res, 0, sizeof(*res));
	if (is_file_url(o->url)) {
		if (access(o->url + 7, W_OK | X_OK) != 0)
			return res_set(res, file_errno_class(errno), 0,
			    "folder not writable: %s", strerror(errno));
		res->rc = GU_OK;
		return GU_OK;
	}
	h = handle();
	if (h == NULL)
		return res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
	rc = setup(h, o, o->url, NULL, 0, &hdrs);
	if (rc != GU_OK) {
		curl_slist_free_all(hdrs);
		return res_set(res, rc, 0, "bad request options%s", "");
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, peek_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	rc = perform(h, res, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	/* Any HTTP answer means the server is there. */
	if (res->code > 0 && rc != GU_OK && rc != GU_EAUTH) {
		res->rc = rc = GU_OK;
		res->msg[0] = '\0';
	}
	return rc;
}

struct hdr_etag {
	char *etag;
};

static size_t
header_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct hdr_etag *he = arg;
	size_t n = size * nmemb, k;

	if (n > 5 && strncasecmp(p, "ETag:", 5) == 0) {
		const char *v = p + 5;
		size_t vl = n - 5;

		while (vl > 0 && (*v == ' ' || *v == '\t'))
			v++, vl--;
		while (vl > 0 &&
		    (v[vl - 1] == '\r' || v[vl - 1] == '\n' ||
		        v[vl - 1] == ' '))
			vl--;
		k = vl < HTTP_MSG_LEN - 1 ? vl : HTTP_MSG_LEN - 1;
		memcpy(he->etag, v, k);
		he->etag[k] = '\0';
	}
	return n;
}

int
http_get_cond(const struct http_opts *o, const char *name, const char *etag,
    const char *path, size_t max_bytes, char *new_etag, int *changed,
    struct http_result *res)
{
	struct curl_slist *hdrs = NULL;
	struct download d = {.max = max_bytes};
	struct hdr_etag he = {.etag = new_etag};
	char url[HTTP_URL_MAX], tmp[HTTP_URL_MAX + 8], line[HTTP_MSG_LEN + 32];
	CURL *h;
	int rc;

	memset(res, 0, sizeof(*res));
	*changed = 0;
	new_etag[0] = '\0';
	if (is_file_url(o->url))
		return res_set(
		    res, GU_ENOTFOUND, 0, "no roster over file://%s", "");
	if (join(o->url, name, url, sizeof(url)) != GU_OK ||
	    snprintf(tmp, sizeof(tmp), "%s.part", path) >= (int) sizeof(tmp))
		return res_set(res, GU_ETOOBIG, 0, "URL too long%s", "");
	h = handle();
	if (h == NULL)
		return res_set(res, GU_ENOMEM, 0, "no curl handle%s", "");
	rc = setup(h, o, url, NULL, 0, &hdrs);
	if (rc == GU_OK && etag != NULL && etag[0]) {
		snprintf(line, sizeof(line), "If-None-Match: %s", etag);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (rc != GU_OK || hdrs == NULL) {
		curl_slist_free_all(hdrs);
		return res_set(res, GU_ENOMEM, 0, "bad request options%s", "");
	}
	d.f = fopen(tmp, "we");
	if (d.f == NULL) {
		curl_slist_free_all(hdrs);
		return res_set(res, GU_EIO, 0, "%s", strerror(errno));
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, save_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &d);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &he);
	rc = perform(h, res, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
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
