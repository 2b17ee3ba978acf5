#!/bin/sh
# Issue 15 item 1: sealed batches.  The district's public key reaches the
# terminal by conditional GET from the upload server (and is rotated the
# same way); every batch then leaves sealed, by upload and by USB export:
# neither the server nor the stick holds a child's name, id or note in
# any form (raw, in any gzip stream found at any offset, GB18030); the
# wrong district key cannot open it; a flipped byte is refused; a
# terminal without a key sends format 2 and says so.
. "$(dirname "$0")/lib/sync.sh"
unset GUANAI_QUIET
DIST=$BUILD/guanai-district
S=$T/s
make_store "$S" 0
start_nginx
URL=http://127.0.0.1:$NGX_PORT/up

echo "== no district key: format 2, said on stderr"
mkdir -p "$T/www/up" && chmod 777 "$T/www/up"
"$SYNC" once --data "$S" --url "$URL" --district-key-path "" >"$T/out" 2>"$T/err" || { cat "$T/out" "$T/err"; exit 1; }
grep -q "batches are NOT sealed: no district key" "$T/err" || { echo "FAIL: no warning"; cat "$T/err"; exit 1; }
plain=$(ls "$T/www/up"/*.ndjson.gz | head -1)
zcat "$plain" | head -1 | grep -q '"guanai_batch":2' || { echo "FAIL: not format 2"; exit 1; }
# the control for the checks below: a plain batch shows the child ids
zcat "$plain" | grep -q '"child":"G20' || { echo "FAIL: control: no child id in a plain batch"; exit 1; }
echo "ok: unsealed format 2 with the warning (and it carries child ids)"

echo "== the key by conditional GET, then every batch sealed"
"$DIST" keygen "$T/k1" >/dev/null
cp "$T/k1/district-key.pub" "$T/www/up/district-key.pub"
"$APPEND" "$S" 120 9 50 >/dev/null
"$SYNC" once --data "$S" --url "$URL" --batch-records 50 >/dev/null 2>"$T/err"
grep -q "district key installed" "$T/err" || { echo "FAIL: key not installed"; cat "$T/err"; exit 1; }
cmp -s "$T/k1/district-key.pub" "$S/district-key" || { echo "FAIL: DATA/district-key differs"; exit 1; }
grep -q "GET /up/district-key.pub" "$T/ngx/access.log" || { echo "FAIL: no GET of the key"; exit 1; }
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>&1
grep "GET /up/district-key.pub" "$T/ngx/access.log" | tail -n 1 | grep -q '" 304 ' || { echo "FAIL: the second GET is not conditional (304)"; tail -n 3 "$T/ngx/access.log"; exit 1; }
"$SYNC" export "$T/stick" --all --data "$S" >/dev/null
mkdir -p "$T/srv"
for f in "$T/www/up"/*.ndjson.gz; do [ "$f" = "$plain" ] || cp "$f" "$T/srv/"; done
n_srv=$(ls "$T/srv" | wc -l); n_stick=$(ls "$T/stick"/*.ndjson.gz | wc -l)
[ "$n_srv" -ge 3 ] && [ "$n_stick" -ge 4 ] || { echo "FAIL: $n_srv sealed on server, $n_stick on stick"; exit 1; }
for f in "$T/srv"/* "$T/stick"/*.ndjson.gz; do
	head -c 17 "$f" | grep -q '{"guanai_batch":3' || { echo "FAIL: $f is not sealed"; exit 1; }
done
echo "ok: $n_srv sealed batches on the server, $n_stick on the stick (the plain one re-sealed too)"

echo "== no child's name, id or note in any form"
# every name and id of the roster, every note the store holds
tail -n +2 "$S/demo-roster/children.csv" | cut -d, -f1,2,8 | tr ',' '\n' | grep -v '^$' | sort -u >"$T/secrets"
"$SYNC" dump --plain --data "$S" | jq -r '.. | strings' | grep -E '^G20|[^ -~]' | sort -u >>"$T/secrets"
n_sec=$(wc -l <"$T/secrets")
cat >"$T/scan.py" <<'PY'
import os, sys, zlib
secrets = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if len(l) >= 2]
forms = set()
for s in secrets:
    for enc in ("utf-8", "gb18030", "utf-16-le", "utf-16-be"):
        try:
            forms.add(s.encode(enc))
        except UnicodeEncodeError:
            pass
    forms.add(s.encode("unicode_escape"))
files = [os.path.join(d, f) for d in sys.argv[2:] for f in os.listdir(d) if f.endswith(".ndjson.gz")]
for path in files:
    data = open(path, "rb").read()
    texts = [data]
    # any deflate or gzip stream anywhere in the file
    for i in range(len(data)):
        for wbits in (31, -15):
            try:
                d = zlib.decompressobj(wbits).decompress(data[i:i + 65536])
            except zlib.error:
                continue
            if len(d) > 8:
                texts.append(d)
    for t in texts:
        for f in forms:
            if f in t:
                print("FAIL: %s holds %r" % (path, f))
                sys.exit(1)
print("checked %d files against %d forms of %d secrets" % (len(files), len(forms), len(secrets)))
PY
# the control: the scan finds them in the plain batch sent before the key
mkdir "$T/plain" && cp "$plain" "$T/plain/"
python3 "$T/scan.py" "$T/secrets" "$T/plain" >"$T/out" && { echo "FAIL: control: the scan finds nothing in a plain batch"; exit 1; }
grep -q "holds" "$T/out" || { cat "$T/out"; exit 1; }
python3 "$T/scan.py" "$T/secrets" "$T/srv" "$T/stick" || exit 1
echo "ok: none of $n_sec names, ids and notes found"

echo "== the district opens them; the wrong key, a flipped byte, a stranger are refused"
"$SYNC" key --data "$S" >"$T/ring"
"$DIST" open --secret "$T/k1/district-key.secret" --keys "$T/ring" "$T/stick"/*.ndjson.gz >"$T/out" 2>"$T/err" ||
	{ echo "FAIL: open"; cat "$T/err"; exit 1; }
n=$(wc -l <"$T/out"); want=$(last_seq "$S")
[ "$n" -eq "$want" ] || { echo "FAIL: opened $n of $want records"; exit 1; }
[ "$(jq -r .seq "$T/out" | sort -u | wc -l)" -eq "$want" ] || { echo "FAIL: a record twice"; exit 1; }
"$DIST" keygen "$T/k2" >/dev/null
one=$(ls "$T/srv"/* | head -1)
rc=0; "$DIST" open --secret "$T/k2/district-key.secret" "$one" >"$T/out" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && [ ! -s "$T/out" ] && grep -q "unknown district key" "$T/err" || { echo "FAIL: the wrong key opened it"; cat "$T/err"; exit 1; }
size=$(stat -c %s "$one")
for off in 10 300 $((size / 2)) $((size - 1)); do
	cp "$one" "$T/flip"
	python3 -c "import sys; p=sys.argv[1]; o=int(sys.argv[2]); b=bytearray(open(p,'rb').read()); b[o]^=1; open(p,'wb').write(b)" "$T/flip" "$off"
	rc=0; "$DIST" open --secret "$T/k1/district-key.secret" "$T/flip" >"$T/out" 2>"$T/err" || rc=$?
	[ $rc -eq 1 ] && [ ! -s "$T/out" ] || { echo "FAIL: byte $off flipped was accepted"; exit 1; }
done
printf 'S430603001 kiosk-01 ed25519:%064d\n' 0 >"$T/ring2"
rc=0; "$DIST" open --secret "$T/k1/district-key.secret" --keys "$T/ring2" "$one" >"$T/out" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "forged" "$T/err" || { echo "FAIL: a stranger's batch was opened"; cat "$T/err"; exit 1; }
rc=0; "$SYNC" verify "$T/srv" >/dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "a sealed batch (format 3)" "$T/err" || { echo "FAIL: verify does not name a sealed batch"; cat "$T/err"; exit 1; }
echo "ok: opened all $n records; wrong key, 4 flipped bytes, a forged keyring refused"

echo "== rotation by the same path"
"$DIST" keygen "$T/k3" >/dev/null
cp "$T/k3/district-key.pub" "$T/www/up/district-key.pub"
# nginx's ETag is mtime-size: the same size copied in the same second as
# k1 would be the same ETag (a 304), so the new file is dated ahead
touch -d "@$(( $(date +%s) + 10 ))" "$T/www/up/district-key.pub"
"$APPEND" "$S" 10 0 >/dev/null
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err"
grep -q "district key rotated" "$T/err" || { echo "FAIL: not rotated"; cat "$T/err"; exit 1; }
new=$(ls -t "$T/www/up"/*.ndjson.gz | head -1)
"$DIST" open --secret "$T/k3/district-key.secret" "$new" >/dev/null 2>&1 || { echo "FAIL: the new key does not open the new batch"; exit 1; }
"$DIST" open --secret "$T/k1/district-key.secret" "$new" >/dev/null 2>&1 && { echo "FAIL: the old key opens the new batch"; exit 1; }
printf 'guanai-district-pub 1\nx25519 zz\n' >"$T/www/up/district-key.pub"
touch -d "@$(( $(date +%s) + 20 ))" "$T/www/up/district-key.pub"
"$SYNC" once --data "$S" --url "$URL" >/dev/null 2>"$T/err"
grep -q "district-key.pub refused: .*:2: expected x25519" "$T/err" || { echo "FAIL: a bad key file is not refused by line"; cat "$T/err"; exit 1; }
cmp -s "$T/k3/district-key.pub" "$S/district-key" || { echo "FAIL: the key in use changed"; exit 1; }
echo "ok: rotated by conditional GET; a bad key file refused at its line, the key in use kept"
echo "PASS"
