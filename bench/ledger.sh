#!/bin/sh
# bench/ledger.sh: issue 13: the ledgers and the children's files.
# Targets: all ledgers for a 600-child school over a term <= 2 s; one
# mentor's children's files as PDF <= 1 s per 10 files; memory flat in
# the number of records (peak RSS measured on two store sizes, each
# ledger over every record of the store, so the rows grow with it).
# Times are the best of RUNS runs (the machine is shared); memory is
# sampled from /proc while the command runs (peak() below).
# Env: BUILD (build), BIG (records of the larger store, 40000), RUNS (3).
set -eu
BUILD=$(cd "${BUILD:-build}" && pwd)
SYNC=$BUILD/guanai-sync; DEMO=$BUILD/guanai-demo
BIG=${BIG:-40000}; RUNS=${RUNS:-3}
FONTS=$(pwd)/fonts
T=$(mktemp -d /tmp/gu-bench-ledger.XXXXXX)
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }
ms() { echo "$1 $2" | awk '{printf "%d", ($2-$1)*1000}'; }
min() { [ -z "$1" ] || [ "$2" -lt "$1" ] && echo $2 || echo $1; }
# peak CMD...: runs CMD, sampling /proc/PID/status every 2 ms; prints the
# peak RssAnon (the process's own memory: heap, stacks) and the peak
# VmHWM (everything resident, with the mapped store and the libraries),
# in MiB.
peak() {
	/usr/bin/python3 - "$@" <<'PYEOF'
import subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
anon = hwm = 0
while p.poll() is None:
    try:
        for l in open('/proc/%d/status' % p.pid):
            k, v = l.split(':', 1)
            if k == 'RssAnon':
                anon = max(anon, int(v.split()[0]))
            elif k == 'VmHWM':
                hwm = max(hwm, int(v.split()[0]))
    except (OSError, ValueError):
        pass
    time.sleep(0.002)
sys.exit(p.returncode) if p.returncode else None
print('%.1f %.1f' % (anon / 1024, hwm / 1024))
PYEOF
}
# best ARGS...: best wall time in ms of RUNS runs, in $best; then one run
# under peak(): $anon and $rss (MiB).
best() {
	best=""
	for i in $(seq "$RUNS"); do
		rm -rf "$T/out"; mkdir "$T/out"
		a=$(now)
		"$@" >/dev/null
		b=$(now)
		best=$(min "$best" "$(ms "$a" "$b")")
	done
	rm -rf "$T/out"; mkdir "$T/out"
	set -- $(peak "$@")
	anon=$1 rss=$2
}

"$DEMO" --data "$T/small" --children 600 --today 2027-01-10 --fast-pins >/dev/null 2>&1
"$DEMO" --data "$T/big" --children 600 --records "$BIG" --today 2027-01-10 --fast-pins >/dev/null 2>&1
ns=$("$SYNC" stats --data "$T/small" | awk '/^records/ {print $2}')
nb=$("$SYNC" stats --data "$T/big" | awk '/^records/ {print $2}')

best "$SYNC" ledger --data "$T/small" --term 2026-autumn --made 2027-01-10 all "$T/out"
term_ms=$best term_rss=$rss term_anon=$anon
rows=$("$SYNC" ledger --data "$T/small" --term 2026-autumn --made 2027-01-10 all "$T/out" | awk '{n += $2} END {print n}')
best "$SYNC" ledger --data "$T/small" --from 2000-01-01 --to 2027-01-10 --made 2027-01-10 all "$T/out"
alls_ms=$best alls_rss=$rss alls_anon=$anon
best "$SYNC" ledger --data "$T/big" --from 2000-01-01 --to 2027-01-10 --made 2027-01-10 all "$T/out"
allb_ms=$best allb_rss=$rss allb_anon=$anon
rowsb=$("$SYNC" ledger --data "$T/big" --from 2000-01-01 --to 2027-01-10 --made 2027-01-10 all "$T/out" | awk '{n += $2} END {print n}')

# The mentor with the most children in care.
mentor=$("$SYNC" dump --data "$T/small" | jq -r 'select(.kind=="checkin") | .author' | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}')
best "$SYNC" file --data "$T/small" --fonts "$FONTS" --made 2027-01-10 --mentor "$mentor" "$T/out/m.pdf"
pdfs_ms=$best pdfs_rss=$rss pdfs_anon=$anon
kids=$("$SYNC" file --data "$T/small" --fonts "$FONTS" --made 2027-01-10 --mentor "$mentor" "$T/m.pdf" | sed -n 's/.*: \([0-9]*\) child.*/\1/p')
pages=$(pdfinfo "$T/m.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')
best "$SYNC" file --data "$T/big" --fonts "$FONTS" --made 2027-01-10 --mentor "$mentor" "$T/out/m.pdf"
pdfb_ms=$best pdfb_rss=$rss pdfb_anon=$anon
pagesb=$("$SYNC" file --data "$T/big" --fonts "$FONTS" --made 2027-01-10 --mentor "$mentor" "$T/m.pdf" >/dev/null && pdfinfo "$T/m.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')
per10() { echo "$1 $2" | awk '{printf "%d", $1 * 10 / $2}'; }
# per page: the cost of a file is its pages (pango and cairo, per glyph),
# not the records of the store.
perpage() { echo "$1 $2" | awk '{printf "%.1f", $1 / $2}'; }

sz() { du -m "$1/data.mdb" | awk '{print $1}'; }
echo "| figure | measured | target |"
echo "|---|---|---|"
echo "| all 10 ledgers, 600-child school, one term ($ns records, $rows rows) | $term_ms ms | ≤ 2000 ms |"
echo "| its peak memory: own (RssAnon) / all resident (VmHWM) | $term_anon / $term_rss MiB | |"
echo "| all 10 ledgers over every record, $ns records ($rows rows; store $(sz "$T/small") MiB) | $alls_ms ms; $alls_anon / $alls_rss MiB | |"
echo "| all 10 ledgers over every record, $nb records ($rowsb rows; store $(sz "$T/big") MiB) | $allb_ms ms; $allb_anon / $allb_rss MiB | own memory flat |"
echo "| one mentor's files as PDF ($mentor: $kids children, $pages pages), $ns records | $pdfs_ms ms = $(per10 "$pdfs_ms" "$kids") ms per 10 files, $(perpage "$pdfs_ms" "$pages") ms per page; $pdfs_anon / $pdfs_rss MiB | ≤ 1000 ms per 10 |"
echo "| the same children, $nb records ($pagesb pages) | $pdfb_ms ms = $(per10 "$pdfb_ms" "$kids") ms per 10 files, $(perpage "$pdfb_ms" "$pagesb") ms per page; $pdfb_anon / $pdfb_rss MiB | own memory flat; per page flat |"
echo "(VmHWM includes the store's pages, mapped read-only by LMDB, which grow with the store; RssAnon is what the program allocates.)"
