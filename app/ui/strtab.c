/*
 * strtab.c: loads the user-visible strings table (format in strtab.h) into
 * a fixed buffer, sorted by key for binary search.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "status.h"
#include "strtab.h"

static int
cmp_entry(const void *a, const void *b)
{
	const struct strtab_entry *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static int
key_ok(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		        *k == '_' || *k == '.'))
			return 0;
	return 1;
}

/* Copies s into t->buf, turning "\n" into a newline. */
static const char *
save(struct strtab *t, const char *s)
{
	char *o = t->buf + t->used;
	size_t i = 0;

	for (; *s; s++) {
		if (t->used + i + 2 > STRTAB_TEXT_MAX)
			return NULL;
		if (s[0] == '\\' && s[1] == 'n') {
			o[i++] = '\n';
			s++;
		} else
			o[i++] = *s;
	}
	o[i++] = '\0';
	t->used += i;
	return o;
}

/* One key = text line of a strings table, for kv_parse_file(). */
static int
strtab_line(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct strtab *t = arg;

	if (!key_ok(l->key)) {
		snprintf(why, why_len, "bad key");
		return GU_EINVAL;
	}
	if (t->n >= STRTAB_MAX) {
		snprintf(why, why_len, "too many strings");
		return GU_ETOOBIG;
	}
	t->e[t->n].key = save(t, l->key);
	t->e[t->n].text = save(t, l->value);
	if (t->e[t->n].key == NULL || t->e[t->n].text == NULL) {
		snprintf(why, why_len, "strings too long");
		return GU_ETOOBIG;
	}
	t->n++;
	return GU_OK;
}

int
strtab_load(struct strtab *t, const char *path, char *err, size_t len)
{
	static const struct kv_opts opts = {2047, "#", "key = text", 0, 0};
	struct kv_first first = {err, len, 0};
	int rc;
	size_t i;

	t->n = 0;
	t->used = 0;
	rc = kv_parse_file(path, &opts, strtab_line, t, kv_first_err, &first);
	if (rc != GU_OK)
		goto out;
	qsort(t->e, t->n, sizeof(t->e[0]), cmp_entry);
	for (i = 1; i < t->n; i++)
		if (strcmp(t->e[i - 1].key, t->e[i].key) == 0) {
			snprintf(err, len, "%s: duplicate key %s", path,
			    t->e[i].key);
			rc = GU_EINVAL;
			goto out;
		}
out:
	if (rc != GU_OK)
		t->n = 0;
	return rc;
}

const char *
strtab_find(const struct strtab *t, const char *key)
{
	struct strtab_entry k = {key, NULL}, *e;

	e = bsearch(&k, t->e, t->n, sizeof(t->e[0]), cmp_entry);
	return e != NULL ? e->text : NULL;
}

const char *
strtab_get(const struct strtab *t, const char *key)
{
	const char *s = strtab_find(t, key);

	return s != NULL ? s : key;
}
