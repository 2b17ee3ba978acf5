/*
 * upload.h: one pass of the uploader: cut the change log after the
 * acknowledged cursor into batches, freeze each in the store before its
 * first send, send urgent ones first, PUT, acknowledge after a 2xx, and
 * on failure store the class and the backoff.  Also builds batch files
 * for the USB export.  Memory is bounded by one batch (batch_bytes), never
 * by the backlog: the log is walked, not loaded.
 */
#ifndef GU_UPLOAD_H
#define GU_UPLOAD_H

#include <signal.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "http.h"
#include "pack.h"
#include "sign.h"
#include "store.h"
#include "store_sync.h"

struct upload {
	struct store *s;
	const struct sync_config *cfg;
	struct http_opts ho;
	struct store_info info;
	struct sign_key key; /* signs every batch (DATA/device-key) */
	struct pack *pk;     /* the regular batch being cut, sent, built */
	uint64_t pk_id;      /* pk holds the whole file of this batch; 0 none */
	struct pack *upk;    /* urgent batches */
	struct buf line;     /* record lines on their way to SHA-256 and pk */
	/* sealing (seal.h): the district key from DATA/district-key */
	int sealed;           /* 1: a district key is there, batches sealed */
	uint8_t district[32]; /* its X25519 public key */
	uint8_t *sealbuf[2];  /* the sealed file of pk [0] and of upk [1] */
	int verbose;
	volatile sig_atomic_t *stop; /* set by a signal: end the pass */
	/* progress of the pass */
	uint64_t rec_done, rec_total, bytes_done, bytes_cur;
	int64_t prog_ms;
	/* the outcome of the last pass */
	int last_rc;
	int64_t retry_after_s;
	uint64_t sent_batches, sent_records, sent_bytes;
};

/* Wall clock, ms since 1970 (what the store keeps). */
int64_t upload_now_ms(void);

/*
 * Sets u up for the store s (borrowed, as is cfg), with the device key in
 * cfg->data (made there if the store has none yet: a store from before
 * signed batches).  GU_OK, GU_ENOMEM, or the key's error (sign.h).
 */
int upload_init(
    struct upload *u, struct store *s, const struct sync_config *cfg);
void upload_fini(struct upload *u);

/*
 * One pass.  Returns GU_OK when nothing is left unsent, else the class of
 * the failure (already stored with its backoff by then).  *stop set
 * during the pass ends it early with GU_OK and nothing lost.
 */
int upload_pass(struct upload *u);

/*
 * Freezes batches until every record after the cursor is in one (for the
 * export).  No network.  GU_OK or a store error.
 */
int upload_freeze_all(struct upload *u);

/*
 * Builds the gzip file of frozen batch b into u->pk (pack_data() gives
 * it) and checks it against the frozen hashes.  GU_ECORRUPT if the store
 * no longer gives the same bytes.  On error u->pk holds nothing usable.
 */
int upload_build(struct upload *u, const struct sync_batch *b);

/*
 * Reads DATA/district-key again (it can be rotated at any pass): sets
 * u->sealed and u->district, and says on stderr when there is no key
 * (batches then go out unsealed, version 2) or a key that does not
 * parse (then the key read before stays).  GU_OK always.
 */
int upload_district_key(struct upload *u);

/*
 * The bytes that leave the terminal for frozen batch b, whose version 2
 * file is in pk (upload_build() or the cut): that file, or, with a
 * district key, the file sealed to it (docs/batch-format.md, version 3)
 * in u->sealbuf[pk == u->upk].  Valid until the next call for that pack.
 * GU_OK, GU_ENOMEM.
 */
int upload_file(struct upload *u, const struct sync_batch *b,
    const struct pack *pk, const uint8_t **data, size_t *len);

/* The backoff after failure number n (1, 2, ...) of class rc, in ms. */
int64_t upload_backoff_ms(const struct sync_config *cfg, uint32_t n, int rc,
    int64_t retry_after_s, uint32_t rnd);

#endif
