/*
 * store.c: the store's environment: open and create, the write path with
 * map growth, the one cursor walk, meta values and store_info().  The
 * sub-databases and the files that own them are listed in store_int.h.
 *
 * Every append runs in one write transaction that writes the record, its
 * change-log entry and every index it touches (the transactional outbox),
 * so a power cut leaves either all of it or none.  Indexes are kept so that
 * no screen query walks the whole log: the cost of a query is the number of
 * records it returns.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "status.h"
#include "store_entity.h"
#include "store_int.h"

#define MIB (1024ull * 1024ull)
#define DEFAULT_MAP (16 * MIB)
#define DEFAULT_MAX (4096 * MIB)
#define DEFAULT_RESERVE (1 * MIB)
/* Room one ordinary append may need, checked before it starts. */
#define APPEND_MARGIN (256 * 1024ull)

static const char *const db_names[DB_MAX] = {
    [DB_META] = "meta",
    [DB_LOG] = "log",
    [DB_BY_CHILD] = "by_child",
    [DB_VOIDED] = "voided",
    [DB_COUNTS] = "counts",
    [DB_CHILD_STAT] = "child_stat",
    [DB_LECTURE] = "lecture",
    [DB_ATT] = "att",
    [DB_ATT_CHILD] = "att_child",
    [DB_CONCERN] = "concern",
    [DB_CHILDREN] = "children",
    [DB_STAFF] = "staff",
    [DB_CLASS] = "class",
    [DB_CLASS_CHILD] = "class_child",
    [DB_MENTOR_CHILD] = "mentor_child",
    [DB_AUTH] = "auth",
    [DB_SYNC] = "sync",
    [DB_BATCH] = "batch",
    [DB_URGENT_SENT] = "urgent_sent",
    [DB_URGENT] = "urgent",
    [DB_SPARE2] = "spare2",
};

static unsigned
db_flags(int i)
{
	switch (i) {
	case DB_BY_CHILD:
		return MDB_DUPSORT | MDB_DUPFIXED;
	case DB_CLASS_CHILD:
	case DB_MENTOR_CHILD:
		return MDB_DUPSORT;
	default:
		return 0;
	}
}

/* ---- small helpers ---- */

int
store_mdb_rc(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return GU_OK;
	case MDB_NOTFOUND:
		return GU_ENOTFOUND;
	case MDB_MAP_FULL:
		return GU_EFULL;
	case MDB_KEYEXIST:
		return GU_EEXIST;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
		return GU_ECORRUPT;
	case MDB_VERSION_MISMATCH:
		return GU_EVERSION;
	case MDB_READERS_FULL:
	case EAGAIN:
	case EBUSY:
		return GU_EBUSY;
	case ENOMEM:
		return GU_ENOMEM;
	case ENOSPC:
		return GU_EFULL;
	default:
		return GU_EIO;
	}
}

static MDB_val
sval(const char *s)
{
	return store_mval(s, strlen(s));
}

int
store_why(char *why, size_t why_len, const char *fmt, const char *a)
{
	if (why && why_len)
		snprintf(why, why_len, fmt, a);
	return GU_EINVAL;
}

void
store_copy_str(char *dst, size_t cap, const void *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
store_walk(MDB_txn *txn, MDB_dbi dbi, enum store_walk_mode mode,
    const MDB_val *key, const MDB_val *val, store_walk_fn fn, void *arg)
{
	MDB_cursor *c = 0;
	MDB_val k = {0, 0}, v = {0, 0};
	MDB_cursor_op next;
	int rc, mrc;

	rc = store_mdb_rc(mdb_cursor_open(txn, dbi, &c));
	if (rc != GU_OK)
		return rc;
	if (key)
		k = *key;
	switch (mode) {
	case WALK_FWD:
		mrc =
		    mdb_cursor_get(c, &k, &v, key ? MDB_SET_RANGE : MDB_FIRST);
		next = MDB_NEXT;
		break;
	case WALK_BACK:
		mrc = mdb_cursor_get(c, &k, &v, MDB_LAST);
		next = MDB_PREV;
		break;
	case WALK_DUPS:
		mrc = mdb_cursor_get(c, &k, &v, MDB_SET);
		next = MDB_NEXT_DUP;
		break;
	case WALK_DUPS_BACK:
	default:
		next = MDB_PREV_DUP;
		mrc = MDB_NOTFOUND;
		if (val) {
			/* The first value >= val, then one step back. */
			v = *val;
			mrc = mdb_cursor_get(c, &k, &v, MDB_GET_BOTH_RANGE);
			if (mrc == 0)
				mrc = mdb_cursor_get(c, &k, &v, MDB_PREV_DUP);
			else if (mrc == MDB_NOTFOUND)
				mrc = -1; /* every value is below val */
		}
		if (!val || mrc == -1) {
			k = *key;
			mrc = mdb_cursor_get(c, &k, &v, MDB_SET);
			if (mrc == 0)
				mrc = mdb_cursor_get(c, &k, &v, MDB_LAST_DUP);
		}
		break;
	}
	while (mrc == 0) {
		rc = fn(arg, c, &k, &v);
		if (rc != 0)
			break;
		mrc = mdb_cursor_get(c, &k, &v, next);
	}
	if (mrc != 0 && mrc != MDB_NOTFOUND)
		rc = store_mdb_rc(mrc);
	mdb_cursor_close(c);
	return rc == STORE_WALK_STOP ? GU_OK : rc;
}

int
store_meta_u64(struct store *s, MDB_txn *txn, const char *key, uint64_t *out)
{
	MDB_val k = sval(key), v;
	int rc = mdb_get(txn, s->db[DB_META], &k, &v);

	*out = 0;
	if (rc == MDB_NOTFOUND)
		return GU_OK;
	if (rc != 0)
		return store_mdb_rc(rc);
	if (v.mv_size != 8)
		return GU_ECORRUPT;
	*out = store_get_u64(v.mv_data);
	return GU_OK;
}

int
store_meta_put_u64(struct store *s, MDB_txn *txn, const char *key, uint64_t v)
{
	uint8_t b[8];
	MDB_val k = sval(key), d = store_mval(b, 8);

	store_put_u64(b, v);
	return store_mdb_rc(mdb_put(txn, s->db[DB_META], &k, &d, 0));
}

static int
meta_str(struct store *s, MDB_txn *txn, const char *key, char *out, size_t cap)
{
	MDB_val k = sval(key), v;
	int rc = mdb_get(txn, s->db[DB_META], &k, &v);

	if (rc != 0)
		return rc == MDB_NOTFOUND ? GU_ECORRUPT : store_mdb_rc(rc);
	if (v.mv_size >= cap)
		return GU_ECORRUPT;
	store_copy_str(out, cap, v.mv_data, v.mv_size);
	return GU_OK;
}

static int
meta_put_str(struct store *s, MDB_txn *txn, const char *key, const char *v)
{
	MDB_val k = sval(key), d = sval(v);

	return store_mdb_rc(mdb_put(txn, s->db[DB_META], &k, &d, 0));
}

uint32_t
store_date_day(const char *s)
{
	return cal_date_day(s);
}

uint32_t
store_day_of(int64_t time_ms, int tz_min)
{
	return cal_day_of(time_ms, tz_min);
}

/* ---- the environment ---- */

static uint64_t
map_size_now(struct store *s)
{
	MDB_envinfo ei;

	mdb_env_info(s->env, &ei);
	return ei.me_mapsize;
}

static uint64_t
used_bytes_now(struct store *s)
{
	MDB_envinfo ei;
	MDB_stat st;

	mdb_env_info(s->env, &ei);
	mdb_env_stat(s->env, &st);
	return (uint64_t) (ei.me_last_pgno + 1) * st.ms_psize;
}

static int
txn_begin(struct store *s, unsigned flags, MDB_txn **txn)
{
	int rc;

	/*
	 * MDB_MAP_RESIZED: another process wrote past the end of our map.
	 * Adopting the size in the meta page is enough unless it grows
	 * again before we begin, and every store grows by doubling up to
	 * its ceiling, so a run of resizes is at most about log2(ceiling /
	 * first size) long: 64 tries cannot be outrun by a live writer.
	 * (Three were, once, under CI's load: a child of the kiosk's
	 * two-process test could not open the store.)
	 */
	for (int tries = 0; tries < 64; tries++) {
		rc = mdb_txn_begin(s->env, 0, flags, txn);
		if (rc != MDB_MAP_RESIZED)
			return store_mdb_rc(rc);
		mdb_env_set_mapsize(s->env, 0);
		if (tries > 2)
			sched_yield(); /* let the grower finish its commit */
	}
	return GU_EIO;
}

/* ---- the reserve on disk ---- */

/*
 * The map's reserve (store_limits.reserve_bytes) only counts against the
 * map ceiling; when the file system itself is full it is worth nothing.
 * So the same number of bytes is also held on disk, allocated, as the file
 * DIR/urgent-reserve.  An urgent write that meets a full disk deletes it
 * and tries again in the room it leaves; ordinary writes wait until it
 * could be made again (GU_EFULL until then).
 */
#define RESERVE_FILE "urgent-reserve"
/* Below this much free space a write error is the disk being full. */
#define DISK_LOW_BYTES (512 * 1024ull)

static void
reserve_path(const struct store *s, char *out, size_t cap)
{
	snprintf(out, cap, "%s/" RESERVE_FILE, s->dir);
}

/* Makes (or finds) the reserve file.  GU_OK or GU_EFULL. */
static int
reserve_make(struct store *s)
{
	char path[PATH_MAX + 32];
	struct stat st;
	int fd, rc = GU_OK;

	reserve_path(s, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
	if (fd < 0)
		return GU_EFULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = GU_EFULL;
	else if ((uint64_t) st.st_blocks * 512 < s->lim.reserve_bytes &&
	    posix_fallocate(fd, 0, (off_t) s->lim.reserve_bytes) != 0)
		rc = GU_EFULL;
	close(fd);
	if (rc != GU_OK)
		unlink(path); /* a part of a reserve only takes room */
	s->reserve_gone = rc != GU_OK;
	return rc;
}

/* Gives the reserve back to the file system; 1 if there was one. */
static int
reserve_release(struct store *s)
{
	char path[PATH_MAX + 32];

	reserve_path(s, path, sizeof(path));
	s->reserve_gone = 1;
	return unlink(path) == 0;
}

static int
disk_low(const struct store *s)
{
	struct statvfs v;

	if (statvfs(s->dir, &v) != 0)
		return 0;
	return (uint64_t) v.f_bavail * v.f_frsize < DISK_LOW_BYTES;
}

int
store_write(struct store *s, int urgent, store_txn_fn fn, void *arg)
{
	uint64_t limit = urgent ? s->lim.map_max_bytes
	                        : s->lim.map_max_bytes - s->lim.reserve_bytes;
	int released = 0;
	MDB_txn *txn;
	int rc, mrc;

	if (s->read_only)
		return GU_EPERM;
	/* Ordinary writes need the reserve in place first. */
	if (!urgent && s->reserve_gone && reserve_make(s) != GU_OK)
		return GU_EFULL;
	for (;;) {
		int disk_full = 0;
		if (!urgent && used_bytes_now(s) + APPEND_MARGIN > limit)
			return GU_EFULL;
		rc = txn_begin(s, 0, &txn);
		if (rc != GU_OK)
			return rc;
		rc = fn(s, txn, arg);
		if (rc == GU_OK) {
			mrc = mdb_txn_commit(txn);
			if (mrc == 0)
				return GU_OK;
			rc = store_mdb_rc(mrc);
			/* ENOSPC, or a short write that LMDB calls EIO. */
			disk_full =
			    mrc == ENOSPC || (rc == GU_EIO && disk_low(s));
		} else {
			mdb_txn_abort(txn);
			disk_full =
			    (rc == GU_EFULL || rc == GU_EIO) && disk_low(s);
		}
		if (disk_full) {
			/* Not the map: growing it would not help. */
			if (urgent && !released && reserve_release(s)) {
				released = 1;
				continue;
			}
			return GU_EFULL;
		}
		if (rc != GU_EFULL)
			return rc;
		/* Map full: grow (double, up to the limit) and run again. */
		uint64_t cur = map_size_now(s), next;
		if (cur >= limit)
			return GU_EFULL;
		next = cur * 2 < limit ? cur * 2 : limit;
		if (mdb_env_set_mapsize(s->env, next) != 0)
			return GU_EFULL;
	}
}

int
store_read(struct store *s, store_txn_fn fn, void *arg)
{
	MDB_txn *txn;
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	if (rc != GU_OK)
		return rc;
	rc = fn(s, txn, arg);
	mdb_txn_abort(txn);
	return rc;
}

static void
limits_fill(struct store_limits *out, const struct store_limits *in)
{
	memset(out, 0, sizeof(*out));
	if (in)
		*out = *in;
	if (out->map_bytes == 0)
		out->map_bytes = DEFAULT_MAP;
	if (out->map_max_bytes == 0)
		out->map_max_bytes = DEFAULT_MAX;
	if (out->reserve_bytes == 0)
		out->reserve_bytes = DEFAULT_RESERVE;

	if (out->map_max_bytes < out->map_bytes)
		out->map_max_bytes = out->map_bytes;
	if (out->reserve_bytes > out->map_max_bytes / 2)
		out->reserve_bytes = out->map_max_bytes / 2;
}

/* Opens (and with create, makes) the environment and its databases. */
static int
env_open(struct store **out, const char *dir, const struct store_limits *lim,
    int create, int read_only, int *mdb_err)
{
	struct store *s = 0;
	MDB_txn *txn = 0;
	int rc, dead;

	*out = 0;
	if (strlen(dir) >= PATH_MAX)
		return GU_EINVAL;
	if (sodium_init() < 0)
		return GU_EIO;
	s = calloc(1, sizeof(*s));
	if (s == 0)
		return GU_ENOMEM;
	memcpy(s->dir, dir, strlen(dir) + 1);
	s->time_floor_ms = STORE_TIME_FLOOR_MS;
	limits_fill(&s->lim, lim);
	rc = store_mdb_rc(mdb_env_create(&s->env));
	if (rc != GU_OK)
		goto out;
	mdb_env_set_maxdbs(s->env, DB_MAX + 4);
	mdb_env_set_maxreaders(s->env, 126);
	mdb_env_set_mapsize(s->env, s->lim.map_bytes);
	/*
	 * Durable: no MDB_NOSYNC, MDB_NOMETASYNC or MDB_WRITEMAP|MAPASYNC.
	 * MDB_NOTLS: read transactions are not tied to the thread, so a
	 * visitor may be called while a write happens in the same process.
	 */
	rc = mdb_env_open(
	    s->env, dir, MDB_NOTLS | (read_only ? MDB_RDONLY : 0), 0660);
	if (mdb_err)
		*mdb_err = rc;
	if (rc == ENOENT) {
		rc = GU_ENOTFOUND;
		goto out;
	}
	if (rc == EACCES || rc == EPERM) {
		rc = GU_EPERM;
		goto out;
	}
	rc = store_mdb_rc(rc);
	if (rc != GU_OK)
		goto out;
	s->read_only = read_only;
	/* Slots of readers that died (a killed kiosk) are freed now. */
	mdb_reader_check(s->env, &dead);
	/* A map smaller than the file means another process grew it. */
	if (!read_only && map_size_now(s) < s->lim.map_bytes)
		mdb_env_set_mapsize(s->env, s->lim.map_bytes);

	rc = txn_begin(s, create && !read_only ? 0 : MDB_RDONLY, &txn);
	if (rc != GU_OK)
		goto out;
	for (int i = 0; i < DB_MAX; i++) {
		int mrc = mdb_dbi_open(txn, db_names[i],
		    db_flags(i) | (create && !read_only ? MDB_CREATE : 0),
		    &s->db[i]);
		if (mrc == MDB_NOTFOUND) {
			rc = GU_ENOTFOUND;
			goto out;
		}
		rc = store_mdb_rc(mrc);
		if (rc != GU_OK)
			goto out;
	}
	/* Committed even when read-only: an abort would close the handles. */
	rc = store_mdb_rc(mdb_txn_commit(txn));
	txn = 0;
	if (rc != GU_OK)
		goto out;
	*out = s;
	s = 0;
out:
	if (txn)
		mdb_txn_abort(txn);
	if (s) {
		if (s->env)
			mdb_env_close(s->env);
		free(s);
	}
	return rc;
}

struct create_arg {
	const char *school_id, *school_name, *device;
	uint64_t epoch;
};

static int
create_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct create_arg *a = arg;
	uint64_t fmt;
	int rc;

	rc = store_meta_u64(s, txn, "format", &fmt);
	if (rc != GU_OK)
		return rc;
	if (fmt != 0)
		return GU_EEXIST;
	if ((rc = meta_put_str(s, txn, "school_id", a->school_id)) != GU_OK ||
	    (rc = meta_put_str(s, txn, "school_name", a->school_name)) !=
	        GU_OK ||
	    (rc = meta_put_str(s, txn, "device", a->device)) != GU_OK ||
	    (rc = store_meta_put_u64(s, txn, "epoch", a->epoch)) != GU_OK ||
	    (rc = store_meta_put_u64(s, txn, "last_seq", 0)) != GU_OK ||
	    (rc = store_meta_put_u64(s, txn, "acked_seq", 0)) != GU_OK)
		return rc;
	/* Written last: its presence is what makes this a store. */
	return store_meta_put_u64(s, txn, "format", STORE_FORMAT);
}

int
store_create(const char *dir, const char *school_id, const char *school_name,
    const char *device_id, const struct store_limits *lim)
{
	struct store *s = 0;
	struct create_arg a;
	char path[PATH_MAX + 16];
	struct stat st;
	int rc;

	if (!rec_id_ok(school_id) || !rec_id_ok(device_id) ||
	    school_name == 0 || school_name[0] == '\0' ||
	    strlen(school_name) >= STORE_NAME_LEN)
		return GU_EINVAL;
	if (mkdir(dir, 0770) != 0 && errno != EEXIST)
		return GU_EIO;
	/*
	 * Any data.mdb, even one that does not open or whose format cannot
	 * be read, is a store: never initialised over (a new epoch over an
	 * old log would lose it).
	 */
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (lstat(path, &st) == 0 || errno != ENOENT)
		return GU_EEXIST;
	rc = env_open(&s, dir, lim, 1, 0, 0);
	if (rc != GU_OK)
		return rc;
	a.school_id = school_id;
	a.school_name = school_name;
	a.device = device_id;
	do
		randombytes_buf(&a.epoch, sizeof(a.epoch));
	while (a.epoch == 0);
	rc = store_write(s, 1, create_txn, &a);
	store_close(s);
	return rc;
}

static int
format_txn(struct store *s, MDB_txn *txn, void *arg)
{
	return store_meta_u64(s, txn, "format", arg);
}

struct migrate_arg {
	uint64_t to;
	char *why;
	size_t why_len;
};

static int
migrate_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct migrate_arg *a = arg;
	uint64_t fmt;
	int rc;

	/* Again inside the write lock: another process may have done it. */
	rc = store_meta_u64(s, txn, "format", &fmt);
	if (rc != GU_OK || fmt >= a->to)
		return rc;
	return store_migrate(s, txn, fmt, a->to, a->why, a->why_len);
}

static int
open_txn(struct store *s, MDB_txn *txn, void *arg)
{
	int rc;

	(void) arg;
	if ((rc = store_meta_u64(s, txn, "epoch", &s->epoch)) != GU_OK ||
	    (rc = meta_str(s, txn, "device", s->device, sizeof(s->device))) !=
	        GU_OK ||
	    (rc = meta_str(s, txn, "school_id", s->school_id,
	         sizeof(s->school_id))) != GU_OK ||
	    (rc = meta_str(s, txn, "school_name", s->school_name,
	         sizeof(s->school_name))) != GU_OK)
		return rc;
	return s->epoch ? GU_OK : GU_ECORRUPT;
}

static int
last_seq_txn(struct store *s, MDB_txn *txn, void *arg)
{
	return store_meta_u64(s, txn, "last_seq", arg);
}

static int
open_fail(int rc, char *why, size_t why_len, const char *fmt, const char *a)
{
	if (why_len && why[0] == '\0')
		snprintf(why, why_len, fmt, a);
	return rc;
}

int
store_open_with(struct store **out, const char *dir,
    const struct store_open_opts *o, char *why, size_t why_len)
{
	static const struct store_open_opts none = {0};
	struct store *s = 0;
	struct stat st;
	char path[PATH_MAX + 16];
	uint64_t fmt, want;
	int rc, mrc = 0;

	*out = 0;
	if (o == 0)
		o = &none;
	if (why_len)
		why[0] = '\0';
	want = o->format ? o->format : STORE_FORMAT;
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (stat(path, &st) != 0) {
		if (errno == EACCES)
			return open_fail(GU_EPERM, why, why_len,
			    "%s: permission denied", path);
		return open_fail(
		    GU_ENOTFOUND, why, why_len, "%s: no store here", dir);
	}
	if (access(path, o->read_only ? R_OK : R_OK | W_OK) != 0)
		return open_fail(
		    GU_EPERM, why, why_len, "%s: permission denied", path);
	rc = env_open(&s, dir, o->lim, !o->read_only, o->read_only, &mrc);
	if (rc == GU_EPERM)
		return open_fail(
		    rc, why, why_len, "%s: permission denied", path);
	if (rc != GU_OK) {
		if (why_len)
			snprintf(why, why_len, "%s: cannot open the store: %s",
			    path, mrc ? mdb_strerror(mrc) : status_str(rc));
		return rc;
	}
	if (o->read_only && used_bytes_now(s) > (uint64_t) st.st_size) {
		/* Pages past the end of the file: reading them is SIGBUS. */
		rc = open_fail(GU_ECORRUPT, why, why_len,
		    "%s: the file is shorter than the store it holds", path);
		goto out;
	}
	rc = store_read(s, format_txn, &fmt);
	if (rc == GU_OK && fmt == 0)
		rc = GU_ECORRUPT;
	if (rc != GU_OK) {
		open_fail(rc, why, why_len,
		    "%s: data.mdb holds no readable store format (damaged, or "
		    "an init that did not finish); move it away to init again",
		    dir);
		goto out;
	}
	if (fmt > STORE_FORMAT) {
		rc = GU_EVERSION;
		if (why_len)
			snprintf(why, why_len,
			    "%s: store format %llu is newer than this "
			    "program's format %d; install a newer Guanai",
			    dir, (unsigned long long) fmt, STORE_FORMAT);
		goto out;
	}
	if (fmt < want) {
		struct migrate_arg ma = {want, why, why_len};
		if (o->read_only) {
			rc = GU_EVERSION;
			if (why_len)
				snprintf(why, why_len,
				    "%s: store format %llu is older than "
				    "this program's format %d; open it once "
				    "read-write to migrate it",
				    dir, (unsigned long long) fmt,
				    STORE_FORMAT);
			goto out;
		}
		rc = store_write(s, 1, migrate_txn, &ma);
		if (rc != GU_OK) {
			if (why_len && why[0] == '\0')
				snprintf(why, why_len,
				    "%s: migrating store format %llu to %llu "
				    "failed: %s",
				    dir, (unsigned long long) fmt,
				    (unsigned long long) want, status_str(rc));
			goto out;
		}
	}
	rc = store_read(s, open_txn, 0);
	if (rc != GU_OK) {
		open_fail(rc, why, why_len,
		    "%s: the store's identity is damaged", dir);
		goto out;
	}
	if (!o->read_only)
		(void) reserve_make(s); /* none now: retried before writes */
	{
		/* The newest record is read once: a damaged tail is found now. */
		struct record *r = malloc(sizeof(*r));
		uint64_t last = 0;
		if (r && store_read(s, last_seq_txn, &last) == GU_OK &&
		    last > 0)
			(void) store_get(s, last, r);
		free(r);
	}
	*out = s;
	s = 0;
out:
	store_close(s);
	return rc;
}

int
store_open(struct store **out, const char *dir, const struct store_limits *lim)
{
	struct store_open_opts o = {.lim = lim};

	return store_open_with(out, dir, &o, 0, 0);
}

int
store_open_ro(struct store **out, const char *dir, char *why, size_t why_len)
{
	struct store_open_opts o = {.read_only = 1};

	return store_open_with(out, dir, &o, why, why_len);
}

void
store_close(struct store *s)
{
	if (s == 0)
		return;
	mdb_env_close(s->env);
	free(s);
}

/* ---- info ---- */

static int
info_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct store_info *in = arg;
	struct record *r;
	int rc;

	if ((rc = store_meta_u64(s, txn, "last_seq", &in->last_seq)) != GU_OK ||
	    (rc = store_meta_u64(s, txn, "acked_seq", &in->acked_seq)) !=
	        GU_OK ||
	    (rc = store_meta_u64(s, txn, "n_children", &in->n_children)) !=
	        GU_OK ||
	    (rc = store_meta_u64(s, txn, "n_staff", &in->n_staff)) != GU_OK ||
	    (rc = store_meta_u64(s, txn, "n_classes", &in->n_classes)) != GU_OK)
		return rc;
	in->unacked =
	    in->last_seq > in->acked_seq ? in->last_seq - in->acked_seq : 0;
	if (in->unacked == 0)
		return GU_OK;
	r = malloc(sizeof(*r));
	if (r == 0)
		return GU_ENOMEM;
	if (store_txn_get(s, txn, in->acked_seq + 1, r) == GU_OK)
		in->oldest_unacked_ms = r->time_ms;
	free(r);
	return GU_OK;
}

int
store_info(struct store *s, struct store_info *out)
{
	char path[PATH_MAX + 16];
	struct stat st;

	memset(out, 0, sizeof(*out));
	memcpy(out->school_id, s->school_id, sizeof(out->school_id));
	memcpy(out->school_name, s->school_name, sizeof(out->school_name));
	memcpy(out->device, s->device, sizeof(out->device));
	out->epoch = s->epoch;
	out->map_bytes = map_size_now(s);
	out->used_bytes = used_bytes_now(s);
	out->map_max_bytes = s->lim.map_max_bytes;
	out->damaged = s->damaged;
	snprintf(path, sizeof(path), "%s/data.mdb", s->dir);
	if (stat(path, &st) == 0)
		out->file_bytes = (uint64_t) st.st_size;
	return store_read(s, info_txn, out);
}

/* ---- the school calendar (meta "calendar") ---- */

static int
cal_put_txn(struct store *s, MDB_txn *txn, void *arg)
{
	uint8_t b[ENT_MAX];
	MDB_val k = sval("calendar"), v;
	size_t len;
	int rc;

	rc = store_entity_calendar_encode(arg, b, sizeof(b), &len);
	if (rc != GU_OK)
		return rc;
	v = store_mval(b, len);
	return store_mdb_rc(mdb_put(txn, s->db[DB_META], &k, &v, 0));
}

int
store_calendar_put(struct store *s, const struct calendar *c)
{
	return store_write(s, 0, cal_put_txn, (void *) c);
}

static int
cal_get_txn(struct store *s, MDB_txn *txn, void *arg)
{
	MDB_val k = sval("calendar"), v;
	int rc = mdb_get(txn, s->db[DB_META], &k, &v);

	if (rc != 0)
		return store_mdb_rc(rc);
	return store_entity_calendar_decode(v.mv_data, v.mv_size, arg);
}

int
store_calendar_get(struct store *s, struct calendar *out)
{
	int rc = store_read(s, cal_get_txn, out);

	if (rc != GU_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}
