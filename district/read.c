/*
 * read.c: one batch file, any version (read.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "read.h"
#include "status.h"

static int
origin(const struct district_keys *dk, const char *school, const char *device,
    const uint8_t key[SIGN_PK_LEN], int version, char *why, size_t why_len)
{
	const uint8_t *pk;

	if (dk->kr == NULL)
		return GU_OK;
	if (version == BATCH_FORMAT_V1) {
		snprintf(why, why_len, "unsigned (format 1)");
		return GU_EAUTH;
	}
	pk = keyring_find(dk->kr, school, device);
	if (pk == NULL) {
		snprintf(why, why_len,
		    "device %s of school %s is not in the keyring", device,
		    school);
		return GU_EAUTH;
	}
	if (memcmp(pk, key, SIGN_PK_LEN) != 0) {
		snprintf(why, why_len,
		    "forged: signed by a key that is not the device's");
		return GU_EAUTH;
	}
	return GU_OK;
}

struct gate {
	struct batch_head *h;
	const struct batch_head *outer;
	const struct district_keys *dk;
	district_begin_fn begin;
	batch_line_fn fn;
	void *arg;
	int sealed, passed;
	char *why;
	size_t why_len;
};

/* The checks across headers, then begin. */
static int
gate_open(struct gate *g)
{
	const struct batch_head *h = g->h;
	int rc = GU_OK;

	g->passed = 1;
	if (g->outer != NULL &&
	    !seal_inner_agrees(g->outer, h, g->why, g->why_len))
		rc = GU_ECORRUPT;
	if (rc == GU_OK && g->outer == NULL)
		rc = origin(g->dk, h->school, h->device, h->key, h->version,
		    g->why, g->why_len);
	if (rc == GU_OK && g->begin != NULL)
		rc = g->begin(g->arg, h, g->sealed);
	return rc;
}

static int
gate_line(void *arg, const char *line, size_t len)
{
	struct gate *g = arg;
	int rc;

	if (!g->passed && (rc = gate_open(g)) != GU_OK)
		return rc;
	return g->fn != NULL ? g->fn(g->arg, line, len) : GU_OK;
}

int
district_read(const uint8_t *f, size_t n, const struct district_keys *dk,
    struct batch_head *h, int *sealed, district_begin_fn begin,
    batch_line_fn fn, void *arg, char *why, size_t why_len)
{
	struct batch_head *outer = NULL;
	const uint8_t *nl;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	int rc;

	*sealed = 0;
	memset(h, 0, sizeof(*h));
	if (n > 0 && f[0] == '{') {
		*sealed = 1;
		outer = malloc(sizeof(*outer));
		if (outer == NULL)
			return GU_ENOMEM;
		/* Origin first: nothing is decrypted for a stranger. */
		nl = memchr(f, '\n', n < BATCH_HEAD_MAX ? n : BATCH_HEAD_MAX);
		rc = nl == NULL
		    ? GU_ECORRUPT
		    : batch_seal_head_parse((const char *) f,
		          (size_t) (nl - f) + 1, outer, why, why_len);
		if (rc == GU_ECORRUPT && nl == NULL)
			snprintf(why, why_len, "line 1: not a batch header");
		if (rc == GU_OK)
			rc = origin(dk, outer->school, outer->device,
			    outer->key, outer->version, why, why_len);
		if (rc == GU_OK)
			rc = seal_open(f, n, dk->k, dk->n, BATCH_RAW_MAX, outer,
			    &plain, &plain_len, why, why_len);
		if (rc != GU_OK) {
			memcpy(h->school, outer->school, sizeof(h->school));
			memcpy(h->device, outer->device, sizeof(h->device));
			goto out;
		}
		f = plain;
		n = plain_len;
	}
	/*
	 * One batch_verify: it checks the whole file before its first line
	 * is handed out, and h is complete then; the checks across the
	 * headers run at the first line (or after, for a batch without
	 * any), before begin and fn see anything.
	 */
	{
		struct gate g = {.h = h,
		    .outer = outer,
		    .dk = dk,
		    .begin = begin,
		    .fn = fn,
		    .arg = arg,
		    .sealed = *sealed,
		    .why = why,
		    .why_len = why_len};

		rc = batch_verify(f, n, h, gate_line, &g, why, why_len);
		if (rc == GU_OK && !g.passed)
			rc = gate_open(&g);
	}
out:
	free(plain);
	free(outer);
	return rc;
}

int
district_slurp(const char *path, size_t max, uint8_t **out, size_t *len)
{
	FILE *fp = fopen(path, "re");
	struct stat sb;
	uint8_t *p;

	*out = NULL;
	if (fp == NULL)
		return errno == ENOENT ? GU_ENOTFOUND : GU_EIO;
	if (fstat(fileno(fp), &sb) != 0 || sb.st_size < 0 ||
	    (size_t) sb.st_size > max) {
		fclose(fp);
		return GU_ETOOBIG;
	}
	p = malloc((size_t) sb.st_size + 1);
	if (p == NULL) {
		fclose(fp);
		return GU_ENOMEM;
	}
	*len = fread(p, 1, (size_t) sb.st_size, fp);
	fclose(fp);
	*out = p;
	return GU_OK;
}
