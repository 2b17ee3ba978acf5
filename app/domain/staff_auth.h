/*
 * staff_auth.h: staff sign-in with a PIN, as the domain layer sees it.
 *
 * The policy: a staff member picks his name and enters his PIN.  The first
 * free_tries wrong PINs cost nothing; each further one locks that person
 * out for base_delay_ms, doubling up to max_delay_ms.  The count and the
 * lock are kept in the store (store_auth_get/put), so a restart of the
 * kiosk does not reset them.  Every sign-in, wrong PIN, lock, PIN change
 * and sign-out is an REC_AUTH record (the audit the district can read).
 * A staff member who still has his initial PIN (must_change_pin) is signed
 * in with must_change_pin set, and the screens allow nothing but choosing a
 * new PIN (entered twice) until auth_change_pin() succeeds.
 *
 * Time is a parameter; nothing here reads a clock or draws.
 */
#ifndef GU_STAFF_AUTH_H
#define GU_STAFF_AUTH_H

#include <stdint.h>

#include "pin.h"
#include "store.h"

struct auth_policy {
	uint32_t free_tries;         /* wrong PINs before any delay: 3 */
	int64_t base_delay_ms;       /* first lock: 30 s */
	int64_t max_delay_ms;        /* longest lock: 15 min */
	unsigned long long opslimit; /* new PIN hash cost; 0: interactive */
	size_t memlimit;
	int tz_min; /* for the audit records' time */
};

/* The defaults above. */
void auth_policy_default(struct auth_policy *p);

struct auth_session {
	char staff_id[GU_ID_LEN + 1];
	char name[64];
	unsigned roles;      /* ROLE_* */
	int must_change_pin; /* only the PIN change screen until cleared */
	int64_t started_ms;
};

/*
 * Checks pin for staff_id at now_ms.  GU_OK: *out is the new session (and
 * the failure count is reset).  GU_EAUTH: wrong PIN; *locked_until_ms is
 * 0 or the time before which the next attempt is refused.  GU_ELOCKED: an
 * attempt during a lock, not checked; *locked_until_ms says until when.
 * GU_ENOTFOUND: no such active staff member.  The store's errors
 * otherwise.  locked_until_ms may be NULL.
 */
int auth_signin(struct store *s, const struct auth_policy *p, int64_t now_ms,
    const char *staff_id, const char *pin, struct auth_session *out,
    int64_t *locked_until_ms);

/*
 * Sets a new PIN for the signed-in staff member: pin and again must be
 * equal and pin_ok() (4-8 digits); the new PIN may not be the one being
 * replaced.  Clears must_change_pin in the store and in ses.  GU_EINVAL
 * with *why set to one of "mismatch", "format", "same" otherwise.
 */
int auth_change_pin(struct store *s, const struct auth_policy *p,
    int64_t now_ms, struct auth_session *ses, const char *old_pin,
    const char *pin, const char *again, const char **why);

/*
 * The headteacher resets staff_id's forgotten PIN: head must be a signed-
 * in headteacher (his own PIN; not one that must still be changed), and
 * staff_id another active staff member.  A temporary PIN (pin_temp) goes
 * into temp, to be told face to face; it is stored hashed with
 * must_change_pin set, so the next sign-in asks for a new PIN, and any
 * lock-out is lifted.  Audited as REC_AUTH "pin_reset" about staff_id by
 * the head (author).  GU_EPERM if head may not, GU_EINVAL for his own
 * PIN, GU_ENOTFOUND for an unknown or inactive staff member.
 */
int auth_reset_pin(struct store *s, const struct auth_policy *p, int64_t now_ms,
    const struct auth_session *head, const char *staff_id,
    char temp[PIN_TEMP_DIGITS + 1]);

/* Records the end of a session: timed_out 1 after idle, 0 on 退出. */
int auth_signout(struct store *s, const struct auth_policy *p, int64_t now_ms,
    const struct auth_session *ses, int timed_out);

#endif
