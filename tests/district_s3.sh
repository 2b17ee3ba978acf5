#!/bin/sh
# Issue 15 items 2 and 3: guanai-district ingest from an S3 bucket.  The
# school uploads sealed batches to s3rver (the S3 test server of
# tests/sync_s3.sh) behind an nginx that logs every signing header;
# ingest lists the bucket (ListObjectsV2) and downloads what it has not
# loaded, signed by sync/http.c's SigV4 (libcurl); then every logged
# request, the school's PUTs and HEADs and the district's GETs, is signed
# again by an independent signer, python3-botocore's S3SigV4Auth, from
# the logged method, URI, host and headers, and must give the same
# signature.  A second run downloads nothing.  Then `ack` PUTs the
# school's ack file into the bucket (a PUT with a wrong key fails, the
# row stays, `--republish` writes it), the terminal's daemon fetches it
# from there by conditional GET and appends the ack record once; the
# PUTs of the ack file are re-signed by botocore too.
. "$(dirname "$0")/lib/sync.sh"
. "$(dirname "$0")/lib/pg.sh"
DIST=$BUILD/guanai-district
for t in node npm; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done
python3 -c 'import botocore.auth' 2>/dev/null || { echo "SKIP: no python3-botocore"; exit 77; }
mkdir -p "$T/npm"
if ! (cd "$T/npm" && timeout 90 npm install --no-audit --no-fund --silent s3rver@3 >"$T/npm.log" 2>&1); then
	tail -n 3 "$T/npm.log"; echo "SKIP: npm install s3rver failed (registry unreachable?)"; exit 77
fi
S3P=$(free_port)
mkdir -p "$T/s3"
"$T/npm/node_modules/.bin/s3rver" -d "$T/s3" -a 127.0.0.1 -p "$S3P" --silent \
	--configure-bucket district >"$T/s3rver.log" 2>&1 &
PIDS="$PIDS $!"
NGX_LOG_FORMAT=gutest
NGX_SERVER="location /district { proxy_pass http://127.0.0.1:$S3P; proxy_set_header Host \$http_host; proxy_request_buffering on; }"
start_nginx
for i in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$S3P/" && break; sleep 0.1; done
start_pg
URL=http://127.0.0.1:$NGX_PORT/district
SIG="--aws-sigv4 aws:amz:cn-north-1:s3 --aws-user S3RVER:S3RVER"

"$DIST" keygen "$T/k" >/dev/null
S=$T/store
make_store "$S" 300
cp "$T/k/district-key.pub" "$S/district-key"
"$SYNC" once --data "$S" --url "$URL" $SIG --district-key-path "" --batch-records 100 >/dev/null
"$SYNC" key --data "$S" >"$T/ring"
cat >"$T/d.conf" <<EOC
database = $PG_CONN
source = $URL
aws_sigv4 = aws:amz:cn-north-1:s3
aws_user = S3RVER:S3RVER
allow_http = yes
keyring = $T/ring
secret_keys = $T/k/district-key.secret
EOC

echo "== ingest from the bucket"
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { echo "FAIL: ingest"; cat "$T/err"; exit 1; }
n=$($PSQL -c "select count(*) from records")
[ "$n" -eq "$(last_seq "$S")" ] || { echo "FAIL: $n of $(last_seq "$S") records"; cat "$T/err"; exit 1; }
nb=$(ls "$T/s3/district" | grep -c '\.ndjson\.gz\._S3rver_object$')
gets=$(grep -c '^200 GET /district/S' "$T/ngx/access.log")
[ "$gets" -eq "$nb" ] || { echo "FAIL: $gets downloads of $nb objects"; exit 1; }
"$DIST" ingest --config "$T/d.conf" 2>"$T/err" || { cat "$T/err"; exit 1; }
[ "$(grep -c '^200 GET /district/S' "$T/ngx/access.log")" -eq "$gets" ] || { echo "FAIL: the second run downloaded again"; exit 1; }
grep -q '^200 GET /district/?list-type=2' "$T/ngx/access.log" || { echo "FAIL: no ListObjectsV2"; exit 1; }
echo "ok: $n records from $nb objects; the second run listed and downloaded nothing"

echo "== ack over S3: one PUT after the commit; a failed PUT is republished"
ID=$($PSQL -c "select school||'/'||device||'/'||epoch||'/'||seq from urgent_open order by seq limit 1")
[ -n "$ID" ] || { echo "FAIL: no open urgent concern loaded"; exit 1; }
SCHOOL=${ID%%/*}; SEQ=${ID##*/}
{ cat "$T/d.conf"; echo "acks = $URL/roster"; } >"$T/a.conf"
sed 's|^aws_user = .*|aws_user = NOBODY:x|' "$T/a.conf" >"$T/wrong.conf"
rc=0; "$DIST" ack --config "$T/wrong.conf" --concern "$ID" --by 王科长 --outcome received 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q "the ack is stored; the next ack of the school or ack --republish $SCHOOL writes the file" "$T/err" ||
	{ echo "FAIL: a refused PUT (exit $rc)"; cat "$T/err"; exit 1; }
[ "$($PSQL -c 'select count(*) from acks')" -eq 1 ] || { echo "FAIL: the row did not stay"; exit 1; }
[ ! -e "$T/s3/district/roster/$SCHOOL/acks.txt._S3rver_object" ] || { echo "FAIL: a file despite the refusal"; exit 1; }
"$DIST" ack --config "$T/a.conf" --republish "$SCHOOL" >"$T/out" 2>"$T/err" || { echo "FAIL: republish"; cat "$T/err"; exit 1; }
grep -q "republished $URL/roster/$SCHOOL/acks.txt: 1 acks" "$T/out" || { cat "$T/out"; exit 1; }
"$DIST" ack --config "$T/a.conf" --concern "$ID" --by 王科长 --outcome police >"$T/out" 2>"$T/err" || { echo "FAIL: ack"; cat "$T/err"; exit 1; }
grep -q "has 2 acks" "$T/out" || { cat "$T/out"; exit 1; }
[ "$(grep -c "^200 PUT /district/roster/$SCHOOL/acks.txt" "$T/ngx/access.log")" -eq 2 ] || { echo "FAIL: not two PUTs of the file"; grep acks.txt "$T/ngx/access.log"; exit 1; }
echo "ok: the refused PUT kept the row, --republish and the next ack wrote the file"

echo "== the terminal fetches the ack from the bucket"
acks_n() { "$SYNC" dump --data "$S" | jq -s '[.[] | select(.kind == "ack")] | length'; }
[ "$(acks_n)" -eq 0 ] || exit 1
"$SYNC" once --data "$S" --url "$URL" $SIG --district-key-path "" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
[ "$(acks_n)" -eq 2 ] || { echo "FAIL: $(acks_n) ack records"; cat "$T/err"; exit 1; }
"$SYNC" dump --data "$S" | jq -e "select(.kind == \"ack\" and .concern == $SEQ and .outcome == \"police\")" >/dev/null || { echo "FAIL: the ack record"; exit 1; }
"$SYNC" once --data "$S" --url "$URL" $SIG --district-key-path "" >/dev/null 2>"$T/err" || { cat "$T/err"; exit 1; }
[ "$(acks_n)" -eq 2 ] || { echo "FAIL: the second pass added acks"; exit 1; }
grep "GET /district/roster/$SCHOOL/acks.txt" "$T/ngx/access.log" | tail -n 1 | grep -q '^304 ' ||
	{ echo "FAIL: the second GET is not a 304"; grep acks.txt "$T/ngx/access.log"; exit 1; }
echo "ok: 2 ack records from S3, a 304 next"

echo "== every signature again by botocore"
python3 - "$T/ngx/access.log" "127.0.0.1:$NGX_PORT" <<'PY' || exit 1
import sys, re
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
log, host = sys.argv[1], sys.argv[2]
creds = Credentials("S3RVER", "S3RVER")
n = 0
kinds = set()
for line in open(log):
    head, auth, date, sha = line.rstrip("\n").split("|")
    if not auth.startswith("AWS4-HMAC-SHA256"):
        continue
    status, method, uri, ifnm = head.split(" ", 3)
    m = re.match(r"AWS4-HMAC-SHA256 Credential=(?:S3RVER|NOBODY)/(\d{8})/cn-north-1/s3/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
    if not m:
        print("FAIL: malformed Authorization: " + auth); sys.exit(1)
    signed = m.group(2).split(";")
    hdrs = {"host": host, "x-amz-date": date, "x-amz-content-sha256": sha}
    if "content-type" in signed:
        hdrs["content-type"] = "application/gzip"
    if "if-none-match" in signed:
        # nginx logs a '"' as \x22
        hdrs["if-none-match"] = ifnm.replace("\\x22", '"')
    if sorted(hdrs) != sorted(signed):
        print("FAIL: signed headers %s, not re-signable" % signed); sys.exit(1)
    req = AWSRequest(method=method, url="http://" + host + uri, headers=hdrs)
    # the refused ack's PUT was signed with the wrong key on purpose
    a = S3SigV4Auth(creds if "=S3RVER/" in auth else Credentials("NOBODY", "x"), "s3", "cn-north-1")
    req.context["timestamp"] = date
    sig = a.signature(a.string_to_sign(req, a.canonical_request(req)), req)
    if sig != m.group(3):
        print("FAIL: %s %s: curl signed %s, botocore %s" % (method, uri, m.group(3), sig))
        print(a.canonical_request(req)); sys.exit(1)
    if n == 0:
        # the control: another secret gives another signature
        b = S3SigV4Auth(Credentials("S3RVER", "other"), "s3", "cn-north-1")
        if b.signature(b.string_to_sign(req, b.canonical_request(req)), req) == sig:
            print("FAIL: control: the secret does not matter"); sys.exit(1)
    n += 1
    kinds.add(method + (" list" if "list-type" in uri else "") + (" acks" if uri.endswith("/acks.txt") else ""))
print("botocore agrees with all %d signed requests (%s)" % (n, ", ".join(sorted(kinds))))
for k in ("PUT", "GET", "GET list", "PUT acks", "GET acks"):
    if k not in kinds:
        print("FAIL: no %s request was checked" % k); sys.exit(1)
PY
echo "PASS"
