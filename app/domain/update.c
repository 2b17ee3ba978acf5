/*
 * update.c: finding a bundle on a stick and reading DATA/update.state
 * (update.h).  Running rauc is core/rauc.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kv.h"
#include "status.h"
#include "update.h"
#include "usb.h"

int
update_find(const char *media_dir, char *out, size_t len)
{
	char stick[600], best[256] = "", path[900];
	struct dirent *e;
	struct stat st;
	DIR *d;
	size_t n;

	if (usb_find(media_dir, stick, sizeof(stick)) != GU_OK)
		return GU_ENOTFOUND;
	d = opendir(stick);
	if (d == NULL)
		return GU_ENOTFOUND;
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n <= 6 || n >= sizeof(best) ||
		    strcmp(e->d_name + n - 6, ".raucb") != 0)
			continue;
		if ((size_t) snprintf(path, sizeof(path), "%s/%s", stick,
		        e->d_name) >= sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (strcmp(e->d_name, best) > 0)
			memcpy(best, e->d_name, n + 1);
	}
	closedir(d);
	if (best[0] == '\0' ||
	    (size_t) snprintf(out, len, "%s/%s", stick, best) >= len)
		return GU_ENOTFOUND;
	return GU_OK;
}

int
update_downloaded(const char *data_dir, const struct update_cfg *c,
    struct update_index *r, char *path, size_t len)
{
	char ready[1100], why[300], run[64];
	struct stat st;

	memset(r, 0, sizeof(*r));
	if (data_dir == NULL || data_dir[0] == '\0' ||
	    (size_t) snprintf(ready, sizeof(ready), "%s/update/ready",
	        data_dir) >= sizeof(ready))
		return GU_ENOTFOUND;
	if (update_index_read(ready, NULL, UPDATE_INDEX_READY, UINT64_MAX, r,
	        why, sizeof(why)) != GU_OK)
		return GU_ENOTFOUND;
	if ((size_t) snprintf(path, len, "%s/update/%s", data_dir, r->file) >=
	        len ||
	    stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (update_running(c, run, sizeof(run)) == GU_OK &&
	        update_version_cmp(r->version, run) <= 0)) {
		memset(r, 0, sizeof(*r));
		return GU_ENOTFOUND;
	}
	return GU_OK;
}

/* One line of DATA/update.state, for kv_parse_file(). */
static int
last_line(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct update_last *u = arg;
	char *end;
	long long v;

	if (strcmp(l->key, "from") == 0 || strcmp(l->key, "to") == 0) {
		char *dst = l->key[0] == 'f' ? u->from : u->to;
		if (strlen(l->value) >= sizeof(u->from)) {
			snprintf(why, why_len, "version too long");
			return GU_EINVAL;
		}
		memcpy(dst, l->value, strlen(l->value) + 1);
		return GU_OK;
	}
	if (strcmp(l->key, "result") == 0) {
		if (strcmp(l->value, "good") != 0 &&
		    strcmp(l->value, "rolled-back") != 0) {
			snprintf(why, why_len, "result: good or rolled-back");
			return GU_EINVAL;
		}
		u->good = l->value[0] == 'g';
		return GU_OK;
	}
	if (strcmp(l->key, "installed") == 0 || strcmp(l->key, "boots") == 0) {
		errno = 0;
		v = strtoll(l->value, &end, 10);
		if (errno != 0 || end == l->value || *end != '\0' || v < 0 ||
		    v > 4102444800LL) {
			snprintf(why, why_len, "%s: a number", l->key);
			return GU_EINVAL;
		}
		if (l->key[0] == 'i')
			u->installed_ms = v * 1000;
		else
			u->boots = (unsigned) v;
		return GU_OK;
	}
	return GU_OK; /* keys of later versions are skipped */
}

int
update_last_read(const char *path, struct update_last *l)
{
	static const struct kv_opts opts = {512, "#", NULL, 0, 0};
	struct stat st;
	int rc;

	memset(l, 0, sizeof(*l));
	if (path == NULL || stat(path, &st) != 0)
		return GU_ENOTFOUND;
	rc = kv_parse_file(path, &opts, last_line, l, NULL, NULL);
	if (rc != GU_OK || l->to[0] == '\0' || l->installed_ms == 0) {
		memset(l, 0, sizeof(*l));
		return GU_EINVAL;
	}
	return GU_OK;
}
