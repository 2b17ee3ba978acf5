#!/bin/sh
# Roster download (sync/fetch.c, docs/sync.md): nginx serves the school's
# roster at URL/roster/SCHOOL/{children,staff}.csv.  A pass imports it; the
# next one asks with If-None-Match, gets 304 and changes nothing; a changed
# file is imported; a file with a problem is refused whole, with file:line
# errors printed and stored, and the store's roster as it was.
. "$(dirname "$0")/lib/sync.sh"
DATA=$(cd "$(dirname "$0")/data" && pwd)

NGX_LOG_FORMAT=gutest
start_nginx
S=$T/store
make_store "$S" 0
URL=http://127.0.0.1:$NGX_PORT/district
SCHOOL=$("$SYNC" status --data "$S" | sed -n 's/^school \([^,]*\),.*/\1/p')
R=$T/www/district/roster/$SCHOOL
mkdir -p "$R"
cp "$DATA/children.csv" "$DATA/staff.csv" "$R/"
chmod -R a+rwX "$T/www"
LOG=$T/ngx/access.log
roster() { "$SYNC" stats --data "$S" | grep '^roster'; }
pass() { "$SYNC" once --data "$S" --url "$URL" >"$T/once.out" 2>"$T/once.err"; }
# gets STATUS: how many roster GETs of the last pass answered STATUS
gets() { awk -v s="$1" '$1 == s && $2 == "GET" && $3 ~ /\/roster\//' "$T/pass.log" | wc -l; }
logpass() { # runs a pass and keeps its part of the access log
	n=$(wc -l <"$LOG")
	rc=0; pass || rc=$?
	tail -n +"$((n + 1))" "$LOG" >"$T/pass.log"
	return $rc
}

echo "== first pass imports the roster"
before=$(roster)
logpass
after=$(roster)
echo "before: $before"; echo "after:  $after"
echo "$after" | grep -q "^roster *5 children, 4 staff" || { echo "FAIL: roster not imported"; cat "$T/once.err"; exit 1; }
[ "$(gets 200)" -eq 2 ] || { echo "FAIL: expected two 200 GETs"; cat "$T/pass.log"; exit 1; }
check_server "$S" "$T/www/district" final

echo "== second pass: If-None-Match, 304, nothing changes"
logpass
[ "$(gets 304)" -eq 2 ] || { echo "FAIL: expected two 304s"; cat "$T/pass.log"; exit 1; }
sed 's/^/  access log: /' "$T/pass.log"
inm=$(awk '$2 == "GET" && $3 ~ /\/roster\// && $4 !~ /^-\|/' "$T/pass.log" | wc -l)
[ "$inm" -eq 2 ] || { echo "FAIL: If-None-Match not sent on both GETs"; exit 1; }
[ "$(roster)" = "$after" ] || { echo "FAIL: roster changed on a 304"; exit 1; }
grep -q "roster imported" "$T/once.err" && { echo "FAIL: imported again on a 304"; exit 1; }
echo "ok: $(gets 304) conditional GETs answered 304, roster unchanged"

echo "== a changed children.csv is imported (staff.csv stays 304)"
sleep 1 # nginx's ETag is mtime-size
printf '%s\n' 'G2016010109,周小雨,女,2016-01-01,三年级,三年级1班,留守,周大山,父亲,13800000009,T001,青山村一组' >>"$R/children.csv"
logpass
[ "$(gets 200)" -eq 1 ] && [ "$(gets 304)" -eq 1 ] || { echo "FAIL: expected one 200 and one 304"; cat "$T/pass.log"; exit 1; }
changed=$(roster)
echo "$changed" | grep -q "^roster *6 children, 4 staff" || { echo "FAIL: change not imported: $changed"; cat "$T/once.err"; exit 1; }
echo "ok: $changed"

echo "== a file with a problem is refused whole"
sleep 1
cp "$R/children.csv" "$T/good.csv"
printf '%s\n' 'G2016020210,吴小龙,男,2016-13-45,三年级,三年级1班,留守,吴大江,父亲,13800000010,T001,青山村二组' \
	'G2016020311,郑小芳,女,2016-02-03,三年级,三年级1班,留守,郑大河,母亲,13800000011,T009,青山村三组' >>"$R/children.csv"
logpass
cat "$T/once.err"
grep -Eq "roster/$SCHOOL/children.csv:[0-9]+: " "$T/once.err" || { echo "FAIL: no file:line error printed"; exit 1; }
[ "$(grep -Ec "children.csv:[0-9]+: " "$T/once.err")" -ge 2 ] || { echo "FAIL: not every problem printed"; exit 1; }
[ "$(roster)" = "$changed" ] || { echo "FAIL: roster changed by a refused file: $(roster)"; exit 1; }
"$SYNC" status --data "$S" | grep -E "roster download refused: roster/$SCHOOL/children.csv:[0-9]+: " ||
	{ echo "FAIL: refusal not stored"; "$SYNC" status --data "$S"; exit 1; }
echo "ok: refused, roster unchanged: $(roster)"
echo "== refused again on the next pass (fetched whole), still unchanged"
logpass
[ "$(gets 200)" -ge 1 ] || { echo "FAIL: the refused file was not fetched again"; cat "$T/pass.log"; exit 1; }
[ "$(roster)" = "$changed" ] || { echo "FAIL: roster changed"; exit 1; }
echo "== staff.csv changes while children.csv is still bad: still refused"
sleep 1
printf '%s\n' 'T005,孙晓东,导师,3141' >>"$R/staff.csv"
logpass
[ "$(roster)" = "$changed" ] || { echo "FAIL: roster changed with a bad children.csv"; exit 1; }
echo "== fixed on the server: imported, the stored refusal cleared"
sleep 1
cp "$T/good.csv" "$R/children.csv"
logpass
"$SYNC" status --data "$S" | grep -q "roster download refused" && { echo "FAIL: refusal still shown"; exit 1; }
roster | grep -q "^roster *6 children, 5 staff" || { echo "FAIL: $(roster)"; exit 1; }
echo "ok: $(roster)"
logpass
[ "$(gets 304)" -eq 2 ] || { echo "FAIL: expected two 304s after the fix"; cat "$T/pass.log"; exit 1; }
check_server "$S" "$T/www/district" final
echo "PASS"
