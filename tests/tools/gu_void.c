/*
 * gu_void: test helper: voids records of an existing store as a mentor
 * would on the kiosk (a REC_VOID naming each, with a reason), so the
 * ledger tests have voided records to look for.
 *
 *   gu_void DIR AUTHOR SEQ...
 *
 * Each void is dated one minute after the record it cancels.  Prints
 * nothing; exits 1 with the store's reason if a void is refused.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "status.h"
#include "store.h"

int
main(int argc, char **argv)
{
	struct store *s;
	int st = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: gu_void DIR AUTHOR SEQ...\n");
		return 2;
	}
	s = cli_open("gu_void", argv[1]);
	if (s == 0)
		return 1;
	for (int i = 3; i < argc && st == 0; i++) {
		unsigned long long seq;
		struct record t, v;
		char why[256];

		if (!cli_u64(argv[i], &seq) || store_get(s, seq, &t) != GU_OK) {
			fprintf(stderr, "gu_void: no record %s\n", argv[i]);
			st = 1;
			break;
		}
		rec_init(&v, REC_VOID);
		v.time_ms = t.time_ms + 60000;
		v.tz_min = t.tz_min;
		snprintf(v.author, sizeof(v.author), "%s", argv[2]);
		rec_set_int(&v, F_TARGET, (int64_t) seq);
		rec_set_str(&v, F_REASON, "wrong_entry");
		if (store_append(s, &v, why, sizeof(why)) != GU_OK) {
			fprintf(stderr, "gu_void: %s: %s\n", argv[i], why);
			st = 1;
		}
	}
	store_close(s);
	return st;
}
