/*
 * rauc_line.c: reading what rauc 1.8 prints (rauc.h): `rauc info
 * --output-format=shell` for the bundle's version, compatible and
 * description, and `rauc install` for the bar (its "%3d%% STEP" lines),
 * its LastError and its last word; what its messages mean; comparing two
 * versions.  Pure: no system call, only the structs passed change, so the
 * fuzz target (fuzz/fuzz_rauc_line.c) and the unit test
 * (tests/test_rauc_line.c) drive it as the kiosk does.
 */
#include <string.h>

#include "buf.h"
#include "rauc.h"

int
rauc_progress_parse(const char *line, unsigned *pct, const char **step)
{
	unsigned v = 0;
	int i = 0, digits = 0;

	/* "%3d": spaces, then digits, exactly three columns. */
	while (i < 3 && line[i] == ' ')
		i++;
	if (i == 3)
		return 0;
	if (i < 2 && line[i] == '0')
		return 0; /* a leading zero: printf never writes one */
	for (; i < 3; i++) {
		if (line[i] < '0' || line[i] > '9')
			return 0;
		v = v * 10 + (unsigned) (line[i] - '0');
		digits++;
	}
	if (digits == 0 || v > 100 || line[3] != '%' || line[4] != ' ' ||
	    line[5] == '\0')
		return 0;
	*pct = v;
	*step = line + 5;
	return 1;
}

/*
 * Unquotes a g_shell_quote()d value at v ('...' pieces, \' between
 * them) into out (cap bytes), cut on a whole character.  0 when v is not
 * quoted so or has anything after the last quote.
 */
static int
unquote(const char *v, char *out, size_t cap)
{
	char tmp[UPDATE_LINE_MAX];
	size_t n = 0;

	while (*v != '\0') {
		if (v[0] == '\\' && v[1] == '\'') {
			if (n + 1 >= sizeof(tmp))
				return 0;
			tmp[n++] = '\'';
			v += 2;
			continue;
		}
		if (*v != '\'')
			return 0;
		v++;
		while (*v != '\'' && *v != '\0') {
			if (n + 1 >= sizeof(tmp))
				return 0;
			tmp[n++] = *v++;
		}
		if (*v != '\'')
			return 0; /* unterminated */
		v++;
	}
	(void) buf_utf8_cut(out, cap, tmp, n);
	return 1;
}

int
rauc_info_line(struct update_bundle *b, const char *line)
{
	static const struct {
		const char *key;
		size_t off, len;
	} keys[] = {
	    {"RAUC_MF_VERSION=", offsetof(struct update_bundle, version),
	        sizeof(b->version)},
	    {"RAUC_MF_COMPATIBLE=", offsetof(struct update_bundle, compatible),
	        sizeof(b->compatible)},
	    {"RAUC_MF_DESCRIPTION=",
	        offsetof(struct update_bundle, description),
	        sizeof(b->description)},
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t kl = strlen(keys[i].key);
		char val[sizeof(b->description)];

		if (strncmp(line, keys[i].key, kl) != 0)
			continue;
		if (!unquote(line + kl, val, keys[i].len))
			return 0;
		memcpy((char *) b + keys[i].off, val, strlen(val) + 1);
		return 1;
	}
	return 0;
}

enum update_why
rauc_why(const char *msg)
{
	/* A bundle signed by another CA, or not at all: "signature
	 * verification failed: Verify error: unable to get local issuer
	 * certificate", "... no signer ...". */
	if (strstr(msg, "signature verification failed") != NULL ||
	    strstr(msg, "Verify error") != NULL ||
	    strstr(msg, "self-signed certificate") != NULL ||
	    strstr(msg, "not signed") != NULL)
		return UPDATE_WHY_SIGNATURE;
	if (strstr(msg, "ompatible mismatch") != NULL)
		return UPDATE_WHY_COMPATIBLE;
	/* Truncated or changed: "Invalid bundle format: Signature size is
	 * 0", "... exceeds bundle size", "... no valid CMS", verity and
	 * squashfs errors. */
	if (strstr(msg, "Invalid bundle format") != NULL ||
	    strstr(msg, "Signature size") != NULL ||
	    strstr(msg, "valid CMS") != NULL || strstr(msg, "verity") != NULL ||
	    strstr(msg, "squashfs") != NULL ||
	    strstr(msg, "Failed to load bundle") != NULL ||
	    strstr(msg, "hash") != NULL || strstr(msg, "truncated") != NULL)
		return UPDATE_WHY_DAMAGED;
	return UPDATE_WHY_FAILED;
}

/* The next part of a version at *p (up to a dot or the end). */
static size_t
part(const char **p, const char **start)
{
	size_t n = 0;

	*start = *p;
	while ((*p)[n] != '\0' && (*p)[n] != '.')
		n++;
	*p += n + ((*p)[n] == '.');
	return n;
}

static int
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

int
update_version_cmp(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		const char *pa, *pb;
		size_t na = part(&a, &pa), nb = part(&b, &pb);
		int c;

		if (all_digits(pa, na) && all_digits(pb, nb)) {
			/* Numbers: leading zeros aside, the longer is
			 * larger, else the first different digit. */
			while (na > 1 && *pa == '0')
				pa++, na--;
			while (nb > 1 && *pb == '0')
				pb++, nb--;
			if (na != nb)
				return na < nb ? -1 : 1;
			c = memcmp(pa, pb, na);
		} else {
			c = memcmp(pa, pb, na < nb ? na : nb);
			if (c == 0 && na != nb)
				c = na < nb ? -1 : 1;
		}
		if (c != 0)
			return c < 0 ? -1 : 1;
	}
	return 0;
}

/* "Installing `B` succeeded" (1), "... failed[: WHY]" (-1; why set to
 * the words after ": "), else 0. */
static int
last_word(const char *l, const char **why)
{
	const char *q;

	*why = NULL;
	if (strncmp(l, "Installing `", 12) != 0)
		return 0;
	q = strrchr(l + 12, '`');
	if (q == NULL)
		return 0;
	if (strcmp(q, "` succeeded") == 0)
		return 1;
	if (strncmp(q, "` failed", 8) != 0)
		return 0;
	if (q[8] == ':' && q[9] == ' ' && q[10] != '\0')
		*why = q + 10;
	else if (q[8] != '\0')
		return 0;
	return -1;
}

void
update_take_line(struct update_job *j, const char *l)
{
	char line[UPDATE_LINE_MAX];
	const char *step, *why;
	size_t n = strlen(l);
	unsigned pct;
	int w;

	if (n > 0 && l[n - 1] == '\r')
		n--;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, l, n);
	line[n] = '\0';
	if (rauc_progress_parse(line, &pct, &step)) {
		j->pct = pct;
		(void) buf_utf8_cut(
		    j->step, sizeof(j->step), step, strlen(step));
		return;
	}
	if (strncmp(line, "LastError: ", 11) == 0 && line[11] != '\0') {
		(void) buf_utf8_cut(j->msg, sizeof(j->msg), line + 11, n - 11);
		return;
	}
	w = last_word(line, &why);
	if (w == 0)
		return;
	j->result = w;
	if (why != NULL)
		(void) buf_utf8_cut(j->msg, sizeof(j->msg), why, strlen(why));
}

void
update_take(struct update_job *j, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			j->part[j->part_len] = '\0';
			update_take_line(j, j->part);
			j->part_len = 0;
		} else if (buf[i] != '\0' && j->part_len < sizeof(j->part) - 1)
			j->part[j->part_len++] = buf[i];
	}
}

void
update_take_end(struct update_job *j)
{
	if (j->part_len > 0) {
		j->part[j->part_len] = '\0';
		update_take_line(j, j->part);
		j->part_len = 0;
	}
}
