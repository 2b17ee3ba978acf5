#!/bin/sh
# screenshots.sh: a PNG of every kiosk screen at 1024x600 (a 7-inch
# terminal), 1920x1080 (a 15.6-inch one) and 600x1024 (portrait) into
# $BUILD/screenshots/, from the demo school, with the clock fixed at
# 2026-03-02 08:30.  Runs the real binary headless (software renderer)
# through a touch script (app/script.h).  `make screenshots` calls it.
set -eu
BUILD=${BUILD:-build}
out="$BUILD/screenshots"
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d /tmp/guanai-shots-XXXXXX)
trap 'rm -rf "$work"' EXIT

"$BUILD/guanai-demo" --data "$work/demo" --children 120 --seed 1 \
	--today 2026-03-02 >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; exit 1; }

# Every screen in one walk through a lecture.
cat >"$work/walk.txt" <<'SCRIPT'
wait 200
shot 01-home
tap-text 导师
shot 02-not-built
tap-text 知道了
tap-text 安全讲堂签到
shot 03-start-who
tap-after 1 请问是哪位老师在开始讲座？
shot 04-start-topic
tap-text 防溺水
shot 05-start-lecturer
tap-text 法治副校长
tap-text 全选
shot 06-start-classes
tap-text 开始签到
tap-text 返回
shot 07-home-lecture-open
tap-text 安全讲堂签到
shot 08-lecture-classes
tap-after 1 请点你的班级
shot 09-names
tap-after 1 请点你自己的名字
shot 10-confirm
tap-text 点错了，不是我
shot 11-undone
tap-text 知道了
tap-after 2 请点你自己的名字
tap-text 完成
tap-after 3 请点你自己的名字
wait 4000
tap-after 5 请点你自己的名字
wait 52000
shot 12-idle-countdown
tap-text 返回
tap-text 老师点名
tap-after 3 点名字标记已到，再点一次撤销
tap-after 7 点名字标记已到，再点一次撤销
shot 13-teacher-mark
tap-text 返回
tap-text 结束讲座
shot 14-close-ask
tap-text 确定结束
shot 15-report
SCRIPT

cat >"$work/k7.conf" <<'CONF'
screen_diagonal_inch = 7
sound = 0
CONF
cat >"$work/k15.conf" <<'CONF'
screen_diagonal_inch = 15.6
sound = 0
CONF

for size in 1024x600 1920x1080 600x1024; do
	conf="$work/k7.conf"
	[ "$size" = 1920x1080 ] && conf="$work/k15.conf"
	rm -rf "$work/run"
	cp -r "$work/demo" "$work/run"
	mkdir -p "$out/$size"
	"$BUILD/guanai-kiosk" --headless --data "$work/run" --config "$conf" \
		--window "$size" --clock 2026-03-02T08:30 \
		--script "$work/walk.txt" --shots "$out/$size"
	echo "screenshots: $(ls "$out/$size" | wc -l) screens at $size in $out/$size"
done
