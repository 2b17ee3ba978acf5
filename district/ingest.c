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

#include "db.h"
#include "dconf.h"
#include "district.h"
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
	uint64_t seen, loaded, skipped, quarantined, records;
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
	names = list_dir(c->source, &n);
	if (names == NULL) {
		fprintf(stderr, "%s: source: %s: cannot read the folder\n",
		    conf, c->source);
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
		rc = one_file(&r, &dk, c->source, names[i]);
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
	if (ret == 0 && r.quarantined > 0)
		ret = 1;
out:
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
