#!/bin/sh
# Network updates (sync/netupdate.c, docs/sync.md "Updates over the
# network") against a real nginx serving real signed RAUC bundles
# (tests/lib/rauc.sh): the index by conditional GET (a 304 the second
# time), a download cut midway and then resumed with a Range request
# answered 206, the checks in their order (a wrong sha256, a bundle of
# another CA, a bad index, not newer: each refused, nothing left behind),
# the install only within the quiet hours (a rauc test double: `rauc
# install` cannot run on a host without slots) and the reboot request;
# the upload state untouched by every update failure; the daemon's pass
# downloads too and stops at once on SIGTERM, the .part kept.
. "$(dirname "$0")/lib/sync.sh"
. "$(dirname "$0")/lib/rauc.sh"
rauc_test_need
COMPAT=guanai-test-x86_64

NGX_LOG_FORMAT=gurange
# Bundles come slowly (about 2 s each), so a download can be cut midway.
NGX_SERVER="location /updates/ { limit_rate 8k; }"
start_nginx
LOG=$T/ngx/access.log
U=$T/www/updates
mkdir -p "$U"

# The device: its rauc config, running version 1.0.0, a rauc whose
# install is a test double printing rauc 1.8's lines (info is rauc's).
rauc_test_ca "$T/ca"
printf '[system]\ncompatible=%s\nbootloader=noop\n[keyring]\npath=%s/ca/ca.pem\n' \
	"$COMPAT" "$T" >"$T/system.conf"
echo 1.0.0 >"$T/version"
cat >"$T/rauc" <<EOS
#!/bin/sh
[ "\$3" = install ] || exec rauc "\$@"
echo "\$4" >>"$T/installs"
echo '  0% Installing'
echo ' 40% Checking bundle done.'
echo '100% Installing done.'
echo "Installing \\\`\$4\\\` succeeded"
EOS
chmod 755 "$T/rauc"

# Quiet hours that do not hold now (two hours ahead), and ones that do.
H=$((1$(date +%H) - 100))
AWAY=$(printf '%02d-%02d' $(((H + 2) % 24)) $(((H + 3) % 24)))
S=$T/store
make_store "$S" 0
cat >"$T/sync.conf" <<EOC
allow_http = yes
url = http://127.0.0.1:$NGX_PORT/district
update_url = http://127.0.0.1:$NGX_PORT/updates
update_rauc = $T/rauc
update_rauc_conf = $T/system.conf
update_version_file = $T/version
update_reboot_request = $T/reboot-request
update_hours = $AWAY
EOC
export GUANAI_SYNC_CONF=$T/sync.conf
D=$S/update
mkdir -p "$T/www/district"
chmod -R a+rwX "$T/www"

fail() { echo "FAIL: $*"; cat "$T/once.err" 2>/dev/null; exit 1; }
pass() { # one `once`, its part of the access log in pass.log
	n=$(wc -l <"$LOG")
	"$SYNC" once --data "$S" "$@" >"$T/once.out" 2>"$T/once.err" ||
		fail "once: exit $?"
	tail -n +"$((n + 1))" "$LOG" >"$T/pass.log"
}
hits() { awk -v s="$1" -v u="$2" '$1 == s && $2 == "GET" && $3 == u' "$T/pass.log" | wc -l; }
# latest VERSION FILE [SHA256]: the index (sha256 of U/FILE by default).
latest() {
	sleep 1 # nginx's ETag is mtime-size
	size=$(stat -c %s "$U/$2")
	sha=${3:-$(sha256sum "$U/$2" | cut -d' ' -f1)}
	printf '# what the district offers now\nversion = %s\nfile = %s\nsize = %s\nsha256 = %s\n' \
		"$1" "$(basename "$2")" "$size" "$sha" >"$U/latest"
	chmod -R a+rX "$U"
}
# The upload state as status says it, the update's own lines aside.
upstate() { "$SYNC" status --data "$S" | grep -v '^update '; }
refused() { "$SYNC" status --data "$S" | sed -n 's/^update download refused: //p'; }
# by_hand WHAT: `update --download` (no upload pass), the upload state
# compared before and after, the refusal expected to hold WHAT.
by_hand() {
	upstate >"$T/up.before"
	"$SYNC" update --download --data "$S" >"$T/hand.out" 2>"$T/hand.err" &&
		fail "update --download took it: $(cat "$T/hand.err")"
	upstate >"$T/up.after"
	cmp -s "$T/up.before" "$T/up.after" ||
		fail "the upload state changed: $(diff "$T/up.before" "$T/up.after")"
	refused | grep -qF "$1" || fail "refusal: '$(refused)', wanted '$1'"
}

echo "== the bundles"
rauc_test_bundle "$T/ca" 2.0.0 "$COMPAT" "$U/guanai-2.0.0.raucb" '修正签到页的字号；新增系统更新页'
rauc_test_bundle "$T/ca" 2.0.1 "$COMPAT" "$U/guanai-2.0.1.raucb"
rauc_test_bundle "$T/ca/other" 2.0.3 "$COMPAT" "$U/guanai-2.0.3.raucb"

echo "== first pass: the index, the bundle downloaded and checked"
latest 2.0.0 guanai-2.0.0.raucb
pass
[ "$(hits 200 /updates/latest)" -eq 1 ] || fail "no 200 GET of latest: $(cat "$T/pass.log")"
[ "$(hits 200 /updates/guanai-2.0.0.raucb)" -eq 1 ] || fail "no GET of the bundle"
cmp -s "$D/guanai-2.0.0.raucb" "$U/guanai-2.0.0.raucb" || fail "not the bundle"
grep -qx 'version = 2.0.0' "$D/ready" || fail "ready: $(cat "$D/ready")"
grep -qx "compatible = $COMPAT" "$D/ready" || fail "ready: compatible"
grep -qx 'description = 修正签到页的字号；新增系统更新页' "$D/ready" || fail "ready: description"
grep -qx "hours = $AWAY" "$D/ready" || fail "ready: hours"
[ "$(stat -c %a "$D/ready")" = 640 ] || fail "ready is mode $(stat -c %a "$D/ready")"
[ ! -e "$T/installs" ] || fail "installed outside the quiet hours"
[ ! -e "$T/reboot-request" ] || fail "a reboot outside the quiet hours"
[ -z "$(refused)" ] || fail "refused: $(refused)"

echo "== second pass: If-None-Match answered 304, nothing fetched"
pass
[ "$(hits 304 /updates/latest)" -eq 1 ] || fail "no 304: $(cat "$T/pass.log")"
grep -q 'GET /updates/guanai' "$T/pass.log" && fail "fetched again"

echo "== a download cut midway goes on with a Range request (206)"
latest 2.0.1 guanai-2.0.1.raucb
n=$(wc -l <"$LOG")
"$SYNC" once --data "$S" >"$T/once.out" 2>"$T/once.err" &
pid=$!
P=$D/guanai-2.0.1.raucb.part
full=$(stat -c %s "$U/guanai-2.0.1.raucb")
i=0
while [ $i -lt 200 ]; do
	got=$(stat -c %s "$P" 2>/dev/null || echo 0)
	[ "$got" -gt 0 ] && [ "$got" -lt "$full" ] && break
	sleep 0.05
	i=$((i + 1))
done
kill "$pid"
wait "$pid" || true
got=$(stat -c %s "$P" 2>/dev/null || echo 0)
[ "$got" -gt 0 ] && [ "$got" -lt "$full" ] || fail "not cut midway: $got of $full bytes"
echo "   cut after $got of $full bytes"
[ ! -e "$D/guanai-2.0.0.raucb" ] || fail "the older bundle is still there"
[ ! -e "$D/ready" ] || fail "ready names the older version"
pass
grep -q "^206 GET /updates/guanai-2.0.1.raucb inm=- range=bytes=$got- " "$T/pass.log" ||
	fail "no Range request answered 206: $(cat "$T/pass.log")"
[ "$(sha256sum <"$D/guanai-2.0.1.raucb" | cut -d' ' -f1)" = \
	"$(sha256sum <"$U/guanai-2.0.1.raucb" | cut -d' ' -f1)" ] || fail "SHA-256 differs"
[ ! -e "$P" ] || fail ".part left"
grep -qx 'version = 2.0.1' "$D/ready" || fail "ready: $(cat "$D/ready")"

echo "== a wrong sha256 in the index: refused, .part deleted"
cp "$U/guanai-2.0.1.raucb" "$U/guanai-2.0.2.raucb"
latest 2.0.2 guanai-2.0.2.raucb "$(printf '%064d' 0)"
by_hand "guanai-2.0.2.raucb: SHA-256 does not match the index"
[ ! -e "$D/guanai-2.0.2.raucb.part" ] && [ ! -e "$D/guanai-2.0.2.raucb" ] ||
	fail "the refused bundle is kept"

echo "== a bundle signed by another CA: refused with rauc's words"
latest 2.0.3 guanai-2.0.3.raucb
by_hand "guanai-2.0.3.raucb: rauc: signature verification failed"
[ ! -e "$D/guanai-2.0.3.raucb.part" ] && [ ! -e "$D/guanai-2.0.3.raucb" ] ||
	fail "the refused bundle is kept"

echo "== a bad index: refused, naming latest:LINE"
sleep 1
printf 'version = 2.0.4\nfile = guanai-2.0.4.raucb\nsize = 10\nsha256 = zz\n' >"$U/latest"
by_hand "latest:4: sha256: 64 hex digits"
printf 'version = 2.0.4\nfile = guanai-2.0.4.raucb\nsize = 10\nsize = 11\n' >"$U/latest"
sleep 1; touch "$U/latest"
by_hand "latest:4: size: given twice"

echo "== not newer: nothing downloaded, the refusal cleared"
latest 1.0.0 guanai-2.0.0.raucb
pass
[ "$(hits 200 /updates/latest)" -eq 1 ] || fail "the index not fetched"
grep -q 'GET /updates/guanai' "$T/pass.log" && fail "downloaded what is not newer"
[ -z "$(refused)" ] || fail "still refused: $(refused)"

echo "== install: never outside the quiet hours, then within them"
latest 2.0.1 guanai-2.0.1.raucb
pass
grep -qx 'version = 2.0.1' "$D/ready" || fail "not downloaded again"
[ ! -e "$T/installs" ] || fail "installed outside the quiet hours ($AWAY)"
[ ! -e "$T/reboot-request" ] || fail "a reboot outside the quiet hours"
pass --update-hours 00-24
[ "$(cat "$T/installs")" = "$D/guanai-2.0.1.raucb" ] || fail "installs: $(cat "$T/installs" 2>/dev/null)"
[ "$(cat "$T/reboot-request")" = reboot ] || fail "no reboot request"
grep -q 'update 2.0.1 installed' "$T/once.err" || fail "no word of the install"
pass --update-hours 00-24
[ "$(wc -l <"$T/installs")" -eq 1 ] || fail "installed twice before the reboot"

echo "== after the reboot into 2.0.1: ready goes"
echo 2.0.1 >"$T/version"
pass
[ ! -e "$D/ready" ] || fail "ready is still there"
"$SYNC" status --data "$S" | grep -q '^all uploaded' || fail "the upload state: $(upstate)"
echo "== the daemon's pass downloads too, and a signal ends it midway"
rauc_test_bundle "$T/ca" 2.0.5 "$COMPAT" "$U/guanai-2.0.5.raucb"
latest 2.0.5 guanai-2.0.5.raucb
P=$D/guanai-2.0.5.raucb.part
full=$(stat -c %s "$U/guanai-2.0.5.raucb")
"$SYNC" run --data "$S" >"$T/run.out" 2>"$T/once.err" &
pid=$!
i=0
while [ $i -lt 200 ] && [ "$(stat -c %s "$P" 2>/dev/null || echo 0)" -eq 0 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 10 ]; do sleep 0.05; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && fail "the daemon did not stop within half a second"
wait "$pid" || true
got=$(stat -c %s "$P" 2>/dev/null || echo 0)
[ "$got" -gt 0 ] && [ "$got" -lt "$full" ] || fail "the .part: $got of $full bytes"
pass
grep -qx 'version = 2.0.5' "$D/ready" || fail "not resumed after the daemon's stop"
echo "all update checks passed"
