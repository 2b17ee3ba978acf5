/*
 * gu_append: test helper: appends records to an existing store (made by
 * guanai-demo) as the kiosk would, and pokes the daemon after each
 * commit.
 *
 *   gu_append DIR N [URGENT_EVERY [CHUNK]]
 *
 * N records: file views of one child, except every URGENT_EVERY-th (0:
 * none) which is an urgent concern.  CHUNK records per transaction
 * (default 1).  Prints the newest seq.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "poke.h"
#include "status.h"
#include "store.h"

struct pick {
	char child[GU_ID_LEN + 1];
	char staff[GU_ID_LEN + 1];
};

static int
staff_fn(void *arg, const struct staff *st)
{
	struct pick *p = arg;

	memcpy(p->staff, st->id, sizeof(p->staff));
	return 1;
}

static int
child_fn(void *arg, const struct child *c)
{
	struct pick *p = arg;

	memcpy(p->child, c->id, sizeof(p->child));
	return 1;
}

static int
class_fn(void *arg, const char *class_name, const char *grade, uint32_t n)
{
	(void) grade;
	(void) n;
	snprintf((char *) arg, 64, "%s", class_name);
	return 1;
}

static long
num(const char *s)
{
	char *e;
	long v = strtol(s, &e, 10);

	if (*e != '\0' || v < 0) {
		fprintf(stderr, "gu_append: bad number %s\n", s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct store *s = NULL;
	struct pick p;
	struct record *rs;
	char cls[64] = "", why[200];
	long n, every = 0, chunk = 1, i;
	size_t bad;
	int rc;

	if (argc < 3) {
		fprintf(
		    stderr, "usage: gu_append DIR N [URGENT_EVERY [CHUNK]]\n");
		return 2;
	}
	n = num(argv[2]);
	if (argc > 3)
		every = num(argv[3]);
	if (argc > 4)
		chunk = num(argv[4]);
	if (chunk < 1)
		chunk = 1;
	rs = calloc((size_t) chunk, sizeof(*rs));
	if (rs == NULL)
		return 1;
	rc = store_open(&s, argv[1], NULL);
	if (rc != GU_OK) {
		fprintf(stderr, "gu_append: %s: %s\n", argv[1], status_str(rc));
		return 1;
	}
	memset(&p, 0, sizeof(p));
	store_staff_list(s, staff_fn, &p);
	store_classes(s, class_fn, cls);
	store_class_children(s, cls, child_fn, &p);
	if (!p.staff[0] || !p.child[0]) {
		fprintf(stderr, "gu_append: store has no roster\n");
		return 1;
	}
	for (i = 0; i < n;) {
		long k;

		for (k = 0; k < chunk && i + k < n; k++) {
			struct record *r = &rs[k];
			long idx = i + k + 1;

			if (every > 0 && idx % every == 0) {
				rec_init(r, REC_CONCERN);
				rec_set_str(r, F_CHILD, p.child);
				rec_set_add(r, F_CONCERNS, "harm");
				rec_set_int(r, F_URGENT, 1);
				r->flags = REC_FLAG_URGENT;
			} else {
				rec_init(r, REC_FILE_VIEW);
				rec_set_str(r, F_CHILD, p.child);
			}
			r->flags |= REC_FLAG_CLOCK_SYNCED;
			r->time_ms = clock_wall_ms();
			r->tz_min = 480;
			memcpy(r->author, p.staff, sizeof(r->author));
		}
		rc = store_append_n(s, rs, (size_t) k, &bad, why, sizeof(why));
		if (rc != GU_OK) {
			fprintf(
			    stderr, "gu_append: %s: %s\n", status_str(rc), why);
			return 1;
		}
		poke_send(argv[1], POKE_COMMIT);
		i += k;
	}
	printf("%" PRIu64 "\n", rs[0].seq + (uint64_t) (n > 0 ? 0 : 0));
	store_close(s);
	free(rs);
	return 0;
}
