/*
 * test_config.c: the config file grammar, its file:line errors, and the
 * command line winning over the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "status.h"

static int
parse(struct sync_config *c, const char *text, char *err, size_t cap)
{
	FILE *f = fmemopen(err, cap, "w");
	int rc;

	config_defaults(c);
	rc = config_parse(c, "t.conf", text, strlen(text), f);
	fclose(f);
	return rc;
}

static void
test_good(void **st)
{
	struct sync_config c;
	char err[512] = "";

	(void) st;
	assert_int_equal(
	    parse(&c,
	        "# district\n[server]\nurl = https://d.example/up\n"
	        "token=\"a b\"  \n; comment\n[daemon]\n"
	        "batch_records = 500\ngather_ms=0\n",
	        err, sizeof(err)),
	    GU_OK);
	assert_string_equal(c.tr.url, "https://d.example/up");
	assert_string_equal(c.tr.token, "a b");
	assert_int_equal(c.batch_records, 500);
	assert_int_equal(c.gather_ms, 0);
	assert_int_equal(c.timer_s, 900);
}

static void
test_errors_with_lines(void **st)
{
	struct sync_config c;
	char err[1024] = "";

	(void) st;
	assert_int_equal(parse(&c,
	                     "url = http://x\nnope = 1\nbatch_records = ten\n"
	                     "url = http://y\njunk line\n[Bad]\n",
	                     err, sizeof(err)),
	    GU_EINVAL);
	assert_non_null(strstr(err, "t.conf:2: unknown key 'nope'"));
	assert_non_null(strstr(err, "t.conf:3: batch_records"));
	assert_non_null(strstr(err, "t.conf:4: url given twice"));
	assert_non_null(strstr(err, "t.conf:5: expected key = value"));
	assert_non_null(strstr(err, "t.conf:6: bad section name"));
}

static void
test_command_line_wins(void **st)
{
	struct sync_config c;
	char path[] = "/tmp/gu-test-config-XXXXXX";
	char *argv[] = {"once", "--config", path, "--url", "http://cli",
	    "--batch-records=7", "extra", NULL};
	int fd = mkstemp(path), n, check;
	const char *text = "url = http://file\nbatch_records = 99\n"
	                   "timer_s = 5\n";
	char why[100];

	(void) st;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (int) strlen(text));
	close(fd);
	config_defaults(&c);
	assert_int_equal(config_args(&c, 7, argv, &n, &check, stderr), GU_OK);
	unlink(path);
	assert_string_equal(c.tr.url, "http://cli");
	assert_int_equal(c.batch_records, 7);
	assert_int_equal(c.timer_s, 5);
	assert_int_equal(n, 1);
	assert_string_equal(argv[1], "extra");
	assert_int_equal(check, 0);
	/* plain http:// only when the config says so (issue 10) */
	assert_int_equal(config_check(&c, why, sizeof(why)), GU_EINVAL);
	assert_non_null(strstr(why, "allow_http"));
	assert_int_equal(
	    config_set(&c, "allow_http", "yes", why, sizeof(why)), GU_OK);
	assert_int_equal(config_check(&c, why, sizeof(why)), GU_OK);
	assert_int_equal(
	    config_set(&c, "allow_http", "maybe", why, sizeof(why)), GU_EINVAL);
	snprintf(c.tr.url, sizeof(c.tr.url), "ftp://x");
	assert_int_equal(config_check(&c, why, sizeof(why)), GU_EINVAL);
}

/* A token never goes over plain http, allow_http or not. */
static void
test_token_over_http(void **st)
{
	struct sync_config c;
	char why[200];

	(void) st;
	config_defaults(&c);
	assert_int_equal(parse(&c,
	                     "url = http://d.example/up\nallow_http = yes\n"
	                     "token = secret\n",
	                     why, sizeof(why)),
	    GU_OK);
	assert_int_equal(config_check(&c, why, sizeof(why)), GU_EINVAL);
	assert_non_null(strstr(why, "token"));
	snprintf(c.tr.url, sizeof(c.tr.url), "https://d.example/up");
	assert_int_equal(config_check(&c, why, sizeof(why)), GU_OK);
}

/* The network update's keys: defaults, each checked with file:line, and
 * update_url under the same http and token rules as url. */
static void
test_update_keys(void **st)
{
	struct sync_config c;
	char err[1024] = "";

	(void) st;
	assert_int_equal(
	    parse(&c, "url = https://d.example/up\n", err, sizeof(err)), GU_OK);
	assert_string_equal(c.update_url, "");
	assert_string_equal(c.update_hours, "02-05");
	assert_string_equal(c.update_rauc, "/usr/bin/rauc");
	assert_string_equal(c.update_rauc_conf, "/etc/rauc/system.conf");
	assert_string_equal(c.update_version_file, "/usr/share/guanai/version");
	assert_int_equal(c.update_max_bytes, 419430400);
	assert_int_equal(parse(&c,
	                     "url = https://d.example/up\n"
	                     "update_url = https://d.example/updates\n"
	                     "update_hours = 22-04\nupdate_max_bytes = 1000\n"
	                     "update_rauc = /opt/rauc\n",
	                     err, sizeof(err)),
	    GU_OK);
	assert_string_equal(c.update_hours, "22-04");
	assert_int_equal(c.update_max_bytes, 1000);
	assert_int_equal(parse(&c,
	                     "update_url = ftp://d.example/u\n"
	                     "update_hours = 2-5\nupdate_hours = off\n"
	                     "update_rauc = rauc\nupdate_max_bytes = 0\n"
	                     "update_rauc_conf = system.conf\n"
	                     "update_version_file = \n",
	                     err, sizeof(err)),
	    GU_EINVAL);
	assert_non_null(strstr(err,
	    "t.conf:1: update_url: 'ftp://d.example/u' must start with "
	    "https:// or http://"));
	assert_non_null(strstr(err,
	    "t.conf:2: update_hours: '2-5' is not "
	    "HH-HH"));
	assert_non_null(strstr(err,
	    "t.conf:4: update_rauc: 'rauc' is not an "
	    "absolute path"));
	assert_non_null(strstr(err, "t.conf:5: update_max_bytes"));
	assert_non_null(strstr(err, "t.conf:6: update_rauc_conf"));
	assert_non_null(strstr(err, "t.conf:7: update_version_file"));
	/* The second update_hours is taken: only the first line is bad. */
	assert_null(strstr(err, "t.conf:3:"));
	assert_int_equal(parse(&c,
	                     "url = https://d.example/up\n"
	                     "update_url = http://d.example/u\n",
	                     err, sizeof(err)),
	    GU_OK);
	assert_int_equal(config_check(&c, err, sizeof(err)), GU_EINVAL);
	assert_non_null(strstr(err, "update_url: plain http:// is refused"));
	c.tr.allow_http = 1;
	assert_int_equal(config_check(&c, err, sizeof(err)), GU_OK);
	snprintf(c.tr.token, sizeof(c.tr.token), "secret");
	assert_int_equal(config_check(&c, err, sizeof(err)), GU_EINVAL);
	assert_non_null(strstr(err, "update_url: a token is never sent"));
}

/* A token in a file others may read is read, with a warning. */
static void
test_token_file_mode(void **st)
{
	struct sync_config c;
	char path[] = "/tmp/gu-conf-XXXXXX", *msg = NULL;
	size_t mlen = 0;
	FILE *ef;
	int fd;

	(void) st;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "url = https://x/\ntoken = t\n", 27), 27);
	close(fd);
	assert_int_equal(chmod(path, 0644), 0);
	ef = open_memstream(&msg, &mlen);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, ef), GU_OK);
	fclose(ef);
	assert_non_null(strstr(msg, "warning: holds a token"));
	free(msg);
	msg = NULL;
	assert_int_equal(chmod(path, 0600), 0);
	ef = open_memstream(&msg, &mlen);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, ef), GU_OK);
	fclose(ef);
	assert_int_equal(mlen, 0);
	free(msg);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_errors_with_lines),
	    cmocka_unit_test(test_command_line_wins),
	    cmocka_unit_test(test_token_over_http),
	    cmocka_unit_test(test_token_file_mode),
	    cmocka_unit_test(test_update_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
