/*
 * cmd_helper.c: `guanai-sync ledger` and `guanai-sync file` run the
 * program guanai-ledger that lies next to guanai-sync.
 *
 * Why a second program: the ledgers need libxlsxwriter, cairo, pango and
 * fontconfig (with glib), and linking them into guanai-sync would load
 * them into the upload daemon too, about 5.5 MiB more resident memory in a
 * process whose target is 16 MiB (issue 5).  So guanai-sync keeps the two
 * rows of its command table and hands the arguments over unchanged; the
 * libraries are mapped only while a ledger or a file is being written.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

#define HELPER "guanai-ledger"

int
cmd_helper(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + sizeof(HELPER)];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash, **args;

	if (n <= 0) {
		fprintf(stderr, "guanai-sync %s: cannot find myself: %s\n",
		    argv[0], strerror(errno));
		return 1;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash == 0)
		return 1;
	slash[1] = '\0';
	snprintf(path, sizeof(path), "%s%s", self, HELPER);
	args = calloc((size_t) argc + 2, sizeof(*args));
	if (args == 0)
		return 1;
	args[0] = path;
	for (int i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	execv(path, args);
	fprintf(stderr,
	    "guanai-sync %s: %s: %s (it is installed beside "
	    "guanai-sync)\n",
	    argv[0], path, strerror(errno));
	free(args);
	return 1;
}
