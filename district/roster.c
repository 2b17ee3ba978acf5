/*
 * roster.c: the roster as each school last sent it, into the database
 * (docs/district.md, "The roster"): ACKS/SCHOOL/{children,staff}.csv,
 * the files the terminals fetch, read by the kiosk's own importer
 * (core/roster.c) and kept whole or not at all.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "db.h"
#include "district.h"
#include "record.h"
#include "roster.h"
#include "sha256.h"
#include "status.h"

struct say {
	FILE *err;
};

static void
say_fn(void *arg, const char *file, unsigned line, const char *msg)
{
	struct say *s = arg;

	fprintf(s->err, "%s:%u: %s\n", file, line, msg);
}

/* The first column of the first row into arg (80 bytes). */
static int
one_fn(void *arg, int nc, const char *const *c)
{
	if (nc > 0 && c[0] != NULL)
		snprintf(arg, 80, "%s", c[0]);
	return 0;
}

/* The school's rows replaced by r in one transaction. */
static int
store_roster(struct db *db, const char *school, const struct roster *r,
    const char *sha, char *why, size_t why_len)
{
	char cat[12], roles[12];
	int rc = db_exec(db, "BEGIN", 0, NULL, why, why_len);
	const char *v[6] = {school};

	if (rc == GU_OK)
		rc =
		    db_exec(db, "DELETE FROM roster_children WHERE school = $1",
		        1, v, why, why_len);
	if (rc == GU_OK)
		rc = db_exec(db, "DELETE FROM roster_staff WHERE school = $1",
		    1, v, why, why_len);
	for (size_t i = 0; rc == GU_OK && i < r->n_children; i++) {
		const struct child *c = &r->children[i];

		snprintf(cat, sizeof(cat), "%u", c->categories);
		v[1] = c->id, v[2] = c->name, v[3] = c->class_name;
		v[4] = cat, v[5] = c->mentor_id;
		rc = db_exec(db,
		    "INSERT INTO roster_children VALUES ($1, $2, $3, $4, "
		    "$5::int, $6)",
		    6, v, why, why_len);
	}
	for (size_t i = 0; rc == GU_OK && i < r->n_staff; i++) {
		snprintf(roles, sizeof(roles), "%u", r->staff[i].roles);
		v[1] = r->staff[i].id, v[2] = r->staff[i].name, v[3] = roles;
		rc = db_exec(db,
		    "INSERT INTO roster_staff VALUES ($1, $2, $3, $4::int)", 4,
		    v, why, why_len);
	}
	v[1] = sha;
	if (rc == GU_OK)
		rc = db_exec(db,
		    "INSERT INTO roster_files VALUES ($1, $2, now()) ON "
		    "CONFLICT (school) DO UPDATE SET sha256 = excluded.sha256, "
		    "loaded = now()",
		    2, v, why, why_len);
	if (rc == GU_OK)
		return db_exec(db, "COMMIT", 0, NULL, why, why_len);
	{
		char w2[200];

		(void) db_exec(db, "ROLLBACK", 0, NULL, w2, sizeof(w2));
	}
	return rc;
}

/* One school's folder: 1 loaded, 0 unchanged or absent, -1 refused. */
static int
one_school(struct db *db, const char *dir, const char *school, FILE *err)
{
	char path[2][4096], sha[2 * SHA256_LEN + 1], have[80], why[4200];
	uint8_t h[SHA256_LEN];
	struct roster_src src[2];
	void *data[2] = {NULL, NULL};
	struct csv_error ce;
	struct sha256 ctx;
	struct roster r;
	struct say s = {err};
	const char *v[1] = {school};
	int ret = -1;

	memset(&r, 0, sizeof(r));
	snprintf(path[0], sizeof(path[0]), "%s/%s/children.csv", dir, school);
	snprintf(path[1], sizeof(path[1]), "%s/%s/staff.csv", dir, school);
	sha256_init(&ctx);
	for (int i = 0; i < 2; i++) {
		if (csv_read_file(path[i], 0, &data[i], &src[i].len, &ce) !=
		    GU_OK) {
			ret = 0; /* no roster sent: nothing to load */
			goto out;
		}
		src[i].name = path[i];
		src[i].data = data[i];
		sha256_update(&ctx, data[i], src[i].len);
	}
	sha256_final(&ctx, h);
	for (int i = 0; i < SHA256_LEN; i++)
		snprintf(sha + 2 * i, 3, "%02x", h[i]);
	have[0] = '\0';
	if (db_rows(db, "SELECT sha256 FROM roster_files WHERE school = $1", 1,
	        v, one_fn, have, why, sizeof(why)) != GU_OK) {
		fprintf(err, "guanai-district: %s\n", why);
		goto out;
	}
	if (strcmp(have, sha) == 0) {
		ret = 0;
		goto out;
	}
	if (roster_parse(&r, &src[0], &src[1], NULL, say_fn, &s) != GU_OK)
		goto out; /* the problems said; the last good roster kept */
	if (store_roster(db, school, &r, sha, why, sizeof(why)) != GU_OK) {
		fprintf(err, "guanai-district: roster %s: %s\n", school, why);
		goto out;
	}
	ret = 1;
out:
	roster_fini(&r);
	free(data[0]);
	free(data[1]);
	return ret;
}

int
droster_load(
    struct db *db, const char *dir, FILE *err, size_t *loaded, size_t *refused)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*loaded = *refused = 0;
	if (d == NULL)
		return GU_ENOTFOUND;
	while ((e = readdir(d)) != NULL) {
		int rc;

		if (!rec_id_ok(e->d_name))
			continue;
		rc = one_school(db, dir, e->d_name, err);
		if (rc > 0)
			(*loaded)++;
		else if (rc < 0)
			(*refused)++;
	}
	closedir(d);
	return GU_OK;
}
