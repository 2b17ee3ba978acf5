/*
 * test_migrate.c: stores written by older formats, opened by this one.
 *
 * tests/data/store-v1/ was written by format 1 (main before the entities
 * were versioned; its README says how).  Opening a copy migrates it; then
 * every record must read back as the committed dump says, and every child
 * (with his summary), staff member, sign-in state, the sync cursor, the
 * status and every batch as the committed entity listing says.  Also: the
 * field added to the child entity (format 2 -> 3), a store from a newer
 * format refused with both numbers named, a read-only open of an old
 * format refused, and the entity decoders rejecting damage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "fixture.h"
#include "json.h"
#include "store_dump.h"
#include "store_entity.h"

#define FIXTURE "tests/data/store-v1"

/* A copy of the fixture's data.mdb in a fresh temp dir. */
static char *
fixture_copy(void)
{
	char *dir = fx_tmpdir();
	char cmd[512];

	assert_non_null(dir);
	snprintf(cmd, sizeof(cmd), "cp %s/data.mdb '%s'/ && chmod 600 '%s'/*",
	    FIXTURE, dir, dir);
	assert_int_equal(system(cmd), 0);
	return dir;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	p = malloc((size_t) n + 1);
	assert_int_equal(fread(p, 1, (size_t) n, f), (size_t) n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t) n;
	return p;
}

struct dump_arg {
	struct store *s;
	struct buf b;
};

/* The same lines as guanai-sync dump. */
static int
dump_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct dump_arg *a = arg;
	struct json_extra x = {0, voided_by};
	struct child ch;

	if (rec_child(r) && store_child_get(a->s, rec_child(r), &ch) == GU_OK)
		x.child_name = ch.name;
	return json_record(&a->b, r, &x) != GU_OK;
}

static void
same_as_fixture(struct store *s)
{
	struct dump_arg a = {s, {0}};
	char *want, *got = 0, why[256];
	size_t wl, gl = 0;
	FILE *f;

	/* Every record, byte for byte as format 1 dumped it. */
	buf_init(&a.b, 4 << 20);
	assert_int_equal(store_log_walk(s, 1, dump_fn, &a), GU_OK);
	want = slurp(FIXTURE "/dump.ndjson", &wl);
	assert_int_equal(a.b.len, wl);
	assert_memory_equal(a.b.p, want, wl);
	free(want);
	buf_fini(&a.b);

	/* Children, summaries, staff, sign-in state, cursor, batches. */
	f = open_memstream(&got, &gl);
	assert_non_null(f);
	assert_int_equal(store_dump_entities(s, f), GU_OK);
	fclose(f);
	want = slurp(FIXTURE "/entities.txt", &wl);
	if (gl != wl || memcmp(got, want, wl) != 0)
		fail_msg(
		    "entities differ:\n--- want\n%s\n--- got\n%s", want, got);
	free(want);
	free(got);
	if (store_check(s, why, sizeof(why)) != GU_OK)
		fail_msg("store_check: %s", why);
}

static void
v1_migrates(void **state)
{
	char *dir = fixture_copy();
	struct store *s = 0;
	struct store_info in;
	char why[256];

	(void) state;
	/* Format 1 cannot be read read-only: it must be migrated. */
	assert_int_equal(store_open_ro(&s, dir, why, sizeof(why)), GU_EVERSION);
	assert_non_null(strstr(why, "format 1"));
	assert_non_null(strstr(why, "format 4"));
	assert_null(s);

	assert_int_equal(store_open_with(&s, dir, 0, why, sizeof(why)), GU_OK);
	assert_int_equal(store_info(s, &in), GU_OK);
	assert_int_equal(in.last_seq, 306);
	assert_int_equal(in.acked_seq, 300);
	assert_int_equal(in.n_children, 40);
	assert_int_equal(in.n_staff, 5);
	same_as_fixture(s);
	store_close(s);

	/* Migrated for good: read-only now opens, and says the same. */
	assert_int_equal(store_open_ro(&s, dir, why, sizeof(why)), GU_OK);
	same_as_fixture(s);
	store_close(s);
	fx_rmdir(dir);
}

/* Format 2 -> 3 added parents_work to the child. */
static void
child_field_added(void **state)
{
	struct store_open_opts o = {.format = 2};
	char *dir = fixture_copy();
	struct child_summary cs[64];
	struct staff st[8];
	struct store *s = 0;
	char why[256];
	size_t n, nst = 0;

	(void) state;
	assert_int_equal(store_open_with(&s, dir, &o, why, sizeof(why)), GU_OK);
	store_close(s);
	assert_int_equal(store_open_with(&s, dir, 0, why, sizeof(why)), GU_OK);
	same_as_fixture(s);

	/* The new field is stored and read back. */
	assert_int_equal(store_mentor_children(s, 0, cs, 64, &n), GU_OK);
	assert_int_equal(n, 40);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(cs[i].child.parents_work, "");
		fx_cpy(cs[i].child.parents_work,
		    sizeof(cs[i].child.parents_work), "广东省东莞市");
	}
	{
		struct child c[64];
		struct child got;
		for (size_t i = 0; i < n; i++)
			c[i] = cs[i].child;
		assert_int_equal(
		    store_staff_get(s, "T0001", &st[nst++]), GU_OK);
		for (const char *id = "T0002"; id; id = 0)
			assert_int_equal(
			    store_staff_get(s, id, &st[nst++]), GU_OK);
		assert_int_equal(
		    store_staff_get(s, "T0003", &st[nst++]), GU_OK);
		assert_int_equal(
		    store_staff_get(s, "T0004", &st[nst++]), GU_OK);
		assert_int_equal(
		    store_staff_get(s, "T0005", &st[nst++]), GU_OK);
		assert_int_equal(store_roster_replace(
		                     s, c, n, st, nst, 0, 0, why, sizeof(why)),
		    GU_OK);
		assert_int_equal(store_child_get(s, c[0].id, &got), GU_OK);
		assert_string_equal(got.parents_work, "广东省东莞市");
		assert_string_equal(got.name, c[0].name);
	}
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
	fx_rmdir(dir);
}

/* Format 3 -> 4 rebuilt every child summary with the tasks' figures. */
static void
stat_tasks_added(void **state)
{
	struct store_open_opts o = {.format = 3};
	char *dir = fixture_copy();
	struct child_summary cs;
	struct store *s = 0;
	char why[256];

	(void) state;
	assert_int_equal(store_open_with(&s, dir, &o, why, sizeof(why)), GU_OK);
	store_close(s);
	assert_int_equal(store_open_with(&s, dir, 0, why, sizeof(why)), GU_OK);
	same_as_fixture(s);
	/* seq 253: a visit of 2026-07-04 that set next_visit 2026-09-02. */
	assert_int_equal(store_child_summary(s, "G201400040", &cs), GU_OK);
	assert_int_equal(cs.next_visit_day, 20260902);
	assert_int_equal(cs.focus, 0);
	assert_int_equal(cs.plan_seq, 0);
	assert_int_equal(store_check(s, why, sizeof(why)), GU_OK);
	store_close(s);
	fx_rmdir(dir);
}

/* A store from a newer format is refused, naming both formats. */
static void
newer_refused(void **state)
{
	char *dir = fixture_copy();
	struct store *s = 0;
	char why[256], cmd[600], before[64], after[64];
	FILE *p;

	(void) state;
	assert_int_equal(store_open_with(&s, dir, 0, why, sizeof(why)), GU_OK);
	store_close(s);
	/* meta "format" = 99, written with LMDB's own loader. */
	snprintf(cmd, sizeof(cmd),
	    "printf 'VERSION=3\\nformat=print\\ntype=btree\\nHEADER=END\\n"
	    " format\\n \\\\00\\\\00\\\\00\\\\00\\\\00\\\\00\\\\00c\\n"
	    "DATA=END\\n' | mdb_load -s meta '%s'",
	    dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "md5sum < '%s/data.mdb'", dir);
	p = popen(cmd, "r");
	assert_non_null(fgets(before, sizeof(before), p));
	pclose(p);
	assert_int_equal(
	    store_open_with(&s, dir, 0, why, sizeof(why)), GU_EVERSION);
	assert_null(s);
	assert_non_null(strstr(why, "format 99"));
	assert_non_null(strstr(why, "format 4"));
	assert_int_equal(store_open_ro(&s, dir, why, sizeof(why)), GU_EVERSION);
	/* Refused means untouched. */
	p = popen(cmd, "r");
	assert_non_null(fgets(after, sizeof(after), p));
	pclose(p);
	assert_string_equal(before, after);
	fx_rmdir(dir);
}

/* Entities: round trip; every truncation and every bit flip rejected. */
static void
entity_decoders_reject(void **state)
{
	struct child c, d;
	struct staff st, st2;
	struct sync_batch b, b2;
	uint8_t buf[ENT_MAX];
	size_t len;
	int ver;

	(void) state;
	memset(&c, 0, sizeof(c));
	fx_cpy(c.id, sizeof(c.id), "G201900001");
	fx_cpy(c.name, sizeof(c.name), "程昊天");
	fx_cpy(c.class_name, sizeof(c.class_name), "一年级1班");
	fx_cpy(c.parents_work, sizeof(c.parents_work), "浙江义乌");
	c.categories = CAT_LEFT_BEHIND;
	c.active = 1;
	assert_int_equal(
	    store_entity_child_encode(&c, buf, sizeof(buf), &len), GU_OK);
	assert_int_equal(
	    store_entity_child_decode(c.id, strlen(c.id), buf, len, &d, &ver),
	    GU_OK);
	assert_int_equal(ver, ENT_CHILD_VERSION);
	assert_memory_equal(&c, &d, sizeof(c));
	for (size_t n = 0; n < len; n++)
		assert_int_not_equal(store_entity_child_decode(
		                         c.id, strlen(c.id), buf, n, &d, 0),
		    GU_OK);
	for (size_t bit = 0; bit < len * 8; bit++) {
		buf[bit / 8] ^= (uint8_t) (1u << (bit % 8));
		assert_int_not_equal(store_entity_child_decode(
		                         c.id, strlen(c.id), buf, len, &d, 0),
		    GU_OK);
		buf[bit / 8] ^= (uint8_t) (1u << (bit % 8));
	}
	/* A bad key is refused too. */
	assert_int_equal(
	    store_entity_child_decode("a b", 3, buf, len, &d, 0), GU_ECORRUPT);
	/* A string that does not fit its field is refused on encode. */
	memset(c.sex, 'M', sizeof(c.sex));
	assert_int_equal(
	    store_entity_child_encode(&c, buf, sizeof(buf), &len), GU_EINVAL);

	memset(&st, 0, sizeof(st));
	fx_cpy(st.id, sizeof(st.id), "T0001");
	fx_cpy(st.name, sizeof(st.name), "吕若曦");
	fx_cpy(st.pin_hash, sizeof(st.pin_hash), "$argon2id$v=19$x");
	st.roles = ROLE_HEAD;
	st.must_change_pin = 1;
	st.active = 1;
	assert_int_equal(
	    store_entity_staff_encode(&st, buf, sizeof(buf), &len), GU_OK);
	assert_int_equal(
	    store_entity_staff_decode("T0001", 5, buf, len, &st2), GU_OK);
	assert_memory_equal(&st, &st2, sizeof(st));
	buf[0] = 9; /* unknown version, CRC fixed up */
	{
		uint32_t crc = rec_crc32c(buf, len - 4);
		buf[len - 4] = (uint8_t) (crc >> 24);
		buf[len - 3] = (uint8_t) (crc >> 16);
		buf[len - 2] = (uint8_t) (crc >> 8);
		buf[len - 1] = (uint8_t) crc;
	}
	assert_int_equal(
	    store_entity_staff_decode("T0001", 5, buf, len, &st2), GU_EVERSION);

	memset(&b, 0, sizeof(b));
	b.id = 7;
	b.first_seq = 1;
	b.last_seq = 300;
	b.urgent = 1;
	b.acked_ms = -5;
	b.sha256[3] = 0xab;
	fx_cpy(b.name, sizeof(b.name), "S_kiosk-01_x_000000000001.ndjson.gz");
	assert_int_equal(
	    store_entity_batch_encode(&b, buf, sizeof(buf), &len), GU_OK);
	assert_int_equal(store_entity_batch_decode(buf, len, &b2), GU_OK);
	assert_memory_equal(&b, &b2, sizeof(b));
	assert_int_equal(
	    store_entity_batch_decode(buf, len - 1, &b2), GU_ECORRUPT);
	/* CRC-32C's check value. */
	assert_int_equal(rec_crc32c("123456789", 9), 0xE3069283u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(v1_migrates),
	    cmocka_unit_test(child_field_added),
	    cmocka_unit_test(stat_tasks_added),
	    cmocka_unit_test(newer_refused),
	    cmocka_unit_test(entity_decoders_reject),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
