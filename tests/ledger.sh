#!/bin/sh
# The ledgers (guanai-sync ledger) and the child's file (guanai-sync file)
# end to end on a demo school: every sheet read back with openpyxl and
# with LibreOffice headless, row counts against the store's standing
# records counted independently from `guanai-sync dump | jq`, voided
# records only on their own sheet, byte-identical files for the same
# input, district templates, and bad input that leaves no final-named
# file.
set -eu
B=${BUILD:-build}
PY=/usr/bin/python3
# Under SAN=1: two small leaks inside cairo and fontconfig are not ours.
LSAN_OPTIONS="suppressions=$(pwd)/tests/ledger.lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
T=$(mktemp -d /tmp/guanai-ledger-XXXXXX)
cleanup() {
	umount "$T/full" 2>/dev/null || true
	umount "$T/ro" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
$PY -c 'import openpyxl' 2>/dev/null || { echo "python3-openpyxl missing"; exit 77; }
command -v libreoffice >/dev/null || { echo "libreoffice missing"; exit 77; }

D=$T/school
"$B/guanai-demo" --data "$D" --children 300 --seed 3 --today 2026-12-20 --fast-pins >/dev/null 2>&1
FROM=2026-09-01 TO=2027-01-31

echo "void a check-in, a visit, a concern and a plan"
"$B/guanai-sync" dump --data "$D" > "$T/dump0.json"
ck=$(jq -r 'select(.kind=="checkin") | .seq' "$T/dump0.json" | sed -n 5p)
vi=$(jq -r 'select(.kind=="visit") | .seq' "$T/dump0.json" | sed -n 2p)
co=$(jq -r 'select(.kind=="concern") | .seq' "$T/dump0.json" | sed -n 2p)
pl=$(jq -r 'select(.kind=="plan") | .seq' "$T/dump0.json" | sed -n 1p)
[ -n "$pl" ] || fail "the demo school has no plan"
"$B/tools/gu_void" "$D" T0001 "$ck" "$vi" "$co" "$pl"
"$B/guanai-sync" dump --data "$D" > "$T/dump.json"
jq -se "map(select(.seq==$ck))[0].voided_by" "$T/dump.json" >/dev/null || fail "void not in dump"

echo "all ledgers for the term"
mkdir "$T/out"
"$B/guanai-sync" ledger --data "$D" --term 2026-autumn --made 2026-12-20 all "$T/out" > "$T/log"
[ "$(ls "$T/out" | wc -l)" -eq 10 ] || fail "expected 10 files: $(ls "$T/out")"
ls "$T/out" | grep -q '\.part$' && fail ".part file left"

echo "openpyxl reads every sheet; counts match the store's standing records"
$PY - "$T/out" "$T/dump.json" "$D/demo-roster/children.csv" "$FROM" "$TO" "$ck" "$vi" "$co" "$pl" <<'PYEOF'
import csv, json, os, sys, datetime
import openpyxl
out, dump, roster, frm, to = sys.argv[1:6]
voided = set(int(x) for x in sys.argv[6:10])
recs = [json.loads(l) for l in open(dump, encoding='utf-8')]
kids = {}
with open(roster, encoding='utf-8-sig') as f:
    for row in csv.DictReader(f):
        kids[row['学籍号']] = row
def in_care(cid):
    k = kids.get(cid)
    return k is not None and (k['类别'] != '' or k['成长导师工号'] != '')
def day(r):
    return r.get('date') or r['time'][:10]
def standing(kinds):
    return [r for r in recs if r['kind'] in kinds and 'voided_by' not in r
            and frm <= day(r) <= to and in_care(r.get('child'))]
def sheet(name, title=None):
    wb = openpyxl.load_workbook(os.path.join(out, name + '.xlsx'))
    ws = wb[title or name]
    rows = list(ws.iter_rows(values_only=True))
    assert ws.freeze_panes == 'A4', (name, ws.freeze_panes)
    assert rows[0][0].startswith('云溪区青山小学 2026年秋季学期 '), rows[0][0]
    assert '2026-09-01' in rows[1][0] and 'kiosk-01' in rows[1][0], rows[1][0]
    head = rows[2]
    data = [r for r in rows[3:] if any(v is not None for v in r)
            and not str(r[0]).startswith('合计')]
    total = [r for r in rows[3:] if str(r[0]).startswith('合计')]
    assert total and str(len(data)) in total[0][0], (name, total)
    return head, data
def col(head, data, title):
    i = list(head).index(title)
    return [r[i] for r in data]
def check(name, want, seqcol='记录编号'):
    head, data = sheet(name)
    assert len(data) == len(want), (name, len(data), len(want))
    got = sorted(col(head, data, seqcol))
    assert got == sorted(r['seq'] for r in want), name
    assert not voided & set(got), (name, 'voided record in care sheet')
    vh, vd = sheet(name, '作废记录')
    return head, data, set(col(vh, vd, '记录编号'))
h, d, v = check('关爱帮扶记录台账', standing(('checkin', 'student_log')))
assert int(sys.argv[6]) in v, 'voided check-in not on 作废记录'
dates = col(h, d, '日期')
assert all(isinstance(x, datetime.datetime) for x in dates), 'dates'
print('  关爱帮扶记录台账', len(d), 'rows,', len(v), 'voided')
h, d, v = check('走访记录台账', standing(('visit',)))
assert int(sys.argv[7]) in v
print('  走访记录台账', len(d), 'rows,', len(v), 'voided')
h, d, v = check('强制报告与关注台账', standing(('concern',)))
assert int(sys.argv[8]) in v
urg = col(h, d, '强制报告')
assert urg == sorted(urg, key=lambda x: x != '是'), 'urgent not first'
print('  强制报告与关注台账', len(d), 'rows,', urg.count('是'), 'urgent')
lec = [r for r in recs if r['kind'] == 'lecture' and 'voided_by' not in r
       and frm <= r['date'] <= to]
h, d = sheet('安全知识大讲堂签到表')
assert len(d) == sum(len(r['classes']) for r in lec), 'lecture rows'
att = [r for r in recs if r['kind'] == 'attendance' and 'voided_by' not in r
       and r['lecture'] in set(l['seq'] for l in lec)]
assert sum(col(h, d, '实到')) == len(att), 'present'
print('  安全知识大讲堂签到表', len(d), 'rows,', len(att), 'present')
for name, cat in (('留守儿童花名册', '留守'), ('困境儿童花名册', '困境')):
    h, d = sheet(name)
    want = sorted(k for k, r in kids.items() if cat in r['类别'])
    assert sorted(col(h, d, '学籍号')) == want, name
    print(' ', name, len(d), 'rows')
h, d = sheet('成长导师结对表')
want = sorted(k for k in kids if in_care(k))
assert sorted(x for x in col(h, d, '学籍号') if x) == want, 'pairs'
print('  成长导师结对表', len(d), 'rows')
plans = standing(('plan',))
h, d, v = check('帮扶计划台账', plans)
assert int(sys.argv[9]) in v, 'voided plan not on 作废记录'
assert plans and set(col(h, d, '状态')) == {'现行'}, col(h, d, '状态')
assert all(col(h, d, '帮扶目标')), 'plan goals'
print('  帮扶计划台账', len(d), 'rows,', len(v), 'voided')
logs = [r for r in recs if r['kind'] == 'worklog' and 'voided_by' not in r
        and frm <= r['date'] <= to]
h, d, v = check('工作日志台账', logs)
assert logs and col(h, d, '工作记录') == [r['note'] for r in logs], 'notes'
print('  工作日志台账', len(d), 'rows,', len(v), 'voided')
h, d = sheet('逾期事项清单')
asof = datetime.datetime(2026, 12, 20)
assert d, 'nothing overdue in the demo school'
for due, late in zip(col(h, d, '应完成日期'), col(h, d, '逾期天数')):
    assert isinstance(due, datetime.datetime) and due <= asof, due
    assert late == (asof - due).days, (due, late)
ids = col(h, d, '学籍号')
assert all(in_care(x) for x in ids if x), 'overdue: a child not in care'
refs = set(col(h, d, '记录编号'))
assert not voided & refs, 'overdue: a task of a voided record'
# The voided plan's review (due 2026-12-18) makes no task; the other
# plan's is not due until 2026-12-23.
assert '复查帮扶计划' not in col(h, d, '逾期事项'), 'a voided plan reviewed'
print('  逾期事项清单', len(d), 'rows, as of 2026-12-20')
PYEOF

echo "LibreOffice headless reads every sheet to CSV, the same rows"
mkdir "$T/csv"
# One start of LibreOffice for all files; the filter's last token (-1)
# writes every sheet, as FILE-SHEET.csv.
HOME=$T timeout 300 libreoffice --headless --convert-to \
    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$T/csv" "$T"/out/*.xlsx >/dev/null 2>&1 || fail "libreoffice"
$PY - "$T/out" "$T/csv" <<'PYEOF'
import csv, glob, os, sys
import openpyxl
out, cdir = sys.argv[1:3]
n = 0
for f in sorted(glob.glob(os.path.join(out, '*.xlsx'))):
    base = os.path.basename(f)[:-5]
    wb = openpyxl.load_workbook(f)
    for ws in wb.worksheets:
        p = os.path.join(cdir, base + '-' + ws.title + '.csv')
        assert os.path.exists(p), p
        lo = [r for r in csv.reader(open(p, encoding='utf-8')) if any(r)]
        op = [r for r in ws.iter_rows(values_only=True)
              if any(v is not None for v in r)]
        assert len(lo) == len(op), (p, len(lo), len(op))
        assert lo[2][0] == '序号' and lo[0][0] == op[0][0], p
        n += 1
print('  %d sheets, LibreOffice and openpyxl agree' % n)
PYEOF

echo "the same store and period give the same bytes"
mkdir "$T/again"
sleep 1
"$B/guanai-sync" ledger --data "$D" --term 2026-autumn --made 2026-12-20 all "$T/again" >/dev/null
for f in "$T"/out/*.xlsx; do
	cmp -s "$f" "$T/again/$(basename "$f")" || fail "$(basename "$f") differs"
done

echo "period helpers"
mkdir "$T/m"
"$B/guanai-sync" ledger --data "$D" --month 2026-11 --made 2026-12-20 care "$T/m" >/dev/null
$PY - "$T/m/关爱帮扶记录台账.xlsx" <<'PYEOF'
import sys, openpyxl
rows = list(openpyxl.load_workbook(sys.argv[1]).active.iter_rows(values_only=True))
assert rows[0][0] == '云溪区青山小学 2026年11月 关爱帮扶记录台账', rows[0][0]
d = [r[1] for r in rows[3:] if r[1] is not None and not str(r[0]).startswith('合计')]
assert d and all(x.year == 2026 and x.month == 11 for x in d), 'month'
PYEOF
"$B/guanai-sync" ledger --data "$D" --half 2026-H2 --made 2026-12-20 visits "$T/m" | grep -q '走访记录台账.xlsx' || fail "--half"
"$B/guanai-sync" ledger --data "$D" --from 2026-10-01 --to 2026-10-31 --made 2026-12-20 visits "$T/m" | grep -q rows || fail "--from --to"

echo "bad input: a clear message and no final-named file"
bad() { # expected-text, args...
	want=$1; shift
	mkdir -p "$T/bad"
	if "$B/guanai-sync" ledger --data "$D" "$@" 2>"$T/err" >/dev/null; then
		fail "ledger $* succeeded"
	fi
	grep -q -- "$want" "$T/err" || fail "ledger $*: no '$want' in: $(cat "$T/err")"
	[ -z "$(ls "$T/bad")" ] || fail "ledger $* left $(ls "$T/bad")"
}
bad "the period is empty" --from 2026-10-02 --to 2026-10-01 care "$T/bad"
bad "in the future" --from 2030-01-01 --to 2030-02-01 care "$T/bad"
bad "is not a day" --from 2026-02-30 --to 2026-03-01 care "$T/bad"
bad "unknown ledger" --term 2026-autumn nosuch "$T/bad"
bad "no such folder" --term 2026-autumn care "$T/bad/missing"
printf 'x' > "$T/afile"
bad "not a folder" --term 2026-autumn care "$T/afile"
printf '台账,列,标题\n关爱帮扶记录台账,日期,帮扶日期\n关爱帮扶记录台账,鞋码,\n走访台账,日期,\n' > "$T/bad.csv"
bad "bad.csv:3: 关爱帮扶记录台账 has no column '鞋码'" --template "$T/bad.csv" --term 2026-autumn all "$T/bad"
grep -q "bad.csv:4: unknown ledger '走访台账'" "$T/err" || fail "second template error: $(cat "$T/err")"
printf '台账,列\ncare,date\ncare,date\n' > "$T/dup.csv"
bad "dup.csv:3: 关爱帮扶记录台账: column 'date' given twice" --template "$T/dup.csv" --term 2026-autumn care "$T/bad"
printf 'ledger,title\n' > "$T/nohead.csv"
bad "nohead.csv:1: the first row must be the header" --template "$T/nohead.csv" --term 2026-autumn care "$T/bad"
bad "nothere.csv" --template "$T/nothere.csv" --term 2026-autumn care "$T/bad"
if mkdir -p "$T/ro" && mount -t tmpfs -o size=1m,ro tmpfs "$T/ro" 2>/dev/null; then
	if "$B/guanai-sync" ledger --data "$D" --term 2026-autumn care "$T/ro" 2>"$T/err"; then
		fail "wrote into a read-only folder"
	fi
	grep -q "cannot write" "$T/err" || fail "read-only message: $(cat "$T/err")"
	umount "$T/ro"
	mkdir -p "$T/full"
	mount -t tmpfs -o size=48k tmpfs "$T/full"
	if "$B/guanai-sync" ledger --data "$D" --term 2026-autumn care "$T/full" 2>"$T/err"; then
		fail "wrote 190 KB into 48 KB"
	fi
	grep -q "the disk is full" "$T/err" || fail "full-disk message: $(cat "$T/err")"
	[ -z "$(ls "$T/full")" ] || fail "full disk left $(ls "$T/full")"
	umount "$T/full"
	echo "  read-only and full folders refused cleanly"
else
	echo "  (no tmpfs mounts here: read-only and full-disk cases not run)"
fi

echo "a district template orders and names the columns"
cat > "$T/tmpl.csv" <<'CSV'
# 云溪区教体局 关爱帮扶记录台账 模板
台账,列,标题
关爱帮扶记录台账,姓名,学生姓名
关爱帮扶记录台账,date,帮扶日期
关爱帮扶记录台账,成长导师,
关爱帮扶记录台账,*notes*,情况记录
帮扶计划台账,学生姓名,
帮扶计划台账,review,下次复查
plans,Status,
逾期事项清单,child_name,姓名
逾期事项清单,逾期天数,
工作日志台账,导师姓名,导师
工作日志台账,note,
CSV
mkdir "$T/t"
"$B/guanai-sync" ledger --data "$D" --term 2026-autumn --template "$T/tmpl.csv" --made 2026-12-20 all "$T/t" >/dev/null
$PY - "$T/t" "$T/out" <<'PYEOF'
import sys, openpyxl
t, o = sys.argv[1:3]
rows = list(openpyxl.load_workbook(t + '/关爱帮扶记录台账.xlsx').active.iter_rows(values_only=True))
assert rows[2] == ('学生姓名', '帮扶日期', '成长导师', '情况记录'), rows[2]
full = list(openpyxl.load_workbook(o + '/关爱帮扶记录台账.xlsx').active.iter_rows(values_only=True))
assert len(rows) == len(full), 'template changed the rows'
v = list(openpyxl.load_workbook(t + '/走访记录台账.xlsx').active.iter_rows(values_only=True))
assert v[2][1] == '走访日期', 'a ledger the template does not name keeps its columns'
for name, want in (('帮扶计划台账', ('学生姓名', '下次复查', '状态')),
                   ('逾期事项清单', ('姓名', '逾期天数')),
                   ('工作日志台账', ('导师', '工作记录'))):
    r = list(openpyxl.load_workbook(t + '/' + name + '.xlsx').active.iter_rows(values_only=True))
    assert r[2] == want, (name, r[2])
    full = list(openpyxl.load_workbook(o + '/' + name + '.xlsx').active.iter_rows(values_only=True))
    assert len(r) == len(full), (name, 'template changed the rows')
PYEOF
echo "a child's file as PDF: A4, fonts embedded, audited"
G=$(pwd)/tests/golden/childfile_p1.png
F=$(pwd)/fonts
kid=$(jq -r 'select(.kind=="checkin" and (.child_name|test("㛃|䶮"))) | .child' "$T/dump.json" | head -1)
[ -n "$kid" ] || fail "no demo child with a rare character"
views0=$(jq -r 'select(.kind=="file_view")' "$T/dump.json" | grep -c '"seq"' || true)
"$B/guanai-sync" file --data "$D" --fonts "$F" --made 2026-12-20 "$kid" "$T/kid.pdf" > "$T/log"
[ -f "$T/kid.pdf" ] && [ ! -e "$T/kid.pdf.part" ] || fail "no kid.pdf"
pdfinfo "$T/kid.pdf" | grep -q "Page size: *595.276 x 841.89 pts (A4)" || fail "not A4: $(pdfinfo "$T/kid.pdf")"
pdffonts "$T/kid.pdf" | tail -n +3 > "$T/fonts"
[ -s "$T/fonts" ] || fail "no fonts in the PDF"
awk '$(NF-4) != "yes" { bad = 1 } END { exit bad }' "$T/fonts" || fail "a font not embedded: $(cat "$T/fonts")"
grep -q NotoSansCJK "$T/fonts" || fail "not the kiosk's font: $(cat "$T/fonts")"
name=$(jq -r "select(.child==\"$kid\") | .child_name" "$T/dump.json" | head -1)
pdftotext "$T/kid.pdf" - | grep -q "$name" || fail "$name not in the PDF text"
"$B/guanai-sync" dump --data "$D" > "$T/dump2.json"
views1=$(jq -r 'select(.kind=="file_view")' "$T/dump2.json" | grep -c '"seq"' || true)
[ "$views1" -eq $((views0 + 1)) ] || fail "export not recorded ($views0 -> $views1)"
mentor=$(jq -r "select(.kind==\"file_view\") | select(.child==\"$kid\") | .author" "$T/dump2.json" | tail -1)
echo "  $kid ($name): $(pdfinfo "$T/kid.pdf" | awk '/^Pages/ {print $2}') pages, recorded as viewed by $mentor"

echo "the first page against the golden image"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$T/kid.pdf" "$T/p1"
if [ "${GUANAI_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$T/p1.png" "$G"
	echo "  golden image updated: $G"
fi
ae=$(compare -metric AE -fuzz 10% "$T/p1.png" "$G" "$T/diff.png" 2>&1 || true)
case $ae in
''|*[!0-9]*) fail "compare: $ae" ;;
esac
[ "$ae" -le 50 ] || fail "first page differs from $G in $ae pixels (see $T/diff.png)"
echo "  $ae pixels differ (at most 50 allowed)"

echo "a mentor's children in one file; who may export"
"$B/guanai-sync" file --data "$D" --fonts "$F" --made 2026-12-20 --mentor "$mentor" "$T/m.pdf" > "$T/log"
n=$(sed -n 's/.*: \([0-9]*\) children.*/\1/p' "$T/log")
[ "${n:-0}" -gt 1 ] || fail "mentor file: $(cat "$T/log")"
pages=$(pdfinfo "$T/m.pdf" | awk '/^Pages/ {print $2}')
[ "$pages" -ge "$n" ] || fail "$n children on $pages pages"
"$B/guanai-sync" dump --data "$D" > "$T/dump3.json"
views2=$(jq -r 'select(.kind=="file_view")' "$T/dump3.json" | grep -c '"seq"' || true)
[ "$views2" -eq $((views1 + n)) ] || fail "mentor export: $views1 -> $views2, $n children"
other=$(jq -r "select(.kind==\"checkin\" and .author!=\"$mentor\" and .author!=\"T0001\") | .author" "$T/dump.json" | head -1)
if "$B/guanai-sync" file --data "$D" --fonts "$F" --by "$other" "$kid" "$T/no.pdf" 2>"$T/err"; then
	fail "$other exported a child he does not mentor"
fi
grep -q "neither the headteacher nor the mentor" "$T/err" || fail "permission message: $(cat "$T/err")"
[ ! -e "$T/no.pdf" ] || fail "refused export left a file"
"$B/guanai-sync" file --data "$D" --fonts "$F" "$kid" "$T/gone/kid.pdf" 2>"$T/err" && fail "wrote into a missing folder"
grep -q "gone" "$T/err" || fail "missing-folder message: $(cat "$T/err")"
mkdir "$T/nofonts"
"$B/guanai-sync" file --data "$D" --fonts "$T/nofonts" "$kid" "$T/x.pdf" 2>"$T/err" && fail "no fonts, yet a PDF"
grep -q "no fonts" "$T/err" || fail "no-fonts message: $(cat "$T/err")"
[ ! -e "$T/x.pdf" ] && [ ! -e "$T/x.pdf.part" ] || fail "no-fonts left a file"
"$B/guanai-sync" dump --data "$D" > "$T/dump4.json"
[ "$(jq -r 'select(.kind=="file_view") | .seq' "$T/dump4.json" | wc -l)" -eq "$views2" ] || fail "a failed export was recorded"

echo "each export is recorded (kind export): who, what, the period, the children"
dev=$(jq -r '.device' "$T/dump4.json" | head -1)
jq -c 'select(.kind=="export")' "$T/dump4.json" > "$T/exports"
all=$(jq -r 'select(.export=="all" and .from=="2026-09-01" and .to=="2027-01-31" and .via=="cli" and .author=="'"$dev"'") | .seq' "$T/exports" | wc -l)
[ "$all" -eq 3 ] || fail "3 term exports of all ledgers by the device, got $all: $(cat "$T/exports")"
[ "$(jq -r 'select(.export=="visits" and .from=="2026-07-01" and .to=="2026-12-31") | .seq' "$T/exports" | wc -l)" -eq 1 ] || fail "--half visits not recorded"
[ "$(jq -r 'select(.export=="care" and .from=="2026-09-01") | .seq' "$T/exports" | wc -l)" -eq 0 ] || fail "a refused ledger export was recorded"
[ "$(jq -r 'select(.export=="file" and .child=="'"$kid"'" and .author=="'"$mentor"'" and (has("mentor")|not)) | .seq' "$T/exports" | wc -l)" -eq 1 ] || fail "the child's file export not recorded"
[ "$(jq -r 'select(.export=="file" and .mentor=="'"$mentor"'") | .child' "$T/exports" | sort -u | wc -l)" -eq "$n" ] || fail "the mentor's $n files not each recorded"
ne=$(wc -l < "$T/exports")
mkdir "$T/by"
"$B/guanai-sync" ledger --data "$D" --month 2026-11 --by "$mentor" care "$T/by" 2>"$T/err" && fail "a mentor exported the ledgers"
grep -q "only the headteacher" "$T/err" || fail "--by message: $(cat "$T/err")"
[ -z "$(ls "$T/by")" ] || fail "a refused --by left $(ls "$T/by")"
"$B/guanai-sync" ledger --data "$D" --month 2026-11 --by T0001 care "$T/by" >/dev/null
"$B/guanai-sync" dump --data "$D" | jq -c 'select(.kind=="export")' > "$T/exports2"
[ "$(wc -l < "$T/exports2")" -eq $((ne + 1)) ] || fail "--by: $ne -> $(wc -l < "$T/exports2") export records"
tail -n 1 "$T/exports2" | jq -e '.author=="T0001" and .export=="care" and .from=="2026-11-01" and .to=="2026-11-30"' >/dev/null || fail "--by T0001: $(tail -n 1 "$T/exports2")"
for k in plans overdue worklog; do
	"$B/guanai-sync" ledger --data "$D" --month 2026-11 --by T0001 "$k" "$T/by" >/dev/null || fail "ledger $k"
	"$B/guanai-sync" dump --data "$D" | jq -c 'select(.kind=="export")' | tail -n 1 | jq -e ".export==\"$k\"" >/dev/null || fail "the $k export not recorded"
done
"$B/guanai-sync" check --data "$D" | grep -q consistent || fail "the store is not consistent after the exports"
echo "  $(wc -l < "$T/exports2") exports recorded"

echo "a child's plan is in her file"
pk=$(jq -r 'select(.kind=="plan" and (has("voided_by")|not)) | .child' "$T/dump.json" | head -1)
[ -n "$pk" ] || fail "no standing plan in the demo school"
"$B/guanai-sync" file --data "$D" --fonts "$F" --made 2026-12-20 --by T0001 "$pk" "$T/plan.pdf" >/dev/null
pdftotext "$T/plan.pdf" - | tr -d '\n' > "$T/plan.txt"
grep -q "帮扶计划" "$T/plan.txt" && grep -q "帮扶措施：每周谈心、联系外出父母" "$T/plan.txt" || fail "the plan is not in $pk's file: $(cat "$T/plan.txt")"

echo "rare characters in names render and embed"
printf '学籍号,姓名,班级,类别,监护人,成长导师工号\nR1,王𠇔,三年级1班,留守,王㛃,T2\nR2,李䶮,三年级1班,困境,李大爷,T2\n' > "$T/rk.csv"
printf '工号,姓名,角色,初始PIN\nT1,周明,校长,9999\nT2,赵静,导师,1234\n' > "$T/rs.csv"
"$B/guanai-sync" init --data "$T/rare" --school-id S1 --school-name 测试小学 --device k1 >/dev/null
"$B/guanai-sync" import-roster --data "$T/rare" "$T/rk.csv" "$T/rs.csv" >/dev/null
"$B/guanai-sync" file --data "$T/rare" --fonts "$F" --mentor T2 "$T/rare.pdf" >/dev/null
pdftotext "$T/rare.pdf" - > "$T/rare.txt"
for w in 王𠇔 王㛃 李䶮; do
	grep -q "$w" "$T/rare.txt" || fail "$w not in the PDF"
done
pdffonts "$T/rare.pdf" | tail -n +3 | awk '$(NF-4) != "yes" { bad = 1 } END { exit bad }' || fail "rare: a font not embedded"
echo "all ledger checks passed"
