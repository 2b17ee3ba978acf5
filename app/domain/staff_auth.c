/*
 * staff_auth.c: PIN sign-in with a growing delay, the forced first PIN
 * change, and the audit records (staff_auth.h).
 */
#include <stdio.h>
#include <string.h>

#include "pin.h"
#include "staff_auth.h"
#include "status.h"

void
auth_policy_default(struct auth_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->free_tries = 3;
	p->base_delay_ms = 30 * 1000;
	p->max_delay_ms = 15 * 60 * 1000;
	p->tz_min = 480;
}

/* Appends an REC_AUTH record about staff_id, by author. */
static int
audit_by(struct store *s, const struct auth_policy *p, int64_t now_ms,
    const char *author, const char *staff_id, const char *event)
{
	struct record r;
	char why[128];

	rec_init(&r, REC_AUTH);
	r.time_ms = now_ms;
	r.tz_min = (int16_t) p->tz_min;
	snprintf(r.author, sizeof(r.author), "%s", author);
	rec_set_str(&r, F_STAFF, staff_id);
	rec_set_str(&r, F_EVENT, event);
	return store_append(s, &r, why, sizeof(why));
}

/* An REC_AUTH record about staff_id, by himself. */
static int
audit(struct store *s, const struct auth_policy *p, int64_t now_ms,
    const char *staff_id, const char *event)
{
	return audit_by(s, p, now_ms, staff_id, staff_id, event);
}

/* The lock after the n-th consecutive wrong PIN. */
static int64_t
lock_for(const struct auth_policy *p, uint32_t failures)
{
	int64_t d;

	if (failures < p->free_tries)
		return 0;
	d = p->base_delay_ms;
	for (uint32_t i = p->free_tries; i < failures && d < p->max_delay_ms;
	     i++)
		d *= 2;
	return d < p->max_delay_ms ? d : p->max_delay_ms;
}

int
auth_signin(struct store *s, const struct auth_policy *p, int64_t now_ms,
    const char *staff_id, const char *pin, struct auth_session *out,
    int64_t *locked_until_ms)
{
	struct staff st;
	struct staff_auth a;
	int64_t dummy, lock;
	int rc;

	if (locked_until_ms == 0)
		locked_until_ms = &dummy;
	*locked_until_ms = 0;
	memset(out, 0, sizeof(*out));
	rc = store_staff_get(s, staff_id, &st);
	if (rc != GU_OK)
		return rc;
	if (!st.active)
		return GU_ENOTFOUND;
	rc = store_auth_get(s, staff_id, &a);
	if (rc != GU_OK)
		return rc;
	/*
	 * No lock is longer than the longest: a lock further ahead means the
	 * clock went back (a year back would make a 30 s lock last 364
	 * days), so it ends max_delay_ms from now at the latest.
	 */
	if (a.locked_until_ms > now_ms + p->max_delay_ms) {
		/* Kept, so the lock does not move on with the clock. */
		a.locked_until_ms = now_ms + p->max_delay_ms;
		rc = store_auth_put(s, staff_id, &a);
		if (rc != GU_OK)
			return rc;
	}
	if (now_ms < a.locked_until_ms) {
		*locked_until_ms = a.locked_until_ms;
		return GU_ELOCKED;
	}
	if (pin_verify(st.pin_hash, pin) != GU_OK) {
		a.failures++;
		lock = lock_for(p, a.failures);
		a.locked_until_ms = lock ? now_ms + lock : 0;
		*locked_until_ms = a.locked_until_ms;
		rc = store_auth_put(s, staff_id, &a);
		if (rc == GU_OK)
			rc = audit(s, p, now_ms, staff_id,
			    lock ? "pin_locked" : "pin_wrong");
		return rc == GU_OK ? GU_EAUTH : rc;
	}
	if (a.failures || a.locked_until_ms) {
		memset(&a, 0, sizeof(a));
		rc = store_auth_put(s, staff_id, &a);
		if (rc != GU_OK)
			return rc;
	}
	rc = audit(s, p, now_ms, staff_id, "signin");
	if (rc != GU_OK)
		return rc;
	memcpy(out->staff_id, st.id, sizeof(out->staff_id));
	memcpy(out->name, st.name, sizeof(out->name));
	out->roles = st.roles;
	out->must_change_pin = st.must_change_pin;
	out->started_ms = now_ms;
	return GU_OK;
}

int
auth_change_pin(struct store *s, const struct auth_policy *p, int64_t now_ms,
    struct auth_session *ses, const char *old_pin, const char *pin,
    const char *again, const char **why)
{
	char hash[PIN_HASH_LEN];
	const char *dummy;
	int rc;

	if (why == 0)
		why = &dummy;
	*why = 0;
	if (!pin_ok(pin)) {
		*why = "format";
		return GU_EINVAL;
	}
	if (strcmp(pin, again) != 0) {
		*why = "mismatch";
		return GU_EINVAL;
	}
	if (old_pin && strcmp(old_pin, pin) == 0) {
		*why = "same";
		return GU_EINVAL;
	}
	rc = pin_hash(pin, hash, p->opslimit, p->memlimit);
	if (rc == GU_OK)
		rc = store_staff_set_pin(s, ses->staff_id, hash);
	if (rc != GU_OK)
		return rc;
	ses->must_change_pin = 0;
	return audit(s, p, now_ms, ses->staff_id, "pin_changed");
}

int
auth_signout(struct store *s, const struct auth_policy *p, int64_t now_ms,
    const struct auth_session *ses, int timed_out)
{
	if (ses->staff_id[0] == '\0')
		return GU_OK;
	return audit(
	    s, p, now_ms, ses->staff_id, timed_out ? "timeout" : "signout");
}

int
auth_reset_pin(struct store *s, const struct auth_policy *p, int64_t now_ms,
    const struct auth_session *head, const char *staff_id,
    char temp[PIN_TEMP_DIGITS + 1])
{
	char hash[PIN_HASH_LEN];
	struct staff st;
	struct staff_auth a;
	int rc;

	temp[0] = '\0';
	if (head == NULL || head->staff_id[0] == '\0' ||
	    head->must_change_pin || !(head->roles & ROLE_HEAD))
		return GU_EPERM;
	if (strcmp(head->staff_id, staff_id) == 0)
		return GU_EINVAL;
	rc = store_staff_get(s, staff_id, &st);
	if (rc != GU_OK)
		return rc;
	if (!st.active)
		return GU_ENOTFOUND;
	rc = pin_temp(temp);
	if (rc == GU_OK)
		rc = pin_hash(temp, hash, p->opslimit, p->memlimit);
	if (rc == GU_OK)
		rc = store_staff_reset_pin(s, staff_id, hash);
	if (rc == GU_OK) {
		memset(&a, 0, sizeof(a));
		rc = store_auth_put(s, staff_id, &a);
	}
	if (rc == GU_OK)
		rc = audit_by(
		    s, p, now_ms, head->staff_id, staff_id, "pin_reset");
	if (rc != GU_OK)
		explicit_bzero(temp, PIN_TEMP_DIGITS + 1);
	return rc;
}
