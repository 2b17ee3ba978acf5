/*
 * config.h: guanai-sync's configuration: an INI-style file and the same
 * keys on the command line, which win over the file.
 *
 * File grammar (docs/sync-config.md has the keys with their defaults):
 *
 *   file    = *line
 *   line    = ws ( comment / section / setting / "" ) ws EOL
 *   comment = ("#" / ";") *any
 *   section = "[" name "]"        ; grouping only, e.g. [server]
 *   setting = key ws "=" ws value ; value runs to the end of the line,
 *                                 ; trailing blanks dropped; a value in
 *                                 ; double quotes keeps its blanks
 *
 * Errors are reported as FILE:LINE: what is wrong, every one of them.  A
 * key given twice in the file is an error.  Lines are at most
 * CONFIG_LINE_MAX bytes.  Command line: --KEY VALUE or --KEY=VALUE, with
 * '_' in a key also written '-' (--batch-records 5000).
 */
#ifndef GU_CONFIG_H
#define GU_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"

#define CONFIG_STR_MAX HTTP_STR_MAX
#define CONFIG_LINE_MAX 1024
#define CONFIG_DEFAULT_PATH "/etc/guanai/sync.conf"

struct sync_config {
	char data[CONFIG_STR_MAX]; /* the store's folder */
	/*
	 * Where and how to upload (url, token, TLS, S3, timeouts,
	 * allow_http): handed to the transport as is (http.h).
	 */
	struct http_opts tr;
	char roster_path[CONFIG_STR_MAX]; /* under url; "" turns it off */
	/* the district's public key under url (seal.h); "" turns it off */
	char district_key_path[CONFIG_STR_MAX];
	/* the district's signing key for ack files (fetch.c) */
	char district_sign_path[CONFIG_STR_MAX];
	/* the district's acks, ROSTER_PATH/SCHOOL/ACK_FILE; "" turns it off */
	char ack_file[CONFIG_STR_MAX];
	long gather_ms; /* wait after a poke before uploading */
	long timer_s;   /* fallback wake-up */
	long backoff_min_s, backoff_max_s;
	long refused_min_s; /* a refusal or auth failure waits at least this */
	long batch_records;
	long batch_bytes; /* uncompressed bytes of one batch */
	long netwatch;    /* 1: wake on netlink events */
	/* network updates (netupdate.h); update_url "" turns them off */
	char update_url[CONFIG_STR_MAX];   /* the district's update folder */
	char update_hours[CONFIG_STR_MAX]; /* quiet hours "HH-HH" or "off" */
	char update_rauc[CONFIG_STR_MAX];  /* the rauc program */
	char update_rauc_conf[CONFIG_STR_MAX];      /* rauc's system.conf */
	char update_version_file[CONFIG_STR_MAX];   /* the running version */
	char update_reboot_request[CONFIG_STR_MAX]; /* the kiosk's too */
	long update_max_bytes; /* an index announcing more is refused */
};

/* Fills c with the defaults (data from $GUANAI_DATA if set). */
void config_defaults(struct sync_config *c);

/*
 * Sets key to value.  GU_EINVAL with why for an unknown key or a bad
 * value; c unchanged then.
 */
int config_set(struct sync_config *c, const char *key, const char *value,
    char *why, size_t why_len);

/*
 * Reads the file at path into c.  Every problem is written to err (a
 * stream, e.g. stderr) as path:line: what; returns GU_EINVAL if there was
 * any (c may then hold part of the file), GU_ENOTFOUND if the file cannot
 * be opened.  A file that holds a token and that group or others may read
 * gets a warning on err (path: warning: ...), and is still read.
 */
int config_load(struct sync_config *c, const char *path, void *err);

/* Parses config text already in memory (the fuzz target's door). */
int config_parse(struct sync_config *c, const char *name, const char *text,
    size_t len, void *err);

/*
 * Command line: reads --config FILE (or $GUANAI_SYNC_CONF, or the default
 * path if it exists) first, then every --KEY VALUE on top.  --check sets
 * *check.  argv[0] is the subcommand; the arguments that are not options
 * are moved to argv[1..*nops].
 * GU_EINVAL after printing the problem to err.
 */
int config_args(struct sync_config *c, int argc, char **argv, int *nops,
    int *check, void *err);

/*
 * Checks the whole: url and data present, numbers in range, a scheme a
 * transport serves, plain http:// only with allow_http = yes and never
 * with a token.
 */
int config_check(const struct sync_config *c, char *why, size_t why_len);

#endif
