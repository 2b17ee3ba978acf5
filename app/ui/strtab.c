/*
 * strtab.c: loads the user-visible strings table (format in strtab.h) into
 * a fixed buffer, sorted by key for binary search.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
strtab_load(struct strtab *t, const char *path, char *err, size_t len)
{
	char line[2048], *k, *v, *e;
	const char *why = NULL;
	FILE *f = NULL;
	int rc = GU_OK, lineno = 0;
	size_t l, i;

	t->n = 0;
	t->used = 0;
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		rc = GU_EIO;
		goto out;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		l = strlen(line);
		while (l > 0 &&
		    (line[l - 1] == '\n' || line[l - 1] == '\r' ||
		        line[l - 1] == ' ' || line[l - 1] == '\t'))
			line[--l] = '\0';
		for (k = line; *k == ' ' || *k == '\t'; k++)
			;
		if (*k == '\0' || *k == '#')
			continue;
		v = strchr(k, '=');
		if (v == NULL) {
			why = "expected key = text";
			rc = GU_EINVAL;
			goto bad;
		}
		for (e = v; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		for (v++; *v == ' ' || *v == '\t'; v++)
			;
		if (!key_ok(k)) {
			why = "bad key";
			rc = GU_EINVAL;
			goto bad;
		}
		if (t->n >= STRTAB_MAX) {
			why = "too many strings";
			rc = GU_ETOOBIG;
			goto bad;
		}
		t->e[t->n].key = save(t, k);
		t->e[t->n].text = save(t, v);
		if (t->e[t->n].key == NULL || t->e[t->n].text == NULL) {
			why = "strings too long";
			rc = GU_ETOOBIG;
			goto bad;
		}
		t->n++;
	}
	qsort(t->e, t->n, sizeof(t->e[0]), cmp_entry);
	for (i = 1; i < t->n; i++)
		if (strcmp(t->e[i - 1].key, t->e[i].key) == 0) {
			snprintf(err, len, "%s: duplicate key %s", path,
			    t->e[i].key);
			rc = GU_EINVAL;
			goto out;
		}
	goto out;
bad:
	snprintf(err, len, "%s:%d: %s", path, lineno, why);
out:
	if (f != NULL)
		fclose(f);
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
