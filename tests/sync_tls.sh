#!/bin/sh
# Uploads over TLS to a real nginx on loopback with a throwaway CA made
# here: the CA file, a pinned public key, a client certificate required
# by the server.  Verification is never off: without the CA, with a wrong
# pin, without the client certificate the pass fails, the failure is
# classified and stored, and nothing reaches the server.  After every
# success the invariants of tests/lib/sync.sh.
. "$(dirname "$0")/lib/sync.sh"
command -v openssl >/dev/null 2>&1 || { echo "SKIP: no openssl"; exit 77; }

K=$T/pki
mkdir -p "$K"
echo "== a throwaway CA, a server certificate for 127.0.0.1, a client certificate"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$K/ca.key" -out "$K/ca.pem" -days 2 -subj "/CN=Guanai test CA" 2>/dev/null
mkcert() { # NAME CN EXT
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$K/$1.key" -out "$K/$1.csr" -subj "/CN=$2" 2>/dev/null
	printf '%s\n' "$3" >"$K/$1.ext"
	openssl x509 -req -in "$K/$1.csr" -CA "$K/ca.pem" -CAkey "$K/ca.key" \
		-CAcreateserial -days 2 -extfile "$K/$1.ext" -out "$K/$1.pem" 2>/dev/null
}
mkcert server 127.0.0.1 "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth"
mkcert client device-1 "extendedKeyUsage=clientAuth"
pin() { openssl pkey -in "$1" -pubout -outform DER | openssl dgst -sha256 -binary | base64; }
PIN_OK="sha256//$(pin "$K/server.key")"
PIN_BAD="sha256//$(pin "$K/client.key")"
chmod 755 "$K"; chmod 644 "$K"/*

NGX_SCHEME=https
NGX_LISTEN_OPTS=ssl
NGX_SERVER="ssl_certificate $K/server.pem; ssl_certificate_key $K/server.key;"
start_nginx
S=$T/store
make_store "$S" 500
W=$T/www/district
URL=https://127.0.0.1:$NGX_PORT/district

nbatches() { ls "$W"/*.ndjson.gz 2>/dev/null | wc -l; }

# must_fail WHAT EXITCODES GREP ARGS...: the pass fails with one of the exit
# codes, the stored status names the failure, nothing new on the server.
must_fail() {
	what=$1; codes=$2; pat=$3; shift 3
	before=$(nbatches)
	rc=0; "$SYNC" once --data "$S" "$@" >"$T/once.out" 2>&1 || rc=$?
	case " $codes " in
	*" $rc "*) ;;
	*) echo "FAIL: $what: exit $rc, not one of $codes"; cat "$T/once.out"; exit 1 ;;
	esac
	"$SYNC" status --data "$S" >"$T/status.out"
	grep -Eqi "$pat" "$T/status.out" ||
		{ echo "FAIL: $what: status does not say /$pat/"; cat "$T/status.out"; exit 1; }
	[ "$(nbatches)" -eq "$before" ] || { echo "FAIL: $what: a batch reached the server"; exit 1; }
	check_server "$S" "$T/www/district" >/dev/null || { echo "FAIL: $what: invariants"; exit 1; }
	echo "$what: exit $rc, status: $(grep -i 'last\|fail\|error' "$T/status.out" | head -n 2 | tr '\n' ' ')"
}

echo "== without the CA: verification fails, never an upload"
must_fail "no CA" 7 "certificate" --url "$URL" --connect-timeout-s 5
echo "== the right pin alone does not turn verification off"
must_fail "pin, no CA" 7 "certificate" --url "$URL" --pinned-key "$PIN_OK" --connect-timeout-s 5

echo "== with --ca-file"
"$SYNC" once --data "$S" --url "$URL" --ca-file "$K/ca.pem" >/dev/null
check_server "$S" "$W" final

echo "== a wrong pin fails"
"$APPEND" "$S" 200 7 >/dev/null
must_fail "wrong pin" 7 "pin|public key" --url "$URL" --ca-file "$K/ca.pem" --pinned-key "$PIN_BAD"
echo "== the right pin uploads"
"$SYNC" once --data "$S" --url "$URL" --ca-file "$K/ca.pem" --pinned-key "$PIN_OK" >/dev/null
check_server "$S" "$W" final

echo "== the server requires a client certificate (ssl_verify_client on)"
stop_nginx
NGX_SERVER="$NGX_SERVER ssl_client_certificate $K/ca.pem; ssl_verify_client on;"
start_nginx
URL=https://127.0.0.1:$NGX_PORT/district
"$APPEND" "$S" 200 11 >/dev/null
must_fail "no client certificate" 7 "authentication|certificate" --url "$URL" --ca-file "$K/ca.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$K/rogue.key" -out "$K/rogue.pem" -days 2 -subj "/CN=device-1" 2>/dev/null
must_fail "client certificate of another CA" 7 "authentication|certificate" --url "$URL" \
	--ca-file "$K/ca.pem" --client-cert "$K/rogue.pem" --client-key "$K/rogue.key"
"$SYNC" once --data "$S" --url "$URL" --ca-file "$K/ca.pem" \
	--client-cert "$K/client.pem" --client-key "$K/client.key" >/dev/null
check_server "$S" "$W" final
echo "== a config file with the same keys"
"$APPEND" "$S" 50 3 >/dev/null
cat >"$T/sync.conf" <<EOC
[server]
url = $URL
ca_file = $K/ca.pem
pinned_key = $PIN_OK
client_cert = $K/client.pem
client_key = $K/client.key
EOC
"$SYNC" once --data "$S" --config "$T/sync.conf" >/dev/null
check_server "$S" "$W" final
echo "PASS"
