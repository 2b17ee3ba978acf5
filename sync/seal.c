/*
 * seal.c: sealed batches and the district's key files (seal.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seal.h"
#include "sha256.h"
#include "status.h"

#define SPUB_MAGIC "guanai-district-sign-pub "
#define SPUB_TAG "ed25519 "
#define SSEC_MAGIC "guanai-district-sign-secret "
#define SSEC_TAG "ed25519-seed "
#define PUB_MAGIC "guanai-district-pub "
#define PUB_TAG "x25519 "
#define SEC_MAGIC "guanai-district-secret "
#define SEC_TAG "x25519-secret "
#define KEY_FILE_MAX 256

/*
 * A two-line key file: "MAGIC 1" then "TAG" and 64 hex digits, each line
 * ended by '\n', nothing after.
 */
static int
key_parse(const char *name, const char *text, size_t n, const char *magic,
    const char *tag, uint8_t out[SEAL_KEY_LEN], char *why, size_t why_len)
{
	size_t ml = strlen(magic), tl = strlen(tag);
	const char *nl = memchr(text, '\n', n);
	const char *l2;
	size_t bin_len = 0;

	if (nl == NULL || (size_t) (nl - text) < ml ||
	    memcmp(text, magic, ml) != 0) {
		snprintf(why, why_len, "%s:1: expected \"%s1\"", name, magic);
		return GU_ECORRUPT;
	}
	if ((size_t) (nl - text) != ml + 1 || text[ml] != '1') {
		snprintf(why, why_len, "%s:1: unknown key file version", name);
		return GU_EVERSION;
	}
	l2 = nl + 1;
	if ((size_t) (text + n - l2) != tl + 2 * SEAL_KEY_LEN + 1 ||
	    memcmp(l2, tag, tl) != 0 || l2[tl + 2 * SEAL_KEY_LEN] != '\n' ||
	    sodium_hex2bin(out, SEAL_KEY_LEN, l2 + tl, 2 * SEAL_KEY_LEN, NULL,
	        &bin_len, NULL) != 0 ||
	    bin_len != SEAL_KEY_LEN) {
		snprintf(why, why_len, "%s:2: expected %sand 64 hex digits",
		    name, tag);
		return GU_ECORRUPT;
	}
	return GU_OK;
}

static int
file_read(const char *path, char *text, size_t cap, size_t *n)
{
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? GU_ENOTFOUND : GU_EIO;
	r = read(fd, text, cap);
	close(fd);
	if (r < 0)
		return GU_EIO;
	if ((size_t) r == cap)
		return GU_ETOOBIG;
	*n = (size_t) r;
	return GU_OK;
}

int
seal_pub_parse(const char *name, const char *text, size_t n,
    uint8_t pk[SEAL_KEY_LEN], char *why, size_t why_len)
{
	return key_parse(name, text, n, PUB_MAGIC, PUB_TAG, pk, why, why_len);
}

/* Reads path and parses it as a key file of magic and tag. */
static int
key_load(const char *path, const char *magic, const char *tag,
    uint8_t out[SEAL_KEY_LEN], char *why, size_t why_len)
{
	char text[KEY_FILE_MAX];
	size_t n = 0;
	int rc = file_read(path, text, sizeof(text), &n);

	if (rc != GU_OK)
		snprintf(why, why_len, "%s: %s", path, status_str(rc));
	else
		rc = key_parse(path, text, n, magic, tag, out, why, why_len);
	sodium_memzero(text, sizeof(text));
	return rc;
}

int
seal_pub_load(
    const char *path, uint8_t pk[SEAL_KEY_LEN], char *why, size_t why_len)
{
	return key_load(path, PUB_MAGIC, PUB_TAG, pk, why, why_len);
}

int
seal_secret_parse(const char *name, const char *text, size_t n,
    struct seal_secret *k, char *why, size_t why_len)
{
	int rc;

	memset(k, 0, sizeof(*k));
	if (sodium_init() < 0)
		return GU_ENOMEM;
	rc = key_parse(name, text, n, SEC_MAGIC, SEC_TAG, k->sk, why, why_len);
	if (rc == GU_OK)
		crypto_scalarmult_base(k->pk, k->sk);
	return rc;
}

int
seal_secret_load(
    const char *path, struct seal_secret *k, char *why, size_t why_len)
{
	int rc;

	memset(k, 0, sizeof(*k));
	if (sodium_init() < 0)
		return GU_ENOMEM;
	rc = key_load(path, SEC_MAGIC, SEC_TAG, k->sk, why, why_len);
	if (rc == GU_OK)
		crypto_scalarmult_base(k->pk, k->sk);
	return rc;
}

void
seal_secret_wipe(struct seal_secret *k, size_t n)
{
	if (k != NULL)
		sodium_memzero(k, n * sizeof(*k));
}

static int
key_write(const char *dir, const char *file, mode_t mode, const char *magic,
    const char *tag, const uint8_t key[SEAL_KEY_LEN], char *why, size_t why_len)
{
	char path[4096], text[KEY_FILE_MAX], hex[2 * SEAL_KEY_LEN + 1];
	int fd, n, rc = GU_OK;

	sodium_bin2hex(hex, sizeof(hex), key, SEAL_KEY_LEN);
	n = snprintf(text, sizeof(text), "%s1\n%s%s\n", magic, tag, hex);
	sodium_memzero(hex, sizeof(hex));
	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	        (int) sizeof(path) ||
	    n < 0 || (size_t) n >= sizeof(text))
		return GU_ETOOBIG;
	fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		rc = errno == EEXIST ? GU_EEXIST : GU_EIO;
		snprintf(why, why_len, "%s: %s", path, status_str(rc));
		sodium_memzero(text, sizeof(text));
		return rc;
	}
	if (write(fd, text, (size_t) n) != n || fsync(fd) != 0)
		rc = GU_EIO;
	if (close(fd) != 0)
		rc = GU_EIO;
	sodium_memzero(text, sizeof(text));
	if (rc != GU_OK)
		snprintf(why, why_len, "%s: cannot write", path);
	return rc;
}

/* The folder dir (0700) when missing; GU_EIO with why. */
static int
key_dir(const char *dir, char *why, size_t why_len)
{
	if (sodium_init() < 0)
		return GU_ENOMEM;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(why, why_len, "%s: cannot make the folder", dir);
		return GU_EIO;
	}
	return GU_OK;
}

int
seal_keygen(const char *dir, char *why, size_t why_len)
{
	struct seal_secret k;
	int rc = key_dir(dir, why, why_len);

	if (rc != GU_OK)
		return rc;
	crypto_box_keypair(k.pk, k.sk);
	rc = key_write(dir, "district-key.secret", 0600, SEC_MAGIC, SEC_TAG,
	    k.sk, why, why_len);
	if (rc == GU_OK)
		rc = key_write(dir, "district-key.pub", 0644, PUB_MAGIC,
		    PUB_TAG, k.pk, why, why_len);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

int
seal_sign_keygen(const char *dir, char *why, size_t why_len)
{
	uint8_t seed[SEAL_KEY_LEN];
	struct sign_key k;
	int rc = key_dir(dir, why, why_len);

	if (rc != GU_OK)
		return rc;
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(k.pk, k.sk, seed);
	rc = key_write(dir, "district-sign.secret", 0600, SSEC_MAGIC, SSEC_TAG,
	    seed, why, why_len);
	if (rc == GU_OK)
		rc = key_write(dir, "district-sign.pub", 0644, SPUB_MAGIC,
		    SPUB_TAG, k.pk, why, why_len);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(&k, sizeof(k));
	return rc;
}

int
seal_sign_pub_load(
    const char *path, uint8_t pk[SEAL_KEY_LEN], char *why, size_t why_len)
{
	return key_load(path, SPUB_MAGIC, SPUB_TAG, pk, why, why_len);
}

int
seal_sign_secret_load(
    const char *path, struct sign_key *k, char *why, size_t why_len)
{
	uint8_t seed[SEAL_KEY_LEN];
	int rc;

	memset(k, 0, sizeof(*k));
	if (sodium_init() < 0)
		return GU_ENOMEM;
	rc = key_load(path, SSEC_MAGIC, SSEC_TAG, seed, why, why_len);
	if (rc == GU_OK)
		crypto_sign_seed_keypair(k->pk, k->sk, seed);
	sodium_memzero(seed, sizeof(seed));
	return rc;
}

uint64_t
seal_body_len(uint64_t n)
{
	uint64_t chunks = n == 0 ? 1 : (n + SEAL_CHUNK - 1) / SEAL_CHUNK;

	return SEAL_BOX_LEN + SEAL_SS_HEAD + n + chunks * SEAL_SS_ABYTES;
}

int
seal_file(const uint8_t *inner, size_t n, const uint8_t district[SEAL_KEY_LEN],
    struct batch_head *h, uint8_t **out, size_t *out_len)
{
	uint8_t key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	crypto_secretstream_xchacha20poly1305_state st;
	uint64_t body = seal_body_len(n);
	char *head;
	uint8_t *f, *p;
	size_t hl, off = 0;
	int rc;

	*out = NULL;
	if (n == 0 || h->signer == NULL)
		return GU_EINVAL;
	if (sodium_init() < 0)
		return GU_ENOMEM;
	head = malloc(BATCH_HEAD_MAX);
	f = malloc(BATCH_HEAD_MAX + body);
	if (head == NULL || f == NULL) {
		free(head);
		free(f);
		return GU_ENOMEM;
	}
	/* The body first: the header carries its hash. */
	p = f + BATCH_HEAD_MAX;
	crypto_secretstream_xchacha20poly1305_keygen(key);
	if (crypto_box_seal(p, key, sizeof(key), district) != 0) {
		rc = GU_EINVAL;
		goto out;
	}
	crypto_secretstream_xchacha20poly1305_init_push(
	    &st, p + SEAL_BOX_LEN, key);
	p += SEAL_BOX_LEN + SEAL_SS_HEAD;
	while (off < n) {
		size_t take = n - off > SEAL_CHUNK ? SEAL_CHUNK : n - off;
		unsigned long long clen = 0;

		crypto_secretstream_xchacha20poly1305_push(&st, p, &clen,
		    inner + off, take, h->inner, SYNC_HASH_LEN,
		    off + take == n
		        ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
		        : 0);
		p += clen;
		off += take;
	}
	memcpy(h->district, district, SEAL_KEY_LEN);
	h->sealed_bytes = body;
	sha256(h->sealed_sha256, f + BATCH_HEAD_MAX, (size_t) body);
	rc = batch_seal_head_format(h, head, BATCH_HEAD_MAX, &hl);
	if (rc != GU_OK)
		goto out;
	memcpy(f + BATCH_HEAD_MAX - hl, head, hl);
	memmove(f, f + BATCH_HEAD_MAX - hl, hl + (size_t) body);
	*out = f;
	*out_len = hl + (size_t) body;
	f = NULL;
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(&st, sizeof(st));
	free(head);
	free(f);
	return rc;
}

int
seal_open(const uint8_t *f, size_t n, const struct seal_secret *keys,
    size_t nkeys, size_t max_plain, struct batch_head *outer, uint8_t **plain,
    size_t *plain_len, char *why, size_t why_len)
{
	uint8_t key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	crypto_secretstream_xchacha20poly1305_state st;
	uint8_t h[SYNC_HASH_LEN];
	const struct seal_secret *k = NULL;
	const uint8_t *nl, *p, *end;
	uint8_t *out = NULL;
	size_t o = 0, hl;
	uint64_t want;
	int rc, fin = 0;

	*plain = NULL;
	*plain_len = 0;
	if (sodium_init() < 0)
		return GU_ENOMEM;
	nl = memchr(f, '\n', n < BATCH_HEAD_MAX ? n : BATCH_HEAD_MAX);
	if (nl == NULL) {
		snprintf(why, why_len, "line 1: not a sealed batch header");
		return GU_ECORRUPT;
	}
	hl = (size_t) (nl - f) + 1;
	rc = batch_seal_head_parse((const char *) f, hl, outer, why, why_len);
	if (rc != GU_OK)
		return rc;
	if (outer->sealed_bytes != n - hl ||
	    outer->sealed_bytes <
	        SEAL_BOX_LEN + SEAL_SS_HEAD + SEAL_SS_ABYTES + 1) {
		snprintf(why, why_len,
		    "sealed_bytes %" PRIu64 " but %zu bytes follow the header",
		    outer->sealed_bytes, n - hl);
		return GU_ECORRUPT;
	}
	sha256(h, f + hl, n - hl);
	if (memcmp(h, outer->sealed_sha256, SYNC_HASH_LEN) != 0) {
		snprintf(why, why_len, "sealed_sha256 does not match");
		return GU_ECORRUPT;
	}
	for (size_t i = 0; i < nkeys; i++)
		if (sodium_memcmp(keys[i].pk, outer->district, SEAL_KEY_LEN) ==
		    0)
			k = &keys[i];
	if (k == NULL) {
		snprintf(why, why_len, "sealed to an unknown district key");
		return GU_ENOTFOUND;
	}
	p = f + hl;
	end = f + n;
	if (crypto_box_seal_open(key, p, SEAL_BOX_LEN, k->pk, k->sk) != 0) {
		snprintf(why, why_len, "the sealed box does not open");
		return GU_ECORRUPT;
	}
	want = outer->sealed_bytes - SEAL_BOX_LEN - SEAL_SS_HEAD;
	if (want > max_plain + max_plain / 256 + SEAL_SS_ABYTES) {
		rc = GU_ETOOBIG;
		snprintf(why, why_len, "larger than %zu bytes", max_plain);
		goto out;
	}
	rc = GU_ECORRUPT;
	if (crypto_secretstream_xchacha20poly1305_init_pull(
	        &st, p + SEAL_BOX_LEN, key) != 0) {
		snprintf(why, why_len, "bad stream header");
		goto out;
	}
	p += SEAL_BOX_LEN + SEAL_SS_HEAD;
	out = malloc(want);
	if (out == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	while (p < end) {
		size_t take = (size_t) (end - p) > SEAL_CHUNK + SEAL_SS_ABYTES
		    ? SEAL_CHUNK + SEAL_SS_ABYTES
		    : (size_t) (end - p);
		unsigned long long mlen = 0;
		unsigned char tag = 0;

		if (fin) {
			snprintf(why, why_len, "bytes after the final chunk");
			goto out;
		}
		if (crypto_secretstream_xchacha20poly1305_pull(&st, out + o,
		        &mlen, &tag, p, take, outer->inner,
		        SYNC_HASH_LEN) != 0) {
			snprintf(why, why_len,
			    "stream chunk at byte %zu does not authenticate",
			    (size_t) (p - f));
			goto out;
		}
		fin = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
		o += (size_t) mlen;
		p += take;
	}
	if (!fin) {
		snprintf(
		    why, why_len, "the stream ends without its final chunk");
		goto out;
	}
	*plain = out;
	*plain_len = o;
	out = NULL;
	rc = GU_OK;
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(&st, sizeof(st));
	free(out);
	return rc;
}

int
seal_inner_agrees(const struct batch_head *outer,
    const struct batch_head *inner, char *why, size_t why_len)
{
	const char *bad = NULL;

	if (inner->version != BATCH_FORMAT)
		bad = "the inner batch is not format 2";
	else if (memcmp(inner->sha256, outer->inner, SYNC_HASH_LEN) != 0)
		bad = "the inner sha256 is not batch_sha256";
	else if (strcmp(inner->school, outer->school) != 0 ||
	    strcmp(inner->device, outer->device) != 0)
		bad = "the inner school or device differs";
	else if (inner->epoch != outer->epoch ||
	    inner->urgent != outer->urgent ||
	    inner->first_seq != outer->first_seq ||
	    inner->last_seq != outer->last_seq)
		bad = "the inner epoch, urgent or seq range differs";
	else if (memcmp(inner->key, outer->key, SIGN_PK_LEN) != 0)
		bad = "the inner device key differs";
	if (bad != NULL)
		snprintf(why, why_len, "%s", bad);
	return bad == NULL;
}
