#!/bin/sh
# kiosk_e2e.sh: the real guanai-kiosk binary in a real X window (Xvfb),
# tapped through a whole safety lecture with xdotool like a finger would:
# a teacher starts it, two students check themselves in (one undoes a
# wrong tap), the teacher marks a third child, the lecture is closed.
# Then a mentor signs in with her PIN and records a routine check-in
# from her home (the first child on it).  The records are read back with
# `guanai-sync dump` and checked.
#
# Where to tap: the kiosk writes the rectangle of every text on screen to
# $GUANAI_TEXT_DUMP after each frame (app/platform.h); we click the middle
# of the text we want.  Exit 0 pass, 77 skip (no Xvfb/xdotool/jq), 1 fail.
set -u
BUILD=${BUILD:-build}
for t in Xvfb xdotool jq; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done

tmp=$(mktemp -d /tmp/guanai-e2e-XXXXXX)
xpid=""
kpid=""
cleanup() {
	[ -n "$kpid" ] && kill "$kpid" 2>/dev/null
	[ -n "$xpid" ] && kill "$xpid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; echo "--- screen texts:"; cat "$tmp/texts" 2>/dev/null | cut -d' ' -f5- | head -40; exit 1; }

echo "making a demo school (40 children)"
"$BUILD/guanai-demo" --data "$tmp/store" --children 40 --seed 7 --fast-pins >"$tmp/demo.log" 2>&1 ||
	{ cat "$tmp/demo.log"; fail "guanai-demo"; }
before=$("$BUILD/guanai-sync" dump --data "$tmp/store" | wc -l)

# A display of our own: the first free number from 91.
d=91
while [ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ]; do d=$((d + 1)); done
Xvfb ":$d" -screen 0 1024x600x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xpid=$!
export DISPLAY=":$d"
i=0
until xdotool getmouselocation >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "Xvfb did not start"; sleep 0.1
done

cat >"$tmp/kiosk.conf" <<CONF
# e2e: a 7-inch 1024x600 terminal, quiet
screen_diagonal_inch = 7
sound = 0
idle_timeout_s = 600
CONF
echo "starting guanai-kiosk on $DISPLAY"
GUANAI_TEXT_DUMP="$tmp/texts" SDL_AUDIODRIVER=dummy "$BUILD/guanai-kiosk" \
	--data "$tmp/store" --config "$tmp/kiosk.conf" --window 1024x600 \
	>"$tmp/kiosk.log" 2>&1 &
kpid=$!

# wait_text TEXT: until TEXT is on screen (10 s).
wait_text() {
	i=0
	until grep -q "^[-0-9]* [-0-9]* [0-9]* [0-9]* $1\$" "$tmp/texts" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "'$1' never appeared"
		kill -0 "$kpid" 2>/dev/null || { cat "$tmp/kiosk.log"; fail "kiosk died"; }
		sleep 0.1
	done
}
# click_line LINE: clicks the middle of a dump line "X Y W H TEXT".
click_line() {
	set -- $1
	[ $# -ge 4 ] || fail "no such text"
	x=$(($1 + $3 / 2)); y=$(($2 + $4 / 2))
	wx=0; wy=0
	eval "$(xdotool search --name '^guanai-kiosk$' getwindowgeometry --shell 2>/dev/null | grep -E '^(X|Y)=' | sed 's/^X=/wx=/; s/^Y=/wy=/')"
	xdotool mousemove $((wx + x)) $((wy + y)) mousedown 1
	sleep 0.08
	xdotool mouseup 1
	sleep 0.3
}
# tap TEXT: waits for TEXT and taps it.
tap() {
	wait_text "$1"
	echo "  tap $1"
	click_line "$(grep -m1 "^[-0-9]* [-0-9]* [0-9]* [0-9]* $1\$" "$tmp/texts")"
}
# signin: a teacher (the second name; PIN 1234) signs in.
signin() {
	tap_after 请点你的名字 2
	for d in 1 2 3 4; do tap $d; done
	tap 确定
}
# tap_after MARK N: taps the N-th text drawn after the text MARK.
tap_after() {
	wait_text "$1"
	line=$(awk -v m="$1" -v n="$2" '
		{ t = $0; sub(/^[-0-9]+ [-0-9]+ [0-9]+ [0-9]+ /, "", t) }
		found && ++k == n { print; exit }
		t == m { found = 1 }' "$tmp/texts")
	echo "  tap $(echo "$line" | cut -d' ' -f5-) (text $2 after $1)"
	click_line "$line"
}
picked() { awk -v m="$1" -v n="$2" '{ t = $0; sub(/^[-0-9]+ [-0-9]+ [0-9]+ [0-9]+ /, "", t) }
	found && ++k == n { print t; exit } t == m { found = 1 }' "$tmp/texts"; }

echo "a teacher starts a lecture"
tap 安全讲堂签到
signin
tap 防溺水
tap 法治副校长
tap 全选
tap 开始签到
wait_text "已到 0/40"

echo "student 1: class, own name: checked in"
tap_after 请点你的班级 1
wait_text 请点你自己的名字
s1=$(picked 请点你自己的名字 1)
tap_after 请点你自己的名字 1
wait_text 签到成功！
tap 点错了，不是我
tap 知道了
echo "student 2"
tap_after 请点你自己的名字 2
wait_text 签到成功！
tap 完成
wait_text "已到 1/[0-9]*"

echo "the teacher marks a child of the same class"
tap 返回
tap 老师点名
signin
tap_after 点名字标记已到，再点一次撤销 6 # after 全班到齐: the next absentee
wait_text "已到 2/[0-9]*"
tap 返回
wait_text "已到 2/40"
tap 结束讲座
signin
tap 确定结束
wait_text "防溺水：已到 2 人，缺席 38 人"
tap 完成
wait_text 安全讲堂签到

echo "a mentor signs in with her PIN and records a routine check-in"
tap 导师
wait_text 请点你的名字
mentor=$(picked 请点你的名字 2)
tap_after 请点你的名字 2
for d in 1 2 3 4; do tap $d; done
tap 确定
wait_text "$mentor 老师的孩子"
# The first row of her children: "NAME  CLASS".
row=$(cut -d' ' -f5- "$tmp/texts" | grep -m1 '^[^ ]*  [^ ]*班$') || fail "no child row"
child=${row%%  *}
echo "  $mentor's first child: $child"
tap 关爱记录
tap 谈心谈话
tap 开心
tap 无，下一步
tap 保存
wait_text 知道了
tap 知道了
wait_text "$mentor 老师的孩子"
tap 退出
wait_text 安全讲堂签到
kill "$kpid"; wait "$kpid" 2>/dev/null; kpid=""

echo "reading the records back with guanai-sync dump"
"$BUILD/guanai-sync" dump --data "$tmp/store" >"$tmp/dump.jsonl" || fail "dump"
after=$(wc -l <"$tmp/dump.jsonl")
new=$((after - before))
echo "  $new new records"
lec=$(jq -s '[.[] | select(.kind == "lecture")] | last' "$tmp/dump.jsonl")
lseq=$(echo "$lec" | jq .seq)
[ "$(echo "$lec" | jq -r .topic)" = drowning ] || fail "topic"
[ "$(echo "$lec" | jq -r .lecturer)" = 法治副校长 ] || fail "lecturer"
att=$(jq -s --argjson l "$lseq" '[.[] | select(.kind == "attendance" and .lecture == $l)]' "$tmp/dump.jsonl")
[ "$(echo "$att" | jq length)" = 3 ] || fail "3 attendance records expected"
[ "$(echo "$att" | jq '[.[] | select(.voided_by == null)] | length')" = 2 ] || fail "2 standing"
[ "$(echo "$att" | jq '[.[] | select(.method == "self")] | length')" = 2 ] || fail "2 by students"
[ "$(echo "$att" | jq '[.[] | select(.method == "teacher")] | length')" = 1 ] || fail "1 by the teacher"
[ "$(echo "$att" | jq -r '.[0].child_name')" = "$s1" ] || fail "first check-in is $s1"
void=$(jq -s '[.[] | select(.kind == "void")] | last' "$tmp/dump.jsonl")
[ "$(echo "$void" | jq .target)" = "$(echo "$att" | jq '.[0].seq')" ] || fail "the void cancels the wrong tap"
end=$(jq -s --argjson l "$lseq" '[.[] | select(.kind == "lecture_end" and .lecture == $l)] | last' "$tmp/dump.jsonl")
[ "$(echo "$end" | jq .present)" = 2 ] || fail "present 2"
[ "$(echo "$end" | jq .absent)" = 38 ] || fail "absent 38"
[ "$(jq -s '[.[] | select(.kind != "auth")] | length' "$tmp/dump.jsonl")" -ge 6 ] || fail "records"
[ "$(echo "$att" | jq length)" = 3 ] || fail "3 attendance"
mid=$(awk -F, -v n="$mentor" '$2 == n { print $1; exit }' "$tmp/store/demo-roster/staff.csv")
[ -n "$mid" ] || fail "no staff id for $mentor"
ck=$(jq -s '[.[] | select(.kind == "checkin")] | last' "$tmp/dump.jsonl")
echo "  check-in: $(echo "$ck" | jq -c '{seq, author, child_name, type, mood}')"
[ "$(echo "$ck" | jq -r .author)" = "$mid" ] || fail "check-in author is not $mid ($mentor)"
[ "$(echo "$ck" | jq -r .by)" = staff ] || fail "check-in by staff"
[ "$(echo "$ck" | jq -r .child_name)" = "$child" ] || fail "check-in is about $child"
[ "$(echo "$ck" | jq -r .type)" = talk ] || fail "check-in type talk"
[ "$(echo "$ck" | jq -r .mood)" = 4 ] || fail "check-in mood 开心 (4)"
[ "$(echo "$ck" | jq '.concerns // [] | length')" = 0 ] || fail "a routine check-in has no concern"
[ "$(echo "$ck" | jq .seq)" -gt "$before" ] || fail "the check-in is new"
"$BUILD/guanai-sync" check --data "$tmp/store" >/dev/null || fail "store check"
echo "PASS: lecture $lseq held through the real window: 6 records, 2 present, 38 absent"
echo "PASS: $mentor ($mid) signed in with a PIN and checked in with $child (seq $(echo "$ck" | jq .seq))"
