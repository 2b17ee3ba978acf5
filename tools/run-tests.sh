#!/bin/sh
# Runs every test make check built: the cmocka executables given as
# arguments, then every tests/*.sh (with BUILD in the environment), then
# each fuzz target for FUZZ_CHECK_SECONDS.  A test that exits 77 is
# skipped (only when a tool it needs is truly missing).  Ends with the line
# "N passed, N failed, N skipped" and fails if any test failed.
set -u
BUILD=${BUILD:-build}
export BUILD
FUZZ_CHECK_SECONDS=${FUZZ_CHECK_SECONDS:-15}
log=$BUILD/test-logs
mkdir -p "$log"
pass=0 fail=0 skip=0 failed=""

run() {
	name=$1; shift
	start=$(date +%s)
	"$@" >"$log/$name.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); echo "PASS  $name (${secs}s)" ;;
	77) skip=$((skip + 1)); echo "SKIP  $name: $(tail -n 1 "$log/$name.log")" ;;
	*) fail=$((fail + 1)); failed="$failed $name"
	   echo "FAIL  $name (exit $rc, ${secs}s); last lines of $log/$name.log:"
	   tail -n 25 "$log/$name.log" | sed 's/^/      /' ;;
	esac
}

for t in "$@"; do
	run "$(basename "$t")" "$t"
done
for t in tests/*.sh; do
	[ -x "$t" ] || continue
	run "$(basename "$t" .sh)" "$t"
done
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
	for f in build/fuzz/fuzz_*; do
		[ -x "$f" ] || continue
		n=$(basename "$f")
		corpus=fuzz/corpus/${n#fuzz_}
		work=$BUILD/fuzz-work/${n#fuzz_}
		mkdir -p "$work"
		if [ -d "$corpus" ]; then
			run "$n" "$f" -max_total_time="$FUZZ_CHECK_SECONDS" \
			    -timeout=10 -rss_limit_mb=1024 "$work" "$corpus"
		else
			run "$n" "$f" -max_total_time="$FUZZ_CHECK_SECONDS" \
			    -timeout=10 -rss_limit_mb=1024 "$work"
		fi
	done
fi
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
