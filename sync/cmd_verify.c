/*
 * cmd_verify.c: `guanai-sync verify`, what the district runs on a folder
 * of batches, and `guanai-sync key`, the device's keyring line
 * (docs/batch-format.md, "Checking").
 *
 * verify judges every file on its own (batch_verify, its name against
 * its header, with --keys its signer against the keyring), then each
 * (school, device, epoch) on its own and each chain of it on its own
 * (format 2: regular and urgent; format 1: the one shared chain): starts
 * at 1, no gaps, prev links, the same number never with two contents;
 * then the regular batches tile the seqs from 1 and every skipped seq is
 * carried by an urgent batch.  It prints the records of every batch that
 * verified whatever else is wrong, and says per device what is missing
 * or wrong.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "cli.h"
#include "cmds.h"
#include "sign.h"
#include "status.h"
#include "store.h"

#define VERIFY_FILE_MAX ((size_t) 64 << 20)
#define VERIFY_FILES_MAX 100000

/* What the checks across files need of one file. */
struct vfile {
	char *path;
	int ok;      /* verified on its own */
	int claimed; /* failed, but its header says which batch it is */
	int named;   /* failed, header unreadable: its name says what */
	int version, urgent;
	char school[GU_ID_LEN + 1], device[GU_ID_LEN + 1];
	uint64_t epoch, number, first, last;
	uint32_t n_records;
	uint64_t *skip; /* regular: the skip list */
	size_t n_skip;
	uint64_t *seqs; /* urgent: the seqs carried */
	size_t n_seqs;
	uint8_t sha256[SYNC_HASH_LEN], prev[SYNC_HASH_LEN];
};

static int
read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "re");
	struct stat sb;
	uint8_t *p;

	*out = NULL;
	if (f == NULL)
		return GU_ENOTFOUND;
	if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0 ||
	    (size_t) sb.st_size > VERIFY_FILE_MAX) {
		fclose(f);
		return GU_ETOOBIG;
	}
	p = malloc((size_t) sb.st_size + 1);
	if (p == NULL) {
		fclose(f);
		return GU_ENOMEM;
	}
	*len = fread(p, 1, (size_t) sb.st_size, f);
	fclose(f);
	*out = p;
	return GU_OK;
}

static int
ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Format 1 has one chain for both kinds; format 2 one for each. */
static int
chain_of(const struct vfile *f)
{
	return f->version == BATCH_FORMAT_V1 ? 0 : 1 + f->urgent;
}

static const char *
chain_name(int chain)
{
	return chain == 0 ? "batch"
	    : chain == 1  ? "regular batch"
	                  : "urgent batch";
}

static const char *
chain_names(int chain)
{
	return chain == 0 ? "batches"
	    : chain == 1  ? "regular batches"
	                  : "urgent batches";
}

/* A file that is known to be of some group (verified, or claims to be). */
static int
known(const struct vfile *f)
{
	return f->ok || f->claimed || f->named;
}

/*
 * What a batch's name says (SCHOOL_DEVICE_EPOCH_FIRST-LAST[-u].ndjson.gz)
 * for a file whose header cannot be read: so a damaged batch is reported
 * as failed where it belongs, not as missing.  Ids have no '_', so the
 * last three '_' separate school, device, epoch and the range.
 */
static int
parse_name(struct vfile *f)
{
	char b[SYNC_NAME_LEN], *dev, *ep, *rest, *end;
	const char *bn = base_name(f->path);
	size_t l = strlen(bn), suf = strlen(".ndjson.gz");

	if (l >= sizeof(b) || !ends_with(bn, ".ndjson.gz"))
		return -1;
	memcpy(b, bn, l - suf);
	b[l - suf] = '\0';
	f->urgent = ends_with(b, "-u");
	if (f->urgent)
		b[strlen(b) - 2] = '\0';
	rest = strrchr(b, '_');
	if (rest == NULL)
		return -1;
	*rest++ = '\0';
	ep = strrchr(b, '_');
	if (ep == NULL)
		return -1;
	*ep++ = '\0';
	dev = strrchr(b, '_');
	if (dev == NULL)
		return -1;
	*dev++ = '\0';
	if (strlen(b) > GU_ID_LEN || strlen(dev) > GU_ID_LEN ||
	    strlen(ep) != 16)
		return -1;
	f->epoch = strtoull(ep, &end, 16);
	if (*end != '\0')
		return -1;
	f->first = strtoull(rest, &end, 10);
	if (*end != '-')
		return -1;
	f->last = strtoull(end + 1, &end, 10);
	if (*end != '\0' || f->first == 0 || f->first > f->last)
		return -1;
	snprintf(f->school, sizeof(f->school), "%.*s", GU_ID_LEN, b);
	snprintf(f->device, sizeof(f->device), "%.*s", GU_ID_LEN, dev);
	f->version = BATCH_FORMAT;
	f->number = 0;
	return 0;
}

static int
same_group(const struct vfile *a, const struct vfile *b)
{
	return strcmp(a->school, b->school) == 0 &&
	    strcmp(a->device, b->device) == 0 && a->epoch == b->epoch;
}

static int
vcmp(const void *pa, const void *pb)
{
	const struct vfile *a = pa, *b = pb;
	int c;

	/* Files that say nothing of themselves go last. */
	if (known(a) != known(b))
		return known(a) ? -1 : 1;
	c = strcmp(a->school, b->school);
	if (c == 0)
		c = strcmp(a->device, b->device);
	if (c == 0)
		c = a->epoch < b->epoch ? -1 : a->epoch > b->epoch;
	if (c == 0)
		c = chain_of(a) - chain_of(b);
	if (c == 0)
		c = a->number < b->number ? -1 : a->number > b->number;
	if (c == 0)
		c = b->ok - a->ok; /* the good copy first */
	if (c == 0)
		c = strcmp(a->path, b->path);
	return c;
}

static int
u64cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *) pa, b = *(const uint64_t *) pb;

	return a < b ? -1 : a > b;
}

struct seq_sink {
	struct vfile *f;
	size_t cap;
	int rc;
};

static int
seq_fn(void *arg, const char *line, size_t len)
{
	struct seq_sink *ss = arg;
	uint64_t seq;

	if (batch_line_seq(line, len, &seq) != GU_OK)
		return ss->rc = GU_ECORRUPT;
	if (ss->f->n_seqs == ss->cap) {
		uint64_t *n;

		ss->cap = ss->cap ? 2 * ss->cap : 64;
		n = realloc(ss->f->seqs, ss->cap * sizeof(*n));
		if (n == NULL)
			return ss->rc = GU_ENOMEM;
		ss->f->seqs = n;
	}
	ss->f->seqs[ss->f->n_seqs++] = seq;
	return 0;
}

static int
print_line(void *arg, const char *line, size_t len)
{
	(void) arg;
	return fwrite(line, 1, len, stdout) == len ? 0 : GU_EIO;
}

/* Collects the files: each argument, or the batches in a folder. */
static int
collect(int argc, char **argv, struct vfile **out, size_t *nout, int *bad)
{
	struct vfile *vf = NULL;
	size_t nv = 0, capv = 0;
	char path[4096];

	for (int i = 0; i < argc; i++) {
		struct stat sb;
		struct dirent *de;
		DIR *d;

		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			*bad = 1;
			continue;
		}
		d = S_ISDIR(sb.st_mode) ? opendir(argv[i]) : NULL;
		if (S_ISDIR(sb.st_mode) && d == NULL) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			*bad = 1;
			continue;
		}
		for (;;) {
			const char *p = argv[i];

			if (d != NULL) {
				de = readdir(d);
				if (de == NULL)
					break;
				if (!ends_with(de->d_name, ".ndjson.gz"))
					continue;
				snprintf(path, sizeof(path), "%s/%s", argv[i],
				    de->d_name);
				p = path;
			}
			if (nv == capv) {
				struct vfile *nvf;

				if (capv >= VERIFY_FILES_MAX) {
					fprintf(stderr,
					    "guanai-sync verify: more than %d "
					    "files\n",
					    VERIFY_FILES_MAX);
					*bad = 1;
					break;
				}
				capv = capv ? capv * 2 : 64;
				nvf = realloc(vf, capv * sizeof(*vf));
				if (nvf == NULL) {
					*bad = 1;
					break;
				}
				vf = nvf;
			}
			memset(&vf[nv], 0, sizeof(vf[nv]));
			vf[nv].path = strdup(p);
			if (vf[nv].path == NULL) {
				*bad = 1;
				break;
			}
			nv++;
			if (d == NULL)
				break;
		}
		if (d != NULL)
			closedir(d);
	}
	*out = vf;
	*nout = nv;
	return GU_OK;
}

/* Pass 1: one file on its own.  Returns 1 if it failed. */
static int
check_file(struct vfile *f, struct batch_head *h, const struct keyring *kr)
{
	struct seq_sink ss = {.f = f};
	char why[200], name[SYNC_NAME_LEN];
	const uint8_t *pk;
	uint8_t *data = NULL;
	size_t len = 0;
	int rc;

	rc = read_file(f->path, &data, &len);
	if (rc == GU_OK) {
		rc = batch_verify(data, len, h, NULL, NULL, why, sizeof(why));
		/* An urgent batch: the seqs it carries, for the skip lists. */
		if (rc == GU_OK && h->urgent)
			rc = batch_verify(
			    data, len, h, seq_fn, &ss, why, sizeof(why));
		if (rc == GU_OK && ss.rc != GU_OK) {
			rc = ss.rc;
			snprintf(why, sizeof(why), "a record line without seq");
		}
	} else {
		memset(h, 0, offsetof(struct batch_head, skip));
		snprintf(why, sizeof(why), "%s", status_str(rc));
	}
	free(data);
	if (h->id != 0) {
		f->version = h->version;
		f->urgent = h->urgent;
		memcpy(f->school, h->school, sizeof(f->school));
		memcpy(f->device, h->device, sizeof(f->device));
		f->epoch = h->epoch;
		f->number = h->id;
		f->first = h->first_seq;
		f->last = h->last_seq;
		f->n_records = h->n_records;
		memcpy(f->sha256, h->sha256, SYNC_HASH_LEN);
		memcpy(f->prev, h->prev, SYNC_HASH_LEN);
	}
	if (rc == GU_OK &&
	    (batch_name(h, name, sizeof(name)) != GU_OK ||
	        strcmp(name, base_name(f->path)) != 0)) {
		rc = GU_ECORRUPT;
		snprintf(why, sizeof(why),
		    "the file name is not the one its header gives (%.150s)",
		    name);
	}
	if (rc == GU_OK && kr != NULL) {
		pk = keyring_find(kr, h->school, h->device);
		if (h->version == BATCH_FORMAT_V1) {
			rc = GU_EAUTH;
			snprintf(why, sizeof(why), "unsigned (format 1)");
		} else if (pk == NULL) {
			rc = GU_EAUTH;
			snprintf(why, sizeof(why),
			    "device %s of school %s is not in the keyring",
			    h->device, h->school);
		} else if (memcmp(pk, h->key, SIGN_PK_LEN) != 0) {
			rc = GU_EAUTH;
			snprintf(why, sizeof(why),
			    "forged: signed by a key that is not the "
			    "device's");
		}
	}
	if (rc == GU_OK && !h->urgent && h->n_skip > 0) {
		f->skip = malloc(h->n_skip * sizeof(*f->skip));
		if (f->skip == NULL)
			rc = GU_ENOMEM;
		else {
			memcpy(f->skip, h->skip, h->n_skip * sizeof(*f->skip));
			f->n_skip = h->n_skip;
		}
	}
	if (rc != GU_OK) {
		f->claimed = h->id != 0;
		if (!f->claimed)
			f->named = parse_name(f) == 0;
		fprintf(stderr, "%s: FAILED: %s\n", f->path, why);
		return 1;
	}
	f->ok = 1;
	fprintf(stderr, "%s: ok, %s %" PRIu64 ", %" PRIu32 " records\n",
	    f->path, chain_name(chain_of(f)), f->number, f->n_records);
	return 0;
}

static void problem(const struct vfile *g, int *np, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(const struct vfile *g, int *np, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s epoch %016" PRIx64 ": ", g->school, g->device,
	    g->epoch);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	(*np)++;
}

/*
 * A file of vf[a..b) that failed and whose name puts it between seqs lo
 * and hi (both included), or NULL.
 */
static const struct vfile *
failed_between(const struct vfile *vf, size_t a, size_t b, int urgent,
    uint64_t lo, uint64_t hi)
{
	for (size_t i = a; i < b; i++)
		if (vf[i].named && vf[i].urgent == urgent &&
		    vf[i].first >= lo && vf[i].last <= hi)
			return &vf[i];
	return NULL;
}

/* One chain of a group: vf[a..b), sorted by number.  Problems counted. */
static void
check_chain(struct vfile *vf, size_t a, size_t b, int *np)
{
	static const uint8_t zero[SYNC_HASH_LEN];
	const struct vfile *prev_ok = NULL, *nf;
	int ch = chain_of(&vf[a]);
	const char *cn = chain_name(ch), *cns = chain_names(ch);
	uint64_t expect = 1, n_ok = 0, after = 0;

	for (size_t i = a; i <= b; i++) {
		struct vfile *f = i < b ? &vf[i] : NULL;

		if (f != NULL && f->named)
			continue;
		if (f != NULL && i > a && f->number == vf[i - 1].number) {
			if (f->ok && vf[i - 1].ok &&
			    memcmp(f->sha256, vf[i - 1].sha256,
			        SYNC_HASH_LEN) != 0)
				problem(f, np,
				    "%s %" PRIu64 ": two different files, %s "
				    "and %s",
				    cn, f->number, vf[i - 1].path, f->path);
			continue;
		}
		/* Numbers skipped before f (or after the last one). */
		nf = failed_between(vf, a, b, vf[a].urgent, after + 1,
		    f != NULL ? f->first - 1 : UINT64_MAX);
		if (f == NULL && nf != NULL)
			problem(nf, np,
			    "%s %" PRIu64 " (or later) failed verification "
			    "(%s)",
			    cn, expect, nf->path);
		if (f == NULL)
			break;
		if (f->number > expect) {
			if (nf != NULL)
				problem(f, np,
				    "%s %" PRIu64 "..%" PRIu64
				    " failed verification (%s)",
				    cns, expect, f->number - 1, nf->path);
			else if (expect == 1)
				problem(f, np,
				    "the %s chain does not start at batch 1: "
				    "%s 1..%" PRIu64 " are missing",
				    ch == 2 ? "urgent" : "regular", cns,
				    f->number - 1);
			else
				problem(f, np,
				    "%s %" PRIu64 "..%" PRIu64 " are missing",
				    cns, expect, f->number - 1);
		}
		after = f->last;
		if (!f->ok) {
			problem(f, np,
			    "%s %" PRIu64 " failed verification (%s)", cn,
			    f->number, f->path);
			prev_ok = NULL;
			expect = f->number + 1;
			continue;
		}
		n_ok++;
		if (f->number == 1 && memcmp(f->prev, zero, SYNC_HASH_LEN) != 0)
			problem(f, np, "%s 1 has a prev", cn);
		else if (prev_ok != NULL && prev_ok->number + 1 == f->number &&
		    memcmp(f->prev, prev_ok->sha256, SYNC_HASH_LEN) != 0)
			problem(f, np,
			    "chain broken: the prev of %s %" PRIu64
			    " is not the hash of %s %" PRIu64,
			    cn, f->number, cn, prev_ok->number);
		prev_ok = f;
		expect = f->number + 1;
	}
	fprintf(stderr,
	    "%s %s epoch %016" PRIx64 ": %" PRIu64 " %s verified, up to "
	    "number %" PRIu64 "\n",
	    vf[a].school, vf[a].device, vf[a].epoch, n_ok, cns, expect - 1);
}

/*
 * The regular batches of a group tile the seqs from 1 without gap or
 * overlap, and every seq they skip is in an urgent batch of the group.
 */
static void
check_tiling(struct vfile *vf, size_t a, size_t b, int *np)
{
	struct vfile **reg = NULL;
	uint64_t *useq = NULL, next = 1;
	size_t nr = 0, nu = 0;

	reg = malloc((b - a) * sizeof(*reg));
	for (size_t i = a; i < b; i++)
		nu += vf[i].ok && vf[i].urgent ? vf[i].n_seqs : 0;
	useq = malloc((nu ? nu : 1) * sizeof(*useq));
	if (reg == NULL || useq == NULL) {
		problem(&vf[a], np, "out of memory");
		goto out;
	}
	nu = 0;
	for (size_t i = a; i < b; i++) {
		if (!vf[i].ok)
			continue;
		if (vf[i].urgent) {
			memcpy(useq + nu, vf[i].seqs,
			    vf[i].n_seqs * sizeof(*useq));
			nu += vf[i].n_seqs;
		} else if (nr == 0 ||
		    memcmp(reg[nr - 1]->sha256, vf[i].sha256, SYNC_HASH_LEN))
			reg[nr++] = &vf[i];
	}
	qsort(useq, nu, sizeof(*useq), u64cmp);
	/* by first seq */
	for (size_t i = 1; i < nr; i++)
		for (size_t j = i; j > 0 && reg[j - 1]->first > reg[j]->first;
		     j--) {
			struct vfile *t = reg[j];

			reg[j] = reg[j - 1];
			reg[j - 1] = t;
		}
	for (size_t i = 0; i < nr; i++) {
		struct vfile *f = reg[i];

		if (f->first > next &&
		    failed_between(vf, a, b, 0, next, f->first - 1) != NULL)
			problem(f, np,
			    "seqs %" PRIu64 "..%" PRIu64
			    " are only in a batch that failed verification",
			    next, f->first - 1);
		else if (f->first > next)
			problem(f, np,
			    "seqs %" PRIu64 "..%" PRIu64
			    " are in no regular batch here",
			    next, f->first - 1);
		else if (f->first < next)
			problem(f, np,
			    "seqs %" PRIu64 "..%" PRIu64
			    " are in two regular batches (%s)",
			    f->first, next - 1 < f->last ? next - 1 : f->last,
			    f->path);
		for (size_t k = 0; k < f->n_skip; k++)
			if (bsearch(&f->skip[k], useq, nu, sizeof(*useq),
			        u64cmp) == NULL)
				problem(f, np,
				    "seq %" PRIu64 " is skipped by %s but in "
				    "no urgent batch here",
				    f->skip[k], f->path);
		if (f->last + 1 > next)
			next = f->last + 1;
	}
out:
	free(reg);
	free(useq);
}

int
cmd_verify(int argc, char **argv)
{
	struct vfile *vf = NULL;
	struct batch_head *h = NULL;
	struct keyring kr = {NULL, 0}, *krp = NULL;
	size_t nv = 0, n_ok = 0, n_groups = 0, len = 0;
	uint8_t *data = NULL;
	char why[200];
	int bad = 0, np = 0, rc, nops = 0;
	char **ops;

	ops = calloc((size_t) argc + 1, sizeof(*ops));
	if (ops == NULL)
		return 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc) {
			if (keyring_load(&kr, argv[++i], stderr) != GU_OK) {
				fprintf(stderr,
				    "guanai-sync verify: bad keyring\n");
				free(ops);
				return 2;
			}
			krp = &kr;
		} else if (strncmp(argv[i], "--", 2) == 0) {
			fprintf(stderr,
			    "guanai-sync verify: unknown option "
			    "%s\n",
			    argv[i]);
			nops = 0;
			break;
		} else
			ops[nops++] = argv[i];
	}
	if (nops == 0) {
		fprintf(stderr,
		    "usage: guanai-sync verify [--keys KEYRING] FILE|DIR...\n");
		keyring_free(&kr);
		free(ops);
		return 2;
	}
	h = malloc(sizeof(*h));
	if (h == NULL) {
		bad = 1;
		goto out;
	}
	collect(nops, ops, &vf, &nv, &bad);
	if (nv == 0) {
		fprintf(stderr,
		    "guanai-sync verify: no batch files (*.ndjson.gz) "
		    "found\n");
		bad = 1;
		goto out;
	}
	/* Pass 1: every file on its own. */
	for (size_t i = 0; i < nv; i++) {
		if (check_file(&vf[i], h, krp) != 0)
			bad = 1;
		else
			n_ok++;
	}
	/* Pass 2: each (school, device, epoch), each chain of it. */
	qsort(vf, nv, sizeof(*vf), vcmp);
	for (size_t g = 0; g < nv && known(&vf[g]);) {
		size_t ge = g;

		while (ge < nv && known(&vf[ge]) && same_group(&vf[g], &vf[ge]))
			ge++;
		for (size_t c = g; c < ge;) {
			size_t ce = c;

			while (ce < ge && chain_of(&vf[ce]) == chain_of(&vf[c]))
				ce++;
			check_chain(vf, c, ce, &np);
			c = ce;
		}
		check_tiling(vf, g, ge, &np);
		n_groups++;
		g = ge;
	}
	/* Pass 3: the records of every batch that verified, once each. */
	for (size_t i = 0; i < nv; i++) {
		if (!vf[i].ok)
			continue;
		if (i > 0 && vf[i - 1].ok && same_group(&vf[i], &vf[i - 1]) &&
		    chain_of(&vf[i]) == chain_of(&vf[i - 1]) &&
		    vf[i].number == vf[i - 1].number)
			continue; /* the same batch twice: print it once */
		rc = read_file(vf[i].path, &data, &len);
		if (rc == GU_OK)
			rc = batch_verify(
			    data, len, h, print_line, NULL, why, sizeof(why));
		free(data);
		data = NULL;
		if (rc != GU_OK) {
			/* Changed under us since pass 1. */
			fprintf(stderr, "%s: FAILED on rereading: %s\n",
			    vf[i].path, why);
			bad = 1;
		}
	}
out:
	if (fflush(stdout) != 0)
		bad = 1;
	if (nv > 0)
		fprintf(stderr,
		    "guanai-sync verify: %zu files, %zu verified, %zu devices, "
		    "%d problems: %s\n",
		    nv, n_ok, n_groups, np, bad || np ? "FAILED" : "ok");
	for (size_t i = 0; i < nv; i++) {
		free(vf[i].path);
		free(vf[i].skip);
		free(vf[i].seqs);
	}
	free(vf);
	free(h);
	free(ops);
	keyring_free(&kr);
	return bad || np ? 1 : 0;
}

/*
 * `guanai-sync key [--data DIR]`: prints "SCHOOL DEVICE ed25519:HEX", the
 * line the district's keyring needs; makes the key if the store has none
 * yet (a store from before signed batches).
 */
int
cmd_key(int argc, char **argv)
{
	struct store *s = NULL;
	struct store_info info;
	struct sign_key k;
	const char *dir = NULL;
	char why[300], pkt[80];
	int rc, created = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			dir = argv[++i];
		else {
			fprintf(
			    stderr, "usage: guanai-sync key [--data DIR]\n");
			return 2;
		}
	}
	dir = cli_data_dir(dir);
	rc = store_open(&s, dir, NULL);
	if (rc == GU_OK)
		rc = store_info(s, &info);
	store_close(s);
	if (rc != GU_OK) {
		fprintf(
		    stderr, "guanai-sync key: %s: %s\n", dir, status_str(rc));
		return 1;
	}
	rc = sign_key_open(dir, 1, &k, &created, why, sizeof(why));
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync key: %s\n", why);
		return 1;
	}
	if (created)
		fprintf(stderr,
		    "guanai-sync key: made a new device key in "
		    "%s/%s\n",
		    dir, SIGN_KEY_FILE);
	sign_pk_text(k.pk, pkt, sizeof(pkt));
	sign_key_close(&k);
	printf("%s %s %s\n", info.school_id, info.device, pkt);
	return 0;
}
