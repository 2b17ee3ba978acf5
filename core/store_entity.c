/*
 * store_entity.c: the encoders and decoders of store_entity.h.  Each
 * entity is a table of its fields (offset in the struct, size, the version
 * that added it) walked by one writer and one reader, so a new field is a
 * row and a version number.
 */
#include <stddef.h>
#include <string.h>

#include "status.h"
#include "store_entity.h"

/* ---- a writer and a reader over bytes ---- */

struct ent_w {
	uint8_t *p;
	size_t len, cap;
	int err;
};

static void
w_u(struct ent_w *w, uint64_t v, int n)
{
	if (w->err || w->len + (size_t) n > w->cap) {
		w->err = GU_EINVAL;
		return;
	}
	for (int i = n - 1; i >= 0; i--) {
		w->p[w->len + (size_t) i] = (uint8_t) v;
		v >>= 8;
	}
	w->len += (size_t) n;
}

static void
w_bytes(struct ent_w *w, const void *b, size_t n)
{
	if (w->err || w->len + n > w->cap) {
		w->err = GU_EINVAL;
		return;
	}
	memcpy(w->p + w->len, b, n);
	w->len += n;
}

/* A NUL-terminated field of size bytes. */
static void
w_str(struct ent_w *w, const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n >= size || n > 255) {
		w->err = GU_EINVAL;
		return;
	}
	w_u(w, n, 1);
	w_bytes(w, s, n);
}

static int
w_end(struct ent_w *w, size_t *len)
{
	if (w->err == 0)
		w_u(w, rec_crc32c(w->p, w->len), 4);
	if (w->err)
		return w->err;
	*len = w->len;
	return GU_OK;
}

struct ent_r {
	const uint8_t *p;
	size_t off, len; /* len excludes the CRC */
	int err;
};

/* Checks the CRC and the version byte; returns the version or 0. */
static int
r_begin(struct ent_r *r, const uint8_t *p, size_t n, int newest)
{
	uint32_t want;

	memset(r, 0, sizeof(*r));
	r->p = p;
	if (n < 5) {
		r->err = GU_ECORRUPT;
		return 0;
	}
	want = (uint32_t) p[n - 4] << 24 | (uint32_t) p[n - 3] << 16 |
	    (uint32_t) p[n - 2] << 8 | p[n - 1];
	if (rec_crc32c(p, n - 4) != want) {
		r->err = GU_ECORRUPT;
		return 0;
	}
	r->len = n - 4;
	r->off = 1;
	if (p[0] < 1 || p[0] > newest) {
		r->err = GU_EVERSION;
		return 0;
	}
	return p[0];
}

static uint64_t
r_u(struct ent_r *r, int n)
{
	uint64_t v = 0;

	if (r->err || r->off + (size_t) n > r->len) {
		r->err = r->err ? r->err : GU_ECORRUPT;
		return 0;
	}
	for (int i = 0; i < n; i++)
		v = (v << 8) | r->p[r->off + (size_t) i];
	r->off += (size_t) n;
	return v;
}

static void
r_bytes(struct ent_r *r, void *out, size_t n)
{
	if (r->err || r->off + n > r->len) {
		r->err = r->err ? r->err : GU_ECORRUPT;
		return;
	}
	memcpy(out, r->p + r->off, n);
	r->off += n;
}

/* Into a field of size bytes: shorter than size, no NUL inside. */
static inline void
r_str(struct ent_r *r, char *out, size_t size)
{
	size_t n;
	const uint8_t *p;

	/* r_u(r, 1) by hand: a child is eleven of these, most of them "". */
	if (r->err)
		return;
	if (r->off + 1 > r->len) {
		r->err = GU_ECORRUPT;
		return;
	}
	n = r->p[r->off++];
	if (n >= size || r->off + n > r->len) {
		r->err = GU_ECORRUPT;
		return;
	}
	/*
	 * One pass that copies and finds a NUL (memccpy returns non-NULL
	 * when it met one).  Not memcpy: GCC inlines a memcpy bounded like
	 * this one as rep movsq, whose start-up cost is most of a short
	 * string's copy.
	 */
	p = r->p + r->off;
	if (n > 0 && memccpy(out, p, 0, n) != 0) {
		r->err = GU_ECORRUPT;
		return;
	}
	out[n] = '\0';
	r->off += n;
}

static int
r_end(struct ent_r *r)
{
	if (r->err == 0 && r->off != r->len)
		r->err = GU_ECORRUPT;
	return r->err;
}

static int
key_id(char *out, const void *key, size_t kl)
{
	if (kl < 1 || kl > GU_ID_LEN)
		return GU_ECORRUPT;
	memcpy(out, key, kl);
	out[kl] = '\0';
	return rec_id_ok(out) ? GU_OK : GU_ECORRUPT;
}

/* ---- the string columns of the roster entities ---- */

struct ent_str {
	size_t off, size;
	int since; /* the version that added it */
};

#define CHILD_STR(f, v)                                                        \
	{                                                                      \
		offsetof(struct child, f), sizeof(((struct child *) 0)->f), v  \
	}
static const struct ent_str child_strs[] = {
    CHILD_STR(name, 1),
    CHILD_STR(sex, 1),
    CHILD_STR(birth, 1),
    CHILD_STR(grade, 1),
    CHILD_STR(class_name, 1),
    CHILD_STR(guardian, 1),
    CHILD_STR(guardian_relation, 1),
    CHILD_STR(guardian_phone, 1),
    CHILD_STR(mentor_id, 1),
    CHILD_STR(address, 1),
    CHILD_STR(parents_work, 2),
};
#undef CHILD_STR

#define STAFF_STR(f, v)                                                        \
	{                                                                      \
		offsetof(struct staff, f), sizeof(((struct staff *) 0)->f), v  \
	}
static const struct ent_str staff_strs[] = {
    STAFF_STR(name, 1),
    STAFF_STR(pin_hash, 1),
};
#undef STAFF_STR

#define NSTR(t) (sizeof(t) / sizeof((t)[0]))

static void
w_strs(struct ent_w *w, const void *obj, const struct ent_str *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w_str(w, (const char *) obj + t[i].off, t[i].size);
}

static void
r_strs(
    struct ent_r *r, void *obj, const struct ent_str *t, size_t n, int version)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].since <= version)
			r_str(r, (char *) obj + t[i].off, t[i].size);
}

/* ---- child, staff, class, auth ---- */

int
store_entity_child_encode_version(
    const struct child *c, int version, uint8_t *buf, size_t cap, size_t *len)
{
	struct ent_w w = {buf, 0, cap, 0};

	if ((c->categories &
	        ~(unsigned) (CAT_LEFT_BEHIND | CAT_IN_DIFFICULTY)) ||
	    version < 1 || version > ENT_CHILD_VERSION)
		return GU_EINVAL;
	w_u(&w, (uint64_t) version, 1);
	w_u(&w, c->active ? 1 : 0, 1);
	w_u(&w, c->categories, 1);
	for (size_t i = 0; i < NSTR(child_strs); i++)
		if (child_strs[i].since <= version)
			w_str(&w, (const char *) c + child_strs[i].off,
			    child_strs[i].size);
	return w_end(&w, len);
}

int
store_entity_child_encode(
    const struct child *c, uint8_t *buf, size_t cap, size_t *len)
{
	return store_entity_child_encode_version(
	    c, ENT_CHILD_VERSION, buf, cap, len);
}

int
store_entity_child_decode(const void *key, size_t kl, const uint8_t *p,
    size_t n, struct child *out, int *version)
{
	struct ent_r r;
	unsigned flags;
	int v;

	memset(out, 0, sizeof(*out));
	v = r_begin(&r, p, n, ENT_CHILD_VERSION);
	flags = (unsigned) r_u(&r, 1);
	out->categories = (unsigned) r_u(&r, 1);
	r_strs(&r, out, child_strs, NSTR(child_strs), v);
	if (r_end(&r) != GU_OK)
		return r.err;
	if ((flags & ~1u) ||
	    (out->categories &
	        ~(unsigned) (CAT_LEFT_BEHIND | CAT_IN_DIFFICULTY)))
		return GU_ECORRUPT;
	out->active = flags & 1;
	if (version)
		*version = v;
	return key_id(out->id, key, kl);
}

int
store_entity_staff_encode(
    const struct staff *st, uint8_t *buf, size_t cap, size_t *len)
{
	struct ent_w w = {buf, 0, cap, 0};

	if (st->roles & ~(unsigned) (ROLE_MENTOR | ROLE_TEACHER | ROLE_HEAD))
		return GU_EINVAL;
	w_u(&w, ENT_STAFF_VERSION, 1);
	w_u(&w, (st->active ? 1u : 0u) | (st->must_change_pin ? 2u : 0u), 1);
	w_u(&w, st->roles, 1);
	w_strs(&w, st, staff_strs, NSTR(staff_strs));
	return w_end(&w, len);
}

int
store_entity_staff_decode(
    const void *key, size_t kl, const uint8_t *p, size_t n, struct staff *out)
{
	struct ent_r r;
	unsigned flags;
	int v;

	memset(out, 0, sizeof(*out));
	v = r_begin(&r, p, n, ENT_STAFF_VERSION);
	flags = (unsigned) r_u(&r, 1);
	out->roles = (unsigned) r_u(&r, 1);
	r_strs(&r, out, staff_strs, NSTR(staff_strs), v);
	if (r_end(&r) != GU_OK)
		return r.err;
	if ((flags & ~3u) ||
	    (out->roles & ~(unsigned) (ROLE_MENTOR | ROLE_TEACHER | ROLE_HEAD)))
		return GU_ECORRUPT;
	out->active = flags & 1;
	out->must_change_pin = (flags >> 1) & 1;
	return key_id(out->id, key, kl);
}

int
store_entity_class_encode(const char *grade, uint32_t n_children, uint8_t *buf,
    size_t cap, size_t *len)
{
	struct ent_w w = {buf, 0, cap, 0};

	w_u(&w, ENT_CLASS_VERSION, 1);
	w_u(&w, n_children, 4);
	w_str(&w, grade, 32);
	return w_end(&w, len);
}

int
store_entity_class_decode(const uint8_t *p, size_t n, char *grade,
    size_t grade_cap, uint32_t *n_children)
{
	struct ent_r r;

	(void) r_begin(&r, p, n, ENT_CLASS_VERSION);
	*n_children = (uint32_t) r_u(&r, 4);
	r_str(&r, grade, grade_cap);
	return r_end(&r);
}

int
store_entity_auth_encode(
    const struct staff_auth *a, uint8_t *buf, size_t cap, size_t *len)
{
	struct ent_w w = {buf, 0, cap, 0};

	w_u(&w, ENT_AUTH_VERSION, 1);
	w_u(&w, a->failures, 4);
	w_u(&w, (uint64_t) a->locked_until_ms, 8);
	return w_end(&w, len);
}

int
store_entity_auth_decode(const uint8_t *p, size_t n, struct staff_auth *out)
{
	struct ent_r r;

	memset(out, 0, sizeof(*out));
	(void) r_begin(&r, p, n, ENT_AUTH_VERSION);
	out->failures = (uint32_t) r_u(&r, 4);
	out->locked_until_ms = (int64_t) r_u(&r, 8);
	return r_end(&r);
}

/* ---- sync rows ---- */

int
store_entity_batch_encode(
    const struct sync_batch *b, uint8_t *buf, size_t cap, size_t *len)
{
	struct ent_w w = {buf, 0, cap, 0};

	if (b->urgent > 1)
		return GU_EINVAL;
	w_u(&w, ENT_BATCH_VERSION, 1);
	w_u(&w, b->id, 8);
	w_u(&w, b->first_seq, 8);
	w_u(&w, b->last_seq, 8);
	w_u(&w, b->n_records, 4);
	w_u(&w, b->n_skip, 4);
	w_u(&w, b->urgent, 1);
	w_u(&w, b->attempts, 4);
	w_u(&w, b->raw_bytes, 8);
	w_u(&w, b->gz_bytes, 8);
	w_bytes(&w, b->body_sha256, SYNC_HASH_LEN);
	w_bytes(&w, b->sha256, SYNC_HASH_LEN);
	w_bytes(&w, b->prev, SYNC_HASH_LEN);
	w_u(&w, (uint64_t) b->frozen_ms, 8);
	w_u(&w, (uint64_t) b->acked_ms, 8);
	w_str(&w, b->name, SYNC_NAME_LEN);
	return w_end(&w, len);
}

int
store_entity_batch_decode(const uint8_t *p, size_t n, struct sync_batch *out)
{
	struct ent_r r;

	memset(out, 0, sizeof(*out));
	(void) r_begin(&r, p, n, ENT_BATCH_VERSION);
	out->id = r_u(&r, 8);
	out->first_seq = r_u(&r, 8);
	out->last_seq = r_u(&r, 8);
	out->n_records = (uint32_t) r_u(&r, 4);
	out->n_skip = (uint32_t) r_u(&r, 4);
	out->urgent = (uint32_t) r_u(&r, 1);
	out->attempts = (uint32_t) r_u(&r, 4);
	out->raw_bytes = r_u(&r, 8);
	out->gz_bytes = r_u(&r, 8);
	r_bytes(&r, out->body_sha256, SYNC_HASH_LEN);
	r_bytes(&r, out->sha256, SYNC_HASH_LEN);
	r_bytes(&r, out->prev, SYNC_HASH_LEN);
	out->frozen_ms = (int64_t) r_u(&r, 8);
	out->acked_ms = (int64_t) r_u(&r, 8);
	r_str(&r, out->name, SYNC_NAME_LEN);
	if (r_end(&r) != GU_OK)
		return r.err;
	return out->urgent > 1 ? GU_ECORRUPT : GU_OK;
}

int
store_entity_status_encode(
    const struct sync_status *st, uint8_t *buf, size_t cap, size_t *len)
{
	struct ent_w w = {buf, 0, cap, 0};

	w_u(&w, ENT_STATUS_VERSION, 1);
	w_u(&w, (uint32_t) st->last_rc, 4);
	w_u(&w, (uint32_t) st->http_code, 4);
	w_u(&w, (uint64_t) st->last_attempt_ms, 8);
	w_u(&w, (uint64_t) st->last_success_ms, 8);
	w_u(&w, (uint64_t) st->last_all_done_ms, 8);
	w_u(&w, (uint64_t) st->backoff_until_ms, 8);
	w_u(&w, st->failures, 4);
	w_u(&w, (uint64_t) st->trigger_ms, 8);
	w_u(&w, st->busy ? 1 : 0, 1);
	w_u(&w, (uint64_t) st->busy_ms, 8);
	w_u(&w, st->prog_records_done, 8);
	w_u(&w, st->prog_records_total, 8);
	w_u(&w, st->prog_bytes_done, 8);
	w_u(&w, st->prog_bytes_total, 8);
	w_str(&w, st->message, SYNC_MSG_LEN);
	return w_end(&w, len);
}

int
store_entity_status_decode(const uint8_t *p, size_t n, struct sync_status *out)
{
	struct ent_r r;

	memset(out, 0, sizeof(*out));
	(void) r_begin(&r, p, n, ENT_STATUS_VERSION);
	out->last_rc = (int32_t) (uint32_t) r_u(&r, 4);
	out->http_code = (int32_t) (uint32_t) r_u(&r, 4);
	out->last_attempt_ms = (int64_t) r_u(&r, 8);
	out->last_success_ms = (int64_t) r_u(&r, 8);
	out->last_all_done_ms = (int64_t) r_u(&r, 8);
	out->backoff_until_ms = (int64_t) r_u(&r, 8);
	out->failures = (uint32_t) r_u(&r, 4);
	out->trigger_ms = (int64_t) r_u(&r, 8);
	out->busy = (int32_t) r_u(&r, 1);
	out->busy_ms = (int64_t) r_u(&r, 8);
	out->prog_records_done = r_u(&r, 8);
	out->prog_records_total = r_u(&r, 8);
	out->prog_bytes_done = r_u(&r, 8);
	out->prog_bytes_total = r_u(&r, 8);
	r_str(&r, out->message, SYNC_MSG_LEN);
	if (r_end(&r) != GU_OK)
		return r.err;
	return out->busy > 1 ? GU_ECORRUPT : GU_OK;
}

/* ---- the calendar ---- */

int
store_entity_calendar_encode(
    const struct calendar *c, uint8_t *buf, size_t cap, size_t *len)
{
	struct ent_w w = {buf, 0, cap, 0};

	if (c->n == 0 || !calendar_ok(c))
		return GU_EINVAL;
	w_u(&w, ENT_CALENDAR_VERSION, 1);
	w_u(&w, c->n, 1);
	for (size_t i = 0; i < c->n; i++) {
		w_u(&w, c->span[i].kind, 1);
		w_u(&w, c->span[i].holiday, 1);
		w_u(&w, c->span[i].from, 4);
		w_u(&w, c->span[i].to, 4);
	}
	return w_end(&w, len);
}

int
store_entity_calendar_decode(const uint8_t *p, size_t n, struct calendar *out)
{
	struct ent_r r;
	int rc;

	memset(out, 0, sizeof(*out));
	(void) r_begin(&r, p, n, ENT_CALENDAR_VERSION);
	out->n = (size_t) r_u(&r, 1);
	if (out->n > CAL_SPAN_MAX)
		out->n = 0;
	for (size_t i = 0; i < out->n; i++) {
		out->span[i].kind = (uint8_t) r_u(&r, 1);
		out->span[i].holiday = (uint8_t) r_u(&r, 1);
		out->span[i].from = (uint32_t) r_u(&r, 4);
		out->span[i].to = (uint32_t) r_u(&r, 4);
	}
	rc = r_end(&r);
	if (rc == GU_OK && (out->n == 0 || !calendar_ok(out)))
		rc = GU_ECORRUPT;
	return rc;
}
