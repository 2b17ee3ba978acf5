#!/bin/sh
# Upload to an S3-compatible store with AWS SigV4 (aws_sigv4, aws_user):
# s3rver (npm, installed into a temp dir at test time; skipped when npm or
# the registry is unreachable) behind an nginx that logs the signing
# headers.  s3rver 3 checks the access key and that x-amz-content-sha256
# is there but does NOT verify SigV4 signatures, so this test checks the
# form of Authorization, x-amz-date and x-amz-content-sha256 (the body's
# real SHA-256) on every PUT, and the objects against the store.
. "$(dirname "$0")/lib/sync.sh"
for t in node npm; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done
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
URL=http://127.0.0.1:$NGX_PORT/district
S=$T/store
make_store "$S" 800
SIG="--aws-sigv4 aws:amz:cn-north-1:s3"

echo "== an unknown access key is an authentication failure"
rc=0; "$SYNC" once --data "$S" --url "$URL" $SIG --aws-user NOBODY:x >/dev/null 2>&1 || rc=$?
[ $rc -eq 7 ] || { echo "FAIL: unknown key gave exit $rc, not 7"; exit 1; }
echo "ok: exit 7"

echo "== upload a backlog of $(last_seq "$S") records"
"$SYNC" once --data "$S" --url "$URL" $SIG --aws-user S3RVER:S3RVER --batch-records 250 >"$T/once.out"
cat "$T/once.out"
mkdir -p "$T/objs"
for f in "$T/s3/district"/*._S3rver_object; do
	cp "$f" "$T/objs/$(basename "$f" ._S3rver_object)"
done
check_server "$S" "$T/objs" final

echo "== every PUT was signed: Authorization, x-amz-date, x-amz-content-sha256"
grep ' PUT ' "$T/ngx/access.log" | grep '^200 ' >"$T/puts"
n=$(wc -l <"$T/puts"); [ "$n" -eq "$(ls "$T/objs" | wc -l)" ] || { echo "FAIL: $n PUTs logged"; exit 1; }
head -n 1 "$T/puts"
re='^200 PUT /district/([^ ]+) -\|AWS4-HMAC-SHA256 Credential=S3RVER/[0-9]{8}/cn-north-1/s3/aws4_request, SignedHeaders=(content-type;)?host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}\|[0-9]{8}T[0-9]{6}Z\|[0-9a-f]{64}$'
while IFS= read -r l; do
	echo "$l" | grep -Eq "$re" || { echo "FAIL: not a well-formed SigV4 PUT: $l"; exit 1; }
	name=$(echo "$l" | sed 's|^200 PUT /district/\([^ ]*\) .*|\1|')
	want=$(sha256sum "$T/objs/$name" | cut -d' ' -f1)
	[ "${l##*|}" = "$want" ] || { echo "FAIL: $name: x-amz-content-sha256 is not the body's"; exit 1; }
	d=$(echo "$l" | sed 's|.*Credential=S3RVER/\([0-9]*\)/.*|\1|')
	echo "$l" | grep -q "|${d}T" || { echo "FAIL: credential date and x-amz-date differ"; exit 1; }
done <"$T/puts"
echo "ok: $n PUTs with well-formed SigV4 headers and the body's SHA-256"
echo "PASS"
