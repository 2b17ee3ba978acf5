# tests/lib/district.sh: a district of demo schools for the district's
# tests (sourced after tests/lib/sync.sh and tests/lib/pg.sh; sets DIST).
#   district_setup               the district key pair in $T/k
#   district_school ID SEED DAY  a demo school of 20 children as of DAY
#                                (guanai-demo) in $T/st/ID, its roster
#                                where the terminals fetch it
#                                ($T/roster/ID/)
#   district_upload ID WHEN      its sealed batches (mtime WHEN) into
#                                $T/srv, its device key into $T/ring
#   district_conf                $T/d.conf for ingest, report and pack
DIST=$BUILD/guanai-district

district_setup() {
	"$DIST" keygen "$T/k" >/dev/null
	mkdir -p "$T/srv" "$T/st"
}

district_school() {
	"$DEMO" --data "$T/st/$1" --school "$1" --seed "$2" --children 20 --fast-pins --today "$3" >/dev/null 2>&1
	mkdir -p "$T/roster/$1"
	cp "$T/st/$1/demo-roster/children.csv" "$T/st/$1/demo-roster/staff.csv" "$T/roster/$1/"
}

district_upload() {
	s=$T/st/$1
	cp "$T/k/district-key.pub" "$s/district-key"
	mkdir -p "$T/up/$1"
	"$SYNC" once --data "$s" --url "file://$T/up/$1" --district-key-path "" >/dev/null 2>&1
	touch -d "$2" "$T/up/$1"/*.ndjson.gz
	cp -p "$T/up/$1"/*.ndjson.gz "$T/srv/"
	"$SYNC" key --data "$s" >>"$T/ring"
}

district_conf() {
	cat >"$T/d.conf" <<EOC
database = $PG_CONN
source = $T/srv
keyring = $T/ring
secret_keys = $T/k/district-key.secret
progress_s = 0
acks = $T/roster
EOC
}
