/*
 * fetch.h: the roster download: each pass makes a conditional GET
 * (If-None-Match with the ETag of the last imported copy) of
 *   URL/ROSTER_PATH/SCHOOL/children.csv and .../staff.csv
 * and, when either changed, imports both through roster_import_files(),
 * the same all-or-nothing importer as `guanai-sync import-roster`.  The
 * ETags are stored only after an import succeeded, so a roster the
 * importer refused is fetched (and reported) again next pass.
 */
#ifndef GU_FETCH_H
#define GU_FETCH_H

#include "upload.h"

/*
 * GU_OK (imported, unchanged, or no roster on the server: GU_ENOTFOUND
 * is not an error here), GU_EINVAL (the files were refused: reasons on
 * stderr), or the transfer's class.
 */
int fetch_roster(struct upload *u);

/*
 * The district's public key (docs/batch-format.md, "The district key on
 * the terminal"): a conditional GET of URL/DISTRICT_KEY_PATH into
 * DATA/district-key.new, put in place of DATA/district-key (fsynced,
 * renamed, mode 0644) only when it parses; its ETag kept as
 * etag_district_key.  A file that does not parse is reported as
 * file:line and the key in use stays.  GU_OK (also: unchanged, none on
 * the server, downloads off), GU_EINVAL (refused), or the transfer's
 * class.  The same for the district's signing key for ack files:
 * URL/DISTRICT_SIGN_PATH into DATA/district-sign (etag_district_sign);
 * once it is there, fetch_acks() takes only signed ack files.
 */
int fetch_district_key(struct upload *u);

/*
 * The school calendar the same way (docs/calendar.md): a conditional GET
 * of URL/ROSTER_PATH/SCHOOL/calendar.txt, all or nothing, its first
 * problem kept as calendar_error, the ETag stored only once it is in the
 * store.  GU_OK also when unchanged or absent on the server.
 */
int fetch_calendar(struct upload *u);

/*
 * The district's acknowledgements of urgent concerns (ack.h,
 * docs/district.md "The ack file"): a conditional GET of
 * URL/ROSTER_PATH/SCHOOL/ACK_FILE; a file that parses has its acks for
 * this terminal appended as REC_ACK records, those already in the store
 * skipped, all in one transaction; the ETag is stored only after that.
 * A refused file (its first problem as file:line kept as ack_error) adds
 * nothing.  GU_OK also when unchanged or absent on the server.
 */
int fetch_acks(struct upload *u);

#endif
