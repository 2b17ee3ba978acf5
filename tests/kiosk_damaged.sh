#!/bin/sh
# A damaged store (issue 10 item 5, the kiosk's part): guanai-kiosk on a
# store whose file fails to open as a valid store (GU_ECORRUPT: both LMDB
# meta pages overwritten here) shows the storage-damaged screen, says so
# on stderr, and writes nothing: data.mdb is byte-identical afterwards,
# whatever is tapped.
set -eu
BUILD=${BUILD:-build}
tmp=$(mktemp -d /tmp/guanai-damaged-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$BUILD/guanai-demo" --data "$tmp/store" --children 20 --seed 7 --fast-pins >"$tmp/demo.log" 2>&1 ||
	{ cat "$tmp/demo.log"; fail "guanai-demo"; }
# Damage: the magic of both meta pages (LMDB keeps two, at page 0 and 1).
ps=$(getconf PAGESIZE)
for page in 0 1; do
	printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' |
		dd of="$tmp/store/data.mdb" bs=1 seek=$((page * ps)) conv=notrunc 2>/dev/null
done
"$BUILD/guanai-sync" stats --data "$tmp/store" >/dev/null 2>&1 && fail "the damaged store still opens"
sum=$(sha256sum <"$tmp/store/data.mdb")

printf 'sound = 0\nscreen_diagonal_inch = 7\n' >"$tmp/k.conf"
cat >"$tmp/script.txt" <<'SCRIPT'
wait 200
expect 存储已损坏
shot damaged
tap 100 300
tap 512 500
wait 70000
tap 900 60
expect 存储已损坏
expect-not 安全讲堂签到
quit
SCRIPT
"$BUILD/guanai-kiosk" --headless --data "$tmp/store" --config "$tmp/k.conf" \
	--window 1024x600 --clock 2026-03-02T08:30 --script "$tmp/script.txt" \
	--shots "$tmp" 2>"$tmp/err" || { rc=$?; cat "$tmp/err"; fail "kiosk exited $rc"; }
grep -q 'is damaged' "$tmp/err" || { cat "$tmp/err"; fail "no word of the damage on stderr"; }
[ -s "$tmp/damaged.png" ] || fail "no screenshot"
[ "$(sha256sum <"$tmp/store/data.mdb")" = "$sum" ] || fail "the kiosk wrote into the damaged store"
echo "PASS: damaged store: the storage-damaged screen, nothing written"
