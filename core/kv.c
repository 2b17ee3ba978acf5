/*
 * kv.c: the key = value line reader (grammar in kv.h).  It owns the
 * splitting of a text into lines, the trimming, comments, the line limit
 * and the "name:line:" of every message; what a key means is the
 * caller's, through its callback.
 *
 * Each line is copied into one buffer of max_line + 1 bytes, allocated
 * once per call, so a callback may cut its line up in place and nothing
 * it is handed outlives the call.
 */
#include "kv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

static void
report(
    kv_err_fn err, void *arg, const char *name, unsigned line, const char *msg)
{
	if (err != NULL)
		err(arg, name, line, msg);
}

/*
 * Handles one line (NUL-terminated in buf, no line end).  Returns GU_OK
 * or the status of its problem, reported.
 */
static int
one_line(const char *name, unsigned lineno, char *buf, const struct kv_opts *o,
    kv_line_fn fn, void *arg, kv_err_fn err, void *err_arg)
{
	const char *comments = o->comments != NULL ? o->comments : "#;";
	char why[KV_WHY_LEN], *p = buf, *e, *eq, *kend;
	struct kv_line l;
	int rc;

	while (is_blank(*p))
		p++;
	e = p + strlen(p);
	while (e > p && is_blank(e[-1]))
		*--e = '\0';
	if (*p == '\0' || strchr(comments, *p) != NULL)
		return GU_OK;
	l.line = lineno;
	l.key = NULL;
	l.value = p;
	if ((o->flags & KV_RAW) == 0 &&
	    !((o->flags & KV_SECTIONS) != 0 && *p == '[')) {
		eq = strchr(p, '=');
		if (eq == NULL) {
			snprintf(why, sizeof(why), "expected %s",
			    o->expect != NULL ? o->expect : "key = value");
			report(err, err_arg, name, lineno, why);
			return GU_EINVAL;
		}
		for (kend = eq; kend > p && is_blank(kend[-1]); kend--)
			;
		*kend = '\0';
		if (kend == p) {
			report(err, err_arg, name, lineno, "empty key");
			return GU_EINVAL;
		}
		for (eq++; is_blank(*eq); eq++)
			;
		if ((o->flags & KV_QUOTES) != 0 && *eq == '"') {
			if (e - eq < 2 || e[-1] != '"') {
				report(err, err_arg, name, lineno,
				    "unterminated quote");
				return GU_EINVAL;
			}
			eq++;
			e[-1] = '\0';
		}
		l.key = p;
		l.value = eq;
	}
	why[0] = '\0';
	rc = fn(arg, &l, why, sizeof(why));
	if (rc != GU_OK)
		report(err, err_arg, name, lineno,
		    why[0] != '\0' ? why : status_str(rc));
	return rc;
}

int
kv_parse_buf(const char *name, const char *text, size_t len,
    const struct kv_opts *opts, kv_line_fn fn, void *arg, kv_err_fn err,
    void *err_arg)
{
	static const struct kv_opts defaults = {0, NULL, NULL, 0, 0};
	const struct kv_opts *o = opts != NULL ? opts : &defaults;
	size_t max = o->max_line != 0 ? o->max_line : KV_LINE_MAX;
	size_t pos = 0, l;
	unsigned lineno = 0;
	char why[64], *buf;
	int rc, first = GU_OK;

	buf = malloc(max + 1);
	if (buf == NULL) {
		report(err, err_arg, name, 0, "out of memory");
		return GU_ENOMEM;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		l = nl != NULL ? (size_t) (nl - (text + pos)) : len - pos;
		lineno++;
		rc = GU_OK;
		if (l > max) {
			snprintf(why, sizeof(why),
			    "line too long (more than %zu bytes)", max);
			report(err, err_arg, name, lineno, why);
			rc = GU_EINVAL;
		} else if (memchr(text + pos, '\0', l) != NULL) {
			report(err, err_arg, name, lineno, "NUL byte");
			rc = GU_EINVAL;
		} else {
			memcpy(buf, text + pos, l);
			buf[l] = '\0';
			rc = one_line(
			    name, lineno, buf, o, fn, arg, err, err_arg);
		}
		pos += l + 1;
		if (rc != GU_OK && first == GU_OK)
			first = rc;
		if (rc != GU_OK && !o->keep_going)
			break;
	}
	free(buf);
	return first;
}

/* Reads the whole file at path into a new buffer; reports with line 0. */
static int
read_all(
    const char *path, char **out, size_t *len, kv_err_fn err, void *err_arg)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap;
	ssize_t r;
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		report(err, err_arg, path, 0, strerror(errno));
		rc = GU_EIO;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		report(err, err_arg, path, 0, "not a regular file");
		rc = GU_EIO;
		goto out;
	}
	if ((unsigned long long) st.st_size > KV_FILE_MAX) {
		report(err, err_arg, path, 0, "file too big");
		rc = GU_ETOOBIG;
		goto out;
	}
	/* One byte more than fstat said, to see a file that grew. */
	cap = (size_t) st.st_size + 1;
	buf = malloc(cap);
	if (buf == NULL) {
		report(err, err_arg, path, 0, "out of memory");
		rc = GU_ENOMEM;
		goto out;
	}
	while (n < cap) {
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			report(err, err_arg, path, 0, strerror(errno));
			rc = GU_EIO;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t) r;
	}
	if (n == cap) {
		report(err, err_arg, path, 0, "file too big or growing");
		rc = GU_ETOOBIG;
		goto out;
	}
	*out = buf;
	*len = n;
	buf = NULL;
	rc = GU_OK;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
kv_parse_file(const char *path, const struct kv_opts *opts, kv_line_fn fn,
    void *arg, kv_err_fn err, void *err_arg)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = read_all(path, &text, &len, err, err_arg);
	if (rc != GU_OK)
		return rc;
	rc = kv_parse_buf(path, text, len, opts, fn, arg, err, err_arg);
	free(text);
	return rc;
}

void
kv_first_err(void *arg, const char *name, unsigned line, const char *msg)
{
	struct kv_first *f = arg;

	if (f->set || f->buf == NULL || f->len == 0)
		return;
	f->set = 1;
	if (line == 0)
		snprintf(f->buf, f->len, "%s: %s", name, msg);
	else
		snprintf(f->buf, f->len, "%s:%u: %s", name, line, msg);
}
