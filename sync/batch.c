/*
 * batch.c: the batch header, name and verifier (batch.h).  The JSON
 * reader below is only as big as the verifier needs: it checks the syntax
 * of a whole line (nesting at most JS_DEPTH deep) and reports the
 * top-level keys with their raw values.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "pack.h"
#include "sha256.h"
#include "sign.h"
#include "status.h"

#define JS_DEPTH 8

void
batch_hex(const uint8_t h[SYNC_HASH_LEN], char *out)
{
	static const char d[] = "0123456789abcdef";

	for (int i = 0; i < SYNC_HASH_LEN; i++) {
		out[2 * i] = d[h[i] >> 4];
		out[2 * i + 1] = d[h[i] & 15];
	}
	out[2 * SYNC_HASH_LEN] = '\0';
}

int
batch_name(const struct batch_head *h, char *out, size_t cap)
{
	int n;

	n = snprintf(out, cap,
	    "%s_%s_%016" PRIx64 "_%012" PRIu64 "-%012" PRIu64 "%s.ndjson.gz",
	    h->school, h->device, h->epoch, h->first_seq, h->last_seq,
	    h->urgent ? "-u" : "");
	if (n < 0 || (size_t) n >= cap)
		return GU_ETOOBIG;
	return GU_OK;
}

static const char SHA_KEY[] = ",\"sha256\":\"";
static const char SIG_KEY[] = ",\"sig\":\"";

/*
 * The end of a header from offset o: with key, ,"key":"<hex>"; then the
 * sha256 (and with key the sig) written as '0', the hash of the line,
 * the hash (and the signature by signer under ctx) written in.
 */
static int
head_tail(char *out, size_t cap, size_t o, const uint8_t *key,
    const struct sign_key *signer, const char *ctx, uint8_t sha[SYNC_HASH_LEN],
    uint8_t sig[SIGN_SIG_LEN], size_t *len)
{
	char kh[2 * SIGN_PK_LEN + 1], sh[2 * SIGN_SIG_LEN + 1];
	char bh[2 * SYNC_HASH_LEN + 1];
	size_t hashpos, sigpos = 0;
	int n;

	if (key != NULL) {
		for (size_t i = 0; i < SIGN_PK_LEN; i++)
			snprintf(kh + 2 * i, 3, "%02x", key[i]);
		n = snprintf(out + o, cap - o, ",\"key\":\"%s\"", kh);
		if (n < 0 || (size_t) n >= cap - o)
			return GU_ETOOBIG;
		o += (size_t) n;
	}
	if (cap - o < sizeof(SHA_KEY) + sizeof(SIG_KEY) + 2 * SYNC_HASH_LEN +
	        2 * SIGN_SIG_LEN + 4)
		return GU_ETOOBIG;
	memcpy(out + o, SHA_KEY, sizeof(SHA_KEY) - 1);
	o += sizeof(SHA_KEY) - 1;
	hashpos = o;
	memset(out + o, '0', 2 * SYNC_HASH_LEN);
	o += 2 * SYNC_HASH_LEN;
	out[o++] = '"';
	if (key != NULL) {
		memcpy(out + o, SIG_KEY, sizeof(SIG_KEY) - 1);
		o += sizeof(SIG_KEY) - 1;
		sigpos = o;
		memset(out + o, '0', 2 * SIGN_SIG_LEN);
		o += 2 * SIGN_SIG_LEN;
		out[o++] = '"';
	}
	memcpy(out + o, "}\n", 3);
	o += 2;
	sha256(sha, out, o);
	batch_hex(sha, bh);
	memcpy(out + hashpos, bh, 2 * SYNC_HASH_LEN);
	if (key != NULL) {
		sign_hash_ctx(signer, ctx, sha, sig);
		for (size_t i = 0; i < SIGN_SIG_LEN; i++)
			snprintf(sh + 2 * i, 3, "%02x", sig[i]);
		memcpy(out + sigpos, sh, 2 * SIGN_SIG_LEN);
	}
	*len = o;
	return GU_OK;
}

int
batch_head_format(struct batch_head *h, char *out, size_t cap, size_t *len)
{
	char bh[2 * SYNC_HASH_LEN + 1], ph[2 * SYNC_HASH_LEN + 1];
	int v2 = h->version == BATCH_FORMAT;
	size_t o = 0;
	int n;

	if (h->version != 0 && h->version != BATCH_FORMAT_V1 && !v2)
		return GU_EVERSION;
	if (v2 && h->signer == NULL)
		return GU_EINVAL;
	if (cap < 2 * SYNC_HASH_LEN + 2 * SIGN_SIG_LEN + 64)
		return GU_ETOOBIG;
	batch_hex(h->body_sha256, bh);
	batch_hex(h->prev, ph);
	n = snprintf(out, cap,
	    "{\"guanai_batch\":%d,\"school\":\"%s\",\"device\":\"%s\","
	    "\"epoch\":\"%016" PRIx64 "\",\"batch\":%" PRIu64
	    ",\"urgent\":%s,\"first_seq\":%" PRIu64 ",\"last_seq\":%" PRIu64
	    ",\"records\":%" PRIu32 ",\"skip\":[",
	    v2 ? BATCH_FORMAT : BATCH_FORMAT_V1, h->school, h->device, h->epoch,
	    h->id, h->urgent ? "true" : "false", h->first_seq, h->last_seq,
	    h->n_records);
	if (n < 0 || (size_t) n >= cap)
		return GU_ETOOBIG;
	o = (size_t) n;
	for (size_t i = 0; i < h->n_skip; i++) {
		n = snprintf(
		    out + o, cap - o, "%s%" PRIu64, i ? "," : "", h->skip[i]);
		if (n < 0 || (size_t) n >= cap - o)
			return GU_ETOOBIG;
		o += (size_t) n;
	}
	n = snprintf(out + o, cap - o,
	    "],\"body_sha256\":\"%s\",\"prev\":\"%s\"", bh, ph);
	if (n < 0 || (size_t) n >= cap - o)
		return GU_ETOOBIG;
	o += (size_t) n;
	return head_tail(out, cap, o, v2 ? h->key : NULL, h->signer,
	    SIGN_CONTEXT, h->sha256, h->sig, len);
}

int
batch_seal_head_format(struct batch_head *h, char *out, size_t cap, size_t *len)
{
	char ih[2 * SYNC_HASH_LEN + 1], dh[2 * SYNC_HASH_LEN + 1];
	char sh[2 * SYNC_HASH_LEN + 1];
	int n;

	if (h->signer == NULL)
		return GU_EINVAL;
	h->version = BATCH_FORMAT_SEALED;
	batch_hex(h->inner, ih);
	batch_hex(h->district, dh);
	batch_hex(h->sealed_sha256, sh);
	n = snprintf(out, cap,
	    "{\"guanai_batch\":%d,\"school\":\"%s\",\"device\":\"%s\","
	    "\"epoch\":\"%016" PRIx64 "\",\"urgent\":%s,\"first_seq\":%" PRIu64
	    ",\"last_seq\":%" PRIu64 ",\"batch_sha256\":\"%s\",\"district\":"
	    "\"%s\",\"sealed_bytes\":%" PRIu64 ",\"sealed_sha256\":\"%s\"",
	    BATCH_FORMAT_SEALED, h->school, h->device, h->epoch,
	    h->urgent ? "true" : "false", h->first_seq, h->last_seq, ih, dh,
	    h->sealed_bytes, sh);
	if (n < 0 || (size_t) n >= cap)
		return GU_ETOOBIG;
	return head_tail(out, cap, (size_t) n, h->key, h->signer, SIGN_CONTEXT3,
	    h->sha256, h->sig, len);
}

int
batch_line_seq(const char *line, size_t len, uint64_t *seq)
{
	static const char pre[] = "{\"seq\":";
	uint64_t x = 0;
	size_t i = sizeof(pre) - 1, start = i;

	if (len < i || memcmp(line, pre, i) != 0)
		return GU_ECORRUPT;
	while (i < len && line[i] >= '0' && line[i] <= '9' && i - start < 20) {
		x = x * 10 + (uint64_t) (line[i] - '0');
		i++;
	}
	if (i == start || i >= len || line[i] != ',')
		return GU_ECORRUPT;
	*seq = x;
	return GU_OK;
}

/* ---- a small JSON reader ---- */

enum js_type { JS_STR, JS_NUM, JS_TRUE, JS_FALSE, JS_NULL, JS_ARR, JS_OBJ };

struct js {
	const char *p, *end;
};

static void
js_ws(struct js *j)
{
	while (j->p < j->end &&
	    (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static int
js_lit(struct js *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t) (j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static int
js_str(struct js *j)
{
	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end) {
		unsigned char c = (unsigned char) *j->p++;

		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (j->p >= j->end)
				return -1;
			c = (unsigned char) *j->p++;
			if (c == 'u') {
				for (int i = 0; i < 4; i++, j->p++)
					if (j->p >= j->end ||
					    strchr("0123456789abcdefABCDEF",
					        *j->p) == NULL ||
					    *j->p == '\0')
						return -1;
			} else if (strchr("\"\\/bfnrt", c) == NULL || c == 0)
				return -1;
		}
	}
	return -1;
}

static int
js_num(struct js *j)
{
	const char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return -1;
	while (j->p < j->end &&
	    ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' ||
	        *j->p == 'E' || *j->p == '+' || *j->p == '-'))
		j->p++;
	return j->p > s ? 0 : -1;
}

static int js_value(struct js *j, int depth, enum js_type *t);

static int
js_array(struct js *j, int depth)
{
	enum js_type t;

	j->p++;
	js_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		if (js_value(j, depth + 1, &t) != 0)
			return -1;
		js_ws(j);
		if (j->p >= j->end)
			return -1;
		if (*j->p == ']') {
			j->p++;
			return 0;
		}
		if (*j->p++ != ',')
			return -1;
	}
}

typedef int (*js_key_fn)(void *arg, const char *key, size_t klen,
    enum js_type t, const char *val, size_t vlen);

static int
js_object(struct js *j, int depth, js_key_fn fn, void *arg)
{
	const char *k, *v;
	enum js_type t;

	j->p++;
	js_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		js_ws(j);
		k = j->p;
		if (js_str(j) != 0)
			return -1;
		js_ws(j);
		if (j->p >= j->end || *j->p++ != ':')
			return -1;
		js_ws(j);
		v = j->p;
		if (js_value(j, depth + 1, &t) != 0)
			return -1;
		if (fn != NULL &&
		    fn(arg, k + 1, (size_t) (v - k), t, v,
		        (size_t) (j->p - v)) != 0)
			return -1;
		js_ws(j);
		if (j->p >= j->end)
			return -1;
		if (*j->p == '}') {
			j->p++;
			return 0;
		}
		if (*j->p++ != ',')
			return -1;
	}
}

static int
js_value(struct js *j, int depth, enum js_type *t)
{
	if (depth > JS_DEPTH)
		return -1;
	js_ws(j);
	if (j->p >= j->end)
		return -1;
	switch (*j->p) {
	case '"':
		*t = JS_STR;
		return js_str(j);
	case '{':
		*t = JS_OBJ;
		return js_object(j, depth, NULL, NULL);
	case '[':
		*t = JS_ARR;
		return js_array(j, depth);
	case 't':
		*t = JS_TRUE;
		return js_lit(j, "true");
	case 'f':
		*t = JS_FALSE;
		return js_lit(j, "false");
	case 'n':
		*t = JS_NULL;
		return js_lit(j, "null");
	default:
		*t = JS_NUM;
		return js_num(j);
	}
}

/* Parses a whole line as one object; fn sees each top-level key. */
static int
js_line(const char *s, size_t len, js_key_fn fn, void *arg)
{
	struct js j = {s, s + len};

	js_ws(&j);
	if (j.p >= j.end || *j.p != '{')
		return -1;
	if (js_object(&j, 1, fn, arg) != 0)
		return -1;
	js_ws(&j);
	return j.p == j.end ? 0 : -1;
}

/* The key's raw bytes (between the quotes) equal name. */
static int
key_is(const char *k, size_t klen, const char *name)
{
	/* klen counts the key's bytes plus its closing quote and ':' etc. */
	size_t n = strlen(name);

	return klen >= n + 1 && memcmp(k, name, n) == 0 && k[n] == '"';
}

static int
parse_u64(const char *v, size_t vlen, uint64_t *out)
{
	uint64_t x = 0;

	if (vlen == 0 || vlen > 20)
		return -1;
	if (vlen > 1 && v[0] == '0')
		return -1;
	for (size_t i = 0; i < vlen; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (x > (UINT64_MAX - (uint64_t) (v[i] - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t) (v[i] - '0');
	}
	*out = x;
	return 0;
}

static int
parse_hex(const char *v, size_t vlen, uint8_t *out, size_t n)
{
	if (vlen != 2 * n + 2 || v[0] != '"' || v[vlen - 1] != '"')
		return -1;
	for (size_t i = 0; i < 2 * n; i++) {
		char c = v[1 + i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (uint8_t) (d << 4);
		else
			out[i / 2] |= (uint8_t) d;
	}
	return 0;
}

/* A plain id string value (no escapes) into out. */
static int
parse_id(const char *v, size_t vlen, char *out)
{
	if (vlen < 3 || vlen - 2 > GU_ID_LEN || v[0] != '"' ||
	    v[vlen - 1] != '"')
		return -1;
	memcpy(out, v + 1, vlen - 2);
	out[vlen - 2] = '\0';
	return rec_id_ok(out) ? 0 : -1;
}

/* ---- the header ---- */

enum head_field {
	HF_VERSION,
	HF_SCHOOL,
	HF_DEVICE,
	HF_EPOCH,
	HF_BATCH,
	HF_URGENT,
	HF_FIRST,
	HF_LAST,
	HF_RECORDS,
	HF_SKIP,
	HF_BODY,
	HF_PREV,
	HF_KEY,
	HF_SHA,
	HF_SIG,
	HF_INNER,
	HF_DISTRICT,
	HF_SEALED_BYTES,
	HF_SEALED_SHA,
	HF_END
};

struct head_key {
	const char *name;
	enum head_field f;
};

/* The keys of each version, in their order. */
static const struct head_key keys_v1[] = {{"guanai_batch", HF_VERSION},
    {"school", HF_SCHOOL}, {"device", HF_DEVICE}, {"epoch", HF_EPOCH},
    {"batch", HF_BATCH}, {"urgent", HF_URGENT}, {"first_seq", HF_FIRST},
    {"last_seq", HF_LAST}, {"records", HF_RECORDS}, {"skip", HF_SKIP},
    {"body_sha256", HF_BODY}, {"prev", HF_PREV}, {"sha256", HF_SHA},
    {NULL, HF_END}};
static const struct head_key keys_v2[] = {{"guanai_batch", HF_VERSION},
    {"school", HF_SCHOOL}, {"device", HF_DEVICE}, {"epoch", HF_EPOCH},
    {"batch", HF_BATCH}, {"urgent", HF_URGENT}, {"first_seq", HF_FIRST},
    {"last_seq", HF_LAST}, {"records", HF_RECORDS}, {"skip", HF_SKIP},
    {"body_sha256", HF_BODY}, {"prev", HF_PREV}, {"key", HF_KEY},
    {"sha256", HF_SHA}, {"sig", HF_SIG}, {NULL, HF_END}};
static const struct head_key keys_v3[] = {{"guanai_batch", HF_VERSION},
    {"school", HF_SCHOOL}, {"device", HF_DEVICE}, {"epoch", HF_EPOCH},
    {"urgent", HF_URGENT}, {"first_seq", HF_FIRST}, {"last_seq", HF_LAST},
    {"batch_sha256", HF_INNER}, {"district", HF_DISTRICT},
    {"sealed_bytes", HF_SEALED_BYTES}, {"sealed_sha256", HF_SEALED_SHA},
    {"key", HF_KEY}, {"sha256", HF_SHA}, {"sig", HF_SIG}, {NULL, HF_END}};

struct head_parse {
	struct batch_head *h;
	const struct head_key *keys; /* of the version, once known */
	size_t next;                 /* index of the key expected next */
	int version_bad;
	int sealed; /* 1: the outer header of a sealed batch is expected */
};

static int
head_key(void *arg, const char *k, size_t klen, enum js_type t, const char *v,
    size_t vlen)
{
	struct head_parse *hp = arg;
	struct batch_head *h = hp->h;
	const struct head_key *keys = hp->keys ? hp->keys : keys_v1;
	uint64_t x;
	uint8_t e[8];
	size_t i;

	if (keys[hp->next].name == NULL ||
	    !key_is(k, klen, keys[hp->next].name))
		return -1;
	switch (keys[hp->next++].f) {
	case HF_VERSION:
		if (parse_u64(v, vlen, &x) != 0)
			return -1;
		if (hp->sealed)
			hp->keys = x == BATCH_FORMAT_SEALED ? keys_v3 : NULL;
		else if (x == BATCH_FORMAT_V1)
			hp->keys = keys_v1;
		else if (x == BATCH_FORMAT)
			hp->keys = keys_v2;
		if (hp->keys == NULL)
			hp->version_bad = 1;
		h->version = (int) x;
		return hp->version_bad ? -1 : 0;
	case HF_SCHOOL:
		return parse_id(v, vlen, h->school);
	case HF_DEVICE:
		return parse_id(v, vlen, h->device);
	case HF_EPOCH:
		if (parse_hex(v, vlen, e, 8) != 0)
			return -1;
		h->epoch = 0;
		for (i = 0; i < 8; i++)
			h->epoch = h->epoch << 8 | e[i];
		return 0;
	case HF_BATCH:
		return parse_u64(v, vlen, &h->id);
	case HF_URGENT:
		if (t != JS_TRUE && t != JS_FALSE)
			return -1;
		h->urgent = t == JS_TRUE;
		return 0;
	case HF_FIRST:
		return parse_u64(v, vlen, &h->first_seq);
	case HF_LAST:
		return parse_u64(v, vlen, &h->last_seq);
	case HF_RECORDS:
		if (parse_u64(v, vlen, &x) != 0 || x > UINT32_MAX)
			return -1;
		h->n_records = (uint32_t) x;
		return 0;
	case HF_SKIP:
		if (t != JS_ARR)
			return -1;
		h->n_skip = 0;
		i = 1;
		while (i < vlen - 1) {
			size_t s = i;

			while (i < vlen - 1 && v[i] != ',')
				i++;
			if (h->n_skip >= BATCH_SKIP_MAX ||
			    parse_u64(v + s, i - s, &x) != 0)
				return -1;
			h->skip[h->n_skip++] = x;
			i++;
		}
		return 0;
	case HF_BODY:
		return parse_hex(v, vlen, h->body_sha256, SYNC_HASH_LEN);
	case HF_PREV:
		return parse_hex(v, vlen, h->prev, SYNC_HASH_LEN);
	case HF_KEY:
		return parse_hex(v, vlen, h->key, SIGN_PK_LEN);
	case HF_SHA:
		return parse_hex(v, vlen, h->sha256, SYNC_HASH_LEN);
	case HF_SIG:
		return parse_hex(v, vlen, h->sig, SIGN_SIG_LEN);
	case HF_INNER:
		return parse_hex(v, vlen, h->inner, SYNC_HASH_LEN);
	case HF_DISTRICT:
		return parse_hex(v, vlen, h->district, sizeof(h->district));
	case HF_SEALED_BYTES:
		return parse_u64(v, vlen, &h->sealed_bytes);
	case HF_SEALED_SHA:
		return parse_hex(v, vlen, h->sealed_sha256, SYNC_HASH_LEN);
	case HF_END:
	default:
		return -1;
	}
}

/* ---- the verifier ---- */

struct rec_parse {
	uint64_t seq;
	int have_seq, dev_ok, epoch_ok;
	const struct batch_head *h;
};

static int
rec_key(void *arg, const char *k, size_t klen, enum js_type t, const char *v,
    size_t vlen)
{
	struct rec_parse *rp = arg;
	char id[GU_ID_LEN + 1];
	uint8_t e[8];
	uint64_t ep = 0;

	(void) t;
	if (key_is(k, klen, "seq")) {
		if (rp->have_seq || parse_u64(v, vlen, &rp->seq) != 0)
			return -1;
		rp->have_seq = 1;
	} else if (key_is(k, klen, "device")) {
		if (parse_id(v, vlen, id) != 0)
			return -1;
		rp->dev_ok = strcmp(id, rp->h->device) == 0;
	} else if (key_is(k, klen, "epoch")) {
		if (parse_hex(v, vlen, e, 8) != 0)
			return -1;
		for (int i = 0; i < 8; i++)
			ep = ep << 8 | e[i];
		rp->epoch_ok = ep == rp->h->epoch;
	}
	return 0;
}

struct verify {
	struct batch_head *h;
	char *line;
	size_t len;
	uint64_t lineno;
	int have_head;
	struct sha256 body;
	uint64_t n, last, next_expect;
	size_t skip_i;
	char *why;
	size_t why_len;
	int passing; /* second pass: hand lines to fn */
	batch_line_fn fn;
	void *arg;
};

static int
vfail(struct verify *v, const char *what)
{
	if (v->why_len > 0)
		snprintf(v->why, v->why_len, "line %" PRIu64 ": %s", v->lineno,
		    what);
	return GU_ECORRUPT;
}

/* Writes n '0' over the hex value after key in the line; -1 if absent. */
static int
zero_value(char *line, const char *key, size_t n)
{
	char *p = strstr(line, key);

	if (p == NULL)
		return -1;
	memset(p + strlen(key), '0', n);
	return 0;
}

static int
verify_head(struct verify *v)
{
	struct head_parse hp = {.h = v->h};
	uint8_t want[SYNC_HASH_LEN];
	size_t i;

	if (js_line(v->line, v->len - 1, head_key, &hp) != 0 ||
	    hp.keys == NULL || hp.keys[hp.next].name != NULL) {
		v->h->id = 0;
		if (hp.version_bad) {
			snprintf(v->why, v->why_len,
			    "line 1: unknown batch format version %d",
			    v->h->version);
			return GU_EVERSION;
		}
		return vfail(v, "not a batch header");
	}
	if (zero_value(v->line, SHA_KEY, 2 * SYNC_HASH_LEN) != 0 ||
	    (hp.keys == keys_v2 &&
	        zero_value(v->line, SIG_KEY, 2 * SIGN_SIG_LEN) != 0)) {
		v->h->id = 0;
		return vfail(v, "not a batch header");
	}
	sha256(want, v->line, v->len);
	if (memcmp(want, v->h->sha256, SYNC_HASH_LEN) != 0) {
		v->h->id = 0;
		return vfail(v, "header sha256 does not match");
	}
	if (hp.keys == keys_v2 &&
	    !sign_hash_ok(v->h->key, v->h->sha256, v->h->sig)) {
		v->h->id = 0;
		return vfail(v, "signature does not verify");
	}
	if (v->h->first_seq == 0 || v->h->first_seq > v->h->last_seq ||
	    v->h->id == 0) {
		v->h->id = 0;
		return vfail(v, "bad seq range or batch number");
	}
	for (i = 0; i < v->h->n_skip; i++) {
		if (v->h->skip[i] < v->h->first_seq ||
		    v->h->skip[i] > v->h->last_seq ||
		    (i > 0 && v->h->skip[i] <= v->h->skip[i - 1]))
			return vfail(v, "skip list out of range or order");
	}
	if (v->h->urgent && v->h->n_skip != 0)
		return vfail(v, "urgent batch with a skip list");
	v->next_expect = v->h->first_seq;
	sha256_init(&v->body);
	return GU_OK;
}

int
batch_seal_head_parse(const char *line, size_t len, struct batch_head *h,
    char *why, size_t why_len)
{
	struct head_parse hp = {.h = h, .sealed = 1};
	uint8_t want[SYNC_HASH_LEN];
	char *copy;
	int rc = GU_ECORRUPT;

	memset(h, 0, sizeof(*h));
	if (why_len > 0)
		why[0] = '\0';
	if (len < 2 || len > BATCH_HEAD_MAX || line[len - 1] != '\n' ||
	    memchr(line, '\0', len) != NULL) {
		snprintf(why, why_len, "line 1: not a sealed batch header");
		return GU_ECORRUPT;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return GU_ENOMEM;
	memcpy(copy, line, len);
	copy[len] = '\0';
	if (js_line(copy, len - 1, head_key, &hp) != 0 || hp.keys == NULL ||
	    hp.keys[hp.next].name != NULL) {
		if (hp.version_bad) {
			snprintf(why, why_len,
			    "line 1: not a sealed batch (format version %d)",
			    h->version);
			rc = GU_EVERSION;
		} else
			snprintf(
			    why, why_len, "line 1: not a sealed batch header");
		goto out;
	}
	if (zero_value(copy, SHA_KEY, 2 * SYNC_HASH_LEN) != 0 ||
	    zero_value(copy, SIG_KEY, 2 * SIGN_SIG_LEN) != 0) {
		snprintf(why, why_len, "line 1: not a sealed batch header");
		goto out;
	}
	sha256(want, copy, len);
	if (memcmp(want, h->sha256, SYNC_HASH_LEN) != 0) {
		snprintf(why, why_len, "line 1: header sha256 does not match");
		goto out;
	}
	if (!sign_hash_ctx_ok(h->key, SIGN_CONTEXT3, h->sha256, h->sig)) {
		snprintf(why, why_len, "line 1: signature does not verify");
		goto out;
	}
	if (h->first_seq == 0 || h->first_seq > h->last_seq) {
		snprintf(why, why_len, "line 1: bad seq range");
		goto out;
	}
	rc = GU_OK;
out:
	free(copy);
	return rc;
}

static int
verify_rec(struct verify *v)
{
	struct rec_parse rp = {.h = v->h};
	struct batch_head *h = v->h;

	sha256_update(&v->body, v->line, v->len);
	if (js_line(v->line, v->len - 1, rec_key, &rp) != 0)
		return vfail(v, "not a JSON object");
	if (!rp.have_seq)
		return vfail(v, "record without seq");
	if (!rp.dev_ok || !rp.epoch_ok)
		return vfail(v, "record of another device or epoch");
	if (rp.seq < h->first_seq || rp.seq > h->last_seq)
		return vfail(v, "seq outside the batch range");
	if (v->n > 0 && rp.seq <= v->last)
		return vfail(v, "seqs not ascending");
	if (!h->urgent) {
		/* Every seq before this one must be in skip. */
		while (v->next_expect < rp.seq) {
			if (v->skip_i >= h->n_skip ||
			    h->skip[v->skip_i] != v->next_expect)
				return vfail(
				    v, "a seq of the range is missing");
			v->skip_i++;
			v->next_expect++;
		}
		if (v->skip_i < h->n_skip && h->skip[v->skip_i] == rp.seq)
			return vfail(v, "a skipped seq is present");
		v->next_expect = rp.seq + 1;
	}
	v->last = rp.seq;
	v->n++;
	return GU_OK;
}

static int
verify_line(struct verify *v)
{
	v->lineno++;
	if (v->passing) {
		if (v->lineno == 1)
			return GU_OK;
		return v->fn(v->arg, v->line, v->len);
	}
	if (!v->have_head) {
		v->have_head = 1;
		return verify_head(v);
	}
	return verify_rec(v);
}

static int
verify_sink(void *arg, const uint8_t *data, size_t len)
{
	struct verify *v = arg;
	int rc;

	while (len > 0) {
		const uint8_t *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t) (nl - data) + 1 : len;

		if (v->len + take > BATCH_LINE_MAX + BATCH_HEAD_MAX) {
			v->lineno++;
			vfail(v, "line too long");
			return GU_ETOOBIG;
		}
		memcpy(v->line + v->len, data, take);
		v->len += take;
		data += take;
		len -= take;
		if (nl != NULL) {
			v->line[v->len] = '\0';
			rc = verify_line(v);
			v->len = 0;
			if (rc != GU_OK)
				return rc;
		}
	}
	return GU_OK;
}

int
batch_verify(const uint8_t *gz, size_t len, struct batch_head *h,
    batch_line_fn fn, void *arg, char *why, size_t why_len)
{
	struct verify v;
	uint8_t body[SYNC_HASH_LEN];
	int rc;

	memset(&v, 0, sizeof(v));
	memset(h, 0, sizeof(*h));
	if (why_len > 0)
		why[0] = '\0';
	v.h = h;
	v.why = why;
	v.why_len = why_len;
	if (len > 0 && gz[0] == '{') {
		snprintf(why, why_len,
		    "a sealed batch (format %d): guanai-district opens it",
		    BATCH_FORMAT_SEALED);
		return GU_EVERSION;
	}
	v.line = malloc(BATCH_LINE_MAX + BATCH_HEAD_MAX + 1);
	if (v.line == NULL)
		return GU_ENOMEM;
	rc = pack_gunzip(gz, len, BATCH_RAW_MAX, verify_sink, &v);
	if (rc == GU_ECORRUPT && why_len > 0 && why[0] == '\0')
		snprintf(why, why_len, "not a complete gzip file");
	if (rc == GU_ETOOBIG && why_len > 0 && why[0] == '\0')
		snprintf(why, why_len, "larger than %" PRIu64 " bytes",
		    (uint64_t) BATCH_RAW_MAX);
	if (rc != GU_OK)
		goto out;
	v.lineno++;
	rc = GU_ECORRUPT;
	if (v.len != 0) {
		vfail(&v, "last line without a newline");
		goto out;
	}
	if (!v.have_head) {
		vfail(&v, "empty file");
		goto out;
	}
	if (!h->urgent) {
		while (v.next_expect <= h->last_seq) {
			if (v.skip_i >= h->n_skip ||
			    h->skip[v.skip_i] != v.next_expect) {
				vfail(&v, "records end before last_seq");
				goto out;
			}
			v.skip_i++;
			v.next_expect++;
		}
	} else if (v.n == 0 || v.last != h->last_seq) {
		vfail(&v, "urgent batch does not end at last_seq");
		goto out;
	}
	if (v.n != h->n_records) {
		vfail(&v, "record count differs from the header");
		goto out;
	}
	sha256_final(&v.body, body);
	if (memcmp(body, h->body_sha256, SYNC_HASH_LEN) != 0) {
		vfail(&v, "body_sha256 does not match");
		goto out;
	}
	rc = GU_OK;
	if (fn != NULL) {
		struct batch_head keep;

		memcpy(&keep, h, sizeof(keep));
		v.passing = 1;
		v.lineno = 0;
		v.len = 0;
		v.fn = fn;
		v.arg = arg;
		rc = pack_gunzip(gz, len, BATCH_RAW_MAX, verify_sink, &v);
		memcpy(h, &keep, sizeof(keep));
	}
out:
	free(v.line);
	return rc;
}
