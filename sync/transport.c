/*
 * transport.c: the table of upload transports and the calls of http.h
 * that dispatch to its rows (transport.h).
 */
#include <stdio.h>
#include <string.h>

#include "status.h"
#include "transport.h"

/* First match wins: S3 before WebDAV, which serves any http(s) URL. */
static const struct transport *const transports[] = {
    &transport_file,
    &transport_s3,
    &transport_webdav,
};

const struct transport *
transport_find(const struct http_opts *o)
{
	for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
		if (transports[i]->match(o))
			return transports[i];
	return NULL;
}

int
transport_join(const char *base, const char *name, char *out, size_t cap)
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

int
transport_res(
    struct http_result *res, int rc, long code, const char *fmt, const char *a)
{
	res->rc = rc;
	res->code = code;
	snprintf(res->msg, sizeof(res->msg), fmt, a);
	return rc;
}

static const struct transport *
pick(const struct http_opts *o, struct http_result *res)
{
	const struct transport *t;

	memset(res, 0, sizeof(*res));
	t = transport_find(o);
	if (t == NULL)
		transport_res(
		    res, GU_EINVAL, 0, "no transport for URL '%.150s'", o->url);
	return t;
}

int
http_put(const struct http_opts *o, const char *name, const void *body,
    size_t len, http_progress_fn fn, void *arg, struct http_result *res)
{
	const struct transport *t = pick(o, res);

	return t == NULL ? res->rc : t->put(o, name, body, len, fn, arg, res);
}

int
http_confirm(const struct http_opts *o, const char *name, size_t len,
    const struct http_result *put_res, struct http_result *res)
{
	const struct transport *t = pick(o, res);

	return t == NULL ? res->rc : t->confirm(o, name, len, put_res, res);
}

struct seq_progress {
	http_progress_fn fn;
	void *arg;
	struct http_send *v;
	size_t n, i;
};

static int
seq_progress_fn(void *arg, uint64_t sent, uint64_t total)
{
	struct seq_progress *sp = arg;
	uint64_t all = 0, sum = 0;

	(void) total;
	sp->v[sp->i].sent = sent;
	for (size_t k = 0; k < sp->n; k++) {
		sum += sp->v[k].sent;
		all += sp->v[k].len;
	}
	return sp->fn != NULL ? sp->fn(sp->arg, sum, all) : 0;
}

int
http_send(const struct http_opts *o, struct http_send *v, size_t n,
    http_progress_fn fn, void *arg)
{
	struct seq_progress sp = {fn, arg, v, n, 0};
	struct http_result res;
	const struct transport *t = pick(o, &res);
	int rc, first = GU_OK;

	for (size_t i = 0; i < n; i++) {
		v[i].sent = 0;
		v[i].res = res;
		memset(&v[i].put, 0, sizeof(v[i].put));
	}
	if (t == NULL)
		return res.rc;
	if (n > HTTP_SEND_MAX)
		return GU_ETOOBIG;
	if (t->send != NULL)
		return t->send(o, v, n, fn, arg);
	/* One after the other; after a failure the rest is not tried. */
	for (size_t i = 0; i < n; i++) {
		sp.i = i;
		if (first != GU_OK) {
			transport_res(&v[i].res, first, 0,
			    "not sent: the batch before it failed%s", "");
			continue;
		}
		rc = t->put(o, v[i].name, v[i].body, v[i].len, seq_progress_fn,
		    &sp, &v[i].put);
		v[i].res = v[i].put;
		if (rc == GU_OK)
			rc = t->confirm(
			    o, v[i].name, v[i].len, &v[i].put, &v[i].res);
		if (rc != GU_OK)
			first = rc;
	}
	return first;
}

int
http_probe(const struct http_opts *o, struct http_result *res)
{
	const struct transport *t = pick(o, res);

	return t == NULL ? res->rc : t->probe(o, res);
}

int
http_get_cond(const struct http_opts *o, const char *name, const char *etag,
    const char *path, size_t max_bytes, char *new_etag, int *changed,
    struct http_result *res)
{
	const struct transport *t = pick(o, res);

	*changed = 0;
	new_etag[0] = '\0';
	if (t == NULL)
		return res->rc;
	if (t->get_cond == NULL)
		return transport_res(
		    res, GU_ENOTFOUND, 0, "no downloads over %s", t->name);
	return t->get_cond(
	    o, name, etag, path, max_bytes, new_etag, changed, res);
}
