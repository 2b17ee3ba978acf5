/*
 * netupdate.c: system updates over the network (netupdate.h).
 *
 * DATA/update/ holds at most one version at a time: latest (the index
 * whose ETag is etag_update), NAME.part while it downloads, NAME and
 * ready once it has passed every check.  A bundle never becomes NAME
 * unchecked, and ready is written last (ready.tmp, fsync, rename), so
 * the kiosk and the installer see a checked bundle or none.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "netupdate.h"
#include "rauc.h"
#include "sha256.h"
#include "status.h"
#include "store_sync.h"

#define PATH_LEN 800
#define WHY_LEN 400

/* The sync table's keys (store_sync_kv_*). */
#define KV_ETAG "etag_update"
#define KV_ERROR "update_error"                 /* download refused */
#define KV_INSTALL_ERROR "update_install_error" /* rauc install failed */
#define KV_TRIED "update_tried" /* the version the daemon installed */

/* The web options of url, pointed at the update folder. */
static void
update_opts(const struct upload *u, struct http_opts *o)
{
	*o = u->ho;
	snprintf(o->url, sizeof(o->url), "%s", u->cfg->update_url);
}

static void
rauc_cfg(const struct upload *u, struct update_cfg *c)
{
	c->rauc_bin = u->cfg->update_rauc;
	c->system_conf = u->cfg->update_rauc_conf;
	c->version_file = u->cfg->update_version_file;
}

static int
path_in(const struct upload *u, const char *name, char *out)
{
	return snprintf(out, PATH_LEN, "%s/update%s%s", u->cfg->data,
	           name[0] ? "/" : "", name) < PATH_LEN
	    ? GU_OK
	    : GU_ETOOBIG;
}

/* Says why a download was refused, on stderr and for `status`. */
static int
refuse(struct upload *u, const char *why)
{
	fprintf(stderr, "guanai-sync: update download refused: %s\n", why);
	(void) store_sync_kv_put(u->s, KV_ERROR, why);
	return GU_EINVAL;
}

int
netupdate_check(struct upload *u, struct update_index *ix, int *newer)
{
	char latest[PATH_LEN], fresh[PATH_LEN], old[HTTP_MSG_LEN];
	char neu[HTTP_MSG_LEN], why[WHY_LEN], run[64];
	struct update_cfg rc_cfg;
	struct http_opts o;
	struct http_result res;
	struct stat st;
	int changed = 0, rc;

	memset(ix, 0, sizeof(*ix));
	*newer = 0;
	rc = path_in(u, "", latest);
	if (rc != GU_OK)
		return rc;
	(void) mkdir(latest, 0750);
	if (path_in(u, "latest", latest) != GU_OK ||
	    path_in(u, "latest.new", fresh) != GU_OK)
		return GU_ETOOBIG;
	rc = store_sync_kv_get(u->s, KV_ETAG, old, sizeof(old));
	if (rc != GU_OK)
		return rc;
	/* Without the copy the ETag is worth nothing. */
	if (stat(latest, &st) != 0)
		old[0] = '\0';
	update_opts(u, &o);
	rc = http_get_cond(
	    &o, "latest", old, fresh, UPDATE_INDEX_MAX, neu, &changed, &res);
	if (rc == GU_ETOOBIG)
		return refuse(u, "latest: more than 4096 bytes");
	if (rc != GU_OK) {
		if (u->verbose && rc != GU_ENOTFOUND)
			fprintf(
			    stderr, "guanai-sync: update index: %s\n", res.msg);
		return rc;
	}
	rc = update_index_read(changed ? fresh : latest, "latest",
	    UPDATE_INDEX_LATEST, (uint64_t) u->cfg->update_max_bytes, ix, why,
	    sizeof(why));
	if (rc != GU_OK) {
		/* Refused whole: fetched whole again next pass. */
		if (changed)
			(void) unlink(fresh);
		else {
			(void) unlink(latest);
			(void) store_sync_kv_put(u->s, KV_ETAG, "");
		}
		return refuse(u, why);
	}
	if (changed) {
		if (rename(fresh, latest) != 0) {
			(void) unlink(fresh);
			return GU_EIO;
		}
		(void) store_sync_kv_put(u->s, KV_ETAG, neu);
	}
	rauc_cfg(u, &rc_cfg);
	if (update_running(&rc_cfg, run, sizeof(run)) != GU_OK) {
		snprintf(why, sizeof(why),
		    "%.300s: the running version cannot "
		    "be read",
		    u->cfg->update_version_file);
		return refuse(u, why);
	}
	*newer = update_version_cmp(ix->version, run) > 0;
	if (u->verbose)
		fprintf(stderr,
		    "guanai-sync: update: %s offered, %s running%s\n",
		    ix->version, run, *newer ? "" : ": nothing newer");
	return GU_OK;
}

/* Removes the bundles, .part files and ready of versions but keep. */
static void
remove_others(struct upload *u, const char *keep)
{
	char dir[PATH_LEN], path[PATH_LEN + 260], part[140];
	struct update_index r;
	char why[WHY_LEN];
	struct dirent *e;
	DIR *d;

	if (path_in(u, "", dir) != GU_OK || (d = opendir(dir)) == NULL)
		return;
	snprintf(part, sizeof(part), "%s.part", keep);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		int bundle = n > 6 && strcmp(e->d_name + n - 6, ".raucb") == 0;
		int partial =
		    n > 11 && strcmp(e->d_name + n - 11, ".raucb.part") == 0;

		if ((!bundle && !partial) || strcmp(e->d_name, keep) == 0 ||
		    strcmp(e->d_name, part) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		(void) unlink(path);
	}
	closedir(d);
	snprintf(path, sizeof(path), "%s/ready", dir);
	if (update_index_read(path, NULL, UPDATE_INDEX_READY, UINT64_MAX, &r,
	        why, sizeof(why)) != GU_ENOTFOUND &&
	    strcmp(r.file, keep) != 0)
		(void) unlink(path);
}

/* Whether the file at path is what ix says (size, then SHA-256); why
 * names what is not. */
static int
matches(
    const char *path, const struct update_index *ix, char *why, size_t why_len)
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char buf[1 << 16];
	uint8_t h[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	struct sha256 c;
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(why, why_len, "%s: %s", ix->file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return GU_EIO;
	}
	if ((uint64_t) st.st_size != ix->size) {
		snprintf(why, why_len, "%s: %llu bytes, the index says %llu",
		    ix->file, (unsigned long long) st.st_size,
		    (unsigned long long) ix->size);
		close(fd);
		return GU_EINVAL;
	}
	sha256_init(&c);
	while (
	    (n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			sha256_update(&c, buf, (size_t) n);
	close(fd);
	sha256_final(&c, h);
	if (n < 0) {
		snprintf(why, why_len, "%s: %s", ix->file, strerror(errno));
		return GU_EIO;
	}
	for (size_t i = 0; i < SHA256_LEN; i++) {
		hex[2 * i] = hexd[h[i] >> 4];
		hex[2 * i + 1] = hexd[h[i] & 15];
	}
	hex[2 * SHA256_LEN] = '\0';
	if (strcmp(hex, ix->sha256) != 0) {
		snprintf(why, why_len, "%s: SHA-256 does not match the index",
		    ix->file);
		return GU_EINVAL;
	}
	return GU_OK;
}

/* The local time now as ISO 8601 with its offset. */
static void
iso_now(char *out, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	char z[8];

	localtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm); /* +0800 */
	if (strlen(z) == 5)
		snprintf(
		    out + strlen(out), len - strlen(out), "%.3s:%s", z, z + 3);
}

/* A signal to the daemon ends a download at once (a bundle takes long
 * over a village link): the .part is kept for the next start. */
static int
stopped(void *arg, uint64_t got, uint64_t total)
{
	const struct upload *u = arg;

	(void) got;
	(void) total;
	return u->stop != NULL && *u->stop;
}

/* The checked bundle at part becomes NAME, and ready says so. */
static int
put_in_place(struct upload *u, const struct update_index *ix,
    const struct update_bundle *b, const char *part)
{
	char path[PATH_LEN], ready[PATH_LEN], text[UPDATE_INDEX_MAX];
	struct update_index r = *ix;
	size_t n;

	if (path_in(u, ix->file, path) != GU_OK ||
	    path_in(u, "ready", ready) != GU_OK)
		return GU_ETOOBIG;
	snprintf(r.compatible, sizeof(r.compatible), "%s", b->compatible);
	/* One line of at most 400 bytes: kv.c's reader takes it back. */
	(void) buf_utf8_cut(r.description, sizeof(r.description),
	    b->description, strlen(b->description));
	for (char *p = r.description; *p != '\0'; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7f)
			*p = ' ';
	iso_now(r.downloaded, sizeof(r.downloaded));
	/* update_hours is "HH-HH" or "off" (config.c checked it). */
	snprintf(r.hours, sizeof(r.hours), "%.5s", u->cfg->update_hours);
	n = update_index_format(&r, text, sizeof(text));
	if (n == 0)
		return GU_ETOOBIG;
	if (rename(part, path) != 0)
		return GU_EIO;
	return atomic_write(ready, ".tmp", text, n, 0640);
}

int
netupdate_download(struct upload *u)
{
	char part[PATH_LEN], path[PATH_LEN], ready[PATH_LEN], why[WHY_LEN];
	struct update_index ix, r;
	struct update_bundle b;
	struct update_cfg c;
	struct http_opts o;
	struct http_result res;
	struct stat st;
	uint64_t have = 0;
	int newer, resumed, rc;

	rc = netupdate_check(u, &ix, &newer);
	if (rc == GU_ENOTFOUND)
		return GU_OK; /* nothing offered */
	if (rc != GU_OK)
		return rc;
	remove_others(u, newer ? ix.file : "");
	if (!newer) {
		(void) store_sync_kv_put(u->s, KV_ERROR, "");
		return GU_OK;
	}
	if (path_in(u, ix.file, path) != GU_OK ||
	    snprintf(part, sizeof(part), "%s.part", path) >= (int) sizeof(part))
		return GU_ETOOBIG;
	if (path_in(u, "ready", ready) == GU_OK &&
	    update_index_read(ready, NULL, UPDATE_INDEX_READY, UINT64_MAX, &r,
	        why, sizeof(why)) == GU_OK &&
	    strcmp(r.file, ix.file) == 0 && strcmp(r.sha256, ix.sha256) == 0 &&
	    stat(path, &st) == 0)
		return GU_OK; /* in place already */
	if (stat(part, &st) == 0 && (uint64_t) st.st_size > ix.size)
		(void) unlink(part);
	else if (stat(part, &st) == 0)
		have = (uint64_t) st.st_size;
	if (have < ix.size) {
		update_opts(u, &o);
		if (u->verbose)
			fprintf(stderr, "guanai-sync: update: fetching %s%s\n",
			    ix.file, have > 0 ? " (going on)" : "");
		rc = http_get_range(&o, ix.file, part, ix.size, stopped, u,
		    &have, &resumed, &res);
		if (u->verbose && resumed)
			fprintf(stderr,
			    "guanai-sync: update: went on from "
			    "the part already here\n");
		if (rc == GU_ETOOBIG || rc == GU_ENOTFOUND ||
		    (rc == GU_ESERVER && res.code == 206) ||
		    (rc == GU_EREFUSED && res.code > 0)) {
			snprintf(why, sizeof(why), "%s: %s", ix.file, res.msg);
			(void) unlink(part);
			return refuse(u, why);
		}
		if (rc != GU_OK) {
			/* Cut short: the next pass goes on from here. */
			fprintf(stderr,
			    "guanai-sync: update: %s: %s (%llu "
			    "of %llu bytes kept)\n",
			    ix.file, res.msg, (unsigned long long) have,
			    (unsigned long long) ix.size);
			return rc;
		}
	}
	/* The checks, in the documented order. */
	rc = matches(part, &ix, why, sizeof(why));
	if (rc != GU_OK) {
		(void) unlink(part);
		return refuse(u, why);
	}
	rauc_cfg(u, &c);
	rc = update_check(&c, part, &b);
	if (rc == GU_EIO) {
		/* rauc could not run: not the bundle's fault, keep it. */
		snprintf(why, sizeof(why), "%s: %s", ix.file, b.msg);
		(void) refuse(u, why);
		return GU_EIO;
	}
	if (rc == GU_OK && strcmp(b.version, ix.version) != 0) {
		snprintf(b.msg, sizeof(b.msg),
		    "the bundle's version %.64s is not the index's %.64s",
		    b.version, ix.version);
		rc = GU_EREFUSED;
	}
	if (rc != GU_OK) {
		snprintf(why, sizeof(why), "%s: rauc: %s", ix.file, b.msg);
		(void) unlink(part);
		return refuse(u, why);
	}
	rc = put_in_place(u, &ix, &b, part);
	if (rc != GU_OK)
		return rc;
	(void) store_sync_kv_put(u->s, KV_ERROR, "");
	fprintf(stderr, "guanai-sync: update %s downloaded and checked\n",
	    ix.version);
	return GU_OK;
}

/* Whether the daemon may install at this local hour. */
static int
quiet_now(const struct upload *u)
{
	time_t t = time(NULL);
	struct tm tm;
	char why[WHY_LEN];
	int from, to;

	if (update_hours_parse(
	        u->cfg->update_hours, &from, &to, why, sizeof(why)) != GU_OK)
		return 0;
	localtime_r(&t, &tm);
	return update_hours_in(from, to, tm.tm_hour);
}

int
netupdate_install(struct upload *u, int by_hand)
{
	char ready[PATH_LEN], path[PATH_LEN], why[WHY_LEN], run[64];
	char tried[HTTP_MSG_LEN], step[sizeof(((struct update_job *) 0)->step)];
	struct update_index r;
	struct update_job j;
	struct update_cfg c;
	unsigned pct = 101;
	int rc;

	if (path_in(u, "ready", ready) != GU_OK)
		return GU_ETOOBIG;
	rc = update_index_read(ready, NULL, UPDATE_INDEX_READY,
	    (uint64_t) u->cfg->update_max_bytes, &r, why, sizeof(why));
	if (rc == GU_ENOTFOUND)
		return GU_ENOTFOUND;
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync: update: %s\n", why);
		(void) unlink(ready);
		return GU_EINVAL;
	}
	rauc_cfg(u, &c);
	if (update_running(&c, run, sizeof(run)) == GU_OK &&
	    update_version_cmp(r.version, run) <= 0) {
		/* Installed and running: the kiosk's line goes. */
		(void) unlink(ready);
		return GU_OK;
	}
	if (!by_hand) {
		if (!quiet_now(u))
			return GU_OK; /* never outside the quiet hours */
		if (store_sync_kv_get(u->s, KV_TRIED, tried, sizeof(tried)) ==
		        GU_OK &&
		    strcmp(tried, r.version) == 0)
			return GU_OK; /* waits for the reboot, or a hand */
	}
	if (path_in(u, r.file, path) != GU_OK)
		return GU_ETOOBIG;
	rc = matches(path, &r, why, sizeof(why));
	if (rc != GU_OK) {
		/* Damaged on the disk: fetched again next pass. */
		fprintf(stderr, "guanai-sync: update: %s\n", why);
		(void) unlink(ready);
		(void) unlink(path);
		return rc;
	}
	(void) store_sync_kv_put(u->s, KV_TRIED, r.version);
	fprintf(stderr, "guanai-sync: update: installing %s\n", r.version);
	update_start(&j, &c, path);
	while (update_poll(&j, 1000) == UPDATE_RUNNING)
		if (u->verbose && j.pct != pct) {
			pct = j.pct;
			snprintf(step, sizeof(step), "%s", j.step);
			fprintf(stderr, "guanai-sync: update: %3u%% %s\n", pct,
			    step);
		}
	if (j.state != UPDATE_DONE) {
		snprintf(why, sizeof(why), "%s: %s", r.version, j.msg);
		fprintf(
		    stderr, "guanai-sync: update install failed: %s\n", why);
		(void) store_sync_kv_put(u->s, KV_INSTALL_ERROR, why);
		update_stop(&j);
		return GU_EREFUSED;
	}
	update_stop(&j);
	(void) store_sync_kv_put(u->s, KV_INSTALL_ERROR, "");
	fprintf(stderr,
	    "guanai-sync: update %s installed; asking for a "
	    "reboot\n",
	    r.version);
	return update_request_reboot(u->cfg->update_reboot_request);
}

int
netupdate_pass(struct upload *u)
{
	int rc, irc;

	if (u->cfg->update_url[0] == '\0')
		return GU_OK;
	rc = netupdate_download(u);
	irc = netupdate_install(u, 0);
	if (irc == GU_ENOTFOUND)
		irc = GU_OK;
	return rc != GU_OK ? rc : irc;
}
