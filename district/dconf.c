/*
 * dconf.c: the ingest configuration (dconf.h).  One row per key.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dconf.h"
#include "kv.h"
#include "status.h"

enum dk_type { DK_STR, DK_KEYS, DK_NUM, DK_BOOL };

struct dkey {
	const char *name;
	enum dk_type type;
	size_t off, cap;
	int required;
};

#define DS(f, req)                                                             \
	{                                                                      \
#f, DK_STR, offsetof(struct dconf, f), DCONF_STR, req          \
	}
#define DT(f)                                                                  \
	{                                                                      \
#f, DK_STR, offsetof(struct dconf, tr.f), HTTP_STR_MAX, 0      \
	}

static const struct dkey dkeys[] = {
    DS(database, 1),
    DS(source, 1),
    DS(keyring, 1),
    DS(acks, 0),
    DS(sign_key, 0),
    {"secret_keys", DK_KEYS, offsetof(struct dconf, secret_keys), 0, 1},
    {"progress_s", DK_NUM, offsetof(struct dconf, progress_s), 0, 0},
    DT(aws_sigv4),
    DT(aws_user),
    DT(ca_file),
    {"allow_http", DK_BOOL, offsetof(struct dconf, tr.allow_http), 0, 0},
};
#define N_DKEYS (sizeof(dkeys) / sizeof(dkeys[0]))

struct dload {
	struct dconf *c;
	unsigned seen[N_DKEYS]; /* the line each key was given on */
	const char *path;
	int bad;
};

static int
dline(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct dload *d = arg;
	char *p = (char *) d->c, *tok, *save = NULL, *end;
	size_t i;

	for (i = 0; i < N_DKEYS; i++)
		if (strcmp(l->key, dkeys[i].name) == 0)
			break;
	if (i == N_DKEYS) {
		snprintf(why, why_len, "unknown key '%s'", l->key);
		return GU_EINVAL;
	}
	if (d->seen[i]) {
		snprintf(why, why_len, "%s given twice (first on line %u)",
		    l->key, d->seen[i]);
		return GU_EINVAL;
	}
	d->seen[i] = l->line;
	if (strlen(l->value) >= DCONF_STR || l->value[0] == '\0') {
		snprintf(why, why_len, "%s: empty or longer than %d bytes",
		    l->key, DCONF_STR - 1);
		return GU_EINVAL;
	}
	switch (dkeys[i].type) {
	case DK_STR:
		if (strlen(l->value) >= dkeys[i].cap) {
			snprintf(why, why_len, "%s: longer than %zu bytes",
			    l->key, dkeys[i].cap - 1);
			return GU_EINVAL;
		}
		snprintf(p + dkeys[i].off, dkeys[i].cap, "%s", l->value);
		return GU_OK;
	case DK_BOOL:
		if (strcmp(l->value, "yes") != 0 &&
		    strcmp(l->value, "no") != 0) {
			snprintf(
			    why, why_len, "%s: expected yes or no", l->key);
			return GU_EINVAL;
		}
		d->c->tr.allow_http = strcmp(l->value, "yes") == 0;
		return GU_OK;
	case DK_KEYS:
		for (tok = strtok_r(l->value, " \t", &save); tok != NULL;
		     tok = strtok_r(NULL, " \t", &save)) {
			if (d->c->n_secret >= DCONF_KEYS_MAX) {
				snprintf(why, why_len,
				    "secret_keys: more than %d files",
				    DCONF_KEYS_MAX);
				return GU_EINVAL;
			}
			snprintf(d->c->secret_keys[d->c->n_secret++], DCONF_STR,
			    "%s", tok);
		}
		return GU_OK;
	case DK_NUM:
	default:
		d->c->progress_s = strtol(l->value, &end, 10);
		if (*end != '\0' || d->c->progress_s < 0 ||
		    d->c->progress_s > 86400) {
			snprintf(why, why_len,
			    "%s: expected seconds, 0 to 86400", l->key);
			return GU_EINVAL;
		}
		return GU_OK;
	}
}

static void
derr(void *arg, const char *name, unsigned line, const char *msg)
{
	struct dload *d = arg;

	d->bad = 1;
	if (line > 0)
		fprintf(stderr, "%s:%u: %s\n", name, line, msg);
	else
		fprintf(stderr, "%s: %s\n", name, msg);
}

int
dconf_load(struct dconf *c, const char *path)
{
	struct kv_opts o = {.keep_going = 1};
	struct dload d;
	int rc;

	memset(c, 0, sizeof(*c));
	memset(&d, 0, sizeof(d));
	c->progress_s = 5;
	c->tr.connect_timeout_s = 10;
	c->tr.stall_s = 30;
	c->tr.stall_bytes = 100;
	d.c = c;
	d.path = path;
	rc = kv_parse_file(path, &o, dline, &d, derr, &d);
	for (size_t i = 0; rc != GU_EIO && i < N_DKEYS; i++)
		if (dkeys[i].required && !d.seen[i]) {
			fprintf(
			    stderr, "%s: %s is missing\n", path, dkeys[i].name);
			d.bad = 1;
		}
	if (rc == GU_EIO)
		return GU_EIO;
	if (dconf_remote(c)) {
		size_t n = strlen(c->source);

		if (n >= sizeof(c->tr.url)) {
			fprintf(stderr,
			    "%s:%u: source: a URL longer than %zu "
			    "bytes\n",
			    path, d.seen[1], sizeof(c->tr.url) - 1);
			return GU_EINVAL;
		}
		memcpy(c->tr.url, c->source, n + 1);
	}
	return d.bad ? GU_EINVAL : GU_OK;
}

int
dconf_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

int
dconf_remote(const struct dconf *c)
{
	return dconf_url(c->source);
}

int
dconf_s3(const struct dconf *c)
{
	return dconf_remote(c) && c->tr.aws_sigv4[0] != '\0';
}
