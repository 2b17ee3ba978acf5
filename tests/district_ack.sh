#!/bin/sh
# Issue 15 item 4: the urgent loop closed.  A mentor records an urgent
# concern on the kiosk (headless, the real binary and a touch script);
# the school uploads sealed batches over WebDAV (nginx); the district
# ingests them into its own PostgreSQL, the board puts the school on top
# with the concern 未受理; `guanai-district ack` stores the ack and writes
# the school's ack file beside the roster; the terminal's `guanai-sync
# once` fetches it by conditional GET and appends one `ack` record (the
# same file again, and a 304, add nothing; a damaged file is refused by
# file:line and adds nothing); the headteacher's screen shows 已受理 with
# the day and the outcome at every size (screenshots into
# build/screenshots/district-ack/); the ack record goes back up and the
# district loads it.
. "$(dirname "$0")/lib/sync.sh"
. "$(dirname "$0")/lib/pg.sh"
DIST=$BUILD/guanai-district
KIOSK=$BUILD/guanai-kiosk
SHOTS=$BUILD/screenshots/district-ack
start_pg
start_nginx
URL=http://127.0.0.1:$NGX_PORT/up
W=$T/www/up
mkdir -p "$W" && chmod 777 "$W"
"$DIST" keygen "$T/k" >/dev/null
# a key folder made before signing gains the signing pair, its sealing
# key kept; with both pairs there keygen refuses
mkdir "$T/old" && cp "$T/k/district-key.secret" "$T/k/district-key.pub" "$T/old/"
"$DIST" keygen "$T/old" >"$T/out" || { echo "FAIL: keygen on an old folder"; exit 1; }
grep -q "district-sign.pub" "$T/out" && ! grep -q "district-key.pub" "$T/out" && [ -s "$T/old/district-sign.secret" ] &&
	cmp -s "$T/old/district-key.secret" "$T/k/district-key.secret" || { echo "FAIL: keygen on an old folder"; cat "$T/out"; exit 1; }
rc=0; "$DIST" keygen "$T/old" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "both key pairs are there" "$T/err" || { echo "FAIL: keygen over both pairs (exit $rc)"; exit 1; }
cp "$T/k/district-key.pub" "$W/district-key.pub"
# the ack files are signed (format 2); the terminals fetch the key
cp "$T/k/district-sign.pub" "$W/district-sign.pub"

S=$T/s
"$DEMO" --data "$S" --children 40 --records 200 --seed 3 --today 2026-03-02 --fast-pins >/dev/null 2>&1
SCHOOL=$("$SYNC" status --data "$S" | sed -n 's/^school \([^,]*\),.*/\1/p')
urgent_n() { "$SYNC" dump --data "$S" | jq -s '[.[] | select(.kind == "concern" and .urgent == true)] | length'; }
acks_n() { "$SYNC" dump --data "$S" | jq -s '[.[] | select(.kind == "ack")] | length'; }
printf 'screen_diagonal_inch = 7\nsound = 0\n' >"$T/k7.conf"
printf 'screen_diagonal_inch = 15.6\nsound = 0\n' >"$T/k15.conf"
kiosk() { # SIZE SCRIPT SHOTDIR
	conf=$T/k7.conf
	[ "$1" = 1920x1080 ] && conf=$T/k15.conf
	mkdir -p "$3"
	"$KIOSK" --headless --data "$S" --config "$conf" --window "$1" \
		--clock 2026-03-02T08:30 --script "$2" --shots "$3" >"$T/kiosk.out" 2>&1 ||
		{ echo "FAIL: kiosk $1 $2"; cat "$T/kiosk.out"; exit 1; }
}

echo "== an urgent concern on the kiosk"
before=$(urgent_n)
cat >"$T/urgent.txt" <<'SCRIPT'
wait 200
tap-text 导师
tap-after 2 请点你的名字
tap-text 1
tap-text 2
tap-text 3
tap-text 4
tap-text 确定
tap-nth 1 关爱记录
tap-text 谈心谈话
tap-text 开心
tap-text 疑似受侵害或面临危险
tap-text 我知道了，继续记录
tap-text 下一步
tap-text 保存
expect 知道了
SCRIPT
kiosk 1024x600 "$T/urgent.txt" "$T/shots0"
[ "$(urgent_n)" -eq $((before + 1)) ] || { echo "FAIL: no new urgent concern ($before before)"; exit 1; }
SEQ=$("$SYNC" dump --data "$S" | jq -s '[.[] | select(.kind == "concern" and .urgent == true)] | max_by(.seq) | .seq')
CHILD=$("$SYNC" dump --data "$S" | jq -rs "[.[] | select(.seq == $SEQ)][0].child")
NAME=$("$SYNC" dump --data "$S" | jq -rs "[.[] | select(.seq == $SEQ)][0].child_name")
echo "ok: concern seq $SEQ about $CHILD"

echo "== upload, ingest: the school on top, 未受理"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
"$SYNC" key --data "$S" >"$T/ring"
cat >"$T/d.conf" <<EOC
database = $PG_CONN
source = $W
keyring = $T/ring
secret_keys = $T/k/district-key.secret
progress_s = 0
acks = $W/roster
sign_key = $T/k/district-sign.secret
EOC
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { echo "FAIL: ingest"; cat "$T/err"; exit 1; }
ID=$($PSQL -c "select school||'/'||device||'/'||epoch||'/'||seq from urgent_open where seq = $SEQ")
[ -n "$ID" ] || { echo "FAIL: the concern is not open at the district"; exit 1; }
"$DIST" report --config "$T/d.conf" --today 2026-03-02 "$T/board" 2>"$T/err" || { cat "$T/err"; exit 1; }
grep -o '<tr id="[^"]*"' "$T/board/index.html" | head -1 | grep -q "\"$SCHOOL\"" || { echo "FAIL: the school is not on top"; exit 1; }
grep -q "<td>$ID</td><td>$CHILD</td><td>[^<]*</td><td>未受理</td>" "$T/board/school-$SCHOOL.html" ||
	{ echo "FAIL: the school page does not show $ID 未受理"; grep -A3 "未结紧急报告" "$T/board/school-$SCHOOL.html"; exit 1; }
echo "ok: $ID on the board, not acknowledged"

echo "== guanai-district ack: bad arguments refused, nothing written"
rc=0; "$DIST" ack --config "$T/d.conf" --concern "$ID" --by 王科长 --outcome jailed 2>"$T/err" || rc=$?
[ $rc -eq 2 ] && grep -q "outcome" "$T/err" || { echo "FAIL: a bad outcome (exit $rc)"; cat "$T/err"; exit 1; }
rc=0; "$DIST" ack --config "$T/d.conf" --concern "$SCHOOL/nodevice/0000000000000001/1" --by 王科长 --outcome police 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "no urgent concern of that id" "$T/err" || { echo "FAIL: an unknown concern (exit $rc)"; cat "$T/err"; exit 1; }
rc=0; "$DIST" ack --config "$T/d.conf" --concern "$SCHOOL/x" --by 王科长 --outcome police 2>"$T/err" || rc=$?
[ $rc -eq 2 ] || { echo "FAIL: a malformed id (exit $rc)"; exit 1; }
[ "$($PSQL -c 'select count(*) from acks')" -eq 0 ] && [ ! -e "$W/roster/$SCHOOL/acks.txt" ] || { echo "FAIL: a refused ack left something"; exit 1; }
echo "ok"

echo "== ack: stored, the school's file written"
"$DIST" ack --config "$T/d.conf" --concern "$ID" --by 王科长 --outcome police --note "已转城关派出所" >"$T/out" 2>"$T/err" ||
	{ echo "FAIL: ack"; cat "$T/err"; exit 1; }
grep -q "has 1 acks" "$T/out" || { cat "$T/out"; exit 1; }
[ "$($PSQL -c "select count(*) from acks where outcome = 'police' and by = '王科长'")" -eq 1 ] || { echo "FAIL: no row"; exit 1; }
F=$W/roster/$SCHOOL/acks.txt
head -2 "$F" | tr '\t' ' ' | grep -qx "school $SCHOOL" || { echo "FAIL: the file"; cat "$F"; exit 1; }
grep -q "$CHILD" "$F" && { echo "FAIL: the ack file names the child"; exit 1; }
"$DIST" report --config "$T/d.conf" --today 2026-03-02 "$T/board" 2>"$T/err" || { cat "$T/err"; exit 1; }
grep -q "<td>$ID</td><td>$CHILD</td><td>[^<]*</td><td>[0-9-]* [0-9:]* 已转公安 王科长</td>" "$T/board/school-$SCHOOL.html" ||
	{ echo "FAIL: the board does not mark it acknowledged"; grep -A3 "未结紧急报告" "$T/board/school-$SCHOOL.html"; exit 1; }
echo "ok: $(wc -l <"$F") lines, marked on the board"

echo "== the terminal fetches it: one ack record, once"
chmod -R a+rwX "$T/www"
[ "$(acks_n)" -eq 0 ] || exit 1
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
[ "$(acks_n)" -eq 1 ] || { echo "FAIL: $(acks_n) ack records"; cat "$T/err"; exit 1; }
"$SYNC" dump --data "$S" | jq -e "select(.kind == \"ack\") | select(.concern == $SEQ and .outcome == \"police\" and .ack_by == \"王科长\" and .ack_note == \"已转城关派出所\")" >/dev/null ||
	{ echo "FAIL: the ack record"; "$SYNC" dump --data "$S" | grep '"ack"'; exit 1; }
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>&1
grep "GET /up/roster/$SCHOOL/acks.txt" "$T/ngx/access.log" | tail -n 1 | grep -q '" 304 ' ||
	{ echo "FAIL: the second GET is not conditional (304)"; grep acks.txt "$T/ngx/access.log"; exit 1; }
# the ETag forgotten: the whole file again, still nothing new
rm "$S/roster-download/acks.txt"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err"
grep -q "acks: 0 new" "$T/err" && [ "$(acks_n)" -eq 1 ] || { echo "FAIL: a second fetch added something"; cat "$T/err"; exit 1; }
"$SYNC" check --data "$S" >/dev/null || { echo "FAIL: store check"; exit 1; }
echo "ok: 1 ack record; 304 next; the same file again adds nothing"

echo "== a damaged file: refused by file:line, nothing added"
cp "$F" "$T/good"
sed -i 's/\tpolice\t/\thandled\t/' "$F"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || true
grep -q "acks refused: roster/$SCHOOL/acks.txt:4: end: sha256 does not match" "$T/err" || { echo "FAIL: not refused"; cat "$T/err"; exit 1; }
"$SYNC" status --data "$S" | grep -q "^ack download refused: roster/$SCHOOL/acks.txt:4:" || { echo "FAIL: status"; "$SYNC" status --data "$S"; exit 1; }
[ "$(acks_n)" -eq 1 ] || { echo "FAIL: a damaged file added records"; exit 1; }
[ -s "$S/district-sign" ] || { echo "FAIL: the terminal has no signing key"; exit 1; }
head -1 "$T/good" | grep -q "^guanai-acks	2$" || { echo "FAIL: the file is not signed (format 2)"; head -1 "$T/good"; exit 1; }
# a forged signature: one hex digit of it changed
# (each file a new mtime: nginx's ETag is mtime and size)
sed '5y/0123456789abcdef/123456789abcdef0/' "$T/good" >"$F"
touch -d "@$(( $(date +%s) + 10 ))" "$F"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || true
grep -q "acks refused: roster/$SCHOOL/acks.txt:5: signature does not verify with the district's signing key" "$T/err" || { echo "FAIL: a forged signature not refused"; cat "$T/err"; exit 1; }
[ "$(acks_n)" -eq 1 ] || { echo "FAIL: a forged file added records"; exit 1; }
# a downgrade: the same acks as format 1, a correct SHA-256, no signature
python3 - "$T/good" "$F" <<'PY'
import hashlib, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
body = b"guanai-acks\t1\n" + b"\n".join(lines[1:3]) + b"\n"
n = lines[3].split(b"\t")[1]
open(sys.argv[2], "wb").write(body + b"end\t" + n + b"\t" + hashlib.sha256(body).hexdigest().encode() + b"\n")
PY
touch -d "@$(( $(date +%s) + 20 ))" "$F"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || true
grep -q "acks refused: roster/$SCHOOL/acks.txt:1: signature: version 1 is unsigned" "$T/err" || { echo "FAIL: a downgrade not refused"; cat "$T/err"; exit 1; }
[ "$(acks_n)" -eq 1 ] || { echo "FAIL: a downgraded file added records"; exit 1; }
cp "$T/good" "$F"
touch -d "@$(( $(date +%s) + 30 ))" "$F"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>&1
"$SYNC" status --data "$S" | grep -q "ack download refused" && { echo "FAIL: the refusal stays"; exit 1; }
echo "ok: damaged, forged and downgraded files refused by file:line"

echo "== the headteacher's screen shows 已受理 at every size"
# the day the district received it, Beijing time, as the screen words it
DAY=$($PSQL -c "select to_char(at at time zone 'Asia/Shanghai', 'FMMM\"月\"FMDD\"日\"') from acks")
cat >"$T/head.txt" <<SCRIPT
wait 200
tap-text 校长
tap-after 1 请点你的名字
tap-text 9
tap-text 9
tap-text 9
tap-text 9
tap-text 确定
expect $NAME：已受理 $DAY · 已转公安
shot head-acked
SCRIPT
rm -rf "$SHOTS"
for size in 1024x600 1920x1080 600x1024; do
	kiosk "$size" "$T/head.txt" "$SHOTS/$size"
	[ -s "$SHOTS/$size/head-acked.png" ] || { echo "FAIL: no screenshot at $size"; exit 1; }
done
echo "ok: screenshots in $SHOTS"

echo "== the ack goes back up and the district loads it"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { cat "$T/err"; exit 1; }
[ "$($PSQL -c "select count(*) from records where kind = 'ack' and (doc->>'concern')::bigint = $SEQ")" -eq 1 ] ||
	{ echo "FAIL: the district has not the school's ack record"; exit 1; }
echo "ok: the loop is closed"

echo "== the signing key rotated: the old file refused, --republish mends it"
"$DIST" keygen "$T/k2" >/dev/null
cp "$T/k2/district-sign.pub" "$W/district-sign.pub"
touch -d "@$(( $(date +%s) + 40 ))" "$W/district-sign.pub"
sed "s|^sign_key = .*|sign_key = $T/k2/district-sign.secret|" "$T/d.conf" >"$T/d2.conf"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || true
grep -q "district signing key rotated" "$T/err" || { echo "FAIL: not rotated"; cat "$T/err"; exit 1; }
cmp -s "$S/district-sign" "$T/k2/district-sign.pub" || { echo "FAIL: the terminal keeps the old key"; exit 1; }
# the file signed with the old key, fetched whole again
rm -f "$S/roster-download/acks.txt"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || true
grep -q "acks.txt:5: signature does not verify" "$T/err" || { echo "FAIL: the old signature taken"; cat "$T/err"; exit 1; }
"$DIST" ack --config "$T/d2.conf" --republish "$SCHOOL" >"$T/out" 2>"$T/err" || { echo "FAIL: republish"; cat "$T/err"; exit 1; }
grep -q "republished $W/roster/$SCHOOL/acks.txt: 1 acks" "$T/out" || { cat "$T/out"; exit 1; }
touch -d "@$(( $(date +%s) + 50 ))" "$F"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
grep -q "acks: 0 new" "$T/err" && [ "$(acks_n)" -eq 1 ] || { echo "FAIL: the republished file"; cat "$T/err"; exit 1; }
"$SYNC" status --data "$S" | grep -q "ack download refused" && { echo "FAIL: the refusal stays"; exit 1; }
echo "ok: rotated by conditional GET, the old signature refused, the file republished and taken"
echo "PASS"
