/*
 * cli.c: helpers the guanai-sync subcommands share (cli.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "status.h"

#define DEFAULT_DATA "/var/lib/guanai"

const char *
cli_data_dir(const char *dir)
{
	const char *e;

	if (dir && *dir)
		return dir;
	e = getenv("GUANAI_DATA");
	return e && *e ? e : DEFAULT_DATA;
}

static struct store *
open_as(const char *cmd, const char *dir, int read_only)
{
	struct store_open_opts o = {.read_only = read_only};
	struct store *s = 0;
	char why[512];
	int rc = store_open_with(&s, dir, &o, why, sizeof(why));

	if (rc == GU_ENOTFOUND) {
		fprintf(stderr,
		    "guanai-sync %s: %s: no store here (create one with "
		    "`guanai-sync init`)\n",
		    cmd, dir);
		return 0;
	}
	if (rc != GU_OK) {
		fprintf(stderr, "guanai-sync %s: %s\n", cmd,
		    why[0] ? why : status_str(rc));
		return 0;
	}
	return s;
}

struct store *
cli_open(const char *cmd, const char *dir)
{
	return open_as(cmd, dir, 0);
}

struct store *
cli_open_ro(const char *cmd, const char *dir)
{
	return open_as(cmd, dir, 1);
}

int
cli_u64(const char *s, unsigned long long *out)
{
	char *end;

	if (s == 0 || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}
