/*
 * update_index.c: the district's update index and DATA/update/ready
 * (update_index.h): one table of keys, one reader (core/kv.c), one
 * writer.  Pure but for update_index_read()'s file: the fuzz target
 * (fuzz/fuzz_update_index.c) and tests/test_update_index.c drive it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "kv.h"
#include "status.h"
#include "update_index.h"

enum { IN_LATEST = 1, IN_READY = 2 };

/* What a value must be. */
enum vtype {
	V_VERSION, /* 0-9 A-Z a-z . + ~ - */
	V_FILE,    /* 0-9 A-Z a-z . _ -, not starting with '.', *.raucb */
	V_SIZE,    /* 1..max_bytes */
	V_SHA256,  /* 64 hex digits */
	V_TEXT,    /* one line; control characters become spaces, cut */
	V_HOURS    /* update_hours_parse() */
};

struct ikey {
	const char *name;
	unsigned in;       /* IN_LATEST, IN_READY: where it may be */
	unsigned required; /* IN_*: where it must be */
	enum vtype type;
	size_t off, cap; /* the field of struct update_index; cap its size */
};

#define F(f)                                                                   \
	offsetof(struct update_index, f), sizeof(((struct update_index *) 0)->f)
static const struct ikey ikeys[] = {
    {"version", IN_LATEST | IN_READY, IN_LATEST | IN_READY, V_VERSION,
        F(version)},
    {"file", IN_LATEST | IN_READY, IN_LATEST | IN_READY, V_FILE, F(file)},
    {"size", IN_LATEST | IN_READY, IN_LATEST | IN_READY, V_SIZE, 0, 0},
    {"sha256", IN_LATEST | IN_READY, IN_LATEST | IN_READY, V_SHA256, F(sha256)},
    {"compatible", IN_READY, 0, V_TEXT, F(compatible)},
    {"description", IN_READY, 0, V_TEXT, F(description)},
    {"downloaded", IN_READY, 0, V_TEXT, F(downloaded)},
    {"hours", IN_READY, 0, V_HOURS, F(hours)},
};
#undef F
#define N_IKEYS (sizeof(ikeys) / sizeof(ikeys[0]))

struct iparse {
	struct update_index *ix;
	unsigned in; /* IN_LATEST or IN_READY */
	uint64_t max_bytes;
	unsigned char seen[N_IKEYS];
};

static int
only(const char *v, const char *extra)
{
	for (; *v != '\0'; v++)
		if (!((*v >= '0' && *v <= '9') || (*v >= 'a' && *v <= 'z') ||
		        (*v >= 'A' && *v <= 'Z') || strchr(extra, *v) != NULL))
			return 0;
	return 1;
}

/* Checks v as k says and stores it; why says what is wrong. */
static int
take(struct iparse *p, const struct ikey *k, char *v, char *why, size_t wl)
{
	size_t n = strlen(v);
	char *end;
	unsigned long long sz;
	int from, to;

	switch (k->type) {
	case V_VERSION:
		if (n == 0 || n > 64 || !only(v, ".+~-")) {
			snprintf(
			    why, wl, "version: 1 to 64 of 0-9 A-Z a-z . + ~ -");
			return GU_EINVAL;
		}
		break;
	case V_FILE:
		if (n < 7 || n > 128 || v[0] == '.' || !only(v, "._-") ||
		    strcmp(v + n - 6, ".raucb") != 0) {
			snprintf(why, wl,
			    "file: 1 to 128 of 0-9 A-Z a-z . _ -, not "
			    "starting with '.', ending in .raucb");
			return GU_EINVAL;
		}
		break;
	case V_SIZE:
		errno = 0;
		sz = strtoull(v, &end, 10);
		if (v[0] < '0' || v[0] > '9' || errno != 0 || *end != '\0' ||
		    sz == 0 || sz > p->max_bytes) {
			snprintf(why, wl, "size: a number of bytes, 1 to %llu",
			    (unsigned long long) p->max_bytes);
			return GU_EINVAL;
		}
		p->ix->size = sz;
		return GU_OK;
	case V_SHA256:
		if (n != 64 || !only(v, "")) {
			snprintf(why, wl, "sha256: 64 hex digits");
			return GU_EINVAL;
		}
		for (size_t i = 0; i < n; i++) {
			if (v[i] >= 'A' && v[i] <= 'F')
				v[i] = (char) (v[i] - 'A' + 'a');
			else if (!(v[i] <= '9' ||
			             (v[i] >= 'a' && v[i] <= 'f'))) {
				snprintf(why, wl, "sha256: 64 hex digits");
				return GU_EINVAL;
			}
		}
		break;
	case V_TEXT: {
		char *dst = (char *) p->ix + k->off;

		for (size_t i = 0; i < n; i++)
			if ((unsigned char) v[i] < 0x20 || v[i] == 0x7f)
				v[i] = ' ';
		/* No blanks at the ends (nor where the cut falls): the
		 * reader would trim them. */
		while (*v == ' ')
			v++, n--;
		n = buf_utf8_cut(dst, k->cap, v, n);
		while (n > 0 && dst[n - 1] == ' ')
			dst[--n] = '\0';
		return GU_OK;
	}
	case V_HOURS:
		if (update_hours_parse(v, &from, &to, why, wl) != GU_OK)
			return GU_EINVAL;
		break;
	}
	memcpy((char *) p->ix + k->off, v, n + 1);
	return GU_OK;
}

static int
index_line(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct iparse *p = arg;

	for (size_t i = 0; i < N_IKEYS; i++) {
		if (strcmp(ikeys[i].name, l->key) != 0)
			continue;
		if (!(ikeys[i].in & p->in))
			break;
		if (p->seen[i]) {
			snprintf(why, why_len, "%s: given twice", l->key);
			return GU_EINVAL;
		}
		p->seen[i] = 1;
		return take(p, &ikeys[i], l->value, why, why_len);
	}
	if (p->in == IN_READY)
		return GU_OK; /* a later version's key */
	snprintf(why, why_len, "unknown key '%.40s'", l->key);
	return GU_EINVAL;
}

int
update_index_parse(const char *name, const char *text, size_t len,
    enum update_index_kind kind, uint64_t max_bytes, struct update_index *ix,
    char *why, size_t why_len)
{
	static const struct kv_opts opts = {0, "#", NULL, 0, 0};
	struct iparse p = {ix,
	    kind == UPDATE_INDEX_READY ? IN_READY : IN_LATEST, max_bytes, {0}};
	struct kv_first first = {why, why_len, 0};
	int rc;

	memset(ix, 0, sizeof(*ix));
	if (why_len > 0)
		why[0] = '\0';
	if (len > UPDATE_INDEX_MAX) {
		snprintf(why, why_len, "%s: more than %u bytes", name,
		    UPDATE_INDEX_MAX);
		return GU_ETOOBIG;
	}
	rc = kv_parse_buf(
	    name, text, len, &opts, index_line, &p, kv_first_err, &first);
	for (size_t i = 0; rc == GU_OK && i < N_IKEYS; i++)
		if ((ikeys[i].required & p.in) && !p.seen[i]) {
			snprintf(why, why_len, "%s: %s: missing", name,
			    ikeys[i].name);
			rc = GU_EINVAL;
		}
	if (rc != GU_OK) {
		memset(ix, 0, sizeof(*ix));
		return rc == GU_ENOMEM ? rc : GU_EINVAL;
	}
	return GU_OK;
}

int
update_index_read(const char *path, const char *name,
    enum update_index_kind kind, uint64_t max_bytes, struct update_index *ix,
    char *why, size_t why_len)
{
	char text[UPDATE_INDEX_MAX + 1];
	const char *last = strrchr(path, '/');
	size_t n;
	FILE *fp = fopen(path, "re");

	memset(ix, 0, sizeof(*ix));
	if (fp == NULL) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? GU_ENOTFOUND : GU_EIO;
	}
	n = fread(text, 1, sizeof(text), fp);
	fclose(fp);
	if (name == NULL)
		name = last != NULL ? last + 1 : path;
	return update_index_parse(
	    name, text, n, kind, max_bytes, ix, why, why_len);
}

size_t
update_index_format(const struct update_index *ix, char *out, size_t cap)
{
	size_t used = 0;
	int n;

	for (size_t i = 0; i < N_IKEYS; i++) {
		const struct ikey *k = &ikeys[i];

		/* A ready key not set is left out: "hours = " would be
		 * refused when read back. */
		if (!(k->required & IN_READY) &&
		    ((const char *) ix + k->off)[0] == '\0')
			continue;
		if (k->type == V_SIZE)
			n = snprintf(out + used, cap - used, "%s = %llu\n",
			    k->name, (unsigned long long) ix->size);
		else
			n = snprintf(out + used, cap - used, "%s = %s\n",
			    k->name, (const char *) ix + k->off);
		if (n < 0 || (size_t) n >= cap - used) {
			if (cap > 0)
				out[0] = '\0';
			return 0;
		}
		used += (size_t) n;
	}
	return used;
}

/* Two digits 00..max at s. */
static int
hour_at(const char *s, int max)
{
	int h;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	return h <= max ? h : -1;
}

int
update_hours_parse(const char *s, int *from, int *to, char *why, size_t why_len)
{
	int a, b;

	if (strcmp(s, "off") == 0) {
		*from = *to = -1;
		return GU_OK;
	}
	if (strlen(s) != 5 || s[2] != '-' || (a = hour_at(s, 23)) < 0 ||
	    (b = hour_at(s + 3, 24)) < 0 || a == b) {
		snprintf(why, why_len,
		    "update_hours: '%.16s' is not HH-HH (two different hours, "
		    "00-23 and 01-24) or off",
		    s);
		return GU_EINVAL;
	}
	*from = a;
	*to = b;
	return GU_OK;
}

int
update_hours_in(int from, int to, int hour)
{
	if (from < 0 || to < 0 || hour < 0 || hour > 23)
		return 0;
	if (from < to)
		return hour >= from && hour < to;
	return hour >= from || hour < to; /* wraps midnight */
}
