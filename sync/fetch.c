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
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ack.h"
#include "calendar.h"
#include "clock.h"
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

/*
 * The district's key files a terminal keeps, one row each: where the
 * server has it (a config key), the file in DATA, the ETag's name, the
 * parser that must take it before it replaces the one there.  A 404
 * leaves the kept file as it is (a key is never dropped by the server
 * forgetting it); a new file replaces it (rotation).
 */
struct key_row {
	const char *what;
	size_t path_off; /* of the server path in struct sync_config */
	const char *local, *etag;
	int (*load)(const char *path, uint8_t pk[SEAL_KEY_LEN], char *why,
	    size_t why_len);
};

static const struct key_row key_rows[] = {
    {"district key", offsetof(struct sync_config, district_key_path),
        SEAL_PUB_FILE, "etag_district_key", seal_pub_load},
    {"district signing key", offsetof(struct sync_config, district_sign_path),
        SEAL_SIGN_PUB_FILE, "etag_district_sign", seal_sign_pub_load},
};

static int
fetch_key(struct upload *u, const struct key_row *kr)
{
	char local[HTTP_URL_MAX], fresh[HTTP_URL_MAX], old[HTTP_MSG_LEN];
	char neu[HTTP_MSG_LEN], why[HTTP_URL_MAX + 200];
	const char *remote = (const char *) u->cfg + kr->path_off;
	uint8_t pk[SEAL_KEY_LEN];
	struct http_result res;
	struct stat sb;
	int changed = 0, rc, fd;

	if (remote[0] == '\0')
		return GU_OK;
	if (snprintf(local, sizeof(local), "%s/%s", u->cfg->data, kr->local) >=
	        (int) sizeof(local) ||
	    snprintf(fresh, sizeof(fresh), "%s.new", local) >=
	        (int) sizeof(fresh))
		return GU_ETOOBIG;
	rc = store_sync_kv_get(u->s, kr->etag, old, sizeof(old));
	if (rc != GU_OK)
		return rc;
	if (stat(local, &sb) != 0)
		old[0] = '\0';
	rc = http_get_cond(
	    &u->ho, remote, old, fresh, 4096, neu, &changed, &res);
	if (rc == GU_ENOTFOUND)
		return GU_OK;
	if (rc != GU_OK || !changed)
		return rc;
	rc = kr->load(fresh, pk, why, sizeof(why));
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: %s %s refused: %s\n", kr->what,
		    remote, why);
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
	(void) store_sync_kv_put(u->s, kr->etag, neu);
	fprintf(stderr, "guanai-sync: %s %s\n", kr->what,
	    old[0] ? "rotated" : "installed");
	return GU_OK;
}

int
fetch_district_key(struct upload *u)
{
	int rc = GU_OK, r;

	for (size_t i = 0; i < sizeof(key_rows) / sizeof(key_rows[0]); i++) {
		r = fetch_key(u, &key_rows[i]);
		if (rc == GU_OK)
			rc = r;
	}
	return rc;
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

/*
 * One file of the school's beside the roster (the calendar, the acks):
 * the paths, and the conditional GET of g->remote = ROSTER_PATH/SCHOOL/
 * name into g->fresh = DATA/roster-download/BASE.new.txt with the ETag
 * kept as etag_BASE, sent only while the good copy g->local (BASE.txt)
 * is there.  GU_OK (g->changed: g->fresh is new, g->neu its ETag),
 * GU_ENOTFOUND (none on the server), or the transfer's class (said on
 * stderr when verbose).  take_school_file() puts a taken file in place.
 */
struct school_file {
	char remote[HTTP_URL_MAX], local[HTTP_URL_MAX], fresh[HTTP_URL_MAX];
	char neu[HTTP_MSG_LEN], etag_key[40];
	int changed;
};

static int
get_school_file(struct upload *u, const char *name, const char *base,
    size_t max, struct school_file *g)
{
	char old[HTTP_MSG_LEN], dir[600];
	struct http_result res;
	struct stat sb;
	int rc;

	g->changed = 0;
	if (snprintf(dir, sizeof(dir), "%s/roster-download", u->cfg->data) >=
	        (int) sizeof(dir) ||
	    snprintf(g->remote, sizeof(g->remote), "%s/%s/%s",
	        u->cfg->roster_path, u->info.school_id,
	        name) >= (int) sizeof(g->remote) ||
	    snprintf(g->local, sizeof(g->local), "%s/%s.txt", dir, base) >=
	        (int) sizeof(g->local) ||
	    snprintf(g->fresh, sizeof(g->fresh), "%s/%s.new.txt", dir, base) >=
	        (int) sizeof(g->fresh) ||
	    snprintf(g->etag_key, sizeof(g->etag_key), "etag_%s", base) >=
	        (int) sizeof(g->etag_key))
		return GU_ETOOBIG;
	(void) mkdir(dir, 0770);
	rc = store_sync_kv_get(u->s, g->etag_key, old, sizeof(old));
	if (rc != GU_OK)
		return rc;
	if (stat(g->local, &sb) != 0)
		old[0] = '\0';
	rc = http_get_cond(
	    &u->ho, g->remote, old, g->fresh, max, g->neu, &g->changed, &res);
	if (rc != GU_OK && rc != GU_ENOTFOUND && u->verbose)
		fprintf(stderr, "guanai-sync: %s %s: %s\n", base, g->remote,
		    res.msg);
	return rc;
}

/* The store has what g->fresh held: it becomes the good copy. */
static void
take_school_file(struct upload *u, const struct school_file *g)
{
	if (rename(g->fresh, g->local) != 0)
		(void) unlink(g->local); /* the next pass fetches it whole */
	else
		(void) store_sync_kv_put(u->s, g->etag_key, g->neu);
}

int
fetch_calendar(struct upload *u)
{
	struct cal_report rep = {.n = 0};
	struct school_file g;
	struct calendar cal;
	int rc;

	if (u->cfg->roster_path[0] == '\0')
		return GU_OK;
	rc = get_school_file(u, "calendar.txt", "calendar", CAL_FILE_MAX, &g);
	if (rc == GU_ENOTFOUND)
		return GU_OK; /* no calendar on the server: the default */
	if (rc != GU_OK || !g.changed)
		return rc;
	rep.path = g.fresh;
	rep.remote = g.remote;
	rc = calendar_parse_file(g.fresh, &cal, cal_report, &rep);
	if (rc == GU_OK)
		rc = store_calendar_put(u->s, &cal);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: calendar refused: %s\n",
		    status_str(rc));
		(void) store_sync_kv_put(u->s, "calendar_error",
		    rep.n > 0 ? rep.first : status_str(rc));
		(void) unlink(g.fresh);
		return GU_EINVAL;
	}
	take_school_file(u, &g);
	(void) store_sync_kv_put(u->s, "calendar_error", "");
	fprintf(stderr, "guanai-sync: calendar imported\n");
	return GU_OK;
}

/* ---- the district's acknowledgements ---- */

/* DATA/district-sign into pk, *held = 1; *held = 0 when there is none. */
static int
sign_pub_held(struct upload *u, uint8_t pk[SEAL_KEY_LEN], int *held, char *why,
    size_t why_len)
{
	char path[HTTP_URL_MAX];
	struct stat sb;

	*held = 0;
	if (snprintf(path, sizeof(path), "%s/%s", u->cfg->data,
	        SEAL_SIGN_PUB_FILE) >= (int) sizeof(path))
		return GU_ETOOBIG;
	if (stat(path, &sb) != 0)
		return GU_OK;
	*held = 1;
	return seal_sign_pub_load(path, pk, why, why_len);
}

int
fetch_acks(struct upload *u)
{
	char why[HTTP_URL_MAX + 600], msg[300];
	uint8_t pk[SEAL_KEY_LEN];
	int held = 0;
	struct ack_file af = {.n = 0};
	size_t added = 0, skipped = 0;
	struct school_file g;
	int rc;

	if (u->cfg->roster_path[0] == '\0' || u->cfg->ack_file[0] == '\0')
		return GU_OK;
	rc = get_school_file(u, u->cfg->ack_file, "acks", ACK_FILE_MAX, &g);
	if (rc == GU_ENOTFOUND)
		return GU_OK; /* nothing acknowledged for this school yet */
	if (rc != GU_OK)
		return rc;
	if (!g.changed) {
		/* The server has the file taken last (a bad one was put back):
		 * any refusal since is over. */
		if (store_sync_kv_get(u->s, "ack_error", why, sizeof(why)) ==
		        GU_OK &&
		    why[0] != '\0')
			(void) store_sync_kv_put(u->s, "ack_error", "");
		return GU_OK;
	}
	/* A terminal that holds the signing key takes signed files only. */
	rc = sign_pub_held(u, pk, &held, why, sizeof(why));
	if (rc == GU_OK)
		rc = ack_load(
		    g.fresh, g.remote, held ? pk : NULL, &af, why, sizeof(why));
	if (rc == GU_OK && strcmp(af.school, u->info.school_id) != 0) {
		snprintf(why, sizeof(why),
		    "%s:2: school: '%s', not this school's", g.remote,
		    af.school);
		rc = GU_EINVAL;
	}
	if (rc == GU_OK) {
		rc = ack_apply(u->s, &af, upload_now_ms(),
		    (int16_t) clock_tz_min(), &added, &skipped, msg,
		    sizeof(msg));
		if (rc == GU_EINVAL && strncmp(msg, "line ", 5) == 0)
			snprintf(why, sizeof(why), "%s:%s", g.remote, msg + 5);
		else if (rc == GU_EINVAL)
			snprintf(why, sizeof(why), "%s: %s", g.remote, msg);
		else if (rc != GU_OK)
			snprintf(why, sizeof(why), "%s: %s", g.remote,
			    status_str(rc));
	}
	ack_file_free(&af);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: acks refused: %s\n", why);
		(void) store_sync_kv_put(u->s, "ack_error", why);
		(void) unlink(g.fresh);
		return GU_EINVAL;
	}
	take_school_file(u, &g);
	(void) store_sync_kv_put(u->s, "ack_error", "");
	fprintf(stderr,
	    "guanai-sync: acks: %zu new, %zu of voided concerns skipped\n",
	    added, skipped);
	return GU_OK;
}
