/*
 * ingest.c: guanai-district ingest (docs/district.md).
 */
#include <stdio.h>

#include "district.h"

int
cmd_ingest(int argc, char **argv)
{
	(void) argc;
	(void) argv;
	fprintf(stderr, "guanai-district ingest: not yet\n");
	return 2;
}
