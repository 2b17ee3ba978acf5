# tests/lib/sync.sh: shared by the tests/sync_*.sh scripts (sourced).
# Starts a WebDAV nginx on loopback in a temp dir, makes demo stores, and
# checks what every scenario must end with:
#   - the server holds every committed record exactly once by (epoch, seq)
#   - a re-upload (rebuilding every batch from the store) is byte-identical
#   - the cursor never passed a record the server does not hold
set -eu
BUILD=${BUILD:-build}
BUILD=$(cd "$BUILD" && pwd)
SYNC=$BUILD/guanai-sync
DEMO=$BUILD/guanai-demo
APPEND=$BUILD/tools/gu_append
PROXY=$BUILD/tools/faultproxy
export GUANAI_QUIET=1

for t in nginx jq; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done

# Until sync/main.c dispatches the upload subcommands there is nothing to test.
"$SYNC" help 2>/dev/null | grep -q '^  once ' || { echo "SKIP: guanai-sync has no 'once' yet"; exit 77; }

T=$(mktemp -d /tmp/gu-sync-test.XXXXXX)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null || true
	sleep 0.2
	rm -rf "$T"
}
trap cleanup EXIT

# The test servers speak plain http on loopback: say so, as a school's
# config would have to (allow_http = yes; issue 10).
printf 'allow_http = yes\n' >"$T/allow-http.conf"
export GUANAI_SYNC_CONF=$T/allow-http.conf

# free_port: a free TCP port on loopback; GU_TEST_PORTS=LO-HI keeps the
# test's servers in that range (a machine shared by several runs).
free_port() {
	python3 - "${GU_TEST_PORTS:-}" <<'PY'
import random, socket, sys
r = sys.argv[1]
ports = [0]
if r:
    lo, hi = (int(x) for x in r.split("-"))
    ports = random.sample(range(lo, hi + 1), hi + 1 - lo)
for p in ports:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(s.getsockname()[1])
    break
PY
}

# start_nginx [LISTEN_ADDR]: WebDAV PUT into $T/www on $NGX_PORT.
# NGX_LISTEN_OPTS (e.g. "ssl") is added to the listen line, NGX_SERVER
# (directives) to the server block, NGX_LOG_FORMAT to the access log
# (default nginx's "combined"; gutest and gurange, with the Range
# header, are defined), NGX_MAIN (e.g. a load_module line) to the
# main context; with NGX_SCHEME=https the start is
# checked with curl -k (the test's own throwaway CA).
start_nginx() {
	addr=${1:-127.0.0.1}
	NGX_PORT=$(free_port)
	mkdir -p "$T/www" "$T/ngx"
	chmod 777 "$T/www" "$T/ngx" "$T"
	cat >"$T/nginx.conf" <<EOC
${NGX_MAIN:-}
daemon on;
master_process on;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/ngx/error.log;
events { worker_connections 64; }
http {
	log_format gutest '\$status \$request_method \$request_uri \$http_if_none_match|\$http_authorization|\$http_x_amz_date|\$http_x_amz_content_sha256';
	log_format gurange '\$status \$request_method \$request_uri inm=\$http_if_none_match range=\$http_range sent=\$body_bytes_sent';
	access_log $T/ngx/access.log ${NGX_LOG_FORMAT:-combined};
	client_body_temp_path $T/ngx/body;
	proxy_temp_path $T/ngx/proxy;
	fastcgi_temp_path $T/ngx/fcgi;
	uwsgi_temp_path $T/ngx/uwsgi;
	scgi_temp_path $T/ngx/scgi;
	server {
		listen $addr:$NGX_PORT ${NGX_LISTEN_OPTS:-};
		root $T/www;
		${NGX_SERVER:-}
		client_max_body_size 200m;
		location / {
			dav_methods PUT;
			dav_access user:rw group:rw all:r;
			create_full_put_path on;
		}
	}
}
EOC
	nginx -p "$T/ngx" -c "$T/nginx.conf" -e "$T/ngx/error.log"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		curl -sk -o /dev/null "${NGX_SCHEME:-http}://$addr:$NGX_PORT/" && return 0
		sleep 0.1
	done
	echo "nginx did not start"; cat "$T/ngx/error.log"; exit 1
}

# stop_nginx: stops the nginx start_nginx started (by its pid) and waits.
stop_nginx() {
	[ -f "$T/nginx.pid" ] || return 0
	p=$(cat "$T/nginx.pid")
	kill "$p" 2>/dev/null || true
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	rm -f "$T/nginx.pid"
}

# make_store DIR RECORDS: a small demo school plus RECORDS more records.
make_store() {
	"$DEMO" --data "$1" --children 40 --records 200 >/dev/null 2>&1
	[ "${2:-0}" -gt 0 ] && "$APPEND" "$1" "$2" 9 50 >/dev/null
	return 0
}

last_seq() { "$SYNC" status --data "$1" | sed -n 's/^cursor: acked_seq [0-9]* of last_seq \([0-9]*\)$/\1/p'; }
acked_seq() { "$SYNC" status --data "$1" | sed -n 's/^cursor: acked_seq \([0-9]*\) of.*/\1/p'; }

# check_server STORE WWW [final]: the invariants.  With "final" every
# committed record must be on the server; without it only those below
# the cursor.
check_server() {
	store=$1; www=$2; final=${3:-}
	last=$(last_seq "$store"); acked=$(acked_seq "$store")
	ls "$www"/*.ndjson.gz >/dev/null 2>&1 || { echo "no batches on the server"; [ "$acked" -eq 0 ] && return 0; return 1; }
	"$SYNC" verify "$www" 2>"$T/verify.err" | jq -r '"\(.epoch) \(.seq)"' >"$T/seqs" ||
		{ echo "FAIL: verify"; cat "$T/verify.err"; return 1; }
	n=$(wc -l <"$T/seqs"); u=$(sort -u "$T/seqs" | wc -l)
	[ "$n" -eq "$u" ] || { echo "FAIL: $((n - u)) records twice on the server"; return 1; }
	# the cursor never passed a record the server does not hold
	have=$(awk -v a="$acked" '$2 <= a' "$T/seqs" | wc -l)
	[ "$have" -eq "$acked" ] || { echo "FAIL: cursor $acked but only $have records <= it on the server"; return 1; }
	if [ -n "$final" ]; then
		[ "$n" -eq "$last" ] || { echo "FAIL: server has $n of $last records"; return 1; }
		[ "$acked" -eq "$last" ] || { echo "FAIL: cursor $acked, last $last"; return 1; }
	fi
	# a re-upload is byte-identical: rebuild every batch from the store
	rm -rf "$T/re"; "$SYNC" export --all "$T/re" --data "$store" >/dev/null
	for f in "$www"/*.ndjson.gz; do
		cmp -s "$f" "$T/re/$(basename "$f")" ||
			{ echo "FAIL: $(basename "$f") rebuilt differs"; return 1; }
	done
	echo "ok: $n records on the server exactly once, cursor $acked of $last, rebuild byte-identical"
}
