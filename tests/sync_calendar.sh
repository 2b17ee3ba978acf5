#!/bin/sh
# Calendar download (sync/fetch.c, docs/calendar.md): nginx serves the
# school calendar at URL/roster/SCHOOL/calendar.txt.  A pass imports it;
# the next one asks with If-None-Match and gets 304; a calendar with a
# problem is refused whole, with file:line printed and stored by
# `guanai-sync status`, and the stored one kept; import-calendar by hand.
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
chmod -R a+rwX "$T/www"
LOG=$T/ngx/access.log
cal() { "$SYNC" stats --data "$S" | grep '^calendar'; }
pass() { "$SYNC" once --data "$S" --url "$URL" >"$T/once.out" 2>"$T/once.err" || true; }
gets() { awk -v s="$1" '$1 == s && $2 == "GET" && $3 ~ /calendar.txt/' "$T/pass.log" | wc -l; }
logpass() { n=$(wc -l <"$LOG"); pass; tail -n +"$((n + 1))" "$LOG" >"$T/pass.log"; }
fail() { echo "FAIL: $*"; cat "$T/once.err"; exit 1; }

echo "== no calendar on the server: the default, no error"
logpass
cal | grep -q "none (the default is used)" || fail "not the default: $(cal)"
"$SYNC" status --data "$S" | grep -q "calendar download refused" && fail "refused?"

echo "== the calendar is imported"
cp "$DATA/calendar-2026.txt" "$R/calendar.txt"
chmod a+r "$R/calendar.txt"
logpass
[ "$(gets 200)" -eq 1 ] || fail "expected one 200"
cal | grep -q "10 terms and holidays" || fail "not imported: $(cal)"
grep -q "calendar imported" "$T/once.err" || fail "no message"

echo "== next pass: If-None-Match, 304"
logpass
[ "$(gets 304)" -eq 1 ] || fail "expected a 304: $(cat "$T/pass.log")"
grep -q "calendar imported" "$T/once.err" && fail "imported again on a 304"

echo "== a calendar with a problem is refused whole"
sleep 1 # nginx's ETag is mtime-size
printf 'holiday = 圣诞 2026-12-25 2026-12-25\n' >>"$R/calendar.txt"
logpass
grep -q "roster/$SCHOOL/calendar.txt:13: holiday: unknown name" "$T/once.err" ||
	fail "no file:line error"
cal | grep -q "10 terms and holidays" || fail "changed by a refused file: $(cal)"
"$SYNC" status --data "$S" | grep -q "calendar download refused: .*calendar.txt:13:" ||
	fail "refusal not stored"

echo "== fixed on the server: imported, the refusal cleared"
sleep 1
cp "$DATA/calendar-2026.txt" "$R/calendar.txt"
logpass
"$SYNC" status --data "$S" | grep -q "calendar download refused" && fail "still refused"
cal | grep -q "10 terms and holidays" || fail "$(cal)"

echo "== import-calendar by hand: -n checks, errors name file:line"
"$SYNC" import-calendar -n "$DATA/calendar-2026.txt" | grep -q "no problems" || fail "-n"
printf 'calendar = 1\nterm = 2026-02-24 2026-07-03\nholiday = 暑假 2026-07-04\n' >"$T/bad.txt"
"$SYNC" import-calendar --data "$S" "$T/bad.txt" 2>"$T/err" && fail "bad file imported"
grep -q "bad.txt:3: holiday: expected NAME FROM TO" "$T/err" || fail "$(cat "$T/err")"
echo "all calendar checks passed"
