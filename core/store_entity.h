/*
 * store_entity.h: how the store lays out everything that is not a record:
 * the roster entities (child, staff, class), a staff member's sign-in
 * state, and the sync status and batch rows.  Pure functions over bytes,
 * no LMDB, so the fuzz target and the migration use the same decoders.
 *
 * Every value starts with its own version byte and ends with a CRC-32C
 * (rec_crc32c) of every byte before it.  Integers are big-endian; a string
 * is one length byte L then L bytes of UTF-8 without NUL, L less than the
 * struct field it fills.  The key (a child's or staff member's id, a batch
 * id) is not repeated in the value.  Decoders check every byte against the
 * tables below and reject (GU_ECORRUPT, or GU_EVERSION for a version they
 * do not know); they never repair.  Encoders write the newest version.
 *
 * child (key: id), version 2
 *
 *   offset  size  field
 *   0       1     version: 2 (1: the same without parents_work)
 *   1       1     flags: 0x01 active; no other bit
 *   2       1     categories: CAT_* bits (0x03 at most)
 *   3       ...   strings in this order: name, sex, birth, grade,
 *                 class_name, guardian, guardian_relation, guardian_phone,
 *                 mentor_id, address, parents_work (version 2)
 *   end-4   4     CRC-32C
 *
 * staff (key: id), version 1
 *
 *   0       1     version: 1
 *   1       1     flags: 0x01 active, 0x02 must_change_pin
 *   2       1     roles: ROLE_* bits (0x07 at most)
 *   3       ...   strings: name, pin_hash
 *   end-4   4     CRC-32C
 *
 * class (key: class name), version 1
 *
 *   0       1     version: 1
 *   1       4     n_children (u32)
 *   5       ...   string: grade
 *   end-4   4     CRC-32C
 *
 * auth (key: staff id), version 1: 17 bytes
 *
 *   0       1     version: 1
 *   1       4     failures (u32)
 *   5       8     locked_until_ms (i64)
 *   13      4     CRC-32C
 *
 * sync batch (key: batch id, u64), version 1
 *
 *   0       1     version: 1
 *   1       8     id            9     8     first_seq
 *   17      8     last_seq      25    4     n_records
 *   29      4     n_skip        33    1     urgent (0 or 1)
 *   34      4     attempts      38    8     raw_bytes
 *   46      8     gz_bytes      54    32    body_sha256
 *   86      32    sha256        118   32    prev
 *   150     8     frozen_ms     158   8     acked_ms
 *   166     ...   string: name
 *   end-4   4     CRC-32C
 *
 * sync status (key "status"), version 1: the stored group only
 *
 *   0       1     version: 1
 *   1       4     last_rc (i32)         5     4     http_code (i32)
 *   9       8     last_attempt_ms       17    8     last_success_ms
 *   25      8     last_all_done_ms      33    8     backoff_until_ms
 *   41      4     failures (u32)        45    8     trigger_ms
 *   53      1     busy (0 or 1)         54    8     busy_ms
 *   62      8     prog_records_done     70    8     prog_records_total
 *   78      8     prog_bytes_done       86    8     prog_bytes_total
 *   94      ...   string: message
 *   end-4   4     CRC-32C
 *
 * calendar (meta key "calendar"), version 1: the school calendar
 * (core/calendar.h, docs/calendar.md)
 *
 *   0       1     version: 1
 *   1       1     n: terms and holidays (1..CAL_SPAN_MAX)
 *   2       10n   each: kind (1 term, 2 holiday), holiday (index into
 *                 calendar.c's table, 0 for a term), from (u32
 *                 YYYYMMDD), to (u32 YYYYMMDD); sorted by from, and
 *                 as calendar_ok() wants them
 *   end-4   4     CRC-32C
 *
 * A new field is a new version: the table above gets the field with the
 * version that added it, the decoder reads older versions (the field
 * left empty), and the store's migration (store_migrate.c) rewrites every
 * value to the newest version when a store is opened.
 */
#ifndef GU_STORE_ENTITY_H
#define GU_STORE_ENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "store.h"
#include "store_sync.h"

#define ENT_CHILD_VERSION 2
#define ENT_STAFF_VERSION 1
#define ENT_CLASS_VERSION 1
#define ENT_AUTH_VERSION 1
#define ENT_BATCH_VERSION 1
#define ENT_STATUS_VERSION 1
#define ENT_CALENDAR_VERSION 1
#define ENT_MAX 1024 /* bytes: enough for any encoded entity */

/*
 * Encoders: write the newest version into buf (cap bytes, ENT_MAX is
 * always enough), set *len.  GU_EINVAL if a string does not fit its field
 * or a value is out of range; buf is then undefined.
 */
int store_entity_child_encode(
    const struct child *c, uint8_t *buf, size_t cap, size_t *len);
/* The child in an older version (the migration's steps write them). */
int store_entity_child_encode_version(
    const struct child *c, int version, uint8_t *buf, size_t cap, size_t *len);
int store_entity_staff_encode(
    const struct staff *st, uint8_t *buf, size_t cap, size_t *len);
int store_entity_class_encode(const char *grade, uint32_t n_children,
    uint8_t *buf, size_t cap, size_t *len);
int store_entity_auth_encode(
    const struct staff_auth *a, uint8_t *buf, size_t cap, size_t *len);
int store_entity_batch_encode(
    const struct sync_batch *b, uint8_t *buf, size_t cap, size_t *len);
int store_entity_status_encode(
    const struct sync_status *st, uint8_t *buf, size_t cap, size_t *len);
int store_entity_calendar_encode(
    const struct calendar *c, uint8_t *buf, size_t cap, size_t *len);

/*
 * Decoders: key (the id, kl bytes) fills the struct's id where there is
 * one and must be a well-formed id.  out is zeroed first and undefined on
 * error.  *version (may be NULL) gets the version read.
 */
int store_entity_child_decode(const void *key, size_t kl, const uint8_t *p,
    size_t n, struct child *out, int *version);
int store_entity_staff_decode(
    const void *key, size_t kl, const uint8_t *p, size_t n, struct staff *out);
int store_entity_class_decode(const uint8_t *p, size_t n, char *grade,
    size_t grade_cap, uint32_t *n_children);
int store_entity_auth_decode(
    const uint8_t *p, size_t n, struct staff_auth *out);
int store_entity_batch_decode(
    const uint8_t *p, size_t n, struct sync_batch *out);
int store_entity_status_decode(
    const uint8_t *p, size_t n, struct sync_status *out);
int store_entity_calendar_decode(
    const uint8_t *p, size_t n, struct calendar *out);

#endif
