/*
 * pin.h: staff PINs.  A PIN is never stored: only its libsodium
 * crypto_pwhash_str() string (argon2id, random salt, the cost inside the
 * string), which pin_verify() checks.  This module alone includes
 * <sodium.h> for PINs and calls sodium_init().
 */
#ifndef GU_PIN_H
#define GU_PIN_H

#include <stddef.h>

#define PIN_HASH_LEN 128 /* crypto_pwhash_STRBYTES, with the NUL */
#define PIN_MIN_DIGITS 4
#define PIN_MAX_DIGITS 8

/* Nonzero when pin is 4 to 8 ASCII digits and nothing else. */
int pin_ok(const char *pin);

/*
 * Hashes pin into out (a NUL-terminated string of less than PIN_HASH_LEN
 * bytes).  opslimit and memlimit are the argon2id costs; 0 means
 * crypto_pwhash_OPSLIMIT_INTERACTIVE / crypto_pwhash_MEMLIMIT_INTERACTIVE
 * (tests pass crypto_pwhash_OPSLIMIT_MIN / _MEMLIMIT_MIN to go fast).
 *
 * Returns GU_OK; GU_EINVAL when pin is not pin_ok() or a limit is out of
 * libsodium's range; GU_ENOMEM when the hash could not get its memory.  On
 * error out holds an empty string.
 */
int pin_hash(const char *pin, char out[PIN_HASH_LEN],
    unsigned long long opslimit, size_t memlimit);

/*
 * Checks pin against a pin_hash() string.  Returns GU_OK when it matches,
 * GU_EAUTH when it does not (or pin is not a well-formed PIN), GU_EINVAL
 * when hash is not a hash string.  Takes as long as the hash's cost.
 */
int pin_verify(const char *hash, const char *pin);

/* Nonzero when hash was made with lower costs than the given ones (0:
 * the interactive defaults), so a sign-in may re-hash it. */
int pin_needs_rehash(
    const char *hash, unsigned long long opslimit, size_t memlimit);

/*
 * A temporary PIN of PIN_TEMP_DIGITS random digits (libsodium's
 * randombytes_uniform, no bias) into out, for a PIN the headteacher
 * resets: told to the staff member face to face, changed at his next
 * sign-in.  GU_OK, or GU_ENOMEM when libsodium cannot start.
 */
#define PIN_TEMP_DIGITS 6
int pin_temp(char out[PIN_TEMP_DIGITS + 1]);

#endif
