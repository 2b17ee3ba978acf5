/*
 * propfind.c: the WebDAV source's listing (propfind.h): a 207
 * multistatus parsed with expat, the only file that includes <expat.h>.
 *
 * The parser is namespace-aware (names arrive as "URI local"), so
 * <D:href>, <d:href> and <href xmlns="DAV:"> are the same element and an
 * href of another namespace is not one.  Only an href directly inside a
 * response counts (not one inside a property's value).
 */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "propfind.h"
#include "status.h"

#define DAV_NS "DAV:"
#define DEPTH_MAX 64

struct pf {
	XML_Parser p;
	propfind_fn fn;
	void *arg;
	int depth;
	int root_ok;    /* the root is DAV: multistatus */
	int resp_depth; /* depth of the open DAV: response, 0 if none */
	int in_href;
	char href[PROPFIND_HREF_MAX + 1];
	size_t href_n;
	int rc;
	char why[200];
};

static int
is_dav(const char *name, const char *local)
{
	size_t n = strlen(DAV_NS);

	return strncmp(name, DAV_NS, n) == 0 && name[n] == ' ' &&
	    strcmp(name + n + 1, local) == 0;
}

static void
stop(struct pf *s, int rc, const char *what)
{
	if (s->rc != GU_OK)
		return;
	s->rc = rc;
	snprintf(s->why, sizeof(s->why), "%s", what);
	XML_StopParser(s->p, XML_FALSE);
}

static void XMLCALL
on_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct pf *s = arg;

	(void) atts;
	s->depth++;
	if (s->depth > DEPTH_MAX) {
		stop(s, GU_ECORRUPT, "elements nested too deep");
		return;
	}
	if (s->depth == 1) {
		if (!is_dav(name, "multistatus"))
			stop(s, GU_ECORRUPT,
			    "the root element is not DAV: multistatus");
		else
			s->root_ok = 1;
		return;
	}
	if (s->depth == 2 && is_dav(name, "response")) {
		s->resp_depth = 2;
		return;
	}
	if (s->resp_depth == 2 && s->depth == 3 && is_dav(name, "href")) {
		s->in_href = 1;
		s->href_n = 0;
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s in place; -1 for a bad escape or a NUL byte. */
static int
pct_decode(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		int a = hexval(s[1]), b = a < 0 ? -1 : hexval(s[2]);

		if (a < 0 || b < 0 || (a == 0 && b == 0))
			return -1;
		*o++ = (char) (a * 16 + b);
		s += 2;
	}
	*o = '\0';
	return 0;
}

static void
took_href(struct pf *s)
{
	char *h = s->href, *last;
	size_t n;

	s->href[s->href_n] = '\0';
	/* Surrounding white space is not part of the URI. */
	while (*h == ' ' || *h == '\t' || *h == '\r' || *h == '\n')
		h++;
	n = strlen(h);
	while (n > 0 && strchr(" \t\r\n", h[n - 1]) != NULL)
		h[--n] = '\0';
	/* A query or fragment is not part of the name. */
	h[strcspn(h, "?#")] = '\0';
	if (pct_decode(h) != 0) {
		stop(s, GU_ECORRUPT, "an href with a bad percent escape");
		return;
	}
	n = strlen(h);
	if (n == 0 || h[n - 1] == '/')
		return; /* the collection itself, or a folder */
	last = strrchr(h, '/');
	last = last != NULL ? last + 1 : h;
	if (propfind_batch_name(last) && s->fn(s->arg, last) != 0)
		stop(s, GU_ENOMEM, "out of memory");
}

static void XMLCALL
on_end(void *arg, const XML_Char *name)
{
	struct pf *s = arg;

	(void) name;
	if (s->in_href && s->depth == 3) {
		s->in_href = 0;
		took_href(s);
	}
	if (s->depth == 2)
		s->resp_depth = 0;
	s->depth--;
}

static void XMLCALL
on_text(void *arg, const XML_Char *t, int len)
{
	struct pf *s = arg;

	if (!s->in_href || len <= 0)
		return;
	if (s->href_n + (size_t) len > PROPFIND_HREF_MAX) {
		stop(s, GU_ECORRUPT, "an href longer than 2048 bytes");
		return;
	}
	memcpy(s->href + s->href_n, t, (size_t) len);
	s->href_n += (size_t) len;
}

int
propfind_parse(const char *what, const char *body, size_t len, propfind_fn fn,
    void *arg, char *why, size_t why_len)
{
	struct pf *s = calloc(1, sizeof(*s));
	enum XML_Status st;
	int rc;

	if (s == NULL) {
		snprintf(why, why_len, "%s: out of memory", what);
		return GU_ENOMEM;
	}
	if (len > (size_t) 1 << 30) {
		free(s);
		snprintf(why, why_len, "%s: the answer is too big", what);
		return GU_ECORRUPT;
	}
	s->p = XML_ParserCreateNS("UTF-8", ' ');
	if (s->p == NULL) {
		free(s);
		snprintf(why, why_len, "%s: out of memory", what);
		return GU_ENOMEM;
	}
	s->fn = fn;
	s->arg = arg;
	XML_SetUserData(s->p, s);
	XML_SetElementHandler(s->p, on_start, on_end);
	XML_SetCharacterDataHandler(s->p, on_text);
	st = XML_Parse(s->p, body, (int) len, XML_TRUE);
	rc = s->rc;
	if (rc != GU_OK)
		snprintf(why, why_len, "%s:%lu: %s", what,
		    (unsigned long) XML_GetCurrentLineNumber(s->p), s->why);
	else if (st != XML_STATUS_OK) {
		rc = GU_ECORRUPT;
		snprintf(why, why_len, "%s:%lu: not a multistatus: %s", what,
		    (unsigned long) XML_GetCurrentLineNumber(s->p),
		    XML_ErrorString(XML_GetErrorCode(s->p)));
	} else if (!s->root_ok) {
		rc = GU_ECORRUPT;
		snprintf(why, why_len, "%s:1: not a multistatus", what);
	}
	XML_ParserFree(s->p);
	free(s);
	return rc;
}

/* n decimal digits at s, then end. */
static int
digits(const char *s, size_t n, const char *end)
{
	for (size_t i = 0; i < n; i++)
		if (s + i >= end || s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* An id: 1 to 64 printable ASCII bytes, none of '_', '/', '%', '\\'. */
static int
id_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || strchr("_/%\\", s[i]) != NULL)
			return 0;
	return 1;
}

int
propfind_batch_name(const char *s)
{
	static const char suf[] = ".ndjson.gz";
	size_t n = strlen(s), sl = sizeof(suf) - 1;
	const char *end, *p, *u1, *u2;

	if (n <= sl || strcmp(s + n - sl, suf) != 0)
		return 0;
	end = s + n - sl;
	if (end - s > 2 && memcmp(end - 2, "-u", 2) == 0)
		end -= 2;
	/* S_D_ + EPOCH_ + FIRST-LAST at the least */
	if (end - s < 4 + 17 + 25)
		return 0;
	/* FIRST-LAST: 12 + 1 + 12 bytes before end, after a '_'. */
	p = end - 25;
	if (p[-1] != '_' || !digits(p, 12, end) || p[12] != '-' ||
	    !digits(p + 13, 12, end))
		return 0;
	/* EPOCH: 16 lowercase hex digits after a '_'. */
	p -= 1 + 16;
	if (p[-1] != '_')
		return 0;
	for (int i = 0; i < 16; i++)
		if (hexval(p[i]) < 0 || (p[i] >= 'A' && p[i] <= 'F'))
			return 0;
	/* SCHOOL_DEVICE before it. */
	u2 = p - 1;
	for (u1 = u2 - 1; u1 > s && *u1 != '_'; u1--)
		;
	if (u1 <= s || *u1 != '_')
		return 0;
	return id_ok(s, (size_t) (u1 - s)) &&
	    id_ok(u1 + 1, (size_t) (u2 - u1 - 1));
}
