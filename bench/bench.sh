#!/bin/sh
# make bench: runs every benchmark and prints its figures beside the
# targets of the issue it answers.  The machines are shared and noisy:
# each benchmark compares figures measured in the same run.
set -u
BUILD=${BUILD:-build}
export BUILD
st=0
for b in "$BUILD"/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" || st=1
done
for b in bench/*.sh; do
	[ "$(basename "$b")" = bench.sh ] && continue
	[ -x "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	"$b"
	rc=$?
	case $rc in
	0) ;;
	77) echo "   (skipped: a tool it needs is missing)" ;;
	*) st=1 ;;
	esac
done
exit $st
