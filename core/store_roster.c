/*
 * store_roster.c: the roster entities inside the store: children, staff,
 * the class and mentor indexes built from them, and staff sign-in state.
 * It alone writes the children, staff, class, class_child, mentor_child
 * and auth sub-databases, and it alone knows how their values are laid
 * out (store_child_decode() and friends, used by the queries).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "store_entity.h"
#include "store_int.h"

static MDB_val
sval(const char *s)
{
	return store_mval(s, strlen(s));
}

/* ---- the entities' encodings ---- */

int
store_child_decode(const MDB_val *k, const MDB_val *v, struct child *out)
{
	return store_entity_child_decode(
	    k->mv_data, k->mv_size, v->mv_data, v->mv_size, out, 0);
}

int
store_child_put(
    struct store *s, MDB_txn *txn, MDB_cursor *c, const struct child *ch)
{
	uint8_t b[ENT_MAX];
	MDB_val k = sval(ch->id), v;
	size_t len;
	int rc = store_entity_child_encode(ch, b, sizeof(b), &len);

	if (rc != GU_OK)
		return rc;
	v = store_mval(b, len);
	if (c)
		return store_mdb_rc(mdb_cursor_put(c, &k, &v, MDB_CURRENT));
	return store_mdb_rc(mdb_put(txn, s->db[DB_CHILDREN], &k, &v, 0));
}

int
store_staff_decode(const MDB_val *k, const MDB_val *v, struct staff *out)
{
	return store_entity_staff_decode(
	    k->mv_data, k->mv_size, v->mv_data, v->mv_size, out);
}

int
store_staff_put(
    struct store *s, MDB_txn *txn, MDB_cursor *c, const struct staff *st)
{
	uint8_t b[ENT_MAX];
	MDB_val k = sval(st->id), v;
	size_t len;
	int rc = store_entity_staff_encode(st, b, sizeof(b), &len);

	if (rc != GU_OK)
		return rc;
	v = store_mval(b, len);
	if (c)
		return store_mdb_rc(mdb_cursor_put(c, &k, &v, MDB_CURRENT));
	return store_mdb_rc(mdb_put(txn, s->db[DB_STAFF], &k, &v, 0));
}

int
store_class_put(struct store *s, MDB_txn *txn, const MDB_val *key,
    const char *grade, uint32_t n_children)
{
	uint8_t b[ENT_MAX];
	MDB_val k = *key, v;
	size_t len;
	int rc =
	    store_entity_class_encode(grade, n_children, b, sizeof(b), &len);

	if (rc != GU_OK)
		return rc;
	v = store_mval(b, len);
	return store_mdb_rc(mdb_put(txn, s->db[DB_CLASS], &k, &v, 0));
}

int
store_auth_encode_put(struct store *s, MDB_txn *txn, const MDB_val *key,
    const struct staff_auth *a)
{
	uint8_t b[ENT_MAX];
	MDB_val k = *key, v;
	size_t len;
	int rc = store_entity_auth_encode(a, b, sizeof(b), &len);

	if (rc != GU_OK)
		return rc;
	v = store_mval(b, len);
	return store_mdb_rc(mdb_put(txn, s->db[DB_AUTH], &k, &v, 0));
}

int
store_roster_child_get(
    struct store *s, MDB_txn *txn, const MDB_val *key, struct child *out)
{
	MDB_val k = *key, v;
	int rc = mdb_get(txn, s->db[DB_CHILDREN], &k, &v);

	if (rc != 0)
		return store_mdb_rc(rc);
	return store_child_decode(&k, &v, out);
}

static int
staff_get(struct store *s, MDB_txn *txn, const char *id, struct staff *out)
{
	MDB_val k = sval(id), v;
	int rc = mdb_get(txn, s->db[DB_STAFF], &k, &v);

	if (rc != 0)
		return store_mdb_rc(rc);
	return store_staff_decode(&k, &v, out);
}

/* ---- replacing the roster ---- */

static int
cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Sorted array of pointers to the ids, for lookups; NULL on ENOMEM. */
static const char **
sorted_ids(const void *base, size_t n, size_t stride)
{
	const char **ids = malloc((n ? n : 1) * sizeof(*ids));

	if (ids == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		ids[i] = (const char *) base + i * stride;
	qsort(ids, n, sizeof(*ids), cmp_str_ptr);
	return ids;
}

static int
id_in(const char **ids, size_t n, const char *id)
{
	return bsearch(&id, ids, n, sizeof(*ids), cmp_str_ptr) != 0;
}

struct roster_arg {
	const struct child *c;
	size_t nc;
	const struct staff *st;
	size_t nst;
	int reset_pins;
	const char **cids, **sids;
	struct roster_counts cnt;
	struct store *s;
	MDB_txn *txn;
};

/*
 * Marks inactive every child or staff member whose id is not in the new
 * roster, and counts them.  Never deletes: a child gone from the roster
 * keeps his file.
 */
static int
missing_child_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct roster_arg *a = arg;
	struct child ch;
	int rc = store_child_decode(k, v, &ch);

	if (rc != GU_OK)
		return rc;
	if (!ch.active || id_in(a->cids, a->nc, ch.id))
		return 0;
	ch.active = 0;
	a->cnt.children_inactive++;
	return store_child_put(a->s, a->txn, c, &ch);
}

static int
missing_staff_fn(void *arg, MDB_cursor *c, const MDB_val *k, const MDB_val *v)
{
	struct roster_arg *a = arg;
	struct staff st;
	int rc = store_staff_decode(k, v, &st);

	if (rc != GU_OK)
		return rc;
	if (!st.active || id_in(a->sids, a->nst, st.id))
		return 0;
	st.active = 0;
	a->cnt.staff_inactive++;
	return store_staff_put(a->s, a->txn, c, &st);
}

static int
roster_staff(struct store *s, MDB_txn *txn, struct roster_arg *a)
{
	struct staff cur;
	int rc = GU_OK;

	for (size_t i = 0; i < a->nst && rc == GU_OK; i++) {
		struct staff n = a->st[i];
		n.active = 1;
		rc = staff_get(s, txn, n.id, &cur);
		if (rc == GU_OK) {
			a->cnt.staff_updated++;
			if (!a->reset_pins && !cur.must_change_pin) {
				memcpy(n.pin_hash, cur.pin_hash,
				    sizeof(n.pin_hash));
				n.must_change_pin = 0;
			}
		} else if (rc == GU_ENOTFOUND) {
			a->cnt.staff_added++;
		} else {
			return rc;
		}
		rc = store_staff_put(s, txn, 0, &n);
	}
	if (rc != GU_OK)
		return rc;
	return store_walk(
	    txn, s->db[DB_STAFF], WALK_FWD, 0, 0, missing_staff_fn, a);
}

static int
roster_children(struct store *s, MDB_txn *txn, struct roster_arg *a)
{
	MDB_val k, v;
	int rc = GU_OK;

	for (size_t i = 0; i < a->nc && rc == GU_OK; i++) {
		struct child n = a->c[i];
		n.active = 1;
		k = sval(n.id);
		rc = mdb_get(txn, s->db[DB_CHILDREN], &k, &v);
		if (rc == 0)
			a->cnt.children_updated++;
		else if (rc == MDB_NOTFOUND)
			a->cnt.children_added++;
		else
			return store_mdb_rc(rc);
		rc = store_child_put(s, txn, 0, &n);
	}
	if (rc != GU_OK)
		return rc;
	return store_walk(
	    txn, s->db[DB_CHILDREN], WALK_FWD, 0, 0, missing_child_fn, a);
}

/* Rebuilds class, class_child and mentor_child from the new roster. */
static int
roster_indexes(struct store *s, MDB_txn *txn, struct roster_arg *a)
{
	uint64_t n_classes = 0;
	int rc;

	if ((rc = store_mdb_rc(mdb_drop(txn, s->db[DB_CLASS], 0))) != GU_OK ||
	    (rc = store_mdb_rc(mdb_drop(txn, s->db[DB_CLASS_CHILD], 0))) !=
	        GU_OK ||
	    (rc = store_mdb_rc(mdb_drop(txn, s->db[DB_MENTOR_CHILD], 0))) !=
	        GU_OK)
		return rc;
	for (size_t i = 0; i < a->nc; i++) {
		const struct child *ch = &a->c[i];
		char grade[sizeof(ch->grade)];
		uint32_t cnt = 0;
		MDB_val k = sval(ch->class_name), v;

		rc = mdb_get(txn, s->db[DB_CLASS], &k, &v);
		if (rc == 0) {
			rc = store_entity_class_decode(
			    v.mv_data, v.mv_size, grade, sizeof(grade), &cnt);
			if (rc != GU_OK)
				return rc;
		} else if (rc == MDB_NOTFOUND) {
			n_classes++;
		} else {
			return store_mdb_rc(rc);
		}
		/* The grade of a class is that of its last child listed. */
		rc = store_class_put(s, txn, &k, ch->grade, cnt + 1);
		if (rc != GU_OK)
			return rc;
		v = sval(ch->id);
		rc = store_mdb_rc(
		    mdb_put(txn, s->db[DB_CLASS_CHILD], &k, &v, 0));
		if (rc != GU_OK)
			return rc;
		if (ch->mentor_id[0]) {
			k = sval(ch->mentor_id);
			rc = store_mdb_rc(
			    mdb_put(txn, s->db[DB_MENTOR_CHILD], &k, &v, 0));
			if (rc != GU_OK)
				return rc;
		}
	}
	if ((rc = store_meta_put_u64(s, txn, "n_children", a->nc)) != GU_OK ||
	    (rc = store_meta_put_u64(s, txn, "n_staff", a->nst)) != GU_OK)
		return rc;
	return store_meta_put_u64(s, txn, "n_classes", n_classes);
}

static int
roster_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct roster_arg *a = arg;
	int rc;

	memset(&a->cnt, 0, sizeof(a->cnt));
	a->s = s;
	a->txn = txn;
	rc = roster_staff(s, txn, a);
	if (rc == GU_OK)
		rc = roster_children(s, txn, a);
	if (rc == GU_OK)
		rc = roster_indexes(s, txn, a);
	return rc;
}

static int
roster_validate(struct roster_arg *a, char *why, size_t why_len)
{
	for (size_t i = 0; i < a->nst; i++) {
		const struct staff *t = &a->st[i];
		if (!rec_id_ok(t->id))
			return store_why(
			    why, why_len, "staff id '%s' is not an id", t->id);
		if (i && strcmp(a->sids[i - 1], a->sids[i]) == 0)
			return store_why(
			    why, why_len, "staff id '%s' repeated", a->sids[i]);
		if (t->roles == 0 || (t->roles & ~7u))
			return store_why(
			    why, why_len, "staff '%s' has no role", t->id);
	}
	for (size_t i = 0; i < a->nc; i++) {
		const struct child *ch = &a->c[i];
		if (!rec_id_ok(ch->id))
			return store_why(
			    why, why_len, "child id '%s' is not an id", ch->id);
		if (i && strcmp(a->cids[i - 1], a->cids[i]) == 0)
			return store_why(
			    why, why_len, "child id '%s' repeated", a->cids[i]);
		if (ch->name[0] == '\0' || ch->class_name[0] == '\0')
			return store_why(why, why_len,
			    "child '%s' has no name or class", ch->id);
		if (ch->mentor_id[0]) {
			size_t j = 0;
			while (j < a->nst && strcmp(a->st[j].id, ch->mentor_id))
				j++;
			if (j == a->nst || !(a->st[j].roles & ROLE_MENTOR))
				return store_why(why, why_len,
				    "mentor '%s' is not a mentor in the staff "
				    "list",
				    ch->mentor_id);
		}
	}
	return GU_OK;
}

int
store_roster_replace(struct store *s, const struct child *c, size_t nc,
    const struct staff *st, size_t nst, int reset_pins,
    struct roster_counts *counts, char *why, size_t why_len)
{
	struct roster_arg a = {c, nc, st, nst, reset_pins, 0, 0, {0}, 0, 0};
	int rc = GU_ENOMEM;

	if (why_len)
		why[0] = '\0';
	a.cids = sorted_ids(c, nc, sizeof(*c));
	a.sids = sorted_ids(st, nst, sizeof(*st));
	if (a.cids == 0 || a.sids == 0)
		goto out;
	rc = roster_validate(&a, why, why_len);
	if (rc != GU_OK)
		goto out;
	rc = store_write(s, 0, roster_txn, &a);
	if (rc == GU_OK && counts)
		*counts = a.cnt;
out:
	free(a.cids);
	free(a.sids);
	return rc;
}

/* ---- one entity ---- */

struct obj_arg {
	const char *id;
	struct child *child;
	struct staff *staff;
	const char *pin_hash;
	struct staff_auth *auth;
	int must_change; /* set_pin_txn: must_change_pin to write */
};

static int
child_get_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct obj_arg *a = arg;
	MDB_val k = sval(a->id);

	return store_roster_child_get(s, txn, &k, a->child);
}

int
store_child_get(struct store *s, const char *id, struct child *out)
{
	struct obj_arg a = {.id = id, .child = out};

	if (!rec_id_ok(id))
		return GU_ENOTFOUND;
	return store_read(s, child_get_txn, &a);
}

static int
staff_get_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct obj_arg *a = arg;

	return staff_get(s, txn, a->id, a->staff);
}

int
store_staff_get(struct store *s, const char *id, struct staff *out)
{
	struct obj_arg a = {.id = id, .staff = out};

	if (!rec_id_ok(id))
		return GU_ENOTFOUND;
	return store_read(s, staff_get_txn, &a);
}

static int
set_pin_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct obj_arg *a = arg;
	struct staff st;
	int rc = staff_get(s, txn, a->id, &st);

	if (rc != GU_OK)
		return rc;
	memset(st.pin_hash, 0, sizeof(st.pin_hash));
	store_copy_str(
	    st.pin_hash, sizeof(st.pin_hash), a->pin_hash, strlen(a->pin_hash));
	st.must_change_pin = a->must_change;
	return store_staff_put(s, txn, 0, &st);
}

int
store_staff_set_pin(struct store *s, const char *staff_id, const char *pin_hash)
{
	struct obj_arg a = {.id = staff_id, .pin_hash = pin_hash};

	if (!rec_id_ok(staff_id) || strlen(pin_hash) >= 128)
		return GU_EINVAL;
	return store_write(s, 0, set_pin_txn, &a);
}

int
store_staff_reset_pin(
    struct store *s, const char *staff_id, const char *pin_hash)
{
	struct obj_arg a = {
	    .id = staff_id, .pin_hash = pin_hash, .must_change = 1};

	if (!rec_id_ok(staff_id) || strlen(pin_hash) >= 128)
		return GU_EINVAL;
	return store_write(s, 0, set_pin_txn, &a);
}

static int
auth_get_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct obj_arg *a = arg;
	MDB_val k = sval(a->id), v;
	int rc = mdb_get(txn, s->db[DB_AUTH], &k, &v);

	if (rc != 0)
		return store_mdb_rc(rc);
	return store_entity_auth_decode(v.mv_data, v.mv_size, a->auth);
}

int
store_auth_get(struct store *s, const char *staff_id, struct staff_auth *out)
{
	struct obj_arg a = {.id = staff_id, .auth = out};
	int rc;

	memset(out, 0, sizeof(*out));
	if (!rec_id_ok(staff_id))
		return GU_EINVAL;
	rc = store_read(s, auth_get_txn, &a);
	if (rc == GU_ENOTFOUND) {
		memset(out, 0, sizeof(*out));
		return GU_OK;
	}
	return rc;
}

static int
auth_put_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct obj_arg *a = arg;
	MDB_val k = sval(a->id);

	return store_auth_encode_put(s, txn, &k, a->auth);
}

int
store_auth_put(
    struct store *s, const char *staff_id, const struct staff_auth *au)
{
	struct staff_auth copy = *au;
	struct obj_arg a = {.id = staff_id, .auth = &copy};

	if (!rec_id_ok(staff_id))
		return GU_EINVAL;
	return store_write(s, 1, auth_put_txn, &a);
}

/* A staff member's preference: meta "pref.NAME.STAFF_ID" (store_int.h). */
struct pref_arg {
	char key[80];
	uint64_t v;
};

static int
pref_key(struct pref_arg *a, const char *staff_id, const char *name)
{
	if (!rec_id_ok(staff_id) || !rec_id_ok(name))
		return GU_EINVAL;
	snprintf(a->key, sizeof(a->key), "pref.%s.%s", name, staff_id);
	return GU_OK;
}

static int
pref_get_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct pref_arg *a = arg;

	return store_meta_u64(s, txn, a->key, &a->v);
}

static int
pref_put_txn(struct store *s, MDB_txn *txn, void *arg)
{
	struct pref_arg *a = arg;

	return store_meta_put_u64(s, txn, a->key, a->v);
}

int
store_staff_pref_get(
    struct store *s, const char *staff_id, const char *name, uint64_t *out)
{
	struct pref_arg a = {"", 0};
	int rc = pref_key(&a, staff_id, name);

	*out = 0;
	if (rc == GU_OK)
		rc = store_read(s, pref_get_txn, &a);
	if (rc == GU_OK)
		*out = a.v;
	return rc;
}

int
store_staff_pref_put(
    struct store *s, const char *staff_id, const char *name, uint64_t v)
{
	struct pref_arg a = {"", v};
	int rc = pref_key(&a, staff_id, name);

	return rc == GU_OK ? store_write(s, 0, pref_put_txn, &a) : rc;
}
