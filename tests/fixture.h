/*
 * fixture.h: a small synthetic school for the tests (header-only, static
 * functions, so each test executable stays one file).  Names are invented.
 */
#ifndef GU_FIXTURE_H
#define GU_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "status.h"
#include "store.h"

#define FX_TIME 1772409600000LL /* 2026-03-02 00:00 UTC */

static inline void
fx_cpy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

/* A fresh temp dir; the caller removes it with fx_rmdir. */
static inline char *
fx_tmpdir(void)
{
	char tmpl[] = "/tmp/guanai-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : 0;
}

static inline void
fx_rmdir(char *dir)
{
	char cmd[512];

	if (dir == 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(dir);
}

/*
 * Two mentors (T001, T002), a teacher T003, a head T009; six children in
 * two classes, C001-C003 mentored by T001, C004-C005 by T002, C006 none.
 */
static inline int
fx_roster(struct store *s)
{
	static const char *names[] = {
	    "王小明", "李小红", "张伟", "刘芳", "陈静", "杨洋"};
	struct child c[6];
	struct staff st[4];
	char why[256];

	memset(c, 0, sizeof(c));
	memset(st, 0, sizeof(st));
	for (int i = 0; i < 6; i++) {
		snprintf(c[i].id, sizeof(c[i].id), "C%03d", i + 1);
		fx_cpy(c[i].name, sizeof(c[i].name), names[i]);
		fx_cpy(c[i].sex, sizeof(c[i].sex), i % 2 ? "F" : "M");
		fx_cpy(c[i].birth, sizeof(c[i].birth), "2015-05-01");
		fx_cpy(c[i].grade, sizeof(c[i].grade),
		    i < 3 ? "三年级" : "四年级");
		fx_cpy(c[i].class_name, sizeof(c[i].class_name),
		    i < 3 ? "三年级1班" : "四年级2班");
		c[i].categories = (unsigned) (i % 3);
		fx_cpy(c[i].guardian, sizeof(c[i].guardian), "王奶奶");
		fx_cpy(c[i].guardian_relation, sizeof(c[i].guardian_relation),
		    "祖母");
		fx_cpy(c[i].guardian_phone, sizeof(c[i].guardian_phone),
		    "13800000000");
		fx_cpy(c[i].mentor_id, sizeof(c[i].mentor_id),
		    i < 3       ? "T001"
		        : i < 5 ? "T002"
		                : "");
	}
	fx_cpy(st[0].id, sizeof(st[0].id), "T001");
	fx_cpy(st[0].name, sizeof(st[0].name), "赵老师");
	st[0].roles = ROLE_MENTOR | ROLE_TEACHER;
	fx_cpy(st[1].id, sizeof(st[1].id), "T002");
	fx_cpy(st[1].name, sizeof(st[1].name), "钱老师");
	st[1].roles = ROLE_MENTOR;
	fx_cpy(st[2].id, sizeof(st[2].id), "T003");
	fx_cpy(st[2].name, sizeof(st[2].name), "孙老师");
	st[2].roles = ROLE_TEACHER;
	fx_cpy(st[3].id, sizeof(st[3].id), "T009");
	fx_cpy(st[3].name, sizeof(st[3].name), "周校长");
	st[3].roles = ROLE_HEAD;
	for (int i = 0; i < 4; i++) {
		fx_cpy(st[i].pin_hash, sizeof(st[i].pin_hash), "unset");
		st[i].must_change_pin = 1;
	}
	return store_roster_replace(s, c, 6, st, 4, 0, 0, why, sizeof(why));
}

/* A new store with the fixture roster in a fresh temp dir. */
static inline struct store *
fx_store(char **dir, const struct store_limits *lim)
{
	struct store *s = 0;

	*dir = fx_tmpdir();
	if (*dir == 0)
		return 0;
	if (store_create(*dir, "S001", "云溪区示范小学", "kiosk-01", lim) !=
	    GU_OK)
		return 0;
	if (store_open(&s, *dir, lim) != GU_OK)
		return 0;
	if (fx_roster(s) != GU_OK) {
		store_close(s);
		return 0;
	}
	return s;
}

/* A check-in by T001 about child at t. */
static inline void
fx_checkin(struct record *r, const char *child, int64_t t)
{
	rec_init(r, REC_CHECKIN);
	r->time_ms = t;
	r->tz_min = 480;
	fx_cpy(r->author, sizeof(r->author), "T001");
	rec_set_str(r, F_CHILD, child);
	rec_set_str(r, F_TYPE, "talk");
	rec_set_int(r, F_MOOD, 4);
}

#endif
