# tests/lib/pg.sh: a PostgreSQL 15 of the test's own (sourced after
# tests/lib/sync.sh, which gives $T, free_port and the cleanup trap):
# initdb in $T/pg as an unprivileged user when run as root (postgres
# refuses root), a free port, the Unix socket in $T/pg.  start_pg sets
# PG_CONN (a libpq connection string) and PSQL; the cleanup stops it.
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$PGBIN/initdb" ] || { echo "SKIP: no postgresql-15"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "SKIP: no psql"; exit 77; }

pg_as() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

start_pg() {
	PG_PORT=$(free_port)
	mkdir -p "$T/pg"
	chmod 755 "$T"
	[ "$(id -u)" -eq 0 ] && chown nobody "$T/pg"
	pg_as "$PGBIN/initdb" -D "$T/pg/data" -U guanai -A trust -E UTF8 --no-locale >"$T/pg/initdb.log" 2>&1 ||
		{ cat "$T/pg/initdb.log"; exit 1; }
	pg_as "$PGBIN/pg_ctl" -D "$T/pg/data" -l "$T/pg/log" -w -o "-p $PG_PORT -k $T/pg -c listen_addresses=''" start >/dev/null ||
		{ cat "$T/pg/log"; exit 1; }
	PG_UP=1
	PG_CONN="host=$T/pg port=$PG_PORT user=guanai dbname=postgres"
	PSQL="psql -X -q -A -t -v ON_ERROR_STOP=1 -h $T/pg -p $PG_PORT -U guanai postgres"
}

stop_pg() {
	[ "${PG_UP:-0}" = 1 ] || return 0
	pg_as "$PGBIN/pg_ctl" -D "$T/pg/data" -m fast -w stop >/dev/null 2>&1 || true
	PG_UP=0
}
trap 'stop_pg; cleanup' EXIT
