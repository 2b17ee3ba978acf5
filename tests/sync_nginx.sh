#!/bin/sh
# Uploads to a real nginx with WebDAV on loopback, through a proxy that
# injects every fault in turn; after each, the invariants (tests/lib/sync.sh).
. "$(dirname "$0")/lib/sync.sh"

start_nginx
S=$T/store
make_store "$S" 3000
URL=http://127.0.0.1:$NGX_PORT/district

echo "== plain upload"
"$SYNC" once --data "$S" --url "$URL" --batch-records 500 >/dev/null
check_server "$S" "$T/www/district" final

echo "== faults: every mode, then pass"
for mode in reset midreset e500 e503 e401 stall slow lost; do
	P=$(free_port)
	"$PROXY" "$P" "$NGX_PORT" 0 "$mode,pass" & PIDS="$PIDS $!"
	sleep 0.2
	"$APPEND" "$S" 700 13 100 >/dev/null
	tries=0
	while :; do
		tries=$((tries + 1))
		rc=0
		"$SYNC" once --data "$S" --url "http://127.0.0.1:$P/district" \
			--batch-records 300 --stall-s 2 --connect-timeout-s 2 \
			>"$T/once.out" 2>&1 || rc=$?
		[ $rc -eq 0 ] && break
		[ $tries -lt 8 ] || { echo "FAIL: $mode: never succeeded"; cat "$T/once.out"; exit 1; }
		check_server "$S" "$T/www/district" >/dev/null || { echo "FAIL during $mode"; exit 1; }
	done
	echo "$mode: exit codes until success: $tries tries"
	check_server "$S" "$T/www/district" final
done

echo "== status after failures names the class"
P=$(free_port)
"$PROXY" "$P" "$NGX_PORT" 0 "e401" & PIDS="$PIDS $!"
sleep 0.2
"$APPEND" "$S" 10 >/dev/null
rc=0; "$SYNC" once --data "$S" --url "http://127.0.0.1:$P/district" >/dev/null 2>&1 || rc=$?
[ $rc -eq 7 ] || { echo "FAIL: 401 gave exit $rc, not 7"; exit 1; }
"$SYNC" status --data "$S" | grep -q "authentication failed" || { echo "FAIL: status"; exit 1; }
"$SYNC" status --data "$S" | grep -q "next attempt not before" || { echo "FAIL: no backoff"; exit 1; }
echo "401: exit 7, status says authentication failed, backoff stored"
rc=0; "$SYNC" once --data "$S" --url "http://127.0.0.1:1/district" --connect-timeout-s 2 >/dev/null 2>&1 || rc=$?
[ $rc -eq 4 ] || { echo "FAIL: closed port gave exit $rc, not 4"; exit 1; }
echo "closed port: exit 4 (unreachable)"
"$SYNC" once --data "$S" --url "$URL" >/dev/null
check_server "$S" "$T/www/district" final

echo "== USB export verifies; uploading it as well makes no duplicate"
"$APPEND" "$S" 300 7 >/dev/null
"$SYNC" export "$T/usb" --data "$S" >/dev/null
(cd "$T/usb" && sha256sum -c --quiet manifest.txt)
# The stick holds only what had not reached the server: alone it is a
# chain that does not start at batch 1; beside the server's it is whole.
rc=0; "$SYNC" verify "$T/usb" >/dev/null 2>"$T/v.err" || rc=$?
[ $rc -eq 1 ] && grep -q "does not start at batch 1" "$T/v.err" ||
	{ echo "FAIL: a partial stick verified alone"; cat "$T/v.err"; exit 1; }
"$SYNC" verify "$T/www/district" "$T/usb" >/dev/null 2>&1
cp "$T/usb"/*.ndjson.gz "$T/www/district/"
"$SYNC" once --data "$S" --url "$URL" >/dev/null
check_server "$S" "$T/www/district" final
echo "PASS"
