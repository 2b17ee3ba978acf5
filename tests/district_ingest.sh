#!/bin/sh
# Issue 15 items 2 and 3: guanai-district ingest into a real PostgreSQL 15
# started here.  Two schools upload sealed batches; ingest loads every
# record once; a second run, the same batches from a stick, and the
# batches in another order change nothing; a flipped byte, a device not
# in the keyring, a batch sealed to another district's key go to
# quarantine with their reasons while the rest loads; --check and a bad
# config name file:line.
. "$(dirname "$0")/lib/sync.sh"
. "$(dirname "$0")/lib/pg.sh"
DIST=$BUILD/guanai-district
start_pg

"$DIST" keygen "$T/k" >/dev/null
S1=$T/s1; S2=$T/s2; A=$T/srv
make_store "$S1" 300
"$SYNC" init --data "$S2" --school-id S430603002 --school-name y --device kiosk-01 >/dev/null
"$SYNC" import-roster --data "$S2" "$S1/demo-roster/children.csv" "$S1/demo-roster/staff.csv" >/dev/null
"$APPEND" "$S2" 400 7 50 >/dev/null
mkdir -p "$A"
for s in "$S1" "$S2"; do
	cp "$T/k/district-key.pub" "$s/district-key"
	"$SYNC" once --data "$s" --url "file://$A" --batch-records 60 >/dev/null
	"$SYNC" key --data "$s" >>"$T/ring"
done
"$SYNC" export "$T/stick" --all --data "$S1" >/dev/null
want=$(( $(last_seq "$S1") + $(last_seq "$S2") ))
cat >"$T/d.conf" <<EOC
# the district's ingest
database = $PG_CONN
source = $A
keyring = $T/ring
secret_keys = $T/k/district-key.secret
progress_s = 0
EOC

echo "== --check, and a bad config named by line"
"$DIST" ingest --config "$T/d.conf" --check >"$T/out" || { cat "$T/out"; exit 1; }
grep -q "config ok: 2 devices" "$T/out" || { echo "FAIL: check says"; cat "$T/out"; exit 1; }
printf 'source = %s\nsorce = x\nsource = y\nprogress_s = soon\n' "$A" >"$T/bad.conf"
rc=0; "$DIST" ingest --config "$T/bad.conf" --check 2>"$T/err" || rc=$?
[ $rc -eq 2 ] && grep -q "bad.conf:2: unknown key 'sorce'" "$T/err" && grep -q "bad.conf:3: source given twice" "$T/err" &&
	grep -q "bad.conf:4: progress_s" "$T/err" && grep -q "bad.conf: database is missing" "$T/err" ||
	{ echo "FAIL: bad config (exit $rc)"; cat "$T/err"; exit 1; }
echo "ok"

echo "== ingest: every record once"
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { echo "FAIL: ingest"; cat "$T/err"; exit 1; }
n=$($PSQL -c "select count(*) from records")
[ "$n" -eq "$want" ] || { echo "FAIL: $n records of $want"; cat "$T/err"; exit 1; }
[ "$($PSQL -c "select count(*) from schools")" -eq 2 ] || { echo "FAIL: schools"; exit 1; }
[ "$($PSQL -c "select count(*) from batches where sealed and format = 3")" -eq "$(ls "$A" | wc -l)" ] || { echo "FAIL: batches"; exit 1; }
u=$($PSQL -c "select count(*) from records where kind = 'concern' and (doc->>'urgent')::bool")
[ "$u" -gt 0 ] || { echo "FAIL: no urgent concern loaded"; exit 1; }
sum1=$($PSQL -c "select md5(string_agg(school||device||epoch||seq||doc::text, ',' order by school, device, epoch, seq)) from records")
echo "ok: $n records, $u urgent concerns"

echo "== again, from the stick, out of order: nothing changes"
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { cat "$T/err"; exit 1; }
grep -q "done, [0-9]* of [0-9]* files: 0 loaded (0 records), [0-9]* known, 0 quarantined" "$T/err" || { echo "FAIL: second run"; cat "$T/err"; exit 1; }
sed "s|^source = .*|source = $T/stick|" "$T/d.conf" >"$T/stick.conf"
"$DIST" ingest --config "$T/stick.conf" 2>"$T/err" || { cat "$T/err"; exit 1; }
grep -q ": 0 loaded (0 records)" "$T/err" || { echo "FAIL: stick"; cat "$T/err"; exit 1; }
$PSQL -c "create database again"
sed "s|dbname=postgres|dbname=again|" "$T/d.conf" >"$T/again.conf"
# the later half first, then everything
mkdir "$T/late"
ls "$A" | sort | tail -n 5 | while read -r f; do cp "$A/$f" "$T/late/"; done
sed "s|^source = .*|source = $T/late|" "$T/again.conf" >"$T/late.conf"
"$DIST" ingest --config "$T/late.conf" 2>"$T/err" || { cat "$T/err"; exit 1; }
"$DIST" ingest --config "$T/again.conf" 2>"$T/err" || { cat "$T/err"; exit 1; }
sum2=$(psql -X -q -A -t -h "$T/pg" -p "$PG_PORT" -U guanai again -c "select md5(string_agg(school||device||epoch||seq||doc::text, ',' order by school, device, epoch, seq)) from records")
[ "$sum1" = "$sum2" ] || { echo "FAIL: out of order gives other records"; exit 1; }
echo "ok: second run, stick, reverse order: the same records"

echo "== bad batches quarantined, the rest loaded"
"$APPEND" "$S1" 70 0 >/dev/null
"$SYNC" once --data "$S1" --url "file://$A" --batch-records 60 >/dev/null
new=$(ls -t "$A" | head -1)
# a flipped byte in a new batch
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(b)" "$A/$new"
# a device not in the keyring
S3=$T/s3
"$SYNC" init --data "$S3" --school-id S430603003 --school-name z --device kiosk-09 >/dev/null
"$SYNC" import-roster --data "$S3" "$S1/demo-roster/children.csv" "$S1/demo-roster/staff.csv" >/dev/null
"$APPEND" "$S3" 20 0 >/dev/null
cp "$T/k/district-key.pub" "$S3/district-key"
"$SYNC" once --data "$S3" --url "file://$A" >/dev/null
# a school sealed to another district's key
"$DIST" keygen "$T/other" >/dev/null
"$APPEND" "$S2" 15 0 >/dev/null
cp "$T/other/district-key.pub" "$S2/district-key"
"$SYNC" once --data "$S2" --url "file://$A" >/dev/null
before=$($PSQL -c "select count(*) from records")
rc=0; "$DIST" ingest --config "$T/d.conf" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] || { echo "FAIL: exit $rc with bad batches"; cat "$T/err"; exit 1; }
$PSQL -c "select reason from quarantine order by reason" >"$T/q"
grep -q "does not authenticate\|sealed_sha256 does not match" "$T/q" &&
	grep -q "device kiosk-09 of school S430603003 is not in the keyring" "$T/q" &&
	grep -q "sealed to an unknown district key" "$T/q" && [ "$(wc -l <"$T/q")" -eq 3 ] ||
	{ echo "FAIL: quarantine"; cat "$T/q" "$T/err"; exit 1; }
after=$($PSQL -c "select count(*) from records")
# the first of the two new batches of S1 is good, the flipped one is not
[ "$after" -gt "$before" ] || { echo "FAIL: the good new batch was not loaded"; exit 1; }
rc=0; "$DIST" ingest --config "$T/d.conf" 2>"$T/err" || rc=$?
grep -q ": 0 loaded (0 records), [0-9]* known, 3 quarantined" "$T/err" || { echo "FAIL: quarantined files read again"; cat "$T/err"; exit 1; }
echo "ok: 3 quarantined with their reasons, $((after - before)) good records loaded beside them"
echo "PASS"
