/*
 * childfile.c: 一人一档 as PDF (childfile.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "childfile.h"
#include "ledger.h"
#include "pdf.h"
#include "status.h"

static const char *const mood_zh[] = {
    "", "1 很难过", "2 难过", "3 一般", "4 开心", "5 很开心"};
static const char *const level_zh[] = {"", "差", "一般", "好"};

struct seqs {
	uint64_t *v;
	size_t n, cap;
	int rc;
};

static int
seq_add(void *arg, const struct record *r, uint64_t voided_by)
{
	struct seqs *s = arg;

	(void) voided_by;
	if (r->kind == REC_VOID || r->kind == REC_FILE_VIEW)
		return 0; /* shown on the record they cancel; the audit */
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *n = realloc(s->v, cap * sizeof(*n));

		if (n == 0)
			return (s->rc = GU_ENOMEM);
		s->v = n;
		s->cap = cap;
	}
	s->v[s->n++] = r->seq;
	return 0;
}

static void
staff_name(struct store *s, const char *id, char *out, size_t cap)
{
	struct staff st;

	if (id && store_staff_get(s, id, &st) == GU_OK)
		snprintf(out, cap, "%s", st.name);
	else
		snprintf(out, cap, "%s", id ? id : "");
}

static void
day_str(uint32_t day, char *out, size_t cap)
{
	snprintf(out, cap, "%04u-%02u-%02u", day / 10000, day / 100 % 100,
	    day % 100);
}

/* Appends "label：words" for a SET field to buf, '；'-separated. */
static void
add_set(char *buf, size_t cap, const char *label, const struct record *r, int f)
{
	char tmp[REC_TEXT_MAX * 2];
	size_t used = strlen(buf);
	const char *v = rec_str(r, f);
	int k;

	if (v == 0 || *v == '\0')
		return;
	ledger_labels(f, v, tmp, sizeof(tmp));
	k = snprintf(
	    buf + used, cap - used, "%s%s：%s", used ? "；" : "", label, tmp);
	if (k < 0 || (size_t) k >= cap - used)
		buf[used] = '\0'; /* all of it or none: no half character */
}

static void
add_str(char *buf, size_t cap, const char *label, const char *v)
{
	size_t used = strlen(buf);

	int k;

	if (v == 0 || *v == '\0')
		return;
	k = snprintf(
	    buf + used, cap - used, "%s%s：%s", used ? "；" : "", label, v);
	if (k < 0 || (size_t) k >= cap - used)
		buf[used] = '\0'; /* all of it or none: no half character */
}

/*
 * Each kind's title and lines in the timeline, a row by kind; any other
 * kind is titled by its name.
 */
typedef const char *(*entry_fn)(
    struct store *s, const struct record *r, char *body, size_t blen);

static const char *
e_attendance(struct store *s, const struct record *r, char *body, size_t blen)
{
	struct record x;
	const char *what;

	what = "安全讲座签到";
	if (store_get(s, (uint64_t) rec_int(r, F_LECTURE, 0), &x) == GU_OK) {
		add_str(body, blen, "主题",
		    ledger_label(F_TOPIC, rec_str(&x, F_TOPIC)));
		add_str(body, blen, "主讲人", rec_str(&x, F_LECTURER));
	}
	add_str(
	    body, blen, "方式", ledger_label(F_METHOD, rec_str(r, F_METHOD)));
	return what;
}

static const char *
e_checkin(struct store *s, const struct record *r, char *body, size_t blen)
{
	(void) s;
	int64_t n;
	const char *what;

	what = "导师帮扶";
	add_str(body, blen, "方式", ledger_label(F_TYPE, rec_str(r, F_TYPE)));
	n = rec_int(r, F_MOOD, 0);
	add_str(body, blen, "情绪", n >= 1 && n <= 5 ? mood_zh[n] : "");
	add_set(body, blen, "发现", r, F_CONCERNS);
	add_set(body, blen, "备注", r, F_NOTES);
	return what;
}

static const char *
e_visit(struct store *s, const struct record *r, char *body, size_t blen)
{
	(void) s;
	int64_t n;
	const char *what;

	what = "家访";
	add_str(body, blen, "见到", ledger_label(F_MET, rec_str(r, F_MET)));
	add_str(body, blen, "监护落实",
	    rec_int(r, F_GUARDIANSHIP, 0) ? "是" : "否");
	add_set(body, blen, "安全隐患", r, F_HAZARDS);
	n = rec_int(r, F_STUDY, 0);
	add_str(body, blen, "学习", n >= 1 && n <= 3 ? level_zh[n] : "");
	n = rec_int(r, F_HEALTH, 0);
	add_str(body, blen, "健康", n >= 1 && n <= 3 ? level_zh[n] : "");
	n = rec_int(r, F_MOOD, 0);
	add_str(body, blen, "情绪", n >= 1 && n <= 5 ? mood_zh[n] : "");
	add_set(body, blen, "发现问题", r, F_PROBLEMS);
	add_set(body, blen, "措施", r, F_ACTIONS);
	add_str(body, blen, "下次走访", rec_str(r, F_NEXT_VISIT));
	add_set(body, blen, "备注", r, F_NOTES);
	return what;
}

static const char *
e_student_log(struct store *s, const struct record *r, char *body, size_t blen)
{
	char tmp[256];
	int64_t n;
	const char *what;

	what = "学生自述辅导";
	staff_name(s, rec_str(r, F_MENTOR), tmp, sizeof(tmp));
	add_str(body, blen, "导师", tmp);
	add_set(body, blen, "谈到", r, F_TOPICS);
	n = rec_int(r, F_FEELING, 0);
	add_str(body, blen, "感受", n >= 1 && n <= 5 ? mood_zh[n] : "");
	return what;
}

static const char *
e_concern(struct store *s, const struct record *r, char *body, size_t blen)
{
	(void) s;
	const char *what;

	what = (r->flags & REC_FLAG_URGENT) ? "强制报告（紧急）" : "关注";
	add_set(body, blen, "情况", r, F_CONCERNS);
	add_set(body, blen, "备注", r, F_NOTES);
	return what;
}

static const char *
e_followup(struct store *s, const struct record *r, char *body, size_t blen)
{
	char tmp[256];
	struct record x;
	const char *what;

	what = "跟进";
	if (store_get(s, (uint64_t) rec_int(r, F_CONCERN, 0), &x) == GU_OK) {
		char cd[16];

		day_str(store_day_of(x.time_ms, x.tz_min), cd, sizeof(cd));
		snprintf(tmp, sizeof(tmp), "%s 的关注（记录 %llu）", cd,
		    (unsigned long long) x.seq);
		add_str(body, blen, "关于", tmp);
	}
	add_set(body, blen, "已做", r, F_DONE);
	add_str(
	    body, blen, "结果", rec_int(r, F_CLOSES, 0) ? "结案" : "继续跟进");
	add_set(body, blen, "备注", r, F_NOTES);
	return what;
}

/* The district's acknowledgement of an urgent concern (docs/district.md). */
static const char *
e_ack(struct store *s, const struct record *r, char *body, size_t blen)
{
	const char *o = rec_str(r, F_OUTCOME);

	(void) s;
	add_str(body, blen, "受理日期", rec_str(r, F_ACK_AT));
	add_str(body, blen, "结果", o ? ledger_label(F_OUTCOME, o) : "");
	add_str(body, blen, "受理人", rec_str(r, F_ACK_BY));
	add_str(body, blen, "说明", rec_str(r, F_ACK_NOTE));
	return "区教体局已受理";
}

static const char *
e_plan(struct store *s, const struct record *r, char *body, size_t blen)
{
	char who[64];

	add_set(body, blen, "帮扶目标", r, F_GOALS);
	add_set(body, blen, "帮扶措施", r, F_MEASURES);
	staff_name(s, rec_str(r, F_RESPONSIBLE), who, sizeof(who));
	add_str(body, blen, "责任人", who);
	add_str(body, blen, "复查日期", rec_str(r, F_REVIEW));
	add_str(body, blen, "备注", rec_str(r, F_PLAN_NOTE));
	return "帮扶计划";
}

static const entry_fn entry_fns[REC_KIND_MAX] = {
    [REC_ATTENDANCE] = e_attendance,
    [REC_CHECKIN] = e_checkin,
    [REC_VISIT] = e_visit,
    [REC_STUDENT_LOG] = e_student_log,
    [REC_CONCERN] = e_concern,
    [REC_FOLLOWUP] = e_followup,
    [REC_ACK] = e_ack,
    [REC_PLAN] = e_plan,
};

/* One timeline entry. */
static void
entry(struct store *s, struct pdf *p, const struct record *r)
{
	char head[512], body[4096] = "", who[64], tmp[256], d[16];
	const char *what = "";
	uint32_t day = store_day_of(r->time_ms, r->tz_min);
	uint64_t voided = store_voided_by(s, r->seq);
	struct record x;

	if (rec_date_ok(rec_str(r, F_DATE) ? rec_str(r, F_DATE) : ""))
		snprintf(d, sizeof(d), "%s", rec_str(r, F_DATE));
	else
		day_str(day, d, sizeof(d));
	if (r->flags & REC_FLAG_BY_STUDENT)
		snprintf(who, sizeof(who), "学生本人");
	else if (r->kind == REC_ACK) /* the daemon wrote the district's word */
		snprintf(who, sizeof(who), "区教体局");
	else
		staff_name(s, r->author, who, sizeof(who));
	what = r->kind > REC_NONE && r->kind < REC_KIND_MAX &&
	        entry_fns[r->kind] != NULL
	    ? entry_fns[r->kind](s, r, body, sizeof(body))
	    : rec_kind_name(r->kind);
	snprintf(head, sizeof(head), "%s　%s　记录人：%s%s", d, what, who,
	    voided ? "　【已作废】" : "");
	pdf_text(p, PDF_ENTRY, head);
	if (voided && store_get(s, voided, &x) == GU_OK) {
		char vd[16], vw[64];
		const char *why = rec_str(&x, F_REASON);

		day_str(store_day_of(x.time_ms, x.tz_min), vd, sizeof(vd));
		staff_name(s, x.author, vw, sizeof(vw));
		snprintf(tmp, sizeof(tmp), "%s（%s，%s）",
		    why ? ledger_label(F_REASON, why) : "", vw, vd);
		add_str(body, sizeof(body), "作废原因", tmp);
	}
	if (body[0])
		pdf_text(p, PDF_BODY, body);
	pdf_space(p, 3);
}

static int
one_child(struct store *s, struct pdf *p, const struct store_info *info,
    const char *id, const char *made_s)
{
	struct child_summary sum;
	struct seqs sq = {0, 0, 0, GU_OK};
	char buf[512], mentor[64];
	const struct child *c = &sum.child;
	int rc;

	rc = store_child_summary(s, id, &sum);
	if (rc != GU_OK)
		return rc;
	pdf_new_document_part(p);
	snprintf(buf, sizeof(buf),
	    "%s · 一人一档 · %s · 第 %%d 页　　含儿童个人信息，请妥善保管",
	    info->school_name, c->name);
	pdf_footer(p, buf);
	snprintf(buf, sizeof(buf), "一人一档　%s", c->name);
	pdf_text(p, PDF_TITLE, buf);
	snprintf(buf, sizeof(buf), "%s（%s）　制表日期：%s　设备：%s",
	    info->school_name, info->school_id, made_s, info->device);
	pdf_text(p, PDF_NOTE, buf);
	pdf_rule(p);
	pdf_text(p, PDF_HEADING, "基本信息");
	pdf_field(p, "学籍号", c->id);
	pdf_field(p, "姓名", c->name);
	pdf_field(p, "性别",
	    strcmp(c->sex, "M") == 0       ? "男"
	        : strcmp(c->sex, "F") == 0 ? "女"
	                                   : c->sex);
	pdf_field(p, "出生日期", c->birth);
	snprintf(buf, sizeof(buf), "%s　%s", c->grade, c->class_name);
	pdf_field(p, "年级班级", buf);
	snprintf(buf, sizeof(buf), "%s%s%s",
	    c->categories & CAT_LEFT_BEHIND ? "留守儿童" : "",
	    (c->categories & CAT_LEFT_BEHIND) &&
	            (c->categories & CAT_IN_DIFFICULTY)
	        ? "、"
	        : "",
	    c->categories & CAT_IN_DIFFICULTY ? "困境儿童" : "");
	pdf_field(p, "类别", buf[0] ? buf : "无");
	snprintf(buf, sizeof(buf), "%s%s%s%s", c->guardian,
	    c->guardian_relation[0] ? "（" : "", c->guardian_relation,
	    c->guardian_relation[0] ? "）" : "");
	pdf_field(p, "监护人", buf);
	pdf_field(p, "联系电话", c->guardian_phone);
	pdf_field(p, "家庭住址", c->address);
	if (c->mentor_id[0]) {
		staff_name(s, c->mentor_id, mentor, sizeof(mentor));
		snprintf(buf, sizeof(buf), "%s（%s）", mentor, c->mentor_id);
	} else {
		snprintf(buf, sizeof(buf), "未结对");
	}
	pdf_field(p, "成长导师", buf);
	if (!c->active)
		pdf_field(p, "在册", "已不在最新名单中");
	pdf_space(p, 4);
	pdf_text(p, PDF_HEADING, "概况");
	{
		char a[16] = "无", b[16] = "无";

		if (sum.last_contact_ms)
			day_str(store_day_of(sum.last_contact_ms, 480), a,
			    sizeof(a));
		if (sum.last_visit_ms)
			day_str(
			    store_day_of(sum.last_visit_ms, 480), b, sizeof(b));
		snprintf(buf, sizeof(buf),
		    "最近帮扶：%s　最近走访：%s　未结关注：%u（其中强制报告 "
		    "%u）",
		    a, b, sum.open_concerns, sum.open_urgent);
		pdf_text(p, PDF_BODY, buf);
	}
	pdf_space(p, 4);
	pdf_text(p, PDF_HEADING, "成长记录（按时间先后）");
	rc = store_child_file(s, id, 0, seq_add, &sq);
	if (rc == GU_OK)
		rc = sq.rc;
	if (rc == GU_OK && sq.n == 0)
		pdf_text(p, PDF_BODY, "暂无记录。");
	for (size_t i = sq.n; rc == GU_OK && i-- > 0;) {
		struct record r;

		rc = store_get(s, sq.v[i], &r);
		if (rc == GU_OK)
			entry(s, p, &r);
	}
	snprintf(buf, sizeof(buf), "共 %zu 条记录。", sq.n);
	if (rc == GU_OK)
		pdf_text(p, PDF_NOTE, buf);
	free(sq.v);
	return rc;
}

int
childfile_write(struct store *s, const char *const *ids, size_t n,
    const char *by, const char *fonts_dir, uint32_t made, int64_t now_ms,
    int tz_min, const char *path, int *pages, char *why, size_t why_len,
    void (*progress)(void *arg, size_t done, size_t n), void *arg)
{
	struct store_info info;
	struct pdf *p = 0;
	struct record *audit = 0;
	char part[1100], made_s[16], title[256];
	int64_t created;
	size_t bad = 0;
	int rc;

	*pages = 0;
	rc = store_info(s, &info);
	if (rc != GU_OK) {
		snprintf(why, why_len, "reading the store: %s", status_str(rc));
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		struct child c;

		if (store_child_get(s, ids[i], &c) != GU_OK) {
			snprintf(why, why_len, "no child '%s' in the roster",
			    ids[i]);
			return GU_ENOTFOUND;
		}
	}
	snprintf(part, sizeof(part), "%s.part", path);
	day_str(made, made_s, sizeof(made_s));
	snprintf(title, sizeof(title), "%s 一人一档", info.school_name);
	/* 12:00 China time on the day made: the same day, the same file. */
	{
		struct tm tm;

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = (int) (made / 10000) - 1900;
		tm.tm_mon = (int) (made / 100 % 100) - 1;
		tm.tm_mday = (int) (made % 100);
		tm.tm_hour = 4; /* 12:00 at UTC+8 */
		created = (int64_t) timegm(&tm);
	}
	rc = pdf_open(&p, part, fonts_dir, title, created, why, why_len);
	if (rc != GU_OK) {
		unlink(part);
		return rc;
	}
	if (progress)
		progress(arg, 0, n);
	for (size_t i = 0; rc == GU_OK && i < n; i++) {
		rc = one_child(s, p, &info, ids[i], made_s);
		if (rc == GU_OK && progress)
			progress(arg, i + 1, n);
	}
	*pages = pdf_pages(p);
	if (rc != GU_OK) {
		snprintf(why, why_len, "reading the store: %s", status_str(rc));
		pdf_close(p, 0, 0);
		unlink(part);
		return rc;
	}
	if (pdf_close(p, why, why_len) != GU_OK) {
		unlink(part);
		return GU_EIO;
	}
	rc = ledger_commit_file(part, path, why, why_len);
	if (rc != GU_OK)
		return rc;
	audit = calloc(n ? n : 1, sizeof(*audit));
	if (audit == 0)
		return GU_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		rec_init(&audit[i], REC_FILE_VIEW);
		audit[i].time_ms = now_ms;
		audit[i].tz_min = (int16_t) tz_min;
		snprintf(audit[i].author, sizeof(audit[i].author), "%s", by);
		rec_set_str(&audit[i], F_CHILD, ids[i]);
	}
	rc = n ? store_append_n(s, audit, n, &bad, why, why_len) : GU_OK;
	free(audit);
	return rc;
}
