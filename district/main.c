/*
 * main.c: guanai-district, the district's end (docs/district.md):
 *
 *   guanai-district keygen DIR
 *   guanai-district open --secret FILE [--secret FILE...] [--keys FILE]
 *       BATCH...
 *   guanai-district ingest --config FILE [--check]
 *   guanai-district report --config FILE [--today DAY] OUTDIR
 *   guanai-district ack --config FILE --concern ID --by NAME
 *       --outcome OUTCOME [--note TEXT]
 *   guanai-district ack --config FILE --republish SCHOOL
 *   guanai-district pack --config FILE (--school ID | --all)
 *       [--from DAY] [--to DAY] OUT.xlsx
 *
 * Each command is a row of commands[] below and lives in its own file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "district.h"
#include "status.h"

static int
usage(void)
{
	fprintf(stderr,
	    "usage: guanai-district keygen DIR\n"
	    "       guanai-district open --secret FILE... [--keys FILE] "
	    "BATCH...\n"
	    "       guanai-district ingest --config FILE [--check]\n"
	    "       guanai-district report --config FILE [--today DAY] "
	    "OUTDIR\n"
	    "       guanai-district ack --config FILE --concern ID --by NAME "
	    "--outcome OUTCOME [--note TEXT]\n"
	    "       guanai-district pack --config FILE (--school ID | --all) "
	    "[--from DAY] [--to DAY] OUT.xlsx\n"
	    "       guanai-district ack --config FILE --republish SCHOOL\n");
	return 2;
}

/* The district's key pairs, one row each: keygen makes those missing. */
static const struct pair {
	const char *name; /* NAME.secret and NAME.pub */
	const char *use;  /* of the secret half */
	const char *data; /* the public half's name in DATA on a terminal */
	int (*make)(const char *dir, char *why, size_t why_len);
} pairs[] = {
    {"district-key", "keep it at the district", SEAL_PUB_FILE, seal_keygen},
    {"district-sign", "ack's sign_key", SEAL_SIGN_PUB_FILE, seal_sign_keygen},
};

/*
 * Makes what DIR lacks of the district's two pairs: the sealing pair
 * (district-key.*) and the ack signing pair (district-sign.*), so a key
 * folder made before signing gains its signing pair and keeps its
 * sealing key.  Refuses when both are there.
 */
static int
cmd_keygen(int argc, char **argv)
{
	char why[4200], path[4200];
	struct stat sb;
	int rc = GU_OK, made = 0;

	if (argc != 2)
		return usage();
	for (size_t i = 0; rc == GU_OK && i < sizeof(pairs) / sizeof(*pairs);
	     i++) {
		snprintf(
		    path, sizeof(path), "%s/%s.secret", argv[1], pairs[i].name);
		if (stat(path, &sb) == 0)
			continue;
		rc = pairs[i].make(argv[1], why, sizeof(why));
		if (rc != GU_OK)
			break;
		made++;
		printf("wrote %s (%s) and %s/%s.pub (to every terminal, as "
		       "DATA/%s)\n",
		    path, pairs[i].use, argv[1], pairs[i].name, pairs[i].data);
	}
	if (rc == GU_OK && made == 0) {
		snprintf(
		    why, sizeof(why), "%s: both key pairs are there", argv[1]);
		rc = GU_EEXIST;
	}
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-district keygen: %s\n", why);
		return 1;
	}
	return 0;
}

static int
print_line(void *arg, const char *line, size_t len)
{
	(void) arg;
	return fwrite(line, 1, len, stdout) == len ? 0 : GU_EIO;
}

static int
cmd_open(int argc, char **argv)
{
	struct district_keys dk = {.k = NULL, .n = 0, .kr = NULL};
	struct keyring kr = {.e = NULL, .n = 0};
	struct batch_head *h;
	char why[4200];
	int i, bad = 0, sealed, rc;

	h = malloc(sizeof(*h));
	dk.k = calloc((size_t) argc, sizeof(*dk.k));
	if (h == NULL || dk.k == NULL) {
		free(h);
		free(dk.k);
		return 1;
	}
	for (i = 1; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--secret") == 0) {
			rc = seal_secret_load(
			    argv[i + 1], &dk.k[dk.n], why, sizeof(why));
			if (rc != GU_OK) {
				fprintf(
				    stderr, "guanai-district open: %s\n", why);
				bad = 2;
				goto out;
			}
			dk.n++;
		} else if (strcmp(argv[i], "--keys") == 0 && dk.kr == NULL) {
			if (keyring_load(&kr, argv[i + 1], stderr) != GU_OK) {
				bad = 2;
				goto out;
			}
			dk.kr = &kr;
		} else
			break;
	}
	if (i >= argc) {
		bad = usage();
		goto out;
	}
	for (; i < argc; i++) {
		uint8_t *f = NULL;
		size_t n = 0;

		rc = district_slurp(argv[i], DISTRICT_FILE_MAX, &f, &n);
		if (rc == GU_OK)
			rc = district_read(f, n, &dk, h, &sealed, NULL,
			    print_line, NULL, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "%s", status_str(rc));
		free(f);
		if (rc != GU_OK) {
			fprintf(stderr, "%s: REFUSED: %s\n", argv[i], why);
			bad = 1;
		} else
			fprintf(stderr, "%s: ok, %s format %d, %u records\n",
			    argv[i], sealed ? "sealed," : "plain", h->version,
			    h->n_records);
	}
out:
	if (dk.kr != NULL)
		keyring_free(&kr);
	free(h);
	seal_secret_wipe(dk.k, (size_t) argc);
	free(dk.k);
	return bad;
}

/* The commands: a name and its function, given argv from the name on. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
    {"keygen", cmd_keygen},
    {"open", cmd_open},
    {"ingest", cmd_ingest},
    {"report", cmd_report},
    {"ack", cmd_ack},
    {"pack", cmd_pack},
};

int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	return usage();
}
