/*
 * fuzz_csv.c: libFuzzer target for the CSV reader and the roster parsers
 * (parse only: no store, no PIN hashing).
 *
 * The input is split at its first NUL byte: before it the children file,
 * after it the staff file.  Without a NUL, or when the input starts with
 * a UTF-16 BOM (UTF-16 text is full of NUL bytes), the whole input is fed
 * as both.
 * The CSV reader is also walked on its own over the whole input, with
 * small limits so the limit paths are reached.  What is checked, beyond
 * the sanitizers: every row the reader hands out has n fields that are
 * NUL-terminated within the decoded text, lines never go backwards, and
 * a failed roster parse hands out no rows.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csv.h"
#include "roster.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
no_report(void *arg, const char *file, unsigned line, const char *msg)
{
	unsigned *n = arg;

	(void) file;
	(void) line;
	assert(msg != NULL && strlen(msg) < ROSTER_MSG_LEN);
	(*n)++;
}

static void
walk_csv(const uint8_t *data, size_t size)
{
	struct csv_limits lim = {1 << 20, 8, 64};
	struct csv *c = NULL;
	struct csv_row row;
	struct csv_error err;
	unsigned last = 0;
	size_t i;
	int rc;

	if (csv_open_buf(&c, data, size, &lim, &err) != GU_OK) {
		assert(c == NULL);
		return;
	}
	while ((rc = csv_next_row(c, &row, &err)) != GU_ENOTFOUND) {
		assert(rc == GU_OK || rc == GU_EINVAL || rc == GU_ETOOBIG);
		assert(row.line >= last);
		last = row.line;
		assert(row.n >= 1 && row.n <= lim.max_fields);
		for (i = 0; i < row.n; i++)
			assert(strlen(row.f[i]) <= lim.max_field_len);
	}
	csv_close(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct roster_src c = {"children.csv", data, size};
	struct roster_src s = {"staff.csv", data, size};
	struct roster_opts opts = {0, 0, 0, 50};
	struct roster r;
	unsigned n = 0;
	int rc;

	walk_csv(data, size);
	if (size >= 2 &&
	    ((data[0] == 0xFF && data[1] == 0xFE) ||
	        (data[0] == 0xFE && data[1] == 0xFF)))
		nul = NULL;
	if (nul != NULL) {
		c.len = (size_t) (nul - data);
		s.data = nul + 1;
		s.len = size - c.len - 1;
	}
	rc = roster_parse(&r, &c, &s, &opts, no_report, &n);
	assert(rc == GU_OK || rc == GU_EINVAL);
	if (rc == GU_OK) {
		assert(n == 0 && r.n_errors == 0);
		assert(r.n_children > 0 && r.n_staff > 0);
	} else {
		assert(r.n_errors > 0 && r.n_children == 0 && r.n_staff == 0);
		assert(n == (r.n_errors > 50 ? 51 : r.n_errors));
	}
	roster_fini(&r);
	return 0;
}
