/*
 * ledger.c: the ledgers (ledger.h): their table, the period, the district
 * templates, and the walks over the store that fill each sheet.
 *
 * Each ledger is a row of ledgers[]: names, its columns (struct lcol) and
 * its fill function.  A fill function walks the store through store.h,
 * builds each row as strings indexed by the ledger's own column enum, and
 * emit() writes them in the template's order through xlsx.h.  Memory does
 * not grow with the number of records: rows are streamed, the roster is
 * held once (its size is the school's, not the log's), and the concerns
 * sheet, which puts urgent ones first, walks the log twice rather than
 * sorting it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "calendar.h"
#include "care_rules.h"
#include "csv.h"
#include "ledger.h"
#include "status.h"
#include "tasks.h"
#include "xlsx.h"

/* ---- Labels of the schema's words ---- */

static const struct {
	int f;
	const char *word, *zh;
} labels[] = {
    {F_TOPIC, "drowning", "防溺水"},
    {F_TOPIC, "traffic", "交通安全"},
    {F_TOPIC, "fire", "消防安全"},
    {F_TOPIC, "food", "食品安全"},
    {F_TOPIC, "online", "文明上网"},
    {F_TOPIC, "drugs_aids", "禁毒防艾"},
    {F_TOPIC, "adolescence", "青春期自护"},
    {F_TOPIC, "emergency", "应急避险与自救互救"},
    {F_TOPIC, "law", "法治教育"},
    {F_TOPIC, "other", "其他"},
    {F_METHOD, "self", "学生签到"},
    {F_METHOD, "teacher", "教师登记"},
    {F_TYPE, "talk", "谈心谈话"},
    {F_TYPE, "study", "学业辅导"},
    {F_TYPE, "psych", "心理关爱"},
    {F_TYPE, "life", "生活帮扶"},
    {F_TYPE, "phone", "亲情电话"},
    {F_CONCERNS, "low_mood", "情绪低落"},
    {F_CONCERNS, "study", "学业困难"},
    {F_CONCERNS, "relations", "人际关系"},
    {F_CONCERNS, "family_change", "家庭变故"},
    {F_CONCERNS, "safety_hazard", "安全隐患"},
    {F_CONCERNS, "dropout_risk", "疑似辍学"},
    {F_CONCERNS, "harm", "疑似受侵害或面临危险"},
    {F_CONCERNS, "other", "其他"},
    {F_NOTES, "progress", "有进步"},
    {F_NOTES, "stable", "情况稳定"},
    {F_NOTES, "needs_followup", "需要继续关注"},
    {F_NOTES, "contacted_parents", "已联系家长"},
    {F_NOTES, "buddy_helping", "互助伙伴在帮助"},
    {F_NOTES, "needs_aid", "需要资助"},
    {F_NOTES, "other", "其他"},
    {F_MET, "father", "父亲"},
    {F_MET, "mother", "母亲"},
    {F_MET, "grandparent", "祖父母"},
    {F_MET, "relative", "其他亲属"},
    {F_MET, "sibling", "兄弟姐妹"},
    {F_MET, "other", "其他人"},
    {F_MET, "nobody", "没有见到人"},
    {F_HAZARDS, "water", "水（溺水）"},
    {F_HAZARDS, "building", "房屋"},
    {F_HAZARDS, "electricity", "用电"},
    {F_HAZARDS, "fire", "用火"},
    {F_HAZARDS, "other", "其他"},
    {F_ACTIONS, "contact_parents", "联系外出父母"},
    {F_ACTIONS, "buddy_pairing", "结对帮扶"},
    {F_ACTIONS, "education_aid", "申请教育资助"},
    {F_ACTIONS, "psych_referral", "转介心理服务"},
    {F_ACTIONS, "report_civil_affairs", "报告民政部门"},
    {F_ACTIONS, "other", "其他"},
    {F_TOPICS, "study", "学习"},
    {F_TOPICS, "mood", "心情"},
    {F_TOPICS, "family", "家庭"},
    {F_TOPICS, "friends", "朋友"},
    {F_TOPICS, "safety", "安全"},
    {F_TOPICS, "other", "其他"},
    {F_DONE, "reported_police", "已报警（110）"},
    {F_DONE, "reported_civil_affairs", "已报告民政部门"},
    {F_DONE, "reported_education", "已报告教育部门"},
    {F_DONE, "contacted_family", "已联系家人"},
    {F_DONE, "referred_psych", "已转介心理服务"},
    {F_DONE, "home_visit", "已走访"},
    {F_DONE, "resolved", "已解决"},
    {F_DONE, "other", "其他"},
    {F_ABSENCE, "sick", "病假"},
    {F_ABSENCE, "personal", "事假"},
    {F_ABSENCE, "other", "其他"},
    {F_OUTCOME, "received", "受理中"},
    {F_OUTCOME, "police", "已转公安"},
    {F_OUTCOME, "civil", "已转民政"},
    {F_OUTCOME, "handled", "已处置"},
    {F_REASON, "wrong_child", "记错了孩子"},
    {F_REASON, "wrong_entry", "内容记错了"},
    {F_REASON, "duplicate", "重复记录"},
    {F_REASON, "other", "其他原因"},
    {F_GOALS, "study", "学业"},
    {F_GOALS, "psych", "心理"},
    {F_GOALS, "safety", "安全"},
    {F_GOALS, "life", "生活"},
    {F_GOALS, "guardianship", "监护"},
    {F_MEASURES, "weekly_talk", "每周谈心"},
    {F_MEASURES, "tutoring", "学业辅导"},
    {F_MEASURES, "buddy_pairing", "结对帮扶"},
    {F_MEASURES, "psych_support", "心理疏导"},
    {F_MEASURES, "home_visits", "定期家访"},
    {F_MEASURES, "contact_parents", "联系外出父母"},
    {F_MEASURES, "aid_application", "申请资助"},
    {F_MEASURES, "other", "其他"},
    {F_FOCUS_WHY, "family_change", "家庭变故"},
    {F_FOCUS_WHY, "low_mood", "情绪低落"},
    {F_FOCUS_WHY, "safety", "安全隐患"},
    {F_FOCUS_WHY, "study", "学业困难"},
    {F_FOCUS_WHY, "health", "身体健康"},
    {F_FOCUS_WHY, "improved", "情况好转"},
    {F_FOCUS_WHY, "other", "其他"},
    {F_WORK, "visit_prep", "家访准备"},
    {F_WORK, "training", "培训"},
    {F_WORK, "parents", "与家长沟通"},
    {F_WORK, "other", "其他"},
};

static const char *const mood_zh[] = {
    "", "1 很难过", "2 难过", "3 一般", "4 开心", "5 很开心"};
static const char *const level_zh[] = {"", "差", "一般", "好"};

static const char *const kind_zh[REC_KIND_MAX] = {
    [REC_LECTURE] = "安全讲座",
    [REC_ATTENDANCE] = "讲座签到",
    [REC_LECTURE_END] = "讲座结束",
    [REC_CHECKIN] = "导师帮扶",
    [REC_VISIT] = "家访",
    [REC_STUDENT_LOG] = "学生辅导记录",
    [REC_CONCERN] = "关注",
    [REC_FOLLOWUP] = "跟进",
    [REC_FILE_VIEW] = "查阅档案",
    [REC_VOID] = "作废",
    [REC_AUTH] = "登录",
    [REC_EXPORT] = "导出",
    [REC_ABSENCE] = "讲座缺席原因",
    [REC_WORKLOG] = "工作日志",
    [REC_PLAN] = "帮扶计划",
    [REC_FOCUS] = "重点关注",
    [REC_TALK_REQUEST] = "学生想找老师说说话",
    [REC_ACK] = "区教体局已受理",
};

const char *
ledger_kind_label(int kind)
{
	return kind >= 0 && kind < REC_KIND_MAX && kind_zh[kind] ? kind_zh[kind]
	                                                         : "?";
}

const char *
ledger_label(int f, const char *word)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (labels[i].f == f && strcmp(labels[i].word, word) == 0)
			return labels[i].zh;
	return word;
}

void
ledger_labels(int f, const char *value, char *out, size_t cap)
{
	const struct rec_field_info *fi = rec_field_info(f);
	char sep = fi && fi->type == T_LIST ? ';' : ',';
	size_t used = 0;
	const char *p = value;

	if (cap == 0)
		return;
	out[0] = '\0';
	while (p && *p) {
		const char *e = strchr(p, sep);
		size_t n = e ? (size_t) (e - p) : strlen(p);
		char w[REC_VALUE_MAX + 1];
		int k;

		if (n > REC_VALUE_MAX)
			n = REC_VALUE_MAX;
		memcpy(w, p, n);
		w[n] = '\0';
		k = snprintf(out + used, cap - used, "%s%s", used ? "、" : "",
		    ledger_label(f, w));
		if (k < 0 || (size_t) k >= cap - used) {
			out[used] = '\0'; /* no half character */
			break;
		}
		used += (size_t) k;
		p = e ? e + 1 : 0;
	}
}

/* ---- The table of ledgers ---- */

struct lcol {
	const char *key; /* English alias, as a template may name it */
	const char *zh;  /* Chinese title, the default */
	enum xlsx_type type;
	double width;
	const char *alias; /* other names a template may use, ';'-separated */
};

struct lctx;
typedef int (*ledger_fill_fn)(struct lctx *c);

struct ledger_def {
	const char *name, *zh;
	const struct lcol *cols;
	size_t ncols;
	ledger_fill_fn fill;
	int log; /* walks the log for the period: has a 作废记录 sheet */
};

/* Columns several ledgers share, the same in each: {COL_NO}, ... */
#define COL_NO "no", "序号", XLSX_INT, 6
#define COL_ID "id", "学籍号", XLSX_TEXT, 14, "学籍编号;child"
#define COL_CHILD_NAME "name", "学生姓名", XLSX_TEXT, 10, "姓名;child_name"
#define COL_CLASS "class", "班级", XLSX_TEXT, 12
#define COL_MENTOR "mentor", "成长导师", XLSX_TEXT, 10, "导师;导师姓名"
#define COL_SEQ "seq", "记录编号", XLSX_INT, 9

enum {
	R_NO,
	R_ID,
	R_NAME,
	R_SEX,
	R_BIRTH,
	R_GRADE,
	R_CLASS,
	R_CAT,
	R_GUARDIAN,
	R_RELATION,
	R_PHONE,
	R_ADDRESS,
	R_MENTOR,
	R_MENTOR_ID,
	R_N
};
static const struct lcol roster_cols[R_N] = {
    [R_NO] = {COL_NO},
    [R_ID] = {COL_ID},
    [R_NAME] = {"name", "姓名", XLSX_TEXT, 10, "学生姓名;child_name"},
    [R_SEX] = {"sex", "性别", XLSX_TEXT, 6},
    [R_BIRTH] = {"birth_date", "出生日期", XLSX_DATE, 12},
    [R_GRADE] = {"grade", "年级", XLSX_TEXT, 8},
    [R_CLASS] = {COL_CLASS},
    [R_CAT] = {"category", "类别", XLSX_TEXT, 12},
    [R_GUARDIAN] = {"guardian", "监护人", XLSX_TEXT, 10},
    [R_RELATION] = {"guardian_relation", "监护关系", XLSX_TEXT, 8},
    [R_PHONE] = {"guardian_phone", "监护人电话", XLSX_TEXT, 14},
    [R_ADDRESS] = {"address", "家庭住址", XLSX_TEXT, 18},
    [R_MENTOR] = {COL_MENTOR},
    [R_MENTOR_ID] = {"mentor_id", "导师工号", XLSX_TEXT, 10},
};

enum {
	P_NO,
	P_MENTOR_ID,
	P_MENTOR,
	P_LOAD,
	P_ID,
	P_NAME,
	P_CLASS,
	P_CAT,
	P_LAST_CONTACT,
	P_LAST_VISIT,
	P_N
};
static const struct lcol pair_cols[P_N] = {
    [P_NO] = {COL_NO},
    [P_MENTOR_ID] = {"mentor_id", "导师工号", XLSX_TEXT, 10},
    [P_MENTOR] = {COL_MENTOR},
    [P_LOAD] = {"load", "结对人数", XLSX_INT, 8},
    [P_ID] = {COL_ID},
    [P_NAME] = {COL_CHILD_NAME},
    [P_CLASS] = {COL_CLASS},
    [P_CAT] = {"category", "类别", XLSX_TEXT, 12},
    [P_LAST_CONTACT] = {"last_contact", "最近帮扶", XLSX_DATE, 12},
    [P_LAST_VISIT] = {"last_visit", "最近走访", XLSX_DATE, 12},
};

enum {
	C_NO,
	C_DATE,
	C_ID,
	C_NAME,
	C_CLASS,
	C_MENTOR,
	C_BY,
	C_SOURCE,
	C_TYPE,
	C_MOOD,
	C_FOUND,
	C_NOTES,
	C_SEQ,
	C_N
};
static const struct lcol care_cols[C_N] = {
    [C_NO] = {COL_NO},
    [C_DATE] = {"date", "日期", XLSX_DATE, 12},
    [C_ID] = {COL_ID},
    [C_NAME] = {COL_CHILD_NAME},
    [C_CLASS] = {COL_CLASS},
    [C_MENTOR] = {COL_MENTOR},
    [C_BY] = {"recorded_by", "记录人", XLSX_TEXT, 10},
    [C_SOURCE] = {"source", "记录方式", XLSX_TEXT, 12},
    [C_TYPE] = {"type", "帮扶方式", XLSX_TEXT, 12},
    [C_MOOD] = {"mood", "情绪", XLSX_TEXT, 10},
    [C_FOUND] = {"found", "发现情况", XLSX_TEXT, 24},
    [C_NOTES] = {"notes", "备注", XLSX_TEXT, 24},
    [C_SEQ] = {COL_SEQ},
};

enum {
	V_NO,
	V_DATE,
	V_ID,
	V_NAME,
	V_CLASS,
	V_BY,
	V_MET,
	V_GUARD,
	V_HAZARDS,
	V_STUDY,
	V_HEALTH,
	V_MOOD,
	V_PROBLEMS,
	V_ACTIONS,
	V_NEXT,
	V_NOTES,
	V_SEQ,
	V_N
};
static const struct lcol visit_cols[V_N] = {
    [V_NO] = {COL_NO},
    [V_DATE] = {"date", "走访日期", XLSX_DATE, 12},
    [V_ID] = {COL_ID},
    [V_NAME] = {COL_CHILD_NAME},
    [V_CLASS] = {COL_CLASS},
    [V_BY] = {"visited_by", "走访人", XLSX_TEXT, 10},
    [V_MET] = {"met", "见到的人", XLSX_TEXT, 10},
    [V_GUARD] = {"guardianship_ok", "监护落实", XLSX_TEXT, 9},
    [V_HAZARDS] = {"hazards", "安全隐患", XLSX_TEXT, 16},
    [V_STUDY] = {"study", "学习情况", XLSX_TEXT, 8},
    [V_HEALTH] = {"health", "健康情况", XLSX_TEXT, 8},
    [V_MOOD] = {"mood", "情绪", XLSX_TEXT, 10},
    [V_PROBLEMS] = {"problems", "发现问题", XLSX_TEXT, 20},
    [V_ACTIONS] = {"actions", "帮扶措施", XLSX_TEXT, 20},
    [V_NEXT] = {"next_visit", "下次走访", XLSX_DATE, 12},
    [V_NOTES] = {"notes", "备注", XLSX_TEXT, 20},
    [V_SEQ] = {COL_SEQ},
};

enum {
	L_NO,
	L_DATE,
	L_TOPIC,
	L_LECTURER,
	L_CLASS,
	L_EXPECTED,
	L_PRESENT,
	L_ABSENT,
	L_ABSENT_NAMES,
	L_REASONS,
	L_MAKEUP,
	L_SEQ,
	L_N
};
static const struct lcol lecture_cols[L_N] = {
    [L_NO] = {COL_NO},
    [L_DATE] = {"date", "日期", XLSX_DATE, 12},
    [L_TOPIC] = {"topic", "主题", XLSX_TEXT, 14},
    [L_LECTURER] = {"lecturer", "主讲人", XLSX_TEXT, 12},
    [L_CLASS] = {COL_CLASS},
    [L_EXPECTED] = {"expected", "应到", XLSX_INT, 6},
    [L_PRESENT] = {"present", "实到", XLSX_INT, 6},
    [L_ABSENT] = {"absent", "缺席", XLSX_INT, 6},
    [L_ABSENT_NAMES] = {"absent_names", "缺席学生", XLSX_TEXT, 24},
    [L_REASONS] = {"reasons", "缺席原因", XLSX_TEXT, 16},
    [L_MAKEUP] = {"makeup", "补签", XLSX_TEXT, 16},
    [L_SEQ] = {COL_SEQ},
};

enum {
	K_NO,
	K_URGENT,
	K_DATE,
	K_ID,
	K_NAME,
	K_CLASS,
	K_MENTOR,
	K_BY,
	K_CONCERNS,
	K_NOTES,
	K_FOLLOWUPS,
	K_STATUS,
	K_CLOSED,
	K_SEQ,
	K_N
};
static const struct lcol concern_cols[K_N] = {
    [K_NO] = {COL_NO},
    [K_URGENT] = {"urgent", "强制报告", XLSX_TEXT, 9},
    [K_DATE] = {"date", "日期", XLSX_DATE, 12},
    [K_ID] = {COL_ID},
    [K_NAME] = {COL_CHILD_NAME},
    [K_CLASS] = {COL_CLASS},
    [K_MENTOR] = {COL_MENTOR},
    [K_BY] = {"reported_by", "报告人", XLSX_TEXT, 10},
    [K_CONCERNS] = {"concerns", "关注情况", XLSX_TEXT, 22},
    [K_NOTES] = {"notes", "备注", XLSX_TEXT, 18},
    [K_FOLLOWUPS] = {"followups", "跟进情况", XLSX_TEXT, 40},
    [K_STATUS] = {"status", "处理结果", XLSX_TEXT, 10},
    [K_CLOSED] = {"closed", "结案日期", XLSX_DATE, 12},
    [K_SEQ] = {COL_SEQ},
};

/* 帮扶计划台账 */
enum {
	PL_NO,
	PL_DATE,
	PL_ID,
	PL_NAME,
	PL_CLASS,
	PL_CAT,
	PL_MENTOR,
	PL_GOALS,
	PL_MEASURES,
	PL_RESPONSIBLE,
	PL_REVIEW,
	PL_NOTE,
	PL_STATUS,
	PL_SEQ,
	PL_N
};
static const struct lcol plan_cols[PL_N] = {
    [PL_NO] = {COL_NO},
    [PL_DATE] = {"date", "制定日期", XLSX_DATE, 12},
    [PL_ID] = {COL_ID},
    [PL_NAME] = {COL_CHILD_NAME},
    [PL_CLASS] = {COL_CLASS},
    [PL_CAT] = {"category", "类别", XLSX_TEXT, 12},
    [PL_MENTOR] = {COL_MENTOR},
    [PL_GOALS] = {"goals", "帮扶目标", XLSX_TEXT, 18},
    [PL_MEASURES] = {"measures", "帮扶措施", XLSX_TEXT, 24},
    [PL_RESPONSIBLE] = {"responsible", "责任人", XLSX_TEXT, 10},
    [PL_REVIEW] = {"review", "复查日期", XLSX_DATE, 12},
    [PL_NOTE] = {"note", "备注", XLSX_TEXT, 24, "notes"},
    [PL_STATUS] = {"status", "状态", XLSX_TEXT, 12},
    [PL_SEQ] = {COL_SEQ},
};

/* 逾期事项清单 */
enum {
	O_NO,
	O_TASK,
	O_ID,
	O_NAME,
	O_CLASS,
	O_MENTOR,
	O_OWNER,
	O_DUE,
	O_DAYS,
	O_DETAIL,
	O_REF,
	O_N
};
static const struct lcol overdue_cols[O_N] = {
    [O_NO] = {COL_NO},
    [O_TASK] = {"task", "逾期事项", XLSX_TEXT, 16},
    [O_ID] = {COL_ID},
    [O_NAME] = {COL_CHILD_NAME},
    [O_CLASS] = {COL_CLASS},
    [O_MENTOR] = {COL_MENTOR},
    [O_OWNER] = {"owner", "负责人", XLSX_TEXT, 10},
    [O_DUE] = {"due", "应完成日期", XLSX_DATE, 12},
    [O_DAYS] = {"days_late", "逾期天数", XLSX_INT, 9},
    [O_DETAIL] = {"detail", "说明", XLSX_TEXT, 24},
    [O_REF] = {COL_SEQ},
};

/* 工作日志台账 */
enum { W_NO, W_DATE, W_MENTOR_ID, W_MENTOR, W_WORK, W_NOTE, W_SEQ, W_N };
static const struct lcol worklog_cols[W_N] = {
    [W_NO] = {COL_NO},
    [W_DATE] = {"date", "日期", XLSX_DATE, 12},
    [W_MENTOR_ID] = {"mentor_id", "导师工号", XLSX_TEXT, 10},
    [W_MENTOR] = {COL_MENTOR},
    [W_WORK] = {"work", "工作类型", XLSX_TEXT, 16},
    [W_NOTE] = {"note", "工作记录", XLSX_TEXT, 40, "notes"},
    [W_SEQ] = {COL_SEQ},
};

/* The 作废记录 sheet of every ledger that walks the log. */
enum {
	X_NO,
	X_DATE,
	X_KIND,
	X_ID,
	X_NAME,
	X_BY,
	X_SEQ,
	X_REASON,
	X_VOIDED_BY,
	X_VOIDED_ON,
	X_N
};
static const struct lcol void_cols[X_N] = {
    [X_NO] = {COL_NO},
    [X_DATE] = {"date", "日期", XLSX_DATE, 12},
    [X_KIND] = {"kind", "记录类型", XLSX_TEXT, 12},
    [X_ID] = {COL_ID},
    [X_NAME] = {COL_CHILD_NAME},
    [X_BY] = {"recorded_by", "记录人", XLSX_TEXT, 10},
    [X_SEQ] = {COL_SEQ},
    [X_REASON] = {"reason", "作废原因", XLSX_TEXT, 14},
    [X_VOIDED_BY] = {"voided_by", "作废人", XLSX_TEXT, 10},
    [X_VOIDED_ON] = {"voided_on", "作废日期", XLSX_DATE, 12},
};

#undef COL_NO
#undef COL_ID
#undef COL_CHILD_NAME
#undef COL_CLASS
#undef COL_MENTOR
#undef COL_SEQ

static int fill_roster(struct lctx *c);
static int fill_pairs(struct lctx *c);
static int fill_care(struct lctx *c);
static int fill_visits(struct lctx *c);
static int fill_lectures(struct lctx *c);
static int fill_concerns(struct lctx *c);
static int fill_plans(struct lctx *c);
static int fill_overdue(struct lctx *c);
static int fill_worklog(struct lctx *c);

#define COLS(a) a, sizeof(a) / sizeof(a[0])
static const struct ledger_def ledgers[LEDGER_N] = {
    [LEDGER_LEFT_BEHIND] = {"left_behind", "留守儿童花名册", COLS(roster_cols),
        fill_roster, 0},
    [LEDGER_IN_DIFFICULTY] = {"in_difficulty", "困境儿童花名册",
        COLS(roster_cols), fill_roster, 0},
    [LEDGER_PAIRS] = {"pairs", "成长导师结对表", COLS(pair_cols), fill_pairs,
        0},
    [LEDGER_CARE] = {"care", "关爱帮扶记录台账", COLS(care_cols), fill_care, 1},
    [LEDGER_VISITS] = {"visits", "走访记录台账", COLS(visit_cols), fill_visits,
        1},
    [LEDGER_LECTURES] = {"lectures", "安全知识大讲堂签到表", COLS(lecture_cols),
        fill_lectures, 1},
    [LEDGER_CONCERNS] = {"concerns", "强制报告与关注台账", COLS(concern_cols),
        fill_concerns, 1},
    [LEDGER_PLANS] = {"plans", "帮扶计划台账", COLS(plan_cols), fill_plans, 1},
    [LEDGER_OVERDUE] = {"overdue", "逾期事项清单", COLS(overdue_cols),
        fill_overdue, 0},
    [LEDGER_WORKLOG] = {"worklog", "工作日志台账", COLS(worklog_cols),
        fill_worklog, 1},
};
#undef COLS

const char *
ledger_name(int kind)
{
	return kind >= 0 && kind < LEDGER_N ? ledgers[kind].name : 0;
}

const char *
ledger_title(int kind)
{
	return kind >= 0 && kind < LEDGER_N ? ledgers[kind].zh : 0;
}

int
ledger_from_name(const char *name)
{
	for (int k = 0; k < LEDGER_N; k++)
		if (strcmp(name, ledgers[k].name) == 0 ||
		    strcmp(name, ledgers[k].zh) == 0)
			return k;
	return -1;
}

/* ---- Days ---- */

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Parses YYYY-MM-DD into YYYYMMDD; 0 when it is not a real day. */
static uint32_t
parse_day(const char *s)
{
	int y, m, d;

	if (s == 0 || !rec_date_ok(s))
		return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return (uint32_t) (y * 10000 + m * 100 + d);
}

static void
day_str(uint32_t day, char *out, size_t cap)
{
	snprintf(out, cap, "%04u-%02u-%02u", day / 10000, day / 100 % 100,
	    day % 100);
}

/* Days since 1970-01-01 of a YYYYMMDD (calendar.h's arithmetic). */
static int64_t
day_number(uint32_t day)
{
	return cal_days_between(19700101, day);
}

/* Parses a 4-digit year at s; -1 if it is not one. */
static int
parse_year(const char *s)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	return y >= 2000 && y <= 2098 ? y : -1;
}

int
ledger_period_parse(struct ledger_period *p, const char *from, const char *to,
    const char *month, const char *term, const char *half, uint32_t today,
    char *why, size_t why_len)
{
	int ways = (from || to) + (month != 0) + (term != 0) + (half != 0);
	char a[16], b[16];
	int y, m;

	memset(p, 0, sizeof(*p));
	if (ways != 1) {
		snprintf(why, why_len,
		    "give the period once: --from DATE --to DATE, --month "
		    "YYYY-MM, --term YYYY-autumn|YYYY-spring or --half "
		    "YYYY-H1|YYYY-H2");
		return GU_EINVAL;
	}
	if (from || to) {
		if (!from || !to) {
			snprintf(why, why_len, "--from and --to go together");
			return GU_EINVAL;
		}
		p->from = parse_day(from);
		p->to = parse_day(to);
		if (!p->from || !p->to) {
			snprintf(why, why_len,
			    "%s '%s' is not a day YYYY-MM-DD",
			    p->from ? "--to" : "--from", p->from ? to : from);
			return GU_EINVAL;
		}
		day_str(p->from, a, sizeof(a));
		day_str(p->to, b, sizeof(b));
		snprintf(p->label, sizeof(p->label), "%s至%s", a, b);
	} else if (month) {
		y = parse_year(month);
		m = strlen(month) == 7 && month[4] == '-' && month[5] >= '0' &&
		        month[5] <= '1' && month[6] >= '0' && month[6] <= '9'
		    ? (month[5] - '0') * 10 + (month[6] - '0')
		    : 0;
		if (y < 0 || m < 1 || m > 12) {
			snprintf(why, why_len,
			    "--month '%s' is not a month YYYY-MM", month);
			return GU_EINVAL;
		}
		p->from = (uint32_t) (y * 10000 + m * 100 + 1);
		p->to = (uint32_t) (y * 10000 + m * 100 + mdays(y, m));
		snprintf(p->label, sizeof(p->label), "%d年%d月", y, m);
	} else if (term) {
		const char *t = term + 4;

		y = parse_year(term);
		if (y >= 0 &&
		    (strcmp(t, "-autumn") == 0 || strcmp(t, "秋") == 0 ||
		        strcmp(t, "秋季学期") == 0)) {
			p->from = (uint32_t) (y * 10000 + 901);
			p->to = (uint32_t) ((y + 1) * 10000 + 131);
			snprintf(p->label, sizeof(p->label), "%d年秋季学期", y);
		} else if (y >= 0 &&
		    (strcmp(t, "-spring") == 0 || strcmp(t, "春") == 0 ||
		        strcmp(t, "春季学期") == 0)) {
			p->from = (uint32_t) (y * 10000 + 201);
			p->to = (uint32_t) (y * 10000 + 831);
			snprintf(p->label, sizeof(p->label), "%d年春季学期", y);
		} else {
			snprintf(why, why_len,
			    "--term '%s' is not YYYY-autumn or YYYY-spring",
			    term);
			return GU_EINVAL;
		}
	} else {
		y = parse_year(half);
		if (y >= 0 && strcmp(half + 4, "-H1") == 0) {
			p->from = (uint32_t) (y * 10000 + 101);
			p->to = (uint32_t) (y * 10000 + 630);
			snprintf(p->label, sizeof(p->label), "%d年上半年", y);
		} else if (y >= 0 && strcmp(half + 4, "-H2") == 0) {
			p->from = (uint32_t) (y * 10000 + 701);
			p->to = (uint32_t) (y * 10000 + 1231);
			snprintf(p->label, sizeof(p->label), "%d年下半年", y);
		} else {
			snprintf(why, why_len,
			    "--half '%s' is not YYYY-H1 or YYYY-H2", half);
			return GU_EINVAL;
		}
	}
	if (p->from > p->to) {
		day_str(p->from, a, sizeof(a));
		day_str(p->to, b, sizeof(b));
		snprintf(why, why_len,
		    "the period is empty: it starts on %s, after its end %s", a,
		    b);
		return GU_EINVAL;
	}
	if (today && p->from > today) {
		day_str(p->from, a, sizeof(a));
		day_str(today, b, sizeof(b));
		snprintf(why, why_len,
		    "the period starts on %s, in the future (today is %s)", a,
		    b);
		return GU_EINVAL;
	}
	return GU_OK;
}

/* ---- Templates ---- */

void
ledger_tmpl_default(struct ledger_tmpl *t)
{
	memset(t, 0, sizeof(*t));
	for (int k = 0; k < LEDGER_N; k++) {
		struct ledger_layout *l = &t->l[k];

		l->n = (uint8_t) ledgers[k].ncols;
		for (size_t i = 0; i < ledgers[k].ncols; i++) {
			l->col[i] = (uint8_t) i;
			snprintf(l->title[i], LEDGER_TITLE_LEN, "%s",
			    ledgers[k].cols[i].zh);
		}
	}
}

/*
 * A header or a name as the roster matches them (docs/roster.md): a '*'
 * before or after is dropped, English ignores case and takes ' ' or '-'
 * for '_'.
 */
static void
norm_name(const char *s, char *out, size_t cap)
{
	size_t n = 0, len;

	/* Trimmed as the roster's values are: spaces, tabs, '　' (U+3000). */
	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '*')
			s++;
		else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	len = strlen(s);
	for (;;) {
		if (len > 0 &&
		    (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		        s[len - 1] == '*'))
			len--;
		else if (len >= 3 &&
		    memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0)
			len -= 3;
		else
			break;
	}
	for (size_t i = 0; i < len && n + 1 < cap; i++) {
		char ch = s[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char) (ch - 'A' + 'a');
		else if (ch == ' ' || ch == '-')
			ch = '_';
		out[n++] = ch;
	}
	out[n] = '\0';
}

static int
tmpl_ledger(const char *name)
{
	char n[128];

	norm_name(name, n, sizeof(n));
	for (int k = 0; k < LEDGER_N; k++)
		if (strcmp(n, ledgers[k].name) == 0 ||
		    strcmp(n, ledgers[k].zh) == 0)
			return k;
	return -1;
}

static int
tmpl_column(int k, const char *name)
{
	char n[128];

	norm_name(name, n, sizeof(n));
	for (size_t i = 0; i < ledgers[k].ncols; i++) {
		const struct lcol *lc = &ledgers[k].cols[i];
		const char *a = lc->alias;
		size_t len = strlen(n);

		if (strcmp(n, lc->key) == 0 || strcmp(n, lc->zh) == 0)
			return (int) i;
		while (a && *a) {
			const char *e = strchr(a, ';');
			size_t al = e ? (size_t) (e - a) : strlen(a);

			if (al == len && memcmp(a, n, len) == 0)
				return (int) i;
			a = e ? e + 1 : 0;
		}
	}
	return -1;
}

/* Appends one "name:line: what" line to why. */
static void tmpl_err(char *why, size_t why_len, size_t *used, int *nerr,
    const char *name, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void
tmpl_err(char *why, size_t why_len, size_t *used, int *nerr, const char *name,
    unsigned line, const char *fmt, ...)
{
	va_list ap;
	int k;

	(*nerr)++;
	if (*used + 1 >= why_len)
		return;
	k = snprintf(why + *used, why_len - *used,
	    "%s%s:%u: ", *used ? "\n" : "", name, line);
	if (k < 0 || (size_t) k >= why_len - *used) {
		why[*used] = '\0';
		return;
	}
	*used += (size_t) k;
	va_start(ap, fmt);
	k = vsnprintf(why + *used, why_len - *used, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t) k >= why_len - *used) {
		why[*used] = '\0';
		return;
	}
	*used += (size_t) k;
}

int
ledger_tmpl_parse(struct ledger_tmpl *t, const char *name, const void *buf,
    size_t len, char *why, size_t why_len)
{
	struct csv *csv = 0;
	struct csv_row row;
	struct csv_error err;
	struct csv_limits lim = {1024 * 1024, 16, LEDGER_TITLE_LEN * 4};
	int hcol[3] = {-1, -1, -1}; /* ledger, column, title */
	int seen[LEDGER_N] = {0}, have_header = 0, nerr = 0, rc;
	size_t used = 0;

	ledger_tmpl_default(t);
	if (why_len)
		why[0] = '\0';
	rc = csv_open_buf(&csv, buf, len, &lim, &err);
	if (rc != GU_OK) {
		tmpl_err(
		    why, why_len, &used, &nerr, name, err.line, "%s", err.msg);
		goto out;
	}
	while ((rc = csv_next_row(csv, &row, &err)) != GU_ENOTFOUND) {
		const char *lv, *cv, *tv;
		struct ledger_layout *l;
		int k, col;

		if (rc != GU_OK) {
			tmpl_err(why, why_len, &used, &nerr, name, err.line,
			    "%s", err.msg);
			continue;
		}
		if (row.n == 1 && row.f[0][0] == '\0')
			continue;
		if (row.f[0][0] == '#')
			continue; /* a remark */
		if (!have_header) {
			if ((row.n == 1 && strcmp(row.f[0], "sep=,") == 0) ||
			    (row.n == 2 && strcmp(row.f[0], "sep=") == 0 &&
			        row.f[1][0] == '\0'))
				continue; /* Excel's separator line */
			for (size_t i = 0; i < row.n; i++) {
				char h[64];

				norm_name(row.f[i], h, sizeof(h));
				if (strcmp(h, "台账") == 0 ||
				    strcmp(h, "ledger") == 0)
					hcol[0] = (int) i;
				else if (strcmp(h, "列") == 0 ||
				    strcmp(h, "column") == 0)
					hcol[1] = (int) i;
				else if (strcmp(h, "标题") == 0 ||
				    strcmp(h, "title") == 0)
					hcol[2] = (int) i;
			}
			if (hcol[0] < 0 || hcol[1] < 0) {
				tmpl_err(why, why_len, &used, &nerr, name,
				    row.line,
				    "the first row must be the header "
				    "台账,列,标题 (ledger,column,title)");
				goto out;
			}
			have_header = 1;
			continue;
		}
		lv = (size_t) hcol[0] < row.n ? row.f[hcol[0]] : "";
		cv = (size_t) hcol[1] < row.n ? row.f[hcol[1]] : "";
		tv = hcol[2] >= 0 && (size_t) hcol[2] < row.n ? row.f[hcol[2]]
		                                              : "";
		if (*lv == '\0' && *cv == '\0' && *tv == '\0')
			continue;
		k = tmpl_ledger(lv);
		if (k < 0) {
			tmpl_err(why, why_len, &used, &nerr, name, row.line,
			    "unknown ledger '%s' (see docs/ledgers.md)", lv);
			continue;
		}
		col = tmpl_column(k, cv);
		if (col < 0) {
			tmpl_err(why, why_len, &used, &nerr, name, row.line,
			    "%s has no column '%s' (see docs/ledgers.md)",
			    ledgers[k].zh, cv);
			continue;
		}
		l = &t->l[k];
		if (!seen[k]) {
			seen[k] = 1;
			l->n = 0;
		}
		for (int i = 0; i < l->n; i++)
			if (l->col[i] == col) {
				tmpl_err(why, why_len, &used, &nerr, name,
				    row.line, "%s: column '%s' given twice",
				    ledgers[k].zh, cv);
				col = -1;
				break;
			}
		if (col < 0)
			continue;
		if (strlen(tv) >= LEDGER_TITLE_LEN) {
			tmpl_err(why, why_len, &used, &nerr, name, row.line,
			    "title '%s' is longer than %d bytes", tv,
			    LEDGER_TITLE_LEN - 1);
			continue;
		}
		if (l->n >= LEDGER_MAX_COLS)
			continue; /* cannot happen: columns are unique */
		l->col[l->n] = (uint8_t) col;
		snprintf(l->title[l->n], LEDGER_TITLE_LEN, "%s",
		    *tv ? tv : ledgers[k].cols[col].zh);
		l->n++;
	}
	if (!have_header && nerr == 0)
		tmpl_err(why, why_len, &used, &nerr, name, 1,
		    "the file is empty: it needs the header 台账,列,标题");
out:
	csv_close(csv);
	if (nerr) {
		ledger_tmpl_default(t);
		return GU_EINVAL;
	}
	return GU_OK;
}

int
ledger_tmpl_load(
    struct ledger_tmpl *t, const char *path, char *why, size_t why_len)
{
	struct csv_error err;
	void *data = 0;
	size_t len = 0;
	int rc;

	ledger_tmpl_default(t);
	rc = csv_read_file(path, 1024 * 1024, &data, &len, &err);
	if (rc != GU_OK) {
		snprintf(why, why_len, "%s: %s", path, err.msg);
		return rc == GU_ETOOBIG ? GU_EINVAL : GU_EIO;
	}
	rc = ledger_tmpl_parse(t, path, data, len, why, why_len);
	free(data);
	return rc;
}

/* ---- Filling the sheets ---- */

#define ROW_BUF 16384
#define MAX_FOLLOWUPS 32

struct staff_name {
	char id[GU_ID_LEN + 1];
	char name[64];
};

struct row {
	const char *cell[LEDGER_MAX_COLS];
	size_t used;
	char buf[ROW_BUF];
};

struct lctx {
	struct store *s;
	struct store_info info;
	int kind;
	const struct ledger_def *def;
	const struct ledger_layout *lay;
	const struct ledger_period *p;
	struct xlsx *x;
	int sheet, vsheet;
	struct child *kids; /* active children, in class order */
	size_t nkids, kids_cap;
	struct child **by_id; /* the same, sorted by id */
	struct staff_name *staff;
	size_t nstaff, staff_cap;
	int rc; /* the first error of a walk */
	struct row row;
	/* 安全知识大讲堂签到表: the standing absence reasons, in log order
	 * (a later one for the same lecture and child supersedes). */
	struct absence *abs;
	size_t nabs, abs_cap;
	/* 帮扶计划台账: each child's newest standing plan, by_id's order. */
	uint64_t *newest_plan;
	/* 逾期事项清单: as of when, under which rules. */
	int64_t asof_ms;
	uint32_t asof_day;
	int contact_days;
	uint32_t term_start_day;
	char head[GU_ID_LEN + 1]; /* the first headteacher, "" none */
};

static void
row_clear(struct row *w)
{
	memset(w->cell, 0, sizeof(w->cell));
	w->used = 0;
}

static void row_set(struct row *w, int i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets cell i to the formatted text (cut when the row's buffer is full). */
static void
row_set(struct row *w, int i, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (w->used + 1 >= ROW_BUF)
		return;
	va_start(ap, fmt);
	k = vsnprintf(w->buf + w->used, ROW_BUF - w->used, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	w->cell[i] = w->buf + w->used;
	if ((size_t) k >= ROW_BUF - w->used) {
		/* Cut: end on a whole UTF-8 character, never half of one. */
		char *c = w->buf + w->used;
		size_t n = strlen(c), j = n;

		while (j > 0 && ((unsigned char) c[j - 1] & 0xC0) == 0x80)
			j--;
		if (j > 0 && ((unsigned char) c[j - 1] & 0x80)) {
			unsigned char lead = (unsigned char) c[j - 1];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

			if (n - (j - 1) < need)
				c[j - 1] = '\0';
		}
		w->used = ROW_BUF;
		return;
	}
	w->used += (size_t) k + 1;
}

static void
row_labels(struct row *w, int i, const struct record *r, int f)
{
	char tmp[REC_TEXT_MAX * 2];
	const char *v = rec_str(r, f);

	if (v == 0)
		return;
	ledger_labels(f, v, tmp, sizeof(tmp));
	row_set(w, i, "%s", tmp);
}

static void
row_day(struct row *w, int i, uint32_t day)
{
	if (day)
		row_set(w, i, "%04u-%02u-%02u", day / 10000, day / 100 % 100,
		    day % 100);
}

/*
 * Starts the main sheet's next row about child k on day: its number,
 * date, and the child's id, name and class in the columns given.
 */
static void
row_kid(struct lctx *c, const struct child *k, uint32_t day, const int col[5])
{
	struct row *w = &c->row;

	row_clear(w);
	row_set(w, col[0], "%u", xlsx_rows(c->x, c->sheet) + 1);
	row_day(w, col[1], day);
	row_set(w, col[2], "%s", k->id);
	row_set(w, col[3], "%s", k->name);
	row_set(w, col[4], "%s", k->class_name);
}

/* Writes the row in the template's order to the main sheet. */
static int
emit(struct lctx *c)
{
	const char *out[LEDGER_MAX_COLS];

	for (int j = 0; j < c->lay->n; j++)
		out[j] = c->row.cell[c->lay->col[j]];
	return xlsx_row(c->x, c->sheet, out);
}

static int
kid_cmp(const void *a, const void *b)
{
	const struct child *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

static const struct child *
kid_find(struct lctx *c, const char *id)
{
	struct child key, *kp = &key, **hit;

	if (id == 0 || c->nkids == 0)
		return 0;
	snprintf(key.id, sizeof(key.id), "%s", id);
	hit = bsearch(&kp, c->by_id, c->nkids, sizeof(*c->by_id), kid_cmp);
	return hit ? *hit : 0;
}

/* The child if it is in care now, else NULL. */
static const struct child *
kid_in_care(struct lctx *c, const char *id)
{
	const struct child *k = kid_find(c, id);

	return k && care_rules_in_care(k) ? k : 0;
}

static const char *
staff_name(struct lctx *c, const char *id)
{
	size_t lo = 0, hi = c->nstaff;

	if (id == 0 || *id == '\0')
		return "";
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp(id, c->staff[mid].id);

		if (d == 0)
			return c->staff[mid].name;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return id;
}

/*
 * The array p of n elements of size, with room for one more: p itself
 * while *cap has room, else p grown (to first, then twice *cap, which it
 * updates); NULL when memory is out (p is then as it was).
 */
static void *
grow(void *p, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t want = *cap ? *cap * 2 : first;
	void *g;

	if (n < *cap)
		return p;
	g = realloc(p, want * size);
	if (g != NULL)
		*cap = want;
	return g;
}

static int
kid_add(void *arg, const struct child *ch)
{
	struct lctx *c = arg;
	struct child *n =
	    grow(c->kids, &c->kids_cap, c->nkids, sizeof(*n), 256);

	if (n == 0)
		return GU_ENOMEM;
	c->kids = n;
	c->kids[c->nkids++] = *ch;
	return 0;
}

static int
class_add(void *arg, const char *class_name, const char *grade, uint32_t n)
{
	struct lctx *c = arg;

	(void) grade;
	(void) n;
	return store_class_children(c->s, class_name, kid_add, c);
}

static int
staff_add(void *arg, const struct staff *st)
{
	struct lctx *c = arg;
	struct staff_name *n =
	    grow(c->staff, &c->staff_cap, c->nstaff, sizeof(*n), 64);

	if (n == 0)
		return GU_ENOMEM;
	c->staff = n;
	if ((st->roles & ROLE_HEAD) && c->head[0] == '\0')
		snprintf(c->head, sizeof(c->head), "%s", st->id);
	snprintf(c->staff[c->nstaff].id, sizeof(c->staff[0].id), "%s", st->id);
	snprintf(
	    c->staff[c->nstaff].name, sizeof(c->staff[0].name), "%s", st->name);
	c->nstaff++;
	return 0;
}

/* Reads the roster once: the children in class order, the staff by id. */
static int
load_roster(struct lctx *c)
{
	int rc = store_classes(c->s, class_add, c);

	if (rc == GU_OK)
		rc = store_staff_list(c->s, staff_add, c);
	if (rc != GU_OK)
		return rc;
	if (c->nkids) {
		c->by_id = malloc(c->nkids * sizeof(*c->by_id));
		if (c->by_id == 0)
			return GU_ENOMEM;
		for (size_t i = 0; i < c->nkids; i++)
			c->by_id[i] = &c->kids[i];
		qsort(c->by_id, c->nkids, sizeof(*c->by_id), kid_cmp);
	}
	return GU_OK;
}

/* The day a record is about: its date field, else its local day. */
static uint32_t
rec_day(const struct record *r)
{
	uint32_t d = parse_day(rec_str(r, F_DATE));

	return d ? d : store_day_of(r->time_ms, r->tz_min);
}

static int
in_period(const struct lctx *c, uint32_t day)
{
	return day >= c->p->from && day <= c->p->to;
}

static void
cat_str(unsigned cats, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s%s", cats & CAT_LEFT_BEHIND ? "留守" : "",
	    (cats & CAT_LEFT_BEHIND) && (cats & CAT_IN_DIFFICULTY) ? "、" : "",
	    cats & CAT_IN_DIFFICULTY ? "困境" : "");
}

/* Lists r, voided by the void voided_by, on the 作废记录 sheet. */
static int
void_row(struct lctx *c, const struct record *r, const char *child_id,
    uint64_t voided_by)
{
	const struct child *k = kid_find(c, child_id);
	const char *out[X_N];
	struct record v;
	struct row *w = &c->row;

	row_clear(w);
	row_set(w, X_NO, "%u", xlsx_rows(c->x, c->vsheet) + 1);
	row_day(w, X_DATE, rec_day(r));
	row_set(w, X_KIND, "%s", ledger_kind_label(r->kind));
	if (child_id)
		row_set(w, X_ID, "%s", child_id);
	if (k)
		row_set(w, X_NAME, "%s", k->name);
	if (r->flags & REC_FLAG_BY_STUDENT)
		row_set(w, X_BY, "学生本人");
	else
		row_set(w, X_BY, "%s", staff_name(c, r->author));
	row_set(w, X_SEQ, "%llu", (unsigned long long) r->seq);
	if (store_get(c->s, voided_by, &v) == GU_OK) {
		const char *why = rec_str(&v, F_REASON);

		row_set(
		    w, X_REASON, "%s", why ? ledger_label(F_REASON, why) : "");
		row_set(w, X_VOIDED_BY, "%s", staff_name(c, v.author));
		row_day(w, X_VOIDED_ON, store_day_of(v.time_ms, v.tz_min));
	}
	for (int i = 0; i < X_N; i++)
		out[i] = w->cell[i];
	return xlsx_row(c->x, c->vsheet, out);
}

/*
 * The child in care a record of the period is about, when r, of kind
 * (REC_CHECKIN: or a child's own log, REC_STUDENT_LOG), is to be a row of
 * the main sheet; NULL when it is not (another kind, another
 * period, a child not in care) or when it was voided, which lists it on
 * 作废记录 (c->rc gets how that went).  *day gets the day it is about.
 */
static const struct child *
kid_row(struct lctx *c, const struct record *r, int kind, uint64_t voided_by,
    uint32_t *day)
{
	const struct child *k;

	if (r->kind != kind &&
	    !(kind == REC_CHECKIN && r->kind == REC_STUDENT_LOG))
		return 0;
	*day = rec_day(r);
	k = kid_in_care(c, rec_child(r));
	if (k == 0 || !in_period(c, *day))
		return 0;
	if (voided_by) {
		c->rc = void_row(c, r, k->id, voided_by);
		return 0;
	}
	return k;
}

/* 留守儿童花名册, 困境儿童花名册 */
static int
fill_roster(struct lctx *c)
{
	unsigned want =
	    c->kind == LEDGER_LEFT_BEHIND ? CAT_LEFT_BEHIND : CAT_IN_DIFFICULTY;
	struct row *w = &c->row;
	uint32_t no = 0;
	int rc = GU_OK;

	for (size_t i = 0; rc == GU_OK && i < c->nkids; i++) {
		const struct child *k = &c->kids[i];
		char cats[32];

		if (!care_rules_in_care(k) || !(k->categories & want))
			continue;
		row_clear(w);
		row_set(w, R_NO, "%u", ++no);
		row_set(w, R_ID, "%s", k->id);
		row_set(w, R_NAME, "%s", k->name);
		row_set(w, R_SEX, "%s",
		    strcmp(k->sex, "M") == 0       ? "男"
		        : strcmp(k->sex, "F") == 0 ? "女"
		                                   : k->sex);
		row_set(w, R_BIRTH, "%s", k->birth);
		row_set(w, R_GRADE, "%s", k->grade);
		row_set(w, R_CLASS, "%s", k->class_name);
		cat_str(k->categories, cats, sizeof(cats));
		row_set(w, R_CAT, "%s", cats);
		row_set(w, R_GUARDIAN, "%s", k->guardian);
		row_set(w, R_RELATION, "%s", k->guardian_relation);
		row_set(w, R_PHONE, "%s", k->guardian_phone);
		row_set(w, R_ADDRESS, "%s", k->address);
		if (k->mentor_id[0]) {
			row_set(w, R_MENTOR, "%s", staff_name(c, k->mentor_id));
			row_set(w, R_MENTOR_ID, "%s", k->mentor_id);
		}
		rc = emit(c);
	}
	return rc;
}

static int
pair_row(struct lctx *c, const char *mentor_id, const char *mentor,
    uint32_t load, const struct child *k, uint32_t *no)
{
	struct row *w = &c->row;
	struct child_summary sum;
	char cats[32];

	row_clear(w);
	row_set(w, P_NO, "%u", ++*no);
	row_set(w, P_MENTOR_ID, "%s", mentor_id);
	row_set(w, P_MENTOR, "%s", mentor);
	row_set(w, P_LOAD, "%u", load);
	if (k) {
		row_set(w, P_ID, "%s", k->id);
		row_set(w, P_NAME, "%s", k->name);
		row_set(w, P_CLASS, "%s", k->class_name);
		cat_str(k->categories, cats, sizeof(cats));
		row_set(w, P_CAT, "%s", cats);
		if (store_child_summary(c->s, k->id, &sum) == GU_OK) {
			if (sum.last_contact_ms)
				row_day(w, P_LAST_CONTACT,
				    store_day_of(sum.last_contact_ms, 480));
			if (sum.last_visit_ms)
				row_day(w, P_LAST_VISIT,
				    store_day_of(sum.last_visit_ms, 480));
		}
	}
	return emit(c);
}

struct mentor_list {
	struct lctx *c;
	char (*ids)[GU_ID_LEN + 1];
	size_t n, cap;
};

static int
mentor_add(void *arg, const struct staff *st)
{
	struct mentor_list *m = arg;
	char(*n)[GU_ID_LEN + 1];

	if (!(st->roles & ROLE_MENTOR))
		return 0;
	n = grow(m->ids, &m->cap, m->n, sizeof(*n), 32);
	if (n == 0)
		return GU_ENOMEM;
	m->ids = n;
	snprintf(m->ids[m->n++], GU_ID_LEN + 1, "%s", st->id);
	return 0;
}

/* 成长导师结对表: each mentor's children in care, then those without. */
static int
fill_pairs(struct lctx *c)
{
	struct mentor_list m = {c, 0, 0, 0};
	uint32_t no = 0, load;
	int rc = store_staff_list(c->s, mentor_add, &m);

	for (size_t i = 0; rc == GU_OK && i < m.n; i++) {
		const char *id = m.ids[i];

		load = 0;
		for (size_t j = 0; j < c->nkids; j++)
			if (care_rules_in_care(&c->kids[j]) &&
			    strcmp(c->kids[j].mentor_id, id) == 0)
				load++;
		if (load == 0) {
			rc = pair_row(c, id, staff_name(c, id), 0, 0, &no);
			continue;
		}
		for (size_t j = 0; rc == GU_OK && j < c->nkids; j++)
			if (care_rules_in_care(&c->kids[j]) &&
			    strcmp(c->kids[j].mentor_id, id) == 0)
				rc = pair_row(c, id, staff_name(c, id), load,
				    &c->kids[j], &no);
	}
	load = 0;
	for (size_t j = 0; j < c->nkids; j++)
		if (care_rules_in_care(&c->kids[j]) &&
		    c->kids[j].mentor_id[0] == '\0')
			load++;
	for (size_t j = 0; rc == GU_OK && j < c->nkids; j++)
		if (care_rules_in_care(&c->kids[j]) &&
		    c->kids[j].mentor_id[0] == '\0')
			rc = pair_row(
			    c, "", "（未结对）", load, &c->kids[j], &no);
	free(m.ids);
	return rc;
}

/* Walks the log once with fn, which sets c->rc as it writes. */
static int
walk(struct lctx *c, store_rec_fn fn)
{
	int rc = store_log_walk(c->s, 1, fn, c);

	return rc ? rc : c->rc;
}

/* 关爱帮扶记录台账: check-ins and the children's own logs. */
static int
care_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct lctx *c = arg;
	const struct child *k;
	struct row *w = &c->row;
	uint32_t day;
	int64_t mood;

	k = kid_row(c, r, REC_CHECKIN, voided_by, &day); /* and logs */
	if (k == 0)
		return c->rc;
	row_kid(c, k, day, (const int[5]){C_NO, C_DATE, C_ID, C_NAME, C_CLASS});
	if (r->kind == REC_CHECKIN) {
		row_set(w, C_MENTOR, "%s", staff_name(c, k->mentor_id));
		row_set(w, C_BY, "%s", staff_name(c, r->author));
		row_set(w, C_SOURCE, "导师记录");
		row_labels(w, C_TYPE, r, F_TYPE);
		mood = rec_int(r, F_MOOD, 0);
		row_labels(w, C_FOUND, r, F_CONCERNS);
	} else {
		row_set(w, C_MENTOR, "%s", staff_name(c, rec_str(r, F_MENTOR)));
		row_set(w, C_BY, "学生本人");
		row_set(w, C_SOURCE, "学生自述");
		row_set(w, C_TYPE, "辅导交流");
		mood = rec_int(r, F_FEELING, 0);
		if (rec_str(r, F_TOPICS)) {
			char t[REC_TEXT_MAX];

			ledger_labels(
			    F_TOPICS, rec_str(r, F_TOPICS), t, sizeof(t));
			row_set(w, C_FOUND, "谈到：%s", t);
		}
	}
	if (mood >= 1 && mood <= 5)
		row_set(w, C_MOOD, "%s", mood_zh[mood]);
	row_labels(w, C_NOTES, r, F_NOTES);
	row_set(w, C_SEQ, "%llu", (unsigned long long) r->seq);
	return (c->rc = emit(c));
}

static int
fill_care(struct lctx *c)
{
	return walk(c, care_fn);
}

/* 走访记录台账 */
static int
visit_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct lctx *c = arg;
	const struct child *k;
	struct row *w = &c->row;
	uint32_t day;
	int64_t n;

	k = kid_row(c, r, REC_VISIT, voided_by, &day);
	if (k == 0)
		return c->rc;
	row_kid(c, k, day, (const int[5]){V_NO, V_DATE, V_ID, V_NAME, V_CLASS});
	row_set(w, V_BY, "%s", staff_name(c, r->author));
	row_labels(w, V_MET, r, F_MET);
	row_set(w, V_GUARD, "%s", rec_int(r, F_GUARDIANSHIP, 0) ? "是" : "否");
	if (rec_str(r, F_HAZARDS))
		row_labels(w, V_HAZARDS, r, F_HAZARDS);
	else
		row_set(w, V_HAZARDS, "无");
	n = rec_int(r, F_STUDY, 0);
	if (n >= 1 && n <= 3)
		row_set(w, V_STUDY, "%s", level_zh[n]);
	n = rec_int(r, F_HEALTH, 0);
	if (n >= 1 && n <= 3)
		row_set(w, V_HEALTH, "%s", level_zh[n]);
	n = rec_int(r, F_MOOD, 0);
	if (n >= 1 && n <= 5)
		row_set(w, V_MOOD, "%s", mood_zh[n]);
	row_labels(w, V_PROBLEMS, r, F_PROBLEMS);
	row_labels(w, V_ACTIONS, r, F_ACTIONS);
	row_set(w, V_NEXT, "%s",
	    rec_str(r, F_NEXT_VISIT) ? rec_str(r, F_NEXT_VISIT) : "");
	row_labels(w, V_NOTES, r, F_NOTES);
	row_set(w, V_SEQ, "%llu", (unsigned long long) r->seq);
	return (c->rc = emit(c));
}

static int
fill_visits(struct lctx *c)
{
	return walk(c, visit_fn);
}

/* 安全知识大讲堂签到表: one row per lecture and class. */
struct att {
	char class_name[64];
	char child[GU_ID_LEN + 1];
	uint64_t seq;
};

struct att_list {
	struct att *a;
	size_t n, cap;
};

static int
att_add(void *arg, const char *class_name, const char *child_id, uint64_t seq)
{
	struct att_list *l = arg;
	struct att *n = grow(l->a, &l->cap, l->n, sizeof(*n), 256);

	if (n == 0)
		return GU_ENOMEM;
	l->a = n;
	snprintf(l->a[l->n].class_name, sizeof(l->a[0].class_name), "%s",
	    class_name);
	snprintf(l->a[l->n].child, sizeof(l->a[0].child), "%s", child_id);
	l->a[l->n].seq = seq;
	l->n++;
	return 0;
}

struct absence {
	uint64_t lecture;
	char child[GU_ID_LEN + 1];
	const char *reason; /* Chinese */
};

static int
absence_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct lctx *c = arg;
	struct absence *a;

	if (r->kind != REC_ABSENCE || voided_by)
		return 0;
	a = grow(c->abs, &c->abs_cap, c->nabs, sizeof(*a), 64);
	if (a == 0)
		return (c->rc = GU_ENOMEM);
	c->abs = a;
	a = &c->abs[c->nabs++];
	a->lecture = (uint64_t) rec_int(r, F_LECTURE, 0);
	snprintf(a->child, sizeof(a->child), "%s", rec_child(r));
	a->reason = ledger_label(F_ABSENCE, rec_str(r, F_ABSENCE));
	return 0;
}

/* The latest reason recorded for child's absence from lecture, or 0. */
static const char *
absence_of(const struct lctx *c, uint64_t lecture, const char *child)
{
	for (size_t i = c->nabs; i-- > 0;)
		if (c->abs[i].lecture == lecture &&
		    strcmp(c->abs[i].child, child) == 0)
			return c->abs[i].reason;
	return 0;
}

/* Appends "、name" (or "name") to the cell being built in buf. */
static void
name_add(char *buf, size_t cap, size_t *used, const char *name)
{
	int k;

	if (*used + 1 >= cap)
		return;
	k = snprintf(buf + *used, cap - *used, "%s%s", *used ? "、" : "", name);
	if (k < 0 || (size_t) k >= cap - *used)
		buf[*used] = '\0';
	else
		*used += (size_t) k;
}

static int
lecture_class(struct lctx *c, const struct record *lec, uint32_t lday,
    const char *cls, const struct att_list *al)
{
	static char absent[4096], makeup[4096], reasons[4096];
	struct row *w = &c->row;
	size_t au = 0, mu = 0, ru = 0;
	uint32_t present = 0, missing = 0;

	absent[0] = makeup[0] = reasons[0] = '\0';
	for (size_t i = 0; i < al->n; i++) {
		const struct child *k;
		struct record a;

		if (strcmp(al->a[i].class_name, cls) != 0)
			continue;
		present++;
		/* A make-up (F_MAKEUP), or a sign-in on a later day (but a
		 * lecture entered afterwards, 补录, is signed in later). */
		if (store_get(c->s, al->a[i].seq, &a) == GU_OK &&
		    (rec_int(&a, F_MAKEUP, 0) ||
		        (!rec_int(lec, F_LATE, 0) &&
		            store_day_of(a.time_ms, a.tz_min) > lday))) {
			const char *why =
			    absence_of(c, lec->seq, al->a[i].child);
			char nr[160];

			k = kid_find(c, al->a[i].child);
			name_add(makeup, sizeof(makeup), &mu,
			    k ? k->name : al->a[i].child);
			if (why) { /* absent at the time, for this reason */
				snprintf(nr, sizeof(nr), "%s：%s",
				    k ? k->name : al->a[i].child, why);
				name_add(reasons, sizeof(reasons), &ru, nr);
			}
		}
	}
	for (size_t j = 0; j < c->nkids; j++) {
		const struct child *k = &c->kids[j];
		int here = 0;

		if (strcmp(k->class_name, cls) != 0)
			continue;
		for (size_t i = 0; !here && i < al->n; i++)
			here = strcmp(al->a[i].child, k->id) == 0;
		if (!here) {
			const char *why = absence_of(c, lec->seq, k->id);
			char nr[160];

			missing++;
			name_add(absent, sizeof(absent), &au, k->name);
			if (why) {
				snprintf(
				    nr, sizeof(nr), "%s：%s", k->name, why);
				name_add(reasons, sizeof(reasons), &ru, nr);
			}
		}
	}
	row_clear(w);
	row_set(w, L_NO, "%u", xlsx_rows(c->x, c->sheet) + 1);
	row_day(w, L_DATE, lday);
	row_labels(w, L_TOPIC, lec, F_TOPIC);
	row_set(w, L_LECTURER, "%s%s", rec_str(lec, F_LECTURER),
	    rec_int(lec, F_LATE, 0) ? "（补录）" : "");
	row_set(w, L_CLASS, "%s", cls);
	row_set(w, L_EXPECTED, "%u", present + missing);
	row_set(w, L_PRESENT, "%u", present);
	row_set(w, L_ABSENT, "%u", missing);
	row_set(w, L_ABSENT_NAMES, "%s", absent);
	row_set(w, L_REASONS, "%s", reasons);
	row_set(w, L_MAKEUP, "%s", makeup);
	row_set(w, L_SEQ, "%llu", (unsigned long long) lec->seq);
	return emit(c);
}

static int
lecture_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct lctx *c = arg;
	struct att_list al = {0, 0, 0};
	const char *p;
	uint32_t day;
	int rc;

	if (r->kind == REC_ATTENDANCE && voided_by) {
		day = store_day_of(r->time_ms, r->tz_min);
		if (in_period(c, day))
			return (
			    c->rc = void_row(c, r, rec_child(r), voided_by));
		return 0;
	}
	if (r->kind != REC_LECTURE)
		return 0;
	day = rec_day(r);
	if (!in_period(c, day))
		return 0;
	if (voided_by)
		return (c->rc = void_row(c, r, 0, voided_by));
	rc = store_lecture_attendance(c->s, r->seq, att_add, &al);
	p = rec_str(r, F_CLASSES);
	while (rc == GU_OK && p && *p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t) (e - p) : strlen(p);
		char cls[REC_VALUE_MAX + 1];

		memcpy(cls, p, n < REC_VALUE_MAX ? n : REC_VALUE_MAX);
		cls[n < REC_VALUE_MAX ? n : REC_VALUE_MAX] = '\0';
		rc = lecture_class(c, r, day, cls, &al);
		p = e ? e + 1 : 0;
	}
	free(al.a);
	return (c->rc = rc);
}

static int
fill_lectures(struct lctx *c)
{
	int rc = store_log_walk(c->s, 1, absence_fn, c);

	if (rc == GU_OK && c->rc == GU_OK)
		rc = store_log_walk(c->s, 1, lecture_fn, c);
	free(c->abs);
	c->abs = 0;
	c->nabs = c->abs_cap = 0;
	return rc ? rc : c->rc;
}

/* 强制报告与关注台账: urgent concerns first, each with its follow-ups. */
struct fu_list {
	uint64_t concern;
	size_t n;
	struct record *r; /* MAX_FOLLOWUPS, newest first */
	int closed;
	uint32_t closed_day;
};

static int
fu_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct fu_list *f = arg;

	if (r->kind != REC_FOLLOWUP || voided_by ||
	    (uint64_t) rec_int(r, F_CONCERN, 0) != f->concern)
		return 0;
	if (rec_int(r, F_CLOSES, 0) && !f->closed) {
		f->closed = 1;
		f->closed_day = store_day_of(r->time_ms, r->tz_min);
	}
	if (f->n < MAX_FOLLOWUPS)
		f->r[f->n++] = *r;
	return 0;
}

struct concern_pass {
	struct lctx *c;
	int urgent;
	struct fu_list fu;
};

static int
concern_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct concern_pass *cp = arg;
	struct lctx *c = cp->c;
	const struct child *k;
	struct row *w = &c->row;
	uint32_t day;
	char buf[ROW_BUF / 2];
	size_t used = 0;
	int rc;

	if (r->kind == REC_FOLLOWUP && voided_by && cp->urgent) {
		struct record con;

		if (!in_period(c, store_day_of(r->time_ms, r->tz_min)) ||
		    store_get(c->s, (uint64_t) rec_int(r, F_CONCERN, 0),
		        &con) != GU_OK ||
		    !kid_in_care(c, rec_child(&con)))
			return 0;
		return (c->rc = void_row(c, r, rec_child(&con), voided_by));
	}
	if (r->kind != REC_CONCERN)
		return 0;
	day = rec_day(r);
	k = kid_in_care(c, rec_child(r));
	if (k == 0 || !in_period(c, day))
		return 0;
	if (voided_by)
		return cp->urgent ? (c->rc = void_row(c, r, k->id, voided_by))
		                  : 0;
	if (!!(r->flags & REC_FLAG_URGENT) != cp->urgent)
		return 0;
	cp->fu.concern = r->seq;
	cp->fu.n = 0;
	cp->fu.closed = 0;
	rc = store_child_file(c->s, k->id, 0, fu_fn, &cp->fu);
	if (rc != GU_OK)
		return (c->rc = rc);
	buf[0] = '\0';
	for (size_t i = cp->fu.n; i-- > 0;) {
		const struct record *f = &cp->fu.r[i];
		char done[REC_TEXT_MAX], day_s[16];
		int n;

		ledger_labels(F_DONE, rec_str(f, F_DONE), done, sizeof(done));
		day_str(
		    store_day_of(f->time_ms, f->tz_min), day_s, sizeof(day_s));
		n = snprintf(buf + used, sizeof(buf) - used, "%s%s %s：%s%s",
		    used ? "；\n" : "", day_s, staff_name(c, f->author), done,
		    rec_int(f, F_CLOSES, 0) ? "（结案）" : "");
		if (n < 0 || (size_t) n >= sizeof(buf) - used) {
			buf[used] = '\0'; /* whole follow-ups only */
			break;
		}
		used += (size_t) n;
	}
	row_clear(w);
	row_set(w, K_NO, "%u", xlsx_rows(c->x, c->sheet) + 1);
	row_set(w, K_URGENT, "%s", cp->urgent ? "是" : "否");
	row_day(w, K_DATE, day);
	row_set(w, K_ID, "%s", k->id);
	row_set(w, K_NAME, "%s", k->name);
	row_set(w, K_CLASS, "%s", k->class_name);
	row_set(w, K_MENTOR, "%s", staff_name(c, k->mentor_id));
	row_set(w, K_BY, "%s", staff_name(c, r->author));
	row_labels(w, K_CONCERNS, r, F_CONCERNS);
	row_labels(w, K_NOTES, r, F_NOTES);
	row_set(w, K_FOLLOWUPS, "%s", buf);
	row_set(w, K_STATUS, "%s",
	    cp->fu.closed  ? "已结案"
	        : cp->fu.n ? "跟进中"
	                   : "未跟进");
	if (cp->fu.closed)
		row_day(w, K_CLOSED, cp->fu.closed_day);
	row_set(w, K_SEQ, "%llu", (unsigned long long) r->seq);
	return (c->rc = emit(c));
}

static int
fill_concerns(struct lctx *c)
{
	struct concern_pass cp = {c, 1, {0, 0, 0, 0, 0}};
	int rc;

	cp.fu.r = malloc(MAX_FOLLOWUPS * sizeof(*cp.fu.r));
	if (cp.fu.r == 0)
		return GU_ENOMEM;
	rc = store_log_walk(c->s, 1, concern_fn, &cp);
	if (rc == GU_OK && c->rc == GU_OK) {
		cp.urgent = 0;
		rc = store_log_walk(c->s, 1, concern_fn, &cp);
	}
	free(cp.fu.r);
	return rc ? rc : c->rc;
}

/* 帮扶计划台账: every standing plan of the period, each child's newest
 * one 现行 and the earlier ones 已被新计划取代.  The first walk finds each
 * child's newest standing plan (memory: one number per child). */
static size_t
kid_index(struct lctx *c, const struct child *k)
{
	size_t lo = 0, hi = c->nkids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp(k->id, c->by_id[mid]->id);

		if (d == 0)
			return mid;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return c->nkids;
}

static int
plan_newest_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct lctx *c = arg;
	const struct child *k;
	size_t i;

	if (r->kind != REC_PLAN || voided_by)
		return 0;
	k = kid_in_care(c, rec_child(r));
	if (k != 0 && (i = kid_index(c, k)) < c->nkids)
		c->newest_plan[i] = r->seq;
	return 0;
}

static int
plan_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct lctx *c = arg;
	const struct child *k;
	struct row *w = &c->row;
	char cats[32];
	uint32_t day;
	size_t i;

	k = kid_row(c, r, REC_PLAN, voided_by, &day);
	if (k == 0)
		return c->rc;
	i = kid_index(c, k);
	row_kid(c, k, day,
	    (const int[5]){PL_NO, PL_DATE, PL_ID, PL_NAME, PL_CLASS});
	cat_str(k->categories, cats, sizeof(cats));
	row_set(w, PL_CAT, "%s", cats);
	row_set(w, PL_MENTOR, "%s", staff_name(c, k->mentor_id));
	row_labels(w, PL_GOALS, r, F_GOALS);
	row_labels(w, PL_MEASURES, r, F_MEASURES);
	row_set(
	    w, PL_RESPONSIBLE, "%s", staff_name(c, rec_str(r, F_RESPONSIBLE)));
	row_set(w, PL_REVIEW, "%s",
	    rec_str(r, F_REVIEW) ? rec_str(r, F_REVIEW) : "");
	if (rec_str(r, F_PLAN_NOTE))
		row_set(w, PL_NOTE, "%s", rec_str(r, F_PLAN_NOTE));
	row_set(w, PL_STATUS, "%s",
	    i < c->nkids && c->newest_plan[i] == r->seq ? "现行"
	                                                : "已被新计划取代");
	row_set(w, PL_SEQ, "%llu", (unsigned long long) r->seq);
	return (c->rc = emit(c));
}

static int
fill_plans(struct lctx *c)
{
	int rc;

	c->newest_plan = calloc(c->nkids ? c->nkids : 1, sizeof(uint64_t));
	if (c->newest_plan == 0)
		return GU_ENOMEM;
	rc = store_log_walk(c->s, 1, plan_newest_fn, c);
	if (rc == GU_OK)
		rc = store_log_walk(c->s, 1, plan_fn, c);
	free(c->newest_plan);
	c->newest_plan = 0;
	return rc ? rc : c->rc;
}

/* 逾期事项清单: what tasks.c finds late as of c->asof_ms, the
 * headteacher's first, then each mentor's in the staff list's order. */
static const char *const task_zh[TASK_KIND_MAX] = {
    [TASK_CONTACT] = "关爱记录",
    [TASK_PHONE] = "亲情电话",
    [TASK_VISIT] = "家访",
    [TASK_FOLLOWUP] = "跟进关注",
    [TASK_ESCALATED] = "紧急关注超24小时",
    [TASK_MAKEUP] = "安全讲堂补课",
    [TASK_REVIEW] = "复查帮扶计划",
    [TASK_LECTURE] = "假期前安全教育",
    [TASK_TALK] = "学生想找老师说说话",
    [TASK_SAD] = "学生自己的记录里选了很难过",
};

static int
overdue_row(struct lctx *c, const struct task *t, const char *owner)
{
	const struct child *k = t->child[0] ? kid_find(c, t->child) : 0;
	struct row *w = &c->row;

	row_clear(w);
	row_set(w, O_NO, "%u", xlsx_rows(c->x, c->sheet) + 1);
	row_set(w, O_TASK, "%s",
	    t->kind < TASK_KIND_MAX && task_zh[t->kind] ? task_zh[t->kind]
	                                                : task_word(t->kind));
	if (t->child[0]) {
		row_set(w, O_ID, "%s", t->child);
		row_set(w, O_NAME, "%s", k ? k->name : t->name);
	}
	if (k) {
		row_set(w, O_CLASS, "%s", k->class_name);
		if (k->mentor_id[0])
			row_set(w, O_MENTOR, "%s", staff_name(c, k->mentor_id));
	}
	row_set(w, O_OWNER, "%s", staff_name(c, owner));
	row_day(w, O_DUE, t->due_day);
	row_set(w, O_DAYS, "%d", cal_days_between(t->due_day, c->asof_day));
	if (t->kind == TASK_LECTURE)
		row_set(w, O_DETAIL, "%s前的安全教育，还有 %u 个班没有上",
		    cal_holiday_zh(t->holiday) ? cal_holiday_zh(t->holiday)
		                               : "假期",
		    t->missing);
	else if (t->kind == TASK_ESCALATED)
		row_set(w, O_DETAIL, "强制报告，超过%d小时未结案",
		    TASKS_URGENT_HOURS);
	if (t->ref)
		row_set(w, O_REF, "%llu", (unsigned long long) t->ref);
	return emit(c);
}

/* Runs one list (the head's when mentor is NULL) and writes its late
 * tasks; out grows to hold every task of it. */
static int
overdue_list(struct lctx *c, const struct care_rules *rules, const char *mentor,
    struct task **out, size_t *cap)
{
	size_t n = 0;
	int rc;

	for (;;) {
		rc = mentor
		    ? tasks_for_mentor(
		          c->s, rules, mentor, c->asof_ms, *out, *cap, &n)
		    : tasks_for_head(c->s, rules, c->asof_ms, *out, *cap, &n);
		if (rc != GU_OK || n <= *cap)
			break;
		{
			struct task *g = realloc(*out, n * sizeof(*g));

			if (g == 0)
				return GU_ENOMEM;
			*out = g;
			*cap = n;
		}
	}
	for (size_t i = 0; rc == GU_OK && i < n; i++)
		if ((*out)[i].when == TASK_OVERDUE)
			rc = overdue_row(
			    c, &(*out)[i], mentor ? mentor : c->head);
	return rc;
}

static int
fill_overdue(struct lctx *c)
{
	struct mentor_list m = {c, 0, 0, 0};
	struct care_rules rules = {c->contact_days, c->term_start_day, 480, 0};
	struct calendar *cal = malloc(sizeof(*cal));
	struct task *t = 0;
	size_t cap = 256;
	int rc;

	t = malloc(cap * sizeof(*t));
	if (cal == 0 || t == 0) {
		free(cal);
		free(t);
		return GU_ENOMEM;
	}
	/* The calendar as the kiosk loads it (care_policy_calendar). */
	if (store_calendar_get(c->s, cal) != GU_OK)
		calendar_default(cal, c->asof_day);
	rules.cal = cal->n ? cal : 0;
	rc = store_staff_list(c->s, mentor_add, &m);
	if (rc == GU_OK)
		rc = overdue_list(c, &rules, 0, &t, &cap);
	for (size_t i = 0; rc == GU_OK && i < m.n; i++)
		rc = overdue_list(c, &rules, m.ids[i], &t, &cap);
	free(m.ids);
	free(t);
	free(cal);
	return rc;
}

/* 工作日志台账: the mentors' logs of their own work. */
static int
worklog_fn(void *arg, const struct record *r, uint64_t voided_by)
{
	struct lctx *c = arg;
	struct row *w = &c->row;
	uint32_t day;

	if (r->kind != REC_WORKLOG)
		return 0;
	day = rec_day(r);
	if (!in_period(c, day))
		return 0;
	if (voided_by)
		return (c->rc = void_row(c, r, 0, voided_by));
	row_clear(w);
	row_set(w, W_NO, "%u", xlsx_rows(c->x, c->sheet) + 1);
	row_day(w, W_DATE, day);
	row_set(w, W_MENTOR_ID, "%s", r->author);
	row_set(w, W_MENTOR, "%s", staff_name(c, r->author));
	row_labels(w, W_WORK, r, F_WORK);
	if (rec_str(r, F_NOTE))
		row_set(w, W_NOTE, "%s", rec_str(r, F_NOTE));
	row_set(w, W_SEQ, "%llu", (unsigned long long) r->seq);
	return (c->rc = emit(c));
}

static int
fill_worklog(struct lctx *c)
{
	return walk(c, worklog_fn);
}

/* ---- Files ---- */

int
ledger_commit_file(
    const char *part, const char *path, char *why, size_t why_len)
{
	char dir[1024];
	const char *slash;
	int fd, rc = GU_OK;

	fd = open(part, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		snprintf(why, why_len, "%s: %s", part, strerror(errno));
		rc = GU_EIO;
	}
	if (fd >= 0)
		close(fd);
	if (rc == GU_OK && rename(part, path) != 0) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		rc = GU_EIO;
	}
	if (rc != GU_OK) {
		unlink(part);
		return rc;
	}
	slash = strrchr(path, '/');
	if (slash) {
		size_t n = (size_t) (slash - path);

		if (n == 0)
			n = 1;
		if (n < sizeof(dir)) {
			memcpy(dir, path, n);
			dir[n] = '\0';
		} else {
			dir[0] = '\0';
		}
	} else {
		memcpy(dir, ".", 2);
	}
	fd = dir[0] ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		if (fsync(fd) != 0 && errno != EINVAL) {
			snprintf(why, why_len, "%s: %s", dir, strerror(errno));
			rc = GU_EIO;
		}
		close(fd);
	}
	return rc;
}

/* Why writing into dir failed, in words a headteacher can act on. */
static void
write_failure(const char *dir, const char *detail, char *why, size_t why_len)
{
	struct statvfs vfs;
	struct stat st;

	if (stat(dir, &st) != 0)
		snprintf(why, why_len,
		    "%s: the folder is gone (was the USB stick pulled out?)",
		    dir);
	else if (statvfs(dir, &vfs) == 0 &&
	    (uint64_t) vfs.f_bavail * vfs.f_frsize < 256 * 1024)
		snprintf(why, why_len,
		    "%s: the disk is full (free some space or use another "
		    "stick)",
		    dir);
	else
		snprintf(
		    why, why_len, "%s: cannot write the file: %s", dir, detail);
}

/* Checks that dir is a folder we may write into. */
static int
check_dir(const char *dir, char *why, size_t why_len)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		snprintf(why, why_len,
		    "%s: no such folder (is the USB stick plugged in?)", dir);
		return GU_EIO;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "%s: not a folder", dir);
		return GU_EIO;
	}
	if (access(dir, W_OK) != 0) {
		snprintf(why, why_len, "%s: cannot write here: %s", dir,
		    strerror(errno));
		return GU_EIO;
	}
	return GU_OK;
}

int
ledger_write(struct store *s, int kind, const struct ledger_period *p,
    const struct ledger_tmpl *t, uint32_t made, const struct ledger_asof *asof,
    const char *outdir, struct ledger_result *res, char *why, size_t why_len)
{
	struct ledger_tmpl *def_t = 0;
	struct xlsx_col cols[LEDGER_MAX_COLS];
	struct lctx *c = 0;
	char part[1100] = "", title[512], sub[512], made_s[16], a[16], b[16];
	char detail[256] = "";
	uint32_t stamp_day;
	int64_t created;
	int rc;

	memset(res, 0, sizeof(*res));
	if (kind < 0 || kind >= LEDGER_N)
		return GU_EINVAL;
	rc = check_dir(outdir, why, why_len);
	if (rc != GU_OK)
		return rc;
	if (t == 0) {
		def_t = malloc(sizeof(*def_t));
		if (def_t == 0)
			return GU_ENOMEM;
		ledger_tmpl_default(def_t);
		t = def_t;
	}
	c = calloc(1, sizeof(*c));
	if (c == 0) {
		rc = GU_ENOMEM;
		goto out;
	}
	c->s = s;
	c->kind = kind;
	c->def = &ledgers[kind];
	c->lay = &t->l[kind];
	c->p = p;
	/* The overdue list's moment: the end of its last day, or the given
	 * moment (the kiosk's now) when that lies within the day. */
	c->asof_day = made && made < p->to ? made : p->to;
	c->asof_ms = cal_day_start_ms(cal_day_add(c->asof_day, 1), 480) - 1;
	if (asof && asof->now_ms > 0 && asof->now_ms < c->asof_ms &&
	    cal_day_of(asof->now_ms, 480) == c->asof_day)
		c->asof_ms = asof->now_ms;
	c->contact_days =
	    asof && asof->contact_days > 0 ? asof->contact_days : 14;
	c->term_start_day = asof ? asof->term_start_day : 0;
	rc = store_info(s, &c->info);
	if (rc == GU_OK)
		rc = load_roster(c);
	if (rc != GU_OK) {
		snprintf(why, why_len, "reading the store: %s", status_str(rc));
		goto out;
	}
	snprintf(
	    res->path, sizeof(res->path), "%s/%s.xlsx", outdir, c->def->zh);
	snprintf(part, sizeof(part), "%s.part", res->path);

	/* The workbook's own timestamp: the period's end, or the day it was
	 * made if that is earlier; 23:59:59 China time. */
	stamp_day = made && made < p->to ? made : p->to;
	created = day_number(stamp_day) * 86400 + 86399 - 8 * 3600;
	day_str(made, made_s, sizeof(made_s));
	day_str(p->from, a, sizeof(a));
	day_str(p->to, b, sizeof(b));
	snprintf(title, sizeof(title), "%s %s %s", c->info.school_name,
	    p->label, c->def->zh);
	if (kind == LEDGER_OVERDUE) {
		int64_t local = c->asof_ms / 1000 + 480 * 60;

		snprintf(sub, sizeof(sub),
		    "统计期间：%s 至 %s　　逾期截至：%04u-%02u-%02u "
		    "%02d:%02d　　制表日期：%s　　设备：%s　　学校代码：%s",
		    a, b, c->asof_day / 10000, c->asof_day / 100 % 100,
		    c->asof_day % 100, (int) (local / 3600 % 24),
		    (int) (local / 60 % 60), made_s, c->info.device,
		    c->info.school_id);
	} else if (c->def->log)
		snprintf(sub, sizeof(sub),
		    "统计期间：%s 至 "
		    "%s　　制表日期：%s　　设备：%s　　学校代码：%s",
		    a, b, made_s, c->info.device, c->info.school_id);
	else
		snprintf(sub, sizeof(sub),
		    "统计期间：%s 至 "
		    "%s　　制表日期：%s（名册为制表日在册的儿童）"
		    "　　设备：%s　　学校代码：%s",
		    a, b, made_s, c->info.device, c->info.school_id);
	for (int j = 0; j < c->lay->n; j++) {
		const struct lcol *lc = &c->def->cols[c->lay->col[j]];

		cols[j].title = c->lay->title[j];
		cols[j].type = lc->type;
		cols[j].width = lc->width;
	}
	rc = xlsx_new(&c->x, part, created, title, detail, sizeof(detail));
	if (rc == GU_OK)
		rc = xlsx_sheet(
		    c->x, c->def->zh, title, sub, cols, c->lay->n, &c->sheet);
	if (rc == GU_OK && c->def->log) {
		struct xlsx_col vc[X_N];
		char vtitle[600];

		for (int j = 0; j < X_N; j++) {
			vc[j].title = void_cols[j].zh;
			vc[j].type = void_cols[j].type;
			vc[j].width = void_cols[j].width;
		}
		snprintf(vtitle, sizeof(vtitle), "%s（已作废的记录）", title);
		rc = xlsx_sheet(
		    c->x, "作废记录", vtitle, sub, vc, X_N, &c->vsheet);
	}
	if (rc != GU_OK) {
		snprintf(why, why_len, "%s: cannot start the workbook", part);
		goto out;
	}
	rc = c->def->fill(c);
	if (rc != GU_OK) {
		snprintf(why, why_len, "%s: %s", c->def->zh, status_str(rc));
		goto out;
	}
	res->rows = xlsx_rows(c->x, c->sheet);
	snprintf(sub, sizeof(sub), "合计：%u 条", res->rows);
	rc = xlsx_note(c->x, c->sheet, sub);
	if (rc == GU_OK && c->def->log) {
		res->voided = xlsx_rows(c->x, c->vsheet);
		snprintf(sub, sizeof(sub),
		    "合计：%u 条已作废的记录，不计入台账", res->voided);
		rc = xlsx_note(c->x, c->vsheet, sub);
	}
	{
		struct xlsx *x = c->x;

		c->x = 0;
		if (xlsx_close(x, detail, sizeof(detail)) != GU_OK ||
		    rc != GU_OK) {
			write_failure(outdir, detail, why, why_len);
			rc = GU_EIO;
			goto out;
		}
	}
	rc = ledger_commit_file(part, res->path, detail, sizeof(detail));
	if (rc != GU_OK)
		write_failure(outdir, detail, why, why_len);
out:
	if (c) {
		if (c->x) {
			xlsx_close(c->x, detail, sizeof(detail));
			c->x = 0;
		}
		free(c->kids);
		free(c->by_id);
		free(c->staff);
		free(c);
	}
	if (rc != GU_OK && part[0])
		unlink(part);
	free(def_t);
	return rc;
}
