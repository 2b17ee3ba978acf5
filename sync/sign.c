/*
 * sign.c: the device key file and the district keyring (sign.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sign.h"
#include "status.h"

#define KEY_MAGIC "guanai-device-key 1\n"
#define SEED_TAG "ed25519-seed "
#define SEED_LEN 32
#define KEY_FILE_LEN (sizeof(KEY_MAGIC) - 1 + sizeof(SEED_TAG) - 1 + 64 + 1)

int
sign_hex_in(const char *s, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < 2 * n; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (uint8_t) (d << 4);
		else
			out[i / 2] |= (uint8_t) d;
	}
	return 0;
}

static void
hex_out(const uint8_t *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
write_key(const char *path, const char *tmp, const uint8_t seed[SEED_LEN])
{
	char text[KEY_FILE_LEN + 1], hex[2 * SEED_LEN + 1];
	int fd, n, rc = GU_OK, dfd;
	char dir[4096];
	const char *slash;

	hex_out(seed, SEED_LEN, hex);
	n = snprintf(text, sizeof(text), "%s%s%s\n", KEY_MAGIC, SEED_TAG, hex);
	sodium_memzero(hex, sizeof(hex));
	if (n < 0 || (size_t) n >= sizeof(text))
		return GU_ETOOBIG;
	/*
	 * Owner and group: the kiosk's USB export signs too, as another
	 * user of the store's group, which can already read and write the
	 * whole store (data.mdb is 0660); others nothing.
	 */
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return GU_EIO;
	if (write(fd, text, (size_t) n) != n || fsync(fd) != 0)
		rc = GU_EIO;
	sodium_memzero(text, sizeof(text));
	if (close(fd) != 0)
		rc = GU_EIO;
	/* link() fails if another process made the key meanwhile. */
	if (rc == GU_OK && link(tmp, path) != 0)
		rc = errno == EEXIST ? GU_EEXIST : GU_EIO;
	(void) unlink(tmp);
	slash = strrchr(path, '/');
	if (rc == GU_OK && slash != NULL &&
	    (size_t) (slash - path) < sizeof(dir)) {
		memcpy(dir, path, (size_t) (slash - path));
		dir[slash - path] = '\0';
		dfd = open(
		    dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			(void) fsync(dfd);
			close(dfd);
		}
	}
	return rc;
}

int
sign_key_parse(const char *name, const char *text, size_t n, struct sign_key *k,
    char *why, size_t why_len)
{
	uint8_t seed[SEED_LEN];
	size_t off = sizeof(KEY_MAGIC) - 1 + sizeof(SEED_TAG) - 1;
	int rc = GU_OK;

	memset(k, 0, sizeof(*k));
	if (n >= sizeof(KEY_MAGIC) - 1 &&
	    memcmp(text, KEY_MAGIC, sizeof(KEY_MAGIC) - 1) != 0 && n >= 18 &&
	    memcmp(text, "guanai-device-key ", 18) == 0) {
		snprintf(why, why_len, "%s:1: unknown key file version", name);
		rc = GU_EVERSION;
	} else if (n != KEY_FILE_LEN ||
	    memcmp(text, KEY_MAGIC, sizeof(KEY_MAGIC) - 1) != 0) {
		snprintf(why, why_len, "%s:1: not a guanai device key", name);
		rc = GU_ECORRUPT;
	} else if (memcmp(text + sizeof(KEY_MAGIC) - 1, SEED_TAG,
	               sizeof(SEED_TAG) - 1) != 0 ||
	    sign_hex_in(text + off, SEED_LEN, seed) != 0 ||
	    text[off + 2 * SEED_LEN] != '\n') {
		snprintf(why, why_len,
		    "%s:2: expected ed25519-seed and 64 hex digits", name);
		rc = GU_ECORRUPT;
	} else {
		if (sodium_init() < 0)
			rc = GU_ENOMEM;
		else
			crypto_sign_seed_keypair(k->pk, k->sk, seed);
	}
	sodium_memzero(seed, sizeof(seed));
	return rc;
}

static int
read_key(const char *path, struct sign_key *k, char *why, size_t why_len)
{
	char text[KEY_FILE_LEN + 2];
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? GU_ENOTFOUND : GU_EIO;
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n < 0)
		return GU_EIO;
	rc = sign_key_parse(path, text, (size_t) n, k, why, why_len);
	sodium_memzero(text, sizeof(text));
	return rc;
}

int
sign_key_open(const char *dir, int create, struct sign_key *k, int *created,
    char *why, size_t why_len)
{
	char path[4096], tmp[4096 + 32];
	uint8_t seed[SEED_LEN];
	int rc;

	memset(k, 0, sizeof(*k));
	if (created != NULL)
		*created = 0;
	if (why_len > 0)
		why[0] = '\0';
	if (sodium_init() < 0)
		return GU_ENOMEM;
	if (snprintf(path, sizeof(path), "%s/%s", dir, SIGN_KEY_FILE) >=
	        (int) sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long) getpid()) >=
	        (int) sizeof(tmp))
		return GU_ETOOBIG;
	rc = read_key(path, k, why, why_len);
	if (rc != GU_ENOTFOUND || !create)
		goto out;
	randombytes_buf(seed, sizeof(seed));
	rc = write_key(path, tmp, seed);
	sodium_memzero(seed, sizeof(seed));
	if (rc == GU_OK && created != NULL)
		*created = 1;
	if (rc == GU_OK || rc == GU_EEXIST)
		rc = read_key(path, k, why, why_len);
out:
	if (rc != GU_OK && why_len > 0 && why[0] == '\0')
		snprintf(why, why_len, "%s: %s", path, status_str(rc));
	if (rc != GU_OK)
		sodium_memzero(k, sizeof(*k));
	return rc;
}

void
sign_key_close(struct sign_key *k)
{
	if (k != NULL)
		sodium_memzero(k, sizeof(*k));
}

void
sign_pk_text(const uint8_t pk[SIGN_PK_LEN], char *out, size_t cap)
{
	char hex[2 * SIGN_PK_LEN + 1];

	hex_out(pk, SIGN_PK_LEN, hex);
	snprintf(out, cap, "ed25519:%s", hex);
}

static void
signed_msg(const char *ctx, const uint8_t hash[32], uint8_t *m)
{
	memcpy(m, ctx, SIGN_CONTEXT_LEN);
	memcpy(m + SIGN_CONTEXT_LEN, hash, 32);
}

void
sign_hash_ctx(const struct sign_key *k, const char *ctx, const uint8_t hash[32],
    uint8_t sig[SIGN_SIG_LEN])
{
	uint8_t m[SIGN_CONTEXT_LEN + 32];

	signed_msg(ctx, hash, m);
	crypto_sign_detached(sig, NULL, m, sizeof(m), k->sk);
}

int
sign_hash_ctx_ok(const uint8_t pk[SIGN_PK_LEN], const char *ctx,
    const uint8_t hash[32], const uint8_t sig[SIGN_SIG_LEN])
{
	uint8_t m[SIGN_CONTEXT_LEN + 32];

	if (sodium_init() < 0)
		return 0;
	signed_msg(ctx, hash, m);
	return crypto_sign_verify_detached(sig, m, sizeof(m), pk) == 0;
}

void
sign_hash(
    const struct sign_key *k, const uint8_t hash[32], uint8_t sig[SIGN_SIG_LEN])
{
	sign_hash_ctx(k, SIGN_CONTEXT, hash, sig);
}

int
sign_hash_ok(const uint8_t pk[SIGN_PK_LEN], const uint8_t hash[32],
    const uint8_t sig[SIGN_SIG_LEN])
{
	return sign_hash_ctx_ok(pk, SIGN_CONTEXT, hash, sig);
}

/* ---- the keyring ---- */

static int
id_ok(const char *s)
{
	return strlen(s) <= GU_ID_LEN && rec_id_ok(s);
}

int
keyring_load(struct keyring *kr, const char *path, void *err)
{
	FILE *f, *ef = err;
	char *text;
	size_t n;
	int rc;

	kr->e = NULL;
	kr->n = 0;
	f = fopen(path, "re");
	if (f == NULL) {
		fprintf(ef, "%s: %s\n", path, strerror(errno));
		return GU_ENOTFOUND;
	}
	text = malloc(KEYRING_FILE_MAX + 1);
	if (text == NULL) {
		fclose(f);
		return GU_ENOMEM;
	}
	n = fread(text, 1, KEYRING_FILE_MAX + 1, f);
	if (ferror(f)) {
		fprintf(ef, "%s: read error\n", path);
		rc = GU_EIO;
	} else if (n > KEYRING_FILE_MAX) {
		fprintf(
		    ef, "%s: larger than %d bytes\n", path, KEYRING_FILE_MAX);
		rc = GU_ETOOBIG;
	} else
		rc = keyring_parse(kr, path, text, n, err);
	fclose(f);
	free(text);
	return rc;
}

int
keyring_parse(struct keyring *kr, const char *path, const char *text,
    size_t len, void *err)
{
	FILE *f, *ef = err;
	char line[1024];
	unsigned lineno = 0;
	size_t cap = 0;
	int bad = 0;

	kr->e = NULL;
	kr->n = 0;
	if (len == 0)
		return GU_OK;
	f = fmemopen((void *) (uintptr_t) text, len, "r");
	if (f == NULL)
		return GU_ENOMEM;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *school, *device, *key, *more, *save = NULL;
		size_t l = strlen(line);
		struct keyring_entry en;

		lineno++;
		if (l > 0 && line[l - 1] != '\n' && !feof(f)) {
			fprintf(ef, "%s:%u: line too long\n", path, lineno);
			bad = 1;
			while (l > 0 && line[l - 1] != '\n' &&
			    fgets(line, sizeof(line), f) != NULL)
				l = strlen(line);
			continue;
		}
		school = strtok_r(line, " \t\r\n", &save);
		if (school == NULL || school[0] == '#')
			continue;
		device = strtok_r(NULL, " \t\r\n", &save);
		key = strtok_r(NULL, " \t\r\n", &save);
		more = strtok_r(NULL, " \t\r\n", &save);
		if (device == NULL || key == NULL || more != NULL) {
			fprintf(ef,
			    "%s:%u: expected SCHOOL DEVICE ed25519:KEY\n", path,
			    lineno);
			bad = 1;
			continue;
		}
		if (!id_ok(school) || !id_ok(device)) {
			fprintf(ef, "%s:%u: bad school or device id\n", path,
			    lineno);
			bad = 1;
			continue;
		}
		if (strncmp(key, "ed25519:", 8) != 0 ||
		    strlen(key) != 8 + 2 * SIGN_PK_LEN ||
		    sign_hex_in(key + 8, SIGN_PK_LEN, en.pk) != 0) {
			fprintf(ef,
			    "%s:%u: the key must be ed25519: and 64 lower-case "
			    "hex digits\n",
			    path, lineno);
			bad = 1;
			continue;
		}
		if (keyring_find(kr, school, device) != NULL) {
			fprintf(ef, "%s:%u: %s %s given twice\n", path, lineno,
			    school, device);
			bad = 1;
			continue;
		}
		if (kr->n >= KEYRING_MAX) {
			fprintf(ef, "%s:%u: more than %d devices\n", path,
			    lineno, KEYRING_MAX);
			bad = 1;
			break;
		}
		if (kr->n == cap) {
			struct keyring_entry *ne;

			cap = cap ? 2 * cap : 16;
			ne = realloc(kr->e, cap * sizeof(*ne));

			if (ne == NULL) {
				fclose(f);
				keyring_free(kr);
				return GU_ENOMEM;
			}
			kr->e = ne;
		}
		snprintf(en.school, sizeof(en.school), "%s", school);
		snprintf(en.device, sizeof(en.device), "%s", device);
		kr->e[kr->n++] = en;
	}
	if (ferror(f)) {
		fprintf(ef, "%s: read error\n", path);
		bad = 1;
	}
	fclose(f);
	if (bad) {
		keyring_free(kr);
		return GU_EINVAL;
	}
	return GU_OK;
}

const uint8_t *
keyring_find(const struct keyring *kr, const char *school, const char *device)
{
	for (size_t i = 0; i < kr->n; i++)
		if (strcmp(kr->e[i].school, school) == 0 &&
		    strcmp(kr->e[i].device, device) == 0)
			return kr->e[i].pk;
	return NULL;
}

void
keyring_free(struct keyring *kr)
{
	free(kr->e);
	kr->e = NULL;
	kr->n = 0;
}
