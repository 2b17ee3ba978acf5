#!/bin/sh
# Issue 10 items 2 and 3: what the district's `verify` tells.  Each
# (device, epoch) is judged on its own and every record that verifies is
# printed: an urgent batch ahead of a regular one leaves no gap; a missing,
# failed, renamed or forged batch is named as such, per device; a chain
# must start at batch 1; an empty folder is no success; with --keys every
# signature is checked against the district's keyring, so deleting a batch
# and re-hashing the later ones is caught.
. "$(dirname "$0")/lib/sync.sh"
FORGE=$BUILD/tools/gu_forge

S=$T/s1; S2=$T/s2; A=$T/a
make_store "$S" 300
# a second device of the same school
"$SYNC" init --data "$S2" --school-id S430603001 --school-name x --device kiosk-02 >/dev/null
"$SYNC" import-roster --data "$S2" "$S/demo-roster/children.csv" "$S/demo-roster/staff.csv" >/dev/null
"$APPEND" "$S2" 500 0 50 >/dev/null
mkdir -p "$A"
"$SYNC" once --data "$S" --url "file://$A" --batch-records 100 >/dev/null
"$SYNC" once --data "$S2" --url "file://$A" --batch-records 100 >/dev/null
n_all=$("$SYNC" verify "$A" 2>/dev/null | wc -l)
[ "$n_all" -eq $(( $(last_seq "$S") + $(last_seq "$S2") )) ] || { echo "FAIL: verify printed $n_all records"; exit 1; }
echo "two devices in one folder: $n_all records, ok"

echo "== an urgent batch ahead of a regular batch that has not arrived"
# A regular batch is frozen (here by an export; in the field by a send
# that keeps failing), then urgent concerns are made and sent ahead of it.
"$APPEND" "$S" 100 0 >/dev/null
"$SYNC" export "$T/b0" --data "$S" >/dev/null
"$APPEND" "$S" 150 50 >/dev/null
"$SYNC" export "$T/b" --data "$S" >/dev/null
for f in "$T/b"/*-u.ndjson.gz; do [ -e "$T/b0/$(basename "$f")" ] || cp "$f" "$A/"; done
"$SYNC" verify "$A" >"$T/out" 2>"$T/err" || { echo "FAIL: verify refused the folder"; cat "$T/err"; exit 1; }
n_urgent=$(jq -r 'select(.kind=="concern") | .seq' "$T/out" | awk -v a="$(acked_seq "$S")" '$1 > a' | wc -l)
[ "$n_urgent" -eq 3 ] || { echo "FAIL: $n_urgent of the 3 new urgent concerns printed"; cat "$T/err"; exit 1; }
echo "ok: exit 0, the 3 urgent concerns printed with every other record"

echo "== one device broken: the other's records still printed, the problem named"
reg2=$(ls "$A" | grep "$("$SYNC" status --data "$S2" | sed -n 's/.*epoch \([0-9a-f]*\)$/\1/p')" | grep -v -- '-u\.ndjson' | sort)
second=$(echo "$reg2" | sed -n 2p); third=$(echo "$reg2" | sed -n 3p)
mv "$A/$second" "$T/held"
rc=0; "$SYNC" verify "$A" >"$T/out" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] || { echo "FAIL: a gap gave exit $rc"; exit 1; }
grep -q "regular batches 2\.\.2 are missing" "$T/err" || { echo "FAIL: the gap is not named"; cat "$T/err"; exit 1; }
n=$(wc -l <"$T/out")
missing=$(zcat "$T/held" | tail -n +2 | wc -l)
[ "$n" -eq $((n_all + 3 - missing)) ] || { echo "FAIL: $n records printed, want $((n_all + 3 - missing))"; exit 1; }
echo "ok: batch 2 of one device named missing, $n other records printed"
cp "$A/$third" "$T/third.keep"
printf 'x' | dd of="$A/$third" bs=1 seek=200 conv=notrunc 2>/dev/null
mv "$T/held" "$A/$second"
rc=0; "$SYNC" verify "$A" >"$T/out" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "regular batches 3\.\.3 failed verification" "$T/err" && ! grep -q "missing" "$T/err" ||
	{ echo "FAIL: a damaged batch is not reported as failed"; cat "$T/err"; exit 1; }
cp "$T/third.keep" "$A/$third"
echo "ok: a damaged batch is reported as failed, not missing"

echo "== a chain without batch 1, a renamed file, an empty folder"
mkdir "$T/c"
echo "$reg2" | sed 1d | while read -r f; do cp "$A/$f" "$T/c/"; done
rc=0; "$SYNC" verify "$T/c" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "does not start at batch 1" "$T/err" || { echo "FAIL: no batch 1 passed"; cat "$T/err"; exit 1; }
mkdir "$T/d"; cp "$A/$second" "$T/d/S1_x_0000000000000000_000000000001-000000000002.ndjson.gz"
rc=0; "$SYNC" verify "$T/d" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "file name is not the one its header gives" "$T/err" || { echo "FAIL: a renamed file passed"; cat "$T/err"; exit 1; }
mkdir "$T/e"
rc=0; "$SYNC" verify "$T/e" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "no batch files" "$T/err" || { echo "FAIL: an empty folder gave exit $rc"; cat "$T/err"; exit 1; }
echo "ok: each named"

echo "== signatures: the keyring, an unknown device, a deleted batch re-hashed"
"$SYNC" key --data "$S" >"$T/keyring"
"$SYNC" key --data "$S2" >>"$T/keyring"
grep -Eq '^[A-Za-z0-9._-]+ [A-Za-z0-9._-]+ ed25519:[0-9a-f]{64}$' "$T/keyring" || { echo "FAIL: key line"; cat "$T/keyring"; exit 1; }
[ "$(stat -c %a "$S/device-key")" = 640 ] || { echo "FAIL: device-key mode"; exit 1; }
"$SYNC" verify --keys "$T/keyring" "$A" >/dev/null 2>"$T/err" || { echo "FAIL: --keys on good batches"; cat "$T/err"; exit 1; }
head -1 "$T/keyring" >"$T/one"
rc=0; "$SYNC" verify --keys "$T/one" "$A" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "is not in the keyring" "$T/err" || { echo "FAIL: unknown device passed"; cat "$T/err"; exit 1; }
printf 'S1 d1 ed25519:00\n' >"$T/badring"
rc=0; "$SYNC" verify --keys "$T/badring" "$A" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 2 ] && grep -q "badring:1:" "$T/err" || { echo "FAIL: a bad keyring"; cat "$T/err"; exit 1; }
# The attacker deletes batch 2 of device 1 and re-hashes 3, 4, ... onto
# batch 1, signing with a key of his own.
"$SYNC" init --data "$T/x" --school-id S9 --school-name x --device evil >/dev/null
mkdir "$T/f"
reg1=$(ls "$A" | grep "$("$SYNC" status --data "$S" | sed -n 's/.*epoch \([0-9a-f]*\)$/\1/p')" | grep -v -- '-u\.ndjson' | sort)
for f in $(ls "$A" | grep "$("$SYNC" status --data "$S" | sed -n 's/.*epoch \([0-9a-f]*\)$/\1/p')"); do cp "$A/$f" "$T/f/"; done
rm "$T/f/$(echo "$reg1" | sed -n 2p)"
prev=$(zcat "$T/f/$(echo "$reg1" | sed -n 1p)" | head -1 | jq -r .sha256)
num=2
for f in $(echo "$reg1" | sed 1,2d); do
	prev=$("$FORGE" "$T/f/$f" "$T/f/$f.new" $num "$prev" "$T/x") || { echo "FAIL: forge"; exit 1; }
	mv "$T/f/$f.new" "$T/f/$f"; num=$((num + 1))
done
rc=0; "$SYNC" verify --keys "$T/keyring" "$T/f" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "forged: signed by a key that is not the device's" "$T/err" ||
	{ echo "FAIL: a re-hashed chain passed verify --keys"; cat "$T/err"; exit 1; }
echo "ok: --keys names the forged batches: $(grep -c forged "$T/err")"
rc=0; "$SYNC" verify "$T/f" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "are in no regular batch here" "$T/err" ||
	{ echo "FAIL: the deleted seqs were not noticed"; cat "$T/err"; exit 1; }
echo "ok: even without --keys the deleted seqs are named (tiling)"

echo "== format 1 is still read, and is unsigned"
mkdir "$T/g"
for f in $(echo "$reg1"); do cp "$A/$f" "$T/g/"; done
prev=zero; num=1
for f in $(echo "$reg1"); do
	prev=$("$FORGE" "$T/g/$f" "$T/g/$f.new" $num "$prev" v1) || { echo "FAIL: forge v1"; exit 1; }
	mv "$T/g/$f.new" "$T/g/$f"; num=$((num + 1))
done
zcat "$T/g/$(echo "$reg1" | sed -n 1p)" | head -1 | grep -q '"guanai_batch":1,' || { echo "FAIL: not format 1"; exit 1; }
# Only the regular batches are here: their skipped seqs are rightly
# named; every file itself must verify.
"$SYNC" verify "$T/g" >"$T/out" 2>"$T/err" || true
[ "$(grep -c ': ok, batch ' "$T/err")" -eq "$(echo "$reg1" | wc -l)" ] && ! grep -q ': FAILED:' "$T/err" ||
	{ echo "FAIL: format 1 not read"; cat "$T/err"; exit 1; }
rc=0; "$SYNC" verify --keys "$T/keyring" "$T/g" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "unsigned (format 1)" "$T/err" || { echo "FAIL: format 1 passed --keys"; cat "$T/err"; exit 1; }
echo "ok: format 1 verifies ($(wc -l <"$T/out") records); with --keys it is named unsigned"
echo "PASS"
