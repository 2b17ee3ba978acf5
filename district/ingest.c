/*
 * ingest.c: guanai-district ingest (docs/district.md, "What a run
 * does"): every new batch file of the source folder checked, opened and
 * loaded in a transaction of its own; a bad one quarantined with its
 * reason, never blocking the rest.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "dconf.h"
#include "district.h"
#include "http.h"
#include "propfind.h"
#include "sha256.h"
#include "status.h"

#define INGEST_FILES_MAX 10000000

struct run {
	struct db *db;
	const char *name;
	int64_t mtime;
	int known; /* db_batch_begin said: loaded already */
	int began;
	char why[4200];
	/* counts */
	uint64_t seen, loaded, skipped, quarantined, records, failed;
};

static int
ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The batch file names of dir, sorted; *n of them. */
static char **
list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL, **nv;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' ||
		    !ends_with(e->d_name, ".ndjson.gz") ||
		    strchr(e->d_name, '_') == NULL)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			if (cap > INGEST_FILES_MAX ||
			    (nv = realloc(v, cap * sizeof(*v))) == NULL)
				break;
			v = nv;
		}
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	if (v == NULL) {
		v = malloc(sizeof(*v));
		if (v == NULL)
			return NULL;
	}
	qsort(v, *n, sizeof(*v), name_cmp);
	return v;
}

/* Percent-encodes s (RFC 3986 unreserved kept) into out. */
static int
pct(const char *s, char *out, size_t cap)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char) *s;

		if (o + 4 > cap)
			return -1;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~", ch) != NULL)
			out[o++] = (char) ch;
		else {
			out[o++] = '%';
			out[o++] = hx[ch >> 4];
			out[o++] = hx[ch & 15];
		}
	}
	out[o] = '\0';
	return 0;
}

/* The text between <tag> and </tag> after *p, or NULL; *p moves on. */
static const char *
xml_next(const char **p, const char *tag, size_t *len)
{
	char open[64], close[64];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	a = strstr(*p, open);
	if (a == NULL)
		return NULL;
	a += strlen(open);
	b = strstr(a, close);
	if (b == NULL)
		return NULL;
	*len = (size_t) (b - a);
	*p = b + strlen(close);
	return a;
}

/*
 * The batch names of an S3 bucket (ListObjectsV2, page by page, signed by
 * sync/http.c's SigV4), sorted; the pages go through tmp.
 */
static char **
list_s3(const struct dconf *c, const char *tmp, size_t *n)
{
	char name[2048], token[1024] = "", etag[HTTP_MSG_LEN], *text;
	struct http_result res;
	char **v = NULL, **nv;
	size_t cap = 0, len;
	int changed, more = 1;

	*n = 0;
	while (more) {
		uint8_t *raw = NULL;
		size_t rawn = 0;
		const char *p, *k;

		snprintf(name, sizeof(name), "?list-type=2%s%s",
		    token[0] ? "&continuation-token=" : "", token);
		if (http_get_cond(&c->tr, name, "", tmp, 64u << 20, etag,
		        &changed, &res) != GU_OK ||
		    district_slurp(tmp, 64u << 20, &raw, &rawn) != GU_OK) {
			fprintf(stderr,
			    "guanai-district ingest: %s: listing: %s\n",
			    c->source, res.msg);
			goto fail;
		}
		(void) unlink(tmp);
		text = (char *) raw;
		text[rawn] = '\0';
		p = text;
		while ((k = xml_next(&p, "Key", &len)) != NULL) {
			char *s;

			if (len < 12 || memchr(k, '/', len) != NULL ||
			    memchr(k, '&', len) != NULL ||
			    memcmp(k + len - 10, ".ndjson.gz", 10) != 0)
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 256;
				nv = cap > INGEST_FILES_MAX
				    ? NULL
				    : realloc(v, cap * sizeof(*v));
				if (nv == NULL) {
					free(raw);
					goto fail;
				}
				v = nv;
			}
			s = strndup(k, len);
			if (s == NULL) {
				free(raw);
				goto fail;
			}
			v[(*n)++] = s;
		}
		p = text;
		more = strstr(text, "<IsTruncated>true</IsTruncated>") != NULL;
		k = xml_next(&p, "NextContinuationToken", &len);
		if (more) {
			char t[512];

			if (k == NULL || len >= sizeof(t)) {
				free(raw);
				goto fail;
			}
			memcpy(t, k, len);
			t[len] = '\0';
			if (pct(t, token, sizeof(token)) != 0) {
				free(raw);
				goto fail;
			}
		}
		free(raw);
	}
	if (v == NULL && (v = malloc(sizeof(*v))) == NULL)
		return NULL;
	qsort(v, *n, sizeof(*v), name_cmp);
	return v;
fail:
	for (size_t i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	*n = 0;
	return NULL;
}

/* The names a PROPFIND answer gives, collected. */
struct names {
	char **v;
	size_t n, cap;
};

static int
add_name(void *arg, const char *name)
{
	struct names *l = arg;
	char **nv, *s;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		nv = l->cap > INGEST_FILES_MAX
		    ? NULL
		    : realloc(l->v, l->cap * sizeof(*l->v));
		if (nv == NULL)
			return -1;
		l->v = nv;
	}
	s = strdup(name);
	if (s == NULL)
		return -1;
	l->v[l->n++] = s;
	return 0;
}

/*
 * The batch names of a WebDAV collection (PROPFIND Depth: 1 through
 * sync/http.c, the answer parsed by district/propfind.c), sorted and
 * without repeats; the answer goes through tmp.  NULL, with the reason
 * on stderr, when the listing fails or its body is malformed.
 */
static char **
list_dav(const struct dconf *c, const char *tmp, size_t *n)
{
	struct names l = {.v = NULL, .n = 0, .cap = 0};
	struct http_result res;
	char why[512];
	uint8_t *raw = NULL;
	size_t rawn = 0, k = 0;
	int rc;

	*n = 0;
	if (http_propfind(&c->tr, tmp, 64u << 20, &res) != GU_OK) {
		fprintf(stderr, "guanai-district ingest: %s: PROPFIND: %s\n",
		    c->source, res.msg);
		return NULL;
	}
	rc = district_slurp(tmp, 64u << 20, &raw, &rawn);
	(void) unlink(tmp);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-district ingest: %s: PROPFIND: %s\n",
		    c->source, status_str(rc));
		return NULL;
	}
	rc = propfind_parse(
	    c->source, (char *) raw, rawn, add_name, &l, why, sizeof(why));
	free(raw);
	if (rc == GU_OK && l.v == NULL && (l.v = malloc(sizeof(*l.v))) == NULL)
		rc = GU_ENOMEM;
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-district ingest: %s\n",
		    rc == GU_ENOMEM ? "out of memory" : why);
		for (size_t i = 0; i < l.n; i++)
			free(l.v[i]);
		free(l.v);
		return NULL;
	}
	qsort(l.v, l.n, sizeof(*l.v), name_cmp);
	for (size_t i = 0; i < l.n; i++) {
		if (k > 0 && strcmp(l.v[k - 1], l.v[i]) == 0)
			free(l.v[i]);
		else
			l.v[k++] = l.v[i];
	}
	*n = k;
	return l.v;
}

static int
begin_fn(void *arg, const struct batch_head *h, int sealed)
{
	struct run *r = arg;
	char want[SYNC_NAME_LEN];
	int rc;

	if (batch_name(h, want, sizeof(want)) != GU_OK ||
	    strcmp(want, r->name) != 0) {
		snprintf(r->why, sizeof(r->why),
		    "the file name is not the one its header gives (%.150s)",
		    want);
		return GU_ECORRUPT;
	}
	rc = db_batch_begin(
	    r->db, h, r->name, sealed, r->mtime, r->why, sizeof(r->why));
	if (rc == GU_EEXIST) {
		r->known = 1;
		return rc;
	}
	r->began = rc == GU_OK;
	return rc;
}

static int
line_fn(void *arg, const char *line, size_t len)
{
	struct run *r = arg;

	return db_batch_line(r->db, line, len);
}

static void
progress(const struct run *r, size_t total, int final)
{
	fprintf(stderr,
	    "guanai-district ingest: %s%" PRIu64 " of %zu files: %" PRIu64
	    " loaded (%" PRIu64 " records), %" PRIu64 " known, %" PRIu64
	    " quarantined\n",
	    final ? "done, " : "", r->seen, total, r->loaded, r->records,
	    r->skipped, r->quarantined);
}

/* One file; returns GU_EIO only for the database (the run stops). */
static int
one_file(struct run *r, const struct district_keys *dk, const char *dir,
    const char *name)
{
	char path[4096], hex[2 * SYNC_HASH_LEN + 1];
	uint8_t *f = NULL, hash[SYNC_HASH_LEN];
	struct batch_head *h = NULL;
	struct stat sb;
	size_t n = 0;
	int rc, sealed = 0;

	r->seen++;
	rc = db_have_batch(r->db, name);
	if (rc < 0)
		return GU_EIO;
	if (rc == 1) {
		r->skipped++;
		return GU_OK;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	        (int) sizeof(path) ||
	    stat(path, &sb) != 0)
		return GU_OK;
	rc = district_slurp(path, DISTRICT_FILE_MAX, &f, &n);
	if (rc != GU_OK) {
		snprintf(hex, sizeof(hex), "unread");
		snprintf(r->why, sizeof(r->why), "%s", status_str(rc));
		goto bad;
	}
	sha256(hash, f, n);
	batch_hex(hash, hex);
	rc = db_quarantined(r->db, name, hex);
	if (rc < 0) {
		free(f);
		return GU_EIO;
	}
	if (rc == 1) {
		r->skipped++;
		r->quarantined++;
		free(f);
		return GU_OK;
	}
	h = malloc(sizeof(*h));
	if (h == NULL) {
		free(f);
		return GU_EIO;
	}
	r->name = name;
	r->mtime = (int64_t) sb.st_mtime;
	r->known = r->began = 0;
	r->why[0] = '\0';
	rc = district_read(
	    f, n, dk, h, &sealed, begin_fn, line_fn, r, r->why, sizeof(r->why));
	free(f);
	if (r->known) {
		r->skipped++;
		free(h);
		return GU_OK;
	}
	if (rc == GU_OK)
		rc = db_batch_end(r->db, h->n_records, r->why, sizeof(r->why));
	else
		db_batch_abort(r->db);
	if (rc == GU_EIO && r->began) {
		free(h);
		fprintf(
		    stderr, "guanai-district ingest: %s: %s\n", name, r->why);
		return GU_EIO;
	}
	if (rc == GU_OK) {
		r->loaded++;
		r->records += h->n_records;
		free(h);
		return GU_OK;
	}
bad:
	fprintf(stderr, "guanai-district ingest: %s: QUARANTINED: %s\n", name,
	    r->why);
	r->quarantined++;
	rc = db_quarantine(
	    r->db, name, hex, h ? h->school : "", h ? h->device : "", r->why);
	free(h);
	return rc == GU_OK ? GU_OK : GU_EIO;
}

/*
 * One object of the bucket or file of the WebDAV collection: downloaded
 * only when not loaded yet.
 */
static int
one_remote(struct run *r, const struct district_keys *dk, const struct dconf *c,
    const char *tmpdir, const char *name)
{
	char path[4096], etag[HTTP_MSG_LEN];
	struct http_result res;
	int rc, changed = 0;

	rc = db_have_batch(r->db, name);
	if (rc < 0)
		return GU_EIO;
	if (rc == 1) {
		r->seen++;
		r->skipped++;
		return GU_OK;
	}
	if (snprintf(path, sizeof(path), "%s/%s", tmpdir, name) >=
	    (int) sizeof(path))
		return GU_OK;
	rc = http_get_cond(
	    &c->tr, name, "", path, DISTRICT_FILE_MAX, etag, &changed, &res);
	if (rc != GU_OK) {
		/* Not a batch's fault: tried again on the next run. */
		fprintf(stderr, "guanai-district ingest: %s: download: %s\n",
		    name, res.msg);
		r->seen++;
		r->failed++;
		return GU_OK;
	}
	rc = one_file(r, dk, tmpdir, name);
	(void) unlink(path);
	return rc;
}

static int
usage(void)
{
	fprintf(
	    stderr, "usage: guanai-district ingest --config FILE [--check]\n");
	return 2;
}

int
cmd_ingest(int argc, char **argv)
{
	struct dconf *c = malloc(sizeof(*c));
	struct keyring kr = {.e = NULL, .n = 0};
	struct district_keys dk = {.k = NULL, .n = 0, .kr = NULL};
	struct run r;
	const char *conf = NULL;
	char why[4200], **names = NULL;
	char tmpdir[] = "/tmp/guanai-ingest.XXXXXX";
	int have_tmp = 0;
	size_t n = 0;
	int check = 0, ret = 2, rc;
	time_t last;

	memset(&r, 0, sizeof(r));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strcmp(argv[i], "--check") == 0)
			check = 1;
		else {
			free(c);
			return usage();
		}
	}
	if (conf == NULL || c == NULL) {
		free(c);
		return usage();
	}
	if (dconf_load(c, conf) != GU_OK)
		goto out;
	if (keyring_load(&kr, c->keyring, stderr) != GU_OK)
		goto out;
	dk.kr = &kr;
	dk.k = calloc((size_t) c->n_secret, sizeof(*dk.k));
	if (dk.k == NULL)
		goto out;
	for (int i = 0; i < c->n_secret; i++) {
		if (seal_secret_load(c->secret_keys[i], &dk.k[i], why,
		        sizeof(why)) != GU_OK) {
			fprintf(stderr, "%s: secret_keys: %s\n", conf, why);
			goto out;
		}
		dk.n++;
	}
	if (dconf_remote(c)) {
		char lt[sizeof(tmpdir) + 16];

		if (mkdtemp(tmpdir) == NULL) {
			fprintf(stderr,
			    "guanai-district ingest: %s: cannot "
			    "make a temporary folder\n",
			    tmpdir);
			goto out;
		}
		have_tmp = 1;
		snprintf(lt, sizeof(lt), "%s/list.xml", tmpdir);
		names = dconf_s3(c) ? list_s3(c, lt, &n) : list_dav(c, lt, &n);
	} else
		names = list_dir(c->source, &n);
	if (names == NULL) {
		fprintf(stderr, "%s: source: %s: %s\n", conf, c->source,
		    dconf_remote(c) ? "cannot list it"
		                    : "cannot read the folder");
		goto out;
	}
	if (db_open(c->database, &r.db, why, sizeof(why)) != GU_OK) {
		fprintf(stderr, "%s: database: %s\n", conf, why);
		goto out;
	}
	if (check) {
		printf("config ok: %zu devices in the keyring, %zu district "
		       "keys, %zu batch files in %s, database reached\n",
		    kr.n, dk.n, n, c->source);
		ret = 0;
		goto out;
	}
	last = time(NULL);
	ret = 0;
	for (size_t i = 0; i < n; i++) {
		rc = dconf_remote(c) ? one_remote(&r, &dk, c, tmpdir, names[i])
		                     : one_file(&r, &dk, c->source, names[i]);
		if (rc != GU_OK) {
			ret = 2;
			break;
		}
		if (c->progress_s > 0 && time(NULL) - last >= c->progress_s) {
			progress(&r, n, 0);
			last = time(NULL);
		}
	}
	progress(&r, n, 1);
	if (ret == 0 && (r.quarantined > 0 || r.failed > 0))
		ret = 1;
	/* The roster is read from a folder only (acks a URL: not yet). */
	if (ret != 2 && c->acks[0] != '\0' && !dconf_url(c->acks)) {
		size_t got, refused;

		if (droster_load(r.db, c->acks, stderr, &got, &refused) ==
		    GU_OK)
			fprintf(stderr,
			    "roster: %zu schools loaded, %zu refused\n", got,
			    refused);
		if (refused > 0)
			ret = 1;
	}
out:
	if (have_tmp)
		(void) rmdir(tmpdir);
	for (size_t i = 0; names != NULL && i < n; i++)
		free(names[i]);
	free(names);
	db_close(r.db);
	seal_secret_wipe(dk.k, dk.n);
	free(dk.k);
	if (dk.kr != NULL)
		keyring_free(&kr);
	free(c);
	return ret;
}
