/*
 * fetch.c: conditional GET and import of the school's roster (fetch.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fetch.h"
#include "roster.h"
#include "status.h"

#define ROSTER_FILE_MAX (16u << 20)

static void
roster_report(void *arg, const char *file, unsigned line, const char *msg)
{
	(void) arg;
	fprintf(stderr, "guanai-sync: roster %s:%u: %s\n", file, line, msg);
}

int
fetch_roster(struct upload *u)
{
	static const char *const names[2] = {"children", "staff"};
	char remote[2][HTTP_URL_MAX], local[2][HTTP_URL_MAX];
	char old[2][HTTP_MSG_LEN], neu[2][HTTP_MSG_LEN], key[32], dir[600];
	struct http_result res;
	struct stat sb;
	int changed[2] = {0, 0}, rc, any = 0;

	if (u->cfg->roster_path[0] == '\0' ||
	    strncmp(u->cfg->url, "file://", 7) == 0)
		return GU_OK;
	snprintf(dir, sizeof(dir), "%s/roster-download", u->cfg->data);
	(void) mkdir(dir, 0770);
	for (int i = 0; i < 2; i++) {
		if (snprintf(remote[i], sizeof(remote[i]), "%s/%s/%s.csv",
		        u->cfg->roster_path, u->info.school_id,
		        names[i]) >= (int) sizeof(remote[i]) ||
		    snprintf(local[i], sizeof(local[i]), "%s/%s.csv", dir,
		        names[i]) >= (int) sizeof(local[i]))
			return GU_ETOOBIG;
		snprintf(key, sizeof(key), "etag_%s", names[i]);
		rc = store_sync_kv_get(u->s, key, old[i], sizeof(old[i]));
		if (rc != GU_OK)
			return rc;
		/* Without the local copy the ETag is worth nothing. */
		if (stat(local[i], &sb) != 0)
			old[i][0] = '\0';
		rc = http_get_cond(&u->ho, remote[i], old[i], local[i],
		    ROSTER_FILE_MAX, neu[i], &changed[i], &res);
		if (rc == GU_ENOTFOUND)
			return GU_OK;
		if (rc != GU_OK)
			return rc;
		if (!changed[i])
			snprintf(neu[i], sizeof(neu[i]), "%s", old[i]);
		any |= changed[i];
	}
	if (!any)
		return GU_OK;
	rc = roster_import_files(
	    u->s, local[0], local[1], NULL, roster_report, NULL, NULL);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: roster refused: %s\n",
		    status_str(rc));
		return rc;
	}
	fprintf(stderr, "guanai-sync: roster imported\n");
	for (int i = 0; i < 2; i++) {
		snprintf(key, sizeof(key), "etag_%s", names[i]);
		(void) store_sync_kv_put(u->s, key, neu[i]);
	}
	return GU_OK;
}
