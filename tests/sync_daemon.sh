#!/bin/sh
# The daemon: a poke after a commit uploads within seconds (not at the
# timer); only one uploader runs; SIGKILL at random moments during
# uploads loses nothing and duplicates nothing (tests/lib/sync.sh checks).
. "$(dirname "$0")/lib/sync.sh"

start_nginx
S=$T/store
make_store "$S" 0
URL=http://127.0.0.1:$NGX_PORT/d
W=$T/www/d

start_daemon() {
	"$SYNC" run --data "$S" --url "$URL" --gather-ms 200 --timer-s 3600 \
		--batch-records 200 --netwatch 0 "$@" 2>>"$T/daemon.log" &
	DPID=$!
	PIDS="$PIDS $DPID"
}

wait_all_up() {
	i=0
	while [ "$(acked_seq "$S")" != "$(last_seq "$S")" ]; do
		i=$((i + 1)); [ $i -lt "${1:-100}" ] || return 1
		sleep 0.1
	done
}

echo "== poke wakes the daemon"
start_daemon
sleep 1
wait_all_up 100 || { echo "FAIL: first pass"; exit 1; }
"$APPEND" "$S" 50 >/dev/null
t0=$(date +%s%N)
wait_all_up 50 || { echo "FAIL: poke did not wake the daemon within 5 s"; exit 1; }
t1=$(date +%s%N)
echo "records after a poke uploaded in $(( (t1 - t0) / 1000000 )) ms (timer is 3600 s)"
check_server "$S" "$W" final

echo "== only one uploader"
rc=0; "$SYNC" once --data "$S" --url "$URL" >/dev/null 2>&1 || rc=$?
[ $rc -eq 9 ] || { echo "FAIL: second uploader ran (exit $rc)"; exit 1; }
echo "second uploader refused (exit 9)"

echo "== trigger"
"$SYNC" trigger --data "$S" >/dev/null
kill "$DPID"; wait "$DPID" 2>/dev/null || true

echo "== SIGKILL at random moments during uploads"
for round in $(seq 1 25); do
	"$APPEND" "$S" 600 11 100 >/dev/null
	start_daemon
	sleep "0.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | cut -c1)"
	kill -9 "$DPID"; wait "$DPID" 2>/dev/null || true
	check_server "$S" "$W" >/dev/null || { check_server "$S" "$W"; echo "FAIL after kill $round"; exit 1; }
done
start_daemon
wait_all_up 300 || { echo "FAIL: did not finish after the kills"; exit 1; }
kill "$DPID"; wait "$DPID" 2>/dev/null || true
echo "25 SIGKILLs during uploads:"
check_server "$S" "$W" final
echo PASS
