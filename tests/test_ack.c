/*
 * test_ack.c: the district's ack file (sync/ack.h, docs/district.md "The
 * ack file"): the writer's output parses back; every way a file can be
 * wrong is refused naming its line and field; ack_apply() appends one
 * REC_ACK per new ack, joins the child's file, adds nothing the second
 * time, skips other terminals' acks and voided concerns, and writes
 * nothing at all when one ack of the file is bad.  Format 2 (signed):
 * good, a flipped byte, a forger who fixes the SHA-256 line, the wrong
 * key, a downgrade to format 1, a missing or trailing sig line.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ack.h"
#include "fixture.h"
#include "seal.h"
#include "sha256.h"

static struct ack_entry
entry(const char *device, uint64_t epoch, uint64_t seq, const char *outcome,
    const char *by, const char *note)
{
	struct ack_entry e;

	memset(&e, 0, sizeof(e));
	fx_cpy(e.device, sizeof(e.device), device);
	e.epoch = epoch;
	e.seq = seq;
	fx_cpy(e.date, sizeof(e.date), "2026-12-02");
	fx_cpy(e.outcome, sizeof(e.outcome), outcome);
	fx_cpy(e.by, sizeof(e.by), by);
	fx_cpy(e.note, sizeof(e.note), note);
	return e;
}

/* The file of school with n entries, as the district writes it. */
static void
file_of(struct buf *b, const char *school, const struct ack_entry *e, size_t n)
{
	char why[200];

	buf_init(b, ACK_FILE_MAX);
	assert_int_equal(ack_format(b, school, e, n, why, sizeof(why)), GU_OK);
}

/* text with its end line made right for it (a hand-made file). */
static char *
with_end(const char *body, unsigned n)
{
	uint8_t sum[SHA256_LEN];
	size_t l = strlen(body);
	char *out = malloc(l + 128);

	sha256(sum, body, l);
	memcpy(out, body, l);
	l += (size_t) snprintf(out + l, 32, "end\t%u\t", n);
	for (int i = 0; i < SHA256_LEN; i++)
		l += (size_t) snprintf(out + l, 3, "%02x", sum[i]);
	out[l++] = '\n';
	out[l] = '\0';
	return out;
}

static int
parse_str(const char *text, struct ack_file *f, char *why, size_t cap)
{
	return ack_parse("acks.txt", text, strlen(text), f, why, cap);
}

static void
test_round_trip(void **st)
{
	struct ack_entry e[3] = {
	    entry("kiosk-01", 0x1234abcdULL, 7, "received", "王科长", ""),
	    entry(
	        "kiosk-01", 0x1234abcdULL, 7, "police", "王科长", "已转派出所"),
	    entry("kiosk-02", 0xffffffffffffffffULL, 99, "handled", "李", "")};
	struct ack_file f;
	struct buf b;
	char why[200];

	(void) st;
	file_of(&b, "S001", e, 3);
	assert_non_null(strstr(b.p, "guanai-acks\t1\nschool\tS001\n"));
	assert_non_null(strstr(b.p,
	    "ack\tkiosk-01\t000000001234abcd\t7\t"
	    "2026-12-02\tpolice\t王科长\t已转派出所\n"));
	assert_int_equal(
	    ack_parse("a", b.p, b.len, &f, why, sizeof(why)), GU_OK);
	assert_string_equal(f.school, "S001");
	assert_int_equal(f.n, 3);
	assert_int_equal(f.e[2].epoch, 0xffffffffffffffffULL);
	assert_int_equal(f.e[1].seq, 7);
	assert_int_equal(f.e[1].line, 4);
	assert_string_equal(f.e[1].note, "已转派出所");
	assert_string_equal(f.e[0].note, "");
	ack_file_free(&f);
	buf_fini(&b);

	/* No acks at all is a file too. */
	file_of(&b, "S001", e, 0);
	assert_int_equal(
	    ack_parse("a", b.p, b.len, &f, why, sizeof(why)), GU_OK);
	assert_int_equal(f.n, 0);
	ack_file_free(&f);
	buf_fini(&b);
}

/* A signing pair made by the district's own keygen, in a temp folder. */
static void
sign_pair(struct sign_key *k, uint8_t pk[SEAL_KEY_LEN])
{
	char dir[] = "/tmp/test_ack.XXXXXX", path[64], why[200];

	assert_non_null(mkdtemp(dir));
	assert_int_equal(seal_sign_keygen(dir, why, sizeof(why)), GU_OK);
	snprintf(path, sizeof(path), "%s/district-sign.secret", dir);
	assert_int_equal(
	    seal_sign_secret_load(path, k, why, sizeof(why)), GU_OK);
	(void) unlink(path);
	snprintf(path, sizeof(path), "%s/district-sign.pub", dir);
	assert_int_equal(seal_sign_pub_load(path, pk, why, sizeof(why)), GU_OK);
	(void) unlink(path);
	(void) rmdir(dir);
	assert_memory_equal(k->pk, pk, SEAL_KEY_LEN);
}

static int
parse_key(const struct buf *b, const uint8_t *pk, char *why, size_t cap)
{
	struct ack_file f;
	int rc = ack_parse_key("acks.txt", b->p, b->len, pk, &f, why, cap);

	if (rc == GU_OK)
		assert_int_equal(f.version, pk != NULL ? 2 : f.version);
	ack_file_free(&f);
	return rc;
}

/* b's line ln (1-based) starts at the returned offset. */
static size_t
line_at(const struct buf *b, unsigned ln)
{
	size_t o = 0;

	for (unsigned i = 1; i < ln; i++)
		o = (size_t) ((char *) memchr(b->p + o, '\n', b->len - o) -
		        b->p) +
		    1;
	return o;
}

static void
test_signed(void **st)
{
	struct ack_entry e[2] = {
	    entry("kiosk-01", 0x1234abcdULL, 7, "received", "王科长", ""),
	    entry("kiosk-01", 0x1234abcdULL, 7, "police", "王科长", "已转")};
	struct sign_key k, k2;
	uint8_t pk[SEAL_KEY_LEN], pk2[SEAL_KEY_LEN];
	struct ack_file f;
	struct buf b, c;
	char why[300];
	size_t o;

	(void) st;
	sign_pair(&k, pk);
	sign_pair(&k2, pk2);
	buf_init(&b, ACK_FILE_MAX);
	assert_int_equal(
	    ack_format_key(&b, "S001", e, 2, &k, why, sizeof(why)), GU_OK);
	assert_memory_equal(b.p, "guanai-acks\t2\n", 14);
	o = line_at(&b, 6);
	assert_memory_equal(b.p + o, "sig\t", 4);
	assert_int_equal(b.len - o, 4 + 128 + 1);

	/* good: with the key, and without one (the SHA-256 only) */
	assert_int_equal(parse_key(&b, pk, why, sizeof(why)), GU_OK);
	assert_int_equal(
	    ack_parse_key("a", b.p, b.len, pk, &f, why, sizeof(why)), GU_OK);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.version, ACK_VERSION_SIGNED);
	ack_file_free(&f);
	assert_int_equal(parse_key(&b, NULL, why, sizeof(why)), GU_OK);

	/* the wrong key */
	assert_int_equal(parse_key(&b, pk2, why, sizeof(why)), GU_ECORRUPT);
	assert_string_equal(why,
	    "acks.txt:6: signature does not verify with "
	    "the district's signing key");

	/* a flipped byte of the signature */
	buf_init(&c, ACK_FILE_MAX);
	assert_int_equal(buf_add(&c, b.p, b.len), GU_OK);
	c.p[o + 10] = c.p[o + 10] == 'a' ? 'b' : 'a';
	assert_int_equal(parse_key(&c, pk, why, sizeof(why)), GU_ECORRUPT);
	assert_non_null(strstr(why, "acks.txt:6: signature does not verify"));
	buf_fini(&c);

	/* a flipped byte of an ack: the SHA-256 line catches it first */
	buf_init(&c, ACK_FILE_MAX);
	assert_int_equal(buf_add(&c, b.p, b.len), GU_OK);
	c.p[line_at(&c, 4) + 4] = 'K';
	assert_int_equal(parse_key(&c, pk, why, sizeof(why)), GU_ECORRUPT);
	assert_non_null(strstr(why, "acks.txt:5: end: sha256 does not match"));
	buf_fini(&c);

	/* a forger who changes an outcome and writes the SHA-256 line
	 * again: the old signature stays, and does not verify */
	{
		char body[1100], *fixed, *w;
		size_t end = line_at(&b, 5), pre;

		memcpy(body, b.p, end);
		body[end] = '\0';
		w = strstr(body, "\tpolice\t");
		assert_non_null(w);
		pre = (size_t) (w - body);
		memmove(w + 7, w + 8, strlen(w + 8) + 1);
		memcpy(body + pre, "\tcivil\t", 7);
		fixed = with_end(body, 2);
		buf_init(&c, ACK_FILE_MAX);
		assert_int_equal(buf_add(&c, fixed, strlen(fixed)), GU_OK);
		assert_int_equal(buf_add(&c, b.p + o, b.len - o), GU_OK);
		free(fixed);
		assert_non_null(memmem(c.p, c.len, "\tcivil\t", 7));
		assert_int_equal(parse_key(&c, NULL, why, sizeof(why)), GU_OK);
		assert_int_equal(
		    parse_key(&c, pk, why, sizeof(why)), GU_ECORRUPT);
		assert_string_equal(why,
		    "acks.txt:6: signature does not verify with the "
		    "district's signing key");
		buf_fini(&c);
	}

	/* a downgrade: the same acks unsigned, refused by a keyholder */
	buf_init(&c, ACK_FILE_MAX);
	assert_int_equal(ack_format(&c, "S001", e, 2, why, sizeof(why)), GU_OK);
	assert_int_equal(parse_key(&c, NULL, why, sizeof(why)), GU_OK);
	assert_int_equal(parse_key(&c, pk, why, sizeof(why)), GU_ECORRUPT);
	assert_non_null(strstr(why,
	    "acks.txt:1: signature: version 1 is "
	    "unsigned"));
	buf_fini(&c);

	/* version 2 without its sig line, or with text after it */
	buf_init(&c, ACK_FILE_MAX);
	assert_int_equal(buf_add(&c, b.p, o), GU_OK);
	assert_int_equal(parse_key(&c, NULL, why, sizeof(why)), GU_ECORRUPT);
	assert_string_equal(
	    why, "acks.txt:6: signature: no sig line after the end line");
	assert_int_equal(buf_add(&c, "sig\tab\n", 7), GU_OK);
	assert_int_equal(parse_key(&c, NULL, why, sizeof(why)), GU_ECORRUPT);
	assert_non_null(strstr(why, "acks.txt:6: signature: expected 'sig'"));
	buf_fini(&c);
	buf_init(&c, ACK_FILE_MAX);
	assert_int_equal(buf_add(&c, b.p, b.len), GU_OK);
	assert_int_equal(buf_add(&c, "x\n", 2), GU_OK);
	assert_int_equal(parse_key(&c, pk, why, sizeof(why)), GU_ECORRUPT);
	assert_string_equal(why, "acks.txt:7: text after the signature line");
	buf_fini(&c);
	buf_fini(&b);
	sign_key_close(&k);
	sign_key_close(&k2);
}

static void
test_writer_refuses(void **st)
{
	struct ack_entry e =
	    entry("kiosk-01", 1, 7, "arrested", "王", ""); /* not a word */
	struct buf b;
	char why[200] = "";

	(void) st;
	buf_init(&b, ACK_FILE_MAX);
	assert_int_equal(
	    ack_format(&b, "S001", &e, 1, why, sizeof(why)), GU_EINVAL);
	assert_non_null(strstr(why, "outcome"));
	assert_int_equal(b.len, 0);
	e = entry("kiosk-01", 1, 7, "police", "王\t科长", "");
	assert_int_equal(
	    ack_format(&b, "S001", &e, 1, why, sizeof(why)), GU_EINVAL);
	buf_fini(&b);
}

/* Each bad file: its result and the words its message must have. */
static const struct bad {
	const char *body; /* before the end line; NULL: text is whole */
	const char *text;
	unsigned n;
	int rc;
	const char *why;
} bads[] = {
    {NULL, "", 0, GU_ECORRUPT, "acks.txt:1: the file is cut short"},
    {NULL, "guanai-acks\t3\nschool\tS001\nend\t0\tx\n", 0, GU_EVERSION,
        "acks.txt:1: ack file version not 1 or 2"},
    {NULL, "hello\n", 0, GU_ECORRUPT, "acks.txt:1: not an ack file"},
    {"guanai-acks\t1\nschool\tS 1\n", NULL, 0, GU_ECORRUPT,
        "acks.txt:2: school"},
    {"guanai-acks\t1\nschool\tS001\nack\tk/1\t0000000000000001\t7\t"
     "2026-12-02\tpolice\t王\t\n",
        NULL, 1, GU_ECORRUPT, "acks.txt:3: device"},
    {"guanai-acks\t1\nschool\tS001\nack\tk1\t00000001\t7\t"
     "2026-12-02\tpolice\t王\t\n",
        NULL, 1, GU_ECORRUPT, "acks.txt:3: epoch"},
    {"guanai-acks\t1\nschool\tS001\nack\tk1\t0000000000000001\t0\t"
     "2026-12-02\tpolice\t王\t\n",
        NULL, 1, GU_ECORRUPT, "acks.txt:3: seq"},
    {"guanai-acks\t1\nschool\tS001\nack\tk1\t0000000000000001\t7\t"
     "2026-02-30\tpolice\t王\t\n",
        NULL, 1, GU_ECORRUPT, "acks.txt:3: ack: field ack_at"},
    {"guanai-acks\t1\nschool\tS001\nack\tk1\t0000000000000001\t7\t"
     "2026-12-02\tjailed\t王\t\n",
        NULL, 1, GU_ECORRUPT, "acks.txt:3: ack: field outcome"},
    {"guanai-acks\t1\nschool\tS001\nack\tk1\t0000000000000001\t7\t"
     "2026-12-02\tpolice\t\t\n",
        NULL, 1, GU_ECORRUPT, "acks.txt:3: ack: field ack_by"},
    {"guanai-acks\t1\nschool\tS001\nack\tk1\t0000000000000001\t7\t"
     "2026-12-02\tpolice\t王\n",
        NULL, 1, GU_ECORRUPT, "acks.txt:3: an ack line has 8 fields"},
    {"guanai-acks\t1\nschool\tS001\nack\tk1\t0000000000000001\t7\t"
     "2026-12-02\tpolice\t王\t\n",
        NULL, 2, GU_ECORRUPT, "acks.txt:4: end: the count"},
    {"guanai-acks\t1\nschool\tS001\nnack\n", NULL, 0, GU_ECORRUPT,
        "acks.txt:3: a line is 'ack' or 'end'"},
    {NULL, "guanai-acks\t1\nschool\tS001\n", 0, GU_ECORRUPT,
        "acks.txt:3: no end line"},
    {NULL, "guanai-acks\t1\nschool\tS001\nend\t0\t", 0, GU_ECORRUPT,
        "acks.txt:3: the last line has no line end"},
};

static void
test_refused_by_line(void **st)
{
	struct ack_file f;
	char why[300];

	(void) st;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		char *t = bads[i].body ? with_end(bads[i].body, bads[i].n)
		                       : strdup(bads[i].text);

		why[0] = '\0';
		if (parse_str(t, &f, why, sizeof(why)) != bads[i].rc ||
		    strstr(why, bads[i].why) == NULL)
			fail_msg("case %zu: got '%s', want '%s'", i, why,
			    bads[i].why);
		assert_null(f.e);
		assert_int_equal(f.n, 0);
		free(t);
	}
}

static void
test_checksum_and_tail(void **st)
{
	struct ack_entry e = entry("kiosk-01", 1, 7, "police", "王", "");
	struct ack_file f;
	struct buf b;
	char why[300];
	char *p;

	(void) st;
	file_of(&b, "S001", &e, 1);
	/* One changed byte of an ack: the sum no longer matches. */
	p = strstr(b.p, "police");
	memcpy(p, "civil\t", 6);
	memmove(p + 5, p + 6, strlen(p + 6) + 1);
	b.len--;
	assert_int_equal(
	    ack_parse("acks.txt", b.p, b.len, &f, why, sizeof(why)),
	    GU_ECORRUPT);
	assert_non_null(strstr(why, "acks.txt:4: end: sha256 does not match"));
	buf_fini(&b);

	file_of(&b, "S001", &e, 1);
	assert_int_equal(buf_add(&b, "ack\n", 4), GU_OK);
	assert_int_equal(
	    ack_parse("acks.txt", b.p, b.len, &f, why, sizeof(why)),
	    GU_ECORRUPT);
	assert_non_null(strstr(why, "acks.txt:5: text after the end line"));
	buf_fini(&b);
}

/* ---- into the store ---- */

struct fx {
	char *dir;
	struct store *s;
	struct store_info info;
	uint64_t urgent, plain, checkin;
};

static uint64_t
concern(struct store *s, const char *child, int urgent)
{
	struct record r;
	char why[200];

	rec_init(&r, REC_CONCERN);
	r.time_ms = FX_TIME;
	r.tz_min = 480;
	if (urgent)
		r.flags = REC_FLAG_URGENT;
	fx_cpy(r.author, sizeof(r.author), "T001");
	rec_set_str(&r, F_CHILD, child);
	rec_set_add(&r, F_CONCERNS, "harm");
	rec_set_int(&r, F_URGENT, urgent);
	if (store_append(s, &r, why, sizeof(why)) != GU_OK)
		fail_msg("concern: %s", why);
	return r.seq;
}

static int
setup(void **st)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct record r;
	char why[200];

	f->s = fx_store(&f->dir, NULL);
	assert_non_null(f->s);
	assert_int_equal(store_info(f->s, &f->info), GU_OK);
	f->urgent = concern(f->s, "C001", 1);
	f->plain = concern(f->s, "C002", 0);
	fx_checkin(&r, "C001", FX_TIME);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_OK);
	f->checkin = r.seq;
	*st = f;
	return 0;
}

static int
teardown(void **st)
{
	struct fx *f = *st;

	store_close(f->s);
	fx_rmdir(f->dir);
	free(f);
	return 0;
}

struct count {
	size_t acks;
	struct record last;
};

static int
count_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct count *c = arg;

	(void) voided_by;
	if (r->kind == REC_ACK) {
		if (c->acks++ == 0)
			c->last = *r;
	}
	return 0;
}

static struct count
acks_of(struct store *s, const char *child)
{
	struct count c;

	memset(&c, 0, sizeof(c));
	assert_int_equal(store_child_file(s, child, 0, count_fn, &c), GU_OK);
	return c;
}

static int
apply(struct fx *f, const struct ack_entry *e, size_t n, size_t *added,
    size_t *skipped, char *why, size_t cap)
{
	struct ack_file af;
	struct buf b;
	int rc;

	file_of(&b, f->info.school_id, e, n);
	assert_int_equal(
	    ack_parse("acks.txt", b.p, b.len, &af, why, cap), GU_OK);
	rc =
	    ack_apply(f->s, &af, FX_TIME + 1000, 480, added, skipped, why, cap);
	ack_file_free(&af);
	buf_fini(&b);
	return rc;
}

static void
test_apply_once(void **st)
{
	struct fx *f = *st;
	struct ack_entry e[3];
	struct store_info after;
	struct count c;
	size_t added, skipped;
	char why[300];

	e[0] = entry(
	    f->info.device, f->info.epoch, f->urgent, "received", "王科长", "");
	/* Another terminal's concern of the same school: not this store's. */
	e[1] = entry("kiosk-09", 5, f->urgent, "police", "王科长", "");
	e[2] = e[0]; /* a line twice: one record */
	assert_int_equal(
	    apply(f, e, 3, &added, &skipped, why, sizeof(why)), GU_OK);
	assert_int_equal(added, 1);
	c = acks_of(f->s, "C001");
	assert_int_equal(c.acks, 1);
	assert_int_equal(rec_int(&c.last, F_CONCERN, 0), (int64_t) f->urgent);
	assert_string_equal(rec_str(&c.last, F_OUTCOME), "received");
	assert_string_equal(rec_str(&c.last, F_ACK_BY), "王科长");
	assert_string_equal(rec_str(&c.last, F_ACK_AT), "2026-12-02");
	assert_false(rec_has(&c.last, F_ACK_NOTE));
	assert_string_equal(c.last.author, f->info.device);
	snprintf(why, sizeof(why), "%s/%016" PRIx64 "/%" PRIu64, f->info.device,
	    f->info.epoch, f->urgent);
	assert_string_equal(rec_str(&c.last, F_ACK_OF), why);

	/* The same file again adds nothing. */
	assert_int_equal(store_info(f->s, &after), GU_OK);
	assert_int_equal(
	    apply(f, e, 3, &added, &skipped, why, sizeof(why)), GU_OK);
	assert_int_equal(added, 0);
	{
		struct store_info again;
		assert_int_equal(store_info(f->s, &again), GU_OK);
		assert_int_equal(again.last_seq, after.last_seq);
	}

	/* A later ack of the same concern is a record of its own. */
	e[1] = entry(f->info.device, f->info.epoch, f->urgent, "police",
	    "王科长", "已转城关派出所");
	assert_int_equal(
	    apply(f, e, 2, &added, &skipped, why, sizeof(why)), GU_OK);
	assert_int_equal(added, 1);
	c = acks_of(f->s, "C001");
	assert_int_equal(c.acks, 2);
	assert_string_equal(rec_str(&c.last, F_OUTCOME), "police");
	assert_string_equal(rec_str(&c.last, F_ACK_NOTE), "已转城关派出所");
	assert_int_equal(store_check(f->s, why, sizeof(why)), GU_OK);
}

static void
test_apply_all_or_nothing(void **st)
{
	struct fx *f = *st;
	struct ack_entry e[2];
	struct store_info before, after;
	size_t added, skipped;
	char why[300];
	const uint64_t bad_seqs[] = {0, 0, 0, 9999};

	e[0] = entry(
	    f->info.device, f->info.epoch, f->urgent, "received", "王科长", "");
	assert_int_equal(store_info(f->s, &before), GU_OK);
	/* A concern that is not urgent, a check-in, no record at all. */
	for (size_t i = 1; i < 4; i++) {
		uint64_t seq = i == 1 ? f->plain
		    : i == 2          ? f->checkin
		                      : bad_seqs[i];
		e[1] = entry(
		    f->info.device, f->info.epoch, seq, "handled", "王", "");
		assert_int_equal(
		    apply(f, e, 2, &added, &skipped, why, sizeof(why)),
		    GU_EINVAL);
		assert_non_null(strstr(why, "line 4: seq"));
		assert_non_null(strstr(why, "is not an urgent concern"));
		assert_int_equal(added, 0);
	}
	assert_int_equal(store_info(f->s, &after), GU_OK);
	assert_int_equal(after.last_seq, before.last_seq);
	assert_int_equal(acks_of(f->s, "C001").acks, 0);
}

static void
test_apply_voided(void **st)
{
	struct fx *f = *st;
	struct ack_entry e;
	struct record v;
	size_t added, skipped;
	char why[300];

	rec_init(&v, REC_VOID);
	v.time_ms = FX_TIME;
	v.tz_min = 480;
	fx_cpy(v.author, sizeof(v.author), "T001");
	rec_set_int(&v, F_TARGET, (int64_t) f->urgent);
	rec_set_str(&v, F_REASON, "wrong_entry");
	assert_int_equal(store_append(f->s, &v, why, sizeof(why)), GU_OK);
	e = entry(
	    f->info.device, f->info.epoch, f->urgent, "received", "王", "");
	assert_int_equal(
	    apply(f, &e, 1, &added, &skipped, why, sizeof(why)), GU_OK);
	assert_int_equal(added, 0);
	assert_int_equal(skipped, 1);
}

/* A kiosk user cannot write an ack: its author is the device only. */
static void
test_not_by_staff_rules(void **st)
{
	struct fx *f = *st;
	struct ack_entry e = entry(
	    f->info.device, f->info.epoch, f->urgent, "received", "王", "");
	struct record r;
	char why[300];

	assert_int_equal(ack_record(&r, &e, why, sizeof(why)), GU_OK);
	r.time_ms = FX_TIME;
	r.tz_min = 480;
	fx_cpy(r.author, sizeof(r.author), "T009"); /* the head */
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_EINVAL);
	assert_non_null(strstr(why, "author must be the device"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_writer_refuses),
	    cmocka_unit_test(test_signed),
	    cmocka_unit_test(test_refused_by_line),
	    cmocka_unit_test(test_checksum_and_tail),
	    cmocka_unit_test_setup_teardown(test_apply_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_apply_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_apply_voided, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_not_by_staff_rules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
