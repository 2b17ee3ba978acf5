/*
 * fetch.c: conditional GET and import of the school's roster (fetch.h).
 *
 * DATA/roster-download/NAME.csv is always the file whose ETag is stored
 * as etag_NAME: a download goes to NAME.new.csv and takes the place of
 * NAME.csv only when the import of both files succeeded.  A refused file
 * is removed (so the next pass fetches it whole) and leaves the store's
 * roster, the ETags and the good copies as they were.  The first problem
 * of a refusal is kept as roster_error for `guanai-sync status`; an
 * import clears it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "fetch.h"
#include "roster.h"
#include "seal.h"
#include "status.h"

#define ROSTER_FILE_MAX (16u << 20)
#define ROSTER_ERR_MAX 300

struct fetch_report {
	const char *path[2];   /* what the importer reads */
	const char *remote[2]; /* the name it has on the server */
	char first[ROSTER_ERR_MAX];
	unsigned n;
};

/* Names a problem by the file's name on the server. */
static void
roster_report(void *arg, const char *file, unsigned line, const char *msg)
{
	struct fetch_report *r = arg;
	const char *name = file;

	for (int i = 0; i < 2; i++)
		if (file != NULL && strcmp(file, r->path[i]) == 0)
			name = r->remote[i];
	fprintf(stderr, "guanai-sync: roster %s:%u: %s\n", name, line, msg);
	if (r->n++ == 0)
		snprintf(
		    r->first, sizeof(r->first), "%s:%u: %s", name, line, msg);
}

int
fetch_roster(struct upload *u)
{
	static const char *const names[2] = {"children", "staff"};
	char remote[2][HTTP_URL_MAX], local[2][HTTP_URL_MAX];
	char fresh[2][HTTP_URL_MAX], old[2][HTTP_MSG_LEN];
	char neu[2][HTTP_MSG_LEN], key[32], dir[600], why[ROSTER_ERR_MAX + 40];
	struct fetch_report rep = {.n = 0};
	struct http_result res;
	struct stat sb;
	int changed[2] = {0, 0}, rc, any = 0;

	/* A transport without downloads (file://) answers GU_ENOTFOUND. */
	if (u->cfg->roster_path[0] == '\0')
		return GU_OK;
	if (snprintf(dir, sizeof(dir), "%s/roster-download", u->cfg->data) >=
	    (int) sizeof(dir))
		return GU_ETOOBIG;
	(void) mkdir(dir, 0770);
	for (int i = 0; i < 2; i++) {
		if (snprintf(remote[i], sizeof(remote[i]), "%s/%s/%s.csv",
		        u->cfg->roster_path, u->info.school_id,
		        names[i]) >= (int) sizeof(remote[i]) ||
		    snprintf(local[i], sizeof(local[i]), "%s/%s.csv", dir,
		        names[i]) >= (int) sizeof(local[i]) ||
		    snprintf(fresh[i], sizeof(fresh[i]), "%s/%s.new.csv", dir,
		        names[i]) >= (int) sizeof(fresh[i]))
			return GU_ETOOBIG;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(key, sizeof(key), "etag_%s", names[i]);
		rc = store_sync_kv_get(u->s, key, old[i], sizeof(old[i]));
		if (rc != GU_OK)
			goto out;
		/* Without the local copy the ETag is worth nothing. */
		if (stat(local[i], &sb) != 0)
			old[i][0] = '\0';
		rc = http_get_cond(&u->ho, remote[i], old[i], fresh[i],
		    ROSTER_FILE_MAX, neu[i], &changed[i], &res);
		if (rc == GU_ENOTFOUND) {
			/* No roster on the server: nothing to do. */
			rc = GU_OK;
			goto out;
		}
		if (rc != GU_OK) {
			if (u->verbose)
				fprintf(stderr, "guanai-sync: roster %s: %s\n",
				    remote[i], res.msg);
			goto out;
		}
		if (!changed[i])
			snprintf(neu[i], sizeof(neu[i]), "%s", old[i]);
		any |= changed[i];
	}
	if (!any)
		return GU_OK;
	for (int i = 0; i < 2; i++) {
		rep.path[i] = changed[i] ? fresh[i] : local[i];
		rep.remote[i] = remote[i];
	}
	rc = roster_import_files(
	    u->s, rep.path[0], rep.path[1], NULL, roster_report, &rep, NULL);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: roster refused: %s\n",
		    status_str(rc));
		snprintf(why, sizeof(why), "%s",
		    rep.n > 0 ? rep.first : status_str(rc));
		(void) store_sync_kv_put(u->s, "roster_error", why);
		goto out;
	}
	/* The store has the roster: the copies and ETags follow it. */
	for (int i = 0; i < 2; i++) {
		if (!changed[i])
			continue;
		if (rename(fresh[i], local[i]) != 0) {
			/* No good copy: the next pass fetches it whole. */
			(void) unlink(local[i]);
			continue;
		}
		snprintf(key, sizeof(key), "etag_%s", names[i]);
		(void) store_sync_kv_put(u->s, key, neu[i]);
	}
	(void) store_sync_kv_put(u->s, "roster_error", "");
	fprintf(stderr, "guanai-sync: roster imported\n");
	return GU_OK;
out:
	for (int i = 0; i < 2; i++)
		if (changed[i])
			(void) unlink(fresh[i]);
	return rc;
}

int
fetch_district_key(struct upload *u)
{
	char local[HTTP_URL_MAX], fresh[HTTP_URL_MAX], old[HTTP_MSG_LEN];
	char neu[HTTP_MSG_LEN], why[HTTP_URL_MAX + 200];
	uint8_t pk[SEAL_KEY_LEN];
	struct http_result res;
	struct stat sb;
	int changed = 0, rc, fd;

	if (u->cfg->district_key_path[0] == '\0')
		return GU_OK;
	if (snprintf(local, sizeof(local), "%s/%s", u->cfg->data,
	        SEAL_PUB_FILE) >= (int) sizeof(local) ||
	    snprintf(fresh, sizeof(fresh), "%s.new", local) >=
	        (int) sizeof(fresh))
		return GU_ETOOBIG;
	rc = store_sync_kv_get(u->s, "etag_district_key", old, sizeof(old));
	if (rc != GU_OK)
		return rc;
	if (stat(local, &sb) != 0)
		old[0] = '\0';
	rc = http_get_cond(&u->ho, u->cfg->district_key_path, old, fresh, 4096,
	    neu, &changed, &res);
	if (rc == GU_ENOTFOUND)
		return GU_OK;
	if (rc != GU_OK || !changed)
		return rc;
	rc = seal_pub_load(fresh, pk, why, sizeof(why));
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: district key %s refused: %s\n",
		    u->cfg->district_key_path, why);
		(void) unlink(fresh);
		return GU_EINVAL;
	}
	fd = open(fresh, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void) fchmod(fd, 0644);
		(void) fsync(fd);
		close(fd);
	}
	if (rename(fresh, local) != 0) {
		(void) unlink(fresh);
		return GU_EIO;
	}
	(void) store_sync_kv_put(u->s, "etag_district_key", neu);
	fprintf(stderr, "guanai-sync: district key %s\n",
	    old[0] ? "rotated" : "installed");
	return GU_OK;
}

/* ---- the school calendar ---- */

struct cal_report {
	const char *path, *remote;
	char first[ROSTER_ERR_MAX];
	unsigned n;
};

static void
cal_report(void *arg, const char *file, unsigned line, const char *msg)
{
	struct cal_report *r = arg;
	const char *name =
	    file != NULL && strcmp(file, r->path) == 0 ? r->remote : file;

	fprintf(stderr, "guanai-sync: calendar %s:%u: %s\n", name, line, msg);
	if (r->n++ == 0)
		snprintf(
		    r->first, sizeof(r->first), "%s:%u: %s", name, line, msg);
}

int
fetch_calendar(struct upload *u)
{
	char remote[HTTP_URL_MAX], local[HTTP_URL_MAX], fresh[HTTP_URL_MAX];
	char old[HTTP_MSG_LEN], neu[HTTP_MSG_LEN], dir[600];
	struct cal_report rep = {.n = 0};
	struct http_result res;
	struct calendar cal;
	struct stat sb;
	int changed = 0, rc;

	if (u->cfg->roster_path[0] == '\0')
		return GU_OK;
	if (snprintf(dir, sizeof(dir), "%s/roster-download", u->cfg->data) >=
	        (int) sizeof(dir) ||
	    snprintf(remote, sizeof(remote), "%s/%s/calendar.txt",
	        u->cfg->roster_path,
	        u->info.school_id) >= (int) sizeof(remote) ||
	    snprintf(local, sizeof(local), "%s/calendar.txt", dir) >=
	        (int) sizeof(local) ||
	    snprintf(fresh, sizeof(fresh), "%s/calendar.new.txt", dir) >=
	        (int) sizeof(fresh))
		return GU_ETOOBIG;
	(void) mkdir(dir, 0770);
	rc = store_sync_kv_get(u->s, "etag_calendar", old, sizeof(old));
	if (rc != GU_OK)
		return rc;
	if (stat(local, &sb) != 0)
		old[0] = '\0';
	rc = http_get_cond(
	    &u->ho, remote, old, fresh, CAL_FILE_MAX, neu, &changed, &res);
	if (rc == GU_ENOTFOUND)
		return GU_OK; /* no calendar on the server: the default */
	if (rc != GU_OK) {
		if (u->verbose)
			fprintf(stderr, "guanai-sync: calendar %s: %s\n",
			    remote, res.msg);
		return rc;
	}
	if (!changed)
		return GU_OK;
	rep.path = fresh;
	rep.remote = remote;
	rc = calendar_parse_file(fresh, &cal, cal_report, &rep);
	if (rc == GU_OK)
		rc = store_calendar_put(u->s, &cal);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: calendar refused: %s\n",
		    status_str(rc));
		(void) store_sync_kv_put(u->s, "calendar_error",
		    rep.n > 0 ? rep.first : status_str(rc));
		(void) unlink(fresh);
		return GU_EINVAL;
	}
	if (rename(fresh, local) != 0)
		(void) unlink(local);
	else
		(void) store_sync_kv_put(u->s, "etag_calendar", neu);
	(void) store_sync_kv_put(u->s, "calendar_error", "");
	fprintf(stderr, "guanai-sync: calendar imported\n");
	return GU_OK;
}
