/*
 * cmd_sync.c: the uploader's subcommands (cmds.h): run, once, status,
 * trigger, export (verify is in cmd_verify.c).
 *
 * Exit status of `once` (docs/sync.md): 0 everything is uploaded,
 * 1 another failure, 2 usage or config, 3 no network, 4 server
 * unreachable, 5 server error, 6 refused, 7 authentication, 8 storage,
 * 9 another uploader is running.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "cmds.h"
#include "config.h"
#include "daemon.h"
#include "fetch.h"
#include "http.h"
#include "netupdate.h"
#include "poke.h"
#include "safedir.h"
#include "status.h"
#include "store_sync.h"
#include "upload.h"

/* manifest.txt: about 140 bytes a batch */
#define EXPORT_MANIFEST_MAX ((size_t) 64 << 20)

/* Parses options into cfg; returns -1 on success, else the exit code. */
static int
args(const char *cmd, struct sync_config *cfg, int argc, char **argv, int *nops,
    int need_url)
{
	char why[200];
	int check;

	config_defaults(cfg);
	if (config_args(cfg, argc, argv, nops, &check, stderr) != GU_OK) {
		fprintf(stderr, "guanai-sync %s: bad configuration\n", cmd);
		return 2;
	}
	if (need_url || check) {
		if (config_check(cfg, why, sizeof(why)) != GU_OK) {
			fprintf(stderr, "guanai-sync %s: %s\n", cmd, why);
			return 2;
		}
	}
	if (check) {
		printf("configuration OK\n");
		return 0;
	}
	return -1;
}

static int
exit_of(int rc)
{
	switch (rc) {
	case GU_OK:
		return 0;
	case GU_ENET:
		return 3;
	case GU_EUNREACH:
		return 4;
	case GU_ESERVER:
		return 5;
	case GU_EREFUSED:
		return 6;
	case GU_EAUTH:
		return 7;
	case GU_EFULL:
	case GU_EIO:
		return 8;
	case GU_EBUSY:
		return 9;
	default:
		return 1;
	}
}

int
cmd_run(int argc, char **argv)
{
	struct sync_config cfg;
	int n, e, verbose;

	e = args("run", &cfg, argc, argv, &n, 1);
	if (e >= 0)
		return e;
	verbose = getenv("GUANAI_QUIET") == NULL;
	if (http_global_init() != GU_OK)
		return 1;
	return daemon_run(&cfg, verbose) == GU_OK ? 0 : 1;
}

/*
 * What once and update share: the uploader's lock, libcurl, the store.
 * -1 with *s and *lockfd set, else the exit status (the reason printed,
 * nothing left open).
 */
static int
open_pass(const char *cmd, const struct sync_config *cfg, struct store **s,
    int *lockfd)
{
	int rc = daemon_lock(cfg->data, lockfd);

	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync %s: %s: %s\n", cmd, cfg->data,
		    rc == GU_EBUSY ? "another uploader is running"
		                   : "cannot take the lock");
		return exit_of(rc);
	}
	if (http_global_init() != GU_OK) {
		close(*lockfd);
		return 1;
	}
	rc = store_open(s, cfg->data, NULL);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync %s: %s: %s\n", cmd, cfg->data,
		    status_str(rc));
		close(*lockfd);
		return 1;
	}
	return -1;
}

int
cmd_once(int argc, char **argv)
{
	struct sync_config cfg;
	struct store *s = NULL;
	struct upload u;
	struct sync_status st;
	int n, e, rc, lockfd = -1;

	e = args("once", &cfg, argc, argv, &n, 1);
	if (e >= 0)
		return e;
	e = open_pass("once", &cfg, &s, &lockfd);
	if (e >= 0)
		return e;
	rc = upload_init(&u, s, &cfg);
	if (rc == GU_OK) {
		u.verbose = getenv("GUANAI_QUIET") == NULL;
		(void) fetch_district_key(&u);
		rc = upload_pass(&u);
		if (rc == GU_OK)
			(void) fetch_roster(&u);
		if (rc == GU_OK)
			(void) fetch_calendar(&u);
		if (rc == GU_OK)
			(void) fetch_acks(&u);
		/* Never changes the upload state nor `once`'s exit status. */
		if (rc == GU_OK)
			(void) netupdate_pass(&u);
		printf("sent %" PRIu64 " batches, %" PRIu64 " records, %" PRIu64
		       " bytes\n",
		    u.sent_batches, u.sent_records, u.sent_bytes);
		upload_fini(&u);
	}
	if (store_sync_status(s, &st) == GU_OK) {
		if (rc == GU_OK)
			printf("all uploaded\n");
		else
			printf("failed: %s: %s; %" PRIu64 " records waiting\n",
			    status_str(rc), st.message, st.unacked);
	}
	store_close(s);
	close(lockfd);
	return exit_of(rc);
}

static void
fmt_time(int64_t ms, char *out, size_t cap)
{
	struct tm tm;
	time_t t = (time_t) (ms / 1000);

	if (ms <= 0) {
		snprintf(out, cap, "never");
		return;
	}
	localtime_r(&t, &tm);
	strftime(out, cap, "%Y-%m-%d %H:%M:%S", &tm);
}

/* The sync table's keys of the downloads' last refusals (fetch.c,
 * netupdate.c). */
static const char *const refused[] = {
    "roster_error", "calendar_error", "ack_error", "update_error"};

int
cmd_status(int argc, char **argv)
{
	struct sync_config cfg;
	struct sync_status st;
	struct sync_batch rb[5];
	struct store_info info;
	struct store *s = NULL;
	char t1[40], t2[40], why[400];
	size_t nr = 0;
	int n, e, rc;
	int64_t now = upload_now_ms();

	e = args("status", &cfg, argc, argv, &n, 0);
	if (e >= 0)
		return e;
	rc = store_open(&s, cfg.data, NULL);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync status: %s: %s\n", cfg.data,
		    status_str(rc));
		return 1;
	}
	rc = store_info(s, &info);
	if (rc == GU_OK)
		rc = store_sync_status(s, &st);
	if (rc == GU_OK)
		rc = store_sync_recent(s, rb, 5, &nr);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync status: %s\n", status_str(rc));
		store_close(s);
		return 1;
	}
	printf("school %s, device %s, epoch %016" PRIx64 "\n", info.school_id,
	    info.device, info.epoch);
	if (st.unacked == 0)
		printf("all uploaded (%" PRIu64 " records)\n", st.last_seq);
	else {
		fmt_time(st.oldest_unacked_ms, t1, sizeof(t1));
		printf("%" PRIu64 " records waiting to upload (oldest %s)\n",
		    st.unacked, t1);
	}
	fmt_time(st.last_success_ms, t1, sizeof(t1));
	printf("last successful upload: %s\n", t1);
	if (st.last_rc != GU_OK) {
		fmt_time(st.last_attempt_ms, t1, sizeof(t1));
		printf("last attempt %s failed: %s (%s)", t1,
		    status_str(st.last_rc), st.message);
		if (st.http_code)
			printf(", HTTP %d", st.http_code);
		printf("; %" PRIu32 " failures in a row\n", st.failures);
	}
	/* The last download of each kind that was refused, until one is
	 * taken. */
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (store_sync_kv_get(s, refused[i], why, sizeof(why)) ==
		        GU_OK &&
		    why[0] != '\0')
			printf("%.*s download refused: %s\n",
			    (int) strcspn(refused[i], "_"), refused[i], why);
	if (store_sync_kv_get(s, "update_install_error", why, sizeof(why)) ==
	        GU_OK &&
	    why[0] != '\0')
		printf("update install failed: %s\n", why);
	if (st.backoff_until_ms > now) {
		fmt_time(st.backoff_until_ms, t2, sizeof(t2));
		printf("next attempt not before %s\n", t2);
	}
	if (st.busy && now - st.busy_ms < SYNC_BUSY_STALE_MS)
		printf("uploading now: %" PRIu64 " of %" PRIu64
		       " records, %" PRIu64 " bytes sent\n",
		    st.prog_records_done, st.prog_records_total,
		    st.prog_bytes_done);
	printf("batches frozen and waiting: %" PRIu64 "\n", st.pending_batches);
	printf("cursor: acked_seq %" PRIu64 " of last_seq %" PRIu64 "\n",
	    st.acked_seq, st.last_seq);
	if (nr > 0)
		printf("recent uploads:\n");
	for (size_t i = 0; i < nr; i++) {
		fmt_time(rb[i].acked_ms, t1, sizeof(t1));
		printf("  %s  %s  %" PRIu32 " records  %" PRIu64 " bytes\n", t1,
		    rb[i].name, rb[i].n_records, rb[i].gz_bytes);
	}
	store_close(s);
	return 0;
}

int
cmd_trigger(int argc, char **argv)
{
	struct sync_config cfg;
	struct store *s = NULL;
	int n, e, rc, fd = -1;

	e = args("trigger", &cfg, argc, argv, &n, 0);
	if (e >= 0)
		return e;
	rc = store_open(&s, cfg.data, NULL);
	if (rc == GU_OK)
		rc = store_sync_trigger(s, upload_now_ms());
	store_close(s);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync trigger: %s: %s\n", cfg.data,
		    status_str(rc));
		return 1;
	}
	poke_send(cfg.data, POKE_TRIGGER);
	if (daemon_lock(cfg.data, &fd) == GU_OK) {
		close(fd);
		fprintf(stderr,
		    "guanai-sync trigger: no daemon is running; "
		    "use `guanai-sync once`\n");
		return 1;
	}
	printf("upload requested\n");
	return 0;
}

/* ---- export ---- */

struct exp {
	struct upload *u;
	struct safedir dir; /* the export folder, opened once */
	struct buf man;     /* manifest.txt, written last */
	int all;
	uint64_t n, records;
	int rc;
};

static int
export_fn(void *arg, const struct sync_batch *b)
{
	struct exp *x = arg;
	const uint8_t *data = NULL;
	uint8_t h[SYNC_HASH_LEN];
	char hex[2 * SYNC_HASH_LEN + 1], line[2 * SYNC_HASH_LEN + 256];
	size_t len = 0;
	int rc;

	if (!x->all && b->acked_ms != 0)
		return 0;
	rc = upload_build(x->u, b);
	if (rc == GU_OK)
		rc = upload_file(x->u, b, x->u->pk, &data, &len);
	if (rc == GU_OK) {
		rc = safedir_put(&x->dir, b->name, data, len);
		if (rc != GU_OK) {
			fprintf(stderr, "guanai-sync export: %s\n", x->dir.msg);
			x->rc = rc;
			return 1;
		}
	}
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync export: %s: %s\n", b->name,
		    status_str(rc));
		x->rc = rc;
		return 1;
	}
	crypto_hash_sha256(h, data, len);
	batch_hex(h, hex);
	snprintf(line, sizeof(line), "%s  %s\n", hex, b->name);
	if (buf_add(&x->man, line, strlen(line)) != GU_OK) {
		x->rc = GU_ETOOBIG;
		return 1;
	}
	x->n++;
	x->records += b->n_records;
	return 0;
}

/*
 * The stick is someone else's folder: every file goes in through
 * safedir.h (opened once, O_NOFOLLOW, O_EXCL, renamed into place), so a
 * prepared link on it is refused instead of followed into the store.
 */
int
cmd_export(int argc, char **argv)
{
	struct sync_config cfg;
	struct store *s = NULL;
	struct upload u;
	struct exp x;
	char line[512];
	int n, e, rc, have_u = 0;

	memset(&x, 0, sizeof(x));
	x.dir.fd = -1;
	buf_init(&x.man, EXPORT_MANIFEST_MAX);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--all") == 0) {
			x.all = 1;
			argv[i] = "--";
			/* "--" ends the options; keep the rest as operands */
			memmove(&argv[i], &argv[i + 1],
			    (size_t) (argc - i - 1) * sizeof(*argv));
			argc--;
			break;
		}
	e = args("export", &cfg, argc, argv, &n, 0);
	if (e >= 0) {
		buf_fini(&x.man);
		return e;
	}
	if (n != 1 || argv[1][0] != '/') {
		fprintf(stderr,
		    "usage: guanai-sync export [--all] /ABSOLUTE/DIR "
		    "[--data DIR]\n");
		buf_fini(&x.man);
		return 2;
	}
	/* The folder first: a stick that is refused changes nothing in the
	 * store either (no batch is frozen for it). */
	rc = safedir_open(&x.dir, argv[1], 1);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync export: %s\n", x.dir.msg);
		buf_fini(&x.man);
		return 1;
	}
	rc = store_open(&s, cfg.data, NULL);
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync export: %s: %s\n", cfg.data,
		    status_str(rc));
		safedir_close(&x.dir);
		buf_fini(&x.man);
		return 1;
	}
	rc = upload_init(&u, s, &cfg);
	if (rc != GU_OK)
		goto out;
	have_u = 1;
	/* Freeze what is not yet in a batch; a daemon freezing at the same
	 * time makes ours GU_EBUSY: try again. */
	for (int tries = 0; tries < 20; tries++) {
		rc = upload_freeze_all(&u);
		if (rc != GU_EBUSY)
			break;
		usleep(100000);
	}
	if (rc != GU_OK)
		goto out;
	x.u = &u;
	snprintf(line, sizeof(line),
	    "# guanai export: school %s device %s epoch %016" PRIx64
	    "; sha256sum -c manifest.txt, then guanai-sync verify .\n",
	    u.info.school_id, u.info.device, u.info.epoch);
	rc = buf_add(&x.man, line, strlen(line));
	if (rc != GU_OK)
		goto out;
	rc = store_sync_batches(s, 1, !x.all, export_fn, &x);
	if (rc == 1) {
		/* export_fn said what went wrong */
		rc = x.rc;
		goto quiet;
	}
	if (rc == GU_OK)
		rc = safedir_put(&x.dir, "manifest.txt", x.man.p, x.man.len);
	if (rc == GU_OK)
		rc = safedir_sync(&x.dir);
	if (rc != GU_OK && x.dir.msg[0] != '\0') {
		fprintf(stderr, "guanai-sync export: %s\n", x.dir.msg);
		goto quiet;
	}
	if (rc == GU_OK)
		printf("exported %" PRIu64 " batches, %" PRIu64
		       " records to %s%s\n",
		    x.n, x.records, argv[1],
		    u.sealed ? ""
		             : " (NOT sealed: no district key in "
		               "DATA/district-key)");
out:
	if (rc != GU_OK)
		fprintf(stderr, "guanai-sync export: %s\n", status_str(rc));
quiet:
	if (have_u)
		upload_fini(&u);
	store_close(s);
	safedir_close(&x.dir);
	buf_fini(&x.man);
	return rc == GU_OK ? 0 : exit_of(rc);
}

/*
 * update --check | --download | --install: the network update's steps by
 * hand (netupdate.h).  The step is taken out of argv before the config
 * options are read, where --check alone would mean "check the config".
 * --install installs now, whatever update_hours says: an operator's
 * decision.  Exit status as once's.
 */
int
cmd_update(int argc, char **argv)
{
	static const char *const steps[] = {
	    "--check", "--download", "--install"};
	struct sync_config cfg;
	struct update_index ix;
	struct store *s = NULL;
	struct upload u;
	int n, e, rc, step = -1, newer, lockfd = -1;

	for (int i = 1; i < argc && step < 0; i++)
		for (int k = 0; k < 3; k++)
			if (strcmp(argv[i], steps[k]) == 0) {
				step = k;
				memmove(argv + i, argv + i + 1,
				    sizeof(*argv) * (size_t) (argc - i));
				argc--;
				break;
			}
	if (step < 0) {
		fprintf(stderr,
		    "usage: guanai-sync update --check | "
		    "--download | --install [options]\n");
		return 2;
	}
	e = args("update", &cfg, argc, argv, &n, 1);
	if (e >= 0)
		return e;
	if (cfg.update_url[0] == '\0') {
		fprintf(stderr, "guanai-sync update: update_url is not set\n");
		return 2;
	}
	/* The daemon's pass does the same steps: one at a time. */
	e = open_pass("update", &cfg, &s, &lockfd);
	if (e >= 0)
		return e;
	rc = upload_init(&u, s, &cfg);
	if (rc == GU_OK) {
		u.verbose = 1;
		if (step == 0) {
			rc = netupdate_check(&u, &ix, &newer);
			if (rc == GU_OK)
				printf("%s offered (%s, %llu bytes): %s\n",
				    ix.version, ix.file,
				    (unsigned long long) ix.size,
				    newer ? "newer" : "not newer");
			else if (rc == GU_ENOTFOUND)
				printf("no update index on the server\n");
		} else if (step == 1)
			rc = netupdate_download(&u);
		else {
			rc = netupdate_install(&u, 1);
			if (rc == GU_ENOTFOUND)
				printf("nothing downloaded to install\n");
		}
		upload_fini(&u);
	}
	store_close(s);
	close(lockfd);
	return rc == GU_EINVAL ? 6 : exit_of(rc);
}
