#!/bin/sh
# kiosk_note_e2e.sh: a note written by hand in the real guanai-kiosk in a
# real X window (Xvfb), the way a finger would: a mentor signs in with her
# PIN, starts a check-in of her first child, opens 备注 on its last step,
# draws the two strokes of 十 on the writing pad with xdotool (mouse down,
# moves, up), waits for the pause that commits the first candidate, taps
# 完成 and 保存.  The note is read back from `guanai-sync dump`: the real
# Zinnia model recognised the strokes, the kiosk saved them as the
# check-in's "note".
#
# Where to tap: the kiosk writes the rectangle of every text on screen to
# $GUANAI_TEXT_DUMP after each frame (app/platform.h).  The pad has no
# text: it is the square under the candidate bar, as tall as the keys
# beside it, centred in what the keys leave on the left (app/ime/ime_ui.c),
# so its top is the top of the 删除 key and its centre half the x of the
# ， key.  Exit 0 pass, 77 skip (no Xvfb/xdotool/jq), 1 fail.
set -u
BUILD=${BUILD:-build}
for t in Xvfb xdotool jq; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done
W=1024
H=600

tmp=$(mktemp -d /tmp/guanai-note-e2e-XXXXXX)
xpid=""
kpid=""
cleanup() {
	[ -n "$kpid" ] && kill "$kpid" 2>/dev/null
	[ -n "$xpid" ] && kill "$xpid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; echo "--- screen texts:"; cut -d' ' -f5- "$tmp/texts" 2>/dev/null | head -40; exit 1; }

echo "making a demo school (40 children)"
"$BUILD/guanai-demo" --data "$tmp/store" --children 40 --seed 7 --fast-pins >"$tmp/demo.log" 2>&1 ||
	{ cat "$tmp/demo.log"; fail "guanai-demo"; }

d=91
while [ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ]; do d=$((d + 1)); done
Xvfb ":$d" -screen 0 ${W}x${H}x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xpid=$!
export DISPLAY=":$d"
i=0
until xdotool getmouselocation >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 50 ] && fail "Xvfb did not start"; sleep 0.1
done
cat >"$tmp/kiosk.conf" <<CONF
screen_diagonal_inch = 7
sound = 0
idle_timeout_s = 600
CONF
echo "starting guanai-kiosk on $DISPLAY"
GUANAI_TEXT_DUMP="$tmp/texts" SDL_AUDIODRIVER=dummy "$BUILD/guanai-kiosk" \
	--data "$tmp/store" --config "$tmp/kiosk.conf" --window ${W}x${H} \
	>"$tmp/kiosk.log" 2>&1 &
kpid=$!

line_of() { grep -m1 "^[-0-9]* [-0-9]* [0-9]* [0-9]* $1\$" "$tmp/texts"; }
wait_text() {
	i=0
	until line_of "$1" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 150 ] && fail "'$1' never appeared"
		kill -0 "$kpid" 2>/dev/null || { cat "$tmp/kiosk.log"; fail "kiosk died"; }
		sleep 0.1
	done
}
# The window's origin on the display, into wx wy.
origin() {
	wx=0; wy=0
	eval "$(xdotool search --name '^guanai-kiosk$' getwindowgeometry --shell 2>/dev/null | grep -E '^(X|Y)=' | sed 's/^X=/wx=/; s/^Y=/wy=/')"
}
click_line() {
	set -- $1
	[ $# -ge 4 ] || fail "no such text"
	origin
	xdotool mousemove $((wx + $1 + $3 / 2)) $((wy + $2 + $4 / 2)) mousedown 1
	sleep 0.08
	xdotool mouseup 1
	sleep 0.3
}
tap() { wait_text "$1"; echo "  tap $1"; click_line "$(line_of "$1")"; }
tap_after() {
	wait_text "$1"
	line=$(awk -v m="$1" -v n="$2" '
		{ t = $0; sub(/^[-0-9]+ [-0-9]+ [0-9]+ [0-9]+ /, "", t) }
		found && ++k == n { print; exit }
		t == m { found = 1 }' "$tmp/texts")
	click_line "$line"
}
# stroke X1 Y1 X2 Y2: a finger from one point to the other in 12 moves.
stroke() {
	origin
	xdotool mousemove $((wx + $1)) $((wy + $2)) mousedown 1
	n=1
	while [ $n -le 12 ]; do
		xdotool mousemove $((wx + $1 + ($3 - $1) * n / 12)) $((wy + $2 + ($4 - $2) * n / 12))
		sleep 0.02
		n=$((n + 1))
	done
	xdotool mouseup 1
	sleep 0.15
}

echo "a mentor signs in and starts a check-in"
tap 导师
wait_text 请点你的名字
tap_after 请点你的名字 2
for k in 1 2 3 4; do tap $k; done
tap 确定
tap 关爱记录
tap 谈心谈话
tap 开心
tap 无，下一步
tap "+ 备注"
wait_text "0/200 字"

echo "she writes 十 on the pad"
wait_text 删除
set -- $(line_of 删除); top=$2
set -- $(line_of "，"); cx=$(($1 / 2))
side=$((H - top))
cy=$((top + side / 2))
echo "  pad: top $top, centre $cx,$cy, side $side"
stroke $((cx - side * 35 / 100)) $cy $((cx + side * 35 / 100)) $cy
stroke $cx $((cy - side * 40 / 100)) $cx $((cy + side * 40 / 100))
wait_text "1/200 字"
tap 完成
wait_text "✓ 备注"
tap 保存
tap 知道了
tap 退出
wait_text 安全讲堂签到
kill "$kpid"; wait "$kpid" 2>/dev/null; kpid=""

echo "reading the note back with guanai-sync dump"
"$BUILD/guanai-sync" dump --data "$tmp/store" >"$tmp/dump.jsonl" || fail "dump"
ck=$(jq -s '[.[] | select(.kind == "checkin")] | last' "$tmp/dump.jsonl")
echo "  check-in: $(echo "$ck" | jq -c '{seq, author, child_name, type, mood, note}')"
[ "$(echo "$ck" | jq -r .note)" = 十 ] || fail "the check-in's note is not 十"
[ "$(echo "$ck" | jq -r .type)" = talk ] || fail "check-in type talk"
"$BUILD/guanai-sync" check --data "$tmp/store" >/dev/null || fail "store check"
echo "PASS: 十 written with xdotool strokes on the pad, saved as the check-in's note"
