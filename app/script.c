/*
 * script.c: parses touch scripts (grammar in script.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "script.h"
#include "status.h"

/* Reads n integers from p; returns the rest of the line or NULL. */
static const char *
ints(const char *p, int *v, int n)
{
	char *end;
	long x;
	int i;

	for (i = 0; i < n; i++) {
		errno = 0;
		x = strtol(p, &end, 10);
		if (errno != 0 || end == p || x < -100000 || x > 10000000)
			return NULL;
		v[i] = (int) x;
		p = end;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int
text_arg(const char *p, char *out)
{
	size_t n = strlen(p);

	if (n == 0 || n >= SCRIPT_TEXT)
		return GU_EINVAL;
	memcpy(out, p, n + 1);
	return GU_OK;
}

static int
parse_line(char *line, struct script_step *st)
{
	int v[5];
	const char *p, *rest;
	char *sp;

	sp = strchr(line, ' ');
	rest = "";
	if (sp != NULL) {
		*sp = '\0';
		for (rest = sp + 1; *rest == ' ' || *rest == '\t'; rest++)
			;
	}
	memset(v, 0, sizeof(v));
	if (strcmp(line, "wait") == 0) {
		st->op = SC_WAIT;
		if ((p = ints(rest, v, 1)) == NULL || *p || v[0] < 0)
			return GU_EINVAL;
		st->ms = v[0];
	} else if (strcmp(line, "tap") == 0 || strcmp(line, "down") == 0 ||
	    strcmp(line, "move") == 0 || strcmp(line, "up") == 0) {
		st->op = line[0] == 't' ? SC_TAP
		    : line[0] == 'd'    ? SC_DOWN
		    : line[0] == 'm'    ? SC_MOVE
		                        : SC_UP;
		if ((p = ints(rest, v, 2)) == NULL || *p)
			return GU_EINVAL;
		st->x = v[0];
		st->y = v[1];
	} else if (strcmp(line, "click") == 0 || strcmp(line, "tap-dup") == 0) {
		st->op = line[0] == 'c' ? SC_CLICK : SC_TAP_DUP;
		if ((p = ints(rest, v, 2)) == NULL || *p)
			return GU_EINVAL;
		st->x = v[0];
		st->y = v[1];
	} else if (strcmp(line, "drag") == 0) {
		st->op = SC_DRAG;
		if ((p = ints(rest, v, 5)) == NULL || *p || v[4] < 0)
			return GU_EINVAL;
		st->x = v[0];
		st->y = v[1];
		st->x2 = v[2];
		st->y2 = v[3];
		st->ms = v[4];
	} else if (strcmp(line, "tap-text") == 0) {
		st->op = SC_TAP_TEXT;
		st->nth = 1;
		return text_arg(rest, st->text);
	} else if (strcmp(line, "tap-nth") == 0) {
		st->op = SC_TAP_TEXT;
		if ((p = ints(rest, v, 1)) == NULL || v[0] < 1)
			return GU_EINVAL;
		st->nth = v[0];
		return text_arg(p, st->text);
	} else if (strcmp(line, "tap-after") == 0) {
		st->op = SC_TAP_TEXT;
		st->after = 1;
		if ((p = ints(rest, v, 1)) == NULL || v[0] < 1)
			return GU_EINVAL;
		st->nth = v[0];
		return text_arg(p, st->text);
	} else if (strcmp(line, "shot") == 0) {
		st->op = SC_SHOT;
		if (strchr(rest, '/') != NULL)
			return GU_EINVAL;
		return text_arg(rest, st->text);
	} else if (strcmp(line, "expect") == 0) {
		st->op = SC_EXPECT;
		return text_arg(rest, st->text);
	} else if (strcmp(line, "expect-not") == 0) {
		st->op = SC_EXPECT_NOT;
		return text_arg(rest, st->text);
	} else if (strcmp(line, "expect-part") == 0) {
		st->op = SC_EXPECT_PART;
		return text_arg(rest, st->text);
	} else if (strcmp(line, "live") == 0) {
		st->op = SC_LIVE;
	} else if (strcmp(line, "quit") == 0) {
		st->op = SC_QUIT;
	} else
		return GU_EINVAL;
	return GU_OK;
}

/* One step of a touch script, for kv_parse_file() (KV_RAW lines). */
static int
script_line(void *arg, const struct kv_line *l, char *why, size_t why_len)
{
	struct script *s = arg;
	int rc;

	if (s->n >= SCRIPT_MAX) {
		snprintf(why, why_len, "too many steps");
		return GU_ETOOBIG;
	}
	s->step[s->n].line = (int) l->line;
	rc = parse_line(l->value, &s->step[s->n]);
	if (rc != GU_OK) {
		snprintf(why, why_len, "bad step");
		return rc;
	}
	s->n++;
	return GU_OK;
}

int
script_load(struct script *s, const char *path, char *err, size_t len)
{
	static const struct kv_opts opts = {511, "#", NULL, KV_RAW, 0};
	struct kv_first first = {err, len, 0};
	int rc;

	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->step = calloc(SCRIPT_MAX, sizeof(*s->step));
	if (s->step == NULL) {
		rc = GU_ENOMEM;
		goto out;
	}
	rc = kv_parse_file(path, &opts, script_line, s, kv_first_err, &first);
out:
	if (rc != GU_OK)
		script_free(s);
	return rc;
}

void
script_free(struct script *s)
{
	free(s->step);
	s->step = NULL;
	s->n = 0;
}
