/*
 * export_line.c: reading what `guanai-sync ledger|file --progress` prints
 * (export.h): its "progress DONE TOTAL" lines for the bar, the lines that
 * name a file written, and the last other line for the screen.  Pure: no
 * system call, only the job's fields change, so the fuzz target
 * (fuzz/fuzz_progress.c) and the unit test (tests/test_export_line.c)
 * drive it as the kiosk does.
 */
#include <string.h>

#include "buf.h"
#include "export.h"

/* Reads a decimal number of at most EXPORT_PROGRESS_MAX at *p, as printf
 * writes it. */
static int
number(const char **p, unsigned *out)
{
	const char *s = *p;
	unsigned v = 0;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return 0; /* a digit first, and no leading zero */
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned) (*s - '0');
		if (v > EXPORT_PROGRESS_MAX)
			return 0;
		s++;
	}
	*p = s;
	*out = v;
	return 1;
}

int
export_progress_parse(const char *line, unsigned *done, unsigned *total)
{
	const char *p = line;
	unsigned d, t;

	if (strncmp(p, "progress ", 9) != 0)
		return 0;
	p += 9;
	if (!number(&p, &d) || *p++ != ' ' || !number(&p, &t) || *p != '\0')
		return 0;
	if (t == 0 || d > t)
		return 0;
	*done = d;
	*total = t;
	return 1;
}

void
export_take_line(struct export_job *j, const char *l)
{
	unsigned d, t;
	size_t n = strlen(l);

	if (n > 0 && l[n - 1] == '\r')
		n--;
	if (n == 0)
		return;
	if (strncmp(l, "progress ", 9) == 0) {
		/* A progress line that does not parse is dropped, never
		 * shown: the bar keeps what it had. */
		char tmp[64];

		if (n < sizeof(tmp)) {
			memcpy(tmp, l, n);
			tmp[n] = '\0';
			if (export_progress_parse(tmp, &d, &t)) {
				j->done = d;
				j->total = t;
			}
		}
		return;
	}
	/* "DIR/NAME.xlsx: 12 rows", "FILE.pdf: 3 children, ...". */
	if ((strstr(l, ".xlsx: ") != NULL || strstr(l, ".pdf: ") != NULL) &&
	    j->files < EXPORT_PROGRESS_MAX)
		j->files++;
	(void) buf_utf8_cut(j->msg, sizeof(j->msg), l, n);
}

void
export_take(struct export_job *j, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			j->part[j->part_len] = '\0';
			export_take_line(j, j->part);
			j->part_len = 0;
		} else if (buf[i] != '\0' && j->part_len < sizeof(j->part) - 1)
			j->part[j->part_len++] = buf[i];
	}
}

void
export_take_end(struct export_job *j)
{
	if (j->part_len > 0) {
		j->part[j->part_len] = '\0';
		export_take_line(j, j->part);
		j->part_len = 0;
	}
}
