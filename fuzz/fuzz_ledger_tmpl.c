/*
 * fuzz_ledger_tmpl.c: libFuzzer target for the district template parser
 * (ledger_tmpl_parse(), ledger.h) and the period parser.
 *
 * Checked beyond the sanitizers: a refused template leaves the defaults
 * and a message that starts with the file name; an accepted one gives
 * every ledger at least one column, each a real column of that ledger,
 * none twice, every title NUL-terminated within its slot.  The first line
 * of the input is also fed to the period parser as each kind of period.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ledger.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ledger_tmpl t, def;
	struct ledger_period p;
	char why[2048], line[64];
	size_t n = 0;
	int rc;

	ledger_tmpl_default(&def);
	rc = ledger_tmpl_parse(&t, "t.csv", data, size, why, sizeof(why));
	assert(strlen(why) < sizeof(why));
	if (rc != GU_OK) {
		assert(rc == GU_EINVAL);
		assert(strncmp(why, "t.csv:", 6) == 0);
		assert(memcmp(&t, &def, sizeof(t)) == 0);
	} else {
		for (int k = 0; k < LEDGER_N; k++) {
			const struct ledger_layout *l = &t.l[k];
			uint8_t seen[LEDGER_MAX_COLS] = {0};

			assert(l->n >= 1 && l->n <= def.l[k].n);
			for (int i = 0; i < l->n; i++) {
				assert(l->col[i] < def.l[k].n);
				assert(!seen[l->col[i]]);
				seen[l->col[i]] = 1;
				assert(memchr(l->title[i], '\0',
				           LEDGER_TITLE_LEN) != 0);
			}
		}
	}
	while (n < size && n < sizeof(line) - 1 && data[n] != '\n' &&
	    data[n] != '\0')
		n++;
	memcpy(line, data, n);
	line[n] = '\0';
	rc = ledger_period_parse(
	    &p, line, line, 0, 0, 0, 20261201, why, sizeof(why));
	assert(rc != GU_OK || p.from <= p.to);
	rc = ledger_period_parse(&p, 0, 0, line, 0, 0, 0, why, sizeof(why));
	assert(rc != GU_OK || p.from <= p.to);
	rc = ledger_period_parse(&p, 0, 0, 0, line, 0, 0, why, sizeof(why));
	assert(rc != GU_OK || p.from <= p.to);
	rc = ledger_period_parse(&p, 0, 0, 0, 0, line, 0, why, sizeof(why));
	assert(rc != GU_OK || p.from <= p.to);
	return 0;
}
