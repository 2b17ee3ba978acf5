/*
 * dconf.h: guanai-district ingest's configuration (docs/district.md,
 * "Configuration"): key = value lines through core/kv.h.
 */
#ifndef GU_DCONF_H
#define GU_DCONF_H

#include "http.h"

#define DCONF_STR 1024
#define DCONF_KEYS_MAX 16

struct dconf {
	char database[DCONF_STR];
	char source[DCONF_STR];
	char keyring[DCONF_STR];
	char secret_keys[DCONF_KEYS_MAX][DCONF_STR];
	int n_secret;
	long progress_s;
	/* ack: the folder (or URL) the terminals' roster_path is served from */
	char acks[DCONF_STR];
	/* ack: district-sign.secret; set, the ack files are signed (v2) */
	char sign_key[DCONF_STR];
	/* a source URL (S3, WebDAV): the transport's options (sync/http.h) */
	struct http_opts tr;
};

/* 1 if s is an http(s) URL, 0 if a folder. */
int dconf_url(const char *s);

/*
 * 1 if the source is a URL (an S3 bucket or a WebDAV collection), 0 if a
 * folder.
 */
int dconf_remote(const struct dconf *c);

/*
 * 1 if the source is an S3 bucket: a URL with aws_sigv4 set, as for the
 * terminal's transports (sync/transport.h); a URL without it is a
 * WebDAV collection.
 */
int dconf_s3(const struct dconf *c);

/*
 * Reads path into c; every problem to stderr as path:line: what.
 * GU_OK or GU_EINVAL (any problem), GU_EIO.
 */
int dconf_load(struct dconf *c, const char *path);

#endif
