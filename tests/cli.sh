#!/bin/sh
# The command-line tools end to end: a demo school, dump read back with jq,
# stats, check, init's and import-roster's errors naming the place.
set -eu
B=${BUILD:-build}
T=$(mktemp -d /tmp/guanai-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

echo "demo school, deterministic by seed"
"$B/guanai-demo" --data "$T/a" --children 120 --seed 7 --today 2026-11-27 --fast-pins >/dev/null 2>&1
"$B/guanai-demo" --data "$T/b" --children 120 --seed 7 --today 2026-11-27 --fast-pins >/dev/null 2>&1
# The epoch is random per store; an ack names its concern by it too.
noepoch='del(.epoch) | if has("ack_of") then .ack_of |= sub("/[0-9a-f]+/"; "/E/") else . end'
"$B/guanai-sync" dump --data "$T/a" | jq -c "$noepoch" > "$T/a.json"
"$B/guanai-sync" dump --data "$T/b" | jq -c "$noepoch" > "$T/b.json"
grep -q '"kind":"ack"' "$T/a.json" || fail "the demo has no ack"
cmp -s "$T/a.json" "$T/b.json" || fail "same seed, different records"
n=$(wc -l < "$T/a.json")
[ "$n" -gt 500 ] || fail "demo made only $n records"
for k in lecture attendance lecture_end checkin visit student_log concern followup; do
	c=$(jq -r "select(.kind==\"$k\") | .seq" "$T/a.json" | wc -l)
	[ "$c" -gt 0 ] || fail "demo made no $k record"
done
echo "  $n records of every kind"

echo "dump: the fields anyone can read with jq"
jq -se 'map(select(.kind=="lecture"))[0] | .device=="kiosk-01" and
    (.time|test("^2026-..-..T..:..:..\\.000\\+08:00$")) and .author=="T0001"' \
    "$T/a.json" >/dev/null || fail "first lecture"
echo "demo: seq order is time order, school hours, each kind on its day"
jq -se '[.[].time] as $t | all(range(1; length); $t[.] > $t[. - 1])' \
    "$T/a.json" >/dev/null || fail "a record older than the one before it"
jq -se 'all(.[]; .time[11:13] >= "08" and .time[11:13] < "17")' \
    "$T/a.json" >/dev/null || fail "a record outside school hours"
jq -se '(map(select(.kind=="lecture"))[0].seq) as $l |
    map(select(.seq < $l and .kind=="checkin")) | length > 0' \
    "$T/a.json" >/dev/null || fail "check-ins before the first lecture"
jq -se 'map(select(.kind=="checkin"))[0] | .child and .child_name and .mood' \
    "$T/a.json" >/dev/null || fail "check-in fields"
since=$("$B/guanai-sync" dump --data "$T/a" --since 10 | head -1 | jq .seq)
[ "$since" = 10 ] || fail "--since 10 began at $since"

echo "stats and check"
"$B/guanai-sync" stats --data "$T/a" | grep -q "120 children" || fail stats
"$B/guanai-sync" check --data "$T/a" | grep -q consistent || fail check
GUANAI_DATA="$T/a" "$B/guanai-sync" stats >/dev/null || fail "GUANAI_DATA"

echo "errors name the place"
"$B/guanai-sync" dump --data "$T/none" 2>"$T/err" && fail "dump of no store"
grep -q "no store here" "$T/err" || fail "no-store message: $(cat "$T/err")"
"$B/guanai-sync" init --data "$T/a" --school-id S1 --school-name x --device d1 2>"$T/err" && fail "init over a store"
grep -q "already there" "$T/err" || fail "init message"
"$B/guanai-sync" init --data "$T/c" --school-id "bad id" --school-name x --device d1 2>/dev/null && fail "bad school id"
"$B/guanai-sync" init --data "$T/c" --school-id S1 --school-name 测试小学 --device d1 >/dev/null
printf '学籍号,姓名,班级,成长导师工号\nC1,王小明,一班,T9\nC1,李小红,一班,\n' > "$T/kids.csv"
printf '工号,姓名,角色,初始PIN\nT1,赵老师,导师,12\n' > "$T/staff.csv"
"$B/guanai-sync" import-roster --data "$T/c" "$T/kids.csv" "$T/staff.csv" 2>"$T/err" && fail "bad roster imported"
grep -q "kids.csv:2:" "$T/err" || fail "no kids.csv:2: in $(cat "$T/err")"
grep -q "kids.csv:3:" "$T/err" || fail "no kids.csv:3: in $(cat "$T/err")"
grep -q "staff.csv:2:" "$T/err" || fail "no staff.csv:2: in $(cat "$T/err")"
"$B/guanai-sync" stats --data "$T/c" | grep -q "0 children" || fail "bad roster changed the store"
echo "all cli checks passed"
