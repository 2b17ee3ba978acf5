/*
 * test_store.c: the LMDB store against a real environment in a temp dir:
 * appends and their indexes, references, voids, the queries the screens
 * make, the roster, and the map-full path with its urgent reserve.  Every
 * test ends with store_check(): the log is contiguous and every index
 * agrees with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sys/wait.h>

#include "clock.h"
#include "fixture.h"

struct fx {
	char *dir;
	struct store *s;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->s = fx_store(&f->dir, 0);
	assert_non_null(f->s);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char why[256];

	if (f->s) {
		int rc = store_check(f->s, why, sizeof(why));
		if (rc != GU_OK)
			fail_msg("store_check: %s", why);
	}
	store_close(f->s);
	fx_rmdir(f->dir);
	free(f);
	return 0;
}

static uint64_t
append_ok(struct store *s, struct record *r)
{
	char why[256];
	int rc = store_append(s, r, why, sizeof(why));

	if (rc != GU_OK)
		fail_msg("append: %s: %s", status_str(rc), why);
	return r->seq;
}

static void
void_of(struct record *r, uint64_t target, const char *author)
{
	rec_init(r, REC_VOID);
	r->time_ms = FX_TIME + 5000;
	fx_cpy(r->author, sizeof(r->author), author);
	rec_set_int(r, F_TARGET, (int64_t) target);
	rec_set_str(r, F_REASON, "wrong_child");
}

static void
create_open_info(void **state)
{
	struct fx *f = *state;
	struct store_info in;
	struct store *s2;
	char *d2;

	assert_int_equal(store_info(f->s, &in), GU_OK);
	assert_string_equal(in.school_id, "S001");
	assert_string_equal(in.school_name, "云溪区示范小学");
	assert_string_equal(in.device, "kiosk-01");
	assert_int_not_equal(in.epoch, 0);
	assert_int_equal(in.last_seq, 0);
	assert_int_equal(in.n_children, 6);
	assert_int_equal(in.n_staff, 4);
	assert_int_equal(in.n_classes, 2);
	/* A second store has another epoch; creating over one fails. */
	s2 = fx_store(&d2, 0);
	assert_non_null(s2);
	struct store_info in2;
	store_info(s2, &in2);
	assert_int_not_equal(in.epoch, in2.epoch);
	store_close(s2);
	fx_rmdir(d2);
	assert_int_equal(
	    store_create(f->dir, "S001", "x", "kiosk-01", 0), GU_EEXIST);
	assert_int_equal(
	    store_open(&s2, "/nonexistent/guanai", 0), GU_ENOTFOUND);
	store_close(0);
}

static void
append_assigns_identity(void **state)
{
	struct fx *f = *state;
	struct record r, g;
	struct store_info in;

	for (int i = 1; i <= 3; i++) {
		fx_checkin(&r, "C001", FX_TIME + i);
		assert_int_equal(append_ok(f->s, &r), i);
	}
	assert_int_equal(store_get(f->s, 2, &g), GU_OK);
	assert_int_equal(g.seq, 2);
	assert_string_equal(g.device, "kiosk-01");
	store_info(f->s, &in);
	assert_int_equal(g.epoch, in.epoch);
	assert_int_equal(in.last_seq, 3);
	assert_int_equal(in.unacked, 3);
	assert_int_equal(in.oldest_unacked_ms, FX_TIME + 1);
	assert_int_equal(store_get(f->s, 4, &g), GU_ENOTFOUND);
}

static void
clock_synced_flag(void **state)
{
	struct fx *f = *state;
	struct record r, g;
	int c = clock_synced();

	assert_true(c == 0 || c == 1);
	fx_checkin(&r, "C001", FX_TIME);
	append_ok(f->s, &r);
	store_get(f->s, 1, &g);
	assert_false(g.flags & REC_FLAG_CLOCK_SYNCED);
	store_set_clock_synced(f->s, 1);
	fx_checkin(&r, "C001", FX_TIME);
	append_ok(f->s, &r);
	store_get(f->s, 2, &g);
	assert_true(g.flags & REC_FLAG_CLOCK_SYNCED);
	store_set_clock_synced(f->s, 0);
	fx_checkin(&r, "C001", FX_TIME);
	append_ok(f->s, &r);
	store_get(f->s, 3, &g);
	assert_false(g.flags & REC_FLAG_CLOCK_SYNCED);
}

static void
append_checks_roster_and_refs(void **state)
{
	struct fx *f = *state;
	struct record r;
	char why[256];

	fx_checkin(&r, "C999", FX_TIME);
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_EINVAL);
	assert_string_equal(why, "checkin: child 'C999' is not in the roster");
	assert_int_equal(r.seq, 0);
	fx_checkin(&r, "C001", FX_TIME);
	fx_cpy(r.author, sizeof(r.author), "T404");
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_EINVAL);
	assert_string_equal(why, "checkin: author 'T404' is not in the roster");
	void_of(&r, 1, "T001");
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_EINVAL);
	assert_string_equal(why, "void: field target names no record");
	/* Nothing was written by the failures. */
	struct store_info in;
	store_info(f->s, &in);
	assert_int_equal(in.last_seq, 0);
}

static uint64_t
lecture(struct store *s)
{
	struct record r;

	rec_init(&r, REC_LECTURE);
	r.time_ms = FX_TIME;
	fx_cpy(r.author, sizeof(r.author), "T003");
	rec_set_str(&r, F_TOPIC, "drowning");
	rec_set_str(&r, F_LECTURER, "孙老师");
	rec_set_str(&r, F_CLASSES, "三年级1班;四年级2班");
	rec_set_str(&r, F_DATE, "2026-03-02");
	return append_ok(s, &r);
}

static int
att_fn(void *arg, const char *cls, const char *child, uint64_t seq)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%s/%s/%llu ", cls, child,
	    (unsigned long long) seq);
	return 0;
}

static int
lect_fn(void *arg, const struct record *r, int open)
{
	int *n = arg;

	(void) r;
	*n += open ? 1 : 100;
	return 0;
}

static void
lecture_attendance(void **state)
{
	struct fx *f = *state;
	struct record r;
	char why[256], got[256] = "";
	uint64_t lec = lecture(f->s), a[4];
	const char *kids[] = {"C004", "C001", "C002", "C005"};
	int n = 0;

	for (int i = 0; i < 4; i++) {
		rec_init(&r, REC_ATTENDANCE);
		r.time_ms = FX_TIME + i;
		r.flags = REC_FLAG_BY_STUDENT;
		fx_cpy(r.author, sizeof(r.author), kids[i]);
		rec_set_int(&r, F_LECTURE, (int64_t) lec);
		rec_set_str(&r, F_CHILD, kids[i]);
		rec_set_str(
		    &r, F_CLASS, i == 0 || i == 3 ? "四年级2班" : "三年级1班");
		rec_set_str(&r, F_METHOD, "self");
		a[i] = append_ok(f->s, &r);
	}
	/* Checking in twice is refused, and says so. */
	r.seq = 0;
	r.v[F_CHILD].present = 0;
	rec_init(&r, REC_ATTENDANCE);
	r.time_ms = FX_TIME;
	fx_cpy(r.author, sizeof(r.author), "T003");
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_str(&r, F_CHILD, "C001");
	rec_set_str(&r, F_CLASS, "三年级1班");
	rec_set_str(&r, F_METHOD, "teacher");
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_EEXIST);
	assert_int_equal(store_attendance_of(f->s, lec, "C001"), a[1]);
	/* A wrong tap is voided; the child can then check in again. */
	void_of(&r, a[2], "T003");
	append_ok(f->s, &r);
	assert_int_equal(store_attendance_of(f->s, lec, "C002"), 0);
	assert_int_equal(
	    store_lecture_attendance(f->s, lec, att_fn, got), GU_OK);
	assert_string_equal(got,
	    "三年级1班/C001/3 四年级2班/C004/2 "
	    "四年级2班/C005/5 ");
	store_lectures(f->s, 1, lect_fn, &n);
	assert_int_equal(n, 1);
	/* Closing the lecture; no more check-ins then. */
	rec_init(&r, REC_LECTURE_END);
	r.time_ms = FX_TIME + 100;
	fx_cpy(r.author, sizeof(r.author), "T003");
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_int(&r, F_PRESENT, 3);
	rec_set_int(&r, F_ABSENT, 3);
	append_ok(f->s, &r);
	n = 0;
	store_lectures(f->s, 0, lect_fn, &n);
	assert_int_equal(n, 100);
	rec_init(&r, REC_ATTENDANCE);
	r.time_ms = FX_TIME;
	fx_cpy(r.author, sizeof(r.author), "T003");
	rec_set_int(&r, F_LECTURE, (int64_t) lec);
	rec_set_str(&r, F_CHILD, "C003");
	rec_set_str(&r, F_CLASS, "三年级1班");
	rec_set_str(&r, F_METHOD, "teacher");
	assert_int_equal(store_append(f->s, &r, why, sizeof(why)), GU_EINVAL);
	assert_string_equal(why, "attendance: the lecture is closed");
}

struct file_arg {
	char out[512];
};

static int
file_fn(void *arg, const struct record *r, uint64_t voided)
{
	struct file_arg *a = arg;
	size_t n = strlen(a->out);

	snprintf(a->out + n, sizeof(a->out) - n, "%llu%s%s ",
	    (unsigned long long) r->seq, rec_kind_name(r->kind),
	    voided ? "(v)" : "");
	return 0;
}

static void
child_file_and_summary(void **state)
{
	struct fx *f = *state;
	struct record r;
	struct child_summary cs[8];
	struct file_arg fa = {""};
	size_t n;
	uint64_t c1, concern;

	fx_checkin(&r, "C001", FX_TIME + 1000);
	c1 = append_ok(f->s, &r);
	fx_checkin(&r, "C002", FX_TIME + 2000);
	append_ok(f->s, &r);
	rec_init(&r, REC_CONCERN);
	r.time_ms = FX_TIME + 3000;
	r.flags = REC_FLAG_URGENT;
	fx_cpy(r.author, sizeof(r.author), "T001");
	rec_set_str(&r, F_CHILD, "C001");
	rec_set_add(&r, F_CONCERNS, "harm");
	rec_set_int(&r, F_URGENT, 1);
	rec_set_int(&r, F_SOURCE, (int64_t) c1);
	concern = append_ok(f->s, &r);
	fx_checkin(&r, "C001", FX_TIME + 4000);
	uint64_t c4 = append_ok(f->s, &r);
	void_of(&r, c4, "T001");
	append_ok(f->s, &r);
	rec_init(&r, REC_FILE_VIEW);
	r.time_ms = FX_TIME + 6000;
	fx_cpy(r.author, sizeof(r.author), "T001");
	rec_set_str(&r, F_CHILD, "C001");
	append_ok(f->s, &r);

	assert_int_equal(
	    store_child_file(f->s, "C001", 0, file_fn, &fa), GU_OK);
	assert_string_equal(fa.out, "5void 4checkin(v) 3concern 1checkin ");
	fa.out[0] = '\0';
	assert_int_equal(
	    store_child_file(f->s, "C001", 4, file_fn, &fa), GU_OK);
	assert_string_equal(fa.out, "3concern 1checkin ");

	assert_int_equal(store_mentor_children(f->s, "T001", cs, 8, &n), GU_OK);
	assert_int_equal(n, 3);
	assert_string_equal(cs[0].child.id, "C001");
	assert_int_equal(cs[0].last_contact_ms, FX_TIME + 1000);
	assert_int_equal(cs[0].open_concerns, 1);
	assert_int_equal(cs[0].open_urgent, 1);
	assert_int_equal(cs[1].last_contact_ms, FX_TIME + 2000);
	assert_int_equal(cs[2].last_contact_ms, 0);
	assert_int_equal(store_mentor_children(f->s, 0, cs, 2, &n), GU_OK);
	assert_int_equal(n, 6);

	/* A closing follow-up closes the concern; voiding it reopens. */
	rec_init(&r, REC_FOLLOWUP);
	r.time_ms = FX_TIME + 7000;
	fx_cpy(r.author, sizeof(r.author), "T009");
	rec_set_int(&r, F_CONCERN, (int64_t) concern);
	rec_set_add(&r, F_DONE, "reported_police");
	rec_set_int(&r, F_CLOSES, 1);
	uint64_t fu = append_ok(f->s, &r);
	store_child_summary(f->s, "C001", &cs[0]);
	assert_int_equal(cs[0].open_concerns, 0);
	assert_int_equal(cs[0].open_urgent, 0);
	void_of(&r, fu, "T009");
	append_ok(f->s, &r);
	store_child_summary(f->s, "C001", &cs[0]);
	assert_int_equal(cs[0].open_concerns, 1);
	assert_int_equal(cs[0].open_urgent, 1);
}

static void
counts_by_day(void **state)
{
	struct fx *f = *state;
	struct record r;
	uint64_t c[REC_KIND_MAX];

	fx_checkin(&r, "C001", FX_TIME); /* 03-02 08:00 +8 */
	append_ok(f->s, &r);
	fx_checkin(&r, "C002", FX_TIME + 86400000LL); /* 03-03 */
	append_ok(f->s, &r);
	fx_checkin(&r, "C003", FX_TIME + 86400000LL);
	uint64_t v = append_ok(f->s, &r);
	void_of(&r, v, "T001");
	append_ok(f->s, &r);
	store_counts(f->s, 20260302, 20260302, c);
	assert_int_equal(c[REC_CHECKIN], 1);
	store_counts(f->s, 20260301, 20260331, c);
	assert_int_equal(c[REC_CHECKIN], 2);
	assert_int_equal(c[REC_VOID], 1);
	store_counts(f->s, 20260304, 20260331, c);
	assert_int_equal(c[REC_CHECKIN], 0);
}

static int
staff_fn(void *arg, const struct staff *st)
{
	(*(int *) arg)++;
	(void) st;
	return 0;
}

static void
reimport_err(void *arg, const char *file, unsigned line, const char *msg)
{
	(void) file;
	(void) line;
	snprintf((char *) arg, 256, "%s", msg);
}

/* The school's files again through the real importer, as a school would. */
static int
reimport(
    struct store *s, const char *children, struct roster_counts *rc, char *why)
{
	static const char staff[] = "工号,姓名,角色,初始PIN\n"
	                            "T001,赵老师,导师,5678\n"
	                            "T002,钱老师,班主任,5678\n";
	const struct roster_opts opts = {1, 8192, 0, 0};
	struct roster_src c = {"children.csv", children, strlen(children)};
	struct roster_src st = {"staff.csv", staff, sizeof(staff) - 1};

	why[0] = 0;
	return roster_import_buf(s, &c, &st, &opts, reimport_err, why, rc);
}

static void
roster_reimport(void **state)
{
	static const char head[] =
	    "学籍号,姓名,性别,出生日期,年级,班级,类别,"
	    "监护人,监护关系,监护人电话,成长导师工号,住址\n";
	struct fx *f = *state;
	struct staff got;
	struct child gc;
	struct roster_counts rc;
	char why[256], csv[512];
	int n = 0;

	assert_int_equal(
	    store_staff_set_pin(f->s, "T001", "$argon2id$x"), GU_OK);
	/* A mentor without the mentor role is refused, nothing changes. */
	snprintf(csv, sizeof(csv),
	    "%sC001,王小明,男,2015-05-01,五年级,"
	    "五年级1班,,王奶奶,祖母,13800000000,T002,\n",
	    head);
	assert_int_equal(reimport(f->s, csv, &rc, why), GU_EINVAL);
	assert_string_equal(why,
	    "unknown mentor: T002 (钱老师) does not have "
	    "the 导师 role in the staff file");
	snprintf(csv, sizeof(csv),
	    "%sC001,王小明,男,2015-05-01,五年级,"
	    "五年级1班,,王奶奶,祖母,13800000000,T001,\n",
	    head);
	assert_int_equal(reimport(f->s, csv, &rc, why), GU_OK);
	assert_int_equal(rc.children_updated, 1);
	assert_int_equal(rc.children_inactive, 5);
	assert_int_equal(rc.staff_inactive, 2);
	/* T001 had chosen a PIN: kept.  T002 had not: reset. */
	store_staff_get(f->s, "T001", &got);
	assert_string_equal(got.pin_hash, "$argon2id$x");
	assert_int_equal(got.must_change_pin, 0);
	store_staff_get(f->s, "T002", &got);
	assert_int_equal(got.must_change_pin, 1);
	assert_string_not_equal(got.pin_hash, "$argon2id$x");
	assert_int_equal(strncmp(got.pin_hash, "$argon2id$", 10), 0);
	/* Inactive, never deleted. */
	assert_int_equal(store_child_get(f->s, "C002", &gc), GU_OK);
	assert_int_equal(gc.active, 0);
	store_staff_list(f->s, staff_fn, &n);
	assert_int_equal(n, 2);
}

static void
auth_state(void **state)
{
	struct fx *f = *state;
	struct staff_auth a = {3, FX_TIME}, b;

	assert_int_equal(store_auth_get(f->s, "T001", &b), GU_OK);
	assert_int_equal(b.failures, 0);
	assert_int_equal(store_auth_put(f->s, "T001", &a), GU_OK);
	assert_int_equal(store_auth_get(f->s, "T001", &b), GU_OK);
	assert_int_equal(b.failures, 3);
	assert_int_equal(b.locked_until_ms, FX_TIME);
}

/* A tiny map: ordinary records stop with GU_EFULL; urgent ones still go. */
static void
map_full_and_reserve(void **state)
{
	struct store_limits lim = {256 * 1024, 1024 * 1024, 384 * 1024};
	struct store *s;
	struct record r;
	struct store_info in;
	char *dir, why[256];
	int rc = GU_OK, n = 0;

	(void) state;
	s = fx_store(&dir, &lim);
	assert_non_null(s);
	while (rc == GU_OK && n < 100000) {
		fx_checkin(&r, "C001", FX_TIME + n);
		rec_set_add(&r, F_NOTES, "progress");
		rc = store_append(s, &r, why, sizeof(why));
		n++;
	}
	assert_int_equal(rc, GU_EFULL);
	assert_string_equal(why, "storage full");
	assert_true(n > 100);
	store_info(s, &in);
	assert_int_equal(in.last_seq, (uint64_t) n - 1);
	assert_true(in.map_bytes > lim.map_bytes); /* it grew first */
	/* The urgent reserve. */
	for (int i = 0; i < 20; i++) {
		rec_init(&r, REC_CONCERN);
		r.time_ms = FX_TIME;
		r.flags = REC_FLAG_URGENT;
		fx_cpy(r.author, sizeof(r.author), "T001");
		rec_set_str(&r, F_CHILD, "C002");
		rec_set_add(&r, F_CONCERNS, "harm");
		rec_set_int(&r, F_URGENT, 1);
		assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_OK);
	}
	/* Still no room for ordinary ones, and the store is whole. */
	fx_checkin(&r, "C001", FX_TIME);
	assert_int_equal(store_append(s, &r, why, sizeof(why)), GU_EFULL);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
	/* Reopening with the same limits works and keeps everything. */
	assert_int_equal(store_open(&s, dir, &lim), GU_OK);
	store_info(s, &in);
	assert_int_equal(in.last_seq, (uint64_t) n - 1 + 20);
	store_close(s);
	fx_rmdir(dir);
}

/*
 * Two processes append at once (the kiosk and the sync daemon share the
 * store) starting from a tiny map, so both grow it under each other.
 */
static void
two_processes_grow_the_map(void **state)
{
	struct store_limits lim = {64 * 1024, 256 << 20, 1 << 20};
	struct store *s;
	struct store_info in;
	char *dir, why[256];
	pid_t pid[2];

	(void) state;
	s = fx_store(&dir, &lim);
	assert_non_null(s);
	store_close(s);
	for (int p = 0; p < 2; p++) {
		pid[p] = fork();
		assert_true(pid[p] >= 0);
		if (pid[p] == 0) {
			struct record r;
			struct store_open_opts o = {.lim = &lim};
			if (store_open_with(&s, dir, &o, why, sizeof(why)) !=
			    GU_OK) {
				fprintf(stderr, "child %d: %s\n", p, why);
				_exit(3);
			}
			for (int i = 0; i < 1500; i++) {
				fx_checkin(
				    &r, p ? "C004" : "C001", FX_TIME + i);
				if (store_append(s, &r, why, sizeof(why)) !=
				    GU_OK) {
					fprintf(stderr,
					    "child %d: append %d: %s\n", p, i,
					    why);
					_exit(4);
				}
			}
			store_close(s);
			_exit(0);
		}
	}
	for (int p = 0; p < 2; p++) {
		int st;
		assert_int_equal(waitpid(pid[p], &st, 0), pid[p]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	assert_int_equal(store_open(&s, dir, &lim), GU_OK);
	store_info(s, &in);
	assert_int_equal(in.last_seq, 3000);
	assert_true(in.map_bytes > lim.map_bytes);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(create_open_info, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        append_assigns_identity, setup, teardown),
	    cmocka_unit_test_setup_teardown(clock_synced_flag, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        append_checks_roster_and_refs, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        lecture_attendance, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        child_file_and_summary, setup, teardown),
	    cmocka_unit_test_setup_teardown(counts_by_day, setup, teardown),
	    cmocka_unit_test_setup_teardown(roster_reimport, setup, teardown),
	    cmocka_unit_test_setup_teardown(auth_state, setup, teardown),
	    cmocka_unit_test(map_full_and_reserve),
	    cmocka_unit_test(two_processes_grow_the_map),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
