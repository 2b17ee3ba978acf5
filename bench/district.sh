#!/bin/sh
# Issue 15 item 6: guanai-district ingest of a district of 50 schools
# (DISTRICT_BENCH_RECORDS records in all, default 1,000,000: minutes),
# sealed, into a PostgreSQL 15 of its own, beside psql \copy of the same
# record lines (NDJSON, decrypted beforehand) into a plain jsonb table in
# the same run; then the same ingest again (nothing new), the receiver's
# peak RSS at a tenth and at all of the records, and the report.
# Targets: ingest <= 3x \copy; re-ingest <= 20% of the first; peak RSS
# <= 64 MB and flat; report <= 10 s.
set -eu
BUILD=${BUILD:-build}
BUILD=$(cd "$BUILD" && pwd)
N=${DISTRICT_BENCH_RECORDS:-1000000}
SCHOOLS=50
T=$(mktemp -d /tmp/gu-bench-district.XXXXXX)
# DISTRICT_BENCH_KEEP=1: the folder and its PostgreSQL are left as they
# are (the database to look at), and their place printed
cleanup() {
	if [ "${DISTRICT_BENCH_KEEP:-0}" = 1 ]; then
		echo "   kept $T (PostgreSQL on port $PG_PORT)"; return 0
	fi
	stop_pg; rm -rf "$T"
}
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
. "$(dirname "$0")/../tests/lib/pg.sh"
trap cleanup EXIT
SYNC=$BUILD/guanai-sync; DEMO=$BUILD/guanai-demo; DIST=$BUILD/guanai-district
APPEND=$BUILD/tools/gu_append
export GUANAI_QUIET=1
[ -x "$APPEND" ] || { echo "no $APPEND (make build/tools/gu_append)"; exit 77; }
start_pg
"$DIST" keygen "$T/k" >/dev/null
mkdir -p "$T/srv" "$T/st" "$T/tenth"
per=$((N / SCHOOLS))
echo "   making $SCHOOLS schools of $per records, sealed batches of 10000"
for i in $(seq 1 $SCHOOLS); do
	id=$(printf 'S4306030%02d' "$i"); s=$T/st/$id
	"$DEMO" --data "$s" --school "$id" --seed "$i" --children 200 --fast-pins --records "$per" >/dev/null 2>&1
	have=$("$SYNC" status --data "$s" | sed -n 's/^\([0-9]*\) records waiting.*/\1/p')
	[ "${have:-0}" -lt "$per" ] && "$APPEND" "$s" $((per - have)) 0 1000 >/dev/null
	# the roster the school sent, for the board's coverage
	mkdir -p "$T/roster/$id"
	cp "$s/demo-roster/children.csv" "$s/demo-roster/staff.csv" "$T/roster/$id/"
	cp "$T/k/district-key.pub" "$s/district-key"
	"$SYNC" once --data "$s" --url "file://$T/srv" --district-key-path "" --batch-records 10000 >/dev/null 2>&1
	"$SYNC" key --data "$s" >>"$T/ring"
	[ "$i" -le $((SCHOOLS / 10)) ] && cp "$T/srv/${id}_"* "$T/tenth/"
done
conf() {
	cat <<EOC
database = host=$T/pg port=$PG_PORT user=guanai dbname=$1
source = $2
keyring = $T/ring
secret_keys = $T/k/district-key.secret
progress_s = 0
EOC
}
for db in district tenth; do $PSQL -c "create database $db"; done
conf district "$T/srv" >"$T/d.conf"; conf tenth "$T/tenth" >"$T/t.conf"
# the rosters (for the board's coverage) by a run of their own, untimed
{ conf district "$T/srv"; echo "acks = $T/roster"; } >"$T/r.conf"
# the same lines, decrypted, for \copy (COPY text: backslashes doubled)
"$DIST" open --secret "$T/k/district-key.secret" "$T/srv"/*.ndjson.gz 2>/dev/null | sed 's/\\/\\\\/g' >"$T/all.ndjson"
lines=$(wc -l <"$T/all.ndjson")
$PSQL -c "create table plain (doc jsonb)"

timed() { # timed OUT CMD...: elapsed seconds and peak RSS (KB) into OUT
	/usr/bin/time -f "%e %M" -o "$1.t" sh -c 'shift; "$@"' x "$@" >/dev/null 2>"$1.err" || { cat "$1.err"; exit 1; }
	cat "$1.t" >"$1"
}
timed "$T/copy" $PSQL -c "\\copy plain (doc) from '$T/all.ndjson'"
timed "$T/ing" "$DIST" ingest --config "$T/d.conf"
timed "$T/again" "$DIST" ingest --config "$T/d.conf"
timed "$T/ten" "$DIST" ingest --config "$T/t.conf"
"$DIST" ingest --config "$T/r.conf" >/dev/null 2>&1
timed "$T/rep" "$DIST" report --config "$T/d.conf" "$T/board"
loaded=$(psql -X -q -A -t -h "$T/pg" -p "$PG_PORT" -U guanai district -c "select count(*) from records")
read -r tc _ <"$T/copy"; read -r ti ri <"$T/ing"; read -r ta _ <"$T/again"
read -r _ rt <"$T/ten"; read -r tr _ <"$T/rep"
python3 - "$lines" "$loaded" "$tc" "$ti" "$ta" "$ri" "$rt" "$tr" <<'PY'
import sys
lines, loaded = int(sys.argv[1]), int(sys.argv[2])
tc, ti, ta, ri, rt, tr = map(float, sys.argv[3:])
print("   %d records loaded of %d lines" % (loaded, lines))
print("   ingest %.1f s, psql \\copy of the same lines %.1f s: ratio %.2fx (target <= 3x)" % (ti, tc, ti / tc))
print("   re-ingest (nothing new) %.2f s: %.1f%% of the first (target <= 20%%)" % (ta, 100 * ta / ti))
print("   peak RSS %.1f MB at all records, %.1f MB at a tenth (target <= 64 MB, flat)" % (ri / 1024, rt / 1024))
print("   report %.2f s (target <= 10 s)" % tr)
ok = loaded == lines and ti / tc <= 3 and ta / ti <= 0.2 and ri <= 65536 and ri <= rt * 1.25 + 4096 and tr <= 10
print("   " + ("all targets met" if ok else "TARGET MISSED"))
PY
