/*
 * pin.c: PIN hashing with libsodium's crypto_pwhash_str (argon2id).
 */
#include "pin.h"

#include <sodium.h>
#include <string.h>

#include "status.h"

_Static_assert(PIN_HASH_LEN == crypto_pwhash_STRBYTES,
    "PIN_HASH_LEN must be crypto_pwhash_STRBYTES");

/* sodium_init() once per process; no threads (STYLE.md). */
static int
pin_init(void)
{
	static int done;

	if (done)
		return GU_OK;
	if (sodium_init() < 0)
		return GU_ENOMEM;
	done = 1;
	return GU_OK;
}

int
pin_ok(const char *pin)
{
	size_t n;

	if (pin == NULL)
		return 0;
	for (n = 0; pin[n] != '\0'; n++) {
		if (pin[n] < '0' || pin[n] > '9' || n >= PIN_MAX_DIGITS)
			return 0;
	}
	return n >= PIN_MIN_DIGITS;
}

static void
pin_limits(unsigned long long *ops, size_t *mem)
{
	if (*ops == 0)
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	if (*mem == 0)
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int
pin_hash(const char *pin, char out[PIN_HASH_LEN], unsigned long long opslimit,
    size_t memlimit)
{
	int rc;

	out[0] = '\0';
	rc = pin_init();
	if (rc != GU_OK)
		return rc;
	if (!pin_ok(pin))
		return GU_EINVAL;
	pin_limits(&opslimit, &memlimit);
	if (opslimit < crypto_pwhash_OPSLIMIT_MIN ||
	    opslimit > crypto_pwhash_OPSLIMIT_MAX ||
	    memlimit < crypto_pwhash_MEMLIMIT_MIN ||
	    memlimit > crypto_pwhash_MEMLIMIT_MAX)
		return GU_EINVAL;
	if (crypto_pwhash_str(out, pin, strlen(pin), opslimit, memlimit) != 0) {
		/* libsodium fails here only when it cannot get the memory. */
		out[0] = '\0';
		return GU_ENOMEM;
	}
	return GU_OK;
}

int
pin_verify(const char *hash, const char *pin)
{
	int rc;

	rc = pin_init();
	if (rc != GU_OK)
		return rc;
	if (hash == NULL || strnlen(hash, PIN_HASH_LEN) >= PIN_HASH_LEN ||
	    strncmp(hash, "$argon2", 7) != 0)
		return GU_EINVAL;
	if (!pin_ok(pin))
		return GU_EAUTH;
	if (crypto_pwhash_str_verify(hash, pin, strlen(pin)) != 0)
		return GU_EAUTH;
	return GU_OK;
}

int
pin_needs_rehash(const char *hash, unsigned long long opslimit, size_t memlimit)
{
	if (pin_init() != GU_OK)
		return 0;
	pin_limits(&opslimit, &memlimit);
	return crypto_pwhash_str_needs_rehash(hash, opslimit, memlimit) != 0;
}

int
pin_temp(char out[PIN_TEMP_DIGITS + 1])
{
	int i;

	out[0] = '\0';
	if (pin_init() != GU_OK)
		return GU_ENOMEM;
	for (i = 0; i < PIN_TEMP_DIGITS; i++)
		out[i] = (char) ('0' + randombytes_uniform(10));
	out[PIN_TEMP_DIGITS] = '\0';
	return GU_OK;
}
