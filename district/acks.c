/*
 * acks.c: guanai-district ack (docs/district.md, "Acknowledging an urgent
 * concern"): records who at the district received an urgent concern,
 * when and with what outcome in the table acks, and writes the school's
 * ack file (sync/ack.h) into the folder its terminals fetch the roster
 * from, ACKS/SCHOOL/acks.txt, with every ack of the school so far.  The
 * new file is written to a temporary name and fsynced inside the
 * transaction that inserts the row (a file that cannot be written rolls
 * the row back), and renamed into place after the commit: a rename that
 * fails then leaves the older file, which the next ack of the school
 * replaces with every row.
 *
 * When acks is a URL (an S3 bucket's prefix with aws_sigv4, else a WebDAV
 * folder) the file is PUT whole after the commit, as URL/SCHOOL/acks.txt,
 * by sync/http.c (the terminal's uploads: SigV4, then a HEAD that must
 * find it).  A PUT that fails leaves the row stored and exits 1; the
 * next ack of the school, or `ack --republish SCHOOL`, writes the file
 * again from every row.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ack.h"
#include "buf.h"
#include "db.h"
#include "dconf.h"
#include "district.h"
#include "http.h"
#include "seal.h"
#include "status.h"

struct acks {
	struct ack_entry *e;
	size_t n, cap;
	int bad;
};

/* One row of the school's acks: device, epoch, seq, day, outcome, by, note */
static int
ack_row(void *arg, int nc, const char *const *c)
{
	struct acks *a = arg;
	struct ack_entry *e;

	if (nc < 7 || a->n == ACK_MAX)
		return 1;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		struct ack_entry *ne = realloc(a->e, cap * sizeof(*ne));

		if (ne == NULL)
			return 1;
		a->e = ne;
		a->cap = cap;
	}
	e = &a->e[a->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->device, sizeof(e->device), "%s", c[0]);
	e->epoch = strtoull(c[1], NULL, 16);
	e->seq = strtoull(c[2], NULL, 10);
	snprintf(e->date, sizeof(e->date), "%s", c[3]);
	snprintf(e->outcome, sizeof(e->outcome), "%s", c[4]);
	snprintf(e->by, sizeof(e->by), "%s", c[5]);
	snprintf(e->note, sizeof(e->note), "%s", c[6] ? c[6] : "");
	return 0;
}

#define ACK_PATH_MAX (DCONF_STR + 128)

/* Writes b to tmp beside dir/SCHOOL/acks.txt (path), fsynced. */
static int
put_file(const char *dir, const char *school, const struct buf *b,
    char path[ACK_PATH_MAX], char tmp[ACK_PATH_MAX], char *why, size_t why_len)
{
	char d[DCONF_STR + 64];
	int fd, rc = GU_OK;

	snprintf(d, sizeof(d), "%s/%s", dir, school);
	snprintf(path, ACK_PATH_MAX, "%s/acks.txt", d);
	snprintf(tmp, ACK_PATH_MAX, "%s/.acks.txt.%ld", d, (long) getpid());
	/* The folder and the school's under it, as the roster has them. */
	if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
	    (mkdir(d, 0755) != 0 && errno != EEXIST)) {
		snprintf(why, why_len, "%s: %s", d, strerror(errno));
		return GU_EIO;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(why, why_len, "%s: %s", tmp, strerror(errno));
		return GU_EIO;
	}
	if (write(fd, b->p, b->len) != (ssize_t) b->len || fsync(fd) != 0)
		rc = GU_EIO;
	if (close(fd) != 0)
		rc = GU_EIO;
	if (rc != GU_OK) {
		snprintf(why, why_len, "%s: %s", tmp, strerror(errno));
		(void) unlink(tmp);
	}
	return rc;
}

/*
 * PUTs b as URL/SCHOOL/acks.txt (c->acks a URL), confirmed as the
 * terminal's uploads are.  GU_OK or the transport's class, with why.
 */
static int
put_url(const struct dconf *c, const char *school, const struct buf *b,
    char *why, size_t why_len)
{
	struct http_opts o = c->tr;
	struct http_result put, res;
	char name[GU_ID_LEN + 16];
	int rc;

	if (strlen(c->acks) >= sizeof(o.url)) {
		snprintf(why, why_len, "acks: a URL longer than %zu bytes",
		    sizeof(o.url) - 1);
		return GU_ETOOBIG;
	}
	memcpy(o.url, c->acks, strlen(c->acks) + 1);
	snprintf(name, sizeof(name), "%s/acks.txt", school);
	rc = http_put(&o, name, b->p, b->len, NULL, NULL, &put);
	if (rc == GU_OK)
		rc = http_confirm(&o, name, b->len, &put, &res);
	else
		res = put;
	if (rc != GU_OK)
		snprintf(why, why_len,
		    "%s/%s: %s (the ack is stored; the next ack of the "
		    "school or ack --republish %s writes the file)",
		    c->acks, name, res.msg, school);
	return rc;
}

/* The concern ID as the board shows it: SCHOOL/DEVICE/EPOCH/SEQ. */
static int
split_id(const char *id, char parts[4][GU_ID_LEN + 1])
{
	const char *p = id;

	for (int i = 0; i < 4; i++) {
		size_t l = strcspn(p, "/");

		if (l == 0 || l > GU_ID_LEN || (i < 3 && p[l] != '/') ||
		    (i == 3 && p[l] != '\0'))
			return 0;
		memcpy(parts[i], p, l);
		parts[i][l] = '\0';
		p += l + 1;
	}
	return rec_id_ok(parts[0]) && rec_id_ok(parts[1]) &&
	    strlen(parts[2]) == 16 &&
	    strspn(parts[2], "0123456789abcdef") == 16 &&
	    strspn(parts[3], "0123456789") == strlen(parts[3]);
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: guanai-district ack --config FILE --concern "
	    "SCHOOL/DEVICE/EPOCH/SEQ --by NAME\n"
	    "           --outcome received|police|civil|handled "
	    "[--note TEXT]\n"
	    "       guanai-district ack --config FILE --republish SCHOOL\n");
	return 2;
}

/* Every ack of school $1, oldest first, as ack_row() takes them. */
static const char ACKS_OF_SCHOOL[] =
    "SELECT device, epoch, seq, to_char(at AT TIME ZONE "
    "'Asia/Shanghai', 'YYYY-MM-DD'), outcome, by, note FROM acks "
    "WHERE school = $1 ORDER BY id";

/*
 * Writes the file of school from every row (--republish), to the folder
 * or the URL.  0, or 1 with the reason on stderr.
 */
/*
 * The signing key of the config into k, *signs = 1; *signs = 0 without
 * sign_key (the file stays version 1).  0, or 1 with the reason on
 * stderr.
 */
static int
signer(const struct dconf *c, struct sign_key *k, int *signs)
{
	char why[4200];

	*signs = 0;
	if (c->sign_key[0] == '\0')
		return 0;
	if (seal_sign_secret_load(c->sign_key, k, why, sizeof(why)) != GU_OK) {
		fprintf(stderr, "guanai-district ack: sign_key: %s\n", why);
		return 1;
	}
	*signs = 1;
	return 0;
}

static int
republish(const struct dconf *c, struct db *db, const char *school,
    const struct sign_key *k)
{
	struct acks a = {.e = NULL, .n = 0, .cap = 0, .bad = 0};
	char path[ACK_PATH_MAX], tmp[ACK_PATH_MAX], why[4200];
	const char *v[1] = {school};
	struct buf b;
	int rc;

	buf_init(&b, ACK_FILE_MAX);
	rc = rec_id_ok(school) ? GU_OK : GU_EINVAL;
	if (rc != GU_OK)
		snprintf(why, sizeof(why), "--republish %s: not a school id",
		    school);
	if (rc == GU_OK)
		rc = db_rows(
		    db, ACKS_OF_SCHOOL, 1, v, ack_row, &a, why, sizeof(why));
	if (rc == GU_OK && a.n == 0) {
		snprintf(
		    why, sizeof(why), "%s: no acks of that school", school);
		rc = GU_ENOTFOUND;
	}
	if (rc == GU_OK)
		rc = ack_format_key(&b, school, a.e, a.n, k, why, sizeof(why));
	if (rc == GU_OK && dconf_url(c->acks))
		rc = put_url(c, school, &b, why, sizeof(why));
	else if (rc == GU_OK) {
		rc = put_file(c->acks, school, &b, path, tmp, why, sizeof(why));
		if (rc == GU_OK && rename(tmp, path) != 0) {
			snprintf(
			    why, sizeof(why), "%s: %s", path, strerror(errno));
			(void) unlink(tmp);
			rc = GU_EIO;
		}
	}
	if (rc == GU_OK)
		printf("republished %s/%s/acks.txt: %zu acks\n", c->acks,
		    school, a.n);
	else
		fprintf(stderr, "guanai-district ack: %s\n", why);
	buf_fini(&b);
	free(a.e);
	return rc == GU_OK ? 0 : 1;
}

static int
is_urgent(void *arg, int nc, const char *const *c)
{
	(void) nc;
	(void) c;
	*(int *) arg = 1;
	return 0;
}

int
cmd_ack(int argc, char **argv)
{
	const char *conf = NULL, *id = NULL, *by = NULL, *outcome = NULL;
	const char *note = "", *again = NULL;
	char parts[4][GU_ID_LEN + 1], why[4200];
	char path[ACK_PATH_MAX], tmp[ACK_PATH_MAX] = "";
	struct dconf *c = malloc(sizeof(*c));
	struct acks a = {.e = NULL, .n = 0, .cap = 0, .bad = 0};
	struct ack_entry probe;
	struct record *r = malloc(sizeof(*r));
	struct db *db = NULL;
	struct buf b;
	const char *v[8];
	struct sign_key sk;
	int ret = 2, found = 0, open = 0, signs = 0;

	buf_init(&b, ACK_FILE_MAX);
	for (int i = 1; i < argc; i++) {
		const char **to = strcmp(argv[i], "--config") == 0 ? &conf
		    : strcmp(argv[i], "--concern") == 0            ? &id
		    : strcmp(argv[i], "--by") == 0                 ? &by
		    : strcmp(argv[i], "--outcome") == 0            ? &outcome
		    : strcmp(argv[i], "--note") == 0               ? &note
		    : strcmp(argv[i], "--republish") == 0          ? &again
		                                                   : NULL;
		if (to == NULL || i + 1 >= argc) {
			conf = NULL;
			break;
		}
		*to = argv[++i];
	}
	if (c == NULL || r == NULL || conf == NULL ||
	    (again == NULL && (id == NULL || by == NULL || outcome == NULL)) ||
	    (again != NULL && id != NULL)) {
		ret = usage();
		goto out;
	}
	if (again != NULL) {
		if (dconf_load(c, conf) != GU_OK)
			goto out;
		if (c->acks[0] == '\0' ||
		    db_open(c->database, &db, why, sizeof(why)) != GU_OK) {
			fprintf(stderr, "%s: %s\n", conf,
			    c->acks[0] ? why : "acks is missing");
			goto out;
		}
		ret = signer(c, &sk, &signs);
		if (ret == 0)
			ret = republish(c, db, again, signs ? &sk : NULL);
		goto out;
	}
	if (!split_id(id, parts)) {
		fprintf(stderr,
		    "guanai-district ack: --concern %s: not "
		    "SCHOOL/DEVICE/EPOCH/SEQ as the board shows it\n",
		    id);
		goto out;
	}
	/* The fields as the terminal will check them, before anything. */
	memset(&probe, 0, sizeof(probe));
	snprintf(probe.device, sizeof(probe.device), "%s", parts[1]);
	probe.epoch = strtoull(parts[2], NULL, 16);
	probe.seq = strtoull(parts[3], NULL, 10);
	snprintf(probe.date, sizeof(probe.date), "2026-01-01");
	if (snprintf(probe.outcome, sizeof(probe.outcome), "%s", outcome) >=
	        (int) sizeof(probe.outcome) ||
	    snprintf(probe.by, sizeof(probe.by), "%s", by) >=
	        (int) sizeof(probe.by) ||
	    snprintf(probe.note, sizeof(probe.note), "%s", note) >=
	        (int) sizeof(probe.note) ||
	    strpbrk(by, "\t\n") != NULL || strpbrk(note, "\t\n") != NULL ||
	    probe.seq == 0 ||
	    ack_record(r, &probe, why, sizeof(why)) != GU_OK) {
		if (probe.seq == 0 || strpbrk(by, "\t\n") ||
		    strpbrk(note, "\t\n"))
			snprintf(why, sizeof(why), "a field is not valid");
		fprintf(stderr, "guanai-district ack: %s\n", why);
		goto out;
	}
	if (dconf_load(c, conf) != GU_OK)
		goto out;
	if (c->acks[0] == '\0') {
		fprintf(stderr,
		    "%s: acks is missing (the folder the "
		    "terminals fetch the roster from)\n",
		    conf);
		goto out;
	}
	if (signer(c, &sk, &signs) != 0)
		goto out;
	if (db_open(c->database, &db, why, sizeof(why)) != GU_OK) {
		fprintf(stderr, "%s: database: %s\n", conf, why);
		goto out;
	}
	ret = 1;
	for (int i = 0; i < 4; i++)
		v[i] = parts[i];
	if (db_rows(db,
	        "SELECT 1 FROM records_live WHERE school = $1 AND device = $2 "
	        "AND epoch = $3 AND seq = $4::bigint AND kind = 'concern' AND "
	        "coalesce((doc->>'urgent')::bool, false)",
	        4, v, is_urgent, &found, why, sizeof(why)) != GU_OK)
		goto fail;
	if (!found) {
		fprintf(stderr,
		    "guanai-district ack: %s: no urgent concern of that id "
		    "loaded\n",
		    id);
		goto out;
	}
	v[4] = by;
	v[5] = outcome;
	v[6] = note;
	if (db_exec(db, "BEGIN", 0, NULL, why, sizeof(why)) != GU_OK)
		goto fail;
	open = 1;
	if (db_exec(db,
	        "INSERT INTO acks (school, device, epoch, seq, by, outcome, "
	        "note) VALUES ($1, $2, $3, $4::bigint, $5, $6, $7)",
	        7, v, why, sizeof(why)) != GU_OK ||
	    db_rows(db, ACKS_OF_SCHOOL, 1, v, ack_row, &a, why, sizeof(why)) !=
	        GU_OK)
		goto fail;
	/* A folder's file is written before the commit, a URL's after. */
	if (ack_format_key(&b, parts[0], a.e, a.n, signs ? &sk : NULL, why,
	        sizeof(why)) != GU_OK ||
	    (!dconf_url(c->acks) &&
	        put_file(c->acks, parts[0], &b, path, tmp, why, sizeof(why)) !=
	            GU_OK))
		goto fail;
	open = 0;
	if (db_exec(db, "COMMIT", 0, NULL, why, sizeof(why)) != GU_OK) {
		if (tmp[0] != '\0')
			(void) unlink(tmp);
		goto fail;
	}
	if (dconf_url(c->acks)) {
		if (put_url(c, parts[0], &b, why, sizeof(why)) != GU_OK)
			goto fail;
	} else if (rename(tmp, path) != 0) {
		snprintf(why, sizeof(why),
		    "%s: %s (the ack is stored; the "
		    "next ack of the school writes the file)",
		    path, strerror(errno));
		(void) unlink(tmp);
		goto fail;
	}
	printf("acknowledged %s: %s by %s; %s/%s/acks.txt has %zu acks\n", id,
	    outcome, by, c->acks, parts[0], a.n);
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "guanai-district ack: %s\n", why);
out:
	if (open)
		(void) db_exec(db, "ROLLBACK", 0, NULL, why, sizeof(why));
	if (db != NULL)
		db_close(db);
	buf_fini(&b);
	sign_key_close(&sk);
	free(a.e);
	free(r);
	free(c);
	return ret;
}
