#!/bin/sh
# Issue 15 item 3: the half-yearly inspection pack (guanai-district
# pack).  Three demo schools upload sealed batches into a PostgreSQL of
# the test's own; the district acknowledges one school's urgent concern
# and the school closes it; an older concern, closed before the period,
# is added.  The pack (--all, and --school) is read back with openpyxl:
# its sheets, headers, frozen rows, dates as dates, and the row counts
# against the database; the closed concern is listed with its ack, the
# older one is not; a second run gives the same bytes; a bad --school, a
# bad day or a bad name is a clear error and leaves no file.
. "$(dirname "$0")/lib/sync.sh"
. "$(dirname "$0")/lib/pg.sh"
. "$(dirname "$0")/lib/district.sh"
# Debian's python3, where python3-openpyxl is (not a python3 of PATH)
PY=/usr/bin/python3
"$PY" -c 'import openpyxl' 2>/dev/null || { echo "SKIP: no python3-openpyxl"; exit 77; }
start_pg
# the period ends today (Beijing): the district's ack (now) falls in it
TD=$(TZ=Asia/Shanghai date +%Y-%m-%d)
FROM=$(date -u -d "$TD -60 days" +%Y-%m-%d)
district_setup
SCHOOLS="S430603002 S430603003 S430603005"
for id in $SCHOOLS; do
	district_school "$id" "${id#S4306030}" "$(date -u -d "$TD -2 days" +%Y-%m-%d)"
	district_upload "$id" "$(date -u -d "$TD -1 day" +%Y-%m-%d) 08:00"
done
district_conf
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { echo "FAIL: ingest"; cat "$T/err"; exit 1; }

echo "== an urgent concern acknowledged and closed in the period, an old one closed before it"
C=$($PSQL -c "SELECT school || '/' || device || '/' || epoch || '/' || seq FROM urgent_open WHERE school = 'S430603002'")
[ -n "$C" ] || { echo "FAIL: the demo school has no open urgent concern"; exit 1; }
"$DIST" ack --config "$T/d.conf" --concern "$C" --by 区教体局安全科 --outcome police >/dev/null || exit 1
seq=${C##*/}
$PSQL -c "INSERT INTO records (school, device, epoch, seq, kind, time, child, author, doc)
	SELECT school, device, epoch, 2000000 + seq, 'followup', now(), child, author,
	jsonb_build_object('kind', 'followup', 'concern', seq, 'closes', true,
	  'done', jsonb_build_array('reported_police', 'home_visit'))
	FROM records WHERE school = 'S430603002' AND kind = 'concern' AND seq = $seq;
	INSERT INTO records (school, device, epoch, seq, kind, time, child, author, doc)
	SELECT school, device, epoch, 3000000 + n, CASE n WHEN 0 THEN kind ELSE 'followup' END, time - interval '100 days' + n * interval '10 days', child, author,
	CASE n WHEN 0 THEN doc ELSE jsonb_build_object('kind', 'followup', 'concern', 3000000, 'closes', true) END
	FROM records, generate_series(0, 1) n WHERE school = 'S430603002' AND kind = 'concern' AND seq = $seq" || exit 1
[ -z "$($PSQL -c "SELECT 1 FROM urgent_open WHERE school = 'S430603002'")" ] || { echo "FAIL: the concerns are not closed"; exit 1; }
echo "ok: $C acknowledged (已转公安) and closed"

echo "== the pack of every school, read back"
mkdir -p "$T/out"
start=$(date +%s.%N)
"$DIST" pack --config "$T/d.conf" --all --from "$FROM" --to "$TD" "$T/out/all.xlsx" >/dev/null || exit 1
echo "pack of $(echo $SCHOOLS | wc -w) schools in $(echo "$(date +%s.%N) - $start" | bc)s"
"$DIST" pack --config "$T/d.conf" --school S430603002 --from "$FROM" --to "$TD" "$T/out/one.xlsx" >/dev/null || exit 1
[ ! -e "$T/out/all.xlsx.part" ] || { echo "FAIL: a .part left"; exit 1; }
# what the database says, counted here without the pack's queries
P="'$FROM 00:00+08'::timestamptz"; Q="'$TD 24:00+08'::timestamptz"
q() { $PSQL -c "$1"; }
incare() { q "SELECT count(*) FROM roster_children WHERE (categories <> 0 OR mentor <> '') $1"; }
live() { q "SELECT count(*) FROM records_live WHERE time >= $P AND time < $Q $1"; }
cat >"$T/want" <<EOW
schools $(echo $SCHOOLS | wc -w)
incare $(incare "")
incare_one $(incare "AND school = 'S430603002'")
lectures $(live "AND kind = 'lecture_end'")
urgent $(live "AND kind = 'concern' AND (doc->>'urgent')::bool")
voids $(q "SELECT count(*) FROM records WHERE kind = 'void' AND time >= $P AND time < $Q")
visits $(live "AND kind = 'visit' AND (school, child) IN (SELECT school, child FROM roster_children WHERE categories <> 0 OR mentor <> '')")
records_S430603003 $(live "AND school = 'S430603003'")
EOW
cat "$T/want"
"$PY" - "$T/out/all.xlsx" "$T/out/one.xlsx" "$T/want" "$C" <<'PY' || exit 1
import sys, datetime, openpyxl
want = dict(l.split() for l in open(sys.argv[3]))
want = {k: int(v) for k, v in want.items()}
C = sys.argv[4]
def fail(m): print("FAIL: " + m); sys.exit(1)
names = ["汇总", "关爱对象名册", "家访与联系", "安全教育讲座", "紧急报告", "作废记录"]
def rows(ws):
    # the title, the subtitle, then the header on row 3; data from row 4
    return [r for r in ws.iter_rows(min_row=4, values_only=True) if any(c is not None for c in r)]
def head(ws): return [c.value for c in ws[3]]
def col(ws, title):
    h = head(ws)
    if title not in h: fail("%s: no column %s in %s" % (ws.title, title, h))
    return h.index(title)
for path in sys.argv[1:3]:
    wb = openpyxl.load_workbook(path)
    if wb.sheetnames != names: fail("%s: sheets %s" % (path, wb.sheetnames))
    for ws in wb:
        if ws.freeze_panes != "A4": fail("%s: header not frozen (%s)" % (ws.title, ws.freeze_panes))
        h = head(ws)
        if h[0] != "学校代码": fail("%s: no school column first: %s" % (ws.title, h))
        for i, t in enumerate(h):
            if not t or any("a" <= ch.lower() <= "z" for ch in t): fail("%s: header %r not Chinese" % (ws.title, t))
            w = ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
            # the header fits on one line: a Chinese character is two wide
            need = sum(2 if ord(ch) > 127 else 1 for ch in t)
            if not w or w < need: fail("%s: column %s is %s wide, its header needs %d" % (ws.title, t, w, need))
wb = openpyxl.load_workbook(sys.argv[1])
s = rows(wb["汇总"])
if len(s) != want["schools"]: fail("summary: %d rows, %d schools" % (len(s), want["schools"]))
sh = head(wb["汇总"])
if sum(r[sh.index("在册关爱儿童")] for r in s) != want["incare"]: fail("summary: children in care")
r3 = [r for r in s if r[0] == "S430603003"][0]
if r3[sh.index("期内记录")] != want["records_S430603003"]: fail("summary: records of S430603003: %r" % (r3,))
if not isinstance(r3[sh.index("最后上传")], datetime.datetime): fail("summary: the last upload is not a date")
for name, key in (("关爱对象名册", "incare"), ("家访与联系", "incare"), ("安全教育讲座", "lectures"),
                  ("紧急报告", "urgent"), ("作废记录", "voids")):
    n = len(rows(wb[name]))
    if n != want[key]: fail("%s: %d rows, the database has %d" % (name, n, want[key]))
ws = wb["家访与联系"]
if sum(r[col(ws, "家访（次）")] for r in rows(ws)) != want["visits"]: fail("visits per child do not add up")
ws = wb["安全教育讲座"]
for r in rows(ws):
    if not isinstance(r[col(ws, "日期")], datetime.datetime): fail("a lecture's day is not a date")
    if r[col(ws, "主题")] not in ("防溺水", "交通安全", "消防安全", "食品安全", "文明上网", "禁毒防艾", "青春期自护", "应急避险与自救互救", "法治教育", "其他"):
        fail("a lecture's topic is not in Chinese: %r" % (r,))
ws = wb["紧急报告"]
u = [r for r in rows(ws) if r[col(ws, "报告编号")] == C]
if len(u) != 1: fail("the concern closed in the period is not listed once")
u = u[0]
def cell(t): return u[col(ws, t)]
if cell("状态") != "已结" or cell("受理结果") != "已转公安" or cell("受理人") != "区教体局安全科" \
   or "已报警（110）" not in (cell("学校处置") or "") or not isinstance(cell("区受理日期"), datetime.datetime) \
   or not isinstance(cell("结案日期"), datetime.datetime) or not isinstance(cell("历时（天）"), int) or not cell("姓名"):
    fail("the closed concern's row: %r" % (u,))
if any(r[col(ws, "报告编号")].endswith("/3000000") for r in rows(ws)): fail("a concern closed before the period is listed")
ws = wb["作废记录"]
for r in rows(ws):
    if r[col(ws, "被作废的记录")] in (None, "?") or not r[col(ws, "原因")] or any("a" <= ch <= "z" for ch in r[col(ws, "原因")] + r[col(ws, "被作废的记录")]):
        fail("a void's kind or reason is not in Chinese: %r" % (r,))
one = openpyxl.load_workbook(sys.argv[2])
if {r[0] for ws in one for r in rows(ws)} != {"S430603002"}: fail("--school: other schools in the pack")
if len(rows(one["关爱对象名册"])) != want["incare_one"]: fail("--school: roster rows")
print("ok: 6 sheets, Chinese headers, frozen, widths; rows as in the database; %s listed 已结, 已转公安; the old one not" % C)
PY

echo "== the same bytes again"
"$DIST" pack --config "$T/d.conf" --all --from "$FROM" --to "$TD" "$T/out/again.xlsx" >/dev/null || exit 1
cmp "$T/out/all.xlsx" "$T/out/again.xlsx" || { echo "FAIL: a second run differs"; exit 1; }
echo "ok: byte-identical ($(md5sum <"$T/out/all.xlsx" | cut -c1-12))"

echo "== bad arguments: a clear error, no file"
bad() {
	want=$1; shift
	rc=0; "$DIST" pack --config "$T/d.conf" "$@" "$T/out/bad.xlsx" 2>"$T/err" || rc=$?
	[ $rc -ne 0 ] && grep -q -- "$want" "$T/err" || { echo "FAIL: $* (exit $rc) did not say '$want'"; cat "$T/err"; exit 1; }
	[ -z "$(ls "$T/out" | grep bad)" ] || { echo "FAIL: $* left a file"; exit 1; }
	echo "ok: $(cat "$T/err")"
}
bad "^guanai-district pack: --school S999: no such school in the database" --school S999
bad "^guanai-district pack: --from 2026-02-30: not a day (YYYY-MM-DD)" --all --from 2026-02-30
bad "^guanai-district pack: --to 12/12/2026: not a day" --all --to 12/12/2026
bad "^guanai-district pack: --from $TD is after --to $FROM" --all --from "$TD" --to "$FROM"
bad "^usage: guanai-district pack" --school S430603002 --all
rc=0; "$DIST" pack --config "$T/d.conf" --all "$T/out/bad.csv" 2>"$T/err" || rc=$?
[ $rc -eq 2 ] && grep -q "bad.csv: the workbook's name must end in .xlsx" "$T/err" || { echo "FAIL: a name without .xlsx"; exit 1; }
rc=0; "$DIST" pack --config "$T/d.conf" --all "$T/nodir/p.xlsx" 2>"$T/err" || rc=$?
[ $rc -ne 0 ] && grep -q "$T/nodir/p.xlsx" "$T/err" && [ ! -e "$T/nodir" ] || { echo "FAIL: a missing folder (exit $rc)"; cat "$T/err"; exit 1; }
echo "ok: $(cat "$T/err")"
echo "PASS"
