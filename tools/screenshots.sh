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
	--today 2026-03-02 --fast-pins >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; exit 1; }

# The mentor's and the headteacher's screens (issue 4, issue 5 item 6).
cat >"$work/care.txt" <<'SCRIPT'
wait 200
tap-text 导师
shot 20-signin-who
tap-after 2 请点你的名字
tap-text 1
tap-text 2
shot 21-signin-pin
tap-text 3
tap-text 4
tap-text 确定
shot 22-mentor-home
tap-nth 1 关爱记录
shot 23-checkin-type
tap-text 谈心谈话
shot 24-checkin-mood
tap-text 开心
shot 25-checkin-concerns
tap-text 疑似受侵害或面临危险
shot 26-urgent
tap-text 我知道了，继续记录
tap-text 下一步
shot 27-checkin-notes
tap-text 保存
shot 28-urgent-saved
tap-text 知道了
shot 29-mentor-urgent-on-top
tap-nth 1 走访
shot 30-visit-date
tap-text 今天
shot 31-visit-met
tap-text 祖父母
shot 32-visit-guardianship
tap-text 监护落实
shot 33-visit-hazards
tap-text 无隐患，下一步
tap-text 好
tap-text 一般
shot 34-visit-mood
tap-text 开心
tap-text 无问题，下一步
shot 35-visit-actions
tap-text 结对帮扶
tap-text 下一步
shot 36-visit-next
tap-text 一个月后
tap-text 保存
tap-text 知道了
tap-text 紧急
shot 37-child-file
tap-text 未关闭
tap-text 跟进并关闭
tap-text 已报警（110）
shot 38-followup
tap-text 保存并关闭
tap-text 知道了
tap-text 返回
tap-text 退出
tap-text 我的辅导记录
shot 40-student-class
tap-after 1 请点你的班级
shot 41-student-name
tap-text 返回
tap-text 返回
tap-text 校长
tap-after 1 请点你的名字
tap-text 9
tap-text 9
tap-text 9
tap-text 9
tap-text 确定
shot 50-head
tap-text 立即上传
shot 51-head-asked
tap-text 全校孩子
shot 52-head-children
SCRIPT

# Every screen in one walk through a lecture.
cat >"$work/walk.txt" <<'SCRIPT'
wait 200
shot 01-home
tap-text 安全讲堂签到
shot 03-start-who
tap-after 2 请点你的名字
tap-text 1
tap-text 2
tap-text 3
tap-text 4
tap-text 确定
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
tap-after 2 请点你的名字
tap-text 1
tap-text 2
tap-text 3
tap-text 4
tap-text 确定
tap-after 3 点名字标记已到，再点一次撤销
tap-after 7 点名字标记已到，再点一次撤销
shot 13-teacher-mark
tap-text 返回
tap-text 结束讲座
tap-after 2 请点你的名字
tap-text 1
tap-text 2
tap-text 3
tap-text 4
tap-text 确定
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
	rm -rf "$work/run"
	cp -r "$work/demo" "$work/run"
	"$BUILD/guanai-kiosk" --headless --data "$work/run" --config "$conf" \
		--window "$size" --clock 2026-03-02T08:30 \
		--script "$work/care.txt" --shots "$out/$size"
	echo "screenshots: $(ls "$out/$size" | wc -l) screens at $size in $out/$size"
done
