/*
 * config.c: the INI-style config file and the command line (config.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "kv.h"
#include "status.h"
#include "transport.h"
#include "update_index.h"

enum ktype { K_STR, K_NUM, K_BOOL };

/* Checks a string value beyond its length; why says what is wrong. */
typedef int (*kcheck_fn)(const char *v, char *why, size_t why_len);

struct key {
	const char *name;
	enum ktype type;
	size_t off;
	long min, max;
	kcheck_fn check; /* K_STR: NULL, or what the value must be */
};

/* update_url: empty, or a folder the web transports reach. */
static int
check_web_url(const char *v, char *why, size_t why_len)
{
	if (v[0] == '\0' || strncmp(v, "https://", 8) == 0 ||
	    strncmp(v, "http://", 7) == 0)
		return GU_OK;
	snprintf(
	    why, why_len, "'%.64s' must start with https:// or http://", v);
	return GU_EINVAL;
}

static int
check_abs_path(const char *v, char *why, size_t why_len)
{
	if (v[0] == '/')
		return GU_OK;
	snprintf(why, why_len, "'%.64s' is not an absolute path", v);
	return GU_EINVAL;
}

static int
check_hours(const char *v, char *why, size_t why_len)
{
	int from, to;
	char w[KV_WHY_LEN];

	if (update_hours_parse(v, &from, &to, w, sizeof(w)) == GU_OK)
		return GU_OK;
	/* config_set() puts the key's name in front. */
	snprintf(why, why_len, "%s", w + strlen("update_hours: "));
	return GU_EINVAL;
}

#define S(f)                                                                   \
	{                                                                      \
#f, K_STR, offsetof(struct sync_config, f), 0, 0, NULL         \
	}
#define T(f)                                                                   \
	{                                                                      \
#f, K_STR, offsetof(struct sync_config, tr.f), 0, 0, NULL      \
	}
#define TN(f, lo, hi)                                                          \
	{                                                                      \
#f, K_NUM, offsetof(struct sync_config, tr.f), lo, hi, NULL    \
	}
#define B(f)                                                                   \
	{                                                                      \
#f, K_BOOL, offsetof(struct sync_config, tr.f), 0, 1, NULL     \
	}
#define N(f, lo, hi)                                                           \
	{                                                                      \
#f, K_NUM, offsetof(struct sync_config, f), lo, hi, NULL       \
	}
#define SC(f, fn)                                                              \
	{                                                                      \
#f, K_STR, offsetof(struct sync_config, f), 0, 0, fn           \
	}

static const struct key keys[] = {
    S(data),
    T(url),
    T(token),
    T(token_header),
    T(client_cert),
    T(client_key),
    T(ca_file),
    T(pinned_key),
    T(aws_sigv4),
    T(aws_user),
    B(allow_http),
    S(roster_path),
    TN(connect_timeout_s, 1, 600),
    TN(stall_s, 0, 3600),
    TN(stall_bytes, 1, 1L << 30),
    TN(timeout_s, 0, 86400),
    N(gather_ms, 0, 600000),
    N(timer_s, 1, 86400),
    N(backoff_min_s, 0, 86400),
    N(backoff_max_s, 1, 86400),
    N(refused_min_s, 0, 86400),
    N(batch_records, 1, 1000000),
    N(batch_bytes, 4096, 64L << 20),
    N(netwatch, 0, 1),
    S(district_key_path),
    S(district_sign_path),
    S(ack_file),
    SC(update_url, check_web_url),
    SC(update_hours, check_hours),
    SC(update_rauc, check_abs_path),
    SC(update_rauc_conf, check_abs_path),
    SC(update_version_file, check_abs_path),
    SC(update_reboot_request, check_abs_path),
    N(update_max_bytes, 1, 1L << 40),
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

void
config_defaults(struct sync_config *c)
{
	const char *d = getenv("GUANAI_DATA");

	memset(c, 0, sizeof(*c));
	snprintf(
	    c->data, sizeof(c->data), "%s", d && d[0] ? d : "/var/lib/guanai");
	snprintf(c->roster_path, sizeof(c->roster_path), "roster");
	snprintf(c->district_key_path, sizeof(c->district_key_path),
	    "district-key.pub");
	snprintf(c->district_sign_path, sizeof(c->district_sign_path),
	    "district-sign.pub");
	snprintf(c->ack_file, sizeof(c->ack_file), "acks.txt");
	c->tr.connect_timeout_s = 10;
	c->tr.stall_s = 30;
	c->tr.stall_bytes = 100;
	c->tr.timeout_s = 0;
	c->tr.allow_http = 0;
	c->gather_ms = 2000;
	c->timer_s = 900;
	c->backoff_min_s = 5;
	c->backoff_max_s = 3600;
	c->refused_min_s = 300;
	c->batch_records = 10000;
	c->batch_bytes = 4L << 20;
	c->netwatch = 1;
	snprintf(c->update_hours, sizeof(c->update_hours), "02-05");
	snprintf(c->update_rauc, sizeof(c->update_rauc), "/usr/bin/rauc");
	snprintf(c->update_rauc_conf, sizeof(c->update_rauc_conf),
	    "/etc/rauc/system.conf");
	snprintf(c->update_version_file, sizeof(c->update_version_file),
	    "/usr/share/guanai/version");
	snprintf(c->update_reboot_request, sizeof(c->update_reboot_request),
	    "/run/guanai/reboot-request");
	c->update_max_bytes = 419430400;
}

static const struct key *
key_find(const char *name)
{
	char n[64];
	size_t l = strlen(name);

	if (l >= sizeof(n))
		return NULL;
	for (size_t i = 0; i <= l; i++)
		n[i] = name[i] == '-' ? '_' : name[i];
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].name, n) == 0)
			return &keys[i];
	return NULL;
}

int
config_set(struct sync_config *c, const char *key, const char *value, char *why,
    size_t why_len)
{
	const struct key *k = key_find(key);
	char *end;
	long v;
	size_t l;

	if (k == NULL) {
		snprintf(why, why_len, "unknown key '%.64s'", key);
		return GU_EINVAL;
	}
	if (k->type == K_STR) {
		l = strlen(value);
		if (l >= CONFIG_STR_MAX) {
			snprintf(why, why_len, "%s: value too long", k->name);
			return GU_EINVAL;
		}
		if (k->check != NULL) {
			char w[KV_WHY_LEN];

			if (k->check(value, w, sizeof(w)) != GU_OK) {
				snprintf(why, why_len, "%s: %s", k->name, w);
				return GU_EINVAL;
			}
		}
		memcpy((char *) c + k->off, value, l + 1);
		return GU_OK;
	}
	if (k->type == K_BOOL) {
		if (strcmp(value, "yes") == 0 || strcmp(value, "1") == 0)
			v = 1;
		else if (strcmp(value, "no") == 0 || strcmp(value, "0") == 0)
			v = 0;
		else {
			snprintf(why, why_len, "%s: '%.64s' is not yes or no",
			    k->name, value);
			return GU_EINVAL;
		}
		*(long *) (void *) ((char *) c + k->off) = v;
		return GU_OK;
	}
	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < k->min ||
	    v > k->max) {
		snprintf(why, why_len,
		    "%s: '%.64s' is not a number in %ld..%ld", k->name, value,
		    k->min, k->max);
		return GU_EINVAL;
	}
	*(long *) (void *) ((char *) c + k->off) = v;
	return GU_OK;
}

/* What config_line() needs across lines. */
struct parse_state {
	struct sync_config *c;
	unsigned char seen[N_KEYS];
};

/* One line of the config file (a pair or a section), for kv_parse_buf(). */
static int
config_line(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct parse_state *ps = arg;
	const struct key *k;
	const char *p = l->value;
	size_t i, n;

	if (l->key == NULL) {
		/* A [section]: only a name, for the reader's eyes. */
		n = strlen(p);
		if (p[n - 1] != ']' || n < 3) {
			snprintf(why, why_len, "bad section header");
			return GU_EINVAL;
		}
		for (i = 1; i < n - 1; i++) {
			char ch = p[i];

			if (!((ch >= 'a' && ch <= 'z') ||
			        (ch >= '0' && ch <= '9') || ch == '_' ||
			        ch == '-'))
				break;
		}
		if (i != n - 1) {
			snprintf(why, why_len, "bad section name");
			return GU_EINVAL;
		}
		return GU_OK;
	}
	k = key_find(l->key);
	if (k != NULL && ps->seen[k - keys]) {
		snprintf(why, why_len, "%s given twice", k->name);
		return GU_EINVAL;
	}
	if (config_set(ps->c, l->key, l->value, why, why_len) != GU_OK)
		return GU_EINVAL;
	ps->seen[k - keys] = 1;
	return GU_OK;
}

/* Prints one problem to the FILE * at arg as "name:line: msg". */
static void
config_err(void *arg, const char *name, unsigned line, const char *msg)
{
	fprintf(arg, "%s:%u: %s\n", name, line, msg);
}

int
config_parse(struct sync_config *c, const char *name, const char *text,
    size_t len, void *err)
{
	static const struct kv_opts opts = {
	    CONFIG_LINE_MAX, "#;", NULL, KV_SECTIONS | KV_QUOTES, 1};
	struct parse_state ps;

	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	return kv_parse_buf(name, text, len, &opts, config_line, &ps,
	           config_err, err) == GU_OK
	    ? GU_OK
	    : GU_EINVAL;
}

int
config_load(struct sync_config *c, const char *path, void *err)
{
	FILE *f, *ef = err;
	struct stat sb;
	char *text = NULL;
	size_t len = 0, cap = 0;
	int rc;

	f = fopen(path, "re");
	if (f == NULL) {
		fprintf(ef, "%s: %s\n", path, strerror(errno));
		return GU_ENOTFOUND;
	}
	if (fstat(fileno(f), &sb) != 0)
		sb.st_mode = 0;
	for (;;) {
		if (cap - len < 4096) {
			char *n;

			/* A config file is small; refuse anything huge. */
			if (cap >= (1u << 20)) {
				fprintf(ef, "%s: file too big\n", path);
				free(text);
				fclose(f);
				return GU_EINVAL;
			}
			n = realloc(text, cap ? cap * 2 : 8192);
			if (n == NULL) {
				free(text);
				fclose(f);
				return GU_ENOMEM;
			}
			text = n;
			cap = cap ? cap * 2 : 8192;
		}
		size_t got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(ef, "%s: read error\n", path);
		free(text);
		fclose(f);
		return GU_EIO;
	}
	fclose(f);
	rc = config_parse(c, path, text, len, err);
	free(text);
	if (c->tr.token[0] != '\0' && (sb.st_mode & 077) != 0)
		fprintf(ef,
		    "%s: warning: holds a token and group or others may read "
		    "it (chmod 600 %s)\n",
		    path, path);
	return rc;
}

/* A plain http:// url (named key) is refused with a token, and without
 * allow_http: 1 and why set then. */
static int
plain_http_refused(const char *key, const char *url, const struct http_opts *t,
    char *why, size_t why_len)
{
	if (strncmp(url, "http://", 7) != 0)
		return 0;
	if (t->token[0] != '\0')
		snprintf(why, why_len,
		    "%s: a token is never sent over plain http://; use "
		    "https://",
		    key);
	else if (!t->allow_http)
		snprintf(why, why_len,
		    "%s: plain http:// is refused unless allow_http = yes",
		    key);
	else
		return 0;
	return 1;
}

int
config_check(const struct sync_config *c, char *why, size_t why_len)
{
	const struct http_opts *t = &c->tr;

	if (c->data[0] == '\0') {
		snprintf(why, why_len, "data: no store folder given");
		return GU_EINVAL;
	}
	if (t->url[0] == '\0') {
		snprintf(why, why_len, "url: no server URL given");
		return GU_EINVAL;
	}
	/* The schemes are the transports' (sync/transport.c). */
	if (transport_find(t) == NULL) {
		snprintf(why, why_len,
		    "url: must start with https://, http:// or file:///");
		return GU_EINVAL;
	}
	/* The update folder is reached with the same token and TLS. */
	if (plain_http_refused("url", t->url, t, why, why_len) ||
	    plain_http_refused("update_url", c->update_url, t, why, why_len))
		return GU_EINVAL;
	if (c->backoff_min_s > c->backoff_max_s) {
		snprintf(why, why_len, "backoff_min_s is above backoff_max_s");
		return GU_EINVAL;
	}
	if ((t->client_key[0] != '\0') != (t->client_cert[0] != '\0')) {
		snprintf(
		    why, why_len, "client_cert and client_key go together");
		return GU_EINVAL;
	}
	return GU_OK;
}

int
config_args(struct sync_config *c, int argc, char **argv, int *nops, int *check,
    void *err)
{
	FILE *ef = err;
	const char *cfg = getenv("GUANAI_SYNC_CONF");
	char why[160], kbuf[64];
	int i, explicit = cfg != NULL && cfg[0] != '\0', rc, out = 1;

	*check = 0;
	/* The file first, wherever --config is, so the flags win. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			cfg = argv[++i];
			explicit = 1;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			cfg = argv[i] + 9;
			explicit = 1;
		} else if (strcmp(argv[i], "--") == 0)
			break;
	}
	if (!explicit && access(CONFIG_DEFAULT_PATH, R_OK) == 0)
		cfg = CONFIG_DEFAULT_PATH;
	if (cfg != NULL && cfg[0] != '\0') {
		rc = config_load(c, cfg, err);
		if (rc != GU_OK)
			return GU_EINVAL;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v, *eq;
		size_t kl;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				argv[out++] = argv[i];
			break;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			argv[out++] = argv[i];
			continue;
		}
		if (strcmp(a, "--check") == 0) {
			*check = 1;
			continue;
		}
		if (strcmp(a, "--config") == 0) {
			i++;
			continue;
		}
		if (strncmp(a, "--config=", 9) == 0)
			continue;
		eq = strchr(a, '=');
		kl = eq ? (size_t) (eq - a - 2) : strlen(a + 2);
		if (kl >= sizeof(kbuf)) {
			fprintf(ef, "%s: unknown option\n", a);
			return GU_EINVAL;
		}
		memcpy(kbuf, a + 2, kl);
		kbuf[kl] = '\0';
		if (eq != NULL)
			v = eq + 1;
		else if (i + 1 < argc)
			v = argv[++i];
		else {
			fprintf(ef, "--%s: needs a value\n", kbuf);
			return GU_EINVAL;
		}
		if (config_set(c, kbuf, v, why, sizeof(why)) != GU_OK) {
			fprintf(ef, "--%s: %s\n", kbuf, why);
			return GU_EINVAL;
		}
	}
	/* argv[1..out) now holds the operands. */
	*nops = out - 1;
	if (out < argc)
		argv[out] = NULL;
	return GU_OK;
}
