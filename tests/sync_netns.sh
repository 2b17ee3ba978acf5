#!/bin/sh
# Network namespaces: the kiosk side (cli) and the district (srv) joined
# by a veth pair.  Records made while the link is down reach the server
# within 5 s of the link coming up (netlink), though the backoff is long.
. "$(dirname "$0")/lib/sync.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for namespaces"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: no ip"; exit 77; }
N=gu$$
ip netns add ${N}c && ip netns add ${N}s || { echo "SKIP: no netns"; exit 77; }
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; [ -f $T/nginx.pid ] && kill $(cat $T/nginx.pid); ip netns del ${N}c; ip netns del ${N}s; sleep 0.2; rm -rf $T' EXIT
ip link add ${N}a type veth peer name ${N}b
ip link set ${N}a netns ${N}c
ip link set ${N}b netns ${N}s
ip -n ${N}c addr add 10.213.0.2/24 dev ${N}a
ip -n ${N}s addr add 10.213.0.1/24 dev ${N}b
ip -n ${N}c link set lo up; ip -n ${N}s link set lo up
ip -n ${N}c link set ${N}a up; ip -n ${N}s link set ${N}b up

# nginx inside the server namespace
NGX_PORT=$(free_port)
mkdir -p "$T/www" "$T/ngx"; chmod 777 "$T" "$T/www" "$T/ngx"
cat >"$T/nginx.conf" <<EOC
daemon on; pid $T/nginx.pid; error_log $T/ngx/error.log;
events { worker_connections 64; }
http { access_log $T/ngx/access.log; client_body_temp_path $T/ngx/body;
 proxy_temp_path $T/ngx/p; fastcgi_temp_path $T/ngx/f; uwsgi_temp_path $T/ngx/u; scgi_temp_path $T/ngx/s;
 server { listen 10.213.0.1:$NGX_PORT; root $T/www; client_max_body_size 200m;
  location / { dav_methods PUT; create_full_put_path on; dav_access user:rw group:rw all:r; } } }
EOC
ip netns exec ${N}s nginx -p "$T/ngx" -c "$T/nginx.conf" -e "$T/ngx/error.log"
sleep 0.3
S=$T/store
make_store "$S" 0
URL=http://10.213.0.1:$NGX_PORT/d
ip netns exec ${N}c "$SYNC" run --data "$S" --url "$URL" --gather-ms 200 \
	--timer-s 3600 --backoff-min-s 60 --connect-timeout-s 2 2>"$T/daemon.log" &
PIDS="$!"
i=0; while [ "$(acked_seq "$S")" != "$(last_seq "$S")" ]; do i=$((i+1)); [ $i -lt 100 ] || { echo FAIL first pass; cat $T/daemon.log; exit 1; }; sleep 0.1; done
echo "link up: first upload done"

ip -n ${N}c link set ${N}a down
"$APPEND" "$S" 300 7 >/dev/null
sleep 2
"$SYNC" status --data "$S" | grep -q "records waiting" || { echo "FAIL: uploaded with the link down?"; exit 1; }
"$SYNC" status --data "$S" | grep "failed" || true
echo "link down: records wait, backoff >= 30 s stored"
ip -n ${N}c link set ${N}a up
t0=$(date +%s%N)
i=0; while [ "$(acked_seq "$S")" != "$(last_seq "$S")" ]; do i=$((i+1)); [ $i -lt 50 ] || { echo "FAIL: not uploaded within 5 s of link up"; cat $T/daemon.log; exit 1; }; sleep 0.1; done
t1=$(date +%s%N)
echo "link up again: uploaded in $(( (t1 - t0) / 1000000 )) ms (limit 5000)"
check_server "$S" "$T/www/d" final
echo PASS
