/*
 * strtab.h: the table of every string a user sees.
 *
 * assets/strings.zh.txt and assets/strings.en.txt, UTF-8, one entry a line:
 *
 *   line  = blank | '#' comment | key spaces? '=' spaces? text
 *   key   = [a-z0-9_.]+
 *   text  = the rest of the line; "\n" stands for a line break; {1} {2}
 *           {3} are filled by ui_fmt()
 *
 * Screens never hold literal text: they ask strtab_get(t, "home.title").
 * A key missing from the table gives the key itself (and is logged once at
 * load by strtab_check against the Chinese table), so a gap is visible
 * rather than a crash.
 */
#ifndef GU_STRTAB_H
#define GU_STRTAB_H

#include <stddef.h>

#define STRTAB_MAX 1024
#define STRTAB_TEXT_MAX 65536

struct strtab_entry {
	const char *key;
	const char *text;
};

struct strtab {
	struct strtab_entry e[STRTAB_MAX];
	size_t n;
	char buf[STRTAB_TEXT_MAX];
	size_t used;
};

/*
 * Loads path into t (which need not be initialised).  GU_EIO if it cannot
 * be read, GU_EINVAL with "path:line: why" in err for a bad line or a
 * duplicate key, GU_ETOOBIG past the maxima.
 */
int strtab_load(struct strtab *t, const char *path, char *err, size_t len);

/* The text for key, or key itself when missing.  Valid as long as t. */
const char *strtab_get(const struct strtab *t, const char *key);

/* The text for key, or NULL when missing. */
const char *strtab_find(const struct strtab *t, const char *key);

#endif
