/*
 * ack.c: the district's acknowledgements: the ack file (ack.h) and the
 * REC_ACK records the daemon makes of it.  The file's grammar is in
 * ack.h and docs/district.md; each ack's fields are checked by the record
 * schema itself (rec_validate on a REC_ACK made of them), so the file
 * accepts exactly what the store would.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "sha256.h"
#include "status.h"

#define ACK_FIELDS 8   /* of an ack line, "ack" included */
#define ACK_FOUND 1000 /* a visitor's stop, outside the status codes */

static int
fail(char *why, size_t why_len, const char *name, unsigned line,
    const char *what)
{
	snprintf(why, why_len, "%s:%u: %s", name, line, what);
	return GU_ECORRUPT;
}

/* Splits line (NUL-terminated, modified) at TABs; the number of fields. */
static size_t
split(char *line, char **out, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		if (n == max)
			return max + 1;
		out[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			return n;
		*p++ = '\0';
	}
}

static int
parse_u64(const char *s, int base, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		int d;
		if (s[n] >= '0' && s[n] <= '9')
			d = s[n] - '0';
		else if (base == 16 && s[n] >= 'a' && s[n] <= 'f')
			d = s[n] - 'a' + 10;
		else
			return 0;
		if (v > (UINT64_MAX - (uint64_t) d) / (uint64_t) base)
			return 0;
		v = v * (uint64_t) base + (uint64_t) d;
	}
	if (n == 0 || n > 20 || (base == 10 && s[0] == '0'))
		return 0;
	*out = v;
	return 1;
}

static int
copy(char *dst, size_t cap, const char *src)
{
	size_t l = strlen(src);

	if (l >= cap)
		return 0;
	memcpy(dst, src, l + 1);
	return 1;
}

int
ack_record(
    struct record *r, const struct ack_entry *e, char *why, size_t why_len)
{
	char of[GU_ID_LEN + 48];
	int rc;

	snprintf(of, sizeof(of), "%s/%016" PRIx64 "/%" PRIu64, e->device,
	    e->epoch, e->seq);
	rec_init(r, REC_ACK);
	rc = rec_set_int(r, F_CONCERN, (int64_t) e->seq);
	if (rc == GU_OK)
		rc = rec_set_str(r, F_ACK_OF, of);
	if (rc == GU_OK)
		rc = rec_set_str(r, F_ACK_BY, e->by);
	if (rc == GU_OK)
		rc = rec_set_str(r, F_ACK_AT, e->date);
	if (rc == GU_OK)
		rc = rec_set_str(r, F_OUTCOME, e->outcome);
	if (rc == GU_OK && e->note[0] != '\0')
		rc = rec_set_str(r, F_ACK_NOTE, e->note);
	if (rc != GU_OK) {
		snprintf(why, why_len, "%s", status_str(rc));
		return GU_EINVAL;
	}
	/* The author is set by whoever appends; the schema needs one. */
	snprintf(r->author, sizeof(r->author), "%s", e->device);
	return rec_validate(r, 0, why, why_len);
}

/* One ack line's fields into e; 0 with what on error. */
static int
parse_ack(char **fl, size_t nf, struct ack_entry *e, char *what, size_t cap)
{
	struct record *r;
	int ok;

	if (nf != ACK_FIELDS) {
		snprintf(what, cap, "an ack line has %d fields, this one %s",
		    ACK_FIELDS, nf > ACK_FIELDS ? "more" : "fewer");
		return 0;
	}
	if (!rec_id_ok(fl[1]) || !copy(e->device, sizeof(e->device), fl[1])) {
		snprintf(what, cap, "device: not a device id");
		return 0;
	}
	if (strlen(fl[2]) != 16 || !parse_u64(fl[2], 16, &e->epoch) ||
	    e->epoch == 0) {
		snprintf(what, cap, "epoch: not 16 hex digits");
		return 0;
	}
	if (!parse_u64(fl[3], 10, &e->seq) || e->seq == 0 ||
	    e->seq > INT64_MAX) {
		snprintf(what, cap, "seq: not a number >= 1");
		return 0;
	}
	if (!copy(e->date, sizeof(e->date), fl[4]) ||
	    !copy(e->outcome, sizeof(e->outcome), fl[5]) ||
	    !copy(e->by, sizeof(e->by), fl[6]) ||
	    !copy(e->note, sizeof(e->note), fl[7])) {
		snprintf(what, cap, "a field is too long");
		return 0;
	}
	r = malloc(sizeof(*r));
	if (r == NULL) {
		snprintf(what, cap, "out of memory");
		return 0;
	}
	ok = ack_record(r, e, what, cap) == GU_OK;
	free(r);
	return ok;
}

/* The sig line of a version 2 file: text[0..start) is what it signs. */
static int
check_sig(const char *name, unsigned lno, char **fl, size_t nf,
    const char *text, size_t start, const uint8_t *pk, char *why,
    size_t why_len)
{
	uint8_t sig[SIGN_SIG_LEN], sum[SHA256_LEN];

	if (nf != 2 || strcmp(fl[0], "sig") != 0 ||
	    strlen(fl[1]) != 2 * sizeof(sig) ||
	    sign_hex_in(fl[1], sizeof(sig), sig) != 0)
		return fail(why, why_len, name, lno,
		    "signature: expected 'sig' and 128 hex digits after "
		    "the end line");
	sha256(sum, text, start);
	if (pk != NULL && !sign_hash_ctx_ok(pk, ACK_SIG_CONTEXT, sum, sig))
		return fail(why, why_len, name, lno,
		    "signature does not verify with the district's signing "
		    "key");
	return GU_OK;
}

int
ack_parse(const char *name, const char *text, size_t n, struct ack_file *f,
    char *why, size_t why_len)
{
	return ack_parse_key(name, text, n, NULL, f, why, why_len);
}

int
ack_parse_key(const char *name, const char *text, size_t n, const uint8_t *pk,
    struct ack_file *f, char *why, size_t why_len)
{
	char line[2 * REC_VALUE_MAX + 256], what[200], hex[65];
	char *fl[ACK_FIELDS + 1];
	uint8_t sum[SHA256_LEN];
	size_t pos = 0, nf, cap = 0;
	unsigned lno = 0;
	int rc = GU_ECORRUPT, ended = 0, sig_at = 0;

	memset(f, 0, sizeof(*f));
	while (pos < n) {
		const char *nl = memchr(text + pos, '\n', n - pos);
		size_t l, start = pos;

		lno++;
		if (ended && (f->version != ACK_VERSION_SIGNED || sig_at)) {
			rc = fail(why, why_len, name, lno,
			    sig_at ? "text after the signature line"
			           : "text after the end line");
			goto bad;
		}
		if (nl == NULL) {
			rc = fail(why, why_len, name, lno,
			    "the last line has no line end");
			goto bad;
		}
		l = (size_t) (nl - (text + pos));
		pos += l + 1;
		if (l >= sizeof(line) || memchr(text + start, '\0', l)) {
			rc = fail(why, why_len, name, lno,
			    l >= sizeof(line) ? "line too long" : "a NUL byte");
			goto bad;
		}
		memcpy(line, text + start, l);
		line[l] = '\0';
		nf = split(line, fl, ACK_FIELDS);
		if (lno == 1) {
			if (nf != 2 || strcmp(fl[0], "guanai-acks") != 0) {
				rc = fail(why, why_len, name, lno,
				    "not an ack file (no 'guanai-acks' line)");
				goto bad;
			}
			if (strcmp(fl[1], "1") != 0 &&
			    strcmp(fl[1], "2") != 0) {
				fail(why, why_len, name, lno,
				    "ack file version not 1 or 2");
				rc = GU_EVERSION;
				goto bad;
			}
			f->version = fl[1][0] - '0';
			if (f->version == ACK_VERSION && pk != NULL) {
				rc = fail(why, why_len, name, lno,
				    "signature: version 1 is unsigned, and "
				    "this terminal holds the district's "
				    "signing key");
				goto bad;
			}
			continue;
		}
		if (ended) {
			rc = check_sig(
			    name, lno, fl, nf, text, start, pk, why, why_len);
			if (rc != GU_OK)
				goto bad;
			sig_at = (int) lno;
			continue;
		}
		if (lno == 2) {
			if (nf != 2 || strcmp(fl[0], "school") != 0 ||
			    !rec_id_ok(fl[1])) {
				rc = fail(why, why_len, name, lno,
				    "school: the second line names the school");
				goto bad;
			}
			(void) copy(f->school, sizeof(f->school), fl[1]);
			continue;
		}
		if (strcmp(fl[0], "end") == 0) {
			uint64_t cnt;

			sha256(sum, text, start);
			for (int i = 0; i < SHA256_LEN; i++)
				snprintf(hex + 2 * i, 3, "%02x", sum[i]);
			if (nf != 3 || !parse_u64(fl[1], 10, &cnt) ||
			    cnt != f->n) {
				if (!(nf == 3 && strcmp(fl[1], "0") == 0 &&
				        f->n == 0)) {
					rc = fail(why, why_len, name, lno,
					    "end: the count is not the number "
					    "of ack lines");
					goto bad;
				}
			}
			if (strcmp(fl[2], hex) != 0) {
				rc = fail(why, why_len, name, lno,
				    "end: sha256 does not match the file");
				goto bad;
			}
			ended = 1;
			continue;
		}
		if (strcmp(fl[0], "ack") != 0) {
			rc = fail(why, why_len, name, lno,
			    "a line is 'ack' or 'end'");
			goto bad;
		}
		if (f->n == ACK_MAX) {
			rc = fail(why, why_len, name, lno, "too many acks");
			goto bad;
		}
		if (f->n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct ack_entry *ne = realloc(f->e, nc * sizeof(*ne));
			if (ne == NULL) {
				rc = GU_ENOMEM;
				snprintf(
				    why, why_len, "%s: out of memory", name);
				goto bad;
			}
			f->e = ne;
			cap = nc;
		}
		if (!parse_ack(fl, nf, &f->e[f->n], what, sizeof(what))) {
			rc = fail(why, why_len, name, lno, what);
			goto bad;
		}
		f->e[f->n++].line = lno;
	}
	if (!ended) {
		rc = fail(why, why_len, name, lno + 1,
		    lno < 2 ? "the file is cut short" : "no end line");
		goto bad;
	}
	if (f->version == ACK_VERSION_SIGNED && !sig_at) {
		rc = fail(why, why_len, name, lno + 1,
		    "signature: no sig line after the end line");
		goto bad;
	}
	return GU_OK;
bad:
	ack_file_free(f);
	return rc;
}

void
ack_file_free(struct ack_file *f)
{
	free(f->e);
	memset(f, 0, sizeof(*f));
}

int
ack_load(const char *path, const char *name, const uint8_t *pk,
    struct ack_file *f, char *why, size_t why_len)
{
	FILE *fp = fopen(path, "rbe");
	char *p;
	size_t got;
	int rc;

	memset(f, 0, sizeof(*f));
	if (fp == NULL) {
		snprintf(why, why_len, "%s: cannot open", name);
		return GU_EIO;
	}
	p = malloc(ACK_FILE_MAX + 1);
	if (p == NULL) {
		fclose(fp);
		return GU_ENOMEM;
	}
	got = fread(p, 1, ACK_FILE_MAX + 1, fp);
	rc = ferror(fp) ? GU_EIO : got > ACK_FILE_MAX ? GU_ETOOBIG : GU_OK;
	fclose(fp);
	if (rc != GU_OK)
		snprintf(why, why_len, "%s: %s", name,
		    rc == GU_EIO ? "cannot read" : "larger than 4 MiB");
	else
		rc = ack_parse_key(name, p, got, pk, f, why, why_len);
	free(p);
	return rc;
}

int
ack_format(struct buf *b, const char *school, const struct ack_entry *e,
    size_t n, char *why, size_t why_len)
{
	return ack_format_key(b, school, e, n, NULL, why, why_len);
}

int
ack_format_key(struct buf *b, const char *school, const struct ack_entry *e,
    size_t n, const struct sign_key *k, char *why, size_t why_len)
{
	char line[2 * REC_VALUE_MAX + 256], hex[65];
	uint8_t sum[SHA256_LEN];
	struct record *r;
	size_t start = b->len;
	int rc = GU_OK, l;

	if (!rec_id_ok(school) || n > ACK_MAX) {
		snprintf(why, why_len, "school or count not valid");
		return GU_EINVAL;
	}
	r = malloc(sizeof(*r));
	if (r == NULL)
		return GU_ENOMEM;
	l = snprintf(line, sizeof(line), "guanai-acks\t%d\nschool\t%s\n",
	    k != NULL ? ACK_VERSION_SIGNED : ACK_VERSION, school);
	rc = buf_add(b, line, (size_t) l);
	for (size_t i = 0; rc == GU_OK && i < n; i++) {
		if (ack_record(r, &e[i], why, why_len) != GU_OK ||
		    strpbrk(e[i].by, "\t\n") || strpbrk(e[i].note, "\t\n")) {
			rc = GU_EINVAL;
			break;
		}
		l = snprintf(line, sizeof(line),
		    "ack\t%s\t%016" PRIx64 "\t%" PRIu64 "\t%s\t%s\t%s\t%s\n",
		    e[i].device, e[i].epoch, e[i].seq, e[i].date, e[i].outcome,
		    e[i].by, e[i].note);
		rc = l > 0 && (size_t) l < sizeof(line)
		    ? buf_add(b, line, (size_t) l)
		    : GU_ETOOBIG;
	}
	if (rc == GU_OK) {
		sha256(sum, b->p + start, b->len - start);
		for (int i = 0; i < SHA256_LEN; i++)
			snprintf(hex + 2 * i, 3, "%02x", sum[i]);
		l = snprintf(line, sizeof(line), "end\t%zu\t%s\n", n, hex);
		rc = buf_add(b, line, (size_t) l);
	}
	if (rc == GU_OK && k != NULL) {
		uint8_t sig[SIGN_SIG_LEN];

		sha256(sum, b->p + start, b->len - start);
		sign_hash_ctx(k, ACK_SIG_CONTEXT, sum, sig);
		memcpy(line, "sig\t", 4);
		for (int i = 0; i < SIGN_SIG_LEN; i++)
			snprintf(line + 4 + 2 * i, 3, "%02x", sig[i]);
		line[4 + 2 * SIGN_SIG_LEN] = '\n';
		rc = buf_add(b, line, 4 + 2 * SIGN_SIG_LEN + 1);
	}
	free(r);
	if (rc != GU_OK)
		buf_truncate(b, start);
	return rc;
}

/* ---- into the store ---- */

struct have {
	uint64_t concern;
	const struct record *want;
	int found;
};

static int
same_str(const struct record *a, const struct record *b, enum rec_field f)
{
	const char *x = rec_str(a, f), *y = rec_str(b, f);

	return (x == NULL && y == NULL) ||
	    (x != NULL && y != NULL && strcmp(x, y) == 0);
}

/* Whether two acks say the same: the identity of an ack. */
static int
same_ack(const struct record *a, const struct record *b)
{
	static const enum rec_field fs[] = {
	    F_ACK_OF, F_ACK_BY, F_ACK_AT, F_OUTCOME, F_ACK_NOTE};

	if (rec_int(a, F_CONCERN, 0) != rec_int(b, F_CONCERN, 0))
		return 0;
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		if (!same_str(a, b, fs[i]))
			return 0;
	return 1;
}

static int
have_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct have *h = arg;

	(void) voided_by;
	if (r->kind == REC_ACK && same_ack(r, h->want)) {
		h->found = 1;
		return ACK_FOUND;
	}
	return 0;
}

int
ack_apply(struct store *s, const struct ack_file *f, int64_t now_ms,
    int16_t tz_min, size_t *added, size_t *skipped, char *why, size_t why_len)
{
	struct store_info info;
	struct record *rs = NULL, *c = NULL;
	char what[200];
	size_t n = 0, bad = 0;
	int rc;

	*added = *skipped = 0;
	rc = store_info(s, &info);
	if (rc != GU_OK)
		return rc;
	c = malloc(sizeof(*c));
	rs = f->n ? calloc(f->n, sizeof(*rs)) : NULL;
	if (c == NULL || (f->n && rs == NULL)) {
		rc = GU_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct ack_entry *e = &f->e[i];
		struct have h;
		int dup = 0;

		if (strcmp(e->device, info.device) != 0 ||
		    e->epoch != info.epoch)
			continue; /* another terminal's concern */
		rc = store_get(s, e->seq, c);
		if (rc == GU_ENOTFOUND ||
		    (rc == GU_OK &&
		        (c->kind != REC_CONCERN ||
		            !(c->flags & REC_FLAG_URGENT)))) {
			snprintf(why, why_len,
			    "line %u: seq %" PRIu64 " is not an urgent concern "
			    "of this terminal",
			    e->line, e->seq);
			rc = GU_EINVAL;
			goto out;
		}
		if (rc != GU_OK)
			goto out;
		if (store_voided_by(s, e->seq) != 0) {
			(*skipped)++;
			continue;
		}
		rc = ack_record(&rs[n], e, what, sizeof(what));
		if (rc != GU_OK) {
			snprintf(why, why_len, "line %u: %s", e->line, what);
			goto out;
		}
		for (size_t j = 0; j < n && !dup; j++)
			dup = same_ack(&rs[j], &rs[n]);
		h = (struct have){e->seq, &rs[n], 0};
		if (!dup) {
			rc = store_child_file(s, rec_child(c), 0, have_fn, &h);
			if (rc != GU_OK && rc != ACK_FOUND)
				goto out;
			rc = GU_OK;
		}
		if (dup || h.found)
			continue;
		snprintf(rs[n].author, sizeof(rs[n].author), "%s", info.device);
		rs[n].time_ms = now_ms;
		rs[n].tz_min = tz_min;
		n++;
	}
	rc = GU_OK;
	if (n > 0) {
		rc = store_append_n(s, rs, n, &bad, what, sizeof(what));
		if (rc == GU_EINVAL)
			snprintf(why, why_len, "%s", what);
		else if (rc == GU_OK)
			*added = n;
	}
out:
	free(rs);
	free(c);
	return rc;
}
