#!/bin/sh
# Issue 15: guanai-district ingest from a WebDAV collection.  Two
# terminals upload sealed batches to nginx (WebDAV, with the dav-ext
# module for PROPFIND) by `guanai-sync once`; ingest lists the
# collection with PROPFIND Depth: 1 and loads every record once; a
# second run loads nothing and downloads nothing (nginx's access log);
# a stray file, a folder and an encoded name beside the batches are
# ignored or decoded; an answer that is not a multistatus is refused
# by name, with no crash and nothing loaded.
. "$(dirname "$0")/lib/sync.sh"
. "$(dirname "$0")/lib/pg.sh"
DIST=$BUILD/guanai-district
MOD=/usr/lib/nginx/modules/ngx_http_dav_ext_module.so
[ -f "$MOD" ] || { echo "SKIP: no libnginx-mod-http-dav-ext"; exit 77; }
NGX_MAIN="load_module $MOD;"
NGX_LOG_FORMAT=gutest
# /up: the upload collection; /bad: a fixed answer that is not XML.
NGX_SERVER="location /up/ { dav_methods PUT; dav_ext_methods PROPFIND OPTIONS; create_full_put_path on; }
	location /bad/ { return 207 '<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/bad/x'; }
	location /html/ { default_type text/html; return 200 '<html><body>login</body></html>'; }"
start_nginx
start_pg
URL=http://127.0.0.1:$NGX_PORT/up

"$DIST" keygen "$T/k" >/dev/null
S1=$T/s1; S2=$T/s2
make_store "$S1" 300
"$SYNC" init --data "$S2" --school-id S430603002 --school-name y --device kiosk-01 >/dev/null
"$SYNC" import-roster --data "$S2" "$S1/demo-roster/children.csv" "$S1/demo-roster/staff.csv" >/dev/null
"$APPEND" "$S2" 200 7 50 >/dev/null
for s in "$S1" "$S2"; do
	cp "$T/k/district-key.pub" "$s/district-key"
	"$SYNC" once --data "$s" --url "$URL" --district-key-path "" --batch-records 100 >/dev/null
	"$SYNC" key --data "$s" >>"$T/ring"
done
want=$(( $(last_seq "$S1") + $(last_seq "$S2") ))
nb=$(ls "$T/www/up" | grep -c '\.ndjson\.gz$')
[ "$nb" -gt 2 ] || { echo "FAIL: only $nb batches uploaded"; exit 1; }
# beside the batches: a stray file, a folder, a name of the batch form
# inside a folder (Depth: 1 does not list it) and a file whose name is
# almost a batch's
echo hello >"$T/www/up/readme.txt"
mkdir -p "$T/www/up/old"
one=$(ls "$T/www/up" | grep '\.ndjson\.gz$' | head -1)
cp "$T/www/up/$one" "$T/www/up/old/$one"
cp "$T/www/up/$one" "$T/www/up/x$one.bak"
cat >"$T/d.conf" <<EOC
database = $PG_CONN
source = $URL
allow_http = yes
keyring = $T/ring
secret_keys = $T/k/district-key.secret
progress_s = 0
EOC

echo "== --check lists the collection"
"$DIST" ingest --config "$T/d.conf" --check >"$T/out" 2>"$T/err" || { echo "FAIL: --check"; cat "$T/out" "$T/err"; exit 1; }
grep -q "config ok: 2 devices in the keyring, 1 district keys, $nb batch files in $URL" "$T/out" ||
	{ echo "FAIL: --check says"; cat "$T/out"; exit 1; }
echo "ok: $nb batch files listed, the stray file and the folder not"

echo "== ingest from the collection"
: >"$T/ngx/access.log"
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { echo "FAIL: ingest"; cat "$T/err"; exit 1; }
n=$($PSQL -c "select count(*) from records")
[ "$n" -eq "$want" ] || { echo "FAIL: $n of $want records"; cat "$T/err"; exit 1; }
[ "$($PSQL -c "select count(*) from batches where sealed")" -eq "$nb" ] || { echo "FAIL: batches"; exit 1; }
[ "$($PSQL -c "select count(*) from quarantine")" -eq 0 ] || { echo "FAIL: quarantined"; cat "$T/err"; exit 1; }
grep -q '^207 PROPFIND /up/ ' "$T/ngx/access.log" || { echo "FAIL: no PROPFIND"; cat "$T/ngx/access.log"; exit 1; }
gets=$(grep -c '^200 GET /up/S' "$T/ngx/access.log")
[ "$gets" -eq "$nb" ] || { echo "FAIL: $gets downloads of $nb batches"; cat "$T/ngx/access.log"; exit 1; }
if grep -q 'GET /up/readme.txt\|GET /up/old\|GET /up/x' "$T/ngx/access.log"; then
	echo "FAIL: a file that is not a batch was downloaded"; exit 1
fi
echo "ok: $n records from $nb batches, one PROPFIND, $gets GETs"

echo "== a second run loads and downloads nothing"
: >"$T/ngx/access.log"
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { cat "$T/err"; exit 1; }
grep -q "done, $nb of $nb files: 0 loaded (0 records), $nb known, 0 quarantined" "$T/err" || { echo "FAIL: second run"; cat "$T/err"; exit 1; }
[ "$(grep -c ' GET ' "$T/ngx/access.log")" -eq 0 ] || { echo "FAIL: the second run downloaded"; cat "$T/ngx/access.log"; exit 1; }
[ "$(grep -c ' PROPFIND ' "$T/ngx/access.log")" -eq 1 ] || { echo "FAIL: not one PROPFIND"; exit 1; }
echo "ok: one PROPFIND and nothing else"

echo "== a new batch is loaded, and only it"
"$APPEND" "$S2" 30 7 50 >/dev/null
"$SYNC" once --data "$S2" --url "$URL" --district-key-path "" --batch-records 100 >/dev/null
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { cat "$T/err"; exit 1; }
grep -q ": [12] loaded (30 records)" "$T/err" || { echo "FAIL: the new batch"; cat "$T/err"; exit 1; }
echo "ok"

echo "== hrefs are percent-decoded: a full URL, %5F for '_', %2D for '-'"
# nginx names plain batch names plainly; another server may encode them:
# a fixed answer for /enc/ whose files are those of /up/.
enc=$(printf '%s' "$one" | sed 's/_/%5F/g; s/-/%2D/g')
stop_nginx
NGX_SERVER="location /up/ { dav_methods PUT; dav_ext_methods PROPFIND OPTIONS; }
	location = /enc/ { return 207 '<?xml version=\"1.0\"?><multistatus xmlns=\"DAV:\"><response><href>http://127.0.0.1/enc/</href></response><response><href> http://127.0.0.1/enc/$enc </href></response><response><href>/enc/readme.txt</href></response></multistatus>'; }
	location /enc/ { alias $T/www/up/; }
	location /bad/ { return 207 '<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/bad/x'; }
	location /html/ { default_type text/html; return 200 '<html><body>login</body></html>'; }"
start_nginx
$PSQL -c "create database enc"
sed "s|^source = .*|source = http://127.0.0.1:$NGX_PORT/enc|; s|dbname=postgres|dbname=enc|" "$T/d.conf" >"$T/enc.conf"
"$DIST" ingest --config "$T/enc.conf" 2>"$T/err" || { echo "FAIL: enc"; cat "$T/err"; exit 1; }
grep -q "done, 1 of 1 files: 1 loaded" "$T/err" || { echo "FAIL: the encoded name"; cat "$T/err"; exit 1; }
echo "ok: $enc taken as $one"

echo "== an answer that is not a multistatus: refused by name, nothing loaded"
before=$($PSQL -c "select count(*) from batches")
for b in bad html; do
	sed "s|^source = .*|source = http://127.0.0.1:$NGX_PORT/$b|" "$T/d.conf" >"$T/$b.conf"
	rc=0; "$DIST" ingest --config "$T/$b.conf" 2>"$T/err" || rc=$?
	[ $rc -eq 2 ] || { echo "FAIL: $b: exit $rc"; cat "$T/err"; exit 1; }
	[ "$($PSQL -c "select count(*) from batches")" -eq "$before" ] || { echo "FAIL: $b loaded something"; exit 1; }
	cat "$T/err"
done
grep -q "http://127.0.0.1:$NGX_PORT/html: PROPFIND: HTTP 200 with a web page" "$T/err" || { echo "FAIL: html: message"; exit 1; }
sed "s|^source = .*|source = http://127.0.0.1:$NGX_PORT/bad|" "$T/d.conf" >"$T/bad.conf"
"$DIST" ingest --config "$T/bad.conf" 2>"$T/err" || true
grep -q "guanai-district ingest: http://127.0.0.1:$NGX_PORT/bad:1: not a multistatus: " "$T/err" || { echo "FAIL: bad: message"; cat "$T/err"; exit 1; }
echo "PASS"
