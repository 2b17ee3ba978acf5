#!/bin/sh
# Issue 10 items 1, 10 and 16: a 2xx is not proof of storage.  A captive
# portal (200 text/html to everything), a server that answers 200 and
# keeps nothing, a 202, a 201 that then stalls and a redirect each leave
# the cursor where it was and say what happened; plain http:// needs
# allow_http = yes and never carries a token.  Then a real upload.
. "$(dirname "$0")/lib/sync.sh"

start_nginx
S=$T/store
make_store "$S" 500
W=$T/www/district
mkdir -p "$W" && chmod 777 "$W"

# fault MODE EXIT WORDS: one pass through the proxy in MODE must exit
# EXIT, store nothing new, keep the cursor, and say WORDS.
fault() {
	mode=$1; want=$2; words=$3
	P=$(free_port)
	"$PROXY" "$P" "$NGX_PORT" 0 "$mode" & PIDS="$PIDS $!"
	sleep 0.2
	before=$(acked_seq "$S")
	n_before=$(ls "$W" | wc -l)
	rc=0
	"$SYNC" once --data "$S" --url "http://127.0.0.1:$P/district" \
		--stall-s 2 --connect-timeout-s 2 >"$T/once.out" 2>&1 || rc=$?
	[ $rc -eq "$want" ] || { echo "FAIL: $mode: exit $rc, not $want"; cat "$T/once.out"; exit 1; }
	grep -q "all uploaded" "$T/once.out" && { echo "FAIL: $mode: says all uploaded"; exit 1; }
	[ "$(acked_seq "$S")" -eq "$before" ] || { echo "FAIL: $mode: the cursor moved"; exit 1; }
	[ "$(ls "$W" | wc -l)" -eq "$n_before" ] || { echo "FAIL: $mode: something was stored"; exit 1; }
	"$SYNC" status --data "$S" | grep -Eq "$words" ||
		{ echo "FAIL: $mode: status does not say '$words'"; "$SYNC" status --data "$S"; exit 1; }
	echo "$mode: exit $rc, cursor kept at $before, status: $(grep -Eo "$words" "$T/once.out" | head -1)"
}

echo "== answers that are not proof of storage"
fault portal 3 "captive portal"
fault fake200 5 "HEAD of it answered HTTP 404"
fault a202 5 "HTTP 202, which does not say"
fault s201stall 5 "answered HTTP 201 and then stalled"
fault redirect 6 "redirect to http://portal.example/login"

echo "== plain http:// needs allow_http, and never carries a token"
rc=0; GUANAI_SYNC_CONF= "$SYNC" once --data "$S" --url "http://127.0.0.1:$NGX_PORT/district" >"$T/o" 2>&1 || rc=$?
[ $rc -eq 2 ] && grep -q "allow_http" "$T/o" || { echo "FAIL: http:// without allow_http: exit $rc"; cat "$T/o"; exit 1; }
rc=0; "$SYNC" once --check --data "$S" --url "http://127.0.0.1:$NGX_PORT/district" --token sekrit >"$T/o" 2>&1 || rc=$?
[ $rc -eq 2 ] && grep -q "token" "$T/o" || { echo "FAIL: --check took a token over http: exit $rc"; cat "$T/o"; exit 1; }
grep -q sekrit "$T/ngx/access.log" && { echo "FAIL: the token reached the server"; exit 1; }
printf 'url = https://district.example/up\ntoken = sekrit\n' >"$T/open.conf"
chmod 644 "$T/open.conf"
"$SYNC" once --check --config "$T/open.conf" --data "$S" >"$T/o" 2>&1
grep -q "warning: holds a token" "$T/o" || { echo "FAIL: no warning for a token readable by others"; cat "$T/o"; exit 1; }
chmod 600 "$T/open.conf"
"$SYNC" once --check --config "$T/open.conf" --data "$S" >"$T/o" 2>&1
grep -q "warning" "$T/o" && { echo "FAIL: warning for a 0600 file"; exit 1; }
echo "http:// refused without allow_http; a token over http refused by --check; 0644 token file warned"

echo "== a real server: everything, exactly once"
"$SYNC" once --data "$S" --url "http://127.0.0.1:$NGX_PORT/district" >"$T/o" 2>&1 || { cat "$T/o"; exit 1; }
check_server "$S" "$W" final
echo "PASS"
