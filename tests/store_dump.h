/*
 * store_dump.h: a text listing of everything in a store that is not a
 * record (header-only): identity, roster with each child's summary, staff,
 * sign-in state, the sync cursor, status and batches.  Written only with
 * the public API of core/store.h and core/store_sync.h as they were when
 * tests/data/store-v1/ was made, so the listing that store-v1 code wrote
 * (tests/data/store-v1/entities.txt) and the one today's code writes after
 * migrating the same store can be compared line by line.
 */
#ifndef GU_STORE_DUMP_H
#define GU_STORE_DUMP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "status.h"
#include "store.h"
#include "store_sync.h"

#define SD_MAX_CHILDREN 4096

static inline void
sd_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

struct sd_arg {
	FILE *f;
	struct store *s;
};

static inline int
sd_staff(void *arg, const struct staff *t)
{
	struct sd_arg *a = arg;
	struct staff_auth au;

	fprintf(a->f, "staff %s|%s|%u|%s|%d|%d\n", t->id, t->name, t->roles,
	    t->pin_hash, t->must_change_pin, t->active);
	if (store_auth_get(a->s, t->id, &au) != GU_OK)
		return 1;
	fprintf(a->f, "auth %s|%" PRIu32 "|%" PRId64 "\n", t->id, au.failures,
	    au.locked_until_ms);
	return 0;
}

static inline int
sd_class(void *arg, const char *name, const char *grade, uint32_t n)
{
	struct sd_arg *a = arg;

	fprintf(a->f, "class %s|%s|%" PRIu32 "\n", name, grade, n);
	return 0;
}

static inline int
sd_batch(void *arg, const struct sync_batch *b)
{
	struct sd_arg *a = arg;

	fprintf(a->f,
	    "batch %" PRIu64 "|%" PRIu64 "-%" PRIu64 "|%" PRIu32 "|%" PRIu32
	    "|%" PRIu32 "|%" PRIu32 "|%" PRIu64 "|%" PRIu64 "|",
	    b->id, b->first_seq, b->last_seq, b->n_records, b->n_skip,
	    b->urgent, b->attempts, b->raw_bytes, b->gz_bytes);
	sd_hex(a->f, b->body_sha256, SYNC_HASH_LEN);
	fputc('|', a->f);
	sd_hex(a->f, b->sha256, SYNC_HASH_LEN);
	fputc('|', a->f);
	sd_hex(a->f, b->prev, SYNC_HASH_LEN);
	fprintf(a->f, "|%" PRId64 "|%" PRId64 "|%s\n", b->frozen_ms,
	    b->acked_ms, b->name);
	return 0;
}

/* Writes the listing to f.  GU_OK or the first error of the store. */
static inline int
store_dump_entities(struct store *s, FILE *f)
{
	static struct child_summary cs[SD_MAX_CHILDREN];
	struct sd_arg a = {f, s};
	struct store_info in;
	struct sync_status st;
	struct sync_plan p;
	char kv[SYNC_KV_LEN];
	size_t n = 0;
	int rc;

	if ((rc = store_info(s, &in)) != GU_OK)
		return rc;
	fprintf(f, "store %s|%s|%s|%016" PRIx64 "\n", in.school_id,
	    in.school_name, in.device, in.epoch);
	fprintf(f,
	    "counts last_seq %" PRIu64 " acked_seq %" PRIu64
	    " children %" PRIu64 " staff %" PRIu64 " classes %" PRIu64 "\n",
	    in.last_seq, in.acked_seq, in.n_children, in.n_staff, in.n_classes);
	if ((rc = store_classes(s, sd_class, &a)) != GU_OK)
		return rc;
	rc = store_mentor_children(s, 0, cs, SD_MAX_CHILDREN, &n);
	if (rc != GU_OK)
		return rc;
	for (size_t i = 0; i < n && i < SD_MAX_CHILDREN; i++) {
		const struct child *c = &cs[i].child;
		fprintf(f, "child %s|%s|%s|%s|%s|%s|%u|%s|%s|%s|%s|%s|%d\n",
		    c->id, c->name, c->sex, c->birth, c->grade, c->class_name,
		    c->categories, c->guardian, c->guardian_relation,
		    c->guardian_phone, c->mentor_id, c->address, c->active);
		fprintf(f,
		    "summary %s|%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRIu32
		    "|%" PRIu32 "|%" PRIu32 "\n",
		    c->id, cs[i].last_contact_ms, cs[i].last_visit_ms,
		    cs[i].last_student_log_ms, cs[i].open_concerns,
		    cs[i].open_urgent, cs[i].n_records);
	}
	if ((rc = store_staff_list(s, sd_staff, &a)) != GU_OK)
		return rc;
	if ((rc = store_sync_status(s, &st)) != GU_OK)
		return rc;
	fprintf(f,
	    "status %" PRId32 "|%" PRId32 "|%s|%" PRId64 "|%" PRId64 "|%" PRId64
	    "|%" PRId64 "|%" PRIu32 "|%" PRId64 "|%" PRId32 "|%" PRIu64
	    "|%" PRIu64 "|%" PRIu64 "|%" PRIu64 "\n",
	    st.last_rc, st.http_code, st.message, st.last_attempt_ms,
	    st.last_success_ms, st.last_all_done_ms, st.backoff_until_ms,
	    st.failures, st.trigger_ms, st.busy, st.prog_records_done,
	    st.prog_records_total, st.prog_bytes_done, st.prog_bytes_total);
	fprintf(f,
	    "cursor %" PRIu64 "|%" PRIu64 "|%" PRIu64 "|%" PRId64 "|%" PRIu64
	    "\n",
	    st.last_seq, st.acked_seq, st.unacked, st.oldest_unacked_ms,
	    st.pending_batches);
	if ((rc = store_sync_plan(s, &p)) != GU_OK)
		return rc;
	fprintf(f,
	    "plan %" PRIu64 "|%" PRIu64 "|%" PRIu64 "|%" PRIu64 "|%" PRIu64
	    "|%d|",
	    p.next_id, p.urgent_scan, p.regular_next, p.carried_seq,
	    p.acked_seq, p.pending_regular);
	sd_hex(f, p.last_hash, SYNC_HASH_LEN);
	fputc('\n', f);
	if ((rc = store_sync_batches(s, 1, 0, sd_batch, &a)) != GU_OK)
		return rc;
	if ((rc = store_sync_kv_get(s, "roster_etag", kv, sizeof(kv))) != GU_OK)
		return rc;
	fprintf(f, "kv roster_etag %s\n", kv);
	return GU_OK;
}

#endif
